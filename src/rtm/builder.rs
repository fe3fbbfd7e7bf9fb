//! [`RtmBuilder`]: the events to receive, buffer and reconnect settings, and `connect`.

use super::*;

/// Configures an RTM connection; from [`Client::rtm`].
#[must_use]
pub struct RtmBuilder {
    pub(super) client: Client,
    pub(super) events: Vec<String>,
    pub(super) endpoint: Option<String>,
    pub(super) website: Option<String>,
    pub(super) buffer: usize,
    pub(super) base: Duration,
    pub(super) cap: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) clock: Option<Arc<dyn Clock>>,
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
    /// [module docs](crate::rtm#connecting). Must be called within a tokio runtime.
    pub async fn connect(self) -> Result<Rtm, Error> {
        if self.events.is_empty() {
            return Err(Error::config(
                "events",
                "no events to receive: call .events([...]) or .all_events()",
            ));
        }
        if self.buffer == 0 {
            return Err(Error::config("buffer", "must hold at least one item"));
        }
        let inner = progenitor_client::ClientInfo::inner(&self.client);
        let credentials = inner.credentials.clone().ok_or_else(|| {
            Error::config(
                "credentials",
                "the client has no token: build it with .credentials(identifier, key)",
            )
        })?;
        let tier = inner.tier;
        let discovery = match (&self.endpoint, tier, &self.website) {
            (Some(url), _, _) => Discovery::Fixed(url.clone()),
            (None, Tier::Plugin, _) => Discovery::Plugin,
            (None, Tier::Website, Some(website)) => Discovery::Website(website.clone()),
            (None, Tier::Website, None) => {
                return Err(Error::config(
                    "website",
                    "a website token discovers its endpoint per website: call .website(id) or .endpoint(url)",
                ));
            }
            (None, _, _) => {
                return Err(Error::config(
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
            user_agent: inner.user_agent.clone(),
            base: self.base,
            cap: self.cap,
            connect_timeout: self.connect_timeout,
            clock,
            tls,
            queue: queue.clone(),
            commands: receiver,
            protocol: Protocol::new(tier, credentials, self.events, self.connect_timeout),
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

pub(super) fn extend_unique(set: &mut Vec<String>, events: impl IntoIterator<Item = String>) {
    for event in events {
        if !set.contains(&event) {
            set.push(event);
        }
    }
}
