//! The checked-in generated code must be what the spec generates today, and
//! generating must give the same bytes every time.

use std::path::Path;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn generate() -> Vec<codegen::GeneratedFile> {
    let spec = crate_dir().join("../api-spec");
    match codegen::generate(&spec) {
        Ok(files) => files,
        Err(error) => panic!("api-spec/ does not generate: {error}"),
    }
}

#[test]
fn generated_code_matches_the_spec() {
    let drifts = match codegen::fresh::drift(crate_dir(), &generate()) {
        Ok(drifts) => drifts,
        Err(error) => panic!("cannot read the generated files: {error}"),
    };
    let report: Vec<String> = drifts.iter().map(ToString::to_string).collect();
    assert!(
        drifts.is_empty(),
        "generated-client/src/generated is out of date with api-spec/; run `cargo xtask codegen` to fix it.\n\n{}",
        report.join("\n")
    );
}

#[test]
fn generation_is_byte_identical_from_run_to_run() {
    assert_eq!(generate(), generate());
}

#[test]
fn every_generated_file_starts_with_the_generated_header() {
    for file in generate() {
        let first_line = file.contents.lines().next().unwrap_or_default();
        assert!(
            first_line.contains("@generated"),
            "{} lacks the @generated header",
            file.path
        );
    }
}
