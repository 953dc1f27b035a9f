//! `followscore report`: the network quality report as one self-contained HTML page.
//!
//! Gets a `NetworkReport` from a source and hands it to `report_html::render`; the page
//! knows nothing of where the report came from. The source here is follower files scored
//! offline with the engine, exactly as `classify` scores them (`--files`). This module
//! does not draw (that is `report_html`) and does not score (that is the engine).

use std::path::PathBuf;

use anyhow::Context as _;

use super::classify::{ScoredFiles, load_account, score_files};
use super::json::JsonCodec;
use super::report_html;
use crate::engine::time::Timestamp;
use crate::import::InputFormat;

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// With `--files`: the account file (the Account message in proto3 JSON).
    #[arg(long)]
    pub account: String,
    /// Score these follower files offline (X API JSON lines, X v1.1 CSV, LinkedIn CSV) and
    /// report on them.
    #[arg(long, num_args = 1.., required = true)]
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
    let codec = JsonCodec::new()?;
    let ctx = load_account(&codec, std::path::Path::new(&args.account))?;
    let now = Timestamp::now();
    let ScoredFiles {
        report,
        scored,
        skipped,
    } = score_files(&ctx, &args.files, args.format, args.top, now, |_| Ok(()))?;
    let name = if ctx.config.display_name.is_empty() {
        ctx.config.account_id.as_str()
    } else {
        &ctx.config.display_name
    };
    let html = report_html::render(name, &report, now);
    std::fs::write(&args.out, html)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "{}: network quality report of {scored} followers ({skipped} rows skipped)",
        args.out.display()
    );
    Ok(())
}
