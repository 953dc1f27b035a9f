//! Background rescoring: after a configuration or model change, stored results are stale;
//! this pass walks each account's followers in key order and rescores the stale ones in
//! chunks, through the same write path as everything else. Reads rescore what they touch
//! on their own, so the pass only bounds how long the rest stays stale.
//!
//! The same walk is the daily sweep: engagement points decay every day, and an override
//! can expire, so a result nobody reads drifts from what scoring it now would give, and the
//! account's tier and level counts drift with it. Once per day (UTC) every account is
//! walked and each result that a read would refresh (`reads::needs_refresh`: stale, an
//! expired override, points scored on an earlier day) is rescored, so the report's counts
//! equal a recount on any day, once that day's sweep has passed. The day a whole walk
//! ended is stored with the account, so neither a restart nor another replica walks the
//! account again that day: at a million followers a walk reads every record, seconds of a
//! core, and a deploy would otherwise cost one per account.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::engine::time::Timestamp;

use super::reads::needs_refresh;
use super::writes::{Answers, Op};
use super::{Result, Service};

/// Where an account's daily sweep stands.
#[derive(Debug, Default)]
pub(crate) struct Sweep {
    /// The last day (UTC days since 1970) a whole walk ran within.
    swept_day: Option<i64>,
    /// The day the walk under way started on.
    pass_day: Option<i64>,
}

/// Followers examined per chunk: large enough to amortise the batch, small enough that the
/// account's lock is never held for long (a few milliseconds).
pub const RESCORE_CHUNK: usize = 256;

/// How long a replica's hold on an account's rescoring pass lasts without renewal (each
/// chunk renews it).
pub const RESCORE_LEASE: Duration = Duration::from_secs(30);

/// Wakes the rescorer early; it also wakes on its own every few seconds.
#[derive(Debug, Default)]
pub struct Signal {
    pending: Mutex<bool>,
    wake: Condvar,
}

impl Signal {
    pub fn notify(&self) {
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }

    fn wait(&self, timeout: Duration) {
        let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let (mut pending, _) = self
            .wake
            .wait_timeout_while(pending, timeout, |p| !*p)
            .unwrap_or_else(|p| p.into_inner());
        *pending = false;
    }
}

impl Service {
    /// Walks one chunk per account that has stale results or whose sweep for today has not
    /// run, and rescores what needs it. Returns how many followers were rescored or walked
    /// by a sweep (0: nothing to do now). Each chunk is read and rewritten under the account's lock (so the records it
    /// rescores are current and read once), and not waited for: a crash before the next
    /// flush leaves those results to be rescored again.
    pub fn rescore_step(&self, now: Timestamp) -> Result<usize> {
        let mut walked = 0;
        for account in self.account_ids() {
            let Ok(handle) = self.handle(&account) else {
                continue;
            };
            let Ok(mut state) = self.synced(&handle) else {
                continue;
            };
            let mut sweep = handle.sweep.lock().unwrap_or_else(|p| p.into_inner());
            // Before a walk starts, the store may know of one that ended today: this process's
            // before a restart, or another replica's.
            if sweep.swept_day != Some(now.day())
                && sweep.pass_day.is_none()
                && handle.stored.swept_day()? == Some(now.day())
            {
                sweep.swept_day = Some(now.day());
            }
            let sweep_due = sweep.swept_day != Some(now.day());
            if state.aggregates.stale_results() == 0 && !sweep_due {
                continue;
            }
            // With replicas, one pass per account at a time: the lease's holder walks, the
            // others skip the account; a holder that dies stops renewing, and after the
            // lease expires another takes over from its own cursor.
            if !handle.stored.lease(&self.replica_id, RESCORE_LEASE)? {
                continue;
            }
            let stamp = state.stamp();
            let mut cursor = handle
                .rescore_cursor
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let walk_starts = cursor.is_none();
            if walk_starts {
                sweep.pass_day = Some(now.day());
            }
            let records = handle
                .stored
                .scan_followers(cursor.as_ref(), RESCORE_CHUNK)?;
            if sweep_due {
                walked += records.len().max(1);
            }
            *cursor = if records.len() < RESCORE_CHUNK {
                // A whole walk has run since `pass_day` began. The day is stored so that a
                // restart or another replica does not walk the account again today; an
                // account with no follower is not worth that write, since walking it again
                // is one empty read. (It would also be a write nobody waits for, right
                // after the account's creation, where every write is expected to belong
                // to a request: reliability/power-loss.sh.)
                sweep.swept_day = sweep.pass_day.take();
                let empty = walk_starts && records.is_empty();
                if let Some(day) = sweep.swept_day.filter(|_| !empty)
                    && let Err(error) = handle.stored.set_swept_day(day)
                {
                    // Costs one more walk after a restart, nothing else.
                    tracing::warn!(%error, "the day's sweep could not be recorded");
                }
                None
            } else {
                records.last().map(|r| r.result.key.clone())
            };
            drop(cursor);
            drop(sweep);
            let due: Vec<_> = records
                .into_iter()
                .filter(|r| needs_refresh(&r.result, &stamp, now))
                .collect();
            if !due.is_empty() {
                walked += due.len();
                tracing::debug!(rescored = due.len(), "rescoring stale or decayed results");
                let ops = due
                    .iter()
                    .map(|r| Op::Rescore(r.result.key.clone()))
                    .collect();
                match self.apply_locked(&handle, &mut state, ops, due, Answers::Unread, now) {
                    // Another replica rewrote one of these followers meanwhile; the state is
                    // reloaded and the chunk comes round again.
                    Err(error) if error.is_conflict() => state.synced = false,
                    other => {
                        other?;
                    }
                }
            }
        }
        Ok(walked)
    }
}

