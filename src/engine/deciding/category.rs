//! Categories (SPEC §1 and "Hard cases"): every rule that applies is collected, the first in
//! precedence order becomes the category and the others become secondary labels.
//!
//! Each rule is a small function that either applies, with a reason carrying a stable code,
//! or does not; `decide` runs them in precedence order. People's rules (JOB_SEEKER, DORMANT,
//! influence by reach) do not apply to organisations' own accounts. This module decides
//! nothing about overrides (`score.rs` applies them), computes no scores and reads no text
//! itself: the company matches, the title, the fit and the phrase signals arrive computed.

use super::fit::Fit;
use crate::engine::profile::FollowerProfile;
use crate::engine::reading::company_match::CompanyMatch;
use crate::engine::reading::signals::TextSignals;
use crate::engine::reading::title::ParsedTitle;
use crate::engine::reasons::{Reason, Wording};
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Category, CompanyList, Department};

/// A role that says "influencer" (journalist, author, industry analyst, …) counts with at
/// least this reach on the platform (SPEC "Hard cases", INFLUENCER).
pub const INFLUENCER_ROLE_MIN_FOLLOWERS: u64 = 5_000;
/// Reach alone makes an influencer (SPEC: "a VP … with 80,000 followers").
pub const INFLUENCER_REACH_FOLLOWERS: u64 = 50_000;
/// A known last activity older than this is "no sign of life".
pub const DORMANT_AFTER_DAYS: f64 = 180.0;
/// A nearly empty profile with fewer connections than this is dormant (activity unknown).
pub const DORMANT_FEW_CONNECTIONS: u64 = 50;
/// A nearly empty profile with fewer posts than this is dormant (activity unknown).
pub const DORMANT_FEW_POSTS: u64 = 20;

pub struct CategoryInputs<'a> {
    pub profile: &'a FollowerProfile,
    pub bot_probability: f64,
    pub bot_threshold: f64,
    /// Lists the follower's current employer is on.
    pub matches: &'a [CompanyMatch],
    /// Listed companies the texts name as past employers.
    pub former: &'a [CompanyMatch],
    /// An organisation's own account (a company page, a brand's X account).
    pub is_organisation: bool,
    /// The profile names a current employer, listed or not.
    pub has_employer: bool,
    pub title: &'a ParsedTitle,
    pub fit: &'a Fit,
    pub signals: &'a TextSignals,
    pub listed_influencer: bool,
    /// Shares, comments and mentions of the account.
    pub social_events: u32,
    /// Any engagement with the account recorded at all.
    pub engaged: bool,
    /// The moment activity is judged at (the profile's capture time, else now).
    pub as_of: Timestamp,
    pub wording: Wording,
}

pub struct CategoryDecision {
    pub primary: Category,
    pub secondary: Vec<Category>,
    pub reasons: Vec<Reason>,
    /// The company match that decided an account-list category, if one did.
    pub deciding_match: Option<CompanyMatch>,
}

/// The categories that applied so far, with their reasons.
#[derive(Default)]
struct Applied {
    categories: Vec<Category>,
    reasons: Vec<Reason>,
    deciding_match: Option<CompanyMatch>,
}

impl Applied {
    fn add(&mut self, category: Category, reason: Reason) {
        self.categories.push(category);
        self.reasons.push(reason);
    }

    fn has(&self, category: Category) -> bool {
        self.categories.contains(&category)
    }

    fn decided_by(&mut self, m: &CompanyMatch) {
        if self.deciding_match.is_none() {
            self.deciding_match = Some(m.clone());
        }
    }
}

pub fn decide(input: &CategoryInputs<'_>) -> CategoryDecision {
    let mut applied = Applied::default();
    bot(input, &mut applied);
    company_lists(input, &mut applied);
    let prospect = prospect(input);
    let vendor_by_description = vendor_by_description(input, &mut applied, &prospect);
    match prospect {
        Some((reason, target)) => {
            applied.add(Category::Prospect, reason);
            if let Some(m) = target {
                applied.decided_by(m);
            }
        }
        // The role fits but a known company fact rules the person out: say which, so a
        // salesperson sees why a Head of IT at a hospital is no prospect.
        None => {
            if let (true, Some(why)) = (input.fit.role_fits, &input.fit.contradiction) {
                applied.reasons.push(Reason::new(
                    "icp_company_fact_contradicts",
                    input.wording.say(|| why.clone()),
                    0.0,
                ));
            }
        }
    }
    influencer(input, &mut applied);
    if !input.is_organisation {
        job_seeker(input, &mut applied);
    }
    if input.social_events > 0 {
        applied.add(
            Category::BrandFan,
            Reason::new(
                "engages_with_account",
                input.wording.say(|| {
                    format!(
                        "Shared, commented on or mentioned the account {} times",
                        input.social_events
                    )
                }),
                0.0,
            ),
        );
    }
    if !input.is_organisation
        && !input.engaged
        && let Some(reason) = dormancy(input.profile, input.as_of, input.wording)
    {
        applied.add(Category::Dormant, reason);
    }
    if let Some(m) = input.former.first() {
        applied.reasons.push(Reason::new(
            "former_employer_mentioned",
            input.wording.say(|| {
                format!(
                    "Mentions {} ({}) as a past employer; not counted as where they work now",
                    m.company,
                    m.list.as_str().to_lowercase().replace('_', " ")
                )
            }),
            0.0,
        ));
    }

    let mut categories = applied.categories;
    categories.sort();
    categories.dedup();
    let mut primary = categories.first().copied().unwrap_or(Category::Other);
    // A handle the account put on its influencer list beats a self-described selling line
    // (the account chose them); the selling line stays a secondary label.
    if primary == Category::Vendor && vendor_by_description && input.listed_influencer {
        primary = Category::Influencer;
    }
    let secondary = categories.into_iter().filter(|c| *c != primary).collect();
    CategoryDecision {
        primary,
        secondary,
        reasons: applied.reasons,
        deciding_match: applied.deciding_match,
    }
}

