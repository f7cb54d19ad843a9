//! Schemas → Rust types: the one place that decides how a shape is typed.

use super::{At, Lowerer, Named};
use crate::error::Error;
use crate::model::{
    Constraints, EnumVariant, ExtraKeys, Field, KeyCount, MemberTag, OtherKeys, RequiredSets,
    TaggedVariant, TypeDef, TypeKind, TypeRef, UntaggedVariant, ValueRule,
};
use crate::naming::{Taken, camel, snake};
use crate::spec::{Additional, Schema, SchemaType, TypeSet};
use crate::suggest;
use serde_json::Value;
use std::collections::BTreeMap;

/// Formats the generator accepts: `date-time` and [`UNIX_TIME_MS`] are
/// typed as times; the other formats of JSON Schema (draft-07) are
/// documentation only (the value stays a `String`, examples of `uri` and
/// `email` are checked). Anything else is an error, so a misspelled
/// `date-time` is not silently a string.
const FORMATS: &[&str] = &[
    "date-time",
    UNIX_TIME_MS,
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// A time as milliseconds since the Unix epoch, on `type: integer` or
/// `type: number`: a `crate::Timestamp`.
const UNIX_TIME_MS: &str = "unix-time-ms";

/// A tagged union found among `oneOf`/`anyOf` members.
pub(super) struct Discriminator {
    /// Wire name of the tag property.
    pub tag: String,
    /// Tag value of each member, in order.
    pub values: Vec<String>,
}

/// Where a property merged from an `allOf` part comes from.
pub(super) struct Origin<'s> {
    /// The named part that declares it, whose name prefixes its inline types.
    owner: Option<String>,
    /// Where the property is written.
    at: At<'s>,
}

