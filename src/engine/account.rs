//! An account's configuration (SPEC §2 "Account"): the company lists, the ideal customer
//! profile and the scoring settings, validated once when it is upserted.
//!
//! This module owns the defaults and the limits of a configuration. It does not build the
//! lookup structures scoring needs (that is `context.rs`) and does not store anything.

use serde::{Deserialize, Serialize};

use super::ids::AccountId;
use super::time::Timestamp;
use super::vocabulary::{
    Category, Department, ENGAGEMENT_TYPE_COUNT, EngagementType, Platform, Seniority,
};

/// Most entries one company list may hold (names plus domains). CRM-synced lists run to
/// thousands; this bounds memory per account.
pub const MAX_LIST_ENTRIES: usize = 100_000;
/// Longest single string in a configuration, in bytes.
pub const MAX_CONFIG_STRING_BYTES: usize = 256;
/// Most entries in the ICP lists, influencer handles and title keywords.
pub const MAX_SMALL_LIST_ENTRIES: usize = 10_000;

pub const DEFAULT_GRADE_CUTOFFS: GradeCutoffs = GradeCutoffs {
    a: 75.0,
    b: 50.0,
    c: 25.0,
};
pub const DEFAULT_LEVEL_CUTOFFS: LevelCutoffs = LevelCutoffs {
    level1: 50.0,
    level2: 20.0,
    level3: 5.0,
};
pub const DEFAULT_HALF_LIFE_DAYS: f64 = 30.0;

/// Names (with aliases) and domains of a set of companies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySet {
    pub names: Vec<String>,
    pub domains: Vec<String>,
}

impl CompanySet {
    pub fn len(&self) -> usize {
        self.names.len() + self.domains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The ideal customer profile. Empty lists and `None` bounds mean "not part of the ICP".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdealCustomerProfile {
    pub industries: Vec<String>,
    pub min_company_size: Option<u64>,
    pub max_company_size: Option<u64>,
    pub regions: Vec<String>,
    pub departments: Vec<Department>,
    pub min_seniority: Option<Seniority>,
    pub title_keywords: Vec<String>,
}

/// Fit-score cut-offs for grades A, B and C (below `c` is D).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GradeCutoffs {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

/// Engagement-point cut-offs for levels 1, 2 and 3 (below `level3` is level 4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LevelCutoffs {
    pub level1: f64,
    pub level2: f64,
    pub level3: f64,
}

/// A set of categories as a bit set, so membership tests cost nothing on the hot path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CategorySet(u16);

impl CategorySet {
    pub fn of(categories: &[Category]) -> Self {
        Self(categories.iter().fold(0, |bits, c| bits | (1 << c.index())))
    }

    pub const fn contains(self, category: Category) -> bool {
        self.0 & (1 << category.index()) != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL
            .iter()
            .copied()
            .filter(move |c| self.contains(*c))
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Scoring settings with every default filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringSettings {
    /// `None`: the bot model's documented default threshold.
    pub bot_threshold: Option<f64>,
    /// The share of fakes expected in this account's follower list; `None`: the bot
    /// model's documented default prior (MODEL.md). Bot probabilities are stated for it.
    pub bot_prior: Option<f64>,
    pub grade_cutoffs: GradeCutoffs,
    pub level_cutoffs: LevelCutoffs,
    /// Indexed by `EngagementType::index()`.
    pub engagement_weights: [f64; ENGAGEMENT_TYPE_COUNT],
    pub half_life_days: f64,
    pub qualified: CategorySet,
    pub excluded: CategorySet,
}

impl Default for ScoringSettings {
    fn default() -> Self {
        let mut weights = [0.0; ENGAGEMENT_TYPE_COUNT];
        for kind in EngagementType::ALL {
            weights[kind.index()] = kind.default_weight();
        }
        Self {
            bot_threshold: None,
            bot_prior: None,
            grade_cutoffs: DEFAULT_GRADE_CUTOFFS,
            level_cutoffs: DEFAULT_LEVEL_CUTOFFS,
            engagement_weights: weights,
            half_life_days: DEFAULT_HALF_LIFE_DAYS,
            qualified: CategorySet::of(Category::DEFAULT_QUALIFIED),
            excluded: CategorySet::of(Category::DEFAULT_EXCLUDED),
        }
    }
}

/// The company whose followers are scored, with everything scoring needs to know about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountConfig {
    pub account_id: AccountId,
    pub display_name: String,
    pub own_company: CompanySet,
    pub customers: CompanySet,
    pub partners: CompanySet,
    pub vendors: CompanySet,
    pub competitors: CompanySet,
    pub target_accounts: CompanySet,
    pub analyst_firms: CompanySet,
    pub icp: IdealCustomerProfile,
    pub influencer_handles: Vec<String>,
    pub settings: ScoringSettings,
    /// Follower totals the platforms state; followers stored below these are a sample.
    pub platform_totals: Vec<(Platform, u64)>,
    /// Bumped on every change; results scored under another version are stale.
    pub config_version: u64,
    /// The first `config_version` under which `settings.bot_prior` has held its present
    /// value (set on upsert): a result scored under this version or a later one states
    /// its bot probability at the same prior, so rescoring may carry it over
    /// (`score::rescore_unexplained`). Not part of the configuration's own encoding: the
    /// store appends it (`store::codec::encode_account`).
    #[serde(skip)]
    pub bot_prior_since: u64,
    pub updated_at: Timestamp,
}

/// A configuration value that cannot be accepted, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ConfigError {
    pub field: String,
    pub message: String,
}

fn config_error(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        message: message.into(),
    }
}

