//! Waiters: the resource handle's method that starts one, and the waiter
//! it returns, which polls an operation through the runtime's
//! `waiter::wait` until a status is terminal.

use super::api::owned_type;
use super::docs::{code, doc, paragraphs, prose, sentence};
use super::ident;
use super::resource::{example_value, is_newtype, param_arg, required_args};
use crate::model::{Api, Operation, Resource, TypeKind, TypeRef, Waiter};
use proc_macro2::TokenStream;
use quote::quote;

/// The polled operation (the model guarantees it exists).
fn polled<'r>(resource: &'r Resource, waiter: &Waiter) -> Option<&'r Operation> {
    resource
        .operations
        .iter()
        .find(|o| o.method_name == waiter.operation)
}

/// The type name of the status field (an enum, or an alias of one).
fn status_type(api: &Api, waiter: &Waiter) -> Option<String> {
    let TypeRef::Named(name) = &waiter.output else {
        return None;
    };
    let Some(TypeKind::Struct { fields, .. }) = api.find_type(name).map(|t| &t.kind) else {
        return None;
    };
    match &fields
        .iter()
        .find(|f| f.rust_name == waiter.status_field)?
        .ty
    {
        TypeRef::Named(status) => Some(status.clone()),
        _ => None,
    }
}

/// `2 s`, `15 min`, `250 ms`.
fn duration_text(ms: u64) -> String {
    if ms % 60_000 == 0 {
        format!("{} min", ms / 60_000)
    } else if ms % 1_000 == 0 {
        format!("{} s", ms / 1_000)
    } else {
        format!("{ms} ms")
    }
}

