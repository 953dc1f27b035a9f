//! Freezing a follower's features for its deal: the rules' readings of its stored profile
//! with the engagement it had before the deal began, so nothing after the start of a deal
//! leaks into training. Above `score.rs` (it scores), while `features.rs` stays below it
//! (scoring extracts features): no import circle.

use serde::{Deserialize, Serialize};

use super::features::FeatureVector;
use crate::engine::context::ScoringContext;
use crate::engine::deciding::engagement::EngagementSummary;
use crate::engine::profile::FollowerProfile;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Category;

/// A follower's features as they were when it was scored, kept with its deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenFeatures {
    pub features: FeatureVector,
    pub rule_fit_score: u8,
    pub category: Category,
    /// Routed to sales for exploration (a lower-tier prospect): weighted up in training.
    pub explored: bool,
    pub frozen_at: Timestamp,
}

/// The features a follower had at `at`, scored by the RULES (ignores `ctx.lead_model`), with
/// the engagement the caller computed from the events before `at`; `explored` as scoring
/// would mark it.
pub fn freeze(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    engagement: &EngagementSummary,
    at: Timestamp,
) -> FrozenFeatures {
    let scored = crate::engine::score::score_with_features(ctx, profile, engagement, None, at);
    FrozenFeatures {
        features: scored.features,
        rule_fit_score: scored.rule_fit_score,
        category: scored.result.category,
        explored: scored.result.explored,
        frozen_at: at,
    }
}
