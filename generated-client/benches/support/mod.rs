//! What the benchmarks of this crate share: reading criterion's estimates
//! and writing the summary.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// `PASS` or `MISS`, for a target.
pub fn verdict(met: bool) -> &'static str {
    if met { "PASS" } else { "MISS" }
}

/// Whether criterion measures in this run: `cargo bench` passes `--bench`;
/// `cargo test --benches` does not, and criterion then only checks that
/// each benchmark runs once.
pub fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// The time per iteration, in ns, that criterion estimated for
/// `group/function` in its latest run, as it prints it: the slope of its
/// linear sampling, or the mean for flat sampling (from `estimates.json`).
pub fn criterion_typical_ns(group: &str, function: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| estimates["mean"]["point_estimate"].as_f64())
}

/// Where criterion writes its results: `CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`
/// (criterion's own order, with the workspace's default target folder).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    target.join("criterion")
}

/// Prints `lines` and appends them to the file named by `BENCH_SUMMARY`,
/// if any.
pub fn summary(lines: &[String]) {
    for line in lines {
        println!("{line}");
    }
    let Some(path) = std::env::var_os("BENCH_SUMMARY") else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| lines.iter().try_for_each(|line| writeln!(file, "{line}")));
    if let Err(error) = written {
        eprintln!("cannot append to {}: {error}", Path::new(&path).display());
    }
}
