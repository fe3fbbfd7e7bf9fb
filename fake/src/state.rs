//! The fake's state: websites (served on first use) holding conversations, their messages and
//! people profiles; the clock; and the seeded generator of identifiers. Everything here is plain
//! data (it serialises to the snapshot JSON) and deterministic for a given seed.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Where the fake's clock starts by default: 2026-01-01T00:00:00Z, in ms since the epoch.
pub const DEFAULT_START_MS: i64 = 1_767_225_600_000;

/// The whole state of one fake.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    /// The fake's clock, ms since the epoch. It moves 1 ms with every change (so that changes
    /// are ordered) and when told to advance.
    pub now_ms: i64,
    /// How many identifiers were drawn since the seed (for the snapshot only).
    pub drawn: u64,
    /// The websites, by id.
    pub websites: BTreeMap<String, Website>,
    #[serde(skip, default = "seeded")]
    rng: fastrand::Rng,
}

fn seeded() -> fastrand::Rng {
    fastrand::Rng::with_seed(0)
}

/// One website's state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Website {
    /// The website as `get_website` answers it.
    pub website: Map<String, Value>,
    /// The settings as `get_website_settings` answers them.
    pub settings: Value,
    /// The operators (`list_website_operators` items).
    pub operators: Vec<Value>,
    /// Conversations by session id, in creation order of their ids' draw.
    pub conversations: BTreeMap<String, Conversation>,
    /// People profiles by people id.
    pub people: BTreeMap<String, Person>,
}

/// A conversation and its messages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conversation {
    /// `session_<uuid>`.
    pub session_id: String,
    /// The linked profile, if any.
    pub people_id: Option<String>,
    /// `pending`, `unresolved` or `resolved`.
    pub state: String,
    /// Whether the visitor's messages are blocked.
    pub is_blocked: bool,
    /// Whether the conversation is open in the operators' app.
    pub opened: bool,
    /// When it was created (ms).
    pub created_at: i64,
    /// When it last changed (ms).
    pub updated_at: i64,
    /// Since when the visitor waits for an answer (ms), if they do.
    pub waiting_since: Option<i64>,
    /// The meta (nickname, email, phone, address, subject, segments, data, …).
    pub meta: Map<String, Value>,
    /// The assigned operator's user id.
    pub assigned: Option<String>,
    /// The inbox, if any.
    pub inbox_id: Option<String>,
    /// Participants (`{type, target}`).
    pub participants: Vec<Value>,
    /// Messages the operators have not read.
    pub unread_operator: u32,
    /// Messages the visitor has not read.
    pub unread_visitor: u32,
    /// Operators mentioned.
    pub mentions: Vec<String>,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
}

/// A stored message: the fields the fake manages, and whatever else the sender gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    /// The message id (i64, from the clock).
    pub fingerprint: i64,
    /// When it was sent (ms).
    pub timestamp: i64,
    /// `text`, `note`, `file`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// `user` or `operator`.
    pub from: String,
    /// `chat`, `email`, `urn:…`.
    pub origin: String,
    /// The content, as sent.
    pub content: Value,
    /// Where the message was read, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
    /// Where the message was delivered, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<String>,
    /// Whether it was changed after being sent.
    #[serde(default)]
    pub edited: bool,
    /// The other fields the sender gave (`user`, `mentions`, `stealth`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A message's other fields, kept as compact JSON text: a map of a few fields per message costs
/// several times its text in tree nodes, and 100,000 messages add up. It reads and writes as
/// the map it holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(Box<str>);

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Extra {
        Extra(Value::Object(map).to_string().into_boxed_str())
    }
}

impl Extra {
    /// The fields.
    pub fn map(&self) -> Map<String, Value> {
        serde_json::from_str(&self.0).unwrap_or_default()
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.map().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Extra, D::Error> {
        Map::deserialize(deserializer).map(Extra::from)
    }
}

impl Message {
    /// The message as the API answers it.
    pub fn to_json(&self, website_id: &str, session_id: &str) -> Value {
        let mut out = match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        out.insert("website_id".into(), website_id.into());
        out.insert("session_id".into(), session_id.into());
        out.insert("stamped".into(), true.into());
        Value::Object(out)
    }
}

/// A people profile with its data and events.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    /// The profile as the API answers it (`people_id`, `email`, `person`, `segments`, …).
    pub profile: Map<String, Value>,
    /// Custom data.
    pub data: Map<String, Value>,
    /// Events, oldest first.
    pub events: Vec<Value>,
}

