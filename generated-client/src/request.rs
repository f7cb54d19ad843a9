//! Describing a request ([`ApiRequest`]) and sending it ([`Client::send`]):
//! URL building, headers, retries and decoding of the response.

use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::client::Client;
use crate::error::{self, Error, InvalidInput};
use crate::options::RequestOptionValues;
use crate::upload::FilePart;

/// Bytes encoded in a path segment: everything but the unreserved
/// characters of RFC 3986, so no value can add a segment (`/`), start the
/// query (`?`) or fragment (`#`), or smuggle an escape (`%`).
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The bytes [`SEGMENT`] leaves as they are, as a table: checking a
/// segment is then one lookup per byte.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        byte += 1;
    }
    table
};

/// The header naming the API versions the client accepts.
const ACCEPT_VERSION: HeaderName = HeaderName::from_static("accept-version");

/// Which operation of the API a request is: what its tracing span names.
/// Each generated builder passes a constant one to [`ApiRequest::new`].
#[doc(hidden)]
#[derive(Debug)]
pub struct Operation {
    /// The resource's name in the spec (`notebook`).
    pub resource: &'static str,
    /// The operation's name in the spec (`get`).
    pub action: &'static str,
    /// The path template (`/applications/{APPLICATION_ID}/notebooks`),
    /// which, unlike the path sent, holds no IDs.
    pub path: &'static str,
    /// Whether the action needs the token: `false` for those the platform
    /// allows without one, which are sent without `Authorization`.
    pub authenticated: bool,
}

/// One request to the API, filled in by the generated code and sent with
/// [`Client::send`].
///
/// The setters never fail: a value that cannot be sent (a header value with
/// a newline, a body that does not serialize, a path segment that URL
/// normalisation would remove) is remembered and reported by `send` as
/// [`Error::InvalidInput`] before anything goes on the wire.
#[doc(hidden)]
pub struct ApiRequest {
    method: Method,
    operation: &'static Operation,
    /// The encoded path, `/`-separated, relative to the base URL's path.
    path: String,
    /// The encoded query string, without the `?`: scalar values as
    /// `application/x-www-form-urlencoded` pairs, objects and arrays as
    /// [`crate::query`] writes them.
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: RequestBody,
    /// What the caller set for this request alone.
    options: RequestOptionValues,
    /// The first value that was rejected.
    error: Option<Error>,
}

/// The body of a request, kept in a form that can be sent again on a retry.
enum RequestBody {
    None,
    /// Serialized once; cloning `Bytes` for each attempt shares the buffer.
    Json(Bytes),
    Multipart(Vec<(&'static str, MultipartField)>),
}

/// One part of a multipart body.
enum MultipartField {
    File(FilePart),
    Text(String),
}

impl ApiRequest {
    /// A request of `operation` with `method` to the base URL's path
    /// followed by `segments`, each percent-encoded as exactly one path
    /// segment.
    ///
    /// Only the unreserved characters (`A-Z a-z 0-9 - . _ ~`) stay literal.
    /// A segment that is empty, `.` or `..` is rejected (reported by `send`):
    /// URL normalisation removes `.`, `..` and their encoded forms `%2E`,
    /// `%2E%2E` from a path, so such a value would reach a different
    /// endpoint, e.g. the parent resource, instead of failing.
    pub fn new(method: Method, operation: &'static Operation, segments: &[&str]) -> ApiRequest {
        let length: usize = segments.iter().map(|s| s.len() + 1).sum();
        let mut request = ApiRequest {
            method,
            operation,
            path: String::with_capacity(length),
            query: String::new(),
            headers: Vec::new(),
            body: RequestBody::None,
            options: RequestOptionValues::default(),
            error: None,
        };
        for (index, segment) in segments.iter().enumerate() {
            let problem = match *segment {
                "" => Some("is empty"),
                "." | ".." => Some("`.` and `..` would be removed by URL normalisation"),
                _ => None,
            };
            if let Some(reason) = problem {
                request.reject(InvalidInput::new(
                    format!("path segment {}", index + 1),
                    reason,
                ));
            }
            request.path.push('/');
            // Most segments (literals, IDs) need no escaping: copy them as
            // they are rather than byte by byte through the encoder.
            if segment.bytes().all(|b| UNRESERVED[usize::from(b)]) {
                request.path.push_str(segment);
            } else {
                request.path.extend(utf8_percent_encode(segment, SEGMENT));
            }
        }
        request
    }

    /// Adds the query parameter `name=value`; `None` adds nothing. Repeated
    /// names are sent repeatedly, in order.
    pub fn query<T: std::fmt::Display>(&mut self, name: &'static str, value: Option<T>) {
        if let Some(value) = value {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query
                .extend(url::form_urlencoded::byte_serialize(name.as_bytes()));
            self.query.push('=');
            let value = value.to_string();
            self.query
                .extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
        }
    }

    /// Adds the query parameter `name` holding an object or an array, in
    /// bracket notation (`keywords%5B0%5D=gps&keywords%5B1%5D=aws`, see
    /// [`crate::query`]); `None` adds nothing.
    pub fn query_structured<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        let value = serde_json::to_value(value)
            .map_err(|error| InvalidInput::new(name, error.to_string()))?;
        crate::query::append(&mut self.query, name, &value);
        Ok(())
    }

    /// Sets the header `name: value`; `None` sets nothing. It replaces a
    /// header of the same name set by the client (such as `Accept`).
    pub fn header<T: std::fmt::Display>(&mut self, name: &'static str, value: Option<T>) {
        let Some(value) = value else { return };
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.reject(InvalidInput::new(name, "is not a valid header name"));
            return;
        };
        match HeaderValue::from_str(&value.to_string()) {
            Ok(header_value) => self.headers.push((header_name, header_value)),
            Err(_) => self.reject(InvalidInput::new(
                name,
                "contains characters not allowed in an HTTP header",
            )),
        }
    }

