//! The generator's one error type.

use crate::spec::{KeyPath, Location};
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
    /// The spec is wrong; the diagnostic says where and what.
    #[error("{0}")]
    Spec(#[from] Diagnostic),
    /// The generator produced code that does not parse: a generator bug.
    #[error("internal error: generated code does not parse: {0}")]
    Internal(String),
}

/// A located problem in a spec file:
/// `resources/notebook.yaml:41:7: operations.logs.query.limit: unknown key ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File path relative to the spec directory.
    pub file: String,
    /// Line and column where the problem is.
    pub location: Location,
    /// Key path of the offending key inside the file (empty for the root).
    pub key_path: KeyPath,
    /// What is wrong.
    pub message: String,
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
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}
