//! Attribution evaluation: brat standoff in the PolNeAR layout (`text/*.txt`,
//! `attributions/*.ann` with Source, Cue and Content spans) and newsflow's JSON gold format
//! (as in the reference article's gold).
//!
//! A predicted claim matches a gold attribution when their cue spans overlap and their
//! content spans overlap by at least half of the gold content. Each gold attribution is
//! matched at most once. On matched pairs, the speaker is right when the spans overlap;
//! cue class and stance are compared where the gold has them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::pipeline::{Outcome, Pipeline};
use crate::record::{Claim, InputCoordinates, RawArticle};

/// One gold attribution, code-point spans into its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldAttribution {
    /// Cue span.
    pub cue: (usize, usize),
    /// Content span.
    pub content: (usize, usize),
    /// Source span, when annotated.
    pub source: Option<(usize, usize)>,
    /// Cue class, when annotated.
    pub class: Option<String>,
    /// Stance, when annotated.
    pub stance: Option<String>,
}

/// A text with its gold attributions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldDocument {
    /// Name for reports.
    pub name: String,
    /// The text.
    pub text: String,
    /// Gold attributions.
    pub attributions: Vec<GoldAttribution>,
    /// The whole input article, when the gold comes from a corpus (its source and byline
    /// matter to the stages); else the text alone is the body.
    pub article: Option<RawArticle>,
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Parses a brat span field: "start end" or discontinuous "s1 e1;s2 e2" (their hull).
fn brat_span(field: &str) -> Option<(usize, usize)> {
    let mut lo = usize::MAX;
    let mut hi = 0;
    for part in field.split(';') {
        let mut it = part.split_whitespace();
        let s: usize = it.next()?.parse().ok()?;
        let e: usize = it.next()?.parse().ok()?;
        lo = lo.min(s);
        hi = hi.max(e);
    }
    (lo < hi).then_some((lo, hi))
}

/// Reads one .ann file: T lines (type and span) tied by E lines.
pub fn read_brat(ann: &str) -> Vec<GoldAttribution> {
    let mut spans: BTreeMap<String, (String, (usize, usize))> = BTreeMap::new();
    let mut events = Vec::new();
    for line in ann.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        match (cols.first(), cols.get(1)) {
            (Some(id), Some(body)) if id.starts_with('T') => {
                if let Some((kind, span)) = body.split_once(' ')
                    && let Some(span) = brat_span(span)
                {
                    spans.insert(id.to_string(), (kind.to_string(), span));
                }
            }
            (Some(id), Some(body)) if id.starts_with('E') => events.push(body.to_string()),
            _ => {}
        }
    }
    events
        .iter()
        .filter_map(|event| {
            let mut gold = GoldAttribution::default();
            let (mut cue, mut content) = (None, None);
            for arg in event.split_whitespace() {
                let (role, id) = arg.split_once(':')?;
                let span = spans.get(id).map(|(_, s)| *s);
                match role.trim_end_matches(char::is_numeric) {
                    "Cue" => cue = cue.or(span),
                    "Content" => content = content.or(span),
                    "Source" => gold.source = gold.source.or(span),
                    _ => {}
                }
            }
            gold.cue = cue?;
            gold.content = content?;
            Some(gold)
        })
        .collect()
}

/// Reads a PolNeAR-layout folder: one annotation file per text (the first by name when
/// several annotators annotated it).
pub fn read_polnear(dir: &Path) -> Result<Vec<GoldDocument>, String> {
    let texts = dir.join("text");
    let anns = dir.join("attributions");
    let mut ann_files: Vec<PathBuf> = std::fs::read_dir(&anns)
        .map_err(|e| format!("cannot read {}: {e}", anns.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    ann_files.sort();
    let mut docs: BTreeMap<String, GoldDocument> = BTreeMap::new();
    for path in ann_files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let base = stem.rsplit_once('_').map_or(stem, |(b, _)| b).to_string();
        if docs.contains_key(&base) {
            continue;
        }
        let text_path = texts.join(format!("{base}.txt"));
        let Ok(text) = std::fs::read_to_string(&text_path) else {
            continue;
        };
        let ann = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        docs.insert(
            base.clone(),
            GoldDocument {
                name: base,
                text,
                attributions: read_brat(&ann),
                article: None,
            },
        );
    }
    Ok(docs.into_values().collect())
}

/// A JSON gold file that cannot be read: which file, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The gold file or its text file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The gold file is not JSON.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: String,
        /// Where and why it does not parse.
        source: serde_json::Error,
    },
    /// The gold file names no text file, or one that is not there.
    #[error("{path}: {what}")]
    TextFile {
        /// The gold file.
        path: String,
        /// What is missing.
        what: String,
    },
}

