//! Reads: stored results by id, filtered listings, and the network quality report.
//!
//! The freshness policy lives here: a stored result scored under another configuration or
//! model version, with an expired override, or with engagement points that have decayed
//! since the day it was scored is rescored (through the write path) before it is returned.
//! Nothing stale is served as fresh.
//!
//! A fresh stored result is served with its explanation re-derived: the store keeps the
//! decision without its reasons (`store::FollowerRecord`), and scoring the stored inputs
//! again at the stored `scored_at` under the same configuration and model gives the same
//! result, reasons included. The re-derived decision is checked against the stored one; a
//! difference (which would mean scoring is not deterministic) is logged and the follower is
//! rescored instead, so a caller never sees reasons that disagree with the decision.

use std::sync::Arc;

use crate::engine::context::ScoringContext;
use crate::engine::counting::aggregates::VersionStamp;
use crate::engine::counting::report::{self, NetworkReport, ReportInputs};
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::score::score;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Platform;
use crate::store::{Explanation, FollowerRecord};

use super::listing::{
    self, BuildId, FollowerFilter, ListingIndex, ListingSlot, Position, Selection, Walk,
};
use super::writes::Op;
use super::{AccountHandle, Result, Service, ServiceError};

#[derive(Debug, Clone)]
pub struct FollowerPage {
    pub results: Vec<FollowerResult>,
    /// The stored profile of `results[i]` at `profiles[i]` (the person behind the result,
    /// for exports that match CRM records).
    pub profiles: Vec<FollowerProfile>,
    /// Opaque; `None` when there are no further results.
    pub next_page_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct QualityReport {
    pub account_id: AccountId,
    pub report: NetworkReport,
    pub config_version: u64,
    pub model_version: String,
}

/// A report shared by every call that asks for it until the account changes
/// (`Service::shared_network_quality`). Its `report.as_of` is when it was built; each caller
/// states its own time.
#[derive(Debug)]
pub struct SharedReport {
    pub report: QualityReport,
    /// A memo the transport may fill with its own encoding of the report (the gRPC layer
    /// keeps the protobuf bytes of everything but `as_of`), so that calls between two
    /// changes do not encode it again. It lives and dies with the report: a forgotten
    /// follower's details listed among the top leads do not outlive the report that listed
    /// them.
    pub encoded: std::sync::OnceLock<Box<[u8]>>,
}
/// Index entries one walk of a listing may examine past filters, and walks per call: a
/// call's cost stays bounded (a rare filter over a million followers returns a shorter
/// page with a token rather than scanning everything at once).
const WALK_BUDGET: usize = 100_000;
const MAX_WALKS: usize = 10;

/// Followers read from the store per step while the listing index is built.
const BUILD_CHUNK: usize = 4_096;

/// A report as last built, valid while nothing of the account changes, the day is the same
/// and no top lead's override has expired.
#[derive(Debug, Clone)]
pub(crate) struct CachedReport {
    generation: u64,
    platform: Option<Platform>,
    top_n: usize,
    day: i64,
    valid_until: Option<Timestamp>,
    report: Arc<SharedReport>,
}

impl CachedReport {
    fn serves(
        &self,
        generation: u64,
        platform: Option<Platform>,
        top_n: usize,
        now: Timestamp,
    ) -> bool {
        self.generation == generation
            && self.platform == platform
            && self.top_n == top_n
            && self.day == now.day()
            && self.valid_until.is_none_or(|until| now < until)
    }
}

/// Whether a stored result must be rescored before it is served.
pub(crate) fn needs_refresh(result: &FollowerResult, stamp: &VersionStamp, now: Timestamp) -> bool {
    !stamp.matches(result)
        || result
            .category_override
            .as_ref()
            .is_some_and(|o| !o.is_active(now))
        || (result.engagement_points > 0.0 && result.scored_at.day() < now.day())
}

/// A fresh stored record's full result, its explanation re-derived; `None` if the
/// re-derived decision is not the stored one.
fn explained(ctx: &ScoringContext, record: &FollowerRecord) -> Option<FollowerResult> {
    if !record.result.reasons.is_empty() {
        // Written by a release that stored the explanation.
        return Some(record.result.clone());
    }
    let stored = &record.result;
    let mut full = score(
        ctx,
        &record.profile,
        &record.engagement,
        stored.category_override.as_ref(),
        stored.scored_at,
    );
    let explanation = Explanation::take(&mut full);
    if full != *stored {
        tracing::warn!(
            platform = ?stored.key.platform,
            "a re-derived result differs from the stored decision; rescoring it"
        );
        return None;
    }
    explanation.restore(&mut full);
    Some(full)
}

impl Service {
    /// Stored results for `ids` (in the order asked) and the ids that are not stored.
    pub fn get_followers(
        &self,
        account: &AccountId,
        platform: Platform,
        ids: Vec<FollowerId>,
        now: Timestamp,
    ) -> Result<(Vec<FollowerResult>, Vec<FollowerId>)> {
        if ids.is_empty() {
            return Err(ServiceError::invalid(
                "follower_ids",
                "at least one id is required",
            ));
        }
        if ids.len() > self.limits.max_get_ids {
            return Err(ServiceError::ResourceExhausted(format!(
                "follower_ids: at most {} ids per call, got {}",
                self.limits.max_get_ids,
                ids.len()
            )));
        }
        let handle = self.handle(account)?;
        let keys: Vec<FollowerKey> = ids
            .into_iter()
            .map(|id| FollowerKey { platform, id })
            .collect();
        let mut records = Vec::with_capacity(keys.len());
        let mut missing = Vec::new();
        // One request for all of them (a shared store answers in one round trip).
        let read = handle.stored.get_followers(&keys)?;
        for (key, record) in keys.into_iter().zip(read) {
            match record {
                Some(record) => records.push(record),
                None => missing.push(key.id),
            }
        }
        let mut found = Vec::with_capacity(records.len());
        for (record, result) in records.iter().zip(self.served(&handle, &records, now)?) {
            match result {
                Some(result) => found.push(result),
                // Forgotten while this call ran.
                None => missing.push(record.result.key.id.clone()),
            }
        }
        Ok((found, missing))
    }

