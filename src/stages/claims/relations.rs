//! Contradictions and corroborations between the claims of one article.
//!
//! Two claims of different speakers bear on the same proposition when their contents share
//! enough content words (proclitics and the article stripped): one denying what the other
//! asserts contradicts it; two assertions corroborate each other. Numbers decide too: two
//! speakers giving figures for the same thing that cannot both be true («12 ships» and
//! "only five ships") contradict each other, and so does a denial of an event another
//! speaker counts («نفى ... وقوع أي وفيات» against «١٢ شخصاً لقوا حتفهم»).

use std::sync::LazyLock;

/// Sets of content words, with a fast hasher (foldhash): built for every claim.
type HashSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;

use crate::record::{Quantity, Relation, RelationKind, Stance};
use crate::stages::normalize::{Document, TokenKind};
use crate::table;

/// Share of the shorter content's words two contents must have in common.
const SAME_PROPOSITION: f32 = 0.34;
/// How many following claims each claim is compared with.
const WINDOW: usize = 100;
/// Words too common to tie two contents together (match keys, clitics stripped).
static STOPWORDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    table::word_list(
        "stopwords.txt",
        include_str!("../../../data/claims/stopwords.txt"),
    )
});

/// A claim as relation finding sees it.
pub struct ClaimView<'a> {
    /// Claim id.
    pub id: &'a str,
    /// Speaker identity.
    pub speaker: String,
    /// Stance.
    pub stance: Stance,
    /// Content range, model-text offsets.
    pub content: (usize, usize),
    /// Quantities in the content.
    pub quantities: &'a [Quantity],
    /// Events named in the content (killed, wounded, ...).
    pub events: Vec<String>,
}

/// Relations between claims of different speakers.
pub fn relate(doc: &Document, claims: &[ClaimView]) -> Vec<Relation> {
    let words: Vec<HashSet<String>> = claims
        .iter()
        .map(|c| content_words(doc, c.content))
        .collect();
    let mut relations = Vec::new();
    for a in 0..claims.len() {
        // Claims bearing on one proposition stand near each other; the window bounds the
        // work on hostile inputs with thousands of claims.
        for b in a + 1..claims.len().min(a + 1 + WINDOW) {
            let (ca, cb) = (&claims[a], &claims[b]);
            // Contents that overlap in the text are one report nested in another («قال X إن
            // Y وعد ...»), not two sources.
            let nested = ca.content.0 < cb.content.1 && cb.content.0 < ca.content.1;
            if ca.speaker == cb.speaker || nested || words[a].is_empty() || words[b].is_empty() {
                continue;
            }
            let shared: Vec<&String> = words[a].intersection(&words[b]).collect();
            if let Some(relation) = by_numbers(ca, cb, !shared.is_empty()) {
                relations.push(relation);
                continue;
            }
            let overlap = shared.len() as f32 / words[a].len().min(words[b].len()) as f32;
            let corroboration = ca.stance == Stance::Assert && cb.stance == Stance::Assert;
            if overlap < SAME_PROPOSITION || shared.len() < if corroboration { 4 } else { 3 } {
                continue;
            }
            let mut terms: Vec<&str> = shared.iter().map(|s| s.as_str()).collect();
            terms.sort_unstable();
            let terms = terms.join(", ");
            let (kind, basis, pair) = match (ca.stance, cb.stance) {
                (Stance::Deny, Stance::Assert) => (
                    RelationKind::Contradicts,
                    format!(
                        "{} denies what {} asserts (shared terms: {terms})",
                        ca.id, cb.id
                    ),
                    [ca.id, cb.id],
                ),
                (Stance::Assert, Stance::Deny) => (
                    RelationKind::Contradicts,
                    format!(
                        "{} denies what {} asserts (shared terms: {terms})",
                        cb.id, ca.id
                    ),
                    [cb.id, ca.id],
                ),
                (Stance::Assert, Stance::Assert) => (
                    RelationKind::Corroborates,
                    format!("different speakers assert the same (shared terms: {terms})"),
                    [ca.id, cb.id],
                ),
                (Stance::Deny, Stance::Deny) => continue,
            };
            relations.push(Relation {
                kind,
                claims: pair.map(str::to_string),
                basis,
            });
        }
    }
    relations
}

/// A contradiction the claims' numbers show: conflicting figures for the same unit and
/// event, or a denial of an event the other counts.
fn by_numbers(ca: &ClaimView, cb: &ClaimView, share_words: bool) -> Option<Relation> {
    let contradiction = |claims: [&str; 2], basis: String| Relation {
        kind: RelationKind::Contradicts,
        claims: claims.map(str::to_string),
        basis,
    };
    match (ca.stance, cb.stance) {
        (Stance::Assert, Stance::Assert) if share_words => {
            for qa in ca.quantities {
                for qb in cb.quantities {
                    let same_thing =
                        qa.unit.is_some() && qa.unit == qb.unit && qa.event == qb.event;
                    if same_thing && disjoint(interval(qa), interval(qb)) {
                        return Some(contradiction(
                            [ca.id, cb.id],
                            format!(
                                "conflicting figures: {} «{}», {} «{}»",
                                ca.id, qa.span.text, cb.id, qb.span.text
                            ),
                        ));
                    }
                }
            }
            None
        }
        (Stance::Deny, Stance::Assert) | (Stance::Assert, Stance::Deny) => {
            let (deny, assert) = if ca.stance == Stance::Deny {
                (ca, cb)
            } else {
                (cb, ca)
            };
            let counted = assert
                .quantities
                .iter()
                .find(|q| q.event.as_ref().is_some_and(|e| deny.events.contains(e)))?;
            Some(contradiction(
                [deny.id, assert.id],
                format!(
                    "{} denies what {} counts as {} («{}»)",
                    deny.id,
                    assert.id,
                    counted.event.as_deref().unwrap_or_default(),
                    counted.span.text
                ),
            ))
        }
        _ => None,
    }
}

/// The values a quantity allows, from its qualifier: exact, at least, more than, about
/// (within a fifth), up to, fewer than.
fn interval(q: &Quantity) -> (f64, f64) {
    let v = q.value;
    match q.qualifier.as_deref() {
        Some("at_least") => (v, f64::INFINITY),
        Some("more_than") => (v + f64::EPSILON, f64::INFINITY),
        Some("about") | Some("several") => (v * 0.8, v * 1.2),
        Some("up_to") => (0.0, v),
        Some("fewer_than") => (0.0, v - f64::EPSILON),
        _ => (v, v),
    }
}

fn disjoint(a: (f64, f64), b: (f64, f64)) -> bool {
    a.1 < b.0 || b.1 < a.0
}

/// Content words of a range: match keys with the article and one-letter proclitics stripped.
fn content_words(doc: &Document, (start, end): (usize, usize)) -> HashSet<String> {
    let from = doc.tokens.partition_point(|t| t.start < start);
    doc.tokens[from..]
        .iter()
        .take_while(|t| t.start < end)
        .filter(|t| t.end <= end && t.kind != TokenKind::Punct)
        .map(|t| stem(&doc.token_key(t).iter().collect::<String>()))
        .filter(|w| w.chars().count() >= 3 && !STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// A rough Arabic stem: without «و ف ب ل ك» and the article, without the feminine «ه».
fn stem(word: &str) -> String {
    let mut w = word;
    for prefix in ["وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل"] {
        if let Some(rest) = w.strip_prefix(prefix)
            && rest.chars().count() >= 3
        {
            w = rest;
            break;
        }
    }
    let w = w
        .strip_suffix('ه')
        .filter(|r| r.chars().count() >= 3)
        .unwrap_or(w);
    w.to_string()
}
