//! Who a claim's speaker is: an entity, a described source, or an earlier speaker continued.

use std::sync::LazyLock;

use crate::record::{EntityType, SpeakerKind};
use crate::stages::entities::{EntityLayer, MentionRef};
use crate::stages::normalize::Document;
use crate::table;

use super::cues::Descriptors;

/// A resolved speaker, in model-text offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedSpeaker {
    /// The words naming the speaker (the antecedent's, for implicit speakers).
    pub range: (usize, usize),
    /// Entity index, when the speaker is a named entity.
    pub entity: Option<usize>,
    /// Normalised description, for speakers that are not entities.
    pub description: Option<String>,
    /// Kind.
    pub kind: SpeakerKind,
    /// Carried by the verb or continuing an earlier speaker.
    pub implicit: bool,
}

impl ResolvedSpeaker {
    /// What identifies the speaker across claims: its entity or its description.
    pub fn identity(&self) -> String {
        match (&self.entity, &self.description) {
            (Some(e), _) => format!("entity:{e}"),
            (None, Some(d)) => format!("description:{d}"),
            (None, None) => "unknown".into(),
        }
    }
}

/// How far back (in mentions or speakers) a reference is resolved: far enough for any
/// article, and a bound on the work for hostile ones.
const LOOK_BACK: usize = 200;

/// Words that point back to an earlier speaker (match keys).
static ANAPHORS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    table::word_list(
        "anaphors.txt",
        include_str!("../../../data/claims/anaphors.txt"),
    )
});
/// Heads of described sources that an anaphor may continue (match keys).
static SOURCE_HEADS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    table::word_list(
        "source-heads.txt",
        include_str!("../../../data/claims/source-heads.txt"),
    )
});
/// English pronouns that continue the last person or speaker.
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];

/// Resolves a speaker's words given the claims before it (most recent last); `cue` is
/// where the claim's cue starts.
pub fn resolve(
    doc: &Document,
    entities: &EntityLayer,
    descriptors: &Descriptors,
    range: Option<(usize, usize)>,
    earlier: &[ResolvedSpeaker],
    cue: usize,
) -> Option<ResolvedSpeaker> {
    let Some((start, end)) = range else {
        return carried_by_verb(entities, earlier, cue);
    };
    let key = doc.layers.key_str(start, end);
    let words: Vec<&str> = key.split(' ').collect();
    // A pronoun continues the last named person, or else the last speaker.
    if words.len() == 1 && PRONOUNS.contains(&words[0]) {
        return pronoun(entities, earlier, start, end);
    }
    // An entity named in the first words of the speaker's: at the start, or after a title
    // or a generic head («وكالة سانا», "President Erdogan"). A description at the start
    // («مصادر في الجيش») still makes a described source, below.
    let from = doc.tokens.partition_point(|t| t.start < start);
    let head_end = doc.tokens[from..]
        .iter()
        .take_while(|t| t.start < end)
        .take(3)
        .last()
        .map_or(end, |t| t.end);
    let entity = entities
        .mentions_starting_in(start, head_end)
        .first()
        .map(|m| m.entity);
    if let Some(e) = entity {
        let entity = &entities.entities[e];
        let kind = match (entity.kind, entity.role.as_deref()) {
            (EntityType::PER, _) => SpeakerKind::NamedPerson,
            (_, Some("state_media")) => SpeakerKind::StateMedia,
            (_, Some("media" | "news_agency")) => SpeakerKind::Media,
            _ => SpeakerKind::NamedOrg,
        };
        let described = descriptors.kind_of(&key);
        // «وسائل إعلام تابعة للحكومة السورية» names an entity but is a description.
        if let Some(kind) =
            described.filter(|_| entities.mentions_starting_in(start, start + 1).is_empty())
        {
            return Some(described_speaker(start, end, key, kind));
        }
        return Some(ResolvedSpeaker {
            range: (start, end),
            entity: Some(e),
            description: None,
            kind,
            implicit: false,
        });
    }
    // «تلك المصادر», «المصادر», "the sources": the last described source of that head.
    let bare_head = words.len() == 1 && SOURCE_HEADS.contains(&words[0]);
    let pointed =
        words.len() == 2 && ANAPHORS.contains(&words[0]) && SOURCE_HEADS.contains(&words[1]);
    if bare_head || pointed {
        let head = words
            .last()
            .map(|w| w.trim_start_matches("ال"))
            .unwrap_or_default();
        if let Some(antecedent) = earlier.iter().rev().take(LOOK_BACK).find(|s| {
            s.description
                .as_deref()
                .is_some_and(|d| d.split(' ').any(|w| w.trim_start_matches("ال") == head))
        }) {
            return Some(ResolvedSpeaker {
                range: (start, end),
                implicit: false,
                ..antecedent.clone()
            });
        }
    }
    let kind = descriptors.kind_of(&key).unwrap_or(SpeakerKind::Anonymous);
    Some(described_speaker(start, end, key, kind))
}

