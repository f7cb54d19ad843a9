//! Every action of every resource, called with typed inputs, with the type of
//! each result written out so that a change of signature fails to compile.

use futures_util::StreamExt;
use generated_client::{Client, Error, FilePart, GlobalParameters, notebook, notebooks, types};

async fn every_action(client: &Client) -> Result<(), Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
    let execution_id: types::ExecutionId = "632e18632f59592e773a4153".parse()?;

    // notebooks: post
    let mut new_notebook = types::NotebookPost::new("Analysis", types::ImageVersion::V4);
    new_notebook.description = Some("Daily analysis".to_owned());
    new_notebook.inputs = Some(vec![types::NotebookInput::DeviceData(
        types::DeviceDataInput::new("data.csv".parse()?, -86_400_000, 0),
    )]);
    new_notebook.outputs = Some(vec![types::NotebookOutput::ExecutionResult(
        types::ExecutionResultOutput::new(types::ExecutionResultOutputFileName::ResultHtml),
    )]);
    let created: types::Notebook = client
        .notebooks()
        .post(&application_id, new_notebook)
        .await?;
    let _: types::NotebookId = created.id;

    // notebooks: get, with every optional parameter and every global one
    let page: types::Notebooks = client
        .notebooks()
        .get(&application_id)
        .filter("my*notebook")
        .filter_field(types::NotebooksFilterFieldParam::Name)
        .page(0)
        .per_page(10)
        .sort_direction(types::SortDirectionParam::Desc)
        .sort_field(types::NotebooksSortFieldParam::LastUpdated)
        .losantdomain("example.com")
        .accept_version("^1.30.0")
        .actions(true)
        .links(false)
        .embedded(true)
        .await?;
    let _: Vec<types::Notebook> = page.items;

    // notebooks: get, every item of every page as a stream
    let mut all = std::pin::pin!(
        client
            .notebooks()
            .get(&application_id)
            .per_page(50)
            .into_stream()
    );
    while let Some(item) = all.next().await {
        let notebook: types::Notebook = item?;
        let _: String = notebook.name;
    }

    // notebook: get, through `send` as well as `.await`
    let notebook: types::Notebook = client.notebook().get(&application_id, &notebook_id).await?;
    let _: String = notebook.name;
    let sent: Result<types::Notebook, Error> = client
        .notebook()
        .get(&application_id, &notebook_id)
        .send()
        .await;
    let _ = sent?;

    // notebook: patch
    let patch = types::NotebookPatch {
        name: Some("Renamed".to_owned()),
        image_version: Some(types::ImageVersion::V3),
        ..Default::default()
    };
    let patched: types::Notebook = client
        .notebook()
        .patch(&application_id, &notebook_id, patch)
        .await?;
    let _: Option<types::ImageVersion> = patched.image_version;

    // notebook: upload, from memory and from a path
    let from_bytes = FilePart::from_bytes("analysis.ipynb", b"{}".to_vec())
        .mime_type("application/x-ipynb+json");
    let uploaded: types::Notebook = client
        .notebook()
        .upload(&application_id, &notebook_id, from_bytes)
        .await?;
    let _: Option<String> = uploaded.jupyter_file_name;
    let from_path = FilePart::from_path("notebooks/analysis.ipynb").file_name("renamed.ipynb");
    let uploaded: types::Notebook = client
        .notebook()
        .upload(&application_id, &notebook_id, from_path)
        .await?;
    let _: Option<String> = uploaded.jupyter_file_url;

    // notebook: execute
    let options = types::NotebookExecutionOptions {
        email: Some("user@example.com".to_owned()),
        relative_to: Some(types::RelativeTo::Number(
            generated_client::Timestamp::from_millis(1_570_549_199_451),
        )),
        ..Default::default()
    };
    let queued: types::SuccessWithExecutionId = client
        .notebook()
        .execute(&application_id, &notebook_id, options)
        .await?;
    let _: Option<types::ExecutionId> = queued.execution_id;

    // notebook: logs, with both optional parameters
    let logs: types::NotebookExecutionLogs = client
        .notebook()
        .logs(&application_id, &notebook_id)
        .limit(10)
        .since(generated_client::Timestamp::from_millis(1_465_790_400_000))
        .await?;
    let _: Vec<types::NotebookExecutionLog> = logs;

    // notebook: notebookMinuteCounts, with both optional parameters
    let counts: types::NotebookMinuteCounts = client
        .notebook()
        .notebook_minute_counts(&application_id, &notebook_id)
        .start(std::time::SystemTime::UNIX_EPOCH)
        .end(chrono::Utc::now())
        .await?;
    let _: Vec<types::NotebookMinuteCount> = counts.counts;

    // notebook: requestInputDataExport
    let export = types::NotebookDataExportOptions {
        email: Some("user@example.com".to_owned()),
        ..Default::default()
    };
    let job: types::JobEnqueuedResult = client
        .notebook()
        .request_input_data_export(&application_id, &notebook_id, export)
        .await?;
    let _: Option<String> = job.job_id;

    // notebook: cancelExecution
    let canceled: types::Success = client
        .notebook()
        .cancel_execution(&application_id, &notebook_id, &execution_id)
        .await?;
    let _: Option<bool> = canceled.success;

    // notebook: delete
    let deleted: types::Success = client
        .notebook()
        .delete(&application_id, &notebook_id)
        .accept_version("^1.30.0")
        .await?;
    let _: Option<bool> = deleted.success;

    Ok(())
}

/// The token scopes of every operation are constants of its request type.
const SCOPES: [&[&str]; 11] = [
    notebook::NotebookCancelExecutionRequest::SCOPES,
    notebook::NotebookDeleteRequest::SCOPES,
    notebook::NotebookExecuteRequest::SCOPES,
    notebook::NotebookGetRequest::SCOPES,
    notebook::NotebookLogsRequest::SCOPES,
    notebook::NotebookNotebookMinuteCountsRequest::SCOPES,
    notebook::NotebookPatchRequest::SCOPES,
    notebook::NotebookRequestInputDataExportRequest::SCOPES,
    notebook::NotebookUploadRequest::SCOPES,
    notebooks::NotebooksGetRequest::SCOPES,
    notebooks::NotebooksPostRequest::SCOPES,
];

/// The requests can be awaited from a task on a multi-threaded runtime.
#[allow(dead_code)]
fn futures_are_send(client: &Client) {
    fn assert_send<T: Send>(_: T) {}
    assert_send(every_action(client));
}

fn main() {
    let _ = SCOPES;
}
