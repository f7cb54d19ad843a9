//! The editor schemas in `api-spec/editor/` accept the real spec, and flag
//! what the loader refuses (a misspelled key, a wrong type), which shows
//! that an editor using them really checks.

use serde_json::Value;
use std::path::Path;

const SPEC_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec");

/// A YAML document as a YAML language server sees it: JSON, with mapping
/// keys as strings (`200:` is the key "200").
fn as_json(yaml: serde_yaml::Value) -> Value {
    match yaml {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(as_json).collect())
        }
        serde_yaml::Value::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let key = match as_json(key) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, as_json(value))
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(tagged) => as_json(tagged.value),
    }
}

/// The editor schema for the spec file at `path` (relative to the spec folder).
fn validator_for(path: &str) -> jsonschema::Validator {
    let name = if path == "api.yaml" {
        "api.schema.json"
    } else if path.starts_with("schemas/") {
        "schemas.schema.json"
    } else {
        "resource.schema.json"
    };
    let file = Path::new(SPEC_DIR)
        .join(codegen::spec::EDITOR_SCHEMA_DIR)
        .join(name);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask codegen`", file.display()));
    let schema: Value = serde_json::from_str(&text).expect("the editor schema is JSON");
    jsonschema::draft7::new(&schema).expect("the editor schema compiles")
}

fn errors(path: &str, text: &str) -> Vec<String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).expect("the file is YAML");
    validator_for(path)
        .iter_errors(&as_json(yaml))
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn the_real_spec_fits_its_editor_schemas() {
    let files = codegen::spec::read_spec_dir(Path::new(SPEC_DIR)).expect("the spec is readable");
    assert!(files.len() >= 3);
    for file in &files {
        assert_eq!(
            errors(&file.path, &file.text),
            Vec::<String>::new(),
            "{}",
            file.path
        );
        // Each file points its editor at its schema.
        assert!(
            file.text.starts_with("# yaml-language-server: $schema="),
            "{} lacks the modeline",
            file.path
        );
    }
}

#[test]
fn a_misspelled_key_and_a_wrong_type_are_flagged() {
    let files = codegen::spec::read_spec_dir(Path::new(SPEC_DIR)).expect("the spec is readable");
    let resource = files
        .iter()
        .find(|f| f.path == "resources/notebook.yaml")
        .expect("the notebook resource");
    let misspelled = resource.text.replacen("    summary:", "    sumary:", 1);
    let found = errors(&resource.path, &misspelled);
    assert!(found.iter().any(|e| e.contains("sumary")), "{found:?}");

    let schemas = files
        .iter()
        .find(|f| f.path == "schemas/notebook.yaml")
        .expect("the notebook schemas");
    let wrong = schemas.text.replacen("type: string", "type: strng", 1);
    assert!(!errors(&schemas.path, &wrong).is_empty());
    let wrong = schemas
        .text
        .replacen("type: string", "type: string\n  maxLength: many", 1);
    assert!(!errors(&schemas.path, &wrong).is_empty());
}
