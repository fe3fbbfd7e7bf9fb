//! Configuration: credentials, tier, base URL, user agent, and the runtime settings (retries,
//! rate limit, timeouts, clock) the request hook applies.

use crate::clock::{Clock, SystemClock};
use crate::rate_limit::{Limiter, RateLimit};
use crate::{Error, RetryPolicy, Tier};
use base64::Engine as _;
use progenitor_client::ClientInfo as _;
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The production base URL of the Crisp REST API v1.
pub const DEFAULT_BASE_URL: &str = "https://api.crisp.chat/v1";
/// The default timeout of each attempt of a request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// The user agent every request carries (an application suffix may follow).
pub const USER_AGENT: &str = concat!("crisp-api-rust/", env!("CARGO_PKG_VERSION"));

/// A secret (a token key): its `Debug` output is `<redacted>`, and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into())
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A token identifier and key. The key never appears in `Debug` output.
#[derive(Clone)]
pub struct Credentials {
    identifier: String,
    key: Secret,
}

impl Credentials {
    /// Credentials from a token identifier and key.
    pub fn new(identifier: impl Into<String>, key: impl Into<String>) -> Self {
        Credentials {
            identifier: identifier.into(),
            key: Secret::new(key),
        }
    }

    /// The token identifier (not secret).
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// The token key (the real-time socket sends it in its `authentication` message).
    #[cfg_attr(not(feature = "rtm"), allow(dead_code))]
    pub(crate) fn key(&self) -> &Secret {
        &self.key
    }

    fn authorization(&self) -> Result<HeaderValue, Error> {
        let token = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.identifier,
            self.key.expose()
        ));
        let mut value = HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|_| Error::config("credentials", "not representable in a header"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("identifier", &self.identifier)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// State shared by every request of a client (and its clones): what the request hook adds.
#[derive(Clone)]
pub struct Inner {
    /// `None` for a client without credentials (to log in with the legacy user routes).
    pub(crate) credentials: Option<Credentials>,
    /// The `Authorization` header of `credentials`, computed once.
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) tier: Tier,
    pub(crate) user_agent: HeaderValue,
    /// The base URL: every request goes to its origin, and an answer from another origin (a
    /// redirect followed by a caller's own HTTP client) is refused.
    pub(crate) origin: reqwest::Url,
    pub(crate) runtime: Runtime,
    /// The extra trusted roots (DER), for the RTM socket's TLS.
    #[cfg_attr(not(feature = "rtm"), allow(dead_code))]
    pub(crate) roots: Vec<Vec<u8>>,
}

/// What the request hook needs beyond headers: retries, rate limit, timeouts and clock.
#[derive(Clone, Debug)]
pub(crate) struct Runtime {
    pub(crate) retry: RetryPolicy,
    /// Shared with every clone of the client.
    pub(crate) limiter: Option<Arc<Limiter>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) attempt_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    /// The timeout the HTTP client applies by itself, when it is the SDK's own (built with
    /// `attempt_timeout`): a request then carries its own timeout only when the deadline
    /// shortens it (a per-request timeout costs each request an allocated extension).
    pub(crate) client_timeout: Option<Duration>,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner")
            .field(
                "identifier",
                &self.credentials.as_ref().map(Credentials::identifier),
            )
            .field("key", &"<redacted>")
            .field("tier", &self.tier)
            .field("user_agent", &self.user_agent)
            .field("runtime", &self.runtime)
            .finish()
    }
}

/// Builds a [`Client`](crate::Client); see [`Client::builder`](crate::Client::builder).
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    tier: Tier,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    app: Option<String>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    rate_limit: Option<RateLimit>,
    deadline: Option<Duration>,
    clock: Option<Arc<dyn Clock>>,
    roots: Vec<Vec<u8>>,
}

