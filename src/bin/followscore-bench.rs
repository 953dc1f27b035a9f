//! `followscore-bench`: the project's own client for the benchmark suite (`bench/run.sh`;
//! method and figures in BENCHMARKS.md). Every subcommand prints one JSON object on standard
//! output and exits non-zero on any wrong answer, so the suite's correctness checks are the
//! same code as its measurements.
//!
//! Followers are the shipped examples (all four formats) cycled with unique ids: follower
//! `j` of a set tagged `t` is example `j × stride mod len` with the id `{example id}-{t}{j}`. The
//! stream, the in-process baseline, the h2load bodies and the checks all draw from this one
//! generator, so they talk about the same followers.
//!
//! - `setup`: creates an account from `examples/account.json` under a given id.
//! - `bodies`: writes the gRPC request bodies (5-byte frame header + protobuf) that h2load
//!   sends: distinct ScoreFollower requests, a GetNetworkQuality request, a health Check.
//! - `probe`: sends one body's request through tonic and prints the reply frame's size,
//!   which every h2load reply to that body must have (an error reply has none).
//! - `stream`: ClassifyFollowers, a number of followers per stream over several concurrent
//!   streams; checks every answer (count, order, ids, no per-item error).
//! - `in-process`: the same followers, pre-encoded, decoded and scored and stored durably
//!   through the `Service` the server runs, in chunks of one stream's size, no transport.
//! - `verify`: an account holds exactly the expected followers, none stale, and a sample of
//!   them reads back.
//! - `rescore`: changes the account's ICP and times the background rescoring pass until no
//!   result is stale, reading followers at a steady rate meanwhile for their latency.
//! - `soak`: steady mixed load for a duration, with the server's memory sampled and every
//!   call timed (`reliability/soak.sh`; `soak.rs`).
//! - `record-dictionary`: trains the dictionary follower records are compressed with;
//!   `record-sizes`: records' sizes with it (`record_dictionary.rs`).

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use clap::{Parser, Subcommand};
use followscore::app::App;
use followscore::cli::json::JsonCodec;
use followscore::config::Config;
use followscore::engine::ids::AccountId;
use followscore::engine::time::Timestamp;
use followscore::grpc::pb::follow_score_client::FollowScoreClient;
use followscore::grpc::{convert, pb};
use followscore::service::ScoreItem;
use prost::Message as _;
use serde_json::json;
use tokio_stream::StreamExt as _;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

#[path = "followscore-bench/record_dictionary.rs"]
mod record_dictionary;
#[path = "followscore-bench/soak.rs"]
mod soak;

#[derive(Debug, Parser)]
#[command(about = "The benchmark suite's client: bodies, streams, checks (see bench/run.sh)")]
struct Args {
    /// Folder with the example account and follower files.
    #[arg(long, global = true, default_value = "examples")]
    examples: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Setup(Setup),
    Bodies(Bodies),
    Probe(Probe),
    Stream(Stream),
    InProcess(InProcess),
    Verify(Verify),
    Rescore(Rescore),
    Soak(soak::Soak),
    RecordDictionary(record_dictionary::RecordDictionary),
    RecordSizes(record_dictionary::RecordSizes),
}

#[derive(Debug, clap::Args)]
struct Server {
    /// Server address (loopback).
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    addr: String,
}

#[derive(Debug, Clone, clap::Args)]
struct Followers {
    /// Account the followers belong to.
    #[arg(long)]
    account: String,
    /// How many followers (ids 0..N of the tagged set).
    #[arg(long)]
    followers: u64,
    /// Tag in the generated ids, so that sets never share a follower.
    #[arg(long, default_value = "")]
    tag: String,
    /// Follower `j` of the set is example `j × stride` (mod the examples): a stride of a
    /// quarter of the examples makes successive followers of different formats.
    #[arg(long, default_value_t = 1)]
    stride: u64,
}

