//! What stops a worker: each error names what failed (the client and its brokers, the
//! topic, the input's coordinates) and what to do about it, so that the command line only
//! prints it.

use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;

use super::admin::AdminError;
use super::connect::ConnectError;
use super::sink::DeliveryError;

/// Why a worker stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// librdkafka refused to create a client with these properties.
    #[error(
        "cannot create the Kafka {client} for {brokers}: {source}; check --brokers and the {client} properties"
    )]
    Client {
        /// `producer` or `consumer`.
        client: &'static str,
        /// The bootstrap address.
        brokers: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<KafkaError>,
    },
    /// The consumer could not subscribe to the input topic.
    #[error("cannot subscribe to {topic}: {source}")]
    Subscribe {
        /// The input topic.
        topic: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<KafkaError>,
    },
    /// The watchdog left the group over a stall and could not join it again.
    #[error("cannot subscribe to {topic} again after a stall: {source}; restart the worker")]
    Resubscribe {
        /// The input topic.
        topic: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<KafkaError>,
    },
    /// No broker answered at startup.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// Topics could not be created.
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// A pool of the worker's (processing threads, in-flight slots) was closed.
    #[error("{what} closed: {source}")]
    Closed {
        /// Which pool.
        what: &'static str,
        /// Why.
        source: tokio::sync::AcquireError,
    },
    /// A processing task panicked or was cancelled.
    #[error("processing task failed: {0}")]
    Task(#[source] tokio::task::JoinError),
    /// The producer could not go on.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// An input's output was refused for good, and then its dead letter too.
    #[error(
        "the dead-letter topic {dlq} refused the dead letter of {topic}/{partition}/{offset} too ({source}); check the topic's configuration and restart the worker"
    )]
    DeadLetterRefused {
        /// The dead-letter topic.
        dlq: String,
        /// The input's topic.
        topic: String,
        /// The input's partition.
        partition: i32,
        /// The input's offset.
        offset: i64,
        /// Why the dead letter was not delivered.
        source: DeliveryError,
    },
    /// The transactional producer could not start.
    #[error("cannot initialise transactions: {0}")]
    InitTransactions(#[source] Box<KafkaError>),
    /// The transactional producer failed for good.
    #[error("transactional producer failed fatally ({code:?}: {reason}); restart the worker")]
    TransactionsFatal {
        /// librdkafka's code.
        code: RDKafkaErrorCode,
        /// librdkafka's words.
        reason: String,
    },
    /// A failed transaction could not be aborted.
    #[error("cannot abort the transaction ({abort}) after: {cause}; restart the worker")]
    Abort {
        /// Why the abort failed.
        abort: Box<KafkaError>,
        /// Why the transaction failed.
        cause: Box<TransactionError>,
    },
    /// A partition stayed stalled past `--stall-action-after` with `--on-stall exit`.
    #[error(
        "{finding}, past --stall-action-after ({after_s} s); exiting as --on-stall exit asks, for the orchestrator to restart the worker"
    )]
    Stalled {
        /// Which partition, and why.
        finding: String,
        /// The bound, in seconds.
        after_s: u64,
    },
}

/// Why a transaction failed; the batch is aborted and consumed again.
#[derive(Debug, thiserror::Error)]
pub enum TransactionError {
    /// The producer could not begin it.
    #[error("cannot begin the transaction: {0}")]
    Begin(#[source] KafkaError),
    /// The broker did not acknowledge every record within the bound.
    #[error("the batch's records were not acknowledged within {0} s")]
    Unacknowledged(u64),
    /// A record was not delivered.
    #[error("{topic}: {source}")]
    Send {
        /// Its topic.
        topic: String,
        /// Why.
        source: KafkaError,
    },
    /// An offset could not be listed.
    #[error("cannot list the batch's offsets: {0}")]
    Offsets(#[source] KafkaError),
    /// The consumer is not in a group.
    #[error("no consumer group metadata")]
    NoGroup,
    /// The offsets could not join the transaction.
    #[error("cannot send the offsets to the transaction: {0}")]
    SendOffsets(#[source] KafkaError),
    /// The commit failed.
    #[error("cannot commit the transaction: {0}")]
    Commit(#[source] KafkaError),
    /// SIGTERM came while the transaction was open.
    #[error("shutting down mid-transaction")]
    ShuttingDown,
}
