//! Where each key of a YAML file is: the index behind every located error.
//!
//! serde gives the position of errors it finds while deserializing, but the
//! checks that come later (unresolved references, path templates, duplicate
//! names) need the position of a key they already hold. This index maps each
//! key path (`operations.logs.query.limit`, `parameters[2].name`) to the line
//! and column where that key, or that sequence item, starts.

use crate::error::{Diagnostic, Target};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A line and column in a spec file, both starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl Location {
    /// Where the YAML parser's position (`line` and `column`, from 1, as
    /// serde_yaml reports them) is in `text` as this project counts lines.
    /// The parser also ends a line at a lone `\r`, a NEL (U+0085) and the
    /// line and paragraph separators (U+2028, U+2029); a file's lines here
    /// end only at `\n`, as an editor and the reports show them.
    pub fn of_parser_position(text: &str, line: usize, column: usize) -> Location {
        let (mut parser, mut here) = ((1, 1), Location { line: 1, column: 1 });
        let mut chars = text.chars().peekable();
        while parser < (line, column) {
            let Some(c) = chars.next() else { break };
            match c {
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    parser = (parser.0 + 1, 1);
                    here = Location {
                        line: here.line + 1,
                        column: 1,
                    };
                }
                '\n' => {
                    parser = (parser.0 + 1, 1);
                    here = Location {
                        line: here.line + 1,
                        column: 1,
                    };
                }
                '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                    parser = (parser.0 + 1, 1);
                    here.column += 1;
                }
                _ => {
                    parser.1 += 1;
                    here.column += 1;
                }
            }
        }
        here
    }
}

/// A dotted path to a key inside one file: `operations.logs.query.limit`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct KeyPath(String);

impl KeyPath {
    /// The path of the document root.
    pub fn root() -> Self {
        KeyPath(String::new())
    }

    /// Parses a path already in dotted form.
    pub fn parse(text: &str) -> Self {
        KeyPath(text.to_owned())
    }

    /// The path of `key` inside this mapping.
    pub fn key(&self, key: &str) -> Self {
        if self.0.is_empty() {
            KeyPath(key.to_owned())
        } else {
            KeyPath(format!("{}.{key}", self.0))
        }
    }

