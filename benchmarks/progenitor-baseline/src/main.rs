//! A progenitor client for the same API, as the baseline of the
//! lines-per-action target in BENCHMARKS.md.
//!
//! ```sh
//! cargo run --release --manifest-path benchmarks/progenitor-baseline/Cargo.toml -- VENDOR_DIR OUT_DIR [--without-titles]
//! ```
//!
//! `VENDOR_DIR` is the vendor's description (the folder `cargo xtask import`
//! reads: `lib/schemas/apiInfo.json` and its JSON Schemas). The program
//! converts it into an OpenAPI 3.0 document (`OUT_DIR/openapi.json`), gives
//! it to progenitor with the builder interface and merged tags (the style of
//! the progenitor SDK measured before, Oxide's), writes the client into a
//! crate at `OUT_DIR` that can be built to time it, and prints its lines.
//!
//! Progenitor refuses a whole document when one operation is beyond it, so
//! an operation it cannot generate is left out, named, with progenitor's
//! reason; the counts are of the operations it did generate. Whatever
//! OpenAPI 3.0 cannot say (`patternProperties`, tuples) is left out of the
//! schemas, and of enum values that differ only in case (`asc`, `ASC`, on
//! which typify panics) only the first is kept. Schemas lose their `default`s
//! (typify refuses some of the vendor's as not matching their schema). All
//! of these can only make progenitor's client smaller.
//!
//! As converted, progenitor's client does not compile: typify names a type
//! after its schema's `title`, and the vendor gives one title to different
//! shapes, so a name is defined twice. `--without-titles` leaves titles out
//! of the conversion, so typify names types after where they occur, and
//! the client can be built and timed.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Map, Value, json};

/// Whether schemas keep their `title` (see the module docs).
static WITHOUT_TITLES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(vendor), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: progenitor-baseline VENDOR_DIR OUT_DIR [--without-titles]".into());
    };
    match args.next() {
        None => {}
        Some(flag) if flag == "--without-titles" => {
            WITHOUT_TITLES.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        Some(other) => return Err(format!("unknown argument {other:?}").into()),
    }
    let (vendor, out) = (PathBuf::from(vendor), PathBuf::from(out));
    let schemas = vendor.join("lib").join("schemas");

    // Progenitor's panics are reported as the reason an operation is left
    // out, not printed as they happen.
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|last| *last.borrow_mut() = info.to_string());
    }));
    let document = openapi_document(&schemas)?;
    let operations = operation_ids(&document);
    std::fs::create_dir_all(out.join("src"))?;
    std::fs::write(
        out.join("openapi.json"),
        serde_json::to_string_pretty(&document)?,
    )?;

    let started = Instant::now();
    let (client, left_out) = generate_what_progenitor_can(document, &operations)?;
    let took = started.elapsed();
    std::fs::write(out.join("src").join("lib.rs"), &client)?;
    std::fs::write(out.join("Cargo.toml"), SCRATCH_MANIFEST)?;

    for LeftOut { operation, reason } in &left_out {
        println!("left out {operation}: {reason}");
    }
    let generated = operations.len() - left_out.len();
    let lines = client.lines().count();
    let docs = client
        .lines()
        .filter(|line| line.trim_start().starts_with("///") || line.trim_start().starts_with("//!"))
        .count();
    println!(
        "{generated} of {} operations generated in {took:.2?} (trying operations alone included)",
        operations.len()
    );
    println!(
        "{lines} lines ({} per operation), of which {docs} doc-comment lines and {} other lines ({} per operation)",
        lines / generated.max(1),
        lines - docs,
        (lines - docs) / generated.max(1)
    );
    println!(
        "client written to {}",
        out.join("src").join("lib.rs").display()
    );
    Ok(())
}

/// The scratch crate's manifest: what progenitor's generated code uses.
const SCRATCH_MANIFEST: &str = r#"[package]
name = "progenitor-baseline-client"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
bytes = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
futures-core = "0.3"
progenitor-client = "0.15"
regress = "0.10"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
uuid = { version = "1", features = ["serde"] }
"#;

/// An operation progenitor could not generate, and why.
struct LeftOut {
    operation: String,
    reason: String,
}

