//! The axum extractor for verified web hook deliveries (feature `axum`).

use super::{Delivery, Error, Verifier};
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An axum extractor (feature `axum`): a delivery whose signature (and freshness, if the
/// [`Verifier`] has a window) was checked on the raw body, parsed into its [`Delivery`].
///
/// The verifier comes from the router state (`Verifier: FromRef<S>`). A refused request is
/// answered before the handler runs: 403 with the reason when it is not from Crisp, 400 when
/// it is malformed (see [`Error::status`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CrispHook(pub Delivery);

impl<S> FromRequest<S> for CrispHook
where
    S: Send + Sync,
    Verifier: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Verifier::from_ref(state);
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        verifier
            .receive(&headers, &body)
            .map(CrispHook)
            .map_err(IntoResponse::into_response)
    }
}

/// The status of [`Error::status`] with the error's text.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, self.to_string()).into_response()
    }
}
