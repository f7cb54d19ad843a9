//! Memory of a streaming upload: the client uploads a 512 MiB file with
//! `client.notebook().upload(&app, &nb, FilePart::from_path(path))` to a
//! local server that reads the body and discards it, counting bytes, and
//! the client process's peak resident set size (`VmHWM` of
//! `/proc/self/status`) is reported.
//!
//! The server runs in a separate process (this binary, started again with
//! `--serve`), so its buffers do not count towards the client's peak. The
//! file is created sparse (`set_len`) under `target/bench-upload/` and
//! removed at the end.
//!
//! Target: peak RSS < 64 MiB.
//!
//! `cargo run --release -p benchmarks --bin upload_rss`

use std::convert::Infallible;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use benchmarks::{human, mib, proc_status_bytes, summary, target_dir, verdict};
use bytes::Bytes;
use generated_client::{Client, FilePart, RetryPolicy, types};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const FILE_SIZE: u64 = 512 * 1024 * 1024;
const TARGET: u64 = 64 * 1024 * 1024;
const NOTEBOOK_JSON: &str = include_str!("../../../generated-client/tests/fixtures/notebook.json");

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--serve") {
        serve();
        return;
    }
    if let Err(error) = run() {
        eprintln!("upload_rss: {error}");
        std::process::exit(1);
    }
}

/// The upload file, removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The server process, killed when dropped if it is still running.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

fn run() -> Result<(), String> {
    let dir = target_dir().join("bench-upload");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let file = TempFile(dir.join("notebook-512MiB.ipynb"));
    create_sparse(&file.0, FILE_SIZE)?;

    let exe = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
    let mut server = Server(
        Command::new(exe)
            .arg("--serve")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?,
    );
    let stdout = server.0.stdout.take().ok_or("no server stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let address = lines
        .next()
        .and_then(Result::ok)
        .ok_or("the server did not say its address")?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    let client = Client::builder("bench-token")
        .base_url(format!("http://{address}"))
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(600))
        .build()
        .map_err(|e| format!("client: {e}"))?;
    let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97"
        .parse()
        .map_err(|e| format!("{e}"))?;
    let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab"
        .parse()
        .map_err(|e| format!("{e}"))?;

    let before = proc_status_bytes("VmHWM").ok_or("no VmHWM in /proc/self/status")?;
    let start = Instant::now();
    // The answer decoded into a notebook (whose `id` is always sent), or
    // this is an error.
    let _: types::Notebook = runtime
        .block_on(async {
            client
                .notebook()
                .upload(&application_id, &notebook_id, FilePart::from_path(&file.0))
                .await
        })
        .map_err(|e| format!("upload failed: {e}"))?;
    let elapsed = start.elapsed();
    let peak = proc_status_bytes("VmHWM").ok_or("no VmHWM in /proc/self/status")?;
    let received: u64 = lines
        .next()
        .and_then(Result::ok)
        .and_then(|line| line.strip_prefix("received ")?.parse().ok())
        .ok_or("the server did not say how much it received")?;
    let server_peak = lines
        .next()
        .and_then(Result::ok)
        .and_then(|line| line.strip_prefix("peak ")?.parse::<u64>().ok());
    drop(server);
    drop(file);

    if received < FILE_SIZE {
        return Err(format!(
            "the server received {received} bytes, less than the file's {FILE_SIZE}"
        ));
    }
    summary(&format!(
        "## 5. Memory of a streaming upload ({} file through notebook().upload(FilePart::from_path))",
        mib(FILE_SIZE)
    ));
    summary("");
    summary("| measure | value |");
    summary("| --- | ---: |");
    summary(&format!(
        "| client peak RSS (VmHWM) after the upload | {} |",
        mib(peak)
    ));
    summary(&format!(
        "| client peak RSS before the upload (runtime and client built) | {} |",
        mib(before)
    ));
    summary(&format!(
        "| multipart body bytes the server read | {received} |"
    ));
    summary(&format!(
        "| upload time | {} ({:.0} MiB/s) |",
        human(elapsed),
        FILE_SIZE as f64 / (1024.0 * 1024.0) / elapsed.as_secs_f64()
    ));
    if let Some(server_peak) = server_peak {
        summary(&format!(
            "| server process peak RSS (separate process, for reference) | {} |",
            mib(server_peak)
        ));
    }
    summary("");
    summary(&format!(
        "- client peak RSS {}, target < 64 MiB: {}",
        mib(peak),
        verdict(peak < TARGET)
    ));
    summary("");
    Ok(())
}

/// Creates `path` as a sparse file of `size` bytes (all zeros).
fn create_sparse(path: &Path, size: u64) -> Result<(), String> {
    std::fs::File::create(path)
        .and_then(|file| file.set_len(size))
        .map_err(|e| format!("creating {}: {e}", path.display()))
}

/// The server process: binds a local port, prints its address, and serves
/// one connection, reading each request body to the end without keeping it;
/// after each body it prints the number of bytes read and its own peak RSS.
fn serve() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("server runtime: {error}"));
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|error| panic!("bind: {error}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|error| panic!("address: {error}"));
        println!("{address}");
        let _ = std::io::stdout().flush();
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let service = service_fn(|request: Request<Incoming>| async move {
            let mut body = request.into_body();
            let mut received: u64 = 0;
            while let Some(Ok(frame)) = body.frame().await {
                if let Some(data) = frame.data_ref() {
                    received += data.len() as u64;
                }
            }
            println!("received {received}");
            println!("peak {}", proc_status_bytes("VmHWM").unwrap_or_default());
            let _ = std::io::stdout().flush();
            let mut response =
                Response::new(Full::new(Bytes::from_static(NOTEBOOK_JSON.as_bytes())));
            response.headers_mut().insert(
                "content-type",
                hyper::header::HeaderValue::from_static("application/json"),
            );
            Ok::<_, Infallible>(response)
        });
        let _ = http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await;
    });
}
