//! The generator's one error type, and how a spec mistake is shown.

use crate::spec::{KeyPath, Location};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt;
use std::path::PathBuf;

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A spec file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The spec is wrong; the report says every place and what is wrong.
    #[error("{0}")]
    Spec(Report),
    /// The generator produced code that does not parse: a generator bug.
    #[error("internal error: generated code does not parse: {0}")]
    Internal(String),
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Spec(Report::new(vec![diagnostic]))
    }
}

/// How many diagnostics one run reports; past this, the rest are counted.
pub const MAX_DIAGNOSTICS: usize = 50;

/// Every mistake found in a spec, in file order (the order in which the
/// spec's files were given, then line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
    /// Diagnostics found past [`MAX_DIAGNOSTICS`], not kept.
    omitted: usize,
}

impl Report {
    /// A report of `diagnostics`, kept in the order given, at most
    /// [`MAX_DIAGNOSTICS`] of them.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        let omitted = diagnostics.len().saturating_sub(MAX_DIAGNOSTICS);
        diagnostics.truncate(MAX_DIAGNOSTICS);
        Report {
            diagnostics,
            omitted,
        }
    }

    /// The diagnostics shown, in file order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many diagnostics were found in all, shown or not.
    pub fn count(&self) -> usize {
        self.diagnostics.len() + self.omitted
    }

    /// Every diagnostic as rustc shows its errors, then a summary line;
    /// `color` adds terminal colours.
    pub fn render(&self, color: bool) -> String {
        let renderer = renderer(color);
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            out.push_str(&diagnostic.render_with(&renderer));
            out.push_str("\n\n");
        }
        let count = self.count();
        let mut summary = format!(
            "the spec has {count} error{}",
            if count == 1 { "" } else { "s" }
        );
        if self.omitted > 0 {
            summary.push_str(&format!("; the first {} are shown", self.diagnostics.len()));
        }
        out.push_str(&renderer.render(&[Group::with_title(Level::ERROR.primary_title(summary))]));
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Report {}

/// What a diagnostic's position points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A key: it is unknown, repeated, or its mapping lacks something.
    Key,
    /// A value of the wrong type or content.
    Value,
}

/// A located problem in a spec file. Shown on one line (`Display`) as
/// `resources/notebook.yaml:103:9: operations.logs.query.limit.defualt: unknown key ...`,
/// or as rustc shows an error ([`Diagnostic::render`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File path relative to the spec directory.
    pub file: String,
    /// Line and column of the offending key or value.
    pub location: Location,
    /// Key path of the offending key inside the file (empty for the root).
    pub key_path: KeyPath,
    /// What is wrong.
    pub message: String,
    /// The value found, as written, when a value is wrong.
    pub found: Option<String>,
    /// How to fix it, when there is a likely fix (`did you mean ...`).
    pub help: Option<String>,
    /// The text of line [`Location::line`], for showing it.
    pub source_line: String,
    /// How many characters of the line the key or value takes (at least 1).
    pub width: usize,
}

impl Diagnostic {
    /// A diagnostic at `location` of `text` (the file's content), marking
    /// the key or scalar that starts there.
    pub fn new(
        file: &str,
        text: &str,
        location: Location,
        target: Target,
        key_path: KeyPath,
        message: String,
    ) -> Self {
        let source_line = text
            .lines()
            .nth(location.line.saturating_sub(1))
            .unwrap_or_default()
            .to_owned();
        let token = token_at(&source_line, location.column, target);
        // A scalar is shown as found; a collection is only marked.
        let scalar = !token.is_empty() && !token.starts_with(['[', '{', '-']);
        let found = (target == Target::Value && scalar).then(|| token.to_owned());
        let width = token.chars().count().max(1);
        Diagnostic {
            file: file.to_owned(),
            location,
            key_path,
            message,
            found,
            help: None,
            source_line,
            width,
        }
    }

    /// The same diagnostic with a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic as rustc shows an error; `color` adds terminal colours.
    pub fn render(&self, color: bool) -> String {
        self.render_with(&renderer(color))
    }