/// Runs `rescore_step` on a thread of its own until `stop` is set.
pub fn spawn_rescorer(
    service: Arc<Service>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("followscore-rescore".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match service.rescore_step(Timestamp::now()) {
                    Ok(0) => service.rescore_signal.wait(Duration::from_secs(2)),
                    Ok(_) => {}
                    Err(error) => {
                        tracing::error!(
                            error = %super::error::error_chain(&error),
                            "background rescoring failed"
                        );
                        service.rescore_signal.wait(Duration::from_secs(2));
                    }
                }
            }
        })
}

/// Stops the rescorer promptly.
pub fn stop_rescorer(service: &Service, stop: &AtomicBool) {
    stop.store(true, Ordering::Relaxed);
    service.rescore_signal.notify();
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::engine::account::AccountConfig;
    use crate::engine::ids::AccountId;
    use crate::engine::profile::EngagementEvent;
    use crate::engine::result::CategoryOverride;
    use crate::engine::score::score;
    use crate::engine::vocabulary::{Category, Platform, Seniority};
    use crate::engine::vocabulary::{EngagementType, LeadTier};
    use crate::service::ScoreItem;
    use crate::service::testing::{example_followers, open_service, score_profiles};
    use crate::store::Explanation;

    #[test]
    fn the_daily_sweep_keeps_tier_counts_equal_to_a_recount_on_later_days() {
        let dir = tempfile::tempdir().unwrap();
        let service = open_service(dir.path());
        let account = AccountId::parse("northwind").unwrap();
        let mut config = AccountConfig::new(account.clone());
        config.icp.industries = vec!["Software".into()];
        let day0 = Timestamp::now();
        service.upsert_account(config, day0).unwrap();
        let items: Vec<ScoreItem> = example_followers("followers_linkedin.csv")
            .into_iter()
            .take(300)
            .enumerate()
            .map(|(i, profile)| ScoreItem {
                profile,
                // Engaged followers, each differently, so their levels fall on different days.
                events: (0..(i % 12))
                    .map(|e| EngagementEvent {
                        event_id: format!("e{i}-{e}"),
                        kind: EngagementType::ALL[e % EngagementType::ALL.len()],
                        occurred_at: day0.minus_days(e as i64),
                    })
                    .collect(),
            })
            .collect();
        service
            .score_followers(&account, items, day0)
            .unwrap()
            .wait()
            .unwrap();
        // Today's sweep runs first and changes nothing.
        while service.rescore_step(day0).unwrap() > 0 {}

        let handle = service.handle(&account).unwrap();
        let stored = |now: Timestamp| {
            let records = handle.stored.scan_followers(None, 10_000).unwrap();
            let stamp = handle.lock().stamp();
            let stale = records
                .iter()
                .filter(|r| needs_refresh(&r.result, &stamp, now))
                .count();
            let mut tiers: HashMap<LeadTier, u64> = HashMap::new();
            for r in records.iter().filter(|r| r.result.is_following()) {
                *tiers.entry(r.result.lead_tier).or_default() += 1;
            }
            (stale, tiers)
        };
        let report_tiers = |now: Timestamp| -> HashMap<LeadTier, u64> {
            service
                .network_quality(&account, None, Some(0), now)
                .unwrap()
                .report
                .tiers
                .into_iter()
                .filter(|(_, share)| share.count > 0)
                .map(|(tier, share)| (tier, share.count))
                .collect()
        };
        let mut tiers_moved = false;
        for days_later in [1, 30, 120] {
            let later = day0.minus_days(-days_later);
            let before = report_tiers(later);
            let (due, _) = stored(later);
            assert!(due > 0, "day {days_later}: points have decayed");
            let mut steps = 0;
            while service.rescore_step(later).unwrap() > 0 {
                steps += 1;
                assert!(steps < 1_000, "the sweep ends");
            }
            let (due, recount) = stored(later);
            assert_eq!(due, 0, "day {days_later}: every decayed result is rescored");
            assert_eq!(report_tiers(later), recount, "day {days_later}");
            tiers_moved |= before != recount;
        }
        assert!(
            tiers_moved,
            "without the sweep the report would have drifted"
        );
    }

    /// The day's sweep is stored with the account: a service opened again on the same store
    /// that day does not walk the account again, and walks it the next day.
    #[test]
    fn a_restart_does_not_walk_an_account_swept_today_again() {
        let dir = tempfile::tempdir().unwrap();
        let account = AccountId::parse("northwind").unwrap();
        let today = Timestamp::now();
        let stored;
        let walk = |service: &crate::service::Service, now: Timestamp| {
            service.handle(&account).unwrap();
            let mut walked = 0;
            for _ in 0..1_000 {
                match service.rescore_step(now).unwrap() {
                    0 => return walked,
                    n => walked += n,
                }
            }
            panic!("the walk ends");
        };
        {
            let service = open_service(dir.path());
            service
                .upsert_account(AccountConfig::new(account.clone()), today)
                .unwrap();
            let profiles: Vec<_> = example_followers("followers_linkedin.csv")
                .into_iter()
                .take(300)
                .collect();
            score_profiles(&service, &account, &profiles, today);
            stored = profiles
                .iter()
                .map(|p| &p.key)
                .collect::<std::collections::HashSet<_>>()
                .len();
            assert_eq!(
                walk(&service, today),
                stored,
                "today's sweep walks every follower"
            );
            assert_eq!(walk(&service, today), 0, "once a day");
        }
        let service = open_service(dir.path());
        assert_eq!(walk(&service, today), 0, "swept today before the restart");
        assert_eq!(
            walk(&service, today.minus_days(-1)),
            stored,
            "the next day's sweep"
        );
    }

    /// An account with no follower is walked (one empty read) but its day is not stored:
    /// the write would cost more than the walk it saves, and it would land, waited for by
    /// nobody, right after the account's creation.
    #[test]
    fn an_empty_accounts_sweep_stores_no_day() {
        let dir = tempfile::tempdir().unwrap();
        let account = AccountId::parse("northwind").unwrap();
        let today = Timestamp::now();
        let service = open_service(dir.path());
        service
            .upsert_account(AccountConfig::new(account.clone()), today)
            .unwrap();
        let handle = service.handle(&account).unwrap();
        assert_eq!(
            service.rescore_step(today).unwrap(),
            1,
            "the sweep walks it"
        );
        assert_eq!(service.rescore_step(today).unwrap(), 0, "once a day");
        assert_eq!(
            handle.stored.swept_day().unwrap(),
            None,
            "no day is stored for an empty account"
        );
    }

    /// The rescorer scores without the explanation nobody reads; what it stores must be,
    /// field for field, what a call's write of the same follower stores, and reads must
    /// re-derive the explanation from it as from any other record.
    #[test]
    fn a_rescoring_pass_stores_what_a_call_would_store() {
        let dir = tempfile::tempdir().unwrap();
        let service = open_service(dir.path());
        let account = AccountId::parse("northwind").unwrap();
        let mut config = AccountConfig::new(account.clone());
        config.customers.names = vec!["Contoso".into(), "Fabrikam".into()];
        config.competitors.names = vec!["Datawise Labs".into()];
        config.settings.bot_prior = Some(0.3);
        let day0 = Timestamp::now();
        service.upsert_account(config.clone(), day0).unwrap();
        let profiles: Vec<_> = [
            "followers_linkedin.csv",
            "followers_twitter.csv",
            "followers_twitter_v11.jsonl",
            "followers_twitter_v2.jsonl",
        ]
        .into_iter()
        .flat_map(example_followers)
        .collect();
        let items: Vec<ScoreItem> = profiles
            .iter()
            .enumerate()
            .map(|(i, profile)| ScoreItem {
                profile: profile.clone(),
                events: (0..(i % 4))
                    .map(|e| EngagementEvent {
                        event_id: format!("e{i}-{e}"),
                        kind: EngagementType::ALL[(i + e) % EngagementType::ALL.len()],
                        occurred_at: day0.minus_days(e as i64),
                    })
                    .collect(),
            })
            .collect();
        service
            .score_followers(&account, items, day0)
            .unwrap()
            .wait()
            .unwrap();
        // Overrides, one still active after the change and one expired by then.
        for (i, expires_at) in [(3, None), (8, Some(day0))] {
            service
                .set_override(
                    &account,
                    profiles[i].key.clone(),
                    CategoryOverride {
                        category: Category::Customer,
                        set_by: "ops@northwind.example".into(),
                        reason: "signed last week".into(),
                        set_at: day0,
                        expires_at,
                    },
                    day0,
                )
                .unwrap()
                .wait()
                .unwrap();
        }
        while service.rescore_step(day0).unwrap() > 0 {}

        // An ICP edit makes every result stale; the pass rescores them all. Most decisions
        // stay as they were: those are restamped, the rest rewritten. A second edit
        // restamps restamped values again. Bot probabilities carry over through ICP edits
        // (`score::rescore_unexplained`), but not through an edit of the bot prior, after
        // which they carry over from the new prior on.
        // Each edit with the `bot_prior_since` the configuration has after it.
        type Edit = fn(&mut AccountConfig);
        let edits: [(Edit, u64); 4] = [
            (
                |config| {
                    config.icp.industries = vec!["Software".into(), "Retail".into()];
                    config.icp.min_seniority = Some(Seniority::Manager);
                },
                1,
            ),
            (|config| config.icp.industries.push("Banking".into()), 1),
            (|config| config.settings.bot_prior = Some(0.1), 4),
            (|config| config.icp.industries.push("Insurance".into()), 4),
        ];
        let later = day0.minus_days(-1);
        for (round, (edit, bot_prior_since)) in edits.into_iter().enumerate() {
            let before: HashMap<_, _> = service
                .handle(&account)
                .unwrap()
                .stored
                .scan_followers(None, 100_000)
                .unwrap()
                .into_iter()
                .map(|r| (r.result.key.clone(), r))
                .collect();
            edit(&mut config);
            service.upsert_account(config.clone(), day0).unwrap();
            let mut rescored = 0;
            loop {
                let walked = service.rescore_step(later).unwrap();
                if walked == 0 {
                    break;
                }
                rescored += walked;
            }
            assert!(rescored >= profiles.len());

            let handle = service.handle(&account).unwrap();
            let ctx = handle.lock().ctx.clone();
            assert_eq!(ctx.config.bot_prior_since, bot_prior_since, "round {round}");
            let records = handle.stored.scan_followers(None, 100_000).unwrap();
            assert_eq!(records.len(), profiles.len());
            let mut restamped = 0;
            for record in &records {
                let stored = &record.result;
                assert_eq!(stored.config_version, ctx.config.config_version);
                let mut by_a_call = score(
                    &ctx,
                    &record.profile,
                    &record.engagement,
                    stored.category_override.as_ref(),
                    stored.scored_at,
                );
                let explanation = Explanation::take(&mut by_a_call);
                assert_eq!(*stored, by_a_call, "follower {}", stored.key.id);
                let mut served = by_a_call;
                explanation.restore(&mut served);
                assert!(!served.reasons.is_empty());
                // Restamped exactly when the pass left the decision and engagement as they
                // were (the profile is always kept).
                let was = &before[&stored.key];
                let unchanged =
                    was.engagement == record.engagement && was.result.same_decision(stored);
                let value = record.stored.bytes().expect("read from the store");
                let is_restamped = value[0] == crate::store::RECORD_FORMAT_RESTAMPED;
                assert_eq!(is_restamped, unchanged, "round {round}: {}", stored.key.id);
                restamped += usize::from(is_restamped);
            }
            // A new prior moves nearly every probability: few if any are restamped.
            assert!(
                (restamped > 0 || round == 2) && restamped < records.len(),
                "round {round}: {restamped} of {} restamped",
                records.len()
            );
        }

        let mut served = Vec::new();
        for platform in [Platform::LinkedIn, Platform::Twitter] {
            let ids: Vec<_> = profiles
                .iter()
                .filter(|p| p.key.platform == platform)
                .map(|p| p.key.id.clone())
                .collect();
            let (found, missing) = service
                .get_followers(&account, platform, ids, later)
                .unwrap();
            assert!(missing.is_empty());
            served.extend(found);
        }
        assert_eq!(served.len(), profiles.len());
        assert!(served.iter().all(|r| !r.reasons.is_empty()));
        assert!(served.iter().any(|r| {
            r.reasons
                .iter()
                .any(|reason| reason.code == "manual_override")
        }));
    }

    /// A rewritten record stays sealed under its follower's key: rescoring, and scoring
    /// again, allocate no new key (the keyring would grow by one per follower and pass, and
    /// the old key would outlive a forget), while a forgotten follower scored again gets a
    /// new one.
    #[test]
    fn rewritten_records_keep_their_key_and_a_forgotten_follower_gets_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let service = open_service(dir.path());
        let account = AccountId::parse("northwind").unwrap();
        let mut config = AccountConfig::new(account.clone());
        config.icp.industries = vec!["Software".into()];
        let now = Timestamp::now();
        service.upsert_account(config.clone(), now).unwrap();
        let profiles: Vec<_> = example_followers("followers_linkedin.csv")
            .into_iter()
            .take(300)
            .collect();
        score_profiles(&service, &account, &profiles, now);
        let handle = service.handle(&account).unwrap();
        let stored = || -> HashMap<_, _> {
            handle
                .stored
                .scan_followers(None, 10_000)
                .unwrap()
                .into_iter()
                .map(|r| (r.result.key.clone(), (r.revision, r.result.config_version)))
                .collect()
        };
        let first = stored();
        assert_eq!(first.len(), profiles.len());
        let keys: std::collections::HashSet<_> = first.values().map(|(r, _)| *r).collect();
        assert_eq!(
            keys.len(),
            first.len(),
            "a key of its own for each follower"
        );

        config.icp.industries = vec!["Banking".into()];
        let version = service.upsert_account(config, now).unwrap().config_version;
        let mut steps = 0;
        while service.rescore_step(now).unwrap() > 0 {
            steps += 1;
            assert!(steps < 1_000, "the pass ends");
        }
        score_profiles(&service, &account, &profiles[..10], now);
        let rewritten = stored();
        for (key, (revision, _)) in &first {
            assert_eq!(
                rewritten[key],
                (*revision, version),
                "{key:?} is rescored under its own key"
            );
        }

        let forgotten = profiles[0].key.clone();
        assert!(
            service
                .forget_follower(&account, forgotten.clone(), now)
                .unwrap()
                .wait()
                .unwrap()
        );
        score_profiles(&service, &account, &profiles[..1], now);
        let again = stored();
        assert_ne!(again[&forgotten].0, first[&forgotten].0);
        assert_eq!(again[&profiles[1].key].0, first[&profiles[1].key].0);
    }
}
