//! The `wait_for_execution` waiter against a local server: it polls the
//! logs until the awaited execution's status is terminal, skips other
//! executions, sends the spec's `limit` on every poll, and ends with
//! `Error::WaitDeadline` when the deadline passes first.

mod support;

use std::time::Duration;

use generated_client::{Error, types};
use support::{Reply, TestServer, client};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const EXECUTION_ID: &str = "632e18632f59592e773a4153";
const OTHER_EXECUTION_ID: &str = "632e18632f59592e773a4154";
const LOGS_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab/logs";

/// A log entry of execution `id` of this notebook.
fn entry(id: &str, status: &str) -> String {
    support::log_entry(APPLICATION_ID, NOTEBOOK_ID, id, status)
}

/// A logs response holding a newer execution (always queued) and the
/// awaited one with `status`.
fn logs(status: &str) -> Reply {
    Reply::json(
        200,
        format!(
            "[{},{}]",
            entry(OTHER_EXECUTION_ID, "queued"),
            entry(EXECUTION_ID, status)
        ),
    )
}

fn ids() -> (types::ApplicationId, types::NotebookId, types::ExecutionId) {
    (
        APPLICATION_ID.parse().expect("application ID"),
        NOTEBOOK_ID.parse().expect("notebook ID"),
        EXECUTION_ID.parse().expect("execution ID"),
    )
}

#[tokio::test]
async fn polls_until_the_execution_reaches_a_terminal_status() {
    let server =
        TestServer::start(vec![logs("queued"), logs("inProgress"), logs("completed")]).await;
    let (application_id, notebook_id, execution_id) = ids();
    let done = client(&server)
        .notebook()
        .wait_for_execution(&application_id, &notebook_id, &execution_id)
        .interval(Duration::from_millis(1))
        .await
        .expect("the execution completes");
    assert_eq!(done.id, execution_id);
    assert_eq!(done.status, types::NotebookExecutionLogStatus::Completed);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one poll per status: {requests:#?}");
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, LOGS_PATH);
        assert_eq!(request.query.as_deref(), Some("limit=25"));
    }
}

#[tokio::test]
async fn the_waiter_is_spawnable_and_keeps_polling_while_the_execution_is_not_listed() {
    let server = TestServer::start(vec![
        Reply::json(200, format!("[{}]", entry(OTHER_EXECUTION_ID, "completed"))),
        logs("errored"),
    ])
    .await;
    let (application_id, notebook_id, execution_id) = ids();
    let waiter = client(&server)
        .notebook()
        .wait_for_execution(&application_id, &notebook_id, &execution_id)
        .interval(Duration::from_millis(1));
    let done = tokio::spawn(waiter.send())
        .await
        .expect("the task runs")
        .expect("the execution ends");
    assert_eq!(done.status, types::NotebookExecutionLogStatus::Errored);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_passed_deadline_is_an_error_with_the_last_status() {
    let server = TestServer::start(vec![logs("inProgress")]).await;
    let (application_id, notebook_id, execution_id) = ids();
    let error = client(&server)
        .notebook()
        .wait_for_execution(&application_id, &notebook_id, &execution_id)
        .deadline(Duration::ZERO)
        .await
        .expect_err("the deadline passes at the first poll");
    let Error::WaitDeadline { last_status, .. } = &error else {
        panic!("expected WaitDeadline, got {error:?}");
    };
    assert_eq!(last_status.as_deref(), Some("inProgress"));
    assert!(error.to_string().contains("inProgress"), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_failed_poll_ends_the_wait_with_its_error() {
    let server = TestServer::start(vec![
        logs("queued"),
        Reply::json(
            404,
            r#"{"type":"NotFound","message":"Notebook was not found"}"#,
        ),
    ])
    .await;
    let (application_id, notebook_id, execution_id) = ids();
    let error = client(&server)
        .notebook()
        .wait_for_execution(&application_id, &notebook_id, &execution_id)
        .interval(Duration::from_millis(1))
        .await
        .expect_err("the second poll fails");
    assert_eq!(
        error.status(),
        Some(generated_client::StatusCode::NOT_FOUND)
    );
}

#[test]
fn terminal_statuses_are_the_specs() {
    use types::NotebookExecutionLogStatus as Status;
    for status in [
        Status::Completed,
        Status::Errored,
        Status::Timeout,
        Status::Canceled,
    ] {
        assert!(status.is_terminal(), "{status}");
    }
    for status in [
        Status::Queued,
        Status::InProgress,
        Status::Canceling,
        Status::Unknown("paused".to_owned()),
    ] {
        assert!(!status.is_terminal(), "{status}");
    }
}
