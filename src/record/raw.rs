//! The input record: one raw article as a scraper publishes it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where an article came from, as the scraper knows it.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, Default, PartialEq)]
pub struct Source {
    /// Publisher name, e.g. "Transparency News".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Publisher web domain, e.g. "example.org".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Publisher country (ISO 3166-1 alpha-2 where known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Any other fields, passed through untouched.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A raw article: one JSON object per Kafka message or JSONL line.
///
/// `body` (plain text) or `html` is required; everything else is optional. Fields newsflow
/// does not know are kept in `extra` and passed through to the enriched record untouched.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, Default, PartialEq)]
pub struct RawArticle {
    /// Stable article id; derived deterministically from the content when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Canonical URL of the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Plain-text body. Spans point into it exactly as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// HTML of the page, used when `body` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Language hint (BCP 47 / ISO 639-1); used, not trusted blindly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The byline as the page gives it: author, outlet, agency, sometimes a place
    /// («لندن - رويترز», "By Jane Doe, Reuters"). `author` is read as the same field.
    #[serde(default, alias = "author", skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The dateline as the page gives it apart from the body («دمشق», "BEIRUT, Lebanon").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// The page's section or category («رأي», "Opinion", "Middle East").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Publication time: RFC 3339 best; RFC 2822, ISO dates and date-times, numeric and
    /// named-month dates are read too (see `published_at_precision` in the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// Scrape time, read as `published_at` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scraped_at: Option<String>,
    /// Publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Name of the feed or scraper that produced the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// Unknown fields, kept and passed through untouched.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
