//! `cargo xtask bench`: builds and runs every benchmark, then prints one
//! summary (the tables recorded in `BENCHMARKS.md`).
//!
//! The benchmarks, in order (see `BENCHMARKS.md` for what each measures):
//!
//! | name | command |
//! | --- | --- |
//! | `generation` | `cargo run --release -p benchmarks --bin generation` |
//! | `request` | `cargo bench -p generated-client --bench request_overhead` |
//! | `decode` | `cargo bench -p generated-client --bench decode_logs` |
//! | `compile` | `cargo run --release -p benchmarks --bin compile_cost` |
//! | `upload` | `cargo run --release -p benchmarks --bin upload_rss` |
//!
//! `cargo xtask bench NAME...` runs only those. Each benchmark appends its
//! summary to `target/bench/summary.md` (through `BENCH_SUMMARY`), and
//! criterion writes to `target/criterion` (through `CRITERION_HOME`).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The benchmark names, in the order they run.
const NAMES: &[&str] = &["generation", "request", "decode", "compile", "upload"];

/// Runs the benchmarks named in `args` (all when empty).
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    if let Some(unknown) = args.iter().find(|arg| !NAMES.contains(arg)) {
        return Err(format!(
            "unknown benchmark `{unknown}`; the benchmarks are: {}",
            NAMES.join(", ")
        ));
    }
    let wanted = |name: &str| args.is_empty() || args.contains(&name);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Absolute, since cargo runs benchmarks in their package's folder.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir));
    let summary = target.join("bench").join("summary.md");
    std::fs::create_dir_all(target.join("bench")).map_err(|e| format!("target/bench: {e}"))?;
    std::fs::write(&summary, machine()).map_err(|e| format!("{}: {e}", summary.display()))?;

    let bench_args: Vec<&str> = [("request", "request_overhead"), ("decode", "decode_logs")]
        .iter()
        .filter(|(name, _)| wanted(name))
        .flat_map(|(_, bench)| ["--bench", bench])
        .collect();

    // Build first, so the timings below are of the runs alone.
    let started = Instant::now();
    step(
        root,
        &cargo,
        &["build", "--release", "-p", "benchmarks", "--bins"],
        &summary,
        &target,
    )?;
    if !bench_args.is_empty() {
        let mut build = vec!["bench", "--no-run", "-p", "generated-client"];
        build.extend(&bench_args);
        step(root, &cargo, &build, &summary, &target)?;
    }
    let built = started.elapsed();

    let started = Instant::now();
    if wanted("generation") {
        run_bin(root, &cargo, "generation", &summary, &target)?;
    }
    // One command per criterion benchmark, so they run (and report) in
    // this order rather than cargo's alphabetical one.
    for (name, bench) in [("request", "request_overhead"), ("decode", "decode_logs")] {
        if wanted(name) {
            let args = ["bench", "-p", "generated-client", "--bench", bench];
            step(root, &cargo, &args, &summary, &target)?;
        }
    }
    if wanted("compile") {
        run_bin(root, &cargo, "compile_cost", &summary, &target)?;
    }
    if wanted("upload") {
        run_bin(root, &cargo, "upload_rss", &summary, &target)?;
    }
    let ran = started.elapsed();

    let mut text =
        std::fs::read_to_string(&summary).map_err(|e| format!("{}: {e}", summary.display()))?;
    text.push_str(&format!(
        "Build {:.0} s, benchmarks {:.0} s (wall clock).\n",
        built.as_secs_f64(),
        ran.as_secs_f64()
    ));
    std::fs::write(&summary, &text).map_err(|e| format!("{}: {e}", summary.display()))?;
    println!("\n==================== summary ====================\n");
    println!("{text}");
    println!("(also in {})", summary.display());
    Ok(())
}

/// `cargo run --release -q -p benchmarks --bin NAME`.
fn run_bin(
    root: &Path,
    cargo: &str,
    name: &str,
    summary: &Path,
    target: &Path,
) -> Result<(), String> {
    step(
        root,
        cargo,
        &[
            "run",
            "--release",
            "--quiet",
            "-p",
            "benchmarks",
            "--bin",
            name,
        ],
        summary,
        target,
    )
}

/// Runs `cargo ARGS` in the workspace root with the summary file and the
/// criterion folder set, and fails if it fails.
fn step(
    root: &Path,
    cargo: &str,
    args: &[&str],
    summary: &Path,
    target: &Path,
) -> Result<(), String> {
    eprintln!("\n$ cargo {}", args.join(" "));
    let mut command = Command::new(cargo);
    // Cargo runs xtask with its own `CARGO_*` variables (the package's
    // manifest, name, features ...). Passed on, they make build scripts of
    // the benchmarked crates see another package's settings and rerun,
    // rebuilding the release profile from scratch; the child cargo sets
    // what it needs itself.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_") && name != "CARGO_HOME" && name != "CARGO_TARGET_DIR" {
            command.env_remove(name.as_ref());
        }
    }
    let status = command
        .args(args)
        .current_dir(root)
        .env("BENCH_SUMMARY", summary)
        .env("CRITERION_HOME", target.join("criterion"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// The machine and date, as the summary's header.
fn machine() -> String {
    let output = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
            .unwrap_or_else(|| "n/a".to_owned())
    };
    let rustc = output("rustc", &["--version"]);
    format!(
        "# Benchmark summary\n\n\
         - date (`date -u +%F`): {}\n\
         - cores (`nproc`): {}\n\
         - rustc: {rustc}\n\
         - memory (`free -h`):\n\n```\n{}\n```\n\n",
        output("date", &["-u", "+%F"]),
        output("nproc", &[]),
        output("free", &["-h"]),
    )
}
