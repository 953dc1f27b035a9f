//! Storage: the only module that names sled.
//!
//! One sled database in one data directory. Account configurations live in one tree; each
//! account's followers, engagement ledger and aggregates live in a tree of their own
//! (`keys.rs` has the layout): one key per follower, because sled's cost is per key (each
//! insert copies the leaf it lands in). Every write of an account goes through one
//! `AccountWrite`, applied as a single atomic batch, so aggregates always equal a recount of
//! the records. A write is acknowledged once its `Ticket` is durable (`durability.rs`).
//!
//! The store knows nothing of tonic or of scoring rules: it persists what the service
//! decided, and decides nothing itself.

mod codec;
mod durability;
pub mod erasure;
mod integrity;
pub mod keys;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::engine::account::AccountConfig;
use crate::engine::counting::aggregates::{AccountAggregates, DayCounts, DayKey};
use crate::engine::deciding::engagement::{EngagementSummary, LedgerEntry};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::{FrozenFeatures, LeadModel, OutcomeKind};
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;

use durability::GroupCommit;
pub use durability::{Durable, FlushFailed, Ticket};
use erasure::{Keyring, Shredder};

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
    #[error(transparent)]
    Flush(#[from] FlushFailed),
    #[error("could not start the store's flusher thread")]
    Thread(#[source] std::io::Error),
    #[error("keyring file {}", .0.display())]
    Keyring(PathBuf, #[source] std::io::Error),
    /// A keyring file is not one this store wrote, or holds fewer keys than its records use.
    #[error("keyring file {} is damaged or truncated", .0.display())]
    DamagedKeyring(PathBuf),
    /// A stored record names a key that has been shredded.
    #[error("the key of a stored record (slot {0}) has been shredded")]
    KeyShredded(u32),
    /// A sealed value does not open: its bytes are not what was written.
    #[error("a stored record is damaged (it does not open with its key)")]
    Damaged,
    #[error("could not seal a record")]
    Sealing,
    #[error("the data directory {} cannot be read", .0.display())]
    Directory(PathBuf, #[source] std::io::Error),
    #[error(
        "{} is not a followscore data directory (it is not empty and holds no store); \
         refusing to create a store inside it", .0.display()
    )]
    Foreign(PathBuf),
    #[error("the manifest {} is damaged", .0.display())]
    DamagedManifest(PathBuf),
    #[error(
        "the data directory {} has lost writes it had made durable (its database is at \
         flush {sled}, its manifest at flush {manifest}): the log is truncated or was \
         restored from an older copy; refusing to start without them", .dir.display()
    )]
    LostWrites {
        dir: PathBuf,
        sled: u64,
        manifest: u64,
    },
    #[error("the database in {} is damaged: the storage engine could not recover it", .0.display())]
    Unreadable(PathBuf),
    #[error(
        "the data directory {} holds the keys of account {account} but not the account: the \
         database is damaged or truncated", .dir.display()
    )]
    MissingAccount { dir: PathBuf, account: String },
    /// Writes stop while the data directory's filesystem has less than the reserve free, so
    /// the storage engine never meets a full disk (after which sled fails every write until
    /// restarted); they resume by themselves once space is freed.
    #[error(
        "the disk of the data directory is full ({free} bytes free, {reserve} kept in reserve)"
    )]
    DiskFull { free: u64, reserve: u64 },
}

/// Free space the store keeps on its filesystem: writes are refused below it. Larger than
/// anything sled writes between two checks (a chunk's batch, a log segment, a flush).
pub const MIN_FREE_BYTES: u64 = 64 * 1024 * 1024;

impl StoreError {
    /// A write refused or failed for lack of space (the caller may retry later).
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::DiskFull { .. } => true,
            StoreError::Sled(sled::Error::Io(io)) | StoreError::Keyring(_, io) => {
                io.raw_os_error() == Some(28) // ENOSPC
            }
            _ => false,
        }
    }
}

/// Refuses writes while free space is below the reserve.
#[derive(Debug, Clone)]
struct SpaceGuard {
    dir: PathBuf,
}

