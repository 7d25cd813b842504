//! The features the tagger reads for each token: the same function serves training and
//! tagging, so what the model learned is exactly what it sees at stream speed.
//!
//! Features are strings hashed to 64 bits (xxh3) and never stored as strings: a token's
//! static features (word, context, shape, affixes, proclitic stems, gazetteer hits) are
//! computed once per sentence; the history features (previous tags) are added during
//! left-to-right decoding.

use xxhash_rust::xxh3::xxh3_64;

use crate::stages::normalize::{Document, Token, TokenKind, proclitic_candidates};

/// Version of the feature set: a model trained with another version is refused at load.
pub const FEATURE_VERSION: u32 = 2;

/// One token as the features see it.
#[derive(Debug, Clone)]
pub struct TokenView {
    /// Match key (Arabic letters folded, Latin lower-cased).
    pub key: String,
    /// Compressed shape of the model text: "Xx", "X.X.", "d", "a" (Arabic), ...
    pub shape: String,
    /// Stems left by each proclitic analysis of an Arabic word, with the proclitic.
    pub stems: Vec<(String, String)>,
    /// Gazetteer hit: "B-GPE", "I-ORG", ... or empty.
    pub gazetteer: &'static str,
}

/// The tokens of one sentence with their static features, flattened.
#[derive(Debug, Clone, Default)]
pub struct SentenceFeatures {
    /// Feature hashes of all tokens, token after token.
    features: Vec<u64>,
    /// Where each token's features start in `features` (plus one final entry).
    offsets: Vec<usize>,
    /// Match keys, for history features that pair a tag with the word.
    keys: Vec<u64>,
    /// Shapes, for history features that pair a tag with the shape.
    shapes: Vec<u64>,
}

/// Gazetteer feature names, by knowledge-base type and position in the match.
pub fn gazetteer_label(kind: &str, begin: bool) -> &'static str {
    match (kind, begin) {
        ("PER", true) => "B-PER",
        ("PER", false) => "I-PER",
        ("ORG", true) => "B-ORG",
        ("ORG", false) => "I-ORG",
        ("GPE", true) => "B-GPE",
        ("GPE", false) => "I-GPE",
        ("LOC", true) => "B-LOC",
        ("LOC", false) => "I-LOC",
        ("FAC", true) => "B-FAC",
        ("FAC", false) => "I-FAC",
        ("NORP", true) => "B-NORP",
        ("NORP", false) => "I-NORP",
        (_, true) => "B-MISC",
        (_, false) => "I-MISC",
    }
}

