//! Worker configuration: flags, then `NEWSFLOW_*` environment variables, then an optional
//! TOML file, then defaults. librdkafka properties pass straight through, so TLS and SASL
//! work by setting them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use rdkafka::ClientConfig;
use serde::Deserialize;

/// Delivery guarantee of the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Guarantee {
    /// Offsets committed only after every output is acknowledged; duplicates possible
    /// after a crash, never losses.
    #[default]
    AtLeastOnce,
    /// Kafka transactions: outputs and input offsets commit together; read_committed
    /// consumers see each article's records exactly once.
    ExactlyOnce,
}

/// What the worker does when a partition stays stalled past `--stall-action-after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OnStall {
    /// Leave the consumer group and join it again: the partitions are drained, committed
    /// and assigned anew.
    #[default]
    Rejoin,
    /// Exit non-zero, for an orchestrator to restart the worker.
    Exit,
}

/// Log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// `newsflow run` flags. Every flag also reads `NEWSFLOW_<NAME>` and the `--config` file's
/// key of the same name (snake_case); flags win over the environment, the environment over
/// the file.
#[derive(Debug, Args, Default, Clone)]
pub struct RunArgs {
    /// TOML configuration file: the keys below in snake_case, plus [consumer] and
    /// [producer] tables of librdkafka properties.
    #[arg(long, env = "NEWSFLOW_CONFIG")]
    pub config: Option<PathBuf>,
    /// Kafka bootstrap servers. [default: 127.0.0.1:9092]
    #[arg(long, env = "NEWSFLOW_BROKERS")]
    pub brokers: Option<String>,
    /// Seconds to wait at start for the brokers to answer, retrying with a logged backoff,
    /// before the worker creates topics or joins its group; after it, the worker exits
    /// with an error naming the address. 0 tries once. [default: 120]
    #[arg(long, env = "NEWSFLOW_STARTUP_TIMEOUT")]
    pub startup_timeout: Option<u64>,
    /// Consumer group of the worker fleet. [default: newsflow]
    #[arg(long, env = "NEWSFLOW_GROUP_ID")]
    pub group_id: Option<String>,
    /// Topic of raw articles. [default: articles.raw]
    #[arg(long, env = "NEWSFLOW_INPUT_TOPIC")]
    pub input_topic: Option<String>,
    /// Topic of enriched articles (key: article id). [default: articles.enriched]
    #[arg(long, env = "NEWSFLOW_ENRICHED_TOPIC")]
    pub enriched_topic: Option<String>,
    /// Topic of claims, one record per claim (key: claim id). [default: claims]
    #[arg(long, env = "NEWSFLOW_CLAIMS_TOPIC")]
    pub claims_topic: Option<String>,
    /// Dead-letter topic: rejected inputs, untouched, with the reason in headers.
    /// [default: articles.dlq]
    #[arg(long, env = "NEWSFLOW_DLQ_TOPIC")]
    pub dlq_topic: Option<String>,
    /// Create missing topics at start. [default: true]
    #[arg(long, env = "NEWSFLOW_CREATE_TOPICS")]
    pub create_topics: Option<bool>,
    /// Partitions of topics the worker creates. [default: 6]
    #[arg(long, env = "NEWSFLOW_TOPIC_PARTITIONS")]
    pub topic_partitions: Option<i32>,
    /// Replication factor of topics the worker creates. [default: 1]
    #[arg(long, env = "NEWSFLOW_TOPIC_REPLICATION")]
    pub topic_replication: Option<i32>,
    /// Delivery guarantee. [default: at-least-once]
    #[arg(long, value_enum, env = "NEWSFLOW_GUARANTEE")]
    pub guarantee: Option<Guarantee>,
    /// Articles in flight at once, over all partitions; fetching pauses when full.
    /// [default: 1024]
    #[arg(long, env = "NEWSFLOW_MAX_IN_FLIGHT")]
    pub max_in_flight: Option<usize>,
    /// Milliseconds between commits of the offsets of finished articles (at-least-once):
    /// what a crash redoes is about what was produced in one interval. [default: 100]
    #[arg(long, env = "NEWSFLOW_COMMIT_INTERVAL_MS")]
    pub commit_interval_ms: Option<u64>,
    /// Threads that run the pipeline. [default: all cores]
    #[arg(long, env = "NEWSFLOW_THREADS")]
    pub threads: Option<usize>,
    /// Articles per transaction in exactly-once mode. [default: 200]
    #[arg(long, env = "NEWSFLOW_TRANSACTION_MAX_MESSAGES")]
    pub transaction_max_messages: Option<usize>,
    /// Longest a transaction gathers articles, in milliseconds. [default: 200]
    #[arg(long, env = "NEWSFLOW_TRANSACTION_MAX_MS")]
    pub transaction_max_ms: Option<u64>,
    /// Address of the HTTP server for /metrics, /health/live and /health/ready; "off" to
    /// disable. [default: 0.0.0.0:9464]
    #[arg(long, env = "NEWSFLOW_HTTP_LISTEN")]
    pub http_listen: Option<String>,
    /// Share of rejects among the last --dlq-window inputs above which the worker reports
    /// not ready and logs an error. [default: 0.5]
    #[arg(long, env = "NEWSFLOW_DLQ_MAX_RATE")]
    pub dlq_max_rate: Option<f64>,
    /// Inputs over which the reject rate is measured. [default: 200]
    #[arg(long, env = "NEWSFLOW_DLQ_WINDOW")]
    pub dlq_window: Option<usize>,
    /// Seconds to finish in-flight work and commit after SIGTERM or SIGINT. [default: 30]
    #[arg(long, env = "NEWSFLOW_SHUTDOWN_TIMEOUT")]
    pub shutdown_timeout: Option<u64>,
    /// Seconds to wait, on a rebalance, for the running messages of partitions that move
    /// before their offsets are committed and they go. [default: 10]
    #[arg(long, env = "NEWSFLOW_REVOKE_TIMEOUT")]
    pub revoke_timeout: Option<u64>,
    /// Seconds a partition's oldest message may stay unfinished, or its lag stay above
    /// zero with nothing consumed, before the partition counts as stalled: readiness off,
    /// newsflow_partition_stalled set. [default: 60]
    #[arg(long, env = "NEWSFLOW_STALL_TIMEOUT")]
    pub stall_timeout: Option<u64>,
    /// Seconds a partition may stay stalled before the worker acts (--on-stall).
    /// [default: 120]
    #[arg(long, env = "NEWSFLOW_STALL_ACTION_AFTER")]
    pub stall_action_after: Option<u64>,
    /// What to do about a partition stalled past --stall-action-after. [default: rejoin]
    #[arg(long, value_enum, env = "NEWSFLOW_ON_STALL")]
    pub on_stall: Option<OnStall>,
    /// Id of this worker in logs and dead-letter headers. [default: hostname-pid]
    #[arg(long, env = "NEWSFLOW_WORKER_ID")]
    pub worker_id: Option<String>,
    /// Static group membership (KIP-345): the worker id is the consumer's
    /// group.instance.id, so a worker restarted with the same --worker-id within the
    /// session timeout (10 s) gets its partitions back at once instead of waiting for its
    /// dead predecessor's session to expire; a stopped worker's partitions move only after
    /// that timeout. Each worker needs its own stable id. [default: false]
    #[arg(long, env = "NEWSFLOW_STATIC_MEMBERSHIP")]
    pub static_membership: Option<bool>,
    /// Log format. [default: text]
    #[arg(long, value_enum, env = "NEWSFLOW_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Inputs larger than this many bytes go to the dead-letter topic. [default: 64 MiB]
    #[arg(long, env = "NEWSFLOW_MAX_INPUT_BYTES")]
    pub max_input_bytes: Option<usize>,
    /// A librdkafka property for the consumer, KEY=VALUE (repeatable).
    #[arg(long = "consumer-property", value_parser = parse_property)]
    pub consumer_properties: Vec<(String, String)>,
    /// A librdkafka property for the producer, KEY=VALUE (repeatable).
    #[arg(long = "producer-property", value_parser = parse_property)]
    pub producer_properties: Vec<(String, String)>,
    /// A librdkafka property for both consumer and producer, KEY=VALUE (repeatable), e.g.
    /// -X security.protocol=SASL_SSL.
    #[arg(short = 'X', value_parser = parse_property)]
    pub properties: Vec<(String, String)>,
}

