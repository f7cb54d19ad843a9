//! Turns the YAML API spec in `api-spec/` into the Rust source of the
//! generated client.
//!
//! The pipeline is `spec` (parse, with locations) → `lower` (validate, build
//! the model) → `emit` (token streams) → `render` (formatted files). The one
//! entry point, [`generate`], is a pure function of the spec's text.

pub mod error;
pub mod spec;

pub use error::{Diagnostic, Error};