impl<'s> Lowerer<'s> {
    /// Follows `$ref`s to the schema that has the content.
    pub(super) fn resolve<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        self.resolve_named(schema)
            .map_or(schema, |named| named.schema)
    }

    /// The named schema that has the content of `schema`, following
    /// `$ref`s, if `schema` refers to one.
    pub(super) fn resolve_named<'a>(&'a self, mut schema: &'a Schema) -> Option<&'a Named<'s>> {
        let mut found = None;
        // The depth bound stops reference cycles (`A: {$ref: B}`, `B: {$ref: A}`),
        // which are reported when the named schemas are lowered.
        for _ in 0..64 {
            match schema
                .reference
                .as_deref()
                .and_then(|name| self.named.get(name))
            {
                Some(named) => {
                    found = Some(named);
                    schema = named.schema;
                }
                None => break,
            }
        }
        found
    }

    /// The single non-null type a schema declares, and whether it may be null.
    fn single_type(&self, schema: &Schema, at: &At) -> Result<(Option<SchemaType>, bool), Error> {
        let mut nullable = schema.nullable.unwrap_or(false);
        let types = match &schema.types {
            None => return Ok((None, nullable)),
            Some(TypeSet::One(t)) => vec![*t],
            Some(TypeSet::Many(list)) => list.clone(),
        };
        let mut others: Vec<SchemaType> = Vec::new();
        for t in types {
            if t == SchemaType::Null {
                nullable = true;
            } else if !others.contains(&t) {
                others.push(t);
            }
        }
        match others.len() {
            0 => Ok((None, nullable)),
            1 => Ok((Some(others[0]), nullable)),
            _ => Err(at.key("type").error(
                "a list of several non-null types is only supported on a named schema or a property (it becomes an untagged enum)",
            )),
        }
    }

    /// If every member is an object with the same single-value string enum
    /// property, the members form a tagged union on that property.
    pub(super) fn discriminator(&self, members: &[Schema]) -> Option<Discriminator> {
        let resolved: Vec<&Schema> = members.iter().map(|m| self.resolve(m)).collect();
        let first = resolved.first()?.properties.as_ref()?;
        'candidates: for (name, _) in first.iter() {
            let mut values = Vec::new();
            for member in &resolved {
                let Some(value) = member
                    .properties
                    .as_ref()
                    .and_then(|p| p.get(name))
                    .and_then(single_string_value)
                else {
                    continue 'candidates;
                };
                let required = member.required.as_ref().is_some_and(|r| r.contains(name));
                if !required || values.contains(&value) {
                    continue 'candidates;
                }
                values.push(value);
            }
            return Some(Discriminator {
                tag: name.clone(),
                values,
            });
        }
        None
    }

    /// Whether every member is a plain string (no enum, no date-time).
    fn all_strings(&self, members: &[Schema]) -> bool {
        let mut strings = not_null(members).peekable();
        strings.peek().is_some()
            && strings.all(|m| {
                let r = self.resolve(m);
                matches!(&r.types, Some(TypeSet::One(SchemaType::String)))
                    && r.enumeration.is_none()
                    && r.format.as_deref() != Some("date-time")
                    && r.one_of.is_none()
                    && r.any_of.is_none()
            })
    }

    /// Whether the members are [`Self::all_strings`] and more than one
    /// besides `null`: a string checked against each. One string beside
    /// `null` is that alternative, optional.
    fn several_strings(&self, members: &[Schema]) -> bool {
        self.all_strings(members) && not_null(members).nth(1).is_some()
    }

    /// Checks keywords that are never allowed together or are unknown in value.
    fn check_keywords(&self, schema: &Schema, at: &At) -> Result<(), Error> {
        self.check_keywords_of(schema, at, false)
    }

    /// [`Self::check_keywords`]; `in_all_of` for a part of an `allOf`,
    /// whose `required` may name properties other parts declare
    /// (`allOf: [{$ref: Base}, {required: [id]}]`), checked once merged.
    fn check_keywords_of(&self, schema: &Schema, at: &At, in_all_of: bool) -> Result<(), Error> {
        if let Some(name) = &schema.reference {
            if !self.named.contains_key(name) {
                let help = suggest::did_you_mean(name, self.named.keys().map(String::as_str));
                return Err(at
                    .key("$ref")
                    .error_with_help(format!("unresolved reference `{name}`"), help));
            }
            let extra = [
                schema.types.is_some().then_some("type"),
                schema.properties.is_some().then_some("properties"),
                schema.items.is_some().then_some("items"),
                schema.one_of.is_some().then_some("oneOf"),
                schema.any_of.is_some().then_some("anyOf"),
                schema.all_of.is_some().then_some("allOf"),
                schema.enumeration.is_some().then_some("enum"),
                schema.pattern.is_some().then_some("pattern"),
                schema.format.is_some().then_some("format"),
                // Constraints next to a `$ref` would apply to this use only,
                // which the generated types cannot say.
                schema.min_length.is_some().then_some("minLength"),
                schema.max_length.is_some().then_some("maxLength"),
                schema.minimum.is_some().then_some("minimum"),
                schema.maximum.is_some().then_some("maximum"),
                schema.min_items.is_some().then_some("minItems"),
                schema.max_items.is_some().then_some("maxItems"),
                schema.unique_items.is_some().then_some("uniqueItems"),
                schema.min_properties.is_some().then_some("minProperties"),
                schema.max_properties.is_some().then_some("maxProperties"),
                schema.required.is_some().then_some("required"),
                schema.always_sent.is_some().then_some("always_sent"),
                schema
                    .additional_properties
                    .is_some()
                    .then_some("additionalProperties"),
                schema
                    .pattern_properties
                    .is_some()
                    .then_some("patternProperties"),
            ];
            if let Some(key) = extra.into_iter().flatten().next() {
                return Err(at.key(key).error(format!(
                    "`$ref` can only be combined with description, title, default and example, not `{key}`"
                )));
            }
        }
        if let Some(format) = &schema.format {
            if !FORMATS.contains(&format.as_str()) {
                return Err(at.key("format").error_with_help(
                    format!(
                        "unsupported format `{format}` (supported: {})",
                        FORMATS.join(", ")
                    ),
                    suggest::did_you_mean(format, FORMATS.iter().copied()),
                ));
            }
            if format == UNIX_TIME_MS {
                check_unix_time(schema, at)?;
            }
        }
        check_bounds(schema, at)?;
        if let Some(properties) = &schema.properties {
            if properties.contains_key("<<") {
                return Err(at.key("properties").key("<<").error(
                    "`<<` is a YAML merge key, which the spec's YAML reader does not expand: it would be a property named `<<`; write the properties out",
                ));
            }
        }
        if let Some(pattern) = &schema.pattern {
            if let Err(problem) = compile_pattern(pattern) {
                return Err(at
                    .key("pattern")
                    .error(format!("invalid ECMA-262 pattern `{pattern}`: {problem}")));
            }
        }
        if let Some(required) = schema.required.as_ref().filter(|_| !in_all_of) {
            let properties = schema.properties.as_ref();
            for (i, name) in required.iter().enumerate() {
                if !properties.is_some_and(|p| p.contains_key(name)) {
                    return Err(at.key("required").index(i).error(format!(
                        "required key `{name}` is not one of the properties"
                    )));
                }
            }
        }
        if !in_all_of {
            check_always_sent(schema, schema.properties.as_ref(), at)?;
        }
        if let Some(pattern_properties) = &schema.pattern_properties {
            for pattern in pattern_properties.keys() {
                if let Err(problem) = compile_pattern(pattern) {
                    return Err(at
                        .key("patternProperties")
                        .key(pattern)
                        .error(format!("invalid ECMA-262 pattern `{pattern}`: {problem}")));
                }
            }
        }
        if let Some(values) = &schema.enumeration {
            if values.is_empty() {
                return Err(at.key("enum").error("an enum needs at least one value"));
            }
        }
        Ok(())
    }

    /// The constraints a schema puts on its own value (not on nested ones).
    pub(super) fn constraints(&self, schema: &Schema) -> Constraints {
        let schema = self.resolve_for_constraints(schema);
        let inferred = infer_type(schema);
        let schema = inferred.as_ref().unwrap_or(schema);
        let mut c = Constraints {
            min_length: schema.min_length,
            max_length: schema.max_length,
            pattern: schema.pattern.clone(),
            minimum: schema.minimum,
            maximum: schema.maximum,
            min_items: schema.min_items,
            max_items: schema.max_items,
            unique_items: schema.unique_items.unwrap_or(false),
            min_properties: schema.min_properties,
            max_properties: schema.max_properties,
            boolean: boolean_enum(schema),
            numbers: number_enum(schema),
            ..Constraints::default()
        };
        let (members, exactly_one) = match (&schema.one_of, &schema.any_of) {
            (Some(m), _) => (Some(m), true),
            (None, Some(m)) => (Some(m), false),
            _ => (None, false),
        };
        if let Some(members) = members {
            let rest: Vec<&Schema> = not_null(members).collect();
            if let [only] = rest[..] {
                // One alternative beside `null`: the value is that
                // alternative (see `union`), with its rules when it is
                // inline (a named type checks its own).
                if only.reference.is_none() && c == Constraints::default() {
                    return self.constraints(only);
                }
                return c;
            }
            if self.all_strings(members) {
                // Each alternative is checked in full, named or not: a
                // `$ref` here brings the referenced type's own rules. A
                // `null` alternative is the `Option` where the value is
                // used.
                c.alternatives = not_null(members)
                    .map(|m| self.constraints(self.resolve(m)))
                    .collect();
                c.exactly_one = exactly_one;
            }
        }
        c
    }

    /// Named newtypes check their own constraints on construction, so a use
    /// through `$ref` adds none; only inline constraints count.
    fn resolve_for_constraints<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        match &schema.reference {
            Some(name) if !self.is_newtype(name) => self.resolve(schema),
            _ => schema,
        }
    }

    /// Whether the named schema becomes a validated string newtype.
    fn is_newtype(&self, name: &str) -> bool {
        let Some(named) = self.named.get(name) else {
            return false;
        };
        let s = self.resolve(named.schema);
        let string = matches!(&s.types, Some(TypeSet::One(SchemaType::String)))
            && s.enumeration.is_none()
            && s.format.as_deref() != Some("date-time");
        let string_union = s
            .one_of
            .as_ref()
            .or(s.any_of.as_ref())
            .is_some_and(|m| self.several_strings(m));
        string || string_union
    }

    /// Lowers a named schema into its type definition.
    pub(super) fn define_named(&mut self, name: &str) -> Result<(), Error> {
        let Some(named) = self.named.get(name) else {
            return Ok(());
        };
        let schema = named.schema;
        let at = named.at.clone();
        let rust_name = named.rust_name.clone();
        let docs = docs_of(schema);
        self.check_keywords(schema, &at)?;

        let kind = if let Some(target) = &schema.reference {
            if self.is_newtype(name) {
                TypeKind::Newtype {
                    constraints: self.constraints(self.resolve(schema)),
                }
            } else {
                let mut chain = vec![name.to_owned()];
                let mut current = target.clone();
                while let Some(next) = self
                    .named
                    .get(&current)
                    .and_then(|n| n.schema.reference.clone())
                {
                    if chain.contains(&current) {
                        return Err(at
                            .key("$ref")
                            .error(format!("reference cycle through `{current}`")));
                    }
                    chain.push(current);
                    current = next;
                }
                if chain.contains(&current) {
                    return Err(at
                        .key("$ref")
                        .error(format!("reference cycle through `{current}`")));
                }
                TypeKind::Alias {
                    target: TypeRef::Named(self.rust_type_name(target)),
                }
            }
        } else if self.is_newtype(name) {
            self.check_members(schema, &at)?;
            TypeKind::Newtype {
                constraints: self.constraints(schema),
            }
        } else {
            match self.shape(schema, &rust_name, &at)? {
                Shape::Defined(kind) => kind,
                Shape::Ref(target) => TypeKind::Alias { target },
            }
        };
        let is_struct = matches!(kind, TypeKind::Struct { .. });
        let tag = self.member_tags.get(&rust_name).cloned();
        self.insert_type(TypeDef {
            name: rust_name,
            docs,
            kind,
            sent: false,
            checks: false,
            tag: tag.filter(|_| is_struct),
        });
        Ok(())
    }

    fn check_members(&self, schema: &Schema, at: &At) -> Result<(), Error> {
        for (key, members) in [("oneOf", &schema.one_of), ("anyOf", &schema.any_of)] {
            for (i, member) in members.iter().flatten().enumerate() {
                self.check_keywords(member, &at.key(key).index(i))?;
            }
        }
        Ok(())
    }

    /// Lowers a schema used in place (an item, a map value, a parameter, a
    /// body). Shapes that need a type of their own get one named `hint`. A
    /// schema that may be `null` (itself, or the named schema it refers
    /// to) is an `Option` of its type.
    pub(super) fn lower_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &At,
    ) -> Result<TypeRef, Error> {
        let ty = self.lower_inline_value(schema, hint, at)?;
        Ok(if self.may_be_null(schema) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    /// Whether a value of `schema` may be `null`: it says so, or the named
    /// schema it refers to does.
    fn may_be_null(&self, schema: &Schema) -> bool {
        let resolved = self.resolve(schema);
        is_nullable(schema)
            || is_nullable(resolved)
            || resolved
                .one_of
                .iter()
                .chain(&resolved.any_of)
                .flatten()
                .any(|member| {
                    let member = self.resolve(member);
                    is_nullable(member) || is_null_only(member)
                })
    }

    /// [`Self::lower_inline`] without the `Option` of a nullable schema:
    /// the type of the value when it is not `null`.
    fn lower_inline_value(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &At,
    ) -> Result<TypeRef, Error> {
        self.check_keywords(schema, at)?;
        if let Some(name) = &schema.reference {
            return Ok(TypeRef::Named(self.rust_type_name(name)));
        }
        // A value of several scalar types with no rule of its own is one
        // type wherever it occurs, named by its types.
        let scalars = plain_scalars(schema);
        let (schema, hint) = match &scalars {
            Some((scalars, name)) => (scalars, name.as_str()),
            None => (schema, hint),
        };
        let made_before = self
            .inline_types
            .get(hint)
            .and_then(|made| made.iter().find(|(s, _)| s == schema));
        if let Some((_, name)) = made_before {
            return Ok(TypeRef::Named(name.clone()));
        }
        match self.shape(schema, hint, at)? {
            Shape::Ref(ty) => Ok(ty),
            Shape::Defined(kind) => {
                let name = self.claim_type_name(hint);
                self.insert_type(TypeDef {
                    name: name.clone(),
                    docs: docs_of(schema),
                    kind,
                    sent: false,
                    checks: false,
                    tag: None,
                });
                self.inline_types
                    .entry(hint.to_owned())
                    .or_default()
                    .push((schema.clone(), name.clone()));
                Ok(TypeRef::Named(name))
            }
        }
    }

    /// Decides how a (non-`$ref`) schema is typed: as an existing Rust type
    /// or as a new definition.
    fn shape(&mut self, schema: &Schema, name: &str, at: &At) -> Result<Shape, Error> {
        let inferred = infer_type(schema);
        let schema = inferred.as_ref().unwrap_or(schema);
        if let Some(parts) = &schema.all_of {
            return self.merge_all_of(schema, parts, name, at);
        }
        let union = match (&schema.one_of, &schema.any_of) {
            (Some(m), _) => Some(("oneOf", m)),
            (None, Some(m)) => Some(("anyOf", m)),
            _ => None,
        };
        if let Some((key, members)) = union {
            if let Some(sets) = self.required_sets(schema, key, members, at)? {
                return self.object(schema, name, at, Some(sets));
            }
            if schema.properties.as_ref().is_some_and(|p| !p.is_empty()) {
                return Err(at.key("properties").error(format!(
                    "properties next to `{key}` alternatives that are more than `required` lists: a value would have to be both an object of these properties and one of the alternatives; put the properties into each alternative (or an `allOf` part)"
                )));
            }
            // Rules of the schema itself, beside its alternatives.
            let own_rules = self.constraints(&Schema {
                one_of: None,
                any_of: None,
                ..schema.clone()
            });
            return self.union(key, members, own_rules.is_empty(), name, at);
        }
        if let Some(TypeSet::Many(list)) = &schema.types {
            let non_null: Vec<SchemaType> = list
                .iter()
                .copied()
                .filter(|t| *t != SchemaType::Null)
                .collect();
            if non_null.len() > 1 {
                let mut taken = Taken::default();
                let variants = self.split_by_type(schema, &non_null, name, at, &mut taken)?;
                return Ok(Shape::Defined(TypeKind::UntaggedUnion { variants }));
            }
        }
        let (ty, nullable) = self.single_type(schema, at)?;
        if let Some(values) = &schema.enumeration {
            // `null` in the enum of a nullable schema is what `Option` says.
            if let Some(i) = values.iter().position(Value::is_null).filter(|_| !nullable) {
                return Err(at.key("enum").index(i).error(
                    "`null` is one of the values, but the schema's type does not allow null; add \"null\" to `type`",
                ));
            }
        }
        match ty {
            Some(SchemaType::String) => {
                if let Some(values) = &schema.enumeration {
                    let mut taken = with_unknown_variant();
                    let mut variants = Vec::new();
                    for (i, value) in values.iter().enumerate() {
                        if value.is_null() {
                            continue;
                        }
                        let Value::String(wire) = value else {
                            return Err(at
                                .key("enum")
                                .index(i)
                                .error("a string enum can only hold strings"));
                        };
                        variants.push(EnumVariant {
                            rust_name: taken.claim(enum_variant_name(wire, &taken)),
                            wire: wire.clone(),
                        });
                    }
                    return Ok(Shape::Defined(TypeKind::Enum { variants }));
                }
                if schema.format.as_deref() == Some("date-time") {
                    return Ok(Shape::Ref(TypeRef::DateTime));
                }
                Ok(Shape::Ref(TypeRef::String))
            }
            Some(t @ (SchemaType::Integer | SchemaType::Number)) => {
                let integer = t == SchemaType::Integer;
                for (i, value) in schema.enumeration.iter().flatten().enumerate() {
                    if value.is_null() {
                        continue;
                    }
                    let fits = if integer {
                        value.is_i64() || value.is_u64() && value.as_i64().is_some()
                    } else {
                        value.is_number()
                    };
                    if !fits {
                        return Err(at.key("enum").index(i).error(format!(
                            "`{value}` is not {} (the schema's type)",
                            if integer { "an integer" } else { "a number" }
                        )));
                    }
                }
                Ok(Shape::Ref(
                    if schema.format.as_deref() == Some(UNIX_TIME_MS) {
                        TypeRef::Timestamp
                    } else if integer {
                        TypeRef::Integer
                    } else {
                        TypeRef::Number
                    },
                ))
            }
            Some(SchemaType::Boolean) => {
                if let Some(values) = &schema.enumeration {
                    if values.iter().any(|v| !v.is_boolean() && !v.is_null()) {
                        return Err(at
                            .key("enum")
                            .error("a boolean enum can only hold booleans"));
                    }
                }
                Ok(Shape::Ref(TypeRef::Boolean))
            }
            Some(SchemaType::Array) => {
                let item = match &schema.items {
                    Some(items) => {
                        self.lower_inline(items, &format!("{name}Item"), &at.key("items"))?
                    }
                    None => TypeRef::Json,
                };
                Ok(Shape::Ref(TypeRef::List(Box::new(item))))
            }
            Some(SchemaType::Object) | None if schema.properties.is_some() => {
                self.object(schema, name, at, None)
            }
            Some(SchemaType::Object) => match self.extra_keys(schema, name, at, &[])? {
                None => Ok(Shape::Ref(TypeRef::Map(Box::new(TypeRef::Json)))),
                // One rule for every key: a map of that type.
                Some(extra) if is_plain_map(&extra) => {
                    Ok(Shape::Ref(TypeRef::Map(Box::new(extra.value.clone()))))
                }
                // Keys with rules of their own: a struct of its extra keys.
                Some(extra) => Ok(Shape::Defined(TypeKind::Struct {
                    fields: Vec::new(),
                    extra: Some(extra),
                    required_sets: None,
                    keys: KeyCount::of(schema),
                })),
            },
            Some(SchemaType::Null) | None => {
                if schema.enumeration.is_some() {
                    return Err(at
                        .key("enum")
                        .error("an enum needs `type` string, integer, number or boolean"));
                }
                Ok(Shape::Ref(TypeRef::Json))
            }
        }
    }

    /// An object with declared properties: a struct of them, with a
    /// flattened map for the other keys when the schema types them, and
    /// the `required` alternatives the fields must meet.
    fn object(
        &mut self,
        schema: &Schema,
        name: &str,
        at: &At,
        required_sets: Option<RequiredSets>,
    ) -> Result<Shape, Error> {
        let skip: Vec<String> = self
            .member_tags
            .get(name)
            .map(|tag| tag.name.clone())
            .into_iter()
            .collect();
        let fields = self.fields(schema, name, at, &skip, &BTreeMap::new())?;
        let extra = self.extra_keys(schema, name, at, &fields)?;
        Ok(Shape::Defined(TypeKind::Struct {
            fields,
            extra,
            required_sets,
            keys: KeyCount::of(schema),
        }))
    }

    /// The rules of an object's keys other than its properties
    /// (`patternProperties`, `additionalProperties`), if it types any:
    /// the map field's name is claimed after `fields`, so no property
    /// can take it.
    fn extra_keys(
        &mut self,
        schema: &Schema,
        name: &str,
        at: &At,
        fields: &[Field],
    ) -> Result<Option<Box<ExtraKeys>>, Error> {
        let hint = format!("{name}Value");
        let others = match &schema.additional_properties {
            Some(Additional::Schema(value)) => OtherKeys::Rule(Box::new(self.value_rule(
                value,
                &hint,
                &at.key("additionalProperties"),
            )?)),
            Some(Additional::Allowed(false)) => OtherKeys::Refused,
            Some(Additional::Allowed(true)) | None => OtherKeys::Any,
        };
        let mut patterns = Vec::new();
        for (pattern, value) in schema.pattern_properties.iter().flatten() {
            let rule = self.value_rule(value, &hint, &at.key("patternProperties").key(pattern))?;
            patterns.push((pattern.clone(), rule));
        }
        if patterns.is_empty() && !matches!(others, OtherKeys::Rule(_)) {
            return Ok(None);
        }
        let mut taken = Taken::default();
        for field in fields {
            taken.claim(field.rust_name.clone());
        }
        let mut extra = ExtraKeys {
            rust_name: taken.claim("extra".to_owned()),
            value: TypeRef::Json,
            patterns,
            others,
        };
        // One type for every key, or any JSON, each value then checked as
        // the type of the patterns its key matches.
        let single = {
            let mut types = extra.rules().map(|rule| &rule.ty);
            types
                .next()
                .filter(|first| types.all(|ty| ty == *first))
                .cloned()
        };
        if let Some(single) = single {
            extra.value = single;
        }
        Ok(Some(Box::new(extra)))
    }

    /// The type and constraints of the values of a map or of extra keys.
    fn value_rule(&mut self, schema: &Schema, hint: &str, at: &At) -> Result<ValueRule, Error> {
        Ok(ValueRule {
            ty: self.lower_inline(schema, hint, at)?,
            constraints: self.field_constraints(schema),
        })
    }

    /// `oneOf`/`anyOf` alternatives that only list `required` properties
    /// of the object (and maybe restate some of them as declared): "at
    /// least one of" (or "exactly one of") these sets of fields. `None`
    /// when the alternatives are anything more.
    fn required_sets(
        &self,
        schema: &Schema,
        key: &str,
        members: &[Schema],
        at: &At,
    ) -> Result<Option<RequiredSets>, Error> {
        // Alternatives of an object of no properties are objects of their own.
        if schema.properties.is_none() || members.is_empty() || !members.iter().all(only_requires) {
            return Ok(None);
        }
        let properties = schema.properties.as_ref();
        let declared = || properties.into_iter().flatten().map(|(k, _)| k.as_str());
        let mut sets = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = at.key(key).index(i);
            self.check_keywords_of(member, &member_at, true)?;
            for (j, name) in member.required.iter().flatten().enumerate() {
                if !properties.is_some_and(|p| p.contains_key(name)) {
                    return Err(member_at.key("required").index(j).error_with_help(
                        format!("`{name}` is not one of the object's properties, so no value could have it"),
                        suggest::did_you_mean(name, declared()),
                    ));
                }
            }
            for (name, restated) in member.properties.iter().flatten() {
                let here = member_at.key("properties").key(name);
                match properties.and_then(|p| p.get(name)) {
                    None => {
                        return Err(here.error_with_help(
                            format!("`{name}` is not one of the object's properties"),
                            suggest::did_you_mean(name, declared()),
                        ));
                    }
                    Some(own) if without_docs(own) != without_docs(restated) => {
                        return Err(here.error(format!(
                            "`{name}` is restated differently from the object's own `{name}`; one field cannot follow both: put the rule on the object's property"
                        )));
                    }
                    Some(_) => {}
                }
            }
            sets.push(member.required.clone().unwrap_or_default());
        }
        Ok(Some(RequiredSets {
            sets,
            exactly_one: key == "oneOf",
        }))
    }

    /// The variants of a value of several JSON types (`type: [string,
    /// number]`): one per type, each the schema narrowed to that type (its
    /// `enum` to the values of that type; a type none of whose values is
    /// listed has no variant). Names are claimed in `taken`.
    fn split_by_type(
        &mut self,
        schema: &Schema,
        types: &[SchemaType],
        name: &str,
        at: &At,
        taken: &mut Taken,
    ) -> Result<Vec<UntaggedVariant>, Error> {
        let mut variants = Vec::new();
        for t in types {
            let mut narrowed = Schema {
                types: Some(TypeSet::One(*t)),
                nullable: None,
                title: None,
                description: None,
                example: None,
                default: None,
                ..schema.clone()
            };
            keep_keywords_of(&mut narrowed, *t);
            if let Some(values) = &schema.enumeration {
                let kept: Vec<Value> = values
                    .iter()
                    .filter(|v| value_is_of_type(v, *t))
                    .cloned()
                    .collect();
                if kept.is_empty() {
                    continue;
                }
                narrowed.enumeration = Some(kept);
            }
            let word = type_word(*t);
            let rust_name = taken.claim(word.to_owned());
            let ty = self.lower_inline(&narrowed, &format!("{name}{rust_name}"), at)?;
            variants.push(UntaggedVariant {
                rust_name,
                ty,
                constraints: self.constraints(&narrowed),
            });
        }
        Ok(variants)
    }

    /// The fields of an object schema. `skip` names properties left out
    /// (the tag of a tagged-union member, which the enum writes itself);
    /// `origins` says where properties merged from `allOf` parts are.
    pub(super) fn fields(
        &mut self,
        schema: &Schema,
        owner: &str,
        at: &At,
        skip: &[String],
        origins: &BTreeMap<String, Origin>,
    ) -> Result<Vec<Field>, Error> {
        let mut taken = Taken::default();
        let mut fields = Vec::new();
        // What the server always sends is typed as if required, after what
        // the schema requires (the order of a constructor's arguments).
        let mut required = schema.required.clone().unwrap_or_default();
        for name in schema.always_sent.iter().flatten() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        for (wire, property) in schema.properties.iter().flatten() {
            if skip.contains(wire) {
                continue;
            }
            let origin = origins.get(wire);
            let at = match origin {
                Some(origin) => origin.at.clone(),
                None => at.key("properties").key(wire),
            };
            // A field that may be null is an optional field (`None` for
            // null and for absent), not an `Option` inside one.
            let nullable = self.may_be_null(property);
            let prefix = origin.and_then(|o| o.owner.as_deref()).unwrap_or(owner);
            // The shared name, unless another type has it (then the
            // property keeps a type of its own, named after its place).
            let constant = one_string_value(property, wire).filter(|(schema, name)| {
                if !self.shared_constants.contains(name) {
                    return false;
                }
                let made = self
                    .inline_types
                    .get(name)
                    .is_some_and(|made| made.iter().any(|(s, _)| s == schema));
                made || !self
                    .type_names
                    .contains(&crate::naming::shorten_type_name(camel(name)))
            });
            let (typed, hint) = match &constant {
                Some((schema, name)) => (schema, name.clone()),
                None => (property, format!("{prefix}{}", camel(wire))),
            };
            // A mistake in one property does not hide those of the others.
            let lowered = self.lower_inline_value(typed, &hint, &at);
            let Some(ty) = self.keep(lowered)? else {
                continue;
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name: taken.claim(snake(wire)),
                docs: field_docs(property),
                ty,
                required: required.contains(wire) && !nullable,
                sent_as_null: required.contains(wire) && nullable,
                may_be_null: nullable,
                required_position: required
                    .iter()
                    .position(|r| r == wire)
                    .unwrap_or(usize::MAX),
                default: property.default.clone(),
                constraints: self.field_constraints(property),
            });
        }
        Ok(fields)
    }

    /// Constraints of a field: its own, and for arrays and maps those of
    /// each item.
    fn field_constraints(&self, schema: &Schema) -> Constraints {
        self.nested_constraints(schema, 0)
    }

    /// [`Self::field_constraints`] at `depth` levels of items. A list or
    /// map of itself (refused once every named schema is lowered, see
    /// [`Lowerer::check_alias_cycles`]) would nest without end, and the
    /// bound is far past any real nesting of arrays.
    fn nested_constraints(&self, schema: &Schema, depth: usize) -> Constraints {
        let mut c = self.constraints(schema);
        if depth > 64 {
            return c;
        }
        let resolved = self.resolve_for_constraints(schema);
        let item = resolved
            .items
            .as_deref()
            .or_else(|| {
                resolved
                    .pattern_properties
                    .as_ref()
                    .and_then(|p| p.values().next())
            })
            .or(match &resolved.additional_properties {
                Some(Additional::Schema(s)) => Some(s.as_ref()),
                _ => None,
            });
        if let Some(item) = item {
            let item_constraints = self.nested_constraints(item, depth + 1);
            if !item_constraints.is_empty() {
                c.items = Some(Box::new(item_constraints));
            }
        }
        c
    }

    fn merge_all_of(
        &mut self,
        schema: &Schema,
        parts: &[Schema],
        name: &str,
        at: &At,
    ) -> Result<Shape, Error> {
        let mut merged = Schema {
            types: Some(TypeSet::One(SchemaType::Object)),
            properties: Some(BTreeMap::new()),
            required: Some(Vec::new()),
            ..Schema::default()
        };
        let mut origins = BTreeMap::new();
        // Which part declared each property, to refuse two declarations
        // that disagree rather than keep the last.
        let mut declared_by: BTreeMap<String, usize> = BTreeMap::new();
        for (i, part) in parts.iter().enumerate() {
            let part_at = at.key("allOf").index(i);
            self.check_keywords_of(part, &part_at, true)?;
            let resolved = self.resolve(part).clone();
            // A part with only `required` (no type of its own) requires
            // properties of the other parts.
            let is_object = resolved.properties.is_some()
                || matches!(&resolved.types, Some(TypeSet::One(SchemaType::Object)))
                || (resolved.types.is_none()
                    && resolved.required.is_some()
                    && resolved.items.is_none()
                    && resolved.enumeration.is_none());
            if !is_object {
                return Err(part_at.error("allOf is only supported for objects"));
            }
            // Properties of a named part keep that part's name as the
            // prefix of their inline types, so they are the part's types.
            let part_owner = part.reference.as_deref().map(|n| self.rust_type_name(n));
            // A property is reported where it is written: in the part, or
            // in the named schema the part refers to.
            let written_at = self
                .resolve_named(part)
                .map_or(&part_at, |named| &named.at)
                .clone();
            for (key, value) in resolved.properties.into_iter().flatten() {
                let merged_properties = merged.properties.get_or_insert_default();
                if let Some(before) = merged_properties.get(&key) {
                    if *before != value {
                        let first = declared_by.get(&key).copied().unwrap_or_default();
                        return Err(part_at.error(format!(
                            "property `{key}` is declared differently by allOf parts {first} and {i}; one value cannot meet both"
                        )));
                    }
                }
                declared_by.insert(key.clone(), i);
                let origin = Origin {
                    owner: part_owner.clone(),
                    at: written_at.key("properties").key(&key),
                };
                origins.insert(key.clone(), origin);
                merged_properties.insert(key, value);
            }
            merged
                .required
                .get_or_insert_default()
                .extend(resolved.required.into_iter().flatten());
            merged
                .always_sent
                .get_or_insert_default()
                .extend(resolved.always_sent.into_iter().flatten());
        }
        for (key, value) in schema.properties.iter().flatten() {
            origins.remove(key);
            merged
                .properties
                .get_or_insert_default()
                .insert(key.clone(), value.clone());
        }
        merged
            .required
            .get_or_insert_default()
            .extend(schema.required.iter().flatten().cloned());
        merged
            .always_sent
            .get_or_insert_default()
            .extend(schema.always_sent.iter().flatten().cloned());
        for (i, part) in parts.iter().enumerate() {
            let resolved = self.resolve(part);
            check_always_sent(
                resolved,
                merged.properties.as_ref(),
                &at.key("allOf").index(i),
            )?;
            for (j, name) in resolved.required.iter().flatten().enumerate() {
                if !merged
                    .properties
                    .as_ref()
                    .is_some_and(|p| p.contains_key(name))
                {
                    return Err(at
                        .key("allOf")
                        .index(i)
                        .key("required")
                        .index(j)
                        .error(format!(
                            "required key `{name}` is not a property of any allOf part"
                        )));
                }
            }
        }
        let fields = self.fields(&merged, name, at, &[], &origins)?;
        Ok(Shape::Defined(TypeKind::Struct {
            fields,
            extra: None,
            required_sets: None,
            keys: KeyCount::of(&merged),
        }))
    }

    fn union(
        &mut self,
        key: &str,
        members: &[Schema],
        no_own_rules: bool,
        name: &str,
        at: &At,
    ) -> Result<Shape, Error> {
        if members.is_empty() {
            return Err(at.key(key).error("needs at least one alternative"));
        }
        for (i, member) in members.iter().enumerate() {
            self.check_keywords(member, &at.key(key).index(i))?;
        }
        if self.several_strings(members) {
            return Ok(Shape::Ref(TypeRef::String));
        }
        if let Some(found) = self.discriminator(members) {
            let mut taken = with_unknown_variant();
            let mut variants = Vec::new();
            for (i, (member, value)) in members.iter().zip(&found.values).enumerate() {
                let rust_name = taken.claim(camel(value));
                let ty = match &member.reference {
                    Some(target) => self.rust_type_name(target),
                    None => {
                        let member_name = self.claim_type_name(&format!("{name}{rust_name}"));
                        let fields = self.fields(
                            member,
                            &member_name,
                            &at.key(key).index(i),
                            std::slice::from_ref(&found.tag),
                            &BTreeMap::new(),
                        )?;
                        self.insert_type(TypeDef {
                            name: member_name.clone(),
                            docs: docs_of(member),
                            kind: TypeKind::Struct {
                                fields,
                                extra: None,
                                required_sets: None,
                                keys: KeyCount::of(member),
                            },
                            sent: false,
                            checks: false,
                            tag: Some(MemberTag {
                                name: found.tag.clone(),
                                value: value.clone(),
                            }),
                        });
                        member_name
                    }
                };
                variants.push(TaggedVariant {
                    rust_name,
                    tag_value: value.clone(),
                    ty,
                });
            }
            return Ok(Shape::Defined(TypeKind::TaggedUnion {
                tag: found.tag,
                variants,
            }));
        }
        let mut taken = Taken::default();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = at.key(key).index(i);
            // A `null` alternative makes the union nullable (an `Option`
            // where it is used), not a variant.
            if member.reference.is_none() && is_null_only(member) {
                continue;
            }
            let non_null = match &member.types {
                Some(TypeSet::Many(list)) => {
                    let non_null: Vec<SchemaType> = list
                        .iter()
                        .copied()
                        .filter(|t| *t != SchemaType::Null)
                        .collect();
                    non_null
                }
                _ => Vec::new(),
            };
            if member.reference.is_none() && non_null.len() > 1 {
                // `{type: [string, number]}`: a variant per type.
                let split = self.split_by_type(member, &non_null, name, &member_at, &mut taken)?;
                variants.extend(split);
                continue;
            }
            let word = match (&member.reference, member.enumeration.as_deref()) {
                (Some(target), _) => self.rust_type_name(target),
                // `{enum: [$custom]}` beside a pattern: the variant is that
                // one value (`Custom`), not a second `String`.
                (None, Some([Value::String(value)])) => camel(value),
                (None, _) => match self.single_type(member, &member_at)?.0 {
                    Some(t) => type_word(t).to_owned(),
                    None => "Value".to_owned(),
                },
            };
            let rust_name = taken.claim(word);
            // The variant's own `null` is the union's (see above).
            let ty = self.lower_inline_value(member, &format!("{name}{rust_name}"), &member_at)?;
            variants.push(UntaggedVariant {
                rust_name,
                ty,
                constraints: self.constraints(member),
            });
        }
        if variants.is_empty() {
            return Err(at.key(key).error("needs an alternative other than `null`"));
        }
        // One alternative and `null` (`oneOf: [{$ref: ParentId}, {type:
        // null}]`) is that alternative where it is used, made optional by
        // the `null`: a union of one variant would only wrap it. An inline
        // alternative's rules become the value's (`constraints`), unless
        // the schema has rules of its own beside it.
        let inline = || not_null(members).all(|m| m.reference.is_none());
        if let [only] = variants.as_slice()
            && (only.constraints.is_empty() || (no_own_rules && inline()))
        {
            return Ok(Shape::Ref(only.ty.clone()));
        }
        Ok(Shape::Defined(TypeKind::UntaggedUnion { variants }))
    }
}

