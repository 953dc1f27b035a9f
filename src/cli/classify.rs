//! `followscore classify`: scores follower files with the engine alone (no server, no
//! store) and prints the network quality report at the end.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use super::json::JsonCodec;
use crate::engine::bot;
use crate::engine::context::ScoringContext;
use crate::engine::counting::aggregates::{AccountAggregates, Contribution, VersionStamp};
use crate::engine::counting::report::{self, NetworkReport, ReportInputs, Share};
use crate::engine::deciding::engagement::EngagementSummary;
use crate::engine::ids::FollowerKey;
use crate::engine::result::FollowerResult;
use crate::engine::score::score;
use crate::engine::time::Timestamp;
use crate::grpc::{convert, pb};
use crate::import::{self, InputFormat};

#[derive(Debug, Clone, clap::Args)]
pub struct ClassifyArgs {
    /// The account, as the Account message in proto3 JSON.
    #[arg(long)]
    pub account: PathBuf,
    /// Follower files (X API JSON lines, X v1.1 CSV, LinkedIn CSV).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Input format for every file; detected per file when omitted.
    #[arg(long)]
    pub format: Option<InputFormat>,
    /// Write results here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Number of top leads in the report.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

pub fn classify(args: &ClassifyArgs) -> anyhow::Result<()> {
    let codec = JsonCodec::new()?;
    let ctx = load_account(&codec, &args.account)?;
    let now = Timestamp::now();

    let (mut out, report_to_stdout): (Box<dyn Write>, bool) = match &args.out {
        Some(path) => (
            Box::new(BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?,
            )),
            true,
        ),
        None => (Box::new(BufWriter::new(std::io::stdout().lock())), false),
    };

    let ScoredFiles {
        report,
        scored,
        skipped,
    } = score_files(&ctx, &args.inputs, args.format, args.top, now, |result| {
        let line = codec.to_line(
            "followscore.v1.FollowerResult",
            &convert::wire_result(result.clone()),
        )?;
        writeln!(out, "{line}")?;
        Ok(())
    })?;
    out.flush()?;
    drop(out);

    let text = render_report(&ctx.config.display_name, &report, scored, skipped);
    if report_to_stdout {
        print!("{text}");
    } else {
        eprint!("{text}");
    }
    Ok(())
}

/// What scoring a set of follower files gave: the network report over them and the counts.
pub(super) struct ScoredFiles {
    pub report: NetworkReport,
    pub scored: u64,
    pub skipped: u64,
}

/// Scores every row of `inputs` with the engine alone, hands each result to `each`, and
/// builds the network report over them (the last row wins for a follower listed twice).
/// Rows that do not load are reported on standard error with their line and skipped.
pub(super) fn score_files(
    ctx: &ScoringContext,
    inputs: &[PathBuf],
    format: Option<InputFormat>,
    top: usize,
    now: Timestamp,
    mut each: impl FnMut(&FollowerResult) -> anyhow::Result<()>,
) -> anyhow::Result<ScoredFiles> {
    let stamp = VersionStamp {
        config_version: ctx.config.config_version,
        model_version: ctx.model_version.to_string(),
    };
    let mut aggregates = AccountAggregates::default();
    aggregates.restamp(stamp.clone());
    // The last contribution per follower, so a follower listed twice counts once.
    let mut seen: HashMap<FollowerKey, Contribution> = HashMap::new();
    let mut leads: Vec<FollowerResult> = Vec::new();
    let (mut scored, mut skipped) = (0u64, 0u64);
    let mut touched = Vec::new();

    for path in inputs {
        let (format, rows) = import::open_followers(path, format)
            .with_context(|| format!("cannot read {}", path.display()))?;
        eprintln!("{}: reading as {format}", path.display());
        for row in rows {
            let profile = match row.outcome {
                Ok(profile) => profile,
                Err(error) => {
                    skipped += 1;
                    eprintln!("{}:{}: skipped: {error}", path.display(), row.line);
                    continue;
                }
            };
            let result = score(ctx, &profile, &EngagementSummary::default(), None, now);
            each(&result)?;
            scored += 1;
            let contribution = Contribution::of(&result, &stamp);
            let previous = seen.insert(result.key.clone(), contribution.clone());
            touched.clear();
            aggregates.replace(previous.as_ref(), Some(&contribution), &mut touched);
            keep_top_leads(&mut leads, result, top);
        }
    }

    let report = report::build(
        &aggregates,
        ReportInputs {
            config: &ctx.config,
            platform: None,
            now,
            top_leads: leads,
        },
    );
    Ok(ScoredFiles {
        report,
        scored,
        skipped,
    })
}

