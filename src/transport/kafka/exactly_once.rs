//! Exactly-once, the transactions' commit policy: articles are processed in batches, and
//! each batch's outputs and its input offsets are committed in one Kafka transaction. A
//! read_committed consumer of the output topics sees each article's records exactly once,
//! across crashes and rebalances; an aborted batch is consumed again from its first offset.

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::{join_all, try_join_all};
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::producer::Producer;
use rdkafka::{Offset, TopicPartitionList};

use super::client_log::WorkerProducer;
use super::context::WorkerContext;
use super::error::{TransactionError, WorkerError};
use super::fit;
use super::records::{self, InputMessage};
use super::shared::{WorkerShared, blocking};
use super::sink::{self, ErrorClass};
use super::worker::{CommitPolicy, Flow, MessageRejected, Received, Shutdown, Wake};

const TXN_TIMEOUT: Duration = Duration::from_secs(30);

/// An input's coordinates: topic, partition, offset.
type Coordinates = (String, i32, i64);

/// The exactly-once policy: a batch gathers until it is full or its time is up.
pub(super) struct Transactions {
    shared: Arc<WorkerShared>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: WorkerProducer,
    batch: Vec<InputMessage>,
    /// When the batch being gathered is due.
    deadline: Instant,
    /// Inputs whose outputs the broker refused for good in an aborted transaction: on the
    /// next try they go to the dead-letter topic instead.
    refused: HashSet<Coordinates>,
}

impl Transactions {
    /// The policy over a worker's consumer and transactional producer, whose transactions
    /// it initialises.
    pub(super) fn new(
        shared: Arc<WorkerShared>,
        consumer: Arc<StreamConsumer<WorkerContext>>,
        producer: WorkerProducer,
    ) -> Result<Self, WorkerError> {
        blocking(|| producer.init_transactions(TXN_TIMEOUT))
            .map_err(|e| WorkerError::InitTransactions(Box::new(e)))?;
        Ok(Transactions {
            deadline: Instant::now() + shared.config.transaction_max_wait,
            shared,
            consumer,
            producer,
            batch: Vec::new(),
            refused: HashSet::new(),
        })
    }

    /// Processes the batch and commits it in one transaction, which a shutdown that comes
    /// meanwhile aborts (the batch is the next owner's to redo) unless it came before.
    async fn commit_batch<S: Future<Output = ()>>(
        &mut self,
        shutdown: &mut Shutdown<'_, S>,
    ) -> Result<Flow, WorkerError> {
        let batch = std::mem::take(&mut self.batch);
        let processed = self.process(&batch).await?;
        let attempt = transact(
            &self.shared,
            &self.consumer,
            &self.producer,
            &processed,
            &batch,
            &mut self.refused,
        );
        let mut flow = Flow::Go;
        let result = if shutdown.fired() {
            attempt.await
        } else {
            tokio::select! {
                r = attempt => r,
                _ = shutdown.wait() => {
                    flow = Flow::Stop;
                    Err(TransactionError::ShuttingDown)
                }
            }
        };
        match result {
            Ok(()) => processed.iter().for_each(|p| self.shared.observe(p)),
            Err(e) => self.abort(e, &batch)?,
        }
        self.deadline = Instant::now() + self.shared.config.transaction_max_wait;
        Ok(flow)
    }

    /// Runs the pipeline over the batch in parallel; an input refused in an earlier
    /// transaction becomes its dead letter instead.
    async fn process(
        &mut self,
        batch: &[InputMessage],
    ) -> Result<Vec<records::Processed>, WorkerError> {
        let jobs = batch.iter().cloned().map(|input| {
            let shared = self.shared.clone();
            let was_refused =
                self.refused
                    .remove(&(input.topic.clone(), input.partition, input.offset));
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
        join_all(jobs).await.into_iter().collect()
    }

    /// Aborts a failed transaction and rewinds to the batch's first offsets; a producer
    /// that failed for good, or an abort that fails, stops the worker.
    fn abort(&self, e: TransactionError, batch: &[InputMessage]) -> Result<(), WorkerError> {
        if let Some((code, reason)) = self.producer.client().fatal_error() {
            return Err(WorkerError::TransactionsFatal { code, reason });
        }
        tracing::warn!(error = %e, articles = batch.len(), "transaction failed; aborting and consuming the batch again");
        if let Err(abort) = blocking(|| self.producer.abort_transaction(TXN_TIMEOUT)) {
            return Err(WorkerError::Abort {
                abort: Box::new(abort),
                cause: Box::new(e),
            });
        }
        rewind(&self.consumer, batch);
        Ok(())
    }
}

impl CommitPolicy for Transactions {
    type Ticket = ();

    fn track(&mut self, _: &InputMessage) {}

    fn submit(&mut self, received: Received<()>) -> Result<(), MessageRejected<()>> {
        // Never full: the loop polls before each message, and a full batch commits then.
        self.batch.push(received.input);
        Ok(())
    }

    async fn room(&mut self) -> Result<(), WorkerError> {
        Ok(())
    }

    async fn wake(&mut self) -> Wake {
        if self.batch.is_empty() {
            return std::future::pending().await;
        }
        let wait = self.deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(wait.max(Duration::from_millis(50))).await;
        Wake::Due
    }

    async fn poll<S: Future<Output = ()>>(
        &mut self,
        shutdown: &mut Shutdown<'_, S>,
    ) -> Result<Flow, WorkerError> {
        let full = self.batch.len() >= self.shared.config.transaction_max_messages;
        if self.batch.is_empty() || !(full || Instant::now() >= self.deadline) {
            return Ok(Flow::Go);
        }
        self.commit_batch(shutdown).await
    }

    /// Commits what was gathered when the shutdown came, then lets the group go.
    async fn join<S: Future<Output = ()>>(
        mut self,
        shutdown: &mut Shutdown<'_, S>,
    ) -> Result<(), WorkerError> {
        if !self.batch.is_empty() {
            self.commit_batch(shutdown).await?;
        }
        self.shared.health.set_stopping();
        tracing::info!("exactly-once worker stopped between transactions; leaving the group");
        Ok(())
    }
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
    refused: &mut HashSet<Coordinates>,
) -> Result<(), TransactionError> {
    blocking(|| producer.begin_transaction()).map_err(TransactionError::Begin)?;
    let sends = processed.iter().zip(batch).flat_map(|(p, input)| {
        p.outputs.iter().map(move |r| async move {
            sink::send(producer, r)
                .await
                .map_err(|e| (e, &r.topic, input))
        })
    });
    match tokio::time::timeout(TXN_TIMEOUT, try_join_all(sends)).await {
        Err(_) => return Err(TransactionError::Unacknowledged(TXN_TIMEOUT.as_secs())),
        Ok(Err((source, topic, input))) => {
            if sink::classify(&source) == ErrorClass::Permanent {
                refused.insert((input.topic.clone(), input.partition, input.offset));
            }
            return Err(TransactionError::Send {
                topic: topic.clone(),
                source,
            });
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
            .map_err(TransactionError::Offsets)?;
    }
    let group = consumer.group_metadata().ok_or(TransactionError::NoGroup)?;
    blocking(|| producer.send_offsets_to_transaction(&offsets, &group, TXN_TIMEOUT))
        .map_err(TransactionError::SendOffsets)?;
    blocking(|| producer.commit_transaction(TXN_TIMEOUT)).map_err(TransactionError::Commit)
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
