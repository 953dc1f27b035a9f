//! The embedded backend: one sled database in one data directory, one process.
//!
//! Account configurations live in one tree; each account's followers, engagement ledger and
//! aggregates live in a tree of their own (`keys.rs` has the layout): one key per follower,
//! because sled's cost is per key (each insert copies the leaf it lands in). Every write of
//! an account is a single atomic `apply_batch` on its tree, so aggregates always equal a
//! recount of the records. A write is acknowledged once its `Ticket` is durable
//! (`durability.rs`: group commit, then an fdatasync of the log). Follower records are
//! sealed with keys of their own, so erasure survives in sled's log (`erasure.rs`), and the
//! data directory carries a manifest that refuses foreign, damaged and rolled-back
//! directories (`integrity.rs`).
//!
//! This is the only module that names sled.

pub(super) mod erasure;
mod integrity;
pub(super) mod keys;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::codec;
use super::durability::{self, Durable, GroupCommit, Ticket};
use super::write::{AccountWrite, Change};
use super::{
    AccountBackend, Backend, FollowerRecord, MIN_FREE_BYTES, Result, Revision, StoreError,
    StoreOptions, StoredDeal,
};
use crate::engine::account::AccountConfig;
use crate::engine::counting::aggregates::AccountAggregates;
use crate::engine::deciding::engagement::LedgerEntry;
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::{FrozenFeatures, LeadModel};

use erasure::{Keyring, Shredder};

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

#[derive(Debug)]
pub(super) struct SledStore {
    db: sled::Db,
    data_dir: PathBuf,
    accounts: sled::Tree,
    commit: Arc<GroupCommit>,
    /// Each account's keyring, opened once (`erasure.rs`).
    keyrings: Arc<Mutex<HashMap<String, Arc<Keyring>>>>,
    shredder: Arc<Shredder>,
}

impl SledStore {
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
        store.check_accounts()?;
        store.drop_listing_index_keys()?;
        // Opening writes to sled's log from its own threads (a new log's first segment, a
        // recovered log's tail), and those writes may still be in flight. One durable flush
        // here, before the server answers anyone, means no answer is ever given while
        // earlier data sits unsynced, whatever that answer's own request wrote.
        store.wait_durable()?;
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

    /// Refuses the directory if an account's records do not match its aggregates or one
    /// does not open (`integrity::check_account`). Reads every follower record once.
    fn check_accounts(&self) -> Result<()> {
        let started = std::time::Instant::now();
        let (mut accounts, mut records) = (0, 0);
        for name in self.db.tree_names() {
            let Some(account) = keys::account_of_tree(&name) else {
                continue;
            };
            let account = String::from_utf8_lossy(account).into_owned();
            let id = AccountId::parse(&account).map_err(|_| StoreError::DamagedAccount {
                dir: self.data_dir.clone(),
                account: account.clone(),
                finding: "has a name that is not an account id".into(),
            })?;
            let tree = self.account_tree(&id)?;
            records +=
                integrity::check_account(&self.data_dir, &account, &tree.tree, &tree.keyring)?;
            accounts += 1;
        }
        tracing::info!(
            accounts,
            records,
            seconds = started.elapsed().as_secs_f64(),
            "every follower record read and matched against its account's aggregates"
        );
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

    /// Blocks until every write made before the call is on disk.
    fn wait_durable(&self) -> Result<()> {
        self.wait(self.ticket())
    }

    fn account_tree(&self, id: &AccountId) -> Result<SledAccount> {
        let tree = self.db.open_tree(keys::account_tree_name(id.as_str()))?;
        let keyring = self.keyring(id, &tree)?;
        Ok(SledAccount {
            tree,
            keyring,
            shredder: self.shredder.clone(),
            space: SpaceGuard {
                dir: self.data_dir.clone(),
            },
        })
    }
}

impl Backend for SledStore {
    /// A ticket covering every write made before the call (see `durability.rs`).
    fn ticket(&self) -> Ticket {
        self.commit.ticket()
    }

