//! The SDK's one error type.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How many bytes of an undecodable body an [`Error`] keeps.
pub const SNIPPET_LEN: usize = 512;

/// Everything that can go wrong calling Crisp.
///
/// `Display` reads like `404 not_found: the route does not exist`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Crisp answered with an error envelope (`error: true`).
    #[error("{}", api_display(*status, reason, message.as_deref()))]
    #[non_exhaustive]
    Api {
        /// HTTP status.
        status: StatusCode,
        /// Crisp's machine-readable reason, such as `not_found` or `invalid_data`.
        reason: String,
        /// Crisp's human-readable `data.message`, when given.
        message: Option<String>,
        /// Response headers.
        headers: Box<HeaderMap>,
    },
    /// The response could not be decoded: not JSON, truncated, or not the documented shape.
    ///
    /// `Display` names the operation and the JSON path of the value at fault, such as
    /// `200 list_conversations: undecodable response at data[1].meta.data.seats: invalid type:
    /// string "…", expected u32 at line 1 column 812`. Neither `Display` nor `Debug` shows the
    /// body or the values serde quotes (they hold customers' names, addresses and messages):
    /// [`Error::body_snippet`] gives the first bytes of the body to those who want to look.
    #[error(
        "{}{}undecodable response{}: {source}",
        status_prefix(*status),
        operation_prefix(*operation),
        path.as_deref().map(|p| format!(" at {p}")).unwrap_or_default()
    )]
    #[non_exhaustive]
    Decode {
        /// HTTP status, when a response was received.
        status: Option<StatusCode>,
        /// The operation id (`raw` for raw calls), when known.
        operation: Option<&'static str>,
        /// The JSON path of the value that failed to decode (`data[1].meta.email`), when the
        /// body is JSON.
        path: Option<String>,
        /// The first bytes of the body (at most [`SNIPPET_LEN`]), withheld from `Debug`.
        snippet: Snippet,
        /// What the decoder said (its quoted values withheld from `Display` and `Debug`).
        #[source]
        source: JsonError,
    },
    /// The request could not be sent, or the response not read (connection, TLS, timeout).
    ///
    /// `Display` says what happened and in which operation (by its path template), such as
    /// `get_conversation (GET /website/{website_id}/conversation/{session_id}): timed out after
    /// 10 s`; the filled URL, which may hold e-mail addresses, is never shown.
    #[error("{}{}", operation_prefix(*operation), transport_display(*kind, *timeout, source))]
    #[non_exhaustive]
    Transport {
        /// The operation id (`raw` for raw calls), when known.
        operation: Option<&'static str>,
        /// What failed.
        kind: TransportKind,
        /// The attempt timeout in force, for timeouts.
        timeout: Option<std::time::Duration>,
        /// reqwest's error, with its URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// Crisp's API never redirects: a `3xx` answer is refused rather than followed, so that no
    /// request (nor its credentials or body) is carried to another host. A caller's own
    /// `reqwest::Client` that followed a redirect to another host gives this error too, with
    /// status `421` (the foreign response is dropped unread).
    #[error(
        "{} redirect refused (the Crisp API never redirects){}",
        status.as_u16(),
        location.as_deref().map(|l| format!(" towards {l}")).unwrap_or_default()
    )]
    #[non_exhaustive]
    Redirect {
        /// The redirect status (or `421` when a caller's client already followed it).
        status: StatusCode,
        /// The origin (`scheme://host[:port]`) the redirect pointed to, when given; its path
        /// is left out, as it may hold personal data.
        location: Option<String>,
    },
    /// The request was rejected before being sent (a missing or invalid parameter).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A paginated listing answered the same page twice in a row; the stream stopped rather
    /// than loop forever.
    #[error("{operation}: page {page} repeats the page before it; stopping")]
    #[non_exhaustive]
    RepeatedPage {
        /// The operation being listed.
        operation: &'static str,
        /// The page number that repeated.
        page: u32,
    },
    /// The client configuration is missing or malformed.
    #[error("configuration error: {name} {problem}")]
    #[non_exhaustive]
    Config {
        /// The setting or environment variable at fault, such as `CRISP_KEY`.
        name: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

/// What kind of transport failure an [`Error::Transport`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The attempt (or the call's deadline) timed out.
    Timeout,
    /// The server refused the connection (nothing listens there).
    ConnectionRefused,
    /// The connection could not be established (DNS, network unreachable, reset while
    /// connecting).
    Connect,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// The connection broke while the response body was read.
    Body,
    /// The request could not be built or sent for another reason.
    Other,
}

