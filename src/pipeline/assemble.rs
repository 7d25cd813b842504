//! Record assembly: the enriched record from the input's metadata and what each stage
//! found, with the provenance of the run.

use std::time::Duration;

use crate::record::{
    Claim, Credits, EnrichedArticle, Entity, Field, InputCoordinates, Opinion, Paragraph,
    Provenance, RawArticle, Relation, SCHEMA_VERSION, Sentence, Span, StageRun, Step,
    TextStructure, Warning,
};
use crate::stages::claims;
use crate::stages::entities::{self, EntityLayer};
use crate::stages::normalize::{self, Document};

use super::prepare::Prepared;
use super::stage::StageTimes;

/// What the three stages found in one article.
pub(crate) struct Findings {
    /// The normalized document.
    pub doc: Document,
    /// Entities and their mentions.
    pub entities: EntityLayer,
    /// Claims.
    pub claims: Vec<Claim>,
    /// Relations between claims.
    pub relations: Vec<Relation>,
}

/// The enriched record of `article`.
pub(crate) fn assemble(
    article: RawArticle,
    prepared: Prepared,
    found: Findings,
    times: &StageTimes,
    input: InputCoordinates,
    full_texts: bool,
) -> EnrichedArticle {
    let Findings {
        doc,
        entities,
        claims,
        relations,
    } = found;
    let mut warnings = prepared.warnings;
    if doc.language.hint_agrees == Some(false) {
        warnings.push(Warning::new(
            "language_hint_disagrees",
            format!(
                "the input says language {:?} but the text reads as {:?}",
                article.language.as_deref().unwrap_or_default(),
                doc.language.code
            ),
        ));
    }
    let text = text_structure(&doc, full_texts);
    let mut credits = doc.credits;
    credits.dateline_entities = dateline_entities(&credits, &entities.entities);
    EnrichedArticle {
        schema_version: SCHEMA_VERSION.into(),
        id: prepared.id,
        id_origin: prepared.id_origin,
        url: article.url,
        title: article.title,
        body: prepared.body,
        byline: article.byline,
        dateline: article.dateline,
        section: article.section,
        published_at: article.published_at,
        published_at_precision: prepared.published_precision,
        scraped_at: article.scraped_at,
        scraped_at_precision: prepared.scraped_precision,
        source: article.source,
        feed: article.feed,
        extra: article.extra,
        language: doc.language,
        text,
        entities: entities.entities,
        claims,
        relations,
        opinion: doc.opinion.map(|by| Opinion { by: by.into() }),
        credits,
        fingerprint: doc.fingerprint,
        provenance: provenance(times, input),
        warnings,
    }
}

/// The entities with a mention inside the body's dateline.
fn dateline_entities(credits: &Credits, entities: &[Entity]) -> Vec<String> {
    let Some(d) = credits.dateline.as_ref().filter(|d| d.field == Field::Body) else {
        return Vec::new();
    };
    entities
        .iter()
        .filter(|e| {
            e.mentions
                .iter()
                .any(|m| m.start >= d.start && m.end <= d.end)
        })
        .map(|e| e.id.clone())
        .collect()
}

/// Paragraphs and sentences as record spans: offsets only, since their text is in `body`
/// already (writing it again would make the record twice as large), or with their text
/// when `full_texts` asks for it.
fn text_structure(doc: &Document, full_texts: bool) -> TextStructure {
    let span = |start, end| {
        if full_texts {
            doc.span(start, end)
        } else {
            let (start, end) = doc.layers.to_original(start, end);
            Span::offsets(start, end)
        }
    };
    TextStructure {
        paragraphs: doc
            .paragraphs
            .iter()
            .map(|p| Paragraph {
                span: span(p.start, p.end),
                language: p.language.clone(),
                kind: p.kind,
                excluded: p.excluded.map(str::to_string),
            })
            .collect(),
        sentences: doc
            .sentences
            .iter()
            .map(|s| Sentence {
                span: span(s.start, s.end),
                paragraph: s.paragraph,
            })
            .collect(),
    }
}

/// The version and time of each stage, and where the input came from.
fn provenance(times: &StageTimes, input: InputCoordinates) -> Provenance {
    let version = |step: Step| match step {
        Step::Normalize => normalize::VERSION,
        Step::Entities => entities::VERSION,
        Step::Claims => claims::VERSION,
        Step::Intake | Step::Sink => env!("CARGO_PKG_VERSION"),
    };
    let micros = |d: Duration| d.as_micros() as u64;
    Provenance {
        newsflow_version: env!("CARGO_PKG_VERSION").into(),
        stages: times
            .each()
            .map(|(step, time)| StageRun {
                stage: step.as_str().into(),
                version: version(step).into(),
                micros: micros(time),
            })
            .to_vec(),
        input: (input != InputCoordinates::default()).then_some(input),
    }
}
