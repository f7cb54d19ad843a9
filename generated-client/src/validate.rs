//! Client-side checks of request values against the spec's constraints.
//!
//! The generated types implement [`Validate`]; a request builder runs it on
//! its body and parameters before sending (unless the client was built with
//! `validate_requests(false)`), so a value the server would reject fails
//! fast with the path of the offending field and no request is sent.
//! The server stays the authority: its limits may loosen before the spec's.

use crate::InvalidInput;
use std::collections::BTreeMap;
use std::fmt;

/// The constraints of one value, as the spec states them. Generated code
/// builds these as constants.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Fewest characters of a string.
    pub min_length: Option<u64>,
    /// Most characters of a string.
    pub max_length: Option<u64>,
    /// ECMA-262 pattern a string must match.
    pub pattern: Option<&'static str>,
    /// Smallest number.
    pub minimum: Option<f64>,
    /// Largest number.
    pub maximum: Option<f64>,
    /// Fewest items of an array.
    pub min_items: Option<u64>,
    /// Most items of an array.
    pub max_items: Option<u64>,
    /// Items of an array must all differ.
    pub unique_items: bool,
    /// Fewest entries of a map.
    pub min_properties: Option<u64>,
    /// Most entries of a map.
    pub max_properties: Option<u64>,
    /// A string must match exactly one (`exactly_one`) or at least one of these.
    pub alternatives: &'static [Rules],
    /// See `alternatives`.
    pub exactly_one: bool,
    /// A boolean must be this value (an `enum` of one boolean).
    pub boolean: Option<bool>,
    /// An integer or number must be one of these (its `enum`), unless empty.
    pub numbers: &'static [f64],
    /// Rules for each item of an array or value of a map.
    pub items: Option<&'static Rules>,
}

impl Rules {
    /// No constraint at all.
    pub const NONE: Rules = Rules {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        min_properties: None,
        max_properties: None,
        alternatives: &[],
        exactly_one: false,
        boolean: None,
        numbers: &[],
        items: None,
    };

    // Each rule by a `const fn`, so generated code states a value's rules
    // in one short expression: `Rules::NONE.min_length(1).max_length(255)`.

    /// These rules and a fewest number of characters.
    pub const fn min_length(mut self, value: u64) -> Rules {
        self.min_length = Some(value);
        self
    }

    /// These rules and a most number of characters.
    pub const fn max_length(mut self, value: u64) -> Rules {
        self.max_length = Some(value);
        self
    }

    /// These rules and a pattern to match.
    pub const fn pattern(mut self, value: &'static str) -> Rules {
        self.pattern = Some(value);
        self
    }

    /// These rules and a smallest number.
    pub const fn minimum(mut self, value: f64) -> Rules {
        self.minimum = Some(value);
        self
    }

    /// These rules and a largest number.
    pub const fn maximum(mut self, value: f64) -> Rules {
        self.maximum = Some(value);
        self
    }

    /// These rules and a fewest number of items.
    pub const fn min_items(mut self, value: u64) -> Rules {
        self.min_items = Some(value);
        self
    }

    /// These rules and a most number of items.
    pub const fn max_items(mut self, value: u64) -> Rules {
        self.max_items = Some(value);
        self
    }

    /// These rules and items that must all differ.
    pub const fn unique_items(mut self) -> Rules {
        self.unique_items = true;
        self
    }

    /// These rules and a fewest number of map entries.
    pub const fn min_properties(mut self, value: u64) -> Rules {
        self.min_properties = Some(value);
        self
    }

    /// These rules and a most number of map entries.
    pub const fn max_properties(mut self, value: u64) -> Rules {
        self.max_properties = Some(value);
        self
    }

    /// These rules and alternatives a string must match: exactly one of
    /// them when `exactly_one`, else at least one.
    pub const fn alternatives(mut self, value: &'static [Rules], exactly_one: bool) -> Rules {
        self.alternatives = value;
        self.exactly_one = exactly_one;
        self
    }

    /// These rules and the one value a boolean may be.
    pub const fn boolean(mut self, value: bool) -> Rules {
        self.boolean = Some(value);
        self
    }

    /// These rules and the values a number may be.
    pub const fn numbers(mut self, value: &'static [f64]) -> Rules {
        self.numbers = value;
        self
    }

    /// These rules and rules for each item of an array or value of a map.
    pub const fn items(mut self, value: &'static Rules) -> Rules {
        self.items = Some(value);
        self
    }
}

