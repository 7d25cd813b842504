//! Named-entity evaluation on token-per-line BIO files (CoNLL, ANERcorp, AQMAR layouts).
//!
//! Each sentence is detokenised (tokens joined by single spaces), run through the
//! normalization and entity stages, and the predicted mentions are compared with the gold
//! chunks by exact span, in the file's tokens (as conlleval does), and type: a mention
//! that leaves a fused proclitic out («حلب» in the token «بحلب») covers that token. GPE and FAC fold into LOC, PERS into PER, MIS
//! into MISC, NORP into MISC, as in the published ANERcorp, AQMAR and CoNLL results;
//! overall scores count every gold entity, MISC included.

use std::collections::{BTreeMap, HashSet};

use crate::stages::entities::EntityTagger;
use crate::stages::normalize::Normalizer;

/// One annotated sentence: its detokenised text and gold chunks (char spans, folded type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    /// Tokens joined by single spaces.
    pub text: String,
    /// The file's tokens in `text`: (start, end), code points, end exclusive.
    pub tokens: Vec<(usize, usize)>,
    /// Gold entities: (start, end, type), code points, end exclusive.
    pub entities: Vec<(usize, usize, String)>,
}

/// Folds a tag's type the way published results count it.
pub fn fold_type(t: &str) -> String {
    match t {
        "GPE" | "FAC" | "LOC" => "LOC",
        "PERS" | "PER" => "PER",
        "MIS" | "MISC" | "NORP" => "MISC",
        "ORG" => "ORG",
        other => other,
    }
    .to_string()
}

/// Reads a token-per-line file: token, tab or space, BIO tag; blank lines between
/// sentences; `-DOCSTART-` lines ignored. IOB1 chunks (starting with I-) are read too.
pub fn read_bio(text: &str) -> Result<Vec<GoldSentence>, String> {
    let mut sentences = Vec::new();
    let mut tokens: Vec<(String, String)> = Vec::new();
    let flush = |tokens: &mut Vec<(String, String)>, out: &mut Vec<GoldSentence>| {
        if tokens.is_empty() {
            return;
        }
        let mut text = String::new();
        let mut entities = Vec::new();
        let mut spans = Vec::new();
        let mut open: Option<(usize, String)> = None;
        let mut pos = 0;
        let mut last_end = 0;
        for (token, tag) in tokens.drain(..) {
            if !text.is_empty() {
                text.push(' ');
                pos += 1;
            }
            let start = pos;
            text.push_str(&token);
            pos += token.chars().count();
            spans.push((start, pos));
            let (prefix, kind) = tag.split_once('-').unwrap_or((tag.as_str(), ""));
            let kind = fold_type(kind);
            let continues = prefix == "I" && open.as_ref().is_some_and(|(_, t)| *t == kind);
            if !continues {
                if let Some((s, t)) = open.take() {
                    entities.push((s, last_end, t));
                }
                if prefix == "B" || prefix == "I" {
                    open = Some((start, kind));
                }
            }
            last_end = pos;
        }
        if let Some((s, t)) = open.take() {
            entities.push((s, last_end, t));
        }
        out.push(GoldSentence {
            text,
            tokens: spans,
            entities,
        });
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut tokens, &mut sentences);
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        let (token, tag) = line.rsplit_once(['\t', ' ']).ok_or_else(|| {
            format!(
                "line {}: expected TOKEN<tab or space>TAG, found {line:?}",
                n + 1
            )
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(format!("line {}: empty token", n + 1));
        }
        tokens.push((token.to_string(), tag.trim().to_string()));
    }
    flush(&mut tokens, &mut sentences);
    Ok(sentences)
}

/// Counts of one type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted and gold agree on span and type.
    pub true_positives: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities.
    pub gold: usize,
}

