//! The at-least-once worker: messages of a partition are processed in parallel, and an
//! input offset is stored for commit only once every record produced from it, and from
//! every message before it, has been acknowledged by the broker.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures::future::try_join_all;
use rdkafka::Message;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::Headers;
use rdkafka::producer::Producer;
use tokio::sync::Semaphore;

use super::context::WorkerContext;
use super::offsets::{OffsetTracker, Ticket};
use super::records::{self, InputMessage};
use super::sink;
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
    fn track<M: Message>(m: &M, tracker: &Mutex<OffsetTracker>) -> Self {
        metrics::counter!("newsflow_consumed_total").increment(1);
        let input = input_of(m);
        let ticket = tracker.lock().unwrap_or_else(|p| p.into_inner()).begin(
            &input.topic,
            input.partition,
            input.offset,
        );
        Received {
            created_ms: timestamp_ms(m),
            input,
            ticket,
        }
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

/// Logs a consume error (the broker is down, say) and waits a little before the next poll.
async fn wait_after_consume_error(e: &rdkafka::error::KafkaError) {
    tracing::warn!(error = %e, "consume error; retrying");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
}

/// Runs the at-least-once loop until `shutdown` resolves, then drains and commits.
pub async fn run(
    shared: Arc<WorkerShared>,
    tracker: Arc<Mutex<OffsetTracker>>,
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
                        wait_after_consume_error(&e).await;
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
                            Err(e) => wait_after_consume_error(&e).await,
                        },
                    }
                };
                resume_assignment(&consumer);
                metrics::gauge!("newsflow_fetch_paused").set(0.0);
                tracing::debug!("an in-flight slot freed: fetching resumed");
                permit
            }
        };
        metrics::gauge!("newsflow_in_flight").increment(1.0);
        let (shared, tracker, consumer, producer, fatal_tx) = (
            shared.clone(),
            tracker.clone(),
            consumer.clone(),
            producer.clone(),
            fatal_tx.clone(),
        );
        tokio::spawn(async move {
            let _permit = permit;
            let job_shared = shared.clone();
            let job_input = input.clone();
            let processed = tokio::task::spawn_blocking(move || {
                records::process(
                    &job_shared.pipeline,
                    &job_input,
                    &job_shared.config.topics,
                    &job_shared.config.worker_id,
                )
            })
            .await;
            let processed = match processed {
                Ok(p) => p,
                Err(e) => {
                    let _ = fatal_tx.try_send(format!("processing task failed: {e}"));
                    return;
                }
            };
            shared.observe(&processed);
            let deliveries = processed
                .outputs
                .iter()
                .map(|r| sink::deliver(&producer, r, &shared.health));
            if let Err(e) = try_join_all(deliveries).await {
                let _ = fatal_tx.try_send(e.to_string());
                return;
            }
            if let Some(ms) = created_ms {
                let now = chrono::Utc::now().timestamp_millis();
                metrics::histogram!("newsflow_end_to_end_seconds")
                    .record((now - ms).max(0) as f64 / 1000.0);
            }
            let store = tracker
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .finish(&ticket);
            if let Some(offset) = store
                && let Err(e) = consumer.store_offset(&input.topic, input.partition, offset)
            {
                tracing::debug!(error = %e, partition = input.partition, offset, "offset not stored (partition revoked?)");
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
