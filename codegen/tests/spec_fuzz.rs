//! Feeds the loader thousands of mutated copies of the real spec, and a few
//! hostile inputs, and checks that every one ends in `Ok` or in a located
//! diagnostic: never a panic, a hang, an internal error, or a location
//! outside the files.
//!
//! The mutations come from a small seeded generator, so every case is
//! reproducible: a failure names its seed, and
//! `SPEC_FUZZ_SEED=0x… cargo test -p codegen --test spec_fuzz mutated`
//! replays that one case and prints what was changed. A case that kills
//! the process (a stack overflow) is found with `SPEC_FUZZ_TRACE=1`, which
//! prints each seed before it runs.

mod support;

use codegen::{Error, SourceFile};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How many mutated specs the fuzz test feeds the loader.
const CASES: u64 = 10_000;

/// The seed every case's seed is derived from.
const BASE_SEED: u64 = 0x5EED_C0DE_6E4E_7A7E;

/// Running the whole generator (emit and format) costs about five times
/// the loader alone in a debug build, too much for ten thousand cases in a
/// minute. [`codegen::load_model`] runs the same parsing and checks, so
/// most cases use it, with the changed file first: the loader stops at the
/// first file that does not parse, so the others are not parsed in vain
/// (the order of the files is not part of the spec). One case in this many
/// runs the full [`codegen::generate_from_sources`] on the files in their
/// usual order, which also catches generated code that does not parse.
const FULL_GENERATE_EVERY: u64 = 40;

/// How long one input may take before it counts as a hang (generous: a
/// debug build on a busy machine).
const HANG_LIMIT: Duration = Duration::from_secs(30);

/// The resident memory the test process may reach (checked on Linux only).
const MEMORY_LIMIT_BYTES: u64 = 2 << 30;

/// After this many failures the fuzz test stops and reports.
const MAX_FAILURES: usize = 20;

// ---------------------------------------------------------------------------
// The generator.

/// splitmix64: small, fast and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be zero.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An item, or `None` when there is none.
    fn pick_some<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| *self.pick(items))
    }
}

/// The seed of case `index`.
fn case_seed(index: u64) -> u64 {
    Rng(BASE_SEED.wrapping_add(index)).next()
}

// ---------------------------------------------------------------------------
// Mutations.

/// Characters inserted into the text: YAML indicators, whitespace and
/// control characters, and non-ASCII (including YAML's extra line breaks).
const CHARS: &[char] = &[
    ':', '-', '{', '}', '[', ']', ',', '\'', '"', '#', '&', '*', '!', '|', '>', '%', '@', '`', '?',
    '\\', ' ', '\t', '\n', '\r', '\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', 'é', 'λ',
    '€', '\u{200b}', '\u{2028}', '\u{feff}', '\u{fffd}', '😀',
];

/// Values written in place of a scalar or a whole block: other types and
/// YAML oddities.
const VALUES: &[&str] = &[
    "42",
    "-1",
    "0",
    "3.25",
    "1e400",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "99999999999999999999999",
    "true",
    "false",
    "yes",
    "null",
    "~",
    "\"\"",
    "''",
    "\"text\"",
    "plain words here",
    "[]",
    "[a, 1, true]",
    "[[[]]]",
    "{}",
    "{ a: 1 }",
    "{ type: string }",
    "{ type: [string, \"null\"] }",
    "{ $ref: Nowhere }",
    "\"\\u0000\"",
    "!!binary aGVsbG8=",
    "!custom x",
    "|\n  block text",
    ">-",
    "*nothing",
    "&anchor",
    "2001-12-14",
    "GET",
    "get",
    "bearer",
    "header",
    "query",
    "file",
    "application/json",
    "multipart/form-data",
    "/x/{Y}",
    "/{A}/{A}",
    "{ description: d }",
    "\"{{template}}\"",
    "'[unclosed'",
    "'(?<'",
    "\"\\q\"",
];

