//! Values cannot change where a request goes: whatever a query parameter,
//! header or path segment holds (`/`, `..`, `?`, `#`, `%2F`, spaces, line
//! breaks), the server receives the same method and path, and the value
//! arrives intact as exactly one query pair, one header or one segment.
//!
//! Path components of the generated API are typed IDs that cannot be built
//! from such text, so segments are exercised both through IDs decoded from a
//! (hostile) response, which skip the constructors' checks, and through the
//! runtime's `ApiRequest` sent with `Client::send`.

mod support;

use generated_client::{ApiRequest, Error, GlobalParameters, Operation, types};
use reqwest::Method;
use support::{RecordedRequest, Reply, TestServer, client, client_builder};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const NOTEBOOKS_PATH: &str = "/applications/575ec8687ae143cd83dc4a97/notebooks";
const NOTEBOOK_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab";
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");
/// A collection page with no notebooks.
const EMPTY_PAGE: &str = r#"{"items":[],"count":0,"totalCount":0,"perPage":100,"page":0,"applicationId":"575ec8687ae143cd83dc4a97"}"#;

/// The fixture notebook with its `id` replaced by `id`.
fn notebook_with_id(id: &str) -> String {
    let mut notebook: serde_json::Value =
        serde_json::from_str(NOTEBOOK_JSON).expect("the fixture is JSON");
    notebook["id"] = serde_json::Value::from(id);
    notebook.to_string()
}

/// What the hand-built requests of these tests claim to be.
const TEST_OPERATION: &Operation = &Operation {
    resource: "test",
    action: "get",
    path: "/items/{ITEM}",
    authenticated: true,
};

/// Text that would change the path, query or fragment if sent unescaped.
const HOSTILE: &str = "a/../b?x=1#frag %2F";

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    NOTEBOOK_ID.parse().expect("valid notebook ID")
}

