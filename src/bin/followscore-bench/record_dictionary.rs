//! `record-dictionary`: trains the zstd dictionary follower records are compressed with
//! (`store::compression`). Each account directory (an `account.json` beside follower
//! files, as `eval/*`) is scored and stored through the `Service` the server runs, in a
//! fresh data directory; the stored records, encoded as the store encodes them before
//! compression, are the samples.
//!
//! A dictionary is part of the record format: the one in the repository was made once by
//! this command on `eval/*` and is frozen (a new one is a new record format).

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
    /// Account directories: `account.json` and follower files (`*.csv`, `*.jsonl`; a
    /// `labels.csv` is not a follower file).
    #[arg(long = "from", required = true)]
    accounts: Vec<PathBuf>,
    /// A fresh, empty data directory for the scoring.
    #[arg(long)]
    data_dir: PathBuf,
    /// Where the dictionary is written.
    #[arg(long)]
    out: PathBuf,
    /// Largest dictionary size, in bytes.
    #[arg(long, default_value_t = 4096)]
    max_bytes: usize,
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

pub async fn record_dictionary(args: RecordDictionary) -> anyhow::Result<serde_json::Value> {
    ensure!(
        !args.data_dir.exists() || std::fs::read_dir(&args.data_dir)?.next().is_none(),
        "{} is not empty",
        args.data_dir.display()
    );
    let app = App::build(Config::for_tests(&args.data_dir)).await?;
    let service = app.service();
    let codec = JsonCodec::new()?;
    let mut samples = Vec::new();
    for (n, dir) in args.accounts.iter().enumerate() {
        let json = std::fs::read_to_string(dir.join("account.json"))
            .with_context(|| format!("account in {}", dir.display()))?;
        let mut wire: pb::Account = codec.parse("followscore.v1.Account", &json)?;
        wire.account_id = format!("training-{n}");
        let account = convert::account(&wire, service.limits())?;
        let id: AccountId = account.account_id.clone();
        service.upsert_account(account, Timestamp::now())?;
        for file in follower_files(dir)? {
            let (_, rows) = followscore::import::open_followers(&file, None)?;
            let profiles: Vec<pb::FollowerProfile> = rows
                .filter_map(|row| row.outcome.ok())
                .map(|p| convert::wire_profile(&p))
                .collect();
            for chunk in profiles.chunks(1_000) {
                let now = Timestamp::now();
                let items = chunk
                    .iter()
                    .map(|p| convert::score_item(Some(p), now, service.limits()))
                    .collect::<Result<Vec<ScoreItem>, _>>()?;
                for result in service.score_followers(&id, items, now)?.wait()? {
                    result?;
                }
            }
        }
        let store = service.store().account_store(&id)?;
        let mut after: Option<FollowerKey> = None;
        loop {
            let page = store.scan_followers(after.as_ref(), 1_000)?;
            let Some(last) = page.last() else { break };
            after = Some(last.result.key.clone());
            for record in &page {
                samples.push(followscore::store::record_plaintext(record)?);
            }
        }
    }
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
