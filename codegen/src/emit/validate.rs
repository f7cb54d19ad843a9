//! `impl Validate` for each generated type, and the checks a request
//! builder runs before sending. The checking itself lives in the client's
//! `validate` runtime module; this only says what to check where.

use super::ident;
use crate::model::{Constraints, Param, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
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

/// The `Rules` value (of the client's `validate` module) for `c`.
pub(crate) fn rules(c: &Constraints) -> TokenStream {
    let mut parts = Vec::new();
    let opt_u64 = |v: Option<u64>| {
        v.map(|v| {
            let lit = Literal::u64_unsuffixed(v);
            quote!(Some(#lit))
        })
    };
    let opt_f64 = |v: Option<f64>| {
        v.map(|v| {
            let lit = Literal::f64_unsuffixed(v);
            quote!(Some(#lit))
        })
    };
    let mut push = |name: &str, value: Option<TokenStream>| {
        if let Some(value) = value {
            let name = ident(name);
            parts.push(quote!(#name: #value));
        }
    };
    push("min_length", opt_u64(c.min_length));
    push("max_length", opt_u64(c.max_length));
    push("pattern", c.pattern.as_ref().map(|p| quote!(Some(#p))));
    push("minimum", opt_f64(c.minimum));
    push("maximum", opt_f64(c.maximum));
    push("min_items", opt_u64(c.min_items));
    push("max_items", opt_u64(c.max_items));
    push("unique_items", c.unique_items.then(|| quote!(true)));
    push("min_properties", opt_u64(c.min_properties));
    push("max_properties", opt_u64(c.max_properties));
    if !c.alternatives.is_empty() {
        let alternatives = c.alternatives.iter().map(rules);
        push("alternatives", Some(quote!(&[#(#alternatives),*])));
    }
    push("exactly_one", c.exactly_one.then(|| quote!(true)));
    push("only_true", c.only_true.then(|| quote!(true)));
    if let Some(items) = &c.items {
        let items = rules(items);
        push("items", Some(quote!(Some(&#items))));
    }
    if parts.is_empty() {
        quote!(Rules::NONE)
    } else {
        quote!(Rules { #(#parts,)* ..Rules::NONE })
    }
}
