//! The exactly-once worker: articles are processed in batches, and each batch's outputs and
//! its input offsets are committed in one Kafka transaction. A read_committed consumer of
//! the output topics sees each article's records exactly once, across crashes and
//! rebalances; an aborted batch is consumed again from its first offset.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::{join_all, try_join_all};
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::producer::Producer;
use rdkafka::{Offset, TopicPartitionList};

use super::context::WorkerContext;
use super::fit;
use super::records::{self, InputMessage};
use super::sink::{self, ErrorClass};
use super::worker::{input_of, wait_after_consume_error};
use super::{WorkerProducer, WorkerShared, blocking};

const TXN_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the transactional loop until `shutdown` resolves.
pub async fn run(
    shared: Arc<WorkerShared>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: WorkerProducer,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let config = &shared.config;
    blocking(|| producer.init_transactions(TXN_TIMEOUT))
        .map_err(|e| format!("cannot initialise transactions: {e}"))?;
    tokio::pin!(shutdown);
    let mut stopping = false;
    // Inputs whose outputs the broker refused for good in an aborted transaction: on the
    // next try they go to the dead-letter topic instead (topic, partition, offset).
    let mut refused: HashSet<(String, i32, i64)> = HashSet::new();
    while !stopping {
        // Gather a batch.
        let mut batch: Vec<InputMessage> = Vec::new();
        let deadline = Instant::now() + config.transaction_max_wait;
        while batch.len() < config.transaction_max_messages {
            let wait = deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() && !batch.is_empty() {
                break;
            }
            tokio::select! {
                _ = &mut shutdown => { stopping = true; break; }
                m = consumer.recv() => match m {
                    Ok(m) => { metrics::counter!("newsflow_consumed_total").increment(1); batch.push(input_of(&m)); }
                    Err(e) => wait_after_consume_error(&consumer, &e).await,
                },
                _ = tokio::time::sleep(wait.max(Duration::from_millis(50))) => if !batch.is_empty() { break },
            }
        }
        if batch.is_empty() {
            continue;
        }
        // Process in parallel.
        let jobs = batch.iter().cloned().map(|input| {
            let shared = shared.clone();
            let was_refused = refused.remove(&(input.topic.clone(), input.partition, input.offset));
            async move {
                if was_refused {
                    let config = &shared.config;
                    let letter = fit::rejected_output(
                        &input,
                        &config.topics,
                        &shared.limits,
                        &config.worker_id,
                        "refused in an earlier transaction",
                    );
                    return Ok(records::Processed {
                        outputs: vec![letter],
                        times: Default::default(),
                        rejected: Some(crate::record::RejectReason::OutputRejected.as_str()),
                    });
                }
                shared.process(Arc::new(input)).await
            }
        });
        let processed: Vec<records::Processed> =
            join_all(jobs).await.into_iter().collect::<Result<_, _>>()?;
        // Produce and commit in one transaction; a SIGTERM meanwhile aborts it (the batch
        // is the next owner's to redo).
        let attempt = transact(
            &shared,
            &consumer,
            &producer,
            &processed,
            &batch,
            &mut refused,
        );
        let result = if stopping {
            attempt.await
        } else {
            tokio::select! {
                r = attempt => r,
                _ = &mut shutdown => {
                    stopping = true;
                    Err("shutting down mid-transaction".to_string())
                }
            }
        };
        match result {
            Ok(()) => processed.iter().for_each(|p| shared.observe(p)),
            Err(e) => {
                if let Some((code, reason)) = producer.client().fatal_error() {
                    return Err(format!(
                        "transactional producer failed fatally ({code:?}: {reason}); restart the worker"
                    ));
                }
                tracing::warn!(error = %e, articles = batch.len(), "transaction failed; aborting and consuming the batch again");
                if let Err(abort) = blocking(|| producer.abort_transaction(TXN_TIMEOUT)) {
                    return Err(format!(
                        "cannot abort the transaction ({abort}) after: {e}; restart the worker"
                    ));
                }
                rewind(&consumer, &batch);
            }
        }
    }
    shared.health.set_stopping();
    tracing::info!("exactly-once worker stopped between transactions; leaving the group");
    Ok(())
}

/// One transaction: the batch's outputs, then its input offsets, then the commit. Each
/// record is sent once: any failure (or no answer within the transaction's bound) fails the
/// transaction, which the caller aborts and redoes. An input whose output was refused for
/// good is noted in `refused`, to be dead-lettered on the next try.
async fn transact(
    shared: &WorkerShared,
    consumer: &StreamConsumer<WorkerContext>,
    producer: &WorkerProducer,
    processed: &[records::Processed],
    batch: &[InputMessage],
    refused: &mut HashSet<(String, i32, i64)>,
) -> Result<(), String> {
    blocking(|| producer.begin_transaction()).map_err(|e| e.to_string())?;
    let sends = processed.iter().zip(batch).flat_map(|(p, input)| {
        p.outputs.iter().map(move |r| async move {
            sink::send(producer, r)
                .await
                .map_err(|e| (e, &r.topic, input))
        })
    });
    match tokio::time::timeout(TXN_TIMEOUT, try_join_all(sends)).await {
        Err(_) => {
            return Err(format!(
                "the batch's records were not acknowledged within {} s",
                TXN_TIMEOUT.as_secs()
            ));
        }
        Ok(Err((e, topic, input))) => {
            if sink::classify(&e) == ErrorClass::Permanent {
                refused.insert((input.topic.clone(), input.partition, input.offset));
            }
            return Err(format!("{topic}: {e}"));
        }
        Ok(Ok(_)) => shared.health.set_producing(true),
    }
    let mut next: BTreeMap<(String, i32), i64> = BTreeMap::new();
    for m in batch {
        let e = next.entry((m.topic.clone(), m.partition)).or_insert(0);
        *e = (*e).max(m.offset + 1);
    }
    let mut offsets = TopicPartitionList::new();
    for ((topic, partition), offset) in &next {
        offsets
            .add_partition_offset(topic, *partition, Offset::Offset(*offset))
            .map_err(|e| e.to_string())?;
    }
    let group = consumer
        .group_metadata()
        .ok_or("no consumer group metadata")?;
    blocking(|| producer.send_offsets_to_transaction(&offsets, &group, TXN_TIMEOUT))
        .map_err(|e| e.to_string())?;
    blocking(|| producer.commit_transaction(TXN_TIMEOUT)).map_err(|e| e.to_string())
}

/// Seeks every partition of an aborted batch back to its first message.
fn rewind(consumer: &StreamConsumer<WorkerContext>, batch: &[InputMessage]) {
    let mut first: BTreeMap<(String, i32), i64> = BTreeMap::new();
    for m in batch {
        let e = first
            .entry((m.topic.clone(), m.partition))
            .or_insert(m.offset);
        *e = (*e).min(m.offset);
    }
    for ((topic, partition), offset) in first {
        if let Err(e) = consumer.seek(
            &topic,
            partition,
            Offset::Offset(offset),
            Duration::from_secs(10),
        ) {
            tracing::warn!(%topic, partition, offset, error = %e, "cannot rewind (partition revoked?)");
        }
    }
}