/// Parses a `KEY=VALUE` librdkafka property.
pub fn parse_property(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| format!("expected KEY=VALUE, got {text:?}"))
}

/// The TOML file: the same keys as the flags, and librdkafka property tables.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct FileConfig {
    brokers: Option<String>,
    startup_timeout: Option<u64>,
    group_id: Option<String>,
    input_topic: Option<String>,
    enriched_topic: Option<String>,
    claims_topic: Option<String>,
    dlq_topic: Option<String>,
    create_topics: Option<bool>,
    topic_partitions: Option<i32>,
    topic_replication: Option<i32>,
    guarantee: Option<Guarantee>,
    max_in_flight: Option<usize>,
    commit_interval_ms: Option<u64>,
    threads: Option<usize>,
    transaction_max_messages: Option<usize>,
    transaction_max_ms: Option<u64>,
    http_listen: Option<String>,
    dlq_max_rate: Option<f64>,
    dlq_window: Option<usize>,
    shutdown_timeout: Option<u64>,
    revoke_timeout: Option<u64>,
    stall_timeout: Option<u64>,
    stall_action_after: Option<u64>,
    on_stall: Option<OnStall>,
    worker_id: Option<String>,
    static_membership: Option<bool>,
    log_format: Option<LogFormat>,
    max_input_bytes: Option<usize>,
    kafka: BTreeMap<String, String>,
    consumer: BTreeMap<String, String>,
    producer: BTreeMap<String, String>,
}

