//! Messages to send: [`NewMessage`], the body of `send_message_in_conversation`, with its content
//! typed per message type.
//!
//! ```
//! use crisp_api::message::{Content, NewMessage, Sender};
//! let hello = NewMessage::text(Sender::Operator, "Hello! How can we help?").stealth(true);
//! assert_eq!(
//!     serde_json::to_value(&hello).unwrap(),
//!     serde_json::json!({"type": "text", "content": "Hello! How can we help?",
//!                        "from": "operator", "origin": "chat", "stealth": true})
//! );
//! let note = NewMessage::note(Sender::Operator, "VIP customer").mentions(vec!["a1b2".into()]);
//! assert!(matches!(note.content, Content::Note(_)));
//! ```

use crate::types;
use serde::{Deserialize, Serialize};

/// Who sends a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    /// The visitor or contact.
    User,
    /// A team member or bot.
    Operator,
}

/// The content of a message, by message type (serialised as `type` plus `content`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "type", content = "content", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Content {
    /// Plain text.
    Text(String),
    /// A private note, visible to operators only.
    Note(String),
    /// A file attachment.
    File(types::MessageFileContent),
    /// An animated image (GIF).
    Animation(types::MessageAnimationContent),
    /// An audio recording.
    Audio(types::MessageAudioContent),
    /// A list of choices the user picks from.
    Picker(types::MessagePickerContent),
    /// A form field the user fills in.
    Field(types::MessageFieldContent),
    /// A carousel of cards with actions.
    Carousel(types::MessageCarouselContent),
    /// A system event shown in the conversation.
    Event(types::MessageEventContent),
}

/// A message to send into a conversation. Build it with [`NewMessage::new`], [`NewMessage::text`]
/// or [`NewMessage::note`], then chain the optional setters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewMessage {
    /// The message type and its content.
    #[serde(flatten)]
    pub content: Content,
    /// Who sends it.
    pub from: Sender,
    /// Where it comes from: `chat` (the default), `email`, or a `urn:` of an integration.
    pub origin: String,
    /// A fingerprint chosen by the caller (Crisp assigns one otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<i64>,
    /// The user shown as the author (nickname, avatar), overriding the token's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<types::MessageUser>,
    /// User ids mentioned in a note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    /// References to other objects (such as helpdesk articles) attached to the message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<types::MessageReference>,
    /// The original message this one was made from (for email messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<types::MessageOriginal>,
    /// Custom properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<serde_json::Map<String, serde_json::Value>>,
    /// When the message was sent, in milliseconds (Crisp uses the current time otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// When true, an operator message is not notified to the user (no email or push).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stealth: Option<bool>,
    /// Whether the content is a translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated: Option<bool>,
    /// Whether a bot or automation sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated: Option<bool>,
}

impl NewMessage {
    /// A message of any type from `from`, with origin `chat`.
    pub fn new(from: Sender, content: Content) -> Self {
        NewMessage {
            content,
            from,
            origin: "chat".to_owned(),
            fingerprint: None,
            user: None,
            mentions: Vec::new(),
            references: Vec::new(),
            original: None,
            properties: None,
            timestamp: None,
            stealth: None,
            translated: None,
            automated: None,
        }
    }

    /// A text message.
    pub fn text(from: Sender, text: impl Into<String>) -> Self {
        Self::new(from, Content::Text(text.into()))
    }

    /// A private note.
    pub fn note(from: Sender, text: impl Into<String>) -> Self {
        Self::new(from, Content::Note(text.into()))
    }

    /// Sets the origin (`chat`, `email` or a `urn:`).
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// Sets the fingerprint.
    pub fn fingerprint(mut self, fingerprint: i64) -> Self {
        self.fingerprint = Some(fingerprint);
        self
    }

    /// Sets the author shown.
    pub fn user(mut self, user: types::MessageUser) -> Self {
        self.user = Some(user);
        self
    }

    /// Sets the mentioned user ids.
    pub fn mentions(mut self, user_ids: Vec<String>) -> Self {
        self.mentions = user_ids;
        self
    }

    /// Sets the references.
    pub fn references(mut self, references: Vec<types::MessageReference>) -> Self {
        self.references = references;
        self
    }

    /// Sets the original message.
    pub fn original(mut self, original: types::MessageOriginal) -> Self {
        self.original = Some(original);
        self
    }

    /// Sets custom properties.
    pub fn properties(mut self, properties: serde_json::Map<String, serde_json::Value>) -> Self {
        self.properties = Some(properties);
        self
    }

    /// Sets the timestamp (milliseconds).
    pub fn timestamp(mut self, millis: i64) -> Self {
        self.timestamp = Some(millis);
        self
    }

    /// Sets the stealth flag.
    pub fn stealth(mut self, stealth: bool) -> Self {
        self.stealth = Some(stealth);
        self
    }

    /// Sets the translated flag.
    pub fn translated(mut self, translated: bool) -> Self {
        self.translated = Some(translated);
        self
    }

    /// Sets the automated flag.
    pub fn automated(mut self, automated: bool) -> Self {
        self.automated = Some(automated);
        self
    }
}
