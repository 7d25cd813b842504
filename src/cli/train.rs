//! `newsflow train ner`: trains a sequence-tagger model from token-per-line BIO files.
//!
//! The sentences go through the same normalization and knowledge-base lookup as at run
//! time, so the model learns from exactly the features it will see. `scripts/train-ner`
//! runs the two trainings whose models ship in `data/models/`.

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};

use crate::eval::ner::read_bio_source;
use crate::stages::entities::tagger::{
    Example, Script, SentenceFeatures, gold_labels, sentence_script, sentence_views, train,
};
use crate::stages::entities::{EntityTagger, SequenceTagger};
use crate::stages::normalize::Normalizer;

/// Arguments of `newsflow train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// What to train.
    #[command(subcommand)]
    pub what: TrainCommand,
}

/// Trainable models.
#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// The entity tagger of one script, from BIO files (ANERcorp, AQMAR, CoNLL layouts).
    Ner {
        /// The script the model reads: sentences mostly in the other script are skipped.
        #[arg(long, value_enum)]
        script: ScriptArg,
        /// Where to write the model.
        #[arg(long, short)]
        out: String,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// Training files; `FILE:FROM..TO` takes sentences FROM to TO - 1 only.
        #[arg(required = true)]
        files: Vec<String>,
    },
}

/// The script argument.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScriptArg {
    /// Arabic.
    Ar,
    /// English (Latin script).
    En,
}

/// Runs `newsflow train`.
pub fn run(args: TrainArgs) -> Result<ExitCode, String> {
    let TrainCommand::Ner {
        script,
        out,
        epochs,
        files,
    } = args.what;
    let script = match script {
        ScriptArg::Ar => Script::Arabic,
        ScriptArg::En => Script::Latin,
    };
    let started = Instant::now();
    let normalizer = Normalizer::new()?;
    let tagger = EntityTagger::with_tagger(&normalizer, SequenceTagger::untrained())?;
    let mut examples = Vec::new();
    let (mut tokens, mut skipped) = (0usize, 0usize);
    for file in &files {
        for gold in read_bio_source(file)? {
            let Ok(doc) = normalizer.run(gold.text.clone(), None) else {
                continue;
            };
            let gazetteer = tagger.gazetteer_labels(&doc);
            for sentence in &doc.sentences {
                if sentence_script(&doc, sentence) != Some(script) {
                    skipped += 1;
                    continue;
                }
                let views = sentence_views(&doc, sentence, tagger.proclitics(), &gazetteer);
                let labels = gold_labels(&doc, sentence, &gold.entities);
                tokens += labels.len();
                examples.push(Example {
                    features: SentenceFeatures::new(&views),
                    gold: labels,
                });
            }
        }
    }
    if examples.is_empty() {
        return Err(format!(
            "no {script:?} sentences in {}: check the files and --script",
            files.join(", ")
        ));
    }
    eprintln!(
        "train ner: {} sentences, {tokens} tokens ({skipped} sentences in another script skipped), {epochs} epochs",
        examples.len()
    );
    let model = train(&examples, epochs, |epoch, accuracy| {
        eprintln!("  epoch {epoch:>2}: token accuracy {accuracy:.4} on the training data");
    });
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!(
        "train ner: wrote {out}: {} features, {:.1} MB, in {:.1} s",
        model.features(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
