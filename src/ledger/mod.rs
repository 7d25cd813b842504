//! The claim ledger: within one story, which claims bear on the same proposition, who
//! asserts and who denies it, and how many independent origins stand behind each side.
//!
//! A [`Report`] reads one claim for the ledger (a speaker key that meets itself across
//! articles, its channel, its content's words, entities and trigrams); [`group`] puts the
//! story's reports into propositions in publication order; [`origins`] collapses the
//! reports of a proposition that share a copy, or a speaker and an occasion, into one
//! origin. Stateful across articles, so never a stage.

mod config;
mod group;
mod origin;
mod report;

use chrono::DateTime;
use serde::Serialize;

use crate::record::{EnrichedArticle, Stance};
use crate::stories::{Frequencies, publication_order};

pub use config::LedgerConfig;
pub use group::group;
pub use origin::origins;
pub use report::Report;

/// One proposition of a story, with its reports and origins.
#[derive(Debug, Clone, Serialize)]
pub struct Proposition {
    /// Its id within the story (`p1`, `p2`, ... in order of first report).
    pub id: String,
    /// Its reports, in publication order.
    pub reports: Vec<PropositionReport>,
    /// Independent origins asserting it.
    pub origins_for: usize,
    /// Independent origins denying it.
    pub origins_against: usize,
    /// Outlets that carry it.
    pub outlets: Vec<String>,
    /// First and last publication time of its reports (RFC 3339).
    pub first_seen: Option<String>,
    /// See `first_seen`.
    pub last_seen: Option<String>,
}

/// One report of a proposition.
#[derive(Debug, Clone, Serialize)]
pub struct PropositionReport {
    /// The article.
    pub article_id: String,
    /// The claim in it.
    pub claim_id: String,
    /// The speaker's key.
    pub speaker: String,
    /// Assert or deny.
    pub stance: Stance,
    /// Its origin's number within the proposition.
    pub origin: usize,
}

/// The propositions of one story's articles.
pub fn story_ledger(articles: &[&EnrichedArticle], config: &LedgerConfig) -> Vec<Proposition> {
    let reports = story_reports(articles);
    let labels = group(&reports, &Frequencies::default(), config);
    let count = labels.iter().max().map_or(0, |m| m + 1);
    (0..count)
        .map(|p| {
            let members: Vec<usize> = (0..reports.len()).filter(|&i| labels[i] == p).collect();
            proposition(p, &reports, &members, config)
        })
        .collect()
}

/// The reports of a story's articles, in publication order (articles without a time keep
/// their place after the one before them), each article's in claim order.
pub fn story_reports(articles: &[&EnrichedArticle]) -> Vec<Report> {
    let mut reports: Vec<Report> = articles
        .iter()
        .flat_map(|a| Report::of_article(a))
        .collect();
    let order = publication_order(reports.iter().map(|r| r.time));
    let mut sorted = Vec::with_capacity(reports.len());
    let mut taken: Vec<Option<Report>> = reports.drain(..).map(Some).collect();
    for i in order {
        sorted.extend(taken[i].take());
    }
    sorted
}

fn proposition(
    p: usize,
    reports: &[Report],
    members: &[usize],
    config: &LedgerConfig,
) -> Proposition {
    let origin = origins(reports, members, config);
    let count = |stance: Stance| {
        let mut o: Vec<usize> = members
            .iter()
            .zip(&origin)
            .filter(|&(&m, _)| reports[m].stance == stance)
            .map(|(_, &o)| o)
            .collect();
        o.sort_unstable();
        o.dedup();
        o.len()
    };
    let mut outlets: Vec<String> = members
        .iter()
        .filter_map(|&m| reports[m].outlet.clone())
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    let times: Vec<i64> = members.iter().filter_map(|&m| reports[m].time).collect();
    let rfc3339 = |t: Option<&i64>| {
        t.and_then(|&t| DateTime::from_timestamp(t, 0))
            .map(|t| t.to_rfc3339())
    };
    Proposition {
        id: format!("p{}", p + 1),
        reports: members
            .iter()
            .zip(&origin)
            .map(|(&m, &origin)| PropositionReport {
                article_id: reports[m].article_id.clone(),
                claim_id: reports[m].claim_id.clone(),
                speaker: reports[m].speaker.clone(),
                stance: reports[m].stance,
                origin,
            })
            .collect(),
        origins_for: count(Stance::Assert),
        origins_against: count(Stance::Deny),
        outlets,
        first_seen: rfc3339(times.iter().min()),
        last_seen: rfc3339(times.iter().max()),
    }
}
