//! The one write path. Every mutation of a follower (score, engagement, unfollow, override,
//! rescoring, forget) becomes an `Op`; a chunk of ops for one account is applied under the
//! account's lock as one atomic store batch together with the updated aggregates, and the
//! listing index follows. The caller's answer is a `Pending` that completes once the batch
//! is durable; rescoring (on read or in the background) does not wait, because a crash
//! before its flush loses only work that is done again (sled recovers a prefix of batches,
//! so what it recovers is still consistent).

use std::collections::HashMap;

use crate::engine::counting::aggregates::{Contribution, VersionStamp};
use crate::engine::deciding::engagement::{self, EngagementSummary, LedgerEntry};
use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::profile::{EngagementEvent, FollowerProfile};
use crate::engine::result::{CategoryOverride, FollowerResult};
use crate::engine::score::{rescore_unexplained, score, score_unexplained};
use crate::engine::time::Timestamp;
use crate::store::{AccountWrite, Explanation, FollowerRecord, RecordParts, Revision, Ticket};

use super::listing::{Entry, ListingSlot};
use super::{AccountHandle, AccountState, Pending, Result, Service, ServiceError};

/// A follower to score, with any engagement events that came with it.
#[derive(Debug, Clone)]
pub struct ScoreItem {
    pub profile: FollowerProfile,
    pub events: Vec<EngagementEvent>,
}

/// What RecordEngagement did with the events it was given.
#[derive(Debug, Clone)]
pub struct EngagementOutcome {
    pub result: FollowerResult,
    pub accepted: u32,
    pub duplicates: u32,
    pub capped: u32,
}

#[derive(Clone)]
pub(crate) enum Op {
    Score(Box<ScoreItem>),
    Engage(FollowerKey, Vec<EngagementEvent>),
    Unfollow(FollowerKey, Timestamp),
    SetOverride(FollowerKey, CategoryOverride),
    ClearOverride(FollowerKey),
    /// Rescore with the current configuration and model (stale, decayed or expired).
    Rescore(FollowerKey),
    Forget(FollowerKey),
}

impl Op {
    fn key(&self) -> &FollowerKey {
        match self {
            Op::Score(item) => &item.profile.key,
            Op::Engage(key, _)
            | Op::Unfollow(key, _)
            | Op::SetOverride(key, _)
            | Op::ClearOverride(key)
            | Op::Rescore(key)
            | Op::Forget(key) => key,
        }
    }
}

/// Whether the caller of a chunk reads the results its ops leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answers {
    /// Each op's outcome carries its result, explained: a call's answer.
    Explained,
    /// Nobody reads them (the background rescorer): results are scored as the store keeps
    /// them, without the explanation a read re-derives, and outcomes carry none.
    Unread,
}

/// The outcomes of a chunk, one per op, and the ticket that makes them durable.
pub(crate) struct AppliedChunk {
    pub outcomes: Vec<Result<Applied>>,
    pub ticket: Ticket,
}

/// The outcome of one op.
pub(crate) struct Applied {
    /// What the op left, explained; `None` for a forgotten follower, and for every op of a
    /// chunk whose results are `Answers::Unread`.
    pub result: Option<FollowerResult>,
    pub counts: (u32, u32, u32),
}

/// A follower's record and ledger as the chunk has left them so far, so that an id sent
/// twice in one chunk sees its own earlier write.
struct Staged {
    record: Option<FollowerRecord>,
    ledger: Option<Vec<(String, LedgerEntry)>>,
}

/// One follower's write, not applied yet: its op, and how the op's outcome becomes the
/// caller's answer. `Service::apply_now` applies it at once; `Service::apply_together` with
/// the account's other writes of the moment.
pub struct FollowerWrite<T> {
    op: Op,
    finish: fn(Result<Applied>) -> Result<T>,
}

impl FollowerWrite<FollowerResult> {
    /// Scores and stores a follower (with any events that came with it).
    pub fn score(item: ScoreItem) -> Self {
        Self::with_result(Op::Score(Box::new(item)))
    }

