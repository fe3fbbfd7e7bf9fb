//! Typed calls: a generated operation's `call()`, `response()`, stream pages and `exists()`,
//! from the built request to the SDK's `Result`. The request goes through the transport
//! (`src/transport.rs`), its answer through the one status dispatch (`src/status.rs`), and a
//! 2xx body is decoded as the operation's envelope, whose payload is the call's data.

use crate::Error;
use crate::pagination::Fingerprint;
use crate::status::{build_error, existence, received, undecodable};
use crate::transport::Success;
use futures::FutureExt as _;
use futures::future::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A request as a generated builder's `prepare()` builds it: the client, the request and the
/// operation's id; or progenitor's error for a parameter that is missing or invalid.
pub(crate) type Built<'a, E> =
    Result<(&'a crate::Client, reqwest::Request, &'static str), progenitor_client::Error<E>>;

/// What [`fetch`] gives back: a 2xx read, not yet decoded, with the body's fingerprint when
/// the call wants one (page streams, to notice a repeated page) and the operation (for a
/// decoding error).
struct Fetched {
    success: Success,
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

/// Sends a built request through the transport ([`crate::transport::send`]) and reads a 2xx's
/// body, or gives the SDK's [`Error`] for anything else ([`crate::status::settle`]). Not
/// generic: one future for every operation, boxed once per call by [`Call`].
fn fetch<'a>(
    client: &'a crate::Client,
    request: reqwest::Request,
    operation: &'static str,
    fingerprint: bool,
) -> impl Future<Output = Result<Fetched, Error>> + Send + 'a {
    // `then`, not an `async fn`: the request and the answer are held once, not once per
    // layer, so the boxed future stays small.
    crate::transport::send(client, request, operation).then(move |answer| {
        received(answer, operation).map(move |success| {
            let success = success?;
            Ok(Fetched {
                fingerprint: fingerprint.then(|| Fingerprint::of(&success.body)),
                success,
                operation,
            })
        })
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
fn decode<T: Parts, F: Finish<T::Data>>(fetched: Fetched) -> Result<F::Output, Error> {
    let Fetched {
        success: Success {
            status,
            headers,
            body,
        },
        fingerprint,
        operation,
    } = fetched;
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

/// The future of a generated operation's `call()`, `response()` and stream pages: the built
/// request's [`fetch`] (boxed once), then a synchronous decode of the envelope `T` into `F`'s
/// value. It is a few dozen bytes whatever the operation, holds no copy of the payload until it
/// is returned, and needs no task-local state: everything the error mapping wants (status,
/// headers, the last attempt's timeout) comes back with the answer.
#[must_use = "futures do nothing unless awaited"]
pub(crate) struct Call<'a, T, F> {
    state: Result<BoxFuture<'a, Result<Fetched, Error>>, Option<Box<Error>>>,
    decode: std::marker::PhantomData<fn() -> (T, F)>,
}

impl<'a, T, F> Call<'a, T, F> {
    fn new<E>(operation: &'static str, built: Built<'a, E>, fingerprint: bool) -> Self {
        let state = match built {
            Ok((client, request, id)) => Ok(Box::pin(fetch(client, request, id, fingerprint))
                as BoxFuture<'a, Result<Fetched, Error>>),
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
                .map(|fetched| decode::<T, F>(fetched?)),
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
/// an error ([`existence`]).
pub(crate) fn exists<'a, E>(
    operation: &'static str,
    built: Built<'a, E>,
) -> impl Future<Output = Result<bool, Error>> + 'a {
    let checking = match built {
        Ok((client, request, id)) => Ok(Box::pin(
            crate::transport::send(client, request, id).map(move |answer| existence(answer, id)),
        )),
        Err(e) => Err(build_error(operation, e)),
    };
    async move { checking?.await }
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

/// Replays a recorded response through what a generated `call()` does with the transport's
/// answer (status dispatch, envelope, error mapping), for the sandbox's `replay`.
#[cfg(feature = "sandbox")]
pub(crate) async fn replay<T: Parts>(
    operation: &'static str,
    response: reqwest::Response,
) -> Result<T::Data, Error> {
    let answer = crate::transport::Answer::of(response, None).await;
    let success = received(answer, operation).await?;
    decode::<T, Data>(Fetched {
        success,
        fingerprint: None,
        operation,
    })
}

/// [`replay`] for HEAD checks.
#[cfg(feature = "sandbox")]
pub(crate) async fn replay_head(
    operation: &'static str,
    response: reqwest::Response,
) -> Result<bool, Error> {
    existence(
        crate::transport::Answer::of(response, None).await,
        operation,
    )
}
