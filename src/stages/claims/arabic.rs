//! Attributions in Arabic: «وذكرت مصادر عسكرية لوكالة رويترز أن ...», «نفى التلفزيون ...»,
//! «مشيرا إلى ...», «وبحسب وسائل إعلام ... فإن ...», «...، وفق رويترز».

use crate::record::CueClass;
use crate::stages::entities::{EntityLayer, MentionRef};
use crate::stages::normalize::Agencies;

use super::cues::{CueEntry, CueKind, CueLexicon, Descriptors};
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
/// Complementizers that only open content when no proper one («أن», «إن», ...) follows:
/// «عن» in «أعلن عن» but not in «، طلب عدم الكشف عن اسمه، إن».
const WEAK_COMPLEMENTIZERS: &[&str] = &["الي", "عن"];
/// Nouns of the circumstance «في بيان», «في تصريح»: they end a speaker's words.
const STATEMENT_NOUNS: &[&str] = &["بيان", "تصريح", "تصريحات", "حديث", "مقابله", "موتمر"];
/// Connectors that end a content before the next clause («..., فيما نفت ...»).
const CONNECTORS: &[&str] = &["فيما", "بينما", "حين", "و"];
/// Demonstratives: standing alone after the speaker they are the object («نفت الإدارة
/// ذلك»), the content by reference to what was said before.
const DEMONSTRATIVES: &[&str] = &["ذلك", "هذا"];
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
    descriptors: &Descriptors,
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
    // A cue opens a new clause when «و» or «ف» is fused to it or punctuation precedes it
    // («...، وأضاف أن», «...، مشيرا إلى»); one inside the content is nested («إن الوفد
    // الروسي وعد بـ...») and does not end it.
    let next_clause_cue = |from: usize| {
        (from..s.len())
            .find(|&k| {
                cues[k].is_some_and(|(entry, clitic)| clitic > 0 || entry.kind == CueKind::Prep)
                    || cues[k].is_some()
                        && (k == 0
                            || s.is_punct(k - 1)
                            || CONNECTORS.contains(&s.keys[k - 1].as_str()))
            })
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
                // A verb with «و» or «ف» fused to it opens a clause: nothing before it is its
                // subject.
                let subject = (entry.kind == CueKind::Verb && clitic == 0)
                    .then(|| subject_before(s, entities, descriptors, i))
                    .flatten();
                if let Some(range) = subject {
                    // «مصادر محلية في إدلب نفت عودة النازحين»: the subject stands before the
                    // verb, and what follows it is the content.
                    speaker = Some(range);
                } else if entry.kind == CueKind::Verb {
                    let start = j;
                    while j < s.len()
                        && j - start < MAX_SPEAKER
                        && !is_stop(s, j)
                        && !is_circumstance(s, j)
                        && !(j > start && is_pronoun_object(s, j))
                        && !(s.keys[j] == "من"
                            && s.keys.get(j + 1).is_some_and(|k| is_complementizer(k)))
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
                // «، في بيان صادر عنه،», «في تصريح للتلفزيون الرسمي»), when the speaker's
                // words stopped at one.
                let channel_follows = j < s.len()
                    && !is_complementizer(&s.keys[j])
                    && (is_stop(s, j) || s.keys[j] == "في" || s.keys[j] == "من");
                let limit = if channel_follows {
                    (j + 12).min(next_cue(j))
                } else {
                    j
                };
                let opens_quote = |k: usize| {
                    s.keys[k].starts_with(OPENING_QUOTES)
                        && (k + 1 >= s.len() || agency_at(k + 1).is_none())
                        && (k == 0 || agency_at(k - 1).is_none())
                };
                let complementizer = |weak: bool| {
                    (j..limit).take_while(|&k| !opens_quote(k)).find(|&k| {
                        is_complementizer(&s.keys[k])
                            && (weak || !WEAK_COMPLEMENTIZERS.contains(&s.keys[k].as_str()))
                    })
                };
                let found_at = complementizer(false).or_else(|| complementizer(true));
                let k = found_at
                    .unwrap_or_else(|| (j..limit).find(|&k| opens_quote(k)).unwrap_or(limit));
                for t in j..k {
                    if STATEMENT_NOUNS.contains(&s.keys[t].as_str()) {
                        in_statement |= s.keys[t] == "بيان" || s.keys[t] == "تصريح";
                    }
                    if via.is_none() {
                        if let Some(m) =
                            agency_at(t).filter(|_| s.keys[t].starts_with('ل') || t > j)
                        {
                            via = Some((
                                (m.at.start, m.at.end),
                                Some(agencies.id(m.agency).to_string()),
                            ));
                        } else if let Some(m) = media_mention_at(s, entities, t) {
                            via = Some((m, None));
                        }
                    }
                }
                let anaphoric = found_at.is_none()
                    && j < s.len()
                    && matches!(entry.class, CueClass::Deny | CueClass::Confirm)
                    && is_pronoun_object(s, j);
                let content_start = if k < limit {
                    k
                } else if channel_follows {
                    // No complementizer («نفى ... وقوع أي وفيات»): the content follows the
                    // circumstance and the channel.
                    skip_channel(s, entities, j)
                } else {
                    j
                };
                // «نقلت وكالة سانا عن مصدر عسكري قوله إن ...»: the source after «عن» speaks,
                // and the agency or outlet that relays it is the channel.
                let mut content_start = content_start;
                if let Some((source, after)) = relayed_source(s, content_start) {
                    let relay = speaker.and_then(|(a, b)| {
                        s.doc
                            .agencies_within(a, b)
                            .next()
                            .map(|m| {
                                (
                                    (m.at.start, m.at.end),
                                    Some(agencies.id(m.agency).to_string()),
                                )
                            })
                            .or_else(|| media_within(entities, a, b).map(|r| (r, None)))
                    });
                    if let Some(relay) = relay {
                        speaker = Some(source);
                        via = Some(relay);
                        content_start = after;
                    }
                }
                let content_end = content_end(s, next_clause_cue(content_start + 1));
                let content = if anaphoric {
                    // «نفت إدارة الميناء ذلك»: the content is «ذلك», what was said before.
                    in_statement |= (j..content_end).any(|t| s.keys[t] == "بيان");
                    Some((s.tokens[j].start, s.tokens[j].end))
                } else {
                    content_range(s, content_start, content_end)
                };
                if let Some(content) = content {
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
                // Nested cues inside the content are read as claims of their own.
                let nested = next_cue(i + 1);
                i = if nested < content_end {
                    nested
                } else {
                    content_end.max(i + 1)
                };
            }
            // The Arabic table has no noun cues; one added there is read as nothing yet.
            CueKind::Noun => {}
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
                    if let Some(end) = content_range(s, 0, content_end(s, i)).map(|r| r.1)
                        && end > last.content.0
                    {
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

/// A demonstrative standing alone at token `j` (not a determiner: «هذا الأمر» is not one).
fn is_pronoun_object(s: &SentenceTokens, j: usize) -> bool {
    DEMONSTRATIVES.contains(&s.keys[j].as_str())
        && s.keys.get(j + 1).is_none_or(|next| !next.starts_with("ال"))
}

/// The speaker named before a verb cue at token `i` (subject-verb order), from the start
/// of its clause (the sentence, a comma, or «أن», «إن», «لكن»): an entity or a described
/// source («مصادر محلية في إدلب»), when no speaker follows the verb.
fn subject_before(
    s: &SentenceTokens,
    entities: &EntityLayer,
    descriptors: &Descriptors,
    i: usize,
) -> Option<(usize, usize)> {
    let mut b = i;
    while b > 0 && !s.is_punct(b - 1) && !is_complementizer(&s.keys[b - 1]) && i - b < MAX_SPEAKER {
        b -= 1;
    }
    if b == i || b > 0 && !s.is_punct(b - 1) && !is_complementizer(&s.keys[b - 1]) {
        return None;
    }
    let named_at = |t: usize| {
        let token = s.tokens[t];
        !entities
            .mentions_starting_in(token.start, token.end)
            .is_empty()
    };
    let described_at = |t: usize| descriptors.kind_of(&s.keys[t]).is_some();
    let speaker_follows = i + 1 < s.len() && (named_at(i + 1) || described_at(i + 1));
    let clause_opener = |t: usize| ["الا", "لكن", "و", "ف"].contains(&s.keys[t].as_str());
    let first = if clause_opener(b) { b + 1 } else { b };
    (first < i && i - first <= 4 && !speaker_follows && (named_at(first) || described_at(first)))
        .then(|| s.range(first, i, &[]))
        .flatten()
}

/// Words that end a relayed source («عن مصدر عسكري قوله إن»).
const RELAY_SAYING: &[&str] = &["قوله", "قولها", "قولهم"];

/// A source relayed by «عن» at token `at` («عن مصدر عسكري قوله إن ...»): its model range and
/// the token where its content starts.
fn relayed_source(s: &SentenceTokens, at: usize) -> Option<((usize, usize), usize)> {
    if s.keys.get(at).is_none_or(|k| k != "عن") {
        return None;
    }
    let end = (at + 8).min(s.len());
    let stop = (at + 1..end).find(|&t| {
        RELAY_SAYING.contains(&s.keys[t].as_str())
            || is_complementizer(&s.keys[t]) && !WEAK_COMPLEMENTIZERS.contains(&s.keys[t].as_str())
    })?;
    let source = s.range(at + 1, stop, &[])?;
    let content = if RELAY_SAYING.contains(&s.keys[stop].as_str()) {
        stop + 1
    } else {
        stop
    };
    (content < s.len()).then_some((source, content))
}

/// The range of a media entity (outlet, state media, agency) named within model range
/// `a..b`.
fn media_within(entities: &EntityLayer, a: usize, b: usize) -> Option<(usize, usize)> {
    entities
        .mentions_starting_in(a, b)
        .iter()
        .find(|m| m.end <= b && is_media(entities, m))
        .map(|m| (m.start, m.end))
}

/// «في بيان», «في تصريح»: a circumstance, not the speaker's words.
fn is_circumstance(s: &SentenceTokens, j: usize) -> bool {
    s.keys[j] == "في"
        && s.keys
            .get(j + 1)
            .is_some_and(|k| STATEMENT_NOUNS.contains(&k.as_str()))
}

/// The model range of a media entity named at token `t` with the preposition «ل» fused to
/// it («للتلفزيون الرسمي السوري»): a channel.
fn media_mention_at(
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
fn skip_channel(s: &SentenceTokens, entities: &EntityLayer, mut j: usize) -> usize {
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

/// Content stops before the next cue's clause: before its comma and its connector
/// («و», «فيما», «بينما»).
fn content_end(s: &SentenceTokens, next_cue: usize) -> usize {
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
fn content_range(s: &SentenceTokens, a: usize, b: usize) -> Option<(usize, usize)> {
    let range = s.range(a, b, EDGE_PUNCT)?;
    (s.words(a, b) >= 2).then_some(range)
}
