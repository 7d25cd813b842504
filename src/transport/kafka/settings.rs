//! Every setting of `newsflow run`, written once: its flag, its `NEWSFLOW_*` environment
//! variable, its key in the `--config` TOML file and its default come from one entry of
//! the table below (after Vector's one configurable struct per component). Flags win over
//! the environment (clap reads both), the environment over the file, the file over the
//! default. librdkafka properties pass straight through, so TLS and SASL work by setting
//! them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Args, ValueEnum};
use serde::Deserialize;

use crate::pipeline::Limits;
use crate::pipeline::times::DateOrder;

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

/// Parses a `KEY=VALUE` librdkafka property.
pub fn parse_property(text: &str) -> Result<(String, String), PropertyError> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| PropertyError(text.to_string()))
}

/// A librdkafka property that is not `KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected KEY=VALUE, got {0:?}")]
pub struct PropertyError(pub String);

/// A default as `--help` shows it.
trait Shown {
    fn shown(&self) -> String;
}

macro_rules! shown_by_display {
    ($($t:ty),+) => { $(impl Shown for $t { fn shown(&self) -> String { self.to_string() } })+ };
}
shown_by_display!(String, u64, usize, i32, bool, f64);

macro_rules! shown_by_value_name {
    ($($t:ty),+) => {
        $(impl Shown for $t {
            fn shown(&self) -> String {
                self.to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default()
            }
        })+
    };
}
shown_by_value_name!(Guarantee, OnStall, LogFormat, DateOrder);

/// The defaults, computed once.
fn defaults() -> &'static Settings {
    static DEFAULTS: OnceLock<Settings> = OnceLock::new();
    DEFAULTS.get_or_init(Settings::default)
}

/// A setting's help: its doc, and its default.
fn help(doc: &str, default: String) -> String {
    format!("{} [default: {default}]", doc.trim())
}

macro_rules! settings {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident: $ty:ty = $default:expr, env $env:literal $(, shown $shown:literal)?;
    )+) => {
        /// `newsflow run` settings as given: the flags and environment variables (clap reads
        /// both), or the `--config` file (the same keys in snake_case, plus `[kafka]`,
        /// `[consumer]` and `[producer]` tables of librdkafka properties). A setting not
        /// given is `None`.
        #[derive(Debug, Args, Default, Clone, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct RunArgs {
            /// TOML configuration file: the keys below in snake_case, plus [consumer] and
            /// [producer] tables of librdkafka properties.
            #[arg(long, env = "NEWSFLOW_CONFIG")]
            #[serde(skip)]
            pub config: Option<PathBuf>,
            $(
                $(#[doc = $doc])+
                #[arg(long, env = $env, help = help(
                    concat!($($doc),+),
                    settings!(@shown $name $($shown)?),
                ))]
                pub $name: Option<$ty>,
            )+
            /// A librdkafka property for the consumer, KEY=VALUE (repeatable).
            #[arg(long = "consumer-property", value_parser = parse_property)]
            #[serde(skip)]
            pub consumer_properties: Vec<(String, String)>,
            /// A librdkafka property for the producer, KEY=VALUE (repeatable).
            #[arg(long = "producer-property", value_parser = parse_property)]
            #[serde(skip)]
            pub producer_properties: Vec<(String, String)>,
            /// A librdkafka property for both consumer and producer, KEY=VALUE
            /// (repeatable), e.g. -X security.protocol=SASL_SSL.
            #[arg(short = 'X', value_parser = parse_property)]
            #[serde(skip)]
            pub properties: Vec<(String, String)>,
            /// The file's librdkafka properties for both clients.
            #[arg(skip)]
            pub kafka: BTreeMap<String, String>,
            /// The file's librdkafka properties for the consumer.
            #[arg(skip)]
            pub consumer: BTreeMap<String, String>,
            /// The file's librdkafka properties for the producer.
            #[arg(skip)]
            pub producer: BTreeMap<String, String>,
        }

        /// Every setting with its value.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Settings {
            $( $(#[doc = $doc])+ pub $name: $ty, )+
        }

        impl Default for Settings {
            /// The defaults, the one place they are written.
            fn default() -> Self {
                Settings { $( $name: $default, )+ }
            }
        }

        impl RunArgs {
            /// Each setting from these flags, else from `file`, else its default.
            pub fn settings_over(&self, file: &RunArgs) -> Settings {
                Settings {
                    $( $name: self
                        .$name
                        .clone()
                        .or_else(|| file.$name.clone())
                        .unwrap_or_else(|| defaults().$name.clone()), )+
                }
            }
        }
    };
    (@shown $name:ident) => { Shown::shown(&defaults().$name) };
    (@shown $name:ident $shown:literal) => { String::from($shown) };
}