/// Compiles `pattern` as the client will: in Unicode mode when it uses
/// what only Unicode mode knows (`\p{L}`, `\u{..}`), else without flags
/// (the rule of the client's `pattern` module).
pub(super) fn compile_pattern(pattern: &str) -> Result<regress::Regex, regress::Error> {
    let unicode = ["\\p{", "\\P{", "\\u{"].iter().any(|s| pattern.contains(s));
    regress::Regex::with_flags(pattern, if unicode { "u" } else { "" })
}

/// Numeric bounds must be finite, fit the integer type they bound, and
/// leave room for a value: `minimum > maximum` (or the same for lengths,
/// item and property counts) would refuse every value.
fn check_bounds(schema: &Schema, at: &At) -> Result<(), Error> {
    let integer = matches!(&schema.types, Some(TypeSet::One(SchemaType::Integer)));
    for (key, value) in [("minimum", schema.minimum), ("maximum", schema.maximum)] {
        let Some(value) = value else { continue };
        if !value.is_finite() {
            return Err(at
                .key(key)
                .error(format!("`{value}` is not a finite number")));
        }
        // i64 spans [-2^63, 2^63); both ends are exact in an f64.
        if integer && !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&value)
        {
            return Err(at.key(key).error(format!(
                "`{value}` is beyond the range of the 64-bit integers (i64) this integer is typed as"
            )));
        }
    }
    if let (Some(min), Some(max)) = (schema.minimum, schema.maximum) {
        if min > max {
            return Err(at.key("minimum").error(format!(
                "`minimum` {min} is greater than `maximum` {max}: no value meets both"
            )));
        }
    }
    for (min_key, min, max_key, max) in [
        (
            "minLength",
            schema.min_length,
            "maxLength",
            schema.max_length,
        ),
        ("minItems", schema.min_items, "maxItems", schema.max_items),
        (
            "minProperties",
            schema.min_properties,
            "maxProperties",
            schema.max_properties,
        ),
    ] {
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                return Err(at.key(min_key).error(format!(
                    "`{min_key}` {min} is greater than `{max_key}` {max}: no value meets both"
                )));
            }
        }
    }
    Ok(())
}

