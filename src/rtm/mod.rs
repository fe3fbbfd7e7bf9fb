//! Real-time events (feature `rtm`): a typed, reconnecting stream of Crisp [`Event`]s over
//! Crisp's RTM socket, without a public URL for web hooks.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use crisp_api::Event;
//! use crisp_api::rtm::{Item, State};
//! use futures::StreamExt;
//!
//! let client = crisp_api::Client::from_env()?;
//! let mut rtm = client
//!     .rtm()
//!     .events(["message:send", "message:received"])
//!     .connect() // discovers the endpoint, connects and authenticates, or fails
//!     .await?;
//! while let Some(item) = rtm.next().await {
//!     match item? {
//!         Item::Event(Event::MessageSend(message)) => println!("{:?}", message.content),
//!         Item::Event(other) => println!("{}", other.name()),
//!         Item::State(State::Reconnecting { attempt, delay }) => {
//!             eprintln!("reconnecting in {delay:?} (attempt {attempt})")
//!         }
//!         Item::Lagged(n) => eprintln!("too slow: {n} items dropped"),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # Connecting
//!
//! [`RtmBuilder::connect`] finds the socket URL with the REST API (`GET /plugin/connect/endpoints`
//! for a plugin token, `GET /website/{website_id}/connect/endpoints` for a website token, which
//! needs [`RtmBuilder::website`]), unless [`RtmBuilder::endpoint`] gives it. It then opens a
//! websocket, speaks Socket.IO (Engine.IO v4) over it, and emits `authentication` with the
//! tier, the token identifier and key, and the events to receive. It returns once Crisp answers
//! `authenticated`, or fails: a wrong token gives [`Error::Unauthorized`], an unreachable socket
//! [`Error::Connect`] or [`Error::Timeout`], a failed discovery [`Error::Discovery`].
//!
//! # The stream
//!
//! [`Rtm`] is a [`Stream`] of `Result<`[`Item`]`, `[`Error`]`>`: the events, typed as
//! [`Event`] (a name this SDK does not know is [`Event::Unknown`]; a known event whose payload
//! does not fit its type is [`Event::Mistyped`], with its raw payload: no event is dropped for
//! its shape, and each is counted in [`Rtm::stats`]), and the connection's [`State`] changes in
//! order with them. Lone surrogate escapes in a frame read as U+FFFD ([`crate::json`]). Events
//! of a Socket.IO namespace other than the default one, which this client never joins
//! (`42/admin,[…]`), are ignored, as socket.io-client does. Two errors appear in the stream:
//!
//! * [`Error::Protocol`]: a message that is not Socket.IO; it is skipped and the stream goes on.
//! * [`Error::Unauthorized`]: Crisp refused the token when re-authenticating; the stream ends
//!   after it (there is no retry loop on bad credentials).
//!
//! Connection failures are not errors of the stream: they are [`State::Disconnected`] and
//! [`State::Reconnecting`] items, and the stream goes on until [`Rtm::close`], an
//! `unauthorized`, or the [`Rtm`] is dropped.
//!
//! # Reconnecting
//!
//! When the connection drops, or the server's pings stop for longer than it announced, the
//! stream yields [`State::Disconnected`] and [`State::Reconnecting`], waits, connects again to the
//! same URL and re-authenticates with the same events (with the changes made by the rebind
//! methods since). The endpoint is discovered again only when connecting to the known one
//! fails. The wait is "full jitter" (see [`backoff`]): a random delay between zero and
//! `min(cap, base × 2^(attempt − 1))`, with base and cap from [`RtmBuilder::reconnect`] (default
//! 5 s and 10 s: the official clients wait 5–10 s; full jitter spreads the reconnections of many
//! clients after a relay restart). The count starts again after each successful
//! authentication.
//!
//! **A disconnect the server initiates** (a Socket.IO `41`, "the server left the namespace", or
//! an Engine.IO close) is treated like a drop: the stream yields [`State::Disconnected`] with
//! that reason and reconnects. This differs on purpose from socket.io-client, which stops for
//! good after a server-side disconnect: Crisp's relays disconnect their sockets when they
//! restart or rebalance, and a bot that stopped would silently miss every event after it. A
//! server that wants the client gone for good refuses its token on the next authentication
//! ([`Error::Unauthorized`], which ends the stream); an application that wants to stop on a
//! server disconnect can match the [`State::Disconnected`] item and call [`Rtm::close`]. The waits between attempts and between rebinds go through the client's
//! [`Clock`], so tests with a virtual clock do not wait; the connection and ping timeouts are
//! measured on tokio's timer, as they time the network.
//!
//! # Rebinding
//!
//! Crisp routes a socket's events by what it bound when authenticating. After websites are added
//! to a plugin, events for them only arrive after a rebind: [`Rtm::rebind`] (`socket:bind`),
//! [`Rtm::bind`] (`socket:bind` with a new event set), [`Rtm::bind_push`] and [`Rtm::bind_pop`]
//! (`socket:bind:push`/`pop`, adding or removing events). Crisp allows one rebind every 2.5 s
//! ([`REBIND_INTERVAL`]): the SDK queues them and sends them [`REBIND_SPACING`] (2.75 s) apart,
//! a margin over 2.5 s so that network jitter never brings two arrivals closer than the server
//! allows; it does not refuse them. [`Rtm::handle`] gives a clonable [`RtmHandle`] with the same methods, to rebind from
//! another task while this one reads the stream.
//!
//! # Back-pressure
//!
//! The socket is read continuously, whether or not the stream is polled, so that pings are
//! answered and the connection stays up. Items wait in a buffer of [`RtmBuilder::buffer`] items
//! (default [`DEFAULT_BUFFER`]). When it is full, the **oldest** item is dropped, and the next
//! poll yields [`Item::Lagged`] with the number dropped since the last poll, before the items that
//! remain. Memory never grows beyond the buffer. [`Rtm::stats`] counts events and drops.
//!
//! # Secrets
//!
//! The token key is sent in the `authentication` message only. It is never logged, and no type
//! of this module shows it in its `Debug` output. Tracing spans: `crisp_rtm` (the connection's
//! life), `crisp_rtm_connect` (one connection), `crisp_rtm_auth`, `crisp_rtm_reconnect`.

