//! The HTTP side: every request under `/v1` passes [`api`]: routing to an operation of the
//! spec, authentication, faults and limits, body parsing and validation, the stateful handler
//! (or the spec's example), then the events it caused are published.

use crate::api::{Answer, Ctx, Failure, Request, Routes};
use crate::events::{Bus, Pending};
use crate::faults::Faults;
use crate::hooks::Hooks;
use crate::state::Store;
use crate::{Credentials, spec};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, Response, StatusCode};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The header marking an answer taken from the spec's example (no state behind it).
pub const EXAMPLE_HEADER: &str = "x-crisp-fake";

/// Writes one line per request (the CLI prints them).
pub type RequestLog = Arc<dyn Fn(&str) + Send + Sync>;

/// Everything a fake shares between its server, its tasks and its handle.
pub struct Shared {
    /// The state.
    pub store: Mutex<Store>,
    /// The operations' routes.
    pub routes: Routes,
    /// The accepted credentials.
    pub credentials: Credentials,
    /// Their `Authorization` header.
    pub authorization: String,
    /// Answer 501 instead of examples for operations without state.
    pub strict: bool,
    /// Faults and limits.
    pub faults: Mutex<Faults>,
    /// The event bus.
    pub bus: Bus,
    /// The web hooks.
    pub hooks: Arc<Hooks>,
    /// The RTM relay.
    pub io: socketioxide::SocketIo,
    /// `http://127.0.0.1:port`.
    pub origin: String,
    /// The seed and clock start, for `reset`.
    pub seed: u64,
    /// The clock's start (ms).
    pub start_ms: i64,
    /// The request log, if any.
    pub log: Option<RequestLog>,
}

impl Shared {
    /// Runs `f` on the store, then publishes the events it recorded.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store, &mut Pending) -> T) -> T {
        let mut pending = Pending::default();
        let out = {
            let mut store = self.store.lock().expect("store lock");
            f(&mut store, &mut pending)
        };
        self.bus.publish(pending);
        out
    }
}

/// The stateful handlers, tried in order.
type Handler = fn(&mut Ctx, &Request) -> Option<crate::api::Outcome>;
const HANDLERS: [Handler; 4] = [
    crate::conversations::handle,
    crate::messages::handle,
    crate::people::handle,
    crate::website::handle,
];

/// Every operation the fake keeps state for.
pub fn stateful() -> impl Iterator<Item = &'static str> {
    crate::conversations::OPERATIONS
        .iter()
        .chain(crate::messages::OPERATIONS)
        .chain(crate::people::OPERATIONS)
        .chain(crate::website::OPERATIONS)
        .copied()
}

/// Answers one API request.
pub async fn api(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
) -> Response<Body> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(parse_query).unwrap_or_default();
    let route = path
        .strip_prefix("/v1")
        .and_then(|rest| shared.routes.find(method.as_str(), rest));
    let Some((op, params)) = route else {
        // The official clients discover the relay at `/{tier}/connect/endpoints` for every
        // tier (the website tier without a website id): answer them too.
        let tiers = [
            "/v1/website/connect/endpoints",
            "/v1/user/connect/endpoints",
        ];
        if method == Method::GET && tiers.contains(&path.as_str()) {
            let answer = Answer::data("resolved", crate::rtm::endpoints(&shared.origin));
            return finish(
                &shared,
                &method,
                "connect_endpoints",
                started,
                success(&method, &answer),
            );
        }
        return finish(&shared, &method, "?", started, error(&Failure::no_route()));
    };
    if !authorised(
        &shared.credentials,
        &shared.authorization,
        request.headers().get(http::header::AUTHORIZATION),
    ) {
        return finish(&shared, &method, op, started, error(&Failure::session()));
    }
    let verdict = {
        let now = shared.store.lock().expect("store lock").now_ms;
        shared
            .faults
            .lock()
            .expect("faults lock")
            .check(op, &shared.credentials.identifier, now)
    };
    if !verdict.latency.is_zero() {
        tokio::time::sleep(verdict.latency).await;
    }
    if verdict.disconnect_sockets {
        crate::rtm::disconnect_all(&shared.io).await;
    }
    if verdict.drop_connection {
        return finish(&shared, &method, op, started, broken());
    }
    if let Some(failure) = verdict.fail {
        return finish(&shared, &method, op, started, error(&failure));
    }
    let bytes = match axum::body::to_bytes(request.into_body(), 16 << 20).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return finish(
                &shared,
                &method,
                op,
                started,
                error(&Failure::invalid("", "is too large or unreadable")),
            );
        }
    };
    let body = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(body) => body,
            Err(_) => {
                return finish(
                    &shared,
                    &method,
                    op,
                    started,
                    error(&Failure::invalid("", "is not JSON")),
                );
            }
        }
    };
    if let Err(failure) = spec::validate(op, &query, &body) {
        return finish(&shared, &method, op, started, error(&failure));
    }
    let request = Request {
        op,
        params,
        query,
        body,
    };
    let outcome = shared.with_store(|store, events| {
        let mut ctx = Ctx {
            store,
            events,
            base: &shared.origin,
        };
        HANDLERS
            .iter()
            .find_map(|handle| handle(&mut ctx, &request))
    });
    let response = match outcome {
        Some(Ok(answer)) => success(&method, &answer),
        Some(Err(failure)) => error(&failure),
        None if shared.strict => error(&Failure::new(
            501,
            "not_implemented",
            format!("the fake keeps no state for `{op}` (strict mode)"),
        )),
        None => example(&method, &request),
    };
    finish(&shared, &method, op, started, response)
}

