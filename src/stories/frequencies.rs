//! Document frequencies: in how many articles a word or an entity appears, which is what
//! makes it rare and so telling of one story.
//!
//! Counted online over the articles seen, on top of a prior table counted over a large
//! unlabelled corpus (`data/stories/document-frequencies.tsv`, rebuilt by
//! `scripts/build-story-frequencies`). Without the prior a stream starts cold: on its first
//! day every word looks rare, and the first big story of a run falls apart into pieces.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use xxhash_rust::xxh3::xxh3_64;

use crate::table::{Table, TableError};

/// The bundled prior.
const PRIOR: &str = include_str!("../../data/stories/document-frequencies.tsv");
/// Its file name, for errors.
const PRIOR_FILE: &str = "document-frequencies.tsv";
/// The row key that holds the number of articles counted.
const ARTICLES_KEY: &str = "*";

/// The bundled prior, read once; an empty prior (and a logged error) if the table is
/// malformed, which a unit test rules out for the bundled one.
static BUNDLED: LazyLock<Counts> = LazyLock::new(|| {
    Counts::parse(PRIOR_FILE, PRIOR).unwrap_or_else(|e| {
        tracing::error!("the bundled story frequencies are malformed: {e}");
        Counts::default()
    })
});

/// Article count and per-key document frequencies, keys hashed as the profiles hash them.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    articles: u64,
    counts: HashMap<u64, u32>,
}

impl Counts {
    /// Reads a table of `key TAB count` rows, the `*` row holding the article count.
    pub fn parse(file: &str, text: &str) -> Result<Self, TableError> {
        let mut out = Counts::default();
        for row in Table::new(file, text).rows() {
            let [key, count] = row.columns::<2>()?;
            let count: u64 = row.parse(count, "a count")?;
            if key == ARTICLES_KEY {
                out.articles = count;
            } else {
                out.counts.insert(
                    xxh3_64(key.as_bytes()),
                    count.min(u64::from(u32::MAX)) as u32,
                );
            }
        }
        Ok(out)
    }

    /// The table of the keys of some articles (each a set of keys), keeping the keys seen
    /// in `min_df` articles or more, most frequent first (ties by key): what
    /// [`Counts::parse`] reads.
    pub fn table<'a>(articles: impl Iterator<Item = &'a BTreeSet<String>>, min_df: u32) -> String {
        let mut n = 0u64;
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for keys in articles {
            n += 1;
            keys.iter()
                .for_each(|k| *counts.entry(k.as_str()).or_default() += 1);
        }
        let mut rows: Vec<(&str, u32)> = counts.into_iter().filter(|&(_, c)| c >= min_df).collect();
        rows.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut out = format!("{ARTICLES_KEY}\t{n}\n");
        for (k, c) in rows {
            // A key with a tab or a line break would break the table; content words and
            // entity keys have none, but a name's match key comes from input text.
            if !k.contains(['\t', '\n', '\r']) {
                out.push_str(&format!("{k}\t{c}\n"));
            }
        }
        out
    }
}

/// Document frequencies over the articles seen, on top of the bundled prior.
#[derive(Debug)]
pub struct Frequencies {
    prior: &'static Counts,
    seen: Counts,
}

impl Default for Frequencies {
    fn default() -> Self {
        Self {
            prior: &BUNDLED,
            seen: Counts::default(),
        }
    }
}

impl Frequencies {
    /// Counts one more article with these keys.
    pub fn add(&mut self, keys: impl Iterator<Item = u64>) {
        self.seen.articles += 1;
        keys.for_each(|k| *self.seen.counts.entry(k).or_default() += 1);
    }

    /// The inverse document frequency of a key: `ln((N + 1) / (df + 1))`, prior and seen
    /// counts summed.
    pub fn idf(&self, key: u64) -> f32 {
        let df = self.prior.counts.get(&key).copied().unwrap_or(0)
            + self.seen.counts.get(&key).copied().unwrap_or(0);
        let n = self.prior.articles + self.seen.articles;
        ((n as f32 + 1.0) / (df as f32 + 1.0)).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_prior_reads_and_counts_articles() {
        let prior = Counts::parse(PRIOR_FILE, PRIOR).expect("bundled table");
        assert!(prior.articles > 10_000, "{}", prior.articles);
        assert!(prior.counts.len() > 10_000);
    }

    #[test]
    fn a_table_reads_back_and_common_keys_weigh_less() {
        let a: BTreeSet<String> = ["gaza", "toll"].map(String::from).into();
        let b: BTreeSet<String> = ["gaza", "embassy"].map(String::from).into();
        let text = Counts::table([&a, &b].into_iter(), 1);
        assert!(text.starts_with("*\t2\ngaza\t2\n"), "{text}");
        let counts = Counts::parse("t.tsv", &text).expect("table");
        let f = Frequencies {
            prior: Box::leak(Box::new(counts)),
            seen: Counts::default(),
        };
        let h = |k: &str| xxh3_64(k.as_bytes());
        assert!(f.idf(h("gaza")) < f.idf(h("toll")));
        assert!(f.idf(h("toll")) < f.idf(h("unseen")));
    }

    #[test]
    fn a_malformed_row_names_its_line() {
        let e = Counts::parse("t.tsv", "*\t2\ngaza\tmany\n").expect_err("bad count");
        assert_eq!(e.line, 2);
    }
}
