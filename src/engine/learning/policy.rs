//! Which model is in force for an account: the rules below a documented number of won
//! deals, a blend between, the learned model only once it beats the rules on the account's
//! own latest outcomes, and back to the rules by itself when later outcomes show it losing.
//! Also the deterministic exploration that routes a small share of lower-tier prospects to
//! sales so that outcomes do not only ever come from the top tiers.
//!
//! Owns the thresholds (`LearningPolicy`), the labels of a deal, the time-based split and
//! the drift check. Fitting is `model.rs`'s; the figures are `evaluation.rs`'s.

use serde::{Deserialize, Serialize};

use super::evaluation::{self, Scored};
use super::freeze::FrozenFeatures;
use super::model::{
    Evaluation, Example, Figures, LeadModel, Priors, TrainingCounts, fit_calibration, fit_learned,
};
use super::{FitSource, LearningMode, OutcomeKind};
use crate::engine::ids::FollowerKey;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Category, LeadTier};

/// One follower's deal: its frozen features and its outcome events in time order (the
/// service deduplicates by idempotency id and drops erased followers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealHistory {
    pub frozen: FrozenFeatures,
    pub events: Vec<(OutcomeKind, Timestamp)>,
}

/// The documented thresholds (OUTCOMES.md, "Policy").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningPolicy {
    /// Below this many won deals the rules alone decide the fit.
    pub min_positives_for_blend: usize,
    /// From this many won deals the learned model may decide alone.
    pub min_positives_for_learned: usize,
    /// The learned model's share of a blend grows linearly from 0 at
    /// `min_positives_for_blend` to this at `min_positives_for_learned`.
    pub max_blend_share: f64,
    /// The latest share of decided deals held out to compare the candidate with the rules…
    pub holdout_share: f64,
    /// …but at least this many won deals.
    pub min_holdout_positives: usize,
    /// ROC AUC by which the learned model must beat the rules on the holdout to decide alone.
    pub promotion_margin: f64,
    /// Won deals decided after the model in force was trained before drift is judged.
    pub drift_min_positives: usize,
    /// The model in force falls back when its AUC on those deals is below the rules' by
    /// more than this.
    pub drift_margin: f64,
    /// A model is refitted when won deals grew by this share since it was fitted…
    pub refit_growth: f64,
    /// …and by at least this many.
    pub refit_min_new_positives: usize,
    /// Share of lower-tier (NURTURE, COLD) prospects routed to sales for exploration.
    pub exploration_share: f64,
    /// Prior standard deviations of the regression (logits per feature unit).
    pub prior_sd_intercept: f64,
    pub prior_sd_fit: f64,
    pub prior_sd_profile: f64,
    pub prior_sd_engagement: f64,
}

impl Default for LearningPolicy {
    fn default() -> Self {
        Self {
            min_positives_for_blend: 20,
            min_positives_for_learned: 120,
            max_blend_share: 0.5,
            holdout_share: 0.3,
            min_holdout_positives: 10,
            promotion_margin: 0.01,
            drift_min_positives: 10,
            drift_margin: 0.02,
            refit_growth: 0.15,
            refit_min_new_positives: 5,
            exploration_share: 0.05,
            prior_sd_intercept: 2.0,
            prior_sd_fit: 1.5,
            prior_sd_profile: 0.6,
            prior_sd_engagement: 1.5,
        }
    }
}

impl LearningPolicy {
    fn priors(&self) -> Priors {
        Priors {
            intercept_sd: self.prior_sd_intercept,
            fit_sd: self.prior_sd_fit,
            profile_sd: self.prior_sd_profile,
            engagement_sd: self.prior_sd_engagement,
        }
    }

    /// An explored deal's weight: the inverse of its chance of being routed.
    pub fn exploration_weight(&self) -> f64 {
        if self.exploration_share > 0.0 {
            1.0 / self.exploration_share
        } else {
            1.0
        }
    }

    /// The learned model's share of a blend with this many won deals.
    pub fn blend_share(&self, positives: usize) -> f64 {
        let low = self.min_positives_for_blend as f64;
        let high = (self.min_positives_for_learned as f64).max(low + 1.0);
        self.max_blend_share * ((positives as f64 - low) / (high - low)).clamp(0.0, 1.0)
    }
}

