//! Building a client crate from a spec other than `api-spec/`, to prove that
//! what the generator emits for it compiles (and passes its tests).
//!
//! The crate is laid out in a scratch workspace: the real client's
//! hand-written runtime and manifest, the generated files of the given spec,
//! and the workspace's `Cargo.lock` so no dependency changes version. It is
//! built with `cargo` offline, in a target folder of its own under the
//! workspace's target, shared by every such build so dependencies compile
//! once.

#![allow(dead_code)]

use codegen::SourceFile;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every spec file under `dir`, as the generator reads them.
pub fn read_spec(dir: &Path) -> Vec<SourceFile> {
    match codegen::spec::read_spec_dir(dir) {
        Ok(files) => files,
        Err(error) => panic!("cannot read {}: {error}", dir.display()),
    }
}

/// The files of `api-spec/` written by hand rather than imported from the
/// vendor: the notebooks and the schemas they use. A test that runs the
/// generator once per variation of the real spec uses these, so that it
/// varies what people write and stays quick at the platform's size.
pub const HAND_WRITTEN: &[&str] = &[
    "api.yaml",
    "resources/notebook.yaml",
    "resources/notebooks.yaml",
    "schemas/common.yaml",
    "schemas/notebook.yaml",
];

/// The hand-written files of the real spec, as the generator reads them.
pub fn hand_written_spec() -> Vec<SourceFile> {
    let spec: Vec<SourceFile> = read_spec(&root().join("api-spec"))
        .into_iter()
        .filter(|f| HAND_WRITTEN.contains(&f.path.as_str()))
        .collect();
    assert_eq!(
        spec.len(),
        HAND_WRITTEN.len(),
        "the hand-written spec files"
    );
    spec
}

/// Generates a client from `spec` into a scratch crate named after `name`,
/// adds `tests` (file name → source) as integration tests, and runs
/// `cargo test` on it with warnings denied. Returns cargo's output on failure.
pub fn build_and_test(
    name: &str,
    spec: &[SourceFile],
    tests: &[(&str, &str)],
) -> Result<String, String> {
    build(name, spec, tests, &[&["test"]], DevDependencies::Tokio)
}

/// Like [`build_and_test`], for tests that talk HTTP to a local server:
/// the scratch crate also gets the client's own test support
/// (`tests/support/mod.rs`: the recording server, the multipart parser)
/// and its dev-dependencies, and its `mock` feature is on.
pub fn build_and_test_on_the_wire(
    name: &str,
    spec: &[SourceFile],
    tests: &[(&str, &str)],
) -> Result<String, String> {
    build(name, spec, tests, &[&["test"]], DevDependencies::Wire)
}

/// What the scratch crate's tests may use beside the client.
#[derive(Clone, Copy, PartialEq)]
pub enum DevDependencies {
    /// tokio's test runtime.
    Tokio,
    /// Also the client's test support, its crates and the `mock` feature.
    Wire,
    /// As `Wire`, and the conformance tests the generator writes
    /// (`tests/every_action/`) with what they use: the client's wire checks,
    /// the vendor's body schemas and the schema validator.
    Conformance,
}

/// Like [`build_and_test_on_the_wire`], with the generated conformance
/// tests of every operation as well: what a person who adds a resource to
/// the spec runs.
pub fn build_and_test_every_action(
    name: &str,
    spec: &[SourceFile],
    tests: &[(&str, &str)],
) -> Result<String, String> {
    build(
        name,
        spec,
        tests,
        &[&["test"]],
        DevDependencies::Conformance,
    )
}

/// Like [`build_and_test`] without extra tests, then also documents the
/// crate with rustdoc's warnings denied (broken links, unclosed HTML).
pub fn build_test_and_document(name: &str, spec: &[SourceFile]) -> Result<String, String> {
    build(
        name,
        spec,
        &[],
        &[&["test"], &["doc", "--no-deps"]],
        DevDependencies::Tokio,
    )
}

