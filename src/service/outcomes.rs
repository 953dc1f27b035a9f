//! CRM outcomes and the account's lead model, as a use case.
//!
//! Recording: each outcome is checked, deduplicated by its id, resolved to the stored
//! followers it is about (one follower, or every follower who works at a company), and kept
//! with the follower's features *frozen* at the start of its deal: the readings of its
//! stored profile with the engagement it had before the deal's earliest outcome, so nothing
//! that happened after the deal began (engagement, a changed title) leaks into training.
//! Everything one call records is one atomic batch.
//!
//! Learning: after every change the account's deals are handed to
//! `engine::learning::next_model`, which decides what is in force (rules, a blend or the
//! learned model; see OUTCOMES.md). A new version is stored in the same account tree and put
//! into the scoring context, which makes every stored result stale: the background rescoring
//! pass brings them up to date, exactly as after an account change.
//!
//! This module decides nothing about the model itself (the engine does) and persists
//! through the store's `AccountWrite` only.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::engine::context::ScoringContext;
use crate::engine::deciding::engagement;
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::learning::{
    self, DealHistory, LeadModel, LearningMode, LearningPolicy, OutcomeKind,
};
use crate::engine::reading::company_match::{normalize_company_name, normalize_domain};
use crate::engine::time::Timestamp;
use crate::store::{AccountWrite, FollowerRecord, OutcomeEntry, OutcomeSeen};

use super::{AccountHandle, AccountState, Pending, Result, Service, ServiceError};

/// Longest outcome id and CRM reference, in bytes.
pub const MAX_OUTCOME_ID_BYTES: usize = 128;
pub const MAX_CRM_REFERENCE_BYTES: usize = 256;

/// Who an outcome is about.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeSubject {
    Follower(FollowerKey),
    /// Every stored follower whose company has this name or domain.
    Company {
        name: Option<String>,
        domain: Option<String>,
    },
}

/// One outcome as a CRM reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeInput {
    pub outcome_id: String,
    pub subject: OutcomeSubject,
    pub kind: OutcomeKind,
    pub occurred_at: Timestamp,
    pub amount: Option<f64>,
    pub crm_reference: String,
}

/// What became of one outcome.
#[derive(Debug)]
pub enum OutcomeStatus {
    /// Recorded for `followers` stored followers.
    Accepted { followers: u32 },
    /// Its id was recorded before (by this call or an earlier one); nothing changed.
    Duplicate,
    /// No stored follower is its subject; nothing was kept, so it may be sent again once
    /// the follower has been scored.
    Unmatched,
    /// The outcome itself is wrong (the error names the field); nothing was kept.
    Invalid(ServiceError),
}

/// The answer to a batch of outcomes.
#[derive(Debug)]
pub struct OutcomesRecorded {
    pub items: Vec<OutcomeStatus>,
    /// The model in force once the outcomes are recorded.
    pub model: Arc<LeadModel>,
}

