//! Key layouts. Every key of an account lives in that account's own tree, so one
//! `apply_batch` updates a follower, its index entries, its events and the aggregates
//! atomically, and deleting an account drops one tree.
//!
//! Tree names carry the key format version (`v1/…`); a release that changes a layout writes
//! new trees and migrates.
//!
//! Account tree layout (one byte tag, then fields; ids are at most 128 bytes):
//! - `M`                                        → aggregates (counters, version stamp)
//! - `D` platform day(i64, order-preserving BE) → one day's counts
//! - `F` platform id                            → follower record (profile + result)
//! - `E` platform len(id) id event_id           → engagement ledger entry
//! - `K`                                        → next unused key slot (`erasure.rs`)
//! - `Z` slot(u32 BE)                           → a forgotten follower's key, to shred
//! - `O` platform len(id) id outcome_id         → a CRM outcome of the follower's deal
//! - `Q` platform id                            → the follower's features frozen at its deal
//! - `U` outcome_id                             → an outcome seen (idempotency; no follower id)
//! - `L`                                        → the lead model in force
//! - `V` version(u64 BE)                        → every lead model version (for pinning)
//!
//! A follower record's value is sealed with the follower's own key (`erasure.rs`); every
//! other value is plain (format byte, postcard).
//!
//! Releases before this one also kept a listing index under `I`; `Store::open` removes it
//! (the index lives in memory now, `service::listing`).

use crate::engine::ids::FollowerKey;
use crate::engine::vocabulary::Platform;

pub const ACCOUNTS_TREE: &[u8] = b"v1/accounts";
const ACCOUNT_TREE_PREFIX: &[u8] = b"v1/account/";

pub const AGGREGATES_KEY: &[u8] = b"M";
pub const DAY_TAG: u8 = b'D';
pub const FOLLOWER_TAG: u8 = b'F';
pub const EVENT_TAG: u8 = b'E';
/// The next unused key slot of the account's keyring.
pub const NEXT_SLOT_KEY: &[u8] = b"K";
/// Keys of forgotten followers that are still to be shredded.
pub const SHRED_TAG: u8 = b'Z';
pub const OUTCOME_TAG: u8 = b'O';
pub const FROZEN_TAG: u8 = b'Q';
pub const OUTCOME_SEEN_TAG: u8 = b'U';
pub const LEAD_MODEL_KEY: &[u8] = b"L";
/// The last day a whole daily sweep ended within (8 bytes, big-endian).
pub const SWEPT_DAY_KEY: &[u8] = b"S";
pub const LEAD_MODEL_VERSION_TAG: u8 = b'V';
/// Listing index keys of earlier releases, removed at open.
pub const LEGACY_INDEX_TAG: u8 = b'I';

pub fn account_tree_name(account_id: &str) -> Vec<u8> {
    [ACCOUNT_TREE_PREFIX, account_id.as_bytes()].concat()
}

/// The account id a tree name belongs to, for trees this store created.
pub fn account_of_tree(name: &[u8]) -> Option<&[u8]> {
    name.strip_prefix(ACCOUNT_TREE_PREFIX)
}

pub fn platform_byte(platform: Platform) -> u8 {
    platform.index() as u8
}

pub fn platform_from_byte(byte: u8) -> Option<Platform> {
    Platform::ALL.get(usize::from(byte)).copied()
}

/// Signed days sort correctly as unsigned big-endian once the sign bit is flipped.
fn day_bytes(day: i64) -> [u8; 8] {
    ((day as u64) ^ (1 << 63)).to_be_bytes()
}

fn day_from_bytes(bytes: [u8; 8]) -> i64 {
    (u64::from_be_bytes(bytes) ^ (1 << 63)) as i64
}

pub fn day_key(platform: Platform, day: i64) -> Vec<u8> {
    let mut key = Vec::with_capacity(10);
    key.push(DAY_TAG);
    key.push(platform_byte(platform));
    key.extend_from_slice(&day_bytes(day));
    key
}

