//! Ordered acknowledgements: which input offset may be committed, per partition.
//!
//! Articles of one partition are processed in parallel and finish in any order, but an
//! input offset may only be committed once every message before it is finished too
//! (enriched and acknowledged, or dead-lettered and acknowledged). The tracker keeps, per
//! partition, the offsets in flight in arrival order and reports the highest offset below
//! which everything is done: the one to store for the next commit. It never moves past an
//! unfinished message.
//!
//! Rebalances: a partition revoked in an orderly way is drained first (the worker waits,
//! within a bound, for its running messages) and then forgotten. A partition whose
//! assignment was *lost* (the group session ran out during a broker outage) cannot be
//! committed, but its running messages still finish and are acknowledged: the tracker
//! keeps it as an orphan that goes on recording completions, and when the partition comes
//! back the worker resumes after the finished prefix instead of redoing it. This is the
//! per-partition epoch of PostHog's ingestion consumer, with the epoch as `generation`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A topic and partition.
pub type TopicPartition = (String, i32);

/// Where a tracked message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Received, waiting for an in-flight slot.
    Queued,
    /// Being processed or delivered.
    Running,
    /// Acknowledged.
    Done,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    state: State,
    since: Instant,
}

/// Per-partition record of in-flight offsets.
#[derive(Debug)]
struct PartitionTrack {
    /// Offsets not yet in the finished prefix, in offset order.
    offsets: BTreeMap<i64, Entry>,
    /// Bumped when the partition is revoked or reassigned: completions of an older
    /// generation store nothing.
    generation: u64,
    /// The last offset of the finished prefix, once one finished.
    done_through: Option<i64>,
}

impl PartitionTrack {
    fn running(&self) -> usize {
        self.offsets
            .values()
            .filter(|e| e.state == State::Running)
            .count()
    }

    /// The first offset not known to be finished.
    fn resume_at(&self) -> Option<i64> {
        self.offsets
            .keys()
            .next()
            .copied()
            .or(self.done_through.map(|o| o + 1))
    }
}

/// Ordered completion tracking for all assigned partitions.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<TopicPartition, PartitionTrack>,
    orphans: HashMap<TopicPartition, PartitionTrack>,
    next_generation: u64,
    /// Messages received plus messages finished, per partition, for the watchdog.
    activity: HashMap<TopicPartition, u64>,
}

/// A ticket for one message: where it came from and in which generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Topic and partition.
    pub partition: TopicPartition,
    /// Offset of the message.
    pub offset: i64,
    /// Generation of the partition's assignment when the message was received.
    pub generation: u64,
}

/// A partition whose oldest unfinished message has waited too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stall {
    /// Topic and partition.
    pub partition: TopicPartition,
    /// The oldest unfinished offset.
    pub offset: i64,
    /// How long it has been unfinished.
    pub age: Duration,
}

impl OffsetTracker {
    /// A tracker with no partitions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts tracking a received message.
    pub fn begin(&mut self, topic: &str, partition: i32, offset: i64) -> Ticket {
        let key = (topic.to_string(), partition);
        *self.activity.entry(key.clone()).or_default() += 1;
        let next = &mut self.next_generation;
        let track = self.partitions.entry(key.clone()).or_insert_with(|| {
            *next += 1;
            PartitionTrack {
                offsets: BTreeMap::new(),
                generation: *next,
                done_through: None,
            }
        });
        track.offsets.insert(
            offset,
            Entry {
                state: State::Queued,
                since: Instant::now(),
            },
        );
        Ticket {
            partition: key,
            offset,
            generation: track.generation,
        }
    }

    /// Marks a message as being processed. False when its partition was revoked or lost
    /// since it was received: the message is dropped, and the next owner (or this worker,
    /// when the partition comes back) consumes it again.
    pub fn start(&mut self, ticket: &Ticket) -> bool {
        match self.partitions.get_mut(&ticket.partition) {
            Some(track) if track.generation == ticket.generation => {
                if let Some(entry) = track.offsets.get_mut(&ticket.offset) {
                    entry.state = State::Running;
                    entry.since = Instant::now();
                }
                true
            }
            _ => false,
        }
    }

    /// Marks a message done. Returns the offset to store (the last offset of the contiguous
    /// finished prefix, which the consumer commits as that offset + 1), if it advanced and
    /// the partition is still assigned.
    pub fn finish(&mut self, ticket: &Ticket) -> Option<i64> {
        if let Some(a) = self.activity.get_mut(&ticket.partition) {
            *a += 1;
        }
        let (track, current) = match self.partitions.get_mut(&ticket.partition) {
            Some(t) if t.generation == ticket.generation => (t, true),
            _ => match self.orphans.get_mut(&ticket.partition) {
                Some(t) if t.generation == ticket.generation => (t, false),
                _ => return None,
            },
        };
        if let Some(entry) = track.offsets.get_mut(&ticket.offset) {
            entry.state = State::Done;
        }
        let mut advanced = None;
        while let Some((&offset, entry)) = track.offsets.first_key_value() {
            if entry.state != State::Done {
                break;
            }
            track.offsets.pop_first();
            advanced = Some(offset);
        }
        if advanced.is_some() {
            track.done_through = advanced;
        }
        advanced.filter(|_| current)
    }

