//! The features the tagger reads for each token: the same function serves training and
//! tagging, so what the model learned is exactly what it sees at stream speed.
//!
//! A feature is a template and one or two values, mixed into 64 bits; nothing is built as a
//! string. Each token's values (word, shape, stems, affixes, gazetteer hit, lexicon class)
//! are hashed once
//! when its [`TokenView`] is made; a sentence's static features are then mixes of those
//! hashes, and the history features (previous tags) are added during decoding.

use super::clusters::{Clusters, GRANULARITIES};
use super::lexicon::Lexicon;
use crate::stages::normalize::{Document, Token, TokenKind};
use crate::text::arabic::proclitic_candidates;
use crate::text::char_hash::{fnv, fnv_chars};
use crate::text::chars::is_arabic_letter;

/// Version of the feature set: a model trained with another version is refused at load.
pub const FEATURE_VERSION: u32 = 6;

/// One token as the features see it: hashes of its values.
#[derive(Debug, Clone)]
pub struct TokenView {
    /// Match key (Arabic letters folded, Latin lower-cased).
    pub word: u64,
    /// Compressed shape of the model text: "Xx", "X.X.", "d", "a" (Arabic), ...
    pub shape: u64,
    /// The stem left by the longest proclitic analysis, or the word.
    pub stem: u64,
    /// The last three characters of the key.
    pub suffix3: u64,
    /// Prefixes and suffixes of one to four characters.
    pub affixes: Vec<u64>,
    /// Every proclitic analysis of an Arabic word: (stem, proclitic).
    pub analyses: Vec<(u64, u64)>,
    /// Gazetteer hit: "B-GPE", "I-ORG", ... or "" when none.
    pub gazetteer: u64,
    /// Lexicon class of an Arabic word (see [`Lexicon`]), 0 when unknown or not Arabic.
    pub lexicon: u64,
    /// Word-cluster codes, coarse to fine (see [`Clusters`]); zeros when unknown.
    pub clusters: [u64; GRANULARITIES],
    /// The name-gazetteer value of the token (see [`super::Phrases`]), 0 outside every
    /// phrase; set per sentence after the view is made.
    pub phrase: u64,
}

/// What a model knows of words beyond its training data: the Arabic treebank lexicon and
/// the word clusters of its script (none for models that do not read them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Knowledge<'a> {
    /// The Arabic treebank lexicon.
    pub lexicon: Option<&'a Lexicon>,
    /// Word clusters.
    pub clusters: Option<&'a Clusters>,
}

/// The tokens of one sentence with their static features, flattened.
#[derive(Debug, Clone, Default)]
pub struct SentenceFeatures {
    /// Feature hashes of all tokens, token after token.
    features: Vec<u64>,
    /// Where each token's features start in `features` (plus one final entry).
    offsets: Vec<usize>,
    /// Word hashes, for history features that pair a tag with the word.
    words: Vec<u64>,
    /// Shape hashes, for history features that pair a tag with the shape.
    shapes: Vec<u64>,
}

/// Gazetteer feature names by knowledge-base type: (type, first word, later words).
const GAZETTEER_LABELS: [(&str, &str, &str); 7] = [
    ("PER", "B-PER", "I-PER"),
    ("ORG", "B-ORG", "I-ORG"),
    ("GPE", "B-GPE", "I-GPE"),
    ("LOC", "B-LOC", "I-LOC"),
    ("FAC", "B-FAC", "I-FAC"),
    ("NORP", "B-NORP", "I-NORP"),
    ("MISC", "B-MISC", "I-MISC"),
];

/// The gazetteer feature name of a token by knowledge-base type and position in the
/// match; unknown types read as MISC.
pub fn gazetteer_label(kind: &str, begin: bool) -> &'static str {
    let (_, first, later) = GAZETTEER_LABELS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .unwrap_or(&GAZETTEER_LABELS[6]);
    if begin { first } else { later }
}

/// Hash of a string value (the same as [`fnv_chars`] of its characters).
fn text_hash(s: &str) -> u64 {
    fnv(s.chars())
}

/// The view of one token of `doc`, with the proclitic analyses of Arabic words and what
/// `knowledge` says of the word.
pub fn token_view(
    doc: &Document,
    token: &Token,
    gazetteer: &'static str,
    knowledge: Knowledge<'_>,
) -> TokenView {
    view(doc, token, gazetteer, knowledge, true)
}

/// The view of one token of `doc` read whole: no proclitic analyses, no lexicon class (the
/// English cue model reads words as written).
pub fn whole_token_view(doc: &Document, token: &Token, gazetteer: &'static str) -> TokenView {
    view(doc, token, gazetteer, Knowledge::default(), false)
}

