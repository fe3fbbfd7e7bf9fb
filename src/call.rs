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
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A request as a generated builder's `prepare()` builds it: the client, the request and the
/// operation's id; or progenitor's error for a parameter that is missing or invalid.
pub(crate) type Built<'a, E> =
    Result<(&'a crate::Client, reqwest::Request, &'static str), progenitor_client::Error<E>>;

/// A successful response's status, headers and body, not yet decoded, and the body's
/// fingerprint when the call wants one (page streams, to notice a repeated page).
pub(crate) struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
    fingerprint: Option<Fingerprint>,
    operation: &'static str,
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

/// Sends a built request through the hook ([`crate::hooks::execute`]) and reads the answer: a
/// 2xx's [`Reply`], or the SDK's [`Error`] for anything else. Not generic: one future for every
/// operation, boxed once per call by [`Call`].
fn fetch<'a>(
    client: &'a crate::Client,
    request: reqwest::Request,
    operation: &'static str,
    fingerprint: bool,
) -> impl Future<Output = Result<Reply, Error>> + Send + 'a {
    // `then`, not an `async fn`: the request and the exchange are held once, not once per
    // layer, so the boxed future stays small.
    crate::hooks::execute(client, request, operation).then(move |(result, timeout)| {
        let response = result.map_err(|e| Error::transport(Some(operation), timeout, e));
        async move { read(response?, operation, timeout, fingerprint).await }
    })
}

/// Reads a response the hook returned: the body of a 2xx (the spec's `2XX`: Crisp answers 206
/// on partial lists), else the error its status, headers and body say.
async fn read(
    mut response: reqwest::Response,
    operation: &'static str,
    timeout: Option<Duration>,
    fingerprint: bool,
) -> Result<Reply, Error> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(|e| Error::transport(Some(operation), timeout, e))?;
    if !status.is_success() {
        return Err(from_error_body(status, headers, &body).at::<ErrorEnvelope>(operation, &body));
    }
    Ok(Reply {
        status,
        headers,
        fingerprint: fingerprint.then(|| Fingerprint::of(&body)),
        body,
        operation,
    })
}

/// An operation's envelope ([`Envelope`](crate::envelope::Envelope) or
/// [`Ack`](crate::envelope::Ack), which every generated envelope is an alias of): Crisp's
/// reason and the payload.
pub(crate) trait Parts: serde::de::DeserializeOwned {
    /// The payload (`()` for an [`Ack`](crate::envelope::Ack)).
    type Data;
    /// `(reason, data)`.
    fn parts(self) -> (String, Self::Data);
}

impl<D: serde::de::DeserializeOwned> Parts for crate::envelope::Envelope<D> {
    type Data = D;
    #[inline]
    fn parts(self) -> (String, D) {
        (self.reason, self.data)
    }
}

impl Parts for crate::envelope::Ack {
    type Data = ();
    #[inline]
    fn parts(self) -> (String, ()) {
        (self.reason, ())
    }
}

/// What a [`Call`] returns of a decoded response: the data ([`Data`]), the whole
/// [`Response`] ([`Whole`]), or the data and the body's fingerprint ([`Page`]).
pub(crate) trait Finish<D> {
    /// The call's value.
    type Output;
    /// The value from the decoded response.
    fn finish(response: Response<D>, fingerprint: Option<Fingerprint>) -> Self::Output;
}

/// [`Finish`] for `call()`.
pub(crate) struct Data;
/// [`Finish`] for `response()`.
pub(crate) struct Whole;
/// [`Finish`] for a stream's page.
pub(crate) struct Page;

impl<D> Finish<D> for Data {
    type Output = D;
    #[inline]
    fn finish(response: Response<D>, _: Option<Fingerprint>) -> D {
        response.data
    }
}

impl<D> Finish<D> for Whole {
    type Output = Response<D>;
    #[inline]
    fn finish(response: Response<D>, _: Option<Fingerprint>) -> Response<D> {
        response
    }
}

impl<D> Finish<D> for Page {
    type Output = (D, Option<Fingerprint>);
    #[inline]
    fn finish(response: Response<D>, fingerprint: Option<Fingerprint>) -> Self::Output {
        (response.data, fingerprint)
    }
}

