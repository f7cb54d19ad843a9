//! Server-sent event streams: what the builder of an operation with
//! `events` turns into. [`EventStream`] reads the `text/event-stream`
//! body through `sse_stream`'s parser (which splits it into event blocks),
//! and does what an `EventSource` does around it: it remembers the last
//! event ID and the server's reconnection delay, skips keep-alive comments
//! and blocks without data, decodes each event into the operation's
//! generated enum, and reopens the connection when the caller asked for it
//! ([`Reconnect`]).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::{HeaderName, HeaderValue};
use sse_stream::SseByteStream;
use tracing::Instrument;
use url::Url;

use crate::client::Client;
use crate::error::{self, Error};
use crate::request::ApiRequest;

/// The header that tells the server the ID of the last event received.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// An event of a stream, as the generated enum of each stream operation
/// implements it.
#[doc(hidden)]
pub trait StreamEvent: Sized {
    /// The event called `event` (`message` when the server named none),
    /// from its `data`; an event the spec does not list is kept as it came.
    fn decode(event: &str, data: &str) -> Result<Self, serde_json::Error>;

    /// The event's name and `data`, as a server sends them (for the mock
    /// server).
    fn encode(&self) -> Result<(String, String), serde_json::Error>;
}

/// Whether and how often an event stream is opened again when its
/// connection ends or breaks (set with the stream builder's `reconnect`).
///
/// A reconnection waits the delay the server last sent in a `retry:` field
/// (or [`default_delay`](Self::default_delay) when it sent none), then
/// sends the request again, with the same headers and the `Last-Event-ID`
/// of the last event that had an `id:`. At most
/// [`max_attempts`](Self::max_attempts) reconnections are made in a row
/// without an event in between; an event resets the count.
///
/// ```
/// use std::time::Duration;
/// use generated_client::Reconnect;
///
/// let policy = Reconnect::max_attempts(10).default_delay(Duration::from_secs(1));
/// assert_eq!(policy.attempts(), 10);
/// assert_eq!(Reconnect::default(), Reconnect::none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reconnect {
    attempts: u32,
    default_delay: Duration,
}

impl Reconnect {
    /// The delay before reconnecting when the server sent no `retry:`:
    /// 3 s, as browsers' `EventSource`.
    pub const DEFAULT_DELAY: Duration = Duration::from_secs(3);

    /// Never reconnect: the stream ends with its connection (the default).
    pub fn none() -> Reconnect {
        Reconnect {
            attempts: 0,
            default_delay: Self::DEFAULT_DELAY,
        }
    }

    /// Reconnect up to `attempts` times in a row without an event received
    /// in between.
    pub fn max_attempts(attempts: u32) -> Reconnect {
        Reconnect {
            attempts,
            ..Reconnect::none()
        }
    }

    /// The delay before reconnecting when the server sent no `retry:`
    /// (default [`Reconnect::DEFAULT_DELAY`]).
    pub fn default_delay(mut self, delay: Duration) -> Reconnect {
        self.default_delay = delay;
        self
    }

    /// How many reconnections in a row are allowed.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect::none()
    }
}

/// The events of a server-sent event stream operation, in the order the
/// server sends them: a [`Stream`] of `Result<E, Error>`, where `E` is the
/// operation's generated event enum. Read it with `StreamExt::next` or
/// `TryStreamExt::try_next` (both in the [prelude](crate::prelude)).
///
/// - Comments (keep-alive lines starting with `:`) and blocks without
///   `data` are skipped; an `id:` is remembered
///   ([`last_event_id`](Self::last_event_id)), and so is a `retry:`.
/// - An event whose `data` is not the documented JSON is an
///   [`Error::EventDecode`] item, with a snippet of the data; the stream
///   goes on with the next event.
/// - The stream ends (`None`) when the server closes the connection, and a
///   connection that breaks is an [`Error::Transport`] item before the end.
///   With [`Reconnect`], the connection is opened again instead; a
///   reconnection the server answers with a status outside 2xx is an
///   [`Error::Api`] item, and ends the stream unless the status is one to
///   try again later (429, 502, 503, 504) and attempts remain; one that
///   cannot connect is tried again while attempts remain. The last failure
///   is the last item.
/// - The request's timeout ([`RequestOptions::with_timeout`](crate::RequestOptions::with_timeout),
///   or the client's) bounds the wait for the answer to each connection,
///   not the stream: a stream stays open as long as the server keeps it.
///   (A `reqwest::Client` brought with
///   [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
///   keeps its own total timeout, which does end streams.)
///
/// It owns what it needs (`Send + 'static`), so it can be moved into a task.
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<E> {
    connection: Connection,
    state: State,
    event: PhantomData<fn() -> E>,
}

