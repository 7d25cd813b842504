//! The bounds on one input that keep time and memory bounded whatever it holds.

use super::times::DateOrder;

/// Limits that keep time and memory bounded whatever the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Inputs larger than this are rejected as `too_large`.
    pub max_input_bytes: usize,
    /// Bodies longer than this are analysed up to it, with a `body_truncated` warning.
    pub max_body_chars: usize,
    /// How the feed writes numeric dates; not a bound, but part of what an input is read
    /// with before any stage runs.
    pub date_order: DateOrder,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_body_chars: 1_000_000,
            date_order: DateOrder::Unknown,
        }
    }
}
