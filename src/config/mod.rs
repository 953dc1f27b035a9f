//! Configuration: built-in defaults, an optional TOML file (`--config`), `FOLLOWSCORE_*`
//! environment variables and flags, merged in that order (each later source wins for the
//! settings it names) and validated once into a plain `Config`. Every setting is in the
//! README's table.
//!
//! Tests build `Config` directly (`Config::for_tests`) and never touch the environment.
//! This module reads files and the command line; it starts nothing.

mod sources;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use sources::{ServeArgs, StoreChoice};

use crate::service::Limits;

/// The server's validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (tests).
    pub listen: SocketAddr,
    /// Where data lives: the embedded sled store (default) or a shared Redis Cluster.
    pub store: StoreKind,
    /// The sled data directory (unused with a Redis Cluster).
    pub data_dir: PathBuf,
    /// sled page cache in bytes (sled's own default, 1 GiB, is too much for a sidecar).
    pub cache_capacity_bytes: u64,
    /// How long in-flight calls may run on after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Async worker threads; `None` is one per core.
    pub worker_threads: Option<usize>,
    /// Rescore stale results in the background (reads rescore what they touch anyway).
    pub background_rescoring: bool,
    /// The API keys file; `None` serves without keys (loopback only, unless
    /// `allow_unauthenticated`).
    pub keys_file: Option<PathBuf>,
    /// Serve without keys on a non-loopback address (an operator's explicit choice).
    pub allow_unauthenticated: bool,
    /// TLS material; `None` serves plaintext.
    pub tls: Option<TlsPaths>,
    /// The admin HTTP listener (`/metrics`); off when `None`.
    pub admin_listen: Option<SocketAddr>,
    /// A plaintext gRPC listener serving only the health service, for probes that cannot
    /// speak TLS (the kubelet's); off when `None`.
    pub health_listen: Option<SocketAddr>,
    pub log: LogSettings,
    /// Every limit, in one place.
    pub limits: Limits,
    /// How often the keys file is checked for changes (SIGHUP reloads at once).
    pub reload_poll: Duration,
}

/// The storage backend (ARCHITECTURE.md, "Storage backends").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreKind {
    /// One embedded database in `data_dir`; one process.
    Sled,
    /// A Redis Cluster shared by every replica.
    RedisCluster(RedisSettings),
}

/// How to reach the Redis Cluster (README, "Settings").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisSettings {
    /// Nodes to start from, `host:port`; the rest of the cluster is discovered.
    pub nodes: Vec<String>,
    /// Prefix of every key, so deployments can share a cluster.
    pub namespace: String,
    /// Replicas of a primary that must confirm a write before it is acknowledged.
    pub min_replicas: u32,
}

/// The namespace when none is given.
pub const DEFAULT_REDIS_NAMESPACE: &str = "followscore";

/// Server certificate and key, and for mutual TLS the CA that signs client certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPaths {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub client_ca: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSettings {
    /// A `tracing` filter such as `info` or `followscore=debug,h2=info`.
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `key=value` lines for people and simple collectors.
    Text,
    /// One JSON object per line for log pipelines.
    Json,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:50051";
pub const DEFAULT_DATA_DIR: &str = "./followscore-data";
/// sled's page cache. Write speed is bound by sled's work per key, not by its cache (one
/// million followers stored within 10% at 32 and 128 MiB, BENCHMARKS.md), while sled's
/// resident memory grows to about twice the cache: a large cache costs memory for little.
pub const DEFAULT_CACHE_MB: u64 = 64;
pub const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 10;
pub const DEFAULT_LOG_FILTER: &str = "info";
/// Polling is a fallback for SIGHUP (a Kubernetes Secret update changes the file without a
/// signal); two seconds costs one `stat` and bounds how long a revoked key keeps working.
pub const DEFAULT_RELOAD_POLL: Duration = Duration::from_secs(2);

impl Config {
    /// A server on a free loopback port with its data in `data_dir`.
    pub fn for_tests(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            store: StoreKind::Sled,
            data_dir: data_dir.into(),
            cache_capacity_bytes: 32 * 1024 * 1024,
            shutdown_grace: Duration::from_secs(5),
            worker_threads: None,
            background_rescoring: true,
            keys_file: None,
            allow_unauthenticated: false,
            tls: None,
            admin_listen: None,
            health_listen: None,
            log: LogSettings {
                filter: DEFAULT_LOG_FILTER.into(),
                format: LogFormat::Text,
            },
            limits: Limits::default(),
            reload_poll: Duration::from_millis(100),
        }
    }
}

/// A setting that cannot be used, named as the README's table names it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("configuration file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{setting}: {message}")]
    Invalid {
        setting: &'static str,
        message: String,
    },
}

fn invalid(setting: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting,
        message: message.into(),
    }
}

/// `host:port` with a port number.
fn is_host_port(node: &str) -> bool {
    match node.rsplit_once(':') {
        Some((host, port)) => !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0),
        None => false,
    }
}

/// `value` must lie in `range`; the error names the setting.
fn within<T: PartialOrd + std::fmt::Display + Copy>(
    setting: &'static str,
    value: T,
    low: T,
    high: T,
) -> Result<(), ConfigError> {
    if value < low || value > high {
        return Err(invalid(
            setting,
            format!("must be between {low} and {high}, got {value}"),
        ));
    }
    Ok(())
}

