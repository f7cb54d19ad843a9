//! Reading the spec directory and parsing each file with locations.

use super::locate::{KeyPath, Location, Locations, MAX_NESTING};
use super::recheck;
use super::{ApiFile, Parsed, ResourceFile, Schema, Spec};
use crate::error::{Diagnostic, Error, Report, Target};
use crate::suggest;
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
    let mut problems = Vec::new();
    let mut files = Vec::new();
    match read_file(dir, "api.yaml")? {
        Ok(file) => files.push(file),
        Err(problem) => problems.push(problem),
    }
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
            let relative = format!("{folder}/{name}");
            // Hidden files (editor state, `.gitkeep`) are not the spec's.
            if name.starts_with('.') {
                continue;
            }
            let problem = if entry.path().is_dir() {
                Some(format!(
                    "`{relative}` is a folder; spec files sit directly in {folder}/, and nested folders are not read"
                ))
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                names.push(name);
                None
            } else if name.to_ascii_lowercase().ends_with(".yaml")
                || name.to_ascii_lowercase().ends_with(".yml")
            {
                Some(format!(
                    "`{relative}` would be skipped: spec files end in `.yaml` or `.yml`, in lower case"
                ))
            } else {
                Some(format!(
                    "`{relative}` is not a spec file: {folder}/ holds only `.yaml` files"
                ))
            };
            if let Some(message) = problem {
                problems.push(whole_file(&relative, message));
            }
        }
        names.sort();
        for name in names {
            match read_file(dir, &format!("{folder}/{name}"))? {
                Ok(file) => files.push(file),
                Err(problem) => problems.push(problem),
            }
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        problems.sort_by(|a, b| a.file.cmp(&b.file));
        Err(Error::Spec(Report::new(problems)))
    }
}

/// A problem of a whole file (or folder), shown at its start.
fn whole_file(relative: &str, message: String) -> Diagnostic {
    Diagnostic::new(
        relative,
        "",
        Location { line: 1, column: 1 },
        Target::Key,
        KeyPath::root(),
        message,
    )
}

/// Reads one file: its text, or a located problem when it is not UTF-8.
fn read_file(dir: &Path, relative: &str) -> Result<Result<SourceFile, Diagnostic>, Error> {
    let path = dir.join(relative);
    let bytes = std::fs::read(&path).map_err(|source| Error::Io { path, source })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Ok(SourceFile {
            path: relative.to_owned(),
            text,
        })),
        Err(error) => Ok(Err(not_utf8(
            relative,
            error.as_bytes(),
            error.utf8_error(),
        ))),
    }
}

/// Where a file stops being UTF-8, and what it seems to be instead.
fn not_utf8(relative: &str, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let valid = &bytes[..error.valid_up_to()];
    let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count()
        + 1;
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let message = if utf16 {
        "the file is UTF-16; save it as UTF-8".to_owned()
    } else {
        format!(
            "the file is not UTF-8: byte 0x{:02X} cannot start a character here; save it as UTF-8",
            bytes.get(error.valid_up_to()).copied().unwrap_or_default()
        )
    };
    Diagnostic::new(
        relative,
        "",
        Location { line, column },
        Target::Value,
        KeyPath::root(),
        message,
    )
}

/// Parses every file: `api.yaml` once, `schemas/…` and `resources/…` by folder.
///
/// Files are parsed on every core; the mistakes of every file are reported
/// together, in file order, so the result does not depend on the machine.
pub fn load_sources(files: &[SourceFile]) -> Result<Spec, Error> {
    let mut api = None;
    let mut schemas = Vec::new();
    let mut resources = Vec::new();
    let mut diagnostics = Vec::new();
    let mut api_seen = false;
    for (file, parsed) in files.iter().zip(crate::parallel::map(files, parse_any)) {
        api_seen |= file.path == "api.yaml";
        match parsed {
            Ok(AnyFile::Api(file)) => api = Some(file),
            Ok(AnyFile::Schemas(file)) => schemas.push(file),
            Ok(AnyFile::Resource(file)) => resources.push(file),
            Err(mut found) => diagnostics.append(&mut found),
        }
    }
    if !api_seen {
        diagnostics.push(Diagnostic::new(
            "api.yaml",
            "",
            Location { line: 1, column: 1 },
            Target::Key,
            KeyPath::root(),
            "the spec has no api.yaml".into(),
        ));
    }
    match api {
        Some(api) if diagnostics.is_empty() => Ok(Spec {
            api,
            schemas,
            resources,
        }),
        _ => Err(Error::Spec(Report::new(diagnostics))),
    }
}

