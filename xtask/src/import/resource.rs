//! The vendor's resources and actions (`apiInfo.json`), transcribed into
//! the spec's resource files.

use super::naming::{path_variable, upper_camel};
use super::schema::{OBJECT_ID_PATTERN, Repair, reference};
use super::vendor::{Scopes, Vendor};
use super::yaml::Node;
use serde_json::Value;
use std::collections::BTreeMap;

/// An ID type the resources declare: `ApplicationId` for the path
/// component `applicationId`.
#[derive(Debug, Clone)]
pub struct IdType {
    /// The vendor's words for it (the first parameter's description).
    pub description: String,
    /// Whether it holds an object ID (else any string).
    pub object_id: bool,
}

/// The ID types named by path components and by ID query parameters and
/// multipart fields (`executionId`, `ownerId`), by type name.
pub fn id_types(vendor: &Vendor) -> BTreeMap<String, IdType> {
    let mut ids = BTreeMap::new();
    for resource in vendor.api_info.values() {
        let mut params: Vec<&Value> = list(resource, "params").collect();
        for (_, action) in actions(resource) {
            params.extend(list(action, "params"));
        }
        for param in params {
            let (Some(name), Some(place)) = (text(param, "name"), text(param, "in")) else {
                continue;
            };
            let object_id = text(param, "pattern") == Some(OBJECT_ID_PATTERN);
            let is_id = place == "path"
                || (matches!(place, "query" | "multipart") && object_id && name.ends_with("Id"));
            if !is_id {
                continue;
            }
            ids.entry(id_name(name)).or_insert_with(|| IdType {
                description: text(param, "description").unwrap_or("An ID").to_owned(),
                object_id,
            });
        }
    }
    ids
}

/// The ID type of a parameter: `applicationId` → `ApplicationId`;
/// `experienceVersionIdOrName` keeps its whole name.
fn id_name(param: &str) -> String {
    upper_camel(param)
}

/// One resource file, and what its transcription could not keep as it was.
pub fn resource(vendor: &Vendor, name: &str, repairs: &mut Vec<Repair>) -> Node {
    let info = &vendor.api_info[name];
    let file = "lib/schemas/apiInfo.json";
    let at = format!("/{name}");
    let mut out = Node::map();
    out.push("name", Node::str(name));
    let mut components = Node::map();
    for param in list(info, "params") {
        if text(param, "in") == Some("path") {
            if let Some(param_name) = text(param, "name") {
                components.push(path_variable(param_name), path_component(param));
            }
        }
    }
    if components != Node::map() {
        out.push("path_components", components);
    }
    let base_path = text(info, "path").unwrap_or("");
    let mut operations = Node::map();
    for (action_name, action) in actions(info) {
        let at = format!("{at}/actions/{action_name}");
        let mut report = |pointer: String, what: String| {
            repairs.push(Repair {
                file: file.to_owned(),
                pointer,
                what,
            })
        };
        operations.push(
            action_name.clone(),
            operation(
                vendor,
                name,
                action_name,
                action,
                base_path,
                &at,
                &mut report,
            ),
        );
    }
    out.push("operations", operations);
    out
}

