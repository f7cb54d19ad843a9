//! Every `example` of the spec checked against its schema.
//!
//! Examples become the generated client's doc examples and the curl lines
//! of its reference pages; one that does not fit its schema (`"yes"` for a
//! boolean, a word for an integer path component) is a transcription
//! mistake that would otherwise reach users as a broken doctest. The check
//! covers the examples of path components, parameters and request bodies,
//! and the `example` of every schema, at any depth (properties, items,
//! response schemas). Formats are not checked: the generated types parse
//! them, and the docs show the text as written.

use super::At;
use crate::error::Diagnostic;
use crate::spec::{Additional, Body, Schema, SchemaType, Spec, TypeSet};
use serde_json::Value;
use std::collections::HashMap;

/// How deep `$ref`s and nesting are followed; past it an example is taken
/// as it is (reference cycles are reported elsewhere).
const MAX_DEPTH: usize = 64;

/// Checks every example of `spec`; one diagnostic per example that does not
/// fit.
pub(super) fn check(spec: &Spec) -> Vec<Diagnostic> {
    let mut checker = Checker {
        named: spec.schemas.iter().flat_map(|f| &f.value).collect(),
        patterns: HashMap::new(),
        problems: Vec::new(),
    };
    let api = At::root(&spec.api);
    for (i, parameter) in spec.api.value.parameters.iter().enumerate() {
        let at = api.key("parameters").index(i);
        checker.example(parameter.example.as_ref(), &parameter.schema, &at);
    }
    for file in &spec.schemas {
        let root = At::root(file);
        for (name, schema) in &file.value {
            checker.schema(schema, &root.key(name), 0);
        }
    }
    for file in &spec.resources {
        let root = At::root(file);
        let resource = &file.value;
        for (name, component) in &resource.path_components {
            let at = root.key("path_components").key(name);
            checker.example(component.example.as_ref(), &component.schema, &at);
        }
        for (name, op) in &resource.operations {
            let at = root.key("operations").key(name);
            for (name, component) in &op.path_components {
                let at = at.key("path_components").key(name);
                checker.example(component.example.as_ref(), &component.schema, &at);
            }
            for (key, parameters) in [("query", &op.query), ("headers", &op.headers)] {
                for (name, parameter) in parameters {
                    let at = at.key(key).key(name);
                    checker.example(parameter.example.as_ref(), &parameter.schema, &at);
                }
            }
            if let Some(Body::Json {
                schema, example, ..
            }) = &op.body
            {
                let at = at.key("body");
                checker.schema(schema, &at.key("schema"), 0);
                if let Some(text) = example {
                    checker.body_example(text, schema, &at.key("example"));
                }
            }
            for (status, response) in &op.responses {
                if let Some(schema) = &response.schema {
                    let at = at.key("responses").key(&status.to_string());
                    checker.schema(schema, &at.key("schema"), 0);
                }
            }
            for (name, event) in op.events.iter().flatten() {
                let at = at.key("events").key(name);
                checker.schema(&event.schema, &at.key("schema"), 0);
            }
        }
    }
    checker.problems
}

/// A step from an example's root to a value inside it.
enum Step {
    Key(String),
    Index(usize),
}

/// Why a value does not fit: where inside the example (innermost step
/// last) and what is wrong.
struct Misfit {
    steps: Vec<Step>,
    message: String,
}

impl Misfit {
    fn new(message: impl Into<String>) -> Self {
        Misfit {
            steps: Vec::new(),
            message: message.into(),
        }
    }

    /// The misfit of a value found under `step`.
    fn under(mut self, step: Step) -> Self {
        self.steps.insert(0, step);
        self
    }
}

struct Checker<'s> {
    named: HashMap<&'s String, &'s Schema>,
    /// Patterns compiled once each; `None` for one that does not compile
    /// (reported by the schema checks).
    patterns: HashMap<String, Option<regress::Regex>>,
    problems: Vec<Diagnostic>,
}

impl<'s> Checker<'s> {
    /// Checks the example of a parameter or path component, and the
    /// examples inside its schema.
    fn example(&mut self, example: Option<&Value>, schema: &Schema, at: &At) {
        self.schema(schema, &at.key("schema"), 0);
        if let Some(example) = example {
            self.report(example, schema, &at.key("example"));
        }
    }