/// The query of `request` decoded into its pairs, in order.
fn query_pairs(request: &RecordedRequest) -> Vec<(String, String)> {
    let query = request.query.as_deref().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// The `InvalidInput` of `result`, or a panic showing what it was.
fn expect_invalid<T: std::fmt::Debug>(result: Result<T, Error>) -> generated_client::InvalidInput {
    match result {
        Err(Error::InvalidInput(invalid)) => invalid,
        other => panic!("expected Error::InvalidInput, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Query and header parameters of the generated API
// ---------------------------------------------------------------------------

#[tokio::test]
async fn hostile_filter_is_one_query_pair_and_leaves_the_path_alone() {
    let server = TestServer::start(vec![Reply::json(200, EMPTY_PAGE)]).await;

    client(&server)
        .notebooks()
        .get(&application_id())
        .filter(HOSTILE)
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, NOTEBOOKS_PATH);
    assert_eq!(
        request.query.as_deref(),
        Some("filter=a%2F..%2Fb%3Fx%3D1%23frag+%252F")
    );
    assert_eq!(
        query_pairs(&request),
        [("filter".to_owned(), HOSTILE.to_owned())]
    );
}

#[tokio::test]
async fn query_values_that_look_like_more_parameters_stay_one_value() {
    let values = [
        "x&page=99",
        "name=evil&_actions=true",
        "%26perPage%3D1",
        "+",
        "100%",
        "é ✓",
        "a\r\nb",
        "",
    ];
    for value in values {
        let server = TestServer::start(vec![Reply::json(200, EMPTY_PAGE)]).await;

        client(&server)
            .notebooks()
            .get(&application_id())
            .filter(value)
            .per_page(5)
            .await
            .unwrap();

        let request = server.single_request();
        assert_eq!(request.path, NOTEBOOKS_PATH, "{value:?}");
        assert_eq!(
            query_pairs(&request),
            [
                ("filter".to_owned(), value.to_owned()),
                ("perPage".to_owned(), "5".to_owned()),
            ],
            "{value:?}"
        );
    }
}

#[tokio::test]
async fn hostile_header_values_are_sent_verbatim_without_touching_the_path() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .losantdomain(HOSTILE)
        .accept_version("../admin?_links=true")
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, NOTEBOOK_PATH);
    assert_eq!(request.query, None);
    assert_eq!(request.header("losantdomain"), Some(HOSTILE));
    assert_eq!(
        request.header("accept-version"),
        Some("../admin?_links=true")
    );
}

#[tokio::test]
async fn header_values_that_would_add_headers_are_refused() {
    for value in ["x\r\nX-Injected: yes", "x\nX-Injected: yes", "x\ry", "x\0y"] {
        let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

        let result = client(&server)
            .notebook()
            .get(&application_id(), &notebook_id())
            .losantdomain(value)
            .await;

        assert_eq!(expect_invalid(result).field, "losantdomain", "{value:?}");
        assert_eq!(server.requests().len(), 0, "{value:?}");
    }
}

// ---------------------------------------------------------------------------
// Path segments
// ---------------------------------------------------------------------------

/// Segments and the exact text each must become in the path.
const SEGMENTS: &[(&str, &str)] = &[
    ("../admin", "..%2Fadmin"),
    ("a/b", "a%2Fb"),
    ("x?y=1", "x%3Fy%3D1"),
    ("#frag", "%23frag"),
    ("%2F", "%252F"),
    ("%2e%2e", "%252e%252e"),
    ("a b", "a%20b"),
    ("...", "..."),
    (".hidden", ".hidden"),
    ("a;b=c", "a%3Bb%3Dc"),
    ("x\r\nHost: evil", "x%0D%0AHost%3A%20evil"),
    ("\\..\\admin", "%5C..%5Cadmin"),
    ("é", "%C3%A9"),
    ("A-z_0.9~", "A-z_0.9~"),
];

#[tokio::test]
async fn each_segment_is_exactly_one_encoded_path_segment() {
    for (segment, encoded) in SEGMENTS {
        let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
        let mut request =
            ApiRequest::new(Method::GET, TEST_OPERATION, &["items", segment, "detail"]);
        request.query("q", Some("1"));

        let _: serde_json::Value = client(&server).send(request).await.unwrap();

        let received = server.single_request();
        assert_eq!(received.method, "GET", "{segment:?}");
        assert_eq!(
            received.path,
            format!("/items/{encoded}/detail"),
            "{segment:?}"
        );
        assert_eq!(received.query.as_deref(), Some("q=1"), "{segment:?}");
    }
}

#[tokio::test]
async fn segments_cannot_escape_a_base_path_prefix() {
    let server = TestServer::start(vec![Reply::json(200, "{}"), Reply::json(200, "{}")]).await;
    for base in [
        format!("{}/api/v1", server.url()),
        format!("{}/api/v1/", server.url()),
    ] {
        let client = client_builder(&base).build().unwrap();
        let request = ApiRequest::new(Method::DELETE, TEST_OPERATION, &["../../admin", "a/b"]);
        let _: serde_json::Value = client.send(request).await.unwrap();
    }

    for received in server.requests() {
        assert_eq!(received.method, "DELETE");
        assert_eq!(received.path, "/api/v1/..%2F..%2Fadmin/a%2Fb");
        assert_eq!(received.query, None);
    }
}

#[tokio::test]
async fn dot_and_empty_segments_are_refused_before_sending() {
    for (segments, field) in [
        (&["items", ".."][..], "path segment 2"),
        (&["..", "items"][..], "path segment 1"),
        (&["items", "."][..], "path segment 2"),
        (&["items", "", "x"][..], "path segment 2"),
    ] {
        let server = TestServer::start(vec![Reply::json(200, "{}")]).await;

        let result = client(&server)
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, segments))
            .await;

        let invalid = expect_invalid(result);
        assert_eq!(invalid.field, field, "{segments:?}");
        assert_eq!(server.requests().len(), 0, "{segments:?}");
    }
}

/// IDs decoded from a response are taken as sent, so a hostile server could
/// hand out an "ID" that is really a path. The generated operations check IDs
/// before use; with the checks off, the runtime still keeps the value inside
/// its one segment (or refuses it outright for `..`).
#[tokio::test]
async fn hostile_ids_from_a_response_cannot_redirect_a_request() {
    let server = TestServer::start(vec![
        Reply::json(200, notebook_with_id("../../admin")),
        Reply::json(200, notebook_with_id("..")),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let checking = client(&server);
    let trusting = client_builder(&server.url())
        .validate_requests(false)
        .build()
        .unwrap();

    let hostile = checking
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap()
        .id;
    let dots = checking
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap()
        .id;
    assert_eq!(hostile.as_str(), "../../admin");

    // Checked: refused by its pattern, naming the path component.
    let result = checking
        .notebook()
        .delete(&application_id(), &hostile)
        .await;
    assert_eq!(expect_invalid(result).field, "NOTEBOOK_ID");
    // Unchecked `..`: refused by the runtime, never normalised away.
    let result = trusting.notebook().delete(&application_id(), &dots).await;
    assert_eq!(expect_invalid(result).field, "path segment 4");
    // Unchecked `../../admin`: sent, but as one encoded segment.
    trusting
        .notebook()
        .get(&application_id(), &hostile)
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert_eq!(requests[2].method, "GET");
    assert_eq!(
        requests[2].path,
        format!("{NOTEBOOKS_PATH}/..%2F..%2Fadmin")
    );
}
