//! What the generated `every_action` tests check a request against: the
//! spec's examples, read back from the wire without the client's own code.
//!
//! The path is compared segment by segment after percent-decoding, the
//! query after decoding the bracket notation of the vendor's client
//! (`query[$and][0][name]=x`) back into JSON, and a JSON body as JSON, so
//! the check is independent of how the client encodes them. A JSON body
//! is also validated against the vendor's own schema of the action's body
//! (`tests/fixtures/vendor/`, copied there by `cargo xtask import`).

// A spec without, say, multipart actions leaves a part of this unused.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::{Reply, TestServer};

/// The token of [`client`].
pub const TOKEN: &str = "test-token";

/// A value of type `T` from the spec's example `json`; panics, naming the
/// type, when the example does not decode into it.
pub fn example<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|error| {
        panic!(
            "the example does not decode into `{}`: {error}\n{json}",
            std::any::type_name::<T>()
        )
    })
}

/// A server that answers once with `status` and the JSON `body` (`{}`
/// when the spec has no example of the response).
pub async fn server(status: u16, body: Option<&str>) -> TestServer {
    TestServer::start(vec![Reply::json(status, body.unwrap_or("{}"))]).await
}

/// A server that answers once with an event stream that ends at once.
pub async fn event_server() -> TestServer {
    TestServer::start(vec![Reply::new(200, "text/event-stream", "")]).await
}

/// A client for `server`, with the token [`TOKEN`] when `authenticated`,
/// else built without one.
pub fn client(server: &TestServer, authenticated: bool) -> generated_client::Client {
    let builder = if authenticated {
        generated_client::Client::builder(TOKEN)
    } else {
        generated_client::Client::builder_without_token()
    };
    builder
        .base_url(server.url())
        .retry(generated_client::RetryPolicy::none())
        .build()
        .expect("client for the test server")
}

/// The body a request must carry.
#[derive(Debug)]
pub enum Body<'a> {
    /// No body at all.
    None,
    /// This JSON document.
    Json(&'a str),
    /// A `multipart/form-data` body with exactly these parts, in order.
    Multipart(&'a [&'a str]),
}

/// What one request must look like on the wire.
#[derive(Debug)]
pub struct Expected<'a> {
    /// `resource.action`, as the vendor names them.
    pub operation: &'a str,
    /// The method.
    pub method: &'a str,
    /// The path's segments, decoded.
    pub segments: &'a [&'a str],
    /// The query parameters set, as a JSON object of their examples.
    pub query: &'a str,
    /// Whether the request carries the bearer token.
    pub authenticated: bool,
    /// The body.
    pub body: Body<'a>,
}

/// Checks the one request `server` received against `expected`.
pub fn check(server: &TestServer, expected: &Expected) {
    let request = server.single_request();
    assert_eq!(request.method, expected.method, "{request:#?}");
    let segments: Vec<String> = request
        .path
        .strip_prefix('/')
        .unwrap_or(&request.path)
        .split('/')
        .map(decode)
        .collect();
    assert_eq!(segments, expected.segments, "{request:#?}");

    let sent_query = decode_query(request.query.as_deref().unwrap_or(""));
    let wanted: Value = serde_json::from_str(expected.query).expect("expected query is JSON");
    assert_eq!(sent_query, as_text(&wanted), "query of {request:#?}");

    let authorization = request.header("authorization");
    if expected.authenticated {
        assert_eq!(authorization, Some(format!("Bearer {TOKEN}").as_str()));
    } else {
        assert_eq!(authorization, None, "an action that takes no token");
    }
    assert_eq!(request.header("accept-version"), Some("^1.30.0"));

    match expected.body {
        Body::None => assert!(request.body.is_empty(), "{request:#?}"),
        Body::Json(json) => {
            assert_eq!(
                request.header("content-type"),
                Some("application/json"),
                "{request:#?}"
            );
            let wanted: Value = serde_json::from_str(json).expect("expected body is JSON");
            let sent = request.json();
            assert!(
                same_document(&sent, &wanted),
                "body of {request:#?}\nsent:   {sent}\nwanted: {wanted}"
            );
            // An operation the vendor's files do not describe (one a person
            // added to the spec) is checked against its own example alone;
            // `cargo xtask import` lists every body the vendor describes in
            // bodies.json.
            if let Some(schema) = vendor_body_schema(expected.operation) {
                let validator = crate::vendor_schema::validator(&schema);
                let errors: Vec<String> = validator
                    .iter_errors(&sent)
                    .map(|error| format!("at `{}`: {error}", error.instance_path()))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "the body of `{}` breaks the vendor's schema:\n{}\n{sent}",
                    expected.operation,
                    errors.join("\n")
                );
            }
        }
        Body::Multipart(names) => {
            let parts = request.multipart();
            let sent: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(sent, names, "{request:#?}");
        }
    }
}

