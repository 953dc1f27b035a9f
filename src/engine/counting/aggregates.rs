//! Per-account aggregates: the counters a network quality report reads, kept exact on every
//! write so that a report never scans followers.
//!
//! A stored follower *contributes* to the counters; a write replaces its old contribution
//! with its new one (`AccountAggregates::replace`). The counters are plain data: the store
//! persists them in the same atomic batch as the follower records, so after a crash they
//! always equal a full recount. This module does not persist anything.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::result::FollowerResult;
use crate::engine::vocabulary::{
    ACTION_COUNT, Action, CATEGORY_COUNT, Category, LeadTier, Platform, TIER_COUNT,
};

pub const PLATFORM_COUNT: usize = Platform::ALL.len();

/// Counters over a platform's current followers (followed and not unfollowed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub by_category: [u64; CATEGORY_COUNT],
    pub by_tier: [u64; TIER_COUNT],
    pub by_action: [u64; ACTION_COUNT],
    /// Sum of win probabilities per category, in millionths, so that adding and removing a
    /// follower is exact whatever the order (the expected pipeline).
    pub win_micros: [u64; CATEGORY_COUNT],
}

impl Counters {
    pub fn total(&self) -> u64 {
        self.by_category.iter().sum()
    }

    pub fn add(&mut self, other: &Counters) {
        for (a, b) in self.by_category.iter_mut().zip(other.by_category) {
            *a += b;
        }
        for (a, b) in self.by_tier.iter_mut().zip(other.by_tier) {
            *a += b;
        }
        for (a, b) in self.by_action.iter_mut().zip(other.by_action) {
            *a += b;
        }
        for (a, b) in self.win_micros.iter_mut().zip(other.win_micros) {
            *a += b;
        }
    }
}

/// One day of one platform's history, for growth windows and the engaged share.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCounts {
    /// Followers who followed that day, by their current category.
    pub follows: [u32; CATEGORY_COUNT],
    /// Followers who unfollowed that day, by their current category.
    pub unfollows: [u32; CATEGORY_COUNT],
    /// Current followers whose last engagement fell on that day.
    pub last_engaged: u32,
}

impl DayCounts {
    pub fn is_empty(&self) -> bool {
        self.last_engaged == 0
            && self.follows.iter().all(|n| *n == 0)
            && self.unfollows.iter().all(|n| *n == 0)
    }
}

/// The results of which version a report may call fresh.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionStamp {
    pub config_version: u64,
    pub model_version: String,
}

impl VersionStamp {
    pub fn of(result: &FollowerResult) -> Self {
        Self {
            config_version: result.config_version,
            model_version: result.model_version.clone(),
        }
    }

    pub fn matches(&self, result: &FollowerResult) -> bool {
        self.config_version == result.config_version && self.model_version == result.model_version
    }
}

/// What one stored follower adds to the aggregates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub platform: Platform,
    pub category: Category,
    pub tier: LeadTier,
    pub actions: ActionSet,
    pub following: bool,
    pub followed_day: Option<i64>,
    pub unfollowed_day: Option<i64>,
    pub last_engaged_day: Option<i64>,
    pub fresh: bool,
    /// The win probability in millionths.
    pub win_micros: u64,
}

/// A probability in millionths: the unit the expected pipeline is summed in.
pub fn to_micros(probability: f64) -> u64 {
    (probability.clamp(0.0, 1.0) * 1_000_000.0).round() as u64
}

/// A result's actions as a set, one bit per [`Action::index`]: every write takes the
/// contributions of the result it replaces and of the new one, and a set of a dozen needs
/// no allocation. A result never lists an action twice (`deciding::actions` is where its
/// actions come from), so the set counts what the list did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionSet(u16);

const _: () = assert!(ACTION_COUNT <= u16::BITS as usize);

impl ActionSet {
    pub fn of(actions: &[Action]) -> Self {
        Self(
            actions
                .iter()
                .fold(0, |bits, action| bits | 1 << action.index()),
        )
    }

    /// The actions in the vocabulary's order.
    pub fn iter(self) -> impl Iterator<Item = Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(move |action| self.0 & 1 << action.index() != 0)
    }
}

impl Contribution {
    pub fn of(result: &FollowerResult, current: &VersionStamp) -> Self {
        Self {
            platform: result.key.platform,
            category: result.category,
            tier: result.lead_tier,
            actions: ActionSet::of(&result.actions),
            following: result.is_following(),
            followed_day: result.followed_at.map(|t| t.day()),
            unfollowed_day: result.unfollowed_at.map(|t| t.day()),
            last_engaged_day: result.last_engaged_at.map(|t| t.day()),
            fresh: current.matches(result),
            win_micros: to_micros(result.win_probability),
        }
    }
}