/// What reconnecting needs, and what the stream remembers.
struct Connection {
    client: Client,
    request: ApiRequest,
    url: Url,
    span: tracing::Span,
    reconnect: Reconnect,
    /// Sent as `Last-Event-ID` when not empty.
    last_event_id: String,
    /// The server's last `retry:`.
    retry: Option<Duration>,
    /// Reconnections since the last event.
    reconnections: u32,
}

/// The body of an open connection, split into event blocks.
type Body = SseByteStream<Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>>;

/// A connection being opened: its 2xx response, or why there is none.
type Connecting = Pin<Box<dyn Future<Output = Result<reqwest::Response, Error>> + Send>>;

enum State {
    Open(Body),
    Waiting(Pin<Box<tokio::time::Sleep>>),
    Connecting(Connecting),
    Ended,
}

impl<E: Send + 'static> EventStream<E> {
    /// Opens the stream of `request`: resolves once the server answered
    /// 2xx, or fails as any request does (invalid input, a status outside
    /// 2xx, a transport failure). What the generated builders' `send` calls.
    #[doc(hidden)]
    pub fn open(
        client: Client,
        mut request: ApiRequest,
        reconnect: Reconnect,
        last_event_id: Option<String>,
    ) -> crate::ResponseFuture<EventStream<E>> {
        crate::ResponseFuture::new(async move {
            if let Some(error) = request.take_error() {
                return Err(error);
            }
            client.check_token(&request)?;
            let url = client.request_url(&request)?;
            let span = request.span();
            let connection = Connection {
                client,
                request,
                url,
                span,
                reconnect,
                last_event_id: last_event_id.unwrap_or_default(),
                retry: None,
                reconnections: 0,
            };
            let response = connection.connect().await?;
            Ok(EventStream {
                connection,
                state: State::Open(body(response)),
                event: PhantomData,
            })
        })
    }
}

impl<E> EventStream<E> {
    /// The ID of the last event that had an `id:` (`None` before the
    /// first, or after the server reset it with an empty one): what a
    /// reconnection sends as `Last-Event-ID`, and what a later stream can
    /// resume from with its builder's `last_event_id`.
    pub fn last_event_id(&self) -> Option<&str> {
        Some(self.connection.last_event_id.as_str()).filter(|id| !id.is_empty())
    }

    /// The reconnection delay the server last asked for with `retry:`.
    pub fn retry(&self) -> Option<Duration> {
        self.connection.retry
    }

    /// The connection ended (`error` is why, if it broke): waits to open
    /// it again if the policy allows, or ends the stream with `error`.
    fn lost(&mut self, error: Option<Error>) -> Option<Error> {
        if self.connection.reconnections < self.connection.reconnect.attempts {
            self.connection.span.in_scope(|| {
                tracing::debug!(
                    broken = error.is_some(),
                    "event stream connection ended; reconnecting"
                );
            });
            self.wait();
            None
        } else {
            self.state = State::Ended;
            error
        }
    }

    /// Waits the reconnection delay, then connects again.
    fn wait(&mut self) {
        self.connection.reconnections += 1;
        let delay = self
            .connection
            .retry
            .unwrap_or(self.connection.reconnect.default_delay);
        self.state = State::Waiting(Box::pin(tokio::time::sleep(delay)));
    }
}

