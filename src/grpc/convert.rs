//! Wire ↔ domain conversion. Every request value is parsed and checked here, once, so that
//! invalid data never reaches the service; every problem names its field. The bounds on
//! values (text lengths, counts, clock skew, events per request) are the configuration's
//! `Limits`, passed in; none is a constant here.

use std::borrow::Cow;

use super::pb;
use crate::engine::account::{
    AccountConfig, CategorySet, CompanySet, GradeCutoffs, IdealCustomerProfile, LevelCutoffs,
    ScoringSettings,
};
use crate::engine::counting::report::{NetworkReport, Share};
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::learning::{Figures, FitSource, LeadModel, LearningMode, OutcomeKind};
use crate::engine::profile::{EngagementEvent, FollowerProfile, ProfileCounts, ProfileFlags};
use crate::engine::reasons::Reason;
use crate::engine::result::{CategoryOverride, FollowerResult};
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{
    Action, Category, Department, EngagementType, LeadTier, Platform, Seniority,
};
use crate::import::InputFormat;
use crate::service::{
    ImportOutcome, Limits, OutcomeInput, OutcomeStatus, OutcomeSubject, QualityReport, ScoreItem,
    ServiceError,
};

type Result<T> = std::result::Result<T, ServiceError>;

/// Where a value sits in a request, as an error names it (`account_id`, `profile.bio`,
/// `events[3].type`). A nested path is written out only when a value is refused: a valid
/// follower converts without formatting any of its twenty-odd field names, and a stream
/// converts millions of followers.
pub trait Field {
    fn path(&self) -> Cow<'_, str>;
}

impl Field for str {
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl Field for String {
    fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// A field of a message nested at `parent` (the `index`-th of a repeated one, if given).
#[derive(Clone, Copy)]
struct Member<'a> {
    parent: &'a str,
    index: Option<usize>,
    name: &'static str,
}

impl Field for Member<'_> {
    fn path(&self) -> Cow<'_, str> {
        let Self {
            parent,
            index,
            name,
        } = self;
        Cow::Owned(match index {
            Some(i) => format!("{parent}[{i}].{name}"),
            None => format!("{parent}.{name}"),
        })
    }
}

fn invalid(field: &(impl Field + ?Sized), message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field.path(), message)
}

pub fn account_id(raw: &str, field: &(impl Field + ?Sized)) -> Result<AccountId> {
    AccountId::parse(raw).map_err(|e| invalid(field, e.to_string()))
}

pub fn follower_id(raw: &str, field: &(impl Field + ?Sized)) -> Result<FollowerId> {
    FollowerId::parse(raw).map_err(|e| invalid(field, e.to_string()))
}

/// A platform that must be given.
pub fn platform(raw: i32, field: &(impl Field + ?Sized)) -> Result<Platform> {
    optional_platform(raw, field)?.ok_or_else(|| invalid(field, "is required"))
}

/// A platform filter: UNSPECIFIED means none.
pub fn optional_platform(raw: i32, field: &(impl Field + ?Sized)) -> Result<Option<Platform>> {
    match pb::Platform::try_from(raw) {
        Ok(pb::Platform::Unspecified) => Ok(None),
        Ok(p) => Ok(Some(Platform::ALL[(p as i32 - 1) as usize])),
        Err(_) => Err(invalid(field, format!("unknown platform {raw}"))),
    }
}

/// Maps a wire enum value (1-based, 0 = unspecified) onto a domain enum's `ALL` table.
fn enum_value<T: Copy>(
    raw: i32,
    all: &[T],
    field: &(impl Field + ?Sized),
    what: &str,
) -> Result<Option<T>> {
    match raw {
        0 => Ok(None),
        n if n > 0 && (n as usize) <= all.len() => Ok(Some(all[n as usize - 1])),
        n => Err(invalid(field, format!("unknown {what} {n}"))),
    }
}

pub fn optional_category(raw: i32, field: &str) -> Result<Option<Category>> {
    enum_value(raw, Category::ALL, field, "category")
}

pub fn optional_tier(raw: i32, field: &str) -> Result<Option<LeadTier>> {
    enum_value(raw, LeadTier::ALL, field, "lead tier")
}

pub fn optional_action(raw: i32, field: &str) -> Result<Option<Action>> {
    enum_value(raw, Action::ALL, field, "action")
}

/// Domain enum index → wire value: the wire enums list the same values in the same order,
/// after UNSPECIFIED.
fn wire(index: usize) -> i32 {
    index as i32 + 1
}

pub fn timestamp(
    raw: &prost_types::Timestamp,
    field: &(impl Field + ?Sized),
    now: Timestamp,
    limits: &Limits,
) -> Result<Timestamp> {
    check_nanos(raw, field)?;
    if raw.seconds < 0 {
        return Err(invalid(field, "must not be before 1970"));
    }
    if raw.seconds
        > now
            .unix_seconds()
            .saturating_add(limits.max_future_skew_secs)
    {
        return Err(invalid(field, "lies in the future"));
    }
    Ok(Timestamp::from_unix_seconds(raw.seconds))
}

/// The largest valid `google.protobuf.Timestamp`: 9999-12-31T23:59:59Z.
pub const MAX_TIMESTAMP_SECONDS: i64 = 253_402_300_799;