/// A speaker carried by the verb: the speaker it continues, or, before any, the person
/// named last («... جاويد ... رغم أنه قال قبل التصويت إن»).
fn carried_by_verb(
    entities: &EntityLayer,
    earlier: &[ResolvedSpeaker],
    cue: usize,
) -> Option<ResolvedSpeaker> {
    earlier
        .last()
        .map(|s| ResolvedSpeaker {
            // The span is the nearest mention of that speaker before the cue («... من
            // جانب كيتنغ ..., إذ قال»), as a reader resolves it; the entity is the same.
            range: s
                .entity
                .and_then(|e| last_mention_before(entities, e, cue))
                .map_or(s.range, |m| (m.start, m.end).max(s.range)),
            implicit: true,
            ..s.clone()
        })
        .or_else(|| {
            let m = last_person_before(entities, cue)?;
            Some(ResolvedSpeaker {
                range: (m.start, m.end),
                entity: Some(m.entity),
                description: None,
                kind: SpeakerKind::NamedPerson,
                implicit: true,
            })
        })
        .or_else(|| {
            // «بالدعوى التي تقدمت بها قطر وتتهم فيها الإمارات بـ...»: with no speaker and
            // no person before, an organisation or country named just before the verb.
            let m = entities
                .mentions_starting_in(cue.saturating_sub(NEAR_ACTOR), cue)
                .iter()
                .rev()
                .find(|m| {
                    m.end <= cue
                        && matches!(
                            entities.entities[m.entity].kind,
                            EntityType::ORG | EntityType::GPE
                        )
                })?;
            Some(ResolvedSpeaker {
                range: (m.start, m.end),
                entity: Some(m.entity),
                description: None,
                kind: SpeakerKind::NamedOrg,
                implicit: true,
            })
        })
}

/// How far before a verb (in code points, about three words) an organisation or country
/// may stand to be the subject the verb carries when nothing else is.
const NEAR_ACTOR: usize = 24;

/// A pronoun speaker: the nearest person named before it, or else the last speaker.
fn pronoun(
    entities: &EntityLayer,
    earlier: &[ResolvedSpeaker],
    start: usize,
    end: usize,
) -> Option<ResolvedSpeaker> {
    match last_person_before(entities, start) {
        Some(m) => Some(ResolvedSpeaker {
            range: (start, end),
            entity: Some(m.entity),
            description: None,
            kind: SpeakerKind::NamedPerson,
            implicit: true,
        }),
        None => earlier.last().map(|s| ResolvedSpeaker {
            range: (start, end),
            implicit: true,
            ..s.clone()
        }),
    }
}

/// The last mention of entity `e` ending by `at`, looking back a bounded number of mentions.
fn last_mention_before(entities: &EntityLayer, e: usize, at: usize) -> Option<&MentionRef> {
    entities
        .mentions_starting_in(0, at)
        .iter()
        .rev()
        .take(LOOK_BACK)
        .find(|m| m.end <= at && m.entity == e)
}

/// The last mention of a person ending by `at`, looking back a bounded number of mentions.
fn last_person_before(entities: &EntityLayer, at: usize) -> Option<&MentionRef> {
    entities
        .mentions_starting_in(0, at)
        .iter()
        .rev()
        .take(LOOK_BACK)
        .find(|m| m.end <= at && entities.entities[m.entity].kind == EntityType::PER)
}

fn described_speaker(start: usize, end: usize, key: String, kind: SpeakerKind) -> ResolvedSpeaker {
    ResolvedSpeaker {
        range: (start, end),
        entity: None,
        description: Some(key),
        kind,
        implicit: false,
    }
}
