//! Web hooks: verify a delivery on its raw bytes, then read it as a typed [`Event`].
//!
//! Crisp POSTs each event as JSON `{website_id, event, data, timestamp}`. Plugin hooks are
//! signed: the `X-Crisp-Signature` header is the lower-case hex HMAC-SHA256, keyed with the hook's
//! signing secret, of `"[" + timestamp + ";" + body + "]"`, where `timestamp` is the exact text
//! of the `X-Crisp-Request-Timestamp` header and `body` the exact bytes received.
//!
//! [`Verifier`] checks exactly that, on the **raw body bytes** (never a re-serialised JSON value:
//! the same JSON with other spacing has another signature), comparing in constant time. It works
//! with any web framework: give it the body bytes and an [`http::HeaderMap`].
//!
//! ```
//! use crisp_api::webhook::{Verifier, Error};
//! use crisp_api::Event;
//! use std::time::Duration;
//!
//! /// Returns the HTTP status to answer with.
//! fn handle(verifier: &Verifier, headers: &http::HeaderMap, body: &[u8]) -> u16 {
//!     match verifier.receive(headers, body) {
//!         Ok(delivery) => {
//!             if let Event::MessageSend(message) = &delivery.event {
//!                 println!("{:?} wrote {:?}", message.session_id, message.content);
//!             }
//!             200 // also for events you ignore, or Crisp retries them
//!         }
//!         Err(e) => {
//!             eprintln!("refused a web hook: {e}");
//!             e.status() // 403 (not from Crisp) or 400 (malformed)
//!         }
//!     }
//! }
//!
//! let verifier = Verifier::new("the hook's signing secret").freshness(Duration::from_secs(300));
//! # let _ = handle(&verifier, &http::HeaderMap::new(), b"{}");
//! ```
//!
//! With the `axum` feature, the `CrispHook` extractor does the same in an
//! [axum](https://docs.rs/axum) handler: it reads the raw body, verifies and parses it, and
//! rejects the request with 403 (not from Crisp) or 400 (malformed) before the handler runs.
//!
//! ```ignore
//! use axum::{Router, http::StatusCode, routing::post};
//! use crisp_api::webhook::{CrispHook, Verifier};
//!
//! async fn hook(CrispHook(delivery): CrispHook) -> StatusCode {
//!     tokio::spawn(process(delivery)); // answer fast, work after
//!     StatusCode::OK
//! }
//!
//! let app = Router::new()
//!     .route("/crisp/hook", post(hook))
//!     .with_state(Verifier::new(secret)); // or `impl FromRef<AppState> for Verifier`
//! ```
//!
//! # Freshness
//!
//! The official clients do not check how old a delivery is, so a captured delivery could be
//! replayed. [`Verifier::freshness`] opts in to a window: a delivery whose timestamp is further
//! from now than the window, in the past ([`Error::Stale`]) or the future ([`Error::Future`]), is
//! refused. Crisp does not document the timestamp's unit, so it is read by magnitude: values
//! below 10¹¹ are seconds (that is every date until the year 5138), larger ones milliseconds
//! (every date after March 1973). Crisp retries failed deliveries, so keep the window generous
//! (minutes) and make your processing idempotent.
//!
//! # What is never refused
//!
//! An authentic delivery is never refused for what its body holds: a known event whose payload
//! does not fit its type is an [`Event::Mistyped`] (raw payload, JSON path and reason), a lone
//! surrogate escape reads as U+FFFD ([`crate::json`]). Only a body that is not a JSON object
//! with an `event` name is malformed (400).
//!
//! # Empty secrets and widgets
//!
//! A [`Verifier`] with an empty secret refuses every delivery ([`Error::EmptySecret`], 500):
//! see [`Verifier::new`]. [`Verifier::verify_widget`] checks a plugin widget's action requests
//! with the same HMAC (see there for what the official client and Crisp's docs say of it).
//!
//! # Hex case
//!
//! Crisp sends lower-case hex. Upper-case (or mixed-case) hex of the right MAC is accepted too:
//! it is the same 32 bytes, and the comparison is done on the decoded bytes, as the Go client does.
//!
//! # Website hooks
//!
//! Hooks configured on a website (not a plugin) are **not signed**. Protect them with a long
//! random secret in the hook URL (`https://example.com/crisp?secret=…`) and compare it with
//! [`check_url_secret`], which takes the same time whatever the value.
//!
//! # Testing a receiver
//!
//! With the `sandbox` feature, `Sandbox::deliver` signs an event and POSTs it to a URL, like
//! Crisp does; [`sign`] gives the signature for your own tests.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The typed event a delivery holds (defined in its own module, shared with RTM).
pub use crate::event::{Event, Mismatch};

