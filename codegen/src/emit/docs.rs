//! Doc comments: text → `#[doc = "..."]` attributes, one per line, which
//! prettyplease prints as `///` comments.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// Doc attributes for `text`, line by line.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Inner doc attributes (`//!`) for a module, line by line.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// The lines of a doc comment as the attributes hold them: a space after
/// `///` unless the line is empty, no trailing spaces.
fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.trim_end().lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end())
        }
    })
}

/// Ends `text` with a full stop unless it already ends a sentence, so
/// joined descriptions read as sentences.
pub(crate) fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() || text.ends_with(['.', '!', '?', ':']) || text.ends_with("```") {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// A value as it would appear in docs: strings bare, others as JSON.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Joins paragraphs, skipping empty ones.
pub(crate) fn paragraphs<I: IntoIterator<Item = String>>(parts: I) -> String {
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Makes text safe inside a Markdown code span: backticks would end it.
pub(crate) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}
