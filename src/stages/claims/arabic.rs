//! Attributions in Arabic: «وذكرت مصادر عسكرية لوكالة رويترز أن ...», «نفى التلفزيون ...»,
//! «مشيرا إلى ...», «وبحسب وسائل إعلام ... فإن ...», «...، وفق رويترز».

use crate::stages::entities::EntityLayer;
use crate::stages::normalize::Agencies;

use super::cues::{CueEntry, CueKind, CueLexicon};
use super::found::{EDGE_PUNCT, FoundClaim, OPENING_QUOTES, SentenceTokens};

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
/// Longest speaker, in tokens.
const MAX_SPEAKER: usize = 8;

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

/// Finds the attributions of one Arabic sentence.
pub fn extract(
    s: &SentenceTokens,
    lexicon: &CueLexicon,
    agencies: &Agencies,
    entities: &EntityLayer,
) -> Vec<FoundClaim> {
    let agency_at = |i: usize| s.doc.agency_starting_in(s.tokens[i].start, s.tokens[i].end);
    let cues: Vec<Option<(CueEntry, usize)>> = (0..s.len())
        .map(|i| {
            (!s.is_punct(i))
                .then(|| cue_at(lexicon, &s.keys[i]))
                .flatten()
        })
        .collect();
    let next_cue = |from: usize| {
        (from..s.len())
            .find(|&k| cues[k].is_some())
            .unwrap_or(s.len())
    };
    let mut found: Vec<FoundClaim> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let Some((entry, clitic)) = cues[i] else {
            i += 1;
            continue;
        };
        let cue = (s.tokens[i].start + clitic, s.tokens[i].end);
        match entry.kind {
            CueKind::Verb | CueKind::Participle => {
                let mut j = i + 1;
                let mut speaker = None;
                if entry.kind == CueKind::Verb {
                    let start = j;
                    while j < s.len()
                        && j - start < MAX_SPEAKER
                        && !is_stop(s, j)
                        && !(s.keys[j] == "في" && s.keys.get(j + 1).is_some_and(|k| k == "بيان"))
                    {
                        j += 1;
                    }
                    // Without a complementizer (نفى X وصول ...) the speaker is the entity named first.
                    if j < s.len()
                        && !is_complementizer(&s.keys[j])
                        && let Some(entity_end) = entity_end_at(s, entities, start)
                    {
                        j = entity_end.min(j);
                    }
                    if j > start {
                        speaker = s.range(start, j, &[]);
                    }
                }
                let mut via = None;
                let mut in_statement = false;
                // Channel and circumstance between speaker and content («لوكالة "رويترز"»,
                // «، في بيان صادر عنه،»), when the speaker's words stopped at one.
                let channel_follows = j < s.len()
                    && !is_complementizer(&s.keys[j])
                    && (is_stop(s, j) || s.keys[j] == "في");
                let limit = if channel_follows {
                    (j + 12).min(s.len())
                } else {
                    j
                };
                let mut k = j;
                while k < limit
                    && !is_complementizer(&s.keys[k])
                    && !(s.keys[k].starts_with(OPENING_QUOTES)
                        && (k + 1 >= s.len() || agency_at(k + 1).is_none())
                        && (k == 0 || agency_at(k - 1).is_none()))
                {
                    if s.keys[k] == "بيان" {
                        in_statement = true;
                    }
                    if via.is_none()
                        && let Some(m) = agency_at(k)
                        && (s.keys[k].starts_with('ل') || k > j)
                    {
                        via = Some((
                            (m.at.start, m.at.end),
                            Some(agencies.id(m.agency).to_string()),
                        ));
                    }
                    k += 1;
                }
                let content_start = if k < limit { k } else { j };
                let content_end = content_end(s, next_cue(content_start + 1));
                if let Some(content) = content_range(s, content_start, content_end) {
                    found.push(FoundClaim {
                        cue,
                        class: entry.class,
                        kind: entry.kind,
                        speaker,
                        content,
                        via,
                        in_statement,
                    });
                }
                i = content_end.max(i + 1);
            }
            CueKind::Prep => {
                let start = i + 1;
                let mut j = start;
                while j < s.len() && j - start < MAX_SPEAKER && !is_stop(s, j) {
                    j += 1;
                }
                let speaker = s.range(start, j, &[]);
                let agency = (start..j).find_map(agency_at);
                let opening = i == 0 || (i == 1 && s.is_punct(0));
                if let (false, Some(m), Some(last)) = (opening, agency, found.last_mut()) {
                    // «...، وفق رويترز»: the channel of the claim before it.
                    if last.via.is_none() {
                        last.via = Some((
                            (m.at.start, m.at.end),
                            Some(agencies.id(m.agency).to_string()),
                        ));
                    }
                    if let Some(end) = content_range(s, 0, content_end(s, i)).map(|r| r.1) {
                        last.content.1 = last.content.1.min(end);
                    }
                    i = j;
                    continue;
                }
                let (content_start, content_stop) = if opening {
                    let mut c = j;
                    while c < s.len() && s.is_punct(c) && !s.keys[c].starts_with(OPENING_QUOTES) {
                        c += 1;
                    }
                    (c, content_end(s, next_cue(c + 1)))
                } else {
                    (0, content_end(s, i))
                };
                if let (Some(speaker), Some(content)) =
                    (speaker, content_range(s, content_start, content_stop))
                {
                    found.push(FoundClaim {
                        cue,
                        class: entry.class,
                        kind: entry.kind,
                        speaker: Some(speaker),
                        content,
                        via: agency.map(|m| {
                            (
                                (m.at.start, m.at.end),
                                Some(agencies.id(m.agency).to_string()),
                            )
                        }),
                        in_statement: false,
                    });
                }
                i = if opening { content_stop.max(j) } else { j };
            }
        }
    }
    found
}

fn is_complementizer(key: &str) -> bool {
    COMPLEMENTIZERS.contains(&key)
}

/// Where a speaker's words stop: punctuation, a complementizer, or a channel («لوكالة», «لـ»).
fn is_stop(s: &SentenceTokens, j: usize) -> bool {
    let key = s.keys[j].as_str();
    s.is_punct(j) || is_complementizer(key) || key == "ل" || key.starts_with("لوكاله")
}

/// The end (exclusive) of the entity mention starting at token `i`, as a token index.
fn entity_end_at(s: &SentenceTokens, entities: &EntityLayer, i: usize) -> Option<usize> {
    let t = s.tokens[i];
    let m = entities
        .mentions_starting_in(t.start, t.start + 1)
        .first()?;
    (i..s.len())
        .find(|&k| s.tokens[k].end >= m.end)
        .map(|k| k + 1)
}

/// Content stops before the next cue's clause: before its comma and its «و».
fn content_end(s: &SentenceTokens, next_cue: usize) -> usize {
    let mut end = next_cue;
    while end > 0 && s.is_punct(end - 1) && (s.is(end - 1, '،') || s.is(end - 1, ',')) {
        end -= 1;
    }
    end
}

/// The content's range, edges trimmed; a content that is one quotation keeps its marks.
fn content_range(s: &SentenceTokens, a: usize, b: usize) -> Option<(usize, usize)> {
    let range = s.range(a, b, EDGE_PUNCT)?;
    (s.words(a, b) >= 2).then_some(range)
}
