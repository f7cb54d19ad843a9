//! A tour of the Notebook API: upload a notebook, give it one device-data
//! input and one data-table output, run it, wait for the run to end, read
//! the logs, list the application's notebooks, handle a notebook that does
//! not exist, and send a request from a spawned task.
//!
//! ```sh
//! export WEGNOLOGY_API_TOKEN=...            # required
//! export WEGNOLOGY_API_URL=...              # optional, the platform's by default
//! export WEGNOLOGY_APPLICATION_ID=575ec8687ae143cd83dc4a97
//! export WEGNOLOGY_NOTEBOOK_ID=575ed78e7ae143cd83dc4aab
//! export WEGNOLOGY_DEVICE_ID=575ecf887ae143cd83dc4aa2
//! export WEGNOLOGY_DATA_TABLE_ID=575ed78e7ae143cd83dc4aa0
//! cargo run -p generated-client --example notebook_tour -- analysis.ipynb
//! ```

use std::time::Duration;

use generated_client::prelude::*;
use generated_client::{Client, Error, ErrorKind, FilePart, types};

/// What the tour works on.
pub struct Tour {
    /// The application holding the notebook.
    pub application_id: types::ApplicationId,
    /// The notebook to upload to and run.
    pub notebook_id: types::NotebookId,
    /// The device whose data is the notebook's input.
    pub device_id: types::ObjectId,
    /// The data table the notebook's output is written to.
    pub data_table_id: types::ObjectId,
    /// The Jupyter file to upload.
    pub notebook_file: FilePart,
    /// How often to ask whether the run has ended.
    pub poll_interval: Duration,
    /// How many notebooks to ask for per page when listing them.
    pub page_size: i64,
}

/// What the tour saw.
#[derive(Debug)]
pub struct Seen {
    /// The status the run ended with.
    pub final_status: types::NotebookExecutionLogStatus,
    /// How many log entries the last read returned.
    pub log_entries: usize,
    /// The names of the application's notebooks, over every page.
    pub notebook_names: Vec<String>,
    /// Whether asking for a notebook that does not exist said "not found".
    pub missing_was_not_found: bool,
    /// The notebook's name, as the spawned request read it.
    pub spawned_name: String,
}

/// Runs the tour against `client`.
///
/// # Errors
///
/// The first request that fails, other than the 404 the tour expects.
pub async fn run(
    client: &Client,
    tour: Tour,
) -> Result<Seen, Box<dyn std::error::Error + Send + Sync>> {
    let Tour {
        application_id,
        notebook_id,
        device_id,
        data_table_id,
        notebook_file,
        poll_interval,
        page_size,
    } = tour;
    let notebook = client.notebook();

    // 1. Upload the Jupyter file.
    let uploaded = notebook
        .upload(&application_id, &notebook_id, notebook_file)
        .await?;
    println!("uploaded {:?}", uploaded.jupyter_file_name);

    // 2. One input (the last day of data of some devices) and one output
    //    (a CSV written to a data table), built from typed values.
    let input = types::DeviceDataInput {
        device_ids: Some(vec![device_id.into()]),
        ..types::DeviceDataInput::new("device_data.csv".parse()?, -86_400_000, 0)
    };
    let output = types::DataTableOutput::new("results.csv".parse()?, data_table_id.into());
    let patch = types::NotebookPatch {
        inputs: Some(vec![input.into()]),
        outputs: Some(vec![output.into()]),
        ..Default::default()
    };
    let patched = notebook.patch(&application_id, &notebook_id, patch).await?;
    println!("patched {:?}", patched.name);

    // 3. Run it, and wait until the run has ended.
    let queued = notebook
        .execute(
            &application_id,
            &notebook_id,
            types::NotebookExecutionOptions::default(),
        )
        .await?;
    let execution_id = queued
        .execution_id
        .ok_or("the platform returned no execution ID")?;
    let ended = notebook
        .wait_for_execution(&application_id, &notebook_id, &execution_id)
        .interval(poll_interval)
        .deadline(Duration::from_secs(30 * 60))
        .await?;
    println!("execution {execution_id} ended: {:?}", ended.status);

    // 4. The most recent runs.
    let logs = notebook
        .logs(&application_id, &notebook_id)
        .limit(5)
        .await?;
    for entry in &logs {
        println!("{:?}: {:?}", entry.id, entry.status);
    }

    // 5. Every notebook of the application, page by page.
    let mut notebook_names = Vec::new();
    let mut pages = client
        .notebooks()
        .get(&application_id)
        .per_page(page_size)
        .into_stream();
    while let Some(listed) = pages.try_next().await? {
        notebook_names.push(listed.name);
    }

    // 6. A notebook that does not exist is an error with a kind.
    let missing: types::NotebookId = "000000000000000000000000".parse()?;
    let missing_was_not_found = match notebook.get(&application_id, &missing).await {
        Ok(_) => false,
        Err(error) if error.kind() == Some(&ErrorKind::NotFound) => true,
        Err(Error::Api(other)) => {
            println!("unexpected answer for a missing notebook: {other}");
            false
        }
        Err(error) => return Err(error.into()),
    };

    // 7. Builders own what they need, so a request can run in its own task.
    let task = tokio::spawn(notebook.get(&application_id, &notebook_id).send());
    let spawned = task.await??;

    Ok(Seen {
        final_status: ended.status,
        log_entries: logs.len(),
        notebook_names,
        missing_was_not_found,
        spawned_name: spawned.name,
    })
}

/// A required environment variable.
fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: notebook_tour <file.ipynb>")?;
    let client = Client::from_env()?;
    let tour = Tour {
        application_id: var("WEGNOLOGY_APPLICATION_ID")?.parse()?,
        notebook_id: var("WEGNOLOGY_NOTEBOOK_ID")?.parse()?,
        device_id: var("WEGNOLOGY_DEVICE_ID")?.parse()?,
        data_table_id: var("WEGNOLOGY_DATA_TABLE_ID")?.parse()?,
        notebook_file: FilePart::from_path(path),
        poll_interval: Duration::from_secs(5),
        page_size: 100,
    };
    let seen = run(&client, tour).await?;
    println!("{seen:#?}");
    Ok(())
}
