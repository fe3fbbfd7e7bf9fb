//! A loopback stand-in for the Crisp API (feature `sandbox`): every operation of the bundled spec
//! answers with its documented example, and unknown routes answer 404 with Crisp's error
//! envelope. Use it to try the SDK without credentials, or in your own tests.
//!
//! Like the live API, lists answer `206 Partial Content` while more remains: page 1 of every
//! paginated list (and the latest batch of a conversation's messages) is the example with a
//! `206`; the next page (or the batch before it) is empty with a `200`. The answers are the
//! spec's examples, emitted at build time for the operations of the enabled families.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), crisp_api::Error> {
//! let sandbox = crisp_api::sandbox::Sandbox::start().await;
//! let client = sandbox.client();
//! let website = client.get_website().website_id("8c842203-7ed8-4e29-a608-7cf78a7d2fcc").call().await?;
//! println!("{website:?}");
//! # Ok(()) }
//! ```

use crate::{Client, ClientBuilder};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The identifier of the sandbox's fake token.
pub const IDENTIFIER: &str = "00000000-0000-4000-8000-000000000000";
/// The key of the sandbox's fake token.
pub const KEY: &str = "sandbox";

/// The example success response (the whole envelope) the spec documents for an operation of
/// this build (emitted by `build.rs`; nothing parses the spec at run time).
pub fn example(operation_id: &str) -> Option<Value> {
    let examples = crate::generated::extensions::EXAMPLES;
    let at = examples
        .binary_search_by(|(id, _)| id.cmp(&operation_id))
        .ok()?;
    Some(serde_json::from_str(examples[at].1).expect("build.rs emits JSON examples"))
}

/// Decodes a recorded response exactly as operation `operation_id`'s `.call()` (or
/// `.exists()` for HEAD checks) would — the status dispatch, the envelope, `error: true`, error
/// mapping — and drops the data. `None` for an unknown operation id.
///
/// Useful to check that your code's error handling sees what it expects from odd responses,
/// without a server:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let response = http::Response::builder()
///     .status(502)
///     .body("<html>Bad gateway</html>")
///     .unwrap();
/// let err = crisp_api::sandbox::replay("get_conversation", response)
///     .await
///     .unwrap()
///     .unwrap_err();
/// assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
/// # }
/// ```
pub async fn replay<B: Into<bytes::Bytes>>(
    operation_id: &str,
    response: http::Response<B>,
) -> Option<Result<(), crate::Error>> {
    let response = reqwest::Response::from(response.map(Into::into));
    Some(crate::generated::extensions::replay(operation_id, response)?.await)
}

/// A running sandbox. It stops when dropped.
#[derive(Debug)]
pub struct Sandbox {
    server: MockServer,
}