/// A Timestamp's nanos lie in 0..=999,999,999 (the well-known type's own rule); the
/// engine counts whole seconds, but a value outside the range is a broken client.
fn check_nanos(raw: &prost_types::Timestamp, field: &(impl Field + ?Sized)) -> Result<()> {
    if !(0..1_000_000_000).contains(&raw.nanos) {
        return Err(invalid(
            field,
            format!("nanos must be within 0..=999999999, got {}", raw.nanos),
        ));
    }
    Ok(())
}

fn optional_timestamp(
    raw: Option<&prost_types::Timestamp>,
    field: &(impl Field + ?Sized),
    now: Timestamp,
    limits: &Limits,
) -> Result<Option<Timestamp>> {
    raw.map(|t| timestamp(t, field, now, limits)).transpose()
}

pub fn wire_timestamp(t: Timestamp) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: t.unix_seconds(),
        nanos: 0,
    }
}

/// A text field, trimmed; `None` when blank. A request's own `String` is kept as it is
/// when it needs no trimming (nearly always), instead of being copied.
fn text<'a>(
    raw: impl Into<Cow<'a, str>>,
    field: &(impl Field + ?Sized),
    max: usize,
) -> Result<Option<String>> {
    let raw = raw.into();
    if raw.len() > max {
        return Err(invalid(
            field,
            format!("at most {max} bytes, got {}", raw.len()),
        ));
    }
    let trimmed = raw.trim();
    Ok(if trimmed.is_empty() {
        None
    } else if trimmed.len() == raw.len() {
        Some(raw.into_owned())
    } else {
        Some(trimmed.to_owned())
    })
}

fn count(raw: Option<u64>, field: &(impl Field + ?Sized), max: u64) -> Result<Option<u64>> {
    match raw {
        Some(n) if n > max => Err(invalid(
            field,
            format!("{n} is not a plausible value (at most {max})"),
        )),
        other => Ok(other),
    }
}

/// A request's profile, validated. It takes the message: its texts move into the profile.
pub fn profile(
    raw: pb::FollowerProfile,
    prefix: &str,
    now: Timestamp,
    limits: &Limits,
) -> Result<FollowerProfile> {
    let f = |name: &'static str| Member {
        parent: prefix,
        index: None,
        name,
    };
    let key = FollowerKey {
        platform: platform(raw.platform, &f("platform"))?,
        id: follower_id(&raw.follower_id, &f("follower_id"))?,
    };
    let short = |value: String, name: &'static str| text(value, &f(name), limits.max_text_bytes);
    let mut profile = FollowerProfile::new(key);
    profile.handle = short(raw.handle, "handle")?;
    profile.display_name = short(raw.display_name, "display_name")?;
    profile.headline = short(raw.headline, "headline")?;
    profile.title = short(raw.title, "title")?;
    profile.company = short(raw.company, "company")?;
    profile.company_domain = short(raw.company_domain, "company_domain")?;
    profile.industry = short(raw.industry, "industry")?;
    profile.company_size = count(
        raw.company_size,
        &f("company_size"),
        limits.max_company_size,
    )?;
    profile.location = short(raw.location, "location")?;
    profile.country = short(raw.country, "country")?;
    profile.bio = text(raw.bio, &f("bio"), limits.max_bio_bytes)?;
    profile.url = short(raw.url, "url")?;
    profile.lang = match raw.lang {
        Some(lang) => short(lang, "lang")?,
        None => None,
    };
    profile.counts = ProfileCounts {
        followers: count(raw.followers_count, &f("followers_count"), limits.max_count)?,
        following: count(raw.following_count, &f("following_count"), limits.max_count)?,
        posts: count(raw.posts_count, &f("posts_count"), limits.max_count)?,
        likes: count(raw.likes_count, &f("likes_count"), limits.max_count)?,
        listed: count(raw.listed_count, &f("listed_count"), limits.max_count)?,
        connections: count(
            raw.connections_count,
            &f("connections_count"),
            limits.max_count,
        )?,
    };
    profile.flags = ProfileFlags {
        default_profile: raw.default_profile,
        default_profile_image: raw.default_profile_image,
        verified: raw.verified,
        protected: raw.protected,
        open_to_work: raw.open_to_work,
        has_photo: raw.has_photo,
        is_organization: raw.is_organization,
    };
    profile.created_at =
        optional_timestamp(raw.created_at.as_ref(), &f("created_at"), now, limits)?;
    profile.last_active_at = optional_timestamp(
        raw.last_active_at.as_ref(),
        &f("last_active_at"),
        now,
        limits,
    )?;
    profile.followed_at =
        optional_timestamp(raw.followed_at.as_ref(), &f("followed_at"), now, limits)?;
    profile.unfollowed_at =
        optional_timestamp(raw.unfollowed_at.as_ref(), &f("unfollowed_at"), now, limits)?;
    profile.observed_at =
        optional_timestamp(raw.observed_at.as_ref(), &f("observed_at"), now, limits)?;
    if let (Some(followed), Some(unfollowed)) = (profile.followed_at, profile.unfollowed_at)
        && unfollowed < followed
    {
        return Err(invalid(&f("unfollowed_at"), "is before followed_at"));
    }
    Ok(profile)
}

