use generated_client::{Client, Error, types};

async fn get(client: &Client) -> Result<types::Notebook, Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    client
        .notebook()
        .get(&application_id, "575ed78e7ae143cd83dc4aab")
        .await
}

fn main() {
    let _ = get;
}
