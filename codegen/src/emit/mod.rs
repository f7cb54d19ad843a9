//! Model → Rust token streams, one function per generated file.
//!
//! Emitters only arrange tokens: every name is already valid and unique in
//! the model. What every operation repeats lives in the client's runtime,
//! so the generated code stays a thin, readable layer over it.

mod api;
mod docs;
mod events;
mod example;
mod markdown;
mod mock;
mod resource;
mod types;
mod validate;
mod waiter;
mod wire_tests;

pub use api::{api_module, root_module};
pub(crate) use docs::{put_back_line as put_back_doc_line, set_aside as set_docs_aside};
pub use markdown::{MARKDOWN_HEADER, curl, resource_index, resource_markdown};
pub use mock::mock_module;
pub use resource::{builder, resource_head};
pub(crate) use types::alternative_types;
pub use types::{group_head, type_item, types_root};
pub use wire_tests::{wire_tests_module, wire_tests_root};

use crate::model::{Api, TypeKind, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier the model has already made valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Whether a value of type `ty` holds a value of type `owner` in place
/// (not behind a `Vec` or map, which allocate): a field or variant of
/// `owner` with such a type must be boxed, or `owner` would be infinitely
/// large.
pub(crate) fn holds(api: &Api, ty: &TypeRef, owner: &str, seen: &mut Vec<String>) -> bool {
    let TypeRef::Named(name) = ty else {
        return false;
    };
    if name == owner {
        return true;
    }
    if seen.contains(name) {
        return false;
    }
    seen.push(name.clone());
    match api.find_type(name).map(|t| &t.kind) {
        Some(TypeKind::Struct { fields, .. }) => {
            fields.iter().any(|f| holds(api, &f.ty, owner, seen))
        }
        Some(TypeKind::UntaggedUnion { variants }) => {
            variants.iter().any(|v| holds(api, &v.ty, owner, seen))
        }
        Some(TypeKind::TaggedUnion { variants, .. }) => variants
            .iter()
            .any(|v| holds(api, &TypeRef::Named(v.ty.clone()), owner, seen)),
        Some(TypeKind::Alias { target }) => holds(api, target, owner, seen),
        _ => false,
    }
}

/// The Rust type of a [`TypeRef`]. `types_path` is how the current module
/// reaches the named types (`` in `types.rs`, `types::` elsewhere).
pub(crate) fn rust_type(ty: &TypeRef, types_path: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#types_path #name)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Timestamp => quote!(crate::Timestamp),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, types_path);
            quote!(::core::option::Option<#inner>)
        }
        TypeRef::List(item) => {
            let item = rust_type(item, types_path);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, types_path);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// The variant types of union `union` that convert into it with `From`:
/// those that appear once among its variants (compared after following
/// aliases, since two names of one Rust type would make two impls of one
/// trait). One place decides it, for the impls and the examples.
pub(crate) fn union_from_types(api: &Api, union: &str) -> Vec<TypeRef> {
    let types: Vec<TypeRef> = match api.find_type(union).map(|t| &t.kind) {
        Some(TypeKind::TaggedUnion { variants, .. }) => variants
            .iter()
            .map(|v| TypeRef::Named(v.ty.clone()))
            .collect(),
        Some(TypeKind::UntaggedUnion { variants }) => {
            variants.iter().map(|v| v.ty.clone()).collect()
        }
        _ => Vec::new(),
    };
    let resolved: Vec<TypeRef> = types.iter().map(|t| without_aliases(api, t, 0)).collect();
    types
        .iter()
        .zip(&resolved)
        .filter(|(_, r)| resolved.iter().filter(|o| o == r).count() == 1)
        .filter(|(_, r)| **r != TypeRef::Named(union.to_owned()))
        .map(|(t, _)| t.clone())
        .collect()
}

/// `ty` with every alias replaced by what it names.
fn without_aliases(api: &Api, ty: &TypeRef, depth: usize) -> TypeRef {
    // Alias cycles are refused when lowering; the bound only keeps this
    // total.
    if depth > 64 {
        return ty.clone();
    }
    let again = |t: &TypeRef| Box::new(without_aliases(api, t, depth + 1));
    match ty {
        TypeRef::Named(name) => match api.find_type(name).map(|t| &t.kind) {
            Some(TypeKind::Alias { target }) => without_aliases(api, target, depth + 1),
            _ => ty.clone(),
        },
        TypeRef::List(item) => TypeRef::List(again(item)),
        TypeRef::Map(value) => TypeRef::Map(again(value)),
        TypeRef::Nullable(inner) => TypeRef::Nullable(again(inner)),
        other => other.clone(),
    }
}