impl Service {
    /// Records a batch of outcomes atomically and retrains the account's lead model. The
    /// answer is pending until both are durable.
    pub fn record_outcomes(
        &self,
        account: &AccountId,
        outcomes: Vec<OutcomeInput>,
        now: Timestamp,
    ) -> Result<Pending<OutcomesRecorded>> {
        let handle = self.handle(account)?;
        if outcomes.len() > self.limits.max_outcomes_per_request {
            return Err(ServiceError::ResourceExhausted(format!(
                "at most {} outcomes per request",
                self.limits.max_outcomes_per_request
            )));
        }
        let mut state = self.synced(&handle)?;
        let ctx = state.ctx.clone();
        let companies = if outcomes
            .iter()
            .any(|o| matches!(o.subject, OutcomeSubject::Company { .. }))
        {
            Some(CompanyFollowers::scan(&handle)?)
        } else {
            None
        };

        let mut write = handle.stored.new_write();
        let mut seen_here: HashSet<String> = HashSet::new();
        // Followers whose frozen features this call has (re)written, with the moment.
        let mut frozen_here: HashMap<FollowerKey, Timestamp> = HashMap::new();
        let mut items = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            if let Err(error) = check(&outcome) {
                items.push(OutcomeStatus::Invalid(error));
                continue;
            }
            if seen_here.contains(&outcome.outcome_id)
                || handle.stored.has_outcome(&outcome.outcome_id)?
            {
                items.push(OutcomeStatus::Duplicate);
                continue;
            }
            let subjects: Vec<FollowerRecord> = match &outcome.subject {
                OutcomeSubject::Follower(key) => {
                    handle.stored.get_follower(key)?.into_iter().collect()
                }
                OutcomeSubject::Company { name, domain } => match &companies {
                    Some(companies) => companies.matching(&handle, name, domain)?,
                    None => return Err(ServiceError::invariant("companies scanned")),
                },
            };
            if subjects.is_empty() {
                items.push(OutcomeStatus::Unmatched);
                continue;
            }
            let entry = OutcomeEntry {
                kind: outcome.kind,
                occurred_at: outcome.occurred_at,
                amount: outcome.amount,
                crm_reference: outcome.crm_reference.clone(),
                recorded_at: now,
            };
            for record in &subjects {
                let key = &record.result.key;
                self.freeze_if_earlier(
                    &handle,
                    &ctx,
                    record,
                    outcome.occurred_at,
                    &mut frozen_here,
                    &mut write,
                )?;
                write.put_outcome(key, &outcome.outcome_id, &entry)?;
            }
            let followers = subjects.len() as u32;
            write.put_outcome_seen(
                &outcome.outcome_id,
                &OutcomeSeen {
                    kind: outcome.kind,
                    occurred_at: outcome.occurred_at,
                    followers,
                },
            )?;
            seen_here.insert(outcome.outcome_id);
            items.push(OutcomeStatus::Accepted { followers });
        }
        let changed = items
            .iter()
            .any(|item| matches!(item, OutcomeStatus::Accepted { .. }));
        if changed {
            handle.stored.apply(write)?;
        }
        let model = if changed {
            self.relearn_locked(&handle, &mut state, None, now)?
        } else {
            state.ctx.lead_model.clone()
        };
        drop(state);
        let answer = OutcomesRecorded { items, model };
        Ok(if changed {
            self.pending(self.store.ticket(), answer)
        } else {
            Pending::ready(answer)
        })
    }

    /// The account's lead model in force.
    pub fn lead_model(&self, account: &AccountId) -> Result<Arc<LeadModel>> {
        let handle = self.handle(account)?;
        let model = handle.lock().ctx.lead_model.clone();
        Ok(model)
    }

    /// Sets how the account's fit is decided and answers with the model then in force
    /// (durable on return).
    pub fn set_learning_mode(
        &self,
        account: &AccountId,
        mode: LearningMode,
        now: Timestamp,
    ) -> Result<Arc<LeadModel>> {
        let handle = self.handle(account)?;
        if let LearningMode::Pinned { version } = mode {
            let known = version == 0
                || handle.lock().ctx.lead_model.version() == version
                || handle.stored.lead_model_version(version)?.is_some();
            if !known {
                return Err(ServiceError::invalid(
                    "pinned_version",
                    format!("the account has no lead model version {version}"),
                ));
            }
        }
        let mut state = self.synced(&handle)?;
        let model = self.relearn_locked(&handle, &mut state, Some(mode), now)?;
        drop(state);
        self.store.wait_durable()?;
        Ok(model)
    }

    /// Freezes the follower's features at `at` unless they are already frozen at or before
    /// it: a deal's features are those it had when its earliest known outcome happened.
    fn freeze_if_earlier(
        &self,
        handle: &AccountHandle,
        ctx: &ScoringContext,
        record: &FollowerRecord,
        at: Timestamp,
        frozen_here: &mut HashMap<FollowerKey, Timestamp>,
        write: &mut AccountWrite,
    ) -> Result<()> {
        let key = &record.result.key;
        let frozen_at = match frozen_here.get(key) {
            Some(at) => Some(*at),
            None => handle.stored.frozen(key)?.map(|f| f.frozen_at),
        };
        if frozen_at.is_some_and(|frozen_at| frozen_at <= at) {
            return Ok(());
        }
        let ledger = handle.stored.ledger(key)?;
        let before = ledger
            .iter()
            .map(|(_, entry)| entry)
            .filter(|entry| entry.occurred_at < at);
        let summary = engagement::summarize(before, &ctx.config.settings, at);
        let frozen = learning::freeze(ctx, &record.profile, &summary, at);
        write.put_frozen(key, &frozen)?;
        frozen_here.insert(key.clone(), at);
        Ok(())
    }

    /// Trains on the account's deals and puts the resulting model in force if it differs
    /// from the current one (a new version: stored results go stale and are rescored in the
    /// background). `mode` changes the account's learning mode.
    fn relearn_locked(
        &self,
        handle: &AccountHandle,
        state: &mut AccountState,
        mode: Option<LearningMode>,
        now: Timestamp,
    ) -> Result<Arc<LeadModel>> {
        let current = state.ctx.lead_model.clone();
        let mode = mode.unwrap_or(*current.mode());
        let deals: Vec<DealHistory> = handle
            .stored
            .deals()?
            .into_iter()
            .map(|deal| {
                let mut events: Vec<_> = deal
                    .outcomes
                    .into_iter()
                    .map(|(id, entry)| (entry.occurred_at, id, entry.kind))
                    .collect();
                // Time order; the id breaks ties so the order never depends on storage.
                events.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
                DealHistory {
                    frozen: deal.frozen,
                    events: events.into_iter().map(|(at, _, kind)| (kind, at)).collect(),
                }
            })
            .collect();
        let pinned = match mode {
            LearningMode::Pinned { version } if version == current.version() => {
                Some((*current).clone())
            }
            LearningMode::Pinned { version } => handle.stored.lead_model_version(version)?,
            _ => None,
        };
        let next = learning::next_model(
            &current,
            &deals,
            &mode,
            pinned.as_ref(),
            &LearningPolicy::default(),
            now,
        );
        if next.version() == current.version() {
            return Ok(current);
        }
        let mut write = handle.stored.new_write();
        write.expect_stamp(state.scoring_stamp());
        write.put_lead_model(&next)?;
        handle.stored.apply(write)?;
        tracing::info!(
            account = %state.ctx.config.account_id,
            version = next.version(),
            source = next.source().as_str(),
            "a new lead model is in force; stored results will be rescored"
        );
        let next = Arc::new(next);
        state.ctx = Arc::new(
            ScoringContext::new(state.ctx.config.clone(), self.bot_model.clone())
                .with_lead_model(next.clone()),
        );
        self.results_went_stale(handle, state);
        Ok(next)
    }
}

