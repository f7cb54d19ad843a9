//! `mod.rs` and `api.rs`: the module tree, the client constructors, the
//! resource accessors and the parameters accepted on every request.

use super::docs::{code, doc, inner_doc, paragraphs, prose, sentence, show};
use super::{ident, rust_type};
use crate::model::{Api, Param, ParamLocation, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `generated/mod.rs`: declares the generated modules.
pub fn root_module(api: &Api) -> TokenStream {
    let modules = api.resources.iter().map(|r| {
        let module = ident(&r.module);
        let text = doc(&format!("Operations of the {} resource.", code(&r.name)));
        // Declared behind the resource's feature here, not inside the
        // file, so a disabled resource's file is never read.
        let cfg = crate::features::resource_cfg(r);
        quote!(#text #cfg pub mod #module;)
    });
    quote! {
        //! The code generated from `api-spec/`: the data types and one module
        //! per resource. Regenerate it with `cargo xtask codegen`.
        //!
        //! Each resource is compiled with its cargo feature, and left out of
        //! the crate's own unit tests (`not(test)`), which exercise the
        //! hand-written runtime alone.

        mod api;
        pub mod types;
        #(#modules)*

        // The typed mocks, re-exported by the runtime's `mock` module.
        #[cfg(feature = "mock")]
        pub(crate) mod mock;

        pub use api::{DEFAULT_BASE_URL, GlobalParameterValues, GlobalParameters};
    }
}

/// `generated/api.rs`.
pub fn api_module(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let about = inner_doc(&paragraphs([
        format!(
            "{} (version {}): client constructors and parameters common to every request.",
            prose(&api.title),
            prose(&api.version)
        ),
        api.description.as_deref().map(prose).unwrap_or_default(),
    ]));
    let accessors = api.resources.iter().map(|r| {
        let module = ident(&r.module);
        let handle = ident(&r.handle);
        let text = doc(&paragraphs([
            format!("The {} resource.", code(&r.name)),
            r.description.as_deref().map(prose).unwrap_or_default(),
        ]));
        let cfg = crate::features::resource_cfg(r);
        quote! {
            #text
            #cfg
            pub fn #module(&self) -> crate::#module::#handle<'_> {
                crate::#module::#handle { client: self }
            }
        }
    });
    let auth = doc("`token` is the API access token, sent as `Authorization: Bearer <token>`.");

    let fields = api.global_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = owned_type(&p.ty);
        quote!(pub(crate) #name: Option<#ty>)
    });
    let applies = api.global_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        match p.location {
            ParamLocation::Header => quote!(request.header(#wire, self.#name.as_ref());),
            _ => quote!(request.query(#wire, self.#name.as_ref());),
        }
    });
    let setters = api.global_params.iter().map(global_setter);
    let checks = super::validate::param_checks(api, &api.global_params);
    // Builders call it only when some global parameter has rules.
    let validate = (!checks.is_empty()).then(|| {
        quote! {
            /// Checks the values that are set against the spec's constraints.
            pub(crate) fn validate(&self) -> ::core::result::Result<(), crate::InvalidInput> {
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }
    });

    quote! {
        #about
        use crate::{ApiRequest, Client, ClientBuilder, Error};
        // Only global parameters of a named type use it.
        #[allow(unused_imports)]
        use crate::types;

        /// The base URL requests go to unless the client builder sets another.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        impl Client {
            /// A client for [`DEFAULT_BASE_URL`] with default settings.
            ///
            #auth
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`] if the token cannot be sent in a header.
            pub fn new(token: impl Into<String>) -> Result<Client, Error> {
                Self::builder(token).build()
            }

            /// A builder to set the base URL, timeouts, retries or the HTTP client.
            ///
            #auth
            pub fn builder(token: impl Into<String>) -> ClientBuilder {
                ClientBuilder::new(token, DEFAULT_BASE_URL)
            }

            /// A builder of a client without a token, for the actions the
            /// platform allows without one (signing in, public dashboards): they
            /// are sent without an `Authorization` header.
            ///
            /// No token: calling any other action on the client fails before
            /// sending, with [`Error::InvalidInput`] for the field `token`.
            pub fn builder_without_token() -> ClientBuilder {
                ClientBuilder::anonymous(DEFAULT_BASE_URL)
            }

            /// A client for the token and base URL in the environment: the token
            /// from the variable [`ClientBuilder::TOKEN_VAR`] names, the base URL
            /// from [`ClientBuilder::BASE_URL_VAR`] when it is set (else
            /// [`DEFAULT_BASE_URL`]), default settings otherwise.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`] naming the variable when the token is
            /// missing, empty or not UTF-8, or the setting when a value cannot be used.
            pub fn from_env() -> Result<Client, Error> {
                Self::builder_from_env()?.build()
            }

            /// A builder configured from the environment like [`Client::from_env`],
            /// to change further settings.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`] naming the variable when the token is
            /// missing, empty or not UTF-8.
            pub fn builder_from_env() -> Result<ClientBuilder, Error> {
                ClientBuilder::from_env(DEFAULT_BASE_URL)
            }

            #(#accessors)*
        }

        /// Values of the parameters accepted on every request, set through
        /// [`GlobalParameters`]: a part of every request builder, opaque to
        /// users.
        #[doc(hidden)]
        #[derive(Debug, Clone, Default)]
        pub struct GlobalParameterValues {
            #(#fields,)*
            /// The request's own settings (see [`crate::RequestOptions`]).
            pub(crate) options: crate::RequestOptionValues,
        }

        impl GlobalParameterValues {
            /// Adds the values that are set to `request` (public for the
            /// builders of every resource, so that a build without any
            /// resource does not find it unused).
            pub fn apply(self, request: &mut ApiRequest) {
                #(#applies)*
                request.options(self.options);
            }

            #validate
        }

        /// Setters for the parameters the platform accepts on every request.
        ///
        /// Every request builder implements this trait; bring it into scope
        /// (`use generated_client::GlobalParameters;`) to use them. It cannot
        /// be implemented outside this crate.
        pub trait GlobalParameters: Sized + crate::options::sealed::Sealed {
            /// The values set so far.
            #[doc(hidden)]
            fn global_parameters(&mut self) -> &mut GlobalParameterValues;

            #(#setters)*
        }
    }
}

/// The owned type a setter stores: strings and numbers as themselves,
/// named types by name, through the `types` module every module that
/// holds builders or setters imports.
pub(crate) fn owned_type(ty: &TypeRef) -> TokenStream {
    rust_type(ty, &quote!(types::))
}

fn global_setter(p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    let text = doc(&param_doc(p));
    let (arg, value) = setter_arg(&p.ty);
    quote! {
        #text
        fn #name(mut self, #name: #arg) -> Self {
            self.global_parameters().#name = Some(#name #value);
            self
        }
    }
}