/// The header holding the delivery time (its exact text is signed).
pub const TIMESTAMP_HEADER: &str = "x-crisp-request-timestamp";
/// The header holding the signature (plugin hooks only).
pub const SIGNATURE_HEADER: &str = "x-crisp-signature";

/// Timestamps at or above this are milliseconds, below it seconds (see the module docs).
pub const MILLISECONDS_FROM: i64 = 100_000_000_000;

type HmacSha256 = Hmac<Sha256>;

mod words;
use words::spoken;

/// Why a delivery was refused. [`Error::status`] gives the HTTP status to answer with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required header is absent (for example `X-Crisp-Signature` on an unsigned hook).
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    /// A header is not valid text.
    #[error("header `{0}` is not valid text")]
    InvalidHeader(&'static str),
    /// The signature is not 64 hexadecimal digits.
    #[error("the signature is not an HMAC-SHA256 in hexadecimal (64 hex digits)")]
    BadSignatureEncoding,
    /// The signature does not match the body and timestamp for this secret.
    #[error("the signature does not match the body and timestamp")]
    SignatureMismatch,
    /// The timestamp header is not a non-negative integer (only checked with a freshness window).
    #[error("the timestamp {0:?} is not a whole number of seconds or milliseconds since 1970")]
    BadTimestamp(String),
    /// The verifier's signing secret is empty: anyone could compute the signature, so every
    /// delivery is refused (see [`Verifier::new`]). Status 500: the receiver is misconfigured.
    #[error(
        "the signing secret is empty, so every delivery is refused (set the hook's secret from \
         the plugin's settings in the Crisp Marketplace)"
    )]
    EmptySecret,
    /// The delivery is older than the freshness window.
    #[error(
        "the delivery is {} old, beyond the {} window",
        spoken(*age_ms, false),
        spoken(*window_ms, true)
    )]
    Stale {
        /// How old it is, in milliseconds.
        age_ms: u64,
        /// The window, in milliseconds.
        window_ms: u64,
    },
    /// The delivery is dated in the future by more than the freshness window.
    #[error(
        "the delivery is dated {} in the future, beyond the {} window",
        spoken(*ahead_ms, false),
        spoken(*window_ms, true)
    )]
    Future {
        /// How far ahead it is, in milliseconds.
        ahead_ms: u64,
        /// The window, in milliseconds.
        window_ms: u64,
    },
    /// The body is not a JSON object (not JSON, truncated, or another JSON value). A lone
    /// surrogate escape is not malformed: it reads as U+FFFD ([`crate::json`]).
    #[error("the body is not a delivery's JSON object: {0}")]
    MalformedBody(#[source] crate::JsonError),
    /// The body has no `event` name.
    #[error("the body has no `event` name")]
    MissingEvent,
    /// The payload of a known event does not fit its type. [`parse`] and [`Verifier::receive`]
    /// no longer refuse such a delivery (it is an [`Event::Mistyped`]); kept for callers that
    /// match on it.
    #[error("the payload of `{event}` does not fit its type: {source}")]
    Payload {
        /// The event name.
        event: String,
        /// What the decoder said.
        #[source]
        source: crate::JsonError,
    },
    /// The secret URL parameter of an unsigned hook is absent.
    #[error("the secret URL parameter is missing")]
    MissingUrlSecret,
    /// The secret URL parameter of an unsigned hook is wrong.
    #[error("the secret URL parameter does not match")]
    UrlSecretMismatch,
}

impl Error {
    /// The HTTP status a receiver should answer with: 403 when the delivery cannot be trusted
    /// (headers, signature, freshness, URL secret), 400 when it is authentic but malformed,
    /// 500 when the verifier has an empty secret (Crisp retries once it is fixed).
    pub fn status(&self) -> u16 {
        match self {
            Error::EmptySecret => 500,
            Error::MalformedBody(_) | Error::MissingEvent | Error::Payload { .. } => 400,
            _ => 403,
        }
    }
}

