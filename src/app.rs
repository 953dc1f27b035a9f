//! The assembled server: `App::build` opens the store, loads the model and accounts, and
//! binds the listener (port 0 works, and `local_addr` tells the real port); `run_until`
//! serves until the shutdown future completes, then drains.
//!
//! Shutdown order: health goes NOT_SERVING, the listener stops accepting, in-flight calls
//! get `shutdown_grace` to finish, the background rescorer stops, the store is flushed.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::engine::bot::{self, BotModel};
use crate::grpc::pb::follow_score_server::FollowScoreServer;
use crate::grpc::{DESCRIPTOR_SET, FollowScoreApi};
use crate::service::{Limits, Service, rescore};
use crate::store::{Store, StoreOptions};

pub struct App {
    config: Config,
    listener: TcpListener,
    local_addr: SocketAddr,
    service: Arc<Service>,
}

impl App {
    /// Opens the store and binds the listener; serves nothing until `run_until`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_model(config, bot::shipped_model()).await
    }

    pub async fn build_with_model(
        config: Config,
        bot_model: Arc<dyn BotModel>,
    ) -> anyhow::Result<Self> {
        let options = StoreOptions {
            data_dir: config.data_dir.clone(),
            cache_capacity_bytes: config.cache_capacity_bytes,
        };
        let service = tokio::task::spawn_blocking(move || -> anyhow::Result<Service> {
            let store = Store::open(&options).with_context(|| {
                format!(
                    "cannot open the data directory {}",
                    options.data_dir.display()
                )
            })?;
            Ok(Service::open(store, bot_model, Limits::default())?)
        })
        .await??;
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let local_addr = listener.local_addr()?;
        Ok(Self {
            config,
            listener,
            local_addr,
            service: Arc::new(service),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn service(&self) -> Arc<Service> {
        self.service.clone()
    }

    /// Serves until `shutdown` completes, then shuts down in order (see module docs).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
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
        let limit = self.config.max_message_bytes;
        let api = FollowScoreServer::new(FollowScoreApi::new(self.service.clone()))
            .max_decoding_message_size(limit)
            .max_encoding_message_size(limit);

        let stop_rescoring = Arc::new(AtomicBool::new(false));
        let rescorer = self
            .config
            .background_rescoring
            .then(|| rescore::spawn_rescorer(self.service.clone(), stop_rescoring.clone()))
            .transpose()?;

        let draining = Arc::new(tokio::sync::Notify::new());
        let signal = {
            let health = health.clone();
            let draining = draining.clone();
            async move {
                shutdown.await;
                tracing::info!("shutting down: no longer serving");
                health
                    .set_not_serving::<FollowScoreServer<FollowScoreApi>>()
                    .await;
                health
                    .set_service_status("", tonic_health::ServingStatus::NotServing)
                    .await;
                draining.notify_one();
            }
        };
        tracing::info!(addr = %self.local_addr, data_dir = %self.config.data_dir.display(), "serving");
        let server = tonic::transport::Server::builder()
            .layer(tower::util::MapResponseLayer::new(
                crate::grpc::limits::oversized_is_resource_exhausted,
            ))
            .add_service(health_service)
            .add_service(reflection)
            .add_service(reflection_v1alpha)
            .add_service(api)
            // Small answers must not wait for Nagle's algorithm and the client's delayed
            // ACK (40 ms each): accepted connections get TCP_NODELAY, as tonic's own
            // listener would set.
            .serve_with_incoming_shutdown(
                tonic::transport::server::TcpIncoming::from(self.listener)
                    .with_nodelay(Some(true)),
                signal,
            );

        let grace = self.config.shutdown_grace;
        let served = tokio::select! {
            result = server => result.map_err(anyhow::Error::from),
            () = async { draining.notified().await; tokio::time::sleep(grace).await } => {
                tracing::warn!(grace_secs = grace.as_secs(), "grace period over; dropping calls still in flight");
                Ok(())
            }
        };

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
        tracing::info!("stopped");
        served
    }
}