/// One counter of an account's aggregates: what a contribution adds to, what a shared
/// store keeps as a number of its own and moves by deltas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counter {
    /// Every stored follower.
    Stored,
    /// Stored followers whose result carries the current version stamp.
    Fresh,
    /// Current followers of a platform by category, tier and action (indices into the
    /// vocabulary), and their win probabilities by category, in millionths.
    ByCategory(Platform, usize),
    ByTier(Platform, usize),
    ByAction(Platform, usize),
    WinMicros(Platform, usize),
    /// A day's follows and unfollows by category, and current followers last engaged that
    /// day (the index is always 0).
    Follows(DayKey, usize),
    Unfollows(DayKey, usize),
    LastEngaged(DayKey, usize),
}

impl Counter {
    /// The day a day counter belongs to.
    pub fn day(self) -> Option<DayKey> {
        match self {
            Counter::Follows(day, _)
            | Counter::Unfollows(day, _)
            | Counter::LastEngaged(day, _) => Some(day),
            _ => None,
        }
    }
}

impl Contribution {
    /// Every counter the contribution adds to, with the amount.
    pub fn counters(&self, mut add: impl FnMut(Counter, u64)) {
        add(Counter::Stored, 1);
        if self.fresh {
            add(Counter::Fresh, 1);
        }
        let p = self.platform;
        let category = self.category.index();
        if self.following {
            add(Counter::ByCategory(p, category), 1);
            add(Counter::ByTier(p, self.tier.index()), 1);
            for action in self.actions.iter() {
                add(Counter::ByAction(p, action.index()), 1);
            }
            if self.win_micros > 0 {
                add(Counter::WinMicros(p, category), self.win_micros);
            }
        }
        if let Some(day) = self.followed_day {
            add(Counter::Follows((p, day), category), 1);
        }
        if let Some(day) = self.unfollowed_day {
            add(Counter::Unfollows((p, day), category), 1);
        }
        if let (Some(day), true) = (self.last_engaged_day, self.following) {
            add(Counter::LastEngaged((p, day), 0), 1);
        }
    }
}

/// How a write moves an account's counters: the difference between the contributions it
/// removed and those it added. A shared store applies it with atomic increments, so
/// writers on different replicas never overwrite each other's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterDeltas(BTreeMap<Counter, i64>);

impl CounterDeltas {
    pub fn replace(&mut self, old: Option<&Contribution>, new: Option<&Contribution>) {
        if let Some(old) = old {
            old.counters(|counter, amount| self.add(counter, -(amount as i64)));
        }
        if let Some(new) = new {
            new.counters(|counter, amount| self.add(counter, amount as i64));
        }
    }

    fn add(&mut self, counter: Counter, amount: i64) {
        let entry = self.0.entry(counter).or_default();
        *entry += amount;
        if *entry == 0 {
            self.0.remove(&counter);
        }
    }

    /// The counters that moved, with how much.
    pub fn iter(&self) -> impl Iterator<Item = (Counter, i64)> + '_ {
        self.0.iter().map(|(counter, delta)| (*counter, *delta))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Day keys a write touched, so the store rewrites only those.
pub type DayKey = (Platform, i64);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountAggregates {
    /// Indexed by `Platform::index()`.
    pub platforms: [Counters; PLATFORM_COUNT],
    /// Every stored follower, unfollowed ones included.
    pub stored_followers: u64,
    /// The version results must carry to be fresh, and how many do.
    pub fresh_stamp: VersionStamp,
    pub fresh_results: u64,
    /// Per platform and day; only non-empty days are kept.
    #[serde(skip)]
    pub days: BTreeMap<DayKey, DayCounts>,
}

impl AccountAggregates {
    /// Results scored under another stamp are stale from now on.
    pub fn restamp(&mut self, stamp: VersionStamp) {
        if self.fresh_stamp != stamp {
            self.fresh_stamp = stamp;
            self.fresh_results = 0;
        }
    }

    pub fn stale_results(&self) -> u64 {
        self.stored_followers.saturating_sub(self.fresh_results)
    }

    /// Replaces a follower's old contribution with its new one. `touched` collects the day
    /// keys that changed.
    pub fn replace(
        &mut self,
        old: Option<&Contribution>,
        new: Option<&Contribution>,
        touched: &mut Vec<DayKey>,
    ) {
        if let Some(old) = old {
            self.apply(old, false, touched);
        }
        if let Some(new) = new {
            self.apply(new, true, touched);
        }
    }

    fn apply(&mut self, c: &Contribution, up: bool, touched: &mut Vec<DayKey>) {
        c.counters(|counter, amount| {
            if let Some(day) = counter.day() {
                touched.push(day);
            }
            self.change(counter, amount, up);
        });
    }

