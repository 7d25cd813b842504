//! Story assignments against gold: B-cubed precision, recall and F1 (Bagga and Baldwin
//! 1998, per article, averaged), and pairwise precision, recall and F1 over pairs of
//! articles put in one story, also with the largest gold story left out (one big story
//! dominates pair counts).
//!
//! Gold is JSONL, one article a line: `{"corpus": FILE, "id": ..., "story": ...}`
//! (`data/gold/stories/`); the texts are read from `corpus/FILE` of the shared folder.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::attribution::GoldError;
use super::corpus_gold::{read_corpus_articles, shared_dir};
use crate::record::RawArticle;

/// One gold line.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldStory {
    /// The corpus file under `corpus/` holding the article (optional when the articles are
    /// given otherwise).
    #[serde(default)]
    pub corpus: Option<String>,
    /// The article's id.
    #[serde(alias = "article_id")]
    pub id: String,
    /// The gold story's label.
    #[serde(alias = "story_id")]
    pub story: String,
}

/// Reads a gold file.
pub fn read_gold(path: &Path) -> Result<Vec<GoldStory>, GoldError> {
    read_jsonl(path)
}

/// Reads a JSONL gold file, one value a line (blank lines skipped); an error names the line.
pub fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, GoldError> {
    let shown = || path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: shown(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|source| GoldError::Json {
                path: format!("{} line {}", shown(), n + 1),
                source,
            })
        })
        .collect()
}

/// The gold's articles from the shared corpora, in gold order.
pub fn read_articles(path: &Path, gold: &[GoldStory]) -> Result<Vec<RawArticle>, GoldError> {
    let shown = || path.display().to_string();
    let shared = shared_dir(path).ok_or_else(|| GoldError::TextFile {
        path: shown(),
        what: "no shared/corpus folder beside the checkout; set NEWSFLOW_SHARED".into(),
    })?;
    let mut wanted: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in gold {
        let corpus = g.corpus.as_deref().ok_or_else(|| GoldError::TextFile {
            path: shown(),
            what: format!("article {} names no corpus; pass --predicted instead", g.id),
        })?;
        wanted.entry(corpus).or_default().push(g.id.as_str());
    }
    let mut found = HashMap::new();
    for (corpus, ids) in wanted {
        found.extend(read_corpus_articles(&shared, corpus, &ids)?);
    }
    gold.iter()
        .map(|g| {
            found.remove(&g.id).ok_or_else(|| GoldError::TextFile {
                path: shown(),
                what: format!("article {} is not in its corpus", g.id),
            })
        })
        .collect()
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Self {
            precision,
            recall,
            f1,
        }
    }
}

impl fmt::Display for Prf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}",
            self.precision, self.recall, self.f1
        )
    }
}

/// The scores of one method.
#[derive(Debug, Clone, Default)]
pub struct StoryScores {
    /// Articles scored.
    pub articles: usize,
    /// Gold stories and predicted stories.
    pub stories: (usize, usize),
    /// B-cubed.
    pub bcubed: Prf,
    /// Pairwise.
    pub pairwise: Prf,
    /// Pairwise, the articles of the largest gold story left out.
    pub pairwise_without_largest: Prf,
}

impl fmt::Display for StoryScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "articles {}  gold stories {}  predicted stories {}",
            self.articles, self.stories.0, self.stories.1
        )?;
        writeln!(f, "B-cubed                       {}", self.bcubed)?;
        writeln!(f, "pairwise                      {}", self.pairwise)?;
        write!(
            f,
            "pairwise, largest story out   {}",
            self.pairwise_without_largest
        )
    }
}

/// Scores predicted labels against gold labels, article by article (same order).
pub fn score<G: AsRef<str>, P: AsRef<str>>(gold: &[G], predicted: &[P]) -> StoryScores {
    let n = gold.len().min(predicted.len());
    let gold: Vec<&str> = gold[..n].iter().map(AsRef::as_ref).collect();
    let predicted: Vec<&str> = predicted[..n].iter().map(AsRef::as_ref).collect();
    let mut gold_size: HashMap<&str, usize> = HashMap::new();
    let mut pred_size: HashMap<&str, usize> = HashMap::new();
    let mut both: HashMap<(&str, &str), usize> = HashMap::new();
    for (g, p) in gold.iter().zip(&predicted) {
        *gold_size.entry(g).or_default() += 1;
        *pred_size.entry(p).or_default() += 1;
        *both.entry((g, p)).or_default() += 1;
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for (g, p) in gold.iter().zip(&predicted) {
        let common = both[&(*g, *p)] as f64;
        bp += common / pred_size[p] as f64;
        br += common / gold_size[g] as f64;
    }
    let largest = gold_size
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(g, _)| *g);
    let kept: Vec<usize> = (0..n).filter(|&i| Some(gold[i]) != largest).collect();
    StoryScores {
        articles: n,
        stories: (gold_size.len(), pred_size.len()),
        bcubed: Prf::new(bp / n.max(1) as f64, br / n.max(1) as f64),
        pairwise: pairwise(&gold, &predicted, &(0..n).collect::<Vec<_>>()),
        pairwise_without_largest: pairwise(&gold, &predicted, &kept),
    }
}

/// Pairwise precision and recall over the articles `at`.
fn pairwise(gold: &[&str], predicted: &[&str], at: &[usize]) -> Prf {
    fn pairs<K>(counts: HashMap<K, usize>) -> f64 {
        counts
            .values()
            .map(|&c| (c * c.saturating_sub(1) / 2) as f64)
            .sum()
    }
    let mut g: HashMap<&str, usize> = HashMap::new();
    let mut p: HashMap<&str, usize> = HashMap::new();
    let mut b: HashMap<(&str, &str), usize> = HashMap::new();
    for &i in at {
        *g.entry(gold[i]).or_default() += 1;
        *p.entry(predicted[i]).or_default() += 1;
        *b.entry((gold[i], predicted[i])).or_default() += 1;
    }
    let (gold_pairs, pred_pairs, common) = (pairs(g), pairs(p), pairs(b));
    let ratio = |x: f64, y: f64| if y > 0.0 { x / y } else { 1.0 };
    Prf::new(ratio(common, pred_pairs), ratio(common, gold_pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_all_in_one() {
        let gold = ["a", "a", "b", "c"];
        let s = score(&gold, &gold);
        assert_eq!(s.bcubed.f1, 1.0);
        assert_eq!(s.pairwise.f1, 1.0);
        let one = ["x"; 4];
        let s = score(&gold, &one);
        // B-cubed precision: (2/4 + 2/4 + 1/4 + 1/4) / 4.
        assert!((s.bcubed.precision - 0.375).abs() < 1e-9);
        assert_eq!(s.bcubed.recall, 1.0);
        assert!((s.pairwise.precision - 1.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn all_singletons_have_full_precision_and_low_recall() {
        let gold = ["a", "a", "a", "b"];
        let s = score(&gold, &["1", "2", "3", "4"]);
        assert_eq!(s.bcubed.precision, 1.0);
        assert!((s.bcubed.recall - (1.0 / 3.0 * 3.0 + 1.0) / 4.0).abs() < 1e-9);
        assert_eq!(s.pairwise.recall, 0.0);
    }
}
