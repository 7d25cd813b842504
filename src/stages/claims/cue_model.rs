//! A trained detector of English attribution cues, for the verbs the cue table lacks.
//!
//! News attributes far more than speech: PolNeAR's annotators mark beliefs, intentions and
//! reactions too ("wants", "hopes", "endorsed"), and only about two in five of its cues
//! contain a form of our table. The same averaged perceptron as the entity tagger, over
//! the same token features plus "in the cue table", labels the tokens of a sentence O,
//! B-CUE or I-CUE; `newsflow train cues` trains it on PolNeAR's training part.

use crate::stages::entities::tagger::{
    Label, Model, SentenceFeatures, TokenView, chunks, mix, whole_token_view,
};
use crate::stages::normalize::{Document, TokenKind};
use crate::text::char_hash::fnv;

use super::cues::CueLexicon;
use crate::stages::{LoadError, ModelError};

/// The bundled model.
const MODEL: &[u8] = include_bytes!("../../../data/models/cues-en.model");

/// Labels: O, B-CUE, I-CUE.
pub const CUE_LABELS: usize = 3;

/// The least margin a predicted cue needs: none, since a threshold hardly moves what the
/// detector finds (docs/ keeps the figures).
const MIN_MARGIN: f32 = 0.0;

/// Feature value of a token the cue table knows.
const IN_TABLE: &str = "CUE-TABLE";

/// The cue detector.
#[derive(Debug, Clone)]
pub struct CueModel {
    model: Model,
}

impl CueModel {
    /// Loads the bundled model.
    pub fn bundled() -> Result<Self, LoadError> {
        let error = |source| LoadError::Model {
            file: "cues-en.model".into(),
            source,
        };
        let model = Model::from_bytes(MODEL).map_err(error)?;
        if model.labels() != CUE_LABELS {
            return Err(error(ModelError::NotCueModel {
                found: model.labels(),
                expected: CUE_LABELS,
            }));
        }
        Ok(CueModel { model })
    }

    /// The match keys of document tokens `first..end`, as [`CueModel::views`] reads them.
    pub fn keys(doc: &Document, first: usize, end: usize) -> Vec<String> {
        doc.tokens[first..end]
            .iter()
            .map(|t| doc.token_key(t).iter().collect())
            .collect()
    }

    /// The detector's features for document tokens `first..end`, whose match keys are
    /// `keys`: the tagger's token features plus the verb frames below.
    pub fn features(
        doc: &Document,
        first: usize,
        end: usize,
        keys: &[String],
        lexicon: &CueLexicon,
    ) -> SentenceFeatures {
        let mut context = Vec::with_capacity(keys.len() * CONTEXT_FEATURES);
        let views = Self::views(doc, first, end, keys, lexicon, &mut context);
        SentenceFeatures::with_context(&views, &context)
    }

    /// The token views of document tokens `first..end`, with each token's frame features
    /// appended to `context`.
    fn views(
        doc: &Document,
        first: usize,
        end: usize,
        keys: &[String],
        lexicon: &CueLexicon,
        context: &mut Vec<u64>,
    ) -> Vec<TokenView> {
        let tokens = &doc.tokens[first..end];
        let classes: Vec<u64> = (0..tokens.len())
            .map(|k| word_class(doc, tokens, keys, k))
            .collect();
        let lemmas: Vec<u64> = keys.iter().map(|k| fnv(lemma(k).chars())).collect();
        let [that, quote, colon, capital] =
            ["that", "QUOTE", ":", "CAPITAL"].map(|c| fnv(c.chars()));
        let in_table: Vec<bool> = keys.iter().map(|k| lexicon.get(k).is_some()).collect();
        let table_words = in_table.iter().filter(|&&known| known).count();
        let mut quoted = false;
        tokens
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let known = in_table[k];
                let view = whole_token_view(doc, t, if known { IN_TABLE } else { "" });
                if t.kind == TokenKind::Punct && is_quote(&keys[k]) {
                    quoted = !quoted;
                }
                let before = k.checked_sub(1).map_or(BOUNDARY, |j| classes[j]);
                let after = classes.get(k + 1).copied().unwrap_or(BOUNDARY);
                let after2 = classes.get(k + 2).copied().unwrap_or(BOUNDARY);
                let lemma = lemmas[k];
                let window = |from: usize, to: usize, class: u64| {
                    (from..to.min(classes.len())).any(|j| j != k && classes[j] == class)
                };
                let that_soon = window(k + 1, k + 4, that);
                let quote_soon = window(k + 1, k + 4, quote);
                let colon_soon = window(k + 1, k + 3, colon);
                let subject_near = (k.saturating_sub(3)..k)
                    .any(|j| classes[j] == capital || PRONOUNS.contains(&keys[j].as_str()));
                let table_elsewhere = table_words > usize::from(known);
                // What stands near: "that", a quotation or a colon after; a name or a
                // pronoun before; another of the table's cues in the sentence.
                context.extend_from_slice(&[
                    mix(
                        WINDOW,
                        u64::from(that_soon)
                            | u64::from(quote_soon) << 1
                            | u64::from(colon_soon) << 2
                            | u64::from(subject_near) << 3,
                    ),
                    mix(
                        mix(LEMMA_WINDOW, lemma),
                        u64::from(that_soon) | u64::from(subject_near) << 1,
                    ),
                    mix(TABLE_ELSEWHERE, u64::from(table_elsewhere)),
                    mix(LEMMA, lemma),
                    mix(CLASS_BEFORE, before),
                    mix(CLASS_AFTER, after),
                    mix(mix(CLASSES_AFTER, after), after2),
                    mix(mix(LEMMA_BEFORE, lemma), before),
                    mix(mix(LEMMA_AFTER, lemma), after),
                    mix(mix(mix(FRAME, before), classes[k]), after),
                    mix(IN_QUOTATION, u64::from(quoted)),
                ]);
                view
            })
            .collect()
    }

    /// The cue chunks the model finds among tokens `first..end` (match keys `keys`), as
    /// (first, end) indices relative to `first`. None when no model is trained.
    pub fn cue_chunks(
        &self,
        doc: &Document,
        first: usize,
        end: usize,
        keys: &[String],
        lexicon: &CueLexicon,
    ) -> Option<Vec<(usize, usize)>> {
        if self.model.features() == 0 {
            return None;
        }
        let features = Self::features(doc, first, end, keys, lexicon);
        let (labels, margins) = self.model.tag_with_margins(&features);
        Some(
            chunks(&labels)
                .into_iter()
                .filter(|&(s, e, _)| margins[s..e].iter().all(|&m| m >= MIN_MARGIN))
                .map(|(s, e, _)| (s, e))
                .collect(),
        )
    }
}

