//! The fake through the SDK client (so every answer decodes): state, lists over 206/200,
//! search, validation, events to web hooks, RTM and the in-process stream, faults, the clock,
//! snapshot/reset and parallel fakes. One test binary, a module per area.

mod control;
mod conversations;
mod events;
mod lists;
mod people;
mod validation;

use crisp_api::message::{NewMessage, Sender};
use crisp_api::{Client, Error, RetryPolicy};
use crisp_fake::Fake;

/// The website every test uses (any id works: websites are served on first use).
pub const W: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";

/// A fresh fake.
pub async fn fake() -> Fake {
    Fake::start().await.expect("the fake starts")
}

/// A client that does not retry, to see each answer.
pub fn plain(fake: &Fake) -> Client {
    fake.client_builder()
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Creates a conversation through the SDK.
pub async fn conversation(client: &Client) -> String {
    client
        .create_conversation()
        .website_id(W)
        .call()
        .await
        .expect("created")
        .session_id
}

/// Sends a text message through the SDK; returns its fingerprint.
pub async fn send(client: &Client, session: &str, from: Sender, text: &str) -> i64 {
    client
        .send_message_in_conversation()
        .website_id(W)
        .session_id(session)
        .body(NewMessage::text(from, text))
        .call()
        .await
        .expect("sent")
        .fingerprint
}

/// Reads a conversation through the SDK.
pub async fn get(client: &Client, session: &str) -> Result<crisp_api::types::Conversation, Error> {
    client
        .get_conversation()
        .website_id(W)
        .session_id(session)
        .call()
        .await
}

/// Whether the conversation exists, through the SDK's HEAD check.
pub async fn exists(client: &Client, session: &str) -> bool {
    client
        .check_conversation_exists()
        .website_id(W)
        .session_id(session)
        .exists()
        .await
        .unwrap()
}

/// An error's HTTP status and Crisp reason, to compare at once.
pub fn status_reason(err: &Error) -> (Option<u16>, Option<&str>) {
    (err.status().map(|s| s.as_u16()), err.reason())
}

/// Reads one message of a conversation through the SDK.
pub async fn message(
    client: &Client,
    session: &str,
    fingerprint: i64,
) -> Result<crisp_api::types::Message, Error> {
    client
        .get_message_in_conversation()
        .website_id(W)
        .session_id(session)
        .fingerprint(fingerprint)
        .call()
        .await
}
