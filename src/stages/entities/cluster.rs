//! Clustering: one entity per knowledge-base entry, GeoNames place or normalized name, and
//! the entities' final order, ids and salience.

use std::collections::HashMap;

use crate::record::Entity;
use crate::stages::normalize::Document;

use super::candidates::{Candidate, Link};
use super::layer::{EntityLayer, MentionRef};
use super::stage::EntityTagger;

impl EntityTagger {
    /// One entity per knowledge-base entry, or per normalized name for unlinked mentions.
    pub(super) fn cluster(&self, doc: &Document, candidates: Vec<Candidate>) -> EntityLayer {
        let mut layer = EntityLayer::default();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for c in candidates {
            let key = match c.link {
                Link::Actor(entry) => format!("kb:{}", self.kb.entries[entry].id),
                Link::Place(entry) => format!("geonames:{}", self.places.entries[entry].geonameid),
                Link::Unlinked => format!("name:{}", doc.layers.key_str(c.start, c.end)),
            };
            let index = *by_key.entry(key).or_insert_with(|| {
                layer.entities.push(self.new_entity(doc, &c));
                layer.entities.len() - 1
            });
            layer.entities[index]
                .mentions
                .push(doc.span(c.start, c.end));
            layer.mentions.push(MentionRef {
                start: c.start,
                end: c.end,
                entity: index,
            });
        }
        layer
    }
}

/// Sorts mentions, orders entities by first mention, numbers them and scores salience.
pub(super) fn finish(doc: &Document, layer: &mut EntityLayer) {
    for e in &mut layer.entities {
        e.mentions.sort_by_key(|m| m.start);
        e.mentions.dedup();
    }
    let mut order: Vec<usize> = (0..layer.entities.len()).collect();
    order.sort_by_key(|&i| {
        layer.entities[i]
            .mentions
            .first()
            .map_or(usize::MAX, |m| m.start)
    });
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut entities: Vec<Option<Entity>> = std::mem::take(&mut layer.entities)
        .into_iter()
        .map(Some)
        .collect();
    layer.entities = order
        .iter()
        .filter_map(|&old| entities[old].take())
        .collect();
    for m in &mut layer.mentions {
        m.entity = new_index[m.entity];
    }
    layer.mentions.sort_by_key(|m| m.start);
    let length = doc.layers.original_len().max(1) as f32;
    let outside = outside_body_ranges(doc);
    // A few ranges at most: datelines, bylines, the odd caption or related headline.
    let in_body =
        |m: &crate::record::Span| !outside.iter().any(|&(s, e)| (s..e).contains(&m.start));
    for (i, e) in layer.entities.iter_mut().enumerate() {
        e.id = format!("e{}", i + 1);
        // Salience counts the story only: a place in every dateline or a name in a related
        // headline says nothing about what the article is about.
        let body: Vec<&crate::record::Span> = e.mentions.iter().filter(|m| in_body(m)).collect();
        e.outside_body = body.is_empty() && !e.mentions.is_empty();
        if body.is_empty() {
            e.salience = 0.0;
            continue;
        }
        let first = body.first().map_or(0, |m| m.start) as f32 / length;
        let frequency = (body.len() as f32 / 5.0).min(1.0);
        e.salience = ((0.6 * frequency + 0.4 * (1.0 - first)) * 100.0).round() / 100.0;
    }
}

/// The original ranges outside the story: non-body paragraphs, the dateline's place.
fn outside_body_ranges(doc: &Document) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = doc
        .paragraphs
        .iter()
        .filter(|p| !p.kind.is_body())
        .map(|p| doc.layers.to_original(p.start, p.end))
        .chain(
            doc.dateline_place
                .map(|(s, e)| doc.layers.to_original(s, e)),
        )
        .collect();
    ranges.sort_unstable();
    ranges
}
