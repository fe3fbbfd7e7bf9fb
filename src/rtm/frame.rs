//! The wire format of the RTM socket: Engine.IO v4 packets carrying Socket.IO v5 packets, one
//! packet per websocket text message.
//!
//! [`parse`] is a pure function from a websocket text message to a [`Packet`]; the `encode_*`
//! functions build the few messages a client sends (events, pongs, acknowledgements). Nothing here does I/O.
//!
//! ```
//! use crisp_api::rtm::frame::{self, Packet, SocketPacket};
//!
//! let packet = frame::parse(r#"42["message:send",{"content":"Hello"}]"#).unwrap();
//! let Packet::Message(SocketPacket::Event { name, args, .. }) = packet else { panic!() };
//! assert_eq!(name, "message:send");
//! assert_eq!(args[0]["content"], "Hello");
//!
//! assert_eq!(frame::encode_event("socket:bind", &serde_json::json!({})), r#"42["socket:bind",{}]"#);
//! ```

use serde::Deserialize;
use serde_json::Value;

/// The Engine.IO protocol revision this client speaks (`EIO=4`).
pub const ENGINE_IO_VERSION: u8 = 4;

/// The message a client sends to join the default namespace (`/`).
pub const CONNECT: &str = "40";
/// The engine-level answer to a server ping.
pub const PONG: &str = "3";
/// The message a client sends to leave the default namespace.
pub const DISCONNECT: &str = "41";

/// One Engine.IO packet, as received in one websocket text message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Packet {
    /// `0{…}`: the server's handshake.
    Open(Handshake),
    /// `1`: the server closes the transport.
    Close,
    /// `2[probe]`: a server ping, to answer with [`PONG`].
    Ping(String),
    /// `3[probe]`: a pong.
    Pong(String),
    /// `4…`: a Socket.IO packet.
    Message(SocketPacket),
    /// `5`: a transport upgrade (not used over a websocket).
    Upgrade,
    /// `6`: nothing.
    Noop,
}

/// The Engine.IO handshake (`0{"sid":…,"pingInterval":…,"pingTimeout":…}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Handshake {
    /// The engine session id.
    pub sid: String,
    /// How often the server pings, in milliseconds.
    #[serde(default = "default_ping_interval")]
    pub ping_interval: u64,
    /// How long the server waits for a pong, in milliseconds.
    #[serde(default = "default_ping_timeout")]
    pub ping_timeout: u64,
    /// The largest packet the server accepts, in bytes.
    #[serde(default)]
    pub max_payload: Option<u64>,
}

fn default_ping_interval() -> u64 {
    25_000
}

fn default_ping_timeout() -> u64 {
    20_000
}

/// A Socket.IO packet (the payload of an Engine.IO message).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SocketPacket {
    /// `0[/nsp,]{…}`: the namespace is joined.
    Connect {
        /// The namespace (`/` by default).
        namespace: String,
        /// The payload (`{"sid": …}`), if any.
        data: Option<Value>,
    },
    /// `1[/nsp,]`: the server left the namespace.
    Disconnect {
        /// The namespace.
        namespace: String,
    },
    /// `2[/nsp,][id]["name",args…]`: an event.
    Event {
        /// The namespace.
        namespace: String,
        /// The acknowledgement id the sender waits for, if any.
        id: Option<u64>,
        /// The event name.
        name: String,
        /// The arguments after the name (Crisp sends one: the payload).
        args: Vec<Value>,
    },
    /// `3[/nsp,]id[args…]`: an acknowledgement.
    Ack {
        /// The namespace.
        namespace: String,
        /// The acknowledged id.
        id: u64,
        /// The arguments.
        args: Vec<Value>,
    },
    /// `4[/nsp,]{…}`: joining the namespace was refused.
    ConnectError {
        /// The namespace.
        namespace: String,
        /// The payload (`{"message": …}`), if any.
        data: Option<Value>,
    },
}

/// Why a message could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The message is empty.
    #[error("empty message")]
    Empty,
    /// The Engine.IO packet type is not one of `0`–`6`.
    #[error("unknown Engine.IO packet type {0:?}")]
    EngineType(char),
    /// The Socket.IO packet type is not one of `0`–`6`.
    #[error("unknown Socket.IO packet type {0:?}")]
    SocketType(char),
    /// Binary packets (`5`, `6`) are not used by Crisp and not supported.
    #[error("binary Socket.IO packets are not supported")]
    Binary,
    /// The JSON payload is malformed, or not the shape the packet type needs.
    #[error("malformed {what}: {message}")]
    Payload {
        /// Which payload.
        what: &'static str,
        /// What was wrong.
        message: String,
    },
}

/// A malformed payload; serde's message without the values it quotes (they may be personal
/// data).
fn payload_error(what: &'static str, message: impl ToString) -> FrameError {
    FrameError::Payload {
        what,
        message: crate::json::redact(&message.to_string()),
    }
}