pub mod frame;

mod builder;
mod discovery;
mod handle;
mod protocol;
mod queue;
mod session;

pub use builder::RtmBuilder;
pub use handle::{Rtm, RtmHandle};
#[allow(unused_imports)]
use {builder::*, discovery::*, handle::*, protocol::*, queue::*, session::*};

use crate::clock::{Clock, Sleep};
use crate::config::Credentials;
use crate::event::Event;
use crate::{Client, Tier};
use frame::{Packet, SocketPacket};
use futures::task::AtomicWaker;
use futures::{SinkExt, Stream, StreamExt};
use reqwest::Url;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tracing::Instrument;

/// How many items wait for the consumer before the oldest is dropped (see
/// [back-pressure](self#back-pressure)).
pub const DEFAULT_BUFFER: usize = 1024;
/// The default base of the reconnection back-off.
pub const DEFAULT_RECONNECT_BASE: Duration = Duration::from_secs(5);
/// The default cap of the reconnection back-off.
pub const DEFAULT_RECONNECT_CAP: Duration = Duration::from_secs(10);
/// The default time allowed to open the socket and be answered `authenticated`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The least time between two rebinds that Crisp allows.
pub const REBIND_INTERVAL: Duration = Duration::from_millis(2500);

/// The time the SDK leaves between two rebinds: [`REBIND_INTERVAL`] and a margin of 250 ms, so
/// that the server, which measures between the arrivals of the two messages (a relay measured
/// 2,497 ms between two sends 2.5 s apart), never sees less than 2.5 s.
pub const REBIND_SPACING: Duration = Duration::from_millis(2750);

