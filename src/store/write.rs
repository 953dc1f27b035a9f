//! `AccountWrite`: everything one write of an account changes, in the order the service
//! made the changes, for a backend to apply as one atomic unit.
//!
//! It is backend-neutral: values are encoded here (`codec.rs`), keys are laid out by each
//! backend. Besides the changes it carries what a shared backend needs to apply it safely
//! next to other replicas: the revision each rewritten follower was read at, the scoring
//! stamp the results were computed under, and the counters' deltas. sled, written by one
//! process under the account's lock, uses the whole aggregates instead and ignores the
//! rest.

use std::collections::HashMap;

use super::codec;
use super::{FollowerRecord, OutcomeEntry, OutcomeSeen, RecordParts, Result, Revision};
use crate::engine::counting::aggregates::{
    AccountAggregates, Contribution, CounterDeltas, DayCounts, DayKey,
};
use crate::engine::deciding::engagement::LedgerEntry;
use crate::engine::ids::FollowerKey;
use crate::engine::learning::{FrozenFeatures, LeadModel};
use crate::engine::result::FollowerResult;

/// What a write's results were computed under: the account's configuration version and the
/// version of its lead model. A shared store refuses the write if the account has moved on
/// (another replica changed either), so no replica stores results of a configuration it
/// has not loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoringStamp {
    pub config_version: u64,
    pub lead_model_version: u64,
    /// The whole model version results carry (bot model, rules, lead model): what a result
    /// must match to count as fresh.
    pub model_version: String,
}

/// One change, encoded.
#[derive(Debug)]
pub(crate) enum Change {
    /// A follower's record, and the revision the write read it at (sled finds the record's
    /// key slot in it: `Revision`).
    PutFollower {
        key: FollowerKey,
        record: Vec<u8>,
        revision: Revision,
    },
    /// The record, every ledger entry, the outcomes and the frozen features of a follower.
    Forget {
        key: FollowerKey,
        events: Vec<String>,
        outcomes: Vec<String>,
    },
    PutEvent {
        key: FollowerKey,
        event_id: String,
        entry: Vec<u8>,
    },
    PutOutcome {
        key: FollowerKey,
        outcome_id: String,
        entry: Vec<u8>,
    },
    PutOutcomeSeen {
        outcome_id: String,
        seen: Vec<u8>,
    },
    PutFrozen {
        key: FollowerKey,
        frozen: Vec<u8>,
    },
    /// Puts the model in force and keeps it under its version.
    PutLeadModel {
        version: u64,
        model: Vec<u8>,
    },
    /// Replaces a follower's listing entry (`service::listing::Entry`).
    List {
        remove: Option<Vec<u8>>,
        add: Option<Vec<u8>>,
    },
}

/// The whole aggregates after the write, and the days it touched (encoded; `None`: the day
/// is now empty).
#[derive(Debug)]
pub(crate) struct AggregatesAfter {
    pub(crate) aggregates: Vec<u8>,
    pub(crate) days: Vec<(DayKey, Option<Vec<u8>>)>,
}

/// Everything one account write changes, applied as one atomic unit
/// (`AccountStore::apply`). Made by `AccountStore::new_write`.
#[derive(Debug, Default)]
pub struct AccountWrite {
    pub(crate) changes: Vec<Change>,
    /// Whether other processes write the account too (`AccountBackend::shared_by_replicas`):
    /// only then does the write record `expected` and `deltas`.
    shared: bool,
    /// The revision each follower the write rewrites or forgets was read at; the first one
    /// recorded for a follower counts (later ops of the chunk work on its staged copy).
    pub(crate) expected: HashMap<FollowerKey, Revision>,
    pub(crate) stamp: Option<ScoringStamp>,
    /// Outcome ids the write records as new: a shared store refuses it if another replica
    /// recorded one of them first.
    pub(crate) unseen_outcomes: Vec<String>,
    pub(crate) aggregates: Option<AggregatesAfter>,
    /// Kept only for a shared store.
    pub(crate) deltas: Option<CounterDeltas>,
}

impl AccountWrite {
    pub(crate) fn new(shared: bool) -> Self {
        Self {
            shared,
            deltas: shared.then(CounterDeltas::default),
            ..Self::default()
        }
    }