/// Runs progenitor on the document, leaving out one operation at a time
/// for as long as it fails: first found by generating each operation alone.
fn generate_what_progenitor_can(
    mut document: Value,
    operations: &[(String, String, String)],
) -> Result<(String, Vec<LeftOut>), Box<dyn Error>> {
    let mut left_out = Vec::new();
    let mut schemas_only = document.clone();
    schemas_only["paths"] = json!({});
    generate(&schemas_only)
        .map_err(|error| format!("progenitor, on the schemas alone: {error}"))?;
    if let Err(error) = generate(&document) {
        println!("the whole document fails ({error}); trying each operation alone");
        for (path, method, id) in operations {
            let mut alone = document.clone();
            retain_operation(&mut alone, path, method);
            if let Err(error) = generate(&alone) {
                left_out.push(LeftOut {
                    operation: id.clone(),
                    reason: error,
                });
                remove_operation(&mut document, path, method);
            }
        }
    }
    let client = generate(&document).map_err(|error| format!("progenitor: {error}"))?;
    Ok((client, left_out))
}

/// Progenitor's client for a document, formatted the way `cargo progenitor`
/// formats it.
fn generate(document: &Value) -> Result<String, String> {
    std::panic::catch_unwind(|| generate_or_panic(document))
        .unwrap_or_else(|panic| Err(panic_message(&*panic)))
}

thread_local! {
    /// What the last panic said, and where, kept by the panic hook.
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
        .unwrap_or_else(|| LAST_PANIC.with(|last| last.borrow().replace('\n', " ")));
    format!("progenitor panicked: {message}")
}

fn generate_or_panic(document: &Value) -> Result<String, String> {
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(document.clone()).map_err(|error| error.to_string())?;
    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged);
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|error| error.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    let formatted = prettyplease::unparse(&file);
    Ok(space_out_items(&formatted))
}

/// A blank line after a closing brace at the top two levels, as
/// `progenitor_impl::space_out_items` does for `cargo progenitor`.
fn space_out_items(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + content.len() / 20);
    let lines: Vec<&str> = content.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let closes = line.trim_start() == "}";
        if let Some(next) = lines.get(index + 1) {
            let indent = next.len() - next.trim_start().len();
            if closes && indent <= 8 && !next.trim_start().starts_with('}') && !next.is_empty() {
                out.push('\n');
            }
        }
    }
    out
}

/// Every operation of the document: its path, method and ID.
fn operation_ids(document: &Value) -> Vec<(String, String, String)> {
    let mut operations = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let id = operation["operationId"].as_str().unwrap_or_default();
                operations.push((path.clone(), method.clone(), id.to_owned()));
            }
        }
    }
    operations
}

/// Keeps one operation and the schemas it reaches, so that trying it
/// alone costs little.
fn retain_operation(document: &mut Value, path: &str, method: &str) {
    let operation = document["paths"][path][method].take();
    let schemas = document["components"]["schemas"].take();
    let mut reached = std::collections::BTreeSet::new();
    let mut pending = Vec::new();
    references(&operation, &mut pending);
    while let Some(name) = pending.pop() {
        if reached.insert(name.clone()) {
            references(&schemas[&name], &mut pending);
        }
    }
    let kept: Map<String, Value> = reached
        .into_iter()
        .filter_map(|name| Some((name.clone(), schemas.get(&name)?.clone())))
        .collect();
    document["paths"] = json!({ path: { method: operation } });
    document["components"]["schemas"] = Value::Object(kept);
}

/// The names of the schemas a value refers to.
fn references(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match inner
                    .as_str()
                    .and_then(|to| to.strip_prefix("#/components/schemas/"))
                {
                    Some(name) if key == "$ref" => names.push(name.to_owned()),
                    _ => references(inner, names),
                }
            }
        }
        Value::Array(values) => values.iter().for_each(|inner| references(inner, names)),
        _ => {}
    }
}

fn remove_operation(document: &mut Value, path: &str, method: &str) {
    if let Some(item) = document["paths"][path].as_object_mut() {
        item.remove(method);
        if item.is_empty()
            && let Some(paths) = document["paths"].as_object_mut()
        {
            paths.remove(path);
        }
    }
}

/// The vendor's description as an OpenAPI 3.0 document.
fn openapi_document(schemas: &Path) -> Result<Value, Box<dyn Error>> {
    let api_info: Value = read_json(&schemas.join("apiInfo.json"))?;
    let mut components = Map::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(schemas)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    for file in files {
        let Some(name) = file.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if file.extension().is_some_and(|ext| ext == "json")
            && name != "apiInfo"
            && name != "apiExamples"
        {
            components.insert(name.to_owned(), schema(&read_json(&file)?));
        }
    }

    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (resource_name, resource) in api_info.as_object().into_iter().flatten() {
        let resource_path = resource["path"].as_str().unwrap_or_default();
        let resource_params = resource["params"].as_array().cloned().unwrap_or_default();
        for (action_name, action) in resource["actions"].as_object().into_iter().flatten() {
            let path = format!(
                "{resource_path}{}",
                action["path"].as_str().unwrap_or_default()
            );
            let method = action["method"].as_str().unwrap_or("get").to_lowercase();
            let mut params = resource_params.clone();
            params.extend(action["params"].as_array().cloned().unwrap_or_default());
            let id = format!("{resource_name}{}", upper_first(action_name));
            paths
                .entry(path)
                .or_default()
                .insert(method, operation(&id, resource_name, action, &params));
        }
    }

    Ok(json!({
        "openapi": "3.0.3",
        "info": { "title": "WEGnology platform API", "version": "1.30.0" },
        "servers": [{ "url": "https://api.app.wnology.io" }],
        "paths": paths,
        "components": { "schemas": components },
    }))
}

