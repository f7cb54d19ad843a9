//! Fault injection: a local server that misbehaves (error pages, broken or
//! mislabelled bodies, slowness, dropped connections, huge bodies, rate
//! limiting, outages) and the generated operations that must turn each case
//! into the right `Error` variant, or into success after the right number of
//! attempts as counted by the server, without panicking.

mod support;

use std::time::Duration;

use generated_client::{Error, RequestOptions, RetryPolicy, types};
use support::{
    RawServer, Reply, TestServer, client, client_builder, closed_port_url, quick_retries,
    raw_response,
};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const NOTEBOOK_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab";
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");
const EXECUTE_OK: &str = r#"{"success":true,"executionId":"632e18632f59592e773a4153"}"#;

/// The client timeout of the tests that provoke one: short, so they finish
/// quickly, and far below the server's delay, so they cannot pass by luck.
const TIMEOUT: Duration = Duration::from_millis(200);
/// How long a "slow" server waits before answering.
const SLOW: Duration = Duration::from_secs(5);

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    NOTEBOOK_ID.parse().expect("valid notebook ID")
}

/// A client for the server at `url` that retries up to `attempts` times in
/// total.
fn retrying_client(url: &str, attempts: u32) -> generated_client::Client {
    client_builder(url)
        .retry(quick_retries(attempts))
        .build()
        .expect("client")
}

/// `GET` of the notebook: an idempotent operation.
async fn get_notebook(client: &generated_client::Client) -> Result<types::Notebook, Error> {
    client
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
}

/// `POST .../execute`: an operation the server may act on, so not
/// idempotent.
async fn execute_notebook(
    client: &generated_client::Client,
) -> Result<types::SuccessWithExecutionId, Error> {
    client
        .notebook()
        .execute(
            &application_id(),
            &notebook_id(),
            types::NotebookExecutionOptions::default(),
        )
        .await
}

