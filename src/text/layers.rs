//! The two working layers of a text, each mapped back to the original.
//!
//! Taggers read the *model text*; gazetteers, linking, dedup and speaker matching read the
//! *match key*. Both are derived from the original in one pass, and for every character of
//! them we keep the range of original code points it came from. That one table is what lets
//! every stage work on clean text while every span newsflow emits points into the text as
//! received.
//!
//! Model text: Unicode NFC; bidi and format controls removed; every kind of space becomes
//! U+0020 (line breaks stay); Arabic presentation forms expanded (ﻻ → لا); tatweel,
//! harakat (U+064B–0652), dagger alef (U+0670) and Quranic marks (U+0610–061A,
//! U+06D6–06ED) removed; hamza and madda sequences composed (NFC does it). No letter folding.
//!
//! Match key: the model text, one character for one, with أ إ آ ٱ → ا, ى → ي, ة → ه,
//! ؤ → و, ئ → ي, Persian ک → ك and ی → ي, Arabic-Indic and Persian digits → ASCII, and
//! Latin letters lower-cased where that stays one character. ى is never mapped to ا.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Model text and match key of one original text, with the map back to original offsets.
#[derive(Debug, Clone, Default)]
pub struct TextLayers {
    /// Model text, one `char` per element.
    pub model: Vec<char>,
    /// Match key: same length as `model`, character for character.
    pub key: Vec<char>,
    /// For model character `i`, the original code points it came from: `[start, end)`.
    orig: Vec<[u32; 2]>,
    /// Length of the original in code points.
    orig_len: usize,
}

impl TextLayers {
    /// Builds both layers from the original text in one pass (linear in its length).
    pub fn build(original: &str) -> Self {
        Self::build_with_offsets(original).0
    }

    /// Builds both layers, and the byte offset of each original code point (plus one for
    /// the end), in the same pass.
    pub fn build_with_offsets(original: &str) -> (Self, Vec<u32>) {
        let mut bytes: Vec<u32> = Vec::with_capacity(original.len() + 1);
        let mut layers = TextLayers {
            model: Vec::with_capacity(original.len()),
            key: Vec::with_capacity(original.len()),
            orig: Vec::with_capacity(original.len()),
            orig_len: 0,
        };
        let mut chars = original
            .char_indices()
            .inspect(|&(b, _)| bytes.push(b as u32))
            .map(|(_, c)| c)
            .peekable();
        let mut index = 0u32;
        let mut cluster: Vec<char> = Vec::new();
        while let Some(c) = chars.next() {
            // A cluster is a starter and the non-starters that follow it: NFC only ever
            // composes within one, so the rest of the text can skip normalization entirely.
            let follows_mark = chars.peek().is_some_and(|&n| is_non_starter(n));
            if !follows_mark && is_plain(c) {
                // The common case, letter for letter: nothing to drop, expand or compose.
                layers.model.push(c);
                layers.key.push(key_char(c));
                layers.orig.push([index, index + 1]);
                index += 1;
                continue;
            }
            if !follows_mark {
                layers.push_original(c, index, index + 1);
                index += 1;
                continue;
            }
            cluster.clear();
            cluster.push(c);
            while let Some(&n) = chars.peek() {
                if !is_non_starter(n) {
                    break;
                }
                cluster.push(n);
                chars.next();
            }
            let start = index;
            let end = index + cluster.len() as u32;
            // Every character NFC makes of the cluster maps to the whole cluster: marks are
            // removed from the model text anyway, and a base letter's span then includes
            // its marks, which is what a reader selects.
            for composed in cluster.iter().copied().nfc() {
                layers.push_original(composed, start, end);
            }
            index = end;
        }
        drop(chars);
        layers.orig_len = index as usize;
        bytes.push(original.len() as u32);
        (layers, bytes)
    }

    /// Adds one (NFC) original character covering original range `start..end`.
    fn push_original(&mut self, c: char, start: u32, end: u32) {
        if is_presentation_form(c) {
            // Compatibility decomposition gives the plain letters (ﻻ → لا, ﻷ → لأ).
            for expanded in std::iter::once(c).nfkc() {
                self.push_model(expanded, start, end);
            }
        } else {
            self.push_model(c, start, end);
        }
    }

