//! Waiting for a status: the loop every generated waiter runs.
//!
//! A waiter polls an operation, reads a status from what it returns, and
//! ends when the status is terminal or the deadline has passed; the spec
//! says which operation, field and values (`waiters:` in a resource).

use std::future::Future;
use std::time::Duration;

use crate::{Error, ResponseFuture};

/// How often a waiter polls and how long it waits at most: what a
/// generated waiter's `interval` and `deadline` set.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Time between the end of one poll and the start of the next.
    pub interval: Duration,
    /// Time from the start of the wait after which no new poll starts.
    pub deadline: Duration,
}

/// What one poll saw.
#[doc(hidden)]
#[derive(Debug)]
pub enum Seen<T> {
    /// The value, with its status terminal.
    Done(T),
    /// A status that is not terminal yet, as the server sent it.
    Pending(Option<String>),
}

/// Polls with `poll` until it sees [`Seen::Done`], waiting `interval`
/// between polls. The last poll starts at the deadline at the latest; if
/// it is still pending, the wait fails with [`Error::WaitDeadline`]. A
/// failed poll ends the wait with its error (each poll retries on its own,
/// as any request does).
#[doc(hidden)]
pub fn wait<T, P, F>(timing: Timing, mut poll: P) -> ResponseFuture<T>
where
    T: Send + 'static,
    P: FnMut() -> F + Send + 'static,
    F: Future<Output = Result<Seen<T>, Error>> + Send,
{
    ResponseFuture::new(async move {
        let started = tokio::time::Instant::now();
        loop {
            let last_status = match poll().await? {
                Seen::Done(value) => return Ok(value),
                Seen::Pending(status) => status,
            };
            let waited = started.elapsed();
            if waited >= timing.deadline {
                return Err(Error::WaitDeadline {
                    waited,
                    last_status,
                });
            }
            tokio::time::sleep(timing.interval.min(timing.deadline - waited)).await;
        }
    })
}
