//! The shipped bot model: a random forest over `features.rs`, read from the committed model
//! file `models/bot_model.json` (embedded at compile time, so the engine does no I/O),
//! followed by an isotonic calibration map and the default threshold.
//!
//! This module owns the model file's format (`ForestFile`, written by `bot_training`) and
//! inference: the forest's score, its tree-path (Saabas) decomposition into signed
//! per-feature contributions, and missing features, which are integrated out by following
//! both branches of a split weighted by the training rows that went each way. It holds no
//! training code and does not word the reasons (`explanation.rs` does).

use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

use super::explanation;
use super::features::{self, FEATURE_COUNT, Feature, Features};
use super::linkedin::{self, LinkedInContext};
use super::{BotAssessment, BotModel};
use crate::engine::profile::FollowerProfile;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Platform;

/// The committed model file. Changing it changes `version()` through its content hash.
const SHIPPED_MODEL: &str = include_str!("../../../models/bot_model.json");

/// The value of `ForestFile::format` this code reads.
pub const FORMAT: &str = "followscore-bot-forest/2";

/// Probability ceiling for company and brand pages: an organisation's page is not a fake
/// follower, whatever its counters look like (brand pages follow few and post often, or the
/// reverse, in ways the person-trained forest never saw).
const ORGANIZATION_CEILING: f64 = 0.02;

/// The model file as written by `followscore train-bot-model`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestFile {
    pub format: String,
    /// Human-chosen model generation, e.g. `bot-rf-1`; the content hash is appended at load.
    pub version: String,
    /// Feature names in column order; must equal `Feature::ALL`.
    pub features: Vec<String>,
    /// The default prior share of fakes in a follower list: `assess` returns probabilities
    /// for a list with this share, and a profile without evidence gets exactly this.
    pub prior: f64,
    /// Default `bot_threshold` on the probability at `prior`.
    pub threshold: f64,
    pub calibration: CalibrationFile,
    pub trees: Vec<TreeFile>,
    /// Where the model came from: data, seed, parameters, library. Not read by inference.
    pub provenance: serde_json::Value,
}

/// Monotone piecewise-linear map from the forest's raw score to a probability at the
/// training data's base rate (before the shift to the prior); `raw` is strictly increasing and both vectors have the same length (at least one point).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationFile {
    pub raw: Vec<f64>,
    pub probability: Vec<f64>,
}

/// One tree as parallel arrays over its nodes; node 0 is the root. A node whose `left` is 0
/// is a leaf (the root is never anyone's child). `value` is the share of bots among the
/// training rows that reached the node, `left_share` the share of them that went left
/// (`feature <= threshold`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeFile {
    pub feature: Vec<u16>,
    pub threshold: Vec<f64>,
    pub left: Vec<u32>,
    pub right: Vec<u32>,
    pub value: Vec<f64>,
    pub left_share: Vec<f64>,
}

/// Why a model file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    #[error("model file is not valid JSON")]
    Json(#[from] serde_json::Error),
    #[error("model file format {0:?} is not {FORMAT:?}")]
    Format(String),
    #[error("model file features do not match this build's feature list")]
    Features,
    #[error("tree {tree} is malformed: {problem}")]
    Tree { tree: usize, problem: &'static str },
    #[error("calibration map is malformed")]
    Calibration,
    #[error("prior {0} is not strictly between 0 and 1")]
    Prior(f64),
}

/// One node of the flattened forest, as the descent reads it: 8 bytes (the file's layout
/// took 40), so the shipped forest's ~96,000 nodes fit in a core's 2 MiB L2 cache with
/// room to spare; their values and value changes live in arrays of their own, read once
/// per visited node. A split's two children sit side by side (`left`, `left + 1`), so
/// choosing a branch is an addition, and its threshold is stored as its rank among the
/// thresholds of its feature: a profile's values are ranked once per profile
/// (`Thresholds::rank_all`), and `value <= threshold` becomes `rank(value) <=
/// rank(threshold)`, the same comparison on small integers.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The first child; 0 for a leaf (no root is anyone's child).
    left: u32,
    /// The rank of the split's threshold among its feature's thresholds.
    rank: u16,
    feature: u8,
}

/// Trees descended side by side (`ForestBotModel::descend`): each tree's walk is a chain
/// of dependent loads, so walking several at once lets the core wait for all of their
/// nodes at the same time instead of one after another.
const LANES: usize = 8;

/// The longest path prefix `descend` records per tree; a deeper tree (the shipped ones
/// are at most 12 deep) carries on from there through `walk`, with the same result.
const PATH_CAP: usize = 16;

/// A feature's rank when the profile lacks it.
const MISSING: u16 = u16::MAX;

/// Slots in the walk's per-profile arrays: one per value of a node's `feature` byte.
const SPLIT_FEATURES: usize = 256;

/// A profile's rank for each feature (see `Thresholds::rank_all`).
type Ranks = [u16; SPLIT_FEATURES];

/// Paths carrying less of the walk than this stop at their node's value (see `walk`).
const MIN_BRANCH_WEIGHT: f64 = 0.25;

/// Every split threshold of the forest, per feature, sorted and without repeats.
#[derive(Debug, Default)]
struct Thresholds {
    per_feature: Vec<Vec<f64>>,
}

impl Thresholds {
    /// The number of `feature`'s thresholds strictly below `value`: for the threshold of
    /// rank `k`, `value <= threshold` exactly when this is at most `k`.
    fn rank(&self, feature: usize, value: f64) -> u16 {
        if value.is_nan() {
            return MISSING;
        }
        // Fewer than `MISSING` thresholds per feature (checked at load), so this fits.
        self.per_feature[feature].partition_point(|threshold| *threshold < value) as u16
    }

    /// Every feature's rank, indexed by a node's `feature` byte (so the walk's lookups
    /// need no bounds check); bytes past the last feature are never a node's.
    fn rank_all(&self, features: &Features) -> Ranks {
        let mut ranks = [MISSING; SPLIT_FEATURES];
        for (feature, value) in features.0.iter().enumerate() {
            ranks[feature] = self.rank(feature, *value);
        }
        ranks
    }
}

