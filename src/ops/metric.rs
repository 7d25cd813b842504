//! The names of newsflow's metrics, each written once, and what each one measures: the
//! code that records a metric and `/metrics`' descriptions use the same constant.

/// Input messages consumed.
pub const CONSUMED: &str = "newsflow_consumed_total";
/// Records produced and acknowledged, by topic.
pub const PRODUCED: &str = "newsflow_produced_total";
/// Inputs sent to the dead-letter topic, by reason.
pub const REJECTED: &str = "newsflow_rejected_total";
/// Records the broker refused for good, by topic.
pub const REFUSED: &str = "newsflow_refused_total";
/// Produce attempts retried after a broker or producer error.
pub const RETRIES: &str = "newsflow_retries_total";
/// Time per article in each stage.
pub const STAGE_SECONDS: &str = "newsflow_stage_seconds";
/// From the input message's timestamp to the acknowledgement of its outputs.
pub const END_TO_END_SECONDS: &str = "newsflow_end_to_end_seconds";
/// Messages behind the end of each owned partition.
pub const CONSUMER_LAG: &str = "newsflow_consumer_lag";
/// Articles being processed or awaiting acknowledgement.
pub const IN_FLIGHT: &str = "newsflow_in_flight";
/// 1 when the worker reports ready.
pub const READY: &str = "newsflow_ready";
/// 1 while fetching is paused because every in-flight slot is busy.
pub const FETCH_PAUSED: &str = "newsflow_fetch_paused";
/// Messages dropped because their partition was revoked before they started.
pub const DROPPED_AFTER_REVOKE: &str = "newsflow_dropped_after_revoke_total";
/// Times the watchdog left the group and joined it again over a stalled partition.
pub const STALL_REJOINS: &str = "newsflow_stall_rejoins_total";
/// 1 for each partition the watchdog finds stalled.
pub const PARTITION_STALLED: &str = "newsflow_partition_stalled";

/// What a metric is, for its description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only grows.
    Counter,
    /// Goes up and down.
    Gauge,
    /// A distribution of seconds.
    Histogram,
}

/// The metrics `/metrics` describes, with their help text.
pub const DESCRIBED: &[(&str, Kind, &str)] = &[
    (CONSUMED, Kind::Counter, "Input messages consumed."),
    (
        PRODUCED,
        Kind::Counter,
        "Records produced and acknowledged, by topic.",
    ),
    (
        REJECTED,
        Kind::Counter,
        "Inputs sent to the dead-letter topic, by reason.",
    ),
    (
        RETRIES,
        Kind::Counter,
        "Produce attempts retried after a broker or producer error.",
    ),
    (
        STAGE_SECONDS,
        Kind::Histogram,
        "Time per article in each stage.",
    ),
    (
        END_TO_END_SECONDS,
        Kind::Histogram,
        "From the input message's timestamp to the acknowledgement of its outputs.",
    ),
    (
        CONSUMER_LAG,
        Kind::Gauge,
        "Messages behind the end of each owned partition.",
    ),
    (
        IN_FLIGHT,
        Kind::Gauge,
        "Articles being processed or awaiting acknowledgement.",
    ),
    (READY, Kind::Gauge, "1 when the worker reports ready."),
];
