//! Decoding: a `logs` response of 10,000 entries into
//! `types::NotebookExecutionLogs` (the generated types) against decoding the
//! same bytes into `serde_json::Value`.
//!
//! The response is built here from the entries of
//! `tests/fixtures/notebook_execution_logs.json`, repeated with varied IDs
//! (`id`, `notebookExecutionId`) and times, then serialized once; both
//! variants decode the same bytes with `serde_json::from_slice`, as the
//! client does with a response body.
//!
//! `cargo bench -p generated-client --bench decode_logs`

mod support;

use std::time::Duration;

use criterion::{Criterion, Throughput};
use generated_client::types;
use serde_json::Value;
use support::{criterion_typical_ns, summary, verdict};

const EXECUTION_LOGS_JSON: &str = include_str!("../tests/fixtures/notebook_execution_logs.json");
const ENTRIES: usize = 10_000;
const GROUP: &str = "decode_logs_10000";

/// The fixture's entries, repeated to `ENTRIES`, each with IDs of its own and
/// its `runQueuedAt` second varied, serialized as one JSON array.
fn logs_body() -> Vec<u8> {
    let fixture: Vec<Value> =
        serde_json::from_str(EXECUTION_LOGS_JSON).expect("the fixture is a JSON array");
    let entries: Vec<Value> = (0..ENTRIES)
        .map(|index| {
            let mut entry = fixture[index % fixture.len()].clone();
            let id = format!("673b{index:020x}");
            entry["id"] = Value::String(id.clone());
            entry["notebookExecutionId"] = Value::String(id);
            entry["runQueuedAt"] = Value::String(format!(
                "2024-11-18T08:{:02}:{:02}.214Z",
                (index / 60) % 60,
                index % 60
            ));
            entry
        })
        .collect();
    serde_json::to_vec(&entries).expect("serializes")
}

fn main() {
    let body = logs_body();
    // Both decode every entry; the typed one keeps the varied IDs.
    let typed: types::NotebookExecutionLogs =
        serde_json::from_slice(&body).expect("decodes into the generated types");
    assert_eq!(typed.len(), ENTRIES);
    assert_ne!(typed[0].id, typed[2].id);
    let untyped: Value = serde_json::from_slice(&body).expect("decodes into a Value");
    assert_eq!(untyped.as_array().map(Vec::len), Some(ENTRIES));

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(30)
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group(GROUP);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function("typed", |b| {
            b.iter(|| {
                serde_json::from_slice::<types::NotebookExecutionLogs>(std::hint::black_box(&body))
                    .expect("decodes")
            });
        });
        group.bench_function("value", |b| {
            b.iter(|| {
                serde_json::from_slice::<Value>(std::hint::black_box(&body)).expect("decodes")
            });
        });
        group.finish();
    }
    criterion.final_summary();

    if !support::measuring() {
        return;
    }
    let typed = criterion_typical_ns(GROUP, "typed");
    let value = criterion_typical_ns(GROUP, "value");
    let mib = body.len() as f64 / (1024.0 * 1024.0);
    let mut lines = vec![
        format!("## 3. Decoding a logs response of {ENTRIES} entries ({mib:.2} MiB of JSON)"),
        String::new(),
        "| into | criterion time | throughput |".to_owned(),
        "| --- | ---: | ---: |".to_owned(),
    ];
    for (name, ns) in [
        ("`types::NotebookExecutionLogs`", typed),
        ("`serde_json::Value`", value),
    ] {
        let (time, rate) = match ns {
            Some(ns) => (
                format!("{:.2} ms", ns / 1e6),
                format!("{:.0} MiB/s", mib / (ns / 1e9)),
            ),
            None => ("n/a".to_owned(), "n/a".to_owned()),
        };
        lines.push(format!("| {name} | {time} | {rate} |"));
    }
    lines.push(String::new());
    if let (Some(typed), Some(value)) = (typed, value) {
        lines.push(format!(
            "- typed / untyped time: {:.2} (typed is {:.2}× as fast), target ≤ 1.00: {}",
            typed / value,
            value / typed,
            verdict(typed <= value)
        ));
    }
    lines.push(String::new());
    summary(&lines);
}