/// The random-forest `BotModel`.
#[derive(Debug)]
pub struct ForestBotModel {
    version: String,
    threshold: f64,
    prior: f64,
    /// The calibrated (training-scale) probability of a profile without evidence: the
    /// training base rate as the calibration map sees it. Probabilities are shifted from
    /// this to `prior`.
    reference: f64,
    /// Every tree's nodes, one after the other.
    nodes: Vec<Node>,
    /// For each node, the share of bots among the training rows that reached it.
    values: Vec<f64>,
    /// For each node, its value minus its parent's (0 for a root): what taking the branch
    /// that leads here adds to the split feature's contribution, computed once at load.
    deltas: Vec<f64>,
    /// For each node, the share of its training rows that went left (read only when the
    /// profile lacks the split's feature, so kept apart from the nodes).
    left_shares: Vec<f64>,
    /// Each tree's root in `nodes`.
    roots: Vec<u32>,
    /// A leaf of no tree, last in `nodes`: where `descend`'s lanes without a tree stay.
    idle: u32,
    thresholds: Thresholds,
    calibration_raw: Vec<f64>,
    calibration_probability: Vec<f64>,
    /// The forest's score before any evidence: the mean of the roots' values.
    bias: f64,
    /// Features some split uses; only these can be reported as missing signals.
    used: [bool; FEATURE_COUNT],
}

/// The model the service ships, parsed once from the embedded file.
pub fn shipped_model() -> Arc<ForestBotModel> {
    static MODEL: LazyLock<Arc<ForestBotModel>> = LazyLock::new(|| {
        Arc::new(
            ForestBotModel::from_json(SHIPPED_MODEL)
                .expect("the embedded models/bot_model.json loads (test shipped_model_loads)"),
        )
    });
    Arc::clone(&MODEL)
}

/// The raw score and its decomposition: `raw == bias + contributions.sum()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    pub raw: f64,
    pub bias: f64,
    pub contributions: [f64; FEATURE_COUNT],
}

impl ForestBotModel {
    pub fn from_json(text: &str) -> Result<Self, ModelFileError> {
        let file: ForestFile = serde_json::from_str(text)?;
        Self::from_file(&file, &content_hash(text))
    }

    /// Builds the model from a parsed file; `hash` goes into the version.
    pub fn from_file(file: &ForestFile, hash: &str) -> Result<Self, ModelFileError> {
        if file.format != FORMAT {
            return Err(ModelFileError::Format(file.format.clone()));
        }
        let expected = Feature::ALL.iter().map(|feature| feature.name());
        if !file.features.iter().map(String::as_str).eq(expected) {
            return Err(ModelFileError::Features);
        }
        if !(file.prior > 0.0 && file.prior < 1.0) {
            return Err(ModelFileError::Prior(file.prior));
        }
        let calibration = &file.calibration;
        if calibration.raw.is_empty()
            || calibration.raw.len() != calibration.probability.len()
            || calibration.raw.windows(2).any(|pair| pair[0] >= pair[1])
        {
            return Err(ModelFileError::Calibration);
        }
        if file.trees.is_empty() {
            return Err(ModelFileError::Tree {
                tree: 0,
                problem: "the forest has no trees",
            });
        }
        let thresholds = collect_thresholds(file)?;
        let mut forest = FlatForest::default();
        for (index, tree) in file.trees.iter().enumerate() {
            forest.add_tree(index, tree, &thresholds)?;
        }
        let idle = forest.add_idle_leaf()?;
        let FlatForest {
            nodes,
            values,
            deltas,
            left_shares,
            roots,
        } = forest;
        let bias =
            roots.iter().map(|root| values[*root as usize]).sum::<f64>() / roots.len() as f64;
        let mut used = [false; FEATURE_COUNT];
        for node in &nodes {
            if node.left != 0 {
                used[node.feature as usize] = true;
            }
        }
        let reference = interpolate(&calibration.raw, &calibration.probability, bias);
        if !(reference > 0.0 && reference < 1.0) {
            return Err(ModelFileError::Calibration);
        }
        Ok(Self {
            // The LinkedIn estimate's ratios are code, not file: their generation is part of
            // the version so that a change to them makes stored results stale too.
            version: format!(
                "{}+{hash}+{}",
                file.version,
                super::linkedin::ESTIMATE_VERSION
            ),
            threshold: file.threshold,
            prior: file.prior,
            reference,
            nodes,
            values,
            deltas,
            left_shares,
            roots,
            idle,
            thresholds,
            calibration_raw: calibration.raw.clone(),
            calibration_probability: calibration.probability.clone(),
            bias,
            used,
        })
    }

    /// The forest's uncalibrated score (mean over trees of the leaf bot share).
    pub fn raw_score(&self, features: &Features) -> f64 {
        let ranks = self.thresholds.rank_all(features);
        let mut descent = Descent::new();
        let mut total = 0.0;
        for roots in self.roots.chunks(LANES) {
            self.descend(roots, &ranks, &mut descent);
            for lane in 0..roots.len() {
                total += self.score(descent.stop[lane] as usize, &ranks);
            }
        }
        total / self.roots.len() as f64
    }

    /// The raw score with each feature's signed contribution (tree-path decomposition).
    pub fn decompose(&self, features: &Features) -> Decomposition {
        let mut sums = [0.0; SPLIT_FEATURES];
        let raw = self.add_up(features, &mut sums);
        let scale = 1.0 / self.roots.len() as f64;
        let mut contributions = [0.0; FEATURE_COUNT];
        contributions.copy_from_slice(&sums[..FEATURE_COUNT]);
        contributions.iter_mut().for_each(|value| *value *= scale);
        Decomposition {
            raw,
            bias: self.bias,
            contributions,
        }
    }