/// A domain profile on the wire: the inverse of [`profile`], for clients of the API (the
/// load tool, benchmarks) that read followers with the importers.
pub fn wire_profile(p: &FollowerProfile) -> pb::FollowerProfile {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    pb::FollowerProfile {
        platform: wire(p.key.platform.index()),
        follower_id: p.key.id.as_str().to_owned(),
        handle: text(&p.handle),
        display_name: text(&p.display_name),
        headline: text(&p.headline),
        title: text(&p.title),
        company: text(&p.company),
        company_domain: text(&p.company_domain),
        industry: text(&p.industry),
        company_size: p.company_size,
        location: text(&p.location),
        country: text(&p.country),
        bio: text(&p.bio),
        url: text(&p.url),
        followers_count: p.counts.followers,
        following_count: p.counts.following,
        posts_count: p.counts.posts,
        likes_count: p.counts.likes,
        listed_count: p.counts.listed,
        connections_count: p.counts.connections,
        created_at: p.created_at.map(wire_timestamp),
        last_active_at: p.last_active_at.map(wire_timestamp),
        default_profile: p.flags.default_profile,
        default_profile_image: p.flags.default_profile_image,
        verified: p.flags.verified,
        protected: p.flags.protected,
        open_to_work: p.flags.open_to_work,
        followed_at: p.followed_at.map(wire_timestamp),
        unfollowed_at: p.unfollowed_at.map(wire_timestamp),
        observed_at: p.observed_at.map(wire_timestamp),
        has_photo: p.flags.has_photo,
        is_organization: p.flags.is_organization,
        lang: p.lang.clone(),
    }
}

/// Events sent with a new follower (ScoreFollower), counted against
/// `max_events_per_request` here; RecordEngagement's are counted by the service.
pub fn score_events(
    raw: &[pb::EngagementEvent],
    prefix: &str,
    now: Timestamp,
    limits: &Limits,
) -> Result<Vec<EngagementEvent>> {
    if raw.len() > limits.max_events_per_request {
        return Err(ServiceError::ResourceExhausted(format!(
            "{prefix}: at most {} events per request, got {}",
            limits.max_events_per_request,
            raw.len()
        )));
    }
    events(raw, prefix, now, limits)
}

/// Each event parsed; how many there may be is the caller's check.
pub fn events(
    raw: &[pb::EngagementEvent],
    prefix: &str,
    now: Timestamp,
    limits: &Limits,
) -> Result<Vec<EngagementEvent>> {
    raw.iter()
        .enumerate()
        .map(|(i, e)| {
            let field = |name: &'static str| Member {
                parent: prefix,
                index: Some(i),
                name,
            };
            let event_id = FollowerId::parse(&e.event_id)
                .map_err(|err| invalid(&field("event_id"), err.to_string()))?
                .as_str()
                .to_owned();
            let kind = enum_value(
                e.r#type,
                EngagementType::ALL,
                &field("type"),
                "engagement type",
            )?
            .ok_or_else(|| invalid(&field("type"), "is required"))?;
            let occurred_at = e
                .occurred_at
                .as_ref()
                .ok_or_else(|| invalid(&field("occurred_at"), "is required"))?;
            Ok(EngagementEvent {
                event_id,
                kind,
                occurred_at: timestamp(occurred_at, &field("occurred_at"), now, limits)?,
            })
        })
        .collect()
}

pub fn score_item(
    raw: Option<pb::FollowerProfile>,
    now: Timestamp,
    limits: &Limits,
) -> Result<ScoreItem> {
    let raw = raw.ok_or_else(|| invalid("profile", "is required"))?;
    Ok(ScoreItem {
        profile: profile(raw, "profile", now, limits)?,
        events: Vec::new(),
    })
}

fn company_set(raw: Option<&pb::CompanySet>) -> CompanySet {
    raw.map(|s| CompanySet {
        names: s.names.iter().map(|n| n.trim().to_owned()).collect(),
        domains: s.domains.iter().map(|d| d.trim().to_owned()).collect(),
    })
    .unwrap_or_default()
}

fn categories(raw: &[i32], field: &str) -> Result<Vec<Category>> {
    raw.iter()
        .map(|c| {
            optional_category(*c, field)?
                .ok_or_else(|| invalid(field, "CATEGORY_UNSPECIFIED is not a category"))
        })
        .collect()
}