    /// Checks the `example` of `schema` and of every schema inside it.
    fn schema(&mut self, schema: &Schema, at: &At, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(example) = &schema.example {
            self.report(example, schema, &at.key("example"));
        }
        for (key, map) in [
            ("properties", &schema.properties),
            ("patternProperties", &schema.pattern_properties),
        ] {
            for (name, inner) in map.iter().flatten() {
                self.schema(inner, &at.key(key).key(name), depth + 1);
            }
        }
        if let Some(items) = &schema.items {
            self.schema(items, &at.key("items"), depth + 1);
        }
        if let Some(Additional::Schema(inner)) = &schema.additional_properties {
            self.schema(inner, &at.key("additionalProperties"), depth + 1);
        }
        for (key, members) in [
            ("oneOf", &schema.one_of),
            ("anyOf", &schema.any_of),
            ("allOf", &schema.all_of),
        ] {
            for (i, member) in members.iter().flatten().enumerate() {
                self.schema(member, &at.key(key).index(i), depth + 1);
            }
        }
    }

    /// Checks a YAML example; a misfit is located at the value inside it.
    fn report(&mut self, example: &Value, schema: &Schema, at: &At) {
        if let Err(misfit) = self.fits(example, schema, true, 0) {
            let mut place = at.clone();
            for step in &misfit.steps {
                place = match step {
                    Step::Key(key) => place.key(key),
                    Step::Index(index) => place.index(*index),
                };
            }
            let message = format!("the example does not fit its schema: {}", misfit.message);
            self.problems.push(place.diagnostic(message));
        }
    }

    /// Checks a body example, JSON text in a YAML string: a misfit is
    /// located at the string and names the place inside the JSON.
    fn body_example(&mut self, text: &str, schema: &Schema, at: &At) {
        // One that is not JSON is reported with the operation's checks.
        let Ok(example) = serde_json::from_str::<Value>(text) else {
            return;
        };
        if let Err(misfit) = self.fits(&example, schema, true, 0) {
            let mut inside = String::new();
            for step in &misfit.steps {
                match step {
                    Step::Key(key) => inside.push_str(&format!(".{key}")),
                    Step::Index(index) => inside.push_str(&format!("[{index}]")),
                }
            }
            let message = if inside.is_empty() {
                format!(
                    "the body example does not fit its schema: {}",
                    misfit.message
                )
            } else {
                format!(
                    "the body example does not fit its schema at `{}`: {}",
                    inside.trim_start_matches('.'),
                    misfit.message
                )
            };
            self.problems.push(at.diagnostic(message));
        }
    }

