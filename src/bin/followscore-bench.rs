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
//!   streams; checks every answer (count, order, ids, no per-item error). Paired
//!   (`--paired-in-process`), it fills in tenths and has `in-process --stepwise` store each
//!   tenth's followers right after the stream did, so each tenth's two rates are measured
//!   at the same store size, seconds apart.
//! - `in-process`: the same followers, pre-encoded, decoded and scored and stored durably
//!   through the `Service` the server runs, in chunks of one stream's size, no transport.
//! - `verify`: an account holds exactly the expected followers, none stale, and a sample of
//!   them reads back.
//! - `rescore`: changes the account's ICP and times the background rescoring pass until no
//!   result is stale, reading followers at a steady rate meanwhile for their latency. Pass
//!   `k` of a series (`--pass k`) edits the example account's ICP when `k` is odd and puts it
//!   back when `k` is even, so every pass of a series follows an ICP change and each can be
//!   timed, without an untimed pass between them.
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
    /// Pairs the stream with the in-process baseline in time: the fill goes in tenths, and
    /// after each tenth this process stores the same followers through a `Service` of its
    /// own, on `--paired-core`, into this fresh data directory (as `in-process` does). The
    /// two rates of each tenth are then measured a few seconds apart, at the same store
    /// size, so a machine whose speed drifts moves both alike.
    #[arg(long)]
    paired_in_process: Option<PathBuf>,
    /// The core the paired in-process work runs on: the server's.
    #[arg(long, default_value_t = 0)]
    paired_core: usize,
    /// Store page cache of the paired in-process store, in MiB (as the server's `--cache-mb`).
    #[arg(long, default_value_t = followscore::config::DEFAULT_CACHE_MB)]
    cache_mb: u64,
    /// The server's process id: its share of a core while the followers stream is reported
    /// (with pairing, the server idles during the in-process tenths, which would hide it).
    #[arg(long)]
    server_pid: Option<u32>,
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
    /// Stores the followers in steps, as a paired `stream` asks (see its
    /// `--paired-in-process`): prints `{"open":true}` once the store is open, then reads one
    /// range `FIRST END` per line from standard input, stores those followers and prints
    /// `{"seconds":…}` for each, until the input ends.
    #[arg(long)]
    stepwise: bool,
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
    /// Which pass of a series this is, from 1: odd passes edit the example account's ICP,
    /// even ones put it back (each is a change that leaves every result stale).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pass: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let examples = Arc::new(Examples::load(&args.examples)?);
    let out = match args.command {
        Command::Setup(a) => setup(&examples, a).await?,
        Command::Bodies(a) => bodies(&examples, &a)?,
        Command::Probe(a) => probe(a).await?,
        Command::Stream(a) => stream(&args.examples, examples, a).await?,
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

/// CPU seconds this process has used (user + system).
fn own_cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/self/stat")
}

/// CPU seconds another process (all its threads) has used.
fn process_cpu_seconds(pid: u32) -> f64 {
    cpu_seconds_of(&format!("/proc/{pid}/stat"))
}

