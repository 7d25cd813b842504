//! `newsflow eval`: score the stages on annotated data.

use std::process::ExitCode;

use std::io::Write;

use clap::{Args, Subcommand};

use super::error::{CliError, Context};
use rayon::prelude::*;

use crate::eval::stories as stories_eval;
use crate::eval::{attribution, corpus_gold, ner, propositions};
use crate::ledger::LedgerConfig;
use crate::pipeline::{Limits, Outcome, Pipeline};
use crate::stages::entities::{EntityTagger, SequenceTagger};
use crate::stages::normalize::Normalizer;
use crate::stories::{ArticleProfile, Method, StoryConfig, cluster};

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
    /// Stories: JSONL gold over the shared corpora (data/gold/stories/); B-cubed and
    /// pairwise precision, recall and F1 of newsflow's stories and of the word-overlap
    /// baseline, or of a `newsflow stories` output given with --predicted.
    Stories {
        /// The gold file.
        gold: String,
        /// Score these `{"article_id", "story_id"}` lines instead of running newsflow.
        #[arg(long, value_name = "FILE")]
        predicted: Option<String>,
        /// The score an article needs with a story to join it.
        #[arg(long, default_value_t = StoryConfig::default().join_threshold)]
        join_threshold: f32,
        /// Share of the score from content words (the rest from entities).
        #[arg(long, default_value_t = StoryConfig::default().term_share)]
        term_share: f32,
        /// The similarity at which two stories merge.
        #[arg(long, default_value_t = StoryConfig::default().merge_threshold)]
        merge_threshold: f32,
    },
    /// The claim ledger: JSONL gold reports of propositions (data/gold/stories/
    /// propositions/); the grouping of claims into propositions, their stance and their
    /// independent origins, against naive counts, within the gold's stories.
    Propositions {
        /// The gold reports.
        gold: String,
        /// The gold stories of the same articles (whose articles the ledger reads).
        #[arg(
            long,
            value_name = "FILE",
            default_value = "data/gold/stories/dev.jsonl"
        )]
        stories: String,
        /// The similarity a claim needs with a proposition to join it.
        #[arg(long, default_value_t = LedgerConfig::default().join_threshold)]
        join_threshold: f32,
        /// Share of trigrams two contents need in common to be one copy.
        #[arg(long, default_value_t = LedgerConfig::default().copy_share)]
        copy_share: f32,
        /// Hours within which one speaker's reports are one occasion.
        #[arg(long, default_value_t = LedgerConfig::default().occasion_hours)]
        occasion_hours: i64,
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
        EvalCommand::Stories {
            gold,
            predicted,
            join_threshold,
            term_share,
            merge_threshold,
        } => {
            let config = StoryConfig {
                join_threshold,
                term_share,
                merge_threshold,
                ..StoryConfig::default()
            };
            let report = eval_stories(&gold, predicted.as_deref(), &config)?;
            writeln!(out, "{report}").context(report_context)?;
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Propositions {
            gold,
            stories,
            join_threshold,
            copy_share,
            occasion_hours,
        } => {
            let config = LedgerConfig {
                join_threshold,
                copy_share,
                occasion_hours,
                ..LedgerConfig::default()
            };
            let report = eval_propositions(&gold, &stories, &config)?;
            writeln!(out, "== {gold}\n{report}").context(report_context)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The stories report: newsflow's and the baseline's scores, or a given output's.
fn eval_stories(
    gold_path: &str,
    predicted: Option<&str>,
    config: &StoryConfig,
) -> Result<String, CliError> {
    let path = std::path::Path::new(gold_path);
    let gold = stories_eval::read_gold(path)?;
    let labels: Vec<&str> = gold.iter().map(|g| g.story.as_str()).collect();
    if let Some(file) = predicted {
        let text = std::fs::read_to_string(file).context(|| format!("cannot read {file}"))?;
        let mut by_id = std::collections::HashMap::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let p: stories_eval::GoldStory = serde_json::from_str(line)
                .context(|| format!("{file} line {}: not an article_id/story_id line", n + 1))?;
            by_id.insert(p.id, p.story);
        }
        let missing = String::from("(missing)");
        let predicted: Vec<&str> = gold
            .iter()
            .map(|g| by_id.get(&g.id).unwrap_or(&missing).as_str())
            .collect();
        return Ok(format!(
            "== {gold_path}: {file}\n{}",
            stories_eval::score(&labels, &predicted)
        ));
    }
    let articles = stories_eval::read_articles(path, &gold)?;
    let pipeline = Pipeline::new(Limits::default())?;
    let profiles: Vec<ArticleProfile> = articles
        .into_par_iter()
        .filter_map(|a| match pipeline.process(a, Default::default()).0 {
            Outcome::Enriched(e) => Some(ArticleProfile::of(&e)),
            Outcome::Rejected(_) => None,
        })
        .collect();
    if profiles.len() != gold.len() {
        return Err(format!(
            "{gold_path}: {} of {} gold articles were rejected by the pipeline",
            gold.len() - profiles.len(),
            gold.len()
        )
        .into());
    }
    let mut report = String::new();
    for (name, method) in [
        ("newsflow", Method::Index),
        ("baseline (title and lead word overlap)", Method::Baseline),
    ] {
        let predicted = cluster(&profiles, config, method);
        report.push_str(&format!(
            "== {gold_path}: {name}\n{}\n\n",
            stories_eval::score(&labels, &predicted)
        ));
    }
    Ok(report.trim_end().to_string())
}

/// The ledger's report on gold propositions, the ledger reading every article of the
/// gold stories the propositions belong to.
fn eval_propositions(
    gold_path: &str,
    stories_path: &str,
    config: &LedgerConfig,
) -> Result<propositions::PropositionScores, CliError> {
    let gold: Vec<propositions::GoldReport> =
        stories_eval::read_jsonl(std::path::Path::new(gold_path))?;
    let wanted: std::collections::HashSet<&str> = gold.iter().map(|g| g.story.as_str()).collect();
    let path = std::path::Path::new(stories_path);
    let members: Vec<stories_eval::GoldStory> = stories_eval::read_gold(path)?
        .into_iter()
        .filter(|g| wanted.contains(g.story.as_str()))
        .collect();
    let articles = stories_eval::read_articles(path, &members)?;
    let pipeline = Pipeline::new(Limits::default())?;
    let enriched: Vec<Option<crate::record::EnrichedArticle>> = articles
        .into_par_iter()
        .map(|a| match pipeline.process(a, Default::default()).0 {
            Outcome::Enriched(e) => Some(*e),
            Outcome::Rejected(_) => None,
        })
        .collect();
    let mut by_story: std::collections::BTreeMap<String, Vec<crate::record::EnrichedArticle>> =
        Default::default();
    for (g, e) in members.iter().zip(enriched) {
        let e = e.ok_or_else(|| format!("{stories_path}: article {} was rejected", g.id))?;
        by_story.entry(g.story.clone()).or_default().push(e);
    }
    Ok(propositions::evaluate(&gold, &by_story, config))
}

/// A report that could not be written (standard output closed, say `| head`): an error,
/// not a panic.
fn report_context() -> String {
    "cannot write the report".into()
}