fn bot(input: &CategoryInputs<'_>, applied: &mut Applied) {
    if input.bot_probability >= input.bot_threshold && !input.is_organisation {
        applied.add(
            Category::Bot,
            Reason::new(
                "bot_probability_above_threshold",
                input.wording.say(|| {
                    format!(
                        "Bot probability {:.2} is at or above the account's threshold {:.2}",
                        input.bot_probability, input.bot_threshold
                    )
                }),
                0.0,
            ),
        );
    }
}

/// EMPLOYEE, COMPETITOR, CUSTOMER, PARTNER and VENDOR from the account's company lists.
fn company_lists(input: &CategoryInputs<'_>, applied: &mut Applied) {
    const LIST_RULES: [(CompanyList, Category, &str, &str); 5] = [
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
    for (list, category, code, words) in LIST_RULES {
        if let Some(m) = input.matches.iter().find(|m| m.list == list) {
            let message = input.wording.say(|| {
                let words = if input.is_organisation {
                    words.replace("Works at", "Is the account of")
                } else {
                    words.to_owned()
                };
                format!("{words}: {}", m.company)
            });
            applied.add(category, Reason::new(code, message, 0.0));
            applied.decided_by(m);
        }
    }
}

/// PROSPECT (SPEC "Hard cases"): anyone at a target account; at an unlisted company, known
/// company facts that do not contradict the ICP *and* a role that fits it, with a current
/// employer. An organisation fits through its company facts alone.
fn prospect<'a>(input: &CategoryInputs<'a>) -> Option<(Reason, Option<&'a CompanyMatch>)> {
    let wording = input.wording;
    if let Some(m) = input
        .matches
        .iter()
        .find(|m| m.list == CompanyList::TargetAccounts)
    {
        let message = wording.say(|| format!("Works at target account {}", m.company));
        return Some((
            Reason::new("works_at_target_account", message, 0.0),
            Some(m),
        ));
    }
    let fit = input.fit;
    // Staff of an analyst or media firm influence buyers; their firm is not one.
    let at_analyst_firm = input
        .matches
        .iter()
        .any(|m| m.list == CompanyList::AnalystFirms);
    if fit.contradiction.is_some() || at_analyst_firm {
        return None;
    }
    if input.is_organisation {
        // Where a page is located says little about what the organisation is: its industry
        // or size must fit.
        return fit.company_profile_fits.then(|| {
            let reason = Reason::new(
                "organisation_fits_ideal_customer_profile",
                wording.say(|| {
                    "An organisation whose company facts fit the ideal customer profile".into()
                }),
                0.0,
            );
            (reason, None)
        });
    }
    (input.has_employer && fit.role_fits).then(|| {
        let reason = Reason::new(
            "fits_ideal_customer_profile",
            wording.say(|| "Role and company fit the ideal customer profile".into()),
            0.0,
        );
        (reason, None)
    })
}

/// VENDOR by description: sells services to companies (agency, consultant, recruiter,
/// lead generation, …) without fitting the ICP. A fit that rests on the role alone, with no
/// company facts, does not count: a "Fractional CFO" or a headhunter for CHROs has the right
/// words and sells them. Returns whether it applied.
fn vendor_by_description(
    input: &CategoryInputs<'_>,
    applied: &mut Applied,
    prospect: &Option<(Reason, Option<&CompanyMatch>)>,
) -> bool {
    // An organisation that says it serves businesses and does not fit is a vendor's page
    // ("Leads & Content für Softwareunternehmen"); a person needs a selling line.
    let organisation_serving_businesses = input
        .signals
        .serves_businesses
        .filter(|_| input.is_organisation);
    let Some(phrase) = input
        .signals
        .sells_services
        .or(organisation_serving_businesses)
    else {
        return false;
    };
    let profile = input.profile;
    let company_facts = profile.company.is_some()
        || profile.industry.is_some()
        || profile.company_size.is_some()
        || !input.matches.is_empty();
    let fits_as_a_company = match prospect {
        Some((_, Some(_target))) => true,
        Some((_, None)) => company_facts,
        None => false,
    };
    // A journalist or author who writes "freelance" sells words to readers, a yoga coach
    // "helping women find calm" sells to consumers, and someone looking for their next job
    // is not selling services: none of them is a vendor to a B2B account.
    let media_role = input.signals.influencer_role.is_some();
    let consumer_seller = input.signals.consumer_seller.is_some();
    let job_seeking =
        profile.flags.open_to_work == Some(true) || input.signals.job_seeking.is_some();
    if fits_as_a_company
        || media_role
        || consumer_seller
        || job_seeking
        || applied.has(Category::Vendor)
    {
        return false;
    }
    applied.add(
        Category::Vendor,
        Reason::new(
            "describes_selling_services",
            input.wording.say(|| format!(
                "Describes selling services (\"{phrase}\") without fitting the ideal customer profile"
            )),
            0.0,
        ),
    );
    true
}

