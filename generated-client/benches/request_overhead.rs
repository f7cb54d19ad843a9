//! Request overhead: `client.notebook().get(&app, &nb).await` through the
//! generated client against the same request written by hand with reqwest,
//! both decoding the same realistic Notebook JSON into `types::Notebook`.
//!
//! Setup, identical for both:
//! - a local hyper HTTP/1.1 server on 127.0.0.1 (keep-alive) answering
//!   every request with `tests/fixtures/notebook.json`;
//! - one current-thread tokio runtime, shared by both clients and the
//!   server: each request's time is then the work of client and server on
//!   one thread, without cross-thread wake-ups, which on a small virtual
//!   machine are slow and erratic (with the server on a thread of its own,
//!   the same request took anywhere between 50 and 120 µs from run to run);
//! - a `reqwest::Client` built by the same function for each (only
//!   `connect_timeout(10 s)`, the generated client's default); the generated
//!   client gets its own through `ClientBuilder::http_client`, with
//!   `RetryPolicy::none()` (a successful request is never retried, so the
//!   policy does not change the work done);
//! - the same request on the wire: `GET` of the same path with
//!   `Authorization: Bearer …`, `Accept: application/json`, the same
//!   `Accept-Version` and the same `User-Agent` (checked before measuring).
//!
//! A generated client given its HTTP client keeps that client's
//! configuration, here no total timeout, like the hand-written call.
//!
//! Two more variants are measured as diagnostics of the timeout's cost: the
//! generated client with default settings (it builds its own reqwest client,
//! with the default 60 s total timeout), and the hand-written call with the
//! same timeout set on the request.
//!
//! Criterion's time is its headline estimate (the slope of its linear
//! sampling). After criterion, a paired run takes turns between the
//! variants, block by block, and reports the median over rounds of each
//! variant's throughput relative to the hand-written call measured in the
//! same round, which is robust to the load of a shared machine changing
//! during the run.
//!
//! `cargo bench -p generated-client --bench request_overhead`
//!
//! `… --bench request_overhead -- --requests VARIANT N` sends nothing but N
//! requests of one variant (`generated`, `hand_written`, …), unmeasured,
//! for `valgrind --tool=callgrind` or `strace -c`: the difference between
//! two values of N, divided by their difference, is the cost of one request.

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
use support::{criterion_typical_ns, summary, verdict};

const NOTEBOOK_JSON: &str = include_str!("../tests/fixtures/notebook.json");
const TOKEN: &str = "bench-token-5f3a9c";
const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
/// The generated client's default `User-Agent`, sent by both variants.
const AGENT: &str = concat!("generated-client/", env!("CARGO_PKG_VERSION"));
const GROUP: &str = "notebook_get";

/// Requests per block of the paired run, and blocks per variant.
const PAIRED_BLOCK: usize = 200;
const PAIRED_ROUNDS: usize = 60;

/// What the server saw of a request: method, path and query, and the
/// headers the comparison cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    target: String,
    authorization: Option<String>,
    accept: Option<String>,
    accept_version: Option<String>,
    user_agent: Option<String>,
}

struct Server {
    address: SocketAddr,
    record: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// Starts the server as a task of `runtime`, the clients' runtime.
fn start_server(runtime: &tokio::runtime::Runtime) -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let address = listener.local_addr().expect("local address");
    let record = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (record_in, seen_in) = (Arc::clone(&record), Arc::clone(&seen));
    let serve = async move {
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
                                accept_version: header("accept-version"),
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
    };
    runtime.spawn(serve);
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
    generated_defaults: Client,
    http: reqwest::Client,
    base_url: String,
    application_id: types::ApplicationId,
    notebook_id: types::NotebookId,
}

impl Variants {
    async fn generated(&self) -> types::Notebook {
        Self::get(&self.generated, self).await
    }

    async fn generated_defaults(&self) -> types::Notebook {
        Self::get(&self.generated_defaults, self).await
    }

    async fn get(client: &Client, ids: &Self) -> types::Notebook {
        client
            .notebook()
            .get(&ids.application_id, &ids.notebook_id)
            .await
            .expect("generated client request")
    }

    /// The request as one would write it by hand with reqwest.
    async fn hand_written(&self) -> types::Notebook {
        self.hand_written_request(None).await
    }

    /// The same, with the per-request timeout the generated client sets, to
    /// tell how much of a difference that timeout makes.
    async fn hand_written_with_timeout(&self) -> types::Notebook {
        self.hand_written_request(Some(Duration::from_secs(60)))
            .await
    }

