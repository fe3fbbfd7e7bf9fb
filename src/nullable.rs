//! Decoding help for the generated types (used by `build.rs`'s post-processing).

use serde::{Deserialize, Deserializer};

/// Reads an explicit `null` as the empty value: Crisp sometimes sends `null` for a list or map
/// it otherwise leaves out.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
