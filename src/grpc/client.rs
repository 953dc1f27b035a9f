//! The Rust client side of the API, for the CLI's `--addr` source behind `followscore
//! export` and `report`: the ListFollowers request for a domain filter, and the answers back
//! into domain types. The inverse of the `wire_*` functions in `convert.rs`, and tested as
//! such: a result or report that goes to the wire and back is the one that left.
//!
//! It trusts the server no more than a request: an enum value this build does not know (a
//! newer server) or an id that does not parse is an error naming the field, never a guess.
//! It does not validate requests to the server (that is `convert.rs`) and decides nothing.

use std::borrow::Cow;

use super::{convert, pb};
use crate::engine::counting::report::{
    ActionListSizes, GrowthWindow, NetworkReport, PlatformBreakdown, Share,
};
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::learning::FitSource;
use crate::engine::profile::FollowerProfile;
use crate::engine::reasons::Reason;
use crate::engine::result::{CategoryOverride, FollowerResult};
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{
    Action, Category, CompanyList, Department, FitGrade, LeadTier, Platform, Seniority,
};
use crate::service::{FollowerFilter, Limits};

/// A server answer this build cannot read; `field` names the offending field.
#[derive(Debug, thiserror::Error)]
#[error("the server sent an unreadable {field}: {message}")]
pub struct DecodeError {
    pub field: String,
    pub message: String,
}

type Result<T> = std::result::Result<T, DecodeError>;

