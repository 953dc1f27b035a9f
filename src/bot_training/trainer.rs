//! The whole training pipeline, used alike by `train-bot-model` and by every fold of the
//! evaluations: grow a seeded `smartcore` random forest on the features, export its trees
//! into the engine's model file format with each node's bot share and left/right split of
//! the training rows, calibrate on out-of-bag scores and choose the default threshold.
//!
//! smartcore keeps its trees' nodes private but serialises them with serde; the export reads
//! that serialised form (smartcore 0.7's field names), re-numbers the nodes parent-first and
//! re-counts every node from the rows each tree was grown on. Re-counting (rather than
//! trusting the library's leaf labels) is what gives the leaves soft values, the inner nodes
//! the values the tree-path explanation needs, and the out-of-bag rows an honest score.

use anyhow::{Context, anyhow, bail};
use serde::Serialize;
use serde_json::Value;
use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

use super::calibration::{choose_threshold, fit_isotonic};
use crate::engine::bot::features::{FEATURE_COUNT, Feature, Features};
use crate::engine::bot::forest::{FORMAT, ForestBotModel, ForestFile, TreeFile, content_hash};

/// Stand-in for a missing feature while growing trees (smartcore cannot split on NaN). It
/// sorts below every real value; the research data has no missing features, so it only
/// matters for other training files. Serving integrates missing features out instead.
const MISSING_FOR_TRAINING: f64 = -1.0e6;

/// Training settings; the defaults are the shipped model's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainParams {
    /// Model generation written into the file (`version` gets a content hash at load).
    pub generation: String,
    pub seed: u64,
    pub trees: u16,
    pub max_depth: Option<u16>,
    pub min_samples_leaf: usize,
    /// Features tried per split; `None` is smartcore's default, the square root of the count.
    pub features_per_split: Option<usize>,
    /// Target share of humans called bots at the default threshold, on out-of-bag scores,
    /// in EVERY training set that has humans (the threshold is the strictest of them).
    pub max_false_positive_rate: f64,
    /// The default threshold never goes below this, on the training base rate's scale.
    pub threshold_floor: f64,
    /// Feature names the trees may not split on (ablation studies; MODEL.md records any).
    pub excluded_features: Vec<String>,
    /// Sets whose bots are left out of training (their humans are kept): automation of
    /// another kind than bought followers, whose labels teach the forest the wrong target.
    pub humans_only_sets: Vec<String>,
    /// At most this many rows per set and class (a seeded sample), so that one large crawl
    /// does not outvote the others; 0 for no cap.
    pub max_rows_per_set: usize,
    /// Leave out bots that are verified accounts (label noise: vendors do not sell them).
    pub drop_verified_bots: bool,
    /// The documented default share of fakes in a real follower list; probabilities in the
    /// model file are shifted from the training base rate to this prior.
    pub prior: f64,
}

/// The shipped model's default prior share of fakes among an account's followers.
pub const DEFAULT_PRIOR: f64 = 0.10;

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            generation: "bot-rf-2".to_owned(),
            seed: 20150914,
            // 100 trees: the leave-one-dataset-out figures are those of 200 within noise,
            // and half the trees is half the time per follower.
            trees: 100,
            max_depth: Some(12),
            min_samples_leaf: 2,
            features_per_split: Some(6),
            max_false_positive_rate: 0.005,
            threshold_floor: 0.5,
            // Both separate the research crawls by artefact: leave-one-group-out recall on
            // an unseen bot family falls from 0.84 to 0.20 with the account's age, and to 0.69
            // with the default-theme flag, which X has since retired (API v2 lacks it).
            excluded_features: vec![
                "default_profile".to_owned(),
                "account_age_days_log".to_owned(),
            ],
            humans_only_sets: Vec::new(),
            max_rows_per_set: 0,
            // Vendors do not sell verified accounts: the 41 verified "bought followers" of
            // vendor-purchased-2019 are label noise.
            drop_verified_bots: true,
            prior: DEFAULT_PRIOR,
        }
    }
}

/// One labelled training or evaluation row.
#[derive(Debug, Clone)]
pub struct Example {
    pub features: Features,
    pub bot: bool,
    /// The data set (crawl) it comes from (`dataset::set_of`).
    pub set: String,
    pub verified: bool,
}

/// A trained model: its file, the loaded model, and its out-of-bag calibrated probabilities.
#[derive(Debug)]
pub struct TrainedModel {
    pub file: ForestFile,
    pub model: ForestBotModel,
    /// The rows (indices into the examples given) the recipe kept for training.
    pub selected: Vec<usize>,
    /// Per selected row, the probability (at the model's prior) from the trees that did
    /// not see it.
    pub out_of_bag: Vec<f64>,
}