    pub fn unfollow(key: FollowerKey, at: Timestamp) -> Self {
        Self::with_result(Op::Unfollow(key, at))
    }

    pub fn set_override(key: FollowerKey, category_override: CategoryOverride) -> Self {
        Self::with_result(Op::SetOverride(key, category_override))
    }

    pub fn clear_override(key: FollowerKey) -> Self {
        Self::with_result(Op::ClearOverride(key))
    }

    fn with_result(op: Op) -> Self {
        Self {
            op,
            finish: |outcome| expect_result(outcome?.result),
        }
    }
}

impl FollowerWrite<EngagementOutcome> {
    /// Records engagement events; more than the limit per request is RESOURCE_EXHAUSTED.
    pub fn engage(
        key: FollowerKey,
        events: Vec<EngagementEvent>,
        limits: &super::Limits,
    ) -> Result<Self> {
        if events.len() > limits.max_events_per_request {
            return Err(ServiceError::ResourceExhausted(format!(
                "events: at most {} events per request, got {}",
                limits.max_events_per_request,
                events.len()
            )));
        }
        Ok(Self {
            op: Op::Engage(key, events),
            finish: |outcome| {
                let applied = outcome?;
                let (accepted, duplicates, capped) = applied.counts;
                Ok(EngagementOutcome {
                    result: expect_result(applied.result)?,
                    accepted,
                    duplicates,
                    capped,
                })
            },
        })
    }
}

impl FollowerWrite<bool> {
    /// Erases a follower's personal data completely; answers `false` when nothing was
    /// stored (an unknown follower of a known account is not an error).
    pub fn forget(key: FollowerKey) -> Self {
        Self {
            op: Op::Forget(key),
            finish: |outcome| match outcome {
                Ok(_) => Ok(true),
                Err(ServiceError::NotFound { .. }) => Ok(false),
                Err(e) => Err(e),
            },
        }
    }
}

impl Service {
    /// Scores and stores a chunk of followers for one account; durable on return. One
    /// result per item, in order.
    pub fn score_followers(
        &self,
        account: &AccountId,
        items: Vec<ScoreItem>,
        now: Timestamp,
    ) -> Result<Pending<Vec<Result<FollowerResult>>>> {
        let handle = self.handle(account)?;
        let ops = items
            .into_iter()
            .map(|item| Op::Score(Box::new(item)))
            .collect();
        let chunk = self.apply_ops(&handle, ops, now)?;
        Ok(self.pending(chunk.ticket, chunk.outcomes).map(|outcomes| {
            outcomes
                .into_iter()
                .map(|outcome| {
                    outcome.and_then(|a| {
                        a.result
                            .ok_or_else(|| ServiceError::invariant("scoring produced no result"))
                    })
                })
                .collect()
        }))
    }

    pub(super) fn pending<T>(&self, ticket: Ticket, value: T) -> Pending<T> {
        Pending {
            value,
            durable: self.store.durable(ticket),
        }
    }

    pub fn record_engagement(
        &self,
        account: &AccountId,
        key: FollowerKey,
        events: Vec<EngagementEvent>,
        now: Timestamp,
    ) -> Result<Pending<EngagementOutcome>> {
        self.apply_now(
            account,
            FollowerWrite::engage(key, events, &self.limits)?,
            now,
        )
    }

    pub fn remove_follower(
        &self,
        account: &AccountId,
        key: FollowerKey,
        at: Timestamp,
        now: Timestamp,
    ) -> Result<Pending<FollowerResult>> {
        self.apply_now(account, FollowerWrite::unfollow(key, at), now)
    }

    pub fn set_override(
        &self,
        account: &AccountId,
        key: FollowerKey,
        category_override: CategoryOverride,
        now: Timestamp,
    ) -> Result<Pending<FollowerResult>> {
        self.apply_now(
            account,
            FollowerWrite::set_override(key, category_override),
            now,
        )
    }

