//! Kafka: the worker fleet's transport. Consumes raw articles, runs the same pipeline as
//! `newsflow enrich`, and publishes enriched articles, claims and dead letters.
//!
//! Like Vector's kafka source and Arroyo's strategies, the pieces are small: [`offsets`]
//! decides what may be committed, [`records`] what a message becomes, [`sink`] how a record
//! is delivered, [`worker`] and [`exactly_once`] tie them to a consumer, [`context`] reacts
//! to rebalances.

pub mod admin;
pub mod client_log;
pub mod config;
pub mod connect;
pub mod context;
pub mod exactly_once;
pub mod offsets;
pub mod produce;
pub mod produce_check;
pub mod records;
pub mod sink;
pub mod worker;

use std::sync::{Arc, Mutex};

use rdkafka::consumer::{Consumer, StreamConsumer};

use crate::ops::health::Health;
use crate::pipeline::Pipeline;

pub use client_log::WorkerProducer;
pub use config::{Guarantee, LogFormat, RunArgs, RunConfig, Topics};

/// What every processing task of a worker shares.
pub struct WorkerShared {
    /// The stages.
    pub pipeline: Pipeline,
    /// The configuration.
    pub config: RunConfig,
    /// Health and readiness.
    pub health: Arc<Health>,
}

impl WorkerShared {
    /// Records metrics and health for one processed input.
    pub fn observe(&self, processed: &records::Processed) {
        let t = &processed.times;
        for (stage, d) in [
            ("normalize", t.normalize),
            ("entities", t.entities),
            ("claims", t.claims),
        ] {
            if !d.is_zero() {
                metrics::histogram!("newsflow_stage_seconds", "stage" => stage)
                    .record(d.as_secs_f64());
            }
        }
        if let Some(reason) = processed.rejected {
            metrics::counter!("newsflow_rejected_total", "reason" => reason).increment(1);
        }
        if let Some(rate) = self.health.record(processed.rejected.is_some()) {
            tracing::error!(
                rate,
                threshold = self.config.dlq_max_rate,
                window = self.config.dlq_window,
                "DEAD-LETTER RATE ABOVE THRESHOLD: readiness is off; check the upstream scrapers and the dead-letter topic"
            );
        }
    }
}

/// Waits for the brokers through the worker's producer, up to the startup timeout, then
/// creates the missing topics if allowed (or says which are missing).
pub async fn prepare_cluster(config: &RunConfig, producer: &WorkerProducer) -> Result<(), String> {
    let brokers = config.brokers.as_str();
    let cluster = connect::wait_for_brokers(producer, brokers, config.startup_timeout)
        .await
        .map_err(|e| e.to_string())?;
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
    let admin = connect::admin_client(&admin_config, brokers).map_err(|e| e.to_string())?;
    admin::create_topics(
        &admin,
        brokers,
        &missing,
        config.topic_partitions,
        config.topic_replication,
    )
    .await
}

/// Runs one worker until `shutdown` resolves: reaches the brokers and creates missing
/// topics if allowed ([`prepare_cluster`]), joins the group, and processes with the
/// configured guarantee.
pub async fn run_worker(
    config: RunConfig,
    pipeline: Pipeline,
    health: Arc<Health>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let producer: WorkerProducer = config
        .producer_config()
        .create_with_context(client_log::LogContext::new("producer", &config.brokers))
        .map_err(|e| {
            format!(
                "cannot create the Kafka producer for {}: {e}; check --brokers and the producer properties",
                config.brokers
            )
        })?;
    tokio::pin!(shutdown);
    tokio::select! {
        prepared = prepare_cluster(&config, &producer) => prepared?,
        _ = &mut shutdown => {
            tracing::info!(brokers = %config.brokers, "stopped before the brokers were reached");
            return Ok(());
        }
    }
    let tracker = Arc::new(Mutex::new(offsets::OffsetTracker::new()));
    let context = context::WorkerContext {
        tracker: tracker.clone(),
        health: health.clone(),
        commit_on_revoke: config.guarantee == Guarantee::AtLeastOnce,
        log: client_log::ClientLog::new("consumer", &config.brokers),
    };
    let consumer: StreamConsumer<context::WorkerContext> = config
        .consumer_config()
        .create_with_context(context)
        .map_err(|e| {
            format!(
                "cannot create the Kafka consumer for {}: {e}; check --brokers and the consumer properties",
                config.brokers
            )
        })?;
    consumer
        .subscribe(&[&config.topics.input])
        .map_err(|e| format!("cannot subscribe to {}: {e}", config.topics.input))?;
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
    let shared = Arc::new(WorkerShared {
        pipeline,
        config,
        health,
    });
    match guarantee {
        Guarantee::AtLeastOnce => worker::run(shared, tracker, consumer, producer, shutdown).await,
        Guarantee::ExactlyOnce => exactly_once::run(shared, consumer, producer, shutdown).await,
    }
}
