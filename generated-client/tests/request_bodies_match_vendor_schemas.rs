//! Request bodies serialized from the generated types validate against the
//! vendor's original JSON Schemas (`tests/fixtures/schemas/`), and every
//! schema rejects a body it must reject, which shows that the validator
//! really checks (a validator that accepted everything would fail here).

use generated_client::{Timestamp, types};
use jsonschema::Validator;

#[path = "support/vendor_schema.rs"]
mod vendor_schema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use vendor_schema::{escape_literal_braces, validator, validator_for_file};

const EXECUTION_OPTIONS_SCHEMA: &str =
    include_str!("fixtures/schemas/notebookExecutionOptions.json");
const DATA_EXPORT_OPTIONS_SCHEMA: &str =
    include_str!("fixtures/schemas/notebookDataExportOptions.json");
const PATCH_SCHEMA: &str = include_str!("fixtures/schemas/notebookPatch.json");
const POST_SCHEMA: &str = include_str!("fixtures/schemas/notebookPost.json");

#[test]
fn only_literal_braces_are_escaped() {
    assert_eq!(escape_literal_braces(".*{{.+}}.*"), r".*\{\{.+\}\}.*");
    for unchanged in [
        r"^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$",
        r"^[A-Fa-f\d]{24}$",
        r"^a{2,}[{}]\{$",
    ] {
        assert_eq!(escape_literal_braces(unchanged), unchanged);
    }
}

