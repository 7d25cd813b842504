//! `newsflow run`: one worker of the fleet.

use std::process::ExitCode;
use std::sync::Arc;

use super::error::{CliError, Context};
use crate::ops;
use crate::ops::health::Health;
use crate::pipeline::Pipeline;
use crate::transport::kafka::{self, LogFormat, RunArgs, RunConfig};

/// Sets up logging: text or JSON lines on standard error, filtered by `RUST_LOG`
/// (default `info`).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Resolves when SIGTERM or SIGINT arrives.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutdown signal received");
}

/// Runs `newsflow run`.
pub fn run(args: RunArgs) -> Result<ExitCode, CliError> {
    let config = RunConfig::resolve(args)?;
    init_logging(config.log_format);
    let runtime = runtime()?;
    runtime.block_on(async move {
        // The models are loaded before the worker reaches the brokers and joins its group,
        // so that it is ready for its partitions at once.
        let loading = std::time::Instant::now();
        let pipeline = Pipeline::new(config.limits)?.with_full_texts(config.full_texts);
        tracing::info!(
            elapsed_ms = loading.elapsed().as_millis() as u64,
            "models loaded"
        );
        let health = Arc::new(Health::new(config.dlq_max_rate, config.dlq_window));
        if let Some(addr) = &config.http_listen {
            let metrics = ops::install_metrics()?;
            let bound = ops::server::serve(addr, metrics, health.clone()).await?;
            tracing::info!(%bound, "serving /metrics, /health/live, /health/ready");
        }
        kafka::run_worker(config, pipeline, health, shutdown_signal()).await?;
        Ok::<_, CliError>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The multi-threaded runtime a command's async work runs on.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context(|| "cannot start the async runtime".into())
}
