//! The application layer: orchestrates the engine and the store for every use case the API
//! offers. Transport-free (no tonic, no runtime): the gRPC layer and the CLI call these
//! blocking methods. A write answers with a `Pending` value, to be given to the caller once
//! the write is durable: the CLI blocks on it (`wait`), the gRPC layer awaits it
//! (`durable`), so no thread is parked per unacknowledged call.
//!
//! Owns the account registry (configuration, compiled scoring context, in-memory aggregates
//! and listing index per account), the one write path every mutation goes through
//! (`writes.rs`), the freshness policy (what is rescored on read, what in the background)
//! and the limits. It does not know about wire types or storage engines.
//!
//! With a shared store (replicas over a Redis Cluster) the registry's per-account state is
//! a cache of the store: `Service::synced` brings it up to date before it is used, a write
//! that lost a race with another replica is prepared again (`Service::apply_ops`), and the
//! listing is read from the store rather than kept in memory.

mod combining;
pub mod error;
pub mod import;
mod listing;
pub mod outcomes;
#[cfg(test)]
mod properties;
mod reads;
pub mod rescore;
mod stats;
#[cfg(test)]
pub(crate) mod testing;
mod writes;

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};

use crate::engine::account::AccountConfig;
use crate::engine::bot::BotModel;
use crate::engine::context::ScoringContext;
use crate::engine::counting::aggregates::{AccountAggregates, VersionStamp};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::LeadModel;
use crate::engine::time::Timestamp;
use crate::store::{AccountStore, Durable, ScoringStamp, Store};

use listing::ListingSlot;

pub use error::{Result, ServiceError};
pub use import::{ImportOutcome, ImportRowError, ImportedFollower};
pub use listing::FollowerFilter;
pub use outcomes::{OutcomeInput, OutcomeStatus, OutcomeSubject, OutcomesRecorded};
pub use reads::{FollowerPage, QualityReport, SharedReport};
pub use stats::ServiceStats;
pub use writes::{EngagementOutcome, FollowerWrite, ScoreItem};

/// Every limit of the server, in one place: request values, messages and streams, imports,
/// and load. `config` reads them from the configuration file and validates them once; the
/// gRPC layer and the service only read them, and each limit is checked at exactly one
/// place (named beside it). Documented in the README's settings table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest gRPC message accepted or sent (tonic's codec).
    pub max_message_bytes: usize,
    /// Most followers of a ClassifyFollowers stream scored and stored as one batch (gRPC
    /// stream handler). Larger chunks amortise the durable flush; the bound keeps memory
    /// per stream small.
    pub stream_chunk: usize,
    /// Longest short text field (headline, title, company, …) and bio, in bytes
    /// (`grpc/convert.rs`; for imported rows `service/import.rs`).
    pub max_text_bytes: usize,
    pub max_bio_bytes: usize,
    /// Largest count accepted (followers, posts, …) and company size (`grpc/convert.rs`;
    /// for imported rows `service/import.rs`).
    pub max_count: u64,
    pub max_company_size: u64,
    /// How far in the future a timestamp may lie, for clock skew (`grpc/convert.rs`; for
    /// imported rows `service/import.rs`).
    pub max_future_skew_secs: i64,
    /// Most engagement events in one request (`grpc/convert.rs` for ScoreFollower, the
    /// service for RecordEngagement).
    pub max_events_per_request: usize,
    /// Most outcomes in one RecordOutcomes request (service).
    pub max_outcomes_per_request: usize,
    /// Most ids one GetFollower call may ask for (service).
    pub max_get_ids: usize,
    /// Default and maximum ListFollowers page size (service).
    pub default_page_size: usize,
    pub max_page_size: usize,
    /// Default and maximum top leads in a report (service).
    pub default_top_leads: usize,
    pub max_top_leads: usize,
    /// Most bytes one ImportFollowers call may send in all (service), and in one message
    /// (`grpc/byte_stream.rs`).
    pub max_import_bytes: u64,
    pub max_import_chunk_bytes: usize,
    /// Most per-row errors and stored-row summaries one import answers with; the rest are
    /// counted. Together they keep the answer well within the default message size.
    pub max_import_errors: usize,
    pub max_import_followers: usize,
    /// Calls served at once across all callers; past it a call is shed with UNAVAILABLE
    /// at once rather than queued (`grpc/gate.rs`). Health checks are never shed.
    pub max_concurrent_calls: usize,
    /// Calls one API key may have in flight at once; past it RESOURCE_EXHAUSTED.
    pub per_key_concurrent_calls: usize,
    /// Calls per second one API key may start on average, and the burst it may start at
    /// once (a token bucket); past it RESOURCE_EXHAUSTED.
    pub per_key_calls_per_second: u32,
    pub per_key_burst: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 * 1024 * 1024,
            stream_chunk: 1_024,
            max_text_bytes: 1_024,
            max_bio_bytes: 8_192,
            max_count: 10_000_000_000,
            max_company_size: 10_000_000,
            max_future_skew_secs: 86_400,
            max_events_per_request: 1_000,
            max_outcomes_per_request: 1_000,
            max_get_ids: 1_000,
            default_page_size: 100,
            max_page_size: 1_000,
            default_top_leads: 10,
            max_top_leads: 100,
            max_import_bytes: 64 * 1024 * 1024,
            max_import_chunk_bytes: 1024 * 1024,
            max_import_errors: 1_000,
            max_import_followers: 10_000,
            // Sized from BENCHMARKS.md: two cores saturate well below this many calls; past
            // it, queueing only adds latency.
            max_concurrent_calls: 256,
            per_key_concurrent_calls: 32,
            per_key_calls_per_second: 200,
            per_key_burst: 400,
        }
    }
}