/// Topic names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    /// Raw articles in.
    pub input: String,
    /// Enriched articles out.
    pub enriched: String,
    /// Claims out.
    pub claims: String,
    /// Dead letters out.
    pub dlq: String,
}

impl Default for Topics {
    /// The topic names a worker uses unless told otherwise.
    fn default() -> Self {
        Topics {
            input: "articles.raw".into(),
            enriched: "articles.enriched".into(),
            claims: "claims".into(),
            dlq: "articles.dlq".into(),
        }
    }
}

/// The resolved worker configuration.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Bootstrap servers.
    pub brokers: String,
    /// How long to wait at start for the brokers.
    pub startup_timeout: Duration,
    /// Consumer group.
    pub group_id: String,
    /// Topic names.
    pub topics: Topics,
    /// Create missing topics.
    pub create_topics: bool,
    /// Partitions of created topics.
    pub topic_partitions: i32,
    /// Replication of created topics.
    pub topic_replication: i32,
    /// Delivery guarantee.
    pub guarantee: Guarantee,
    /// Articles in flight at once.
    pub max_in_flight: usize,
    /// Between commits of finished offsets.
    pub commit_interval: Duration,
    /// Threads that run the pipeline.
    pub threads: usize,
    /// Articles per transaction.
    pub transaction_max_messages: usize,
    /// Longest a transaction gathers articles.
    pub transaction_max_wait: Duration,
    /// HTTP listen address, if enabled.
    pub http_listen: Option<String>,
    /// Reject rate above which readiness turns off.
    pub dlq_max_rate: f64,
    /// Window of the reject rate.
    pub dlq_window: usize,
    /// Bound on the shutdown.
    pub shutdown_timeout: Duration,
    /// Bound on draining partitions that move in a rebalance.
    pub revoke_timeout: Duration,
    /// When a partition counts as stalled.
    pub stall_timeout: Duration,
    /// When the worker acts on a stalled partition.
    pub stall_action_after: Duration,
    /// What it does then.
    pub on_stall: OnStall,
    /// This worker's id.
    pub worker_id: String,
    /// The worker id is the consumer's group.instance.id.
    pub static_membership: bool,
    /// Log format.
    pub log_format: LogFormat,
    /// Input size limit.
    pub max_input_bytes: usize,
    /// librdkafka properties for the consumer (after newsflow's own).
    pub consumer_properties: BTreeMap<String, String>,
    /// librdkafka properties for the producer (after newsflow's own).
    pub producer_properties: BTreeMap<String, String>,
}

