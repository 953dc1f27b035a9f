//! The bot model's features, computed by one function from a `FollowerProfile` alone.
//!
//! Training (`bot_training`), evaluation and the service all call `extract`, so an RPC, an
//! X API object and a CSV row of the same account give the same features and therefore the
//! same probability. A feature the profile cannot support is `NaN` ("missing"), never 0:
//! the forest then averages over both sides of every split on it (see `forest.rs`).
//!
//! This module does not know the model, the reasons' wording or any input format. It
//! deliberately uses no colours, time zone, UTC offset, `lang`, geo flag or id number: those
//! separate the 2013 research groups by artefact rather than by what a fake follower is, and
//! the service's profile type does not carry most of them anyway.

use crate::engine::profile::FollowerProfile;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Platform;

macro_rules! features {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// One model input. The order is the column order of the model file; the file lists
        /// the names and loading checks them, so a reordering cannot go unnoticed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Feature { $($variant),+ }

        impl Feature {
            pub const ALL: &'static [Feature] = &[$(Feature::$variant),+];

            /// Stable snake_case name, as written in the model file.
            pub const fn name(self) -> &'static str {
                match self { $(Feature::$variant => $name),+ }
            }

            pub const fn index(self) -> usize {
                self as usize
            }
        }
    };
}

features!(
    FollowersLog => "followers_log",
    FollowingLog => "following_log",
    PostsLog => "posts_log",
    LikesLog => "likes_log",
    ListedLog => "listed_log",
    FollowingToFollowersLogRatio => "following_to_followers_log_ratio",
    AccountAgeDaysLog => "account_age_days_log",
    PostsPerDayLog => "posts_per_day_log",
    FollowingPerDayLog => "following_per_day_log",
    FollowersPerDayLog => "followers_per_day_log",
    LikesPerDayLog => "likes_per_day_log",
    ListedPerThousandFollowersLog => "listed_per_thousand_followers_log",
    DefaultProfile => "default_profile",
    DefaultProfileImage => "default_profile_image",
    Verified => "verified",
    Protected => "protected",
    HasUrl => "has_url",
    HasLocation => "has_location",
    BioLength => "bio_length",
    BioLinksAndTags => "bio_links_and_tags",
    NameLength => "name_length",
    NameWords => "name_words",
    NameDigits => "name_digits",
    HandleLength => "handle_length",
    HandleDigits => "handle_digits",
    HandleNameOverlap => "handle_name_overlap",
);

pub const FEATURE_COUNT: usize = Feature::ALL.len();

/// One profile's feature values, indexed by `Feature::index`; `NaN` is missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features(pub [f64; FEATURE_COUNT]);

impl Features {
    pub fn get(&self, feature: Feature) -> f64 {
        self.0[feature.index()]
    }

    pub fn is_missing(&self, feature: Feature) -> bool {
        self.get(feature).is_nan()
    }
}

/// Profile signals the model reads, named as in `BotAssessment::missing_signals`.
pub mod signal {
    pub const FOLLOWERS: &str = "followers";
    pub const FOLLOWING: &str = "following";
    pub const POSTS: &str = "posts";
    pub const LIKES: &str = "likes";
    pub const LISTED: &str = "listed";
    pub const CREATED_AT: &str = "created_at";
    pub const DEFAULT_PROFILE: &str = "default_profile";
    pub const PHOTO: &str = "default_profile_image";
    pub const URL: &str = "url";
    pub const LOCATION: &str = "location";
    pub const BIO: &str = "bio";
    pub const DISPLAY_NAME: &str = "display_name";
    pub const HANDLE: &str = "handle";
}

/// Whether a profile is a full X user object: X always returns `description`, `url` and
/// `location` (empty when the user left them blank), so on such a profile an absent text
/// field means "empty", while on any other profile it means "not known".
fn is_full_x_profile(profile: &FollowerProfile) -> bool {
    let counts = &profile.counts;
    profile.key.platform == Platform::Twitter
        && (counts.followers.is_some() || counts.following.is_some() || counts.posts.is_some())
}

