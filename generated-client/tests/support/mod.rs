//! Test support: a real HTTP/1.1 server on `127.0.0.1` that records every
//! request and answers with canned replies, a raw TCP server for replies no
//! well-behaved HTTP server would send, a client pointed at either, and a
//! minimal `multipart/form-data` parser to inspect upload bodies.
//!
//! Every test starts its own server on a fresh port, so tests neither touch
//! the network nor depend on each other.

// Each test crate that includes this module uses a different subset of it.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A canned response: status, `Content-Type`, further headers, body, and
/// how long to wait before sending it.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Value of the `Content-Type` header.
    pub content_type: String,
    /// Further headers, in order.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Bytes,
    /// Time to wait, once the request is read, before answering.
    pub delay: Option<Duration>,
}

impl Reply {
    /// A response with any content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: body.into(),
            delay: None,
        }
    }

    /// A JSON response (`Content-Type: application/json`).
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::new(status, "application/json", body.into())
    }

    /// The same reply with the header `name: value` added.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The same reply, sent only after `delay` (the request is recorded
    /// at once).
    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = Some(delay);
        self
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The path, exactly as sent (still percent-encoded).
    pub path: String,
    /// The raw query string without the `?`, `None` when the URL had none.
    pub query: Option<String>,
    /// Every header in the order received; names are lowercase.
    pub headers: Vec<(String, String)>,
    /// The full body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of header `name` (case-insensitive). Panics if the header
    /// was sent more than once, so a duplicate cannot go unnoticed.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.header_values(name).into_iter();
        let first = values.next();
        assert!(
            values.next().is_none(),
            "header `{name}` was sent more than once: {:?}",
            self.headers
        );
        first
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The body parsed as JSON; panics, showing the body, if it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "request body is not JSON ({error}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body parsed as `multipart/form-data`, with the boundary taken
    /// from the `Content-Type` header.
    pub fn multipart(&self) -> Vec<MultipartPart> {
        let content_type = self
            .header("content-type")
            .expect("a multipart request has a Content-Type header");
        parse_multipart(content_type, &self.body)
    }
}

/// What the server shares with its connection tasks.
#[derive(Default)]
struct State {
    /// Replies not used yet, in the order they will be sent.
    replies: Mutex<VecDeque<Reply>>,
    /// Requests received so far, in order.
    requests: Mutex<Vec<RecordedRequest>>,
}

/// Locks a mutex, ignoring poisoning: a panicking test thread must not hide
/// the requests from the assertion that reports it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A local HTTP/1.1 server answering requests with queued [`Reply`]s, one
/// per request, in order. When the queue is empty it answers `500` with a
/// plain-text explanation, so an unexpected request fails the test loudly.
pub struct TestServer {
    address: SocketAddr,
    state: Arc<State>,
    accept_loop: JoinHandle<()>,
}