// Template ids of the detector's own features (past the tagger's, which end below 64).
const LEMMA: u64 = 101;
const CLASS_BEFORE: u64 = 102;
const CLASS_AFTER: u64 = 103;
const CLASSES_AFTER: u64 = 104;
const LEMMA_BEFORE: u64 = 105;
const LEMMA_AFTER: u64 = 106;
const FRAME: u64 = 107;
const IN_QUOTATION: u64 = 108;
/// How many frame features each token has.
const CONTEXT_FEATURES: usize = 11;
const WINDOW: u64 = 109;
const LEMMA_WINDOW: u64 = 110;
const TABLE_ELSEWHERE: u64 = 111;
/// Subject pronouns: a subject near a word makes it likelier a verb.
const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "it", "you"];
/// Stands for the word before the first and after the last.
const BOUNDARY: u64 = 0xB0B0;

/// Words whose class is themselves: the complements and subjects a reporting verb takes.
const OWN_CLASS: &[&str] = &[
    "that", "to", "about", "of", "on", "for", "with", "by", "as", "in", "and", "the", "a", "an",
    "his", "her", "their", "its", "he", "she", "they", "it", "we", "i", "you", "who", "which",
    "what", "whether", "if", "how", "why", "not", "has", "have", "had", "is", "are", "was", "were",
    "will", "would", "could", "also", "this", "there",
];

/// The class of token `k` as the verb frame sees it: one of the [`OWN_CLASS`] words, a
/// quotation mark, other punctuation by its character, a number, a capitalised word, or
/// another word.
fn word_class(
    doc: &Document,
    tokens: &[crate::stages::normalize::Token],
    keys: &[String],
    k: usize,
) -> u64 {
    let key = keys[k].as_str();
    let class = if OWN_CLASS.contains(&key) {
        key
    } else if tokens[k].kind == TokenKind::Punct {
        if is_quote(key) { "QUOTE" } else { key }
    } else if tokens[k].kind == TokenKind::Number {
        "NUMBER"
    } else if doc
        .token_model(&tokens[k])
        .first()
        .is_some_and(|c| c.is_uppercase())
    {
        "CAPITAL"
    } else {
        "WORD"
    };
    fnv(class.chars())
}

/// True when a punctuation key is a quotation mark.
fn is_quote(key: &str) -> bool {
    key.starts_with(['"', '“', '”', '«', '»', '\''])
}

/// A crude English lemma: the word without an inflectional ending ("says", "saying",
/// "said" stay apart; "warned", "warning", "warns" → "warn"), so that rare forms share
/// what their common forms taught the model.
fn lemma(key: &str) -> &str {
    for ending in ["ing", "ed", "es", "s"] {
        if let Some(stem) = key.strip_suffix(ending)
            && stem.chars().count() >= 3
        {
            return stem;
        }
    }
    key
}

/// Gold labels of tokens `first..end` from cue spans in original code points.
pub fn gold_cue_labels(
    doc: &Document,
    first: usize,
    end: usize,
    cues: &[(usize, usize)],
) -> Vec<Label> {
    doc.tokens[first..end]
        .iter()
        .map(|t| {
            let (s, e) = doc.layers.to_original(t.start, t.end);
            cues.iter()
                .find(|(cs, ce)| *cs <= s && e <= *ce)
                .map_or(Label::O, |(cs, _)| {
                    if *cs == s {
                        Label::begin(0)
                    } else {
                        Label::inside(0)
                    }
                })
        })
        .collect()
}
