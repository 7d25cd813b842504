//! `newsflow eval`: score the stages on annotated data.

use std::process::ExitCode;

use std::io::Write;

use clap::{Args, Subcommand};

use super::error::{CliError, Context};
use crate::eval::{attribution, corpus_gold, ner};
use crate::pipeline::{Limits, Pipeline};
use crate::stages::entities::{EntityTagger, SequenceTagger};
use crate::stages::normalize::Normalizer;

/// Arguments of `newsflow eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// What to evaluate.
    #[command(subcommand)]
    pub what: EvalCommand,
}

/// Evaluations.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Named entities on token-per-line BIO files: exact-span precision, recall and F1 per
    /// type and overall (GPE and FAC folded into LOC, PERS into PER, MIS into MISC).
    Ner {
        /// Token-per-line files (token, tab or space, BIO tag; blank line between sentences);
        /// `FILE:FROM..TO` scores sentences FROM to TO - 1 only (a held-out slice).
        #[arg(required = true)]
        files: Vec<String>,
        /// Also list every entity missed or wrongly predicted, sentence by sentence.
        #[arg(long)]
        errors: bool,
        /// Score this Arabic model (written by `newsflow train ner --script ar`) instead of
        /// the bundled one.
        #[arg(long, value_name = "FILE")]
        model_ar: Option<String>,
        /// Score this English model instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        model_en: Option<String>,
    },
    /// Attributions: PolNeAR-layout folders (text/*.txt, attributions/*.ann), newsflow
    /// JSON gold files, or JSONL gold over the shared corpora (data/gold/ar-attribution/);
    /// precision, recall and F1 of claims, speaker accuracy on matches.
    Attribution {
        /// Folders in the PolNeAR layout, .json gold files or .jsonl corpus gold files.
        #[arg(required = true)]
        paths: Vec<String>,
    },
}

/// Runs `newsflow eval`.
pub fn run(args: EvalArgs) -> Result<ExitCode, CliError> {
    let mut out = std::io::stdout().lock();
    match args.what {
        EvalCommand::Ner {
            files,
            errors,
            model_ar,
            model_en,
        } => {
            let normalizer = Normalizer::new().map_err(|e| e.to_string())?;
            let models = SequenceTagger::with_files(model_ar.as_deref(), model_en.as_deref())
                .map_err(|e| e.to_string())?;
            let tagger = EntityTagger::with_tagger(models).map_err(|e| e.to_string())?;
            for file in files {
                let sentences = ner::read_bio_source(&file)?;
                let report = ner::evaluate(&normalizer, &tagger, &sentences);
                if errors {
                    for e in &report.errors {
                        let what = if e.missed { "missed  " } else { "spurious" };
                        writeln!(
                            out,
                            "sentence {:>5}  {what}  {:<5} {}",
                            e.sentence, e.kind, e.text
                        )
                        .context(report_context)?;
                    }
                }
                writeln!(out, "== {file}\n{report}\n").context(report_context)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Attribution { paths } => {
            let pipeline = Pipeline::new(Limits::default())?;
            for path in paths {
                let p = std::path::Path::new(&path);
                let docs = if p.is_dir() {
                    attribution::read_polnear(p)?
                } else if p.extension().is_some_and(|x| x == "jsonl") {
                    corpus_gold::read_corpus_gold(p)?
                } else {
                    vec![attribution::read_json_gold(p)?]
                };
                let report = attribution::evaluate(&pipeline, &docs);
                writeln!(out, "== {path}\n{report}\n").context(report_context)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A report that could not be written (standard output closed, say `| head`): an error,
/// not a panic.
fn report_context() -> String {
    "cannot write the report".into()
}
