//! Credits: the source line, bylines, datelines, parenthesised agency credits, and the
//! agencies the text cites as channels.
//!
//! Wire copy credited to an agency is not independent reporting, and a credit line is not
//! content: whatever this finds is excluded from entity and claim extraction.

use std::sync::LazyLock;

use crate::record::{CreditKind, CreditRef, Credits};
use crate::table;

use super::agencies::{Agencies, AgencyKind};
use super::document::{AgencyMatch, Document, Token, TokenKind};

/// Words that open a source line, as match keys, followed by a colon.
static SOURCE_LINE_OPENERS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    table::word_list(
        "source-line-openers.txt",
        include_str!("../../../data/normalize/source-line-openers.txt"),
    )
});
/// Credits that name agencies without naming them, as match keys.
static UNNAMED_AGENCIES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    table::word_list(
        "unnamed-agencies.txt",
        include_str!("../../../data/normalize/unnamed-agencies.txt"),
    )
});
/// Longest dateline considered, in characters.
const DATELINE_MAX: usize = 60;

/// Finds the credits of a document and marks their ranges as excluded.
pub fn find_credits(doc: &mut Document, agencies: &Agencies) {
    let matches = agencies.find(doc);
    let mut credits = Credits::default();
    source_line(doc, agencies, &matches, &mut credits);
    byline(doc, &mut credits);
    dateline(doc, agencies, &matches, &mut credits);
    // Source line, byline, dateline: at most three ranges, checked directly.
    let fixed = doc.excluded.clone();
    for m in &matches {
        if fixed.iter().any(|&(s, e)| m.at.start < e && s < m.at.end) {
            continue;
        }
        if let Some((open, close)) = parenthesised(doc, m.at.start, m.at.end) {
            credits
                .credited
                .push(agency_ref(doc, agencies, m, CreditKind::Agency));
            doc.excluded.push((open, close));
        } else if !m.credit_only {
            credits
                .cited
                .push(agency_ref(doc, agencies, m, CreditKind::Channel));
        }
    }
    doc.excluded = merge(std::mem::take(&mut doc.excluded));
    doc.credits = credits;
    doc.agencies = matches;
}

/// Sorted, non-overlapping ranges covering the same characters.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A credit for a match; an outlet credited as an agency is credited as an outlet.
pub(super) fn agency_ref(
    doc: &Document,
    agencies: &Agencies,
    m: &AgencyMatch,
    kind: CreditKind,
) -> CreditRef {
    let kind = match (kind, agencies.kind(m.agency)) {
        (CreditKind::Agency, AgencyKind::Outlet) => CreditKind::Outlet,
        (kind, _) => kind,
    };
    CreditRef {
        span: doc.span(m.at.start, m.at.end),
        agency: Some(agencies.id(m.agency).to_string()),
        kind,
    }
}

/// "المصدر : Transparency News + وكالات", "Source: Reuters, AFP".
fn source_line(
    doc: &mut Document,
    agencies: &Agencies,
    matches: &[AgencyMatch],
    credits: &mut Credits,
) {
    // Source lines close an article (or, rarely, open it).
    let n = doc.paragraphs.len();
    let candidates = [n.checked_sub(1), n.checked_sub(2), (n > 2).then_some(0)];
    for p in candidates.into_iter().flatten() {
        let (start, end) = (doc.paragraphs[p].start, doc.paragraphs[p].end);
        if end - start > 200 {
            continue;
        }
        let key = &doc.layers.key[start..end];
        let Some(colon) = SOURCE_LINE_OPENERS.iter().find_map(|opener| {
            let opener: Vec<char> = opener.chars().collect();
            if !key.starts_with(&opener) {
                return None;
            }
            let rest = opener.len()
                + key[opener.len()..]
                    .iter()
                    .take_while(|c| **c == ' ')
                    .count();
            matches!(key.get(rest), Some(':' | '：')).then_some(start + rest)
        }) else {
            continue;
        };
        credits.source_line = Some(doc.span(start, end));
        for (s, e) in split_credit_parts(&doc.layers.model, colon + 1, end) {
            let key: String = doc.layers.key[s..e].iter().collect();
            let agency = matches.iter().find(|m| m.at.start >= s && m.at.end <= e);
            let (kind, agency) = match agency {
                Some(m) if agencies.kind(m.agency) == AgencyKind::Outlet => {
                    (CreditKind::Outlet, Some(agencies.id(m.agency).to_string()))
                }
                Some(m) => (CreditKind::Agency, Some(agencies.id(m.agency).to_string())),
                None if UNNAMED_AGENCIES.contains(&key.as_str()) => {
                    (CreditKind::AgenciesUnnamed, None)
                }
                None if credits.publisher.is_none() => (CreditKind::Publisher, None),
                None => (CreditKind::Agency, None),
            };
            let credit = CreditRef {
                span: doc.span(s, e),
                agency,
                kind,
            };
            if kind == CreditKind::Publisher {
                credits.publisher = Some(credit);
            } else {
                credits.credited.push(credit);
            }
        }
        doc.paragraphs[p].excluded = Some("source_line");
        doc.excluded.push((start, end));
        return;
    }
}

