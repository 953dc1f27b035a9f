//! Key and value layouts in Redis.
//!
//! Every key of an account carries the hash tag `{namespace/account}`, so the whole account
//! lives in one hash slot: a write is one Lua script on one primary, atomic, and accounts
//! spread over the cluster's slots. An account has a fixed set of keys (below), so deleting
//! it is one script too, whatever its size.
//!
//! - `{ns/a}:v` hash: `config` (configuration version), `lead` (lead model version in
//!   force), `gen` (the account's write counter; each write's revision), `swept` (the last
//!   day a whole daily sweep ended within, by any replica).
//! - `{ns/a}:config` string: the configuration (format byte, postcard; `codec.rs`).
//! - `{ns/a}:r` hash: follower → revision (8 bytes, big-endian) then the record.
//! - `{ns/a}:k` sorted set: every follower, all at score 0, so `ZRANGEBYLEX` walks them in
//!   key order (rescoring passes, recounts).
//! - `{ns/a}:e` hash: follower → its ledger (frames, below).
//! - `{ns/a}:o` hash: follower → its deal's outcomes (frames).
//! - `{ns/a}:q` hash: follower → features frozen when its deal began.
//! - `{ns/a}:u` hash: outcome id → that it was recorded (no follower in it).
//! - `{ns/a}:m` hash: `current` → the lead model in force; its version → each model.
//! - `{ns/a}:a` hash: the counters (`counter_field`), `fresh_stamp`.
//! - `{ns/a}:d` hash: the day counters (`counter_field`).
//! - `{ns/a}:lease` string: which replica runs the account's rescoring pass.
//! - `{ns/a}:l` sorted set: the listing, every current follower's entry at score 0
//!   (`service::listing::Entry`: entries sort by lead score, then follower).
//! - `ns:accounts` set: the account ids (in a slot of its own; written before an account's
//!   keys and removed after them, so it may name an account being created or deleted).
//!
//! A follower is `platform byte, id bytes`, so byte order is key order, as in sled.

use crate::engine::counting::aggregates::Counter;
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::vocabulary::Platform;

/// The keys of one account, in the order the scripts take them (`KEYS[1]` … `KEYS[13]`).
#[derive(Debug, Clone)]
pub struct AccountKeys {
    pub versions: String,
    pub records: String,
    pub order: String,
    pub ledgers: String,
    pub outcomes: String,
    pub frozen: String,
    pub seen: String,
    pub models: String,
    pub counters: String,
    pub days: String,
    pub config: String,
    pub lease: String,
    pub listing: String,
}

impl AccountKeys {
    pub fn new(namespace: &str, account: &AccountId) -> Self {
        let tag = format!("{{{namespace}/{}}}", account.as_str());
        let key = |suffix: &str| format!("{tag}:{suffix}");
        Self {
            versions: key("v"),
            records: key("r"),
            order: key("k"),
            ledgers: key("e"),
            outcomes: key("o"),
            frozen: key("q"),
            seen: key("u"),
            models: key("m"),
            counters: key("a"),
            days: key("d"),
            config: key("config"),
            lease: key("lease"),
            listing: key("l"),
        }
    }

    /// Every key a write or a deletion may touch, as the scripts number them.
    pub fn all(&self) -> [&str; 13] {
        [
            &self.versions,
            &self.records,
            &self.order,
            &self.ledgers,
            &self.outcomes,
            &self.frozen,
            &self.seen,
            &self.models,
            &self.counters,
            &self.days,
            &self.config,
            &self.lease,
            &self.listing,
        ]
    }
}

/// The set of account ids of a namespace.
pub fn registry_key(namespace: &str) -> String {
    format!("{namespace}:accounts")
}

pub fn follower_field(key: &FollowerKey) -> Vec<u8> {
    let id = key.id.as_str().as_bytes();
    let mut out = Vec::with_capacity(1 + id.len());
    out.push(key.platform.index() as u8);
    out.extend_from_slice(id);
    out
}

pub fn follower_of_field(field: &[u8]) -> Option<FollowerKey> {
    let (platform, id) = field.split_first()?;
    Some(FollowerKey {
        platform: Platform::ALL.get(usize::from(*platform)).copied()?,
        id: FollowerId::parse(std::str::from_utf8(id).ok()?).ok()?,
    })
}

/// A `ZRANGEBYLEX` bound just after `field` (exclusive), or the start.
pub fn lex_after(field: Option<&[u8]>) -> Vec<u8> {
    match field {
        Some(field) => [b"(".as_slice(), field].concat(),
        None => b"-".to_vec(),
    }
}

/// The revision prefix of a stored record.
pub const REVISION_BYTES: usize = 8;

/// Splits a stored record into its revision and the record.
pub fn split_revision(value: &[u8]) -> Option<(u64, &[u8])> {
    let (revision, record) = value.split_at_checked(REVISION_BYTES)?;
    Some((u64::from_be_bytes(revision.try_into().ok()?), record))
}

/// A revision as the write script compares it (8 bytes big-endian; empty: not stored).
pub fn revision_bytes(revision: u64) -> Vec<u8> {
    if revision == 0 {
        Vec::new()
    } else {
        revision.to_be_bytes().to_vec()
    }
}

/// Appends one `(id, value)` frame: u16 id length, id, u32 value length, value. A
/// follower's ledger and its outcomes are sequences of frames in one hash field, so adding
/// one is an append inside the write script.
pub fn frame(id: &str, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(6 + id.len() + value.len());
    out.extend_from_slice(&(id.len() as u16).to_be_bytes());
    out.extend_from_slice(id.as_bytes());
    out.extend_from_slice(&(value.len() as u32).to_be_bytes());
    out.extend_from_slice(value);
    out
}

