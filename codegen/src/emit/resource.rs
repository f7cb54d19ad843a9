//! `<resource>.rs`: the resource handle, one method per operation, and the
//! request builder each method returns.

use super::api::{owned_type, param_doc, setter_arg};
use super::docs::{code, doc, inner_doc, paragraphs, prose, sentence, show};
use super::ident;
use crate::model::{
    Api, Body, Operation, Param, ParamLocation, Part, PartValue, Resource, Segment, TypeKind,
    TypeRef,
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
                let (ty, convert, field_ty) = part_setter(part);
                args.push(Arg {
                    name: quote!(#name),
                    ty,
                    store: quote!(#name #convert),
                    field_ty,
                    docs: part_doc(part),
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

/// A multipart part's setter: its argument type, what turns the argument
/// into the stored value, and the stored type.
fn part_setter(part: &Part) -> (TokenStream, TokenStream, TokenStream) {
    match &part.kind {
        PartValue::File => (quote!(crate::FilePart), quote!(), quote!(crate::FilePart)),
        PartValue::Text(None) => (quote!(impl Into<String>), quote!(.into()), quote!(String)),
        PartValue::Text(Some(ty)) | PartValue::Json(ty) => {
            let (arg, convert) = setter_arg(ty);
            (arg, convert, owned_type(ty))
        }
    }
}

/// A multipart part's doc text: its description and how it is sent.
fn part_doc(part: &Part) -> String {
    let how = match &part.kind {
        PartValue::File => "",
        PartValue::Text(None) => "",
        PartValue::Text(Some(_)) => ", as its text",
        PartValue::Json(_) => ", as its JSON text (checked against the spec first)",
    };
    format!(
        "{}\n\nSent as the multipart part {}{how}.",
        sentence(&prose(&part.description)),
        code(&part.wire_name)
    )
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

/// Whether a value of `ty` is written as text and parsed: a checked string
/// (a newtype), or another name of one.
fn parses_from_text(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => match api.find_type(name).map(|t| &t.kind) {
            Some(TypeKind::Newtype { .. }) => true,
            Some(TypeKind::Alias { target }) => parses_from_text(api, target),
            _ => false,
        },
        _ => false,
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
            let (arg, convert, stored) = part_setter(part);
            setters.push((part.rust_name.clone(), part_doc(part), arg, convert, stored));
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

/// The name of the type an operation's response decodes into when it is
/// not a named type: `NotebookLogsResponse` (a list or a map), or the enum
/// of an operation whose 2xx responses have different bodies
/// (`ApplicationCloneResponse`). Builders are named
/// `<Resource><Operation>Request` (`naming::builder_name`); no other item
/// of the module ends in `Response`.
pub(crate) fn response_name(op: &Operation) -> String {
    let base = op.builder.strip_suffix("Request").unwrap_or(&op.builder);
    format!("{base}Response")
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
        scopes_doc(op),
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
    if let Some(stream) = &op.events {
        sections.push(responses);
        sections.push(super::events::events_section(op, stream));
    } else {
        if op.by_status.is_empty() {
            responses.push_str("\n\nAwaiting the builder returns the decoded 2xx body.");
        } else {
            responses.push_str(&format!(
                "\n\nAwaiting the builder returns a [`{}`], with a variant per documented 2xx status, \
                 each holding the body decoded as that status documents it; an undocumented 2xx status is \
                 [`Error::Decode`](crate::Error::Decode), with the status and the body.",
                response_name(op)
            ));
        }
        responses.push_str(
            " Any other status is \
             [`Error::Api`](crate::Error::Api) with the status and the error body's `type` and `message`; \
             see [`Error`](crate::Error) for the other failures.",
        );
        sections.push(responses);
    }
    sections.push(format!(
        "# Example\n\n```no_run\n{}```",
        example(api, resource, op)
    ));
    paragraphs(sections)
}

/// The scopes a token needs, and whether a client without a token may
/// call the action.
fn scopes_doc(op: &Operation) -> String {
    let scopes = op
        .scopes
        .iter()
        .map(|s| code(s))
        .collect::<Vec<_>>()
        .join(", ");
    if op.authenticated {
        format!(
            "# Scopes\n\nThe token needs any one of: {scopes}.\n\n\
             No token: on a client built with \
             [`Client::builder_without_token`](crate::Client::builder_without_token) it fails \
             before sending, with [`Error::InvalidInput`](crate::Error::InvalidInput) for the \
             field `token`."
        )
    } else {
        let also = if scopes.is_empty() {
            String::new()
        } else {
            format!(" The platform lists the scopes {scopes} for it.")
        };
        format!(
            "# Scopes\n\nNo token: the action is called without one (no `Authorization` header \
             is sent), so a client built with \
             [`Client::builder_without_token`](crate::Client::builder_without_token) may call it.{also}"
        )
    }
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
        if op.authenticated {
            "let client = Client::new(\"YOUR_API_ACCESS_TOKEN\")?;".to_owned()
        } else {
            // No token: the action is called without one.
            "let client = Client::builder_without_token().build()?;".to_owned()
        },
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
            // The spec's example, built through the typed constructors;
            // examples are checked against their schema when the spec loads.
            let json = example
                .as_deref()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
            lines.extend(typed_example(api, "body", ty, json.as_ref()));
            call_args.push("body".to_owned());
        }
        Some(Body::Multipart { parts, .. }) => {
            for part in parts.iter().filter(|p| p.required) {
                match &part.kind {
                    PartValue::File => {
                        lines.push(format!(
                            "let {} = FilePart::from_path(\"notebook.ipynb\");",
                            part.rust_name
                        ));
                        call_args.push(part.rust_name.clone());
                    }
                    PartValue::Text(None) => call_args.push("\"value\"".to_owned()),
                    PartValue::Text(Some(ty)) | PartValue::Json(ty) => {
                        lines.extend(typed_example(api, &part.rust_name, ty, None));
                        call_args.push(part.rust_name.clone());
                    }
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
        let value = example_value(api, p);
        // A setter of a checked string (an ID) takes the parsed value.
        let value = if parses_from_text(api, &p.ty) {
            format!("{value}.parse()?")
        } else {
            value
        };
        lines.push(format!("    .{}({value})", p.rust_name));
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

/// `let <name>: <type> = <example>;` for a value of `ty` built from `json`
/// (or a made-up value) through the typed constructors, as lines.
fn typed_example(
    api: &Api,
    name: &str,
    ty: &TypeRef,
    json: Option<&serde_json::Value>,
) -> Vec<String> {
    let type_name = owned_type(ty)
        .to_string()
        .replace(' ', "")
        .replace("crate::", "");
    let expr =
        super::example::value(api, ty, json).unwrap_or_else(|| "Default::default()".to_owned());
    super::example::let_statement(name, &type_name, &expr)
}

/// A Rust expression for a parameter's example value.
pub(super) fn example_value(api: &Api, p: &Param) -> String {
    let example = p.example.as_ref().or(p.default.as_ref());
    if p.structured {
        return super::example::value(api, &p.ty, example)
            .unwrap_or_else(|| "Default::default()".to_owned());
    }
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
        // The example is the method's: one copy to read and to compile.
        "A {} request of the {} resource, made by [`{handle}::{method}`] (whose docs show an example): `.await` it (or call [`send`](Self::send)) to send it.",
        code(&op.name),
        code(&resource.name),
        handle = resource.handle,
        method = op.method_name,
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
    let authenticated = op.authenticated;
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
            _ if p.structured => quote!(request.query_structured(#wire, #value)?;),
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
                let add = match &part.kind {
                    PartValue::File => quote!(request.multipart_part(#wire, value);),
                    PartValue::Text(_) => quote!(request.multipart_text(#wire, value);),
                    PartValue::Json(_) => quote!(request.multipart_json(#wire, &value)?;),
                };
                if part.required {
                    quote!({ let value = self.#field; #add })
                } else {
                    quote!(if let Some(value) = self.#field { #add })
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
    let typed_parts: Vec<&Part> = match &op.body {
        Some(Body::Multipart { parts, .. }) => parts.iter().collect(),
        _ => Vec::new(),
    };
    let json_body = match &op.body {
        Some(Body::Json { ty, .. }) => Some(ty),
        _ => None,
    };
    let checks = super::validate::request_checks(
        api,
        &checked,
        &typed_parts,
        json_body,
        !super::validate::param_checks(api, &api.global_params).is_empty(),
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
    let response_enum = by_status_enum(op);
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
                let mut request = crate::ApiRequest::new(::reqwest::Method::#method, &crate::Operation { resource: #resource_name, action: #action, path: #path_template, authenticated: #authenticated }, &[#(#segments),*]);
                #(#params)*
                #body
                self.globals.apply(&mut request);
                Ok((self.client, request))
            }
        }

        #response_enum

        #traits

        #event_enum
    }
}

/// The enum of an operation whose 2xx responses have different bodies: a
/// variant per documented status, each decoding its own body (nothing
/// for an operation with one body).
fn by_status_enum(op: &Operation) -> TokenStream {
    if op.by_status.is_empty() {
        return quote!();
    }
    let name = ident(&response_name(op));
    let text = doc(&format!(
        "What [`{}`] returns: a variant per documented 2xx status, each with the body that status \
         documents. A 2xx status not listed here is [`Error::Decode`](crate::Error::Decode).",
        op.builder
    ));
    let variants = op.by_status.iter().map(|v| {
        let variant = ident(&v.variant);
        let text = doc(&format!(
            "`{}`: {}",
            status_line(v.status, &v.variant),
            sentence(&prose(v.description.trim_end()))
        ));
        match &v.ty {
            Some(ty) => {
                let ty = owned_type(ty);
                quote!(#text #variant(#ty))
            }
            None => quote!(#text #variant),
        }
    });
    let decodes = op.by_status.iter().map(|v| {
        let variant = ident(&v.variant);
        let status = proc_macro2::Literal::u16_unsuffixed(v.status);
        match &v.ty {
            Some(_) => quote!(#status => ::core::option::Option::Some(crate::request::decode_json(body).map(Self::#variant)),),
            None => quote!(#status => ::core::option::Option::Some(::core::result::Result::Ok(Self::#variant)),),
        }
    });
    let statuses = op.by_status.iter().map(|v| {
        let variant = ident(&v.variant);
        let status = proc_macro2::Literal::u16_unsuffixed(v.status);
        match &v.ty {
            Some(_) => quote!(Self::#variant(_) => #status,),
            None => quote!(Self::#variant => #status,),
        }
    });
    let bodies = op.by_status.iter().map(|v| {
        let variant = ident(&v.variant);
        match &v.ty {
            Some(_) => {
                quote!(Self::#variant(body) => ::serde::Serialize::serialize(body, serializer),)
            }
            None => quote!(Self::#variant => serializer.serialize_unit(),),
        }
    });
    quote! {
        #text
        // Each variant holds a whole body; a response is decoded once and
        // matched, so boxing the large ones would only cost the caller.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants,)*
        }

        impl #name {
            /// The HTTP status this variant stands for.
            pub fn status(&self) -> u16 {
                match self {
                    #(#statuses)*
                }
            }
        }

        impl crate::request::ByStatus for #name {
            fn decode(status: u16, body: &[u8]) -> ::core::option::Option<::core::result::Result<Self, ::serde_json::Error>> {
                match status {
                    #(#decodes)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        /// Serializes the variant's body (nothing, `null`, for a variant
        /// without one): what a server answering with [`status`](Self::status) sends.
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #(#bodies)*
                }
            }
        }
    }
}

/// `204 No Content` for the variant `NoContent`: the status with the
/// reason phrase the variant is named after (`207` alone for `Status207`).
fn status_line(status: u16, variant: &str) -> String {
    let mut line = status.to_string();
    if variant.starts_with("Status") {
        return line;
    }
    if variant == "Ok" {
        return format!("{line} OK");
    }
    for (i, c) in variant.char_indices() {
        if i == 0 || c.is_ascii_uppercase() {
            line.push(' ');
        }
        line.push(c);
    }
    line
}

/// `send`, `IntoFuture` and `GlobalParameters` for a builder: one call of the
/// runtime's `request_traits!` macro. A generic output type (a list or a
/// map) gets a name of its own first (`AttachResponse` for the `attach`
/// operation), since prettyplease prints the arguments of a macro call as
/// loose tokens (`Vec < types::Shape >`).
fn request_traits(name: &proc_macro2::Ident, op: &Operation) -> TokenStream {
    if !op.by_status.is_empty() {
        let output = ident(&response_name(op));
        return quote!(crate::impls::request_traits!(#name, by_status #output););
    }
    let success = success_type(op);
    if !matches!(op.success, Some(TypeRef::List(_) | TypeRef::Map(_))) {
        return quote!(crate::impls::request_traits!(#name, #success););
    }
    let alias = ident(&response_name(op));
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
