//! The worker's configuration, resolved from its [settings](super::settings): durations,
//! topic names, the librdkafka properties of each client, checked once at start.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use rdkafka::ClientConfig;

use super::settings::{Guarantee, LogFormat, OnStall, RunArgs, Settings};
use crate::pipeline::Limits;

/// Why the settings do not make a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The `--config` file cannot be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The `--config` file is not TOML of the settings' keys.
    #[error("config file {}: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What and where.
        source: toml::de::Error,
    },
    /// A topic name is empty.
    #[error("topic names must not be empty")]
    EmptyTopic,
    /// The input topic is one of the output topics.
    #[error(
        "the input topic {0:?} must differ from the output topics: the worker would consume its own output"
    )]
    ConsumesOwnOutput(String),
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
        let s = Settings::default();
        Topics {
            input: s.input_topic,
            enriched: s.enriched_topic,
            claims: s.claims_topic,
            dlq: s.dlq_topic,
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
    /// The pipeline's limits on inputs and bodies.
    pub limits: Limits,
    /// Paragraph and sentence spans carry their text (`--full-texts`).
    pub full_texts: bool,
    /// librdkafka properties for the consumer (after newsflow's own).
    pub consumer_properties: BTreeMap<String, String>,
    /// librdkafka properties for the producer (after newsflow's own).
    pub producer_properties: BTreeMap<String, String>,
}

impl RunConfig {
    /// Resolves flags and environment (already merged by clap) over the `--config` file
    /// over the defaults, and checks the topics.
    pub fn resolve(args: RunArgs) -> Result<Self, ConfigError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => RunArgs::default(),
        };
        let settings = args.settings_over(&file);
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
        let config = RunConfig::of(settings, consumer_properties, producer_properties);
        config.check_topics()?;
        Ok(config)
    }

    /// The configuration of resolved settings, with the bounds that keep a worker going
    /// (at least one slot, thread, message, second).
    fn of(
        s: Settings,
        consumer_properties: BTreeMap<String, String>,
        producer_properties: BTreeMap<String, String>,
    ) -> Self {
        RunConfig {
            brokers: s.brokers,
            startup_timeout: Duration::from_secs(s.startup_timeout),
            group_id: s.group_id,
            topics: Topics {
                input: s.input_topic,
                enriched: s.enriched_topic,
                claims: s.claims_topic,
                dlq: s.dlq_topic,
            },
            create_topics: s.create_topics,
            topic_partitions: s.topic_partitions,
            topic_replication: s.topic_replication,
            guarantee: s.guarantee,
            max_in_flight: s.max_in_flight.max(1),
            commit_interval: Duration::from_millis(s.commit_interval_ms.max(10)),
            threads: s.threads.max(1),
            transaction_max_messages: s.transaction_max_messages.max(1),
            transaction_max_wait: Duration::from_millis(s.transaction_max_ms),
            http_listen: (s.http_listen != "off").then_some(s.http_listen),
            dlq_max_rate: s.dlq_max_rate,
            dlq_window: s.dlq_window.max(1),
            shutdown_timeout: Duration::from_secs(s.shutdown_timeout),
            revoke_timeout: Duration::from_secs(s.revoke_timeout),
            stall_timeout: Duration::from_secs(s.stall_timeout.max(1)),
            stall_action_after: Duration::from_secs(s.stall_action_after.max(1)),
            on_stall: s.on_stall,
            worker_id: s.worker_id,
            static_membership: s.static_membership,
            log_format: s.log_format,
            limits: Limits {
                max_input_bytes: s.max_input_bytes,
                max_body_chars: s.max_body_chars,
                date_order: s.date_order,
            },
            full_texts: s.full_texts,
            consumer_properties,
            producer_properties,
        }
    }

    /// Topic names must be given, and the worker must not consume its own output.
    fn check_topics(&self) -> Result<(), ConfigError> {
        let t = &self.topics;
        if [&t.input, &t.enriched, &t.claims, &t.dlq]
            .iter()
            .any(|t| t.is_empty())
        {
            return Err(ConfigError::EmptyTopic);
        }
        if t.input == t.enriched || t.input == t.dlq {
            return Err(ConfigError::ConsumesOwnOutput(t.input.clone()));
        }
        Ok(())
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

/// The `--config` file's settings.
fn read_file(path: &std::path::Path) -> Result<RunArgs, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_path_buf(),
        source,
    })
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
        assert!(matches!(
            RunConfig::resolve(args),
            Err(ConfigError::ConsumesOwnOutput(_))
        ));
    }

    #[test]
    fn max_body_chars_comes_from_a_flag_or_the_file_or_the_pipeline_default() {
        let c = RunConfig::resolve(RunArgs::default()).expect("resolves");
        assert_eq!(c.limits.max_body_chars, Limits::default().max_body_chars);
        assert_eq!(c.limits.max_input_bytes, Limits::default().max_input_bytes);
        let dir = std::env::temp_dir().join(format!("newsflow-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("newsflow.toml");
        std::fs::write(&path, "max_body_chars = 5000\n").expect("write");
        let c = RunConfig::resolve(RunArgs {
            config: Some(path.clone()),
            ..Default::default()
        })
        .expect("resolves");
        assert_eq!(c.limits.max_body_chars, 5000);
        let c = RunConfig::resolve(RunArgs {
            config: Some(path),
            max_body_chars: Some(700),
            ..Default::default()
        })
        .expect("resolves");
        assert_eq!(c.limits.max_body_chars, 700);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_unknown_key_in_the_file_is_an_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("newsflow-unknown-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("newsflow.toml");
        std::fs::write(&path, "brokerz = \"x\"\n").expect("write");
        let e = RunConfig::resolve(RunArgs {
            config: Some(path),
            ..Default::default()
        })
        .expect_err("unknown key");
        assert!(e.to_string().starts_with("config file "), "{e}");
        assert!(e.to_string().contains("brokerz"), "{e}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
