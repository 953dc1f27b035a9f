//! The admin HTTP listener: `GET /metrics` in the Prometheus text format, on its own address
//! (`admin_listen`, off by default), so the gRPC port carries no unauthenticated HTTP and the
//! admin port can stay inside the cluster. Nothing else is served here.
//!
//! Each scrape refreshes the stored-data gauges from the service's in-memory aggregates and
//! the store's size, off the async workers.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::metrics::Metrics;
use crate::service::Service;

type Body = Full<hyper::body::Bytes>;

/// OpenMetrics is what `prometheus-client` writes; Prometheus asks for it by this name.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Serves until `stop` completes. Connections are short scrapes; they are not drained.
pub async fn serve(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    service: Arc<Service>,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            () = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "admin listener cannot accept");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let metrics = metrics.clone();
        let service = service.clone();
        tokio::spawn(async move {
            let handler = hyper::service::service_fn(move |request| {
                respond(request, metrics.clone(), service.clone())
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), handler);
            if let Err(error) = connection.await {
                tracing::debug!(%error, "admin connection ended with an error");
            }
        });
    }
}

async fn respond(
    request: Request<Incoming>,
    metrics: Arc<Metrics>,
    service: Arc<Service>,
) -> Result<Response<Body>, Infallible> {
    if request.uri().path() != "/metrics" {
        return Ok(plain(StatusCode::NOT_FOUND, "not found: try /metrics\n"));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Ok(plain(StatusCode::METHOD_NOT_ALLOWED, "GET only\n"));
    }
    let encoded = tokio::task::spawn_blocking(move || {
        match service.stats() {
            Ok(stats) => metrics.set_stats(&stats),
            // The request counters are still worth serving; the gauges keep their last value.
            Err(error) => tracing::warn!(%error, "cannot read stored-data figures for metrics"),
        }
        metrics.encode()
    })
    .await;
    match encoded {
        Ok(Ok(text)) => Ok(Response::builder()
            .header(hyper::header::CONTENT_TYPE, CONTENT_TYPE)
            .body(Full::from(text))
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "encoding failed\n"))),
        _ => Ok(plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode metrics\n",
        )),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Full::from(text));
    *response.status_mut() = status;
    response
}