/// What a schema becomes.
enum Shape {
    /// An existing type (`String`, `Vec<T>`, a named type).
    Ref(TypeRef),
    /// A new definition, to be given a name.
    Defined(TypeKind),
}

fn type_word(t: SchemaType) -> &'static str {
    match t {
        SchemaType::String => "String",
        SchemaType::Number => "Number",
        SchemaType::Integer => "Integer",
        SchemaType::Boolean => "Boolean",
        SchemaType::Object => "Object",
        SchemaType::Array => "Array",
        SchemaType::Null => "Null",
    }
}

/// The variant names of an enum that keeps what it does not know in a
/// generated `Unknown` variant: a value called `Unknown` becomes `Unknown2`.
pub(super) fn with_unknown_variant() -> Taken {
    let mut taken = Taken::default();
    taken.claim("Unknown".to_owned());
    taken
}

/// A variant name for an enum value; values that differ only in case
/// (`asc`, `ASC`) keep apart as `Asc` and `AscUpper`.
fn enum_variant_name(wire: &str, taken: &Taken) -> String {
    let name = camel(wire);
    if taken.contains(&name)
        && wire.chars().any(|c| c.is_ascii_uppercase())
        && wire == wire.to_uppercase()
    {
        format!("{name}Upper")
    } else {
        name
    }
}

