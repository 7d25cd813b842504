//! The watchdog: a partition that stops moving is found, reported and unstuck.
//!
//! Every second it looks at each assigned partition. A partition is stalled when its
//! oldest unfinished message has waited longer than `--stall-timeout`, or when its lag
//! is above zero and nothing of it was received or finished for that long. A stalled
//! partition turns readiness off (with the partition and the reason) and sets
//! `newsflow_partition_stalled{topic,partition}`; when one stays stalled past
//! `--stall-action-after`, the worker leaves the group and joins it again (its partitions
//! are drained, committed and assigned anew) or, with `--on-stall exit`, exits non-zero
//! for its orchestrator to restart it. No person is needed for the fleet to recover.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::consumer::{Consumer, StreamConsumer};

use super::context::WorkerContext;
use super::error::WorkerError;
use super::offsets::{SharedTracker, TopicPartition};
use super::settings::OnStall;
use super::shared::WorkerShared;
use crate::ops::metric;

/// What the watchdog knows of one partition between ticks.
#[derive(Debug)]
struct Watch {
    /// Since when it is stalled, if it is.
    stalled_since: Option<Instant>,
    /// When it last moved (a message received or finished), or was first seen.
    moved_at: Instant,
    /// The tracker's activity count at the last tick.
    activity: u64,
}

/// Runs until the worker stops; returns an error only for `--on-stall exit`.
pub async fn run(
    shared: Arc<WorkerShared>,
    tracker: Arc<SharedTracker>,
    lag: Arc<Mutex<HashMap<TopicPartition, i64>>>,
    consumer: Arc<StreamConsumer<WorkerContext>>,
) -> Result<(), WorkerError> {
    let config = &shared.config;
    let mut watches: HashMap<TopicPartition, Watch> = HashMap::new();
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    loop {
        interval.tick().await;
        let assigned: Vec<TopicPartition> = consumer
            .assignment()
            .map(|a| {
                a.elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect()
            })
            .unwrap_or_default();
        let now = Instant::now();
        let (stalls, activity) = {
            let t = tracker.lock();
            let activity: Vec<u64> = assigned.iter().map(|p| t.activity(p)).collect();
            (t.stalls(config.stall_timeout), activity)
        };
        let lags = lag.lock().unwrap_or_else(|p| p.into_inner()).clone();
        watches.retain(|p, w| {
            let kept = assigned.contains(p);
            if !kept && w.stalled_since.is_some() {
                set_gauge(p, 0.0);
            }
            kept
        });
        let mut findings: Vec<String> = Vec::new();
        let mut act_on: Option<String> = None;
        for (p, activity) in assigned.iter().zip(activity) {
            let w = watches.entry(p.clone()).or_insert(Watch {
                stalled_since: None,
                moved_at: now,
                activity,
            });
            if w.activity != activity {
                w.activity = activity;
                w.moved_at = now;
            }
            let why = if let Some(s) = stalls.iter().find(|s| &s.partition == p) {
                Some(format!(
                    "offset {} unfinished for {} s",
                    s.offset,
                    s.age.as_secs()
                ))
            } else if lags.get(p).is_some_and(|l| *l > 0)
                && now.duration_since(w.moved_at) > config.stall_timeout
            {
                Some(format!(
                    "lag {} with nothing consumed for {} s",
                    lags.get(p).copied().unwrap_or_default(),
                    now.duration_since(w.moved_at).as_secs()
                ))
            } else {
                None
            };
            match why {
                Some(why) => {
                    let since = *w.stalled_since.get_or_insert_with(|| {
                        set_gauge(p, 1.0);
                        tracing::error!(topic = %p.0, partition = p.1, %why, "PARTITION STALLED: readiness is off");
                        now
                    });
                    let finding = format!("partition {}/{} stalled: {why}", p.0, p.1);
                    if now.duration_since(since) > config.stall_action_after {
                        act_on = Some(finding.clone());
                    }
                    findings.push(finding);
                }
                None => {
                    if w.stalled_since.take().is_some() {
                        set_gauge(p, 0.0);
                        tracing::info!(topic = %p.0, partition = p.1, "partition moving again");
                    }
                }
            }
        }
        shared
            .health
            .set_stalled((!findings.is_empty()).then(|| findings.join("; ")));
        let Some(finding) = act_on else { continue };
        match config.on_stall {
            OnStall::Exit => {
                return Err(WorkerError::Stalled {
                    finding,
                    after_s: config.stall_action_after.as_secs(),
                });
            }
            OnStall::Rejoin => {
                tracing::warn!(%finding, "leaving the consumer group and joining it again");
                metrics::counter!(metric::STALL_REJOINS).increment(1);
                consumer.unsubscribe();
                if let Err(source) = consumer.subscribe(&[&config.topics.input]) {
                    return Err(WorkerError::Resubscribe {
                        topic: config.topics.input.clone(),
                        source: Box::new(source),
                    });
                }
                for w in watches.values_mut() {
                    w.stalled_since = None;
                    w.moved_at = Instant::now();
                }
            }
        }
    }
}

fn set_gauge(p: &TopicPartition, value: f64) {
    metrics::gauge!(
        metric::PARTITION_STALLED,
        "topic" => p.0.clone(),
        "partition" => p.1.to_string()
    )
    .set(value);
}

/// A test hook, off unless both variables are set: `NEWSFLOW_TEST_STALL_PARTITION=P` and
/// `NEWSFLOW_TEST_STALL_SECONDS=S` hold every message of partition P, before it is
/// delivered, until the worker has run S seconds. The integration tests stall a partition
/// with it to see the watchdog act; nothing an input says can turn it on.
#[derive(Debug, Clone, Copy)]
pub struct StallHook {
    partition: i32,
    until: Instant,
}

impl StallHook {
    /// The hook, if the environment asks for it.
    pub fn from_env() -> Option<Self> {
        let var = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let partition = i32::try_from(var("NEWSFLOW_TEST_STALL_PARTITION")?).ok()?;
        let seconds = var("NEWSFLOW_TEST_STALL_SECONDS")?;
        tracing::warn!(
            partition,
            seconds,
            "test hook: holding the messages of one partition"
        );
        Some(StallHook {
            partition,
            until: Instant::now() + Duration::from_secs(seconds),
        })
    }

    /// Waits while the hook holds this partition.
    pub async fn hold(&self, partition: i32) {
        if partition == self.partition {
            tokio::time::sleep_until(self.until.into()).await;
        }
    }
}