pub fn parse_day_key(key: &[u8]) -> Option<(Platform, i64)> {
    match key {
        [DAY_TAG, platform, rest @ ..] if rest.len() == 8 => {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(rest);
            Some((platform_from_byte(*platform)?, day_from_bytes(bytes)))
        }
        _ => None,
    }
}

pub fn follower_key(key: &FollowerKey) -> Vec<u8> {
    tagged_follower(FOLLOWER_TAG, key)
}

/// The follower's features frozen when its deal was first recorded.
pub fn frozen_key(key: &FollowerKey) -> Vec<u8> {
    tagged_follower(FROZEN_TAG, key)
}

fn tagged_follower(tag: u8, key: &FollowerKey) -> Vec<u8> {
    let id = key.id.as_str().as_bytes();
    let mut out = Vec::with_capacity(2 + id.len());
    out.push(tag);
    out.push(platform_byte(key.platform));
    out.extend_from_slice(id);
    out
}

/// The follower a `tag platform id` key names.
pub fn follower_of(tag: u8, raw: &[u8]) -> Option<FollowerKey> {
    match raw {
        [t, platform, id @ ..] if *t == tag => Some(FollowerKey {
            platform: platform_from_byte(*platform)?,
            id: crate::engine::ids::FollowerId::parse(std::str::from_utf8(id).ok()?).ok()?,
        }),
        _ => None,
    }
}

/// Prefix of every ledger entry of one follower.
pub fn event_prefix(key: &FollowerKey) -> Vec<u8> {
    sized_follower_prefix(EVENT_TAG, key)
}

/// Prefix of every outcome of one follower.
pub fn outcome_prefix(key: &FollowerKey) -> Vec<u8> {
    sized_follower_prefix(OUTCOME_TAG, key)
}

fn sized_follower_prefix(tag: u8, key: &FollowerKey) -> Vec<u8> {
    let id = key.id.as_str().as_bytes();
    let mut out = Vec::with_capacity(3 + id.len());
    out.push(tag);
    out.push(platform_byte(key.platform));
    // Ids are at most 128 bytes (checked at parse time), so the length fits a byte and
    // keeps "ab" from being a prefix of "abc".
    out.push(id.len() as u8);
    out.extend_from_slice(id);
    out
}

pub fn event_key(key: &FollowerKey, event_id: &str) -> Vec<u8> {
    let mut out = event_prefix(key);
    out.extend_from_slice(event_id.as_bytes());
    out
}

pub fn outcome_key(key: &FollowerKey, outcome_id: &str) -> Vec<u8> {
    let mut out = outcome_prefix(key);
    out.extend_from_slice(outcome_id.as_bytes());
    out
}

pub fn outcome_seen_key(outcome_id: &str) -> Vec<u8> {
    [&[OUTCOME_SEEN_TAG][..], outcome_id.as_bytes()].concat()
}

pub fn lead_model_version_key(version: u64) -> Vec<u8> {
    [&[LEAD_MODEL_VERSION_TAG][..], &version.to_be_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::FollowerId;

    fn key(id: &str) -> FollowerKey {
        FollowerKey {
            platform: Platform::Twitter,
            id: FollowerId::parse(id).unwrap(),
        }
    }

    #[test]
    fn day_keys_sort_chronologically_across_the_epoch() {
        let mut keys: Vec<_> = [-3i64, 20_000, -1, 0, 5]
            .iter()
            .map(|d| day_key(Platform::LinkedIn, *d))
            .collect();
        keys.sort();
        let days: Vec<_> = keys.iter().map(|k| parse_day_key(k).unwrap().1).collect();
        assert_eq!(days, [-3, -1, 0, 5, 20_000]);
    }

    #[test]
    fn event_prefixes_do_not_overlap_between_ids() {
        let ab = event_key(&key("ab"), "e1");
        assert!(!ab.starts_with(&event_prefix(&key("a"))));
        assert!(ab.starts_with(&event_prefix(&key("ab"))));
    }
}
