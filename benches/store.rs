//! The store's write and read of a chunk (see BENCHMARKS.md for the method and results).
//!
//! - `store/write_chunk`: 1,000 distinct followers (the shipped examples, scored once, with
//!   fresh ids in random order, as platform ids arrive) written as one atomic batch and
//!   made durable, into a store that keeps growing across iterations: the cost a stream
//!   chunk pays in the store, without scoring.
//! - `store/read_chunk`: 1,000 stored followers read back by id, in random order.
//! - `store/compress_chunk`, `store/decompress_chunk`: what compressing 1,000 records with
//!   the record dictionary (`store::compression`), and reading them back, costs of the
//!   above.

use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use followscore::engine::account::AccountConfig;
use followscore::engine::bot;
use followscore::engine::context::ScoringContext;
use followscore::engine::deciding::engagement::EngagementSummary;
use followscore::engine::ids::{AccountId, FollowerId, FollowerKey};
use followscore::engine::score::score;
use followscore::engine::time::Timestamp;
use followscore::store::{FollowerRecord, compression, open_at, record_plaintext};

const CHUNK: usize = 1_000;

/// The shipped example followers, scored once, as they would be stored.
fn records() -> Vec<FollowerRecord> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut config = AccountConfig::new(AccountId::parse("bench").expect("id"));
    config.config_version = 1;
    let ctx = ScoringContext::new(Arc::new(config), bot::shipped_model());
    let now = Timestamp::now();
    let mut records = Vec::new();
    for file in [
        "followers_linkedin.csv",
        "followers_twitter.csv",
        "followers_twitter_v11.jsonl",
        "followers_twitter_v2.jsonl",
    ] {
        let (_, rows) =
            followscore::import::open_followers(&dir.join(file), None).expect("example file");
        for profile in rows.filter_map(|row| row.outcome.ok()) {
            let engagement = EngagementSummary::default();
            let result = score(&ctx, &profile, &engagement, None, now);
            records.push(
                FollowerRecord {
                    profile,
                    result,
                    engagement,
                    revision: Default::default(),
                    stored: Default::default(),
                }
                .unexplained(),
            );
        }
    }
    records
}

/// A platform id that does not follow insertion order (splitmix64 of a counter).
fn spread_id(n: u64) -> FollowerId {
    let scattered = followscore::sampling::SplitMix64(n).next_u64();
    FollowerId::parse(&scattered.to_string()).expect("numeric id")
}

fn with_id(record: &FollowerRecord, n: u64) -> FollowerRecord {
    let mut record = record.clone();
    let key = FollowerKey {
        platform: record.profile.key.platform,
        id: spread_id(n),
    };
    record.profile.key = key.clone();
    record.result.key = key;
    record
}

fn bench_store(c: &mut Criterion) {
    let examples = records();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open_at(dir.path()).expect("store");
    let id = AccountId::parse("bench").expect("id");
    store
        .put_account(&followscore::engine::account::AccountConfig::new(
            id.clone(),
        ))
        .expect("account");
    let tree = store.account_store(&id).expect("account store");
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(CHUNK as u64));

    let mut next: u64 = 0;
    group.bench_function("write_chunk", |b| {
        b.iter_batched(
            || {
                (0..CHUNK)
                    .map(|i| {
                        next += 1;
                        with_id(&examples[i % examples.len()], next)
                    })
                    .collect::<Vec<_>>()
            },
            |chunk| {
                let mut write = tree.new_write();
                for record in &chunk {
                    write.put_follower(record).expect("encodes");
                }
                tree.apply(write).expect("applies");
                store.wait_durable().expect("durable");
            },
            BatchSize::PerIteration,
        )
    });

    let written = next;
    let mut probe: u64 = 0;
    group.bench_function("read_chunk", |b| {
        b.iter_batched(
            || {
                (0..CHUNK)
                    .map(|_| {
                        probe = probe.wrapping_add(7_919);
                        let n = 1 + probe % written.max(1);
                        // Follower n was the ((n - 1) mod CHUNK)-th of its chunk.
                        let example = ((n - 1) % CHUNK as u64) as usize % examples.len();
                        FollowerKey {
                            platform: examples[example].profile.key.platform,
                            id: spread_id(n),
                        }
                    })
                    .collect::<Vec<_>>()
            },
            |keys| {
                let found = keys
                    .iter()
                    .filter_map(|key| tree.get_follower(key).expect("reads"))
                    .count();
                assert_eq!(found, CHUNK, "every key was written");
            },
            BatchSize::PerIteration,
        )
    });

    let plain: Vec<Vec<u8>> = (0..CHUNK)
        .map(|i| {
            record_plaintext(&with_id(&examples[i % examples.len()], i as u64)).expect("encodes")
        })
        .collect();
    let frames: Vec<Vec<u8>> = plain
        .iter()
        .map(|bytes| {
            let mut frame = Vec::new();
            compression::compress_into(bytes, &mut frame).expect("compresses");
            frame
        })
        .collect();
    group.bench_function("compress_chunk", |b| {
        b.iter(|| {
            let mut frame = Vec::new();
            for bytes in &plain {
                frame.clear();
                compression::compress_into(bytes, &mut frame).expect("compresses");
            }
            frame.len()
        })
    });
    group.bench_function("decompress_chunk", |b| {
        b.iter(|| {
            frames
                .iter()
                .map(|frame| compression::decompress(frame).expect("decompresses").len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
