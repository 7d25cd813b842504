//! Evaluation against annotated data: the same stages, scored the way published results
//! are, so users can measure newsflow on their own annotations.

pub mod attribution;
pub mod corpus_gold;
pub mod ner;
pub mod propositions;
pub mod stories;
