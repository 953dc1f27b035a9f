//! `followscore eval-categories`: measures the category classifier against hand-labelled
//! followers, the way a new user would judge it: per-category precision and recall, the
//! confusion matrix, strict and lenient accuracy, macro-F1, and every miss with the text it
//! came from and the reasons the engine gave.
//!
//! A labels file is CSV with the header `platform,follower_id,expected,alternatives,rationale`:
//! one row per follower of the input files, `expected` a category name, `alternatives` the
//! other categories (separated by `|`) acceptable for a genuinely ambiguous row. Every
//! follower must have a label and every label a follower, so a set cannot silently shrink.
//!
//! `--set DIR` runs every account folder of an evaluation set (`account.json`, `labels.csv`
//! and the follower files beside them) and adds the pooled figures. The last line printed is
//! always one JSON object, `{"n","strict_acc","lenient_acc","macro_f1","min_recall"}`, for
//! scripts and the regression test. Scoring only: no server, no store.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::classify::load_account;
use super::json::JsonCodec;
use crate::engine::deciding::engagement::EngagementSummary;
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::score::score;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{CATEGORY_COUNT, Category, Platform};
use crate::import::{self, InputFormat};

#[derive(Debug, Clone, clap::Args)]
pub struct EvalCategoriesArgs {
    /// The account, as the Account message in proto3 JSON.
    #[arg(long, required_unless_present = "set", requires = "labels")]
    pub account: Option<PathBuf>,
    /// Expected categories: `platform,follower_id,expected,alternatives,rationale`.
    #[arg(long, requires = "account")]
    pub labels: Option<PathBuf>,
    /// Follower files (X API JSON lines, X v1.1 CSV, LinkedIn CSV).
    #[arg(required_unless_present = "set")]
    pub inputs: Vec<PathBuf>,
    /// An evaluation set: every sub-folder holds `account.json`, `labels.csv` and follower
    /// files (`*.csv`, `*.jsonl`); prints each account, then the pooled figures.
    #[arg(long, conflicts_with_all = ["account", "labels", "inputs"])]
    pub set: Option<PathBuf>,
    /// Judge activity and account age as of this time (RFC 3339), so that a labelled set
    /// keeps its meaning as the calendar moves on; default now.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Input format for every file; detected per file when omitted.
    #[arg(long)]
    pub format: Option<InputFormat>,
    /// List at most this many misclassified rows per account (all by default).
    #[arg(long)]
    pub max_misses: Option<usize>,
}

pub fn eval_categories(args: &EvalCategoriesArgs) -> anyhow::Result<()> {
    let now = match &args.as_of {
        Some(raw) => chrono::DateTime::parse_from_rfc3339(raw)
            .map(|t| Timestamp::from_unix_seconds(t.timestamp()))
            .with_context(|| format!("--as-of {raw:?} is not an RFC 3339 time"))?,
        None => Timestamp::now(),
    };
    let codec = JsonCodec::new()?;
    let max_misses = args.max_misses.unwrap_or(usize::MAX);
    let accounts = match (&args.set, &args.account, &args.labels) {
        (Some(dir), _, _) => accounts_in_set(dir)?,
        (None, Some(account), Some(labels)) => vec![EvalAccount {
            name: account.display().to_string(),
            account: account.clone(),
            labels: labels.clone(),
            inputs: args.inputs.clone(),
        }],
        _ => bail!("give --set DIR, or --account, --labels and the follower files"),
    };

    let mut pooled = Vec::new();
    for account in &accounts {
        let outcomes = evaluate(&codec, account, args.format, now)?;
        print!("{}", render(&account.name, &outcomes, max_misses));
        pooled.extend(outcomes);
    }
    if accounts.len() > 1 {
        print!("{}", render("all accounts (pooled)", &pooled, 0));
    }
    println!("{}", Summary::of(&pooled).json());
    Ok(())
}

/// One account of an evaluation: its configuration, labels and follower files.
struct EvalAccount {
    name: String,
    account: PathBuf,
    labels: PathBuf,
    inputs: Vec<PathBuf>,
}

fn accounts_in_set(dir: &Path) -> anyhow::Result<Vec<EvalAccount>> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("account.json").is_file() && path.join("labels.csv").is_file())
        .collect();
    folders.sort();
    if folders.is_empty() {
        bail!(
            "{} holds no account folder (account.json and labels.csv)",
            dir.display()
        );
    }
    folders
        .into_iter()
        .map(|folder| {
            let mut inputs: Vec<PathBuf> = std::fs::read_dir(&folder)
                .with_context(|| format!("cannot read {}", folder.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| {
                    let ext = path.extension().and_then(|e| e.to_str());
                    let is_labels = path.file_name().is_some_and(|n| n == "labels.csv");
                    !is_labels && matches!(ext, Some("csv" | "jsonl"))
                })
                .collect();
            inputs.sort();
            Ok(EvalAccount {
                name: folder
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                account: folder.join("account.json"),
                labels: folder.join("labels.csv"),
                inputs,
            })
        })
        .collect()
}

