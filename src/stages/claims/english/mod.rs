//! Attributions in English: "X said (that) C", "C, X said", "C," said X, "X told Reuters C",
//! "according to X, C" and "C, according to X".
//!
//! Every token of a sentence is offered to the patterns of [`PATTERNS`] in turn; the first
//! that reads it says what claim, if any, the token makes and how many tokens it covers.
//! The order is the grammar's: a phrase before its words, a participle before a verb, and
//! a verb's readings as a noun or a passive before its active one.

mod content;
mod learned;
mod marks;
mod nouns;
mod openers;
mod participle;
mod passive;
mod said;
mod site;
mod subject;
mod words;

use crate::stages::normalize::Agencies;

use super::cues::{CueKind, CueLexicon};
use super::found::{FoundClaim, SentenceTokens};
use site::{Read, Site};

/// A pattern: what it reads at a token, or `None` to leave the token to the next one.
type Pattern = fn(&Site) -> Option<Read>;

/// The patterns, in the order they are tried; the last reads every verb left.
const PATTERNS: &[Pattern] = &[
    punctuation,
    openers::according_to,
    openers::asked,
    not_a_cue,
    in_a_name,
    openers::opening_participle,
    participle::continuing,
    nouns::noun_cue,
    not_a_verb,
    passive::passive,
    nouns::verb_as_noun,
    said::quoted_as_saying,
    said::said,
];

/// Finds the attributions of one English sentence.
///
/// `learned` holds the cue chunks the trained detector found (none without a model). The
/// table's words are cues wherever they stand; a chunk without one adds its first word
/// that is not an auxiliary ("has also endorsed" → "endorsed"), read as a reporting verb.
/// The detector does not veto table words: it would drop plain "quoted" and "confirmed"
/// in our own samples, too brittle off the corpus it learned from.
pub fn extract(
    s: &SentenceTokens,
    lexicon: &CueLexicon,
    learned: Option<&[(usize, usize)]>,
    agencies: &Agencies,
) -> Vec<FoundClaim> {
    let chosen = learned.map(|chunks| learned::chosen(s, lexicon, chunks));
    let mut found = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let site = Site::new(s, lexicon, agencies, chosen.as_deref(), &found, i);
        let read = PATTERNS
            .iter()
            .find_map(|pattern| pattern(&site))
            .unwrap_or(Read::token(None));
        found.extend(read.claim);
        i += read.width;
    }
    found
}

/// Punctuation is never a cue.
fn punctuation(site: &Site) -> Option<Read> {
    site.s.is_punct(site.i).then(|| Read::token(None))
}

/// A word neither the table nor the detector makes a cue.
fn not_a_cue(site: &Site) -> Option<Read> {
    site.entry.is_none().then(|| Read::token(None))
}

/// "the United States", "Fox News Reports": a word of a name, not a verb.
fn in_a_name(site: &Site) -> Option<Read> {
    marks::inside_name(site.s, site.i).then(|| Read::token(None))
}

/// A cue of a kind no English pattern reads alone (a preposition's are phrases).
fn not_a_verb(site: &Site) -> Option<Read> {
    site.entry
        .is_some_and(|e| e.kind != CueKind::Verb)
        .then(|| Read::token(None))
}