/// The argument type of a setter, and what turns it into the stored value.
pub(crate) fn setter_arg(ty: &TypeRef) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(.into())),
        // A `DateTime<Utc>`, a `SystemTime` or a `Timestamp` made from
        // milliseconds.
        TypeRef::Timestamp => (quote!(impl Into<crate::Timestamp>), quote!(.into())),
        other => (owned_type(other), quote!()),
    }
}

/// A parameter's doc text: description, wire name, default and example.
pub(crate) fn param_doc(p: &Param) -> String {
    let place = match p.location {
        ParamLocation::Path => "path component",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
    };
    let mut text = format!(
        "{}\n\nSent as the {place} {}.",
        sentence(&prose(&p.description)),
        code(&p.wire_name)
    );
    if let Some(default) = &p.default {
        text.push_str(&format!(
            " The server's default is {}.",
            code(&show(default))
        ));
    }
    if let Some(example) = &p.example {
        text.push_str(&format!(" Example: {}.", code(&show(example))));
    }
    if p.ty == TypeRef::Timestamp {
        text.push_str(
            "\n\nTakes a `chrono::DateTime<Utc>`, a `std::time::SystemTime` or a \
             [`Timestamp`](crate::Timestamp) (`Timestamp::from_millis`), and sends \
             milliseconds since the epoch.",
        );
    }
    text
}