/// Decodes a 2xx body as the operation's envelope `T` into `F`'s value. An envelope saying
/// `error: true` does not decode ([`crate::envelope`]) and is read as Crisp's error, an
/// [`Error::Api`] whatever its status.
#[inline]
fn decode<T: Parts, F: Finish<T::Data>>(reply: Reply) -> Result<F::Output, Error> {
    let Reply {
        status,
        headers,
        body,
        fingerprint,
        operation,
    } = reply;
    match crate::json::from_slice::<T>(&body) {
        Ok(envelope) => {
            let (reason, data) = envelope.parts();
            let response = Response {
                status,
                headers,
                reason,
                data,
            };
            Ok(F::finish(response, fingerprint))
        }
        Err(e) => Err(undecodable(status, headers, &body, e).at::<T>(operation, &body)),
    }
}

/// The error for a 2xx body that is not the operation's envelope: Crisp's refusal if it is an
/// error envelope saying `error: true`, else a decoding error keeping the status and a snippet.
fn undecodable(status: StatusCode, headers: HeaderMap, body: &[u8], e: serde_json::Error) -> Error {
    match crate::json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) if envelope.error => api_error(status, headers, envelope),
        _ => Error::decode(Some(status), body, e),
    }
}

/// The future of a generated operation's `call()`, `response()` and stream pages: the built
/// request's [`fetch`] (boxed once), then a synchronous decode of the envelope `T` into `F`'s
/// value. It is a few dozen bytes whatever the operation, holds no copy of the payload until it
/// is returned, and needs no task-local state: everything the error mapping wants (status,
/// headers, the last attempt's timeout) comes back with the answer.
#[must_use = "futures do nothing unless awaited"]
pub(crate) struct Call<'a, T, F> {
    state: Result<BoxFuture<'a, Result<Reply, Error>>, Option<Box<Error>>>,
    decode: std::marker::PhantomData<fn() -> (T, F)>,
}

impl<'a, T, F> Call<'a, T, F> {
    fn new<E>(operation: &'static str, built: Built<'a, E>, fingerprint: bool) -> Self {
        let state = match built {
            Ok((client, request, id)) => Ok(Box::pin(fetch(client, request, id, fingerprint))
                as BoxFuture<'a, Result<Reply, Error>>),
            Err(e) => Err(Some(Box::new(build_error(operation, e)))),
        };
        Call {
            state,
            decode: std::marker::PhantomData,
        }
    }
}

impl<T: Parts, F: Finish<T::Data>> Future for Call<'_, T, F> {
    type Output = Result<F::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().state {
            Ok(fetching) => fetching
                .as_mut()
                .poll(cx)
                .map(|reply| decode::<T, F>(reply?)),
            Err(error) => Poll::Ready(Err(match error.take() {
                Some(error) => *error,
                None => Error::InvalidRequest("the call was polled after it completed".into()),
            })),
        }
    }
}

/// The `call()` of a generated operation: the envelope's `data`.
pub(crate) fn data<'a, T, E>(operation: &'static str, built: Built<'a, E>) -> Call<'a, T, Data> {
    Call::new(operation, built, false)
}

/// The `response()` of a generated operation: the envelope's `data` with status and headers.
pub(crate) fn response<'a, T, E>(
    operation: &'static str,
    built: Built<'a, E>,
) -> Call<'a, T, Whole> {
    Call::new(operation, built, false)
}

/// One page of a page stream: the envelope's `data` and the fingerprint of the body (to notice
/// a server repeating a page without keeping the page).
pub(crate) fn page<'a, T, E>(
    operation: &'static str,
    built: Built<'a, E>,
) -> BoxFuture<'a, crate::pagination::Page<T::Data>>
where
    T: Parts + 'a,
    T::Data: Send,
{
    Box::pin(Call::<T, Page>::new(operation, built, true))
}

/// The `exists()` of a generated HEAD check: any 2xx is `true`, 404 is `false`, anything else
/// an error.
pub(crate) fn exists<'a, E>(
    operation: &'static str,
    built: Built<'a, E>,
) -> impl Future<Output = Result<bool, Error>> + 'a {
    let checking = match built {
        Ok((client, request, id)) => Ok(Box::pin(async move {
            let (result, timeout) = crate::hooks::execute(client, request, id).await;
            let response = result.map_err(|e| Error::transport(Some(id), timeout, e))?;
            verdict(response, id, timeout).await
        })),
        Err(e) => Err(build_error(operation, e)),
    };
    async move { checking?.await }
}

