//! The crate's own conformance tests, `tests/every_action/`: one test per
//! operation that calls it with the spec's examples against a local server
//! and checks what left on the wire (method, path, query, token, body)
//! against those examples, a JSON body against the vendor's schema of it
//! (`tests/fixtures/vendor/`), and that the example of each documented
//! success response decodes into the typed result (where 2xx statuses
//! have different bodies, as the variant of its status).
//!
//! The calls are written as a user writes them; every value comes from the
//! spec's JSON example through `serde`, so one rule covers every type. The
//! expectations are the examples themselves: the checks in
//! `tests/support/wire.rs` read the request back without the client's code.

use super::api::owned_type;
use crate::model::{Api, Body, Operation, PartValue, Resource, Segment, TypeRef};
use proc_macro2::TokenStream;
use serde_json::Value;

/// `tests/every_action/main.rs`: the modules, one per resource.
pub fn wire_tests_root(api: &Api) -> TokenStream {
    let modules: String = api
        .resources
        .iter()
        // Formatted by prettyplease, like `src/generated/`, not rustfmt.
        .map(|r| format!("#[rustfmt::skip]\nmod {};\n", r.module))
        .collect();
    let source = format!(
        "//! Every action of the API, called with the spec's examples against a\n\
         //! local server: what leaves on the wire matches the examples, a JSON\n\
         //! body validates against the vendor's schema of it, and the example\n\
         //! of each success response decodes into the typed result.\n\
         #[path = \"../support/mod.rs\"]\nmod support;\n\
         #[path = \"../support/vendor_schema.rs\"]\nmod vendor_schema;\n\
         #[path = \"../support/wire.rs\"]\nmod wire;\n{modules}"
    );
    parse(&source)
}

/// `tests/every_action/<resource>.rs`: one test per operation.
pub fn wire_tests_module(api: &Api, resource: &Resource) -> TokenStream {
    let tests: Vec<String> = resource
        .operations
        .iter()
        .map(|op| operation_test(api, resource, op))
        .collect();
    let source = format!(
        "//! The actions of the `{}` resource.\n\
         #![allow(deprecated)]\n\
         #[allow(unused_imports)]\n\
         use crate::wire::{{Body, Expected, check, client, event_server, example, server}};\n\
         #[allow(unused_imports)]\n\
         use generated_client::types;\n{}",
        resource.name,
        tests.join("\n")
    );
    parse(&source)
}

fn parse(source: &str) -> TokenStream {
    // The source is made of the model's names (valid identifiers) and
    // string literals written by `{:?}`; it always parses.
    source
        .parse()
        .unwrap_or_else(|e| panic!("generated test does not tokenize: {e}"))
}