    /// The raw score exactly as `decompose` adds it up, to the last bit, without the
    /// contributions: what a result needs when its explanation is not wanted. (`raw_score`
    /// integrates missing features out to the end and may differ in the last digits.)
    pub fn decomposed_raw(&self, features: &Features) -> f64 {
        self.add_up(features, &mut Unexplained)
    }

    /// The mean over trees of the weighted leaf values, each known split's value change
    /// handed to `changes` on the way.
    fn add_up<C: ValueChanges>(&self, features: &Features, changes: &mut C) -> f64 {
        let ranks = self.thresholds.rank_all(features);
        let mut raw = 0.0;
        let mut descent = Descent::new();
        for roots in self.roots.chunks(LANES) {
            self.descend(roots, &ranks, &mut descent);
            // Tree after tree and split after split, as a walk of one tree at a time adds
            // them: the sums are the same to the last bit.
            for lane in 0..roots.len() {
                let len = usize::from(descent.len[lane]);
                for (child, feature) in descent.child[lane][..len]
                    .iter()
                    .zip(&descent.feature[lane][..len])
                {
                    changes.add(usize::from(*feature), self.deltas[*child as usize]);
                }
                raw += self.walk(descent.stop[lane] as usize, 1.0, &ranks, changes);
            }
        }
        raw * (1.0 / self.roots.len() as f64)
    }

    /// Calibrated probability for a raw score, at the model's prior.
    pub fn calibrate(&self, raw: f64) -> f64 {
        self.calibrate_to_prior(interpolate(
            &self.calibration_raw,
            &self.calibration_probability,
            raw,
        ))
    }

    /// Shifts a probability on the training data's scale to the model's prior.
    pub fn calibrate_to_prior(&self, training_probability: f64) -> f64 {
        super::at_prior(training_probability, self.reference, self.prior)
    }

    /// Calibrated probability from features alone (no reasons): the evaluation fast path.
    pub fn probability(&self, features: &Features) -> f64 {
        self.calibrate(self.raw_score(features))
    }

    /// Calibrated probability of a profile, with the organisation rule applied.
    pub fn profile_probability(&self, profile: &FollowerProfile, as_of: Timestamp) -> f64 {
        if profile.key.platform == Platform::LinkedIn {
            return self
                .assess_linkedin(profile, &LinkedInContext::default())
                .probability;
        }
        let probability = self.probability(&features::extract(profile, as_of));
        if profile.flags.is_organization == Some(true) {
            probability.min(ORGANIZATION_CEILING)
        } else {
            probability
        }
    }

    /// The LinkedIn estimate (`linkedin.rs`) at the model's prior, with the organisation
    /// rule applied. `context` carries what only the caller can know (same-day follows).
    pub fn assess_linkedin(
        &self,
        profile: &FollowerProfile,
        context: &LinkedInContext,
    ) -> BotAssessment {
        self.linkedin_estimate(profile, context, None)
    }

    /// [`ForestBotModel::assess_linkedin`], with the profile's texts folded by the caller
    /// when it has them (see `BotModel::assess_read`).
    fn linkedin_estimate(
        &self,
        profile: &FollowerProfile,
        context: &LinkedInContext,
        text_tokens: Option<&[&str]>,
    ) -> BotAssessment {
        let mut assessment = linkedin::assess(profile, self.prior, context, text_tokens);
        if profile.flags.is_organization == Some(true) {
            let capped = assessment.probability.min(ORGANIZATION_CEILING);
            let adjustment = capped - assessment.probability;
            assessment.probability = capped;
            assessment.reasons.insert(
                0,
                crate::engine::reasons::Reason::new(
                    "bot_organization_page",
                    "A company or brand page, not a fake follower",
                    adjustment,
                ),
            );
        }
        assessment
    }

    /// The probability the model gives when it knows nothing about a profile: its prior.
    pub fn prior_probability(&self) -> f64 {
        self.prior
    }

    /// The model's features that some split uses.
    pub fn used_features(&self) -> &[bool; FEATURE_COUNT] {
        &self.used
    }
}

impl BotModel for ForestBotModel {
    fn version(&self) -> &str {
        &self.version
    }

    fn default_threshold(&self) -> f64 {
        self.threshold
    }

    fn prior(&self) -> f64 {
        self.prior
    }

    fn assess(&self, profile: &FollowerProfile, as_of: Timestamp) -> BotAssessment {
        self.assess_briefly(profile, as_of, usize::MAX)
    }

    /// The LinkedIn estimate does not depend on the moment, nor does a profile that says
    /// when it was observed (features are measured to then). Otherwise only the features
    /// over the account's age move, and the forest reads every feature through its rank
    /// among the split thresholds: the same ranks at both moments give the same walk, so
    /// the same probability.
    fn same_probability_at(
        &self,
        profile: &FollowerProfile,
        earlier: Timestamp,
        later: Timestamp,
    ) -> bool {
        earlier == later
            || profile.key.platform == Platform::LinkedIn
            || profile.observed_at.is_some()
            || self
                .thresholds
                .rank_all(&features::age_dependent(profile, earlier))
                == self
                    .thresholds
                    .rank_all(&features::age_dependent(profile, later))
    }

    fn assess_briefly(
        &self,
        profile: &FollowerProfile,
        as_of: Timestamp,
        max_reasons: usize,
    ) -> BotAssessment {
        self.assess_with_text(profile, None, as_of, max_reasons)
    }

    fn assess_read(
        &self,
        profile: &FollowerProfile,
        text_tokens: &[&str],
        as_of: Timestamp,
        max_reasons: usize,
    ) -> BotAssessment {
        self.assess_with_text(profile, Some(text_tokens), as_of, max_reasons)
    }
}

