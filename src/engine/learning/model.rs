//! The lead model in force for an account, how it assesses one follower, and how it is
//! fitted: a 1-D Platt calibration of the rules' lead score, and a logistic regression over
//! [`FEATURES`] whose prior mean reproduces that calibration.
//!
//! With no outcomes the regression *is* the rules: the fit features weigh what the rules
//! weigh, every other feature weighs nothing, so its fit score is the rule fit score and its
//! probability the rules' calibrated one. Outcomes pull the weights away from the rules only
//! as far as they have the evidence to (Gaussian prior, maximum a posteriori, Newton steps).
//! This module fits and applies; which model is in force is `policy.rs`'s decision.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::features::{ENGAGEMENT, FEATURE_COUNT, FEATURES, FeatureKind, FeatureVector};
use super::{FitSource, LearningMode};
use crate::engine::deciding::tier::LEAD_SCORE_FIT_WEIGHT;
use crate::engine::reasons::Reason;
use crate::engine::time::Timestamp;

/// The rules' win probability without outcomes: logit p = −5.1 + 4 × lead score / 100,
/// about 2% at a lead score of 30 and 25% at 100 (B2B lead-to-win rates of 1–5%).
pub const PRIOR_CALIBRATION: Calibration = Calibration {
    intercept: -5.1,
    slope: 4.0,
};

/// The rules' lead score calibrated to a win probability: p = σ(intercept + slope × lead/100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub intercept: f64,
    pub slope: f64,
}

/// Ranking and calibration figures of one scorer on a holdout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub auc: Option<f64>,
    pub pr_auc: Option<f64>,
    pub brier: Option<f64>,
    pub ece: Option<f64>,
    pub top_decile_lift: Option<f64>,
}

/// How the candidate compared with the rules on the account's latest outcomes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Deals in the holdout: the latest decided ones, none used to train the candidate.
    pub holdout_deals: usize,
    pub holdout_positives: usize,
    /// First decision time in the holdout.
    pub holdout_from: Option<Timestamp>,
    pub rules: Figures,
    pub learned: Figures,
    /// The blend at the share the policy offered (equal to `rules` below the blend minimum).
    pub blend: Figures,
}

/// What the model was trained on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingCounts {
    /// Decided deals used (won, lost or disqualified).
    pub deals: usize,
    pub positives: usize,
    pub negatives: usize,
    /// Of the deals used, those routed for exploration (weighted up).
    pub explored: usize,
    /// Deals left out: still open, already a customer, or opened before the features froze.
    pub left_out: usize,
}

/// The model in force for an account. Serialisable whole, so the service can store every
/// version and a pinned version can be brought back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadModel {
    version: u64,
    source: FitSource,
    mode: LearningMode,
    /// When it was decided (`now` of `next_model`).
    pub trained_at: Option<Timestamp>,
    /// First and last decision time of the outcomes it was trained on.
    pub window: Option<(Timestamp, Timestamp)>,
    pub counts: TrainingCounts,
    /// The rules' lead score as a probability.
    pub calibration: Calibration,
    /// Logistic regression: logit p = intercept + Σ weights · features.
    pub intercept: f64,
    pub weights: Vec<f64>,
    /// The learned model's share under `Blend` (1 under `Learned`, 0 under `Rules`).
    pub blend_share: f64,
    /// Logit per fit point × 100 that maps learned logits to the 0–100 fit scale.
    pub fit_slope: f64,
    /// Share of lower-tier prospects routed to sales for exploration (0: none).
    pub exploration_share: f64,
    pub evaluation: Option<Evaluation>,
    /// One sentence: why this source is in force.
    pub decision: String,
}

/// One follower's fit as the model in force sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub fit_score: u8,
    pub win_probability: f64,
    pub source: FitSource,
    /// `learned_*` reasons with signed weights in fit points (none under `Rules`).
    pub reasons: Vec<Reason>,
}

/// Learned reasons kept per result: the largest contributions.
pub const MAX_LEARNED_REASONS: usize = 6;
/// Contributions smaller than this many fit points are not worth a reason.
const MIN_REASON_POINTS: f64 = 0.5;

pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn round4(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

impl Calibration {
    /// The rules' lead score (unrounded) from the rule fit and the engagement scale.
    pub fn rule_lead(rule_fit_score: u8, features: &FeatureVector) -> f64 {
        LEAD_SCORE_FIT_WEIGHT * f64::from(rule_fit_score)
            + (1.0 - LEAD_SCORE_FIT_WEIGHT) * features.engagement_scale()
    }

    pub fn logit(&self, rule_fit_score: u8, features: &FeatureVector) -> f64 {
        self.intercept + self.slope * Self::rule_lead(rule_fit_score, features) / 100.0
    }

    /// The regression that reproduces this calibration: fit features weigh the slope's fit
    /// share, engagement its engagement share, every other feature nothing.
    pub fn prior_weights(&self) -> Vec<f64> {
        FEATURES
            .iter()
            .map(|f| match f.kind {
                FeatureKind::Fit => self.slope * LEAD_SCORE_FIT_WEIGHT,
                FeatureKind::Engagement => self.slope * (1.0 - LEAD_SCORE_FIT_WEIGHT),
                FeatureKind::Profile => 0.0,
            })
            .collect()
    }
}

impl Default for LeadModel {
    fn default() -> Self {
        Self::rules()
    }
}

impl LeadModel {
    /// Version 0: the rules, their prior calibration, no exploration (an account that
    /// never sends outcomes is never routed at random).
    pub fn rules() -> Self {
        Self::rules_calibrated(0, LearningMode::Automatic, PRIOR_CALIBRATION)
    }

    pub(crate) fn rules_calibrated(
        version: u64,
        mode: LearningMode,
        calibration: Calibration,
    ) -> Self {
        Self {
            version,
            source: FitSource::Rules,
            mode,
            trained_at: None,
            window: None,
            counts: TrainingCounts::default(),
            calibration,
            intercept: calibration.intercept,
            weights: calibration.prior_weights(),
            blend_share: 0.0,
            fit_slope: calibration.slope * LEAD_SCORE_FIT_WEIGHT,
            exploration_share: 0.0,
            evaluation: None,
            decision: "no outcomes yet: the rules decide".to_owned(),
        }
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn source(&self) -> FitSource {
        self.source
    }

    pub fn mode(&self) -> &LearningMode {
        &self.mode
    }

    pub(crate) fn set_identity(&mut self, version: u64, source: FitSource, mode: LearningMode) {
        self.version = version;
        self.source = source;
        self.mode = mode;
    }

    /// The weights the GetLeadModel RPC reports: (code, label, logit weight) per feature in
    /// [`FEATURES`] order; the intercept is [`LeadModel::intercept`].
    pub fn weights(&self) -> Vec<(&'static str, &'static str, f64)> {
        FEATURES
            .iter()
            .zip(&self.weights)
            .map(|(f, w)| (f.code, f.label, *w))
            .collect()
    }

    /// Whether two models score every follower alike (version, mode and wording aside).
    pub fn same_behaviour(&self, other: &LeadModel) -> bool {
        self.source == other.source
            && self.calibration == other.calibration
            && self.intercept == other.intercept
            && self.weights == other.weights
            && self.blend_share == other.blend_share
            && self.fit_slope == other.fit_slope
            && self.exploration_share == other.exploration_share
    }

    /// The learned logit of a follower.
    pub fn learned_logit(&self, features: &FeatureVector) -> f64 {
        self.intercept
            + self
                .weights
                .iter()
                .zip(features.values())
                .map(|(w, x)| w * x)
                .sum::<f64>()
    }

    /// The win probability the model in force gives, without reasons (training and
    /// evaluation use it).
    pub fn probability(&self, features: &FeatureVector, rule_fit_score: u8) -> f64 {
        let rules = self.calibration.logit(rule_fit_score, features);
        let z = match self.source {
            FitSource::Rules => rules,
            FitSource::Learned => self.learned_logit(features),
            FitSource::Blend => {
                (1.0 - self.blend_share) * rules + self.blend_share * self.learned_logit(features)
            }
        };
        sigmoid(z)
    }

    /// Fit points per feature (engagement apart): what each feature adds to the learned fit
    /// score, and the baseline (the intercept's difference from the rules' calibration).
    fn contributions(&self, features: &FeatureVector) -> (f64, Vec<(usize, f64)>) {
        let per_point = self.fit_slope.max(f64::MIN_POSITIVE) / 100.0;
        let baseline = (self.intercept - self.calibration.intercept) / per_point;
        let parts = self
            .weights
            .iter()
            .zip(features.values())
            .enumerate()
            .filter(|(_, (_, x))| **x != 0.0)
            .map(|(i, (w, x))| (i, w * x / per_point))
            .collect();
        (baseline, parts)
    }

    /// Fit, probability, source and learned reasons for one follower.
    pub fn assess(&self, features: &FeatureVector, rule_fit_score: u8) -> Assessment {
        let win_probability = round4(self.probability(features, rule_fit_score));
        if self.source == FitSource::Rules {
            return Assessment {
                fit_score: rule_fit_score,
                win_probability,
                source: FitSource::Rules,
                reasons: Vec::new(),
            };
        }
        let share = match self.source {
            FitSource::Learned => 1.0,
            _ => self.blend_share,
        };
        let (baseline, parts) = self.contributions(features);
        let learned_fit: f64 = baseline
            + parts
                .iter()
                .filter(|(i, _)| *i != ENGAGEMENT)
                .map(|(_, p)| p)
                .sum::<f64>();
        let fit = (1.0 - share) * f64::from(rule_fit_score) + share * learned_fit;
        let mut shown: Vec<(usize, f64)> = parts
            .into_iter()
            .map(|(i, p)| (i, p * share))
            .filter(|(_, p)| p.abs() >= MIN_REASON_POINTS)
            .collect();
        shown.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        shown.truncate(MAX_LEARNED_REASONS);
        let mut reasons: Vec<Reason> = shown
            .into_iter()
            .map(|(i, points)| {
                let feature = &FEATURES[i];
                let message = if i == ENGAGEMENT {
                    format!(
                        "Won and lost deals say {} is worth {points:+.1} fit points of win probability (not in the fit score)",
                        feature.label
                    )
                } else {
                    format!(
                        "Won and lost deals weigh \"{}\" at {points:+.1} fit points",
                        feature.label
                    )
                };
                Reason {
                    code: Cow::Borrowed(feature.reason_code),
                    message,
                    weight: round2(points),
                }
            })
            .collect();
        if (baseline * share).abs() >= MIN_REASON_POINTS {
            reasons.push(Reason::new(
                "learned_baseline",
                format!(
                    "This account's deals move every fit by {:+.1} points",
                    baseline * share
                ),
                round2(baseline * share),
            ));
        }
        if self.source == FitSource::Blend {
            reasons.push(Reason::new(
                "learned_rules_share",
                format!(
                    "{:.0}% of the fit still comes from the typed ideal customer profile",
                    (1.0 - share) * 100.0
                ),
                round2((1.0 - share) * f64::from(rule_fit_score)),
            ));
        }
        Assessment {
            fit_score: fit.round().clamp(0.0, 100.0) as u8,
            win_probability,
            source: self.source,
            reasons,
        }
    }
}

/// One training example.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub features: FeatureVector,
    pub rule_fit_score: u8,
    pub positive: bool,
    pub weight: f64,
    pub decided_at: Timestamp,
    pub explored: bool,
}

/// Prior spreads of the regression (standard deviations, logit units per feature unit).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Priors {
    pub intercept_sd: f64,
    pub fit_sd: f64,
    pub profile_sd: f64,
    pub engagement_sd: f64,
}

