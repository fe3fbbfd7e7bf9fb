//! The control surface, for tests in any language: HTTP routes under `/_fake/` doing what the
//! methods of [`Fake`](crate::Fake) do (reset, snapshot, seed, act as the visitor or the operator,
//! web hooks and their delivery log, the clock, faults and limits, settle). No authentication:
//! the fake listens on loopback only.

use crate::api::Failure;
use crate::faults::{Fault, Limits};
use crate::hooks::Hook;
use crate::server::{Shared, error};
use crate::state::{Store, Website};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where the control routes live.
pub const PREFIX: &str = "/_fake";

type Ctl = State<Arc<Shared>>;

/// The control routes.
pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_fake/info", get(info))
        .route("/_fake/reset", post(reset_route))
        .route("/_fake/snapshot", get(snapshot_route))
        .route("/_fake/seed", post(seed_route))
        .route(
            "/_fake/visitor/{website_id}/conversations",
            post(start_route),
        )
        .route(
            "/_fake/visitor/{website_id}/conversations/{session_id}/messages",
            post(visitor_says),
        )
        .route(
            "/_fake/operator/{website_id}/conversations/{session_id}/messages",
            post(operator_says),
        )
        .route("/_fake/hooks", post(add_hook))
        .route("/_fake/deliveries", get(deliveries))
        .route("/_fake/clock", get(clock).post(advance))
        .route("/_fake/faults", post(add_fault).delete(clear_faults))
        .route("/_fake/limits", post(limits))
        .route("/_fake/sockets/disconnect", post(disconnect))
        .route("/_fake/settle", post(settle))
}

fn ok(body: Value) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_string()));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Box<Response<Body>>> {
    let bytes = if bytes.is_empty() {
        b"{}".as_slice()
    } else {
        bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| Box::new(error(&Failure::invalid("", &format!("does not fit: {e}")))))
}

/// Sends a text message as `from` (`user` or `operator`).
pub fn say(
    shared: &Shared,
    website_id: &str,
    session_id: &str,
    from: &str,
    text: &str,
) -> Result<i64, Failure> {
    let body = match crate::text_message(from, text) {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object"),
    };
    shared.with_store(|store, events| {
        let answer = crate::messages::send(store, events, website_id, session_id, body)?;
        Ok(answer
            .data
            .and_then(|d| d["fingerprint"].as_i64())
            .unwrap_or_default())
    })
}

/// The state as JSON.
pub fn snapshot(shared: &Shared) -> Value {
    serde_json::to_value(&*shared.store.lock().expect("store lock")).unwrap_or(Value::Null)
}

/// Loads `{"websites": {id: website}}` (and `now_ms`, if given).
pub fn seed(shared: &Shared, state: &Value) -> Result<(), Failure> {
    let websites: BTreeMap<String, Website> = serde_json::from_value(state["websites"].clone())
        .map_err(|e| {
            Failure::invalid(
                "websites",
                &format!("does not fit the snapshot's format: {e}"),
            )
        })?;
    let mut store = shared.store.lock().expect("store lock");
    store.websites.extend(websites);
    if let Some(now) = state["now_ms"].as_i64() {
        store.now_ms = now;
    }
    Ok(())
}

/// Back to the start.
pub fn reset(shared: &Shared) {
    *shared.store.lock().expect("store lock") = Store::new(shared.seed, shared.start_ms);
    shared.faults.lock().expect("faults lock").clear();
    shared.hooks.clear();
}

async fn info(State(shared): Ctl) -> Response<Body> {
    ok(json!({
        "base_url": format!("{}/v1", shared.origin),
        "socket": format!("{}{}", shared.origin, crate::rtm::PATH),
        "identifier": shared.credentials.identifier,
        "stateful": crate::server::stateful().collect::<Vec<_>>(),
    }))
}

async fn reset_route(State(shared): Ctl) -> Response<Body> {
    reset(&shared);
    ok(json!({"reset": true}))
}

