//! What single tokens of an English sentence are: a title's dot, a possessive's
//! apostrophe, a quotation mark, a word of a capitalised name.

use super::super::found::{CLOSING_QUOTES, OPENING_QUOTES, SentenceTokens};

/// True when token `k` is the dot of a title or initial: "Mr.", "Sen.", "R.".
pub(super) fn abbreviation_dot(s: &SentenceTokens, k: usize) -> bool {
    k > 0
        && s.is(k, '.')
        && !s.is_punct(k - 1)
        && s.tokens[k - 1].end == s.tokens[k].start
        && s.keys[k - 1].chars().count() <= 4
        && s.starts_upper(k - 1)
}

/// True when token `k` is the apostrophe of a possessive or elision ("Trump's").
pub(super) fn possessive(s: &SentenceTokens, k: usize) -> bool {
    (s.is(k, '\'') || s.is(k, '’')) && !is_quote_mark(s, k)
}

/// True when token `k` is a quotation mark, the ASCII apostrophe of '' ... '' included.
pub(super) fn is_quote_mark(s: &SentenceTokens, k: usize) -> bool {
    // A lone apostrophe is a possessive or an elision ("Trump's", "rock 'n' roll"), not a
    // quotation mark: only one of a pair is.
    let doubled_apostrophe = || {
        let model = &s.doc.layers.model;
        let at = s.tokens[k].start;
        model.get(at + 1) == Some(&'\'') || at > 0 && model[at - 1] == '\''
    };
    s.is_punct(k)
        && (s.keys[k].starts_with(OPENING_QUOTES)
            || s.keys[k].starts_with(CLOSING_QUOTES)
            || s.keys[k].starts_with('\'') && doubled_apostrophe())
}

/// True when cue word `i` is capitalised inside a capitalised name ("United States",
/// "Fox News Reports") in a sentence that is not written in title case.
pub(super) fn inside_name(s: &SentenceTokens, i: usize) -> bool {
    let lower_words = (0..s.len())
        .filter(|&k| !s.is_punct(k) && !s.starts_upper(k))
        .count();
    i > 0
        && s.starts_upper(i)
        && s.starts_upper(i - 1)
        && !s.is_punct(i - 1)
        && lower_words * 2 > s.words(0, s.len())
}
