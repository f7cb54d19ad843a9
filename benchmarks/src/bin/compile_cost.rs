//! Compile cost and size of the generated client, for the real spec (the
//! whole platform) built two ways, and optionally for a synthetic spec of
//! 100 resources:
//!
//! - `whole`: the default features (every resource): a debug rebuild of the
//!   `generated-client` crate after a generated file is touched
//!   (dependencies already built), its wall-clock time and the peak
//!   resident memory of the compiler;
//! - `notebook`: the same rebuild of a Notebook-only build
//!   (`--no-default-features --features rustls,notebook,notebooks`), what a
//!   user who trims the features compiles;
//! - `100`: the synthetic spec (`benchmarks/src/synthetic.rs`), for scale;
//!   not run unless named.
//!
//! Each spec's client is laid out as its own scratch workspace under
//! `target/bench-compile/` (as the codegen tests do for fixture specs): the
//! real client's hand-written runtime and manifest (without dev-dependencies
//! and benches), the files generated from the spec, and the workspace's
//! `Cargo.lock`, built offline into one shared target folder,
//! `target/bench-compile/target`, so dependencies compile once for all.
//! One untimed build compiles the dependencies; then, three times, a
//! generated file is touched and `cargo build -p generated-client` timed;
//! the median is reported. The compiler's peak memory is the largest
//! resident set of any process the timed build ran (Linux and macOS:
//! `getrusage(RUSAGE_CHILDREN)` in a process that runs only that build).
//!
//! Targets: the whole platform rebuilt in at most 10 s with a compiler peak
//! of at most 1.5 GB, a Notebook-only rebuild in at most 2 s.
//!
//! `cargo run --release -p benchmarks --bin compile_cost [-- whole|notebook|100 ...]`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use benchmarks::{human, median, mib, root, summary, synthetic, target_dir, verdict};
use codegen::GeneratedFile;

/// Timed rebuilds per client.
const RUNS: usize = 3;
/// The generated file touched before each rebuild.
const TOUCHED: &str = "src/generated/types/mod.rs";
/// The features of a Notebook-only build.
const NOTEBOOK_ONLY: &str = "rustls,notebook,notebooks";
/// The argument that makes this program run one build and report its peak
/// memory (see [`peak_rss_of_build`]).
const CHILD_FLAG: &str = "--one-build";

struct Row {
    name: String,
    files: usize,
    lines: usize,
    actions: usize,
    rebuilds: Vec<Duration>,
    /// Whether the build turns only some resources on (its lines per action
    /// would divide the whole folder by its own few actions).
    trimmed: bool,
    /// The largest peak resident set of the timed rebuilds, if known.
    peak_rss: Option<u64>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD_FLAG) {
        one_build(&args[1..]);
        return;
    }
    let wanted =
        |name: &str| args.iter().any(|arg| arg == name) || (args.is_empty() && name != "100");
    let base = target_dir().join("bench-compile");
    let shared_target = base.join("target");
    let mut rows = Vec::new();
    if wanted("whole") || wanted("notebook") {
        let spec = codegen::spec::read_spec_dir(&root().join("api-spec"))
            .unwrap_or_else(|error| fail(&format!("cannot read api-spec/: {error}")));
        let api = codegen::load_model(&spec)
            .unwrap_or_else(|error| fail(&format!("the real spec does not load: {error}")));
        let actions = api.resources.iter().map(|r| r.operations.len()).sum();
        let files = codegen::generate_from_sources(&spec)
            .unwrap_or_else(|error| fail(&format!("the real spec does not generate: {error}")));
        let scratch = base.join("real");
        if wanted("whole") {
            let name = format!(
                "whole platform ({} resources, default features)",
                api.resources.len()
            );
            rows.push(measure(
                &name,
                &scratch,
                &shared_target,
                &files,
                actions,
                None,
            ));
        }
        if wanted("notebook") {
            let name = format!("Notebook only (`--features {NOTEBOOK_ONLY}`)");
            let notebook_actions = api
                .resources
                .iter()
                .filter(|r| r.module == "notebook" || r.module == "notebooks")
                .map(|r| r.operations.len())
                .sum();
            rows.push(measure(
                &name,
                &scratch,
                &shared_target,
                &files,
                notebook_actions,
                Some(NOTEBOOK_ONLY),
            ));
        }
    }
    if wanted("100") {
        let files = codegen::generate_from_sources(&synthetic::spec(100)).unwrap_or_else(|error| {
            fail(&format!("the synthetic spec does not generate: {error}"))
        });
        let actions = 100 * synthetic::OPERATIONS_PER_RESOURCE;
        rows.push(measure(
            "synthetic, 100 resources",
            &base.join("synthetic-100"),
            &shared_target,
            &files,
            actions,
            None,
        ));
    }

    summary(&format!(
        "## 4. Compile cost and size (debug rebuild of generated-client after touching {TOUCHED}; dependencies already built)"
    ));
    summary("");
    summary(
        "| build | generated .rs files | generated lines | actions | lines per action | rebuild median | rebuilds | compiler peak memory |",
    );
    summary("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
    for row in &rows {
        let all: Vec<String> = row.rebuilds.iter().map(|d| human(*d)).collect();
        summary(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.name,
            row.files,
            row.lines,
            row.actions,
            if row.trimmed {
                "–".to_owned()
            } else {
                (row.lines / row.actions.max(1)).to_string()
            },
            human(median(&row.rebuilds)),
            all.join(", "),
            row.peak_rss.map_or("not measured".to_owned(), mib),
        ));
    }
    summary("");
    summary(
        "(Generated files and lines are those of the whole generated folder; a trimmed build parses only the modules its features turn on.)",
    );
    summary("");
    if let Some(whole) = rows.iter().find(|row| row.name.starts_with("whole")) {
        let rebuild = median(&whole.rebuilds);
        summary(&format!(
            "- whole platform rebuild: {}, target ≤ 10 s: {}",
            human(rebuild),
            verdict(rebuild <= Duration::from_secs(10))
        ));
        match whole.peak_rss {
            Some(peak) => summary(&format!(
                "- whole platform compiler peak memory: {}, target ≤ 1.5 GB: {}",
                mib(peak),
                verdict(peak <= 1_500_000_000)
            )),
            None => summary("- whole platform compiler peak memory: not measured on this system"),
        }
    }
    if let Some(notebook) = rows.iter().find(|row| row.name.starts_with("Notebook")) {
        let rebuild = median(&notebook.rebuilds);
        summary(&format!(
            "- Notebook-only rebuild: {}, target ≤ 2 s: {}",
            human(rebuild),
            verdict(rebuild <= Duration::from_secs(2))
        ));
    }
    summary("");
}

