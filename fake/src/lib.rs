#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod api;
mod control;
mod conversations;
mod events;
mod faults;
mod hooks;
mod messages;
mod people;
mod rtm;
mod server;
mod spec;
mod state;
mod website;

pub use api::Failure;
pub use events::{Published, TABLE as EVENT_TABLE};
pub use faults::{Fault, Limits};
pub use hooks::{Attempt, Hook};
pub use server::{EXAMPLE_HEADER, stateful};
pub use spec::table as stateful_table;

use serde_json::{Value, json};
use server::{RequestLog, Shared};
use state::Store;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

/// Why the fake could not start.
pub type Error = std::io::Error;

/// The token the fake accepts (Basic auth on REST, `authentication` on RTM). The key never
/// appears in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The token identifier.
    pub identifier: String,
    /// The token key.
    pub key: String,
}

impl Credentials {
    /// Credentials from an identifier and a key.
    pub fn new(identifier: impl Into<String>, key: impl Into<String>) -> Credentials {
        Credentials {
            identifier: identifier.into(),
            key: key.into(),
        }
    }

    /// Credentials drawn from `seed` (the default of a fake with that seed).
    pub fn from_seed(seed: u64) -> Credentials {
        let mut store = Store::new(seed ^ 0x6372_6973_7066_616b, 0);
        let key = format!("{}{}", store.uuid(), store.uuid()).replace('-', "");
        Credentials::new(store.uuid(), key)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("identifier", &self.identifier)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// Settings of a fake; [`FakeBuilder::start`] runs it.
pub struct FakeBuilder {
    seed: u64,
    credentials: Option<Credentials>,
    port: u16,
    strict: bool,
    start_ms: i64,
    hook_attempts: u32,
    hook_backoff: Duration,
    log: Option<RequestLog>,
}

impl Default for FakeBuilder {
    fn default() -> FakeBuilder {
        FakeBuilder {
            seed: 0,
            credentials: None,
            port: 0,
            strict: false,
            start_ms: state::DEFAULT_START_MS,
            hook_attempts: 5,
            hook_backoff: Duration::from_millis(50),
            log: None,
        }
    }
}

impl FakeBuilder {
    /// The seed of every identifier (and of the default credentials); 0 by default.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The token to accept (default: drawn from the seed).
    pub fn credentials(mut self, identifier: impl Into<String>, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::new(identifier, key));
        self
    }

    /// The loopback port (0, the default, for any free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Answers 501 `not_implemented` for the operations without state, instead of their
    /// example.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Where the fake's clock starts, in ms since the epoch (default 2026-01-01T00:00:00Z).
    pub fn clock_start(mut self, ms: i64) -> Self {
        self.start_ms = ms;
        self
    }

    /// Web hook deliveries: how many attempts, and the wait before the second one (doubled
    /// for each next). Default 5 attempts from 50 ms.
    pub fn hook_retries(mut self, attempts: u32, backoff: Duration) -> Self {
        self.hook_attempts = attempts;
        self.hook_backoff = backoff;
        self
    }

    /// Calls `log` with one line per API request (method, operation, status, time; never the
    /// path, which may hold personal data).
    pub fn log_requests(mut self, log: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.log = Some(Arc::new(log));
        self
    }

    /// Starts the fake on loopback.
    pub async fn start(self) -> Result<Fake, Error> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let origin = format!("http://{addr}");
        let credentials = self
            .credentials
            .unwrap_or_else(|| Credentials::from_seed(self.seed));
        let (layer, io) = rtm::layer(credentials.clone());
        let hooks = Arc::new(hooks::Hooks::new(self.hook_attempts, self.hook_backoff));
        let (bus, dispatcher) = events::Bus::start(io.clone(), hooks.clone());
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::new(self.seed, self.start_ms)),
            routes: api::Routes::new(spec::operations()),
            authorization: server::authorization(&credentials),
            credentials,
            strict: self.strict,
            faults: Mutex::default(),
            bus,
            hooks,
            io,
            origin,
            seed: self.seed,
            start_ms: self.start_ms,
            log: self.log,
        });
        let app = control::router()
            .fallback(server::api)
            .with_state(shared.clone())
            .layer(layer);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Fake {
            shared,
            tasks: vec![server, dispatcher],
        })
    }
}

/// A running fake Crisp. It stops when dropped.
pub struct Fake {
    shared: Arc<Shared>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl fmt::Debug for Fake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fake")
            .field("base_url", &self.base_url())
            .field("credentials", &self.shared.credentials)
            .finish()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Fake {
    /// Starts a fake with the default settings on a free loopback port.
    pub async fn start() -> Result<Fake, Error> {
        FakeBuilder::default().start().await
    }

    /// Settings for a fake.
    pub fn builder() -> FakeBuilder {
        FakeBuilder::default()
    }

    /// The REST base URL, ending in `/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.shared.origin)
    }

