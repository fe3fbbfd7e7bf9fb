//! The transport: the one path every request takes, generated operations and raw calls alike.
//! It adds authentication, the tier and the user agent; waits for the rate limit; applies the
//! per-attempt timeout and the call's deadline; retries transient failures per the
//! [`RetryPolicy`](crate::RetryPolicy); traces the request; and returns an [`Answer`]: a 2xx
//! response whose body is still to read, a failure read once, an answer from another origin
//! refused unread, or a transport error. `src/status.rs` maps an answer to the SDK's result.

use crate::clock::Clock;
use crate::config::Runtime;
use crate::retry::{Decision, Outcome, decide, parse_retry_after};
use progenitor_client::ClientInfo;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use std::future::Future;
use std::time::{Duration, Instant};
use tracing::Instrument as _;
use tracing::field::Empty;

/// The `X-Crisp-Tier` header.
pub(crate) const TIER_HEADER: HeaderName = HeaderName::from_static("x-crisp-tier");

/// What the transport gives back for a request: its final answer, sorted by status once.
pub(crate) enum Answer {
    /// A 2xx response (the spec's `2XX`: Crisp answers 206 on partial lists), its body still
    /// to read by whoever decodes it.
    Success(Unread),
    /// Any other status, its body read once (boxed: failures are rare).
    Failure(Box<Failure>),
    /// A response from another origin than the API's (a caller's own `reqwest::Client`
    /// followed a redirect; Crisp never redirects): dropped unread. Holds that origin,
    /// `scheme://host[:port]`.
    Foreign(String),
    /// No response: the request could not be sent, or a failure's body could not be read;
    /// with the last attempt's timeout (for a timeout's message).
    Transport {
        /// reqwest's error.
        error: reqwest::Error,
        /// The last attempt's timeout.
        timeout: Option<Duration>,
    },
}

/// A 2xx response whose body is still to read, and the last attempt's timeout.
pub(crate) struct Unread {
    /// The response.
    pub(crate) response: reqwest::Response,
    /// The last attempt's timeout (reading the body may time out too).
    pub(crate) timeout: Option<Duration>,
}

/// A 2xx response read: status, headers and body.
pub(crate) struct Success {
    /// HTTP status.
    pub(crate) status: StatusCode,
    /// Response headers.
    pub(crate) headers: HeaderMap,
    /// The body.
    pub(crate) body: bytes::Bytes,
}

/// A failed response read once: status, headers and body, with the version and URL of the
/// response (for progenitor's terms, which hand a response back).
pub(crate) struct Failure {
    /// HTTP status.
    pub(crate) status: StatusCode,
    /// Response headers.
    pub(crate) headers: HeaderMap,
    /// The body.
    pub(crate) body: bytes::Bytes,
    /// HTTP version.
    pub(crate) version: http::Version,
    /// Where the response came from (never shown in errors: it may hold e-mail addresses).
    pub(crate) url: reqwest::Url,
}

impl Unread {
    /// Reads the body.
    pub(crate) async fn read(self) -> reqwest::Result<Success> {
        let mut response = self.response;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Success {
            status,
            headers,
            body,
        })
    }
}

impl Failure {
    /// Reads a failed response's body.
    async fn read(response: reqwest::Response) -> reqwest::Result<Failure> {
        let status = response.status();
        let version = response.version();
        let url = response.url().clone();
        let mut response = response;
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Failure {
            status,
            headers,
            body,
            version,
            url,
        })
    }
}

impl Answer {
    /// A received response sorted by status: a 2xx kept unread, anything else read once. A
    /// plain function: the 2xx path (every successful call) is ready at once, and the failure
    /// path is boxed (rare; a read future held inline would triple every call's future).
    pub(crate) fn of(
        response: reqwest::Response,
        timeout: Option<Duration>,
    ) -> futures::future::Either<
        std::future::Ready<Answer>,
        futures::future::BoxFuture<'static, Answer>,
    > {
        use futures::future::Either;
        if response.status().is_success() {
            return Either::Left(std::future::ready(Answer::Success(Unread {
                response,
                timeout,
            })));
        }
        Either::Right(Box::pin(async move {
            match Failure::read(response).await {
                Ok(failure) => Answer::Failure(Box::new(failure)),
                Err(error) => Answer::Transport { error, timeout },
            }
        }))
    }
}

/// Sends `request` of `operation` as the client is configured to: adds `Authorization`,
/// `X-Crisp-Tier` and `User-Agent`, traces it, retries and paces it (see [`attempts`]). Returns
/// the final [`Answer`].
///
/// A plain function returning the traced [`attempts`] future: the request is held once in the
/// future (an `async fn` keeps its arguments apart from its locals, so each async layer would
/// hold another copy), which keeps every call's boxed future small.
pub(crate) fn send<'a>(
    client: &'a crate::Client,
    mut request: reqwest::Request,
    operation: &'static str,
) -> impl Future<Output = Answer> + Send + 'a {
    let inner = client.inner();
    let headers = request.headers_mut();
    match &inner.authorization {
        Some(authorization) => headers.insert(AUTHORIZATION, authorization.clone()),
        // A client without credentials (to log in) never sends a caller's own header.
        None => headers.remove(AUTHORIZATION),
    };
    headers.insert(TIER_HEADER, HeaderValue::from_static(inner.tier.as_str()));
    headers.insert(USER_AGENT, inner.user_agent.clone());
    // Fields named after OpenTelemetry's HTTP client conventions. The path template, never
    // the filled path: path parameters may hold e-mail addresses. (Fields are only evaluated
    // when a subscriber listens.)
    let span = tracing::info_span!(
        "crisp_request",
        operation,
        http.request.method = %request.method(),
        url.template = crate::operations::find(operation).map_or("(raw)", |op| op.path),
        server.address = inner.origin.host_str().unwrap_or_default(),
        http.response.status_code = Empty,
        "error.type" = Empty,
        attempt = Empty,
        duration_ms = Empty,
        reason = Empty,
    );
    attempts(client.client(), &inner.runtime, request, &inner.origin).instrument(span)
}

