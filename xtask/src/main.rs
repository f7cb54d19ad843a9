//! Project automation, run as `cargo xtask <task>`.
//!
//! `cargo xtask codegen` regenerates `generated-client/src/generated/` from
//! `api-spec/`; `cargo xtask codegen --check` only compares, prints a diff
//! and fails when the checked-in code is stale. `cargo xtask bench` runs
//! every benchmark and prints a summary (see `BENCHMARKS.md`).

mod bench;

use codegen::fresh::{self, Drift};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench [NAME...]";

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
        ["bench", names @ ..] => bench::run(&root(), names),
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

/// The workspace root: the parent of this crate's folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(check: bool) -> Result<(), String> {
    let root = root();
    let client = root.join("generated-client");
    let files = codegen::generate(&root.join("api-spec")).map_err(|e| format!("error: {e}"))?;
    let drifts = fresh::drift(&client, &files)
        .map_err(|e| format!("error: reading generated-client: {e}"))?;
    if check {
        if drifts.is_empty() {
            println!("generated-client is up to date ({} files)", files.len());
            return Ok(());
        }
        for drift in &drifts {
            eprintln!("{drift}");
        }
        return Err(format!(
            "generated-client is out of date with api-spec/ ({} files differ); run `cargo xtask codegen`",
            drifts.len()
        ));
    }
    for folder in [codegen::GENERATED_DIR, codegen::DOCS_DIR] {
        std::fs::create_dir_all(client.join(folder))
            .map_err(|e| format!("error: creating {folder}: {e}"))?;
    }
    for drift in &drifts {
        match drift {
            Drift::Changed { path, .. } | Drift::Missing { path } => {
                let Some(file) = files.iter().find(|f| &f.path == path) else {
                    continue;
                };
                std::fs::write(client.join(path), &file.contents)
                    .map_err(|e| format!("error: writing {path}: {e}"))?;
                println!("wrote generated-client/{path}");
            }
            Drift::Extra { path } => {
                std::fs::remove_file(client.join(path))
                    .map_err(|e| format!("error: removing {path}: {e}"))?;
                println!("removed generated-client/{path}");
            }
        }
    }
    println!(
        "generated-client: {} files from api-spec/, {} changed",
        files.len(),
        drifts.len()
    );
    Ok(())
}
