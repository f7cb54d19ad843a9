//! A stand-in for the platform in your own tests (the `mock` feature).
//!
//! [`MockServer::start`] starts a real HTTP server on `127.0.0.1` (a
//! [wiremock](https://docs.rs/wiremock) server) and
//! [`MockServer::client`] gives a [`Client`] that talks to it. Each
//! resource has a typed accessor with one method per operation, taking the
//! operation's path components: say what to answer, then assert what was
//! called.
//!
//! ```no_run
//! # #[cfg(feature = "mock")]
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use generated_client::{mock::MockServer, types};
//!
//! let server = MockServer::start().await;
//! let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
//! let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
//! let at = "2016-06-13T04:00:00Z".parse()?;
//! let answered = types::Notebook::new(
//!     notebook_id.clone(),
//!     notebook_id.clone(),
//!     application_id.clone(),
//!     at,
//!     at,
//!     "My Notebook",
//! );
//! let mock = server
//!     .notebook()
//!     .get(&application_id, &notebook_id)
//!     .respond(&answered)
//!     .await;
//!
//! let notebook = server.client().notebook().get(&application_id, &notebook_id).await?;
//! assert_eq!(notebook, answered);
//! assert_eq!(mock.calls().await, 1);
//! # Ok(())
//! # }
//! ```
//!
//! A request no mock matches is answered `404` with an empty body, so the
//! client sees an [`Error::Api`](crate::Error::Api) with that status.

use crate::{Client, RetryPolicy};
use std::marker::PhantomData;

#[allow(unused_imports)] // empty in a build without resources
pub use crate::generated::mock::*;
pub use wiremock::Request;

/// A local HTTP server standing in for the platform, for tests.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl MockServer {
    /// Starts a server on a free port of `127.0.0.1`; it stops when
    /// dropped.
    pub async fn start() -> MockServer {
        // Anything no mock answers is a 404 with an empty body. (A
        // catch-all mock of lower priority would answer with the
        // platform's error body, but wiremock reorders its mocks by
        // priority, which breaks the call counts of scoped mocks.)
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL (`http://127.0.0.1:<port>`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client for this server, with a test token and no retries.
    ///
    /// # Panics
    ///
    /// Never for a started server: its URL is always a valid base URL.
    pub fn client(&self) -> Client {
        Client::builder("mock-token")
            .base_url(self.uri())
            .retry(RetryPolicy::none())
            .build()
            .expect("a mock server's URL is a valid base URL")
    }

    /// Every request the server received, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// What the generated per-operation methods call: a [`When`] for
    /// `method` on the path of `segments` (percent-encoded here, as the
    /// client encodes them), answered with `status` by default.
    #[doc(hidden)]
    pub fn when<T>(&self, method: &'static str, segments: &[&str], status: u16) -> When<'_, T> {
        let mut path = String::new();
        for segment in segments {
            path.push('/');
            path.extend(percent_encoding::utf8_percent_encode(
                segment,
                crate::request::SEGMENT,
            ));
        }
        When {
            server: self,
            method,
            path,
            status,
            status_of: None,
            answer: PhantomData,
        }
    }

    /// Like [`when`](Self::when), for an operation whose 2xx responses
    /// have different bodies: `status_of` tells the status of the answer
    /// given to [`respond`](When::respond).
    #[doc(hidden)]
    pub fn when_by_status<T>(
        &self,
        method: &'static str,
        segments: &[&str],
        status_of: fn(&T) -> u16,
    ) -> When<'_, T> {
        When {
            status_of: Some(status_of),
            ..self.when(method, segments, 200)
        }
    }
}

/// One operation called with given path components: say what the server
/// answers with [`respond`](When::respond) (the operation's documented
/// success) or [`respond_with`](When::respond_with) (any status and body).
#[must_use = "a mock does nothing until it is given an answer"]
pub struct When<'a, T> {
    server: &'a MockServer,
    method: &'static str,
    path: String,
    status: u16,
    /// For an answer that says its own status (the enum of an operation
    /// whose 2xx responses have different bodies).
    status_of: Option<fn(&T) -> u16>,
    answer: PhantomData<fn(&T)>,
}

impl<T> std::fmt::Debug for When<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("When")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish()
    }
}

impl<T: serde::Serialize> When<'_, T> {
    /// Answers with the operation's success status and `body`, as JSON.
    /// For an operation whose 2xx responses have different bodies, `body`
    /// is its response enum: the variant's status and body are sent (no
    /// body for a variant without one).
    pub async fn respond(self, body: &T) -> Mock {
        let status = self
            .status_of
            .map_or(self.status, |status_of| status_of(body));
        let body = serde_json::to_value(body).unwrap_or_default();
        if body.is_null() && self.status_of.is_some() {
            return self.mount(wiremock::ResponseTemplate::new(status)).await;
        }
        self.respond_with(status, body).await
    }
}

impl<T: crate::sse::StreamEvent> When<'_, T> {
    /// Answers a server-sent event stream with the operation's success
    /// status and `events`, in order, as a `text/event-stream` body; the
    /// connection then closes, so the client's stream yields them and ends.
    pub async fn respond_events(self, events: &[T]) -> Mock {
        let mut body = String::new();
        for (event, data) in events.iter().filter_map(|event| event.encode().ok()) {
            body.push_str(&format!("event: {event}\n"));
            for line in data.split('\n') {
                body.push_str(&format!("data: {line}\n"));
            }
            body.push('\n');
        }
        let answer =
            wiremock::ResponseTemplate::new(self.status).set_body_raw(body, "text/event-stream");
        self.mount(answer).await
    }
}

impl<T> When<'_, T> {
    /// Mounts `answer` for this operation's method and path.
    async fn mount(self, answer: wiremock::ResponseTemplate) -> Mock {
        let guard = wiremock::Mock::given(wiremock::matchers::method(self.method))
            .and(wiremock::matchers::path(self.path.as_str()))
            .respond_with(answer)
            .mount_as_scoped(&self.server.server)
            .await;
        Mock { guard }
    }

    /// Answers with any `status` and JSON `body`: an error the platform
    /// sends (`{"type": "NotFound", "message": "..."}`), or a body that is
    /// not the documented type.
    pub async fn respond_with(self, status: u16, body: serde_json::Value) -> Mock {
        self.mount(wiremock::ResponseTemplate::new(status).set_body_json(body))
            .await
    }
}

/// A mounted answer; it is removed when dropped. Ask it what was called.
pub struct Mock {
    guard: wiremock::MockGuard,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock").finish_non_exhaustive()
    }
}

impl Mock {
    /// How many requests this mock answered.
    pub async fn calls(&self) -> usize {
        self.guard.received_requests().await.len()
    }

    /// The requests this mock answered, in order: their query, headers
    /// and body, to assert on.
    pub async fn requests(&self) -> Vec<Request> {
        self.guard.received_requests().await
    }
}