    async fn hand_written_request(&self, timeout: Option<Duration>) -> types::Notebook {
        let url = format!(
            "{}/applications/{}/notebooks/{}",
            self.base_url, self.application_id, self.notebook_id
        );
        let mut request = self
            .http
            .get(url)
            .bearer_auth(TOKEN)
            .header(ACCEPT, "application/json")
            .header("accept-version", generated_client::DEFAULT_ACCEPT_VERSION)
            .header(USER_AGENT, AGENT);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        request
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("hand-written request")
            .bytes()
            .await
            .map(|body| serde_json::from_slice::<types::Notebook>(&body))
            .expect("hand-written body")
            .expect("hand-written decode")
    }

    async fn run(&self, variant: Variant) -> types::Notebook {
        match variant {
            Variant::Generated => self.generated().await,
            Variant::GeneratedDefaults => self.generated_defaults().await,
            Variant::HandWritten => self.hand_written().await,
            Variant::HandWrittenWithTimeout => self.hand_written_with_timeout().await,
        }
    }
}

/// The variants measured, in the order of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Generated,
    HandWritten,
    GeneratedDefaults,
    HandWrittenWithTimeout,
}

impl Variant {
    const ALL: [Variant; 4] = [
        Variant::Generated,
        Variant::HandWritten,
        Variant::GeneratedDefaults,
        Variant::HandWrittenWithTimeout,
    ];

    /// The criterion function name.
    fn id(self) -> &'static str {
        match self {
            Variant::Generated => "generated",
            Variant::HandWritten => "hand_written",
            Variant::GeneratedDefaults => "generated_defaults",
            Variant::HandWrittenWithTimeout => "hand_written_timeout",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Variant::Generated => "generated client",
            Variant::HandWritten => "hand-written reqwest",
            Variant::GeneratedDefaults => {
                "generated client, default settings: own reqwest client, 60 s timeout (diagnostic)"
            }
            Variant::HandWrittenWithTimeout => {
                "hand-written reqwest + per-request timeout (diagnostic)"
            }
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let server = start_server(&runtime);
    let base_url = format!("http://{}", server.address);
    let variants = Variants {
        generated: Client::builder(TOKEN)
            .base_url(&base_url)
            .http_client(http_client())
            .retry(RetryPolicy::none())
            .build()
            .expect("generated client"),
        generated_defaults: Client::builder(TOKEN)
            .base_url(&base_url)
            .retry(RetryPolicy::none())
            .build()
            .expect("generated client with default settings"),
        http: http_client(),
        base_url,
        application_id: APPLICATION_ID.parse().expect("application ID"),
        notebook_id: NOTEBOOK_ID.parse().expect("notebook ID"),
    };

    if let Some(position) = std::env::args().position(|arg| arg == "--requests") {
        let args: Vec<String> = std::env::args().skip(position + 1).take(2).collect();
        let variant = Variant::ALL
            .into_iter()
            .find(|v| Some(v.id()) == args.first().map(String::as_str));
        let count = args.get(1).and_then(|n| n.parse::<usize>().ok());
        let (Some(variant), Some(count)) = (variant, count) else {
            eprintln!("usage: request_overhead --requests VARIANT N");
            std::process::exit(2);
        };
        runtime.block_on(async {
            for _ in 0..count {
                std::hint::black_box(variants.run(variant).await);
            }
        });
        return;
    }

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
        for variant in Variant::ALL {
            group.bench_function(variant.id(), |b| {
                b.to_async(&runtime).iter(|| variants.run(variant));
            });
        }
        group.finish();
    }
    criterion.final_summary();

    if !support::measuring() {
        return;
    }
    let paired = paired_run(&runtime, &variants);
    report(&paired);
}

/// What the paired run found for one variant.
struct Paired {
    variant: Variant,
    /// Median over rounds of the time per request.
    median: Duration,
    /// Median over rounds of the throughput relative to the hand-written
    /// call of the same round.
    median_ratio: f64,
    /// The time per request of the variant's fastest block: the least
    /// disturbed by whatever else the machine was doing.
    best: Duration,
}

