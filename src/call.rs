//! Turning a generated operation's outcome into the SDK's `Result<data, Error>`: the envelope is
//! unwrapped, every failure becomes one [`Error`], and the HTTP status is kept even when the body
//! cannot be decoded.

use crate::Error;
use crate::types::ErrorEnvelope;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    /// The status and headers of the last response the request hook received within one call.
    /// progenitor's decode errors drop them; the SDK reads them back from here.
    static LAST_RESPONSE: RefCell<Option<(StatusCode, HeaderMap)>>;
}

/// Records the status of a response, and its headers when it is a failure (called by the
/// request hook; successes carry their headers in the decoded `ResponseValue`).
pub(crate) fn record_response(response: &reqwest::Response) {
    let _ = LAST_RESPONSE.try_with(|last| {
        let status = response.status();
        let headers = if status.is_success() {
            HeaderMap::new()
        } else {
            response.headers().clone()
        };
        *last.borrow_mut() = Some((status, headers));
    });
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

async fn scoped<F, T>(fut: F) -> (T, Option<(StatusCode, HeaderMap)>)
where
    F: Future<Output = T>,
{
    LAST_RESPONSE
        .scope(RefCell::new(None), async move {
            let out = fut.await;
            (out, LAST_RESPONSE.with(RefCell::take))
        })
        .await
}

/// Runs a generated `send()` and returns the envelope's `data` with status and headers.
pub(crate) async fn response<F, T, E, D>(
    send: F,
    extract: impl FnOnce(T) -> (String, D),
) -> Result<Response<D>, Error>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    let (result, last) = scoped(send).await;
    match result {
        Ok(rv) => {
            let (status, headers) = (rv.status(), rv.headers().clone());
            let (reason, data) = extract(rv.into_inner());
            Ok(Response {
                status,
                headers,
                reason,
                data,
            })
        }
        Err(e) => Err(map_error(e, last).await),
    }
}

/// Runs a generated `send()` and returns only the envelope's `data`.
pub(crate) async fn data<F, T, E, D>(
    send: F,
    extract: impl FnOnce(T) -> (String, D),
) -> Result<D, Error>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    response(send, extract).await.map(Response::into_data)
}

/// Runs a generated HEAD check: 2xx is `true`, 404 is `false`, anything else an error.
pub(crate) async fn exists<F, E>(send: F) -> Result<bool, Error>
where
    F: Future<Output = Result<ResponseValue<()>, progenitor_client::Error<E>>>,
    E: ErrorBody,
{
    let (result, last) = scoped(send).await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => Ok(false),
        Err(e) => Err(map_error(e, last).await),
    }
}

/// Maps progenitor's error to the SDK's; `last` is the response the hook saw.
pub(crate) async fn map_error<E: ErrorBody>(
    error: progenitor_client::Error<E>,
    last: Option<(StatusCode, HeaderMap)>,
) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(m) => Error::InvalidRequest(m),
        P::Custom(m) => Error::InvalidRequest(m),
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            Error::Transport(e)
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
        P::InvalidResponsePayload(body, e) => match last {
            Some((status, headers)) if !status.is_success() => {
                from_error_body(status, headers, &body)
            }
            last => Error::decode(last.map(|(status, _)| status), &body, e),
        },
        P::UnexpectedResponse(response) => {
            let (status, headers) = (response.status(), response.headers().clone());
            match response.bytes().await {
                Ok(body) => from_error_body(status, headers, &body),
                Err(e) => Error::Transport(e),
            }
        }
    }
}

/// An error from a failed response's status, headers and body.
pub(crate) fn from_error_body(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
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