/// What can go wrong with the RTM connection.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The builder's settings cannot work.
    #[error("RTM setting `{name}`: {problem}")]
    Config {
        /// The setting at fault (named as the client's [`Error::Config`](crate::Error::Config)
        /// names its own).
        name: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The REST call discovering the socket URL failed.
    #[error("RTM endpoint discovery failed: {0}")]
    Discovery(#[source] crate::Error),
    /// Discovery answered without a socket URL.
    #[error("RTM endpoint discovery answered no socket URL")]
    NoEndpoint,
    /// The websocket could not be opened.
    #[error("RTM connection to {endpoint} failed: {source}")]
    Connect {
        /// The socket URL.
        endpoint: String,
        /// What failed (a `tungstenite` error).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The socket did not open, or Crisp did not answer the authentication, in time.
    #[error("RTM {what} timed out after {} s", after.as_secs_f32())]
    Timeout {
        /// What was awaited.
        what: &'static str,
        /// The time allowed.
        after: Duration,
    },
    /// The server broke the Socket.IO protocol, or closed the connection before
    /// authenticating.
    #[error("RTM protocol error: {0}")]
    Protocol(String),
    /// Crisp refused the token (`unauthorized`). Ends the stream.
    #[error("RTM authentication refused{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Unauthorized {
        /// Crisp's message, if any.
        message: Option<String>,
    },
    /// A known event's payload does not fit its type. No longer yielded: such an event is an
    /// [`Event::Mistyped`] item; kept for callers that match on it.
    #[error("RTM event: {0}")]
    Payload(#[source] crate::webhook::Error),
    /// The connection is closed: the rebind was not queued.
    #[error("the RTM connection is closed")]
    Closed,
}

impl Error {
    /// The one way to build an [`Error::Config`].
    pub(super) fn config(name: &'static str, problem: impl Into<String>) -> Error {
        Error::Config {
            name,
            problem: problem.into(),
        }
    }
}

/// One item of the [`Rtm`] stream.
// Nearly every item is an event: boxing it would cost an allocation per event without saving
// memory, and would prevent matching `Item::Event(Event::MessageSend(m))` directly.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Item {
    /// An event, typed.
    Event(Event),
    /// The connection changed state.
    State(State),
    /// The consumer fell behind: this many items (the oldest) were dropped from the full
    /// buffer since the last poll.
    Lagged(u64),
}

/// A change of the connection's state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// The socket is open and the Socket.IO namespace joined; authentication follows.
    Connected {
        /// The socket URL.
        endpoint: String,
    },
    /// Crisp accepted the token: events flow.
    Authenticated,
    /// The connection dropped or could not be opened.
    Disconnected {
        /// Why.
        reason: String,
    },
    /// The next connection attempt starts after `delay`.
    Reconnecting {
        /// The attempt about to be made (1 after a drop).
        attempt: u32,
        /// The wait before it.
        delay: Duration,
    },
}

/// Counters of an [`Rtm`] connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Events received (typed, unknown or undecodable), since connecting.
    pub events: u64,
    /// Items dropped from the full buffer, since connecting.
    pub dropped: u64,
    /// Items waiting in the buffer now.
    pub buffered: usize,
}

/// The reconnection delay before `attempt` (1-based): full jitter, `random` (in `[0, 1)`) times
/// `min(cap, base × 2^(attempt − 1))`.
///
/// ```
/// use crisp_api::rtm::backoff;
/// use std::time::Duration;
/// let (base, cap) = (Duration::from_secs(5), Duration::from_secs(10));
/// assert_eq!(backoff(1, base, cap, 0.5), Duration::from_millis(2500));
/// assert_eq!(backoff(2, base, cap, 0.5), Duration::from_secs(5));
/// assert_eq!(backoff(9, base, cap, 0.999), Duration::from_millis(9990));
/// ```
pub fn backoff(attempt: u32, base: Duration, cap: Duration, random: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(32);
    let ceiling = base
        .checked_mul(1u32 << doublings.min(31))
        .unwrap_or(cap)
        .min(cap);
    ceiling.mul_f64(random.clamp(0.0, 1.0))
}

