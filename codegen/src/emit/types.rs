//! `types.rs`: one Rust type per named shape of the spec.

use super::docs::{code, doc, paragraphs, prose, sentence, show};
use super::{ident, rust_type, union_from_types};
use crate::features::Gates;
use crate::model::{
    Api, ExtraKeys, Field, KeyCount, OtherKeys, RequiredSets, TypeDef, TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// One named type: its definition and, when a request can carry it, its
/// `Validate` impl.
pub fn type_item(api: &Api, def: &TypeDef, gates: &Gates) -> TokenStream {
    let definition = type_def(def, api, gates);
    let validation = def.sent.then(|| super::validate::validate_impl(api, def));
    quote!(#definition #validation)
}

/// `types/mod.rs`: the docs of the types, and one module per group, each
/// compiled only with the features that need it (see [`crate::features`]).
pub fn types_root(gates: &crate::features::Gates) -> TokenStream {
    let groups = gates.groups.iter().map(|group| {
        let cfg = gates.group_cfg(group);
        let module = ident(&group.module);
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::*;
        }
    });
    quote! {
        //! The data types of the API: request bodies, responses and the
        //! shapes they share, one type per named schema of the spec.
        //!
        //! Responses decode leniently so a newer server does not break an
        //! older client: unknown fields are ignored, an unknown enum value is
        //! kept in an `Unknown` variant and an unknown union kind as raw JSON.
        //!
        //! Every name here is written as an absolute path (`::std::string::String`,
        //! `::serde::Serialize`), since a schema may be called `String` or
        //! `Serialize` itself. The types are grouped in modules by the spec
        //! file that defines them, each compiled with the resource features
        //! that use its types (and left out of the crate's own unit tests);
        //! all of them are re-exported here.

        #(#groups)*
    }
}

/// The head of one group module of the types: its docs, and the other
/// groups' types in scope by name.
pub fn group_head(group: &crate::features::Group) -> TokenStream {
    let about = format!(" The types of `{}`.", group.module);
    quote! {
        #![doc = #about]

        // The types of the other groups, as `types` re-exports them.
        #[allow(unused_imports)]
        use super::*;
    }
}

fn type_def(def: &TypeDef, api: &Api, gates: &Gates) -> TokenStream {
    let docs = doc(&paragraphs([
        sentence(
            &def.docs
                .as_deref()
                .map(prose)
                .unwrap_or_else(|| prose(&def.name)),
        ),
        how_to_build(def, api, gates),
        example(def, api),
    ]));
    match &def.kind {
        TypeKind::Struct { fields, extra, .. } => {
            struct_def(def, fields, extra.as_deref(), &docs, api)
        }
        TypeKind::Enum { variants } => {
            let name = ident(&def.name);
            let variant_docs = variants
                .iter()
                .map(|v| doc(&format!("The value {}.", code(&v.wire))));
            let variant_names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let wires: Vec<_> = variants.iter().map(|v| v.wire.as_str()).collect();
            let is_terminal = is_terminal(def, api);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum #name {
                    #( #variant_docs #variant_names, )*
                    /// A value this client does not know yet, as the server sent it.
                    Unknown(::std::string::String),
                }

                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variant_names => #wires, )*
                            Self::Unknown(value) => value,
                        }
                    }

                    #is_terminal
                }

                impl ::core::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #wires => Self::#variant_names, )*
                            other => Self::Unknown(::std::string::String::from(other)),
                        }
                    }
                }

                crate::impls::string_enum_traits!(#name);
            }
        }
        TypeKind::TaggedUnion { tag, variants } => {
            let name = ident(&def.name);
            let variant_names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let tag_values: Vec<_> = variants.iter().map(|v| v.tag_value.as_str()).collect();
            let variant_types: Vec<_> = variants.iter().map(|v| ident(&v.ty)).collect();
            let variant_docs = variants
                .iter()
                .map(|v| doc(&format!("{} is {}.", code(tag), code(&v.tag_value))));
            let told_apart = doc(&format!("Told apart by the {} property.", code(tag)));
            let conversions = union_conversions(def, api);
            quote! {
                #docs
                ///
                #told_apart
                // A value of a union is one of its kinds, as the API sends
                // it: boxing the large kinds would only cost the caller.
                #[allow(clippy::large_enum_variant)]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #( #variant_docs #variant_names(#variant_types), )*
                    /// A kind this client does not know yet, as the server sent it.
                    Unknown(::serde_json::Value),
                }

                // Each kind writes its own tag (so it carries it when sent
                // on its own too); the union adds nothing.
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        match self {
                            #( Self::#variant_names(value) => ::serde::Serialize::serialize(value, serializer), )*
                            Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                        }
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let decoded = match value.get(#tag).and_then(::serde_json::Value::as_str) {
                            #( ::core::option::Option::Some(#tag_values) => <#variant_types as ::serde::Deserialize>::deserialize(value).map(Self::#variant_names), )*
                            _ => return ::core::result::Result::Ok(Self::Unknown(value)),
                        };
                        decoded.map_err(::serde::de::Error::custom)
                    }
                }

                #conversions
            }
        }
        TypeKind::UntaggedUnion { variants } => {
            let name = ident(&def.name);
            let type_name = def.name.as_str();
            let conversions = union_conversions(def, api);
            let variant_names: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let variant_types: Vec<_> = variants
                .iter()
                .map(|v| boxed_if_recursive(&v.ty, &def.name, api))
                .collect();
            let variant_docs = variant_types.iter().map(|ty| {
                doc(&format!(
                    "A value of type {}.",
                    code(&ty.to_string().replace(' ', ""))
                ))
            });
            quote! {
                #docs
                // A value of a union is one of its kinds, as the API sends
                // it: boxing the large kinds would only cost the caller.
                #[allow(clippy::large_enum_variant)]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #( #variant_docs #variant_names(#variant_types), )*
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        match self {
                            #( Self::#variant_names(value) => ::serde::Serialize::serialize(value, serializer), )*
                        }
                    }
                }

                // The first alternative the value decodes as wins.
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                        let value = crate::json::Alternatives::read(deserializer)?;
                        #(
                            if let ::core::option::Option::Some(value) = value.as_a() {
                                return ::core::result::Result::Ok(Self::#variant_names(value));
                            }
                        )*
                        ::core::result::Result::Err(value.none_matched(#type_name))
                    }
                }

                #conversions
            }
        }
        TypeKind::Newtype { .. } => newtype_def(def, &docs, gates),
        TypeKind::Alias { target } => {
            let name = ident(&def.name);
            let target = rust_type(target, &quote!());
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn struct_def(
    def: &TypeDef,
    fields: &[Field],
    extra: Option<&ExtraKeys>,
    docs: &TokenStream,
    api: &Api,
) -> TokenStream {
    let name = ident(&def.name);
    let all_optional = fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let field_tokens = fields.iter().map(|field| {
        let rust_name = ident(&field.rust_name);
        let ty = field_type(field, &def.name, api);
        let mut text = sentence(
            &field
                .docs
                .as_deref()
                .map(prose)
                .unwrap_or_else(|| format!("The {} property", code(&field.wire_name))),
        );
        if let Some(default) = &field.default {
            text.push_str(&format!(
                "\n\nThe server's default is {}.",
                code(&show(default))
            ));
        }
        let sends_null = def.sends_null_on_request(field);
        if sends_null {
            text.push_str(
                "\n\n`None` leaves the key out; `Some(None)` sends `null` (in an update, `null` clears the value).",
            );
        }
        let docs = doc(&text);
        let ty = match (field.required, sends_null) {
            (true, _) => ty,
            // Absent, `null` and a value are three different requests.
            (false, true) => {
                quote!(::core::option::Option<::core::option::Option<#ty>>)
            }
            (false, false) => quote!(::core::option::Option<#ty>),
        };
        quote!(#docs pub #rust_name: #ty)
    });
    let extra_field = extra.map(|e| {
        let n = ident(&e.rust_name);
        let ty = rust_type(&TypeRef::Map(Box::new(e.value.clone())), &quote!());
        let text = doc(&extra_docs(e));
        quote!(#text pub #n: #ty)
    });
    let constructor = (!all_optional).then(|| {
        let mut required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
        required.sort_by_key(|f| f.required_position);
        let args = required.iter().map(|f| {
            let n = ident(&f.rust_name);
            if f.ty == TypeRef::String {
                quote!(#n: impl ::core::convert::Into<::std::string::String>)
            } else {
                let ty = field_type(f, &def.name, api);
                quote!(#n: #ty)
            }
        });
        let inits = fields.iter().map(|f| {
            let n = ident(&f.rust_name);
            match (f.required, &f.ty) {
                (true, TypeRef::String) => quote!(#n: ::core::convert::Into::into(#n)),
                (true, _) => quote!(#n),
                (false, _) => quote!(#n: ::core::option::Option::None),
            }
        });
        let extra_init = extra.map(|e| {
            let n = ident(&e.rust_name);
            quote!(, #n: ::std::collections::BTreeMap::new())
        });
        let text = doc("A value with the required fields set and every optional field empty.");
        quote! {
            impl #name {
                #text
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits),* #extra_init }
                }
            }
        }
    });
    let json = json_impls(def, fields, extra);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #( #field_tokens, )*
            #extra_field
        }

        #json
        #constructor
    }
}

/// How a field is read and written: the methods of `crate::json::Fields`
/// and `crate::json::ObjectWriter` it is decoded and encoded with.
fn json_methods(def: &TypeDef, field: &Field) -> (TokenStream, TokenStream) {
    if field.required {
        (quote!(required), quote!(required))
    } else if def.sends_null_on_request(field) {
        (quote!(nullable), quote!(optional))
    } else if field.sent_as_null {
        // A required key that may be null: `None` is sent as `null`, and
        // read back from a missing key too.
        (quote!(optional), quote!(required))
    } else {
        (quote!(optional), quote!(optional))
    }
}

/// A struct's `Serialize` and `Deserialize`, written out over the helpers
/// of `crate::json` (whose docs say why not derived): keys in the order of
/// the fields, a tagged-union kind's tag first, the map of other keys last.
fn json_impls(def: &TypeDef, fields: &[Field], extra: Option<&ExtraKeys>) -> TokenStream {
    let name = ident(&def.name);
    let type_name = def.name.as_str();
    let tag = def.tag.as_ref();
    let write_tag = tag.map(|tag| {
        let (key, value) = (&tag.name, &tag.value);
        quote!(object.required(#key, #value)?;)
    });
    // The tag's value is the kind's, whatever a field of that name holds.
    let writes: Vec<TokenStream> = fields
        .iter()
        .filter(|f| tag.is_none_or(|tag| tag.name != f.wire_name))
        .map(|field| {
            let (_, write) = json_methods(def, field);
            let (rust, wire) = (ident(&field.rust_name), &field.wire_name);
            quote!(object.#write(#wire, &self.#rust)?;)
        })
        .collect();
    let object = match writes.is_empty() && write_tag.is_none() && extra.is_none() {
        true => quote!(object),
        false => quote!(mut object),
    };
    let reads = fields.iter().map(|field| {
        let (read, _) = json_methods(def, field);
        let (rust, wire) = (ident(&field.rust_name), &field.wire_name);
        quote!(#rust: fields.#read(#wire)?,)
    });
    let (write_rest, skip_tag, read_rest) = match extra {
        Some(extra) => {
            let rust = ident(&extra.rust_name);
            let skip = tag
                .filter(|tag| fields.iter().all(|f| f.wire_name != tag.name))
                .map(|tag| {
                    let key = &tag.name;
                    quote!(fields.skip(#key);)
                });
            (
                Some(quote!(object.rest(&self.#rust)?;)),
                skip,
                Some(quote!(#rust: fields.rest()?,)),
            )
        }
        None => (None, None, None),
    };
    let fields_arg = match fields.is_empty() && extra.is_none() {
        true => quote!(_),
        false => quote!(fields),
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                let #object = crate::json::ObjectWriter::start(serializer)?;
                #write_tag
                #( #writes )*
                #write_rest
                object.end()
            }
        }

        impl crate::json::Object for #name {
            const NAME: &'static str = #type_name;

            fn from_fields(
                #fields_arg: &mut crate::json::Fields,
            ) -> ::core::result::Result<Self, ::serde_json::Error> {
                #skip_tag
                ::core::result::Result::Ok(Self {
                    #( #reads )*
                    #read_rest
                })
            }
        }

        crate::impls::object_deserialize!(#name);
    }
}

/// The docs of the map field holding an object's other keys: what each
/// key may hold, and what is refused before sending.
fn extra_docs(extra: &ExtraKeys) -> String {
    let shown = |ty: &TypeRef| code(&rust_type(ty, &quote!()).to_string().replace(' ', ""));
    let mut lines =
        vec!["The object's keys other than its declared properties, with their values.".to_owned()];
    for (pattern, rule) in &extra.patterns {
        lines.push(format!(
            "A key matching the pattern {} holds a {}.",
            code(pattern),
            shown(&rule.ty)
        ));
    }
    lines.push(match &extra.others {
        OtherKeys::Refused => {
            "A key that matches none of the patterns is refused before sending.".to_owned()
        }
        OtherKeys::Rule(rule) => {
            format!("A key that matches no pattern holds a {}.", shown(&rule.ty))
        }
        OtherKeys::Any if extra.value == TypeRef::Json => {
            "A key that matches no pattern may hold any JSON.".to_owned()
        }
        OtherKeys::Any => {
            "A key that matches no pattern is read as holding the same type.".to_owned()
        }
    });
    if extra.value == TypeRef::Json && extra.rules().next().is_some() {
        lines.push(
            "The values are kept as JSON since the keys' types differ; before sending, each is \
             checked as the type of every pattern its key matches."
                .to_owned(),
        );
    }
    lines.push(
        "A declared property's name is refused here before sending: set its field instead."
            .to_owned(),
    );
    lines.join(" ")
}

/// The sentence that says which fields a struct needs by its
/// `required`-only alternatives.
fn required_sets_text(fields: &[Field], sets: &RequiredSets) -> String {
    let name = |wire: &String| {
        fields
            .iter()
            .find(|f| f.wire_name == *wire)
            .map_or_else(|| code(wire), |f| code(&f.rust_name))
    };
    let listed: Vec<String> = sets
        .sets
        .iter()
        .map(|set| {
            if set.is_empty() {
                "none".to_owned()
            } else {
                set.iter().map(name).collect::<Vec<_>>().join(" and ")
            }
        })
        .collect();
    format!(
        "{} of these must be set (checked before sending): {}.",
        if sets.exactly_one {
            "Exactly one"
        } else {
            "At least one"
        },
        listed.join("; or ")
    )
}

/// The field's type, boxed where the struct would contain itself.
fn field_type(field: &Field, owner: &str, api: &Api) -> TokenStream {
    boxed_if_recursive(&field.ty, owner, api)
}

fn boxed_if_recursive(ty: &TypeRef, owner: &str, api: &Api) -> TokenStream {
    let rust = rust_type(ty, &quote!());
    if super::holds(api, ty, owner, &mut Vec::new()) {
        quote!(::std::boxed::Box<#rust>)
    } else {
        rust
    }
}

fn newtype_def(def: &TypeDef, docs: &TokenStream, gates: &Gates) -> TokenStream {
    let name = ident(&def.name);
    let TypeKind::Newtype { constraints } = &def.kind else {
        return quote!();
    };
    let rules = super::validate::rules(constraints);
    let type_name = def.name.as_str();
    // Conversions into the string unions that have this type's rules as
    // an alternative live here, with this type: a union's group is
    // compiled whenever this one is, not always the other way round.
    let conversions = gates.converts_into(&def.name).iter().map(|union| {
        let union = ident(union);
        let text = doc(&format!(
            "A [`{name}`] is one of the alternatives of [`{union}`], so it converts without a check."
        ));
        quote! {
            impl ::core::convert::From<#name> for #union {
                #text
                fn from(value: #name) -> Self {
                    #union(value.0)
                }
            }
        }
    });
    quote! {
        #docs
        ///
        /// Built with [`new`](Self::new), [`str::parse`] or `TryFrom`, which
        /// check the value; decoded from responses as sent.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        // Visible to the other groups of types for the `From` conversions
        // between string types, which live in the group of the converted
        // type.
        pub struct #name(pub(super) ::std::string::String);

        impl #name {
            /// Checks `value` against the constraints of this type and wraps it.
            ///
            /// # Errors
            ///
            /// [`InvalidInput`](crate::InvalidInput) naming the type and the broken constraint.
            pub fn new(value: impl ::core::convert::Into<::std::string::String>) -> ::core::result::Result<Self, crate::InvalidInput> {
                let value = ::core::convert::Into::into(value);
                crate::validate::check_value(#type_name, &value, &Self::RULES)?;
                ::core::result::Result::Ok(Self(value))
            }

            /// The constraints every value of this type meets.
            const RULES: crate::validate::Rules = #rules;

            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value as an owned string.
            pub fn into_inner(self) -> ::std::string::String {
                self.0
            }
        }

        crate::impls::checked_string_traits!(#name);

        #(#conversions)*
    }
}

/// `From` each variant type that appears once among a union's variants
/// ([`union_from_types`]), so `NotebookInput::from(input)` and
/// `input.into()` work.
fn union_conversions(def: &TypeDef, api: &Api) -> TokenStream {
    let name = ident(&def.name);
    let variants: Vec<(&str, TypeRef)> = match &def.kind {
        TypeKind::TaggedUnion { variants, .. } => variants
            .iter()
            .map(|v| (v.rust_name.as_str(), TypeRef::Named(v.ty.clone())))
            .collect(),
        TypeKind::UntaggedUnion { variants } => variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.ty.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let unique = union_from_types(api, &def.name);
    let impls = variants
        .iter()
        .filter(|(_, ty)| unique.contains(ty))
        .map(|(variant, ty)| {
            let variant = ident(variant);
            let from = rust_type(ty, &quote!());
            let value = if super::holds(api, ty, &def.name, &mut Vec::new()) {
                quote!(::std::boxed::Box::new(value))
            } else {
                quote!(value)
            };
            let text = doc(&format!(
                "Wraps the value in [`{}::{variant}`](Self::{variant}).",
                def.name
            ));
            // Text converts too (`"freezer-3".into()`), as a string would.
            let text_too = (*ty == TypeRef::String).then(|| {
                let text = doc(&format!(
                    "Wraps a copy of the text in [`{}::{variant}`](Self::{variant}).",
                    def.name
                ));
                quote! {
                    impl ::core::convert::From<&str> for #name {
                        #text
                        fn from(value: &str) -> Self {
                            Self::#variant(::std::string::String::from(value))
                        }
                    }
                }
            });
            quote! {
                impl ::core::convert::From<#from> for #name {
                    #text
                    fn from(value: #from) -> Self {
                        Self::#variant(#value)
                    }
                }
                #text_too
            }
        });
    quote!(#(#impls)*)
}

/// The named string types whose rules are exactly one of the
/// alternatives of string union `def` (a `oneOf` or `anyOf` of strings):
/// each converts into it with `From`.
pub(crate) fn alternative_types<'a>(def: &TypeDef, api: &'a Api) -> Vec<&'a str> {
    api.string_conversions
        .get(&def.name)
        .map(|names| names.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The paragraph that says how a value is built: constructors and
/// conversions.
fn how_to_build(def: &TypeDef, api: &Api, gates: &Gates) -> String {
    let mut text = constructors_text(def, api, gates);
    if let TypeKind::Struct {
        fields,
        required_sets,
        keys,
        extra,
    } = &def.kind
    {
        if let Some(sets) = required_sets {
            text = format!("{text} {}", required_sets_text(fields, sets));
        }
        if let Some(rule) = key_count_text(keys, extra.is_some()) {
            text = format!("{text} {rule}");
        }
    }
    text
}

/// What a struct's `minProperties` and `maxProperties` ask, checked before
/// sending: `A request with this type sets exactly 1 of its fields, ...`.
fn key_count_text(keys: &KeyCount, has_extra_keys: bool) -> Option<String> {
    let rule = match (keys.min, keys.max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("at least {min} and at most {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => return None,
    };
    let counted = if has_extra_keys {
        "keys (its fields that are set and the entries of its map of other keys)"
    } else {
        "fields"
    };
    Some(format!(
        "A request with this type sets {rule} of its {counted}, checked before sending."
    ))
}

/// [`how_to_build`] without the rules of `required`-only alternatives.
fn constructors_text(def: &TypeDef, api: &Api, gates: &Gates) -> String {
    match &def.kind {
        TypeKind::Struct { fields, .. } if fields.iter().any(|f| f.required) => {
            let mut required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
            required.sort_by_key(|f| f.required_position);
            let names: Vec<String> = required.iter().map(|f| code(&f.rust_name)).collect();
            format!(
                "Built with [`new`](Self::new), which takes the required fields ({}); the optional \
                 fields start empty and are set by struct update (`Self {{ field: Some(..), ..Self::new(..) }}`).",
                names.join(", ")
            )
        }
        TypeKind::Struct { .. } => {
            "Every field is optional: start from `Default::default()` and set the \
             fields needed by struct update (`Self { field: Some(..), ..Default::default() }`)."
                .to_owned()
        }
        TypeKind::TaggedUnion { .. } | TypeKind::UntaggedUnion { .. } => {
            let mut from: Vec<String> = Vec::new();
            for t in union_from_types(api, &def.name) {
                from.push(code(&rust_type(&t, &quote!()).to_string().replace(' ', "")));
                if t == TypeRef::String {
                    from.push(code("&str"));
                }
            }
            let rule = "A variant's type converts into the union with `From` (`Self::from(value)`, \
                 `value.into()`) when no other variant has the same type";
            if from.is_empty() {
                format!(
                    "{rule}; here every variant shares its type, so variants are built by name."
                )
            } else {
                format!("{rule}: here {}.", from.join(", "))
            }
        }
        TypeKind::Newtype { .. } => {
            // A type the features may leave out is named, not linked, so
            // the docs of a trimmed build have no broken link.
            let from: Vec<String> = alternative_types(def, api)
                .iter()
                .map(|t| match gates.compiled_with(&def.name, t) {
                    true => format!("[`{t}`]"),
                    false => code(t),
                })
                .collect();
            if from.is_empty() {
                String::new()
            } else {
                format!(
                    "A value of a type whose rules are one of the alternatives converts with `From`: {}. \
                     A value that then matches more than one alternative of a `oneOf` is refused before sending.",
                    from.join(", ")
                )
            }
        }
        _ => String::new(),
    }
}

/// A compiled example that builds a value of the type.
fn example(def: &TypeDef, api: &Api) -> String {
    let name = &def.name;
    let ty = TypeRef::Named(name.clone());
    let body = match super::example::value(api, &ty, None) {
        Some(expr) => {
            let mut lines =
                super::example::let_statement("value", &format!("types::{name}"), &expr);
            lines.push("println!(\"{value:?}\");".to_owned());
            lines.join("\n")
        }
        // A type that holds itself in a required field has no finite value
        // to build; show it used instead.
        None => format!(
            "fn show(value: &types::{name}) {{\n    println!(\"{{value:?}}\");\n}}\n# let _: fn(&types::{name}) = show;"
        ),
    };
    format!(
        "# Example\n\n```no_run\n# fn example() -> Result<(), Box<dyn std::error::Error>> {{\nuse generated_client::types;\n\n{body}\n# Ok(())\n# }}\n```"
    )
}

/// `is_terminal()` for an enum that is a waiter's status, from the
/// waiter's terminal values.
fn is_terminal(def: &TypeDef, api: &Api) -> TokenStream {
    let Some(terminal) = api.terminal_values.iter().find(|t| t.ty == def.name) else {
        return quote!();
    };
    let TypeKind::Enum { variants } = &def.kind else {
        return quote!();
    };
    let listed: Vec<String> = variants
        .iter()
        .filter(|v| terminal.variants.contains(&v.rust_name))
        .map(|v| code(&v.wire))
        .collect();
    let text = doc(&format!(
        "Whether the value is one at which a waiter stops: {}. A value this client does not know is not terminal.",
        listed.join(", ")
    ));
    let terminal = terminal.variants.iter().map(|v| ident(v));
    quote! {
        #text
        pub fn is_terminal(&self) -> bool {
            ::core::matches!(self, #( Self::#terminal )|*)
        }
    }
}
