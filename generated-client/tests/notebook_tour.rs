//! The acceptance tour (`examples/notebook_tour.rs`) against a local
//! server that answers each of its calls: the example's `run` is compiled
//! into this test, and every request it sends is checked.

mod support;

#[allow(dead_code)] // the example's `main` reads the environment; the test calls `run`
#[path = "../examples/notebook_tour.rs"]
mod tour;

use std::time::Duration;

use generated_client::{FilePart, types};
use support::{Reply, TestServer, client};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const EXECUTION_ID: &str = "632e18632f59592e773a4153";
const DEVICE_ID: &str = "575ecf887ae143cd83dc4aa2";
const DATA_TABLE_ID: &str = "575ed78e7ae143cd83dc4aa0";
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");
const NOTEBOOK_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab";

/// A log entry of this notebook.
fn entry(id: &str, status: &str) -> String {
    support::log_entry(APPLICATION_ID, NOTEBOOK_ID, id, status)
}

fn log(status: &str) -> Reply {
    Reply::json(200, format!("[{}]", entry(EXECUTION_ID, status)))
}

/// A notebook of a listed page, with what every notebook carries.
fn listed(name: &str) -> String {
    format!(
        r#"{{"id":"{NOTEBOOK_ID}","notebookId":"{NOTEBOOK_ID}","applicationId":"{APPLICATION_ID}","creationDate":"2016-06-13T04:00:00.000Z","lastUpdated":"2016-06-13T04:00:00.000Z","name":"{name}"}}"#
    )
}

#[tokio::test]
async fn the_tour_runs_against_a_server_answering_each_call() {
    let server = TestServer::start(vec![
        Reply::json(200, NOTEBOOK_JSON),
        Reply::json(200, NOTEBOOK_JSON),
        Reply::json(200, format!(r#"{{"success":true,"executionId":"{EXECUTION_ID}"}}"#)),
        log("queued"),
        log("inProgress"),
        log("completed"),
        Reply::json(
            200,
            format!(
                "[{},{}]",
                entry(EXECUTION_ID, "completed"),
                entry("632e18632f59592e773a4154", "errored")
            ),
        ),
        Reply::json(
            200,
            format!(
                r#"{{"items":[{},{}],"count":2,"totalCount":3,"page":0,"perPage":2,"applicationId":"{APPLICATION_ID}"}}"#,
                listed("First"),
                listed("Second")
            ),
        ),
        Reply::json(
            200,
            format!(
                r#"{{"items":[{}],"count":1,"totalCount":3,"page":1,"perPage":2,"applicationId":"{APPLICATION_ID}"}}"#,
                listed("Third")
            ),
        ),
        Reply::json(404, r#"{"type":"NotFound","message":"Notebook was not found"}"#),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let tour = tour::Tour {
        application_id: APPLICATION_ID.parse().expect("application ID"),
        notebook_id: NOTEBOOK_ID.parse().expect("notebook ID"),
        device_id: DEVICE_ID.parse().expect("device ID"),
        data_table_id: DATA_TABLE_ID.parse().expect("data table ID"),
        notebook_file: FilePart::from_bytes("analysis.ipynb", &b"{\"cells\": []}"[..]),
        poll_interval: Duration::from_millis(1),
        page_size: 2,
    };
    let seen = tour::run(&client(&server), tour)
        .await
        .expect("the tour runs");

    assert_eq!(
        seen.final_status,
        types::NotebookExecutionLogStatus::Completed
    );
    assert_eq!(seen.log_entries, 2);
    assert_eq!(seen.notebook_names, ["First", "Second", "Third"]);
    assert!(seen.missing_was_not_found);
    assert_eq!(seen.spawned_name, "Cold Storage Temperature Report");

    let requests = server.requests();
    let calls: Vec<(&str, &str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.query.as_deref()))
        .collect();
    let logs = format!("{NOTEBOOK_PATH}/logs");
    let list = "/applications/575ec8687ae143cd83dc4a97/notebooks";
    assert_eq!(
        calls,
        [
            ("POST", format!("{NOTEBOOK_PATH}/upload").as_str(), None),
            ("PATCH", NOTEBOOK_PATH, None),
            ("POST", format!("{NOTEBOOK_PATH}/execute").as_str(), None),
            ("GET", logs.as_str(), Some("limit=25")),
            ("GET", logs.as_str(), Some("limit=25")),
            ("GET", logs.as_str(), Some("limit=25")),
            ("GET", logs.as_str(), Some("limit=5")),
            ("GET", list, Some("page=0&perPage=2")),
            ("GET", list, Some("page=1&perPage=2")),
            (
                "GET",
                "/applications/575ec8687ae143cd83dc4a97/notebooks/000000000000000000000000",
                None
            ),
            ("GET", NOTEBOOK_PATH, None),
        ]
    );
    // The patch carries the typed input and output as the platform's JSON.
    assert_eq!(
        requests[1].json(),
        serde_json::json!({
            "inputs": [{
                "inputType": "deviceData",
                "fileName": "device_data.csv",
                "deviceIds": [DEVICE_ID],
                "start": -86_400_000,
                "end": 0,
            }],
            "outputs": [{
                "outputType": "dataTable",
                "fileName": "results.csv",
                "dataTableId": DATA_TABLE_ID,
            }],
        })
    );
}