    /// Whether the write changes nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.aggregates.is_none()
    }

    /// The results of this write were computed under `stamp`.
    pub fn expect_stamp(&mut self, stamp: ScoringStamp) {
        self.stamp = Some(stamp);
    }

    fn expect(&mut self, key: &FollowerKey, revision: Revision) {
        // A store written by one process has nothing to check them against.
        if self.shared && !self.expected.contains_key(key) {
            self.expected.insert(key.clone(), revision);
        }
    }

    /// Stores a follower's record (as given: callers store it `unexplained`). The record's
    /// `revision` is the stored version it derives from.
    pub fn put_follower(&mut self, record: &FollowerRecord) -> Result<()> {
        self.put_follower_parts(record.parts(), record.revision)
    }

    /// `put_follower` of a record given by its parts, read at `revision`.
    pub fn put_follower_parts(
        &mut self,
        record: RecordParts<'_>,
        revision: Revision,
    ) -> Result<()> {
        let key = record.result.key.clone();
        self.expect(&key, revision);
        self.changes.push(Change::PutFollower {
            record: codec::encode_record(record)?,
            key,
            revision,
        });
        Ok(())
    }

    /// Stores again the record read as `stored` (its `StoredValue`, whose result read with
    /// `stored_model_version`) at `revision`, now current under `result`'s stamp: for a
    /// write whose result, engagement and profile are the stored ones but for the stamp
    /// (`FollowerResult::same_decision`).
    pub fn restamp_follower(
        &mut self,
        stored: &[u8],
        stored_model_version: &str,
        result: &FollowerResult,
        revision: Revision,
    ) -> Result<()> {
        let key = result.key.clone();
        self.expect(&key, revision);
        self.changes.push(Change::PutFollower {
            record: codec::restamp_record(stored, stored_model_version, result)?,
            key,
            revision,
        });
        Ok(())
    }

    /// Erases a follower read at `revision`: its record, every ledger entry, its outcomes
    /// and its frozen features.
    pub fn forget_follower(
        &mut self,
        key: &FollowerKey,
        revision: Revision,
        ledger_event_ids: &[String],
        outcome_ids: &[String],
    ) {
        self.expect(key, revision);
        self.changes.push(Change::Forget {
            key: key.clone(),
            events: ledger_event_ids.to_vec(),
            outcomes: outcome_ids.to_vec(),
        });
    }

    /// Records one outcome of a follower's deal.
    pub fn put_outcome(
        &mut self,
        key: &FollowerKey,
        outcome_id: &str,
        entry: &OutcomeEntry,
    ) -> Result<()> {
        self.changes.push(Change::PutOutcome {
            key: key.clone(),
            outcome_id: outcome_id.to_owned(),
            entry: codec::encode(entry)?,
        });
        Ok(())
    }

    /// Marks an outcome id, not recorded before, as recorded.
    pub fn put_outcome_seen(&mut self, outcome_id: &str, seen: &OutcomeSeen) -> Result<()> {
        self.unseen_outcomes.push(outcome_id.to_owned());
        self.changes.push(Change::PutOutcomeSeen {
            outcome_id: outcome_id.to_owned(),
            seen: codec::encode(seen)?,
        });
        Ok(())
    }

    /// The follower's features as its deal began; written once per follower.
    pub fn put_frozen(&mut self, key: &FollowerKey, frozen: &FrozenFeatures) -> Result<()> {
        self.changes.push(Change::PutFrozen {
            key: key.clone(),
            frozen: codec::encode(frozen)?,
        });
        Ok(())
    }

    /// Puts `model` in force and keeps it under its version.
    pub fn put_lead_model(&mut self, model: &LeadModel) -> Result<()> {
        self.changes.push(Change::PutLeadModel {
            version: model.version(),
            model: codec::encode(model)?,
        });
        Ok(())
    }

    pub fn put_event(
        &mut self,
        key: &FollowerKey,
        event_id: &str,
        entry: &LedgerEntry,
    ) -> Result<()> {
        self.changes.push(Change::PutEvent {
            key: key.clone(),
            event_id: event_id.to_owned(),
            entry: codec::encode(entry)?,
        });
        Ok(())
    }

    /// Whether the backend keeps the listing (a shared store): then every change of a
    /// follower's listing entry goes into the write (`list`).
    pub fn keeps_listing(&self) -> bool {
        self.deltas.is_some()
    }

    /// A follower's listing entry changed from `old` to `new` (`None`: not listed).
    pub fn list(&mut self, old: Option<Vec<u8>>, new: Option<Vec<u8>>) {
        if self.keeps_listing() && old != new {
            self.changes.push(Change::List {
                remove: old,
                add: new,
            });
        }
    }

    /// A follower's contribution to the counters changed from `old` to `new` (the same
    /// change the caller makes to its in-memory aggregates).
    pub fn count(&mut self, old: Option<&Contribution>, new: Option<&Contribution>) {
        if let Some(deltas) = &mut self.deltas {
            deltas.replace(old, new);
        }
    }

    /// Persists the aggregates and the day counts of the `touched` days (for a backend that
    /// keeps the whole aggregates; one that takes deltas ignores it).
    pub fn put_aggregates(
        &mut self,
        aggregates: &AccountAggregates,
        touched: &[DayKey],
    ) -> Result<()> {
        if self.deltas.is_some() {
            // A backend that takes deltas keeps the counters itself.
            return Ok(());
        }
        let mut days: Vec<DayKey> = touched.to_vec();
        days.sort();
        days.dedup();
        let days = days
            .into_iter()
            .map(|day| {
                let counts = aggregates
                    .days
                    .get(&day)
                    .map(codec::encode::<DayCounts>)
                    .transpose()?;
                Ok((day, counts))
            })
            .collect::<Result<_>>()?;
        self.aggregates = Some(AggregatesAfter {
            aggregates: codec::encode_aggregates(aggregates)?,
            days,
        });
        Ok(())
    }
}
