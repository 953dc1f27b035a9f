//! Held-out evaluation of the whole training pipeline: stratified k-fold cross-validation
//! and leave-one-group-out (train on all research groups but one, score the one left out).
//!
//! Every fold runs `trainer::train` from scratch (forest, calibration and threshold), so the
//! figures judge the pipeline, not one lucky model. Fold assignment is seeded and stable.

use serde::Serialize;
use serde_json::Value;

use super::metrics::{Metrics, Prediction, evaluate};
use super::trainer::{Example, TrainParams, train};
use crate::sampling::SplitMix64;

/// Stratified k-fold: each class is shuffled and dealt round-robin into `k` folds.
fn stratified_folds(bots: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix64(seed);
    let mut fold = vec![0; bots.len()];
    for class in [false, true] {
        let mut members: Vec<usize> = (0..bots.len()).filter(|i| bots[*i] == class).collect();
        rng.shuffle(&mut members);
        for (position, row) in members.into_iter().enumerate() {
            fold[row] = position % k;
        }
    }
    fold
}

fn subset<T: Clone>(items: &[T], keep: &[bool]) -> Vec<T> {
    items
        .iter()
        .zip(keep)
        .filter(|(_, keep)| **keep)
        .map(|(item, _)| item.clone())
        .collect()
}

/// Out-of-fold predictions for every row, each judged at its own fold's threshold.
pub fn cross_validate(
    examples: &[Example],
    k: usize,
    params: &TrainParams,
) -> anyhow::Result<Vec<Prediction>> {
    anyhow::ensure!(k >= 2, "cross-validation needs at least 2 folds");
    let bots: Vec<bool> = examples.iter().map(|example| example.bot).collect();
    let folds = stratified_folds(&bots, k, params.seed);
    let mut predictions = vec![None; bots.len()];
    for fold in 0..k {
        let training: Vec<bool> = folds.iter().map(|f| *f != fold).collect();
        let fold_params = TrainParams {
            seed: params.seed.wrapping_add(fold as u64 + 1),
            ..params.clone()
        };
        let trained = train(&subset(examples, &training), &fold_params, Value::Null)?;
        let threshold = trained.file.threshold;
        for row in (0..bots.len()).filter(|row| !training[*row]) {
            predictions[row] = Some(Prediction {
                probability: trained.model.probability(&examples[row].features),
                threshold,
                label: bots[row],
            });
        }
    }
    predictions
        .into_iter()
        .map(|prediction| prediction.ok_or_else(|| anyhow::anyhow!("a row was in no fold")))
        .collect()
}

/// One held-out unit's figures.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub group: String,
    /// Figures at the fold model's own default threshold.
    pub at_threshold: Metrics,
    /// Figures at the fold model's prior shifted back to even odds (the old "0.5").
    pub at_even_odds: Metrics,
    /// For a held-out data set, the same figures per research group inside it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<(String, Metrics)>,
}

/// Hold-out by unit: for each distinct value of `units`, train on the rows of the other
/// units (through the training recipe) and score that unit's rows. `groups` names the
/// research group of each row, for the per-group figures inside a held-out unit. Returns
/// the per-unit results and all held-out predictions (for pooled figures).
pub fn leave_one_out(
    examples: &[Example],
    units: &[String],
    groups: &[String],
    params: &TrainParams,
) -> anyhow::Result<(Vec<GroupResult>, Vec<Prediction>)> {
    let mut names: Vec<String> = units.to_vec();
    names.sort();
    names.dedup();
    anyhow::ensure!(names.len() >= 2, "leaving one out needs at least 2 units");
    let mut results = Vec::with_capacity(names.len());
    let mut pooled = Vec::with_capacity(examples.len());
    for name in names {
        let training: Vec<bool> = units.iter().map(|unit| *unit != name).collect();
        let trained = train(&subset(examples, &training), params, Value::Null)?;
        // The fold model's "even odds": 0.5 on its training scale, at its prior.
        let even_odds = trained.model.calibrate_to_prior(0.5);
        let rows: Vec<usize> = (0..examples.len()).filter(|row| !training[*row]).collect();
        let held_out: Vec<Prediction> = rows
            .iter()
            .map(|row| Prediction {
                probability: trained.model.probability(&examples[*row].features),
                threshold: trained.file.threshold,
                label: examples[*row].bot,
            })
            .collect();
        let at_even_odds: Vec<Prediction> = held_out
            .iter()
            .map(|prediction| Prediction {
                threshold: even_odds,
                ..*prediction
            })
            .collect();
        let mut inner: Vec<&str> = rows.iter().map(|row| groups[*row].as_str()).collect();
        inner.sort_unstable();
        inner.dedup();
        let per_group = if inner.len() > 1 {
            inner
                .iter()
                .map(|group| {
                    let predictions: Vec<Prediction> = rows
                        .iter()
                        .zip(&held_out)
                        .filter(|(row, _)| groups[**row] == *group)
                        .map(|(_, prediction)| *prediction)
                        .collect();
                    ((*group).to_owned(), evaluate(&predictions))
                })
                .collect()
        } else {
            Vec::new()
        };
        results.push(GroupResult {
            group: name,
            at_threshold: evaluate(&held_out),
            at_even_odds: evaluate(&at_even_odds),
            groups: per_group,
        });
        pooled.extend(held_out);
    }
    Ok((results, pooled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stratified_and_reproducible() {
        let bots: Vec<bool> = (0..100).map(|i| i % 4 == 0).collect();
        let folds = stratified_folds(&bots, 5, 7);
        assert_eq!(folds, stratified_folds(&bots, 5, 7));
        for fold in 0..5 {
            let members: Vec<usize> = (0..100).filter(|i| folds[*i] == fold).collect();
            assert_eq!(members.len(), 20);
            assert_eq!(members.iter().filter(|i| bots[**i]).count(), 5);
        }
    }
}
