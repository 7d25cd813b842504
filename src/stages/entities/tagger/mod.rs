//! The statistical sequence tagger: finds the names the knowledge base lacks.
//!
//! One averaged-perceptron model per script (Arabic, trained on ANERcorp and AQMAR; English,
//! trained on CoNLL-2003), reading word, context, shape, affix, proclitic-stem and
//! knowledge-base features of the normalized tokens, decoded greedily left to right with
//! the previous two tags as features (greedy decoding is as good as Viterbi for NER, Ratinov
//! and Roth 2009, and cheaper). `scripts/train-ner` retrains both from `../shared/data/ner`.

mod clusters;
pub mod exchange;
mod features;
mod labels;
mod lexicon;
mod model;
pub(crate) mod name_tables;
mod phrases;
mod table;

pub use clusters::Clusters;
pub use features::{
    FEATURE_VERSION, Knowledge, SentenceFeatures, TokenView, gazetteer_label, mix, token_view,
    whole_token_view,
};
pub use labels::{LABELS, Label, TYPES, chunks, entity_type};
pub use lexicon::Lexicon;
pub use model::{Example, Model, train, train_runs};
pub use name_tables::Layout;
pub use phrases::Phrases;

use crate::stages::normalize::{Document, SentenceInfo, Token, TokenKind};
use crate::stages::{LoadError, ModelError};
use crate::text::arabic::{conjunction_lengths, proclitic_candidates};
use crate::text::char_hash::fnv_chars;

/// The bundled models.
const MODEL_AR: &[u8] = include_bytes!("../../../../data/models/ner-ar.model");
const MODEL_EN: &[u8] = include_bytes!("../../../../data/models/ner-en.model");
/// The Arabic word lexicon the Arabic model reads.
const LEXICON_AR: &str = include_str!("../../../../data/entities/lexicon-ar.tsv");
/// The word clusters of each script (see [`Clusters`]) and the English name gazetteer
/// (see [`Phrases`]), frozen by `build.rs` from `data/entities/clusters-{en,ar}.tsv` and
/// `phrases-en.tsv`.
const CLUSTERS_EN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/clusters-en.map"));
const CLUSTER_CLASSES_EN: &str = include_str!(concat!(env!("OUT_DIR"), "/clusters-en.classes"));
const CLUSTERS_AR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/clusters-ar.map"));
const CLUSTER_CLASSES_AR: &str = include_str!(concat!(env!("OUT_DIR"), "/clusters-ar.classes"));
const PHRASES_EN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/phrases-en.map"));

/// The Arabic name gazetteer (`scripts/build-names`), frozen by `build.rs` from
/// `phrases-ar.tsv`.
const PHRASES_AR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/phrases-ar.map"));

/// The least margin a tagged chunk needs to be kept, per model: chosen on the development
/// sets (ANERcorp's held-out slice and AQMAR dev; CoNLL-2003 dev) as the point where
/// precision rises with F1 unchanged or better.
const MIN_MARGIN_AR: f32 = 4.0;
const MIN_MARGIN_EN: f32 = 2.0;

/// A chunk the tagger found, in document token indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaggedChunk {
    /// First token.
    pub first: usize,
    /// One past the last token.
    pub end: usize,
    /// Type index into [`TYPES`].
    pub kind: usize,
    /// The smallest margin of the chunk's labels: how sure the model is of it.
    pub margin: f32,
}

/// An entity model from its file's bytes; `name` says which file in errors. A model with
/// another label set (a cue model, say) is refused.
fn entity_model(bytes: &[u8], name: &str) -> Result<Model, LoadError> {
    let refused = |source| LoadError::Model {
        file: name.to_string(),
        source,
    };
    let model = Model::from_bytes(bytes).map_err(refused)?;
    if model.labels() != LABELS {
        return Err(refused(ModelError::NotEntityModel {
            found: model.labels(),
            expected: LABELS,
        }));
    }
    Ok(model)
}

/// Which model reads a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic letters.
    Arabic,
    /// Latin letters (the English model).
    Latin,
}