impl Config {
    /// Checks every setting once; the first problem is returned, naming its setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        within(
            "cache_mb",
            self.cache_capacity_bytes / (1024 * 1024),
            8,
            65_536,
        )?;
        if let StoreKind::RedisCluster(redis) = &self.store {
            if redis.nodes.is_empty() {
                return Err(invalid(
                    "redis_nodes",
                    "is required with store = redis-cluster (host:port of one or more nodes)",
                ));
            }
            if let Some(bad) = redis.nodes.iter().find(|node| !is_host_port(node)) {
                return Err(invalid("redis_nodes", format!("{bad:?} is not host:port")));
            }
            within("redis_min_replicas", redis.min_replicas, 0, 16)?;
            // The namespace is inside every key's hash tag: braces would cut the tag short.
            if redis.namespace.is_empty()
                || redis.namespace.len() > 64
                || redis
                    .namespace
                    .chars()
                    .any(|c| c == '{' || c == '}' || c.is_control() || c.is_whitespace())
            {
                return Err(invalid(
                    "redis_namespace",
                    "must be 1 to 64 characters without braces, spaces or control characters",
                ));
            }
        }
        if let Some(n) = self.worker_threads {
            within("worker_threads", n, 1, 256)?;
        }
        within(
            "shutdown_grace_secs",
            self.shutdown_grace.as_secs(),
            0,
            3_600,
        )?;
        if self.keys_file.is_none()
            && !self.allow_unauthenticated
            && !self.listen.ip().is_loopback()
        {
            return Err(invalid(
                "listen",
                format!(
                    "refusing to serve {} without API keys: anyone who reaches it could read and \
                     erase every account. Give keys_file (--keys-file), or \
                     --allow-unauthenticated if something else guards the port",
                    self.listen
                ),
            ));
        }
        if let Some(tls) = &self.tls {
            for (setting, path) in [("tls_cert", &tls.cert), ("tls_key", &tls.key)] {
                if path.as_os_str().is_empty() {
                    return Err(invalid(setting, "must name a PEM file"));
                }
            }
        }
        if let (Some(admin), listen) = (self.admin_listen, self.listen)
            && admin.port() != 0
            && admin == listen
        {
            return Err(invalid(
                "admin_listen",
                "must differ from listen: the admin port serves HTTP, not gRPC",
            ));
        }
        validate_limits(&self.limits)
    }
}

fn validate_limits(l: &Limits) -> Result<(), ConfigError> {
    const MIB: usize = 1024 * 1024;
    within(
        "limits.max_message_bytes",
        l.max_message_bytes,
        64 * 1024,
        64 * MIB,
    )?;
    within("limits.stream_chunk", l.stream_chunk, 1, 65_536)?;
    within("limits.max_text_bytes", l.max_text_bytes, 16, MIB)?;
    within(
        "limits.max_bio_bytes",
        l.max_bio_bytes,
        l.max_text_bytes,
        MIB,
    )?;
    within("limits.max_count", l.max_count, 1, u64::MAX / 2)?;
    within(
        "limits.max_company_size",
        l.max_company_size,
        1,
        u64::MAX / 2,
    )?;
    within(
        "limits.max_future_skew_secs",
        l.max_future_skew_secs,
        0,
        30 * 86_400,
    )?;
    within(
        "limits.max_events_per_request",
        l.max_events_per_request,
        1,
        100_000,
    )?;
    within(
        "limits.max_outcomes_per_request",
        l.max_outcomes_per_request,
        1,
        100_000,
    )?;
    within("limits.max_get_ids", l.max_get_ids, 1, 100_000)?;
    within("limits.max_page_size", l.max_page_size, 1, 100_000)?;
    within(
        "limits.default_page_size",
        l.default_page_size,
        1,
        l.max_page_size,
    )?;
    within("limits.max_top_leads", l.max_top_leads, 1, 10_000)?;
    within(
        "limits.default_top_leads",
        l.default_top_leads,
        1,
        l.max_top_leads,
    )?;
    within(
        "limits.max_import_bytes",
        l.max_import_bytes,
        1,
        16 * 1024 * 1024 * 1024,
    )?;
    // A piece larger than a message is refused by the message limit first; no need to
    // tie the two.
    within(
        "limits.max_import_chunk_bytes",
        l.max_import_chunk_bytes,
        1,
        64 * MIB,
    )?;
    within(
        "limits.max_import_errors",
        l.max_import_errors,
        0,
        1_000_000,
    )?;
    within(
        "limits.max_import_followers",
        l.max_import_followers,
        0,
        1_000_000,
    )?;
    within(
        "limits.max_concurrent_calls",
        l.max_concurrent_calls,
        1,
        100_000,
    )?;
    // A per-key figure above the server's own simply never binds.
    within(
        "limits.per_key_concurrent_calls",
        l.per_key_concurrent_calls,
        1,
        100_000,
    )?;
    within(
        "limits.per_key_calls_per_second",
        l.per_key_calls_per_second,
        1,
        1_000_000,
    )?;
    within("limits.per_key_burst", l.per_key_burst, 1, 1_000_000)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::for_tests("/tmp/x").validate().unwrap();
    }

    #[test]
    fn a_public_address_without_keys_is_refused_unless_allowed() {
        let mut config = Config::for_tests("/tmp/x");
        config.listen = "0.0.0.0:50051".parse().unwrap();
        let error = config.validate().unwrap_err().to_string();
        assert!(error.starts_with("listen: refusing"), "{error}");
        config.allow_unauthenticated = true;
        config.validate().unwrap();
        config.allow_unauthenticated = false;
        config.keys_file = Some("keys.toml".into());
        config.validate().unwrap();
    }

    #[test]
    fn a_bad_limit_is_named() {
        let mut config = Config::for_tests("/tmp/x");
        config.limits.default_page_size = 5_000;
        let error = config.validate().unwrap_err().to_string();
        assert!(
            error.starts_with("limits.default_page_size: must be between 1 and 1000"),
            "{error}"
        );
    }
}
