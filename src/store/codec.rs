//! Value encoding: one format-version byte, then postcard.
//!
//! The version byte lets a later release recognise and migrate values written by this one;
//! key layouts are versioned by the tree names (`keys.rs`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use std::borrow::Cow;

use super::{FollowerRecord, StoreError};
use crate::engine::deciding::engagement::EngagementSummary;
use crate::engine::ids::FollowerKey;
use crate::engine::learning::FitSource;
use crate::engine::profile::FollowerProfile;
use crate::engine::reasons::Reason;
use crate::engine::result::{CategoryOverride, FollowerResult};
use crate::engine::vocabulary::{
    Action, Category, CompanyList, Department, FitGrade, LeadTier, Seniority,
};
use crate::engine::account::{
    AccountConfig, CategorySet, CompanySet, GradeCutoffs, IdealCustomerProfile, LevelCutoffs,
    ScoringSettings,
};
use crate::engine::ids::AccountId;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{ENGAGEMENT_TYPE_COUNT, Platform};

/// Format of every value this release writes.
pub const VALUE_FORMAT_VERSION: u8 = 1;

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![VALUE_FORMAT_VERSION];
    postcard::to_io(value, &mut bytes).map_err(StoreError::Encode)?;
    Ok(bytes)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&VALUE_FORMAT_VERSION, rest)) => {
            postcard::from_bytes(rest).map_err(StoreError::Decode)
        }
        Some((&version, _)) => Err(StoreError::UnknownFormat(version)),
        None => Err(StoreError::UnknownFormat(0)),
    }
}

/// Format of account configurations: 2 since settings carry `bot_prior`.
pub const ACCOUNT_FORMAT_VERSION: u8 = 2;

pub fn encode_account(config: &AccountConfig) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![ACCOUNT_FORMAT_VERSION];
    postcard::to_io(config, &mut bytes).map_err(StoreError::Encode)?;
    Ok(bytes)
}

/// Reads an account configuration of this release, or of the release before it (format 1,
/// without `bot_prior`, which then takes the model's default).
pub fn decode_account(bytes: &[u8]) -> Result<AccountConfig, StoreError> {
    match bytes.split_first() {
        Some((&ACCOUNT_FORMAT_VERSION, rest)) => {
            postcard::from_bytes(rest).map_err(StoreError::Decode)
        }
        Some((&1, rest)) => postcard::from_bytes::<AccountConfigV1>(rest)
            .map(AccountConfig::from)
            .map_err(StoreError::Decode),
        Some((&version, _)) => Err(StoreError::UnknownFormat(version)),
        None => Err(StoreError::UnknownFormat(0)),
    }
}

/// An account configuration as format 1 stored it, field for field.
#[derive(Serialize, Deserialize)]
struct AccountConfigV1 {
    account_id: AccountId,
    display_name: String,
    own_company: CompanySet,
    customers: CompanySet,
    partners: CompanySet,
    vendors: CompanySet,
    competitors: CompanySet,
    target_accounts: CompanySet,
    analyst_firms: CompanySet,
    icp: IdealCustomerProfile,
    influencer_handles: Vec<String>,
    settings: ScoringSettingsV1,
    platform_totals: Vec<(Platform, u64)>,
    config_version: u64,
    updated_at: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct ScoringSettingsV1 {
    bot_threshold: Option<f64>,
    grade_cutoffs: GradeCutoffs,
    level_cutoffs: LevelCutoffs,
    engagement_weights: [f64; ENGAGEMENT_TYPE_COUNT],
    half_life_days: f64,
    qualified: CategorySet,
    excluded: CategorySet,
}

impl From<AccountConfigV1> for AccountConfig {
    fn from(v1: AccountConfigV1) -> Self {
        let s = v1.settings;
        Self {
            account_id: v1.account_id,
            display_name: v1.display_name,
            own_company: v1.own_company,
            customers: v1.customers,
            partners: v1.partners,
            vendors: v1.vendors,
            competitors: v1.competitors,
            target_accounts: v1.target_accounts,
            analyst_firms: v1.analyst_firms,
            icp: v1.icp,
            influencer_handles: v1.influencer_handles,
            settings: ScoringSettings {
                bot_threshold: s.bot_threshold,
                bot_prior: None,
                grade_cutoffs: s.grade_cutoffs,
                level_cutoffs: s.level_cutoffs,
                engagement_weights: s.engagement_weights,
                half_life_days: s.half_life_days,
                qualified: s.qualified,
                excluded: s.excluded,
            },
            platform_totals: v1.platform_totals,
            config_version: v1.config_version,
            updated_at: v1.updated_at,
        }
    }
}

/// Format of follower records: 2 since results carry `win_probability`, `fit_source` and
/// `explored`.
pub const RECORD_FORMAT_VERSION: u8 = 2;

pub fn encode_record(record: &FollowerRecord) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![RECORD_FORMAT_VERSION];
    postcard::to_io(record, &mut bytes).map_err(StoreError::Encode)?;
    Ok(bytes)
}