fn error(field: &str, message: impl Into<String>) -> DecodeError {
    DecodeError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// A wire enum value (1-based, 0 = unspecified) on a domain enum's `ALL` table.
fn optional<T: Copy>(raw: i32, all: &[T], field: &str) -> Result<Option<T>> {
    match raw {
        0 => Ok(None),
        n if n > 0 && (n as usize) <= all.len() => Ok(Some(all[n as usize - 1])),
        n => Err(error(field, format!("unknown value {n}"))),
    }
}

fn required<T: Copy>(raw: i32, all: &[T], field: &str) -> Result<T> {
    optional(raw, all, field)?.ok_or_else(|| error(field, "is missing"))
}

/// A domain enum value on the wire (the wire enums list the same values after UNSPECIFIED);
/// `None` is UNSPECIFIED, which in a filter means "any".
fn wire(index: Option<usize>) -> i32 {
    index.map_or(0, |i| i as i32 + 1)
}

/// One ListFollowers page request for `filter`, with each result's stored profile.
pub fn list_request(
    account: &AccountId,
    filter: &FollowerFilter,
    page_size: u32,
    page_token: Option<String>,
) -> pb::ListFollowersRequest {
    pb::ListFollowersRequest {
        account_id: account.as_str().to_owned(),
        platform: wire(filter.platform.map(Platform::index)),
        category: wire(filter.category.map(Category::index)),
        lead_tier: wire(filter.tier.map(LeadTier::index)),
        action: wire(filter.action.map(Action::index)),
        page_size,
        page_token: page_token.unwrap_or_default(),
        include_profiles: true,
    }
}

fn timestamp(raw: Option<&prost_types::Timestamp>) -> Option<Timestamp> {
    raw.map(|t| Timestamp::from_unix_seconds(t.seconds))
}

fn text(raw: &str) -> Option<String> {
    (!raw.is_empty()).then(|| raw.to_owned())
}

/// A stored follower result as the server sent it.
pub fn result(raw: &pb::FollowerResult) -> Result<FollowerResult> {
    let categories = |values: &[i32], field: &str| -> Result<Vec<Category>> {
        values
            .iter()
            .map(|v| required(*v, Category::ALL, field))
            .collect()
    };
    let category_override = raw
        .r#override
        .as_ref()
        .map(|o| -> Result<CategoryOverride> {
            Ok(CategoryOverride {
                category: required(o.category, Category::ALL, "override.category")?,
                set_by: o.set_by.clone(),
                reason: o.reason.clone(),
                set_at: timestamp(o.set_at.as_ref())
                    .ok_or_else(|| error("override.set_at", "is missing"))?,
                expires_at: timestamp(o.expires_at.as_ref()),
            })
        })
        .transpose()?;
    let small = |value: u32, field: &str| {
        u8::try_from(value).map_err(|_| error(field, format!("{value} is out of range")))
    };
    Ok(FollowerResult {
        key: FollowerKey {
            platform: required(raw.platform, Platform::ALL, "platform")?,
            id: FollowerId::parse(&raw.follower_id)
                .map_err(|e| error("follower_id", e.to_string()))?,
        },
        category: required(raw.category, Category::ALL, "category")?,
        computed_category: required(raw.computed_category, Category::ALL, "computed_category")?,
        secondary_labels: categories(&raw.secondary_labels, "secondary_labels")?,
        bot_probability: raw.bot_probability,
        fit_score: small(raw.fit_score, "fit_score")?,
        fit_grade: required(raw.fit_grade, FitGrade::ALL, "fit_grade")?,
        engagement_points: raw.engagement_points,
        engagement_level: small(raw.engagement_level, "engagement_level")?,
        lead_tier: required(raw.lead_tier, LeadTier::ALL, "lead_tier")?,
        lead_score: small(raw.lead_score, "lead_score")?,
        actions: raw
            .actions
            .iter()
            .map(|a| required(*a, Action::ALL, "actions"))
            .collect::<Result<_>>()?,
        reasons: raw
            .reasons
            .iter()
            .map(|r| Reason {
                code: Cow::Owned(r.code.clone()),
                message: r.message.clone(),
                weight: r.weight,
            })
            .collect(),
        seniority: optional(raw.seniority, Seniority::ALL, "seniority")?,
        department: optional(raw.department, Department::ALL, "department")?,
        matched_company: text(&raw.matched_company),
        matched_list: optional(raw.matched_list, CompanyList::ALL, "matched_list")?,
        confidence: raw.confidence,
        missing_fields: raw
            .missing_fields
            .iter()
            .map(|f| Cow::Owned(f.clone()))
            .collect(),
        scored_at: timestamp(raw.scored_at.as_ref())
            .ok_or_else(|| error("scored_at", "is missing"))?,
        model_version: raw.model_version.clone(),
        config_version: raw.config_version,
        category_override,
        followed_at: timestamp(raw.followed_at.as_ref()),
        unfollowed_at: timestamp(raw.unfollowed_at.as_ref()),
        last_engaged_at: timestamp(raw.last_engaged_at.as_ref()),
        win_probability: raw.win_probability,
        fit_source: match pb::FitSource::try_from(raw.fit_source) {
            Ok(pb::FitSource::Blend) => FitSource::Blend,
            Ok(pb::FitSource::Learned) => FitSource::Learned,
            Ok(pb::FitSource::Rules | pb::FitSource::Unspecified) => FitSource::Rules,
            Err(_) => {
                return Err(error(
                    "fit_source",
                    format!("{} is not a fit source", raw.fit_source),
                ));
            }
        },
        explored: raw.explored,
    })
}

/// A stored profile as the server sent it (ListFollowers with `include_profiles`), read with
/// the same rules as a request's profile.
pub fn profile(raw: pb::FollowerProfile, now: Timestamp) -> Result<FollowerProfile> {
    convert::profile(raw, "profiles", now, &Limits::default()).map_err(|e| DecodeError {
        field: e.field().unwrap_or("profiles").to_owned(),
        message: e.to_string(),
    })
}

fn share(raw: Option<&pb::Share>, field: &str) -> Result<Share> {
    let s = raw.ok_or_else(|| error(field, "is missing"))?;
    Ok(Share {
        count: s.count,
        share: s.share,
        interval_95: s.has_interval.then_some((s.lower_95, s.upper_95)),
    })
}

/// A network quality report as the server sent it, with its configuration and model
/// versions (which the domain report does not carry).
pub fn report(raw: &pb::NetworkQualityReport) -> Result<(NetworkReport, u64, String)> {
    let report = NetworkReport {
        platform: optional(raw.platform, Platform::ALL, "platform")?,
        as_of: timestamp(raw.as_of.as_ref()).ok_or_else(|| error("as_of", "is missing"))?,
        total_followers: raw.total_followers,
        categories: raw
            .categories
            .iter()
            .map(|c| {
                Ok((
                    required(c.category, Category::ALL, "categories.category")?,
                    share(c.share.as_ref(), "categories.share")?,
                ))
            })
            .collect::<Result<_>>()?,
        tiers: raw
            .tiers
            .iter()
            .map(|t| {
                Ok((
                    required(t.lead_tier, LeadTier::ALL, "tiers.lead_tier")?,
                    share(t.share.as_ref(), "tiers.share")?,
                ))
            })
            .collect::<Result<_>>()?,
        platforms: raw
            .platforms
            .iter()
            .map(|p| {
                Ok(PlatformBreakdown {
                    platform: required(p.platform, Platform::ALL, "platforms.platform")?,
                    total_followers: p.total_followers,
                    qualified_followers: p.qualified_followers,
                    quality_ratio: p.quality_ratio,
                })
            })
            .collect::<Result<_>>()?,
        qualified: share(raw.qualified.as_ref(), "qualified")?,
        quality_ratio: raw.quality_ratio,
        excluded: share(raw.excluded.as_ref(), "excluded")?,
        bots: share(raw.bots.as_ref(), "bots")?,
        dormant: share(raw.dormant.as_ref(), "dormant")?,
        engaged: share(raw.engaged.as_ref(), "engaged")?,
        growth: raw
            .growth
            .iter()
            .map(|g| GrowthWindow {
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
        top_leads: raw.top_leads.iter().map(result).collect::<Result<_>>()?,
        action_lists: {
            let a = raw
                .action_lists
                .as_ref()
                .ok_or_else(|| error("action_lists", "is missing"))?;
            ActionListSizes {
                to_prune: a.to_prune,
                to_follow_back: a.to_follow_back,
                to_route_to_sales: a.to_route_to_sales,
                to_route_to_account_manager: a.to_route_to_account_manager,
                to_route_to_recruiting: a.to_route_to_recruiting,
                to_engage_influencer: a.to_engage_influencer,
            }
        },
        audience_quality_score: raw.audience_quality_score,
        based_on_followers: raw.based_on_followers,
        stated_total_followers: (raw.stated_total_followers > 0)
            .then_some(raw.stated_total_followers),
        is_sample: raw.is_sample,
        stale_results: raw.stale_results,
        expected_pipeline: raw.expected_pipeline,
    };
    Ok((report, raw.config_version, raw.model_version.clone()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::account::{AccountConfig, CompanySet};
    use crate::engine::bot::shipped_model;
    use crate::engine::context::ScoringContext;
    use crate::engine::counting::aggregates::{AccountAggregates, Contribution, VersionStamp};
    use crate::engine::counting::report::{self, ReportInputs};
    use crate::engine::deciding::engagement::EngagementSummary;
    use crate::engine::score::score;
    use crate::service::QualityReport;

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_795_000_000);

    fn context() -> ScoringContext {
        let mut config = AccountConfig::new(AccountId::parse("northwind").unwrap());
        config.target_accounts = CompanySet {
            names: vec!["Tailspin Toys".into()],
            domains: vec![],
        };
        config.competitors = CompanySet {
            names: vec!["Datawise Labs".into()],
            domains: vec![],
        };
        // A stated total larger than what is stored: the report is a sample, with intervals.
        config.platform_totals = vec![(Platform::LinkedIn, 1_000)];
        config.config_version = 3;
        ScoringContext::new(Arc::new(config), shipped_model())
    }

    /// Results of every shape: a lead with a matched company and an override, a competitor,
    /// a bare id (low confidence, missing fields), an X account.
    fn results() -> Vec<FollowerResult> {
        let ctx = context();
        let profile = |platform: Platform, id: &str, headline: Option<&str>| {
            let mut p = FollowerProfile::new(FollowerKey {
                platform,
                id: FollowerId::parse(id).unwrap(),
            });
            p.headline = headline.map(str::to_owned);
            p.followed_at = Some(NOW.minus_days(5));
            p
        };
        let profiles = [
            profile(
                Platform::LinkedIn,
                "maria",
                Some("VP Data at Tailspin Toys"),
            ),
            profile(Platform::LinkedIn, "rival", Some("AE @ Datawise Labs")),
            profile(Platform::LinkedIn, "bare", None),
            profile(Platform::Twitter, "12345", Some("dad, runner")),
        ];
        let category_override = CategoryOverride {
            category: Category::Customer,
            set_by: "sales".into(),
            reason: "signed last week".into(),
            set_at: NOW.minus_days(1),
            expires_at: Some(NOW.minus_days(-30)),
        };
        profiles
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let o = (i == 0).then_some(&category_override);
                score(&ctx, p, &EngagementSummary::default(), o, NOW)
            })
            .collect()
    }

    #[test]
    fn results_survive_the_wire_unchanged() {
        let results = results();
        assert!(results[0].category_override.is_some());
        assert!(!results[2].missing_fields.is_empty());
        for original in results {
            let decoded = result(&convert::wire_result(original.clone())).unwrap();
            assert_eq!(decoded, original);
        }
    }

    #[test]
    fn reports_survive_the_wire_unchanged() {
        let ctx = context();
        let stamp = VersionStamp {
            config_version: ctx.config.config_version,
            model_version: ctx.model_version.to_string(),
        };
        let mut aggregates = AccountAggregates::default();
        aggregates.restamp(stamp.clone());
        let results = results();
        for r in &results {
            aggregates.replace(None, Some(&Contribution::of(r, &stamp)), &mut Vec::new());
        }
        let top_leads = results
            .into_iter()
            .filter(|r| r.category.is_lead())
            .collect();
        let original = report::build(
            &aggregates,
            ReportInputs {
                config: &ctx.config,
                platform: None,
                now: NOW,
                top_leads,
            },
        );
        assert!(original.is_sample && !original.top_leads.is_empty());
        let quality = QualityReport {
            account_id: ctx.config.account_id.clone(),
            report: original.clone(),
            config_version: 3,
            model_version: "rules-9".into(),
        };
        let (decoded, config_version, model_version) =
            report(&convert::wire_report(&quality)).unwrap();
        assert_eq!(decoded, original);
        assert_eq!((config_version, model_version.as_str()), (3, "rules-9"));
    }

    #[test]
    fn what_this_build_cannot_read_is_an_error_naming_the_field() {
        let wire = convert::wire_result(results().swap_remove(0));
        type Case = (fn(&mut pb::FollowerResult), &'static str);
        let cases: &[Case] = &[
            (|r| r.category = 99, "category"),
            (|r| r.lead_tier = 0, "lead_tier"),
            (|r| r.actions.push(-1), "actions"),
            (|r| r.follower_id.clear(), "follower_id"),
            (|r| r.lead_score = 256, "lead_score"),
            (|r| r.scored_at = None, "scored_at"),
        ];
        for (spoil, field) in cases {
            let mut raw = wire.clone();
            spoil(&mut raw);
            assert_eq!(result(&raw).unwrap_err().field, *field);
        }
    }

    #[test]
    fn list_requests_carry_the_filter_and_ask_for_profiles() {
        let account = AccountId::parse("northwind").unwrap();
        let filter = FollowerFilter {
            platform: Some(Platform::Twitter),
            category: None,
            tier: Some(LeadTier::Warm),
            action: Some(Action::RouteToSales),
        };
        let request = list_request(&account, &filter, 100, Some("v1.00".into()));
        assert_eq!(request.platform, pb::Platform::Twitter as i32);
        assert_eq!(request.category, pb::Category::Unspecified as i32);
        assert_eq!(request.lead_tier, pb::LeadTier::Warm as i32);
        assert_eq!(request.action, pb::Action::RouteToSales as i32);
        assert_eq!(request.page_token, "v1.00");
        assert!(request.include_profiles);
    }
}