    /// Moves one counter up or down by `amount`; a day left empty is dropped.
    pub fn change(&mut self, counter: Counter, amount: u64, up: bool) {
        let step = |value: &mut u64| {
            // Counters only go down by what was added before; saturating keeps a
            // corrupted store from turning into a panic, and the recount test guards
            // exactness.
            *value = if up {
                *value + amount
            } else {
                value.saturating_sub(amount)
            };
        };
        let step32 = |value: &mut u32| {
            let amount = u32::try_from(amount).unwrap_or(u32::MAX);
            *value = if up {
                value.saturating_add(amount)
            } else {
                value.saturating_sub(amount)
            };
        };
        match counter {
            Counter::Stored => step(&mut self.stored_followers),
            Counter::Fresh => step(&mut self.fresh_results),
            Counter::ByCategory(p, i) => step(&mut self.platforms[p.index()].by_category[i]),
            Counter::ByTier(p, i) => step(&mut self.platforms[p.index()].by_tier[i]),
            Counter::ByAction(p, i) => step(&mut self.platforms[p.index()].by_action[i]),
            Counter::WinMicros(p, i) => step(&mut self.platforms[p.index()].win_micros[i]),
            Counter::Follows(day, i)
            | Counter::Unfollows(day, i)
            | Counter::LastEngaged(day, i) => {
                let counts = self.days.entry(day).or_default();
                match counter {
                    Counter::Follows(..) => step32(&mut counts.follows[i]),
                    Counter::Unfollows(..) => step32(&mut counts.unfollows[i]),
                    _ => step32(&mut counts.last_engaged),
                }
                if counts.is_empty() {
                    self.days.remove(&day);
                }
            }
        }
    }

    /// Counters of one platform, or of all.
    pub fn counters(&self, platform: Option<Platform>) -> Counters {
        match platform {
            Some(p) => self.platforms[p.index()].clone(),
            None => {
                let mut sum = Counters::default();
                for counters in &self.platforms {
                    sum.add(counters);
                }
                sum
            }
        }
    }

    /// Day counts summed over days `first..=last` for one platform or all.
    pub fn sum_days(&self, platform: Option<Platform>, first: i64, last: i64) -> DayCounts {
        let mut sum = DayCounts::default();
        let platforms: &[Platform] = match &platform {
            Some(p) => std::slice::from_ref(p),
            None => Platform::ALL,
        };
        for p in platforms {
            for counts in self.days.range((*p, first)..=(*p, last)).map(|(_, c)| c) {
                for (a, b) in sum.follows.iter_mut().zip(counts.follows) {
                    *a += b;
                }
                for (a, b) in sum.unfollows.iter_mut().zip(counts.unfollows) {
                    *a += b;
                }
                sum.last_engaged += counts.last_engaged;
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contribution(category: Category, following: bool) -> Contribution {
        Contribution {
            platform: Platform::LinkedIn,
            category,
            tier: LeadTier::NotALead,
            actions: ActionSet::of(&[Action::None]),
            following,
            followed_day: Some(100),
            unfollowed_day: (!following).then_some(105),
            last_engaged_day: Some(103),
            fresh: true,
            win_micros: 25_000,
        }
    }

    #[test]
    fn an_action_set_counts_every_action_a_result_lists() {
        use crate::engine::deciding::actions::actions_for;
        assert_eq!(ActionSet::default().iter().count(), 0);
        let all = ActionSet::of(Action::ALL);
        assert_eq!(all.iter().collect::<Vec<_>>(), Action::ALL);
        for category in Category::ALL {
            for tier in LeadTier::ALL {
                let listed = actions_for(*category, *tier);
                let mut counted: Vec<_> = ActionSet::of(&listed).iter().collect();
                let mut expected = listed.clone();
                counted.sort();
                expected.sort();
                assert_eq!(counted, expected, "{category} {tier}");
            }
        }
    }

    #[test]
    fn replacing_moves_counts_between_categories_and_days() {
        let mut agg = AccountAggregates::default();
        let mut touched = Vec::new();
        let other = contribution(Category::Other, true);
        agg.replace(None, Some(&other), &mut touched);
        assert_eq!(agg.counters(None).by_category[Category::Other.index()], 1);
        assert_eq!(
            agg.counters(None).win_micros[Category::Other.index()],
            25_000
        );
        assert_eq!(
            agg.sum_days(None, 100, 100).follows[Category::Other.index()],
            1
        );
        assert_eq!(agg.sum_days(None, 0, 200).last_engaged, 1);

        let gone = contribution(Category::Prospect, false);
        agg.replace(Some(&other), Some(&gone), &mut touched);
        let counters = agg.counters(Some(Platform::LinkedIn));
        assert_eq!(counters.total(), 0, "unfollowed followers are not current");
        let window = agg.sum_days(None, 100, 110);
        assert_eq!(window.follows[Category::Prospect.index()], 1);
        assert_eq!(window.follows[Category::Other.index()], 0);
        assert_eq!(window.unfollows[Category::Prospect.index()], 1);
        assert_eq!(window.last_engaged, 0);
        assert_eq!(agg.stored_followers, 1);

        agg.replace(Some(&gone), None, &mut touched);
        assert_eq!(agg, AccountAggregates::default());
        assert!(touched.contains(&(Platform::LinkedIn, 105)));
    }

    #[test]
    fn restamping_makes_every_result_stale() {
        let mut agg = AccountAggregates::default();
        agg.replace(
            None,
            Some(&contribution(Category::Other, true)),
            &mut Vec::new(),
        );
        assert_eq!(agg.stale_results(), 0);
        agg.restamp(VersionStamp {
            config_version: 2,
            model_version: "m".into(),
        });
        assert_eq!(agg.stale_results(), 1);
    }
}
