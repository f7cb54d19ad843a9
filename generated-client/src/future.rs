//! The future a request builder turns into when it is sent.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::Error;

/// The future a request builder turns into when awaited (or sent with its
/// `send`). It owns everything it needs, so it is `Send + 'static` and can
/// be given to `tokio::spawn`; it is `Unpin`, so it can be polled in place.
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<T>(Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>);

impl<T: Send + 'static> ResponseFuture<T> {
    /// Wraps the future that sends a request.
    pub(crate) fn new(future: impl Future<Output = Result<T, Error>> + Send + 'static) -> Self {
        ResponseFuture(Box::pin(future))
    }

    /// A future that fails with `error` without sending anything: what a
    /// builder whose arguments break a constraint turns into.
    #[doc(hidden)]
    pub fn failed(error: Error) -> Self {
        ResponseFuture::new(std::future::ready(Err(error)))
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseFuture")
    }
}
