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

use crate::clock::{Clock, Sleep};
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
    #[error("RTM setting `{setting}`: {message}")]
    Config {
        /// The setting at fault.
        setting: &'static str,
        /// What is wrong with it.
        message: String,
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
    let config = |message: String| Error::Config {
        setting: "endpoint",
        message,
    };
    let mut url = Url::parse(endpoint.trim())
        .map_err(|e| config(format!("`{endpoint}` is not a URL: {e}")))?;
    let scheme = match url.scheme() {
        "wss" | "https" => "wss",
        "ws" | "http" => "ws",
        other => return Err(config(format!("unsupported scheme `{other}`"))),
    };
    url.set_scheme(scheme)
        .map_err(|()| config(format!("cannot use `{endpoint}` as a websocket URL")))?;
    let path = format!("{}/", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.set_query(Some(&format!(
        "EIO={}&transport=websocket",
        frame::ENGINE_IO_VERSION
    )));
    url.set_fragment(None);
    Ok(url)
}

/// A token key, kept out of `Debug`.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
enum Discovery {
    Fixed(String),
    Plugin,
    Website(String),
}

impl Discovery {
    fn is_dynamic(&self) -> bool {
        !matches!(self, Discovery::Fixed(_))
    }

    async fn run(&self, client: &Client) -> Result<String, Error> {
        let found = match self {
            Discovery::Fixed(url) => return Ok(url.clone()),
            Discovery::Plugin => {
                let data = client
                    .get_connect_endpoints()
                    .call()
                    .await
                    .map_err(Error::Discovery)?;
                let main = data.socket.and_then(|s| s.app);
                let rescue = data.rescue.and_then(|r| r.socket).and_then(|s| s.app);
                main.or(rescue)
            }
            Discovery::Website(website) => {
                let data = client
                    .get_website_connect_endpoints()
                    .website_id(website)
                    .call()
                    .await
                    .map_err(Error::Discovery)?;
                let main = data.socket.and_then(|s| s.app);
                let rescue = data.rescue.and_then(|r| r.socket).and_then(|s| s.app);
                main.or(rescue)
            }
        };
        found
            .filter(|u| !u.trim().is_empty())
            .ok_or(Error::NoEndpoint)
    }
}

/// Configures an RTM connection; from [`Client::rtm`].
#[must_use]
pub struct RtmBuilder {
    client: Client,
    events: Vec<String>,
    endpoint: Option<String>,
    website: Option<String>,
    buffer: usize,
    base: Duration,
    cap: Duration,
    connect_timeout: Duration,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for RtmBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RtmBuilder")
            .field("identifier", &self.client.identifier())
            .field("tier", &self.client.tier())
            .field("events", &self.events)
            .field("endpoint", &self.endpoint)
            .field("website", &self.website)
            .field("buffer", &self.buffer)
            .field("reconnect", &(self.base, self.cap))
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Configures a real-time event connection with this client's token and tier (feature
    /// `rtm`; see the [`rtm`](crate::rtm) module).
    #[cfg_attr(docsrs, doc(cfg(feature = "rtm")))]
    pub fn rtm(&self) -> RtmBuilder {
        RtmBuilder {
            client: self.clone(),
            events: Vec::new(),
            endpoint: None,
            website: None,
            buffer: DEFAULT_BUFFER,
            base: DEFAULT_RECONNECT_BASE,
            cap: DEFAULT_RECONNECT_CAP,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            clock: None,
        }
    }
}

impl RtmBuilder {
    /// The events to receive (replacing any set before), such as `message:send`. Duplicates
    /// are ignored.
    pub fn events<I, S>(mut self, events: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.events.clear();
        extend_unique(&mut self.events, events.into_iter().map(Into::into));
        self
    }

    /// Every event this SDK types ([`Event::KNOWN`]).
    pub fn all_events(self) -> Self {
        self.events(Event::KNOWN)
    }

    /// The socket URL, such as `wss://plugin.relay.crisp.chat/p/7/`, instead of discovering it.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The website whose endpoints a website token discovers (required for [`Tier::Website`]
    /// without [`Self::endpoint`]).
    pub fn website(mut self, website_id: impl Into<String>) -> Self {
        self.website = Some(website_id.into());
        self
    }

    /// How many items wait for the consumer before the oldest is dropped (default
    /// [`DEFAULT_BUFFER`], at least 1).
    pub fn buffer(mut self, capacity: usize) -> Self {
        self.buffer = capacity;
        self
    }

    /// The base and cap of the reconnection back-off (default 5 s and 10 s; see
    /// [`backoff`]).
    pub fn reconnect(mut self, base: Duration, cap: Duration) -> Self {
        self.base = base;
        self.cap = cap;
        self
    }

    /// The time allowed to open the socket and be answered `authenticated` (default
    /// [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The clock for the back-off and rebind waits (default: the client's).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Discovers the endpoint (unless given), connects and authenticates; see the
    /// [module docs](self#connecting). Must be called within a tokio runtime.
    pub async fn connect(self) -> Result<Rtm, Error> {
        let config = |setting, message: &str| Error::Config {
            setting,
            message: message.to_owned(),
        };
        if self.events.is_empty() {
            return Err(config(
                "events",
                "no events to receive: call .events([...]) or .all_events()",
            ));
        }
        if self.buffer == 0 {
            return Err(config("buffer", "must hold at least one item"));
        }
        let inner = progenitor_client::ClientInfo::inner(&self.client);
        let (identifier, key) = credentials(inner)?;
        let tier = inner.tier;
        let discovery = match (&self.endpoint, tier, &self.website) {
            (Some(url), _, _) => Discovery::Fixed(url.clone()),
            (None, Tier::Plugin, _) => Discovery::Plugin,
            (None, Tier::Website, Some(website)) => Discovery::Website(website.clone()),
            (None, Tier::Website, None) => {
                return Err(config(
                    "website",
                    "a website token discovers its endpoint per website: call .website(id) or .endpoint(url)",
                ));
            }
            (None, _, _) => {
                return Err(config(
                    "endpoint",
                    "this tier has no endpoint discovery: call .endpoint(url)",
                ));
            }
        };
        let endpoint = discovery.run(&self.client).await?;
        socket_url(&endpoint)?;
        let tls = tls_config(&inner.roots)?;
        let clock = self.clock.unwrap_or_else(|| inner.runtime.clock.clone());
        let queue = Arc::new(Queue::new(self.buffer));
        let (commands, receiver) = mpsc::unbounded_channel();
        let (first, authenticated) = oneshot::channel();
        let span = tracing::info_span!(
            "crisp_rtm",
            tier = tier.as_str(),
            events = self.events.len()
        );
        let task = Task {
            client: self.client.clone(),
            discovery,
            tier,
            identifier,
            key,
            user_agent: inner.user_agent.clone(),
            events: self.events,
            base: self.base,
            cap: self.cap,
            connect_timeout: self.connect_timeout,
            clock,
            tls,
            queue: queue.clone(),
            commands: receiver,
            rebinds: VecDeque::new(),
            last_rebind: None,
        };
        let join = tokio::spawn(task.run(endpoint, first).instrument(span));
        // Built before waiting, so that dropping this future stops the task.
        let rtm = Rtm {
            queue,
            handle: RtmHandle { commands },
            task: join,
        };
        match authenticated.await {
            Ok(Ok(())) => Ok(rtm),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(Error::Closed),
        }
    }
}

fn extend_unique(set: &mut Vec<String>, events: impl IntoIterator<Item = String>) {
    for event in events {
        if !set.contains(&event) {
            set.push(event);
        }
    }
}

/// The identifier and key, read back from the client's `Authorization` header.
fn credentials(inner: &crate::config::Inner) -> Result<(String, Secret), Error> {
    use base64::Engine as _;
    let missing = || Error::Config {
        setting: "credentials",
        message: "the client has no token: build it with .credentials(identifier, key)".into(),
    };
    let identifier = inner.identifier.clone().ok_or_else(missing)?;
    let header = inner.authorization.as_ref().ok_or_else(missing)?;
    let decoded = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(missing)?;
    let key = decoded
        .strip_prefix(identifier.as_str())
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(missing)?
        .to_owned();
    Ok((identifier, Secret(key)))
}

/// rustls on the *ring* provider with the platform's verifier and the client's extra roots, as
/// the REST client.
fn tls_config(roots: &[Vec<u8>]) -> Result<Arc<rustls::ClientConfig>, Error> {
    crate::tls::ring_config(roots)
        .map(Arc::new)
        .map_err(|e| Error::Config {
            setting: "tls",
            message: e.to_string(),
        })
}

/// A buffered item, small: events are about 1 KB inline, so they wait boxed and the buffer's
/// spare capacity costs a pointer per place, not a kilobyte.
#[derive(Debug)]
enum Slot {
    Event(Box<Event>),
    State(State),
    Lagged(u64),
    Err(Box<Error>),
}

impl From<Result<Item, Error>> for Slot {
    fn from(item: Result<Item, Error>) -> Slot {
        match item {
            Ok(Item::Event(event)) => Slot::Event(Box::new(event)),
            Ok(Item::State(state)) => Slot::State(state),
            Ok(Item::Lagged(n)) => Slot::Lagged(n),
            Err(e) => Slot::Err(Box::new(e)),
        }
    }
}

impl From<Slot> for Result<Item, Error> {
    fn from(slot: Slot) -> Self {
        match slot {
            Slot::Event(event) => Ok(Item::Event(*event)),
            Slot::State(state) => Ok(Item::State(state)),
            Slot::Lagged(n) => Ok(Item::Lagged(n)),
            Slot::Err(e) => Err(*e),
        }
    }
}

/// The buffer between the connection task and the consumer.
#[derive(Debug)]
struct Queue {
    inner: Mutex<QueueInner>,
    waker: AtomicWaker,
}

#[derive(Debug)]
struct QueueInner {
    items: VecDeque<Slot>,
    capacity: usize,
    lagged: u64,
    dropped: u64,
    events: u64,
    ended: bool,
}

impl Queue {
    fn new(capacity: usize) -> Queue {
        Queue {
            inner: Mutex::new(QueueInner {
                items: VecDeque::with_capacity(capacity.min(DEFAULT_BUFFER)),
                capacity,
                lagged: 0,
                dropped: 0,
                events: 0,
                ended: false,
            }),
            waker: AtomicWaker::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, item: Result<Item, Error>) {
        {
            let mut q = self.lock();
            if matches!(item, Ok(Item::Event(_)) | Err(Error::Payload(_))) {
                q.events += 1;
            }
            if q.items.len() >= q.capacity {
                q.items.pop_front();
                q.lagged += 1;
                q.dropped += 1;
            }
            q.items.push_back(Slot::from(item));
        }
        self.waker.wake();
    }

    /// Ends the stream after `last` (which is never dropped).
    fn finish(&self, last: Option<Error>) {
        {
            let mut q = self.lock();
            if let Some(e) = last {
                q.items.push_back(Slot::Err(Box::new(e)));
            }
            q.ended = true;
        }
        self.waker.wake();
    }

    fn poll(&self, cx: &mut Context<'_>) -> Poll<Option<Result<Item, Error>>> {
        let mut q = self.lock();
        if q.lagged > 0 {
            let n = std::mem::take(&mut q.lagged);
            return Poll::Ready(Some(Ok(Item::Lagged(n))));
        }
        if let Some(slot) = q.items.pop_front() {
            return Poll::Ready(Some(slot.into()));
        }
        if q.ended {
            return Poll::Ready(None);
        }
        // Registered under the lock: a push after this wakes us.
        self.waker.register(cx.waker());
        Poll::Pending
    }
}

/// A live RTM connection: a [`Stream`] of events and state changes, and the rebind methods.
///
/// Dropping it closes the connection.
#[derive(Debug)]
pub struct Rtm {
    queue: Arc<Queue>,
    handle: RtmHandle,
    task: tokio::task::JoinHandle<()>,
}

impl Rtm {
    /// A clonable handle to rebind or close from elsewhere.
    pub fn handle(&self) -> RtmHandle {
        self.handle.clone()
    }

    /// Counters of events received and items dropped, and the buffer's fill.
    pub fn stats(&self) -> Stats {
        let q = self.queue.lock();
        Stats {
            events: q.events,
            dropped: q.dropped,
            buffered: q.items.len(),
        }
    }

    /// Emits `socket:bind` with no event set, so that Crisp re-reads the token's websites
    /// (queued; see [rebinding](self#rebinding)).
    pub fn rebind(&self) -> Result<(), Error> {
        self.handle.rebind()
    }

    /// Emits `socket:bind` with `events`, which replace the set received (queued).
    pub fn bind<I, S>(&self, events: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.handle.bind(events)
    }

    /// Emits `socket:bind:push`, adding `events` to the set received (queued).
    pub fn bind_push<I, S>(&self, events: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.handle.bind_push(events)
    }

    /// Emits `socket:bind:pop`, removing `events` from the set received (queued).
    pub fn bind_pop<I, S>(&self, events: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.handle.bind_pop(events)
    }

    /// Leaves the socket politely; the stream ends after the items already buffered.
    pub fn close(&self) {
        self.handle.close();
    }
}

impl Stream for Rtm {
    type Item = Result<Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.queue.poll(cx)
    }
}

impl Drop for Rtm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Rebinds or closes an [`Rtm`] connection from anywhere; from [`Rtm::handle`].
#[derive(Debug, Clone)]
pub struct RtmHandle {
    commands: mpsc::UnboundedSender<Command>,
}

#[derive(Debug)]
enum Command {
    Rebind(Rebind, Vec<String>),
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rebind {
    Refresh,
    Bind,
    Push,
    Pop,
}

impl Rebind {
    fn event(self) -> &'static str {
        match self {
            Rebind::Refresh | Rebind::Bind => "socket:bind",
            Rebind::Push => "socket:bind:push",
            Rebind::Pop => "socket:bind:pop",
        }
    }
}

impl RtmHandle {
    fn send(&self, kind: Rebind, events: Vec<String>) -> Result<(), Error> {
        self.commands
            .send(Command::Rebind(kind, events))
            .map_err(|_| Error::Closed)
    }

    /// See [`Rtm::rebind`].
    pub fn rebind(&self) -> Result<(), Error> {
        self.send(Rebind::Refresh, Vec::new())
    }

    /// See [`Rtm::bind`].
    pub fn bind<I, S>(&self, events: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(Rebind::Bind, events.into_iter().map(Into::into).collect())
    }

    /// See [`Rtm::bind_push`].
    pub fn bind_push<I, S>(&self, events: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(Rebind::Push, events.into_iter().map(Into::into).collect())
    }

    /// See [`Rtm::bind_pop`].
    pub fn bind_pop<I, S>(&self, events: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.send(Rebind::Pop, events.into_iter().map(Into::into).collect())
    }

    /// See [`Rtm::close`].
    pub fn close(&self) {
        let _ = self.commands.send(Command::Close);
    }
}

/// How a session (one websocket) ended.
enum End {
    /// It never got to `authenticated`.
    Failed(Error),
    /// It was authenticated, then dropped.
    Dropped(String),
    /// Crisp answered `unauthorized`.
    Unauthorized(Option<String>),
    /// The caller closed it.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for the Engine.IO handshake.
    Opening,
    /// Waiting for the namespace to be joined.
    Joining,
    /// Waiting for `authenticated`.
    Authenticating,
    /// Receiving events.
    Ready,
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The connection task: owns the socket, feeds the queue.
struct Task {
    client: Client,
    discovery: Discovery,
    tier: Tier,
    identifier: String,
    key: Secret,
    user_agent: reqwest::header::HeaderValue,
    events: Vec<String>,
    base: Duration,
    cap: Duration,
    connect_timeout: Duration,
    clock: Arc<dyn Clock>,
    tls: Arc<rustls::ClientConfig>,
    queue: Arc<Queue>,
    commands: mpsc::UnboundedReceiver<Command>,
    rebinds: VecDeque<(Rebind, Vec<String>)>,
    last_rebind: Option<Instant>,
}

impl Task {
    async fn run(mut self, mut endpoint: String, first: oneshot::Sender<Result<(), Error>>) {
        let mut first = Some(first);
        let mut attempt: u32 = 0;
        let mut rediscover = false;
        loop {
            if rediscover {
                match self.discovery.run(&self.client).await {
                    Ok(found) => endpoint = found,
                    Err(e) => {
                        tracing::debug!(error = %e, "rediscovery failed; keeping the endpoint")
                    }
                }
            }
            let span = tracing::info_span!("crisp_rtm_connect", endpoint = %endpoint, attempt);
            let end = self.session(&endpoint, &mut first).instrument(span).await;
            self.rebinds.clear();
            let reason = match end {
                End::Closed => {
                    self.queue.finish(None);
                    return;
                }
                End::Unauthorized(message) => {
                    tracing::warn!("authentication refused");
                    let error = Error::Unauthorized { message };
                    match first.take() {
                        Some(tx) => {
                            let _ = tx.send(Err(error));
                            self.queue.finish(None);
                        }
                        None => self.queue.finish(Some(error)),
                    }
                    return;
                }
                End::Failed(error) => {
                    if let Some(tx) = first.take() {
                        let _ = tx.send(Err(error));
                        self.queue.finish(None);
                        return;
                    }
                    rediscover = self.discovery.is_dynamic();
                    error.to_string()
                }
                End::Dropped(reason) => {
                    attempt = 0;
                    rediscover = false;
                    reason
                }
            };
            tracing::info!(%reason, "disconnected");
            self.queue
                .push(Ok(Item::State(State::Disconnected { reason })));
            attempt = attempt.saturating_add(1);
            let delay = backoff(attempt, self.base, self.cap, fastrand::f64());
            self.queue
                .push(Ok(Item::State(State::Reconnecting { attempt, delay })));
            let span = tracing::info_span!(
                "crisp_rtm_reconnect",
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)
            );
            span.in_scope(|| tracing::info!("reconnecting"));
            if !self.wait(delay).instrument(span).await {
                self.queue.finish(None);
                return;
            }
        }
    }

    /// Sleeps on the clock while taking commands; false when closed meanwhile.
    async fn wait(&mut self, delay: Duration) -> bool {
        let mut sleep = self.clock.sleep(delay);
        loop {
            tokio::select! {
                () = &mut sleep => return true,
                command = self.commands.recv() => match command {
                    None | Some(Command::Close) => return false,
                    Some(Command::Rebind(kind, events)) => self.apply(kind, events, false),
                },
            }
        }
    }

    /// Applies a rebind to the event set; queues its message when the socket is authenticating
    /// or authenticated (otherwise the next authentication carries the new set).
    fn apply(&mut self, kind: Rebind, events: Vec<String>, queue: bool) {
        match kind {
            Rebind::Refresh => {}
            Rebind::Bind => {
                self.events.clear();
                extend_unique(&mut self.events, events.iter().cloned());
            }
            Rebind::Push => extend_unique(&mut self.events, events.iter().cloned()),
            Rebind::Pop => self.events.retain(|e| !events.contains(e)),
        }
        if queue {
            self.rebinds.push_back((kind, events));
        }
    }

    fn authentication(&self) -> String {
        frame::encode_event(
            "authentication",
            &json!({
                "tier": self.tier.as_str(),
                "username": self.identifier,
                "password": self.key.0,
                "events": self.events,
            }),
        )
    }

    async fn open(&self, endpoint: &str) -> Result<Socket, Error> {
        let url = socket_url(endpoint)?;
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| Error::Connect {
                endpoint: endpoint.to_owned(),
                source: Box::new(e),
            })?;
        request
            .headers_mut()
            .insert(reqwest::header::USER_AGENT, self.user_agent.clone());
        let connect = tokio_tungstenite::connect_async_tls_with_config(
            request,
            None,
            true,
            Some(tokio_tungstenite::Connector::Rustls(self.tls.clone())),
        );
        match tokio::time::timeout(self.connect_timeout, connect).await {
            Err(_) => Err(Error::Timeout {
                what: "connection",
                after: self.connect_timeout,
            }),
            Ok(Err(e)) => Err(Error::Connect {
                endpoint: endpoint.to_owned(),
                source: Box::new(e),
            }),
            Ok(Ok((socket, _))) => Ok(socket),
        }
    }

    /// One websocket, from opening to its end.
    async fn session(
        &mut self,
        endpoint: &str,
        first: &mut Option<oneshot::Sender<Result<(), Error>>>,
    ) -> End {
        let mut ws = match self.open(endpoint).await {
            Ok(ws) => ws,
            Err(e) => return End::Failed(e),
        };
        tracing::debug!("socket open");
        let mut phase = Phase::Opening;
        let mut liveness = Duration::from_secs(45);
        let mut deadline = tokio::time::Instant::now() + self.connect_timeout;
        let mut rebind_timer: Option<Sleep> = None;
        let mut auth_span = tracing::Span::none();
        let ended = |phase: Phase, reason: String| {
            if phase == Phase::Ready {
                End::Dropped(reason)
            } else {
                End::Failed(Error::Protocol(reason))
            }
        };
        loop {
            // Send the queued rebinds at Crisp's pace.
            if phase == Phase::Ready && rebind_timer.is_none() && !self.rebinds.is_empty() {
                let wait = self
                    .last_rebind
                    .map(|last| (last + REBIND_SPACING).saturating_duration_since(self.clock.now()))
                    .unwrap_or_default();
                if wait.is_zero() {
                    if let Err(reason) = self.send_rebind(&mut ws).await {
                        return ended(phase, reason);
                    }
                    continue;
                }
                rebind_timer = Some(self.clock.sleep(wait));
            }
            let timer = async {
                match rebind_timer.as_mut() {
                    Some(t) => t.await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                message = ws.next() => {
                    let text = match message {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Close(close))) => {
                            let why = close.map(|c| format!(" ({} {})", u16::from(c.code), c.reason)).unwrap_or_default();
                            return ended(phase, format!("the server closed the socket{why}"));
                        }
                        Some(Ok(_)) => continue, // websocket pings are answered by tungstenite
                        Some(Err(e)) => return ended(phase, format!("socket error: {e}")),
                        None => return ended(phase, "the socket closed".into()),
                    };
                    if phase == Phase::Ready {
                        deadline = tokio::time::Instant::now() + liveness;
                    }
                    let packet = match frame::parse(&text) {
                        Ok(packet) => packet,
                        Err(e) if phase == Phase::Opening => {
                            return End::Failed(Error::Protocol(format!("bad handshake: {e}")));
                        }
                        Err(e) => {
                            tracing::debug!(error = %e, "skipped an unreadable message");
                            self.queue.push(Err(Error::Protocol(format!("unreadable message: {e}"))));
                            continue;
                        }
                    };
                    match packet {
                        Packet::Open(handshake) if phase == Phase::Opening => {
                            liveness = Duration::from_millis(handshake.ping_interval.saturating_add(handshake.ping_timeout));
                            phase = Phase::Joining;
                            if let Err(e) = ws.send(Message::text(frame::CONNECT)).await {
                                return ended(phase, format!("socket error: {e}"));
                            }
                        }
                        Packet::Ping(payload) => {
                            let pong = format!("{}{payload}", frame::PONG);
                            if let Err(e) = ws.send(Message::text(pong)).await {
                                return ended(phase, format!("socket error: {e}"));
                            }
                        }
                        Packet::Close => return ended(phase, "the server closed the transport".into()),
                        Packet::Message(SocketPacket::Connect { namespace, .. })
                            if phase == Phase::Joining && namespace == "/" =>
                        {
                            self.queue.push(Ok(Item::State(State::Connected { endpoint: endpoint.to_owned() })));
                            auth_span = tracing::info_span!("crisp_rtm_auth", events = self.events.len());
                            auth_span.in_scope(|| tracing::debug!("authenticating"));
                            phase = Phase::Authenticating;
                            if let Err(e) = ws.send(Message::text(self.authentication())).await {
                                return ended(phase, format!("socket error: {e}"));
                            }
                        }
                        Packet::Message(SocketPacket::ConnectError { data, .. }) => {
                            let message = data.as_ref().and_then(message_of).unwrap_or("no reason given");
                            return ended(phase, format!("the server refused the namespace: {message}"));
                        }
                        Packet::Message(SocketPacket::Disconnect { namespace }) if namespace == "/" => {
                            return ended(phase, "the server left the namespace".into());
                        }
                        // A namespace this client did not join: ignored, as socket.io-client does.
                        Packet::Message(SocketPacket::Event { namespace, .. }) if namespace != "/" => {
                            tracing::debug!(%namespace, "ignored an event of another namespace");
                        }
                        Packet::Message(SocketPacket::Event { name, args, id, .. }) => {
                            if let Some(id) = id {
                                // Crisp does not ask for acknowledgements; answer any anyway.
                                let _ = ws.send(Message::text(format!("43{id}[]"))).await;
                            }
                            match name.as_str() {
                                "authenticated" if phase == Phase::Authenticating => {
                                    auth_span.in_scope(|| tracing::info!("authenticated"));
                                    phase = Phase::Ready;
                                    deadline = tokio::time::Instant::now() + liveness;
                                    self.queue.push(Ok(Item::State(State::Authenticated)));
                                    if let Some(tx) = first.take() {
                                        let _ = tx.send(Ok(()));
                                    }
                                }
                                "unauthorized" => {
                                    let message = args.first().and_then(message_of).map(str::to_owned);
                                    return End::Unauthorized(message);
                                }
                                _ => self.deliver(&name, args),
                            }
                        }
                        _ => {}
                    }
                }
                command = self.commands.recv() => match command {
                    None | Some(Command::Close) => {
                        let _ = ws.send(Message::text(frame::DISCONNECT)).await;
                        let _ = ws.close(None).await;
                        return End::Closed;
                    }
                    Some(Command::Rebind(kind, events)) => {
                        let queue = matches!(phase, Phase::Authenticating | Phase::Ready);
                        self.apply(kind, events, queue);
                    }
                },
                () = timer => {
                    rebind_timer = None;
                    if let Err(reason) = self.send_rebind(&mut ws).await {
                        return ended(phase, reason);
                    }
                }
                () = tokio::time::sleep_until(deadline) => {
                    return if phase == Phase::Ready {
                        End::Dropped(format!("no ping from the server for {} s", liveness.as_secs_f32()))
                    } else {
                        End::Failed(Error::Timeout { what: "authentication", after: self.connect_timeout })
                    };
                }
            }
        }
    }

    async fn send_rebind(&mut self, ws: &mut Socket) -> Result<(), String> {
        let Some((kind, events)) = self.rebinds.pop_front() else {
            return Ok(());
        };
        let payload = match kind {
            Rebind::Refresh => json!({}),
            _ => json!({ "events": events }),
        };
        tracing::debug!(event = kind.event(), "rebinding");
        self.last_rebind = Some(self.clock.now());
        ws.send(Message::text(frame::encode_event(kind.event(), &payload)))
            .await
            .map_err(|e| format!("socket error: {e}"))
    }

    fn deliver(&self, name: &str, mut args: Vec<Value>) {
        let data = if args.is_empty() {
            Value::Null
        } else {
            args.swap_remove(0)
        };
        let item = Event::from_parts(name, data)
            .map(Item::Event)
            .map_err(Error::Payload);
        self.queue.push(item);
    }
}

/// `{"message": "…"}` or `"…"`.
fn message_of(value: &Value) -> Option<&str> {
    value
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| value.as_str())
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
                setting: "endpoint",
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
        assert_eq!(format!("{:?}", Secret("hunter2".into())), "<redacted>");
    }
}
