//! A whole collection at once: articles sorted by publication time, then assigned one by
//! one, as a stream would see them; the final story of each article after every merge.

use super::baseline;
use super::config::StoryConfig;
use super::index::StoryIndex;
use super::profile::ArticleProfile;

/// Which clustering to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// newsflow's story clustering (entities, rare words, time).
    Index,
    /// Word overlap of title and lead, for comparison.
    Baseline,
}

/// The story of each profile (same order as given), after every merge.
pub fn cluster(profiles: &[ArticleProfile], config: &StoryConfig, method: Method) -> Vec<String> {
    let order = publication_order(profiles.iter().map(|p| p.time));
    let sorted: Vec<ArticleProfile> = order.iter().map(|&i| profiles[i].clone()).collect();
    let labels: Vec<String> = match method {
        Method::Index => {
            let mut index = StoryIndex::new(config.clone());
            let assigned: Vec<String> = sorted.iter().map(|p| index.assign(p).story_id).collect();
            assigned
                .into_iter()
                .map(|s| index.resolve(&s).unwrap_or(s))
                .collect()
        }
        Method::Baseline => baseline::assign(&sorted, config.window_hours)
            .into_iter()
            .map(|first| format!("baseline-{}", sorted[first].article_id))
            .collect(),
    };
    let mut out = vec![String::new(); profiles.len()];
    for (label, &i) in labels.into_iter().zip(&order) {
        out[i] = label;
    }
    out
}

/// Indices of items in publication order, given their times (seconds); an item without a
/// time takes the time of the one before it in the input, and ties keep the input order.
pub fn publication_order(times: impl Iterator<Item = Option<i64>>) -> Vec<usize> {
    let mut last = i64::MIN;
    let times: Vec<i64> = times
        .map(|t| {
            last = t.unwrap_or(last);
            last
        })
        .collect();
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by_key(|&i| times[i]);
    order
}
