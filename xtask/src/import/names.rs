//! `api-spec/import.names`: names a person chose for shapes the importer
//! names from where they occur.
//!
//! The importer names an inline shape after the property it sits in. A
//! shape shared by many properties (the condition every field of an
//! advanced query takes) gets the name of the first one, which a reader
//! would not choose. One line of this file, `<the importer's name> <the
//! name to use>`, renames it on every import; a line whose first name the
//! importer no longer makes is an error, so a vendor update cannot drop a
//! chosen name silently.

use std::collections::BTreeMap;
use std::path::Path;

/// The file, relative to the spec folder.
pub const FILE: &str = "import.names";

/// The renames, by the importer's name, each with the line that asks for
/// it (for a report).
#[derive(Debug, Default)]
pub struct Renames {
    by_name: BTreeMap<String, (String, usize)>,
}

impl Renames {
    /// Reads `import.names` in `spec_dir`; no file is no renames.
    pub fn read(spec_dir: &Path) -> Result<Renames, String> {
        let path = spec_dir.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Renames::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Renames::default()),
            Err(e) => Err(format!("error: reading api-spec/{FILE}: {e}")),
        }
    }

    /// The renames a file's text asks for.
    pub fn parse(text: &str) -> Result<Renames, String> {
        let mut by_name = BTreeMap::new();
        let mut targets: BTreeMap<String, usize> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let [from, to] = words[..] else {
                return Err(format!(
                    "error: api-spec/{FILE}:{number}: expected `<the importer's name> <the name to use>`, found `{line}`"
                ));
            };
            for name in [from, to] {
                if !is_type_name(name) {
                    return Err(format!(
                        "error: api-spec/{FILE}:{number}: `{name}` is not a schema name (an ASCII letter, then letters and digits)"
                    ));
                }
            }
            if let Some(first) = by_name.insert(from.to_owned(), (to.to_owned(), number)) {
                return Err(format!(
                    "error: api-spec/{FILE}:{number}: `{from}` is renamed again (first on line {})",
                    first.1
                ));
            }
            if let Some(first) = targets.insert(to.to_owned(), number) {
                return Err(format!(
                    "error: api-spec/{FILE}:{number}: `{to}` is chosen again (first on line {first})"
                ));
            }
        }
        Ok(Renames { by_name })
    }

    /// The name to use for a shape the importer names `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).map(|(to, _)| to.as_str())
    }

    /// The line that renames `name`.
    pub fn line(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).map(|(_, line)| *line)
    }

    /// Every importer name renamed, with its line.
    pub fn entries(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_name
            .iter()
            .map(|(from, (_, line))| (from.as_str(), *line))
    }
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::Renames;

    #[test]
    fn lines_rename_and_mistakes_name_their_line() {
        let renames = Renames::parse("# chosen names\nNameCondition FieldCondition\n\n").unwrap();
        assert_eq!(renames.get("NameCondition"), Some("FieldCondition"));
        assert_eq!(renames.line("NameCondition"), Some(2));
        assert_eq!(renames.get("Other"), None);

        let error = Renames::parse("A B\nA C\n").unwrap_err();
        assert!(
            error.contains("import.names:2: `A` is renamed again (first on line 1)"),
            "{error}"
        );
        let error = Renames::parse("A B\nC B\n").unwrap_err();
        assert!(
            error.contains("import.names:2: `B` is chosen again"),
            "{error}"
        );
        let error = Renames::parse("A\n").unwrap_err();
        assert!(error.contains("import.names:1: expected"), "{error}");
        let error = Renames::parse("A b-c\n").unwrap_err();
        assert!(error.contains("`b-c` is not a schema name"), "{error}");
    }
}
