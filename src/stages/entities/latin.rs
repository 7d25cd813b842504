//! Latin-script names for Arabic entities the knowledge bases lack.
//!
//! A reader of the English record should not meet «الرويحة» as an entity's only name. An
//! unlinked Arabic name is spelled from dictionaries first, then letter by letter:
//!
//! 1. the whole name in `data/entities/latin-ar.tsv` (full person names, name units and
//!    word pairs with their usual English spelling: «بشار الأسد» → "Bashar al-Assad");
//! 2. otherwise word by word: each word in the same table, or its stem after the article
//!    «ال» (written "al-");
//! 3. a word no dictionary knows is transliterated by `data/entities/translit-ar.tsv`, which
//!    says what Latin letters each Arabic letter writes in its context (two letters each
//!    side, backing off to fewer), as learned from about 45,000 single-word name pairs
//!    (`scripts/build-names`). Short vowels are not written in Arabic, so the table's
//!    chunks carry the vowels names usually have («البارة» → "al-Bara").
//!
//! The record says which of these gave the name (`name_source`). Both tables are frozen by
//! `build.rs` and read in place.

use super::tagger::name_tables::{PHRASE_SEED, phrase_hash, phrase_step, word_hash};
use crate::record::NameSource;
use crate::text::frozen_map::FrozenMap;

const LATIN_MAP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/latin-ar.map"));
const LATIN_STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/latin-ar.strings"));
const TRANSLIT_MAP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/translit-ar.map"));
const TRANSLIT_STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/translit-ar.strings"));

/// The spelling tables.
#[derive(Debug, Clone)]
pub struct LatinNames {
    spellings: Spellings,
    letters: Spellings,
}

/// One frozen table: phrase hash → a string of `strings`.
#[derive(Debug, Clone)]
struct Spellings {
    map: FrozenMap,
    strings: &'static str,
}

impl Spellings {
    fn new(map: &'static [u8], strings: &'static str) -> Option<Self> {
        Some(Spellings {
            map: FrozenMap::new(map)?,
            strings,
        })
    }

    fn get(&self, hash: u64) -> Option<&'static str> {
        let start = usize::try_from(self.map.get(hash)?).ok()?;
        let rest = self.strings.get(start..)?;
        Some(rest.split('\n').next().unwrap_or(rest))
    }
}

/// The article, as the match key writes it.
const ARTICLE: [char; 2] = ['ا', 'ل'];

impl LatinNames {
    /// The bundled tables; none when `build.rs` froze them wrongly.
    pub fn bundled() -> Option<Self> {
        Some(LatinNames {
            spellings: Spellings::new(LATIN_MAP, LATIN_STRINGS)?,
            letters: Spellings::new(TRANSLIT_MAP, TRANSLIT_STRINGS)?,
        })
    }

    /// The Latin name of an Arabic name given as its match-key words, and where it came
    /// from; none when a word holds anything but Arabic letters.
    pub fn name(&self, words: &[&[char]]) -> Option<(String, NameSource)> {
        if words.is_empty() || words.iter().any(|w| !w.iter().all(|&c| is_arabic(c))) {
            return None;
        }
        let whole = words.iter().fold(PHRASE_SEED, |h, w| {
            phrase_step(h, word_hash(w.iter().copied()))
        });
        if let Some(name) = self.spellings.get(whole) {
            return Some((name.to_string(), NameSource::Dictionary));
        }
        let mut source = NameSource::Dictionary;
        let spelled: Vec<String> = words
            .iter()
            .map(|w| {
                self.word(w).unwrap_or_else(|| {
                    source = NameSource::Transliterated;
                    self.transliterate(w)
                })
            })
            .collect();
        Some((spelled.join(" "), source))
    }

    /// A word's dictionary spelling, alone or after the article.
    fn word(&self, word: &[char]) -> Option<String> {
        if let Some(s) = self
            .spellings
            .get(phrase_step(PHRASE_SEED, word_hash(word.iter().copied())))
        {
            return Some(s.to_string());
        }
        let stem = word.strip_prefix(&ARTICLE[..]).filter(|s| s.len() >= 2)?;
        let s = self
            .spellings
            .get(phrase_step(PHRASE_SEED, word_hash(stem.iter().copied())))?;
        Some(format!("al-{s}"))
    }