/// The rows the training recipe keeps, in their original order: bots of humans-only sets
/// and (optionally) verified bots are dropped, then each set and class is capped by a
/// seeded sample.
pub fn select_rows(examples: &[Example], params: &TrainParams) -> Vec<usize> {
    let mut by_cell: std::collections::BTreeMap<(&str, bool), Vec<usize>> = Default::default();
    for (index, example) in examples.iter().enumerate() {
        if example.bot
            && (params.humans_only_sets.contains(&example.set)
                || (params.drop_verified_bots && example.verified))
        {
            continue;
        }
        by_cell
            .entry((example.set.as_str(), example.bot))
            .or_default()
            .push(index);
    }
    let mut keep = vec![false; examples.len()];
    for (cell, (_, members)) in by_cell.iter_mut().enumerate() {
        if params.max_rows_per_set > 0 && members.len() > params.max_rows_per_set {
            crate::sampling::shuffle(members, params.seed.wrapping_add(cell as u64 * 7919));
            members.truncate(params.max_rows_per_set);
        }
        for index in members.iter() {
            keep[*index] = true;
        }
    }
    (0..examples.len()).filter(|index| keep[*index]).collect()
}

/// Trains on the rows of `examples` that the recipe in `params` selects; `provenance` is
/// stored verbatim.
pub fn train(
    examples: &[Example],
    params: &TrainParams,
    provenance: Value,
) -> anyhow::Result<TrainedModel> {
    let selected = select_rows(examples, params);
    let bots: Vec<bool> = selected.iter().map(|i| examples[*i].bot).collect();
    let bots = bots.as_slice();
    if !bots.iter().any(|bot| *bot) || bots.iter().all(|bot| *bot) {
        bail!("training needs both bots and humans");
    }
    anyhow::ensure!(
        params.prior > 0.0 && params.prior < 1.0,
        "the prior must be strictly between 0 and 1"
    );
    let mut excluded = [false; FEATURE_COUNT];
    for name in params
        .excluded_features
        .iter()
        .filter(|name| *name != "none")
    {
        let feature = Feature::ALL
            .iter()
            .find(|feature| feature.name() == name)
            .with_context(|| format!("unknown feature {name:?}"))?;
        excluded[feature.index()] = true;
    }
    // Excluded features are left out of the matrix altogether, so they are not even drawn
    // as split candidates; `columns` maps a matrix column back to its feature.
    let columns: Vec<usize> = (0..FEATURE_COUNT)
        .filter(|index| !excluded[*index])
        .collect();
    anyhow::ensure!(!columns.is_empty(), "every feature is excluded");
    let rows: Vec<Vec<f64>> = selected
        .iter()
        .map(|index| {
            let row = &examples[*index].features;
            columns
                .iter()
                .map(|column| {
                    let value = row.0[*column];
                    if value.is_nan() {
                        MISSING_FOR_TRAINING
                    } else {
                        value
                    }
                })
                .collect()
        })
        .collect();
    let matrix = DenseMatrix::from_2d_vec(&rows).map_err(|error| anyhow!("{error}"))?;
    let labels: Vec<u32> = bots.iter().map(|bot| u32::from(*bot)).collect();
    let mut forest_params = RandomForestClassifierParameters::default()
        .with_n_trees(params.trees)
        .with_min_samples_leaf(params.min_samples_leaf)
        .with_keep_samples(true)
        .with_seed(params.seed);
    if let Some(depth) = params.max_depth {
        forest_params = forest_params.with_max_depth(depth);
    }
    if let Some(m) = params.features_per_split {
        forest_params = forest_params.with_m(m.min(columns.len()));
    }
    let forest = RandomForestClassifier::fit(&matrix, &labels, forest_params)
        .map_err(|error| anyhow!("random forest training failed: {error}"))?;
    let exported = serde_json::to_value(&forest).context("serialising the smartcore forest")?;

    let trees_json = exported
        .get("trees")
        .and_then(Value::as_array)
        .context("smartcore forest has no trees array")?;
    let in_bag_json = exported
        .get("samples")
        .and_then(Value::as_array)
        .context("smartcore forest kept no samples")?;
    if trees_json.len() != in_bag_json.len() {
        bail!(
            "smartcore forest has {} trees but {} sample sets",
            trees_json.len(),
            in_bag_json.len()
        );
    }

    let mut trees = Vec::with_capacity(trees_json.len());
    let mut oob_sum = vec![0.0; rows.len()];
    let mut oob_count = vec![0usize; rows.len()];
    for (tree_json, in_bag_json) in trees_json.iter().zip(in_bag_json) {
        let in_bag: Vec<bool> = in_bag_json
            .as_array()
            .context("sample set is not an array")?
            .iter()
            .map(|flag| flag.as_bool().unwrap_or(false))
            .collect();
        let tree = export_tree(tree_json, &rows, bots, &in_bag, &columns)?;
        for (row, values) in rows.iter().enumerate() {
            if !in_bag.get(row).copied().unwrap_or(false) {
                oob_sum[row] += leaf_value(&tree, values);
                oob_count[row] += 1;
            }
        }
        trees.push(tree);
    }

    // A row in every bootstrap sample (rare with 100+ trees) falls back to the full forest.
    let full_scores: Vec<f64> = rows
        .iter()
        .map(|values| {
            trees
                .iter()
                .map(|tree| leaf_value(tree, values))
                .sum::<f64>()
                / trees.len() as f64
        })
        .collect();
    let oob_raw: Vec<f64> = (0..rows.len())
        .map(|row| {
            if oob_count[row] > 0 {
                oob_sum[row] / oob_count[row] as f64
            } else {
                full_scores[row]
            }
        })
        .collect();
    let calibration = fit_isotonic(
        &oob_raw
            .iter()
            .zip(bots)
            .map(|(raw, bot)| (*raw, *bot))
            .collect::<Vec<_>>(),
    );
    let mut file = ForestFile {
        format: FORMAT.to_owned(),
        version: params.generation.clone(),
        features: Feature::ALL
            .iter()
            .map(|feature| feature.name().to_owned())
            .collect(),
        prior: params.prior,
        threshold: 0.5,
        calibration,
        trees: trees.into_iter().map(|tree| tree.file).collect(),
        provenance,
    };
    // Probabilities at the prior, exactly as the served model computes them.
    let shifted =
        ForestBotModel::from_file(&file, "0").context("the exported forest does not load")?;
    let out_of_bag: Vec<f64> = oob_raw.iter().map(|raw| shifted.calibrate(*raw)).collect();
    // The floor is stated on the training base rate's scale (0.5 = even odds there).
    let floor = shifted.calibrate_to_prior(params.threshold_floor);
    let mut threshold: f64 = floor;
    let mut sets: Vec<&str> = selected.iter().map(|i| examples[*i].set.as_str()).collect();
    sets.sort_unstable();
    sets.dedup();
    for set in sets {
        let humans: Vec<f64> = selected
            .iter()
            .zip(&out_of_bag)
            .filter(|(index, _)| !examples[**index].bot && examples[**index].set == set)
            .map(|(_, probability)| *probability)
            .collect();
        if !humans.is_empty() {
            threshold = threshold.max(choose_threshold(
                &humans,
                params.max_false_positive_rate,
                floor,
            ));
        }
    }
    file.threshold = threshold;
    let text = serde_json::to_string(&file)?;
    let model = ForestBotModel::from_file(&file, &content_hash(&text))
        .context("the exported forest does not load")?;
    Ok(TrainedModel {
        file,
        model,
        selected,
        out_of_bag,
    })
}

