//! The one hook every request goes through, generated operations and raw calls alike. It adds
//! authentication, the tier and the user agent; waits for the rate limit; applies the
//! per-attempt timeout and the call's deadline; retries transient failures per the
//! [`RetryPolicy`](crate::RetryPolicy); and traces the request.

use crate::clock::Clock;
use crate::config::{Inner, Runtime};
use crate::retry::{Decision, Outcome, decide, parse_retry_after};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use std::future::Future;
use std::time::Instant;
use tracing::Instrument as _;
use tracing::field::Empty;

/// The `X-Crisp-Tier` header.
pub(crate) const TIER_HEADER: HeaderName = HeaderName::from_static("x-crisp-tier");

impl ClientHooks<Inner> for crate::Client {
    /// The hook of progenitor's own `send()` tails (HEAD checks' `send()`); see [`execute`].
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        execute(self, request, info.operation_id).await.0
    }
}

/// What sending a request gives: the final response or error, and the last attempt's timeout.
pub(crate) type Sent = (
    reqwest::Result<reqwest::Response>,
    Option<std::time::Duration>,
);

/// Sends `request` of `operation` as the client is configured to: adds `Authorization`,
/// `X-Crisp-Tier` and `User-Agent`, traces it, retries and paces it (see [`send`]). Returns the
/// final response or error, and the timeout of the last attempt (for a timeout's message).
///
/// A plain function returning the traced [`send`] future: the request is held once in the
/// future (an `async fn` keeps its arguments apart from its locals, so each async layer would
/// hold another copy), which keeps every call's boxed future small.
pub(crate) fn execute<'a>(
    client: &'a crate::Client,
    mut request: reqwest::Request,
    operation: &'static str,
) -> impl Future<Output = Sent> + Send + 'a {
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
    send(client.client(), &inner.runtime, request, &inner.origin).instrument(span)
}

/// Sends `request`, retrying as the policy allows; returns the last response or error, and
/// the last attempt's timeout.
#[allow(clippy::manual_async_fn)] // on purpose: see the comment in the body
fn send<'a>(
    http: &'a reqwest::Client,
    runtime: &'a Runtime,
    mut request: reqwest::Request,
    origin: &'a reqwest::Url,
) -> impl Future<Output = Sent> + Send + 'a {
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
                    let result = match result {
                        Ok(response) => match refusal(&response, origin) {
                            // The foreign response is dropped unread.
                            Some(refused) => Ok(refused),
                            None => {
                                span.record(
                                    "http.response.status_code",
                                    response.status().as_u16(),
                                );
                                if response.status().is_success() {
                                    Ok(response)
                                } else {
                                    span.record("error.type", response.status().as_str());
                                    // Boxed: failures are rare, and reading a body would triple
                                    // the size of every call's future.
                                    Box::pin(failed(response, &span)).await
                                }
                            }
                        },
                        Err(e) => {
                            span.record("error.type", error_type(&e));
                            // Not the error's text: it holds the filled URL.
                            tracing::info!(outcome = ?outcome, "request failed");
                            Err(e)
                        }
                    };
                    return (result, Some(timeout));
                }
            }
        }
    }
}

/// Crisp never redirects, and the SDK's own `reqwest::Client` does not follow redirects. A
/// caller's own client may: a response from another origin than the request's is to be dropped
/// unread and replaced by this empty `421 Misdirected Request` naming that origin, which becomes
/// [`Error::Redirect`](crate::Error::Redirect).
fn refusal(response: &reqwest::Response, origin: &reqwest::Url) -> Option<reqwest::Response> {
    let url = response.url();
    // The origin's parts compared in place (the serialised origins would be allocated).
    if url.scheme() == origin.scheme()
        && url.host_str() == origin.host_str()
        && url.port_or_known_default() == origin.port_or_known_default()
    {
        return None;
    }
    let landed = url.origin().ascii_serialization();
    tracing::warn!("response from another host than the API's refused (redirect followed)");
    let mut refused = http::Response::new(bytes::Bytes::new());
    *refused.status_mut() = reqwest::StatusCode::MISDIRECTED_REQUEST;
    if let Ok(value) = HeaderValue::from_str(&landed) {
        refused
            .headers_mut()
            .insert(crate::call::REFUSED_ORIGIN, value);
    }
    Some(reqwest::Response::from(refused))
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

fn retry_after(
    response: &reqwest::Response,
    now: std::time::SystemTime,
) -> Option<std::time::Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now)
}

/// Reads a failed response's body once, to trace Crisp's `reason`, and hands an identical
/// response on.
async fn failed(
    response: reqwest::Response,
    span: &tracing::Span,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    #[derive(serde::Deserialize)]
    struct Reason {
        reason: String,
    }
    if let Ok(Reason { reason }) = crate::json::from_slice::<Reason>(&body) {
        span.record("reason", reason.as_str());
    }
    tracing::info!(status = status.as_u16(), "request failed");
    Ok(rebuild(status, version, url, headers, body))
}

/// A response with this status, version, URL, headers and body.
fn rebuild(
    status: reqwest::StatusCode,
    version: http::Version,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
) -> reqwest::Response {
    // Keeps the URL (never shown in errors): it tells where the response came from.
    use reqwest::ResponseBuilderExt as _;
    let mut rebuilt = http::Response::builder()
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body));
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    reqwest::Response::from(rebuilt)
}