    /// Blocks until `ticket` is durable. Call it from a blocking context.
    fn wait(&self, ticket: Ticket) -> Result<()> {
        Ok(self.commit.wait(ticket)?)
    }

    /// Completes when `ticket` is durable, without holding a thread.
    fn durable(&self, ticket: Ticket) -> Durable {
        self.commit.durable(ticket)
    }

    fn put_account(&self, config: &AccountConfig) -> Result<()> {
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

    fn get_account(&self, id: &AccountId) -> Result<Option<AccountConfig>> {
        self.accounts
            .get(id.as_str().as_bytes())?
            .map(|bytes| codec::decode_account(&bytes))
            .transpose()
    }

    fn list_accounts(&self) -> Result<Vec<AccountConfig>> {
        self.accounts
            .iter()
            .values()
            .map(|value| codec::decode_account(&value?))
            .collect()
    }

    /// Removes an account and everything stored for it; returns how many followers were
    /// stored.
    fn delete_account(&self, id: &AccountId) -> Result<u64> {
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

    fn account(&self, id: &AccountId) -> Result<Arc<dyn AccountBackend>> {
        Ok(Arc::new(self.account_tree(id)?))
    }

    fn is_shared(&self) -> bool {
        false
    }

    /// Names the trees whose live keys or values contain `needle`: an audit that erased
    /// personal data is gone. Reads everything; meant for audits and tests, not requests.
    fn audit_bytes(&self, needle: &[u8]) -> Result<Vec<String>> {
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
                // A record is searched as what it holds (it is compressed), besides its bytes.
                if contains(&key)
                    || contains(&value)
                    || (is_record && contains(&codec::audit_view(&value)))
                {
                    found.push(String::from_utf8_lossy(&name).into_owned());
                    break;
                }
            }
        }
        Ok(found)
    }

    fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

/// One account's tree: followers, ledger, outcomes, lead models and aggregates.
#[derive(Debug, Clone)]
pub(super) struct SledAccount {
    tree: sled::Tree,
    keyring: Arc<Keyring>,
    shredder: Arc<Shredder>,
    space: SpaceGuard,
}

impl AccountBackend for SledAccount {
    /// Aggregates with their day series, as last committed.
    fn load_aggregates(&self) -> Result<AccountAggregates> {
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

    fn get_follower(&self, key: &FollowerKey) -> Result<Option<FollowerRecord>> {
        let raw = keys::follower_key(key);
        self.tree
            .get(&raw)?
            .map(|bytes| self.decode_record(&raw, &bytes))
            .transpose()
    }

    /// Every ledger entry of a follower, by event id.
    fn ledger(&self, key: &FollowerKey) -> Result<Vec<(String, LedgerEntry)>> {
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

    fn has_outcome(&self, outcome_id: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::outcome_seen_key(outcome_id))?)
    }

    /// The follower's features as frozen for its deal, if it has one.
    fn frozen(&self, key: &FollowerKey) -> Result<Option<FrozenFeatures>> {
        self.tree
            .get(keys::frozen_key(key))?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    /// The ids of a follower's recorded outcomes.
    fn outcome_ids(&self, key: &FollowerKey) -> Result<Vec<String>> {
        let prefix = keys::outcome_prefix(key);
        self.tree
            .scan_prefix(&prefix)
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?[prefix.len()..]).into_owned()))
            .collect()
    }

    /// Every deal of the account: followers with frozen features and their outcomes. One
    /// pass over the account's deals, in key order; training reads it whole.
    fn deals(&self) -> Result<Vec<StoredDeal>> {
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
    fn lead_model(&self) -> Result<Option<LeadModel>> {
        self.tree
            .get(keys::LEAD_MODEL_KEY)?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    /// A lead model version the account had in force (for pinning).
    fn lead_model_version(&self, version: u64) -> Result<Option<LeadModel>> {
        self.tree
            .get(keys::lead_model_version_key(version))?
            .map(|bytes| codec::decode(&bytes))
            .transpose()
    }

    fn has_event(&self, key: &FollowerKey, event_id: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::event_key(key, event_id))?)
    }

