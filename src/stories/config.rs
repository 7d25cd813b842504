//! The story clustering's settings, with their defaults.

use serde::{Deserialize, Serialize};

/// How articles are grouped into stories.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StoryConfig {
    /// A story takes no article published more than this many hours after its last one;
    /// it also bounds the memory: older stories are dropped from the index.
    pub window_hours: f64,
    /// The score (0 to 1) an article needs with a story to join it.
    pub join_threshold: f32,
    /// The similarity of two stories' profiles at which they merge into the older.
    pub merge_threshold: f32,
    /// Share of the score from content words; the rest from linked entities.
    pub term_share: f32,
    /// Content words kept per article and per story.
    pub max_terms: usize,
    /// Entities kept per article and per story.
    pub max_entities: usize,
    /// SimHash distance (bits of 64) within which two articles of a story are copies of one
    /// text: a syndication group.
    pub syndication_bits: u32,
}

impl Default for StoryConfig {
    fn default() -> Self {
        Self {
            window_hours: 72.0,
            join_threshold: 0.18,
            merge_threshold: 0.35,
            term_share: 0.7,
            max_terms: 200,
            max_entities: 40,
            syndication_bits: 6,
        }
    }
}
