//! A typed async client for the [Crisp](https://crisp.chat) REST API v1.
//!
//! The client is generated at build time from a hand-maintained OpenAPI document (`openapi/`),
//! and this crate adds the hand-written layer around it: configuration and authentication,
//! Crisp's `{error, reason, data}` envelope, one [`Error`] type, HEAD checks as `bool`, and a raw
//! escape hatch for any route.
//!
//! Every operation is a method on [`Client`] named after its `operationId`; it returns a builder
//! with one setter per parameter, and `.call()` sends it and returns the typed `data`:
//!
//! ```no_run
//! # async fn run() -> Result<(), crisp_api::Error> {
//! use crisp_api::Client;
//! use crisp_api::message::{NewMessage, Sender};
//!
//! let client = Client::from_env()?; // CRISP_IDENTIFIER, CRISP_KEY, CRISP_TIER
//! let website = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
//! let conversations = client
//!     .list_conversations()
//!     .website_id(website)
//!     .page_number(1u32)
//!     .filter_unread(true)
//!     .call()
//!     .await?;
//! for conversation in &conversations {
//!     client
//!         .send_message_in_conversation()
//!         .website_id(website)
//!         .session_id(&conversation.session_id)
//!         .body(NewMessage::text(Sender::Operator, "We are on it!"))
//!         .call()
//!         .await?;
//! }
//! # Ok(()) }
//! ```
//!
//! The full list of operations is in `docs/endpoints.md` and in [`operations::ALL`].
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod call;
pub mod clock;
mod config;
mod error;
mod flag;
mod generated;
mod hooks;
pub mod message;
mod nullable;
pub mod operations;
mod pagination;
mod rate_limit;
mod raw;
pub mod retry;
#[cfg(feature = "rtm")]
#[cfg_attr(docsrs, doc(cfg(feature = "rtm")))]
pub mod rtm;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod search;
pub mod webhook;

pub use call::Response;
pub use config::{ClientBuilder, Credentials, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, Tier, USER_AGENT};
pub use error::{Error, SNIPPET_LEN, TransportKind};
pub use flag::Flag;
pub use generated::{Client, ResponseValue, builder, types};
pub use pagination::{Items, MessageHistory, Pages};
pub use rate_limit::RateLimit;
pub use raw::{RawPath, RawRequest};
/// The HTTP method of a [`Client::raw`] call (re-exported from reqwest).
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use search::Filters;
pub use webhook::Event;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