/// Keys written in place of a key: misspellings, other keys of the spec,
/// numbers and oddities.
const KEYS: &[&str] = &[
    "type",
    "types",
    "Type",
    "$ref",
    "ref",
    "properties",
    "required",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "enum",
    "description",
    "summary",
    "schema",
    "method",
    "path",
    "scopes",
    "query",
    "headers",
    "body",
    "responses",
    "pagination",
    "name",
    "in",
    "default",
    "example",
    "format",
    "pattern",
    "additionalProperties",
    "patternProperties",
    "nullable",
    "minimum",
    "maxLength",
    "content_type",
    "parts",
    "kind",
    "title",
    "version",
    "base_url",
    "auth",
    "scheme",
    "parameters",
    "operations",
    "path_components",
    "page",
    "per_page",
    "total",
    "200",
    "0",
    "-1",
    "70000",
    "1e3",
    "''",
    "\"a b\"",
    "<<",
    "x y",
    "self",
    "type_",
    "r#type",
];

/// `$ref` targets that name nothing.
const UNKNOWN_REFS: &[&str] = &[
    "Nowhere",
    "''",
    "' '",
    "notebook.yaml#/Notebook",
    "'#/components/schemas/Notebook'",
    "objectid",
    "Object Id",
    "1",
    "[A, B]",
    "{ x: 1 }",
    "~",
];

/// Lines inserted as they are (indented like the line they go before).
const YAML_LINES: &[&str] = &[
    "&a x: 1",
    "x: *a",
    "<<: *a",
    "x: &a [*a]",
    "? [a, b]",
    ": c",
    "---",
    "...",
    "%YAML 1.2",
    "!custom x: 1",
    "- item",
    "x: |",
    "x: 'unterminated",
    "x: \"bad escape \\q\"",
    "x: {a: [1, {b: }]}",
    "'': empty key",
    "~: null key",
    "1.5: float key",
    "[a]: sequence key",
    "{a: 1}: mapping key",
    "x: 2001-12-14t21:59:43.10-05:00",
    "# a comment",
    "",
];

/// `(key range, where the value starts)` of a `key: value` or `- key: value`
/// line; the value may be empty (a block follows).
fn key_value(line: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let start = if line[indent..].starts_with("- ") {
        indent + 2
    } else {
        indent
    };
    let rest = &line[start..];
    let colon = match rest.find(": ") {
        Some(colon) => colon,
        None if rest.ends_with(':') => rest.len() - 1,
        None => return None,
    };
    let key = &rest[..colon];
    if key.is_empty() || key.contains(['{', '[', '"', '\'', ' ', '#', ',']) {
        return None;
    }
    Some((start..start + colon, start + colon + 1))
}

