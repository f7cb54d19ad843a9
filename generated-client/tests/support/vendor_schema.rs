//! A validator for the vendor's JSON Schemas (draft-07), as the vendor's
//! patterns need it. Used by the tests that check request bodies against
//! the vendor's own schemas.

// Each test crate that includes this module uses a different part of it.
#![allow(dead_code)]

use jsonschema::{PatternOptions, Validator};
use serde_json::Value;

/// A Draft 7 validator for `schema`.
///
/// The vendor's patterns are ECMA-262 and use look-ahead
/// (`^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$`), so the `fancy-regex` engine is
/// chosen explicitly: it supports look-around, which the `regex` engine
/// rejects. Formats (`email`, `uri`) are checked too, although Draft 7 makes
/// them annotations only. Literal braces are escaped first, see
/// [`escape_literal_braces`].
pub fn validator(schema: &Value) -> Validator {
    let mut schema = schema.clone();
    escape_literal_braces_in_patterns(&mut schema);
    jsonschema::draft7::options()
        .with_pattern_options(PatternOptions::fancy_regex())
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|error| panic!("schema does not compile: {error}"))
}

/// A validator for a schema file's text.
pub fn validator_for_file(schema_text: &str) -> Validator {
    validator(&serde_json::from_str(schema_text).expect("schema is JSON"))
}

/// Rewrites every `pattern` of `schema` with [`escape_literal_braces`].
fn escape_literal_braces_in_patterns(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(pattern) if key == "pattern" => {
                        *pattern = escape_literal_braces(pattern);
                    }
                    _ => escape_literal_braces_in_patterns(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_literal_braces_in_patterns),
        _ => {}
    }
}

/// `pattern` with each brace that is not part of a `{n}`, `{n,}` or `{n,m}`
/// quantifier escaped.
///
/// The vendor's template pattern `.*{{.+}}.*` relies on ECMA-262 Annex B,
/// where such a brace is a literal character. The `jsonschema` crate parses
/// patterns strictly (as in Unicode mode), where it is a syntax error, so
/// the braces are escaped to say the same thing: `.*\{\{.+\}\}.*`.
/// Everything else, look-ahead included, is left as the vendor wrote it.
pub fn escape_literal_braces(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut escaped = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        match c {
            '\\' => {
                // An escape and the character it escapes, as they are.
                escaped.extend(&chars[index..(index + 2).min(chars.len())]);
                index += 2;
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '{' if !in_class => {
                if let Some(length) = quantifier_length(&chars[index..]) {
                    escaped.extend(&chars[index..index + length]);
                    index += length;
                    continue;
                }
                escaped.push('\\');
            }
            '}' if !in_class => escaped.push('\\'),
            _ => {}
        }
        escaped.push(c);
        index += 1;
    }
    escaped
}

/// The length of the `{n}`, `{n,}` or `{n,m}` quantifier `chars` starts
/// with, if it starts with one.
fn quantifier_length(chars: &[char]) -> Option<usize> {
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let lower = digits(1);
    if lower == 0 {
        return None;
    }
    let mut at = 1 + lower;
    if chars.get(at) == Some(&',') {
        at += 1 + digits(at + 1);
    }
    (chars.get(at) == Some(&'}')).then_some(at + 1)
}
