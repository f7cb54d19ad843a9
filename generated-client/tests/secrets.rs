//! The API token stays secret: it goes to the server in the `Authorization`
//! header and nowhere else: not in the `Debug` of the client, its builder
//! or a request builder, not in the `Display` or `Debug` of any error (even
//! when a server echoes it back), and not in any log event.
//!
//! Every test starts by calling [`captured_logs`], which installs, once for
//! the whole test binary, a global `tracing` subscriber recording every event
//! at `TRACE` level from every crate. Installing it before any test sends a
//! request means no event callsite is registered before the subscriber
//! exists, so none can be cached as uninteresting; and the log checked at the
//! end then covers the requests of every test in this file.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use generated_client::{Client, ClientBuilder, Error, types};
use support::{Reply, TestServer, closed_port_url, quick_retries};

const TOKEN: &str = "tok-SECRET-123";
const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    NOTEBOOK_ID.parse().expect("valid notebook ID")
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder(TOKEN)
        .base_url(base_url)
        .retry(generated_client::RetryPolicy::none())
}

fn secret_client(base_url: &str) -> Client {
    builder(base_url).build().expect("client")
}

async fn get_notebook(client: &Client) -> Result<types::Notebook, Error> {
    client
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
}

/// Asserts that no rendering of `error` — `Display`, `Debug`, pretty
/// `Debug`, and the `Display` of every error in its source chain — holds
/// the token.
fn assert_error_hides_token(error: &Error) {
    let mut text = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
    assert!(!text.contains("SECRET"), "part of the token leaked: {text}");
}

/// Asserts that the server saw the token exactly where it belongs.
fn assert_authorized(server: &TestServer) {
    for request in server.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
}

#[test]
fn debug_of_the_client_and_its_builder_hides_the_token() {
    captured_logs();
    let builder = builder("http://127.0.0.1:9")
        .timeout(Duration::from_millis(300))
        .user_agent("secrets-test/1");
    let text = format!("{builder:?} {builder:#?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("secrets-test/1"), "{text}");

    let client = builder.build().unwrap();
    let text = format!("{client:?} {client:#?} {:?}", client.clone());
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("127.0.0.1:9"), "{text}");

    // Request builders hold the client; their `Debug` shows it, not the token.
    let request = client.notebook().get(&application_id(), &notebook_id());
    let text = format!("{request:?} {:?}", client.notebook());
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains(NOTEBOOK_ID), "{text}");
}

#[tokio::test]
async fn api_error_echoing_the_token_hides_it() {
    captured_logs();
    // A server that echoes the request's headers into its error bodies.
    let echo = format!("authorization: Bearer {TOKEN}");
    let server = TestServer::start(vec![
        Reply::json(
            401,
            serde_json::json!({"type": format!("Unauthorized {TOKEN}"), "message": echo})
                .to_string(),
        )
        .with_header("x-echo", &echo),
        Reply::new(500, "text/html", format!("<html><pre>{echo}</pre></html>")),
    ])
    .await;
    let client = secret_client(&server.url());

    let json_error = get_notebook(&client).await.unwrap_err();
    let html_error = get_notebook(&client).await.unwrap_err();

    for error in [&json_error, &html_error] {
        assert_error_hides_token(error);
        let api = error.api_error().expect("an API error");
        let kind = api.kind.as_ref().map(|kind| kind.as_str().to_owned());
        for field in [&api.body, &kind.unwrap_or_default()] {
            assert!(!field.contains(TOKEN), "{field}");
        }
    }
    let api = json_error.api_error().unwrap();
    assert_eq!(api.status.as_u16(), 401);
    // The error keeps the response headers, but not the echoed token.
    assert_eq!(api.headers()["x-echo"], "<redacted>");
    assert_eq!(
        json_error.headers().map(|h| h.len()),
        Some(api.headers().len())
    );
    assert_eq!(
        api.message.as_deref(),
        Some("authorization: Bearer <redacted>")
    );
    assert_eq!(
        api.kind.as_ref().map(generated_client::ErrorKind::as_str),
        Some("Unauthorized <redacted>")
    );
    assert_eq!(
        html_error.api_error().unwrap().body,
        "<html><pre>authorization: Bearer <redacted></pre></html>"
    );
    assert_authorized(&server);
}

