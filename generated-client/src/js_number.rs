//! Numbers written the way the vendor's JavaScript clients write them.
//!
//! A property typed `number` is an `f64` here, and serde_json writes a whole
//! `f64` with a fraction (`300.0`), where `JSON.stringify` and `String(n)`
//! write `300`. Both mean the same number, but the bytes differ from what
//! the platform's own clients send, so request bodies and query strings
//! write a whole float as an integer. Fractions and exponents are left to
//! serde_json, whose shortest round-trip form is JavaScript's as well.

use std::io;

/// A whole, finite float below JavaScript's switch to exponent notation
/// (`1e21`) as the integer text JavaScript writes for it (`-0` as `0`), or
/// `None` when the float has a fraction or is that large.
pub(crate) fn whole_number_text(value: f64) -> Option<String> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e21 {
        // `{:.0}` prints every digit of a whole float, never an exponent.
        Some(if value == 0.0 {
            "0".to_owned()
        } else {
            format!("{value:.0}")
        })
    } else {
        None
    }
}

/// Serializes `value` as compact JSON with whole floats written as integers.
pub(crate) fn to_json_vec<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, JsNumbers,
    ))?;
    Ok(out)
}

/// serde_json's compact output, but for whole floats.
struct JsNumbers;

impl serde_json::ser::Formatter for JsNumbers {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        match whole_number_text(value) {
            Some(text) => writer.write_all(text.as_bytes()),
            None => serde_json::ser::CompactFormatter.write_f64(writer, value),
        }
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        match whole_number_text(f64::from(value)) {
            Some(text) => writer.write_all(text.as_bytes()),
            None => serde_json::ser::CompactFormatter.write_f32(writer, value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{to_json_vec, whole_number_text};

    fn text<T: serde::Serialize + ?Sized>(value: &T) -> String {
        String::from_utf8(to_json_vec(value).unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn whole_floats_are_written_as_integers() {
        assert_eq!(text(&serde_json::json!({"ttl": 300.0})), r#"{"ttl":300}"#);
        assert_eq!(
            text(&serde_json::json!([-2.0, 0.0, -0.0, 1e20])),
            "[-2,0,0,100000000000000000000]"
        );
        assert_eq!(text(&serde_json::json!(7u64)), "7");
        assert_eq!(text(&serde_json::json!(-7i64)), "-7");
    }

    #[test]
    fn fractions_exponents_and_non_finite_floats_keep_serde_json_text() {
        assert_eq!(
            text(&serde_json::json!([0.5, -12.25, 1e21, 1e-7])),
            "[0.5,-12.25,1e+21,1e-7]"
        );
        assert_eq!(text(&[f64::NAN, f64::INFINITY]), "[null,null]");
        assert_eq!(text(&1.5f32), "1.5");
        assert_eq!(text(&3.0f32), "3");
    }

    #[test]
    fn whole_number_text_matches_javascript_string() {
        assert_eq!(whole_number_text(300.0).as_deref(), Some("300"));
        assert_eq!(whole_number_text(-0.0).as_deref(), Some("0"));
        assert_eq!(whole_number_text(0.25), None);
        assert_eq!(whole_number_text(1e21), None);
        assert_eq!(whole_number_text(f64::NAN), None);
    }
}
