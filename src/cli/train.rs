//! `newsflow train ner`: trains a sequence-tagger model from token-per-line BIO files.
//!
//! The sentences go through the same normalization and knowledge-base lookup as at run
//! time, so the model learns from exactly the features it will see. `scripts/train-ner`
//! runs the two trainings whose models ship in `data/models/`.

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};

use super::error::{CliError, Context};
use crate::eval::ner::read_bio_source;
use crate::stages::entities::tagger::{
    Example, LABELS, Script, SentenceFeatures, gold_labels, sentence_script, train, train_runs,
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
        /// Independent training runs, each over the examples in another order, whose
        /// weights are averaged into the model: steadier than one run.
        #[arg(long, default_value_t = 1)]
        runs: usize,
        /// Training files; `FILE:FROM..TO` takes sentences FROM to TO - 1 only.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// The story clustering's prior document frequencies, from unlabelled articles (raw
    /// or enriched JSONL): in how many articles each content word and entity appears.
    StoryFrequencies {
        /// Where to write the table.
        #[arg(long, short)]
        out: String,
        /// Keys seen in fewer articles are left out (they weigh as unseen ones).
        #[arg(long, default_value_t = 5)]
        min_df: u32,
        /// JSONL files of articles.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Word clusters for the entity tagger, from unlabelled articles (raw JSONL), by the
    /// bidirectional exchange algorithm at one or more granularities.
    Clusters {
        /// Where to write the table.
        #[arg(long, short)]
        out: String,
        /// Classes per granularity, coarse to fine.
        #[arg(long, value_delimiter = ',', default_value = "32,128,512")]
        classes: Vec<usize>,
        /// Words seen fewer times are not clustered.
        #[arg(long, default_value_t = 5)]
        min_count: u64,
        /// Passes of the exchange algorithm over the vocabulary.
        #[arg(long, default_value_t = 8)]
        passes: usize,
        /// The language the normalizer is told the articles are in.
        #[arg(long, default_value = "ar")]
        language: String,
        /// JSONL files of articles.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// The English attribution-cue detector, from PolNeAR-layout folders (text/*.txt,
    /// attributions/*.ann).
    Cues {
        /// Where to write the model.
        #[arg(long, short)]
        out: String,
        /// Passes over the training data.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// Features whose weights all lie within this of zero are left out of the model:
        /// on PolNeAR dev, 2 drops two features in five at no cost in F1, and the
        /// detector's lookups get faster with a smaller model.
        #[arg(long, default_value_t = 2.0)]
        min_weight: f32,
        /// Folders in the PolNeAR layout.
        #[arg(required = true)]
        dirs: Vec<String>,
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
pub fn run(args: TrainArgs) -> Result<ExitCode, CliError> {
    let (script, out, epochs, runs, files) = match args.what {
        TrainCommand::Ner {
            script,
            out,
            epochs,
            runs,
            files,
        } => (script, out, epochs, runs, files),
        TrainCommand::Cues {
            out,
            epochs,
            min_weight,
            dirs,
        } => return train_cues(&out, epochs, min_weight, &dirs),
        TrainCommand::Clusters {
            out,
            classes,
            min_count,
            passes,
            language,
            files,
        } => {
            let opts = super::clusters::ClusterOptions {
                out: &out,
                classes: &classes,
                min_count,
                passes,
                language: &language,
            };
            return super::clusters::train_clusters(&opts, &files);
        }
        TrainCommand::StoryFrequencies { out, min_df, files } => {
            return story_frequencies(&out, min_df, &files);
        }
    };
    let script = match script {
        ScriptArg::Ar => Script::Arabic,
        ScriptArg::En => Script::Latin,
    };
    let started = Instant::now();
    let normalizer = Normalizer::new().map_err(|e| e.to_string())?;
    let tagger = SequenceTagger::untrained()
        .and_then(EntityTagger::with_tagger)
        .map_err(|e| e.to_string())?;
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
                let views = tagger
                    .sequence_tagger()
                    .sentence_views(&doc, sentence, script, &gazetteer);
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
        )
        .into());
    }
    eprintln!(
        "train ner: {} sentences, {tokens} tokens ({skipped} sentences in another script skipped), {epochs} epochs",
        examples.len()
    );
    let model = train_runs(&examples, epochs, LABELS, runs, |run, epoch, accuracy| {
        eprintln!(
            "  run {run}, epoch {epoch:>2}: token accuracy {accuracy:.4} on the training data"
        );
    });
    write_model("train ner", &model, &out, started)
}

/// Trains the cue detector: each sentence of each annotated text, its tokens labelled by
/// the gold cue spans (the first annotator's file where a text has several).
fn train_cues(
    out: &str,
    epochs: usize,
    min_weight: f32,
    dirs: &[String],
) -> Result<ExitCode, CliError> {
    use crate::stages::claims::cue_model::{CUE_LABELS, CueModel, gold_cue_labels};
    let started = Instant::now();
    let normalizer = Normalizer::new().map_err(|e| e.to_string())?;
    let lexicon = crate::stages::claims::english_cue_table().map_err(|e| e.to_string())?;
    let mut examples = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for dir in dirs {
        for gold in crate::eval::attribution::read_polnear(std::path::Path::new(dir))? {
            if !seen.insert(gold.text.clone()) {
                continue;
            }
            let Ok(doc) = normalizer.run(gold.text.clone(), None) else {
                continue;
            };
            let cues: Vec<(usize, usize)> = gold.attributions.iter().map(|a| a.cue).collect();
            for sentence in &doc.sentences {
                let (first, end) = (sentence.first_token, sentence.end_token);
                let keys = CueModel::keys(&doc, first, end);
                examples.push(Example {
                    features: CueModel::features(&doc, first, end, &keys, &lexicon),
                    gold: gold_cue_labels(&doc, first, end, &cues),
                });
            }
        }
    }
    if examples.is_empty() {
        return Err(format!("no annotated texts in {}", dirs.join(", ")).into());
    }
    eprintln!("train cues: {} sentences, {epochs} epochs", examples.len());
    train_and_write(
        "train cues",
        &examples,
        (epochs, min_weight),
        CUE_LABELS,
        out,
        started,
    )
}

/// Trains a model with `labels` labels for `epochs` passes, leaves out the features whose
/// weights all lie within `min_weight` of zero (none when it is 0), writes it to `out` and
/// reports what it wrote.
fn train_and_write(
    what: &str,
    examples: &[Example],
    (epochs, min_weight): (usize, f32),
    labels: usize,
    out: &str,
    started: Instant,
) -> Result<ExitCode, CliError> {
    let model = train(examples, epochs, labels, |epoch, accuracy| {
        eprintln!("  epoch {epoch:>2}: token accuracy {accuracy:.4} on the training data");
    });
    let model = if min_weight > 0.0 {
        model.pruned(min_weight)
    } else {
        model
    };
    write_model(what, &model, out, started)
}

/// Writes a trained model and says where, how big, and how long training took.
fn write_model(
    what: &str,
    model: &crate::stages::entities::tagger::Model,
    out: &str,
    started: Instant,
) -> Result<ExitCode, CliError> {
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).context(|| format!("cannot write {out}"))?;
    eprintln!(
        "{what}: wrote {out}: {} features, {:.1} MB, in {:.1} s",
        model.features(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `newsflow train story-frequencies`: the table [`crate::stories::FrequencyCounts`] reads.
fn story_frequencies(out: &str, min_df: u32, files: &[String]) -> Result<ExitCode, CliError> {
    let articles = super::stories::read_articles(files)?;
    let keys: Vec<std::collections::BTreeSet<String>> = articles
        .iter()
        .map(crate::stories::frequency_keys)
        .collect();
    let table = crate::stories::FrequencyCounts::table(keys.iter(), min_df);
    let header = format!(
        "# Story clustering prior: in how many of {} articles each content word (match key,\n\
         # Arabic article stripped) and entity key (knowledge-base id or name:match key) of\n\
         # the title and body appears, kept from {min_df} articles up. Made by\n\
         # `scripts/build-story-frequencies`; key TAB count, `*` the number of articles.\n",
        articles.len()
    );
    std::fs::write(out, header + &table).map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!(
        "newsflow train story-frequencies: {} articles, {} keys to {out}",
        articles.len(),
        table.lines().count().saturating_sub(1)
    );
    Ok(ExitCode::SUCCESS)
}
