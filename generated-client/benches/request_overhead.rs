//! Request overhead: `client.notebook().get(&app, &nb).await` through the
//! generated client against the same request written by hand with reqwest,
//! both decoding the same realistic Notebook JSON into `types::Notebook`.
//!
//! Setup, identical for both:
//! - a local hyper HTTP/1.1 server on 127.0.0.1 (keep-alive), on a thread
//!   and runtime of its own, answering every request with
//!   `tests/fixtures/notebook.json`;
//! - one current-thread tokio runtime for the client side, shared by both;
//! - a `reqwest::Client` built by the same function for each (only
//!   `connect_timeout(10 s)`, the generated client's default); the generated
//!   client gets its own through `ClientBuilder::http_client`, with
//!   `RetryPolicy::none()` (a successful request is never retried, so the
//!   policy does not change the work done);
//! - the same request on the wire: `GET` of the same path with
//!   `Authorization: Bearer …`, `Accept: application/json` and the same
//!   `User-Agent` (checked before measuring).
//!
//! The generated client also sets its per-request timeout (60 s by default)
//! on every request; the hand-written call does not, as a typical
//! hand-written call would not.
//!
//! After criterion's measurements, a paired run alternates blocks of
//! requests of the two variants and reports the median of the per-block
//! throughput ratios, which is robust to the load of a shared machine
//! changing during the run.
//!
//! `cargo bench -p generated-client --bench request_overhead`

mod support;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, Throughput};
use generated_client::{Client, RetryPolicy, types};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use reqwest::header::{ACCEPT, USER_AGENT};
use support::{criterion_median_ns, summary, verdict};

const NOTEBOOK_JSON: &str = include_str!("../tests/fixtures/notebook.json");
const TOKEN: &str = "bench-token-5f3a9c";
const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
/// The generated client's default `User-Agent`, sent by both variants.
const AGENT: &str = concat!("generated-client/", env!("CARGO_PKG_VERSION"));
const GROUP: &str = "notebook_get";

/// Requests per block of the paired run, and blocks per variant.
const PAIRED_BLOCK: usize = 200;
const PAIRED_ROUNDS: usize = 15;

/// What the server saw of a request: method, path and query, and the
/// headers the comparison cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    target: String,
    authorization: Option<String>,
    accept: Option<String>,
    user_agent: Option<String>,
}

struct Server {
    address: SocketAddr,
    record: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// Starts the server on a thread of its own with its own runtime, so the
/// client's runtime does nothing but the client's work.
fn start_server() -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let address = listener.local_addr().expect("local address");
    let record = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (record_in, seen_in) = (Arc::clone(&record), Arc::clone(&seen));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            let body = Bytes::from_static(NOTEBOOK_JSON.as_bytes());
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let (body, record, seen) = (body.clone(), record_in.clone(), seen_in.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let (body, record, seen) = (body.clone(), record.clone(), seen.clone());
                        async move {
                            if record.load(Ordering::Relaxed) {
                                let header = |name: &str| {
                                    request
                                        .headers()
                                        .get(name)
                                        .and_then(|v| v.to_str().ok())
                                        .map(str::to_owned)
                                };
                                let entry = Seen {
                                    target: request.uri().to_string(),
                                    authorization: header("authorization"),
                                    accept: header("accept"),
                                    user_agent: header("user-agent"),
                                };
                                seen.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
                            }
                            // Read the (empty) request body to the end.
                            let _ = request.into_body().collect().await;
                            let mut response = Response::new(Full::new(body));
                            response.headers_mut().insert(
                                "content-type",
                                hyper::header::HeaderValue::from_static("application/json"),
                            );
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    Server {
        address,
        record,
        seen,
    }
}

/// The one way both variants get their `reqwest::Client`.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

struct Variants {
    generated: Client,
    http: reqwest::Client,
    base_url: String,
    application_id: types::ApplicationId,
    notebook_id: types::NotebookId,
}

impl Variants {
    async fn generated(&self) -> types::Notebook {
        self.generated
            .notebook()
            .get(&self.application_id, &self.notebook_id)
            .await
            .expect("generated client request")
    }

    /// The request as one would write it by hand with reqwest.
    async fn hand_written(&self) -> types::Notebook {
        let url = format!(
            "{}/applications/{}/notebooks/{}",
            self.base_url, self.application_id, self.notebook_id
        );
        self.http
            .get(url)
            .bearer_auth(TOKEN)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, AGENT)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("hand-written request")
            .json::<types::Notebook>()
            .await
            .expect("hand-written decode")
    }
}

fn main() {
    let server = start_server();
    let base_url = format!("http://{}", server.address);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let variants = Variants {
        generated: Client::builder(TOKEN)
            .base_url(&base_url)
            .http_client(http_client())
            .retry(RetryPolicy::none())
            .build()
            .expect("generated client"),
        http: http_client(),
        base_url,
        application_id: APPLICATION_ID.parse().expect("application ID"),
        notebook_id: NOTEBOOK_ID.parse().expect("notebook ID"),
    };

    // Both send the same request and decode the same notebook.
    server.record.store(true, Ordering::Relaxed);
    let (generated, hand_written) =
        runtime.block_on(async { (variants.generated().await, variants.hand_written().await) });
    server.record.store(false, Ordering::Relaxed);
    assert_eq!(generated, hand_written, "both decode the same notebook");
    assert_eq!(generated.inputs.as_ref().map(Vec::len), Some(7));
    {
        let seen = server.seen.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0], seen[1], "the two variants send the same request");
        assert_eq!(
            seen[0].authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(seen[0].accept.as_deref(), Some("application/json"));
    }

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group(GROUP);
        group.throughput(Throughput::Elements(1));
        group.bench_function("generated", |b| {
            b.to_async(&runtime).iter(|| variants.generated());
        });
        group.bench_function("hand_written", |b| {
            b.to_async(&runtime).iter(|| variants.hand_written());
        });
        group.finish();
    }
    criterion.final_summary();

    if !support::measuring() {
        return;
    }
    let paired = paired_ratio(&runtime, &variants);
    report(paired);
}