/// Asserts that the schema accepts `body`, listing every error otherwise.
fn assert_accepts(validator: &Validator, body: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|error| format!("at `{}`: {error}", error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the schema rejects {body:#}:\n{}",
        errors.join("\n")
    );
}

/// Asserts that the schema rejects `body`.
fn assert_rejects(validator: &Validator, body: &Value) {
    assert!(
        !validator.is_valid(body),
        "the schema accepts {body:#}, which it must reject"
    );
}

/// The JSON a value serializes to, as a request body would carry it.
fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

/// A string newtype (`FileName`, `ObjectIdOrTemplate`, `TagKey`) from its
/// wire form.
///
/// Decoding keeps the value as is. The constructors (`FileName::new`, ...)
/// would be the natural way, but they currently reject valid literal values
/// (see `either_or_newtype_constructors_accept_what_the_vendor_schema_accepts`), and
/// what is tested here is the serialized form, not the constructors.
fn wire<T: DeserializeOwned>(value: &str) -> T {
    serde_json::from_value(Value::String(value.to_owned()))
        .unwrap_or_else(|error| panic!("`{value}` does not decode: {error}"))
}

fn device_tags() -> Option<Vec<types::DeviceTag>> {
    Some(vec![
        types::DeviceTag {
            key: Some(wire("location")),
            value: Some("cold-storage".to_owned()),
        },
        types::DeviceTag {
            key: Some(wire("{{data.tagKey}}")),
            value: Some("freezer".to_owned()),
        },
    ])
}

fn device_ids() -> Option<Vec<types::ObjectIdOrTemplate>> {
    Some(vec![
        wire("5f2b7c9e1a4d3e0012ab34cd"),
        wire("{{data.deviceId}}"),
    ])
}

/// One input of each of the seven kinds, every field set.
fn every_input_kind() -> Vec<types::NotebookInput> {
    use types::NotebookInput as Input;
    vec![
        Input::DeviceData(types::DeviceDataInput {
            attributes: Some(vec!["temperature".to_owned(), "door_open".to_owned()]),
            device_ids: device_ids(),
            device_tags: device_tags(),
            end: 0,
            file_name: wire("device_data_{{data.week}}.csv"),
            query_json: Some(r#"{"$and":[{"name":{"$like":"Freezer*"}}]}"#.to_owned()),
            start: -604_800_000,
        }),
        Input::DeviceConnectionHistory(types::DeviceConnectionHistoryInput {
            device_ids: device_ids(),
            device_tags: device_tags(),
            end: 1_732_000_000_000,
            file_name: wire("connection_history.csv"),
            query_json: Some(r#"{"$and":[]}"#.to_owned()),
            start: 1_731_000_000_000,
        }),
        Input::DeviceMetadata(types::DeviceMetadataInput {
            device_ids: device_ids(),
            device_tags: device_tags(),
            file_name: wire("device_metadata.json"),
            format: Some(types::DeviceMetadataInputFormat::Json),
            query_json: Some("{}".to_owned()),
        }),
        Input::DataTable(types::DataTableInput {
            data_table_id: wire("60a4f1c2b8e9d70013c5e6f1"),
            file_name: wire("maintenance_log.csv"),
            query_json: Some(r#"{"$and":[{"status":{"$eq":"open"}}]}"#.to_owned()),
        }),
        Input::EventData(types::EventDataInput {
            file_name: wire("events.csv"),
            format: Some(types::EventDataInputFormat::Csv),
            query_json: Some(r#"{"$and":[{"level":{"$eq":"critical"}}]}"#.to_owned()),
        }),
        Input::ExternalUrl(types::ExternalUrlInput {
            file_name: wire("energy_prices.csv"),
            source_url: "https://example.com/exports/energy-prices-daily.csv".to_owned(),
        }),
        Input::ApplicationFile(types::ApplicationFileInput {
            file_name: wire("thresholds.json"),
            file_path: "config/notebooks/thresholds.json".to_owned(),
            private: Some(true),
        }),
    ]
}

/// One output of each of the five kinds, every field set.
fn every_output_kind() -> Vec<types::NotebookOutput> {
    use types::NotebookOutput as Output;
    vec![
        Output::DataTable(types::DataTableOutput {
            create_missing_columns: Some(true),
            data_table_id: wire("{{data.tableId}}"),
            file_name: wire("daily_summary.csv"),
            truncate_existing_table: Some(false),
        }),
        Output::File(types::FileOutput {
            destination_directory_template: Some("reports/{{data.week}}".to_owned()),
            destination_file_name_template: "temperature-{{data.week}}.png".to_owned(),
            destination_private: Some(false),
            file_name: wire("temperature_chart.png"),
        }),
        Output::Directory(types::DirectoryOutput {
            destination_directory_template: "reports/{{data.week}}/charts".to_owned(),
            destination_private: Some(true),
            directory_name: wire("charts"),
        }),
        Output::ExecutionResult(types::ExecutionResultOutput {
            destination_directory_template: Some("reports/{{data.week}}".to_owned()),
            destination_file_name_template: Some("cold-storage-report.html".to_owned()),
            destination_private: Some(false),
            file_name: types::ExecutionResultOutputFileName::ResultHtml,
        }),
        Output::TemporaryUrl(types::TemporaryUrlOutput {
            file_name: wire("anomalies.csv"),
        }),
    ]
}

/// The `inputType` or `outputType` of each item of `body[list]`.
fn kinds<'a>(body: &'a Value, list: &str, tag: &str) -> Vec<&'a str> {
    body[list]
        .as_array()
        .unwrap_or_else(|| panic!("`{list}` is not an array in {body:#}"))
        .iter()
        .map(|item| item[tag].as_str().expect("tag is a string"))
        .collect()
}

/// A patch or post body carrying every input and output kind.
fn full_patch() -> types::NotebookPatch {
    types::NotebookPatch {
        description: Some("Weekly cold storage report".to_owned()),
        image_version: Some(types::ImageVersion::V4),
        inputs: Some(every_input_kind()),
        name: Some("My Updated Notebook".to_owned()),
        outputs: Some(every_output_kind()),
    }
}

#[test]
fn execution_options_with_each_relative_to_variant_match_the_vendor_schema() {
    let schema = validator_for_file(EXECUTION_OPTIONS_SCHEMA);
    let variants = [
        (
            types::RelativeTo::Number(Timestamp::from_millis(1570549199451)),
            json!(1570549199451u64),
        ),
        (
            types::RelativeTo::String("2019-10-08T15:39:59.451Z".to_owned()),
            json!("2019-10-08T15:39:59.451Z"),
        ),
        (
            types::RelativeTo::DateObject(types::DateObject::new(
                "2019-10-08T15:39:59.451Z".to_owned(),
            )),
            json!({"$date": "2019-10-08T15:39:59.451Z"}),
        ),
    ];
    for (relative_to, wire_form) in variants {
        let options = types::NotebookExecutionOptions {
            relative_to: Some(relative_to),
            ..Default::default()
        };
        let body = to_json(&options);
        assert_eq!(body, json!({"relativeTo": wire_form}));
        assert_accepts(&schema, &body);
    }

    let full = types::NotebookExecutionOptions {
        callback_url: Some("https://example.com/hooks/notebook-done".to_owned()),
        email: Some("user@example.com".to_owned()),
        relative_to: Some(types::RelativeTo::Number(Timestamp::from_millis(
            1570549199451,
        ))),
        template_context: Some(r#"{"data":{"week":"2024-W47"}}"#.to_owned()),
    };
    assert_accepts(&schema, &to_json(&full));
    assert_accepts(
        &schema,
        &to_json(&types::NotebookExecutionOptions::default()),
    );

    // Negative controls.
    assert_rejects(
        &schema,
        &json!({"relativeTo": 1570549199451.0, "unexpected": true}),
    );
    assert_rejects(
        &schema,
        &json!({"relativeTo": {"$date": "2019-10-08T15:39:59.451Z", "extra": 1}}),
    );
    assert_rejects(&schema, &json!({"relativeTo": true}));
    assert_rejects(&schema, &json!({"email": "not an email address"}));
}

#[test]
fn data_export_options_match_the_vendor_schema() {
    let schema = validator_for_file(DATA_EXPORT_OPTIONS_SCHEMA);
    let email_only = types::NotebookDataExportOptions {
        email: Some("user@example.com".to_owned()),
        ..Default::default()
    };
    assert_eq!(to_json(&email_only), json!({"email": "user@example.com"}));
    assert_accepts(&schema, &to_json(&email_only));

    let full = types::NotebookDataExportOptions {
        callback_url: Some("https://example.com/hooks/export-ready".to_owned()),
        email: Some("user@example.com".to_owned()),
        relative_to: Some(types::RelativeTo::DateObject(types::DateObject::new(
            "2019-10-08T15:39:59.451Z".to_owned(),
        ))),
        template_context: Some("{}".to_owned()),
    };
    assert_accepts(&schema, &to_json(&full));

    // Negative controls.
    assert_rejects(
        &schema,
        &json!({"email": "user@example.com", "unexpected": 1}),
    );
    assert_rejects(&schema, &json!({"email": "not an email address"}));
    assert_rejects(&schema, &json!({"callbackUrl": 42}));
}

#[test]
fn patch_with_every_input_and_output_kind_matches_the_vendor_schema() {
    let schema = validator_for_file(PATCH_SCHEMA);
    let body = to_json(&full_patch());
    assert_eq!(
        kinds(&body, "inputs", "inputType"),
        [
            "deviceData",
            "deviceConnectionHistory",
            "deviceMetadata",
            "dataTable",
            "eventData",
            "externalUrl",
            "applicationFile",
        ]
    );
    assert_eq!(
        kinds(&body, "outputs", "outputType"),
        [
            "dataTable",
            "file",
            "directory",
            "executionResult",
            "temporaryUrl"
        ]
    );
    assert_accepts(&schema, &body);

    let name_only = types::NotebookPatch {
        name: Some("My Updated Notebook".to_owned()),
        ..Default::default()
    };
    assert_accepts(&schema, &to_json(&name_only));

    // Every value of the closed enums is accepted too.
    for file_name in [
        types::ExecutionResultOutputFileName::ResultHtml,
        types::ExecutionResultOutputFileName::ResultPdf,
        types::ExecutionResultOutputFileName::ResultIpynb,
        types::ExecutionResultOutputFileName::ResultErrorLog,
        types::ExecutionResultOutputFileName::ResultLog,
    ] {
        let patch = types::NotebookPatch {
            outputs: Some(vec![types::NotebookOutput::ExecutionResult(
                types::ExecutionResultOutput::new(file_name),
            )]),
            ..Default::default()
        };
        assert_accepts(&schema, &to_json(&patch));
    }
    for (metadata_format, event_format) in [
        (
            types::DeviceMetadataInputFormat::Csv,
            types::EventDataInputFormat::Csv,
        ),
        (
            types::DeviceMetadataInputFormat::Json,
            types::EventDataInputFormat::Json,
        ),
    ] {
        let mut metadata = types::DeviceMetadataInput::new(wire("devices.csv"));
        metadata.format = Some(metadata_format);
        let mut events = types::EventDataInput::new(wire("events.csv"));
        events.format = Some(event_format);
        let patch = types::NotebookPatch {
            inputs: Some(vec![
                types::NotebookInput::DeviceMetadata(metadata),
                types::NotebookInput::EventData(events),
            ]),
            ..Default::default()
        };
        assert_accepts(&schema, &to_json(&patch));
    }

    // Negative controls, each a small change to the valid body.
    let changed = |change: &dyn Fn(&mut Value)| {
        let mut changed = body.clone();
        change(&mut changed);
        changed
    };
    assert_rejects(&schema, &changed(&|b| b["unexpected"] = json!(true)));
    assert_rejects(&schema, &changed(&|b| b["inputs"][0]["extra"] = json!(1)));
    assert_rejects(
        &schema,
        &changed(&|b| {
            b["inputs"][0].as_object_mut().unwrap().remove("start");
        }),
    );
    assert_rejects(
        &schema,
        &changed(&|b| b["outputs"][4]["outputType"] = json!("email")),
    );
    assert_rejects(
        &schema,
        &changed(&|b| b["outputs"][3]["fileName"] = json!("result.docx")),
    );
    assert_rejects(
        &schema,
        &changed(&|b| b["inputs"][3]["dataTableId"] = json!("not-an-object-id")),
    );
    assert_rejects(&schema, &changed(&|b| b["name"] = json!("")));
}

#[test]
fn file_name_patterns_are_checked_with_look_ahead() {
    let schema = validator_for_file(PATCH_SCHEMA);
    let with_file_name = |file_name: &str| json!({"outputs": [{"outputType": "temporaryUrl", "fileName": file_name}]});
    // Only the look-ahead `(?!\.{1,2}$)` tells these apart: all their
    // characters are allowed by `[0-9a-zA-Z_.-]`.
    assert_rejects(&schema, &with_file_name("."));
    assert_rejects(&schema, &with_file_name(".."));
    assert_accepts(&schema, &with_file_name("..."));
    assert_accepts(&schema, &with_file_name(".env"));
    // The template alternative `.*{{.+}}.*`, with literal braces.
    assert_accepts(&schema, &with_file_name("report {{data.week}}.csv"));
    assert_rejects(&schema, &with_file_name("report {{}}.csv"));
    assert_rejects(&schema, &with_file_name("a b.csv"));
}

#[test]
fn post_matches_the_vendor_schema() {
    let schema = validator_for_file(POST_SCHEMA);
    let full = full_patch();
    let body = types::NotebookPost {
        description: full.description,
        image_version: types::ImageVersion::V4,
        inputs: full.inputs,
        name: "My New Notebook".to_owned(),
        outputs: full.outputs,
    };
    let body = to_json(&body);
    assert_eq!(body["name"], "My New Notebook");
    assert_eq!(body["imageVersion"], "v4");
    assert_eq!(body["inputs"].as_array().map(Vec::len), Some(7));
    assert_eq!(body["outputs"].as_array().map(Vec::len), Some(5));
    assert_accepts(&schema, &body);

    for image_version in [
        types::ImageVersion::V1,
        types::ImageVersion::V2,
        types::ImageVersion::V3,
        types::ImageVersion::V4,
    ] {
        let minimal = types::NotebookPost {
            description: None,
            image_version,
            inputs: None,
            name: "My New Notebook".to_owned(),
            outputs: None,
        };
        assert_accepts(&schema, &to_json(&minimal));
    }

    // Negative controls.
    let mut without_name = body.clone();
    without_name.as_object_mut().unwrap().remove("name");
    assert_rejects(&schema, &without_name);
    let mut with_extra = body.clone();
    with_extra["unexpected"] = json!(true);
    assert_rejects(&schema, &with_extra);
    assert_rejects(
        &schema,
        &json!({"name": "My New Notebook", "imageVersion": "v0"}),
    );
}

/// The sub-schema at `pointer` of a schema file, as its own validator.
fn sub_validator(schema_text: &str, pointer: &str) -> Validator {
    let schema: Value = serde_json::from_str(schema_text).expect("schema is JSON");
    let sub = schema
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no `{pointer}` in the schema"));
    validator(sub)
}

/// Asserts that `construct` accepts exactly the samples the vendor's
/// sub-schema at `pointer` of the patch schema accepts; `what` names the
/// constructor in the message.
fn assert_constructor_agrees(
    what: &str,
    pointer: &str,
    samples: &[String],
    construct: impl Fn(&str) -> bool,
) {
    let schema = sub_validator(PATCH_SCHEMA, pointer);
    let disagreements: Vec<String> = samples
        .iter()
        .filter(|sample| construct(sample) != schema.is_valid(&json!(sample)))
        .map(|sample| {
            format!(
                "{}: constructor {}, schema {}",
                shown(sample),
                verdict(construct(sample)),
                verdict(schema.is_valid(&json!(sample)))
            )
        })
        .collect();
    assert!(
        disagreements.is_empty(),
        "{what} and the vendor schema disagree:\n{}",
        disagreements.join("\n")
    );
}

/// A sample as shown in a message: quoted, long ones cut.
fn shown(sample: &str) -> String {
    match sample.char_indices().nth(24) {
        Some((cut, _)) => format!("`{}…` ({} chars)", &sample[..cut], sample.chars().count()),
        None => format!("`{sample}`"),
    }
}

fn verdict(accepted: bool) -> &'static str {
    if accepted { "accepts" } else { "rejects" }
}

/// Where the string newtypes of the request bodies sit in the patch schema.
const INPUT: &str = "/properties/inputs/items/oneOf/0/properties";

fn samples(values: &[&str]) -> Vec<String> {
    let mut samples: Vec<String> = values.iter().map(|&value| value.to_owned()).collect();
    // Lengths around the 255-character limits, literal and template.
    samples.extend([255, 256].map(|length| "x".repeat(length)));
    samples.extend([255, 256].map(|length| format!("{{{{{}}}}}", "x".repeat(length - 4))));
    samples
}

#[test]
fn single_form_newtype_constructors_accept_what_the_vendor_schema_accepts() {
    assert_constructor_agrees(
        "TemplateString::new",
        &format!("{INPUT}/fileName/oneOf/1"),
        &samples(&[
            "{{x}}",
            "a{{b}}c",
            "{{}}",
            "{{x}",
            "x}}",
            "abc",
            "",
            "{{ a b }}",
        ]),
        |s| types::TemplateString::new(s).is_ok(),
    );
    assert_constructor_agrees(
        "ObjectId::new",
        &format!("{INPUT}/deviceIds/items/oneOf/0"),
        &samples(&[
            "5f2b7c9e1a4d3e0012ab34cd",
            "5F2B7C9E1A4D3E0012AB34CD",
            "5f2b7c9e1a4d3e0012ab34c",
            "5f2b7c9e1a4d3e0012ab34cde",
            "5f2b7c9e1a4d3e0012ab34cg",
            "",
        ]),
        |s| types::ObjectId::new(s).is_ok(),
    );
}

#[test]
fn either_or_newtype_constructors_accept_what_the_vendor_schema_accepts() {
    assert_constructor_agrees(
        "FileName::new",
        &format!("{INPUT}/fileName"),
        &samples(&[
            "events.csv",
            "device_data_{{data.week}}.csv",
            "{{x}}",
            "...",
            ".env",
            "..",
            ".",
            "",
            "a b.csv",
            "a/b.csv",
            "ab{{",
        ]),
        |s| types::FileName::new(s).is_ok(),
    );
    assert_constructor_agrees(
        "ObjectIdOrTemplate::new",
        &format!("{INPUT}/deviceIds/items"),
        &samples(&[
            "5f2b7c9e1a4d3e0012ab34cd",
            "{{data.deviceId}}",
            "5f2b7c9e1a4d3e0012ab34c",
            "not-an-object-id",
            "",
        ]),
        |s| types::ObjectIdOrTemplate::new(s).is_ok(),
    );
    assert_constructor_agrees(
        "TagKey::new",
        &format!("{INPUT}/deviceTags/items/properties/key"),
        &samples(&["location", "zone_2-b", "{{data.tagKey}}", "bad key", ""]),
        |s| types::TagKey::new(s).is_ok(),
    );
}
