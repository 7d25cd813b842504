//! What the pipeline settles before any stage runs: the article's id, the body every span
//! points into, and the warnings about its metadata and length.

use crate::record::{IdOrigin, RawArticle, RejectReason, TimePrecision, Warning, derive_id};
use crate::stages::normalize::html;

use super::limits::Limits;
use super::times::{self, DateOrder, TimeError};

/// An article ready for the stages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prepared {
    /// The input's id, or one derived from the content.
    pub id: String,
    /// Whether `id` came with the input.
    pub id_origin: IdOrigin,
    /// The text every body span points into: `body` as received, or the text of `html`.
    pub body: String,
    /// Bytes of `body` the stages analyse (all of it unless it is over the limit).
    pub analysed_bytes: usize,
    /// Warnings so far (timestamps, truncation).
    pub warnings: Vec<Warning>,
    /// Precision of `published_at`, when it was read.
    pub published_precision: Option<TimePrecision>,
    /// Precision of `scraped_at`, when it was read.
    pub scraped_precision: Option<TimePrecision>,
}

/// Why an article cannot go to the stages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotPrepared {
    /// The article's id (for the reject).
    pub id: String,
    /// Machine-readable reason.
    pub reason: RejectReason,
    /// What happened, in words.
    pub message: String,
}

/// The id, body and first warnings of `article`; the body is taken out of it (the record
/// carries it from here), the rest of the article stays for the record's metadata.
pub(crate) fn prepare(article: &mut RawArticle, limits: &Limits) -> Result<Prepared, NotPrepared> {
    let (id, id_origin) = match article.id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => (id.to_string(), IdOrigin::Input),
        _ => (derive_id(article), IdOrigin::Derived),
    };
    let body = match (article.body.take(), &article.html) {
        (Some(body), _) => body,
        (None, Some(page)) => html::extract_text(page),
        (None, None) => {
            return Err(NotPrepared {
                id,
                reason: RejectReason::MissingText,
                message: "no body and no html".into(),
            });
        }
    };
    let mut warnings = Vec::new();
    let published_precision = read_time(
        "published_at",
        &mut article.published_at,
        limits.date_order,
        &mut warnings,
    );
    let scraped_precision = read_time(
        "scraped_at",
        &mut article.scraped_at,
        limits.date_order,
        &mut warnings,
    );
    let analysed_bytes = truncate_chars(&body, limits.max_body_chars).len();
    if analysed_bytes < body.len() {
        warnings.push(Warning::new(
            "body_truncated",
            format!(
                "the body has {} code points; only the first {} were analysed, so no span lies beyond them",
                body.chars().count(),
                limits.max_body_chars
            ),
        ));
    }
    Ok(Prepared {
        id,
        id_origin,
        body,
        analysed_bytes,
        warnings,
        published_precision,
        scraped_precision,
    })
}

impl Prepared {
    /// The part of the body the stages analyse.
    pub fn analysed(&self) -> &str {
        &self.body[..self.analysed_bytes]
    }
}

/// Reads a time field in place as RFC 3339 and returns its precision; a value it cannot
/// read stays as received, with a warning that says what to do.
fn read_time(
    name: &str,
    value: &mut Option<String>,
    order: DateOrder,
    warnings: &mut Vec<Warning>,
) -> Option<TimePrecision> {
    let v = value.as_deref()?;
    match times::read(v, order) {
        Ok(t) => {
            if t.zone_assumed {
                warnings.push(Warning::new(
                    "timestamp_zone_assumed",
                    format!("`{name}` is {v:?}, with no zone; it was read as UTC"),
                ));
            }
            *value = Some(t.rfc3339);
            Some(t.precision)
        }
        Err(TimeError::Ambiguous) => {
            warnings.push(Warning::new(
                "ambiguous_timestamp",
                format!(
                    "`{name}` is {v:?}, which reads as day/month and as month/day; it is \
                     passed through as is (set --date-order dmy or mdy for this feed)"
                ),
            ));
            None
        }
        Err(TimeError::Unreadable) => {
            warnings.push(Warning::new(
                "invalid_timestamp",
                format!(
                    "`{name}` is {v:?}, not a time newsflow can read (RFC 3339, RFC 2822, a \
                     date); it is passed through as is"
                ),
            ));
            None
        }
    }
}

/// The first `max` code points of `text`.
fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((byte, _)) => &text[..byte],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_body_is_cut_at_a_code_point_with_a_warning() {
        let mut article = RawArticle {
            body: Some("حلب تحت القصف".into()),
            published_at: Some("yesterday".into()),
            ..RawArticle::default()
        };
        let limits = Limits {
            max_body_chars: 3,
            ..Limits::default()
        };
        let p = prepare(&mut article, &limits).expect("prepared");
        assert_eq!(p.analysed(), "حلب");
        assert_eq!(p.id_origin, IdOrigin::Derived);
        let codes: Vec<&str> = p.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, vec!["invalid_timestamp", "body_truncated"]);
    }

    #[test]
    fn no_text_is_not_prepared() {
        let mut article = RawArticle {
            id: Some(" a1 ".into()),
            ..RawArticle::default()
        };
        let err = prepare(&mut article, &Limits::default()).expect_err("no text");
        assert_eq!(
            (err.id.as_str(), err.reason),
            ("a1", RejectReason::MissingText)
        );
    }
}
