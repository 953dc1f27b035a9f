//! Engine and in-process pipeline figures (see BENCHMARKS.md for the method and results).
//!
//! The varied set is every follower of the shipped examples (`examples/`, all formats) and
//! of the category evaluation sets (`eval/*/`), about 1,600 profiles in X and LinkedIn
//! shapes. The large account is the example account with 10,000 generated companies (names
//! and domains, all distinct) on each of its customer, partner, vendor and competitor lists.
//!
//! - `score/varied_10k_lists`: the whole scoring pipeline per follower, large account.
//! - `score/varied_10k_lists_unexplained`: the same, scored as the store keeps a result
//!   (no reasons or missing fields): what a rescoring pass does per follower.
//! - `score/examples`: the same over the shipped examples with the example account as it is
//!   (the figure earlier releases were measured with).
//! - `company_match/lookup_all`: company matching alone (company, domain, URL, headline,
//!   title, bio), large account.
//! - `title/parse_title`: title parsing alone, over each profile's title or headline.
//! - `aggregates/replace`: replacing one stored follower's contribution to its account's
//!   counters with a new one.
//! - `pipeline/decode_score_store`: decode a wire request, convert, score and store durably
//!   in chunks of 1,000 in a real sled store: the in-process baseline that the streaming
//!   efficiency ratio divides by.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use followscore::cli::json::JsonCodec;
use followscore::engine::account::AccountConfig;
use followscore::engine::bot;
use followscore::engine::context::ScoringContext;
use followscore::engine::counting::aggregates::{AccountAggregates, Contribution, VersionStamp};
use followscore::engine::deciding::engagement::EngagementSummary;
use followscore::engine::profile::FollowerProfile;
use followscore::engine::reading::title::parse_title;
use followscore::engine::result::FollowerResult;
use followscore::engine::score::{score, score_unexplained};
use followscore::engine::time::Timestamp;
use followscore::grpc::{convert, pb};
use followscore::service::{Limits, ScoreItem, Service};
use prost::Message as _;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn account(codec: &JsonCodec, path: &Path) -> AccountConfig {
    let json = std::fs::read_to_string(path).expect("account file");
    let account: pb::Account = codec
        .parse("followscore.v1.Account", &json)
        .expect("account json");
    let mut config = convert::account(&account, &Limits::default()).expect("valid account");
    config.config_version = 1;
    config
}

/// Every follower in the folder's `*.csv` and `*.jsonl` files (labels excepted), in name order.
fn followers_in(dir: &Path) -> Vec<FollowerProfile> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "csv" || e == "jsonl")
                && !path.ends_with("labels.csv")
        })
        .collect();
    files.sort();
    let mut profiles = Vec::new();
    for file in files {
        let (_, rows) = followscore::import::open_followers(&file, None).expect("follower file");
        profiles.extend(rows.filter_map(|row| row.outcome.ok()));
    }
    profiles
}

/// The example account and its followers.
fn examples() -> (AccountConfig, Vec<FollowerProfile>) {
    let codec = JsonCodec::new().expect("descriptors");
    let config = account(&codec, &root().join("examples/account.json"));
    let profiles = followers_in(&root().join("examples"));
    assert!(profiles.len() > 500, "examples load");
    (config, profiles)
}

