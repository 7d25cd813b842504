//! Ordered acknowledgements: which input offset may be committed, per partition.
//!
//! Articles of one partition are processed in parallel and finish in any order, but an
//! input offset may only be committed once every message before it is finished too
//! (enriched and acknowledged, or dead-lettered and acknowledged). The tracker keeps, per
//! partition, the offsets in flight in arrival order and reports the highest offset below
//! which everything is done: the one to store for the next commit. It never moves past an
//! unfinished message.

use std::collections::{BTreeMap, HashMap};

/// A topic and partition.
pub type TopicPartition = (String, i32);

/// Per-partition record of in-flight offsets.
#[derive(Debug, Default)]
struct PartitionTrack {
    /// Offsets in flight (false) or done (true), in offset order.
    offsets: BTreeMap<i64, bool>,
    /// Bumped when the partition is revoked or reassigned: completions of an older
    /// generation are ignored.
    generation: u64,
}

/// Ordered completion tracking for all assigned partitions.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<TopicPartition, PartitionTrack>,
    next_generation: u64,
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

impl OffsetTracker {
    /// A tracker with no partitions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts tracking a received message.
    pub fn begin(&mut self, topic: &str, partition: i32, offset: i64) -> Ticket {
        let key = (topic.to_string(), partition);
        if !self.partitions.contains_key(&key) {
            self.next_generation += 1;
            self.partitions.insert(
                key.clone(),
                PartitionTrack {
                    offsets: BTreeMap::new(),
                    generation: self.next_generation,
                },
            );
        }
        let track = self.partitions.get_mut(&key).map(|t| {
            t.offsets.insert(offset, false);
            t.generation
        });
        Ticket {
            partition: key,
            offset,
            generation: track.unwrap_or_default(),
        }
    }

    /// Marks a message done. Returns the offset to store (the last offset of the contiguous
    /// finished prefix, which the consumer commits as that offset + 1), if it advanced.
    pub fn finish(&mut self, ticket: &Ticket) -> Option<i64> {
        let track = self.partitions.get_mut(&ticket.partition)?;
        if track.generation != ticket.generation {
            return None;
        }
        if let Some(done) = track.offsets.get_mut(&ticket.offset) {
            *done = true;
        }
        let mut advanced = None;
        while let Some((&offset, &done)) = track.offsets.first_key_value() {
            if !done {
                break;
            }
            track.offsets.pop_first();
            advanced = Some(offset);
        }
        advanced
    }

    /// Forgets partitions that were revoked: their in-flight messages will be redelivered
    /// to the new owner, and their late completions store nothing.
    pub fn revoke(&mut self, partitions: &[TopicPartition]) {
        for p in partitions {
            self.partitions.remove(p);
        }
    }

    /// Messages in flight, over all partitions.
    pub fn in_flight(&self) -> usize {
        self.partitions
            .values()
            .map(|t| t.offsets.values().filter(|d| !**d).count())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn never_moves_past_an_unfinished_message() {
        let mut t = OffsetTracker::new();
        let a = t.begin("raw", 0, 10);
        let b = t.begin("raw", 0, 11);
        let c = t.begin("raw", 0, 12);
        assert_eq!(t.finish(&c), None);
        assert_eq!(t.finish(&b), None);
        assert_eq!(t.finish(&a), Some(12));
        assert_eq!(t.in_flight(), 0);
    }

    #[test]
    fn partitions_are_independent_and_revoked_ones_store_nothing() {
        let mut t = OffsetTracker::new();
        let a = t.begin("raw", 0, 5);
        let b = t.begin("raw", 1, 7);
        assert_eq!(t.finish(&b), Some(7));
        t.revoke(&[("raw".into(), 0)]);
        assert_eq!(t.finish(&a), None);
        // Reassigned: a new generation; the old ticket still stores nothing.
        let a2 = t.begin("raw", 0, 5);
        assert_eq!(t.finish(&a), None);
        assert_eq!(t.finish(&a2), Some(5));
    }

    proptest! {
        #[test]
        fn stored_offsets_only_cover_finished_prefixes(order in Just((0..40i64).collect::<Vec<_>>()).prop_shuffle()) {
            let mut t = OffsetTracker::new();
            let tickets: Vec<Ticket> = (0..40).map(|o| t.begin("raw", 3, o)).collect();
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
