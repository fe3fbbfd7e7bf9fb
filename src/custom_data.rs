//! `DataValue`: one custom data value (the spec's `DataValue` schema), decoded in one pass.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use std::fmt;

/// One custom data value: a string, a boolean, an integer or a decimal number. Integers stay
/// integers when read and sent back.
///
/// Also `crisp_api::types::DataValue`. Decoding reads the JSON token once: an integer becomes
/// [`DataValue::Int64`] (one beyond the range of `i64` becomes [`DataValue::Double`]), a
/// number with a fraction or an exponent [`DataValue::Double`]. `null`, lists and objects are
/// not custom data values and fail to decode.
#[derive(Clone, Debug, PartialEq)]
pub enum DataValue {
    /// A string.
    String(String),
    /// A boolean.
    Boolean(bool),
    /// An integer.
    Int64(i64),
    /// A decimal number.
    Double(f64),
}

impl From<&DataValue> for DataValue {
    fn from(value: &DataValue) -> Self {
        value.clone()
    }
}

impl From<String> for DataValue {
    fn from(value: String) -> Self {
        DataValue::String(value)
    }
}

impl From<&str> for DataValue {
    fn from(value: &str) -> Self {
        DataValue::String(value.to_owned())
    }
}

impl From<bool> for DataValue {
    fn from(value: bool) -> Self {
        DataValue::Boolean(value)
    }
}

impl From<i64> for DataValue {
    fn from(value: i64) -> Self {
        DataValue::Int64(value)
    }
}

impl From<f64> for DataValue {
    fn from(value: f64) -> Self {
        DataValue::Double(value)
    }
}

impl Serialize for DataValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DataValue::String(v) => s.serialize_str(v),
            DataValue::Boolean(v) => s.serialize_bool(*v),
            DataValue::Int64(v) => s.serialize_i64(*v),
            DataValue::Double(v) => s.serialize_f64(*v),
        }
    }
}

impl<'de> Deserialize<'de> for DataValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl Visitor<'_> for ValueVisitor {
            type Value = DataValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a boolean, an integer or a decimal number")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<DataValue, E> {
                Ok(DataValue::Boolean(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DataValue, E> {
                Ok(DataValue::Int64(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DataValue, E> {
                Ok(match i64::try_from(v) {
                    Ok(v) => DataValue::Int64(v),
                    // Beyond int64: the nearest decimal number, as before.
                    Err(_) => DataValue::Double(v as f64),
                })
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DataValue, E> {
                Ok(DataValue::Double(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DataValue, E> {
                Ok(DataValue::String(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<DataValue, E> {
                Ok(DataValue::String(v))
            }
        }

        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for DataValue {
    fn schema_name() -> String {
        "DataValue".to_owned()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = schemars::schema::SchemaObject {
            subschemas: Some(Box::new(schemars::schema::SubschemaValidation {
                any_of: Some(vec![
                    generator.subschema_for::<String>(),
                    generator.subschema_for::<bool>(),
                    generator.subschema_for::<i64>(),
                    generator.subschema_for::<f64>(),
                ]),
                ..Default::default()
            })),
            ..Default::default()
        };
        schema.metadata().description = Some(
            "One custom data value: a string, a boolean, an integer or a decimal number."
                .to_owned(),
        );
        schema.into()
    }
}

#[cfg(test)]
mod tests {
    use super::DataValue;
    use std::collections::HashMap;

    #[test]
    fn values_decode_in_one_pass_and_serialise_back_identically() {
        let json = r#"{"s":"pro","t":true,"f":false,"i":25,"n":-3,"d":249.5,"e":1e3,"z":2.0,"big":18446744073709551615}"#;
        let data: HashMap<String, DataValue> = serde_json::from_str(json).unwrap();
        assert_eq!(data["s"], DataValue::String("pro".into()));
        assert_eq!(data["t"], DataValue::Boolean(true));
        assert_eq!(data["f"], DataValue::Boolean(false));
        assert_eq!(data["i"], DataValue::Int64(25));
        assert_eq!(data["n"], DataValue::Int64(-3));
        assert_eq!(data["d"], DataValue::Double(249.5));
        assert_eq!(data["e"], DataValue::Double(1000.0));
        assert_eq!(data["z"], DataValue::Double(2.0));
        assert_eq!(data["big"], DataValue::Double(u64::MAX as f64));
        let back: serde_json::Value = serde_json::to_value(&data).unwrap();
        let original: serde_json::Value = serde_json::from_str(json).unwrap();
        for key in ["s", "t", "f", "i", "n", "d"] {
            assert_eq!(back[key], original[key], "{key}");
        }
        assert_eq!(serde_json::to_string(&DataValue::Int64(25)).unwrap(), "25");
        assert_eq!(
            serde_json::to_string(&DataValue::Double(2.0)).unwrap(),
            "2.0"
        );
        assert_eq!(
            serde_json::to_string(&DataValue::String("a\"b".into())).unwrap(),
            r#""a\"b""#
        );
    }

    #[test]
    fn null_lists_and_objects_are_not_values() {
        for json in ["null", "[1]", r#"{"a":1}"#] {
            let e = serde_json::from_str::<DataValue>(json).unwrap_err();
            assert!(e.to_string().contains("a string, a boolean"), "{e}");
        }
    }

    #[test]
    fn values_read_from_json_values_too() {
        let v = serde_json::json!({"a": 1, "b": "x", "c": 1.5, "d": true});
        let data: HashMap<String, DataValue> = serde_json::from_value(v).unwrap();
        assert_eq!(data["a"], DataValue::Int64(1));
        assert_eq!(data["c"], DataValue::Double(1.5));
    }
}
