//! The curl example generated for each Notebook action is the one the
//! vendor's reference page shows (seven of the nine actions have one; the
//! page lost those of delete and patch).
//!
//! The page was flattened from HTML, which glued the flags together
//! (`curl-H'...'\-H'...'`) and left a stray quote in the upload example
//! (`-FjupyterFile=@localfilename'`). Both sides are therefore compared
//! after normalizing: whitespace, line-continuation backslashes and single
//! quotes are removed, so only the words and their order count.

use std::path::Path;

const SEED: &str = include_str!("fixtures/notebook-api-reference.txt");

fn normalize(command: &str) -> String {
    command
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\\' && *c != '\'')
        .collect()
}

/// The curl commands of the seed: from a line starting with `curl` to the
/// next line holding the URL.
fn seed_examples() -> Vec<String> {
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in SEED.lines() {
        if line.starts_with("curl") {
            current = Some(String::new());
        }
        if let Some(command) = current.as_mut() {
            command.push_str(line);
            command.push('\n');
            if line.trim_start().starts_with("https://") {
                examples.extend(current.take());
            }
        }
    }
    examples
}

#[test]
fn generated_curl_examples_match_the_reference_page() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
    let files = codegen::spec::read_spec_dir(&spec).expect("spec readable");
    let api = codegen::load_model(&files).expect("spec valid");
    let notebook = api
        .resources
        .iter()
        .find(|r| r.name == "notebook")
        .expect("notebook resource");
    let generated: Vec<(String, String)> = notebook
        .operations
        .iter()
        .map(|op| (op.name.clone(), normalize(&codegen::curl(&api, op))))
        .collect();

    let examples = seed_examples();
    assert_eq!(
        examples.len(),
        7,
        "the reference page shows seven curl examples"
    );
    let mut matched = Vec::new();
    for example in &examples {
        let wanted = normalize(example);
        match generated.iter().find(|(_, command)| *command == wanted) {
            Some((name, _)) => matched.push(name.as_str()),
            None => panic!(
                "no generated curl example matches the reference page's\n{example}\nnormalized: {wanted}\ngenerated:\n{}",
                generated
                    .iter()
                    .map(|(name, command)| format!("{name}: {command}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }
    assert_eq!(
        matched,
        [
            "cancelExecution",
            "execute",
            "get",
            "logs",
            "notebookMinuteCounts",
            "requestInputDataExport",
            "upload"
        ]
    );
}

#[test]
fn the_reference_docs_hold_each_curl_example() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
    let files = codegen::generate(&spec).expect("spec generates");
    let notebook_md = files
        .iter()
        .find(|f| f.path == "docs/notebook.md")
        .expect("docs/notebook.md is generated");
    assert!(notebook_md.contents.starts_with(codegen::MARKDOWN_HEADER));
    for action in [
        "cancelExecution",
        "delete",
        "execute",
        "get",
        "logs",
        "notebookMinuteCounts",
        "patch",
        "requestInputDataExport",
        "upload",
    ] {
        assert!(
            notebook_md.contents.contains(&format!("\n## {action}\n")),
            "{action} has a section"
        );
    }
    assert_eq!(notebook_md.contents.matches("```sh\ncurl ").count(), 9);
}
