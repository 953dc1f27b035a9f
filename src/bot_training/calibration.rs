//! Isotonic calibration of the forest's raw score, fitted on out-of-bag scores, and the
//! choice of the default threshold from the calibrated out-of-bag probabilities of humans.
//!
//! A random forest's vote share is not a probability (it is squeezed towards 0.5 and
//! lumpy); a monotone map fitted on rows the trees did not see makes "0.8" mean "about 80%
//! of such accounts are bots" without changing the ranking. The map is stored in the model
//! file as points for linear interpolation (`engine::bot::forest::CalibrationFile`).

use crate::engine::bot::forest::CalibrationFile;

/// Pseudo-rows of the base rate added to every block, so a small pure block at an end of
/// the scale says 0.99, not a certain 1.0.
const PRIOR_WEIGHT: f64 = 2.0;

#[derive(Debug, Clone, Copy)]
struct Block {
    /// Weighted mean raw score of the block.
    x: f64,
    /// Block value (bot share).
    y: f64,
    weight: f64,
}

/// Pool-adjacent-violators: the weighted non-decreasing fit to `blocks` (sorted by `x`).
fn pool_adjacent_violators(blocks: &[Block]) -> Vec<Block> {
    let mut pooled: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let mut current = *block;
        while let Some(last) = pooled.last() {
            if last.y < current.y {
                break;
            }
            let weight = last.weight + current.weight;
            current = Block {
                x: (last.x * last.weight + current.x * current.weight) / weight,
                y: (last.y * last.weight + current.y * current.weight) / weight,
                weight,
            };
            pooled.pop();
        }
        pooled.push(current);
    }
    pooled
}

/// Fits the calibration map on `(raw score, is bot)` pairs.
pub fn fit_isotonic(scores: &[(f64, bool)]) -> CalibrationFile {
    let mut sorted: Vec<(f64, bool)> = scores.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let base_rate = if sorted.is_empty() {
        0.5
    } else {
        sorted.iter().filter(|(_, bot)| *bot).count() as f64 / sorted.len() as f64
    };
    // Equal raw scores start in one block, so the knots' x are strictly increasing.
    let mut blocks: Vec<Block> = Vec::new();
    for (raw, bot) in sorted {
        let y = if bot { 1.0 } else { 0.0 };
        match blocks.last_mut() {
            Some(last) if last.x == raw => {
                last.y = (last.y * last.weight + y) / (last.weight + 1.0);
                last.weight += 1.0;
            }
            _ => blocks.push(Block {
                x: raw,
                y,
                weight: 1.0,
            }),
        }
    }
    let pooled = pool_adjacent_violators(&blocks);
    // Shrink each block towards the base rate, then pool again: shrinkage can reorder
    // neighbouring small blocks.
    let smoothed: Vec<Block> = pooled
        .iter()
        .map(|block| Block {
            x: block.x,
            y: (block.y * block.weight + base_rate * PRIOR_WEIGHT) / (block.weight + PRIOR_WEIGHT),
            weight: block.weight + PRIOR_WEIGHT,
        })
        .collect();
    let pooled = pool_adjacent_violators(&smoothed);
    if pooled.is_empty() {
        return CalibrationFile {
            raw: vec![0.5],
            probability: vec![base_rate],
        };
    }
    CalibrationFile {
        raw: pooled.iter().map(|block| block.x).collect(),
        probability: pooled.iter().map(|block| block.y).collect(),
    }
}

/// The lowest threshold, not below `floor`, at which at most `max_false_positive_rate` of the
/// humans' probabilities are at or above it. Candidates are the humans' own probabilities
/// (just above each), so the result is exact for the data given.
pub fn choose_threshold(
    human_probabilities: &[f64],
    max_false_positive_rate: f64,
    floor: f64,
) -> f64 {
    let mut sorted: Vec<f64> = human_probabilities.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let allowed = (max_false_positive_rate * sorted.len() as f64).floor() as usize;
    // With `allowed` humans permitted above the line, the line sits just above the next one.
    let threshold = match sorted.get(allowed) {
        Some(probability) => next_up(*probability),
        None => floor,
    };
    threshold.max(floor).min(1.0)
}

/// The threshold is compared with `>=`, so it must sit strictly above the last human kept
/// below it; rounding to 4 decimals keeps the model file readable.
fn next_up(probability: f64) -> f64 {
    ((probability * 10_000.0).floor() + 1.0) / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_map_is_monotone_and_shrunk() {
        let scores = [
            (0.1, false),
            (0.2, true),
            (0.3, false),
            (0.4, false),
            (0.6, true),
            (0.7, true),
            (0.9, true),
        ];
        let map = fit_isotonic(&scores);
        assert!(map.raw.windows(2).all(|w| w[0] < w[1]));
        assert!(map.probability.windows(2).all(|w| w[0] <= w[1]));
        assert!(*map.probability.last().unwrap() < 1.0);
        assert!(map.probability[0] > 0.0);
    }

    #[test]
    fn threshold_keeps_false_positives_under_the_rate() {
        let humans: Vec<f64> = (0..200).map(|i| i as f64 / 200.0).collect();
        let threshold = choose_threshold(&humans, 0.01, 0.5);
        let called = humans.iter().filter(|p| **p >= threshold).count();
        assert!(called <= 2, "{called} humans called bots at {threshold}");
        assert_eq!(choose_threshold(&[0.1, 0.2], 0.01, 0.5), 0.5);
    }
}