    /// Applies the caller's [`RequestOptions`](crate::RequestOptions) for this
    /// request (a rejected header is reported by `send`).
    pub fn options(&mut self, mut options: RequestOptionValues) {
        if let Some(invalid) = options.error.take() {
            self.reject(invalid);
        }
        self.options = options;
    }

    /// Sets a JSON body (`Content-Type: application/json`), replacing any
    /// previous body. The value is serialized once, here; retries resend the
    /// same bytes.
    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = crate::js_number::to_json_vec(body)
            .map_err(|error| InvalidInput::new("request body", error.to_string()))?;
        self.body = RequestBody::Json(Bytes::from(bytes));
        Ok(())
    }

    /// Adds a file part to a `multipart/form-data` body (replacing a JSON
    /// body, if any).
    pub fn multipart_part(&mut self, name: &'static str, part: FilePart) {
        self.push_multipart(name, MultipartField::File(part));
    }

    /// Adds a text part to a `multipart/form-data` body (replacing a JSON
    /// body, if any).
    pub fn multipart_text<T: std::fmt::Display>(&mut self, name: &'static str, value: T) {
        self.push_multipart(name, MultipartField::Text(value.to_string()));
    }

    /// Adds a text part holding `value` as JSON text to a
    /// `multipart/form-data` body (replacing a JSON body, if any), as the
    /// vendor's clients send a part whose value is an object.
    pub fn multipart_json<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let bytes = crate::js_number::to_json_vec(value)
            .map_err(|error| InvalidInput::new(name, error.to_string()))?;
        // serde_json writes only UTF-8; the check costs one pass.
        let text =
            String::from_utf8(bytes).map_err(|error| InvalidInput::new(name, error.to_string()))?;
        self.push_multipart(name, MultipartField::Text(text));
        Ok(())
    }

    fn push_multipart(&mut self, name: &'static str, field: MultipartField) {
        match &mut self.body {
            RequestBody::Multipart(fields) => fields.push((name, field)),
            body => *body = RequestBody::Multipart(vec![(name, field)]),
        }
    }

    /// Remembers the first rejected value for `send` to report.
    fn reject(&mut self, invalid: InvalidInput) {
        self.error.get_or_insert(Error::InvalidInput(invalid));
    }

    /// The span of this request: its operation, method and path template
    /// (never the token, nor the IDs in the path), and the status and
    /// attempt number once they are known.
    pub(crate) fn span(&self) -> tracing::Span {
        let operation = self.operation;
        tracing::debug_span!(
            "request",
            resource = operation.resource,
            action = operation.action,
            method = %self.method,
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    }

    /// The timeout of this request: its own, or the client's.
    pub(crate) fn timeout(&self, client: &Client) -> Option<Duration> {
        self.options.timeout.or(client.inner.request_timeout)
    }

    /// Takes out the first rejected value, if any.
    pub(crate) fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }

    /// Whether the body can be sent again (a reader can be read only once).
    fn is_rebuildable(&self) -> bool {
        match &self.body {
            RequestBody::None | RequestBody::Json(_) => true,
            RequestBody::Multipart(fields) => fields.iter().all(|(_, field)| match field {
                MultipartField::File(part) => part.is_rebuildable(),
                MultipartField::Text(_) => true,
            }),
        }
    }
}

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Sends `request` and decodes the JSON body of the 2xx response into
    /// `T`. An empty body decodes as `null`, so `()` and `Option<_>` accept
    /// it; `serde::de::IgnoredAny` accepts any JSON.
    ///
    /// Retries follow the client's [`RetryPolicy`](crate::RetryPolicy):
    /// - `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` are idempotent, so they
    ///   are retried on any failure to send or to get the response head
    ///   (connection errors, timeouts) and on 429, 502, 503 and 504;
    /// - every method is retried on connect errors, where the request
    ///   provably never reached the server;
    /// - `POST` and `PATCH` are otherwise never retried: once the request
    ///   has reached the server, the client cannot prove it was not acted on;
    /// - a request whose body comes from a reader is never retried.
    ///
    /// A 2xx response whose body breaks off (the connection is reset or
    /// closed early) is a failure like any other: retried for the
    /// idempotent methods, reported for the others.
    ///
    /// A request with a value a setter refused fails without being sent.
    /// The client is taken by value, so the future owns it and is
    /// `'static`: the generated builders hand over the handle they own, and
    /// no reference count changes on the way. The generated builders
    /// build the request before calling this, outside the future, so the
    /// boxed future holds only what sending needs (ARCHITECTURE.md gives
    /// its size).
    #[doc(hidden)]
    pub fn send<T: DeserializeOwned + Send + 'static>(
        self,
        request: ApiRequest,
    ) -> crate::ResponseFuture<T> {
        self.send_decoding(request, |_, body| decode_json(body))
    }

    /// Sends `request` like [`Client::send`], decoding the 2xx body by its
    /// status, for operations whose 2xx responses have different bodies: a
    /// status `T` does not document is [`Error::Decode`].
    #[allow(dead_code)] // a spec whose operations each have one 2xx body does not call it
    pub(crate) fn send_by_status<T: ByStatus + Send + 'static>(
        self,
        request: ApiRequest,
    ) -> crate::ResponseFuture<T> {
        self.send_decoding(request, decode_by_status)
    }

    /// Sends `request` and decodes the 2xx response's status and body with
    /// `decode`; a failure is [`Error::Decode`] with the response.
    fn send_decoding<T: Send + 'static>(
        self,
        mut request: ApiRequest,
        decode: fn(StatusCode, &[u8]) -> Result<T, serde_json::Error>,
    ) -> crate::ResponseFuture<T> {
        let span = request.span();
        crate::ResponseFuture::new(
            async move {
                let success = self.execute(&mut request, true).await?;
                let secret = self.inner.token.expose();
                decode(success.status, &success.body).map_err(|source| {
                    error::decode_error(
                        success.status,
                        &success.headers,
                        &success.body,
                        source,
                        secret,
                    )
                })
            }
            .instrument(span),
        )
    }

    /// Sends `request` like [`Client::send`] but does not decode the body of
    /// the 2xx response, for operations whose response has no schema.
    #[doc(hidden)]
    pub fn send_ignoring_body(self, mut request: ApiRequest) -> crate::ResponseFuture<()> {
        let span = request.span();
        crate::ResponseFuture::new(
            async move {
                self.execute(&mut request, false).await?;
                Ok(())
            }
            .instrument(span),
        )
    }

    /// The retry loop: sends attempts until one gets a 2xx response whose
    /// body is read to the end (kept when `keep_body`), or a failure that
    /// must not be retried.
    ///
    /// Not generic, so that it is compiled once rather than once per
    /// response type. It borrows the request rather than owning it: the
    /// caller's future holds it, once (an `async fn` keeps a second copy of
    /// an argument it owns).
    async fn execute(&self, request: &mut ApiRequest, keep_body: bool) -> Result<Success, Error> {
        if let Some(error) = request.error.take() {
            return Err(error);
        }
        self.check_token(request)?;
        let url = self.request_url(request)?;
        // Taken out of the request, which each attempt borrows mutably.
        let own_policy = request.options.retry.take();
        let policy = own_policy.as_ref().unwrap_or(&self.inner.retry);
        let attempts = policy.attempts();
        // The span `send` made for this request: its fields say how far it got.
        let span = tracing::Span::current();
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            // Built before the rest of the request, so that nothing else is
            // held while it is built; boxed, because building a file part
            // (opening the file, reading its length) is a large future, and
            // every request's future would otherwise be that much larger,
            // uploads or not.
            let form = match &mut request.body {
                RequestBody::Multipart(fields) => Some(Box::pin(form(fields)).await?),
                RequestBody::None | RequestBody::Json(_) => None,
            };
            let mut prepared = self.prepare(request, url.clone());
            if let Some(form) = form {
                // Sets `Content-Type: multipart/form-data; boundary=...`, and
                // `Content-Length` when every part has a known length.
                prepared = prepared.multipart(form);
            }
            let may_retry = attempt < attempts && request.is_rebuildable();
            let outcome = match prepared.send().await {
                Ok(response) if response.status().is_success() => {
                    read_success(response, keep_body).await
                }
                Ok(response) => Err(Failure::Status(response)),
                Err(error) => Err(Failure::Transport(error)),
            };
            let retry_after = match outcome {
                Ok(success) => {
                    span.record("status", success.status.as_u16());
                    tracing::debug!(path = url.path(), "response received");
                    return Ok(success);
                }
                Err(Failure::Status(response)) => {
                    let status = response.status();
                    let wait = retry_after(response.headers());
                    span.record("status", status.as_u16());
                    tracing::debug!(path = url.path(), "response received");
                    // A server asking for a longer wait than the policy
                    // allows gets its answer now, with the wait in the
                    // error, rather than an early retry it asked not to get.
                    if !(may_retry
                        && retryable_status(&request.method, status)
                        && policy.allows_wait(wait))
                    {
                        // Boxed, like the sleep below: the futures of the
                        // failure paths would otherwise make every request's
                        // future larger (see `send`).
                        let error = Box::pin(error::api_error(response, self.inner.token.expose()));
                        return Err(error.await);
                    }
                    wait
                }
                Err(Failure::Transport(error)) => {
                    tracing::debug!(
                        path = url.path(),
                        timeout = error.is_timeout(),
                        connect = error.is_connect(),
                        body = error.is_body(),
                        "request failed"
                    );
                    if !(may_retry && retryable_transport(&request.method, &error)) {
                        return Err(Error::Transport(error));
                    }
                    None
                }
            };
            let delay = policy.delay(attempt, retry_after);
            tracing::debug!(
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            Box::pin(tokio::time::sleep(delay)).await;
            attempt += 1;
        }
    }

    /// Refuses, before anything is sent, an action that needs a token on a
    /// client built without one: every way of sending (a request, an
    /// event stream) asks here.
    pub(crate) fn check_token(&self, request: &ApiRequest) -> Result<(), Error> {
        if request.operation.authenticated && self.inner.authorization.is_none() {
            return Err(InvalidInput::new(
                "token",
                "is not configured: this client was built without a token, and this action needs one (build it with `Client::builder(token)`)",
            )
            .into());
        }
        Ok(())
    }

    /// The URL of `request`: the base URL's path, the encoded segments and
    /// the query, joined as text so that their encoding is kept exactly.
    pub(crate) fn request_url(&self, request: &ApiRequest) -> Result<Url, Error> {
        let base = &self.inner.base_url;
        // The base URL has no query or fragment (checked when the client was
        // built), so its text ends with its path.
        let mut text = base.as_str().trim_end_matches('/').to_owned();
        text.push_str(&request.path);
        if !request.query.is_empty() {
            text.push('?');
            text.push_str(&request.query);
        }
        let url = Url::parse(&text).map_err(|error| InvalidInput::new("url", error.to_string()))?;

        // Belt and braces: the path must be exactly the base path followed by
        // the encoded segments. The parser would only change it by resolving
        // dot segments, which `ApiRequest::new` already rejects.
        let base_path = base.path().trim_end_matches('/');
        let kept = match url.path().strip_prefix(base_path) {
            Some(rest) if request.path.is_empty() => rest == "/" || rest.is_empty(),
            Some(rest) => rest == request.path,
            None => false,
        };
        if !kept {
            return Err(InvalidInput::new("path", "would be changed by URL normalisation").into());
        }
        Ok(url)
    }

    /// One attempt of `request`, with its headers and its body unless the
    /// body is multipart (built afresh for each attempt by the caller).
    ///
    /// The headers go straight into the request's own map (a separate map
    /// merged in by `RequestBuilder::headers` would be built and hashed
    /// twice); a header parameter replaces a header of the same name set
    /// here, such as `Accept`.
    fn prepare(&self, request: &ApiRequest, url: Url) -> reqwest::RequestBuilder {
        let prepared = self.prepare_request(
            request,
            url,
            HeaderValue::from_static("application/json"),
            &[],
        );
        reqwest::RequestBuilder::from_parts(self.inner.http.clone(), prepared)
    }

    /// The request [`Client::prepare`] sends, with `accept` as the `Accept`
    /// header and `extra` headers before the caller's own.
    pub(crate) fn prepare_request(
        &self,
        request: &ApiRequest,
        url: Url,
        accept: HeaderValue,
        extra: &[(HeaderName, HeaderValue)],
    ) -> reqwest::Request {
        let inner = &self.inner;
        let mut prepared = reqwest::Request::new(request.method.clone(), url);
        let headers = prepared.headers_mut();
        // An action the platform allows without a token is sent without
        // one, whether the client has one or not.
        if let (true, Some(authorization)) = (request.operation.authenticated, &inner.authorization)
        {
            headers.insert(header::AUTHORIZATION, authorization.clone());
        }
        headers.insert(header::ACCEPT, accept);
        headers.insert(header::USER_AGENT, inner.user_agent.clone());
        headers.insert(ACCEPT_VERSION, inner.accept_version.clone());
        if let RequestBody::Json(bytes) = &request.body {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            *prepared.body_mut() = Some(bytes.clone().into());
        }
        // The caller's extra headers come last, so they win.
        for (name, value) in extra
            .iter()
            .chain(&request.headers)
            .chain(&request.options.headers)
        {
            prepared.headers_mut().insert(name.clone(), value.clone());
        }
        *prepared.timeout_mut() = request.timeout(self);
        prepared
    }
}

