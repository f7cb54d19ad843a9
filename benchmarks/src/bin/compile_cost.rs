//! Compile cost and size of the generated client: the time to rebuild the
//! `generated-client` crate itself (debug, dependencies already built) after
//! touching a generated file, and the number of generated lines, for the
//! real spec (`api-spec/`) and for a synthetic spec of 100 resources.
//!
//! Each client is laid out as its own scratch workspace under
//! `target/bench-compile/` (as the codegen tests do for fixture specs): the
//! real client's hand-written runtime and manifest (without dev-dependencies
//! and benches), the files generated from the spec, and the workspace's
//! `Cargo.lock`, built offline into one shared target folder,
//! `target/bench-compile/target`, so dependencies compile once for both.
//! One untimed build compiles the dependencies; then, three times, a
//! generated file is touched and `cargo build -p generated-client` timed;
//! the median is reported.
//!
//! Targets for the real spec: ≤ 2 s to rebuild, ≤ 5,000 generated lines.
//!
//! `cargo run --release -p benchmarks --bin compile_cost [-- real|100 ...]`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use benchmarks::{human, median, root, summary, synthetic, target_dir, verdict};
use codegen::GeneratedFile;

/// Timed rebuilds per client.
const RUNS: usize = 3;
/// The generated file touched before each rebuild.
const TOUCHED: &str = "src/generated/types/mod.rs";

struct Row {
    name: String,
    files: usize,
    lines: usize,
    rebuilds: Vec<Duration>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |name: &str| args.is_empty() || args.iter().any(|arg| arg == name);
    let base = target_dir().join("bench-compile");
    let shared_target = base.join("target");
    let mut rows = Vec::new();
    if wanted("real") {
        let files = codegen::generate(&root().join("api-spec"))
            .unwrap_or_else(|error| fail(&format!("the real spec does not generate: {error}")));
        rows.push(measure(
            "real spec (notebook + notebooks)",
            &base.join("real"),
            &shared_target,
            &files,
        ));
    }
    if wanted("100") {
        let files = codegen::generate_from_sources(&synthetic::spec(100)).unwrap_or_else(|error| {
            fail(&format!("the synthetic spec does not generate: {error}"))
        });
        rows.push(measure(
            "synthetic, 100 resources",
            &base.join("synthetic-100"),
            &shared_target,
            &files,
        ));
    }

    summary(&format!(
        "## 4. Compile cost and size (debug rebuild of generated-client after touching {TOUCHED}; dependencies already built)"
    ));
    summary("");
    summary("| spec | generated .rs files | generated lines | rebuild median | rebuilds |");
    summary("| --- | ---: | ---: | ---: | --- |");
    for row in &rows {
        let all: Vec<String> = row.rebuilds.iter().map(|d| human(*d)).collect();
        summary(&format!(
            "| {} | {} | {} | {} | {} |",
            row.name,
            row.files,
            row.lines,
            human(median(&row.rebuilds)),
            all.join(", ")
        ));
    }
    summary("");
    if let Some(real) = rows.iter().find(|row| row.name.starts_with("real")) {
        let rebuild = median(&real.rebuilds);
        summary(&format!(
            "- real spec rebuild: {}, target ≤ 2 s: {}",
            human(rebuild),
            verdict(rebuild <= Duration::from_secs(2))
        ));
        summary(&format!(
            "- real spec generated lines: {}, target ≤ 5,000: {}",
            real.lines,
            verdict(real.lines <= 5000)
        ));
        if let Some(synthetic) = rows.iter().find(|row| row.name.starts_with("synthetic")) {
            summary(&format!(
                "- synthetic 100 / real: {:.1}× the lines, {:.1}× the rebuild time",
                synthetic.lines as f64 / real.lines as f64,
                median(&synthetic.rebuilds).as_secs_f64() / rebuild.as_secs_f64()
            ));
        }
    }
    summary("");
}

