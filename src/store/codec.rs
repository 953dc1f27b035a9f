//! Value encoding: one format-version byte, then postcard.
//!
//! The version byte lets a later release recognise and migrate values written by this one;
//! key layouts are versioned by the tree names (`keys.rs`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use std::borrow::Cow;

use super::{FollowerRecord, RecordParts, StoreError, compression};
use crate::engine::account::{
    AccountConfig, CategorySet, CompanySet, GradeCutoffs, IdealCustomerProfile, LevelCutoffs,
    ScoringSettings,
};
use crate::engine::counting::aggregates::{
    AccountAggregates, Counters, PLATFORM_COUNT, VersionStamp,
};
use crate::engine::deciding::engagement::EngagementSummary;
use crate::engine::ids::AccountId;
use crate::engine::ids::FollowerKey;
use crate::engine::learning::FitSource;
use crate::engine::profile::FollowerProfile;
use crate::engine::reasons::Reason;
use crate::engine::result::{CategoryOverride, FollowerResult};
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{
    ACTION_COUNT, Action, CATEGORY_COUNT, Category, CompanyList, Department, FitGrade, LeadTier,
    Seniority, TIER_COUNT,
};
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

/// Format of account configurations: 3 since the configuration is followed by its
/// `bot_prior_since`; 2 added `bot_prior` to the settings.
pub const ACCOUNT_FORMAT_VERSION: u8 = 3;

pub fn encode_account(config: &AccountConfig) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![ACCOUNT_FORMAT_VERSION];
    postcard::to_io(config, &mut bytes).map_err(StoreError::Encode)?;
    postcard::to_io(&config.bot_prior_since, &mut bytes).map_err(StoreError::Encode)?;
    Ok(bytes)
}

/// Reads an account configuration of this release or of an earlier one: format 2 has no
/// `bot_prior_since` (its results carry over only from its own version), format 1 no
/// `bot_prior` either (the model's default then).
pub fn decode_account(bytes: &[u8]) -> Result<AccountConfig, StoreError> {
    match bytes.split_first() {
        Some((&ACCOUNT_FORMAT_VERSION, rest)) => {
            let (mut config, rest) =
                postcard::take_from_bytes::<AccountConfig>(rest).map_err(StoreError::Decode)?;
            let (since, rest) = postcard::take_from_bytes(rest).map_err(StoreError::Decode)?;
            if !rest.is_empty() {
                return Err(StoreError::Decode(postcard::Error::DeserializeBadEncoding));
            }
            config.bot_prior_since = since;
            Ok(config)
        }
        Some((&2, rest)) => postcard::from_bytes::<AccountConfig>(rest)
            .map(|mut config| {
                config.bot_prior_since = config.config_version;
                config
            })
            .map_err(StoreError::Decode),
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
            // Nothing is known of earlier versions' priors.
            bot_prior_since: v1.config_version,
            updated_at: v1.updated_at,
        }
    }
}

/// Format of follower records: 4 since records are compressed with a frozen dictionary
/// (`compression.rs`); 3 added `win_probability`, `fit_source` and `explored` (2 is never a
/// value format: it is the sealed envelope's tag, `erasure.rs`).
///
/// Format 4 is the format byte, then format 3's postcard bytes as one zstd frame made with
/// `compression::RECORDS_V4_DICTIONARY`.
pub const RECORD_FORMAT_VERSION: u8 = 4;

/// The record format before compression, still read (and what format 4 compresses).
const RECORD_FORMAT_UNCOMPRESSED: u8 = 3;

pub fn encode_record(record: RecordParts<'_>) -> Result<Vec<u8>, StoreError> {
    compression::compress_with(&[RECORD_FORMAT_VERSION], |plain| {
        postcard::to_io(&record, plain)
            .map(drop)
            .map_err(StoreError::Encode)
    })
}

/// Format of a record whose decision a later configuration or model left as it was: the
/// format byte, the stamp it is now current under (`RecordStamp`), then the record value
/// it was stored as (format 4, or an earlier one). A rescoring pass after an ICP edit
/// leaves most results as they were; storing those again costs a stamp and a copy of the
/// stored bytes, not a new encoding and compression of the record (BENCHMARKS.md).
pub const RECORD_FORMAT_RESTAMPED: u8 = 5;

