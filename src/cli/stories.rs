//! `newsflow stories`: articles (raw or enriched JSONL) in, the story of each out, in
//! publication-time order as a stream would see them.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;
use serde_json::json;

use super::error::{CliError, Context};
use crate::ledger::{LedgerConfig, story_ledger};
use crate::pipeline::{Limits, Outcome, Pipeline};
use crate::record::{EnrichedArticle, InputCoordinates};
use crate::stories::{self, ArticleProfile, Method, StoryConfig};
use crate::transport::jsonl::LineReader;

/// Arguments of `newsflow stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// JSONL files of RawArticle or EnrichedArticle objects; "-" reads standard input.
    #[arg(default_value = "-")]
    pub inputs: Vec<String>,
    /// Write `{"article_id", "story_id"}` lines here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write the stories (articles, outlets, languages, first and last seen) as JSON here.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// A story takes no article published more than this many hours after its last one.
    #[arg(long, default_value_t = StoryConfig::default().window_hours)]
    pub window_hours: f64,
    /// The clustering to run.
    #[arg(long, value_enum, default_value_t = Method::Index)]
    pub method: Method,
}

/// Runs `newsflow stories`.
pub fn run(args: StoriesArgs) -> Result<ExitCode, CliError> {
    let articles = read_articles(&args.inputs)?;
    let profiles: Vec<ArticleProfile> = articles.par_iter().map(ArticleProfile::of).collect();
    let config = StoryConfig {
        window_hours: args.window_hours,
        ..StoryConfig::default()
    };
    let labels = stories::cluster(&profiles, &config, args.method);
    let write_err = || "cannot write output".to_string();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    for (p, label) in profiles.iter().zip(&labels) {
        serde_json::to_writer(
            &mut out,
            &json!({"article_id": p.article_id, "story_id": label}),
        )
        .context(write_err)?;
        out.write_all(b"\n").context(write_err)?;
    }
    out.flush().context(write_err)?;
    if let Some(path) = &args.ledger {
        let file = File::create(path).context(|| format!("cannot create {}", path.display()))?;
        serde_json::to_writer_pretty(BufWriter::new(file), &story_table(&articles, &labels))
            .context(write_err)?;
    }
    let distinct: std::collections::HashSet<&String> = labels.iter().collect();
    eprintln!(
        "newsflow stories: {} articles in {} stories",
        labels.len(),
        distinct.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The articles of JSONL files of raw or enriched articles, raw ones run through the
/// pipeline (rejects are reported on standard error and left out).
pub(super) fn read_articles(inputs: &[String]) -> Result<Vec<EnrichedArticle>, CliError> {
    let pipeline = Pipeline::new(Limits::default())?;
    let mut articles: Vec<EnrichedArticle> = Vec::new();
    for input in inputs {
        let mut reader = LineReader::open(input).context(|| format!("cannot open {input}"))?;
        loop {
            let batch = reader
                .next_batch(1024, 16 << 20)
                .context(|| format!("cannot read {}", reader.name))?;
            if batch.is_empty() {
                break;
            }
            let name = reader.name.clone();
            let enriched: Vec<Result<EnrichedArticle, String>> = batch
                .par_iter()
                .map(|line| enriched(&pipeline, &name, line.number, &line.bytes))
                .collect();
            for e in enriched {
                match e {
                    Ok(article) => articles.push(article),
                    Err(message) => eprintln!("newsflow: {message}"),
                }
            }
        }
    }
    Ok(articles)
}

/// An enriched article from a line: parsed when it is one already, else run through the
/// pipeline; a reject is an error naming the file and line.
fn enriched(
    pipeline: &Pipeline,
    file: &str,
    line: u64,
    bytes: &[u8],
) -> Result<EnrichedArticle, String> {
    if let Ok(article) = serde_json::from_slice::<EnrichedArticle>(bytes) {
        return Ok(article);
    }
    let coords = InputCoordinates {
        file: Some(file.to_string()),
        line: Some(line),
        ..Default::default()
    };
    match pipeline.process_bytes(bytes, coords).0 {
        Outcome::Enriched(article) => Ok(*article),
        Outcome::Rejected(reject) => Err(format!(
            "rejected {file} line {line}: {}: {}",
            reject.reason.as_str(),
            reject.message
        )),
    }
}

/// The stories as JSON: each with its articles, outlets, languages, first and last seen.
fn story_table(articles: &[EnrichedArticle], labels: &[String]) -> serde_json::Value {
    let mut by_story: BTreeMap<&str, Vec<&EnrichedArticle>> = BTreeMap::new();
    for (a, label) in articles.iter().zip(labels) {
        by_story.entry(label).or_default().push(a);
    }
    let stories: Vec<serde_json::Value> = by_story
        .into_iter()
        .map(|(id, members)| {
            let mut outlets: Vec<&str> = members
                .iter()
                .filter_map(|a| a.source.as_ref().and_then(|s| s.name.as_deref()))
                .collect();
            outlets.sort_unstable();
            outlets.dedup();
            let mut languages: Vec<&str> =
                members.iter().map(|a| a.language.code.as_str()).collect();
            languages.sort_unstable();
            languages.dedup();
            let times: Vec<&str> = members
                .iter()
                .filter_map(|a| a.published_at.as_deref())
                .collect();
            let propositions = story_ledger(&members, &LedgerConfig::default());
            json!({
                "story_id": id,
                "articles": members.iter().map(|a| json!({"id": a.id, "title": a.title})).collect::<Vec<_>>(),
                "outlets": outlets,
                "languages": languages,
                "first_seen": times.iter().min(),
                "last_seen": times.iter().max(),
                "propositions": propositions,
            })
        })
        .collect();
    json!({ "stories": stories })
}