/// What the labels file says about one follower.
#[derive(Debug, Clone)]
struct Label {
    expected: Category,
    alternatives: Vec<Category>,
}

/// One scored, labelled follower.
#[derive(Debug, Clone)]
struct Outcome {
    platform: Platform,
    id: String,
    expected: Category,
    alternatives: Vec<Category>,
    got: Category,
    bot_probability: f64,
    bot_threshold: f64,
    text: String,
    reasons: Vec<String>,
}

impl Outcome {
    fn lenient_hit(&self) -> bool {
        self.got == self.expected || self.alternatives.contains(&self.got)
    }
}

fn parse_category(raw: &str) -> Option<Category> {
    let name = raw.trim().to_ascii_uppercase();
    let name = name.strip_prefix("CATEGORY_").unwrap_or(&name);
    Category::ALL.iter().copied().find(|c| c.as_str() == name)
}

fn parse_platform(raw: &str) -> Option<Platform> {
    let name = raw.trim().to_ascii_uppercase();
    let name = name.strip_prefix("PLATFORM_").unwrap_or(&name);
    match name {
        "X" => Some(Platform::Twitter),
        _ => Platform::ALL.iter().copied().find(|p| p.as_str() == name),
    }
}

fn read_labels(path: &Path) -> anyhow::Result<HashMap<(Platform, String), Label>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .with_context(|| format!("{}: no `{name}` column", path.display()))
    };
    let (platform, id, expected, alternatives) = (
        column("platform")?,
        column("follower_id")?,
        column("expected")?,
        column("alternatives")?,
    );
    let mut labels = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("{}:{line}", path.display()))?;
        let cell = |c: usize| record.get(c).unwrap_or_default().trim();
        let key_platform = parse_platform(cell(platform))
            .with_context(|| format!("{}:{line}: unknown platform", path.display()))?;
        let category = |raw: &str| {
            parse_category(raw)
                .with_context(|| format!("{}:{line}: unknown category {raw:?}", path.display()))
        };
        let label = Label {
            expected: category(cell(expected))?,
            alternatives: cell(alternatives)
                .split('|')
                .filter(|s| !s.trim().is_empty())
                .map(category)
                .collect::<anyhow::Result<_>>()?,
        };
        let key = (key_platform, cell(id).to_owned());
        if labels.insert(key.clone(), label).is_some() {
            bail!("{}:{line}: {} is labelled twice", path.display(), key.1);
        }
    }
    Ok(labels)
}

fn evaluate(
    codec: &JsonCodec,
    account: &EvalAccount,
    format: Option<InputFormat>,
    now: Timestamp,
) -> anyhow::Result<Vec<Outcome>> {
    let ctx = load_account(codec, &account.account)?;
    let mut labels = read_labels(&account.labels)?;
    let mut outcomes = Vec::with_capacity(labels.len());
    let mut unlabelled = Vec::new();
    for path in &account.inputs {
        let (_, rows) = import::open_followers(path, format)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for row in rows {
            let profile = row
                .outcome
                .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), row.line))?;
            let key = (profile.key.platform, profile.key.id.as_str().to_owned());
            let Some(label) = labels.remove(&key) else {
                unlabelled.push(format!("{} {}", key.0, key.1));
                continue;
            };
            let result = score(&ctx, &profile, &EngagementSummary::default(), None, now);
            outcomes.push(outcome(&profile, &result, label, ctx.bot_threshold));
        }
    }
    if !unlabelled.is_empty() {
        bail!(
            "{}: followers without a label: {}",
            account.labels.display(),
            unlabelled.join(", ")
        );
    }
    if !labels.is_empty() {
        let mut missing: Vec<String> = labels.keys().map(|(p, id)| format!("{p} {id}")).collect();
        missing.sort();
        bail!(
            "{}: labels without a follower in the inputs: {}",
            account.labels.display(),
            missing.join(", ")
        );
    }
    Ok(outcomes)
}