    /// What a caller is served for each stored record, in order: its result explained, or
    /// rescored first when it is stale. `None` for a follower forgotten meanwhile.
    fn served(
        &self,
        handle: &AccountHandle,
        records: &[FollowerRecord],
        now: Timestamp,
    ) -> Result<Vec<Option<FollowerResult>>> {
        let (ctx, stamp) = {
            let state = self.synced(handle)?;
            (state.ctx.clone(), state.stamp())
        };
        let mut served: Vec<Option<FollowerResult>> = records
            .iter()
            .map(|record| {
                if needs_refresh(&record.result, &stamp, now) {
                    None
                } else {
                    explained(&ctx, record)
                }
            })
            .collect();
        let stale: Vec<usize> = (0..served.len()).filter(|i| served[*i].is_none()).collect();
        if stale.is_empty() {
            return Ok(served);
        }
        let ops = stale
            .iter()
            .map(|i| Op::Rescore(records[*i].result.key.clone()))
            .collect();
        // Not waited for: a rescored result is recomputed if a crash loses it.
        let chunk = self.apply_ops(handle, ops, now)?;
        for (i, outcome) in stale.into_iter().zip(chunk.outcomes) {
            served[i] = match outcome {
                Ok(applied) => applied.result,
                Err(ServiceError::NotFound { .. }) => None,
                Err(error) => return Err(error),
            };
        }
        Ok(served)
    }

    /// Walks the listing; the records are read after it. A shared store keeps the listing
    /// itself; with the embedded store it is the in-memory index, built first if this is
    /// the first listing since the account was loaded (or since a failed write dropped it).
    fn walk_listing(
        &self,
        handle: &AccountHandle,
        selection: Selection<'_>,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Walk> {
        if self.store.is_shared() {
            // The store keeps the listing; its entries change with the followers, so the
            // account's lock is not needed to walk them.
            drop(self.synced(handle)?);
            return listing::walk_entries(selection, after, limit, WALK_BUDGET, |from, count| {
                handle
                    .stored
                    .listing(from, count)?
                    .ok_or(ServiceError::invariant("a shared store keeps the listing"))
            });
        }
        self.walk_in_memory(handle, selection, after, limit, BUILD_CHUNK, &mut || {})
    }

