//! Property test of the write path (proptest): after any sequence of writes (score,
//! engagement, unfollow, override set and cleared, forget) on a small population, with the
//! clock moving on, the account's aggregates, in memory and as stored, equal a recount of
//! the stored followers, and so do the report's counts and the listing.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::select;

use super::*;
use crate::engine::account::AccountConfig;
use crate::engine::bot::shipped_model;
use crate::engine::counting::aggregates::{AccountAggregates, Contribution};
use crate::engine::ids::{FollowerId, FollowerKey};
use crate::engine::profile::{EngagementEvent, FollowerProfile};
use crate::engine::result::{CategoryOverride, FollowerResult};
use crate::engine::time::SECONDS_PER_DAY;
use crate::engine::vocabulary::{Category, Department, EngagementType, LeadTier, Platform};
use crate::store::open_at;

/// 2026-05-28.
const BASE: i64 = 1_780_000_000;
/// Followers the ops pick from: few, so ops meet the same follower often.
const POPULATION: usize = 10;

/// Profiles that land in different categories under the account below.
const HEADLINES: &[(&str, &str)] = &[
    ("VP Sales", "Alderbank Financial"),
    ("Head of Data", "Northwind Analytics"),
    ("CTO", "Cobalt Freight"),
    ("#OpenToWork data engineer", ""),
    ("Helping SaaS founders scale with outbound", "Growthly"),
    ("Journalist covering fintech", "Daily Ledger"),
    ("", ""),
    ("Chief Risk Officer", "Juniper Pay"),
];

#[derive(Debug, Clone)]
enum WriteOp {
    Score {
        who: usize,
        profile: usize,
        followed_days_ago: Option<i64>,
        unfollowed: bool,
        events: usize,
    },
    Engage {
        who: usize,
        kind: usize,
        days_ago: i64,
        event: u8,
    },
    Unfollow {
        who: usize,
        days_ago: i64,
    },
    SetOverride {
        who: usize,
        category: Category,
        expires_in_days: Option<i64>,
    },
    ClearOverride {
        who: usize,
    },
    Forget {
        who: usize,
    },
    /// The clock moves on (overrides expire, points decay, windows move).
    Tick {
        hours: i64,
    },
}

fn write_op() -> impl Strategy<Value = WriteOp> {
    let who = 0..POPULATION;
    prop_oneof![
        5 => (who.clone(), 0..HEADLINES.len(), prop::option::of(0i64..120), prop::bool::weighted(0.15), 0usize..4)
            .prop_map(|(who, profile, followed_days_ago, unfollowed, events)| WriteOp::Score {
                who, profile, followed_days_ago, unfollowed, events,
            }),
        3 => (who.clone(), 0..EngagementType::ALL.len(), 0i64..100, any::<u8>())
            .prop_map(|(who, kind, days_ago, event)| WriteOp::Engage { who, kind, days_ago, event }),
        1 => (who.clone(), 0i64..10).prop_map(|(who, days_ago)| WriteOp::Unfollow { who, days_ago }),
        2 => (who.clone(), select(Category::ALL), prop::option::of(1i64..5))
            .prop_map(|(who, category, expires_in_days)| WriteOp::SetOverride {
                who, category, expires_in_days,
            }),
        1 => who.clone().prop_map(|who| WriteOp::ClearOverride { who }),
        1 => who.prop_map(|who| WriteOp::Forget { who }),
        1 => (1i64..72).prop_map(|hours| WriteOp::Tick { hours }),
    ]
}

fn key(who: usize) -> FollowerKey {
    FollowerKey {
        platform: Platform::ALL[who % 2],
        id: FollowerId::parse(&format!("f{who}")).unwrap(),
    }
}

fn days_before(now: Timestamp, days: i64) -> Timestamp {
    Timestamp(now.unix_seconds() - days * SECONDS_PER_DAY)
}

/// Applies one op; refusals a caller can cause (a follower not stored yet, an unfollow
/// dated before the follow) are fine, anything else fails the property.
fn apply(service: &Service, account: &AccountId, op: &WriteOp, now: &mut Timestamp) {
    let at = *now;
    let outcome: Result<()> = match op.clone() {
        WriteOp::Score {
            who,
            profile,
            followed_days_ago,
            unfollowed,
            events,
        } => {
            let (headline, company) = HEADLINES[profile];
            let mut p = FollowerProfile::new(key(who));
            p.headline = (!headline.is_empty()).then(|| headline.to_owned());
            p.company = (!company.is_empty()).then(|| company.to_owned());
            p.counts.followers = Some(100 * profile as u64);
            p.followed_at = followed_days_ago.map(|d| days_before(at, d));
            p.unfollowed_at = (unfollowed && followed_days_ago.is_some()).then_some(at);
            let events = (0..events)
                .map(|e| EngagementEvent {
                    event_id: format!("s{who}-{e}"),
                    kind: EngagementType::ALL[(who + e) % EngagementType::ALL.len()],
                    occurred_at: days_before(at, e as i64),
                })
                .collect();
            service
                .score_followers(account, vec![ScoreItem { profile: p, events }], at)
                .and_then(|pending| pending.wait())
                .and_then(|mut results| results.pop().expect("one result per item"))
                .map(drop)
        }
        WriteOp::Engage {
            who,
            kind,
            days_ago,
            event,
        } => service
            .record_engagement(
                account,
                key(who),
                vec![EngagementEvent {
                    event_id: format!("e{event}"),
                    kind: EngagementType::ALL[kind],
                    occurred_at: days_before(at, days_ago),
                }],
                at,
            )
            .and_then(|pending| pending.wait())
            .map(drop),
        WriteOp::Unfollow { who, days_ago } => service
            .remove_follower(account, key(who), days_before(at, days_ago), at)
            .and_then(|pending| pending.wait())
            .map(drop),
        WriteOp::SetOverride {
            who,
            category,
            expires_in_days,
        } => service
            .set_override(
                account,
                key(who),
                CategoryOverride {
                    category,
                    set_by: "sales".into(),
                    reason: "knows them".into(),
                    set_at: at,
                    expires_at: expires_in_days.map(|d| days_before(at, -d)),
                },
                at,
            )
            .and_then(|pending| pending.wait())
            .map(drop),
        WriteOp::ClearOverride { who } => service
            .clear_override(account, key(who), at)
            .and_then(|pending| pending.wait())
            .map(drop),
        WriteOp::Forget { who } => service
            .forget_follower(account, key(who), at)
            .and_then(|pending| pending.wait())
            .map(drop),
        WriteOp::Tick { hours } => {
            *now = Timestamp(at.unix_seconds() + hours * 3600);
            Ok(())
        }
    };
    match outcome {
        Ok(()) | Err(ServiceError::NotFound { .. }) => {}
        Err(ServiceError::InvalidArgument { ref field, .. }) if field == "unfollowed_at" => {}
        Err(e) => panic!("{op:?} failed: {e}"),
    }
}

