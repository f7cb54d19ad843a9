//! The error type of every client call, and the bounded reading of the
//! response bodies that end up inside it.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

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
///
/// `Display` describes this level only; the cause, when there is one (the
/// transport failure, the JSON decoder's report, the I/O error), is
/// [`source`](std::error::Error::source), so an error reporter that walks
/// the chain shows each message once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    #[error(transparent)]
    Api(ApiError),

    /// The request could not be sent or the response could not be read:
    /// connection refused or reset, TLS failure, timeout, ...
    #[error("{}", transport_summary(.0))]
    Transport(#[source] reqwest::Error),

    /// The server answered 2xx but the body is not the expected JSON.
    #[error("cannot decode the response body (HTTP {status})")]
    Decode {
        /// Status of the response.
        status: StatusCode,
        /// Headers of the response (see [`Error::headers`]).
        headers: Box<HeaderMap>,
        /// Start of the body (at most 4096 bytes, cut on a character
        /// boundary, invalid UTF-8 replaced).
        snippet: String,
        /// What the JSON decoder reported (`empty body` for a body with
        /// nothing in it).
        #[source]
        source: serde_json::Error,
    },

    /// An event of a server-sent event stream has a `data` that is not the
    /// JSON its event name documents. The stream goes on with the next
    /// event.
    #[error("cannot decode the data of a `{event}` event")]
    EventDecode {
        /// The event's name.
        event: String,
        /// Start of its data (at most 4096 bytes, cut on a character
        /// boundary).
        snippet: String,
        /// What the JSON decoder reported.
        #[source]
        source: serde_json::Error,
    },

    /// A server-sent event stream is not valid (a field that is not
    /// UTF-8); the connection is given up like a broken one.
    #[error("the event stream is not valid")]
    EventStream(#[source] Box<dyn std::error::Error + Send + Sync>),

    /// The server did not answer the request opening a server-sent event
    /// stream within the request's timeout (the timeout of a stream bounds
    /// the wait for the response head of each connection, not the stream).
    #[error("the server did not answer within {waited:?}")]
    StreamOpenTimeout {
        /// The timeout that passed.
        waited: Duration,
    },

    /// An argument was rejected before anything was sent.
    #[error(transparent)]
    InvalidInput(InvalidInput),

    /// A file to upload could not be opened or read.
    #[error("cannot read the file to upload")]
    Io(#[source] std::io::Error),

    /// A waiter's deadline passed before the status it watches became
    /// terminal (the deadline is set on the waiter, with a default from
    /// the spec).
    #[error("the status was still {} when the wait's deadline passed, after {waited:?}", .last_status.as_deref().unwrap_or("unknown"))]
    WaitDeadline {
        /// How long the wait lasted.
        waited: Duration,
        /// The last status seen, as the server sent it (`None`: the
        /// watched item was not in the responses, or had no status).
        last_status: Option<String>,
    },
}

/// What `Display` says of a transport failure: what went wrong at this
/// level. reqwest's own message (with the URL) is the source, and its
/// causes (the I/O error, say) follow it in the chain.
fn transport_summary(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "the request timed out"
    } else if error.is_connect() {
        "cannot connect to the server"
    } else if error.is_body() || error.is_decode() {
        "the connection failed while reading the response body"
    } else if error.is_request() {
        "the connection failed while sending the request"
    } else if error.is_builder() {
        "the request could not be built"
    } else {
        "transport error"
    }
}

impl Error {
    /// The HTTP status of the response, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::InvalidInput(_)
            | Error::Io(_)
            | Error::WaitDeadline { .. }
            | Error::EventDecode { .. }
            | Error::EventStream(_)
            | Error::StreamOpenTimeout { .. } => None,
        }
    }

    /// The headers of the response, if the server answered (a non-2xx
    /// status, or a 2xx body that does not decode). Values that contain the
    /// client's token are replaced by `<redacted>`.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(api.headers()),
            Error::Decode { headers, .. } => Some(headers),
            Error::Transport(_)
            | Error::InvalidInput(_)
            | Error::Io(_)
            | Error::WaitDeadline { .. }
            | Error::EventDecode { .. }
            | Error::EventStream(_)
            | Error::StreamOpenTimeout { .. } => None,
        }
    }

    /// The start of the response body (at most 4096 bytes), if the server
    /// answered: the error body of [`Error::Api`], the body that did not
    /// decode of [`Error::Decode`], or the event data that did not decode
    /// of [`Error::EventDecode`].
    pub fn body_snippet(&self) -> Option<&str> {
        match self {
            Error::Api(api) => Some(&api.body),
            Error::Decode { snippet, .. } | Error::EventDecode { snippet, .. } => Some(snippet),
            Error::Transport(_)
            | Error::InvalidInput(_)
            | Error::Io(_)
            | Error::WaitDeadline { .. }
            | Error::EventStream(_)
            | Error::StreamOpenTimeout { .. } => None,
        }
    }

    /// The platform's error `type`, if the server sent an error body with
    /// one.
    pub fn kind(&self) -> Option<&ErrorKind> {
        self.api_error().and_then(|api| api.kind.as_ref())
    }

    /// How long the server asked the client to wait before trying again
    /// (`Retry-After` in seconds), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(ApiError::retry_after)
    }

    /// Whether the request or reading its response timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(error) => error.is_timeout(),
            Error::StreamOpenTimeout { .. } => true,
            _ => false,
        }
    }

    /// Whether no connection to the server could be made (so the server
    /// never saw the request).
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_connect())
    }

    /// Whether the same request may succeed if it is sent again: the
    /// connection failed or timed out, or the server answered 429, 502,
    /// 503 or 504. These are the failures the client retries on its own
    /// for idempotent methods (see [`RetryPolicy`](crate::RetryPolicy)), so
    /// an error that is retryable has used up its attempts, or was not
    /// retried because of its method or a long `Retry-After`.
    ///
    /// For a `POST` or `PATCH`, only [`Error::is_connect`] proves the
    /// request was not acted on; sending it again may repeat it.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => transient_status(api.status),
            Error::Transport(error) => transient_transport(error),
            Error::StreamOpenTimeout { .. } => true,
            Error::Decode { .. }
            | Error::InvalidInput(_)
            | Error::Io(_)
            | Error::WaitDeadline { .. }
            | Error::EventDecode { .. }
            | Error::EventStream(_) => false,
        }
    }

    /// The server's error response, if that is what this error is.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

