//! Kafka: the worker fleet's transport. Consumes raw articles, runs the same pipeline as
//! `newsflow enrich`, and publishes enriched articles, claims and dead letters.
//!
//! Like Vector's kafka source and Arroyo's strategies, the pieces are small: [`records`]
//! decides what a message becomes, [`fit`] makes it fit its topics, [`sink`] how a record
//! is delivered; [`worker`] is the one loop that ties them to a consumer, with one of two
//! commit policies, [`at_least_once`] (the [`offsets`] tracker) or [`exactly_once`]
//! (transactions); [`context`] reacts to rebalances, [`watchdog`] to stalls. [`settings`]
//! holds every setting of `newsflow run` with its default, [`config`] what they resolve to.

pub mod admin;
pub mod at_least_once;
pub mod client_log;
pub mod config;
pub mod connect;
pub mod context;
pub mod error;
pub mod exactly_once;
pub mod fit;
pub mod offsets;
pub mod produce;
pub mod produce_check;
pub mod records;
pub mod settings;
pub mod shared;
pub mod sink;
pub mod watchdog;
pub mod worker;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rdkafka::consumer::{Consumer, StreamConsumer};

use crate::ops::health::Health;
use crate::pipeline::Pipeline;

pub use client_log::WorkerProducer;
pub use config::{ConfigError, RunConfig, Topics};
pub use error::WorkerError;
pub use settings::{Guarantee, LogFormat, OnStall, RunArgs};
pub use shared::WorkerShared;

/// Waits for the brokers through the worker's producer, up to the startup timeout, then
/// creates the missing topics if allowed (or says which are missing).
pub async fn prepare_cluster(
    config: &RunConfig,
    producer: &WorkerProducer,
) -> Result<(), WorkerError> {
    let brokers = config.brokers.as_str();
    let cluster = connect::wait_for_brokers(producer, brokers, config.startup_timeout).await?;
    let t = &config.topics;
    let missing: Vec<&str> = [&t.input, &t.enriched, &t.claims, &t.dlq]
        .into_iter()
        .filter(|topic| !cluster.topics.contains(topic.as_str()))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !config.create_topics {
        tracing::warn!(
            brokers,
            topics = ?missing,
            "topics missing on the brokers at {brokers}: {missing:?}; the worker waits for its input topic and retries publishing to a missing output topic: create them, or run with --create-topics true"
        );
        return Ok(());
    }
    let mut admin_config = config.producer_config();
    admin_config.remove("transactional.id");
    let (admin, _) = admin::client(&admin_config)?;
    admin::create_topics(
        &admin,
        brokers,
        &missing,
        config.topic_partitions,
        config.topic_replication,
    )
    .await?;
    Ok(())
}

/// Runs one worker until `shutdown` resolves: reaches the brokers and creates missing
/// topics if allowed ([`prepare_cluster`]), joins the group, and processes with the
/// configured guarantee.
pub async fn run_worker(
    config: RunConfig,
    pipeline: Pipeline,
    health: Arc<Health>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), WorkerError> {
    let producer: WorkerProducer = config
        .producer_config()
        .create_with_context(client_log::LogContext::new("producer", &config.brokers))
        .map_err(|source| WorkerError::Client {
            client: "producer",
            brokers: config.brokers.clone(),
            source: Box::new(source),
        })?;
    tokio::pin!(shutdown);
    tokio::select! {
        prepared = prepare_cluster(&config, &producer) => prepared?,
        _ = &mut shutdown => {
            tracing::info!(brokers = %config.brokers, "stopped before the brokers were reached");
            return Ok(());
        }
    }
    let limits = size_limits(&config).await;
    let tracker = Arc::new(offsets::SharedTracker::new());
    let lag = Arc::new(Mutex::new(HashMap::new()));
    let context = context::WorkerContext {
        tracker: tracker.clone(),
        health: health.clone(),
        commit_on_revoke: config.guarantee == Guarantee::AtLeastOnce,
        revoke_timeout: config.revoke_timeout,
        shutting_down: std::sync::atomic::AtomicBool::new(false),
        lag: lag.clone(),
        log: client_log::ClientLog::new("consumer", &config.brokers),
    };
    let consumer: StreamConsumer<context::WorkerContext> = config
        .consumer_config()
        .create_with_context(context)
        .map_err(|source| WorkerError::Client {
            client: "consumer",
            brokers: config.brokers.clone(),
            source: Box::new(source),
        })?;
    consumer
        .subscribe(&[&config.topics.input])
        .map_err(|source| WorkerError::Subscribe {
            topic: config.topics.input.clone(),
            source: Box::new(source),
        })?;
    tracing::info!(
        worker = %config.worker_id,
        group = %config.group_id,
        input = %config.topics.input,
        brokers = %config.brokers,
        guarantee = ?config.guarantee,
        "worker started"
    );
    let consumer = Arc::new(consumer);
    let guarantee = config.guarantee;
    let threads = config.threads;
    let shared = Arc::new(WorkerShared {
        pipeline,
        config,
        health,
        limits,
        stall_hook: watchdog::StallHook::from_env(),
        cpu: Arc::new(tokio::sync::Semaphore::new(threads)),
    });
    let watchdog = watchdog::run(shared.clone(), tracker.clone(), lag, consumer.clone());
    let work = async {
        match guarantee {
            Guarantee::AtLeastOnce => {
                let policy = at_least_once::OffsetTracking::new(
                    shared.clone(),
                    tracker,
                    consumer.clone(),
                    producer,
                );
                worker::run(policy, &consumer, shutdown).await
            }
            Guarantee::ExactlyOnce => {
                let policy =
                    exactly_once::Transactions::new(shared.clone(), consumer.clone(), producer)?;
                worker::run(policy, &consumer, shutdown).await
            }
        }
    };
    tokio::select! {
        result = work => result,
        Err(e) = watchdog => Err(e),
    }
}

/// The largest record each output topic takes: the producer's `message.max.bytes`, or the
/// topic's `max.message.bytes` where the broker says it is lower.
async fn size_limits(config: &RunConfig) -> fit::SizeLimits {
    let producer_max = config
        .producer_properties
        .get("message.max.bytes")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(fit::DEFAULT_PRODUCER_MAX_BYTES);
    let t = &config.topics;
    let topics = [t.enriched.as_str(), t.claims.as_str(), t.dlq.as_str()];
    let read = admin::max_message_bytes(&config.producer_config(), &topics).await;
    let by_topic = read.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "topic size limits unknown; using the producer's message.max.bytes alone");
        HashMap::new()
    });
    let limit = |topic: &str| {
        by_topic
            .get(topic)
            .map_or(producer_max, |b| (*b).min(producer_max))
    };
    let limits = fit::SizeLimits {
        enriched: limit(&t.enriched),
        claims: limit(&t.claims),
        dlq: limit(&t.dlq),
    };
    tracing::info!(
        enriched = limits.enriched,
        claims = limits.claims,
        dlq = limits.dlq,
        "record size limits"
    );
    limits
}