/// A 2xx response, read to the end.
struct Success {
    status: StatusCode,
    headers: HeaderMap,
    /// Empty unless the caller keeps the body.
    body: Bytes,
}

/// Why an attempt did not succeed.
enum Failure {
    /// A response with a status outside 2xx, its body unread.
    Status(reqwest::Response),
    /// No response, or a 2xx response whose body broke off.
    Transport(reqwest::Error),
}

/// Reads a 2xx response to the end, keeping the body when `keep_body`. A
/// body that breaks off is a transport failure, retried like one: the
/// status alone does not give the caller the response it asked for.
async fn read_success(
    mut response: reqwest::Response,
    keep_body: bool,
) -> Result<Success, Failure> {
    let status = response.status();
    // Taken, not cloned: only an error keeps them, and the body no longer
    // needs them (decompression was chosen when the response head arrived).
    let headers = std::mem::take(response.headers_mut());
    let body = if keep_body {
        response.bytes().await.map_err(Failure::Transport)?
    } else {
        // Read to the end so the connection can be reused; a body with no
        // schema is dropped, and one that breaks off changes nothing.
        while let Ok(Some(_)) = response.chunk().await {}
        Bytes::new()
    };
    Ok(Success {
        status,
        headers,
        body,
    })
}

/// The multipart form of `fields`, built afresh for each attempt.
async fn form(
    fields: &mut [(&'static str, MultipartField)],
) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (name, field) in fields.iter_mut() {
        form = match field {
            MultipartField::File(part) => form.part(*name, part.build_part().await?),
            MultipartField::Text(text) => form.text(*name, text.clone()),
        };
    }
    Ok(form)
}

/// Decodes a JSON body. An empty one decodes as `null` (so `()` and
/// `Option<_>` accept it); a type that needs a value reports `empty body`,
/// which says more than serde's `invalid type: null`.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let json: &[u8] = if empty { b"null" } else { body };
    serde_json::from_slice(json).map_err(|source| {
        if empty {
            <serde_json::Error as serde::de::Error>::custom("empty body")
        } else {
            source
        }
    })
}