/// Statuses that say "try again later" rather than "this request is wrong".
pub(crate) fn transient_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Transport failures that another attempt may not meet: the connection
/// could not be made, broke (while sending, or while reading the body), or
/// took too long.
pub(crate) fn transient_transport(error: &reqwest::Error) -> bool {
    error.is_connect()
        || error.is_timeout()
        || error.is_request()
        || error.is_body()
        || error.is_decode()
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
/// `{"type": "NotFound", "message": "Device was not found"}`; `kind` and
/// `message` hold those fields when the body has them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// Status of the response.
    pub status: StatusCode,
    /// The `type` field of a JSON error body.
    pub kind: Option<ErrorKind>,
    /// The `message` field of a JSON error body.
    pub message: Option<String>,
    /// Start of the body (at most 4096 bytes, cut on a character boundary,
    /// invalid UTF-8 replaced).
    pub body: String,
    /// Boxed: most errors are handled without looking at them, and a large
    /// error would make every `Result` of the client larger.
    headers: Box<HeaderMap>,
}

impl ApiError {
    /// The headers of the response. Values that contain the client's token
    /// are replaced by `<redacted>`.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How long the server asked the client to wait before trying again
    /// (`Retry-After` in seconds), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::request::retry_after(&self.headers)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(kind) = &self.kind {
            write!(f, ": {}", OneLine(kind.as_str()))?;
        }
        match &self.message {
            Some(message) => write!(f, ": {}", OneLine(message)),
            // Without a structured message the body is the best hint left
            // (an HTML error page from a proxy, say).
            None if self.kind.is_none() && !self.body.trim().is_empty() => {
                write!(f, ": {}", OneLine(&self.body))
            }
            None => Ok(()),
        }
    }
}