/// The Account message → a configuration (version and time are set by the service).
pub fn account(raw: &pb::Account, limits: &Limits) -> Result<AccountConfig> {
    let mut config = AccountConfig::new(account_id(&raw.account_id, "account.account_id")?);
    config.display_name = raw.display_name.trim().to_owned();
    config.own_company = company_set(raw.own_company.as_ref());
    config.customers = company_set(raw.customers.as_ref());
    config.partners = company_set(raw.partners.as_ref());
    config.vendors = company_set(raw.vendors.as_ref());
    config.competitors = company_set(raw.competitors.as_ref());
    config.target_accounts = company_set(raw.target_accounts.as_ref());
    config.analyst_firms = company_set(raw.analyst_firms.as_ref());
    config.influencer_handles = raw
        .influencer_handles
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if let Some(icp) = &raw.icp {
        config.icp = IdealCustomerProfile {
            industries: icp.industries.iter().map(|s| s.trim().to_owned()).collect(),
            min_company_size: icp.min_company_size,
            max_company_size: icp.max_company_size,
            regions: icp.regions.iter().map(|s| s.trim().to_owned()).collect(),
            departments: icp
                .departments
                .iter()
                .map(|d| {
                    enum_value(*d, Department::ALL, "account.icp.departments", "department")?
                        .ok_or_else(|| {
                            invalid(
                                "account.icp.departments",
                                "DEPARTMENT_UNSPECIFIED is not a department",
                            )
                        })
                })
                .collect::<Result<_>>()?,
            min_seniority: enum_value(
                icp.min_seniority,
                Seniority::ALL,
                "account.icp.min_seniority",
                "seniority",
            )?,
            title_keywords: icp
                .title_keywords
                .iter()
                .map(|s| s.trim().to_owned())
                .collect(),
        };
    }
    let mut settings = ScoringSettings::default();
    if let Some(s) = &raw.settings {
        settings.bot_threshold = s.bot_threshold;
        settings.bot_prior = s.bot_prior;
        if let Some(g) = &s.grade_cutoffs {
            settings.grade_cutoffs = GradeCutoffs {
                a: g.a,
                b: g.b,
                c: g.c,
            };
        }
        if let Some(l) = &s.level_cutoffs {
            settings.level_cutoffs = LevelCutoffs {
                level1: l.level1,
                level2: l.level2,
                level3: l.level3,
            };
        }
        for (i, w) in s.engagement_weights.iter().enumerate() {
            let field = format!("account.settings.engagement_weights[{i}].type");
            let kind = enum_value(w.r#type, EngagementType::ALL, &field, "engagement type")?
                .ok_or_else(|| invalid(&field, "is required"))?;
            settings.engagement_weights[kind.index()] = w.weight;
        }
        if let Some(h) = s.half_life_days {
            settings.half_life_days = h;
        }
        if !s.qualified_categories.is_empty() {
            settings.qualified = CategorySet::of(&categories(
                &s.qualified_categories,
                "account.settings.qualified_categories",
            )?);
        }
        if !s.excluded_categories.is_empty() {
            settings.excluded = CategorySet::of(&categories(
                &s.excluded_categories,
                "account.settings.excluded_categories",
            )?);
        }
    }
    config.settings = settings;
    config.platform_totals = raw
        .platform_totals
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let field = format!("account.platform_totals[{i}]");
            Ok((
                platform(t.platform, &format!("{field}.platform"))?,
                count(
                    Some(t.followers),
                    &format!("{field}.followers"),
                    limits.max_count,
                )?
                .unwrap_or(0),
            ))
        })
        .collect::<Result<_>>()?;
    Ok(config)
}

fn wire_company_set(set: &CompanySet) -> Option<pb::CompanySet> {
    (!set.is_empty()).then(|| pb::CompanySet {
        names: set.names.clone(),
        domains: set.domains.clone(),
    })
}

pub fn wire_account(config: &AccountConfig) -> pb::Account {
    let s = &config.settings;
    pb::Account {
        account_id: config.account_id.as_str().to_owned(),
        display_name: config.display_name.clone(),
        own_company: wire_company_set(&config.own_company),
        customers: wire_company_set(&config.customers),
        partners: wire_company_set(&config.partners),
        vendors: wire_company_set(&config.vendors),
        competitors: wire_company_set(&config.competitors),
        target_accounts: wire_company_set(&config.target_accounts),
        analyst_firms: wire_company_set(&config.analyst_firms),
        icp: Some(pb::IdealCustomerProfile {
            industries: config.icp.industries.clone(),
            min_company_size: config.icp.min_company_size,
            max_company_size: config.icp.max_company_size,
            regions: config.icp.regions.clone(),
            departments: config
                .icp
                .departments
                .iter()
                .map(|d| wire(d.index()))
                .collect(),
            min_seniority: config.icp.min_seniority.map_or(0, |s| wire(s.index())),
            title_keywords: config.icp.title_keywords.clone(),
        }),
        influencer_handles: config.influencer_handles.clone(),
        settings: Some(pb::ScoringSettings {
            bot_threshold: s.bot_threshold,
            bot_prior: s.bot_prior,
            grade_cutoffs: Some(pb::GradeCutoffs {
                a: s.grade_cutoffs.a,
                b: s.grade_cutoffs.b,
                c: s.grade_cutoffs.c,
            }),
            level_cutoffs: Some(pb::LevelCutoffs {
                level1: s.level_cutoffs.level1,
                level2: s.level_cutoffs.level2,
                level3: s.level_cutoffs.level3,
            }),
            engagement_weights: EngagementType::ALL
                .iter()
                .map(|k| pb::EngagementWeight {
                    r#type: wire(k.index()),
                    weight: s.engagement_weights[k.index()],
                })
                .collect(),
            half_life_days: Some(s.half_life_days),
            qualified_categories: s.qualified.iter().map(|c| wire(c.index())).collect(),
            excluded_categories: s.excluded.iter().map(|c| wire(c.index())).collect(),
        }),
        platform_totals: config
            .platform_totals
            .iter()
            .map(|(p, n)| pb::PlatformTotal {
                platform: wire(p.index()),
                followers: *n,
            })
            .collect(),
        config_version: config.config_version,
        updated_at: Some(wire_timestamp(config.updated_at)),
    }
}

