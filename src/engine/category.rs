//! Categories (SPEC §1): every rule that applies is collected, the first in precedence
//! order becomes the category and the others become secondary labels.
//!
//! Each rule that fires leaves a reason with a stable code. This module decides nothing
//! about overrides (`score.rs` applies them) and computes no scores itself.

use super::company_match::CompanyMatch;
use super::fit::Fit;
use super::profile::FollowerProfile;
use super::reasons::Reason;
use super::signals::TextSignals;
use super::time::Timestamp;
use super::vocabulary::{Category, CompanyList, FitGrade};

/// A role that says "influencer" (analyst, journalist, …) counts with at least this reach.
pub const INFLUENCER_ROLE_MIN_FOLLOWERS: u64 = 2_000;
/// Reach alone makes an influencer (SPEC: "a VP … with 80,000 followers").
pub const INFLUENCER_REACH_FOLLOWERS: u64 = 50_000;
/// No activity for this long is "no sign of life".
pub const DORMANT_AFTER_DAYS: f64 = 365.0;

pub struct CategoryInputs<'a> {
    pub profile: &'a FollowerProfile,
    pub bot_probability: f64,
    pub bot_threshold: f64,
    pub matches: &'a [CompanyMatch],
    pub fit: &'a Fit,
    pub grade: FitGrade,
    pub signals: &'a TextSignals,
    pub listed_influencer: bool,
    pub social_events: u32,
    /// The moment activity is judged at (the profile's capture time, else now).
    pub as_of: Timestamp,
}

pub struct CategoryDecision {
    pub primary: Category,
    pub secondary: Vec<Category>,
    pub reasons: Vec<Reason>,
    /// The company match that decided an account-list category, if one did.
    pub deciding_match: Option<CompanyMatch>,
}

