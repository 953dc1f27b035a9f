//! Bot reasons: turns the model's signed per-feature contributions into a few `Reason`s a
//! salesperson can read ("Follows 2,001 accounts but has 3 followers").
//!
//! Related features are summed into one signal (the follower and following counts, their
//! ratio and their daily rates are all "the follow balance"), the signals are ranked by the
//! size of their contribution, and each gets a stable snake_case code that depends on the
//! direction of its push. This module computes nothing about the model itself.

use super::features::{Feature, Features};
use crate::engine::profile::FollowerProfile;
use crate::engine::reasons::Reason;

/// At most this many contribution reasons are returned, strongest first.
const MAX_REASONS: usize = 5;

/// Contributions smaller than this (in probability) are noise, not reasons.
const MIN_WEIGHT: f64 = 0.005;

pub(super) struct Evidence<'a> {
    pub profile: &'a FollowerProfile,
    pub features: &'a Features,
    /// Per feature, in probability units; they sum to probability minus prior.
    pub contributions: &'a [f64; super::features::FEATURE_COUNT],
    pub missing_signals: &'a [&'static str],
    /// For organisation pages: the (negative) change the ceiling made.
    pub organization_adjustment: Option<f64>,
}

#[derive(Clone, Copy)]
enum Signal {
    FollowBalance,
    Posting,
    Likes,
    Lists,
    Age,
    Theme,
    Photo,
    Standing,
    Website,
    Location,
    Bio,
    Name,
    ScreenName,
}

impl Signal {
    const ALL: [Signal; 13] = [
        Signal::FollowBalance,
        Signal::Posting,
        Signal::Likes,
        Signal::Lists,
        Signal::Age,
        Signal::Theme,
        Signal::Photo,
        Signal::Standing,
        Signal::Website,
        Signal::Location,
        Signal::Bio,
        Signal::Name,
        Signal::ScreenName,
    ];

