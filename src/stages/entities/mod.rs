//! The entity stage: named entities in the original Arabic and English text, linked to the
//! knowledge base where possible, clustered per referent.
//!
//! Knowledge-base lookup with Arabic proclitics handled links the actors and places it
//! knows; a trained sequence tagger (one model for Arabic, one for English) finds the names
//! it lacks, reading the knowledge-base hits as features; short forms are resolved to the
//! full names they continue, and the publisher comes from the credits.
//!
//! [`EntityTagger::run`] composes the steps, one concern a module: `chunks` (the tagger's
//! chunks, trimmed), `described` (places named after a place descriptor), `candidates`
//! (which mention wins where they meet), `cluster` (one entity per referent),
//! `coreference` (short forms and nested places), `records` (the output entities); `stage`
//! holds the stage's tables and models, and `load` reads them.

mod candidates;
mod chunks;
mod cluster;
mod coreference;
mod described;
mod kb;
mod latin;
mod layer;
mod load;
mod places;
mod records;
mod stage;
pub mod tagger;
#[cfg(test)]
mod tests;

pub use kb::{KbEntry, KnowledgeBase, parse_type};
pub use layer::{EntityLayer, MentionRef};
pub use places::{Place, Places};
pub use stage::EntityTagger;
pub use tagger::SequenceTagger;

use crate::stages::normalize::Document;

/// Version of this stage's output.
pub const VERSION: &str = "0.1.0";

impl EntityTagger {
    /// Finds, links and clusters the entities of a normalized document.
    pub fn run(&self, doc: &Document) -> EntityLayer {
        let matches = self.kb.gazetteer.find(&doc.layers, &doc.key_index);
        let labels = self.token_labels(doc, &matches);
        let chunks = self.tagged_chunks(doc, &labels);
        let mut candidates = self.kb_candidates(doc, &matches, &chunks);
        self.add_described_places(doc, &mut candidates);
        self.add_tagged(doc, chunks, &mut candidates);
        candidates.sort_by_key(|c| c.start);
        let mut layer = self.cluster(doc, candidates);
        self.add_nested_places(doc, &mut layer);
        coreference::add_short_forms(doc, &mut layer);
        records::add_publisher(doc, &mut layer);
        cluster::finish(doc, &mut layer);
        layer
    }
}
