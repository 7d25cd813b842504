//! The claim stage: who said what, through whom, asserted or denied, and where sources
//! contradict or corroborate each other.
//!
//! First cut: lexicon-driven cue finding, Arabic and English attribution patterns, speaker
//! resolution (entities, described sources, anaphora, verb-carried subjects), channels, and
//! word-overlap relations.

mod arabic;
pub mod cue_model;
mod cues;
mod english;
mod found;
mod layout;
mod quantities;
mod quotations;
mod relations;
mod speakers;

pub use cues::{CueKind, CueLexicon, Descriptors};
pub use found::FoundClaim;

use crate::record::{Claim, Cue, CueClass, Relation, Speaker, Stance, Via};
use crate::stages::LoadError;
use crate::stages::entities::EntityLayer;
use crate::stages::normalize::{Agencies, Document, Normalizer};
use crate::table::TableError;

use found::SentenceTokens;
use quotations::{mode_of, narrow_to_quotation, whole_quotations};
use speakers::ResolvedSpeaker;

/// Version of this stage's output.
pub const VERSION: &str = "0.1.0";

mod tables {
    pub const CUES_AR: &str = include_str!("../../../data/claims/cues-ar.tsv");
    pub const CUES_EN: &str = include_str!("../../../data/claims/cues-en.tsv");
    pub const DESCRIPTORS: &str = include_str!("../../../data/claims/speaker-descriptors.tsv");
    pub const QUANTITY_WORDS: &str = include_str!("../../../data/claims/quantity-words.tsv");
}

/// Longest stretch of a sentence read at once, in tokens.
const MAX_SENTENCE_TOKENS: usize = 200;

/// Markers of modality in content (match keys) and the modality they signal.
const MODALITY: &[(&str, &str)] = &[
    ("من المتوقع", "expected"),
    ("يتوقع", "expected"),
    ("expected to", "expected"),
    ("وعد", "promised"),
    ("promised", "promised"),
    ("قد ي", "possible"),
    ("could", "possible"),
    ("may", "possible"),
    ("might", "possible"),
    ("يعتزم", "planned"),
    ("تعتزم", "planned"),
    ("plans to", "planned"),
    ("will", "expected"),
];

/// The English cue table, for training the cue detector on what the table lacks.
pub fn english_cue_table() -> Result<CueLexicon, TableError> {
    CueLexicon::load(tables::CUES_EN, "cues-en.tsv")
}

/// The claim stage, with its lexicons loaded.
#[derive(Debug, Clone)]
pub struct ClaimExtractor {
    arabic: CueLexicon,
    english: CueLexicon,
    cue_model: cue_model::CueModel,
    descriptors: Descriptors,
    agencies: Agencies,
    quantities: quantities::QuantityWords,
}

impl ClaimExtractor {
    /// Loads the bundled lexicons.
    pub fn new(normalizer: &Normalizer) -> Result<Self, LoadError> {
        Ok(ClaimExtractor {
            arabic: CueLexicon::load(tables::CUES_AR, "cues-ar.tsv")?,
            english: CueLexicon::load(tables::CUES_EN, "cues-en.tsv")?,
            cue_model: cue_model::CueModel::bundled()?,
            descriptors: Descriptors::load(tables::DESCRIPTORS)?,
            agencies: normalizer.agencies().clone(),
            quantities: quantities::QuantityWords::load(tables::QUANTITY_WORDS)?,
        })
    }

    /// Claims and relations of a document whose entities are known.
    pub fn run(&self, doc: &Document, entities: &EntityLayer) -> (Vec<Claim>, Vec<Relation>) {
        let mut found = Vec::new();
        // Sentences longer than any real one (hostile or broken input) are read in windows,
        // which bounds the work per sentence.
        let windows = doc.extractable_sentences().flat_map(|s| {
            (s.first_token..s.end_token)
                .step_by(MAX_SENTENCE_TOKENS)
                .map(move |from| (from, (from + MAX_SENTENCE_TOKENS).min(s.end_token)))
        });
        for (first, end) in windows {
            let tokens = SentenceTokens::new(doc, first, end);
            let arabic_words = tokens.tokens.iter().filter(|t| t.arabic).count();
            let latin_words = tokens
                .tokens
                .iter()
                .filter(|t| !t.arabic && t.kind == crate::stages::normalize::TokenKind::Word)
                .count();
            if arabic_words >= latin_words && arabic_words > 0 {
                found.extend(arabic::extract(
                    &tokens,
                    &self.arabic,
                    &self.agencies,
                    entities,
                    &self.descriptors,
                ));
            } else {
                let learned =
                    self.cue_model
                        .cue_chunks(doc, first, end, &tokens.keys, &self.english);
                found.extend(english::extract(
                    &tokens,
                    &self.english,
                    learned.as_deref(),
                    &self.agencies,
                ));
            }
        }
        let layout = layout::extract(doc);
        if !layout.is_empty() {
            found.extend(layout);
            found.sort_by_key(|f| f.cue.0);
        }
        // What a quoted speaker reports inside the quotation is that speaker's claim, the
        // content of the claim around it: no claim of its own (PolNeAR's annotators seldom
        // mark one).
        let quotations = quotations::quotations(doc);
        found.retain(|f| !quotations::quoted(&quotations, f.cue.0));
        let mut claims = Vec::new();
        let mut resolved: Vec<ResolvedSpeaker> = Vec::new();
        let mut contents = Vec::new();
        // A claim needs words said and, when named, a speaker: an empty or inverted range
        // from an extractor's edge case is dropped here, before anything reads it.
        found.retain(|f| f.content.0 < f.content.1 && f.speaker.is_none_or(|(a, b)| a < b));
        for mut f in found {
            let Some(speaker) = speakers::resolve(
                doc,
                entities,
                &self.descriptors,
                f.speaker,
                &resolved,
                f.cue.0,
            ) else {
                continue;
            };
            f.content = narrow_to_quotation(
                doc,
                whole_quotations(doc, f.cue, outside_credits(doc, f.content)),
            );
            claims.push(self.claim(doc, entities, &f, &speaker, claims.len() + 1));
            contents.push(f.content);
            resolved.push(speaker);
        }
        // A related headline's or a caption's claims are another story's or a picture's:
        // they bear on no proposition of this one.
        let views: Vec<relations::ClaimView> = claims
            .iter()
            .zip(&resolved)
            .zip(&contents)
            .filter(|((c, _), _)| c.paragraph_kind.is_none())
            .map(|((c, s), &content)| relations::ClaimView {
                id: &c.id,
                speaker: s.identity(),
                stance: c.stance,
                content,
                quantities: &c.quantities,
                events: self.quantities.events_in(doc, content),
            })
            .collect();
        let relations = relations::relate(doc, &views);
        (claims, relations)
    }

