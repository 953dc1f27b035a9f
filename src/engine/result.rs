//! The follower result (SPEC §3) and the manual category override.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::deciding::tier;
use super::ids::FollowerKey;
use super::learning::FitSource;
use super::reasons::Reason;
use super::time::Timestamp;
use super::vocabulary::{Action, Category, CompanyList, Department, FitGrade, LeadTier, Seniority};

/// A salesperson's word on who a follower is. It wins over the computed category until it
/// expires and survives rescoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOverride {
    pub category: Category,
    pub set_by: String,
    pub reason: String,
    pub set_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

impl CategoryOverride {
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|expiry| now < expiry)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowerResult {
    pub key: FollowerKey,
    /// The category in force: the override's while one is active, else the computed one.
    pub category: Category,
    pub computed_category: Category,
    /// Categories that also applied but lost on precedence.
    pub secondary_labels: Vec<Category>,
    pub bot_probability: f64,
    pub fit_score: u8,
    pub fit_grade: FitGrade,
    pub engagement_points: f64,
    /// 1 (most engaged) to 4.
    pub engagement_level: u8,
    pub lead_tier: LeadTier,
    pub lead_score: u8,
    pub actions: Vec<Action>,
    pub reasons: Vec<Reason>,
    pub seniority: Option<Seniority>,
    pub department: Option<Department>,
    pub matched_company: Option<String>,
    pub matched_list: Option<CompanyList>,
    /// 0–1: how much of the profile the result could rest on.
    pub confidence: f64,
    pub missing_fields: Vec<Cow<'static, str>>,
    pub scored_at: Timestamp,
    pub model_version: String,
    pub config_version: u64,
    pub category_override: Option<CategoryOverride>,
    pub followed_at: Option<Timestamp>,
    pub unfollowed_at: Option<Timestamp>,
    pub last_engaged_at: Option<Timestamp>,
    /// 0–1: the chance this follower becomes a won deal, from the account's lead model
    /// (its rules calibrated on outcomes, or its learned model); 0 for excluded categories.
    pub win_probability: f64,
    /// Where `fit_score` came from: the rules, a blend, or the learned model.
    pub fit_source: FitSource,
    /// A lower-tier prospect routed to sales for exploration, so that outcomes do not only
    /// come from the top tiers (OUTCOMES.md).
    pub explored: bool,
}

impl FollowerResult {
    /// "A2": grade and engagement level.
    pub fn tier_label(&self) -> String {
        tier::label(self.fit_grade, self.engagement_level)
    }

    /// Still following the account (not unfollowed).
    pub fn is_following(&self) -> bool {
        self.unfollowed_at.is_none()
    }

    pub fn has_action(&self, action: Action) -> bool {
        self.actions.contains(&action)
    }

    /// Whether `other` holds the same decision and explanation: equal in everything but the
    /// stamp (`scored_at`, `model_version`, `config_version`). A stored result that a new
    /// configuration or model leaves the same need only be restamped. Every field is named
    /// (no `..`), so a field added to the result must be added here.
    pub fn same_decision(&self, other: &Self) -> bool {
        let Self {
            key,
            category,
            computed_category,
            secondary_labels,
            bot_probability,
            fit_score,
            fit_grade,
            engagement_points,
            engagement_level,
            lead_tier,
            lead_score,
            actions,
            reasons,
            seniority,
            department,
            matched_company,
            matched_list,
            confidence,
            missing_fields,
            scored_at: _,
            model_version: _,
            config_version: _,
            category_override,
            followed_at,
            unfollowed_at,
            last_engaged_at,
            win_probability,
            fit_source,
            explored,
        } = self;
        *key == other.key
            && *category == other.category
            && *computed_category == other.computed_category
            && *secondary_labels == other.secondary_labels
            && *bot_probability == other.bot_probability
            && *fit_score == other.fit_score
            && *fit_grade == other.fit_grade
            && *engagement_points == other.engagement_points
            && *engagement_level == other.engagement_level
            && *lead_tier == other.lead_tier
            && *lead_score == other.lead_score
            && *actions == other.actions
            && *reasons == other.reasons
            && *seniority == other.seniority
            && *department == other.department
            && *matched_company == other.matched_company
            && *matched_list == other.matched_list
            && *confidence == other.confidence
            && *missing_fields == other.missing_fields
            && *category_override == other.category_override
            && *followed_at == other.followed_at
            && *unfollowed_at == other.unfollowed_at
            && *last_engaged_at == other.last_engaged_at
            && *win_probability == other.win_probability
            && *fit_source == other.fit_source
            && *explored == other.explored
    }
}
