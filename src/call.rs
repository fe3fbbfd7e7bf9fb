//! Turning a generated operation's outcome into the SDK's `Result<data, Error>`: the envelope is
//! unwrapped, every failure becomes one [`Error`], and the HTTP status is kept even when the body
//! cannot be decoded.

use crate::Error;
use crate::pagination::Fingerprint;
use crate::types::ErrorEnvelope;
use futures::FutureExt as _;
use futures::future::BoxFuture;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

tokio::task_local! {
    /// What the request hook saw of the last attempt within one call: progenitor's errors drop
    /// the status, headers and timeout; the SDK reads them back from here.
    static LAST: RefCell<Record>;
}

/// The request hook's record of one call.
#[derive(Default)]
pub(crate) struct Record {
    /// What the call wants the hook to keep of a successful response.
    wants: Wants,
    /// The status of the final response, and its headers: cloned for a failure, moved out of
    /// a success when [`Wants::headers`] (the decoded `ResponseValue` then holds none, so
    /// that they are never copied), else empty.
    response: Option<(StatusCode, HeaderMap)>,
    /// The timeout of the last attempt, to say how long a timed-out call waited.
    timeout: Option<Duration>,
    /// The fingerprint of a successful body, when [`Wants::fingerprint`].
    fingerprint: Option<Fingerprint>,
}

/// What a call wants the hook to keep of a successful response.
#[derive(Clone, Copy, Default)]
struct Wants {
    /// The headers, moved into the record.
    headers: bool,
    /// A fingerprint of the body, for page streams to notice a repeated page.
    fingerprint: bool,
}

/// Records the final response of a call (called by the request hook), moving a success's
/// headers into the record if the call wants them.
pub(crate) fn record_response(response: &mut reqwest::Response) {
    let _ = LAST.try_with(|last| {
        let mut last = last.borrow_mut();
        let status = response.status();
        let headers = if !status.is_success() {
            response.headers().clone()
        } else if last.wants.headers {
            std::mem::take(response.headers_mut())
        } else {
            HeaderMap::new()
        };
        last.response = Some((status, headers));
    });
}

/// Records the timeout of the attempt being sent (called by the request hook).
pub(crate) fn record_timeout(timeout: Duration) {
    let _ = LAST.try_with(|last| last.borrow_mut().timeout = Some(timeout));
}

/// Whether the call in scope wants a fingerprint of a successful body.
fn wants_fingerprint() -> bool {
    LAST.try_with(|last| last.borrow().wants.fingerprint)
        .unwrap_or(false)
}

/// Records the fingerprint of a successful body (read by [`dispatch`]).
fn record_fingerprint(body: &[u8]) {
    let _ = LAST.try_with(|last| last.borrow_mut().fingerprint = Some(Fingerprint::of(body)));
}

/// A successful response: the envelope's `data` with its status, headers and reason.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers (such as Crisp's `Bloom-Status` cache header).
    pub headers: HeaderMap,
    /// Crisp's success reason, such as `resolved` or `added`.
    pub reason: String,
    /// The typed payload.
    pub data: T,
}

impl<T> Response<T> {
    /// The payload, dropping status and headers.
    pub fn into_data(self) -> T {
        self.data
    }
}

/// Error bodies the generated operations can carry.
pub(crate) trait ErrorBody {
    /// Crisp's reason and message.
    fn parts(self) -> (Option<String>, Option<String>);
}

impl ErrorBody for ErrorEnvelope {
    fn parts(self) -> (Option<String>, Option<String>) {
        (Some(self.reason), self.data.and_then(|d| d.message))
    }
}

impl ErrorBody for () {
    fn parts(self) -> (Option<String>, Option<String>) {
        (None, None)
    }
}

/// Runs `fut` with a fresh record in scope. `fut` is small (a [`Sending`], or boxed by the
/// callers): each async layer holds its own copy of the future it awaits.
async fn scoped<F: Future>(fut: F, wants: Wants) -> (F::Output, Record) {
    let record = Record {
        wants,
        ..Record::default()
    };
    LAST.scope(RefCell::new(record), async move {
        let out = fut.await;
        (out, LAST.with(RefCell::take))
    })
    .await
}