impl<E: StreamEvent> Stream for EventStream<E> {
    type Item = Result<E, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                State::Open(body) => match ready!(Pin::new(body).poll_next(cx)) {
                    Some(Ok(block)) => {
                        // As an `EventSource` does: the ID and the delay are
                        // taken from every block, events only from blocks
                        // with data.
                        if let Some(id) = block.id {
                            this.connection.last_event_id = id;
                        }
                        if let Some(millis) = block.retry {
                            this.connection.retry = Some(Duration::from_millis(millis));
                        }
                        let Some(data) = block.data else { continue };
                        this.connection.reconnections = 0;
                        let name = match block.event.as_deref() {
                            None | Some("") => "message",
                            Some(name) => name,
                        };
                        let event = E::decode(name, &data).map_err(|source| Error::EventDecode {
                            event: name.to_owned(),
                            snippet: error::snippet(data.as_bytes(), ""),
                            source,
                        });
                        return Poll::Ready(Some(event));
                    }
                    Some(Err(broken)) => {
                        let broken = match broken {
                            sse_stream::Error::Body(inner) => {
                                match inner.downcast::<reqwest::Error>() {
                                    Ok(transport) => Error::Transport(*transport),
                                    Err(other) => Error::EventStream(other),
                                }
                            }
                            other => Error::EventStream(Box::new(other)),
                        };
                        if let Some(error) = this.lost(Some(broken)) {
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                    // A clean close: the next turn reconnects or ends.
                    None => {
                        this.lost(None);
                    }
                },
                State::Waiting(sleep) => {
                    ready!(sleep.as_mut().poll(cx));
                    this.state = State::Connecting(this.connection.connect());
                }
                State::Connecting(connecting) => match ready!(connecting.as_mut().poll(cx)) {
                    Ok(response) => this.state = State::Open(body(response)),
                    Err(error) => {
                        let again = error.is_retryable()
                            && this.connection.reconnections < this.connection.reconnect.attempts;
                        if again {
                            this.connection.span.in_scope(|| {
                                tracing::debug!(error = %error, "reconnecting failed; trying again");
                            });
                            this.wait();
                        } else {
                            this.state = State::Ended;
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                },
                State::Ended => return Poll::Ready(None),
            }
        }
    }
}

impl Connection {
    /// Sends the request (with `Last-Event-ID` when an ID is known) and
    /// waits for a 2xx answer, within the request's timeout. The stream
    /// itself has no deadline: the timeout is taken off the request.
    fn connect(&self) -> Connecting {
        let mut extra = Vec::new();
        if !self.last_event_id.is_empty() {
            // An ID holds no line break or NUL (the parser drops such
            // lines), but may hold control characters no header can carry.
            match HeaderValue::from_bytes(self.last_event_id.as_bytes()) {
                Ok(value) => extra.push((LAST_EVENT_ID, value)),
                Err(_) => tracing::debug!("the last event ID cannot be sent in a header"),
            }
        }
        let mut prepared = self.client.prepare_request(
            &self.request,
            self.url.clone(),
            HeaderValue::from_static("text/event-stream"),
            &extra,
        );
        let timeout = prepared.timeout_mut().take();
        let client = self.client.clone();
        let span = self.span.clone();
        let answer = async move {
            let response = client
                .inner
                .http
                .execute(prepared)
                .await
                .map_err(Error::Transport)?;
            tracing::Span::current().record("status", response.status().as_u16());
            if response.status().is_success() {
                tracing::debug!("event stream opened");
                Ok(response)
            } else {
                Err(error::api_error(response, client.inner.token.expose()).await)
            }
        };
        Box::pin(
            async move {
                match timeout {
                    Some(waited) => tokio::time::timeout(waited, answer)
                        .await
                        .unwrap_or(Err(Error::StreamOpenTimeout { waited })),
                    None => answer.await,
                }
            }
            .instrument(span),
        )
    }
}

/// The body of a 2xx answer, as event blocks.
fn body(response: reqwest::Response) -> Body {
    SseByteStream::new(Box::pin(response.bytes_stream()))
}

impl<E> fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("last_event_id", &self.last_event_id())
            .field("retry", &self.connection.retry)
            .field("reconnect", &self.connection.reconnect)
            .finish_non_exhaustive()
    }
}