    /// The path of item `index` of this sequence.
    pub fn index(&self, index: usize) -> Self {
        KeyPath(format!("{}[{index}]", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path one level up, if any.
    fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            return None;
        }
        let cut = self.0.rfind(['.', '[']).unwrap_or(0);
        Some(KeyPath(self.0[..cut].to_owned()))
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Key path → location, for one file.
#[derive(Debug, Default)]
pub struct LocationIndex {
    starts: HashMap<KeyPath, Location>,
    /// Where the value of each key or item that is a scalar or a sequence
    /// starts.
    values: HashMap<KeyPath, Location>,
    /// Every key written twice in one mapping, and where the second is, in
    /// file order.
    duplicates: Vec<(KeyPath, Location)>,
    /// For a file that does not parse: the key path being read when the
    /// parser stopped.
    syntax_error: Option<KeyPath>,
    /// The first mapping or sequence nested deeper than [`MAX_NESTING`];
    /// what it holds is not indexed.
    too_deep: Option<(KeyPath, Location)>,
}

impl LocationIndex {
    /// Indexes `text`. A file that does not parse gives an empty index that
    /// only knows the key path where parsing stopped: the deserializer
    /// reports the syntax error with its own location.
    pub fn build(text: &str) -> Self {
        let mut builder = IndexBuilder::default();
        let mut parser = Parser::new_from_str(text);
        // The events of the first document, read in a loop: the parser's own
        // `load` recurses once per level of nesting, which overflows the
        // stack on deeply nested input (`- - - … x`).
        loop {
            match parser.next_token() {
                Ok((Event::DocumentEnd | Event::StreamEnd, _)) => break,
                Ok((event, mark)) => builder.on_event(event, mark),
                Err(error) => {
                    let path = builder.current_path();
                    // The scanner gives up past 255 levels of flow nesting,
                    // possibly before the parser has passed on the levels
                    // past the limit: this too is too deep.
                    let too_deep = builder.too_deep.or_else(|| {
                        (error.info() == "recursion limit exceeded").then(|| {
                            let location = Location {
                                line: error.marker().line(),
                                column: error.marker().col() + 1,
                            };
                            (path.clone(), location)
                        })
                    });
                    return LocationIndex {
                        syntax_error: Some(path),
                        too_deep,
                        ..LocationIndex::default()
                    };
                }
            }
        }
        LocationIndex {
            starts: builder.starts,
            values: builder.values,
            duplicates: builder.duplicates,
            syntax_error: None,
            too_deep: builder.too_deep,
        }
    }

    /// For a file that does not parse, the key path that was being read
    /// when the parser stopped (`operations.get.scopes`).
    pub fn syntax_error_path(&self) -> Option<&KeyPath> {
        self.syntax_error.as_ref()
    }

    /// The first key that appears twice in the same mapping, if any: YAML
    /// parsers keep only one of the two, so the other would be lost silently.
    pub fn duplicate_key(&self) -> Option<(&KeyPath, Location)> {
        self.duplicate_keys().next()
    }

    /// Every key that appears again in the same mapping, at its second
    /// place, in file order.
    pub fn duplicate_keys(&self) -> impl Iterator<Item = (&KeyPath, Location)> {
        self.duplicates
            .iter()
            .map(|(path, location)| (path, *location))
    }

    /// The first mapping or sequence nested deeper than the spec allows
    /// (more than 32 levels, the root included), if any.
    pub fn too_deep(&self) -> Option<(&KeyPath, Location)> {
        self.too_deep
            .as_ref()
            .map(|(path, location)| (path, *location))
    }

    /// The location of `path`, or of its nearest ancestor that exists (a
    /// missing key is reported where its mapping starts).
    pub fn locate(&self, path: &KeyPath) -> Location {
        let mut current = Some(path.clone());
        while let Some(candidate) = current {
            if let Some(location) = self.starts.get(&candidate) {
                return *location;
            }
            current = candidate.parent();
        }
        Location { line: 1, column: 1 }
    }

    /// Where the value of `path` starts, if it is a scalar (`strng` in
    /// `type: strng`) or a sequence: a wrong value is shown there, not at
    /// its key.
    pub fn value(&self, path: &KeyPath) -> Option<Location> {
        self.values.get(path).copied()
    }
}

/// The [`LocationIndex`] of one file, built the first time a location is
/// asked for. Only a spec with an error needs locations, so a spec without
/// one is read by the YAML parser once, not twice.
#[derive(Debug)]
pub struct Locations {
    text: String,
    index: OnceLock<LocationIndex>,
}

impl Locations {
    /// The locations of the keys of `text`, not indexed yet.
    pub fn new(text: String) -> Self {
        Locations {
            text,
            index: OnceLock::new(),
        }
    }

    /// The index, built now if it was not yet.
    pub fn index(&self) -> &LocationIndex {
        self.index.get_or_init(|| LocationIndex::build(&self.text))
    }

    /// The location of `path` ([`LocationIndex::locate`]).
    pub fn locate(&self, path: &KeyPath) -> Location {
        self.index().locate(path)
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A diagnostic about `path`: at its value when the problem is the
    /// value and it is a scalar, else at its key (or nearest ancestor).
    pub fn diagnostic(
        &self,
        file: &str,
        path: &KeyPath,
        target: Target,
        message: String,
    ) -> Diagnostic {
        let value = match target {
            Target::Value => self.index().value(path),
            Target::Key => None,
        };
        let (location, target) = match value {
            Some(location) => (location, Target::Value),
            None => (self.locate(path), Target::Key),
        };
        Diagnostic::new(file, &self.text, location, target, path.clone(), message)
    }
}

enum Frame {
    Mapping {
        path: KeyPath,
        /// The key whose value comes next; `None` while a key is expected.
        pending_key: Option<String>,
        /// A sequence item that is this mapping: it is located at its first
        /// key, since the parser marks a block mapping's start after that key.
        unplaced_item: Option<KeyPath>,
    },
    Sequence {
        path: KeyPath,
        next_index: usize,
    },
}

/// How many mappings and sequences may nest, the root included: the limit
/// of serde_yaml's deserializer, which refuses a 129th level. The spec
/// needs fewer than ten; the index stops at the same depth, since indexing
/// every level of `- - - … x` would take memory quadratic in its length.
pub(crate) const MAX_NESTING: usize = 128;

#[derive(Default)]
struct IndexBuilder {
    frames: Vec<Frame>,
    /// How many mappings and sequences deeper than [`MAX_NESTING`] are
    /// open: their content is not indexed.
    skipped: usize,
    /// The first mapping or sequence deeper than [`MAX_NESTING`].
    too_deep: Option<(KeyPath, Location)>,
    starts: HashMap<KeyPath, Location>,
    values: HashMap<KeyPath, Location>,
    duplicates: Vec<(KeyPath, Location)>,
    /// A sequence item whose mapping is about to start.
    unplaced_item: Option<KeyPath>,
}

impl IndexBuilder {
    /// The path of the node being read: the value of a key just read, or
    /// the innermost mapping or sequence.
    fn current_path(&self) -> KeyPath {
        match self.frames.last() {
            None => KeyPath::root(),
            Some(Frame::Mapping {
                path,
                pending_key: Some(key),
                ..
            }) => path.key(key),
            Some(Frame::Mapping { path, .. } | Frame::Sequence { path, .. }) => path.clone(),
        }
    }

    fn record(&mut self, path: &KeyPath, mark: Marker) {
        // yaml-rust2 counts lines from 1 and columns from 0.
        let location = Location {
            line: mark.line(),
            column: mark.col() + 1,
        };
        if self.starts.contains_key(path) {
            // Paths of sequence items hold their index, so only a mapping
            // key can be seen twice.
            self.duplicates.push((path.clone(), location));
        } else {
            self.starts.insert(path.clone(), location);
        }
    }

    /// Handles the start of a node (scalar, mapping, sequence, alias) and
    /// returns its path, or `None` when the node is a mapping key.
    fn node_path(
        &mut self,
        key_text: Option<&str>,
        mark: Marker,
        is_mapping: bool,
    ) -> Option<KeyPath> {
        let (path, to_record) = match self.frames.last_mut() {
            None => (KeyPath::root(), None),
            Some(Frame::Sequence { path, next_index }) => {
                let item = path.index(*next_index);
                *next_index += 1;
                (item.clone(), Some(item))
            }
            Some(Frame::Mapping {
                path,
                pending_key,
                unplaced_item,
            }) => match pending_key.take() {
                Some(key) => (path.key(&key), None),
                None => {
                    let key = key_text.unwrap_or("?").to_owned();
                    let key_path = path.key(&key);
                    *pending_key = Some(key);
                    let item = unplaced_item.take();
                    self.record(&key_path, mark);
                    if let Some(item) = item {
                        self.record(&item, mark);
                    }
                    return None;
                }
            },
        };
        if let Some(item) = to_record {
            if is_mapping {
                self.unplaced_item = Some(item);
            } else {
                self.record(&item, mark);
            }
        }
        Some(path)
    }
}

impl MarkedEventReceiver for IndexBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..)
                if self.skipped > 0 || self.frames.len() >= MAX_NESTING =>
            {
                if self.skipped == 0 && self.too_deep.is_none() {
                    // The node itself is located; what it holds is not.
                    let path = self
                        .node_path(None, mark, false)
                        .unwrap_or_else(|| self.current_path());
                    let location = Location {
                        line: mark.line(),
                        column: mark.col() + 1,
                    };
                    self.too_deep = Some((path, location));
                } else if self.skipped == 0 {
                    self.node_path(None, mark, false);
                }
                self.skipped += 1;
            }
            Event::MappingEnd | Event::SequenceEnd if self.skipped > 0 => self.skipped -= 1,
            _ if self.skipped > 0 => {}
            Event::Scalar(text, ..) => {
                if let Some(path) = self.node_path(Some(&text), mark, false) {
                    self.values.insert(
                        path,
                        Location {
                            line: mark.line(),
                            column: mark.col() + 1,
                        },
                    );
                }
            }
            Event::Alias(_) => {
                self.node_path(None, mark, false);
            }
            Event::MappingStart(..) => {
                if let Some(path) = self.node_path(None, mark, true) {
                    let unplaced_item = self.unplaced_item.take();
                    self.frames.push(Frame::Mapping {
                        path,
                        pending_key: None,
                        unplaced_item,
                    });
                }
            }
            Event::SequenceStart(..) => {
                if let Some(path) = self.node_path(None, mark, false) {
                    // A sequence is a value too (`name: [not, text]`); a
                    // block mapping is marked after its first key, so only
                    // its key locates it.
                    self.values.insert(
                        path.clone(),
                        Location {
                            line: mark.line(),
                            column: mark.col() + 1,
                        },
                    );
                    self.frames.push(Frame::Sequence {
                        path,
                        next_index: 0,
                    });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_written_twice_is_found() {
        let index = LocationIndex::build("a:\n  b: 1\n  c: 2\n  b: 3\n");
        let (path, location) = index.duplicate_key().expect("duplicate");
        assert_eq!(path.as_str(), "a.b");
        assert_eq!(location, Location { line: 4, column: 3 });
    }

    #[test]
    fn nesting_past_the_limit_is_found_and_not_indexed() {
        // 100,000 nested block sequences on one line.
        let text = format!("{}x\n", "- ".repeat(100_000));
        let index = LocationIndex::build(&text);
        let (path, location) = index.too_deep().expect("too deep");
        assert_eq!(path.as_str(), "[0]".repeat(MAX_NESTING));
        assert_eq!(
            location,
            Location {
                line: 1,
                column: 2 * MAX_NESTING + 1
            }
        );
        assert!(index.starts.len() <= MAX_NESTING + 1);
    }

    #[test]
    fn flow_nesting_past_what_the_scanner_takes_is_too_deep() {
        let text = format!("a: {}\n", "[".repeat(10_000));
        let index = LocationIndex::build(&text);
        let (_, location) = index.too_deep().expect("too deep");
        assert_eq!(location.line, 1);
    }

    #[test]
    fn parser_positions_are_counted_in_the_files_own_lines() {
        let plain = "a: 1\nb: 2\n";
        assert_eq!(
            Location::of_parser_position(plain, 2, 3),
            Location { line: 2, column: 3 }
        );
        // The parser starts a line after U+2028 and a lone CR; the file
        // does not.
        let separated = "a: x\u{2028}y\rz\nb: 'open\n";
        assert_eq!(
            Location::of_parser_position(separated, 4, 4),
            Location { line: 2, column: 4 }
        );
        assert_eq!(
            Location::of_parser_position(separated, 2, 2),
            Location { line: 1, column: 7 }
        );
        // Past the end: the end.
        assert_eq!(
            Location::of_parser_position("a\n", 9, 9),
            Location { line: 2, column: 1 }
        );
    }

    #[test]
    fn keys_and_items_are_located() {
        let text = "a:\n  b: 1\n  list:\n    - x\n    - y: 2\n";
        let index = LocationIndex::build(text);
        assert_eq!(
            index.locate(&KeyPath::parse("a")),
            Location { line: 1, column: 1 }
        );
        assert_eq!(
            index.locate(&KeyPath::parse("a.b")),
            Location { line: 2, column: 3 }
        );
        assert_eq!(
            index.locate(&KeyPath::parse("a.list[1]")),
            Location { line: 5, column: 7 }
        );
        assert_eq!(
            index.locate(&KeyPath::parse("a.list[1].y")),
            Location { line: 5, column: 7 }
        );
        // A missing key falls back to its nearest ancestor.
        assert_eq!(
            index.locate(&KeyPath::parse("a.missing")),
            Location { line: 1, column: 1 }
        );
    }
}
