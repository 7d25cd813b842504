//! The averaged perceptron: weights per (feature, label), greedy left-to-right decoding,
//! training with lazy averaging, and the model file format.
//!
//! Written by hand: the Rust crates for sequence labelling either bind C libraries
//! (crfsuite) or cannot be trained from our own feature hashes; an averaged perceptron is a
//! few dozen lines (Collins 2002) and trains on CoNLL-2003 in seconds.

use crate::stages::ModelError;
use crate::text::char_hash::HashKeyed;

use super::features::{FEATURE_VERSION, SentenceFeatures};
use super::labels::{LABELS, Label};
use super::table::WeightTable;

/// Most labels a model may have (scores live on the stack).
const MAX_LABELS: usize = 16;

type FeatureIndex = HashKeyed<u32>;

const MAGIC: &[u8; 8] = b"NFNERv1\n";

/// A trained model: one row of label weights per known feature.
#[derive(Debug, Clone)]
pub struct Model {
    index: FeatureIndex,
    weights: Vec<f32>,
    /// Labels per row: 1 + 2 × the number of types (O, then B- and I- of each).
    labels: usize,
    /// The same weights laid out for fast lookup; empty while training.
    table: WeightTable,
}

impl Default for Model {
    /// An untrained entity model (it tags everything O).
    fn default() -> Self {
        Model::untrained(LABELS)
    }
}

impl Model {
    /// A model that knows nothing, with `labels` labels.
    pub fn untrained(labels: usize) -> Self {
        Model {
            index: FeatureIndex::default(),
            weights: Vec::new(),
            labels: labels.clamp(1, MAX_LABELS),
            table: WeightTable::default(),
        }
    }

