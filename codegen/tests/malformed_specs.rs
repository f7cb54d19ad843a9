//! Each test feeds the generator a small valid spec with exactly one mistake
//! and checks the diagnostic: file, line, column, key path and message,
//! and how it is shown (a snapshot of the rendered report).

mod support;

use codegen::{Diagnostic, Error, Report, SourceFile};
use expect_test::expect;

const API: &str = "\
title: Widget API
version: \"1\"
base_url: https://api.example.com
auth:
  scheme: bearer
";

// Line numbers, for reading the assertions below:
//  1 WidgetId          6 Widget           10 id              14 required
//  4 pattern           9 properties       11 name            16 Error
const COMMON: &str = "\
WidgetId:
  description: ID of a widget
  type: string
  pattern: '^[0-9a-f]{24}$'

Widget:
  description: A widget
  type: object
  properties:
    id: { $ref: WidgetId }
    name:
      type: string
      maxLength: 64
  required: [id, name]

Error:
  type: object
  properties:
    type: { type: string }
    message: { type: string }
";

// Line numbers, for reading the assertions below:
//  3 path_components   8 get        12 scopes     20 X-Trace      27 getLogs
//  4 WIDGET_ID        10 method     14 limit      23 responses    30 its path
//  7 operations       11 path       17 default    24 200
const WIDGET: &str = "\
name: widget
description: A widget of the catalog.
path_components:
  WIDGET_ID:
    description: ID of the widget
    schema: { $ref: WidgetId }
operations:
  get:
    summary: Retrieves a widget
    method: GET
    path: /widgets/{WIDGET_ID}
    scopes: [widget.get]
    query:
      limit:
        description: How many parts to include
        required: false
        default: 10
        schema: { type: integer }
    headers:
      X-Trace:
        description: A trace ID
        schema: { type: string }
    responses:
      200: { description: The widget, schema: { $ref: Widget } }
      404: { description: Error if the widget was not found, schema: { $ref: Error } }

  getLogs:
    summary: Retrieves the log lines of a widget
    method: GET
    path: /widgets/{WIDGET_ID}/logs
    scopes: [widget.get, widget.logs]
    responses:
      200: { description: The log lines, schema: { type: array, items: { type: string } } }
";

/// The valid spec every test starts from.
fn baseline() -> Vec<SourceFile> {
    [
        ("api.yaml", API),
        ("schemas/common.yaml", COMMON),
        ("resources/widget.yaml", WIDGET),
    ]
    .into_iter()
    .map(|(path, text)| SourceFile {
        path: path.to_owned(),
        text: text.to_owned(),
    })
    .collect()
}

/// The baseline with the text of file `path` replaced.
fn with_file(path: &str, text: &str) -> Vec<SourceFile> {
    let mut files = baseline();
    let file = files
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no baseline file {path}"));
    file.text = text.to_owned();
    files
}

/// The baseline with `from`, which must occur exactly once in file `path`,
/// replaced by `to`.
fn with_edit(path: &str, from: &str, to: &str) -> Vec<SourceFile> {
    let original = baseline()
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no baseline file {path}"))
        .text;
    assert_eq!(
        original.matches(from).count(),
        1,
        "`{from}` must occur exactly once in {path}"
    );
    with_file(path, &original.replacen(from, to, 1))
}

/// Generates from `files` and returns the report it must fail with.
fn report(files: &[SourceFile]) -> Report {
    match codegen::generate_from_sources(files) {
        Ok(_) => panic!("the spec was accepted"),
        Err(Error::Spec(report)) => report,
        Err(other) => panic!("expected a spec diagnostic, got: {other}"),
    }
}

/// Generates from `files` and returns the one diagnostic it must fail with.
#[track_caller]
fn diagnostic(files: &[SourceFile]) -> Diagnostic {
    let report = report(files);
    match report.diagnostics() {
        [one] => one.clone(),
        _ => panic!("expected one diagnostic, got:\n{report}"),
    }
}

/// The report of `files` as a user reads it (without colours): what the
/// snapshots below hold, so the look of an error is reviewed like code.
/// `UPDATE_EXPECT=1 cargo test -p codegen --test malformed_specs` rewrites
/// them.
fn rendered(files: &[SourceFile]) -> String {
    report(files).render(false)
}

/// Checks every part of a diagnostic; `message` is a distinctive part of
/// the message.
#[track_caller]
fn assert_diagnostic(
    diagnostic: &Diagnostic,
    file: &str,
    (line, column): (usize, usize),
    key_path: &str,
    message: &str,
) {
    let shown = diagnostic.to_string();
    assert_eq!(diagnostic.file, file, "file of: {shown}");
    assert_eq!(
        (diagnostic.location.line, diagnostic.location.column),
        (line, column),
        "line and column of: {shown}"
    );
    assert_eq!(
        diagnostic.key_path.as_str(),
        key_path,
        "key path of: {shown}"
    );
    assert!(
        diagnostic.message.contains(message),
        "message of `{shown}` should contain `{message}`"
    );
}

#[test]
fn the_baseline_generates() {
    let files = codegen::generate_from_sources(&baseline()).expect("the baseline is valid");
    assert!(files.iter().any(|f| f.path.ends_with("widget.rs")));
}

