//! Evaluation figures for the bot model: AUC, MCC, F1, precision, recall, accuracy, the
//! false-positive rate (share of real people called bots) and the calibration table.
//!
//! A figure whose denominator is empty (the AUC of a file of humans only, the recall of a
//! file without bots) is `None`, printed as JSON `null`, never a made-up 0 or 1.

use serde::Serialize;

/// One scored row: the model's probability, the decision threshold it was judged against,
/// and the true label (true = bot).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub probability: f64,
    pub threshold: f64,
    pub label: bool,
}

impl Prediction {
    pub fn called_bot(&self) -> bool {
        self.probability >= self.threshold
    }
}

/// The JSON object `followscore eval-bots` prints as its last line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub n: usize,
    pub positives: usize,
    pub auc: Option<f64>,
    pub mcc: Option<f64>,
    pub f1: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub accuracy: Option<f64>,
    /// Share of label-0 rows called bots.
    pub fpr: Option<f64>,
    /// The decision threshold (the mean over folds when folds chose their own).
    pub threshold: f64,
}

fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

pub fn evaluate(predictions: &[Prediction]) -> Metrics {
    let (mut tp, mut fp, mut tn, mut fn_) = (0usize, 0usize, 0usize, 0usize);
    for prediction in predictions {
        match (prediction.label, prediction.called_bot()) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (false, false) => tn += 1,
            (true, false) => fn_ += 1,
        }
    }
    let positives = tp + fn_;
    let negatives = fp + tn;
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, positives);
    let f1 = ratio(2 * tp, 2 * tp + fp + fn_);
    let both_classes = positives > 0 && negatives > 0;
    let mcc = both_classes.then(|| {
        let denominator =
            ((tp + fp) as f64 * (tp + fn_) as f64 * (tn + fp) as f64 * (tn + fn_) as f64).sqrt();
        if denominator == 0.0 {
            0.0
        } else {
            (tp as f64 * tn as f64 - fp as f64 * fn_ as f64) / denominator
        }
    });
    let threshold = if predictions.is_empty() {
        0.0
    } else {
        predictions.iter().map(|p| p.threshold).sum::<f64>() / predictions.len() as f64
    };
    Metrics {
        n: predictions.len(),
        positives,
        auc: both_classes.then(|| auc(predictions)),
        mcc,
        f1,
        precision,
        recall,
        accuracy: ratio(tp + tn, predictions.len()),
        fpr: ratio(fp, negatives),
        threshold,
    }
}

/// Area under the ROC curve: the probability that a random bot scores above a random
/// human, ties counting half (Mann–Whitney U from mid-ranks).
fn auc(predictions: &[Prediction]) -> f64 {
    let mut order: Vec<usize> = (0..predictions.len()).collect();
    order.sort_by(|a, b| {
        predictions[*a]
            .probability
            .total_cmp(&predictions[*b].probability)
    });
    let mut rank_sum_positive = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len()
            && predictions[order[end + 1]].probability == predictions[order[start]].probability
        {
            end += 1;
        }
        // Ranks are 1-based; tied rows share the mean of their ranks.
        let mid_rank = (start + end) as f64 / 2.0 + 1.0;
        for index in &order[start..=end] {
            if predictions[*index].label {
                rank_sum_positive += mid_rank;
            }
        }
        start = end + 1;
    }
    let positives = predictions.iter().filter(|p| p.label).count() as f64;
    let negatives = predictions.len() as f64 - positives;
    (rank_sum_positive - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// One row of the calibration table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub n: usize,
    pub mean_probability: Option<f64>,
    pub bot_share: Option<f64>,
}

/// Ten equal-width probability bins: how many rows, their mean predicted probability and
/// the share that really were bots. A calibrated model has the last two close.
pub fn calibration_table(predictions: &[Prediction]) -> Vec<CalibrationBin> {
    const BINS: usize = 10;
    let mut sums = [(0usize, 0.0f64, 0usize); BINS];
    for prediction in predictions {
        let bin = ((prediction.probability * BINS as f64) as usize).min(BINS - 1);
        sums[bin].0 += 1;
        sums[bin].1 += prediction.probability;
        sums[bin].2 += usize::from(prediction.label);
    }
    sums.iter()
        .enumerate()
        .map(|(bin, (n, probability_sum, bots))| CalibrationBin {
            lower: bin as f64 / BINS as f64,
            upper: (bin + 1) as f64 / BINS as f64,
            n: *n,
            mean_probability: (*n > 0).then(|| probability_sum / *n as f64),
            bot_share: ratio(*bots, *n),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(probability: f64, label: bool) -> Prediction {
        Prediction {
            probability,
            threshold: 0.5,
            label,
        }
    }

    #[test]
    fn perfect_and_inverted_rankings() {
        let perfect = [p(0.1, false), p(0.2, false), p(0.8, true), p(0.9, true)];
        let m = evaluate(&perfect);
        assert_eq!(m.auc, Some(1.0));
        assert_eq!(m.mcc, Some(1.0));
        assert_eq!(m.fpr, Some(0.0));
        let inverted = [p(0.9, false), p(0.8, false), p(0.2, true), p(0.1, true)];
        let m = evaluate(&inverted);
        assert_eq!(m.auc, Some(0.0));
        assert_eq!(m.mcc, Some(-1.0));
    }

    #[test]
    fn ties_count_half() {
        let tied = [p(0.5, false), p(0.5, true)];
        assert_eq!(evaluate(&tied).auc, Some(0.5));
    }

    #[test]
    fn one_class_has_no_auc_or_mcc_but_keeps_fpr() {
        let humans = [p(0.1, false), p(0.7, false), p(0.2, false), p(0.3, false)];
        let m = evaluate(&humans);
        assert_eq!((m.auc, m.mcc, m.recall), (None, None, None));
        assert_eq!(m.fpr, Some(0.25));
        assert_eq!(m.positives, 0);
        let bots = [p(0.9, true), p(0.1, true)];
        let m = evaluate(&bots);
        assert_eq!(m.recall, Some(0.5));
        assert_eq!(m.fpr, None);
    }

    #[test]
    fn calibration_bins_count_rows() {
        let rows = [p(0.05, false), p(0.85, true), p(0.82, false), p(1.0, true)];
        let table = calibration_table(&rows);
        assert_eq!(table[0].n, 1);
        assert_eq!(table[8].n, 2);
        assert_eq!(table[8].bot_share, Some(0.5));
        assert_eq!(table[9].n, 1);
    }
}