/// The frames of a field, in the order they were appended; `None` if they do not parse.
pub fn frames(mut bytes: &[u8]) -> Option<Vec<(String, &[u8])>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_at_checked(2)?;
        let (id, rest) =
            rest.split_at_checked(usize::from(u16::from_be_bytes(len.try_into().ok()?)))?;
        let (len, rest) = rest.split_at_checked(4)?;
        let (value, rest) =
            rest.split_at_checked(u32::from_be_bytes(len.try_into().ok()?) as usize)?;
        out.push((String::from_utf8(id.to_vec()).ok()?, value));
        bytes = rest;
    }
    Some(out)
}

/// Which hash a counter lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterHash {
    Counters,
    Days,
}

/// A counter's hash and field: `s`, `fresh`, `c:p:i` (category), `t:p:i` (tier), `x:p:i`
/// (action), `w:p:i` (win millionths); days `p:day:f:i`, `p:day:u:i`, `p:day:e`.
pub fn counter_field(counter: Counter) -> (CounterHash, String) {
    use CounterHash::{Counters, Days};
    match counter {
        Counter::Stored => (Counters, "s".into()),
        Counter::Fresh => (Counters, "fresh".into()),
        Counter::ByCategory(p, i) => (Counters, format!("c:{}:{i}", p.index())),
        Counter::ByTier(p, i) => (Counters, format!("t:{}:{i}", p.index())),
        Counter::ByAction(p, i) => (Counters, format!("x:{}:{i}", p.index())),
        Counter::WinMicros(p, i) => (Counters, format!("w:{}:{i}", p.index())),
        Counter::Follows((p, day), i) => (Days, format!("{}:{day}:f:{i}", p.index())),
        Counter::Unfollows((p, day), i) => (Days, format!("{}:{day}:u:{i}", p.index())),
        Counter::LastEngaged((p, day), _) => (Days, format!("{}:{day}:e", p.index())),
    }
}

/// The counter a field names (the inverse of `counter_field`); `None` for other fields.
pub fn counter_of_field(hash: CounterHash, field: &str) -> Option<Counter> {
    let parts: Vec<&str> = field.split(':').collect();
    let platform = |s: &str| Platform::ALL.get(s.parse::<usize>().ok()?).copied();
    let index = |s: &str| s.parse::<usize>().ok();
    match (hash, parts.as_slice()) {
        (CounterHash::Counters, ["s"]) => Some(Counter::Stored),
        (CounterHash::Counters, ["fresh"]) => Some(Counter::Fresh),
        (CounterHash::Counters, [kind, p, i]) => {
            let (p, i) = (platform(p)?, index(i)?);
            match *kind {
                "c" => Some(Counter::ByCategory(p, i)),
                "t" => Some(Counter::ByTier(p, i)),
                "x" => Some(Counter::ByAction(p, i)),
                "w" => Some(Counter::WinMicros(p, i)),
                _ => None,
            }
        }
        (CounterHash::Days, [p, day, "e"]) => {
            Some(Counter::LastEngaged((platform(p)?, day.parse().ok()?), 0))
        }
        (CounterHash::Days, [p, day, kind, i]) => {
            let day = (platform(p)?, day.parse().ok()?);
            let i = index(i)?;
            match *kind {
                "f" => Some(Counter::Follows(day, i)),
                "u" => Some(Counter::Unfollows(day, i)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vocabulary::{ACTION_COUNT, CATEGORY_COUNT, TIER_COUNT};

    #[test]
    fn every_counter_field_names_its_counter_back() {
        let mut counters = vec![Counter::Stored, Counter::Fresh];
        for p in Platform::ALL {
            for i in 0..CATEGORY_COUNT {
                counters.push(Counter::ByCategory(*p, i));
                counters.push(Counter::WinMicros(*p, i));
                counters.push(Counter::Follows((*p, -3), i));
                counters.push(Counter::Unfollows((*p, 20_000), i));
            }
            counters.extend((0..TIER_COUNT).map(|i| Counter::ByTier(*p, i)));
            counters.extend((0..ACTION_COUNT).map(|i| Counter::ByAction(*p, i)));
            counters.push(Counter::LastEngaged((*p, 19_999), 0));
        }
        for counter in counters {
            let (hash, field) = counter_field(counter);
            assert_eq!(counter_of_field(hash, &field), Some(counter), "{field}");
        }
        assert_eq!(counter_of_field(CounterHash::Counters, "fresh_stamp"), None);
    }

    #[test]
    fn frames_read_back_in_order_and_damage_is_refused() {
        let bytes = [frame("e1", b"one"), frame("e-2", b"")].concat();
        let read = frames(&bytes).unwrap();
        assert_eq!(
            read,
            vec![("e1".into(), &b"one"[..]), ("e-2".into(), &b""[..])]
        );
        assert!(frames(&bytes[..bytes.len() - 1]).is_none());
    }

    #[test]
    fn follower_fields_sort_like_follower_keys() {
        let a = FollowerKey {
            platform: Platform::ALL[0],
            id: FollowerId::parse("b").unwrap(),
        };
        let b = FollowerKey {
            platform: Platform::ALL[1],
            id: FollowerId::parse("a").unwrap(),
        };
        assert!(a < b && follower_field(&a) < follower_field(&b));
        assert_eq!(follower_of_field(&follower_field(&b)), Some(b));
    }
}
