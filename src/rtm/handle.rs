//! [`Rtm`] (the stream) and [`RtmHandle`] (rebinding events and closing from elsewhere).

use super::*;

/// A live RTM connection: a [`Stream`] of events and state changes, and the rebind methods.
///
/// Dropping it closes the connection.
#[derive(Debug)]
pub struct Rtm {
    pub(super) queue: Arc<Queue>,
    pub(super) handle: RtmHandle,
    pub(super) task: tokio::task::JoinHandle<()>,
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
    /// (queued; see [rebinding](crate::rtm#rebinding)).
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
    pub(super) commands: mpsc::UnboundedSender<Command>,
}

#[derive(Debug)]
pub(super) enum Command {
    Rebind(Rebind, Vec<String>),
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rebind {
    Refresh,
    Bind,
    Push,
    Pop,
}

impl Rebind {
    pub(super) fn event(self) -> &'static str {
        match self {
            Rebind::Refresh | Rebind::Bind => "socket:bind",
            Rebind::Push => "socket:bind:push",
            Rebind::Pop => "socket:bind:pop",
        }
    }
}

impl RtmHandle {
    pub(super) fn send(&self, kind: Rebind, events: Vec<String>) -> Result<(), Error> {
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