    /// Whether `value` fits `schema`. `closed` applies
    /// `additionalProperties: false` (not inside an `allOf` part, whose
    /// object has the other parts' properties too).
    fn fits(
        &mut self,
        value: &Value,
        schema: &Schema,
        closed: bool,
        depth: usize,
    ) -> Result<(), Misfit> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        if let Some(name) = &schema.reference {
            return match self.named.get(name) {
                Some(target) => self.fits(value, target, closed, depth + 1),
                // Reported as an unresolved reference.
                None => Ok(()),
            };
        }
        if value.is_null() && is_nullable(schema) {
            return Ok(());
        }
        if let Some(values) = &schema.enumeration {
            if !values.contains(value) {
                let listed: Vec<String> = values.iter().map(Value::to_string).collect();
                return Err(Misfit::new(format!(
                    "{} is not one of {}",
                    value,
                    listed.join(", ")
                )));
            }
        }
        if let Some(types) = &schema.types {
            let allowed: &[SchemaType] = match types {
                TypeSet::One(t) => std::slice::from_ref(t),
                TypeSet::Many(list) => list,
            };
            if !allowed.iter().any(|t| is_of_type(value, *t)) {
                let names: Vec<&str> = allowed.iter().map(|t| type_name(*t)).collect();
                return Err(Misfit::new(format!(
                    "expected {}, found {}",
                    names.join(" or "),
                    describe(value)
                )));
            }
        }
        match value {
            Value::String(text) => self.string_fits(text, schema)?,
            Value::Number(number) => number_fits(number.as_f64().unwrap_or(f64::NAN), schema)?,
            Value::Array(items) => self.array_fits(items, schema, depth)?,
            Value::Object(object) => self.object_fits(object, schema, closed, depth)?,
            Value::Null | Value::Bool(_) => {}
        }
        for (i, part) in schema.all_of.iter().flatten().enumerate() {
            self.fits(value, part, false, depth + 1)
                .map_err(|m| Misfit::new(format!("allOf part {i}: {}", m.message)))?;
        }
        for (key, members) in [("oneOf", &schema.one_of), ("anyOf", &schema.any_of)] {
            if let Some(members) = members {
                let fitting = members
                    .iter()
                    .any(|member| self.fits(value, member, closed, depth + 1).is_ok());
                if !fitting {
                    return Err(Misfit::new(format!("fits none of the {key} members")));
                }
            }
        }
        Ok(())
    }

    fn string_fits(&mut self, text: &str, schema: &Schema) -> Result<(), Misfit> {
        let length = text.chars().count() as u64;
        let bounds = (schema.min_length, schema.max_length);
        count_fits(length, bounds, "characters", ("minLength", "maxLength"))?;
        if let Some(pattern) = &schema.pattern {
            let regex = self
                .patterns
                .entry(pattern.clone())
                .or_insert_with(|| super::schema::compile_pattern(pattern).ok());
            if regex.as_ref().is_some_and(|r| r.find(text).is_none()) {
                return Err(Misfit::new(format!(
                    "`{text}` does not match the pattern `{pattern}`"
                )));
            }
        }
        if let Some(format) = schema.format.as_deref() {
            if !format_fits(text, format) {
                return Err(Misfit::new(format!("`{text}` is not a valid `{format}`")));
            }
        }
        Ok(())
    }

    fn array_fits(&mut self, items: &[Value], schema: &Schema, depth: usize) -> Result<(), Misfit> {
        let bounds = (schema.min_items, schema.max_items);
        count_fits(
            items.len() as u64,
            bounds,
            "items",
            ("minItems", "maxItems"),
        )?;
        if schema.unique_items == Some(true) {
            for (i, item) in items.iter().enumerate() {
                if items[..i].contains(item) {
                    return Err(Misfit::new(format!(
                        "{item} is listed twice, but uniqueItems is set"
                    ))
                    .under(Step::Index(i)));
                }
            }
        }
        if let Some(item_schema) = &schema.items {
            for (i, item) in items.iter().enumerate() {
                self.fits(item, item_schema, true, depth + 1)
                    .map_err(|m| m.under(Step::Index(i)))?;
            }
        }
        Ok(())
    }

    fn object_fits(
        &mut self,
        object: &serde_json::Map<String, Value>,
        schema: &Schema,
        closed: bool,
        depth: usize,
    ) -> Result<(), Misfit> {
        let bounds = (schema.min_properties, schema.max_properties);
        let keys = ("minProperties", "maxProperties");
        count_fits(object.len() as u64, bounds, "properties", keys)?;
        for name in schema.required.iter().flatten() {
            if !object.contains_key(name) {
                return Err(Misfit::new(format!(
                    "the required property `{name}` is missing"
                )));
            }
        }
        for (key, value) in object {
            let under = |m: Misfit| m.under(Step::Key(key.clone()));
            if let Some(property) = schema.properties.as_ref().and_then(|p| p.get(key)) {
                self.fits(value, property, true, depth + 1).map_err(under)?;
                continue;
            }
            let mut matched = false;
            for (pattern, inner) in schema.pattern_properties.iter().flatten() {
                let regex = self
                    .patterns
                    .entry(pattern.clone())
                    .or_insert_with(|| super::schema::compile_pattern(pattern).ok());
                if regex.as_ref().is_some_and(|r| r.find(key).is_some()) {
                    matched = true;
                    self.fits(value, inner, true, depth + 1).map_err(under)?;
                }
            }
            if matched {
                continue;
            }
            match &schema.additional_properties {
                Some(Additional::Schema(inner)) => {
                    self.fits(value, inner, true, depth + 1).map_err(under)?;
                }
                Some(Additional::Allowed(false)) if closed => {
                    return Err(Misfit::new(format!("`{key}` is not one of the properties")));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Whether `count` (of characters, items or properties: `unit`) is within
/// `(min, max)`, the schema keys `keys`.
/// Whether `text` is a value of string `format` (the formats the
/// generator accepts): an RFC 3339 date-time, an absolute URI, an email
/// address. The checks catch transcription mistakes, not every corner of
/// the RFCs.
fn format_fits(text: &str, format: &str) -> bool {
    match format {
        "date-time" => is_date_time(text),
        "uri" => text.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !text.contains(char::is_whitespace)
        }),
        "email" => text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
                && !domain.contains('@')
        }),
        _ => true,
    }
}