    fn render_with(&self, renderer: &Renderer) -> String {
        let line = &self.source_line;
        // Columns count characters; the snippet's spans count bytes.
        let byte_at = |column: usize| {
            line.char_indices()
                .nth(column)
                .map_or(line.len(), |(byte, _)| byte)
        };
        let start = byte_at(self.location.column.saturating_sub(1));
        let end = byte_at(self.location.column.saturating_sub(1) + self.width).max(start);
        let label = match &self.found {
            Some(found) => format!("found `{found}`"),
            None => String::new(),
        };
        let snippet = Snippet::source(line.as_str())
            .line_start(self.location.line)
            .path(self.file.as_str())
            .annotation(AnnotationKind::Primary.span(start..end).label(label));
        let mut group = Level::ERROR
            .primary_title(self.message.as_str())
            .element(snippet);
        if !self.key_path.as_str().is_empty() {
            group = group.element(Level::NOTE.message(format!("key path: {}", self.key_path)));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: ",
            self.file, self.location.line, self.location.column
        )?;
        if !self.key_path.as_str().is_empty() {
            write!(f, "{}: ", self.key_path)?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// The key or scalar that starts at `column` (from 1) of `line`: a quoted
/// scalar to its closing quote, a plain one to the end of the line or, in
/// a flow collection, to the next `,`, `]` or `}`; a key up to its colon.
fn token_at(line: &str, column: usize, target: Target) -> &str {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(byte, _)| byte);
    let rest = &line[start..];
    let in_flow = line[..start].contains(['{', '[']);
    if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let close = rest[1..].find(quote).map_or(rest.len(), |at| at + 2);
        return &rest[..close];
    }
    if rest.starts_with(['{', '[']) {
        // To the matching bracket, if it is on this line.
        let mut depth = 0usize;
        for (at, c) in rest.char_indices() {
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                return &rest[..=at];
            }
        }
        return &rest[..1];
    }
    if rest == "-" || rest.starts_with("- ") {
        return &rest[..1];
    }
    let mut end = rest.find(" #").unwrap_or(rest.len());
    if target == Target::Key {
        end = end.min(rest.find(": ").unwrap_or(end));
        end = end.min(rest.strip_suffix(':').map_or(end, str::len));
    }
    if in_flow {
        end = end.min(rest.find([',', ']', '}']).unwrap_or(end));
    }
    rest[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_is_only_added_when_asked_for() {
        let text = "a:\n  b: wrong\n";
        let location = Location { line: 2, column: 6 };
        let path = KeyPath::parse("a.b");
        let diagnostic =
            Diagnostic::new("f.yaml", text, location, Target::Value, path, "bad".into());
        assert_eq!(diagnostic.found.as_deref(), Some("wrong"));
        let plain = diagnostic.render(false);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(plain.contains("f.yaml:2:6"), "{plain}");
        assert!(plain.contains("^^^^^ found `wrong`"), "{plain}");
        assert!(diagnostic.render(true).contains('\x1b'));
    }

    #[test]
    fn tokens_are_cut_where_yaml_ends_them() {
        assert_eq!(token_at("  type: strng", 9, Target::Value), "strng");
        assert_eq!(token_at("  type: strng # typo", 9, Target::Value), "strng");
        assert_eq!(token_at("  sumary: x", 3, Target::Key), "sumary");
        assert_eq!(token_at("  sumary:", 3, Target::Key), "sumary");
        assert_eq!(token_at("id: { $ref: Wid }", 13, Target::Value), "Wid");
        assert_eq!(token_at("a: 'x, y' # c", 4, Target::Value), "'x, y'");
        assert_eq!(token_at("a: b, c", 4, Target::Value), "b, c");
        assert_eq!(token_at("a: [1, [2]]", 4, Target::Value), "[1, [2]]");
        assert_eq!(token_at("a: [1,", 4, Target::Value), "[");
        assert_eq!(token_at("  - x", 3, Target::Value), "-");
    }
}
