//! The API client, its builder and its retry policy.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use crate::error::{Error, InvalidInput};

/// Total time one attempt may take unless [`ClientBuilder::timeout`] says
/// otherwise. Generous, because uploads go through the same limit, but finite
/// so a server that stops answering does not hang the caller forever.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Time allowed to open a connection unless
/// [`ClientBuilder::connect_timeout`] says otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The crate and its version, which begin every `User-Agent` the client
/// sends ([`ClientBuilder::user_agent`] adds to it).
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The API versions the client asks for unless
/// [`ClientBuilder::accept_version`] says otherwise: the range the vendor's
/// own clients send, whose responses the generated types describe.
pub const DEFAULT_ACCEPT_VERSION: &str = "^1.30.0";

/// A client of the API.
///
/// Cloning is cheap (the state is shared behind an `Arc`), and clones share
/// one connection pool, so clone it rather than building one per task.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

/// The shared state of a [`Client`].
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// Parsed and checked: http(s), a host, no credentials, query or fragment.
    pub(crate) base_url: Url,
    /// Kept to scrub it from error bodies a server might echo it into
    /// (empty for a client without a token).
    pub(crate) token: SecretToken,
    /// `Bearer <token>`, marked sensitive so `http` never prints it;
    /// `None` for a client built without a token.
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) user_agent: HeaderValue,
    /// `Accept-Version`, sent on every request unless the request's own
    /// `accept_version` global parameter replaces it.
    pub(crate) accept_version: HeaderValue,
    /// Set on each request (rather than in the HTTP client's
    /// configuration, so that an event stream can go without it): the
    /// timeout chosen, or the default for a client built here. `None` for
    /// a client brought without a chosen timeout, which keeps its own.
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) validate_requests: bool,
}

