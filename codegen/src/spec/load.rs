//! Reading the spec directory and parsing each file with locations.

use super::locate::{KeyPath, Location, LocationIndex, Locations, MAX_NESTING};
use super::{ApiFile, Parsed, ResourceFile, Schema, Spec};
use crate::error::{Diagnostic, Error};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::Path;

/// The text of one spec file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the spec directory, with `/` separators
    /// (`resources/notebook.yaml`).
    pub path: String,
    /// The file's content.
    pub text: String,
}

/// Reads `api.yaml`, `schemas/*.yaml` and `resources/*.yaml` from `dir`,
/// sorted by name so the output never depends on directory order.
pub fn read_spec_dir(dir: &Path) -> Result<Vec<SourceFile>, Error> {
    let mut files = vec![read_file(dir, "api.yaml")?];
    for folder in ["schemas", "resources"] {
        let path = dir.join(folder);
        let entries = std::fs::read_dir(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") || name.ends_with(".yml") {
                names.push(name);
            }
        }
        names.sort();
        for name in names {
            files.push(read_file(dir, &format!("{folder}/{name}"))?);
        }
    }
    Ok(files)
}

fn read_file(dir: &Path, relative: &str) -> Result<SourceFile, Error> {
    let path = dir.join(relative);
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source })?;
    Ok(SourceFile {
        path: relative.to_owned(),
        text,
    })
}

/// Parses every file: `api.yaml` once, `schemas/…` and `resources/…` by folder.
///
/// Files are parsed on every core; the first error in file order is the one
/// reported, so the result does not depend on the machine.
pub fn load_sources(files: &[SourceFile]) -> Result<Spec, Error> {
    let mut api = None;
    let mut schemas = Vec::new();
    let mut resources = Vec::new();
    for parsed in crate::parallel::map(files, parse_any) {
        match parsed? {
            AnyFile::Api(file) => api = Some(file),
            AnyFile::Schemas(file) => schemas.push(file),
            AnyFile::Resource(file) => resources.push(file),
        }
    }
    let api = api.ok_or_else(|| {
        diagnostic(
            "api.yaml",
            Location { line: 1, column: 1 },
            KeyPath::root(),
            "the spec has no api.yaml".into(),
        )
    })?;
    Ok(Spec {
        api,
        schemas,
        resources,
    })
}

