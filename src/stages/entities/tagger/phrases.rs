//! A large name gazetteer read as features: which kinds of name a phrase has been.
//!
//! The knowledge base links the actors and places a reader asks about; the tagger needs
//! far more names than that to recognise what it never saw in training: clubs, companies,
//! leagues, works, people. NLP4J's English named-entity gazetteer lists 1.59 million
//! phrases, each with the ids of the gazetteers (Wikipedia and DBpedia classes) that hold it;
//! `scripts/build-clusters` dumps it as `phrase<TAB>id,id,…`. A sentence's tokens are
//! matched longest first, left to right, and each matched token reads the set of ids with
//! its position (first or later) as one feature (Ratinov and Roth 2009).
//!
//! Phrases are matched on the model text as written (case counts: "Bush" and "bush" are
//! not one name), with every run of digits folded to one `0`, as NLP4J writes them.

use super::name_tables::{
    IDS, MAX_PHRASE_WORDS, PHRASE_SEED, PREFIX, phrase_entries, phrase_step, word_hash,
};
use crate::text::frozen_map::{FrozenMap, freeze};

/// Gazetteer id masks by phrase hash.
#[derive(Debug, Clone)]
pub struct Phrases {
    ids: FrozenMap,
}

impl Phrases {
    /// A table frozen by `build.rs`; none when the bytes are not a frozen map.
    pub fn frozen(map: &'static [u8]) -> Option<Self> {
        Some(Phrases {
            ids: FrozenMap::new(map)?,
        })
    }

    /// Parses a phrase table at run time; `name` says which file in errors.
    pub fn load(table: &str, name: &str) -> Result<Self, String> {
        let entries = phrase_entries(table, name)?;
        Ok(Phrases {
            ids: FrozenMap::new(freeze(&entries))
                .ok_or_else(|| format!("{name}: could not freeze the table"))?,
        })
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the table holds no phrase.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The feature value of each of `words` (a sentence's tokens as written): the matched
    /// phrase's id set, with bit 31 set on its first token; 0 outside every phrase.
    /// Phrases are matched longest first, left to right; words in capitals
    /// ("LEICESTERSHIRE BEAT SOMERSET") are looked up title-cased as well, as the gazetteer
    /// writes its names.
    pub fn label(&self, words: &[&[char]]) -> Vec<u32> {
        let as_written: Vec<u64> = words.iter().map(|w| word_hash(w.iter().copied())).collect();
        let titled: Vec<u64> = words
            .iter()
            .zip(&as_written)
            .map(|(w, &h)| title_case_hash(w).unwrap_or(h))
            .collect();
        cover(words.len(), |i| {
            self.longest(&as_written[i..]).or_else(|| {
                (titled[i] != as_written[i])
                    .then(|| self.longest(&titled[i..]))
                    .flatten()
            })
        })
    }

    /// The feature value of each word of an Arabic sentence, as [`Phrases::label`] gives
    /// them, from the words' match-key hashes (`keys`, made with [`word_hash`]): a phrase
    /// may also begin at the stem of its first word after a proclitic («وبشار الأسد»), and
    /// `stems(i)` gives the stem hashes of word `i` to try when the word itself begins none.
    pub fn label_keys<S>(&self, keys: &[u64], stems: impl Fn(usize) -> S) -> Vec<u32>
    where
        S: IntoIterator<Item = u64>,
    {
        cover(keys.len(), |i| {
            let rest = &keys[i + 1..];
            self.longest_from(keys[i], rest).or_else(|| {
                stems(i)
                    .into_iter()
                    .find_map(|stem| self.longest_from(stem, rest))
            })
        })
    }

    /// The longest phrase that `words` (word hashes) begin with: its length and ids.
    fn longest(&self, words: &[u64]) -> Option<(usize, u32)> {
        let (&first, rest) = words.split_first()?;
        self.longest_from(first, rest)
    }

    /// The longest phrase that begins with `first` and goes on with `rest`.
    fn longest_from(&self, first: u64, rest: &[u64]) -> Option<(usize, u32)> {
        let mut hash = PHRASE_SEED;
        let mut found = None;
        let words = std::iter::once(&first).chain(rest);
        for (n, &word) in words.take(MAX_PHRASE_WORDS).enumerate() {
            hash = phrase_step(hash, word);
            let Some(value) = self.ids.get(hash) else {
                break;
            };
            if value & IDS != 0 {
                found = Some((n + 1, value & IDS));
            }
            if value & PREFIX == 0 {
                break;
            }
        }
        found
    }
}

/// The hash of a word in capitals title-cased ("LEICESTERSHIRE" → "Leicestershire"); none
/// for other words (an acronym of up to three letters stays as it is: "BBC", "U.S.").
fn title_case_hash(word: &[char]) -> Option<u64> {
    let letters = word.iter().filter(|c| c.is_alphabetic()).count();
    if letters < 4 || word.iter().any(|c| c.is_lowercase()) {
        return None;
    }
    Some(word_hash(word.iter().enumerate().map(|(k, &c)| {
        if k == 0 {
            c
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    })))
}

/// The feature values of `n` words from the phrase `found` at each position (its length
/// and ids), left to right: a match covers its words, the first marked [`FIRST`].
fn cover(n: usize, found: impl Fn(usize) -> Option<(usize, u32)>) -> Vec<u32> {
    let mut out = vec![0u32; n];
    let mut i = 0;
    while i < n {
        match found(i) {
            Some((len, ids)) => {
                out[i] = ids | FIRST;
                for o in &mut out[i + 1..i + len] {
                    *o = ids;
                }
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// Marks the first token of a match.
const FIRST: u32 = 1 << 31;

#[cfg(test)]
mod tests {
    use super::*;

    fn label(p: &Phrases, s: &str) -> Vec<u32> {
        let words: Vec<Vec<char>> = s.split(' ').map(|w| w.chars().collect()).collect();
        let refs: Vec<&[char]> = words.iter().map(Vec::as_slice).collect();
        p.label(&refs)
    }

    #[test]
    fn longest_phrase_wins_and_marks_its_first_token() {
        let p =
            Phrases::load("New York\t6,11\nYork\t14\nManchester United\t13\n", "t").expect("loads");
        let got = label(&p, "in New York today");
        assert_eq!(got[0], 0);
        assert_eq!(got[1], (1 << 6 | 1 << 11) | FIRST);
        assert_eq!(got[2], 1 << 6 | 1 << 11);
        assert_eq!(got[3], 0);
        assert_eq!(label(&p, "York"), vec![1 << 14 | FIRST]);
        assert_eq!(label(&p, "new york"), vec![0, 0], "case counts");
    }

    #[test]
    fn an_arabic_phrase_may_begin_after_a_proclitic() {
        let p = Phrases::load("بشار الاسد\t0\n", "t").expect("loads");
        let hash = |w: &str| word_hash(w.chars());
        let keys = [hash("قال"), hash("وبشار"), hash("الاسد")];
        let stems = [vec![], vec![hash("بشار")], vec![]];
        assert_eq!(
            p.label_keys(&keys, |i| stems[i].clone()),
            vec![0, 1 | FIRST, 1]
        );
        assert_eq!(
            p.label_keys(&keys, |_| None),
            vec![0, 0, 0],
            "no stems, no match"
        );
    }

    #[test]
    fn malformed_rows_say_where() {
        let err = Phrases::load("Reuters\tx\n", "phrases-en.tsv").expect_err("refused");
        assert!(err.contains("phrases-en.tsv line 1"), "{err}");
    }
}
