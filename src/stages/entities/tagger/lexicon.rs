//! The Arabic word lexicon: what a large treebank says a word form usually is.
//!
//! ANERcorp and AQMAR hold about 200,000 annotated words; most of the names the tagger
//! misses are words it never saw. The Penn Arabic Treebank tags some 40,000 word forms of
//! newswire by part of speech, and a word it calls a proper noun is likely a name, one it
//! calls a verb or a common noun («أغلقت», «عناصر») likely not. `scripts/build-lexicon`
//! derives `data/entities/lexicon-ar.tsv` (word, then `TAG:count` pairs) from Stanford
//! CoreNLP's Arabic part-of-speech tagger, and this module reduces each word to one class:
//! its share of proper-noun readings or its usual part of speech, with how often the
//! treebank saw it. The tagger reads the class of each word and of its neighbours.
//!
//! Treebank words carry no proclitics («و», «ب», «ل» are split off; the article stays), so
//! a word not found whole is looked up by its stems after a proclitic.

use crate::table::{Table, TableError};
use crate::text::char_hash::{HashKeyed, fnv};
use crate::text::match_key;

/// Word classes by match-key hash.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    classes: HashKeyed<Class>,
}

/// What the lexicon knows of one word.
#[derive(Debug, Clone, Copy)]
struct Class {
    /// Hash of the class name ("P3", "VB2", ...).
    hash: u64,
    /// Seen three times or more, never or rarely (under one reading in five) as a proper
    /// noun, or only ever as a verb: a common word.
    common: bool,
    /// The usual coarse tag ("NNP" when mostly a proper noun).
    tag: &'static str,
}

/// The tag counts of one word (all its forms that fold to one match key).
#[derive(Debug, Default)]
struct Counts {
    proper: u32,
    total: u32,
    /// (coarse tag, count), in first-seen order.
    tags: Vec<(&'static str, u32)>,
}

impl Counts {
    fn add(&mut self, tag: &'static str, count: u32) {
        self.total += count;
        if tag == "NNP" {
            self.proper += count;
        } else if let Some(t) = self.tags.iter_mut().find(|t| t.0 == tag) {
            t.1 += count;
        } else {
            self.tags.push((tag, count));
        }
    }

    /// The share of the word's readings that are proper nouns.
    fn proper_share(&self) -> f64 {
        f64::from(self.proper) / f64::from(self.total.max(1))
    }

    /// Seen three times or more and under one reading in five a proper noun, or only ever
    /// a verb.
    fn common(&self) -> bool {
        let verb_only = self.proper == 0 && self.tags.iter().all(|t| t.0 == "VB");
        verb_only || self.total >= 3 && self.proper_share() < 0.2
    }

    /// The usual coarse tag: "NNP" for a proper noun in one reading of five or more.
    fn usual_tag(&self) -> &'static str {
        if self.proper_share() >= 0.2 {
            return "NNP";
        }
        self.tags
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map_or("NNP", |t| t.0)
    }

    /// The class: "P" (a proper noun in four readings of five or more), "Pm" (in one of
    /// five or more), else the usual coarse tag; then how often the treebank saw the word
    /// (1: once or twice, 2: up to twenty times, 3: more).
    fn class(&self) -> String {
        let class = match self.proper_share() {
            s if s >= 0.8 => "P",
            s if s >= 0.2 => "Pm",
            _ => self.usual_tag(),
        };
        let seen = match self.total {
            0..=2 => '1',
            3..=20 => '2',
            _ => '3',
        };
        format!("{class}{seen}")
    }
}

/// A treebank tag folded to the classes the features tell apart: the article («DT») and
/// number are dropped, verbs and adjectives of every kind are one class each.
fn coarse_tag(tag: &str) -> &'static str {
    let tag = match tag.strip_prefix("DT") {
        Some(rest) if !rest.is_empty() => rest,
        _ => tag,
    };
    match tag {
        "NNP" | "NNPS" => "NNP",
        "NN" | "NNS" | "NOUN_QUANT" => "NN",
        "VB" | "VBD" | "VBP" | "VBN" | "VBG" | "VN" => "VB",
        "JJ" | "JJR" | "ADJ_NUM" => "JJ",
        "CD" => "CD",
        "PUNC" => "PUNC",
        _ => "FUNC",
    }
}

impl Lexicon {
    /// Parses the lexicon table; `name` says which file in errors.
    pub fn load(table: &str, name: &str) -> Result<Self, TableError> {
        let mut words: HashKeyed<Counts> = HashKeyed::default();
        for row in Table::new(name, table).rows() {
            let line = row.text.trim_end();
            let bad = |what: &str| {
                row.invalid(format!(
                    "{what} in {line:?}; expected word<TAB>TAG:count ..."
                ))
            };
            let (word, tags) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
            let counts = words.entry(fnv(match_key(word).chars())).or_default();
            for pair in tags.split(' ') {
                let (tag, count) = pair.rsplit_once(':').ok_or_else(|| bad("no TAG:count"))?;
                let count: u32 = count
                    .parse()
                    .map_err(|_| bad("a count that is not a number"))?;
                counts.add(coarse_tag(tag), count);
            }
        }
        Ok(Lexicon {
            classes: words
                .into_iter()
                .map(|(word, counts)| {
                    let class = Class {
                        hash: fnv(counts.class().chars()),
                        common: counts.common(),
                        tag: counts.usual_tag(),
                    };
                    (word, class)
                })
                .collect(),
        })
    }

