//! `impl Validate` for each generated type, and the checks a request
//! builder runs before sending. The checking itself lives in the client's
//! `validate` runtime module; this only says what to check where.

use super::ident;
use crate::model::{
    Api, Constraints, ExtraKeys, Field, KeyCount, OtherKeys, Param, Part, RequiredSets, TypeDef,
    TypeKind, TypeRef, ValueRule,
};
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

/// `impl Validate for <type>`, one that checks nothing for a type with
/// no rule at any depth, or nothing for aliases (their target is checked
/// instead).
pub(crate) fn validate_impl(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    if matches!(def.kind, TypeKind::Alias { .. }) {
        return quote!();
    }
    if !def.checks {
        return quote!(crate::impls::nothing_to_check!(#name););
    }
    let body = match &def.kind {
        TypeKind::Struct {
            fields,
            extra,
            required_sets,
            keys,
        } => {
            let checks = fields
                .iter()
                .filter(|f| needs_check(api, &f.ty, &f.constraints))
                .map(|f| {
                    let field = ident(&f.rust_name);
                    let wire = &f.wire_name;
                    let rules = rules(&f.constraints);
                    quote!(at.check(#wire, &self.#field, &#rules)?;)
                });
            let sets = required_sets
                .as_ref()
                .map(|sets| required_sets_check(fields, sets));
            let key_count = keys
                .is_bounded()
                .then(|| key_count_check(def, fields, extra.as_deref(), keys));
            let extra = extra.as_ref().map(|extra| extra_check(api, fields, extra));
            quote! {
                #(#checks)*
                #sets
                #key_count
                #extra
                ::core::result::Result::Ok(())
            }
        }
        TypeKind::Enum { .. } => quote! {
            match self {
                Self::Unknown(value) => ::core::result::Result::Err(crate::InvalidInput::new(
                    ::std::string::ToString::to_string(at),
                    ::std::format!("`{value}` is not a value this client knows"),
                )),
                _ => ::core::result::Result::Ok(()),
            }
        },
        TypeKind::TaggedUnion { tag, variants } => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                quote!(Self::#variant(value) => crate::validate::Validate::validate(value, at, &crate::validate::Rules::NONE),)
            });
            quote! {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => ::core::result::Result::Err(crate::InvalidInput::new(
                        ::std::string::ToString::to_string(at),
                        ::core::concat!("has an unknown `", #tag, "`; only the kinds this client knows can be sent"),
                    )),
                }
            }
        }
        TypeKind::UntaggedUnion { variants } => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                // The rules of where the union is used, then the variant's own.
                if v.constraints.is_empty() {
                    return quote!(Self::#variant(value) => crate::validate::Validate::validate(value, at, rules),);
                }
                let own = rules(&v.constraints);
                quote!(Self::#variant(value) => {
                    crate::validate::Validate::validate(value, at, rules)?;
                    crate::validate::Validate::validate(value, at, &#own)
                })
            });
            quote!(match self { #(#arms)* })
        }
        TypeKind::Newtype { .. } => quote!(crate::validate::Validate::validate(
            &self.0,
            at,
            &Self::RULES
        )),
        TypeKind::Alias { .. } => return quote!(),
    };
    let rules_arg = match &def.kind {
        TypeKind::UntaggedUnion { .. } => quote!(rules),
        _ => quote!(_rules),
    };
    // A struct whose fields need no check never reads its path.
    let at_arg = match &def.kind {
        TypeKind::Struct {
            fields,
            extra: None,
            required_sets: None,
            keys,
        } if !keys.is_bounded()
            && !fields
                .iter()
                .any(|f| needs_check(api, &f.ty, &f.constraints)) =>
        {
            quote!(_at)
        }
        _ => quote!(at),
    };
    quote! {
        impl crate::validate::Validate for #name {
            fn validate(
                &self,
                #at_arg: &crate::validate::FieldPath<'_>,
                #rules_arg: &crate::validate::Rules,
            ) -> ::core::result::Result<(), crate::InvalidInput> {
                #body
            }
        }
    }
}

/// The check of how many keys the object has (`minProperties`,
/// `maxProperties`): every required field, every optional one that is set
/// (a `null` sent on purpose is a key too), the tag a union member writes,
/// and the extra keys.
fn key_count_check(
    def: &TypeDef,
    fields: &[Field],
    extra: Option<&ExtraKeys>,
    keys: &KeyCount,
) -> TokenStream {
    let always = fields
        .iter()
        .filter(|f| f.required || f.sent_as_null)
        .count()
        + usize::from(def.tag.is_some());
    let mut terms: Vec<TokenStream> = Vec::new();
    if always > 0 || (fields.is_empty() && extra.is_none()) {
        terms.push(quote!(#always));
    }
    terms.extend(fields.iter().filter(|f| !f.required && !f.sent_as_null).map(|f| {
        let field = ident(&f.rust_name);
        quote!(::core::primitive::usize::from(::core::option::Option::is_some(&self.#field)))
    }));
    terms.extend(extra.map(|e| {
        let map = ident(&e.rust_name);
        quote!(self.#map.len())
    }));
    let bound = |b: Option<u64>| match b {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let (min, max) = (bound(keys.min), bound(keys.max));
    quote! {
        crate::validate::check_key_count(
            at,
            #(#terms)+*,
            #min,
            #max,
        )?;
    }
}

/// The check that the fields of one of the `required`-only alternatives
/// (or of exactly one, for `oneOf`) are all set.
fn required_sets_check(fields: &[Field], sets: &RequiredSets) -> TokenStream {
    let mut met = Vec::new();
    let mut listed = Vec::new();
    for set in &sets.sets {
        let present: Vec<TokenStream> = set
            .iter()
            .filter_map(|wire| fields.iter().find(|f| f.wire_name == *wire))
            // A required field is always there.
            .filter(|f| !f.required)
            .map(|f| {
                let field = ident(&f.rust_name);
                quote!(::core::option::Option::is_some(&self.#field))
            })
            .collect();
        met.push(if present.is_empty() {
            quote!(true)
        } else {
            quote!(#(#present)&&*)
        });
        let names: Vec<String> = set.iter().map(|wire| format!("`{wire}`")).collect();
        listed.push(if names.is_empty() {
            "nothing".to_owned()
        } else {
            names.join(" and ")
        });
    }
    let exactly_one = sets.exactly_one;
    quote!(crate::validate::check_required_sets(at, &[#(#met),*], &[#(#listed),*], #exactly_one)?;)
}

/// The checks of an object's extra keys: not a declared property, a key
/// the patterns allow, and a value of the type (and rules) of each
/// pattern it matches.
fn extra_check(api: &Api, fields: &[Field], extra: &ExtraKeys) -> TokenStream {
    let map = ident(&extra.rust_name);
    let declared = fields.iter().map(|f| f.wire_name.as_str());
    let patterns = extra.patterns.iter().map(|(pattern, _)| pattern.as_str());
    let refused = extra.others == OtherKeys::Refused;
    let check = |rule: &ValueRule| {
        if rule.ty != extra.value {
            let ty = super::rust_type(&rule.ty, &quote!());
            let rules = rules(&rule.constraints);
            quote!(crate::validate::check_as::<#ty>(value, at, &#rules))
        } else if needs_check(api, &rule.ty, &rule.constraints) {
            let rules = rules(&rule.constraints);
            quote!(crate::validate::Validate::validate(value, at, &#rules))
        } else {
            quote!(::core::result::Result::Ok(()))
        }
    };
    let arms = extra.patterns.iter().enumerate().map(|(i, (_, rule))| {
        let check = check(rule);
        quote!(::core::option::Option::Some(#i) => #check,)
    });
    let others = match &extra.others {
        OtherKeys::Rule(rule) => check(rule),
        OtherKeys::Any | OtherKeys::Refused => quote!(::core::result::Result::Ok(())),
    };
    let trivial = quote!(::core::result::Result::Ok(())).to_string();
    let checks = if others.to_string() == trivial
        && extra
            .patterns
            .iter()
            .all(|(_, rule)| check(rule).to_string() == trivial)
    {
        quote!(|_, _, _| ::core::result::Result::Ok(()))
    } else if extra.patterns.is_empty() {
        quote!(|_, value, at| #others)
    } else {
        quote!(|rule, value, at| match rule {
            #(#arms)*
            _ => #others,
        })
    };
    quote! {
        crate::validate::check_entries(
            &self.#map,
            at,
            &[#(#declared),*],
            &[#(#patterns),*],
            #refused,
            #checks,
        )?;
    }
}

/// Whether a value of this type, with these constraints, can break any rule.
fn needs_check(api: &Api, ty: &TypeRef, constraints: &Constraints) -> bool {
    !constraints.is_empty() || holds_checked(api, ty)
}

/// Whether `ty` is, or holds, a named type with something to check.
fn holds_checked(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => api.find_type(name).is_none_or(|def| def.checks),
        TypeRef::List(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => {
            holds_checked(api, item)
        }
        _ => false,
    }
}

/// The checks of the parameters among `params` that can break a rule,
/// each on the field `self.<rust name>` (a builder's, or the global
/// parameter values').
pub(crate) fn param_checks<'p>(
    api: &Api,
    params: impl IntoIterator<Item = &'p Param>,
) -> Vec<TokenStream> {
    params
        .into_iter()
        .filter(|p| needs_check(api, &p.ty, &p.constraints))
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let rules = rules(&p.constraints);
            quote!(crate::validate::check_value(#wire, &self.#field, &#rules)?;)
        })
        .collect()
}

/// The checks of the typed multipart parts among `parts` that can break
/// a rule, each on the field `self.<rust name>` of the builder.
fn part_checks(api: &Api, parts: &[&Part]) -> Vec<TokenStream> {
    parts
        .iter()
        .filter_map(|part| Some((part, part.typed()?)))
        .filter(|(part, ty)| needs_check(api, ty, &part.constraints))
        .map(|(part, _)| {
            let field = ident(&part.rust_name);
            let wire = &part.wire_name;
            let rules = rules(&part.constraints);
            quote!(crate::validate::check_value(#wire, &self.#field, &#rules)?;)
        })
        .collect()
}

/// The checks a request builder runs on its parameters, multipart parts,
/// JSON body (of type `body`, if any) and (when `globals`, some global
/// parameter has rules) global parameters.
pub(crate) fn request_checks(
    api: &Api,
    params: &[&Param],
    parts: &[&Part],
    body: Option<&TypeRef>,
    globals: bool,
) -> TokenStream {
    let checks = param_checks(api, params.iter().copied());
    let checks = checks.into_iter().chain(part_checks(api, parts));
    let body = body.filter(|ty| holds_checked(api, ty)).map(
        |_| quote!(crate::validate::check_value("", &self.body, &crate::validate::Rules::NONE)?;),
    );
    let globals = globals.then(|| quote!(self.globals.validate()?;));
    let checks: Vec<TokenStream> = checks.chain(body).chain(globals).collect();
    if checks.is_empty() {
        return quote!();
    }
    quote! {
        if self.client.validates_requests() {
            #(#checks)*
        }
    }
}

/// The `Rules` value (of the client's `validate` module) for `c`:
/// `crate::validate::Rules::NONE` and a call of its `const fn` per rule
/// (`.min_length(1).max_length(255)`). What a rule holds by reference (the
/// rules of items, alternatives, numbers) is made in a `const` block,
/// since a reference to what a `const fn` returns is `'static` only there.
pub(crate) fn rules(c: &Constraints) -> TokenStream {
    let count = |v: Option<u64>| v.map(|v| Literal::u64_unsuffixed(v).into_token_stream());
    let number = |v: Option<f64>| v.map(|v| Literal::f64_unsuffixed(v).into_token_stream());
    let alternatives = (!c.alternatives.is_empty()).then(|| {
        let alternatives = c.alternatives.iter().map(rules);
        let exactly_one = c.exactly_one;
        quote!(const { &[#(#alternatives),*] }, #exactly_one)
    });
    let numbers = (!c.numbers.is_empty()).then(|| {
        let values = c.numbers.iter().map(|v| Literal::f64_unsuffixed(*v));
        quote!(&[#(#values),*])
    });
    let items = c.items.as_deref().map(|items| {
        let items = rules(items);
        quote!(const { &#items })
    });
    // In the order of the fields of `Rules`.
    let calls = [
        ("min_length", count(c.min_length)),
        ("max_length", count(c.max_length)),
        ("pattern", c.pattern.as_ref().map(|p| quote!(#p))),
        ("minimum", number(c.minimum)),
        ("maximum", number(c.maximum)),
        ("min_items", count(c.min_items)),
        ("max_items", count(c.max_items)),
        ("unique_items", c.unique_items.then(TokenStream::new)),
        ("min_properties", count(c.min_properties)),
        ("max_properties", count(c.max_properties)),
        ("alternatives", alternatives),
        ("boolean", c.boolean.map(|value| quote!(#value))),
        ("numbers", numbers),
        ("items", items),
    ]
    .into_iter()
    .filter_map(|(name, args)| {
        let name = ident(name);
        args.map(|args| quote!(.#name(#args)))
    });
    quote!(crate::validate::Rules::NONE #(#calls)*)
}