impl Conversation {
    /// The conversation as `get_conversation` answers it.
    pub fn to_json(&self, website_id: &str) -> Value {
        let status = match self.state.as_str() {
            "pending" => 0,
            "unresolved" => 1,
            _ => 2,
        };
        let last = self
            .messages
            .iter()
            .rev()
            .find(|m| m.kind == "text")
            .and_then(|m| m.content.as_str())
            .unwrap_or_default();
        let mut out = json!({
            "session_id": self.session_id,
            "website_id": website_id,
            "state": self.state,
            "status": status,
            "is_blocked": self.is_blocked,
            "is_verified": false,
            "availability": "offline",
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "last_message": last,
            "meta": self.meta,
            "participants": self.participants,
            "mentions": self.mentions,
            "unread": {"operator": self.unread_operator, "visitor": self.unread_visitor},
            "active": {"now": false, "last": self.updated_at},
        });
        let map = out.as_object_mut().expect("an object");
        if let Some(people_id) = &self.people_id {
            map.insert("people_id".into(), people_id.clone().into());
        }
        if let Some(inbox) = &self.inbox_id {
            map.insert("inbox_id".into(), inbox.clone().into());
        }
        if let Some(user_id) = &self.assigned {
            map.insert("assigned".into(), json!({ "user_id": user_id }));
        }
        if let Some(waiting) = self.waiting_since {
            map.insert("waiting_since".into(), waiting.into());
        }
        out
    }

    /// Whether `text` (lower case) appears in a message or in the meta.
    pub fn mentions_text(&self, needle: &str) -> bool {
        let contains = |v: &Value| v.to_string().to_lowercase().contains(needle);
        self.messages.iter().any(|m| contains(&m.content))
            || contains(&Value::Object(self.meta.clone()))
    }
}

impl Store {
    /// An empty store whose identifiers come from `seed` and whose clock starts at `start_ms`.
    pub fn new(seed: u64, start_ms: i64) -> Store {
        Store {
            now_ms: start_ms,
            drawn: 0,
            websites: BTreeMap::new(),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Moves the clock one millisecond on and returns the new time: every change gets its own
    /// instant, so histories are strictly ordered.
    pub fn tick(&mut self) -> i64 {
        self.now_ms += 1;
        self.now_ms
    }

    /// A random (seeded) version-4 UUID.
    pub fn uuid(&mut self) -> String {
        self.drawn += 1;
        let a = self.rng.u64(..);
        let b = self.rng.u64(..);
        let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    /// A message fingerprint for a message sent at `timestamp`: beyond 32 bits, unique.
    pub fn fingerprint(&mut self, timestamp: i64) -> i64 {
        timestamp * 100 + i64::from(self.rng.u8(..100))
    }

    /// The website `id`, created on first use.
    pub fn website(&mut self, id: &str) -> &mut Website {
        if !self.websites.contains_key(id) {
            let operator = self.uuid();
            let site = Website::new(id, &operator);
            self.websites.insert(id.to_owned(), site);
        }
        self.websites.get_mut(id).expect("inserted above")
    }
}

impl Website {
    fn new(id: &str, operator: &str) -> Website {
        let website = json!({
            "website_id": id,
            "name": "Fake website",
            "domain": "fake.crisp.test",
            "logo": "https://fake.crisp.test/logo.png",
            "verified": true,
            "institutional": false,
        });
        Website {
            website: website.as_object().cloned().unwrap_or_default(),
            settings: json!({
                "chatbox": {"locale": "en", "color_theme": "default", "email_visitors": true},
                "emails": {"rating": false, "transcript": true},
                "inbox": {"lock_removal": false}
            }),
            operators: vec![json!({
                "type": "operator",
                "details": {
                    "user_id": operator,
                    "email": "operator@fake.crisp.test",
                    "first_name": "Fake",
                    "last_name": "Operator",
                    "role": "owner",
                    "title": "Support",
                    "availability": "online",
                    "has_token": true
                }
            })],
            conversations: BTreeMap::new(),
            people: BTreeMap::new(),
        }
    }

    /// The first operator's user id.
    pub fn operator_id(&self) -> Option<&str> {
        self.operators.first()?["details"]["user_id"].as_str()
    }
}

/// Merges `patch` into `target` (objects recursively, anything else replaced).
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                merge(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_the_seed() {
        let (mut a, mut b, mut c) = (Store::new(7, 0), Store::new(7, 0), Store::new(8, 0));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(a.uuid(), c.uuid());
        let id = a.uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "{id}");
    }
}
