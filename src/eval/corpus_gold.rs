//! Gold over articles of the shared corpora: JSONL, one article a line, naming the corpus
//! file and the article id, with claims as code-point offsets into the article's `body`
//! (`data/gold/ar-attribution/`). The texts are read from the corpus, never from the gold,
//! and every span is checked against the article it points into.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::record::RawArticle;

use super::attribution::{GoldAttribution, GoldDocument, GoldError};

#[derive(Deserialize)]
struct Line {
    corpus: String,
    id: String,
    #[serde(default)]
    claims: Vec<GoldClaim>,
}

#[derive(Deserialize)]
struct GoldClaim {
    cue: GoldSpan,
    content: GoldSpan,
    #[serde(default)]
    speaker: Option<GoldSpan>,
    #[serde(default)]
    stance: Option<String>,
}

#[derive(Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
    #[serde(default)]
    class: Option<String>,
}

/// The folder holding `corpus/`: `NEWSFLOW_SHARED`, else a `shared` folder beside an
/// ancestor of the gold file (`../shared` from the checkout).
pub(crate) fn shared_dir(gold: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NEWSFLOW_SHARED") {
        return Some(PathBuf::from(dir));
    }
    let absolute = std::fs::canonicalize(gold).ok()?;
    absolute
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared"))
        .find(|dir| dir.join("corpus").is_dir())
}

/// The articles of `corpus/{corpus}` in the shared folder whose ids are among `ids`.
pub(crate) fn read_corpus_articles(
    shared: &Path,
    corpus: &str,
    ids: &[&str],
) -> Result<HashMap<String, RawArticle>, GoldError> {
    let file = shared.join("corpus").join(corpus);
    let text = std::fs::read_to_string(&file).map_err(|source| GoldError::Read {
        path: file.display().to_string(),
        source,
    })?;
    let mut found = HashMap::new();
    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
        let Ok(article) = serde_json::from_str::<RawArticle>(line) else {
            continue;
        };
        if let Some(id) = article.id.clone().filter(|id| ids.contains(&id.as_str())) {
            found.insert(id, article);
        }
    }
    Ok(found)
}

/// Reads a corpus gold file; each article's text comes from `corpus/{corpus}` of the
/// shared folder.
pub fn read_corpus_gold(path: &Path) -> Result<Vec<GoldDocument>, GoldError> {
    let shown = || path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: shown(),
        source,
    })?;
    let mut lines = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let parsed: Line = serde_json::from_str(line).map_err(|source| GoldError::Json {
            path: format!("{} line {}", shown(), n + 1),
            source,
        })?;
        lines.push(parsed);
    }
    let shared = shared_dir(path).ok_or_else(|| GoldError::TextFile {
        path: shown(),
        what: "no shared/corpus folder beside the checkout; set NEWSFLOW_SHARED".into(),
    })?;
    let mut wanted: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in &lines {
        wanted
            .entry(l.corpus.as_str())
            .or_default()
            .push(l.id.as_str());
    }
    let mut articles = HashMap::new();
    for (corpus, ids) in wanted {
        articles.extend(read_corpus_articles(&shared, corpus, &ids)?);
    }
    lines
        .into_iter()
        .map(|l| {
            let article = articles.remove(&l.id).ok_or_else(|| GoldError::TextFile {
                path: shown(),
                what: format!("article {} is not in corpus/{}", l.id, l.corpus),
            })?;
            let body = article.body.clone().unwrap_or_default();
            let length = body.chars().count();
            let check = |s: &GoldSpan| {
                (s.start < s.end && s.end <= length)
                    .then_some((s.start, s.end))
                    .ok_or_else(|| GoldError::TextFile {
                        path: shown(),
                        what: format!(
                            "article {}: span {}..{} outside its body of {length} code points",
                            l.id, s.start, s.end
                        ),
                    })
            };
            let mut attributions = Vec::new();
            for c in &l.claims {
                attributions.push(GoldAttribution {
                    cue: check(&c.cue)?,
                    content: check(&c.content)?,
                    source: c.speaker.as_ref().map(check).transpose()?,
                    class: c.cue.class.clone(),
                    stance: c.stance.clone(),
                });
            }
            Ok(GoldDocument {
                name: format!("{} {}", l.corpus, l.id),
                text: body,
                attributions,
                article: Some(article),
            })
        })
        .collect()
}