    /// Adds one character to the model text, unless the model text drops it.
    fn push_model(&mut self, c: char, start: u32, end: u32) {
        let Some(m) = model_char(c) else { return };
        self.model.push(m);
        self.key.push(key_char(m));
        self.orig.push([start, end]);
    }

    /// Length of the model text (and the match key) in characters.
    pub fn len(&self) -> usize {
        self.model.len()
    }

    /// True when nothing of the original survived into the model text.
    pub fn is_empty(&self) -> bool {
        self.model.is_empty()
    }

    /// Length of the original in code points.
    pub fn original_len(&self) -> usize {
        self.orig_len
    }

    /// Maps a span `start..end` of the model text or the match key (they share offsets)
    /// to the original span it came from, in code points, end exclusive.
    ///
    /// The map is monotonic: if `a <= b` then `to_original(a, _).0 <= to_original(b, _).0`.
    /// An empty span maps to an empty span at the position of the next character.
    pub fn to_original(&self, start: usize, end: usize) -> (usize, usize) {
        let n = self.model.len();
        let start = start.min(n);
        let end = end.clamp(start, n);
        let orig_start = if start < n {
            self.orig[start][0] as usize
        } else {
            self.orig_len
        };
        if end == start {
            return (orig_start, orig_start);
        }
        (orig_start, self.orig[end - 1][1] as usize)
    }

    /// The model text of a range as a `String`.
    pub fn model_str(&self, start: usize, end: usize) -> String {
        self.model[start..end].iter().collect()
    }

    /// The match key of a range as a `String`.
    pub fn key_str(&self, start: usize, end: usize) -> String {
        self.key[start..end].iter().collect()
    }
}

/// The match key of any string, with the same rules as [`TextLayers`]: used to build
/// gazetteer patterns that meet the text's key.
pub fn match_key(text: &str) -> String {
    let layers = TextLayers::build(text);
    layers.key.iter().collect()
}

/// True for characters with a non-zero canonical combining class (marks that NFC may
/// compose with the character before them). ASCII and Arabic letters answer from their
/// ranges: the table lookup is the slow path, and this runs on every character.
fn is_non_starter(c: char) -> bool {
    if c.is_ascii() || ('\u{0621}'..='\u{064A}').contains(&c) {
        return false;
    }
    canonical_combining_class(c) != 0
}

/// Arabic letters (without tatweel) and printable ASCII: kept as they are in the model text.
#[inline]
fn is_plain(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | ' '..='~')
}

/// Arabic presentation forms A and B (U+FB50–FDFF, U+FE70–FEFE).
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

/// What the model text makes of one NFC character: `None` drops it.
fn model_char(c: char) -> Option<char> {
    match c {
        // Bidi and format controls, BOM, soft hyphen.
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\u{00AD}' => None,
        // Tatweel, harakat, dagger alef, Quranic marks.
        '\u{0640}'
        | '\u{064B}'..='\u{0652}'
        | '\u{0670}'
        | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06ED}' => None,
        // A carriage return before a line feed carries nothing the line feed does not.
        '\r' => None,
        '\n' => Some('\n'),
        // Arabic letters and printable ASCII are kept as they are (the common case, first).
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '!'..='~' => Some(c),
        // Every other space or control character reads as a plain space.
        c if c.is_whitespace() || c.is_control() => Some(' '),
        c => Some(c),
    }
}

