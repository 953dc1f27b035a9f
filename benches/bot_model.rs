//! Criterion benchmark of the shipped bot model: `assess` (features, forest, calibration and
//! reasons) and the probability alone, per profile, for a full X profile and for a
//! LinkedIn-like profile whose missing X counts make the forest follow both branches.
//!
//! It measures only the engine's bot model; it does not touch the store or the transport.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use followscore::engine::bot::{BotModel, shipped_model};
use followscore::engine::ids::{FollowerId, FollowerKey};
use followscore::engine::profile::FollowerProfile;
use followscore::engine::time::Timestamp;
use followscore::engine::vocabulary::Platform;

fn x_profile() -> FollowerProfile {
    let mut profile = FollowerProfile::new(FollowerKey {
        platform: Platform::Twitter,
        id: FollowerId::parse("3610511").expect("valid id"),
    });
    profile.handle = Some("annab82".into());
    profile.display_name = Some("Anna Bianchi".into());
    profile.bio = Some("Love #music and life".into());
    profile.location = Some("Milano".into());
    profile.counts.followers = Some(15);
    profile.counts.following = Some(950);
    profile.counts.posts = Some(120);
    profile.counts.likes = Some(3);
    profile.counts.listed = Some(0);
    profile.flags.default_profile_image = Some(false);
    profile.created_at = Some(Timestamp(1_357_639_200));
    profile.observed_at = Some(Timestamp(1_423_911_289));
    profile
}

fn linkedin_profile() -> FollowerProfile {
    let mut profile = FollowerProfile::new(FollowerKey {
        platform: Platform::LinkedIn,
        id: FollowerId::parse("li-1").expect("valid id"),
    });
    profile.display_name = Some("Jane Doe".into());
    profile.headline = Some("VP Sales at Acme".into());
    profile.flags.has_photo = Some(true);
    profile.counts.connections = Some(500);
    profile
}

fn bench(c: &mut Criterion) {
    let model = shipped_model();
    let now = Timestamp(1_700_000_000);
    let x = x_profile();
    let linkedin = linkedin_profile();
    c.bench_function("bot_assess_x_profile", |b| {
        b.iter(|| model.assess(black_box(&x), now))
    });
    c.bench_function("bot_probability_x_profile", |b| {
        b.iter(|| model.profile_probability(black_box(&x), now))
    });
    c.bench_function("bot_assess_linkedin_profile", |b| {
        b.iter(|| model.assess(black_box(&linkedin), now))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
