//! Rejects: inputs newsflow could not enrich, with a machine-readable reason.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::enriched::InputCoordinates;

/// Why an input was rejected.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The bytes are not valid UTF-8.
    InvalidUtf8,
    /// The input is not JSON.
    NotJson,
    /// The input is JSON but not an object.
    NotObject,
    /// A known field has the wrong type.
    InvalidField,
    /// Neither `body` nor `html` is present.
    MissingText,
    /// The text is empty once whitespace, controls and markup are removed.
    EmptyText,
    /// The input is larger than the configured limit.
    TooLarge,
    /// A stage failed on this input (a bug: please report it with the input).
    StageFailed,
    /// The message has no payload: null (a tombstone) or zero bytes or only whitespace.
    EmptyMessage,
    /// What the article became is over the output topic's size limit even shrunk: the
    /// producer's `message.max.bytes` or the topic's `max.message.bytes`.
    OutputTooLarge,
    /// The broker refused an output for good (not for a passing fault): an invalid or
    /// corrupt record, say. The message names the broker's error.
    OutputRejected,
}

impl RejectReason {
    /// The reason as it appears in JSON and Kafka headers.
    pub fn as_str(&self) -> &'static str {
        match self {
            RejectReason::InvalidUtf8 => "invalid_utf8",
            RejectReason::NotJson => "not_json",
            RejectReason::NotObject => "not_object",
            RejectReason::InvalidField => "invalid_field",
            RejectReason::MissingText => "missing_text",
            RejectReason::EmptyText => "empty_text",
            RejectReason::TooLarge => "too_large",
            RejectReason::StageFailed => "stage_failed",
            RejectReason::EmptyMessage => "empty_message",
            RejectReason::OutputTooLarge => "output_too_large",
            RejectReason::OutputRejected => "output_rejected",
        }
    }
}

/// A rejected input: why, where, and what to do.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Reject {
    /// Version of the record contract.
    pub schema_version: String,
    /// Machine-readable reason.
    pub reason: RejectReason,
    /// The step that rejected it: "intake", "normalize", "entities", "claims", or "sink"
    /// (the worker's producer, for `output_too_large` and `output_rejected`).
    pub stage: String,
    /// What happened and what to do, in words.
    pub message: String,
    /// The field at fault, for `invalid_field` (a JSON path such as `source.name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The article id, when it could be read or derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where the input came from.
    pub input: InputCoordinates,
}
