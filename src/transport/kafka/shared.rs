//! What every processing task of a worker shares (the pipeline, the settings, health,
//! the topics' size limits, the processing threads), and the one way a task runs a
//! blocking call.

use std::sync::Arc;

use crate::ops::health::Health;
use crate::ops::metric;
use crate::pipeline::Pipeline;

use super::config::RunConfig;
use super::error::WorkerError;
use super::{fit, records, watchdog};

/// Runs a blocking call (a wait from inside the consumer's poll, a transactional producer
/// call) on a tokio worker thread: on the multi-threaded runtime the thread's other tasks
/// move elsewhere meanwhile, so the tasks being waited for can go on.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// What every processing task of a worker shares.
pub struct WorkerShared {
    /// The stages.
    pub pipeline: Pipeline,
    /// The configuration.
    pub config: RunConfig,
    /// Health and readiness.
    pub health: Arc<Health>,
    /// The largest record each output topic takes.
    pub limits: fit::SizeLimits,
    /// The watchdog's test hook, off unless its environment variables are set.
    pub stall_hook: Option<watchdog::StallHook>,
    /// One permit per processing thread (`--threads`): the pipeline is CPU-bound, and
    /// running every in-flight article on a thread of its own (tokio's blocking pool
    /// grows to 512) would only share the cores among hundreds of threads.
    pub cpu: Arc<tokio::sync::Semaphore>,
}

impl WorkerShared {
    /// Runs the pipeline over one message on a processing thread and makes its outputs
    /// fit their topics. Waits for a free thread first.
    pub async fn process(
        self: &Arc<Self>,
        input: Arc<records::InputMessage>,
    ) -> Result<records::Processed, WorkerError> {
        let _cpu =
            self.cpu
                .clone()
                .acquire_owned()
                .await
                .map_err(|source| WorkerError::Closed {
                    what: "processing threads",
                    source,
                })?;
        let shared = self.clone();
        tokio::task::spawn_blocking(move || {
            let config = &shared.config;
            let processed =
                records::process(&shared.pipeline, &input, &config.topics, &config.worker_id);
            fit::fit(
                processed,
                &input,
                &config.topics,
                &shared.limits,
                &config.worker_id,
            )
        })
        .await
        .map_err(WorkerError::Task)
    }

    /// Records metrics and health for one processed input.
    pub fn observe(&self, processed: &records::Processed) {
        let t = &processed.times;
        for (stage, d) in t.each() {
            if !d.is_zero() {
                metrics::histogram!(metric::STAGE_SECONDS, "stage" => stage.as_str())
                    .record(d.as_secs_f64());
            }
        }
        if let Some(reason) = processed.rejected {
            metrics::counter!(metric::REJECTED, "reason" => reason).increment(1);
        }
        if let Some(rate) = self.health.record(processed.rejected.is_some()) {
            tracing::error!(
                rate,
                threshold = self.config.dlq_max_rate,
                window = self.config.dlq_window,
                "DEAD-LETTER RATE ABOVE THRESHOLD: readiness is off; check the upstream scrapers and the dead-letter topic"
            );
        }
    }
}