/// A file of `schemas/`: named schemas, each name written once.
#[derive(serde::Deserialize)]
#[serde(transparent)]
struct SchemaFile(#[serde(deserialize_with = "super::unique::map")] BTreeMap<String, Schema>);

/// One parsed file of any of the three kinds.
enum AnyFile {
    Api(Parsed<ApiFile>),
    Schemas(Parsed<BTreeMap<String, Schema>>),
    Resource(Parsed<ResourceFile>),
}

/// Parses a file as what its path says it is.
fn parse_any(file: &SourceFile) -> Result<AnyFile, Error> {
    if file.path == "api.yaml" {
        parse(file).map(AnyFile::Api)
    } else if file.path.starts_with("schemas/") {
        parse::<SchemaFile>(file).map(|parsed| {
            AnyFile::Schemas(Parsed {
                file: parsed.file,
                locations: parsed.locations,
                value: parsed.value.0,
            })
        })
    } else if file.path.starts_with("resources/") {
        parse(file).map(AnyFile::Resource)
    } else {
        Err(diagnostic(
            &file.path,
            Location { line: 1, column: 1 },
            KeyPath::root(),
            "a spec file belongs in api.yaml, schemas/ or resources/".into(),
        ))
    }
}

/// Deserializes one file, turning any failure into a located diagnostic.
///
/// The file is read by the deserializer only; it is indexed (a second
/// reading, by yaml-rust2) only when something is wrong, to say where. A
/// key written twice and nesting deeper than [`MAX_NESTING`] both stop the
/// deserializer (the spec's maps refuse repeated keys, serde_yaml refuses a
/// 129th level), and the index then names them as it always does: first
/// the nesting, then the repeated key, then the deserializer's own message.
fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<Parsed<T>, Error> {
    let deserializer = serde_yaml::Deserializer::from_str(&file.text);
    let error = match serde_path_to_error::deserialize::<_, T>(deserializer) {
        Ok(value) => {
            return Ok(Parsed {
                file: file.path.clone(),
                locations: Locations::new(file.text.clone()),
                value,
            });
        }
        Err(error) => error,
    };
    let locations = LocationIndex::build(&file.text);
    if let Some((key_path, location)) = locations.too_deep() {
        return Err(diagnostic(
            &file.path,
            location,
            key_path.clone(),
            format!("nested more than {MAX_NESTING} levels deep (mappings and sequences)"),
        ));
    }
    if let Some((key_path, location)) = locations.duplicate_key() {
        let key = key_path
            .as_str()
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_owned();
        return Err(diagnostic(
            &file.path,
            location,
            key_path.clone(),
            format!("duplicate key `{key}`: it is already set above in the same mapping"),
        ));
    }
    let mut key_path = KeyPath::parse(&normalize_path(&error.path().to_string()));
    // On a syntax error the deserializer may be between keys (`a.?`)
    // or not have started; the index knows which key was being read.
    if key_path.as_str().is_empty() || key_path.as_str().contains('?') {
        if let Some(at_error) = locations.syntax_error_path() {
            key_path = at_error.clone();
        }
    }
    let inner = error.into_inner();
    let message = clean_message(&inner.to_string(), &key_path);
    let location = match inner.location() {
        // serde reports a missing key where the mapping's first key
        // is; the mapping's own key is where the reader looks.
        Some(_) if message.starts_with("missing required key") => locations.locate(&key_path),
        Some(at) => Location {
            line: at.line(),
            column: at.column(),
        },
        None => locations.locate(&key_path),
    };
    Err(diagnostic(&file.path, location, key_path, message))
}

/// serde_path_to_error writes the root as `.`; the spec's key paths have no
/// leading dot.
fn normalize_path(path: &str) -> String {
    if path == "." {
        String::new()
    } else {
        path.trim_start_matches('.').to_owned()
    }
}

/// serde_yaml starts its messages with the key path and appends
/// " at line L column C"; the diagnostic already says both, so they are
/// dropped (a syntax error's context, such as where an unclosed flow
/// sequence starts, is kept). Serde's "field" is a "key" in the language of
/// a YAML file.
fn clean_message(message: &str, key_path: &KeyPath) -> String {
    let message = strip_path_prefix(message, key_path.as_str());
    let message = strip_first_position(message);
    message
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing required key")
}

/// Drops a leading `path: ` when `path` is `key_path` or one of its parents.
fn strip_path_prefix<'m>(message: &'m str, key_path: &str) -> &'m str {
    let Some((head, rest)) = message.split_once(": ") else {
        return message;
    };
    let is_parent = key_path
        .strip_prefix(head)
        .is_some_and(|tail| tail.is_empty() || tail.starts_with(['.', '[']));
    if is_parent && !head.is_empty() {
        rest
    } else {
        message
    }
}

/// Drops the first " at line L column C" (the problem's position).
fn strip_first_position(message: &str) -> String {
    fn digits(text: &str) -> usize {
        text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len()
    }
    for (start, _) in message.match_indices(" at line ") {
        let line = &message[start + " at line ".len()..];
        let Some(column) = line[digits(line)..].strip_prefix(" column ") else {
            continue;
        };
        if digits(line) > 0 && digits(column) > 0 {
            let end = message.len() - column.len() + digits(column);
            return format!("{}{}", &message[..start], &message[end..]);
        }
    }
    message.to_owned()
}

pub(crate) fn diagnostic(
    file: &str,
    location: Location,
    key_path: KeyPath,
    message: String,
) -> Error {
    Error::Spec(Diagnostic {
        file: file.to_owned(),
        location,
        key_path,
        message,
    })
}
