//! Why a stage could not load its bundled data: a malformed table row, an automaton that
//! would not build, a model file that is not one, a file that cannot be read. The command
//! line adds what it was doing; these say which file and what is wrong with it.

use crate::table::TableError;

/// A stage's data that would not load.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A row of a bundled table is malformed (the error names file and line).
    #[error(transparent)]
    Table(#[from] TableError),
    /// The automaton over a table's aliases would not build.
    #[error("{file}: {source}")]
    Automaton {
        /// The table whose aliases it holds.
        file: &'static str,
        /// What aho-corasick refused.
        source: aho_corasick::BuildError,
    },
    /// A model file is not a model this build reads.
    #[error("{file}: {source}")]
    Model {
        /// The bundled model's name or the path given.
        file: String,
        /// What is wrong with it.
        source: ModelError,
    },
    /// A table `build.rs` froze into the binary does not read back.
    #[error("{table}: the table frozen into this build does not read back: rebuild (cargo build)")]
    Frozen {
        /// The table's source file.
        table: String,
    },
    /// A model file given on the command line cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path given.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// What is wrong with a model file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The file ends before its header or its weights do.
    #[error("model file truncated at byte {at}")]
    Truncated {
        /// Where the bytes ran out.
        at: usize,
    },
    /// The file does not start with a model's magic bytes.
    #[error("not a newsflow NER model (bad magic)")]
    Magic,
    /// The model was trained with another feature set than this build computes.
    #[error(
        "model trained with feature set {found}, this build has {expected}: retrain with scripts/train-ner"
    )]
    FeatureVersion {
        /// The model's feature set.
        found: u32,
        /// This build's.
        expected: u32,
    },
    /// The model has no labels, or more than are read.
    #[error("model has {found} labels, at most {max} are read")]
    Labels {
        /// Labels in the file.
        found: usize,
        /// The most a model may have.
        max: usize,
    },
    /// The model's labels are not the entity tagger's (a cue model, say).
    #[error("{found} labels, the entity tagger needs {expected}: is it an entity model?")]
    NotEntityModel {
        /// Labels in the file.
        found: usize,
        /// Labels the entity tagger needs.
        expected: usize,
    },
    /// The model's labels are not the cue detector's.
    #[error("{found} labels, the cue detector needs {expected}")]
    NotCueModel {
        /// Labels in the file.
        found: usize,
        /// Labels the cue detector needs.
        expected: usize,
    },
}
