//! The network quality report (SPEC §3), computed from an account's aggregates alone.
//!
//! Pure arithmetic over counters: the caller supplies the aggregates, the account
//! configuration, the top leads it read from the store's lead index and the report time.
//! Nothing here scans followers.

use super::aggregates::AccountAggregates;
use crate::engine::account::AccountConfig;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Action, Category, LeadTier, Platform};

/// Growth windows, in days, as of the report time.
pub const GROWTH_WINDOWS: [u32; 3] = [7, 30, 90];
/// "Engaged" means engagement within this many days.
pub const ENGAGED_WINDOW_DAYS: i64 = 90;
/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// A count, its share of the total, and when the figures come from a sample, the 95%
/// Wilson score interval of the share (with the finite-population correction).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub count: u64,
    pub share: f64,
    pub interval_95: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GrowthWindow {
    pub window_days: u32,
    pub new_followers: u64,
    pub unfollows: u64,
    pub net_change: i64,
    /// Growth with the excluded categories left out (SPEC §1 "in growth figures").
    pub qualified_new_followers: u64,
    pub qualified_unfollows: u64,
    pub qualified_net_change: i64,
    /// quality_ratio now minus quality_ratio at the start of the window.
    pub quality_ratio_change: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlatformBreakdown {
    pub platform: Platform,
    pub total_followers: u64,
    pub qualified_followers: u64,
    pub quality_ratio: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionListSizes {
    pub to_prune: u64,
    pub to_follow_back: u64,
    pub to_route_to_sales: u64,
    pub to_route_to_account_manager: u64,
    pub to_route_to_recruiting: u64,
    pub to_engage_influencer: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkReport {
    pub platform: Option<Platform>,
    pub as_of: Timestamp,
    pub total_followers: u64,
    pub categories: Vec<(Category, Share)>,
    pub tiers: Vec<(LeadTier, Share)>,
    pub platforms: Vec<PlatformBreakdown>,
    pub qualified: Share,
    pub quality_ratio: f64,
    pub excluded: Share,
    pub bots: Share,
    pub dormant: Share,
    pub engaged: Share,
    pub growth: Vec<GrowthWindow>,
    pub top_leads: Vec<FollowerResult>,
    pub action_lists: ActionListSizes,
    pub audience_quality_score: f64,
    pub based_on_followers: u64,
    pub stated_total_followers: Option<u64>,
    pub is_sample: bool,
    pub stale_results: u64,
    /// Sum of win probabilities over current followers in the qualified categories: the
    /// won deals the audience is expected to bring.
    pub expected_pipeline: f64,
}

/// Everything the report needs besides the aggregates.
pub struct ReportInputs<'a> {
    pub config: &'a AccountConfig,
    pub platform: Option<Platform>,
    pub now: Timestamp,
    pub top_leads: Vec<FollowerResult>,
}

pub fn build(aggregates: &AccountAggregates, input: ReportInputs<'_>) -> NetworkReport {
    let settings = &input.config.settings;
    let counters = aggregates.counters(input.platform);
    let total = counters.total();
    let stated = input.config.stated_total(input.platform);
    let is_sample = stated.is_some_and(|n| n > total) && total > 0;
    let population = if is_sample { stated } else { None };
    let share = |count: u64| make_share(count, total, population);

    let sum_of = |set: &dyn Fn(Category) -> bool| -> u64 {
        Category::ALL
            .iter()
            .filter(|c| set(**c))
            .map(|c| counters.by_category[c.index()])
            .sum()
    };
    let qualified = sum_of(&|c| settings.qualified.contains(c));
    let expected_micros: u64 = Category::ALL
        .iter()
        .filter(|c| settings.qualified.contains(**c))
        .map(|c| counters.win_micros[c.index()])
        .sum();
    let excluded = sum_of(&|c| settings.excluded.contains(c));
    let quality_ratio = ratio(qualified, total);

    let today = input.now.day();
    let engaged_count = aggregates
        .sum_days(input.platform, today - ENGAGED_WINDOW_DAYS + 1, today)
        .last_engaged as u64;

    let growth = GROWTH_WINDOWS
        .iter()
        .map(|&days| {
            let window = aggregates.sum_days(input.platform, today - i64::from(days) + 1, today);
            let sum = |counts: &[u32], keep: &dyn Fn(Category) -> bool| -> u64 {
                Category::ALL
                    .iter()
                    .filter(|c| keep(**c))
                    .map(|c| u64::from(counts[c.index()]))
                    .sum()
            };
            let all = |_: Category| true;
            let in_growth = |c: Category| !settings.excluded.contains(c);
            let is_qualified = |c: Category| settings.qualified.contains(c);
            let new_followers = sum(&window.follows, &all);
            let unfollows = sum(&window.unfollows, &all);
            // Rewind the window's follows and unfollows to get the audience at its start.
            let total_then = (total + unfollows).saturating_sub(new_followers);
            let qualified_then = (qualified + sum(&window.unfollows, &is_qualified))
                .saturating_sub(sum(&window.follows, &is_qualified));
            let qualified_new = sum(&window.follows, &in_growth);
            let qualified_unfollows = sum(&window.unfollows, &in_growth);
            GrowthWindow {
                window_days: days,
                new_followers,
                unfollows,
                net_change: new_followers as i64 - unfollows as i64,
                qualified_new_followers: qualified_new,
                qualified_unfollows,
                qualified_net_change: qualified_new as i64 - qualified_unfollows as i64,
                quality_ratio_change: round4(quality_ratio - ratio(qualified_then, total_then)),
            }
        })
        .collect();

    let platforms = Platform::ALL
        .iter()
        .filter(|p| input.platform.is_none_or(|only| only == **p))
        .filter_map(|p| {
            let c = &aggregates.platforms[p.index()];
            let total = c.total();
            (total > 0).then(|| {
                let qualified = Category::ALL
                    .iter()
                    .filter(|cat| settings.qualified.contains(**cat))
                    .map(|cat| c.by_category[cat.index()])
                    .sum();
                PlatformBreakdown {
                    platform: *p,
                    total_followers: total,
                    qualified_followers: qualified,
                    quality_ratio: round4(ratio(qualified, total)),
                }
            })
        })
        .collect();

    let action = |a: Action| counters.by_action[a.index()];
    let bots = share(counters.by_category[Category::Bot.index()]);
    let dormant = share(counters.by_category[Category::Dormant.index()]);
    let engaged = share(engaged_count);
    let excluded_share = share(excluded);

    NetworkReport {
        platform: input.platform,
        as_of: input.now,
        total_followers: total,
        categories: Category::ALL
            .iter()
            .map(|c| (*c, share(counters.by_category[c.index()])))
            .collect(),
        tiers: LeadTier::ALL
            .iter()
            .map(|t| (*t, share(counters.by_tier[t.index()])))
            .collect(),
        platforms,
        qualified: share(qualified),
        quality_ratio: round4(quality_ratio),
        audience_quality_score: audience_quality_score(
            quality_ratio,
            excluded_share.share,
            engaged.share,
            dormant.share,
        ),
        excluded: excluded_share,
        bots,
        dormant,
        engaged,
        growth,
        top_leads: input.top_leads,
        action_lists: ActionListSizes {
            to_prune: action(Action::Prune),
            to_follow_back: action(Action::FollowBack),
            to_route_to_sales: action(Action::RouteToSales),
            to_route_to_account_manager: action(Action::RouteToAccountManager),
            to_route_to_recruiting: action(Action::RouteToRecruiting),
            to_engage_influencer: action(Action::EngageInfluencer),
        },
        based_on_followers: total,
        stated_total_followers: stated,
        is_sample,
        stale_results: aggregates.stale_results(),
        expected_pipeline: round4(expected_micros as f64 / 1_000_000.0),
    }
}

/// A quality ratio this high counts as full marks: in B2B, a quarter of followers being
/// prospects, customers, partners and influencers is an excellent audience.
pub const QUALITY_RATIO_FULL_MARKS: f64 = 0.25;
/// Engagement within 90 days by a fifth of the audience counts as full marks.
pub const ENGAGED_SHARE_FULL_MARKS: f64 = 0.20;

/// audience_quality_score = 100 × (0.40·min(1, quality_ratio / 0.25)
///                                 + 0.25·(1 − excluded share)
///                                 + 0.20·min(1, engaged share / 0.20)
///                                 + 0.15·(1 − dormant share)), rounded to one decimal.
pub fn audience_quality_score(
    quality_ratio: f64,
    excluded: f64,
    engaged: f64,
    dormant: f64,
) -> f64 {
    let score = 0.40 * (quality_ratio / QUALITY_RATIO_FULL_MARKS).min(1.0)
        + 0.25 * (1.0 - excluded)
        + 0.20 * (engaged / ENGAGED_SHARE_FULL_MARKS).min(1.0)
        + 0.15 * (1.0 - dormant);
    (score * 1000.0).round() / 10.0
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// A share of `n`; with a `population` larger than `n`, the followers are a sample of it
/// and the share gets its Wilson interval, narrowed by the finite-population correction.
pub fn make_share(count: u64, n: u64, population: Option<u64>) -> Share {
    let p = ratio(count, n);
    let interval_95 = population.filter(|big_n| *big_n > n && n > 0).map(|big_n| {
        let n_f = n as f64;
        let fpc = ((big_n - n) as f64 / (big_n as f64 - 1.0).max(1.0)).sqrt();
        let z2 = Z95 * Z95;
        let denominator = 1.0 + z2 / n_f;
        let center = (p + z2 / (2.0 * n_f)) / denominator;
        let half = Z95 / denominator * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() * fpc;
        (
            round4((center - half).max(0.0)),
            round4((center + half).min(1.0)),
        )
    });
    Share {
        count,
        share: round4(p),
        interval_95,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_brackets_the_share() {
        let s = make_share(50, 400, Some(10_000));
        let (lo, hi) = s.interval_95.unwrap();
        assert_eq!(s.share, 0.125);
        assert!(lo < 0.125 && 0.125 < hi, "{lo} {hi}");
        // Without the correction the textbook interval is about 0.0960–0.1612.
        assert!(
            (lo - 0.0965).abs() < 0.002 && (hi - 0.1605).abs() < 0.002,
            "{lo} {hi}"
        );
        assert_eq!(make_share(50, 400, None).interval_95, None);
        assert_eq!(make_share(50, 400, Some(400)).interval_95, None);
    }

    #[test]
    fn expected_pipeline_sums_win_probabilities_of_qualified_followers() {
        use crate::engine::account::AccountConfig;
        use crate::engine::counting::aggregates::{ActionSet, Contribution, to_micros};
        use crate::engine::ids::AccountId;
        let follower = |category: Category, p: f64| Contribution {
            platform: Platform::LinkedIn,
            category,
            tier: LeadTier::NotALead,
            actions: ActionSet::default(),
            following: true,
            followed_day: None,
            unfollowed_day: None,
            last_engaged_day: None,
            fresh: true,
            win_micros: to_micros(p),
        };
        let mut aggregates = AccountAggregates::default();
        let mut touched = Vec::new();
        let prospect = follower(Category::Prospect, 0.0312);
        aggregates.replace(None, Some(&prospect), &mut touched);
        aggregates.replace(None, Some(&follower(Category::Customer, 0.2)), &mut touched);
        aggregates.replace(None, Some(&follower(Category::Other, 0.5)), &mut touched);
        let config = AccountConfig::new(AccountId::parse("a").unwrap());
        let report = |aggregates: &AccountAggregates| {
            build(
                aggregates,
                ReportInputs {
                    config: &config,
                    platform: None,
                    now: Timestamp(1_795_000_000),
                    top_leads: Vec::new(),
                },
            )
            .expected_pipeline
        };
        assert_eq!(report(&aggregates), 0.2312);
        // Replacing is exact: the prospect's new probability replaces the old one.
        aggregates.replace(
            Some(&prospect),
            Some(&follower(Category::Prospect, 0.1)),
            &mut touched,
        );
        assert_eq!(report(&aggregates), 0.3);
    }

    #[test]
    fn audience_quality_score_is_documented_formula() {
        let check = |args: (f64, f64, f64, f64), expected: f64| {
            assert_eq!(
                audience_quality_score(args.0, args.1, args.2, args.3),
                expected
            );
        };
        check((0.25, 0.0, 0.2, 0.0), 100.0);
        check((0.0, 1.0, 0.0, 1.0), 0.0);
        check((0.05, 0.4, 0.05, 0.2), 8.0 + 15.0 + 5.0 + 12.0);
    }
}