impl ForestBotModel {
    /// The assessment behind `assess_briefly` and `assess_read`.
    fn assess_with_text(
        &self,
        profile: &FollowerProfile,
        text_tokens: Option<&[&str]>,
        as_of: Timestamp,
        max_reasons: usize,
    ) -> BotAssessment {
        if profile.key.platform == Platform::LinkedIn {
            let mut assessment =
                self.linkedin_estimate(profile, &LinkedInContext::default(), text_tokens);
            assessment.reasons.truncate(max_reasons);
            return assessment;
        }
        let features = features::extract(profile, as_of);
        if features.0.iter().all(|value| value.is_nan()) {
            // Nothing to go on: exactly the prior (integrating every feature out gives it
            // too, up to the model file's rounding).
            let probability = if profile.flags.is_organization == Some(true) {
                self.prior.min(ORGANIZATION_CEILING)
            } else {
                self.prior
            };
            return BotAssessment {
                probability,
                reasons: Vec::new(),
                missing_signals: features::missing_signals(&features, &self.used),
            };
        }
        let is_organization = profile.flags.is_organization == Some(true);
        let organization_ceiling = |probability: f64| {
            if is_organization {
                probability.min(ORGANIZATION_CEILING)
            } else {
                probability
            }
        };
        if max_reasons == 0 {
            // No reasons wanted (a result on its way to the store): the same probability
            // without the per-feature contributions behind the reasons.
            return BotAssessment {
                probability: organization_ceiling(self.calibrate(self.decomposed_raw(&features))),
                reasons: Vec::new(),
                missing_signals: features::missing_signals(&features, &self.used),
            };
        }
        let decomposition = self.decompose(&features);
        let forest_probability = self.calibrate(decomposition.raw);
        let prior = self.prior;
        // Contributions are on the raw-score scale; the calibration map is monotone, so
        // scaling them by the secant slope makes them add up to the probability's change
        // from the prior, each keeping its sign.
        let delta_raw = decomposition.raw - decomposition.bias;
        let scale = if delta_raw.abs() > 1e-9 {
            (forest_probability - prior) / delta_raw
        } else {
            1.0
        };
        let contributions = decomposition.contributions.map(|value| value * scale);
        let missing_signals = features::missing_signals(&features, &self.used);
        let probability = organization_ceiling(forest_probability);
        let reasons = explanation::reasons(
            &explanation::Evidence {
                profile,
                features: &features,
                contributions: &contributions,
                missing_signals: &missing_signals,
                organization_adjustment: is_organization
                    .then_some(probability - forest_probability),
            },
            max_reasons,
        );
        BotAssessment {
            probability,
            reasons,
            missing_signals,
        }
    }
}

/// Where a walk hands each known split's value change: added up per feature for an
/// explanation, or dropped when only the score is wanted. Either way the score is added up
/// the same way, so both give the same score to the last bit.
trait ValueChanges {
    fn add(&mut self, feature: usize, change: f64);
}

impl ValueChanges for [f64; SPLIT_FEATURES] {
    #[inline]
    fn add(&mut self, feature: usize, change: f64) {
        self[feature] += change;
    }
}

/// No explanation wanted: the value changes go nowhere.
struct Unexplained;

impl ValueChanges for Unexplained {
    #[inline]
    fn add(&mut self, _feature: usize, _change: f64) {}
}

/// Where `descend` left each of its trees: the children it went through and the feature
/// of the split that led to each, and the node it stopped at (a leaf, a split on a feature
/// the profile lacks, or the end of `PATH_CAP`). Entries past a tree's `len` are stale.
struct Descent {
    child: [[u32; PATH_CAP]; LANES],
    feature: [[u8; PATH_CAP]; LANES],
    len: [u8; LANES],
    stop: [u32; LANES],
}

impl Descent {
    fn new() -> Self {
        Self {
            child: [[0; PATH_CAP]; LANES],
            feature: [[0; PATH_CAP]; LANES],
            len: [0; LANES],
            stop: [0; LANES],
        }
    }
}

impl ForestBotModel {
    /// Descends the trees rooted at `roots` (at most `LANES`; lanes beyond them stand on
    /// the idle leaf) side by side, one level per round, as long as each split's feature is
    /// known. A tree's next node depends on its current one, so one tree alone waits for
    /// each node in turn (the forest does not fit in the L1 cache); the trees of a round do
    /// not depend on each other, so their loads overlap. A tree that has stopped stays
    /// where it is (a select, not a branch: where a tree stops is what a branch predictor
    /// cannot guess).
    fn descend(&self, roots: &[u32], ranks: &Ranks, descent: &mut Descent) {
        debug_assert!(roots.len() <= LANES);
        descent.stop = [self.idle; LANES];
        descent.stop[..roots.len()].copy_from_slice(roots);
        descent.len = [0; LANES];
        for step in 0..PATH_CAP {
            let mut moved = false;
            for lane in 0..LANES {
                let at = descent.stop[lane];
                let node = self.nodes[at as usize];
                let rank = ranks[node.feature as usize];
                let goes_on = node.left != 0 && rank != MISSING;
                let child = node.left + u32::from(rank > node.rank);
                let next = if goes_on { child } else { at };
                descent.child[lane][step] = next;
                descent.feature[lane][step] = node.feature;
                descent.stop[lane] = next;
                descent.len[lane] += u8::from(goes_on);
                moved |= goes_on;
            }
            if !moved {
                break;
            }
        }
    }

    /// The leaf value reached from `index`; a missing feature's split averages both
    /// branches, weighted by the training rows that went each way.
    fn score(&self, index: usize, ranks: &Ranks) -> f64 {
        let node = &self.nodes[index];
        if node.left == 0 {
            return self.values[index];
        }
        let left = node.left as usize;
        let rank = ranks[node.feature as usize];
        if rank == MISSING {
            let share = self.left_shares[index];
            share * self.score(left, ranks) + (1.0 - share) * self.score(left + 1, ranks)
        } else {
            self.score(left + usize::from(rank > node.rank), ranks)
        }
    }

