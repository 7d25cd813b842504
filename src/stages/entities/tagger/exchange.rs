//! Word clusters learned from unlabelled text: the bidirectional exchange algorithm.
//!
//! Each word is put in the class that best predicts the words around it: the objective is
//! the likelihood of a class bigram model in both directions, P(w | class of the word
//! before) and P(w | class of the word after) (Kneser and Ney 1993; Martin et al. 1998;
//! the predictive, bidirectional form of Uszkoreit and Brants 2008 and ClusterCat,
//! Dehdari et al. 2016). Every pass visits the words in frequency order and moves each to
//! the class that raises the objective most; a move costs the word's distinct neighbours
//! times the classes, so a pass over 8 million words of news takes seconds, where Brown's
//! agglomerative clustering takes hours. Written by hand: no crate clusters words.
//!
//! Deterministic: the same corpus gives the same classes (one thread, words in a fixed
//! order, ties to the lowest class).

use std::collections::HashMap;

/// Word ids of a corpus as counted for clustering.
#[derive(Debug, Clone, Default)]
pub struct Bigrams {
    /// For each word, its successors and how often each follows it.
    next: Vec<Vec<(u32, u32)>>,
    /// For each word, its predecessors and how often each precedes it.
    prev: Vec<Vec<(u32, u32)>>,
    /// How often each word precedes another (its count as a history word).
    as_prev: Vec<u64>,
    /// How often each word follows another.
    as_next: Vec<u64>,
    /// How often each word occurs.
    count: Vec<u64>,
}

impl Bigrams {
    /// Counts the bigrams of `words` word ids (under `vocabulary`), sequence by sequence:
    /// no bigram crosses from one sequence to the next.
    pub fn count<'a>(vocabulary: usize, sequences: impl IntoIterator<Item = &'a [u32]>) -> Self {
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
        let mut count = vec![0u64; vocabulary];
        for seq in sequences {
            for &w in seq {
                count[w as usize] += 1;
            }
            for pair in seq.windows(2) {
                *pairs.entry((pair[0], pair[1])).or_default() += 1;
            }
        }
        let mut pairs: Vec<((u32, u32), u32)> = pairs.into_iter().collect();
        pairs.sort_unstable();
        let mut b = Bigrams {
            next: vec![Vec::new(); vocabulary],
            prev: vec![Vec::new(); vocabulary],
            as_prev: vec![0; vocabulary],
            as_next: vec![0; vocabulary],
            count,
        };
        for ((u, v), n) in pairs {
            b.next[u as usize].push((v, n));
            b.prev[v as usize].push((u, n));
            b.as_prev[u as usize] += u64::from(n);
            b.as_next[v as usize] += u64::from(n);
        }
        b
    }

    /// Number of word ids.
    pub fn vocabulary(&self) -> usize {
        self.count.len()
    }
}

/// x ln x, from a table for small counts.
struct XLogX {
    table: Vec<f64>,
}

impl XLogX {
    fn new() -> Self {
        XLogX {
            table: (0..1u64 << 16).map(|x| plain_xlogx(x as f64)).collect(),
        }
    }

    fn of(&self, x: u64) -> f64 {
        self.table
            .get(x as usize)
            .copied()
            .unwrap_or_else(|| plain_xlogx(x as f64))
    }
}

fn plain_xlogx(x: f64) -> f64 {
    if x > 0.0 { x * x.ln() } else { 0.0 }
}

/// The state of one clustering: classes and the class-word counts both directions need.
struct State<'b> {
    bigrams: &'b Bigrams,
    classes: usize,
    class: Vec<u32>,
    /// `after[v * classes + c]`: how often v follows a word of class c.
    after: Vec<u32>,
    /// `before[u * classes + c]`: how often u precedes a word of class c.
    before: Vec<u32>,
    /// Per class: how often its words precede another word, and follow one.
    as_prev: Vec<u64>,
    as_next: Vec<u64>,
}