/// What a restamped record is current under: its result's configuration and model versions
/// and when it was found unchanged under them. They replace the ones in the record inside;
/// the model version only when it is not the inside record's (an ICP edit changes the
/// configuration alone, and the version string is most of a stamp's bytes).
#[derive(Serialize, Deserialize)]
struct RecordStamp<'a> {
    config_version: u64,
    #[serde(borrow)]
    model_version: Option<&'a str>,
    scored_at: Timestamp,
}

/// The record value stored as `stored` (a value this codec wrote: format 5, 4 or earlier,
/// whose result read with `stored_model_version`), current from now on under `result`'s
/// stamp. `result` must hold the stored decision: this writes its stamp only.
pub fn restamp_record(
    stored: &[u8],
    stored_model_version: &str,
    result: &FollowerResult,
) -> Result<Vec<u8>, StoreError> {
    // Whether the record inside reads with `stored_model_version` (a restamped value says
    // so by naming none).
    let (inner, inner_model_stored) = match stored.split_first() {
        Some((&RECORD_FORMAT_RESTAMPED, rest)) => {
            let (stamp, inner) = split_stamp(rest)?;
            (inner, stamp.model_version.is_none())
        }
        _ => (stored, true),
    };
    let same_model = inner_model_stored && result.model_version == stored_model_version;
    let stamp = RecordStamp {
        config_version: result.config_version,
        model_version: (!same_model).then_some(result.model_version.as_str()),
        scored_at: result.scored_at,
    };
    let mut value = Vec::with_capacity(1 + 16 + result.model_version.len() + inner.len());
    value.push(RECORD_FORMAT_RESTAMPED);
    postcard::to_io(&stamp, &mut value).map_err(StoreError::Encode)?;
    value.extend_from_slice(inner);
    Ok(value)
}

/// A restamped value's stamp and the record value inside it (which is never restamped
/// itself).
fn split_stamp(rest: &[u8]) -> Result<(RecordStamp<'_>, &[u8]), StoreError> {
    let (stamp, inner) =
        postcard::take_from_bytes::<RecordStamp<'_>>(rest).map_err(StoreError::Decode)?;
    match inner.first() {
        Some(&RECORD_FORMAT_RESTAMPED) | None => Err(StoreError::Damaged),
        Some(_) => Ok((stamp, inner)),
    }
}

/// `decode_record` of a value read from the store, kept with the record (`StoredValue`) so
/// that a rewrite changing nothing but the stamp can reuse it.
pub fn decode_stored_record(value: Vec<u8>) -> Result<FollowerRecord, StoreError> {
    let mut record = decode_record(&value)?;
    record.stored = super::StoredValue(Some(value));
    Ok(record)
}

/// A record's bytes before compression: what format 4 compresses, and the samples a
/// record dictionary is trained on.
pub fn record_plaintext(record: &FollowerRecord) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(record).map_err(StoreError::Encode)
}

/// Reads a follower record of this release or of an earlier one: format 3 is format 4
/// uncompressed. A record of format 1 reads as scored by the rules alone with no win
/// probability; its `model_version` names the earlier rules, so it is stale and the
/// background pass rescores it.
pub fn decode_record(bytes: &[u8]) -> Result<FollowerRecord, StoreError> {
    match bytes.split_first() {
        Some((&RECORD_FORMAT_RESTAMPED, rest)) => {
            let (stamp, inner) = split_stamp(rest)?;
            let mut record = decode_record(inner)?;
            record.result.config_version = stamp.config_version;
            if let Some(model_version) = stamp.model_version {
                record.result.model_version = model_version.to_owned();
            }
            record.result.scored_at = stamp.scored_at;
            Ok(record)
        }
        Some((&RECORD_FORMAT_VERSION, frame)) => {
            compression::read_plain(frame, |plain| postcard::from_bytes(plain))?
                .map_err(StoreError::Decode)
        }
        Some((&RECORD_FORMAT_UNCOMPRESSED, rest)) => {
            postcard::from_bytes(rest).map_err(StoreError::Decode)
        }
        Some((&1, rest)) => postcard::from_bytes::<FollowerRecordV1>(rest)
            .map(FollowerRecord::from)
            .map_err(StoreError::Decode),
        Some((&version, _)) => Err(StoreError::UnknownFormat(version)),
        None => Err(StoreError::UnknownFormat(0)),
    }
}