/// Runs a raw call's future, returning the timeout of its last attempt with its outcome.
pub(crate) fn scoped_timeout<F: Future>(
    fut: F,
) -> impl Future<Output = (F::Output, Option<Duration>)> {
    scoped(Box::pin(fut), Wants::default()).map(|(out, record)| (out, record.timeout))
}

/// Runs a generated `send()` of `operation` and returns the envelope's `data` with status and
/// headers. `extract` splits the envelope into `(reason, data)`; an envelope saying
/// `error: true` does not decode ([`crate::envelope`]) and is read as Crisp's error, an
/// [`Error::Api`] whatever its status.
///
/// A generated `send()` returns a small [`Sending`] (its exchange is boxed once): the returned
/// future stays a few hundred bytes whatever the operation, and is cheap to move.
pub(crate) fn response<F, T, E, D>(
    operation: &'static str,
    send: F,
    extract: impl FnOnce(T) -> (String, D),
) -> impl Future<Output = Result<Response<D>, Error>>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    outcome(operation, send, extract, false, |response, _| response)
}

/// Runs a generated `send()` and returns only the envelope's `data` (see [`response`]).
pub(crate) fn data<F, T, E, D>(
    operation: &'static str,
    send: F,
    extract: impl FnOnce(T) -> (String, D),
) -> impl Future<Output = Result<D, Error>>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    outcome(operation, send, extract, false, |response, _| response.data)
}

/// Runs a generated `send()` of one page for a page stream: the envelope's `data` and the
/// fingerprint of the body (to notice a server repeating a page without keeping the page).
pub(crate) fn page<'a, F, T, E, D>(
    operation: &'static str,
    send: F,
    extract: impl FnOnce(T) -> (String, D) + Send + 'a,
) -> BoxFuture<'a, Result<(D, Option<Fingerprint>), Error>>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Send + 'a,
    T: Send + 'a,
    E: ErrorBody + Send + 'a,
    D: Send + 'a,
{
    Box::pin(outcome(
        operation,
        send,
        extract,
        true,
        |response, fingerprint| (response.data, fingerprint),
    ))
}

/// Runs `send` with a fresh record in scope and turns its result into `finish(response,
/// fingerprint)` or an [`Error`], inside the scope: the decoded payload is moved out once, as
/// the final value, rather than through each layer (payloads such as a conversation are large).
fn outcome<F, T, E, D, O>(
    operation: &'static str,
    send: F,
    extract: impl FnOnce(T) -> (String, D),
    fingerprint: bool,
    finish: fn(Response<D>, Option<Fingerprint>) -> O,
) -> impl Future<Output = Result<O, Error>>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    let record = Record {
        wants: Wants {
            headers: true,
            fingerprint,
        },
        ..Record::default()
    };
    LAST.scope(RefCell::new(record), async move {
        let result = send.await;
        let record = LAST.with(RefCell::take);
        // Nothing decoded is held across the await below: only the boxed error mapping.
        let mapping = match settle(operation, result, record, extract, finish) {
            Ok(done) => return done,
            Err(mapping) => mapping,
        };
        Err(mapping.await)
    })
}

/// The synchronous part of [`outcome`]: the final value, or the failure's mapping still to run
/// (boxed: failures are rare, and the mapping would double the call's future).
#[allow(clippy::type_complexity)]
fn settle<T, E, D, O>(
    operation: &'static str,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
    mut record: Record,
    extract: impl FnOnce(T) -> (String, D),
    finish: fn(Response<D>, Option<Fingerprint>) -> O,
) -> Result<Result<O, Error>, std::pin::Pin<Box<impl Future<Output = Error>>>>
where
    E: ErrorBody,
{
    match result {
        Ok(rv) => {
            let status = rv.status();
            // The hook moved the headers into the record; without a hook, they are in `rv`.
            let headers = match record.response.take() {
                Some((_, headers)) => headers,
                None => rv.headers().clone(),
            };
            let (reason, data) = extract(rv.into_inner());
            Ok(Ok(finish(
                Response {
                    status,
                    headers,
                    reason,
                    data,
                },
                record.fingerprint,
            )))
        }
        Err(e) => Err(Box::pin(map_error(operation, e, record))),
    }
}

