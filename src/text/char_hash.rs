//! Hashing of character slices without building strings, for lookups on the hot path.
//!
//! Written by hand: the tables here are keyed by slices of the match key (`&[char]`), and
//! the crates for fast hashing work on bytes, which would mean encoding every word first.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a over the characters of a slice.
pub fn fnv_chars(chars: &[char]) -> u64 {
    fnv(chars.iter().copied())
}

/// FNV-1a over a sequence of characters.
pub fn fnv(chars: impl IntoIterator<Item = char>) -> u64 {
    chars.into_iter().fold(0xcbf2_9ce4_8422_2325u64, |h, c| {
        (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Passes a 64-bit key that is already a hash through unchanged: SipHash over it would
/// cost more than the rest of the lookup.
#[derive(Debug, Default, Clone, Copy)]
pub struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by hashes.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<PassThroughHasher>>;
