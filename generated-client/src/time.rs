//! [`Timestamp`]: a point in time the API writes as milliseconds since the
//! Unix epoch (`1465790400000`), the spec's `format: unix-time-ms`.

use chrono::{DateTime, Utc};
use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time, sent as whole milliseconds since the Unix epoch
/// (1970-01-01T00:00:00Z): in a query string as `since=1465790400000`, in
/// JSON as the integer `1465790400000`.
///
/// Make one from what you have: a [`chrono::DateTime<Utc>`] or a
/// [`SystemTime`] (`.into()`, so setters that take
/// `impl Into<Timestamp>` accept both directly), or milliseconds
/// ([`Timestamp::from_millis`]). Read it back as milliseconds
/// ([`as_millis`](Self::as_millis)) or as a `DateTime<Utc>`
/// ([`to_date_time`](Self::to_date_time)). Finer precision than a
/// millisecond is dropped (rounded towards the past).
///
/// Decoding is lenient: an integer or a number with a fraction (which is
/// rounded down to the millisecond) is accepted.
///
/// ```
/// use generated_client::Timestamp;
///
/// let since = Timestamp::from_millis(1_465_790_400_000);
/// assert_eq!(since.to_string(), "1465790400000");
/// let date = since.to_date_time().map(|d| d.to_rfc3339());
/// assert_eq!(date.as_deref(), Some("2016-06-13T04:00:00+00:00"));
/// assert_eq!(Timestamp::from(std::time::UNIX_EPOCH).as_millis(), 0);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The time `millis` milliseconds after the Unix epoch (before it, if
    /// negative).
    pub const fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// The current time.
    pub fn now() -> Self {
        Self::from(Utc::now())
    }

    /// Milliseconds since the Unix epoch: what is sent.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// The time as a `DateTime<Utc>`; `None` only beyond the years chrono
    /// can represent (about 262,000 years from now either way).
    pub fn to_date_time(self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.0)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Self(time.timestamp_millis())
    }
}

impl From<SystemTime> for Timestamp {
    /// A time beyond what `i64` milliseconds can hold (292 million years
    /// from 1970) becomes the nearest one it can.
    fn from(time: SystemTime) -> Self {
        let saturate = |millis: u128| i64::try_from(millis).unwrap_or(i64::MAX);
        Self(match time.duration_since(UNIX_EPOCH) {
            Ok(after) => saturate(after.as_millis()),
            // Before the epoch: round towards the past, as for a
            // `DateTime`, so a time a fraction before a millisecond is that
            // millisecond's predecessor.
            Err(before) => {
                let before = before.duration();
                let whole = saturate(before.as_millis());
                let partial = before.as_nanos() % 1_000_000 != 0;
                whole.saturating_neg().saturating_sub(i64::from(partial))
            }
        })
    }
}

impl TryFrom<Timestamp> for DateTime<Utc> {
    type Error = TimestampOutOfRange;

    fn try_from(time: Timestamp) -> Result<Self, Self::Error> {
        time.to_date_time().ok_or(TimestampOutOfRange)
    }
}

/// A [`Timestamp`] beyond the years a `DateTime<Utc>` can represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampOutOfRange;

impl fmt::Display for TimestampOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the time is beyond the range of a date")
    }
}

impl std::error::Error for TimestampOutOfRange {}

/// The milliseconds, as they are sent: `1465790400000`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The time in RFC 3339 (and its milliseconds), to read in logs.
impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_date_time() {
            Some(time) => write!(
                f,
                "Timestamp({} = {})",
                self.0,
                time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            ),
            None => write!(f, "Timestamp({})", self.0),
        }
    }
}

/// Parses milliseconds since the epoch, as `Display` writes them.
impl FromStr for Timestamp {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Self)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MillisVisitor)
    }
}

/// Reads milliseconds written as an integer or as a number with a fraction.
struct MillisVisitor;

impl serde::de::Visitor<'_> for MillisVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("milliseconds since the Unix epoch")
    }

    fn visit_i64<E: serde::de::Error>(self, millis: i64) -> Result<Timestamp, E> {
        Ok(Timestamp(millis))
    }

    fn visit_u64<E: serde::de::Error>(self, millis: u64) -> Result<Timestamp, E> {
        i64::try_from(millis)
            .map(Timestamp)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(millis), &self))
    }

    fn visit_f64<E: serde::de::Error>(self, millis: f64) -> Result<Timestamp, E> {
        let whole = millis.floor();
        // `i64::MAX as f64` rounds up to 2^63, which does not fit: the
        // upper bound is exclusive.
        if whole.is_finite() && whole >= i64::MIN as f64 && whole < i64::MAX as f64 {
            // In range and whole, so the conversion is exact.
            Ok(Timestamp(whole as i64))
        } else {
            Err(E::invalid_value(
                serde::de::Unexpected::Float(millis),
                &self,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn decode(json: &str) -> Option<Timestamp> {
        serde_json::from_str(json).ok()
    }

    #[test]
    fn sent_as_integer_milliseconds() {
        let time = Timestamp::from_millis(1_570_549_199_451);
        assert_eq!(
            serde_json::to_string(&time).ok().as_deref(),
            Some("1570549199451")
        );
        assert_eq!(time.to_string(), "1570549199451");
        assert_eq!("1570549199451".parse::<Timestamp>(), Ok(time));
    }

    #[test]
    fn decoded_from_integers_and_fractions() {
        let expected = Some(Timestamp::from_millis(1_570_549_199_451));
        assert_eq!(decode("1570549199451"), expected);
        assert_eq!(decode("1570549199451.0"), expected);
        assert_eq!(decode("1570549199451.9"), expected);
        assert_eq!(decode("1.570549199451e12"), expected);
        assert_eq!(decode("-0.5"), Some(Timestamp::from_millis(-1)));
        assert_eq!(
            decode("-43200000"),
            Some(Timestamp::from_millis(-43_200_000))
        );
        for refused in [
            "\"1570549199451\"",
            "null",
            "true",
            "1e300",
            "18446744073709551615",
        ] {
            assert_eq!(decode(refused), None, "{refused}");
        }
    }

    #[test]
    fn converts_from_and_to_date_times() {
        let date = DateTime::parse_from_rfc3339("2016-06-13T04:00:00.123456Z")
            .map(|d| d.with_timezone(&Utc))
            .ok();
        let time = date.map(Timestamp::from);
        assert_eq!(time, Some(Timestamp::from_millis(1_465_790_400_123)));
        assert_eq!(
            time.and_then(Timestamp::to_date_time)
                .map(|d| d.to_rfc3339()),
            Some("2016-06-13T04:00:00.123+00:00".to_owned())
        );
        assert!(DateTime::<Utc>::try_from(Timestamp::from_millis(i64::MAX)).is_err());
        assert_eq!(
            format!("{:?}", Timestamp::from_millis(0)),
            "Timestamp(0 = 1970-01-01T00:00:00.000Z)"
        );
    }

    #[test]
    fn converts_from_system_times() {
        let after = UNIX_EPOCH + Duration::from_micros(1_465_790_400_123_999);
        assert_eq!(Timestamp::from(after).as_millis(), 1_465_790_400_123);
        let before = UNIX_EPOCH - Duration::from_micros(1_500);
        assert_eq!(Timestamp::from(before).as_millis(), -2);
        let exactly = UNIX_EPOCH - Duration::from_millis(3);
        assert_eq!(Timestamp::from(exactly).as_millis(), -3);
    }
}
