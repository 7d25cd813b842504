//! A hash map frozen into bytes at build time: large tables that load in no time.
//!
//! The English name gazetteer (1.6 million phrases) and word clusters (600,000 words) would
//! take half a second to parse and hash at every start; `build.rs` builds them once, at
//! compile time, into open-addressing tables the binary carries, and lookups read the bytes
//! in place. Written by hand: the crates that freeze maps (phf, fst) either build in
//! minutes at this size or answer ordered-set queries we do not need, and this is 60 lines.
//!
//! Layout, little-endian: `NFFM`, then the capacity's log2 (u32) and the number of entries
//! (u32), then `capacity` slots of (tag u32, value u32). A key is a 64-bit hash: its low
//! bits pick the first slot, its high 32 bits (with the lowest bit set, so never 0) are the
//! tag, and probing is linear. Tag 0 marks an empty slot.
//!
//! This file is also compiled into `build.rs` (by path), so it uses nothing but `std`.

/// The magic bytes a frozen map starts with.
const MAGIC: &[u8; 4] = b"NFFM";
/// Header length in bytes.
const HEADER: usize = 12;

/// The tag of a key hash: its high half, never 0.
fn tag(hash: u64) -> u32 {
    ((hash >> 32) as u32) | 1
}

/// Freezes `(hash, value)` pairs into the layout above, at a load factor of at most 0.8.
/// A later pair with the same hash replaces an earlier one.
pub fn freeze(entries: &[(u64, u32)]) -> Vec<u8> {
    let mut log2 = 4u32;
    while (1usize << log2) * 4 < entries.len() * 5 {
        log2 += 1;
    }
    let mask = (1usize << log2) - 1;
    let mut slots = vec![(0u32, 0u32); mask + 1];
    let mut count = 0u32;
    for &(hash, value) in entries {
        let mut i = hash as usize & mask;
        loop {
            if slots[i].0 == 0 {
                slots[i] = (tag(hash), value);
                count += 1;
                break;
            }
            if slots[i].0 == tag(hash) {
                slots[i].1 = value;
                break;
            }
            i = (i + 1) & mask;
        }
    }
    let mut out = Vec::with_capacity(HEADER + slots.len() * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&log2.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    for (t, v) in slots {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// A frozen map read in place: the bytes the binary carries, or bytes frozen at run time.
#[derive(Debug, Clone)]
pub struct FrozenMap {
    bytes: std::borrow::Cow<'static, [u8]>,
    mask: usize,
    len: usize,
}

impl FrozenMap {
    /// Reads the header of frozen bytes; none when they are not a frozen map.
    pub fn new(bytes: impl Into<std::borrow::Cow<'static, [u8]>>) -> Option<Self> {
        let bytes = bytes.into();
        let word = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        if bytes.get(..4)? != MAGIC {
            return None;
        }
        let log2 = word(4)?;
        let len = word(8)? as usize;
        let capacity = 1usize.checked_shl(log2)?;
        if bytes.len() != HEADER + capacity.checked_mul(8)? || len >= capacity {
            return None;
        }
        Some(FrozenMap {
            bytes,
            mask: capacity - 1,
            len,
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the map holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of a key hash.
    pub fn get(&self, hash: u64) -> Option<u32> {
        let want = tag(hash);
        let mut i = hash as usize & self.mask;
        // At most one pass over the slots, even over bytes that hold no empty one.
        for _ in 0..=self.mask {
            let at = HEADER + i * 8;
            let slot = &self.bytes[at..at + 8];
            let t = u32::from_le_bytes([slot[0], slot[1], slot[2], slot[3]]);
            if t == 0 {
                return None;
            }
            if t == want {
                return Some(u32::from_le_bytes([slot[4], slot[5], slot[6], slot[7]]));
            }
            i = (i + 1) & self.mask;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_pairs_read_back_and_absent_keys_miss() {
        let entries: Vec<(u64, u32)> = (0..1000u64)
            .map(|k| (k.wrapping_mul(0x9E37_79B9_7F4A_7C15), k as u32))
            .collect();
        let map = FrozenMap::new(freeze(&entries)).expect("a frozen map");
        assert_eq!(map.len(), 1000);
        for &(hash, value) in &entries {
            assert_eq!(map.get(hash), Some(value));
        }
        assert_eq!(map.get(12345), None);
    }

    #[test]
    fn other_bytes_are_refused() {
        assert!(FrozenMap::new(&b""[..]).is_none());
        assert!(
            FrozenMap::new(&b"NFFM\x1f\0\0\0\0\0\0\0"[..]).is_none(),
            "slots missing"
        );
        assert!(FrozenMap::new(freeze(&[])).is_some_and(|m| m.is_empty()));
    }
}