    pub fn clear_override(
        &self,
        account: &AccountId,
        key: FollowerKey,
        now: Timestamp,
    ) -> Result<Pending<FollowerResult>> {
        self.apply_now(account, FollowerWrite::clear_override(key), now)
    }

    /// Erases a follower's personal data completely; `false` when nothing was stored.
    pub fn forget_follower(
        &self,
        account: &AccountId,
        key: FollowerKey,
        now: Timestamp,
    ) -> Result<Pending<bool>> {
        self.apply_now(account, FollowerWrite::forget(key), now)
    }

    /// Applies one follower's write at once, as a chunk of its own.
    pub fn apply_now<T>(
        &self,
        account: &AccountId,
        write: FollowerWrite<T>,
        now: Timestamp,
    ) -> Result<Pending<T>> {
        let handle = self.handle(account)?;
        let mut chunk = self.apply_ops(&handle, vec![write.op], now)?;
        let outcome = chunk
            .outcomes
            .pop()
            .unwrap_or_else(|| Err(ServiceError::invariant(ONE_OUTCOME)));
        Ok(self.pending(chunk.ticket, (write.finish)(outcome)?))
    }

    /// Applies one follower's write together with the account's other single-follower
    /// writes that arrive at the same moment, as one chunk (`combining.rs`), and completes
    /// once it is durable. What the server's unary writes use.
    pub async fn apply_together<T>(
        &self,
        account: &AccountId,
        write: FollowerWrite<T>,
        now: Timestamp,
    ) -> Result<T> {
        let handle = self.handle(account)?;
        let (outcome, ticket) = self.queue_and_apply(&handle, write.op, now).await?;
        let value = (write.finish)(outcome)?;
        self.pending(ticket, value).durable().await
    }

    /// Applies a chunk of ops to one account atomically. The outer error is a failure of
    /// the whole chunk (storage); inner errors belong to single ops and leave nothing of
    /// those ops behind. The chunk is durable once its ticket is.
    pub(crate) fn apply_ops(
        &self,
        handle: &AccountHandle,
        ops: Vec<Op>,
        now: Timestamp,
    ) -> Result<AppliedChunk> {
        if !self.store.is_shared() {
            let mut state = handle.lock();
            return self.apply_locked(handle, &mut state, ops, Vec::new(), Answers::Explained, now);
        }
        // Another replica may change what the chunk read between the read and the write;
        // the store then applies nothing, and the chunk is prepared again from what is
        // stored now. Each attempt that fails lost to a write that succeeded, so the
        // cluster as a whole makes progress; the bound keeps one call from spinning. No
        // timer between attempts (a worker is never parked on one): reloading what changed
        // takes round trips to the store, which spaces the attempts out by itself.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut state = self.synced(handle)?;
            match self.apply_locked(
                handle,
                &mut state,
                ops.clone(),
                Vec::new(),
                Answers::Explained,
                now,
            ) {
                Err(error) if error.is_conflict() && attempt < MAX_WRITE_ATTEMPTS => {
                    tracing::debug!(%error, attempt, "a write lost a race with another replica");
                    state.synced = false;
                    drop(state);
                }
                other => return other,
            }
        }
    }

    /// `apply_ops` under a lock the caller holds, with records it has already read under
    /// that lock (so they are current) to save reading them again.
    pub(crate) fn apply_locked(
        &self,
        handle: &AccountHandle,
        state: &mut AccountState,
        ops: Vec<Op>,
        prefetched: Vec<FollowerRecord>,
        answers: Answers,
        now: Timestamp,
    ) -> Result<AppliedChunk> {
        let stamp = state.stamp();
        let mut staged: HashMap<FollowerKey, Staged> = prefetched
            .into_iter()
            .map(|record| {
                (
                    record.result.key.clone(),
                    Staged {
                        record: Some(record),
                        ledger: None,
                    },
                )
            })
            .collect();
        let mut write = handle.stored.new_write();
        write.expect_stamp(state.scoring_stamp());
        let mut touched = Vec::new();
        let mut outcomes = Vec::with_capacity(ops.len());

        let chunk = (|| -> Result<()> {
            // The chunk's followers are read in one request (one round trip to a shared
            // store), before any op is applied.
            let mut unread: Vec<FollowerKey> = Vec::new();
            for op in &ops {
                if !staged.contains_key(op.key()) {
                    unread.push(op.key().clone());
                }
            }
            unread.sort();
            unread.dedup();
            let read = handle.stored.get_followers(&unread)?;
            for (key, record) in unread.into_iter().zip(read) {
                staged.insert(
                    key,
                    Staged {
                        record,
                        ledger: None,
                    },
                );
            }
            for op in ops {
                let key = op.key().clone();
                let entry = staged
                    .get_mut(&key)
                    .ok_or_else(|| ServiceError::invariant("a follower is staged before its op"))?;
                let outcome = apply_op(
                    handle,
                    state,
                    &stamp,
                    entry,
                    op,
                    &mut write,
                    &mut touched,
                    answers,
                    now,
                );
                outcomes.push(outcome);
            }
            write.put_aggregates(&state.aggregates, &touched)?;
            Ok(())
        })();

        let persisted = chunk.and_then(|()| Ok(handle.stored.apply(std::mem::take(&mut write))?));
        let generation = match persisted {
            Ok(generation) => generation,
            Err(error) => {
                // The in-memory aggregates and listing already include this chunk; the disk
                // does not. Reload the aggregates and drop the listing (rebuilt from the records
                // when next needed) so memory and disk agree again.
                state.listing = ListingSlot::Absent;
                state.report_cache = None;
                match handle.stored.load_aggregates() {
                    Ok(mut aggregates) => {
                        aggregates.restamp(stamp);
                        state.aggregates = aggregates;
                    }
                    Err(reload) => {
                        tracing::error!(
                            error = %super::error::error_chain(&reload),
                            "could not reload aggregates after a failed write"
                        )
                    }
                }
                state.synced = false;
                return Err(error);
            }
        };
        state.advance(self.store.is_shared().then_some(generation));
        Ok(AppliedChunk {
            outcomes,
            ticket: self.store.ticket(),
        })
    }
}