/// The `type` of a platform error body: what kind of failure the server
/// reports. The documented values have variants; any other value is kept as
/// [`ErrorKind::Other`], so a new kind on the server is not lost.
///
/// `#[non_exhaustive]`: a value seen as `Other` today may get a variant of
/// its own in a later version, so match `Other` by its text only as a
/// fallback.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `NotFound`: the resource does not exist (404).
    NotFound,
    /// `Validation`: the request was malformed or broke a rule (400, 422).
    Validation,
    /// `Unauthorized`: authentication failed (401).
    Unauthorized,
    /// Any other `type`, as the server sent it.
    Other(String),
}

impl ErrorKind {
    /// The `type` value as the server sends it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorKind::NotFound => "NotFound",
            ErrorKind::Validation => "Validation",
            ErrorKind::Unauthorized => "Unauthorized",
            ErrorKind::Other(other) => other,
        }
    }
}

impl From<&str> for ErrorKind {
    fn from(value: &str) -> Self {
        match value {
            "NotFound" => ErrorKind::NotFound,
            "Validation" => ErrorKind::Validation,
            "Unauthorized" => ErrorKind::Unauthorized,
            other => ErrorKind::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    let headers = redacted_headers(response.headers(), secret);
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

    let (kind, message) = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(document) => (
            string_field(&document, "type", secret).map(|kind| ErrorKind::from(kind.as_str())),
            string_field(&document, "message", secret),
        ),
        Err(_) => (None, None),
    };
    Error::Api(ApiError {
        status,
        kind,
        message,
        body: snippet(&body, secret),
        headers,
    })
}

/// Builds the error for a 2xx body that does not decode into the expected
/// type.
pub(crate) fn decode_error(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    source: serde_json::Error,
    secret: &str,
) -> Error {
    Error::Decode {
        status,
        headers: redacted_headers(headers, secret),
        snippet: snippet(body, secret),
        source,
    }
}

/// A copy of response headers to keep in an error, with every value that
/// contains `secret` replaced, in case a server echoes request headers back.
fn redacted_headers(headers: &HeaderMap, secret: &str) -> Box<HeaderMap> {
    let mut kept = headers.clone();
    let leaks = |value: &HeaderValue| {
        !secret.is_empty()
            && value
                .as_bytes()
                .windows(secret.len())
                .any(|window| window == secret.as_bytes())
    };
    for value in kept.values_mut() {
        if leaks(value) {
            *value = HeaderValue::from_static("<redacted>");
        }
    }
    Box::new(kept)
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
            kind: Some(ErrorKind::NotFound),
            message: Some("Device\nwas not found".into()),
            body: String::new(),
            headers: Box::default(),
        });
        assert_eq!(
            error.to_string(),
            "HTTP 404 Not Found: NotFound: Device was not found"
        );

        let error = Error::Api(ApiError {
            status: StatusCode::BAD_GATEWAY,
            kind: None,
            message: None,
            body: format!("<html>\n{}</html>", "x".repeat(1000)),
            headers: Box::default(),
        });
        let text = error.to_string();
        assert!(!text.contains('\n'));
        assert!(text.starts_with("HTTP 502 Bad Gateway: <html> xxx"));
        assert!(text.ends_with("..."));
        assert!(text.len() < 300);
    }

    #[test]
    fn error_kinds_round_trip_and_keep_unknown_values() {
        for text in ["NotFound", "Validation", "Unauthorized", "RateLimited", ""] {
            assert_eq!(ErrorKind::from(text).as_str(), text);
        }
        assert_eq!(ErrorKind::from("Validation"), ErrorKind::Validation);
        assert_eq!(
            ErrorKind::from("RateLimited"),
            ErrorKind::Other("RateLimited".into())
        );
    }

    #[test]
    fn headers_holding_the_secret_are_redacted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer s3cr3t!"));
        headers.insert("x-request-id", HeaderValue::from_static("r-1"));
        let kept = redacted_headers(&headers, "s3cr3t");
        assert_eq!(kept["x-echo"], "<redacted>");
        assert_eq!(kept["x-request-id"], "r-1");
        assert_eq!(redacted_headers(&headers, "")["x-echo"], "Bearer s3cr3t!");
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