/// The plain bytes of a stored record value, for audits that search stored data for
/// personal data: a compressed record is searched as what it holds. Any other value
/// (another format, or one that only starts like a record) is searched as it is.
pub fn audit_view(bytes: &[u8]) -> Cow<'_, [u8]> {
    match bytes.split_first() {
        Some((&RECORD_FORMAT_RESTAMPED, rest)) => match split_stamp(rest) {
            Ok((_, inner)) => audit_view(inner),
            Err(_) => Cow::Borrowed(bytes),
        },
        Some((&RECORD_FORMAT_VERSION, frame)) => compression::decompress(frame)
            .map(Cow::Owned)
            .unwrap_or(Cow::Borrowed(bytes)),
        _ => Cow::Borrowed(bytes),
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
            revision: Default::default(),
            stored: Default::default(),
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

/// Format of an account's aggregates: 3 since counters carry `win_micros` (2 is the sealed
/// envelope's tag).
pub const AGGREGATES_FORMAT_VERSION: u8 = 3;

pub fn encode_aggregates(aggregates: &AccountAggregates) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![AGGREGATES_FORMAT_VERSION];
    postcard::to_io(aggregates, &mut bytes).map_err(StoreError::Encode)?;
    Ok(bytes)
}

/// Reads aggregates of this release, or of the release before it (format 1, without win
/// probabilities: every record of that release reads with none either, so the sums agree).
pub fn decode_aggregates(bytes: &[u8]) -> Result<AccountAggregates, StoreError> {
    match bytes.split_first() {
        Some((&AGGREGATES_FORMAT_VERSION, rest)) => {
            postcard::from_bytes(rest).map_err(StoreError::Decode)
        }
        Some((&1, rest)) => postcard::from_bytes::<AccountAggregatesV1>(rest)
            .map(AccountAggregates::from)
            .map_err(StoreError::Decode),
        Some((&version, _)) => Err(StoreError::UnknownFormat(version)),
        None => Err(StoreError::UnknownFormat(0)),
    }
}

/// Aggregates as format 1 stored them, field for field.
#[derive(Serialize, Deserialize)]
struct AccountAggregatesV1 {
    platforms: [CountersV1; PLATFORM_COUNT],
    stored_followers: u64,
    fresh_stamp: VersionStamp,
    fresh_results: u64,
}

#[derive(Serialize, Deserialize)]
struct CountersV1 {
    by_category: [u64; CATEGORY_COUNT],
    by_tier: [u64; TIER_COUNT],
    by_action: [u64; ACTION_COUNT],
}

