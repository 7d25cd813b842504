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
mod subject;
mod words;

use crate::record::CueClass;
use crate::stages::normalize::Agencies;

use super::cues::{CueEntry, CueKind, CueLexicon};
use super::found::{Channel, FoundClaim, SentenceTokens, agency_channel};
use words::BE_FORMS;

/// Longest speaker, in tokens.
const MAX_SPEAKER: usize = 7;

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

/// What a pattern reads at a token: the claim it makes there, if any, and the tokens it
/// covers.
struct Read {
    claim: Option<FoundClaim>,
    width: usize,
}

impl Read {
    /// One token read, with the claim it makes, if any.
    fn token(claim: Option<FoundClaim>) -> Self {
        Read { claim, width: 1 }
    }
}

/// A token offered to the patterns, with what they all read of it.
struct Site<'a> {
    s: &'a SentenceTokens<'a>,
    lexicon: &'a CueLexicon,
    agencies: &'a Agencies,
    /// The claims found before it in the sentence.
    found: &'a [FoundClaim],
    /// The token.
    i: usize,
    /// The cue it is: the table's (neighbours considered), or a reporting verb the
    /// detector found; a participle after a form of "be" ("is warning") is a verb.
    entry: Option<CueEntry>,
    /// For a verb cue, the tokens `a..v` of the subject before it (`a == v`: none).
    subject: Option<(usize, usize)>,
}

impl<'a> Site<'a> {
    fn new(
        s: &'a SentenceTokens<'a>,
        lexicon: &'a CueLexicon,
        agencies: &'a Agencies,
        chosen: Option<&[bool]>,
        found: &'a [FoundClaim],
        i: usize,
    ) -> Self {
        // The table's words are cues; the trained detector adds those it lacks.
        let table = lexicon.get_between(
            i.checked_sub(1).map(|k| s.keys[k].as_str()),
            &s.keys[i],
            s.keys.get(i + 1).map(String::as_str),
        );
        let entry = table.or_else(|| {
            chosen
                .is_some_and(|chosen| chosen.get(i) == Some(&true))
                .then_some(CueEntry {
                    class: CueClass::Report,
                    kind: CueKind::Verb,
                })
        });
        // "Trump is warning voters that C": a participle after a form of "be" is the verb.
        let progressive = entry.is_some_and(|e| e.kind == CueKind::Participle)
            && i > 0
            && BE_FORMS.contains(&s.keys[i - 1]);
        let entry = entry.map(|e| CueEntry {
            class: e.class,
            kind: if progressive { CueKind::Verb } else { e.kind },
        });
        let subject = entry
            .filter(|e| e.kind == CueKind::Verb)
            .map(|_| subject::before_verb(s, i, table.is_none(), progressive));
        Site {
            s,
            lexicon,
            agencies,
            found,
            i,
            entry,
            subject,
        }
    }

    /// The cue token's model range.
    fn cue(&self) -> (usize, usize) {
        (self.s.tokens[self.i].start, self.s.tokens[self.i].end)
    }

    /// The channel of the first agency named within tokens `a..b`.
    fn agency_in(&self, a: usize, b: usize) -> Option<Channel> {
        let s = self.s;
        (a < b)
            .then(|| {
                s.doc
                    .agencies_within(s.tokens[a].start, s.tokens[b - 1].end)
                    .next()
            })
            .flatten()
            .map(|m| agency_channel(self.agencies, m))
    }
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
