//! Reads: stored results by id, filtered listings, and the network quality report.
//!
//! The freshness policy lives here: a stored result scored under another configuration or
//! model version, with an expired override, or with engagement points that have decayed
//! since the day it was scored is rescored (through the write path) before it is returned.
//! Nothing stale is served as fresh.

use crate::engine::counting::aggregates::VersionStamp;
use crate::engine::counting::report::{self, NetworkReport, ReportInputs};
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Action, Category, LeadTier, Platform};
use crate::store::AccountTree;
use crate::store::keys::Facet;

use super::writes::Op;
use super::{AccountHandle, Result, Service, ServiceError};

/// ListFollowers filters; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct FollowerFilter {
    pub platform: Option<Platform>,
    pub category: Option<Category>,
    pub tier: Option<LeadTier>,
    pub action: Option<Action>,
}

impl FollowerFilter {
    /// The most selective index to walk; the other filters are checked per result.
    fn facet(&self) -> Facet {
        if let Some(c) = self.category {
            Facet::Category(c.index() as u8)
        } else if let Some(t) = self.tier {
            Facet::Tier(t.index() as u8)
        } else if let Some(a) = self.action {
            Facet::Action(a.index() as u8)
        } else {
            Facet::All
        }
    }

    fn accepts(&self, result: &FollowerResult) -> bool {
        result.is_following()
            && self.platform.is_none_or(|p| p == result.key.platform)
            && self.category.is_none_or(|c| c == result.category)
            && self.tier.is_none_or(|t| t == result.lead_tier)
            && self.action.is_none_or(|a| result.has_action(a))
    }
}

#[derive(Debug, Clone)]
pub struct FollowerPage {
    pub results: Vec<FollowerResult>,
    /// The stored profile of `results[i]` at `profiles[i]` (the person behind the result,
    /// for exports that match CRM records).
    pub profiles: Vec<FollowerProfile>,
    /// Opaque; `None` when there are no further results.
    pub next_page_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct QualityReport {
    pub account_id: AccountId,
    pub report: NetworkReport,
    pub config_version: u64,
    pub model_version: String,
}

/// How many index entries one ListFollowers call may walk past filters before it returns
/// a shorter page with a token, so one call's cost stays bounded.
const MAX_SCAN_PAGES: usize = 10;

/// Whether a stored result must be rescored before it is served.
pub(crate) fn needs_refresh(result: &FollowerResult, stamp: &VersionStamp, now: Timestamp) -> bool {
    !stamp.matches(result)
        || result
            .category_override
            .as_ref()
            .is_some_and(|o| !o.is_active(now))
        || (result.engagement_points > 0.0 && result.scored_at.day() < now.day())
}

impl Service {
    /// Stored results for `ids` (in the order asked) and the ids that are not stored.
    pub fn get_followers(
        &self,
        account: &AccountId,
        platform: Platform,
        ids: Vec<FollowerId>,
        now: Timestamp,
    ) -> Result<(Vec<FollowerResult>, Vec<FollowerId>)> {
        if ids.is_empty() {
            return Err(ServiceError::invalid(
                "follower_ids",
                "at least one id is required",
            ));
        }
        if ids.len() > self.limits.max_get_ids {
            return Err(ServiceError::ResourceExhausted(format!(
                "at most {} ids per call, got {}",
                self.limits.max_get_ids,
                ids.len()
            )));
        }
        let handle = self.handle(account)?;
        let keys: Vec<FollowerKey> = ids
            .into_iter()
            .map(|id| FollowerKey { platform, id })
            .collect();
        let mut found = Vec::with_capacity(keys.len());
        let mut missing = Vec::new();
        for key in keys {
            match handle.tree.get_follower(&key)? {
                Some(record) => found.push(record.result),
                None => missing.push(key.id),
            }
        }
        Ok((self.refreshed(&handle, found, now)?, missing))
    }

    /// Results that need it rescored; the rest as stored. Order is kept.
    fn refreshed(
        &self,
        handle: &AccountHandle,
        mut results: Vec<FollowerResult>,
        now: Timestamp,
    ) -> Result<Vec<FollowerResult>> {
        let stamp = handle.lock().stamp();
        let stale: Vec<usize> = (0..results.len())
            .filter(|i| needs_refresh(&results[*i], &stamp, now))
            .collect();
        if stale.is_empty() {
            return Ok(results);
        }
        let ops = stale
            .iter()
            .map(|i| Op::Rescore(results[*i].key.clone()))
            .collect();
        let applied = self.apply_ops(handle, ops, now)?;
        for (i, outcome) in stale.into_iter().zip(applied) {
            // A follower forgotten in between simply keeps its last stored result out.
            if let Some(result) = outcome?.result {
                results[i] = result;
            }
        }
        Ok(results)
    }

