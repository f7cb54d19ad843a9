//! `Client::from_env` reads the token and the base URL from the environment.
//!
//! One test in its own test binary: it changes the process environment,
//! which no other test may read at the same time (building an HTTP client
//! reads the proxy variables).

mod support;

use generated_client::{Client, ClientBuilder, Error, types};
use support::{Reply, TestServer};

const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");

/// Sets or removes an environment variable.
fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary's only test is the only thread that reads or
    // writes the environment while it runs (the server task below runs on
    // the test's own current-thread runtime).
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[tokio::test]
async fn from_env_reads_the_token_and_the_base_url() {
    assert_eq!(ClientBuilder::TOKEN_VAR, "WEGNOLOGY_API_TOKEN");
    assert_eq!(ClientBuilder::BASE_URL_VAR, "WEGNOLOGY_API_URL");
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;
    set(ClientBuilder::TOKEN_VAR, Some("env-token-1"));
    set(
        ClientBuilder::BASE_URL_VAR,
        Some(&format!("{}/prefix", server.url())),
    );

    let client = Client::from_env().expect("a client from the environment");
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse().unwrap();
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse().unwrap();
    client
        .notebook()
        .get(&application_id, &notebook_id)
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.header("authorization"), Some("Bearer env-token-1"));
    assert_eq!(
        request.path,
        "/prefix/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab"
    );

    // Without the URL variable, the default base URL.
    set(ClientBuilder::BASE_URL_VAR, None);
    let client = Client::builder_from_env().unwrap().build().unwrap();
    assert_eq!(
        client.base_url().as_str().trim_end_matches('/'),
        generated_client::DEFAULT_BASE_URL
    );

    // Without the token, an error naming the variable.
    set(ClientBuilder::TOKEN_VAR, None);
    match Client::from_env() {
        Err(Error::InvalidInput(invalid)) => {
            assert_eq!(invalid.field, "WEGNOLOGY_API_TOKEN");
            assert_eq!(invalid.reason, "is not set");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}
