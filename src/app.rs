//! The assembled server: `App::build` checks the configuration, opens the store, loads the
//! model, accounts, API keys and TLS material, and binds the listeners (port 0 works;
//! `local_addr` and `admin_addr` tell the real ports); `run_until` serves until the shutdown
//! future completes, then drains.
//!
//! While serving, SIGHUP reloads the keys file and the TLS certificates, and the keys file
//! is also polled for changes (a mounted Secret changes without a signal). A reload that
//! fails is logged and the material in force stays.
//!
//! Shutdown order: health goes NOT_SERVING and new calls are refused (UNAVAILABLE), the
//! listener stops accepting, in-flight calls get `shutdown_grace` to finish, the background
//! rescorer stops, the store is flushed.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use crate::auth::Keyring;
use crate::config::{Config, StoreKind};
use crate::engine::bot::{self, BotModel};
use crate::grpc::gate::Gate;
use crate::grpc::pb::follow_score_server::FollowScoreServer;
use crate::grpc::tls::{self, TlsAcceptor};
use crate::grpc::{DESCRIPTOR_SET, FollowScoreApi, FollowScoreService};
use crate::metrics::Metrics;
use crate::service::{Service, rescore};
use crate::store::{Store, StoreOptions};

pub struct App {
    config: Config,
    listener: TcpListener,
    local_addr: SocketAddr,
    admin: Option<(TcpListener, SocketAddr)>,
    health_only: Option<(TcpListener, SocketAddr)>,
    service: Arc<Service>,
    keyring: Option<Arc<Keyring>>,
    tls: Option<Arc<TlsAcceptor>>,
    metrics: Arc<Metrics>,
    /// SIGHUP, listened for from `build` on: its default action would end the process.
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
}