/// Parses one websocket text message.
pub fn parse(text: &str) -> Result<Packet, FrameError> {
    let mut chars = text.chars();
    let kind = chars.next().ok_or(FrameError::Empty)?;
    let rest = chars.as_str();
    match kind {
        '0' => crate::json::from_str(rest)
            .map(Packet::Open)
            .map_err(|e| payload_error("handshake", e)),
        '1' => Ok(Packet::Close),
        '2' => Ok(Packet::Ping(rest.to_owned())),
        '3' => Ok(Packet::Pong(rest.to_owned())),
        '4' => parse_socket(rest).map(Packet::Message),
        '5' => Ok(Packet::Upgrade),
        '6' => Ok(Packet::Noop),
        other => Err(FrameError::EngineType(other)),
    }
}

/// Parses a Socket.IO packet (an Engine.IO message without its leading `4`).
pub fn parse_socket(text: &str) -> Result<SocketPacket, FrameError> {
    let mut chars = text.chars();
    let kind = chars.next().ok_or(FrameError::Empty)?;
    let mut rest = chars.as_str();
    if matches!(kind, '5' | '6') {
        return Err(FrameError::Binary);
    }
    // `[/nsp,]`: a namespace other than the default one.
    let namespace = if rest.starts_with('/') {
        let end = rest.find(',').unwrap_or(rest.len());
        let namespace = rest[..end].to_owned();
        rest = rest.get(end + 1..).unwrap_or("");
        namespace
    } else {
        "/".to_owned()
    };
    // `[id]`: digits before the JSON.
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let id = if digits > 0 {
        Some(
            rest[..digits]
                .parse::<u64>()
                .map_err(|e| payload_error("acknowledgement id", e))?,
        )
    } else {
        None
    };
    rest = &rest[digits..];
    let json = |what: &'static str| -> Result<Option<Value>, FrameError> {
        if rest.is_empty() {
            Ok(None)
        } else {
            crate::json::from_str(rest)
                .map(Some)
                .map_err(|e| payload_error(what, e))
        }
    };
    match kind {
        '0' => Ok(SocketPacket::Connect {
            namespace,
            data: json("connect payload")?,
        }),
        '1' => Ok(SocketPacket::Disconnect { namespace }),
        '2' => {
            let mut args = match json("event")? {
                Some(Value::Array(args)) => args,
                _ => return Err(payload_error("event", "expected a JSON array")),
            };
            if args.is_empty() {
                return Err(payload_error("event", "no event name"));
            }
            let Value::String(name) = args.remove(0) else {
                return Err(payload_error("event", "the event name is not a string"));
            };
            Ok(SocketPacket::Event {
                namespace,
                id,
                name,
                args,
            })
        }
        '3' => {
            let id = id.ok_or_else(|| payload_error("acknowledgement", "no id"))?;
            let args = match json("acknowledgement")? {
                Some(Value::Array(args)) => args,
                None => Vec::new(),
                _ => return Err(payload_error("acknowledgement", "expected a JSON array")),
            };
            Ok(SocketPacket::Ack {
                namespace,
                id,
                args,
            })
        }
        '4' => Ok(SocketPacket::ConnectError {
            namespace,
            data: json("connect error")?,
        }),
        other => Err(FrameError::SocketType(other)),
    }
}

/// Encodes an event of the default namespace with one argument: `42["name",data]`.
pub fn encode_event(name: &str, data: &Value) -> String {
    let mut out = String::from("42");
    out.push_str(
        &serde_json::to_string(&(name, data)).expect("a string and a JSON value serialise"),
    );
    out
}

/// Encodes the engine-level answer to a server ping with its payload: `3[probe]`.
pub fn encode_pong(payload: &str) -> String {
    let mut out = String::with_capacity(PONG.len() + payload.len());
    out.push_str(PONG);
    out.push_str(payload);
    out
}

