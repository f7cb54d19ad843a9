//! `<resource>.rs`: the resource handle, one method per operation, and the
//! request builder each method returns.

use super::api::{owned_type, param_doc, setter_arg};
use super::docs::{code, doc, inner_doc, paragraphs, prose, sentence, show};
use super::ident;
use crate::model::{
    Api, Body, Operation, Param, ParamLocation, Resource, Segment, TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The head of a resource's module: its docs, imports, and the resource
/// handle with one method per operation. A request builder per operation
/// ([`builder`]) follows it.
pub fn resource_head(api: &Api, resource: &Resource) -> TokenStream {
    let handle = ident(&resource.handle);
    let about = inner_doc(&paragraphs([
        format!("Operations of the {} resource.", code(&resource.name)),
        resource
            .description
            .as_deref()
            .map(prose)
            .unwrap_or_default(),
    ]));
    let handle_doc = doc(&paragraphs([
        format!(
            "The {} resource; get it with [`Client::{m}`](crate::Client::{m}).",
            code(&resource.name),
            m = resource.module
        ),
        resource
            .description
            .as_deref()
            .map(prose)
            .unwrap_or_default(),
    ]));
    let methods = resource
        .operations
        .iter()
        .map(|op| method(api, resource, op));
    let waiter_methods = resource
        .waiters
        .iter()
        .map(|w| super::waiter::method(api, resource, w));
    let waiters = resource
        .waiters
        .iter()
        .map(|w| super::waiter::builder(api, resource, w));
    quote! {
        #about

        // Only `types` is imported: the module's own items are named after
        // the spec's operations, and the runtime's are named by path.
        #[allow(unused_imports)]
        use crate::types;

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            // Set by the accessor on `Client`; there is no constructor, whose
            // name an operation could take.
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #handle<'a> {
            #(#methods)*
            #(#waiter_methods)*
        }

        #(#waiters)*
    }
}

/// A required argument of an operation method.
pub(super) struct Arg {
    pub(super) name: TokenStream,
    /// The argument's type in the method signature.
    pub(super) ty: TokenStream,
    /// Turns the argument into the builder's stored value.
    pub(super) store: TokenStream,
    /// The builder field's type.
    pub(super) field_ty: TokenStream,
    pub(super) docs: String,
}

