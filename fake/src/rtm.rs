//! The RTM relay: a Socket.IO server (socketioxide) speaking Crisp's protocol. A client emits
//! `authentication` with `{tier, username, password, events}`; the fake answers
//! `authenticated` (the fake's credentials) or `unauthorized`, then sends it the events it
//! asked for. `socket:bind` replaces the set, `socket:bind:push`/`socket:bind:pop` add and
//! remove events. Each event name is a room; a socket that asked for no events joins them all.

use crate::Credentials;
use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::extract::{Data, SocketRef};
use socketioxide::layer::SocketIoLayer;

/// The room of sockets that want every event.
const EVERY: &str = "*";

/// The path the relay listens on.
pub const PATH: &str = "/socket.io/";

/// The Socket.IO layer (to mount on the router) and its handle.
pub fn layer(credentials: Credentials) -> (SocketIoLayer, SocketIo) {
    let (layer, io) = SocketIo::builder().max_buffer_size(100_000).build_layer();
    io.ns("/", move |socket: SocketRef| {
        let credentials = credentials.clone();
        socket.on(
            "authentication",
            move |socket: SocketRef, Data::<Value>(auth)| {
                let credentials = credentials.clone();
                async move { authenticate(&socket, &auth, &credentials) }
            },
        );
        socket.on(
            "socket:bind",
            |socket: SocketRef, Data::<Value>(bind)| async move {
                if authenticated(&socket) {
                    socket.leave_all();
                    join(&socket, &bind["events"]);
                }
            },
        );
        socket.on(
            "socket:bind:push",
            |socket: SocketRef, Data::<Value>(bind)| async move {
                if authenticated(&socket) {
                    for name in names(&bind["events"]) {
                        socket.join(name);
                    }
                }
            },
        );
        socket.on(
            "socket:bind:pop",
            |socket: SocketRef, Data::<Value>(bind)| async move {
                for name in names(&bind["events"]) {
                    socket.leave(name);
                }
            },
        );
        async {}
    });
    (layer, io)
}

fn authenticate(socket: &SocketRef, auth: &Value, credentials: &Credentials) {
    let accepted = auth["username"].as_str() == Some(credentials.identifier.as_str())
        && auth["password"].as_str() == Some(credentials.key.as_str());
    if accepted {
        socket.leave_all();
        join(socket, &auth["events"]);
        socket.emit("authenticated", &true).ok();
    } else {
        socket
            .emit("unauthorized", &json!({"message": "invalid_session"}))
            .ok();
    }
}

/// A socket is authenticated once it joined a room (every authenticated socket is in one).
fn authenticated(socket: &SocketRef) -> bool {
    !socket.rooms().is_empty()
}

fn names(events: &Value) -> Vec<String> {
    events
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn join(socket: &SocketRef, events: &Value) {
    let names = names(events);
    if names.is_empty() {
        socket.join(EVERY);
    } else {
        socket.join(names);
    }
}

/// Sends event `name` with `data` to every socket that wants it.
pub async fn emit(io: &SocketIo, name: &str, data: &Value) {
    let _ = io
        .within(name.to_owned())
        .within(EVERY)
        .emit(name, data)
        .await;
}

/// Disconnects every socket (a fault); clients reconnect as they would from Crisp.
pub async fn disconnect_all(io: &SocketIo) {
    let _ = io.disconnect().await;
}

/// The `connect/endpoints` data: where the relay is, for discovery.
pub fn endpoints(base: &str) -> Value {
    let app = format!("{base}{PATH}");
    json!({"socket": {"app": app}, "rescue": {"socket": {"app": app}}})
}
