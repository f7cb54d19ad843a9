//! Spec files as the importer writes them: an ordered tree, printed as
//! YAML a person would write (block maps, short maps and lists of scalars
//! on one line, strings quoted only when they must be).
//!
//! The importer writes YAML but never reads it: the spec's reader is the
//! loader's, and this printer only has to produce text that reader takes.

use serde_json::Value;

/// A YAML value whose maps keep the order they were built in.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string, number, boolean or null.
    Scalar(Value),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in insertion order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// An empty map.
    pub fn map() -> Node {
        Node::Map(Vec::new())
    }

    /// A string scalar.
    pub fn str(text: impl Into<String>) -> Node {
        Node::Scalar(Value::String(text.into()))
    }

    /// Appends `key: value` to a map (nothing for other nodes).
    pub fn push(&mut self, key: impl Into<String>, value: Node) {
        if let Node::Map(entries) = self {
            entries.push((key.into(), value));
        }
    }

    /// The value of `key` in a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of `key` in a map, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A JSON value as a tree (objects keep serde_json's key order).
    pub fn from_json(value: &Value) -> Node {
        match value {
            Value::Array(items) => Node::List(items.iter().map(Node::from_json).collect()),
            Value::Object(map) => Node::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Node::from_json(v)))
                    .collect(),
            ),
            scalar => Node::Scalar(scalar.clone()),
        }
    }

    fn is_scalar(&self) -> bool {
        matches!(self, Node::Scalar(_))
    }
}

/// Longest line a map or list is printed on one line for.
const FLOW_WIDTH: usize = 96;

