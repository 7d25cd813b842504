//! Propositions: the claims of one story that bear on the same statement, grouped online in
//! publication order (a claim joins the proposition its content is most like, or starts
//! one), so the grouping is deterministic for a given order.

use std::collections::BTreeMap;

use crate::stories::Frequencies;

use super::config::LedgerConfig;
use super::report::Report;

/// A proposition being built: the sums of its members' normalised vectors.
#[derive(Debug, Default)]
struct Centroid {
    words: BTreeMap<u64, f32>,
    entities: BTreeMap<u64, f32>,
}

/// The proposition of each report (indices from 0, in order of first report), given the
/// reports in publication order.
pub fn group(reports: &[Report], frequencies: &Frequencies, config: &LedgerConfig) -> Vec<usize> {
    let mut centroids: Vec<Centroid> = Vec::new();
    let mut out = Vec::with_capacity(reports.len());
    for r in reports {
        let words = normalized(
            r.words
                .iter()
                .map(|(&k, &tf)| (k, tf * frequencies.idf(k)))
                .collect(),
        );
        let entities = normalized(
            r.entities
                .iter()
                .map(|&k| (k, frequencies.idf(k)))
                .collect(),
        );
        let best = centroids
            .iter()
            .enumerate()
            .map(|(i, c)| (i, similarity(&words, &entities, c, config)))
            .fold(None, |best: Option<(usize, f32)>, (i, s)| match best {
                Some((_, b)) if b >= s => best,
                _ => Some((i, s)),
            });
        let p = match best {
            Some((i, s)) if s >= config.join_threshold => i,
            _ => {
                centroids.push(Centroid::default());
                centroids.len() - 1
            }
        };
        add(&mut centroids[p].words, &words);
        add(&mut centroids[p].entities, &entities);
        out.push(p);
    }
    out
}

/// Cosine of content words, mixed with the cosine of entities when both sides name some.
fn similarity(
    words: &BTreeMap<u64, f32>,
    entities: &BTreeMap<u64, f32>,
    c: &Centroid,
    config: &LedgerConfig,
) -> f32 {
    let w = cosine(words, &c.words);
    if entities.is_empty() || c.entities.is_empty() {
        return w;
    }
    (1.0 - config.entity_weight) * w + config.entity_weight * cosine(entities, &c.entities)
}

fn normalized(v: BTreeMap<u64, f32>) -> BTreeMap<u64, f32> {
    let norm = v.values().map(|x| x * x).sum::<f32>().sqrt();
    if norm == 0.0 {
        return BTreeMap::new();
    }
    v.into_iter().map(|(k, x)| (k, x / norm)).collect()
}

fn add(to: &mut BTreeMap<u64, f32>, v: &BTreeMap<u64, f32>) {
    for (&k, &x) in v {
        *to.entry(k).or_default() += x;
    }
}

/// Cosine of a normalised vector and a sum of normalised vectors.
fn cosine(a: &BTreeMap<u64, f32>, b: &BTreeMap<u64, f32>) -> f32 {
    let norm = b.values().map(|x| x * x).sum::<f32>().sqrt();
    if norm == 0.0 || a.is_empty() {
        return 0.0;
    }
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f32 = small
        .iter()
        .filter_map(|(k, x)| large.get(k).map(|y| x * y))
        .sum();
    dot / norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Stance;

    fn report(words: &[&str]) -> Report {
        Report {
            article_id: "a".into(),
            claim_id: "c".into(),
            outlet: None,
            time: None,
            speaker: "s".into(),
            via: Vec::new(),
            stance: Stance::Assert,
            words: words
                .iter()
                .map(|w| (xxhash_rust::xxh3::xxh3_64(w.as_bytes()), 1.0))
                .collect(),
            entities: Default::default(),
            trigrams: Default::default(),
        }
    }

    #[test]
    fn like_contents_share_a_proposition_and_others_start_their_own() {
        let reports = [
            report(&["toll", "killed", "gaza", "border"]),
            report(&["embassy", "opened", "jerusalem"]),
            report(&["toll", "killed", "gaza", "protesters"]),
        ];
        let found = group(&reports, &Frequencies::default(), &LedgerConfig::default());
        assert_eq!(found, vec![0, 1, 0]);
    }
}