fn operation(id: &str, resource: &str, action: &Value, params: &[Value]) -> Value {
    let mut parameters = Vec::new();
    let mut request_body = None;
    let mut parts = Map::new();
    let mut required_parts = Vec::new();
    for param in params {
        let name = param["name"].as_str().unwrap_or_default();
        let required = param["required"].as_bool().unwrap_or(false);
        match param["in"].as_str().unwrap_or_default() {
            place @ ("path" | "query" | "header") => {
                let mut parameter = json!({
                    "name": name,
                    "in": place,
                    "required": required || place == "path",
                    "schema": parameter_schema(param),
                });
                copy(param, &mut parameter, "description");
                if param.get("schema").is_some() || param["type"] == "array" {
                    parameter["style"] = json!("deepObject");
                    parameter["explode"] = json!(true);
                }
                parameters.push(parameter);
            }
            "body" => {
                let mut body = json!({
                    "required": required,
                    "content": { "application/json": { "schema": schema(&param["schema"]) } },
                });
                copy(param, &mut body, "description");
                request_body = Some(body);
            }
            "multipart" | "formData" => {
                let part = match param["type"].as_str() {
                    Some("file") => json!({ "type": "string", "format": "binary" }),
                    _ if param.get("schema").is_some() => schema(&param["schema"]),
                    _ => parameter_schema(param),
                };
                parts.insert(name.to_owned(), part);
                if required {
                    required_parts.push(json!(name));
                }
            }
            _ => {}
        }
    }
    if !parts.is_empty() {
        request_body = Some(json!({
            "required": !required_parts.is_empty(),
            "content": { "multipart/form-data": { "schema": {
                "type": "object", "properties": parts, "required": required_parts,
            } } },
        }));
    }

    let mut responses = Map::new();
    for (status, response) in action["responses"].as_object().into_iter().flatten() {
        let mut converted = json!({
            "description": response["description"].as_str().unwrap_or(status),
        });
        if response.get("schema").is_some() {
            converted["content"] =
                json!({ "application/json": { "schema": schema(&response["schema"]) } });
        } else if response.get("sseEvents").is_some() {
            converted["content"] =
                json!({ "text/event-stream": { "schema": { "type": "string" } } });
        }
        responses.insert(status.clone(), converted);
    }

    let mut operation = json!({
        "operationId": id,
        "tags": [resource],
        "parameters": parameters,
        "responses": responses,
    });
    copy(action, &mut operation, "summary");
    copy(action, &mut operation, "description");
    copy(action, &mut operation, "deprecated");
    if let Some(body) = request_body {
        operation["requestBody"] = body;
    }
    operation
}

/// A path or query parameter's schema: its own, or made of its `type`,
/// `enum`, `default`, `pattern` and length.
fn parameter_schema(param: &Value) -> Value {
    if let Some(inner) = param.get("schema") {
        return schema(inner);
    }
    let kind = param["type"].as_str().unwrap_or("string");
    let mut out = json!({ "type": kind });
    if kind == "array" {
        out["items"] = json!({ "type": "string" });
    }
    for key in ["enum", "default", "pattern", "minLength", "maxLength"] {
        copy(param, &mut out, key);
    }
    out
}

