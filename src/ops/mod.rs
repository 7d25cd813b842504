//! Operations: Prometheus metrics, liveness and readiness, served over HTTP.

pub mod health;
pub mod server;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Installs the Prometheus recorder (once per process) and describes newsflow's metrics.
pub fn install_metrics() -> Result<PrometheusHandle, String> {
    let seconds = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
        60.0,
    ];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &seconds)
        .map_err(|e| format!("metrics: {e}"))?
        .install_recorder()
        .map_err(|e| format!("cannot install the metrics recorder: {e}"))?;
    metrics::describe_counter!("newsflow_consumed_total", "Input messages consumed.");
    metrics::describe_counter!(
        "newsflow_produced_total",
        "Records produced and acknowledged, by topic."
    );
    metrics::describe_counter!(
        "newsflow_rejected_total",
        "Inputs sent to the dead-letter topic, by reason."
    );
    metrics::describe_counter!(
        "newsflow_retries_total",
        "Produce attempts retried after a broker or producer error."
    );
    metrics::describe_histogram!("newsflow_stage_seconds", "Time per article in each stage.");
    metrics::describe_histogram!(
        "newsflow_end_to_end_seconds",
        "From the input message's timestamp to the acknowledgement of its outputs."
    );
    metrics::describe_gauge!(
        "newsflow_consumer_lag",
        "Messages behind the end of each owned partition."
    );
    metrics::describe_gauge!(
        "newsflow_in_flight",
        "Articles being processed or awaiting acknowledgement."
    );
    metrics::describe_gauge!("newsflow_ready", "1 when the worker reports ready.");
    Ok(handle)
}
