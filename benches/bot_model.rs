//! Criterion benchmark of the shipped bot model: `assess` (features, forest, calibration and
//! reasons) and the probability alone, per profile, for a full X profile and for a
//! LinkedIn-like profile whose missing X counts make the forest follow both branches; and
//! over the varied set (every follower of `examples/` and `eval/*/`, X and LinkedIn, each
//! once per round), where the forest's nodes do not all stay in the cache.
//!
//! It measures only the engine's bot model; it does not touch the store or the transport.

use std::hint::black_box;

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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

/// Every follower of the shipped examples and of the evaluation sets, X ones first.
fn varied() -> Vec<FollowerProfile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![root.join("examples")];
    let mut sets: Vec<_> = std::fs::read_dir(root.join("eval"))
        .expect("eval folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    sets.sort();
    folders.extend(sets);
    let mut profiles = Vec::new();
    for folder in folders {
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .expect("folder")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| {
                path.extension().is_some_and(|e| e == "csv" || e == "jsonl")
                    && !path.ends_with("labels.csv")
            })
            .collect();
        files.sort();
        for file in files {
            let (_, rows) =
                followscore::import::open_followers(&file, None).expect("follower file");
            profiles.extend(rows.filter_map(|row| row.outcome.ok()));
        }
    }
    profiles.sort_by_key(|profile| profile.key.platform == Platform::LinkedIn);
    assert!(profiles.len() > 1_500, "examples and eval sets load");
    profiles
}

fn bench_varied(c: &mut Criterion) {
    let model = shipped_model();
    let now = Timestamp(1_763_164_800);
    let all = varied();
    let x: Vec<&FollowerProfile> = all
        .iter()
        .filter(|profile| profile.key.platform != Platform::LinkedIn)
        .collect();
    let mut group = c.benchmark_group("bot_varied");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.bench_function("assess_all", |b| {
        b.iter(|| {
            for profile in &all {
                black_box(model.assess(profile, now));
            }
        })
    });
    group.throughput(Throughput::Elements(x.len() as u64));
    group.bench_function("assess_x", |b| {
        b.iter(|| {
            for profile in &x {
                black_box(model.assess(profile, now));
            }
        })
    });
    group.bench_function("probability_x", |b| {
        b.iter(|| {
            for profile in &x {
                black_box(model.profile_probability(profile, now));
            }
        })
    });
    group.finish();
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

criterion_group!(benches, bench, bench_varied);
criterion_main!(benches);
