//! End-to-end tests of the Notebook resource and the Notebooks collection
//! against a local HTTP server: each action's exact request on the wire
//! (method, path, query, headers, body) and the decoding of a realistic
//! response into the typed result.

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use generated_client::{Error, FilePart, GlobalParameters, Timestamp, types};
use serde_json::json;
use support::{RecordedRequest, Reply, TestServer, client};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const EXECUTION_ID: &str = "632e18632f59592e773a4153";
const NOTEBOOKS_PATH: &str = "/applications/575ec8687ae143cd83dc4a97/notebooks";
const NOTEBOOK_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab";

/// A notebook whose `inputs` hold all seven input kinds and `outputs` all
/// five output kinds.
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");
const EXECUTION_LOGS_JSON: &str = include_str!("fixtures/notebook_execution_logs.json");
const MINUTE_COUNTS_JSON: &str = include_str!("fixtures/notebook_minute_counts.json");

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    NOTEBOOK_ID.parse().expect("valid notebook ID")
}

/// Asserts what every request of this API carries and returns it: `method`,
/// `path`, the raw `query` string, the bearer token and `Accept`.
fn expect_request(
    server: &TestServer,
    method: &str,
    path: &str,
    query: Option<&str>,
) -> RecordedRequest {
    let request = server.single_request();
    assert_eq!(request.method, method);
    assert_eq!(request.path, path);
    assert_eq!(request.query.as_deref(), query);
    assert_eq!(request.header("authorization"), Some("Bearer test-token"));
    assert_eq!(request.header("accept"), Some("application/json"));
    request
}

/// Asserts that `request` has no body and no `Content-Type`.
fn assert_no_body(request: &RecordedRequest) {
    assert_eq!(request.header("content-type"), None);
    assert!(
        request.body.is_empty(),
        "unexpected body: {:?}",
        String::from_utf8_lossy(&request.body)
    );
}

/// Asserts that `request` carries `expected` as its JSON body.
fn assert_json_body(request: &RecordedRequest, expected: serde_json::Value) {
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), expected);
}

/// A UTC instant with millisecond precision.
fn utc(date: (i32, u32, u32), time: (u32, u32, u32), millis: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2)
        .and_then(|day| day.and_hms_milli_opt(time.0, time.1, time.2, millis))
        .expect("valid date and time")
        .and_utc()
}

/// The `as_str` of each item, to compare lists of ID-like newtypes.
fn strs<T: AsRef<str>>(items: &Option<Vec<T>>) -> Vec<&str> {
    items
        .as_deref()
        .expect("list is present")
        .iter()
        .map(AsRef::as_ref)
        .collect()
}

/// The `(key, value)` pairs of a list of device tags.
fn tags(tags: &Option<Vec<types::DeviceTag>>) -> Vec<(&str, &str)> {
    tags.as_deref()
        .expect("tags are present")
        .iter()
        .map(|tag| {
            (
                tag.key.as_ref().expect("tag key").as_str(),
                tag.value.as_deref().expect("tag value"),
            )
        })
        .collect()
}

/// Asserts that `notebook` is `fixtures/notebook.json`, field by field, every
/// input and output decoded as the variant of its kind.
fn assert_fixture_notebook(notebook: &types::Notebook) {
    assert_eq!(notebook.id.as_str(), NOTEBOOK_ID);
    assert_eq!(notebook.notebook_id.as_str(), NOTEBOOK_ID);
    assert_eq!(notebook.application_id.as_str(), APPLICATION_ID);
    assert_eq!(notebook.creation_date, utc((2024, 9, 3), (14, 22, 41), 318));
    assert_eq!(notebook.last_updated, utc((2024, 11, 18), (8, 5, 12), 907));
    assert_eq!(notebook.name, "Cold Storage Temperature Report");
    assert_eq!(
        notebook.description.as_deref(),
        Some("Weekly analysis of cold storage temperatures, door events and compressor uptime.")
    );
    assert_eq!(
        notebook.jupyter_file_name.as_deref(),
        Some("cold_storage_report.ipynb")
    );
    assert_eq!(
        notebook.jupyter_file_url.as_deref(),
        Some(
            "https://files.app.wnology.io/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab/cold_storage_report.ipynb"
        )
    );
    assert_eq!(notebook.image_version, Some(types::ImageVersion::V4));
    let stats = notebook.stats.as_ref().expect("stats");
    assert_eq!(stats.minutes_this_period, Some(42));
    assert_eq!(stats.runs_this_period, Some(9));
    assert_eq!(stats.errors_this_period, Some(1));
    assert_fixture_inputs(notebook.inputs.as_deref().expect("inputs"));
    assert_fixture_outputs(notebook.outputs.as_deref().expect("outputs"));
}