fn outcome(
    profile: &FollowerProfile,
    result: &FollowerResult,
    label: Label,
    bot_threshold: f64,
) -> Outcome {
    // An X headline is the first line of the bio: show it once.
    let headline = profile
        .headline
        .as_deref()
        .filter(|h| !profile.bio.as_deref().is_some_and(|bio| bio.starts_with(h)));
    let text = [
        headline,
        profile.title.as_deref(),
        profile.company.as_deref(),
        profile.bio.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" / ");
    Outcome {
        platform: profile.key.platform,
        id: profile.key.id.as_str().to_owned(),
        expected: label.expected,
        alternatives: label.alternatives,
        got: result.category,
        bot_probability: result.bot_probability,
        bot_threshold,
        text: truncate(&text.replace(['\n', '\r'], " "), 140),
        reasons: result
            .reasons
            .iter()
            .take(3)
            .map(|r| r.code.to_string())
            .collect(),
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Expected (rows) against predicted (columns), strict: alternatives are not consulted.
#[derive(Debug, Clone, Default)]
struct Confusion {
    counts: [[u32; CATEGORY_COUNT]; CATEGORY_COUNT],
}

impl Confusion {
    fn of(outcomes: &[Outcome]) -> Self {
        let mut confusion = Self::default();
        for o in outcomes {
            confusion.counts[o.expected.index()][o.got.index()] += 1;
        }
        confusion
    }

    fn support(&self, c: Category) -> u32 {
        self.counts[c.index()].iter().sum()
    }

    fn predicted(&self, c: Category) -> u32 {
        self.counts.iter().map(|row| row[c.index()]).sum()
    }

    fn hits(&self, c: Category) -> u32 {
        self.counts[c.index()][c.index()]
    }

    fn precision(&self, c: Category) -> Option<f64> {
        ratio(self.hits(c), self.predicted(c))
    }

    fn recall(&self, c: Category) -> Option<f64> {
        ratio(self.hits(c), self.support(c))
    }

    fn f1(&self, c: Category) -> Option<f64> {
        let recall = self.recall(c)?;
        let precision = self.precision(c).unwrap_or(0.0);
        Some(if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        })
    }

    /// Categories that appear in the labels; macro figures average over these.
    fn labelled(&self) -> impl Iterator<Item = Category> + '_ {
        Category::ALL
            .iter()
            .copied()
            .filter(|c| self.support(*c) > 0)
    }
}

fn ratio(numerator: u32, denominator: u32) -> Option<f64> {
    (denominator > 0).then(|| f64::from(numerator) / f64::from(denominator))
}

/// The headline figures of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Summary {
    n: usize,
    strict_acc: f64,
    lenient_acc: f64,
    macro_f1: f64,
    min_recall: f64,
}

impl Summary {
    fn of(outcomes: &[Outcome]) -> Self {
        let confusion = Confusion::of(outcomes);
        let n = outcomes.len();
        let share = |hits: usize| if n == 0 { 0.0 } else { hits as f64 / n as f64 };
        let f1s: Vec<f64> = confusion
            .labelled()
            .filter_map(|c| confusion.f1(c))
            .collect();
        Self {
            n,
            strict_acc: share(outcomes.iter().filter(|o| o.got == o.expected).count()),
            lenient_acc: share(outcomes.iter().filter(|o| o.lenient_hit()).count()),
            macro_f1: if f1s.is_empty() {
                0.0
            } else {
                f1s.iter().sum::<f64>() / f1s.len() as f64
            },
            min_recall: confusion
                .labelled()
                .filter_map(|c| confusion.recall(c))
                .fold(1.0, f64::min),
        }
    }

