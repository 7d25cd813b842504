//! Exact and near-duplicate fingerprints.
//!
//! A re-scraped or lightly edited copy of a wire story must land next to the original, and
//! unrelated stories far from it. SimHash over three-word shingles of the match key does
//! that: each edit touches at most three shingles, so a few edits flip few of the 64 bits.

use xxhash_rust::xxh3::xxh3_64;

use crate::record::Fingerprint;
use crate::text::char_hash::fnv_chars;

use super::document::{Document, TokenKind};

/// For each byte value, its eight bits spread to the low bit of eight byte lanes.
const SPREAD: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut b = 0;
        while b < 8 {
            if (i >> b) & 1 == 1 {
                table[i] |= 1 << (8 * b);
            }
            b += 1;
        }
        i += 1;
    }
    table
};

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
    // Word ids: FNV-1a over the key's characters (no string built per word); the shingle
    // hash below mixes them with xxh3, so their own distribution matters little.
    let words: Vec<u64> = doc
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| fnv_chars(doc.token_key(t)))
        .collect();
    let mut majority = BitMajority::default();
    if words.len() < SHINGLE {
        words.iter().for_each(|&w| majority.add(w));
    } else {
        let mut bytes = [0u8; 8 * SHINGLE];
        for window in words.windows(SHINGLE) {
            for (i, w) in window.iter().enumerate() {
                bytes[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
            }
            majority.add(xxh3_64(&bytes));
        }
    }
    majority.finish()
}

/// The bits set in more than half of the hashes added.
///
/// Counted a byte of the hash at a time: [`SPREAD`] puts each of a byte's bits in its own
/// byte lane, so one addition counts eight positions; the lanes are emptied into `ones`
/// before they can overflow (255 additions).
#[derive(Debug)]
struct BitMajority {
    ones: [u32; 64],
    lanes: [u64; 8],
    pending: u32,
    hashes: u32,
}

impl Default for BitMajority {
    fn default() -> Self {
        BitMajority {
            ones: [0; 64],
            lanes: [0; 8],
            pending: 0,
            hashes: 0,
        }
    }
}

impl BitMajority {
    fn add(&mut self, h: u64) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            *lane += SPREAD[((h >> (8 * k)) & 0xff) as usize];
        }
        self.hashes += 1;
        self.pending += 1;
        if self.pending == 255 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            for b in 0..8 {
                self.ones[8 * k + b] += ((*lane >> (8 * b)) & 0xff) as u32;
            }
            *lane = 0;
        }
        self.pending = 0;
    }

    fn finish(mut self) -> u64 {
        self.flush();
        self.ones
            .iter()
            .enumerate()
            .filter(|(_, c)| 2 * **c > self.hashes)
            .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
    }
}

/// Number of differing bits between two SimHashes given as hex (None if either is not hex).
pub fn hamming(a: &str, b: &str) -> Option<u32> {
    let a = u64::from_str_radix(a, 16).ok()?;
    let b = u64::from_str_radix(b, 16).ok()?;
    Some((a ^ b).count_ones())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_majority_counts_like_a_plain_count_past_the_lane_limit() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let hashes: Vec<u64> = (0..1000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Skew some bits so that the majority is not a coin toss.
                if i % 3 == 0 { x | 0xF0 } else { x & !0xF000 }
            })
            .collect();
        for n in [1, 2, 254, 255, 256, 600, 1000] {
            let mut m = BitMajority::default();
            hashes[..n].iter().for_each(|&h| m.add(h));
            let plain = (0..64).fold(0u64, |acc, bit| {
                let ones = hashes[..n].iter().filter(|h| (*h >> bit) & 1 == 1).count();
                if 2 * ones > n { acc | 1 << bit } else { acc }
            });
            assert_eq!(m.finish(), plain, "{n} hashes");
        }
    }
}
