//! Producing with acknowledgement: a record is done only when the broker has it.
//!
//! Every producer error is classed by its librdkafka code ([`classify`]):
//! - transient (the broker is down, a leader moved, a queue is full): retried with bounded
//!   exponential backoff, forever; a broker outage makes the worker wait, it never drops
//!   data;
//! - permanent for this record (too large, invalid, corrupt): retrying can never succeed
//!   and would stall the partition, so the caller dead-letters the input instead;
//! - fatal for the producer (fenced, its idempotence state lost, a transaction error): the
//!   worker stops without committing, so nothing is lost either.

use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;

use super::client_log::WorkerProducer;
use super::records::OutputRecord;
use crate::ops::health::Health;
use crate::ops::metric;

/// Longest pause between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// What a producer error means for the record that met it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// A passing fault: retry.
    Transient,
    /// This record can never be accepted: dead-letter its input.
    Permanent,
    /// The producer cannot go on: stop the worker without committing.
    Fatal,
}

/// Classes a producer error by its code. Unknown codes are transient: a wrong "transient"
/// stalls a partition (which the watchdog reports), a wrong "permanent" would drop an
/// article into the dead-letter topic that a retry would have delivered.
pub fn classify(error: &KafkaError) -> ErrorClass {
    use RDKafkaErrorCode as C;
    let code = match error {
        KafkaError::Transaction(_) => return ErrorClass::Fatal,
        KafkaError::MessageProduction(code) => *code,
        KafkaError::Canceled => return ErrorClass::Fatal,
        _ => return ErrorClass::Transient,
    };
    match code {
        C::MessageSizeTooLarge
        | C::InvalidMessageSize
        | C::MessageBatchTooLarge
        | C::InvalidMessage
        | C::InvalidRecord
        | C::BadMessage
        | C::InvalidTimestamp
        | C::InvalidArgument
        | C::KeySerialization
        | C::ValueSerialization => ErrorClass::Permanent,
        C::Fatal
        | C::Fenced
        | C::ProducerFenced
        | C::InvalidProducerEpoch
        | C::TransactionCoordinatorFenced
        | C::InvalidTransactionalState
        | C::InvalidProducerIdMapping
        | C::OutOfOrderSequenceNumber
        | C::TransactionalIdAuthorizationFailed => ErrorClass::Fatal,
        _ => ErrorClass::Transient,
    }
}

/// Why a record was not delivered.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DeliveryError {
    /// The producer could not go on.
    #[error("producer failed fatally: {0}; the worker stops without committing, restart it")]
    Fatal(String),
    /// The broker (or librdkafka) refused this record for good.
    #[error("{topic} refused the record for good: {error}")]
    Refused {
        /// The record's topic.
        topic: String,
        /// The error, as librdkafka words it.
        error: String,
    },
}

/// Sends one record once and waits for the broker's answer. The exactly-once worker uses
/// it as it is: any failure aborts the transaction, whose batch is consumed again.
pub async fn send(producer: &WorkerProducer, record: &OutputRecord) -> Result<(), KafkaError> {
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
    producer
        .send(future, Duration::from_secs(30))
        .await
        .map(|_| {
            metrics::counter!(metric::PRODUCED, "topic" => record.topic.clone()).increment(1);
        })
        .map_err(|(e, _)| e)
}

/// Sends one record and waits for the broker's acknowledgement, retrying transient errors
/// until it comes.
pub async fn deliver(
    producer: &WorkerProducer,
    record: &OutputRecord,
    health: &Health,
) -> Result<(), DeliveryError> {
    let mut backoff = Duration::from_millis(50);
    loop {
        let e = match send(producer, record).await {
            Ok(()) => {
                health.set_producing(true);
                return Ok(());
            }
            Err(e) => e,
        };
        if let Some((code, reason)) = producer.client().fatal_error() {
            return Err(DeliveryError::Fatal(format!("{code:?}: {reason}")));
        }
        match classify(&e) {
            ErrorClass::Fatal => return Err(DeliveryError::Fatal(e.to_string())),
            ErrorClass::Permanent => {
                metrics::counter!(metric::REFUSED, "topic" => record.topic.clone()).increment(1);
                tracing::warn!(topic = %record.topic, error = %e, bytes = record.payload.len(), "record refused for good");
                return Err(DeliveryError::Refused {
                    topic: record.topic.clone(),
                    error: e.to_string(),
                });
            }
            ErrorClass::Transient => {
                health.set_producing(false);
                metrics::counter!(metric::RETRIES).increment(1);
                tracing::warn!(topic = %record.topic, error = %e, retry_in_ms = backoff.as_millis() as u64, "produce failed, retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RDKafkaErrorCode as C;

    fn class(code: RDKafkaErrorCode) -> ErrorClass {
        classify(&KafkaError::MessageProduction(code))
    }

    #[test]
    fn a_record_too_large_or_invalid_is_refused_for_good() {
        for code in [
            C::MessageSizeTooLarge,
            C::InvalidRecord,
            C::InvalidMessage,
            C::MessageBatchTooLarge,
            C::InvalidMessageSize,
        ] {
            assert_eq!(class(code), ErrorClass::Permanent, "{code:?}");
        }
    }

    #[test]
    fn outages_and_moved_leaders_are_retried() {
        for code in [
            C::BrokerTransportFailure,
            C::AllBrokersDown,
            C::MessageTimedOut,
            C::QueueFull,
            C::NotLeaderForPartition,
            C::LeaderNotAvailable,
            C::RequestTimedOut,
            C::NetworkException,
            C::NotEnoughReplicas,
            C::UnknownTopicOrPartition,
            C::TopicAuthorizationFailed,
        ] {
            assert_eq!(class(code), ErrorClass::Transient, "{code:?}");
        }
        assert_eq!(
            classify(&KafkaError::Flush(C::QueueFull)),
            ErrorClass::Transient
        );
    }

    #[test]
    fn a_fenced_producer_stops_the_worker() {
        for code in [
            C::Fenced,
            C::ProducerFenced,
            C::Fatal,
            C::InvalidProducerEpoch,
        ] {
            assert_eq!(class(code), ErrorClass::Fatal, "{code:?}");
        }
        assert_eq!(classify(&KafkaError::Canceled), ErrorClass::Fatal);
    }
}
