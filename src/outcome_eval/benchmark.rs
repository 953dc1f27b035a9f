//! The outcome benchmark: each synthetic account is run as a closed loop (the model in force
//! routes who sales works, only worked leads produce outcomes, the model is revisited every
//! 30 days with the outcomes known by then), then measured on the followers of its last
//! quarter against what they would really have done.
//!
//! Figures per account: time-split ROC AUC and PR AUC of the rules, the model the policy put
//! in force, and the learned model alone; top-decile lift; Brier and expected calibration
//! error; the learning curve at 20/50/120/500 won deals; and, in a second run with the buyer
//! profile shifting part-way, how many outcomes after the shift it takes the policy to fall
//! back or retrain. Pooled figures carry bootstrap 95% intervals over accounts. No printing:
//! `cli/eval_outcomes.rs` prints.

use crate::engine::deciding::{engagement, tier};
use crate::engine::learning::evaluation::{self, Scored};
use crate::engine::learning::{
    DealHistory, FitSource, LeadModel, LearningMode, LearningPolicy, OutcomeKind, explores,
    next_model,
};
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Category, LeadTier};
use crate::sampling::SplitMix64;

use super::generator::{START, SyntheticAccount, TIMELINE_DAYS};

/// Days between two visits of the policy.
pub const UPDATE_EVERY_DAYS: i64 = 30;
/// The test quarter starts here (share of the timeline).
pub const TEST_FROM: f64 = 0.75;
/// Learning-curve points, in won deals.
pub const CURVE: [usize; 4] = [20, 50, 120, 500];
/// Bootstrap resamples.
pub const BOOTSTRAP: usize = 200;

/// One deal of the loop.
#[derive(Debug, Clone)]
struct Deal {
    history: DealHistory,
}

/// The closed loop's record.
struct Loop {
    deals: Vec<Deal>,
    /// The model in force after each visit, with the visit's time.
    models: Vec<(Timestamp, LeadModel)>,
}

fn deals_known_at(deals: &[Deal], at: Timestamp) -> Vec<DealHistory> {
    deals
        .iter()
        .filter(|d| d.history.events.first().is_some_and(|(_, t)| *t <= at))
        .map(|d| DealHistory {
            frozen: d.history.frozen.clone(),
            events: d
                .history
                .events
                .iter()
                .filter(|(_, t)| *t <= at)
                .copied()
                .collect(),
        })
        .collect()
}

/// Runs the loop until `until`; `shift`: the buyer profile changes at the account's shift.
fn run_loop(
    account: &SyntheticAccount,
    shift: bool,
    policy: &LearningPolicy,
    until: Timestamp,
) -> Loop {
    let settings = &account.config.settings;
    let mut model = LeadModel::rules();
    let mut next_visit = START.minus_days(-UPDATE_EVERY_DAYS);
    let mut deals: Vec<Deal> = Vec::new();
    let mut models = vec![(START, model.clone())];
    for (i, f) in account.followers.iter().enumerate() {
        if f.scored_at >= until {
            break;
        }
        while f.scored_at >= next_visit {
            let known = deals_known_at(&deals, next_visit);
            model = next_model(
                &model,
                &known,
                &LearningMode::Automatic,
                None,
                policy,
                next_visit,
            );
            models.push((next_visit, model.clone()));
            next_visit = next_visit.minus_days(-UPDATE_EVERY_DAYS);
        }
        if f.frozen.category != Category::Prospect {
            continue;
        }
        let assessment = model.assess(&f.frozen.features, f.frozen.rule_fit_score);
        let grade = tier::grade(assessment.fit_score, &settings.grade_cutoffs);
        let tier_now = tier::tier(grade, engagement::level(f.points, &settings.level_cutoffs));
        let top = matches!(tier_now, LeadTier::Hot | LeadTier::Warm);
        let exploration = LearningPolicy {
            exploration_share: model.exploration_share,
            ..policy.clone()
        };
        let explored = !top && explores(&f.profile.key, tier_now, Category::Prospect, &exploration);
        if !top && !explored {
            continue;
        }
        let shifted = shift && f.scored_at >= account.shift_at;
        let won = f.draw < account.win_probability(i, shifted);
        let opened = f.scored_at.minus_days(-f.opportunity_delay_days);
        let decided = opened.minus_days(-f.decision_delay_days);
        let outcome = match (won, f.disqualified) {
            (true, _) => OutcomeKind::Won,
            (false, true) => OutcomeKind::Disqualified,
            (false, false) => OutcomeKind::Lost,
        };
        let mut frozen = f.frozen.clone();
        frozen.explored = explored;
        deals.push(Deal {
            history: DealHistory {
                frozen,
                events: vec![
                    (OutcomeKind::OpportunityCreated, opened),
                    (outcome, decided),
                ],
            },
        });
    }
    Loop { deals, models }
}