#[test]
fn misspelled_operation_key() {
    let files = with_edit(
        "resources/widget.yaml",
        "    summary: Retrieves a widget\n",
        "    sumary: Retrieves a widget\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (9, 5),
        "operations.get.sumary",
        "unknown key `sumary`",
    );
    // Only the close one, not the list of all keys; and `summary` is not
    // also reported as missing.
    assert_eq!(
        diagnostic(&files).help.as_deref(),
        Some("did you mean `summary`?")
    );
    expect![[r#"
        error: unknown key `sumary`
         --> resources/widget.yaml:9:5
          |
        9 |     sumary: Retrieves a widget
          |     ^^^^^^
          |
          = note: key path: operations.get.sumary
          = help: did you mean `summary`?

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn misspelled_query_parameter_key() {
    let files = with_edit(
        "resources/widget.yaml",
        "        default: 10\n",
        "        defualt: 10\n",
    );
    let found = diagnostic(&files);
    assert_diagnostic(
        &found,
        "resources/widget.yaml",
        (17, 9),
        "operations.get.query.limit.defualt",
        "unknown key `defualt`",
    );
    // The whole line, as a user sees it.
    assert_eq!(
        found.to_string(),
        "resources/widget.yaml:17:9: operations.get.query.limit.defualt: unknown key `defualt` \
         (help: did you mean `default`?)"
    );
    expect![[r#"
        error: unknown key `defualt`
          --> resources/widget.yaml:17:9
           |
        17 |         defualt: 10
           |         ^^^^^^^
           |
           = note: key path: operations.get.query.limit.defualt
           = help: did you mean `default`?

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn operation_without_method() {
    let files = with_edit(
        "resources/widget.yaml",
        "    method: GET\n    path: /widgets/{WIDGET_ID}\n",
        "    path: /widgets/{WIDGET_ID}\n",
    );
    // Reported at the operation's own key, which the key path names.
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (8, 3),
        "operations.get",
        "missing required key `method`",
    );
    expect![[r#"
        error: missing required key `method`
         --> resources/widget.yaml:8:3
          |
        8 |   get:
          |   ^^^
          |
          = note: key path: operations.get

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn wrong_value_type() {
    let files = with_edit(
        "resources/widget.yaml",
        "        required: false\n",
        "        required: maybe\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (16, 19),
        "operations.get.query.limit.required",
        "invalid type: string \"maybe\", expected a boolean",
    );
    expect![[r#"
        error: invalid type: string "maybe", expected a boolean
          --> resources/widget.yaml:16:19
           |
        16 |         required: maybe
           |                   ^^^^^ found `maybe`
           |
           = note: key path: operations.get.query.limit.required

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn invalid_http_method() {
    let files = with_edit(
        "resources/widget.yaml",
        "    method: GET\n    path: /widgets/{WIDGET_ID}\n",
        "    method: FETCH\n    path: /widgets/{WIDGET_ID}\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (10, 13),
        "operations.get.method",
        "unknown variant `FETCH`, expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`",
    );
    expect![[r#"
        error: unknown variant `FETCH`, expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`
          --> resources/widget.yaml:10:13
           |
        10 |     method: FETCH
           |             ^^^^^ found `FETCH`
           |
           = note: key path: operations.get.method

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn http_method_in_lower_case() {
    let files = with_edit(
        "resources/widget.yaml",
        "    method: GET\n    path: /widgets/{WIDGET_ID}\n",
        "    method: get\n    path: /widgets/{WIDGET_ID}\n",
    );
    let found = diagnostic(&files);
    assert_diagnostic(
        &found,
        "resources/widget.yaml",
        (10, 13),
        "operations.get.method",
        "unknown variant `get`",
    );
    assert_eq!(found.found.as_deref(), Some("get"));
    assert_eq!(found.help.as_deref(), Some("did you mean `GET`?"));
}

#[test]
fn path_variable_not_declared() {
    let files = with_edit(
        "resources/widget.yaml",
        "    path: /widgets/{WIDGET_ID}\n",
        "    path: /widgets/{WIDGET_ID}/parts/{PART_ID}\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (11, 11),
        "operations.get.path",
        "path variable `{PART_ID}` is not a declared path component (declared: WIDGET_ID)",
    );
    expect![[r#"
        error: path variable `{PART_ID}` is not a declared path component (declared: WIDGET_ID)
          --> resources/widget.yaml:11:11
           |
        11 |     path: /widgets/{WIDGET_ID}/parts/{PART_ID}
           |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ found `/widgets/{WIDGET_ID}/parts/{PART_ID}`
           |
           = note: key path: operations.get.path

        error: the spec has 1 error"#]].assert_eq(&rendered(&files));
}

#[test]
fn operation_path_component_not_in_path() {
    let files = with_edit(
        "resources/widget.yaml",
        "    scopes: [widget.get]\n",
        "    scopes: [widget.get]\n    path_components:\n      PART_ID:\n        \
         description: ID of a part\n        schema: { type: string }\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (14, 7),
        "operations.get.path_components.PART_ID",
        "path component `PART_ID` does not appear in path `/widgets/{WIDGET_ID}`",
    );
    expect![[r#"
        error: path component `PART_ID` does not appear in path `/widgets/{WIDGET_ID}`
          --> resources/widget.yaml:14:7
           |
        14 |       PART_ID:
           |       ^^^^^^^
           |
           = note: key path: operations.get.path_components.PART_ID

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn resource_path_component_not_in_an_operation_path() {
    let files = with_edit(
        "resources/widget.yaml",
        "    path: /widgets/{WIDGET_ID}/logs\n",
        "    path: /widgets/logs\n",
    );
    // The operation's path is what to fix, not the shared declaration.
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (30, 11),
        "operations.getLogs.path",
        "path `/widgets/logs` does not use path component `WIDGET_ID`, \
         which the resource declares for all its operations",
    );
    expect![[r#"
        error: path `/widgets/logs` does not use path component `WIDGET_ID`, which the resource declares for all its operations
          --> resources/widget.yaml:30:11
           |
        30 |     path: /widgets/logs
           |           ^^^^^^^^^^^^^ found `/widgets/logs`
           |
           = note: key path: operations.getLogs.path

        error: the spec has 1 error"#]].assert_eq(&rendered(&files));
}

#[test]
fn path_variable_used_twice() {
    let files = with_edit(
        "resources/widget.yaml",
        "    path: /widgets/{WIDGET_ID}\n",
        "    path: /widgets/{WIDGET_ID}/{WIDGET_ID}\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (11, 11),
        "operations.get.path",
        "path variable `{WIDGET_ID}` is used twice",
    );
    expect![[r#"
        error: path variable `{WIDGET_ID}` is used twice
          --> resources/widget.yaml:11:11
           |
        11 |     path: /widgets/{WIDGET_ID}/{WIDGET_ID}
           |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ found `/widgets/{WIDGET_ID}/{WIDGET_ID}`
           |
           = note: key path: operations.get.path

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn unresolved_ref_in_a_schema() {
    let files = with_edit(
        "schemas/common.yaml",
        "id: { $ref: WidgetId }",
        "id: { $ref: WidgetID }",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (10, 17),
        "Widget.properties.id.$ref",
        "unresolved reference `WidgetID`",
    );
    let found = diagnostic(&files);
    assert_eq!(found.found.as_deref(), Some("WidgetID"));
    assert_eq!(found.help.as_deref(), Some("did you mean `WidgetId`?"));
    expect![[r#"
        error: unresolved reference `WidgetID`
          --> schemas/common.yaml:10:17
           |
        10 |     id: { $ref: WidgetID }
           |                 ^^^^^^^^ found `WidgetID`
           |
           = note: key path: Widget.properties.id.$ref
           = help: did you mean `WidgetId`?

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn unresolved_ref_in_a_response() {
    let files = with_edit(
        "resources/widget.yaml",
        "schema: { $ref: Widget }",
        "schema: { $ref: Widgets }",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (24, 55),
        "operations.get.responses.200.schema.$ref",
        "unresolved reference `Widgets`",
    );
    expect![[r#"
        error: unresolved reference `Widgets`
          --> resources/widget.yaml:24:55
           |
        24 |       200: { description: The widget, schema: { $ref: Widgets } }
           |                                                       ^^^^^^^ found `Widgets`
           |
           = note: key path: operations.get.responses.200.schema.$ref
           = help: did you mean `Widget`?

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn unsupported_schema_keyword_not() {
    let files = with_edit(
        "schemas/common.yaml",
        "      maxLength: 64\n",
        "      maxLength: 64\n      not: { enum: [\"\"] }\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (14, 7),
        "Widget.properties.name.not",
        "unknown key `not`",
    );
    expect![[r#"
        error: unknown key `not`
          --> schemas/common.yaml:14:7
           |
        14 |       not: { enum: [""] }
           |       ^^^
           |
           = note: key path: Widget.properties.name.not
           = help: the keys allowed here are `$ref`, `type`, `title`, `description`, `properties`, `required`, `always_sent`, `additionalProperties`, `patternProperties`, `items`, `oneOf`, `anyOf`, `allOf`, `enum`, `format`, `pattern`, `minLength`, `maxLength`, `minimum`, `maximum`, `minItems`, `maxItems`, `uniqueItems`, `minProperties`, `maxProperties`, `default`, `example` and `nullable`

        error: the spec has 1 error"#]].assert_eq(&rendered(&files));
}

#[test]
fn unsupported_schema_keyword_const() {
    let files = with_edit(
        "schemas/common.yaml",
        "  pattern: '^[0-9a-f]{24}$'\n",
        "  pattern: '^[0-9a-f]{24}$'\n  const: 5f1b2c3d4e5f6a7b8c9d0e1f\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (5, 3),
        "WidgetId.const",
        "unknown key `const`",
    );
    // Nothing is close: the help lists what is allowed.
    let help = diagnostic(&files).help.unwrap_or_default();
    assert!(
        help.starts_with("the keys allowed here are `$ref`, `type`, `title`"),
        "{help}"
    );
    expect![[r#"
        error: unknown key `const`
         --> schemas/common.yaml:5:3
          |
        5 |   const: 5f1b2c3d4e5f6a7b8c9d0e1f
          |   ^^^^^
          |
          = note: key path: WidgetId.const
          = help: the keys allowed here are `$ref`, `type`, `title`, `description`, `properties`, `required`, `always_sent`, `additionalProperties`, `patternProperties`, `items`, `oneOf`, `anyOf`, `allOf`, `enum`, `format`, `pattern`, `minLength`, `maxLength`, `minimum`, `maximum`, `minItems`, `maxItems`, `uniqueItems`, `minProperties`, `maxProperties`, `default`, `example` and `nullable`

        error: the spec has 1 error"#]].assert_eq(&rendered(&files));
}

#[test]
fn unsupported_format() {
    let files = with_edit(
        "schemas/common.yaml",
        "      maxLength: 64\n",
        "      maxLength: 64\n      format: uuid\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (14, 15),
        "Widget.properties.name.format",
        "unsupported format `uuid` (supported: date-time, unix-time-ms, date, time, email, idn-email, hostname, idn-hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, json-pointer, relative-json-pointer, regex)",
    );
    expect![[r#"
        error: unsupported format `uuid` (supported: date-time, unix-time-ms, date, time, email, idn-email, hostname, idn-hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, json-pointer, relative-json-pointer, regex)
          --> schemas/common.yaml:14:15
           |
        14 |       format: uuid
           |               ^^^^ found `uuid`
           |
           = note: key path: Widget.properties.name.format

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn invalid_pattern() {
    let files = with_edit(
        "schemas/common.yaml",
        "'^[0-9a-f]{24}$'",
        "'^([0-9a-f]{24}$'",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (4, 12),
        "WidgetId.pattern",
        "invalid ECMA-262 pattern `^([0-9a-f]{24}$`: Unbalanced parenthesis",
    );
    expect![[r#"
        error: invalid ECMA-262 pattern `^([0-9a-f]{24}$`: Unbalanced parenthesis
         --> schemas/common.yaml:4:12
          |
        4 |   pattern: '^([0-9a-f]{24}$'
          |            ^^^^^^^^^^^^^^^^^ found `'^([0-9a-f]{24}$'`
          |
          = note: key path: WidgetId.pattern

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn operation_name_written_twice() {
    let files = with_edit("resources/widget.yaml", "  getLogs:\n", "  get:\n");
    // At the second one: YAML parsers would silently keep only one.
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (27, 3),
        "operations.get",
        "duplicate key `get`: it is already set above in the same mapping",
    );
    expect![[r#"
        error: duplicate key `get`: it is already set above in the same mapping
          --> resources/widget.yaml:27:3
           |
        27 |   get:
           |   ^^^
           |
           = note: key path: operations.get

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn property_written_twice() {
    let files = with_edit(
        "schemas/common.yaml",
        "    message: { type: string }\n",
        "    message: { type: string }\n    type: { type: integer }\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (21, 5),
        "Error.properties.type",
        "duplicate key `type`: it is already set above in the same mapping",
    );
    expect![[r#"
        error: duplicate key `type`: it is already set above in the same mapping
          --> schemas/common.yaml:21:5
           |
        21 |     type: { type: integer }
           |     ^^^^
           |
           = note: key path: Error.properties.type

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn key_of_a_schema_written_twice() {
    let files = with_edit(
        "schemas/common.yaml",
        "      maxLength: 64\n",
        "      maxLength: 64\n      type: integer\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (14, 7),
        "Widget.properties.name.type",
        "duplicate key `type`: it is already set above in the same mapping",
    );
    expect![[r#"
        error: duplicate key `type`: it is already set above in the same mapping
          --> schemas/common.yaml:14:7
           |
        14 |       type: integer
           |       ^^^^
           |
           = note: key path: Widget.properties.name.type

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn key_of_an_example_value_written_twice() {
    let files = with_edit(
        "resources/widget.yaml",
        "        default: 10\n",
        "        default: 10\n        example: { a: 1, b: 2, a: 3 }\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (18, 32),
        "operations.get.query.limit.example.a",
        "duplicate key `a`: it is already set above in the same mapping",
    );
    expect![[r#"
        error: duplicate key `a`: it is already set above in the same mapping
          --> resources/widget.yaml:18:32
           |
        18 |         example: { a: 1, b: 2, a: 3 }
           |                                ^
           |
           = note: key path: operations.get.query.limit.example.a

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn schema_name_written_twice() {
    let files = with_edit("schemas/common.yaml", "Error:\n", "WidgetId:\n");
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (16, 1),
        "WidgetId",
        "duplicate key `WidgetId`: it is already set above in the same mapping",
    );
    expect![[r#"
        error: duplicate key `WidgetId`: it is already set above in the same mapping
          --> schemas/common.yaml:16:1
           |
        16 | WidgetId:
           | ^^^^^^^^
           |
           = note: key path: WidgetId

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn operation_names_colliding_in_snake_case() {
    let files = with_edit("resources/widget.yaml", "  get:\n", "  get_logs:\n");
    // At the one written later in the file, naming the earlier one.
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (27, 3),
        "operations.getLogs",
        "operation `getLogs` has the same Rust name `get_logs` as operation `get_logs`",
    );
    expect![[r#"
        error: operation `getLogs` has the same Rust name `get_logs` as operation `get_logs`
          --> resources/widget.yaml:27:3
           |
        27 |   getLogs:
           |   ^^^^^^^
           |
           = note: key path: operations.getLogs

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn schema_defined_in_two_files() {
    let mut files = baseline();
    files.push(SourceFile {
        path: "schemas/more.yaml".to_owned(),
        text: "Gadget:\n  type: string\n\nWidget:\n  type: string\n".to_owned(),
    });
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/more.yaml",
        (4, 1),
        "Widget",
        "schema `Widget` is already defined in schemas/common.yaml",
    );
    expect![[r#"
        error: schema `Widget` is already defined in schemas/common.yaml
         --> schemas/more.yaml:4:1
          |
        4 | Widget:
          | ^^^^^^
          |
          = note: key path: Widget

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn required_entry_that_is_not_a_property() {
    let files = with_edit("schemas/common.yaml", "[id, name]", "[id, nmae]");
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (14, 18),
        "Widget.required[1]",
        "required key `nmae` is not one of the properties",
    );
    expect![[r#"
        error: required key `nmae` is not one of the properties
          --> schemas/common.yaml:14:18
           |
        14 |   required: [id, nmae]
           |                  ^^^^ found `nmae`
           |
           = note: key path: Widget.required[1]

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn unix_time_on_a_string() {
    let files = with_edit(
        "schemas/common.yaml",
        "      maxLength: 64\n",
        "      maxLength: 64\n      format: unix-time-ms\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (14, 15),
        "Widget.properties.name.format",
        "format `unix-time-ms` needs `type: integer` or `type: number`",
    );
}

#[test]
fn unix_time_with_bounds() {
    let files = with_edit(
        "resources/widget.yaml",
        "        schema: { type: integer }",
        "        schema: { type: integer, format: unix-time-ms, minimum: 0 }",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (18, 65),
        "operations.get.query.limit.schema.minimum",
        "`minimum` is not supported next to format `unix-time-ms`",
    );
}

#[test]
fn always_sent_entry_that_is_not_a_property() {
    let files = with_edit(
        "schemas/common.yaml",
        "  required: [id, name]\n",
        "  required: [id]\n  always_sent: [name, nmae]\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (15, 23),
        "Widget.always_sent[1]",
        "`always_sent` names `nmae`, which is not one of the properties",
    );
    expect![[r#"
        error: `always_sent` names `nmae`, which is not one of the properties
          --> schemas/common.yaml:15:23
           |
        15 |   always_sent: [name, nmae]
           |                       ^^^^ found `nmae`
           |
           = note: key path: Widget.always_sent[1]
           = help: did you mean `name`?

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn always_sent_beside_a_ref() {
    let files = with_edit(
        "schemas/common.yaml",
        "    id: { $ref: WidgetId }",
        "    id: { $ref: WidgetId, always_sent: [id] }",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (10, 40),
        "Widget.properties.id.always_sent",
        "`$ref` can only be combined with description, title, default and example, not `always_sent`",
    );
}

#[test]
fn operation_without_a_2xx_response() {
    let files = with_edit(
        "resources/widget.yaml",
        "      200: { description: The widget,",
        "      302: { description: The widget,",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (23, 5),
        "operations.get.responses",
        "an operation needs at least one 2xx response",
    );
    expect![[r#"
        error: an operation needs at least one 2xx response
          --> resources/widget.yaml:23:5
           |
        23 |     responses:
           |     ^^^^^^^^^
           |
           = note: key path: operations.get.responses

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn invalid_yaml_colon_in_a_plain_value() {
    let files = with_edit(
        "resources/widget.yaml",
        "    summary: Retrieves a widget\n",
        "    summary: Retrieves: a widget\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (9, 23),
        "operations.get",
        "mapping values are not allowed in this context",
    );
    expect![[r#"
        error: mapping values are not allowed in this context
         --> resources/widget.yaml:9:23
          |
        9 |     summary: Retrieves: a widget
          |                       ^
          |
          = note: key path: operations.get

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn invalid_yaml_unclosed_flow_sequence() {
    let files = with_edit(
        "resources/widget.yaml",
        "    scopes: [widget.get]\n",
        "    scopes: [widget.get\n",
    );
    // Found on the next line; the message says where the sequence opened.
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (13, 10),
        "operations.get.scopes",
        "did not find expected ',' or ']', while parsing a flow sequence at line 12 column 13",
    );
    expect![[r#"
        error: did not find expected ',' or ']', while parsing a flow sequence at line 12 column 13
          --> resources/widget.yaml:13:10
           |
        13 |     query:
           |          ^
           |
           = note: key path: operations.get.scopes

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn authorization_header_listed_per_operation() {
    let files = with_edit(
        "resources/widget.yaml",
        "      X-Trace:\n",
        "      Authorization:\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (20, 7),
        "operations.get.headers.Authorization",
        "the Authorization header comes from `auth` in api.yaml; do not list it per operation",
    );
    expect![[r#"
        error: the Authorization header comes from `auth` in api.yaml; do not list it per operation or as a global parameter
          --> resources/widget.yaml:20:7
           |
        20 |       Authorization:
           |       ^^^^^^^^^^^^^
           |
           = note: key path: operations.get.headers.Authorization

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn misspelled_type_name() {
    let files = with_edit(
        "schemas/common.yaml",
        "      type: string\n      maxLength: 64\n",
        "      type:\n        strng\n      maxLength: 64\n",
    );
    // At the value, on its own line, not at `type:` above it.
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (13, 9),
        "Widget.properties.name.type",
        "a type name (string, number, integer, boolean, object, array, null)",
    );
    let found = diagnostic(&files);
    assert_eq!(found.found.as_deref(), Some("strng"));
    assert_eq!(found.help.as_deref(), Some("did you mean `string`?"));
    expect![[r#"
        error: expected a type name (string, number, integer, boolean, object, array, null) or a list of them
          --> schemas/common.yaml:13:9
           |
        13 |         strng
           |         ^^^^^ found `strng`
           |
           = note: key path: Widget.properties.name.type
           = help: did you mean `string`?

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn every_mistake_is_reported_in_file_order() {
    let mut files = with_edit(
        "resources/widget.yaml",
        "    summary: Retrieves the log lines of a widget\n",
        "    sumary: Retrieves the log lines of a widget\n",
    );
    let widget = files
        .iter_mut()
        .find(|f| f.path == "resources/widget.yaml")
        .expect("the widget resource");
    widget.text = widget
        .text
        .replacen("    method: GET\n", "    methd: GET\n", 1)
        .replacen("required: false", "required: maybe", 1);
    // Files in the order the spec directory is read: schemas first.
    files.insert(
        2,
        SourceFile {
            path: "schemas/more.yaml".to_owned(),
            text: "Gadget:\n  type: object\n  propertys: {}\n".to_owned(),
        },
    );
    let report = report(&files);
    let found: Vec<(String, usize, &str)> = report
        .diagnostics()
        .iter()
        .map(|d| (d.file.clone(), d.location.line, d.key_path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("schemas/more.yaml".to_owned(), 3, "Gadget.propertys"),
            (
                "resources/widget.yaml".to_owned(),
                10,
                "operations.get.methd"
            ),
            (
                "resources/widget.yaml".to_owned(),
                16,
                "operations.get.query.limit.required"
            ),
            (
                "resources/widget.yaml".to_owned(),
                28,
                "operations.getLogs.sumary"
            ),
        ]
    );
    assert_eq!(report.count(), 4);
    assert!(
        report
            .render(false)
            .ends_with("error: the spec has 4 errors")
    );
}

#[test]
fn a_wrong_value_does_not_hide_the_next_mistake_of_its_schema() {
    let files = with_edit(
        "schemas/common.yaml",
        "      maxLength: 64\n  required: [id, name]\n",
        "      maxLength: many\n  requird: [id, name]\n",
    );
    let report = report(&files);
    let found: Vec<(usize, &str, Option<&str>)> = report
        .diagnostics()
        .iter()
        .map(|d| (d.location.line, d.key_path.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (13, "Widget.properties.name.maxLength", None),
            (14, "Widget.requird", Some("did you mean `required`?")),
        ]
    );
    expect![[r#"
        error: invalid type: string "many", expected a whole number, 0 or more
          --> schemas/common.yaml:13:18
           |
        13 |       maxLength: many
           |                  ^^^^ found `many`
           |
           = note: key path: Widget.properties.name.maxLength

        error: unknown key `requird`
          --> schemas/common.yaml:14:3
           |
        14 |   requird: [id, name]
           |   ^^^^^^^
           |
           = note: key path: Widget.requird
           = help: did you mean `required`?

        error: the spec has 2 errors"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn mistakes_of_several_schemas_are_all_reported() {
    let files = with_edit(
        "schemas/common.yaml",
        "id: { $ref: WidgetId }",
        "id: { $ref: WidgetID }",
    );
    let files = {
        let mut files = files;
        let common = files
            .iter_mut()
            .find(|f| f.path == "schemas/common.yaml")
            .expect("common schemas");
        common.text = common
            .text
            .replace("      maxLength: 64\n", "      format: uuid\n");
        files
    };
    let report = report(&files);
    let messages: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "unresolved reference `WidgetID`",
            "unsupported format `uuid` (supported: date-time, unix-time-ms, date, time, email, idn-email, hostname, idn-hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, json-pointer, relative-json-pointer, regex)"
        ]
    );
}

#[test]
fn mistake_in_an_all_of_part_is_located_in_the_part() {
    let files = with_edit(
        "schemas/common.yaml",
        "Error:\n",
        "Gadget:\n  allOf:\n    - $ref: Widget\n    - type: object\n      properties:\n        \
         size: { type: integer, format: uuid }\n\nError:\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (21, 40),
        "Gadget.allOf[1].properties.size.format",
        "unsupported format `uuid`",
    );
}

#[test]
fn mistake_in_a_named_all_of_part_is_located_where_the_part_is() {
    let files = with_edit(
        "schemas/common.yaml",
        "Error:\n",
        "Gadget:\n  allOf:\n    - $ref: Part\n\nPart:\n  type: object\n  properties:\n    \
         size: { $ref: Sise }\n\nError:\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (23, 19),
        "Part.properties.size.$ref",
        "unresolved reference `Sise`",
    );
}

#[test]
fn parameter_example_of_the_wrong_type() {
    let files = with_edit(
        "resources/widget.yaml",
        "        default: 10\n",
        "        default: 10\n        example: \"ten\"\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (18, 18),
        "operations.get.query.limit.example",
        "the example does not fit its schema: expected an integer, found the string \"ten\"",
    );
    expect![[r#"
        error: the example does not fit its schema: expected an integer, found the string "ten"
          --> resources/widget.yaml:18:18
           |
        18 |         example: "ten"
           |                  ^^^^^ found `"ten"`
           |
           = note: key path: operations.get.query.limit.example

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn boolean_parameter_example_written_as_a_word() {
    let files = with_edit(
        "resources/widget.yaml",
        "        schema: { type: string }\n",
        "        schema: { type: boolean }\n        example: \"yes\"\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (23, 18),
        "operations.get.headers.X-Trace.example",
        "expected a boolean, found the string \"yes\"",
    );
}

#[test]
fn path_component_example_that_breaks_the_pattern() {
    let files = with_edit(
        "resources/widget.yaml",
        "    description: ID of the widget\n",
        "    description: ID of the widget\n    example: 5f1b2c3d\n",
    );
    // The pattern is the referenced schema's.
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (6, 14),
        "path_components.WIDGET_ID.example",
        "`5f1b2c3d` does not match the pattern `^[0-9a-f]{24}$`",
    );
}

#[test]
fn schema_example_is_located_at_the_value_that_does_not_fit() {
    let files = with_edit(
        "schemas/common.yaml",
        "  required: [id, name]\n",
        "  required: [id, name]\n  example:\n    id: 5f1b2c3d4e5f6a7b8c9d0e1f\n    name: [not, text]\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "schemas/common.yaml",
        (17, 11),
        "Widget.example.name",
        "expected a string, found an array",
    );
    expect![[r#"
        error: the example does not fit its schema: expected a string, found an array
          --> schemas/common.yaml:17:11
           |
        17 |     name: [not, text]
           |           ^^^^^^^^^^^
           |
           = note: key path: Widget.example.name

        error: the spec has 1 error"#]]
    .assert_eq(&rendered(&files));
}

#[test]
fn response_schema_example_is_checked() {
    let files = with_edit(
        "resources/widget.yaml",
        "items: { type: string } } }",
        "items: { type: string }, example: [ok, 7] } }",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (33, 104),
        "operations.getLogs.responses.200.schema.example[1]",
        "expected a string, found the number 7",
    );
}

/// The baseline with a `rename` operation whose JSON body has `example`
/// (as written in YAML) on line 35, column 16.
fn with_rename_operation(example: &str) -> Vec<SourceFile> {
    let operation = format!(
        "  rename:
    summary: Renames a widget
    method: PATCH
    path: /widgets/{{WIDGET_ID}}
    scopes: [widget.update]
    body:
      content_type: application/json
      schema: {{ $ref: Widget }}
      example: {example}
    responses:
      200: {{ description: The widget, schema: {{ $ref: Widget }} }}

  getLogs:
"
    );
    with_edit("resources/widget.yaml", "  getLogs:\n", &operation)
}

#[test]
fn body_example_that_does_not_fit_names_the_place_inside_it() {
    let files = with_rename_operation(r#"'{"id": "5f1b2c3d4e5f6a7b8c9d0e1f", "name": 5}'"#);
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (35, 16),
        "operations.rename.body.example",
        "the body example does not fit its schema at `name`: expected a string, found the number 5",
    );
}

#[test]
fn body_example_that_is_not_json_is_reported_once() {
    let files = with_rename_operation("'{name: x}'");
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (35, 16),
        "operations.rename.body.example",
        "the example is not valid JSON: key must be a string",
    );
}

#[test]
fn past_fifty_mistakes_the_rest_are_counted() {
    let mut text = String::new();
    for i in 0..60 {
        text.push_str(&format!("Thing{i}:\n  type: object\n  propertys: {{}}\n"));
    }
    let mut files = baseline();
    files.insert(
        2,
        SourceFile {
            path: "schemas/more.yaml".to_owned(),
            text,
        },
    );
    let report = report(&files);
    assert_eq!(report.diagnostics().len(), codegen::error::MAX_DIAGNOSTICS);
    assert_eq!(report.count(), 60);
    // The first fifty in file order.
    let last = report.diagnostics().last().expect("fifty diagnostics");
    assert_eq!(last.key_path.as_str(), "Thing49.propertys");
    assert!(
        report
            .render(false)
            .ends_with("error: the spec has 60 errors; the first 50 are shown"),
        "{report}"
    );
}

/// The real spec with file `path` cut after its first `lines` lines.
fn real_spec_truncated(real: &[SourceFile], path: &str, lines: usize) -> Vec<SourceFile> {
    let mut files = real.to_vec();
    let file = files
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("the spec has no {path}"));
    file.text = file.text.split_inclusive('\n').take(lines).collect();
    files
}

#[test]
fn truncated_real_spec_files_never_panic() {
    // The hand-written files: each cut runs the generator on the spec.
    let real = support::hand_written_spec();
    let mut cuts = Vec::new();
    for file in &real {
        let lines = file.text.split_inclusive('\n').count();
        if file.path == "resources/notebook.yaml" {
            // Every line boundary.
            cuts.extend((0..=lines).map(|n| (file.path.clone(), n)));
        } else {
            // A handful: empty, a few lines, the middle, all but the last.
            for n in [0, 1, 3, lines / 2, lines.saturating_sub(1)] {
                cuts.push((file.path.clone(), n));
            }
        }
    }
    for (path, lines) in cuts {
        let files = real_spec_truncated(&real, &path, lines);
        let outcome = std::panic::catch_unwind(|| codegen::generate_from_sources(&files));
        assert!(
            outcome.is_ok(),
            "{path} cut after {lines} lines made the generator panic"
        );
    }
}

/// A waiter of the widget resource: `untilReady`, whose body is `waiter`
/// (indented four spaces), watching a `state` enum added to `Widget`.
fn with_waiter(waiter: &str) -> Vec<SourceFile> {
    let mut files = baseline();
    for file in &mut files {
        if file.path == "schemas/common.yaml" {
            file.text = file.text.replace(
                "  required: [id, name]\n",
                "    state: { type: string, enum: [pending, ready, failed] }\n  required: [id, name]\n",
            );
        } else if file.path == "resources/widget.yaml" {
            file.text.push_str("\nwaiters:\n  untilReady:\n");
            file.text.push_str(waiter);
        }
    }
    files
}

const WAITER: &str = "    summary: Waits until the widget is ready
    operation: get
    status: state
    terminal: [ready, failed]
    interval_ms: 1000
    deadline_ms: 60000
";

/// Checks a waiter diagnostic: in the widget resource, at the line that
/// holds `line_text`, with `key_path` and `message`.
#[track_caller]
fn assert_waiter_diagnostic(files: &[SourceFile], line_text: &str, key_path: &str, message: &str) {
    let found = diagnostic(files);
    let text = &files
        .iter()
        .find(|f| f.path == "resources/widget.yaml")
        .expect("widget resource")
        .text;
    let line = text
        .lines()
        .position(|l| l.contains(line_text))
        .expect("the line is in the file")
        + 1;
    assert_eq!(found.file, "resources/widget.yaml", "{found}");
    assert_eq!(found.location.line, line, "line of: {found}");
    assert_eq!(found.key_path.as_str(), key_path, "{found}");
    assert!(
        found.message.contains(message),
        "message of `{found}` should contain `{message}`"
    );
}

#[test]
fn a_valid_waiter_generates_is_terminal() {
    let files = codegen::generate_from_sources(&with_waiter(WAITER)).expect("the waiter is valid");
    assert!(
        files
            .iter()
            .filter(|f| f.path.contains("/types/"))
            .any(|f| f.contents.contains("pub fn is_terminal(&self) -> bool")),
        "a module of types/ has is_terminal"
    );
    let widget = files
        .iter()
        .find(|f| f.path.ends_with("widget.rs"))
        .expect("widget.rs");
    assert!(widget.contents.contains("pub fn until_ready("));
    assert!(
        widget
            .contents
            .contains("pub struct WidgetUntilReadyWaiter")
    );
}

#[test]
fn a_waiter_of_an_unknown_operation_suggests_one() {
    let files = with_waiter(&WAITER.replace("operation: get", "operation: gte"));
    assert_waiter_diagnostic(
        &files,
        "operation: gte",
        "waiters.untilReady.operation",
        "`gte` is not an operation",
    );
    assert_eq!(
        diagnostic(&files).help.as_deref(),
        Some("did you mean `get`?")
    );
}

#[test]
fn a_terminal_value_outside_the_enum_is_refused() {
    let files = with_waiter(&WAITER.replace("[ready, failed]", "[ready, faild]"));
    let found = diagnostic(&files);
    assert_eq!(
        found.key_path.as_str(),
        "waiters.untilReady.terminal[1]",
        "{found}"
    );
    assert!(found.message.contains("`faild` is not a value"), "{found}");
    assert_eq!(found.help.as_deref(), Some("did you mean `failed`?"));
}

#[test]
fn a_status_that_is_not_an_enum_is_refused() {
    let files = with_waiter(&WAITER.replace("status: state", "status: name"));
    assert_waiter_diagnostic(
        &files,
        "status: name",
        "waiters.untilReady.status",
        "is not a string enum",
    );
}

#[test]
fn an_item_of_a_response_that_is_not_a_list_is_refused() {
    let files = with_waiter(&format!(
        "{WAITER}    item: {{ field: id, argument: widgetId, description: The widget }}\n"
    ));
    assert_waiter_diagnostic(
        &files,
        "item:",
        "waiters.untilReady.item",
        "does not return a list",
    );
}

#[test]
fn a_waiter_query_value_must_fit_the_parameter() {
    let files = with_waiter(&format!("{WAITER}    query: {{ limit: many }}\n"));
    assert_waiter_diagnostic(
        &files,
        "{ limit: many }",
        "waiters.untilReady.query.limit",
        "is not a value of query parameter `limit`",
    );
}

#[test]
fn an_unknown_waiter_key_is_located() {
    let files = with_waiter(&format!("{WAITER}    deadline: 5\n"));
    assert_waiter_diagnostic(
        &files,
        "deadline: 5",
        "waiters.untilReady.deadline",
        "unknown key `deadline`",
    );
}

#[test]
fn events_on_an_operation_whose_response_has_a_schema() {
    let files = with_edit(
        "resources/widget.yaml",
        "      200: { description: The log lines, schema: { type: array, items: { type: string } } }\n",
        "      200: { description: The log lines, schema: { type: array, items: { type: string } } }\n    events:\n      line: { description: A new log line, schema: { type: string } }\n",
    );
    assert_diagnostic(
        &diagnostic(&files),
        "resources/widget.yaml",
        (33, 42),
        "operations.getLogs.responses.200.schema",
        "is the event stream",
    );
    expect![[r#"
        error: the 200 response of an operation with `events` is the event stream; describe each event's data under `events` instead of a schema
          --> resources/widget.yaml:33:42
           |
        33 |       200: { description: The log lines, schema: { type: array, items: { type: string } } }
           |                                          ^^^^^^
           |
           = note: key path: operations.getLogs.responses.200.schema

        error: the spec has 1 error"#]].assert_eq(&rendered(&files));
}