    fn features(self) -> &'static [Feature] {
        match self {
            Signal::FollowBalance => &[
                Feature::FollowersLog,
                Feature::FollowingLog,
                Feature::FollowingToFollowersLogRatio,
                Feature::FollowingPerDayLog,
                Feature::FollowersPerDayLog,
            ],
            Signal::Posting => &[Feature::PostsLog, Feature::PostsPerDayLog],
            Signal::Likes => &[Feature::LikesLog, Feature::LikesPerDayLog],
            Signal::Lists => &[Feature::ListedLog, Feature::ListedPerThousandFollowersLog],
            Signal::Age => &[Feature::AccountAgeDaysLog],
            Signal::Theme => &[Feature::DefaultProfile],
            Signal::Photo => &[Feature::DefaultProfileImage],
            Signal::Standing => &[Feature::Verified, Feature::Protected],
            Signal::Website => &[Feature::HasUrl],
            Signal::Location => &[Feature::HasLocation],
            Signal::Bio => &[Feature::BioLength, Feature::BioLinksAndTags],
            Signal::Name => &[Feature::NameLength, Feature::NameWords, Feature::NameDigits],
            Signal::ScreenName => &[
                Feature::HandleLength,
                Feature::HandleDigits,
                Feature::HandleNameOverlap,
            ],
        }
    }

    /// Code and message for a push towards "bot" (`towards_bot`) or towards "real person".
    fn describe(self, evidence: &Evidence<'_>, towards_bot: bool) -> (&'static str, String) {
        let profile = evidence.profile;
        let counts = &profile.counts;
        let followers = counts.followers.or(counts.connections);
        let following = counts.following.or(counts.connections);
        let f = |feature| evidence.features.get(feature);
        match (self, towards_bot) {
            (Signal::FollowBalance, true) => match (following, followers) {
                (Some(following), Some(followers))
                    if following > followers.saturating_mul(2).saturating_add(10) =>
                {
                    (
                        "bot_following_far_exceeds_followers",
                        format!(
                            "Follows {} accounts but only {} follow it back, the pattern of bought followers",
                            thousands(following),
                            thousands(followers)
                        ),
                    )
                }
                _ => (
                    "bot_unusual_follow_pattern",
                    format!(
                        "Its network ({} followers, {} following) looks like that of fake accounts",
                        count_or_unknown(followers),
                        count_or_unknown(following)
                    ),
                ),
            },
            (Signal::FollowBalance, false) => (
                "bot_follow_balance_looks_real",
                format!(
                    "Its network ({} followers, {} following) looks like a real person's",
                    count_or_unknown(followers),
                    count_or_unknown(following)
                ),
            ),
            (Signal::Posting, true) if counts.posts == Some(0) => {
                ("bot_no_posts", "Has never posted anything".to_owned())
            }
            (Signal::Posting, true) if counts.posts.is_some_and(|posts| posts >= 1_000) => (
                "bot_posting_pattern",
                format!(
                    "Its posting ({} posts{}) looks like that of automated accounts",
                    count_or_unknown(counts.posts),
                    per_day_note(f(Feature::PostsPerDayLog))
                ),
            ),
            (Signal::Posting, true) => (
                "bot_few_posts",
                format!(
                    "Posts rarely ({} posts{})",
                    count_or_unknown(counts.posts),
                    per_day_note(f(Feature::PostsPerDayLog))
                ),
            ),
            (Signal::Posting, false) => (
                "bot_posts_regularly",
                format!(
                    "Posts regularly ({} posts{})",
                    count_or_unknown(counts.posts),
                    per_day_note(f(Feature::PostsPerDayLog))
                ),
            ),
            (Signal::Likes, true) if counts.likes.is_some_and(|likes| likes >= 100) => (
                "bot_likes_pattern",
                format!(
                    "Its likes ({}) look like those of automated accounts",
                    count_or_unknown(counts.likes)
                ),
            ),
            (Signal::Likes, true) => (
                "bot_few_likes",
                format!("Has liked few posts ({})", count_or_unknown(counts.likes)),
            ),
            (Signal::Likes, false) => (
                "bot_likes_content",
                format!(
                    "Likes other people's posts ({} likes)",
                    count_or_unknown(counts.likes)
                ),
            ),
            (Signal::Lists, true) => (
                "bot_not_on_lists",
                format!(
                    "Few people have put it on a public list ({})",
                    count_or_unknown(counts.listed)
                ),
            ),
            (Signal::Lists, false) => (
                "bot_on_public_lists",
                format!("Is on {} public lists", count_or_unknown(counts.listed)),
            ),
            (Signal::Age, true) => (
                "bot_new_account",
                format!(
                    "The account is young ({} days old)",
                    days(f(Feature::AccountAgeDaysLog))
                ),
            ),
            (Signal::Age, false) => (
                "bot_established_account",
                format!(
                    "The account is established ({} days old)",
                    days(f(Feature::AccountAgeDaysLog))
                ),
            ),
            (Signal::Theme, true) => (
                "bot_default_profile",
                "Kept the platform's default profile design".to_owned(),
            ),
            (Signal::Theme, false) => (
                "bot_customised_profile",
                "Customised the profile's design".to_owned(),
            ),
            // Worded by the fact, never by the direction of the push: a profile without a
            // photo is never said to have one, whichever way the model weighed it.
            (Signal::Photo, _) if f(Feature::DefaultProfileImage) == 1.0 => (
                "bot_default_profile_image",
                "Has no profile photo (the default avatar)".to_owned(),
            ),
            (Signal::Photo, _) => (
                "bot_has_profile_photo",
                "Has a profile photo of its own".to_owned(),
            ),
            (Signal::Standing, true) => (
                "bot_account_standing",
                "Its verified/protected status is typical of fake accounts".to_owned(),
            ),
            (Signal::Standing, false) => (
                "bot_account_standing_real",
                "Its verified/protected status is typical of real people".to_owned(),
            ),
            (Signal::Website, _) if f(Feature::HasUrl) == 0.0 => {
                ("bot_no_url", "Gives no website".to_owned())
            }
            (Signal::Website, _) => ("bot_has_url", "Links to a website".to_owned()),
            (Signal::Location, true) => {
                let code = if f(Feature::HasLocation) == 0.0 {
                    "bot_no_location"
                } else {
                    "bot_location_unusual"
                };
                (
                    code,
                    "Its location field looks like that of fake accounts".to_owned(),
                )
            }
            (Signal::Location, false) if f(Feature::HasLocation) == 0.0 => {
                ("bot_no_location", "States no location".to_owned())
            }
            (Signal::Location, false) => ("bot_has_location", "States a location".to_owned()),
            (Signal::Bio, true) if f(Feature::BioLength) == 0.0 => {
                ("bot_empty_bio", "Has an empty bio".to_owned())
            }
            (Signal::Bio, true) => (
                "bot_thin_bio",
                format!(
                    "Its bio is short or generic ({} characters)",
                    f(Feature::BioLength)
                ),
            ),
            (Signal::Bio, false) if f(Feature::BioLength) == 0.0 => {
                ("bot_empty_bio", "Has an empty bio".to_owned())
            }
            (Signal::Bio, false) => (
                "bot_has_bio",
                "Has a bio that describes a real person".to_owned(),
            ),
            (Signal::Name, true) => (
                "bot_unusual_name",
                "Its display name does not look like a person's name".to_owned(),
            ),
            (Signal::Name, false) => (
                "bot_name_looks_real",
                "Its display name looks like a person's name".to_owned(),
            ),
            (Signal::ScreenName, true) if f(Feature::HandleDigits) >= 3.0 => (
                "bot_screen_name_digits",
                format!(
                    "Its screen name is padded with digits ({} of them)",
                    f(Feature::HandleDigits)
                ),
            ),
            (Signal::ScreenName, true) => (
                "bot_screen_name_unlike_name",
                "Its screen name does not match its display name".to_owned(),
            ),
            (Signal::ScreenName, false) => (
                "bot_screen_name_matches_name",
                "Its screen name matches its display name".to_owned(),
            ),
        }
    }
}

