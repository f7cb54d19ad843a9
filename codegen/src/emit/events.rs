//! Server-sent event streams: the enum of an operation's events, how it
//! decodes (and, for the mock server, encodes) one event, and what the
//! docs say of them. The request builder around it is `resource.rs`'s.

use super::api::owned_type;
use super::docs::{code, doc, paragraphs, prose, sentence};
use super::ident;
use crate::model::{Api, EventStream, Operation, Resource, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The enum of the events of `stream`, one variant per declared event and
/// `Unknown` for the others, with its `StreamEvent` impl.
pub(super) fn event_enum(
    api: &Api,
    resource: &Resource,
    op: &Operation,
    stream: &EventStream,
) -> TokenStream {
    let name = ident(&stream.enum_name);
    let mut example_body = vec!["match event {".to_owned()];
    for event in &stream.events {
        example_body.push(format!(
            "    {}::{}(data) => println!(\"{{data:?}}\"),",
            stream.enum_name, event.variant
        ));
    }
    example_body.push(format!(
        "    {}::Unknown {{ event, data }} => println!(\"{{event}}: {{data}}\"),",
        stream.enum_name
    ));
    example_body.push("}".to_owned());
    let text = doc(&paragraphs([
        format!(
            "An event of the {} stream of the {} resource: what [`{}`] yields.",
            code(&op.name),
            code(&resource.name),
            op.builder
        ),
        "The variant is chosen by the event's name (the `event:` field; `message` when it has none) and holds its `data`, decoded from JSON. An event the spec does not list, such as one a newer server sends, is [`Unknown`](Self::Unknown), with its name and data as they came.".to_owned(),
        format!(
            "# Example\n\n```no_run\n{}```",
            super::resource::example_with(
                api,
                resource,
                op,
                &example_body,
                &[format!("{}::{}", resource.module, stream.enum_name)]
            )
        ),
    ]));
    let variants = stream.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let ty = owned_type(&event.ty);
        let text = doc(&paragraphs([
            format!("The {} event.", code(&event.wire_name)),
            sentence(&prose(&event.description)),
        ]));
        quote! {
            #text
            #variant(#ty),
        }
    });
    let decodes = stream.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let wire = &event.wire_name;
        quote!(#wire => ::serde_json::from_str(data).map(Self::#variant),)
    });
    let encodes = stream.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let wire = &event.wire_name;
        quote!(Self::#variant(data) => (#wire, ::serde_json::to_string(data)?),)
    });
    quote! {
        #text
        // An event is moved once, from the stream to the caller: the size
        // of its largest variant costs nothing worth a box.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// An event the spec does not list (a newer server may send
            /// more): its name and its `data`, undecoded.
            Unknown {
                /// The event's name.
                event: ::std::string::String,
                /// The event's `data`, as sent.
                data: ::std::string::String,
            },
        }

        impl crate::sse::StreamEvent for #name {
            fn decode(event: &str, data: &str) -> ::core::result::Result<Self, ::serde_json::Error> {
                match event {
                    #(#decodes)*
                    _ => ::core::result::Result::Ok(Self::Unknown {
                        event: ::std::borrow::ToOwned::to_owned(event),
                        data: ::std::borrow::ToOwned::to_owned(data),
                    }),
                }
            }

            fn encode(&self) -> ::core::result::Result<(::std::string::String, ::std::string::String), ::serde_json::Error> {
                let (event, data) = match self {
                    #(#encodes)*
                    Self::Unknown { event, data } => (event.as_str(), ::core::clone::Clone::clone(data)),
                };
                ::core::result::Result::Ok((::std::borrow::ToOwned::to_owned(event), data))
            }
        }
    }
}

/// The `# Events` section of the operation method's docs.
pub(super) fn events_section(op: &Operation, stream: &EventStream) -> String {
    let mut text = String::from("# Events\n");
    for event in &stream.events {
        let data = match &event.ty {
            TypeRef::Named(name) => format!(", data [`types::{name}`]"),
            _ => String::new(),
        };
        text.push_str(&format!(
            "\n- {} ([`{}::{}`]{data}): {}",
            code(&event.wire_name),
            stream.enum_name,
            event.variant,
            prose(event.description.trim_end())
        ));
    }
    text.push_str(&format!(
        "\n\nAwaiting the builder opens the stream: a 2xx answer gives an \
         [`EventStream`](crate::EventStream) of [`{}`], and any other status is \
         [`Error::Api`](crate::Error::Api). The stream ends when the server closes the \
         connection, unless [`reconnect`]({}::reconnect) says to open it again.",
        stream.enum_name, op.builder
    ));
    text
}

/// A setter every stream request builder has.
pub(super) struct StreamSetter {
    /// The setter's and the field's name.
    pub(super) name: &'static str,
    /// Its doc text.
    pub(super) docs: &'static str,
    /// Its argument's type.
    pub(super) arg: TokenStream,
    /// What the field is set to, from the argument.
    pub(super) store: TokenStream,
    /// The field's type.
    pub(super) field_ty: TokenStream,
    /// The field's value when the builder is made.
    pub(super) init: TokenStream,
}

/// The setters every stream request builder has (their names are claimed
/// in `lower::operation`, so no parameter takes them).
pub(super) fn stream_setters() -> [StreamSetter; 2] {
    [
        StreamSetter {
            name: "reconnect",
            docs: "Opens the stream again when its connection ends or breaks, as the policy says (default [`Reconnect::none`](crate::Reconnect::none): the stream ends with its connection). Each reconnection waits the delay the server last sent in a `retry:` field (or the policy's default), and sends the ID of the last event received in the `Last-Event-ID` header, so the server can resume after it.",
            arg: quote!(crate::Reconnect),
            store: quote!(reconnect),
            field_ty: quote!(crate::Reconnect),
            init: quote!(crate::Reconnect::none()),
        },
        StreamSetter {
            name: "last_event_id",
            docs: "Sends `Last-Event-ID` with this ID on the first connection too, to resume after an event received earlier (see [`EventStream::last_event_id`](crate::EventStream::last_event_id)).",
            arg: quote!(impl Into<::std::string::String>),
            store: quote!(::core::option::Option::Some(last_event_id.into())),
            field_ty: quote!(::core::option::Option<::std::string::String>),
            init: quote!(::core::option::Option::None),
        },
    ]
}
