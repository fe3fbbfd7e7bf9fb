//! The I/O driver: one task per connection life, reading frames, answering pings, authenticating, delivering events to the queue, pacing rebinds, and the reconnect loop.

use super::*;

/// How a session (one websocket) ended.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Waiting for the Engine.IO handshake.
    Opening,
    /// Waiting for the namespace to be joined.
    Joining,
    /// Waiting for `authenticated`.
    Authenticating,
    /// Receiving events.
    Ready,
}

pub(super) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The connection task: owns the socket, feeds the queue.
pub(super) struct Task {
    pub(super) client: Client,
    pub(super) discovery: Discovery,
    pub(super) tier: Tier,
    pub(super) identifier: String,
    pub(super) key: Secret,
    pub(super) user_agent: reqwest::header::HeaderValue,
    pub(super) events: Vec<String>,
    pub(super) base: Duration,
    pub(super) cap: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) tls: Arc<rustls::ClientConfig>,
    pub(super) queue: Arc<Queue>,
    pub(super) commands: mpsc::UnboundedReceiver<Command>,
    pub(super) rebinds: VecDeque<(Rebind, Vec<String>)>,
    pub(super) last_rebind: Option<Instant>,
}

impl Task {
    pub(super) async fn run(
        mut self,
        mut endpoint: String,
        first: oneshot::Sender<Result<(), Error>>,
    ) {
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
    pub(super) async fn wait(&mut self, delay: Duration) -> bool {
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
    pub(super) fn apply(&mut self, kind: Rebind, events: Vec<String>, queue: bool) {
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

    pub(super) fn authentication(&self) -> String {
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

    pub(super) async fn open(&self, endpoint: &str) -> Result<Socket, Error> {
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
    pub(super) async fn session(
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

    pub(super) async fn send_rebind(&mut self, ws: &mut Socket) -> Result<(), String> {
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

    pub(super) fn deliver(&self, name: &str, mut args: Vec<Value>) {
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
pub(super) fn message_of(value: &Value) -> Option<&str> {
    value
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| value.as_str())
}