/// Where a value sits inside a request: `inputs[2].fileName`. Built on the
/// stack as checks descend, and only turned into text for an error.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum FieldPath<'a> {
    /// The top: a parameter name, or empty for a body.
    Root(&'a str),
    /// A property of an object.
    Field(&'a FieldPath<'a>, &'a str),
    /// An item of an array.
    Index(&'a FieldPath<'a>, usize),
}

impl<'a> FieldPath<'a> {
    /// The path of property `name` below this one.
    pub fn field(&'a self, name: &'a str) -> FieldPath<'a> {
        FieldPath::Field(self, name)
    }

    /// Checks `value`, the property `name` below this path, against
    /// `rules` (those of the property; the value's type adds its own).
    pub fn check<T: Validate + ?Sized>(
        &self,
        name: &str,
        value: &T,
        rules: &Rules,
    ) -> Result<(), InvalidInput> {
        value.validate(&self.field(name), rules)
    }

    /// The path of item `index` below this one.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath::Index(self, index)
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Root("") => f.write_str("body"),
            FieldPath::Root(name) => f.write_str(name),
            FieldPath::Field(FieldPath::Root(""), name) => f.write_str(name),
            FieldPath::Field(parent, name) => write!(f, "{parent}.{name}"),
            FieldPath::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

fn fail(at: &FieldPath<'_>, reason: String) -> Result<(), InvalidInput> {
    Err(InvalidInput::new(at.to_string(), reason))
}

/// A value that can be checked against [`Rules`]. Generated types check
/// their own fields; the `rules` passed to them are those of the place they
/// are used in.
#[doc(hidden)]
pub trait Validate {
    /// Checks the value, returning the first broken constraint.
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput>;
}

/// Checks a value on its own (a parameter, a part, a newtype's string)
/// named `field` in the error, against `rules`.
#[doc(hidden)]
pub fn check_value<T: Validate + ?Sized>(
    field: &str,
    value: &T,
    rules: &Rules,
) -> Result<(), InvalidInput> {
    value.validate(&FieldPath::Root(field), rules)
}

impl Validate for str {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        // JSON Schema counts characters (code points), not bytes; counted
        // only when a rule needs it.
        let length = if rules.min_length.is_some() || rules.max_length.is_some() {
            self.chars().count() as u64
        } else {
            0
        };
        if let Some(min) = rules.min_length {
            if length < min {
                return fail(
                    at,
                    format!("must be at least {min} characters long, is {length}"),
                );
            }
        }
        if let Some(max) = rules.max_length {
            if length > max {
                return fail(
                    at,
                    format!("must be at most {max} characters long, is {length}"),
                );
            }
        }
        if let Some(pattern) = rules.pattern {
            if !crate::pattern::matches(pattern, self) {
                return fail(
                    at,
                    format!("`{}` does not match the pattern `{pattern}`", Shown(self)),
                );
            }
        }
        if !rules.alternatives.is_empty() {
            let matched = rules
                .alternatives
                .iter()
                .filter(|alternative| self.validate(at, alternative).is_ok())
                .count();
            let ok = if rules.exactly_one {
                matched == 1
            } else {
                matched >= 1
            };
            if !ok {
                let patterns: Vec<&str> = rules
                    .alternatives
                    .iter()
                    .filter_map(|a| a.pattern)
                    .collect();
                return fail(
                    at,
                    format!(
                        "`{}` must match {} of the allowed forms (patterns {})",
                        Shown(self),
                        if rules.exactly_one {
                            "exactly one"
                        } else {
                            "one"
                        },
                        patterns.join(", ")
                    ),
                );
            }
        }
        Ok(())
    }
}

impl Validate for String {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        self.as_str().validate(at, rules)
    }
}

/// Checks a number against the values of its `enum`, if it has one.
fn check_numbers(
    at: &FieldPath<'_>,
    value: f64,
    shown: &dyn fmt::Display,
    rules: &Rules,
) -> Result<(), InvalidInput> {
    if rules.numbers.is_empty() || rules.numbers.contains(&value) {
        return Ok(());
    }
    let allowed: Vec<String> = rules.numbers.iter().map(f64::to_string).collect();
    fail(
        at,
        format!("must be one of {}, is {shown}", allowed.join(", ")),
    )
}