/// A file of `schemas/`: named schemas, each name written once.
#[derive(serde::Deserialize)]
#[serde(transparent)]
pub(super) struct SchemaFile(
    #[serde(deserialize_with = "super::unique::map")] BTreeMap<String, Schema>,
);

/// One parsed file of any of the three kinds.
enum AnyFile {
    Api(Parsed<ApiFile>),
    Schemas(Parsed<BTreeMap<String, Schema>>),
    Resource(Parsed<ResourceFile>),
}

/// Parses a file as what its path says it is.
fn parse_any(file: &SourceFile) -> Result<AnyFile, Vec<Diagnostic>> {
    if file.path == "api.yaml" {
        parse(file, recheck::api).map(AnyFile::Api)
    } else if file.path.starts_with("schemas/") {
        parse::<SchemaFile>(file, recheck::schemas).map(|parsed| {
            AnyFile::Schemas(Parsed {
                file: parsed.file,
                locations: parsed.locations,
                value: parsed.value.0,
            })
        })
    } else if file.path.starts_with("resources/") {
        parse(file, recheck::resource).map(AnyFile::Resource)
    } else {
        Err(vec![Diagnostic::new(
            &file.path,
            &file.text,
            Location { line: 1, column: 1 },
            Target::Key,
            KeyPath::root(),
            "a spec file belongs in api.yaml, schemas/ or resources/".into(),
        )])
    }
}

/// Deserializes one file, turning any failure into located diagnostics.
///
/// The file is read by the deserializer only; it is indexed (a second
/// reading, by yaml-rust2) only when something is wrong, to say where. A
/// key written twice and nesting deeper than [`MAX_NESTING`] both stop the
/// deserializer (the spec's maps refuse repeated keys, serde_yaml refuses a
/// 129th level), and the index then names them as it always does: first
/// the nesting, then the repeated keys, then what the deserializer says.
/// The deserializer stops at the first mistake; to find the others, the
/// file is read again as a YAML value and its parts (each operation, each
/// named schema, …) deserialized one by one (`recheck`).
fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    recheck: fn(serde_yaml::Value) -> Vec<recheck::Problem>,
) -> Result<Parsed<T>, Vec<Diagnostic>> {
    if let Some(location) = super::aliases::too_expanded(&file.text) {
        return Err(vec![Diagnostic::new(
            &file.path,
            &file.text,
            location,
            Target::Value,
            KeyPath::root(),
            format!(
                "the file's aliases expand it to more than {} nodes; write the repeated parts out, or name them as schemas",
                super::aliases::MAX_EXPANDED_NODES
            ),
        )]);
    }
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
    let locations = Locations::new(file.text.clone());
    let index = locations.index();
    // Both are located by the index alone, at a key.
    let at_key = |key_path: &KeyPath, location, message| {
        Diagnostic::new(
            &file.path,
            &file.text,
            location,
            Target::Key,
            key_path.clone(),
            message,
        )
    };
    if let Some((key_path, location)) = index.too_deep() {
        let message =
            format!("nested more than {MAX_NESTING} levels deep (mappings and sequences)");
        return Err(vec![at_key(key_path, location, message)]);
    }
    let mut repeated: Vec<Diagnostic> = Vec::new();
    for (key_path, location) in index.duplicate_keys() {
        // The keys under a repeated key repeat with it; its own place says it.
        if repeated.iter().any(|d| is_under(key_path, &d.key_path)) {
            continue;
        }
        let key = key_path.as_str().rsplit('.').next().unwrap_or_default();
        let message = format!("duplicate key `{key}`: it is already set above in the same mapping");
        // At the second place: the index locates a key at its first.
        repeated.push(at_key(key_path, location, message));
    }
    if !repeated.is_empty() {
        return Err(repeated);
    }
    let mut key_path = KeyPath::parse(&normalize_path(&error.path().to_string()));
    // On a syntax error the deserializer may be between keys (`a.?`)
    // or not have started; the index knows which key was being read.
    if key_path.as_str().is_empty() || key_path.as_str().contains('?') {
        if let Some(at_error) = index.syntax_error_path() {
            key_path = at_error.clone();
        }
    }
    let inner = error.into_inner();
    let at = inner
        .location()
        .map(|at| Location::of_parser_position(&file.text, at.line(), at.column()));
    let first = located(&locations, &file.path, key_path, &inner.to_string(), at);
    if index.syntax_error_path().is_some() {
        return Err(vec![first]);
    }
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) else {
        return Err(vec![first]);
    };
    let mut found: Vec<Diagnostic> = recheck(value)
        .into_iter()
        .map(|problem| located(&locations, &file.path, problem.path, &problem.message, None))
        .collect();
    // The rereading finds the deserializer's mistake too, unless it is
    // one only the deserializer sees.
    if !found.iter().any(|d| d.key_path == first.key_path) {
        found.push(first);
    }
    found.sort_by_key(|d| (d.location.line, d.location.column));
    found.dedup();
    let suggested: Vec<(KeyPath, String)> = found
        .iter()
        .filter_map(|d| Some((d.key_path.clone(), suggestion(d.help.as_deref()?)?)))
        .collect();
    // A required key that is missing because it is misspelled is said
    // once, by the misspelling's `did you mean`.
    found.retain(|d| {
        let Some(key) = d.message.strip_prefix("missing required key `") else {
            return true;
        };
        let key = key.split('`').next().unwrap_or_default();
        !suggested
            .iter()
            .any(|(path, word)| word == key && is_under(path, &d.key_path))
    });
    Err(found)
}