impl From<AccountAggregatesV1> for AccountAggregates {
    fn from(v1: AccountAggregatesV1) -> Self {
        Self {
            platforms: v1.platforms.map(|c| Counters {
                by_category: c.by_category,
                by_tier: c.by_tier,
                by_action: c.by_action,
                win_micros: [0; CATEGORY_COUNT],
            }),
            stored_followers: v1.stored_followers,
            fresh_stamp: v1.fresh_stamp,
            fresh_results: v1.fresh_results,
            days: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of an account's tree: a plain one must never read as sealed. (Account
    /// configurations live in the accounts tree, where nothing is sealed.)
    #[test]
    fn no_value_format_of_an_account_tree_is_the_sealed_envelope_tag() {
        for format in [
            VALUE_FORMAT_VERSION,
            RECORD_FORMAT_VERSION,
            RECORD_FORMAT_RESTAMPED,
            AGGREGATES_FORMAT_VERSION,
        ] {
            assert_ne!(format, super::super::sled_backend::erasure::SEALED_FORMAT);
        }
    }

    #[test]
    fn accounts_of_earlier_formats_are_read_with_what_they_did_not_hold() {
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
        // What an early release wrote: format byte 1, then postcard.
        let old_bytes = encode(&v1).unwrap();
        assert_eq!(old_bytes[0], 1);
        config.bot_prior_since = config.config_version;
        assert_eq!(decode_account(&old_bytes).unwrap(), config);

        config.settings.bot_prior = Some(0.2);
        config.bot_prior_since = 2;
        let bytes = encode_account(&config).unwrap();
        assert_eq!(bytes[0], ACCOUNT_FORMAT_VERSION);
        assert_eq!(decode_account(&bytes).unwrap(), config);
        // A trailing byte is refused, not ignored.
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_account(&longer).is_err());

        // What the previous release wrote: format byte 2, then the configuration alone.
        let mut v2 = vec![2];
        postcard::to_io(&config, &mut v2).unwrap();
        let read = decode_account(&v2).unwrap();
        assert_eq!(read.bot_prior_since, config.config_version);
        assert_eq!(read.settings, config.settings);
    }

    /// A record as format 1 stored it.
    fn record_of_format_1() -> FollowerRecordV1 {
        use crate::engine::ids::FollowerId;
        use crate::engine::vocabulary::Platform;
        let key = FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse("maria").unwrap(),
        };
        FollowerRecordV1 {
            profile: FollowerProfile::new(key.clone()),
            engagement: EngagementSummary::default(),
            result: FollowerResultV1 {
                key,
                category: Category::Prospect,
                computed_category: Category::Prospect,
                secondary_labels: vec![Category::BrandFan],
                bot_probability: 0.01,
                fit_score: 80,
                fit_grade: FitGrade::A,
                engagement_points: 12.5,
                engagement_level: 3,
                lead_tier: LeadTier::Warm,
                lead_score: 61,
                actions: vec![Action::RouteToSales],
                reasons: Vec::new(),
                seniority: Some(Seniority::Vp),
                department: None,
                matched_company: Some("Tailspin Toys".into()),
                matched_list: Some(CompanyList::TargetAccounts),
                confidence: 0.8,
                missing_fields: Vec::new(),
                scored_at: Timestamp(1_790_000_000),
                model_version: "rules-2+bot-x".into(),
                config_version: 4,
                category_override: None,
                followed_at: Some(Timestamp(1_789_000_000)),
                unfollowed_at: None,
                last_engaged_at: None,
            },
        }
    }

    #[test]
    fn records_and_aggregates_of_the_previous_format_are_read_without_win_probabilities() {
        let v1 = record_of_format_1();
        // What the previous release wrote: format byte 1, then postcard.
        let record = decode_record(&encode(&v1).unwrap()).unwrap();
        assert_eq!(record.result.fit_score, 80);
        assert_eq!(
            record.result.matched_company.as_deref(),
            Some("Tailspin Toys")
        );
        assert_eq!(record.result.model_version, "rules-2+bot-x");
        assert_eq!(
            (
                record.result.win_probability,
                record.result.fit_source,
                record.result.explored
            ),
            (0.0, FitSource::Rules, false)
        );
        let again = decode_record(&encode_record(record.parts()).unwrap()).unwrap();
        assert_eq!(again, record);

        let counters = || CountersV1 {
            by_category: [1; CATEGORY_COUNT],
            by_tier: [2; TIER_COUNT],
            by_action: [3; ACTION_COUNT],
        };
        let old = AccountAggregatesV1 {
            platforms: std::array::from_fn(|_| counters()),
            stored_followers: 13,
            fresh_stamp: VersionStamp::default(),
            fresh_results: 9,
        };
        let aggregates = decode_aggregates(&encode(&old).unwrap()).unwrap();
        assert_eq!(aggregates.stored_followers, 13);
        assert_eq!(aggregates.platforms[0].by_tier, [2; TIER_COUNT]);
        assert_eq!(aggregates.platforms[0].win_micros, [0; CATEGORY_COUNT]);
        let again = decode_aggregates(&encode_aggregates(&aggregates).unwrap()).unwrap();
        assert_eq!(again, aggregates);
    }

