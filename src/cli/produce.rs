//! `newsflow produce`: publish JSONL articles to the raw topic.

use std::process::ExitCode;

use clap::Args;
use rdkafka::ClientConfig;

use crate::transport::kafka::admin::ensure_topics;
use crate::transport::kafka::config::parse_property;
use crate::transport::kafka::produce::produce_files;

/// Arguments of `newsflow produce`.
#[derive(Debug, Args)]
pub struct ProduceArgs {
    /// JSONL files of RawArticle objects ("-" for standard input). Lines are published
    /// untouched, bad ones too (they will reach the dead-letter topic).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Kafka bootstrap servers.
    #[arg(long, env = "NEWSFLOW_BROKERS", default_value = "127.0.0.1:9092")]
    pub brokers: String,
    /// Topic to publish to.
    #[arg(long, env = "NEWSFLOW_INPUT_TOPIC", default_value = "articles.raw")]
    pub topic: String,
    /// Partitions of the topic, if it has to be created.
    #[arg(long, default_value_t = 6)]
    pub partitions: i32,
    /// A librdkafka producer property, KEY=VALUE (repeatable).
    #[arg(short = 'X', value_parser = parse_property)]
    pub properties: Vec<(String, String)>,
}

/// Runs `newsflow produce`.
pub fn run(args: ProduceArgs) -> Result<ExitCode, String> {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &args.brokers)
        .set("enable.idempotence", "true")
        .set("linger.ms", "10")
        .set("compression.type", "lz4");
    for (k, v) in &args.properties {
        config.set(k, v);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let started = std::time::Instant::now();
    let summary = runtime.block_on(async {
        ensure_topics(&config, &[&args.topic], args.partitions, 1).await?;
        produce_files(&config, &args.topic, &args.files).await
    })?;
    eprintln!(
        "newsflow produce: published {} articles to {} in {:.2}s",
        summary.published,
        args.topic,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
