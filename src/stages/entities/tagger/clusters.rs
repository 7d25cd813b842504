//! Word clusters: what millions of unlabelled words say a word is like.
//!
//! The annotated corpora show the tagger some 200,000 words; a name it never saw is
//! recognised by the company it keeps elsewhere. A cluster table gives each word one code
//! per granularity, learned from unlabelled text: words used alike share codes ("reuters"
//! with "afp", «وزارة» with «هيئة»). The tagger reads the codes of a word and of its
//! neighbours as features (Ratinov and Roth 2009; Turian et al. 2010). The tables and their
//! layouts are described in [`super::name_tables`]; `build.rs` freezes the bundled ones.

use super::name_tables::{Layout, cluster_entries, word_hash};
use crate::text::char_hash::fnv;
use crate::text::frozen_map::{FrozenMap, freeze};

pub use super::name_tables::GRANULARITIES;

/// Cluster codes by word (match-key hash with digit runs folded).
#[derive(Debug, Clone)]
pub struct Clusters {
    /// Word hash → class id.
    words: FrozenMap,
    /// Each class's code hashes, coarse to fine (0: no code at that granularity).
    classes: Vec<[u64; GRANULARITIES]>,
}

impl Default for Clusters {
    fn default() -> Self {
        Clusters {
            words: FrozenMap::new(freeze(&[])).unwrap_or_else(|| unreachable!("empty map")),
            classes: Vec::new(),
        }
    }
}

impl Clusters {
    /// A table frozen by `build.rs`: its map and its classes (one line each, codes
    /// tab-separated); none when the map's bytes are not a frozen map.
    pub fn frozen(map: &'static [u8], classes: &str) -> Option<Self> {
        Some(Clusters {
            words: FrozenMap::new(map)?,
            classes: classes
                .lines()
                .map(|line| class_codes(line.split('\t')))
                .collect(),
        })
    }

    /// Parses a cluster table at run time; `name` says which file in errors.
    pub fn load(table: &str, name: &str, layout: Layout) -> Result<Self, String> {
        let (entries, classes) = cluster_entries(table, name, layout)?;
        Ok(Clusters {
            words: FrozenMap::new(freeze(&entries))
                .ok_or_else(|| format!("{name}: could not freeze the table"))?,
            classes: classes
                .iter()
                .map(|codes| class_codes(codes.iter().map(String::as_str)))
                .collect(),
        })
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the table holds no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The codes of a word given as its match key, or of the first of its stems (match
    /// keys after a proclitic) the table knows; zeros when none is known.
    pub fn codes_of<'k>(
        &self,
        key: &[char],
        stems: impl IntoIterator<Item = &'k [char]>,
    ) -> [u64; GRANULARITIES] {
        let class = |chars: &[char]| {
            self.words
                .get(word_hash(chars.iter().copied()))
                .and_then(|id| self.classes.get(id as usize))
        };
        if let Some(codes) = class(key) {
            return *codes;
        }
        stems
            .into_iter()
            .find_map(class)
            .map_or([0; GRANULARITIES], |codes| {
                codes.map(|c| if c == 0 { 0 } else { c ^ THROUGH_STEM })
            })
    }
}

/// The code hashes of one class from its codes, coarse to fine.
fn class_codes<'a>(codes: impl Iterator<Item = &'a str>) -> [u64; GRANULARITIES] {
    let mut out = [0u64; GRANULARITIES];
    for (g, code) in codes.take(GRANULARITIES).enumerate() {
        out[g] = code_hash(g, code);
    }
    out
}

/// Marks codes found through a stem.
const THROUGH_STEM: u64 = 0x0C1A_57E4_0C1A_57E4;

/// The hash of one code at one granularity (never 0: 0 means unknown). Plain FNV-1a: codes
/// are digits, which [`word_hash`] would fold.
fn code_hash(granularity: usize, code: &str) -> u64 {
    let h = fnv(code.chars()).rotate_left(7 * granularity as u32 + 1);
    h.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn bit_strings_give_prefixes_coarse_to_fine() {
        let table = "reuters\t1010011111110\nafp\t1010011111111\n";
        let c = Clusters::load(table, "t", Layout::BitString).expect("loads");
        let (r, a) = (c.codes_of(&key("reuters"), []), c.codes_of(&key("afp"), []));
        assert_eq!(r[0], a[0], "4-bit prefixes agree");
        assert_eq!(r[2], a[2], "10-bit prefixes agree");
        assert_ne!(r[3], a[3], "full paths differ");
        assert_eq!(c.codes_of(&key("unknown"), []), [0; GRANULARITIES]);
    }

    #[test]
    fn digit_runs_fold_and_stems_are_marked() {
        let c = Clusters::load("0\t5\t9\nالجيش\t1\t2\n", "t", Layout::Columns).expect("loads");
        assert_ne!(c.codes_of(&key("1999"), [])[0], 0);
        assert_eq!(c.codes_of(&key("1999"), []), c.codes_of(&key("7"), []));
        let stem = key("الجيش");
        let through = c.codes_of(&key("والجيش"), [&stem[..]]);
        assert_ne!(through[0], 0);
        assert_ne!(through, c.codes_of(&stem, []));
        assert_eq!(through[3], 0, "missing columns stay unknown");
    }

    #[test]
    fn malformed_rows_say_where() {
        let err =
            Clusters::load("a\t01x\n", "clusters-en.tsv", Layout::BitString).expect_err("refused");
        assert!(err.contains("clusters-en.tsv line 1"), "{err}");
        assert!(Clusters::load("a\n", "t", Layout::Columns).is_err());
    }
}
