//! Who stands before an English reporting verb: the subject read leftwards from the verb,
//! an appositive or relative subject, or the name opening the sentence.

use super::super::found::SentenceTokens;
use super::marks::{abbreviation_dot, is_quote_mark, possessive};
use super::words::{
    AUXILIARIES, BE_FORMS, CLAUSE_WORDS, NOUN_MARKERS, PREPOSITIONS, SUBJECT_PRONOUNS,
};

/// Longest speaker, in tokens.
pub(super) const MAX_SPEAKER: usize = 7;

/// The tokens `a..v` of the subject before verb cue `i`, auxiliaries ("has also said") and
/// a parenthesis ("Rep. Gwen Moore (D-Wis.) said") stepped over; `a == v` when none
/// stands there. `detected` says the trained detector, not the table, found the verb;
/// `progressive` that it is a participle after a form of "be".
pub(super) fn before_verb(
    s: &SentenceTokens,
    i: usize,
    detected: bool,
    progressive: bool,
) -> (usize, usize) {
    let mut v = i;
    // "Caddell went on to discuss ...", "Pence plans to release ...": the detector's
    // infinitive is the end of a verb group; its subject stands before the group.
    if detected && i > 1 && s.keys[i - 1] == "to" {
        let mut g = i - 1;
        while g > 0
            && i - 1 - g < 2
            && !s.is_punct(g - 1)
            && s.starts_lower(g - 1)
            && !NOUN_MARKERS.contains(&s.keys[g - 1])
            && !CLAUSE_WORDS.contains(&s.keys[g - 1])
            && !SUBJECT_PRONOUNS.contains(&s.keys[g - 1])
        {
            g -= 1;
        }
        if g < i - 1 {
            v = g;
        }
    }
    while v > 0
        && (AUXILIARIES.contains(&s.keys[v - 1])
            || progressive && BE_FORMS.contains(&s.keys[v - 1]))
    {
        v -= 1;
    }
    // "Rep. Gwen Moore (D-Wis.) said": a parenthesis right before the verb is skipped.
    if v > 2
        && s.is(v - 1, ')')
        && let Some(open) = (v.saturating_sub(8)..v - 1).rev().find(|&k| s.is(k, '('))
    {
        v = open;
    }
    let mut a = v;
    while a > 0
        && v - a < MAX_SPEAKER
        && (!s.is_punct(a - 1) || abbreviation_dot(s, a - 1))
        && !CLAUSE_WORDS.contains(&s.keys[a - 1])
    {
        a -= 1;
    }
    (a, v)
}

/// The first token of a sentence-initial subject with an appositive, "The chairman,
/// Phil Lovas, said ...", when the verb at `v` follows its second comma: both parts short,
/// no quotation or clause word in them.
pub(super) fn appositive_subject(s: &SentenceTokens, v: usize) -> Option<usize> {
    // Something must follow the verb: words, or a quotation after a comma or colon
    // ("Hillary Clinton, at a later press gaggle, said, “...”").
    let quotation_after =
        v + 2 < s.len() && (s.is(v + 1, ',') || s.is(v + 1, ':')) && is_quote_mark(s, v + 2);
    if v < 4
        || !s.is(v - 1, ',')
        || s.keys.get(v + 1).is_none_or(|_| s.is_punct(v + 1)) && !quotation_after
    {
        return None;
    }
    // The subject starts the sentence (after "But" or "And"), or follows a dateline's dash
    // or a colon.
    // Or it follows a quotation and its comma: "“C,” Rep. Jim Jordan (R-Ohio), a member of
    // the panel, said ...".
    let mut start = (0..v - 1)
        .rev()
        .find(|&k| {
            s.is(k, '—')
                || s.is(k, '-')
                || s.is(k, ':')
                || s.is(k, ',') && k > 0 && is_quote_mark(s, k - 1)
                || is_quote_mark(s, k) && k > 0 && s.is(k - 1, ',')
        })
        .map_or(0, |k| k + 1);
    if matches!(s.keys[start].as_str(), "but" | "and" | "yet") {
        start += 1;
    }
    let first_comma = (start..v - 1).find(|&k| s.is(k, ','))?;
    // "and" may join the words of a name ("Citizenship and Immigration Services"); titles'
    // dots and a bracketed party label may stand in it.
    let head_plain = (start..first_comma).all(|k| {
        if s.is_punct(k) {
            abbreviation_dot(s, k) || s.is(k, '(') || s.is(k, ')') || possessive(s, k)
        } else {
            s.keys[k] == "and" || !CLAUSE_WORDS.contains(&s.keys[k])
        }
    });
    let no_quotes = (start..v).all(|k| !is_quote_mark(s, k));
    (head_plain
        && no_quotes
        && (1..=8).contains(&s.words(start, first_comma))
        && (1..=30).contains(&s.words(first_comma + 1, v - 1)))
    .then_some(start)
}

/// The noun phrase a relative pronoun right before the verb at `v` stands for: "David
/// Kamin, who emphasized ...", "officials who said ...". Its tokens `start..end`.
pub(super) fn relative_subject(s: &SentenceTokens, v: usize) -> Option<(usize, usize)> {
    if v < 2 || !matches!(s.keys[v - 1].as_str(), "who" | "which") {
        return None;
    }
    let mut end = v - 1;
    if end > 0 && s.is(end - 1, ',') {
        end -= 1;
    }
    let mut start = end;
    while start > 0
        && end - start < MAX_SPEAKER
        && (!s.is_punct(start - 1) || abbreviation_dot(s, start - 1))
        && !CLAUSE_WORDS.contains(&s.keys[start - 1])
        && !PREPOSITIONS.contains(&s.keys[start - 1])
    {
        start -= 1;
    }
    (start < end).then_some((start, end))
}

/// The name that opens the sentence and is the subject of its first verb, when the cue at
/// `before` continues that verb's clause ("Dr. Mehmet Oz appeared on the network and began
/// by saying that C"): capitalised words (titles' dots among them) right up to a lower-case
/// word.
pub(super) fn leading_subject(s: &SentenceTokens, before: usize) -> Option<(usize, usize)> {
    leading_subject_from(s, 0, before)
}

/// The capitalised name opening tokens `from..before` right up to a lower-case word (its
/// verb), as [`leading_subject`] reads it from the sentence's start.
pub(super) fn leading_subject_from(
    s: &SentenceTokens,
    from: usize,
    before: usize,
) -> Option<(usize, usize)> {
    let capitalised = |k: usize| !s.is_punct(k) && s.starts_upper(k);
    let mut end = from;
    while end < before.min(from + MAX_SPEAKER) && (capitalised(end) || abbreviation_dot(s, end)) {
        end += 1;
    }
    let verb_follows = end < before
        && !s.is_punct(end)
        && !capitalised(end)
        && !CLAUSE_WORDS.contains(&s.keys[end]);
    (end > from && verb_follows && !PREPOSITIONS.contains(&s.keys[from]))
        .then(|| s.range(from, end, &[]))
        .flatten()
}