/// Attempts of one chunk against a shared store before it fails as ABORTED.
const MAX_WRITE_ATTEMPTS: u32 = 16;

/// A chunk of one op has one outcome.
const ONE_OUTCOME: &str = "a chunk of one op has one outcome";

/// Every op but Forget leaves a result; a missing one is a bug, not a missing follower.
fn expect_result(result: Option<FollowerResult>) -> Result<FollowerResult> {
    result.ok_or_else(|| ServiceError::invariant("a write that keeps a follower has its result"))
}

/// The stored record an op on an existing follower works on. `apply_op_to` answers
/// NOT_FOUND for a follower that is not stored before it gets here, so a missing record
/// here is a broken invariant (INTERNAL), not a missing follower.
fn stored(old: Option<&FollowerRecord>) -> Result<&FollowerRecord> {
    old.ok_or_else(|| ServiceError::invariant("an op on a stored follower has its record"))
}

#[allow(clippy::too_many_arguments)]
fn apply_op(
    handle: &AccountHandle,
    state: &mut AccountState,
    stamp: &VersionStamp,
    staged: &mut Staged,
    op: Op,
    write: &mut AccountWrite,
    touched: &mut Vec<(crate::engine::vocabulary::Platform, i64)>,
    answers: Answers,
    now: Timestamp,
) -> Result<Applied> {
    // Taken, not cloned (a record is most of an op's copying); a failed op puts it back.
    let old = staged.record.take();
    let outcome = apply_op_to(
        handle,
        state,
        stamp,
        staged,
        old.as_ref(),
        op,
        write,
        touched,
        answers,
        now,
    );
    match outcome {
        Ok((applied, Some(left))) => {
            let profile = match left.profile {
                Some(profile) => profile,
                None => old.map(|o| o.profile).ok_or_else(|| {
                    ServiceError::invariant("an op that keeps the profile has a record")
                })?,
            };
            staged.record = Some(FollowerRecord {
                profile,
                result: left.result,
                engagement: left.engagement,
                revision: left.revision,
                stored: Default::default(),
            });
            Ok(applied)
        }
        Ok((applied, None)) => Ok(applied),
        Err(error) => {
            staged.record = old;
            Err(error)
        }
    }
}