/// The aggregates a recount of the stored followers gives.
fn recount(service: &Service, account: &AccountId) -> (AccountAggregates, Vec<FollowerResult>) {
    let handle = service.handle(account).unwrap();
    let stamp = handle.lock().stamp();
    let records = handle.stored.scan_followers(None, 10_000).unwrap();
    let mut aggregates = AccountAggregates::default();
    aggregates.restamp(stamp.clone());
    let mut touched = Vec::new();
    for record in &records {
        let contribution = Contribution::of(&record.result, &stamp);
        aggregates.replace(None, Some(&contribution), &mut touched);
    }
    (aggregates, records.into_iter().map(|r| r.result).collect())
}

fn check(service: &Service, account: &AccountId, now: Timestamp, when: &str) {
    let (recounted, results) = recount(service, account);
    let live = service.handle(account).unwrap().lock().aggregates.clone();
    assert_eq!(
        live, recounted,
        "{when}: aggregates in memory differ from a recount"
    );
    let stored = service
        .handle(account)
        .unwrap()
        .stored
        .load_aggregates()
        .unwrap();
    assert_eq!(
        stored.platforms, recounted.platforms,
        "{when}: stored counters"
    );
    assert_eq!(stored.days, recounted.days, "{when}: stored day counts");
    assert_eq!(stored.stored_followers, recounted.stored_followers);

    // The report's counts, against a plain count of the stored results.
    let report = service
        .network_quality(account, None, Some(0), now)
        .unwrap()
        .report;
    let following: Vec<&FollowerResult> = results.iter().filter(|r| r.is_following()).collect();
    assert_eq!(
        report.total_followers,
        following.len() as u64,
        "{when}: total"
    );
    let mut categories: HashMap<Category, u64> = HashMap::new();
    let mut tiers: HashMap<LeadTier, u64> = HashMap::new();
    for r in &following {
        *categories.entry(r.category).or_default() += 1;
        *tiers.entry(r.lead_tier).or_default() += 1;
    }
    for (category, share) in &report.categories {
        let expected = categories.get(category).copied().unwrap_or(0);
        assert_eq!(share.count, expected, "{when}: {category}");
    }
    for (tier, share) in &report.tiers {
        let expected = tiers.get(tier).copied().unwrap_or(0);
        assert_eq!(share.count, expected, "{when}: {tier}");
    }
    let bots = categories.get(&Category::Bot).copied().unwrap_or(0);
    assert_eq!(report.bots.count, bots, "{when}: bots");
}

fn reopen(dir: &std::path::Path) -> crate::store::Store {
    crate::store::reopen_when_released(|| open_at(dir))
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn aggregates_after_any_sequence_of_writes_equal_a_recount(
        ops in prop::collection::vec(write_op(), 1..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let account = AccountId::parse("northwind").unwrap();
        let mut now = Timestamp(BASE);
        {
            let service =
                Service::open(open_at(dir.path()).unwrap(), shipped_model(), Limits::default())
                    .unwrap();
            let mut config = AccountConfig::new(account.clone());
            config.customers.names = vec!["Alderbank Financial".into()];
            config.own_company.names = vec!["Northwind Analytics".into()];
            config.competitors.names = vec!["Cobalt Freight".into()];
            config.icp.industries = vec!["Financial Services".into()];
            config.icp.departments = vec![Department::Sales, Department::Finance];
            service.upsert_account(config, now).unwrap();
            for (i, op) in ops.iter().enumerate() {
                apply(&service, &account, op, &mut now);
                if i % 8 == 7 {
                    check(&service, &account, now, &format!("after op {i}"));
                }
            }
            check(&service, &account, now, "at the end");
            // Every current follower is listed once.
            let page = service
                .list_followers(&account, &FollowerFilter::default(), Some(1000), None, now)
                .unwrap();
            let (_, results) = recount(&service, &account);
            let following = results.iter().filter(|r| r.is_following()).count();
            prop_assert_eq!(page.results.len(), following);
            check(&service, &account, now, "after a listing rescored on read");
        }
        // What was stored reopens equal to a recount.
        let service = Service::open(reopen(dir.path()), shipped_model(), Limits::default()).unwrap();
        check(&service, &account, now, "after a reopen");
    }
}