/// Computes the features of `profile` as of `as_of`; account age is measured to the
/// profile's own `observed_at` when it has one, because its counts were captured then.
pub fn extract(profile: &FollowerProfile, as_of: Timestamp) -> Features {
    let mut values = [f64::NAN; FEATURE_COUNT];
    set_age_dependent(&mut values, profile, as_of);
    let mut set = |feature: Feature, value: Option<f64>| {
        values[feature.index()] = value.unwrap_or(f64::NAN);
    };
    let counts = &profile.counts;
    let (followers, following) = network(profile);
    let log = |count: Option<u64>| count.map(|count| (count as f64).ln_1p());
    set(Feature::FollowersLog, log(followers));
    set(Feature::FollowingLog, log(following));
    set(Feature::PostsLog, log(counts.posts));
    set(Feature::LikesLog, log(counts.likes));
    set(Feature::ListedLog, log(counts.listed));
    set(
        Feature::FollowingToFollowersLogRatio,
        following.zip(followers).map(|(following, followers)| {
            ((following as f64 + 1.0) / (followers as f64 + 1.0)).ln()
        }),
    );
    set(
        Feature::ListedPerThousandFollowersLog,
        counts
            .listed
            .zip(followers)
            .map(|(listed, followers)| (1000.0 * listed as f64 / (followers as f64 + 1.0)).ln_1p()),
    );

    let flag = |value: Option<bool>| value.map(|flag| if flag { 1.0 } else { 0.0 });
    let flags = &profile.flags;
    set(Feature::DefaultProfile, flag(flags.default_profile));
    set(
        Feature::DefaultProfileImage,
        flag(
            flags
                .default_profile_image
                .or(flags.has_photo.map(|photo| !photo)),
        ),
    );
    set(Feature::Verified, flag(flags.verified));
    set(Feature::Protected, flag(flags.protected));

    let full_x = is_full_x_profile(profile);
    // The website field is an X notion; other platforms' exports put the profile's own
    // address in `url`, which says nothing about the person.
    let url = if profile.key.platform == Platform::Twitter {
        value_or_blank(profile.url.as_deref(), full_x)
    } else {
        None
    };
    set(Feature::HasUrl, url.map(|url| flag_of(!url.is_empty())));
    set(
        Feature::HasLocation,
        value_or_blank(profile.location.as_deref(), full_x)
            .map(|location| flag_of(!location.is_empty())),
    );
    let bio = match (&profile.bio, &profile.headline) {
        (None, Some(headline)) => Some(headline.trim()),
        (bio, _) => value_or_blank(bio.as_deref(), full_x),
    };
    set(
        Feature::BioLength,
        bio.map(|bio| bio.chars().count() as f64),
    );
    set(
        Feature::BioLinksAndTags,
        bio.map(|bio| links_and_tags(bio) as f64),
    );

    let name = profile.display_name.as_deref().map(str::trim);
    set(
        Feature::NameLength,
        name.map(|name| name.chars().count() as f64),
    );
    set(
        Feature::NameWords,
        name.map(|name| name.split_whitespace().count() as f64),
    );
    set(Feature::NameDigits, name.map(|name| digits(name) as f64));

    // Screen-name statistics are an X notion: other platforms generate vanity slugs with
    // random digits for real people.
    let handle = profile
        .handle
        .as_deref()
        .map(|handle| handle.trim().trim_start_matches('@'))
        .filter(|_| profile.key.platform == Platform::Twitter);
    set(
        Feature::HandleLength,
        handle.map(|handle| handle.chars().count() as f64),
    );
    set(
        Feature::HandleDigits,
        handle.map(|handle| digits(handle) as f64),
    );
    set(
        Feature::HandleNameOverlap,
        handle
            .zip(name)
            .map(|(handle, name)| name_overlap(handle, name)),
    );
    Features(values)
}

/// The features that depend on the moment of assessment, as `extract` sets them (the
/// account's age and the rates over it); every other feature is `NaN` here. Two moments
/// whose values here rank alike among a model's thresholds are the same to the model.
pub fn age_dependent(profile: &FollowerProfile, as_of: Timestamp) -> Features {
    let mut values = [f64::NAN; FEATURE_COUNT];
    set_age_dependent(&mut values, profile, as_of);
    Features(values)
}