/// What a HEAD check's response says.
async fn verdict(
    response: reqwest::Response,
    operation: &'static str,
    timeout: Option<Duration>,
) -> Result<bool, Error> {
    match response.status() {
        s if s.is_success() => Ok(true),
        StatusCode::NOT_FOUND => Ok(false),
        _ => read(response, operation, timeout, false)
            .await
            .map(|_| true),
    }
}

/// The error for a required parameter of a generated builder still unset when the request is
/// built: its `new()` leaves each such parameter an empty `Err` (a conversion failure keeps its
/// own message), see `codegen/extend.rs`.
pub(crate) fn unset<E>(message: String, name: &str) -> progenitor_client::Error<E> {
    progenitor_client::Error::InvalidRequest(if message.is_empty() {
        format!("{name} was not initialized")
    } else {
        message
    })
}

/// Maps progenitor's error from building a request (a parameter missing or invalid, a body
/// that does not serialise) to the SDK's.
fn build_error<E>(operation: &'static str, error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(m) | P::Custom(m) => Error::InvalidRequest(explain(operation, &m)),
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            Error::transport(Some(operation), None, e)
        }
        P::ErrorResponse(_) | P::InvalidResponsePayload(..) | P::UnexpectedResponse(_) => {
            Error::InvalidRequest(format!("`{operation}`: the request could not be built"))
        }
    }
}

/// Replays a recorded response through what a generated `call()` does with the hook's answer
/// (status dispatch, envelope, error mapping), for the sandbox's `replay`.
#[cfg(feature = "sandbox")]
pub(crate) async fn replay<T: Parts>(
    operation: &'static str,
    response: reqwest::Response,
) -> Result<T::Data, Error> {
    let reply = read(response, operation, None, false).await?;
    decode::<T, Data>(reply)
}

/// [`replay`] for HEAD checks.
#[cfg(feature = "sandbox")]
pub(crate) async fn replay_head(
    operation: &'static str,
    response: reqwest::Response,
) -> Result<bool, Error> {
    verdict(response, operation, None).await
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
    pub(crate) fn new(built: Built<'a, ErrorEnvelope>) -> Self {
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
            State::Exchanging(exchange) => {
                exchange.as_mut().poll(cx).map(|r| r.and_then(decode_value))
            }
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

/// Sends a built request through the hook and sorts its response in progenitor's terms (for
/// [`Sending`]): the body of a 2xx, Crisp's error envelope for a 4xx or 5xx, anything else
/// unexpected. One non-generic future for all operations.
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

/// A successful response's status, headers and body, not yet decoded (for [`Sending`]).
type Exchanged = (StatusCode, HeaderMap, bytes::Bytes);

/// The spec's `2XX`/`4XX`/`5XX` dispatch of a response the hook returned, in progenitor's
/// terms (what a raw `send()` returns).
#[allow(clippy::result_large_err)]
async fn dispatch(
    mut response: reqwest::Response,
) -> Result<Exchanged, progenitor_client::Error<ErrorEnvelope>> {
    use progenitor_client::Error as P;
    match response.status().as_u16() {
        200..=299 => {
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(P::ResponseBodyError)?;
            Ok((status, headers, body))
        }
        400..=599 => Err(P::ErrorResponse(
            ResponseValue::from_response(response).await?,
        )),
        _ => Err(P::UnexpectedResponse(response)),
    }
}

/// Decodes a successful body as `T`, in progenitor's terms.
#[allow(clippy::result_large_err)]
fn decode_value<T: serde::de::DeserializeOwned>(
    (status, headers, body): Exchanged,
) -> Result<ResponseValue<T>, progenitor_client::Error<ErrorEnvelope>> {
    match crate::json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(body, e)),
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
    match crate::json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => api_error(status, headers, envelope),
        Err(e) => Error::decode(Some(status), body, e),
    }
}

/// Crisp's refusal: its reason (or one named after the status) and message.
fn api_error(status: StatusCode, headers: HeaderMap, envelope: ErrorEnvelope) -> Error {
    Error::Api {
        status,
        reason: envelope.reason,
        message: envelope.data.and_then(|d| d.message),
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
        assert_eq!(e.body_snippet(), Some("<html>bad gateway</html>"));
        assert!(!e.to_string().contains("bad gateway"), "{e}");
        assert!(!format!("{e:?}").contains("bad gateway"), "{e:?}");
    }
}