/// The record an op leaves for the rest of the chunk, but for a profile the op kept as it
/// was stored: that one is moved over from the old record once the op has succeeded, not
/// copied (rescoring keeps every profile).
struct Left {
    /// `None`: the stored profile, unchanged.
    profile: Option<FollowerProfile>,
    result: FollowerResult,
    engagement: EngagementSummary,
    revision: Revision,
}

/// One op on the follower's `old` record. On success, what the op left is staged, or is
/// returned for `apply_op` to stage (`Left`).
#[allow(clippy::too_many_arguments)]
fn apply_op_to(
    handle: &AccountHandle,
    state: &mut AccountState,
    stamp: &VersionStamp,
    staged: &mut Staged,
    old: Option<&FollowerRecord>,
    op: Op,
    write: &mut AccountWrite,
    touched: &mut Vec<(crate::engine::vocabulary::Platform, i64)>,
    answers: Answers,
    now: Timestamp,
) -> Result<(Applied, Option<Left>)> {
    let ctx = state.ctx.clone();
    let mut counts = (0, 0, 0);

    let needs_record = !matches!(op, Op::Score(_));
    if needs_record && old.is_none() {
        return Err(ServiceError::not_found(format!("follower {}", op.key().id)));
    }

    let (profile, mut engagement, category_override, events): (Option<FollowerProfile>, _, _, _) =
        match op {
            Op::Score(item) => {
                let item = *item;
                let mut profile = item.profile;
                if let Some(old) = old {
                    merge_follow_dates(&mut profile, &old.profile);
                }
                let (engagement, override_) = match old {
                    Some(old) => (old.engagement.clone(), old.result.category_override.clone()),
                    None => (EngagementSummary::default(), None),
                };
                (Some(profile), engagement, override_, item.events)
            }
            Op::Engage(_, events) => {
                let old = stored(old)?;
                (
                    None,
                    old.engagement.clone(),
                    old.result.category_override.clone(),
                    events,
                )
            }
            Op::Unfollow(_, at) => {
                let old = stored(old)?;
                // An unfollow dated before the follow would count in growth before the follow
                // it undoes; a profile sent so is refused the same way (`grpc/convert.rs`).
                if let Some(followed) = old.profile.followed_at
                    && at < followed
                {
                    return Err(ServiceError::invalid(
                        "unfollowed_at",
                        "is before followed_at",
                    ));
                }
                let mut profile = old.profile.clone();
                profile.unfollowed_at = Some(at);
                (
                    Some(profile),
                    old.engagement.clone(),
                    old.result.category_override.clone(),
                    Vec::new(),
                )
            }
            Op::SetOverride(_, o) => {
                let old = stored(old)?;
                (None, old.engagement.clone(), Some(o), Vec::new())
            }
            Op::ClearOverride(_) => {
                let old = stored(old)?;
                (None, old.engagement.clone(), None, Vec::new())
            }
            Op::Rescore(_) => {
                let old = stored(old)?;
                let override_ = old
                    .result
                    .category_override
                    .clone()
                    .filter(|o| o.is_active(now));
                (None, old.engagement.clone(), override_, Vec::new())
            }
            Op::Forget(key) => {
                let old = stored(old)?;
                let ledger = ledger_of(handle, staged, &key)?;
                let ids: Vec<String> = ledger.iter().map(|(id, _)| id.clone()).collect();
                let outcome_ids = handle.stored.outcome_ids(&key)?;
                write.forget_follower(&key, old.revision, &ids, &outcome_ids);
                result_changed(state, stamp, write, touched, Some(&old.result), None);
                staged.record = None;
                staged.ledger = Some(Vec::new());
                return Ok((
                    Applied {
                        result: None,
                        counts,
                    },
                    None,
                ));
            }
        };
    let profile_kept = profile;
    let profile = match &profile_kept {
        Some(profile) => profile,
        None => &stored(old)?.profile,
    };

    // Events: deduplicate by id, cap per type and day, then recount from the ledger with
    // the current weights and half-life.
    let had_events = engagement.counted_events > 0;
    let stale = old.is_some_and(|o| !stamp.matches(&o.result));
    if !events.is_empty() || (had_events && stale) {
        let key = profile.key.clone();
        let ledger = ledger_of(handle, staged, &key)?;
        for event in events {
            if ledger.iter().any(|(id, _)| *id == event.event_id) {
                counts.1 += 1;
                continue;
            }
            let entry = LedgerEntry {
                kind: event.kind,
                occurred_at: event.occurred_at,
                counted: engagement::within_daily_cap(
                    ledger.iter().map(|(_, e)| e),
                    event.kind,
                    event.occurred_at,
                ),
            };
            if entry.counted {
                counts.0 += 1;
            } else {
                counts.2 += 1;
            }
            write.put_event(&key, &event.event_id, &entry)?;
            ledger.push((event.event_id, entry));
        }
        engagement =
            engagement::summarize(ledger.iter().map(|(_, e)| e), &ctx.config.settings, now);
    }

    let category_override = category_override.as_ref();
    // The stored copy goes without its explanation (re-derived on read); the caller's
    // answer keeps it. Moving the explanation aside avoids copying it.
    let (kept_result, answer) = match answers {
        Answers::Explained => {
            let mut result = score(&ctx, profile, &engagement, category_override, now);
            let explanation = Explanation::take(&mut result);
            let kept = result.clone();
            explanation.restore(&mut result);
            (kept, Some(result))
        }
        Answers::Unread => {
            // The stored profile, kept: the stored result was scored from it.
            let result = match old.filter(|_| profile_kept.is_none()) {
                Some(old) => rescore_unexplained(
                    &ctx,
                    profile,
                    &engagement,
                    category_override,
                    now,
                    &old.result,
                ),
                None => score_unexplained(&ctx, profile, &engagement, category_override, now),
            };
            (result, None)
        }
    };
    let revision = old.map_or(Revision::ABSENT, |o| o.revision);
    result_changed(
        state,
        stamp,
        write,
        touched,
        old.map(|o| &o.result),
        Some(&kept_result),
    );
    // The profile and engagement as stored and the same decision (the usual case when a
    // rescoring pass follows an ICP edit): the stored value is kept under the new stamp.
    let restamp = old
        .filter(|_| profile_kept.is_none())
        .and_then(|old| Some((old, old.stored.bytes()?)))
        .filter(|(old, _)| engagement == old.engagement && kept_result.same_decision(&old.result))
        .map(|(old, stored)| (stored, &old.result.model_version));
    match restamp {
        Some((stored, stored_model_version)) => {
            write.restamp_follower(stored, stored_model_version, &kept_result, revision)?
        }
        None => write.put_follower_parts(
            RecordParts {
                profile,
                result: &kept_result,
                engagement: &engagement,
            },
            revision,
        )?,
    }
    Ok((
        Applied {
            result: answer,
            counts,
        },
        Some(Left {
            profile: profile_kept,
            result: kept_result,
            engagement,
            revision,
        }),
    ))
}

