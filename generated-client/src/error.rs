//! The error type of every client call, and the bounded reading of the
//! response bodies that end up inside it.

use std::fmt;

use reqwest::StatusCode;

/// Most bytes of a response body kept in an error (`ApiError::body`,
/// `Error::Decode::snippet`): enough to see what went wrong, small enough to
/// log.
pub(crate) const SNIPPET_LIMIT: usize = 4096;

/// Most bytes read from a non-2xx response body. A bit more than the snippet
/// so that a JSON error document whose `message` is long still parses; the
/// rest of the body is never read, so a huge error body stays cheap.
const ERROR_BODY_READ_LIMIT: usize = 64 * 1024;

/// Most characters of server-provided text shown by `Display`, which has to
/// stay one readable line; the full text is in the fields.
const DISPLAY_LIMIT: usize = 200;

/// Everything that can go wrong when calling the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    #[error(transparent)]
    Api(ApiError),

    /// The request could not be sent or the response could not be read:
    /// connection refused or reset, TLS failure, timeout, ...
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),

    /// The server answered 2xx but the body is not the expected JSON.
    #[error("cannot decode the response body (HTTP {status}): {source}")]
    Decode {
        /// Status of the response.
        status: StatusCode,
        /// Start of the body (at most 4096 bytes, cut on a character
        /// boundary, invalid UTF-8 replaced).
        snippet: String,
        /// What the JSON decoder reported.
        #[source]
        source: serde_json::Error,
    },

    /// An argument was rejected before anything was sent.
    #[error(transparent)]
    InvalidInput(InvalidInput),

    /// A file to upload could not be opened or read.
    #[error("I/O error: {0}")]
    Io(#[source] std::io::Error),
}

impl Error {
    /// The HTTP status of the response, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::InvalidInput(_) | Error::Io(_) => None,
        }
    }

    /// Whether the request or reading its response timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_timeout())
    }

    /// Whether no connection to the server could be made (so the server
    /// never saw the request).
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_connect())
    }

    /// The server's error response, if that is what this error is.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(error)
    }
}

impl From<InvalidInput> for Error {
    fn from(error: InvalidInput) -> Self {
        Error::InvalidInput(error)
    }
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Transport(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::Io(error)
    }
}

/// A response with a status outside 2xx.
///
/// The platform's error bodies look like
/// `{"type": "NotFound", "message": "Device was not found"}`; `error_type`
/// and `message` hold those fields when the body has them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// Status of the response.
    pub status: StatusCode,
    /// The `type` field of a JSON error body.
    pub error_type: Option<String>,
    /// The `message` field of a JSON error body.
    pub message: Option<String>,
    /// Start of the body (at most 4096 bytes, cut on a character boundary,
    /// invalid UTF-8 replaced).
    pub body: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(error_type) = &self.error_type {
            write!(f, ": {}", OneLine(error_type))?;
        }
        match &self.message {
            Some(message) => write!(f, ": {}", OneLine(message)),
            // Without a structured message the body is the best hint left
            // (an HTML error page from a proxy, say).
            None if self.error_type.is_none() && !self.body.trim().is_empty() => {
                write!(f, ": {}", OneLine(&self.body))
            }
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// An argument that cannot be sent, such as a base URL that does not parse
/// or a value that does not fit in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidInput {
    /// Which argument or setting is wrong.
    pub field: String,
    /// Why it is wrong.
    pub reason: String,
}

impl InvalidInput {
    /// An error saying that `field` is wrong because of `reason`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: {}",
            OneLine(&self.field),
            OneLine(&self.reason)
        )
    }
}

impl std::error::Error for InvalidInput {}