    /// (feature, row) of every feature in feature order: model files and tables are laid
    /// out in it, so the same weights always give the same bytes.
    fn sorted_rows(&self) -> Vec<(u64, u32)> {
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(&k, &v)| (k, v)).collect();
        rows.sort_unstable();
        rows
    }

    /// Lays the weights out for tagging: done once a model is trained or read.
    fn frozen(mut self) -> Self {
        let labels = self.labels;
        let rows = self.sorted_rows();
        self.table = WeightTable::new(
            labels,
            rows.iter()
                .map(|&(k, row)| (k, &self.weights[row as usize * labels..][..labels])),
        );
        self
    }

    /// Number of features with weights.
    pub fn features(&self) -> usize {
        self.index.len()
    }

    /// Number of labels.
    pub fn labels(&self) -> usize {
        self.labels
    }

    /// Adds the weights of `features` to `scores`.
    fn score(&self, features: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        if !self.table.is_empty() {
            self.table.add_scores(features, scores);
            return;
        }
        for f in features {
            if let Some(&row) = self.index.get(f) {
                let w = &self.weights[row as usize * self.labels..][..self.labels];
                for (s, w) in scores.iter_mut().zip(w) {
                    *s += w;
                }
            }
        }
    }

    /// Tags a sentence greedily, left to right, never starting a chunk with I-.
    pub fn tag(&self, sentence: &SentenceFeatures) -> Vec<Label> {
        self.tag_with_margins(sentence).0
    }

    /// Tags a sentence and gives, for each token, the margin of its label: its score minus
    /// the best score of any other label allowed there (how sure the model is).
    pub fn tag_with_margins(&self, sentence: &SentenceFeatures) -> (Vec<Label>, Vec<f32>) {
        let mut tags = Vec::with_capacity(sentence.len());
        let mut margins = Vec::with_capacity(sentence.len());
        let mut features = Vec::with_capacity(48);
        let mut buffer = [0.0; MAX_LABELS];
        let scores = &mut buffer[..self.labels];
        for i in 0..sentence.len() {
            let (prev, prev2) = history(&tags, i);
            sentence.features_at(i, prev, prev2, &mut features);
            self.score(&features, scores);
            let prev = Label(prev as u8);
            let best = best_allowed(scores, prev);
            let runner_up = scores
                .iter()
                .enumerate()
                .filter(|&(l, _)| l != best.0 as usize && Label(l as u8).may_follow(prev))
                .map(|(_, &s)| s)
                .fold(f32::NEG_INFINITY, f32::max);
            tags.push(best);
            margins.push(scores[best.0 as usize] - runner_up);
        }
        (tags, margins)
    }

    /// The model without the features whose weights all lie within `min` of zero: they
    /// barely move a score, and each one is a lookup at tagging time and a row in memory.
    pub fn pruned(&self, min: f32) -> Model {
        let mut out = Model::untrained(self.labels);
        for (feature, row) in self.sorted_rows() {
            let w = &self.weights[row as usize * self.labels..][..self.labels];
            if w.iter().any(|w| w.abs() >= min) {
                out.index.insert(feature, out.index.len() as u32);
                out.weights.extend_from_slice(w);
            }
        }
        out.frozen()
    }

    /// The model file: magic, feature version, label count, rows (hash, weights).
    pub fn to_bytes(&self) -> Vec<u8> {
        let rows = self.sorted_rows();
        let mut out = Vec::with_capacity(16 + rows.len() * (8 + 4 * self.labels));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.labels as u32).to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (key, row) in rows {
            out.extend_from_slice(&key.to_le_bytes());
            for w in &self.weights[row as usize * self.labels..][..self.labels] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model file written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut at = 0;
        let mut take = |n: usize| -> Result<&[u8], ModelError> {
            let s = bytes.get(at..at + n).ok_or(ModelError::Truncated { at })?;
            at += n;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let version = u32_at(take(4)?);
        if version != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: version,
                expected: FEATURE_VERSION,
            });
        }
        let labels = u32_at(take(4)?) as usize;
        if labels == 0 || labels > MAX_LABELS {
            return Err(ModelError::Labels {
                found: labels,
                max: MAX_LABELS,
            });
        }
        let rows = u32_at(take(4)?) as usize;
        let mut index = FeatureIndex::with_capacity_and_hasher(rows, Default::default());
        let mut weights = Vec::with_capacity(rows.min(1 << 24) * labels);
        for row in 0..rows {
            let k = take(8)?;
            let key = u64::from_le_bytes([k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]]);
            let w = take(4 * labels)?;
            weights.extend(
                w.chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
            index.insert(key, row as u32);
        }
        Ok(Model {
            index,
            weights,
            labels,
            table: WeightTable::default(),
        }
        .frozen())
    }
}

/// The previous two tags at position `i` (O before the sentence).
fn history(tags: &[Label], i: usize) -> (usize, usize) {
    let at = |k: usize| i.checked_sub(k).map_or(0, |j| tags[j].0 as usize);
    (at(1), at(2))
}

/// The best-scoring label that may follow `prev` (I-X only after B-X or I-X).
fn best_allowed(scores: &[f32], prev: Label) -> Label {
    let mut best = Label::O;
    let mut best_score = f32::NEG_INFINITY;
    for (l, &s) in scores.iter().enumerate() {
        let label = Label(l as u8);
        if s > best_score && label.may_follow(prev) {
            best = label;
            best_score = s;
        }
    }
    best
}

/// One training sentence: its static features and gold labels.
#[derive(Debug, Clone)]
pub struct Example {
    /// Static features of its tokens.
    pub features: SentenceFeatures,
    /// Gold label of each token.
    pub gold: Vec<Label>,
}

/// Trains an averaged perceptron with `labels` labels for `epochs` passes, the examples
/// shuffled between passes with a fixed seed, so the same data gives the same model.
pub fn train(
    examples: &[Example],
    epochs: usize,
    labels: usize,
    progress: impl FnMut(usize, f64),
) -> Model {
    train_seeded(examples, epochs, labels, 0x2545_F491_4F6C_DD1D, progress)
}

