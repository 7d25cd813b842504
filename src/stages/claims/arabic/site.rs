//! An Arabic sentence as the attribution patterns see it: the cue each token is, with
//! the proclitic fused to it, and where the next cue or clause begins.

use crate::stages::entities::EntityLayer;
use crate::stages::normalize::{Agencies, AgencyMatch};

use super::super::cues::{CueEntry, CueKind, CueLexicon, Descriptors};
use super::super::found::{Channel, SentenceTokens, agency_channel};
use super::words::CONNECTORS;

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

/// A sentence offered to the patterns, with the cue each token is.
pub(super) struct Site<'a> {
    pub(super) s: &'a SentenceTokens<'a>,
    agencies: &'a Agencies,
    pub(super) entities: &'a EntityLayer,
    pub(super) descriptors: &'a Descriptors,
    /// Each token's cue, with the length of a proclitic «و» or «ف» before it.
    pub(super) cues: Vec<Option<(CueEntry, usize)>>,
}

impl<'a> Site<'a> {
    /// Sentence `s` with each token's cue in `lexicon` (punctuation is none).
    pub(super) fn new(
        s: &'a SentenceTokens<'a>,
        lexicon: &CueLexicon,
        agencies: &'a Agencies,
        entities: &'a EntityLayer,
        descriptors: &'a Descriptors,
    ) -> Self {
        let cues = (0..s.len())
            .map(|i| {
                (!s.is_punct(i))
                    .then(|| cue_at(lexicon, &s.keys[i]))
                    .flatten()
            })
            .collect();
        Site {
            s,
            agencies,
            entities,
            descriptors,
            cues,
        }
    }

    /// The model range of cue `i`, without its proclitic.
    pub(super) fn cue(&self, i: usize) -> (usize, usize) {
        let clitic = self.cues[i].map_or(0, |(_, clitic)| clitic);
        (self.s.tokens[i].start + clitic, self.s.tokens[i].end)
    }

    /// The agency alias starting in token `i`.
    pub(super) fn agency_at(&self, i: usize) -> Option<&AgencyMatch> {
        let token = self.s.tokens[i];
        self.s.doc.agency_starting_in(token.start, token.end)
    }

    /// The channel an agency alias names.
    pub(super) fn channel(&self, m: &AgencyMatch) -> Channel {
        agency_channel(self.agencies, m)
    }

    /// The first cue from token `from`, or the sentence's end.
    pub(super) fn next_cue(&self, from: usize) -> usize {
        (from..self.s.len())
            .find(|&k| self.cues[k].is_some())
            .unwrap_or(self.s.len())
    }

    /// The first cue from token `from` that opens a new clause: one with «و» or «ف» fused
    /// to it or punctuation before it («...، وأضاف أن», «...، مشيرا إلى»); one inside the
    /// content is nested («إن الوفد الروسي وعد بـ...») and does not end it.
    pub(super) fn next_clause_cue(&self, from: usize) -> usize {
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