async fn snapshot_route(State(shared): Ctl) -> Response<Body> {
    ok(snapshot(&shared))
}

async fn seed_route(State(shared): Ctl, body: Bytes) -> Response<Body> {
    let state: Value = match parse(&body) {
        Ok(state) => state,
        Err(response) => return *response,
    };
    match seed(&shared, &state) {
        Ok(()) => ok(json!({"seeded": true})),
        Err(failure) => error(&failure),
    }
}

async fn start_route(State(shared): Ctl, Path(website_id): Path<String>) -> Response<Body> {
    let session_id = crate::Visitor {
        shared: shared.clone(),
        website_id,
    }
    .start_conversation();
    ok(json!({ "session_id": session_id }))
}

#[derive(serde::Deserialize)]
struct Say {
    text: String,
}

async fn says(
    shared: &Shared,
    website_id: &str,
    session_id: &str,
    from: &str,
    body: &[u8],
) -> Response<Body> {
    let say: Say = match parse(body) {
        Ok(say) => say,
        Err(response) => return *response,
    };
    match self::say(shared, website_id, session_id, from, &say.text) {
        Ok(fingerprint) => ok(json!({ "fingerprint": fingerprint })),
        Err(failure) => error(&failure),
    }
}

async fn visitor_says(
    State(shared): Ctl,
    Path((w, s)): Path<(String, String)>,
    body: Bytes,
) -> Response<Body> {
    says(&shared, &w, &s, "user", &body).await
}

async fn operator_says(
    State(shared): Ctl,
    Path((w, s)): Path<(String, String)>,
    body: Bytes,
) -> Response<Body> {
    says(&shared, &w, &s, "operator", &body).await
}

async fn add_hook(State(shared): Ctl, body: Bytes) -> Response<Body> {
    match parse::<Hook>(&body) {
        Ok(hook) => ok(json!({ "hook": shared.hooks.register(hook) })),
        Err(response) => *response,
    }
}

async fn deliveries(State(shared): Ctl) -> Response<Body> {
    ok(json!(shared.hooks.log()))
}

async fn clock(State(shared): Ctl) -> Response<Body> {
    ok(json!({"now_ms": shared.store.lock().expect("store lock").now_ms}))
}

#[derive(serde::Deserialize)]
struct Advance {
    advance_ms: i64,
}

async fn advance(State(shared): Ctl, body: Bytes) -> Response<Body> {
    match parse::<Advance>(&body) {
        Ok(a) if a.advance_ms >= 0 => {
            let mut store = shared.store.lock().expect("store lock");
            store.now_ms += a.advance_ms;
            ok(json!({"now_ms": store.now_ms}))
        }
        Ok(_) => error(&Failure::invalid("advance_ms", "must not be negative")),
        Err(response) => *response,
    }
}

async fn add_fault(State(shared): Ctl, body: Bytes) -> Response<Body> {
    match parse::<Fault>(&body) {
        Ok(fault) => {
            shared.faults.lock().expect("faults lock").add(fault);
            ok(json!({"added": true}))
        }
        Err(response) => *response,
    }
}

async fn clear_faults(State(shared): Ctl) -> Response<Body> {
    shared.faults.lock().expect("faults lock").clear();
    ok(json!({"cleared": true}))
}

async fn limits(State(shared): Ctl, body: Bytes) -> Response<Body> {
    match parse::<Limits>(&body) {
        Ok(limits) => {
            shared.faults.lock().expect("faults lock").limit(limits);
            ok(json!({"limited": true}))
        }
        Err(response) => *response,
    }
}

async fn disconnect(State(shared): Ctl) -> Response<Body> {
    crate::rtm::disconnect_all(&shared.io).await;
    ok(json!({"disconnected": true}))
}

async fn settle(State(shared): Ctl) -> Response<Body> {
    shared.bus.settle().await;
    ok(json!({"settled": true}))
}
