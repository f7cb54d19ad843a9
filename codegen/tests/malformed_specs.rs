//! Each test feeds the generator a small valid spec with exactly one mistake
//! and checks the diagnostic: file, line, column, key path and message.

use codegen::{Diagnostic, Error, SourceFile};

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
//  3 path_components   8 get             14 limit           20 X-Trace
//  4 WIDGET_ID        10 method          17 default         23 responses
//  7 operations       11 path            18 schema          24 200
//                                                           27 getLogs
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

/// Generates from `files` and returns the diagnostic it must fail with.
fn diagnostic(files: &[SourceFile]) -> Diagnostic {
    match codegen::generate_from_sources(files) {
        Ok(_) => panic!("the spec was accepted"),
        Err(Error::Spec(diagnostic)) => {
            eprintln!("{diagnostic}");
            diagnostic
        }
        Err(other) => panic!("expected a spec diagnostic, got: {other}"),
    }
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
    assert_eq!(diagnostic.key_path.as_str(), key_path, "key path of: {shown}");
    assert!(
        diagnostic.message.contains(message),
        "message of `{shown}` should contain `{message}`"
    );
}

#[test]
fn probe() {
    let cases: Vec<(&str, Vec<SourceFile>)> = vec![
        (
            "sumary",
            with_edit("resources/widget.yaml", "    summary: Retrieves a widget\n", "    sumary: Retrieves a widget\n"),
        ),
        (
            "defualt",
            with_edit("resources/widget.yaml", "        default: 10\n", "        defualt: 10\n"),
        ),
        (
            "no method",
            with_edit("resources/widget.yaml", "    method: GET\n    path: /widgets/{WIDGET_ID}\n", "    path: /widgets/{WIDGET_ID}\n"),
        ),
        (
            "maybe",
            with_edit("resources/widget.yaml", "        required: false\n", "        required: maybe\n"),
        ),
        (
            "FETCH",
            with_edit("resources/widget.yaml", "    method: GET\n    path: /widgets/{WIDGET_ID}\n", "    method: FETCH\n    path: /widgets/{WIDGET_ID}\n"),
        ),
        (
            "undeclared var",
            with_edit("resources/widget.yaml", "    path: /widgets/{WIDGET_ID}\n", "    path: /widgets/{WIDGET_ID}/parts/{PART_ID}\n"),
        ),
        (
            "unused op comp",
            with_edit("resources/widget.yaml", "    scopes: [widget.get]\n", "    scopes: [widget.get]\n    path_components:\n      PART_ID:\n        description: ID of a part\n        schema: { type: string }\n"),
        ),
        (
            "unused shared comp",
            with_edit("resources/widget.yaml", "    path: /widgets/{WIDGET_ID}/logs\n", "    path: /widgets/logs\n"),
        ),
        (
            "twice",
            with_edit("resources/widget.yaml", "    path: /widgets/{WIDGET_ID}\n", "    path: /widgets/{WIDGET_ID}/{WIDGET_ID}\n"),
        ),
        (
            "ref schema",
            with_edit("schemas/common.yaml", "{ $ref: WidgetId }", "{ $ref: WidgetID }"),
        ),
        (
            "ref response",
            with_edit("resources/widget.yaml", "{ $ref: Widget }", "{ $ref: Widgets }"),
        ),
        (
            "not",
            with_edit("schemas/common.yaml", "      maxLength: 64\n", "      maxLength: 64\n      not: { enum: [\"\"] }\n"),
        ),
        (
            "const",
            with_edit("schemas/common.yaml", "      maxLength: 64\n", "      maxLength: 64\n      const: x\n"),
        ),
        (
            "uuid",
            with_edit("schemas/common.yaml", "      maxLength: 64\n", "      maxLength: 64\n      format: uuid\n"),
        ),
        (
            "pattern",
            with_edit("schemas/common.yaml", "'^[0-9a-f]{24}$'", "'^([0-9a-f]{24}$'"),
        ),
        (
            "dup op",
            with_edit("resources/widget.yaml", "  getLogs:\n", "  get:\n"),
        ),
        (
            "snake collide",
            with_edit("resources/widget.yaml", "  get:\n", "  get_logs:\n"),
        ),
        (
            "required",
            with_edit("schemas/common.yaml", "[id, name]", "[id, nmae]"),
        ),
        (
            "no 2xx",
            with_edit("resources/widget.yaml", "      200: { description: The widget,", "      302: { description: The widget,"),
        ),
        (
            "syntax",
            with_edit("resources/widget.yaml", "    summary: Retrieves a widget\n", "    summary: Retrieves: a widget\n"),
        ),
        (
            "syntax flow",
            with_edit("resources/widget.yaml", "    scopes: [widget.get]\n", "    scopes: [widget.get\n"),
        ),
        (
            "auth",
            with_edit("resources/widget.yaml", "      X-Trace:\n", "      Authorization:\n"),
        ),
    ];
    for (name, files) in cases {
        match codegen::generate_from_sources(&files) {
            Ok(_) => println!("{name}: OK?!"),
            Err(e) => println!("{name}: {e}"),
        }
    }
    let mut two = baseline();
    two.push(SourceFile {
        path: "schemas/more.yaml".into(),
        text: "Gadget:\n  type: string\n\nWidget:\n  type: string\n".into(),
    });
    println!("two files: {}", codegen::generate_from_sources(&two).unwrap_err());
}

#[test]
fn the_baseline_generates() {
    let files = codegen::generate_from_sources(&baseline()).expect("the baseline is valid");
    assert!(files.iter().any(|f| f.path.ends_with("widget.rs")));
}
