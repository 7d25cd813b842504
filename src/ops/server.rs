//! The HTTP server: `/metrics`, `/health/live`, `/health/ready`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;

use super::health::Health;

#[derive(Clone)]
struct AppState {
    metrics: PrometheusHandle,
    health: Arc<Health>,
}

/// The HTTP server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address is taken or invalid.
    #[error(
        "cannot listen for HTTP on {addr}: {source}; set --http-listen to a free address or \"off\""
    )]
    Bind {
        /// The address asked for.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The bound socket has no address.
    #[error("cannot read the HTTP server's address: {0}")]
    Address(#[source] std::io::Error),
}

/// Binds `addr` and serves until the process ends. Returns the bound address (useful with
/// port 0).
pub async fn serve(
    addr: &str,
    metrics: PrometheusHandle,
    health: Arc<Health>,
) -> Result<std::net::SocketAddr, ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let bound = listener.local_addr().map_err(ServeError::Address)?;
    let app = Router::new()
        .route("/metrics", get(render_metrics))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .with_state(AppState { metrics, health });
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "HTTP server stopped");
        }
    });
    Ok(bound)
}

async fn render_metrics(State(state): State<AppState>) -> String {
    state.metrics.run_upkeep();
    state.metrics.render()
}

async fn live(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.health.is_live() {
        (StatusCode::OK, "live\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "stopping\n")
    }
}

async fn ready(State(state): State<AppState>) -> (StatusCode, String) {
    match state.health.readiness() {
        Ok(()) => (StatusCode::OK, "ready\n".into()),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        ),
    }
}
