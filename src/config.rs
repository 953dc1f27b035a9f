//! Configuration: raw values from flags and `FOLLOWSCORE_*` environment variables, validated
//! once into a plain `Config`. Tests build `Config` directly (`Config::for_tests`) and never
//! touch the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The server's validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (tests).
    pub listen: SocketAddr,
    /// The sled data directory.
    pub data_dir: PathBuf,
    /// sled page cache in bytes (sled's own default, 1 GiB, is too much for a sidecar).
    pub cache_capacity_bytes: u64,
    /// Largest gRPC message accepted or sent.
    pub max_message_bytes: usize,
    /// How long in-flight calls may run on after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Rescore stale results in the background (reads rescore what they touch anyway).
    pub background_rescoring: bool,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:50051";
pub const DEFAULT_DATA_DIR: &str = "./followscore-data";
pub const DEFAULT_CACHE_MB: u64 = 256;
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;
pub const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 10;

impl Config {
    /// A server on a free loopback port with its data in `data_dir`.
    pub fn for_tests(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            cache_capacity_bytes: 32 * 1024 * 1024,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            shutdown_grace: Duration::from_secs(5),
            background_rescoring: true,
        }
    }
}

/// Flags of `followscore serve`, each with its environment variable.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "FOLLOWSCORE_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Data directory of the embedded store.
    #[arg(long, env = "FOLLOWSCORE_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    pub data_dir: PathBuf,
    /// Store page cache, in MiB.
    #[arg(long, env = "FOLLOWSCORE_CACHE_MB", default_value_t = DEFAULT_CACHE_MB)]
    pub cache_mb: u64,
    /// Largest gRPC message accepted, in bytes.
    #[arg(long, env = "FOLLOWSCORE_MAX_MESSAGE_BYTES", default_value_t = DEFAULT_MAX_MESSAGE_BYTES)]
    pub max_message_bytes: usize,
    /// Seconds in-flight calls may take to finish after SIGTERM/Ctrl-C.
    #[arg(long, env = "FOLLOWSCORE_SHUTDOWN_GRACE_SECS", default_value_t = DEFAULT_SHUTDOWN_GRACE_SECS)]
    pub shutdown_grace_secs: u64,
    /// Async worker threads (default: one per core).
    #[arg(long, env = "FOLLOWSCORE_WORKER_THREADS")]
    pub worker_threads: Option<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--cache-mb must be between 8 and 65536, got {0}")]
    CacheSize(u64),
    #[error("--max-message-bytes must be between 64 KiB and 64 MiB, got {0}")]
    MessageSize(usize),
    #[error("--worker-threads must be between 1 and 256, got {0}")]
    WorkerThreads(usize),
}

impl ServeArgs {
    pub fn validate(&self) -> Result<Config, ConfigError> {
        if !(8..=65_536).contains(&self.cache_mb) {
            return Err(ConfigError::CacheSize(self.cache_mb));
        }
        if !(64 * 1024..=64 * 1024 * 1024).contains(&self.max_message_bytes) {
            return Err(ConfigError::MessageSize(self.max_message_bytes));
        }
        if let Some(n) = self.worker_threads
            && !(1..=256).contains(&n)
        {
            return Err(ConfigError::WorkerThreads(n));
        }
        Ok(Config {
            listen: self.listen,
            data_dir: self.data_dir.clone(),
            cache_capacity_bytes: self.cache_mb * 1024 * 1024,
            max_message_bytes: self.max_message_bytes,
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs),
            background_rescoring: true,
        })
    }
}