/// The leaf value a training row reaches; `columns` are that row's features, so the split
/// is looked up by the matrix column (`column_of`), not by the feature index.
fn leaf_value(tree: &ExportedTree, values: &[f64]) -> f64 {
    let mut node = 0usize;
    while tree.file.left[node] != 0 {
        node = if values[tree.column[node]] <= tree.file.threshold[node] {
            tree.file.left[node] as usize
        } else {
            tree.file.right[node] as usize
        };
    }
    tree.file.value[node]
}

/// One smartcore node, as its serde form names the fields.
struct RawNode {
    feature: usize,
    threshold: f64,
    children: Option<(usize, usize)>,
}

fn parse_nodes(tree: &Value) -> anyhow::Result<Vec<RawNode>> {
    let nodes = tree
        .get("nodes")
        .and_then(Value::as_array)
        .context("smartcore tree has no nodes array")?;
    nodes
        .iter()
        .map(|node| {
            let index = |name: &str| node.get(name).and_then(Value::as_u64).map(|i| i as usize);
            let children = match (index("true_child"), index("false_child")) {
                (Some(left), Some(right)) => Some((left, right)),
                _ => None,
            };
            Ok(RawNode {
                feature: index("split_feature").context("node without split_feature")?,
                threshold: node
                    .get("split_value")
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::NAN),
                children,
            })
        })
        .collect()
}