/// Creates (or replaces) an account from the example account under `--account`.
#[derive(Debug, clap::Args)]
struct Setup {
    #[command(flatten)]
    server: Server,
    #[arg(long)]
    account: String,
}

/// Writes h2load bodies: `score-1.bin` … `score-K.bin` (ScoreFollower, follower `j - 1` of
/// the set in `score-j.bin`), `report.bin` (GetNetworkQuality) and `health.bin` (health Check).
#[derive(Debug, clap::Args)]
struct Bodies {
    #[arg(long)]
    out: PathBuf,
    /// The ScoreFollower bodies: one per follower of this set.
    #[command(flatten)]
    set: Followers,
    /// Account of the GetNetworkQuality body.
    #[arg(long)]
    report_account: String,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Method {
    Score,
    Report,
    Health,
}

/// Sends one body's request and prints the size of the reply's frame.
#[derive(Debug, clap::Args)]
struct Probe {
    #[command(flatten)]
    server: Server,
    #[arg(long, value_enum)]
    method: Method,
    #[arg(long)]
    body: PathBuf,
}

/// Streams followers through ClassifyFollowers and checks every answer.
#[derive(Debug, clap::Args)]
struct Stream {
    #[command(flatten)]
    server: Server,
    #[command(flatten)]
    set: Followers,
    /// Followers per stream.
    #[arg(long, default_value_t = 1_000)]
    per_stream: u64,
    /// Streams in flight at once (one HTTP/2 connection).
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
}

/// Decode + score + store of the same followers in this process, through the `Service` the
/// server opens, on a fresh data directory.
#[derive(Debug, clap::Args)]
struct InProcess {
    /// A fresh, empty data directory.
    #[arg(long)]
    data_dir: PathBuf,
    /// Store page cache, in MiB (as the server's `--cache-mb`).
    #[arg(long, default_value_t = followscore::config::DEFAULT_CACHE_MB)]
    cache_mb: u64,
    #[command(flatten)]
    set: Followers,
    /// Followers per chunk (one stream's worth).
    #[arg(long, default_value_t = 1_000)]
    per_chunk: u64,
}

/// Checks that an account holds exactly `--followers`, none stale, and reads a sample back.
#[derive(Debug, clap::Args)]
struct Verify {
    #[command(flatten)]
    server: Server,
    #[command(flatten)]
    set: Followers,
    /// Followers read back with GetFollower, spread evenly over the set.
    #[arg(long, default_value_t = 1_000)]
    sample: u64,
}

/// Changes the account's ICP and times the rescoring pass, reading meanwhile.
#[derive(Debug, clap::Args)]
struct Rescore {
    #[command(flatten)]
    server: Server,
    #[command(flatten)]
    set: Followers,
    /// GetFollower calls per second while the pass runs (one at a time).
    #[arg(long, default_value_t = 200)]
    read_rate: u64,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 1_800)]
    timeout_secs: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let examples = Arc::new(Examples::load(&args.examples)?);
    let out = match args.command {
        Command::Setup(a) => setup(&examples, a).await?,
        Command::Bodies(a) => bodies(&examples, &a)?,
        Command::Probe(a) => probe(a).await?,
        Command::Stream(a) => stream(examples, a).await?,
        Command::InProcess(a) => in_process(&examples, a).await?,
        Command::Verify(a) => verify(&examples, a).await?,
        Command::Rescore(a) => rescore(&examples, a).await?,
        Command::Soak(a) => soak::soak(&examples, a).await?,
        Command::RecordDictionary(a) => record_dictionary::record_dictionary(a).await?,
        Command::RecordSizes(a) => record_dictionary::record_sizes(a).await?,
    };
    println!("{out}");
    Ok(())
}

/// The example account and follower profiles, and the follower generator.
struct Examples {
    account: pb::Account,
    profiles: Vec<pb::FollowerProfile>,
}

