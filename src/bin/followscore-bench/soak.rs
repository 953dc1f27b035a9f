//! `soak`: steady mixed load on a running server for a duration, sampling the server's
//! resident memory and every call's latency (`reliability/soak.sh`, RELIABILITY.md).
//!
//! A fixed population of followers is streamed in first; then, until the time is up, at a
//! steady pace: ClassifyFollowers streams rewriting members of the population with varied
//! profiles, ScoreFollower, RecordEngagement (new event ids), SetOverride and
//! ClearOverride, GetFollower, ListFollowers pages, GetNetworkQuality, and forget/re-add
//! churn on a reserved slice of the population (so the stored follower count stays the
//! population's). The server's RSS is read from `/proc/PID/status` every few seconds.
//!
//! Checks at the end: no error other than load shedding (RESOURCE_EXHAUSTED, UNAVAILABLE);
//! no upward trend of memory (the median RSS of the last third of the steady phase at most
//! `--rss-tolerance` above the middle third's, or grown by no more than
//! `--rss-allowance-mib`, what the store's page cache may still be filling; the first third
//! is warm-up); the account
//! holds exactly the population. Prints one JSON object; exits non-zero on a failed check.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use followscore::grpc::pb;
use followscore::sampling::SplitMix64;
use serde_json::json;
use tokio::time::MissedTickBehavior;
use tokio_stream::StreamExt as _;
use tonic::Code;

use super::{Examples, Followers, Server, connect};

/// Runs a steady mixed load for a duration; see the module's documentation.
#[derive(Debug, clap::Args)]
pub struct Soak {
    #[command(flatten)]
    server: Server,
    /// The population: `--followers` of the tagged set under `--account`.
    #[command(flatten)]
    set: Followers,
    /// The server's process id, for its RSS.
    #[arg(long)]
    server_pid: u32,
    /// Length of the steady phase, after the population is stored.
    #[arg(long)]
    seconds: u64,
    /// Unary calls per second, spread over the workers.
    #[arg(long, default_value_t = 300)]
    rate: u64,
    /// Followers per rewriting stream; one stream at a time, back to back.
    #[arg(long, default_value_t = 500)]
    per_stream: u64,
    /// Seconds between RSS samples.
    #[arg(long, default_value_t = 3)]
    sample_secs: u64,
    /// How far the last third's median RSS may lie above the middle third's, as a fraction…
    #[arg(long, default_value_t = 0.10)]
    rss_tolerance: f64,
    /// …unless the growth stays within this many MiB: the store's page cache (64 MiB by
    /// default) fills with use and then stays full, so growth it can hold is not a trend
    /// (a short run is still filling it); a leak outgrows it in a long run.
    #[arg(long, default_value_t = 64)]
    rss_allowance_mib: u64,
    /// Only these unary calls, at the same total rate, in their usual proportions (to
    /// tell which call a memory trend comes with); all of them by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Call>,
    /// No rewriting streams during the steady phase (the population is still streamed in).
    #[arg(long)]
    no_streams: bool,
}

/// The unary calls of the steady phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Call {
    Score,
    Engagement,
    SetOverride,
    ClearOverride,
    Get,
    List,
    Report,
    /// ForgetFollower of a reserved follower, then ScoreFollower of it again.
    Churn,
}

impl Call {
    /// Every call with its share of the mix, in percent.
    const MIX: [(Call, u64); 8] = [
        (Call::Score, 20),
        (Call::Engagement, 20),
        (Call::SetOverride, 7),
        (Call::ClearOverride, 6),
        (Call::Get, 27),
        (Call::List, 12),
        (Call::Report, 5),
        (Call::Churn, 3),
    ];

    /// The mix restricted to `only` (everything when it is empty).
    fn mix(only: &[Call]) -> Vec<(Call, u64)> {
        Self::MIX
            .into_iter()
            .filter(|(call, _)| only.is_empty() || only.contains(call))
            .collect()
    }

