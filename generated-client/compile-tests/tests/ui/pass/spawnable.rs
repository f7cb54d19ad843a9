//! Request futures and page streams own what they need: they can be handed
//! to `tokio::spawn` (which wants `Send + 'static`) while the client, the IDs
//! and the builder they came from go out of scope.

use futures_util::TryStreamExt;
use std::time::Duration;

use generated_client::{Client, Error, FilePart, GlobalParameters, RequestOptions, RetryPolicy, types};

fn spawn_everything(client: &Client) -> Result<(), Error> {
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;

    let get: tokio::task::JoinHandle<Result<types::Notebook, Error>> =
        tokio::spawn(client.notebook().get(&application_id, &notebook_id).send());

    // A builder can be kept, moved into a task and awaited there.
    let builder = client
        .notebooks()
        .get(&application_id)
        .per_page(10)
        .losantdomain("example.com")
        .with_timeout(Duration::from_secs(5))
        .with_retry(RetryPolicy::none())
        .with_header("x-correlation-id", "job-42");
    let page = tokio::spawn(async move { builder.await });

    let stream = client.notebooks().get(&application_id).into_stream();
    let all: tokio::task::JoinHandle<Result<Vec<types::Notebook>, Error>> =
        tokio::spawn(stream.try_collect());

    let upload = tokio::spawn(
        client
            .notebook()
            .upload(
                &application_id,
                &notebook_id,
                FilePart::from_path("notebook.ipynb"),
            )
            .send(),
    );

    // The client is a handle: a clone moved into a task works like the original.
    let owned = client.clone();
    let from_clone = tokio::spawn(async move {
        owned.notebook().delete(&application_id, &notebook_id).await
    });

    drop((get, page, all, upload, from_clone));
    Ok(())
}

fn main() {
    let _ = spawn_everything;
}
