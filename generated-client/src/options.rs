//! Settings of one request that override the client's: timeout, retry
//! policy and extra headers ([`RequestOptions`]).

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::client::RetryPolicy;
use crate::error::InvalidInput;

/// Settings that every request builder accepts, overriding the client's for
/// that request only.
///
/// Every request builder implements this trait (it is in the
/// [`prelude`](crate::prelude)); it cannot be implemented outside this
/// crate.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use generated_client::{Client, RetryPolicy, prelude::*, types};
///
/// let client = Client::new("YOUR_API_ACCESS_TOKEN")?;
/// let application_id: types::ApplicationId = "575ec8687ae143cd83dc4a97".parse()?;
/// let notebook_id: types::NotebookId = "575ed78e7ae143cd83dc4aab".parse()?;
/// let notebook = client
///     .notebook()
///     .get(&application_id, &notebook_id)
///     .with_timeout(Duration::from_secs(5))
///     .with_retry(RetryPolicy::none())
///     .with_header("x-correlation-id", "job-42")
///     .await?;
/// println!("{:?}", notebook.name);
/// # Ok(())
/// # }
/// ```
pub trait RequestOptions: Sized + sealed::Sealed {
    /// The options set so far.
    #[doc(hidden)]
    fn request_options(&mut self) -> &mut RequestOptionValues;

    /// Total time each attempt of this request may take, from connecting to
    /// reading the last byte of the response, instead of the client's
    /// timeout.
    fn with_timeout(mut self, timeout: Duration) -> Self {
        self.request_options().timeout = Some(timeout);
        self
    }

    /// Retry this request by `policy` instead of the client's retry policy
    /// (for example [`RetryPolicy::none`] for a request the caller retries
    /// itself).
    fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.request_options().retry = Some(policy);
        self
    }

    /// Sends the header `name: value` with this request, after the
    /// client's headers and the request's parameters, replacing a header of
    /// the same name. A name or value that cannot be sent fails the request
    /// with [`Error::InvalidInput`](crate::Error::InvalidInput) before
    /// anything is sent.
    fn with_header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        let options = self.request_options();
        let name = HeaderName::try_from(name);
        let value = HeaderValue::try_from(value);
        match (name, value) {
            (Ok(name), Ok(value)) => options.headers.push((name, value)),
            (Err(_), _) => {
                options.reject(InvalidInput::new("header", "is not a valid header name"))
            }
            (Ok(name), Err(_)) => options.reject(InvalidInput::new(
                name.as_str(),
                "contains characters not allowed in an HTTP header",
            )),
        }
        self
    }
}

/// Keeps [`RequestOptions`] and [`GlobalParameters`](crate::GlobalParameters)
/// implemented by this crate's request builders only, so methods can be
/// added to them without breaking anyone.
pub(crate) mod sealed {
    /// Implemented by every generated request builder.
    pub trait Sealed {}
}

/// The values set through [`RequestOptions`]; every request builder holds
/// one (inside its `GlobalParameterValues`). Opaque to users.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct RequestOptionValues {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The first header that was rejected.
    pub(crate) error: Option<InvalidInput>,
}

impl RequestOptionValues {
    fn reject(&mut self, invalid: InvalidInput) {
        self.error.get_or_insert(invalid);
    }
}

impl fmt::Debug for RequestOptionValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: an extra header may carry a credential.
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptionValues")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}
