//! Passive cues: "The registration issue was first reported by The Washington Post" (the
//! agent speaks, the subject was said) and "A curfew was announced from midnight".

use super::super::cues::{CueEntry, CueLexicon};
use super::super::found::{EDGE_PUNCT, FoundClaim, SentenceTokens};
use super::content::{clause_end, trimmed};
use super::marks::{abbreviation_dot, possessive};
use super::site::{Read, Site};
use super::subject::MAX_SPEAKER;
use super::words::{AUXILIARIES, CLAUSE_WORDS, PASSIVE_BE, PAST_FORMS, VERB_AUXILIARIES};

/// A verb cue in the passive: read whole, whether or not it makes a claim.
pub(super) fn passive(site: &Site) -> Option<Read> {
    let entry = site.entry?;
    let be = passive_be(site.s, site.i)?;
    Some(Read::token(claim(site.s, site.i, be, entry, site.lexicon)))
}

/// The token of the form of "be" that makes cue `i` a passive participle ("was first
/// reported", "have barely been mentioned", "could be expected"): adverbs, "not" and
/// auxiliaries may stand between.
fn passive_be(s: &SentenceTokens, i: usize) -> Option<usize> {
    let word = s.keys[i].as_str();
    if !(word.ends_with("ed") || PAST_FORMS.contains(word)) {
        return None;
    }
    let mut k = i;
    while k > 0 && i - k <= 3 {
        k -= 1;
        let w = s.keys[k].as_str();
        if PASSIVE_BE.contains(w) {
            return Some(k);
        }
        let between = !s.is_punct(k)
            && (w.ends_with("ly")
                || AUXILIARIES.contains(w)
                || matches!(w, "not" | "never" | "first" | "widely" | "being"));
        if !between {
            return None;
        }
    }
    None
}

/// A passive cue `i` with its form of "be" at `be`: the agent after "by" speaks and the
/// subject is what was said; without an agent the whole clause is the content and the
/// speaker is the one before.
fn claim(
    s: &SentenceTokens,
    i: usize,
    be: usize,
    entry: CueEntry,
    lexicon: &CueLexicon,
) -> Option<FoundClaim> {
    // The subject runs back to the clause's start: punctuation other than a title's dot,
    // or a clause word (kept: "which was nominated for an award"); a one-word aside is
    // stepped over ("Donald Trump, meanwhile, is supported by ...").
    let aside = be > 3 && s.is(be - 1, ',') && s.is(be - 3, ',') && !s.is_punct(be - 2);
    let subject_last = if aside { be - 3 } else { be };
    let mut start = subject_last;
    while start > 0
        && (!s.is_punct(start - 1) || abbreviation_dot(s, start - 1))
        && !CLAUSE_WORDS.contains(&s.keys[start - 1])
    {
        start -= 1;
    }
    // Modals and "have" before "be" belong to the verb: "could be expected".
    let mut subject_end = subject_last;
    while subject_end > start && VERB_AUXILIARIES.contains(&s.keys[subject_end - 1]) {
        subject_end -= 1;
    }
    if start > 0 && matches!(s.keys[start - 1].as_str(), "which" | "that") {
        start -= 1;
    }
    if s.words(start, subject_end) == 0 {
        return None;
    }
    let by = (i + 1..s.len().min(i + 4))
        .take_while(|&k| !s.is_punct(k))
        .find(|&k| s.keys[k] == "by");
    let (speaker, content) = match by {
        Some(by) => {
            let mut end = by + 1;
            while end < s.len()
                && end - by <= MAX_SPEAKER
                && (!s.is_punct(end) || abbreviation_dot(s, end) || possessive(s, end))
                && !CLAUSE_WORDS.contains(&s.keys[end])
            {
                end += 1;
            }
            (
                Some(s.range(by + 1, end, &[])?),
                s.range(start, subject_end, EDGE_PUNCT)?,
            )
        }
        None => (None, trimmed(s, start, clause_end(s, lexicon, i + 1))?),
    };
    let cue = (s.tokens[i].start, s.tokens[i].end);
    Some(FoundClaim::new(cue, entry, speaker, content))
}