impl TestServer {
    /// Binds `127.0.0.1:0` and starts serving, one task per connection.
    pub async fn start(replies: Vec<Reply>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            replies: Mutex::new(replies.into()),
            requests: Mutex::default(),
        });
        let accept_state = Arc::clone(&state);
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&accept_state);
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(Arc::clone(&state), request));
                    // A client that hangs up early is not this server's concern:
                    // the test sees the client's error.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        TestServer {
            address,
            state,
            accept_loop,
        }
    }

    /// The base URL of the server, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Queues one more reply after those already queued.
    pub fn push_reply(&self, reply: Reply) {
        lock(&self.state.replies).push_back(reply);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// The only request received; panics if there were none or several.
    pub fn single_request(&self) -> RecordedRequest {
        let mut requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.remove(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// Records `request` in full, then answers with the next queued reply.
async fn answer(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let (body, read_error) = match body.collect().await {
        Ok(collected) => (collected.to_bytes(), None),
        Err(error) => (Bytes::new(), Some(error.to_string())),
    };
    lock(&state.requests).push(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: body.to_vec(),
    });

    let reply = match read_error {
        Some(error) => Reply::new(400, "text/plain", format!("cannot read the body: {error}")),
        None => lock(&state.replies).pop_front().unwrap_or_else(|| {
            Reply::new(
                500,
                "text/plain",
                "the test server has no reply queued for this request",
            )
        }),
    };
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::new(Full::new(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).expect("valid status code");
    let content_type = HeaderValue::from_str(&reply.content_type).expect("valid content type");
    response.headers_mut().insert(CONTENT_TYPE, content_type);
    for (name, value) in &reply.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        let value = HeaderValue::from_str(value).expect("valid header value");
        response.headers_mut().append(name, value);
    }
    Ok(response)
}

/// A notebook execution log entry of execution `id` of notebook
/// `notebook_id` in application `application_id`, as JSON, with what every
/// entry carries (the spec's `always_sent`).
pub fn log_entry(application_id: &str, notebook_id: &str, id: &str, status: &str) -> String {
    format!(
        r#"{{"id":"{id}","notebookExecutionId":"{id}","notebookId":"{notebook_id}","applicationId":"{application_id}","status":"{status}","runQueuedAt":"2022-09-23T20:29:23.133Z"}}"#
    )
}

/// A client for `server`: token `test-token`, the server's URL as base URL,
/// and no retries, so each call is exactly one request.
pub fn client(server: &TestServer) -> generated_client::Client {
    client_builder(&server.url())
        .build()
        .expect("client for the test server")
}

/// The builder behind [`client`], for a server at `base_url`, to change a
/// setting before building.
pub fn client_builder(base_url: &str) -> generated_client::ClientBuilder {
    generated_client::Client::builder("test-token")
        .base_url(base_url)
        .retry(generated_client::RetryPolicy::none())
}

/// A retry policy of `attempts` attempts in total whose backoff is at most a
/// few milliseconds, so retries do not slow the tests down.
pub fn quick_retries(attempts: u32) -> generated_client::RetryPolicy {
    generated_client::RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// The URL of a local port nothing listens on: bound, then released.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}

/// A local TCP server that reads one HTTP/1.1 request per connection,
/// records it, writes the next queued bytes verbatim and closes the
/// connection: for responses that break the protocol (a body shorter than
/// its `Content-Length`, no response at all) and that a real HTTP server
/// would refuse to send. When the queue is empty it answers `500`.
///
/// Request bodies are read by `Content-Length` only (no chunked encoding).
pub struct RawServer {
    address: SocketAddr,
    state: Arc<RawState>,
    accept_loop: JoinHandle<()>,
}

#[derive(Default)]
struct RawState {
    replies: Mutex<VecDeque<Vec<u8>>>,
    requests: Mutex<Vec<RecordedRequest>>,
    /// How long to keep a connection open, silent, after writing a reply.
    stall: Option<Duration>,
    /// How many of the first replies end with a TCP reset (RST) instead of
    /// a clean close, as when a server or proxy crashes mid-response.
    resets: Mutex<usize>,
}

impl RawServer {
    /// Binds `127.0.0.1:0` and starts serving, one task per connection.
    /// Each item of `replies` is written as is; an empty one closes the
    /// connection without answering.
    pub async fn start(replies: Vec<Vec<u8>>) -> RawServer {
        RawServer::start_with(replies, None, 0).await
    }

    /// Like [`RawServer::start`], but after writing a reply the server
    /// keeps the connection open without sending anything more for
    /// `stall`, as a server that hangs halfway through a response does.
    pub async fn start_stalling(replies: Vec<Vec<u8>>, stall: Duration) -> RawServer {
        RawServer::start_with(replies, Some(stall), 0).await
    }

    /// Like [`RawServer::start`], but the connections of the first `resets`
    /// replies are reset (RST) right after the reply is written, rather than
    /// closed.
    pub async fn start_resetting(replies: Vec<Vec<u8>>, resets: usize) -> RawServer {
        RawServer::start_with(replies, None, resets).await
    }

    async fn start_with(
        replies: Vec<Vec<u8>>,
        stall: Option<Duration>,
        resets: usize,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(RawState {
            replies: Mutex::new(replies.into()),
            requests: Mutex::default(),
            stall,
            resets: Mutex::new(resets),
        });
        let accept_state = Arc::clone(&state);
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_raw(stream, Arc::clone(&accept_state)));
            }
        });
        RawServer {
            address,
            state,
            accept_loop,
        }
    }

    /// The base URL of the server, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// A complete raw response: the status line, `headers`, the body's real
/// `Content-Length` and `Connection: close`, then `body`.
pub fn raw_response(status_line: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status_line}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

async fn serve_raw(stream: TcpStream, state: Arc<RawState>) {
    let mut reader = BufReader::new(stream);
    let Some(request) = read_raw_request(&mut reader).await else {
        return;
    };
    lock(&state.requests).push(request);
    let reset = {
        let mut resets = lock(&state.resets);
        let reset = *resets > 0;
        *resets = resets.saturating_sub(1);
        reset
    };
    let reply = lock(&state.replies).pop_front().unwrap_or_else(|| {
        raw_response(
            "500 Internal Server Error",
            &[("Content-Type", "text/plain")],
            b"the test server has no reply queued for this request",
        )
    });
    let stream = reader.get_mut();
    // The client may hang up first; that is its business.
    let _ = stream.write_all(&reply).await;
    let _ = stream.flush().await;
    if reset {
        // With a zero linger time, dropping the socket sends RST.
        let _ = stream.set_zero_linger();
        return;
    }
    if let Some(stall) = state.stall {
        tokio::time::sleep(stall).await;
    }
    let _ = stream.shutdown().await;
}