    /// Number of distinct words (match keys).
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// True when the lexicon holds no word.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The class hash of a word from the hashes of its match key and of its stems after a
    /// proclitic (shortest proclitic first); a class found through a stem is told apart
    /// from one found whole. 0 when neither is known.
    pub fn class_of(&self, word: u64, stems: impl IntoIterator<Item = u64>) -> u64 {
        if let Some(class) = self.classes.get(&word) {
            return class.hash;
        }
        stems
            .into_iter()
            .find_map(|stem| self.classes.get(&stem))
            .map_or(0, |class| class.hash.rotate_left(17) ^ THROUGH_STEM)
    }

    /// The usual coarse tag of the word of this match-key hash ("NNP", "NN", "JJ", "VB",
    /// "CD", "FUNC", "PUNC"), if the treebank knows it.
    pub fn usual_tag(&self, word: u64) -> Option<&'static str> {
        self.classes.get(&word).map(|c| c.tag)
    }

    /// True when the treebank knows the word of this match-key hash.
    pub fn knows(&self, word: u64) -> bool {
        self.classes.contains_key(&word)
    }

    /// True when the treebank knows a word (whole, or else by its first known stem after a
    /// proclitic) as a common word: seen three times or more, under one reading in five as
    /// a proper noun, or only ever as a verb. Hashes as for [`Lexicon::class_of`].
    pub fn is_common(&self, word: u64, stems: impl IntoIterator<Item = u64>) -> bool {
        self.classes
            .get(&word)
            .or_else(|| stems.into_iter().find_map(|stem| self.classes.get(&stem)))
            .is_some_and(|class| class.common)
    }
}

/// Marks a class found through a stem.
const THROUGH_STEM: u64 = 0x57E3_57E3_57E3_57E3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::char_hash::fnv_chars;

    /// The hash of a class name, as [`Lexicon::class_of`] returns it for a whole word.
    fn class_hash(class: &str) -> u64 {
        fnv(class.chars())
    }

    impl Lexicon {
        /// The class of a word given as text.
        fn class_of_text(&self, word: &str) -> u64 {
            let key: Vec<char> = match_key(word).chars().collect();
            self.class_of(fnv_chars(&key), std::iter::empty())
        }
    }

    const TABLE: &str = "# comment\nبوش\tNNP:262\nسوريا\tJJ:1 NN:1 NNP:248\n\
                         أغلقت\tVBD:2 VBN:4\nالأسد\tDTNN:2 DTNNP:76\nعناصر\tNN:131\n\
                         الاسد\tDTNNP:10\n";

    #[test]
    fn classes_say_proper_noun_or_usual_tag_and_how_often() {
        let lexicon = Lexicon::load(TABLE, "test").expect("loads");
        assert_eq!(lexicon.class_of_text("بوش"), class_hash("P3"));
        assert_eq!(lexicon.class_of_text("أغلقت"), class_hash("VB2"));
        assert_eq!(lexicon.class_of_text("عناصر"), class_hash("NN3"));
        // «الأسد» and «الاسد» fold to one key: their counts add up.
        assert_eq!(lexicon.class_of_text("الاسد"), class_hash("P3"));
        assert_eq!(lexicon.len(), 5);
        assert_eq!(lexicon.class_of_text("راؤول"), 0);
    }

    #[test]
    fn common_words_are_frequent_non_names_or_verbs() {
        let lexicon = Lexicon::load(TABLE, "test").expect("loads");
        let hash = |w: &str| fnv_chars(&match_key(w).chars().collect::<Vec<_>>());
        assert!(lexicon.is_common(hash("عناصر"), []));
        assert!(lexicon.is_common(hash("أغلقت"), []));
        assert!(!lexicon.is_common(hash("بوش"), []));
        assert!(!lexicon.is_common(hash("راؤول"), []));
        assert!(lexicon.is_common(hash("وعناصر"), [hash("عناصر")]));
    }

    #[test]
    fn a_stem_after_a_proclitic_is_looked_up_and_marked() {
        let lexicon = Lexicon::load(TABLE, "test").expect("loads");
        let stem = fnv_chars(&match_key("بوش").chars().collect::<Vec<_>>());
        let whole = fnv_chars(&match_key("وبوش").chars().collect::<Vec<_>>());
        let class = lexicon.class_of(whole, [stem]);
        assert_ne!(class, 0);
        assert_ne!(class, class_hash("P3"));
    }

    #[test]
    fn malformed_lines_say_where() {
        let err = Lexicon::load("بوش\tNNP:x\n", "lexicon-ar.tsv").expect_err("refused");
        assert!(err.to_string().contains("lexicon-ar.tsv line 1"), "{err}");
        assert!(Lexicon::load("بوش NNP:1\n", "t").is_err());
    }
}
