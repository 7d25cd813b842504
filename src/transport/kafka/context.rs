//! The consumer's context: what happens on rebalances, and statistics.
//!
//! Drain, then commit, then give up partitions. With the cooperative-sticky assignor
//! (KIP-429) a rebalance revokes only the partitions that move. Before they go, the
//! at-least-once worker waits (within `--revoke-timeout`) for their running messages to
//! be acknowledged, stores and commits what finished, and only then lets them go: the next
//! owner redoes nothing that was done. When the assignment is *lost* instead (the group
//! session ran out, in a broker outage) nothing can be committed; the running messages
//! still finish, and when a lost partition comes back the worker starts it after what
//! finished meanwhile rather than at the last commit (see [`super::offsets`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, RebalanceProtocol};
use rdkafka::statistics::Statistics;
use rdkafka::types::RDKafkaRespErr;
use rdkafka::{ClientContext, Offset, TopicPartitionList};

use super::client_log::ClientLog;
use super::offsets::{SharedTracker, TopicPartition};
use super::shared::blocking;
use crate::ops::health::Health;
use crate::ops::metric;

/// Rebalance and statistics hooks of a worker's consumer.
pub struct WorkerContext {
    /// Ordered completion tracking, shared with the processing tasks.
    pub tracker: Arc<SharedTracker>,
    /// Health, for readiness.
    pub health: Arc<Health>,
    /// True in at-least-once mode: partitions are drained and their stored offsets
    /// committed before they go.
    pub commit_on_revoke: bool,
    /// Longest wait for running messages of revoked (or lost and returning) partitions.
    pub revoke_timeout: Duration,
    /// Set once the shutdown has waited out its own bound: leaving the group then gives
    /// the partitions up without waiting for the same work again.
    pub shutting_down: std::sync::atomic::AtomicBool,
    /// Consumer lag per partition, from the last statistics (for the watchdog).
    pub lag: Arc<Mutex<HashMap<TopicPartition, i64>>>,
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
        let mut lag = self.lag.lock().unwrap_or_else(|p| p.into_inner());
        lag.clear();
        for (topic, t) in &statistics.topics {
            for (partition, p) in &t.partitions {
                if *partition >= 0 && p.consumer_lag >= 0 {
                    metrics::gauge!(
                        metric::CONSUMER_LAG,
                        "topic" => topic.clone(),
                        "partition" => partition.to_string()
                    )
                    .set(p.consumer_lag as f64);
                    lag.insert((topic.clone(), *partition), p.consumer_lag);
                }
            }
        }
    }
}

fn partitions_of(list: &TopicPartitionList) -> Vec<TopicPartition> {
    list.elements()
        .iter()
        .map(|e| (e.topic().to_string(), e.partition()))
        .collect()
}

