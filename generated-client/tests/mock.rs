//! The `mock` feature's server, used as a user's test would use it: say
//! what an operation answers, call the client, assert what was called.

use generated_client::mock::MockServer;
use generated_client::{Error, types};

fn ids() -> (types::ApplicationId, types::NotebookId) {
    (
        "575ec8687ae143cd83dc4a97"
            .parse()
            .expect("an application ID"),
        "575ed78e7ae143cd83dc4aab".parse().expect("a notebook ID"),
    )
}

fn notebook(
    application_id: &types::ApplicationId,
    notebook_id: &types::NotebookId,
) -> types::Notebook {
    let at = "2016-06-13T04:00:00Z".parse().expect("a time");
    types::Notebook::new(
        notebook_id.clone(),
        notebook_id.clone(),
        application_id.clone(),
        at,
        at,
        "My Notebook",
    )
}

#[tokio::test]
async fn an_operation_answers_its_typed_value_and_counts_its_calls() {
    let server = MockServer::start().await;
    let (application_id, notebook_id) = ids();
    let answered = notebook(&application_id, &notebook_id);
    let mock = server
        .notebook()
        .get(&application_id, &notebook_id)
        .respond(&answered)
        .await;

    let client = server.client();
    let notebook = client
        .notebook()
        .get(&application_id, &notebook_id)
        .await
        .expect("the mocked answer");
    assert_eq!(notebook, answered);
    assert_eq!(mock.calls().await, 1);
    let requests = mock.requests().await;
    assert_eq!(
        requests[0].url.path(),
        "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab"
    );
    assert_eq!(
        requests[0]
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer mock-token")
    );
}

#[tokio::test]
async fn an_error_answer_and_an_unmocked_call_are_api_errors() {
    let server = MockServer::start().await;
    let (application_id, notebook_id) = ids();
    let _mock = server
        .notebook()
        .delete(&application_id, &notebook_id)
        .respond_with(
            403,
            serde_json::json!({"type": "Unauthorized", "message": "not yours"}),
        )
        .await;
    let client = server.client();
    match client
        .notebook()
        .delete(&application_id, &notebook_id)
        .await
    {
        Err(Error::Api(error)) => {
            assert_eq!(error.status.as_u16(), 403);
            assert_eq!(error.message.as_deref(), Some("not yours"));
        }
        other => panic!("expected the mocked error, got {other:?}"),
    }
    // Nothing answers `get`: the server says 404.
    match client.notebook().get(&application_id, &notebook_id).await {
        Err(Error::Api(error)) => assert_eq!(error.status.as_u16(), 404),
        other => panic!("expected a 404, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.len(), 2);
}

#[tokio::test]
async fn a_post_mock_sees_the_body_the_client_sent() {
    let server = MockServer::start().await;
    let (application_id, _) = ids();
    let created = notebook(&application_id, &ids().1);
    let mock = server
        .notebooks()
        .post(&application_id)
        .respond(&created)
        .await;
    let body = types::NotebookPost::new("My New Notebook", types::ImageVersion::V4);
    server
        .client()
        .notebooks()
        .post(&application_id, body)
        .await
        .expect("the mocked answer");
    let sent: serde_json::Value =
        serde_json::from_slice(&mock.requests().await[0].body).expect("JSON");
    assert_eq!(sent["name"], "My New Notebook");
}

/// A server-sent event stream mocked with typed events: the client's
/// stream yields them in order, an event the spec does not list included,
/// and ends when the mocked connection closes.
#[tokio::test]
async fn a_mocked_event_stream_yields_its_events_and_ends() {
    use futures_util::TryStreamExt as _;
    use generated_client::device::DeviceStateStreamEvent;

    let server = MockServer::start().await;
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97"
        .parse()
        .expect("an application ID");
    let device_id: types::DeviceId = "575ecf887ae143cd83dc4aa2".parse().expect("a device ID");
    let mut data = types::DeviceStateData::default();
    data.extra.insert(
        "temperature".to_owned(),
        types::StringNumberOrBoolean::Number(-18.5),
    );
    let events = vec![
        DeviceStateStreamEvent::DeviceState(types::DeviceState::new(data)),
        DeviceStateStreamEvent::Unknown {
            event: "deviceConnected".to_owned(),
            data: "{\"connected\":true}\n{\"second\":\"line\"}".to_owned(),
        },
    ];
    let mock = server
        .device()
        .state_stream(&application_id, &device_id)
        .respond_events(&events)
        .await;

    let client = server.client();
    let mut stream = client
        .device()
        .state_stream(&application_id, &device_id)
        .await
        .expect("the mocked stream opens");
    let mut received = Vec::new();
    while let Some(event) = stream.try_next().await.expect("each event decodes") {
        received.push(event);
    }
    assert_eq!(received, events);
    assert_eq!(mock.calls().await, 1);
}
