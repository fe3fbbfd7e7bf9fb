//! The I/O driver: one task per connection life. It owns the socket, the timers and the
//! reconnect loop (back-off, rediscovery); what to send, deliver and wait for is decided by the
//! protocol machine (`protocol.rs`), which it feeds with frames, commands and timers.

use super::*;

pub(super) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The connection task: owns the socket, feeds the queue.
pub(super) struct Task {
    pub(super) client: Client,
    pub(super) discovery: Discovery,
    pub(super) user_agent: reqwest::header::HeaderValue,
    pub(super) base: Duration,
    pub(super) cap: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) tls: Arc<rustls::ClientConfig>,
    pub(super) queue: Arc<Queue>,
    pub(super) commands: mpsc::UnboundedReceiver<Command>,
    /// The protocol state: event set, phase, rebinds waiting.
    pub(super) protocol: Protocol,
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
                    Some(Command::Rebind(kind, events)) => {
                        // No socket: the set changes, nothing is sent.
                        let mut steps = Vec::new();
                        let input = Input::Rebind(kind, events);
                        self.protocol.handle(input, self.clock.now(), &mut steps);
                        debug_assert!(steps.is_empty(), "{steps:?}");
                    }
                },
            }
        }
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

    /// One websocket, from opening to its end: reads frames, commands and timers, feeds them
    /// to the protocol machine and performs its steps.
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
        let mut deadline = tokio::time::Instant::now() + self.connect_timeout;
        let mut rebind_timer: Option<Sleep> = None;
        let mut steps = Vec::new();
        let now = self.clock.now();
        self.protocol
            .handle(Input::Opened(endpoint), now, &mut steps);
        loop {
            for step in steps.drain(..) {
                match step {
                    Step::Send(frame) => {
                        if let Err(e) = ws.send(Message::text(frame)).await {
                            return self.protocol.socket_ended(format!("socket error: {e}"));
                        }
                    }
                    Step::TrySend(frame) => {
                        let _ = ws.send(Message::text(frame)).await;
                    }
                    Step::Deliver(item) => self.queue.push(item),
                    Step::Authenticated => {
                        if let Some(tx) = first.take() {
                            let _ = tx.send(Ok(()));
                        }
                    }
                    Step::Deadline(after) => deadline = tokio::time::Instant::now() + after,
                    Step::RebindAfter(wait) => rebind_timer = Some(self.clock.sleep(wait)),
                    Step::Ignored { namespace } => {
                        tracing::debug!(%namespace, "ignored a packet of another namespace");
                    }
                    Step::End(end) => {
                        if matches!(end, End::Closed) {
                            let _ = ws.close(None).await;
                        }
                        return end;
                    }
                }
            }
            let timer = async {
                match rebind_timer.as_mut() {
                    Some(t) => t.await,
                    None => std::future::pending().await,
                }
            };
            let text;
            let input = tokio::select! {
                message = ws.next() => match message {
                    Some(Ok(Message::Text(t))) => {
                        text = t;
                        Input::Frame(&text)
                    }
                    Some(Ok(Message::Close(close))) => {
                        let why = close
                            .map(|c| format!(" ({} {})", u16::from(c.code), c.reason))
                            .unwrap_or_default();
                        Input::SocketEnded(format!("the server closed the socket{why}"))
                    }
                    Some(Ok(_)) => continue, // websocket pings are answered by tungstenite
                    Some(Err(e)) => Input::SocketEnded(format!("socket error: {e}")),
                    None => Input::SocketEnded("the socket closed".into()),
                },
                command = self.commands.recv() => match command {
                    None | Some(Command::Close) => Input::Close,
                    Some(Command::Rebind(kind, events)) => Input::Rebind(kind, events),
                },
                () = timer => {
                    rebind_timer = None;
                    Input::RebindDue
                }
                () = tokio::time::sleep_until(deadline) => Input::DeadlinePassed,
            };
            self.protocol.handle(input, self.clock.now(), &mut steps);
        }
    }
}