impl Sandbox {
    /// Starts a sandbox on a free loopback port.
    pub async fn start() -> Sandbox {
        let server = MockServer::start().await;
        for op in crate::operations::ALL {
            let route = |page: &str| {
                let mut pattern = String::from("^/v1");
                for segment in op.path.split('/').filter(|s| !s.is_empty()) {
                    pattern.push('/');
                    if segment == "{page_number}" {
                        pattern.push_str(page);
                    } else if segment.starts_with('{') {
                        pattern.push_str("[^/]+");
                    } else {
                        pattern.push_str(&regex_escape(segment));
                    }
                }
                pattern.push('$');
                path_regex(pattern)
            };
            // Routes with fewer placeholders win over ones that could also match.
            let params = u8::try_from(op.path.matches('{').count()).unwrap_or(u8::MAX - 2);
            // Like Crisp: a list page with more to come answers `206 Partial Content`, the
            // last (empty) page `200`. A list has one page, the example, so streams end.
            let paged = op.paginated || op.cursor.is_some();
            let status = if paged { 206 } else { 200 };
            let response = match example(op.id) {
                Some(body) => ResponseTemplate::new(status).set_body_json(body),
                None => ResponseTemplate::new(status),
            };
            let first_page = if op.paginated { "1" } else { "[^/]+" };
            let mut first = Mock::given(method(op.method)).and(route(first_page));
            if let Some(cursor) = op.cursor {
                // The latest batch; asking for older items (`timestamp_before`) gets none.
                first = first.and(move |r: &wiremock::Request| {
                    !r.url.query_pairs().any(|(k, _)| k == cursor.param)
                });
            }
            first
                .respond_with(response)
                .with_priority(1 + params)
                .named(op.id)
                .mount(&server)
                .await;
            if paged {
                let reason = example(op.id)
                    .and_then(|e| e["reason"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| "listed".to_owned());
                let rest = if op.paginated { "[0-9]+" } else { "[^/]+" };
                Mock::given(method(op.method))
                    .and(route(rest))
                    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                        "error": false,
                        "reason": reason,
                        "data": []
                    })))
                    .with_priority(2 + params)
                    .named(op.id)
                    .mount(&server)
                    .await;
            }
        }
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(404).set_body_json(json!({
                "error": true,
                "reason": "not_found",
                "data": {"namespace": "response", "message": "the route does not exist"}
            })))
            .with_priority(u8::MAX)
            .named("unknown route")
            .mount(&server)
            .await;
        Sandbox { server }
    }

    /// The base URL to give [`ClientBuilder::base_url`] (ends in `/v1`).
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// A client builder pointed at the sandbox with its fake credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .credentials(IDENTIFIER, KEY)
            .base_url(self.base_url())
    }

    /// A plugin-tier client pointed at the sandbox.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the sandbox configuration is valid")
    }

    /// The underlying mock server, to mount extra routes or inspect received requests.
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}

/// The website id the sandbox's examples use.
pub const WEBSITE_ID: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";

/// What a program runs against: the real API when the environment holds credentials
/// (`CRISP_IDENTIFIER` and `CRISP_KEY`, see [`Client::from_env`]), else a fresh sandbox — said
/// on stderr, so that nobody mistakes the sandbox's examples for their data. The examples and
/// the `crisp` CLI start this way.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), crisp_api::Error> {
/// use crisp_api::sandbox::Playground;
/// # // SAFETY: a doc test process of its own.
/// # unsafe { std::env::remove_var("CRISP_KEY") };
/// let playground = Playground::from_env("my-tool/1.0").await?;
/// assert!(playground.sandbox.is_some());
/// let website = playground
///     .client
///     .get_website()
///     .website_id(&playground.website_id)
///     .call()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Playground {
    /// A client for the real API or the sandbox.
    pub client: Client,
    /// `CRISP_WEBSITE_ID` with real credentials (empty when unset), else [`WEBSITE_ID`].
    pub website_id: String,
    /// The running sandbox, when used; keep it alive as long as the client.
    pub sandbox: Option<Sandbox>,
}

impl Playground {
    /// The real API when `CRISP_IDENTIFIER` and `CRISP_KEY` are set, else a new sandbox;
    /// `app` is appended to the user agent.
    pub async fn from_env(app: &str) -> Result<Playground, crate::Error> {
        let set = |name| std::env::var(name).is_ok_and(|v: String| !v.trim().is_empty());
        if set("CRISP_IDENTIFIER") && set("CRISP_KEY") {
            let client = ClientBuilder::default()
                .from_env()?
                .user_agent_suffix(app)
                .build()?;
            eprintln!("Using the Crisp API at {}.", client.base_url());
            let website_id = std::env::var("CRISP_WEBSITE_ID").unwrap_or_default();
            return Ok(Playground {
                client,
                website_id,
                sandbox: None,
            });
        }
        let sandbox = Sandbox::start().await;
        eprintln!(
            "CRISP_IDENTIFIER / CRISP_KEY are not set: using the local sandbox at {} \
             (it answers every route with the example response of the OpenAPI document).",
            sandbox.base_url()
        );
        let client = sandbox.client_builder().user_agent_suffix(app).build()?;
        Ok(Playground {
            client,
            website_id: WEBSITE_ID.to_owned(),
            sandbox: Some(sandbox),
        })
    }
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = "\\.+*?()|[]{}^$#&-~".contains(c);
            escape.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}
