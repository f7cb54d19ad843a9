//! Rust expressions of example values, for the doc examples: values built
//! through the generated constructors (`new`, `Default`, `From`), from a
//! JSON example of the spec where there is one, so an example needs no
//! JSON library.
//!
//! Examples are the caller's code: they name the spec's types through
//! `types::`, and what else they use (`Some`, `vec!`, `Default`) through
//! the prelude of the doctest, where no spec name can shadow it.

use super::{holds, union_from_types};
use crate::model::{Api, Field, TypeKind, TypeRef};
use serde_json::Value;

/// How deep examples nest before giving up: a required field that holds
/// its own type has no finite value.
const DEPTH: usize = 8;

/// An expression of type `ty`, from `json` where it fits and made up
/// where it does not (or where there is none). `None` when no finite value
/// can be written.
pub(crate) fn value(api: &Api, ty: &TypeRef, json: Option<&Value>) -> Option<String> {
    expr(api, ty, json, 0)
}

/// `let {name}: {ty} = {expr};`, formatted by prettyplease, as lines.
pub(crate) fn let_statement(name: &str, ty: &str, expr: &str) -> Vec<String> {
    let source = format!("fn f() {{ let {name}: {ty} = {expr}; }}");
    let Ok(file) = syn::parse_file(&source) else {
        return vec![format!("let {name}: {ty} = {expr};")];
    };
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.lines().collect();
    // Between `fn f() {` and `}`, indented by four spaces.
    lines[1..lines.len().saturating_sub(1)]
        .iter()
        .map(|line| line.strip_prefix("    ").unwrap_or(line).to_owned())
        .collect()
}

fn expr(api: &Api, ty: &TypeRef, json: Option<&Value>, depth: usize) -> Option<String> {
    if depth > DEPTH {
        return None;
    }
    Some(match ty {
        TypeRef::String => match json {
            Some(Value::String(s)) => format!("{s:?}.to_owned()"),
            _ => "\"text\".to_owned()".to_owned(),
        },
        TypeRef::Integer => match json.and_then(Value::as_i64) {
            Some(n) => n.to_string(),
            None => "0".to_owned(),
        },
        TypeRef::Number => format!("{:?}", json.and_then(Value::as_f64).unwrap_or(0.0)),
        TypeRef::Timestamp => format!(
            "generated_client::Timestamp::from_millis({})",
            json.and_then(Value::as_f64).map_or(0, |ms| ms as i64)
        ),
        TypeRef::Boolean => json.and_then(Value::as_bool).unwrap_or(true).to_string(),
        TypeRef::DateTime => match json {
            Some(Value::String(s)) => format!("{s:?}.parse()?"),
            _ => "\"2024-01-01T00:00:00Z\".parse()?".to_owned(),
        },
        // Any JSON: `null` here, since building other JSON takes a JSON
        // library.
        TypeRef::Json => "Default::default()".to_owned(),
        TypeRef::List(item) => match json {
            Some(Value::Array(items)) if !items.is_empty() => {
                let items: Option<Vec<String>> = items
                    .iter()
                    .map(|v| expr(api, item, Some(v), depth + 1))
                    .collect();
                format!("vec![{}]", items?.join(", "))
            }
            _ => "Vec::new()".to_owned(),
        },
        TypeRef::Map(value) => match json {
            Some(Value::Object(entries)) if !entries.is_empty() => {
                let entries: Option<Vec<String>> = entries
                    .iter()
                    .map(|(k, v)| {
                        expr(api, value, Some(v), depth + 1)
                            .map(|v| format!("({k:?}.to_owned(), {v})"))
                    })
                    .collect();
                format!(
                    "std::collections::BTreeMap::from([{}])",
                    entries?.join(", ")
                )
            }
            _ => "Default::default()".to_owned(),
        },
        TypeRef::Nullable(inner) => match json {
            None | Some(Value::Null) => "None".to_owned(),
            Some(v) => format!("Some({})", expr(api, inner, Some(v), depth + 1)?),
        },
        TypeRef::Named(name) => named(api, name, json, depth)?,
    })
}

fn named(api: &Api, name: &str, json: Option<&Value>, depth: usize) -> Option<String> {
    let def = api.find_type(name)?;
    Some(match &def.kind {
        TypeKind::Alias { target } => expr(api, target, json, depth + 1)?,
        TypeKind::Enum { variants } => {
            let wire = json.and_then(Value::as_str);
            let variant = variants
                .iter()
                .find(|v| Some(v.wire.as_str()) == wire)
                .or(variants.first())?;
            format!("types::{name}::{}", variant.rust_name)
        }
        TypeKind::Newtype { .. } => match json {
            Some(Value::String(s)) => format!("types::{name}::new({s:?})?"),
            // A string union shows its conversion from its first
            // alternative's type.
            _ => match super::types::alternative_types(def, api).first() {
                Some(from) => {
                    let inner = named(api, from, None, depth + 1)?;
                    format!("types::{name}::from({inner})")
                }
                None => format!("types::{name}::new({:?})?", newtype_example(api, name)),
            },
        },
        TypeKind::Struct { fields, .. } => struct_expr(api, name, fields, json, depth)?,
        TypeKind::TaggedUnion { tag, variants } => {
            let kind = json.and_then(|j| j.get(tag)).and_then(Value::as_str);
            let variant = variants
                .iter()
                .find(|v| Some(v.tag_value.as_str()) == kind)
                .or(variants.first())?;
            let ty = TypeRef::Named(variant.ty.clone());
            let inner = expr(api, &ty, json, depth + 1)?;
            wrap(api, name, &variant.rust_name, &ty, inner)
        }
        TypeKind::UntaggedUnion { variants } => {
            let variant = variants
                .iter()
                .find(|v| json.is_some_and(|j| fits(api, &v.ty, j)))
                .or(variants.first())?;
            let json = json.filter(|j| fits(api, &variant.ty, j));
            let inner = expr(api, &variant.ty, json, depth + 1)?;
            wrap(api, name, &variant.rust_name, &variant.ty, inner)
        }
    })
}

