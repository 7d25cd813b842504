//! The one reader of the tagger's two large name tables, the word clusters and the name
//! gazetteer: their rows, their hashes, and the entries `build.rs` freezes into the binary.
//!
//! Compiled into `build.rs` too (by path), so that the hashes frozen at build time are the
//! ones looked up at run time; it uses nothing but `std`.
//!
//! - Clusters (`data/entities/clusters-*.tsv`): `word<TAB>code…`. A Brown table has one bit
//!   string per word, read as its prefixes of 4, 6, 10 and 20 bits (Ratinov and Roth
//!   2009); a flat table has one code per granularity, one column each.
//! - Phrases (`data/entities/phrases-*.tsv`): `phrase<TAB>id,id,…`, the ids of the
//!   gazetteers that list the phrase (under 31).
//! - Spellings (`data/entities/latin-ar.tsv`, `translit-ar.tsv`): `phrase<TAB>text…`, a
//!   string for each phrase, frozen as an offset into one text of all the strings.
//!
//! Words are match keys (clusters) or text as written (phrases), with every run of digits
//! folded to one `0`. Blank lines and lines starting with `#` are skipped.

/// Codes per word: the granularities the tagger reads.
pub const GRANULARITIES: usize = 4;

/// Prefix lengths of a Brown bit string, coarse to fine.
const BIT_PREFIXES: [usize; GRANULARITIES] = [4, 6, 10, 20];

/// The longest phrase the gazetteer matches, in words.
pub const MAX_PHRASE_WORDS: usize = 6;

/// FNV-1a over a word's characters with every run of digits folded to one `0`.
pub fn word_hash(chars: impl IntoIterator<Item = char>) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut in_digits = false;
    for c in chars {
        let digit = c.is_ascii_digit();
        if digit && in_digits {
            continue;
        }
        in_digits = digit;
        let c = if digit { '0' } else { c };
        h = (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash of a phrase of no words; [`phrase_step`] adds one word's [`word_hash`].
pub const PHRASE_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of a phrase extended by one word: matching extends a phrase word by word.
pub fn phrase_step(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(29) ^ word).wrapping_mul(0x0000_0100_0000_01b3)
}

/// The rows of a table: (line number, fields), comments and blank lines skipped.
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(n, line)| {
        let trimmed = line.trim();
        (!trimmed.is_empty() && !trimmed.starts_with('#'))
            .then(|| (n + 1, line.trim_end_matches('\r').split('\t').collect()))
    })
}

/// How a cluster table's codes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One Brown bit string per word, read as its prefixes.
    BitString,
    /// One code per granularity, one column each.
    Columns,
}

/// A cluster table read: (word hash, class id) entries, and each class's codes (up to
/// [`GRANULARITIES`], coarse to fine). Classes are numbered in the order of their codes.
pub type ClusterEntries = (Vec<(u64, u32)>, Vec<Vec<String>>);

/// Reads a cluster table; an error names the file and line and says what was expected.
pub fn cluster_entries(text: &str, name: &str, layout: Layout) -> Result<ClusterEntries, String> {
    let mut rows_read: Vec<(u64, Vec<String>)> = Vec::new();
    for (line, fields) in rows(text) {
        let bad = |what: &str| format!("{name} line {line}: {what}");
        if fields.len() < 2 || fields[1..].iter().any(|f| f.is_empty()) {
            return Err(bad("expected word<TAB>code…"));
        }
        let codes: Vec<String> = match layout {
            Layout::BitString => {
                let bits = fields[1];
                if !bits.bytes().all(|b| b == b'0' || b == b'1') {
                    return Err(bad(&format!(
                        "{bits:?} is not a Brown bit string; expected word<TAB>0110…"
                    )));
                }
                BIT_PREFIXES
                    .iter()
                    .map(|&n| bits[..n.min(bits.len())].to_string())
                    .collect()
            }
            Layout::Columns => fields[1..]
                .iter()
                .take(GRANULARITIES)
                .map(|c| c.to_string())
                .collect(),
        };
        rows_read.push((word_hash(fields[0].chars()), codes));
    }
    let mut classes: Vec<Vec<String>> = rows_read.iter().map(|r| r.1.clone()).collect();
    classes.sort();
    classes.dedup();
    let entries = rows_read
        .into_iter()
        .map(|(hash, codes)| {
            let id = classes.binary_search(&codes).unwrap_or(0);
            (hash, id as u32)
        })
        .collect();
    Ok((entries, classes))
}

/// Set on an entry whose phrase begins a longer one: matching goes on past it.
pub const PREFIX: u32 = 1 << 30;

/// The bits of an entry that say which gazetteers list the phrase.
pub const IDS: u32 = PREFIX - 1;

/// Reads a phrase table into (phrase hash, value) entries, sorted by hash: a phrase's value
/// holds the ids of its gazetteers (bit n for id n), and [`PREFIX`] when it begins a longer
/// phrase; the beginnings of phrases are entries too (ids 0), so that matching stops at the
/// first word sequence no phrase begins with. Phrases of more than [`MAX_PHRASE_WORDS`]
/// words are left out.
pub fn phrase_entries(text: &str, name: &str) -> Result<Vec<(u64, u32)>, String> {
    let mut values: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for (line, fields) in rows(text) {
        let bad = |what: String| format!("{name} line {line}: {what}");
        let [phrase, ids] = fields[..] else {
            return Err(bad("expected phrase<TAB>id,id…".to_string()));
        };
        let mut mask = 0u32;
        for id in ids.split(',') {
            match id.trim().parse::<u32>() {
                Ok(n) if n < 30 => mask |= 1 << n,
                _ => {
                    return Err(bad(format!(
                        "gazetteer id {id:?} is not a number under 30; expected phrase<TAB>id,id…"
                    )));
                }
            }
        }
        let words: Vec<&str> = phrase.split(' ').collect();
        if words.len() > MAX_PHRASE_WORDS {
            continue;
        }
        let mut hash = PHRASE_SEED;
        for (k, word) in words.iter().enumerate() {
            hash = phrase_step(hash, word_hash(word.chars()));
            let value = values.entry(hash).or_default();
            *value |= if k + 1 == words.len() { mask } else { PREFIX };
        }
    }
    let mut entries: Vec<(u64, u32)> = values.into_iter().collect();
    entries.sort_unstable();
    Ok(entries)
}

/// Reads a spelling table into (phrase hash, offset) entries, sorted by hash, and the text
/// the offsets point into: each string ends at a newline there. Only the first two fields
/// of a row are read.
#[allow(dead_code)] // Called by build.rs, which freezes the tables the library reads.
pub fn spelling_entries(text: &str, name: &str) -> Result<(Vec<(u64, u32)>, String), String> {
    let mut entries = Vec::new();
    let mut strings = String::new();
    let mut seen = std::collections::HashSet::new();
    for (line, fields) in rows(text) {
        let [phrase, spelling, ..] = fields[..] else {
            return Err(format!("{name} line {line}: expected phrase<TAB>spelling"));
        };
        let hash = phrase_hash(phrase);
        if !seen.insert(hash) {
            continue;
        }
        let offset = u32::try_from(strings.len())
            .map_err(|_| format!("{name} line {line}: the table is over 4 GB"))?;
        entries.push((hash, offset));
        strings.push_str(spelling);
        strings.push('\n');
    }
    entries.sort_unstable();
    Ok((entries, strings))
}

/// The hash of a phrase of words separated by single spaces, as matching computes it.
pub fn phrase_hash(phrase: &str) -> u64 {
    phrase
        .split(' ')
        .fold(PHRASE_SEED, |h, w| phrase_step(h, word_hash(w.chars())))
}
