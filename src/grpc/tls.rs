//! TLS and mutual TLS for the gRPC port, through our own rustls acceptor so certificates can
//! be replaced without a restart: the live `ServerConfig` sits behind a lock and `reload`
//! swaps in a new one, read from the same files (tonic's built-in TLS takes its
//! configuration once, when the server is built). A connection uses the configuration in
//! force when its handshake starts.
//!
//! With a client CA, every client must present a certificate it signed; without one, any
//! client may connect and API keys decide. Only TLS 1.2 and 1.3, ALPN `h2`.
//!
//! Owns the handshake only: what a caller may do is `gate.rs`'s.

use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};
use tokio_rustls::server::TlsStream;

use crate::config::TlsPaths;

/// A client gets this long to finish its handshake; a silent one does not hold a slot.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; more connections wait in the kernel's backlog.
const MAX_HANDSHAKES: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{setting} {path}: {message}")]
    File {
        setting: &'static str,
        path: String,
        message: String,
    },
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("tls_client_ca: {0}")]
    ClientVerifier(String),
}

fn file_error(setting: &'static str, path: &Path, message: impl ToString) -> TlsError {
    TlsError::File {
        setting,
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

fn certificates(
    setting: &'static str,
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| file_error(setting, path, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| file_error(setting, path, e))?;
    if certs.is_empty() {
        return Err(file_error(setting, path, "holds no PEM certificate"));
    }
    Ok(certs)
}

/// Builds a rustls server configuration from the PEM files.
pub fn server_config(paths: &TlsPaths) -> Result<ServerConfig, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs = certificates("tls_cert", &paths.cert)?;
    let key = PrivateKeyDer::from_pem_file(&paths.key)
        .map_err(|e| file_error("tls_key", &paths.key, e))?;
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let builder = match &paths.client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for cert in certificates("tls_client_ca", ca)? {
                roots
                    .add(cert)
                    .map_err(|e| file_error("tls_client_ca", ca, e))?;
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .map_err(|e| TlsError::ClientVerifier(e.to_string()))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder.with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// The TLS configuration in force, replaceable while serving.
#[derive(Debug)]
pub struct TlsAcceptor {
    paths: TlsPaths,
    current: RwLock<Arc<ServerConfig>>,
}

impl TlsAcceptor {
    pub fn load(paths: &TlsPaths) -> Result<Self, TlsError> {
        Ok(Self {
            current: RwLock::new(Arc::new(server_config(paths)?)),
            paths: paths.clone(),
        })
    }

    /// Reads the files again; on error the configuration in force stays.
    pub fn reload(&self) -> Result<(), TlsError> {
        let fresh = Arc::new(server_config(&self.paths)?);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
    }

    fn current(&self) -> Arc<ServerConfig> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Accepted connections after their handshake, for `Server::serve_with_incoming`. The
/// accepting task stops when this is dropped (when the server stops accepting).
pub struct TlsIncoming {
    connections: mpsc::Receiver<TlsStream<TcpStream>>,
    accept_task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsIncoming {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

impl futures_util::Stream for TlsIncoming {
    type Item = Result<TlsStream<TcpStream>, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.connections.poll_recv(cx).map(|c| c.map(Ok))
    }
}

pub fn incoming(listener: TcpListener, acceptor: Arc<TlsAcceptor>) -> TlsIncoming {
    let (tx, connections) = mpsc::channel(16);
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    let accept_task = tokio::spawn(async move {
        loop {
            let Ok(permit) = handshakes.clone().acquire_owned().await else {
                return;
            };
            let (tcp, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = tcp.set_nodelay(true);
            let config = acceptor.current();
            let tx = tx.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let handshake = tokio_rustls::TlsAcceptor::from(config).accept(tcp);
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake).await {
                    Ok(Ok(stream)) => {
                        let _ = tx.send(stream).await;
                    }
                    Ok(Err(error)) => {
                        tracing::debug!(%peer, %error, "TLS handshake failed");
                    }
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    TlsIncoming {
        connections,
        accept_task,
    }
}
