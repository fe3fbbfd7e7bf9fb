//! The shared harness of the contract tests.
#![allow(dead_code)]

use crisp_api::{Client, RetryPolicy, Tier};
use serde_json::Value;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The table of per-operation contract tests: one row per test, each a `#[tokio::test]`.
///
/// ```ignore
/// contract! {
///     /// Doc comments and attributes (`#[cfg(feature = …)]`) are kept.
///     fn name_of_the_test(t: ctx) {
///         let shared = …;                          // values the three parts share (optional)
///         t.expect(OPERATION_ID, "GET", &path);    // method, wire path; .query/.body/.respond
///         t.client.OPERATION().website_id(W).call(); // the typed call (unpolled)
///         |value| { assert_eq!(value.field, …); } // checks of the decoded value (optional)
///     }
/// }
/// ```
///
/// Each row starts the server and a client with `ctx` (`ctx` or `user_ctx`), binds its `let`
/// statements (values the expectation and the call share), mounts the
/// expectation (exactly one request with that method, path, query, auth, tier and user agent
/// headers and body, answered with the spec's example unless `.respond` says otherwise), makes
/// the call, fails on an error, and runs the checks on the decoded value. The operation id and
/// the builder method stay spelled out in each row, which is what
/// `runtime::every_operation_has_a_contract_test` looks for.
macro_rules! contract {
    ($(
        $(#[$attr:meta])*
        fn $name:ident($t:ident: $ctx:ident) {
            $(let $bind:pat = $value_of:expr;)*
            $expect:expr;
            $call:expr;
            $(|$value:pat_param| $check:block)?
        }
    )*) => {$(
        $(#[$attr])*
        #[tokio::test]
        async fn $name() {
            let $t = $crate::support::$ctx().await;
            $(let $bind = $value_of;)*
            let _value = $crate::support::Expect::run($expect, $call).await;
            $(let $value = _value; $check)?
        }
    )*};
}
pub(crate) use contract;

/// Token identifier every test client uses.
pub const IDENTIFIER: &str = "7c3ef21c-1e04-41ce-8c06-5605c346f73e";
/// Token key every test client uses.
pub const KEY: &str = "cc29e1a5086e428fcc6a697d5837a66d82808e65c5cce006fbf2191ceea80a0a";
/// `Authorization` header for the credentials above.
pub const AUTHORIZATION: &str = "Basic N2MzZWYyMWMtMWUwNC00MWNlLThjMDYtNTYwNWMzNDZmNzNlOmNjMjllMWE1MDg2ZTQyOGZjYzZhNjk3ZDU4MzdhNjZkODI4MDhlNjVjNWNjZTAwNmZiZjIxOTFjZWVhODBhMGE=";
/// A website id used across the tests.
pub const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
/// A session id used across the tests.
pub const SESSION: &str = "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881";

/// A mock server with a catch-all route that fails the test on any unexpected request,
/// and a client pointed at it.
pub struct Ctx {
    pub server: MockServer,
    pub client: Client,
}

/// Starts a server and a plugin-tier client.
pub async fn ctx() -> Ctx {
    ctx_with_tier(Tier::Plugin).await
}

/// Starts a server and a client of the given tier.
pub async fn ctx_with_tier(tier: Tier) -> Ctx {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .tier(tier)
        .base_url(format!("{}/v1", server.uri()))
        // Contract tests count requests exactly; retries are tested in `resilience`.
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    Ctx { server, client }
}

/// A plugin-tier client builder with the test credentials, sending once (no retries), to
/// `base_url`.
pub fn client_builder(base_url: String) -> crisp_api::ClientBuilder {
    Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(base_url)
        .retry(RetryPolicy::none())
}

/// Starts a server and a user-tier client (legacy and user-only routes).
pub async fn user_ctx() -> Ctx {
    ctx_with_tier(Tier::User).await
}

/// The wire path of the test conversation, below `/v1`.
pub fn conversation_path() -> String {
    format!("/website/{WEBSITE}/conversation/{SESSION}")
}

/// Lowest priority: anything not matched by an expectation lands here and fails on drop.
pub async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .expect(0)
        .named("catch-all: no request other than the expected ones")
        .mount(server)
        .await;
}

/// A loopback URL nobody listens on (connections are refused).
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

impl Ctx {
    /// Expects exactly one call of `operation_id` as `method` on `raw_path` (below `/v1`,
    /// percent-encoded as it must appear on the wire), with the client's auth, tier and user
    /// agent headers. It answers 200 with the spec's example response for that operation
    /// (an empty 200 for HEAD checks, which have no body).
    pub fn expect(&self, operation_id: &str, http_method: &str, raw_path: &str) -> Expect<'_> {
        let op = crisp_api::operations::find(operation_id)
            .unwrap_or_else(|| panic!("the spec has no operation {operation_id}"));
        assert_eq!(
            op.method, http_method,
            "{operation_id} is a {} operation",
            op.method
        );
        let response = if op.method == "HEAD" {
            ResponseTemplate::new(200)
        } else {
            let example = crisp_api::sandbox::example(operation_id)
                .unwrap_or_else(|| panic!("the spec has no example response for {operation_id}"));
            ResponseTemplate::new(200).set_body_json(example)
        };
        Expect {
            ctx: self,
            method: http_method.to_owned(),
            path: format!("/v1{raw_path}"),
            query: Some(Vec::new()),
            body: None,
            response,
            tier: self.tier_name(),
        }
    }

    fn tier_name(&self) -> String {
        self.client.tier().as_str().to_owned()
    }
}

