//! Repairs of the vendor's schemas that are broken as data, made before
//! they are transcribed. Each repair says what was found and what it was
//! read as; nothing is changed without a report.
//!
//! The kinds found in the vendor's files:
//! - a schema's own keys written inside its `properties` (`title`,
//!   `type`, and the real `properties` one level down);
//! - properties written beside `properties` instead of inside it;
//! - an object of properties written where a schema goes, without the
//!   `type: object` / `properties` around it;
//! - `min` / `max` (a validation library's words) for `minLength` /
//!   `maxLength` or `minimum` / `maximum`;
//! - a list of alternatives nested inside the list of an `anyOf`.

use super::schema::{KEYWORDS, Repair};
use serde_json::{Map, Value};

/// `value` (a schema at `pointer` of `file`) with its broken parts
/// repaired, and the repairs appended to `repairs`.
pub fn schema(value: &Value, file: &str, pointer: &str, repairs: &mut Vec<Repair>) -> Value {
    let mut fix = Fixer { file, repairs };
    fix.schema(value, pointer)
}

struct Fixer<'a> {
    file: &'a str,
    repairs: &'a mut Vec<Repair>,
}

impl Fixer<'_> {
    fn report(&mut self, pointer: &str, what: String) {
        self.repairs.push(Repair {
            file: self.file.to_owned(),
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.to_owned()
            },
            what,
        });
    }

    fn schema(&mut self, value: &Value, pointer: &str) -> Value {
        let Some(map) = value.as_object() else {
            return value.clone();
        };
        if !map.is_empty() && !has_keyword(map) && map.values().all(is_schema) {
            self.report(
                pointer,
                "an object of properties where a schema goes; read as `type: object` with these `properties`".into(),
            );
            let mut wrapped = Map::new();
            wrapped.insert("type".into(), Value::from("object"));
            wrapped.insert("properties".into(), value.clone());
            return self.schema(&Value::Object(wrapped), pointer);
        }
        let mut map = map.clone();
        self.lift_from_properties(&mut map, pointer);
        self.gather_stray_properties(&mut map, pointer);
        self.rename_bounds(&mut map, pointer);
        type_of_enum(&mut map);
        let mut out = Map::new();
        for (key, child) in &map {
            let at = format!("{pointer}/{}", escape(key));
            let fixed = match key.as_str() {
                "properties" | "patternProperties" => match child.as_object() {
                    Some(props) => Value::Object(
                        props
                            .iter()
                            .map(|(name, prop)| {
                                (
                                    name.clone(),
                                    self.schema(prop, &format!("{at}/{}", escape(name))),
                                )
                            })
                            .collect(),
                    ),
                    None => child.clone(),
                },
                "items" | "additionalProperties" | "not" => self.schema(child, &at),
                "oneOf" | "anyOf" | "allOf" => Value::Array(self.alternatives(child, &at)),
                _ => child.clone(),
            };
            out.insert(key.clone(), fixed);
        }
        Value::Object(out)
    }

    /// A schema's own keys found inside its `properties`: a key named
    /// like a keyword whose value is not a schema (`title: "..."`), or a
    /// `properties` key holding a map of schemas. They are the schema's.
    fn lift_from_properties(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Object(props)) = map.get("properties").cloned() else {
            return;
        };
        let misplaced: Vec<String> = props
            .iter()
            .filter(|(name, value)| {
                KEYWORDS.contains(&name.as_str())
                    && match name.as_str() {
                        "properties" => value
                            .as_object()
                            .is_some_and(|m| !has_keyword(m) && m.values().all(is_schema)),
                        _ => !is_schema(value),
                    }
            })
            .map(|(name, _)| name.clone())
            .collect();
        if misplaced.is_empty() {
            return;
        }
        let mut kept = props.clone();
        let mut lifted = Map::new();
        for name in &misplaced {
            if let Some(value) = kept.remove(name) {
                lifted.insert(name.clone(), value);
            }
        }
        self.report(
            &format!("{pointer}/properties"),
            format!(
                "the schema's own keys ({}) are written inside `properties`; read as the schema's",
                misplaced
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        let inner = lifted.remove("properties");
        let mut merged = match inner {
            Some(Value::Object(inner)) => inner,
            _ => Map::new(),
        };
        merged.extend(kept);
        map.insert("properties".into(), Value::Object(merged));
        for (key, value) in lifted {
            map.entry(key).or_insert(value);
        }
    }

    /// Properties written beside `properties`, not inside it.
    fn gather_stray_properties(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if !map.contains_key("properties") {
            return;
        }
        let stray: Vec<String> = map
            .iter()
            .filter(|(key, value)| {
                !KEYWORDS.contains(&key.as_str()) && *key != "$schema" && is_schema(value)
            })
            .map(|(key, _)| key.clone())
            .collect();
        for key in stray {
            if let (Some(value), Some(Value::Object(props))) =
                (map.remove(&key), map.get_mut("properties"))
            {
                self.report(
                    &format!("{pointer}/{}", escape(&key)),
                    format!("property `{key}` is written beside `properties`, not inside it; read as a property"),
                );
                props.entry(key).or_insert(value);
            }
        }
    }

    /// `min` / `max`: the bounds of a string's length, or of a number.
    fn rename_bounds(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let numeric = matches!(
            map.get("type").and_then(Value::as_str),
            Some("integer" | "number")
        );
        for (word, length, bound) in [
            ("min", "minLength", "minimum"),
            ("max", "maxLength", "maximum"),
        ] {
            if !map.contains_key(word) || is_schema(&map[word]) {
                continue;
            }
            let Some(value) = map.remove(word) else {
                continue;
            };
            let keyword = if numeric { bound } else { length };
            if map.contains_key(keyword) {
                self.report(
                    &format!("{pointer}/{word}"),
                    format!("`{word}: {value}` beside `{keyword}`; dropped"),
                );
                continue;
            }
            self.report(
                &format!("{pointer}/{word}"),
                format!(
                    "`{word}: {value}` is not a JSON Schema keyword; read as `{keyword}: {value}`"
                ),
            );
            map.insert(keyword.into(), value);
        }
    }

    /// The alternatives of a union, with a list nested inside the list
    /// read as its items.
    fn alternatives(&mut self, list: &Value, pointer: &str) -> Vec<Value> {
        let Some(items) = list.as_array() else {
            return vec![list.clone()];
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            match item {
                Value::Array(nested) => {
                    self.report(
                        &at,
                        "a list of alternatives inside the list of alternatives; read as its items"
                            .into(),
                    );
                    for (j, inner) in nested.iter().enumerate() {
                        out.push(self.schema(inner, &format!("{at}/{j}")));
                    }
                }
                _ => out.push(self.schema(item, &at)),
            }
        }
        out
    }
}