/// The script most of a sentence's words are written in; none for a sentence without words
/// in either.
pub fn sentence_script(doc: &Document, sentence: &SentenceInfo) -> Option<Script> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for t in &doc.tokens[sentence.first_token..sentence.end_token] {
        if t.arabic {
            arabic += 1;
        } else if t.kind == TokenKind::Word
            && doc
                .token_model(t)
                .first()
                .is_some_and(char::is_ascii_alphabetic)
        {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, 0) => None,
        (a, l) if a >= l => Some(Script::Arabic),
        _ => Some(Script::Latin),
    }
}

/// The Arabic and English models, the lexicon the Arabic one reads and the word clusters
/// of each.
#[derive(Debug, Clone)]
pub struct SequenceTagger {
    arabic: Model,
    latin: Model,
    tables: Tables,
}

/// The knowledge tables the models read beside their weights.
#[derive(Debug, Clone)]
struct Tables {
    lexicon: Lexicon,
    clusters_ar: Clusters,
    clusters_en: Clusters,
    phrases_en: Phrases,
    phrases_ar: Phrases,
}

/// The bundled tables the models read.
fn tables() -> Result<Tables, LoadError> {
    Ok(Tables {
        lexicon: Lexicon::load(LEXICON_AR, "lexicon-ar.tsv")?,
        clusters_ar: Clusters::frozen(CLUSTERS_AR, CLUSTER_CLASSES_AR)
            .ok_or_else(|| frozen("clusters-ar"))?,
        clusters_en: Clusters::frozen(CLUSTERS_EN, CLUSTER_CLASSES_EN)
            .ok_or_else(|| frozen("clusters-en"))?,
        phrases_en: Phrases::frozen(PHRASES_EN).ok_or_else(|| frozen("phrases-en"))?,
        phrases_ar: Phrases::frozen(PHRASES_AR).ok_or_else(|| frozen("phrases-ar"))?,
    })
}

/// The error of a frozen table whose bytes do not read back (a build gone wrong).
fn frozen(name: &str) -> LoadError {
    LoadError::Frozen {
        table: format!("{name}.tsv"),
    }
}

impl SequenceTagger {
    /// Loads the bundled models.
    pub fn bundled() -> Result<Self, LoadError> {
        Ok(SequenceTagger {
            arabic: entity_model(MODEL_AR, "ner-ar.model")?,
            latin: entity_model(MODEL_EN, "ner-en.model")?,
            tables: tables()?,
        })
    }