/// Re-numbers the tree parent-first and counts the in-bag rows through every node.
/// A tree in the model file's form, plus each node's training-matrix column.
struct ExportedTree {
    file: TreeFile,
    column: Vec<usize>,
}

fn export_tree(
    tree: &Value,
    rows: &[Vec<f64>],
    bots: &[bool],
    in_bag: &[bool],
    columns: &[usize],
) -> anyhow::Result<ExportedTree> {
    let raw = parse_nodes(tree)?;
    if raw.is_empty() {
        bail!("smartcore tree has no nodes");
    }
    // Parent-first order by an explicit stack, so the engine's loader can check order.
    let mut order = Vec::with_capacity(raw.len());
    let mut new_index = vec![usize::MAX; raw.len()];
    let mut stack = vec![0usize];
    while let Some(old) = stack.pop() {
        if old >= raw.len() || new_index[old] != usize::MAX {
            bail!("smartcore tree is not a tree (node {old})");
        }
        new_index[old] = order.len();
        order.push(old);
        if let Some((left, right)) = raw[old].children {
            stack.push(right);
            stack.push(left);
        }
    }
    let len = order.len();
    let mut file = TreeFile {
        feature: vec![0; len],
        threshold: vec![0.0; len],
        left: vec![0; len],
        right: vec![0; len],
        value: vec![0.0; len],
        left_share: vec![0.0; len],
    };
    let mut column = vec![0usize; len];
    for (new, old) in order.iter().enumerate() {
        let node = &raw[*old];
        if let Some((left, right)) = node.children {
            let Some(feature) = columns.get(node.feature) else {
                bail!(
                    "smartcore split on column {} of {}",
                    node.feature,
                    columns.len()
                );
            };
            if node.threshold.is_nan() {
                bail!("smartcore split node without a threshold");
            }
            column[new] = node.feature;
            file.feature[new] = *feature as u16;
            file.threshold[new] = node.threshold;
            file.left[new] = new_index[left] as u32;
            file.right[new] = new_index[right] as u32;
        }
    }
    let mut reached = vec![0usize; len];
    let mut reached_bots = vec![0usize; len];
    for (row, values) in rows.iter().enumerate() {
        if !in_bag.get(row).copied().unwrap_or(false) {
            continue;
        }
        let mut node = 0usize;
        loop {
            reached[node] += 1;
            reached_bots[node] += usize::from(bots[row]);
            if file.left[node] == 0 {
                break;
            }
            node = if values[column[node]] <= file.threshold[node] {
                file.left[node] as usize
            } else {
                file.right[node] as usize
            };
        }
    }
    // Parents come first, so a node that no in-bag row reached (possible only through
    // floating-point ties) can inherit its parent's value.
    let mut parent_value = vec![0.5; len];
    for node in 0..len {
        let value = if reached[node] > 0 {
            reached_bots[node] as f64 / reached[node] as f64
        } else {
            parent_value[node]
        };
        file.value[node] = round6(value);
        if file.left[node] != 0 {
            let (left, right) = (file.left[node] as usize, file.right[node] as usize);
            let total = reached[left] + reached[right];
            file.left_share[node] = if total > 0 {
                round6(reached[left] as f64 / total as f64)
            } else {
                0.5
            };
            parent_value[left] = value;
            parent_value[right] = value;
        }
    }
    Ok(ExportedTree { file, column })
}

/// Six decimals are far below any difference the model can resolve and keep the committed
/// file small and diff-friendly.
fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(set: &str, bot: bool, verified: bool) -> Example {
        Example {
            features: Features([0.0; FEATURE_COUNT]),
            bot,
            set: set.to_owned(),
            verified,
        }
    }

    #[test]
    fn recipe_drops_humans_only_bots_verified_bots_and_caps_sets() {
        let mut examples = vec![
            example("stock", true, false),
            example("stock", false, false),
            example("vendor", true, true),
            example("vendor", true, false),
        ];
        examples.extend((0..10).map(|_| example("big", false, false)));
        let params = TrainParams {
            humans_only_sets: vec!["stock".to_owned()],
            max_rows_per_set: 4,
            ..TrainParams::default()
        };
        let kept = select_rows(&examples, &params);
        assert!(!kept.contains(&0), "a humans-only set's bot is dropped");
        assert!(kept.contains(&1));
        assert!(!kept.contains(&2), "a verified bot is dropped");
        assert!(kept.contains(&3));
        assert_eq!(kept.iter().filter(|i| **i >= 4).count(), 4);
        assert_eq!(kept, select_rows(&examples, &params), "seeded");
    }
}