    /// Walks the in-memory listing under the account's lock, once it is built. Of the
    /// listings that find it absent, one builds it (`ListingSlot`: without the lock, so the
    /// account's writes and reads go on meanwhile) and the others wait for that build.
    /// `between_chunks` runs between two chunks of `chunk` records the build reads.
    pub(crate) fn walk_in_memory(
        &self,
        handle: &AccountHandle,
        selection: Selection<'_>,
        after: Option<&Position>,
        limit: usize,
        chunk: usize,
        between_chunks: &mut dyn FnMut(),
    ) -> Result<Walk> {
        let mut state = handle.lock();
        loop {
            match &state.listing {
                ListingSlot::Ready(index) => {
                    return Ok(index.walk(selection, after, limit, WALK_BUDGET));
                }
                ListingSlot::Building { .. } => {
                    state = handle
                        .listing_built
                        .wait(state)
                        .unwrap_or_else(|p| p.into_inner());
                }
                ListingSlot::Absent => {
                    let build = Build {
                        handle,
                        id: state.listing.begin(),
                    };
                    drop(state);
                    build.install(read_listing(handle, chunk, between_chunks)?);
                    state = handle.lock();
                }
            }
        }
    }

    fn read_records(
        &self,
        handle: &AccountHandle,
        keys: &[FollowerKey],
    ) -> Result<Vec<FollowerRecord>> {
        // A key the listing named can be forgotten before it is read.
        Ok(handle
            .stored
            .get_followers(keys)?
            .into_iter()
            .flatten()
            .collect())
    }

    /// A page of current followers matching `filter`, highest lead score first. Page tokens
    /// are positions in the listing, so paging stays consistent while others write: a
    /// follower whose score does not change is returned exactly once.
    pub fn list_followers(
        &self,
        account: &AccountId,
        filter: &FollowerFilter,
        page_size: Option<usize>,
        page_token: Option<&str>,
        now: Timestamp,
    ) -> Result<FollowerPage> {
        let page_size = page_size.unwrap_or(self.limits.default_page_size);
        if page_size == 0 || page_size > self.limits.max_page_size {
            return Err(ServiceError::invalid(
                "page_size",
                format!("must be between 1 and {}", self.limits.max_page_size),
            ));
        }
        let mut resume = match page_token {
            Some(token) => Some(Position::from_token(token, filter).ok_or_else(|| {
                ServiceError::invalid("page_token", "not a page token of this listing and filter")
            })?),
            None => None,
        };
        let handle = self.handle(account)?;
        let selection = Selection {
            filter: Some(filter),
            leads_only: false,
        };
        let mut results = Vec::with_capacity(page_size);
        let mut profiles = Vec::with_capacity(page_size);
        for _ in 0..MAX_WALKS {
            let walk = self.walk_listing(
                &handle,
                selection,
                resume.as_ref(),
                page_size - results.len(),
            )?;
            let records = self.read_records(&handle, &walk.keys)?;
            let served = self.served(&handle, &records, now)?;
            for (record, result) in records.into_iter().zip(served) {
                // Rescoring a stale result can move it out of the filter.
                if let Some(result) = result.filter(|r| filter.accepts(r)) {
                    results.push(result);
                    profiles.push(record.profile);
                }
            }
            resume = walk.resume_after;
            if resume.is_none() || results.len() == page_size {
                break;
            }
        }
        Ok(FollowerPage {
            results,
            profiles,
            next_page_token: resume.map(|position| position.to_token(filter)),
        })
    }

    /// The network quality report as of `now`, from the maintained aggregates plus the top
    /// leads (a copy of the shared report, `shared_network_quality`).
    pub fn network_quality(
        &self,
        account: &AccountId,
        platform: Option<Platform>,
        top_n: Option<usize>,
        now: Timestamp,
    ) -> Result<QualityReport> {
        let shared = self.shared_network_quality(account, platform, top_n, now)?;
        let mut report = shared.report.clone();
        report.report.as_of = now;
        Ok(report)
    }

