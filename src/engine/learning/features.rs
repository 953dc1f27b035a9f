//! The features a learned model reads: the explainable figures the rules already compute
//! for a follower, in a fixed order with stable codes.
//!
//! Three kinds. *Fit* features are the rule fit's own criteria, valued in the rules' fit
//! points (÷ 100), so a model that weighs each of them as the rules do reproduces the rule
//! fit score. *Profile* indicators (seniority rung, department, company size band, a company
//! fact the ICP rules out, a non-prospect category) are 0 or 1 and let a model find the buyer
//! the typed ICP missed. *Engagement* is the rules' saturating engagement scale (÷ 100), the
//! part of the lead score that is not fit.
//!
//! Features are frozen when a follower is scored (`freeze`): a deal is learned from what
//! was known before it, never from what happened after the opportunity. This module reads
//! the rules' output; it never scores fit itself.

use serde::{Deserialize, Serialize};

use crate::engine::reasons::Reason;
use crate::engine::vocabulary::{Category, Department, Seniority};

/// How a feature enters the model, and so which prior it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeatureKind {
    /// A rule fit criterion in fit points ÷ 100; prior weight: the rules' own.
    Fit,
    /// A 0/1 fact about the person or company; prior weight 0.
    Profile,
    /// The rules' engagement scale ÷ 100; prior weight: its share of the lead score.
    Engagement,
}

/// One feature: its stable code, a label for people, and the code of the reason a learned
/// model gives for it (`learned_<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub code: &'static str,
    pub label: &'static str,
    pub reason_code: &'static str,
    pub kind: FeatureKind,
}

macro_rules! features {
    ($($kind:ident $code:literal $label:literal),+ $(,)?) => {
        /// Every feature, in vector order. Append only: a stored model's weights follow it.
        pub const FEATURES: &[Feature] = &[
            $(Feature {
                code: $code,
                label: $label,
                reason_code: concat!("learned_", $code),
                kind: FeatureKind::$kind,
            }),+
        ];
    };
}

features!(
    Fit "target_account" "works at a target or customer account",
    Fit "industry" "industry in the typed ICP",
    Fit "company_size" "company size in the typed ICP's range",
    Fit "region" "located in a typed ICP region",
    Fit "department" "works in a typed ICP department",
    Fit "seniority" "seniority the typed ICP asks for",
    Fit "title_keyword" "title has a typed ICP keyword",
    Profile "seniority_executive" "owner, founder or C-level",
    Profile "seniority_vp_head" "vice president or head of a function",
    Profile "seniority_director" "director",
    Profile "seniority_manager" "manager",
    Profile "seniority_individual" "individual contributor, entry level or student",
    Profile "department_sales" "works in sales",
    Profile "department_marketing" "works in marketing",
    Profile "department_engineering" "works in engineering",
    Profile "department_it" "works in IT",
    Profile "department_product" "works in product",
    Profile "department_finance" "works in finance",
    Profile "department_procurement" "works in procurement",
    Profile "department_operations" "works in operations",
    Profile "department_hr" "works in HR or recruiting",
    Profile "department_legal" "works in legal",
    Profile "department_executive" "works in general management",
    Profile "department_support" "works in support",
    Profile "department_research" "works in research",
    Profile "size_small" "company of 1 to 50 employees",
    Profile "size_mid" "company of 51 to 500 employees",
    Profile "size_large" "company of 501 to 5,000 employees",
    Profile "size_enterprise" "company of more than 5,000 employees",
    Profile "industry_outside" "industry known and outside the typed ICP",
    Profile "region_outside" "located outside the typed ICP's regions",
    Profile "category_partner" "works at a partner",
    Profile "category_not_prospect" "not a prospect (influencer, job seeker, other)",
    Engagement "engagement" "engagement with the account",
);

pub const FEATURE_COUNT: usize = FEATURES.len();

/// Positions of the features that are not indexed by a table below.
const SENIORITY_BASE: usize = 7;
const DEPARTMENT_BASE: usize = 12;
const SIZE_BASE: usize = 25;
const INDUSTRY_OUTSIDE: usize = 29;
const REGION_OUTSIDE: usize = 30;
const CATEGORY_PARTNER: usize = 31;
const CATEGORY_NOT_PROSPECT: usize = 32;
pub(crate) const ENGAGEMENT: usize = 33;

/// A follower's feature values, in the order of [`FEATURES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureVector(Vec<f64>);

impl Default for FeatureVector {
    fn default() -> Self {
        Self(vec![0.0; FEATURE_COUNT])
    }
}

impl FeatureVector {
    /// From values in [`FEATURES`] order; `None` unless there is exactly one per feature.
    pub fn from_values(values: Vec<f64>) -> Option<Self> {
        (values.len() == FEATURE_COUNT).then_some(Self(values))
    }

    pub fn values(&self) -> &[f64] {
        &self.0
    }

    pub fn get(&self, index: usize) -> f64 {
        self.0.get(index).copied().unwrap_or(0.0)
    }