/// Alternates blocks of `PAIRED_BLOCK` requests of each variant (which one
/// goes first alternates too) and returns the median ratio of generated to
/// hand-written throughput, with each variant's median time per request.
fn paired_ratio(
    runtime: &tokio::runtime::Runtime,
    variants: &Variants,
) -> (f64, Duration, Duration) {
    let mut ratios = Vec::new();
    let mut generated_times = Vec::new();
    let mut hand_times = Vec::new();
    runtime.block_on(async {
        for round in 0..PAIRED_ROUNDS {
            let mut generated = Duration::ZERO;
            let mut hand = Duration::ZERO;
            for first_generated in [round % 2 == 0, round % 2 != 0] {
                let start = Instant::now();
                for _ in 0..PAIRED_BLOCK {
                    if first_generated {
                        std::hint::black_box(variants.generated().await);
                    } else {
                        std::hint::black_box(variants.hand_written().await);
                    }
                }
                if first_generated {
                    generated = start.elapsed();
                } else {
                    hand = start.elapsed();
                }
            }
            // Throughput ratio = inverse time ratio.
            ratios.push(hand.as_secs_f64() / generated.as_secs_f64());
            generated_times.push(generated / PAIRED_BLOCK as u32);
            hand_times.push(hand / PAIRED_BLOCK as u32);
        }
    });
    ratios.sort_by(f64::total_cmp);
    generated_times.sort();
    hand_times.sort();
    (
        ratios[ratios.len() / 2],
        generated_times[generated_times.len() / 2],
        hand_times[hand_times.len() / 2],
    )
}

/// Prints the summary, from criterion's estimates and the paired run, and
/// appends it to the file named by `BENCH_SUMMARY`.
fn report((paired, paired_generated, paired_hand): (f64, Duration, Duration)) {
    let generated = criterion_median_ns(GROUP, "generated");
    let hand = criterion_median_ns(GROUP, "hand_written");
    let mut lines = vec![
        "## 2. Request overhead (notebook().get vs hand-written reqwest, sequential, one keep-alive connection each)".to_owned(),
        String::new(),
        "| variant | criterion median per request | throughput | paired-run median per request |".to_owned(),
        "| --- | ---: | ---: | ---: |".to_owned(),
    ];
    for (name, ns, paired_time) in [
        ("generated client", generated, paired_generated),
        ("hand-written reqwest", hand, paired_hand),
    ] {
        let (time, rate) = match ns {
            Some(ns) => (
                format!("{:.1} µs", ns / 1e3),
                format!("{:.0} req/s", 1e9 / ns),
            ),
            None => ("n/a".to_owned(), "n/a".to_owned()),
        };
        lines.push(format!(
            "| {name} | {time} | {rate} | {:.1} µs |",
            paired_time.as_secs_f64() * 1e6
        ));
    }
    lines.push(String::new());
    if let (Some(generated), Some(hand)) = (generated, hand) {
        let ratio = hand / generated;
        lines.push(format!(
            "- generated / hand-written throughput (criterion medians): {:.1}%, target ≥ 95%: {}",
            ratio * 100.0,
            verdict(ratio >= 0.95)
        ));
    }
    lines.push(format!(
        "- generated / hand-written throughput (paired run, median of {PAIRED_ROUNDS} block ratios of {PAIRED_BLOCK} requests): {:.1}%, target ≥ 95%: {}",
        paired * 100.0,
        verdict(paired >= 0.95)
    ));
    lines.push(String::new());
    summary(&lines);
}
