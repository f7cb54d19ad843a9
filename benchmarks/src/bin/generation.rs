//! Generation at scale: `codegen::generate_from_sources` (load, validate,
//! emit, render) on synthetic specs of 1, 10, 100 and 1,000 resources of
//! nine operations each, built in memory, and on the real spec (`api-spec/`,
//! the whole platform), read from disk once before the timed runs.
//!
//! Each size up to 100 resources gets one untimed warm-up run; every size
//! then gets at least three timed runs (more for the small sizes, up to about
//! two seconds per size and stage); the median and the best are reported. The stages are timed on their own as well:
//! parsing (`codegen::spec::load_sources`), lowering (`codegen::lower::lower`),
//! and the rest of `generate_from_sources` (emit + render) as the difference.
//!
//! Targets: 1,000 resources in under 3 s, t(1000) ≤ 12 × t(100), and the
//! whole platform in at most 0.5 s.
//!
//! `cargo run --release -p benchmarks --bin generation [-- SIZE... real]`
//!
//! `… --bin generation -- --only-generate SIZE RUNS` runs nothing but
//! `generate_from_sources` on one size, untimed, for a profiler
//! (`perf record -g`, `valgrind --tool=callgrind`).

use std::time::{Duration, Instant};

use benchmarks::{best, human, median, root, summary, synthetic, time_runs, verdict};
use codegen::SourceFile;

/// Timed runs per size: at least this many…
const MIN_RUNS: usize = 3;
/// …at most this many…
const MAX_RUNS: usize = 15;
/// …and about this much time per size and stage.
const BUDGET: Duration = Duration::from_secs(2);
/// Sizes up to this one get an untimed warm-up run; larger ones run after
/// them, warm already, and take long enough for a cold start not to matter.
const WARM_UP_UP_TO: usize = 100;

struct Row {
    /// What was generated: a number of synthetic resources, or the real spec.
    label: String,
    resources: usize,
    actions: usize,
    spec_files: usize,
    full: Vec<Duration>,
    parse: Vec<Duration>,
    lower: Vec<Duration>,
    generated_lines: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, size, runs] = args.as_slice()
        && flag == "--only-generate"
    {
        let (Ok(size), Ok(runs)) = (size.parse(), runs.parse::<usize>()) else {
            eprintln!("usage: generation --only-generate SIZE RUNS");
            std::process::exit(2);
        };
        let files = synthetic::spec(size);
        for _ in 0..runs {
            let generated = codegen::generate_from_sources(&files);
            std::hint::black_box(generated.is_ok());
        }
        return;
    }
    let sizes: Vec<usize> = args.iter().filter_map(|arg| arg.parse().ok()).collect();
    let real = args.is_empty() || args.iter().any(|arg| arg == "real");
    let sizes = if args.is_empty() {
        vec![1, 10, 100, 1000]
    } else {
        sizes
    };
    let mut rows = Vec::new();
    for &resources in &sizes {
        let files = synthetic::spec(resources);
        let actions = resources * synthetic::OPERATIONS_PER_RESOURCE;
        rows.push(measure(
            format!("synthetic, {resources}"),
            resources,
            actions,
            &files,
        ));
    }
    if real {
        let files = codegen::spec::read_spec_dir(&root().join("api-spec"))
            .unwrap_or_else(|error| panic!("cannot read api-spec/: {error}"));
        let api = codegen::load_model(&files)
            .unwrap_or_else(|error| panic!("the real spec does not load: {error}"));
        let actions = api.resources.iter().map(|r| r.operations.len()).sum();
        let label = "real spec (whole platform)".to_owned();
        rows.push(measure(label, api.resources.len(), actions, &files));
    }

    summary("## 1. Generation at scale (generate_from_sources, release build)");
    summary("");
    summary(
        "| spec | resources | actions | spec files | generated lines | median | best | runs | parse (median) | lower (median) | emit + render (median, by difference) |",
    );
    summary("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        let full = median(&row.full);
        let parse = median(&row.parse);
        let lower = median(&row.lower);
        summary(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.label,
            row.resources,
            row.actions,
            row.spec_files,
            row.generated_lines,
            human(full),
            human(best(&row.full)),
            row.full.len(),
            human(parse),
            human(lower),
            human(full.saturating_sub(parse + lower)),
        ));
    }
    summary("");
    let at = |n: usize| {
        rows.iter()
            .find(|row| row.label == format!("synthetic, {n}"))
    };
    if let (Some(hundred), Some(thousand)) = (at(100), at(1000)) {
        let t100 = median(&hundred.full);
        let t1000 = median(&thousand.full);
        let ratio = t1000.as_secs_f64() / t100.as_secs_f64();
        summary(&format!(
            "- t(1000) = {} (median), target < 3 s: {}",
            human(t1000),
            verdict(t1000 < Duration::from_secs(3))
        ));
        summary(&format!(
            "- t(1000) / t(100) = {ratio:.2} (medians), target ≤ 12: {}",
            verdict(ratio <= 12.0)
        ));
        for (stage, times_100, times_1000) in [
            ("parse", &hundred.parse, &thousand.parse),
            ("lower", &hundred.lower, &thousand.lower),
        ] {
            summary(&format!(
                "- {stage}: t(1000) / t(100) = {:.2}",
                median(times_1000).as_secs_f64() / median(times_100).as_secs_f64()
            ));
        }
        let rest = |row: &Row| {
            median(&row.full)
                .saturating_sub(median(&row.parse) + median(&row.lower))
                .as_secs_f64()
        };
        summary(&format!(
            "- emit + render: t(1000) / t(100) = {:.2}",
            rest(thousand) / rest(hundred)
        ));
        summary("");
    }
    if let Some(real) = rows.iter().find(|row| row.label.starts_with("real")) {
        let time = median(&real.full);
        summary(&format!(
            "- whole platform ({} resources, {} actions): {} (median), target ≤ 0.5 s: {}",
            real.resources,
            real.actions,
            human(time),
            verdict(time <= Duration::from_millis(500))
        ));
        summary("");
    }
}