/// The view of one token of `doc`.
pub fn token_view(
    doc: &Document,
    token: &Token,
    proclitics: &[Vec<char>],
    gazetteer: &'static str,
) -> TokenView {
    let key_chars = doc.token_key(token);
    let key: String = key_chars.iter().collect();
    let stems = if token.arabic {
        proclitic_candidates(key_chars, proclitics)
            .into_iter()
            .filter(|&n| n > 0)
            .map(|n| {
                (
                    key_chars[n..].iter().collect(),
                    key_chars[..n].iter().collect(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    TokenView {
        key,
        shape: shape(doc.token_model(token), token.kind),
        stems,
        gazetteer,
    }
}

/// Word shape with runs collapsed: "Reuters" → "Xx", "U.S." → "X.X.", "1,200" → "d,d",
/// Arabic letters → "a".
fn shape(model: &[char], kind: TokenKind) -> String {
    let mut out = String::new();
    let mut last = None;
    for &c in model {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if crate::stages::gazetteer::is_arabic_letter(c) {
            'a'
        } else if c.is_alphabetic() {
            'l'
        } else {
            c
        };
        if last != Some(s) {
            out.push(s);
            last = Some(s);
        }
    }
    if kind == TokenKind::Number && out.len() > 6 {
        out.truncate(6);
    }
    out
}

/// A feature's hash: template name and value, separated so that "w=ab" and "wa=b" differ.
fn hash(buf: &mut String, parts: &[&str]) -> u64 {
    buf.clear();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            buf.push('\u{1}');
        }
        buf.push_str(p);
    }
    xxh3_64(buf.as_bytes())
}

const BOUNDARY: &str = "<s>";

impl SentenceFeatures {
    /// Computes the static features of every token of a sentence.
    pub fn new(tokens: &[TokenView]) -> Self {
        let mut out = SentenceFeatures {
            features: Vec::with_capacity(tokens.len() * 32),
            offsets: Vec::with_capacity(tokens.len() + 1),
            keys: Vec::with_capacity(tokens.len()),
            shapes: Vec::with_capacity(tokens.len()),
        };
        let mut buf = String::with_capacity(64);
        let key = |i: isize| -> &str {
            usize::try_from(i)
                .ok()
                .and_then(|i| tokens.get(i))
                .map_or(BOUNDARY, |t| t.key.as_str())
        };
        let shape_at = |i: isize| -> &str {
            usize::try_from(i)
                .ok()
                .and_then(|i| tokens.get(i))
                .map_or(BOUNDARY, |t| t.shape.as_str())
        };
        // The longest proclitic analysis of a neighbour (its bare word when none): context
        // words in Arabic mostly carry «و», «ب», «ال», which split their counts otherwise.
        let stem = |i: isize| -> &str {
            usize::try_from(i)
                .ok()
                .and_then(|i| tokens.get(i))
                .map_or(BOUNDARY, |t| {
                    t.stems.last().map_or(t.key.as_str(), |s| s.0.as_str())
                })
        };
        let suffix = |i: isize| -> &str {
            usize::try_from(i)
                .ok()
                .and_then(|i| tokens.get(i))
                .map_or(BOUNDARY, |t| {
                    let w = t.key.as_str();
                    let at = w.char_indices().rev().nth(2).map_or(0, |(b, _)| b);
                    &w[at..]
                })
        };
        let gaz = |i: isize| -> &str {
            usize::try_from(i)
                .ok()
                .and_then(|i| tokens.get(i))
                .map_or(BOUNDARY, |t| t.gazetteer)
        };
        for (n, t) in tokens.iter().enumerate() {
            out.offsets.push(out.features.len());
            let i = n as isize;
            let f = &mut out.features;
            let w = t.key.as_str();
            f.push(hash(&mut buf, &["bias"]));
            f.push(hash(&mut buf, &["w", w]));
            f.push(hash(&mut buf, &["w-1", key(i - 1)]));
            f.push(hash(&mut buf, &["w+1", key(i + 1)]));
            f.push(hash(&mut buf, &["w-2", key(i - 2)]));
            f.push(hash(&mut buf, &["w+2", key(i + 2)]));
            f.push(hash(&mut buf, &["w-1,w", key(i - 1), w]));
            f.push(hash(&mut buf, &["w,w+1", w, key(i + 1)]));
            f.push(hash(&mut buf, &["sh", &t.shape]));
            f.push(hash(&mut buf, &["sh-1", shape_at(i - 1)]));
            f.push(hash(&mut buf, &["sh+1", shape_at(i + 1)]));
            f.push(hash(
                &mut buf,
                &["sh-1,sh,sh+1", shape_at(i - 1), &t.shape, shape_at(i + 1)],
            ));
            if n == 0 {
                f.push(hash(&mut buf, &["first,sh", &t.shape]));
            }
            let chars: Vec<(usize, char)> = w.char_indices().collect();
            for k in 1..=4.min(chars.len()) {
                let end = chars.get(k).map_or(w.len(), |&(b, _)| b);
                f.push(hash(&mut buf, &["p", &w[..end]]));
                let start = chars[chars.len() - k].0;
                f.push(hash(&mut buf, &["s", &w[start..]]));
            }
            if tokens.iter().any(|t| !t.stems.is_empty()) {
                f.push(hash(&mut buf, &["st-1", stem(i - 1)]));
                f.push(hash(&mut buf, &["st+1", stem(i + 1)]));
                f.push(hash(&mut buf, &["st-2", stem(i - 2)]));
                f.push(hash(&mut buf, &["st+2", stem(i + 2)]));
            }
            f.push(hash(&mut buf, &["s3-1", suffix(i - 1)]));
            f.push(hash(&mut buf, &["s3+1", suffix(i + 1)]));
            for (stem, proclitic) in &t.stems {
                f.push(hash(&mut buf, &["stem", stem]));
                f.push(hash(&mut buf, &["pc", proclitic]));
            }
            f.push(hash(&mut buf, &["gz", t.gazetteer]));
            f.push(hash(&mut buf, &["gz-1", gaz(i - 1)]));
            f.push(hash(&mut buf, &["gz+1", gaz(i + 1)]));
            f.push(hash(&mut buf, &["gz,w", t.gazetteer, w]));
            out.keys.push(xxh3_64(w.as_bytes()));
            out.shapes.push(xxh3_64(t.shape.as_bytes()));
        }
        out.offsets.push(out.features.len());
        out
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the sentence has no tokens.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// All features of token `i` given the two previous tags, into `out`.
    pub fn features_at(&self, i: usize, prev: usize, prev2: usize, out: &mut Vec<u64>) {
        out.clear();
        out.extend_from_slice(&self.features[self.offsets[i]..self.offsets[i + 1]]);
        let mix = |a: u64, b: u64| a.rotate_left(17) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let t1 = 0x7431_0000 + prev as u64;
        let t2 = 0x7432_0000 + (prev2 as u64) * 64 + prev as u64;
        out.push(mix(0xA1, t1));
        out.push(mix(0xA2, t2));
        out.push(mix(mix(0xA3, t1), self.keys[i]));
        out.push(mix(mix(0xA4, t1), self.shapes[i]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        let s = |t: &str, k| shape(&t.chars().collect::<Vec<_>>(), k);
        assert_eq!(s("Reuters", TokenKind::Word), "Xx");
        assert_eq!(s("U.S.", TokenKind::Word), "X.X.");
        assert_eq!(s("1,200", TokenKind::Number), "d,d");
        assert_eq!(s("حلب", TokenKind::Word), "a");
    }

    #[test]
    fn history_changes_the_features_and_context_is_bounded() {
        let view = |k: &str| TokenView {
            key: k.into(),
            shape: "x".into(),
            stems: Vec::new(),
            gazetteer: "",
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