    #[test]
    fn records_are_stored_compressed_and_uncompressed_ones_still_read() {
        let mut record = FollowerRecord::from(record_of_format_1());
        record.profile.headline = Some("VP Revenue Operations at Tailspin Toys".into());
        record.profile.bio = Some("Scaling B2B SaaS go-to-market teams in the Nordics.".into());
        let plain = record_plaintext(&record).unwrap();
        // A record's parts are laid out as the record is.
        assert_eq!(postcard::to_stdvec(&record.parts()).unwrap(), plain);
        let stored = encode_record(record.parts()).unwrap();
        assert_eq!(stored[0], RECORD_FORMAT_VERSION);
        assert!(
            stored.len() * 3 < plain.len() * 2,
            "{} bytes stored for {} plain",
            stored.len(),
            plain.len()
        );
        assert_eq!(decode_record(&stored).unwrap(), record);

        // What the previous release wrote: format byte 3, then the plain bytes.
        let mut uncompressed = vec![RECORD_FORMAT_UNCOMPRESSED];
        uncompressed.extend_from_slice(&plain);
        assert_eq!(decode_record(&uncompressed).unwrap(), record);

        // An audit searches what a compressed record holds, and other values as they are.
        let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(!contains(&stored, b"Tailspin Toys"));
        assert!(contains(&audit_view(&stored), b"Tailspin Toys"));
        assert!(contains(&audit_view(&uncompressed), b"Tailspin Toys"));
        assert_eq!(
            &*audit_view(&[RECORD_FORMAT_VERSION, 1, 2]),
            &[RECORD_FORMAT_VERSION, 1, 2]
        );

        // A damaged frame is an error, not a panic or another record.
        let mut damaged = stored.clone();
        damaged.truncate(stored.len() - 3);
        assert!(decode_record(&damaged).is_err());
    }

    #[test]
    fn a_restamped_record_reads_as_the_record_under_its_new_stamp() {
        let mut record = FollowerRecord::from(record_of_format_1());
        record.profile.bio = Some("Scaling B2B SaaS go-to-market teams in the Nordics.".into());
        let stored = encode_record(record.parts()).unwrap();

        // An ICP edit: a new configuration, the same model. The stamp names no model.
        let mut current = record.result.clone();
        current.config_version += 3;
        current.scored_at = Timestamp(current.scored_at.0 + 86_400);
        let restamped = restamp_record(&stored, &record.result.model_version, &current).unwrap();
        assert_eq!(restamped[0], RECORD_FORMAT_RESTAMPED);
        // The stored value is carried as it was, after the stamp.
        assert!(restamped.ends_with(&stored));
        assert!(
            restamped.len() <= stored.len() + 12,
            "{} bytes",
            restamped.len()
        );
        let read = decode_record(&restamped).unwrap();
        assert_eq!(read.result, current);
        assert_eq!(read.profile, record.profile);
        assert_eq!(read.engagement, record.engagement);

        // A new model: the stamp names it. Restamping again replaces the stamp, and stamps
        // never nest.
        let previous = current.model_version.clone();
        current.config_version += 1;
        current.model_version = "followscore-rules-9+forest-2".into();
        let again = restamp_record(&restamped, &previous, &current).unwrap();
        assert!(again.ends_with(&stored));
        assert_eq!(decode_record(&again).unwrap().result, current);
        // Then an edit under that model: the inside record's model is still the old one,
        // so the stamp keeps naming the new one.
        current.config_version += 1;
        let third = restamp_record(&again, &current.model_version.clone(), &current).unwrap();
        assert_eq!(decode_record(&third).unwrap().result, current);
        let mut nested = vec![RECORD_FORMAT_RESTAMPED];
        nested.extend_from_slice(&restamped[1..restamped.len() - stored.len()]);
        nested.extend_from_slice(&restamped);
        assert!(matches!(decode_record(&nested), Err(StoreError::Damaged)));

        // An audit searches what the record inside holds.
        let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(!contains(&restamped, b"Nordics"));
        assert!(contains(&audit_view(&restamped), b"Nordics"));
        // A value read from the store keeps its bytes.
        assert_eq!(
            decode_stored_record(third.clone()).unwrap().stored.bytes(),
            Some(&third[..])
        );
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