/// Lays out the client generated as `files` in `scratch`, builds it once,
/// then times `RUNS` rebuilds.
fn measure(name: &str, scratch: &Path, target: &Path, files: &[GeneratedFile]) -> Row {
    lay_out(scratch, files).unwrap_or_else(|error| fail(&error));
    let rust: Vec<&GeneratedFile> = files
        .iter()
        .filter(|file| file.path.ends_with(".rs"))
        .collect();
    let lines = rust.iter().map(|file| file.contents.lines().count()).sum();

    eprintln!("compile_cost: {name}: first build (dependencies)");
    let first = build(scratch, target);
    eprintln!("compile_cost: {name}: first build took {}", human(first));
    let mut rebuilds = Vec::new();
    for run in 1..=RUNS {
        touch(&scratch.join("generated-client").join(TOUCHED));
        let time = build(scratch, target);
        eprintln!("compile_cost: {name}: rebuild {run}: {}", human(time));
        rebuilds.push(time);
    }
    Row {
        name: name.to_owned(),
        files: rust.len(),
        lines,
        rebuilds,
    }
}

/// Runs `cargo build -p generated-client` in the scratch workspace and
/// returns its wall-clock time.
fn build(scratch: &Path, target: &Path) -> Duration {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // The `CARGO_*` variables cargo ran this program with describe this
    // package; the scratch build must not see them (see xtask's bench).
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CARGO_") {
            command.env_remove(name);
        }
    }
    let start = Instant::now();
    let output = command
        .args(["build", "--offline", "--quiet", "-p", "generated-client"])
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .unwrap_or_else(|error| fail(&format!("cannot run cargo: {error}")));
    let time = start.elapsed();
    if !output.status.success() {
        fail(&format!(
            "cargo build failed in {}:\n{}{}",
            scratch.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    time
}

/// Sets the modification time of `path` to now.
fn touch(path: &Path) {
    let touched = std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()));
    if let Err(error) = touched {
        fail(&format!("cannot touch {}: {error}", path.display()));
    }
}

/// The scratch workspace: root manifest and lock file, the client's
/// manifest without dev-dependencies, its hand-written sources, and the
/// generated files. Files whose content is unchanged are not rewritten, so
/// a second run reuses the incremental build.
fn lay_out(scratch: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    let source = root().join("generated-client");
    let client = scratch.join("generated-client");

    let manifest = read(&root().join("Cargo.toml"))?;
    let workspace: String = manifest
        .lines()
        .map(|line| {
            if line.starts_with("members") {
                "members = [\"generated-client\"]\n".to_owned()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    write_if_changed(&scratch.join("Cargo.toml"), &workspace)?;
    write_if_changed(
        &scratch.join("Cargo.lock"),
        &read(&root().join("Cargo.lock"))?,
    )?;

    // Everything from `[dev-dependencies]` on (dev-dependencies, benches)
    // is left out: only the library is built.
    let manifest = read(&source.join("Cargo.toml"))?;
    let manifest = match manifest.find("[dev-dependencies]") {
        Some(cut) => manifest[..cut].to_owned(),
        None => manifest,
    };
    write_if_changed(&client.join("Cargo.toml"), &manifest)?;

    // The generated folder is replaced whole, so no stale file stays.
    let generated = client.join(codegen::GENERATED_DIR);
    let mut expected: Vec<PathBuf> = Vec::new();
    copy_runtime(&source.join("src"), &client.join("src"), &mut expected)?;
    for file in files {
        let path = client.join(&file.path);
        write_if_changed(&path, &file.contents)?;
        expected.push(path);
    }
    remove_others(&generated, &expected)
}

/// Copies the hand-written sources under `from` (all but the generated
/// folder) to `to`.
fn copy_runtime(from: &Path, to: &Path, written: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.is_dir() {
            if name != "generated" {
                copy_runtime(&path, &to.join(name), written)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            // The README is not part of the scratch crate.
            let text = read(&path)?.replace("#[doc = include_str!(\"../../README.md\")]", "");
            let target = to.join(name);
            write_if_changed(&target, &text)?;
            written.push(target);
        }
    }
    Ok(())
}

/// Removes the files in `dir` that are not in `keep`.
fn remove_others(dir: &Path, keep: &[PathBuf]) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && !keep.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn fail(message: &str) -> ! {
    eprintln!("compile_cost: {message}");
    std::process::exit(1);
}
