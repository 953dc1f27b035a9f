//! The application layer: orchestrates the engine and the store for every use case the API
//! offers. Transport-free (no tonic, no runtime): the gRPC layer and the CLI call these
//! blocking methods. A write answers with a `Pending` value, to be given to the caller once
//! the write is durable: the CLI blocks on it (`wait`), the gRPC layer awaits it
//! (`durable`), so no thread is parked per unacknowledged call.
//!
//! Owns the account registry (configuration, compiled scoring context, in-memory aggregates
//! and listing index per account), the one write path every mutation goes through
//! (`writes.rs`), the freshness policy (what is rescored on read, what in the background)
//! and the limits. It does not know about wire types or sled.

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
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::engine::account::AccountConfig;
use crate::engine::bot::BotModel;
use crate::engine::context::ScoringContext;
use crate::engine::counting::aggregates::{AccountAggregates, VersionStamp};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::LeadModel;
use crate::engine::time::Timestamp;
use crate::store::{AccountTree, Durable, Store};

use listing::ListingIndex;

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
    pub(crate) tree: AccountTree,
    pub(crate) state: Mutex<AccountState>,
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
    pub(crate) listing: Option<ListingIndex>,
    /// Counts committed writes and configuration changes: what a cached report was built
    /// from.
    pub(crate) generation: u64,
    pub(crate) report_cache: Option<reads::CachedReport>,
}

impl AccountState {
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

pub struct Service {
    store: Store,
    bot_model: Arc<dyn BotModel>,
    limits: Limits,
    accounts: RwLock<HashMap<AccountId, Arc<AccountHandle>>>,
    /// Wakes the background rescorer when results go stale.
    rescore_signal: rescore::Signal,
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
        let tree = self.store.account_tree(&config.account_id)?;
        let lead_model = Arc::new(tree.lead_model()?.unwrap_or_else(LeadModel::rules));
        let mut state = AccountState {
            ctx: Arc::new(
                ScoringContext::new(config, self.bot_model.clone()).with_lead_model(lead_model),
            ),
            aggregates: tree.load_aggregates()?,
            listing: None,
            generation: 0,
            report_cache: None,
        };
        let stamp = state.stamp();
        state.aggregates.restamp(stamp);
        Ok(Arc::new(AccountHandle {
            tree,
            state: Mutex::new(state),
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
        self.registry_read()
            .get(id)
            .cloned()
            .ok_or_else(|| ServiceError::not_found(format!("account {id}")))
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
        // one account from handing out the same version.
        let mut registry = self.registry_write();
        let previous = registry.get(&config.account_id).cloned();
        let previous_version = match &previous {
            Some(handle) => handle.lock().ctx.config.config_version,
            None => 0,
        };
        config.config_version = previous_version + 1;
        config.updated_at = now;
        self.store.put_account(&config)?;
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
        let config = handle.lock().ctx.config.clone();
        Ok((*config).clone())
    }

    /// Removes the account and everything stored for it; returns the number of followers
    /// that were stored.
    pub fn delete_account(&self, id: &AccountId) -> Result<u64> {
        let mut registry = self.registry_write();
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