fn view(
    doc: &Document,
    token: &Token,
    gazetteer: &'static str,
    knowledge: Knowledge<'_>,
    analyse: bool,
) -> TokenView {
    let key = doc.token_key(token);
    let word = fnv_chars(key);
    let mut affixes = Vec::with_capacity(8);
    for k in 1..=4.min(key.len()) {
        affixes.push(mix(PREFIX, fnv_chars(&key[..k])));
        affixes.push(mix(SUFFIX, fnv_chars(&key[key.len() - k..])));
    }
    // The proclitic cuts are computed once: the analyses and the cluster lookup both read
    // them, and this runs for every token.
    let cuts = if analyse && token.arabic {
        proclitic_candidates(key)
    } else {
        Default::default()
    };
    let stems = || cuts.iter().copied().filter(|&n| n > 0);
    let analyses: Vec<(u64, u64)> = stems()
        .map(|n| (fnv_chars(&key[n..]), fnv_chars(&key[..n])))
        .collect();
    let clusters = knowledge.clusters.map_or([0; GRANULARITIES], |clusters| {
        clusters.codes_of(key, stems().map(|n| &key[n..]))
    });
    let lexicon = match knowledge.lexicon {
        Some(lexicon) if token.arabic => lexicon.class_of(word, analyses.iter().map(|a| a.0)),
        _ => 0,
    };
    TokenView {
        word,
        shape: fnv(shape(doc.token_model(token), token.kind)),
        stem: analyses.last().map_or(word, |a| a.0),
        suffix3: fnv_chars(&key[key.len().saturating_sub(3)..]),
        affixes,
        analyses,
        gazetteer: if gazetteer.is_empty() {
            0
        } else {
            text_hash(gazetteer)
        },
        lexicon,
        clusters,
        phrase: 0,
    }
}

/// Word shape with runs collapsed: "Reuters" → "Xx", "U.S." → "X.X.", "1,200" → "d,d",
/// Arabic letters → "a"; a number's shape is cut at six characters. An iterator, so that
/// hashing a shape allocates nothing.
fn shape(model: &[char], kind: TokenKind) -> impl Iterator<Item = char> + '_ {
    let mut last = None;
    let limit = if kind == TokenKind::Number {
        6
    } else {
        usize::MAX
    };
    model
        .iter()
        .filter_map(move |&c| {
            let s = if c.is_uppercase() {
                'X'
            } else if c.is_lowercase() {
                'x'
            } else if c.is_numeric() {
                'd'
            } else if is_arabic_letter(c) {
                'a'
            } else if c.is_alphabetic() {
                'l'
            } else {
                c
            };
            (last != Some(s)).then(|| {
                last = Some(s);
                s
            })
        })
        .take(limit)
}

/// Mixes two 64-bit values into one (the splitmix64 finalizer over a rotated combination):
/// features are template ids mixed with value hashes, and must not collide.
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(23) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z ^= z >> 30;
    z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^= z >> 27;
    z = z.wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// Template ids: one per kind of feature.
const BIAS: u64 = 1;
const WORD: u64 = 2;
const WORD_PREV: u64 = 3;
const WORD_NEXT: u64 = 4;
const WORD_PREV2: u64 = 5;
const WORD_NEXT2: u64 = 6;
const BIGRAM_PREV: u64 = 7;
const BIGRAM_NEXT: u64 = 8;
const SHAPE: u64 = 9;
const SHAPE_PREV: u64 = 10;
const SHAPE_NEXT: u64 = 11;
const SHAPE_TRIGRAM: u64 = 12;
const FIRST_SHAPE: u64 = 13;
const PREFIX: u64 = 14;
const SUFFIX: u64 = 15;
const STEM_PREV: u64 = 16;
const STEM_NEXT: u64 = 17;
const STEM_PREV2: u64 = 18;
const STEM_NEXT2: u64 = 19;
const SUFFIX3_PREV: u64 = 20;
const SUFFIX3_NEXT: u64 = 21;
const STEM: u64 = 22;
const PROCLITIC: u64 = 23;
const GAZETTEER: u64 = 24;
const GAZETTEER_PREV: u64 = 25;
const GAZETTEER_NEXT: u64 = 26;
const GAZETTEER_WORD: u64 = 27;
const TAG_PREV: u64 = 28;
const TAGS_PREV2: u64 = 29;
const TAG_WORD: u64 = 30;
const TAG_SHAPE: u64 = 31;
const LEXICON: u64 = 32;
const LEXICON_PREV: u64 = 33;
const LEXICON_NEXT: u64 = 34;
const LEXICON_PAIR: u64 = 35;
const CLUSTER: u64 = 36;
const CLUSTER_PREV: u64 = 37;
const CLUSTER_NEXT: u64 = 38;
const CLUSTER_PAIR: u64 = 39;
const PHRASE: u64 = 40;
const PHRASE_PREV: u64 = 41;
const PHRASE_NEXT: u64 = 42;
const PHRASE_ID: u64 = 43;

