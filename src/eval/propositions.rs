//! The claim ledger against hand-labelled propositions (`data/gold/stories/propositions/`):
//! each gold report is matched to the claim of its article that covers half of it or more
//! (from the speaker or cue to the end of the content); over the matched reports, the
//! grouping into propositions is scored by B-cubed and pairwise F1 (as stories are), the
//! stance by accuracy, and the origins by B-cubed within each gold proposition and by the
//! error of their count, against the counts a reader of bylines would give (every report
//! its own source; one source per speaker).
//!
//! The stories are the gold's (the story file of the same week), so that the ledger is
//! scored apart from the story clustering.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;

use super::stories::{StoryScores, score};
use crate::ledger::{LedgerConfig, Report, group, origins, story_reports};
use crate::record::{Claim, EnrichedArticle, Field, Stance};
use crate::stories::Frequencies;

/// One gold report (see `data/gold/stories/propositions.md`).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldReport {
    /// The gold story.
    pub story: String,
    /// The proposition's slug.
    pub proposition: String,
    /// The article.
    pub id: String,
    /// Code points into the body, end exclusive.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// `asserts` or `denies`.
    pub stance: String,
    /// Who asserts or denies it.
    pub source: String,
    /// The credited channel.
    #[serde(default)]
    pub via: Option<String>,
    /// The independent origin's slug.
    pub origin: String,
}

/// The ledger's scores on a gold set.
#[derive(Debug, Clone, Default)]
pub struct PropositionScores {
    /// Gold reports, and those matched to a claim.
    pub reports: (usize, usize),
    /// Propositions: newsflow's grouping, one per story, each claim alone.
    pub grouping: [StoryScores; 3],
    /// Matched reports whose stance the claim reads right; denials among them, and right.
    pub stance: (usize, usize, usize),
    /// Origins within gold propositions: newsflow's, one per speaker, one per report.
    pub origins: [StoryScores; 3],
    /// Mean absolute error of the origin count per gold proposition, the same three ways,
    /// and the mean gold count.
    pub count_error: [f64; 3],
    /// Mean gold origins per proposition (over those with a matched report).
    pub gold_count: f64,
}

/// Scores the ledger on `gold`, with `stories` the enriched articles of each gold story.
pub fn evaluate(
    gold: &[GoldReport],
    stories: &BTreeMap<String, Vec<EnrichedArticle>>,
    config: &LedgerConfig,
) -> PropositionScores {
    let mut matched: Vec<&GoldReport> = Vec::new();
    let mut reports: Vec<Report> = Vec::new();
    let mut predicted: Vec<String> = Vec::new();
    for (story, articles) in stories {
        let refs: Vec<&EnrichedArticle> = articles.iter().collect();
        let story_reports = story_reports(&refs);
        let labels = group(&story_reports, &Frequencies::default(), config);
        let at: HashMap<(&str, &str), usize> = story_reports
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.article_id.as_str(), r.claim_id.as_str()), i))
            .collect();
        for g in gold.iter().filter(|g| &g.story == story) {
            let Some(claim) = articles
                .iter()
                .find(|a| a.id == g.id)
                .and_then(|a| best_claim(a, g))
            else {
                continue;
            };
            let Some(&i) = at.get(&(g.id.as_str(), claim.id.as_str())) else {
                continue;
            };
            matched.push(g);
            predicted.push(format!("{story}/{}", labels[i]));
            reports.push(story_reports[i].clone());
        }
    }
    let mut scores = PropositionScores {
        reports: (gold.len(), matched.len()),
        ..Default::default()
    };
    let gold_props: Vec<&str> = matched.iter().map(|g| g.proposition.as_str()).collect();
    let stories_only: Vec<&str> = matched.iter().map(|g| g.story.as_str()).collect();
    let alone: Vec<String> = (0..matched.len()).map(|i| i.to_string()).collect();
    scores.grouping = [
        score(&gold_props, &predicted),
        score(&gold_props, &stories_only),
        score(&gold_props, &alone),
    ];
    for (g, r) in matched.iter().zip(&reports) {
        let denies = g.stance == "denies";
        let read = r.stance == Stance::Deny;
        scores.stance.0 += usize::from(denies == read);
        scores.stance.1 += usize::from(denies);
        scores.stance.2 += usize::from(denies && read);
    }
    score_origins(&matched, &reports, config, &mut scores);
    scores
}