/// The response of an operation whose 2xx responses have different
/// bodies: a generated enum with a variant per documented status.
#[allow(dead_code)] // a spec whose operations each have one 2xx body does not implement it
pub(crate) trait ByStatus: Sized {
    /// The variant of `status` with `body` decoded as that status
    /// documents; `None` for a status the operation does not document.
    fn decode(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// Decodes the variant of `status`; a status `T` does not document is an
/// error saying so.
fn decode_by_status<T: ByStatus>(status: StatusCode, body: &[u8]) -> Result<T, serde_json::Error> {
    T::decode(status.as_u16(), body).unwrap_or_else(|| {
        Err(<serde_json::Error as serde::de::Error>::custom(
            format_args!(
                "the status {} is not one this operation documents",
                status.as_u16()
            ),
        ))
    })
}

/// Methods that may be sent twice with the effect of sending them once.
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

/// Whether a response with `status` is worth another attempt.
fn retryable_status(method: &Method, status: StatusCode) -> bool {
    // The request reached the server, so only a method that may be
    // repeated is sent again: the client cannot prove a POST was not acted
    // on, whatever the status says.
    is_idempotent(method) && error::transient_status(status)
}

/// Whether a failure to get a response is worth another attempt.
fn retryable_transport(method: &Method, error: &reqwest::Error) -> bool {
    // A connect error means nothing was sent, whatever the method.
    // Anything else may have happened after the server received the request.
    error.is_connect() || (is_idempotent(method) && error::transient_transport(error))
}

/// The wait a `Retry-After` header asks for. Only the delay-seconds form is
/// understood; a date or anything unparseable is ignored (the usual backoff
/// applies).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A minimal HTTP/1.1 server for tests: it records each request and answers
/// with canned bytes, one request per connection.
#[cfg(test)]
pub(crate) mod test_server {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    use tokio::net::{TcpListener, TcpStream};

    /// What the requests of the unit tests claim to be.
    pub(crate) const TEST_OPERATION: &super::Operation = &super::Operation {
        resource: "test",
        action: "get",
        path: "/x",
        authenticated: true,
    };

    /// A request as the server received it.
    #[derive(Clone, Debug)]
    pub(crate) struct Received {
        /// `GET /path?query HTTP/1.1`
        pub(crate) request_line: String,
        /// Names lowercased.
        pub(crate) headers: Vec<(String, String)>,
        pub(crate) body: Vec<u8>,
    }

    impl Received {
        pub(crate) fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        }
    }

    /// What to do with a request.
    pub(crate) enum Reply {
        /// Write these bytes, then close.
        Respond(Vec<u8>),
        /// Wait, then write these bytes and close.
        Delayed(Duration, Vec<u8>),
    }

    /// A complete response with `Content-Length` and `Connection: close`.
    pub(crate) fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n");
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        let mut out = out.into_bytes();
        out.extend_from_slice(body);
        out
    }

