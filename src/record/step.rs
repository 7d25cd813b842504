//! The steps an input goes through, named once: records (`Reject::stage`,
//! `StageRun::stage`), metrics labels and the test hooks all spell them from here.

use std::fmt;

/// A step of newsflow's processing of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Decoding and checking the input (JSON, size, required fields).
    Intake,
    /// The normalization stage.
    Normalize,
    /// The entity stage.
    Entities,
    /// The claim stage.
    Claims,
    /// The worker's producer (outputs too large or refused by the broker).
    Sink,
}

impl Step {
    /// The three stages, in the order they run.
    pub const STAGES: [Step; 3] = [Step::Normalize, Step::Entities, Step::Claims];

    /// The name records and metrics use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Intake => "intake",
            Step::Normalize => "normalize",
            Step::Entities => "entities",
            Step::Claims => "claims",
            Step::Sink => "sink",
        }
    }

    /// The stage of this name, if it is one of [`Step::STAGES`].
    pub fn stage(name: &str) -> Option<Step> {
        Step::STAGES.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_stages_parse_as_stages() {
        assert_eq!(Step::stage("entities"), Some(Step::Entities));
        assert_eq!(Step::stage("intake"), None);
        assert_eq!(Step::stage("tokenize"), None);
        assert_eq!(Step::Sink.to_string(), "sink");
    }
}