/// The parts of a credit list: split at + , ، / & | and trimmed.
fn split_credit_parts(model: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut s = start;
    for i in start..=end {
        if i == end || matches!(model[i], '+' | ',' | '،' | '/' | '&' | '|' | ';' | '؛') {
            let (mut a, mut b) = (s, i);
            while a < b && (model[a].is_whitespace() || model[a] == '-') {
                a += 1;
            }
            while b > a && (model[b - 1].is_whitespace() || model[b - 1] == '.') {
                b -= 1;
            }
            if a < b {
                parts.push((a, b));
            }
            s = i + 1;
        }
    }
    parts
}

/// "By Jane Doe", «بقلم ...», «كتب ...» as a short paragraph of its own near the top.
fn byline(doc: &mut Document, credits: &mut Credits) {
    for p in 0..doc.paragraphs.len().min(2) {
        let (start, end) = (doc.paragraphs[p].start, doc.paragraphs[p].end);
        if end - start > 80 || doc.paragraphs[p].excluded.is_some() {
            continue;
        }
        let model: String = doc.layers.model[start..end].iter().collect();
        let key: String = doc.layers.key[start..end].iter().collect();
        if model.starts_with("By ") || key.starts_with("بقلم") || key.starts_with("كتب ") {
            credits.byline = Some(doc.span(start, end));
            doc.paragraphs[p].excluded = Some("byline");
            doc.excluded.push((start, end));
            return;
        }
    }
}

/// "DAMASCUS (Reuters) -", "بيروت (الفرنسية) -", «دمشق - سانا»: the opening words of the
/// first paragraph up to a dash, when they name an agency or are a capitalised place.
fn dateline(
    doc: &mut Document,
    agencies: &Agencies,
    matches: &[AgencyMatch],
    credits: &mut Credits,
) {
    let Some(first) = doc.paragraphs.iter().find(|p| p.excluded.is_none()) else {
        return;
    };
    let (start, end) = (first.start, first.end.min(first.start + DATELINE_MAX));
    let model = &doc.layers.model;
    let Some(dash) = (start..end).find(|&i| {
        matches!(model[i], '-' | '–' | '—' | '|')
            && i > start
            && (model[i - 1] == ' '
                || model.get(i + 1) == Some(&' ')
                || model[i] != '-'
                // «(CNN)--قال»: a double dash or one right after a credit's bracket.
                || matches!(model[i - 1], ')' | '-'))
    }) else {
        return;
    };
    // The credit nearest the dash: «دبي، الإمارات العربية المتحدة (CNN)--».
    let agency_before = matches
        .iter()
        .rev()
        .find(|m| m.at.start >= start && m.at.end <= dash);
    // «دمشق - سانا» : the agency right after the dash.
    let agency_after = matches.iter().find(|m| {
        m.at.start > dash
            && m.at.start <= dash + 2
            && model[m.at.end..end.max(m.at.end)]
                .iter()
                .take_while(|c| **c == ' ')
                .count()
                < 3
    });
    // The words before the dash, read once.
    let from = doc.tokens.partition_point(|t| t.start < start);
    let opening: Vec<&Token> = doc.tokens[from..]
        .iter()
        .take_while(|t| t.end <= dash)
        .filter(|t| t.kind == TokenKind::Word)
        .collect();
    let words = opening.len();
    let shouting = words > 0
        && words <= 4
        && opening.iter().all(|t| {
            doc.layers.model[t.start..t.end]
                .iter()
                .all(|c| !c.is_lowercase())
                && !t.arabic
        });
    let (dateline_end, agency) = match (agency_before, agency_after) {
        (Some(m), _) if words <= 6 => (dash + 1, Some(m)),
        (None, Some(m)) if words <= 3 => {
            let mut e = m.at.end;
            while e < model.len() && matches!(model[e], ' ' | ':' | '-' | '|') {
                e += 1;
            }
            (e, Some(m))
        }
        (None, None) if shouting => (dash + 1, None),
        _ => return,
    };
    let mut dateline_end = dateline_end;
    while model
        .get(dateline_end)
        .is_some_and(|c| matches!(c, '-' | '–' | '—'))
    {
        dateline_end += 1;
    }
    credits.dateline = Some(doc.span(start, dateline_end));
    // The place words before the credit stay names for the entity stage (a dateline's
    // place is a place of the article, flagged as outside the story); the credit and the
    // dash are excluded.
    let mut place_end = match agency {
        Some(m) if m.at.start < dash => m.at.start,
        _ => dash,
    };
    while place_end > start && !crate::text::chars::is_word_char(model[place_end - 1]) {
        place_end -= 1;
    }
    if place_end > start {
        doc.dateline_place = Some((start, place_end));
    }
    if let Some(m) = agency {
        credits
            .credited
            .push(agency_ref(doc, agencies, m, CreditKind::Agency));
    }
    doc.excluded.push((place_end, dateline_end));
}

/// The range of "( name )" around a match, if the match is all that the brackets hold.
fn parenthesised(doc: &Document, start: usize, end: usize) -> Option<(usize, usize)> {
    let model = &doc.layers.model;
    let open = (0..start).rev().find(|&i| model[i] != ' ')?;
    let close = (end..model.len()).find(|&i| model[i] != ' ')?;
    (model[open] == '(' && model[close] == ')').then_some((open, close + 1))
}
