//! The RTM protocol as a state machine without I/O: Engine.IO, Socket.IO, authentication,
//! delivery, rebind pacing and liveness.
//!
//! [`Protocol::handle`] takes one [`Input`] (a websocket text message, a timer that fired, a
//! command, the socket's end) with the clock's current time, and appends the [`Step`]s the
//! driver (`session.rs`) performs in order: frames to send, items to deliver, timers to arm,
//! the end of the session. It holds no socket and no clock: every time it needs comes in as a
//! value, and every wait goes out as a duration. One machine lives as long as the connection
//! task: the event set and the time of the last rebind outlive each socket.

use super::*;

/// How a session (one websocket) ended.
#[derive(Debug)]
pub(super) enum End {
    /// It never got to `authenticated`.
    Failed(Error),
    /// It was authenticated, then dropped.
    Dropped(String),
    /// Crisp answered `unauthorized`.
    Unauthorized(Option<String>),
    /// The caller closed it.
    Closed,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// No socket (before the first, between two).
    Idle,
    /// Waiting for the Engine.IO handshake.
    Opening,
    /// Waiting for the namespace to be joined.
    Joining,
    /// Waiting for `authenticated`.
    Authenticating,
    /// Receiving events.
    Ready,
}

/// What happened, for the machine to react to.
#[derive(Debug)]
pub(super) enum Input<'a> {
    /// A websocket to this endpoint is open.
    Opened(&'a str),
    /// A websocket text message arrived.
    Frame(&'a str),
    /// The socket closed or failed, for this reason.
    SocketEnded(String),
    /// The deadline of the last [`Step::Deadline`] passed.
    DeadlinePassed,
    /// The wait of the last [`Step::RebindAfter`] is over.
    RebindDue,
    /// The caller changes the event set.
    Rebind(Rebind, Vec<String>),
    /// The caller closes the connection.
    Close,
}

/// What the driver does, in order.
// `Deliver` is as large as an `Item`, which is not boxed for the same reason (an allocation
// per event); a step lives only between the machine and the driver.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(super) enum Step {
    /// Send this frame; if the socket fails, the session ends
    /// ([`Protocol::socket_ended`]).
    Send(String),
    /// Send this frame, ignoring a failure (an acknowledgement, the goodbye): a broken socket
    /// shows on the next read.
    TrySend(String),
    /// Push this item into the stream's queue.
    Deliver(Result<Item, Error>),
    /// The first authentication succeeded: `connect` may return.
    Authenticated,
    /// The network deadline (connection, then liveness) is now this far away, on the
    /// network's timer; when it passes, feed [`Input::DeadlinePassed`].
    Deadline(Duration),
    /// Feed [`Input::RebindDue`] after this long, on the client's clock.
    RebindAfter(Duration),
    /// A Socket.IO packet of a namespace this client never joined was ignored.
    Ignored {
        /// The packet's namespace.
        namespace: String,
    },
    /// The session is over: the driver closes the socket.
    End(End),
}

/// The protocol state of one connection task.
pub(super) struct Protocol {
    tier: Tier,
    credentials: Credentials,
    /// The event set, as bound.
    events: Vec<String>,
    connect_timeout: Duration,
    phase: Phase,
    endpoint: String,
    /// How long the server may stay silent: its ping interval and ping timeout.
    liveness: Duration,
    /// Rebinds waiting to be sent, oldest first (only while authenticating or authenticated).
    rebinds: VecDeque<(Rebind, Vec<String>)>,
    /// A [`Step::RebindAfter`] is pending.
    rebind_armed: bool,
    last_rebind: Option<Instant>,
    auth_span: tracing::Span,
}

/// The liveness before the handshake announces one (the protocol's default ping interval and
/// timeout, rounded).
const DEFAULT_LIVENESS: Duration = Duration::from_secs(45);

impl Protocol {
    pub(super) fn new(
        tier: Tier,
        credentials: Credentials,
        events: Vec<String>,
        connect_timeout: Duration,
    ) -> Protocol {
        Protocol {
            tier,
            credentials,
            events,
            connect_timeout,
            phase: Phase::Idle,
            endpoint: String::new(),
            liveness: DEFAULT_LIVENESS,
            rebinds: VecDeque::new(),
            rebind_armed: false,
            last_rebind: None,
            auth_span: tracing::Span::none(),
        }
    }

