//! Stories: which articles tell the same real-world event or development, across outlets
//! and languages, online and deterministic for a given input order.
//!
//! [`ArticleProfile`] reads what the clustering needs of an enriched article (body only,
//! boilerplate left out); [`StoryIndex`] assigns each article in publication order;
//! [`baseline`] is the plain word-overlap method the figures are read against. Stateful
//! across articles, so never a stage: `newsflow stories` runs it over files.

pub mod baseline;
mod batch;
mod config;
mod frequencies;
mod index;
mod profile;
mod vector;

pub use batch::{Method, cluster, publication_order};
pub use config::StoryConfig;
pub use frequencies::{Counts as FrequencyCounts, Frequencies};
pub use index::{Assignment, StoryIndex};
pub use profile::{ArticleProfile, content_word_strings, entity_keys, frequency_keys};
