//! The at-least-once worker: messages of a partition are processed in parallel, and an
//! input offset is stored for commit only once every record produced from it, and from
//! every message before it, has been acknowledged by the broker.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use futures::future::try_join_all;
use rdkafka::Message;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::Headers;
use rdkafka::producer::Producer;
use tokio::sync::Semaphore;

use super::context::WorkerContext;
use super::fit;
use super::offsets::{SharedTracker, Ticket};
use super::records::InputMessage;
use super::sink::{self, DeliveryError};
use super::{WorkerProducer, WorkerShared};

/// How long the worker waits for a free in-flight slot before it pauses fetching.
const PAUSE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// An owned copy of a consumed message with what the pipeline needs.
pub fn input_of<M: Message>(m: &M) -> InputMessage {
    let traceparent = m.headers().and_then(|h| {
        h.iter()
            .find(|h| h.key.eq_ignore_ascii_case("traceparent"))
            .and_then(|h| h.value.map(<[u8]>::to_vec))
    });
    InputMessage {
        topic: m.topic().to_string(),
        partition: m.partition(),
        offset: m.offset(),
        key: m.key().map(<[u8]>::to_vec),
        payload: m.payload().map(<[u8]>::to_vec).unwrap_or_default(),
        traceparent,
    }
}

/// Milliseconds since the epoch of a message's timestamp, if it has one.
pub fn timestamp_ms<M: Message>(m: &M) -> Option<i64> {
    m.timestamp().to_millis().filter(|t| *t > 0)
}

/// A consumed message, copied out of the consumer's buffer and tracked for commit.
struct Received {
    input: InputMessage,
    created_ms: Option<i64>,
    ticket: Ticket,
}

impl Received {
    /// Copies a message and starts tracking it, at once: a revoke that comes later then
    /// knows of it, and its completion is not mistaken for one of a later assignment.
    fn track<M: Message>(m: &M, tracker: &SharedTracker) -> Self {
        metrics::counter!("newsflow_consumed_total").increment(1);
        let input = input_of(m);
        let ticket = tracker
            .lock()
            .begin(&input.topic, input.partition, input.offset);
        Received {
            created_ms: timestamp_ms(m),
            input,
            ticket,
        }
    }
}
/// What one processing task needs.
struct Job {
    shared: Arc<WorkerShared>,
    tracker: Arc<SharedTracker>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: WorkerProducer,
    fatal_tx: tokio::sync::mpsc::Sender<String>,
}

