//! Query parameters whose value is an object or an array, written the way
//! the vendor's JavaScript client writes them: through the `qs` package
//! with its default options. Keys in bracket notation with array indices
//! (`keywords[0]=gps`, `query[$and][0][name][$eq]=x`), and keys and values
//! percent-encoded as RFC 3986 says (only `A-Z a-z 0-9 - . _ ~` stay, a
//! space is `%20`), so the brackets and `$` of a key are encoded too:
//! `keywords%5B0%5D=gps`.
//!
//! Written here rather than taken from `serde_qs`, the crate made for
//! query strings, because its bytes differ from `qs`'s: it leaves the
//! brackets of keys and `*` unencoded, encodes `~`, and writes a space as
//! `+`. A server parsing with `qs` reads both, but the platform is only
//! known to read what its own client sends.

use percent_encoding::utf8_percent_encode;
use serde_json::Value;

/// Appends the pairs of `value` under the key `name` to the encoded query
/// `out` (joined with `&` to what is there).
///
/// An object's fields and an array's items recurse (`name[field]`,
/// `name[0]`); `null` and empty objects and arrays add nothing; booleans
/// are `true`/`false`, numbers as JavaScript writes them (`3`, not
/// `3.0`). An object's fields come in the order serde_json keeps them
/// (by name); `qs` keeps a JavaScript object's order, which a server
/// reading the pairs does not depend on.
pub(crate) fn append(out: &mut String, name: &str, value: &Value) {
    let mut key = name.to_owned();
    walk(out, &mut key, value);
}

/// Writes `value` under `key`, which it extends and restores for each
/// nested field or item.
fn walk(out: &mut String, key: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Bool(true) => pair(out, key, "true"),
        Value::Bool(false) => pair(out, key, "false"),
        Value::Number(number) => pair(out, key, &number_text(number)),
        Value::String(text) => pair(out, key, text),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                nested(out, key, &index.to_string(), item);
            }
        }
        Value::Object(fields) => {
            for (field, item) in fields {
                nested(out, key, field, item);
            }
        }
    }
}

/// Writes `value` under `key[inner]`.
fn nested(out: &mut String, key: &mut String, inner: &str, value: &Value) {
    let length = key.len();
    key.push('[');
    key.push_str(inner);
    key.push(']');
    walk(out, key, value);
    key.truncate(length);
}

/// Appends `key=value`, both encoded.
fn pair(out: &mut String, key: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    // The unreserved characters of RFC 3986 are what `qs` leaves, and what
    // a path segment keeps.
    out.extend(utf8_percent_encode(key, crate::request::SEGMENT));
    out.push('=');
    out.extend(utf8_percent_encode(value, crate::request::SEGMENT));
}

/// A number as JavaScript's `String(n)` writes it for the values JSON
/// carries: integers as they are, a whole float without `.0`.
fn number_text(number: &serde_json::Number) -> String {
    number
        .as_f64()
        .filter(|_| number.is_f64())
        .and_then(crate::js_number::whole_number_text)
        .unwrap_or_else(|| number.to_string())
}

#[cfg(test)]
mod tests {
    use super::append;
    use serde_json::json;

    fn encoded(name: &str, value: serde_json::Value) -> String {
        let mut out = String::new();
        append(&mut out, name, &value);
        out
    }

    #[test]
    fn arrays_are_indexed_and_brackets_encoded() {
        assert_eq!(
            encoded("keywords", json!(["gps", "aws"])),
            "keywords%5B0%5D=gps&keywords%5B1%5D=aws"
        );
    }

    #[test]
    fn nested_objects_and_arrays_recurse_and_dollars_are_encoded() {
        assert_eq!(
            encoded(
                "query",
                json!({"$and": [{"name": {"$eq": "x"}}, {"on": true}]})
            ),
            "query%5B%24and%5D%5B0%5D%5Bname%5D%5B%24eq%5D=x&query%5B%24and%5D%5B1%5D%5Bon%5D=true"
        );
    }

    #[test]
    fn values_are_encoded_as_rfc_3986_says() {
        assert_eq!(
            encoded("f", json!({"a b": "x y&z=1/é+~*-._()!'"})),
            "f%5Ba%20b%5D=x%20y%26z%3D1%2F%C3%A9%2B~%2A-._%28%29%21%27"
        );
    }

    #[test]
    fn nulls_and_empty_containers_add_nothing_and_numbers_read_as_in_javascript() {
        assert_eq!(encoded("f", json!({"a": null, "b": [], "c": {}})), "");
        assert_eq!(
            encoded("f", json!({"i": -3, "w": 3.0, "x": 2.5, "z": false})),
            "f%5Bi%5D=-3&f%5Bw%5D=3&f%5Bx%5D=2.5&f%5Bz%5D=false"
        );
        assert_eq!(encoded("s", json!("plain")), "s=plain");
    }

    #[test]
    fn pairs_are_joined_to_what_is_there() {
        let mut out = String::from("limit=1");
        append(&mut out, "k", &json!(["a"]));
        assert_eq!(out, "limit=1&k%5B0%5D=a");
    }
}
