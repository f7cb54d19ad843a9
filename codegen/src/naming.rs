//! Turning wire names into Rust identifiers.
//!
//! Wire names can be anything (`$date`, `type`, `Accept-Version`, `""`);
//! every function here returns a valid, non-keyword identifier. Callers make
//! names unique with [`Taken`].

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// Words Rust reserves (2024 edition), which cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keeps only characters an identifier may hold, turning the rest into word
/// breaks so `$date` becomes `date` and `Accept-Version` two words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn finish(mut name: String, empty: &str, digit_prefix: &str) -> String {
    if name.is_empty() {
        name = empty.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Conversions already made, while a [`RememberNames`] guard lives.
#[derive(Default)]
struct Remembered {
    snake: HashMap<String, String>,
    camel: HashMap<String, String>,
}

thread_local! {
    static REMEMBERED: RefCell<Option<Remembered>> = const { RefCell::new(None) };
}

/// While alive, [`snake`] and [`camel`] remember what they converted on
/// this thread: a spec repeats the same property and parameter names in
/// every resource, and heck converts through `fmt` one character at a
/// time. Lowering holds one for its whole run; dropping it forgets, so
/// every run starts from nothing.
pub struct RememberNames(());

/// Starts remembering conversions on this thread until the guard drops.
pub fn remember_names() -> RememberNames {
    REMEMBERED.with(|cell| *cell.borrow_mut() = Some(Remembered::default()));
    RememberNames(())
}

impl Drop for RememberNames {
    fn drop(&mut self) {
        REMEMBERED.with(|cell| *cell.borrow_mut() = None);
    }
}

/// `convert(raw)`, from memory when a [`RememberNames`] guard lives.
fn remembered(
    which: fn(&mut Remembered) -> &mut HashMap<String, String>,
    raw: &str,
    convert: fn(&str) -> String,
) -> String {
    REMEMBERED.with(|cell| {
        let mut cell = cell.borrow_mut();
        let Some(remembered) = cell.as_mut() else {
            return convert(raw);
        };
        let cache = which(remembered);
        if let Some(name) = cache.get(raw) {
            return name.clone();
        }
        let name = convert(raw);
        cache.insert(raw.to_owned(), name.clone());
        name
    })
}

/// `snake_case` for fields, arguments, methods and modules.
pub fn snake(raw: &str) -> String {
    remembered(
        |r| &mut r.snake,
        raw,
        |raw| finish(words(raw).to_snake_case(), "value", "n"),
    )
}

/// `UpperCamelCase` for types and variants.
pub fn camel(raw: &str) -> String {
    remembered(
        |r| &mut r.camel,
        raw,
        |raw| finish(words(raw).to_upper_camel_case(), "Empty", "V"),
    )
}

/// `UpperCamelCase` of `raw` as the start of a longer name
/// (`{name}Request`, `{name}Resource`): a keyword needs no `_` there, and
/// one would read as `Self_Request`, which rustc warns about.
pub fn camel_prefix(raw: &str) -> String {
    let name = camel(raw);
    match name.strip_suffix('_') {
        Some(keyword) if KEYWORDS.contains(&keyword) => keyword.to_owned(),
        _ => name,
    }
}

/// The longest schema name a spec may give, in bytes: rustdoc writes a
/// file `struct.<Name>.html` per type, and file systems refuse names past
/// 255 bytes.
pub const MAX_SCHEMA_NAME: usize = 200;

/// The longest name the generator makes for an inline shape, in bytes.
const MAX_MADE_TYPE_NAME: usize = 80;

/// A made type name (`<Owner><Property>...`, which grows with nesting)
/// cut to at most [`MAX_MADE_TYPE_NAME`] bytes: the first words, which
/// name the owner, and the last, which name the shape itself
/// (`ResultDeepLevel54...Level1` becomes `ResultDeep` and the words from
/// `Level9` on). Callers make the result unique with [`Taken`].
pub fn shorten_type_name(name: String) -> String {
    if name.len() <= MAX_MADE_TYPE_NAME {
        return name;
    }
    // Word starts: every upper-case letter (the names are ASCII camel case).
    let starts: Vec<usize> = name
        .char_indices()
        .filter(|(i, c)| *i == 0 || c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    let head_end = starts
        .iter()
        .copied()
        .rfind(|&i| i > 0 && i <= MAX_MADE_TYPE_NAME / 3)
        .unwrap_or(MAX_MADE_TYPE_NAME / 3);
    let budget = MAX_MADE_TYPE_NAME - head_end;
    let tail_start = starts
        .iter()
        .copied()
        .find(|&i| i >= head_end && name.len() - i <= budget)
        .unwrap_or(name.len() - budget);
    format!("{}{}", &name[..head_end], &name[tail_start..])
}

/// The request builder of operation `action` of resource `resource`:
/// `NotebookGetRequest`. The resource's name is part of it, so the
/// builders of two resources' `get` read apart (`NotebookGetRequest`,
/// `NotebooksGetRequest`), in docs and error messages alike.
pub fn builder_name(resource: &str, action: &str) -> String {
    format!("{}{}Request", camel_prefix(resource), camel_prefix(action))
}

/// The enum of the events of a stream operation `action` of resource
/// `resource`, beside its request builder: `DeviceStateStreamEvent`.
pub fn event_enum_name(resource: &str, action: &str) -> String {
    format!("{}{}Event", camel_prefix(resource), camel_prefix(action))
}

/// The name of a type made for an inline parameter schema (a string
/// `enum`) of resource `owner` (`Notebooks`): `NotebooksSortFieldParam`.
pub fn param_type_name(owner: &str, wire_name: &str) -> String {
    format!("{owner}{}Param", camel(wire_name))
}

/// The name of a type made for an inline schema of multipart part `part`
/// of the operation `owner` (`ApplicationImport`): `ApplicationImportOptionsPart`.
pub fn part_type_name(owner: &str, part: &str) -> String {
    format!("{owner}{}Part", camel(part))
}

/// The variant of a 2xx status in the enum of an operation whose 2xx
/// responses have different bodies: named after the reason phrase (RFC
/// 9110), `Status207` for a code without one there.
pub fn status_variant(status: u16) -> String {
    let reason = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        _ => return format!("Status{status}"),
    };
    reason.to_owned()
}

/// The waiter `waiter` of resource `resource` returns:
/// `NotebookWaitForExecutionWaiter`.
pub fn waiter_name(resource: &str, waiter: &str) -> String {
    format!("{}{}Waiter", camel_prefix(resource), camel_prefix(waiter))
}

/// Names a resource's module and its accessor on `Client` may not take:
/// the crate root's own modules, the crates generated code names, and the
/// methods `Client` has itself (inherent, or from the traits it derives,
/// which an inherent method would shadow).
const RESERVED_RESOURCE_NAMES: &[&str] = &[
    // Modules at the crate root, generated and hand-written.
    "api",
    "types",
    "generated",
    "client",
    "error",
    "impls",
    "json",
    "pagination",
    "pattern",
    "prelude",
    "request",
    "time",
    "upload",
    "validate",
    "mock",
    "future",
    "options",
    "query",
    "sse",
    "waiter",
    // Crates the generated code and the runtime name.
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
    "chrono",
    "tokio",
    "tokio_util",
    "futures_core",
    "futures_util",
    "bytes",
    "url",
    "percent_encoding",
    "regress",
    "tracing",
    "thiserror",
    "http",
    // Methods of `mock::MockServer`, which has an accessor per resource too.
    "start",
    "uri",
    "when",
    "received_requests",
    // Methods of `Client`.
    "new",
    "builder",
    "from_env",
    "builder_from_env",
    "base_url",
    "validates_requests",
    "retry_policy",
    "send",
    "send_ignoring_body",
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "into",
    "try_into",
    "from",
    "borrow",
    "borrow_mut",
    "type_id",
    "eq",
    "ne",
    "hash",
];

/// The `snake_case` module and accessor name of a resource: its name, or
/// with `_resource` appended when the plain name is reserved
/// (`client.client_resource()` for a resource called `client`).
pub fn resource_module(raw: &str) -> String {
    let name = snake(raw);
    if RESERVED_RESOURCE_NAMES.contains(&name.as_str()) {
        format!("{name}_resource")
    } else {
        name
    }
}

/// Names already used in one scope.
#[derive(Debug, Default)]
pub struct Taken(BTreeSet<String>);

impl Taken {
    /// Returns `name`, or `name2`, `name3`, ... if it is taken, and marks
    /// the result taken.
    pub fn claim(&mut self, name: String) -> String {
        let mut candidate = name.clone();
        // A keyword's `_` goes before the number: `Self2`, not `Self_2`,
        // which rustc warns about in a type or variant name.
        let stem = match name.strip_suffix('_') {
            Some(stem) if !stem.is_empty() && !stem.ends_with('_') => stem,
            _ => &name,
        };
        let mut n = 2;
        while self.0.contains(&candidate) {
            candidate = format!("{stem}{n}");
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_identifiers() {
        assert_eq!(snake("cancelExecution"), "cancel_execution");
        assert_eq!(snake("APPLICATION_ID"), "application_id");
        assert_eq!(snake("$date"), "date");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Accept-Version"), "accept_version");
        assert_eq!(snake("_actions"), "actions");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("v1"), "V1");
        assert_eq!(camel("inProgress"), "InProgress");
        assert_eq!(camel("result.error.log"), "ResultErrorLog");
        assert_eq!(camel("self"), "Self_");
    }

    #[test]
    fn remembered_names_are_the_same_names() {
        let fresh = (snake("cancelExecution"), camel("result.error.log"));
        let guard = remember_names();
        for _ in 0..2 {
            assert_eq!(snake("cancelExecution"), fresh.0);
            assert_eq!(camel("result.error.log"), fresh.1);
        }
        drop(guard);
        assert!(REMEMBERED.with(|cell| cell.borrow().is_none()));
    }

    #[test]
    fn long_made_names_keep_their_first_and_last_words() {
        let long: String = std::iter::once("ResultDeep".to_owned())
            .chain((1..=54).rev().map(|n| format!("Level{n}")))
            .collect();
        let short = shorten_type_name(long.clone());
        assert!(short.len() <= 80, "{short}");
        assert!(short.starts_with("ResultDeep"), "{short}");
        assert!(short.ends_with("Level2Level1"), "{short}");
        assert_eq!(shorten_type_name("Short".into()), "Short");
        assert_ne!(short, long);
    }

    #[test]
    fn collisions_get_a_number() {
        let mut taken = Taken::default();
        assert_eq!(taken.claim("asc".into()), "asc");
        assert_eq!(taken.claim("asc".into()), "asc2");
        assert_eq!(taken.claim("asc".into()), "asc3");
    }
}
