//! Typed async client for the WEGnology platform REST API (the same API as
//! Losant's), generated from the spec in `api-spec/`.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use generated_client::{Client, types};
//!
//! let client = Client::new("YOUR_API_ACCESS_TOKEN")?;
//! let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
//! let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
//!
//! let notebook = client.notebook().get(&application_id, &notebook_id).await?;
//! println!("{:?}", notebook.name);
//! # Ok(())
//! # }
//! ```
//!
//! - [`Client`] is built from an API access token ([`Client::new`],
//!   [`Client::from_env`], or [`Client::builder`] for the base URL,
//!   timeouts, retries, `Accept-Version` or your own `reqwest::Client`). It
//!   is a cheap handle to clone.
//! - Each resource is a method of the client (`client.notebook()`), and each
//!   of its actions a method that takes the required arguments and returns a
//!   request builder: set optional parameters on it (and, through
//!   [`RequestOptions`], a timeout, retry policy or headers for that request
//!   alone), then `.await` it. Builders and their [`ResponseFuture`]s own
//!   what they need, so they can be spawned.
//! - [`types`] holds the request and response types; IDs are checked
//!   newtypes (`"…".parse::<types::NotebookId>()`).
//! - Every failure is an [`Error`]: an API error with the status and the
//!   error body's `type` ([`ErrorKind`]) and `message`, a transport error, a
//!   body that does not decode, or invalid input caught before sending.
//!
//! The modules `types` and one per resource are generated (`src/generated/`,
//! by `cargo xtask codegen`); the runtime they call (`client`, `request`,
//! `error`, `future`, `options`, `upload`, `validate`, ...) is written by
//! hand.
//!
#![doc = include_str!("generated/resources.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings), allow(dead_code))))]

mod client;
mod error;
mod future;
#[doc(hidden)]
pub mod sse;
#[rustfmt::skip]
mod generated;
mod impls;
mod js_number;
#[doc(hidden)]
pub mod json;
#[cfg(feature = "mock")]
pub mod mock;
mod options;
#[doc(hidden)]
pub mod pagination;
mod pattern;
mod query;
mod request;
mod time;
mod upload;
#[doc(hidden)]
pub mod validate;
#[doc(hidden)]
pub mod waiter;

pub use client::{Client, ClientBuilder, DEFAULT_ACCEPT_VERSION, RetryPolicy};
pub use error::{ApiError, Error, ErrorKind, InvalidInput};
pub use future::ResponseFuture;
pub use generated::*;
pub use options::{RequestOptionValues, RequestOptions};
pub use sse::{EventStream, Reconnect};
// Types of these crates appear in the public API (`Error::Transport`,
// `Error::status`, `ClientBuilder::http_client`), so users can name them
// without depending on the same version themselves.
#[doc(hidden)]
pub use request::{ApiRequest, Operation};
pub use reqwest::{self, StatusCode};
pub use time::{Timestamp, TimestampOutOfRange};
pub use upload::FilePart;

// The README's examples compile as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

/// The traits a caller needs in scope, in one import:
/// `use generated_client::prelude::*;`.
pub mod prelude {
    pub use crate::{GlobalParameters, RequestOptions};
    pub use futures_util::{StreamExt, TryStreamExt};
}
