//! Exact and near-duplicate fingerprints.
//!
//! A re-scraped or lightly edited copy of a wire story must land next to the original, and
//! unrelated stories far from it. SimHash over three-word shingles of the match key does
//! that: each edit touches at most three shingles, so a few edits flip few of the 64 bits.

use xxhash_rust::xxh3::xxh3_64;

use crate::record::Fingerprint;

use super::document::{Document, TokenKind};

/// Words per shingle.
const SHINGLE: usize = 3;

/// Fingerprints of a document: xxh3-64 of the match key (the fully normalized text: equal
/// for copies that differ only in encoding, marks, spacing or letter variants), SimHash of
/// its word shingles.
pub fn fingerprint(doc: &Document) -> Fingerprint {
    Fingerprint {
        exact: format!("{:016x}", xxh3_64(doc.key_index.text.as_bytes())),
        simhash: format!("{:016x}", simhash(doc)),
    }
}

/// 64-bit SimHash over word shingles of the match key (punctuation ignored).
pub fn simhash(doc: &Document) -> u64 {
    let mut buf = String::new();
    let words: Vec<u64> = doc
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| {
            buf.clear();
            buf.extend(doc.token_key(t));
            xxh3_64(buf.as_bytes())
        })
        .collect();
    let mut counts = [0i32; 64];
    let mut add = |h: u64| {
        for (bit, count) in counts.iter_mut().enumerate() {
            *count += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    };
    if words.len() < SHINGLE {
        words.iter().for_each(|&w| add(w));
    } else {
        let mut bytes = [0u8; 8 * SHINGLE];
        for window in words.windows(SHINGLE) {
            for (i, w) in window.iter().enumerate() {
                bytes[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
            }
            add(xxh3_64(&bytes));
        }
    }
    counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// Number of differing bits between two SimHashes given as hex (None if either is not hex).
pub fn hamming(a: &str, b: &str) -> Option<u32> {
    let a = u64::from_str_radix(a, 16).ok()?;
    let b = u64::from_str_radix(b, 16).ok()?;
    Some((a ^ b).count_ones())
}
