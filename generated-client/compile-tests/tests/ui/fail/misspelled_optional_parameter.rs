use generated_client::{Client, Error, types};

async fn logs(client: &Client) -> Result<types::NotebookExecutionLogs, Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
    client
        .notebook()
        .logs(&application_id, &notebook_id)
        .limt(10)
        .await
}

fn main() {
    let _ = logs;
}
