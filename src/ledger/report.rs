//! A report: one claim of one article, read for the ledger: who (a speaker key that meets
//! itself across articles), through whom, for or against, and what about.

use std::collections::{BTreeMap, BTreeSet};

use chrono::DateTime;
use xxhash_rust::xxh3::xxh3_64;

use crate::record::{Claim, EnrichedArticle, Entity, SpeakerKind, Stance};
use crate::stories::{content_word_strings, entity_keys};
use crate::text::layers::match_key;

/// One claim as the ledger reads it.
#[derive(Debug, Clone)]
pub struct Report {
    /// The article's id.
    pub article_id: String,
    /// The claim's id in its article.
    pub claim_id: String,
    /// The outlet that published the article.
    pub outlet: Option<String>,
    /// Publication time, seconds since the epoch.
    pub time: Option<i64>,
    /// Who says it, keyed so that one speaker meets itself across articles and outlets:
    /// the speaker's entity key (`newsflow:united_nations`, `name:...`), else its
    /// description's match key, prefixed by its kind for anonymous sources.
    pub speaker: String,
    /// The channel credited for the claim (`via`), else the agencies the article credits.
    pub via: Vec<String>,
    /// Assert or deny.
    pub stance: Stance,
    /// Content words (hashed) with their counts.
    pub words: BTreeMap<u64, f32>,
    /// Entity keys the content names (hashed).
    pub entities: BTreeSet<u64>,
    /// Word trigrams of the content (hashed): what a copy of the same text shares.
    pub trigrams: BTreeSet<u64>,
}

impl Report {
    /// The reports of an article's claims made in its story's own paragraphs (a claim in
    /// a teaser or a caption reports nothing of this story).
    pub fn of_article(article: &EnrichedArticle) -> Vec<Report> {
        let time = article
            .published_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp());
        let outlet = article
            .source
            .as_ref()
            .and_then(|s| s.name.clone().or_else(|| s.domain.clone()));
        let credited: Vec<String> = article
            .credits
            .credited
            .iter()
            .filter_map(|c| c.agency.clone())
            .collect();
        article
            .claims
            .iter()
            .filter(|c| c.paragraph_kind.is_none())
            .map(|claim| {
                let via = match claim.via.as_ref() {
                    Some(v) => vec![v.agency.clone().unwrap_or_else(|| match_key(&v.span.text))],
                    None => credited.clone(),
                };
                Report {
                    article_id: article.id.clone(),
                    claim_id: claim.id.clone(),
                    outlet: outlet.clone(),
                    time,
                    speaker: speaker_key(article, claim),
                    via,
                    stance: claim.stance,
                    words: words(&claim.content.text),
                    entities: claim_entities(article, claim),
                    trigrams: trigrams(&claim.content.text),
                }
            })
            .collect()
    }
}

/// The speaker's key (see [`Report::speaker`]).
fn speaker_key(article: &EnrichedArticle, claim: &Claim) -> String {
    let speaker = &claim.speaker;
    if let Some(key) = speaker
        .entity
        .as_deref()
        .and_then(|id| entity(article, id))
        .and_then(|e| entity_keys(e).into_iter().next())
    {
        return key;
    }
    let words = speaker.description.as_deref().unwrap_or(&speaker.span.text);
    let key: Vec<String> = content_word_strings(&match_key(words)).collect();
    let kind = match speaker.kind {
        SpeakerKind::AnonymousOfficial | SpeakerKind::Anonymous => "anonymous:",
        _ => "described:",
    };
    format!("{kind}{}", key.join(" "))
}

fn entity<'a>(article: &'a EnrichedArticle, id: &str) -> Option<&'a Entity> {
    article.entities.iter().find(|e| e.id == id)
}

/// The keys of the entities a claim's content names, and of what its figures count
/// (`event:killed`): reports of one toll share it however they word it.
fn claim_entities(article: &EnrichedArticle, claim: &Claim) -> BTreeSet<u64> {
    let events = claim
        .quantities
        .iter()
        .filter_map(|q| q.event.as_deref())
        .map(|e| format!("event:{e}"));
    claim
        .entities
        .iter()
        .filter_map(|id| entity(article, id))
        .flat_map(entity_keys)
        .chain(events)
        .map(|k| xxh3_64(k.as_bytes()))
        .collect()
}

/// Content words of a text, lightly stemmed and hashed, with their counts.
fn words(text: &str) -> BTreeMap<u64, f32> {
    let mut out = BTreeMap::new();
    for w in content_word_strings(&match_key(text)) {
        *out.entry(xxh3_64(light_stem(&w).as_bytes())).or_default() += 1.0;
    }
    out
}

/// Arabic suffixes that inflect a word without changing what it is about (pronouns,
/// plurals and duals, the feminine ending), longest first.
const SUFFIXES: &[&str] = &[
    "هما", "ها", "هم", "هن", "كم", "نا", "ون", "ين", "ان", "ات", "ية", "ة", "ه", "ي", "ا",
];

/// An Arabic word without one inflectional suffix, where three letters or more remain:
/// reports of one statement word it with other endings («محتجون», «محتجين»). Other words
/// are kept as they are.
fn light_stem(word: &str) -> String {
    let w: Vec<char> = word.chars().collect();
    if !w
        .first()
        .is_some_and(|&c| crate::text::chars::is_arabic_letter(c))
    {
        return word.to_string();
    }
    let cut = SUFFIXES.iter().find_map(|s| {
        let s: Vec<char> = s.chars().collect();
        (w.len() >= s.len() + 3 && w.ends_with(&s)).then_some(s.len())
    });
    w[..w.len() - cut.unwrap_or(0)].iter().collect()
}

/// Word trigrams of a text's match key, hashed (every word, stopwords too: copies share
/// them all).
fn trigrams(text: &str) -> BTreeSet<u64> {
    let key = match_key(text);
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(3)
        .map(|w| xxh3_64(w.join(" ").as_bytes()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_trigrams_and_words_ignore_stopwords() {
        let a = trigrams("قال المتحدث إن القوات سيطرت على المدينة");
        let b = trigrams("وقال المتحدث إن القوات سيطرت على المدينة أمس");
        assert!(a.intersection(&b).count() >= 4);
        assert_eq!(words("the toll rose to 52").len(), 2);
        assert_eq!(light_stem("محتجون"), light_stem("محتجين"));
        assert_eq!(light_stem("قتلى"), "قتلى");
        assert_eq!(light_stem("toll"), "toll");
    }
}
