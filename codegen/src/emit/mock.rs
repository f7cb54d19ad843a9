//! `mock.rs`: typed mocks of every operation, for the runtime's
//! `mock::MockServer` (the `mock` feature).

use super::api::owned_type;
use super::docs::{code, doc};
use super::ident;
use crate::model::{Api, Operation, Param, Resource, Segment, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The whole file: an accessor on `MockServer` per resource, and per
/// resource a handle with a method per operation.
pub fn mock_module(api: &Api) -> TokenStream {
    let accessors = api.resources.iter().map(|r| {
        let module = ident(&r.module);
        let handle = ident(&mocks_name(r));
        let text = doc(&format!("Mocks of the {} resource.", code(&r.name)));
        let cfg = crate::features::resource_cfg(r);
        quote! {
            #text
            #cfg
            pub fn #module(&self) -> #handle<'_> {
                #handle { server: self }
            }
        }
    });
    let handles = api.resources.iter().map(|r| resource_mocks(api, r));
    quote! {
        //! Typed mocks of every operation, for [`MockServer`](crate::mock::MockServer).

        #[allow(unused_imports)]
        use crate::types;

        impl crate::mock::MockServer {
            #(#accessors)*
        }

        #(#handles)*
    }
}

/// The handle's name: `NotebookMocks` for `NotebookResource`.
fn mocks_name(resource: &Resource) -> String {
    let base = resource
        .handle
        .strip_suffix("Resource")
        .unwrap_or(&resource.handle);
    format!("{base}Mocks")
}

fn resource_mocks(api: &Api, resource: &Resource) -> TokenStream {
    let handle = ident(&mocks_name(resource));
    let text = doc(&format!(
        "Mocks of the {} resource's operations; get it with [`MockServer::{m}`](crate::mock::MockServer::{m}).",
        code(&resource.name),
        m = resource.module
    ));
    let methods = resource
        .operations
        .iter()
        .map(|op| operation_mock(api, resource, op));
    let cfg = crate::features::resource_cfg(resource);
    quote! {
        #text
        #cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            server: &'a crate::mock::MockServer,
        }

        #cfg
        impl #handle<'_> {
            #(#methods)*
        }
    }
}

fn operation_mock(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let args = op.path_params.iter().map(|p| {
        let arg = ident(&p.rust_name);
        let ty = path_arg_type(api, p);
        quote!(#arg: #ty)
    });
    // Segments as text: IDs and strings lend theirs, others are formatted.
    let texts = op.path_params.iter().map(|p| {
        let arg = ident(&p.rust_name);
        match &p.ty {
            TypeRef::String => quote!(let #arg: &str = #arg;),
            TypeRef::Named(_) if is_textual(api, &p.ty) => quote!(let #arg = #arg.as_str();),
            _ => quote!(let #arg = &::std::string::ToString::to_string(&#arg);),
        }
    });
    let segments = op.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(#text),
        Segment::Param(index) => {
            let arg = ident(&op.path_params[*index].rust_name);
            quote!(#arg)
        }
    });
    let success = op
        .responses
        .iter()
        .find(|r| (200..300).contains(&r.status))
        .map_or(200, |r| r.status);
    let method = op.method.as_str();
    if !op.by_status.is_empty() {
        // The answer says its own status: each variant is answered with
        // its status and its body.
        let module = ident(&resource.module);
        let answer = ident(&super::resource::response_name(op));
        let text = doc(&format!(
            "When `{method} {}` is called for these path components: answer it with [`respond`](crate::mock::When::respond) (a [`{answer}`](crate::{module}::{answer}): the variant's status and body) or [`respond_with`](crate::mock::When::respond_with).",
            op.path_template
        ));
        return quote! {
            #text
            pub fn #name(&self, #(#args),*) -> crate::mock::When<'_, crate::#module::#answer> {
                #(#texts)*
                self.server.when_by_status(#method, &[#(#segments),*], crate::#module::#answer::status)
            }
        };
    }
    let answer = match (&op.events, &op.success) {
        (Some(stream), _) => {
            let (module, name) = (ident(&resource.module), ident(&stream.enum_name));
            quote!(crate::#module::#name)
        }
        (None, Some(ty)) => owned_type(ty),
        (None, None) => quote!(::serde_json::Value),
    };
    let success_lit = proc_macro2::Literal::u16_unsuffixed(success);
    let answers = if op.events.is_some() {
        format!(
            "[`respond_events`](crate::mock::When::respond_events) ({success} and these events, then the end of the stream)"
        )
    } else {
        format!("[`respond`](crate::mock::When::respond) ({success} and the documented body)")
    };
    let text = doc(&format!(
        "When `{method} {}` is called for these path components: answer it with {answers} or [`respond_with`](crate::mock::When::respond_with).",
        op.path_template
    ));
    quote! {
        #text
        pub fn #name(&self, #(#args),*) -> crate::mock::When<'_, #answer> {
            #(#texts)*
            self.server.when(#method, &[#(#segments),*], #success_lit)
        }
    }
}

/// How a path component is taken: by reference for IDs and strings, by
/// value otherwise.
fn path_arg_type(api: &Api, p: &Param) -> TokenStream {
    match &p.ty {
        TypeRef::String => quote!(&str),
        ty if is_textual(api, ty) => {
            let ty = owned_type(ty);
            quote!(&#ty)
        }
        ty => owned_type(ty),
    }
}

/// Whether a named type lends its text through `as_str` (string newtypes
/// and enums).
fn is_textual(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name) if matches!(
        api.find_type(name).map(|t| &t.kind),
        Some(TypeKind::Newtype { .. } | TypeKind::Enum { .. })
    ))
}
