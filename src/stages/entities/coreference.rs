//! Coreference within an article: later short forms of a name given in full, and places
//! named inside a curated facility's or organisation's name.

use crate::record::{Entity, EntityType};
use crate::stages::normalize::{Document, Token, TokenKind};

use super::candidates::{Candidate, Link};
use super::layer::{EntityLayer, MentionRef};
use super::stage::EntityTagger;

impl EntityTagger {
    /// Places named inside a curated facility's or organisation's name («حلب» in «مطار
    /// حلب», «سوريا» in «مركز التنسيق الروسي في سوريا») are mentions of those places too:
    /// an article about Aleppo airport names Aleppo. They join the entities' mentions in the
    /// record only; the claim stage reads the outer names.
    pub(super) fn add_nested_places(&self, doc: &Document, layer: &mut EntityLayer) {
        fn curated(e: &Entity) -> Option<&str> {
            e.kb.as_ref()
                .filter(|k| k.source == "newsflow")
                .map(|k| k.id.as_str())
        }
        let outer: Vec<(usize, usize)> = layer
            .mentions
            .iter()
            .filter(|m| {
                let e = &layer.entities[m.entity];
                matches!(e.kind, EntityType::FAC | EntityType::ORG) && curated(e).is_some()
            })
            .map(|m| (m.start, m.end))
            .collect();
        for (start, end) in outer {
            // From the name's second word: the first is the facility or body itself.
            let second = doc.tokens.partition_point(|t| t.start <= start);
            let Some(from) = doc.tokens.get(second).map(|t| t.start).filter(|&s| s < end) else {
                continue;
            };
            for m in self
                .kb
                .gazetteer
                .find_within(&doc.layers, &doc.key_index, from, end)
            {
                let entry = &self.kb.entries[m.entry];
                if !matches!(entry.kind, EntityType::GPE | EntityType::LOC) {
                    continue;
                }
                let known = layer
                    .entities
                    .iter()
                    .position(|e| curated(e) == Some(entry.id.as_str()));
                let index = known.unwrap_or_else(|| {
                    let candidate = Candidate {
                        start: m.start,
                        end: m.end,
                        kind: entry.kind,
                        link: Link::Actor(m.entry),
                        confidence: 0.9,
                    };
                    layer.entities.push(self.new_entity(doc, &candidate));
                    layer.entities.len() - 1
                });
                layer.entities[index]
                    .mentions
                    .push(doc.span(m.start, m.end));
            }
        }
    }
}

/// Later short references to an entity named in full earlier: «المرصد» after «المرصد السوري
/// لحقوق الإنسان», "Assad" after "Bashar al-Assad", "the Observatory".
pub(super) fn add_short_forms(doc: &Document, layer: &mut EntityLayer) {
    let mut first_mention: Vec<Option<MentionRef>> = vec![None; layer.entities.len()];
    for m in &layer.mentions {
        first_mention[m.entity].get_or_insert(*m);
    }
    let mut short: Vec<(Vec<char>, usize, usize)> = Vec::new(); // (key, entity, after)
    for (index, entity) in layer.entities.iter().enumerate() {
        let Some(first) = first_mention[index] else {
            continue;
        };
        let from = doc.tokens.partition_point(|t| t.start < first.start);
        let words: Vec<&Token> = doc.tokens[from..]
            .iter()
            .take_while(|t| t.end <= first.end)
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        if words.len() < 2 {
            continue;
        }
        let head = match entity.kind {
            EntityType::PER => words.last(),
            EntityType::ORG if words[0].arabic => words.first(),
            EntityType::ORG => words
                .iter()
                .find(|t| {
                    doc.token_model(t).len() > 4
                        && doc.token_model(t)[0].is_uppercase()
                        && t.start > words[0].start
                })
                .or(words.get(1)),
            _ => None,
        };
        if let Some(head) = head
            && head.end - head.start >= 4
        {
            short.push((doc.token_key(head).to_vec(), index, first.end));
        }
    }
    if short.is_empty() {
        return;
    }
    let named = layer.clone();
    for token in &doc.tokens {
        if doc.is_excluded(token.start, token.end)
            || named.entity_covering(token.start, token.end).is_some()
        {
            continue;
        }
        let key = doc.token_key(token);
        for (short_key, entity, after) in &short {
            if token.start >= *after && key == &short_key[..] {
                layer.entities[*entity]
                    .mentions
                    .push(doc.span(token.start, token.end));
                layer.mentions.push(MentionRef {
                    start: token.start,
                    end: token.end,
                    entity: *entity,
                });
                break;
            }
        }
    }
}