impl App {
    /// Opens the store and binds the listeners; serves nothing until `run_until`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_model(config, bot::shipped_model()).await
    }

    pub async fn build_with_model(
        config: Config,
        bot_model: Arc<dyn BotModel>,
    ) -> anyhow::Result<Self> {
        config.validate()?;
        let keyring = match &config.keys_file {
            Some(path) => Some(Arc::new(Keyring::load(path)?)),
            None => None,
        };
        let tls = match &config.tls {
            Some(paths) => Some(Arc::new(TlsAcceptor::load(paths)?)),
            None => None,
        };
        let options = StoreOptions {
            data_dir: config.data_dir.clone(),
            cache_capacity_bytes: config.cache_capacity_bytes,
        };
        let kind = config.store.clone();
        let limits = config.limits.clone();
        let service = tokio::task::spawn_blocking(move || -> anyhow::Result<Service> {
            let store = match &kind {
                StoreKind::Sled => Store::open(&options).with_context(|| {
                    format!(
                        "cannot open the data directory {}",
                        options.data_dir.display()
                    )
                })?,
                StoreKind::RedisCluster(redis) => {
                    let options = crate::store::RedisOptions {
                        nodes: redis.nodes.clone(),
                        namespace: redis.namespace.clone(),
                        min_replicas: redis.min_replicas,
                        ..Default::default()
                    };
                    Store::open_redis(&options).with_context(|| {
                        format!(
                            "cannot reach the Redis Cluster at {}",
                            redis.nodes.join(",")
                        )
                    })?
                }
            };
            Ok(Service::open(store, bot_model, limits)?)
        })
        .await??;
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let local_addr = listener.local_addr()?;
        let admin = bind_optional(config.admin_listen, "admin_listen").await?;
        let health_only = bind_optional(config.health_listen, "health_listen").await?;
        Ok(Self {
            config,
            listener,
            local_addr,
            admin,
            health_only,
            service: Arc::new(service),
            keyring,
            tls,
            metrics: Arc::new(Metrics::new()),
            #[cfg(unix)]
            hangup: match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
                Ok(signal) => Some(signal),
                Err(error) => {
                    tracing::error!(%error, "cannot listen for SIGHUP; reload by file change only");
                    None
                }
            },
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The admin listener's address, when it is on.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin.as_ref().map(|(_, addr)| *addr)
    }

    /// The plaintext health-only listener's address, when it is on.
    pub fn health_addr(&self) -> Option<SocketAddr> {
        self.health_only.as_ref().map(|(_, addr)| *addr)
    }

    pub fn service(&self) -> Arc<Service> {
        self.service.clone()
    }

    fn log_startup(&self) {
        let tls = match &self.config.tls {
            None => "off",
            Some(paths) if paths.client_ca.is_some() => "mutual",
            Some(_) => "on",
        };
        match &self.keyring {
            Some(keyring) => tracing::info!(
                addr = %self.local_addr,
                tls,
                keys_file = %keyring.path().display(),
                keys = keyring.current().len(),
                "serving with API keys"
            ),
            None if self.local_addr.ip().is_loopback() => tracing::warn!(
                addr = %self.local_addr,
                tls,
                "serving WITHOUT API keys: any local process can read and erase every account"
            ),
            None => tracing::warn!(
                addr = %self.local_addr,
                tls,
                "serving WITHOUT API keys on a non-loopback address (--allow-unauthenticated): \
                 anyone who reaches this port can read and erase every account"
            ),
        }
        if let Some(admin) = self.admin_addr() {
            tracing::info!(admin_addr = %admin, "admin listener serving /metrics");
        }
        if let Some(health) = self.health_addr() {
            tracing::info!(health_addr = %health, "plaintext health listener serving gRPC health only");
        }
        match &self.config.store {
            StoreKind::Sled => {
                tracing::info!(data_dir = %self.config.data_dir.display(), "serving")
            }
            StoreKind::RedisCluster(redis) => tracing::info!(
                redis_nodes = %redis.nodes.join(","),
                namespace = %redis.namespace,
                min_replicas = redis.min_replicas,
                "serving from a Redis Cluster"
            ),
        }
    }

    /// Serves until `shutdown` completes, then shuts down in order (see module docs).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        self.log_startup();
        let (health, health_service) = tonic_health::server::health_reporter();
        health
            .set_serving::<FollowScoreServer<FollowScoreApi>>()
            .await;
        // The overall server status ("") follows the service's.
        health
            .set_service_status("", tonic_health::ServingStatus::Serving)
            .await;

        // Both reflection versions: grpcurl releases before 1.9 speak only v1alpha.
        let reflection_builder = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        };
        let reflection = reflection_builder().build_v1()?;
        let reflection_v1alpha = reflection_builder().build_v1alpha()?;
        let limit = self.config.limits.max_message_bytes;
        let api = FollowScoreService::new(self.service.clone(), limit);

        let stop_rescoring = Arc::new(AtomicBool::new(false));
        let rescorer = self
            .config
            .background_rescoring
            .then(|| rescore::spawn_rescorer(self.service.clone(), stop_rescoring.clone()))
            .transpose()?;
        #[cfg(unix)]
        let hangup = self.hangup;
        #[cfg(not(unix))]
        let hangup = None;
        let reloader = AbortOnDrop(tokio::spawn(reload_loop(
            hangup,
            self.keyring.clone(),
            self.tls.clone(),
            self.config.reload_poll,
        )));

        let gate = Gate::new(
            self.keyring.clone(),
            &self.config.limits,
            self.metrics.clone(),
        );
        let (stop_admin, admin_stopped) = tokio::sync::oneshot::channel::<()>();
        let admin = self.admin.map(|(listener, _)| {
            AbortOnDrop(tokio::spawn(crate::admin::serve(
                listener,
                self.metrics.clone(),
                self.service.clone(),
                async {
                    let _ = admin_stopped.await;
                },
            )))
        });

        // Health alone, plaintext, for probes that cannot speak TLS; it stops with the rest.
        let (stop_health, health_stopped) = tokio::sync::oneshot::channel::<()>();
        let health_only = self.health_only.map(|(listener, _)| {
            let server = tonic::transport::Server::builder()
                .add_service(health_service.clone())
                .serve_with_incoming_shutdown(
                    TcpIncoming::from(listener).with_nodelay(Some(true)),
                    async {
                        let _ = health_stopped.await;
                    },
                );
            AbortOnDrop(tokio::spawn(async move {
                if let Err(error) = server.await {
                    tracing::error!(%error, "health listener failed");
                }
            }))
        });

        let draining = Arc::new(tokio::sync::Notify::new());
        let signal = {
            let health = health.clone();
            let draining = draining.clone();
            let gate = gate.clone();
            async move {
                shutdown.await;
                // Logged once it is true: a call admitted after this line is refused.
                gate.start_draining();
                tracing::info!("shutting down: no longer serving, draining calls in flight");
                health
                    .set_not_serving::<FollowScoreServer<FollowScoreApi>>()
                    .await;
                health
                    .set_service_status("", tonic_health::ServingStatus::NotServing)
                    .await;
                draining.notify_one();
            }
        };
        // The gate is outermost, so it sees the status codes the layers inside it settle on.
        let router = tonic::transport::Server::builder()
            .layer(gate)
            .layer(tower::util::MapResponseLayer::new(
                crate::grpc::limits::request_errors_as_promised,
            ))
            .add_service(health_service)
            .add_service(reflection)
            .add_service(reflection_v1alpha)
            .add_service(api);
        type Serving = Pin<Box<dyn Future<Output = Result<(), tonic::transport::Error>> + Send>>;
        let server: Serving = match self.tls.clone() {
            Some(acceptor) => Box::pin(
                router.serve_with_incoming_shutdown(tls::incoming(self.listener, acceptor), signal),
            ),
            // Small answers must not wait for Nagle's algorithm and the client's delayed ACK
            // (40 ms each): accepted connections get TCP_NODELAY, as tonic's own listener
            // would set.
            None => Box::pin(router.serve_with_incoming_shutdown(
                TcpIncoming::from(self.listener).with_nodelay(Some(true)),
                signal,
            )),
        };

        let grace = self.config.shutdown_grace;
        let served = tokio::select! {
            result = server => result.map_err(anyhow::Error::from),
            () = async { draining.notified().await; tokio::time::sleep(grace).await } => {
                tracing::warn!(grace_secs = grace.as_secs(), "grace period over; dropping calls still in flight");
                Ok(())
            }
        };
        drop(reloader);
        let _ = stop_admin.send(());
        drop(admin);
        let _ = stop_health.send(());
        drop(health_only);

        rescore::stop_rescorer(&self.service, &stop_rescoring);
        let service = self.service.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            if let Some(handle) = rescorer {
                let _ = handle.join();
            }
            service.store().wait_durable()?;
            Ok(())
        })
        .await??;
        tracing::info!("stopped: store flushed");
        served
    }
}