/// User + system time from a `/proc/…/stat` file, which reports it in USER_HZ = 100.
fn cpu_seconds_of(stat: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(stat) else {
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

async fn stream(
    examples_dir: &Path,
    examples: Arc<Examples>,
    args: Stream,
) -> anyhow::Result<serde_json::Value> {
    let client = connect(&args.server).await?;
    let total = args.set.followers;
    let per_stream = args.per_stream.max(1);
    let streams = total.div_ceil(per_stream);
    let fill = Fill {
        client,
        examples: examples.clone(),
        set: args.set.clone(),
        per_stream,
        concurrency: args.concurrency.max(1),
    };
    let server_before = args.server_pid.map(process_cpu_seconds);
    let Some(dir) = &args.paired_in_process else {
        // When the answered count crossed each tenth of the total: the rate per tenth shows
        // whether streaming slows as the store grows.
        let tenths = RefCell::new(Vec::with_capacity(10));
        let cpu_before = own_cpu_seconds();
        let started = Instant::now();
        fill.streams(0..streams, &|answered| {
            let mut tenths = tenths.borrow_mut();
            while tenths.len() < 10 && answered * 10 >= total * (tenths.len() as u64 + 1) {
                tenths.push(started.elapsed().as_secs_f64());
            }
        })
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        let server_cpu = args
            .server_pid
            .zip(server_before)
            .map(|(pid, before)| process_cpu_seconds(pid) - before);
        return Ok(stream_figures(
            total,
            streams,
            seconds,
            tenth_rates(total, streams, &tenths.into_inner()),
            own_cpu_seconds() - cpu_before,
            server_cpu,
        ));
    };

    // Paired: stream a tenth, store the same followers in process, and again.
    let mut baseline = PairedBaseline::start(
        examples_dir,
        &args.set,
        dir,
        args.cache_mb,
        args.paired_core,
    )?;
    let parts = streams.min(10);
    let mut stream_seconds = Vec::with_capacity(parts as usize);
    let mut baseline_seconds = Vec::with_capacity(parts as usize);
    let mut counts = Vec::with_capacity(parts as usize);
    let mut client_cpu = 0.0;
    let mut server_cpu = 0.0;
    for part in 0..parts {
        let streams_of_part = streams * part / parts..streams * (part + 1) / parts;
        let followers =
            streams_of_part.start * per_stream..(streams_of_part.end * per_stream).min(total);
        let (cpu_before, server_before) =
            (own_cpu_seconds(), args.server_pid.map(process_cpu_seconds));
        let started = Instant::now();
        fill.streams(streams_of_part, &|_| {}).await?;
        stream_seconds.push(started.elapsed().as_secs_f64());
        client_cpu += own_cpu_seconds() - cpu_before;
        if let (Some(pid), Some(before)) = (args.server_pid, server_before) {
            server_cpu += process_cpu_seconds(pid) - before;
        }
        baseline_seconds.push(baseline.store(followers.clone())?);
        counts.push(followers.end - followers.start);
    }
    baseline.finish()?;
    let rate = |seconds: &[f64]| -> Vec<f64> {
        counts
            .iter()
            .zip(seconds)
            .map(|(n, s)| *n as f64 / s.max(1e-9))
            .collect()
    };
    let (stream_rates, baseline_rates) = (rate(&stream_seconds), rate(&baseline_seconds));
    let ratios: Vec<f64> = stream_rates
        .iter()
        .zip(&baseline_rates)
        .map(|(s, b)| s / b)
        .collect();
    let tenths_apply = parts == 10 && streams >= 20;
    let seconds: f64 = stream_seconds.iter().sum();
    let in_process_seconds: f64 = baseline_seconds.iter().sum();
    // Rates per tenth only when there are ten tenths (as `tenth_rates` decides).
    let (stream_tenths, baseline_tenths) = if tenths_apply {
        (stream_rates, baseline_rates)
    } else {
        (Vec::new(), Vec::new())
    };
    let server_cpu = args.server_pid.map(|_| server_cpu);
    let mut figures = stream_figures(
        total,
        streams,
        seconds,
        stream_tenths,
        client_cpu,
        server_cpu,
    );
    figures["in_process_seconds"] = json!(in_process_seconds);
    figures["in_process_followers_per_second"] = json!(total as f64 / in_process_seconds);
    figures["in_process_tenth_rates"] = json!(baseline_tenths);
    figures["paired_ratio_median"] = json!(median(&ratios));
    figures["paired_ratios"] = json!(ratios);
    Ok(figures)
}

/// What every `stream` run reports (`bench/run.sh` reads these by name); a paired run adds
/// its baseline's figures. `server_cpu`: the server's CPU seconds while followers streamed,
/// when its process id was given.
fn stream_figures(
    total: u64,
    streams: u64,
    seconds: f64,
    tenth_rates: Vec<f64>,
    client_cpu_seconds: f64,
    server_cpu: Option<f64>,
) -> serde_json::Value {
    json!({
        "followers": total,
        "results": total,
        "errors": 0,
        "streams": streams,
        "seconds": seconds,
        "followers_per_second": total as f64 / seconds,
        "tenth_rates": tenth_rates,
        "client_cpu_seconds": client_cpu_seconds,
        "server_busy": server_cpu.map(|cpu| cpu / seconds),
    })
}

/// The median (the mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// What one fill streams: followers of a set, `per_stream` per ClassifyFollowers call,
/// `concurrency` calls in flight on one connection.
struct Fill {
    client: FollowScoreClient<Channel>,
    examples: Arc<Examples>,
    set: Followers,
    per_stream: u64,
    concurrency: usize,
}

impl Fill {
    /// Sends the streams numbered `streams` (stream `s` carries followers `s × per_stream`
    /// onwards) and checks every answer: count, order, ids, no per-item error. Calls
    /// `answered` with the running count of answered followers after each stream.
    async fn streams(
        &self,
        streams: std::ops::Range<u64>,
        answered: &dyn Fn(u64),
    ) -> anyhow::Result<()> {
        let total = self.set.followers;
        let next_stream = Cell::new(streams.start);
        let done = Cell::new(0u64);
        let worker = || {
            let mut client = self.client.clone();
            let (next_stream, done, set) = (&next_stream, &done, &self.set);
            let (examples, end_stream) = (&self.examples, streams.end);
            async move {
                loop {
                    let s = next_stream.get();
                    if s >= end_stream {
                        return anyhow::Ok(());
                    }
                    next_stream.set(s + 1);
                    let first = s * self.per_stream;
                    let end = (first + self.per_stream).min(total);
                    let (owned, examples_for_stream) = (set.clone(), examples.clone());
                    let requests =
                        tokio_stream::iter((first..end).map(move |i| {
                            examples_for_stream.stream_request(&owned, i, i == first)
                        }));
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
                    done.set(done.get() + expected);
                    answered(done.get());
                }
            }
        };
        futures_util::future::try_join_all((0..self.concurrency).map(|_| worker())).await?;
        let sent = ((streams.end * self.per_stream).min(total))
            .saturating_sub((streams.start * self.per_stream).min(total));
        ensure!(done.get() == sent, "sent {sent}, answered {}", done.get());
        Ok(())
    }
}

/// The in-process baseline of a paired stream: `followscore-bench in-process --stepwise`
/// in a process of its own pinned to the server's core (`taskset`), as the unpaired
/// baseline runs, handed one range of followers at a time while the stream waits.
struct PairedBaseline {
    child: std::process::Child,
    ranges: std::process::ChildStdin,
    answers: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl PairedBaseline {
    fn start(
        examples_dir: &Path,
        set: &Followers,
        data_dir: &Path,
        cache_mb: u64,
        core: usize,
    ) -> anyhow::Result<Self> {
        use std::io::BufRead as _;
        use std::process::{Command, Stdio};
        let mut child = Command::new("taskset")
            .arg("-c")
            .arg(core.to_string())
            .arg(std::env::current_exe()?)
            .arg("--examples")
            .arg(examples_dir)
            .args(["in-process", "--stepwise", "--data-dir"])
            .arg(data_dir)
            .args(["--cache-mb", &cache_mb.to_string()])
            .args([
                "--account",
                &set.account,
                "--followers",
                &set.followers.to_string(),
            ])
            .args(["--tag", &set.tag, "--stride", &set.stride.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context(
                "cannot start the in-process baseline (taskset followscore-bench in-process)",
            )?;
        let (Some(ranges), Some(answers)) = (child.stdin.take(), child.stdout.take()) else {
            bail!("the in-process baseline has no pipes");
        };
        let mut baseline = Self {
            child,
            ranges,
            answers: std::io::BufReader::new(answers).lines(),
        };
        // Its first line says the store is open.
        baseline.answer()?;
        Ok(baseline)
    }

    fn answer(&mut self) -> anyhow::Result<serde_json::Value> {
        let line = self
            .answers
            .next()
            .context("the in-process baseline ended")??;
        Ok(serde_json::from_str(&line)?)
    }

    /// Stores followers `range` in the baseline; the seconds decoding, scoring and storing
    /// took there.
    fn store(&mut self, range: std::ops::Range<u64>) -> anyhow::Result<f64> {
        use std::io::Write as _;
        writeln!(self.ranges, "{} {}", range.start, range.end)
            .context("the in-process baseline ended")?;
        self.ranges.flush()?;
        let answer = self.answer()?;
        answer["seconds"]
            .as_f64()
            .with_context(|| format!("the in-process baseline answered {answer}"))
    }

    fn finish(mut self) -> anyhow::Result<()> {
        drop(self.ranges);
        let status = self.child.wait()?;
        ensure!(status.success(), "the in-process baseline failed: {status}");
        Ok(())
    }
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

/// A `Service` opened exactly as the server opens it (same store options), on a data
/// directory of its own, with the set's account; the listener it binds on a free loopback
/// port is never served.
struct InProcessStore {
    app: App,
    account_id: AccountId,
    per_chunk: u64,
}

impl InProcessStore {
    async fn open(
        examples: &Examples,
        set: &Followers,
        data_dir: &Path,
        cache_mb: u64,
    ) -> anyhow::Result<Self> {
        ensure_empty_dir(data_dir)?;
        let config = Config {
            cache_capacity_bytes: cache_mb * 1024 * 1024,
            ..Config::for_tests(data_dir)
        };
        let app = App::build(config).await?;
        let service = app.service();
        let account = convert::account(&examples.account(&set.account), service.limits())?;
        let account_id: AccountId = account.account_id.clone();
        service.upsert_account(account, Timestamp::now())?;
        Ok(Self {
            app,
            account_id,
            per_chunk: 1_000,
        })
    }

    /// Decodes, converts, scores and stores followers `range` of the set durably, in chunks
    /// of `per_chunk` (one stream's worth), checking every result; returns the time that
    /// took. Encoding the requests stands for the client's side and is not timed.
    /// `stored_after` is called with the followers stored so far and the time so far,
    /// after each chunk.
    fn store(
        &self,
        examples: &Examples,
        set: &Followers,
        range: std::ops::Range<u64>,
        mut stored_after: impl FnMut(u64, Duration),
    ) -> anyhow::Result<Duration> {
        let service = self.app.service();
        let mut timed = Duration::ZERO;
        let mut first = range.start;
        while first < range.end {
            let end = (first + self.per_chunk).min(range.end);
            let encoded: Vec<Vec<u8>> = (first..end)
                .map(|i| examples.stream_request(set, i, i == first).encode_to_vec())
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
            let results = service
                .score_followers(&self.account_id, items, now)?
                .wait()?;
            timed += started.elapsed();
            ensure!(
                results.len() as u64 == end - first,
                "chunk at {first}: {} results for {} followers",
                results.len(),
                end - first
            );
            for (offset, result) in results.into_iter().enumerate() {
                let result =
                    result.with_context(|| format!("follower {}", first + offset as u64))?;
                let id = examples.id(set, first + offset as u64);
                ensure!(result.key.id.as_str() == id, "result for another follower");
            }
            stored_after(end - range.start, timed);
            first = end;
        }
        Ok(timed)
    }
}

async fn in_process(examples: &Examples, args: InProcess) -> anyhow::Result<serde_json::Value> {
    let mut store =
        InProcessStore::open(examples, &args.set, &args.data_dir, args.cache_mb).await?;
    store.per_chunk = args.per_chunk.max(1);
    if args.stepwise {
        return stepwise(&store, examples, &args.set);
    }
    let total = args.set.followers;
    let mut tenths = Vec::with_capacity(10);
    let cpu_before = own_cpu_seconds();
    let timed = store.store(examples, &args.set, 0..total, |stored, timed| {
        while tenths.len() < 10 && stored * 10 >= total * (tenths.len() as u64 + 1) {
            tenths.push(timed.as_secs_f64());
        }
    })?;
    let seconds = timed.as_secs_f64();
    let cpu = own_cpu_seconds() - cpu_before;
    let chunks = total.div_ceil(store.per_chunk);
    drop(store);
    Ok(json!({
        "followers": total,
        "results": total,
        "seconds": seconds,
        "followers_per_second": total as f64 / seconds,
        "tenth_rates": tenth_rates(total, chunks, &tenths),
        "cpu_seconds_with_encoding": cpu,
    }))
}

/// `in-process --stepwise`: one range of followers per input line, one answer per range.
fn stepwise(
    store: &InProcessStore,
    examples: &Examples,
    set: &Followers,
) -> anyhow::Result<serde_json::Value> {
    use std::io::{BufRead as _, Write as _};
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", json!({ "open": true }))?;
    out.flush()?;
    let mut stored = 0;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let (first, end) = line
            .split_once(' ')
            .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
            .with_context(|| format!("not a range FIRST END: {line:?}"))?;
        ensure!(
            first <= end && end <= set.followers,
            "range {first}..{end} is not within the set's {} followers",
            set.followers
        );
        let timed = store.store(examples, set, first..end, |_, _| {})?;
        stored += end - first;
        writeln!(out, "{}", json!({ "seconds": timed.as_secs_f64() }))?;
        out.flush()?;
    }
    Ok(json!({ "stored": stored }))
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
    // An ICP edit, or on an even pass its undoing: every stored result is now stale.
    let mut account = examples.account(&set.account);
    if args.pass % 2 == 1 {
        let icp = account.icp.get_or_insert_with(Default::default);
        icp.industries.push("Logistics".into());
        icp.min_company_size = Some(100);
    }
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
        "pass": args.pass,
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
