//! Integers as Crisp may send them: Crisp's servers run Node, where every number is a double,
//! and some fields arrive as strings (`"fingerprint": "163408415314923"`) or in float notation
//! (`1.63408415314923e14`). An integer field of a generated type reads a JSON integer, a float
//! or a string **when the value is an exact integer that fits** (a float within ±2⁵³, where
//! doubles are exact); anything else, such as `1e21` for an `i64` or `"12abc"`, is still an
//! error. `codegen/extend.rs` (`harden`) puts [`integer`] on every integer field.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The largest integer a double holds exactly (JavaScript's `Number.MAX_SAFE_INTEGER`).
const EXACT: f64 = 9_007_199_254_740_991.0;

/// Deserialises an integer field (`i64`, `u32`, `Option<i64>`, …) leniently (see the module).
pub(crate) fn integer<'de, D: Deserializer<'de>, T: Integer>(d: D) -> Result<T, D::Error> {
    T::read(d)
}

/// An integer type [`integer`] reads.
pub(crate) trait Integer: Sized {
    /// Reads `Self` from `d`.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

impl<T: Integer> Integer for Option<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Opt<T>(PhantomData<T>);
        impl<'de, T: Integer> Visitor<'de> for Opt<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                T::read(d).map(Some)
            }
        }
        d.deserialize_option(Opt(PhantomData))
    }
}

struct Exact<T>(PhantomData<T>);

impl<'de, T: TryFrom<i64> + TryFrom<u64>> Visitor<'de> for Exact<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer fitting {}", std::any::type_name::<T>())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        if v.fract() == 0.0 && v.abs() <= EXACT {
            // Exact and within ±2⁵³, so the cast is exact too.
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let text = v.trim();
        if let Ok(n) = text.parse::<i64>() {
            self.visit_i64(n)
        } else if let Ok(n) = text.parse::<u64>() {
            self.visit_u64(n)
        } else if let Ok(n) = text.parse::<f64>() {
            self.visit_f64(n)
        } else {
            Err(E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Integer for $t {
            fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(Exact::<$t>(PhantomData))
            }
        }
    )*};
}
integers!(i8, i16, i32, i64, u8, u16, u32, u64);

/// A JSON value as an `i64` when it is one exactly (an integer, an integral float within ±2⁵³,
/// or such a number in a string).
pub(crate) fn as_i64(value: &serde_json::Value) -> Option<i64> {
    <i64 as Integer>::read(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(deserialize_with = "integer")]
        n: i64,
        #[serde(default, deserialize_with = "integer")]
        o: Option<u32>,
    }

    fn read(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn exact_integers_are_read_whatever_their_notation() {
        let want = |n, o| T { n, o };
        assert_eq!(read(r#"{"n":5}"#).unwrap(), want(5, None));
        assert_eq!(
            read(r#"{"n":"163408415314923","o":"7"}"#).unwrap(),
            want(163408415314923, Some(7))
        );
        assert_eq!(
            read(r#"{"n":1.63408415314923e14,"o":null}"#).unwrap(),
            want(163408415314923, None)
        );
        assert_eq!(read(r#"{"n":-3.0,"o":2}"#).unwrap(), want(-3, Some(2)));
    }

    #[test]
    fn inexact_or_out_of_range_values_are_refused() {
        for json in [
            r#"{"n":1e21}"#,
            r#"{"n":1.5}"#,
            r#"{"n":"12abc"}"#,
            r#"{"n":"1e21"}"#,
            r#"{"n":true}"#,
            r#"{"n":5,"o":-1}"#,
            r#"{"n":5,"o":"4294967296"}"#,
        ] {
            assert!(read(json).is_err(), "{json}");
        }
    }

    #[test]
    fn values_read_as_i64() {
        assert_eq!(as_i64(&serde_json::json!("12")), Some(12));
        assert_eq!(as_i64(&serde_json::json!(12.0)), Some(12));
        assert_eq!(as_i64(&serde_json::json!(1e21)), None);
    }
}