/// Shows server-provided text on one line: control characters (newlines
/// included) become spaces and long text is cut, so a log line stays a line.
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.trim();
        for (index, c) in text.chars().enumerate() {
            if index == DISPLAY_LIMIT {
                return f.write_str("...");
            }
            let c = if c.is_control() { ' ' } else { c };
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

/// Builds the error for a non-2xx response, reading at most
/// `ERROR_BODY_READ_LIMIT` bytes of its body chunk by chunk.
///
/// `secret` (the client's token) is scrubbed from everything kept, in case a
/// server echoes request headers back in its error page.
pub(crate) async fn api_error(mut response: reqwest::Response, secret: &str) -> Error {
    let status = response.status();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = ERROR_BODY_READ_LIMIT.saturating_sub(body.len());
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if body.len() >= ERROR_BODY_READ_LIMIT {
                    break;
                }
            }
            Ok(None) => break,
            // The status is what matters; a body cut short by a broken
            // connection still gives the best error we can build.
            Err(_) => break,
        }
    }
    // Dropping the response here closes the connection if the body was not
    // read to the end, which is what bounds the work for a huge body.
    drop(response);

    let (error_type, message) = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(document) => (
            string_field(&document, "type", secret),
            string_field(&document, "message", secret),
        ),
        Err(_) => (None, None),
    };
    Error::Api(ApiError {
        status,
        error_type,
        message,
        body: snippet(&body, secret),
    })
}

/// Builds the error for a 2xx body that does not decode into the expected
/// type.
pub(crate) fn decode_error(
    status: StatusCode,
    body: &[u8],
    source: serde_json::Error,
    secret: &str,
) -> Error {
    Error::Decode {
        status,
        snippet: snippet(body, secret),
        source,
    }
}

/// A string field of a JSON object, with the secret scrubbed.
fn string_field(document: &serde_json::Value, name: &str, secret: &str) -> Option<String> {
    let value = document.get(name)?.as_str()?;
    Some(redact(value.to_owned(), secret))
}

/// The start of `body` as text: at most `SNIPPET_LIMIT` bytes, cut on a
/// character boundary, invalid UTF-8 replaced, `secret` scrubbed.
pub(crate) fn snippet(body: &[u8], secret: &str) -> String {
    // Look at a little more than the limit so a secret straddling the cut is
    // still recognised and scrubbed before cutting.
    let take = body.len().min(SNIPPET_LIMIT.saturating_add(secret.len()));
    let mut prefix = &body[..take];
    // Do not let the byte cut turn the last, incomplete character into a
    // replacement character.
    if let Err(error) = std::str::from_utf8(prefix) {
        if error.error_len().is_none() {
            prefix = &prefix[..error.valid_up_to()];
        }
    }
    let mut text = redact(String::from_utf8_lossy(prefix).into_owned(), secret);
    if text.len() > SNIPPET_LIMIT {
        let mut cut = SNIPPET_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// Replaces every occurrence of `secret` in `text`.
fn redact(text: String, secret: &str) -> String {
    if secret.is_empty() || !text.contains(secret) {
        text
    } else {
        text.replace(secret, "<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_cut_on_a_char_boundary() {
        // 'é' is two bytes, so the 4096-byte limit falls inside one.
        let body = "aé".repeat(3000);
        let text = snippet(body.as_bytes(), "");
        assert!(text.len() <= SNIPPET_LIMIT);
        assert!(body.starts_with(&text));
        assert!(text.len() >= SNIPPET_LIMIT - 2);
    }

    #[test]
    fn snippet_replaces_invalid_utf8_and_scrubs_the_secret() {
        let text = snippet(b"bad \xff byte, token s3cr3t", "s3cr3t");
        assert_eq!(text, "bad \u{fffd} byte, token <redacted>");
    }

    #[test]
    fn display_is_one_line() {
        let error = Error::Api(ApiError {
            status: StatusCode::NOT_FOUND,
            error_type: Some("NotFound".into()),
            message: Some("Device\nwas not found".into()),
            body: String::new(),
        });
        assert_eq!(
            error.to_string(),
            "HTTP 404 Not Found: NotFound: Device was not found"
        );

        let error = Error::Api(ApiError {
            status: StatusCode::BAD_GATEWAY,
            error_type: None,
            message: None,
            body: format!("<html>\n{}</html>", "x".repeat(1000)),
        });
        let text = error.to_string();
        assert!(!text.contains('\n'));
        assert!(text.starts_with("HTTP 502 Bad Gateway: <html> xxx"));
        assert!(text.ends_with("..."));
        assert!(text.len() < 300);
    }

    #[test]
    fn invalid_input_display() {
        let error = Error::from(InvalidInput::new("base_url", "relative URL without a base"));
        assert_eq!(
            error.to_string(),
            "invalid base_url: relative URL without a base"
        );
        assert_eq!(error.status(), None);
        assert!(!error.is_timeout());
    }
}
