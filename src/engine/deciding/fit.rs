//! Fit score (SPEC §1): how well a person fits the account's ideal customer profile, 0–100.
//!
//! Each ICP criterion has a maximum number of points. Only criteria the account configured
//! count, and the score is the share of the available points earned, so an account that
//! sells by seniority alone is not penalised for leaving industries empty. A criterion the
//! profile says nothing about earns nothing (unknown is not a match) and lowers confidence
//! elsewhere. Each earned or notable criterion yields a reason whose weight is its points on
//! the 0–100 scale.

use crate::engine::context::{ScoringContext, normalize_industry};
use crate::engine::profile::FollowerProfile;
use crate::engine::reading::company_match::CompanyMatch;
use crate::engine::reading::title::ParsedTitle;
use crate::engine::reasons::{Reason, Wording};
use crate::engine::vocabulary::{CompanyList, Seniority};

/// Maximum points per criterion before normalisation; they add up to 100.
pub const TARGET_ACCOUNT_POINTS: f64 = 30.0;
pub const INDUSTRY_POINTS: f64 = 15.0;
pub const COMPANY_SIZE_POINTS: f64 = 10.0;
pub const REGION_POINTS: f64 = 10.0;
pub const DEPARTMENT_POINTS: f64 = 15.0;
pub const SENIORITY_POINTS: f64 = 15.0;
pub const TITLE_KEYWORD_POINTS: f64 = 5.0;

/// Without a configured minimum, "decision-making seniority" (SPEC §1) means Director or
/// above.
pub const DEFAULT_MIN_SENIORITY: Seniority = Seniority::Director;

pub struct FitInputs<'a> {
    pub profile: &'a FollowerProfile,
    pub title: &'a ParsedTitle,
    pub matches: &'a [CompanyMatch],
    /// ISO 3166 alpha-2 code of the follower's country, when known.
    pub country: Option<&'static str>,
    /// Headline, title and bio joined and lower-cased, where the ICP's title keywords are
    /// looked for (empty when it names none: nothing reads it then).
    pub keyword_text: &'a str,
    pub wording: Wording,
}

pub struct Fit {
    pub score: u8,
    pub reasons: Vec<Reason>,
    /// True when at least one ICP criterion other than seniority matched: the person's
    /// company or role fits, not only their rank.
    pub matched_any: bool,
    /// The first known company fact (industry, size, region) that the ICP rules out, as a
    /// sentence. A fact that is missing never contradicts (SPEC "Hard cases", PROSPECT).
    pub contradiction: Option<String>,
    /// The company's industry or size is one the ICP names (region aside).
    pub company_profile_fits: bool,
    /// The industry is known and not one the ICP names.
    pub industry_outside: bool,
    /// The country is known and outside every ICP region.
    pub region_outside: bool,
    /// The role fits: a department the ICP names or one of its title keywords, at or above
    /// its minimum seniority (an unknown seniority does not meet a minimum).
    pub role_fits: bool,
}