/// Runs a generated HEAD check: any 2xx is `true`, 404 is `false`, anything else an error.
pub(crate) fn exists<F, E>(
    operation: &'static str,
    send: F,
) -> impl Future<Output = Result<bool, Error>>
where
    F: Future<Output = Result<ResponseValue<()>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    let send = Box::pin(send);
    async move {
        let (result, record) = scoped(send, Wants::default()).await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => Ok(false),
            Err(e) => Err(Box::pin(map_error(operation, e, record)).await),
        }
    }
}

/// Maps progenitor's error to the SDK's; `record` is what the hook saw.
async fn map_error<E: ErrorBody>(
    operation: &'static str,
    error: progenitor_client::Error<E>,
    record: Record,
) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(m) | P::Custom(m) => Error::InvalidRequest(explain(operation, &m)),
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            Error::transport(Some(operation), record.timeout, e)
        }
        P::ErrorResponse(rv) => {
            let (status, headers) = (rv.status(), rv.headers().clone());
            api_error(status, headers, rv.into_inner())
        }
        P::InvalidResponsePayload(body, e) => match record.response {
            Some((status, headers)) if !status.is_success() => {
                from_error_body(status, headers, &body)
            }
            // A 2xx whose body is an error envelope: Crisp said no after all.
            Some((status, headers)) => match serde_json::from_slice::<ErrorEnvelope>(&body) {
                Ok(envelope) if envelope.error => api_error(status, headers, envelope),
                _ => Error::decode(Some(status), &body, e),
            },
            None => Error::decode(None, &body, e),
        },
        P::UnexpectedResponse(response) => {
            let (status, headers) = (response.status(), response.headers().clone());
            match response.bytes().await {
                Ok(body) => from_error_body(status, headers, &body),
                Err(e) => Error::transport(Some(operation), record.timeout, e),
            }
        }
    }
}

/// The future of every generated operation's `send()`: progenitor's raw result, the decoded
/// envelope with status and headers, or progenitor's error. Most code wants the operation's
/// `.call()` or `.response()` instead, which return the `data` and a [`crate::Error`].
///
/// The request is built when `send()` is called; awaiting sends it through the client's hook
/// (authentication, retries, rate limit, timeouts) and decodes the answer. A `send()` of every
/// operation returns this one type (`codegen/extend.rs` rewrites progenitor's per-operation
/// `async fn`s), which keeps the generated client small to compile and each call one small
/// state machine.
#[must_use = "futures do nothing unless awaited"]
pub struct Sending<'a, T> {
    state: State<'a>,
    decode: std::marker::PhantomData<fn() -> T>,
}

/// Where a [`Sending`] is.
enum State<'a> {
    /// The request could not be built (boxed: rare, and progenitor's error is large).
    Invalid(Option<Box<progenitor_client::Error<ErrorEnvelope>>>),
    /// The request is on its way.
    Exchanging(BoxFuture<'a, Result<Exchanged, progenitor_client::Error<ErrorEnvelope>>>),
}

impl<'a, T> Sending<'a, T> {
    /// Starts the exchange of a built request (called by the generated `send()`s).
    #[allow(clippy::result_large_err)] // progenitor's error type
    pub(crate) fn new(
        built: Result<
            (&'a crate::Client, reqwest::Request, &'static str),
            progenitor_client::Error<ErrorEnvelope>,
        >,
    ) -> Self {
        let state = match built {
            Ok((client, request, operation_id)) => {
                State::Exchanging(Box::pin(exchange(client, request, operation_id)))
            }
            Err(e) => State::Invalid(Some(Box::new(e))),
        };
        Self {
            state,
            decode: std::marker::PhantomData,
        }
    }
}