impl Examples {
    fn load(dir: &Path) -> anyhow::Result<Self> {
        let codec = JsonCodec::new()?;
        let json = std::fs::read_to_string(dir.join("account.json"))
            .with_context(|| format!("example account in {}", dir.display()))?;
        let account: pb::Account = codec.parse("followscore.v1.Account", &json)?;
        let mut profiles = Vec::new();
        for file in [
            "followers_linkedin.csv",
            "followers_twitter.csv",
            "followers_twitter_v11.jsonl",
            "followers_twitter_v2.jsonl",
        ] {
            let (_, rows) = followscore::import::open_followers(&dir.join(file), None)?;
            profiles.extend(
                rows.filter_map(|row| row.outcome.ok())
                    .map(|p| convert::wire_profile(&p)),
            );
        }
        ensure!(
            !profiles.is_empty(),
            "no example followers found in {}",
            dir.display()
        );
        Ok(Self { account, profiles })
    }

    fn account(&self, id: &str) -> pb::Account {
        let mut account = self.account.clone();
        account.account_id = id.to_owned();
        account
    }

    fn example(&self, set: &Followers, j: u64) -> &pb::FollowerProfile {
        let i = j.wrapping_mul(set.stride.max(1)) % self.profiles.len() as u64;
        &self.profiles[i as usize]
    }

    /// The id of follower `j` of the set: unique, and in no particular key order, as
    /// platform ids arrive (a counter would append to a few places of the store's tree and
    /// flatter it).
    fn id(&self, set: &Followers, j: u64) -> String {
        format!(
            "{}-{}{:016x}",
            self.example(set, j).follower_id,
            set.tag,
            spread(j)
        )
    }

    fn platform(&self, set: &Followers, j: u64) -> i32 {
        self.example(set, j).platform
    }

    fn follower(&self, set: &Followers, j: u64) -> pb::FollowerProfile {
        let mut profile = self.example(set, j).clone();
        profile.follower_id = self.id(set, j);
        profile
    }

    /// Request `j` of a stream: the account id on the stream's first message only.
    fn stream_request(&self, set: &Followers, j: u64, first: bool) -> pb::ClassifyFollowersRequest {
        pb::ClassifyFollowersRequest {
            account_id: if first {
                set.account.clone()
            } else {
                String::new()
            },
            profile: Some(self.follower(set, j)),
            correlation_id: String::new(),
        }
    }
}

async fn connect(server: &Server) -> anyhow::Result<FollowScoreClient<Channel>> {
    let client = FollowScoreClient::connect(server.addr.clone())
        .await
        .with_context(|| format!("cannot connect to {}", server.addr))?;
    Ok(client.max_decoding_message_size(64 * 1024 * 1024))
}

/// A gRPC message as it travels in a body: flag 0, u32 big-endian length, the bytes.
fn frame(message: &impl prost::Message) -> Vec<u8> {
    let bytes = message.encode_to_vec();
    let mut out = Vec::with_capacity(bytes.len() + 5);
    out.push(0);
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(&bytes);
    out
}

fn unframe(body: &[u8]) -> anyhow::Result<&[u8]> {
    ensure!(
        body.len() >= 5 && body[0] == 0,
        "not an uncompressed gRPC frame"
    );
    let len = u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize;
    ensure!(
        body.len() == len + 5,
        "the body holds more or less than one message"
    );
    Ok(&body[5..])
}

/// CPU seconds this process has used (user + system; /proc reports in USER_HZ = 100).
fn own_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

async fn setup(examples: &Examples, args: Setup) -> anyhow::Result<serde_json::Value> {
    let mut client = connect(&args.server).await?;
    let account = client
        .upsert_account(pb::UpsertAccountRequest {
            account: Some(examples.account(&args.account)),
        })
        .await?
        .into_inner()
        .account
        .context("no account in the answer")?;
    Ok(json!({"account": account.account_id, "config_version": account.config_version}))
}

