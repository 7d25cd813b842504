//! What the story clustering reads of an enriched article: its time, outlet, language,
//! content words and linked entities, taken from the body only.
//!
//! Scraped pages carry teasers of other stories and related headlines; the normalize stage
//! marks those paragraphs, and an entity named only there is `outside_body`. Reading only
//! the body keeps another story's headline from pulling an article into that story.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::DateTime;
use xxhash_rust::xxh3::xxh3_64;

use crate::record::{EnrichedArticle, Entity};
use crate::table;
use crate::text::arabic;
use crate::text::layers::match_key;
use crate::text::sound_key::sound_key;

/// Words that say nothing about which story an article tells (match keys).
static STOPWORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut words: Vec<String> = table::word_list(
        "stopwords.txt",
        include_str!("../../data/stories/stopwords.txt"),
    )
    .into_iter()
    .map(match_key)
    .collect();
    words.sort_unstable();
    words.dedup();
    words
});

/// Paragraphs of the body read at full weight; later ones count less (the lead says what
/// the story is, the tail gives background).
const LEAD_PARAGRAPHS: usize = 2;

/// An article as the story clustering sees it.
#[derive(Debug, Clone)]
pub struct ArticleProfile {
    /// The article's id.
    pub article_id: String,
    /// Publication time, seconds since the epoch (the input order's when absent).
    pub time: Option<i64>,
    /// Publisher: the source's name or the URL's host.
    pub outlet: Option<String>,
    /// Language code of the article.
    pub language: String,
    /// Content words (hashed match keys) with their weight in the article, unnormalised.
    pub terms: Vec<(u64, f32)>,
    /// Linked entities (knowledge-base id, or the name's match key) with their salience.
    pub entities: Vec<(u64, f32)>,
    /// Words of the title and the first paragraph (hashed), for the baseline.
    pub title_lead: Vec<u64>,
    /// SimHash of the text, for syndication groups.
    pub simhash: u64,
}

impl ArticleProfile {
    /// The profile of an enriched article.
    pub fn of(article: &EnrichedArticle) -> Self {
        let mut weights: HashMap<u64, f32> = HashMap::new();
        let mut title_lead = Vec::new();
        if let Some(title) = &article.title {
            for word in content_words(&match_key(title)) {
                *weights.entry(word).or_default() += 2.0;
                title_lead.push(word);
            }
        }
        for (i, text) in body_texts(article).iter().enumerate() {
            let weight = if i < LEAD_PARAGRAPHS { 1.0 } else { 0.25 };
            for word in content_words(&match_key(text)) {
                *weights.entry(word).or_default() += weight;
                if i == 0 {
                    title_lead.push(word);
                }
            }
        }
        let mut terms: Vec<(u64, f32)> = weights
            .into_iter()
            .map(|(t, w)| (t, 1.0 + w.ln_1p()))
            .collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        title_lead.sort_unstable();
        title_lead.dedup();
        let mut entities: Vec<(u64, f32)> = body_entities(article)
            .flat_map(|e| {
                entity_keys(e)
                    .into_iter()
                    .map(move |k| (xxh3_64(k.as_bytes()), 0.25 + e.salience))
            })
            .collect();
        entities.sort_unstable_by_key(|&(k, _)| k);
        entities.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 = a.1.max(b.1);
                true
            } else {
                false
            }
        });
        let outlet = article
            .source
            .as_ref()
            .and_then(|s| s.name.clone().or_else(|| s.domain.clone()));
        Self {
            article_id: article.id.clone(),
            time: article
                .published_at
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp()),
            outlet,
            language: article.language.code.clone(),
            terms,
            entities,
            title_lead,
            simhash: u64::from_str_radix(&article.fingerprint.simhash, 16).unwrap_or_default(),
        }
    }
}