/// Maximum a posteriori logistic regression by Newton's method with a Gaussian prior
/// centred on `mean` (intercept first). Returns (intercept, weights).
pub(crate) fn fit_logistic(
    rows: &[(&[f64], bool, f64)],
    mean: &[f64],
    precision: &[f64],
) -> Vec<f64> {
    let dim = mean.len();
    let mut theta = mean.to_vec();
    let mut x = vec![0.0; dim];
    for _ in 0..50 {
        let mut grad: Vec<f64> = (0..dim)
            .map(|j| -precision[j] * (theta[j] - mean[j]))
            .collect();
        let mut hess = vec![0.0; dim * dim];
        for j in 0..dim {
            hess[j * dim + j] = precision[j];
        }
        for (row, positive, weight) in rows {
            x[0] = 1.0;
            x[1..].copy_from_slice(row);
            let z: f64 = theta.iter().zip(&x).map(|(t, v)| t * v).sum();
            let p = sigmoid(z);
            let residual = weight * (f64::from(u8::from(*positive)) - p);
            let curvature = weight * p * (1.0 - p);
            for j in 0..dim {
                let xj = x[j];
                if xj == 0.0 {
                    continue;
                }
                grad[j] += residual * xj;
                let cj = curvature * xj;
                let row_h = &mut hess[j * dim..j * dim + dim];
                for k in j..dim {
                    row_h[k] += cj * x[k];
                }
            }
        }
        for j in 0..dim {
            for k in 0..j {
                hess[j * dim + k] = hess[k * dim + j];
            }
        }
        let Some(step) = solve_spd(&mut hess, &grad, dim) else {
            break;
        };
        let largest = step.iter().fold(0.0_f64, |m, s| m.max(s.abs()));
        // Damped: a step never moves a weight by more than 5 logits at once.
        let damp = if largest > 5.0 { 5.0 / largest } else { 1.0 };
        for (t, s) in theta.iter_mut().zip(&step) {
            *t += damp * s;
        }
        if largest < 1e-7 {
            break;
        }
    }
    theta
}

