//! Schemas → Rust types: the one place that decides how a shape is typed.

use super::{At, Lowerer, Named};
use crate::error::Error;
use crate::model::{
    Constraints, EnumVariant, Field, MemberTag, TaggedVariant, TypeDef, TypeKind, TypeRef,
    UntaggedVariant,
};
use crate::naming::{Taken, camel, snake};
use crate::spec::{Additional, Schema, SchemaType, TypeSet};
use crate::suggest;
use serde_json::Value;
use std::collections::BTreeMap;

/// Formats the generator understands; anything else is an error.
const FORMATS: &[&str] = &["date-time", "uri", "email", UNIX_TIME_MS];

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
        members.iter().all(|m| {
            let r = self.resolve(m);
            matches!(&r.types, Some(TypeSet::One(SchemaType::String)))
                && r.enumeration.is_none()
                && r.format.as_deref() != Some("date-time")
                && r.one_of.is_none()
                && r.any_of.is_none()
        })
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
                return Err(at.key("format").error(format!(
                    "unsupported format `{format}` (supported: {})",
                    FORMATS.join(", ")
                )));
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
            if self.all_strings(members) {
                // Each alternative is checked in full, named or not: a
                // `$ref` here brings the referenced type's own rules.
                c.alternatives = members
                    .iter()
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
            .is_some_and(|m| self.all_strings(m));
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
        is_nullable(schema) || is_nullable(self.resolve(schema))
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
        if let Some(parts) = &schema.all_of {
            return self.merge_all_of(schema, parts, name, at);
        }
        let union = match (&schema.one_of, &schema.any_of) {
            (Some(m), _) => Some(("oneOf", m)),
            (None, Some(m)) => Some(("anyOf", m)),
            _ => None,
        };
        if let Some((key, members)) = union {
            return self.union(key, members, name, at);
        }
        if let Some(TypeSet::Many(list)) = &schema.types {
            let non_null: Vec<SchemaType> = list
                .iter()
                .copied()
                .filter(|t| *t != SchemaType::Null)
                .collect();
            if non_null.len() > 1 {
                let mut taken = Taken::default();
                let variants = non_null
                    .iter()
                    .map(|t| {
                        let ty = match t {
                            SchemaType::String => TypeRef::String,
                            SchemaType::Number => TypeRef::Number,
                            SchemaType::Integer => TypeRef::Integer,
                            SchemaType::Boolean => TypeRef::Boolean,
                            SchemaType::Object => TypeRef::Map(Box::new(TypeRef::Json)),
                            SchemaType::Array | SchemaType::Null => {
                                TypeRef::List(Box::new(TypeRef::Json))
                            }
                        };
                        UntaggedVariant {
                            rust_name: taken.claim(type_word(*t).to_owned()),
                            ty,
                        }
                    })
                    .collect();
                return Ok(Shape::Defined(TypeKind::UntaggedUnion { variants }));
            }
        }
        let (ty, _) = self.single_type(schema, at)?;
        match ty {
            Some(SchemaType::String) => {
                if let Some(values) = &schema.enumeration {
                    let mut taken = with_unknown_variant();
                    let mut variants = Vec::new();
                    for (i, value) in values.iter().enumerate() {
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
                    if values.iter().any(|v| !v.is_boolean()) {
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
                // Extra keys next to known properties would need a catch-all
                // map field; rather than drop the rule, say so.
                if schema.pattern_properties.is_some() {
                    return Err(at.key("patternProperties").error(
                        "patternProperties next to properties is not supported; use one or the other",
                    ));
                }
                if let Some(Additional::Schema(_)) = &schema.additional_properties {
                    return Err(at.key("additionalProperties").error(
                        "an additionalProperties schema next to properties is not supported; use `false`, `true`, or a map without properties",
                    ));
                }
                let skip: Vec<String> = self
                    .member_tags
                    .get(name)
                    .map(|tag| tag.name.clone())
                    .into_iter()
                    .collect();
                let fields = self.fields(schema, name, at, &skip, &BTreeMap::new())?;
                Ok(Shape::Defined(TypeKind::Struct { fields }))
            }
            Some(SchemaType::Object) => Ok(Shape::Ref(TypeRef::Map(Box::new(
                self.map_value(schema, name, at)?,
            )))),
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

    /// The value type of a map-like object (`patternProperties`,
    /// `additionalProperties: <schema>`), or any JSON.
    fn map_value(&mut self, schema: &Schema, name: &str, at: &At) -> Result<TypeRef, Error> {
        if let Some(patterns) = &schema.pattern_properties {
            if patterns.len() > 1 {
                return Err(at
                    .key("patternProperties")
                    .error("only one pattern is supported in patternProperties"));
            }
            if let Some((pattern, value)) = patterns.iter().next() {
                return self.lower_inline(
                    value,
                    &format!("{name}Value"),
                    &at.key("patternProperties").key(pattern),
                );
            }
        }
        if let Some(Additional::Schema(value)) = &schema.additional_properties {
            return self.lower_inline(
                value,
                &format!("{name}Value"),
                &at.key("additionalProperties"),
            );
        }
        Ok(TypeRef::Json)
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
            let hint = format!("{prefix}{}", camel(wire));
            // A mistake in one property does not hide those of the others.
            let lowered = self.lower_inline_value(property, &hint, &at);
            let Some(ty) = self.keep(lowered)? else {
                continue;
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name: taken.claim(snake(wire)),
                docs: docs_of(property),
                ty,
                required: required.contains(wire) && !nullable,
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
        Ok(Shape::Defined(TypeKind::Struct { fields }))
    }

    fn union(
        &mut self,
        key: &str,
        members: &[Schema],
        name: &str,
        at: &At,
    ) -> Result<Shape, Error> {
        if members.is_empty() {
            return Err(at.key(key).error("needs at least one alternative"));
        }
        for (i, member) in members.iter().enumerate() {
            self.check_keywords(member, &at.key(key).index(i))?;
        }
        if self.all_strings(members) {
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
                            kind: TypeKind::Struct { fields },
                            sent: false,
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
            let word = match &member.reference {
                Some(target) => self.rust_type_name(target),
                None => match self.single_type(member, &member_at)?.0 {
                    Some(t) => type_word(t).to_owned(),
                    None => "Value".to_owned(),
                },
            };
            let rust_name = taken.claim(word);
            let ty = self.lower_inline(member, &format!("{name}{rust_name}"), &member_at)?;
            variants.push(UntaggedVariant { rust_name, ty });
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
    let values = schema.enumeration.as_deref()?;
    let first = values.first()?.as_bool()?;
    values
        .iter()
        .all(|v| v.as_bool() == Some(first))
        .then_some(first)
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