fn set_age_dependent(
    values: &mut [f64; FEATURE_COUNT],
    profile: &FollowerProfile,
    as_of: Timestamp,
) {
    let mut set = |feature: Feature, value: Option<f64>| {
        values[feature.index()] = value.unwrap_or(f64::NAN);
    };
    let counts = &profile.counts;
    let (followers, following) = network(profile);
    let now = profile.observed_at.unwrap_or(as_of);
    // At least one day, so that an account created on the crawl day has finite rates.
    let age_days = profile
        .created_at
        .map(|created| now.days_since(created).max(1.0));
    set(Feature::AccountAgeDaysLog, age_days.map(f64::ln));
    let per_day = |count: Option<u64>| {
        count
            .zip(age_days)
            .map(|(count, days)| (count as f64 / days).ln_1p())
    };
    set(Feature::PostsPerDayLog, per_day(counts.posts));
    set(Feature::FollowingPerDayLog, per_day(following));
    set(Feature::FollowersPerDayLog, per_day(followers));
    set(Feature::LikesPerDayLog, per_day(counts.likes));
}

/// Followers and following. A LinkedIn connection is a mutual follow; with no separate
/// follower/following counts it stands for both, so a sparse network still reads as sparse.
fn network(profile: &FollowerProfile) -> (Option<u64>, Option<u64>) {
    let counts = &profile.counts;
    match (counts.followers, counts.following, counts.connections) {
        (None, None, Some(connections)) if profile.key.platform != Platform::Twitter => {
            (Some(connections), Some(connections))
        }
        (followers, following, _) => (followers, following),
    }
}

/// The profile signals the model would use (`used`: the features its trees split on) but
/// the profile lacks, in a stable order.
pub fn missing_signals(features: &Features, used: &[bool; FEATURE_COUNT]) -> Vec<&'static str> {
    let checks: [(&'static str, &[Feature]); 13] = [
        (signal::FOLLOWERS, &[Feature::FollowersLog]),
        (signal::FOLLOWING, &[Feature::FollowingLog]),
        (signal::POSTS, &[Feature::PostsLog]),
        (signal::LIKES, &[Feature::LikesLog]),
        (signal::LISTED, &[Feature::ListedLog]),
        (
            signal::CREATED_AT,
            &[Feature::PostsPerDayLog, Feature::FollowingPerDayLog],
        ),
        (signal::DEFAULT_PROFILE, &[Feature::DefaultProfile]),
        (signal::PHOTO, &[Feature::DefaultProfileImage]),
        (signal::URL, &[Feature::HasUrl]),
        (signal::LOCATION, &[Feature::HasLocation]),
        (signal::BIO, &[Feature::BioLength]),
        (signal::DISPLAY_NAME, &[Feature::NameLength]),
        (signal::HANDLE, &[Feature::HandleLength]),
    ];
    checks
        .iter()
        .filter(|(_, features_of_signal)| {
            features_of_signal
                .iter()
                .any(|feature| used[feature.index()])
                && features_of_signal
                    .iter()
                    .all(|feature| features.is_missing(*feature))
        })
        .map(|(name, _)| *name)
        .collect()
}

/// A text field, trimmed; on a full X profile an absent one is blank (see `is_full_x_profile`).
fn value_or_blank(value: Option<&str>, full_x: bool) -> Option<&str> {
    match value {
        Some(text) => Some(text.trim()),
        None if full_x => Some(""),
        None => None,
    }
}

fn flag_of(value: bool) -> f64 {
    if value { 1.0 } else { 0.0 }
}

fn digits(text: &str) -> usize {
    text.chars().filter(char::is_ascii_digit).count()
}

/// Links, @mentions and #tags in a bio: real bios point somewhere; generated ones rarely do.
fn links_and_tags(bio: &str) -> usize {
    // "http" and "www." in any case. Only ASCII letters lower-case to these letters, neither
    // word can overlap itself, and ASCII bytes never occur inside a longer UTF-8 sequence,
    // so counting the windows that match is counting the matches in the lower-cased text.
    let words = bio
        .as_bytes()
        .windows(4)
        .filter(|window| {
            window.eq_ignore_ascii_case(b"http") || window.eq_ignore_ascii_case(b"www.")
        })
        .count();
    words + bio.bytes().filter(|b| *b == b'@' || *b == b'#').count()
}

