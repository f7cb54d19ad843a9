//! Forward compatibility: responses of a newer server (new enum values, new
//! input and output kinds, new fields, fields left out) still decode through
//! the generated operations, keeping what the client does not know; while
//! request bodies stay strict, so the client never sends a value it does not
//! understand unless told to (`validate_requests(false)`).

mod support;

use generated_client::{Error, types};
use serde_json::{Value, json};
use support::{Reply, TestServer, client, client_builder};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const NOTEBOOK_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab";
const NOTEBOOKS_PATH: &str = "/applications/575ec8687ae143cd83dc4a97/notebooks";
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    NOTEBOOK_ID.parse().expect("valid notebook ID")
}

/// The fields the spec says a server sends in every notebook
/// (`always_sent`), which a response must carry to decode.
fn always_sent_notebook() -> Value {
    json!({
        "id": NOTEBOOK_ID,
        "notebookId": NOTEBOOK_ID,
        "applicationId": APPLICATION_ID,
        "creationDate": "2024-09-03T14:22:41.318Z",
        "lastUpdated": "2024-11-18T08:05:12.907Z",
        "name": "Report",
    })
}

/// `body` with the fields of [`always_sent_notebook`] it does not set.
fn notebook_with(body: &Value) -> Value {
    let mut full = always_sent_notebook();
    if let (Some(full), Some(fields)) = (full.as_object_mut(), body.as_object()) {
        full.extend(fields.clone());
    }
    full
}

/// Fetches the notebook from a server answering `body`, completed with
/// the fields a server always sends ([`notebook_with`]).
async fn get_notebook_answering(body: &Value) -> types::Notebook {
    let body = &notebook_with(body);
    let server = TestServer::start(vec![Reply::json(200, body.to_string())]).await;
    let notebook = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap_or_else(|error| panic!("{body} does not decode: {error:?}"));
    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, NOTEBOOK_PATH);
    notebook
}

/// What the decoder says of `body`, a notebook a server answers that must
/// fail to decode.
async fn decode_error_answering(body: &Value) -> String {
    let server = TestServer::start(vec![Reply::json(200, body.to_string())]).await;
    let result = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await;
    match result {
        Err(Error::Decode { status, source, .. }) => {
            assert_eq!(status.as_u16(), 200);
            source.to_string()
        }
        other => panic!("{body}: expected Error::Decode, got {other:?}"),
    }
}

/// An input kind this client does not know.
fn mqtt_input() -> Value {
    json!({
        "inputType": "mqttStream",
        "fileName": "telemetry.csv",
        "topic": "plant/+/temperature",
        "qos": 1,
        "window": {"start": -3600000, "end": 0},
    })
}

/// An output kind this client does not know.
fn webhook_output() -> Value {
    json!({
        "outputType": "webhook",
        "fileName": "summary.json",
        "url": "https://hooks.example.com/notebooks",
        "headers": [{"key": "X-Source", "value": "notebook"}],
    })
}

