//! newsflow: a streaming pipeline for news. Raw articles in; out, for every article: who is
//! named, where, who said what, through which agency, and where sources contradict each
//! other, with every span pointing into the original text.
//!
//! The crate reads like the architecture:
//! - [`record`]: the contract, what comes in and what goes out;
//! - [`text`]: the bottom floor: character classes, Arabic morphology, the text layers and
//!   the gazetteer over them, which every stage stands on;
//! - [`stages`]: normalization, entities and claims, pure and I/O-free;
//! - [`pipeline`]: the stages composed over one article, with rejects instead of panics;
//! - [`transport`]: files and standard input (Kafka comes with the worker);
//! - [`cli`]: the `newsflow` command.

pub mod cli;
pub mod eval;
pub mod ops;
pub mod pipeline;
pub mod record;
pub mod stages;
pub mod table;
pub mod text;
pub mod transport;