/// A union's value from its variant's: through `From` where the variant's
/// type is unique among the union's, else by the variant's name.
fn wrap(api: &Api, union: &str, variant: &str, ty: &TypeRef, inner: String) -> String {
    // Inside `from(..)` nothing says what a parsed time is: name it.
    let inner = match (ty, inner.strip_suffix(".parse()?")) {
        (TypeRef::DateTime, Some(text)) => {
            format!("{text}.parse::<chrono::DateTime<chrono::Utc>>()?")
        }
        _ => inner,
    };
    if union_from_types(api, union).contains(ty) {
        format!("types::{union}::from({inner})")
    } else if holds(api, ty, union, &mut Vec::new()) {
        format!("types::{union}::{variant}(Box::new({inner}))")
    } else {
        format!("types::{union}::{variant}({inner})")
    }
}

/// A struct through `new` (with its required fields) or `Default`, with
/// the optional fields `json` gives set by struct update.
fn struct_expr(
    api: &Api,
    name: &str,
    fields: &[Field],
    json: Option<&Value>,
    depth: usize,
) -> Option<String> {
    let field_expr = |f: &Field| -> Option<String> {
        let inner = expr(
            api,
            &f.ty,
            json.and_then(|j| j.get(&f.wire_name)),
            depth + 1,
        )?;
        Some(if holds(api, &f.ty, name, &mut Vec::new()) {
            format!("Box::new({inner})")
        } else {
            inner
        })
    };
    let mut required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    required.sort_by_key(|f| f.required_position);
    let base = if required.is_empty() {
        "Default::default()".to_owned()
    } else {
        let args: Option<Vec<String>> = required.iter().map(|f| field_expr(f)).collect();
        format!("types::{name}::new({})", args?.join(", "))
    };
    let def = api.find_type(name);
    let mut set = Vec::new();
    for f in fields.iter().filter(|f| !f.required) {
        let given = json.and_then(|j| j.get(&f.wire_name));
        let sends_null = def.is_some_and(|def| def.sends_null_on_request(f));
        match given {
            // An example that sends `null` on purpose.
            Some(Value::Null) if sends_null => set.push(format!("{}: Some(None)", f.rust_name)),
            Some(value) if !value.is_null() => {
                if let Some(value) = field_expr(f) {
                    let value = if sends_null {
                        format!("Some({value})")
                    } else {
                        value
                    };
                    set.push(format!("{}: Some({value})", f.rust_name));
                }
            }
            _ => {}
        }
    }
    Some(match (set.is_empty(), required.is_empty()) {
        (true, true) => format!("types::{name}::default()"),
        (true, false) => base,
        (false, _) => format!("types::{name} {{ {}, ..{base} }}", set.join(", ")),
    })
}

/// Whether `json` has the JSON type of values of `ty`.
fn fits(api: &Api, ty: &TypeRef, json: &Value) -> bool {
    match ty {
        TypeRef::String | TypeRef::DateTime => json.is_string(),
        TypeRef::Integer => json.is_i64() || json.is_u64(),
        TypeRef::Number | TypeRef::Timestamp => json.is_number(),
        TypeRef::Boolean => json.is_boolean(),
        TypeRef::Json => true,
        TypeRef::List(_) => json.is_array(),
        TypeRef::Map(_) => json.is_object(),
        TypeRef::Nullable(inner) => json.is_null() || fits(api, inner, json),
        TypeRef::Named(name) => match api.find_type(name).map(|t| &t.kind) {
            Some(TypeKind::Alias { target }) => fits(api, target, json),
            Some(TypeKind::Enum { .. } | TypeKind::Newtype { .. }) => json.is_string(),
            Some(TypeKind::Struct { .. } | TypeKind::TaggedUnion { .. }) => json.is_object(),
            // Any of its alternatives; a union of unions is rare enough to
            // take the first alternative.
            _ => false,
        },
    }
}

/// A value for a string newtype: a parameter example of the spec given
/// for this type or one with the same rules ([`Api::string_examples`]),
/// else a plain word.
fn newtype_example(api: &Api, name: &str) -> String {
    api.string_examples
        .get(name)
        .cloned()
        .unwrap_or_else(|| "value".to_owned())
}
