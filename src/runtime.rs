//! The one door between generated and hand-written code: every private item the code generated
//! by `build.rs` (`codegen/`) uses is re-exported here, and the generated code names nothing
//! else of the crate but its public API (`Error`, `Tier`, `types`, …). To see what a change to a
//! hand-written module may break in the generated code, read this list.
//!
//! A build with only some families (`crisp_partial`) uses only part of the door.
#![cfg_attr(crisp_partial, allow(unused_imports))]

// The calling machinery each builder's `prepare()`, `send()`, `call()`, `response()`,
// `exists()` and replay go through.
pub(crate) use crate::call::{Built, data, exists, page, response, unset};
/// Decoding of recorded responses (`sandbox::replay`).
#[cfg(feature = "sandbox")]
pub(crate) use crate::call::{replay, replay_head};
/// The state progenitor's `Client` holds (`with_inner_type`).
pub(crate) use crate::config::Inner;
/// The generic envelopes every operation's envelope type is an alias of.
pub(crate) use crate::envelope::{Ack, Envelope};
/// An event payload decoded by name (the `Event` enum's `from_parts`).
pub(crate) use crate::event::payload;
/// Integers sent as strings or floats, read when exact (on the generated integer fields).
pub(crate) use crate::lenient::integer;
/// The hand-written message body replacing the spec's `NewMessage` schema.
#[cfg(feature = "conversations")]
pub(crate) use crate::message::NewMessage;
/// `null` lists and maps read as empty (on the generated types' fields).
pub(crate) use crate::nullable::null_as_empty;
/// The list streams (`.pages()`, `.history()`).
pub(crate) use crate::pagination::{CursorValue, History, Pages};
/// Path parameters as URL segments.
pub(crate) use crate::path::segment;
/// The raw `send()` of every operation, in progenitor's terms.
pub(crate) use crate::progenitor_compat::Sending;
