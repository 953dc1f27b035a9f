//! Storage: the seam between the service and where its data lives.
//!
//! The service talks to `Store` (accounts, durability, audits) and `AccountStore` (one
//! account's followers, ledger, outcomes, lead models and aggregates). Both are thin handles
//! over a backend trait, `Backend` and `AccountBackend`, whose contract is this module's:
//!
//! - every write of an account is one `AccountWrite`, applied atomically: follower records,
//!   ledger and outcome entries and the aggregates change together or not at all, so
//!   aggregates always equal a recount of the records;
//! - a write is acknowledged once its `Ticket` is durable, by the backend's own meaning of
//!   durable (ARCHITECTURE.md, "Storage backends");
//! - reads by id, follower scans in key order, and erasure that leaves nothing behind.
//!
//! Two backends implement it: `sled_backend` (the default: one embedded database in one
//! data directory, one process) and `redis_backend` (a Redis Cluster shared by many
//! replicas, where a write also checks that nothing it read has changed since: `Revision`,
//! `AccountWrite::expect_stamp`).
//!
//! The store knows nothing of tonic or of scoring rules: it persists what the service
//! decided, and decides nothing itself.

mod codec;
pub mod compression;
mod durability;
pub mod redis_backend;
mod sled_backend;
mod write;

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::account::AccountConfig;
use crate::engine::counting::aggregates::AccountAggregates;
use crate::engine::deciding::engagement::{EngagementSummary, LedgerEntry};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::{FrozenFeatures, LeadModel, OutcomeKind};
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;

