//! Transports: how articles reach the pipeline and how records leave it. Thin by design:
//! a transport never changes what the stages produce.

pub mod jsonl;
pub mod kafka;
