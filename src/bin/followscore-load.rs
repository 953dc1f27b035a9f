//! `followscore-load`: streams a given number of realistic followers through one
//! `ClassifyFollowers` stream against a running server and reports the rate, checking that
//! every follower got exactly one answer. Profiles cycle through the shipped examples (all
//! formats) with unique ids, so the server sees varied followers, not one record repeated.
//!
//! Used by `benches/stream.sh`; see BENCHMARKS.md.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Parser;
use followscore::cli::json::JsonCodec;
use followscore::grpc::pb::follow_score_client::FollowScoreClient;
use followscore::grpc::{convert, pb};
use tokio_stream::StreamExt as _;

#[derive(Debug, Parser)]
#[command(about = "Streams followers through ClassifyFollowers and reports the rate")]
struct Args {
    /// Server address.
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    addr: String,
    /// Followers to send in one stream.
    #[arg(long, default_value_t = 100_000)]
    followers: u64,
    /// Account id to create (from examples/account.json) and stream into.
    #[arg(long, default_value = "load-test")]
    account: String,
    /// Folder with the example account and follower files.
    #[arg(long, default_value = "examples")]
    examples: PathBuf,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let codec = JsonCodec::new()?;
    let json =
        std::fs::read_to_string(args.examples.join("account.json")).context("example account")?;
    let mut account: pb::Account = codec.parse("followscore.v1.Account", &json)?;
    account.account_id = args.account.clone();

    let mut profiles = Vec::new();
    for file in [
        "followers_linkedin.csv",
        "followers_twitter.csv",
        "followers_twitter_v11.jsonl",
        "followers_twitter_v2.jsonl",
    ] {
        let (_, rows) = followscore::import::open_followers(&args.examples.join(file), None)?;
        profiles.extend(
            rows.filter_map(|row| row.outcome.ok())
                .map(|p| convert::wire_profile(&p)),
        );
    }
    anyhow::ensure!(
        !profiles.is_empty(),
        "no example followers found in {}",
        args.examples.display()
    );

    let mut client = FollowScoreClient::connect(args.addr.clone())
        .await
        .with_context(|| format!("cannot connect to {}", args.addr))?;
    client
        .upsert_account(pb::UpsertAccountRequest {
            account: Some(account),
        })
        .await?;

    let total = args.followers;
    let account_id = args.account.clone();
    let requests = tokio_stream::iter((0..total).map(move |i| {
        let mut profile = profiles[(i as usize) % profiles.len()].clone();
        profile.follower_id = format!("{}-{i}", profile.follower_id);
        pb::ClassifyFollowersRequest {
            account_id: if i == 0 {
                account_id.clone()
            } else {
                String::new()
            },
            profile: Some(profile),
            correlation_id: String::new(),
        }
    }));
    let started = Instant::now();
    let mut responses = client.classify_followers(requests).await?.into_inner();
    let (mut results, mut errors, mut expected_index) = (0u64, 0u64, 0u64);
    while let Some(response) = responses.next().await {
        let response = response?;
        anyhow::ensure!(
            response.index == expected_index,
            "answer {} out of order",
            response.index
        );
        expected_index += 1;
        match response.outcome {
            Some(pb::classify_followers_response::Outcome::Result(_)) => results += 1,
            _ => errors += 1,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        results + errors == total,
        "sent {total}, answered {}",
        results + errors
    );
    println!(
        "{{\"followers\":{total},\"results\":{results},\"errors\":{errors},\"seconds\":{seconds:.2},\"followers_per_second\":{:.0}}}",
        total as f64 / seconds
    );
    Ok(())
}