/// Whether a property may be `null`: `nullable: true` or `"null"` among its
/// types. A nullable property is an `Option` even when required.
fn is_nullable(schema: &Schema) -> bool {
    schema.nullable.unwrap_or(false)
        || matches!(&schema.types, Some(TypeSet::Many(l)) if l.contains(&SchemaType::Null))
}

/// `enum: [x]` with one string value: the tag of a tagged-union member.
fn single_string_value(schema: &Schema) -> Option<String> {
    match schema.enumeration.as_deref() {
        Some([Value::String(value)]) => Some(value.clone()),
        _ => None,
    }
}

/// The one value a boolean `enum` allows; none when it allows both (or
/// is no boolean enum).
fn boolean_enum(schema: &Schema) -> Option<bool> {
    let mut values = schema.enumeration.iter().flatten().filter(|v| !v.is_null());
    let first = values.next()?.as_bool()?;
    values.all(|v| v.as_bool() == Some(first)).then_some(first)
}

/// The values a number or integer `enum` allows (checked to be numbers
/// when the schema is lowered); empty for any other schema.
fn number_enum(schema: &Schema) -> Vec<f64> {
    match (&schema.types, &schema.enumeration) {
        (Some(TypeSet::One(SchemaType::Integer | SchemaType::Number)), Some(values)) => {
            values.iter().filter_map(Value::as_f64).collect()
        }
        _ => Vec::new(),
    }
}

