//! The reporting verbs the trained cue detector adds to the table's.

use super::super::cues::CueLexicon;
use super::super::found::SentenceTokens;
use super::words::{AUXILIARIES, FUNCTION_WORDS, NOUN_MARKERS};

/// Which tokens the detector's cue chunks make reporting verbs: in each chunk without a
/// table word, its first plain word ("has also endorsed" → "endorsed").
pub(super) fn chosen(
    s: &SentenceTokens,
    lexicon: &CueLexicon,
    chunks: &[(usize, usize)],
) -> Vec<bool> {
    let mut chosen = vec![false; s.len()];
    for &(a, b) in chunks {
        let b = b.min(s.len());
        if (a..b).all(|k| lexicon.get(&s.keys[k]).is_none())
            && let Some(k) = (a..b).find(|&k| plain_word(s, k))
        {
            chosen[k] = true;
        }
    }
    chosen
}

/// True when token `k` may be the verb of a detected cue: a lower-case word of three
/// letters or more that is no auxiliary, function word, adverb or noun.
fn plain_word(s: &SentenceTokens, k: usize) -> bool {
    !s.is_punct(k)
        && !AUXILIARIES.contains(&s.keys[k])
        && !FUNCTION_WORDS.contains(&s.keys[k])
        && s.starts_lower(k)
        && s.keys[k].chars().count() >= 3
        // Letters, a hyphen inside allowed: "pooh-poohed".
        && s.keys[k].chars().all(|c| c.is_alphabetic() || c == '-')
        && !s.keys[k].starts_with('-')
        && !s.keys[k].ends_with('-')
        // "really", "directly": adverbs are never the verb.
        && !s.keys[k].ends_with("ly")
        // "the continued questions", "his early tweets": a word after a
        // determiner is a noun or an adjective.
        && !(k > 0 && NOUN_MARKERS.contains(&s.keys[k - 1]))
        // After a comma, a form in -ing opens a modifier, not a report
        // ("..., allowing its case to be heard there"); the table's
        // participles ("saying") are the ones that report.
        && !(k > 0 && s.is(k - 1, ',') && s.keys[k].ends_with("ing"))
}
