//! The cross-cutting suites, apart from the per-family modules: they test the runtime layer
//! whatever the operation.
//!
//! - `hostile`: what the live API and hostile servers do (206, `error: true`, redirects,
//!   `data: null`, bad arguments) and the mutation property test over every operation;
//! - `resilience`: retries, timeouts, dropped connections, the rate limit, streams and tracing;
//! - `runtime`: error mapping, raw calls, configuration, secrets, the sandbox, TLS;
//! - `lossless`: lone surrogates, mistyped events, lenient integers, redacted decode errors;
//! - `overhead`: future sizes, headers kept, repeated pages told apart by body.

// Helpers below serve suites that a build with fewer families leaves out.
#![cfg_attr(
    not(all(
        feature = "conversations",
        feature = "people",
        feature = "website",
        feature = "user"
    )),
    allow(dead_code, unused_imports)
)]

#[cfg(all(feature = "conversations", feature = "people", feature = "user"))]
mod hostile;
#[cfg(feature = "conversations")]
mod lossless;
#[cfg(feature = "conversations")]
mod overhead;
#[cfg(all(feature = "conversations", feature = "people"))]
mod resilience;
#[cfg(all(feature = "conversations", feature = "website", feature = "user"))]
pub(crate) mod runtime;

use crisp_api::{Client, Error};
use serde_json::{Value, json};
use wiremock::MockServer;

/// A small deterministic generator (xorshift64*), so that failures reproduce from the seed.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The spec's example response (the whole envelope) of an operation.
fn example(op: &str) -> Value {
    crisp_api::sandbox::example(op).expect("example")
}

/// Crisp's error envelope with this reason and message.
fn failed_envelope(reason: &str, message: &str) -> Value {
    json!({"error": true, "reason": reason, "data": {"namespace": "request", "message": message}})
}

/// A successful list envelope around `data`.
fn listed(data: Value) -> Value {
    json!({"error": false, "reason": "listed", "data": data})
}

/// A client of `server` (below `/v1`) with the test credentials, sending once.
fn client_for(server: &MockServer) -> Client {
    crate::support::client_builder(format!("{}/v1", server.uri()))
        .build()
        .unwrap()
}

/// `get_conversation` of the test website's test session.
#[cfg(feature = "conversations")]
async fn get_conversation(client: &Client) -> Result<crisp_api::types::Conversation, Error> {
    client
        .get_conversation()
        .website_id(crate::support::WEBSITE)
        .session_id(crate::support::SESSION)
        .call()
        .await
}

/// The message history of the test website's test session, newest first, collected.
#[cfg(feature = "conversations")]
async fn history(client: &Client) -> Result<Vec<crisp_api::types::Message>, Error> {
    use futures::TryStreamExt;
    client
        .list_messages_in_conversation()
        .website_id(crate::support::WEBSITE)
        .session_id(crate::support::SESSION)
        .history()
        .try_collect()
        .await
}