impl ClientBuilder {
    /// The token identifier and key. Every operation but the legacy login
    /// (`login_with_email`, which is how a user-tier token is obtained) needs them; a client
    /// built without them sends no `Authorization` header.
    pub fn credentials(mut self, identifier: impl Into<String>, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::new(identifier, key));
        self
    }

    /// The token tier (default [`Tier::Plugin`]).
    pub fn tier(mut self, tier: Tier) -> Self {
        self.tier = tier;
        self
    }

    /// Another base URL, such as a proxy or a local mock (default [`DEFAULT_BASE_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeout of each attempt of a request, from connecting until the response body is read
    /// (default [`DEFAULT_TIMEOUT`]; it applies with [`Self::http_client`] too). A retry gets a fresh timeout; see [`Self::deadline`] for a
    /// bound on the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Timeout of establishing a connection; ignored with [`Self::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Bounds each call, retries and waits included: no attempt starts or runs past it, and
    /// no retry is scheduled that would end after it (default: none).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]; use
    /// [`RetryPolicy::none`] to send each request once).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Limits the request rate of this client and all its clones (default: no limit).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The clock used for back-off, `Retry-After`, rate limiting and deadlines (default
    /// [`SystemClock`]); tests pass a [`VirtualClock`](crate::clock::VirtualClock).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Appends `app` (such as `my-bot/1.2`) to the user agent `crisp-api-rust/<version>`.
    pub fn user_agent_suffix(mut self, app: impl Into<String>) -> Self {
        self.app = Some(app.into());
        self
    }

    /// Also trusts this root certificate (DER), on top of the platform's: for a corporate TLS
    /// proxy, or a local test server. The REST client ignores it with [`Self::http_client`];
    /// the real-time socket (feature `rtm`) always uses it.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.roots.push(der.into());
        self
    }

    /// Uses the caller's own `reqwest::Client` (its connect timeout, proxy and TLS settings
    /// apply; the SDK still adds authentication, tier, user agent, retries and the per-attempt
    /// timeout to each request).
    ///
    /// Start from [`crate::http_client_builder`], or build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: Crisp's API never redirects, and a client that follows redirects would carry the request (its body, and
    /// the credentials for a same-host redirect) elsewhere before the SDK sees the answer. The
    /// SDK refuses a response that came from another origin than the base URL's
    /// ([`Error::Redirect`]), but cannot undo what was sent.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client. Fails when the base URL or the user agent is malformed.
    ///
    /// Without [`Self::credentials`] the client sends no `Authorization` header: that is for
    /// logging in (the legacy `login_with_email`, which returns a user-tier token); Crisp
    /// refuses every other route with `401`.
    ///
    /// ```
    /// # fn run() -> Result<(), crisp_api::Error> {
    /// use crisp_api::{Client, Tier};
    /// let anonymous = Client::builder().tier(Tier::User).build()?;
    /// assert_eq!(anonymous.identifier(), None);
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn build(self) -> Result<crate::Client, Error> {
        let base = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let parsed = reqwest::Url::parse(&base)
            .map_err(|e| Error::config("base_url", format!("`{base}` is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::config(
                "base_url",
                format!("`{base}` is not an http(s) URL"),
            ));
        }
        let ua = match &self.app {
            Some(app) => format!("{USER_AGENT} {app}"),
            None => USER_AGENT.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&ua)
            .map_err(|_| Error::config("user_agent_suffix", "not a valid header value"))?;
        let attempt_timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let (http, client_timeout) = match self.http {
            Some(http) => (http, None),
            None => {
                // Crisp never redirects: a 3xx is an error, never followed to another host.
                let mut b = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(attempt_timeout);
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b = crate::tls::configure(b, &self.roots)?;
                let http = b
                    .build()
                    .map_err(|e| Error::config("http_client", e.to_string()))?;
                (http, Some(attempt_timeout))
            }
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let inner = Inner {
            authorization: self
                .credentials
                .as_ref()
                .map(Credentials::authorization)
                .transpose()?,
            credentials: self.credentials,
            tier: self.tier,
            user_agent,
            origin: parsed,
            roots: self.roots,
            runtime: Runtime {
                retry: self.retry.unwrap_or_default(),
                limiter: match self.rate_limit {
                    Some(limit) if !limit.is_valid() => {
                        return Err(Error::config(
                            "rate_limit",
                            "requests per second must be a positive number",
                        ));
                    }
                    Some(limit) => Some(Arc::new(Limiter::new(limit, clock.now()))),
                    None => None,
                },
                clock,
                attempt_timeout,
                deadline: self.deadline,
                client_timeout,
            },
        };
        Ok(crate::Client::new_with_client(
            base.trim_end_matches('/'),
            http,
            inner,
        ))
    }

    /// Reads the configuration from the environment: `CRISP_IDENTIFIER` and `CRISP_KEY`
    /// (required), `CRISP_TIER` (`plugin`, `website` or `user`; default `plugin`) and
    /// `CRISP_API_URL` (default [`DEFAULT_BASE_URL`]).
    pub fn from_env(self) -> Result<Self, Error> {
        self.from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`] with any source of variables (for tests and config files).
    pub fn from_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let required = |name: &'static str| -> Result<String, Error> {
            match lookup(name) {
                Some(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
                Some(_) => Err(Error::config(name, "is empty")),
                None => Err(Error::config(name, "is not set")),
            }
        };
        let identifier = required("CRISP_IDENTIFIER")?;
        let key = required("CRISP_KEY")?;
        self.credentials = Some(Credentials::new(identifier, key));
        if let Some(t) = lookup("CRISP_TIER").filter(|t| !t.trim().is_empty()) {
            self.tier = t
                .parse()
                .map_err(|e: String| Error::config("CRISP_TIER", e))?;
        }
        if let Some(url) = lookup("CRISP_API_URL").filter(|u| !u.trim().is_empty()) {
            reqwest::Url::parse(url.trim()).map_err(|e| {
                Error::config("CRISP_API_URL", format!("`{url}` is not a URL: {e}"))
            })?;
            self.base_url = Some(url.trim().to_owned());
        }
        Ok(self)
    }
}

impl crate::Client {
    /// A builder for a client.
    ///
    /// ```
    /// use crisp_api::{Client, Tier};
    /// let client = Client::builder()
    ///     .credentials("7c3ef21c-1e04-41ce-8c06-5605c346f73e", "my-secret-key")
    ///     .tier(Tier::Website)
    ///     .user_agent_suffix("my-bot/1.0")
    ///     .build()?;
    /// assert_eq!(client.tier(), Tier::Website);
    /// # Ok::<(), crisp_api::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `CRISP_IDENTIFIER`, `CRISP_KEY`, `CRISP_TIER` and
    /// `CRISP_API_URL`; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::default().from_env()?.build()
    }

    /// The tier this client sends.
    pub fn tier(&self) -> Tier {
        progenitor_client::ClientInfo::inner(self).tier
    }

    /// The token identifier this client authenticates with (`None` without credentials).
    pub fn identifier(&self) -> Option<&str> {
        progenitor_client::ClientInfo::inner(self)
            .credentials
            .as_ref()
            .map(Credentials::identifier)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(self)
    }
}

impl crate::Client {
    /// A copy of this client with another retry policy, sharing its connection pool and rate
    /// limit. This is how one call opts in to retrying a `POST`:
    ///
    /// ```no_run
    /// # async fn run(client: crisp_api::Client) -> Result<(), crisp_api::Error> {
    /// use crisp_api::RetryPolicy;
    /// use crisp_api::message::{NewMessage, Sender};
    ///
    /// // Sending twice is acceptable for this bot; retry its messages too.
    /// let retrying = client.with_retry(RetryPolicy::default().retry_post_and_patch(true));
    /// retrying
    ///     .send_message_in_conversation()
    ///     .website_id("8c842203-7ed8-4e29-a608-7cf78a7d2fcc")
    ///     .session_id("session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881")
    ///     .body(NewMessage::note(Sender::Operator, "Escalated to tier 2"))
    ///     .call()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn with_retry(&self, policy: RetryPolicy) -> crate::Client {
        let mut inner = self.inner().clone();
        inner.runtime.retry = policy;
        crate::Client::new_with_client(self.baseurl(), self.client().clone(), inner)
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner().runtime.retry
    }
}
