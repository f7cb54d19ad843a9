//! How numbers are written: a whole `f64` goes out as an integer
//! (`1570549199451`), the way the platform (and JavaScript) writes it, rather
//! than serde_json's `1570549199451.0`. Both are the same JSON number; this
//! keeps the bytes on the wire the ones the API's documentation shows.

use serde::Serializer;

/// Largest integer an `f64` holds exactly (2^53).
const EXACT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Serializes a number, whole values without a fraction.
#[doc(hidden)]
pub fn whole_number<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() <= EXACT_LIMIT {
        // Exact: the value is a whole number within i64's range.
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// [`whole_number`] for an optional field.
#[doc(hidden)]
pub fn whole_number_opt<S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => whole_number(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct Sample {
        #[serde(serialize_with = "super::whole_number")]
        value: f64,
    }

    fn text(value: f64) -> String {
        serde_json::to_string(&Sample { value }).unwrap_or_default()
    }

    #[test]
    fn whole_numbers_have_no_fraction() {
        assert_eq!(text(1570549199451.0), r#"{"value":1570549199451}"#);
        assert_eq!(text(-3.0), r#"{"value":-3}"#);
        assert_eq!(text(0.5), r#"{"value":0.5}"#);
        assert_eq!(text(1e300), r#"{"value":1e300}"#.replace("1e300", "1e+300"));
    }
}