    fn claim(
        &self,
        doc: &Document,
        entities: &EntityLayer,
        f: &FoundClaim,
        speaker: &ResolvedSpeaker,
        n: usize,
    ) -> Claim {
        let content = f.content;
        let content_key = doc.layers.key_str(content.0, content.1);
        let mode = mode_of(doc, content);
        let modality = MODALITY
            .iter()
            .find(|(marker, _)| contains_words(&content_key, marker))
            .map(|(_, m)| m.to_string())
            .or_else(|| (f.class == CueClass::Promise).then(|| "promised".into()));
        let stance = if f.class == CueClass::Deny {
            Stance::Deny
        } else {
            Stance::Assert
        };
        Claim {
            id: format!("c{n}"),
            speaker: Speaker {
                span: doc.span(speaker.range.0, speaker.range.1),
                entity: speaker.entity.map(|e| entities.entities[e].id.clone()),
                description: speaker.description.clone(),
                kind: speaker.kind,
                implicit: speaker.implicit,
            },
            cue: Cue {
                span: doc.span(f.cue.0, f.cue.1),
                class: f.class,
            },
            content: doc.span(content.0, content.1),
            stance,
            mode,
            via: f.via.as_ref().map(|((s, e), agency)| Via {
                span: doc.span(*s, *e),
                agency: agency.clone(),
            }),
            in_statement: f.in_statement,
            paragraph_kind: doc.outside_body(f.cue.0),
            modality,
            quantities: self.quantities.within(doc, content),
            entities: entities
                .entities_within(content.0, content.1)
                .into_iter()
                .map(|e| entities.entities[e].id.clone())
                .collect(),
            confidence: confidence(speaker, f),
        }
    }
}

/// Content never starts inside a dateline or other credit: it starts after it.
fn outside_credits(doc: &Document, (mut start, end): (usize, usize)) -> (usize, usize) {
    if let Some((s, e)) = doc.dateline_place
        && s <= start
        && start < e
        && e < end
    {
        start = e;
    }
    let i = doc.excluded.partition_point(|&(_, e)| e <= start);
    if let Some(&(s, e)) = doc.excluded.get(i)
        && s <= start
        && e < end
    {
        start = e;
    }
    while start < end && doc.layers.model[start].is_whitespace() {
        start += 1;
    }
    (start, end)
}

/// True when `needle` stands in `haystack` as whole words; a conjunction «و» or «ف» fused to
/// its first word is allowed («ومن المتوقع» holds «من المتوقع»).
fn contains_words(haystack: &str, needle: &str) -> bool {
    let word_start = |before: &str| {
        before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    };
    haystack.match_indices(needle).any(|(i, _)| {
        let before = &haystack[..i];
        let before_ok =
            word_start(before) || before.strip_suffix(['و', 'ف']).is_some_and(word_start);
        let after = &haystack[i + needle.len()..];
        let after_ok = needle.ends_with(' ')
            || needle.ends_with('ي')
            || after.chars().next().is_none_or(|c| !c.is_alphanumeric());
        before_ok && after_ok
    })
}

fn confidence(speaker: &ResolvedSpeaker, f: &FoundClaim) -> f32 {
    let mut c: f32 = 0.6;
    if speaker.entity.is_some() || speaker.description.is_some() {
        c += 0.15;
    }
    if speaker.implicit {
        c -= 0.1;
    }
    if f.kind == CueKind::Verb {
        c += 0.1;
    }
    (c * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests;