fn bodies(examples: &Examples, args: &Bodies) -> anyhow::Result<serde_json::Value> {
    std::fs::create_dir_all(&args.out)?;
    let mut written = Vec::new();
    let mut write = |name: String, bytes: Vec<u8>| -> anyhow::Result<()> {
        std::fs::write(args.out.join(&name), bytes)?;
        written.push(name);
        Ok(())
    };
    for j in 0..args.set.followers {
        let request = pb::ScoreFollowerRequest {
            account_id: args.set.account.clone(),
            profile: Some(examples.follower(&args.set, j)),
            events: Vec::new(),
        };
        write(format!("score-{}.bin", j + 1), frame(&request))?;
    }
    write(
        "report.bin".into(),
        frame(&pb::GetNetworkQualityRequest {
            account_id: args.report_account.clone(),
            platform: 0,
            top_n: 0,
        }),
    )?;
    write(
        "health.bin".into(),
        frame(&HealthCheckRequest {
            service: String::new(),
        }),
    )?;
    Ok(json!({"written": written}))
}

async fn probe(args: Probe) -> anyhow::Result<serde_json::Value> {
    let body = std::fs::read(&args.body).with_context(|| args.body.display().to_string())?;
    let message = unframe(&body)?;
    let reply_len = match args.method {
        Method::Score => {
            let request = pb::ScoreFollowerRequest::decode(message)?;
            let sent = request.profile.as_ref().map(|p| p.follower_id.clone());
            let reply = connect(&args.server)
                .await?
                .score_follower(request)
                .await?
                .into_inner();
            ensure!(
                reply.result.as_ref().map(|r| r.follower_id.clone()) == sent,
                "ScoreFollower answered for another follower"
            );
            reply.encoded_len()
        }
        Method::Report => {
            let request = pb::GetNetworkQualityRequest::decode(message)?;
            connect(&args.server)
                .await?
                .get_network_quality(request)
                .await?
                .into_inner()
                .encoded_len()
        }
        Method::Health => {
            let request = HealthCheckRequest::decode(message)?;
            let channel = Channel::from_shared(args.server.addr.clone())?
                .connect()
                .await
                .with_context(|| format!("cannot connect to {}", args.server.addr))?;
            let mut client = HealthClient::new(channel);
            let reply = client.check(request).await?.into_inner();
            ensure!(reply.status == 1, "health Check answered {}", reply.status);
            reply.encoded_len()
        }
    };
    Ok(json!({"reply_frame_bytes": reply_len + 5}))
}

async fn stream(examples: Arc<Examples>, args: Stream) -> anyhow::Result<serde_json::Value> {
    let client = connect(&args.server).await?;
    let total = args.set.followers;
    let per_stream = args.per_stream.max(1);
    let streams = total.div_ceil(per_stream);
    let next_stream = Cell::new(0u64);
    let answered = Cell::new(0u64);
    // When the answered count crossed each tenth of the total: the rate per tenth shows
    // whether streaming slows as the store grows.
    let tenths = RefCell::new(Vec::with_capacity(10));
    let cpu_before = own_cpu_seconds();
    let started = Instant::now();

    let worker = || {
        let mut client = client.clone();
        let (next_stream, answered, tenths) = (&next_stream, &answered, &tenths);
        let (examples, set) = (examples.clone(), &args.set);
        async move {
            loop {
                let s = next_stream.get();
                if s >= streams {
                    return anyhow::Ok(());
                }
                next_stream.set(s + 1);
                let first = s * per_stream;
                let end = (first + per_stream).min(total);
                let (owned, examples_for_stream) = (set.clone(), examples.clone());
                let requests = tokio_stream::iter(
                    (first..end)
                        .map(move |i| examples_for_stream.stream_request(&owned, i, i == first)),
                );
                let mut responses = client.classify_followers(requests).await?.into_inner();
                let mut expected = 0u64;
                while let Some(response) = responses.next().await {
                    let response = response?;
                    ensure!(
                        response.index == expected,
                        "stream {s}: answer {} out of order",
                        response.index
                    );
                    match response.outcome {
                        Some(pb::classify_followers_response::Outcome::Result(r)) => {
                            let id = examples.id(set, first + expected);
                            ensure!(
                                r.follower_id == id,
                                "stream {s}: answer {expected} is for {}, not {id}",
                                r.follower_id
                            );
                        }
                        Some(pb::classify_followers_response::Outcome::Error(e)) => {
                            bail!("stream {s}: item {expected} failed: {e:?}")
                        }
                        None => bail!("stream {s}: answer {expected} is empty"),
                    }
                    expected += 1;
                }
                ensure!(
                    expected == end - first,
                    "stream {s}: sent {}, answered {expected}",
                    end - first
                );
                answered.set(answered.get() + expected);
                let mut tenths = tenths.borrow_mut();
                while tenths.len() < 10 && answered.get() * 10 >= total * (tenths.len() as u64 + 1)
                {
                    tenths.push(started.elapsed().as_secs_f64());
                }
            }
        }
    };
    futures_util::future::try_join_all((0..args.concurrency.max(1)).map(|_| worker())).await?;
    let seconds = started.elapsed().as_secs_f64();
    ensure!(
        answered.get() == total,
        "sent {total}, answered {}",
        answered.get()
    );
    let tenths = tenths.into_inner();
    Ok(json!({
        "followers": total,
        "results": answered.get(),
        "errors": 0,
        "streams": streams,
        "seconds": seconds,
        "followers_per_second": total as f64 / seconds,
        "tenth_rates": tenth_rates(total, streams, &tenths),
        "client_cpu_seconds": own_cpu_seconds() - cpu_before,
    }))
}