/// A verified (or at least parsed) delivery: the event and the body's envelope fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delivery {
    /// The event, typed.
    pub event: Event,
    /// The website of the body's envelope, when present.
    pub website_id: Option<String>,
    /// The timestamp of the body's envelope, when present (ms since the epoch).
    pub timestamp: Option<i64>,
}

/// Checks signed deliveries for one signing secret. The secret never appears in `Debug`.
#[derive(Clone)]
pub struct Verifier {
    secret: Vec<u8>,
    window: Option<Duration>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"<redacted>")
            .field("window", &self.window)
            .finish()
    }
}

impl Verifier {
    /// A verifier for the hook's signing secret, without a freshness window.
    ///
    /// An **empty secret is refused at verification**: every delivery then fails with
    /// [`Error::EmptySecret`] (status 500), as the official Node client refuses an empty secret,
    /// because anyone can compute a signature keyed with nothing. Construction does not fail, so
    /// that a receiver built from a missing setting still starts and says what is wrong on each
    /// delivery; check [`Verifier::has_secret`] at start-up to fail earlier.
    pub fn new(secret: impl AsRef<[u8]>) -> Verifier {
        Verifier {
            secret: secret.as_ref().to_vec(),
            window: None,
        }
    }

    /// Whether the secret is non-empty (an empty one refuses every delivery).
    pub fn has_secret(&self) -> bool {
        !self.secret.is_empty()
    }

    /// Refuses deliveries dated further than `window` from now (see the module docs).
    pub fn freshness(mut self, window: Duration) -> Verifier {
        self.window = Some(window);
        self
    }

    /// Verifies a delivery from its headers and raw body, now.
    pub fn verify(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<(), Error> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Verifies a delivery as if received at `now` (for tests).
    pub fn verify_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), Error> {
        let header = |name: &'static str| -> Result<&str, Error> {
            headers
                .get(name)
                .ok_or(Error::MissingHeader(name))?
                .to_str()
                .map_err(|_| Error::InvalidHeader(name))
        };
        let timestamp = header(TIMESTAMP_HEADER)?;
        let signature = header(SIGNATURE_HEADER)?;
        self.verify_parts(timestamp, signature, body, now)
    }

    /// Verifies the parts of a delivery: the timestamp header's text, the signature header's
    /// text and the raw body, as if received at `now`.
    pub fn verify_parts(
        &self,
        timestamp: &str,
        signature: &str,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), Error> {
        if self.secret.is_empty() {
            return Err(Error::EmptySecret);
        }
        let expected = hex::decode(signature).map_err(|_| Error::BadSignatureEncoding)?;
        if expected.len() != 32 {
            return Err(Error::BadSignatureEncoding);
        }
        mac(&self.secret, timestamp, body)
            .verify_slice(&expected)
            .map_err(|_| Error::SignatureMismatch)?;
        if let Some(window) = self.window {
            check_freshness(timestamp, window, now)?;
        }
        Ok(())
    }

    /// Verifies a plugin widget's action request (a button or a data field of a Generic Widget
    /// calling your plugin) now: the equivalent of the Node client's `verifyWidget` (added in
    /// its v7.1.0).
    ///
    /// The Node client checks widget requests with exactly the web hook check (its
    /// `verifyWidget` and `verifyHook` share one function: HMAC-SHA256 keyed with the plugin's
    /// signing secret over `"[" + timestamp + ";" + body + "]"`), and takes the timestamp and
    /// signature as arguments without naming their headers; Crisp's plugin and widget docs do
    /// not name them either. This method reads them from the web hook headers,
    /// `X-Crisp-Request-Timestamp` ([`TIMESTAMP_HEADER`]) and `X-Crisp-Signature`
    /// ([`SIGNATURE_HEADER`]), which is what Crisp's signing service sends; if your requests
    /// carry them elsewhere, pass their values to [`Verifier::verify_widget_parts`]. The body is
    /// the widget's JSON as received (not parsed as a web hook delivery). An empty secret
    /// refuses every request ([`Error::EmptySecret`]).
    pub fn verify_widget(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<(), Error> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`Verifier::verify_widget`] from the timestamp's and signature's values and the raw
    /// body, as if received at `now`.
    pub fn verify_widget_parts(
        &self,
        timestamp: &str,
        signature: &str,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), Error> {
        self.verify_parts(timestamp, signature, body, now)
    }

    /// Verifies a delivery now, then parses its body into a [`Delivery`].
    pub fn receive(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<Delivery, Error> {
        self.verify(headers, body)?;
        parse(body)
    }
}