    /// The network quality report, built once per change of the account (and per day) and
    /// shared by every call until then: repeated calls cost a lookup, not a copy. Its
    /// `as_of` is when it was built.
    pub fn shared_network_quality(
        &self,
        account: &AccountId,
        platform: Option<Platform>,
        top_n: Option<usize>,
        now: Timestamp,
    ) -> Result<Arc<SharedReport>> {
        let top_n = top_n.unwrap_or(self.limits.default_top_leads);
        if top_n > self.limits.max_top_leads {
            return Err(ServiceError::invalid(
                "top_n",
                format!("at most {}", self.limits.max_top_leads),
            ));
        }
        let handle = self.handle(account)?;
        let generation = {
            let state = self.synced(&handle)?;
            if let Some(cached) = state
                .report_cache
                .as_ref()
                .filter(|c| c.serves(state.generation, platform, top_n, now))
            {
                return Ok(cached.report.clone());
            }
            state.generation
        };
        let leads = if top_n == 0 {
            Vec::new()
        } else {
            self.top_leads(&handle, platform, top_n, now)?
        };
        let valid_until = leads
            .iter()
            .filter_map(|lead| lead.category_override.as_ref()?.expires_at)
            .min();
        let mut state = handle.lock();
        let report = Arc::new(SharedReport {
            report: QualityReport {
                account_id: account.clone(),
                report: report::build(
                    &state.aggregates,
                    ReportInputs {
                        config: &state.ctx.config,
                        platform,
                        now,
                        top_leads: leads,
                    },
                ),
                config_version: state.ctx.config.config_version,
                model_version: state.ctx.model_version.to_string(),
            },
            encoded: std::sync::OnceLock::new(),
        });
        // Cached only if nothing changed while the leads were read.
        if state.generation == generation {
            state.report_cache = Some(CachedReport {
                generation,
                platform,
                top_n,
                day: now.day(),
                valid_until,
                report: report.clone(),
            });
        }
        Ok(report)
    }

    /// The `top_n` current leads (PROSPECT, CUSTOMER, PARTNER) with the highest lead score.
    fn top_leads(
        &self,
        handle: &AccountHandle,
        platform: Option<Platform>,
        top_n: usize,
        now: Timestamp,
    ) -> Result<Vec<FollowerResult>> {
        let filter = FollowerFilter {
            platform,
            ..FollowerFilter::default()
        };
        let selection = Selection {
            filter: Some(&filter),
            leads_only: true,
        };
        let mut leads = Vec::with_capacity(top_n);
        let mut resume = None;
        for _ in 0..MAX_WALKS {
            let walk =
                self.walk_listing(handle, selection, resume.as_ref(), top_n - leads.len())?;
            let records = self.read_records(handle, &walk.keys)?;
            let served = self.served(handle, &records, now)?;
            leads.extend(
                served
                    .into_iter()
                    .flatten()
                    .filter(|r| filter.accepts(r) && r.category.is_lead()),
            );
            resume = walk.resume_after;
            if resume.is_none() || leads.len() >= top_n {
                break;
            }
        }
        leads.sort_by_key(|lead| std::cmp::Reverse(lead.lead_score));
        leads.truncate(top_n);
        Ok(leads)
    }
}

/// Reads every stored record of the account into a new listing index, `chunk` records at a
/// time, without the account's lock.
fn read_listing(
    handle: &AccountHandle,
    chunk: usize,
    between_chunks: &mut dyn FnMut(),
) -> Result<ListingIndex> {
    let started = std::time::Instant::now();
    let mut index = ListingIndex::default();
    let mut after: Option<FollowerKey> = None;
    loop {
        let records = handle.stored.scan_followers(after.as_ref(), chunk)?;
        for record in &records {
            index.update(None, Some(&record.result));
        }
        if records.len() < chunk {
            break;
        }
        after = records.last().map(|r| r.result.key.clone());
        between_chunks();
    }
    tracing::info!(
        listed = index.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "built an account's listing index"
    );
    Ok(index)
}

/// A listing build under way. However it ends (installed, failed, or a panic), the slot
/// stops waiting for it and the listings waiting on it wake: none waits for a build that
/// will never finish.
struct Build<'a> {
    handle: &'a AccountHandle,
    id: BuildId,
}

