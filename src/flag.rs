//! `Flag`: a boolean that Crisp reads as `1`/`0` in query strings.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A boolean query flag, sent as `1` or `0`. Build it from a `bool`:
/// `client.list_conversations().filter_unread(true)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flag(pub bool);

impl From<bool> for Flag {
    fn from(value: bool) -> Self {
        Flag(value)
    }
}

impl From<Flag> for bool {
    fn from(value: Flag) -> Self {
        value.0
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "1" } else { "0" })
    }
}

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(u8::from(self.0))
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Bool(bool),
            Int(u64),
            Text(String),
        }
        match Repr::deserialize(d)? {
            Repr::Bool(b) => Ok(Flag(b)),
            Repr::Int(n) => Ok(Flag(n != 0)),
            Repr::Text(t) => match t.as_str() {
                "1" | "true" => Ok(Flag(true)),
                "0" | "false" => Ok(Flag(false)),
                other => Err(serde::de::Error::custom(format!("not a flag: {other}"))),
            },
        }
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Flag {
    fn schema_name() -> String {
        "Flag".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::Integer.into()),
            enum_values: Some(vec![0.into(), 1.into()]),
            ..Default::default()
        };
        schema.metadata().description = Some("A boolean flag sent as 1 or 0.".to_owned());
        schema.into()
    }
}

#[cfg(test)]
mod tests {
    use super::Flag;

    #[test]
    fn flags_are_ones_and_zeros() {
        assert_eq!(serde_json::to_string(&Flag(true)).unwrap(), "1");
        assert_eq!(Flag(false).to_string(), "0");
        assert_eq!(serde_json::from_str::<Flag>("true").unwrap(), Flag(true));
        assert_eq!(serde_json::from_str::<Flag>("0").unwrap(), Flag(false));
        assert!(serde_json::from_str::<Flag>("\"maybe\"").is_err());
    }
}
