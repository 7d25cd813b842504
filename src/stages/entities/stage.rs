//! The entity stage's value: its knowledge base, places, models and word lists, loaded
//! once (`load.rs`) and read by every step of [`EntityTagger::run`].

use std::collections::HashSet;

use super::kb::KnowledgeBase;
use super::latin::LatinNames;
use super::places::Places;
use super::tagger::SequenceTagger;

/// The entity stage, with its knowledge base loaded.
#[derive(Debug, Clone)]
pub struct EntityTagger {
    pub(super) kb: KnowledgeBase,
    pub(super) places: Places,
    pub(super) tagger: SequenceTagger,
    /// Latin spellings for unlinked Arabic names.
    pub(super) latin: LatinNames,
    /// Arabic words that are never a name alone (match keys), trimmed from tagged chunks.
    pub(super) not_names_ar: HashSet<Vec<char>>,
    /// Words that introduce a place name («مدينة», "town of"), as match-key words.
    pub(super) place_descriptors: Vec<Vec<Vec<char>>>,
    /// The Arabic descriptors of masculine gender («مخيم», «حي»): an adjective after them
    /// does not end in «ة».
    pub(super) masculine_descriptors: HashSet<Vec<Vec<char>>>,
    /// The first word of every place descriptor, alone and after every proclitic
    /// («مدينة», «بمدينة», «وبمدينة»): one lookup per token finds the candidates.
    pub(super) descriptor_heads: HashSet<Vec<char>, foldhash::fast::FixedState>,
    /// Arabic nouns that begin compound place names («كفر», «عين», «جسر»), as match keys.
    pub(super) toponym_heads: HashSet<Vec<char>>,
}

impl EntityTagger {
    /// The sequence tagger's models.
    pub fn sequence_tagger(&self) -> &SequenceTagger {
        &self.tagger
    }
}