/// An `enum` without `type` gets the type of its values (`[1, 0, null]`
/// → `[integer, "null"]`): the same values are allowed, and the format
/// needs the type to choose a Rust type.
fn type_of_enum(map: &mut Map<String, Value>) {
    if map.contains_key("type") {
        return;
    }
    let Some(Value::Array(values)) = map.get("enum") else {
        return;
    };
    let mut types: Vec<&str> = Vec::new();
    for value in values {
        let kind = match value {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_f64() => "number",
            Value::Number(_) => "integer",
            Value::Null => "null",
            _ => return,
        };
        if !types.contains(&kind) {
            types.push(kind);
        }
    }
    if types.contains(&"number") {
        types.retain(|t| *t != "integer");
    }
    let kind = match types.as_slice() {
        [one] => Value::from(*one),
        many => Value::Array(many.iter().map(|t| Value::from(*t)).collect()),
    };
    map.insert("type".into(), kind);
}

/// Whether an object uses at least one schema keyword.
fn has_keyword(map: &Map<String, Value>) -> bool {
    map.keys()
        .any(|k| KEYWORDS.contains(&k.as_str()) || k == "$schema")
}

/// Whether a value can be a schema: an object that is empty or uses a
/// schema keyword.
pub fn is_schema(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.is_empty() || has_keyword(m))
}

/// A JSON pointer token for `key`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixed(value: Value) -> (Value, Vec<String>) {
        let mut repairs = Vec::new();
        let out = schema(&value, "x.json", "", &mut repairs);
        (
            out,
            repairs
                .into_iter()
                .map(|r| format!("{} {}", r.pointer, r.what))
                .collect(),
        )
    }

    #[test]
    fn a_schema_written_inside_its_properties_is_lifted_out() {
        let (out, repairs) = fixed(json!({
            "type": "object",
            "properties": {
                "title": "Invite", "type": "object",
                "properties": {"id": {"type": "string"}}
            }
        }));
        assert_eq!(
            out,
            json!({"type": "object", "title": "Invite", "properties": {"id": {"type": "string"}}})
        );
        assert_eq!(
            repairs,
            [
                "/properties the schema's own keys (`properties`, `title`, `type`) are written inside `properties`; read as the schema's"
            ]
        );
    }

    #[test]
    fn stray_properties_bounds_and_nested_lists_are_repaired() {
        let (out, repairs) = fixed(json!({
            "type": "object",
            "properties": {
                "a": {"type": "string", "min": 4},
                "n": {"type": "integer", "max": 9},
                "status": {"last": {"type": "number"}},
                "u": {"anyOf": [[{"type": "string"}, {"type": "number"}], {"type": "boolean"}]}
            },
            "extra": {"type": "boolean"}
        }));
        assert_eq!(
            out,
            json!({
                "type": "object",
                "properties": {
                    "a": {"type": "string", "minLength": 4},
                    "n": {"type": "integer", "maximum": 9},
                    "status": {"type": "object", "properties": {"last": {"type": "number"}}},
                    "u": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
                    "extra": {"type": "boolean"}
                }
            })
        );
        assert_eq!(repairs.len(), 5, "{repairs:#?}");
    }
}