impl Counts {
    /// Precision, recall, F1.
    pub fn scores(&self) -> (f64, f64, f64) {
        let p = if self.predicted == 0 {
            0.0
        } else {
            self.true_positives as f64 / self.predicted as f64
        };
        let r = if self.gold == 0 {
            0.0
        } else {
            self.true_positives as f64 / self.gold as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

/// Scores per type and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerReport {
    /// Per folded type.
    pub by_type: BTreeMap<String, Counts>,
    /// All types together.
    pub overall: Counts,
    /// Sentences scored.
    pub sentences: usize,
    /// Every disagreement with the gold, in file order.
    pub errors: Vec<NerError>,
}

/// One disagreement with the gold: an entity missed, or one predicted that the gold lacks
/// (a wrong type or boundary counts as both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NerError {
    /// Index of the sentence in the file (or slice).
    pub sentence: usize,
    /// True for a gold entity not predicted, false for a prediction not in the gold.
    pub missed: bool,
    /// The entity's tokens.
    pub text: String,
    /// Its folded type.
    pub kind: String,
}

/// Reads a BIO file, or a slice of its sentences: `PATH:FROM..TO` (either end may be left
/// out) keeps sentences `FROM` to `TO - 1`, so a part of a training file can be held out.
pub fn read_bio_source(spec: &str) -> Result<Vec<GoldSentence>, String> {
    let (path, range) = match spec.rsplit_once(':') {
        Some((path, range)) if !std::path::Path::new(spec).exists() && range.contains("..") => {
            let (from, to) = range.split_once("..").unwrap_or((range, ""));
            let bound = |s: &str, default: usize| {
                if s.is_empty() {
                    Ok(default)
                } else {
                    s.parse::<usize>()
                        .map_err(|_| format!("{spec}: {s:?} is not a sentence number"))
                }
            };
            (path, Some((bound(from, 0)?, bound(to, usize::MAX)?)))
        }
        _ => (spec, None),
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut sentences = read_bio(&text).map_err(|e| format!("{path}: {e}"))?;
    if let Some((from, to)) = range {
        let to = to.min(sentences.len());
        if from >= to {
            return Err(format!(
                "{spec}: the slice is empty ({} sentences in the file)",
                sentences.len()
            ));
        }
        sentences = sentences.drain(from..to).collect();
    }
    Ok(sentences)
}

/// The file tokens a character span covers: (first, one past the last), or none.
fn token_range(tokens: &[(usize, usize)], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|&(_, e)| e <= start);
    let last = tokens.partition_point(|&(s, _)| s < end);
    (first < last).then_some((first, last))
}

/// Runs the entity stage over the sentences and scores it.
pub fn evaluate(
    normalizer: &Normalizer,
    tagger: &EntityTagger,
    sentences: &[GoldSentence],
) -> NerReport {
    let mut report = NerReport::default();
    for (index, sentence) in sentences.iter().enumerate() {
        report.sentences += 1;
        let predicted: HashSet<(usize, usize, String)> =
            match normalizer.run(sentence.text.clone(), None) {
                Ok(doc) => tagger
                    .run(&doc)
                    .entities
                    .iter()
                    .flat_map(|e| {
                        let kind = fold_type(&format!("{:?}", e.kind));
                        e.mentions.iter().filter_map(move |m| {
                            let (s, e) = token_range(&sentence.tokens, m.start, m.end)?;
                            Some((s, e, kind.clone()))
                        })
                    })
                    .collect(),
                Err(_) => HashSet::new(),
            };
        let gold: HashSet<(usize, usize, String)> = sentence
            .entities
            .iter()
            .filter_map(|(s, e, t)| {
                let (s, e) = token_range(&sentence.tokens, *s, *e)?;
                Some((s, e, t.clone()))
            })
            .collect();
        for (_, _, t) in &gold {
            report.by_type.entry(t.clone()).or_default().gold += 1;
            report.overall.gold += 1;
        }
        for p in &predicted {
            let c = report.by_type.entry(p.2.clone()).or_default();
            c.predicted += 1;
            report.overall.predicted += 1;
            if gold.contains(p) {
                c.true_positives += 1;
                report.overall.true_positives += 1;
            }
        }
        let text_of = |(s, e): (usize, usize)| -> String {
            let (from, to) = (sentence.tokens[s].0, sentence.tokens[e - 1].1);
            sentence.text.chars().skip(from).take(to - from).collect()
        };
        let mut disagreements: Vec<(bool, &(usize, usize, String))> = gold
            .difference(&predicted)
            .map(|g| (true, g))
            .chain(predicted.difference(&gold).map(|p| (false, p)))
            .collect();
        disagreements.sort_by_key(|(missed, (s, e, _))| (*s, *e, !*missed));
        for (missed, (s, e, kind)) in disagreements {
            report.errors.push(NerError {
                sentence: index,
                missed,
                text: text_of((*s, *e)),
                kind: kind.clone(),
            });
        }
    }
    report
}

impl std::fmt::Display for NerReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>9}",
            "type", "precision", "recall", "F1", "gold", "predicted"
        )?;
        let row = |f: &mut std::fmt::Formatter<'_>, name: &str, c: &Counts| {
            let (p, r, s) = c.scores();
            writeln!(
                f,
                "{name:<8} {p:>9.3} {r:>9.3} {s:>9.3} {:>7} {:>9}",
                c.gold, c.predicted
            )
        };
        for (t, c) in &self.by_type {
            row(f, t, c)?;
        }
        row(f, "overall", &self.overall)?;
        write!(f, "{} sentences", self.sentences)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_and_iob1_chunks_are_read_with_folded_types() {
        let text = "-DOCSTART- O\n\nقال\tO\nالمرصد\tB-ORG\nالسوري\tI-ORG\nفي\tO\nحلب\tB-GPE\n\nEU I-ORG\nrejects O\nGerman I-MISC\ncall O\n";
        let s = read_bio(text).expect("reads");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "قال المرصد السوري في حلب");
        assert_eq!(
            s[0].entities,
            vec![(4, 17, "ORG".into()), (21, 24, "LOC".into())]
        );
        assert_eq!(
            s[1].entities,
            vec![(0, 2, "ORG".into()), (11, 17, "MISC".into())]
        );
        assert_eq!(s[0].tokens[1], (4, 10));
        assert!(read_bio("token-without-tag\n").is_err());
    }

    #[test]
    fn spans_map_to_the_file_tokens_they_touch() {
        let tokens = [(0, 3), (4, 10), (11, 17)];
        // «حلب» inside the token «بحلب» (4..8 of a token 3..7) counts as that token.
        assert_eq!(token_range(&tokens, 5, 10), Some((1, 2)));
        assert_eq!(token_range(&tokens, 4, 17), Some((1, 3)));
        assert_eq!(token_range(&tokens, 3, 4), None);
    }

    #[test]
    fn scores_count_exact_spans_and_types() {
        let c = Counts {
            true_positives: 3,
            predicted: 4,
            gold: 6,
        };
        let (p, r, f) = c.scores();
        assert!((p - 0.75).abs() < 1e-9 && (r - 0.5).abs() < 1e-9 && (f - 0.6).abs() < 1e-9);
    }
}
