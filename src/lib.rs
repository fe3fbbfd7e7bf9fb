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
mod error;
mod flag;
mod generated;
#[cfg(feature = "conversations")]
mod history;
mod hooks;
#[cfg(feature = "conversations")]
#[cfg_attr(docsrs, doc(cfg(feature = "conversations")))]
pub mod message;
mod nullable;
pub mod operations;
mod pagination;
mod rate_limit;
mod raw;
pub mod retry;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
mod search;
mod tls;
pub mod webhook;

pub use call::Response;
pub use config::{ClientBuilder, Credentials, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, Tier, USER_AGENT};
pub use error::{Error, SNIPPET_LEN, TransportKind};
pub use flag::Flag;
pub use generated::{Client, ResponseValue, builder, types};
#[cfg(feature = "conversations")]
#[cfg_attr(docsrs, doc(cfg(feature = "conversations")))]
pub use history::MessageHistory;
pub use pagination::{Items, Pages};
pub use rate_limit::RateLimit;
pub use raw::{RawPath, RawRequest};
/// The HTTP method of a [`Client::raw`] call (re-exported from reqwest).
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use search::Filters;
pub use tls::http_client_builder;
pub use webhook::Event;
