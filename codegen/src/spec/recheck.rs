//! Finding every mistake of a file that did not deserialize.
//!
//! A deserializer stops at the first mistake. When a file has one, it is
//! read again as a YAML value, and its parts (the operations and path
//! components of a resource, the named schemas of a schema file, the rest
//! of the file) are deserialized one by one, so a mistake in one part does
//! not hide those of the others. Within a part, a key that is unknown or
//! has a wrong value is taken out and the part read again, so every such
//! key is found; a missing key ends the part. Only a file with a mistake
//! is read twice.

use super::locate::KeyPath;
use super::{ApiFile, Operation, PathComponent, ResourceFile, Schema, Waiter};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_yaml::{Mapping, Value};

/// A mistake: the deserializer's message and the key path it was at.
pub(super) struct Problem {
    pub path: KeyPath,
    pub message: String,
}

/// How many mistakes one part may have before the rest are left
/// unreported; a bound on the rereading.
const MAX_MISTAKES_PER_PART: usize = 50;

/// The mistakes of `api.yaml`.
pub(super) fn api(value: Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    part::<ApiFile>(value, &KeyPath::root(), &mut problems);
    problems
}

/// The mistakes of a file of `schemas/`, one named schema at a time.
pub(super) fn schemas(value: Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    match value {
        Value::Mapping(entries) => {
            for (name, schema) in entries {
                match key_text(&name) {
                    Some(name) => {
                        part::<Schema>(schema, &KeyPath::root().key(&name), &mut problems)
                    }
                    None => problems.push(Problem {
                        path: KeyPath::root(),
                        message: "a schema name is a string".into(),
                    }),
                }
            }
        }
        other => part::<super::load::SchemaFile>(other, &KeyPath::root(), &mut problems),
    }
    problems
}

/// The mistakes of a file of `resources/`: each operation, each path
/// component, then the rest.
pub(super) fn resource(value: Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Value::Mapping(mut file) = value else {
        part::<ResourceFile>(value, &KeyPath::root(), &mut problems);
        return problems;
    };
    let root = KeyPath::root();
    take_entries::<PathComponent>(&mut file, "path_components", &root, &mut problems);
    take_entries::<Operation>(&mut file, "operations", &root, &mut problems);
    take_entries::<Waiter>(&mut file, "waiters", &root, &mut problems);
    part::<ResourceFile>(Value::Mapping(file), &root, &mut problems);
    problems
}

/// Checks each entry of the mapping at `key` of `file` as a `T`, and leaves
/// an empty mapping in its place.
fn take_entries<T: DeserializeOwned>(
    file: &mut Mapping,
    key: &str,
    root: &KeyPath,
    problems: &mut Vec<Problem>,
) {
    let Some(Value::Mapping(entries)) = file.get_mut(key) else {
        return;
    };
    let entries = std::mem::take(entries);
    for (name, entry) in entries {
        match key_text(&name) {
            Some(name) => part::<T>(entry, &root.key(key).key(&name), problems),
            None => problems.push(Problem {
                path: root.key(key),
                message: "a name here is a string".into(),
            }),
        }
    }
}

/// Deserializes `value` as a `T`, recording its mistakes: each mistaken
/// key (unknown, or with a wrong value) is taken out and the part read
/// again, until it reads or a mistake cannot be taken out (a missing key).
fn part<T: DeserializeOwned>(mut value: Value, prefix: &KeyPath, problems: &mut Vec<Problem>) {
    let mut removed: Vec<KeyPath> = Vec::new();
    for _ in 0..MAX_MISTAKES_PER_PART {
        let Err(error) = serde_path_to_error::deserialize::<_, T>(&value) else {
            return;
        };
        let segments: Vec<Segment> = error.path().iter().cloned().collect();
        let path = join(prefix, &error.path().to_string());
        let message = error.inner().to_string();
        // A required key taken out for its wrong value is missing now:
        // said already.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(|key| path.key(key));
        if missing.is_some_and(|key| removed.contains(&key)) {
            return;
        }
        problems.push(Problem {
            path: path.clone(),
            message,
        });
        if !remove(&mut value, &segments) {
            return;
        }
        removed.push(path);
    }
}

/// `prefix` followed by a path as serde_path_to_error writes it (`.` for
/// the root, `a.b[2]`).
fn join(prefix: &KeyPath, relative: &str) -> KeyPath {
    let relative = relative.trim_start_matches('.');
    match (prefix.as_str(), relative) {
        (_, "") => prefix.clone(),
        ("", relative) => KeyPath::parse(relative),
        (prefix, relative) if relative.starts_with('[') => {
            KeyPath::parse(&format!("{prefix}{relative}"))
        }
        (prefix, relative) => KeyPath::parse(&format!("{prefix}.{relative}")),
    }
}

/// Removes the key at `segments` from `value`; false if it is not there.
fn remove(value: &mut Value, segments: &[Segment]) -> bool {
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut current = value;
    for segment in parents {
        current = match (segment, current) {
            (Segment::Map { key }, Value::Mapping(map)) => {
                match map
                    .iter_mut()
                    .find(|(k, _)| key_text(k).as_deref() == Some(key))
                {
                    Some((_, next)) => next,
                    None => return false,
                }
            }
            (Segment::Seq { index }, Value::Sequence(items)) => match items.get_mut(*index) {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, current) {
        (Segment::Map { key }, Value::Mapping(map)) => {
            let found = map
                .keys()
                .find(|k| key_text(k).as_deref() == Some(key))
                .cloned();
            found.is_some_and(|k| map.remove(&k).is_some())
        }
        _ => false,
    }
}

/// A mapping key as the key paths write it.
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(value) => Some(value.to_string()),
        _ => None,
    }
}
