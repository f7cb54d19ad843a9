use generated_client::{Client, Error, types};

async fn execute(client: &Client) -> Result<types::SuccessWithExecutionId, Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
    let body = types::NotebookPatch::default();
    client
        .notebook()
        .execute(&application_id, &notebook_id, body)
        .await
}

fn main() {
    let _ = execute;
}
