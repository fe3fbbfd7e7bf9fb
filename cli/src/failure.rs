//! Why a command failed, each kind with its exit code, and the SDK's errors told so a person
//! can act on them: the host on transport errors, an HTML error page by its status and title,
//! a hint on 401/403.

use std::fmt;

/// Why a command failed; each kind has its own exit code (see [`crate::cli::EXIT_CODES`]).
#[derive(Debug)]
pub enum Failure {
    /// Exit 2: the command line, a body or the configuration is wrong; nothing was sent.
    Usage(String),
    /// Exit 3: Crisp answered with an error, or with something unreadable.
    Api(String),
    /// Exit 4: no answer (connection, DNS, TLS, timeout).
    Transport(String),
    /// Exit 5: a web hook delivery was refused.
    Refused(String),
}

impl Failure {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Api(_) => 3,
            Failure::Transport(_) => 4,
            Failure::Refused(_) => 5,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) => write!(f, "error: {m}"),
            Failure::Api(m) => write!(f, "API error: {m}"),
            Failure::Transport(m) => write!(f, "transport error: {m}"),
            Failure::Refused(m) => write!(f, "delivery refused: {m}"),
        }
    }
}

/// Without context (the sandbox, configuration errors).
impl From<crisp_api::Error> for Failure {
    fn from(e: crisp_api::Error) -> Self {
        explain(e, &Context::default())
    }
}

/// What an error message may name.
#[derive(Debug, Default)]
pub struct Context {
    /// The API's host.
    pub host: String,
    /// The token's tier.
    pub tier: String,
}

/// The error told for a person: the host on transport errors, an HTML page summarised, a hint
/// on 401/403.
pub fn explain(e: crisp_api::Error, context: &Context) -> Failure {
    use crisp_api::Error;
    let host = if context.host.is_empty() {
        "the API".to_owned()
    } else {
        context.host.clone()
    };
    match &e {
        Error::Transport { .. } => {
            // `raw (…): ` names the SDK's internal label; the host is what a person can check.
            let text = e.to_string();
            let text = text
                .strip_prefix("raw: ")
                .map(str::to_owned)
                .unwrap_or(text);
            Failure::Transport(format!("{host}: {text}"))
        }
        Error::InvalidRequest(_) | Error::Config { .. } => Failure::Usage(e.to_string()),
        Error::Decode {
            status: Some(status),
            snippet,
            ..
        } if looks_like_html(snippet.as_str()) => {
            let title = html_title(snippet.as_str())
                .map(|t| format!(" titled \"{t}\""))
                .unwrap_or_default();
            Failure::Api(format!(
                "{host} answered {status} with an HTML page{title} instead of JSON (an error \
                 page of a proxy or of the server)"
            ))
        }
        Error::Api { status, .. } if matches!(status.as_u16(), 401 | 403) => {
            let tier = if context.tier.is_empty() {
                "plugin"
            } else {
                &context.tier
            };
            Failure::Api(format!(
                "{e}\nhint: check the token with `crisp auth status`: the identifier, the key, \
                 and the tier (now `{tier}`; change it with --tier or CRISP_TIER) must match the \
                 token, and the token must hold the scope of this route"
            ))
        }
        _ => Failure::Api(e.to_string()),
    }
}

/// Crisp's error envelope for an API error (`--raw`), when the error is one.
pub fn envelope(e: &crisp_api::Error) -> Option<serde_json::Value> {
    match e {
        crisp_api::Error::Api {
            reason, message, ..
        } => Some(serde_json::json!({
            "error": true,
            "reason": reason,
            "data": message.as_ref().map(|m| serde_json::json!({"message": m})),
        })),
        _ => None,
    }
}

fn looks_like_html(snippet: &str) -> bool {
    let start = snippet.trim_start().to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.contains("<title")
}

/// The text of an HTML page's `<title>`, trimmed and short.
fn html_title(page: &str) -> Option<String> {
    let lower = page.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title: String = page
        .get(start..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then(|| title.chars().take(80).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_title_is_found() {
        let page = "<!DOCTYPE html><html><head><TITLE>\n 502 Bad Gateway </title></head>";
        assert!(looks_like_html(page));
        assert_eq!(html_title(page).as_deref(), Some("502 Bad Gateway"));
        assert!(!looks_like_html("{\"error\": true}"));
    }
}
