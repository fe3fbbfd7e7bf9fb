//! The runtime layer under fault injection: retries, `Retry-After`, deadlines, rate limits,
//! streams over pages and message history, and tracing. Waits go through a `VirtualClock`, so
//! these tests never sleep for real (except where a real per-attempt timeout is the point).

mod connections;
mod retries;
mod streams;
mod tracing;

use crate::support::{IDENTIFIER, KEY, SESSION, WEBSITE, catch_all, conversation_path};
use crisp_api::clock::VirtualClock;
use crisp_api::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server whose unmatched requests fail the test, and a client on a virtual clock.
async fn setup() -> (MockServer, VirtualClock) {
    let server = MockServer::start().await;
    catch_all(&server).await;
    (server, VirtualClock::new())
}

/// A client builder of `server` with the test credentials, waiting on `clock`.
fn client(server: &MockServer, clock: &VirtualClock) -> crisp_api::ClientBuilder {
    client_at(server.uri(), clock)
}

/// A client builder of `base_url` with the test credentials, waiting on `clock`.
fn client_at(base_url: String, clock: &VirtualClock) -> crisp_api::ClientBuilder {
    Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(base_url)
        .clock(clock.clone())
}

fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"error": false, "reason": "resolved", "data": data}))
}

fn fail(status: u16, reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": true, "reason": reason}))
}

fn conversation() -> Value {
    json!({"session_id": SESSION, "website_id": WEBSITE, "state": "pending"})
}

/// Mounts `response` for the next `times` matching requests, expecting exactly that many.
async fn answer(server: &MockServer, verb: &str, p: &str, times: u64, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(p))
        .respond_with(response)
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

/// Mounts `response` for the next `times` reads of the test conversation, expecting that many.
async fn answer_get(server: &MockServer, times: u64, response: ResponseTemplate) {
    answer(server, "GET", &conversation_path(), times, response).await;
}

async fn send_note(client: &Client) -> Result<crisp_api::types::MessageDispatched, Error> {
    use crisp_api::message::{NewMessage, Sender};
    client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(NewMessage::note(Sender::Operator, "retry me?"))
        .call()
        .await
}