/// One expected request; see [`Ctx::expect`].
pub struct Expect<'a> {
    ctx: &'a Ctx,
    method: String,
    path: String,
    query: Option<Vec<(String, String)>>,
    body: Option<Value>,
    response: ResponseTemplate,
    tier: String,
}

impl Expect<'_> {
    /// Expects this query parameter (decoded value). The query must hold exactly the parameters
    /// given; with none given, the request must carry no query at all.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        if let Some(q) = self.query.as_mut() {
            q.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// Accepts any query string.
    pub fn any_query(mut self) -> Self {
        self.query = None;
        self
    }

    /// Expects exactly this JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Answers with this response instead of the example.
    pub fn respond(mut self, response: ResponseTemplate) -> Self {
        self.response = response;
        self
    }

    /// Mounts the expectation, then makes the call and returns its decoded value (a failed
    /// call fails the test). `call` is an unpolled future: nothing is sent before the mount.
    pub async fn run<T, E: std::fmt::Debug>(
        self,
        call: impl std::future::Future<Output = Result<T, E>>,
    ) -> T {
        self.mount().await;
        call.await.expect("the call succeeds and decodes")
    }

    /// Mounts the expectation (exactly one matching request).
    pub async fn mount(self) {
        let mut mock = Mock::given(method(self.method.as_str()))
            .and(path(self.path.as_str()))
            .and(header("authorization", AUTHORIZATION))
            .and(header("x-crisp-tier", self.tier.as_str()))
            .and(SdkHeaders);
        if let Some(q) = self.query {
            mock = mock.and(ExactQuery(q));
        }
        match self.body {
            Some(b) => mock = mock.and(wiremock::matchers::body_json(b)),
            None => mock = mock.and(NoJsonBody),
        }
        mock.respond_with(self.response)
            .expect(1)
            .mount(&self.ctx.server)
            .await;
    }
}

/// Matches a request whose query pairs are exactly these, in any order.
pub struct ExactQuery(pub Vec<(String, String)>);

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let mut got: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut want = self.0.clone();
        got.sort();
        want.sort();
        got == want
    }
}

/// Matches a request that carries no body (or an empty one).
struct NoJsonBody;

impl Match for NoJsonBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty()
    }
}

/// Matches the SDK's user agent, and refuses progenitor's `api-version` header (Crisp versions
/// by path; the generated requests no longer carry it).
struct SdkHeaders;

impl Match for SdkHeaders {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key("api-version")
            && request
                .headers
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ua| {
                    ua.starts_with(concat!("crisp-api-rust/", env!("CARGO_PKG_VERSION")))
                })
    }
}
