//! Ranking and calibration figures over scored outcomes: ROC AUC, PR AUC (average
//! precision), top-decile lift, Brier score and expected calibration error, each with an
//! optional weight per example (inverse-propensity weights for explored deals).
//!
//! Used by the policy to compare a learned model with the rules on an account's own
//! outcomes, and by the benchmark (`outcome_eval`). It knows nothing of models or deals:
//! only scores, labels and weights.

use std::cmp::Ordering;

/// One scored example: the score a model gave (a probability for calibration figures), the
/// label and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub positive: bool,
    pub weight: f64,
}

impl Scored {
    pub fn new(score: f64, positive: bool) -> Self {
        Self {
            score,
            positive,
            weight: 1.0,
        }
    }
}

/// Bins of equal weight the expected calibration error uses. Win probabilities of 1–5%
/// would all fall into the first of ten equal-width bins, so the bins hold equal shares of
/// the examples instead.
pub const ECE_BINS: usize = 10;

fn descending(examples: &[Scored]) -> Vec<Scored> {
    let mut sorted = examples.to_vec();
    sorted.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal));
    sorted
}

/// Groups of equal score, best first: (positive weight, negative weight).
fn tied_groups(sorted: &[Scored]) -> Vec<(f64, f64)> {
    let mut groups: Vec<(f64, f64)> = Vec::new();
    let mut last: Option<f64> = None;
    for e in sorted {
        if last != Some(e.score) {
            groups.push((0.0, 0.0));
            last = Some(e.score);
        }
        if let Some(g) = groups.last_mut() {
            if e.positive {
                g.0 += e.weight;
            } else {
                g.1 += e.weight;
            }
        }
    }
    groups
}

/// Area under the ROC curve (ties count half); `None` without both classes.
pub fn roc_auc(examples: &[Scored]) -> Option<f64> {
    let groups = tied_groups(&descending(examples));
    let (pos, neg) = groups
        .iter()
        .fold((0.0, 0.0), |acc, g| (acc.0 + g.0, acc.1 + g.1));
    if pos <= 0.0 || neg <= 0.0 {
        return None;
    }
    // Walk from the best score down: each positive beats the negatives below it.
    let mut neg_above = 0.0;
    let mut wins = 0.0;
    for (p, n) in &groups {
        wins += p * (neg - neg_above - n) + 0.5 * p * n;
        neg_above += n;
    }
    Some(wins / (pos * neg))
}

/// Standard error of an AUC measured on `positives` and `negatives` examples (Hanley and
/// McNeil, 1982). The drift and promotion tests use it to tell a real loss from the noise of
/// a small holdout.
pub fn auc_standard_error(auc: f64, positives: usize, negatives: usize) -> f64 {
    if positives == 0 || negatives == 0 {
        return f64::INFINITY;
    }
    let (p, n) = (positives as f64, negatives as f64);
    let q1 = auc / (2.0 - auc);
    let q2 = 2.0 * auc * auc / (1.0 + auc);
    let variance =
        (auc * (1.0 - auc) + (p - 1.0) * (q1 - auc * auc) + (n - 1.0) * (q2 - auc * auc)) / (p * n);
    variance.max(0.0).sqrt()
}

/// Effective numbers of positives and negatives of weighted examples (Kish: (Σw)² / Σw²
/// per class). A few explored deals weighted 20 carry the information of a few deals, not
/// of twenty times as many; the standard errors use these counts.
pub fn effective_counts(examples: &[Scored]) -> (usize, usize) {
    let kish = |positive: bool| {
        let (sum, squares) = examples
            .iter()
            .filter(|e| e.positive == positive)
            .fold((0.0, 0.0), |(s, q), e| {
                (s + e.weight, q + e.weight * e.weight)
            });
        if squares > 0.0 {
            (sum * sum / squares).floor() as usize
        } else {
            0
        }
    };
    (kish(true), kish(false))
}

/// Correlation assumed between two models' AUCs measured on the same deals (they rank
/// the same people, mostly alike); the difference's error is then that of one AUC.
pub const PAIRED_AUC_CORRELATION: f64 = 0.5;
/// One-sided 95%.
const Z_ONE_SIDED_95: f64 = 1.645;

/// Whether `worse` is below `better` by more than `margin` and by more than the one-sided
/// 95% noise of the difference (Hanley–McNeil errors on effective counts, correlated by
/// [`PAIRED_AUC_CORRELATION`]): the test promotion and drift fallback share, so neither
/// acts on the noise of a small holdout.
pub fn clearly_below(
    worse: f64,
    better: f64,
    margin: f64,
    positives: usize,
    negatives: usize,
) -> bool {
    let (a, b) = (
        auc_standard_error(worse, positives, negatives),
        auc_standard_error(better, positives, negatives),
    );
    let variance = a * a + b * b - 2.0 * PAIRED_AUC_CORRELATION * a * b;
    better - worse > margin.max(Z_ONE_SIDED_95 * variance.max(0.0).sqrt())
}

/// Average precision: the area under the precision–recall curve, ties taken together.
pub fn pr_auc(examples: &[Scored]) -> Option<f64> {
    let groups = tied_groups(&descending(examples));
    let pos: f64 = groups.iter().map(|g| g.0).sum();
    if pos <= 0.0 {
        return None;
    }
    let (mut tp, mut all, mut area) = (0.0, 0.0, 0.0);
    for (p, n) in &groups {
        tp += p;
        all += p + n;
        area += (p / pos) * (tp / all);
    }
    Some(area)
}