impl WorkerContext {
    /// How long a revoke may wait for running messages now.
    fn drain_bound(&self) -> Duration {
        if self
            .shutting_down
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            Duration::ZERO
        } else {
            self.revoke_timeout
        }
    }

    /// Before partitions go: drain and commit (orderly), or keep them as orphans (lost).
    fn on_revoke(&self, consumer: &BaseConsumer<Self>, list: &TopicPartitionList) {
        let revoked = partitions_of(list);
        let lost = consumer.assignment_lost();
        tracing::info!(partitions = ?revoked, lost, "partitions revoked");
        if !self.commit_on_revoke {
            self.tracker.lock().revoke(&revoked);
            return;
        }
        if lost {
            self.tracker.lock().lose(&revoked);
            return;
        }
        let left = blocking(|| {
            self.tracker
                .wait_drained(&revoked, false, self.drain_bound())
        });
        if left > 0 {
            tracing::warn!(
                running = left,
                "revoked partitions not drained within --revoke-timeout; their unfinished messages will be redone by the next owner"
            );
        }
        {
            let mut tracker = self.tracker.lock();
            for p in &revoked {
                if let Some(offset) = tracker.done_through(p)
                    && let Err(e) = consumer.store_offset(&p.0, p.1, offset)
                {
                    tracing::debug!(error = %e, partition = p.1, "offset not stored on revoke");
                }
            }
            tracker.revoke(&revoked);
        }
        if let Err(e) = consumer.commit_consumer_state(CommitMode::Sync) {
            tracing::debug!(error = %e, "nothing committed on revoke");
        }
    }

    /// Before partitions come: a lost partition that comes back starts after what its
    /// running messages finished meanwhile (never before the group's committed offset).
    fn on_assign(&self, consumer: &BaseConsumer<Self>, list: &mut TopicPartitionList) {
        let assigned = partitions_of(list);
        tracing::info!(partitions = ?assigned, "partitions assigned");
        let returning: Vec<TopicPartition> = {
            let tracker = self.tracker.lock();
            assigned
                .iter()
                .filter(|p| tracker.has_orphan(p))
                .cloned()
                .collect()
        };
        if returning.is_empty() {
            return;
        }
        blocking(|| {
            self.tracker
                .wait_drained(&returning, true, self.revoke_timeout)
        });
        let committed = committed_offsets(consumer, &returning);
        let mut tracker = self.tracker.lock();
        for p in &returning {
            let Some(resume) = tracker.take_orphan(p) else {
                continue;
            };
            let resume = resume.max(committed.get(p).copied().unwrap_or(0));
            if let Err(e) = list.set_partition_offset(&p.0, p.1, Offset::Offset(resume)) {
                tracing::debug!(error = %e, partition = p.1, "cannot set the start offset");
                continue;
            }
            tracing::info!(
                topic = %p.0,
                partition = p.1,
                offset = resume,
                "partition back after a lost assignment: resuming after the work finished meanwhile"
            );
        }
    }
}

/// The group's committed offsets of some partitions (empty when the broker cannot say).
fn committed_offsets<C: ConsumerContext>(
    consumer: &BaseConsumer<C>,
    partitions: &[TopicPartition],
) -> HashMap<TopicPartition, i64> {
    let mut list = TopicPartitionList::new();
    for (topic, partition) in partitions {
        list.add_partition(topic, *partition);
    }
    match consumer.committed_offsets(list, Duration::from_secs(5)) {
        Ok(list) => list
            .elements()
            .iter()
            .filter_map(|e| match e.offset() {
                Offset::Offset(o) => Some(((e.topic().to_string(), e.partition()), o)),
                _ => None,
            })
            .collect(),
        Err(e) => {
            tracing::debug!(error = %e, "cannot read committed offsets");
            HashMap::new()
        }
    }
}

impl ConsumerContext for WorkerContext {
    fn rebalance(
        &self,
        consumer: &BaseConsumer<Self>,
        err: RDKafkaRespErr,
        tpl: &mut TopicPartitionList,
    ) {
        let cooperative = matches!(
            consumer.rebalance_protocol(),
            RebalanceProtocol::Cooperative
        );
        let result = match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                self.on_assign(consumer, tpl);
                let result = if cooperative {
                    consumer.incremental_assign(tpl)
                } else {
                    consumer.assign(tpl)
                };
                // librdkafka keeps a partition paused by the application through a revoke
                // and a new assignment of it. A worker paused by backpressure when its
                // group session ran out would get its partitions back paused and never
                // fetch from them again. Partitions come in resumed; the worker pauses
                // them again if it is still waiting for an in-flight slot.
                if let Err(e) = consumer.resume(tpl) {
                    tracing::warn!(error = %e, "could not resume newly assigned partitions");
                }
                result
            }
            other => {
                if other != RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS {
                    tracing::warn!(error = ?other, "rebalance error; giving up the partitions");
                }
                self.on_revoke(consumer, tpl);
                if cooperative {
                    consumer.incremental_unassign(tpl)
                } else {
                    consumer.unassign()
                }
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "rebalance: assignment not applied");
        }
        let joined = consumer
            .assignment()
            .map(|a| a.count() > 0)
            .unwrap_or(false);
        self.health.set_joined(joined);
    }
}
