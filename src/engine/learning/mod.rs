//! Lead tiers that learn from an account's won and lost deals (OUTCOMES.md).
//!
//! An account's typed ideal customer profile is often wrong; its CRM outcomes say how.
//! This module owns the per-account model that corrects the rule fit: the explainable
//! features the rules already compute (`features`), frozen when a follower is scored so an
//! outcome can never leak into them; a regularised logistic regression whose prior mean *is*
//! the rules, so little data means "the rules" (`model`); the policy that decides when a
//! learned model may be used, blended or must fall back (`policy`); and the ranking and
//! calibration figures both the policy and the benchmark measure with (`evaluation`).
//!
//! It does not store models, deals or outcomes, read the clock or know where outcomes came
//! from: the service keeps deal histories and model versions and passes them in; `now` is a
//! parameter. Everything here is deterministic.

use serde::{Deserialize, Serialize};

pub mod evaluation;
pub mod features;
pub mod freeze;
pub mod model;
pub mod policy;

pub use features::{FEATURE_COUNT, FEATURES, Feature, FeatureVector};
pub use freeze::{FrozenFeatures, freeze};
pub use model::{Assessment, Calibration, Evaluation, Figures, LeadModel, TrainingCounts};
pub use policy::{DealHistory, LearningPolicy, explores, next_model};

/// Where a result's fit score came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FitSource {
    /// The typed ICP's rules alone.
    #[default]
    Rules,
    /// A documented share of the learned model mixed with the rules.
    Blend,
    /// The model learned from this account's outcomes.
    Learned,
}

impl FitSource {
    pub const fn as_str(self) -> &'static str {
        match self {
            FitSource::Rules => "rules",
            FitSource::Blend => "blend",
            FitSource::Learned => "learned",
        }
    }
}

impl std::fmt::Display for FitSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an account wants its fit decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LearningMode {
    /// The policy decides: rules, blend or learned, with drift fallback.
    #[default]
    Automatic,
    /// The rules decide the fit; win probabilities are still calibrated on outcomes.
    RulesOnly,
    /// A stored model version stays in force whatever later outcomes say.
    Pinned { version: u64 },
}

impl LearningMode {
    pub fn describe(self) -> String {
        match self {
            LearningMode::Automatic => "automatic".to_owned(),
            LearningMode::RulesOnly => "rules only".to_owned(),
            LearningMode::Pinned { version } => format!("pinned to version {version}"),
        }
    }
}

/// One event of a follower's deal in the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutcomeKind {
    OpportunityCreated,
    Won,
    Lost,
    Disqualified,
    Reopened,
}

impl OutcomeKind {
    pub const ALL: &'static [OutcomeKind] = &[
        OutcomeKind::OpportunityCreated,
        OutcomeKind::Won,
        OutcomeKind::Lost,
        OutcomeKind::Disqualified,
        OutcomeKind::Reopened,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::OpportunityCreated => "opportunity_created",
            OutcomeKind::Won => "won",
            OutcomeKind::Lost => "lost",
            OutcomeKind::Disqualified => "disqualified",
            OutcomeKind::Reopened => "reopened",
        }
    }

    /// Reads an outcome as CRMs spell it: "won", "Closed Won", "closed_won", "CLOSED-WON",
    /// "Opportunity Created", "opportunity", "Closed Lost", "Disqualified", "Unqualified",
    /// "Reopened", "Re-opened". Case, spaces, `_` and `-` do not matter.
    pub fn parse(raw: &str) -> Option<Self> {
        let key: String = raw
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let key = key.strip_prefix("closed").unwrap_or(&key);
        let key = key.strip_prefix("deal").unwrap_or(key);
        Some(match key {
            "won" | "win" => OutcomeKind::Won,
            "lost" | "loss" => OutcomeKind::Lost,
            "disqualified" | "unqualified" | "dq" | "disqualify" => OutcomeKind::Disqualified,
            "reopened" | "reopen" => OutcomeKind::Reopened,
            "opportunitycreated" | "opportunity" | "opencreated" | "created" | "open"
            | "opportunityopened" | "newopportunity" => OutcomeKind::OpportunityCreated,
            _ => return None,
        })
    }
}

impl std::fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_kinds_parse_as_crms_spell_them() {
        let check = |raw: &str, expected: Option<OutcomeKind>| {
            assert_eq!(OutcomeKind::parse(raw), expected, "{raw:?}");
        };
        for kind in OutcomeKind::ALL {
            check(kind.as_str(), Some(*kind));
        }
        check("Closed Won", Some(OutcomeKind::Won));
        check("closed_won", Some(OutcomeKind::Won));
        check("CLOSED-WON", Some(OutcomeKind::Won));
        check("Closed Lost", Some(OutcomeKind::Lost));
        check("Opportunity Created", Some(OutcomeKind::OpportunityCreated));
        check("Unqualified", Some(OutcomeKind::Disqualified));
        check("Re-opened", Some(OutcomeKind::Reopened));
        check("pending", None);
        check("", None);
    }

    #[test]
    fn sources_have_stable_names() {
        assert_eq!(FitSource::default().as_str(), "rules");
        assert_eq!(FitSource::Blend.as_str(), "blend");
        assert_eq!(FitSource::Learned.as_str(), "learned");
        assert_eq!(LearningMode::default(), LearningMode::Automatic);
    }
}
