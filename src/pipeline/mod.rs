//! The pipeline: intake, then normalization, entities and claims, composed over one
//! article. Returns an enriched record or a reject; never panics on input, never does I/O.

mod assemble;
pub mod intake;
mod limits;
mod prepare;
mod stage;
pub mod times;

use crate::record::{
    EnrichedArticle, InputCoordinates, RawArticle, Reject, RejectReason, SCHEMA_VERSION, Step,
};
use crate::stages::claims::ClaimExtractor;
use crate::stages::entities::EntityTagger;
use crate::stages::normalize::{Context, Normalizer};
use crate::stages::{LoadError, StageError};

use assemble::{Findings, assemble};
pub use limits::Limits;
use prepare::{Prepared, prepare};
use stage::{PanicHook, run_stage};
pub use stage::{PanicHookError, StageTimes, TEST_PANIC_STAGE};

/// Why the pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A stage's bundled data did not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The stage-panic test hook names no stage.
    #[error(transparent)]
    TestHook(#[from] PanicHookError),
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
    full_texts: bool,
    panic_hook: Option<PanicHook>,
}

impl Pipeline {
    /// Loads every stage's bundled data.
    pub fn new(limits: Limits) -> Result<Self, PipelineError> {
        let normalizer = Normalizer::new()?;
        let entities = EntityTagger::new()?;
        let claims = ClaimExtractor::new(&normalizer)?;
        Ok(Pipeline {
            normalizer,
            entities,
            claims,
            limits,
            full_texts: false,
            panic_hook: PanicHook::from_env()?,
        })
    }

    /// The pipeline writing the text of paragraph and sentence spans too (`--full-texts`),
    /// not only their offsets.
    pub fn with_full_texts(mut self, full_texts: bool) -> Self {
        self.full_texts = full_texts;
        self
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

    /// Processes one input message or line.
    pub fn process_bytes(&self, bytes: &[u8], input: InputCoordinates) -> (Outcome, StageTimes) {
        match intake::decode(bytes, self.limits.max_input_bytes) {
            Ok(article) => self.process(article, input),
            Err(e) => (
                Outcome::Rejected(Box::new(Reject {
                    schema_version: SCHEMA_VERSION.into(),
                    reason: e.reason,
                    stage: Step::Intake.as_str().into(),
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
    pub fn process(
        &self,
        mut article: RawArticle,
        input: InputCoordinates,
    ) -> (Outcome, StageTimes) {
        let mut times = StageTimes::default();
        let prepared = match prepare(&mut article, &self.limits) {
            Ok(prepared) => prepared,
            Err(not) => {
                let reject = reject(not.reason, Step::Intake, not.message, Some(not.id), input);
                return (reject, times);
            }
        };
        match self.run_stages(&article, &prepared, &mut times) {
            Ok(found) => {
                let record = assemble(article, prepared, found, &times, input, self.full_texts);
                (Outcome::Enriched(Box::new(record)), times)
            }
            Err((step, reason, message)) => {
                let reject = reject(reason, step, message, Some(prepared.id), input);
                (reject, times)
            }
        }
    }

    /// The three stages over a prepared article, each through [`run_stage`]; the first
    /// that fails says which and why.
    fn run_stages(
        &self,
        article: &RawArticle,
        prepared: &Prepared,
        times: &mut StageTimes,
    ) -> Result<Findings, (Step, RejectReason, String)> {
        let id = prepared.id.as_str();
        let hook = self.panic_hook.as_ref();
        let failed = |step| move |panic| (step, RejectReason::StageFailed, panic);
        let outlet = outlet_of(article);
        let context = Context {
            hint: article.language.as_deref(),
            byline: article.byline.as_deref(),
            dateline: article.dateline.as_deref(),
            section: article.section.as_deref(),
            outlet: outlet.as_deref(),
        };
        let normalized = run_stage(Step::Normalize, id, hook, times, || {
            self.normalizer
                .run_with(prepared.analysed().to_string(), &context)
        })
        .map_err(failed(Step::Normalize))?;
        let doc = match normalized {
            Ok(doc) => doc,
            Err(StageError::EmptyText(why)) => {
                return Err((Step::Normalize, RejectReason::EmptyText, why));
            }
        };
        let entities = run_stage(Step::Entities, id, hook, times, || self.entities.run(&doc))
            .map_err(failed(Step::Entities))?;
        let (claims, relations) = run_stage(Step::Claims, id, hook, times, || {
            self.claims.run(&doc, &entities)
        })
        .map_err(failed(Step::Claims))?;
        Ok(Findings {
            doc,
            entities,
            claims,
            relations,
        })
    }
}

/// The publisher as the per-outlet tables name it: the source's name, else the URL's host,
/// lowercase.
fn outlet_of(article: &RawArticle) -> Option<String> {
    let name = article
        .source
        .as_ref()
        .and_then(|s| s.name.as_deref().or(s.domain.as_deref()));
    let host = || {
        let url = article.url.as_deref()?;
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        rest.split(['/', '?', '#']).next()
    };
    name.or_else(host).map(str::to_lowercase)
}

/// A reject from `step`.
fn reject(
    reason: RejectReason,
    step: Step,
    message: String,
    id: Option<String>,
    input: InputCoordinates,
) -> Outcome {
    Outcome::Rejected(Box::new(Reject {
        schema_version: SCHEMA_VERSION.into(),
        reason,
        stage: step.as_str().into(),
        message,
        field: None,
        id,
        input,
    }))
}
