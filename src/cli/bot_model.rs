//! The bot model's offline commands: `followscore train-bot-model` (train on labelled CSV
//! files and write the model file) and `followscore eval-bots` (score labelled files with
//! the shipped model, or cross-validate / leave-one-group-out the training pipeline).
//!
//! This module parses arguments, reads files and prints; the learning and the figures are
//! in `bot_training`, the model in `engine::bot`. `eval-bots` always ends with one JSON
//! object on its own line (`bot_training::Metrics`), so scripts can read the last line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use serde_json::json;

use crate::bot_training::{
    self, Dataset, Example, Metrics, Prediction, TrainParams, calibration_table, evaluate,
};
use crate::engine::bot::features;
use crate::engine::bot::forest::{ForestBotModel, ForestFile};
use crate::engine::bot::{BotModel, shipped_model};
use crate::engine::time::Timestamp;

/// Forest settings shared by training and the cross-validating evaluations.
#[derive(Debug, Clone, clap::Args)]
pub struct ForestArgs {
    /// Seed for the forest and the fold assignment; the same seed gives the same model.
    #[arg(long, default_value_t = TrainParams::default().seed)]
    pub seed: u64,
    /// Number of trees.
    #[arg(long, default_value_t = TrainParams::default().trees)]
    pub trees: u16,
    /// Maximum tree depth (0 for unlimited).
    #[arg(long, default_value_t = TrainParams::default().max_depth.unwrap_or(0))]
    pub max_depth: u16,
    /// Minimum training rows in a leaf.
    #[arg(long, default_value_t = TrainParams::default().min_samples_leaf)]
    pub min_samples_leaf: usize,
    /// Target share of humans called bots at the default threshold (out-of-bag).
    #[arg(long, default_value_t = TrainParams::default().max_false_positive_rate)]
    pub max_fpr: f64,
    /// Features the trees may not use (repeatable; `none` to use every feature).
    #[arg(long = "exclude-feature", value_name = "NAME", default_values_t = TrainParams::default().excluded_features)]
    pub excluded_features: Vec<String>,
    /// Features tried at each split (0 for the square root of the feature count).
    #[arg(long, default_value_t = TrainParams::default().features_per_split.unwrap_or(0))]
    pub features_per_split: usize,
    /// Data sets whose bots are left out of training, humans kept (repeatable; `none`).
    #[arg(long = "humans-only-set", value_name = "SET", default_values_t = TrainParams::default().humans_only_sets)]
    pub humans_only_sets: Vec<String>,
    /// At most this many training rows per data set and class (seeded sample; 0: all).
    #[arg(long, default_value_t = TrainParams::default().max_rows_per_set)]
    pub max_rows_per_set: usize,
    /// Leave verified accounts labelled bot out of training (label noise).
    #[arg(long, default_value_t = TrainParams::default().drop_verified_bots, action = clap::ArgAction::Set)]
    pub drop_verified_bots: bool,
    /// Default prior share of fakes in a follower list; probabilities are shifted to it.
    #[arg(long, default_value_t = TrainParams::default().prior)]
    pub prior: f64,
}

