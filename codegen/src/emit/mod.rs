//! Model → Rust token streams, one function per generated file.
//!
//! Emitters only arrange tokens: every name is already valid and unique in
//! the model. What every operation repeats lives in the client's runtime,
//! so the generated code stays a thin, readable layer over it.

mod api;
mod docs;
mod markdown;
mod resource;
mod types;
mod validate;

pub use api::{api_module, root_module};
pub use markdown::{MARKDOWN_HEADER, curl, resource_markdown};
pub use resource::resource_module;
pub use types::types_module;

use crate::model::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier the model has already made valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a [`TypeRef`]. `types_path` is how the current module
/// reaches the named types (`` in `types.rs`, `types::` elsewhere).
pub(crate) fn rust_type(ty: &TypeRef, types_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#types_path #name)
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::List(item) => {
            let item = rust_type(item, types_path);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, types_path);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}