/// Reads newsflow's JSON gold (`text_file` relative to an ancestor folder of the gold file,
/// `claims` with cue, content, speaker, class and stance).
pub fn read_json_gold(path: &Path) -> Result<GoldDocument, GoldError> {
    let shown = || path.display().to_string();
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| GoldError::Read {
            path: p.display().to_string(),
            source,
        })
    };
    let text = read(path)?;
    let gold: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| GoldError::Json {
            path: shown(),
            source,
        })?;
    let text_file = gold["text_file"]
        .as_str()
        .ok_or_else(|| GoldError::TextFile {
            path: shown(),
            what: "no text_file".into(),
        })?;
    let text_path = path
        .ancestors()
        .skip(1)
        .map(|dir| dir.join(text_file))
        .find(|p| p.is_file())
        .ok_or_else(|| GoldError::TextFile {
            path: shown(),
            what: format!("text_file {text_file} not found beside it or above"),
        })?;
    let body = read(&text_path)?;
    let span =
        |v: &serde_json::Value| Some((v["start"].as_u64()? as usize, v["end"].as_u64()? as usize));
    let attributions = gold["claims"]
        .as_array()
        .map(|claims| {
            claims
                .iter()
                .filter_map(|c| {
                    Some(GoldAttribution {
                        cue: span(&c["cue"])?,
                        content: span(&c["content"])?,
                        source: span(&c["speaker"]),
                        class: c["cue"]["class"].as_str().map(str::to_string),
                        stance: c["stance"].as_str().map(str::to_string),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(GoldDocument {
        name: path.display().to_string(),
        text: body,
        attributions,
        article: None,
    })
}

/// Attribution scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttributionReport {
    /// Documents scored.
    pub documents: usize,
    /// Gold attributions.
    pub gold: usize,
    /// Predicted claims.
    pub predicted: usize,
    /// Matched pairs.
    pub matched: usize,
    /// Predicted claims whose cue overlaps some gold cue, content aside.
    pub cue_precise: usize,
    /// Gold attributions whose cue some predicted cue overlaps, content aside.
    pub cue_found: usize,
    /// Matched pairs whose gold has a source, and of those with the speaker right.
    pub speaker: (usize, usize),
    /// Matched pairs whose gold has a class, and of those with the class right.
    pub class: (usize, usize),
    /// Matched pairs whose gold has a stance, and of those with the stance right.
    pub stance: (usize, usize),
}

/// Runs the pipeline over each document and scores its claims.
pub fn evaluate(pipeline: &Pipeline, docs: &[GoldDocument]) -> AttributionReport {
    let mut report = AttributionReport::default();
    for doc in docs {
        report.documents += 1;
        report.gold += doc.attributions.len();
        let article = doc.article.clone().unwrap_or_else(|| RawArticle {
            body: Some(doc.text.clone()),
            ..Default::default()
        });
        let claims: Vec<Claim> = match pipeline.process(article, InputCoordinates::default()).0 {
            Outcome::Enriched(record) => record.claims,
            Outcome::Rejected(_) => Vec::new(),
        };
        report.predicted += claims.len();
        let cue_of = |c: &Claim| (c.cue.span.start, c.cue.span.end);
        report.cue_precise += claims
            .iter()
            .filter(|c| {
                doc.attributions
                    .iter()
                    .any(|g| overlap(cue_of(c), g.cue) > 0)
            })
            .count();
        report.cue_found += doc
            .attributions
            .iter()
            .filter(|g| claims.iter().any(|c| overlap(cue_of(c), g.cue) > 0))
            .count();
        let mut used = vec![false; doc.attributions.len()];
        for claim in &claims {
            let cue = (claim.cue.span.start, claim.cue.span.end);
            let content = (claim.content.start, claim.content.end);
            let found = doc.attributions.iter().enumerate().find(|(i, g)| {
                !used[*i]
                    && overlap(cue, g.cue) > 0
                    && overlap(content, g.content) * 2 >= (g.content.1 - g.content.0).max(1)
            });
            let Some((i, g)) = found else { continue };
            used[i] = true;
            report.matched += 1;
            if let Some(source) = g.source {
                report.speaker.0 += 1;
                report.speaker.1 += usize::from(
                    overlap((claim.speaker.span.start, claim.speaker.span.end), source) > 0,
                );
            }
            if let Some(class) = &g.class {
                report.class.0 += 1;
                let predicted = serde_json::to_value(claim.cue.class).ok();
                report.class.1 += usize::from(
                    predicted.as_ref().and_then(|v| v.as_str()) == Some(class.as_str()),
                );
            }
            if let Some(stance) = &g.stance {
                report.stance.0 += 1;
                let predicted = serde_json::to_value(claim.stance).ok();
                report.stance.1 += usize::from(
                    predicted.as_ref().and_then(|v| v.as_str()) == Some(stance.as_str()),
                );
            }
        }
    }
    report
}

impl std::fmt::Display for AttributionReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.matched, self.predicted);
        let r = ratio(self.matched, self.gold);
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        writeln!(
            f,
            "documents {}  gold {}  predicted {}  matched {}",
            self.documents, self.gold, self.predicted, self.matched
        )?;
        writeln!(f, "attribution precision {p:.3}  recall {r:.3}  F1 {f1:.3}")?;
        writeln!(
            f,
            "cues alone (content aside): precision {:.3}  recall {:.3}",
            ratio(self.cue_precise, self.predicted),
            ratio(self.cue_found, self.gold)
        )?;
        write!(
            f,
            "speaker accuracy {:.3} ({} of {} matched pairs with a gold source)",
            ratio(self.speaker.1, self.speaker.0),
            self.speaker.1,
            self.speaker.0
        )?;
        if self.class.0 > 0 {
            write!(
                f,
                "\ncue class accuracy {:.3} ({} of {})",
                ratio(self.class.1, self.class.0),
                self.class.1,
                self.class.0
            )?;
        }
        if self.stance.0 > 0 {
            write!(
                f,
                "\nstance accuracy {:.3} ({} of {})",
                ratio(self.stance.1, self.stance.0),
                self.stance.1,
                self.stance.0
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_events_tie_source_cue_and_content() {
        let ann = "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 30 40;45 50\tx\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nT5\tCue 60 64\tsaid\nE2\tCue:T5\n";
        let gold = read_brat(ann);
        assert_eq!(gold.len(), 1, "an event without content is no attribution");
        assert_eq!(gold[0].source, Some((0, 9)));
        assert_eq!(gold[0].cue, (10, 14));
        assert_eq!(gold[0].content, (15, 50));
    }
}