/// A follower's stored result changes from `old` to `new` (`None`: not stored): its
/// contribution to the counters and its place in the listing move with it, in memory and,
/// for a store that keeps counters and the listing itself, in the write.
fn result_changed(
    state: &mut AccountState,
    stamp: &VersionStamp,
    write: &mut AccountWrite,
    touched: &mut Vec<(crate::engine::vocabulary::Platform, i64)>,
    old: Option<&FollowerResult>,
    new: Option<&FollowerResult>,
) {
    let before = old.map(|r| Contribution::of(r, stamp));
    let after = new.map(|r| Contribution::of(r, stamp));
    state
        .aggregates
        .replace(before.as_ref(), after.as_ref(), touched);
    write.count(before.as_ref(), after.as_ref());
    state.listing.update(old, new);
    if write.keeps_listing() {
        write.list(old.and_then(Entry::of), new.and_then(Entry::of));
    }
}

/// The follower's ledger, read once per chunk.
fn ledger_of<'a>(
    handle: &AccountHandle,
    staged: &'a mut Staged,
    key: &FollowerKey,
) -> Result<&'a mut Vec<(String, LedgerEntry)>> {
    if staged.ledger.is_none() {
        staged.ledger = Some(handle.stored.ledger(key)?);
    }
    Ok(staged.ledger.get_or_insert_with(Vec::new))
}

