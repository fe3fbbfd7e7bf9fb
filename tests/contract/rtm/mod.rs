//! RTM (feature `rtm`) against a real Socket.IO server on loopback (socketioxide): discovery,
//! authentication, typed events, reconnection, rebind pacing, back-pressure.
//!
//! By topic: `connect` (discovery, authentication, TLS, refused tokens), `reconnect` (drops,
//! restarts, silence, server disconnects), `rebind` (pacing), `stream` (back-pressure, pings,
//! secrets). The helpers and the scripted websocket server are here.

mod connect;
mod rebind;
mod reconnect;
mod stream;

#[path = "../../../examples/support/rtm_server.rs"]
mod server;

use crate::support::{IDENTIFIER, KEY, WEBSITE, catch_all};
use crisp_api::clock::{Clock, Sleep, VirtualClock};
use crisp_api::rtm::{self, Item, Rtm, State};
use crisp_api::{Client, Event, RetryPolicy, Tier};
use futures::StreamExt;
use serde_json::{Value, json};
use server::{Server, accept_all, message_send};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LOOPBACK: &str = "127.0.0.1:0";

fn loopback() -> SocketAddr {
    LOOPBACK.parse().unwrap()
}

fn client(tier: Tier, base: &str) -> Client {
    Client::builder()
        .credentials(IDENTIFIER, KEY)
        .tier(tier)
        .base_url(base)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A plugin client whose REST base is unused (the endpoint is given).
fn plugin_client() -> Client {
    client(Tier::Plugin, "http://127.0.0.1:9/v1")
}

/// A virtual clock whose sleeps also take 20 ms of real time, so that a reconnect loop against
/// a stopped server does not spin.
#[derive(Debug, Clone, Default)]
struct SteppingClock(VirtualClock);

impl Clock for SteppingClock {
    fn now(&self) -> Instant {
        self.0.now()
    }
    fn system_time(&self) -> SystemTime {
        self.0.system_time()
    }
    fn sleep(&self, duration: Duration) -> Sleep {
        let virtual_sleep = self.0.sleep(duration);
        Box::pin(async move {
            virtual_sleep.await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        })
    }
}

/// The next item, failing after 10 s.
async fn next(rtm: &mut Rtm) -> Result<Item, rtm::Error> {
    tokio::time::timeout(Duration::from_secs(10), rtm.next())
        .await
        .expect("an item within 10 s")
        .expect("the stream goes on")
}

/// The next event, skipping state items.
async fn next_event(rtm: &mut Rtm) -> Event {
    loop {
        match next(rtm).await.expect("no error") {
            Item::Event(event) => return event,
            Item::State(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// The text of a `message:send` event.
fn text_of(event: Event) -> String {
    let Event::MessageSend(message) = event else {
        panic!("not a message:send: {event:?}")
    };
    match &message.content {
        Some(crisp_api::types::MessageContent::String(text)) => text.clone(),
        other => panic!("not a text message: {other:?}"),
    }
}

/// Waits until `condition` holds, for at most 10 s.
async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn endpoints_body(app: &str) -> Value {
    json!({"error": false, "reason": "resolved", "data": {"socket": {"app": app}}})
}

/// A websocket server that completes the handshake and authentication (pings every 25 s),
/// sends `frames` to its first client, and records when each `socket:bind…` message arrives
/// (on the server's clock). Returns the endpoint, the number of sessions and the arrivals.
async fn scripted_server(
    frames: Vec<String>,
) -> (String, Arc<Mutex<usize>>, Arc<Mutex<Vec<Instant>>>) {
    let listener = tokio::net::TcpListener::bind(loopback()).await.unwrap();
    let endpoint = format!("ws://{}/socket.io/", listener.local_addr().unwrap());
    let sessions = Arc::new(Mutex::new(0));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (sessions.clone(), arrivals.clone());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let first = {
                let mut n = count.lock().unwrap();
                *n += 1;
                *n == 1
            };
            let frames = if first { frames.clone() } else { Vec::new() };
            let seen = seen.clone();
            tokio::spawn(async move {
                use futures::SinkExt;
                use tokio_tungstenite::tungstenite::Message;
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let open = r#"0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#;
                ws.send(Message::text(open)).await.unwrap();
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    if text.as_str() == "40" {
                        ws.send(Message::text(r#"40{"sid":"n"}"#)).await.unwrap();
                    } else if text.as_str().starts_with(r#"42["authentication""#) {
                        ws.send(Message::text(r#"42["authenticated"]"#))
                            .await
                            .unwrap();
                        for frame in &frames {
                            ws.send(Message::text(frame.clone())).await.unwrap();
                        }
                    } else if text.as_str().starts_with(r#"42["socket:bind"#) {
                        seen.lock().unwrap().push(Instant::now());
                    }
                }
            });
        }
    });
    (endpoint, sessions, arrivals)
}

/// Waits until `condition` holds, for at most `limit`.
async fn until_within(what: &str, limit: Duration, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < limit, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
