//! What the service's unit tests (and the transport's) start from: a service on a fresh
//! store with the shipped bot model, and the shipped example followers.

use std::path::Path;

use crate::engine::bot::shipped_model;
use crate::engine::ids::AccountId;
use crate::engine::profile::FollowerProfile;
use crate::engine::time::Timestamp;

use super::{Limits, ScoreItem, Service};

/// A service on the store in `dir` (new, or one a dropped service used), with the shipped
/// bot model and default limits.
pub(crate) fn open_service(dir: &Path) -> Service {
    let store = crate::store::reopen_when_released(|| crate::store::open_at(dir));
    Service::open(store, shipped_model(), Limits::default()).expect("a service on the store")
}

/// The followers of `examples/FILE` that import without error, in file order.
pub(crate) fn example_followers(file: &str) -> Vec<FollowerProfile> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(file);
    let (_, rows) = crate::import::open_followers(&path, None).expect("a shipped example file");
    rows.filter_map(|row| row.outcome.ok()).collect()
}

/// Scores `profiles` for `account` at `now`, without engagement, and waits until the write
/// is durable; every follower must score.
pub(crate) fn score_profiles(
    service: &Service,
    account: &AccountId,
    profiles: &[FollowerProfile],
    now: Timestamp,
) {
    let items = profiles
        .iter()
        .map(|profile| ScoreItem {
            profile: profile.clone(),
            events: Vec::new(),
        })
        .collect();
    for result in service
        .score_followers(account, items, now)
        .expect("the account takes the write")
        .wait()
        .expect("the write is durable")
    {
        result.expect("the follower scores");
    }
}