/// Times `generate_from_sources` on `files` and, on their own, its parse
/// and lower stages.
fn measure(label: String, resources: usize, actions: usize, files: &[SourceFile]) -> Row {
    let spec_files = files.len();
    if resources <= WARM_UP_UP_TO {
        eprintln!("generation: {label}: warming up");
        std::hint::black_box(codegen::generate_from_sources(files).is_ok());
    }
    let mut generated_lines = 0;
    let full = timed(
        &format!("{label}: generate_from_sources"),
        || codegen::generate_from_sources(files),
        |first| {
            let files = first
                .as_ref()
                .unwrap_or_else(|error| panic!("{label} does not generate: {error}"));
            generated_lines = files
                .iter()
                .filter(|file| file.path.ends_with(".rs"))
                .map(|file| file.contents.lines().count())
                .sum();
        },
    );
    let parse = timed(
        &format!("{label}: parse"),
        || codegen::spec::load_sources(files),
        |_| {},
    );
    let spec = codegen::spec::load_sources(files)
        .unwrap_or_else(|error| panic!("{label} does not parse: {error}"));
    let lower = timed(
        &format!("{label}: lower"),
        || codegen::lower::lower(&spec),
        |_| {},
    );
    Row {
        label,
        resources,
        actions,
        spec_files,
        full,
        parse,
        lower,
        generated_lines,
    }
}

/// Times one run (whose result goes to `inspect`, untimed), then as many
/// more as fit the budget, within the bounds.
fn timed<T>(label: &str, mut f: impl FnMut() -> T, inspect: impl FnOnce(&T)) -> Vec<Duration> {
    let start = Instant::now();
    let first = f();
    let mut times = vec![start.elapsed()];
    inspect(&first);
    drop(first);
    let per_run = times[0].max(Duration::from_micros(1));
    let wanted = (BUDGET.as_secs_f64() / per_run.as_secs_f64()).ceil() as usize;
    let more = wanted.clamp(MIN_RUNS, MAX_RUNS) - 1;
    times.extend(time_runs(more, &mut f));
    eprintln!(
        "generation: {label}: median {} over {} runs",
        human(median(&times)),
        times.len()
    );
    times
}