    /// A word spelled letter by letter, capitalised, the article written "al-".
    fn transliterate(&self, word: &[char]) -> String {
        let (article, stem) = match word.strip_prefix(&ARTICLE[..]) {
            Some(stem) if stem.len() >= 2 => ("al-", stem),
            _ => ("", word),
        };
        let mut latin = String::new();
        let mut context = String::with_capacity(24);
        for i in 0..stem.len() {
            let chunk = contexts(stem, i).into_iter().find_map(|c| {
                context.clear();
                context.extend(c);
                self.letters.get(phrase_hash(&context))
            });
            latin.push_str(chunk.unwrap_or(""));
        }
        let mut chars = latin.chars();
        let capitalised: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{article}{capitalised}")
    }
}

/// The contexts of letter `i` of `word`, most specific first, as `build_translit.py` writes
/// them: five characters, with `^`/`$` beyond the word's ends and `_` for a letter not
/// looked at.
fn contexts(word: &[char], i: usize) -> [[char; 5]; 7] {
    let at = |k: isize| -> char {
        match usize::try_from(k) {
            Err(_) => '^',
            Ok(k) => word.get(k).copied().unwrap_or('$'),
        }
    };
    let i = i as isize;
    let (l2, l1, c, r1, r2) = (at(i - 2), at(i - 1), at(i), at(i + 1), at(i + 2));
    [
        [l2, l1, c, r1, r2],
        [l2, l1, c, r1, '_'],
        ['_', l1, c, r1, r2],
        ['_', l1, c, r1, '_'],
        ['_', '_', c, r1, '_'],
        ['_', l1, c, '_', '_'],
        ['_', '_', c, '_', '_'],
    ]
}

fn is_arabic(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> (String, NameSource) {
        let keys: Vec<Vec<char>> = crate::text::match_key(s)
            .split(' ')
            .map(|w| w.chars().collect())
            .collect();
        let words: Vec<&[char]> = keys.iter().map(Vec::as_slice).collect();
        LatinNames::bundled()
            .expect("tables")
            .name(&words)
            .expect("Arabic")
    }

    #[test]
    fn dictionary_names_come_whole() {
        assert_eq!(
            name("بشار الأسد"),
            ("Bashar al-Assad".into(), NameSource::Dictionary)
        );
    }

    #[test]
    fn unknown_words_are_transliterated_with_the_article() {
        let (latin, source) = name("الرويحة");
        assert_eq!(source, NameSource::Transliterated);
        assert!(latin.starts_with("al-R"), "{latin}");
        assert!(latin.is_ascii(), "{latin}");
    }

    #[test]
    fn the_name_tables_are_written_in_match_keys() {
        // scripts/build_names.py folds the dictionaries' Arabic as src/text/layers.rs does;
        // a table written otherwise would silently match nothing.
        for table in [
            include_str!("../../../data/entities/phrases-ar.tsv"),
            include_str!("../../../data/entities/latin-ar.tsv"),
        ] {
            for line in table.lines().filter(|l| !l.starts_with('#')).step_by(41) {
                let phrase = line.split('\t').next().unwrap_or_default();
                assert_eq!(crate::text::match_key(phrase), phrase, "{line}");
            }
        }
    }

    #[test]
    fn contexts_pad_the_word_ends() {
        let word: Vec<char> = "بين".chars().collect();
        assert_eq!(contexts(&word, 0)[0], ['^', '^', 'ب', 'ي', 'ن']);
        assert_eq!(contexts(&word, 2)[0], ['ب', 'ي', 'ن', '$', '$']);
    }

    #[test]
    fn words_in_other_scripts_get_no_latin_name() {
        let t = LatinNames::bundled().expect("tables");
        let w: Vec<char> = "Reuters".chars().collect();
        assert!(t.name(&[&w]).is_none());
    }
}