/// The `Error::Decode` parts of `result`, or a panic showing what it was.
fn expect_decode<T: std::fmt::Debug>(
    result: Result<T, Error>,
) -> (reqwest::StatusCode, String, serde_json::Error) {
    match result {
        Err(Error::Decode {
            status,
            snippet,
            source,
            ..
        }) => (status, snippet, source),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// The `ApiError` of `result`, or a panic showing what it was.
fn expect_api<T: std::fmt::Debug>(result: Result<T, Error>) -> generated_client::ApiError {
    match result {
        Err(Error::Api(api)) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Asserts that every request the server received is the same notebook
/// `GET`, i.e. a retry resends the request unchanged.
fn assert_all_get_notebook(server: &TestServer, expected: usize) {
    let requests = server.requests();
    assert_eq!(requests.len(), expected, "{requests:#?}");
    for request in requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, NOTEBOOK_PATH);
        assert_eq!(request.query, None);
        assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    }
}

// ---------------------------------------------------------------------------
// Bodies that are not what they claim
// ---------------------------------------------------------------------------

#[tokio::test]
async fn html_error_page_is_an_api_error_holding_the_page_start() {
    let page = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\
                <body><h1>Internal Server Error</h1></body></html>";
    let server = TestServer::start(vec![Reply::new(500, "text/html", page)]).await;
    // 500 is not a status worth retrying, even for a GET.
    let client = retrying_client(&server.url(), 3);

    let result = get_notebook(&client).await;

    let api = expect_api(result);
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.kind, None);
    assert_eq!(api.message, None);
    assert!(api.body.starts_with("<!DOCTYPE html>\n<html>"), "{api:?}");
    assert_eq!(api.body, page);
    // Display stays on one line and shows the start of the page.
    let text = Error::Api(api).to_string();
    assert!(
        text.starts_with("HTTP 500 Internal Server Error: <!DOCTYPE html> <html>"),
        "{text}"
    );
    assert!(!text.contains('\n'), "{text}");
    assert_all_get_notebook(&server, 1);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_a_snippet() {
    let body = r#"{"id":"575ed78e7ae143cd83dc4aab","name":"Cold Sto"#;
    let server = TestServer::start(vec![Reply::json(200, body)]).await;

    let result = get_notebook(&client(&server)).await;

    let (status, snippet, source) = expect_decode(result);
    assert_eq!(status.as_u16(), 200);
    assert_eq!(snippet, body);
    assert!(source.is_eof(), "{source}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn html_body_labelled_text_html_on_a_200_is_a_decode_error() {
    let page = "<html><body>Welcome to the captive portal</body></html>";
    let server = TestServer::start(vec![Reply::new(200, "text/html", page)]).await;

    let result = get_notebook(&client(&server)).await;

    let error = result.expect_err("an HTML page is not a notebook");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let text = error.to_string();
    assert!(
        text == "cannot decode the response body (HTTP 200 OK)",
        "{text}"
    );
    let (_, snippet, source) = expect_decode(Err::<(), _>(error));
    assert_eq!(snippet, page);
    assert!(source.is_syntax(), "{source}");
}

/// The client decodes a 2xx body by what it is, not by its label: valid JSON
/// of the documented shape sent as `text/plain` (as some proxies and older
/// servers do) is decoded like `application/json`. A body that is not JSON
/// fails as `Error::Decode` whatever its label says, so nothing is lost by
/// not trusting the header, and a mislabelled but correct answer still works.
#[tokio::test]
async fn valid_json_labelled_text_plain_is_decoded() {
    let server = TestServer::start(vec![Reply::new(
        200,
        "text/plain; charset=utf-8",
        r#"{"id":"575ed78e7ae143cd83dc4aab","notebookId":"575ed78e7ae143cd83dc4aab","applicationId":"575ec8687ae143cd83dc4a97","creationDate":"2024-09-03T14:22:41.318Z","lastUpdated":"2024-11-18T08:05:12.907Z","name":"Plain"}"#,
    )])
    .await;

    let notebook = get_notebook(&client(&server)).await.unwrap();

    assert_eq!(notebook.name, "Plain");
    assert_is_the_notebook(&notebook);
}

#[tokio::test]
async fn empty_body_for_an_object_response_is_a_decode_error() {
    let server = TestServer::start(vec![Reply::json(200, "")]).await;

    let result = get_notebook(&client(&server)).await;

    let (status, snippet, source) = expect_decode(result);
    assert_eq!(status.as_u16(), 200);
    assert_eq!(snippet, "");
    assert!(source.is_data(), "{source}");
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_decode_error() {
    for body in [
        "null",
        "42",
        r#"{"name": 5}"#,
        r#"{"inputs": {"inputType": "deviceData"}}"#,
        r#"{"creationDate": "yesterday"}"#,
    ] {
        let server = TestServer::start(vec![Reply::json(200, body)]).await;

        let (status, snippet, _) = expect_decode(get_notebook(&client(&server)).await);

        assert_eq!(status.as_u16(), 200, "{body}");
        assert_eq!(snippet, body);
    }
}

#[tokio::test]
async fn invalid_utf8_body_is_a_decode_error_with_a_readable_snippet() {
    let server = TestServer::start(vec![Reply::new(
        200,
        "application/json",
        &b"{\"name\":\"caf\xe9\"}"[..],
    )])
    .await;

    let (status, snippet, _) = expect_decode(get_notebook(&client(&server)).await);

    assert_eq!(status.as_u16(), 200);
    assert_eq!(snippet, "{\"name\":\"caf\u{fffd}\"}");
}

#[tokio::test]
async fn huge_error_body_is_kept_to_a_bounded_snippet() {
    let mut body = b"<html><body><pre>".to_vec();
    body.resize(10 * 1024 * 1024, b'x');
    let server = TestServer::start(vec![Reply::new(502, "text/html", body)]).await;

    // A POST, so the 502 is not retried and one huge body is sent.
    let result = execute_notebook(&client(&server)).await;

    let api = expect_api(result);
    assert_eq!(api.status.as_u16(), 502);
    assert!(
        api.body.len() <= 4096,
        "body kept: {} bytes",
        api.body.len()
    );
    assert!(
        api.body.starts_with("<html><body><pre>xxx"),
        "{:?}",
        &api.body[..40]
    );
    let text = Error::Api(api).to_string();
    assert!(text.len() < 300, "Display is {} bytes", text.len());
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// Slow servers and broken connections
// ---------------------------------------------------------------------------

#[tokio::test]
async fn server_slower_than_the_timeout_is_a_timeout_error() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON).delayed(SLOW)]).await;
    let client = client_builder(&server.url())
        .timeout(TIMEOUT)
        .build()
        .unwrap();

    let error = get_notebook(&client)
        .await
        .expect_err("the server is too slow");

    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!error.is_connect(), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_brought_http_client_keeps_its_timeout_and_a_chosen_one_wins() {
    let server = TestServer::start(vec![
        Reply::json(200, NOTEBOOK_JSON).delayed(SLOW),
        Reply::json(200, NOTEBOOK_JSON).delayed(SLOW),
    ])
    .await;
    // The brought client's own timeout applies: none is added over it.
    let short = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .expect("reqwest client");
    let client = client_builder(&server.url())
        .http_client(short)
        .build()
        .expect("client");
    let error = get_notebook(&client).await.expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");

    // A timeout chosen on the builder is set on each request and wins over
    // the brought client's (none here).
    let client = client_builder(&server.url())
        .http_client(reqwest::Client::new())
        .timeout(TIMEOUT)
        .build()
        .expect("client");
    let error = get_notebook(&client).await.expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn timeout_is_retried_for_get_but_not_for_post() {
    let slow = || Reply::json(200, NOTEBOOK_JSON).delayed(SLOW);

    let server = TestServer::start(vec![slow(), slow()]).await;
    let client = client_builder(&server.url())
        .timeout(TIMEOUT)
        .retry(quick_retries(2))
        .build()
        .unwrap();
    let error = get_notebook(&client)
        .await
        .expect_err("every attempt is too slow");
    assert!(error.is_timeout(), "{error:?}");
    assert_all_get_notebook(&server, 2);

    let server = TestServer::start(vec![slow(), Reply::json(200, EXECUTE_OK)]).await;
    let client = client_builder(&server.url())
        .timeout(TIMEOUT)
        .retry(quick_retries(3))
        .build()
        .unwrap();
    let error = execute_notebook(&client)
        .await
        .expect_err("the server may have started the execution");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

/// Asserts that `notebook` is the one of the fixture.
fn assert_is_the_notebook(notebook: &types::Notebook) {
    assert_eq!(notebook.id.as_str(), NOTEBOOK_ID);
}

/// A 200 head announcing 1000 bytes, then the start of a notebook.
fn cut_notebook() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\
      Connection: close\r\n\r\n{\"id\":\"575ed78e7ae143cd83dc4aab\",\"name\":\"Cold"
        .to_vec()
}

/// A complete 200 response with `body`.
fn ok_json(body: &str) -> Vec<u8> {
    raw_response(
        "200 OK",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

#[tokio::test]
async fn connection_closed_mid_body_is_retried_for_get() {
    let server = RawServer::start(vec![cut_notebook(), ok_json(NOTEBOOK_JSON)]).await;
    let client = retrying_client(&server.url(), 3);

    let notebook = get_notebook(&client).await.unwrap();

    assert_is_the_notebook(&notebook);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_body_cut_by_a_connection_reset_is_retried_for_get_and_delete() {
    let server = RawServer::start_resetting(vec![cut_notebook(), ok_json(NOTEBOOK_JSON)], 1).await;
    let client = retrying_client(&server.url(), 3);
    let notebook = get_notebook(&client).await.unwrap();
    assert_is_the_notebook(&notebook);
    assert_all_get_notebook_raw(&server.requests(), "GET", 2);

    let server =
        RawServer::start_resetting(vec![cut_notebook(), ok_json(r#"{"success":true}"#)], 1).await;
    let client = retrying_client(&server.url(), 3);
    let deleted = client
        .notebook()
        .delete(&application_id(), &notebook_id())
        .await
        .unwrap();
    assert_eq!(deleted.success, Some(true));
    assert_all_get_notebook_raw(&server.requests(), "DELETE", 2);
}

/// Asserts that `requests` are `expected` requests of `method` to the
/// notebook.
fn assert_all_get_notebook_raw(
    requests: &[support::RecordedRequest],
    method: &str,
    expected: usize,
) {
    assert_eq!(requests.len(), expected, "{requests:#?}");
    for request in requests {
        assert_eq!(request.method, method);
        assert_eq!(request.path, NOTEBOOK_PATH);
    }
}

#[tokio::test]
async fn a_post_whose_body_is_cut_is_not_retried() {
    let server = RawServer::start_resetting(vec![cut_notebook(), ok_json(EXECUTE_OK)], 1).await;
    let client = retrying_client(&server.url(), 3);

    let error = execute_notebook(&client)
        .await
        .expect_err("the server may have started the execution");

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the connection failed while reading the response body"
    );
    // Worth another try for the caller who knows it is safe.
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn body_that_stops_arriving_after_the_head_times_out() {
    // The head and the start of the body arrive at once, then nothing.
    let stalled =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na"
            .to_vec();
    let server = RawServer::start_stalling(vec![stalled.clone(), stalled], SLOW).await;
    let client = client_builder(&server.url())
        .timeout(TIMEOUT)
        .retry(quick_retries(2))
        .build()
        .unwrap();

    let error = get_notebook(&client)
        .await
        .expect_err("the body never ends");

    // The timeout covers reading the body, not only waiting for the head,
    // and a GET that timed out there is tried again like any other.
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let garbage = || b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff not http at all".to_vec();
    let server = RawServer::start(vec![garbage(), garbage()]).await;
    let client = retrying_client(&server.url(), 2);

    let error = get_notebook(&client)
        .await
        .expect_err("not an HTTP response");

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!error.is_connect(), "{error:?}");
    assert_eq!(error.status(), None);
    // No response head was read, so the GET was tried again.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connection_dropped_before_the_response_is_retried_for_get_only() {
    let ok = raw_response(
        "200 OK",
        &[("Content-Type", "application/json")],
        NOTEBOOK_JSON.as_bytes(),
    );

    // An empty reply: the server reads the request and hangs up.
    let server = RawServer::start(vec![Vec::new(), ok.clone()]).await;
    let client = retrying_client(&server.url(), 3);
    let notebook = get_notebook(&client).await.unwrap();
    assert_is_the_notebook(&notebook);
    assert_eq!(server.requests().len(), 2);

    let server = RawServer::start(vec![Vec::new(), ok]).await;
    let client = retrying_client(&server.url(), 3);
    let error = execute_notebook(&client)
        .await
        .expect_err("the server may have acted on the POST");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!error.is_connect(), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn post_to_a_port_nobody_listens_on_is_a_connect_error() {
    // Connect errors are retried even for a POST (nothing was sent), and
    // still end as a connect error once the attempts run out.
    let client = client_builder(&closed_port_url())
        .retry(quick_retries(2))
        .build()
        .unwrap();

    let error = execute_notebook(&client)
        .await
        .expect_err("nothing listens there");

    assert!(error.is_connect(), "{error:?}");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!error.is_timeout(), "{error:?}");
    assert_eq!(error.status(), None);
}

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

#[tokio::test]
async fn rate_limited_with_retry_after_zero_succeeds_on_the_second_attempt() {
    let server = TestServer::start(vec![
        Reply::json(429, r#"{"type":"TooManyRequests","message":"slow down"}"#)
            .with_header("Retry-After", "0"),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    // The backoff alone would wait up to 30 s; `Retry-After: 0` says retry
    // now, and the guard below fails the test if that was not honoured.
    let client = client_builder(&server.url())
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_secs(30))
                .max_backoff(Duration::from_secs(30)),
        )
        .build()
        .unwrap();

    let notebook = tokio::time::timeout(Duration::from_secs(20), get_notebook(&client))
        .await
        .expect("`Retry-After: 0` was not honoured")
        .unwrap();

    assert!(!notebook.name.is_empty());
    assert_all_get_notebook(&server, 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_maximum_backoff_ends_at_once_with_the_wait() {
    let server = TestServer::start(vec![
        Reply::json(503, r#"{"type":"Unavailable","message":"maintenance"}"#)
            .with_header("Retry-After", "120"),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let client = client_builder(&server.url())
        .retry(quick_retries(3).max_backoff(Duration::from_secs(60)))
        .build()
        .unwrap();

    let error = get_notebook(&client)
        .await
        .expect_err("the server asked for two minutes");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(error.is_retryable());
    // Not retried early: one request, the 200 is still queued.
    assert_all_get_notebook(&server, 1);
}

#[tokio::test]
async fn a_retry_after_within_the_maximum_backoff_is_waited_for() {
    let server = TestServer::start(vec![
        Reply::json(503, "{}").with_header("Retry-After", "0"),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    // Zero backoff allowed: only a `Retry-After` of 0 fits.
    let client = client_builder(&server.url())
        .retry(quick_retries(3).max_backoff(Duration::ZERO))
        .build()
        .unwrap();

    get_notebook(&client).await.unwrap();

    assert_all_get_notebook(&server, 2);
}

#[tokio::test]
async fn rate_limited_post_is_not_retried() {
    let server = TestServer::start(vec![
        Reply::json(429, r#"{"type":"TooManyRequests","message":"slow down"}"#)
            .with_header("Retry-After", "0"),
        Reply::json(200, EXECUTE_OK),
    ])
    .await;
    let client = retrying_client(&server.url(), 3);

    // The POST reached the server: the client cannot prove it was not
    // acted on, so it reports the 429 rather than sending it again.
    let error = execute_notebook(&client).await.unwrap_err();
    // Worth retrying, but not by the client on its own: the method decides.
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    assert_eq!(
        error.kind(),
        Some(&generated_client::ErrorKind::Other(
            "TooManyRequests".into()
        ))
    );
    let api = expect_api(Err::<(), _>(error));

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(
        api.kind.as_ref().map(generated_client::ErrorKind::as_str),
        Some("TooManyRequests")
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn unavailable_twice_then_ok_takes_three_attempts_on_get() {
    let server = TestServer::start(vec![
        Reply::json(
            503,
            r#"{"type":"ServiceUnavailable","message":"try again"}"#,
        ),
        Reply::new(503, "text/html", "<html>maintenance</html>"),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;

    let notebook = get_notebook(&retrying_client(&server.url(), 3))
        .await
        .unwrap();

    assert_is_the_notebook(&notebook);
    assert_all_get_notebook(&server, 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = TestServer::start(vec![
        Reply::json(503, r#"{"type":"Unavailable","message":"first"}"#),
        Reply::json(503, r#"{"type":"Unavailable","message":"second"}"#),
        Reply::json(503, r#"{"type":"Unavailable","message":"third"}"#),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;

    let api = expect_api(get_notebook(&retrying_client(&server.url(), 3)).await);

    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.message.as_deref(), Some("third"));
    assert_all_get_notebook(&server, 3);
}

#[tokio::test]
async fn unavailable_on_execute_is_not_retried() {
    let server = TestServer::start(vec![
        Reply::json(503, r#"{"type":"ServiceUnavailable","message":"busy"}"#),
        Reply::json(200, EXECUTE_OK),
    ])
    .await;

    let api = expect_api(execute_notebook(&retrying_client(&server.url(), 3)).await);

    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(
        api.kind.as_ref().map(generated_client::ErrorKind::as_str),
        Some("ServiceUnavailable")
    );
    assert_eq!(api.message.as_deref(), Some("busy"));
    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{NOTEBOOK_PATH}/execute"));
}

#[tokio::test]
async fn retries_turned_off_mean_one_attempt_on_unavailable() {
    let server = TestServer::start(vec![
        Reply::json(503, r#"{"type":"ServiceUnavailable","message":"busy"}"#),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let client = client_builder(&server.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(client.retry_policy(), &RetryPolicy::none());

    let api = expect_api(get_notebook(&client).await);

    assert_eq!(api.status.as_u16(), 503);
    assert_all_get_notebook(&server, 1);
}

// ---------------------------------------------------------------------------
// Per-request options
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_request_timeout_overrides_the_clients() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON).delayed(SLOW)]).await;
    // The client's own timeout (60 s) would wait for the slow reply.
    let client = client(&server);

    let error = client
        .notebook()
        .get(&application_id(), &notebook_id())
        .with_timeout(TIMEOUT)
        .await
        .expect_err("slower than the request's timeout");

    assert!(error.is_timeout(), "{error:?}");
    assert_all_get_notebook(&server, 1);
}

#[tokio::test]
async fn a_request_retry_policy_overrides_the_clients() {
    let unavailable = || Reply::json(503, r#"{"type":"Unavailable","message":"busy"}"#);
    let server = TestServer::start(vec![unavailable(), Reply::json(200, NOTEBOOK_JSON)]).await;
    // A client that never retries, a request that may.
    let notebook = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .with_retry(quick_retries(2))
        .await
        .unwrap();
    assert_is_the_notebook(&notebook);
    assert_all_get_notebook(&server, 2);

    // A client that retries, a request that may not.
    let server = TestServer::start(vec![unavailable(), Reply::json(200, NOTEBOOK_JSON)]).await;
    let error = retrying_client(&server.url(), 3)
        .notebook()
        .get(&application_id(), &notebook_id())
        .with_retry(RetryPolicy::none())
        .await
        .expect_err("not retried");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_all_get_notebook(&server, 1);
}

#[tokio::test]
async fn extra_headers_are_sent_and_win_over_the_clients() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .with_header("x-correlation-id", "job-42")
        .with_header("accept-version", "^1.40.0")
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.header_values("x-correlation-id"), ["job-42"]);
    assert_eq!(request.header_values("accept-version"), ["^1.40.0"]);
    assert_eq!(request.header("authorization"), Some("Bearer test-token"));
}

#[tokio::test]
async fn an_extra_header_that_cannot_be_sent_fails_before_sending() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let error = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .with_header("x-note", "line\nbreak")
        .await
        .expect_err("a newline cannot be sent");

    assert_eq!(
        error.to_string(),
        "invalid x-note: contains characters not allowed in an HTTP header"
    );
    assert!(server.requests().is_empty());
}
