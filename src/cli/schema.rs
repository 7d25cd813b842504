//! `newsflow schema`: the JSON Schemas of the records, generated from the Rust types.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::error::{CliError, Context};
use crate::record::{
    claim_record_schema, enriched_article_schema, raw_article_schema, reject_schema,
};

/// Which record.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Which {
    /// The input: RawArticle.
    Raw,
    /// The output: EnrichedArticle.
    Enriched,
    /// A reject.
    Reject,
    /// A record of the `claims` topic.
    Claim,
}

/// Arguments of `newsflow schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The record whose schema to print.
    #[arg(value_enum, default_value = "enriched")]
    pub which: Which,
    /// Write all schemas into this folder (as the committed schema/ files) instead.
    #[arg(long)]
    pub write: Option<PathBuf>,
}

/// File names and contents of every schema, as committed under schema/.
pub fn all_schemas() -> Vec<(&'static str, String)> {
    [
        ("raw-article.schema.json", raw_article_schema()),
        ("enriched-article.schema.json", enriched_article_schema()),
        ("reject.schema.json", reject_schema()),
        ("claim-record.schema.json", claim_record_schema()),
    ]
    .into_iter()
    .map(|(name, schema)| (name, pretty(&schema)))
    .collect()
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Runs `newsflow schema`.
pub fn run(args: SchemaArgs) -> Result<ExitCode, CliError> {
    if let Some(dir) = args.write {
        std::fs::create_dir_all(&dir).context(|| format!("cannot create {}", dir.display()))?;
        for (name, text) in all_schemas() {
            let path = dir.join(name);
            std::fs::write(&path, text).context(|| format!("cannot write {}", path.display()))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let schema = match args.which {
        Which::Raw => raw_article_schema(),
        Which::Enriched => enriched_article_schema(),
        Which::Reject => reject_schema(),
        Which::Claim => claim_record_schema(),
    };
    print!("{}", pretty(&schema));
    Ok(ExitCode::SUCCESS)
}
