//! Calling any route by hand ("make an API call"), with the same authentication, envelope and
//! error handling as the generated operations.

use crate::{Client, Error, Response};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request to any route; see [`Client::raw`].
#[derive(Debug)]
#[must_use]
pub struct RawRequest<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Result<Value, String>>,
}

impl Client {
    /// A request to any route, given as path segments below the base URL. Each segment is
    /// percent-encoded, so ids holding `/`, `@` or spaces are safe.
    ///
    /// ```no_run
    /// # async fn run(client: crisp_api::Client) -> Result<(), crisp_api::Error> {
    /// use reqwest::Method;
    /// let count: serde_json::Value = client
    ///     .raw(Method::GET, ["website", "8c842203-7ed8-4e29-a608-7cf78a7d2fcc", "visitors", "count"])
    ///     .call()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn raw<S: AsRef<str>>(
        &self,
        method: Method,
        segments: impl IntoIterator<Item = S>,
    ) -> RawRequest<'_> {
        let path = segments
            .into_iter()
            .map(|s| format!("/{}", progenitor_client::encode_path(s.as_ref())))
            .collect();
        RawRequest {
            client: self,
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }
}

impl RawRequest<'_> {
    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sets the JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    async fn send(self) -> Result<reqwest::Response, Error> {
        let url = format!("{}{}", self.client.baseurl(), self.path);
        let mut builder = self.client.client().request(self.method, url);
        if !self.query.is_empty() {
            builder = builder.query(&self.query);
        }
        match self.body {
            Some(Ok(body)) => builder = builder.json(&body),
            Some(Err(e)) => return Err(Error::InvalidRequest(format!("body: {e}"))),
            None => {}
        }
        let request = builder.build().map_err(Error::Transport)?;
        let info = OperationInfo {
            operation_id: "raw",
        };
        self.client
            .exec(request, &info)
            .await
            .map_err(Error::Transport)
    }

    /// Sends the request and returns the envelope's `data` decoded as `T`
    /// (`serde_json::Value` for anything, `()` to ignore it).
    pub async fn call<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.response().await.map(Response::into_data)
    }

    /// Like [`Self::call`], keeping the status, headers and reason.
    pub async fn response<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let response = self.send().await?;
        let (status, headers) = (response.status(), response.headers().clone());
        let body = response.bytes().await.map_err(Error::Transport)?;
        if !status.is_success() {
            return Err(crate::call::from_error_body(status, headers, &body));
        }
        #[derive(serde::Deserialize)]
        struct Envelope {
            #[serde(default)]
            reason: String,
            #[serde(default)]
            data: Value,
        }
        let envelope: Envelope =
            serde_json::from_slice(&body).map_err(|e| Error::decode(Some(status), &body, e))?;
        let data =
            T::deserialize(envelope.data).map_err(|e| Error::decode(Some(status), &body, e))?;
        Ok(Response {
            status,
            headers,
            reason: envelope.reason,
            data,
        })
    }

    /// Sends the request as an existence check: 2xx is `true`, 404 `false`, else an error.
    pub async fn exists(self) -> Result<bool, Error> {
        let response = self.send().await?;
        let (status, headers) = (response.status(), response.headers().clone());
        if status.is_success() {
            return Ok(true);
        }
        if status == StatusCode::NOT_FOUND {
            return Ok(false);
        }
        let body = response.bytes().await.map_err(Error::Transport)?;
        Err(crate::call::from_error_body(status, headers, &body))
    }
}