async fn read_raw_line(reader: &mut BufReader<TcpStream>) -> Option<String> {
    let mut line = String::new();
    let read = reader.read_line(&mut line).await.ok()?;
    (read > 0).then(|| line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn read_raw_request(reader: &mut BufReader<TcpStream>) -> Option<RecordedRequest> {
    let request_line = read_raw_line(reader).await?;
    let mut words = request_line.split(' ');
    let method = words.next()?.to_owned();
    let target = words.next()?;
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    let mut headers = Vec::new();
    loop {
        let line = read_raw_line(reader).await?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(RecordedRequest {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    /// The `name` of the `Content-Disposition` header.
    pub name: String,
    /// The `filename` of the `Content-Disposition` header, if any.
    pub file_name: Option<String>,
    /// The part's `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Every header of the part in order; names are lowercase.
    pub headers: Vec<(String, String)>,
    /// The content, byte for byte.
    pub data: Vec<u8>,
}

/// Parses a `multipart/form-data` body (RFC 7578) whose `Content-Type`
/// header is `content_type`.
///
/// Deliberately strict, so that a malformed body fails the test: the body
/// must start with the first boundary (no preamble), every boundary line
/// must end in CRLF, and nothing but an optional CRLF may follow the closing
/// boundary. Parameters of `Content-Disposition` are split at `;`, which is
/// enough for the names used in tests. Panics with an explanation on any
/// violation.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<MultipartPart> {
    let boundary = multipart_boundary(content_type);
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");

    let mut rest = body
        .strip_prefix(delimiter.as_bytes())
        .unwrap_or_else(|| panic!("body does not start with `{delimiter}`: {}", shown(body)));
    let mut parts = Vec::new();
    loop {
        if let Some(after_close) = rest.strip_prefix(b"--") {
            assert!(
                after_close.is_empty() || after_close == b"\r\n",
                "unexpected bytes after the closing boundary: {}",
                shown(after_close)
            );
            return parts;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .unwrap_or_else(|| panic!("no CRLF after a boundary: {}", shown(rest)));

        // Headers end with an empty line; a part may have none at all.
        let (header_block, after_headers) = match rest.strip_prefix(b"\r\n") {
            Some(after) => (&rest[..0], after),
            None => {
                let end = find(rest, b"\r\n\r\n")
                    .unwrap_or_else(|| panic!("part headers never end: {}", shown(rest)));
                (&rest[..end], &rest[end + 4..])
            }
        };
        let header_text = std::str::from_utf8(header_block).expect("part headers are UTF-8");

        let end = find(after_headers, next_delimiter.as_bytes())
            .unwrap_or_else(|| panic!("part is not followed by a boundary: {}", shown(rest)));
        parts.push(part_from(header_text, &after_headers[..end]));
        rest = &after_headers[end + next_delimiter.len()..];
    }
}

/// The `boundary` parameter of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> String {
    let mut pieces = content_type.split(';').map(str::trim);
    let media_type = pieces.next().unwrap_or_default();
    assert!(
        media_type.eq_ignore_ascii_case("multipart/form-data"),
        "not multipart/form-data: {content_type}"
    );
    let boundary = pieces
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| unquote(value.trim()).to_owned())
        .unwrap_or_else(|| panic!("no boundary in {content_type}"));
    assert!(!boundary.is_empty(), "empty boundary in {content_type}");
    boundary
}

/// Builds a part from its header lines and content.
fn part_from(header_text: &str, data: &[u8]) -> MultipartPart {
    let headers: Vec<(String, String)> = header_text
        .split("\r\n")
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("malformed part header line: {line:?}"));
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };

    let disposition = header("content-disposition")
        .unwrap_or_else(|| panic!("part without Content-Disposition: {headers:?}"));
    let mut pieces = disposition.split(';').map(str::trim);
    assert_eq!(pieces.next(), Some("form-data"), "{disposition}");
    let parameters: Vec<(&str, &str)> = pieces
        .filter_map(|piece| piece.split_once('='))
        .map(|(key, value)| (key.trim(), unquote(value.trim())))
        .collect();
    let parameter = |name: &str| {
        parameters
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| (*value).to_owned())
    };

    MultipartPart {
        name: parameter("name").unwrap_or_else(|| panic!("part without a name: {disposition}")),
        file_name: parameter("filename"),
        content_type: header("content-type"),
        data: data.to_vec(),
        headers,
    }
}

/// `value` without surrounding double quotes, if it has them.
fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(value)
}

/// Position of the first occurrence of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Bytes shown in a panic message, cut to a readable length.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    format!("{text:?}")
}