impl SpaceGuard {
    fn check(&self) -> Result<()> {
        let free = fs2::available_space(&self.dir)
            .map_err(|e| StoreError::Directory(self.dir.clone(), e))?;
        if free < MIN_FREE_BYTES {
            return Err(StoreError::DiskFull {
                free,
                reserve: MIN_FREE_BYTES,
            });
        }
        Ok(())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How the database is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub data_dir: PathBuf,
    /// sled's page cache. sled's own default is 1 GiB; the service chooses deliberately.
    pub cache_capacity_bytes: u64,
}

/// What is stored for one follower: the inputs of its result (profile, engagement, the
/// override inside the result) and the decision itself, without its explanation.
///
/// `result.reasons` and `result.missing_fields` are not stored: they are most of a result's
/// bytes (rendered sentences), and scoring is a pure function of what is stored, so the
/// service re-derives them on read from the same inputs and `scored_at` (and checks that
/// the decision it re-derives is the stored one). Records written before this layout still
/// carry them; they decode the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowerRecord {
    pub profile: FollowerProfile,
    pub result: FollowerResult,
    /// Derived from the ledger; cached so rescoring without events needs no ledger read.
    pub engagement: EngagementSummary,
}

impl FollowerRecord {
    /// The record as it is stored: the result without its explanation.
    pub fn unexplained(mut self) -> Self {
        Explanation::take(&mut self.result);
        self
    }
}

/// The parts of a result that are not stored but re-derived on read. Taken out and put
/// back by moving, so a write that stores a result and answers with it copies no sentence.
#[derive(Debug, Default)]
pub struct Explanation {
    reasons: Vec<crate::engine::reasons::Reason>,
    missing_fields: Vec<std::borrow::Cow<'static, str>>,
}

impl Explanation {
    /// Leaves `result` as it is stored.
    pub fn take(result: &mut FollowerResult) -> Self {
        Self {
            reasons: std::mem::take(&mut result.reasons),
            missing_fields: std::mem::take(&mut result.missing_fields),
        }
    }

    pub fn restore(self, result: &mut FollowerResult) {
        result.reasons = self.reasons;
        result.missing_fields = self.missing_fields;
    }
}

/// One CRM outcome of a follower's deal, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeEntry {
    pub kind: OutcomeKind,
    pub occurred_at: Timestamp,
    pub amount: Option<f64>,
    pub crm_reference: String,
    pub recorded_at: Timestamp,
}

/// That an outcome id has been recorded, and what it was: enough to answer a resend as a
/// duplicate. It names no follower, so forgetting one leaves nothing personal here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeSeen {
    pub kind: OutcomeKind,
    pub occurred_at: Timestamp,
    pub followers: u32,
}

/// A follower's deal as stored: its frozen features and its outcomes by id.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDeal {
    pub key: FollowerKey,
    pub frozen: FrozenFeatures,
    pub outcomes: Vec<(String, OutcomeEntry)>,
}

#[derive(Debug, Clone)]
pub struct Store {
    db: sled::Db,
    data_dir: PathBuf,
    accounts: sled::Tree,
    commit: Arc<GroupCommit>,
    /// Each account's keyring, opened once (`erasure.rs`).
    keyrings: Arc<Mutex<HashMap<String, Arc<Keyring>>>>,
    shredder: Arc<Shredder>,
}