/// Followers per second within each tenth of the run, from the times each tenth ended;
/// none when the run had too few streams or chunks (`units`) for tenths to mean anything.
fn tenth_rates(total: u64, units: u64, ends: &[f64]) -> Vec<f64> {
    if units < 20 || ends.len() < 10 {
        return Vec::new();
    }
    let tenth = total as f64 / 10.0;
    let mut previous = 0.0;
    ends.iter()
        .map(|&end| {
            let rate = tenth / (end - previous).max(1e-9);
            previous = end;
            rate
        })
        .collect()
}

/// Commands that open a store of their own want a fresh directory, never someone's data.
fn ensure_empty_dir(dir: &Path) -> anyhow::Result<()> {
    ensure!(
        !dir.exists() || std::fs::read_dir(dir)?.next().is_none(),
        "{} is not empty",
        dir.display()
    );
    Ok(())
}

async fn in_process(examples: &Examples, args: InProcess) -> anyhow::Result<serde_json::Value> {
    ensure_empty_dir(&args.data_dir)?;
    // The service exactly as the server opens it (same store options); the listener it
    // binds on a free loopback port is never served.
    let config = Config {
        cache_capacity_bytes: args.cache_mb * 1024 * 1024,
        ..Config::for_tests(&args.data_dir)
    };
    let app = App::build(config).await?;
    let service = app.service();
    let account = convert::account(&examples.account(&args.set.account), service.limits())?;
    let account_id: AccountId = account.account_id.clone();
    service.upsert_account(account, Timestamp::now())?;

    let total = args.set.followers;
    let per_chunk = args.per_chunk.max(1);
    let mut timed = Duration::ZERO;
    let mut stored = 0u64;
    let mut tenths = Vec::with_capacity(10);
    let cpu_before = own_cpu_seconds();
    let mut first = 0;
    while first < total {
        let end = (first + per_chunk).min(total);
        // Encoding stands for the client's side: not timed.
        let encoded: Vec<Vec<u8>> = (first..end)
            .map(|i| {
                examples
                    .stream_request(&args.set, i, i == first)
                    .encode_to_vec()
            })
            .collect();
        let started = Instant::now();
        let now = Timestamp::now();
        let items = encoded
            .iter()
            .map(|bytes| {
                let request = pb::ClassifyFollowersRequest::decode(bytes.as_slice())?;
                Ok(convert::score_item(request.profile, now, service.limits())?)
            })
            .collect::<anyhow::Result<Vec<ScoreItem>>>()?;
        let results = service.score_followers(&account_id, items, now)?.wait()?;
        timed += started.elapsed();
        ensure!(
            results.len() as u64 == end - first,
            "chunk at {first}: {} results for {} followers",
            results.len(),
            end - first
        );
        for (offset, result) in results.into_iter().enumerate() {
            let result = result.with_context(|| format!("follower {}", first + offset as u64))?;
            let id = examples.id(&args.set, first + offset as u64);
            ensure!(result.key.id.as_str() == id, "result for another follower");
        }
        stored += end - first;
        while tenths.len() < 10 && stored * 10 >= total * (tenths.len() as u64 + 1) {
            tenths.push(timed.as_secs_f64());
        }
        first = end;
    }
    let seconds = timed.as_secs_f64();
    let cpu = own_cpu_seconds() - cpu_before;
    drop(service);
    drop(app);
    Ok(json!({
        "followers": total,
        "results": stored,
        "seconds": seconds,
        "followers_per_second": total as f64 / seconds,
        "tenth_rates": tenth_rates(total, total.div_ceil(per_chunk), &tenths),
        "cpu_seconds_with_encoding": cpu,
    }))
}

