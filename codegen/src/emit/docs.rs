//! Doc comments.
//!
//! Emitters call [`doc`] and [`inner_doc`] with the text of a comment.
//! Inside [`set_aside`] (how the generator emits every piece it renders)
//! the text is kept aside and the token stream carries one short marker
//! attribute per comment, `#[doc = "@doc 7"]`; after formatting,
//! [`put_back_line`] replaces each marker line with the comment, line by line,
//! at the marker's indentation. Doc text needs neither parsing nor
//! formatting, and as one attribute per line it was a third of the tokens
//! syn had to parse. Outside `set_aside` the comment is emitted as
//! ordinary `#[doc = "..."]` attributes, one per line.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use std::cell::RefCell;

/// How a marker's text starts; the rest is the comment's index.
const MARKER: &str = "@doc ";

thread_local! {
    /// The comments set aside by the emitter running on this thread, if
    /// it runs inside [`set_aside`].
    static SET_ASIDE: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Runs `emit`, keeping the text of every doc comment it makes aside and
/// leaving markers in its tokens; returns what it made and the comments,
/// which [`put_back_line`] takes after rendering.
pub(crate) fn set_aside<T>(emit: impl FnOnce() -> T) -> (T, Vec<String>) {
    let outer = SET_ASIDE.with(|cell| cell.replace(Some(Vec::new())));
    let tokens = emit();
    let docs = SET_ASIDE
        .with(|cell| cell.replace(outer))
        .unwrap_or_default();
    (tokens, docs)
}

/// Doc attributes for `text`: a marker inside [`set_aside`], else one
/// attribute per line.
pub(crate) fn doc(text: &str) -> TokenStream {
    match marker(text) {
        Some(marker) => quote!(#[doc = #marker]),
        None => {
            let lines = doc_lines(text);
            quote!(#(#[doc = #lines])*)
        }
    }
}

/// Inner doc attributes (`//!`) for a module, as [`doc`] makes outer ones.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    match marker(text) {
        Some(marker) => quote!(#![doc = #marker]),
        None => {
            let lines = doc_lines(text);
            quote!(#(#![doc = #lines])*)
        }
    }
}

/// Sets `text` aside and returns its marker, when inside [`set_aside`].
fn marker(text: &str) -> Option<String> {
    SET_ASIDE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let docs = cell.as_mut()?;
        docs.push(text.to_owned());
        Some(format!("{MARKER}{}", docs.len() - 1))
    })
}

/// [`put_back_line`] on every line of `source` (the renderer does it on
/// its own pass over the lines).
#[cfg(test)]
pub(crate) fn put_back(source: &str, docs: &[String]) -> Result<String, String> {
    let mut out =
        String::with_capacity(source.len() + docs.iter().map(String::len).sum::<usize>() * 2);
    for line in source.lines() {
        put_back_line(line, docs, &mut out)?;
    }
    Ok(out)
}

/// Appends `line` and a newline to `out`, or, for a marker line of
/// formatted code (`///@doc 7` or `//!@doc 7`, indented), the comment set
/// aside under that index, line by line at the marker's indentation.
///
/// # Errors
///
/// A marker without a comment, which would be a bug in the generator.
pub(crate) fn put_back_line(line: &str, docs: &[String], out: &mut String) -> Result<(), String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let found = ["///", "//!"].into_iter().find_map(|slashes| {
        let index = trimmed.strip_prefix(slashes)?.strip_prefix(MARKER)?;
        Some((slashes, index))
    });
    let Some((slashes, index)) = found else {
        out.push_str(line);
        out.push('\n');
        return Ok(());
    };
    let text = index
        .parse::<usize>()
        .ok()
        .and_then(|index| docs.get(index))
        .ok_or_else(|| format!("doc comment marker `{trimmed}` has no comment"))?;
    for doc_line in text.trim_end().lines() {
        out.push_str(indent);
        out.push_str(slashes);
        let doc_line = doc_line.trim_end();
        if !doc_line.is_empty() {
            out.push(' ');
            out.push_str(doc_line);
        }
        out.push('\n');
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::{doc, inner_doc, put_back, set_aside};

    #[test]
    fn set_aside_comments_come_back_at_the_markers_indentation() {
        let (tokens, docs) = set_aside(|| {
            let outer = doc("Summary.\n\nDetails  \nmore.");
            let inner = inner_doc("Module.");
            quote::quote!(#inner mod m { #outer fn f() {} })
        });
        assert_eq!(docs.len(), 2);
        let file: syn::File = syn::parse2(tokens).expect("valid syntax");
        let formatted = prettyplease::unparse(&file);
        let restored = put_back(&formatted, &docs).expect("every marker has a comment");
        assert_eq!(
            restored,
            "//! Module.\nmod m {\n    /// Summary.\n    ///\n    /// Details\n    /// more.\n    fn f() {}\n}\n"
        );
    }

    #[test]
    fn outside_set_aside_comments_are_attributes() {
        let tokens = doc("One.\nTwo.").to_string();
        assert!(
            tokens.contains("\" One.\"") && tokens.contains("\" Two.\""),
            "{tokens}"
        );
    }

    #[test]
    fn a_marker_without_a_comment_is_an_error() {
        let error = put_back("    ///@doc 3\nfn f() {}\n", &["only one".to_owned()]);
        assert!(error.is_err_and(|e| e.contains("@doc 3")));
    }
}