settings! {
    /// Kafka bootstrap servers.
    brokers: String = "127.0.0.1:9092".into(), env "NEWSFLOW_BROKERS";
    /// Seconds to wait at start for the brokers to answer, retrying with a logged backoff,
    /// before the worker creates topics or joins its group; after it, the worker exits
    /// with an error naming the address. 0 tries once.
    startup_timeout: u64 = 120, env "NEWSFLOW_STARTUP_TIMEOUT";
    /// Consumer group of the worker fleet.
    group_id: String = "newsflow".into(), env "NEWSFLOW_GROUP_ID";
    /// Topic of raw articles.
    input_topic: String = "articles.raw".into(), env "NEWSFLOW_INPUT_TOPIC";
    /// Topic of enriched articles (key: article id).
    enriched_topic: String = "articles.enriched".into(), env "NEWSFLOW_ENRICHED_TOPIC";
    /// Topic of claims, one record per claim (key: claim id).
    claims_topic: String = "claims".into(), env "NEWSFLOW_CLAIMS_TOPIC";
    /// Dead-letter topic: rejected inputs, untouched, with the reason in headers.
    dlq_topic: String = "articles.dlq".into(), env "NEWSFLOW_DLQ_TOPIC";
    /// Create missing topics at start.
    create_topics: bool = true, env "NEWSFLOW_CREATE_TOPICS";
    /// Partitions of topics the worker creates.
    topic_partitions: i32 = 6, env "NEWSFLOW_TOPIC_PARTITIONS";
    /// Replication factor of topics the worker creates.
    topic_replication: i32 = 1, env "NEWSFLOW_TOPIC_REPLICATION";
    /// Delivery guarantee.
    guarantee: Guarantee = Guarantee::AtLeastOnce, env "NEWSFLOW_GUARANTEE";
    /// Articles in flight at once, over all partitions; fetching pauses when full.
    max_in_flight: usize = 1024, env "NEWSFLOW_MAX_IN_FLIGHT";
    /// Milliseconds between commits of the offsets of finished articles (at-least-once):
    /// what a crash redoes is about what was produced in one interval.
    commit_interval_ms: u64 = 100, env "NEWSFLOW_COMMIT_INTERVAL_MS";
    /// Threads that run the pipeline.
    threads: usize = std::thread::available_parallelism().map_or(2, |n| n.get()),
        env "NEWSFLOW_THREADS", shown "all cores";
    /// Articles per transaction in exactly-once mode.
    transaction_max_messages: usize = 200, env "NEWSFLOW_TRANSACTION_MAX_MESSAGES";
    /// Longest a transaction gathers articles, in milliseconds.
    transaction_max_ms: u64 = 200, env "NEWSFLOW_TRANSACTION_MAX_MS";
    /// Address of the HTTP server for /metrics, /health/live and /health/ready; "off" to
    /// disable.
    http_listen: String = "0.0.0.0:9464".into(), env "NEWSFLOW_HTTP_LISTEN";
    /// Share of rejects among the last --dlq-window inputs above which the worker reports
    /// not ready and logs an error.
    dlq_max_rate: f64 = 0.5, env "NEWSFLOW_DLQ_MAX_RATE";
    /// Inputs over which the reject rate is measured.
    dlq_window: usize = 200, env "NEWSFLOW_DLQ_WINDOW";
    /// Seconds to finish in-flight work and commit after SIGTERM or SIGINT.
    shutdown_timeout: u64 = 30, env "NEWSFLOW_SHUTDOWN_TIMEOUT";
    /// Seconds to wait, on a rebalance, for the running messages of partitions that move
    /// before their offsets are committed and they go.
    revoke_timeout: u64 = 10, env "NEWSFLOW_REVOKE_TIMEOUT";
    /// Seconds a partition's oldest message may stay unfinished, or its lag stay above
    /// zero with nothing consumed, before the partition counts as stalled: readiness off,
    /// newsflow_partition_stalled set.
    stall_timeout: u64 = 60, env "NEWSFLOW_STALL_TIMEOUT";
    /// Seconds a partition may stay stalled before the worker acts (--on-stall).
    stall_action_after: u64 = 120, env "NEWSFLOW_STALL_ACTION_AFTER";
    /// What to do about a partition stalled past --stall-action-after.
    on_stall: OnStall = OnStall::Rejoin, env "NEWSFLOW_ON_STALL";
    /// Id of this worker in logs and dead-letter headers.
    worker_id: String = default_worker_id(), env "NEWSFLOW_WORKER_ID", shown "hostname-pid";
    /// Static group membership (KIP-345): the worker id is the consumer's
    /// group.instance.id, so a worker restarted with the same --worker-id within the
    /// session timeout (10 s) gets its partitions back at once instead of waiting for its
    /// dead predecessor's session to expire; a stopped worker's partitions move only after
    /// that timeout. Each worker needs its own stable id.
    static_membership: bool = false, env "NEWSFLOW_STATIC_MEMBERSHIP";
    /// Log format.
    log_format: LogFormat = LogFormat::Text, env "NEWSFLOW_LOG_FORMAT";
    /// Inputs larger than this many bytes go to the dead-letter topic.
    max_input_bytes: usize = Limits::default().max_input_bytes, env "NEWSFLOW_MAX_INPUT_BYTES";
    /// Bodies longer than this many code points are analysed up to it, with a warning.
    max_body_chars: usize = Limits::default().max_body_chars, env "NEWSFLOW_MAX_BODY_CHARS";
    /// Write the text of paragraph and sentence spans too, not only their offsets (their
    /// text is in `body`; records are about twice as large with it).
    full_texts: bool = false, env "NEWSFLOW_FULL_TEXTS";
    /// How the feed writes numeric dates (03/04/2015): dmy, mdy, or unknown (such a date
    /// is then passed through with an ambiguous_timestamp warning).
    date_order: DateOrder = DateOrder::Unknown, env "NEWSFLOW_DATE_ORDER";
}

/// `hostname-pid`: unique on a machine, readable in logs.
fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "worker".into());
    format!("{host}-{}", std::process::id())
}
