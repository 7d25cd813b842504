//! Why the claim stage's bundled data does not load: a malformed table row (its file and
//! line named) or a cue model that does not read.

use crate::table::TableError;

/// A bundled table or model of the claim stage that does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsLoadError {
    /// A row of one of the cue, descriptor or quantity tables is malformed.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The cue detector's model does not read, or is not a cue model.
    #[error("{file}: {message}")]
    Model {
        /// The model's file name.
        file: &'static str,
        /// What is wrong with it.
        message: String,
    },
}