/// The nearest char boundary at or before `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Applies one random mutation to `text`; returns what it did, or `None`
/// when the chosen mutation found nothing to change.
fn mutate(rng: &mut Rng, text: &mut String, names: &[String]) -> Option<String> {
    // Mutations of the raw text.
    match rng.below(20) {
        0 | 1 => {
            let at = boundary(text, rng.below(text.len() + 1));
            let c = *rng.pick(CHARS);
            text.insert(at, c);
            return Some(format!("insert {c:?} at byte {at}"));
        }
        2 => {
            let at = boundary(text, rng.below(text.len() + 1));
            let c = text[at..].chars().next()?;
            text.remove(at);
            return Some(format!("delete {c:?} at byte {at}"));
        }
        3 => {
            let at = if rng.below(8) == 0 {
                0
            } else {
                boundary(text, rng.below(text.len() + 1))
            };
            text.truncate(at);
            return Some(format!("truncate at byte {at}"));
        }
        _ => {}
    }

    // Mutations of lines.
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let n = lines.len();
    let with_key: Vec<usize> = (0..n).filter(|&i| key_value(&lines[i]).is_some()).collect();
    let with_value: Vec<usize> = with_key
        .iter()
        .copied()
        .filter(|&i| {
            let (_, value) = key_value(&lines[i]).expect("a key");
            !lines[i][value..].trim().is_empty()
        })
        .collect();
    let step = match rng.below(16) {
        0 => {
            let i = rng.below(n);
            lines.remove(i);
            format!("delete line {}", i + 1)
        }
        1 => {
            let i = rng.below(n);
            lines.insert(i, lines[i].clone());
            format!("duplicate line {}", i + 1)
        }
        2 => {
            let (i, j) = (rng.below(n), rng.below(n));
            lines.swap(i, j);
            format!("swap lines {} and {}", i + 1, j + 1)
        }
        3 => {
            let i = rng.below(n);
            let line = &lines[i];
            let body = line.trim_start_matches(' ');
            let indent = line.len() - body.len();
            let new_indent = match rng.below(4) {
                0 => " ".repeat(indent + 1 + rng.below(4)),
                1 => " ".repeat(indent.saturating_sub(1 + rng.below(4))),
                2 => String::new(),
                _ => format!("\t{}", " ".repeat(indent.saturating_sub(1))),
            };
            lines[i] = format!("{new_indent}{body}");
            format!("indent line {} by {:?}", i + 1, new_indent)
        }
        4 => {
            let i = rng.pick_some(&with_key)?;
            let (range, _) = key_value(&lines[i]).expect("a key");
            let key: Vec<char> = lines[i][range.clone()].chars().collect();
            let k = rng.below(key.len());
            let new_key: String = match rng.below(6) {
                0 => key
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .map(|(_, c)| *c)
                    .collect(),
                1 => key.iter().take(k + 1).chain(&key[k..]).collect(),
                2 if key.len() > 1 => {
                    let mut swapped = key.clone();
                    swapped.swap(k, (k + 1) % key.len());
                    swapped.into_iter().collect()
                }
                3 => key
                    .iter()
                    .enumerate()
                    .map(|(j, c)| if j == k { c.to_ascii_uppercase() } else { *c })
                    .collect(),
                _ => (*rng.pick(KEYS)).to_owned(),
            };
            lines[i].replace_range(range, &new_key);
            format!("rename key on line {} to {new_key:?}", i + 1)
        }
        5 | 6 => {
            let i = rng.pick_some(&with_key)?;
            let (_, value) = key_value(&lines[i]).expect("a key");
            let new_value = *rng.pick(VALUES);
            lines[i].replace_range(value.., &format!(" {new_value}"));
            format!("set value on line {} to {new_value:?}", i + 1)
        }
        7 | 8 => {
            let refs: Vec<usize> = (0..n).filter(|&i| lines[i].contains("$ref:")).collect();
            let i = rng.pick_some(&refs)?;
            let start = lines[i].find("$ref:").expect("a $ref") + "$ref:".len();
            let end = lines[i][start..]
                .find([',', '}'])
                .map_or(lines[i].len(), |end| start + end);
            let target = if rng.below(2) == 0 {
                (*rng.pick(UNKNOWN_REFS)).to_owned()
            } else {
                // Another schema, which may make a cycle.
                rng.pick(names).clone()
            };
            lines[i].replace_range(start..end, &format!(" {target} "));
            format!("retarget $ref on line {} to {target:?}", i + 1)
        }
        9 => {
            let (i, j) = (rng.pick_some(&with_value)?, rng.pick_some(&with_value)?);
            let (_, vi) = key_value(&lines[i]).expect("a key");
            let (_, vj) = key_value(&lines[j]).expect("a key");
            let (a, b) = (lines[i][vi..].to_owned(), lines[j][vj..].to_owned());
            lines[i].replace_range(vi.., &b);
            lines[j].replace_range(vj.., &a);
            format!("swap values of lines {} and {}", i + 1, j + 1)
        }
        10 => {
            // An anchor on one value and an alias of it in place of another.
            let i = rng.pick_some(&with_key)?;
            let j = *rng.pick(&with_key);
            let (_, vi) = key_value(&lines[i]).expect("a key");
            lines[i].insert_str(vi, " &m");
            let (_, vj) = key_value(&lines[j]).expect("a key");
            lines[j].replace_range(vj.., " *m");
            format!("anchor line {} and alias it on line {}", i + 1, j + 1)
        }
        11 | 12 => {
            let i = rng.below(n);
            let indent = lines[i].len() - lines[i].trim_start_matches(' ').len();
            let new = format!("{}{}", " ".repeat(indent), rng.pick(YAML_LINES));
            lines.insert(i, new.clone());
            format!("insert line {new:?} before line {}", i + 1)
        }
        13 => {
            let (from, len, to) = (rng.below(n), 1 + rng.below(12), rng.below(n + 1));
            let block: Vec<String> = lines[from..(from + len).min(n)].to_vec();
            let copied = block.len();
            lines.splice(to..to, block);
            format!(
                "copy {copied} lines from line {} to line {}",
                from + 1,
                to + 1
            )
        }
        14 => {
            let i = rng.below(n);
            let junk: String = (0..1 + rng.below(20))
                .map(|_| {
                    if rng.below(2) == 0 {
                        *rng.pick(CHARS)
                    } else {
                        char::from(b'a' + rng.below(26) as u8)
                    }
                })
                .collect();
            lines[i] = junk.clone();
            format!("replace line {} with {junk:?}", i + 1)
        }
        _ => {
            // Move a block to another indentation level: a subtree that
            // changes parent.
            let (from, len) = (rng.below(n), 1 + rng.below(8));
            let to = (from + len).min(n);
            let shift = rng.below(2) == 0;
            for line in &mut lines[from..to] {
                if shift {
                    line.insert_str(0, "  ");
                } else if line.starts_with("  ") {
                    line.replace_range(..2, "");
                }
            }
            let direction = if shift { "right" } else { "left" };
            format!("shift lines {}..={to} {direction}", from + 1)
        }
    };
    *text = lines.join("\n");
    Some(step)
}

