//! Paging through list operations as one lazy stream of items.
//!
//! The generated `into_stream` of a paginated request calls [`paginate`]
//! with a function that fetches one page; the stream asks for the next page
//! only when the caller has consumed the previous one, and stops after the
//! last page, so an empty or short list costs a single request.

use crate::Error;
use futures_core::Stream;
use futures_util::{TryStreamExt, stream};
use std::future::Future;

/// One page of a list response.
#[doc(hidden)]
#[derive(Debug)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole list holds, if the server says.
    pub total: Option<i64>,
}

/// Where the walk through the pages stands.
struct Cursor {
    /// The page to fetch next.
    page: i64,
    /// Items before the next page: earlier pages, fetched or skipped.
    seen: i64,
    done: bool,
}

/// A stream of every item from `first_page` on. `per_page` is the page
/// size the requests ask for (`None` when the server picks it).
#[doc(hidden)]
pub fn paginate<T, F, Fut>(
    first_page: i64,
    per_page: Option<i64>,
    mut fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Unpin
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let start = Cursor {
        page: first_page,
        seen: first_page.saturating_mul(per_page.unwrap_or(0)),
        done: false,
    };
    // Boxed once per stream so callers can poll it without pinning it.
    Box::pin(
        stream::try_unfold(start, move |cursor| {
            let next = (!cursor.done).then(|| fetch(cursor.page));
            async move {
                let Some(next) = next else {
                    return Ok::<_, Error>(None);
                };
                let page = next.await?;
                let count = page.items.len() as i64;
                let seen = cursor.seen.saturating_add(count);
                // The last page: nothing came back, the server's total is
                // reached, or the page is shorter than asked for.
                let done = count == 0
                    || page.total.is_some_and(|total| seen >= total)
                    || per_page.is_some_and(|size| count < size);
                let cursor = Cursor {
                    page: cursor.page.saturating_add(1),
                    seen,
                    done,
                };
                Ok(Some((page.items, cursor)))
            }
        })
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A fake list of `len` items served `size` per page; records the pages
    /// asked for.
    async fn collect(len: i64, size: i64, report_total: bool) -> (Vec<i64>, Vec<i64>) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let items: Vec<i64> = paginate(0, Some(size), move |page| {
            log.lock().map(|mut l| l.push(page)).ok();
            let start = page * size;
            let end = (start + size).min(len);
            let items: Vec<i64> = (start..end.max(start)).collect();
            async move {
                Ok(Page {
                    items,
                    total: report_total.then_some(len),
                })
            }
        })
        .try_collect()
        .await
        .unwrap_or_default();
        let pages = asked.lock().map(|l| l.clone()).unwrap_or_default();
        (items, pages)
    }

    #[tokio::test]
    async fn stops_after_the_last_page() {
        assert_eq!(collect(0, 10, true).await, (vec![], vec![0]));
        assert_eq!(collect(1, 10, true).await, (vec![0], vec![0]));
        assert_eq!(collect(10, 10, true).await, ((0..10).collect(), vec![0]));
        assert_eq!(
            collect(25, 10, true).await,
            ((0..25).collect(), vec![0, 1, 2])
        );
        // Without a total, a full last page costs one more (empty) request.
        assert_eq!(
            collect(10, 10, false).await,
            ((0..10).collect(), vec![0, 1])
        );
    }
}
