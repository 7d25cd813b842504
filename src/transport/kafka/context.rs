//! The consumer's context: what happens on rebalances and statistics.

use std::sync::{Arc, Mutex};

use rdkafka::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::statistics::Statistics;

use super::client_log::ClientLog;
use super::offsets::OffsetTracker;
use crate::ops::health::Health;

/// Rebalance and statistics hooks of a worker's consumer.
pub struct WorkerContext {
    /// Ordered completion tracking, shared with the processing tasks.
    pub tracker: Arc<Mutex<OffsetTracker>>,
    /// Health, for readiness.
    pub health: Arc<Health>,
    /// True in at-least-once mode: stored offsets are committed before partitions go.
    pub commit_on_revoke: bool,
    /// librdkafka's lines, with the address, repeats folded.
    pub log: ClientLog,
}

impl ClientContext for WorkerContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        self.log.log(level, fac, message);
    }

    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        self.log.error(&error, reason);
    }

    fn stats(&self, statistics: Statistics) {
        for (topic, t) in &statistics.topics {
            for (partition, p) in &t.partitions {
                if *partition >= 0 && p.consumer_lag >= 0 {
                    metrics::gauge!(
                        "newsflow_consumer_lag",
                        "topic" => topic.clone(),
                        "partition" => partition.to_string()
                    )
                    .set(p.consumer_lag as f64);
                }
            }
        }
    }
}

impl ConsumerContext for WorkerContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(list) => {
                // Commit what is finished before the partitions go, so the next owner starts
                // exactly after it; unfinished work is handed back and redone there.
                if self.commit_on_revoke
                    && let Err(e) = consumer.commit_consumer_state(CommitMode::Sync)
                {
                    tracing::debug!(error = %e, "nothing committed on revoke");
                }
                let revoked: Vec<(String, i32)> = list
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect();
                tracing::info!(partitions = ?revoked, "partitions revoked");
                self.tracker
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .revoke(&revoked);
            }
            Rebalance::Assign(list) => {
                let assigned: Vec<(String, i32)> = list
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect();
                tracing::info!(partitions = ?assigned, "partitions assigned");
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        // librdkafka keeps a partition paused by the application through a revoke and a
        // new assignment of it. A worker paused by backpressure when its group session
        // ran out (a broker outage) would get its partitions back paused and never fetch
        // from them again. Partitions come in resumed; the worker pauses them again if it
        // is still waiting for an in-flight slot.
        if let Rebalance::Assign(list) = rebalance
            && let Err(e) = consumer.resume(list)
        {
            tracing::warn!(error = %e, "could not resume newly assigned partitions");
        }
        let joined = consumer
            .assignment()
            .map(|a| a.count() > 0)
            .unwrap_or(false);
        self.health.set_joined(joined);
    }
}
