//! Turns the YAML API spec in `api-spec/` into the Rust source of the
//! generated client.
//!
//! The pipeline is [`spec`] (parse, with locations) → [`lower`] (check,
//! build the [`model`]) → `emit` (token streams) → `render` (formatted
//! files). The one entry point, [`generate`], is a pure function of the
//! spec's text: the same spec gives byte-identical files.

mod emit;
pub mod error;
pub mod fresh;
pub mod lower;
pub mod model;
mod naming;
mod render;
pub mod spec;

pub use emit::{MARKDOWN_HEADER, curl};
pub use error::{Diagnostic, Error};
pub use render::HEADER;
pub use spec::SourceFile;

use std::path::Path;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the generated crate's root (`src/generated/types.rs`).
    pub path: String,
    /// The file's full content.
    pub contents: String,
}

/// Where generated Rust files go inside the client crate; everything in it
/// is generated, so stale files can be found and removed.
pub const GENERATED_DIR: &str = "src/generated";

/// Where generated Markdown reference docs go inside the client crate.
pub const DOCS_DIR: &str = "docs";

/// Reads the spec in `spec_dir` and generates the client's source files.
pub fn generate(spec_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    generate_from_sources(&spec::read_spec_dir(spec_dir)?)
}

/// Generates the client's source files from spec texts already in memory.
pub fn generate_from_sources(files: &[SourceFile]) -> Result<Vec<GeneratedFile>, Error> {
    let api = load_model(files)?;
    let types = std::iter::once(emit::types_head())
        .chain(api.types.iter().map(|def| emit::type_item(&api, def)));
    let mut out = vec![
        file("mod.rs", [emit::root_module(&api)])?,
        file("api.rs", [emit::api_module(&api)])?,
        file("types.rs", types)?,
    ];
    for resource in &api.resources {
        out.push(file(
            &format!("{}.rs", resource.module),
            emit::resource_module(&api, resource),
        )?);
    }
    for resource in &api.resources {
        out.push(GeneratedFile {
            path: format!("{DOCS_DIR}/{}.md", resource.module),
            contents: emit::resource_markdown(&api, resource),
        });
    }
    Ok(out)
}

/// Parses and checks the spec: everything but emitting.
pub fn load_model(files: &[SourceFile]) -> Result<model::Api, Error> {
    let spec = spec::load_sources(files)?;
    lower::lower(&spec)
}

fn file(
    name: &str,
    parts: impl IntoIterator<Item = proc_macro2::TokenStream>,
) -> Result<GeneratedFile, Error> {
    let contents =
        render::render_parts(parts).map_err(|e| Error::Internal(format!("{name}: {e}")))?;
    Ok(GeneratedFile {
        path: format!("{GENERATED_DIR}/{name}"),
        contents,
    })
}
