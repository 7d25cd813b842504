//! A cross-script key for names: the consonant skeleton that an Arabic spelling and its
//! Latin romanisations share («ميغيل دياز كانيل» and "Miguel Díaz-Canel" both give
//! `MGLDZKNL`), so that an entity no knowledge base links can still meet itself across
//! Arabic and English copy.
//!
//! Written by hand because no crate transliterates between Arabic and Latin both ways: the
//! classes are in `data/text/sound-classes.tsv`. Vowels, glides, hamza and ain are dropped
//! (Arabic leaves short vowels unwritten), the Arabic article and its Latin forms (`al-`,
//! `el-`) are dropped, and a repeated class is written once ("Abbott", «أبوت»: `BT`).

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::table::Table;

/// Letter sequences and their classes, longest first.
static CLASSES: LazyLock<Vec<(Vec<char>, &'static str)>> = LazyLock::new(|| {
    let file = "sound-classes.tsv";
    let text = include_str!("../../data/text/sound-classes.tsv");
    let mut classes: Vec<(Vec<char>, &'static str)> = Table::new(file, text)
        .rows()
        .filter_map(|row| match row.columns::<2>() {
            Ok([letters, class]) => Some((letters.chars().collect(), class)),
            Err(e) => {
                tracing::error!("{e}");
                None
            }
        })
        .collect();
    classes.sort_by_key(|(letters, _)| std::cmp::Reverse(letters.len()));
    classes
});

/// The cross-script key of a name; empty when it has no letter the classes know.
pub fn sound_key(name: &str) -> String {
    let folded: String = name
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut key = String::new();
    for word in folded.split(|c: char| !c.is_alphanumeric() && c != '-') {
        let word = strip_article(word);
        for part in word.split('-').filter(|p| !p.is_empty()) {
            push_classes(&strip_article(part).chars().collect::<Vec<_>>(), &mut key);
        }
    }
    key
}

/// The word without the Arabic article («ال») or a Latin form of it (`al-`, `el-`, `al`
/// alone is kept: it may be a name).
fn strip_article(word: &str) -> &str {
    for article in ["al-", "el-", "ال"] {
        if let Some(rest) = word.strip_prefix(article)
            && rest.chars().count() >= 2
        {
            return rest;
        }
    }
    word
}

/// Appends the classes of a word's letters, a class equal to the last written once.
fn push_classes(word: &[char], key: &mut String) {
    let mut i = 0;
    while i < word.len() {
        let found = CLASSES
            .iter()
            .find(|(letters, _)| word[i..].starts_with(letters));
        match found {
            Some((letters, class)) => {
                if *class != "-" && !key.ends_with(class) {
                    key.push_str(class);
                }
                i += letters.len();
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_latin_spellings_meet() {
        for (ar, en) in [
            ("ميغيل دياز كانيل", "Miguel Díaz-Canel"),
            ("هولغين", "Holguin"),
            ("هافانا", "Havana"),
            ("بشار الأسد", "Bashar al-Assad"),
            ("يوسف", "Youssef"),
            ("كوبانا", "Cubana"),
        ] {
            assert_eq!(sound_key(ar), sound_key(en), "{ar} / {en}");
            assert!(!sound_key(ar).is_empty());
        }
    }

    #[test]
    fn different_names_differ_and_odd_input_is_empty() {
        assert_ne!(sound_key("Havana"), sound_key("Holguin"));
        assert_eq!(sound_key("123 !!"), "");
        assert_eq!(sound_key(""), "");
    }
}
