//! `record-dictionary`: trains the zstd dictionary follower records are compressed with
//! (`store::compression`). Each account directory (an `account.json` beside follower
//! files, as `eval/*`) is scored and stored through the `Service` the server runs, in a
//! fresh data directory; the stored records, encoded as the store encodes them before
//! compression, are the samples.
//!
//! A dictionary is part of the record format: the one in the repository was made once by
//! this command on `eval/*` and is frozen (a new one is a new record format). Running it
//! again makes a different dictionary, of the same quality: the records carry the time
//! they were scored, and zstd derives the dictionary's id from its content.
//!
//! `record-sizes`: the same followers' records, plain and as stored (format byte and frame
//! with the frozen dictionary), for the sizes in BENCHMARKS.md on followers the dictionary
//! was not trained on.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, ensure};
use followscore::app::App;
use followscore::cli::json::JsonCodec;
use followscore::config::Config;
use followscore::engine::ids::{AccountId, FollowerKey};
use followscore::engine::time::Timestamp;
use followscore::grpc::{convert, pb};
use followscore::service::ScoreItem;
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct RecordDictionary {
    #[command(flatten)]
    followers: Sources,
    /// Where the dictionary is written.
    #[arg(long)]
    out: PathBuf,
    /// Largest dictionary size, in bytes.
    #[arg(long, default_value_t = 4096)]
    max_bytes: usize,
}

#[derive(Debug, clap::Args)]
pub struct RecordSizes {
    #[command(flatten)]
    followers: Sources,
}

/// Where the followers come from.
#[derive(Debug, clap::Args)]
pub struct Sources {
    /// Directories of follower files (`*.csv`, `*.jsonl`; a `labels.csv` is not a follower
    /// file), each scored under its `account.json`, or under `--account` if it has none.
    #[arg(long = "from", required = true)]
    dirs: Vec<PathBuf>,
    /// The account for directories without an `account.json`.
    #[arg(long)]
    account: Option<PathBuf>,
    /// A fresh, empty data directory for the scoring.
    #[arg(long)]
    data_dir: PathBuf,
}

/// Follower files of an account directory, in name order.
fn follower_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if (name.ends_with(".csv") || name.ends_with(".jsonl")) && name != "labels.csv" {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Each source's records as the store encodes them before compression, scored and stored
/// through the `Service` the server runs.
async fn scored_records(sources: &Sources) -> anyhow::Result<Vec<Vec<Vec<u8>>>> {
    super::ensure_empty_dir(&sources.data_dir)?;
    let app = App::build(Config::for_tests(&sources.data_dir)).await?;
    let service = app.service();
    let codec = JsonCodec::new()?;
    let mut all = Vec::new();
    for (n, dir) in sources.dirs.iter().enumerate() {
        let own = dir.join("account.json");
        let account_file = match &sources.account {
            Some(file) if !own.exists() => file.clone(),
            _ => own,
        };
        let json = std::fs::read_to_string(&account_file)
            .with_context(|| format!("account {}", account_file.display()))?;
        let mut wire: pb::Account = codec.parse("followscore.v1.Account", &json)?;
        wire.account_id = format!("source-{n}");
        let account = convert::account(&wire, service.limits())?;
        let id: AccountId = account.account_id.clone();
        service.upsert_account(account, Timestamp::now())?;
        for file in follower_files(dir)? {
            let (_, rows) = followscore::import::open_followers(&file, None)
                .with_context(|| format!("{}", file.display()))?;
            let profiles: Vec<pb::FollowerProfile> = rows
                .filter_map(|row| row.outcome.ok())
                .map(|p| convert::wire_profile(&p))
                .collect();
            for chunk in profiles.chunks(1_000) {
                let now = Timestamp::now();
                let items = chunk
                    .iter()
                    .map(|p| convert::score_item(Some(p.clone()), now, service.limits()))
                    .collect::<Result<Vec<ScoreItem>, _>>()?;
                for result in service.score_followers(&id, items, now)?.wait()? {
                    result?;
                }
            }
        }
        let store = service.store().account_store(&id)?;
        let mut records = Vec::new();
        let mut after: Option<FollowerKey> = None;
        loop {
            let page = store.scan_followers(after.as_ref(), 1_000)?;
            let Some(last) = page.last() else { break };
            after = Some(last.result.key.clone());
            for record in &page {
                records.push(followscore::store::record_plaintext(record)?);
            }
        }
        all.push(records);
    }
    Ok(all)
}

pub async fn record_dictionary(args: RecordDictionary) -> anyhow::Result<serde_json::Value> {
    let samples: Vec<Vec<u8>> = scored_records(&args.followers)
        .await?
        .into_iter()
        .flatten()
        .collect();
    ensure!(!samples.is_empty(), "no followers to train on");
    let dictionary = followscore::store::compression::train_dictionary(&samples, args.max_bytes)?;
    std::fs::write(&args.out, &dictionary)
        .with_context(|| format!("writing {}", args.out.display()))?;
    let plain: usize = samples.iter().map(Vec::len).sum();
    Ok(json!({
        "samples": samples.len(),
        "sample_bytes_mean": plain as f64 / samples.len() as f64,
        "dictionary_bytes": dictionary.len(),
        "out": args.out,
    }))
}

pub async fn record_sizes(args: RecordSizes) -> anyhow::Result<serde_json::Value> {
    let sources = scored_records(&args.followers).await?;
    let mut out = Vec::new();
    for (dir, records) in args.followers.dirs.iter().zip(&sources) {
        ensure!(!records.is_empty(), "no followers in {}", dir.display());
        let mut stored = 0usize;
        for plain in records {
            let mut value = vec![0u8];
            followscore::store::compression::compress_into(plain, &mut value)?;
            stored += value.len();
        }
        let plain: usize = records.iter().map(Vec::len).sum();
        let n = records.len() as f64;
        out.push(json!({
            "from": dir,
            "records": records.len(),
            "plain_bytes_mean": plain as f64 / n,
            "stored_bytes_mean": stored as f64 / n,
            "ratio": stored as f64 / plain as f64,
        }));
    }
    Ok(json!(out))
}
