//! At-least-once, the offset tracker's commit policy: messages of a partition are
//! processed in parallel, and an input offset is stored for commit only once every record
//! produced from it, and from every message before it, has been acknowledged by the
//! broker. librdkafka commits the stored offsets every `--commit-interval-ms`; a crash
//! redoes at most what was acknowledged since, never loses anything.

use std::sync::Arc;
use std::time::Instant;

use futures::future::try_join_all;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::producer::Producer;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::client_log::WorkerProducer;
use super::context::WorkerContext;
use super::error::WorkerError;
use super::fit;
use super::offsets::{SharedTracker, Ticket};
use super::records::InputMessage;
use super::shared::WorkerShared;
use super::sink::{self, DeliveryError};
use super::worker::{CommitPolicy, Flow, MessageRejected, Received, Shutdown, Wake};
use crate::ops::metric;

/// The at-least-once policy: one task per message, at most `--max-in-flight` at once.
pub(super) struct OffsetTracking {
    job: Arc<Job>,
    /// One permit per in-flight slot.
    slots: Arc<Semaphore>,
    /// A slot taken while the loop waited for room, for the next message.
    slot: Option<OwnedSemaphorePermit>,
    /// The first fatal error of a task.
    fatal: mpsc::Receiver<WorkerError>,
}

/// What every processing task needs.
struct Job {
    shared: Arc<WorkerShared>,
    tracker: Arc<SharedTracker>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: WorkerProducer,
    fatal: mpsc::Sender<WorkerError>,
}

impl OffsetTracking {
    /// The policy over a worker's tracker, consumer and producer.
    pub(super) fn new(
        shared: Arc<WorkerShared>,
        tracker: Arc<SharedTracker>,
        consumer: Arc<StreamConsumer<WorkerContext>>,
        producer: WorkerProducer,
    ) -> Self {
        let (fatal_tx, fatal) = mpsc::channel(1);
        let slots = Arc::new(Semaphore::new(shared.config.max_in_flight));
        OffsetTracking {
            job: Arc::new(Job {
                shared,
                tracker,
                consumer,
                producer,
                fatal: fatal_tx,
            }),
            slots,
            slot: None,
            fatal,
        }
    }
}

impl CommitPolicy for OffsetTracking {
    type Ticket = Ticket;

    fn track(&mut self, input: &InputMessage) -> Ticket {
        self.job
            .tracker
            .lock()
            .begin(&input.topic, input.partition, input.offset)
    }

    fn submit(&mut self, received: Received<Ticket>) -> Result<(), MessageRejected<Ticket>> {
        let slot = match self.slot.take() {
            Some(slot) => slot,
            None => match self.slots.clone().try_acquire_owned() {
                Ok(slot) => slot,
                Err(_) => return Err(MessageRejected(Box::new(received))),
            },
        };
        if !self.job.tracker.lock().start(&received.ticket) {
            // Its partition was revoked or lost since it arrived: the next owner (or this
            // worker, when the partition comes back) consumes it again.
            metrics::counter!(metric::DROPPED_AFTER_REVOKE).increment(1);
            return Ok(());
        }
        metrics::gauge!(metric::IN_FLIGHT).increment(1.0);
        let job = self.job.clone();
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(fatal) = job.run(received).await {
                let _ = job.fatal.try_send(fatal);
            }
            metrics::gauge!(metric::IN_FLIGHT).decrement(1.0);
        });
        Ok(())
    }

    async fn room(&mut self) -> Result<(), WorkerError> {
        let slot = self.slots.clone().acquire_owned().await;
        self.slot = Some(slot.map_err(|source| WorkerError::Closed {
            what: "in-flight slots",
            source,
        })?);
        Ok(())
    }

    async fn wake(&mut self) -> Wake {
        match self.fatal.recv().await {
            Some(e) => Wake::Failed(e),
            // The policy holds a sender: never.
            None => std::future::pending().await,
        }
    }

    async fn poll<S>(&mut self, _: &mut Shutdown<'_, S>) -> Result<Flow, WorkerError> {
        Ok(Flow::Go)
    }

    /// Stops fetching, finishes in-flight work within the bound, commits, leaves.
    async fn join<S>(mut self, _: &mut Shutdown<'_, S>) -> Result<(), WorkerError> {
        let Job {
            shared,
            consumer,
            producer,
            ..
        } = &*self.job;
        drop(self.slot.take());
        shared.health.set_stopping();
        let started = Instant::now();
        tracing::info!("shutting down: finishing in-flight work");
        let config = &shared.config;
        let all = u32::try_from(config.max_in_flight).unwrap_or(u32::MAX);
        let drained =
            tokio::time::timeout(config.shutdown_timeout, self.slots.acquire_many(all)).await;
        // The shutdown waited for in-flight work already: leaving the group does not wait
        // for it again (--revoke-timeout).
        consumer
            .context()
            .shutting_down
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if drained.is_err() {
            tracing::warn!(
                "in-flight work not finished within the shutdown timeout; it will be redone by the next owner"
            );
        }
        if let Err(e) = consumer.commit_consumer_state(CommitMode::Sync) {
            tracing::debug!(error = %e, "nothing to commit at shutdown");
        }
        let _ = producer.flush(std::time::Duration::from_secs(5));
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "offsets committed; leaving the group"
        );
        Ok(())
    }
}