/// Solves `a · x = b` for a symmetric positive definite `a` (Cholesky, in place).
fn solve_spd(a: &mut [f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * y[k];
        }
        y[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= a[k * n + i] * y[k];
        }
        y[i] = s / a[i * n + i];
    }
    Some(y)
}

/// Platt calibration of the rules' lead score on outcomes, pulled towards
/// [`PRIOR_CALIBRATION`] (sd 1.5 on the intercept, 2 on the slope).
pub(crate) fn fit_calibration(examples: &[Example]) -> Calibration {
    let leads: Vec<[f64; 1]> = examples
        .iter()
        .map(|e| [Calibration::rule_lead(e.rule_fit_score, &e.features) / 100.0])
        .collect();
    let rows: Vec<(&[f64], bool, f64)> = examples
        .iter()
        .zip(&leads)
        .map(|(e, x)| (&x[..], e.positive, e.weight))
        .collect();
    let theta = fit_logistic(
        &rows,
        &[PRIOR_CALIBRATION.intercept, PRIOR_CALIBRATION.slope],
        &[1.0 / 1.5_f64.powi(2), 1.0 / 2.0_f64.powi(2)],
    );
    Calibration {
        intercept: theta[0],
        slope: theta[1],
    }
}

/// The regression over every feature, centred on `calibration`'s rules.
pub(crate) fn fit_learned(
    examples: &[Example],
    calibration: Calibration,
    priors: Priors,
) -> (f64, Vec<f64>) {
    let mut mean = vec![calibration.intercept];
    mean.extend(calibration.prior_weights());
    let mut precision = vec![1.0 / priors.intercept_sd.powi(2)];
    precision.extend(FEATURES.iter().map(|f| {
        1.0 / match f.kind {
            FeatureKind::Fit => priors.fit_sd,
            FeatureKind::Profile => priors.profile_sd,
            FeatureKind::Engagement => priors.engagement_sd,
        }
        .powi(2)
    }));
    let rows: Vec<(&[f64], bool, f64)> = examples
        .iter()
        .map(|e| (e.features.values(), e.positive, e.weight))
        .collect();
    let theta = fit_logistic(&rows, &mean, &precision);
    debug_assert_eq!(theta.len(), FEATURE_COUNT + 1);
    (theta[0], theta[1..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::learning::features::FEATURES;

    fn vector(fit_points: f64, engagement: f64) -> FeatureVector {
        let mut v = vec![0.0; FEATURE_COUNT];
        v[0] = fit_points / 100.0;
        v[ENGAGEMENT] = engagement / 100.0;
        FeatureVector::from_values(v).unwrap()
    }

    #[test]
    fn the_rules_model_is_the_rule_fit_with_a_prior_probability() {
        let model = LeadModel::rules();
        let a = model.assess(&vector(60.0, 0.0), 60);
        assert_eq!(a.fit_score, 60);
        assert_eq!(a.source, FitSource::Rules);
        assert!(a.reasons.is_empty());
        // logit = −5.1 + 4 × 36/100
        assert!((a.win_probability - round4(sigmoid(-5.1 + 1.44))).abs() < 1e-12);
    }

    #[test]
    fn a_learned_model_at_its_prior_reproduces_the_rules() {
        let mut model = LeadModel::rules();
        model.set_identity(3, FitSource::Learned, LearningMode::Automatic);
        let features = vector(60.0, 40.0);
        let a = model.assess(&features, 60);
        assert_eq!(a.fit_score, 60);
        let rules = LeadModel::rules().assess(&features, 60);
        assert!((a.win_probability - rules.win_probability).abs() < 1e-9);
        assert_eq!(a.reasons[0].code, "learned_target_account");
        assert!((a.reasons[0].weight - 60.0).abs() < 1e-9);
        assert_eq!(model.weights().len(), FEATURES.len());
    }

    #[test]
    fn newton_recovers_a_known_logistic_model() {
        // Deterministic data: p = σ(−2 + 3x) on a grid, labels by expected counts.
        let mut rows_data = Vec::new();
        for i in 0..200 {
            let x = f64::from(i) / 200.0;
            let p = sigmoid(-2.0 + 3.0 * x);
            rows_data.push(([x], true, p));
            rows_data.push(([x], false, 1.0 - p));
        }
        let rows: Vec<(&[f64], bool, f64)> =
            rows_data.iter().map(|(x, y, w)| (&x[..], *y, *w)).collect();
        let theta = fit_logistic(&rows, &[0.0, 0.0], &[1e-6, 1e-6]);
        assert!((theta[0] + 2.0).abs() < 1e-3, "{theta:?}");
        assert!((theta[1] - 3.0).abs() < 1e-3, "{theta:?}");
    }
}