/// Deterministic exploration routing: a lower-tier (NURTURE or COLD) prospect is explored
/// when a hash of its key falls in the policy's share. The same follower is always routed
/// the same way, so rescoring never flips it.
pub fn explores(
    key: &FollowerKey,
    tier: LeadTier,
    category: Category,
    policy: &LearningPolicy,
) -> bool {
    if category != Category::Prospect
        || !matches!(tier, LeadTier::Nurture | LeadTier::Cold)
        || policy.exploration_share <= 0.0
    {
        return false;
    }
    // FNV-1a over the platform and id, then one splitmix round to spread the low bits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key
        .platform
        .as_str()
        .bytes()
        .chain([0])
        .chain(key.id.as_str().bytes())
    {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h % 1_000_000) as f64 / 1_000_000.0 < policy.exploration_share
}

/// A deal's label: its latest state. `None` while open (created or reopened without a
/// decision).
pub fn label(events: &[(OutcomeKind, Timestamp)]) -> Option<(bool, Timestamp)> {
    let (kind, at) = events.last()?;
    match kind {
        OutcomeKind::Won => Some((true, *at)),
        OutcomeKind::Lost | OutcomeKind::Disqualified => Some((false, *at)),
        OutcomeKind::OpportunityCreated | OutcomeKind::Reopened => None,
    }
}

/// The decided deals a model may learn from, oldest decision first, and the counts.
fn examples(deals: &[DealHistory], policy: &LearningPolicy) -> (Vec<Example>, TrainingCounts) {
    let mut counts = TrainingCounts::default();
    let mut out = Vec::with_capacity(deals.len());
    for deal in deals {
        let frozen = &deal.frozen;
        // Customers are not won; a deal opened before its features froze would let the
        // opportunity leak into them.
        let leaks = deal
            .events
            .first()
            .is_some_and(|(_, at)| *at < frozen.frozen_at);
        let decided = label(&deal.events);
        match decided {
            Some((positive, decided_at)) if frozen.category != Category::Customer && !leaks => {
                out.push(Example {
                    features: frozen.features.clone(),
                    rule_fit_score: frozen.rule_fit_score,
                    positive,
                    weight: if frozen.explored {
                        policy.exploration_weight()
                    } else {
                        1.0
                    },
                    decided_at,
                    explored: frozen.explored,
                });
            }
            _ => counts.left_out += 1,
        }
    }
    out.sort_by_key(|e| e.decided_at);
    counts.deals = out.len();
    counts.positives = out.iter().filter(|e| e.positive).count();
    counts.negatives = counts.deals - counts.positives;
    counts.explored = out.iter().filter(|e| e.explored).count();
    (out, counts)
}

fn figures(scored: &[Scored]) -> Figures {
    Figures {
        auc: evaluation::roc_auc(scored),
        pr_auc: evaluation::pr_auc(scored),
        brier: evaluation::brier(scored),
        ece: evaluation::expected_calibration_error(scored),
        top_decile_lift: evaluation::top_decile_lift(scored),
    }
}

/// Scores every example with `model` (its probability), weighted as trained.
fn score_with(model: &LeadModel, examples: &[Example]) -> Vec<Scored> {
    examples
        .iter()
        .map(|e| Scored {
            score: model.probability(&e.features, e.rule_fit_score),
            positive: e.positive,
            weight: e.weight,
        })
        .collect()
}

/// A model of `source` fitted on `examples`.
fn fit(examples: &[Example], source: FitSource, share: f64, policy: &LearningPolicy) -> LeadModel {
    let calibration = fit_calibration(examples);
    let mut model = LeadModel::rules_calibrated(0, LearningMode::Automatic, calibration);
    if source != FitSource::Rules {
        let (intercept, weights) = fit_learned(examples, calibration, policy.priors());
        model.intercept = intercept;
        model.weights = weights;
        model.blend_share = if source == FitSource::Learned {
            1.0
        } else {
            share
        };
    }
    // A slope below half the prior's would spread a small learned effect over the whole
    // fit scale; the scale is held there instead.
    model.fit_slope = calibration
        .slope
        .max(super::model::PRIOR_CALIBRATION.slope / 2.0)
        * crate::engine::deciding::tier::LEAD_SCORE_FIT_WEIGHT;
    model.set_identity(0, source, LearningMode::Automatic);
    model.exploration_share = policy.exploration_share;
    model.counts = TrainingCounts::default();
    model
}