pub fn fit(ctx: &ScoringContext, input: &FitInputs<'_>) -> Fit {
    let wording = input.wording;
    let icp = &ctx.config.icp;
    let mut available = 0.0;
    // (code, message, raw points) for every criterion that earned something.
    let mut earned: Vec<(&'static str, String, f64)> = Vec::new();

    let has_account_lists =
        !ctx.config.target_accounts.is_empty() || !ctx.config.customers.is_empty();
    if has_account_lists {
        available += TARGET_ACCOUNT_POINTS;
        let hit = input
            .matches
            .iter()
            .find(|m| matches!(m.list, CompanyList::TargetAccounts | CompanyList::Customers));
        if let Some(m) = hit {
            let (code, what) = match m.list {
                CompanyList::TargetAccounts => ("icp_target_account", "a target account"),
                _ => ("icp_customer_account", "a customer account (expansion)"),
            };
            earned.push((
                code,
                wording.say(|| format!("Works at {}, {what}", m.company)),
                TARGET_ACCOUNT_POINTS,
            ));
        }
    }

    let mut contradiction: Option<String> = None;
    let (mut industry_outside, mut region_outside) = (false, false);
    if !ctx.industries.is_empty() {
        available += INDUSTRY_POINTS;
        if let Some(industry) = input.profile.industry.as_deref() {
            let normalized = normalize_industry(industry);
            let hit = ctx
                .industries
                .iter()
                .any(|target| !target.is_empty() && contains_words(&normalized, target));
            if hit {
                earned.push((
                    "icp_industry_match",
                    wording.say(|| format!("Industry {industry} is in the ideal customer profile")),
                    INDUSTRY_POINTS,
                ));
            } else {
                industry_outside = true;
                contradiction.get_or_insert_with(|| {
                    wording.say(|| {
                        format!("Industry {industry} is outside the ideal customer profile")
                    })
                });
            }
        }
    }

    if icp.min_company_size.is_some() || icp.max_company_size.is_some() {
        available += COMPANY_SIZE_POINTS;
        if let Some(size) = input.profile.company_size {
            let above_min = icp.min_company_size.is_none_or(|min| size >= min);
            let below_max = icp.max_company_size.is_none_or(|max| size <= max);
            if above_min && below_max {
                earned.push((
                    "icp_company_size_match",
                    wording.say(|| format!("Company size of {size} employees is in range")),
                    COMPANY_SIZE_POINTS,
                ));
            } else {
                contradiction.get_or_insert_with(|| {
                    wording.say(|| {
                        format!(
                            "Company size of {size} employees is outside the ideal customer profile"
                        )
                    })
                });
            }
        }
    }

    if !ctx.regions.is_empty() {
        available += REGION_POINTS;
        let area = input
            .country
            .and_then(|country| ctx.regions.iter().find(|area| area.contains(country)));
        match (input.country, area) {
            (Some(country), Some(area)) => earned.push((
                "icp_region_match",
                wording
                    .say(|| format!("Located in {country}, in the target region {}", area.name())),
                REGION_POINTS,
            )),
            (Some(country), None) => {
                region_outside = true;
                contradiction.get_or_insert_with(|| {
                    wording.say(|| {
                        format!(
                            "Located in {country}, outside the ideal customer profile's regions"
                        )
                    })
                });
            }
            (None, _) => {}
        }
    }

    let mut function_fits = icp.departments.is_empty() && ctx.title_keywords.is_empty();
    if !icp.departments.is_empty() {
        available += DEPARTMENT_POINTS;
        let hit = input
            .title
            .departments
            .iter()
            .find(|d| icp.departments.contains(d));
        function_fits |= hit.is_some();
        if let Some(department) = hit {
            earned.push((
                "icp_department_match",
                wording.say(|| {
                    format!(
                        "Works in {}, a target department",
                        department.as_str().to_lowercase()
                    )
                }),
                DEPARTMENT_POINTS,
            ));
        }
    }

    available += SENIORITY_POINTS;
    let minimum = icp.min_seniority.unwrap_or(DEFAULT_MIN_SENIORITY);
    if let Some(seniority) = input.title.seniority {
        let points = if seniority.at_least(minimum) {
            SENIORITY_POINTS
        } else if seniority.index() == minimum.index() + 1 {
            // One rung below the minimum still influences a purchase.
            SENIORITY_POINTS / 2.0
        } else {
            0.0
        };
        if points > 0.0 {
            earned.push((
                seniority_code(seniority),
                wording.say(|| format!("Title says {}", seniority_words(seniority))),
                points,
            ));
        }
    }

    if !ctx.title_keywords.is_empty() {
        available += TITLE_KEYWORD_POINTS;
        let hit = ctx
            .title_keywords
            .iter()
            .find(|k| contains_words(input.keyword_text, k));
        function_fits |= hit.is_some();
        if let Some(keyword) = hit {
            earned.push((
                "icp_title_keyword",
                wording.say(|| format!("Title mentions \"{keyword}\"")),
                TITLE_KEYWORD_POINTS,
            ));
        }
    }

    let scale = if available > 0.0 {
        100.0 / available
    } else {
        0.0
    };
    let total: f64 = earned.iter().map(|(_, _, points)| points * scale).sum();
    let matched_any = earned
        .iter()
        .any(|(code, _, _)| !code.starts_with("title_seniority"));
    // Without a configured minimum, a function the ICP names is enough; an ICP that names
    // no function asks for decision-making seniority.
    let seniority_fits = match (icp.min_seniority, function_fits) {
        (Some(minimum), _) => input.title.seniority.is_some_and(|s| s.at_least(minimum)),
        (None, true) if !(icp.departments.is_empty() && ctx.title_keywords.is_empty()) => true,
        (None, _) => input
            .title
            .seniority
            .is_some_and(|s| s.at_least(DEFAULT_MIN_SENIORITY)),
    };
    let company_profile_fits = earned
        .iter()
        .any(|(code, _, _)| matches!(*code, "icp_industry_match" | "icp_company_size_match"));
    Fit {
        score: total.round().clamp(0.0, 100.0) as u8,
        reasons: earned
            .into_iter()
            .map(|(code, message, points)| Reason::new(code, message, round2(points * scale)))
            .collect(),
        matched_any,
        contradiction,
        company_profile_fits,
        industry_outside,
        region_outside,
        role_fits: function_fits && seniority_fits,
    }
}

/// Whether `needle`'s words appear as whole words in `haystack` (both lower-case): some
/// match, among the leftmost non-overlapping ones, has no letter or digit on either side.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    let (hay, pattern) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = pattern.split_first() else {
        // Only the empty needle gets here: every character boundary matches it.
        return haystack.match_indices(needle).any(|(start, _)| {
            let before_ok = haystack[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = haystack[start..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            before_ok && after_ok
        });
    };
    // A byte search finds what `str::match_indices` finds: both strings are UTF-8, so a
    // match of whole byte sequences starts and ends on character boundaries.
    let mut from = 0;
    while from + pattern.len() <= hay.len() {
        let Some(offset) = hay[from..=hay.len() - pattern.len()]
            .iter()
            .position(|b| *b == first)
        else {
            return false;
        };
        let start = from + offset;
        let end = start + pattern.len();
        if &hay[start + 1..end] != rest {
            from = start + 1;
            continue;
        }
        let before_ok = haystack[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = haystack[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        // The next match starts after this one, as `match_indices` reports them.
        from = end;
    }
    false
}

pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

pub fn seniority_code(seniority: Seniority) -> &'static str {
    match seniority {
        Seniority::Owner => "title_seniority_owner",
        Seniority::CLevel => "title_seniority_c_level",
        Seniority::Vp => "title_seniority_vp",
        Seniority::Head => "title_seniority_head",
        Seniority::Director => "title_seniority_director",
        Seniority::Manager => "title_seniority_manager",
        Seniority::Senior => "title_seniority_senior",
        Seniority::Entry => "title_seniority_entry",
        Seniority::Intern => "title_seniority_intern",
    }
}

fn seniority_words(seniority: Seniority) -> &'static str {
    match seniority {
        Seniority::Owner => "owner or founder",
        Seniority::CLevel => "C-level executive",
        Seniority::Vp => "vice president",
        Seniority::Head => "head of a function",
        Seniority::Director => "director",
        Seniority::Manager => "manager",
        Seniority::Senior => "senior individual contributor",
        Seniority::Entry => "entry level",
        Seniority::Intern => "intern or student",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let check = |hay: &str, needle: &str, expected: bool| {
            assert_eq!(
                contains_words(hay, needle),
                expected,
                "{hay:?} ~ {needle:?}"
            );
        };
        check("vp data & analytics", "data", true);
        check("vp data & analytics", "analytics", true);
        check("database admin", "data", false);
        check("head of bi", "bi", true);
        check("bible study", "bi", false);
        check("computer software", "software", true);
    }
}