impl State<'_> {
    /// Adds (`sign` 1) or removes (`sign` -1) word `w` from class `c`.
    fn shift(&mut self, w: usize, c: usize, add: bool) {
        let k = self.classes;
        let apply = |cell: &mut u32, n: u32| {
            *cell = if add { *cell + n } else { *cell - n };
        };
        for &(v, n) in &self.bigrams.next[w] {
            apply(&mut self.after[v as usize * k + c], n);
        }
        for &(u, n) in &self.bigrams.prev[w] {
            apply(&mut self.before[u as usize * k + c], n);
        }
        let (p, q) = (self.bigrams.as_prev[w], self.bigrams.as_next[w]);
        if add {
            self.as_prev[c] += p;
            self.as_next[c] += q;
        } else {
            self.as_prev[c] -= p;
            self.as_next[c] -= q;
        }
    }

    /// The gain in the objective of putting word `w` (in no class now) in each class.
    fn gains(&self, w: usize, f: &XLogX, gain: &mut [f64]) {
        let k = self.classes;
        let (p, q) = (self.bigrams.as_prev[w], self.bigrams.as_next[w]);
        for (c, g) in gain.iter_mut().enumerate() {
            let (hp, hq) = (self.as_prev[c], self.as_next[c]);
            *g = -(f.of(hp + p) - f.of(hp)) - (f.of(hq + q) - f.of(hq));
        }
        let mut add = |row: &[u32], n: u32| {
            for (g, &cell) in gain.iter_mut().zip(row) {
                let cell = u64::from(cell);
                *g += f.of(cell + u64::from(n)) - f.of(cell);
            }
        };
        for &(v, n) in &self.bigrams.next[w] {
            add(&self.after[v as usize * k..(v as usize + 1) * k], n);
        }
        for &(u, n) in &self.bigrams.prev[w] {
            add(&self.before[u as usize * k..(u as usize + 1) * k], n);
        }
    }
}

/// Clusters the words of `bigrams` into `classes` classes in `passes` passes over the
/// vocabulary; `progress` hears each pass and how many words moved. Returns each word's
/// class.
pub fn cluster(
    bigrams: &Bigrams,
    classes: usize,
    passes: usize,
    mut progress: impl FnMut(usize, usize),
) -> Vec<u32> {
    let vocabulary = bigrams.vocabulary();
    let classes = classes.max(1);
    // Frequency order, most frequent first, ties by id: the order of the first assignment
    // (round robin) and of every pass.
    let mut order: Vec<usize> = (0..vocabulary).collect();
    order.sort_by(|&a, &b| bigrams.count[b].cmp(&bigrams.count[a]).then(a.cmp(&b)));
    let mut state = State {
        bigrams,
        classes,
        class: vec![0; vocabulary],
        after: vec![0; vocabulary * classes],
        before: vec![0; vocabulary * classes],
        as_prev: vec![0; classes],
        as_next: vec![0; classes],
    };
    for (rank, &w) in order.iter().enumerate() {
        state.class[w] = (rank % classes) as u32;
        state.shift(w, rank % classes, true);
    }
    let f = XLogX::new();
    let mut gain = vec![0f64; classes];
    for pass in 0..passes {
        let mut moved = 0;
        for &w in &order {
            let from = state.class[w] as usize;
            state.shift(w, from, false);
            state.gains(w, &f, &mut gain);
            let mut best = from;
            for (c, &g) in gain.iter().enumerate() {
                if g > gain[best] + 1e-9 {
                    best = c;
                }
            }
            if best != from {
                moved += 1;
            }
            state.class[w] = best as u32;
            state.shift(w, best, true);
        }
        progress(pass + 1, moved);
        if moved == 0 {
            break;
        }
    }
    state.class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        // Determiners 0-3 precede nouns 4-7, nouns precede verbs 8-11, verbs precede
        // determiners: every three-word sentence of the toy grammar, twice over.
        let mut sequences: Vec<Vec<u32>> = Vec::new();
        for d in 0..4 {
            for n in 4..8 {
                for v in 8..12 {
                    sequences.push(vec![d, n, v, (d + 1) % 4, n]);
                }
            }
        }
        let bigrams = Bigrams::count(12, sequences.iter().map(Vec::as_slice));
        let class = cluster(&bigrams, 3, 20, |_, _| {});
        for group in [0..4u32, 4..8, 8..12] {
            let first = class[group.start as usize];
            assert!(
                group.clone().all(|w| class[w as usize] == first),
                "{class:?}"
            );
        }
        assert_ne!(class[0], class[4], "{class:?}");
        assert_ne!(class[4], class[8], "{class:?}");
        assert_ne!(class[0], class[8], "{class:?}");
        let again = cluster(&bigrams, 3, 20, |_, _| {});
        assert_eq!(class, again, "deterministic");
    }
}