    /// Returns the weighted leaf value reached from `index` and adds each known split's
    /// value change (child minus node, times the path weight) to its feature. A missing
    /// feature's split contributes nothing: its children's weighted mean is the node's value.
    fn walk<C: ValueChanges>(
        &self,
        mut index: usize,
        weight: f64,
        ranks: &Ranks,
        contributions: &mut C,
    ) -> f64 {
        // The whole path while every split's feature is known (most of a walk that
        // `descend` did not finish): the weight is exactly 1, so the products below are
        // the values themselves.
        if weight == 1.0 {
            loop {
                let node = &self.nodes[index];
                if node.left == 0 {
                    return self.values[index];
                }
                let feature = node.feature as usize;
                let rank = ranks[feature];
                if rank == MISSING {
                    break;
                }
                let child = node.left as usize + usize::from(rank > node.rank);
                contributions.add(feature, self.deltas[child]);
                index = child;
            }
        }
        loop {
            let node = &self.nodes[index];
            // A leaf, or a share of the path so small that descending further cannot
            // matter: the node's value is the mean of the training accounts below it, which
            // is what integrating out every feature beneath would approach. This bounds the
            // work for profiles with many missing signals to a few paths per tree.
            if node.left == 0 || weight < MIN_BRANCH_WEIGHT {
                return weight * self.values[index];
            }
            let feature = node.feature as usize;
            let left = node.left as usize;
            let rank = ranks[feature];
            if rank == MISSING {
                let left_weight = weight * self.left_shares[index];
                let right_weight = weight - left_weight;
                let mut total = 0.0;
                if left_weight > 0.0 {
                    total += self.walk(left, left_weight, ranks, contributions);
                }
                if right_weight > 0.0 {
                    total += self.walk(left + 1, right_weight, ranks, contributions);
                }
                return total;
            }
            let child = left + usize::from(rank > node.rank);
            contributions.add(feature, weight * self.deltas[child]);
            index = child;
        }
    }
}

/// Every split threshold of the file's forest, per feature (NaN thresholds are refused).
fn collect_thresholds(file: &ForestFile) -> Result<Thresholds, ModelFileError> {
    let mut per_feature = vec![Vec::new(); FEATURE_COUNT];
    for (index, tree) in file.trees.iter().enumerate() {
        let problem = |problem| ModelFileError::Tree {
            tree: index,
            problem,
        };
        for (node, left) in tree.left.iter().enumerate() {
            if *left == 0 {
                continue;
            }
            let (Some(feature), Some(threshold)) =
                (tree.feature.get(node), tree.threshold.get(node))
            else {
                return Err(problem("node arrays differ in length"));
            };
            let Some(list) = per_feature.get_mut(*feature as usize) else {
                return Err(problem("split on an unknown feature"));
            };
            if threshold.is_nan() {
                return Err(problem("a split threshold is not a number"));
            }
            list.push(*threshold);
        }
    }
    for list in &mut per_feature {
        list.sort_by(f64::total_cmp);
        // -0.0 and 0.0 compare equal, so they are one threshold.
        list.dedup_by(|a, b| a == b);
        if list.len() >= usize::from(MISSING) {
            return Err(ModelFileError::Tree {
                tree: 0,
                problem: "a feature has too many distinct thresholds",
            });
        }
    }
    Ok(Thresholds { per_feature })
}

/// The forest being laid out: every tree's nodes in one vector, tree after tree, each tree
/// level by level, siblings side by side.
#[derive(Default)]
struct FlatForest {
    nodes: Vec<Node>,
    values: Vec<f64>,
    deltas: Vec<f64>,
    left_shares: Vec<f64>,
    roots: Vec<u32>,
}

impl FlatForest {
    fn add_tree(
        &mut self,
        index: usize,
        file: &TreeFile,
        thresholds: &Thresholds,
    ) -> Result<(), ModelFileError> {
        let problem = |problem| ModelFileError::Tree {
            tree: index,
            problem,
        };
        let len = file.feature.len();
        if len == 0 {
            return Err(problem("no nodes"));
        }
        if [
            file.threshold.len(),
            file.left.len(),
            file.right.len(),
            file.value.len(),
            file.left_share.len(),
        ]
        .iter()
        .any(|other| *other != len)
        {
            return Err(problem("node arrays differ in length"));
        }
        for i in 0..len {
            let left = file.left[i];
            if left != 0 {
                // Children come after their parent, which also rules out cycles.
                let in_order = |child: u32| (child as usize) > i && (child as usize) < len;
                if !in_order(left) || !in_order(file.right[i]) {
                    return Err(problem("child index out of order or out of range"));
                }
                if file.feature[i] as usize >= FEATURE_COUNT {
                    return Err(problem("split on an unknown feature"));
                }
                if !(0.0..=1.0).contains(&file.left_share[i]) {
                    return Err(problem("left_share outside 0..=1"));
                }
            }
            if !(0.0..=1.0).contains(&file.value[i]) {
                return Err(problem("value outside 0..=1"));
            }
        }
        let too_large = || problem("the forest has too many nodes");
        let root = u32::try_from(self.nodes.len()).map_err(|_| too_large())?;
        self.roots.push(root);
        self.push(file, 0, 0.0);
        // Level by level: the top levels of a tree, which every walk reads, sit together
        // in a few cache lines. Each file node is placed once, after its parent: a node
        // with two parents would be placed twice, so it is refused.
        let mut placed = vec![false; len];
        let mut pending = std::collections::VecDeque::from([(0usize, root as usize)]);
        while let Some((file_node, flat)) = pending.pop_front() {
            if std::mem::replace(&mut placed[file_node], true) {
                return Err(problem("a node has two parents"));
            }
            let left = file.left[file_node] as usize;
            if left == 0 {
                continue;
            }
            let right = file.right[file_node] as usize;
            let feature = file.feature[file_node] as usize;
            let first = u32::try_from(self.nodes.len()).map_err(|_| too_large())?;
            let value = file.value[file_node];
            self.push(file, left, file.value[left] - value);
            self.push(file, right, file.value[right] - value);
            let node = &mut self.nodes[flat];
            node.left = first;
            // Below FEATURE_COUNT (checked above), so it fits.
            node.feature = feature as u8;
            node.rank = thresholds.rank(feature, file.threshold[file_node]);
            pending.push_back((left, first as usize));
            pending.push_back((right, first as usize + 1));
        }
        Ok(())
    }