pub fn decide(input: &CategoryInputs<'_>) -> CategoryDecision {
    let mut applied: Vec<Category> = Vec::with_capacity(4);
    let mut reasons: Vec<Reason> = Vec::with_capacity(4);
    let mut deciding_match: Option<CompanyMatch> = None;
    let profile = input.profile;
    let is_organization = profile.flags.is_organization == Some(true);

    if input.bot_probability >= input.bot_threshold && !is_organization {
        applied.push(Category::Bot);
        reasons.push(Reason::new(
            "bot_probability_above_threshold",
            format!(
                "Bot probability {:.2} is at or above the account's threshold {:.2}",
                input.bot_probability, input.bot_threshold
            ),
            0.0,
        ));
    }

    let list_rules = [
        (
            CompanyList::OwnCompany,
            Category::Employee,
            "company_matches_own_company",
            "Works at our own company",
        ),
        (
            CompanyList::Competitors,
            Category::Competitor,
            "company_matches_competitor",
            "Works at a competitor",
        ),
        (
            CompanyList::Customers,
            Category::Customer,
            "company_matches_customer",
            "Works at a customer",
        ),
        (
            CompanyList::Partners,
            Category::Partner,
            "company_matches_partner",
            "Works at a partner",
        ),
        (
            CompanyList::Vendors,
            Category::Vendor,
            "company_matches_vendor",
            "Works at a listed vendor",
        ),
    ];
    for (list, category, code, words) in list_rules {
        if let Some(m) = input.matches.iter().find(|m| m.list == list) {
            applied.push(category);
            reasons.push(Reason::new(code, format!("{words}: {}", m.company), 0.0));
            if deciding_match.is_none() {
                deciding_match = Some(m.clone());
            }
        }
    }

    let target_account = input
        .matches
        .iter()
        .find(|m| m.list == CompanyList::TargetAccounts);
    let fits_icp = matches!(input.grade, FitGrade::A | FitGrade::B);
    if let Some(phrase) = input.signals.sells_services
        && !fits_icp
        && target_account.is_none()
        && !applied.contains(&Category::Vendor)
    {
        applied.push(Category::Vendor);
        reasons.push(Reason::new(
                "describes_selling_services",
                format!("Describes selling services (\"{phrase}\") without fitting the ideal customer profile"),
                0.0,
            ));
    }

    if target_account.is_some() || (fits_icp && input.fit.matched_any) {
        applied.push(Category::Prospect);
        let message = match target_account {
            Some(m) => format!("Works at target account {}", m.company),
            None => format!("Fits the ideal customer profile (grade {})", input.grade),
        };
        reasons.push(Reason::new("fits_ideal_customer_profile", message, 0.0));
        if deciding_match.is_none() {
            deciding_match = target_account.cloned();
        }
    }

    let followers = profile.counts.followers;
    let analyst_firm = input
        .matches
        .iter()
        .find(|m| m.list == CompanyList::AnalystFirms);
    let influencer_reason = if input.listed_influencer {
        Some(Reason::new(
            "influencer_listed_handle",
            "Listed as an influencer of the account",
            0.0,
        ))
    } else if let Some(m) = analyst_firm {
        Some(Reason::new(
            "company_matches_analyst_firm",
            format!("Works at analyst or media firm {}", m.company),
            0.0,
        ))
    } else if let (Some(role), true) = (
        input.signals.influencer_role,
        followers.is_some_and(|n| n >= INFLUENCER_ROLE_MIN_FOLLOWERS),
    ) {
        Some(Reason::new(
            "influencer_role_with_reach",
            format!(
                "Describes an influencer role (\"{role}\") with {} followers",
                followers.unwrap_or(0)
            ),
            0.0,
        ))
    } else if followers.is_some_and(|n| n >= INFLUENCER_REACH_FOLLOWERS) && !is_organization {
        Some(Reason::new(
            "large_audience",
            format!(
                "Has a large audience of {} followers",
                followers.unwrap_or(0)
            ),
            0.0,
        ))
    } else {
        None
    };
    if let Some(reason) = influencer_reason {
        applied.push(Category::Influencer);
        reasons.push(reason);
    }

    let job_reason = if profile.flags.open_to_work == Some(true) {
        Some(Reason::new(
            "open_to_work_flag",
            "Profile has the open-to-work flag",
            0.0,
        ))
    } else if let Some(phrase) = input.signals.job_seeking {
        Some(Reason::new(
            "open_to_work_phrase",
            format!("Profile says \"{phrase}\""),
            0.0,
        ))
    } else if let Some(phrase) = input.signals.student_or_graduate {
        Some(Reason::new(
            "student_or_recent_graduate",
            format!("Profile says \"{phrase}\""),
            0.0,
        ))
    } else {
        input
            .signals
            .aspiring
            .map(|phrase| Reason::new("aspiring_title", format!("Profile says \"{phrase}\""), 0.0))
    };
    if let Some(reason) = job_reason {
        applied.push(Category::JobSeeker);
        reasons.push(reason);
    }

    if input.social_events > 0 {
        applied.push(Category::BrandFan);
        reasons.push(Reason::new(
            "engages_with_account",
            format!(
                "Shared, commented on or mentioned the account {} times",
                input.social_events
            ),
            0.0,
        ));
    }

    if let Some(reason) = dormancy(profile, input.as_of) {
        applied.push(Category::Dormant);
        reasons.push(reason);
    }

    applied.sort();
    applied.dedup();
    let primary = applied.first().copied().unwrap_or(Category::Other);
    let secondary = applied.into_iter().skip(1).collect();
    CategoryDecision {
        primary,
        secondary,
        reasons,
        deciding_match,
    }
}

/// DORMANT: an incomplete profile (two or more of headline, bio, photo and location
/// missing) with no sign of life (last activity over a year ago, or no posts at all when
/// activity is unknown).
fn dormancy(profile: &FollowerProfile, as_of: Timestamp) -> Option<Reason> {
    let no_photo =
        profile.flags.default_profile_image == Some(true) || profile.flags.has_photo == Some(false);
    let gaps = [
        profile.headline.is_none() && profile.title.is_none(),
        profile.bio.is_none(),
        no_photo,
        profile.location.is_none() && profile.country.is_none(),
    ]
    .into_iter()
    .filter(|gap| *gap)
    .count();
    if gaps < 2 {
        return None;
    }
    let inactive = match profile.last_active_at {
        Some(last) => as_of.days_since(last) > DORMANT_AFTER_DAYS,
        None => profile.counts.posts == Some(0),
    };
    inactive.then(|| {
        Reason::new(
            "no_sign_of_life",
            "Incomplete profile and no activity in the last year",
            0.0,
        )
    })
}