impl AccountConfig {
    /// A configuration with no lists and every default setting.
    pub fn new(account_id: AccountId) -> Self {
        Self {
            display_name: String::new(),
            account_id,
            own_company: CompanySet::default(),
            customers: CompanySet::default(),
            partners: CompanySet::default(),
            vendors: CompanySet::default(),
            competitors: CompanySet::default(),
            target_accounts: CompanySet::default(),
            analyst_firms: CompanySet::default(),
            icp: IdealCustomerProfile::default(),
            influencer_handles: Vec::new(),
            settings: ScoringSettings::default(),
            platform_totals: Vec::new(),
            config_version: 0,
            bot_prior_since: 0,
            updated_at: Timestamp(0),
        }
    }

    /// The follower total stated for one platform, or the sum of all stated totals.
    pub fn stated_total(&self, platform: Option<Platform>) -> Option<u64> {
        match platform {
            Some(p) => self
                .platform_totals
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, n)| *n),
            None if self.platform_totals.is_empty() => None,
            None => Some(self.platform_totals.iter().map(|(_, n)| n).sum()),
        }
    }

    /// Named company lists, for validation and for building lookups.
    pub fn company_sets(&self) -> [(&'static str, &CompanySet); 7] {
        [
            ("own_company", &self.own_company),
            ("customers", &self.customers),
            ("partners", &self.partners),
            ("vendors", &self.vendors),
            ("competitors", &self.competitors),
            ("target_accounts", &self.target_accounts),
            ("analyst_firms", &self.analyst_firms),
        ]
    }

    /// Checks every limit and relation; the first problem found names its field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_string("display_name", &self.display_name)?;
        for (name, set) in self.company_sets() {
            if set.len() > MAX_LIST_ENTRIES {
                return Err(config_error(
                    name,
                    format!(
                        "at most {MAX_LIST_ENTRIES} names and domains, got {}",
                        set.len()
                    ),
                ));
            }
            check_strings(&format!("{name}.names"), &set.names)?;
            check_strings(&format!("{name}.domains"), &set.domains)?;
        }
        check_small_list("icp.industries", &self.icp.industries)?;
        check_small_list("icp.regions", &self.icp.regions)?;
        for (i, region) in self.icp.regions.iter().enumerate() {
            if super::reading::geo::parse_area(region).is_none() {
                return Err(config_error(
                    format!("icp.regions[{i}]"),
                    format!("{region:?} is not a known country or region"),
                ));
            }
        }
        check_small_list("icp.title_keywords", &self.icp.title_keywords)?;
        check_small_list("influencer_handles", &self.influencer_handles)?;
        if let (Some(min), Some(max)) = (self.icp.min_company_size, self.icp.max_company_size)
            && min > max
        {
            return Err(config_error(
                "icp.min_company_size",
                format!("{min} is above max_company_size {max}"),
            ));
        }
        let s = &self.settings;
        if let Some(t) = s.bot_threshold
            && !(t > 0.0 && t <= 1.0)
        {
            return Err(config_error("settings.bot_threshold", "must be in (0, 1]"));
        }
        if let Some(prior) = s.bot_prior
            && !(prior > 0.0 && prior < 1.0)
        {
            return Err(config_error("settings.bot_prior", "must be in (0, 1)"));
        }
        let g = s.grade_cutoffs;
        check_descending("settings.grade_cutoffs", [g.a, g.b, g.c], 100.0)?;
        let l = s.level_cutoffs;
        check_descending(
            "settings.level_cutoffs",
            [l.level1, l.level2, l.level3],
            1e6,
        )?;
        for (kind, weight) in EngagementType::ALL.iter().zip(s.engagement_weights) {
            if !(weight.is_finite() && (0.0..=1000.0).contains(&weight)) {
                return Err(config_error(
                    "settings.engagement_weights",
                    format!("weight of {kind} must be between 0 and 1000"),
                ));
            }
        }
        if !(s.half_life_days.is_finite() && s.half_life_days >= 1.0 && s.half_life_days <= 3650.0)
        {
            return Err(config_error(
                "settings.half_life_days",
                "must be between 1 and 3650 days",
            ));
        }
        let overlap = Category::ALL
            .iter()
            .find(|c| s.qualified.contains(**c) && s.excluded.contains(**c));
        if let Some(c) = overlap {
            return Err(config_error(
                "settings.qualified_categories",
                format!("{c} cannot be both qualified and excluded"),
            ));
        }
        Ok(())
    }
}