impl TransportKind {
    /// Classifies a reqwest error.
    pub(crate) fn of(e: &reqwest::Error) -> Self {
        let chain = source_chain(e);
        if e.is_timeout() {
            TransportKind::Timeout
        } else if chain_has_io_kind(e, std::io::ErrorKind::ConnectionRefused) {
            TransportKind::ConnectionRefused
        } else if ["tls", "certificate", "handshake"]
            .iter()
            .any(|w| chain.to_ascii_lowercase().contains(w))
        {
            TransportKind::Tls
        } else if e.is_connect() {
            TransportKind::Connect
        } else if e.is_body() || e.is_decode() {
            TransportKind::Body
        } else {
            TransportKind::Other
        }
    }
}

fn chain_has_io_kind(e: &(dyn std::error::Error + 'static), kind: std::io::ErrorKind) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == kind)
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The messages of an error's sources (not the error itself, whose text holds the URL).
fn source_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut cur = std::error::Error::source(e);
    while let Some(err) = cur {
        parts.push(err.to_string());
        cur = err.source();
    }
    parts.join(": ")
}

fn operation_prefix(operation: Option<&'static str>) -> String {
    match operation {
        Some(id) => match crate::operations::find(id) {
            Some(op) => format!("{id} ({} {}): ", op.method, op.path),
            None => format!("{id}: "),
        },
        None => String::new(),
    }
}

fn transport_display(
    kind: TransportKind,
    timeout: Option<std::time::Duration>,
    source: &reqwest::Error,
) -> String {
    let detail = source_chain(source);
    let with_detail = |what: &str| {
        if detail.is_empty() {
            what.to_owned()
        } else {
            format!("{what} ({detail})")
        }
    };
    match kind {
        TransportKind::Timeout => match timeout {
            Some(t) => format!("timed out after {}", human(t)),
            None => "timed out".to_owned(),
        },
        TransportKind::ConnectionRefused => "connection refused".to_owned(),
        TransportKind::Connect => with_detail("could not connect"),
        TransportKind::Tls => with_detail("TLS handshake failed"),
        TransportKind::Body => with_detail("the response body could not be read"),
        TransportKind::Other => with_detail("transport error"),
    }
}

/// `10 s`, `1.5 s`, `200 ms`.
fn human(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn status_prefix(status: Option<StatusCode>) -> String {
    status
        .map(|s| format!("{} ", s.as_u16()))
        .unwrap_or_default()
}

fn api_display(status: StatusCode, reason: &str, message: Option<&str>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!("{} {reason}: {m}", status.as_u16()),
        _ => format!("{} {reason}", status.as_u16()),
    }
}

impl Error {
    pub(crate) fn config(name: &'static str, problem: impl Into<String>) -> Self {
        Error::Config {
            name,
            problem: problem.into(),
        }
    }

    /// A decoding error of `operation` (the JSON path is found by [`crate::json::locate`]
    /// when the caller knows the type, with [`Error::at`]).
    pub(crate) fn decode(
        status: Option<StatusCode>,
        body: &[u8],
        source: serde_json::Error,
    ) -> Self {
        Error::Decode {
            status,
            operation: None,
            path: None,
            snippet: Snippet(snippet(body)),
            source: JsonError(source),
        }
    }

    /// This error, naming `operation` and, for a decoding error, the path of the value that
    /// failed in `body` decoded as `T` (computed now: for the failure path only).
    pub(crate) fn at<T: serde::de::DeserializeOwned>(
        mut self,
        operation: &'static str,
        body: &[u8],
    ) -> Self {
        if let Error::Decode {
            operation: op,
            path,
            ..
        } = &mut self
        {
            *op = Some(operation);
            *path = crate::json::locate::<T>(body);
        }
        self
    }

    /// The first bytes of the body (at most [`SNIPPET_LEN`], as text) of an undecodable
    /// response. Kept out of `Display` and `Debug`, as it may hold personal data: log it only
    /// where that is allowed.
    pub fn body_snippet(&self) -> Option<&str> {
        match self {
            Error::Decode { snippet, .. } => Some(snippet.as_str()),
            _ => None,
        }
    }

    /// A transport error of `operation`, without the URL (it may hold e-mail addresses).
    pub(crate) fn transport(
        operation: Option<&'static str>,
        timeout: Option<std::time::Duration>,
        source: reqwest::Error,
    ) -> Self {
        let kind = TransportKind::of(&source);
        Error::Transport {
            operation,
            kind,
            timeout: timeout.filter(|_| kind == TransportKind::Timeout),
            source: source.without_url(),
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::Redirect { status, .. } => Some(*status),
            Error::Decode { status, .. } => *status,
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest(_) | Error::Config { .. } | Error::RepeatedPage { .. } => None,
        }
    }

    /// Crisp's reason (`not_found`, `invalid_data`, …) for API errors.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::Api { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// Whether Crisp said the thing does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether Crisp refused the call for rate or quota reasons (429 or 420, or 423
    /// `quota_limit_exceeded`).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.status().map(|s| s.as_u16()), Some(429 | 420))
            || self.reason() == Some("quota_limit_exceeded")
    }

    /// Whether the request or the response timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        )
    }

    /// Whether no connection could be made (refused, unreachable, DNS, TLS handshake).
    pub fn is_connect(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::ConnectionRefused
                    | TransportKind::Connect
                    | TransportKind::Tls,
                ..
            }
        )
    }
}