pub(super) fn required_args(api: &Api, op: &Operation) -> Vec<Arg> {
    let mut args: Vec<Arg> = op
        .path_params
        .iter()
        .chain(op.query.iter().filter(|p| p.required))
        .chain(op.headers.iter().filter(|p| p.required))
        .map(|p| param_arg(api, p))
        .collect();
    match &op.body {
        Some(Body::Json {
            ty,
            description,
            required: true,
            ..
        }) => {
            let field_ty = owned_type(ty);
            args.push(Arg {
                name: quote!(body),
                ty: field_ty.clone(),
                store: quote!(body),
                field_ty,
                docs: sentence(
                    &description
                        .as_deref()
                        .map(prose)
                        .unwrap_or_else(|| "The request body".to_owned()),
                ),
            });
        }
        Some(Body::Multipart { parts, .. }) => {
            for part in parts.iter().filter(|p| p.required) {
                let name = ident(&part.rust_name);
                let ty = if part.is_file {
                    quote!(crate::FilePart)
                } else {
                    quote!(impl Into<String>)
                };
                let field_ty = if part.is_file {
                    quote!(crate::FilePart)
                } else {
                    quote!(String)
                };
                let store = if part.is_file {
                    quote!(#name)
                } else {
                    quote!(#name.into())
                };
                args.push(Arg {
                    name: quote!(#name),
                    ty,
                    store,
                    field_ty,
                    docs: format!(
                        "{}\n\nSent as the multipart part {}.",
                        sentence(&prose(&part.description)),
                        code(&part.wire_name)
                    ),
                });
            }
        }
        Some(Body::Json {
            required: false, ..
        })
        | None => {}
    }
    args
}

pub(super) fn param_arg(api: &Api, p: &Param) -> Arg {
    let name = ident(&p.rust_name);
    let field_ty = owned_type(&p.ty);
    let (ty, store) = if is_newtype(api, &p.ty) {
        (quote!(&#field_ty), quote!(#name.clone()))
    } else {
        let (arg, convert) = setter_arg(&p.ty);
        (arg, quote!(#name #convert))
    };
    Arg {
        name: quote!(#name),
        ty,
        store,
        field_ty,
        docs: param_doc(p),
    }
}

pub(super) fn is_newtype(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name) if matches!(api.find_type(name).map(|t| &t.kind), Some(TypeKind::Newtype { .. })))
}

/// The optional setters of a builder: (name, doc text, argument type,
/// conversion, stored type).
fn optional_setters(
    op: &Operation,
) -> Vec<(String, String, TokenStream, TokenStream, TokenStream)> {
    let mut setters: Vec<_> = op
        .query
        .iter()
        .chain(op.headers.iter())
        .filter(|p| !p.required)
        .map(|p| {
            let (arg, convert) = setter_arg(&p.ty);
            (
                p.rust_name.clone(),
                param_doc(p),
                arg,
                convert,
                owned_type(&p.ty),
            )
        })
        .collect();
    if let Some(Body::Json {
        ty,
        description,
        required: false,
        ..
    }) = &op.body
    {
        let docs = sentence(
            &description
                .as_deref()
                .map(prose)
                .unwrap_or_else(|| "The request body".to_owned()),
        );
        let stored = owned_type(ty);
        let docs = format!("{docs}\n\nOptional: without it the request has no body.");
        setters.push(("body".to_owned(), docs, stored.clone(), quote!(), stored));
    }
    if let Some(Body::Multipart { parts, .. }) = &op.body {
        for part in parts.iter().filter(|p| !p.required) {
            let docs = format!(
                "{}\n\nSent as the multipart part {}.",
                sentence(&prose(&part.description)),
                code(&part.wire_name)
            );
            if part.is_file {
                setters.push((
                    part.rust_name.clone(),
                    docs,
                    quote!(crate::FilePart),
                    quote!(),
                    quote!(crate::FilePart),
                ));
            } else {
                setters.push((
                    part.rust_name.clone(),
                    docs,
                    quote!(impl Into<String>),
                    quote!(.into()),
                    quote!(String),
                ));
            }
        }
    }
    setters
}

fn success_type(op: &Operation) -> TokenStream {
    match &op.success {
        Some(ty) => owned_type(ty),
        None => quote!(()),
    }
}

fn method(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let builder = ident(&op.builder);
    let args = required_args(api, op);
    let params = args.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let stores = args.iter().map(|a| {
        let (n, s) = (&a.name, &a.store);
        if n.to_string() == s.to_string() {
            quote!(#n)
        } else {
            quote!(#n: #s)
        }
    });
    let optional_names: Vec<_> = optional_setters(op).iter().map(|s| ident(&s.0)).collect();
    let stream_inits = op.events.iter().flat_map(|_| {
        super::events::stream_setters().map(|setter| {
            let (name, init) = (ident(setter.name), setter.init);
            quote!(#name: #init,)
        })
    });
    let text = doc(&method_docs(api, resource, op, &args));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "the platform marks this action deprecated")]));
    quote! {
        #text
        #deprecated
        pub fn #name(&self, #(#params),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#stores,)*
                #(#optional_names: None,)*
                #(#stream_inits)*
                globals: crate::GlobalParameterValues::default(),
            }
        }
    }
}

fn method_docs(api: &Api, resource: &Resource, op: &Operation, args: &[Arg]) -> String {
    let mut sections = vec![
        sentence(&prose(&op.summary)),
        op.description.as_deref().map(prose).unwrap_or_default(),
        format!("`{} {}`", op.method.as_str(), op.path_template),
        access_notes(op),
        format!(
            "# Scopes\n\nThe token needs any one of: {}.",
            op.scopes
                .iter()
                .map(|s| code(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    let mut params = String::from("# Parameters\n");
    for arg in args {
        let docs = arg.docs.replace("\n\n", " ");
        params.push_str(&format!("\n- `{}`: {}", arg.name, docs));
    }
    let mut setters = optional_setters(op);
    if op.events.is_some() {
        setters.extend(super::events::stream_setters().map(|setter| {
            (
                setter.name.to_owned(),
                setter.docs.to_owned(),
                setter.arg,
                quote!(),
                setter.field_ty,
            )
        }));
    }
    if !setters.is_empty() {
        params.push_str("\n\nOptional, set on the returned builder:\n");
        for (name, docs, ..) in &setters {
            params.push_str(&format!(
                "\n- [`{name}`]({}::{name}): {}",
                op.builder,
                docs.replace("\n\n", " ")
            ));
        }
    }
    params
        .push_str("\n\nParameters accepted on every request are set through [`GlobalParameters`](crate::GlobalParameters).");
    sections.push(params);

    let mut responses = String::from("# Responses\n");
    for response in &op.responses {
        let body = match &response.ty {
            Some(TypeRef::Named(name)) => format!(" ([`types::{name}`])"),
            _ => String::new(),
        };
        responses.push_str(&format!(
            "\n- {}: {}{body}",
            response.status,
            prose(response.description.trim_end())
        ));
    }
    match &op.events {
        Some(stream) => {
            sections.push(responses);
            sections.push(super::events::events_section(op, stream));
        }
        None => {
            responses.push_str(
                "\n\nAwaiting the builder returns the decoded 2xx body. Any other status is \
                 [`Error::Api`](crate::Error::Api) with the status and the error body's `type` and `message`; \
                 see [`Error`](crate::Error) for the other failures.",
            );
            sections.push(responses);
        }
    }
    sections.push(format!(
        "# Example\n\n```no_run\n{}```",
        example(api, resource, op)
    ));
    paragraphs(sections)
}

/// What the platform says of the action beyond its scopes: deprecated,
/// refusing OAuth tokens, open to unverified users (empty when none).
pub(crate) fn access_notes(op: &Operation) -> String {
    let notes: Vec<&str> = [
        op.deprecated.then_some(
            "**Deprecated:** the platform marks this action deprecated; it may be removed.",
        ),
        op.deny_oauth_tokens.then_some(
            "OAuth tokens are refused: call it with an API access token or a user token.",
        ),
        op.allow_unverified
            .then_some("Allowed to users whose email address is not verified yet."),
    ]
    .into_iter()
    .flatten()
    .collect();
    notes.join("\n\n")
}

/// A compiling example of calling the operation, from the spec's examples.
pub(super) fn example(api: &Api, resource: &Resource, op: &Operation) -> String {
    example_with(
        api,
        resource,
        op,
        &["println!(\"{event:?}\");".to_owned()],
        &[],
    )
}

/// [`example`], where a stream operation's example runs `event_body` on
/// each event and imports `imports` (paths in the crate) too.
pub(super) fn example_with(
    api: &Api,
    resource: &Resource,
    op: &Operation,
    event_body: &[String],
    imports: &[String],
) -> String {
    let mut lines = vec![
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        // The import line is filled in below, once the example's names are known.
        String::new(),
        String::new(),
        "let client = Client::new(\"YOUR_API_ACCESS_TOKEN\")?;".to_owned(),
    ];
    let mut call_args = Vec::new();
    for p in op
        .path_params
        .iter()
        .chain(op.query.iter().filter(|p| p.required))
        .chain(op.headers.iter().filter(|p| p.required))
    {
        let value = example_value(api, p);
        if is_newtype(api, &p.ty) {
            let TypeRef::Named(ty) = &p.ty else { continue };
            lines.push(format!(
                "let {}: types::{ty} = {value}.parse()?;",
                p.rust_name
            ));
            call_args.push(format!("&{}", p.rust_name));
        } else {
            call_args.push(value);
        }
    }
    match &op.body {
        // An optional body is left out of the example.
        Some(Body::Json {
            ty,
            example,
            required: true,
            ..
        }) => {
            let type_name = owned_type(ty)
                .to_string()
                .replace(' ', "")
                .replace("crate::", "");
            // The spec's example, built through the typed constructors;
            // examples are checked against their schema when the spec loads.
            let json = example
                .as_deref()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
            let expr = super::example::value(api, ty, json.as_ref())
                .unwrap_or_else(|| "Default::default()".to_owned());
            lines.extend(super::example::let_statement("body", &type_name, &expr));
            call_args.push("body".to_owned());
        }
        Some(Body::Multipart { parts, .. }) => {
            for part in parts.iter().filter(|p| p.required) {
                if part.is_file {
                    lines.push(format!(
                        "let {} = FilePart::from_path(\"notebook.ipynb\");",
                        part.rust_name
                    ));
                    call_args.push(part.rust_name.clone());
                } else {
                    call_args.push("\"value\"".to_owned());
                }
            }
        }
        Some(Body::Json {
            required: false, ..
        })
        | None => {}
    }
    lines.push(String::new());
    lines.push(if op.events.is_some() {
        "let mut events = client".to_owned()
    } else {
        "let response = client".to_owned()
    });
    lines.push(format!("    .{}()", resource.module));
    lines.push(format!("    .{}({})", op.method_name, call_args.join(", ")));
    if let Some(p) = op.query.iter().find(|p| !p.required && p.example.is_some()) {
        lines.push(format!("    .{}({})", p.rust_name, example_value(api, p)));
    }
    lines.push("    .await?;".to_owned());
    if op.events.is_some() {
        lines.push("while let Some(event) = events.try_next().await? {".to_owned());
        lines.extend(event_body.iter().map(|line| format!("    {line}")));
        lines.push("}".to_owned());
    } else {
        lines.push("println!(\"{response:?}\");".to_owned());
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    let body = lines.join("\n");
    let mut names = vec!["Client"];
    // `types::FilePart` is a spec's type, not the runtime's.
    if body.contains("= FilePart::") {
        names.push("FilePart");
    }
    if op.events.is_some() {
        // `try_next`.
        names.push("prelude::*");
    }
    if body.contains("types::") {
        names.push("types");
    }
    names.extend(imports.iter().map(String::as_str));
    lines[1] = format!("use generated_client::{{{}}};", names.join(", "));
    if op.deprecated {
        // The example calls the method as it is, deprecated or not.
        lines.insert(0, "# #![allow(deprecated)]".to_owned());
    }
    lines.join("\n") + "\n"
}

/// A Rust expression for a parameter's example value.
pub(super) fn example_value(api: &Api, p: &Param) -> String {
    let example = p.example.as_ref().or(p.default.as_ref());
    match &p.ty {
        TypeRef::Named(name) => match api.find_type(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { variants }) => {
                let wire = example.map(show);
                let variant = variants
                    .iter()
                    .find(|v| Some(&v.wire) == wire.as_ref())
                    .or(variants.first())
                    .map(|v| v.rust_name.clone())
                    .unwrap_or_default();
                format!("types::{name}::{variant}")
            }
            _ => format!("{:?}", example.map(show).unwrap_or_default()),
        },
        TypeRef::String => format!("{:?}", example.map(show).unwrap_or_default()),
        TypeRef::Boolean => example.map(show).unwrap_or_else(|| "true".into()),
        TypeRef::Timestamp => format!(
            "generated_client::Timestamp::from_millis({})",
            example.map(show).unwrap_or_else(|| "0".into())
        ),
        TypeRef::Number => {
            let text = example.map(show).unwrap_or_else(|| "0".into());
            if text.contains('.') {
                text
            } else {
                format!("{text}.0")
            }
        }
        _ => example.map(show).unwrap_or_else(|| "0".into()),
    }
}

/// The request builder of one operation: its setters, `send`, and the
/// `IntoFuture` and `GlobalParameters` impls.
pub fn builder(api: &Api, resource: &Resource, op: &Operation) -> TokenStream {
    let name = ident(&op.builder);
    let args = required_args(api, op);
    let setters = optional_setters(op);
    let traits = match &op.events {
        Some(stream) => {
            let event = ident(&stream.enum_name);
            quote!(crate::impls::stream_traits!(#name, #event);)
        }
        None => request_traits(&name, op),
    };
    let event_enum = op
        .events
        .as_ref()
        .map(|stream| super::events::event_enum(api, resource, op, stream));
    let stream_setters = op.events.as_ref().map(|_| super::events::stream_setters());
    let stream_fields = stream_setters.iter().flatten().map(|setter| {
        let (n, ty) = (ident(setter.name), &setter.field_ty);
        quote!(#n: #ty)
    });
    let stream_setter_fns = stream_setters.iter().flatten().map(|setter| {
        let n = ident(setter.name);
        let (docs, arg, store) = (doc(setter.docs), &setter.arg, &setter.store);
        quote! {
            #docs
            pub fn #n(mut self, #n: #arg) -> Self {
                self.#n = #store;
                self
            }
        }
    });
    let scopes = &op.scopes;
    let text = doc(&format!(
        "A {} request of the {} resource, made by [`{}::{}`]: `.await` it (or call [`send`](Self::send)) to send it.\n\n# Example\n\n```no_run\n{}```",
        code(&op.name),
        code(&resource.name),
        resource.handle,
        op.method_name,
        example(api, resource, op)
    ));
    let arg_fields = args.iter().map(|a| {
        let (n, t) = (&a.name, &a.field_ty);
        quote!(#n: #t)
    });
    let optional_fields = setters.iter().map(|(n, _, _, _, stored)| {
        let n = ident(n);
        quote!(#n: Option<#stored>)
    });
    let setter_fns = setters.iter().map(|(n, docs, arg, convert, _)| {
        let n = ident(n);
        let docs = doc(docs);
        quote! {
            #docs
            pub fn #n(mut self, #n: #arg) -> Self {
                self.#n = Some(#n #convert);
                self
            }
        }
    });

    let segments = op.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(#text),
        Segment::Param(index) => {
            let p = &op.path_params[*index];
            let field = ident(&p.rust_name);
            match &p.ty {
                // Strings, newtypes and enums all lend their text.
                TypeRef::String | TypeRef::Named(_) => quote!(self.#field.as_str()),
                _ => quote!(&self.#field.to_string()),
            }
        }
    });
    let method = ident(op.method.as_str());
    let (resource_name, action, path_template) = (&resource.name, &op.name, &op.path_template);
    let params = op.query.iter().chain(op.headers.iter()).map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.wire_name;
        let value = if p.required {
            quote!(Some(&self.#field))
        } else {
            quote!(self.#field.as_ref())
        };
        match p.location {
            ParamLocation::Header => quote!(request.header(#wire, #value);),
            _ => quote!(request.query(#wire, #value);),
        }
    });
    let body = match &op.body {
        Some(Body::Json { required: true, .. }) => quote!(request.json_body(&self.body)?;),
        Some(Body::Json { .. }) => quote! {
            if let Some(body) = &self.body {
                request.json_body(body)?;
            }
        },
        Some(Body::Multipart { parts, .. }) => {
            let parts = parts.iter().map(|part| {
                let field = ident(&part.rust_name);
                let wire = &part.wire_name;
                match (part.required, part.is_file) {
                    (true, true) => quote!(request.multipart_part(#wire, self.#field);),
                    (false, true) => quote!(if let Some(part) = self.#field { request.multipart_part(#wire, part); }),
                    (true, false) => quote!(request.multipart_text(#wire, self.#field);),
                    (false, false) => quote!(if let Some(text) = self.#field { request.multipart_text(#wire, text); }),
                }
            });
            quote!(#(#parts)*)
        }
        None => quote!(),
    };
    let checked: Vec<&Param> = op
        .path_params
        .iter()
        .chain(&op.query)
        .chain(&op.headers)
        .collect();
    let checks = super::validate::request_checks(
        &checked,
        matches!(op.body, Some(Body::Json { .. })),
        !super::validate::param_checks(&api.global_params).is_empty(),
    );
    let stream_fn = op.pagination.as_ref().map(|p| {
        let item = owned_type(&p.item_ty);
        let page = ident(&p.page_param);
        let per_page = ident(&p.per_page_param);
        let items = ident(&p.items_field);
        let total = ident(&p.total_field);
        let items = if p.items_required { quote!(response.#items) } else { quote!(response.#items.unwrap_or_default()) };
        let total = if p.total_required { quote!(Some(response.#total)) } else { quote!(response.#total) };
        let per_page_value = match p.default_per_page {
            Some(default) => {
                let default = proc_macro2::Literal::i64_unsuffixed(default);
                quote!(Some(self.#per_page.unwrap_or(#default)))
            }
            None => quote!(self.#per_page),
        };
        let text = doc(&format!(
            "Every item of every page, from the page set with [`{page}`](Self::{page}) (or the first) on, \
             as a stream. Pages are fetched lazily: the next request goes out only when the stream \
             reaches it, and the stream ends after the last page.\n\n\
             # Errors\n\nThe stream yields the first error of any page request and then ends."
        ));
        quote! {
            #text
            pub fn into_stream(self) -> impl ::futures_core::Stream<Item = Result<#item, crate::Error>> + Send + Unpin + 'static {
                let first_page = self.#page.unwrap_or(0);
                let per_page = #per_page_value;
                crate::pagination::paginate(first_page, per_page, move |page| {
                    let request = self.clone().#page(page);
                    async move {
                        let response = request.send().await?;
                        Ok(crate::pagination::Page { items: #items, total: #total })
                    }
                })
            }
        }
    });
    let derive_clone = match &op.body {
        Some(Body::Multipart { .. }) => quote!(#[derive(Debug)]),
        _ => quote!(#[derive(Debug, Clone)]),
    };
    quote! {
        #text
        #derive_clone
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #name {
            client: crate::Client,
            #(#arg_fields,)*
            #(#optional_fields,)*
            #(#stream_fields,)*
            globals: crate::GlobalParameterValues,
        }

        impl #name {
            /// Token scopes any one of which allows this request.
            pub const SCOPES: &'static [&'static str] = &[#(#scopes),*];

            #(#setter_fns)*

            #(#stream_setter_fns)*

            #stream_fn

            /// The checked request, ready to send, and the client to send it with.
            fn into_request(self) -> Result<(crate::Client, crate::ApiRequest), crate::Error> {
                #checks
                let mut request = crate::ApiRequest::new(::reqwest::Method::#method, &crate::Operation { resource: #resource_name, action: #action, path: #path_template }, &[#(#segments),*]);
                #(#params)*
                #body
                self.globals.apply(&mut request);
                Ok((self.client, request))
            }
        }

        #traits

        #event_enum
    }
}

/// `send`, `IntoFuture` and `GlobalParameters` for a builder: one call of the
/// runtime's `request_traits!` macro. A generic output type (a list or a
/// map) gets a name of its own first (`AttachResponse` for the `attach`
/// operation), since prettyplease prints the arguments of a macro call as
/// loose tokens (`Vec < types::Shape >`).
fn request_traits(name: &proc_macro2::Ident, op: &Operation) -> TokenStream {
    let success = success_type(op);
    if !matches!(op.success, Some(TypeRef::List(_) | TypeRef::Map(_))) {
        return quote!(crate::impls::request_traits!(#name, #success););
    }
    // Builders are named `<Resource><Operation>Request` (`naming::builder_name`); no other item of the module
    // ends in `Response`.
    let base = op.builder.strip_suffix("Request").unwrap_or(&op.builder);
    let alias = ident(&format!("{base}Response"));
    let text = doc(&format!(
        "What [`{}`] decodes a 2xx response into.",
        op.builder
    ));
    quote! {
        #text
        pub type #alias = #success;

        crate::impls::request_traits!(#name, #alias);
    }
}
