//! Where settings come from: flags and `FOLLOWSCORE_*` environment variables (clap reads
//! both; a flag beats its variable) and the TOML file named by `--config`. Every value is
//! optional here so that the merge can tell "not given" from "given": defaults < file <
//! environment < flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{
    Config, ConfigError, DEFAULT_CACHE_MB, DEFAULT_DATA_DIR, DEFAULT_LISTEN, DEFAULT_LOG_FILTER,
    DEFAULT_REDIS_NAMESPACE, DEFAULT_RELOAD_POLL, DEFAULT_SHUTDOWN_GRACE_SECS, LogFormat,
    LogSettings, RedisSettings, StoreKind, TlsPaths, invalid,
};
use crate::service::Limits;

/// Flags of `followscore serve`, each with its environment variable. Limits are set in the
/// configuration file's `[limits]` table (and the message size here too).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// A TOML configuration file; flags and environment variables override it.
    #[arg(long, env = "FOLLOWSCORE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:50051].
    #[arg(long, env = "FOLLOWSCORE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Where data lives: `sled` (embedded, one process) or `redis-cluster` (shared by
    /// replicas) [default: sled].
    #[arg(long, env = "FOLLOWSCORE_STORE", value_enum)]
    pub store: Option<StoreChoice>,
    /// Redis Cluster nodes to start from, `host:port,...` (with --store redis-cluster).
    #[arg(long, env = "FOLLOWSCORE_REDIS_NODES", value_delimiter = ',')]
    pub redis_nodes: Option<Vec<String>>,
    /// Replicas of a Redis primary that must confirm a write before it is acknowledged
    /// [default: 0].
    #[arg(long, env = "FOLLOWSCORE_REDIS_MIN_REPLICAS")]
    pub redis_min_replicas: Option<u32>,
    /// Prefix of every Redis key, so deployments can share a cluster [default: followscore].
    #[arg(long, env = "FOLLOWSCORE_REDIS_NAMESPACE")]
    pub redis_namespace: Option<String>,
    /// Data directory of the embedded store [default: ./followscore-data].
    #[arg(long, env = "FOLLOWSCORE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Store page cache, in MiB [default: 64].
    #[arg(long, env = "FOLLOWSCORE_CACHE_MB")]
    pub cache_mb: Option<u64>,
    /// Largest gRPC message accepted or sent, in bytes [default: 4194304].
    #[arg(long, env = "FOLLOWSCORE_MAX_MESSAGE_BYTES")]
    pub max_message_bytes: Option<usize>,
    /// Seconds in-flight calls may take to finish after SIGTERM/Ctrl-C [default: 10].
    #[arg(long, env = "FOLLOWSCORE_SHUTDOWN_GRACE_SECS")]
    pub shutdown_grace_secs: Option<u64>,
    /// Async worker threads [default: one per core].
    #[arg(long, env = "FOLLOWSCORE_WORKER_THREADS")]
    pub worker_threads: Option<usize>,
    /// The API keys file (hashes only; see `followscore keys`).
    #[arg(long, env = "FOLLOWSCORE_KEYS_FILE")]
    pub keys_file: Option<PathBuf>,
    /// Serve without API keys on a non-loopback address.
    #[arg(long, env = "FOLLOWSCORE_ALLOW_UNAUTHENTICATED", num_args = 0..=1, default_missing_value = "true")]
    pub allow_unauthenticated: Option<bool>,
    /// The server's certificate chain (PEM); with --tls-key, serves TLS only.
    #[arg(long, env = "FOLLOWSCORE_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// The server's private key (PEM).
    #[arg(long, env = "FOLLOWSCORE_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// CA certificates (PEM) that sign client certificates; given, clients must present one.
    #[arg(long, env = "FOLLOWSCORE_TLS_CLIENT_CA")]
    pub tls_client_ca: Option<PathBuf>,
    /// Address of the admin HTTP listener serving /metrics [default: off].
    #[arg(long, env = "FOLLOWSCORE_ADMIN_LISTEN")]
    pub admin_listen: Option<SocketAddr>,
    /// Address of a plaintext gRPC listener serving only health, for probes [default: off].
    #[arg(long, env = "FOLLOWSCORE_HEALTH_LISTEN")]
    pub health_listen: Option<SocketAddr>,
    /// Log format [default: text].
    #[arg(long, env = "FOLLOWSCORE_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Log filter, such as `info` or `followscore=debug` [default: info; RUST_LOG too].
    #[arg(long, env = "FOLLOWSCORE_LOG")]
    pub log: Option<String>,
}

/// `--store`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum StoreChoice {
    Sled,
    RedisCluster,
}

/// The configuration file. Keys are the settings' names; an unknown key is an error that
/// names it and its line.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    store: Option<StoreChoice>,
    redis_nodes: Option<Vec<String>>,
    redis_min_replicas: Option<u32>,
    redis_namespace: Option<String>,
    data_dir: Option<PathBuf>,
    cache_mb: Option<u64>,
    shutdown_grace_secs: Option<u64>,
    worker_threads: Option<usize>,
    keys_file: Option<PathBuf>,
    allow_unauthenticated: Option<bool>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_client_ca: Option<PathBuf>,
    admin_listen: Option<SocketAddr>,
    health_listen: Option<SocketAddr>,
    log_format: Option<LogFormat>,
    log: Option<String>,
    #[serde(default)]
    limits: Limits,
}

impl FileConfig {
    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::File {
            path: path.to_owned(),
            message: one_line(&e.to_string()),
        })
    }
}

/// toml's message spans lines with a drawing of the spot; the first and last lines say
/// where and what ("TOML parse error at line 3, column 1 … unknown field `lisen`").
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message.lines().map(str::trim).collect();
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => format!("{first}: {last}"),
        _ => message.trim().to_owned(),
    }
}