/// Figures of one scorer on one test set.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    pub auc: f64,
    pub pr_auc: f64,
    pub lift: f64,
    pub brier: f64,
    pub ece: f64,
}

fn figures(scored: &[Scored]) -> Figures {
    Figures {
        auc: evaluation::roc_auc(scored).unwrap_or(f64::NAN),
        pr_auc: evaluation::pr_auc(scored).unwrap_or(f64::NAN),
        lift: evaluation::top_decile_lift(scored).unwrap_or(f64::NAN),
        brier: evaluation::brier(scored).unwrap_or(f64::NAN),
        ece: evaluation::expected_calibration_error(scored).unwrap_or(f64::NAN),
    }
}

/// A learning-curve point.
#[derive(Debug, Clone, Copy)]
pub struct CurvePoint {
    pub positives: usize,
    /// None when the account never had that many won deals before the test quarter.
    pub rules_auc: Option<f64>,
    pub policy_auc: Option<f64>,
    pub learned_auc: Option<f64>,
    pub policy_source: Option<FitSource>,
}

/// How the policy reacted to the buyer shift.
#[derive(Debug, Clone)]
pub struct DriftReaction {
    /// The source in force when the shift happened.
    pub source_at_shift: FitSource,
    /// Outcomes decided after the shift (on followers scored after it) until the rules were
    /// back in force, and the days it took; None when they never were.
    pub outcomes_until: Option<usize>,
    pub days_until: Option<i64>,
    pub decision: String,
}

/// Everything measured on one account.
#[derive(Debug, Clone)]
pub struct AccountFigures {
    pub index: usize,
    pub right_icp: bool,
    pub misses: usize,
    pub base_rate: f64,
    pub followers: usize,
    /// Deals decided before the test quarter, and how many were won.
    pub train_deals: usize,
    pub train_positives: usize,
    pub test_size: usize,
    pub test_positives: usize,
    pub rules: Figures,
    pub policy: Figures,
    pub learned: Figures,
    /// The hidden buyer's own probabilities: the best any model could do on this world.
    pub oracle: Figures,
    pub policy_source: FitSource,
    /// Bootstrap 95% interval of AUC(policy) − AUC(rules) over the test followers.
    pub delta_auc_95: (f64, f64),
    pub curve: Vec<CurvePoint>,
    pub drift: Option<DriftReaction>,
    /// Day and source of every change of source in the run without shift.
    pub sources: Vec<(i64, FitSource, String)>,
}

