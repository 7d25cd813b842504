//! Publishing JSONL articles to the raw topic: replay, backfill, tests.

use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use rdkafka::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

use crate::transport::jsonl::{Line, LineReader};

/// What a produce run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProduceSummary {
    /// Lines published.
    pub published: u64,
}

/// Publishes each non-blank line of the files, untouched, keyed by its `id` when it has
/// one (so an article's versions stay in one partition), and waits for every
/// acknowledgement.
pub async fn produce_files(
    config: &ClientConfig,
    topic: &str,
    files: &[String],
) -> Result<ProduceSummary, String> {
    let producer: FutureProducer = config
        .create()
        .map_err(|e| format!("cannot create the Kafka producer: {e}"))?;
    let mut summary = ProduceSummary::default();
    for file in files {
        let mut reader = LineReader::open(file).map_err(|e| e.to_string())?;
        loop {
            let batch = reader
                .next_batch(1000, 8 << 20)
                .map_err(|e| format!("cannot read {file}: {e}"))?;
            if batch.is_empty() {
                break;
            }
            summary.published += produce_lines(&producer, topic, file, &batch).await?;
        }
    }
    Ok(summary)
}

/// Publishes lines and waits for every acknowledgement; returns how many were published.
pub async fn produce_lines(
    producer: &FutureProducer,
    topic: &str,
    source: &str,
    lines: &[Line],
) -> Result<u64, String> {
    let mut pending = FuturesUnordered::new();
    for line in lines {
        let key = serde_json::from_slice::<serde_json::Value>(&line.bytes)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string));
        pending.push(async move {
            let mut record = FutureRecord::to(topic).payload(&line.bytes);
            if let Some(k) = &key {
                record = record.key(k.as_str());
            }
            producer
                .send(record, Duration::from_secs(60))
                .await
                .map_err(|(e, _)| {
                    format!(
                        "{source} line {}: not published to {topic}: {e}",
                        line.number
                    )
                })
        });
    }
    let mut published = 0;
    while let Some(result) = pending.next().await {
        result?;
        published += 1;
    }
    Ok(published)
}
