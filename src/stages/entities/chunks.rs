//! The sequence tagger's side of the stage: the knowledge-base labels it reads as
//! features, and its chunks trimmed of words that are never names and of fused
//! conjunctions, in model offsets.

use crate::record::EntityType;
use crate::stages::normalize::{Document, TokenKind};
use crate::text::GazetteerMatch;
use crate::text::arabic::{conjunction_before_article, proclitic_candidates};

use super::stage::EntityTagger;
use super::tagger::{self, TaggedChunk};

/// A chunk the tagger found and the stage keeps: its model range, and the chunk.
pub(super) type Tagged = (usize, usize, TaggedChunk);

impl EntityTagger {
    /// The chunks the tagger finds in the extractable sentences, trimmed, with their model
    /// ranges: in text order, never overlapping.
    pub(super) fn tagged_chunks(&self, doc: &Document, labels: &[&'static str]) -> Vec<Tagged> {
        let mut chunks = Vec::new();
        for sentence in doc.extractable_sentences() {
            for chunk in self.tagger.tag(doc, sentence, labels) {
                if let Some(chunk) = self.trim_not_names(doc, chunk)
                    && !self.common_words_only(doc, &chunk)
                {
                    let (start, end) = tagged_range(doc, &chunk);
                    let fused = self.tagger.fused_proclitic(doc, &doc.tokens[chunk.first]);
                    let start = start.max(doc.tokens[chunk.first].start + fused);
                    chunks.push((start, end, chunk));
                }
            }
        }
        chunks
    }

    /// A tagged Arabic chunk without the words at its edges that are never names alone
    /// («بأن», «ريف»), or none when nothing is left.
    fn trim_not_names(&self, doc: &Document, mut chunk: TaggedChunk) -> Option<TaggedChunk> {
        let not_name = |i: usize| {
            let token = &doc.tokens[i];
            let key = doc.token_key(token);
            token.arabic
                && proclitic_candidates(key)
                    .into_iter()
                    .any(|n| self.not_names_ar.contains(&key[n..]))
                || token.kind == TokenKind::Punct
        };
        while chunk.first < chunk.end && not_name(chunk.first) {
            chunk.first += 1;
        }
        while chunk.end > chunk.first && not_name(chunk.end - 1) {
            chunk.end -= 1;
        }
        (chunk.first < chunk.end).then_some(chunk)
    }

    /// True for an Arabic chunk made only of words the treebank lexicon knows as common
    /// words («دعما جويا», «أغلقت»): the tagger read a name's context, not a name. MISC
    /// chunks are left alone: events and terms are common words («كأس العالم»). The rule
    /// raises precision on the Arabic development sets at about the same F1.
    fn common_words_only(&self, doc: &Document, chunk: &TaggedChunk) -> bool {
        tagger::entity_type(chunk.kind) != EntityType::MISC
            && (chunk.first..chunk.end).all(|i| self.tagger.is_common_word(doc, &doc.tokens[i]))
    }

    /// The knowledge-base label of every token of `doc` ("B-GPE", "I-ORG", or "" when no
    /// alias covers it): what the tagger reads as gazetteer features.
    ///
    /// GeoNames places are left out on purpose: as features they lowered F1 on every
    /// development set, their Arabic names being often person names or common words too.
    /// They link the locations the tagger finds instead.
    pub fn gazetteer_labels(&self, doc: &Document) -> Vec<&'static str> {
        self.token_labels(doc, &self.kb.gazetteer.find(&doc.layers, &doc.key_index))
    }

    /// The knowledge-base label of every token, from the knowledge base's matches.
    pub(super) fn token_labels(
        &self,
        doc: &Document,
        matches: &[GazetteerMatch],
    ) -> Vec<&'static str> {
        let mut labels = vec![""; doc.tokens.len()];
        for m in matches {
            let kind = format!("{:?}", self.kb.entries[m.entry].kind);
            let first = doc.tokens.partition_point(|t| t.end <= m.start);
            for (i, t) in doc.tokens.iter().enumerate().skip(first) {
                if t.start >= m.end {
                    break;
                }
                labels[i] = tagger::gazetteer_label(&kind, i == first);
            }
        }
        labels
    }

    /// The place a chunk tagged as a location names: a place name ending where the chunk
    /// ends and starting in its first word (after a fused proclitic, «بحمص»). Only the
    /// chunk's own text is searched.
    pub(super) fn place_of(&self, doc: &Document, chunk: &TaggedChunk) -> Option<GazetteerMatch> {
        let first = &doc.tokens[chunk.first];
        let end = doc.tokens[chunk.end - 1].end;
        self.places
            .gazetteer
            .find_within(&doc.layers, &doc.key_index, first.start, end)
            .into_iter()
            .find(|m| m.start < first.end && m.end == end)
    }
}

/// The model range of a tagged chunk; a leading conjunction or preposition fused to an
/// Arabic article («والعراق», «بالقاهرة») is left out, so the mention covers the name alone.
fn tagged_range(doc: &Document, chunk: &TaggedChunk) -> (usize, usize) {
    let first = &doc.tokens[chunk.first];
    let end = doc.tokens[chunk.end - 1].end;
    let fused = first.arabic && conjunction_before_article(doc.token_key(first));
    (first.start + usize::from(fused), end)
}