/// Asserts that `result` is `Error::InvalidInput` for `field`.
fn assert_invalid_input<T: std::fmt::Debug>(result: Result<T, Error>, field: &str) {
    match result {
        Err(Error::InvalidInput(invalid)) => assert_eq!(invalid.field, field, "{invalid}"),
        other => panic!("expected Error::InvalidInput for `{field}`, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Responses decode leniently
// ---------------------------------------------------------------------------

#[tokio::test]
async fn unknown_image_version_is_kept_as_unknown() {
    let notebook = get_notebook_answering(&json!({"id": NOTEBOOK_ID, "imageVersion": "v9"})).await;

    let version = notebook.image_version.expect("imageVersion");
    assert_eq!(version, types::ImageVersion::Unknown("v9".to_owned()));
    assert_eq!(version.as_str(), "v9");
    assert_eq!(version.to_string(), "v9");
    // Known values still decode to their variants.
    let notebook = get_notebook_answering(&json!({"imageVersion": "v4"})).await;
    assert_eq!(notebook.image_version, Some(types::ImageVersion::V4));
}

#[tokio::test]
async fn unknown_log_status_and_source_type_are_kept_as_unknown() {
    let logs = json!([
        {
            "id": "673b0e5fa2c4d1001f3e8b27",
            "notebookExecutionId": "673b0e5fa2c4d1001f3e8b27",
            "notebookId": NOTEBOOK_ID,
            "applicationId": APPLICATION_ID,
            "runQueuedAt": "2024-11-18T08:00:00.214Z",
            "status": "paused",
            "sourceType": "schedule",
            "imageVersion": "v9",
        },
        {
            "id": "6731d3e9a2c4d1001f3e7a90",
            "notebookExecutionId": "6731d3e9a2c4d1001f3e7a90",
            "notebookId": NOTEBOOK_ID,
            "applicationId": APPLICATION_ID,
            "runQueuedAt": "2024-11-11T08:00:00.000Z",
            "status": "completed",
            "sourceType": "user",
        },
    ]);
    let server = TestServer::start(vec![Reply::json(200, logs.to_string())]).await;

    let logs = client(&server)
        .notebook()
        .logs(&application_id(), &notebook_id())
        .await
        .unwrap();

    let [newer, known] = logs.as_slice() else {
        panic!("expected two entries, got {logs:#?}");
    };
    assert_eq!(
        newer.status,
        types::NotebookExecutionLogStatus::Unknown("paused".to_owned())
    );
    assert_eq!(newer.status.as_str(), "paused");
    assert_eq!(
        newer.source_type,
        Some(types::NotebookExecutionLogSourceType::Unknown(
            "schedule".to_owned()
        ))
    );
    assert_eq!(
        newer.image_version,
        Some(types::ImageVersion::Unknown("v9".to_owned()))
    );
    assert_eq!(known.status, types::NotebookExecutionLogStatus::Completed);
    assert_eq!(
        known.source_type,
        Some(types::NotebookExecutionLogSourceType::User)
    );
}

#[tokio::test]
async fn unknown_input_kind_keeps_the_raw_json() {
    let mut body: Value = serde_json::from_str(NOTEBOOK_JSON).unwrap();
    let inputs = body["inputs"].as_array_mut().unwrap();
    let known_count = inputs.len();
    inputs.insert(1, mqtt_input());

    let notebook = get_notebook_answering(&body).await;

    let inputs = notebook.inputs.as_deref().expect("inputs");
    assert_eq!(inputs.len(), known_count + 1);
    assert_eq!(inputs[1], types::NotebookInput::Unknown(mqtt_input()));
    // Its neighbours still decode as their kinds.
    assert!(matches!(inputs[0], types::NotebookInput::DeviceData(_)));
    assert!(matches!(
        inputs[2],
        types::NotebookInput::DeviceConnectionHistory(_)
    ));
    // The raw value is kept whole, so it serializes back unchanged.
    assert_eq!(serde_json::to_value(&inputs[1]).unwrap(), mqtt_input());
}

#[tokio::test]
async fn unknown_output_kind_keeps_the_raw_json() {
    let mut body: Value = serde_json::from_str(NOTEBOOK_JSON).unwrap();
    body["outputs"]
        .as_array_mut()
        .unwrap()
        .push(webhook_output());

    let notebook = get_notebook_answering(&body).await;

    let outputs = notebook.outputs.as_deref().expect("outputs");
    let [
        types::NotebookOutput::DataTable(_),
        types::NotebookOutput::File(_),
        types::NotebookOutput::Directory(_),
        types::NotebookOutput::ExecutionResult(_),
        types::NotebookOutput::TemporaryUrl(_),
        types::NotebookOutput::Unknown(raw),
    ] = outputs
    else {
        panic!("unexpected outputs: {outputs:#?}");
    };
    assert_eq!(raw, &webhook_output());
    assert_eq!(serde_json::to_value(&outputs[5]).unwrap(), webhook_output());
}

#[tokio::test]
async fn input_without_a_kind_is_kept_as_unknown() {
    let odd = [
        json!({"fileName": "x.csv"}),
        json!({"inputType": 7, "fileName": "x.csv"}),
    ];
    let notebook = get_notebook_answering(&json!({"inputs": odd})).await;

    let inputs = notebook.inputs.expect("inputs");
    assert_eq!(
        inputs,
        odd.map(types::NotebookInput::Unknown).to_vec(),
        "an input whose `inputType` is missing or not a string is kept raw"
    );
}

#[tokio::test]
async fn unknown_fields_are_ignored_at_every_level() {
    let mut body: Value = serde_json::from_str(NOTEBOOK_JSON).unwrap();
    body["schedule"] = json!({"cron": "0 8 * * 1", "enabled": true});
    body["ownerId"] = json!("5f2b7c9e1a4d3e0012ab34cd");
    body["stats"]["gpuMinutesThisPeriod"] = json!(3);
    body["inputs"][0]["compression"] = json!("gzip");
    body["outputs"][0]["retention"] = json!({"days": 30});
    let expected: types::Notebook = serde_json::from_str(NOTEBOOK_JSON).unwrap();

    let notebook = get_notebook_answering(&body).await;

    assert_eq!(notebook, expected);
}

#[tokio::test]
async fn absent_and_null_optional_fields_decode() {
    let notebook = get_notebook_answering(&json!({})).await;
    let only_always_sent: types::Notebook = serde_json::from_value(always_sent_notebook()).unwrap();
    assert_eq!(notebook, only_always_sent);
    assert_eq!(notebook.description, None);
    assert_eq!(notebook.inputs, None);
    assert_eq!(notebook.stats, None);

    let notebook = get_notebook_answering(&json!({
        "id": NOTEBOOK_ID,
        "description": null,
        "imageVersion": null,
        "inputs": null,
        "stats": {},
    }))
    .await;
    assert_eq!(notebook.id.as_str(), NOTEBOOK_ID);
    assert_eq!(notebook.description, None);
    assert_eq!(notebook.image_version, None);
    assert_eq!(notebook.inputs, None);
    assert_eq!(notebook.stats, Some(types::NotebookStats::default()));
}

/// What the spec marks `always_sent` is not optional: a notebook without
/// one is a decode error naming the field, not a notebook with a hole.
#[tokio::test]
async fn a_notebook_without_an_always_sent_field_is_a_decode_error() {
    for missing in ["id", "creationDate", "name"] {
        let mut body = always_sent_notebook();
        body.as_object_mut().map(|fields| fields.remove(missing));

        let reason = decode_error_answering(&body).await;

        assert!(
            reason.contains(&format!("missing field `{missing}`")),
            "{reason}"
        );
    }
}

#[tokio::test]
async fn newer_collection_page_decodes() {
    let page = json!({
        "items": [notebook_with(&json!({"imageVersion": "v9", "inputs": [mqtt_input()]}))],
        "count": 1,
        "totalCount": 1,
        "perPage": 100,
        "page": 0,
        "applicationId": APPLICATION_ID,
        "sortDirection": "random",
        "cursor": "opaque-next-page-token",
    });
    let server = TestServer::start(vec![Reply::json(200, page.to_string())]).await;

    let notebooks = client(&server)
        .notebooks()
        .get(&application_id())
        .await
        .unwrap();

    assert_eq!(server.single_request().path, NOTEBOOKS_PATH);
    assert_eq!(
        notebooks.sort_direction,
        Some(types::NotebooksSortDirection::Unknown("random".to_owned()))
    );
    let items = notebooks.items;
    assert_eq!(
        items[0].image_version,
        Some(types::ImageVersion::Unknown("v9".to_owned()))
    );
    assert_eq!(
        items[0].inputs,
        Some(vec![types::NotebookInput::Unknown(mqtt_input())])
    );
}

#[tokio::test]
async fn error_body_with_extra_fields_keeps_type_and_message() {
    let server = TestServer::start(vec![Reply::json(
        404,
        r#"{"type":"NotFound","message":"Notebook was not found","requestId":"r-1","details":{"a":1}}"#,
    )])
    .await;

    let result = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await;

    let Err(Error::Api(api)) = result else {
        panic!("expected Error::Api, got {result:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(
        api.kind.as_ref().map(generated_client::ErrorKind::as_str),
        Some("NotFound")
    );
    assert_eq!(api.message.as_deref(), Some("Notebook was not found"));
}

/// Leniency covers what a newer server may add, not a known kind gone
/// wrong: an input that names a known kind but lacks one of that kind's
/// required fields is a decode error, not silently `Unknown`.
#[tokio::test]
async fn known_input_kind_missing_a_required_field_is_a_decode_error() {
    let body = json!({"inputs": [{"inputType": "deviceData", "fileName": "d.csv", "end": 0}]});

    let reason = decode_error_answering(&notebook_with(&body)).await;

    assert!(reason.contains("start"), "{reason}");
}

// ---------------------------------------------------------------------------
// Requests stay strict
// ---------------------------------------------------------------------------

#[tokio::test]
async fn unknown_input_in_a_patch_is_not_sent() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;
    let patch = types::NotebookPatch {
        inputs: Some(vec![types::NotebookInput::Unknown(mqtt_input())]),
        ..Default::default()
    };

    let result = client(&server)
        .notebook()
        .patch(&application_id(), &notebook_id(), patch)
        .await;

    assert_invalid_input(result, "inputs[0]");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn unknown_output_in_a_post_is_not_sent() {
    let server = TestServer::start(vec![Reply::json(201, NOTEBOOK_JSON)]).await;
    let mut body = types::NotebookPost::new("New", types::ImageVersion::V4);
    body.outputs = Some(vec![
        types::NotebookOutput::TemporaryUrl(types::TemporaryUrlOutput::new(
            "a.csv".parse().unwrap(),
        )),
        types::NotebookOutput::Unknown(webhook_output()),
    ]);

    let result = client(&server)
        .notebooks()
        .post(&application_id(), body)
        .await;

    assert_invalid_input(result, "outputs[1]");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn unknown_image_version_is_not_sent() {
    let server = TestServer::start(vec![
        Reply::json(201, NOTEBOOK_JSON),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let client = client(&server);

    let post = types::NotebookPost::new("New", types::ImageVersion::Unknown("v9".to_owned()));
    let result = client.notebooks().post(&application_id(), post).await;
    assert_invalid_input(result, "imageVersion");

    let patch = types::NotebookPatch {
        image_version: Some(types::ImageVersion::from("v9")),
        ..Default::default()
    };
    let result = client
        .notebook()
        .patch(&application_id(), &notebook_id(), patch)
        .await;
    assert_invalid_input(result, "imageVersion");

    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn unknown_query_enum_value_is_not_sent() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;

    let result = client(&server)
        .notebooks()
        .get(&application_id())
        .sort_field(types::NotebooksSortFieldParam::from("popularity"))
        .await;

    assert_invalid_input(result, "sortField");
    assert_eq!(server.requests().len(), 0);
}

/// With validation turned off the server is the judge: a notebook fetched
/// from a newer server can be sent back with what this client does not
/// know, byte for byte as it came.
#[tokio::test]
async fn unknown_values_round_trip_when_validation_is_off() {
    let server = TestServer::start(vec![
        Reply::json(
            200,
            notebook_with(
                &json!({"imageVersion": "v9", "inputs": [mqtt_input()], "outputs": [webhook_output()]}),
            )
            .to_string(),
        ),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let client = client_builder(&server.url())
        .validate_requests(false)
        .build()
        .unwrap();
    assert!(!client.validates_requests());

    let fetched = client
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap();
    let patch = types::NotebookPatch {
        name: Some("Renamed".to_owned()),
        image_version: fetched.image_version,
        inputs: fetched.inputs,
        outputs: fetched.outputs,
        ..Default::default()
    };
    client
        .notebook()
        .patch(&application_id(), &notebook_id(), patch)
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "PATCH");
    assert_eq!(
        requests[1].json(),
        json!({
            "name": "Renamed",
            "imageVersion": "v9",
            "inputs": [mqtt_input()],
            "outputs": [webhook_output()],
        })
    );
}
