//! The pipeline: intake, then normalization, entities and claims, composed over one
//! article. Returns an enriched record or a reject; never panics on input, never does I/O.

pub mod intake;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crate::record::{
    EnrichedArticle, IdOrigin, InputCoordinates, Paragraph, Provenance, RawArticle, Reject,
    RejectReason, SCHEMA_VERSION, Sentence, StageRun, TextStructure, Warning, derive_id,
};
use crate::stages::StageError;
use crate::stages::claims::{self, ClaimExtractor};
use crate::stages::entities::{self, EntityTagger};
use crate::stages::normalize::{self, Normalizer, html};

/// Limits that keep time and memory bounded whatever the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Inputs larger than this are rejected as `too_large`.
    pub max_input_bytes: usize,
    /// Bodies longer than this are analysed up to it, with a `body_truncated` warning.
    pub max_body_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_body_chars: 1_000_000,
        }
    }
}

/// Per-stage time of one article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Normalization.
    pub normalize: Duration,
    /// Entities.
    pub entities: Duration,
    /// Claims.
    pub claims: Duration,
}

/// The result of processing one input.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The enriched record.
    Enriched(Box<EnrichedArticle>),
    /// Why it could not be enriched.
    Rejected(Box<Reject>),
}

/// The three stages, loaded once and shared by every worker thread.
#[derive(Debug, Clone)]
pub struct Pipeline {
    normalizer: Normalizer,
    entities: EntityTagger,
    claims: ClaimExtractor,
    limits: Limits,
    panic_hook: Option<PanicHook>,
}

/// A test hook, and nothing else: the environment variable `NEWSFLOW_TEST_PANIC_STAGE`, set
/// to a stage's name (`normalize`, `entities` or `claims`), makes that stage panic on every
/// article; `STAGE:ID` makes it panic on the article whose id is ID only. Tests use it to
/// see a stage's panic (a bug) become a `stage_failed` reject while the run goes on. It is
/// read once, when the pipeline is built; no input can turn it on.
pub const TEST_PANIC_STAGE: &str = "NEWSFLOW_TEST_PANIC_STAGE";

/// The stage [`TEST_PANIC_STAGE`] makes panic, and on which article.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PanicHook {
    stage: String,
    id: Option<String>,
}

impl PanicHook {
    fn from_env() -> Result<Option<Self>, String> {
        let Some(value) = std::env::var_os(TEST_PANIC_STAGE) else {
            return Ok(None);
        };
        let value = value.to_string_lossy();
        let (stage, id) = match value.split_once(':') {
            Some((stage, id)) => (stage, Some(id.to_string())),
            None => (value.as_ref(), None),
        };
        if !["normalize", "entities", "claims"].contains(&stage) {
            return Err(format!(
                "{TEST_PANIC_STAGE}={value:?}: {stage:?} is not a stage (normalize, entities or claims); this variable is a test hook, unset it"
            ));
        }
        Ok(Some(PanicHook {
            stage: stage.to_string(),
            id,
        }))
    }
}

impl Pipeline {
    /// Loads every stage's bundled data.
    pub fn new(limits: Limits) -> Result<Self, String> {
        let normalizer = Normalizer::new().map_err(|e| e.to_string())?;
        let entities = EntityTagger::new().map_err(|e| e.to_string())?;
        let claims = ClaimExtractor::new(&normalizer)?;
        Ok(Pipeline {
            normalizer,
            entities,
            claims,
            limits,
            panic_hook: PanicHook::from_env()?,
        })
    }

    /// The normalization stage alone (benchmarks, evaluation).
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// The entity stage alone.
    pub fn entity_tagger(&self) -> &EntityTagger {
        &self.entities
    }

    /// The claim stage alone.
    pub fn claim_extractor(&self) -> &ClaimExtractor {
        &self.claims
    }

    /// Panics when the [`TEST_PANIC_STAGE`] hook names this stage and article.
    fn test_panic(&self, stage: &str, id: &str) {
        if let Some(hook) = &self.panic_hook
            && hook.stage == stage
            && hook.id.as_deref().is_none_or(|only| only == id)
        {
            panic!("{TEST_PANIC_STAGE} made the {stage} stage panic on article {id}");
        }
    }

    /// Processes one input message or line.
    pub fn process_bytes(&self, bytes: &[u8], input: InputCoordinates) -> (Outcome, StageTimes) {
        match intake::decode(bytes, self.limits.max_input_bytes) {
            Ok(article) => self.process(article, input),
            Err(e) => (
                Outcome::Rejected(Box::new(Reject {
                    schema_version: SCHEMA_VERSION.into(),
                    reason: e.reason,
                    stage: "intake".into(),
                    message: e.message,
                    field: e.field,
                    id: None,
                    input,
                })),
                StageTimes::default(),
            ),
        }
    }

