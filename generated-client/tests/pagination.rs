//! `into_stream` on a paginated list walks the pages lazily and stops after
//! the last one, against a server holding 0, 1, one full page and two and a
//! half pages of notebooks.

mod support;

use generated_client::prelude::*;
use generated_client::types;
use serde_json::json;
use support::{Reply, TestServer, client};

const PATH: &str = "/applications/575ec8687ae143cd83dc4a97/notebooks";

fn application_id() -> types::ApplicationId {
    "575ec8687ae143cd83dc4a97".parse().expect("valid id")
}

/// A page as the platform answers it, holding notebooks `from..to` of a
/// collection of `total`.
fn page(from: usize, to: usize, total: usize, page: usize, per_page: usize) -> Reply {
    let items: Vec<_> = (from..to)
        .map(|i| {
            let id = format!("{i:024x}");
            json!({
                "id": id,
                "notebookId": id,
                "applicationId": "575ec8687ae143cd83dc4a97",
                "creationDate": "2024-09-03T14:22:41.318Z",
                "lastUpdated": "2024-11-18T08:05:12.907Z",
                "name": format!("notebook {i}"),
            })
        })
        .collect();
    Reply::json(
        200,
        json!({
            "items": items,
            "count": to - from,
            "totalCount": total,
            "perPage": per_page,
            "page": page,
            "applicationId": "575ec8687ae143cd83dc4a97"
        })
        .to_string(),
    )
}

/// Serves `total` notebooks `per_page` at a time and collects the stream;
/// returns the names and the query string of each request the server saw.
async fn walk(total: usize, per_page: usize) -> (Vec<String>, Vec<String>) {
    let pages = total.div_ceil(per_page).max(1);
    let replies = (0..pages)
        .map(|p| {
            page(
                p * per_page,
                ((p + 1) * per_page).min(total),
                total,
                p,
                per_page,
            )
        })
        .collect();
    let server = TestServer::start(replies).await;
    let names: Vec<String> = client(&server)
        .notebooks()
        .get(&application_id())
        .per_page(per_page as i64)
        .into_stream()
        .map_ok(|notebook| notebook.name)
        .try_collect()
        .await
        .expect("every page decodes");
    let queries = server
        .requests()
        .iter()
        .map(|request| {
            assert_eq!(request.method, "GET");
            assert_eq!(request.path, PATH);
            request.query.clone().unwrap_or_default()
        })
        .collect();
    (names, queries)
}

fn names(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("notebook {i}")).collect()
}

#[tokio::test]
async fn an_empty_collection_costs_one_request() {
    let (items, queries) = walk(0, 10).await;
    assert!(items.is_empty());
    assert_eq!(queries, ["page=0&perPage=10"]);
}

#[tokio::test]
async fn a_single_item_costs_one_request() {
    let (items, queries) = walk(1, 10).await;
    assert_eq!(items, names(0..1));
    assert_eq!(queries, ["page=0&perPage=10"]);
}

#[tokio::test]
async fn exactly_one_full_page_stops_at_the_total() {
    let (items, queries) = walk(10, 10).await;
    assert_eq!(items, names(0..10));
    assert_eq!(queries, ["page=0&perPage=10"]);
}

#[tokio::test]
async fn two_and_a_half_pages_take_three_requests_in_order() {
    let (items, queries) = walk(25, 10).await;
    assert_eq!(items, names(0..25));
    assert_eq!(
        queries,
        [
            "page=0&perPage=10",
            "page=1&perPage=10",
            "page=2&perPage=10"
        ]
    );
}

#[tokio::test]
async fn pages_are_fetched_only_when_the_stream_reaches_them() {
    let server = TestServer::start(vec![page(0, 10, 25, 0, 10), page(10, 20, 25, 1, 10)]).await;
    let client = client(&server);
    let mut stream = client
        .notebooks()
        .get(&application_id())
        .per_page(10)
        .into_stream();
    for _ in 0..10 {
        stream.next().await.expect("an item").expect("decodes");
    }
    assert_eq!(
        server.requests().len(),
        1,
        "the second page is not asked for yet"
    );
    stream.next().await.expect("an item").expect("decodes");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_with_it() {
    let server = TestServer::start(vec![
        page(0, 10, 25, 0, 10),
        Reply::json(
            404,
            r#"{"type":"NotFound","message":"Application was not found"}"#,
        ),
    ])
    .await;
    let results: Vec<_> = client(&server)
        .notebooks()
        .get(&application_id())
        .per_page(10)
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 11);
    match results.last() {
        Some(Err(generated_client::Error::Api(api))) => {
            assert_eq!(api.status.as_u16(), 404);
            assert_eq!(
                api.kind.as_ref().map(generated_client::ErrorKind::as_str),
                Some("NotFound")
            );
        }
        other => panic!("expected the 404 last, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_walks_the_pages_in_a_spawned_task() {
    let server = TestServer::start(vec![page(0, 2, 3, 0, 2), page(2, 3, 3, 1, 2)]).await;
    let stream = client(&server)
        .notebooks()
        .get(&application_id())
        .per_page(2)
        .into_stream();

    let names: Vec<String> = tokio::spawn(stream.map_ok(|notebook| notebook.name).try_collect())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(names, ["notebook 0", "notebook 1", "notebook 2"]);
    assert_eq!(server.requests().len(), 2);
}