/// Doc text of a schema: title and description, as written.
pub(super) fn docs_of(schema: &Schema) -> Option<String> {
    match (&schema.title, &schema.description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    }
}

/// `format: unix-time-ms` is a time only on one numeric type, and takes no
/// bounds or enum: a `Timestamp` is compared by nothing the client checks.
fn check_unix_time(schema: &Schema, at: &At) -> Result<(), Error> {
    let numeric = |t: &SchemaType| matches!(t, SchemaType::Integer | SchemaType::Number);
    let fits = match &schema.types {
        Some(TypeSet::One(t)) => numeric(t),
        Some(TypeSet::Many(list)) => {
            let mut non_null = list.iter().filter(|t| **t != SchemaType::Null);
            non_null.next().is_some_and(numeric) && non_null.next().is_none()
        }
        None => false,
    };
    if !fits {
        return Err(at.key("format").error(format!(
            "format `{UNIX_TIME_MS}` needs `type: integer` or `type: number` (milliseconds since the epoch)"
        )));
    }
    let extra = [
        schema.minimum.is_some().then_some("minimum"),
        schema.maximum.is_some().then_some("maximum"),
        schema.enumeration.is_some().then_some("enum"),
    ];
    if let Some(key) = extra.into_iter().flatten().next() {
        return Err(at.key(key).error(format!(
            "`{key}` is not supported next to format `{UNIX_TIME_MS}`"
        )));
    }
    Ok(())
}