#[cfg(test)]
pub(crate) use codec::RECORD_FORMAT_RESTAMPED;
pub use codec::record_plaintext;
pub use durability::{Durable, FlushFailed, Ticket};
pub use redis_backend::RedisOptions;
pub use write::{AccountWrite, ScoringStamp};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage engine error")]
    Sled(#[from] ::sled::Error),
    #[error("could not encode a stored value")]
    Encode(#[source] postcard::Error),
    #[error("could not decode a stored value")]
    Decode(#[source] postcard::Error),
    /// A follower record's compressed frame could not be written or read.
    #[error("could not compress or decompress a follower record")]
    Compression(#[source] std::io::Error),
    #[error("stored value has unknown format version {0}")]
    UnknownFormat(u8),
    /// Another process (a running server) holds the data directory's lock.
    #[error("the data directory {} is in use by another process", .0.display())]
    Locked(PathBuf, #[source] ::sled::Error),
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
    /// An account's follower records do not match what its aggregates count, or one of
    /// them does not open with its key: sled recovered a log with a hole in it
    /// (`sled_backend/integrity.rs`).
    #[error(
        "the database in {} is damaged: account {account} {finding}; refusing to start rather \
         than serve it so", .dir.display()
    )]
    DamagedAccount {
        dir: PathBuf,
        account: String,
        finding: String,
    },
    /// Writes stop while the data directory's filesystem has less than the reserve free, so
    /// the storage engine never meets a full disk (after which sled fails every write until
    /// restarted); they resume by themselves once space is freed.
    #[error(
        "the disk of the data directory is full ({free} bytes free, {reserve} kept in reserve)"
    )]
    DiskFull { free: u64, reserve: u64 },
    /// A Redis Cluster command failed (connection, timeout, cluster down, script error).
    #[error("redis cluster: {0}")]
    Redis(#[source] ::redis::RedisError),
    /// The write read something another replica has changed since (a follower, the
    /// account's configuration or lead model): nothing of it was applied. The caller
    /// reloads what changed and tries again.
    #[error("the account changed while the write was prepared ({0})")]
    Conflict(&'static str),
    /// The account is not stored (another replica deleted it).
    #[error("the account is not stored")]
    AccountGone,
    /// The write was applied on the primary but fewer replicas than required confirmed it
    /// in time: it is not acknowledged.
    #[error("the write reached {acknowledged} of the {required} replicas required")]
    NotReplicated { required: u32, acknowledged: u32 },
}

/// Free space the store keeps on its filesystem: writes are refused below it. Larger than
/// anything sled writes between two checks (a chunk's batch, a log segment, a flush).
pub const MIN_FREE_BYTES: u64 = 64 * 1024 * 1024;

impl StoreError {
    /// The shared store could not be reached or could not serve now (a connection lost, a
    /// failover, a timeout): nothing was acknowledged and a retry may succeed. Answers the
    /// store sent that make no sense are not outages but bugs.
    pub fn is_outage(&self) -> bool {
        matches!(self, StoreError::Redis(error) if redis_backend::is_outage(error))
    }

    /// A write refused or failed for lack of space (the caller may retry later).
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::DiskFull { .. } => true,
            StoreError::Sled(::sled::Error::Io(io)) | StoreError::Keyring(_, io) => {
                io.raw_os_error() == Some(28) // ENOSPC
            }
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How the embedded database is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub data_dir: PathBuf,
    /// sled's page cache. sled's own default is 1 GiB; the service chooses deliberately.
    pub cache_capacity_bytes: u64,
}

/// Which stored version of a follower a record was read as. The Redis backend stores the
/// account's write counter with each record and applies a write only if every follower it
/// rewrites is still at the revision it was read at (optimistic concurrency between
/// replicas). sled serialises an account's writes in one process and checks nothing; its
/// revision names the key slot the record was sealed under (`sled_backend::erasure`), so a
/// record read under the account's lock and rewritten under it is sealed again, and a
/// follower read there as absent gets a new key, without a second read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision(pub(crate) u64);

impl Revision {
    /// Read, and not stored (a new follower).
    pub const ABSENT: Revision = Revision(0);
    /// Not read from the store (a record made elsewhere): a backend that needs what is
    /// stored looks it up.
    pub const UNREAD: Revision = Revision(u64::MAX);
}

impl Default for Revision {
    fn default() -> Self {
        Self::UNREAD
    }
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
    /// The stored version this record was read as, or derives from (not stored in the
    /// value): a write of the record is applied only if the stored record is still that
    /// version. See `Revision`.
    #[serde(skip)]
    pub revision: Revision,
    /// The value this record was read from (not stored in it).
    #[serde(skip)]
    pub stored: StoredValue,
}

/// The value a record was read from, as the codec wrote it (before sealing), kept so that a
/// rewrite that changes nothing but the result's stamp stores it again under the new stamp
/// instead of encoding and compressing the record anew (`codec::restamp_record`). Empty for
/// a record not read from the store. It is not part of what a record holds: records compare
/// equal whatever they were read from.
#[derive(Debug, Clone, Default)]
pub struct StoredValue(pub(crate) Option<Vec<u8>>);

impl StoredValue {
    pub fn bytes(&self) -> Option<&[u8]> {
        self.0.as_deref()
    }
}

impl PartialEq for StoredValue {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl FollowerRecord {
    /// The record as it is stored: the result without its explanation.
    pub fn unexplained(mut self) -> Self {
        Explanation::take(&mut self.result);
        self
    }

    pub fn parts(&self) -> RecordParts<'_> {
        RecordParts {
            profile: &self.profile,
            result: &self.result,
            engagement: &self.engagement,
        }
    }
}

/// What a write stores of a follower record, borrowed: a write can store a record whose
/// profile it does not own (an op that keeps the stored profile moves it rather than
/// copying it). Serialized field for field as `FollowerRecord` is (`revision` is not
/// stored), so both encode to the same bytes (`codec` tests it).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RecordParts<'a> {
    pub profile: &'a FollowerProfile,
    pub result: &'a FollowerResult,
    pub engagement: &'a EngagementSummary,
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

/// What a store backend does for the whole service. Implemented by `sled_backend` and
/// `redis_backend`; the service sees it only through `Store`.
pub(crate) trait Backend: Send + Sync + Debug {
    /// Stores an account's configuration. `config.config_version - 1` is the version the
    /// caller replaces (0: a new account); a shared backend refuses the write with
    /// `Conflict` if another replica got there first.
    fn put_account(&self, config: &AccountConfig) -> Result<()>;
    fn get_account(&self, id: &AccountId) -> Result<Option<AccountConfig>>;
    fn list_accounts(&self) -> Result<Vec<AccountConfig>>;
    /// Removes an account and everything stored for it; returns how many followers were
    /// stored. Durable when it returns.
    fn delete_account(&self, id: &AccountId) -> Result<u64>;
    fn account(&self, id: &AccountId) -> Result<Arc<dyn AccountBackend>>;
    /// A ticket covering every write made before the call.
    fn ticket(&self) -> Ticket;
    fn wait(&self, ticket: Ticket) -> Result<()>;
    fn durable(&self, ticket: Ticket) -> Durable;
    fn audit_bytes(&self, needle: &[u8]) -> Result<Vec<String>>;
    fn size_on_disk(&self) -> Result<u64>;
    /// Whether other processes write to the same data (then in-memory copies of an
    /// account's state must be checked against `AccountBackend::generation`).
    fn is_shared(&self) -> bool;
}

/// One account's data in a backend. See `AccountStore` for the meaning of each method.
pub(crate) trait AccountBackend: Send + Sync + Debug {
    fn load_aggregates(&self) -> Result<AccountAggregates>;
    fn get_follower(&self, key: &FollowerKey) -> Result<Option<FollowerRecord>>;
    fn get_followers(&self, keys: &[FollowerKey]) -> Result<Vec<Option<FollowerRecord>>> {
        keys.iter().map(|key| self.get_follower(key)).collect()
    }
    fn ledger(&self, key: &FollowerKey) -> Result<Vec<(String, LedgerEntry)>>;
    fn has_outcome(&self, outcome_id: &str) -> Result<bool>;
    fn frozen(&self, key: &FollowerKey) -> Result<Option<FrozenFeatures>>;
    fn outcome_ids(&self, key: &FollowerKey) -> Result<Vec<String>>;
    fn deals(&self) -> Result<Vec<StoredDeal>>;
    fn lead_model(&self) -> Result<Option<LeadModel>>;
    fn lead_model_version(&self, version: u64) -> Result<Option<LeadModel>>;
    fn has_event(&self, key: &FollowerKey, event_id: &str) -> Result<bool>;
    fn scan_followers(
        &self,
        after: Option<&FollowerKey>,
        limit: usize,
    ) -> Result<Vec<FollowerRecord>>;
    /// Applies the write atomically; returns the account's generation after it.
    fn apply(&self, write: AccountWrite) -> Result<u64>;
    /// The account's write counter as stored, if other processes may move it.
    fn generation(&self) -> Result<Option<u64>>;
    /// Whether other processes write this account too: writes then carry the revisions they
    /// read and counter deltas (`AccountWrite::count`) for the store to check and apply.
    fn shared_by_replicas(&self) -> bool;
    /// Up to `count` listing entries from `from` on (inclusive; `None`: the first), in byte
    /// order; `None` if the backend keeps no listing (the service keeps it in memory).
    fn listing(&self, _from: Option<&[u8]>, _count: usize) -> Result<Option<Vec<Vec<u8>>>> {
        Ok(None)
    }
    /// Takes or renews the account's lease for `holder` (false: another holder has it).
    fn lease(&self, holder: &str, ttl: std::time::Duration) -> Result<bool>;
    /// The last day (UTC days since 1970) a whole daily sweep of the account ended within.
    fn swept_day(&self) -> Result<Option<i64>>;
    fn set_swept_day(&self, day: i64) -> Result<()>;
}

/// The service's store: a handle on one backend, cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
}

impl Store {
    /// Opens (or creates) the embedded sled store in `options.data_dir`.
    pub fn open(options: &StoreOptions) -> Result<Self> {
        Ok(Self {
            backend: Arc::new(sled_backend::SledStore::open(options)?),
        })
    }

    /// Connects to a Redis Cluster shared with other replicas.
    pub fn open_redis(options: &RedisOptions) -> Result<Self> {
        Ok(Self {
            backend: Arc::new(redis_backend::RedisStore::open(options)?),
        })
    }

    /// A ticket covering every write made before the call (see `durability.rs`).
    pub fn ticket(&self) -> Ticket {
        self.backend.ticket()
    }

    /// Blocks until `ticket` is durable. Call it from a blocking context.
    pub fn wait(&self, ticket: Ticket) -> Result<()> {
        self.backend.wait(ticket)
    }

    /// Completes when `ticket` is durable, without holding a thread.
    pub fn durable(&self, ticket: Ticket) -> Durable {
        self.backend.durable(ticket)
    }

    /// Blocks until every write made before the call is durable. Concurrent callers share
    /// one flush (group commit).
    pub fn wait_durable(&self) -> Result<()> {
        self.wait(self.ticket())
    }

    /// Stores an account's configuration; `config.config_version - 1` is the version it
    /// replaces (`Conflict` if a shared store holds another).
    pub fn put_account(&self, config: &AccountConfig) -> Result<()> {
        self.backend.put_account(config)
    }

    pub fn get_account(&self, id: &AccountId) -> Result<Option<AccountConfig>> {
        self.backend.get_account(id)
    }

    pub fn list_accounts(&self) -> Result<Vec<AccountConfig>> {
        self.backend.list_accounts()
    }

    /// Removes an account and everything stored for it; returns how many followers were
    /// stored.
    pub fn delete_account(&self, id: &AccountId) -> Result<u64> {
        self.backend.delete_account(id)
    }

    pub fn account_store(&self, id: &AccountId) -> Result<AccountStore> {
        Ok(AccountStore {
            backend: self.backend.account(id)?,
        })
    }

    /// Names the places whose live keys or values contain `needle`: an audit that erased
    /// personal data is gone. Reads everything; meant for audits and tests, not requests.
    pub fn audit_bytes(&self, needle: &[u8]) -> Result<Vec<String>> {
        self.backend.audit_bytes(needle)
    }

    pub fn size_on_disk(&self) -> Result<u64> {
        self.backend.size_on_disk()
    }

    /// Whether other processes write to the same data.
    pub fn is_shared(&self) -> bool {
        self.backend.is_shared()
    }
}

/// One account's followers, ledger, outcomes, lead models and aggregates.
#[derive(Debug, Clone)]
pub struct AccountStore {
    backend: Arc<dyn AccountBackend>,
}

impl AccountStore {
    /// Aggregates with their day series, as last committed.
    pub fn load_aggregates(&self) -> Result<AccountAggregates> {
        self.backend.load_aggregates()
    }

    pub fn get_follower(&self, key: &FollowerKey) -> Result<Option<FollowerRecord>> {
        self.backend.get_follower(key)
    }

    /// Several followers in one request, in the order asked.
    pub fn get_followers(&self, keys: &[FollowerKey]) -> Result<Vec<Option<FollowerRecord>>> {
        self.backend.get_followers(keys)
    }

    /// Every ledger entry of a follower, by event id.
    pub fn ledger(&self, key: &FollowerKey) -> Result<Vec<(String, LedgerEntry)>> {
        self.backend.ledger(key)
    }

    pub fn has_outcome(&self, outcome_id: &str) -> Result<bool> {
        self.backend.has_outcome(outcome_id)
    }

    /// The follower's features as frozen for its deal, if it has one.
    pub fn frozen(&self, key: &FollowerKey) -> Result<Option<FrozenFeatures>> {
        self.backend.frozen(key)
    }

    /// The ids of a follower's recorded outcomes.
    pub fn outcome_ids(&self, key: &FollowerKey) -> Result<Vec<String>> {
        self.backend.outcome_ids(key)
    }

    /// Every deal of the account: followers with frozen features and their outcomes, in
    /// key order; training reads it whole.
    pub fn deals(&self) -> Result<Vec<StoredDeal>> {
        self.backend.deals()
    }

    /// The lead model in force, if the account ever had one other than the rules.
    pub fn lead_model(&self) -> Result<Option<LeadModel>> {
        self.backend.lead_model()
    }

    /// A lead model version the account had in force (for pinning).
    pub fn lead_model_version(&self, version: u64) -> Result<Option<LeadModel>> {
        self.backend.lead_model_version(version)
    }

    pub fn has_event(&self, key: &FollowerKey, event_id: &str) -> Result<bool> {
        self.backend.has_event(key, event_id)
    }

    /// Up to `limit` follower records after `after` in key order (for rescoring passes and
    /// recounts).
    pub fn scan_followers(
        &self,
        after: Option<&FollowerKey>,
        limit: usize,
    ) -> Result<Vec<FollowerRecord>> {
        self.backend.scan_followers(after, limit)
    }

    /// A write for this account (it knows what the backend needs recorded).
    pub fn new_write(&self) -> AccountWrite {
        AccountWrite::new(self.backend.shared_by_replicas())
    }

    /// Applies a write atomically; returns the account's generation after it (a counter of
    /// its writes: in a shared store, a generation more than one past the last one this
    /// process saw means another replica wrote in between).
    pub fn apply(&self, write: AccountWrite) -> Result<u64> {
        self.backend.apply(write)
    }

    /// Takes or renews, for `holder`, the account's lease on work only one replica may do
    /// at a time (the rescoring pass); false while another holder has it. It expires after
    /// `ttl` without renewal. Always granted when only this process writes the account.
    pub fn lease(&self, holder: &str, ttl: std::time::Duration) -> Result<bool> {
        self.backend.lease(holder, ttl)
    }

    /// Up to `count` listing entries from `from` on, for a backend that keeps the listing
    /// (`AccountWrite::list`); `None` if it does not.
    pub fn listing(&self, from: Option<&[u8]>, count: usize) -> Result<Option<Vec<Vec<u8>>>> {
        self.backend.listing(from, count)
    }

    /// The account's generation as stored, or `None` if only this process writes it.
    pub fn generation(&self) -> Result<Option<u64>> {
        self.backend.generation()
    }

    /// The last day (UTC days since 1970) a whole daily sweep of the account ended within,
    /// by any process (`service::rescore`): a restart, or another replica, need not walk
    /// the account again that day.
    pub fn swept_day(&self) -> Result<Option<i64>> {
        self.backend.swept_day()
    }

    /// Records that a whole sweep ended within `day`. Not waited for: losing it to a
    /// crash costs one more walk, nothing else.
    pub fn set_swept_day(&self, day: i64) -> Result<()> {
        self.backend.set_swept_day(day)
    }
}

/// Opens a store in `dir` with a small cache, for tests and tools.
pub fn open_at(dir: &Path) -> Result<Store> {
    Store::open(&StoreOptions {
        data_dir: dir.to_path_buf(),
        cache_capacity_bytes: 64 * 1024 * 1024,
    })
}

/// `open()` of a directory a store of this process used and dropped: sled's own background
/// threads let go of a closed database's lock a moment after the drop (a restarted server is
/// a new process and never meets this), so `Locked` is retried for up to ten seconds.
#[cfg(test)]
#[allow(clippy::disallowed_methods)] // a test polling to a deadline, as clippy.toml asks
pub(crate) fn reopen_when_released<S>(open: impl Fn() -> Result<S>) -> S {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match open() {
            Err(StoreError::Locked(..)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            opened => return opened.expect("the store opens again"),
        }
    }
}
