//! What the entity stage hands on: the entities of the record and, for the claim stage,
//! where each was mentioned.

use crate::record::Entity;

/// Where an entity was mentioned, in model-text offsets, for the claim stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionRef {
    /// First model character.
    pub start: usize,
    /// One past the last model character.
    pub end: usize,
    /// Index into [`EntityLayer::entities`].
    pub entity: usize,
}

/// What the entity stage found: the output entities and their mentions by position.
#[derive(Debug, Clone, Default)]
pub struct EntityLayer {
    /// Entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// Every mention, in text order.
    pub mentions: Vec<MentionRef>,
}

impl EntityLayer {
    /// The entity whose mention covers model range `start..end`. Mentions are sorted and do
    /// not overlap, so this is a binary search.
    pub fn entity_covering(&self, start: usize, end: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.start <= start);
        i.checked_sub(1)
            .map(|i| &self.mentions[i])
            .filter(|m| m.start <= start && end <= m.end)
            .map(|m| m.entity)
    }

    /// The mentions starting inside model range `start..end`, in text order.
    pub fn mentions_starting_in(&self, start: usize, end: usize) -> &[MentionRef] {
        let from = self.mentions.partition_point(|m| m.start < start);
        let to = self.mentions.partition_point(|m| m.start < end).max(from);
        &self.mentions[from..to]
    }

    /// Entities with a mention inside model range `start..end`.
    pub fn entities_within(&self, start: usize, end: usize) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .mentions_starting_in(start, end)
            .iter()
            .filter(|m| m.end <= end)
            .map(|m| m.entity)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}
