//! A loopback Socket.IO server speaking Crisp's RTM protocol, on socketioxide (a real Socket.IO
//! server implementation): it answers `authentication` with `authenticated` or `unauthorized`,
//! records every event it receives, and emits what it is told to. Shared by `examples/rtm.rs`,
//! the RTM contract tests and `benches/rtm.rs`.
#![allow(dead_code)]

use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::extract::{Data, SocketRef};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Decides each authentication: given how many came before (0 for the first) and the payload.
pub type Authorize = Arc<dyn Fn(usize, &Value) -> bool + Send + Sync>;

/// Accepts every authentication.
pub fn accept_all() -> Authorize {
    Arc::new(|_, _| true)
}

/// A running server; [`Server::stop`] closes it and every connection.
pub struct Server {
    /// The socketioxide handle, to emit and disconnect.
    pub io: SocketIo,
    /// Where it listens.
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<(String, Value)>>>,
    task: tokio::task::JoinHandle<()>,
}

/// The events a client may send that the server records.
const RECORDED: [&str; 4] = [
    "authentication",
    "socket:bind",
    "socket:bind:push",
    "socket:bind:pop",
];

impl Server {
    /// Starts on `addr` (port 0 for any free port), pinging every 25 s with a 20 s timeout.
    pub async fn start(addr: SocketAddr, authorize: Authorize) -> Server {
        let (interval, timeout) = (Duration::from_secs(25), Duration::from_secs(20));
        Server::start_with(addr, authorize, interval, timeout).await
    }

    /// Starts with another ping interval and timeout.
    pub async fn start_with(
        addr: SocketAddr,
        authorize: Authorize,
        ping_interval: Duration,
        ping_timeout: Duration,
    ) -> Server {
        let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
        let (layer, io) = SocketIo::builder()
            .ping_interval(ping_interval)
            .ping_timeout(ping_timeout)
            .max_buffer_size(1_000_000)
            .build_layer();
        let log = received.clone();
        io.ns("/", move |socket: SocketRef| {
            for name in RECORDED {
                let log = log.clone();
                let authorize = authorize.clone();
                socket.on(name, move |socket: SocketRef, Data::<Value>(data)| {
                    let log = log.clone();
                    let authorize = authorize.clone();
                    async move {
                        let earlier = {
                            let mut log = log.lock().unwrap();
                            let earlier = log.iter().filter(|(n, _)| n == "authentication").count();
                            log.push((name.to_owned(), data.clone()));
                            earlier
                        };
                        if name == "authentication" {
                            if authorize(earlier, &data) {
                                socket.emit("authenticated", &()).ok();
                            } else {
                                socket
                                    .emit("unauthorized", &json!({"message": "invalid token"}))
                                    .ok();
                            }
                        }
                    }
                });
            }
            async {}
        });
        let app = axum::Router::new().layer(layer);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind the loopback server");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Server {
            io,
            addr,
            received,
            task,
        }
    }

    /// The endpoint to give `RtmBuilder::endpoint`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/socket.io/", self.addr)
    }

    /// Every recorded event, in order.
    pub fn received(&self) -> Vec<(String, Value)> {
        self.received.lock().unwrap().clone()
    }

    /// The payloads of every `authentication` received, in order.
    pub fn authentications(&self) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|(n, _)| n == "authentication")
            .map(|(_, d)| d)
            .collect()
    }

    /// Emits an event to every connected client.
    pub async fn emit(&self, name: &str, data: &Value) {
        self.io
            .emit(name.to_owned(), data)
            .await
            .expect("emit to the clients");
    }

    /// Disconnects every client (the server stays up).
    pub async fn drop_clients(&self) {
        self.io.disconnect().await.ok();
    }

    /// Closes every connection and stops listening.
    pub async fn stop(self) {
        self.io.close().await;
        self.task.abort();
        let _ = self.task.await;
    }
}

/// A `message:send` payload (a visitor's text message) numbered `n`.
pub fn message_send(n: u64) -> Value {
    json!({
        "website_id": "8c842203-7ed8-4e29-a608-7cf78a7d2fcc",
        "session_id": "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881",
        "inbox_id": null,
        "type": "text",
        "from": "user",
        "origin": "chat",
        "content": format!("Hello, message {n}"),
        "fingerprint": 163408817286523i64 + n as i64,
        "timestamp": 1716300120000i64 + n as i64,
        "user": {"nickname": "Jane Doe", "user_id": "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881"},
        "stamped": true
    })
}