/// Sends `request`, retrying as the policy allows; returns the last attempt's [`Answer`].
#[allow(clippy::manual_async_fn)] // on purpose: see the comment in the body
fn attempts<'a>(
    http: &'a reqwest::Client,
    runtime: &'a Runtime,
    mut request: reqwest::Request,
    origin: &'a reqwest::Url,
) -> impl Future<Output = Answer> + Send + 'a {
    // An async block, not an `async fn`: it uses the captured request in place.
    async move {
        let span = tracing::Span::current();
        let clock = &*runtime.clock;
        let started = clock.now();
        let deadline = runtime.deadline.map(|d| started + d);
        let method = request.method().clone();
        let retryable = runtime.retry.attempts() > 1 && runtime.retry.allows(&method);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // A copy for the next attempt, made before this one consumes the request (streamed
            // bodies cannot be copied; such requests are sent once).
            let copy = if retryable { request.try_clone() } else { None };
            if let Some(limiter) = &runtime.limiter {
                let wait = limiter.reserve(clock.now());
                if !wait.is_zero() {
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit");
                    clock.sleep(wait).await;
                }
            }
            let timeout = match deadline {
                Some(d) => runtime
                    .attempt_timeout
                    .min(d.saturating_duration_since(clock.now())),
                None => runtime.attempt_timeout,
            };
            if runtime.client_timeout != Some(timeout) {
                *request.timeout_mut() = Some(timeout);
            }
            let result = http.execute(request).await;
            let outcome = match &result {
                Ok(response) => Outcome::Status(response.status()),
                Err(e) => Outcome::of(e),
            };
            let decision = match &copy {
                Some(_) => decide(
                    &runtime.retry,
                    &method,
                    attempt,
                    outcome,
                    result
                        .as_ref()
                        .ok()
                        .and_then(|r| retry_after(r, clock.system_time())),
                    fastrand::f64(),
                    deadline.map(|d| d.saturating_duration_since(clock.now())),
                ),
                None => Decision::Stop,
            };
            match decision {
                Decision::Retry(wait) if copy.is_some() => {
                    tracing::info!(
                        attempt,
                        outcome = ?outcome,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    drop(result);
                    clock.sleep(wait).await;
                    request = copy.expect("checked above");
                }
                _ => {
                    span.record("attempt", attempt);
                    span.record("duration_ms", elapsed_ms(clock, started));
                    let timeout = Some(timeout);
                    return match result {
                        Ok(response) => match foreign(&response, origin) {
                            // The foreign response is dropped unread.
                            Some(landed) => Answer::Foreign(landed),
                            None => {
                                let status = response.status();
                                span.record("http.response.status_code", status.as_u16());
                                if !status.is_success() {
                                    span.record("error.type", status.as_str());
                                }
                                let answer = Answer::of(response, timeout).await;
                                if let Answer::Failure(failure) = &answer {
                                    traced(failure, &span);
                                }
                                answer
                            }
                        },
                        Err(error) => {
                            span.record("error.type", error_type(&error));
                            // Not the error's text: it holds the filled URL.
                            tracing::info!(outcome = ?outcome, "request failed");
                            Answer::Transport { error, timeout }
                        }
                    };
                }
            }
        }
    }
}

/// Crisp never redirects, and the SDK's own `reqwest::Client` does not follow redirects. A
/// caller's own client may: the origin of a response from another origin than the request's,
/// which is then dropped unread (and becomes [`Error::Redirect`](crate::Error::Redirect)).
fn foreign(response: &reqwest::Response, origin: &reqwest::Url) -> Option<String> {
    let url = response.url();
    // The origin's parts compared in place (the serialised origins would be allocated).
    if url.scheme() == origin.scheme()
        && url.host_str() == origin.host_str()
        && url.port_or_known_default() == origin.port_or_known_default()
    {
        return None;
    }
    tracing::warn!("response from another host than the API's refused (redirect followed)");
    Some(url.origin().ascii_serialization())
}

/// OpenTelemetry's `error.type` of a transport failure: a low-cardinality class.
fn error_type(e: &reqwest::Error) -> &'static str {
    use crate::TransportKind as K;
    match K::of(e) {
        K::Timeout => "timeout",
        K::ConnectionRefused => "connection_refused",
        K::Connect => "connect",
        K::Tls => "tls",
        K::Body => "body",
        _ => "_OTHER",
    }
}

fn elapsed_ms(clock: &dyn Clock, since: Instant) -> u64 {
    u64::try_from(clock.now().saturating_duration_since(since).as_millis()).unwrap_or(u64::MAX)
}

fn retry_after(response: &reqwest::Response, now: std::time::SystemTime) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now)
}

/// Traces a failure: Crisp's `reason` in the request's span (parsed only when a subscriber
/// listens), and an event.
fn traced(failure: &Failure, span: &tracing::Span) {
    if !span.is_disabled() {
        #[derive(serde::Deserialize)]
        struct Reason {
            reason: String,
        }
        if let Ok(Reason { reason }) = crate::json::from_slice::<Reason>(&failure.body) {
            span.record("reason", reason.as_str());
        }
    }
    tracing::info!(status = failure.status.as_u16(), "request failed");
}
