//! Kafka: the worker fleet's transport. Consumes raw articles, runs the same pipeline as
//! `newsflow enrich`, and publishes enriched articles, claims and dead letters.
//!
//! Like Vector's kafka source and Arroyo's strategies, the pieces are small: [`offsets`]
//! decides what may be committed, [`records`] what a message becomes, [`sink`] how a record
//! is delivered, [`worker`] and [`exactly_once`] tie them to a consumer, [`context`] reacts
//! to rebalances.

pub mod admin;
pub mod config;
pub mod context;
pub mod exactly_once;
pub mod offsets;
pub mod produce;
pub mod records;
pub mod sink;
pub mod worker;

use std::sync::{Arc, Mutex};

use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::producer::FutureProducer;

use crate::ops::health::Health;
use crate::pipeline::Pipeline;

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

/// Runs one worker until `shutdown` resolves: creates missing topics if allowed, joins the
/// group, and processes with the configured guarantee.
pub async fn run_worker(
    config: RunConfig,
    pipeline: Pipeline,
    health: Arc<Health>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    if config.create_topics {
        let t = &config.topics;
        admin::ensure_topics(
            &config.producer_config(),
            &[&t.input, &t.enriched, &t.claims, &t.dlq],
            config.topic_partitions,
            config.topic_replication,
        )
        .await?;
    }
    let producer: FutureProducer = config.producer_config().create().map_err(|e| {
        format!(
            "cannot create the Kafka producer: {e}; check --brokers and the producer properties"
        )
    })?;
    let tracker = Arc::new(Mutex::new(offsets::OffsetTracker::new()));
    let context = context::WorkerContext {
        tracker: tracker.clone(),
        health: health.clone(),
        commit_on_revoke: config.guarantee == Guarantee::AtLeastOnce,
    };
    let consumer: StreamConsumer<context::WorkerContext> = config
        .consumer_config()
        .create_with_context(context)
        .map_err(|e| {
            format!(
                "cannot create the Kafka consumer: {e}; check --brokers and the consumer properties"
            )
        })?;
    consumer
        .subscribe(&[&config.topics.input])
        .map_err(|e| format!("cannot subscribe to {}: {e}", config.topics.input))?;
    tracing::info!(
        worker = %config.worker_id,
        group = %config.group_id,
        input = %config.topics.input,
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