/// Stands for the token before the first and after the last.
const BOUNDARY: u64 = 0xB0B0_B0B0;

/// The cluster features of a token: each of its codes, the codes of its neighbours at the
/// second granularity, and its own paired with the next word's. Nothing for a word
/// without codes, so models without cluster tables see no new features.
fn push_clusters(f: &mut Vec<u64>, tokens: &[TokenView], i: usize) {
    let t = &tokens[i];
    for (g, &code) in t.clusters.iter().enumerate() {
        if code != 0 {
            f.push(mix(CLUSTER + 100 * g as u64, code));
        }
    }
    let prev = i.checked_sub(1).and_then(|j| tokens.get(j));
    if let Some(code) = prev.map(|p| p.clusters[1]).filter(|&c| c != 0) {
        f.push(mix(CLUSTER_PREV, code));
    }
    if let Some(code) = tokens.get(i + 1).map(|n| n.clusters[1]).filter(|&c| c != 0) {
        f.push(mix(CLUSTER_NEXT, code));
        f.push(mix(mix(CLUSTER_PAIR, t.clusters[1]), code));
    }
}

/// The name-gazetteer features of a token: its value and its neighbours', where set, and
/// in Arabic each gazetteer of its own phrase alone (measured on English, that cost
/// CoNLL-2003 dev 0.003 F1).
fn push_phrases(f: &mut Vec<u64>, tokens: &[TokenView], i: usize, arabic: bool) {
    let value = |j: Option<usize>| j.and_then(|j| tokens.get(j)).map_or(0, |t| t.phrase);
    for (template, v) in [
        (PHRASE, value(Some(i))),
        (PHRASE_PREV, value(i.checked_sub(1))),
        (PHRASE_NEXT, value(Some(i + 1))),
    ] {
        if v != 0 {
            f.push(mix(template, v));
        }
    }
    if !arabic {
        return;
    }
    // Each gazetteer of the token's own phrase on its own too: a set of ids seen rarely
    // in training still says "a given name" or "a place".
    let v = value(Some(i));
    let first = v & PHRASE_FIRST;
    let mut ids = v & !PHRASE_FIRST;
    while ids != 0 {
        let bit = ids & ids.wrapping_neg();
        f.push(mix(PHRASE_ID, bit | first));
        ids &= ids - 1;
    }
}

/// The bit the name gazetteer sets on the first token of a phrase.
const PHRASE_FIRST: u64 = 1 << 31;

impl SentenceFeatures {
    /// Computes the static features of every token of a sentence.
    pub fn new(tokens: &[TokenView]) -> Self {
        Self::with_context(tokens, &[])
    }