/// The first bytes of an undecodable body; `Debug` shows only its length (it may hold personal
/// data). Read it with [`Snippet::as_str`] or [`Error::body_snippet`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Snippet(String);

impl Snippet {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Snippet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Snippet(<{} bytes withheld>)", self.0.len())
    }
}

/// serde_json's error with the values it quotes withheld from `Display` and `Debug` (a value
/// of a body may be a customer's name, address or message): `invalid type: string "…",
/// expected u32 at line 1 column 9`. The original is [`JsonError::get_ref`].
pub struct JsonError(pub(crate) serde_json::Error);

impl JsonError {
    /// serde_json's error, whose text may quote a value of the body.
    pub fn get_ref(&self) -> &serde_json::Error {
        &self.0
    }

    /// serde_json's error, whose text may quote a value of the body.
    pub fn into_inner(self) -> serde_json::Error {
        self.0
    }

    /// The line of the failure (1-based; 0 when it has no position).
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// The column of the failure (1-based; 0 when it has no position).
    pub fn column(&self) -> usize {
        self.0.column()
    }
}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> Self {
        JsonError(e)
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::json::redact(&self.0.to_string()))
    }
}

impl std::fmt::Debug for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JsonError({:?})", self.to_string())
    }
}

impl std::error::Error for JsonError {}

/// At most [`SNIPPET_LEN`] bytes of `body`, as text, cut on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LEN)]).into_owned();
    let text = text.trim_end_matches('\u{FFFD}').to_owned();
    if body.len() > SNIPPET_LEN {
        format!("{text}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_like_crisp() {
        let e = Error::Api {
            status: StatusCode::NOT_FOUND,
            reason: "not_found".into(),
            message: Some("the route does not exist".into()),
            headers: Box::default(),
        };
        assert_eq!(e.to_string(), "404 not_found: the route does not exist");
        assert!(e.is_not_found());
    }

    #[test]
    fn snippet_is_bounded_and_utf8_safe() {
        let body = "é".repeat(SNIPPET_LEN);
        let s = snippet(body.as_bytes());
        assert!(s.len() <= SNIPPET_LEN + '…'.len_utf8());
        assert!(s.ends_with('…'));
        assert!(!s.contains('\u{FFFD}'));
    }
}