/// The websocket URL of a Socket.IO endpoint: `https`/`http` become `wss`/`ws`, the URL's path
/// is the Socket.IO path (with a trailing `/`, as the official client sends it) and the query
/// selects Engine.IO v4 over a websocket.
///
/// ```
/// use crisp_api::rtm::socket_url;
/// assert_eq!(
///     socket_url("wss://plugin.relay.crisp.chat/p/7/").unwrap().as_str(),
///     "wss://plugin.relay.crisp.chat/p/7/?EIO=4&transport=websocket"
/// );
/// assert_eq!(
///     socket_url("http://127.0.0.1:3000/socket.io").unwrap().as_str(),
///     "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"
/// );
/// ```
pub fn socket_url(endpoint: &str) -> Result<Url, Error> {
    let mut url = Url::parse(endpoint.trim())
        .map_err(|e| Error::config("endpoint", format!("`{endpoint}` is not a URL: {e}")))?;
    let scheme = match url.scheme() {
        "wss" | "https" => "wss",
        "ws" | "http" => "ws",
        other => {
            return Err(Error::config(
                "endpoint",
                format!("unsupported scheme `{other}`"),
            ));
        }
    };
    url.set_scheme(scheme).map_err(|()| {
        Error::config(
            "endpoint",
            format!("cannot use `{endpoint}` as a websocket URL"),
        )
    })?;
    let path = format!("{}/", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.set_query(Some(&format!(
        "EIO={}&transport=websocket",
        frame::ENGINE_IO_VERSION
    )));
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_under_the_cap() {
        let (base, cap) = (Duration::from_secs(5), Duration::from_secs(10));
        assert_eq!(backoff(1, base, cap, 0.0), Duration::ZERO);
        assert_eq!(backoff(1, base, cap, 1.0), base);
        assert_eq!(backoff(2, base, cap, 1.0), cap);
        assert_eq!(backoff(3, base, cap, 1.0), cap);
        assert_eq!(backoff(u32::MAX, base, cap, 1.0), cap);
        assert_eq!(backoff(0, base, cap, 1.0), base);
        // Out-of-range randoms are clamped.
        assert_eq!(backoff(1, base, cap, 7.0), base);
        assert_eq!(backoff(1, base, cap, -1.0), Duration::ZERO);
        let small = Duration::from_millis(100);
        assert_eq!(backoff(4, small, cap, 1.0), Duration::from_millis(800));
        for attempt in 1..50 {
            for r in [0.0, 0.3, 0.999] {
                assert!(backoff(attempt, base, cap, r) <= cap);
            }
        }
    }

    #[test]
    fn socket_urls() {
        let url = |s| socket_url(s).map(|u| u.to_string());
        assert_eq!(
            url("https://app.relay.crisp.chat/w/p/").unwrap(),
            "wss://app.relay.crisp.chat/w/p/?EIO=4&transport=websocket"
        );
        assert_eq!(
            url("wss://app.relay.crisp.chat").unwrap(),
            "wss://app.relay.crisp.chat/?EIO=4&transport=websocket"
        );
        assert_eq!(
            url("ws://127.0.0.1:9/x?old=1#frag").unwrap(),
            "ws://127.0.0.1:9/x/?EIO=4&transport=websocket"
        );
        assert!(matches!(
            socket_url("ftp://example.com/"),
            Err(Error::Config {
                name: "endpoint",
                ..
            })
        ));
        assert!(socket_url("not a url").is_err());
    }

    #[test]
    fn queue_drops_the_oldest_and_reports_lag() {
        let queue = Queue::new(2);
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        for n in 0..5 {
            queue.push(Ok(Item::State(State::Reconnecting {
                attempt: n,
                delay: Duration::ZERO,
            })));
        }
        let next = |cx: &mut Context<'_>| match queue.poll(cx) {
            Poll::Ready(Some(Ok(item))) => Some(item),
            Poll::Ready(Some(Err(e))) => panic!("{e}"),
            Poll::Ready(None) => None,
            Poll::Pending => panic!("pending"),
        };
        assert_eq!(next(&mut cx), Some(Item::Lagged(3)));
        assert!(matches!(
            next(&mut cx),
            Some(Item::State(State::Reconnecting { attempt: 3, .. }))
        ));
        assert!(matches!(
            next(&mut cx),
            Some(Item::State(State::Reconnecting { attempt: 4, .. }))
        ));
        assert!(queue.poll(&mut cx).is_pending());
        queue.push(Ok(Item::Lagged(0)));
        queue.push(Ok(Item::Lagged(1)));
        queue.push(Ok(Item::Lagged(2)));
        // The final error is kept even when the buffer is full.
        queue.finish(Some(Error::Unauthorized { message: None }));
        assert_eq!(next(&mut cx), Some(Item::Lagged(1)));
        assert_eq!(next(&mut cx), Some(Item::Lagged(1)));
        assert_eq!(next(&mut cx), Some(Item::Lagged(2)));
        assert!(matches!(
            queue.poll(&mut cx),
            Poll::Ready(Some(Err(Error::Unauthorized { .. })))
        ));
        assert!(matches!(queue.poll(&mut cx), Poll::Ready(None)));
        let q = queue.lock();
        assert_eq!((q.dropped, q.events), (4, 0));
    }

    #[test]
    fn rebinds_update_the_event_set() {
        let mut set = vec!["a".to_owned()];
        extend_unique(&mut set, ["b".to_owned(), "a".to_owned(), "c".to_owned()]);
        assert_eq!(set, ["a", "b", "c"]);
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let secret = crate::config::Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        let credentials = crate::Credentials::new("id", "hunter2");
        assert!(!format!("{credentials:?}").contains("hunter2"));
    }
}
