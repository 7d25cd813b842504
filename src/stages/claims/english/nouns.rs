//! Nouns of saying: "Donald Trump's claim that C", "his warning that C", and reporting
//! verbs used as nouns ("the hit show", "20 states", "their claims that C").

use super::super::cues::{CueEntry, CueKind, CueLexicon};
use super::super::found::{FoundClaim, SentenceTokens};
use super::content::{clause_end, trimmed};
use super::marks::{inside_name, possessive};
use super::site::{Read, Site};
use super::subject::MAX_SPEAKER;
use super::words::{AFTER_NOUNS, NOUN_MARKERS, PAST_FORMS, POSSESSIVES, PREPOSITIONS};

/// A noun cue of the table: its owner's claim, if it has one.
pub(super) fn noun_cue(site: &Site) -> Option<Read> {
    let entry = site.entry.filter(|e| e.kind == CueKind::Noun)?;
    Some(Read::token(owned_noun(site.s, site.i, entry, site.lexicon)))
}

/// A verb cue that is no verb where it stands: in the subject of another cue's clause
/// ("Police officials said a device was found") it is nothing; used as a noun ("their
/// claims that C", "Trump's promises about C") it is still its owner's claim.
pub(super) fn verb_as_noun(site: &Site) -> Option<Read> {
    let (s, i) = (site.s, site.i);
    let entry = site.entry?;
    let (a, v) = site.subject?;
    let nested = (a..v).any(|k| {
        site.lexicon
            .get(&s.keys[k])
            .is_some_and(|e| e.kind == CueKind::Verb)
            && !inside_name(s, k)
    });
    if nested {
        return Some(Read::token(None));
    }
    used_as_noun(s, i, a, v).then(|| Read::token(owned_noun(s, i, entry, site.lexicon)))
}

/// True when verb cue `i`, with its subject at `a..v`, reads as a noun: after a determiner
/// or number ("the hit show", "20 states"), in a phrase that starts with a preposition ("in
/// the swing states"), or before a word no reporting verb takes ("states could decide").
fn used_as_noun(s: &SentenceTokens, i: usize, a: usize, v: usize) -> bool {
    // A subject never ends with a preposition: "20 states in recent months".
    if a < v && PREPOSITIONS.contains(&s.keys[v - 1]) {
        return true;
    }
    // Only present forms double as nouns ("states", "show", "claims"); "said" does not.
    let word = s.keys[i].as_str();
    if word == "says" {
        // Never a noun: "The businessman says of Clinton, ...".
        return false;
    }
    if word.ends_with("ed") || PAST_FORMS.contains(word) {
        // ... but a participle right after an article is an adjective: "an estimated 200",
        // "the alleged plot".
        return i > 0 && matches!(s.keys[i - 1].as_str(), "the" | "a" | "an" | "such");
    }
    let before = v.checked_sub(1).map(|k| s.keys[k].as_str());
    let after = s.keys.get(i + 1).map(String::as_str);
    before.is_some_and(|w| {
        NOUN_MARKERS.contains(w)
            || w.starts_with(|c: char| c.is_ascii_digit())
                && w.chars().all(|c| c.is_ascii_digit() || c == ',')
            || w.ends_with("'s")
            || w.ends_with("’s")
            || w == "to"
    }) || a < v && PREPOSITIONS.contains(&s.keys[a])
        || after.is_some_and(|w| AFTER_NOUNS.contains(w))
}

/// "Donald Trump's claim that C", "his warning that C": a noun cue `i` owned by a name or
/// a possessive and followed by "that" (or "about"): the owner speaks.
fn owned_noun(
    s: &SentenceTokens,
    i: usize,
    entry: CueEntry,
    lexicon: &CueLexicon,
) -> Option<FoundClaim> {
    // "that" opens what was said; "about" what it was said of ("North Korea's claims
    // about its test").
    if s.keys
        .get(i + 1)
        .is_none_or(|w| w != "that" && w != "about")
        || i == 0
    {
        return None;
    }
    let speaker = if POSSESSIVES.contains(&s.keys[i - 1]) {
        s.range(i - 1, i, &[])?
    } else if possessive(s, i - 1) || s.keys[i - 1].ends_with("'s") || s.keys[i - 1].ends_with("’s")
    {
        owner(s, i)?
    } else {
        return None;
    };
    let c = i + 2;
    let content = trimmed(s, c, clause_end(s, lexicon, c))?;
    let cue = (s.tokens[i].start, s.tokens[i].end);
    Some(FoundClaim::new(cue, entry, Some(speaker), content))
}

/// The owner of noun cue `i` after a possessive: the capitalised words before it ("Donald
/// Trump's"), without the possessive ending.
fn owner(s: &SentenceTokens, i: usize) -> Option<(usize, usize)> {
    let end = if possessive(s, i - 1) { i - 1 } else { i };
    let mut start = end;
    while start > 0
        && end - start < MAX_SPEAKER
        && !s.is_punct(start - 1)
        && s.starts_upper(start - 1)
    {
        start -= 1;
    }
    if start == end {
        return None;
    }
    let (from, to) = s.range(start, end, &[])?;
    let to = if end == i { to.saturating_sub(2) } else { to };
    (from < to).then_some((from, to))
}