impl Build<'_> {
    /// Installs the index the build read, unless a failed write emptied the slot meanwhile
    /// (the walk that started it then builds again).
    fn install(self, index: ListingIndex) {
        self.handle.lock().listing.finish(self.id, index);
    }
}

impl Drop for Build<'_> {
    fn drop(&mut self) {
        self.handle.lock().listing.abandon(self.id);
        self.handle.listing_built.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::engine::account::{AccountConfig, CompanySet};
    use crate::engine::profile::EngagementEvent;
    use crate::engine::result::CategoryOverride;
    use crate::engine::vocabulary::{Category, EngagementType};
    use crate::service::ScoreItem;
    use crate::service::testing::{example_followers, open_service, score_profiles};

    fn service(dir: &Path) -> (Service, AccountId) {
        let service = open_service(dir);
        let id = AccountId::parse("northwind").unwrap();
        let mut config = AccountConfig::new(id.clone());
        config.own_company = CompanySet {
            names: vec!["Northwind Analytics".into()],
            domains: vec!["northwind.io".into()],
        };
        config.customers = CompanySet {
            names: vec!["Contoso".into(), "Fabrikam".into()],
            domains: vec![],
        };
        config.competitors = CompanySet {
            names: vec!["Initech".into()],
            domains: vec![],
        };
        config.icp.industries = vec!["Software".into()];
        service.upsert_account(config, Timestamp::now()).unwrap();
        (service, id)
    }

    fn example_profiles() -> Vec<FollowerProfile> {
        let mut profiles = Vec::new();
        for file in [
            "followers_linkedin.csv",
            "followers_twitter.csv",
            "followers_twitter_v11.jsonl",
            "followers_twitter_v2.jsonl",
        ] {
            profiles.extend(example_followers(file));
        }
        assert!(profiles.len() > 500);
        profiles
    }

    /// The listing index is built without the account's lock: writes made while a build
    /// reads the records go through at once, and the index it installs holds them, as a
    /// build from the records written by then would (new followers before and after where
    /// the build was reading, forgotten ones, followers whose place moved).
    #[test]
    fn a_listing_built_while_the_account_writes_holds_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let (service, account) = service(dir.path());
        let service = Arc::new(service);
        let now = Timestamp::now();
        let profiles = example_profiles();
        let (stored, later) = profiles.split_at(1_000);
        score_profiles(&service, &account, stored, now);
        let handle = service.handle(&account).unwrap();
        handle.lock().listing = ListingSlot::Absent;
        let listed = |handle: &AccountHandle, between_chunks: &mut dyn FnMut()| -> Vec<_> {
            service
                .walk_in_memory(
                    handle,
                    Selection::default(),
                    None,
                    100_000,
                    64,
                    between_chunks,
                )
                .unwrap()
                .keys
        };

        let mut chunks_read = 0;
        let built = listed(&handle, &mut || {
            chunks_read += 1;
            if chunks_read != 3 {
                return;
            }
            // Writes on another thread while the build reads; they must not wait for it.
            let (done, finished) = std::sync::mpsc::channel();
            let writer = service.clone();
            let (account, later) = (account.clone(), later.to_vec());
            let (forgotten, moved) = (stored[..40].to_vec(), stored[40..80].to_vec());
            std::thread::spawn(move || {
                score_profiles(&writer, &account, &later, now);
                for profile in &forgotten {
                    let pending = writer.forget_follower(&account, profile.key.clone(), now);
                    assert!(pending.unwrap().wait().unwrap());
                }
                let moved: Vec<_> = moved
                    .into_iter()
                    .map(|mut profile| {
                        profile.title = Some("Chief Executive Officer".into());
                        profile.industry = Some("Software".into());
                        profile
                    })
                    .collect();
                score_profiles(&writer, &account, &moved, now);
                done.send(()).unwrap();
            });
            finished
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("writes go on while the listing is built");
        });
        assert!(chunks_read >= 3, "the build read {chunks_read} chunks");

        handle.lock().listing = ListingSlot::Absent;
        let rebuilt = listed(&handle, &mut || {});
        assert_eq!(rebuilt.len(), profiles.len() - 40);
        assert_eq!(built.len(), rebuilt.len());
        let misplaced = built.iter().zip(&rebuilt).filter(|(a, b)| a != b).count();
        assert_eq!(misplaced, 0, "followers out of place in the built listing");
    }

    #[test]
    fn a_stored_result_is_served_with_the_explanation_scoring_gave() {
        let dir = tempfile::tempdir().unwrap();
        let (service, account) = service(dir.path());
        let now = Timestamp::now();
        let profiles = example_profiles();
        let items = profiles
            .iter()
            .enumerate()
            .map(|(i, profile)| ScoreItem {
                profile: profile.clone(),
                // Some followers come with engagement, so the ledger takes part too.
                events: if i % 7 == 0 {
                    vec![EngagementEvent {
                        event_id: format!("e{i}"),
                        kind: EngagementType::ALL[i % EngagementType::ALL.len()],
                        occurred_at: now.minus_days(3),
                    }]
                } else {
                    Vec::new()
                },
            })
            .collect();
        let scored: Vec<FollowerResult> = service
            .score_followers(&account, items, now)
            .unwrap()
            .wait()
            .unwrap()
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        // An override with an expiry still ahead is part of what is re-derived.
        let first = scored[0].key.clone();
        let overridden = service
            .set_override(
                &account,
                first.clone(),
                CategoryOverride {
                    category: Category::Customer,
                    set_by: "ae@northwind.io".into(),
                    reason: "signed last week".into(),
                    set_at: now,
                    expires_at: Some(Timestamp::from_unix_seconds(now.unix_seconds() + 86_400)),
                },
                now,
            )
            .unwrap()
            .wait()
            .unwrap();

        let mut explained = 0;
        for result in scored.iter().skip(1).chain([&overridden]) {
            let (found, missing) = service
                .get_followers(
                    &account,
                    result.key.platform,
                    vec![result.key.id.clone()],
                    now,
                )
                .unwrap();
            assert!(missing.is_empty());
            assert_eq!(
                &found[0], result,
                "served differs from scored for {:?}",
                result.key
            );
            explained += usize::from(!result.reasons.is_empty());
        }
        assert!(explained > 500, "results carry reasons: {explained}");
        // What is on disk carries no explanation.
        let stored = service
            .handle(&account)
            .unwrap()
            .stored
            .get_follower(&first)
            .unwrap()
            .unwrap();
        assert!(stored.result.reasons.is_empty());
    }

    #[test]
    fn listings_and_the_report_follow_writes_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let now = Timestamp::now();
        let total;
        {
            let (service, account) = service(dir.path());
            let profiles = example_profiles();
            total = profiles.len();
            score_profiles(&service, &account, &profiles, now);
            let first = service
                .network_quality(&account, None, Some(5), now)
                .unwrap();
            // Served from the cache until something changes.
            let again = service
                .network_quality(&account, None, Some(5), now)
                .unwrap();
            assert_eq!(first.report.top_leads, again.report.top_leads);
            let lead = first.report.top_leads[0].key.clone();
            service
                .remove_follower(&account, lead.clone(), now, now)
                .unwrap()
                .wait()
                .unwrap();
            let after = service
                .network_quality(&account, None, Some(5), now)
                .unwrap();
            assert!(after.report.top_leads.iter().all(|r| r.key != lead));
        }
        // A new process builds the listing from the stored records.
        let (service, account) = service(dir.path());
        let mut seen = 0;
        let mut token: Option<String> = None;
        let mut last_score = u8::MAX;
        loop {
            let page = service
                .list_followers(
                    &account,
                    &FollowerFilter::default(),
                    Some(100),
                    token.as_deref(),
                    now,
                )
                .unwrap();
            for result in &page.results {
                assert!(result.lead_score <= last_score, "highest score first");
                last_score = result.lead_score;
            }
            seen += page.results.len();
            token = page.next_page_token;
            if token.is_none() {
                break;
            }
        }
        // Every follower but the one who unfollowed, and any unfollowed in the files.
        assert!(seen < total && seen > total - 50, "{seen} of {total}");
    }
}
