//! Deserializers that refuse a key written twice in one mapping.
//!
//! YAML parsers keep one of the two values of a repeated key and drop the
//! other silently. Serde's derived structs already refuse a repeated field;
//! the maps and the free-form JSON values of the spec use these instead.
//! A refusal is an ordinary deserialization error: the loader then indexes
//! the file and reports the repeated key with its location
//! ([`crate::spec::LocationIndex::duplicate_key`]).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Why a mapping was refused; the loader replaces it with a located
/// message.
const REPEATED: &str = "a key is written twice in one mapping";

/// A map whose keys are all different.
pub(crate) fn map<'de, D, K, V>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(UniqueMap(PhantomData))
}

/// [`map`] for an optional key.
pub(crate) fn option_map<'de, D, K, V>(deserializer: D) -> Result<Option<BTreeMap<K, V>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    Option::<UniqueKeys<K, V>>::deserialize(deserializer).map(|map| map.map(|map| map.0))
}

/// A map read through [`map`].
struct UniqueKeys<K, V>(BTreeMap<K, V>);

impl<'de, K, V> Deserialize<'de> for UniqueKeys<K, V>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        map(deserializer).map(UniqueKeys)
    }
}

struct UniqueMap<K, V>(PhantomData<(K, V)>);

impl<'de, K, V> Visitor<'de> for UniqueMap<K, V>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = BTreeMap::new();
        while let Some(key) = access.next_key::<K>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(REPEATED));
            }
            let value = access.next_value()?;
            map.insert(key, value);
        }
        Ok(map)
    }
}

/// A JSON value (an example, a default) whose objects, at any depth,
/// have all different keys.
pub(crate) fn option_json<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    Option::<UniqueJson>::deserialize(deserializer).map(|v| v.map(|v| v.0))
}

/// [`option_json`] for a list of values (an `enum`).
pub(crate) fn option_json_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<Value>>, D::Error> {
    Option::<Vec<UniqueJson>>::deserialize(deserializer)
        .map(|list| list.map(|list| list.into_iter().map(|v| v.0).collect()))
}

/// A JSON value read through [`JsonVisitor`].
struct UniqueJson(Value);

impl<'de> Deserialize<'de> for UniqueJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(UniqueJson)
    }
}

/// What `serde_json::Value`'s own visitor does, except that a repeated key
/// is refused rather than overwritten.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element::<UniqueJson>()? {
            items.push(item.0);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(REPEATED));
            }
            let value = access.next_value::<UniqueJson>()?;
            object.insert(key, value.0);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "option_map")]
        map: Option<BTreeMap<String, u32>>,
        #[serde(default, deserialize_with = "option_json")]
        json: Option<Value>,
    }

    fn parse(text: &str) -> Result<Holder, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    #[test]
    fn distinct_keys_are_read_as_usual() {
        let holder = parse("map: {a: 1, b: 2}\njson: {x: [1, {y: null}], z: 1.5}\n").unwrap();
        assert_eq!(holder.map.unwrap().len(), 2);
        assert_eq!(
            holder.json.unwrap(),
            serde_json::json!({"x": [1, {"y": null}], "z": 1.5})
        );
        let empty = parse("{}").unwrap();
        assert!(empty.map.is_none() && empty.json.is_none());
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        assert!(parse("map: {a: 1, a: 2}\n").is_err());
        assert!(parse("json: {x: 1, x: 2}\n").is_err());
        assert!(parse("json: [{x: 1}, {y: {z: 1, z: 2}}]\n").is_err());
    }
}