impl Validate for f64 {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        if !self.is_finite() {
            return fail(at, format!("{self} cannot be sent as JSON"));
        }
        check_numbers(at, *self, self, rules)?;
        if let Some(min) = rules.minimum {
            if *self < min {
                return fail(at, format!("must be at least {min}, is {self}"));
            }
        }
        if let Some(max) = rules.maximum {
            if *self > max {
                return fail(at, format!("must be at most {max}, is {self}"));
            }
        }
        Ok(())
    }
}

impl Validate for i64 {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        check_numbers(at, *self as f64, self, rules)?;
        if let Some(min) = rules.minimum {
            if (*self as f64) < min {
                return fail(at, format!("must be at least {min}, is {self}"));
            }
        }
        if let Some(max) = rules.maximum {
            if (*self as f64) > max {
                return fail(at, format!("must be at most {max}, is {self}"));
            }
        }
        Ok(())
    }
}

impl Validate for bool {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        if let Some(only) = rules.boolean {
            if *self != only {
                return fail(at, format!("must be {only}"));
            }
        }
        Ok(())
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        match self {
            Some(value) => value.validate(at, rules),
            None => Ok(()),
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        (**self).validate(at, rules)
    }
}

impl<T: Validate + PartialEq> Validate for Vec<T> {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        let count = self.len() as u64;
        if let Some(min) = rules.min_items {
            if count < min {
                return fail(at, format!("must have at least {min} items, has {count}"));
            }
        }
        if let Some(max) = rules.max_items {
            if count > max {
                return fail(at, format!("must have at most {max} items, has {count}"));
            }
        }
        if rules.unique_items {
            for (i, item) in self.iter().enumerate() {
                if self[..i].contains(item) {
                    return fail(
                        &at.index(i),
                        "repeats an earlier item; items must be unique".to_owned(),
                    );
                }
            }
        }
        let item_rules = rules.items.unwrap_or(&Rules::NONE);
        for (i, item) in self.iter().enumerate() {
            item.validate(&at.index(i), item_rules)?;
        }
        Ok(())
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &FieldPath<'_>, rules: &Rules) -> Result<(), InvalidInput> {
        let count = self.len() as u64;
        if let Some(min) = rules.min_properties {
            if count < min {
                return fail(at, format!("must have at least {min} entries, has {count}"));
            }
        }
        if let Some(max) = rules.max_properties {
            if count > max {
                return fail(at, format!("must have at most {max} entries, has {count}"));
            }
        }
        let value_rules = rules.items.unwrap_or(&Rules::NONE);
        for (key, value) in self {
            value.validate(&at.field(key), value_rules)?;
        }
        Ok(())
    }
}

/// Values the spec does not constrain further.
impl Validate for serde_json::Value {
    fn validate(&self, _: &FieldPath<'_>, _: &Rules) -> Result<(), InvalidInput> {
        Ok(())
    }
}

impl Validate for chrono::DateTime<chrono::Utc> {
    fn validate(&self, _: &FieldPath<'_>, _: &Rules) -> Result<(), InvalidInput> {
        Ok(())
    }
}

/// Any millisecond can be sent; the spec puts no bounds on a `Timestamp`.
impl Validate for crate::Timestamp {
    fn validate(&self, _: &FieldPath<'_>, _: &Rules) -> Result<(), InvalidInput> {
        Ok(())
    }
}

/// Checks how many keys an object has against its `minProperties` and
/// `maxProperties` (`count`: the fields set, the extra keys).
#[doc(hidden)]
pub fn check_key_count(
    at: &FieldPath<'_>,
    count: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), InvalidInput> {
    let count_u64 = u64::try_from(count).unwrap_or(u64::MAX);
    let keys = |n: u64| {
        if n == 1 {
            "1 key".to_owned()
        } else {
            format!("{n} keys")
        }
    };
    if let Some(min) = min.filter(|min| count_u64 < *min) {
        return fail(at, format!("needs at least {}; has {count}", keys(min)));
    }
    if let Some(max) = max.filter(|max| count_u64 > *max) {
        return fail(at, format!("may have at most {}; has {count}", keys(max)));
    }
    Ok(())
}