    /// Reacts to `input` at `now` (the client's clock), appending the steps to `out`.
    pub(super) fn handle(&mut self, input: Input<'_>, now: Instant, out: &mut Vec<Step>) {
        match input {
            Input::Opened(endpoint) => {
                self.reset(Phase::Opening);
                endpoint.clone_into(&mut self.endpoint);
                out.push(Step::Deadline(self.connect_timeout));
            }
            Input::Frame(text) => self.frame(text, out),
            Input::SocketEnded(reason) => self.ended(reason, out),
            Input::DeadlinePassed => {
                let end = if self.phase == Phase::Ready {
                    End::Dropped(format!(
                        "no ping from the server for {} s",
                        self.liveness.as_secs_f32()
                    ))
                } else {
                    End::Failed(Error::Timeout {
                        what: "authentication",
                        after: self.connect_timeout,
                    })
                };
                self.end(end, out);
            }
            Input::RebindDue => {
                self.rebind_armed = false;
                self.send_rebind(now, out);
            }
            Input::Rebind(kind, events) => self.rebind(kind, events),
            Input::Close => {
                if self.phase != Phase::Idle {
                    out.push(Step::TrySend(frame::DISCONNECT.to_owned()));
                }
                self.end(End::Closed, out);
            }
        }
        self.pace_rebinds(now, out);
    }

    /// The end of a session whose socket closed or failed for `reason`.
    pub(super) fn socket_ended(&mut self, reason: String) -> End {
        let end = if self.phase == Phase::Ready {
            End::Dropped(reason)
        } else {
            End::Failed(Error::Protocol(reason))
        };
        self.reset(Phase::Idle);
        end
    }

    fn reset(&mut self, phase: Phase) {
        self.phase = phase;
        self.liveness = DEFAULT_LIVENESS;
        self.rebinds.clear();
        self.rebind_armed = false;
        self.auth_span = tracing::Span::none();
    }

    fn end(&mut self, end: End, out: &mut Vec<Step>) {
        self.reset(Phase::Idle);
        out.push(Step::End(end));
    }

    /// The end for a frame `reason` gives: a drop once authenticated, a failure before.
    fn ended(&mut self, reason: String, out: &mut Vec<Step>) {
        let end = self.socket_ended(reason);
        out.push(Step::End(end));
    }

    fn frame(&mut self, text: &str, out: &mut Vec<Step>) {
        if self.phase == Phase::Idle {
            return;
        }
        if self.phase == Phase::Ready {
            out.push(Step::Deadline(self.liveness));
        }
        let packet = match frame::parse(text) {
            Ok(packet) => packet,
            Err(e) if self.phase == Phase::Opening => {
                let end = End::Failed(Error::Protocol(format!("bad handshake: {e}")));
                return self.end(end, out);
            }
            Err(e) => {
                tracing::debug!(error = %e, "skipped an unreadable message");
                let error = Error::Protocol(format!("unreadable message: {e}"));
                return out.push(Step::Deliver(Err(error)));
            }
        };
        match packet {
            Packet::Open(handshake) if self.phase == Phase::Opening => {
                let (interval, timeout) = (handshake.ping_interval, handshake.ping_timeout);
                self.liveness = Duration::from_millis(interval.saturating_add(timeout));
                self.phase = Phase::Joining;
                out.push(Step::Send(frame::CONNECT.to_owned()));
            }
            Packet::Ping(payload) => out.push(Step::Send(frame::encode_pong(&payload))),
            Packet::Close => self.ended("the server closed the transport".into(), out),
            Packet::Message(packet) => self.socket_packet(packet, out),
            _ => {}
        }
    }