    /// The call a uniform draw picks from `mix`.
    fn pick(mix: &[(Call, u64)], draw: u64) -> Call {
        let total: u64 = mix.iter().map(|(_, w)| w).sum();
        let mut roll = draw % total.max(1);
        for &(call, weight) in mix {
            if roll < weight {
                return call;
            }
            roll -= weight;
        }
        mix[0].0
    }
}

/// Every call's latency by method, and what went wrong.
#[derive(Default)]
struct Record {
    latencies: BTreeMap<&'static str, Vec<u32>>,
    shed: u64,
    errors: u64,
    first_errors: Vec<String>,
}

impl Record {
    fn latency(&mut self, method: &'static str, since: Instant) {
        let micros = since.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        self.latencies.entry(method).or_default().push(micros);
    }

    fn status(&mut self, method: &'static str, status: &tonic::Status) {
        if matches!(status.code(), Code::ResourceExhausted | Code::Unavailable) {
            self.shed += 1;
        } else {
            self.error(format!(
                "{method}: {:?} {}",
                status.code(),
                status.message()
            ));
        }
    }

    fn error(&mut self, message: String) {
        self.errors += 1;
        if self.first_errors.len() < 20 {
            self.first_errors.push(message);
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

fn median(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("the server (pid {pid}) is gone"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc/PID/status")
}

fn now_timestamp(minutes_ago: u64) -> prost_types::Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    prost_types::Timestamp {
        seconds: now - (minutes_ago as i64) * 60,
        nanos: 0,
    }
}

/// Follower `j` of the population, its profile varied by `pass` (headline, title, company,
/// bio and reach taken from another example of the set), its key unchanged.
fn varied(examples: &Examples, set: &Followers, j: u64, pass: u64) -> pb::FollowerProfile {
    let mut profile = examples.follower(set, j);
    if pass > 0 {
        let other = examples.example(set, j.wrapping_add(pass.wrapping_mul(7_919)));
        profile.headline = other.headline.clone();
        profile.title = other.title.clone();
        profile.company = other.company.clone();
        profile.bio = other.bio.clone();
        profile.followers_count = other.followers_count;
    }
    profile
}

pub async fn soak(examples: &Examples, args: Soak) -> anyhow::Result<serde_json::Value> {
    let client = connect(&args.server).await?;
    let set = &args.set;
    let population = set.followers;
    ensure!(population >= 100, "a population of at least 100 followers");
    // The last hundredth (at least 10) is churned: forgotten and added again. Other
    // workers leave it alone, so nothing else meets a follower that is briefly absent.
    let churned = (population / 100).max(10);
    let steady_ids = population - churned;
    let record = Rc::new(RefCell::new(Record::default()));
    let rss: Rc<RefCell<Vec<(f64, u64)>>> = Rc::default();

    // --- fill ------------------------------------------------------------------------------
    let fill_started = Instant::now();
    let mut first = 0;
    while first < population {
        let end = (first + 1_000).min(population);
        let answered = classify(&client, examples, set, first..end, 0, &record).await?;
        ensure!(answered == end - first, "the fill lost answers");
        first = end;
    }
    let fill_seconds = fill_started.elapsed().as_secs_f64();
    ensure!(
        record.borrow().errors == 0,
        "the fill failed: {:?}",
        record.borrow().first_errors
    );
    *record.borrow_mut() = Record::default();

    // --- steady phase ----------------------------------------------------------------------
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let done = || Instant::now() >= deadline;
    let streamed = Cell::new(0u64);
    let calls = Cell::new(0u64);

    let sampler = async {
        let mut tick = tokio::time::interval(Duration::from_secs(args.sample_secs.max(1)));
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        while !done() {
            tick.tick().await;
            let kib = rss_kib(args.server_pid)?;
            rss.borrow_mut()
                .push((started.elapsed().as_secs_f64(), kib));
        }
        anyhow::Ok(())
    };

    let streamer = async {
        let mut pass = 1u64;
        let mut next = 0u64;
        while !done() && !args.no_streams {
            let end = (next + args.per_stream).min(steady_ids);
            let began = Instant::now();
            let answered = classify(&client, examples, set, next..end, pass, &record).await?;
            record
                .borrow_mut()
                .latency("ClassifyFollowers(stream)", began);
            streamed.set(streamed.get() + answered);
            next = end;
            if next >= steady_ids {
                next = 0;
                pass += 1;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::Ok(())
    };

    const WORKERS: u64 = 4;
    let mix = Call::mix(&args.only);
    let worker = |w: u64| {
        let mut client = client.clone();
        let (record, calls, mix) = (record.clone(), &calls, &mix);
        async move {
            let mut random = SplitMix64(0x50a4 + w);
            let period = Duration::from_secs_f64(WORKERS as f64 / args.rate.max(1) as f64);
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let mut event = 0u64;
            while !done() {
                tick.tick().await;
                calls.set(calls.get() + 1);
                let j = random.next_u64() % steady_ids;
                let platform = examples.platform(set, j);
                let follower_id = examples.id(set, j);
                let began = Instant::now();
                let (method, outcome) = match Call::pick(mix, random.next_u64()) {
                    Call::Score => (
                        "ScoreFollower",
                        client
                            .score_follower(pb::ScoreFollowerRequest {
                                account_id: set.account.clone(),
                                profile: Some(varied(examples, set, j, random.next_u64() % 8)),
                                events: Vec::new(),
                            })
                            .await
                            .map(drop),
                    ),
                    Call::Engagement => {
                        event += 1;
                        let kind = 1 + (random.next_u64() % 11) as i32;
                        (
                            "RecordEngagement",
                            client
                                .record_engagement(pb::RecordEngagementRequest {
                                    account_id: set.account.clone(),
                                    platform,
                                    follower_id,
                                    events: vec![pb::EngagementEvent {
                                        event_id: format!("soak-{w}-{event}"),
                                        r#type: kind,
                                        occurred_at: Some(now_timestamp(random.next_u64() % 600)),
                                    }],
                                })
                                .await
                                .map(drop),
                        )
                    }
                    Call::SetOverride => (
                        "SetOverride",
                        client
                            .set_override(pb::SetOverrideRequest {
                                account_id: set.account.clone(),
                                platform,
                                follower_id,
                                category: 1 + (random.next_u64() % 12) as i32,
                                set_by: "soak".into(),
                                reason: "steady load".into(),
                                expires_at: None,
                            })
                            .await
                            .map(drop),
                    ),
                    Call::ClearOverride => (
                        "ClearOverride",
                        client
                            .clear_override(pb::ClearOverrideRequest {
                                account_id: set.account.clone(),
                                platform,
                                follower_id,
                            })
                            .await
                            .map(drop),
                    ),
                    Call::Get => {
                        let ids: Vec<String> = (0..1 + random.next_u64() % 20)
                            .map(|_| random.next_u64() % steady_ids)
                            .filter(|k| examples.platform(set, *k) == platform)
                            .map(|k| examples.id(set, k))
                            .chain(std::iter::once(follower_id))
                            .collect();
                        let asked = ids.len();
                        let outcome = client
                            .get_follower(pb::GetFollowerRequest {
                                account_id: set.account.clone(),
                                platform,
                                follower_ids: ids,
                            })
                            .await;
                        if let Ok(reply) = &outcome {
                            let reply = reply.get_ref();
                            if !reply.not_found_ids.is_empty() || reply.results.len() != asked {
                                record.borrow_mut().error(format!(
                                    "GetFollower: {} of {asked} not found",
                                    reply.not_found_ids.len()
                                ));
                            }
                        }
                        ("GetFollower", outcome.map(drop))
                    }
                    Call::List => {
                        let category = (random.next_u64() % 13) as i32;
                        let mut token = String::new();
                        let mut outcome = Ok(());
                        for _ in 0..1 + random.next_u64() % 3 {
                            match client
                                .list_followers(pb::ListFollowersRequest {
                                    account_id: set.account.clone(),
                                    category,
                                    page_size: 100,
                                    page_token: token.clone(),
                                    ..Default::default()
                                })
                                .await
                            {
                                Ok(reply) => {
                                    token = reply.into_inner().next_page_token;
                                    if token.is_empty() {
                                        break;
                                    }
                                }
                                Err(status) => {
                                    outcome = Err(status);
                                    break;
                                }
                            }
                        }
                        ("ListFollowers", outcome)
                    }
                    Call::Report => (
                        "GetNetworkQuality",
                        client
                            .get_network_quality(pb::GetNetworkQualityRequest {
                                account_id: set.account.clone(),
                                platform: 0,
                                top_n: 10,
                            })
                            .await
                            .map(drop),
                    ),
                    Call::Churn => {
                        // Forget a reserved follower and add it again.
                        let k = steady_ids + random.next_u64() % churned;
                        let forgotten = client
                            .forget_follower(pb::ForgetFollowerRequest {
                                account_id: set.account.clone(),
                                platform: examples.platform(set, k),
                                follower_id: examples.id(set, k),
                            })
                            .await;
                        let outcome = match forgotten {
                            Ok(_) => client
                                .score_follower(pb::ScoreFollowerRequest {
                                    account_id: set.account.clone(),
                                    profile: Some(varied(examples, set, k, event % 5)),
                                    events: Vec::new(),
                                })
                                .await
                                .map(drop),
                            Err(status) => Err(status),
                        };
                        ("ForgetFollower+ScoreFollower", outcome)
                    }
                };
                let mut record = record.borrow_mut();
                match outcome {
                    Ok(()) => record.latency(method, began),
                    Err(status) => record.status(method, &status),
                }
            }
            anyhow::Ok(())
        }
    };

    let workers = futures_util::future::try_join_all((0..WORKERS).map(worker));
    tokio::try_join!(sampler, streamer, workers)?;
    let seconds = started.elapsed().as_secs_f64();

    // --- checks ----------------------------------------------------------------------------
    let mut client = client.clone();
    let report = client
        .get_network_quality(pb::GetNetworkQualityRequest {
            account_id: set.account.clone(),
            platform: 0,
            top_n: 0,
        })
        .await?
        .into_inner();
    let record = record.borrow();
    let rss = rss.borrow();
    let third = rss.len() / 3;
    let mut middle: Vec<u64> = rss[third..2 * third].iter().map(|s| s.1).collect();
    let mut last: Vec<u64> = rss[2 * third..].iter().map(|s| s.1).collect();
    let (middle, last) = (median(&mut middle), median(&mut last));
    let growth = if middle > 0 {
        last as f64 / middle as f64 - 1.0
    } else {
        0.0
    };
    // The least-squares slope after warm-up, for the record (the check is on medians,
    // which one late spike cannot fail).
    let slope = {
        let points: Vec<(f64, f64)> = rss[third..]
            .iter()
            .map(|(t, kib)| (t / 60.0, *kib as f64))
            .collect();
        let n = points.len() as f64;
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let (num, den) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| {
            (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
        });
        if den > 0.0 { num / den } else { 0.0 }
    };
    let mut all: Vec<u32> = Vec::new();
    let mut methods = serde_json::Map::new();
    for (method, latencies) in &record.latencies {
        let mut sorted = latencies.clone();
        sorted.sort_unstable();
        methods.insert(
            (*method).to_owned(),
            json!({
                "calls": sorted.len(),
                "p50_ms": percentile(&sorted, 0.50),
                "p99_ms": percentile(&sorted, 0.99),
                "max_ms": percentile(&sorted, 1.0),
            }),
        );
        if *method != "ClassifyFollowers(stream)" {
            all.extend_from_slice(latencies);
        }
    }
    all.sort_unstable();
    let mut failures = Vec::new();
    if record.errors > 0 {
        failures.push(format!(
            "{} errors other than load shedding: {:?}",
            record.errors, record.first_errors
        ));
    }
    if third < 2 {
        failures.push(format!(
            "only {} RSS samples: too short to judge a trend",
            rss.len()
        ));
    } else if growth > args.rss_tolerance
        && last.saturating_sub(middle) > args.rss_allowance_mib * 1024
    {
        failures.push(format!(
            "RSS grew {:.1}% from the middle third (median {middle} KiB) to the last (median {last} KiB), above the {:.0}% tolerance and the {} MiB the store's cache may fill",
            growth * 100.0,
            args.rss_tolerance * 100.0,
            args.rss_allowance_mib
        ));
    }
    if report.total_followers != population {
        failures.push(format!(
            "the account holds {} followers, not the population of {population}",
            report.total_followers
        ));
    }
    let summary = json!({
        "ok": failures.is_empty(),
        "failures": failures,
        "population": population,
        "fill_seconds": fill_seconds,
        "steady_seconds": seconds,
        "unary_calls": calls.get(),
        "streamed_followers": streamed.get(),
        "shed": record.shed,
        "errors": record.errors,
        "stored_followers_at_end": report.total_followers,
        "rss_kib": {
            "samples": rss.len(),
            "first": rss.first().map(|s| s.1),
            "max": rss.iter().map(|s| s.1).max(),
            "last": rss.last().map(|s| s.1),
            "median_middle_third": middle,
            "median_last_third": last,
            "growth_last_vs_middle": growth,
            "slope_kib_per_minute_after_warmup": slope,
            "tolerance": args.rss_tolerance,
            "series": rss.iter().step_by((rss.len() / 60).max(1)).map(|s| json!([s.0.round(), s.1])).collect::<Vec<_>>(),
        },
        "latency_ms_all_unary": {
            "calls": all.len(),
            "p50": percentile(&all, 0.50),
            "p99": percentile(&all, 0.99),
        },
        "latency_ms_by_method": methods,
    });
    if !failures.is_empty() {
        eprintln!("{}", serde_json::to_string_pretty(&summary)?);
        anyhow::bail!("the soak failed: {failures:?}");
    }
    Ok(summary)
}

/// One ClassifyFollowers stream of followers `range` (profiles varied by `pass`); per-item
/// errors and a failed stream are recorded. Returns the results answered.
async fn classify(
    client: &followscore::grpc::pb::follow_score_client::FollowScoreClient<
        tonic::transport::Channel,
    >,
    examples: &Examples,
    set: &Followers,
    range: std::ops::Range<u64>,
    pass: u64,
    record: &RefCell<Record>,
) -> anyhow::Result<u64> {
    let first = range.start;
    let requests: Vec<pb::ClassifyFollowersRequest> = range
        .map(|j| pb::ClassifyFollowersRequest {
            account_id: if j == first {
                set.account.clone()
            } else {
                String::new()
            },
            profile: Some(varied(examples, set, j, pass)),
            correlation_id: String::new(),
        })
        .collect();
    let sent = requests.len() as u64;
    let mut client = client.clone();
    let mut responses = match client
        .classify_followers(tokio_stream::iter(requests))
        .await
    {
        Ok(r) => r.into_inner(),
        Err(status) => {
            record.borrow_mut().status("ClassifyFollowers", &status);
            return Ok(0);
        }
    };
    let mut answered = 0u64;
    while let Some(response) = responses.next().await {
        match response {
            Ok(r) => match r.outcome {
                Some(pb::classify_followers_response::Outcome::Result(_)) => answered += 1,
                Some(pb::classify_followers_response::Outcome::Error(e))
                    if e.code == "resource_exhausted" =>
                {
                    record.borrow_mut().shed += 1;
                }
                other => record
                    .borrow_mut()
                    .error(format!("ClassifyFollowers item {}: {other:?}", r.index)),
            },
            Err(status) => {
                record.borrow_mut().status("ClassifyFollowers", &status);
                break;
            }
        }
    }
    if answered < sent && record.borrow().errors == 0 && record.borrow().shed == 0 {
        record.borrow_mut().error(format!(
            "ClassifyFollowers: sent {sent}, answered {answered}"
        ));
    }
    Ok(answered)
}