/// Changes to the set of files rather than to one file's text.
fn mutate_files(rng: &mut Rng, files: &mut Vec<SourceFile>) -> String {
    match rng.below(5) {
        0 => {
            let removed = files.remove(rng.below(files.len()));
            format!("drop {}", removed.path)
        }
        1 => {
            // A second copy: every name it defines is defined twice.
            let copy = rng.pick(&files[1..]).clone();
            let (folder, _) = copy.path.split_once('/').expect("a folder");
            let path = format!("{folder}/zz-copy.yaml");
            files.push(SourceFile {
                path: path.clone(),
                text: copy.text,
            });
            format!("copy {} to {path}", copy.path)
        }
        2 => {
            let path = (*rng.pick(&["other.yaml", "schemas", "api.yml", "resources/"])).to_owned();
            files.push(SourceFile {
                path: path.clone(),
                text: "a: 1\n".into(),
            });
            format!("add a file at {path:?}")
        }
        3 => {
            let (i, j) = (rng.below(files.len()), rng.below(files.len()));
            let text = std::mem::take(&mut files[i].text);
            files[i].text = std::mem::replace(&mut files[j].text, text);
            format!("swap the texts of {} and {}", files[i].path, files[j].path)
        }
        _ => {
            let path = (*rng.pick(&["schemas/empty.yaml", "resources/empty.yaml"])).to_owned();
            files.push(SourceFile {
                path: path.clone(),
                text: (*rng.pick(&["", "\n", "# nothing\n", "---\n", "{}\n"])).to_owned(),
            });
            format!("add {path}")
        }
    }
}

/// One mutated spec.
struct Case {
    seed: u64,
    files: Vec<SourceFile>,
    /// What was changed, for the report.
    steps: Vec<String>,
}

fn make_case(seed: u64, spec: &[SourceFile], names: &[String]) -> Case {
    let mut rng = Rng(seed);
    let mut files = spec.to_vec();
    let mut steps = Vec::new();
    if rng.below(25) == 0 {
        steps.push(mutate_files(&mut rng, &mut files));
        return Case { seed, files, steps };
    }
    // Most cases pick a file at random; one in four picks a line at random,
    // so the large schema file gets more of a share (but not all: it is
    // also the slowest to parse).
    let index = if rng.below(4) != 0 {
        rng.below(files.len())
    } else {
        let total: usize = files.iter().map(|f| f.text.lines().count()).sum();
        let mut line = rng.below(total.max(1));
        files
            .iter()
            .position(|f| {
                let count = f.text.lines().count();
                line < count || {
                    line -= count;
                    false
                }
            })
            .unwrap_or(0)
    };
    let wanted = 1 + rng.below(3);
    let mut text = files[index].text.clone();
    for _ in 0..50 {
        if steps.len() == wanted {
            break;
        }
        if let Some(step) = mutate(&mut rng, &mut text, names) {
            steps.push(format!("{}: {step}", files[index].path));
        }
    }
    files[index].text = text;
    Case { seed, files, steps }
}

// ---------------------------------------------------------------------------
// Checking one input.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Located,
}

