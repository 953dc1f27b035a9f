//! Every Prometheus metric of the server, declared here and nowhere else, in a registry of
//! the server's own (no process-wide recorder, so several servers in one test process keep
//! their counts apart). The admin listener (`admin.rs`) encodes it on `/metrics`.
//!
//! Label values come from closed sets only: RPC names, gRPC status codes, categories and
//! reasons. Never an account id, a follower id, a key or a key name: a label per account
//! would grow without bound and leak which clients exist.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::engine::vocabulary::Category;
use crate::service::ServiceStats;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RpcCode {
    pub rpc: &'static str,
    pub code: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RpcLabel {
    pub rpc: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CategoryLabel {
    pub category: &'static str,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 33 s: a cached read to a large import.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RpcCode, Counter>,
    pub latency: Family<RpcLabel, Histogram, fn() -> Histogram>,
    pub in_flight: Gauge,
    pub auth_failures: Family<ReasonLabel, Counter>,
    pub shed: Family<ReasonLabel, Counter>,
    accounts: Gauge,
    stored_followers: Gauge,
    followers: Family<CategoryLabel, Gauge>,
    stale_results: Gauge,
    store_bytes: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("followscore");
        let requests = Family::<RpcCode, Counter>::default();
        registry.register(
            "requests",
            "gRPC calls finished, by RPC and status code",
            requests.clone(),
        );
        let latency = Family::<RpcLabel, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "request_duration_seconds",
            "gRPC call duration from the request's headers to its status, by RPC",
            latency.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "requests_in_flight",
            "gRPC calls being served now (open streams included)",
            in_flight.clone(),
        );
        let auth_failures = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "auth_failures",
            "calls refused by API key checks: missing, unknown, role or account",
            auth_failures.clone(),
        );
        let shed = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "calls_shed",
            "calls refused for load: server_busy, key_rate or key_concurrency",
            shed.clone(),
        );
        let accounts = Gauge::default();
        registry.register("accounts", "accounts stored", accounts.clone());
        let stored_followers = Gauge::default();
        registry.register(
            "stored_followers",
            "followers stored over all accounts, unfollowed ones included",
            stored_followers.clone(),
        );
        let followers = Family::<CategoryLabel, Gauge>::default();
        registry.register(
            "followers",
            "current followers over all accounts, by category as classified",
            followers.clone(),
        );
        let stale_results = Gauge::default();
        registry.register(
            "rescoring_backlog",
            "stored results scored under an older configuration or model, to be rescored",
            stale_results.clone(),
        );
        let store_bytes = Gauge::default();
        registry.register(
            "store_size_bytes",
            "size of the data directory on disk",
            store_bytes.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            in_flight,
            auth_failures,
            shed,
            accounts,
            stored_followers,
            followers,
            stale_results,
            store_bytes,
        }
    }

    /// Sets the gauges that describe what is stored; called before each scrape.
    pub fn set_stats(&self, stats: &ServiceStats) {
        let as_gauge = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        self.accounts.set(as_gauge(stats.accounts));
        self.stored_followers.set(as_gauge(stats.stored_followers));
        self.stale_results.set(as_gauge(stats.stale_results));
        self.store_bytes.set(as_gauge(stats.store_bytes));
        for (category, n) in Category::ALL.iter().zip(stats.followers_by_category) {
            self.followers
                .get_or_create(&CategoryLabel {
                    category: category.as_str(),
                })
                .set(as_gauge(n));
        }
    }

    /// The registry in the Prometheus/OpenMetrics text format.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}
