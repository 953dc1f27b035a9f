//! A scoring context: an account's configuration compiled into the lookup structures that
//! make scoring one follower cheap (hash-indexed company lists, normalised ICP terms), plus
//! the bot model and the version stamp results carry.
//!
//! Built once per configuration version and shared (`Arc`) by every scoring call. It owns no
//! mutable state.

use std::collections::HashSet;
use std::sync::Arc;

use super::account::AccountConfig;
use super::bot::BotModel;
use super::learning::LeadModel;
use super::reading::company_match::{CompanyIndex, normalize_company_name};
use super::reading::geo::{GeoArea, parse_area};
use super::vocabulary::CompanyList;

/// Version of the engine's rules (categories, fit, tiers). Bump it whenever a change may
/// change a stored result, so that stored results become stale and get rescored.
pub const RULES_VERSION: &str = "rules-3";

#[derive(Debug)]
pub struct ScoringContext {
    pub config: Arc<AccountConfig>,
    pub companies: CompanyIndex,
    /// Normalised ICP industries.
    pub industries: Vec<String>,
    /// ICP regions and countries, parsed once; entries no table knows are ignored.
    pub regions: Vec<GeoArea>,
    /// Lower-cased ICP title keywords.
    pub title_keywords: Vec<String>,
    /// Lower-cased influencer handles without a leading "@".
    pub influencer_handles: HashSet<String>,
    pub bot_model: Arc<dyn BotModel>,
    pub bot_threshold: f64,
    /// "rules-1+bot-…" (and "+lead-N" under a lead model of version N > 0): what every
    /// result records as `model_version`, so a model promotion makes results stale.
    pub model_version: Arc<str>,
    /// The account's lead model in force (`LeadModel::rules()` until outcomes arrive).
    pub lead_model: Arc<LeadModel>,
}

/// What a `model_version` gains, followed by the version, under a lead model.
const LEAD_MODEL_STAMP: &str = "+lead-";

/// The `model_version` of results scored with this bot model.
pub fn model_version(bot_model: &dyn BotModel) -> String {
    format!("{RULES_VERSION}+{}", bot_model.version())
}

/// Lower-cases a handle and drops a leading "@", so "@Jane_Doe" and "jane_doe" agree.
pub fn normalize_handle(raw: &str) -> String {
    raw.trim().trim_start_matches('@').to_lowercase()
}

/// Industries compare as normalised words: "Computer Software" ~ "computer software".
pub fn normalize_industry(raw: &str) -> String {
    normalize_company_name(raw)
}

impl ScoringContext {
    /// The same context with `lead_model` in force; the `model_version` stamp gains
    /// "+lead-{version}" when the version is above 0.
    pub fn with_lead_model(mut self, lead_model: Arc<LeadModel>) -> Self {
        let base = model_version(self.bot_model.as_ref());
        self.model_version = match lead_model.version() {
            0 => base.into(),
            v => format!("{base}{LEAD_MODEL_STAMP}{v}").into(),
        };
        self.lead_model = lead_model;
        self
    }

    /// Whether a result whose `model_version` is `stamped` was scored with this context's
    /// rules and bot model, under whatever lead model: its bot probability was then
    /// stated by the same model.
    pub fn same_bot_model(&self, stamped: &str) -> bool {
        /// The stamp without the "+lead-N" that ends it under a lead model. Read from the
        /// end, byte by byte: the rescoring pass asks this of every stale result, and a
        /// substring search costs more than the rest of the check. A stamp that ends any
        /// other way is kept whole, so it can only fail to match (the probability is then
        /// assessed again), never match wrongly.
        fn without_lead(stamp: &str) -> &str {
            let digits = stamp.bytes().rev().take_while(u8::is_ascii_digit).count();
            match stamp[..stamp.len() - digits].strip_suffix(LEAD_MODEL_STAMP) {
                Some(base) if digits > 0 => base,
                _ => stamp,
            }
        }
        without_lead(stamped) == without_lead(&self.model_version)
    }

    pub fn new(config: Arc<AccountConfig>, bot_model: Arc<dyn BotModel>) -> Self {
        let mut builder = CompanyIndex::builder();
        let lists = [
            (CompanyList::OwnCompany, &config.own_company),
            (CompanyList::Customers, &config.customers),
            (CompanyList::Partners, &config.partners),
            (CompanyList::Vendors, &config.vendors),
            (CompanyList::Competitors, &config.competitors),
            (CompanyList::TargetAccounts, &config.target_accounts),
            (CompanyList::AnalystFirms, &config.analyst_firms),
        ];
        for (list, set) in lists {
            for name in &set.names {
                builder = builder.name(list, name);
            }
            for domain in &set.domains {
                builder = builder.domain(list, domain);
            }
        }
        let bot_threshold = config
            .settings
            .bot_threshold
            .unwrap_or_else(|| bot_model.default_threshold());
        Self {
            companies: builder.build(),
            industries: config
                .icp
                .industries
                .iter()
                .map(|i| normalize_industry(i))
                .collect(),
            regions: config
                .icp
                .regions
                .iter()
                .filter_map(|r| parse_area(r))
                .collect(),
            title_keywords: config
                .icp
                .title_keywords
                .iter()
                .map(|k| k.trim().to_lowercase())
                .filter(|k| !k.is_empty())
                .collect(),
            influencer_handles: config
                .influencer_handles
                .iter()
                .map(|h| normalize_handle(h))
                .collect(),
            model_version: model_version(bot_model.as_ref()).into(),
            lead_model: Arc::new(LeadModel::rules()),
            bot_threshold,
            bot_model,
            config,
        }
    }
}