fn wire_reason(reason: Reason) -> pb::Reason {
    pb::Reason {
        code: reason.code.into_owned(),
        message: reason.message,
        weight: reason.weight,
    }
}

pub fn wire_override(o: CategoryOverride) -> pb::CategoryOverride {
    pb::CategoryOverride {
        category: wire(o.category.index()),
        set_by: o.set_by,
        reason: o.reason,
        set_at: Some(wire_timestamp(o.set_at)),
        expires_at: o.expires_at.map(wire_timestamp),
    }
}

/// A result on the wire. It takes the result: its texts (reason sentences, the matched
/// company, the model version) move into the message instead of being copied, and every
/// field is named, so a field added to the result does not compile until it is mapped.
pub fn wire_result(r: FollowerResult) -> pb::FollowerResult {
    let tier_label = r.tier_label();
    let FollowerResult {
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
        scored_at,
        model_version,
        config_version,
        category_override,
        followed_at,
        unfollowed_at,
        last_engaged_at,
        win_probability,
        fit_source,
        explored,
    } = r;
    pb::FollowerResult {
        platform: wire(key.platform.index()),
        follower_id: key.id.as_str().to_owned(),
        category: wire(category.index()),
        secondary_labels: secondary_labels.iter().map(|c| wire(c.index())).collect(),
        bot_probability,
        fit_score: u32::from(fit_score),
        fit_grade: wire(fit_grade.index()),
        engagement_points,
        engagement_level: u32::from(engagement_level),
        lead_tier: wire(lead_tier.index()),
        tier_label,
        lead_score: u32::from(lead_score),
        actions: actions.iter().map(|a| wire(a.index())).collect(),
        reasons: reasons.into_iter().map(wire_reason).collect(),
        seniority: seniority.map_or(0, |s| wire(s.index())),
        department: department.map_or(0, |d| wire(d.index())),
        matched_company: matched_company.unwrap_or_default(),
        matched_list: matched_list.map_or(0, |l| wire(l.index())),
        confidence,
        missing_fields: missing_fields.into_iter().map(Cow::into_owned).collect(),
        scored_at: Some(wire_timestamp(scored_at)),
        model_version,
        config_version,
        computed_category: wire(computed_category.index()),
        r#override: category_override.map(wire_override),
        followed_at: followed_at.map(wire_timestamp),
        unfollowed_at: unfollowed_at.map(wire_timestamp),
        last_engaged_at: last_engaged_at.map(wire_timestamp),
        win_probability,
        fit_source: wire_fit_source(fit_source),
        explored,
    }
}

fn wire_share(s: &Share) -> pb::Share {
    let (lower_95, upper_95) = s.interval_95.unwrap_or((0.0, 0.0));
    pb::Share {
        count: s.count,
        share: s.share,
        has_interval: s.interval_95.is_some(),
        lower_95,
        upper_95,
    }
}

pub fn wire_report(q: &QualityReport) -> pb::NetworkQualityReport {
    let r: &NetworkReport = &q.report;
    pb::NetworkQualityReport {
        account_id: q.account_id.as_str().to_owned(),
        platform: r.platform.map_or(0, |p| wire(p.index())),
        as_of: Some(wire_timestamp(r.as_of)),
        total_followers: r.total_followers,
        categories: r
            .categories
            .iter()
            .map(|(c, s)| pb::CategoryCount {
                category: wire(c.index()),
                share: Some(wire_share(s)),
            })
            .collect(),
        tiers: r
            .tiers
            .iter()
            .map(|(t, s)| pb::TierCount {
                lead_tier: wire(t.index()),
                share: Some(wire_share(s)),
            })
            .collect(),
        platforms: r
            .platforms
            .iter()
            .map(|p| pb::PlatformBreakdown {
                platform: wire(p.platform.index()),
                total_followers: p.total_followers,
                qualified_followers: p.qualified_followers,
                quality_ratio: p.quality_ratio,
            })
            .collect(),
        qualified: Some(wire_share(&r.qualified)),
        quality_ratio: r.quality_ratio,
        excluded: Some(wire_share(&r.excluded)),
        bots: Some(wire_share(&r.bots)),
        dormant: Some(wire_share(&r.dormant)),
        engaged: Some(wire_share(&r.engaged)),
        growth: r
            .growth
            .iter()
            .map(|g| pb::Growth {
                window_days: g.window_days,
                new_followers: g.new_followers,
                unfollows: g.unfollows,
                net_change: g.net_change,
                qualified_new_followers: g.qualified_new_followers,
                qualified_unfollows: g.qualified_unfollows,
                qualified_net_change: g.qualified_net_change,
                quality_ratio_change: g.quality_ratio_change,
            })
            .collect(),
        top_leads: r.top_leads.iter().cloned().map(wire_result).collect(),
        action_lists: Some(pb::ActionListSizes {
            to_prune: r.action_lists.to_prune,
            to_follow_back: r.action_lists.to_follow_back,
            to_route_to_sales: r.action_lists.to_route_to_sales,
            to_route_to_account_manager: r.action_lists.to_route_to_account_manager,
            to_route_to_recruiting: r.action_lists.to_route_to_recruiting,
            to_engage_influencer: r.action_lists.to_engage_influencer,
        }),
        audience_quality_score: r.audience_quality_score,
        based_on_followers: r.based_on_followers,
        stated_total_followers: r.stated_total_followers.unwrap_or(0),
        is_sample: r.is_sample,
        stale_results: r.stale_results,
        expected_pipeline: r.expected_pipeline,
        config_version: q.config_version,
        model_version: q.model_version.clone(),
    }
}

