//! Reaching the brokers at startup: metadata is fetched, with a bounded and logged backoff,
//! before a worker creates topics or joins its group, so that a wrong address or a broker
//! that is down is said at once, with the address, and a broker that comes up late is
//! waited for.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::producer::{FutureProducer, Producer};

/// Longest one metadata request may wait for an answer (the first waits 1 s, the next
/// twice as long, up to this).
const ATTEMPT_MAX: Duration = Duration::from_secs(5);
/// Shortest one metadata request may wait, even when the timeout is (nearly) over.
const ATTEMPT_MIN: Duration = Duration::from_secs(1);
/// Longest pause between two attempts.
const WAIT_MAX: Duration = Duration::from_secs(10);

/// What the brokers said when they were reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cluster {
    /// Topics that exist.
    pub topics: BTreeSet<String>,
    /// The brokers of the cluster, `id@host:port`, as they advertise themselves.
    pub brokers: Vec<String>,
}

/// No broker answered within the startup timeout.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot reach the Kafka brokers at {brokers}: no answer within {waited_s} s ({attempts} attempt(s); last error: {last}). Check that the broker is running and that {brokers} is its address as seen from this machine (--brokers or NEWSFLOW_BROKERS), with the security settings it needs (-X security.protocol=...); --startup-timeout sets how long to wait"
)]
pub struct ConnectError {
    /// The bootstrap address.
    pub brokers: String,
    /// Seconds waited.
    pub waited_s: u64,
    /// Metadata requests made.
    pub attempts: u32,
    /// The last attempt's error.
    pub last: FetchError,
}

/// Why one metadata request failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The blocking task that made it failed.
    #[error("the metadata request failed: {0}")]
    Task(#[source] tokio::task::JoinError),
    /// librdkafka's answer (boxed: its errors are large).
    #[error(transparent)]
    Kafka(Box<rdkafka::error::KafkaError>),
    /// An answer without brokers.
    #[error("the cluster's metadata lists no broker")]
    NoBroker,
}

/// How long attempt `attempt` (1-based) waits for an answer: 1 s, doubling, at most 5 s.
fn attempt_limit(attempt: u32) -> Duration {
    (ATTEMPT_MIN * (1 << attempt.saturating_sub(1).min(8))).min(ATTEMPT_MAX)
}

/// The pause after failed attempt `attempt` (1-based): 0.5 s, doubling, at most 10 s.
pub fn backoff(attempt: u32) -> Duration {
    let exp = attempt.saturating_sub(1).min(8);
    (Duration::from_millis(500) * (1 << exp)).min(WAIT_MAX)
}

/// Fetches the cluster's metadata through `producer` until it comes or `timeout` has
/// passed, logging each failed attempt with the address and the next wait (the producer's
/// own librdkafka lines say why: connection refused, name not resolved, ...). At least one
/// attempt is made.
pub async fn wait_for_brokers<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    brokers: &str,
    timeout: Duration,
) -> Result<Cluster, ConnectError> {
    let started = Instant::now();
    let deadline = started + timeout;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let limit = remaining.min(attempt_limit(attempt)).max(ATTEMPT_MIN);
        let error = match fetch(producer.clone(), limit).await {
            Ok(cluster) => {
                tracing::info!(
                    brokers,
                    cluster = ?cluster.brokers,
                    attempts = attempt,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "Kafka brokers reached at {brokers}"
                );
                return Ok(cluster);
            }
            Err(e) => e,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ConnectError {
                brokers: brokers.to_string(),
                waited_s: started.elapsed().as_secs_f64().round() as u64,
                attempts: attempt,
                last: error,
            });
        }
        let wait = backoff(attempt).min(left);
        tracing::warn!(
            brokers,
            attempt,
            error = %error,
            retry_in_ms = wait.as_millis() as u64,
            "cannot reach the Kafka brokers at {brokers} (attempt {attempt}); next attempt in {:.1} s, giving up in {:.0} s",
            wait.as_secs_f64(),
            left.as_secs_f64().ceil()
        );
        tokio::time::sleep(wait).await;
    }
}

/// One metadata request, off the async threads (librdkafka's call blocks).
async fn fetch<C: ClientContext + 'static>(
    producer: FutureProducer<C>,
    limit: Duration,
) -> Result<Cluster, FetchError> {
    let metadata =
        tokio::task::spawn_blocking(move || producer.client().fetch_metadata(None, limit))
            .await
            .map_err(FetchError::Task)?
            .map_err(|e| FetchError::Kafka(Box::new(e)))?;
    if metadata.brokers().is_empty() {
        return Err(FetchError::NoBroker);
    }
    Ok(Cluster {
        topics: metadata
            .topics()
            .iter()
            .filter(|t| t.error().is_none())
            .map(|t| t.name().to_string())
            .collect(),
        brokers: metadata
            .brokers()
            .iter()
            .map(|b| format!("{}@{}:{}", b.id(), b.host(), b.port()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use rdkafka::ClientConfig;

    use super::*;
    use crate::transport::kafka::client_log::LogContext;

    #[test]
    fn the_backoff_doubles_up_to_ten_seconds() {
        let waits: Vec<u64> = (1..=7).map(|a| backoff(a).as_millis() as u64).collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
        assert_eq!(backoff(u32::MAX), WAIT_MAX);
        let limits: Vec<u64> = (1..=5).map(|a| attempt_limit(a).as_secs()).collect();
        assert_eq!(limits, [1, 2, 4, 5, 5]);
    }

    #[test]
    fn an_unreachable_address_is_named_after_the_timeout() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let brokers = "127.0.0.1:1";
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", brokers);
        let producer: FutureProducer<LogContext> = config
            .create_with_context(LogContext::new("producer", brokers))
            .expect("producer");
        let started = Instant::now();
        let error = runtime
            .block_on(wait_for_brokers(
                &producer,
                brokers,
                Duration::from_millis(1500),
            ))
            .expect_err("nothing listens on port 1");
        assert!(started.elapsed() < Duration::from_secs(5));
        let text = error.to_string();
        assert!(text.contains("127.0.0.1:1"), "{text}");
        assert!(text.contains("--startup-timeout"), "{text}");
        // 1 s, a 0.5 s pause, then the last 1 s.
        assert!(error.attempts == 2, "{text}");
    }
}