    /// Up to `limit` follower records after `after` in key order (for rescoring passes and
    /// recounts).
    fn scan_followers(
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

    fn apply(&self, write: AccountWrite) -> Result<u64> {
        self.apply_batch(write)?;
        Ok(0)
    }

    fn generation(&self) -> Result<Option<u64>> {
        Ok(None)
    }

    fn shared_by_replicas(&self) -> bool {
        false
    }

    fn lease(&self, _holder: &str, _ttl: std::time::Duration) -> Result<bool> {
        Ok(true)
    }

    fn swept_day(&self) -> Result<Option<i64>> {
        Ok(self
            .tree
            .get(keys::SWEPT_DAY_KEY)?
            .and_then(|bytes| <[u8; 8]>::try_from(bytes.as_ref()).ok())
            .map(i64::from_be_bytes))
    }

    fn set_swept_day(&self, day: i64) -> Result<()> {
        self.tree
            .insert(keys::SWEPT_DAY_KEY, &day.to_be_bytes()[..])?;
        Ok(())
    }
}

/// The revision of a record read sealed under `slot` (offset by one: no slot reads as
/// `Revision::ABSENT`).
fn sealed_revision(slot: u32) -> Revision {
    Revision(u64::from(slot) + 1)
}

/// What a record's revision says of its key slot: `Some(Some(slot))` read sealed under
/// `slot`, `Some(None)` read as absent (a new slot is due), `None` not known (not read, or
/// read unsealed from an earlier release): look it up.
fn known_slot(revision: Revision) -> Option<Option<u32>> {
    match revision {
        Revision::ABSENT => Some(None),
        Revision::UNREAD => None,
        Revision(n) => u32::try_from(n - 1).ok().map(Some),
    }
}

impl SledAccount {
    /// A stored record: sealed (this release) or plain (earlier releases).
    fn decode_record(&self, raw_key: &[u8], value: &[u8]) -> Result<FollowerRecord> {
        match erasure::sealed_slot(value) {
            Some(slot) => {
                let mut record = codec::decode_stored_record(self.keyring.unseal(raw_key, value)?)?;
                record.revision = sealed_revision(slot);
                Ok(record)
            }
            None => codec::decode_record(value),
        }
    }

    /// The key slot of a stored follower, if its record is sealed.
    fn stored_slot(&self, raw_key: &[u8]) -> Result<Option<u32>> {
        Ok(self
            .tree
            .get(raw_key)?
            .and_then(|value| erasure::sealed_slot(&value)))
    }