impl<T: serde::de::DeserializeOwned> Future for Sending<'_, T> {
    type Output = Result<ResponseValue<T>, progenitor_client::Error<ErrorEnvelope>>;

    #[allow(clippy::result_large_err)] // progenitor's error type
    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        match &mut self.get_mut().state {
            State::Invalid(error) => Poll::Ready(Err(match error.take() {
                Some(error) => *error,
                None => progenitor_client::Error::InvalidRequest(
                    "the request was polled after it completed".to_owned(),
                ),
            })),
            State::Exchanging(exchange) => exchange.as_mut().poll(cx).map(|r| r.and_then(decode)),
        }
    }
}

impl<T> std::fmt::Debug for Sending<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.state {
            State::Invalid(_) => "Sending(invalid request)",
            State::Exchanging(_) => "Sending(exchanging)",
        })
    }
}

/// Sends a built request through the hook and sorts its response: the body of a 2xx, Crisp's
/// error envelope for a 4xx or 5xx, anything else unexpected. One non-generic future for all
/// operations, where progenitor's `send()` instantiated the hooks and three decoding awaits per
/// operation.
#[allow(clippy::result_large_err)] // progenitor's error type, which `send()` returns
async fn exchange(
    client: &crate::Client,
    request: reqwest::Request,
    operation_id: &'static str,
) -> Result<Exchanged, progenitor_client::Error<ErrorEnvelope>> {
    use progenitor_client::ClientHooks as _;
    let info = progenitor_client::OperationInfo { operation_id };
    let response = client.exec(request, &info).await?;
    dispatch(response).await
}

/// A successful response's status, headers and body, not yet decoded.
pub(crate) type Exchanged = (StatusCode, HeaderMap, bytes::Bytes);

/// The spec's `2XX`/`4XX`/`5XX` dispatch of a response the hook returned.
#[allow(clippy::result_large_err)]
async fn dispatch(
    mut response: reqwest::Response,
) -> Result<Exchanged, progenitor_client::Error<ErrorEnvelope>> {
    use progenitor_client::Error as P;
    match response.status().as_u16() {
        200..=299 => {
            let status = response.status();
            // Usually empty: the hook moved them into the call's record.
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(P::ResponseBodyError)?;
            if wants_fingerprint() {
                record_fingerprint(&body);
            }
            Ok((status, headers, body))
        }
        400..=599 => Err(P::ErrorResponse(
            ResponseValue::from_response(response).await?,
        )),
        _ => Err(P::UnexpectedResponse(response)),
    }
}

/// Decodes a successful body as `T`.
#[allow(clippy::result_large_err)]
fn decode<T: serde::de::DeserializeOwned>(
    (status, headers, body): Exchanged,
) -> Result<ResponseValue<T>, progenitor_client::Error<ErrorEnvelope>> {
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(body, e)),
    }
}

/// What a generated `send()` does with a response once the hook returns it, for replaying
/// recorded responses.
#[cfg(feature = "sandbox")]
pub(crate) async fn replay<T: serde::de::DeserializeOwned>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<ErrorEnvelope>> {
    record_response(&mut response);
    dispatch(response).await.and_then(decode)
}

/// [`replay`] for HEAD checks (`2XX` and `404`, no bodies).
#[cfg(feature = "sandbox")]
pub(crate) async fn replay_head(
    mut response: reqwest::Response,
) -> Result<ResponseValue<()>, progenitor_client::Error<()>> {
    record_response(&mut response);
    match response.status().as_u16() {
        200..=299 => Ok(ResponseValue::empty(response)),
        404 => Err(progenitor_client::Error::ErrorResponse(
            ResponseValue::empty(response),
        )),
        _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
    }
}