/// A fresh profile replaces the stored one, but follow history is kept: the stored follow
/// date stands unless the caller sends one, and an unfollow stands unless the person has
/// followed again since.
fn merge_follow_dates(profile: &mut FollowerProfile, stored: &FollowerProfile) {
    if profile.followed_at.is_none() {
        profile.followed_at = stored.followed_at;
    }
    if profile.unfollowed_at.is_none() {
        let refollowed = match (profile.followed_at, stored.unfollowed_at) {
            (Some(followed), Some(unfollowed)) => followed > unfollowed,
            _ => false,
        };
        if !refollowed {
            profile.unfollowed_at = stored.unfollowed_at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::account::AccountConfig;
    use crate::engine::ids::AccountId;
    use crate::engine::vocabulary::{Category, EngagementType};
    use crate::service::testing::{example_followers, open_service};

    /// One follower's ops, in one chunk or each in its own: an op that keeps the stored
    /// profile moves it to the next op of the chunk (`Left`), and every op sees what the
    /// one before it left, so both ways store the same record.
    #[test]
    fn ops_on_one_follower_in_one_chunk_store_what_separate_chunks_store() {
        let profile = example_followers("followers_twitter.csv").remove(0);
        let key = profile.key.clone();
        let now = Timestamp::now();
        let ops = || {
            vec![
                Op::Score(Box::new(ScoreItem {
                    profile: profile.clone(),
                    events: Vec::new(),
                })),
                Op::Engage(
                    key.clone(),
                    vec![EngagementEvent {
                        event_id: "comment-1".into(),
                        kind: EngagementType::ALL[1],
                        occurred_at: now.minus_days(2),
                    }],
                ),
                Op::SetOverride(
                    key.clone(),
                    CategoryOverride {
                        category: Category::Customer,
                        set_by: "ops".into(),
                        reason: "signed".into(),
                        set_at: now,
                        expires_at: None,
                    },
                ),
                Op::Rescore(key.clone()),
                Op::Unfollow(key.clone(), now),
                Op::ClearOverride(key.clone()),
                Op::Rescore(key.clone()),
            ]
        };
        let account = AccountId::parse("northwind").unwrap();
        let stored_after = |one_chunk: bool| {
            let dir = tempfile::tempdir().unwrap();
            let service = open_service(dir.path());
            service
                .upsert_account(AccountConfig::new(account.clone()), now)
                .unwrap();
            let handle = service.handle(&account).unwrap();
            let chunks = if one_chunk {
                vec![ops()]
            } else {
                ops().into_iter().map(|op| vec![op]).collect()
            };
            for chunk in chunks {
                let applied = service.apply_ops(&handle, chunk, now).unwrap();
                assert!(applied.outcomes.iter().all(|o| o.is_ok()));
            }
            let mut records = handle
                .stored
                .get_followers(std::slice::from_ref(&key))
                .unwrap();
            records.pop().flatten().expect("the follower is stored")
        };
        let (together, apart) = (stored_after(true), stored_after(false));
        assert_eq!(together.profile, apart.profile);
        assert_eq!(together.result, apart.result);
        assert_eq!(together.engagement, apart.engagement);
        assert_eq!(together.profile.unfollowed_at, Some(now));
        assert_eq!(together.engagement.counted_events, 1);
    }
}