    /// The bundled models, with either replaced by a model file written by `newsflow train
    /// ner` (to score a model before bundling it).
    pub fn with_files(arabic: Option<&str>, latin: Option<&str>) -> Result<Self, LoadError> {
        let read = |path: Option<&str>, bundled: &[u8], name: &str| -> Result<Model, LoadError> {
            let Some(path) = path else {
                return entity_model(bundled, name);
            };
            let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
                path: path.to_string(),
                source,
            })?;
            entity_model(&bytes, path)
        };
        Ok(SequenceTagger {
            arabic: read(arabic, MODEL_AR, "ner-ar.model")?,
            latin: read(latin, MODEL_EN, "ner-en.model")?,
            tables: tables()?,
        })
    }

    /// Models that know nothing (they tag everything O), with the bundled lexicon: what
    /// training starts from.
    pub fn untrained() -> Result<Self, LoadError> {
        Ok(SequenceTagger {
            arabic: Model::default(),
            latin: Model::default(),
            tables: tables()?,
        })
    }

    /// The token views of a sentence as the model for `script` reads them: `gazetteer[i]`
    /// is the knowledge-base label of document token `i` ("" when none).
    pub fn sentence_views(
        &self,
        doc: &Document,
        sentence: &SentenceInfo,
        script: Script,
        gazetteer: &[&'static str],
    ) -> Vec<TokenView> {
        let knowledge = match script {
            Script::Arabic => Knowledge {
                lexicon: Some(&self.tables.lexicon),
                clusters: Some(&self.tables.clusters_ar),
            },
            Script::Latin => Knowledge {
                lexicon: None,
                clusters: Some(&self.tables.clusters_en),
            },
        };
        let mut views: Vec<TokenView> = (sentence.first_token..sentence.end_token)
            .map(|i| {
                features::token_view(
                    doc,
                    &doc.tokens[i],
                    gazetteer.get(i).copied().unwrap_or(""),
                    knowledge,
                )
            })
            .collect();
        let tokens = &doc.tokens[sentence.first_token..sentence.end_token];
        let values = match script {
            Script::Latin => {
                let words: Vec<&[char]> = tokens.iter().map(|t| doc.token_model(t)).collect();
                self.tables.phrases_en.label(&words)
            }
            Script::Arabic => {
                // The views' word and stem hashes are the gazetteer's word hashes: both
                // are FNV-1a, and the gazetteer folds only digits, which no Arabic phrase
                // of it holds.
                let keys: Vec<u64> = views.iter().map(|v| v.word).collect();
                let views = &views;
                self.tables
                    .phrases_ar
                    .label_keys(&keys, |i| views[i].analyses.iter().map(|a| a.0))
            }
        };
        for (view, value) in views.iter_mut().zip(values) {
            view.phrase = u64::from(value);
        }
        views
    }

    /// True when the treebank lexicon knows an Arabic token as a common word (a noun,
    /// verb or adjective seen three times or more, rarely a proper noun): «أغلقت», «دعما».
    pub fn is_common_word(&self, doc: &Document, token: &Token) -> bool {
        if !token.arabic {
            return false;
        }
        let key = doc.token_key(token);
        let stems = proclitic_candidates(key)
            .into_iter()
            .filter(|&n| n > 0)
            .map(|n| fnv_chars(&key[n..]));
        self.tables.lexicon.is_common(fnv_chars(key), stems)
    }

    /// The length of a conjunction or preposition fused to a tagged Arabic name, by the
    /// treebank lexicon: «وخان» is «و» + «خان» when the lexicon knows «خان» and not
    /// «وخان»; 0 when it knows the whole word («وليد») or no stem. The article is never cut
    /// off: it belongs to the names that carry it («البارة»).
    pub fn fused_proclitic(&self, doc: &Document, token: &Token) -> usize {
        let key = doc.token_key(token);
        if !token.arabic || self.tables.lexicon.knows(fnv_chars(key)) {
            return 0;
        }
        conjunction_lengths(key)
            .into_iter()
            .find(|&n| self.tables.lexicon.knows(fnv_chars(&key[n..])))
            .unwrap_or(0)
    }

    /// The Arabic treebank lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.tables.lexicon
    }

    /// The model for a script.
    pub fn model(&self, script: Script) -> &Model {
        match script {
            Script::Arabic => &self.arabic,
            Script::Latin => &self.latin,
        }
    }

    /// Tags one sentence; chunks are in document token indices.
    pub fn tag(
        &self,
        doc: &Document,
        sentence: &SentenceInfo,
        gazetteer: &[&'static str],
    ) -> Vec<TaggedChunk> {
        let Some(script) = sentence_script(doc, sentence) else {
            return Vec::new();
        };
        let views = self.sentence_views(doc, sentence, script, gazetteer);
        let (labels, margins) = self
            .model(script)
            .tag_with_margins(&SentenceFeatures::new(&views));
        let min_margin = match script {
            Script::Arabic => MIN_MARGIN_AR,
            Script::Latin => MIN_MARGIN_EN,
        };
        chunks(&labels)
            .into_iter()
            .map(|(s, e, kind)| TaggedChunk {
                first: sentence.first_token + s,
                end: sentence.first_token + e,
                kind,
                margin: margins[s..e].iter().copied().fold(f32::INFINITY, f32::min),
            })
            .filter(|c| c.margin >= min_margin)
            .collect()
    }
}

/// Gold labels of a sentence's tokens from gold chunks in original code points
/// `(start, end, folded type)`: the token starting a chunk is B-, the others inside it I-.
pub fn gold_labels(
    doc: &Document,
    sentence: &SentenceInfo,
    gold: &[(usize, usize, String)],
) -> Vec<Label> {
    doc.tokens[sentence.first_token..sentence.end_token]
        .iter()
        .map(|t| {
            let (s, e) = doc.layers.to_original(t.start, t.end);
            gold.iter()
                .find(|(gs, ge, _)| *gs <= s && e <= *ge)
                .and_then(|(gs, _, kind)| Label::from_type(kind, *gs == s))
                .unwrap_or(Label::O)
        })
        .collect()
}