/// `always_sent` names only properties of the object (for an `allOf`
/// part, of the merged object).
fn check_always_sent(
    schema: &Schema,
    properties: Option<&BTreeMap<String, Schema>>,
    at: &At,
) -> Result<(), Error> {
    for (i, name) in schema.always_sent.iter().flatten().enumerate() {
        if !properties.is_some_and(|p| p.contains_key(name)) {
            let help = suggest::did_you_mean(
                name,
                properties.into_iter().flatten().map(|(k, _)| k.as_str()),
            );
            return Err(at.key("always_sent").index(i).error_with_help(
                format!("`always_sent` names `{name}`, which is not one of the properties"),
                help,
            ));
        }
    }
    Ok(())
}

/// `schema` with a `type` said by its other keywords, when it has none:
/// the types of its `enum` values (and `null`), `array` for `items`,
/// `object` for `patternProperties` or an `additionalProperties` schema
/// (`properties` alone already make an object). `None`: nothing to add.
fn infer_type(schema: &Schema) -> Option<Schema> {
    if schema.types.is_some()
        || schema.reference.is_some()
        || schema.one_of.is_some()
        || schema.any_of.is_some()
        || schema.all_of.is_some()
    {
        return None;
    }
    let types = if let Some(values) = &schema.enumeration {
        let mut types: Vec<SchemaType> = Vec::new();
        for value in values {
            let t = match value {
                Value::String(_) => SchemaType::String,
                Value::Number(n) if n.is_i64() || n.is_u64() => SchemaType::Integer,
                Value::Number(_) => SchemaType::Number,
                Value::Bool(_) => SchemaType::Boolean,
                Value::Null => SchemaType::Null,
                // An object or array value: refused as an enum of no type.
                Value::Array(_) | Value::Object(_) => return None,
            };
            if !types.contains(&t) {
                types.push(t);
            }
        }
        // Integers among numbers are numbers.
        if types.contains(&SchemaType::Number) {
            types.retain(|t| *t != SchemaType::Integer);
        }
        match types.as_slice() {
            [one] => TypeSet::One(*one),
            _ => TypeSet::Many(types),
        }
    } else if schema.items.is_some() {
        TypeSet::One(SchemaType::Array)
    } else if schema.pattern_properties.is_some()
        || matches!(schema.additional_properties, Some(Additional::Schema(_)))
    {
        TypeSet::One(SchemaType::Object)
    } else {
        return None;
    };
    Some(Schema {
        types: Some(types),
        ..schema.clone()
    })
}

/// Whether JSON `value` is of type `t` (an integer is a number too).
fn value_is_of_type(value: &Value, t: SchemaType) -> bool {
    match t {
        SchemaType::String => value.is_string(),
        SchemaType::Integer => value.is_i64() || value.is_u64(),
        SchemaType::Number => value.is_number(),
        SchemaType::Boolean => value.is_boolean(),
        SchemaType::Null => value.is_null(),
        SchemaType::Object => value.is_object(),
        SchemaType::Array => value.is_array(),
    }
}

/// The alternatives of a union other than a `{type: "null"}` one.
fn not_null(members: &[Schema]) -> impl Iterator<Item = &Schema> {
    members
        .iter()
        .filter(|m| m.reference.is_some() || !is_null_only(m))
}

/// `{type: "null"}` (with docs at most): an alternative that only allows `null`.
fn is_null_only(schema: &Schema) -> bool {
    let only_null = match &schema.types {
        Some(TypeSet::One(SchemaType::Null)) => true,
        Some(TypeSet::Many(list)) => list.iter().all(|t| *t == SchemaType::Null),
        _ => false,
    };
    only_null && {
        let rest = Schema {
            types: None,
            ..without_docs(schema)
        };
        rest == Schema::default()
    }
}

/// A `oneOf`/`anyOf` alternative that only says which properties of the
/// object must be present (`{required: [email]}`), maybe restating some
/// of them.
fn only_requires(member: &Schema) -> bool {
    if member.reference.is_some() || member.required.is_none() {
        return false;
    }
    let mut rest = without_docs(member);
    rest.required = None;
    rest.properties = None;
    if matches!(rest.types, Some(TypeSet::One(SchemaType::Object))) {
        rest.types = None;
    }
    rest == Schema::default()
}

/// The names of the [`one_string_value`] types whose properties occur in
/// more than one place of the spec's schemas, at any depth.
pub(super) fn shared_constants(spec: &crate::spec::Spec) -> std::collections::HashSet<String> {
    fn walk(schema: &Schema, seen: &mut BTreeMap<String, usize>) {
        for (wire, property) in schema.properties.iter().flatten() {
            if let Some((_, name)) = one_string_value(property, wire) {
                *seen.entry(name).or_default() += 1;
            }
            walk(property, seen);
        }
        let nested = schema
            .pattern_properties
            .iter()
            .flat_map(|p| p.values())
            .chain(schema.items.as_deref())
            .chain(match &schema.additional_properties {
                Some(Additional::Schema(inner)) => Some(inner.as_ref()),
                _ => None,
            })
            .chain(schema.one_of.iter().flatten())
            .chain(schema.any_of.iter().flatten())
            .chain(schema.all_of.iter().flatten());
        for inner in nested {
            walk(inner, seen);
        }
    }
    let mut seen = BTreeMap::new();
    for file in &spec.schemas {
        for schema in file.value.values() {
            walk(schema, &mut seen);
        }
    }
    seen.into_iter()
        .filter(|(_, count)| *count > 1)
        .map(|(name, _)| name)
        .collect()
}