/// The account's stored followers by normalised company name and domain, read in one pass
/// for the company subjects of one call.
struct CompanyFollowers {
    by_name: HashMap<String, Vec<FollowerKey>>,
    by_domain: HashMap<String, Vec<FollowerKey>>,
}

impl CompanyFollowers {
    /// Pages of this many records are read at a time.
    const PAGE: usize = 4_096;

    fn scan(handle: &AccountHandle) -> Result<Self> {
        let mut found = Self {
            by_name: HashMap::new(),
            by_domain: HashMap::new(),
        };
        let mut after: Option<FollowerKey> = None;
        loop {
            let page = handle.stored.scan_followers(after.as_ref(), Self::PAGE)?;
            let Some(last) = page.last() else { break };
            after = Some(last.result.key.clone());
            for record in &page {
                let key = &record.result.key;
                let names = [
                    record.profile.company.as_deref(),
                    record.result.matched_company.as_deref(),
                ];
                let mut keys_of_names: Vec<String> = names
                    .into_iter()
                    .flatten()
                    .map(normalize_company_name)
                    .filter(|n| !n.is_empty())
                    .collect();
                keys_of_names.dedup();
                for name in keys_of_names {
                    found.by_name.entry(name).or_default().push(key.clone());
                }
                if let Some(domain) = record
                    .profile
                    .company_domain
                    .as_deref()
                    .and_then(normalize_domain)
                {
                    found.by_domain.entry(domain).or_default().push(key.clone());
                }
            }
            if page.len() < Self::PAGE {
                break;
            }
        }
        Ok(found)
    }

    /// The records of the followers who work at the company named or hosted so.
    fn matching(
        &self,
        handle: &AccountHandle,
        name: &Option<String>,
        domain: &Option<String>,
    ) -> Result<Vec<FollowerRecord>> {
        let mut keys: Vec<&FollowerKey> = Vec::new();
        if let Some(name) = name.as_deref().map(normalize_company_name)
            && let Some(found) = self.by_name.get(&name)
        {
            keys.extend(found);
        }
        if let Some(domain) = domain.as_deref().and_then(normalize_domain)
            && let Some(found) = self.by_domain.get(&domain)
        {
            keys.extend(found);
        }
        keys.sort();
        keys.dedup();
        let mut records = Vec::with_capacity(keys.len());
        for key in keys {
            // A follower forgotten earlier in the same call has no record any more.
            if let Some(record) = handle.stored.get_follower(key)? {
                records.push(record);
            }
        }
        Ok(records)
    }
}

/// Checks one outcome (the wire layer has checked its timestamp); the error names the
/// field within the outcome.
fn check(outcome: &OutcomeInput) -> Result<()> {
    let id = &outcome.outcome_id;
    if id.trim().is_empty() {
        return Err(ServiceError::invalid("outcome_id", "is required"));
    }
    if id.len() > MAX_OUTCOME_ID_BYTES {
        return Err(ServiceError::invalid(
            "outcome_id",
            format!("is longer than {MAX_OUTCOME_ID_BYTES} bytes"),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "outcome_id",
            "contains a control character",
        ));
    }
    if outcome.crm_reference.len() > MAX_CRM_REFERENCE_BYTES {
        return Err(ServiceError::invalid(
            "crm_reference",
            format!("is longer than {MAX_CRM_REFERENCE_BYTES} bytes"),
        ));
    }
    if let Some(amount) = outcome.amount
        && !(amount.is_finite() && amount >= 0.0)
    {
        return Err(ServiceError::invalid(
            "amount",
            format!("must be a finite amount of at least 0, not {amount}"),
        ));
    }
    if let OutcomeSubject::Company { name, domain } = &outcome.subject {
        let named = name
            .as_deref()
            .is_some_and(|n| !normalize_company_name(n).is_empty());
        let hosted = domain.as_deref().and_then(normalize_domain).is_some();
        if !named && !hosted {
            return Err(ServiceError::invalid(
                "company",
                "needs a company name or a domain",
            ));
        }
    }
    Ok(())
}