/// The `Authorization` header of `credentials`, as clients send it.
pub fn authorization(credentials: &Credentials) -> String {
    let pair = format!("{}:{}", credentials.identifier, credentials.key);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn authorised(credentials: &Credentials, expected: &str, header: Option<&HeaderValue>) -> bool {
    if header.is_some_and(|h| h.as_bytes() == expected.as_bytes()) {
        return true;
    }
    let Some(encoded) = header
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let expected = format!("{}:{}", credentials.identifier, credentials.key);
    decoded == expected.as_bytes()
}

/// Query pairs, percent-decoded (`+` as a space); the last value of a name wins.
fn parse_query(query: &str) -> HashMap<String, String> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn json_response(status: u16, body: &Value) -> Response<Body> {
    let mut response = Response::new(Body::from(
        serde_json::to_vec(body).expect("JSON serialises"),
    ));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn success(method: &Method, answer: &Answer) -> Response<Body> {
    if method == Method::HEAD {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
        return response;
    }
    json_response(answer.status, &answer.body())
}

/// Crisp's error envelope (no body for HEAD, like Crisp).
pub fn error(failure: &Failure) -> Response<Body> {
    let mut response = json_response(failure.status, &failure.body());
    if let Some(seconds) = failure.retry_after {
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The spec's example, marked with [`EXAMPLE_HEADER`]; like the sandbox, page 1 of a list is the
/// example with a 206 and later pages are empty with a 200.
fn example(method: &Method, request: &Request) -> Response<Body> {
    let paged = request.params.contains_key("page_number");
    let later_page = paged && request.params["page_number"] != "1";
    let mut response = match (spec::example(request.op), later_page) {
        (_, true) => json_response(
            200,
            &json!({"error": false, "reason": "listed", "data": []}),
        ),
        (Some(_), false) if method == Method::HEAD => success(method, &Answer::ok("resolved")),
        (Some(body), false) => json_response(if paged { 206 } else { 200 }, body),
        (None, false) => success(method, &Answer::ok("resolved")),
    };
    response
        .headers_mut()
        .insert(EXAMPLE_HEADER, HeaderValue::from_static("example"));
    response
}

/// A response whose body fails half-way: the client sees the connection break.
fn broken() -> Response<Body> {
    let failing = futures::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("dropped by a fault"))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn finish(
    shared: &Shared,
    method: &Method,
    op: &str,
    started: Instant,
    response: Response<Body>,
) -> Response<Body> {
    if let Some(log) = &shared.log {
        // The operation id, never the path: paths may hold e-mail addresses.
        log(&format!(
            "{method} {op} → {} ({:.1} ms)",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_and_credentials_compare_exactly() {
        let q = parse_query("search_text=jane+doe&filter=%5B1%5D&flag");
        assert_eq!(q["search_text"], "jane doe");
        assert_eq!(q["filter"], "[1]");
        assert_eq!(q["flag"], "");
        let c = Credentials::new("id", "key");
        let expected = authorization(&c);
        assert_eq!(expected, "Basic aWQ6a2V5");
        let good = HeaderValue::from_static("Basic aWQ6a2V5");
        assert!(authorised(&c, &expected, Some(&good)));
        let spaced = HeaderValue::from_static("Basic  aWQ6a2V5 ");
        assert!(authorised(&c, &expected, Some(&spaced)));
        let wrong = HeaderValue::from_static("Basic aWQ6a2V6");
        assert!(!authorised(&c, &expected, Some(&wrong)));
        assert!(!authorised(&c, &expected, None));
    }
}