    fn json(&self) -> String {
        serde_json::json!({
            "n": self.n,
            "strict_acc": round4(self.strict_acc),
            "lenient_acc": round4(self.lenient_acc),
            "macro_f1": round4(self.macro_f1),
            "min_recall": round4(self.min_recall),
        })
        .to_string()
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Short column names for the confusion matrix.
fn abbreviation(c: Category) -> &'static str {
    match c {
        Category::Bot => "BOT",
        Category::Employee => "EMP",
        Category::Competitor => "CMP",
        Category::Customer => "CUS",
        Category::Partner => "PAR",
        Category::Vendor => "VEN",
        Category::Prospect => "PRO",
        Category::Influencer => "INF",
        Category::JobSeeker => "JOB",
        Category::BrandFan => "FAN",
        Category::Dormant => "DOR",
        Category::Other => "OTH",
    }
}

fn render(name: &str, outcomes: &[Outcome], max_misses: usize) -> String {
    let confusion = Confusion::of(outcomes);
    let summary = Summary::of(outcomes);
    let mut s = String::new();
    let pct = |x: Option<f64>| x.map_or_else(|| "    -".to_owned(), |x| format!("{x:5.3}"));
    let _ = writeln!(s, "\n== {name}: {} followers", summary.n);
    let _ = writeln!(
        s,
        "{:<12} {:>9} {:>6} {:>6} {:>7}",
        "category", "precision", "recall", "f1", "support"
    );
    for c in Category::ALL.iter().copied() {
        if confusion.support(c) == 0 && confusion.predicted(c) == 0 {
            continue;
        }
        let _ = writeln!(
            s,
            "{:<12} {:>9} {:>6} {:>6} {:>7}",
            c.as_str(),
            pct(confusion.precision(c)),
            pct(confusion.recall(c)),
            pct(confusion.f1(c)),
            confusion.support(c)
        );
    }
    let _ = writeln!(s, "\nconfusion (rows expected, columns got):");
    let _ = write!(s, "{:>4}", "");
    for c in Category::ALL {
        let _ = write!(s, " {:>4}", abbreviation(*c));
    }
    let _ = writeln!(s);
    for expected in Category::ALL {
        if confusion.support(*expected) == 0 {
            continue;
        }
        let _ = write!(s, "{:>4}", abbreviation(*expected));
        for got in Category::ALL {
            let _ = write!(s, " {:>4}", confusion.counts[expected.index()][got.index()]);
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(
        s,
        "\nstrict accuracy {:.4}   lenient accuracy {:.4}   macro-F1 {:.4}   lowest recall {:.4}",
        summary.strict_acc, summary.lenient_acc, summary.macro_f1, summary.min_recall
    );
    render_bot_estimate(&mut s, outcomes);

    let misses: Vec<&Outcome> = outcomes.iter().filter(|o| o.got != o.expected).collect();
    if !misses.is_empty() && max_misses > 0 {
        let _ = writeln!(s, "\nmisclassified ({}):", misses.len());
        for o in misses.iter().take(max_misses) {
            let accepted = if o.lenient_hit() {
                " (accepted alternative)"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "  {} {}: expected {}, got {}{accepted}; bot {:.2}; reasons {}\n      {}",
                o.platform,
                o.id,
                o.expected,
                o.got,
                o.bot_probability,
                o.reasons.join(", "),
                o.text
            );
        }
    }
    s
}

/// How the bot estimate behaves per platform: bots caught, people flagged.
fn render_bot_estimate(s: &mut String, outcomes: &[Outcome]) {
    let _ = writeln!(s, "\nbot estimate by platform:");
    for platform in [Platform::LinkedIn, Platform::Twitter] {
        let rows: Vec<&Outcome> = outcomes.iter().filter(|o| o.platform == platform).collect();
        if rows.is_empty() {
            continue;
        }
        let (bots, people): (Vec<&Outcome>, Vec<&Outcome>) =
            rows.iter().partition(|o| o.expected == Category::Bot);
        let above = |o: &&&Outcome| o.bot_probability >= o.bot_threshold;
        let mean = |v: &[&Outcome]| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().map(|o| o.bot_probability).sum::<f64>() / v.len() as f64
            }
        };
        let _ = writeln!(
            s,
            "  {:<9} bots caught {}/{} (mean probability {:.3});  people at or above the threshold {}/{} (mean probability {:.3})",
            platform.as_str(),
            bots.iter().filter(above).count(),
            bots.len(),
            mean(&bots),
            people.iter().filter(above).count(),
            people.len(),
            mean(&people)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(expected: Category, got: Category, alternatives: &[Category]) -> Outcome {
        Outcome {
            platform: Platform::LinkedIn,
            id: "x".into(),
            expected,
            alternatives: alternatives.to_vec(),
            got,
            bot_probability: 0.0,
            bot_threshold: 0.5,
            text: String::new(),
            reasons: Vec::new(),
        }
    }

    #[test]
    fn figures_follow_their_definitions() {
        use Category::*;
        let outcomes = [
            o(Prospect, Prospect, &[]),
            o(Prospect, Other, &[Other]),
            o(Other, Other, &[]),
            o(Bot, Dormant, &[]),
        ];
        let summary = Summary::of(&outcomes);
        assert_eq!(summary.n, 4);
        assert_eq!(summary.strict_acc, 0.5);
        assert_eq!(summary.lenient_acc, 0.75);
        // F1: PROSPECT p=1 r=.5 → 2/3; OTHER p=.5 r=1 → 2/3; BOT r=0 → 0.
        assert!((summary.macro_f1 - (4.0 / 9.0)).abs() < 1e-9);
        assert_eq!(summary.min_recall, 0.0);
        let confusion = Confusion::of(&outcomes);
        assert_eq!(confusion.support(Prospect), 2);
        assert_eq!(confusion.predicted(Other), 2);
        assert_eq!(confusion.precision(Dormant), Some(0.0));
        assert_eq!(confusion.recall(Dormant), None);
    }

    #[test]
    fn label_names_parse_in_either_spelling() {
        assert_eq!(parse_category("JOB_SEEKER"), Some(Category::JobSeeker));
        assert_eq!(
            parse_category("category_prospect"),
            Some(Category::Prospect)
        );
        assert_eq!(parse_category("FAN"), None);
        assert_eq!(parse_platform("LINKEDIN"), Some(Platform::LinkedIn));
        assert_eq!(parse_platform("X"), Some(Platform::Twitter));
        assert_eq!(parse_platform("PLATFORM_TWITTER"), Some(Platform::Twitter));
    }
}