/// One `#[tokio::test]` for `op`.
fn operation_test(api: &Api, resource: &Resource, op: &Operation) -> String {
    let mut args = Vec::new();
    // One entry per segment, as the path template has them.
    let segments: Vec<String> = op
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => format!("{text:?}"),
            Segment::Param(i) => format!("{:?}", text_of(op.path_params[*i].example.as_ref())),
        })
        .collect();
    for p in &op.path_params {
        let expr = value(&p.ty, p.example.as_ref().or(p.default.as_ref()));
        args.push(if super::resource::is_newtype(api, &p.ty) {
            format!("&{expr}")
        } else {
            expr
        });
    }
    let mut query = serde_json::Map::new();
    let mut setters = Vec::new();
    for p in op.query.iter().chain(&op.headers) {
        let given = p
            .example
            .as_ref()
            .or(if p.required { p.default.as_ref() } else { None });
        let Some(given) = given else { continue };
        let expr = if super::resource::is_newtype(api, &p.ty) && p.required {
            format!("&{}", value(&p.ty, Some(given)))
        } else {
            value(&p.ty, Some(given))
        };
        if p.required {
            args.push(expr);
        } else {
            setters.push(format!(".{}({expr})", p.rust_name));
        }
        query.insert(p.wire_name.clone(), given.clone());
    }
    let body = match &op.body {
        Some(Body::Json {
            ty,
            example: Some(example),
            required,
            ..
        }) => {
            let json: Option<Value> = serde_json::from_str(example).ok();
            let expr = value(ty, json.as_ref());
            if *required {
                args.push(expr);
            } else {
                setters.push(format!(".body({expr})"));
            }
            format!("Body::Json({:?})", compact(json.as_ref()))
        }
        Some(Body::Multipart { parts, .. }) => {
            // The required parts, and the optional files: a part of any
            // other kind has no example to send.
            let mut names = Vec::new();
            for part in parts {
                let expr = match &part.kind {
                    PartValue::File => {
                        "generated_client::FilePart::from_bytes(\"example.bin\", &b\"example\"[..])"
                            .to_owned()
                    }
                    _ if !part.required => continue,
                    PartValue::Text(None) => "\"value\"".to_owned(),
                    PartValue::Text(Some(ty)) | PartValue::Json(ty) => value(ty, None),
                };
                if part.required {
                    args.push(expr);
                } else {
                    setters.push(format!(".{}({expr})", part.rust_name));
                }
                names.push(format!("{:?}", part.wire_name));
            }
            format!("Body::Multipart(&[{}])", names.join(", "))
        }
        _ => "Body::None".to_owned(),
    };
    let (status, reply) = success_reply(api, op);
    let start = if op.events.is_some() {
        "event_server().await".to_owned()
    } else {
        format!("server({status}, {reply})") + ".await"
    };
    let call = format!(
        "client(&server, {auth}).{module}().{method_name}({args}){setters}.await",
        auth = op.authenticated,
        module = resource.module,
        method_name = op.method_name,
        args = args.join(", "),
        setters = setters.join(""),
    );
    let decodes = match (&op.events, reply.as_str()) {
        (Some(_), _) => "assert!(result.is_ok(), \"the stream did not open\");".to_owned(),
        // The spec gives the response no example: there is nothing of the
        // server's to decode, only the request to check.
        (None, "None") => "let _ = result;".to_owned(),
        (None, _) if !op.by_status.is_empty() => format!(
            "match &result {{ Ok(response) => assert_eq!(response.status(), {status}, \"decoded as another status\"), \
             Err(error) => panic!(\"the response example does not decode: {{error}}\") }}"
        ),
        (None, _) => {
            "if let Err(error) = &result { panic!(\"the response example does not decode: {error}\"); }"
                .to_owned()
        }
    };
    // The other documented 2xx statuses, each with its own body: every
    // example decodes, as the variant of its status.
    let others: Vec<String> = op
        .by_status
        .iter()
        .filter(|variant| variant.status != status)
        .filter_map(|variant| match &variant.ty {
            None => Some(format!("({}, None)", variant.status)),
            Some(ty) => example_of(api, ty)
                .map(|json| format!("({}, Some({:?}))", variant.status, json.to_string())),
        })
        .collect();
    let other_statuses = if others.is_empty() {
        String::new()
    } else {
        format!(
            "for (status, reply) in [{}] {{\n\
                 let server = crate::wire::server(status, reply).await;\n\
                 match {call} {{ Ok(response) => assert_eq!(response.status(), status, \"decoded as another status\"), \
                 Err(error) => panic!(\"the {{status}} response example does not decode: {{error}}\") }}\n\
             }}\n",
            others.join(", ")
        )
    };
    format!(
        "/// `{method} {path}`, with the spec's examples.\n\
         #[tokio::test]\n\
         async fn {test}() {{\n\
             let server = {start};\n\
             let result = {call};\n\
             {decodes}\n\
             check(&server, &Expected {{ operation: {operation:?}, method: {method:?}, segments: &[{segments}], query: {query:?}, authenticated: {auth}, body: {body} }});\n\
             {other_statuses}\
         }}\n",
        operation = format!("{}.{}", resource.name, op.name),
        method = op.method.as_str(),
        path = op.path_template,
        test = op.method_name,
        auth = op.authenticated,
        segments = segments.join(", "),
        query = Value::Object(query).to_string(),
    )
}

/// The first success status and, as a Rust expression, the example of its
/// body (`None` when the spec has none).
fn success_reply(api: &Api, op: &Operation) -> (u16, String) {
    let success = op.responses.iter().find(|r| (200..300).contains(&r.status));
    let status = success.map_or(200, |r| r.status);
    let example = success
        .and_then(|r| r.ty.as_ref())
        .and_then(|ty| example_of(api, ty));
    match example {
        Some(json) => (status, format!("Some({:?})", json.to_string())),
        None => (status, "None".to_owned()),
    }
}

/// The spec's example of a named type, or of the type it is another name
/// for (`EventsDeleted` is a `DataTableRowsDelete`).
fn example_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a Value> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    api.schema_examples
        .get(name)
        .or_else(|| match super::without_aliases(api, ty, 0) {
            TypeRef::Named(target) => api.schema_examples.get(&target),
            _ => None,
        })
}

/// `example::<T>("<json>")`, a value of `ty` from the JSON `json` (the
/// type's JSON `null`, `{}` or `""` when there is none).
fn value(ty: &TypeRef, json: Option<&Value>) -> String {
    let rust = owned_type(ty)
        .to_string()
        .replace("crate ::", "generated_client ::");
    let json = match json {
        Some(json) => json.to_string(),
        None => "{}".to_owned(),
    };
    format!("example::<{rust}>({json:?})")
}

/// The JSON text of `json`, compact.
fn compact(json: Option<&Value>) -> String {
    json.map_or_else(|| "null".to_owned(), Value::to_string)
}

/// The text a path segment carries for an example.
fn text_of(example: Option<&Value>) -> String {
    match example {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
