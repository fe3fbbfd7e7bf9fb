//! The one status dispatch and the error mapping: what an [`Answer`] of the transport means for
//! the SDK (a 2xx to decode, or one [`Error`] keeping the status even when the body cannot be
//! decoded). Typed calls, HEAD checks, raw calls and the sandbox's replay all go through
//! [`settle`]; the raw `send()` of progenitor's terms sorts the same [`Answer`] in
//! `src/progenitor_compat.rs`.

use crate::Error;
use crate::transport::{Answer, Failure, Success, Unread};
use crate::types::ErrorEnvelope;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::future::Future;

/// The one status dispatch: a 2xx's response, its body still to read, or the SDK's [`Error`]
/// for anything else (a failure's status, headers and body; an answer from another origin; a
/// transport error).
pub(crate) fn settle(answer: Answer, operation: &'static str) -> Result<Unread, Error> {
    match answer {
        Answer::Success(unread) => Ok(unread),
        Answer::Failure(failure) => {
            let Failure {
                status,
                headers,
                body,
                ..
            } = *failure;
            Err(from_error_body(status, headers, &body).at::<ErrorEnvelope>(operation, &body))
        }
        Answer::Foreign(origin) => Err(Error::Redirect {
            status: StatusCode::MISDIRECTED_REQUEST,
            location: Some(origin),
        }),
        Answer::Transport { error, timeout } => {
            Err(Error::transport(Some(operation), timeout, error))
        }
    }
}

/// [`settle`], then a 2xx's body read (a failure to read it is a transport error of
/// `operation`, with the last attempt's timeout).
pub(crate) fn received(
    answer: Answer,
    operation: &'static str,
) -> impl Future<Output = Result<Success, Error>> + Send {
    // A plain function: the answer is moved into `settle` before the future exists.
    let settled = settle(answer, operation);
    async move {
        let unread = settled?;
        let timeout = unread.timeout;
        unread
            .read()
            .await
            .map_err(|e| Error::transport(Some(operation), timeout, e))
    }
}

/// [`settle`] for an existence check (HEAD, or a raw call's `exists()`): any 2xx is `true`
/// (its body unread), 404 is `false`, anything else the error [`settle`] says.
pub(crate) fn existence(answer: Answer, operation: &'static str) -> Result<bool, Error> {
    match answer {
        Answer::Failure(failure) if failure.status == StatusCode::NOT_FOUND => Ok(false),
        answer => settle(answer, operation).map(|_| true),
    }
}

/// An error from a failed response's status, headers and body (or a 2xx body saying
/// `error: true`).
pub(crate) fn from_error_body(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
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

/// The error for a 2xx body that is not the operation's envelope: Crisp's refusal if it is an
/// error envelope saying `error: true`, else a decoding error keeping the status and a snippet.
pub(crate) fn undecodable(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    e: serde_json::Error,
) -> Error {
    match crate::json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) if envelope.error => api_error(status, headers, envelope),
        _ => Error::decode(Some(status), body, e),
    }
}

/// `scheme://host[:port]` of a `Location` value, without its path (which may hold e-mail
/// addresses); `None` for a relative location.
fn origin_of(location: &str) -> Option<String> {
    let url = reqwest::Url::parse(location).ok()?;
    Some(url.origin().ascii_serialization()).filter(|o| o != "null")
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

/// Maps progenitor's error from building a request (a parameter missing or invalid, a body
/// that does not serialise) to the SDK's.
pub(crate) fn build_error<E>(operation: &'static str, error: progenitor_client::Error<E>) -> Error {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16, body: &'static [u8]) -> Answer {
        Answer::Failure(Box::new(Failure {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: bytes::Bytes::from_static(body),
            version: http::Version::HTTP_11,
            url: "http://127.0.0.1:9/v1/website".parse().unwrap(),
        }))
    }

    #[test]
    fn foreign_answers_are_redirects_naming_the_origin() {
        let e = settle(Answer::Foreign("https://elsewhere.example".into()), "x")
            .err()
            .expect("an error");
        assert!(
            matches!(&e, Error::Redirect { status, location: Some(l) }
                if *status == StatusCode::MISDIRECTED_REQUEST && l == "https://elsewhere.example"),
            "{e:?}"
        );
    }

    #[test]
    fn existence_reads_404_as_false_and_other_failures_as_errors() {
        let refused = br#"{"error":true,"reason":"not_allowed","data":{"message":"no"}}"#;
        assert!(!existence(failure(404, b""), "x").unwrap());
        let e = existence(failure(403, refused), "x").unwrap_err();
        assert_eq!(e.status(), Some(StatusCode::FORBIDDEN));
        assert_eq!(e.to_string(), "403 not_allowed: no");
        let e = settle(failure(404, b""), "x").err().expect("an error");
        assert_eq!(e.to_string(), "404 not_found");
    }

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