fn keep_top_leads(leads: &mut Vec<FollowerResult>, result: FollowerResult, top: usize) {
    if !result.category.is_lead() || top == 0 {
        return;
    }
    leads.retain(|r| r.key != result.key);
    leads.push(result);
    leads.sort_by_key(|lead| std::cmp::Reverse(lead.lead_score));
    leads.truncate(top);
}

fn percent(share: &Share) -> String {
    match share.interval_95 {
        Some((lo, hi)) => format!(
            "{:5.1}%  (95% CI {:.1}–{:.1}%)",
            share.share * 100.0,
            lo * 100.0,
            hi * 100.0
        ),
        None => format!("{:5.1}%", share.share * 100.0),
    }
}

/// Reads an account file (the Account message in proto3 JSON), validates it as the server
/// would on UpsertAccount, and compiles its scoring context with the shipped bot model.
pub(super) fn load_account(codec: &JsonCodec, path: &Path) -> anyhow::Result<ScoringContext> {
    let account_json =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    account_from_json(codec, &account_json).with_context(|| path.display().to_string())
}

/// An account in proto3 JSON, validated as the server would on UpsertAccount, compiled
/// into its scoring context with the shipped bot model (what `classify --account` loads).
pub fn account_from_json(codec: &JsonCodec, json: &str) -> anyhow::Result<ScoringContext> {
    let account: pb::Account = codec
        .parse("followscore.v1.Account", json)
        .context("not an Account in proto3 JSON")?;
    let mut config = convert::account(&account, &crate::service::Limits::default())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("account.{e}"))?;
    config.config_version = config.config_version.max(1);
    Ok(ScoringContext::new(Arc::new(config), bot::shipped_model()))
}

/// The report as a marketer reads it.
pub fn render_report(account: &str, r: &NetworkReport, scored: u64, skipped: u64) -> String {
    let mut s = String::new();
    let mut line = |text: String| {
        s.push_str(&text);
        s.push('\n');
    };
    line(String::new());
    line(format!("Network quality report: {account}"));
    line(format!(
        "  followers scored: {scored}   rows skipped: {skipped}"
    ));
    if r.is_sample {
        line(format!(
            "  a sample: {} of the {} followers the platforms state",
            r.based_on_followers,
            r.stated_total_followers.unwrap_or(0)
        ));
    }
    line(format!(
        "  audience quality score: {:.1} / 100",
        r.audience_quality_score
    ));
    line(format!(
        "  qualified: {} ({})   quality ratio {:.3}",
        r.qualified.count,
        percent(&r.qualified).trim(),
        r.quality_ratio
    ));
    line(format!(
        "  excluded (employees, vendors, competitors, bots): {}",
        percent(&r.excluded).trim()
    ));
    line(format!(
        "  bots: {}   dormant: {}",
        percent(&r.bots).trim(),
        percent(&r.dormant).trim()
    ));
    line(String::new());
    line("  category        followers  share".into());
    for (category, share) in &r.categories {
        if share.count > 0 {
            line(format!(
                "  {:<14} {:>10}  {}",
                category.as_str(),
                share.count,
                percent(share)
            ));
        }
    }
    line(String::new());
    line("  lead tier       followers".into());
    for (tier, share) in &r.tiers {
        if share.count > 0 {
            line(format!("  {:<14} {:>10}", tier.as_str(), share.count));
        }
    }
    line(String::new());
    line(format!(
        "  actions: prune {}, follow back {}, route to sales {}, to account managers {}, to recruiting {}",
        r.action_lists.to_prune,
        r.action_lists.to_follow_back,
        r.action_lists.to_route_to_sales,
        r.action_lists.to_route_to_account_manager,
        r.action_lists.to_route_to_recruiting
    ));
    if !r.growth.is_empty() {
        line(String::new());
        line("  growth   new  unfollows  net   new*  net*  quality ratio change   (* without excluded)".into());
        for g in &r.growth {
            line(format!(
                "  {:>3} d {:>6} {:>10} {:>4} {:>6} {:>5}  {:+.3}",
                g.window_days,
                g.new_followers,
                g.unfollows,
                g.net_change,
                g.qualified_new_followers,
                g.qualified_net_change,
                g.quality_ratio_change
            ));
        }
    }
    if !r.top_leads.is_empty() {
        line(String::new());
        line("  top leads".into());
        for lead in &r.top_leads {
            line(format!(
                "  {:>3}  {:<5} {:<8} {:<10} {} {}",
                lead.lead_score,
                lead.tier_label(),
                lead.lead_tier.as_str(),
                lead.category.as_str(),
                lead.key.id,
                lead.matched_company
                    .as_deref()
                    .map(|c| format!("({c})"))
                    .unwrap_or_default()
            ));
        }
    }
    s
}