/// Reads a follower record of this release, or of the release before it (format 1). A
/// record of format 1 reads as scored by the rules alone with no win probability; its
/// `model_version` names the earlier rules, so it is stale and the background pass
/// rescores it.
pub fn decode_record(bytes: &[u8]) -> Result<FollowerRecord, StoreError> {
    match bytes.split_first() {
        Some((&RECORD_FORMAT_VERSION, rest)) => {
            postcard::from_bytes(rest).map_err(StoreError::Decode)
        }
        Some((&1, rest)) => postcard::from_bytes::<FollowerRecordV1>(rest)
            .map(FollowerRecord::from)
            .map_err(StoreError::Decode),
        Some((&version, _)) => Err(StoreError::UnknownFormat(version)),
        None => Err(StoreError::UnknownFormat(0)),
    }
}

/// A follower record as format 1 stored it, field for field.
#[derive(Serialize, Deserialize)]
struct FollowerRecordV1 {
    profile: FollowerProfile,
    result: FollowerResultV1,
    engagement: EngagementSummary,
}

#[derive(Serialize, Deserialize)]
struct FollowerResultV1 {
    key: FollowerKey,
    category: Category,
    computed_category: Category,
    secondary_labels: Vec<Category>,
    bot_probability: f64,
    fit_score: u8,
    fit_grade: FitGrade,
    engagement_points: f64,
    engagement_level: u8,
    lead_tier: LeadTier,
    lead_score: u8,
    actions: Vec<Action>,
    reasons: Vec<Reason>,
    seniority: Option<Seniority>,
    department: Option<Department>,
    matched_company: Option<String>,
    matched_list: Option<CompanyList>,
    confidence: f64,
    missing_fields: Vec<Cow<'static, str>>,
    scored_at: Timestamp,
    model_version: String,
    config_version: u64,
    category_override: Option<CategoryOverride>,
    followed_at: Option<Timestamp>,
    unfollowed_at: Option<Timestamp>,
    last_engaged_at: Option<Timestamp>,
}

impl From<FollowerRecordV1> for FollowerRecord {
    fn from(v1: FollowerRecordV1) -> Self {
        let r = v1.result;
        Self {
            profile: v1.profile,
            engagement: v1.engagement,
            result: FollowerResult {
                key: r.key,
                category: r.category,
                computed_category: r.computed_category,
                secondary_labels: r.secondary_labels,
                bot_probability: r.bot_probability,
                fit_score: r.fit_score,
                fit_grade: r.fit_grade,
                engagement_points: r.engagement_points,
                engagement_level: r.engagement_level,
                lead_tier: r.lead_tier,
                lead_score: r.lead_score,
                actions: r.actions,
                reasons: r.reasons,
                seniority: r.seniority,
                department: r.department,
                matched_company: r.matched_company,
                matched_list: r.matched_list,
                confidence: r.confidence,
                missing_fields: r.missing_fields,
                scored_at: r.scored_at,
                model_version: r.model_version,
                config_version: r.config_version,
                category_override: r.category_override,
                followed_at: r.followed_at,
                unfollowed_at: r.unfollowed_at,
                last_engaged_at: r.last_engaged_at,
                win_probability: 0.0,
                fit_source: FitSource::Rules,
                explored: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_of_the_previous_format_are_read_with_the_default_prior() {
        let mut config = AccountConfig::new(AccountId::parse("acme").unwrap());
        config.customers.names.push("Globex".into());
        config.settings.bot_threshold = Some(0.7);
        config.config_version = 3;
        let s = &config.settings;
        let v1 = AccountConfigV1 {
            account_id: config.account_id.clone(),
            display_name: config.display_name.clone(),
            own_company: config.own_company.clone(),
            customers: config.customers.clone(),
            partners: config.partners.clone(),
            vendors: config.vendors.clone(),
            competitors: config.competitors.clone(),
            target_accounts: config.target_accounts.clone(),
            analyst_firms: config.analyst_firms.clone(),
            icp: config.icp.clone(),
            influencer_handles: config.influencer_handles.clone(),
            settings: ScoringSettingsV1 {
                bot_threshold: s.bot_threshold,
                grade_cutoffs: s.grade_cutoffs,
                level_cutoffs: s.level_cutoffs,
                engagement_weights: s.engagement_weights,
                half_life_days: s.half_life_days,
                qualified: s.qualified,
                excluded: s.excluded,
            },
            platform_totals: config.platform_totals.clone(),
            config_version: config.config_version,
            updated_at: config.updated_at,
        };
        // What the previous release wrote: format byte 1, then postcard.
        let old_bytes = encode(&v1).unwrap();
        assert_eq!(old_bytes[0], 1);
        assert_eq!(decode_account(&old_bytes).unwrap(), config);

        config.settings.bot_prior = Some(0.2);
        let bytes = encode_account(&config).unwrap();
        assert_eq!(bytes[0], ACCOUNT_FORMAT_VERSION);
        assert_eq!(decode_account(&bytes).unwrap(), config);
    }

    #[test]
    fn values_round_trip_with_their_version() {
        let bytes = encode(&("acme", 42u64)).unwrap();
        assert_eq!(bytes[0], VALUE_FORMAT_VERSION);
        assert_eq!(
            decode::<(String, u64)>(&bytes).unwrap(),
            ("acme".to_owned(), 42)
        );
        let mut future = bytes.clone();
        future[0] = 9;
        assert!(matches!(
            decode::<(String, u64)>(&future),
            Err(StoreError::UnknownFormat(9))
        ));
    }
}