fn mac(secret: &[u8], timestamp: &str, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(b"[");
    mac.update(timestamp.as_bytes());
    mac.update(b";");
    mac.update(body);
    mac.update(b"]");
    mac
}

/// The signature Crisp sends for `body` delivered at `timestamp` (lower-case hex), to sign test
/// deliveries.
pub fn sign(secret: impl AsRef<[u8]>, timestamp: &str, body: &[u8]) -> String {
    hex::encode(
        mac(secret.as_ref(), timestamp, body)
            .finalize()
            .into_bytes(),
    )
}

/// Reads a timestamp header as milliseconds since the epoch, taking values below
/// [`MILLISECONDS_FROM`] as seconds.
pub fn timestamp_ms(raw: &str) -> Result<i64, Error> {
    let value: i64 = raw
        .trim()
        .parse()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| Error::BadTimestamp(raw.to_owned()))?;
    if value >= MILLISECONDS_FROM {
        Ok(value)
    } else {
        Ok(value * 1000)
    }
}

fn check_freshness(raw: &str, window: Duration, now: SystemTime) -> Result<(), Error> {
    let at = timestamp_ms(raw)?;
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(_) => 0,
    };
    let window_ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
    let diff = now.saturating_sub(at);
    if diff >= 0 {
        let age_ms = diff.unsigned_abs();
        if age_ms > window_ms {
            return Err(Error::Stale { age_ms, window_ms });
        }
    } else {
        let ahead_ms = diff.unsigned_abs();
        if ahead_ms > window_ms {
            return Err(Error::Future {
                ahead_ms,
                window_ms,
            });
        }
    }
    Ok(())
}

/// Parses a delivery body `{website_id, event, data, timestamp}` (verify it first). An event
/// this SDK does not know is [`Event::Unknown`]; a known event whose `data` does not fit its type
/// is [`Event::Mistyped`], with its raw payload (an authentic delivery is never refused for its
/// payload's shape); extra fields are ignored. Lone surrogate escapes read as U+FFFD
/// ([`crate::json`]).
pub fn parse(body: &[u8]) -> Result<Delivery, Error> {
    let value: serde_json::Value =
        crate::json::from_slice(body).map_err(|e| Error::MalformedBody(e.into()))?;
    let serde_json::Value::Object(mut map) = value else {
        return Err(Error::MalformedBody(
            <serde_json::Error as serde::de::Error>::custom("expected a JSON object").into(),
        ));
    };
    let name = match map.remove("event") {
        Some(serde_json::Value::String(name)) if !name.is_empty() => name,
        _ => return Err(Error::MissingEvent),
    };
    let data = map.remove("data").unwrap_or(serde_json::Value::Null);
    let event = Event::from_parts(&name, data)?;
    Ok(Delivery {
        event,
        website_id: map
            .get("website_id")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        timestamp: map.get("timestamp").and_then(crate::lenient::as_i64),
    })
}

/// Checks the secret URL parameter of an unsigned (website) hook in constant time: both values
/// are hashed with HMAC-SHA256 and the hashes compared with `verify_slice`, so neither the
/// content nor the length of the expected secret leaks through timing.
pub fn check_url_secret(expected: &str, provided: Option<&str>) -> Result<(), Error> {
    const KEY: &[u8] = b"crisp-api web hook URL secret";
    let provided = provided.ok_or(Error::MissingUrlSecret)?;
    let digest = |value: &str| {
        let mut mac = HmacSha256::new_from_slice(KEY).expect("HMAC takes a key of any length");
        mac.update(value.as_bytes());
        mac
    };
    let expected = digest(expected).finalize().into_bytes();
    digest(provided)
        .verify_slice(&expected)
        .map_err(|_| Error::UrlSecretMismatch)
}

#[cfg(feature = "axum")]
mod axum_extractor;
#[cfg(feature = "axum")]
pub use axum_extractor::CrispHook;
