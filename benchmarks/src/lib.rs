//! Benchmarks of the generator and the generated client, run by
//! `cargo xtask bench` (see `BENCHMARKS.md` at the workspace root).
//!
//! The binaries of this crate are the benchmarks that do not fit criterion:
//!
//! - `generation`: `codegen::generate_from_sources` on synthetic specs of
//!   1, 10, 100 and 1,000 resources and on the real spec, with a split by
//!   stage;
//! - `compile_cost`: rebuild time, compiler memory and generated lines of
//!   the client crate for the whole platform and for a Notebook-only build
//!   (and, when asked, a 100-resource synthetic spec);
//! - `upload_rss`: peak memory of the client while it streams a 512 MiB file.
//!
//! The criterion benchmarks of the client (request overhead, decoding) are
//! in `generated-client/benches/`. Every benchmark prints its results, and
//! when `BENCH_SUMMARY` names a file, appends its summary lines to it.

pub mod synthetic;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The workspace's target folder: `CARGO_TARGET_DIR` when set (relative to
/// the root if relative), else `target/` at the root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Prints a summary line and appends it to the file named by
/// `BENCH_SUMMARY`, if any.
pub fn summary(line: &str) {
    println!("{line}");
    let Some(path) = std::env::var_os("BENCH_SUMMARY") else {
        return;
    };
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{line}"));
    if let Err(error) = appended {
        eprintln!("cannot append to {}: {error}", Path::new(&path).display());
    }
}

/// Runs `f` `runs` times and returns each run's wall-clock time (dropping
/// the result is not timed).
pub fn time_runs<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let result = f();
            let elapsed = start.elapsed();
            drop(std::hint::black_box(result));
            elapsed
        })
        .collect()
}

/// The median of `times` (the mean of the two middle values for an even
/// count); zero for none.
pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The shortest of `times`; zero for none.
pub fn best(times: &[Duration]) -> Duration {
    times.iter().min().copied().unwrap_or_default()
}

/// A duration in the unit that reads best (`812 µs`, `41.3 ms`, `2.41 s`).
pub fn human(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.0} µs", seconds * 1e6)
    }
}

/// A byte count in MiB.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// `PASS` or `MISS`, for a target.
pub fn verdict(met: bool) -> &'static str {
    if met { "PASS" } else { "MISS" }
}

/// A field of `/proc/self/status` in bytes (`VmHWM`, `VmRSS`), where the
/// system has it (Linux).
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|line| line.split(':').next() == Some(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_units() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(
            median(&[ms(4), ms(1), ms(2), ms(3)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(&[]), Duration::ZERO);
        assert_eq!(best(&[ms(4), ms(1)]), ms(1));
        assert_eq!(human(ms(2410)), "2.41 s");
        assert_eq!(human(Duration::from_micros(41_300)), "41.3 ms");
        assert_eq!(human(Duration::from_micros(812)), "812 µs");
        assert_eq!(mib(3 * 1024 * 1024), "3.0 MiB");
    }
}
