use generated_client::{Client, Error, types};

async fn get(client: &Client) -> Result<types::Notebook, Error> {
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
    client.notebook().get(&notebook_id, &notebook_id).await
}

fn main() {
    let _ = get;
}
