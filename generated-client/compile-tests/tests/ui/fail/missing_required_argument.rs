use generated_client::{Client, Error, types};

async fn cancel(client: &Client) -> Result<types::Success, Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
    client
        .notebook()
        .cancel_execution(&application_id, &notebook_id)
        .await
}

fn main() {
    let _ = cancel;
}
