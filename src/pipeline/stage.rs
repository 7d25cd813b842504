//! Running one stage: guarded (a panic, which is a bug, becomes an error that names the
//! stage instead of a dead worker), timed, and its time recorded, in one helper that every
//! stage goes through.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crate::record::Step;

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

impl StageTimes {
    /// The time of one stage (zero for a step that is not a stage, or did not finish).
    pub fn of(&self, step: Step) -> Duration {
        match step {
            Step::Normalize => self.normalize,
            Step::Entities => self.entities,
            Step::Claims => self.claims,
            Step::Intake | Step::Sink => Duration::ZERO,
        }
    }

    /// Each stage with its time, in the order they run.
    pub fn each(&self) -> [(Step, Duration); 3] {
        Step::STAGES.map(|step| (step, self.of(step)))
    }

    fn set(&mut self, step: Step, time: Duration) {
        match step {
            Step::Normalize => self.normalize = time,
            Step::Entities => self.entities = time,
            Step::Claims => self.claims = time,
            Step::Intake | Step::Sink => {}
        }
    }
}

/// A test hook, and nothing else: the environment variable `NEWSFLOW_TEST_PANIC_STAGE`, set
/// to a stage's name (`normalize`, `entities` or `claims`), makes that stage panic on every
/// article; `STAGE:ID` makes it panic on the article whose id is ID only. Tests use it to
/// see a stage's panic (a bug) become a `stage_failed` reject while the run goes on. It is
/// read once, when the pipeline is built; no input can turn it on.
pub const TEST_PANIC_STAGE: &str = "NEWSFLOW_TEST_PANIC_STAGE";

/// The stage [`TEST_PANIC_STAGE`] makes panic, and on which article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PanicHook {
    stage: Step,
    id: Option<String>,
}

/// [`TEST_PANIC_STAGE`] names no stage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{TEST_PANIC_STAGE}={value:?}: {stage:?} is not a stage (normalize, entities or claims); this variable is a test hook, unset it"
)]
pub struct PanicHookError {
    value: String,
    stage: String,
}

impl PanicHook {
    /// The hook the environment asks for, if any.
    pub(crate) fn from_env() -> Result<Option<Self>, PanicHookError> {
        let Some(value) = std::env::var_os(TEST_PANIC_STAGE) else {
            return Ok(None);
        };
        let value = value.to_string_lossy();
        let (stage, id) = match value.split_once(':') {
            Some((stage, id)) => (stage, Some(id.to_string())),
            None => (value.as_ref(), None),
        };
        let Some(step) = Step::stage(stage) else {
            return Err(PanicHookError {
                value: value.to_string(),
                stage: stage.to_string(),
            });
        };
        Ok(Some(PanicHook { stage: step, id }))
    }

    fn fire(&self, step: Step, id: &str) {
        if self.stage == step && self.id.as_deref().is_none_or(|only| only == id) {
            panic!("{TEST_PANIC_STAGE} made the {step} stage panic on article {id}");
        }
    }
}

/// Runs `stage` as `step` over article `id`: the test hook first, a panic caught and
/// described, the time recorded in `times` when it finishes.
pub(crate) fn run_stage<T>(
    step: Step,
    id: &str,
    hook: Option<&PanicHook>,
    times: &mut StageTimes,
    stage: impl FnOnce() -> T,
) -> Result<T, String> {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        if let Some(hook) = hook {
            hook.fire(step, id);
        }
        stage()
    }))
    .map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!(
            "internal error in the {step} stage: {what}; this is a newsflow bug, please report it with the input"
        )
    })?;
    times.set(step, started.elapsed());
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_stage_and_no_time_is_recorded() {
        let mut times = StageTimes::default();
        let err = run_stage(Step::Entities, "a1", None, &mut times, || -> u8 {
            panic!("boom")
        })
        .expect_err("panicked");
        assert!(err.contains("entities stage: boom"), "{err}");
        assert_eq!(times, StageTimes::default());
        let ok = run_stage(Step::Claims, "a1", None, &mut times, || 7).expect("ran");
        assert_eq!(ok, 7);
        assert_eq!(times.each().map(|(s, _)| s), Step::STAGES);
    }

    #[test]
    fn the_hook_fires_on_its_stage_and_article_only() {
        let hook = PanicHook {
            stage: Step::Normalize,
            id: Some("x".into()),
        };
        let mut times = StageTimes::default();
        assert!(run_stage(Step::Normalize, "y", Some(&hook), &mut times, || ()).is_ok());
        assert!(run_stage(Step::Entities, "x", Some(&hook), &mut times, || ()).is_ok());
        assert!(run_stage(Step::Normalize, "x", Some(&hook), &mut times, || ()).is_err());
    }
}