    /// Appends the leaf that `descend`'s lanes without a tree stand on (value 0, never read).
    fn add_idle_leaf(&mut self) -> Result<u32, ModelFileError> {
        let index = u32::try_from(self.nodes.len()).map_err(|_| ModelFileError::Tree {
            tree: self.roots.len(),
            problem: "the forest has too many nodes",
        })?;
        self.push_leaf(0.0, 0.0, 0.0);
        Ok(index)
    }

    /// Appends file node `index` as a leaf; `add_tree` makes it a split if it is one.
    fn push(&mut self, file: &TreeFile, index: usize, delta: f64) {
        self.push_leaf(file.value[index], delta, file.left_share[index]);
    }

    /// Appends a leaf to the node array and its value, value change and left share to
    /// theirs, which are indexed alike.
    fn push_leaf(&mut self, value: f64, delta: f64, left_share: f64) {
        self.nodes.push(Node {
            left: 0,
            rank: 0,
            feature: 0,
        });
        self.values.push(value);
        self.deltas.push(delta);
        self.left_shares.push(left_share);
    }
}

/// Linear interpolation through increasing `xs`, flat beyond the ends.
pub fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let Some(last) = xs.len().checked_sub(1) else {
        return x;
    };
    if x <= xs[0] {
        return ys[0];
    }
    if x >= xs[last] {
        return ys[last];
    }
    let upper = xs.partition_point(|point| *point <= x);
    let (x0, x1, y0, y1) = (xs[upper - 1], xs[upper], ys[upper - 1], ys[upper]);
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