/// Runs blocks of `PAIRED_BLOCK` requests of each variant in turn (the
/// order rotating from round to round).
fn paired_run(runtime: &tokio::runtime::Runtime, variants: &Variants) -> Vec<Paired> {
    let count = Variant::ALL.len();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); count];
    runtime.block_on(async {
        for round in 0..PAIRED_ROUNDS {
            for offset in 0..count {
                let index = (round + offset) % count;
                let start = Instant::now();
                for _ in 0..PAIRED_BLOCK {
                    std::hint::black_box(variants.run(Variant::ALL[index]).await);
                }
                times[index].push(start.elapsed() / PAIRED_BLOCK as u32);
            }
        }
    });
    let hand = Variant::ALL
        .iter()
        .position(|v| *v == Variant::HandWritten)
        .unwrap_or(0);
    Variant::ALL
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            // Throughput ratio = inverse time ratio, round by round.
            let mut ratios: Vec<f64> = (0..PAIRED_ROUNDS)
                .map(|round| times[hand][round].as_secs_f64() / times[index][round].as_secs_f64())
                .collect();
            ratios.sort_by(f64::total_cmp);
            let mut own = times[index].clone();
            own.sort();
            Paired {
                variant: *variant,
                median: own[own.len() / 2],
                median_ratio: ratios[ratios.len() / 2],
                best: own[0],
            }
        })
        .collect()
}

/// Prints the summary, from criterion's estimates and the paired run, and
/// appends it to the file named by `BENCH_SUMMARY`.
fn report(paired: &[Paired]) {
    let typical = |variant: Variant| criterion_typical_ns(GROUP, variant.id());
    let hand = typical(Variant::HandWritten);
    let mut lines = vec![
        "## 2. Request overhead: `client.notebook().get(&app, &nb).await` vs hand-written reqwest".to_owned(),
        String::new(),
        "Sequential requests on one keep-alive connection per client; throughput relative to the hand-written call.".to_owned(),
        String::new(),
        "| variant | criterion time per request | throughput | relative (criterion) | paired run: time per request | relative (paired, median of rounds) | paired run: best block | relative (best blocks) |".to_owned(),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |".to_owned(),
    ];
    let best_of = |wanted: Variant| paired.iter().find(|p| p.variant == wanted).map(|p| p.best);
    let hand_best = best_of(Variant::HandWritten);
    for row in paired {
        let ns = typical(row.variant);
        let (time, rate) = match ns {
            Some(ns) => (
                format!("{:.1} µs", ns / 1e3),
                format!("{:.0} req/s", 1e9 / ns),
            ),
            None => ("n/a".to_owned(), "n/a".to_owned()),
        };
        let relative = match (ns, hand) {
            (Some(ns), Some(hand)) => format!("{:.1}%", hand / ns * 100.0),
            _ => "n/a".to_owned(),
        };
        let best_relative =
            hand_best.map_or(0.0, |hand| hand.as_secs_f64() / row.best.as_secs_f64());
        lines.push(format!(
            "| {} | {time} | {rate} | {relative} | {:.1} µs | {:.1}% | {:.1} µs | {:.1}% |",
            row.variant.label(),
            row.median.as_secs_f64() * 1e6,
            row.median_ratio * 100.0,
            row.best.as_secs_f64() * 1e6,
            best_relative * 100.0
        ));
    }
    lines.push(String::new());
    if let (Some(generated), Some(hand)) = (typical(Variant::Generated), hand) {
        let ratio = hand / generated;
        lines.push(format!(
            "- generated / hand-written throughput, criterion: {:.1}%, target ≥ 95%: {}",
            ratio * 100.0,
            verdict(ratio >= 0.95)
        ));
    }
    let paired_ratio = |wanted: Variant| {
        paired
            .iter()
            .find(|p| p.variant == wanted)
            .map(|p| p.median_ratio)
    };
    if let (Some(defaults), Some(with_timeout)) = (
        paired_ratio(Variant::GeneratedDefaults),
        paired_ratio(Variant::HandWrittenWithTimeout),
    ) {
        lines.push(format!(
            "- diagnostic, paired run: generated with default settings / hand-written with the same timeout: {:.1}%",
            defaults / with_timeout * 100.0
        ));
    }
    if let Some(ratio) = paired_ratio(Variant::Generated) {
        lines.push(format!(
            "- generated / hand-written throughput, paired run ({PAIRED_ROUNDS} rounds of {PAIRED_BLOCK} requests per variant): {:.1}%, target ≥ 95%: {}",
            ratio * 100.0,
            verdict(ratio >= 0.95)
        ));
    }
    if let (Some(generated), Some(hand)) = (best_of(Variant::Generated), hand_best) {
        let ratio = hand.as_secs_f64() / generated.as_secs_f64();
        lines.push(format!(
            "- generated / hand-written throughput, best block of each in the paired run: {:.1}%, target ≥ 95%: {}",
            ratio * 100.0,
            verdict(ratio >= 0.95)
        ));
    }
    lines.push(String::new());
    summary(&lines);
}