/// The YAML text of a top-level map.
pub fn to_yaml(root: &Node) -> String {
    let mut out = String::new();
    match root {
        Node::Map(entries) => block_map(entries, 0, &mut out),
        other => {
            out.push_str(&flow(other).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

fn block_map(entries: &[(String, Node)], indent: usize, out: &mut String) {
    for (key, value) in entries {
        let pad = " ".repeat(indent);
        // A status code is written as a number, as the format reads it.
        let status =
            key.len() == 3 && key.bytes().all(|b| b.is_ascii_digit()) && !key.starts_with('0');
        let key = if status {
            key.clone()
        } else {
            scalar_text(&Value::String(key.clone()), false)
        };
        entry(&format!("{pad}{key}:"), value, indent, out);
    }
}

/// Prints `head` (a key with its colon, or a list dash) followed by
/// `value`: on the same line when it fits, else on the lines below.
fn entry(head: &str, value: &Node, indent: usize, out: &mut String) {
    if let Some(text) = flow(value) {
        if head.len() + 1 + text.len() <= FLOW_WIDTH || value.is_scalar() {
            out.push_str(head);
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
            return;
        }
    }
    out.push_str(head);
    out.push('\n');
    match value {
        Node::Map(entries) => block_map(entries, indent + 2, out),
        Node::List(items) => {
            for item in items {
                let pad = " ".repeat(indent + 2);
                match item {
                    Node::Map(entries)
                        if !entries.is_empty()
                            && flow(item).is_none_or(|t| t.len() + indent + 4 > FLOW_WIDTH) =>
                    {
                        // `- key: value` then the other keys aligned under it.
                        let mut nested = String::new();
                        block_map(entries, indent + 4, &mut nested);
                        let trimmed = nested.trim_start_matches(' ');
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(trimmed);
                    }
                    _ => entry(&format!("{pad}-"), item, indent + 2, out),
                }
            }
        }
        Node::Scalar(_) => {}
    }
}

/// The one-line form of a node, when it has one: scalars always; maps and
/// lists whose values are all scalars (or empty).
fn flow(node: &Node) -> Option<String> {
    match node {
        Node::Scalar(value) => Some(scalar_text(value, false)),
        Node::List(items) if items.is_empty() => Some("[]".into()),
        Node::Map(entries) if entries.is_empty() => Some("{}".into()),
        Node::List(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|item| match item {
                    Node::Scalar(value) => Some(scalar_text(value, true)),
                    _ => None,
                })
                .collect();
            Some(format!("[{}]", parts?.join(", ")))
        }
        Node::Map(entries) => {
            let parts: Option<Vec<String>> = entries
                .iter()
                .map(|(key, value)| match value {
                    Node::Scalar(scalar) => Some(format!(
                        "{}: {}",
                        scalar_text(&Value::String(key.clone()), true),
                        scalar_text(scalar, true)
                    )),
                    _ => None,
                })
                .collect();
            Some(format!("{{ {} }}", parts?.join(", ")))
        }
    }
}

/// A scalar as YAML: numbers, booleans and null as JSON writes them;
/// strings plain when the reader would read them back as the same string,
/// else single-quoted, else (control characters) double-quoted.
fn scalar_text(value: &Value, in_flow: bool) -> String {
    match value {
        Value::String(text) => {
            if plain_is_safe(text, in_flow) {
                text.clone()
            } else if text.chars().all(|c| !c.is_control()) {
                format!("'{}'", text.replace('\'', "''"))
            } else {
                // JSON's string escapes are all valid in a YAML
                // double-quoted scalar.
                Value::String(text.clone()).to_string()
            }
        }
        other => other.to_string(),
    }
}

/// Whether `text` read as a plain YAML scalar is this string again.
fn plain_is_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text || text.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-x`, `?x` and `:x` are plain in YAML 1.2 but not to every
        // reader; quoting them costs nothing.
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return false;
    }
    if in_flow && text.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    // Words and numbers the reader would type as something else.
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "null"
            | "~"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".nan"
            | ".inf"
            | "-.inf"
            | "+.inf"
    ) {
        return false;
    }
    if looks_numeric(text) {
        return false;
    }
    true
}

/// Whether a YAML reader could take `text` for a number (of any base).
fn looks_numeric(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-']);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_quoted_only_when_they_must_be() {
        let cases = [
            ("name", "name"),
            ("My Device", "My Device"),
            ("true", "'true'"),
            ("10", "'10'"),
            ("0x1F", "'0x1F'"),
            ("1.30.0", "'1.30.0'"),
            ("^1.30.0", "^1.30.0"),
            ("a: b", "'a: b'"),
            ("it's", "it's"),
            ("'quoted'", "'''quoted'''"),
            ("{{template}}", "'{{template}}'"),
            ("- item", "'- item'"),
            ("", "''"),
            (" padded", "' padded'"),
            ("line\nbreak", "\"line\\nbreak\""),
            ("^[A-Fa-f\\d]{24}$", "^[A-Fa-f\\d]{24}$"),
        ];
        for (text, expected) in cases {
            assert_eq!(scalar_text(&json!(text), false), expected, "{text:?}");
        }
        assert_eq!(scalar_text(&json!("a,b"), true), "'a,b'");
    }

    #[test]
    fn short_maps_and_lists_of_scalars_are_written_on_one_line() {
        let mut root = Node::map();
        let mut schema = Node::map();
        schema.push("$ref", Node::str("Device"));
        root.push("schema", schema);
        root.push("enum", Node::from_json(&json!(["asc", "desc"])));
        let mut nested = Node::map();
        let mut inner = Node::map();
        inner.push("type", Node::str("string"));
        nested.push("name", inner);
        root.push("properties", nested);
        root.push(
            "oneOf",
            Node::from_json(&json!([{"type": "string"}, {"type": "object", "properties": {"a": {"type": "integer"}}}])),
        );
        assert_eq!(
            to_yaml(&root),
            "schema: { $ref: Device }\n\
             enum: [asc, desc]\n\
             properties:\n  name: { type: string }\n\
             oneOf:\n  - { type: string }\n  - properties:\n      a: { type: integer }\n    type: object\n"
        );
    }
}