async fn bind_optional(
    addr: Option<SocketAddr>,
    setting: &str,
) -> anyhow::Result<Option<(TcpListener, SocketAddr)>> {
    let Some(addr) = addr else {
        return Ok(None);
    };
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} ({setting})"))?;
    let bound = listener.local_addr()?;
    Ok(Some((listener, bound)))
}

#[cfg(unix)]
type Hangup = tokio::signal::unix::Signal;
/// No SIGHUP elsewhere: a stand-in that never fires.
#[cfg(not(unix))]
struct Hangup;
#[cfg(not(unix))]
impl Hangup {
    async fn recv(&mut self) -> Option<()> {
        std::future::pending().await
    }
}

/// Reloads keys and certificates on SIGHUP, and the keys file when it changes.
async fn reload_loop(
    mut hangup: Option<Hangup>,
    keyring: Option<Arc<Keyring>>,
    tls: Option<Arc<TlsAcceptor>>,
    poll: std::time::Duration,
) {
    loop {
        let hangup_received = async {
            match hangup.as_mut() {
                Some(signal) => signal.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = hangup_received => {
                tracing::info!("SIGHUP: reloading API keys and TLS certificates");
                if let Some(keyring) = &keyring {
                    report_keys(keyring.reload());
                }
                if let Some(tls) = &tls {
                    match tls.reload() {
                        Ok(()) => tracing::info!("TLS certificates reloaded"),
                        Err(error) => tracing::error!(%error, "TLS certificates not reloaded; the previous ones stay in force"),
                    }
                }
            }
            () = tokio::time::sleep(poll) => {
                if let Some(result) = keyring.as_ref().and_then(|k| k.reload_if_changed()) {
                    report_keys(result);
                }
            }
        }
    }
}

fn report_keys(result: Result<usize, crate::auth::KeysFileError>) {
    match result {
        Ok(keys) => tracing::info!(keys, "API keys reloaded"),
        Err(error) => {
            tracing::error!(%error, "API keys not reloaded; the previous keys stay in force");
        }
    }
}

/// Stops a background task when the server stops, however it stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
