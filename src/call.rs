//! Turning a generated operation's outcome into the SDK's `Result<data, Error>`: the envelope is
//! unwrapped, every failure becomes one [`Error`], and the HTTP status is kept even when the body
//! cannot be decoded.

use crate::Error;
use crate::types::ErrorEnvelope;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;
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
    /// The status of the final response, and its headers when it is a failure (successes
    /// carry their headers in the decoded `ResponseValue`).
    response: Option<(StatusCode, HeaderMap)>,
    /// The timeout of the last attempt, to say how long a timed-out call waited.
    timeout: Option<Duration>,
}

/// Records the final response of a call (called by the request hook).
pub(crate) fn record_response(response: &reqwest::Response) {
    let _ = LAST.try_with(|last| {
        let status = response.status();
        let headers = if status.is_success() {
            HeaderMap::new()
        } else {
            response.headers().clone()
        };
        last.borrow_mut().response = Some((status, headers));
    });
}

/// Records the timeout of the attempt being sent (called by the request hook).
pub(crate) fn record_timeout(timeout: Duration) {
    let _ = LAST.try_with(|last| last.borrow_mut().timeout = Some(timeout));
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

async fn scoped<F, T>(fut: F) -> (T, Record)
where
    F: Future<Output = T>,
{
    LAST.scope(RefCell::new(Record::default()), async move {
        let out = fut.await;
        (out, LAST.with(RefCell::take))
    })
    .await
}

/// Runs a raw call's future, returning the timeout of its last attempt with its outcome.
pub(crate) async fn scoped_timeout<F: Future>(fut: F) -> (F::Output, Option<Duration>) {
    let (out, record) = scoped(fut).await;
    (out, record.timeout)
}

/// Runs a generated `send()` of `operation` and returns the envelope's `data` with status and
/// headers. `extract` splits the envelope into `(error, reason, data)`: an envelope saying
/// `error: true` is an [`Error::Api`] whatever its status.
pub(crate) async fn response<F, T, E, D>(
    operation: &'static str,
    send: F,
    extract: impl FnOnce(T) -> (bool, String, D),
) -> Result<Response<D>, Error>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
    D: Serialize,
{
    let (result, record) = scoped(send).await;
    match result {
        Ok(rv) => {
            let (status, headers) = (rv.status(), rv.headers().clone());
            let (failed, reason, data) = extract(rv.into_inner());
            if failed {
                return Err(Error::Api {
                    status,
                    reason,
                    message: message_of(&data),
                    headers: Box::new(headers),
                });
            }
            Ok(Response {
                status,
                headers,
                reason,
                data,
            })
        }
        Err(e) => Err(map_error(operation, e, record).await),
    }
}

/// Runs a generated `send()` and returns only the envelope's `data`.
pub(crate) async fn data<F, T, E, D>(
    operation: &'static str,
    send: F,
    extract: impl FnOnce(T) -> (bool, String, D),
) -> Result<D, Error>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
    D: Serialize,
{
    response(operation, send, extract)
        .await
        .map(Response::into_data)
}

/// Runs a generated HEAD check: any 2xx is `true`, 404 is `false`, anything else an error.
pub(crate) async fn exists<F, E>(operation: &'static str, send: F) -> Result<bool, Error>
where
    F: Future<Output = Result<ResponseValue<()>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    let (result, record) = scoped(send).await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => Ok(false),
        Err(e) => Err(map_error(operation, e, record).await),
    }
}

/// The `message` of a payload that came with `error: true` (Crisp puts it in `data.message`).
fn message_of<D: Serialize>(data: &D) -> Option<String> {
    match serde_json::to_value(data).ok()? {
        serde_json::Value::Object(mut map) => match map.remove("message")? {
            serde_json::Value::String(m) => Some(m),
            _ => None,
        },
        _ => None,
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
            let (reason, message) = rv.into_inner().parts();
            Error::Api {
                status,
                reason: reason.unwrap_or_else(|| status_reason(status)),
                message,
                headers: Box::new(headers),
            }
        }
        P::InvalidResponsePayload(body, e) => match record.response {
            Some((status, headers)) if !status.is_success() => {
                from_error_body(status, headers, &body)
            }
            // A 2xx whose body is an error envelope: Crisp said no after all.
            Some((status, headers)) => match serde_json::from_slice::<ErrorEnvelope>(&body) {
                Ok(envelope) if envelope.error => {
                    let (reason, message) = envelope.parts();
                    Error::Api {
                        status,
                        reason: reason.unwrap_or_else(|| status_reason(status)),
                        message,
                        headers: Box::new(headers),
                    }
                }
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

/// What a generated `send()` does with a response once the hook returns it (the spec's
/// `2XX`/`4XX`/`5XX` dispatch), for replaying recorded responses.
#[cfg(feature = "sandbox")]
pub(crate) async fn replay<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<ErrorEnvelope>> {
    record_response(&response);
    match response.status().as_u16() {
        200..=299 => ResponseValue::from_response(response).await,
        400..=599 => Err(progenitor_client::Error::ErrorResponse(
            ResponseValue::from_response(response).await?,
        )),
        _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
    }
}

/// [`replay`] for HEAD checks (`2XX` and `404`, no bodies).
#[cfg(feature = "sandbox")]
pub(crate) async fn replay_head(
    response: reqwest::Response,
) -> Result<ResponseValue<()>, progenitor_client::Error<()>> {
    record_response(&response);
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
        Ok(envelope) => {
            let (reason, message) = envelope.parts();
            Error::Api {
                status,
                reason: reason.unwrap_or_else(|| status_reason(status)),
                message,
                headers: Box::new(headers),
            }
        }
        Err(e) => Error::decode(Some(status), body, e),
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