impl ServeArgs {
    /// Reads the file, if any, merges it under the flags and environment, and validates.
    pub fn load(&self) -> Result<Config, ConfigError> {
        let file = match &self.config {
            Some(path) => FileConfig::read(path)?,
            None => FileConfig::default(),
        };
        let config = self.merge(file)?;
        config.validate()?;
        Ok(config)
    }

    fn merge(&self, file: FileConfig) -> Result<Config, ConfigError> {
        let default_listen: SocketAddr = DEFAULT_LISTEN
            .parse()
            .map_err(|_| invalid("listen", "the built-in default does not parse"))?;
        let mut limits = file.limits;
        if let Some(bytes) = self.max_message_bytes {
            limits.max_message_bytes = bytes;
        }
        let tls_cert = self.tls_cert.clone().or(file.tls_cert);
        let tls_key = self.tls_key.clone().or(file.tls_key);
        let tls_client_ca = self.tls_client_ca.clone().or(file.tls_client_ca);
        let tls = match (tls_cert, tls_key) {
            (Some(cert), Some(key)) => Some(TlsPaths {
                cert,
                key,
                client_ca: tls_client_ca,
            }),
            (None, None) if tls_client_ca.is_some() => {
                return Err(invalid(
                    "tls_client_ca",
                    "needs tls_cert and tls_key: client certificates are checked over TLS",
                ));
            }
            (None, None) => None,
            (Some(_), None) => return Err(invalid("tls_key", "is required with tls_cert")),
            (None, Some(_)) => return Err(invalid("tls_cert", "is required with tls_key")),
        };
        let cache_mb = self.cache_mb.or(file.cache_mb).unwrap_or(DEFAULT_CACHE_MB);
        let store = match self.store.or(file.store).unwrap_or(StoreChoice::Sled) {
            StoreChoice::Sled => StoreKind::Sled,
            StoreChoice::RedisCluster => StoreKind::RedisCluster(RedisSettings {
                nodes: self
                    .redis_nodes
                    .clone()
                    .or(file.redis_nodes)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|node| node.trim().to_owned())
                    .filter(|node| !node.is_empty())
                    .collect(),
                namespace: self
                    .redis_namespace
                    .clone()
                    .or(file.redis_namespace)
                    .unwrap_or_else(|| DEFAULT_REDIS_NAMESPACE.into()),
                min_replicas: self
                    .redis_min_replicas
                    .or(file.redis_min_replicas)
                    .unwrap_or(0),
            }),
        };
        Ok(Config {
            listen: self.listen.or(file.listen).unwrap_or(default_listen),
            store,
            data_dir: self
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
            cache_capacity_bytes: cache_mb.saturating_mul(1024 * 1024),
            shutdown_grace: Duration::from_secs(
                self.shutdown_grace_secs
                    .or(file.shutdown_grace_secs)
                    .unwrap_or(DEFAULT_SHUTDOWN_GRACE_SECS),
            ),
            worker_threads: self.worker_threads.or(file.worker_threads),
            background_rescoring: true,
            keys_file: self.keys_file.clone().or(file.keys_file),
            allow_unauthenticated: self
                .allow_unauthenticated
                .or(file.allow_unauthenticated)
                .unwrap_or(false),
            tls,
            admin_listen: self.admin_listen.or(file.admin_listen),
            health_listen: self.health_listen.or(file.health_listen),
            log: LogSettings {
                filter: self
                    .log
                    .clone()
                    .or(file.log)
                    .or_else(|| std::env::var("RUST_LOG").ok())
                    .unwrap_or_else(|| DEFAULT_LOG_FILTER.into()),
                format: self
                    .log_format
                    .or(file.log_format)
                    .unwrap_or(LogFormat::Text),
            },
            limits,
            reload_poll: DEFAULT_RELOAD_POLL,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("followscore.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let (_dir, path) = file("listen = \"127.0.0.1:1\"\n\nlisten_adress = \"x\"\n");
        let args = ServeArgs {
            config: Some(path),
            ..ServeArgs::default()
        };
        let error = args.load().unwrap_err().to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("listen_adress"), "{error}");
    }

    #[test]
    fn an_unknown_limit_is_named_with_its_line() {
        let (_dir, path) = file("[limits]\nmax_page_size = 10\nmax_pages = 3\n");
        let args = ServeArgs {
            config: Some(path),
            ..ServeArgs::default()
        };
        let error = args.load().unwrap_err().to_string();
        assert!(
            error.contains("line 3") && error.contains("max_pages"),
            "{error}"
        );
    }

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let (_dir, path) = file(
            "listen = \"127.0.0.1:7000\"\ncache_mb = 64\n[limits]\nmax_page_size = 500\ndefault_page_size = 50\n",
        );
        let args = ServeArgs {
            config: Some(path),
            listen: Some("127.0.0.1:7001".parse().unwrap()),
            ..ServeArgs::default()
        };
        let config = args.load().unwrap();
        assert_eq!(config.listen.port(), 7001);
        assert_eq!(config.cache_capacity_bytes, 64 * 1024 * 1024);
        assert_eq!(config.limits.max_page_size, 500);
        assert_eq!(config.limits.max_get_ids, Limits::default().max_get_ids);
    }

    #[test]
    fn a_client_ca_without_a_certificate_is_refused() {
        let args = ServeArgs {
            tls_client_ca: Some("ca.pem".into()),
            ..ServeArgs::default()
        };
        let error = args.load().unwrap_err().to_string();
        assert!(error.starts_with("tls_client_ca:"), "{error}");
    }
}
