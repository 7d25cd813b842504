//! The entity stage: named entities in the original Arabic and English text, linked to the
//! knowledge base where possible, clustered per referent.
//!
//! Knowledge-base lookup with Arabic proclitics handled links the actors and places it
//! knows; a trained sequence tagger (one model for Arabic, one for English) finds the names
//! it lacks, reading the knowledge-base hits as features; short forms are resolved to the
//! full names they continue, and the publisher comes from the credits.
//!
//! [`EntityTagger::run`] composes the steps, one concern a module: [`chunks`] (the tagger's
//! chunks, trimmed), [`described`] (places named after a place descriptor), [`candidates`]
//! (which mention wins where they meet), [`cluster`] (one entity per referent),
//! [`coreference`] (short forms and nested places), [`records`] (the output entities);
//! [`load`] reads the tables.

mod candidates;
mod chunks;
mod cluster;
mod coreference;
mod described;
mod kb;
mod layer;
mod load;
mod places;
mod records;
pub mod tagger;
#[cfg(test)]
mod tests;

pub use kb::{KbEntry, KnowledgeBase, parse_type};
pub use layer::{EntityLayer, MentionRef};
pub use places::{Place, Places};
pub use tagger::SequenceTagger;

use std::collections::HashSet;

use crate::stages::normalize::Document;

/// Version of this stage's output.
pub const VERSION: &str = "0.1.0";

/// The entity stage, with its knowledge base loaded.
#[derive(Debug, Clone)]
pub struct EntityTagger {
    kb: KnowledgeBase,
    places: Places,
    tagger: SequenceTagger,
    /// Arabic words that are never a name alone (match keys), trimmed from tagged chunks.
    not_names_ar: HashSet<Vec<char>>,
    /// Words that introduce a place name («مدينة», "town of"), as match-key words.
    place_descriptors: Vec<Vec<Vec<char>>>,
    /// The Arabic descriptors of masculine gender («مخيم», «حي»): an adjective after them
    /// does not end in «ة».
    masculine_descriptors: HashSet<Vec<Vec<char>>>,
    /// The first word of every place descriptor, alone and after every proclitic
    /// («مدينة», «بمدينة», «وبمدينة»): one lookup per token finds the candidates.
    descriptor_heads: HashSet<Vec<char>, foldhash::fast::FixedState>,
    /// Arabic nouns that begin compound place names («كفر», «عين», «جسر»), as match keys.
    toponym_heads: HashSet<Vec<char>>,
}

impl EntityTagger {
    /// The sequence tagger's models.
    pub fn sequence_tagger(&self) -> &SequenceTagger {
        &self.tagger
    }

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