    /// The RTM endpoint (what `connect/endpoints` answers).
    pub fn socket_url(&self) -> String {
        format!("{}{}", self.shared.origin, rtm::PATH)
    }

    /// The control surface's base URL (`…/_fake`).
    pub fn control_url(&self) -> String {
        format!("{}{}", self.shared.origin, control::PREFIX)
    }

    /// The token the fake accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// A client builder pointed at the fake with its credentials (plugin tier).
    pub fn client_builder(&self) -> crisp_api::ClientBuilder {
        crisp_api::Client::builder()
            .credentials(
                &self.shared.credentials.identifier,
                &self.shared.credentials.key,
            )
            .base_url(self.base_url())
    }

    /// A client pointed at the fake.
    pub fn client(&self) -> crisp_api::Client {
        self.client_builder()
            .build()
            .expect("the fake's configuration is valid")
    }

    /// Acts as the visitor of `website_id`.
    pub fn visitor(&self, website_id: &str) -> Visitor {
        Visitor {
            shared: self.shared.clone(),
            website_id: website_id.to_owned(),
        }
    }

    /// Acts as the operator of `website_id`: sends `text` into a conversation (`message:received`).
    pub fn operator_reply(
        &self,
        website_id: &str,
        session_id: &str,
        text: &str,
    ) -> Result<i64, Failure> {
        control::say(&self.shared, website_id, session_id, "operator", text)
    }

    /// Registers a web hook; returns its index in the delivery log.
    pub fn add_hook(&self, hook: Hook) -> usize {
        self.shared.hooks.register(hook)
    }

    /// Every web hook delivery attempt so far.
    pub fn deliveries(&self) -> Vec<Attempt> {
        self.shared.hooks.log()
    }

    /// Adds a fault rule.
    pub fn add_fault(&self, fault: Fault) {
        self.shared.faults.lock().expect("faults lock").add(fault);
    }

    /// Sets the rate limit and quota (per credentials).
    pub fn set_limits(&self, limits: Limits) {
        self.shared
            .faults
            .lock()
            .expect("faults lock")
            .limit(limits);
    }

    /// Removes every fault and limit.
    pub fn clear_faults(&self) {
        self.shared.faults.lock().expect("faults lock").clear();
    }

    /// Disconnects every RTM socket now.
    pub async fn disconnect_sockets(&self) {
        rtm::disconnect_all(&self.shared.io).await;
    }

    /// The fake's clock, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.shared.store.lock().expect("store lock").now_ms
    }

    /// Moves the fake's clock forward (rate-limit windows and quota days follow it).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.shared.store.lock().expect("store lock").now_ms += ms;
    }

    /// The whole state as JSON.
    pub fn snapshot(&self) -> Value {
        control::snapshot(&self.shared)
    }

    /// Loads websites (in the snapshot's format: `{"websites": {id: …}}`), replacing those
    /// with the same id.
    pub fn seed_state(&self, state: &Value) -> Result<(), Failure> {
        control::seed(&self.shared, state)
    }

    /// Back to the start: no websites, the clock and identifiers from the seed, no faults, no
    /// hooks, an empty delivery log.
    pub fn reset(&self) {
        control::reset(&self.shared);
    }

    /// Waits until every event so far was published and every web hook delivery finished.
    pub async fn settle(&self) {
        self.shared.bus.settle().await;
    }

    /// A stream of the events published from now on.
    pub fn events(&self) -> Events {
        Events(self.shared.bus.subscribe())
    }
}

/// The in-process event stream of a fake.
pub struct Events(broadcast::Receiver<Published>);

impl Events {
    /// The next event (`None` once the fake stopped). A slow reader skips what it missed.
    pub async fn next(&mut self) -> Option<Published> {
        loop {
            match self.0.recv().await {
                Ok(event) => return Some(event),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

/// The visitor of a website, acting as the chatbox would.
pub struct Visitor {
    shared: Arc<Shared>,
    website_id: String,
}

impl Visitor {
    /// Starts a conversation (`session:request:initiated`); returns its session id.
    pub fn start_conversation(&self) -> String {
        self.shared.with_store(|store, events| {
            let answer = conversations::create(store, events, &self.website_id);
            answer
                .data
                .and_then(|d| d["session_id"].as_str().map(str::to_owned))
                .expect("a created conversation has an id")
        })
    }

    /// Writes `text` into a conversation (`message:send`); returns the fingerprint.
    pub fn say(&self, session_id: &str, text: &str) -> Result<i64, Failure> {
        control::say(&self.shared, &self.website_id, session_id, "user", text)
    }
}

/// A text message body as the chatbox or the operators' app would send it.
fn text_message(from: &str, text: &str) -> Value {
    json!({"type": "text", "from": from, "origin": "chat", "content": text})
}
