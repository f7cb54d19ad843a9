//! Turns the YAML API spec in `api-spec/` into the Rust source of the
//! generated client.
//!
//! The pipeline is [`spec`] (parse, with locations) → [`lower`] (check,
//! build the [`model`]) → `emit` (token streams) → `render` (formatted
//! files). The one entry point, [`generate`], is a pure function of the
//! spec's text: the same spec gives byte-identical files.

mod emit;
pub mod error;
pub mod features;
pub mod fresh;
pub mod lower;
pub mod model;
mod naming;
mod parallel;
mod render;
pub mod spec;
mod suggest;

pub use emit::{MARKDOWN_HEADER, curl};
pub use error::{Diagnostic, Error, Report, Target};
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

/// Where the generated conformance tests go inside the client crate: one
/// test per operation, on the wire, from the spec's examples.
pub const WIRE_TESTS_DIR: &str = "tests/every_action";

/// Reads the spec in `spec_dir` and generates the client's source files.
pub fn generate(spec_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    generate_from_sources(&spec::read_spec_dir(spec_dir)?)
}

/// Generates the client's source files from spec texts already in memory.
pub fn generate_from_sources(files: &[SourceFile]) -> Result<Vec<GeneratedFile>, Error> {
    generate_from_model(&load_model(files)?)
}

/// Generates the client's source files from a checked model
/// ([`load_model`]).
pub fn generate_from_model(api: &model::Api) -> Result<Vec<GeneratedFile>, Error> {
    let gates = features::Gates::of(api);
    // Each file is a list of pieces, rendered one by one on every core.
    let mut layout = vec![
        (format!("{GENERATED_DIR}/mod.rs"), vec![Piece::Root]),
        (format!("{GENERATED_DIR}/api.rs"), vec![Piece::Api]),
        (format!("{GENERATED_DIR}/mock.rs"), vec![Piece::Mock]),
        (
            format!("{GENERATED_DIR}/types/mod.rs"),
            vec![Piece::TypesRoot],
        ),
    ];
    for (g, group) in gates.groups.iter().enumerate() {
        layout.push((
            format!("{GENERATED_DIR}/types/{}.rs", group.module),
            std::iter::once(Piece::GroupHead(g))
                .chain(group.types.iter().map(|&t| Piece::Type(t)))
                .collect(),
        ));
    }
    for (r, resource) in api.resources.iter().enumerate() {
        let builders = (0..resource.operations.len()).map(|o| Piece::Builder(r, o));
        layout.push((
            format!("{GENERATED_DIR}/{}.rs", resource.module),
            std::iter::once(Piece::ResourceHead(r))
                .chain(builders)
                .collect(),
        ));
    }
    layout.push((
        format!("{GENERATED_DIR}/resources.md"),
        vec![Piece::ResourceIndex],
    ));
    for (r, resource) in api.resources.iter().enumerate() {
        layout.push((
            format!("{DOCS_DIR}/{}.md", resource.module),
            vec![Piece::Markdown(r)],
        ));
    }
    layout.push((
        format!("{WIRE_TESTS_DIR}/main.rs"),
        vec![Piece::WireTestsRoot],
    ));
    for (r, resource) in api.resources.iter().enumerate() {
        layout.push((
            format!("{WIRE_TESTS_DIR}/{}.rs", resource.module),
            vec![Piece::WireTests(r)],
        ));
    }
    let pieces: Vec<Piece> = layout.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    let rendered = parallel::map(&pieces, |piece| piece.render(api, &gates));

    let mut rendered = rendered.into_iter();
    let mut out = Vec::new();
    for (path, file_pieces) in layout {
        let parts = rendered
            .by_ref()
            .take(file_pieces.len())
            .collect::<Result<Vec<String>, String>>()
            .map_err(|e| Error::Internal(format!("{path}: {e}")))?;
        let contents = match file_pieces.as_slice() {
            [Piece::Markdown(_) | Piece::ResourceIndex] => parts.concat(),
            _ => render::join_parts(parts),
        };
        out.push(GeneratedFile { path, contents });
    }
    Ok(out)
}

/// Parses and checks the spec: everything but emitting.
pub fn load_model(files: &[SourceFile]) -> Result<model::Api, Error> {
    let spec = spec::load_sources(files)?;
    lower::lower(&spec)
}

/// One piece of a generated Rust file, named by indices into the model so
/// that pieces can be handed to other threads (token streams cannot).
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// `mod.rs`.
    Root,
    /// `api.rs`.
    Api,
    /// `mock.rs`: the typed mocks of every operation.
    Mock,
    /// `types/mod.rs`: the docs, and the group modules with their features.
    TypesRoot,
    /// The docs and imports of group `.0` of the types.
    GroupHead(usize),
    /// One named type.
    Type(usize),
    /// The head of a resource module: docs, imports, handle and methods.
    ResourceHead(usize),
    /// The request builder of operation `.1` of resource `.0`.
    Builder(usize, usize),
    /// The list of resources in the crate docs (Markdown).
    ResourceIndex,
    /// The Markdown reference of a resource (a whole file).
    Markdown(usize),
    /// `tests/every_action/main.rs`.
    WireTestsRoot,
    /// The conformance tests of a resource.
    WireTests(usize),
}

impl Piece {
    /// The piece's text: Rust emitted and formatted, or Markdown.
    fn render(self, api: &model::Api, gates: &features::Gates) -> Result<String, String> {
        let rust = |emit: &dyn Fn() -> proc_macro2::TokenStream| {
            let (tokens, docs) = emit::set_docs_aside(emit);
            render::render_part(tokens, &docs)
        };
        match self {
            Piece::Root => rust(&|| emit::root_module(api)),
            Piece::TypesRoot => rust(&|| emit::types_root(gates)),
            Piece::GroupHead(g) => rust(&|| emit::group_head(&gates.groups[g])),
            Piece::Api => rust(&|| emit::api_module(api)),
            Piece::Mock => rust(&|| emit::mock_module(api)),
            Piece::Type(t) => rust(&|| emit::type_item(api, &api.types[t], gates)),
            Piece::ResourceHead(r) => rust(&|| emit::resource_head(api, &api.resources[r])),
            Piece::Builder(r, o) => {
                let resource = &api.resources[r];
                rust(&|| emit::builder(api, resource, &resource.operations[o]))
            }
            Piece::Markdown(r) => Ok(emit::resource_markdown(api, &api.resources[r])),
            Piece::ResourceIndex => Ok(emit::resource_index(api)),
            Piece::WireTestsRoot => rust(&|| emit::wire_tests_root(api)),
            Piece::WireTests(r) => rust(&|| emit::wire_tests_module(api, &api.resources[r])),
        }
    }
}
