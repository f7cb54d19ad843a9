//! JSON Schemas of the spec format, for editors.
//!
//! Made from the loader's own types (through schemars), so they say what
//! the loader accepts: with one, a YAML language server completes keys,
//! shows their docs and flags typos as a person types. They are checked in
//! under `api-spec/editor/` and kept fresh by `cargo xtask codegen`.

use super::{ApiFile, ResourceFile, Schema};
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use std::collections::BTreeMap;

/// Where the editor schemas go, relative to the spec folder.
pub const EDITOR_SCHEMA_DIR: &str = "editor";

/// The editor schema of each kind of spec file: (file name, JSON text).
pub fn editor_schemas() -> Vec<(&'static str, String)> {
    vec![
        (
            "api.schema.json",
            schema_of::<ApiFile>(
                "api.yaml",
                "What is API-wide: title, version, base URL, auth, global parameters.",
            ),
        ),
        (
            "schemas.schema.json",
            schema_of::<BTreeMap<String, Schema>>(
                "schemas/*.yaml",
                "Named schemas (UpperCamelCase names, unique across all files), each one Rust type.",
            ),
        ),
        (
            "resource.schema.json",
            schema_of::<ResourceFile>("resources/*.yaml", "One resource and its operations."),
        ),
    ]
}

/// The draft-07 schema of `T` (the draft YAML language servers know best),
/// pretty-printed with a final newline.
fn schema_of<T: JsonSchema>(title: &str, description: &str) -> String {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    // A map of schemas serializes infallibly: its keys are strings.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schemas_are_json_and_close_every_mapping() {
        for (name, text) in editor_schemas() {
            let value: serde_json::Value = serde_json::from_str(&text).expect(name);
            assert_eq!(
                value["$schema"], "http://json-schema.org/draft-07/schema#",
                "{name}"
            );
            // deny_unknown_fields: a misspelled key is flagged.
            let definitions = value["definitions"].as_object().expect(name);
            let schema = &definitions["Schema"];
            assert_eq!(schema["additionalProperties"], false, "{name}");
            assert!(schema["properties"]["minLength"].is_object(), "{name}");
        }
    }
}
