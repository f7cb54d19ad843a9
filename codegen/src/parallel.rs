//! Mapping over a list on every core, keeping the list's order.
//!
//! Parsing spec files and rendering pieces of code are most of the
//! generator's time, and each file or piece is done on its
//! own, so they are shared out between threads. The result is in the
//! input's order whatever the number of threads, so the output does not
//! depend on the machine.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of each worker thread. Parsing recurses once per level of a
/// spec file's nesting (up to 128 levels, serde_yaml's limit), and so
/// does rendering a type nested as deep; the default 2 MiB is not enough
/// for that. Only the pages a thread touches take memory.
const STACK: usize = 32 << 20;

/// `items.iter().map(f).collect()`, computed on up to as many threads as
/// the machine has cores, each with a [`STACK`]-sized stack.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    // Each thread takes the next item not yet taken, so a thread that is
    // slowed down (large pieces, or a core shared with other work) takes
    // fewer items instead of finishing last.
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // No thread could be started (the system is out of them): the
        // caller's thread does the work.
        let here = if workers.is_empty() {
            work()
        } else {
            Vec::new()
        };
        for results in workers
            .into_iter()
            .map(|worker| {
                // A panic in `f` is a bug; carry it on to the caller as is.
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .chain(std::iter::once(here))
        {
            for (i, result) in results {
                slots[i] = Some(result);
            }
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_input() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u32], |x| *x).is_empty());
    }
}