fn operation(
    vendor: &Vendor,
    resource: &str,
    action_name: &str,
    action: &Value,
    base_path: &str,
    at: &str,
    report: &mut dyn FnMut(String, String),
) -> Node {
    let mut op = Node::map();
    let description = text(action, "description");
    let summary = match (text(action, "summary"), description) {
        (Some(summary), _) => summary.to_owned(),
        (None, Some(description)) => {
            report(
                format!("{at}/summary"),
                "no `summary`; the description's first sentence is the summary".into(),
            );
            first_sentence(description)
        }
        (None, None) => {
            report(
                format!("{at}/summary"),
                "no `summary`; the action's name is the summary".into(),
            );
            action_name.to_owned()
        }
    };
    op.push("summary", Node::str(summary.clone()));
    if let Some(description) = description {
        if description != summary {
            op.push("description", Node::str(description));
        }
    }
    op.push("method", Node::str(text(action, "method").unwrap_or("GET")));
    let path = format!("{base_path}{}", text(action, "path").unwrap_or(""));
    op.push("path", Node::str(spec_path(&path)));

    // Scopes: the reference page lists them all; apiInfo only the
    // action's own.
    let own: Vec<String> = list(action, "auth")
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let key = (resource.to_owned(), action_name.to_owned());
    let scopes = match vendor.scopes.get(&key) {
        Some(Scopes::AnyOf(scopes)) => {
            if own.is_empty() {
                report(
                    format!("{at}/auth"),
                    "no `auth`, but the reference page lists scopes; the page's scopes are kept"
                        .into(),
                );
            }
            Some(scopes.clone())
        }
        Some(Scopes::NoToken) => {
            if !own.is_empty() {
                report(format!("{at}/auth"), "the reference page says no token is needed, but `auth` lists scopes; the scopes are kept".into());
                Some(own.clone())
            } else {
                None
            }
        }
        None if own.is_empty() => None,
        None => {
            report(
                format!("{at}/auth"),
                "no reference page section lists this action's scopes; only its own `auth` scopes are kept".into(),
            );
            Some(own.clone())
        }
    };
    match scopes {
        Some(scopes) => op.push(
            "scopes",
            Node::List(scopes.into_iter().map(Node::str).collect()),
        ),
        None => {
            op.push("authenticated", Node::Scalar(Value::Bool(false)));
            op.push("scopes", Node::List(Vec::new()));
        }
    }

    let mut components = Node::map();
    let mut query = Node::map();
    let mut parts = Node::map();
    let mut body = None;
    for (i, param) in list(action, "params").enumerate() {
        let param_at = format!("{at}/params/{i}");
        let Some(name) = text(param, "name") else {
            report(param_at, "a parameter without `name`; dropped".into());
            continue;
        };
        match text(param, "in") {
            Some("path") => components.push(path_variable(name), path_component(param)),
            Some("query") => query.push(name, query_parameter(param, name, &param_at, report)),
            Some("body") => body = Some(json_body(vendor, param)),
            Some("multipart") => parts.push(name, multipart_part(param)),
            other => report(param_at, format!("a parameter `in: {other:?}`; dropped")),
        }
    }
    if components != Node::map() {
        op.push("path_components", components);
    }
    if query != Node::map() {
        op.push("query", query.clone());
    }
    if let Some(body) = body {
        op.push("body", body);
    } else if parts != Node::map() {
        let mut multipart = Node::map();
        multipart.push("content_type", Node::str("multipart/form-data"));
        multipart.push("parts", parts);
        op.push("body", multipart);
    }

    let mut responses = Node::map();
    let mut events = None;
    let mut success_schema = None;
    if let Some(map) = action.get("responses").and_then(Value::as_object) {
        let mut statuses: Vec<(&String, &Value)> = map.iter().collect();
        statuses.sort_by_key(|(status, _)| status.parse::<u16>().unwrap_or(u16::MAX));
        for (status, response) in statuses {
            let mut node = Node::map();
            node.push(
                "description",
                Node::str(text(response, "description").unwrap_or("")),
            );
            if let Some(target) = response.pointer("/schema/$ref").and_then(Value::as_str) {
                if let Some(name) = reference(target) {
                    if status.starts_with('2') && success_schema.is_none() {
                        success_schema = target.strip_prefix("#/definitions/").map(str::to_owned);
                    }
                    let mut schema = Node::map();
                    schema.push("$ref", Node::str(name));
                    node.push("schema", schema);
                }
            }
            if let Some(sse) = response.get("sseEvents").and_then(Value::as_object) {
                let mut declared = Node::map();
                for (event, spec) in sse {
                    let mut entry = Node::map();
                    entry.push(
                        "description",
                        Node::str(text(spec, "description").unwrap_or(event)),
                    );
                    if let Some(name) = spec
                        .pointer("/schema/$ref")
                        .and_then(Value::as_str)
                        .and_then(reference)
                    {
                        let mut schema = Node::map();
                        schema.push("$ref", Node::str(name));
                        entry.push("schema", schema);
                    }
                    declared.push(event.clone(), entry);
                }
                events = Some(declared);
            }
            responses.push(status.clone(), node);
        }
    }
    if let Some(events) = events {
        op.push("events", events);
    }
    op.push("responses", responses);
    if let Some(pagination) = pagination(vendor, &query, success_schema.as_deref()) {
        op.push("pagination", pagination);
    }
    for (vendor_key, spec_key) in [
        ("deprecated", "deprecated"),
        ("denyOauthTokens", "deny_oauth_tokens"),
        ("allowUnverified", "allow_unverified"),
    ] {
        if action.get(vendor_key).and_then(Value::as_bool) == Some(true) {
            op.push(spec_key, Node::Scalar(Value::Bool(true)));
        }
    }
    op
}

