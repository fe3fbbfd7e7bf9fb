// The crate's front page is the README (its examples run as doc tests).
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// With only some API families enabled, parts of the calling machinery (HEAD checks, streams,
// the envelope mapping) may have no generated caller.
#![cfg_attr(crisp_partial, allow(dead_code))]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod call;
pub mod clock;
mod config;
mod custom_data;
mod envelope;
mod error;
mod event;
mod flag;
mod generated;
pub mod json;
mod lenient;
#[cfg(feature = "conversations")]
#[cfg_attr(docsrs, doc(cfg(feature = "conversations")))]
pub mod message;
mod nullable;
pub mod operations;
mod pagination;
mod path;
mod progenitor_compat;
mod rate_limit;
mod raw;
pub mod retry;
#[cfg(feature = "rtm")]
#[cfg_attr(docsrs, doc(cfg(feature = "rtm")))]
pub mod rtm;
mod runtime;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
mod search;
mod status;
mod tier;
mod tls;
mod transport;
pub mod webhook;

pub use call::Response;
pub use config::{ClientBuilder, Credentials, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT};
pub use custom_data::DataValue;
pub use error::{Error, JsonError, SNIPPET_LEN, Snippet, TransportKind};
pub use flag::Flag;
pub use generated::{Client, ResponseValue, builder};
pub use tier::Tier;
/// A conversation's messages from the newest back to the oldest: the [`History`] of
/// [`ListMessagesInConversation::history`](crate::builder::ListMessagesInConversation::history).
#[cfg(feature = "conversations")]
#[cfg_attr(docsrs, doc(cfg(feature = "conversations")))]
pub type MessageHistory<'a> = History<'a, types::Message>;
pub use event::Event;
pub use pagination::{History, Items, Pages};
pub use progenitor_compat::Sending;
pub use rate_limit::RateLimit;
pub use raw::{RawPath, RawRequest};
/// The HTTP method of a [`Client::raw`] call (re-exported from reqwest).
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use search::Filters;
pub use tls::http_client_builder;

/// The bundled OpenAPI document this client was generated from (`openapi/crisp-v1.json`, JSON
/// text), for tools that read the spec through the `crisp-api-spec` model (the stateful fake
/// server `crisp-fake`).
pub const OPENAPI: &str = include_str!("../openapi/crisp-v1.json");

/// The request and response types of every operation, generated from the spec, with the
/// hand-written [`DataValue`] (custom data values) and the response envelopes
/// ([`Envelope`](crate::types::Envelope), [`Ack`](crate::types::Ack)) among them.
pub mod types {
    pub use crate::custom_data::DataValue;
    pub use crate::envelope::{Ack, Envelope};
    pub use crate::generated::types::*;
}

#[cfg(all(test, feature = "schemars"))]
mod schemars_tests {
    #[test]
    fn generated_types_export_their_json_schema() {
        let schema = schemars::schema_for!(crate::types::Message);
        let json = serde_json::to_value(&schema).expect("a schema serialises");
        let properties = &json["properties"];
        for field in ["session_id", "fingerprint", "timestamp", "content"] {
            assert!(properties.get(field).is_some(), "no `{field}` in {json}");
        }
        assert_eq!(properties["fingerprint"]["format"], "int64");
    }
}