/// The reasons for `evidence`, strongest first, then the signals it lacked; only the first
/// `limit` are worded (a result keeps a few, and wording is most of their cost).
pub(super) fn reasons(evidence: &Evidence<'_>, limit: usize) -> Vec<Reason> {
    let mut ranked: Vec<(Signal, f64)> = Signal::ALL
        .iter()
        .map(|signal| {
            let weight = signal
                .features()
                .iter()
                .map(|feature| evidence.contributions[feature.index()])
                .sum::<f64>();
            (*signal, weight)
        })
        .filter(|(_, weight)| weight.abs() >= MIN_WEIGHT)
        .collect();
    ranked.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));

    let mut reasons = Vec::with_capacity((MAX_REASONS + 2).min(limit));
    if let Some(adjustment) = evidence.organization_adjustment
        && reasons.len() < limit
    {
        reasons.push(Reason::new(
            "bot_organization_page",
            "A company or brand page, not a fake follower",
            adjustment,
        ));
    }
    for (signal, weight) in ranked.into_iter().take(MAX_REASONS) {
        if reasons.len() >= limit {
            return reasons;
        }
        let (code, message) = signal.describe(evidence, weight > 0.0);
        reasons.push(Reason::new(code, message, weight));
    }
    if !evidence.missing_signals.is_empty() && reasons.len() < limit {
        reasons.push(Reason::new(
            "bot_signals_missing",
            format!(
                "Judged without {}: the profile did not include them, so the bot estimate is less certain",
                evidence.missing_signals.join(", ")
            ),
            0.0,
        ));
    }
    reasons
}

fn count_or_unknown(count: Option<u64>) -> String {
    count.map_or_else(|| "unknown".to_owned(), thousands)
}

fn days(log_days: f64) -> String {
    if log_days.is_nan() {
        "unknown".to_owned()
    } else {
        format!("{:.0}", log_days.exp())
    }
}

fn per_day_note(log_rate: f64) -> String {
    if log_rate.is_nan() {
        String::new()
    } else {
        format!(", {:.2} a day", log_rate.exp_m1())
    }
}

/// 12345 → "12,345".
fn thousands(count: u64) -> String {
    // Digits from the right, a comma before every third; at most 26 bytes for a u64.
    let mut buffer = [0u8; 26];
    let mut at = buffer.len();
    let mut rest = count;
    let mut written = 0;
    loop {
        if written > 0 && written % 3 == 0 {
            at -= 1;
            buffer[at] = b',';
        }
        at -= 1;
        buffer[at] = b'0' + (rest % 10) as u8;
        written += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    buffer[at..].iter().map(|b| char::from(*b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::bot::features::FEATURE_COUNT;
    use crate::engine::ids::{FollowerId, FollowerKey};
    use crate::engine::vocabulary::Platform;

    /// Found by the property tests: twice a follower count above u64::MAX / 2 overflowed
    /// (a panic with overflow checks, a wrong reason without). Importers accept any count
    /// a file states.
    #[test]
    fn huge_follower_counts_do_not_overflow_the_follow_balance_reason() {
        let mut profile = FollowerProfile::new(FollowerKey {
            platform: Platform::Twitter,
            id: FollowerId::parse("f-1").unwrap(),
        });
        profile.counts.followers = Some(9_223_372_036_854_775_803);
        profile.counts.following = Some(70_472);
        let features = Features([f64::NAN; FEATURE_COUNT]);
        let evidence = Evidence {
            profile: &profile,
            features: &features,
            contributions: &[0.0; FEATURE_COUNT],
            missing_signals: &[],
            organization_adjustment: None,
        };
        let (code, _) = Signal::FollowBalance.describe(&evidence, true);
        assert_eq!(code, "bot_unusual_follow_pattern");
        let mut most = profile.clone();
        most.counts.followers = Some(u64::MAX);
        most.counts.following = Some(u64::MAX);
        let evidence = Evidence {
            profile: &most,
            ..evidence
        };
        let (code, _) = Signal::FollowBalance.describe(&evidence, true);
        assert_eq!(code, "bot_unusual_follow_pattern");
    }

    #[test]
    fn a_profile_without_a_photo_is_never_said_to_have_one() {
        let profile = FollowerProfile::new(FollowerKey {
            platform: Platform::Twitter,
            id: FollowerId::parse("9").unwrap(),
        });
        let mut values = [f64::NAN; FEATURE_COUNT];
        values[Feature::DefaultProfileImage.index()] = 1.0;
        values[Feature::HasLocation.index()] = 0.0;
        let features = Features(values);
        // The model pushed towards "real person" on both (a training-data artefact).
        let mut contributions = [0.0; FEATURE_COUNT];
        contributions[Feature::DefaultProfileImage.index()] = -0.05;
        contributions[Feature::HasLocation.index()] = -0.02;
        let reasons = reasons(
            &Evidence {
                profile: &profile,
                features: &features,
                contributions: &contributions,
                missing_signals: &[],
                organization_adjustment: None,
            },
            usize::MAX,
        );
        let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_ref()).collect();
        assert_eq!(codes, ["bot_default_profile_image", "bot_no_location"]);
        assert!(reasons.iter().all(|r| !r.message.contains("of its own")));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