/// The match-key character of one model-text character.
fn key_char(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' | 'ئ' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ک' => 'ك',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        'A'..='Z' => c.to_ascii_lowercase(),
        c if c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) => c,
        c if c.is_uppercase() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn original_slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn tanween_and_tatweel_leave_the_model_text_but_spans_keep_them() {
        let text = "تلقت وعداً من روسيا بـ\u{0640}\u{0640}الدعم";
        let layers = TextLayers::build(text);
        let model: String = layers.model.iter().collect();
        assert_eq!(model, "تلقت وعدا من روسيا بـالدعم".replace('ـ', ""));
        // "وعدا" in the model text maps back to "وعداً" with its tanween.
        let pos = model.chars().collect::<Vec<_>>();
        let at = model
            .find("وعدا")
            .map(|b| model[..b].chars().count())
            .unwrap();
        assert_eq!(pos[at], 'و');
        let (s, e) = layers.to_original(at, at + 4);
        assert_eq!(original_slice(text, s, e), "وعداً");
    }

    #[test]
    fn presentation_forms_expand_and_map_to_their_one_original_character() {
        let text = "\u{FEFB}جئ"; // ﻻ ligature
        let layers = TextLayers::build(text);
        assert_eq!(layers.model_str(0, 2), "لا");
        assert_eq!(layers.to_original(0, 1), (0, 1));
        assert_eq!(layers.to_original(1, 2), (0, 1));
    }

    #[test]
    fn hamza_sequences_compose() {
        // alef + hamza above → أ ; alef + madda above → آ
        let text = "\u{0627}\u{0654}\u{062D}\u{0645}\u{062F} \u{0627}\u{0653}\u{062E}\u{0631}";
        let layers = TextLayers::build(text);
        assert_eq!(layers.model_str(0, layers.len()), "أحمد آخر");
        assert_eq!(layers.key_str(0, layers.len()), "احمد اخر");
        assert_eq!(layers.to_original(0, 1), (0, 2));
    }

    #[test]
    fn match_key_folds_letters_and_digits_but_never_alef_maqsura_to_alef() {
        assert_eq!(match_key("إلى مدرسة ٧٢ مؤتمر"), "الي مدرسه 72 موتمر");
        assert_eq!(match_key("Reuters"), "reuters");
    }

    #[test]
    fn format_controls_and_odd_spaces() {
        let text = "a\u{200F}b\u{00A0}c\r\nd";
        let layers = TextLayers::build(text);
        assert_eq!(layers.model_str(0, layers.len()), "ab c\nd");
        assert_eq!(layers.to_original(1, 2), (2, 3));
    }

    fn mixed_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "حلب",
            "الجيش",
            "ً",
            "ٌ",
            "ـ",
            "\u{0654}",
            "\u{0653}",
            "ا",
            "ﻻ",
            "ﷺ",
            "e\u{301}",
            "\u{200F}",
            "\u{00A0}",
            "\r\n",
            " ",
            "\n\n",
            "Reuters",
            "𝒜",
            "😀",
            "\u{E000}",
            "\u{0378}",
            "\u{0301}",
            "٧٢",
            "ة",
            "ى",
            ".",
            "«",
            "»",
            "ک",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn the_map_is_monotonic_covers_the_text_and_round_trips(
            text in prop_oneof![mixed_text(), any::<String>()]
        ) {
            let layers = TextLayers::build(&text);
            let n = layers.len();
            prop_assert_eq!(layers.key.len(), n);
            prop_assert_eq!(layers.original_len(), text.chars().count());
            let mut last = (0, 0);
            for i in 0..n {
                let (s, e) = layers.to_original(i, i + 1);
                prop_assert!(s < e && e <= layers.original_len());
                prop_assert!(s >= last.0 && e >= last.1, "not monotonic at {}", i);
                last = (s, e);
            }
            // Whole-text span covers everything but dropped characters at the edges.
            let (s, e) = layers.to_original(0, n);
            prop_assert!(s <= e && e <= layers.original_len());
            // Round trip: the original text of any model span, rebuilt, gives that span's
            // model text back.
            for a in 0..n.min(12) {
                for b in a..n.min(a + 6) {
                    let (s, e) = layers.to_original(a, b + 1);
                    let again = TextLayers::build(&original_slice(&text, s, e));
                    let model: String = again.model.iter().collect();
                    prop_assert!(model.contains(&layers.model_str(a, b + 1)),
                        "{:?} not in {:?}", layers.model_str(a, b + 1), model);
                }
            }
        }
    }
}