    /// The rules' engagement scale, 0–100.
    pub fn engagement_scale(&self) -> f64 {
        self.get(ENGAGEMENT) * 100.0
    }
}

/// What the rules said about a follower, as the features need it.
pub struct RuleView<'a> {
    /// The rule fit's reasons (codes `icp_*` and `title_seniority_*`, weights in points).
    pub fit_reasons: &'a [Reason],
    pub seniority: Option<Seniority>,
    pub departments: &'a [Department],
    pub company_size: Option<u64>,
    pub industry_outside: bool,
    pub region_outside: bool,
    pub category: Category,
    /// The rules' engagement scale, 0–100.
    pub engagement_scale: f64,
}

/// The feature vector of what the rules said.
pub fn extract(view: &RuleView<'_>) -> FeatureVector {
    let mut v = vec![0.0; FEATURE_COUNT];
    for reason in view.fit_reasons {
        let slot = match reason.code.as_ref() {
            "icp_target_account" | "icp_customer_account" => Some(0),
            "icp_industry_match" => Some(1),
            "icp_company_size_match" => Some(2),
            "icp_region_match" => Some(3),
            "icp_department_match" => Some(4),
            code if code.starts_with("title_seniority_") => Some(5),
            "icp_title_keyword" => Some(6),
            _ => None,
        };
        if let Some(slot) = slot {
            v[slot] += reason.weight / 100.0;
        }
    }
    if let Some(seniority) = view.seniority {
        let rung = match seniority {
            Seniority::Owner | Seniority::CLevel => 0,
            Seniority::Vp | Seniority::Head => 1,
            Seniority::Director => 2,
            Seniority::Manager => 3,
            Seniority::Senior | Seniority::Entry | Seniority::Intern => 4,
        };
        v[SENIORITY_BASE + rung] = 1.0;
    }
    for department in view.departments {
        v[DEPARTMENT_BASE + department.index()] = 1.0;
    }
    if let Some(size) = view.company_size {
        let band = match size {
            0..=50 => 0,
            51..=500 => 1,
            501..=5_000 => 2,
            _ => 3,
        };
        v[SIZE_BASE + band] = 1.0;
    }
    v[INDUSTRY_OUTSIDE] = f64::from(u8::from(view.industry_outside));
    v[REGION_OUTSIDE] = f64::from(u8::from(view.region_outside));
    match view.category {
        Category::Prospect | Category::Customer => {}
        Category::Partner => v[CATEGORY_PARTNER] = 1.0,
        _ => v[CATEGORY_NOT_PROSPECT] = 1.0,
    }
    v[ENGAGEMENT] = view.engagement_scale.clamp(0.0, 100.0) / 100.0;
    FeatureVector(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        assert_eq!(FEATURES[SENIORITY_BASE].code, "seniority_executive");
        assert_eq!(
            FEATURES[DEPARTMENT_BASE + Department::Research.index()].code,
            "department_research"
        );
        assert_eq!(FEATURES[SIZE_BASE + 3].code, "size_enterprise");
        assert_eq!(FEATURES[INDUSTRY_OUTSIDE].code, "industry_outside");
        assert_eq!(FEATURES[REGION_OUTSIDE].code, "region_outside");
        assert_eq!(FEATURES[CATEGORY_PARTNER].code, "category_partner");
        assert_eq!(
            FEATURES[CATEGORY_NOT_PROSPECT].code,
            "category_not_prospect"
        );
        assert_eq!(FEATURES[ENGAGEMENT].code, "engagement");
        for department in Department::ALL {
            let code = FEATURES[DEPARTMENT_BASE + department.index()].code;
            assert!(
                code.ends_with(&department.as_str().to_lowercase()),
                "{code} {department}"
            );
        }
        let mut codes: Vec<_> = FEATURES.iter().map(|f| f.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), FEATURE_COUNT, "codes are unique");
    }

    #[test]
    fn fit_features_add_up_to_the_rule_fit() {
        let reasons = [
            Reason::new("icp_target_account", "", 40.0),
            Reason::new("title_seniority_vp", "", 20.0),
            Reason::new("engagement_points", "", 12.0),
        ];
        let v = extract(&RuleView {
            fit_reasons: &reasons,
            seniority: Some(Seniority::Vp),
            departments: &[Department::It],
            company_size: Some(800),
            industry_outside: false,
            region_outside: true,
            category: Category::Prospect,
            engagement_scale: 50.0,
        });
        let fit: f64 = FEATURES
            .iter()
            .zip(v.values())
            .filter(|(f, _)| f.kind == FeatureKind::Fit)
            .map(|(_, x)| x * 100.0)
            .sum();
        assert!((fit - 60.0).abs() < 1e-9);
        assert_eq!(v.get(SENIORITY_BASE + 1), 1.0);
        assert_eq!(v.get(DEPARTMENT_BASE + Department::It.index()), 1.0);
        assert_eq!(v.get(SIZE_BASE + 2), 1.0);
        assert_eq!(v.get(REGION_OUTSIDE), 1.0);
        assert_eq!(v.engagement_scale(), 50.0);
    }
}
