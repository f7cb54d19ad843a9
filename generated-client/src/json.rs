//! How generated structs and untagged unions meet JSON.
//!
//! serde's derives expand to a visitor per type, compiled again for every
//! deserializer; at the size of the whole platform (about a thousand types)
//! that expansion was most of the crate's build. A generated struct instead
//! states its keys in short impls over these helpers:
//!
//! - decoding ([`decode_object`]) reads the object's keys once, into a map of
//!   JSON values, and builds the struct from it in [`Object::from_fields`],
//!   which is not generic, so it is compiled once whatever the deserializer;
//! - encoding ([`ObjectWriter`]) writes the keys in the order the struct
//!   declares them, leaving out the optional fields that are not set.
//!
//! A struct decodes only from a JSON object: never from `null`, and never
//! positionally from an array, as serde's derive would accept (`[]` as an
//! empty object, `["a"]` as the first field), which would let a server
//! answering with the wrong shape go unnoticed.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

/// The keys of one JSON object, taken out one by one as a generated
/// struct's decoder builds its fields.
#[doc(hidden)]
pub struct Fields {
    keys: Map<String, Value>,
}

impl Fields {
    /// The value of a required key, an error when the key is missing.
    pub fn required<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<T, serde_json::Error> {
        match self.keys.remove(key) {
            Some(value) => decode(key, value),
            None => Err(serde_json::Error::missing_field(key)),
        }
    }

    /// The value of an optional key: `None` when it is missing or `null`.
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.keys.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => decode(key, value).map(Some),
        }
    }

    /// The value of an optional key that may be `null`, telling the two
    /// apart: `None` when the key is missing, `Some(None)` when it holds
    /// `null`.
    pub fn nullable<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<Option<T>>, serde_json::Error> {
        match self.keys.remove(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(value) => decode(key, value).map(|value| Some(Some(value))),
        }
    }

    /// Drops a key the struct does not keep (a tagged-union kind's tag),
    /// so that it does not land among the other keys.
    pub fn skip(&mut self, key: &'static str) {
        self.keys.remove(key);
    }

    /// The keys not taken yet, each value decoded as `T`: the struct's map
    /// of other keys.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<BTreeMap<String, T>, serde_json::Error> {
        std::mem::take(&mut self.keys)
            .into_iter()
            .map(|(key, value)| {
                let decoded = decode(&key, value)?;
                Ok((key, decoded))
            })
            .collect()
    }
}

/// Decodes the value of `key`, naming the key in the error so that a
/// nested mistake reads as a path (`key `meta`: key `x`: invalid type ...`).
fn decode<T: DeserializeOwned>(key: &str, value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
        .map_err(|error| serde_json::Error::custom(format_args!("key `{key}`: {error}")))
}

/// A generated struct, built from the keys of a JSON object.
///
/// Its `from_fields` is not generic, so it is compiled once per struct
/// whatever deserializer reads the object; `Deserialize` only calls
/// [`decode_object`].
#[doc(hidden)]
pub trait Object: Sized {
    /// The struct's name, for errors.
    const NAME: &'static str;

    /// Takes the struct's fields out of the object's keys.
    fn from_fields(fields: &mut Fields) -> Result<Self, serde_json::Error>;
}

/// Decodes a generated struct from a JSON object: reads the object's
/// keys, then lets [`Object::from_fields`] take out its fields.
#[doc(hidden)]
pub fn decode_object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Object,
{
    let keys = deserializer.deserialize_map(ObjectVisitor(T::NAME))?;
    T::from_fields(&mut Fields { keys }).map_err(D::Error::custom)
}

/// Reads a JSON object's keys and values, and nothing else.
struct ObjectVisitor(&'static str);

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Map<String, Value>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(formatter, "a JSON object ({})", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut keys = Map::new();
        while let Some((key, value)) = access.next_entry::<String, Value>()? {
            keys.insert(key, value);
        }
        Ok(keys)
    }
}

/// Writes a generated struct as a JSON object, key by key.
#[doc(hidden)]
pub struct ObjectWriter<M> {
    map: M,
}

impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts the object.
    pub fn start<S>(serializer: S) -> Result<Self, S::Error>
    where
        S: serde::Serializer<SerializeMap = M>,
    {
        Ok(Self {
            map: serializer.serialize_map(None)?,
        })
    }

    /// Writes a key that is always sent (`None` of a required nullable
    /// field as `null`).
    pub fn required<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.map.serialize_entry(key, value)
    }

    /// Writes an optional key when it is set (`Some(None)` of a nullable
    /// one as `null`).
    pub fn optional<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.map.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    /// Writes the entries of the struct's map of other keys.
    pub fn rest<T: serde::Serialize>(
        &mut self,
        keys: &BTreeMap<String, T>,
    ) -> Result<(), M::Error> {
        keys.iter()
            .try_for_each(|(key, value)| self.map.serialize_entry(key, value))
    }

    /// Ends the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

