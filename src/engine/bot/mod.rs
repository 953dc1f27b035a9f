//! Bot and fake-follower detection: one interface, `BotModel`, and its implementations.
//!
//! The engine asks a `BotModel` for a probability and the reasons behind it; it does not
//! know how the model works. This module does not decide the BOT category (that compares
//! the probability with the account's threshold, in `category.rs`).

mod explanation;
pub mod features;
pub mod forest;

pub use forest::{ForestBotModel, shipped_model};

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

    /// The default `bot_threshold`, chosen from the model's evaluation.
    fn default_threshold(&self) -> f64;

    /// Scores a profile as of `as_of` (account age and activity are measured then).
    fn assess(&self, profile: &FollowerProfile, as_of: Timestamp) -> BotAssessment;
}
