//! Confidence (SPEC §3): how much of the profile a result could rest on, 0–1, and which
//! fields were missing. A bare id is scored, with low confidence, never refused.

use std::borrow::Cow;

use crate::engine::profile::FollowerProfile;

/// The floor: even a bare id says which platform the person follows on.
pub const MIN_CONFIDENCE: f64 = 0.05;

/// Fields and their share of what a full profile tells. Role and company carry most of
/// the category and fit; counts, age and photo carry the bot probability.
fn signals(profile: &FollowerProfile, company_found: bool) -> [(&'static str, f64, bool); 8] {
    let c = &profile.counts;
    let f = &profile.flags;
    [
        (
            "title",
            0.25,
            profile.title.is_some() || profile.headline.is_some(),
        ),
        (
            "company",
            0.20,
            company_found || profile.company.is_some() || profile.company_domain.is_some(),
        ),
        (
            "location",
            0.10,
            profile.location.is_some() || profile.country.is_some(),
        ),
        ("industry", 0.05, profile.industry.is_some()),
        ("company_size", 0.05, profile.company_size.is_some()),
        (
            "counts",
            0.15,
            c.followers.is_some()
                || c.following.is_some()
                || c.posts.is_some()
                || c.connections.is_some(),
        ),
        ("created_at", 0.10, profile.created_at.is_some()),
        (
            "profile_image",
            0.10,
            f.default_profile_image.is_some() || f.has_photo.is_some(),
        ),
    ]
}

/// Confidence, 0–1. `company_found`: a listed company was found in the headline or bio,
/// which tells as much as a company field.
pub fn confidence(profile: &FollowerProfile, company_found: bool) -> f64 {
    let mut present = 0.0;
    for (_, weight, known) in signals(profile, company_found) {
        if known {
            present += weight;
        }
    }
    let value = MIN_CONFIDENCE + (1.0 - MIN_CONFIDENCE) * present;
    (value * 100.0).round() / 100.0
}

/// The names of the fields [`confidence`] found missing, for a result that is explained:
/// a stored result keeps none (`score::score_unexplained`).
pub fn missing_fields(profile: &FollowerProfile, company_found: bool) -> Vec<Cow<'static, str>> {
    signals(profile, company_found)
        .into_iter()
        .filter(|(_, _, known)| !known)
        .map(|(name, _, _)| Cow::Borrowed(name))
        .collect()
}