/// INFLUENCER: a listed handle, research or editorial staff of a configured analyst or
/// media firm (their sales staff sell to us: VENDOR), or an influencer role with reach.
fn influencer(input: &CategoryInputs<'_>, applied: &mut Applied) {
    let wording = input.wording;
    let followers = input.profile.counts.followers;
    if input.listed_influencer {
        return applied.add(
            Category::Influencer,
            Reason::new(
                "influencer_listed_handle",
                wording.say(|| "Listed as an influencer of the account".into()),
                0.0,
            ),
        );
    }
    if let Some(m) = input
        .matches
        .iter()
        .find(|m| m.list == CompanyList::AnalystFirms)
    {
        if input.title.departments.contains(&Department::Sales) {
            return applied.add(
                Category::Vendor,
                Reason::new(
                    "analyst_firm_sales_staff",
                    wording.say(|| format!("Sells for analyst or media firm {}", m.company)),
                    0.0,
                ),
            );
        }
        return applied.add(
            Category::Influencer,
            Reason::new(
                "company_matches_analyst_firm",
                wording.say(|| format!("Works at analyst or media firm {}", m.company)),
                0.0,
            ),
        );
    }
    if input.is_organisation {
        return;
    }
    if let (Some(role), Some(n)) = (input.signals.influencer_role, followers)
        && n >= INFLUENCER_ROLE_MIN_FOLLOWERS
    {
        return applied.add(
            Category::Influencer,
            Reason::new(
                "influencer_role_with_reach",
                wording.say(|| {
                    format!("Describes an influencer role (\"{role}\") with {n} followers")
                }),
                0.0,
            ),
        );
    }
    if let Some(n) = followers.filter(|n| *n >= INFLUENCER_REACH_FOLLOWERS) {
        applied.add(
            Category::Influencer,
            Reason::new(
                "large_audience",
                wording.say(|| format!("Has a large audience of {n} followers")),
                0.0,
            ),
        );
    }
}

fn job_seeker(input: &CategoryInputs<'_>, applied: &mut Applied) {
    let wording = input.wording;
    let signals = input.signals;
    let reason = if input.profile.flags.open_to_work == Some(true) {
        Reason::new(
            "open_to_work_flag",
            wording.say(|| "Profile has the open-to-work flag".into()),
            0.0,
        )
    } else if let Some(phrase) = signals.job_seeking {
        Reason::new(
            "open_to_work_phrase",
            wording.say(|| format!("Profile says \"{phrase}\"")),
            0.0,
        )
    } else if let Some(phrase) = signals.student_or_graduate {
        Reason::new(
            "student_or_recent_graduate",
            wording.say(|| format!("Profile says \"{phrase}\"")),
            0.0,
        )
    } else if let Some(phrase) = signals.aspiring {
        Reason::new(
            "aspiring_title",
            wording.say(|| format!("Profile says \"{phrase}\"")),
            0.0,
        )
    } else {
        return;
    };
    applied.add(Category::JobSeeker, reason);
}

/// DORMANT (SPEC "Hard cases"): the last activity is known and older than 180 days, or
/// activity is unknown and the profile is nearly empty (no headline, title, company or bio)
/// with few connections, few posts or no photo. Following the account is no sign of life.
fn dormancy(profile: &FollowerProfile, as_of: Timestamp, wording: Wording) -> Option<Reason> {
    if let Some(last) = profile.last_active_at {
        let days = as_of.days_since(last);
        return (days > DORMANT_AFTER_DAYS).then(|| {
            Reason::new(
                "no_recent_activity",
                wording.say(|| format!("No activity for {} days", days.floor())),
                0.0,
            )
        });
    }
    let empty = profile.headline.is_none()
        && profile.title.is_none()
        && profile.company.is_none()
        && profile.bio.is_none();
    if !empty {
        return None;
    }
    let few_connections = profile
        .counts
        .connections
        .is_some_and(|n| n < DORMANT_FEW_CONNECTIONS);
    let few_posts = profile.counts.posts.is_some_and(|n| n < DORMANT_FEW_POSTS);
    let no_photo =
        profile.flags.has_photo == Some(false) || profile.flags.default_profile_image == Some(true);
    (few_connections || few_posts || no_photo).then(|| {
        Reason::new(
            "nearly_empty_profile",
            wording.say(|| "Nearly empty profile and no activity known".into()),
            0.0,
        )
    })
}