fn assert_fixture_inputs(inputs: &[types::NotebookInput]) {
    use types::NotebookInput as Input;
    let [
        Input::DeviceData(device_data),
        Input::DeviceConnectionHistory(history),
        Input::DeviceMetadata(metadata),
        Input::DataTable(data_table),
        Input::EventData(events),
        Input::ExternalUrl(external),
        Input::ApplicationFile(file),
    ] = inputs
    else {
        panic!("inputs are not the seven kinds in fixture order: {inputs:#?}");
    };

    assert_eq!(
        device_data.file_name.as_str(),
        "device_data_{{data.week}}.csv"
    );
    assert_eq!(
        tags(&device_data.device_tags),
        [("location", "cold-storage"), ("{{data.tagKey}}", "freezer")]
    );
    assert_eq!(
        strs(&device_data.device_ids),
        ["5f2b7c9e1a4d3e0012ab34cd", "{{data.deviceId}}"]
    );
    assert_eq!(
        device_data.query_json.as_deref(),
        Some(r#"{"$and":[{"tags":{"$eq":{"key":"location","value":"cold-storage"}}}]}"#)
    );
    assert_eq!(
        strs(&device_data.attributes),
        ["temperature", "humidity", "door_open"]
    );
    assert_eq!(device_data.start, -604_800_000);
    assert_eq!(device_data.end, 0);

    assert_eq!(history.file_name.as_str(), "connection_history.csv");
    assert_eq!(tags(&history.device_tags), [("location", "cold-storage")]);
    assert_eq!(
        strs(&history.device_ids),
        ["5f2b7c9e1a4d3e0012ab34cd", "5f2b7ca31a4d3e0012ab34d2"]
    );
    assert_eq!(
        history.query_json.as_deref(),
        Some(r#"{"$and":[{"deviceClass":{"$eq":"standalone"}}]}"#)
    );
    assert_eq!(history.start, -604_800_000);
    assert_eq!(history.end, 0);

    assert_eq!(metadata.file_name.as_str(), "device_metadata.json");
    assert_eq!(tags(&metadata.device_tags), [("location", "cold-storage")]);
    assert_eq!(strs(&metadata.device_ids), ["5f2b7c9e1a4d3e0012ab34cd"]);
    assert_eq!(
        metadata.query_json.as_deref(),
        Some(r#"{"$and":[{"name":{"$like":"Freezer*"}}]}"#)
    );
    assert_eq!(
        metadata.format,
        Some(types::DeviceMetadataInputFormat::Json)
    );

    assert_eq!(data_table.file_name.as_str(), "maintenance_log.csv");
    assert_eq!(
        data_table.data_table_id.as_str(),
        "60a4f1c2b8e9d70013c5e6f1"
    );
    assert_eq!(
        data_table.query_json.as_deref(),
        Some(r#"{"$and":[{"status":{"$eq":"open"}}]}"#)
    );

    assert_eq!(events.file_name.as_str(), "events.csv");
    assert_eq!(
        events.query_json.as_deref(),
        Some(r#"{"$and":[{"level":{"$eq":"critical"}}]}"#)
    );
    assert_eq!(events.format, Some(types::EventDataInputFormat::Csv));

    assert_eq!(external.file_name.as_str(), "energy_prices.csv");
    assert_eq!(
        external.source_url,
        "https://example.com/exports/energy-prices-daily.csv"
    );

    assert_eq!(file.file_name.as_str(), "thresholds.json");
    assert_eq!(file.file_path, "config/notebooks/thresholds.json");
    assert_eq!(file.private, Some(true));
}

fn assert_fixture_outputs(outputs: &[types::NotebookOutput]) {
    use types::NotebookOutput as Output;
    let [
        Output::DataTable(data_table),
        Output::File(file),
        Output::Directory(directory),
        Output::ExecutionResult(result),
        Output::TemporaryUrl(temporary),
    ] = outputs
    else {
        panic!("outputs are not the five kinds in fixture order: {outputs:#?}");
    };

    assert_eq!(data_table.file_name.as_str(), "daily_summary.csv");
    assert_eq!(
        data_table.data_table_id.as_str(),
        "60a4f2e7b8e9d70013c5e702"
    );
    assert_eq!(data_table.create_missing_columns, Some(true));
    assert_eq!(data_table.truncate_existing_table, Some(false));

    assert_eq!(file.file_name.as_str(), "temperature_chart.png");
    assert_eq!(
        file.destination_directory_template.as_deref(),
        Some("reports/{{data.week}}")
    );
    assert_eq!(
        file.destination_file_name_template,
        "temperature-{{data.week}}.png"
    );
    assert_eq!(file.destination_private, Some(false));

    assert_eq!(directory.directory_name.as_str(), "charts");
    assert_eq!(
        directory.destination_directory_template,
        "reports/{{data.week}}/charts"
    );
    assert_eq!(directory.destination_private, Some(true));

    assert_eq!(
        result.file_name,
        types::ExecutionResultOutputFileName::ResultHtml
    );
    assert_eq!(
        result.destination_directory_template.as_deref(),
        Some("reports/{{data.week}}")
    );
    assert_eq!(
        result.destination_file_name_template.as_deref(),
        Some("cold-storage-report.html")
    );
    assert_eq!(result.destination_private, Some(false));

    assert_eq!(temporary.file_name.as_str(), "anomalies.csv");
}

/// Asserts that `result` failed with an API error of `status`, `error_type`
/// and `message`.
fn assert_api_error<T: std::fmt::Debug>(
    result: Result<T, Error>,
    status: u16,
    error_type: &str,
    message: &str,
) {
    match result {
        Err(Error::Api(api)) => {
            assert_eq!(api.status.as_u16(), status);
            assert_eq!(
                api.kind.as_ref().map(generated_client::ErrorKind::as_str),
                Some(error_type)
            );
            assert_eq!(api.message.as_deref(), Some(message));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Notebook resource
// ---------------------------------------------------------------------------

#[tokio::test]
async fn cancel_execution_posts_the_execution_id_as_query() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"success":true}"#)]).await;
    let execution_id: types::ExecutionId = EXECUTION_ID.parse().unwrap();

    let response = client(&server)
        .notebook()
        .cancel_execution(&application_id(), &notebook_id(), &execution_id)
        .await
        .unwrap();

    let request = expect_request(
        &server,
        "POST",
        &format!("{NOTEBOOK_PATH}/cancelExecution"),
        Some("executionId=632e18632f59592e773a4153"),
    );
    assert_no_body(&request);
    assert_eq!(response.success, Some(true));
}

#[tokio::test]
async fn cancel_execution_not_found_is_an_api_error() {
    let server = TestServer::start(vec![Reply::json(
        404,
        r#"{"type":"NotFound","message":"Notebook execution was not found"}"#,
    )])
    .await;
    let execution_id: types::ExecutionId = EXECUTION_ID.parse().unwrap();

    let result = client(&server)
        .notebook()
        .cancel_execution(&application_id(), &notebook_id(), &execution_id)
        .await;

    assert_api_error(result, 404, "NotFound", "Notebook execution was not found");
    expect_request(
        &server,
        "POST",
        &format!("{NOTEBOOK_PATH}/cancelExecution"),
        Some("executionId=632e18632f59592e773a4153"),
    );
}

#[tokio::test]
async fn delete_sends_a_bodyless_delete() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"success":true}"#)]).await;

    let response = client(&server)
        .notebook()
        .delete(&application_id(), &notebook_id())
        .await
        .unwrap();

    let request = expect_request(&server, "DELETE", NOTEBOOK_PATH, None);
    assert_no_body(&request);
    assert_eq!(response.success, Some(true));
}

#[tokio::test]
async fn execute_posts_the_execution_options() {
    let server = TestServer::start(vec![Reply::json(
        200,
        r#"{"success":true,"executionId":"632e18632f59592e773a4153"}"#,
    )])
    .await;
    // 2019-10-08T15:39:59.451Z, the vendor's example, as a date.
    let relative_to = utc((2019, 10, 8), (15, 39, 59), 451);
    let options = types::NotebookExecutionOptions {
        relative_to: Some(types::RelativeTo::Number(relative_to.into())),
        ..Default::default()
    };

    let response = client(&server)
        .notebook()
        .execute(&application_id(), &notebook_id(), options.clone())
        .await
        .unwrap();

    let request = expect_request(&server, "POST", &format!("{NOTEBOOK_PATH}/execute"), None);
    assert_eq!(request.header("content-type"), Some("application/json"));
    // The bytes are the spec's example: the time goes out as integer
    // milliseconds (`1570549199451`, not `1570549199451.0` or a date).
    assert_eq!(request.body, br#"{"relativeTo":1570549199451}"#);
    assert_eq!(request.body, serde_json::to_vec(&options).unwrap());
    let spec_example: types::NotebookExecutionOptions =
        serde_json::from_str(r#"{"relativeTo":1570549199451}"#).unwrap();
    let received: types::NotebookExecutionOptions = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(received, spec_example);
    assert_eq!(received, options);
    // Decoding is lenient: milliseconds written with a fraction are the
    // same time.
    let with_fraction: types::NotebookExecutionOptions =
        serde_json::from_str(r#"{"relativeTo":1570549199451.0}"#).unwrap();
    assert_eq!(with_fraction, options);

    assert_eq!(response.success, Some(true));
    assert_eq!(
        response
            .execution_id
            .as_ref()
            .map(types::ExecutionId::as_str),
        Some(EXECUTION_ID)
    );
}

#[tokio::test]
async fn execute_validation_failure_is_an_api_error() {
    let server = TestServer::start(vec![Reply::json(
        400,
        r#"{"type":"Validation","message":"relativeTo must be a date"}"#,
    )])
    .await;
    let options = types::NotebookExecutionOptions {
        relative_to: Some(types::RelativeTo::String("next tuesday".to_owned())),
        ..Default::default()
    };

    let result = client(&server)
        .notebook()
        .execute(&application_id(), &notebook_id(), options)
        .await;

    let kind = result.as_ref().err().and_then(Error::kind);
    assert_eq!(kind, Some(&generated_client::ErrorKind::Validation));
    assert_api_error(result, 400, "Validation", "relativeTo must be a date");
    let request = expect_request(&server, "POST", &format!("{NOTEBOOK_PATH}/execute"), None);
    assert_json_body(&request, json!({"relativeTo": "next tuesday"}));
}

#[tokio::test]
async fn get_decodes_every_input_and_output_kind() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let notebook = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap();

    let request = expect_request(&server, "GET", NOTEBOOK_PATH, None);
    assert_no_body(&request);
    // Pinned by default to the versions the generated types describe.
    assert_eq!(request.header("accept-version"), Some("^1.30.0"));
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("generated-client/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(request.header("losantdomain"), None);
    assert_fixture_notebook(&notebook);
}

#[tokio::test]
async fn get_not_found_is_an_api_error() {
    let server = TestServer::start(vec![Reply::json(
        404,
        r#"{"type":"NotFound","message":"Notebook was not found"}"#,
    )])
    .await;

    let result = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await;

    let error = result.as_ref().unwrap_err();
    assert_eq!(error.kind(), Some(&generated_client::ErrorKind::NotFound));
    assert_eq!(
        error.status(),
        Some(generated_client::StatusCode::NOT_FOUND)
    );
    assert!(!error.is_retryable());
    assert_eq!(
        error.headers().and_then(|h| h.get("content-type")),
        Some(&generated_client::reqwest::header::HeaderValue::from_static("application/json"))
    );
    assert_api_error(result, 404, "NotFound", "Notebook was not found");
    expect_request(&server, "GET", NOTEBOOK_PATH, None);
}

#[tokio::test]
async fn global_parameters_become_a_header_and_a_query_parameter() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let notebook = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .accept_version("^1.31.0")
        .actions(true)
        .await
        .unwrap();

    let request = expect_request(&server, "GET", NOTEBOOK_PATH, Some("_actions=true"));
    // The request's own value replaces the client's.
    assert_eq!(request.header_values("accept-version"), ["^1.31.0"]);
    assert_eq!(request.header("losantdomain"), None);
    assert_no_body(&request);
    assert_fixture_notebook(&notebook);
}

#[tokio::test]
async fn logs_sends_limit_and_since_and_decodes_the_executions() {
    let server = TestServer::start(vec![Reply::json(200, EXECUTION_LOGS_JSON)]).await;

    let logs = client(&server)
        .notebook()
        .logs(&application_id(), &notebook_id())
        .limit(10)
        .since(utc((2016, 6, 13), (4, 0, 0), 0))
        .await
        .unwrap();

    let request = expect_request(
        &server,
        "GET",
        &format!("{NOTEBOOK_PATH}/logs"),
        Some("limit=10&since=1465790400000"),
    );
    assert_no_body(&request);

    let [errored, completed] = logs.as_slice() else {
        panic!("expected two log entries, got {logs:#?}");
    };

    assert_eq!(errored.id.as_str(), "673b0e5fa2c4d1001f3e8b27");
    assert_eq!(
        errored.notebook_execution_id.as_str(),
        "673b0e5fa2c4d1001f3e8b27"
    );
    assert_eq!(errored.notebook_id.as_str(), NOTEBOOK_ID);
    assert_eq!(errored.application_id.as_str(), APPLICATION_ID);
    assert_eq!(errored.image_version, Some(types::ImageVersion::V4));
    assert_eq!(errored.status, types::NotebookExecutionLogStatus::Errored);
    assert_eq!(
        errored.source_type,
        Some(types::NotebookExecutionLogSourceType::Flow)
    );
    assert_eq!(
        errored.source_id.as_ref().unwrap().as_str(),
        "5fd8c1a07e2b4b0018a9f3c4"
    );
    assert_eq!(errored.max_allowed_run_minutes, Some(60));
    assert_eq!(
        errored.execution_relative_to,
        Some(utc((2024, 11, 18), (8, 0, 0), 0))
    );
    assert_eq!(errored.run_queued_at, utc((2024, 11, 18), (8, 0, 0), 214));
    assert_eq!(
        errored.run_started_at,
        Some(utc((2024, 11, 18), (8, 0, 4), 871))
    );
    assert_eq!(
        errored.inputs_completed_at,
        Some(utc((2024, 11, 18), (8, 0, 19), 356))
    );
    assert_eq!(
        errored.notebook_completed_at,
        Some(utc((2024, 11, 18), (8, 1, 47), 92))
    );
    assert_eq!(
        errored.outputs_completed_at,
        Some(utc((2024, 11, 18), (8, 1, 52), 640))
    );
    assert_eq!(
        errored.template_context.as_deref(),
        Some(
            r#"{"data":{"week":"2024-W47","tagKey":"zone","deviceId":"5f2b7ca31a4d3e0012ab34d2"}}"#
        )
    );
    let input_info = errored.input_info.as_ref().expect("inputInfo");
    assert_eq!(
        input_info.keys().collect::<Vec<_>>(),
        ["device_data_2024-W47.csv", "maintenance_log.csv"]
    );
    let device_data = &input_info["device_data_2024-W47.csv"];
    assert_eq!(device_data.size, Some(1843216));
    assert_eq!(
        device_data.url.as_deref(),
        Some(
            "https://files.app.wnology.io/notebook-executions/673b0e5fa2c4d1001f3e8b27/inputs/device_data_2024-W47.csv"
        )
    );
    let output_info = errored.output_info.as_ref().expect("outputInfo");
    assert_eq!(
        output_info.keys().collect::<Vec<_>>(),
        ["result.error.log", "result.html"]
    );
    let error_log = &output_info["result.error.log"];
    assert_eq!(error_log.size, Some(2931));
    assert_eq!(error_log.content_type.as_deref(), Some("text/plain"));
    assert_eq!(
        error_log.url.as_deref(),
        Some(
            "https://files.app.wnology.io/notebook-executions/673b0e5fa2c4d1001f3e8b27/outputs/result.error.log"
        )
    );
    assert_eq!(
        output_info["result.html"].content_type.as_deref(),
        Some("text/html")
    );
    let errors: Vec<(&str, &str)> = errored
        .execution_errors
        .as_deref()
        .expect("executionErrors")
        .iter()
        .map(|error| {
            (
                error.name.as_deref().unwrap(),
                error.message.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("KeyError", "'humidity'"),
            ("OutputError", "Output file daily_summary.csv was not found"),
        ]
    );

    assert_eq!(completed.id.as_str(), "6731d3e9a2c4d1001f3e7a90");
    assert_eq!(
        completed.status,
        types::NotebookExecutionLogStatus::Completed
    );
    assert_eq!(
        completed.source_type,
        Some(types::NotebookExecutionLogSourceType::User)
    );
    assert_eq!(
        completed.notebook_completed_at,
        Some(utc((2024, 11, 11), (8, 3, 21), 775))
    );
    assert_eq!(
        completed.output_info.as_ref().unwrap()["daily_summary.csv"]
            .content_type
            .as_deref(),
        Some("text/csv")
    );
    assert_eq!(completed.execution_errors.as_deref(), Some(&[][..]));
}

#[tokio::test]
async fn notebook_minute_counts_sends_the_range_and_decodes_dates() {
    let server = TestServer::start(vec![Reply::json(200, MINUTE_COUNTS_JSON)]).await;

    let counts = client(&server)
        .notebook()
        .notebook_minute_counts(&application_id(), &notebook_id())
        .start(std::time::UNIX_EPOCH)
        .end(Timestamp::from_millis(1465790400000))
        .await
        .unwrap();

    let request = expect_request(
        &server,
        "GET",
        &format!("{NOTEBOOK_PATH}/notebookMinuteCounts"),
        Some("end=1465790400000&start=0"),
    );
    assert_no_body(&request);

    assert_eq!(counts.start, utc((2024, 11, 15), (0, 0, 0), 0));
    assert_eq!(counts.end, utc((2024, 11, 18), (23, 59, 59), 999));
    let rows: Vec<_> = counts
        .counts
        .iter()
        .map(|count| {
            (
                count.date,
                count.minutes,
                count.completed,
                count.canceled,
                count.errored,
                count.timeout,
            )
        })
        .collect();
    let day = |d| utc((2024, 11, d), (0, 0, 0), 0);
    assert_eq!(
        rows,
        [
            (day(15), 0, 0, 0, 0, 0),
            (day(16), 7, 2, 0, 0, 0),
            (day(17), 64, 1, 1, 0, 1),
            (day(18), 5, 0, 0, 1, 0),
        ]
    );
}

#[tokio::test]
async fn patch_sends_only_the_fields_set() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;
    let patch = types::NotebookPatch {
        name: Some("My Updated Notebook".to_owned()),
        ..Default::default()
    };

    let notebook = client(&server)
        .notebook()
        .patch(&application_id(), &notebook_id(), patch)
        .await
        .unwrap();

    let request = expect_request(&server, "PATCH", NOTEBOOK_PATH, None);
    assert_json_body(&request, json!({"name": "My Updated Notebook"}));
    assert_fixture_notebook(&notebook);
}

#[tokio::test]
async fn request_input_data_export_posts_the_email() {
    let server = TestServer::start(vec![Reply::json(
        200,
        r#"{"jobQueued":true,"jobId":"notebookInputExport-575ed78e7ae143cd83dc4aab","success":true}"#,
    )])
    .await;
    let options = types::NotebookDataExportOptions {
        email: Some("user@example.com".to_owned()),
        ..Default::default()
    };

    let result = client(&server)
        .notebook()
        .request_input_data_export(&application_id(), &notebook_id(), options)
        .await
        .unwrap();

    let request = expect_request(
        &server,
        "POST",
        &format!("{NOTEBOOK_PATH}/requestInputDataExport"),
        None,
    );
    assert_json_body(&request, json!({"email": "user@example.com"}));
    assert_eq!(result.job_queued, Some(true));
    assert_eq!(
        result.job_id.as_deref(),
        Some("notebookInputExport-575ed78e7ae143cd83dc4aab")
    );
    assert_eq!(result.success, Some(true));
}

/// A small notebook with non-ASCII text, so a re-encoding would show.
const NOTEBOOK_FILE: &str = r##"{"cells":[{"cell_type":"markdown","metadata":{},"source":["# Temperature in °C"]}],"metadata":{},"nbformat":4,"nbformat_minor":5}"##;

/// Asserts that `request` is an upload of `NOTEBOOK_FILE` named `file_name`
/// as the single part `jupyterFile`.
fn assert_upload(request: &RecordedRequest, file_name: &str) {
    let content_type = request.header("content-type").expect("Content-Type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    // Every part has a known length, so the whole body has one.
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(request.header("transfer-encoding"), None);

    let parts = request.multipart();
    let [part] = parts.as_slice() else {
        panic!("expected exactly one part, got {parts:#?}");
    };
    assert_eq!(part.name, "jupyterFile");
    assert_eq!(part.file_name.as_deref(), Some(file_name));
    assert_eq!(
        part.content_type.as_deref(),
        Some("application/x-ipynb+json")
    );
    assert_eq!(part.data, NOTEBOOK_FILE.as_bytes());
}

#[tokio::test]
async fn upload_sends_a_file_from_memory_as_multipart() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let notebook = client(&server)
        .notebook()
        .upload(
            &application_id(),
            &notebook_id(),
            FilePart::from_bytes("analysis.ipynb", NOTEBOOK_FILE),
        )
        .await
        .unwrap();

    let request = expect_request(&server, "POST", &format!("{NOTEBOOK_PATH}/upload"), None);
    assert_upload(&request, "analysis.ipynb");
    assert_fixture_notebook(&notebook);
}

/// A file under the temporary directory with a name no other test uses,
/// removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(extension: &str, content: &[u8]) -> TempFile {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos();
        let name = format!("notebook-e2e-{}-{nanos}.{extension}", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, content).expect("write the temporary file");
        TempFile(path)
    }

    fn file_name(&self) -> &str {
        self.0.file_name().unwrap().to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn upload_sends_a_file_from_disk_under_its_own_name() {
    let file = TempFile::new("ipynb", NOTEBOOK_FILE.as_bytes());
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let notebook = client(&server)
        .notebook()
        .upload(
            &application_id(),
            &notebook_id(),
            FilePart::from_path(&file.0),
        )
        .await
        .unwrap();

    let request = expect_request(&server, "POST", &format!("{NOTEBOOK_PATH}/upload"), None);
    assert_upload(&request, file.file_name());
    assert_fixture_notebook(&notebook);
}

// ---------------------------------------------------------------------------
// Notebooks collection
// ---------------------------------------------------------------------------

#[tokio::test]
async fn notebooks_get_sends_sorting_paging_and_filter() {
    let collection = format!(
        r#"{{
            "items": [{NOTEBOOK_JSON}],
            "count": 1,
            "totalCount": 1,
            "perPage": 10,
            "page": 0,
            "sortField": "lastUpdated",
            "sortDirection": "desc",
            "filterField": "name",
            "filter": "my*notebook",
            "applicationId": "{APPLICATION_ID}"
        }}"#
    );
    let server = TestServer::start(vec![Reply::json(200, collection)]).await;

    let notebooks = client(&server)
        .notebooks()
        .get(&application_id())
        .sort_field(types::NotebooksSortFieldParam::LastUpdated)
        .sort_direction(types::SortDirectionParam::Desc)
        .page(0)
        .per_page(10)
        .filter_field(types::NotebooksFilterFieldParam::Name)
        .filter("my*notebook")
        .await
        .unwrap();

    let request = expect_request(
        &server,
        "GET",
        NOTEBOOKS_PATH,
        Some(
            "filter=my*notebook&filterField=name&page=0&perPage=10&sortDirection=desc&sortField=lastUpdated",
        ),
    );
    assert_no_body(&request);

    assert_eq!(notebooks.count, 1);
    assert_eq!(notebooks.total_count, 1);
    assert_eq!(notebooks.per_page, 10);
    assert_eq!(notebooks.page, 0);
    assert_eq!(notebooks.sort_field.as_deref(), Some("lastUpdated"));
    assert_eq!(
        notebooks.sort_direction,
        Some(types::NotebooksSortDirection::Desc)
    );
    assert_eq!(notebooks.filter_field.as_deref(), Some("name"));
    assert_eq!(notebooks.filter.as_deref(), Some("my*notebook"));
    assert_eq!(notebooks.application_id.as_str(), APPLICATION_ID);
    let items = notebooks.items.as_slice();
    let [notebook] = items else {
        panic!("expected one notebook, got {items:#?}");
    };
    assert_fixture_notebook(notebook);
}

#[tokio::test]
async fn notebooks_get_without_options_sends_no_query() {
    let empty = json!({
        "items": [], "count": 0, "totalCount": 0, "perPage": 100, "page": 0,
        "applicationId": APPLICATION_ID,
    });
    let server = TestServer::start(vec![Reply::json(200, empty.to_string())]).await;

    let notebooks = client(&server)
        .notebooks()
        .get(&application_id())
        .await
        .unwrap();

    expect_request(&server, "GET", NOTEBOOKS_PATH, None);
    assert!(notebooks.items.is_empty());
    assert_eq!(notebooks.count, 0);
}

/// A new notebook with only the required fields set.
fn post_body(image_version: types::ImageVersion, name: &str) -> types::NotebookPost {
    types::NotebookPost {
        description: None,
        image_version,
        inputs: None,
        name: name.to_owned(),
        outputs: None,
    }
}

#[tokio::test]
async fn notebooks_post_creates_a_notebook() {
    let server = TestServer::start(vec![Reply::json(201, NOTEBOOK_JSON)]).await;
    let body = types::NotebookPost {
        description: Some("Weekly cold storage report".to_owned()),
        ..post_body(types::ImageVersion::V4, "My New Notebook")
    };

    let notebook = client(&server)
        .notebooks()
        .post(&application_id(), body)
        .await
        .unwrap();

    let request = expect_request(&server, "POST", NOTEBOOKS_PATH, None);
    assert_json_body(
        &request,
        json!({
            "name": "My New Notebook",
            "imageVersion": "v4",
            "description": "Weekly cold storage report",
        }),
    );
    assert_fixture_notebook(&notebook);
}

#[tokio::test]
async fn notebooks_post_sends_inputs_and_outputs() {
    let server = TestServer::start(vec![Reply::json(201, NOTEBOOK_JSON)]).await;
    let mut body = post_body(types::ImageVersion::V4, "My New Notebook");
    let mut metadata = types::DeviceMetadataInput::new("devices.csv".parse().unwrap());
    metadata.device_ids = Some(vec!["5f2b7c9e1a4d3e0012ab34cd".parse().unwrap()]);
    metadata.format = Some(types::DeviceMetadataInputFormat::Csv);
    body.inputs = Some(vec![types::NotebookInput::DeviceMetadata(metadata)]);
    body.outputs = Some(vec![types::NotebookOutput::TemporaryUrl(
        types::TemporaryUrlOutput::new("anomalies.csv".parse().unwrap()),
    )]);

    client(&server)
        .notebooks()
        .post(&application_id(), body)
        .await
        .unwrap();

    let request = expect_request(&server, "POST", NOTEBOOKS_PATH, None);
    assert_json_body(
        &request,
        json!({
            "name": "My New Notebook",
            "imageVersion": "v4",
            "inputs": [{
                "inputType": "deviceMetadata",
                "fileName": "devices.csv",
                "deviceIds": ["5f2b7c9e1a4d3e0012ab34cd"],
                "format": "csv",
            }],
            "outputs": [{"outputType": "temporaryUrl", "fileName": "anomalies.csv"}],
        }),
    );
}

#[tokio::test]
async fn notebooks_post_validation_failure_is_an_api_error() {
    let server = TestServer::start(vec![Reply::json(
        400,
        r#"{"type":"Validation","message":"name must be at most 1024 characters"}"#,
    )])
    .await;
    let body = post_body(types::ImageVersion::V3, "Too long?");

    let result = client(&server)
        .notebooks()
        .post(&application_id(), body)
        .await;

    assert_api_error(
        result,
        400,
        "Validation",
        "name must be at most 1024 characters",
    );
    let request = expect_request(&server, "POST", NOTEBOOKS_PATH, None);
    assert_json_body(&request, json!({"name": "Too long?", "imageVersion": "v3"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_runs_as_a_spawned_task_after_the_client_is_dropped() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;
    let task = {
        let client = client(&server);
        let (application_id, notebook_id) = (application_id(), notebook_id());
        tokio::spawn(client.notebook().get(&application_id, &notebook_id).send())
    };

    let notebook = task.await.unwrap().unwrap();

    expect_request(&server, "GET", NOTEBOOK_PATH, None);
    assert_fixture_notebook(&notebook);
}

#[tokio::test]
async fn client_wide_accept_version_and_user_agent_are_sent_on_every_request() {
    let server = TestServer::start(vec![
        Reply::json(200, NOTEBOOK_JSON),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let client = support::client_builder(&server.url())
        .accept_version("^1.32.0")
        .user_agent("notebook-runner/2.1")
        .build()
        .unwrap();

    client
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap();
    client
        .notebook()
        .get(&application_id(), &notebook_id())
        .accept_version("^1.30.0")
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header_values("accept-version"), ["^1.32.0"]);
    assert_eq!(requests[1].header_values("accept-version"), ["^1.30.0"]);
    for request in &requests {
        assert_eq!(
            request.header_values("user-agent"),
            [concat!(
                "generated-client/",
                env!("CARGO_PKG_VERSION"),
                " notebook-runner/2.1"
            )]
        );
    }
}
