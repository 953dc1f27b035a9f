//! The follower profile: everything a caller may know about one follower (SPEC §2).
//!
//! Every field but the key is optional, and `None` means "not known", never zero: a missing
//! follower count must not be scored as a count of 0. Importers and the gRPC conversion
//! build this type; the engine only reads it.

use serde::{Deserialize, Serialize};

use super::ids::FollowerKey;
use super::time::Timestamp;
use super::vocabulary::EngagementType;

/// Public counters of a social profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileCounts {
    pub followers: Option<u64>,
    pub following: Option<u64>,
    /// Posts, tweets (`statuses_count`).
    pub posts: Option<u64>,
    /// Likes given (`favourites_count`).
    pub likes: Option<u64>,
    /// Public lists the account is on (`listed_count`).
    pub listed: Option<u64>,
    /// LinkedIn connections.
    pub connections: Option<u64>,
}

/// Yes/no facts about a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFlags {
    /// The platform's untouched default theme/profile.
    pub default_profile: Option<bool>,
    /// The platform's default avatar ("egg").
    pub default_profile_image: Option<bool>,
    pub verified: Option<bool>,
    pub protected: Option<bool>,
    /// The platform's open-to-work flag.
    pub open_to_work: Option<bool>,
    /// A photo other than the platform default (LinkedIn exports say this directly).
    pub has_photo: Option<bool>,
    /// A company or brand page rather than a person.
    pub is_organization: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowerProfile {
    pub key: FollowerKey,
    pub handle: Option<String>,
    pub display_name: Option<String>,
    /// LinkedIn headline or the first line of a bio.
    pub headline: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub company_domain: Option<String>,
    pub industry: Option<String>,
    /// Employees at the follower's company.
    pub company_size: Option<u64>,
    pub location: Option<String>,
    pub country: Option<String>,
    pub bio: Option<String>,
    pub url: Option<String>,
    /// Language code the platform reports (`lang`).
    pub lang: Option<String>,
    pub counts: ProfileCounts,
    pub flags: ProfileFlags,
    pub created_at: Option<Timestamp>,
    pub last_active_at: Option<Timestamp>,
    /// When this person followed the account.
    pub followed_at: Option<Timestamp>,
    pub unfollowed_at: Option<Timestamp>,
    /// When the profile data was captured (an export's crawl time); account age and
    /// activity are measured as of this time. `None` means "as of scoring".
    pub observed_at: Option<Timestamp>,
}

impl FollowerProfile {
    /// A bare profile: the key and nothing else known.
    pub fn new(key: FollowerKey) -> Self {
        Self {
            key,
            handle: None,
            display_name: None,
            headline: None,
            title: None,
            company: None,
            company_domain: None,
            industry: None,
            company_size: None,
            location: None,
            country: None,
            bio: None,
            url: None,
            lang: None,
            counts: ProfileCounts::default(),
            flags: ProfileFlags::default(),
            created_at: None,
            last_active_at: None,
            followed_at: None,
            unfollowed_at: None,
            observed_at: None,
        }
    }
}

/// One engagement event, deduplicated by `event_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementEvent {
    pub event_id: String,
    pub kind: EngagementType,
    pub occurred_at: Timestamp,
}