/// One account's live state. The mutex serialises the account's writes, which is what keeps
/// read-modify-write of its aggregates exact; different accounts write in parallel.
pub(crate) struct AccountHandle {
    pub(crate) stored: AccountStore,
    pub(crate) state: Mutex<AccountState>,
    /// Signalled when a build of `AccountState::listing` ends, for listings waiting on it.
    pub(crate) listing_built: Condvar,
    /// Where the background rescoring pass continues.
    pub(crate) rescore_cursor: Mutex<Option<FollowerKey>>,
    /// The daily sweep's progress (`rescore.rs`).
    pub(crate) sweep: Mutex<rescore::Sweep>,
    /// Single-follower writes waiting to be applied together (`combining.rs`).
    pub(crate) writes: combining::WriteQueue,
}

pub(crate) struct AccountState {
    pub(crate) ctx: Arc<ScoringContext>,
    pub(crate) aggregates: AccountAggregates,
    /// Built on the first listing, then kept current by every write (`listing.rs`).
    pub(crate) listing: ListingSlot,
    /// Counts committed writes and configuration changes: what a cached report was built
    /// from. With a shared store, the account's generation in the store when this state
    /// last matched it.
    pub(crate) generation: u64,
    /// With a shared store: false once this state may differ from the store (another
    /// replica wrote, or a write failed), until `Service::synced` reloads it.
    pub(crate) synced: bool,
    pub(crate) report_cache: Option<reads::CachedReport>,
}

impl AccountState {
    /// A write committed. `stored`: the account's generation after it in a shared store,
    /// which tells whether this state saw every write before it.
    pub(crate) fn advance(&mut self, stored: Option<u64>) {
        self.report_cache = None;
        match stored {
            None => self.generation += 1,
            Some(generation) if self.synced && generation == self.generation + 1 => {
                self.generation = generation;
            }
            // Another replica wrote in between: the in-memory copies hold this write but
            // not that one.
            Some(_) => self.synced = false,
        }
    }

    /// What this state's results are computed under, as a shared store checks it.
    pub(crate) fn scoring_stamp(&self) -> ScoringStamp {
        ScoringStamp {
            config_version: self.ctx.config.config_version,
            lead_model_version: self.ctx.lead_model.version(),
            model_version: self.ctx.model_version.to_string(),
        }
    }

    pub(crate) fn stamp(&self) -> VersionStamp {
        VersionStamp {
            config_version: self.ctx.config.config_version,
            model_version: self.ctx.model_version.to_string(),
        }
    }
}

impl AccountHandle {
    pub(crate) fn lock(&self) -> MutexGuard<'_, AccountState> {
        // A panic while holding the lock cannot leave the aggregates half-updated on disk
        // (writes are atomic batches); continuing with the in-memory copy is safe.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A write's answer, to be given to the caller once the write is durable.
#[must_use = "a write is acknowledged only once it is durable"]
#[derive(Debug)]
pub struct Pending<T> {
    value: T,
    durable: Durable,
}

impl<T> Pending<T> {
    /// Blocks until the write is durable.
    pub fn wait(self) -> Result<T> {
        self.durable
            .wait()
            .map_err(crate::store::StoreError::from)?;
        Ok(self.value)
    }

    /// Completes once the write is durable, holding no thread meanwhile.
    pub async fn durable(self) -> Result<T> {
        self.durable.await.map_err(crate::store::StoreError::from)?;
        Ok(self.value)
    }

