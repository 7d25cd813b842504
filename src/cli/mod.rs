//! The `newsflow` command line.

mod clusters;
mod demo;
mod enrich;
pub mod error;
mod eval;
mod produce;
pub mod run;
mod schema;
mod stories;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// newsflow: who is named, where, who said what, through which agency, and where sources
/// contradict each other, for every news article, Arabic and English.
#[derive(Debug, Parser)]
#[command(name = "newsflow", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start an embedded Kafka broker, publish the bundled samples, enrich them with a
    /// worker and print what it found.
    Demo(demo::DemoArgs),
    /// Enrich JSONL articles from files or standard input.
    Enrich(enrich::EnrichArgs),
    /// Score the stages on annotated data (`eval ner FILE...`).
    Eval(eval::EvalArgs),
    /// Run one Kafka worker of the fleet (see --help for every setting).
    Run(Box<crate::transport::kafka::RunArgs>),
    /// Publish JSONL articles to the raw topic (replay, backfill).
    Produce(produce::ProduceArgs),
    /// Print the JSON Schema of a record, or write all of them to a folder.
    Schema(schema::SchemaArgs),
    /// Group articles into stories across outlets and languages (raw or enriched JSONL).
    Stories(stories::StoriesArgs),
    /// Train a model from annotated data (`train ner --script ar|en --out FILE FILE...`).
    Train(train::TrainArgs),
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Enrich(args) => enrich::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Run(args) => run::run(*args),
        Command::Produce(args) => produce::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Stories(args) => stories::run(args),
        Command::Train(args) => train::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsflow: error: {e}");
            ExitCode::from(2)
        }
    }
}
