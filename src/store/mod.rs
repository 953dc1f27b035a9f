//! Storage: the only module that names sled.
//!
//! One sled database in one data directory. Account configurations live in one tree; each
//! account's followers, engagement ledger, listing index and aggregates live in a tree of
//! their own (`keys.rs` has the layout). Every write of an account goes through one
//! `AccountWrite`, applied as a single atomic batch, so aggregates always equal a recount of
//! the records. `Store::wait_durable` makes acknowledged writes survive a crash.
//!
//! The store knows nothing of tonic or of scoring rules: it persists what the service
//! decided, and decides nothing itself.

mod codec;
mod durability;
pub mod keys;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::account::AccountConfig;
use crate::engine::counting::aggregates::{AccountAggregates, DayCounts, DayKey};
use crate::engine::deciding::engagement::{EngagementSummary, LedgerEntry};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;

use durability::GroupCommit;
use keys::Facet;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage engine error")]
    Sled(#[from] sled::Error),
    #[error("could not encode a stored value")]
    Encode(#[source] postcard::Error),
    #[error("could not decode a stored value")]
    Decode(#[source] postcard::Error),
    #[error("stored value has unknown format version {0}")]
    UnknownFormat(u8),
    /// Another process (a running server) holds the data directory's lock.
    #[error("the data directory {} is in use by another process", .0.display())]
    Locked(PathBuf, #[source] sled::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How the database is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub data_dir: PathBuf,
    /// sled's page cache. sled's own default is 1 GiB; the service chooses deliberately.
    pub cache_capacity_bytes: u64,
}

/// What is stored for one follower.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowerRecord {
    pub profile: FollowerProfile,
    pub result: FollowerResult,
    /// Derived from the ledger; cached so rescoring without events needs no ledger read.
    pub engagement: EngagementSummary,
}

#[derive(Debug, Clone)]
pub struct Store {
    db: sled::Db,
    accounts: sled::Tree,
    commit: std::sync::Arc<GroupCommit>,
}

impl Store {
    pub fn open(options: &StoreOptions) -> Result<Self> {
        let db = sled::Config::new()
            .path(&options.data_dir)
            .cache_capacity(options.cache_capacity_bytes)
            .mode(sled::Mode::HighThroughput)
            .open()
            .map_err(|error| {
                if is_lock_conflict(&error) {
                    StoreError::Locked(options.data_dir.clone(), error)
                } else {
                    StoreError::Sled(error)
                }
            })?;
        let accounts = db.open_tree(keys::ACCOUNTS_TREE)?;
        let store = Self {
            db,
            accounts,
            commit: Default::default(),
        };
        store.drop_orphan_trees()?;
        Ok(store)
    }

    /// Removes follower trees whose account configuration is gone (a delete interrupted
    /// between removing the configuration and dropping the tree).
    fn drop_orphan_trees(&self) -> Result<()> {
        for name in self.db.tree_names() {
            if let Some(account) = keys::account_of_tree(&name)
                && !self.accounts.contains_key(account)?
            {
                self.db.drop_tree(&name)?;
            }
        }
        Ok(())
    }

    /// Blocks until every write made before the call is on disk. Concurrent callers share
    /// one flush (group commit). Call it from a blocking context.
    pub fn wait_durable(&self) -> Result<()> {
        self.commit
            .wait(|| self.db.flush().map(|_| ()).map_err(StoreError::from))
    }

    pub fn put_account(&self, config: &AccountConfig) -> Result<()> {
        self.accounts.insert(
            config.account_id.as_str().as_bytes(),
            codec::encode_account(config)?,
        )?;
        Ok(())
    }

    pub fn get_account(&self, id: &AccountId) -> Result<Option<AccountConfig>> {
        self.accounts
            .get(id.as_str().as_bytes())?
            .map(|bytes| codec::decode_account(&bytes))
            .transpose()
    }

    pub fn list_accounts(&self) -> Result<Vec<AccountConfig>> {
        self.accounts
            .iter()
            .values()
            .map(|value| codec::decode_account(&value?))
            .collect()
    }

    /// Removes an account and everything stored for it; returns how many followers were
    /// stored.
    pub fn delete_account(&self, id: &AccountId) -> Result<u64> {
        let tree = self.account_tree(id)?;
        let followers = tree.load_aggregates()?.stored_followers;
        // Configuration first: if the process dies before the tree is dropped, the orphan
        // tree is dropped at the next start.
        self.accounts.remove(id.as_str().as_bytes())?;
        self.db.drop_tree(keys::account_tree_name(id.as_str()))?;
        Ok(followers)
    }

    pub fn account_tree(&self, id: &AccountId) -> Result<AccountTree> {
        Ok(AccountTree {
            tree: self.db.open_tree(keys::account_tree_name(id.as_str()))?,
        })
    }

    /// Names the trees whose live keys or values contain `needle`: an audit that erased
    /// personal data is gone. Reads everything; meant for audits and tests, not requests.
    pub fn audit_bytes(&self, needle: &[u8]) -> Result<Vec<String>> {
        let contains =
            |hay: &[u8]| !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle);
        let mut found = Vec::new();
        for name in self.db.tree_names() {
            let tree = self.db.open_tree(&name)?;
            for entry in tree.iter() {
                let (key, value) = entry?;
                if contains(&key) || contains(&value) {
                    found.push(String::from_utf8_lossy(&name).into_owned());
                    break;
                }
            }
        }
        Ok(found)
    }

    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

/// One account's followers, ledger, index and aggregates.
#[derive(Debug, Clone)]
pub struct AccountTree {
    tree: sled::Tree,
}

/// A page of index entries.
#[derive(Debug, Clone, Default)]
pub struct IndexPage {
    pub keys: Vec<FollowerKey>,
    /// The index key to continue after, when more entries may follow.
    pub resume_after: Option<Vec<u8>>,
}

impl AccountTree {
    /// Aggregates with their day series, as last committed.
    pub fn load_aggregates(&self) -> Result<AccountAggregates> {
        let mut aggregates: AccountAggregates = match self.tree.get(keys::AGGREGATES_KEY)? {
            Some(bytes) => codec::decode(&bytes)?,
            None => AccountAggregates::default(),
        };
        for entry in self.tree.scan_prefix([keys::DAY_TAG]) {
            let (key, value) = entry?;
            if let Some(day_key) = keys::parse_day_key(&key) {
                aggregates.days.insert(day_key, codec::decode(&value)?);
            }
        }
        Ok(aggregates)
    }

    pub fn get_follower(&self, key: &FollowerKey) -> Result<Option<FollowerRecord>> {
        self.tree
            .get(keys::follower_key(key))?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    /// Every ledger entry of a follower, by event id.
    pub fn ledger(&self, key: &FollowerKey) -> Result<Vec<(String, LedgerEntry)>> {
        let prefix = keys::event_prefix(key);
        self.tree
            .scan_prefix(&prefix)
            .map(|entry| {
                let (k, v) = entry?;
                let event_id = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
                Ok((event_id, codec::decode(&v)?))
            })
            .collect()
    }

    pub fn has_event(&self, key: &FollowerKey, event_id: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::event_key(key, event_id))?)
    }

    /// Up to `limit` follower records after `after` in key order (for rescoring passes and
    /// recounts).
    pub fn scan_followers(
        &self,
        after: Option<&FollowerKey>,
        limit: usize,
    ) -> Result<Vec<FollowerRecord>> {
        let start = match after {
            Some(key) => {
                let mut k = keys::follower_key(key);
                k.push(0);
                k
            }
            None => vec![keys::FOLLOWER_TAG],
        };
        self.tree
            .range(start..)
            .take_while(|entry| {
                entry
                    .as_ref()
                    .map_or(true, |(k, _)| k.first() == Some(&keys::FOLLOWER_TAG))
            })
            .take(limit)
            .map(|entry| codec::decode(&entry?.1))
            .collect()
    }

    /// Up to `limit` followers from an index facet, highest lead score first, continuing
    /// after `resume_after` (an index key from a previous page).
    pub fn scan_index(
        &self,
        facet: Facet,
        resume_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<IndexPage> {
        let prefix = facet.prefix();
        let start = match resume_after {
            Some(key) => {
                let mut k = key.to_vec();
                k.push(0);
                k
            }
            None => prefix.to_vec(),
        };
        let mut page = IndexPage::default();
        let mut last = None;
        for entry in self.tree.range(start..) {
            let (key, _) = entry?;
            if !key.starts_with(&prefix) {
                last = None;
                break;
            }
            if page.keys.len() == limit {
                break;
            }
            if let Some(follower) = keys::parse_index_key(&key) {
                page.keys.push(follower);
            }
            last = Some(key.to_vec());
        }
        if page.keys.len() == limit {
            page.resume_after = last;
        }
        Ok(page)
    }

    /// Whether `token` is an index key of `facet` (page tokens are index keys).
    pub fn token_matches(facet: Facet, token: &[u8]) -> bool {
        token.starts_with(&facet.prefix()) && keys::parse_index_key(token).is_some()
    }

    /// Applies a write atomically.
    pub fn apply(&self, write: AccountWrite) -> Result<()> {
        self.tree.apply_batch(write.batch)?;
        Ok(())
    }
}

/// The facets a follower's result is listed under while it follows the account.
fn facets(result: &FollowerResult) -> Vec<Facet> {
    if !result.is_following() {
        return Vec::new();
    }
    let mut facets = vec![
        Facet::All,
        Facet::Category(result.category.index() as u8),
        Facet::Tier(result.lead_tier.index() as u8),
    ];
    facets.extend(
        result
            .actions
            .iter()
            .map(|a| Facet::Action(a.index() as u8)),
    );
    if result.category.is_lead() {
        facets.push(Facet::Leads);
    }
    facets
}

/// Everything one account write changes, applied as one atomic batch.
#[derive(Default)]
pub struct AccountWrite {
    batch: sled::Batch,
}

impl AccountWrite {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `new` in place of `old` (if any), moving its index entries.
    pub fn put_follower(
        &mut self,
        old: Option<&FollowerRecord>,
        new: &FollowerRecord,
    ) -> Result<()> {
        let key = &new.result.key;
        let new_entries: Vec<Vec<u8>> = facets(&new.result)
            .into_iter()
            .map(|f| keys::index_key(f, new.result.lead_score, key))
            .collect();
        if let Some(old) = old {
            for facet in facets(&old.result) {
                let old_key = keys::index_key(facet, old.result.lead_score, key);
                if !new_entries.contains(&old_key) {
                    self.batch.remove(old_key);
                }
            }
        }
        for entry in new_entries {
            self.batch.insert(entry, &[][..]);
        }
        self.batch
            .insert(keys::follower_key(key), codec::encode(new)?);
        Ok(())
    }

    /// Erases a follower: record, index entries and every ledger entry.
    pub fn forget_follower(&mut self, old: &FollowerRecord, ledger_event_ids: &[String]) {
        let key = &old.result.key;
        for facet in facets(&old.result) {
            self.batch
                .remove(keys::index_key(facet, old.result.lead_score, key));
        }
        for event_id in ledger_event_ids {
            self.batch.remove(keys::event_key(key, event_id));
        }
        self.batch.remove(keys::follower_key(key));
    }

    pub fn put_event(
        &mut self,
        key: &FollowerKey,
        event_id: &str,
        entry: &LedgerEntry,
    ) -> Result<()> {
        self.batch
            .insert(keys::event_key(key, event_id), codec::encode(entry)?);
        Ok(())
    }

    /// Persists the aggregates and the day counts of the `touched` days.
    pub fn put_aggregates(
        &mut self,
        aggregates: &AccountAggregates,
        touched: &[DayKey],
    ) -> Result<()> {
        self.batch
            .insert(keys::AGGREGATES_KEY, codec::encode(aggregates)?);
        let mut days: Vec<DayKey> = touched.to_vec();
        days.sort();
        days.dedup();
        for (platform, day) in days {
            let key = keys::day_key(platform, day);
            match aggregates.days.get(&(platform, day)) {
                Some(counts) => self.batch.insert(key, codec::encode::<DayCounts>(counts)?),
                None => self.batch.remove(key),
            }
        }
        Ok(())
    }
}

/// sled holds an exclusive file lock on its database while open and reports a conflict only
/// as an I/O error with this message (sled 0.34, `Config::try_lock`).
fn is_lock_conflict(error: &sled::Error) -> bool {
    matches!(error, sled::Error::Io(io) if io.to_string().contains("could not acquire lock"))
}

/// Opens a store in `dir` with a small cache, for tests and tools.
pub fn open_at(dir: &Path) -> Result<Store> {
    Store::open(&StoreOptions {
        data_dir: dir.to_path_buf(),
        cache_capacity_bytes: 64 * 1024 * 1024,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_another_store_holds_is_locked_and_free_once_it_closes() {
        let dir = tempfile::tempdir().unwrap();
        let first = open_at(dir.path()).unwrap();
        match open_at(dir.path()) {
            Err(StoreError::Locked(path, _)) => assert_eq!(path, dir.path()),
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        open_at(dir.path()).unwrap();
    }
}
