//! A token of an English sentence as the attribution patterns see it: the cue it is, the
//! subject before it, the claims found before it; and what a pattern reads there.

use crate::record::CueClass;
use crate::stages::normalize::Agencies;

use super::super::cues::{CueEntry, CueKind, CueLexicon};
use super::super::found::{Channel, FoundClaim, SentenceTokens, agency_channel};
use super::subject;
use super::words::BE_FORMS;

/// What a pattern reads at a token: the claim it makes there, if any, and the tokens it
/// covers.
pub(super) struct Read {
    pub(super) claim: Option<FoundClaim>,
    pub(super) width: usize,
}

impl Read {
    /// One token read, with the claim it makes, if any.
    pub(super) fn token(claim: Option<FoundClaim>) -> Self {
        Read { claim, width: 1 }
    }
}

/// A token offered to the patterns, with what they all read of it.
pub(super) struct Site<'a> {
    pub(super) s: &'a SentenceTokens<'a>,
    pub(super) lexicon: &'a CueLexicon,
    pub(super) agencies: &'a Agencies,
    /// The claims found before it in the sentence.
    pub(super) found: &'a [FoundClaim],
    /// The token.
    pub(super) i: usize,
    /// The cue it is: the table's (neighbours considered), or a reporting verb the
    /// detector found; a participle after a form of "be" ("is warning") is a verb.
    pub(super) entry: Option<CueEntry>,
    /// For a verb cue, the tokens `a..v` of the subject before it (`a == v`: none).
    pub(super) subject: Option<(usize, usize)>,
}

impl<'a> Site<'a> {
    pub(super) fn new(
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
                    needs_complement: false,
                })
        });
        // "Trump is warning voters that C": a participle after a form of "be" is the verb.
        let progressive = entry.is_some_and(|e| e.kind == CueKind::Participle)
            && i > 0
            && BE_FORMS.contains(&s.keys[i - 1]);
        let entry = entry.map(|e| CueEntry {
            kind: if progressive { CueKind::Verb } else { e.kind },
            ..e
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
    pub(super) fn cue(&self) -> (usize, usize) {
        (self.s.tokens[self.i].start, self.s.tokens[self.i].end)
    }

    /// The channel of the first agency named within tokens `a..b`.
    pub(super) fn agency_in(&self, a: usize, b: usize) -> Option<Channel> {
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