pub fn category_override(
    raw: &pb::SetOverrideRequest,
    now: Timestamp,
    limits: &Limits,
) -> Result<CategoryOverride> {
    let category = optional_category(raw.category, "category")?
        .ok_or_else(|| invalid("category", "is required"))?;
    let expires_at = match &raw.expires_at {
        Some(t) => {
            check_nanos(t, "expires_at")?;
            if t.seconds <= now.unix_seconds() {
                return Err(invalid("expires_at", "lies in the past"));
            }
            if t.seconds > MAX_TIMESTAMP_SECONDS {
                return Err(invalid("expires_at", "lies after 9999-12-31"));
            }
            Some(Timestamp::from_unix_seconds(t.seconds))
        }
        None => None,
    };
    Ok(CategoryOverride {
        category,
        set_by: text(&raw.set_by, "set_by", limits.max_text_bytes)?.unwrap_or_default(),
        reason: text(&raw.reason, "reason", limits.max_text_bytes)?.unwrap_or_default(),
        set_at: now,
        expires_at,
    })
}

/// The first message of an import: the account and the format (`None`: detect it).
pub fn import_start(
    raw: Option<&pb::ImportFollowersRequest>,
) -> Result<(AccountId, Option<InputFormat>)> {
    let start = match raw.and_then(|r| r.part.as_ref()) {
        Some(pb::import_followers_request::Part::Start(start)) => start,
        _ => {
            return Err(invalid(
                "start",
                "the first message must name the account and the format",
            ));
        }
    };
    let account = account_id(&start.account_id, "start.account_id")?;
    let format = match pb::ImportFormat::try_from(start.format) {
        Ok(pb::ImportFormat::Unspecified | pb::ImportFormat::Auto) => None,
        Ok(pb::ImportFormat::LinkedinCsv) => Some(InputFormat::LinkedInCsv),
        Ok(pb::ImportFormat::TwitterJson) => Some(InputFormat::TwitterJsonLines),
        Ok(pb::ImportFormat::TwitterCsv) => Some(InputFormat::TwitterCsv),
        Err(_) => {
            return Err(invalid(
                "start.format",
                format!("unknown import format {}", start.format),
            ));
        }
    };
    Ok((account, format))
}

/// A later message of an import: a piece of the file, at most `max_bytes` long.
pub fn import_data(raw: pb::ImportFollowersRequest, max_bytes: usize) -> Result<Vec<u8>> {
    match raw.part {
        Some(pb::import_followers_request::Part::Data(data)) if data.len() > max_bytes => {
            Err(ServiceError::ResourceExhausted(format!(
                "data: at most {max_bytes} bytes per message, got {}",
                data.len()
            )))
        }
        Some(pb::import_followers_request::Part::Data(data)) => Ok(data),
        Some(pb::import_followers_request::Part::Start(_)) => Err(invalid(
            "start",
            "only the first message may start an import",
        )),
        None => Ok(Vec::new()),
    }
}

fn wire_import_format(format: InputFormat) -> i32 {
    let wire = match format {
        InputFormat::LinkedInCsv => pb::ImportFormat::LinkedinCsv,
        InputFormat::TwitterJsonLines => pb::ImportFormat::TwitterJson,
        InputFormat::TwitterCsv => pb::ImportFormat::TwitterCsv,
    };
    wire as i32
}

pub fn wire_import(outcome: &ImportOutcome) -> pb::ImportFollowersResponse {
    pb::ImportFollowersResponse {
        format: wire_import_format(outcome.format),
        rows_read: outcome.rows_read,
        rows_scored: outcome.rows_scored,
        rows_skipped: outcome.rows_skipped(),
        errors: outcome
            .errors
            .iter()
            .map(|e| pb::ImportRowError {
                line: e.line,
                field: e.field.clone().unwrap_or_default(),
                message: e.message.clone(),
                code: e.code.to_owned(),
            })
            .collect(),
        errors_omitted: outcome.errors_omitted,
        followers: outcome
            .followers
            .iter()
            .map(|f| pb::ImportedFollower {
                line: f.line,
                platform: wire(f.key.platform.index()),
                follower_id: f.key.id.as_str().to_owned(),
                category: wire(f.category.index()),
                lead_tier: wire(f.lead_tier.index()),
                tier_label: f.tier_label.clone(),
                lead_score: u32::from(f.lead_score),
            })
            .collect(),
        followers_omitted: outcome.followers_omitted,
    }
}

// ---------------------------------------------------------------------------------------
// Outcomes and the lead model
// ---------------------------------------------------------------------------------------