    /// A page of current followers matching `filter`, highest lead score first. Page tokens
    /// are positions in the index, so paging stays consistent while others write: a
    /// follower whose score does not change is returned exactly once.
    pub fn list_followers(
        &self,
        account: &AccountId,
        filter: &FollowerFilter,
        page_size: Option<usize>,
        page_token: Option<&str>,
        now: Timestamp,
    ) -> Result<FollowerPage> {
        let page_size = page_size.unwrap_or(self.limits.default_page_size);
        if page_size == 0 || page_size > self.limits.max_page_size {
            return Err(ServiceError::invalid(
                "page_size",
                format!("must be between 1 and {}", self.limits.max_page_size),
            ));
        }
        let facet = filter.facet();
        let mut resume = match page_token {
            Some(token) => Some(decode_token(facet, token)?),
            None => None,
        };
        let handle = self.handle(account)?;
        let mut results = Vec::with_capacity(page_size);
        let mut profiles = Vec::with_capacity(page_size);
        for _ in 0..MAX_SCAN_PAGES {
            let page =
                handle
                    .tree
                    .scan_index(facet, resume.as_deref(), page_size - results.len())?;
            let (records, stored_profiles) = self.read_records(&handle.tree, &page.keys)?;
            // Rescoring keeps the order and the profile, so the two lists stay parallel.
            let fresh = self.refreshed(&handle, records, now)?;
            for (result, profile) in fresh.into_iter().zip(stored_profiles) {
                if filter.accepts(&result) {
                    results.push(result);
                    profiles.push(profile);
                }
            }
            resume = page.resume_after;
            if resume.is_none() || results.len() == page_size {
                break;
            }
        }
        Ok(FollowerPage {
            results,
            profiles,
            next_page_token: resume.map(|key| encode_token(&key)),
        })
    }

    /// The stored results and profiles of `keys`, in order; keys no longer stored are skipped.
    fn read_records(
        &self,
        tree: &AccountTree,
        keys: &[FollowerKey],
    ) -> Result<(Vec<FollowerResult>, Vec<FollowerProfile>)> {
        let mut results = Vec::with_capacity(keys.len());
        let mut profiles = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(record) = tree.get_follower(key)? {
                results.push(record.result);
                profiles.push(record.profile);
            }
        }
        Ok((results, profiles))
    }

    fn read_results(
        &self,
        tree: &AccountTree,
        keys: &[FollowerKey],
    ) -> Result<Vec<FollowerResult>> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(record) = tree.get_follower(key)? {
                out.push(record.result);
            }
        }
        Ok(out)
    }

    /// The network quality report, from the maintained aggregates plus the top leads.
    pub fn network_quality(
        &self,
        account: &AccountId,
        platform: Option<Platform>,
        top_n: Option<usize>,
        now: Timestamp,
    ) -> Result<QualityReport> {
        let top_n = top_n.unwrap_or(self.limits.default_top_leads);
        if top_n > self.limits.max_top_leads {
            return Err(ServiceError::invalid(
                "top_n",
                format!("at most {}", self.limits.max_top_leads),
            ));
        }
        let handle = self.handle(account)?;
        let leads = if top_n == 0 {
            Vec::new()
        } else {
            let filter = FollowerFilter {
                platform,
                ..FollowerFilter::default()
            };
            let mut leads = Vec::with_capacity(top_n);
            let mut resume: Option<Vec<u8>> = None;
            for _ in 0..MAX_SCAN_PAGES {
                let page = handle
                    .tree
                    .scan_index(Facet::Leads, resume.as_deref(), top_n)?;
                let records = self.read_results(&handle.tree, &page.keys)?;
                let fresh = self.refreshed(&handle, records, now)?;
                leads.extend(
                    fresh
                        .into_iter()
                        .filter(|r| filter.accepts(r) && r.category.is_lead()),
                );
                resume = page.resume_after;
                if resume.is_none() || leads.len() >= top_n {
                    break;
                }
            }
            leads.sort_by_key(|lead| std::cmp::Reverse(lead.lead_score));
            leads.truncate(top_n);
            leads
        };
        let state = handle.lock();
        let report = report::build(
            &state.aggregates,
            ReportInputs {
                config: &state.ctx.config,
                platform,
                now,
                top_leads: leads,
            },
        );
        Ok(QualityReport {
            account_id: account.clone(),
            report,
            config_version: state.ctx.config.config_version,
            model_version: state.ctx.model_version.to_string(),
        })
    }
}

const TOKEN_PREFIX: &str = "v1.";

fn encode_token(index_key: &[u8]) -> String {
    let mut token = String::with_capacity(TOKEN_PREFIX.len() + index_key.len() * 2);
    token.push_str(TOKEN_PREFIX);
    for byte in index_key {
        token.push_str(&format!("{byte:02x}"));
    }
    token
}

fn decode_token(facet: Facet, token: &str) -> Result<Vec<u8>> {
    let invalid =
        || ServiceError::invalid("page_token", "not a page token of this listing and filter");
    let hex = token.strip_prefix(TOKEN_PREFIX).ok_or_else(invalid)?;
    if hex.len() % 2 != 0 || hex.len() > 600 {
        return Err(invalid());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| invalid())?;
    if !AccountTree::token_matches(facet, &bytes) {
        return Err(invalid());
    }
    Ok(bytes)
}