/// `2016-06-13T04:00:00Z`, `2016-06-13T04:00:00.123+02:00`: RFC 3339.
fn is_date_time(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let in_range = |s: &str, low: u32, high: u32| {
        digits(s) && s.parse::<u32>().is_ok_and(|n| (low..=high).contains(&n))
    };
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    let date_ok = match date.split('-').collect::<Vec<_>>()[..] {
        [year, month, day] => {
            year.len() == 4
                && digits(year)
                && month.len() == 2
                && in_range(month, 1, 12)
                && day.len() == 2
                && in_range(day, 1, 31)
        }
        _ => false,
    };
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else if let Some(at) = time.rfind(['+', '-']) {
        (&time[..at], Some(&time[at + 1..]))
    } else {
        return false;
    };
    let offset_ok = offset.is_none_or(|o| match o.split(':').collect::<Vec<_>>()[..] {
        [hours, minutes] => {
            hours.len() == 2
                && in_range(hours, 0, 23)
                && minutes.len() == 2
                && in_range(minutes, 0, 59)
        }
        _ => false,
    });
    let clock = clock.split_once('.').map_or(
        clock,
        |(whole, fraction)| {
            if digits(fraction) { whole } else { "" }
        },
    );
    let clock_ok = match clock.split(':').collect::<Vec<_>>()[..] {
        [hours, minutes, seconds] => {
            hours.len() == 2
                && in_range(hours, 0, 23)
                && minutes.len() == 2
                && in_range(minutes, 0, 59)
                && seconds.len() == 2
                && in_range(seconds, 0, 60)
        }
        _ => false,
    };
    date_ok && clock_ok && offset_ok
}

fn count_fits(
    count: u64,
    (min, max): (Option<u64>, Option<u64>),
    unit: &str,
    (min_key, max_key): (&str, &str),
) -> Result<(), Misfit> {
    if let Some(min) = min.filter(|min| count < *min) {
        return Err(Misfit::new(format!(
            "{count} {unit}, fewer than {min_key} {min}"
        )));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        return Err(Misfit::new(format!(
            "{count} {unit}, more than {max_key} {max}"
        )));
    }
    Ok(())
}

fn number_fits(number: f64, schema: &Schema) -> Result<(), Misfit> {
    if let Some(min) = schema.minimum.filter(|min| number < *min) {
        return Err(Misfit::new(format!(
            "{number} is less than the minimum {min}"
        )));
    }
    if let Some(max) = schema.maximum.filter(|max| number > *max) {
        return Err(Misfit::new(format!(
            "{number} is more than the maximum {max}"
        )));
    }
    Ok(())
}

fn is_nullable(schema: &Schema) -> bool {
    schema.nullable == Some(true)
        || match &schema.types {
            Some(TypeSet::One(t)) => *t == SchemaType::Null,
            Some(TypeSet::Many(list)) => list.contains(&SchemaType::Null),
            None => false,
        }
}

/// Whether `value` is of JSON Schema type `t`. An integer is a whole
/// number written without a fraction: `10.0` would not compile as an
/// integer argument of a doc example.
fn is_of_type(value: &Value, t: SchemaType) -> bool {
    match (t, value) {
        (SchemaType::String, Value::String(_))
        | (SchemaType::Number, Value::Number(_))
        | (SchemaType::Boolean, Value::Bool(_))
        | (SchemaType::Object, Value::Object(_))
        | (SchemaType::Array, Value::Array(_))
        | (SchemaType::Null, Value::Null) => true,
        (SchemaType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    }
}

fn type_name(t: SchemaType) -> &'static str {
    match t {
        SchemaType::String => "a string",
        SchemaType::Number => "a number",
        SchemaType::Integer => "an integer",
        SchemaType::Boolean => "a boolean",
        SchemaType::Object => "an object",
        SchemaType::Array => "an array",
        SchemaType::Null => "null",
    }
}

/// What kind of value `value` is, with the value when it is short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod format_tests {
    use super::format_fits;

    #[test]
    fn formats_of_examples() {
        for good in [
            "2016-06-13T04:00:00Z",
            "2016-06-13T04:00:00.123+02:00",
            "2016-06-13t04:00:00z",
        ] {
            assert!(format_fits(good, "date-time"), "{good}");
        }
        for bad in [
            "2016-06-13",
            "1465790400000",
            "2016-13-01T00:00:00Z",
            "2016-06-13T25:00:00Z",
            "2016-06-13T04:00:00",
        ] {
            assert!(!format_fits(bad, "date-time"), "{bad}");
        }
        assert!(format_fits("https://example.test/a", "uri"));
        assert!(!format_fits("example.test/a", "uri"));
        assert!(format_fits("a@b.test", "email"));
        assert!(!format_fits("a.b.test", "email"));
        assert!(!format_fits("a@b", "email"));
    }
}