/// The words and entity keys of an article whose rarity the clustering weighs, as written
/// in the table of document frequencies (`data/stories/document-frequencies.tsv`): the
/// content words of the title and the body paragraphs, and the body's entity keys.
pub fn frequency_keys(article: &EnrichedArticle) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    if let Some(title) = &article.title {
        keys.extend(content_word_strings(&match_key(title)));
    }
    for text in body_texts(article) {
        keys.extend(content_word_strings(&match_key(&text)));
    }
    keys.extend(body_entities(article).flat_map(entity_keys));
    keys
}

/// How an entity is keyed: its knowledge-base id (`geonames:99532`), else its name's match
/// key (`name:...`), so that one referent meets itself across articles; and its name's
/// cross-script sound key (`sound:MGLDZKNL`), so that a name no knowledge base links meets
/// its spelling in the other script (and a linked one its unlinked spelling).
pub fn entity_keys(e: &Entity) -> Vec<String> {
    let mut keys = vec![match &e.kb {
        Some(kb) => format!("{}:{}", kb.source, kb.id),
        None => format!("name:{}", match_key(&e.name)),
    }];
    let sound = sound_key(&e.name);
    if sound.len() >= MIN_SOUND_KEY {
        keys.push(format!("{SOUND}{sound}"));
    }
    keys
}

/// The prefix of sound keys.
const SOUND: &str = "sound:";
/// Sound keys shorter than this (two consonants) match too many names to tell anything.
const MIN_SOUND_KEY: usize = 3;

/// The texts of the story's own paragraphs, in order: no teasers, captions or credit
/// lines.
fn body_texts(article: &EnrichedArticle) -> Vec<String> {
    let body: Vec<char> = article.body.chars().collect();
    article
        .text
        .paragraphs
        .iter()
        .filter(|p| p.kind.is_body() && p.excluded.is_none())
        .map(|p| {
            let end = p.span.end.min(body.len());
            let start = p.span.start.min(end);
            body[start..end].iter().collect()
        })
        .collect()
}

/// The entities named in the story's own paragraphs.
fn body_entities(article: &EnrichedArticle) -> impl Iterator<Item = &Entity> {
    article.entities.iter().filter(|e| !e.outside_body)
}

/// The content words of a match key, hashed (see [`content_word_strings`]).
fn content_words(key: &str) -> impl Iterator<Item = u64> + '_ {
    content_word_strings(key).map(|w| xxh3_64(w.as_bytes()))
}

/// The content words of a match key: no stopwords, no digits-only or one-letter words, the
/// Arabic article and the proclitics fused to it stripped («والعراق» → «عراق»).
pub fn content_word_strings(key: &str) -> impl Iterator<Item = String> + '_ {
    key.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter_map(|w| {
            let chars: Vec<char> = w.chars().collect();
            let stem = strip_article(&chars);
            if stem.len() < 2 || stem.iter().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let word: String = stem.iter().collect();
            if STOPWORDS.binary_search(&word).is_ok()
                || STOPWORDS.binary_search(&w.to_string()).is_ok()
            {
                return None;
            }
            Some(word)
        })
}

/// An Arabic word without the article and the proclitics fused before it, when a stem of
/// two letters or more remains; any other word as it is.
fn strip_article(word: &[char]) -> &[char] {
    arabic::proclitic_candidates(word)
        .into_iter()
        .rev()
        .find(|&n| n > 0 && arabic::carries_article(&word[..n]))
        .map_or(word, |n| &word[n..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_and_its_proclitics_are_stripped() {
        let a: Vec<u64> = content_words(&match_key("والعراق")).collect();
        let b: Vec<u64> = content_words(&match_key("العراق")).collect();
        let c: Vec<u64> = content_words(&match_key("عراق")).collect();
        assert_eq!(a, c);
        assert_eq!(b, c);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn stopwords_and_numbers_are_no_content() {
        assert_eq!(content_words(&match_key("قال في 2018 the")).count(), 0);
        assert_eq!(content_words(&match_key("Gaza border")).count(), 2);
    }
}
