//! The mentions before clustering, and which wins where they meet: a knowledge-base match
//! stands unless the tagger calls its stretch something else, a place after a descriptor
//! comes next, and a tagged chunk only where neither lies.

use crate::record::EntityType;
use crate::stages::normalize::{Document, Token};
use crate::text::GazetteerMatch;
use crate::text::arabic::nisba_shaped;

use super::chunks::Tagged;
use super::described::DescribedPlace;
use super::stage::EntityTagger;
use super::tagger;

/// What a mention is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    /// An entry of the curated knowledge base.
    Actor(usize),
    /// A GeoNames place.
    Place(usize),
    /// Nothing: a name the tagger found.
    Unlinked,
}

/// A mention before clustering.
pub(super) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
    pub link: Link,
    pub confidence: f32,
}

impl EntityTagger {
    /// The knowledge-base matches that stand as mentions.
    ///
    /// A match stands unless the tagger, reading its context, calls a stretch that covers
    /// it something else: "NEW YORK" in a list of baseball scores is a team. The tagger then
    /// has the last word. Partial overlaps do not count: there the tagger has mostly cut a
    /// long name short (the rule helps CoNLL-2003 dev and leaves the Arabic sets about
    /// where they were).
    pub(super) fn kb_candidates(
        &self,
        doc: &Document,
        matches: &[GazetteerMatch],
        chunks: &[Tagged],
    ) -> Vec<Candidate> {
        // Chunks are in text order and do not overlap: only the last one starting at or
        // before a match can cover it.
        let contradicted = |m: &GazetteerMatch| {
            let i = chunks.partition_point(|&(start, _, _)| start <= m.start);
            i.checked_sub(1).is_some_and(|i| {
                let (_, end, ref c) = chunks[i];
                m.end <= end
                    && !same_kind(tagger::entity_type(c.kind), self.kb.entries[m.entry].kind)
            })
        };
        matches
            .iter()
            .filter(|m| {
                !doc.is_excluded(m.start, m.end)
                    && !contradicted(m)
                    && !nisba_adjective(doc, m.start, m.end)
            })
            .map(|m| Candidate {
                start: m.start,
                end: m.end,
                kind: self.kb.entries[m.entry].kind,
                link: Link::Actor(m.entry),
                confidence: 0.9,
            })
            .collect()
    }

    /// A place right after a place descriptor is a place, whatever the tagger said
    /// («مدينة مارع»): linked like a knowledge-base match, where none covers it.
    pub(super) fn add_described_places(&self, doc: &Document, candidates: &mut Vec<Candidate>) {
        for place in self.described_places(doc) {
            let (start, end, link, confidence) = match place {
                DescribedPlace::Linked(m) => (m.start, m.end, Link::Place(m.entry), 0.8),
                DescribedPlace::Unlinked(start, end) => (start, end, Link::Unlinked, 0.6),
            };
            let free = candidates.iter().all(|c| end <= c.start || c.end <= start);
            if free && !doc.is_excluded(start, end) {
                candidates.push(Candidate {
                    start,
                    end,
                    kind: EntityType::GPE,
                    link,
                    confidence,
                });
            }
        }
    }

    /// The tagged chunks that overlap no linked mention; a location is linked to the
    /// GeoNames place its words name.
    pub(super) fn add_tagged(
        &self,
        doc: &Document,
        chunks: Vec<Tagged>,
        candidates: &mut Vec<Candidate>,
    ) {
        let linked = candidates.len();
        for (start, end, chunk) in chunks {
            let free = candidates[..linked]
                .iter()
                .all(|c| end <= c.start || c.end <= start);
            let kind = tagger::entity_type(chunk.kind);
            // «مصادر عسكرية سورية»: the tagger too reads an adjective of origin as a place.
            let adjective = kind == EntityType::LOC && nisba_adjective(doc, start, end);
            if !free || adjective || doc.is_excluded(start, end) {
                continue;
            }
            let place = (kind == EntityType::LOC)
                .then(|| self.place_of(doc, &chunk))
                .flatten();
            candidates.push(match place {
                Some(m) => Candidate {
                    start: m.start,
                    end: m.end,
                    kind: EntityType::GPE,
                    link: Link::Place(m.entry),
                    confidence: 0.8,
                },
                None => Candidate {
                    start,
                    end,
                    kind: tagger::entity_type(chunk.kind),
                    link: Link::Unlinked,
                    confidence: 0.7,
                },
            });
        }
    }
}

/// True for a one-word Arabic span without the article, in the shape of a feminine
/// adjective of origin («سورية»), right after another such adjective: «مصادر عسكرية سورية»
/// are Syrian military sources, not a mention of Syria (the country in the same spelling,
/// «في سورية», still matches).
fn nisba_adjective(doc: &Document, start: usize, end: usize) -> bool {
    let nisba = |t: &Token| t.arabic && nisba_shaped(doc.token_key(t));
    let i = doc.tokens.partition_point(|t| t.end <= start);
    let Some(token) = doc.tokens.get(i) else {
        return false;
    };
    token.start == start && token.end == end && nisba(token) && i > 0 && nisba(&doc.tokens[i - 1])
}

/// Whether a tagged type and a knowledge-base type name the same kind of thing: the tagger
/// knows places only as LOC, and nationalities and other names as MISC.
fn same_kind(tagged: EntityType, kb: EntityType) -> bool {
    use EntityType::*;
    match tagged {
        LOC | GPE | FAC => matches!(kb, LOC | GPE | FAC),
        MISC | NORP => matches!(kb, MISC | NORP),
        other => other == kb,
    }
}
