//! Contract tests: every operation of the spec against a loopback wiremock server.
//!
//! Each test checks what the SDK sends (method, percent-encoded path, query, headers, JSON body)
//! and that the example response of the spec decodes into the typed `data`.

mod support;

// The cross-cutting suites (runtime layer, hostile servers, resilience, overhead), apart from
// the per-family modules below; `rtm` borrows the TLS server of `cross::runtime`.
mod cross;
#[cfg(feature = "rtm")]
use cross::runtime;

mod analytics;
mod batch;
mod campaigns;
mod conversation_actions;
mod conversation_activity;
mod conversation_state;
mod conversations;
mod events;
mod helpdesk;
mod people;
mod plans_media_bucket;
mod plugins;
mod reference;
#[cfg(feature = "rtm")]
mod rtm;
mod user;
mod website;
mod website_workspace;