/// Checks that the fields of at least one (or, `exactly_one`, of exactly
/// one) of an object's `required`-only alternatives are all set: `met`
/// says which are, `sets` names each alternative's properties.
#[doc(hidden)]
pub fn check_required_sets(
    at: &FieldPath<'_>,
    met: &[bool],
    sets: &[&str],
    exactly_one: bool,
) -> Result<(), InvalidInput> {
    let count = met.iter().filter(|m| **m).count();
    if count == 1 || (count > 1 && !exactly_one) {
        return Ok(());
    }
    let listed = sets.join("; or ");
    if count == 0 {
        let how_many = if exactly_one {
            "exactly one"
        } else {
            "at least one"
        };
        return fail(at, format!("needs {how_many} of: {listed}; has none"));
    }
    let set: Vec<&str> = met
        .iter()
        .zip(sets)
        .filter(|(m, _)| **m)
        .map(|(_, s)| *s)
        .collect();
    fail(
        at,
        format!(
            "needs exactly one of: {listed}; has {count}: {}",
            set.join(", ")
        ),
    )
}

/// Checks the extra keys of an object (the map beside its declared
/// properties): none is a `declared` property (whose field would write it
/// too), a key matching none of `patterns` is refused when
/// `others_refused`, and each value passes `check`, once for each pattern
/// its key matches (`Some(index)`) or once as another key (`None`).
#[doc(hidden)]
pub fn check_entries<V>(
    map: &BTreeMap<String, V>,
    at: &FieldPath<'_>,
    declared: &[&str],
    patterns: &[&'static str],
    others_refused: bool,
    check: impl Fn(Option<usize>, &V, &FieldPath<'_>) -> Result<(), InvalidInput>,
) -> Result<(), InvalidInput> {
    for (key, value) in map {
        let here = at.field(key);
        if declared.contains(&key.as_str()) {
            return fail(
                &here,
                "is a declared property: set its field rather than an extra key".to_owned(),
            );
        }
        let mut matched = false;
        for (i, pattern) in patterns.iter().enumerate() {
            if crate::pattern::matches(pattern, key) {
                matched = true;
                check(Some(i), value, &here)?;
            }
        }
        if !matched {
            if others_refused {
                return fail(
                    &here,
                    format!(
                        "the key `{}` matches none of the allowed patterns ({})",
                        Shown(key),
                        patterns.join(", ")
                    ),
                );
            }
            check(None, value, &here)?;
        }
    }
    Ok(())
}

/// Checks JSON `value` as a value of type `T` with `rules`: an extra key
/// whose pattern gives it a type other than the map's.
#[doc(hidden)]
pub fn check_as<T: serde::de::DeserializeOwned + Validate>(
    value: &serde_json::Value,
    at: &FieldPath<'_>,
    rules: &Rules,
) -> Result<(), InvalidInput> {
    match T::deserialize(value) {
        Ok(typed) => typed.validate(at, rules),
        Err(error) => fail(
            at,
            format!("is not a value of the type its key has: {error}"),
        ),
    }
}

/// Shows a user's value in an error, cut to a readable length.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LIMIT: usize = 80;
        match self.0.char_indices().nth(LIMIT) {
            Some((cut, _)) => write!(f, "{}...", &self.0[..cut]),
            None => f.write_str(self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT_ID: Rules = Rules {
        pattern: Some(r"^[A-Fa-f\d]{24}$"),
        ..Rules::NONE
    };

    #[test]
    fn patterns_use_ecmascript_syntax_with_lookahead() {
        let file_name = Rules {
            pattern: Some(r"^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$"),
            ..Rules::NONE
        };
        assert!(check_value("fileName", "data.csv", &file_name).is_ok());
        let error = check_value("fileName", "..", &file_name).unwrap_err();
        assert_eq!(error.field, "fileName");
        assert!(error.reason.contains("does not match"), "{error}");
    }

    #[test]
    fn nested_paths_name_the_field() {
        let root = FieldPath::Root("");
        let inputs = root.field("inputs");
        let item = inputs.index(2);
        let at = item.field("fileName");
        assert_eq!(at.to_string(), "inputs[2].fileName");
        assert_eq!(FieldPath::Root("executionId").to_string(), "executionId");
    }

    #[test]
    fn one_of_alternatives_need_exactly_one_match() {
        const TEMPLATE: Rules = Rules {
            min_length: Some(4),
            pattern: Some(".*{{.+}}.*"),
            ..Rules::NONE
        };
        let either = Rules {
            alternatives: &[OBJECT_ID, TEMPLATE],
            exactly_one: true,
            ..Rules::NONE
        };
        assert!(check_value("id", "575ec8687ae143cd83dc4a97", &either).is_ok());
        assert!(check_value("id", "{{data.id}}", &either).is_ok());
        assert!(check_value("id", "nope", &either).is_err());
    }

    #[test]
    fn arrays_check_counts_uniqueness_and_items() {
        let rules = Rules {
            max_items: Some(2),
            unique_items: true,
            items: Some(&OBJECT_ID),
            ..Rules::NONE
        };
        let root = FieldPath::Root("ids");
        let id = "575ec8687ae143cd83dc4a97".to_owned();
        assert!(vec![id.clone()].validate(&root, &rules).is_ok());
        assert!(
            vec![id.clone(), id.clone()]
                .validate(&root, &rules)
                .is_err()
        );
        assert!(
            vec![id.clone(), "x".into(), "y".into()]
                .validate(&root, &rules)
                .is_err()
        );
        let error = vec!["bad".to_owned()].validate(&root, &rules).unwrap_err();
        assert_eq!(error.field, "ids[0]");
    }

    #[test]
    fn numbers_respect_bounds_and_booleans_only_true() {
        let rules = Rules {
            minimum: Some(1.0),
            maximum: Some(10.0),
            ..Rules::NONE
        };
        let at = FieldPath::Root("limit");
        assert!(5i64.validate(&at, &rules).is_ok());
        assert!(0i64.validate(&at, &rules).is_err());
        assert!(10.5f64.validate(&at, &rules).is_err());
        assert!(f64::NAN.validate(&at, &Rules::NONE).is_err());
        let only_true = Rules {
            boolean: Some(true),
            ..Rules::NONE
        };
        assert!(false.validate(&at, &only_true).is_err());
        assert!(true.validate(&at, &only_true).is_ok());
        let levels = Rules {
            numbers: &[1.0, 2.0, 5.0],
            ..Rules::NONE
        };
        assert!(2i64.validate(&at, &levels).is_ok());
        let error = 3i64.validate(&at, &levels).expect_err("not a level");
        assert!(error.reason.contains("one of 1, 2, 5, is 3"), "{error}");
        assert!(2.5f64.validate(&at, &levels).is_err());
    }

    #[test]
    fn required_sets_need_one_or_exactly_one() {
        let at = FieldPath::Root("");
        let sets = ["`email`", "`phone`"];
        assert!(check_required_sets(&at, &[true, false], &sets, true).is_ok());
        assert!(check_required_sets(&at, &[true, true], &sets, false).is_ok());
        let error = check_required_sets(&at, &[true, true], &sets, true).expect_err("two");
        assert!(error.reason.contains("has 2: `email`, `phone`"), "{error}");
        let error = check_required_sets(&at, &[false, false], &sets, false).expect_err("none");
        assert!(error.reason.contains("at least one of"), "{error}");
    }

    #[test]
    fn extra_keys_are_checked_by_the_patterns_they_match() {
        let at = FieldPath::Root("");
        let mut map = BTreeMap::new();
        map.insert("n_a".to_owned(), serde_json::json!(1.5));
        let number = |rule: Option<usize>, value: &serde_json::Value, at: &FieldPath<'_>| match rule
        {
            Some(0) => check_as::<f64>(value, at, &Rules::NONE),
            _ => Ok(()),
        };
        assert!(check_entries(&map, &at, &["name"], &["^n_"], true, number).is_ok());
        map.insert("n_b".to_owned(), serde_json::json!("text"));
        let error = check_entries(&map, &at, &[], &["^n_"], true, number).expect_err("a string");
        assert_eq!(error.field, "n_b");
        map.remove("n_b");
        map.insert("other".to_owned(), serde_json::json!(1));
        assert!(check_entries(&map, &at, &[], &["^n_"], false, number).is_ok());
        let error = check_entries(&map, &at, &[], &["^n_"], true, number).expect_err("refused");
        assert!(
            error.reason.contains("none of the allowed patterns"),
            "{error}"
        );
        let error = check_entries(&map, &at, &["other"], &["^n_"], false, number)
            .expect_err("a declared property");
        assert!(error.reason.contains("declared property"), "{error}");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let rules = Rules {
            max_length: Some(2),
            ..Rules::NONE
        };
        assert!(check_value("name", "éé", &rules).is_ok());
        assert!(check_value("name", "ééé", &rules).is_err());
    }
}