fn scored(model: &LeadModel, account: &SyntheticAccount, test: &[(usize, bool)]) -> Vec<Scored> {
    test.iter()
        .map(|&(i, positive)| {
            let f = &account.followers[i].frozen;
            Scored::new(model.probability(&f.features, f.rule_fit_score), positive)
        })
        .collect()
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// Bootstrap 95% interval of f(resample), resampling indices 0..n.
pub fn bootstrap(n: usize, seed: u64, f: impl Fn(&[usize]) -> f64) -> (f64, f64) {
    let mut rng = SplitMix64(seed);
    let mut values: Vec<f64> = (0..BOOTSTRAP)
        .map(|_| {
            let sample: Vec<usize> = (0..n)
                .map(|_| (rng.next_u64() % n.max(1) as u64) as usize)
                .collect();
            f(&sample)
        })
        .filter(|v| v.is_finite())
        .collect();
    values.sort_by(f64::total_cmp);
    (percentile(&values, 0.025), percentile(&values, 0.975))
}

/// Runs and measures one account.
pub fn measure(account: &SyntheticAccount, policy: &LearningPolicy, seed: u64) -> AccountFigures {
    let end = START.minus_days(-TIMELINE_DAYS);
    let test_from = START.minus_days(-((TIMELINE_DAYS as f64 * TEST_FROM) as i64));
    let run = run_loop(account, false, policy, test_from);
    let known = deals_known_at(&run.deals, test_from);
    let decided: Vec<(Timestamp, bool)> = {
        let mut d: Vec<(Timestamp, bool)> = known
            .iter()
            .filter_map(|h| crate::engine::learning::policy::label(&h.events))
            .map(|(positive, at)| (at, positive))
            .collect();
        d.sort();
        d
    };
    let train_positives = decided.iter().filter(|(_, p)| *p).count();

    let test: Vec<(usize, bool)> = account
        .followers
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.scored_at >= test_from && f.scored_at < end && f.frozen.category == Category::Prospect
        })
        .map(|(i, f)| (i, f.draw < account.win_probability(i, false)))
        .collect();

    let rules_model = next_model(
        &LeadModel::rules(),
        &known,
        &LearningMode::RulesOnly,
        None,
        policy,
        test_from,
    );
    let policy_model = run
        .models
        .last()
        .map_or_else(LeadModel::rules, |(_, m)| m.clone());
    let learned_model = crate::engine::learning::policy::learned_model(&known, policy, test_from);
    let rules_scored = scored(&rules_model, account, &test);
    let policy_scored = scored(&policy_model, account, &test);
    let learned_scored = scored(&learned_model, account, &test);
    let oracle_scored: Vec<Scored> = test
        .iter()
        .map(|&(i, positive)| Scored::new(account.win_probability(i, false), positive))
        .collect();
    let delta_auc_95 = bootstrap(test.len(), seed ^ account.index as u64, |sample| {
        let pick = |s: &[Scored]| -> Vec<Scored> { sample.iter().map(|&i| s[i]).collect() };
        let p = evaluation::roc_auc(&pick(&policy_scored));
        let r = evaluation::roc_auc(&pick(&rules_scored));
        match (p, r) {
            (Some(p), Some(r)) => p - r,
            _ => f64::NAN,
        }
    });

    let curve = CURVE
        .iter()
        .map(|&k| {
            let at = decided
                .iter()
                .filter(|(_, p)| *p)
                .nth(k.saturating_sub(1))
                .map(|(t, _)| *t);
            match at {
                Some(at) => {
                    let prefix = deals_known_at(&run.deals, at);
                    let policy_k = next_model(
                        &LeadModel::rules(),
                        &prefix,
                        &LearningMode::Automatic,
                        None,
                        policy,
                        at,
                    );
                    let learned_k =
                        crate::engine::learning::policy::learned_model(&prefix, policy, at);
                    let rules_k = next_model(
                        &LeadModel::rules(),
                        &prefix,
                        &LearningMode::RulesOnly,
                        None,
                        policy,
                        at,
                    );
                    CurvePoint {
                        positives: k,
                        rules_auc: evaluation::roc_auc(&scored(&rules_k, account, &test)),
                        policy_auc: evaluation::roc_auc(&scored(&policy_k, account, &test)),
                        learned_auc: evaluation::roc_auc(&scored(&learned_k, account, &test)),
                        policy_source: Some(policy_k.source()),
                    }
                }
                None => CurvePoint {
                    positives: k,
                    rules_auc: None,
                    policy_auc: None,
                    learned_auc: None,
                    policy_source: None,
                },
            }
        })
        .collect();

    AccountFigures {
        index: account.index,
        right_icp: account.is_right_icp(),
        misses: account.misses.len(),
        base_rate: account.base_rate,
        followers: account.followers.len(),
        train_deals: decided.len(),
        train_positives,
        test_size: test.len(),
        test_positives: test.iter().filter(|(_, p)| *p).count(),
        rules: figures(&rules_scored),
        policy: figures(&policy_scored),
        learned: figures(&learned_scored),
        oracle: figures(&oracle_scored),
        policy_source: policy_model.source(),
        delta_auc_95,
        curve,
        drift: drift(account, policy),
        sources: {
            let mut changes: Vec<(i64, FitSource, String)> = Vec::new();
            for (at, m) in &run.models {
                if changes.last().is_none_or(|(_, s, _)| *s != m.source()) {
                    changes.push(((at.0 - START.0) / 86_400, m.source(), m.decision.clone()));
                }
            }
            changes
        },
    }
}

/// The second run: the buyer shifts at the account's shift time; how long until the policy
/// stops using the model it had then?
fn drift(account: &SyntheticAccount, policy: &LearningPolicy) -> Option<DriftReaction> {
    let end = START.minus_days(-TIMELINE_DAYS);
    let run = run_loop(account, true, policy, end);
    let at_shift = run
        .models
        .iter()
        .rev()
        .find(|(t, _)| *t <= account.shift_at)?
        .1
        .clone();
    if at_shift.source() == FitSource::Rules {
        return Some(DriftReaction {
            source_at_shift: FitSource::Rules,
            outcomes_until: None,
            days_until: None,
            decision: "rules in force at the shift".to_owned(),
        });
    }
    // The reaction: the first visit after the shift that puts the rules back in force
    // (a drift fallback, or a refit that no longer beats them).
    let changed = run
        .models
        .iter()
        .find(|(t, m)| *t > account.shift_at && m.source() == FitSource::Rules);
    let (outcomes_until, days_until, decision) = match changed {
        Some((t, m)) => {
            let outcomes = run
                .deals
                .iter()
                .filter(|d| d.history.frozen.frozen_at >= account.shift_at)
                .filter_map(|d| crate::engine::learning::policy::label(&d.history.events))
                .filter(|(_, decided)| decided <= t)
                .count();
            (
                Some(outcomes),
                Some((t.0 - account.shift_at.0) / 86_400),
                format!("{}: {}", m.source(), m.decision),
            )
        }
        None => (
            None,
            None,
            "no change before the end of the timeline".to_owned(),
        ),
    };
    Some(DriftReaction {
        source_at_shift: at_shift.source(),
        outcomes_until,
        days_until,
        decision,
    })
}
