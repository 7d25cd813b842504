//! What the words of an Arabic attribution are: complementizers, stops, circumstances,
//! channels and media mentions, and where a content ends.

use crate::stages::entities::{EntityLayer, MentionRef};

use super::super::found::{EDGE_PUNCT, OPENING_QUOTES, SentenceTokens};
use super::words::{
    ADVERBS, COMPLEMENTIZERS, CONNECTORS, DEMONSTRATIVES, RELAY_PREPOSITIONS, STATEMENT_NOUNS,
    TIME_PREPOSITIONS, TIME_WORDS, TOLD_PRONOUNS, WEAK_COMPLEMENTIZERS,
};

pub(super) fn is_complementizer(key: &str) -> bool {
    COMPLEMENTIZERS.contains(&key)
}

/// A complementizer that opens what was said on its own («أن», «إن»), not «إلى» or «عن»,
/// which also open other phrases.
pub(super) fn is_strong_complementizer(key: &str) -> bool {
    is_complementizer(key) && !WEAK_COMPLEMENTIZERS.contains(&key)
}

/// A definite noun of four letters or more («المضيفة», «الادعاء»), as a match key.
pub(super) fn is_definite_noun(key: &str) -> bool {
    key.starts_with("ال") && key.chars().count() >= 4
}

/// A demonstrative standing alone at token `j` (not a determiner: «هذا الأمر» is not one).
pub(super) fn is_pronoun_object(s: &SentenceTokens, j: usize) -> bool {
    DEMONSTRATIVES.contains(&s.keys[j].as_str())
        && s.keys.get(j + 1).is_none_or(|next| !next.starts_with("ال"))
}

/// The range of a media entity (outlet, state media, agency) named within model range
/// `a..b`.
pub(super) fn media_within(entities: &EntityLayer, a: usize, b: usize) -> Option<(usize, usize)> {
    entities
        .mentions_starting_in(a, b)
        .iter()
        .find(|m| m.end <= b && is_media(entities, m))
        .map(|m| (m.start, m.end))
}

/// «في بيان», «في تصريح»: a circumstance, not the speaker's words.
pub(super) fn is_circumstance(s: &SentenceTokens, j: usize) -> bool {
    s.keys[j] == "في"
        && s.keys
            .get(j + 1)
            .is_some_and(|k| STATEMENT_NOUNS.contains(&k.as_str()))
}

/// The model range of a media entity named at token `t` with the preposition «ل» fused to
/// it («للتلفزيون الرسمي السوري»): a channel.
pub(super) fn media_mention_at(
    s: &SentenceTokens,
    entities: &EntityLayer,
    t: usize,
) -> Option<(usize, usize)> {
    if !s.keys[t].starts_with('ل') {
        return None;
    }
    let token = s.tokens[t];
    let m = entities
        .mentions_starting_in(token.start, token.end)
        .first()?;
    is_media(entities, m).then_some((m.start, m.end))
}

/// True for a mention of an outlet, state media or a news agency.
fn is_media(entities: &EntityLayer, m: &MentionRef) -> bool {
    matches!(
        entities.entities[m.entity].role.as_deref(),
        Some("media" | "state_media" | "news_agency")
    )
}

/// The first token after the circumstance («في بيان»), the channel («للتلفزيون الرسمي»)
/// and punctuation that follow a speaker, from token `j`.
pub(super) fn skip_channel(s: &SentenceTokens, entities: &EntityLayer, mut j: usize) -> usize {
    while j < s.len() {
        if s.is_punct(j) && !s.keys[j].starts_with(OPENING_QUOTES) {
            j += 1;
        } else if is_circumstance(s, j) {
            j += 2;
        } else if let Some((_, end)) = media_mention_at(s, entities, j).or_else(|| {
            s.doc
                .agency_starting_in(s.tokens[j].start, s.tokens[j].end)
                .map(|m| (m.at.start, m.at.end))
        }) {
            while j < s.len() && s.tokens[j].start < end {
                j += 1;
            }
        } else {
            break;
        }
    }
    j
}

/// Where a speaker's words stop: punctuation, a complementizer, or a channel («لوكالة», «لـ»).
pub(super) fn is_stop(s: &SentenceTokens, j: usize) -> bool {
    let key = s.keys[j].as_str();
    s.is_punct(j) || is_complementizer(key) || key == "ل" || key.starts_with("لوكاله")
}

/// Who was told, after a speaker's words: «قال وليامز للمحكمة».
pub(super) fn is_addressee(s: &SentenceTokens, j: usize) -> bool {
    let key = s.keys[j].as_str();
    (key.starts_with("لل") && key.chars().count() > 4) || TOLD_PRONOUNS.contains(&key)
}

/// The first token of a verb's subject after it, from token `start`: adverbs of time
/// («أمس», «الأحد», «أيضا»), a phrase of time closed by a comma («، بعد إعلان النتيجة،»)
/// and who was told («لهم») are skipped.
pub(super) fn skip_adverbials(s: &SentenceTokens, start: usize) -> usize {
    let comma = |k: usize| s.is_punct(k) && (s.is(k, '،') || s.is(k, ','));
    let mut j = start;
    while j < s.len() {
        let key = s.keys[j].as_str();
        if ADVERBS.contains(&key)
            || TIME_WORDS.contains(&key)
            || TOLD_PRONOUNS.contains(&key)
            || (j > start && comma(j))
        {
            j += 1;
        } else if (TIME_PREPOSITIONS.contains(&key) || RELAY_PREPOSITIONS.contains(&key))
            && let Some(c) = (j + 1..(j + 10).min(s.len())).find(|&k| {
                comma(k)
                    || is_complementizer(&s.keys[k])
                    || s.keys[k].starts_with(OPENING_QUOTES)
                    || s.is(k, ':')
            })
        {
            // «قال قبل التصويت ببضعة أشهر إن», «قال وفقا لما نقلته وكالة ...: "..."»: the
            // phrase runs to the comma, the complementizer or the quotation; the verb
            // then carries its subject.
            j = if comma(c) { c + 1 } else { c };
        } else {
            break;
        }
    }
    j
}

/// The end (exclusive) of the entity mention starting at token `i`, as a token index.
pub(super) fn entity_end_at(s: &SentenceTokens, entities: &EntityLayer, i: usize) -> Option<usize> {
    let t = s.tokens.get(i)?;
    let m = entities
        .mentions_starting_in(t.start, t.start + 1)
        .first()?;
    (i..s.len())
        .find(|&k| s.tokens[k].end >= m.end)
        .map(|k| k + 1)
}

/// Content stops before the next cue's clause: before its comma and its connector
/// («و», «فيما», «بينما»).
pub(super) fn content_end(s: &SentenceTokens, next_cue: usize) -> usize {
    let mut end = next_cue;
    while end > 0
        && (s.is_punct(end - 1) && (s.is(end - 1, '،') || s.is(end - 1, ','))
            || CONNECTORS.contains(&s.keys[end - 1].as_str()))
    {
        end -= 1;
    }
    end
}

/// The content's range, edges trimmed; a content that is one quotation keeps its marks.
pub(super) fn content_range(s: &SentenceTokens, a: usize, b: usize) -> Option<(usize, usize)> {
    let range = s.range(a, b, EDGE_PUNCT)?;
    (s.words(a, b) >= 2).then_some(range)
}