impl RunConfig {
    /// Resolves flags and environment (already merged by clap) over the file over defaults.
    pub fn resolve(args: RunArgs) -> Result<Self, String> {
        let file: FileConfig = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let worker_id = args
            .worker_id
            .or(file.worker_id)
            .unwrap_or_else(default_worker_id);
        let http_listen = args
            .http_listen
            .or(file.http_listen)
            .unwrap_or_else(|| "0.0.0.0:9464".into());
        let mut consumer_properties = file.kafka.clone();
        consumer_properties.extend(file.consumer);
        let mut producer_properties = file.kafka;
        producer_properties.extend(file.producer);
        for (k, v) in &args.properties {
            consumer_properties.insert(k.clone(), v.clone());
            producer_properties.insert(k.clone(), v.clone());
        }
        consumer_properties.extend(args.consumer_properties);
        producer_properties.extend(args.producer_properties);
        let default_topics = Topics::default();
        let config = RunConfig {
            brokers: args
                .brokers
                .or(file.brokers)
                .unwrap_or_else(|| "127.0.0.1:9092".into()),
            startup_timeout: Duration::from_secs(
                args.startup_timeout.or(file.startup_timeout).unwrap_or(120),
            ),
            group_id: args
                .group_id
                .or(file.group_id)
                .unwrap_or_else(|| "newsflow".into()),
            topics: Topics {
                input: args
                    .input_topic
                    .or(file.input_topic)
                    .unwrap_or(default_topics.input),
                enriched: args
                    .enriched_topic
                    .or(file.enriched_topic)
                    .unwrap_or(default_topics.enriched),
                claims: args
                    .claims_topic
                    .or(file.claims_topic)
                    .unwrap_or(default_topics.claims),
                dlq: args
                    .dlq_topic
                    .or(file.dlq_topic)
                    .unwrap_or(default_topics.dlq),
            },
            create_topics: args.create_topics.or(file.create_topics).unwrap_or(true),
            topic_partitions: args.topic_partitions.or(file.topic_partitions).unwrap_or(6),
            topic_replication: args
                .topic_replication
                .or(file.topic_replication)
                .unwrap_or(1),
            guarantee: args.guarantee.or(file.guarantee).unwrap_or_default(),
            max_in_flight: args
                .max_in_flight
                .or(file.max_in_flight)
                .unwrap_or(1024)
                .max(1),
            commit_interval: Duration::from_millis(
                args.commit_interval_ms
                    .or(file.commit_interval_ms)
                    .unwrap_or(100)
                    .max(10),
            ),
            threads: args
                .threads
                .or(file.threads)
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
                .max(1),
            transaction_max_messages: args
                .transaction_max_messages
                .or(file.transaction_max_messages)
                .unwrap_or(200)
                .max(1),
            transaction_max_wait: Duration::from_millis(
                args.transaction_max_ms
                    .or(file.transaction_max_ms)
                    .unwrap_or(200),
            ),
            http_listen: (http_listen != "off").then_some(http_listen),
            dlq_max_rate: args.dlq_max_rate.or(file.dlq_max_rate).unwrap_or(0.5),
            dlq_window: args.dlq_window.or(file.dlq_window).unwrap_or(200).max(1),
            shutdown_timeout: Duration::from_secs(
                args.shutdown_timeout
                    .or(file.shutdown_timeout)
                    .unwrap_or(30),
            ),
            revoke_timeout: Duration::from_secs(
                args.revoke_timeout.or(file.revoke_timeout).unwrap_or(10),
            ),
            stall_timeout: Duration::from_secs(
                args.stall_timeout
                    .or(file.stall_timeout)
                    .unwrap_or(60)
                    .max(1),
            ),
            stall_action_after: Duration::from_secs(
                args.stall_action_after
                    .or(file.stall_action_after)
                    .unwrap_or(120)
                    .max(1),
            ),
            on_stall: args.on_stall.or(file.on_stall).unwrap_or_default(),
            worker_id,
            static_membership: args
                .static_membership
                .or(file.static_membership)
                .unwrap_or(false),
            log_format: args.log_format.or(file.log_format).unwrap_or_default(),
            max_input_bytes: args
                .max_input_bytes
                .or(file.max_input_bytes)
                .unwrap_or(64 << 20),
            consumer_properties,
            producer_properties,
        };
        let topics = [
            &config.topics.input,
            &config.topics.enriched,
            &config.topics.claims,
            &config.topics.dlq,
        ];
        if topics.iter().any(|t| t.is_empty()) {
            return Err("topic names must not be empty".into());
        }
        if *topics[0] == *topics[1] || *topics[0] == *topics[3] {
            return Err(format!(
                "the input topic {:?} must differ from the output topics: the worker would consume its own output",
                config.topics.input
            ));
        }
        Ok(config)
    }

