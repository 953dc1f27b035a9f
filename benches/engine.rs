//! Engine and in-process pipeline figures (see BENCHMARKS.md for the method and results).
//!
//! - `score/examples`: the scoring pipeline per follower over the shipped example followers
//!   (all formats, varied), with the example account.
//! - `score/10k_lists`: the same with 10,000 customers and 10,000 competitors listed, to
//!   show company lookups do not grow with list size.
//! - `pipeline/decode_score_store`: decode a wire request, convert, score and store durably
//!   in chunks of 1,000 in a real sled store: the in-process baseline that the streaming
//!   efficiency ratio divides by.

use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use followscore::cli::json::JsonCodec;
use followscore::engine::account::AccountConfig;
use followscore::engine::bot;
use followscore::engine::context::ScoringContext;
use followscore::engine::deciding::engagement::EngagementSummary;
use followscore::engine::profile::FollowerProfile;
use followscore::engine::score::score;
use followscore::engine::time::Timestamp;
use followscore::grpc::{convert, pb};
use followscore::service::{Limits, ScoreItem, Service};
use prost::Message as _;

fn examples() -> (AccountConfig, Vec<FollowerProfile>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let codec = JsonCodec::new().expect("descriptors");
    let json = std::fs::read_to_string(dir.join("account.json")).expect("example account");
    let account: pb::Account = codec
        .parse("followscore.v1.Account", &json)
        .expect("account json");
    let mut config = convert::account(&account, &Limits::default()).expect("valid account");
    config.config_version = 1;
    let mut profiles = Vec::new();
    for file in [
        "followers_linkedin.csv",
        "followers_twitter.csv",
        "followers_twitter_v11.jsonl",
        "followers_twitter_v2.jsonl",
    ] {
        let (_, rows) =
            followscore::import::open_followers(&dir.join(file), None).expect("example file");
        profiles.extend(rows.filter_map(|row| row.outcome.ok()));
    }
    assert!(profiles.len() > 500, "examples load");
    (config, profiles)
}

fn bench_score(c: &mut Criterion) {
    let (config, profiles) = examples();
    let now = Timestamp::now();
    let engagement = EngagementSummary::default();
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(profiles.len() as u64));

    let ctx = ScoringContext::new(Arc::new(config.clone()), bot::shipped_model());
    group.bench_function("examples", |b| {
        b.iter(|| {
            for p in &profiles {
                std::hint::black_box(score(&ctx, p, &engagement, None, now));
            }
        })
    });

    let mut big = config;
    big.customers
        .names
        .extend((0..10_000).map(|i| format!("Customer Company {i} Holdings")));
    big.competitors
        .names
        .extend((0..10_000).map(|i| format!("Rival Systems {i} Ltd")));
    let ctx = ScoringContext::new(Arc::new(big), bot::shipped_model());
    group.bench_function("10k_lists", |b| {
        b.iter(|| {
            for p in &profiles {
                std::hint::black_box(score(&ctx, p, &engagement, None, now));
            }
        })
    });
    group.finish();
}

fn bench_pipeline(c: &mut Criterion) {
    let (config, profiles) = examples();
    let now = Timestamp::now();
    // Wire requests, as a stream would carry them, with unique ids per round.
    let wire: Vec<pb::ClassifyFollowersRequest> = profiles
        .iter()
        .cycle()
        .take(1_000)
        .enumerate()
        .map(|(i, p)| {
            let mut profile = convert::wire_profile(p);
            profile.follower_id = format!("{}-{i}", p.key.id);
            pb::ClassifyFollowersRequest {
                account_id: config.account_id.as_str().into(),
                profile: Some(profile),
                correlation_id: String::new(),
            }
        })
        .collect();
    let encoded: Vec<Vec<u8>> = wire.iter().map(|m| m.encode_to_vec()).collect();

    let dir = tempfile::tempdir().expect("temporary directory");
    let store = followscore::store::open_at(dir.path()).expect("store");
    let service = Service::open(store, bot::shipped_model(), Limits::default()).expect("service");
    service
        .upsert_account(config.clone(), now)
        .expect("account");
    let account = config.account_id.clone();

    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Elements(encoded.len() as u64));
    group.sample_size(20);
    group.bench_function("decode_score_store", |b| {
        b.iter_batched(
            || (),
            |()| {
                let items: Vec<ScoreItem> = encoded
                    .iter()
                    .map(|bytes| {
                        let request = pb::ClassifyFollowersRequest::decode(bytes.as_slice())
                            .expect("decodes");
                        convert::score_item(request.profile.as_ref(), now, &Limits::default())
                            .expect("valid")
                    })
                    .collect();
                service
                    .score_followers(&account, items, now)
                    .and_then(|pending| pending.wait())
                    .expect("stored")
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_score, bench_pipeline);
criterion_main!(benches);