/// Trains `runs` averaged perceptrons, each seeing the examples in another order, and
/// averages their weights into one model of the same kind.
///
/// A perceptron depends much on the order of its examples: two orders of the same examples
/// give models of noticeably different F1. The mean of several runs is steadier and better
/// than a typical single run, at the cost of `runs` times the training time; tagging costs
/// the same (the model has the union of the runs' features).
pub fn train_runs(
    examples: &[Example],
    epochs: usize,
    labels: usize,
    runs: usize,
    mut progress: impl FnMut(usize, usize, f64),
) -> Model {
    let runs = runs.max(1);
    let mut merged = Model::untrained(labels);
    let labels = merged.labels;
    for run in 0..runs {
        let seed = 0x2545_F491_4F6C_DD1Du64
            .wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(run as u64));
        let model = train_seeded(examples, epochs, labels, seed, |epoch, accuracy| {
            progress(run + 1, epoch, accuracy)
        });
        for (feature, row) in model.sorted_rows() {
            let next = merged.index.len() as u32;
            let target = *merged.index.entry(feature).or_insert(next) as usize;
            if target == next as usize {
                merged.weights.extend(std::iter::repeat_n(0.0, labels));
            }
            let from = &model.weights[row as usize * labels..][..labels];
            for (w, x) in merged.weights[target * labels..][..labels]
                .iter_mut()
                .zip(from)
            {
                *w += x / runs as f32;
            }
        }
    }
    merged.pruned(1e-3)
}

