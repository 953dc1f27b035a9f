//! What the server holds, in figures for the metrics endpoint: stored followers, current
//! followers by category, the rescoring backlog and the store's size on disk. Read from the
//! in-memory aggregates (no scan), so a scrape costs the same at any size.
//!
//! Counts only: no account or follower id leaves this module, so nothing personal can reach
//! a metric label.

use crate::engine::vocabulary::CATEGORY_COUNT;

use super::{Result, Service};

/// Totals over every account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceStats {
    pub accounts: u64,
    /// Every stored follower, unfollowed ones included.
    pub stored_followers: u64,
    /// Current followers by category, in `Category::ALL` order.
    pub followers_by_category: [u64; CATEGORY_COUNT],
    /// Results scored under an older configuration or model, waiting to be rescored.
    pub stale_results: u64,
    /// The data directory's size as the store reports it.
    pub store_bytes: u64,
}

impl Service {
    pub fn stats(&self) -> Result<ServiceStats> {
        let mut stats = ServiceStats::default();
        for handle in self.registry_read().values() {
            let state = handle.lock();
            stats.accounts += 1;
            stats.stored_followers += state.aggregates.stored_followers;
            stats.stale_results += state.aggregates.stale_results();
            for platform in &state.aggregates.platforms {
                for (total, n) in stats
                    .followers_by_category
                    .iter_mut()
                    .zip(platform.by_category)
                {
                    *total += n;
                }
            }
        }
        stats.store_bytes = self.store().size_on_disk()?;
        Ok(stats)
    }
}
