//! The at-least-once worker: messages of a partition are processed in parallel, and an
//! input offset is stored for commit only once every record produced from it, and from
//! every message before it, has been acknowledged by the broker.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures::future::try_join_all;
use rdkafka::Message;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::Headers;
use rdkafka::producer::{FutureProducer, Producer};
use tokio::sync::Semaphore;

use super::WorkerShared;
use super::context::WorkerContext;
use super::offsets::OffsetTracker;
use super::records::{self, InputMessage};
use super::sink;

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

/// Runs the at-least-once loop until `shutdown` resolves, then drains and commits.
pub async fn run(
    shared: Arc<WorkerShared>,
    tracker: Arc<Mutex<OffsetTracker>>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: FutureProducer,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let config = &shared.config;
    let permits = Arc::new(Semaphore::new(config.max_in_flight));
    let (fatal_tx, mut fatal_rx) = tokio::sync::mpsc::channel::<String>(1);
    tokio::pin!(shutdown);
    loop {
        // Backpressure: with every permit taken, stop polling until one frees (librdkafka's
        // prefetch queue is bounded by queued.max.messages.kbytes). When that lasts (the
        // broker is down, say), pause fetching altogether. Pausing at once on every short
        // wait would throw the prefetched messages away and refetch them each time.
        let waited = tokio::time::timeout(PAUSE_AFTER, permits.clone().acquire_owned()).await;
        let permit = match waited {
            Ok(p) => p.map_err(|e| e.to_string())?,
            Err(_) => {
                let assignment = consumer.assignment().ok();
                if let Some(a) = &assignment {
                    let _ = consumer.pause(a);
                }
                let p = tokio::select! {
                    p = permits.clone().acquire_owned() => p.map_err(|e| e.to_string())?,
                    _ = &mut shutdown => break,
                };
                if let Some(a) = &assignment {
                    let _ = consumer.resume(a);
                }
                p
            }
        };
        let message = tokio::select! {
            _ = &mut shutdown => break,
            fatal = fatal_rx.recv() => return Err(fatal.unwrap_or_default()),
            m = consumer.recv() => m,
        };
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "consume error; retrying");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                continue;
            }
        };
        metrics::counter!("newsflow_consumed_total").increment(1);
        let input = input_of(&message);
        let created_ms = timestamp_ms(&message);
        drop(message);
        let ticket = tracker.lock().unwrap_or_else(|p| p.into_inner()).begin(
            &input.topic,
            input.partition,
            input.offset,
        );
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
