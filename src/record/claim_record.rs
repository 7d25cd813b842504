//! The record published per claim on the `claims` topic: one claim that stands alone.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::enriched::{Claim, EnrichedArticle, Relation, SCHEMA_VERSION};
use super::raw::Source;

/// What a claim consumer needs to know about the article without fetching it.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct ArticleRef {
    /// Article id (the key of `articles.enriched`).
    pub id: String,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publication time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// Publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Language code.
    pub language: String,
    /// Agency ids credited for the copy.
    pub credited_agencies: Vec<String>,
}

/// One claim with its article's metadata and the relations it takes part in.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct ClaimRecord {
    /// Version of the record contract.
    pub schema_version: String,
    /// Globally unique claim id: `{article id}/{claim id}` (the Kafka key).
    pub id: String,
    /// The article.
    pub article: ArticleRef,
    /// The claim; its spans point into the article's body.
    pub claim: Claim,
    /// Relations of this claim to other claims of the same article.
    pub relations: Vec<Relation>,
}

impl ClaimRecord {
    /// One record per claim of an enriched article.
    pub fn all_of(article: &EnrichedArticle) -> Vec<ClaimRecord> {
        let reference = ArticleRef {
            id: article.id.clone(),
            url: article.url.clone(),
            title: article.title.clone(),
            published_at: article.published_at.clone(),
            source: article.source.clone(),
            language: article.language.code.clone(),
            credited_agencies: article
                .credits
                .credited
                .iter()
                .filter_map(|c| c.agency.clone())
                .collect(),
        };
        article
            .claims
            .iter()
            .map(|claim| ClaimRecord {
                schema_version: SCHEMA_VERSION.into(),
                id: format!("{}/{}", article.id, claim.id),
                article: reference.clone(),
                claim: claim.clone(),
                relations: article
                    .relations
                    .iter()
                    .filter(|r| r.claims.contains(&claim.id))
                    .cloned()
                    .collect(),
            })
            .collect()
    }
}
