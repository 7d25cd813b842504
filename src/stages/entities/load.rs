//! The entity stage's construction: the knowledge base, the GeoNames places and the Arabic
//! word lists, read from the bundled tables.

use std::collections::HashSet;

use crate::stages::LoadError;
use crate::table::Table;
use crate::text::arabic::{carries_article, proclitics};
use crate::text::match_key;

use super::kb::KnowledgeBase;
use super::latin::LatinNames;
use super::places::Places;
use super::stage::EntityTagger;
use super::tagger::SequenceTagger;

const ACTORS: &str = include_str!("../../../data/kb/actors.tsv");
const PLACES: &str = include_str!("../../../data/kb/places.tsv");
const NOT_NAMES_AR: &str = include_str!("../../../data/entities/not-names-ar.txt");
const PLACE_DESCRIPTORS: &str = include_str!("../../../data/entities/place-descriptors.txt");
const TOPONYM_HEADS_AR: &str = include_str!("../../../data/entities/toponym-heads-ar.txt");

/// The place descriptors as match-key words, and those of masculine gender.
type Descriptors = (Vec<Vec<Vec<char>>>, HashSet<Vec<Vec<char>>>);

impl EntityTagger {
    /// Loads the bundled knowledge base and models.
    pub fn new() -> Result<Self, LoadError> {
        Self::with_tagger(SequenceTagger::bundled()?)
    }

    /// Loads the bundled knowledge base with the given sequence tagger (an untrained one
    /// when training: the knowledge-base features do not depend on the models).
    pub fn with_tagger(tagger: SequenceTagger) -> Result<Self, LoadError> {
        let (place_descriptors, masculine_descriptors) = place_descriptors();
        Ok(EntityTagger {
            toponym_heads: word_keys("toponym-heads-ar.txt", TOPONYM_HEADS_AR),
            descriptor_heads: descriptor_heads(&place_descriptors),
            place_descriptors,
            masculine_descriptors,
            kb: KnowledgeBase::load(ACTORS)?,
            places: Places::load(PLACES)?,
            tagger,
            latin: LatinNames::bundled().ok_or_else(|| LoadError::Frozen {
                table: "latin-ar.tsv and translit-ar.tsv".into(),
            })?,
            not_names_ar: word_keys("not-names-ar.txt", NOT_NAMES_AR),
        })
    }
}

/// The match keys of a word list.
fn word_keys(file: &str, table: &str) -> HashSet<Vec<char>> {
    Table::new(file, table)
        .words()
        .map(|w| match_key(w).chars().collect())
        .collect()
}

/// `place-descriptors.txt`: one descriptor a row, a tab and `masculine` after those of
/// that gender.
fn place_descriptors() -> Descriptors {
    let mut masculine = HashSet::new();
    let descriptors = Table::new("place-descriptors.txt", PLACE_DESCRIPTORS)
        .words()
        .map(|line| {
            let (d, gender) = line.split_once('\t').unwrap_or((line, ""));
            let words: Vec<Vec<char>> = match_key(d)
                .split_whitespace()
                .map(|w| w.chars().collect())
                .collect();
            if gender.trim() == "masculine" {
                masculine.insert(words.clone());
            }
            words
        })
        .filter(|d: &Vec<Vec<char>>| !d.is_empty())
        .collect();
    (descriptors, masculine)
}

/// The first word of every descriptor, alone and after every proclitic but those ending
/// in the article: «المنطقة» + verb introduces no name.
fn descriptor_heads(
    descriptors: &[Vec<Vec<char>>],
) -> HashSet<Vec<char>, foldhash::fast::FixedState> {
    descriptors
        .iter()
        .flat_map(|d| {
            let head = &d[0];
            std::iter::once(head.clone()).chain(
                proclitics()
                    .iter()
                    .filter(|p| !carries_article(p))
                    .map(move |p| p.iter().chain(head).copied().collect()),
            )
        })
        .collect()
}
