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
    #[error("{}undecodable response ({source}): {snippet:?}", status_prefix(*status))]
    #[non_exhaustive]
    Decode {
        /// HTTP status, when a response was received.
        status: Option<StatusCode>,
        /// The first bytes of the body (at most [`SNIPPET_LEN`]), lossily decoded as UTF-8.
        snippet: String,
        /// What the decoder said.
        #[source]
        source: serde_json::Error,
    },
    /// The request could not be sent, or the response not read (connection, TLS, timeout).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
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

    pub(crate) fn decode(
        status: Option<StatusCode>,
        body: &[u8],
        source: serde_json::Error,
    ) -> Self {
        Error::Decode {
            status,
            snippet: snippet(body),
            source,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Decode { status, .. } => *status,
            Error::Transport(e) => e.status(),
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

    /// Whether Crisp refused the call for rate or quota reasons (429 or 420).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.status().map(|s| s.as_u16()), Some(429 | 420))
    }
}

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