impl ForestArgs {
    fn params(&self) -> TrainParams {
        TrainParams {
            seed: self.seed,
            trees: self.trees,
            max_depth: (self.max_depth > 0).then_some(self.max_depth),
            min_samples_leaf: self.min_samples_leaf,
            max_false_positive_rate: self.max_fpr,
            excluded_features: self.excluded_features.clone(),
            features_per_split: (self.features_per_split > 0).then_some(self.features_per_split),
            humans_only_sets: self
                .humans_only_sets
                .iter()
                .filter(|set| *set != "none")
                .cloned()
                .collect(),
            max_rows_per_set: self.max_rows_per_set,
            drop_verified_bots: self.drop_verified_bots,
            prior: self.prior,
            ..TrainParams::default()
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct TrainBotModelArgs {
    /// Labelled CSV files with Twitter v1.1 column names (e.g. ../shared/data/bots/cresci-2015/BAS_users.csv).
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Where to write the model file (the shipped one is models/bot_model.json).
    #[arg(long)]
    pub out: PathBuf,
    /// Column holding the label: 1 for a bot or fake follower, 0 for a person.
    #[arg(long, default_value = "is_fake")]
    pub label_column: String,
    /// Model generation written into the file; bump it when the features or method change.
    #[arg(long, default_value_t = TrainParams::default().generation)]
    pub generation: String,
    #[command(flatten)]
    pub forest: ForestArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct EvalBotsArgs {
    /// Labelled CSV files with Twitter v1.1 column names.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Column holding the label: 1 for a bot or fake follower, 0 for a person.
    #[arg(long, default_value = "is_fake")]
    pub label_column: String,
    /// Run stratified k-fold cross-validation of the whole training pipeline instead of
    /// scoring with the shipped model.
    #[arg(long, value_name = "K", conflicts_with_all = ["logo", "lodo"])]
    pub cv: Option<usize>,
    /// Run leave-one-group-out over the `dataset` column (one model per held-out group,
    /// trained on every other row of every file given).
    #[arg(long, conflicts_with = "lodo")]
    pub logo: bool,
    /// Run leave-one-dataset-out: one model per data set (Cresci-2015's five groups are one
    /// set), trained on the other sets and scored on the one held out.
    #[arg(long)]
    pub lodo: bool,
    /// Score with this model file instead of the shipped one.
    #[arg(long, conflicts_with_all = ["cv", "logo", "lodo"])]
    pub model: Option<PathBuf>,
    /// Decision threshold instead of the model's default.
    #[arg(long, conflicts_with_all = ["cv", "logo", "lodo"])]
    pub threshold: Option<f64>,
    /// Also print the N most confident mistakes with their reasons (to stderr).
    #[arg(long, value_name = "N", default_value_t = 0, conflicts_with_all = ["cv", "logo", "lodo"])]
    pub show_mistakes: usize,
    #[command(flatten)]
    pub forest: ForestArgs,
}

struct Loaded {
    dataset: Dataset,
    examples: Vec<Example>,
    bots: Vec<bool>,
}

fn load(files: &[PathBuf], label_column: &str) -> anyhow::Result<Loaded> {
    let dataset = bot_training::load_dataset(files, label_column)?;
    for problem in dataset.problems.iter().take(20) {
        eprintln!(
            "skipped {}:{}: {}",
            problem.file.display(),
            problem.line,
            problem.message
        );
    }
    if dataset.problems.len() > 20 {
        eprintln!("skipped {} more rows", dataset.problems.len() - 20);
    }
    if dataset.duplicates > 0 {
        eprintln!("ignored {} repeated accounts (same id)", dataset.duplicates);
    }
    anyhow::ensure!(!dataset.rows.is_empty(), "no usable rows");
    // Rows without a crawl time are measured as of now (the CLI edge may read the clock).
    let now = Timestamp::now();
    let examples = dataset
        .rows
        .iter()
        .map(|row| Example {
            features: features::extract(&row.profile, now),
            bot: row.label,
            set: row.set.clone(),
            verified: row.verified,
        })
        .collect();
    let bots = dataset.rows.iter().map(|row| row.label).collect();
    Ok(Loaded {
        dataset,
        examples,
        bots,
    })
}

pub fn train_bot_model(args: &TrainBotModelArgs) -> anyhow::Result<()> {
    let loaded = load(&args.data, &args.label_column)?;
    let params = TrainParams {
        generation: args.generation.clone(),
        ..args.forest.params()
    };
    // Rows per group and label as loaded, and as the training recipe kept them.
    let selected = bot_training::select_rows(&loaded.examples, &params);
    let mut loaded_counts: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    let mut trained_counts: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for row in &loaded.dataset.rows {
        loaded_counts.entry(row.group.clone()).or_default()[usize::from(row.label)] += 1;
    }
    for index in &selected {
        let row = &loaded.dataset.rows[*index];
        trained_counts.entry(row.group.clone()).or_default()[usize::from(row.label)] += 1;
    }
    let counts = |map: &BTreeMap<String, [usize; 2]>| {
        map.iter()
            .map(|(group, [humans, bots])| (group.clone(), json!({"humans": humans, "bots": bots})))
            .collect::<serde_json::Map<_, _>>()
    };
    let provenance = json!({
        "data": args.data.iter().map(|path| path.file_name().map(|name| name.to_string_lossy().into_owned())).collect::<Vec<_>>(),
        "sources": SOURCES,
        "loaded": counts(&loaded_counts),
        "trained_on": counts(&trained_counts),
        "rows": selected.len(),
        "bots": selected.iter().filter(|index| loaded.bots[**index]).count(),
        "label_column": args.label_column,
        "trainer": "smartcore 0.7 RandomForestClassifier (Gini), exported; isotonic calibration on out-of-bag scores; odds shifted from the training base rate to the prior",
        "params": params,
    });
    let trained = bot_training::train(&loaded.examples, &params, provenance)?;
    let text = model_file_text(&trained.file)?;
    // Load what is written, exactly as the service will.
    let model = ForestBotModel::from_json(&text).context("the written model does not load")?;
    std::fs::write(&args.out, &text).with_context(|| format!("writing {}", args.out.display()))?;
    let out_of_bag: Vec<Prediction> = trained
        .out_of_bag
        .iter()
        .zip(&trained.selected)
        .map(|(probability, index)| Prediction {
            probability: *probability,
            threshold: model.default_threshold(),
            label: loaded.bots[*index],
        })
        .collect();
    println!(
        "wrote {} ({} trees, version {}, default threshold {})",
        args.out.display(),
        trained.file.trees.len(),
        model.version(),
        model.default_threshold()
    );
    println!(
        "out-of-bag: {}",
        serde_json::to_string(&evaluate(&out_of_bag))?
    );
    Ok(())
}

pub fn eval_bots(args: &EvalBotsArgs) -> anyhow::Result<()> {
    let loaded = load(&args.files, &args.label_column)?;
    let params = args.forest.params();
    let predictions = if let Some(k) = args.cv {
        println!("stratified {k}-fold cross-validation of the training pipeline");
        bot_training::cross_validate(&loaded.examples, k, &params)?
    } else if args.logo || args.lodo {
        let groups: Vec<String> = loaded
            .dataset
            .rows
            .iter()
            .map(|row| row.group.clone())
            .collect();
        let sets: Vec<String> = loaded
            .dataset
            .rows
            .iter()
            .map(|row| row.set.clone())
            .collect();
        let units = if args.lodo { &sets } else { &groups };
        let (results, pooled) =
            bot_training::leave_one_out(&loaded.examples, units, &groups, &params)?;
        if args.lodo {
            println!("leave-one-dataset-out (each set scored by a model trained on the others)");
        } else {
            println!("leave-one-group-out (each group scored by a model trained without it)");
        }
        print!("{}", held_out_table(&results));
        for result in &results {
            println!("held-out {}", serde_json::to_string(result)?);
        }
        pooled
    } else {
        let model = match &args.model {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                std::sync::Arc::new(ForestBotModel::from_json(&text)?)
            }
            None => shipped_model(),
        };
        let threshold = args.threshold.unwrap_or(model.default_threshold());
        println!("model {} at threshold {threshold}", model.version());
        let now = Timestamp::now();
        let predictions: Vec<Prediction> = loaded
            .dataset
            .rows
            .iter()
            .map(|row| Prediction {
                probability: model.profile_probability(&row.profile, now),
                threshold,
                label: row.label,
            })
            .collect();
        show_mistakes(
            &loaded,
            &predictions,
            model.as_ref(),
            args.show_mistakes,
            now,
        );
        predictions
    };
    print!("{}", calibration_text(&predictions));
    let at_half: Vec<Prediction> = predictions
        .iter()
        .map(|prediction| Prediction {
            threshold: 0.5,
            ..*prediction
        })
        .collect();
    println!("at 0.5: {}", serde_json::to_string(&evaluate(&at_half))?);
    let metrics: Metrics = evaluate(&predictions);
    println!("{}", serde_json::to_string(&metrics)?);
    Ok(())
}

/// Prints the `limit` wrong calls furthest from the threshold, with the model's reasons,
/// so that a person can see what the model gets wrong and why.
fn show_mistakes(
    loaded: &Loaded,
    predictions: &[Prediction],
    model: &ForestBotModel,
    limit: usize,
    now: Timestamp,
) {
    let mut mistakes: Vec<usize> = (0..predictions.len())
        .filter(|row| predictions[*row].called_bot() != predictions[*row].label)
        .collect();
    mistakes.sort_by(|a, b| {
        let distance =
            |row: &usize| (predictions[*row].probability - predictions[*row].threshold).abs();
        distance(b).total_cmp(&distance(a))
    });
    for row in mistakes.into_iter().take(limit) {
        let labelled = &loaded.dataset.rows[row];
        let assessment = model.assess(&labelled.profile, now);
        let reasons: Vec<String> = assessment
            .reasons
            .iter()
            .map(|reason| format!("{} {:+.3}", reason.code, reason.weight))
            .collect();
        eprintln!(
            "mistake id={} group={} bot={} p={:.3}: {}",
            labelled.profile.key.id,
            labelled.group,
            labelled.label,
            assessment.probability,
            reasons.join(", ")
        );
    }
}

/// The papers behind the data sets, recorded in the model file's provenance.
const SOURCES: [&str; 5] = [
    "cresci-2015: Cresci, Di Pietro, Petrocchi, Spognardi, Tesconi, Fame for sale: efficient detection of fake Twitter followers, Decision Support Systems 80 (2015)",
    "vendor-purchased-2019, botometer-feedback-2019: Yang et al., Arming the public with artificial intelligence to counter social bots, Human Behavior and Emerging Technologies 1(1) (2019)",
    "cresci-stock-2018: Cresci et al., Cashtag piggybacking, ACM TWEB 13(2) (2019)",
    "cresci-rtbust-2019: Mazza et al., RTbust, WebSci 2019",
    "data read from ../shared/data/bots/ (not copied into the repository)",
];

/// The held-out figures as a Markdown table, one row per held-out unit and per group
/// inside it: AUC (where it has humans and bots), recall and FPR at the fold model's
/// default threshold, and at even odds.
fn held_out_table(results: &[bot_training::GroupResult]) -> String {
    let cell = |value: Option<f64>| value.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
    let pct =
        |value: Option<f64>| value.map_or_else(|| "–".to_owned(), |v| format!("{:.2}%", v * 100.0));
    let mut text = String::from(
        "| held out | rows | bots | AUC | recall | FPR | threshold | recall (even odds) | FPR (even odds) |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for result in results {
        let (m, e) = (&result.at_threshold, &result.at_even_odds);
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {:.4} | {} | {} |",
            result.group,
            m.n,
            m.positives,
            cell(m.auc),
            cell(m.recall),
            pct(m.fpr),
            m.threshold,
            cell(e.recall),
            pct(e.fpr)
        );
        for (group, g) in &result.groups {
            let _ = writeln!(
                text,
                "| · {group} | {} | {} | {} | {} | {} | | | |",
                g.n,
                g.positives,
                cell(g.auc),
                cell(g.recall),
                pct(g.fpr)
            );
        }
    }
    text
}

/// The calibration table as Markdown, ready for MODEL.md.
fn calibration_text(predictions: &[Prediction]) -> String {
    let mut text = String::from(
        "| probability | accounts | mean probability | share bots |\n|---|---|---|---|\n",
    );
    for bin in calibration_table(predictions) {
        let cell = |value: Option<f64>| value.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
        let _ = writeln!(
            text,
            "| {:.1}–{:.1} | {} | {} | {} |",
            bin.lower,
            bin.upper,
            bin.n,
            cell(bin.mean_probability),
            cell(bin.bot_share)
        );
    }
    text
}

/// The model file as JSON with one tree per line: readable, and a retrain shows as a diff
/// of whole trees rather than of one enormous line.
fn model_file_text(file: &ForestFile) -> anyhow::Result<String> {
    let mut text = String::from("{\n");
    let _ = writeln!(
        text,
        "  \"format\": {},",
        serde_json::to_string(&file.format)?
    );
    let _ = writeln!(
        text,
        "  \"version\": {},",
        serde_json::to_string(&file.version)?
    );
    let _ = writeln!(
        text,
        "  \"features\": {},",
        serde_json::to_string(&file.features)?
    );
    let _ = writeln!(
        text,
        "  \"prior\": {},",
        serde_json::to_string(&file.prior)?
    );
    let _ = writeln!(
        text,
        "  \"threshold\": {},",
        serde_json::to_string(&file.threshold)?
    );
    let _ = writeln!(
        text,
        "  \"calibration\": {},",
        serde_json::to_string(&file.calibration)?
    );
    let _ = writeln!(
        text,
        "  \"provenance\": {},",
        serde_json::to_string(&file.provenance)?
    );
    text.push_str("  \"trees\": [\n");
    for (index, tree) in file.trees.iter().enumerate() {
        let separator = if index + 1 < file.trees.len() {
            ","
        } else {
            ""
        };
        let _ = writeln!(text, "    {}{separator}", serde_json::to_string(tree)?);
    }
    text.push_str("  ]\n}\n");
    Ok(text)
}