    /// An answer that wrote nothing and so waits for nothing.
    pub fn ready(value: T) -> Self {
        Self {
            value,
            durable: Durable::already(),
        }
    }

    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Pending<U> {
        Pending {
            value: f(self.value),
            durable: self.durable,
        }
    }
}

/// A name for this process, unique across replicas: host, process id and random bytes.
fn replica_id() -> String {
    let mut random = [0u8; 6];
    // Without entropy the process id alone still tells replicas on one host apart.
    let _ = getrandom::fill(&mut random);
    let host = std::env::var("HOSTNAME").unwrap_or_default();
    format!("{host}/{}/{}", std::process::id(), hex::encode(random))
}

pub struct Service {
    store: Store,
    bot_model: Arc<dyn BotModel>,
    limits: Limits,
    accounts: RwLock<HashMap<AccountId, Arc<AccountHandle>>>,
    /// Wakes the background rescorer when results go stale.
    rescore_signal: rescore::Signal,
    /// Names this process when it holds an account's lease (`AccountStore::lease`).
    replica_id: String,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service").finish_non_exhaustive()
    }
}

impl Service {
    /// Loads every account's configuration and aggregates. Results scored under another
    /// model version are stale from here on and will be rescored in the background.
    pub fn open(store: Store, bot_model: Arc<dyn BotModel>, limits: Limits) -> Result<Self> {
        let service = Self {
            store,
            bot_model,
            limits,
            accounts: RwLock::new(HashMap::new()),
            rescore_signal: rescore::Signal::default(),
            replica_id: replica_id(),
        };
        for config in service.store.list_accounts()? {
            let handle = service.load_handle(Arc::new(config))?;
            let id = handle.lock().ctx.config.account_id.clone();
            service.registry_write().insert(id, handle);
        }
        Ok(service)
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn model_version(&self) -> String {
        crate::engine::context::model_version(self.bot_model.as_ref())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn load_handle(&self, config: Arc<AccountConfig>) -> Result<Arc<AccountHandle>> {
        let stored = self.store.account_store(&config.account_id)?;
        let lead_model = Arc::new(stored.lead_model()?.unwrap_or_else(LeadModel::rules));
        let mut state = AccountState {
            ctx: Arc::new(
                ScoringContext::new(config, self.bot_model.clone()).with_lead_model(lead_model),
            ),
            aggregates: stored.load_aggregates()?,
            listing: ListingSlot::Absent,
            generation: stored.generation()?.unwrap_or(0),
            synced: true,
            report_cache: None,
        };
        let stamp = state.stamp();
        state.aggregates.restamp(stamp);
        Ok(Arc::new(AccountHandle {
            stored,
            state: Mutex::new(state),
            listing_built: Condvar::new(),
            rescore_cursor: Mutex::new(None),
            sweep: Mutex::default(),
            writes: combining::WriteQueue::default(),
        }))
    }

    fn registry_write(
        &self,
    ) -> std::sync::RwLockWriteGuard<'_, HashMap<AccountId, Arc<AccountHandle>>> {
        self.accounts.write().unwrap_or_else(|p| p.into_inner())
    }

    fn registry_read(
        &self,
    ) -> std::sync::RwLockReadGuard<'_, HashMap<AccountId, Arc<AccountHandle>>> {
        self.accounts.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn handle(&self, id: &AccountId) -> Result<Arc<AccountHandle>> {
        if let Some(handle) = self.registry_read().get(id).cloned() {
            return Ok(handle);
        }
        // Another replica may have created the account since this one loaded its accounts.
        if self.store.is_shared()
            && let Some(config) = self.store.get_account(id)?
        {
            let mut registry = self.registry_write();
            if let Some(handle) = registry.get(id) {
                return Ok(handle.clone());
            }
            let handle = self.load_handle(Arc::new(config))?;
            registry.insert(id.clone(), handle.clone());
            drop(registry);
            self.rescore_signal.notify();
            return Ok(handle);
        }
        Err(ServiceError::not_found(format!("account {id}")))
    }

    /// The account's state, locked and, with a shared store, brought up to date with it:
    /// if another replica wrote since this one last looked, the configuration, lead model
    /// and aggregates are reloaded and the listing and report rebuilt when next asked for.
    /// One read of the account's generation when nothing changed.
    pub(crate) fn synced<'a>(
        &self,
        handle: &'a AccountHandle,
    ) -> Result<MutexGuard<'a, AccountState>> {
        let mut state = handle.lock();
        if !self.store.is_shared() {
            return Ok(state);
        }
        let stored = handle.stored.generation()?.unwrap_or(0);
        if state.synced && stored == state.generation {
            return Ok(state);
        }
        let id = state.ctx.config.account_id.clone();
        let Some(config) = self.store.get_account(&id)? else {
            drop(state);
            self.registry_write().remove(&id);
            return Err(ServiceError::not_found(format!("account {id}")));
        };
        let lead_model = handle.stored.lead_model()?.unwrap_or_else(LeadModel::rules);
        let changed = config.config_version != state.ctx.config.config_version
            || lead_model.version() != state.ctx.lead_model.version();
        if changed {
            state.ctx = Arc::new(
                ScoringContext::new(Arc::new(config), self.bot_model.clone())
                    .with_lead_model(Arc::new(lead_model)),
            );
        }
        let mut aggregates = handle.stored.load_aggregates()?;
        aggregates.restamp(state.stamp());
        state.aggregates = aggregates;
        state.listing = ListingSlot::Absent;
        state.report_cache = None;
        state.generation = stored;
        state.synced = true;
        if changed {
            self.results_went_stale(handle, &mut state);
            // `results_went_stale` counts a local change; the state matches the store.
            state.generation = stored;
        }
        Ok(state)
    }

    pub(crate) fn account_ids(&self) -> Vec<AccountId> {
        self.registry_read().keys().cloned().collect()
    }

    /// Creates or replaces an account's configuration with the next `config_version`.
    /// Stored results become stale and are rescored in the background.
    pub fn upsert_account(
        &self,
        mut config: AccountConfig,
        now: Timestamp,
    ) -> Result<AccountConfig> {
        config
            .validate()
            .map_err(|e| ServiceError::invalid(format!("account.{}", e.field), e.message))?;
        // Holding the registry lock across the store write keeps two concurrent upserts of
        // one account from handing out the same version; between replicas, the store
        // refuses a version another replica has stored first, and the next one is tried.
        let mut registry = self.registry_write();
        let previous = registry.get(&config.account_id).cloned();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let previous_config = match &previous {
                _ if self.store.is_shared() => {
                    self.store.get_account(&config.account_id)?.map(Arc::new)
                }
                Some(handle) => Some(handle.lock().ctx.config.clone()),
                None => None,
            };
            config.config_version = previous_config.as_ref().map_or(0, |p| p.config_version) + 1;
            config.bot_prior_since = match &previous_config {
                Some(p) if p.settings.bot_prior == config.settings.bot_prior => p.bot_prior_since,
                _ => config.config_version,
            };
            config.updated_at = now;
            match self.store.put_account(&config) {
                Err(crate::store::StoreError::Conflict(_)) if attempt < 8 => continue,
                other => other?,
            }
            break;
        }
        self.store.wait_durable()?;
        let config = Arc::new(config);
        match previous {
            Some(handle) => {
                let mut state = handle.lock();
                // The learned model stays in force: it learned from deals, not from the ICP.
                state.ctx = Arc::new(
                    ScoringContext::new(config.clone(), self.bot_model.clone())
                        .with_lead_model(state.ctx.lead_model.clone()),
                );
                self.results_went_stale(&handle, &mut state);
                // Other replicas may have written since this one last looked.
                state.synced = false;
            }
            None => {
                let handle = self.load_handle(config.clone())?;
                registry.insert(config.account_id.clone(), handle);
            }
        }
        drop(registry);
        self.rescore_signal.notify();
        Ok((*config).clone())
    }

    /// After the scoring context changed (configuration or lead model): the report and the
    /// freshness counters start again, and the background pass starts over.
    fn results_went_stale(&self, handle: &AccountHandle, state: &mut AccountState) {
        state.generation += 1;
        state.report_cache = None;
        let stamp = state.stamp();
        state.aggregates.restamp(stamp);
        *handle
            .rescore_cursor
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        self.rescore_signal.notify();
    }

    pub fn get_account(&self, id: &AccountId) -> Result<AccountConfig> {
        let handle = self.handle(id)?;
        let config = self.synced(&handle)?.ctx.config.clone();
        Ok((*config).clone())
    }

    /// Removes the account and everything stored for it; returns the number of followers
    /// that were stored.
    pub fn delete_account(&self, id: &AccountId) -> Result<u64> {
        // An account another replica created is loaded first, like any other.
        self.handle(id)?;
        let mut registry = self.registry_write();
        // Taken out under the registry's lock: of two concurrent deletions, one finds it.
        let handle = registry
            .remove(id)
            .ok_or_else(|| ServiceError::not_found(format!("account {id}")))?;
        // Wait for in-flight writes of the account to finish before its tree goes away.
        let _state = handle.lock();
        let deleted = self.store.delete_account(id)?;
        self.store.wait_durable()?;
        Ok(deleted)
    }
}