/// Lays out the client generated as `files` in `scratch`, builds it once
/// with `features` (the defaults when `None`), then times `RUNS` rebuilds.
fn measure(
    name: &str,
    scratch: &Path,
    target: &Path,
    files: &[GeneratedFile],
    actions: usize,
    features: Option<&str>,
) -> Row {
    lay_out(scratch, files).unwrap_or_else(|error| fail(&error));
    let rust: Vec<&GeneratedFile> = files
        .iter()
        .filter(|file| file.path.ends_with(".rs") && file.path.starts_with(codegen::GENERATED_DIR))
        .collect();
    let lines = rust.iter().map(|file| file.contents.lines().count()).sum();

    eprintln!("compile_cost: {name}: first build (dependencies)");
    let (first, _) = build(scratch, target, features);
    eprintln!("compile_cost: {name}: first build took {}", human(first));
    let mut rebuilds = Vec::new();
    let mut peak_rss: Option<u64> = None;
    for run in 1..=RUNS {
        touch(&scratch.join("generated-client").join(TOUCHED));
        let (time, peak) = build(scratch, target, features);
        eprintln!(
            "compile_cost: {name}: rebuild {run}: {}, peak {}",
            human(time),
            peak.map_or("?".to_owned(), mib)
        );
        rebuilds.push(time);
        // `None` (not measured) orders before any measurement.
        peak_rss = peak_rss.max(peak);
    }
    Row {
        name: name.to_owned(),
        files: rust.len(),
        lines,
        actions,
        rebuilds,
        trimmed: features.is_some(),
        peak_rss,
    }
}

/// Runs `cargo build -p generated-client` in the scratch workspace, in a
/// child process of this program that runs nothing else (so its
/// children's peak memory is this build's), and returns the wall-clock
/// time and that peak.
fn build(scratch: &Path, target: &Path, features: Option<&str>) -> (Duration, Option<u64>) {
    let exe = std::env::current_exe()
        .unwrap_or_else(|error| fail(&format!("cannot find this program: {error}")));
    let mut command = Command::new(exe);
    command.arg(CHILD_FLAG).arg(scratch).arg(target);
    if let Some(features) = features {
        command.arg(features);
    }
    let start = Instant::now();
    let output = command
        .output()
        .unwrap_or_else(|error| fail(&format!("cannot run a build: {error}")));
    let time = start.elapsed();
    if !output.status.success() {
        fail(&format!(
            "the build failed in {}:\n{}{}",
            scratch.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let peak = String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("peak_rss_bytes=")?.trim().parse().ok());
    (time, peak)
}

/// The child's side of [`build`]: `SCRATCH TARGET [FEATURES]`. Runs cargo,
/// passes its output through, prints `peak_rss_bytes=N` when the system
/// tells, and exits with cargo's status.
fn one_build(args: &[String]) {
    let [scratch, target, rest @ ..] = args else {
        fail("usage: compile_cost --one-build SCRATCH TARGET [FEATURES]");
    };
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // The `CARGO_*` variables cargo ran this program with describe this
    // package; the scratch build must not see them (see xtask's bench).
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CARGO_") {
            command.env_remove(name);
        }
    }
    command
        .args(["build", "--offline", "--quiet", "-p", "generated-client"])
        .arg("--manifest-path")
        .arg(Path::new(scratch).join("Cargo.toml"));
    if let Some(features) = rest.first() {
        command.args(["--no-default-features", "--features", features]);
    }
    let output = command
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .unwrap_or_else(|error| fail(&format!("cannot run cargo: {error}")));
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if let Some(peak) = peak_rss_of_children() {
        println!("peak_rss_bytes={peak}");
    }
    std::process::exit(output.status.code().unwrap_or(1));
}

/// The largest peak resident set of the children this process has waited
/// for, and of theirs (`ru_maxrss` of `RUSAGE_CHILDREN`).
#[cfg(unix)]
fn peak_rss_of_children() -> Option<u64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` writes a `rusage` into the pointer it is given,
    // which points at one, and reads nothing else.
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    if status != 0 {
        return None;
    }
    // SAFETY: a successful `getrusage` filled the whole struct (and it
    // was zeroed before, which is a valid `rusage`).
    let max = unsafe { usage.assume_init() }.ru_maxrss;
    let max = u64::try_from(max).ok()?;
    // Linux reports KiB, macOS bytes.
    Some(if cfg!(target_os = "macos") {
        max
    } else {
        max * 1024
    })
}

#[cfg(not(unix))]
fn peak_rss_of_children() -> Option<u64> {
    None
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
