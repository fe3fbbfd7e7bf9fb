//! Crisp's response envelope, one generic type for every operation. progenitor gives each
//! operation its own envelope struct; `build.rs` (`codegen/extend.rs`, `share_envelopes`)
//! replaces them with aliases of [`Envelope`] and [`Ack`], so that some 250 near-identical
//! types are not each derived, type-checked and compiled.

use serde::de::{self, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// What decoding says of an envelope with `error: true` (the SDK then reads the body as
/// Crisp's error, keeping its reason and message).
const REFUSED: &str = "the envelope says `error: true`";

/// Crisp's answer carrying a payload: `{"error": false, "reason": "…", "data": …}`.
///
/// Decoding refuses an envelope that says `error: true` (a call then fails with
/// [`Error::Api`](crate::Error::Api), Crisp's reason and message), and reads a `null` list or
/// map as empty; a `null` object is refused.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Envelope<D> {
    /// `false` in a decoded envelope.
    pub error: bool,
    /// Crisp's reason, such as `resolved` or `added`.
    pub reason: String,
    /// The payload.
    pub data: D,
}

/// Crisp's answer without a payload: `{"error": false, "reason": "…"}` (any `data` is ignored).
/// Decoding refuses `error: true`, as for [`Envelope`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Ack {
    /// `false` in a decoded envelope.
    pub error: bool,
    /// Crisp's reason, such as `updated` or `deleted`.
    pub reason: String,
}

/// An envelope without a payload as sent.
#[derive(Deserialize)]
struct AckWire {
    error: bool,
    reason: String,
}

impl<'de, D: Deserialize<'de>> Deserialize<'de> for Envelope<D> {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

/// Decodes an [`Envelope`] field by field, the payload straight into its place (a derived
/// decoder of a wire struct, then `Option<D>`, would move a large payload several times).
struct EnvelopeVisitor<D>(PhantomData<D>);

impl<'de, D: Deserialize<'de>> de::Visitor<'de> for EnvelopeVisitor<D> {
    type Value = Envelope<D>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Crisp's envelope (`error`, `reason`, `data`)")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Envelope<D>, A::Error> {
        let (mut error, mut reason, mut data) = (None, None, None);
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Error if error.is_none() => error = Some(map.next_value()?),
                Field::Reason if reason.is_none() => reason = Some(map.next_value()?),
                Field::Data if data.is_none() => {
                    data = Some(map.next_value_seed(crate::nullable::NullAsEmpty::new())?)
                }
                Field::Error => return Err(A::Error::duplicate_field("error")),
                Field::Reason => return Err(A::Error::duplicate_field("reason")),
                Field::Data => return Err(A::Error::duplicate_field("data")),
                Field::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let error = error.ok_or_else(|| A::Error::missing_field("error"))?;
        if error {
            return Err(A::Error::custom(REFUSED));
        }
        Ok(Envelope {
            error,
            reason: reason.ok_or_else(|| A::Error::missing_field("reason"))?,
            data: data.ok_or_else(|| A::Error::missing_field("data"))?,
        })
    }
}

/// An envelope's field name.
enum Field {
    Error,
    Reason,
    Data,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        struct Name;
        impl de::Visitor<'_> for Name {
            type Value = Field;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                Ok(match name {
                    "error" => Field::Error,
                    "reason" => Field::Reason,
                    "data" => Field::Data,
                    _ => Field::Other,
                })
            }
        }
        deserializer.deserialize_identifier(Name)
    }
}

impl<'de> Deserialize<'de> for Ack {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        let AckWire { error, reason } = AckWire::deserialize(deserializer)?;
        if error {
            return Err(De::Error::custom(REFUSED));
        }
        Ok(Self { error, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Thing {
        id: u32,
    }

    #[test]
    fn payloads_decode_and_null_lists_and_maps_read_as_empty() {
        let e: Envelope<Thing> =
            serde_json::from_str(r#"{"error":false,"reason":"resolved","data":{"id":7}}"#).unwrap();
        assert_eq!((e.reason.as_str(), e.data.id), ("resolved", 7));
        let e: Envelope<Vec<Thing>> =
            serde_json::from_str(r#"{"error":false,"reason":"listed","data":null}"#).unwrap();
        assert!(e.data.is_empty());
        let e: Envelope<HashMap<String, u32>> =
            serde_json::from_str(r#"{"data":null,"error":false,"reason":"listed"}"#).unwrap();
        assert!(e.data.is_empty());
    }

    #[test]
    fn null_objects_missing_data_and_error_true_are_refused() {
        let null = serde_json::from_str::<Envelope<Thing>>(
            r#"{"error":false,"reason":"resolved","data":null}"#,
        );
        assert!(null.is_err());
        let missing =
            serde_json::from_str::<Envelope<Vec<Thing>>>(r#"{"error":false,"reason":"x"}"#);
        assert!(missing.is_err());
        for body in [
            r#"{"error":true,"reason":"not_found","data":{"id":1}}"#,
            r#"{"data":{"id":1},"reason":"not_found","error":true}"#,
        ] {
            let e = serde_json::from_str::<Envelope<Thing>>(body).unwrap_err();
            assert!(e.to_string().contains("error: true"), "{e}");
        }
        let e =
            serde_json::from_str::<Ack>(r#"{"error":true,"reason":"x","data":{"message":"m"}}"#)
                .unwrap_err();
        assert!(e.to_string().contains("error: true"), "{e}");
    }

    #[test]
    fn acks_ignore_any_data() {
        for body in [
            r#"{"error":false,"reason":"updated"}"#,
            r#"{"error":false,"reason":"updated","data":[1,2]}"#,
            r#"{"error":false,"reason":"updated","data":"text"}"#,
        ] {
            let ack: Ack = serde_json::from_str(body).unwrap();
            assert_eq!(ack.reason, "updated");
        }
    }
}