/// One outcome of a RecordOutcomes request; the error names the field within the outcome
/// (`wire_outcomes_recorded` adds its position).
pub fn outcome(raw: &pb::Outcome, now: Timestamp, limits: &Limits) -> Result<OutcomeInput> {
    let subject = match &raw.subject {
        Some(pb::outcome::Subject::Follower(f)) => OutcomeSubject::Follower(FollowerKey {
            platform: platform(f.platform, "follower.platform")?,
            id: follower_id(&f.follower_id, "follower.follower_id")?,
        }),
        Some(pb::outcome::Subject::Company(c)) => OutcomeSubject::Company {
            name: text(&c.name, "company.name", limits.max_text_bytes)?,
            domain: text(&c.domain, "company.domain", limits.max_text_bytes)?,
        },
        None => {
            return Err(invalid("subject", "is required: a follower or a company"));
        }
    };
    let kind = match pb::OutcomeType::try_from(raw.r#type) {
        Ok(pb::OutcomeType::OpportunityCreated) => OutcomeKind::OpportunityCreated,
        Ok(pb::OutcomeType::Won) => OutcomeKind::Won,
        Ok(pb::OutcomeType::Lost) => OutcomeKind::Lost,
        Ok(pb::OutcomeType::Disqualified) => OutcomeKind::Disqualified,
        Ok(pb::OutcomeType::Reopened) => OutcomeKind::Reopened,
        Ok(pb::OutcomeType::Unspecified) => return Err(invalid("type", "is required")),
        Err(_) => {
            return Err(invalid(
                "type",
                format!("{} is not an outcome type", raw.r#type),
            ));
        }
    };
    let occurred_at = match &raw.occurred_at {
        Some(t) => timestamp(t, "occurred_at", now, limits)?,
        None => return Err(invalid("occurred_at", "is required")),
    };
    Ok(OutcomeInput {
        outcome_id: raw.outcome_id.clone(),
        subject,
        kind,
        occurred_at,
        amount: raw.amount,
        crm_reference: raw.crm_reference.clone(),
    })
}

/// The mode a SetLearningMode request asks for.
pub fn learning_mode(raw: i32, pinned_version: u64) -> Result<LearningMode> {
    match pb::LearningMode::try_from(raw) {
        Ok(pb::LearningMode::Automatic) => Ok(LearningMode::Automatic),
        Ok(pb::LearningMode::RulesOnly) => Ok(LearningMode::RulesOnly),
        Ok(pb::LearningMode::Pinned) if pinned_version > 0 => Ok(LearningMode::Pinned {
            version: pinned_version,
        }),
        Ok(pb::LearningMode::Pinned) => Err(invalid(
            "pinned_version",
            "is required with LEARNING_MODE_PINNED",
        )),
        Ok(pb::LearningMode::Unspecified) => Err(invalid("mode", "is required")),
        Err(_) => Err(invalid("mode", format!("{raw} is not a learning mode"))),
    }
}

fn wire_fit_source(source: FitSource) -> i32 {
    match source {
        FitSource::Rules => pb::FitSource::Rules as i32,
        FitSource::Blend => pb::FitSource::Blend as i32,
        FitSource::Learned => pb::FitSource::Learned as i32,
    }
}

fn wire_learning_mode(mode: &LearningMode) -> (i32, u64) {
    match mode {
        LearningMode::Automatic => (pb::LearningMode::Automatic as i32, 0),
        LearningMode::RulesOnly => (pb::LearningMode::RulesOnly as i32, 0),
        LearningMode::Pinned { version } => (pb::LearningMode::Pinned as i32, *version),
    }
}

fn wire_figures(f: &Figures) -> pb::ModelFigures {
    pb::ModelFigures {
        auc: f.auc,
        pr_auc: f.pr_auc,
        brier: f.brier,
        expected_calibration_error: f.ece,
        top_decile_lift: f.top_decile_lift,
    }
}

pub fn wire_lead_model(account_id: &str, model: &LeadModel) -> pb::LeadModel {
    let (mode, pinned_version) = wire_learning_mode(model.mode());
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    pb::LeadModel {
        account_id: account_id.to_owned(),
        version: model.version(),
        mode,
        pinned_version,
        source: wire_fit_source(model.source()),
        blend: model.blend_share,
        trained_at: model.trained_at.map(wire_timestamp),
        window_start: model.window.map(|(start, _)| wire_timestamp(start)),
        window_end: model.window.map(|(_, end)| wire_timestamp(end)),
        deals: count(model.counts.deals),
        positives: count(model.counts.positives),
        negatives: count(model.counts.negatives),
        explored: count(model.counts.explored),
        left_out: count(model.counts.left_out),
        weights: model
            .weights()
            .into_iter()
            .map(|(code, label, weight)| pb::LeadModelWeight {
                code: code.to_owned(),
                label: label.to_owned(),
                weight,
            })
            .collect(),
        intercept: model.intercept,
        evaluation: model.evaluation.as_ref().map(|e| pb::LeadModelEvaluation {
            holdout_deals: count(e.holdout_deals),
            holdout_positives: count(e.holdout_positives),
            holdout_from: e.holdout_from.map(wire_timestamp),
            rules: Some(wire_figures(&e.rules)),
            learned: Some(wire_figures(&e.learned)),
            blend: Some(wire_figures(&e.blend)),
        }),
        decision: model.decision.clone(),
    }
}

/// The answer to RecordOutcomes: `items` in request order with their positions.
pub fn wire_outcomes_recorded(
    account_id: &str,
    outcome_ids: &[String],
    items: &[(usize, OutcomeStatus)],
    model: &LeadModel,
) -> pb::RecordOutcomesResponse {
    let mut answer = pb::RecordOutcomesResponse {
        model: Some(wire_lead_model(account_id, model)),
        ..Default::default()
    };
    for (index, status) in items {
        let (word, followers, error) = match status {
            OutcomeStatus::Accepted { followers } => {
                answer.accepted += 1;
                ("accepted", *followers, None)
            }
            OutcomeStatus::Duplicate => {
                answer.duplicates += 1;
                ("duplicate", 0, None)
            }
            OutcomeStatus::Unmatched => {
                answer.unmatched += 1;
                ("unmatched", 0, None)
            }
            OutcomeStatus::Invalid(error) => {
                answer.invalid += 1;
                let error = match error {
                    ServiceError::InvalidArgument { field, message } => {
                        super::status::item_error(&ServiceError::invalid(
                            format!("outcomes[{index}].{field}"),
                            message.clone(),
                        ))
                    }
                    other => super::status::item_error(other),
                };
                ("invalid", 0, Some(error))
            }
        };
        answer.items.push(pb::OutcomeItem {
            index: *index as u32,
            outcome_id: outcome_ids.get(*index).cloned().unwrap_or_default(),
            status: word.to_owned(),
            followers,
            error,
        });
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::FollowerKey;

    #[test]
    fn a_profile_survives_the_round_trip_through_the_wire() {
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let mut p = FollowerProfile::new(FollowerKey {
            platform: Platform::Twitter,
            id: FollowerId::parse("12345").unwrap(),
        });
        p.handle = Some("jane_doe".into());
        p.headline = Some("CTO | Co-founder @ Finly".into());
        p.company_size = Some(250);
        p.counts.followers = Some(1_200);
        p.counts.likes = Some(0);
        p.flags.default_profile_image = Some(false);
        p.created_at = Some(Timestamp::from_unix_seconds(1_300_000_000));
        p.observed_at = Some(now);
        p.lang = Some("en".into());
        assert_eq!(
            profile(wire_profile(&p), "profile", now, &Limits::default()).unwrap(),
            p
        );
    }

    #[test]
    fn request_texts_are_trimmed_and_kept_without_a_copy() {
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let headline = String::from("CTO | Co-founder @ Finly");
        let written_at = headline.as_ptr();
        let raw = pb::FollowerProfile {
            platform: pb::Platform::Twitter as i32,
            follower_id: "12345".into(),
            headline,
            title: "  VP Sales \t".into(),
            bio: " \n ".into(),
            ..Default::default()
        };
        let p = profile(raw, "profile", now, &Limits::default()).unwrap();
        let headline = p.headline.unwrap();
        assert_eq!(headline, "CTO | Co-founder @ Finly");
        // Nothing to trim: the request's own text, moved.
        assert_eq!(headline.as_ptr(), written_at);
        assert_eq!(p.title.as_deref(), Some("VP Sales"));
        assert_eq!(p.bio, None);
    }

    #[test]
    fn a_refused_value_is_named_by_its_path_in_the_request() {
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let limits = Limits::default();
        let field_of = |error: ServiceError| match error {
            ServiceError::InvalidArgument { field, .. } => field,
            other => panic!("not an invalid argument: {other:?}"),
        };
        let mut raw = pb::FollowerProfile {
            platform: pb::Platform::Twitter as i32,
            follower_id: "12345".into(),
            bio: "x".repeat(limits.max_bio_bytes + 1),
            ..Default::default()
        };
        let refused = profile(raw.clone(), "profiles[7]", now, &limits).unwrap_err();
        assert_eq!(field_of(refused), "profiles[7].bio");
        raw.bio.clear();
        raw.followers_count = Some(limits.max_count + 1);
        let refused = profile(raw, "profile", now, &limits).unwrap_err();
        assert_eq!(field_of(refused), "profile.followers_count");

        let event = |kind: i32| pb::EngagementEvent {
            event_id: "e".into(),
            r#type: kind,
            occurred_at: Some(wire_timestamp(now)),
        };
        let refused = events(&[event(1), event(0)], "events", now, &limits).unwrap_err();
        assert_eq!(field_of(refused), "events[1].type");
    }

    #[test]
    fn timestamps_with_nanos_out_of_range_or_expiries_past_9999_are_refused() {
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let limits = Limits::default();
        let at = |seconds, nanos| prost_types::Timestamp { seconds, nanos };
        for nanos in [-1, 1_000_000_000, i32::MIN, i32::MAX] {
            let error = timestamp(&at(1_700_000_000, nanos), "created_at", now, &limits);
            assert_eq!(
                error.unwrap_err().field(),
                Some("created_at"),
                "nanos {nanos}"
            );
        }
        assert!(timestamp(&at(1_700_000_000, 999_999_999), "created_at", now, &limits).is_ok());
        let request = |expires_at| pb::SetOverrideRequest {
            category: pb::Category::Customer as i32,
            expires_at: Some(expires_at),
            ..Default::default()
        };
        for expiry in [
            at(i64::MAX, 0),
            at(MAX_TIMESTAMP_SECONDS + 1, 0),
            at(1_900_000_000, -5),
        ] {
            let error = category_override(&request(expiry), now, &limits).unwrap_err();
            assert_eq!(error.field(), Some("expires_at"), "{expiry:?}");
        }
        let last = category_override(&request(at(MAX_TIMESTAMP_SECONDS, 0)), now, &limits);
        assert!(last.is_ok(), "the last second of 9999 is an expiry");
    }
}
