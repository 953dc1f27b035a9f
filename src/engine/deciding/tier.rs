//! Lead tiers (SPEC §1): the grade × level matrix sales teams know as A1–D4, its label,
//! fit grades from the fit score, and the lead score that sorts leads.

use crate::engine::account::GradeCutoffs;
use crate::engine::vocabulary::{FitGrade, LeadTier};

/// Rows A–D, columns levels 1–4, exactly as SPEC §1 prints it.
const MATRIX: [[LeadTier; 4]; 4] = {
    use LeadTier::{Cold, Hot, Nurture, Warm};
    [
        [Hot, Hot, Warm, Nurture],
        [Hot, Warm, Nurture, Nurture],
        [Warm, Nurture, Nurture, Cold],
        [Nurture, Cold, Cold, Cold],
    ]
};

pub fn grade(fit_score: u8, cutoffs: &GradeCutoffs) -> FitGrade {
    let score = f64::from(fit_score);
    if score >= cutoffs.a {
        FitGrade::A
    } else if score >= cutoffs.b {
        FitGrade::B
    } else if score >= cutoffs.c {
        FitGrade::C
    } else {
        FitGrade::D
    }
}

/// The tier of a lead with this grade and engagement level (1–4).
pub fn tier(grade: FitGrade, level: u8) -> LeadTier {
    let column = usize::from(level.clamp(1, 4) - 1);
    MATRIX[grade.index()][column]
}

/// "A2": the grade and level pair.
pub fn label(grade: FitGrade, level: u8) -> String {
    format!("{}{}", grade.as_str(), level.clamp(1, 4))
}

/// Share of the lead score that comes from fit; the rest comes from engagement.
pub const LEAD_SCORE_FIT_WEIGHT: f64 = 0.6;

/// Engagement on a 0–100 scale that saturates: points equal to the level-1 cut-off give
/// 50, twice that 75. A saturating curve keeps one very active follower from dwarfing a
/// well-fitting, engaged one.
pub fn engagement_scale(points: f64, level1_cutoff: f64) -> f64 {
    if points <= 0.0 || level1_cutoff <= 0.0 {
        return 0.0;
    }
    100.0 * (1.0 - (-(points / level1_cutoff) * std::f64::consts::LN_2).exp())
}

/// lead_score = round(0.6 × fit_score + 0.4 × engagement_scale(points)), 0–100.
pub fn lead_score(fit_score: u8, points: f64, level1_cutoff: f64) -> u8 {
    let score = LEAD_SCORE_FIT_WEIGHT * f64::from(fit_score)
        + (1.0 - LEAD_SCORE_FIT_WEIGHT) * engagement_scale(points, level1_cutoff);
    score.round().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::account::DEFAULT_GRADE_CUTOFFS;

    #[test]
    fn matrix_matches_the_spec_grid() {
        let check = |label_: &str, expected: LeadTier| {
            let grade = match &label_[..1] {
                "A" => FitGrade::A,
                "B" => FitGrade::B,
                "C" => FitGrade::C,
                _ => FitGrade::D,
            };
            let level: u8 = label_[1..].parse().unwrap();
            assert_eq!(tier(grade, level), expected, "{label_}");
            assert_eq!(label(grade, level), label_);
        };
        use LeadTier::*;
        for (l, t) in [
            ("A1", Hot),
            ("A2", Hot),
            ("A3", Warm),
            ("A4", Nurture),
            ("B1", Hot),
            ("B2", Warm),
            ("B3", Nurture),
            ("B4", Nurture),
            ("C1", Warm),
            ("C2", Nurture),
            ("C3", Nurture),
            ("C4", Cold),
            ("D1", Nurture),
            ("D2", Cold),
            ("D3", Cold),
            ("D4", Cold),
        ] {
            check(l, t);
        }
    }

    #[test]
    fn grades_follow_the_cutoffs() {
        let check = |score, expected| assert_eq!(grade(score, &DEFAULT_GRADE_CUTOFFS), expected);
        check(100, FitGrade::A);
        check(75, FitGrade::A);
        check(74, FitGrade::B);
        check(50, FitGrade::B);
        check(49, FitGrade::C);
        check(25, FitGrade::C);
        check(24, FitGrade::D);
        check(0, FitGrade::D);
    }

    #[test]
    fn lead_score_combines_fit_and_engagement() {
        let check = |fit, points, expected| assert_eq!(lead_score(fit, points, 50.0), expected);
        check(0, 0.0, 0);
        check(100, 0.0, 60);
        check(100, 50.0, 80);
        check(100, 1e9, 100);
        check(50, 100.0, 60);
    }
}