/// Encodes an empty acknowledgement of the default namespace: `43<id>[]`.
pub fn encode_ack(id: u64) -> String {
    format!("43{id}[]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn handshake() {
        let p = parse(r#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}"#).unwrap();
        assert_eq!(
            p,
            Packet::Open(Handshake {
                sid: "lv_VI97HAXpY6yYWAAAC".into(),
                ping_interval: 25_000,
                ping_timeout: 5_000,
                max_payload: Some(1_000_000),
            })
        );
        // Missing timings take the protocol's defaults.
        let Packet::Open(h) = parse(r#"0{"sid":"a"}"#).unwrap() else {
            panic!()
        };
        assert_eq!((h.ping_interval, h.ping_timeout), (25_000, 20_000));
        assert!(matches!(
            parse("0{nope").unwrap_err(),
            FrameError::Payload {
                what: "handshake",
                ..
            }
        ));
    }

    #[test]
    fn engine_packets() {
        assert_eq!(parse("1").unwrap(), Packet::Close);
        assert_eq!(parse("2").unwrap(), Packet::Ping(String::new()));
        assert_eq!(parse("2probe").unwrap(), Packet::Ping("probe".into()));
        assert_eq!(parse("3").unwrap(), Packet::Pong(String::new()));
        assert_eq!(parse("5").unwrap(), Packet::Upgrade);
        assert_eq!(parse("6").unwrap(), Packet::Noop);
        assert_eq!(parse("").unwrap_err(), FrameError::Empty);
        assert_eq!(parse("7").unwrap_err(), FrameError::EngineType('7'));
        assert_eq!(parse("é").unwrap_err(), FrameError::EngineType('é'));
    }

    #[test]
    fn connect_and_errors() {
        assert_eq!(
            parse(r#"40{"sid":"abc"}"#).unwrap(),
            Packet::Message(SocketPacket::Connect {
                namespace: "/".into(),
                data: Some(json!({"sid": "abc"})),
            })
        );
        assert_eq!(
            parse("40").unwrap(),
            Packet::Message(SocketPacket::Connect {
                namespace: "/".into(),
                data: None
            })
        );
        assert_eq!(
            parse(r#"40/admin,{"sid":"x"}"#).unwrap(),
            Packet::Message(SocketPacket::Connect {
                namespace: "/admin".into(),
                data: Some(json!({"sid": "x"})),
            })
        );
        assert_eq!(
            parse("41").unwrap(),
            Packet::Message(SocketPacket::Disconnect {
                namespace: "/".into()
            })
        );
        assert_eq!(
            parse("41/admin,").unwrap(),
            Packet::Message(SocketPacket::Disconnect {
                namespace: "/admin".into()
            })
        );
        assert_eq!(
            parse(r#"44{"message":"Not authorized"}"#).unwrap(),
            Packet::Message(SocketPacket::ConnectError {
                namespace: "/".into(),
                data: Some(json!({"message": "Not authorized"})),
            })
        );
    }

    #[test]
    fn events() {
        assert_eq!(
            parse(r#"42["authenticated"]"#).unwrap(),
            Packet::Message(SocketPacket::Event {
                namespace: "/".into(),
                id: None,
                name: "authenticated".into(),
                args: vec![],
            })
        );
        assert_eq!(
            parse(r#"42["message:send",{"a":1},2]"#).unwrap(),
            Packet::Message(SocketPacket::Event {
                namespace: "/".into(),
                id: None,
                name: "message:send".into(),
                args: vec![json!({"a": 1}), json!(2)],
            })
        );
        assert_eq!(
            parse(r#"42/chat,17["hi","there"]"#).unwrap(),
            Packet::Message(SocketPacket::Event {
                namespace: "/chat".into(),
                id: Some(17),
                name: "hi".into(),
                args: vec![json!("there")],
            })
        );
        assert_eq!(
            parse(r#"4212["x"]"#).unwrap(),
            Packet::Message(SocketPacket::Event {
                namespace: "/".into(),
                id: Some(12),
                name: "x".into(),
                args: vec![],
            })
        );
        for bad in ["42", "42{}", "42[]", "42[1]", "42[\"x\"", "42x"] {
            assert!(
                matches!(parse(bad).unwrap_err(), FrameError::Payload { .. }),
                "{bad}"
            );
        }
        assert!(matches!(
            parse("4299999999999999999999[\"x\"]").unwrap_err(),
            FrameError::Payload { .. }
        ));
    }

    #[test]
    fn acks_and_binary() {
        assert_eq!(
            parse(r#"433["ok"]"#).unwrap(),
            Packet::Message(SocketPacket::Ack {
                namespace: "/".into(),
                id: 3,
                args: vec![json!("ok")],
            })
        );
        assert!(matches!(
            parse("43[]").unwrap_err(),
            FrameError::Payload { .. }
        ));
        assert_eq!(
            parse(r#"451-["x",{"_placeholder":true,"num":0}]"#).unwrap_err(),
            FrameError::Binary
        );
        assert_eq!(parse("46").unwrap_err(), FrameError::Binary);
        assert_eq!(parse("47").unwrap_err(), FrameError::SocketType('7'));
        assert_eq!(parse("4").unwrap_err(), FrameError::Empty);
    }

    #[test]
    fn encoding_round_trips() {
        let data = json!({"events": ["message:send"], "quote": "\"hi\""});
        let text = encode_event("socket:bind:push", &data);
        assert_eq!(
            text,
            r#"42["socket:bind:push",{"events":["message:send"],"quote":"\"hi\""}]"#
        );
        assert_eq!(
            parse(&text).unwrap(),
            Packet::Message(SocketPacket::Event {
                namespace: "/".into(),
                id: None,
                name: "socket:bind:push".into(),
                args: vec![data],
            })
        );
        assert_eq!(encode_pong(""), "3");
        assert_eq!(encode_pong("probe"), "3probe");
        assert_eq!(encode_ack(17), "4317[]");
        assert_eq!(
            parse(&encode_ack(17)).unwrap(),
            Packet::Message(SocketPacket::Ack {
                namespace: "/".into(),
                id: 17,
                args: vec![],
            })
        );
    }
}