impl Job {
    /// Processes one message, delivers what it became (or its dead letter), and stores
    /// its offset when everything before it is done too. An error is fatal for the worker.
    async fn run(&self, received: Received<Ticket>) -> Result<(), WorkerError> {
        let Received {
            input,
            created_ms,
            ticket,
        } = received;
        let shared = &self.shared;
        if let Some(hook) = &shared.stall_hook {
            hook.hold(input.partition).await;
        }
        let input = Arc::new(input);
        let processed = shared.process(input.clone()).await?;
        shared.observe(&processed);
        let deliveries = processed
            .outputs
            .iter()
            .map(|r| sink::deliver(&self.producer, r, &shared.health));
        match try_join_all(deliveries).await {
            Ok(_) => {}
            Err(fatal @ DeliveryError::Fatal(_)) => return Err(fatal.into()),
            Err(DeliveryError::Refused { topic, error }) => {
                self.refused(&input, &topic, &error).await?
            }
        }
        if let Some(ms) = created_ms {
            let now = chrono::Utc::now().timestamp_millis();
            metrics::histogram!(metric::END_TO_END_SECONDS)
                .record((now - ms).max(0) as f64 / 1000.0);
        }
        if let Some(offset) = self.tracker.finish(&ticket)
            && let Err(e) = self
                .consumer
                .store_offset(&input.topic, input.partition, offset)
        {
            tracing::debug!(error = %e, partition = input.partition, offset, "offset not stored (partition revoked?)");
        }
        Ok(())
    }

    /// The broker refused an output for good: the input goes to the dead-letter topic.
    async fn refused(
        &self,
        input: &InputMessage,
        topic: &str,
        error: &str,
    ) -> Result<(), WorkerError> {
        let config = &self.shared.config;
        tracing::warn!(
            topic,
            error,
            partition = input.partition,
            offset = input.offset,
            "an output was refused for good; dead-lettering the input"
        );
        metrics::counter!(metric::REJECTED, "reason" => "output_rejected").increment(1);
        let letter = fit::rejected_output(
            input,
            &config.topics,
            &self.shared.limits,
            &config.worker_id,
            &format!("{topic}: {error}"),
        );
        sink::deliver(&self.producer, &letter, &self.shared.health)
            .await
            .map_err(|source| WorkerError::DeadLetterRefused {
                dlq: config.topics.dlq.clone(),
                topic: input.topic.clone(),
                partition: input.partition,
                offset: input.offset,
                source,
            })
    }
}