/// The vendor's schema of the body of `operation`, with every schema it
/// refers to under `definitions`, where its `#/definitions/` references
/// point; `None` when the vendor's files give the body no schema (the
/// operation is not the vendor's).
fn vendor_body_schema(operation: &str) -> Option<Value> {
    let bodies: BTreeMap<String, String> =
        serde_json::from_str(include_str!("../fixtures/vendor/bodies.json"))
            .expect("bodies.json is a map");
    let root = bodies.get(operation)?;
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vendor/schemas");
    let mut definitions = serde_json::Map::new();
    let mut pending = vec![root.clone()];
    while let Some(stem) = pending.pop() {
        if definitions.contains_key(&stem) {
            continue;
        }
        let path = dir.join(format!("{stem}.json"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut schema: Value = serde_json::from_str(&text).expect("a vendor schema is JSON");
        numbers_as_numbers(&mut schema);
        references(&schema, &mut pending);
        definitions.insert(stem, schema);
    }
    Some(serde_json::json!({
        "$ref": format!("#/definitions/{root}"),
        "definitions": definitions,
    }))
}

/// The one repair of the vendor's schemas made here, the same the importer
/// makes and records in the spec: a keyword that takes a number written as
/// a string (`"maxItems": "10"`) holds the number, since the validator
/// refuses the schema otherwise.
fn numbers_as_numbers(schema: &mut Value) {
    const NUMERIC: [&str; 10] = [
        "maxItems",
        "minItems",
        "maxLength",
        "minLength",
        "maxProperties",
        "minProperties",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
    ];
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let number = match value {
                    Value::String(text) if NUMERIC.contains(&key.as_str()) => {
                        text.parse::<u64>().ok().map(Value::from)
                    }
                    _ => None,
                };
                match number {
                    Some(number) => *value = number,
                    None => numbers_as_numbers(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(numbers_as_numbers),
        _ => {}
    }
}

/// Pushes the file stem of every `#/definitions/` reference in `schema`.
fn references(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        if let Some(stem) = target.strip_prefix("#/definitions/") {
                            out.push(stem.to_owned());
                        }
                    }
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

/// Whether the body `sent` says what the example `wanted` says.
///
/// Numbers must be spelled alike (`300`, never `300.0`, as the vendor's
/// clients write them). Two differences of spelling are allowed, each the
/// same value to the server: a time with or without zero milliseconds
/// (`2017-06-13T04:00:00Z` and `2017-06-13T04:00:00.000Z`), and a member
/// whose value is `null` on one side and absent on the other (an optional
/// field the caller did not set is not sent, where an example may spell it
/// `null`; a required key is sent as `null`, which the vendor's schema
/// checks).
fn same_document(sent: &Value, wanted: &Value) -> bool {
    match (sent, wanted) {
        (Value::String(a), Value::String(b)) => a == b || same_instant(a, b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_document(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            let sent: Vec<(&String, &Value)> = a.iter().filter(|(_, v)| !v.is_null()).collect();
            let wanted: Vec<(&String, &Value)> = b.iter().filter(|(_, v)| !v.is_null()).collect();
            sent.len() == wanted.len()
                && wanted
                    .iter()
                    .all(|(k, v)| a.get(*k).is_some_and(|s| same_document(s, v)))
        }
        (a, b) => a == b,
    }
}

/// Whether `a` and `b` are both RFC 3339 times of the same instant.
fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A path segment percent-decoded.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .expect("decoded text is UTF-8")
        .into_owned()
}

/// A query string in bracket notation, back as JSON whose leaves are the
/// texts sent: `a[b][0]=x&c=y` → `{"a":{"b":["x"]},"c":"y"}`.
fn decode_query(query: &str) -> Value {
    let mut root = Value::Object(Default::default());
    // The pairs decoded as a form is (`+` is a space).
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let (name, rest) = match key.find('[') {
            Some(at) => (&key[..at], &key[at..]),
            None => (key.as_ref(), ""),
        };
        let mut path = vec![name.to_owned()];
        path.extend(
            rest.split('[')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_end_matches(']').to_owned()),
        );
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    lists_from_indices(root)
}

/// Sets `value` at `path` in `node`, making objects on the way.
fn insert(node: &mut Value, path: &[String], value: Value) {
    let Value::Object(map) = node else {
        panic!("query key {path:?} goes inside a value sent on its own");
    };
    match path {
        [last] => {
            assert!(
                map.insert(last.clone(), value).is_none(),
                "query key {last:?} sent twice"
            );
        }
        [first, rest @ ..] => {
            let child = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Default::default()));
            insert(child, rest, value);
        }
        [] => {}
    }
}

/// Objects whose keys are exactly `0..n` become lists, as `qs` parses them.
fn lists_from_indices(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let indexed: BTreeMap<usize, Value> = map
                .iter()
                .filter_map(|(k, v)| Some((k.parse().ok()?, v.clone())))
                .collect();
            let is_list = !map.is_empty()
                && indexed.len() == map.len()
                && indexed.keys().copied().eq(0..map.len());
            if is_list {
                Value::Array(indexed.into_values().map(lists_from_indices).collect())
            } else {
                Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, lists_from_indices(v)))
                        .collect(),
                )
            }
        }
        other => other,
    }
}

/// `value` with every leaf as the text a query carries for it.
fn as_text(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), as_text(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(as_text).collect()),
        Value::String(text) => Value::String(text.clone()),
        Value::Null => Value::String(String::new()),
        other => Value::String(other.to_string()),
    }
}