#[tokio::test]
async fn decode_error_echoing_the_token_hides_it() {
    captured_logs();
    let server = TestServer::start(vec![Reply::new(
        200,
        "text/plain",
        format!("you sent Bearer {TOKEN}, which is fine"),
    )])
    .await;

    let error = get_notebook(&secret_client(&server.url()))
        .await
        .unwrap_err();

    assert_error_hides_token(&error);
    match &error {
        Error::Decode { snippet, .. } => {
            assert_eq!(snippet, "you sent Bearer <redacted>, which is fine");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_authorized(&server);
}

#[tokio::test]
async fn transport_errors_hide_the_token() {
    captured_logs();
    let error = get_notebook(&secret_client(&closed_port_url()))
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_error_hides_token(&error);

    let server = TestServer::start(vec![
        Reply::json(200, NOTEBOOK_JSON).delayed(Duration::from_secs(5)),
    ])
    .await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = get_notebook(&client).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_error_hides_token(&error);
    assert_authorized(&server);
}

#[tokio::test]
async fn invalid_input_errors_hide_the_token() {
    captured_logs();
    let server = TestServer::start(Vec::new()).await;
    let client = secret_client(&server.url());
    let patch = types::NotebookPatch {
        name: Some(String::new()),
        ..Default::default()
    };

    let mut errors = vec![
        client
            .notebook()
            .patch(&application_id(), &notebook_id(), patch)
            .await
            .unwrap_err(),
        // A header value that cannot be sent.
        generated_client::GlobalParameters::losantdomain(
            client.notebook().get(&application_id(), &notebook_id()),
            "a\r\nb",
        )
        .await
        .unwrap_err(),
        // The token itself cannot be sent: the error names it, not its value.
        Client::builder(format!("{TOKEN}\n")).build().unwrap_err(),
        Client::builder(format!("{TOKEN}\u{7f}"))
            .build()
            .unwrap_err(),
    ];
    // A base URL carrying credentials is refused without repeating them.
    errors.push(
        Client::builder("t")
            .base_url(format!("http://user:{TOKEN}@127.0.0.1:9"))
            .build()
            .unwrap_err(),
    );

    for error in &errors {
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert_error_hides_token(error);
    }
    assert_eq!(server.requests().len(), 0);
}

/// Every log event of this test binary, formatted as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

/// The log of this test binary, capturing from the first call on.
fn captured_logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let sink = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || sink.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other subscriber in this test binary");
        captured
    })
}

impl Captured {
    fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_level_logs_never_show_the_token_or_the_authorization_header() {
    let captured = captured_logs();
    let server = TestServer::start(vec![
        Reply::json(
            503,
            format!(r#"{{"type":"Unavailable","message":"{TOKEN}"}}"#),
        ),
        Reply::json(200, NOTEBOOK_JSON),
        Reply::json(
            404,
            format!(r#"{{"type":"NotFound","message":"no notebook for {TOKEN}"}}"#),
        ),
    ])
    .await;
    let client = builder(&server.url())
        .retry(quick_retries(2))
        .build()
        .unwrap();

    get_notebook(&client).await.unwrap();
    let error = get_notebook(&client).await.unwrap_err();
    assert_error_hides_token(&error);
    // What an application would log: the client and the error, both ways.
    tracing::info!(client = ?client, "client in use");
    tracing::warn!(error = %error, details = ?error, "request failed");

    let logs = captured.text();
    // The capture works: the client's events of this test are there, and
    // those of the connection pool underneath, at TRACE level.
    assert!(logs.contains("response received"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    // Each operation has a span naming it, with its path template (no
    // IDs), the attempt number and the status once known.
    let span = r#"request{resource="notebook" action="get" method=GET path="/applications/{APPLICATION_ID}/notebooks/{NOTEBOOK_ID}""#;
    assert!(
        logs.contains(&format!("{span} attempt=1 status=503}}")),
        "{logs}"
    );
    // (The fmt subscriber shows a re-recorded field again, at the end.)
    let retried = "attempt=2 status=200}: generated_client::request: response received";
    assert!(logs.contains(retried), "{logs}");
    assert!(
        logs.contains(&format!("{span} attempt=1 status=404}}")),
        "{logs}"
    );
    assert!(logs.contains(" TRACE "), "{logs}");
    assert!(logs.contains("client in use"), "{logs}");
    assert!(logs.contains("no notebook for <redacted>"), "{logs}");
    assert!(!logs.contains(TOKEN), "the token is in the logs: {logs}");
    assert!(
        !logs.contains("SECRET"),
        "part of the token is in the logs: {logs}"
    );
    assert!(
        !logs.to_ascii_lowercase().contains("authorization"),
        "the Authorization header is in the logs: {logs}"
    );
    assert_eq!(server.requests().len(), 3);
    assert_authorized(&server);
}

#[tokio::test]
async fn the_server_receives_exactly_the_bearer_token() {
    captured_logs();
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    get_notebook(&secret_client(&server.url())).await.unwrap();

    let request = server.single_request();
    assert_eq!(
        request.header_values("authorization"),
        ["Bearer tok-SECRET-123"]
    );
    // Nowhere else in the request.
    for (name, value) in &request.headers {
        if name != "authorization" {
            assert!(!value.contains(TOKEN), "{name}: {value}");
        }
    }
    assert!(!request.path.contains(TOKEN));
    assert_eq!(request.query, None);
    assert!(request.body.is_empty());
}
