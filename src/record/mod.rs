//! The record contract: what newsflow reads ([`RawArticle`]), writes ([`EnrichedArticle`])
//! and rejects ([`Reject`]). Versioned by [`SCHEMA_VERSION`]; JSON Schemas under `schema/`
//! are generated from these types.

mod claim_record;
mod enriched;
mod id;
mod raw;
mod reject;
mod span;
mod step;

pub use claim_record::{ArticleRef, ClaimRecord};
pub use enriched::*;
pub use id::derive_id;
pub use raw::{RawArticle, Source};
pub use reject::{Reject, RejectReason};
pub use span::{Field, Span};
pub use step::Step;

/// The JSON Schema of [`RawArticle`].
pub fn raw_article_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawArticle)).unwrap_or_default()
}

/// The JSON Schema of [`EnrichedArticle`].
pub fn enriched_article_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(EnrichedArticle)).unwrap_or_default()
}

/// The JSON Schema of [`ClaimRecord`].
pub fn claim_record_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ClaimRecord)).unwrap_or_default()
}

/// The JSON Schema of [`Reject`].
pub fn reject_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Reject)).unwrap_or_default()
}
