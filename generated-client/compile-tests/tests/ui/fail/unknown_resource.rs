use generated_client::{Client, Error, types};

async fn list(client: &Client) -> Result<types::Notebooks, Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    client.notebookz().get(&application_id).await
}

fn main() {
    let _ = list;
}