fn check_string(field: &str, value: &str) -> Result<(), ConfigError> {
    if value.len() > MAX_CONFIG_STRING_BYTES {
        return Err(config_error(
            field,
            format!(
                "at most {MAX_CONFIG_STRING_BYTES} bytes, got {}",
                value.len()
            ),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(config_error(field, "must not contain control characters"));
    }
    Ok(())
}

fn check_strings(field: &str, values: &[String]) -> Result<(), ConfigError> {
    for (i, value) in values.iter().enumerate() {
        check_string(&format!("{field}[{i}]"), value)?;
        if value.trim().is_empty() {
            return Err(config_error(format!("{field}[{i}]"), "must not be empty"));
        }
    }
    Ok(())
}

fn check_small_list(field: &str, values: &[String]) -> Result<(), ConfigError> {
    if values.len() > MAX_SMALL_LIST_ENTRIES {
        return Err(config_error(
            field,
            format!(
                "at most {MAX_SMALL_LIST_ENTRIES} entries, got {}",
                values.len()
            ),
        ));
    }
    check_strings(field, values)
}

fn check_descending(field: &str, cutoffs: [f64; 3], max: f64) -> Result<(), ConfigError> {
    let in_range = cutoffs
        .iter()
        .all(|c| c.is_finite() && *c >= 0.0 && *c <= max);
    let descending = cutoffs[0] > cutoffs[1] && cutoffs[1] > cutoffs[2];
    if !in_range || !descending {
        return Err(config_error(
            field,
            format!("must be strictly descending and within 0..={max}, got {cutoffs:?}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountConfig {
        AccountConfig::new(AccountId::parse("northwind").unwrap())
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(account().validate(), Ok(()));
    }

    #[test]
    fn bad_settings_name_their_field() {
        let check = |mutate: fn(&mut AccountConfig), field: &str| {
            let mut a = account();
            mutate(&mut a);
            assert_eq!(a.validate().unwrap_err().field, field);
        };
        check(
            |a| a.settings.bot_threshold = Some(1.5),
            "settings.bot_threshold",
        );
        check(|a| a.settings.bot_prior = Some(1.0), "settings.bot_prior");
        check(|a| a.settings.bot_prior = Some(0.0), "settings.bot_prior");
        check(
            |a| a.settings.grade_cutoffs.b = 80.0,
            "settings.grade_cutoffs",
        );
        check(
            |a| a.settings.half_life_days = 0.0,
            "settings.half_life_days",
        );
        check(
            |a| a.settings.engagement_weights[0] = f64::NAN,
            "settings.engagement_weights",
        );
        check(|a| a.customers.names.push(" ".into()), "customers.names[0]");
        check(
            |a| {
                a.icp.min_company_size = Some(500);
                a.icp.max_company_size = Some(50);
            },
            "icp.min_company_size",
        );
        check(
            |a| a.settings.excluded = CategorySet::of(&[Category::Prospect]),
            "settings.qualified_categories",
        );
    }

    #[test]
    fn category_sets_are_bit_sets() {
        let set = CategorySet::of(Category::DEFAULT_QUALIFIED);
        assert!(set.contains(Category::Prospect));
        assert!(!set.contains(Category::Bot));
        assert_eq!(set.iter().count(), 4);
    }
}