    /// Messages being processed in these partitions (assigned ones, or orphans with
    /// `orphans`).
    pub fn running(&self, partitions: &[TopicPartition], orphans: bool) -> usize {
        let tracks = if orphans {
            &self.orphans
        } else {
            &self.partitions
        };
        partitions
            .iter()
            .filter_map(|p| tracks.get(p))
            .map(PartitionTrack::running)
            .sum()
    }

    /// The last offset of a partition's finished prefix, to store before a commit.
    pub fn done_through(&self, partition: &TopicPartition) -> Option<i64> {
        self.partitions.get(partition).and_then(|t| t.done_through)
    }

    /// Forgets partitions revoked in an orderly way: their unfinished messages will be
    /// redelivered to the new owner, and their late completions store nothing.
    pub fn revoke(&mut self, partitions: &[TopicPartition]) {
        for p in partitions {
            self.partitions.remove(p);
            self.orphans.remove(p);
        }
    }

    /// Keeps partitions whose assignment was lost as orphans: their running messages go
    /// on recording completions, for [`OffsetTracker::take_orphan`].
    pub fn lose(&mut self, partitions: &[TopicPartition]) {
        for p in partitions {
            if let Some(track) = self.partitions.remove(p) {
                self.orphans.insert(p.clone(), track);
            }
        }
    }

    /// For a partition assigned again after it was lost: the first offset its orphan did
    /// not finish, where consuming may resume. Forgets the orphan.
    pub fn take_orphan(&mut self, partition: &TopicPartition) -> Option<i64> {
        self.orphans.remove(partition).and_then(|t| t.resume_at())
    }

    /// Whether a partition has an orphan.
    pub fn has_orphan(&self, partition: &TopicPartition) -> bool {
        self.orphans.contains_key(partition)
    }

    /// How much has happened in a partition: messages received plus messages finished. It
    /// only grows; a partition whose count stands still is not moving.
    pub fn activity(&self, partition: &TopicPartition) -> u64 {
        self.activity.get(partition).copied().unwrap_or_default()
    }

    /// Messages in flight (queued or running), over all assigned partitions.
    pub fn in_flight(&self) -> usize {
        self.partitions
            .values()
            .map(|t| {
                t.offsets
                    .values()
                    .filter(|e| e.state != State::Done)
                    .count()
            })
            .sum()
    }

    /// Assigned partitions whose oldest unfinished message has been unfinished (queued or
    /// running) for longer than `bound`.
    pub fn stalls(&self, bound: Duration) -> Vec<Stall> {
        let now = Instant::now();
        let mut stalls: Vec<Stall> = self
            .partitions
            .iter()
            .filter_map(|(p, t)| {
                let (offset, entry) = t.offsets.iter().find(|(_, e)| e.state != State::Done)?;
                let age = now.saturating_duration_since(entry.since);
                (age > bound).then(|| Stall {
                    partition: p.clone(),
                    offset: *offset,
                    age,
                })
            })
            .collect();
        stalls.sort_by(|a, b| a.partition.cmp(&b.partition));
        stalls
    }
}

/// The tracker shared by the processing tasks and the rebalance callback, which waits on
/// it for running messages to finish.
#[derive(Debug, Default)]
pub struct SharedTracker {
    tracker: Mutex<OffsetTracker>,
    changed: Condvar,
}

impl SharedTracker {
    /// An empty shared tracker.
    pub fn new() -> Self {
        Self::default()
    }

    /// The tracker, locked. A poisoned lock is taken over: the tracker's state stays
    /// consistent between its methods.
    pub fn lock(&self) -> MutexGuard<'_, OffsetTracker> {
        self.tracker.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// [`OffsetTracker::finish`], waking whoever waits for running messages.
    pub fn finish(&self, ticket: &Ticket) -> Option<i64> {
        let stored = self.lock().finish(ticket);
        self.changed.notify_all();
        stored
    }

