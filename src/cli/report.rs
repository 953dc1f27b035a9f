//! `followscore report`: the network quality report as one self-contained HTML page.
//!
//! Gets a `NetworkReport` from a source and hands it to `report_html::render`; the page
//! knows nothing of where the report came from. The sources: a running server (`--addr`)
//! or a stopped server's data directory (`--data-dir`), read through `source.rs` as
//! `followscore export` reads them; or follower files scored offline with the engine,
//! exactly as `classify` scores them (`--files`). This module does not draw (that is
//! `report_html`) and does not score (that is the engine).

use std::path::PathBuf;

use anyhow::Context as _;

use super::classify::{ScoredFiles, load_account, score_files};
use super::json::JsonCodec;
use super::report_html;
use super::source::{ResultSource, SourceArgs};
use crate::engine::counting::report::NetworkReport;
use crate::engine::ids::AccountId;
use crate::engine::time::Timestamp;
use crate::import::InputFormat;

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// The account id; with `--files`, the account file (the Account message in proto3
    /// JSON).
    #[arg(long)]
    pub account: String,
    /// A running server to read the stored report from, e.g. http://127.0.0.1:50051.
    #[arg(long, value_name = "URL", conflicts_with = "data_dir")]
    pub addr: Option<String>,
    /// The data directory of a stopped server to read the stored report from.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Score these follower files offline (X API JSON lines, X v1.1 CSV, LinkedIn CSV) and
    /// report on them instead of reading a stored report.
    #[arg(long, num_args = 1.., conflicts_with_all = ["addr", "data_dir"])]
    pub files: Vec<PathBuf>,
    /// Input format for every file; detected per file when omitted.
    #[arg(long)]
    pub format: Option<InputFormat>,
    /// Where to write the HTML page.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of top leads on the page.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

pub fn report(args: &ReportArgs) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let (name, report, based_on) = if args.files.is_empty() {
        stored_report(args)?
    } else {
        report_of_files(args, now)?
    };
    let html = report_html::render(&name, &report, now);
    std::fs::write(&args.out, html)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "{}: network quality report of {name}, {based_on}",
        args.out.display()
    );
    Ok(())
}

/// The report an account has stored, from a server or a data directory.
fn stored_report(args: &ReportArgs) -> anyhow::Result<(String, NetworkReport, String)> {
    let account = AccountId::parse(&args.account)
        .map_err(|e| anyhow::anyhow!("--account {}: {e}", args.account))?;
    // Export's source arguments are a required group; here `--files` is a third choice, so
    // the two are declared on this command and handed over.
    let source = SourceArgs {
        addr: args.addr.clone(),
        data_dir: args.data_dir.clone(),
    };
    if source.addr.is_none() && source.data_dir.is_none() {
        anyhow::bail!(
            "give --addr (a running server), --data-dir (a stopped one's data) or --files"
        );
    }
    let mut source = ResultSource::open(&source)?;
    let stored = source.report(&account, None, args.top)?;
    let based_on = format!("{} stored followers", stored.report.total_followers);
    Ok((stored.account_name, stored.report, based_on))
}

/// The report of follower files scored offline, as `classify` scores them.
fn report_of_files(
    args: &ReportArgs,
    now: Timestamp,
) -> anyhow::Result<(String, NetworkReport, String)> {
    let codec = JsonCodec::new()?;
    let ctx = load_account(&codec, std::path::Path::new(&args.account))?;
    let ScoredFiles {
        report,
        scored,
        skipped,
    } = score_files(&ctx, &args.files, args.format, args.top, now, |_| Ok(()))?;
    let name = if ctx.config.display_name.is_empty() {
        ctx.config.account_id.as_str().to_owned()
    } else {
        ctx.config.display_name.clone()
    };
    Ok((
        name,
        report,
        format!("{scored} followers scored ({skipped} rows skipped)"),
    ))
}
