//! Attributions in Arabic: «وذكرت مصادر عسكرية لوكالة رويترز أن ...», «نفى التلفزيون ...»,
//! «مشيرا إلى ...», «وبحسب وسائل إعلام ... فإن ...», «...، وفق رويترز».
//!
//! Every cue of a sentence is offered to the patterns of [`PATTERNS`] in turn; the first
//! that reads it adds its claim (or completes the one before) and says where reading
//! goes on.

mod clause;
mod source;
mod verb;

use crate::stages::entities::EntityLayer;
use crate::stages::normalize::{Agencies, AgencyMatch};

use super::cues::{CueEntry, CueKind, CueLexicon, Descriptors};
use super::found::{Channel, FoundClaim, SentenceTokens, agency_channel};

/// Words that open reported content (match keys).
const COMPLEMENTIZERS: &[&str] = &[
    "ان",
    "بان",
    "انه",
    "انها",
    "انهم",
    "بانه",
    "بانها",
    "بانهم",
    "الي",
    "عن",
    "فان",
];
/// Complementizers that only open content when no proper one («أن», «إن», ...) follows:
/// «عن» in «أعلن عن» but not in «، طلب عدم الكشف عن اسمه، إن».
const WEAK_COMPLEMENTIZERS: &[&str] = &["الي", "عن"];
/// Nouns of the circumstance «في بيان», «في تصريح»: they end a speaker's words.
const STATEMENT_NOUNS: &[&str] = &["بيان", "تصريح", "تصريحات", "حديث", "مقابله", "موتمر"];
/// Connectors that end a content before the next clause («..., فيما نفت ...»).
const CONNECTORS: &[&str] = &["فيما", "بينما", "حين", "و"];
/// Demonstratives: standing alone after the speaker they are the object («نفت الإدارة
/// ذلك»), the content by reference to what was said before.
const DEMONSTRATIVES: &[&str] = &["ذلك", "هذا"];
/// Longest speaker, in tokens.
const MAX_SPEAKER: usize = 8;

/// Words that end a relayed source («عن مصدر عسكري قوله إن»).
const RELAY_SAYING: &[&str] = &["قوله", "قولها", "قولهم"];

/// The cue a token is, with the length of a proclitic «و» or «ف» before it.
fn cue_at(lexicon: &CueLexicon, key: &str) -> Option<(CueEntry, usize)> {
    if let Some(entry) = lexicon.get(key) {
        return Some((entry, 0));
    }
    let rest = key.strip_prefix('و').or_else(|| key.strip_prefix('ف'))?;
    (rest.chars().count() >= 2)
        .then(|| lexicon.get(rest))
        .flatten()
        .map(|e| (e, 1))
}

/// A pattern: the token after what it reads at cue `i` (pushing its claims on `found`),
/// or `None` to leave the cue to the next one.
type Pattern = fn(&Site, usize, &mut Vec<FoundClaim>) -> Option<usize>;

/// The patterns, in the order they are tried. A cue none reads (a noun: the Arabic table
/// has none yet) is passed over.
const PATTERNS: &[Pattern] = &[
    not_a_cue,
    verb::reporting_verb,
    source::channel_after,
    source::according_to,
];

/// Finds the attributions of one Arabic sentence.
pub fn extract(
    s: &SentenceTokens,
    lexicon: &CueLexicon,
    agencies: &Agencies,
    entities: &EntityLayer,
    descriptors: &Descriptors,
) -> Vec<FoundClaim> {
    let site = Site {
        s,
        agencies,
        entities,
        descriptors,
        cues: (0..s.len())
            .map(|i| {
                (!s.is_punct(i))
                    .then(|| cue_at(lexicon, &s.keys[i]))
                    .flatten()
            })
            .collect(),
    };
    let mut found: Vec<FoundClaim> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        i = PATTERNS
            .iter()
            .find_map(|pattern| pattern(&site, i, &mut found))
            .unwrap_or(i + 1);
    }
    found
}

/// A sentence offered to the patterns, with the cue each token is.
struct Site<'a> {
    s: &'a SentenceTokens<'a>,
    agencies: &'a Agencies,
    entities: &'a EntityLayer,
    descriptors: &'a Descriptors,
    /// Each token's cue, with the length of a proclitic «و» or «ف» before it.
    cues: Vec<Option<(CueEntry, usize)>>,
}

impl Site<'_> {
    /// The model range of cue `i`, without its proclitic.
    fn cue(&self, i: usize) -> (usize, usize) {
        let clitic = self.cues[i].map_or(0, |(_, clitic)| clitic);
        (self.s.tokens[i].start + clitic, self.s.tokens[i].end)
    }

    /// The agency alias starting in token `i`.
    fn agency_at(&self, i: usize) -> Option<&AgencyMatch> {
        let token = self.s.tokens[i];
        self.s.doc.agency_starting_in(token.start, token.end)
    }

    /// The channel an agency alias names.
    fn channel(&self, m: &AgencyMatch) -> Channel {
        agency_channel(self.agencies, m)
    }

    /// The first cue from token `from`, or the sentence's end.
    fn next_cue(&self, from: usize) -> usize {
        (from..self.s.len())
            .find(|&k| self.cues[k].is_some())
            .unwrap_or(self.s.len())
    }

    /// The first cue from token `from` that opens a new clause: one with «و» or «ف» fused
    /// to it or punctuation before it («...، وأضاف أن», «...، مشيرا إلى»); one inside the
    /// content is nested («إن الوفد الروسي وعد بـ...») and does not end it.
    fn next_clause_cue(&self, from: usize) -> usize {
        let s = self.s;
        (from..s.len())
            .find(|&k| {
                self.cues[k]
                    .is_some_and(|(entry, clitic)| clitic > 0 || entry.kind == CueKind::Prep)
                    || self.cues[k].is_some()
                        && (k == 0
                            || s.is_punct(k - 1)
                            || CONNECTORS.contains(&s.keys[k - 1].as_str()))
            })
            .unwrap_or(s.len())
    }
}

/// A token that is no cue.
fn not_a_cue(site: &Site, i: usize, _: &mut Vec<FoundClaim>) -> Option<usize> {
    site.cues[i].is_none().then_some(i + 1)
}