impl Client {
    /// The base URL every request path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Whether requests are checked against the API's constraints before
    /// they are sent (see [`ClientBuilder::validate_requests`]).
    pub fn validates_requests(&self) -> bool {
        self.inner.validate_requests
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Whether the client has a token: `false` for one built with
    /// `Client::builder_without_token()`, which may call only the actions
    /// the platform allows without one.
    pub fn has_token(&self) -> bool {
        self.inner.authorization.is_some()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No token, not even redacted: nothing about it is useful to print.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("request_timeout", &self.inner.request_timeout)
            .field("retry", &self.inner.retry)
            .field("validate_requests", &self.inner.validate_requests)
            .field("user_agent", &self.inner.user_agent)
            .field("accept_version", &self.inner.accept_version)
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`Client`].
///
/// Obtained from `Client::builder(token)`, `Client::builder_from_env()`
/// for the token and base URL in the environment, or
/// `Client::builder_without_token()` for the actions the platform allows
/// without a token.
pub struct ClientBuilder {
    /// `None`: a client without a token.
    token: Option<SecretToken>,
    base_url: String,
    /// `None` until [`ClientBuilder::timeout`] is called.
    timeout: Option<Duration>,
    connect_timeout: Duration,
    /// What the caller adds after [`USER_AGENT`], if anything.
    user_agent: Option<String>,
    accept_version: String,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    validate_requests: bool,
}

impl ClientBuilder {
    /// A builder for a client that authenticates with `token` and talks to
    /// `default_base_url` unless [`ClientBuilder::base_url`] is called.
    ///
    /// Called by the generated `Client::builder`, which knows the API's base
    /// URL.
    #[doc(hidden)]
    pub fn new(token: impl Into<String>, default_base_url: &'static str) -> ClientBuilder {
        ClientBuilder {
            token: Some(SecretToken(token.into())),
            ..ClientBuilder::anonymous(default_base_url)
        }
    }

    /// A builder for a client without a token, talking to
    /// `default_base_url` unless [`ClientBuilder::base_url`] is called: its
    /// requests carry no `Authorization` header, and an action that needs
    /// a token fails before sending.
    ///
    /// Called by the generated `Client::builder_without_token`, which
    /// knows the API's base URL.
    #[doc(hidden)]
    pub fn anonymous(default_base_url: &'static str) -> ClientBuilder {
        ClientBuilder {
            token: None,
            base_url: default_base_url.to_owned(),
            timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            accept_version: DEFAULT_ACCEPT_VERSION.to_owned(),
            http_client: None,
            retry: RetryPolicy::default(),
            validate_requests: true,
        }
    }

    /// The environment variable [`Client::from_env`] reads the API access
    /// token from.
    pub const TOKEN_VAR: &'static str = "WEGNOLOGY_API_TOKEN";

    /// The environment variable [`Client::from_env`] reads the base URL
    /// from, when it is set and not empty.
    pub const BASE_URL_VAR: &'static str = "WEGNOLOGY_API_URL";

    /// A builder configured from the environment ([`Self::TOKEN_VAR`],
    /// [`Self::BASE_URL_VAR`]), talking to `default_base_url` unless the
    /// base URL variable is set.
    ///
    /// Called by the generated `Client::from_env`.
    #[doc(hidden)]
    pub fn from_env(default_base_url: &'static str) -> Result<ClientBuilder, Error> {
        ClientBuilder::from_vars(default_base_url, |name| std::env::var_os(name))
    }

    /// [`ClientBuilder::from_env`] with the variables looked up by `var`.
    fn from_vars(
        default_base_url: &'static str,
        var: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Result<ClientBuilder, Error> {
        let text = |name: &str| match var(name).map(std::ffi::OsString::into_string) {
            None => Ok(None),
            Some(Ok(value)) => Ok(Some(value)),
            // The reason never quotes the value: it may be the token.
            Some(Err(_)) => Err(InvalidInput::new(name, "is not valid UTF-8")),
        };
        let token = match text(Self::TOKEN_VAR)? {
            Some(token) if !token.trim().is_empty() => token,
            Some(_) => return Err(InvalidInput::new(Self::TOKEN_VAR, "is empty").into()),
            None => return Err(InvalidInput::new(Self::TOKEN_VAR, "is not set").into()),
        };
        let mut builder = ClientBuilder::new(token, default_base_url);
        if let Some(base_url) = text(Self::BASE_URL_VAR)?.filter(|url| !url.trim().is_empty()) {
            builder = builder.base_url(base_url.trim());
        }
        Ok(builder)
    }

    /// Talk to this base URL instead of the default one, for example a
    /// private deployment or a test server. It may carry a path prefix
    /// (`http://127.0.0.1:8080/api`), with or without a trailing slash.
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        base_url.as_ref().clone_into(&mut self.base_url);
        self
    }

    /// Total time one attempt may take, from connecting to reading the last
    /// byte of the response (default 60 s). Each retry gets the full time
    /// again.
    ///
    /// With [`ClientBuilder::http_client`], the HTTP client's own timeout
    /// applies unless this is called; when it is, it is set on each request
    /// and wins over the HTTP client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection (default 10 s). Ignored when
    /// [`ClientBuilder::http_client`] provides the HTTP client, whose own
    /// setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// A product to name in the `User-Agent` header after the client's own
    /// (`generated-client/<version>`), such as `my-app/1.2`: the header is
    /// then `generated-client/<version> my-app/1.2`. Calling it again
    /// replaces what the previous call added.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The `Accept-Version` header sent with every request, the range of
    /// API versions whose responses the client accepts (default
    /// [`DEFAULT_ACCEPT_VERSION`], the range the generated types were made
    /// for). A request's own `accept_version` (see `GlobalParameters`)
    /// replaces it for that request.
    pub fn accept_version(mut self, range: impl Into<String>) -> Self {
        self.accept_version = range.into();
        self
    }

    /// Send requests through this HTTP client (to share its connection pool
    /// or use its proxy, TLS and timeout settings). Its configuration is
    /// kept as it is: no default timeout is added to it, only one set with
    /// [`ClientBuilder::timeout`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Whether requests are checked against the API's constraints (lengths,
    /// patterns, ranges, ...) before they are sent (default `true`). Turning
    /// it off lets the server be the judge, for example when it accepts more
    /// than the API description says.
    pub fn validate_requests(mut self, validate: bool) -> Self {
        self.validate_requests = validate;
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidInput`] naming the setting when the base
    /// URL is not an absolute `http`/`https` URL without credentials, query
    /// or fragment, or when the token or user agent cannot be sent in a
    /// header; with [`Error::Transport`] when the HTTP client cannot be
    /// created.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        let authorization = match &self.token {
            Some(token) => Some(token.authorization()?),
            None => None,
        };
        let user_agent = match &self.user_agent {
            Some(product) => header_value("user_agent", &format!("{USER_AGENT} {product}"))?,
            None => HeaderValue::from_static(USER_AGENT),
        };
        let accept_version = header_value("accept_version", &self.accept_version)?;
        let (http, request_timeout) = match self.http_client {
            Some(client) => (client, self.timeout),
            None => {
                let client = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(Error::Transport)?;
                (client, Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)))
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                token: self.token.unwrap_or(SecretToken(String::new())),
                authorization,
                user_agent,
                accept_version,
                request_timeout,
                retry: self.retry,
                validate_requests: self.validate_requests,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("has_token", &self.token.is_some())
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("accept_version", &self.accept_version)
            .field("custom_http_client", &self.http_client.is_some())
            .field("retry", &self.retry)
            .field("validate_requests", &self.validate_requests)
            .finish_non_exhaustive()
    }
}

/// A header value set on the builder, or an error naming the setting.
fn header_value(setting: &str, value: &str) -> Result<HeaderValue, InvalidInput> {
    HeaderValue::from_str(value).map_err(|_| {
        InvalidInput::new(setting, "contains characters not allowed in an HTTP header")
    })
}

/// Checks a base URL. Only the forms that can be joined with a request path
/// by plain concatenation are accepted, so that the path of every request is
/// exactly the base path followed by the encoded segments.
fn parse_base_url(text: &str) -> Result<Url, InvalidInput> {
    let invalid = |reason: String| InvalidInput::new("base_url", reason);
    let url = Url::parse(text).map_err(|error| invalid(error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme must be http or https, not `{}`",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(invalid("has no host".to_owned()));
    }
    // Credentials in the URL would end up in error messages (which show the
    // URL) and would compete with the bearer token.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not contain credentials".to_owned()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".to_owned()));
    }
    Ok(url)
}

/// The API token. Its `Debug` never shows it, so it cannot leak through a
/// derived `Debug` or a log line.
pub(crate) struct SecretToken(String);

impl SecretToken {
    /// The token, for scrubbing it from text.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization` header value, built once and marked sensitive.
    fn authorization(&self) -> Result<HeaderValue, InvalidInput> {
        if self.0.trim().is_empty() {
            return Err(InvalidInput::new("token", "is empty"));
        }
        // The reason never quotes the token: this error may well be logged.
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.0)).map_err(|_| {
            InvalidInput::new(
                "token",
                "contains characters not allowed in an HTTP header (a trailing newline?)",
            )
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

/// When and how often a failed request is tried again.
///
/// Which failures are retried depends on the method: `GET`, `HEAD`, `PUT`,
/// `DELETE` and `OPTIONS` on any failure [`Error::is_retryable`] names
/// (connection failures and timeouts, a 2xx body that breaks off, 429,
/// 502, 503, 504); `POST` and `PATCH` only when the connection could not be
/// made; a body read from a reader never. The wait before retry `n` is a
/// random duration between zero and `initial_backoff * 2^(n-1)`, capped at
/// `max_backoff` ("full jitter", so clients that failed together do not
/// retry together), unless the server says how long to wait with
/// `Retry-After`: a wait up to `max_backoff` is honoured, and a longer one
/// ends the retries at once with the server's error, whose
/// [`Error::retry_after`] tells the wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts in total, backing off from 200 ms up to 10 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is attempted once.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Attempts in total, the first one included (0 counts as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound of the wait before the first retry; it doubles for each
    /// further retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Longest wait before any retry, `Retry-After` included.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Attempts in total.
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether the client waits as long as a server's `Retry-After` asks
    /// (no `Retry-After` allows any retry).
    pub(crate) fn allows_wait(&self, retry_after: Option<Duration>) -> bool {
        retry_after.is_none_or(|wait| wait <= self.max_backoff)
    }

    /// How long to wait before retry number `retry` (1 for the first retry),
    /// given the server's `Retry-After`, if any (which [`Self::allows_wait`]
    /// has accepted).
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        scale(ceiling, random_u64())
    }
}

/// `duration * fraction / 2^64`, without floating point or overflow.
fn scale(duration: Duration, fraction: u64) -> Duration {
    let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
    let scaled = (u128::from(nanos) * u128::from(fraction)) >> 64;
    // `scaled < nanos`, so it fits in a u64.
    Duration::from_nanos(u64::try_from(scaled).unwrap_or(nanos))
}

/// A random number for jitter. `RandomState` is seeded randomly per process
/// (and varied per instance); hashing a counter with it is plenty for
/// spreading retries and avoids a dependency on a random number crate.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tok-3f9a8c1e-very-secret";

    fn builder() -> ClientBuilder {
        ClientBuilder::new(TOKEN, "https://api.example.test")
    }

    fn invalid_field(result: Result<Client, Error>) -> String {
        match result {
            Err(Error::InvalidInput(invalid)) => invalid.field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn builds_with_defaults() {
        let client = builder().build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://api.example.test/");
        assert!(client.validates_requests());
        assert_eq!(client.retry_policy(), &RetryPolicy::default());
        assert!(
            client
                .inner
                .authorization
                .as_ref()
                .is_some_and(HeaderValue::is_sensitive)
        );
        assert_eq!(
            client.inner.user_agent,
            format!("generated-client/{}", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(client.inner.accept_version, "^1.30.0");
    }

    #[test]
    fn user_agent_is_added_to_and_accept_version_replaced() {
        let client = builder()
            .user_agent("first/1")
            .user_agent("my-app/1.2")
            .accept_version("^1.31.0")
            .build()
            .unwrap();
        assert_eq!(
            client.inner.user_agent,
            format!("generated-client/{} my-app/1.2", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(client.inner.accept_version, "^1.31.0");
        assert_eq!(
            invalid_field(builder().accept_version("1\n").build()),
            "accept_version"
        );
    }

    #[test]
    fn accepts_base_urls_with_path_prefix_and_trailing_slash() {
        for base in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/api",
            "http://127.0.0.1:8080/api/",
        ] {
            let client = builder().base_url(base).build().unwrap();
            assert!(client.base_url().as_str().starts_with(base), "{base}");
        }
    }

    #[test]
    fn rejects_bad_base_urls() {
        for base in [
            "not a url",
            "/relative",
            "ftp://example.test",
            "http://user:pw@example.test",
            "http://example.test/?a=b",
            "http://example.test/#x",
        ] {
            assert_eq!(
                invalid_field(builder().base_url(base).build()),
                "base_url",
                "{base}"
            );
        }
    }

    #[test]
    fn rejects_bad_tokens_without_quoting_them() {
        let result = ClientBuilder::new("abc\ndef", "https://api.example.test").build();
        let text = format!("{}", result.as_ref().unwrap_err());
        assert!(!text.contains("abc"), "{text}");
        assert_eq!(invalid_field(result), "token");
        assert_eq!(
            invalid_field(ClientBuilder::new(" ", "https://api.example.test").build()),
            "token"
        );
        assert_eq!(
            invalid_field(builder().user_agent("a\u{7}b").build()),
            "user_agent"
        );
    }

    #[test]
    fn from_vars_reads_the_token_and_the_base_url() {
        let vars = |token: Option<&str>, url: Option<&str>| {
            let (token, url) = (token.map(String::from), url.map(String::from));
            move |name: &str| match name {
                "WEGNOLOGY_API_TOKEN" => token.clone().map(Into::into),
                "WEGNOLOGY_API_URL" => url.clone().map(Into::into),
                _ => None,
            }
        };
        let default = "https://api.example.test";
        let client = ClientBuilder::from_vars(default, vars(Some(TOKEN), None))
            .and_then(ClientBuilder::build)
            .unwrap();
        assert_eq!(client.base_url().as_str(), "https://api.example.test/");
        assert_eq!(client.inner.token.expose(), TOKEN);
        let client =
            ClientBuilder::from_vars(default, vars(Some(TOKEN), Some(" http://127.0.0.1:9/api ")))
                .and_then(ClientBuilder::build)
                .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/api");
        let client = ClientBuilder::from_vars(default, vars(Some(TOKEN), Some("")))
            .and_then(ClientBuilder::build)
            .unwrap();
        assert_eq!(client.base_url().as_str(), "https://api.example.test/");

        for (token, reason) in [(None, "is not set"), (Some(" "), "is empty")] {
            let error = ClientBuilder::from_vars(default, vars(token, None)).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("invalid WEGNOLOGY_API_TOKEN: {reason}")
            );
        }
    }

    #[test]
    fn debug_never_shows_the_token() {
        let builder = builder()
            .timeout(Duration::from_secs(5))
            .user_agent("agent/1");
        let text = format!("{builder:?}");
        assert!(!text.contains(TOKEN), "{text}");
        assert!(text.contains("agent/1"));
        let client = builder.build().unwrap();
        let text = format!("{client:?} {:#?}", client.clone());
        assert!(!text.contains(TOKEN), "{text}");
        assert!(text.contains("api.example.test"));
        assert_eq!(
            format!("{:?}", SecretToken(TOKEN.into())),
            "SecretToken(<redacted>)"
        );
    }

    #[test]
    fn backoff_is_jittered_exponential_and_capped() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(2, None) <= Duration::from_millis(200));
            assert!(policy.delay(3, None) <= Duration::from_millis(350));
            assert!(policy.delay(40, None) <= Duration::from_millis(350));
        }
        // Jitter: not every delay is the same.
        let delays: std::collections::HashSet<_> = (0..20).map(|_| policy.delay(3, None)).collect();
        assert!(delays.len() > 1);
        assert_eq!(
            policy.delay(1, Some(Duration::from_millis(350))),
            Duration::from_millis(350)
        );
        assert_eq!(policy.delay(1, Some(Duration::ZERO)), Duration::ZERO);
        assert!(policy.allows_wait(None));
        assert!(policy.allows_wait(Some(Duration::from_millis(350))));
        assert!(!policy.allows_wait(Some(Duration::from_millis(351))));
    }

    #[test]
    fn scale_does_not_overflow() {
        assert_eq!(
            scale(Duration::MAX, u64::MAX).as_nanos(),
            u128::from(u64::MAX - 1)
        );
        assert_eq!(scale(Duration::from_secs(1), 0), Duration::ZERO);
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
