//! `null` read as empty, in one place: for the envelope's `data` ([`NullAsEmpty`], used by
//! `src/envelope.rs`) and for the generated types' list and map fields ([`null_as_empty`],
//! added by `build.rs`'s post-processing).

use serde::Deserialize;
use serde::de::{self, Deserializer, value::SeqDeserializer};
use std::marker::PhantomData;

/// Reads an explicit `null` as the empty value of a list or map field (see [`NullAsEmpty`]).
pub(crate) fn null_as_empty<'de, De, T>(deserializer: De) -> Result<T, De::Error>
where
    De: Deserializer<'de>,
    T: Deserialize<'de>,
{
    de::DeserializeSeed::deserialize(NullAsEmpty::new(), deserializer)
}

/// A value with `null` read as an empty list or map (Crisp sometimes sends `null` for a list or
/// map it otherwise leaves out); `null` for anything else (an object) is refused. A seed, for
/// the envelope's `data`.
pub(crate) struct NullAsEmpty<D>(PhantomData<D>);

impl<D> NullAsEmpty<D> {
    pub(crate) fn new() -> Self {
        NullAsEmpty(PhantomData)
    }
}

impl<'de, D: Deserialize<'de>> de::DeserializeSeed<'de> for NullAsEmpty<D> {
    type Value = D;

    fn deserialize<De: Deserializer<'de>>(self, deserializer: De) -> Result<D, De::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, D: Deserialize<'de>> de::Visitor<'de> for NullAsEmpty<D> {
    type Value = D;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the payload")
    }

    fn visit_some<De: Deserializer<'de>>(self, deserializer: De) -> Result<D, De::Error> {
        D::deserialize(deserializer)
    }

    fn visit_none<E: de::Error>(self) -> Result<D, E> {
        D::deserialize(Empty)
            .map_err(|_: de::value::Error| E::invalid_type(de::Unexpected::Unit, &"data"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<D, E> {
        self.visit_none()
    }
}

/// A deserializer of nothing: an empty list or map when one is asked for, else a unit value
/// (which a struct refuses).
struct Empty;

impl<'de> Deserializer<'de> for Empty {
    type Error = de::value::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_seq<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(SeqDeserializer::new(std::iter::empty::<()>()))
    }

    fn deserialize_map<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(de::value::MapDeserializer::new(
            std::iter::empty::<((), ())>(),
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct tuple tuple_struct struct enum identifier
        ignored_any
    }
}