impl Job {
    /// Processes one message, delivers what it became (or its dead letter), and stores
    /// its offset when everything before it is done too. An error is fatal for the worker.
    async fn run(
        &self,
        input: InputMessage,
        created_ms: Option<i64>,
        ticket: Ticket,
    ) -> Result<(), String> {
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
            Err(DeliveryError::Fatal(e)) => return Err(e),
            Err(DeliveryError::Refused { topic, error }) => {
                self.refused(&input, &topic, &error).await?
            }
        }
        if let Some(ms) = created_ms {
            let now = chrono::Utc::now().timestamp_millis();
            metrics::histogram!("newsflow_end_to_end_seconds")
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
    async fn refused(&self, input: &InputMessage, topic: &str, error: &str) -> Result<(), String> {
        let config = &self.shared.config;
        tracing::warn!(
            topic,
            error,
            partition = input.partition,
            offset = input.offset,
            "an output was refused for good; dead-lettering the input"
        );
        metrics::counter!("newsflow_rejected_total", "reason" => "output_rejected").increment(1);
        let letter = fit::rejected_output(
            input,
            &config.topics,
            &self.shared.limits,
            &config.worker_id,
            &format!("{topic}: {error}"),
        );
        sink::deliver(&self.producer, &letter, &self.shared.health)
            .await
            .map_err(|e| {
                format!(
                    "the dead-letter topic {} refused the dead letter of {}/{}/{} too ({e}); check the topic's configuration and restart the worker",
                    config.topics.dlq, input.topic, input.partition, input.offset
                )
            })
    }
}

/// Pauses fetching from every partition now assigned.
fn pause_assignment(consumer: &StreamConsumer<WorkerContext>) {
    if let Ok(assignment) = consumer.assignment()
        && let Err(e) = consumer.pause(&assignment)
    {
        tracing::debug!(error = %e, "could not pause the assignment");
    }
}

/// Resumes fetching from every partition now assigned.
fn resume_assignment(consumer: &StreamConsumer<WorkerContext>) {
    if let Ok(assignment) = consumer.assignment()
        && let Err(e) = consumer.resume(&assignment)
    {
        tracing::debug!(error = %e, "could not resume the assignment");
    }
}

/// Logs a consume error (the broker is down, say), folded with its repeats, and waits a
/// little before the next poll.
pub(super) async fn wait_after_consume_error(
    consumer: &StreamConsumer<WorkerContext>,
    e: &rdkafka::error::KafkaError,
) {
    consumer
        .context()
        .log
        .warn(&format!("consume error; retrying: {e}"));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
}

/// Runs the at-least-once loop until `shutdown` resolves, then drains and commits.
pub async fn run(
    shared: Arc<WorkerShared>,
    tracker: Arc<SharedTracker>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: WorkerProducer,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let config = &shared.config;
    let permits = Arc::new(Semaphore::new(config.max_in_flight));
    let (fatal_tx, mut fatal_rx) = tokio::sync::mpsc::channel::<String>(1);
    tokio::pin!(shutdown);
    // Messages received while every in-flight slot was busy (from partitions assigned
    // during the wait), already tracked, in arrival order.
    let mut waiting: VecDeque<Received> = VecDeque::new();
    'consume: loop {
        let Received {
            input,
            created_ms,
            ticket,
        } = match waiting.pop_front() {
            Some(received) => received,
            None => {
                let message = tokio::select! {
                    _ = &mut shutdown => break 'consume,
                    fatal = fatal_rx.recv() => return Err(fatal.unwrap_or_default()),
                    m = consumer.recv() => m,
                };
                match message {
                    Ok(m) => Received::track(&m, &tracker),
                    Err(e) => {
                        wait_after_consume_error(&consumer, &e).await;
                        continue;
                    }
                }
            }
        };
        // Backpressure: with every slot taken, wait for one (librdkafka's prefetch queue
        // is bounded by queued.max.messages.kbytes). When that lasts (the broker is down,
        // say), pause fetching but go on polling: rebalances are served only while the
        // consumer is polled, and a worker that stops polling during an outage is never
        // given its partitions back. Pausing at once on every short wait would throw the
        // prefetched messages away and refetch them each time.
        let permit = match tokio::time::timeout(PAUSE_AFTER, permits.clone().acquire_owned()).await
        {
            Ok(p) => p.map_err(|e| e.to_string())?,
            Err(_) => {
                tracing::debug!(
                    in_flight = config.max_in_flight,
                    "every in-flight slot busy for 1 s: fetching paused"
                );
                metrics::gauge!("newsflow_fetch_paused").set(1.0);
                pause_assignment(&consumer);
                let permit = loop {
                    tokio::select! {
                        p = permits.clone().acquire_owned() => break p.map_err(|e| e.to_string())?,
                        _ = &mut shutdown => break 'consume,
                        m = consumer.recv() => match m {
                            // From a partition assigned during the wait: keep it, pause it.
                            Ok(m) => {
                                waiting.push_back(Received::track(&m, &tracker));
                                pause_assignment(&consumer);
                            }
                            Err(e) => wait_after_consume_error(&consumer, &e).await,
                        },
                    }
                };
                resume_assignment(&consumer);
                metrics::gauge!("newsflow_fetch_paused").set(0.0);
                tracing::debug!("an in-flight slot freed: fetching resumed");
                permit
            }
        };
        if !tracker.lock().start(&ticket) {
            // Its partition was revoked or lost since it arrived: the next owner (or this
            // worker, when the partition comes back) consumes it again.
            metrics::counter!("newsflow_dropped_after_revoke_total").increment(1);
            continue;
        }
        metrics::gauge!("newsflow_in_flight").increment(1.0);
        let job = Job {
            shared: shared.clone(),
            tracker: tracker.clone(),
            consumer: consumer.clone(),
            producer: producer.clone(),
            fatal_tx: fatal_tx.clone(),
        };
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(fatal) = job.run(input, created_ms, ticket).await {
                let _ = job.fatal_tx.try_send(fatal);
            }
            metrics::gauge!("newsflow_in_flight").decrement(1.0);
        });
    }
    // Stop fetching, finish in-flight work within the bound, commit, leave.
    shared.health.set_stopping();
    let started = Instant::now();
    tracing::info!("shutting down: finishing in-flight work");
    let all = u32::try_from(config.max_in_flight).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(config.shutdown_timeout, permits.acquire_many(all)).await;
    // The shutdown waited for in-flight work already: leaving the group does not wait for
    // it again (--revoke-timeout).
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
