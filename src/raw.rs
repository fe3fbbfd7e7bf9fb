//! Calling any route by hand ("make an API call"), with the same authentication, envelope and
//! error handling as the generated operations.

use crate::transport::{Answer, Success};
use crate::{Client, Error, Response};
use progenitor_client::ClientInfo;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The operation name of raw calls (in errors and traces).
const RAW: &str = "raw";

/// A request to any route; see [`Client::raw`].
#[derive(Debug)]
#[must_use]
pub struct RawRequest<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Result<Value, String>>,
    /// The first invalid argument, reported when sending.
    invalid: Option<String>,
}

/// A path below the base URL for [`Client::raw`]: either one string split on `/`
/// (`"website/8c84…/visitors/count"`) or a list of segments (`["website", id, "visitors"]`).
/// Each segment is percent-encoded either way, so a segment can never add path levels; use the
/// list form for a segment that itself contains `/`.
pub trait RawPath {
    /// The encoded path, each segment preceded by `/`; an error for a `.` or `..` segment
    /// (a URL would resolve it to another route).
    fn encode(self) -> Result<String, String>;
}

fn encode_segments<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> Result<String, String> {
    let mut path = String::new();
    for s in segments {
        let s = s.as_ref();
        let encoded = crate::path::encode(s)
            .ok_or_else(|| format!("a path segment cannot be `{s}` (a URL would resolve it)"))?;
        path.push('/');
        path.push_str(&encoded);
    }
    Ok(path)
}

impl RawPath for &str {
    fn encode(self) -> Result<String, String> {
        encode_segments(self.split('/').filter(|s| !s.is_empty()))
    }
}

impl RawPath for &String {
    fn encode(self) -> Result<String, String> {
        self.as_str().encode()
    }
}

impl RawPath for String {
    fn encode(self) -> Result<String, String> {
        self.as_str().encode()
    }
}

impl<S: AsRef<str>, const N: usize> RawPath for [S; N] {
    fn encode(self) -> Result<String, String> {
        encode_segments(self)
    }
}

impl<S: AsRef<str>> RawPath for Vec<S> {
    fn encode(self) -> Result<String, String> {
        encode_segments(self)
    }
}

impl<S: AsRef<str>> RawPath for &Vec<S> {
    fn encode(self) -> Result<String, String> {
        encode_segments(self)
    }
}

impl<S: AsRef<str>, const N: usize> RawPath for &[S; N] {
    fn encode(self) -> Result<String, String> {
        encode_segments(self)
    }
}

impl<S: AsRef<str>> RawPath for &[S] {
    fn encode(self) -> Result<String, String> {
        encode_segments(self)
    }
}

impl Client {
    /// A request to any route below the base URL, given as one string split on `/` or as a
    /// list of segments ([`RawPath`]). Each segment is percent-encoded, so ids holding `@` or
    /// spaces are safe.
    ///
    /// ```no_run
    /// # async fn run(client: crisp_api::Client) -> Result<(), crisp_api::Error> {
    /// use crisp_api::Method;
    /// let website = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
    /// let count: serde_json::Value = client
    ///     .raw(Method::GET, ["website", website, "visitors", "count"])
    ///     .call()
    ///     .await?;
    /// let page: serde_json::Value = client
    ///     .raw(Method::GET, format!("website/{website}/conversations/1"))
    ///     .query("per_page", 50)
    ///     .header("accept-language", "fr")
    ///     .call()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn raw(&self, method: Method, path: impl RawPath) -> RawRequest<'_> {
        let (path, invalid) = match path.encode() {
            Ok(path) => (path, None),
            Err(e) => (String::new(), Some(e)),
        };
        RawRequest {
            client: self,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            invalid,
        }
    }
}

impl RawRequest<'_> {
    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds a request header. `Authorization`, `X-Crisp-Tier` and `User-Agent` belong to the
    /// client and cannot be set here (sending fails with [`Error::InvalidRequest`]), nor can
    /// an invalid name or value.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("`{name}` is not a valid header name"))
            .and_then(|n| {
                if n == AUTHORIZATION || n == crate::transport::TIER_HEADER || n == USER_AGENT {
                    Err(format!(
                        "the `{n}` header is set by the client and cannot be overridden"
                    ))
                } else {
                    HeaderValue::from_str(value.as_ref())
                        .map(|v| (n, v))
                        .map_err(|_| format!("the value of header `{name}` is not valid"))
                }
            });
        match parsed {
            Ok(pair) => self.headers.push(pair),
            Err(e) => {
                self.invalid.get_or_insert(e);
            }
        }
        self
    }

    /// Sets the JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    /// Sends the request through the transport; its [`Answer`] is for [`crate::status`].
    async fn send(self) -> Result<Answer, Error> {
        if let Some(e) = self.invalid {
            return Err(Error::InvalidRequest(format!("raw call: {e}")));
        }
        let url = format!("{}{}", self.client.baseurl(), self.path);
        let mut builder = self.client.client().request(self.method, url);
        if !self.query.is_empty() {
            builder = builder.query(&self.query);
        }
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        match self.body {
            Some(Ok(body)) => builder = builder.json(&body),
            Some(Err(e)) => return Err(Error::InvalidRequest(format!("raw call: body: {e}"))),
            None => {}
        }
        let request = builder
            .build()
            .map_err(|e| Error::transport(Some(RAW), None, e))?;
        Ok(crate::transport::send(self.client, request, RAW).await)
    }

    /// Sends the request and returns the envelope's `data` decoded as `T`
    /// (`serde_json::Value` for anything, `()` to ignore it).
    pub async fn call<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.response().await.map(Response::into_data)
    }

    /// Like [`Self::call`], keeping the status, headers and reason.
    ///
    /// Any 2xx is a success unless the envelope says `error: true` (an [`Error::Api`]). A
    /// `data: null` decodes as `T` would decode `null` (use `Option<T>`, or `serde_json::Value`).
    pub async fn response<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let Success {
            status,
            headers,
            body,
        } = crate::status::received(self.send().await?, RAW).await?;
        #[derive(serde::Deserialize)]
        struct Envelope {
            #[serde(default)]
            error: bool,
            #[serde(default)]
            reason: String,
            #[serde(default)]
            data: Value,
        }
        /// The envelope's `data` as `T`, to find the path of a value that does not fit.
        #[derive(serde::Deserialize)]
        struct DataOf<T> {
            #[allow(dead_code)]
            data: T,
        }
        let envelope: Envelope = crate::json::from_slice(&body)
            .map_err(|e| Error::decode(Some(status), &body, e).at::<Envelope>(RAW, &body))?;
        if envelope.error {
            return Err(crate::status::from_error_body(status, headers, &body)
                .at::<crate::types::ErrorEnvelope>(RAW, &body));
        }
        let data = T::deserialize(envelope.data)
            .map_err(|e| Error::decode(Some(status), &body, e).at::<DataOf<T>>(RAW, &body))?;
        Ok(Response {
            status,
            headers,
            reason: envelope.reason,
            data,
        })
    }

    /// Sends the request as an existence check: 2xx is `true`, 404 `false`, else an error.
    pub async fn exists(self) -> Result<bool, Error> {
        crate::status::existence(self.send().await?, RAW)
    }
}
