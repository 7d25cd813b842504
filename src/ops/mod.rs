//! Operations: Prometheus metrics, liveness and readiness, served over HTTP.

pub mod health;
pub mod metric;
pub mod server;

use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};

/// The metrics recorder could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// The histogram buckets were refused.
    #[error("metrics: {0}")]
    Buckets(#[source] BuildError),
    /// A recorder is installed already, or the exporter could not start.
    #[error("cannot install the metrics recorder: {0}")]
    Install(#[source] BuildError),
}

/// Installs the Prometheus recorder (once per process) and describes newsflow's metrics.
pub fn install_metrics() -> Result<PrometheusHandle, MetricsError> {
    let seconds = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
        60.0,
    ];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &seconds)
        .map_err(MetricsError::Buckets)?
        .install_recorder()
        .map_err(MetricsError::Install)?;
    for (name, kind, help) in metric::DESCRIBED {
        match kind {
            metric::Kind::Counter => metrics::describe_counter!(*name, *help),
            metric::Kind::Gauge => metrics::describe_gauge!(*name, *help),
            metric::Kind::Histogram => metrics::describe_histogram!(*name, *help),
        }
    }
    Ok(handle)
}
