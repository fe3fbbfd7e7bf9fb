//! progenitor's terms: the raw `send()` of every generated operation ([`Sending`], the decoded
//! body or progenitor's error) and progenitor's `ClientHooks::exec` (the `send()` of HEAD
//! checks). The one place where the transport's [`Answer`] is turned back into a
//! `reqwest::Response` or a `progenitor_client::Error`.

use crate::call::Built;
use crate::config::Inner;
use crate::transport::{Answer, Failure, Success};
use crate::types::ErrorEnvelope;
use futures::future::BoxFuture;
use progenitor_client::{ClientHooks, OperationInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// progenitor's error, as every raw `send()` returns it.
type ProgenitorError = progenitor_client::Error<ErrorEnvelope>;

impl ClientHooks<Inner> for crate::Client {
    /// The hook of progenitor's own `send()` tails (HEAD checks' `send()`): the transport
    /// ([`crate::transport::send`]), its answer as a response.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match crate::transport::send(self, request, info.operation_id).await {
            Answer::Success(unread) => Ok(unread.response),
            Answer::Failure(failure) => Ok(rebuilt(*failure)),
            Answer::Foreign(_) => Ok(misdirected()),
            Answer::Transport { error, .. } => Err(error),
        }
    }
}

/// The future of every generated operation's `send()`: progenitor's raw result, the decoded
/// envelope with status and headers, or progenitor's error. Most code wants the operation's
/// `.call()` or `.response()` instead, which return the `data` and a [`crate::Error`].
///
/// The request is built when `send()` is called; awaiting sends it through the client's
/// transport (authentication, retries, rate limit, timeouts) and decodes the answer. A `send()`
/// of every operation returns this one type (`codegen/compact.rs` rewrites progenitor's
/// per-operation `async fn`s), which keeps the generated client small to compile and each call
/// one small state machine.
#[must_use = "futures do nothing unless awaited"]
pub struct Sending<'a, T> {
    state: State<'a>,
    decode: std::marker::PhantomData<fn() -> T>,
}

/// Where a [`Sending`] is.
enum State<'a> {
    /// The request could not be built (boxed: rare, and progenitor's error is large).
    Invalid(Option<Box<ProgenitorError>>),
    /// The request is on its way.
    Exchanging(BoxFuture<'a, Result<Success, ProgenitorError>>),
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
    type Output = Result<ResponseValue<T>, ProgenitorError>;

    #[allow(clippy::result_large_err)] // progenitor's error type
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
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

/// Sends a built request through the transport and sorts its answer in progenitor's terms
/// (for [`Sending`]): the body of a 2xx, Crisp's error envelope for a 4xx or 5xx, anything
/// else unexpected. One non-generic future for all operations.
#[allow(clippy::result_large_err)] // progenitor's error type, which `send()` returns
async fn exchange(
    client: &crate::Client,
    request: reqwest::Request,
    operation_id: &'static str,
) -> Result<Success, ProgenitorError> {
    use progenitor_client::Error as P;
    match crate::transport::send(client, request, operation_id).await {
        Answer::Success(unread) => unread.read().await.map_err(P::ResponseBodyError),
        Answer::Failure(failure) => Err(match failure.status.as_u16() {
            400..=599 => {
                let Failure {
                    status,
                    headers,
                    body,
                    ..
                } = *failure;
                error_response(status, headers, body)
            }
            _ => P::UnexpectedResponse(rebuilt(*failure)),
        }),
        Answer::Foreign(_) => Err(error_response(
            StatusCode::MISDIRECTED_REQUEST,
            HeaderMap::new(),
            bytes::Bytes::new(),
        )),
        Answer::Transport { error, .. } => Err(P::CommunicationError(error)),
    }
}

/// A 4xx or 5xx in progenitor's terms: Crisp's error envelope, or the body that is not one.
fn error_response(status: StatusCode, headers: HeaderMap, body: bytes::Bytes) -> ProgenitorError {
    // progenitor's own reader (`ResponseValue::from_response`), as progenitor's code reads it.
    match serde_json::from_slice(&body) {
        Ok(envelope) => {
            progenitor_client::Error::ErrorResponse(ResponseValue::new(envelope, status, headers))
        }
        Err(e) => progenitor_client::Error::InvalidResponsePayload(body, e),
    }
}

/// Decodes a successful body as `T`, in progenitor's terms.
#[allow(clippy::result_large_err)]
fn decode_value<T: serde::de::DeserializeOwned>(
    success: Success,
) -> Result<ResponseValue<T>, ProgenitorError> {
    let Success {
        status,
        headers,
        body,
    } = success;
    match crate::json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(body, e)),
    }
}

/// A failure read by the transport as a response again, for progenitor, which wants one.
fn rebuilt(failure: Failure) -> reqwest::Response {
    let Failure {
        status,
        headers,
        body,
        version,
        url,
    } = failure;
    // Keeps the URL (never shown in errors): it tells where the response came from.
    use reqwest::ResponseBuilderExt as _;
    let mut response = http::Response::builder()
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body));
    *response.status_mut() = status;
    *response.version_mut() = version;
    *response.headers_mut() = headers;
    reqwest::Response::from(response)
}

/// An answer from another origin in progenitor's terms: an empty `421 Misdirected Request`
/// (the foreign response itself was dropped unread).
fn misdirected() -> reqwest::Response {
    let mut response = http::Response::new(bytes::Bytes::new());
    *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
    reqwest::Response::from(response)
}
