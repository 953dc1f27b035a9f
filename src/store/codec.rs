//! Value encoding: one format-version byte, then postcard.
//!
//! The version byte lets a later release recognise and migrate values written by this one;
//! key layouts are versioned by the tree names (`keys.rs`).

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;

/// Format of every value this release writes.
pub const VALUE_FORMAT_VERSION: u8 = 1;

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![VALUE_FORMAT_VERSION];
    postcard::to_io(value, &mut bytes).map_err(StoreError::Encode)?;
    Ok(bytes)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&VALUE_FORMAT_VERSION, rest)) => {
            postcard::from_bytes(rest).map_err(StoreError::Decode)
        }
        Some((&version, _)) => Err(StoreError::UnknownFormat(version)),
        None => Err(StoreError::UnknownFormat(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_with_their_version() {
        let bytes = encode(&("acme", 42u64)).unwrap();
        assert_eq!(bytes[0], VALUE_FORMAT_VERSION);
        assert_eq!(
            decode::<(String, u64)>(&bytes).unwrap(),
            ("acme".to_owned(), 42)
        );
        let mut future = bytes.clone();
        future[0] = 9;
        assert!(matches!(
            decode::<(String, u64)>(&future),
            Err(StoreError::UnknownFormat(9))
        ));
    }
}
