//! Project automation, run as `cargo xtask <task>`.
//!
//! `cargo xtask codegen` regenerates `generated-client/src/generated/` and
//! the editor schemas in `api-spec/editor/` from `api-spec/` and the
//! loader; `cargo xtask codegen --check` only compares, prints a diff
//! and fails when the checked-in code is stale. `cargo xtask bench` runs
//! every benchmark and prints a summary (see `BENCHMARKS.md`).

mod bench;
mod import;

use codegen::fresh::{self, Drift};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask import VENDOR_DIR [--dry-run] | cargo xtask bench [NAME...]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import", vendor] => import(Path::new(vendor), false),
        ["import", vendor, "--dry-run"] => import(Path::new(vendor), true),
        ["bench", names @ ..] => root().and_then(|root| {
            println!("workspace: {}", root.display());
            bench::run(&root, names)
        }),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this is run in: the nearest folder, from the current one
/// up, that holds `Cargo.toml` and `api-spec/`. Not the folder this program
/// was built from: with a shared target folder or a copied checkout, a
/// binary built elsewhere would otherwise regenerate another checkout.
fn root() -> Result<PathBuf, String> {
    let current =
        std::env::current_dir().map_err(|e| format!("error: reading the current folder: {e}"))?;
    workspace_of(&current).ok_or_else(|| {
            format!(
                "error: {} is not inside a checkout of this project (no folder above it holds Cargo.toml and api-spec/)",
                current.display()
            )
        })
}

/// The nearest folder from `start` up that holds `Cargo.toml` and
/// `api-spec/`.
fn workspace_of(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("api-spec").is_dir())
        .map(Path::to_path_buf)
}

