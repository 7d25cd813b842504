//! Spans: the one way newsflow points into text.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which input field a span points into. Spans point into `body` unless they say otherwise.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The article body as received (or as extracted from `html`).
    #[default]
    Body,
    /// The article title as received.
    Title,
    /// The input's `byline` (or `author`) as received.
    Byline,
    /// The input's `dateline` as received.
    Dateline,
}

impl Field {
    fn is_body(&self) -> bool {
        *self == Field::Body
    }
}

/// A stretch of the original text: Unicode code points, end exclusive, so that in Python
/// `body[start:end] == text`. Never an offset into a cleaned copy or a translation.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point of the span.
    pub end: usize,
    /// The original text between `start` and `end`, verbatim. Absent from paragraph and
    /// sentence spans unless asked for (`--full-texts`: their text is in `body`), and from
    /// spans of a record the worker shrank to fit its topic's size limit (warning
    /// `output_shrunk`); the offsets always point into `body` or `title`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The field the offsets refer to; absent means `body`.
    #[serde(default, skip_serializing_if = "Field::is_body")]
    pub field: Field,
}

impl Span {
    /// A body span with its text.
    pub fn new(start: usize, end: usize, text: impl Into<String>) -> Self {
        Span {
            start,
            end,
            text: text.into(),
            field: Field::Body,
        }
    }

    /// A span of another field, with its text.
    pub fn in_field(field: Field, start: usize, end: usize, text: impl Into<String>) -> Self {
        Span {
            start,
            end,
            text: text.into(),
            field,
        }
    }

    /// A body span with its offsets only.
    pub fn offsets(start: usize, end: usize) -> Self {
        Span::new(start, end, String::new())
    }

    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.field == other.field && self.start < other.end && other.start < self.end
    }
}
