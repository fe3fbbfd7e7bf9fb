//! The hand-written layer: error mapping, tolerant decoding, raw calls, configuration and
//! secret redaction.

mod config;
mod errors;
mod requests;
mod sandbox;
mod tls;

#[cfg(feature = "rtm")]
pub(crate) use tls::tls_server;