    type Handler = dyn Fn(usize, &Received) -> Reply + Send + Sync;

    pub(crate) struct TestServer {
        /// `http://127.0.0.1:<port>`
        pub(crate) base_url: String,
        received: Arc<Mutex<Vec<Received>>>,
    }

    impl TestServer {
        /// Starts a server; `handler` gets the number of requests received
        /// before this one and the request.
        pub(crate) async fn start(
            handler: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static,
        ) -> TestServer {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let received = Arc::new(Mutex::new(Vec::new()));
            let handler: Arc<Handler> = Arc::new(handler);
            let log = received.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, handler.clone(), log.clone()));
                }
            });
            TestServer {
                base_url: format!("http://{address}"),
                received,
            }
        }

        pub(crate) fn requests(&self) -> Vec<Received> {
            self.received.lock().unwrap().clone()
        }
    }

    async fn serve(stream: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Received>>>) {
        let mut reader = BufReader::new(stream);
        let Some(request) = read_request(&mut reader).await else {
            return;
        };
        let index = {
            let mut log = log.lock().unwrap();
            log.push(request.clone());
            log.len() - 1
        };
        let bytes = match handler(index, &request) {
            Reply::Respond(bytes) => bytes,
            Reply::Delayed(delay, bytes) => {
                tokio::time::sleep(delay).await;
                bytes
            }
        };
        let stream = reader.get_mut();
        // The client may hang up early (timeouts, bounded error reads).
        let _ = stream.write_all(&bytes).await;
        let _ = stream.shutdown().await;
    }

    async fn read_line(reader: &mut BufReader<TcpStream>) -> Option<String> {
        let mut line = String::new();
        let read = reader.read_line(&mut line).await.ok()?;
        (read > 0).then(|| line.trim_end_matches(['\r', '\n']).to_owned())
    }

    async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Received> {
        let request_line = read_line(reader).await?;
        let mut headers = Vec::new();
        loop {
            let line = read_line(reader).await?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let mut request = Received {
            request_line,
            headers,
            body: Vec::new(),
        };
        if let Some(length) = request.header("content-length") {
            let mut body = vec![0; length.parse().ok()?];
            reader.read_exact(&mut body).await.ok()?;
            request.body = body;
        } else if request.header("transfer-encoding") == Some("chunked") {
            loop {
                let size = usize::from_str_radix(&read_line(reader).await?, 16).ok()?;
                if size == 0 {
                    while !read_line(reader).await?.is_empty() {}
                    break;
                }
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).await.ok()?;
                request.body.extend_from_slice(&chunk[..size]);
            }
        }
        Some(request)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::test_server::{Received, Reply, TEST_OPERATION, TestServer, response};
    use super::*;
    use crate::client::{ClientBuilder, RetryPolicy};
    use crate::error::ApiError;

    #[test]
    fn the_unreserved_table_is_what_the_encoder_leaves_alone() {
        for byte in 0..=127u8 {
            let text = char::from(byte).to_string();
            let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
            assert_eq!(UNRESERVED[usize::from(byte)], encoded == text, "{byte}");
        }
        assert!(!UNRESERVED[128..].iter().any(|&kept| kept));
    }

    const TOKEN: &str = "tok-5d1f2c-private-value";

    fn client_for(base_url: &str, retry: RetryPolicy) -> Client {
        ClientBuilder::new(TOKEN, "http://default.invalid")
            .base_url(base_url)
            .retry(retry)
            .build()
            .unwrap()
    }

    /// Retries without noticeable waits.
    fn quick_retry() -> RetryPolicy {
        RetryPolicy::default().initial_backoff(Duration::from_millis(1))
    }

    fn json(status: &str, body: &str) -> Reply {
        Reply::Respond(response(
            status,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        ))
    }

    /// The URL of a local port that was just free, so connecting is refused.
    fn refused_base_url() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{address}")
    }

    fn ok() -> Reply {
        json("200 OK", "{\"ok\":true}")
    }

    fn api_error(error: Error) -> ApiError {
        match error {
            Error::Api(api) => api,
            other => panic!("expected Error::Api, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn every_segment_is_encoded_as_one_path_segment() {
        let server = TestServer::start(|_, _| ok()).await;
        let segments = [
            "things",
            "a/b",
            "../x",
            "..x",
            "q?x=1",
            "h#f",
            "%2F",
            "sp ace",
            "é",
            "a.b_c-d~e",
        ];
        let expected = "/things/a%2Fb/..%2Fx/..x/q%3Fx%3D1/h%23f/%252F/sp%20ace/%C3%A9/a.b_c-d~e";
        for (base, prefix) in [
            (server.base_url.clone(), ""),
            (format!("{}/", server.base_url), ""),
            (format!("{}/api", server.base_url), "/api"),
            (format!("{}/api/", server.base_url), "/api"),
        ] {
            let client = client_for(&base, RetryPolicy::none());
            let _: serde_json::Value = client
                .send(ApiRequest::new(Method::DELETE, TEST_OPERATION, &segments))
                .await
                .unwrap();
            let received = server.requests().pop().unwrap();
            assert_eq!(
                received.request_line,
                format!("DELETE {prefix}{expected} HTTP/1.1"),
                "base URL {base}"
            );
        }
    }

    #[test]
    fn url_parsing_resolves_encoded_dot_segments() {
        // Why `ApiRequest::new` rejects `.` and `..` instead of sending them
        // encoded: the URL parser would resolve them anyway, turning a
        // request for device `..` into one for its application.
        let url = Url::parse("http://h.test/applications/a/devices/%2E%2E").unwrap();
        assert_eq!(url.path(), "/applications/a/");
        let url = Url::parse("http://h.test/applications/a/%2e/x").unwrap();
        assert_eq!(url.path(), "/applications/a/x");
    }

    #[tokio::test]
    async fn dot_and_empty_segments_are_rejected_before_sending() {
        let server = TestServer::start(|_, _| ok()).await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        for segment in ["..", ".", ""] {
            let error = client
                .clone()
                .send::<serde_json::Value>(ApiRequest::new(
                    Method::DELETE,
                    TEST_OPERATION,
                    &["applications", "app1", "devices", segment],
                ))
                .await
                .unwrap_err();
            match error {
                Error::InvalidInput(invalid) => assert_eq!(invalid.field, "path segment 4"),
                other => panic!("expected InvalidInput, got {other:?}"),
            }
        }
        assert!(server.requests().is_empty());
    }

    /// Sends `request` to a server answering `{}` and returns what the
    /// server received.
    async fn received_for(request: ApiRequest) -> Received {
        let server = TestServer::start(|_, _| ok()).await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        let _: serde_json::Value = client.clone().send(request).await.unwrap();
        server.requests().pop().unwrap()
    }

    #[tokio::test]
    async fn query_and_headers_are_sent_exactly() {
        let mut request = ApiRequest::new(Method::GET, TEST_OPERATION, &["items"]);
        request.query("q", Some("a b&c=d/é+#"));
        request.query("absent", None::<u32>);
        request.query("perPage", Some(25));
        request.query("_links", Some(false));
        request.header("Accept-Version", Some("^1.30.0"));
        request.header("losantdomain", None::<&str>);
        let received = received_for(request).await;
        assert_eq!(
            received.request_line,
            "GET /items?q=a+b%26c%3Dd%2F%C3%A9%2B%23&perPage=25&_links=false HTTP/1.1"
        );
        assert_eq!(
            received.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(received.header("accept"), Some("application/json"));
        assert_eq!(received.header("accept-version"), Some("^1.30.0"));
        assert_eq!(received.header("losantdomain"), None);
        assert_eq!(received.header("content-type"), None);
        assert_eq!(
            received.header("user-agent"),
            Some(concat!("generated-client/", env!("CARGO_PKG_VERSION")))
        );
    }

    #[tokio::test]
    async fn a_header_parameter_replaces_the_clients_header_of_that_name() {
        let mut request = ApiRequest::new(Method::GET, TEST_OPERATION, &["items"]);
        request.header("Accept", Some("text/csv"));
        let received = received_for(request).await;
        let accepts: Vec<&str> = received
            .headers
            .iter()
            .filter(|(name, _)| name == "accept")
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(accepts, ["text/csv"]);
    }

    #[tokio::test]
    async fn invalid_header_value_is_rejected_before_sending() {
        let server = TestServer::start(|_, _| ok()).await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        let mut request = ApiRequest::new(Method::GET, TEST_OPERATION, &["items"]);
        request.header("losantdomain", Some("a\r\nInjected: yes"));
        let error = client
            .clone()
            .send::<serde_json::Value>(request)
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid losantdomain: contains characters not allowed in an HTTP header"
        );
        assert!(server.requests().is_empty());
    }

    #[tokio::test]
    async fn json_body_is_sent_and_resent_on_retry() {
        let server = TestServer::start(|index, _| {
            if index == 0 {
                json("503 Service Unavailable", "{}")
            } else {
                ok()
            }
        })
        .await;
        let client = client_for(&server.base_url, quick_retry());
        let mut request = ApiRequest::new(Method::PUT, TEST_OPERATION, &["items", "1"]);
        request
            .json_body(&serde_json::json!({"name": "My Notebook"}))
            .unwrap();
        let _: serde_json::Value = client.clone().send(request).await.unwrap();

        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        for received in requests {
            assert_eq!(received.header("content-type"), Some("application/json"));
            assert_eq!(received.body, br#"{"name":"My Notebook"}"#);
        }
    }

    #[tokio::test]
    async fn success_bodies_decode_into_the_requested_type() {
        let server = TestServer::start(|index, _| match index {
            0 => Reply::Respond(response("204 No Content", &[], b"")),
            1 => json("200 OK", "  "),
            2 => json("200 OK", "[1, {\"a\": null}]"),
            _ => json("201 Created", "{\"id\": \"n1\", \"extra\": 1}"),
        })
        .await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        let request = || ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]);

        let () = client.clone().send(request()).await.unwrap();
        let nothing: Option<serde_json::Value> = client.clone().send(request()).await.unwrap();
        assert_eq!(nothing, None);
        let value: serde_json::Value = client.clone().send(request()).await.unwrap();
        assert_eq!(value, serde_json::json!([1, {"a": null}]));

        #[derive(serde::Deserialize)]
        struct Created {
            id: String,
        }
        let created: Created = client.clone().send(request()).await.unwrap();
        assert_eq!(created.id, "n1");
    }

    #[tokio::test]
    async fn not_found_json_becomes_api_error_with_type_and_message() {
        let server = TestServer::start(|_, _| {
            json(
                "404 Not Found",
                r#"{"type":"NotFound","message":"Notebook was not found"}"#,
            )
        })
        .await;
        let client = client_for(&server.base_url, quick_retry());
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(
                Method::GET,
                TEST_OPERATION,
                &["notebooks", "n1"],
            ))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(
            error.to_string(),
            "HTTP 404 Not Found: NotFound: Notebook was not found"
        );
        let api = api_error(error);
        assert_eq!(api.kind, Some(crate::ErrorKind::NotFound));
        assert_eq!(api.message.as_deref(), Some("Notebook was not found"));
        assert!(api.body.contains("NotFound"));
        // 404 is not retried.
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn html_error_page_becomes_api_error_with_snippet() {
        let page = "<html><body><h1>Internal Server Error</h1></body></html>";
        let server = TestServer::start(move |_, _| {
            Reply::Respond(response(
                "500 Internal Server Error",
                &[("Content-Type", "text/html")],
                page.as_bytes(),
            ))
        })
        .await;
        let client = client_for(&server.base_url, quick_retry());
        let api = api_error(
            client
                .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
                .await
                .unwrap_err(),
        );
        assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(api.kind, None);
        assert_eq!(api.message, None);
        assert_eq!(api.body, page);
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn huge_error_body_is_read_only_partly_and_kept_short() {
        let mut body = vec![b'x'; 10 * 1024 * 1024];
        body[..9].copy_from_slice(b"{\"type\":\"");
        let reply = response("400 Bad Request", &[], &body);
        let server = TestServer::start(move |_, _| Reply::Respond(reply.clone())).await;
        let client = client_for(&server.base_url, quick_retry());
        let api = api_error(
            client
                .send::<serde_json::Value>(ApiRequest::new(Method::POST, TEST_OPERATION, &["x"]))
                .await
                .unwrap_err(),
        );
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(api.kind, None);
        assert_eq!(api.body.len(), error::SNIPPET_LIMIT);
        assert!(api.body.starts_with("{\"type\":\"xxx"));
    }

    #[tokio::test]
    async fn truncated_success_json_is_a_decode_error() {
        let server = TestServer::start(|_, _| json("200 OK", "{\"id\": \"n1\", \"na")).await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::OK));
        // This level in Display, the decoder's report as the source.
        assert_eq!(
            error.to_string(),
            "cannot decode the response body (HTTP 200 OK)"
        );
        assert_eq!(error.body_snippet(), Some("{\"id\": \"n1\", \"na"));
        assert!(chain(&error)[1].contains("EOF"), "{:?}", chain(&error));
        match error {
            Error::Decode { snippet, .. } => assert_eq!(snippet, "{\"id\": \"n1\", \"na"),
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn too_many_requests_is_retried_after_retry_after() {
        let server = TestServer::start(|index, _| {
            if index == 0 {
                Reply::Respond(response(
                    "429 Too Many Requests",
                    &[("Retry-After", "0")],
                    b"",
                ))
            } else {
                ok()
            }
        })
        .await;
        // A long backoff shows that `Retry-After: 0` is what was used.
        let client = client_for(
            &server.base_url,
            RetryPolicy::default().initial_backoff(Duration::from_secs(30)),
        );
        let started = std::time::Instant::now();
        let value: serde_json::Value = client
            .send(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap();
        assert_eq!(value["ok"], true);
        assert_eq!(server.requests().len(), 2);
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[tokio::test]
    async fn unavailable_is_retried_up_to_max_attempts() {
        let server = TestServer::start(|_, _| json("503 Service Unavailable", "{}")).await;
        let client = client_for(&server.base_url, quick_retry().max_attempts(3));
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn post_is_not_retried_on_unavailable() {
        let server = TestServer::start(|_, _| json("503 Service Unavailable", "{}")).await;
        let client = client_for(&server.base_url, quick_retry());
        for method in [Method::POST, Method::PATCH] {
            let error = client
                .clone()
                .send::<serde_json::Value>(ApiRequest::new(method, TEST_OPERATION, &["x"]))
                .await
                .unwrap_err();
            assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        }
        assert_eq!(server.requests().len(), 2);
    }

    #[tokio::test]
    async fn slow_server_times_out() {
        let server =
            TestServer::start(|_, _| Reply::Delayed(Duration::from_secs(5), Vec::new())).await;
        let client = ClientBuilder::new(TOKEN, "http://default.invalid")
            .base_url(&server.base_url)
            .timeout(Duration::from_millis(200))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(!error.to_string().contains(TOKEN));
    }

    #[tokio::test]
    async fn timeout_applies_to_a_caller_provided_http_client() {
        let server =
            TestServer::start(|_, _| Reply::Delayed(Duration::from_secs(5), Vec::new())).await;
        let client = ClientBuilder::new(TOKEN, "http://default.invalid")
            .base_url(&server.base_url)
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_millis(200))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
    }

    #[tokio::test]
    async fn connection_closed_mid_body_is_an_error() {
        let server = TestServer::start(|_, _| {
            Reply::Respond(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":".to_vec())
        })
        .await;
        let client = client_for(&server.base_url, quick_retry());
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Transport(_) | Error::Decode { .. }),
            "{error:?}"
        );
    }

    /// The messages of `error` and its sources, outermost first.
    fn chain(error: &Error) -> Vec<String> {
        let mut messages = vec![error.to_string()];
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            messages.push(cause.to_string());
            source = cause.source();
        }
        messages
    }

    #[tokio::test]
    async fn an_empty_success_body_says_so() {
        let server = TestServer::start(|_, _| json("200 OK", "")).await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        let error = client
            .send::<std::collections::HashMap<String, String>>(ApiRequest::new(
                Method::GET,
                TEST_OPERATION,
                &["x"],
            ))
            .await
            .unwrap_err();
        assert_eq!(
            chain(&error),
            [
                "cannot decode the response body (HTTP 200 OK)",
                "empty body"
            ]
        );
        assert_eq!(error.body_snippet(), Some(""));
        assert!(!error.is_retryable());
    }

    #[tokio::test]
    async fn a_transport_error_shows_each_message_of_its_chain_once() {
        let client = client_for(&refused_base_url(), RetryPolicy::none());
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        let messages = chain(&error);
        assert_eq!(messages[0], "cannot connect to the server");
        assert!(messages[1].starts_with("error sending request for url (http://127.0.0.1:"));
        let text = messages.join(": ");
        assert_eq!(text.matches("error sending request").count(), 1, "{text}");
        // The cause at the bottom (the refused connection) is in the chain.
        assert!(messages.len() > 2, "{messages:?}");
        for pair in messages.windows(2) {
            assert!(!pair[0].contains(&pair[1]), "{messages:?}");
        }
        assert!(error.is_retryable());
        assert_eq!(error.headers(), None);
    }

    #[tokio::test]
    async fn connect_error_is_reported_and_retried_even_for_post() {
        let client = client_for(&refused_base_url(), quick_retry());
        let error = client
            .send::<serde_json::Value>(ApiRequest::new(Method::POST, TEST_OPERATION, &["x"]))
            .await
            .unwrap_err();
        assert!(error.is_connect(), "{error:?}");
        assert!(retryable_transport(
            &Method::POST,
            match &error {
                Error::Transport(transport) => transport,
                other => panic!("expected Transport, got {other:?}"),
            }
        ));
    }

    #[tokio::test]
    async fn no_error_message_contains_the_token() {
        // A server that echoes the request headers into its error pages.
        let server = TestServer::start(|index, received| {
            let echo = format!("{:?}", received.headers);
            match index {
                0 => json(
                    "401 Unauthorized",
                    &serde_json::json!({"type": echo, "message": echo}).to_string(),
                ),
                1 => Reply::Respond(response("500 Internal Server Error", &[], echo.as_bytes())),
                _ => json("200 OK", &format!("not json {echo}")),
            }
        })
        .await;
        let client = client_for(&server.base_url, RetryPolicy::none());
        let mut errors = Vec::new();
        for _ in 0..3 {
            errors.push(
                client
                    .clone()
                    .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
                    .await
                    .unwrap_err(),
            );
        }
        // The server did see the token.
        assert!(
            server.requests()[0]
                .header("authorization")
                .unwrap()
                .contains(TOKEN)
        );
        errors.push(
            client_for(&refused_base_url(), RetryPolicy::none())
                .send::<serde_json::Value>(ApiRequest::new(Method::GET, TEST_OPERATION, &["x"]))
                .await
                .unwrap_err(),
        );
        errors.push(Error::Io(std::io::Error::other("disk on fire")));
        let mut bad = ApiRequest::new(Method::GET, TEST_OPERATION, &[".."]);
        bad.header("x", Some("\n"));
        errors.push(client.clone().send::<()>(bad).await.unwrap_err());
        errors.push(
            ClientBuilder::new(format!("{TOKEN}\n"), "http://x.test")
                .build()
                .unwrap_err(),
        );

        for error in &errors {
            let text = format!("{error} | {error:?}");
            assert!(!text.contains(TOKEN), "{text}");
            assert!(!error.to_string().contains('\n'), "{error}");
        }
        let api = errors[0].api_error().unwrap();
        assert!(api.message.as_deref().unwrap().contains("<redacted>"));
    }

    #[test]
    fn send_futures_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = client_for("http://127.0.0.1:1", RetryPolicy::none());
        let future = client.clone().send::<serde_json::Value>(ApiRequest::new(
            Method::GET,
            TEST_OPERATION,
            &["x"],
        ));
        assert_send(&future);
        assert_send(&client.clone().send_ignoring_body(ApiRequest::new(
            Method::GET,
            TEST_OPERATION,
            &["x"],
        )));
    }

    #[test]
    fn retry_rules() {
        assert!(retryable_status(
            &Method::GET,
            StatusCode::TOO_MANY_REQUESTS
        ));
        assert!(!retryable_status(
            &Method::POST,
            StatusCode::TOO_MANY_REQUESTS
        ));
        assert!(retryable_status(
            &Method::DELETE,
            StatusCode::GATEWAY_TIMEOUT
        ));
        assert!(!retryable_status(&Method::PATCH, StatusCode::BAD_GATEWAY));
        assert!(!retryable_status(
            &Method::GET,
            StatusCode::INTERNAL_SERVER_ERROR
        ));
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static(" 7 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