/// Origins within each gold proposition, newsflow's against the two naive counts.
fn score_origins(
    matched: &[&GoldReport],
    reports: &[Report],
    config: &LedgerConfig,
    scores: &mut PropositionScores,
) {
    let mut by_prop: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in matched.iter().enumerate() {
        by_prop.entry(g.proposition.as_str()).or_default().push(i);
    }
    let (mut gold, mut ours, mut speaker, mut each) = (vec![], vec![], vec![], vec![]);
    let mut errors = [0.0; 3];
    let mut gold_total = 0.0;
    for (prop, members) in &by_prop {
        let found = origins(reports, members, config);
        let distinct = |labels: &[String]| {
            let mut l = labels.to_vec();
            l.sort_unstable();
            l.dedup();
            l.len() as f64
        };
        let g: Vec<String> = members
            .iter()
            .map(|&i| format!("{prop}/{}", matched[i].origin))
            .collect();
        let o: Vec<String> = found.iter().map(|o| format!("{prop}/{o}")).collect();
        let s: Vec<String> = members
            .iter()
            .map(|&i| format!("{prop}/{}", reports[i].speaker))
            .collect();
        let e: Vec<String> = members.iter().map(|&i| format!("{prop}/{i}")).collect();
        let truth = distinct(&g);
        gold_total += truth;
        for (k, labels) in [&o, &s, &e].into_iter().enumerate() {
            errors[k] += (distinct(labels) - truth).abs();
        }
        gold.extend(g);
        ours.extend(o);
        speaker.extend(s);
        each.extend(e);
    }
    let n = by_prop.len().max(1) as f64;
    scores.origins = [
        score(&gold, &ours),
        score(&gold, &speaker),
        score(&gold, &each),
    ];
    scores.count_error = errors.map(|e| e / n);
    scores.gold_count = gold_total / n;
}

/// The claim of `article` that covers most of the gold report, if it covers half or more.
fn best_claim<'a>(article: &'a EnrichedArticle, g: &GoldReport) -> Option<&'a Claim> {
    let length = g.end.saturating_sub(g.start).max(1);
    article
        .claims
        .iter()
        .filter(|c| c.content.field == Field::Body && c.paragraph_kind.is_none())
        .map(|c| {
            let mut start = c.cue.span.start.min(c.content.start);
            if !c.speaker.implicit && c.speaker.span.field == Field::Body {
                start = start.min(c.speaker.span.start);
            }
            let end = c.content.end.max(c.cue.span.end);
            let overlap = end.min(g.end).saturating_sub(start.max(g.start));
            (c, overlap)
        })
        .filter(|&(_, overlap)| overlap * 2 >= length)
        .max_by_key(|&(c, overlap)| (overlap, std::cmp::Reverse(c.content.start)))
        .map(|(c, _)| c)
}

impl fmt::Display for PropositionScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (all, matched) = self.reports;
        writeln!(f, "gold reports {all}  matched to a claim {matched}")?;
        let names = ["newsflow", "one per story", "each claim alone"];
        writeln!(f, "propositions (B-cubed; pairwise):")?;
        for (name, s) in names.iter().zip(&self.grouping) {
            writeln!(
                f,
                "  {name:<18} {}  pairwise F1 {:.3}",
                s.bcubed, s.pairwise.f1
            )?;
        }
        let (right, denials, read) = self.stance;
        writeln!(
            f,
            "stance: {right} of {matched} right, denials read {read} of {denials}"
        )?;
        writeln!(
            f,
            "origins within gold propositions (B-cubed; mean count error, gold mean {:.2}):",
            self.gold_count
        )?;
        let names = ["newsflow", "one per speaker", "one per report"];
        for ((name, s), e) in names.iter().zip(&self.origins).zip(self.count_error) {
            writeln!(f, "  {name:<18} {}  count error {e:.2}", s.bcubed)?;
        }
        Ok(())
    }
}
