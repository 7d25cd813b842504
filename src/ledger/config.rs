//! The claim ledger's settings, with their defaults.

/// How claims are grouped into propositions and collapsed into origins.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerConfig {
    /// Least similarity (cosine of content words and entities) at which a claim joins a
    /// proposition of its story.
    pub join_threshold: f32,
    /// Weight of a claim's entities against its content words in that similarity.
    pub entity_weight: f32,
    /// Least share of word trigrams two contents have in common for them to be one copy
    /// (syndicated text): one origin whoever carries it.
    pub copy_share: f32,
    /// Hours within which one speaker's reports of one proposition are taken for one
    /// occasion (a press conference, a communiqué), hence one origin.
    pub occasion_hours: i64,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        Self {
            join_threshold: 0.2,
            entity_weight: 0.5,
            copy_share: 0.4,
            occasion_hours: 24,
        }
    }
}
