//! The three stages. Each is pure, synchronous and free of I/O: one document in, its own
//! section of the output out. Nothing here knows about files, Kafka or the command line.

pub mod claims;
pub mod entities;
mod load;
pub mod normalize;

pub use load::{LoadError, ModelError};

/// Why a stage could not produce its section for a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    /// Nothing to analyse once whitespace, controls and marks are gone.
    #[error("{0}")]
    EmptyText(String),
}
