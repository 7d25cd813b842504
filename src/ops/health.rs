//! Liveness and readiness.
//!
//! Live: the process is running its loop. Ready: it has joined its group, no partition is
//! stalled (the watchdog's finding), its producer is delivering, and the share of dead-lettered inputs in the recent window is under the
//! configured threshold (a flood of rejects usually means a broken upstream scraper or a
//! schema change, which an operator must see).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Why a worker is not ready.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    /// It is shutting down.
    #[error("stopping")]
    Stopping,
    /// It holds no partition yet.
    #[error("not joined to the consumer group yet")]
    NotJoined,
    /// The watchdog found a partition stuck (which one, and why).
    #[error("{0}")]
    Stalled(String),
    /// The producer cannot deliver.
    #[error("producer cannot deliver: broker unreachable?")]
    NotProducing,
    /// Too many of the recent inputs were dead-lettered.
    #[error("dead-letter rate above threshold")]
    DeadLetterRate,
}

/// Shared health state of one worker.
#[derive(Debug)]
pub struct Health {
    live: AtomicBool,
    joined: AtomicBool,
    producing: AtomicBool,
    dlq_over: AtomicBool,
    stalled: Mutex<Option<String>>,
    window: Mutex<VecDeque<bool>>,
    window_len: usize,
    max_rate: f64,
}

impl Health {
    /// Health with a reject-rate threshold over a window of recent inputs.
    pub fn new(max_rate: f64, window_len: usize) -> Self {
        Health {
            live: AtomicBool::new(true),
            joined: AtomicBool::new(false),
            producing: AtomicBool::new(true),
            dlq_over: AtomicBool::new(false),
            stalled: Mutex::new(None),
            window: Mutex::new(VecDeque::with_capacity(window_len)),
            window_len,
            max_rate,
        }
    }

    /// Records one input's outcome; returns the reject rate when it just crossed the
    /// threshold upwards (for a loud log line).
    pub fn record(&self, rejected: bool) -> Option<f64> {
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        if window.len() == self.window_len {
            window.pop_front();
        }
        window.push_back(rejected);
        let rate = window.iter().filter(|r| **r).count() as f64 / window.len() as f64;
        let over = window.len() >= self.window_len.min(20) && rate > self.max_rate;
        let was = self.dlq_over.swap(over, Ordering::Relaxed);
        self.publish();
        (over && !was).then_some(rate)
    }

    /// Sets whether the worker holds a group assignment.
    pub fn set_joined(&self, joined: bool) {
        self.joined.store(joined, Ordering::Relaxed);
        self.publish();
    }

    /// Sets whether the producer is delivering.
    pub fn set_producing(&self, ok: bool) {
        self.producing.store(ok, Ordering::Relaxed);
        self.publish();
    }

    /// Sets what the watchdog found stuck (a partition and why), or clears it.
    pub fn set_stalled(&self, stalled: Option<String>) {
        *self.stalled.lock().unwrap_or_else(|p| p.into_inner()) = stalled;
        self.publish();
    }

    /// Marks the worker as stopping.
    pub fn set_stopping(&self) {
        self.live.store(false, Ordering::Relaxed);
        self.publish();
    }

    /// Liveness.
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Relaxed)
    }

    /// Readiness, with the reason when not ready.
    pub fn readiness(&self) -> Result<(), NotReady> {
        if !self.live.load(Ordering::Relaxed) {
            Err(NotReady::Stopping)
        } else if !self.joined.load(Ordering::Relaxed) {
            Err(NotReady::NotJoined)
        } else if let Some(stalled) = self
            .stalled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            Err(NotReady::Stalled(stalled.clone()))
        } else if !self.producing.load(Ordering::Relaxed) {
            Err(NotReady::NotProducing)
        } else if self.dlq_over.load(Ordering::Relaxed) {
            Err(NotReady::DeadLetterRate)
        } else {
            Ok(())
        }
    }

    fn publish(&self) {
        metrics::gauge!(super::metric::READY).set(if self.readiness().is_ok() { 1.0 } else { 0.0 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_rejects_turns_readiness_off_and_recovery_turns_it_back_on() {
        let h = Health::new(0.5, 20);
        h.set_joined(true);
        for _ in 0..20 {
            h.record(false);
        }
        assert!(h.readiness().is_ok());
        let crossed: Vec<f64> = (0..15).filter_map(|_| h.record(true)).collect();
        assert_eq!(crossed.len(), 1, "crossing is reported once");
        assert_eq!(h.readiness(), Err(NotReady::DeadLetterRate));
        for _ in 0..20 {
            h.record(false);
        }
        assert!(h.readiness().is_ok());
    }
}