/// Keywords OpenAPI 3.0 keeps as they are.
const KEPT: &[&str] = &[
    "type",
    "format",
    "nullable",
    "enum",
    "description",
    "title",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Keywords that hold a number, which the vendor writes as a string in
/// places (`maxItems: "10"`).
const NUMERIC: &[&str] = &[
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// A draft-07 schema as an OpenAPI 3.0 schema.
fn schema(value: &Value) -> Value {
    let Some(object) = value.as_object() else {
        // `true` and `false` as schemas, and the vendor's stray values.
        return json!({});
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return json!({ "$ref": reference.replace("#/definitions/", "#/components/schemas/") });
    }
    let mut out = Map::new();
    for (key, inner) in object {
        match key.as_str() {
            "type" => match inner {
                Value::Array(kinds) => {
                    let kinds: Vec<&Value> = kinds.iter().filter(|kind| *kind != "null").collect();
                    if kinds.len() < object["type"].as_array().map_or(0, Vec::len) {
                        out.insert("nullable".into(), json!(true));
                    }
                    match kinds.as_slice() {
                        [] => {
                            out.insert("enum".into(), json!([null]));
                        }
                        [kind] => {
                            out.insert("type".into(), (*kind).clone());
                        }
                        several => {
                            let alternatives: Vec<Value> =
                                several.iter().map(|kind| json!({ "type": kind })).collect();
                            out.insert("anyOf".into(), json!(alternatives));
                        }
                    }
                }
                kind if kind == "null" => {
                    out.insert("nullable".into(), json!(true));
                    out.insert("enum".into(), json!([null]));
                }
                kind => {
                    out.insert("type".into(), kind.clone());
                }
            },
            "const" => {
                out.insert("enum".into(), json!([inner]));
            }
            "exclusiveMinimum" | "exclusiveMaximum" if inner.is_number() => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                out.insert(bound.into(), inner.clone());
                out.insert(key.clone(), json!(true));
            }
            "properties" => {
                let properties: Map<String, Value> = inner
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(_, property)| property.is_object())
                    .map(|(name, property)| (name.clone(), schema(property)))
                    .collect();
                out.insert(key.clone(), Value::Object(properties));
            }
            "additionalProperties" => {
                let allowed = if inner.is_boolean() {
                    inner.clone()
                } else {
                    schema(inner)
                };
                out.insert(key.clone(), allowed);
            }
            "items" => {
                let items = match inner {
                    Value::Array(tuple) => {
                        json!({ "anyOf": tuple.iter().map(schema).collect::<Vec<_>>() })
                    }
                    single => schema(single),
                };
                out.insert(key.clone(), items);
            }
            "oneOf" | "anyOf" | "allOf" => {
                let alternatives: Vec<Value> =
                    inner.as_array().into_iter().flatten().map(schema).collect();
                out.insert(key.clone(), json!(alternatives));
            }
            "not" => {
                out.insert(key.clone(), schema(inner));
            }
            "required"
                if !inner
                    .as_array()
                    .is_some_and(|names| names.iter().all(Value::is_string)) => {}
            key if NUMERIC.contains(&key) => {
                let number = match inner {
                    Value::String(text) => {
                        text.parse::<f64>().ok().map(|number| json!(number as i64))
                    }
                    other if other.is_number() => Some(other.clone()),
                    _ => None,
                };
                if let Some(number) = number {
                    out.insert(key.to_owned(), number);
                }
            }
            "title" if WITHOUT_TITLES.load(std::sync::atomic::Ordering::Relaxed) => {}
            key if KEPT.contains(&key) => {
                out.insert(key.to_owned(), inner.clone());
            }
            _ => {}
        }
    }
    // Typify panics on enum values that make the same variant name
    // (`asc` and `ASC`): keep the first of each.
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        let mut seen = std::collections::HashSet::new();
        values.retain(|value| {
            value.as_str().is_none_or(|text| {
                seen.insert(
                    text.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_lowercase(),
                )
            })
        });
    }
    // Null among the values is `nullable` in OpenAPI 3.0 (typify checks
    // every value against the type); only the null schema keeps it.
    if let Some(Value::Array(values)) = out.get_mut("enum")
        && values.contains(&Value::Null)
    {
        values.retain(|value| !value.is_null());
        if values.is_empty() {
            out.insert("enum".into(), json!([null]));
            out.entry("type").or_insert(json!("string"));
        }
        out.insert("nullable".into(), json!(true));
    }
    // Typify needs the type of values the vendor lists without one
    // (`enum: [1, 0, null]`).
    if let (None, Some(Value::Array(values))) = (out.get("type"), out.get("enum")) {
        let kind = if values.iter().all(Value::is_i64) {
            Some("integer")
        } else if values.iter().all(Value::is_string) {
            Some("string")
        } else if values.iter().all(Value::is_boolean) {
            Some("boolean")
        } else {
            None
        };
        if let Some(kind) = kind {
            out.insert("type".into(), json!(kind));
        }
    }
    Value::Object(out)
}

fn copy(from: &Value, to: &mut Value, key: &str) {
    if let Some(value) = from.get(key) {
        to[key] = value.clone();
    }
}

fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn read_json(path: &Path) -> Result<Value, Box<dyn Error>> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?)
}
