//! Where what was said starts and ends in an English sentence: edges trimmed, the clause
//! of the cue, a quotation or paragraph standing for it.

use super::super::cues::{CueKind, CueLexicon};
use super::super::found::{CLOSING_QUOTES, EDGE_PUNCT, OPENING_QUOTES, SentenceTokens};
use super::super::quotations;
use super::marks::is_quote_mark;
use super::words::{CIRCUMSTANCE_STARTS, PREPOSITIONS};

/// Content range with edge punctuation trimmed, quotes kept when balanced.
pub(super) fn trimmed(s: &SentenceTokens, a: usize, b: usize) -> Option<(usize, usize)> {
    if s.words(a, b) < 2 {
        return None;
    }
    let mut trim: Vec<char> = EDGE_PUNCT.to_vec();
    // A quotation closed inside the range keeps its marks; stray ones go.
    let opens = (a..b)
        .filter(|&k| s.keys[k].starts_with(OPENING_QUOTES) && !s.keys[k].starts_with('"'))
        .count();
    let closes = (a..b)
        .filter(|&k| s.keys[k].starts_with(CLOSING_QUOTES) && !s.keys[k].starts_with('"'))
        .count();
    let straight = (a..b).filter(|&k| s.keys[k].starts_with('"')).count();
    if opens != closes || straight % 2 == 1 {
        trim.extend_from_slice(OPENING_QUOTES);
        trim.extend_from_slice(CLOSING_QUOTES);
    }
    s.range(a, b, &trim)
}

/// Where a content starting at token `from` ends: before ", saying ..." (a participle cue
/// opens a claim of its own), before "and promised ..." (a cue verb sharing the subject),
/// or at the end of the sentence.
pub(super) fn clause_end(s: &SentenceTokens, lexicon: &CueLexicon, from: usize) -> usize {
    let cue_after = |k: usize, kind: CueKind| {
        s.keys
            .get(k + 1)
            .and_then(|w| lexicon.get(w))
            .is_some_and(|e| e.kind == kind)
    };
    let end = (from..s.len())
        .find(|&k| {
            s.is(k, ',') && cue_after(k, CueKind::Participle)
                || s.keys[k] == "and" && cue_after(k, CueKind::Verb)
        })
        .unwrap_or(s.len());
    if end > from && end < s.len() && s.is(end - 1, ',') {
        end - 1
    } else {
        end
    }
}

/// True when the sentence opens with a phrase of time, place, occasion or condition:
/// "In an interview, ...", "And until Thursday, ...", "Bemoaning the system, ...".
pub(super) fn opens_circumstance(s: &SentenceTokens) -> bool {
    let first = if matches!(s.keys.first().map(String::as_str), Some("and" | "but")) {
        1
    } else {
        0
    };
    s.keys.get(first).is_some_and(|w| {
        CIRCUMSTANCE_STARTS.contains(w)
            // A participle opening the sentence: "Bemoaning the “phony system,” ...".
            || w.ends_with("ing") && !s.is_punct(first) && w.chars().count() > 5
    })
}

/// True when tokens `a..b` after a cue read as what was said: "that ...", a quotation, a
/// colon, or three words or more not opening with a preposition ("said in a June report"
/// is a circumstance, not content).
pub(super) fn content_after(s: &SentenceTokens, a: usize, b: usize) -> bool {
    if a >= b {
        return false;
    }
    s.keys[a] == "that"
        || is_quote_mark(s, a)
        || s.is(a, ':')
        || !PREPOSITIONS.contains(&s.keys[a]) && s.words(a, b) >= 3
}

/// The next paragraph's model range, when the sentence ends its own paragraph.
pub(super) fn paragraph_after(s: &SentenceTokens) -> Option<(usize, usize)> {
    let doc = s.doc;
    let end = s.tokens.last()?.end;
    let p = doc.paragraphs.partition_point(|p| p.end < end);
    let here = doc.paragraphs.get(p)?;
    let rest_blank = doc.layers.model[end..here.end.max(end)]
        .iter()
        .all(|c| c.is_whitespace() || matches!(c, ':' | '.'));
    let next = doc.paragraphs.get(p + 1)?;
    (rest_blank && next.excluded.is_none() && next.start < next.end)
        .then_some((next.start, next.end))
}

/// The quotation that closes right before the sentence, on the same line: its marks'
/// model range.
pub(super) fn quotation_before(s: &SentenceTokens) -> Option<(usize, usize)> {
    let text = &s.doc.layers.model;
    let mut close = s.tokens.first()?.start;
    while close > 0 && text[close - 1].is_whitespace() && text[close - 1] != '\n' {
        close -= 1;
    }
    let close = close.checked_sub(1)?;
    let (opening, kind) = quotations::mark(text, close)?;
    if opening {
        return None;
    }
    let open = quotations::opening_before(text, close, kind)?;
    (close > open + 1).then_some((open, close + 1))
}