    /// Applies a write as one batch: follower records are sealed with their follower's key
    /// (a new follower takes a new one), forgotten followers' keys are marked in the same
    /// batch and shredded by the flush that makes the batch durable.
    fn apply_batch(&self, write: AccountWrite) -> Result<()> {
        self.space.check()?;
        let mut batch = sled::Batch::default();
        // Slots assigned or freed by this write, so an id written twice in one batch
        // keeps one key and a put after a forget takes a new one.
        let mut slots: HashMap<Vec<u8>, Option<u32>> = HashMap::with_capacity(write.changes.len());
        let mut next_slot = None;
        let mut shred = Vec::new();
        for change in write.changes {
            match change {
                Change::PutFollower {
                    key,
                    record,
                    revision,
                } => {
                    let raw = keys::follower_key(&key);
                    let current = match slots.get(&raw) {
                        Some(slot) => *slot,
                        // Read under the account's lock, which this write still holds: what
                        // the read found is what is stored. (A forget reads its slot again:
                        // it is rare, and a shred must name the right key.)
                        None => match known_slot(revision) {
                            Some(known) => {
                                debug_assert_eq!(
                                    self.stored_slot(&raw).ok().flatten(),
                                    known,
                                    "a record is written under the slot it was read with"
                                );
                                known
                            }
                            None => self.stored_slot(&raw)?,
                        },
                    };
                    let slot = match current {
                        Some(slot) => slot,
                        None => {
                            let (slot, next) = self.keyring.allocate()?;
                            next_slot = Some(next);
                            slot
                        }
                    };
                    batch.insert(raw.clone(), self.keyring.seal(slot, &raw, &record)?);
                    slots.insert(raw, Some(slot));
                }
                Change::Forget {
                    key,
                    events,
                    outcomes,
                } => {
                    for event_id in &events {
                        batch.remove(keys::event_key(&key, event_id));
                    }
                    for outcome_id in &outcomes {
                        batch.remove(keys::outcome_key(&key, outcome_id));
                    }
                    batch.remove(keys::frozen_key(&key));
                    let raw = keys::follower_key(&key);
                    let current = match slots.get(&raw) {
                        Some(slot) => *slot,
                        None => self.stored_slot(&raw)?,
                    };
                    batch.remove(raw.clone());
                    if let Some(slot) = current {
                        batch.insert(erasure::marker_key(slot), &[][..]);
                        shred.push(slot);
                    }
                    slots.insert(raw, None);
                }
                Change::PutEvent {
                    key,
                    event_id,
                    entry,
                } => batch.insert(keys::event_key(&key, &event_id), entry),
                Change::PutOutcome {
                    key,
                    outcome_id,
                    entry,
                } => batch.insert(keys::outcome_key(&key, &outcome_id), entry),
                Change::PutOutcomeSeen { outcome_id, seen } => {
                    batch.insert(keys::outcome_seen_key(&outcome_id), seen)
                }
                Change::PutFrozen { key, frozen } => batch.insert(keys::frozen_key(&key), frozen),
                Change::PutLeadModel { version, model } => {
                    batch.insert(keys::lead_model_version_key(version), model.clone());
                    batch.insert(keys::LEAD_MODEL_KEY, model);
                }
                // The embedded store's listing lives in the service's memory.
                Change::List { .. } => {}
            }
        }
        if let Some(after) = write.aggregates {
            batch.insert(keys::AGGREGATES_KEY, after.aggregates);
            for ((platform, day), counts) in after.days {
                let key = keys::day_key(platform, day);
                match counts {
                    Some(counts) => batch.insert(key, counts),
                    None => batch.remove(key),
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

/// sled holds an exclusive file lock on its database while open and reports a conflict only
/// as an I/O error with this message (sled 0.34, `Config::try_lock`).
fn is_lock_conflict(error: &sled::Error) -> bool {
    matches!(error, sled::Error::Io(io) if io.to_string().contains("could not acquire lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_at(dir: &std::path::Path) -> Result<SledStore> {
        SledStore::open(&StoreOptions {
            data_dir: dir.to_path_buf(),
            cache_capacity_bytes: 16 * 1024 * 1024,
        })
    }

    fn reopen_at(dir: &std::path::Path) -> SledStore {
        crate::store::reopen_when_released(|| open_at(dir))
    }

    #[test]
    fn a_directory_another_store_holds_is_locked_and_free_once_it_closes() {
        let dir = tempfile::tempdir().unwrap();
        let first = open_at(dir.path()).unwrap();
        match open_at(dir.path()) {
            Err(StoreError::Locked(path, _)) => assert_eq!(path, dir.path()),
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        reopen_at(dir.path());
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
            let aggregates = codec::encode_aggregates(&AccountAggregates::default()).unwrap();
            tree.insert(b"M", aggregates.clone()).unwrap();
            store.wait_durable().unwrap();
        }
        let store = reopen_at(dir.path());
        let tree = store
            .db
            .open_tree(keys::account_tree_name(id.as_str()))
            .unwrap();
        assert_eq!(tree.scan_prefix([keys::LEGACY_INDEX_TAG]).count(), 0);
        let aggregates = codec::encode_aggregates(&AccountAggregates::default()).unwrap();
        assert_eq!(tree.get(b"M").unwrap().as_deref(), Some(&aggregates[..]));
    }

    /// A store whose account "northwind" holds `n` sealed followers and aggregates counting
    /// them, written as the service writes them (one batch), made durable.
    fn store_with_followers(dir: &std::path::Path, n: u64) -> SledStore {
        use crate::engine::ids::FollowerId;
        use crate::engine::vocabulary::Platform;
        use crate::store::write::AggregatesAfter;
        let store = open_at(dir).unwrap();
        let id = AccountId::parse("northwind").unwrap();
        store.put_account(&AccountConfig::new(id.clone())).unwrap();
        let aggregates = AccountAggregates {
            stored_followers: n,
            ..AccountAggregates::default()
        };
        let mut write = AccountWrite::new(false);
        write.changes = (0..n)
            .map(|i| Change::PutFollower {
                key: FollowerKey {
                    platform: Platform::ALL[0],
                    id: FollowerId::parse(&format!("follower-{i}")).unwrap(),
                },
                record: format!("record {i}").into_bytes(),
                revision: Revision::ABSENT,
            })
            .collect();
        write.aggregates = Some(AggregatesAfter {
            aggregates: codec::encode_aggregates(&aggregates).unwrap(),
            days: Vec::new(),
        });
        store.account(&id).unwrap().apply(write).unwrap();
        store.wait_durable().unwrap();
        store
    }

    /// Why opening `dir` is refused, once the dropped store's lock is released.
    fn refusal_at(dir: &std::path::Path) -> String {
        crate::store::reopen_when_released(|| match open_at(dir) {
            Err(locked @ StoreError::Locked(..)) => Err(locked),
            Err(refusal) => Ok(refusal.to_string()),
            Ok(_) => panic!("a damaged directory opened"),
        })
    }

    /// What a hole in the middle of sled's log does (records gone, or garbage where a
    /// record was, while the flush counter survives) is refused at open, naming the
    /// directory, the account and what was found.
    #[test]
    fn records_missing_or_not_opening_are_refused_at_open() {
        let dir = tempfile::tempdir().unwrap();
        drop(store_with_followers(dir.path(), 3));
        // Whole, it opens.
        let store = reopen_at(dir.path());

        // A record gone.
        let tree = store
            .db
            .open_tree(keys::account_tree_name("northwind"))
            .unwrap();
        let (first, value) = tree
            .scan_prefix([keys::FOLLOWER_TAG])
            .next()
            .unwrap()
            .unwrap();
        tree.remove(&first).unwrap();
        store.wait_durable().unwrap();
        drop((store, tree));
        let refusal = refusal_at(dir.path());
        assert!(
            refusal.contains(&dir.path().display().to_string()),
            "{refusal}"
        );
        assert!(
            refusal.contains(
                "account northwind holds 2 follower records where its aggregates count 3"
            ),
            "{refusal}"
        );

        // Back, with one byte changed.
        let dir_path = dir.path().to_path_buf();
        let mut flipped = value.to_vec();
        *flipped.last_mut().unwrap() ^= 1;
        {
            let db = crate::store::reopen_when_released(|| {
                sled::open(&dir_path).map_err(|e| match is_lock_conflict(&e) {
                    true => StoreError::Locked(dir_path.clone(), e),
                    false => StoreError::Sled(e),
                })
            });
            let tree = db.open_tree(keys::account_tree_name("northwind")).unwrap();
            tree.insert(&first, flipped).unwrap();
            db.flush().unwrap();
        }
        let refusal = refusal_at(dir.path());
        assert!(
            refusal.contains("account northwind holds a follower record that does not open"),
            "{refusal}"
        );
    }
}
