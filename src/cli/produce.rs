//! `newsflow produce`: publish JSONL articles to the raw topic.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use rdkafka::ClientConfig;

use super::error::{CliError, Context};
use crate::transport::kafka::produce::{ProduceOptions, produce_files};
use crate::transport::kafka::settings::parse_property;

/// Arguments of `newsflow produce`.
#[derive(Debug, Args)]
pub struct ProduceArgs {
    /// JSONL files of RawArticle objects ("-" for standard input, read into memory). Every
    /// line is checked before anything is published: a line the workers would reject
    /// (not JSON, not an object, a field of the wrong type, no text) or one over the
    /// producer's message.max.bytes or the topic's max.message.bytes stops the run, and
    /// nothing is published.
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
    /// Publish every line untouched, articles or not (the workers send the bad ones to
    /// the dead-letter topic); sizes are still checked first.
    #[arg(long)]
    pub raw: bool,
    /// Seconds to wait for the brokers to answer, retrying with a logged backoff.
    #[arg(long, env = "NEWSFLOW_STARTUP_TIMEOUT", default_value_t = 30)]
    pub startup_timeout: u64,
    /// A librdkafka producer property, KEY=VALUE (repeatable), e.g.
    /// -X message.max.bytes=4000000.
    #[arg(short = 'X', value_parser = parse_property)]
    pub properties: Vec<(String, String)>,
}

/// Runs `newsflow produce`.
pub fn run(args: ProduceArgs) -> Result<ExitCode, CliError> {
    super::run::init_logging(Default::default());
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &args.brokers)
        .set("enable.idempotence", "true")
        .set("linger.ms", "10")
        .set("compression.type", "lz4");
    for (k, v) in &args.properties {
        config.set(k, v);
    }
    let options = ProduceOptions {
        topic: args.topic.clone(),
        partitions: args.partitions,
        raw: args.raw,
        startup_timeout: Duration::from_secs(args.startup_timeout),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context(|| "cannot start the async runtime".into())?;
    let started = std::time::Instant::now();
    let summary = runtime.block_on(produce_files(&config, &options, &args.files))?;
    let elapsed = started.elapsed().as_secs_f64();
    let invalid: u64 = summary.invalid_by_reason.values().sum();
    if args.raw {
        let reasons: Vec<String> = summary
            .invalid_by_reason
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect();
        let invalid = if invalid == 0 {
            "all of them articles".to_string()
        } else {
            format!(
                "{invalid} of them not valid articles ({}): the workers will send those to the dead-letter topic",
                reasons.join(", ")
            )
        };
        eprintln!(
            "newsflow produce: published {} lines to {} in {elapsed:.2}s, {invalid}",
            summary.published, args.topic
        );
    } else {
        let articles = if summary.published == 1 {
            "article"
        } else {
            "articles"
        };
        eprintln!(
            "newsflow produce: published {} {articles} to {} in {elapsed:.2}s",
            summary.published, args.topic
        );
    }
    Ok(ExitCode::SUCCESS)
}