    /// Processes one decoded article.
    pub fn process(&self, article: RawArticle, input: InputCoordinates) -> (Outcome, StageTimes) {
        let (id, id_origin) = match article.id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => (id.to_string(), IdOrigin::Input),
            _ => (derive_id(&article), IdOrigin::Derived),
        };
        let reject = |reason: RejectReason, stage: &str, message: String| {
            Outcome::Rejected(Box::new(Reject {
                schema_version: SCHEMA_VERSION.into(),
                reason,
                stage: stage.into(),
                message,
                field: None,
                id: Some(id.clone()),
                input: input.clone(),
            }))
        };
        let mut times = StageTimes::default();
        let mut warnings = Vec::new();
        let body = match (&article.body, &article.html) {
            (Some(body), _) => body.clone(),
            (None, Some(page)) => html::extract_text(page),
            (None, None) => {
                return (
                    reject(
                        RejectReason::MissingText,
                        "intake",
                        "no body and no html".into(),
                    ),
                    times,
                );
            }
        };
        for (name, value) in [
            ("published_at", &article.published_at),
            ("scraped_at", &article.scraped_at),
        ] {
            if let Some(v) = value
                && chrono::DateTime::parse_from_rfc3339(v).is_err()
            {
                warnings.push(Warning::new(
                    "invalid_timestamp",
                    format!("`{name}` is {v:?}, not an RFC 3339 time; it is passed through as is"),
                ));
            }
        }
        let analysed = truncate_chars(&body, self.limits.max_body_chars);
        if analysed.len() < body.len() {
            warnings.push(Warning::new(
                "body_truncated",
                format!(
                    "the body has {} code points; only the first {} were analysed, so no span lies beyond them",
                    body.chars().count(),
                    self.limits.max_body_chars
                ),
            ));
        }
        let hint = article.language.as_deref();

        let started = Instant::now();
        let doc = match guarded("normalize", || {
            self.test_panic("normalize", &id);
            self.normalizer.run(analysed.to_string(), hint)
        }) {
            Ok(Ok(doc)) => doc,
            Ok(Err(StageError::EmptyText(why))) => {
                return (reject(RejectReason::EmptyText, "normalize", why), times);
            }
            Err(panic) => return (reject(RejectReason::StageFailed, "normalize", panic), times),
        };
        times.normalize = started.elapsed();

        let started = Instant::now();
        let entity_layer = match guarded("entities", || {
            self.test_panic("entities", &id);
            self.entities.run(&doc)
        }) {
            Ok(layer) => layer,
            Err(panic) => return (reject(RejectReason::StageFailed, "entities", panic), times),
        };
        times.entities = started.elapsed();

        let started = Instant::now();
        let (claims, relations) = match guarded("claims", || {
            self.test_panic("claims", &id);
            self.claims.run(&doc, &entity_layer)
        }) {
            Ok(found) => found,
            Err(panic) => return (reject(RejectReason::StageFailed, "claims", panic), times),
        };
        times.claims = started.elapsed();

        if doc.language.hint_agrees == Some(false) {
            warnings.push(Warning::new(
                "language_hint_disagrees",
                format!(
                    "the input says language {:?} but the text reads as {:?}",
                    hint.unwrap_or_default(),
                    doc.language.code
                ),
            ));
        }
        let text = TextStructure {
            paragraphs: doc
                .paragraphs
                .iter()
                .map(|p| Paragraph {
                    span: doc.span(p.start, p.end),
                    language: p.language.clone(),
                    excluded: p.excluded.map(str::to_string),
                })
                .collect(),
            sentences: doc
                .sentences
                .iter()
                .map(|s| Sentence {
                    span: doc.span(s.start, s.end),
                    paragraph: s.paragraph,
                })
                .collect(),
        };
        let micros = |d: Duration| d.as_micros() as u64;
        let record = EnrichedArticle {
            schema_version: SCHEMA_VERSION.into(),
            id,
            id_origin,
            url: article.url,
            title: article.title,
            body,
            published_at: article.published_at,
            scraped_at: article.scraped_at,
            source: article.source,
            feed: article.feed,
            extra: article.extra,
            language: doc.language.clone(),
            text,
            entities: entity_layer.entities,
            claims,
            relations,
            credits: doc.credits.clone(),
            fingerprint: doc.fingerprint.clone(),
            provenance: Provenance {
                newsflow_version: env!("CARGO_PKG_VERSION").into(),
                stages: vec![
                    StageRun {
                        stage: "normalize".into(),
                        version: normalize::VERSION.into(),
                        micros: micros(times.normalize),
                    },
                    StageRun {
                        stage: "entities".into(),
                        version: entities::VERSION.into(),
                        micros: micros(times.entities),
                    },
                    StageRun {
                        stage: "claims".into(),
                        version: claims::VERSION.into(),
                        micros: micros(times.claims),
                    },
                ],
                input: (input != InputCoordinates::default()).then_some(input),
            },
            warnings,
        };
        (Outcome::Enriched(Box::new(record)), times)
    }
}

/// Runs a stage, turning a panic (a bug) into an error message that names the stage,
/// instead of a dead worker.
fn guarded<T>(name: &str, stage: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(stage)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!(
            "internal error in the {name} stage: {what}; this is a newsflow bug, please report it with the input"
        )
    })
}

/// The first `max` code points of `text`.
fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((byte, _)) => &text[..byte],
        None => text,
    }
}
