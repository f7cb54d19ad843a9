//! How generated structs are decoded: only from JSON objects.

/// Decodes structs only from JSON objects.
///
/// serde's derived `Deserialize` for a struct also accepts an array and
/// fills the fields by position, so `[]` would decode as an empty object
/// and `["a"]` would set the first field: a server answering with the wrong
/// shape would go unnoticed. Generated structs derive with
/// `#[serde(remote = "Self")]` and decode through this wrapper, which asks
/// the underlying deserializer for a map where the derive asks for a struct.
#[doc(hidden)]
pub struct ObjectsOnly<D>(pub D);

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }

    // A derived struct only ever calls `deserialize_struct`; the rest is
    // there to complete the trait.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Implements `Serialize` and `Deserialize` for a struct derived with
/// `#[serde(remote = "Self")]`, decoding only from objects ([`ObjectsOnly`]).
/// Serializes a tagged-union kind: its tag first, then `fields`, the
/// kind's own fields as its derived `Serialize` writes them (a tag among
/// them is left out, since the tag's value is the kind's).
#[doc(hidden)]
pub fn with_tag<S: serde::Serializer>(
    fields: Result<serde_json::Value, serde_json::Error>,
    tag: &'static str,
    value: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{Error as _, SerializeMap as _};
    let fields = match fields.map_err(S::Error::custom)? {
        serde_json::Value::Object(fields) => fields,
        _ => return Err(S::Error::custom("a tagged kind serializes as an object")),
    };
    let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry(tag, value)?;
    for (key, field) in fields.iter().filter(|(key, _)| key.as_str() != tag) {
        map.serialize_entry(key, field)?;
    }
    map.end()
}

/// Decodes a field that tells a key holding `null` (`Some(None)`) from a
/// key left out (`None`, through `#[serde(default)]`): serde itself reads
/// both as `None`.
#[doc(hidden)]
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize<'de>>::deserialize(deserializer).map(Some)
}

#[allow(unused_macros)] // a spec without object schemas does not call it
macro_rules! objects_only {
    ($name:ident, $tag:literal, $value:literal) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let fields = $name::serialize(self, ::serde_json::value::Serializer);
                $crate::json::with_tag(fields, $tag, $value, serializer)
            }
        }

        $crate::json::objects_only!(@deserialize $name);
    };
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $name::serialize(self, serializer)
            }
        }

        $crate::json::objects_only!(@deserialize $name);
    };
    (@deserialize $name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $name::deserialize($crate::json::ObjectsOnly(deserializer))
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use objects_only;

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(remote = "Self")]
    struct Pair {
        a: Option<String>,
        b: Option<String>,
    }

    objects_only!(Pair);

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "super::present"
        )]
        parent: Option<Option<String>>,
    }

    #[test]
    fn a_key_holding_null_is_told_from_a_key_left_out() {
        let decode = |text: &str| serde_json::from_str::<Patch>(text).map(|p| p.parent).ok();
        assert_eq!(decode("{}"), Some(None));
        assert_eq!(decode(r#"{"parent": null}"#), Some(Some(None)));
        assert_eq!(
            decode(r#"{"parent": "p1"}"#),
            Some(Some(Some("p1".to_owned())))
        );
        let encode = |parent| serde_json::to_string(&Patch { parent }).unwrap_or_default();
        assert_eq!(encode(None), "{}");
        assert_eq!(encode(Some(None)), r#"{"parent":null}"#);
        assert_eq!(encode(Some(Some("p1".to_owned()))), r#"{"parent":"p1"}"#);
    }

    #[test]
    fn structs_decode_only_from_objects() {
        let pair: Pair = serde_json::from_str(r#"{"a": "x"}"#).unwrap_or(Pair { a: None, b: None });
        assert_eq!(pair.a.as_deref(), Some("x"));
        assert!(serde_json::from_str::<Pair>("[]").is_err());
        assert!(serde_json::from_str::<Pair>(r#"["x", "y"]"#).is_err());
        assert_eq!(
            serde_json::to_string(&pair).unwrap_or_default(),
            r#"{"a":"x","b":null}"#
        );
    }
}