async fn report(
    client: &mut FollowScoreClient<Channel>,
    account: &str,
) -> anyhow::Result<pb::NetworkQualityReport> {
    Ok(client
        .get_network_quality(pb::GetNetworkQualityRequest {
            account_id: account.to_owned(),
            platform: 0,
            top_n: 0,
        })
        .await?
        .into_inner())
}

/// Reads followers `indices` of the set back, one GetFollower call per platform and 1,000
/// ids; returns the results.
async fn read_back(
    client: &mut FollowScoreClient<Channel>,
    examples: &Examples,
    set: &Followers,
    indices: &[u64],
) -> anyhow::Result<Vec<pb::FollowerResult>> {
    let mut by_platform: std::collections::BTreeMap<i32, Vec<String>> = Default::default();
    for &i in indices {
        by_platform
            .entry(examples.platform(set, i))
            .or_default()
            .push(examples.id(set, i));
    }
    let mut results = Vec::with_capacity(indices.len());
    for (platform, ids) in by_platform {
        for chunk in ids.chunks(1_000) {
            let reply = client
                .get_follower(pb::GetFollowerRequest {
                    account_id: set.account.clone(),
                    platform,
                    follower_ids: chunk.to_vec(),
                })
                .await?
                .into_inner();
            ensure!(
                reply.not_found_ids.is_empty(),
                "{} followers not found, e.g. {}",
                reply.not_found_ids.len(),
                reply.not_found_ids[0]
            );
            ensure!(
                reply.results.len() == chunk.len(),
                "GetFollower answered for fewer"
            );
            results.extend(reply.results);
        }
    }
    Ok(results)
}

async fn verify(examples: &Examples, args: Verify) -> anyhow::Result<serde_json::Value> {
    let mut client = connect(&args.server).await?;
    let set = &args.set;
    let report = report(&mut client, &set.account).await?;
    ensure!(
        report.total_followers == set.followers,
        "account {} holds {} followers, expected {}",
        set.account,
        report.total_followers,
        set.followers
    );
    ensure!(
        report.stale_results == 0,
        "{} stale results",
        report.stale_results
    );
    let sample = args.sample.clamp(1, set.followers.max(1));
    let indices: Vec<u64> = (0..sample)
        .map(|k| k * set.followers / sample)
        .filter(|&i| i < set.followers)
        .collect();
    let results = read_back(&mut client, examples, set, &indices).await?;
    ensure!(
        results
            .iter()
            .all(|r| r.config_version == report.config_version),
        "a result read back is not of the current config_version"
    );
    Ok(json!({
        "account": set.account,
        "followers": report.total_followers,
        "read_back": results.len(),
        "config_version": report.config_version,
    }))
}