/// `/applications/{applicationId}` → `/applications/{APPLICATION_ID}`.
fn spec_path(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push('{');
        out.push_str(&path_variable(&rest[open + 1..open + close]));
        out.push('}');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn path_component(param: &Value) -> Node {
    let mut node = Node::map();
    node.push(
        "description",
        Node::str(text(param, "description").unwrap_or("")),
    );
    if let Some(example) = param.get("example") {
        node.push("example", Node::Scalar(string_form(example)));
    }
    let mut schema = Node::map();
    schema.push(
        "$ref",
        Node::str(id_name(text(param, "name").unwrap_or(""))),
    );
    node.push("schema", schema);
    node
}

/// A query parameter. The vendor types every scalar parameter `string`;
/// where its default and example are all numbers or all booleans, that is
/// what it takes (the wire form is the same), and so is its type here.
fn query_parameter(
    param: &Value,
    name: &str,
    at: &str,
    report: &mut dyn FnMut(String, String),
) -> Node {
    let mut node = Node::map();
    node.push(
        "description",
        Node::str(text(param, "description").unwrap_or("")),
    );
    if param.get("required").and_then(Value::as_bool) == Some(true) {
        node.push("required", Node::Scalar(Value::Bool(true)));
    }
    if param.get("deprecated").and_then(Value::as_bool) == Some(true) {
        report(
            format!("{at}/deprecated"),
            format!(
                "query parameter `{name}` is deprecated; the format has no key for a deprecated parameter, so its description says it"
            ),
        );
    }
    let schema = if let Some(target) = param.pointer("/schema/$ref").and_then(Value::as_str) {
        let mut schema = Node::map();
        schema.push("$ref", Node::str(reference(target).unwrap_or_default()));
        schema
    } else {
        scalar_schema(param, name)
    };
    let kind = schema.get("type").cloned();
    let allowed = param.get("enum").and_then(Value::as_array);
    for key in ["default", "example"] {
        if let Some(value) = param.get(key) {
            let value = match kind.as_ref() {
                Some(Node::Scalar(Value::String(k))) if k == "string" => string_form(value),
                _ => value.clone(),
            };
            if let Some(allowed) = allowed {
                if !allowed.iter().any(|a| string_form(a) == value) {
                    report(
                        format!("{at}/{key}"),
                        format!(
                            "the {key} `{value}` of `{name}` is not one of its `enum` values; dropped"
                        ),
                    );
                    continue;
                }
            }
            node.push(key, Node::from_json(&value));
        }
    }
    node.push("schema", schema);
    node
}

/// The schema of a scalar (or `type: array`) parameter.
fn scalar_schema(param: &Value, name: &str) -> Node {
    let mut schema = Node::map();
    let pattern = text(param, "pattern");
    if pattern == Some(OBJECT_ID_PATTERN) {
        let id = id_name(name);
        schema.push(
            "$ref",
            Node::str(if name.ends_with("Id") {
                id
            } else {
                "ObjectId".into()
            }),
        );
        return schema;
    }
    if text(param, "type") == Some("array") {
        schema.push("type", Node::str("array"));
        let mut items = Node::map();
        items.push("type", Node::str("string"));
        schema.push("items", items);
        return schema;
    }
    let values: Vec<&Value> = ["default", "example"]
        .iter()
        .filter_map(|k| param.get(*k))
        .collect();
    let all = |test: fn(&Value) -> bool| !values.is_empty() && values.iter().all(|v| test(v));
    let kind = if param.get("enum").is_some() || pattern.is_some() {
        "string"
    } else if all(|v| v.is_i64() || v.is_u64()) {
        "integer"
    } else if all(Value::is_number) {
        "number"
    } else if all(Value::is_boolean) {
        "boolean"
    } else {
        "string"
    };
    schema.push("type", Node::str(kind));
    if let Some(pattern) = pattern {
        schema.push("pattern", Node::str(pattern));
    }
    for key in ["minLength", "maxLength"] {
        if let Some(v) = param.get(key) {
            schema.push(key, Node::from_json(v));
        }
    }
    if let Some(values) = param.get("enum") {
        let strings: Vec<Value> = values
            .as_array()
            .map(|list| list.iter().map(string_form).collect())
            .unwrap_or_default();
        schema.push("enum", Node::from_json(&Value::Array(strings)));
    }
    schema
}

fn json_body(vendor: &Vendor, param: &Value) -> Node {
    let mut body = Node::map();
    body.push("content_type", Node::str("application/json"));
    if let Some(description) = text(param, "description") {
        body.push("description", Node::str(description));
    }
    let target = param.pointer("/schema/$ref").and_then(Value::as_str);
    let mut schema = Node::map();
    schema.push(
        "$ref",
        Node::str(target.and_then(reference).unwrap_or_default()),
    );
    body.push("schema", schema);
    let stem = target.and_then(|t| t.strip_prefix("#/definitions/"));
    if let Some(example) = stem.and_then(|s| vendor.examples.get(s)) {
        body.push("example", Node::str(example.to_string()));
    }
    if param.get("required").and_then(Value::as_bool) != Some(true) {
        body.push("required", Node::Scalar(Value::Bool(false)));
    }
    body
}

fn multipart_part(param: &Value) -> Node {
    let mut part = Node::map();
    part.push(
        "description",
        Node::str(text(param, "description").unwrap_or("")),
    );
    if param.get("required").and_then(Value::as_bool) == Some(true) {
        part.push("required", Node::Scalar(Value::Bool(true)));
    }
    match text(param, "type") {
        Some("file") => part.push("kind", Node::str("file")),
        _ if param.pointer("/schema/$ref").is_some() => {
            part.push("kind", Node::str("json"));
            let mut schema = Node::map();
            let target = param.pointer("/schema/$ref").and_then(Value::as_str);
            schema.push(
                "$ref",
                Node::str(target.and_then(reference).unwrap_or_default()),
            );
            part.push("schema", schema);
        }
        _ => {
            part.push("kind", Node::str("text"));
            if param.get("enum").is_some() || param.get("pattern").is_some() {
                part.push(
                    "schema",
                    scalar_schema(param, text(param, "name").unwrap_or("")),
                );
            }
        }
    }
    part
}

/// Pagination, where the action takes `page` and `perPage` and answers
/// with `items` and `totalCount`, as every collection of the platform does.
fn pagination(vendor: &Vendor, query: &Node, success: Option<&str>) -> Option<Node> {
    query.get("page")?;
    query.get("perPage")?;
    let schema = vendor.schemas.get(success?)?;
    let properties = schema.get("properties")?;
    if properties.pointer("/items/type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    properties.get("totalCount")?;
    let mut node = Node::map();
    for (key, value) in [
        ("page", "page"),
        ("per_page", "perPage"),
        ("items", "items"),
        ("total", "totalCount"),
    ] {
        node.push(key, Node::str(value));
    }
    Some(node)
}

/// A value as the string the vendor means when it writes a number or a
/// boolean for a string parameter (`true` → `"true"`).
fn string_form(value: &Value) -> Value {
    match value {
        Value::String(_) => value.clone(),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    }
}

fn first_sentence(text: &str) -> String {
    match text.find(". ") {
        Some(end) => text[..end].to_owned(),
        None => text.trim_end_matches('.').to_owned(),
    }
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn list<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn actions(resource: &Value) -> impl Iterator<Item = (&String, &Value)> {
    resource
        .get("actions")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}