/// How much of the screen name's letters spell a run of the display name's letters: the
/// longest common substring of the two (letters only, lowercase) over the screen name's
/// letter count. "mariorossi" for "Mario Rossi" is 1.0; "xk7qz8812" for "Anna" is 0.
fn name_overlap(handle: &str, name: &str) -> f64 {
    fn letters(text: &str) -> impl Iterator<Item = char> + '_ {
        text.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
    }
    // Names are short: their letters and the programme's two rows live on the stack.
    const SHORT: usize = 64;
    let mut short = ['\0'; SHORT];
    let mut long = Vec::new();
    let mut count = 0;
    for letter in letters(name) {
        if count < SHORT {
            short[count] = letter;
        } else {
            if count == SHORT {
                long.extend_from_slice(&short);
            }
            long.push(letter);
        }
        count += 1;
    }
    let name: &[char] = if count <= SHORT {
        &short[..count]
    } else {
        &long
    };
    let handle_letters = letters(handle).count();
    if handle_letters == 0 || name.is_empty() {
        return 0.0;
    }
    // Classic dynamic programme over one row; screen names are at most 15 characters.
    let mut rows = [[0usize; SHORT + 1]; 2];
    let mut long_rows = Vec::new();
    let (previous, current): (&mut [usize], &mut [usize]) = if name.len() <= SHORT {
        let [previous, current] = &mut rows;
        (&mut previous[..=name.len()], &mut current[..=name.len()])
    } else {
        long_rows.resize(2 * (name.len() + 1), 0);
        long_rows.split_at_mut(name.len() + 1)
    };
    let mut best = 0usize;
    for h in letters(handle) {
        for (j, n) in name.iter().enumerate() {
            current[j + 1] = if h == *n { previous[j] + 1 } else { 0 };
            best = best.max(current[j + 1]);
        }
        previous.copy_from_slice(current);
    }
    best as f64 / handle_letters as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::{FollowerId, FollowerKey};
    use crate::import::twitter::{profile_from_csv, profile_from_json};
    use serde_json::json;

    const AS_OF: Timestamp = Timestamp(1_423_911_289); // 2015-02-14 10:54:49, the crawl time

    fn same(a: &Features, b: &Features) -> bool {
        a.0.iter()
            .zip(b.0.iter())
            .all(|(x, y)| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12)
    }

    fn csv_features() -> Features {
        let text = "id,name,screen_name,statuses_count,followers_count,friends_count,favourites_count,listed_count,created_at,url,location,default_profile,default_profile_image,protected,verified,description,updated,dataset,is_fake\n\
            77,Anna Bianchi,annabianchi82,120,15,950,3,0,Tue Jan 08 10:00:00 +0000 2013,,Milano,1,,,,\"Love #music\nand life\",2015-02-14 10:54:49,INT,1\n";
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let record = reader.records().next().unwrap().unwrap();
        extract(&profile_from_csv(&headers, &record).unwrap(), AS_OF)
    }

    #[test]
    fn same_account_gives_same_features_from_csv_v1_json_and_v2_json() {
        let v1 = json!({
            "id_str": "77", "name": "Anna Bianchi", "screen_name": "annabianchi82",
            "statuses_count": 120, "followers_count": 15, "friends_count": 950,
            "favourites_count": 3, "listed_count": 0,
            "created_at": "Tue Jan 08 10:00:00 +0000 2013", "url": null, "location": "Milano",
            "default_profile": true, "default_profile_image": false, "protected": false,
            "verified": false, "description": "Love #music\nand life"
        });
        let v2 = json!({"data": {
            "id": "77", "name": "Anna Bianchi", "username": "annabianchi82",
            "created_at": "2013-01-08T10:00:00.000Z", "location": "Milano",
            "description": "Love #music\nand life", "protected": false, "verified": false,
            "profile_image_url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
            "public_metrics": {"followers_count": 15, "following_count": 950,
                "tweet_count": 120, "listed_count": 0, "like_count": 3}
        }});
        let from_csv = csv_features();
        let from_v1 = extract(&profile_from_json(&v1).unwrap(), AS_OF);
        let mut from_v2 = extract(&profile_from_json(&v2).unwrap(), AS_OF);
        assert!(same(&from_csv, &from_v1), "{from_csv:?}\n{from_v1:?}");
        // v2 has no default-theme flag: that one feature is missing, the rest agree.
        assert!(from_v2.is_missing(Feature::DefaultProfile));
        from_v2.0[Feature::DefaultProfile.index()] = 1.0;
        assert!(same(&from_csv, &from_v2), "{from_csv:?}\n{from_v2:?}");
    }

    #[test]
    fn csv_features_have_the_expected_values() {
        let f = csv_features();
        assert_eq!(f.get(Feature::FollowingLog), 951f64.ln());
        assert!(
            (f.get(Feature::FollowingToFollowersLogRatio) - (951f64 / 16.0).ln()).abs() < 1e-12
        );
        assert_eq!(f.get(Feature::DefaultProfile), 1.0);
        assert_eq!(f.get(Feature::DefaultProfileImage), 0.0);
        assert_eq!(f.get(Feature::HasUrl), 0.0);
        assert_eq!(f.get(Feature::HasLocation), 1.0);
        assert_eq!(
            f.get(Feature::BioLength),
            "Love #music\nand life".chars().count() as f64
        );
        assert_eq!(f.get(Feature::BioLinksAndTags), 1.0);
        assert_eq!(f.get(Feature::NameWords), 2.0);
        assert_eq!(f.get(Feature::HandleDigits), 2.0);
        assert_eq!(f.get(Feature::HandleNameOverlap), 1.0);
        assert!(missing_signals(&f, &[true; FEATURE_COUNT]).is_empty());
    }

    #[test]
    fn linkedin_profile_without_x_counts_has_them_missing_not_zero() {
        let mut profile = FollowerProfile::new(FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse("li-1").unwrap(),
        });
        profile.display_name = Some("Jane Doe".into());
        profile.headline = Some("VP Sales at Acme".into());
        profile.handle = Some("jane-doe-4a5b6c7".into());
        profile.url = Some("https://www.linkedin.com/in/jane-doe-4a5b6c7".into());
        profile.flags.has_photo = Some(true);
        profile.counts.connections = Some(500);
        let f = extract(&profile, AS_OF);
        for missing in [
            Feature::PostsLog,
            Feature::LikesLog,
            Feature::ListedLog,
            Feature::PostsPerDayLog,
            Feature::DefaultProfile,
            Feature::HasUrl,
            Feature::HasLocation,
            Feature::HandleDigits,
            Feature::HandleNameOverlap,
        ] {
            assert!(f.is_missing(missing), "{missing:?} should be missing");
        }
        assert_eq!(f.get(Feature::FollowersLog), 501f64.ln());
        assert_eq!(f.get(Feature::FollowingToFollowersLogRatio), 0.0);
        assert_eq!(f.get(Feature::DefaultProfileImage), 0.0);
        assert_eq!(f.get(Feature::BioLength), 16.0);
        assert_eq!(
            missing_signals(&f, &[true; FEATURE_COUNT]),
            vec![
                "posts",
                "likes",
                "listed",
                "created_at",
                "default_profile",
                "url",
                "location",
                "handle"
            ]
        );
    }

    #[test]
    fn bare_profile_has_every_feature_missing() {
        let profile = FollowerProfile::new(FollowerKey {
            platform: Platform::Twitter,
            id: FollowerId::parse("1").unwrap(),
        });
        let f = extract(&profile, AS_OF);
        assert!(f.0.iter().all(|value| value.is_nan()));
    }

    #[test]
    fn screen_name_overlap_measures_name_likeness() {
        assert_eq!(name_overlap("mariorossi", "Mario Rossi"), 1.0);
        assert_eq!(name_overlap("xkqz8812", "Anna"), 0.0);
        assert_eq!(name_overlap("12345", "Anna"), 0.0);
        assert!((name_overlap("annab_1990", "Anna Bianchi") - 5.0 / 5.0).abs() < 1e-12);
    }

    /// `age_dependent` holds every feature that moves with the moment of assessment, as
    /// `extract` computes it: rescoring compares only these between two moments.
    #[test]
    fn only_the_age_dependent_features_move_with_the_moment() {
        let (earlier, later) = (AS_OF, Timestamp(AS_OF.0 + 3 * 365 * 86_400));
        let mut moved = 0;
        for file in ["followers_twitter.csv", "followers_twitter_v2.jsonl"] {
            for mut profile in crate::service::testing::example_followers(file) {
                profile.observed_at = None;
                let (at_earlier, at_later) = (extract(&profile, earlier), extract(&profile, later));
                let age = age_dependent(&profile, earlier);
                for feature in Feature::ALL {
                    let i = feature.index();
                    if age.0[i].is_nan() && !at_earlier.0[i].is_nan() {
                        assert_eq!(at_earlier.0[i].to_bits(), at_later.0[i].to_bits());
                    } else {
                        assert_eq!(age.0[i].to_bits(), at_earlier.0[i].to_bits());
                    }
                }
                moved += usize::from(!same(&at_earlier, &at_later));
            }
        }
        assert!(moved > 0);
    }
}