/// Lays out the scratch crate and runs each cargo command on it in turn,
/// stopping at the first that fails.
pub fn build(
    name: &str,
    spec: &[SourceFile],
    tests: &[(&str, &str)],
    commands: &[&[&str]],
    dev: DevDependencies,
) -> Result<String, String> {
    // Every scratch crate is called `generated-client` and shares one target
    // folder, so two builds at once would overwrite each other's artifacts.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let files =
        codegen::generate_from_sources(spec).map_err(|e| format!("generation failed: {e}"))?;
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&scratch);
    let client = scratch.join("generated-client");
    let api = codegen::load_model(spec).map_err(|e| format!("loading failed: {e}"))?;
    copy_runtime(&client, dev, &codegen::features::manifest_section(&api))?;
    // The conformance tests need the client's test support, which only a
    // `Conformance` scratch crate carries.
    let prefix = format!("{}/", codegen::WIRE_TESTS_DIR);
    let wanted = |f: &&codegen::GeneratedFile| {
        dev == DevDependencies::Conformance || !f.path.starts_with(&prefix)
    };
    for file in files.iter().filter(wanted) {
        write(&client.join(&file.path), &file.contents)?;
    }
    for (file_name, source) in tests {
        write(&client.join("tests").join(file_name), source)?;
    }
    write(&scratch.join("Cargo.toml"), &workspace_manifest()?)?;
    let lock = read(&root().join("Cargo.lock"))?;
    write(&scratch.join("Cargo.lock"), &lock)?;

    let mut text = String::new();
    for command in commands {
        let output = Command::new(env!("CARGO"))
            .args(*command)
            .args(["--offline", "--quiet", "--manifest-path"])
            .arg(scratch.join("Cargo.toml"))
            .env(
                "CARGO_TARGET_DIR",
                root().join("target").join("fixture-clients"),
            )
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        if !output.status.success() {
            return Err(text);
        }
    }
    Ok(text)
}

/// The root manifest with only the client as a member.
fn workspace_manifest() -> Result<String, String> {
    let manifest = read(&root().join("Cargo.toml"))?;
    let mut out = String::new();
    for line in manifest.lines() {
        if line.starts_with("members") {
            out.push_str("members = [\"generated-client\"]\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The client's manifest without dev-dependencies (the scratch tests need
/// only tokio, which is a dependency already), and its hand-written sources.
fn copy_runtime(client: &Path, dev: DevDependencies, features: &str) -> Result<(), String> {
    let source = root().join("generated-client");
    let manifest =
        codegen::features::splice_manifest(&read(&source.join("Cargo.toml"))?, features)?;
    // A scratch crate talks to 127.0.0.1 over plain HTTP, so TLS is left out
    // of its defaults (sparing a TLS library's build in its target folder),
    // and the runtime's unit tests, which the workspace runs, are not built
    // again: what a scratch crate tests is what was generated.
    let tls_default = "default = [\"rustls\", \"full\"]";
    if !manifest.contains(tls_default) {
        return Err(format!(
            "the client's manifest no longer says `{tls_default}`"
        ));
    }
    let manifest = manifest
        .replacen(tls_default, "default = [\"full\"]", 1)
        .replacen("[dependencies]", "[lib]\ntest = false\n\n[dependencies]", 1);
    let extra = match dev {
        DevDependencies::Tokio => String::new(),
        DevDependencies::Wire | DevDependencies::Conformance => {
            let support = read(&source.join("tests/support/mod.rs"))?;
            write(&client.join("tests/support/mod.rs"), &support)?;
            // The versions the client's own tests use (the lock file holds them).
            let mut extra = "generated-client = { path = \".\", features = [\"mock\"] }\n\
                 hyper = { version = \"1\", features = [\"server\", \"http1\"] }\n\
                 hyper-util = { version = \"0.1\", features = [\"tokio\"] }\n\
                 http-body-util = \"0.1\"\n"
                .to_owned();
            if dev == DevDependencies::Conformance {
                for file in ["wire.rs", "vendor_schema.rs"] {
                    let text = read(&source.join("tests/support").join(file))?;
                    write(&client.join("tests/support").join(file), &text)?;
                }
                copy_dir(
                    &source.join("tests/fixtures/vendor"),
                    &client.join("tests/fixtures/vendor"),
                )?;
                extra.push_str("jsonschema = { version = \"0.61\", default-features = false }\n");
            }
            extra
        }
    };
    let manifest = match manifest.find("[dev-dependencies]") {
        Some(cut) => format!(
            "{}[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\"] }}\n{extra}",
            &manifest[..cut]
        ),
        None => manifest,
    };
    write(&client.join("Cargo.toml"), &manifest)?;
    let entries = std::fs::read_dir(source.join("src")).map_err(|e| e.to_string())?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_name().ok_or("file name")?;
            let text = read(&path)?;
            // The README is not part of the scratch crate.
            let text = text.replace("#[doc = include_str!(\"../../README.md\")]", "");
            // The runtime's doc examples call the real API's resources.
            let text = text
                .replace("//! ```no_run", "//! ```ignore")
                .replace("/// ```no_run", "/// ```ignore");
            write(&client.join("src").join(name), &text)?;
        }
    }
    Ok(())
}

/// Copies the files under `from` to `to`, folders included.
fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.is_dir() {
            copy_dir(&path, &to.join(name))?;
        } else {
            std::fs::copy(&path, to.join(name))
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
