//! Contract tests: every operation of the spec against a loopback wiremock server.
//!
//! Each test checks what the SDK sends (method, percent-encoded path, query, headers, JSON body)
//! and that the example response of the spec decodes into the typed `data`.

mod support;

mod batch;
mod conversation_actions;
mod conversation_activity;
mod conversation_state;
mod conversations;
mod people;
mod plugins;
mod resilience;
mod runtime;
mod user;
mod website;
