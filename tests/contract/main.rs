//! Contract tests: every operation of the spec against a loopback wiremock server.
//!
//! Each test checks what the SDK sends (method, percent-encoded path, query, headers, JSON body)
//! and that the example response of the spec decodes into the typed `data`.

mod support;

// The cross-cutting suites (runtime layer, hostile servers, resilience, lossless, overhead),
// apart from the per-family modules below, each compiled with the families it uses (see
// `cross/mod.rs`); `rtm` borrows the TLS server of `cross::runtime`.
mod cross;

// One module per family, named by the family's word (its cargo feature), compiled with it.
#[cfg(feature = "analytics")]
mod analytics;
#[cfg(feature = "bucket")]
mod bucket;
#[cfg(feature = "campaigns")]
mod campaigns;
#[cfg(feature = "conversations")]
mod conversations;
#[cfg(feature = "conversations")]
mod conversations_actions;
#[cfg(feature = "conversations")]
mod conversations_activity;
#[cfg(feature = "conversations")]
mod conversations_batch;
#[cfg(feature = "conversations")]
mod conversations_messages;
#[cfg(feature = "conversations")]
mod conversations_send;
#[cfg(feature = "conversations")]
mod conversations_state;
#[cfg(feature = "helpdesk")]
mod helpdesk;
#[cfg(feature = "helpdesk")]
mod helpdesk_legacy_articles;
#[cfg(feature = "helpdesk")]
mod helpdesk_legacy_categories;
#[cfg(feature = "helpdesk")]
mod helpdesk_tree;
#[cfg(feature = "media")]
mod media;
#[cfg(feature = "people")]
mod people;
#[cfg(feature = "people")]
mod people_data;
#[cfg(feature = "plans")]
mod plans;
#[cfg(feature = "plugins")]
mod plugins;
#[cfg(feature = "user")]
mod user;
#[cfg(feature = "website")]
mod website;
#[cfg(feature = "website")]
mod website_inboxes;
#[cfg(feature = "website")]
mod website_workspace;

// Across families (each test of `events` and `reference` compiled with the families it uses).
mod events;
mod reference;
#[cfg(feature = "rtm")]
mod rtm;
mod webhooks;