/// The examples' followers and every evaluation set's.
fn varied() -> Vec<FollowerProfile> {
    let mut profiles = examples().1;
    let mut sets: Vec<_> = std::fs::read_dir(root().join("eval"))
        .expect("eval folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    sets.sort();
    for set in sets {
        profiles.extend(followers_in(&set));
    }
    assert!(profiles.len() > 1_500, "eval sets load");
    profiles
}

/// `per_list` companies for each of four lists: names as companies are named ("Oakbridge
/// Logistics GmbH", "Bluewave Analytics Software Ltd") and their domains, every name and
/// domain distinct across the lists, the same on every run.
fn company_lists(per_list: usize) -> Vec<(Vec<String>, Vec<String>)> {
    const FIRST: [&str; 40] = [
        "North", "Blue", "Silver", "Oak", "Iron", "Bright", "Stone", "Red", "Green", "Clear",
        "Swift", "Harbor", "Summit", "Pine", "Cedar", "Falcon", "Maple", "River", "Golden",
        "Crown", "Eagle", "Lake", "Hill", "Star", "Sun", "Moon", "West", "East", "South", "High",
        "Deep", "True", "Bold", "Prime", "Noble", "Grand", "Royal", "Vista", "Nova", "Terra",
    ];
    const SECOND: [&str; 30] = [
        "wind", "stone", "field", "bridge", "gate", "wood", "brook", "point", "crest", "wave",
        "light", "path", "peak", "ridge", "vale", "haven", "forge", "works", "line", "view",
        "mark", "port", "side", "ford", "well", "dale", "moor", "stead", "wick", "shire",
    ];
    const SECTOR: [&str; 24] = [
        "Logistics",
        "Analytics",
        "Software",
        "Systems",
        "Consulting",
        "Health",
        "Energy",
        "Capital",
        "Foods",
        "Labs",
        "Robotics",
        "Media",
        "Partners",
        "Solutions",
        "Retail",
        "Insurance",
        "Engineering",
        "Networks",
        "Biotech",
        "Security",
        "Materials",
        "Group",
        "Digital",
        "Industries",
    ];
    const FORM: [&str; 8] = [
        "", " GmbH", " Ltd", " Inc.", " B.V.", " S.A.", " AG", " LLC",
    ];
    const TLD: [&str; 8] = ["com", "de", "co.uk", "com", "nl", "es", "ch", "io"];
    // A fixed linear congruential sequence: the same companies on every run.
    let mut state: u64 = 0x5eed;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut seen = HashSet::new();
    (0..4)
        .map(|_| {
            let (mut names, mut domains) = (Vec::new(), Vec::new());
            while names.len() < per_list {
                let (a, b, s, f) = (next() % 40, next() % 30, next() % 24, next() % 8);
                let stem = format!("{}{}", FIRST[a], SECOND[b]);
                let name = if next() % 3 == 0 {
                    format!("{stem} {}{}", SECTOR[s], FORM[f])
                } else {
                    let other = SECTOR[(s + 1 + next() % 23) % 24];
                    format!("{stem} {} {other}{}", SECTOR[s], FORM[f])
                };
                let domain = format!(
                    "{}{}.{}",
                    stem.to_lowercase(),
                    SECTOR[s].to_lowercase(),
                    TLD[f]
                );
                if !seen.insert(name.to_lowercase()) || !seen.insert(domain.clone()) {
                    continue;
                }
                names.push(name);
                domains.push(domain);
            }
            (names, domains)
        })
        .collect()
}

/// The example account with 10,000 companies on each of four lists.
fn large_account() -> AccountConfig {
    let mut config = examples().0;
    let lists = [
        &mut config.customers,
        &mut config.partners,
        &mut config.vendors,
        &mut config.competitors,
    ];
    for (set, (names, domains)) in lists.into_iter().zip(company_lists(10_000)) {
        set.names.extend(names);
        set.domains.extend(domains);
    }
    config
}

/// The time the evaluation sets are judged at, so figures do not drift with the calendar.
const AS_OF: Timestamp = Timestamp(1_763_164_800);

fn bench_score(c: &mut Criterion) {
    let profiles = varied();
    let engagement = EngagementSummary::default();
    let ctx = ScoringContext::new(Arc::new(large_account()), bot::shipped_model());
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(profiles.len() as u64));
    group.bench_function("varied_10k_lists", |b| {
        b.iter(|| {
            for p in &profiles {
                std::hint::black_box(score(&ctx, p, &engagement, None, AS_OF));
            }
        })
    });
    group.bench_function("varied_10k_lists_unexplained", |b| {
        b.iter(|| {
            for p in &profiles {
                std::hint::black_box(score_unexplained(&ctx, p, &engagement, None, AS_OF));
            }
        })
    });

    let (config, examples) = examples();
    let ctx = ScoringContext::new(Arc::new(config), bot::shipped_model());
    group.throughput(Throughput::Elements(examples.len() as u64));
    group.bench_function("examples", |b| {
        b.iter(|| {
            for p in &examples {
                std::hint::black_box(score(&ctx, p, &engagement, None, AS_OF));
            }
        })
    });
    group.finish();
}

fn bench_readers(c: &mut Criterion) {
    let profiles = varied();
    let ctx = ScoringContext::new(Arc::new(large_account()), bot::shipped_model());
    let mut group = c.benchmark_group("company_match");
    group.throughput(Throughput::Elements(profiles.len() as u64));
    group.bench_function("lookup_all", |b| {
        b.iter(|| {
            for p in &profiles {
                let texts = [p.headline.as_deref(), p.title.as_deref(), p.bio.as_deref()];
                std::hint::black_box(ctx.companies.lookup_all(
                    p.company.as_deref(),
                    p.company_domain.as_deref(),
                    p.url.as_deref(),
                    &texts,
                ));
            }
        })
    });
    group.finish();

    let titles: Vec<&str> = profiles
        .iter()
        .filter_map(|p| p.title.as_deref().or(p.headline.as_deref()))
        .collect();
    let mut group = c.benchmark_group("title");
    group.throughput(Throughput::Elements(titles.len() as u64));
    group.bench_function("parse_title", |b| {
        b.iter(|| {
            for title in &titles {
                std::hint::black_box(parse_title(title));
            }
        })
    });
    group.finish();
}

fn bench_aggregates(c: &mut Criterion) {
    let profiles = varied();
    let ctx = ScoringContext::new(Arc::new(large_account()), bot::shipped_model());
    let engagement = EngagementSummary::default();
    let results: Vec<FollowerResult> = profiles
        .iter()
        .map(|p| score(&ctx, p, &engagement, None, AS_OF))
        .collect();
    let stamp = VersionStamp::of(&results[0]);
    let contributions: Vec<Contribution> = results
        .iter()
        .map(|result| Contribution::of(result, &stamp))
        .collect();
    // Every follower counted once; each write replaces one follower's contribution with
    // another follower's (a rescore that changes category, tier, actions and days).
    let mut aggregates = AccountAggregates::default();
    aggregates.restamp(stamp);
    let mut touched = Vec::new();
    for contribution in &contributions {
        aggregates.replace(None, Some(contribution), &mut touched);
    }
    let mut group = c.benchmark_group("aggregates");
    // Two replacements per follower and round: there and back, so the counters stay valid.
    group.throughput(Throughput::Elements(2 * contributions.len() as u64));
    group.bench_function("replace", |b| {
        b.iter(|| {
            let n = contributions.len();
            for i in 0..n {
                touched.clear();
                let (old, new) = (&contributions[i], &contributions[(i + 1) % n]);
                aggregates.replace(Some(old), Some(new), &mut touched);
                aggregates.replace(Some(new), Some(old), &mut touched);
            }
            std::hint::black_box(&aggregates);
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
                        convert::score_item(request.profile, now, &Limits::default())
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

criterion_group!(
    benches,
    bench_score,
    bench_readers,
    bench_aggregates,
    bench_pipeline
);
criterion_main!(benches);