fn train_seeded(
    examples: &[Example],
    epochs: usize,
    labels: usize,
    seed: u64,
    mut progress: impl FnMut(usize, f64),
) -> Model {
    let mut t = Trainer {
        model: Model::untrained(labels),
        totals: Vec::new(),
        stamps: Vec::new(),
        step: 0,
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = seed | 1;
    let mut features = Vec::with_capacity(48);
    let mut buffer = [0.0; MAX_LABELS];
    let labels = t.model.labels;
    for epoch in 0..epochs {
        // Fisher-Yates with xorshift: deterministic across platforms.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut right, mut total) = (0usize, 0usize);
        for &e in &order {
            let ex = &examples[e];
            let mut tags: Vec<Label> = Vec::with_capacity(ex.gold.len());
            for i in 0..ex.gold.len() {
                let (prev, prev2) = history(&tags, i);
                ex.features.features_at(i, prev, prev2, &mut features);
                let scores = &mut buffer[..labels];
                t.model.score(&features, scores);
                let guess = best_allowed(scores, Label(prev as u8));
                t.step += 1;
                if guess != ex.gold[i] {
                    t.update(&features, ex.gold[i], guess);
                } else {
                    right += 1;
                }
                total += 1;
                tags.push(guess);
            }
        }
        progress(epoch + 1, right as f64 / total.max(1) as f64);
    }
    t.averaged()
}

/// Perceptron state with the sums needed for averaging, updated lazily.
#[derive(Debug)]
struct Trainer {
    model: Model,
    totals: Vec<f64>,
    stamps: Vec<u64>,
    step: u64,
}

impl Trainer {
    fn row(&mut self, feature: u64) -> usize {
        let next = self.model.index.len() as u32;
        let row = *self.model.index.entry(feature).or_insert(next) as usize;
        if row == next as usize {
            let labels = self.model.labels;
            self.model.weights.extend(std::iter::repeat_n(0.0, labels));
            self.totals.extend(std::iter::repeat_n(0.0, labels));
            self.stamps.extend(std::iter::repeat_n(0, labels));
        }
        row
    }

    fn update(&mut self, features: &[u64], truth: Label, guess: Label) {
        for &f in features {
            let row = self.row(f);
            for (label, delta) in [(truth, 1.0), (guess, -1.0)] {
                let k = row * self.model.labels + label.0 as usize;
                self.totals[k] +=
                    (self.step - self.stamps[k]) as f64 * f64::from(self.model.weights[k]);
                self.stamps[k] = self.step;
                self.model.weights[k] += delta;
            }
        }
    }

    /// The averaged weights, without the rows that averaged to nothing.
    fn averaged(mut self) -> Model {
        let step = self.step.max(1);
        for (k, w) in self.model.weights.iter_mut().enumerate() {
            let total = self.totals[k] + (step - self.stamps[k]) as f64 * f64::from(*w);
            *w = (total / step as f64) as f32;
        }
        // Rows that averaged to nothing are left out.
        self.model.pruned(1e-3)
    }
}

#[cfg(test)]
mod tests {
    use super::super::features::TokenView;
    use super::*;

    fn sentence(words: &[&str]) -> SentenceFeatures {
        let views: Vec<TokenView> = words
            .iter()
            .map(|w| {
                let word = crate::text::char_hash::fnv_chars(
                    &w.to_lowercase().chars().collect::<Vec<_>>(),
                );
                TokenView {
                    word,
                    shape: u64::from(w.chars().next().is_some_and(char::is_uppercase)),
                    stem: word,
                    suffix3: word,
                    affixes: Vec::new(),
                    analyses: Vec::new(),
                    gazetteer: 0,
                    lexicon: 0,
                    clusters: [0; super::super::clusters::GRANULARITIES],
                    phrase: 0,
                }
            })
            .collect();
        SentenceFeatures::new(&views)
    }

    #[test]
    fn learns_a_toy_pattern_and_round_trips_through_bytes() {
        let (b_per, i_per, b_loc) = (Label::begin(0), Label::inside(0), Label::begin(2));
        let examples: Vec<Example> = (0..20)
            .map(|_| Example {
                features: sentence(&["Mr", "John", "Smith", "went", "to", "Paris"]),
                gold: vec![Label::O, b_per, i_per, Label::O, Label::O, b_loc],
            })
            .collect();
        let model = train(&examples, 5, LABELS, |_, _| {});
        let tags = model.tag(&sentence(&["Mr", "John", "Smith", "went", "to", "Paris"]));
        assert_eq!(tags, examples[0].gold);
        let again = Model::from_bytes(&model.to_bytes()).expect("reads back");
        assert_eq!(again.tag(&examples[0].features), tags);
        assert!(Model::from_bytes(b"garbage").is_err());
        assert!(Model::from_bytes(&model.to_bytes()[..30]).is_err());
    }

    #[test]
    fn several_runs_average_into_one_deterministic_model() {
        let (b_per, b_loc) = (Label::begin(0), Label::begin(2));
        let examples: Vec<Example> = [
            (
                ["Mr", "Smith", "visited", "Paris"],
                [Label::O, b_per, Label::O, b_loc],
            ),
            (
                ["Ms", "Jones", "left", "Rome"],
                [Label::O, b_per, Label::O, b_loc],
            ),
            (
                ["Mr", "Brown", "saw", "Oslo"],
                [Label::O, b_per, Label::O, b_loc],
            ),
        ]
        .iter()
        .map(|(words, gold)| Example {
            features: sentence(words),
            gold: gold.to_vec(),
        })
        .collect();
        let one = train(&examples, 4, LABELS, |_, _| {});
        let single_run = train_runs(&examples, 4, LABELS, 1, |_, _, _| {});
        assert_eq!(
            one.to_bytes(),
            single_run.to_bytes(),
            "one run is plain training"
        );
        let mut passes = 0;
        let three = train_runs(&examples, 4, LABELS, 3, |_, _, _| passes += 1);
        assert_eq!(passes, 12, "three runs of four epochs");
        let again = train_runs(&examples, 4, LABELS, 3, |_, _, _| {});
        assert_eq!(three.to_bytes(), again.to_bytes(), "same data, same model");
        assert_ne!(
            three.to_bytes(),
            one.to_bytes(),
            "the runs differ and are averaged"
        );
        let tags = three.tag(&sentence(&["Ms", "Smith", "visited", "Rome"]));
        assert_eq!(tags, vec![Label::O, b_per, Label::O, b_loc]);
    }
}