/// The latest decided deals holding at least `holdout_share` of them and
/// `min_holdout_positives` won ones: the index where the holdout starts.
fn holdout_start(examples: &[Example], positives: usize, policy: &LearningPolicy) -> usize {
    let want_positives = policy
        .min_holdout_positives
        .max((positives as f64 * policy.holdout_share).ceil() as usize);
    let want_deals = (examples.len() as f64 * policy.holdout_share).ceil() as usize;
    let mut seen = 0;
    for (i, e) in examples.iter().enumerate().rev() {
        seen += usize::from(e.positive);
        if seen >= want_positives && examples.len() - i >= want_deals {
            return i;
        }
    }
    0
}

fn fmt_auc(auc: Option<f64>) -> String {
    auc.map_or_else(|| "n/a".to_owned(), |a| format!("{a:.2}"))
}

/// The learned model alone on every decided deal, whatever the evidence (for benchmarks
/// and diagnostics: the policy decides what is in force).
pub fn learned_model(deals: &[DealHistory], policy: &LearningPolicy, now: Timestamp) -> LeadModel {
    let (examples, counts) = examples(deals, policy);
    let mut model = fit(&examples, FitSource::Learned, 1.0, policy);
    model.trained_at = Some(now);
    model.counts = counts;
    model.window = examples
        .first()
        .zip(examples.last())
        .map(|(a, b)| (a.decided_at, b.decided_at));
    model.decision = "the learned model alone, not gated by the policy".to_owned();
    model
}