/// Positive rate among the top tenth by score ÷ the overall positive rate.
pub fn top_decile_lift(examples: &[Scored]) -> Option<f64> {
    let sorted = descending(examples);
    let total: f64 = sorted.iter().map(|e| e.weight).sum();
    let positives: f64 = sorted.iter().filter(|e| e.positive).map(|e| e.weight).sum();
    if total <= 0.0 || positives <= 0.0 {
        return None;
    }
    let cut = total / 10.0;
    let (mut taken, mut hits) = (0.0, 0.0);
    for e in &sorted {
        if taken >= cut {
            break;
        }
        let share = (cut - taken).min(e.weight);
        taken += share;
        if e.positive {
            hits += share;
        }
    }
    Some((hits / taken) / (positives / total))
}

/// Mean squared error of the probabilities.
pub fn brier(examples: &[Scored]) -> Option<f64> {
    let total: f64 = examples.iter().map(|e| e.weight).sum();
    (total > 0.0).then(|| {
        examples
            .iter()
            .map(|e| e.weight * (e.score - f64::from(u8::from(e.positive))).powi(2))
            .sum::<f64>()
            / total
    })
}

/// Expected calibration error over [`ECE_BINS`] bins of equal weight: the weighted mean of
/// |mean probability − positive rate| per bin.
pub fn expected_calibration_error(examples: &[Scored]) -> Option<f64> {
    let mut sorted = examples.to_vec();
    sorted.sort_by(|a, b| a.score.partial_cmp(&b.score).unwrap_or(Ordering::Equal));
    let total: f64 = sorted.iter().map(|e| e.weight).sum();
    if total <= 0.0 {
        return None;
    }
    let per_bin = total / ECE_BINS as f64;
    let (mut error, mut w, mut p, mut y) = (0.0, 0.0, 0.0, 0.0);
    let mut close = |w: &mut f64, p: &mut f64, y: &mut f64| {
        if *w > 0.0 {
            error += (*p - *y).abs();
        }
        *w = 0.0;
        *p = 0.0;
        *y = 0.0;
    };
    for e in &sorted {
        w += e.weight;
        p += e.weight * e.score;
        y += e.weight * f64::from(u8::from(e.positive));
        if w >= per_bin {
            close(&mut w, &mut p, &mut y);
        }
    }
    close(&mut w, &mut p, &mut y);
    Some(error / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pairs: &[(f64, bool)]) -> Vec<Scored> {
        pairs.iter().map(|&(s, y)| Scored::new(s, y)).collect()
    }

    #[test]
    fn auc_counts_ordered_pairs_and_half_ties() {
        let check = |pairs: &[(f64, bool)], expected: Option<f64>| {
            assert_eq!(roc_auc(&set(pairs)), expected, "{pairs:?}");
        };
        check(&[(0.9, true), (0.1, false)], Some(1.0));
        check(&[(0.1, true), (0.9, false)], Some(0.0));
        check(&[(0.5, true), (0.5, false)], Some(0.5));
        check(
            &[(0.9, true), (0.8, false), (0.7, true), (0.1, false)],
            Some(0.75),
        );
        check(&[(0.9, true)], None);
    }

    #[test]
    fn weights_count_as_repeated_examples() {
        let weighted = vec![
            Scored {
                score: 0.9,
                positive: false,
                weight: 3.0,
            },
            Scored::new(0.5, true),
            Scored::new(0.1, false),
        ];
        let repeated = set(&[
            (0.9, false),
            (0.9, false),
            (0.9, false),
            (0.5, true),
            (0.1, false),
        ]);
        assert_eq!(roc_auc(&weighted), roc_auc(&repeated));
        assert_eq!(brier(&weighted), brier(&repeated));
    }

    #[test]
    fn a_loss_must_stand_out_of_the_noise() {
        // 0.70 against 0.75 on 20 positives is noise; on 2,000 it is a loss.
        assert!(!clearly_below(0.70, 0.75, 0.02, 20, 400));
        assert!(clearly_below(0.70, 0.75, 0.02, 2_000, 40_000));
        assert!(!clearly_below(0.74, 0.75, 0.02, 2_000, 40_000));
        assert!((auc_standard_error(0.5, 1, 1) - 0.5).abs() < 1e-9);
        let mut weighted = vec![Scored::new(0.1, true); 10];
        weighted.push(Scored {
            score: 0.2,
            positive: true,
            weight: 90.0,
        });
        weighted.push(Scored::new(0.3, false));
        assert_eq!(effective_counts(&weighted), (1, 1));
    }

    #[test]
    fn precision_lift_and_calibration() {
        let perfect = set(&[(0.9, true), (0.2, false), (0.1, false), (0.0, false)]);
        assert_eq!(pr_auc(&perfect), Some(1.0));
        let ranked: Vec<_> = (0..100)
            .map(|i| Scored::new(f64::from(i), i >= 95))
            .collect();
        assert_eq!(top_decile_lift(&ranked), Some(10.0));
        let calibrated: Vec<_> = (0..1000).map(|i| Scored::new(0.1, i % 10 == 0)).collect();
        assert!(expected_calibration_error(&calibrated).unwrap() < 1e-9);
        let off: Vec<_> = (0..1000).map(|i| Scored::new(0.3, i % 10 == 0)).collect();
        assert!((expected_calibration_error(&off).unwrap() - 0.2).abs() < 1e-9);
    }
}
