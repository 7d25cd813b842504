//! Contradictions and corroborations between the claims of one article.
//!
//! First cut: two claims of different speakers bear on the same proposition when their
//! contents share enough content words (proclitics and the article stripped). One denying
//! what the other asserts contradicts it; two assertions corroborate each other.

use std::collections::HashSet;

use crate::record::{Relation, RelationKind, Stance};
use crate::stages::normalize::{Document, TokenKind};

/// Share of the shorter content's words two contents must have in common.
const SAME_PROPOSITION: f32 = 0.34;
/// How many following claims each claim is compared with.
const WINDOW: usize = 100;
/// Words too common to tie two contents together (match keys, clitics stripped).
const STOPWORDS: &[&str] = &[
    "ان", "في", "من", "الي", "علي", "عن", "مع", "هذا", "هذه", "ذلك", "التي", "الذي", "قد", "كان",
    "لم", "لا", "ما", "بعد", "قبل", "كل", "بين", "او", "ثم", "انه", "the", "a", "an", "of", "to",
    "in", "on", "and", "or", "is", "was", "were", "be", "that", "it", "for", "with", "as", "at",
    "by", "has", "have", "had", "not", "this", "he", "she", "they",
];

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
            if ca.speaker == cb.speaker || words[a].is_empty() || words[b].is_empty() {
                continue;
            }
            let shared: Vec<&String> = words[a].intersection(&words[b]).collect();
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