/// The editor schemas of the spec format that differ from those in `dir`
/// (or are not there yet): (file name, JSON text).
fn stale_editor_schemas(dir: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let mut stale = Vec::new();
    for (name, text) in codegen::spec::editor_schemas() {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == text => {}
            Ok(_) => stale.push((name, text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => stale.push((name, text)),
            Err(e) => return Err(format!("error: reading {}: {e}", dir.join(name).display())),
        }
    }
    Ok(stale)
}

/// `cargo xtask import VENDOR_DIR`: transcribes the vendor's description
/// into `api-spec/`, then checks the result as `codegen` would.
fn import(vendor: &Path, dry_run: bool) -> Result<(), String> {
    let started = Instant::now();
    let root = root()?;
    println!("workspace: {}", root.display());
    let spec = root.join("api-spec");
    let summary = import::run(vendor, &spec, dry_run)?;
    for repair in &summary.repairs {
        println!(
            "repaired: {} {}: {}",
            repair.file, repair.pointer, repair.what
        );
    }
    for (path, difference) in &summary.kept {
        println!("kept api-spec/{path}: edited since it was imported");
        if !difference.is_empty() {
            println!("{difference}");
        }
    }
    let verb = if dry_run { "would write" } else { "wrote" };
    for path in &summary.written {
        println!("{verb} api-spec/{path}");
    }
    for path in &summary.removed {
        println!(
            "{} api-spec/{path}",
            if dry_run { "would remove" } else { "removed" }
        );
    }
    println!(
        "imported {} resources, {} actions, {} schemas: {} files {verb}, {} unchanged, {} kept, {} removed, {} repairs, in {:.2?}",
        summary.resources,
        summary.actions,
        summary.schemas,
        summary.written.len(),
        summary.unchanged,
        summary.kept.len(),
        summary.removed.len(),
        summary.repairs.len(),
        started.elapsed()
    );
    if dry_run {
        return Ok(());
    }
    println!(
        "the vendor's body schemas in generated-client/tests/fixtures/vendor/: {} files written or removed",
        summary.fixtures
    );
    let failed = |error: codegen::Error| match error {
        codegen::Error::Spec(report) => report.render(color()),
        other => format!("error: {other}"),
    };
    let sources = codegen::spec::read_spec_dir(&spec).map_err(failed)?;
    codegen::load_model(&sources).map_err(failed)?;
    println!("api-spec/ is a valid spec; run `cargo xtask codegen` to generate the client");
    Ok(())
}

/// Whether to colour what goes to standard error.
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn codegen(check: bool) -> Result<(), String> {
    let started = Instant::now();
    let root = root()?;
    println!("workspace: {}", root.display());
    let client = root.join("generated-client");
    let failed = |error: codegen::Error| match error {
        codegen::Error::Spec(report) => report.render(color()),
        other => format!("error: {other}"),
    };
    let sources = codegen::spec::read_spec_dir(&root.join("api-spec")).map_err(failed)?;
    let api = codegen::load_model(&sources).map_err(failed)?;
    let files = codegen::generate_from_model(&api).map_err(failed)?;
    let generated = format!(
        "{} resources, {} operations, {} types",
        api.resources.len(),
        api.resources
            .iter()
            .map(|r| r.operations.len())
            .sum::<usize>(),
        api.types.len()
    );
    let editor_dir = root.join("api-spec").join(codegen::spec::EDITOR_SCHEMA_DIR);
    let editor = stale_editor_schemas(&editor_dir)?;
    // The resource features live in the client's manifest, between two
    // marker lines.
    let manifest_path = client.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("error: reading generated-client/Cargo.toml: {e}"))?;
    let spliced =
        codegen::features::splice_manifest(&manifest, &codegen::features::manifest_section(&api))
            .map_err(|e| format!("error: {e}"))?;
    let manifest_stale = spliced != manifest;
    if check {
        if manifest_stale {
            eprintln!("generated-client/Cargo.toml: the resource features are out of date");
        }
        let drifts = fresh::drift(&client, &files)
            .map_err(|e| format!("error: reading generated-client: {e}"))?;
        for (name, _) in &editor {
            eprintln!(
                "api-spec/{}/{name} is out of date",
                codegen::spec::EDITOR_SCHEMA_DIR
            );
        }
        if drifts.is_empty() && editor.is_empty() && !manifest_stale {
            println!(
                "generated-client is up to date ({generated}; {} files) in {:.2?}",
                files.len(),
                started.elapsed()
            );
            return Ok(());
        }
        for drift in &drifts {
            eprintln!("{drift}");
        }
        return Err(format!(
            "generated-client or the editor schemas are out of date with api-spec/ ({} files differ); run `cargo xtask codegen`",
            drifts.len() + editor.len() + usize::from(manifest_stale)
        ));
    }
    if manifest_stale {
        std::fs::write(&manifest_path, &spliced)
            .map_err(|e| format!("error: writing generated-client/Cargo.toml: {e}"))?;
        println!("wrote generated-client/Cargo.toml (resource features)");
    }
    if !editor.is_empty() {
        std::fs::create_dir_all(&editor_dir)
            .map_err(|e| format!("error: creating {}: {e}", editor_dir.display()))?;
    }
    for (name, text) in &editor {
        let folder = codegen::spec::EDITOR_SCHEMA_DIR;
        std::fs::write(editor_dir.join(name), text)
            .map_err(|e| format!("error: writing api-spec/{folder}/{name}: {e}"))?;
        println!("wrote api-spec/{folder}/{name}");
    }
    let drifts = fresh::stale(&client, &files)
        .map_err(|e| format!("error: reading generated-client: {e}"))?;
    for folder in [codegen::GENERATED_DIR, codegen::DOCS_DIR] {
        std::fs::create_dir_all(client.join(folder))
            .map_err(|e| format!("error: creating {folder}: {e}"))?;
    }
    let (mut written, mut removed) = (0, 0);
    for drift in &drifts {
        match drift {
            Drift::Changed { path, .. } | Drift::Missing { path } => {
                let Some(file) = files.iter().find(|f| &f.path == path) else {
                    continue;
                };
                let target = client.join(path);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("error: creating {}: {e}", parent.display()))?;
                }
                std::fs::write(&target, &file.contents)
                    .map_err(|e| format!("error: writing {path}: {e}"))?;
                println!("wrote generated-client/{path}");
                written += 1;
            }
            Drift::Extra { path } => {
                std::fs::remove_file(client.join(path))
                    .map_err(|e| format!("error: removing {path}: {e}"))?;
                println!("removed generated-client/{path}");
                removed += 1;
            }
        }
    }
    println!(
        "generated {generated} from api-spec/: {} files, {written} written, {} unchanged, {removed} removed, in {:.2?}",
        files.len(),
        files.len() - written,
        started.elapsed()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_found_from_any_folder_inside_it() {
        let scratch = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let inner = scratch.join("copy").join("codegen").join("src");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::create_dir_all(scratch.join("copy").join("api-spec")).unwrap();
        std::fs::write(scratch.join("copy").join("Cargo.toml"), "[workspace]\n").unwrap();
        // A Cargo.toml without api-spec/ beside it is a member, not the root.
        std::fs::write(scratch.join("copy").join("codegen").join("Cargo.toml"), "").unwrap();
        let found = workspace_of(&inner);
        let outside = workspace_of(&scratch);
        std::fs::remove_dir_all(&scratch).unwrap();
        assert_eq!(found, Some(scratch.join("copy")));
        assert_eq!(outside, None);
    }
}
