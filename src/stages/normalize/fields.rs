//! Credits in the input's own `byline` and `dateline` fields, read as the body's credits
//! are: the agencies and outlets they name, the place of a dateline, the authors.
//!
//! Scrapers hand these over beside the body («لوس أنجلوس - فرانس برس», «العربية.نت -
//! إسلام سيف», "By Jane Doe, Reuters"): for wire copy they are often the only place its
//! agency is named, and the ledger counts independent origins by exactly that.

use crate::record::{CreditKind, CreditRef, Credits, Field, Span};

use super::agencies::{Agencies, AgencyKind};
use super::document::Document;

/// Longest part of a byline read as a place, in words.
const PLACE_MAX_WORDS: usize = 3;
/// Longest part of a byline read as an author's name, in words.
const AUTHOR_MAX_WORDS: usize = 6;

/// Adds the credits of `text`, the input's `field` (`byline` or `dateline`), to `credits`:
/// what the body already credits stays, and the field fills what the body left open.
pub fn field_credits(credits: &mut Credits, agencies: &Agencies, field: Field, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let start = chars.iter().take_while(|c| c.is_whitespace()).count();
    let end = chars.len()
        - chars[start..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
    if start == end || looks_like_an_id(&chars[start..end]) {
        return;
    }
    let whole = Span::in_field(field, start, end, slice(&chars, start, end));
    let doc = Document::new(text.to_string());
    let matches: Vec<(usize, usize, usize)> = agencies
        .find(&doc)
        .iter()
        .map(|m| {
            let (s, e) = doc.layers.to_original(m.at.start, m.at.end);
            (s, e, m.agency)
        })
        .collect();
    for &(s, e, agency) in &matches {
        let id = agencies.id(agency);
        if credits
            .credited
            .iter()
            .any(|c| c.agency.as_deref() == Some(id))
        {
            continue;
        }
        credits.credited.push(CreditRef {
            span: Span::in_field(field, s, e, slice(&chars, s, e)),
            agency: Some(id.to_string()),
            kind: match agencies.kind(agency) {
                AgencyKind::Agency => CreditKind::Agency,
                AgencyKind::Outlet => CreditKind::Outlet,
            },
        });
    }
    if field == Field::Dateline {
        credits.dateline.get_or_insert(whole);
        return;
    }
    let parts = parts(&chars, start, end);
    for (i, &(s, e)) in parts.iter().enumerate() {
        if matches.iter().any(|&(ms, me, _)| ms < e && s < me) {
            continue;
        }
        let (s, e) = strip_by(&chars, s, e);
        let words = chars[s..e]
            .split(|c| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .count();
        let has_digit = chars[s..e].iter().any(|c| c.is_numeric());
        if words == 0 || has_digit {
            continue;
        }
        // «القاهرة - أحمد الريدي»: before the first dash, a place; after it, the author.
        if i == 0 && parts.len() > 1 && dash_after(&chars, e) && words <= PLACE_MAX_WORDS {
            if credits.dateline.is_none() {
                credits.dateline = Some(Span::in_field(field, s, e, slice(&chars, s, e)));
            }
        } else if words <= AUTHOR_MAX_WORDS {
            credits
                .authors
                .push(Span::in_field(field, s, e, slice(&chars, s, e)));
        }
    }
    credits.byline.get_or_insert(whole);
}

fn slice(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

/// True for the separators of a byline's parts.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '–' | '—' | 'ـ' | '|' | ',' | '،' | '/' | '+' | '&' | ';' | '؛'
    )
}

/// True when the separator after `end` is a dash (place before it), not a comma.
fn dash_after(chars: &[char], end: usize) -> bool {
    chars[end..]
        .iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(|&c| matches!(c, '-' | '–' | '—' | 'ـ' | '|'))
}

/// The trimmed parts between separators.
fn parts(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    for i in start..=end {
        if i == end || is_separator(chars[i]) {
            let (a, b) = trim(chars, s, i);
            if a < b {
                out.push((a, b));
            }
            s = i + 1;
        }
    }
    out
}

/// `start..end` without surrounding spaces, brackets, stars and dots.
fn trim(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    let junk = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '*' | '.' | ':' | '"');
    while start < end && junk(chars[start]) {
        start += 1;
    }
    while end > start && junk(chars[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// Without a leading "By", «بقلم» or «كتب».
fn strip_by(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let part: String = chars[start..end].iter().collect();
    for opener in [
        "By ",
        "by ",
        "BY ",
        "بقلم ",
        "بقلم: ",
        "كتب ",
        "كتبت ",
        "إعداد ",
    ] {
        if part.starts_with(opener) {
            return trim(chars, start + opener.chars().count(), end);
        }
    }
    (start, end)
}

/// A scraper's record id in the byline field («30174026-20d9-40a2-9e04-5b63346a78a6»).
fn looks_like_an_id(chars: &[char]) -> bool {
    chars.len() >= 16 && chars.iter().all(|c| c.is_ascii_hexdigit() || *c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credits(field: Field, text: &str) -> Credits {
        let agencies = Agencies::load(include_str!("../../../data/normalize/agencies.tsv"))
            .expect("the agency table loads");
        let mut c = Credits::default();
        field_credits(&mut c, &agencies, field, text);
        c
    }

    fn ids(c: &Credits) -> Vec<(&str, CreditKind)> {
        c.credited
            .iter()
            .map(|r| (r.agency.as_deref().unwrap_or(""), r.kind))
            .collect()
    }

    #[test]
    fn a_place_and_an_agency() {
        let c = credits(Field::Byline, "لوس أنجلوس - فرانس برس");
        assert_eq!(ids(&c), vec![("afp", CreditKind::Agency)]);
        let d = c.dateline.expect("a dateline");
        assert_eq!((d.text.as_str(), d.field), ("لوس أنجلوس", Field::Byline));
        assert_eq!(c.byline.map(|b| b.end), Some(22));
        assert!(c.authors.is_empty());
    }

    #[test]
    fn outlets_agencies_and_authors() {
        let c = credits(Field::Byline, "دبي ـ العربية.نت");
        assert_eq!(ids(&c), vec![("alarabiya", CreditKind::Outlet)]);
        assert_eq!(c.dateline.map(|d| d.text), Some("دبي".into()));
        let c = credits(Field::Byline, "العربية.نت - إسلام سيف");
        assert_eq!(ids(&c), vec![("alarabiya", CreditKind::Outlet)]);
        let authors: Vec<String> = c.authors.into_iter().map(|a| a.text).collect();
        assert_eq!(authors, vec!["إسلام سيف"]);
        assert!(c.dateline.is_none());
        let c = credits(Field::Byline, "موسكو - د ب أ");
        assert_eq!(ids(&c), vec![("dpa", CreditKind::Agency)]);
        let c = credits(Field::Byline, "By Jane Doe, Reuters");
        assert_eq!(ids(&c), vec![("reuters", CreditKind::Agency)]);
        assert_eq!(c.authors.first().map(|a| a.text.as_str()), Some("Jane Doe"));
    }

    #[test]
    fn an_id_in_the_byline_field_is_nothing() {
        let c = credits(Field::Byline, "30174026-20d9-40a2-9e04-5b63346a78a6");
        assert_eq!(c, Credits::default());
    }

    #[test]
    fn a_dateline_field() {
        let c = credits(Field::Dateline, " دمشق (سانا) ");
        assert_eq!(ids(&c), vec![("sana", CreditKind::Agency)]);
        assert_eq!(c.dateline.map(|d| (d.start, d.end)), Some((1, 12)));
    }
}