/// Runs the loader (or the whole generator) on `files` and checks that it
/// ends in `Ok` or in a diagnostic located inside one of the files.
fn check(files: &[SourceFile], full: bool) -> Result<Outcome, String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        if full {
            codegen::generate_from_sources(files).map(drop)
        } else {
            codegen::load_model(files).map(drop)
        }
    }));
    let error = match result {
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(not a string)".into());
            return Err(format!("panicked: {message}"));
        }
        Ok(Ok(())) => return Ok(Outcome::Ok),
        Ok(Err(error)) => error,
    };
    let Error::Spec(report) = error else {
        return Err(format!("not a located spec error: {error}"));
    };
    if report.diagnostics().is_empty() {
        return Err("a spec error without a diagnostic".into());
    }
    // Rendering must not panic either, whatever the position.
    let _ = report.render(true);
    for d in report.diagnostics() {
        let lines = match files.iter().find(|f| f.path == d.file) {
            Some(file) => file.text.lines().count(),
            // The one diagnostic about a file that is not there.
            None if d.file == "api.yaml" && d.message.contains("no api.yaml") => 0,
            None => return Err(format!("names a file that is not in the spec: {d}")),
        };
        if d.location.line < 1 || d.location.line > lines + 1 {
            return Err(format!("line outside the file ({lines} lines): {d}"));
        }
        if d.location.column < 1 {
            return Err(format!("column 0: {d}"));
        }
        if d.message.trim().is_empty() {
            return Err(format!("empty message: {d}"));
        }
    }
    Ok(Outcome::Located)
}

/// The resident memory of this process, where the system says it.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Fails when the process uses more memory than [`MEMORY_LIMIT_BYTES`].
fn check_memory(what: &str) -> Result<(), String> {
    match resident_bytes() {
        Some(bytes) if bytes > MEMORY_LIMIT_BYTES => Err(format!(
            "{what}: the process uses {} MiB of memory",
            bytes >> 20
        )),
        _ => Ok(()),
    }
}

