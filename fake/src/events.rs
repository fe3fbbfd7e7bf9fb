//! Events: the one table mapping the fake's state changes to Crisp event names, and the bus
//! that publishes each event to the in-process stream, the RTM sockets and the web hooks.
//!
//! Every event is built as a [`crisp_api::Event`] with [`Event::from_parts`], so the fake can
//! never publish a payload the SDK cannot decode.

use crate::hooks::Hooks;
use crisp_api::Event;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Notify, broadcast, mpsc};

/// State changes (left) and the Crisp event each one emits (right). The only place where this
/// mapping lives.
pub const TABLE: &[(&str, &str)] = &[
    ("conversation created", "session:request:initiated"),
    ("conversation removed", "session:removed"),
    ("visitor message", "message:send"),
    ("operator message", "message:received"),
    ("message updated", "message:updated"),
    ("message removed", "message:removed"),
    ("visitor composes", "message:compose:send"),
    ("operator composes", "message:compose:receive"),
    ("visitor read", "message:acknowledge:read:send"),
    ("operator read", "message:acknowledge:read:received"),
    ("delivered", "message:acknowledge:delivered"),
    ("marked unread", "message:acknowledge:unread:send"),
    ("state", "session:set_state"),
    ("block", "session:set_block"),
    ("routing", "session:set_routing"),
    ("inbox", "session:set_inbox"),
    ("participants", "session:set_participants"),
    ("opened", "session:set_opened"),
    ("closed", "session:set_closed"),
    ("meta email", "session:set_email"),
    ("meta phone", "session:set_phone"),
    ("meta address", "session:set_address"),
    ("meta subject", "session:set_subject"),
    ("meta avatar", "session:set_avatar"),
    ("meta nickname", "session:set_nickname"),
    ("meta origin", "session:set_origin"),
    ("meta data", "session:set_data"),
    ("meta segments", "session:set_segments"),
    ("profile created", "people:profile:created"),
    ("profile updated", "people:profile:updated"),
    ("profile removed", "people:profile:removed"),
];

/// The event name of a change of [`TABLE`].
pub fn name_of(change: &str) -> Option<&'static str> {
    TABLE.iter().find(|(c, _)| *c == change).map(|(_, e)| *e)
}

/// One published event.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The website it concerns.
    pub website_id: String,
    /// The event, typed.
    pub event: Event,
    /// When it happened on the fake's clock (ms).
    pub timestamp: i64,
}

/// The events a handler caused, published once the store is unlocked.
#[derive(Debug, Default)]
pub struct Pending(pub Vec<Published>);

impl Pending {
    /// Records `change` (a key of [`TABLE`]) on `website_id` at `timestamp`, with `payload`.
    /// A payload that does not decode as the event's type is a bug of the fake: it panics in
    /// debug builds and is dropped (with a message on stderr) otherwise.
    pub fn push(&mut self, change: &str, website_id: &str, timestamp: i64, payload: Value) {
        let Some(name) = name_of(change) else {
            debug_assert!(false, "`{change}` is not in the event table");
            return;
        };
        match Event::from_parts(name, payload) {
            Ok(event) => self.0.push(Published {
                website_id: website_id.to_owned(),
                event,
                timestamp,
            }),
            Err(e) => {
                debug_assert!(false, "the fake built an undecodable `{name}`: {e}");
                eprintln!("crisp-fake: dropped an undecodable `{name}` event: {e}");
            }
        }
    }

    /// Records a conversation-scoped change: the payload gets `website_id`, `session_id` and
    /// `inbox_id`.
    pub fn session(
        &mut self,
        change: &str,
        website_id: &str,
        session_id: &str,
        inbox_id: Option<&str>,
        timestamp: i64,
        mut payload: Value,
    ) {
        if let Value::Object(map) = &mut payload {
            map.insert("website_id".into(), website_id.into());
            map.insert("session_id".into(), session_id.into());
            map.insert("inbox_id".into(), json!(inbox_id));
        }
        self.push(change, website_id, timestamp, payload);
    }
}

/// Publishes events in order: to the in-process stream, the RTM sockets and the web hooks.
/// Counts what is still in flight, for `settle`.
pub struct Bus {
    queue: mpsc::UnboundedSender<Published>,
    stream: broadcast::Sender<Published>,
    in_flight: Arc<InFlight>,
}

/// A count of events and deliveries not finished yet, and a notification when it reaches 0.
#[derive(Debug, Default)]
pub struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

impl InFlight {
    /// One more thing in flight.
    pub fn start(&self) {
        self.count.fetch_add(1, Ordering::SeqCst);
    }

    /// One thing finished.
    pub fn finish(&self) {
        if self.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    /// Waits until nothing is in flight.
    pub async fn settled(&self) {
        loop {
            let idle = self.idle.notified();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}

impl Bus {
    /// A bus whose dispatcher task (returned) emits to `io` and delivers to `hooks`.
    pub fn start(
        io: socketioxide::SocketIo,
        hooks: Arc<Hooks>,
    ) -> (Bus, tokio::task::JoinHandle<()>) {
        let (queue, mut rx) = mpsc::unbounded_channel::<Published>();
        let (stream, _) = broadcast::channel(4096);
        let in_flight = Arc::new(InFlight::default());
        let bus = Bus {
            queue,
            stream: stream.clone(),
            in_flight: in_flight.clone(),
        };
        let task = tokio::spawn(async move {
            while let Some(published) = rx.recv().await {
                // The payload is serialised only when a socket or a hook may want it.
                let sockets = !io.sockets().is_empty();
                if (sockets || !hooks.is_empty())
                    && let Ok(data) = published.event.data()
                {
                    if sockets {
                        crate::rtm::emit(&io, published.event.name(), &data).await;
                    }
                    hooks.deliver(&published, &data, &in_flight);
                }
                let _ = stream.send(published);
                in_flight.finish();
            }
        });
        (bus, task)
    }

    /// Publishes events, in order.
    pub fn publish(&self, events: Pending) {
        for event in events.0 {
            self.in_flight.start();
            if self.queue.send(event).is_err() {
                self.in_flight.finish();
            }
        }
    }

    /// A new subscription to the in-process stream.
    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.stream.subscribe()
    }

    /// Waits until every published event was emitted and every web hook delivery finished
    /// (succeeded or gave up).
    pub async fn settle(&self) {
        self.in_flight.settled().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_of_the_table_is_known_to_the_sdk() {
        for (change, name) in TABLE {
            assert!(Event::KNOWN.contains(name), "{change} → {name}");
        }
    }

    #[test]
    fn undecodable_payloads_are_never_published() {
        let mut pending = Pending::default();
        pending.session(
            "state",
            "w",
            "session_1",
            None,
            1,
            json!({"state": "resolved"}),
        );
        assert!(matches!(pending.0[0].event, Event::SessionSetState(_)));
        assert_eq!(pending.0[0].event.data().unwrap()["inbox_id"], Value::Null);
    }
}
