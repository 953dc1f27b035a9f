//! What the fuzz targets share: a fixed clock, and the example account's scoring context
//! (company lists, ICP), so that what a parser yields also goes through scoring.
#![allow(dead_code)]

use std::sync::{Arc, LazyLock};

use followscore::engine::bot;
use followscore::engine::context::ScoringContext;
use followscore::engine::deciding::engagement::EngagementSummary;
use followscore::engine::profile::FollowerProfile;
use followscore::engine::score::score;
use followscore::engine::time::Timestamp;
use followscore::grpc::pb;

/// 2026-05-28: a fixed `now`, so a crash replays.
pub const NOW: Timestamp = Timestamp::from_unix_seconds(1_780_000_000);

pub static CONTEXT: LazyLock<ScoringContext> = LazyLock::new(|| {
    let codec = followscore::cli::json::JsonCodec::new().expect("descriptors");
    let account: pb::Account = codec
        .parse(
            "followscore.v1.Account",
            include_str!("../../examples/account.json"),
        )
        .expect("the example account parses");
    let mut config =
        followscore::grpc::convert::account(&account, &followscore::service::Limits::default())
            .expect("the example account converts");
    config.config_version = 1;
    ScoringContext::new(Arc::new(config), bot::shipped_model())
});

/// Scores a profile and checks the bounds every result keeps.
pub fn score_and_check(profile: &FollowerProfile) {
    let result = score(&CONTEXT, profile, &EngagementSummary::default(), None, NOW);
    assert!((0.0..=1.0).contains(&result.bot_probability));
    assert!(result.fit_score <= 100);
    assert!(result.lead_score <= 100);
    assert!((1..=4).contains(&result.engagement_level));
    assert!((0.0..=1.0).contains(&result.confidence));
}
