//! The plain baseline: an article joins the earlier story whose title-and-lead words it
//! overlaps most (Jaccard), within the window, when the overlap reaches a threshold.
//! Kept so that every figure of [`super::StoryIndex`] can be read beside it.

use std::collections::HashMap;

use super::profile::ArticleProfile;

/// The word overlap (Jaccard) an article needs with a story's first article.
pub const THRESHOLD: f32 = 0.2;

/// Story labels for articles in publication order: the index of each story's first article.
pub fn assign(profiles: &[ArticleProfile], window_hours: f64) -> Vec<usize> {
    let window = (window_hours * 3600.0) as i64;
    let mut labels: Vec<usize> = Vec::with_capacity(profiles.len());
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut now = i64::MIN;
    for (i, p) in profiles.iter().enumerate() {
        now = p.time.unwrap_or(now).max(now);
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for w in &p.title_lead {
            for &j in postings.get(w).map(Vec::as_slice).unwrap_or_default() {
                *shared.entry(j).or_default() += 1;
            }
        }
        let best = shared
            .into_iter()
            .filter(|&(j, _)| profiles[j].time.unwrap_or(now) >= now.saturating_sub(window))
            .map(|(j, n)| {
                let union = p.title_lead.len() + profiles[j].title_lead.len() - n;
                (j, n as f32 / union.max(1) as f32)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let label = match best {
            Some((j, score)) if score >= THRESHOLD => labels[j],
            _ => i,
        };
        labels.push(label);
        for &w in &p.title_lead {
            postings.entry(w).or_default().push(i);
        }
    }
    labels
}