/// A diagnostic for a deserializer's `message` about `key_path`, at the
/// offending value, or at the key for an unknown or missing key; `at` is
/// where the deserializer stopped, when it says.
fn located(
    locations: &Locations,
    file: &str,
    key_path: KeyPath,
    message: &str,
    at: Option<Location>,
) -> Diagnostic {
    let message = clean_message(message, &key_path);
    if let Some(rest) = message.strip_prefix("unknown key `") {
        let key = rest.split('`').next().unwrap_or_default();
        let allowed = backticked(rest.split_once("expected").map_or("", |(_, list)| list));
        let help = suggest::did_you_mean(key, allowed.iter().copied()).unwrap_or_else(|| {
            if allowed.is_empty() {
                "no keys are allowed here".to_owned()
            } else {
                format!("the keys allowed here are {}", quoted_list(&allowed))
            }
        });
        return locations
            .diagnostic(file, &key_path, Target::Key, format!("unknown key `{key}`"))
            .with_help(help);
    }
    if message.starts_with("missing required key") {
        // serde reports a missing key where the mapping's first key is;
        // the mapping's own key is where the reader looks.
        return locations.diagnostic(file, &key_path, Target::Key, message);
    }
    let mut diagnostic = match (locations.index().value(&key_path), at) {
        (Some(_), _) | (None, None) => {
            locations.diagnostic(file, &key_path, Target::Value, message.clone())
        }
        // A syntax error, or a value that is not a scalar: where the
        // deserializer stopped.
        (None, Some(at)) => Diagnostic::new(
            file,
            locations.text(),
            at,
            Target::Key,
            key_path.clone(),
            message.clone(),
        ),
    };
    if let Some(found) = &diagnostic.found {
        let word = found.trim_matches(['"', '\'']);
        let candidates = if let Some((_, list)) = message.split_once("expected one of") {
            backticked(list)
        } else {
            // `type:`'s message lists the type names in parentheses.
            message
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
                .map(|(list, _)| list.split(", ").collect())
                .unwrap_or_default()
        };
        if let Some(help) = suggest::did_you_mean(word, candidates) {
            diagnostic = diagnostic.with_help(help);
        }
    }
    diagnostic
}

/// Whether `path` is inside the mapping or sequence at `ancestor`.
fn is_under(path: &KeyPath, ancestor: &KeyPath) -> bool {
    let (path, ancestor) = (path.as_str(), ancestor.as_str());
    ancestor.is_empty() && !path.is_empty()
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// The word a `did you mean` help suggests.
fn suggestion(help: &str) -> Option<String> {
    let word = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    Some(word.to_owned())
}

/// The words between backticks in `text`.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// `` `a`, `b` and `c` ``.
fn quoted_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
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
/// a YAML file, and its Rust types are said as the spec says them.
fn clean_message(message: &str, key_path: &KeyPath) -> String {
    let message = strip_path_prefix(message, key_path.as_str());
    let message = strip_first_position(message);
    message
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing required key")
        // Rust's number types, in the words of the spec.
        .replace("expected u64", "expected a whole number, 0 or more")
        .replace("expected u16", "expected a status code")
        .replace("expected f64", "expected a number")
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
