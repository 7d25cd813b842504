//! newsflow: a streaming pipeline for news. Raw articles in; out, for every article: who is
//! named, where, who said what, through which agency, and where sources contradict each
//! other, with every span pointing into the original text.
//!
//! The crate reads like the architecture:
//! - [`cli`]: the `newsflow` command (enrich, run, produce, demo, eval, train, schema);
//! - [`eval`]: scoring the stages, the stories and the ledger on annotated data;
//! - [`ledger`]: the claims of one story grouped into propositions, with their
//!   independent origins;
//! - [`stories`]: which articles tell the same event, across outlets and languages;
//! - [`transport`]: files and standard input, and the Kafka worker;
//! - [`ops`]: metrics, health and the HTTP server beside the worker;
//! - [`pipeline`]: the stages composed over one article, with rejects instead of panics;
//! - [`stages`]: normalization, entities and claims, pure and I/O-free;
//! - [`text`]: the bottom floor: character classes, Arabic morphology, the text layers and
//!   the gazetteer over them, which every stage stands on;
//! - [`record`]: the contract, what comes in and what goes out;
//! - [`table`]: the one reader of the bundled data tables.
//!
//! Each layer uses only the layers listed below it (tests aside).

pub mod cli;
pub mod eval;
pub mod ledger;
pub mod ops;
pub mod pipeline;
pub mod record;
pub mod stages;
pub mod stories;
pub mod table;
pub mod text;
pub mod transport;