/// [`check`] on a thread of its own, failing when it takes longer than
/// [`HANG_LIMIT`] or the process grows past the memory limit. A thread that
/// hangs is left behind: the test fails and the process ends with it.
fn check_bounded(name: &str, files: Vec<SourceFile>) -> Outcome {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(check(&files, true));
    });
    let start = Instant::now();
    loop {
        match receive.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(outcome)) => return outcome,
            Ok(Err(failure)) => panic!("{name}: {failure}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the check died"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Err(failure) = check_memory(name) {
            panic!("{failure}");
        }
        assert!(
            start.elapsed() < HANG_LIMIT,
            "{name}: still running after {HANG_LIMIT:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// The spec.

/// The hand-written part of the real spec (a case runs the generator once
/// per file, so the imported platform would make it slow, not stronger).
fn real_spec() -> Vec<SourceFile> {
    support::hand_written_spec()
}

/// The names the schema files define (their top-level keys).
fn schema_names(spec: &[SourceFile]) -> Vec<String> {
    spec.iter()
        .filter(|f| f.path.starts_with("schemas/"))
        .flat_map(|f| f.text.lines())
        .filter(|line| !line.starts_with([' ', '#', '-']))
        .filter_map(|line| line.strip_suffix(':'))
        .map(str::to_owned)
        .collect()
}

/// The real spec with `path`'s text replaced (or added).
fn spec_with(path: &str, text: &str) -> Vec<SourceFile> {
    let mut files = real_spec();
    match files.iter_mut().find(|f| f.path == path) {
        Some(file) => file.text = text.to_owned(),
        None => files.push(SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        }),
    }
    files
}

/// Every file of the spec in turn replaced by `text`, each checked: the
/// spec needs every one of its files, so each must end in a located error.
fn check_in_every_file(name: &str, text: &str) {
    for file in real_spec() {
        let name = format!("{name} as {}", file.path);
        let outcome = check_bounded(&name, spec_with(&file.path, text));
        assert_eq!(outcome, Outcome::Located, "{name}");
    }
}

/// The seed of the case a fuzz worker is running, and since when.
type Running = Mutex<Option<(u64, Instant)>>;

/// `files` with those that differ from the real spec first.
fn changed_first(files: &[SourceFile], spec: &[SourceFile]) -> Vec<SourceFile> {
    let unchanged = |file: &SourceFile| {
        spec.iter()
            .any(|f| f.path == file.path && f.text == file.text)
    };
    let mut files = files.to_vec();
    files.sort_by_key(unchanged);
    files
}

fn describe(case: &Case, spec: &[SourceFile]) -> String {
    let mut out = format!("seed {:#018x}:\n", case.seed);
    for step in &case.steps {
        out += &format!("  {step}\n");
    }
    for file in &case.files {
        let original = spec.iter().find(|f| f.path == file.path);
        let before = original.map_or("", |f| f.text.as_str());
        if before != file.text {
            let diff = similar::TextDiff::from_lines(before, &file.text);
            out += &diff
                .unified_diff()
                .context_radius(2)
                .header(&file.path, &file.path)
                .to_string();
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn the_real_spec_loads() {
    assert_eq!(check(&real_spec(), true), Ok(Outcome::Ok));
}

#[test]
fn mutated_specs_end_in_ok_or_a_located_error() {
    let spec = Arc::new(real_spec());
    let names = Arc::new(schema_names(&spec));
    assert!(!names.is_empty());

    if let Ok(seed) = std::env::var("SPEC_FUZZ_SEED") {
        let seed = u64::from_str_radix(seed.trim_start_matches("0x"), 16).expect("a hex seed");
        let case = make_case(seed, &spec, &names);
        println!("{}", describe(&case, &spec));
        let loaded = check(&changed_first(&case.files, &spec), false);
        println!("load_model, changed file first: {loaded:?}");
        let generated = check(&case.files, true);
        println!("generate_from_sources: {generated:?}");
        assert!(loaded.is_ok() && generated.is_ok());
        return;
    }
    let trace = std::env::var_os("SPEC_FUZZ_TRACE").is_some();

    let start = Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    // What each worker is running and since when, for the hang check.
    let running: Arc<Vec<Running>> = Arc::new((0..workers).map(|_| Mutex::new(None)).collect());
    let (send, receive) = mpsc::channel::<(u64, Result<Outcome, String>)>();
    for worker in 0..workers {
        let (spec, names, next, stop, running, send) = (
            spec.clone(),
            names.clone(),
            next.clone(),
            stop.clone(),
            running.clone(),
            send.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= CASES {
                    break;
                }
                let seed = case_seed(index);
                if trace {
                    eprintln!("case {index} seed {seed:#018x}");
                }
                let case = make_case(seed, &spec, &names);
                let full = index % FULL_GENERATE_EVERY == 0;
                let files = if full {
                    case.files.clone()
                } else {
                    changed_first(&case.files, &spec)
                };
                *running[worker].lock().unwrap() = Some((seed, Instant::now()));
                let result = check(&files, full)
                    .map_err(|failure| format!("{failure}\n{}", describe(&case, &spec)));
                *running[worker].lock().unwrap() = None;
                if send.send((index, result)).is_err() {
                    break;
                }
            }
        });
    }
    drop(send);

    let (mut ok, mut located, mut done) = (0u64, 0u64, 0u64);
    let mut failures = Vec::new();
    loop {
        match receive.recv_timeout(Duration::from_millis(100)) {
            Ok((_, Ok(Outcome::Ok))) => ok += 1,
            Ok((_, Ok(Outcome::Located))) => located += 1,
            Ok((index, Err(failure))) => {
                failures.push(format!("case {index}: {failure}"));
                if failures.len() >= MAX_FAILURES {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        done = ok + located + failures.len() as u64;
        for slot in running.iter() {
            if let Some((seed, since)) = *slot.lock().unwrap() {
                if since.elapsed() > HANG_LIMIT {
                    stop.store(true, Ordering::Relaxed);
                    let case = make_case(seed, &spec, &names);
                    panic!(
                        "still running after {HANG_LIMIT:?}: {}",
                        describe(&case, &spec)
                    );
                }
            }
        }
        if let Err(failure) = check_memory("fuzz") {
            stop.store(true, Ordering::Relaxed);
            panic!("{failure}");
        }
    }
    println!(
        "{done} mutated specs in {:.1?} on {workers} threads: {ok} ok, {located} located errors, {} failures",
        start.elapsed(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(done, CASES, "not every case ran");
    assert!(
        ok > 0 && located > 0,
        "the mutations should give both outcomes"
    );
}

#[test]
fn a_file_of_nul_bytes() {
    check_in_every_file("one NUL", "\0");
    check_in_every_file("NUL bytes", &"\0".repeat(4096));
    check_in_every_file("NUL lines", &"\0\n".repeat(64));
}

#[test]
fn a_file_that_is_not_a_mapping() {
    check_in_every_file("block list", "- a\n- b: 1\n- [c]\n");
    check_in_every_file("flow list", "[1, 2, 3]\n");
    check_in_every_file("scalar", "just some words\n");
    check_in_every_file("null", "~\n");
    check_in_every_file("empty", "");
    check_in_every_file("comment", "# nothing here\n");
    check_in_every_file("two documents", "a: 1\n---\nb: 2\n");
}

#[test]
fn deeply_nested_yaml() {
    let depth = 10_000;
    let nested = [
        ("unclosed [", "[".repeat(depth)),
        (
            "closed [",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        ("unclosed {", "{".repeat(depth)),
        (
            "nested {a:",
            format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth)),
        ),
        ("block sequences", format!("{}x\n", "- ".repeat(depth))),
        (
            "block mappings",
            (0..1_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ),
    ];
    for (name, text) in &nested {
        check_in_every_file(name, text);
    }
    // Nested where the deserializer reads it: an example value, and a
    // schema whose items are nested past serde's recursion limit.
    let api = real_spec()[0].text.clone();
    let nested_example = api.replace(
        "example: \"^1.30.0\"",
        &format!("example: {}{}", "[".repeat(depth), "]".repeat(depth)),
    );
    assert_ne!(api, nested_example);
    let outcome = check_bounded("nested example", spec_with("api.yaml", &nested_example));
    assert_eq!(outcome, Outcome::Located, "nested example");
    // Schemas nested through `items`, one YAML level each (plus three for
    // the file, the schema and the innermost item): as deep as the spec
    // allows (128 levels, serde_yaml's limit), just past it, and far past.
    for (levels, expected) in [
        (125, Outcome::Ok),
        (126, Outcome::Located),
        (200, Outcome::Located),
    ] {
        let schema = format!(
            "Deep:\n  type: array\n  items: {}{{ type: string }}{}\n",
            "{ type: array, items: ".repeat(levels),
            " }".repeat(levels)
        );
        let outcome = check_bounded(
            &format!("items nested {levels} deep"),
            spec_with("schemas/deep.yaml", &schema),
        );
        assert_eq!(outcome, expected, "items nested {levels} deep");
    }
}

#[test]
fn an_alias_bomb() {
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (name, previous) in "bcdefghi".chars().zip("abcdefgh".chars()) {
        let items = vec![format!("*{previous}"); 9].join(",");
        bomb += &format!("{name}: &{name} [{items}]\n");
    }
    check_in_every_file("alias bomb", &bomb);

    // Where it is read: inside an example value, which takes any YAML.
    let indent = |spaces: usize| -> String {
        let indent = " ".repeat(spaces);
        bomb.lines().map(|l| format!("{indent}{l}\n")).collect()
    };
    let in_schema = format!("Bomb:\n  type: object\n  example:\n{}", indent(4));
    let api = real_spec()[0].text.clone();
    let in_parameter = api.replace("example: \"^1.30.0\"", &format!("example:\n{}", indent(6)));
    assert_ne!(api, in_parameter);
    for (name, files) in [
        (
            "in a schema example",
            spec_with("schemas/bomb.yaml", &in_schema),
        ),
        (
            "in a parameter example",
            spec_with("api.yaml", &in_parameter),
        ),
    ] {
        let outcome = check_bounded(&format!("alias bomb {name}"), files);
        assert_eq!(outcome, Outcome::Located, "alias bomb {name}");
    }
}

#[test]
fn reference_cycles() {
    let cycles = "\
Loop:
  $ref: Loop
Ping:
  $ref: Pong
Pong:
  $ref: Ping
Tree:
  type: object
  properties:
    children:
      type: array
      items: { $ref: Tree }
Either:
  oneOf:
    - $ref: Either
    - type: string
Everything:
  allOf:
    - $ref: Everything
";
    check_bounded("reference cycles", spec_with("schemas/cycles.yaml", cycles));
}