/// The handle's method that makes the waiter.
pub fn method(api: &Api, resource: &Resource, waiter: &Waiter) -> TokenStream {
    let Some(op) = polled(resource, waiter) else {
        return quote!();
    };
    let name = ident(&waiter.method_name);
    let builder = ident(&waiter.builder);
    let op_method = ident(&op.method_name);
    let mut args = required_args(api, op);
    let op_arg_names: Vec<TokenStream> = args.iter().map(|a| a.name.clone()).collect();
    let target = waiter
        .item
        .as_ref()
        .map(|item| param_arg(api, &item.argument));
    let target_field = target.as_ref().map(|t| {
        let store = &t.store;
        quote!(target: #store,)
    });
    args.extend(target);
    let params = args.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let setters = waiter.query.iter().map(|(setter, value)| {
        let setter = ident(setter);
        let value: TokenStream = value.parse().unwrap_or_default();
        quote!(.#setter(#value))
    });
    let (interval, deadline) = (waiter.interval_ms, waiter.deadline_ms);
    let text = doc(&method_docs(api, resource, waiter, op, &args));
    quote! {
        #text
        pub fn #name(&self, #(#params),*) -> #builder {
            #builder {
                poll: self.#op_method(#(#op_arg_names),*) #(#setters)*,
                #target_field
                timing: crate::waiter::Timing {
                    interval: ::core::time::Duration::from_millis(#interval),
                    deadline: ::core::time::Duration::from_millis(#deadline),
                },
            }
        }
    }
}

fn method_docs(
    api: &Api,
    resource: &Resource,
    waiter: &Waiter,
    op: &Operation,
    args: &[super::resource::Arg],
) -> String {
    let watched = match &waiter.item {
        Some(item) => format!(
            "the item whose {} is `{}`",
            code(&item.field),
            item.argument.rust_name
        ),
        None => "the response".to_owned(),
    };
    let terminal = match status_type(api, waiter) {
        Some(ty) => format!(" ([`types::{ty}::is_terminal`])"),
        None => String::new(),
    };
    let mut params = String::from("# Parameters\n");
    for arg in args {
        params.push_str(&format!(
            "\n- `{}`: {}",
            arg.name,
            arg.docs.replace("\n\n", " ")
        ));
    }
    paragraphs([
        sentence(&prose(&waiter.summary)),
        waiter.description.as_deref().map(prose).unwrap_or_default(),
        format!(
            "Polls [`{op}`](Self::{op}) until {watched} has a terminal {}{terminal}, and returns it. \
             A poll that does not find it yet waits for the next one. Set on the returned \
             [`{b}`]: [`interval`]({b}::interval) between polls (default {}) and \
             [`deadline`]({b}::deadline) (default {}), after which the wait fails with \
             [`Error::WaitDeadline`](crate::Error::WaitDeadline); a failed poll ends it with \
             that poll's error.",
            code(&waiter.status_field),
            duration_text(waiter.interval_ms),
            duration_text(waiter.deadline_ms),
            op = op.method_name,
            b = waiter.builder,
        ),
        params,
        format!(
            "# Example\n\n```no_run\n{}```",
            example(api, resource, waiter, op)
        ),
    ])
}

/// A compiling example of starting and awaiting the waiter.
fn example(api: &Api, resource: &Resource, waiter: &Waiter, op: &Operation) -> String {
    let mut lines = vec![
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        "use std::time::Duration;".to_owned(),
        "use generated_client::{Client, types};".to_owned(),
        String::new(),
        "let client = Client::new(\"YOUR_API_ACCESS_TOKEN\")?;".to_owned(),
    ];
    let mut call_args = Vec::new();
    let params = op
        .path_params
        .iter()
        .chain(op.query.iter().filter(|p| p.required))
        .chain(op.headers.iter().filter(|p| p.required))
        .chain(waiter.item.as_ref().map(|i| &i.argument));
    for p in params {
        if let (true, TypeRef::Named(ty)) = (is_newtype(api, &p.ty), &p.ty) {
            let value = super::example::value(api, &p.ty, None)
                .unwrap_or_else(|| format!("types::{ty}::new(\"value\")?"));
            lines.push(format!("let {}: types::{ty} = {value};", p.rust_name));
            call_args.push(format!("&{}", p.rust_name));
        } else {
            call_args.push(example_value(api, p));
        }
    }
    lines.push(String::new());
    lines.push("let done = client".to_owned());
    lines.push(format!("    .{}()", resource.module));
    lines.push(format!(
        "    .{}({})",
        waiter.method_name,
        call_args.join(", ")
    ));
    lines.push("    .interval(Duration::from_secs(5))".to_owned());
    lines.push("    .deadline(Duration::from_secs(30 * 60))".to_owned());
    lines.push("    .await?;".to_owned());
    lines.push("println!(\"{done:?}\");".to_owned());
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.join("\n") + "\n"
}

/// The waiter: its settings, `send` and `IntoFuture`.
pub fn builder(api: &Api, resource: &Resource, waiter: &Waiter) -> TokenStream {
    let Some(op) = polled(resource, waiter) else {
        return quote!();
    };
    let name = ident(&waiter.builder);
    let poll_builder = ident(&op.builder);
    let output = owned_type(&waiter.output);
    let text = doc(&format!(
        "The {} waiter of the {} resource, made by [`{}::{}`]: `.await` it (or call [`send`](Self::send)) to wait.\n\n# Example\n\n```no_run\n{}```",
        code(&waiter.name),
        code(&resource.name),
        resource.handle,
        waiter.method_name,
        example(api, resource, waiter, op)
    ));
    let status = ident(&waiter.status_field);
    let (terminal, status_text) = if waiter.status_required {
        (
            quote!(value.#status.is_terminal()),
            quote!(::core::option::Option::Some(::std::borrow::ToOwned::to_owned(value.#status.as_str()))),
        )
    } else {
        (
            quote!(value.#status.as_ref().is_some_and(|status| status.is_terminal())),
            quote!(value.#status.as_ref().map(|status| ::std::borrow::ToOwned::to_owned(status.as_str()))),
        )
    };
    let (target_field, target_take, target_clone, found) = match &waiter.item {
        Some(item) => {
            let ty = owned_type(&item.argument.ty);
            let field = ident(&item.field);
            let matches = if item.field_required {
                quote!(item.#field == target)
            } else {
                quote!(item.#field.as_ref() == ::core::option::Option::Some(&target))
            };
            (
                quote!(target: #ty,),
                quote!(target,),
                quote!(let target = ::core::clone::Clone::clone(&target);),
                quote!(::core::iter::Iterator::find(&mut ::core::iter::IntoIterator::into_iter(response), |item| #matches)),
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(),
            quote!(::core::option::Option::Some(response)),
        ),
    };
    let interval_doc = doc(&format!(
        "Sets the time between the end of one poll and the start of the next (default {}).",
        duration_text(waiter.interval_ms)
    ));
    let deadline_doc = doc(&format!(
        "Sets how long the wait may last (default {}): no poll starts after it, and a status still not terminal at the last poll is [`Error::WaitDeadline`](crate::Error::WaitDeadline).",
        duration_text(waiter.deadline_ms)
    ));
    quote! {
        #text
        #[derive(Debug, Clone)]
        #[must_use = "a waiter does nothing until it is awaited"]
        pub struct #name {
            poll: #poll_builder,
            #target_field
            timing: crate::waiter::Timing,
        }

        impl #name {
            #interval_doc
            pub fn interval(mut self, interval: ::core::time::Duration) -> Self {
                self.timing.interval = interval;
                self
            }

            #deadline_doc
            pub fn deadline(mut self, deadline: ::core::time::Duration) -> Self {
                self.timing.deadline = deadline;
                self
            }

            /// Polls until the status is terminal and returns what has it.
            /// Awaiting the waiter does the same; the future is
            /// `Send + 'static`.
            ///
            /// # Errors
            ///
            /// [`Error::WaitDeadline`](crate::Error::WaitDeadline) when the
            /// deadline passes first, or the error of a poll that failed.
            pub fn send(self) -> crate::ResponseFuture<#output> {
                let Self { poll, #target_take timing } = self;
                crate::waiter::wait(timing, move || {
                    let request = ::core::clone::Clone::clone(&poll);
                    #target_clone
                    async move {
                        let response = request.send().await?;
                        let found = #found;
                        ::core::result::Result::Ok(match found {
                            ::core::option::Option::Some(value) if #terminal => crate::waiter::Seen::Done(value),
                            ::core::option::Option::Some(value) => crate::waiter::Seen::Pending(#status_text),
                            ::core::option::Option::None => crate::waiter::Seen::Pending(::core::option::Option::None),
                        })
                    }
                })
            }
        }

        impl ::core::future::IntoFuture for #name {
            type Output = ::core::result::Result<#output, crate::Error>;
            type IntoFuture = crate::ResponseFuture<#output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}