    /// The consumer's librdkafka configuration.
    pub fn consumer_config(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.brokers)
            .set("group.id", &self.group_id)
            .set("client.id", format!("newsflow-{}", self.worker_id))
            .set("auto.offset.reset", "earliest")
            .set("enable.auto.offset.store", "false")
            .set("partition.assignment.strategy", "cooperative-sticky")
            .set("statistics.interval.ms", "5000")
            .set("queued.max.messages.kbytes", "32768")
            .set("session.timeout.ms", "10000")
            .set("heartbeat.interval.ms", "1000");
        if self.static_membership {
            c.set("group.instance.id", &self.worker_id);
        }
        match self.guarantee {
            Guarantee::AtLeastOnce => {
                c.set("enable.auto.commit", "true").set(
                    "auto.commit.interval.ms",
                    self.commit_interval.as_millis().to_string(),
                );
            }
            Guarantee::ExactlyOnce => {
                c.set("enable.auto.commit", "false")
                    .set("isolation.level", "read_committed");
            }
        }
        for (k, v) in &self.consumer_properties {
            c.set(k, v);
        }
        c
    }

    /// The producer's librdkafka configuration.
    pub fn producer_config(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.brokers)
            .set("client.id", format!("newsflow-{}", self.worker_id))
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("compression.type", "lz4")
            .set("linger.ms", "5");
        if self.guarantee == Guarantee::AtLeastOnce {
            // Never give up on a message inside librdkafka; the sink retries with backoff.
            c.set("message.timeout.ms", "0");
        } else {
            // A transaction's messages must be delivered within it: librdkafka bounds them
            // by transaction.timeout.ms, and a failure aborts the batch, which is redone.
            c.set(
                "transactional.id",
                format!("newsflow-{}-{}", self.group_id, self.worker_id),
            )
            .set("transaction.timeout.ms", "60000");
        }
        for (k, v) in &self.producer_properties {
            c.set(k, v);
        }
        c
    }
}

fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "worker".into());
    format!("{host}-{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = std::env::temp_dir().join(format!("newsflow-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("newsflow.toml");
        std::fs::write(
            &path,
            "brokers = \"file:9092\"\ngroup_id = \"from-file\"\n[consumer]\n\"fetch.max.bytes\" = \"1000\"\n[kafka]\n\"security.protocol\" = \"SSL\"\n",
        )
        .expect("write");
        let args = RunArgs {
            config: Some(path),
            brokers: Some("flag:9092".into()),
            properties: vec![("sasl.mechanism".into(), "PLAIN".into())],
            ..Default::default()
        };
        let c = RunConfig::resolve(args).expect("resolves");
        assert_eq!(c.brokers, "flag:9092");
        assert_eq!(c.group_id, "from-file");
        assert_eq!(c.topics.input, "articles.raw");
        assert_eq!(c.consumer_properties["fetch.max.bytes"], "1000");
        assert_eq!(c.consumer_properties["security.protocol"], "SSL");
        assert_eq!(c.producer_properties["sasl.mechanism"], "PLAIN");
        assert!(!c.producer_properties.contains_key("fetch.max.bytes"));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn startup_timeout_and_static_membership() {
        let c = RunConfig::resolve(RunArgs::default()).expect("resolves");
        assert_eq!(c.startup_timeout, Duration::from_secs(120));
        assert_eq!(c.consumer_config().get("group.instance.id"), None);
        let c = RunConfig::resolve(RunArgs {
            startup_timeout: Some(5),
            static_membership: Some(true),
            worker_id: Some("pod-1".into()),
            ..Default::default()
        })
        .expect("resolves");
        assert_eq!(c.startup_timeout, Duration::from_secs(5));
        assert_eq!(c.consumer_config().get("group.instance.id"), Some("pod-1"));
    }

    #[test]
    fn the_worker_refuses_to_consume_its_own_output() {
        let args = RunArgs {
            input_topic: Some("same".into()),
            enriched_topic: Some("same".into()),
            ..Default::default()
        };
        assert!(RunConfig::resolve(args).is_err());
    }
}