/// Rewrites the generated builders' parameter messages so that they name the operation and
/// the parameter and say what is expected.
fn explain(operation: &str, message: &str) -> String {
    if let Some(param) = message.strip_suffix(" was not initialized") {
        return format!("`{operation}`: the required parameter `{param}` is not set");
    }
    if let Some(rest) = message.strip_prefix("conversion to `")
        && let Some((ty, tail)) = rest.split_once("` for ")
        && let Some(param) = tail.strip_suffix(" failed")
    {
        if ty.contains("NonZero") {
            return format!(
                "`{operation}`: `{param}` must be at least 1 (page numbers start at 1)"
            );
        }
        let ty: String = ty.split_whitespace().collect();
        let ty = ty.rsplit("::").next().unwrap_or(&ty);
        return format!("`{operation}`: invalid value for `{param}` (expected {ty})");
    }
    format!("`{operation}`: {message}")
}

/// The header by which the request hook marks a response that came from another host than the
/// base URL's (a caller's own `reqwest::Client` followed a redirect); it holds that origin.
pub(crate) const REFUSED_ORIGIN: &str = "x-crisp-api-refused-origin";

/// `scheme://host[:port]` of a `Location` value, without its path (which may hold personal
/// data); `None` for a relative location.
fn origin_of(location: &str) -> Option<String> {
    let url = reqwest::Url::parse(location).ok()?;
    Some(url.origin().ascii_serialization()).filter(|o| o != "null")
}

/// An error from a failed response's status, headers and body.
pub(crate) fn from_error_body(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
    if let Some(origin) = headers.get(REFUSED_ORIGIN) {
        return Error::Redirect {
            status,
            location: origin.to_str().ok().map(str::to_owned),
        };
    }
    if status.is_redirection() {
        return Error::Redirect {
            status,
            location: headers
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(origin_of),
        };
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Error::Api {
            status,
            reason: status_reason(status),
            message: None,
            headers: Box::new(headers),
        };
    }
    match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => api_error(status, headers, envelope),
        Err(e) => Error::decode(Some(status), body, e),
    }
}

/// Crisp's refusal: its reason (or one named after the status) and message.
fn api_error(status: StatusCode, headers: HeaderMap, body: impl ErrorBody) -> Error {
    let (reason, message) = body.parts();
    Error::Api {
        status,
        reason: reason.unwrap_or_else(|| status_reason(status)),
        message,
        headers: Box::new(headers),
    }
}

/// A reason for a status Crisp gave none for, such as `not_found` or `too_many_requests`.
fn status_reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("http_error")
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .replace('\'', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_error_bodies_keep_the_status() {
        let e = from_error_body(StatusCode::UNAUTHORIZED, HeaderMap::new(), b"");
        assert_eq!(e.to_string(), "401 unauthorized");
    }

    #[test]
    fn parameter_messages_name_the_operation_and_the_parameter() {
        assert_eq!(
            explain("get_conversation", "website_id was not initialized"),
            "`get_conversation`: the required parameter `website_id` is not set"
        );
        assert_eq!(
            explain(
                "list_conversations",
                "conversion to `std :: num :: NonZeroU32` for page_number failed"
            ),
            "`list_conversations`: `page_number` must be at least 1 (page numbers start at 1)"
        );
        assert_eq!(
            explain(
                "x",
                "conversion to `:: std :: string :: String` for a failed"
            ),
            "`x`: invalid value for `a` (expected String)"
        );
    }

    #[test]
    fn redirects_keep_the_status_and_only_the_origin() {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::LOCATION,
            "https://evil.example:8443/v1/people/jane%40doe.com"
                .parse()
                .unwrap(),
        );
        let e = from_error_body(StatusCode::MOVED_PERMANENTLY, headers, b"");
        assert!(
            matches!(&e, Error::Redirect { status, location: Some(l) }
                if *status == StatusCode::MOVED_PERMANENTLY && l == "https://evil.example:8443"),
            "{e:?}"
        );
        assert!(!e.to_string().contains("jane"), "{e}");
    }

    #[test]
    fn html_bodies_are_decode_errors_with_status_and_snippet() {
        let e = from_error_body(
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            b"<html>bad gateway</html>",
        );
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
        assert!(e.to_string().contains("<html>bad gateway</html>"), "{e}");
    }
}
