//! Producing with acknowledgement: a record is done only when the broker has it. Errors
//! are retried with bounded exponential backoff, forever: a broker outage makes the worker
//! wait, it never drops data. A fatal producer error (fenced, or the idempotence state
//! lost) ends the worker without committing, so nothing is lost either.

use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureRecord, Producer};

use super::WorkerProducer;
use super::records::OutputRecord;
use crate::ops::health::Health;

/// Longest pause between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The producer could not go on.
#[derive(Debug, Clone, thiserror::Error)]
#[error("producer failed fatally: {0}; the worker stops without committing, restart it")]
pub struct FatalProduceError(pub String);

/// Sends one record and waits for the broker's acknowledgement, retrying until it comes.
pub async fn deliver(
    producer: &WorkerProducer,
    record: &OutputRecord,
    health: &Health,
) -> Result<(), FatalProduceError> {
    let mut backoff = Duration::from_millis(50);
    loop {
        let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
        for (k, v) in &record.headers {
            headers = headers.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let future = FutureRecord::to(&record.topic)
            .key(&record.key)
            .payload(&record.payload)
            .headers(headers);
        match producer.send(future, Duration::from_secs(30)).await {
            Ok(_) => {
                health.set_producing(true);
                metrics::counter!("newsflow_produced_total", "topic" => record.topic.clone())
                    .increment(1);
                return Ok(());
            }
            Err((e, _)) => {
                if let Some((code, reason)) = producer.client().fatal_error() {
                    return Err(FatalProduceError(format!("{code:?}: {reason}")));
                }
                if matches!(e, KafkaError::Transaction(_)) {
                    return Err(FatalProduceError(e.to_string()));
                }
                health.set_producing(false);
                metrics::counter!("newsflow_retries_total").increment(1);
                tracing::warn!(topic = %record.topic, error = %e, retry_in_ms = backoff.as_millis() as u64, "produce failed, retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}