    /// [`SentenceFeatures::new`] with features a caller adds for its own task (the cue
    /// detector's verb frames), already mixed with their templates: `context` holds the
    /// same number for each token, token after token.
    pub fn with_context(tokens: &[TokenView], context: &[u64]) -> Self {
        let per_token = context.len().checked_div(tokens.len()).unwrap_or(0);
        let mut out = SentenceFeatures {
            features: Vec::with_capacity(tokens.len() * 36),
            offsets: Vec::with_capacity(tokens.len() + 1),
            words: Vec::with_capacity(tokens.len()),
            shapes: Vec::with_capacity(tokens.len()),
        };
        let at = |i: isize, value: fn(&TokenView) -> u64| -> u64 {
            usize::try_from(i)
                .ok()
                .and_then(|i| tokens.get(i))
                .map_or(BOUNDARY, value)
        };
        let arabic = tokens.iter().any(|t| !t.analyses.is_empty());
        for (n, t) in tokens.iter().enumerate() {
            out.offsets.push(out.features.len());
            let i = n as isize;
            let (prev, next) = (at(i - 1, |t| t.word), at(i + 1, |t| t.word));
            let (shape_prev, shape_next) = (at(i - 1, |t| t.shape), at(i + 1, |t| t.shape));
            let (gz_prev, gz_next) = (at(i - 1, |t| t.gazetteer), at(i + 1, |t| t.gazetteer));
            let f = &mut out.features;
            f.push(BIAS);
            f.push(mix(WORD, t.word));
            f.push(mix(WORD_PREV, prev));
            f.push(mix(WORD_NEXT, next));
            f.push(mix(WORD_PREV2, at(i - 2, |t| t.word)));
            f.push(mix(WORD_NEXT2, at(i + 2, |t| t.word)));
            f.push(mix(mix(BIGRAM_PREV, prev), t.word));
            f.push(mix(mix(BIGRAM_NEXT, t.word), next));
            f.push(mix(SHAPE, t.shape));
            f.push(mix(SHAPE_PREV, shape_prev));
            f.push(mix(SHAPE_NEXT, shape_next));
            f.push(mix(
                mix(mix(SHAPE_TRIGRAM, shape_prev), t.shape),
                shape_next,
            ));
            if n == 0 {
                f.push(mix(FIRST_SHAPE, t.shape));
            }
            f.extend_from_slice(&t.affixes);
            if arabic {
                f.push(mix(STEM_PREV, at(i - 1, |t| t.stem)));
                f.push(mix(STEM_NEXT, at(i + 1, |t| t.stem)));
                f.push(mix(STEM_PREV2, at(i - 2, |t| t.stem)));
                f.push(mix(STEM_NEXT2, at(i + 2, |t| t.stem)));
            }
            f.push(mix(SUFFIX3_PREV, at(i - 1, |t| t.suffix3)));
            f.push(mix(SUFFIX3_NEXT, at(i + 1, |t| t.suffix3)));
            for &(stem, proclitic) in &t.analyses {
                f.push(mix(STEM, stem));
                f.push(mix(PROCLITIC, proclitic));
            }
            if arabic {
                let next = at(i + 1, |t| t.lexicon);
                f.push(mix(LEXICON, t.lexicon));
                f.push(mix(LEXICON_PREV, at(i - 1, |t| t.lexicon)));
                f.push(mix(LEXICON_NEXT, next));
                f.push(mix(mix(LEXICON_PAIR, t.lexicon), next));
            }
            push_clusters(f, tokens, n);
            push_phrases(f, tokens, n, arabic);
            f.push(mix(GAZETTEER, t.gazetteer));
            f.push(mix(GAZETTEER_PREV, gz_prev));
            f.push(mix(GAZETTEER_NEXT, gz_next));
            f.push(mix(mix(GAZETTEER_WORD, t.gazetteer), t.word));
            if per_token > 0 {
                f.extend_from_slice(&context[n * per_token..(n + 1) * per_token]);
            }
            out.words.push(t.word);
            out.shapes.push(t.shape);
        }
        out.offsets.push(out.features.len());
        out
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the sentence has no tokens.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// All features of token `i` given the two previous tags, into `out`.
    pub fn features_at(&self, i: usize, prev: usize, prev2: usize, out: &mut Vec<u64>) {
        out.clear();
        out.extend_from_slice(&self.features[self.offsets[i]..self.offsets[i + 1]]);
        let (prev, prev2) = (prev as u64, prev2 as u64);
        out.push(mix(TAG_PREV, prev));
        out.push(mix(mix(TAGS_PREV2, prev2), prev));
        out.push(mix(mix(TAG_WORD, prev), self.words[i]));
        out.push(mix(mix(TAG_SHAPE, prev), self.shapes[i]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        let s = |t: &str, k| -> String { shape(&t.chars().collect::<Vec<_>>(), k).collect() };
        assert_eq!(s("Reuters", TokenKind::Word), "Xx");
        assert_eq!(s("U.S.", TokenKind::Word), "X.X.");
        assert_eq!(s("1,200", TokenKind::Number), "d,d");
        assert_eq!(s("حلب", TokenKind::Word), "a");
    }

    #[test]
    fn history_changes_the_features_and_context_is_bounded() {
        let view = |k: &str| TokenView {
            word: text_hash(k),
            shape: 1,
            stem: text_hash(k),
            suffix3: text_hash(k),
            affixes: Vec::new(),
            analyses: Vec::new(),
            gazetteer: 0,
            lexicon: 0,
            clusters: [0; GRANULARITIES],
            phrase: 0,
        };
        let f = SentenceFeatures::new(&[view("a"), view("b")]);
        assert_eq!(f.len(), 2);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        f.features_at(1, 0, 0, &mut x);
        f.features_at(1, 1, 0, &mut y);
        assert_eq!(x.len(), y.len());
        assert_ne!(x, y);
    }
}