impl Store {
    pub fn open(options: &StoreOptions) -> Result<Self> {
        let dir = &options.data_dir;
        let found = integrity::inspect(dir)?;
        if matches!(found, integrity::Found::New) {
            // The manifest comes first: a directory with sled's files and no manifest is
            // never one this release created.
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Directory(dir.clone(), e))?;
            integrity::Manifest::open(dir, true)?;
        }
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            sled::Config::new()
                .path(dir)
                .cache_capacity(options.cache_capacity_bytes)
                .mode(sled::Mode::HighThroughput)
                .open()
        }));
        let db = match opened {
            Ok(db) => db.map_err(|error| {
                if is_lock_conflict(&error) {
                    StoreError::Locked(dir.clone(), error)
                } else {
                    StoreError::Sled(error)
                }
            })?,
            // sled panics on some damage it meets while recovering its log.
            Err(_) => return Err(StoreError::Unreadable(dir.clone())),
        };
        let manifest = match found {
            integrity::Found::Unmarked => {
                // An earlier release's store has its accounts tree; anything else is not ours.
                if !db
                    .tree_names()
                    .iter()
                    .any(|name| name.as_ref() == keys::ACCOUNTS_TREE)
                {
                    return Err(StoreError::Foreign(dir.clone()));
                }
                integrity::Manifest::open(dir, true)?
            }
            _ => integrity::Manifest::open(dir, false)?,
        };
        let epoch = integrity::sled_epoch(&db)?;
        if epoch < manifest.epoch() {
            return Err(StoreError::LostWrites {
                dir: dir.clone(),
                sled: epoch,
                manifest: manifest.epoch(),
            });
        }
        let accounts = db.open_tree(keys::ACCOUNTS_TREE)?;
        let flushed = db.clone();
        let shredder = Arc::new(Shredder::default());
        let shredding = shredder.clone();
        let epoch = std::sync::atomic::AtomicU64::new(epoch);
        // sled 0.34's flush ends with sync_file_range on Linux, which neither writes the
        // file's metadata nor flushes the device's cache: not durable across a power loss
        // (sync_file_range(2)). An fdatasync of its log after each flush is.
        let log_path = dir.join("db");
        let log = std::fs::File::open(&log_path)
            .map_err(|e| StoreError::Directory(log_path.clone(), e))?;
        // A flush makes every applied batch durable (with the next flush number, mirrored
        // into the manifest once durable), then shreds the keys of the followers those
        // batches forgot: an acknowledged forget has destroyed its key.
        let commit = GroupCommit::start(move || {
            shredding
                .flush_then_shred(|| {
                    let next = epoch.load(std::sync::atomic::Ordering::SeqCst) + 1;
                    flushed.insert(integrity::EPOCH_KEY, &next.to_le_bytes()[..])?;
                    flushed.flush()?;
                    log.sync_data()
                        .map_err(|e| StoreError::Directory(log_path.clone(), e))?;
                    epoch.store(next, std::sync::atomic::Ordering::SeqCst);
                    manifest.completed(next)
                })
                .map_err(|error| Box::new(error) as durability::FlushError)
        })
        .map_err(StoreError::Thread)?;
        let store = Self {
            db,
            data_dir: dir.clone(),
            accounts,
            commit: Arc::new(commit),
            keyrings: Arc::default(),
            shredder,
        };
        store.finish_deletions()?;
        store.drop_orphan_trees()?;
        store.drop_listing_index_keys()?;
        Ok(store)
    }

    /// Completes account deletions a crash interrupted (their keyrings were retired first)
    /// and refuses a directory whose keyrings name accounts the database does not hold.
    fn finish_deletions(&self) -> Result<()> {
        let mut retired = Vec::new();
        for (account, path, retiring) in erasure::keyring_files(&self.data_dir)? {
            let exists = self.accounts.contains_key(account.as_bytes())?;
            if retiring {
                if exists {
                    self.accounts.remove(account.as_bytes())?;
                    self.db.drop_tree(keys::account_tree_name(&account))?;
                }
                retired.push(path);
            } else if !exists {
                return Err(StoreError::MissingAccount {
                    dir: self.data_dir.clone(),
                    account,
                });
            }
        }
        if !retired.is_empty() {
            self.wait_durable()?;
            for path in retired {
                erasure::shred_keyring_file(&path)?;
            }
            tracing::info!("finished deleting accounts whose deletion a stop interrupted");
        }
        Ok(())
    }

    /// The account's keyring, opened (and its leftover shred markers processed) on first
    /// use.
    fn keyring(&self, id: &AccountId, tree: &sled::Tree) -> Result<Arc<Keyring>> {
        let mut keyrings = self.keyrings.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(keyring) = keyrings.get(id.as_str()) {
            return Ok(keyring.clone());
        }
        let next = match tree.get(keys::NEXT_SLOT_KEY)? {
            Some(bytes) => u32::from_be_bytes(
                bytes
                    .as_ref()
                    .try_into()
                    .map_err(|_| StoreError::UnknownFormat(0))?,
            ),
            None => 0,
        };
        let keyring = Arc::new(Keyring::open(&self.data_dir, id.as_str(), next)?);
        erasure::shred_marked(tree, &keyring)?;
        keyrings.insert(id.as_str().to_owned(), keyring.clone());
        Ok(keyring)
    }

    /// Releases before this one kept a listing index of 5–7 keys per follower in each
    /// account tree; the index now lives in memory (`service::listing`). Removes those keys
    /// once, in batches, so they stop costing disk and write time.
    fn drop_listing_index_keys(&self) -> Result<()> {
        for name in self.db.tree_names() {
            if keys::account_of_tree(&name).is_none() {
                continue;
            }
            let tree = self.db.open_tree(&name)?;
            loop {
                let mut batch = sled::Batch::default();
                let mut removed = 0;
                for entry in tree
                    .scan_prefix([keys::LEGACY_INDEX_TAG])
                    .keys()
                    .take(10_000)
                {
                    batch.remove(entry?);
                    removed += 1;
                }
                if removed == 0 {
                    break;
                }
                tree.apply_batch(batch)?;
                tracing::info!(removed, "removed listing index keys of an earlier release");
            }
        }
        Ok(())
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

    /// A ticket covering every write made before the call (see `durability.rs`).
    pub fn ticket(&self) -> Ticket {
        self.commit.ticket()
    }

    /// Blocks until `ticket` is durable. Call it from a blocking context.
    pub fn wait(&self, ticket: Ticket) -> Result<()> {
        Ok(self.commit.wait(ticket)?)
    }

    /// Completes when `ticket` is durable, without holding a thread.
    pub fn durable(&self, ticket: Ticket) -> Durable {
        self.commit.durable(ticket)
    }

    /// Blocks until every write made before the call is on disk. Concurrent callers share
    /// one flush (group commit).
    pub fn wait_durable(&self) -> Result<()> {
        self.wait(self.ticket())
    }

    pub fn put_account(&self, config: &AccountConfig) -> Result<()> {
        SpaceGuard {
            dir: self.data_dir.clone(),
        }
        .check()?;
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
        // The keyring is renamed first: from here on the deletion is finished at the next
        // start if the process dies (`finish_deletions`).
        let retired = tree.keyring.retire()?;
        // Configuration next: if the process dies before the tree is dropped, the orphan
        // tree is dropped at the next start.
        self.accounts.remove(id.as_str().as_bytes())?;
        self.db.drop_tree(keys::account_tree_name(id.as_str()))?;
        // The keys go only once the removal is durable, else a crash could bring back
        // records whose keys are gone.
        self.wait_durable()?;
        self.keyrings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id.as_str());
        if let Some(path) = retired {
            tree.keyring.shred_all(&path)?;
        }
        Ok(followers)
    }

    pub fn account_tree(&self, id: &AccountId) -> Result<AccountTree> {
        let tree = self.db.open_tree(keys::account_tree_name(id.as_str()))?;
        let keyring = self.keyring(id, &tree)?;
        Ok(AccountTree {
            tree,
            keyring,
            shredder: self.shredder.clone(),
            space: SpaceGuard {
                dir: self.data_dir.clone(),
            },
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
            let keyring = match keys::account_of_tree(&name) {
                Some(account) => Some(
                    self.keyring(
                        &AccountId::parse(&String::from_utf8_lossy(account))
                            .map_err(|_| StoreError::UnknownFormat(0))?,
                        &tree,
                    )?,
                ),
                None => None,
            };
            for entry in tree.iter() {
                let (key, value) = entry?;
                let is_record = key.first() == Some(&keys::FOLLOWER_TAG);
                let value = match (&keyring, erasure::sealed_slot(&value)) {
                    (Some(keyring), Some(_)) if is_record => keyring.unseal(&key, &value)?,
                    _ => value.to_vec(),
                };
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
    keyring: Arc<Keyring>,
    shredder: Arc<Shredder>,
    space: SpaceGuard,
}

impl AccountTree {
    /// Aggregates with their day series, as last committed.
    pub fn load_aggregates(&self) -> Result<AccountAggregates> {
        let mut aggregates: AccountAggregates = match self.tree.get(keys::AGGREGATES_KEY)? {
            Some(bytes) => codec::decode_aggregates(&bytes)?,
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
        let raw = keys::follower_key(key);
        self.tree
            .get(&raw)?
            .map(|bytes| self.decode_record(&raw, &bytes))
            .transpose()
    }

    /// A stored record: sealed (this release) or plain (earlier releases).
    fn decode_record(&self, raw_key: &[u8], value: &[u8]) -> Result<FollowerRecord> {
        if erasure::sealed_slot(value).is_some() {
            codec::decode_record(&self.keyring.unseal(raw_key, value)?)
        } else {
            codec::decode_record(value)
        }
    }

    /// The key slot of a stored follower, if its record is sealed.
    fn stored_slot(&self, raw_key: &[u8]) -> Result<Option<u32>> {
        Ok(self
            .tree
            .get(raw_key)?
            .and_then(|value| erasure::sealed_slot(&value)))
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

    pub fn has_outcome(&self, outcome_id: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::outcome_seen_key(outcome_id))?)
    }

    /// The follower's features as frozen for its deal, if it has one.
    pub fn frozen(&self, key: &FollowerKey) -> Result<Option<FrozenFeatures>> {
        self.tree
            .get(keys::frozen_key(key))?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    /// The ids of a follower's recorded outcomes.
    pub fn outcome_ids(&self, key: &FollowerKey) -> Result<Vec<String>> {
        let prefix = keys::outcome_prefix(key);
        self.tree
            .scan_prefix(&prefix)
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned()))
            .collect()
    }

    /// Every deal of the account: followers with frozen features and their outcomes. One
    /// pass over the account's deals, in key order; training reads it whole.
    pub fn deals(&self) -> Result<Vec<StoredDeal>> {
        let mut deals = Vec::new();
        for entry in self.tree.scan_prefix([keys::FROZEN_TAG]) {
            let (raw, value) = entry?;
            let key =
                keys::follower_of(keys::FROZEN_TAG, &raw).ok_or(StoreError::UnknownFormat(0))?;
            let prefix = keys::outcome_prefix(&key);
            let outcomes = self
                .tree
                .scan_prefix(&prefix)
                .map(|entry| {
                    let (k, v) = entry?;
                    let id = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
                    Ok((id, codec::decode(&v)?))
                })
                .collect::<Result<Vec<_>>>()?;
            deals.push(StoredDeal {
                key,
                frozen: codec::decode(&value)?,
                outcomes,
            });
        }
        Ok(deals)
    }

    /// The lead model in force, if the account ever had one other than the rules.
    pub fn lead_model(&self) -> Result<Option<LeadModel>> {
        self.tree
            .get(keys::LEAD_MODEL_KEY)?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    /// A lead model version the account had in force (for pinning).
    pub fn lead_model_version(&self, version: u64) -> Result<Option<LeadModel>> {
        self.tree
            .get(keys::lead_model_version_key(version))?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
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
            .map(|entry| {
                let (key, value) = entry?;
                self.decode_record(&key, &value)
            })
            .collect()
    }

    /// Applies a write atomically: follower records are sealed with their follower's key
    /// (a new follower takes a new one), forgotten followers' keys are marked in the same
    /// batch and shredded by the flush that makes the batch durable.
    pub fn apply(&self, write: AccountWrite) -> Result<()> {
        self.space.check()?;
        let AccountWrite {
            mut batch,
            followers,
        } = write;
        // Slots assigned or freed by this write, so an id written twice in one batch
        // keeps one key and a put after a forget takes a new one.
        let mut slots: HashMap<Vec<u8>, Option<u32>> = HashMap::new();
        let mut next_slot = None;
        let mut shred = Vec::new();
        for (raw, value) in followers {
            let current = match slots.get(&raw) {
                Some(slot) => *slot,
                None => self.stored_slot(&raw)?,
            };
            match value {
                Some(plaintext) => {
                    let slot = match current {
                        Some(slot) => slot,
                        None => {
                            let (slot, next) = self.keyring.allocate()?;
                            next_slot = Some(next);
                            slot
                        }
                    };
                    batch.insert(raw.clone(), self.keyring.seal(slot, &raw, &plaintext)?);
                    slots.insert(raw, Some(slot));
                }
                None => {
                    batch.remove(raw.clone());
                    if let Some(slot) = current {
                        batch.insert(erasure::marker_key(slot), &[][..]);
                        shred.push(slot);
                    }
                    slots.insert(raw, None);
                }
            }
        }
        if let Some(next) = next_slot {
            batch.insert(keys::NEXT_SLOT_KEY, &next.to_be_bytes()[..]);
        }
        self.tree.apply_batch(batch)?;
        // Scheduled only once the removal is applied, and before the caller takes its
        // ticket: the flush that covers the ticket shreds the keys.
        self.shredder
            .schedule(self.keyring.clone(), self.tree.clone(), shred);
        Ok(())
    }
}

/// Everything one account write changes, applied as one atomic batch.
#[derive(Default)]
pub struct AccountWrite {
    batch: sled::Batch,
    /// Follower records in order, encoded but not yet sealed (`None`: forgotten); sealed
    /// by `AccountTree::apply`, which knows the keys.
    followers: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

impl AccountWrite {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores a follower's record (as given: callers store it `unexplained`).
    pub fn put_follower(&mut self, record: &FollowerRecord) -> Result<()> {
        self.followers.push((
            keys::follower_key(&record.result.key),
            Some(codec::encode_record(record)?),
        ));
        Ok(())
    }

    /// Erases a follower: its record, its key, every ledger entry, its outcomes and its
    /// frozen features.
    pub fn forget_follower(
        &mut self,
        key: &FollowerKey,
        ledger_event_ids: &[String],
        outcome_ids: &[String],
    ) {
        for event_id in ledger_event_ids {
            self.batch.remove(keys::event_key(key, event_id));
        }
        for outcome_id in outcome_ids {
            self.batch.remove(keys::outcome_key(key, outcome_id));
        }
        self.batch.remove(keys::frozen_key(key));
        self.followers.push((keys::follower_key(key), None));
    }

    /// Records one outcome of a follower's deal.
    pub fn put_outcome(
        &mut self,
        key: &FollowerKey,
        outcome_id: &str,
        entry: &OutcomeEntry,
    ) -> Result<()> {
        self.batch
            .insert(keys::outcome_key(key, outcome_id), codec::encode(entry)?);
        Ok(())
    }

    /// Marks an outcome id as recorded.
    pub fn put_outcome_seen(&mut self, outcome_id: &str, seen: &OutcomeSeen) -> Result<()> {
        self.batch
            .insert(keys::outcome_seen_key(outcome_id), codec::encode(seen)?);
        Ok(())
    }

    /// The follower's features as its deal began; written once per follower.
    pub fn put_frozen(&mut self, key: &FollowerKey, frozen: &FrozenFeatures) -> Result<()> {
        self.batch
            .insert(keys::frozen_key(key), codec::encode(frozen)?);
        Ok(())
    }

    /// Puts `model` in force and keeps it under its version.
    pub fn put_lead_model(&mut self, model: &LeadModel) -> Result<()> {
        let bytes = codec::encode(model)?;
        self.batch
            .insert(keys::lead_model_version_key(model.version()), bytes.clone());
        self.batch.insert(keys::LEAD_MODEL_KEY, bytes);
        Ok(())
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
            .insert(keys::AGGREGATES_KEY, codec::encode_aggregates(aggregates)?);
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

    #[test]
    fn listing_index_keys_of_an_earlier_release_are_removed_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let id = AccountId::parse("northwind").unwrap();
        {
            let store = open_at(dir.path()).unwrap();
            store.put_account(&AccountConfig::new(id.clone())).unwrap();
            let tree = store
                .db
                .open_tree(keys::account_tree_name(id.as_str()))
                .unwrap();
            for i in 0..25_000u32 {
                let mut key = vec![keys::LEGACY_INDEX_TAG, 0, 0, 200];
                key.extend_from_slice(&i.to_be_bytes());
                tree.insert(key, &[][..]).unwrap();
            }
            tree.insert(b"M", &b"kept"[..]).unwrap();
            store.wait_durable().unwrap();
        }
        let store = open_at(dir.path()).unwrap();
        let tree = store
            .db
            .open_tree(keys::account_tree_name(id.as_str()))
            .unwrap();
        assert_eq!(tree.scan_prefix([keys::LEGACY_INDEX_TAG]).count(), 0);
        assert_eq!(tree.get(b"M").unwrap().as_deref(), Some(&b"kept"[..]));
    }
}