    fn socket_packet(&mut self, packet: SocketPacket, out: &mut Vec<Step>) {
        match packet {
            SocketPacket::ConnectError { data, .. } => {
                let message = data
                    .as_ref()
                    .and_then(message_of)
                    .unwrap_or("no reason given");
                let reason = format!("the server refused the namespace: {message}");
                self.ended(reason, out);
            }
            // A namespace this client did not join: ignored, as socket.io-client does.
            SocketPacket::Connect { namespace, .. }
            | SocketPacket::Disconnect { namespace }
            | SocketPacket::Event { namespace, .. }
            | SocketPacket::Ack { namespace, .. }
                if namespace != "/" =>
            {
                out.push(Step::Ignored { namespace });
            }
            SocketPacket::Connect { .. } if self.phase == Phase::Joining => {
                let state = State::Connected {
                    endpoint: self.endpoint.clone(),
                };
                out.push(Step::Deliver(Ok(Item::State(state))));
                self.auth_span = tracing::info_span!("crisp_rtm_auth", events = self.events.len());
                self.auth_span
                    .in_scope(|| tracing::debug!("authenticating"));
                self.phase = Phase::Authenticating;
                out.push(Step::Send(self.authentication()));
            }
            SocketPacket::Disconnect { .. } => {
                self.ended("the server left the namespace".into(), out);
            }
            SocketPacket::Event { name, args, id, .. } => {
                if let Some(id) = id {
                    // Crisp does not ask for acknowledgements; answer any anyway.
                    out.push(Step::TrySend(frame::encode_ack(id)));
                }
                match name.as_str() {
                    "authenticated" if self.phase == Phase::Authenticating => {
                        self.auth_span.in_scope(|| tracing::info!("authenticated"));
                        self.phase = Phase::Ready;
                        out.push(Step::Deliver(Ok(Item::State(State::Authenticated))));
                        out.push(Step::Authenticated);
                        out.push(Step::Deadline(self.liveness));
                    }
                    "unauthorized" => {
                        let message = args.first().and_then(message_of).map(str::to_owned);
                        self.end(End::Unauthorized(message), out);
                    }
                    _ => out.push(Step::Deliver(deliver(&name, args))),
                }
            }
            _ => {}
        }
    }

    /// The `authentication` message: tier, identifier, key and the event set.
    fn authentication(&self) -> String {
        frame::encode_event(
            "authentication",
            &json!({
                "tier": self.tier.as_str(),
                "username": self.credentials.identifier(),
                "password": self.credentials.key().expose(),
                "events": self.events,
            }),
        )
    }

    /// Applies a rebind to the event set; queues its message when the socket is authenticating
    /// or authenticated (otherwise the next authentication carries the new set).
    fn rebind(&mut self, kind: Rebind, events: Vec<String>) {
        match kind {
            Rebind::Refresh => {}
            Rebind::Bind => {
                self.events.clear();
                extend_unique(&mut self.events, events.iter().cloned());
            }
            Rebind::Push => extend_unique(&mut self.events, events.iter().cloned()),
            Rebind::Pop => self.events.retain(|e| !events.contains(e)),
        }
        if matches!(self.phase, Phase::Authenticating | Phase::Ready) {
            self.rebinds.push_back((kind, events));
        }
    }

    /// Sends the queued rebinds at Crisp's pace: one at once if the last was
    /// [`REBIND_SPACING`] ago, else a wait for the rest of the spacing.
    fn pace_rebinds(&mut self, now: Instant, out: &mut Vec<Step>) {
        while self.phase == Phase::Ready && !self.rebind_armed && !self.rebinds.is_empty() {
            let wait = self
                .last_rebind
                .map(|last| (last + REBIND_SPACING).saturating_duration_since(now))
                .unwrap_or_default();
            if wait.is_zero() {
                self.send_rebind(now, out);
            } else {
                self.rebind_armed = true;
                out.push(Step::RebindAfter(wait));
            }
        }
    }

    fn send_rebind(&mut self, now: Instant, out: &mut Vec<Step>) {
        let Some((kind, events)) = self.rebinds.pop_front() else {
            return;
        };
        let payload = match kind {
            Rebind::Refresh => json!({}),
            _ => json!({ "events": events }),
        };
        tracing::debug!(event = kind.event(), "rebinding");
        self.last_rebind = Some(now);
        out.push(Step::Send(frame::encode_event(kind.event(), &payload)));
    }
}