/// A property that holds one string and nothing else (`category:
/// { type: string, enum: [trigger] }`, with docs or a default at most) as
/// the one schema every such property of that name and value shares, and
/// its name: the value and the property (`TriggerCategory`,
/// `SetOperation`), once where the value ends with the property's name
/// (`DashboardDuration`). Its docs and default stay the field's.
fn one_string_value(property: &Schema, wire: &str) -> Option<(Schema, String)> {
    let Some([Value::String(value)]) = property.enumeration.as_deref() else {
        return None;
    };
    if property.types != Some(TypeSet::One(SchemaType::String)) {
        return None;
    }
    let bare = Schema {
        types: None,
        enumeration: None,
        nullable: None,
        default: None,
        ..without_docs(property)
    };
    if bare != Schema::default() {
        return None;
    }
    let (value_name, property_name) = (camel(value), camel(wire));
    let name = if value_name.ends_with(&property_name) {
        value_name
    } else {
        format!("{value_name}{property_name}")
    };
    let shared = Schema {
        types: property.types.clone(),
        enumeration: property.enumeration.clone(),
        description: Some(format!("A `{wire}` that is always `{value}`.")),
        ..Schema::default()
    };
    Some((shared, name))
}

/// A value of several scalar types and nothing else (`type: [string,
/// number, boolean, "null"]`, with docs at most) as the one schema of
/// those types that every such value shares, and its name: the types in a
/// fixed order (`StringOrNumber`, `StringNumberOrBoolean`). Whether `null`
/// is allowed is the field's business, not the shared type's.
fn plain_scalars(schema: &Schema) -> Option<(Schema, String)> {
    let Some(TypeSet::Many(types)) = &schema.types else {
        return None;
    };
    let bare = Schema {
        types: None,
        nullable: None,
        default: None,
        ..without_docs(schema)
    };
    if bare != Schema::default() {
        return None;
    }
    let order = [
        SchemaType::String,
        SchemaType::Number,
        SchemaType::Integer,
        SchemaType::Boolean,
    ];
    if types
        .iter()
        .any(|t| *t != SchemaType::Null && !order.contains(t))
    {
        return None;
    }
    let kinds: Vec<SchemaType> = order.into_iter().filter(|t| types.contains(t)).collect();
    let (last, first) = kinds.split_last()?;
    if first.is_empty() {
        return None;
    }
    let words: Vec<&str> = first.iter().map(|t| type_word(*t)).collect();
    let name = format!("{}Or{}", words.concat(), type_word(*last));
    let phrase = |t: &SchemaType| match t {
        SchemaType::Integer => "an integer",
        SchemaType::Number => "a number",
        SchemaType::Boolean => "a boolean",
        _ => "a string",
    };
    let listed: Vec<&str> = first.iter().map(phrase).collect();
    let description = format!("{} or {}.", listed.join(", "), phrase(last));
    let shared = Schema {
        types: Some(TypeSet::Many(kinds)),
        description: Some(format!("A{}", &description[1..])),
        ..Schema::default()
    };
    Some((shared, name))
}

/// `schema` without what only documents it.
fn without_docs(schema: &Schema) -> Schema {
    Schema {
        title: None,
        description: None,
        example: None,
        ..schema.clone()
    }
}

/// Whether extra keys with these rules are a plain map: one pattern whose
/// type every other key is taken to have, or an `additionalProperties`
/// schema alone.
fn is_plain_map(extra: &ExtraKeys) -> bool {
    matches!(
        (&extra.patterns[..], &extra.others),
        ([_], OtherKeys::Any) | ([], OtherKeys::Rule(_))
    )
}

impl Lowerer<'_> {
    /// Puts the variants of every untagged union in decoding order
    /// ([`in_decoding_order`]). Done once every type is made: the order
    /// reads the variants' own types, and a union made before them would
    /// otherwise be ordered by what happened to be made first.
    pub(super) fn order_untagged_variants(&mut self) {
        let ordered: Vec<(String, Vec<UntaggedVariant>)> = self
            .types
            .iter()
            .filter_map(|(name, def)| match &def.kind {
                TypeKind::UntaggedUnion { variants } => {
                    Some((name.clone(), in_decoding_order(self, variants.clone())))
                }
                _ => None,
            })
            .collect();
        for (name, ordered) in ordered {
            if let Some(TypeKind::UntaggedUnion { variants }) =
                self.types.get_mut(&name).map(|def| &mut def.kind)
            {
                *variants = ordered;
            }
        }
    }
}

/// The variants of an untagged union in the order serde tries them, which
/// decides what a value decodes as: structs that require more properties
/// before those that require fewer (a struct ignores properties it does
/// not declare, so a value of a larger alternative would otherwise be read
/// as a smaller one), then free-form objects, integers before numbers (an
/// integer read as `f64` would be sent back as `1.0`), and any JSON last;
/// otherwise as written.
fn in_decoding_order(
    lowerer: &Lowerer,
    mut variants: Vec<UntaggedVariant>,
) -> Vec<UntaggedVariant> {
    let rank = |variant: &UntaggedVariant| -> (u8, usize) {
        let mut ty = &variant.ty;
        // Through aliases to what decodes.
        for _ in 0..64 {
            match ty {
                TypeRef::Named(name) => match lowerer.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Alias { target }) => ty = target,
                    _ => break,
                },
                _ => break,
            }
        }
        match ty {
            TypeRef::Named(name) => match lowerer.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct { fields, .. }) => {
                    let required = fields.iter().filter(|f| f.required).count();
                    (1, usize::MAX - required)
                }
                _ => (0, 0),
            },
            TypeRef::Map(_) => (2, 0),
            TypeRef::Number => (1, 0),
            TypeRef::Json => (3, 0),
            _ => (0, 0),
        }
    };
    variants.sort_by_key(|v| rank(v));
    variants
}

/// Doc text of a property: its own, and the format it is written in when
/// that format does not type it (`hostname`, `uri`): documentation only.
fn field_docs(property: &Schema) -> Option<String> {
    let docs = docs_of(property);
    let Some(format) = property
        .format
        .as_deref()
        .filter(|f| !["date-time", UNIX_TIME_MS].contains(f))
    else {
        return docs;
    };
    let note = format!("Format: {format} (not checked by the client).");
    Some(match docs {
        // The docs end a sentence before the note starts one.
        Some(docs) if docs.trim_end().ends_with(['.', '!', '?']) => format!("{docs}\n\n{note}"),
        Some(docs) => format!("{}.\n\n{note}", docs.trim_end()),
        None => note,
    })
}

/// Clears the keywords of `schema` that do not apply to values of type
/// `t` (JSON Schema applies each keyword to one type only), so a variant
/// of a type list carries only its own.
fn keep_keywords_of(schema: &mut Schema, t: SchemaType) {
    if t != SchemaType::String {
        schema.min_length = None;
        schema.max_length = None;
        schema.pattern = None;
    }
    let numeric = matches!(t, SchemaType::Integer | SchemaType::Number);
    if !numeric {
        schema.minimum = None;
        schema.maximum = None;
    }
    if !(t == SchemaType::String || numeric && schema.format.as_deref() == Some(UNIX_TIME_MS)) {
        schema.format = None;
    }
    if t != SchemaType::Array {
        schema.items = None;
        schema.min_items = None;
        schema.max_items = None;
        schema.unique_items = None;
    }
    if t != SchemaType::Object {
        schema.properties = None;
        schema.required = None;
        schema.always_sent = None;
        schema.additional_properties = None;
        schema.pattern_properties = None;
        schema.min_properties = None;
        schema.max_properties = None;
    }
}