async fn rescore(examples: &Examples, args: Rescore) -> anyhow::Result<serde_json::Value> {
    let mut client = connect(&args.server).await?;
    let set = &args.set;
    let before = report(&mut client, &set.account).await?;
    ensure!(
        before.total_followers == set.followers && before.stale_results == 0,
        "the account should hold {} fresh followers, holds {} ({} stale)",
        set.followers,
        before.total_followers,
        before.stale_results
    );
    // An ICP edit: every stored result is now stale.
    let mut account = examples.account(&set.account);
    let icp = account.icp.get_or_insert_with(Default::default);
    icp.industries.push("Logistics".into());
    icp.min_company_size = Some(100);
    let started = Instant::now();
    let version = client
        .upsert_account(pb::UpsertAccountRequest {
            account: Some(account),
        })
        .await?
        .into_inner()
        .account
        .context("no account in the answer")?
        .config_version;
    ensure!(
        version > before.config_version,
        "config_version did not change"
    );

    let done = Cell::new(false);
    let reads = async {
        let mut client = client.clone();
        let mut latencies = Vec::new();
        let pace = Duration::from_secs_f64(1.0 / args.read_rate.max(1) as f64);
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut tick = tokio::time::interval(pace);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !done.get() {
            tick.tick().await;
            // xorshift: a spread of followers, the same each run.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let i = state % set.followers.max(1);
            let call = Instant::now();
            let reply = client
                .get_follower(pb::GetFollowerRequest {
                    account_id: set.account.clone(),
                    platform: examples.platform(set, i),
                    follower_ids: vec![examples.id(set, i)],
                })
                .await?
                .into_inner();
            latencies.push(call.elapsed());
            ensure!(reply.results.len() == 1, "follower {i} not found");
        }
        anyhow::Ok(latencies)
    };
    let pass = async {
        let outcome = rescoring_pass(client.clone(), &set.account, version, started, &args).await;
        done.set(true);
        outcome
    };
    let (latencies, pass) = tokio::join!(reads, pass);
    let (elapsed, polls, stale_seen) = pass?;
    let mut latencies = latencies?;
    latencies.sort();
    let quantile = |q: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let at = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies[at].as_secs_f64() * 1e3
    };
    let after = report(&mut client, &set.account).await?;
    ensure!(
        after.total_followers == set.followers,
        "the account holds {} followers after rescoring, expected {}",
        after.total_followers,
        set.followers
    );
    Ok(json!({
        "followers": set.followers,
        "config_version": version,
        "seconds": elapsed.as_secs_f64(),
        "followers_per_second": set.followers as f64 / elapsed.as_secs_f64(),
        "stale_seen": stale_seen,
        "polls": polls,
        "reads": latencies.len(),
        "read_p50_ms": quantile(0.50),
        "read_p99_ms": quantile(0.99),
        "read_max_ms": quantile(1.0),
    }))
}

/// Polls the report until no result is stale under `version`: (time taken, polls, the most
/// stale results seen).
async fn rescoring_pass(
    mut client: FollowScoreClient<Channel>,
    account: &str,
    version: u64,
    started: Instant,
    args: &Rescore,
) -> anyhow::Result<(Duration, u64, u64)> {
    let deadline = Duration::from_secs(args.timeout_secs);
    let mut polls = 0u64;
    let mut stale_seen = 0u64;
    loop {
        let r = report(&mut client, account).await?;
        polls += 1;
        stale_seen = stale_seen.max(r.stale_results);
        if r.stale_results == 0 && r.config_version == version {
            return Ok((started.elapsed(), polls, stale_seen));
        }
        ensure!(
            started.elapsed() < deadline,
            "rescoring not done after {} s: {} stale",
            args.timeout_secs,
            r.stale_results
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Distinct counters give distinct, scattered ids (splitmix64's first output is a bijection).
fn spread(n: u64) -> u64 {
    followscore::sampling::SplitMix64(n).next_u64()
}
