//! Contract tests: every operation of the spec against a loopback wiremock server.
//!
//! Each test checks what the SDK sends (method, percent-encoded path, query, headers, JSON body)
//! and that the example response of the spec decodes into the typed `data`.

mod support;

mod analytics;
mod batch;
mod campaigns;
mod conversation_actions;
mod conversation_activity;
mod conversation_state;
mod conversations;
mod events;
mod helpdesk;
mod hostile;
mod lossless;
mod overhead;
mod people;
mod plans_media_bucket;
mod plugins;
mod reference;
mod resilience;
#[cfg(feature = "rtm")]
mod rtm;
mod runtime;
mod user;
mod website;
mod website_workspace;