/// The JSON value of an untagged union, tried against each alternative in
/// turn by its generated decoder.
#[doc(hidden)]
pub struct Alternatives {
    value: Value,
}

impl Alternatives {
    /// Reads the value.
    pub fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Self { value })
    }

    /// The value as a `T`, if it is one.
    pub fn as_a<T: DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(&self.value).ok()
    }

    /// The error when the value is none of the alternatives of `name`.
    pub fn none_matched<E: serde::de::Error>(&self, name: &str) -> E {
        E::custom(format_args!(
            "the value matches none of the alternatives of {name}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{Alternatives, Fields, Object, ObjectWriter, decode_object};
    use std::collections::BTreeMap;

    /// A struct written the way the generator writes them.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: String,
        b: Option<f64>,
        parent: Option<Option<String>>,
        other: BTreeMap<String, bool>,
    }

    impl serde::Serialize for Pair {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = ObjectWriter::start(serializer)?;
            object.required("a", &self.a)?;
            object.optional("b", &self.b)?;
            object.optional("parent", &self.parent)?;
            object.rest(&self.other)?;
            object.end()
        }
    }

    impl Object for Pair {
        const NAME: &'static str = "Pair";

        fn from_fields(fields: &mut Fields) -> Result<Self, serde_json::Error> {
            Ok(Self {
                a: fields.required("a")?,
                b: fields.optional("b")?,
                parent: fields.nullable("parent")?,
                other: fields.rest()?,
            })
        }
    }

    impl<'de> serde::Deserialize<'de> for Pair {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            decode_object(deserializer)
        }
    }

    fn decode(text: &str) -> Result<Pair, String> {
        serde_json::from_str(text).map_err(|error| error.to_string())
    }

    fn pair(parent: Option<Option<&str>>) -> Pair {
        Pair {
            a: "x".to_owned(),
            b: None,
            parent: parent.map(|p| p.map(str::to_owned)),
            other: BTreeMap::new(),
        }
    }

    #[test]
    fn a_key_holding_null_is_told_from_a_key_left_out() {
        assert_eq!(decode(r#"{"a": "x"}"#), Ok(pair(None)));
        assert_eq!(
            decode(r#"{"a": "x", "parent": null}"#),
            Ok(pair(Some(None)))
        );
        assert_eq!(
            decode(r#"{"a": "x", "parent": "p1"}"#),
            Ok(pair(Some(Some("p1"))))
        );
        let encode = |parent| serde_json::to_string(&pair(parent)).unwrap_or_default();
        assert_eq!(encode(None), r#"{"a":"x"}"#);
        assert_eq!(encode(Some(None)), r#"{"a":"x","parent":null}"#);
        assert_eq!(encode(Some(Some("p1"))), r#"{"a":"x","parent":"p1"}"#);
    }

    #[test]
    fn structs_decode_only_from_objects() {
        for text in ["[]", r#"["x", 1]"#, "null", "\"x\""] {
            let error = decode(text).err().unwrap_or_default();
            assert!(error.contains("a JSON object (Pair)"), "{text}: {error}");
        }
    }

    #[test]
    fn errors_name_the_key_and_a_missing_key() {
        assert_eq!(
            decode("{}")
                .err()
                .as_deref()
                .map(|e| e.starts_with("missing field `a`")),
            Some(true)
        );
        let error = decode(r#"{"a": "x", "b": "two"}"#)
            .err()
            .unwrap_or_default();
        assert!(
            error.starts_with("key `b`: invalid type: string \"two\""),
            "{error}"
        );
        let error = decode(r#"{"a": "x", "c": 3}"#).err().unwrap_or_default();
        assert!(
            error.starts_with("key `c`: invalid type: integer `3`"),
            "{error}"
        );
    }

    #[test]
    fn other_keys_are_kept_and_written_after_the_declared_ones() {
        let decoded = decode(r#"{"z": true, "a": "x", "b": 2}"#);
        let mut expected = pair(None);
        expected.b = Some(2.0);
        expected.other.insert("z".to_owned(), true);
        assert_eq!(decoded, Ok(expected));
        let written = decode(r#"{"z": true, "a": "x"}"#)
            .map(|pair| serde_json::to_string(&pair).unwrap_or_default());
        assert_eq!(written.as_deref(), Ok(r#"{"a":"x","z":true}"#));
    }

    #[test]
    fn alternatives_are_tried_in_turn() {
        let read = |text: &str| {
            let mut json = serde_json::Deserializer::from_str(text);
            Alternatives::read(&mut json).ok()
        };
        let number = read("3");
        assert_eq!(
            number.as_ref().and_then(Alternatives::as_a::<f64>),
            Some(3.0)
        );
        assert_eq!(number.as_ref().and_then(Alternatives::as_a::<String>), None);
        let error: Option<serde_json::Error> = number.map(|n| n.none_matched("Size"));
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("the value matches none of the alternatives of Size")
        );
    }
}