/// The model that should be in force after `deals` changed. Returns `current` unchanged
/// (same version) when nothing changes what callers see; otherwise a model with version
/// `current.version() + 1` (also when falling back to rules, or when the mode changes). For
/// `Pinned{version}` the caller passes the stored model of that version as `pinned` (None
/// if unknown: then rules, and the decision sentence says so).
pub fn next_model(
    current: &LeadModel,
    deals: &[DealHistory],
    mode: &LearningMode,
    pinned: Option<&LeadModel>,
    policy: &LearningPolicy,
    now: Timestamp,
) -> LeadModel {
    let next_version = current.version() + 1;
    let mode_changed = current.mode() != mode;
    let (examples, counts) = examples(deals, policy);
    let window = examples
        .first()
        .zip(examples.last())
        .map(|(a, b)| (a.decided_at, b.decided_at));

    let finish = |mut model: LeadModel, source: FitSource, decision: String| {
        model.set_identity(next_version, source, *mode);
        model.trained_at = Some(now);
        model.window = window;
        model.counts = counts;
        model.decision = decision;
        if !mode_changed && model.same_behaviour(current) && model.decision == current.decision {
            return current.clone();
        }
        model
    };

    if let LearningMode::Pinned { version } = mode {
        return match pinned.filter(|m| m.version() == *version) {
            Some(stored) => {
                if !mode_changed && current.same_behaviour(stored) {
                    return current.clone();
                }
                let mut model = stored.clone();
                model.set_identity(next_version, stored.source(), *mode);
                model.decision = format!(
                    "pinned by the account to version {version} ({}): later outcomes do not change it",
                    stored.source()
                );
                model
            }
            None => {
                let model = fit(&examples, FitSource::Rules, 0.0, policy);
                finish(
                    model,
                    FitSource::Rules,
                    format!("pinned to version {version}, which is unknown: the rules decide"),
                )
            }
        };
    }

    // Nothing new enough to refit, and no drift: keep what callers see.
    let new_positives = counts.positives.saturating_sub(current.counts.positives);
    let refit_due = current.version() == 0 && !deals.is_empty()
        || new_positives
            >= policy
                .refit_min_new_positives
                .max((current.counts.positives as f64 * policy.refit_growth).ceil() as usize);

    if *mode == LearningMode::RulesOnly {
        if !mode_changed && !refit_due {
            return current.clone();
        }
        let model = fit(&examples, FitSource::Rules, 0.0, policy);
        return finish(
            model,
            FitSource::Rules,
            format!(
                "the account asked for rules only; win probabilities calibrated on {} decided deals",
                counts.deals
            ),
        );
    }

    // Drift: outcomes decided after the model in force was trained.
    if current.source() != FitSource::Rules
        && *current.mode() == LearningMode::Automatic
        && let Some((_, trained_until)) = current.window
    {
        let fresh: Vec<Example> = examples
            .iter()
            .filter(|e| e.decided_at > trained_until)
            .cloned()
            .collect();
        let fresh_positives = fresh.iter().filter(|e| e.positive).count();
        if fresh_positives >= policy.drift_min_positives && fresh_positives < fresh.len() {
            let rules =
                LeadModel::rules_calibrated(0, LearningMode::Automatic, current.calibration);
            let current_scored = score_with(current, &fresh);
            let (effective_positives, effective_negatives) =
                evaluation::effective_counts(&current_scored);
            let in_force = evaluation::roc_auc(&current_scored);
            let by_rules = evaluation::roc_auc(&score_with(&rules, &fresh));
            if let (Some(a), Some(r)) = (in_force, by_rules)
                && evaluation::clearly_below(
                    a,
                    r,
                    policy.drift_margin,
                    effective_positives,
                    effective_negatives,
                )
            {
                let model = fit(&examples, FitSource::Rules, 0.0, policy);
                return finish(
                    model,
                    FitSource::Rules,
                    format!(
                        "fell back to the rules: the {} model lost to them on the {} outcomes since it was trained (AUC {a:.2} against {r:.2})",
                        current.source(),
                        fresh.len()
                    ),
                );
            }
        }
    }

    if !mode_changed && !refit_due {
        return current.clone();
    }

    if counts.positives < policy.min_positives_for_blend {
        let model = fit(&examples, FitSource::Rules, 0.0, policy);
        return finish(
            model,
            FitSource::Rules,
            format!(
                "the rules decide until {} won deals; this account has {}",
                policy.min_positives_for_blend, counts.positives
            ),
        );
    }

    // Time-based split: train on the earlier deals, compare on the latest.
    let start = holdout_start(&examples, counts.positives, policy);
    let (train, holdout) = examples.split_at(start);
    let share = policy.blend_share(counts.positives);
    let candidate = fit(train, FitSource::Learned, 1.0, policy);
    let mut blended = candidate.clone();
    blended.set_identity(0, FitSource::Blend, LearningMode::Automatic);
    blended.blend_share = share;
    let mut rules = candidate.clone();
    rules.set_identity(0, FitSource::Rules, LearningMode::Automatic);
    let evaluation = Evaluation {
        holdout_deals: holdout.len(),
        holdout_positives: holdout.iter().filter(|e| e.positive).count(),
        holdout_from: holdout.first().map(|e| e.decided_at),
        rules: figures(&score_with(&rules, holdout)),
        learned: figures(&score_with(&candidate, holdout)),
        blend: figures(&score_with(&blended, holdout)),
    };
    let (learned_auc, rules_auc, blend_auc) = (
        evaluation.learned.auc,
        evaluation.rules.auc,
        evaluation.blend.auc,
    );
    let n = holdout.len();
    let (effective_positives, effective_negatives) =
        evaluation::effective_counts(&score_with(&candidate, holdout));
    // To be used at all, a model must beat the rules by the margin *and* by more than the
    // noise of the holdout (the same test as drift, the other way round).
    let beats = |a: Option<f64>, margin: f64| match (a, rules_auc) {
        (Some(a), Some(r)) => {
            evaluation::clearly_below(r, a, margin, effective_positives, effective_negatives)
        }
        _ => false,
    };
    // Hysteresis: a learned model in force stays unless the refitted one clearly loses to
    // the rules; a new promotion must beat them by the margin.
    let incumbent = current.source() == FitSource::Learned && !mode_changed;
    let holds = |a: Option<f64>| match (a, rules_auc) {
        (Some(a), Some(r)) => !evaluation::clearly_below(
            a,
            r,
            policy.drift_margin,
            effective_positives,
            effective_negatives,
        ),
        _ => false,
    };
    let (source, decision) = if counts.positives >= policy.min_positives_for_learned
        && incumbent
        && holds(learned_auc)
    {
        (
            FitSource::Learned,
            format!(
                "learned model refitted and kept: it does not lose to the rules on the {n} latest outcomes (AUC {} against {})",
                fmt_auc(learned_auc),
                fmt_auc(rules_auc)
            ),
        )
    } else if counts.positives >= policy.min_positives_for_learned
        && beats(learned_auc, policy.promotion_margin)
    {
        (
            FitSource::Learned,
            format!(
                "learned model beats the rules on the {n} latest outcomes: AUC {} against {}",
                fmt_auc(learned_auc),
                fmt_auc(rules_auc)
            ),
        )
    } else if share > 0.0 && beats(blend_auc, 0.0) {
        (
            FitSource::Blend,
            format!(
                "{} won deals: a {:.0}% blend, which beats the rules on the {n} latest outcomes (AUC {} against {})",
                counts.positives,
                share * 100.0,
                fmt_auc(blend_auc),
                fmt_auc(rules_auc)
            ),
        )
    } else {
        (
            FitSource::Rules,
            format!(
                "the learned model does not beat the rules on the {n} latest outcomes (AUC {} against {}): the rules decide",
                fmt_auc(learned_auc),
                fmt_auc(rules_auc)
            ),
        )
    };
    let mut model = fit(&examples, source, share, policy);
    model.evaluation = Some(evaluation);
    finish(model, source, decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::FollowerId;
    use crate::engine::learning::features::{ENGAGEMENT, FEATURE_COUNT, FeatureVector};
    use crate::engine::vocabulary::{Department, Platform};

    const DAY: i64 = 86_400;

    fn key(id: &str) -> FollowerKey {
        FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse(id).unwrap(),
        }
    }

    /// Deals where the typed ICP's fit says nothing and working in IT decides: `n` deals
    /// frozen on consecutive days, won when in IT for 3 of every 4.
    fn deals(n: usize, it_wins: bool, start_day: i64) -> Vec<DealHistory> {
        let it = 12 + Department::It.index();
        (0..n)
            .map(|i| {
                let mut v = vec![0.0; FEATURE_COUNT];
                let in_it = i % 3 == 0;
                v[it] = f64::from(u8::from(in_it));
                v[0] = if i % 2 == 0 { 0.3 } else { 0.0 };
                v[ENGAGEMENT] = 0.1;
                let won = if it_wins {
                    in_it && i % 4 != 0
                } else {
                    !in_it && i % 2 == 0 && i % 7 == 0
                };
                let frozen_at = Timestamp((start_day + i as i64) * DAY);
                DealHistory {
                    frozen: FrozenFeatures {
                        features: FeatureVector::from_values(v).unwrap(),
                        rule_fit_score: if i % 2 == 0 { 30 } else { 0 },
                        category: Category::Prospect,
                        explored: false,
                        frozen_at,
                    },
                    events: vec![
                        (
                            OutcomeKind::OpportunityCreated,
                            Timestamp(frozen_at.0 + DAY),
                        ),
                        (
                            if won {
                                OutcomeKind::Won
                            } else {
                                OutcomeKind::Lost
                            },
                            Timestamp(frozen_at.0 + 60 * DAY),
                        ),
                    ],
                }
            })
            .collect()
    }

    fn now() -> Timestamp {
        Timestamp(5_000 * DAY)
    }

    #[test]
    fn labels_follow_the_latest_state() {
        let t = Timestamp;
        let check = |events: &[(OutcomeKind, Timestamp)], expected: Option<bool>| {
            assert_eq!(label(events).map(|l| l.0), expected, "{events:?}");
        };
        use OutcomeKind::*;
        check(&[(OpportunityCreated, t(1)), (Won, t(2))], Some(true));
        check(&[(OpportunityCreated, t(1)), (Lost, t(2))], Some(false));
        check(&[(Won, t(1)), (Reopened, t(2))], None);
        check(&[(Lost, t(1)), (Reopened, t(2)), (Won, t(3))], Some(true));
        check(&[(Disqualified, t(1))], Some(false));
        check(&[(OpportunityCreated, t(1))], None);
        check(&[], None);
    }

    #[test]
    fn few_outcomes_leave_the_rules_in_charge() {
        let policy = LearningPolicy::default();
        let model = next_model(
            &LeadModel::rules(),
            &deals(40, true, 0),
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(model.version(), 1);
        assert_eq!(model.source(), FitSource::Rules);
        assert!(model.counts.positives < 20);
        assert!(
            model.decision.contains("until 20 won deals"),
            "{}",
            model.decision
        );
        assert_eq!(model.exploration_share, policy.exploration_share);
        // Nothing new: the same model, the same version.
        let again = next_model(
            &model,
            &deals(40, true, 0),
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(again, model);
    }

    #[test]
    fn a_learned_model_that_beats_the_rules_is_promoted_and_explains_itself() {
        let policy = LearningPolicy::default();
        let history = deals(800, true, 0);
        let model = next_model(
            &LeadModel::rules(),
            &history,
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(model.source(), FitSource::Learned, "{}", model.decision);
        assert!(model.decision.starts_with("learned model beats the rules"));
        let eval = model.evaluation.as_ref().unwrap();
        assert!(eval.learned.auc.unwrap() > eval.rules.auc.unwrap() + 0.05);
        let it = &history[0].frozen;
        let assessment = model.assess(&it.features, it.rule_fit_score);
        assert_eq!(assessment.source, FitSource::Learned);
        assert!(
            assessment
                .reasons
                .iter()
                .any(|r| r.code == "learned_department_it" && r.weight > 0.0),
            "{:?}",
            assessment.reasons
        );
        let other = &history[1].frozen;
        assert!(model.probability(&it.features, 30) > model.probability(&other.features, 0));
    }

    #[test]
    fn drift_falls_back_to_the_rules() {
        let policy = LearningPolicy::default();
        let mut history = deals(800, true, 0);
        let learned = next_model(
            &LeadModel::rules(),
            &history,
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(learned.source(), FitSource::Learned);
        // The market moves: IT stops buying and the typed ICP's target accounts start.
        history.extend(deals(400, false, 900));
        let next = next_model(
            &learned,
            &history,
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(next.source(), FitSource::Rules, "{}", next.decision);
        assert_eq!(next.version(), learned.version() + 1);
        assert!(next.decision.starts_with("fell back"), "{}", next.decision);
    }

    #[test]
    fn modes_rules_only_and_pinned() {
        let policy = LearningPolicy::default();
        let history = deals(800, true, 0);
        let learned = next_model(
            &LeadModel::rules(),
            &history,
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        let rules_only = next_model(
            &learned,
            &history,
            &LearningMode::RulesOnly,
            None,
            &policy,
            now(),
        );
        assert_eq!(rules_only.source(), FitSource::Rules);
        assert_eq!(rules_only.version(), learned.version() + 1);
        let pin = LearningMode::Pinned {
            version: learned.version(),
        };
        let pinned = next_model(&rules_only, &history, &pin, Some(&learned), &policy, now());
        assert_eq!(pinned.source(), FitSource::Learned);
        assert_eq!(pinned.version(), rules_only.version() + 1);
        assert!(pinned.same_behaviour(&learned));
        let unknown = next_model(
            &pinned,
            &history,
            &LearningMode::Pinned { version: 99 },
            None,
            &policy,
            now(),
        );
        assert_eq!(unknown.source(), FitSource::Rules);
        assert!(unknown.decision.contains("unknown"), "{}", unknown.decision);
    }

    #[test]
    fn the_first_opportunity_starts_exploration() {
        let policy = LearningPolicy::default();
        let mut open = deals(1, true, 0);
        open[0].events.truncate(1);
        let model = next_model(
            &LeadModel::rules(),
            &open,
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(model.version(), 1);
        assert_eq!(model.source(), FitSource::Rules);
        assert_eq!(model.exploration_share, policy.exploration_share);
        assert_eq!(model.counts.left_out, 1);
        // Nothing at all: version 0 stays.
        let none = next_model(
            &LeadModel::rules(),
            &[],
            &LearningMode::Automatic,
            None,
            &policy,
            now(),
        );
        assert_eq!(none, LeadModel::rules());
    }

    #[test]
    fn open_deals_customers_and_leaks_are_left_out() {
        let policy = LearningPolicy::default();
        let mut history = deals(3, true, 10);
        history[0].events.pop();
        history[1].frozen.category = Category::Customer;
        history[2].events[0].1 = Timestamp(0);
        let (examples, counts) = examples(&history, &policy);
        assert!(examples.is_empty());
        assert_eq!(counts.left_out, 3);
    }

    #[test]
    fn exploration_routes_a_stable_small_share_of_lower_tiers() {
        let policy = LearningPolicy::default();
        let routed = (0..20_000)
            .filter(|i| {
                explores(
                    &key(&format!("f{i}")),
                    LeadTier::Nurture,
                    Category::Prospect,
                    &policy,
                )
            })
            .count();
        assert!((800..1200).contains(&routed), "{routed}");
        assert!(!explores(
            &key("f1"),
            LeadTier::Hot,
            Category::Prospect,
            &policy
        ));
        assert!(!explores(
            &key("f1"),
            LeadTier::Cold,
            Category::Other,
            &policy
        ));
    }
}
