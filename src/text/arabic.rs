//! Arabic morphology, as far as newsflow reads it: the proclitics fused to the front of a
//! word («و», «ب», «ال», «وبال»), the article among them, the pronouns fused to its end, and
//! the shape of an adjective of origin.
//!
//! The proclitic table (`data/normalize/arabic-proclitics.txt`) is a fact of the language,
//! not a setting: it is read once, on first use, and every stage asks this module rather
//! than carrying its own copy. All words here are match keys (see [`super::layers`]).

use std::sync::LazyLock;

use crate::table::Table;

const PROCLITICS_TABLE: &str = include_str!("../../data/normalize/arabic-proclitics.txt");

/// The proclitic sequences, in table order.
static PROCLITICS: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    Table::new("arabic-proclitics.txt", PROCLITICS_TABLE)
        .words()
        .map(|w| w.chars().collect())
        .collect()
});

/// Pronouns attached to the end of an Arabic word: «ها», «هم», «هما», «هن», «كم», «كما».
pub const ENCLITICS: [&[char]; 6] = [
    &['ه', 'ا'],
    &['ه', 'م'],
    &['ه', 'م', 'ا'],
    &['ه', 'ن'],
    &['ك', 'م'],
    &['ك', 'م', 'ا'],
];

/// The known proclitic sequences («و», «ب», «ال», «وبال», ...).
pub fn proclitics() -> &'static [Vec<char>] {
    &PROCLITICS
}

/// True when `prefix` is exactly one of the known proclitic sequences.
pub fn is_proclitic(prefix: &[char]) -> bool {
    PROCLITICS.iter().any(|p| p[..] == *prefix)
}

/// True when a proclitic sequence ends with the article («ال», «بال», or «لل» where the
/// article's alef is absorbed): names written without the article never take it.
pub fn carries_article(proclitic: &[char]) -> bool {
    proclitic.ends_with(&['ا', 'ل']) || proclitic.ends_with(&['ل', 'ل'])
}

/// True when an Arabic word starts with the article «ال».
pub fn has_article(word: &[char]) -> bool {
    word.starts_with(&['ا', 'ل'])
}

/// True when an Arabic word opens with a one-letter conjunction or preposition fused to the
/// article («والعراق», «بالقاهرة», «فالجيش», «كالعادة»), leaving a stem of two letters or more.
pub fn conjunction_before_article(word: &[char]) -> bool {
    word.len() > 4 && matches!(word[0], 'و' | 'ف' | 'ب' | 'ك') && has_article(&word[1..])
}

/// True for a word in the shape of a feminine adjective of origin («سورية», «عسكرية»): five
/// letters or more ending in «ية» (match key «يه»), without the article.
pub fn nisba_shaped(word: &[char]) -> bool {
    word.len() > 4 && word.ends_with(&['ي', 'ه']) && !has_article(word)
}

/// Proclitic analyses of an Arabic word: the lengths of the known proclitic sequences it
/// may start with, leaving a stem of at least two letters. Candidates, not decisions: the
/// word itself (length 0) is always the first.
pub fn proclitic_candidates(word: &[char]) -> Vec<usize> {
    let mut out = vec![0];
    for p in PROCLITICS.iter() {
        if word.len() >= p.len() + 2 && word.starts_with(p) {
            out.push(p.len());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The lengths of the conjunctions and prepositions fused to an Arabic word that leave its
/// article on it («و» in «والجيش», «ب» in «بما»), shortest first: the proclitic analyses
/// without those that take the article off.
pub fn conjunction_lengths(word: &[char]) -> Vec<usize> {
    let mut lengths = proclitic_candidates(word);
    lengths.retain(|&n| n > 0 && !carries_article(&word[..n]));
    lengths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn proclitics_are_candidates_and_the_article_stays_with_conjunctions() {
        assert_eq!(proclitic_candidates(&chars("بالمدينة")), vec![0, 1, 3]);
        assert_eq!(conjunction_lengths(&chars("والجيش")), vec![1]);
        assert!(is_proclitic(&chars("وبال")));
        assert!(!is_proclitic(&chars("بو")));
        assert!(carries_article(&chars("لل")));
        assert!(conjunction_before_article(&chars("والعراق")));
        assert!(!conjunction_before_article(&chars("العراق")));
        assert!(nisba_shaped(&chars("سوريه")));
        assert!(!nisba_shaped(&chars("السوريه")));
    }
}
