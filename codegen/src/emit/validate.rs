//! `impl Validate` for each generated type, and the checks a request
//! builder runs before sending. The checking itself lives in the client's
//! `validate` runtime module; this only says what to check where.

use super::api::rules;
use super::ident;
use crate::model::{Constraints, Param, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `impl Validate for <type>`, or nothing for aliases (their target is
/// checked instead).
pub(crate) fn validate_impl(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct { fields } => {
            let checks = fields
                .iter()
                .filter(|f| needs_check(&f.ty, &f.constraints))
                .map(|f| {
                    let field = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    let rules = rules(&f.constraints);
                    quote!(self.#field.validate(&at.field(#wire), &#rules)?;)
                });
            quote! {
                #(#checks)*
                Ok(())
            }
        }
        TypeKind::Enum { .. } => quote! {
            match self {
                Self::Unknown(value) => Err(InvalidInput::new(
                    at.to_string(),
                    format!("`{value}` is not a value this client knows"),
                )),
                _ => Ok(()),
            }
        },
        TypeKind::TaggedUnion { tag, variants } => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                quote!(Self::#variant(value) => value.validate(at, &Rules::NONE),)
            });
            quote! {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => Err(InvalidInput::new(
                        at.to_string(),
                        concat!("has an unknown `", #tag, "`; only the kinds this client knows can be sent"),
                    )),
                }
            }
        }
        TypeKind::UntaggedUnion { variants } => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                quote!(Self::#variant(value) => value.validate(at, rules),)
            });
            quote!(match self { #(#arms)* })
        }
        TypeKind::Newtype { .. } => quote!(self.0.validate(at, &Self::RULES)),
        TypeKind::Alias { .. } => return quote!(),
    };
    let rules_arg = match &def.kind {
        TypeKind::UntaggedUnion { .. } => quote!(rules),
        _ => quote!(_rules),
    };
    // A struct whose fields need no check never reads its path.
    let at_arg = match &def.kind {
        TypeKind::Struct { fields }
            if !fields.iter().any(|f| needs_check(&f.ty, &f.constraints)) =>
        {
            quote!(_at)
        }
        _ => quote!(at),
    };
    quote! {
        impl Validate for #name {
            fn validate(
                &self,
                #at_arg: &FieldPath<'_>,
                #rules_arg: &Rules,
            ) -> Result<(), InvalidInput> {
                #body
            }
        }
    }
}

/// Whether a value of this type, with these constraints, can break any rule.
fn needs_check(ty: &TypeRef, constraints: &Constraints) -> bool {
    !constraints.is_empty() || contains_named(ty)
}

fn contains_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::List(item) | TypeRef::Map(item) => contains_named(item),
        _ => false,
    }
}

/// The checks a request builder runs on its parameters and body.
pub(crate) fn request_checks(params: &[&Param], body: bool) -> TokenStream {
    let checks = params
        .iter()
        .filter(|p| needs_check(&p.ty, &p.constraints))
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let rules = rules(&p.constraints);
            quote!(self.#field.validate(&FieldPath::Root(#wire), &#rules)?;)
        });
    let body = body.then(|| quote!(self.body.validate(&FieldPath::Root(""), &Rules::NONE)?;));
    let checks: Vec<TokenStream> = checks.chain(body).collect();
    if checks.is_empty() {
        return quote!();
    }
    quote! {
        if self.client.validates_requests() {
            #(#checks)*
        }
    }
}
