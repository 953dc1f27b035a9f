//! Identifiers parsed once at the boundary (gRPC conversion, importers), so that the engine
//! and the store only ever see valid ones.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::vocabulary::Platform;

/// Longest account or follower id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 128;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {MAX_ID_BYTES} bytes, got {0}")]
    TooLong(usize),
    #[error("must not contain control characters")]
    ControlCharacter,
}

fn check_id(raw: &str) -> Result<(), IdError> {
    if raw.trim().is_empty() {
        return Err(IdError::Empty);
    }
    if raw.len() > MAX_ID_BYTES {
        return Err(IdError::TooLong(raw.len()));
    }
    if raw.chars().any(char::is_control) {
        return Err(IdError::ControlCharacter);
    }
    Ok(())
}

/// The company account whose followers are scored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountId(String);

impl AccountId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        check_id(raw)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A follower's id, stable per platform. A clone shares the text rather than copying it: a
/// write hands a follower's key to its op, its staged record, the store's change and the
/// listing, and a rescoring pass does so for every follower. Stored as the text alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FollowerId(Arc<str>);

/// Read as the derived form of a newtype over the text would read it, but into one
/// allocation: serde's `Arc<str>` would read a `Box<str>` first and copy it (every record a
/// rescoring pass reads holds two follower ids).
impl<'de> Deserialize<'de> for FollowerId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = FollowerId;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a follower id")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<FollowerId, E> {
                Ok(FollowerId(text.into()))
            }

            fn visit_newtype_struct<D: serde::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<FollowerId, D::Error> {
                deserializer.deserialize_str(Text)
            }
        }
        deserializer.deserialize_newtype_struct("FollowerId", Text)
    }
}

impl FollowerId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        check_id(raw)?;
        Ok(Self(raw.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FollowerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A follower is identified by platform and id: the same person on two platforms is two
/// followers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FollowerKey {
    pub platform: Platform,
    pub id: FollowerId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert_eq!(FollowerId::parse(""), Err(IdError::Empty));
        assert_eq!(FollowerId::parse("  "), Err(IdError::Empty));
        assert_eq!(FollowerId::parse("a\nb"), Err(IdError::ControlCharacter));
        assert_eq!(
            AccountId::parse(&"x".repeat(129)),
            Err(IdError::TooLong(129))
        );
        assert_eq!(AccountId::parse("acme-corp").unwrap().as_str(), "acme-corp");
    }

    /// Shared text is stored exactly as the owned text of earlier releases was.
    #[test]
    fn a_follower_id_is_stored_as_its_text() {
        #[derive(Serialize, Deserialize)]
        struct EarlierFollowerId(String);
        let id = FollowerId::parse("1460339488251904001").unwrap();
        let earlier = EarlierFollowerId("1460339488251904001".into());
        let bytes = postcard::to_stdvec(&id).unwrap();
        assert_eq!(bytes, postcard::to_stdvec(&earlier).unwrap());
        assert_eq!(postcard::from_bytes::<FollowerId>(&bytes).unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, serde_json::to_string(&earlier).unwrap());
        assert_eq!(serde_json::from_str::<FollowerId>(&json).unwrap(), id);
        // Inside a record, as postcard reads it from a buffer it does not borrow.
        let key = FollowerKey {
            platform: Platform::Twitter,
            id: id.clone(),
        };
        let mut reader = &postcard::to_stdvec(&key).unwrap()[..];
        let (read, _) = postcard::from_io::<FollowerKey, _>((&mut reader, &mut [0; 64])).unwrap();
        assert_eq!(read, key);
        let copy = id.clone();
        assert!(
            std::ptr::eq(copy.as_str(), id.as_str()),
            "a clone shares the text"
        );
    }
}
