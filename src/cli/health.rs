//! `followscore health`: one gRPC health check against a running server, for container
//! health checks (the image holds no other client). Exits 0 when the server answers
//! SERVING, 1 otherwise. Health needs no API key; over TLS, give the CA that signed the
//! server's certificate, and for mutual TLS a client certificate and key.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    /// The server: `http://HOST:PORT`, `https://HOST:PORT` for TLS, or a bare `HOST:PORT`.
    #[arg(
        long,
        env = "FOLLOWSCORE_HEALTH_ADDR",
        default_value = "http://127.0.0.1:50051"
    )]
    pub addr: String,
    /// CA certificate (PEM) to check the server's certificate with; implies TLS.
    #[arg(long, env = "FOLLOWSCORE_HEALTH_TLS_CA")]
    pub tls_ca: Option<PathBuf>,
    /// The name the server's certificate must carry [default: the address's host].
    #[arg(long)]
    pub tls_server_name: Option<String>,
    /// Client certificate and key (PEM) for a server that requires mutual TLS.
    #[arg(long, env = "FOLLOWSCORE_HEALTH_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    #[arg(long, env = "FOLLOWSCORE_HEALTH_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    pub timeout_secs: u64,
}

pub fn health(args: &HealthArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let status = runtime.block_on(check(args))?;
    if status == ServingStatus::Serving {
        println!("SERVING");
        Ok(())
    } else {
        anyhow::bail!("the server answers {}", status.as_str_name())
    }
}

async fn check(args: &HealthArgs) -> anyhow::Result<ServingStatus> {
    let tls = args.tls_ca.is_some() || args.addr.starts_with("https://");
    let addr = match args.addr.split_once("://") {
        Some((_, rest)) => rest.to_owned(),
        None => args.addr.clone(),
    };
    let scheme = if tls { "https" } else { "http" };
    let mut endpoint = Channel::from_shared(format!("{scheme}://{addr}"))
        .with_context(|| format!("{:?} is not an address", args.addr))?
        .timeout(Duration::from_secs(args.timeout_secs))
        .connect_timeout(Duration::from_secs(args.timeout_secs));
    if tls {
        let mut config = ClientTlsConfig::new();
        if let Some(ca) = &args.tls_ca {
            let pem = std::fs::read(ca).with_context(|| format!("cannot read {}", ca.display()))?;
            config = config.ca_certificate(Certificate::from_pem(pem));
        }
        if let Some(name) = &args.tls_server_name {
            config = config.domain_name(name.clone());
        }
        if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
            let cert =
                std::fs::read(cert).with_context(|| format!("cannot read {}", cert.display()))?;
            let key =
                std::fs::read(key).with_context(|| format!("cannot read {}", key.display()))?;
            config = config.identity(Identity::from_pem(cert, key));
        }
        endpoint = endpoint.tls_config(config)?;
    }
    let channel = endpoint
        .connect()
        .await
        .with_context(|| format!("cannot connect to {}", args.addr))?;
    let answer = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .context("health check failed")?
        .into_inner();
    Ok(ServingStatus::try_from(answer.status).unwrap_or(ServingStatus::Unknown))
}