/// An event's item: typed, unknown or mistyped.
fn deliver(name: &str, mut args: Vec<Value>) -> Result<Item, Error> {
    let data = if args.is_empty() {
        Value::Null
    } else {
        args.swap_remove(0)
    };
    Event::from_parts(name, data)
        .map(Item::Event)
        .map_err(Error::Payload)
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

    const ENDPOINT: &str = "wss://relay.test/p/7/";
    const HANDSHAKE: &str = r#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}"#;
    const MESSAGE: &str = r#"42["message:send",{"website_id":"8c842203-7ed8-4e29-a608-7cf78a7d2fcc","session_id":"session_700c65e1","inbox_id":null,"type":"text","from":"user","origin":"chat","content":"Hello","fingerprint":163408817286523,"timestamp":1716300120000,"user":{"nickname":"Jane"},"stamped":true}]"#;

    fn machine() -> Protocol {
        let credentials = Credentials::new("id", "key");
        let events = vec!["message:send".to_owned()];
        Protocol::new(Tier::Plugin, credentials, events, Duration::from_secs(10))
    }

    /// The `send` step of the authentication with `events`.
    fn auth(events: &[&str]) -> String {
        let data = json!({"tier": "plugin", "username": "id", "password": "key", "events": events});
        format!("send {}", frame::encode_event("authentication", &data))
    }

    fn describe(step: &Step) -> String {
        match step {
            Step::Send(frame) => format!("send {frame}"),
            Step::TrySend(frame) => format!("try send {frame}"),
            Step::Deliver(Ok(Item::Event(e @ Event::Mistyped { .. }))) => {
                format!("deliver mistyped {}", e.name())
            }
            Step::Deliver(Ok(Item::Event(e @ Event::Unknown { .. }))) => {
                format!("deliver unknown {}", e.name())
            }
            Step::Deliver(Ok(Item::Event(event))) => format!("deliver {}", event.name()),
            Step::Deliver(Ok(item)) => format!("deliver {item:?}"),
            Step::Deliver(Err(e)) => format!("deliver error: {e}"),
            Step::Authenticated => "authenticated".into(),
            Step::Deadline(after) => format!("deadline {} ms", after.as_millis()),
            Step::RebindAfter(wait) => format!("rebind after {} ms", wait.as_millis()),
            Step::Ignored { namespace } => format!("ignore {namespace}"),
            Step::End(End::Failed(e)) => format!("end failed: {e}"),
            Step::End(End::Dropped(reason)) => format!("end dropped: {reason}"),
            Step::End(End::Unauthorized(m)) => format!("end unauthorized: {m:?}"),
            Step::End(End::Closed) => "end closed".into(),
        }
    }

    /// Feeds each input at its time (milliseconds after `start`) and checks its steps.
    fn run(protocol: &mut Protocol, start: Instant, script: Vec<(u64, Input<'_>, &[&str])>) {
        for (at, input, expected) in script {
            let label = format!("{input:?} at {at} ms");
            let mut out = Vec::new();
            protocol.handle(input, start + Duration::from_millis(at), &mut out);
            let steps: Vec<String> = out.iter().map(describe).collect();
            assert_eq!(steps, expected, "{label}");
        }
    }

    /// A machine taken through the handshake to `phase`.
    fn at(phase: Phase, start: Instant) -> Protocol {
        let mut protocol = machine();
        let prefix = [
            Input::Opened(ENDPOINT),
            Input::Frame(HANDSHAKE),
            Input::Frame("40"),
            Input::Frame(r#"42["authenticated"]"#),
        ];
        for input in prefix {
            if protocol.phase == phase {
                break;
            }
            protocol.handle(input, start, &mut Vec::new());
        }
        assert_eq!(protocol.phase, phase);
        protocol
    }

    #[test]
    fn a_session_from_the_handshake_to_events() {
        let start = Instant::now();
        let mut protocol = machine();
        let connected = format!("deliver State(Connected {{ endpoint: {ENDPOINT:?} }})");
        let bad = "deliver error: RTM protocol error: unreadable message: malformed event: \
                   expected a JSON array";
        #[rustfmt::skip]
        run(&mut protocol, start, vec![
            (0, Input::Opened(ENDPOINT), &["deadline 10000 ms"]),
            // A ping before the handshake is answered; no liveness yet.
            (1, Input::Frame("2"), &["send 3"]),
            (2, Input::Frame(HANDSHAKE), &["send 40"]),
            (3, Input::Frame(r#"40/admin,{"sid":"x"}"#), &["ignore /admin"]),
            (4, Input::Frame(r#"40{"sid":"n"}"#), &[&connected, &auth(&["message:send"])]),
            (5, Input::Frame(r#"42["authenticated"]"#),
                &["deliver State(Authenticated)", "authenticated", "deadline 30000 ms"]),
            // Every frame from now on pushes the liveness deadline.
            (6, Input::Frame("2probe"), &["deadline 30000 ms", "send 3probe"]),
            (7, Input::Frame(MESSAGE), &["deadline 30000 ms", "deliver message:send"]),
            (8, Input::Frame(r#"42["message:send","not a message"]"#),
                &["deadline 30000 ms", "deliver mistyped message:send"]),
            (9, Input::Frame(r#"42["made:up:event",{"anything":[1,2]}]"#),
                &["deadline 30000 ms", "deliver unknown made:up:event"]),
            (10, Input::Frame(r#"42/admin,["message:send",{"content":"not for us"}]"#),
                &["deadline 30000 ms", "ignore /admin"]),
            (11, Input::Frame(r#"41/admin,"#), &["deadline 30000 ms", "ignore /admin"]),
            // An acknowledgement asked for is sent before the event is delivered.
            (12, Input::Frame(r#"427["made:up",1]"#),
                &["deadline 30000 ms", "try send 437[]", "deliver unknown made:up"]),
            (13, Input::Frame(r#"42{"no":"array"}"#), &["deadline 30000 ms", bad]),
            (14, Input::Frame("3"), &["deadline 30000 ms"]),
            (15, Input::Frame("6"), &["deadline 30000 ms"]),
            (16, Input::Frame(HANDSHAKE), &["deadline 30000 ms"]),
            (17, Input::Frame("41"),
                &["deadline 30000 ms", "end dropped: the server left the namespace"]),
            // Once ended, nothing more comes out of the socket's leftovers.
            (18, Input::Frame(MESSAGE), &[]),
        ]);
        assert_eq!(protocol.phase, Phase::Idle);
    }

    #[test]
    fn how_sessions_end() {
        let unauthorized = r#"42["unauthorized",{"message":"invalid token"}]"#;
        let refused = r#"44{"message":"Not authorized"}"#;
        #[rustfmt::skip]
        let table: Vec<(Phase, Input<'_>, &[&str])> = vec![
            (Phase::Opening, Input::Frame("0{nope"),
                &["end failed: RTM protocol error: bad handshake: malformed handshake: key must be a string at line 1 column 2"]),
            (Phase::Joining, Input::Frame(refused),
                &["end failed: RTM protocol error: the server refused the namespace: Not authorized"]),
            (Phase::Joining, Input::Frame("44"),
                &["end failed: RTM protocol error: the server refused the namespace: no reason given"]),
            (Phase::Joining, Input::Frame("1"),
                &["end failed: RTM protocol error: the server closed the transport"]),
            (Phase::Authenticating, Input::Frame(unauthorized),
                &[r#"end unauthorized: Some("invalid token")"#]),
            (Phase::Authenticating, Input::Frame(r#"42["unauthorized"]"#), &["end unauthorized: None"]),
            (Phase::Ready, Input::Frame(r#"42["unauthorized","revoked"]"#),
                &["deadline 30000 ms", r#"end unauthorized: Some("revoked")"#]),
            (Phase::Authenticating, Input::DeadlinePassed,
                &["end failed: RTM authentication timed out after 10 s"]),
            (Phase::Ready, Input::DeadlinePassed, &["end dropped: no ping from the server for 30 s"]),
            (Phase::Ready, Input::Frame("1"),
                &["deadline 30000 ms", "end dropped: the server closed the transport"]),
            (Phase::Ready, Input::Frame(refused),
                &["deadline 30000 ms", "end dropped: the server refused the namespace: Not authorized"]),
            (Phase::Joining, Input::SocketEnded("the socket closed".into()),
                &["end failed: RTM protocol error: the socket closed"]),
            (Phase::Ready, Input::SocketEnded("socket error: reset".into()),
                &["end dropped: socket error: reset"]),
            (Phase::Ready, Input::Close, &["try send 41", "end closed"]),
            (Phase::Idle, Input::Close, &["end closed"]),
            // `authenticated` out of turn is an ordinary (unknown) event.
            (Phase::Ready, Input::Frame(r#"42["authenticated"]"#),
                &["deadline 30000 ms", "deliver unknown authenticated"]),
        ];
        for (phase, input, expected) in table {
            let start = Instant::now();
            let mut protocol = at(phase, start);
            run(&mut protocol, start, vec![(1, input, expected)]);
            if expected.last().is_some_and(|s| s.starts_with("end")) {
                assert_eq!(protocol.phase, Phase::Idle);
            }
        }
    }

    #[test]
    fn rebinds_are_paced_and_change_the_set() {
        let start = Instant::now();
        let mut protocol = at(Phase::Ready, start);
        let push = r#"send 42["socket:bind:push",{"events":["message:received"]}]"#;
        let pop = r#"send 42["socket:bind:pop",{"events":["message:send"]}]"#;
        let bind = r#"send 42["socket:bind",{"events":["people:profile:created"]}]"#;
        let push_of = |e: &str| vec![e.to_owned()];
        #[rustfmt::skip]
        run(&mut protocol, start, vec![
            // The first goes at once; the next waits for the rest of the spacing.
            (0, Input::Rebind(Rebind::Push, push_of("message:received")), &[push]),
            (100, Input::Rebind(Rebind::Refresh, Vec::new()), &["rebind after 2650 ms"]),
            (200, Input::Rebind(Rebind::Pop, push_of("message:send")), &[]),
            (2750, Input::RebindDue, &[r#"send 42["socket:bind",{}]"#, "rebind after 2750 ms"]),
            (5500, Input::RebindDue, &[pop]),
            // Long after the last one: at once.
            (9000, Input::Rebind(Rebind::Bind, push_of("people:profile:created")), &[bind]),
        ]);
        assert_eq!(protocol.events, ["people:profile:created"]);
    }

    #[test]
    fn rebinds_around_reconnections() {
        let start = Instant::now();
        let mut protocol = at(Phase::Joining, start);
        let message = |e: &str| vec![e.to_owned()];
        let bound = r#"send 42["socket:bind:push",{"events":["b"]}]"#;
        #[rustfmt::skip]
        run(&mut protocol, start, vec![
            // Before authenticating: the set changes, nothing is queued.
            (0, Input::Rebind(Rebind::Bind, message("a")), &[]),
            (1, Input::Frame("40"), &["deliver State(Connected { endpoint: \"wss://relay.test/p/7/\" })", &auth(&["a"])]),
            // While authenticating: queued, sent once authenticated.
            (2, Input::Rebind(Rebind::Push, message("b")), &[]),
            (3, Input::Frame(r#"42["authenticated"]"#),
                &["deliver State(Authenticated)", "authenticated", "deadline 30000 ms", bound]),
            (4, Input::Rebind(Rebind::Pop, message("a")), &["rebind after 2749 ms"]),
            // A drop forgets the queued rebind, not the set it made.
            (5, Input::SocketEnded("socket error: reset".into()), &["end dropped: socket error: reset"]),
            (6, Input::Rebind(Rebind::Push, message("c")), &[]),
            (7, Input::Opened(ENDPOINT), &["deadline 10000 ms"]),
            (8, Input::Frame(HANDSHAKE), &["send 40"]),
        ]);
        assert_eq!(protocol.events, ["b", "c"]);
        let auth_bc = auth(&["b", "c"]);
        #[rustfmt::skip]
        run(&mut protocol, start, vec![
            (9, Input::Frame("40"), &["deliver State(Connected { endpoint: \"wss://relay.test/p/7/\" })", &auth_bc]),
            (10, Input::Frame(r#"42["authenticated"]"#),
                &["deliver State(Authenticated)", "authenticated", "deadline 30000 ms"]),
            // The spacing counts from the last rebind of the previous socket.
            (11, Input::Rebind(Rebind::Refresh, Vec::new()), &["rebind after 2742 ms"]),
            (2753, Input::RebindDue, &[r#"send 42["socket:bind",{}]"#]),
        ]);
    }
}