    /// Waits until no message of these partitions is running, or `bound` passes. Returns
    /// how many were still running.
    pub fn wait_drained(
        &self,
        partitions: &[TopicPartition],
        orphans: bool,
        bound: Duration,
    ) -> usize {
        let deadline = Instant::now() + bound;
        let mut tracker = self.lock();
        loop {
            let running = tracker.running(partitions, orphans);
            let left = deadline.saturating_duration_since(Instant::now());
            if running == 0 || left.is_zero() {
                return running;
            }
            tracker = self
                .changed
                .wait_timeout(tracker, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn started(t: &mut OffsetTracker, partition: i32, offset: i64) -> Ticket {
        let ticket = t.begin("raw", partition, offset);
        assert!(t.start(&ticket));
        ticket
    }

    #[test]
    fn never_moves_past_an_unfinished_message() {
        let mut t = OffsetTracker::new();
        let a = started(&mut t, 0, 10);
        let b = started(&mut t, 0, 11);
        let c = started(&mut t, 0, 12);
        assert_eq!(t.finish(&c), None);
        assert_eq!(t.finish(&b), None);
        assert_eq!(t.finish(&a), Some(12));
        assert_eq!(t.in_flight(), 0);
    }

    #[test]
    fn partitions_are_independent_and_revoked_ones_store_nothing() {
        let mut t = OffsetTracker::new();
        let a = started(&mut t, 0, 5);
        let b = started(&mut t, 1, 7);
        assert_eq!(t.finish(&b), Some(7));
        t.revoke(&[("raw".into(), 0)]);
        assert_eq!(t.finish(&a), None);
        // Reassigned: a new generation; the old ticket still stores nothing.
        let a2 = started(&mut t, 0, 5);
        assert_eq!(t.finish(&a), None);
        assert_eq!(t.finish(&a2), Some(5));
    }

    #[test]
    fn a_message_of_a_revoked_partition_is_not_started() {
        let mut t = OffsetTracker::new();
        let queued = t.begin("raw", 0, 1);
        t.revoke(&[("raw".into(), 0)]);
        assert!(!t.start(&queued));
    }

    #[test]
    fn a_lost_partition_resumes_after_what_finished_meanwhile() {
        let mut t = OffsetTracker::new();
        let p: TopicPartition = ("raw".into(), 2);
        let done = started(&mut t, 2, 100);
        assert_eq!(t.finish(&done), Some(100));
        let a = started(&mut t, 2, 101);
        let b = started(&mut t, 2, 102);
        let queued = t.begin("raw", 2, 103);
        t.lose(std::slice::from_ref(&p));
        assert_eq!(t.running(std::slice::from_ref(&p), true), 2);
        // The outage ends: running messages are acknowledged, nothing may be stored.
        assert_eq!(t.finish(&b), None);
        assert_eq!(t.finish(&a), None);
        assert!(
            !t.start(&queued),
            "a queued message of a lost partition is dropped"
        );
        assert_eq!(t.running(std::slice::from_ref(&p), true), 0);
        // Consuming resumes at the dropped message, not at the last commit.
        assert_eq!(t.take_orphan(&p), Some(103));
        assert!(!t.has_orphan(&p));
    }

    #[test]
    fn a_lost_partition_with_everything_finished_resumes_after_the_last() {
        let mut t = OffsetTracker::new();
        let p: TopicPartition = ("raw".into(), 0);
        let a = started(&mut t, 0, 7);
        t.lose(std::slice::from_ref(&p));
        assert_eq!(t.finish(&a), None);
        assert_eq!(t.take_orphan(&p), Some(8));
    }

    #[test]
    fn an_old_unfinished_message_is_a_stall() {
        let mut t = OffsetTracker::new();
        let _a = started(&mut t, 4, 3);
        assert!(t.stalls(Duration::from_secs(60)).is_empty());
        std::thread::sleep(Duration::from_millis(20));
        let stalls = t.stalls(Duration::from_millis(5));
        assert_eq!(stalls.len(), 1);
        assert_eq!(stalls[0].partition, ("raw".to_string(), 4));
        assert_eq!(stalls[0].offset, 3);
    }

    #[test]
    fn waiting_for_a_drain_returns_when_the_last_running_message_finishes() {
        let shared = std::sync::Arc::new(SharedTracker::new());
        let ticket = {
            let mut t = shared.lock();
            let ticket = t.begin("raw", 0, 1);
            t.start(&ticket);
            ticket
        };
        let finisher = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                shared.finish(&ticket)
            })
        };
        let left = shared.wait_drained(&[("raw".into(), 0)], false, Duration::from_secs(10));
        assert_eq!(left, 0);
        assert_eq!(finisher.join().expect("thread"), Some(1));
    }

    proptest! {
        #[test]
        fn stored_offsets_only_cover_finished_prefixes(order in Just((0..40i64).collect::<Vec<_>>()).prop_shuffle()) {
            let mut t = OffsetTracker::new();
            let tickets: Vec<Ticket> = (0..40).map(|o| started(&mut t, 3, o)).collect();
            let mut finished = std::collections::BTreeSet::new();
            let mut last_stored = -1;
            for o in order {
                finished.insert(o);
                if let Some(stored) = t.finish(&tickets[o as usize]) {
                    prop_assert!(stored > last_stored);
                    prop_assert!((0..=stored).all(|x| finished.contains(&x)));
                    last_stored = stored;
                }
            }
            prop_assert_eq!(last_stored, 39);
        }
    }
}
