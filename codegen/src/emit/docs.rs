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

/// Text from the spec as Markdown that renders as the text itself.
///
/// Descriptions are written for people, but rustdoc reads them as
/// Markdown: an indented line or a fence becomes a doctest, `[x]` a link
/// that resolves nowhere, `<b>` HTML, a bare URL a lint warning, and a
/// lone carriage return or a bidi control is refused by the compiler.
/// So every character with a meaning in Markdown is escaped, leading
/// whitespace is dropped (prose lines are never code), bare URLs become
/// autolinks, and invisible or direction-changing characters are shown
/// by their code point (`<U+202E>`).
pub(crate) fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        escape_line(line.trim_start(), &mut out);
    }
    out
}

/// Appends one line of [`prose`], escaped.
fn escape_line(line: &str, out: &mut String) {
    let mut rest = line;
    let mut at_start = true;
    while let Some(c) = rest.chars().next() {
        if let Some(url) = bare_url(rest) {
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            at_start = false;
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Only where a line starts do these make headings, lists,
            // tables or rules.
            '#' | '|' | '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            c if is_hidden(c) => out.push_str(&format!("\\<U+{:04X}\\>", c as u32)),
            c => out.push(c),
        }
        // A number followed by `.` or `)` starts an ordered list.
        if at_start && c.is_ascii_digit() {
            let digits = rest.len() - rest.trim_start_matches(|d: char| d.is_ascii_digit()).len();
            out.push_str(&rest[1..digits]);
            rest = &rest[digits..];
            if let Some(mark @ ('.' | ')')) = rest.chars().next() {
                out.push('\\');
                out.push(mark);
                rest = &rest[1..];
            }
            at_start = false;
            continue;
        }
        at_start = false;
        rest = &rest[c.len_utf8()..];
    }
}

/// The `http://` or `https://` URL `text` starts with, without the
/// punctuation that ends a sentence after it.
fn bare_url(text: &str) -> Option<&str> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || "<>\"'`".contains(c) || is_hidden(c))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    url.contains("://")
        .then_some(url)
        .filter(|u| !u.ends_with("://"))
}

/// Characters that would be invisible in the docs, change the direction
/// of the text around them, or that the compiler refuses in a comment.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}'
        )
}

/// `text` as a Markdown code span, whatever it holds: the span's fence is
/// longer than any run of backticks inside, line breaks become spaces and
/// hidden characters show their code point. An empty text shows as `""`.
pub(crate) fn code(text: &str) -> String {
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let mut inner = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => inner.push(' '),
            c if is_hidden(c) => inner.push_str(&format!("<U+{:04X}>", c as u32)),
            c => inner.push(c),
        }
    }
    let longest_run = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A space on each side keeps a backtick at either end apart from the
    // fence; Markdown drops one space from each side again.
    let pad = if inner.starts_with('`') || inner.ends_with('`') || inner.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{inner}{pad}{fence}")
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
    fn prose_renders_as_itself() {
        use super::prose;
        let cases = [
            ("plain words.", "plain words."),
            ("a `tick` and [link]", "a \\`tick\\` and \\[link\\]"),
            ("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>"),
            ("    indented\n```\nfence", "indented\n\\`\\`\\`\nfence"),
            (
                "# head\n- item\n1. one\n10) ten",
                "\\# head\n\\- item\n1\\. one\n10\\) ten",
            ),
            ("a\rb\r\nc", "a\nb\nc"),
            ("x\u{202E}y\u{0}", "x\\<U+202E\\>y\\<U+0000\\>"),
            (
                "see https://example.test/a_b.",
                "see <https://example.test/a_b>.",
            ),
            (
                "snake_case *stars* ~~strike~~",
                "snake\\_case \\*stars\\* \\~\\~strike\\~\\~",
            ),
            ("a - b | c", "a - b | c"),
        ];
        for (text, expected) in cases {
            assert_eq!(prose(text), expected, "{text:?}");
        }
    }

    #[test]
    fn code_spans_hold_any_text() {
        use super::code;
        assert_eq!(code("name"), "`name`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`"), "`` ` ``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a\nb\u{202E}"), "`a b<U+202E>`");
    }

    #[test]
    fn a_marker_without_a_comment_is_an_error() {
        let error = put_back("    ///@doc 3\nfn f() {}\n", &["only one".to_owned()]);
        assert!(error.is_err_and(|e| e.contains("@doc 3")));
    }
}
