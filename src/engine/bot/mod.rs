//! Bot and fake-follower detection: one interface, `BotModel`, and its implementations.
//!
//! The engine asks a `BotModel` for a probability and the reasons behind it; it does not
//! know how the model works. This module does not decide the BOT category (that compares
//! the probability with the account's threshold, in `category.rs`).

mod explanation;
pub mod features;
pub mod forest;
pub mod linkedin;

pub use forest::{ForestBotModel, shipped_model};
pub use linkedin::LinkedInContext;

use super::profile::FollowerProfile;
use super::reasons::Reason;
use super::time::Timestamp;

/// What a model says about one profile.
#[derive(Debug, Clone, PartialEq)]
pub struct BotAssessment {
    /// 0.0–1.0: how likely the account is automated, fake or purchased.
    pub probability: f64,
    /// The signals that moved the probability most, with signed contributions.
    pub reasons: Vec<Reason>,
    /// Profile signals the model would have used but the profile did not carry.
    pub missing_signals: Vec<&'static str>,
}

/// A bot model. Implementations must be cheap to call (microseconds) and deterministic.
pub trait BotModel: Send + Sync + std::fmt::Debug {
    /// Part of every result's `model_version`; changes whenever the probabilities may.
    fn version(&self) -> &str;

    /// The default `bot_threshold`, chosen from the model's evaluation, on the scale of
    /// probabilities at `prior()`.
    fn default_threshold(&self) -> f64;

    /// The documented default share of fakes in a follower list. `assess` returns
    /// probabilities for a list with this share; a profile without evidence gets exactly
    /// this. An account with another share converts with [`at_prior`].
    fn prior(&self) -> f64;

    /// Scores a profile as of `as_of` (account age and activity are measured then); the
    /// probability is at `prior()`.
    fn assess(&self, profile: &FollowerProfile, as_of: Timestamp) -> BotAssessment;

    /// `assess` keeping only the first `max_reasons` reasons; a model may skip wording the
    /// others, which scoring never shows, and with none wanted may skip the work behind
    /// them. The probability is the same whatever `max_reasons` is, to the last bit.
    fn assess_briefly(
        &self,
        profile: &FollowerProfile,
        as_of: Timestamp,
        max_reasons: usize,
    ) -> BotAssessment {
        let mut assessment = self.assess(profile, as_of);
        assessment.reasons.truncate(max_reasons);
        assessment
    }

    /// `assess_briefly` of a profile whose headline, title and bio the caller has folded
    /// already: `text_tokens` are their tokens as the engine's readers fold them
    /// (`reading::text::joined_tokens`). A model that reads those texts may use them instead
    /// of folding the texts again; the assessment is the same either way.
    fn assess_read(
        &self,
        profile: &FollowerProfile,
        text_tokens: &[&str],
        as_of: Timestamp,
        max_reasons: usize,
    ) -> BotAssessment {
        let _ = text_tokens;
        self.assess_briefly(profile, as_of, max_reasons)
    }

    /// Whether assessing `profile` as of `earlier` and as of `later` gives the same
    /// probability, to the last bit: then a probability stated at one moment holds at the
    /// other, and rescoring need not assess the profile again. `false` when a model cannot
    /// tell cheaply; the default knows only that a moment equals itself.
    fn same_probability_at(
        &self,
        _profile: &FollowerProfile,
        earlier: Timestamp,
        later: Timestamp,
    ) -> bool {
        earlier == later
    }
}

/// Priors are kept this far from 0 and 1 so that the odds stay finite.
const PRIOR_EPSILON: f64 = 1e-6;

/// Re-expresses `probability`, computed for a list whose share of fakes is `model_prior`,
/// for a list whose share is `account_prior` (Bayes' rule on the odds: the evidence's
/// likelihood ratio is what carries over, so the odds are multiplied by the ratio of the
/// two priors' odds). Monotone in `probability`; the identity when the priors are equal;
/// `model_prior` itself maps to `account_prior`; 0 and 1 stay 0 and 1. Priors are clamped
/// into (0, 1), and a NaN input is returned as it is.
pub fn at_prior(probability: f64, model_prior: f64, account_prior: f64) -> f64 {
    if probability.is_nan() || probability <= 0.0 || probability >= 1.0 {
        return probability.clamp(0.0, 1.0);
    }
    let clamp = |prior: f64| prior.clamp(PRIOR_EPSILON, 1.0 - PRIOR_EPSILON);
    let (model_prior, account_prior) = (clamp(model_prior), clamp(account_prior));
    if model_prior == account_prior {
        return probability;
    }
    let odds = |p: f64| p / (1.0 - p);
    let shifted = odds(probability) * odds(account_prior) / odds(model_prior);
    shifted / (1.0 + shifted)
}

#[cfg(test)]
mod tests {
    use super::at_prior;

    #[test]
    fn at_prior_is_an_odds_shift() {
        // 0.5 at a 50/50 base is a likelihood ratio of 1: it becomes the new prior.
        assert!((at_prior(0.5, 0.5, 0.1) - 0.1).abs() < 1e-12);
        // The model's prior maps to the account's prior, exactly.
        assert!((at_prior(0.1, 0.1, 0.3) - 0.3).abs() < 1e-12);
        // Odds 9:1 at 50/50 are a likelihood ratio of 9; at a 10% prior, odds 1:1.
        assert!((at_prior(0.9, 0.5, 0.1) - 0.5).abs() < 1e-12);
        // Equal priors change nothing.
        assert_eq!(at_prior(0.37, 0.2, 0.2), 0.37);
        // Round trip.
        let p = at_prior(at_prior(0.8, 0.1, 0.02), 0.02, 0.1);
        assert!((p - 0.8).abs() < 1e-12);
    }

    #[test]
    fn at_prior_keeps_certainties_order_and_bounds() {
        assert_eq!(at_prior(0.0, 0.5, 0.1), 0.0);
        assert_eq!(at_prior(1.0, 0.5, 0.1), 1.0);
        assert!(at_prior(f64::NAN, 0.5, 0.1).is_nan());
        let ps = [0.001, 0.05, 0.2, 0.5, 0.8, 0.99, 0.999_999];
        for prior in [0.0, 0.01, 0.1, 0.5, 0.9, 1.0] {
            let shifted: Vec<f64> = ps.iter().map(|p| at_prior(*p, 0.1, prior)).collect();
            assert!(shifted.windows(2).all(|w| w[0] <= w[1]), "{shifted:?}");
            assert!(shifted.iter().all(|p| (0.0..=1.0).contains(p)));
        }
        // A higher account prior raises every probability; a lower one lowers it.
        assert!(at_prior(0.3, 0.1, 0.2) > 0.3);
        assert!(at_prior(0.3, 0.1, 0.05) < 0.3);
    }
}
