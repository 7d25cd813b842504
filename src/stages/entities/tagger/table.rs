//! A trained model's weights laid out for tagging: each feature's key and its label weights
//! side by side in one open-addressing slot.
//!
//! Written by hand because a lookup per feature is nearly all of the taggers' cost (the
//! entity tagger and the cue detector score some fifty features a token), and a general
//! hash map keeps the key, the row number and the weight row in three places of memory:
//! here a lookup usually touches one cache line. Linear probing at a load of at most
//! two thirds keeps probes short, and neighbouring slots share cache lines.

/// Label weights by feature hash, frozen after training.
#[derive(Debug, Clone, Default)]
pub struct WeightTable {
    /// Slots of `2 + labels` words: the key's low and high halves, then the weights' bits.
    slots: Vec<u32>,
    /// Words per slot.
    stride: usize,
    /// Slot count minus one (a power of two minus one); 0 when empty.
    mask: usize,
    /// Weights of the feature whose hash is 0, the key that marks an empty slot.
    zero: Option<Vec<f32>>,
}

impl WeightTable {
    /// Lays out `rows` (feature hash, its `labels` weights).
    pub fn new<'a>(labels: usize, rows: impl ExactSizeIterator<Item = (u64, &'a [f32])>) -> Self {
        let capacity = (rows.len() + rows.len() / 2 + 1).next_power_of_two().max(2);
        let stride = 2 + labels;
        let mut table = WeightTable {
            slots: vec![0; capacity * stride],
            stride,
            mask: capacity - 1,
            zero: None,
        };
        for (key, weights) in rows {
            if key == 0 {
                table.zero = Some(weights.to_vec());
                continue;
            }
            let mut slot = key as usize & table.mask;
            while table.key_at(slot) != 0 {
                slot = (slot + 1) & table.mask;
            }
            let at = slot * stride;
            table.slots[at] = key as u32;
            table.slots[at + 1] = (key >> 32) as u32;
            for (w, bits) in weights.iter().zip(&mut table.slots[at + 2..at + stride]) {
                *bits = w.to_bits();
            }
        }
        table
    }

    /// True when no weights were laid out.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn key_at(&self, slot: usize) -> u64 {
        let at = slot * self.stride;
        u64::from(self.slots[at]) | u64::from(self.slots[at + 1]) << 32
    }

    /// Adds the weights of every known feature in `features` to `scores`.
    pub fn add_scores(&self, features: &[u64], scores: &mut [f32]) {
        if self.slots.is_empty() {
            return;
        }
        // Ask for every feature's slot before reading any: the lookups' cache misses then
        // overlap instead of queueing one behind the other.
        #[cfg(target_arch = "x86_64")]
        for &feature in features {
            let at = (feature as usize & self.mask) * self.stride;
            if let Some(word) = self.slots.get(at) {
                use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
                // SAFETY: a prefetch only hints the cache; it reads nothing and cannot fault,
                // and the pointer is in bounds of `slots`.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(word).cast::<i8>()) };
            }
        }
        for &feature in features {
            if feature == 0 {
                if let Some(w) = &self.zero {
                    scores.iter_mut().zip(w).for_each(|(s, w)| *s += w);
                }
                continue;
            }
            let mut slot = feature as usize & self.mask;
            loop {
                let at = slot * self.stride;
                let entry = &self.slots[at..at + self.stride];
                let key = u64::from(entry[0]) | u64::from(entry[1]) << 32;
                if key == feature {
                    for (s, bits) in scores.iter_mut().zip(&entry[2..]) {
                        *s += f32::from_bits(*bits);
                    }
                    break;
                }
                if key == 0 {
                    break;
                }
                slot = (slot + 1) & self.mask;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_row_and_nothing_else() {
        let rows: Vec<(u64, Vec<f32>)> = (0..1000u64)
            .map(|i| {
                (
                    i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    vec![i as f32, -(i as f32)],
                )
            })
            .collect();
        let table = WeightTable::new(2, rows.iter().map(|(k, w)| (*k, w.as_slice())));
        for (key, w) in &rows {
            let mut scores = [0.0; 2];
            table.add_scores(&[*key, 12345], &mut scores);
            assert_eq!(scores.to_vec(), *w, "key {key}");
        }
        let mut scores = [0.0; 2];
        table.add_scores(&[7, 8, 9], &mut scores);
        assert_eq!(scores, [0.0, 0.0]);
    }
}