/// Short FNV-1a hash of the model file, so the version changes whenever the file does.
pub fn content_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::{FollowerId, FollowerKey};
    use crate::engine::vocabulary::Platform;

    /// One stump on `followers_log`: ≤ 1.0 → 0.9 bots, else 0.1; 40% of rows go left.
    fn stump_file() -> ForestFile {
        ForestFile {
            format: FORMAT.into(),
            version: "bot-test-1".into(),
            features: Feature::ALL.iter().map(|f| f.name().to_owned()).collect(),
            // The root's value: probabilities stay on the training scale.
            prior: 0.42,
            threshold: 0.7,
            calibration: CalibrationFile {
                raw: vec![0.0, 1.0],
                probability: vec![0.0, 1.0],
            },
            trees: vec![TreeFile {
                feature: vec![Feature::FollowersLog.index() as u16, 0, 0],
                threshold: vec![1.0, 0.0, 0.0],
                left: vec![1, 0, 0],
                right: vec![2, 0, 0],
                value: vec![0.42, 0.9, 0.1],
                left_share: vec![0.4, 0.0, 0.0],
            }],
            provenance: serde_json::Value::Null,
        }
    }

    fn twitter(followers: Option<u64>) -> FollowerProfile {
        let mut profile = FollowerProfile::new(FollowerKey {
            platform: Platform::Twitter,
            id: FollowerId::parse("1").unwrap(),
        });
        profile.counts.followers = followers;
        profile
    }

    #[test]
    fn decomposition_adds_up_and_missing_feature_is_integrated_out() {
        let model = ForestBotModel::from_file(&stump_file(), "0").unwrap();
        let known = features::extract(&twitter(Some(0)), Timestamp(0));
        let d = model.decompose(&known);
        assert!((d.raw - 0.9).abs() < 1e-12);
        assert!((d.bias + d.contributions.iter().sum::<f64>() - d.raw).abs() < 1e-12);
        assert!((d.contributions[Feature::FollowersLog.index()] - 0.48).abs() < 1e-12);

        let missing = features::extract(&twitter(None), Timestamp(0));
        let d = model.decompose(&missing);
        assert!((d.raw - (0.4 * 0.9 + 0.6 * 0.1)).abs() < 1e-12);
        assert!(d.contributions.iter().all(|c| c.abs() < 1e-12));
        assert!((model.raw_score(&missing) - d.raw).abs() < 1e-12);
    }

    /// A tree of random splits grown to `depth` (a chain down its left side when `chain`),
    /// nodes numbered in the file's pre-order.
    fn random_tree(rng: &mut crate::sampling::SplitMix64, depth: usize, chain: bool) -> TreeFile {
        fn grow(
            tree: &mut TreeFile,
            rng: &mut crate::sampling::SplitMix64,
            depth: usize,
            chain: bool,
        ) -> u32 {
            let unit =
                |rng: &mut crate::sampling::SplitMix64| (rng.next_u64() % 1_000) as f64 / 1_000.0;
            let index = tree.feature.len();
            tree.feature
                .push((rng.next_u64() % FEATURE_COUNT as u64) as u16);
            tree.threshold.push(unit(rng) * 4.0);
            tree.left.push(0);
            tree.right.push(0);
            tree.value.push(unit(rng));
            tree.left_share.push(unit(rng));
            if depth > 0 && (chain || !rng.next_u64().is_multiple_of(5)) {
                let left = grow(tree, rng, depth - 1, chain);
                let right = grow(tree, rng, if chain { 0 } else { depth - 1 }, false);
                tree.left[index] = left;
                tree.right[index] = right;
            }
            index as u32
        }
        let mut tree = TreeFile {
            feature: vec![],
            threshold: vec![],
            left: vec![],
            right: vec![],
            value: vec![],
            left_share: vec![],
        };
        grow(&mut tree, rng, depth, chain);
        tree
    }

    #[test]
    fn trees_descended_side_by_side_add_up_exactly_as_one_at_a_time() {
        let mut rng = crate::sampling::SplitMix64(7);
        let mut file = stump_file();
        // Not a multiple of LANES, and one tree deeper than PATH_CAP.
        file.trees = (0..LANES + 3)
            .map(|t| random_tree(&mut rng, if t == 4 { PATH_CAP + 6 } else { 7 }, t == 4))
            .collect();
        let model = ForestBotModel::from_file(&file, "0").unwrap();
        for round in 0..200 {
            let mut values = [0.0; FEATURE_COUNT];
            for value in &mut values {
                // A third of the features missing in some rounds, none in others.
                *value = if round % 2 == 0 && rng.next_u64().is_multiple_of(3) {
                    f64::NAN
                } else {
                    (rng.next_u64() % 4_000) as f64 / 1_000.0
                };
            }
            let features = Features(values);
            let ranks = model.thresholds.rank_all(&features);
            let mut sums = [0.0; SPLIT_FEATURES];
            let mut raw = 0.0;
            let mut score = 0.0;
            for root in &model.roots {
                raw += model.walk(*root as usize, 1.0, &ranks, &mut sums);
                score += model.score(*root as usize, &ranks);
            }
            let scale = 1.0 / model.roots.len() as f64;
            let d = model.decompose(&features);
            assert_eq!(d.raw.to_bits(), (raw * scale).to_bits(), "round {round}");
            assert_eq!(model.decomposed_raw(&features).to_bits(), d.raw.to_bits());
            for (feature, contribution) in d.contributions.iter().enumerate() {
                assert_eq!(contribution.to_bits(), (sums[feature] * scale).to_bits());
            }
            let trees = model.roots.len() as f64;
            assert_eq!(
                model.raw_score(&features).to_bits(),
                (score / trees).to_bits()
            );
        }
    }

    #[test]
    fn organization_pages_are_not_bots() {
        let model = ForestBotModel::from_file(&stump_file(), "0").unwrap();
        let mut page = twitter(Some(0));
        assert!(model.assess(&page, Timestamp(0)).probability > 0.8);
        page.flags.is_organization = Some(true);
        let assessment = model.assess(&page, Timestamp(0));
        assert!(assessment.probability <= ORGANIZATION_CEILING);
        assert!(
            assessment
                .reasons
                .iter()
                .any(|reason| reason.code == "bot_organization_page" && reason.weight < 0.0)
        );
    }

    #[test]
    fn malformed_files_are_refused() {
        let mut file = stump_file();
        file.trees[0].left[0] = 0;
        file.trees[0].right[0] = 7;
        assert!(ForestBotModel::from_file(&file, "0").is_ok());
        let mut file = stump_file();
        file.trees[0].left[0] = 5;
        assert!(ForestBotModel::from_file(&file, "0").is_err());
        let mut file = stump_file();
        file.features.swap(0, 1);
        assert!(matches!(
            ForestBotModel::from_file(&file, "0"),
            Err(ModelFileError::Features)
        ));
    }

    #[test]
    fn shipped_model_loads() {
        let model = shipped_model();
        assert!(model.version().starts_with("bot-rf-"));
        assert!(model.version().contains('+'));
        assert!(model.default_threshold() > 0.0 && model.default_threshold() < 1.0);
        assert!((model.prior() - 0.1).abs() < 1e-12);
        assert!(model.default_threshold() > model.prior());
    }

    #[test]
    fn probabilities_are_at_the_prior_and_the_prior_moves_them() {
        let mut file = stump_file();
        file.prior = 0.1;
        let model = ForestBotModel::from_file(&file, "0").unwrap();
        // No evidence: exactly the prior, not the training base rate.
        let bare = model.assess(&twitter(None), Timestamp(0));
        assert!((bare.probability - 0.1).abs() < 1e-12);
        // Evidence keeps its likelihood ratio: 0.9 at a 0.42 base is odds 9 × 0.1/0.9 ÷ 0.42/0.58.
        let known = model.assess(&twitter(Some(0)), Timestamp(0));
        let expected = super::super::at_prior(0.9, 0.42, 0.1);
        assert!((known.probability - expected).abs() < 1e-12);
        let total: f64 = known.reasons.iter().map(|r| r.weight).sum();
        assert!((total - (known.probability - 0.1)).abs() < 1e-9);
        file.prior = 1.0;
        assert!(matches!(
            ForestBotModel::from_file(&file, "0"),
            Err(ModelFileError::Prior(_))
        ));
    }

    fn x_profile(
        posts: u64,
        followers: u64,
        following: u64,
        likes: u64,
        listed: u64,
    ) -> FollowerProfile {
        let mut profile = twitter(Some(followers));
        profile.counts.following = Some(following);
        profile.counts.posts = Some(posts);
        profile.counts.likes = Some(likes);
        profile.counts.listed = Some(listed);
        profile.flags.default_profile_image = Some(false);
        profile.created_at = Some(Timestamp(1_300_000_000));
        profile.observed_at = Some(Timestamp(1_423_911_289));
        profile
    }

    #[test]
    fn the_probability_is_the_same_with_or_without_reasons() {
        let model = shipped_model();
        let as_of = Timestamp(1_795_000_000);
        let mut profiles = 0;
        for file in [
            "followers_linkedin.csv",
            "followers_twitter.csv",
            "followers_twitter_v11.jsonl",
            "followers_twitter_v2.jsonl",
        ] {
            for mut profile in crate::service::testing::example_followers(file) {
                for organization in [None, Some(true)] {
                    profile.flags.is_organization = organization;
                    let explained = model.assess(&profile, as_of);
                    let unexplained = model.assess_briefly(&profile, as_of, 0);
                    assert_eq!(
                        explained.probability.to_bits(),
                        unexplained.probability.to_bits(),
                        "follower {}",
                        profile.key.id
                    );
                    assert!(unexplained.reasons.is_empty());
                    assert_eq!(explained.missing_signals, unexplained.missing_signals);
                    profiles += 1;
                }
            }
        }
        assert!(profiles > 2_000);
    }

    #[test]
    fn shipped_model_separates_a_bought_follower_from_an_active_person() {
        let model = shipped_model();
        let mut fake = x_profile(3, 8, 1_900, 0, 0);
        fake.handle = Some("xq8812734".into());
        fake.display_name = Some("qwerty".into());
        let assessment = model.assess(&fake, Timestamp(0));
        assert!(
            assessment.probability >= model.default_threshold(),
            "{assessment:?}"
        );
        assert!(
            assessment
                .reasons
                .iter()
                .any(|r| r.code == "bot_following_far_exceeds_followers" && r.weight > 0.0)
        );
        assert!(assessment.missing_signals.is_empty());

        let mut person = x_profile(5_400, 900, 450, 1_200, 35);
        person.handle = Some("mariorossi".into());
        person.display_name = Some("Mario Rossi".into());
        person.bio = Some("Engineer at Acme. Runner. http://mario.example".into());
        person.url = Some("http://mario.example".into());
        person.location = Some("Milano".into());
        let assessment = model.assess(&person, Timestamp(0));
        assert!(assessment.probability < 0.1, "{assessment:?}");
        // The strongest reason pulls towards "real person"; no reason says "few" of a lot.
        assert!(assessment.reasons[0].weight < 0.0, "{assessment:?}");
        assert!(
            assessment
                .reasons
                .iter()
                .all(|r| r.code != "bot_few_likes" && r.code != "bot_few_posts"),
            "{assessment:?}"
        );
    }

    fn linkedin_row(photo: &str, connections: &str, headline: &str) -> FollowerProfile {
        let text = format!(
            "Profile URL,Full Name,Headline,Connections,Has Photo\n\
             https://www.linkedin.com/in/paul-martin-1a2b3c,Paul Martin,{headline},{connections},{photo}\n"
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let record = reader.records().next().unwrap().unwrap();
        crate::import::linkedin::profile_from_csv(&headers, &record).unwrap()
    }

    #[test]
    fn an_assessment_is_the_same_from_texts_the_caller_folded() {
        use crate::engine::reading::text::joined_tokens_of;
        let model = shipped_model();
        let now = Timestamp(1_700_000_000);
        let mut scam = linkedin_row("No", "3", "Crypto trader 💰 | DM me");
        scam.bio = Some("Passive income, work from home. Make money @".into());
        scam.title = Some("CEO".into());
        let mut plain = linkedin_row("Yes", "500+", "Engineer @ Acme");
        plain.bio = Some("💰".into());
        let mut x = x_profile(12, 3, 900, 0, 0);
        x.headline = Some("Get rich with crypto".into());
        for profile in [scam, plain, x] {
            let raw = [&profile.headline, &profile.title, &profile.bio].map(|t| t.as_deref());
            let owned = joined_tokens_of(&raw);
            let joined: Vec<&str> = owned.iter().map(String::as_str).collect();
            let read = model.assess_read(&profile, &joined, now, usize::MAX);
            assert_eq!(
                read,
                model.assess_briefly(&profile, now, usize::MAX),
                "{profile:?}"
            );
            if profile.key.platform == Platform::LinkedIn {
                // Both LinkedIn rows carry phrasing the estimate reads (the plain one only
                // its bio's emoji).
                assert!(
                    read.reasons
                        .iter()
                        .any(|r| r.code == "bot_get_rich_quick_headline"),
                    "{read:?}"
                );
            }
        }
    }

    #[test]
    fn linkedin_row_without_a_photo_is_not_said_to_have_one_nor_scored_lower() {
        let model = shipped_model();
        let now = Timestamp(1_700_000_000);
        let without = model.assess(&linkedin_row("No", "120", "Engineer"), now);
        let with = model.assess(&linkedin_row("Yes", "120", "Engineer"), now);
        assert!(
            without.probability > with.probability,
            "{without:?}\n{with:?}"
        );
        assert!(
            without
                .reasons
                .iter()
                .all(|r| r.code != "bot_has_profile_photo" && !r.message.contains("of its own")),
            "{without:?}"
        );
        assert!(
            without
                .reasons
                .iter()
                .any(|r| r.code == "bot_no_profile_photo" && r.weight > 0.0)
        );
    }

    #[test]
    fn linkedin_estimates_against_the_shipped_threshold() {
        let model = shipped_model();
        let now = Timestamp(1_700_000_000);
        let threshold = model.default_threshold();
        // A bought follower: no photo, a handful of connections, a scam headline.
        let bought = model.assess(&linkedin_row("No", "4", "DM me for crypto signals 💰"), now);
        assert!(bought.probability >= threshold, "{bought:?}");
        assert!(
            bought
                .reasons
                .iter()
                .any(|r| r.code == "bot_get_rich_quick_headline" && r.weight > 0.0)
        );
        // An ordinary person: photo, 300 connections, a normal headline.
        let person = model.assess(&linkedin_row("Yes", "300", "VP Sales at Acme"), now);
        assert!(person.probability <= model.prior(), "{person:?}");
        // A nearly empty real profile: no headline, no photo, 12 connections (DORMANT).
        let dormant = model.assess(&linkedin_row("No", "12", ""), now);
        assert!(dormant.probability < threshold, "{dormant:?}");
        // A LinkedIn profile lacking X counts is not thereby suspicious; a bare one is the prior.
        let mut bare = FollowerProfile::new(FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse("li-1").unwrap(),
        });
        assert!((model.assess(&bare, now).probability - model.prior()).abs() < 1e-12);
        bare.flags.is_organization = Some(true);
        bare.headline = Some("Crypto signals, DM us 🚀".into());
        assert!(model.assess(&bare, now).probability <= ORGANIZATION_CEILING);
        // A bare X id gets the prior too.
        let bare_x = twitter(None);
        assert!((model.assess(&bare_x, now).probability - model.prior()).abs() < 1e-9);
    }

    #[test]
    fn interpolation_is_flat_beyond_the_ends() {
        let xs = [0.2, 0.4, 0.8];
        let ys = [0.0, 0.5, 1.0];
        assert_eq!(interpolate(&xs, &ys, 0.0), 0.0);
        assert!((interpolate(&xs, &ys, 0.3) - 0.25).abs() < 1e-12);
        assert!((interpolate(&xs, &ys, 0.6) - 0.75).abs() < 1e-12);
        assert_eq!(interpolate(&xs, &ys, 1.0), 1.0);
    }
}
