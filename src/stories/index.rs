//! The online story clustering: each article, in publication order, joins the story it
//! scores best with, or opens a new one; stories an article bridges merge into the older.
//!
//! Candidates come from an inverted index over the stories' heaviest content words and
//! their linked entities (knowledge-base and GeoNames ids, so Arabic and English copy of
//! one event meet), within the time window. Words and entities are weighted by how rare
//! they are among the articles seen so far (inverse document frequency), so the result
//! depends on the input order only, never on the run.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use super::config::StoryConfig;
use super::frequencies::Frequencies;
use super::profile::ArticleProfile;
use super::vector::{Sparse, add, dot, normalized, top};

/// Content words of an article that look up candidate stories.
const LOOKUP_TERMS: usize = 24;
/// Members of a story scanned for a near-duplicate copy.
const SYNDICATION_SCAN: usize = 200;
/// Members of a story an article is also compared with one by one: a story drifts as it
/// develops, and a follow-up resembles the latest reports more than the whole. Few: the
/// more members an article may match one by one, the more two stories chain together
/// (measured in docs/evaluation.md, "Stories").
const RECENT: usize = 4;
/// Articles between two clean-ups of the postings of stories out of the window.
const COMPACT_EVERY: u64 = 2048;

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The article's id.
    pub article_id: String,
    /// Its story's id, as of now (a later merge may fold the story into an older one).
    pub story_id: String,
    /// The first article of its syndication group: copies of one text within the story.
    pub syndication_group: String,
    /// The score with the story it joined (none for a new story).
    pub score: Option<f32>,
    /// Stories merged into this one by this article.
    pub merged: Vec<String>,
}

/// One story in the index.
#[derive(Debug)]
struct Story {
    id: String,
    terms: Sparse,
    entities: Sparse,
    last_time: i64,
    /// Members: article id, SimHash, syndication group.
    members: Vec<(String, u64, String)>,
    /// The weighted words, entities and language of the latest members (at most
    /// [`RECENT`]).
    recent: Vec<(Sparse, Sparse, String)>,
}

/// The story clustering's state.
#[derive(Debug)]
pub struct StoryIndex {
    config: StoryConfig,
    stories: Vec<Story>,
    /// Story id → its index in `stories`.
    ids: HashMap<String, usize>,
    /// Index of a story merged away → the story it went into.
    merged_into: HashMap<usize, usize>,
    postings: HashMap<u64, Vec<usize>>,
    frequencies: Frequencies,
    now: i64,
    seen: u64,
}

impl StoryIndex {
    /// An empty index.
    pub fn new(config: StoryConfig) -> Self {
        Self {
            config,
            stories: Vec::new(),
            ids: HashMap::new(),
            merged_into: HashMap::new(),
            postings: HashMap::new(),
            frequencies: Frequencies::default(),
            now: i64::MIN,
            seen: 0,
        }
    }

    /// Assigns an article to a story.
    pub fn assign(&mut self, profile: &ArticleProfile) -> Assignment {
        self.seen += 1;
        self.now = profile.time.unwrap_or(self.now).max(self.now);
        self.frequencies.add(
            profile
                .terms
                .iter()
                .chain(&profile.entities)
                .map(|&(k, _)| k),
        );
        let terms = self.weigh(&profile.terms, self.config.max_terms);
        let entities = self.weigh(&profile.entities, self.config.max_entities);
        let scored = self.score_candidates(&terms, &entities, &profile.language);
        let best = scored.first().copied();
        let (story, score) = match best {
            Some((s, score)) if score >= self.config.join_threshold => (s, Some(score)),
            _ => (self.open_story(&profile.article_id), None),
        };
        let group = self.syndication_group(story, profile);
        self.add_member(story, profile, &terms, &entities, group.clone());
        let merged = if score.is_some() {
            self.merge_bridged(story, &scored)
        } else {
            Vec::new()
        };
        if self.seen.is_multiple_of(COMPACT_EVERY) {
            self.compact();
        }
        Assignment {
            article_id: profile.article_id.clone(),
            story_id: self.stories[story].id.clone(),
            syndication_group: group,
            score,
            merged,
        }
    }

    /// The story an id ends up in after every merge so far.
    pub fn resolve(&self, story_id: &str) -> Option<String> {
        let at = *self.ids.get(story_id)?;
        Some(self.stories[self.live(at)].id.clone())
    }

    fn horizon(&self) -> i64 {
        let window = (self.config.window_hours * 3600.0) as i64;
        self.now.saturating_sub(window)
    }

    /// An article's words or entities weighted by rarity, the `k` heaviest, length one.
    fn weigh(&self, raw: &[(u64, f32)], k: usize) -> Sparse {
        let weighted: Sparse = raw
            .iter()
            .map(|&(key, w)| (key, w * self.frequencies.idf(key)))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        normalized(top(weighted, k))
    }

    /// Live candidate stories with their score, best first (ties: the older story).
    ///
    /// Against a member in another language the words say nothing (they never match), so
    /// the score with it is the entities' alone: an Arabic and an English report of one
    /// event meet on their linked ids.
    fn score_candidates(
        &self,
        terms: &Sparse,
        entities: &Sparse,
        language: &str,
    ) -> Vec<(usize, f32)> {
        let horizon = self.horizon();
        let lookup = top(terms.clone(), LOOKUP_TERMS);
        let mut candidates: Vec<usize> = lookup
            .iter()
            .chain(entities.iter())
            .filter_map(|(k, _)| self.postings.get(k))
            .flatten()
            .map(|&s| self.live(s))
            .filter(|&s| self.stories[s].last_time >= horizon)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let share = self.config.term_share;
        let mut scored: Vec<(usize, f32)> = candidates
            .into_iter()
            .map(|s| {
                let story = &self.stories[s];
                let t = dot(terms, &normalized(story.terms.clone()));
                let e = dot(entities, &normalized(story.entities.clone()));
                let nearest = story
                    .recent
                    .iter()
                    .map(|(mt, me, lang)| {
                        if lang == language {
                            share * dot(terms, mt) + (1.0 - share) * dot(entities, me)
                        } else {
                            dot(entities, me)
                        }
                    })
                    .fold(0.0f32, f32::max);
                (s, (share * t + (1.0 - share) * e).max(nearest))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }

    fn live(&self, mut story: usize) -> usize {
        while let Some(&next) = self.merged_into.get(&story) {
            story = next;
        }
        story
    }

    fn open_story(&mut self, first_article: &str) -> usize {
        let id = format!("story-{:016x}", xxh3_64(first_article.as_bytes()));
        self.ids.insert(id.clone(), self.stories.len());
        self.stories.push(Story {
            id,
            terms: Vec::new(),
            entities: Vec::new(),
            last_time: self.now,
            members: Vec::new(),
            recent: Vec::new(),
        });
        self.stories.len() - 1
    }

    fn syndication_group(&self, story: usize, profile: &ArticleProfile) -> String {
        self.stories[story]
            .members
            .iter()
            .rev()
            .take(SYNDICATION_SCAN)
            .find(|(_, hash, _)| {
                profile.simhash != 0
                    && (*hash ^ profile.simhash).count_ones() <= self.config.syndication_bits
            })
            .map_or_else(|| profile.article_id.clone(), |(_, _, g)| g.clone())
    }

    fn add_member(
        &mut self,
        story: usize,
        profile: &ArticleProfile,
        terms: &Sparse,
        entities: &Sparse,
        group: String,
    ) {
        let (max_terms, max_entities) = (self.config.max_terms * 2, self.config.max_entities * 2);
        let now = self.now;
        let s = &mut self.stories[story];
        s.terms = top(add(&s.terms, terms), max_terms);
        s.entities = top(add(&s.entities, entities), max_entities);
        s.last_time = s.last_time.max(now);
        s.members
            .push((profile.article_id.clone(), profile.simhash, group));
        if s.recent.len() == RECENT {
            s.recent.remove(0);
        }
        s.recent
            .push((terms.clone(), entities.clone(), profile.language.clone()));
        let keys: Vec<u64> = s.terms.iter().chain(&s.entities).map(|&(k, _)| k).collect();
        for k in keys {
            let list = self.postings.entry(k).or_default();
            if list.last() != Some(&story) {
                list.push(story);
            }
        }
    }

    /// Other candidates the new member made close: merged into the oldest of them.
    fn merge_bridged(&mut self, story: usize, scored: &[(usize, f32)]) -> Vec<String> {
        let mut merged = Vec::new();
        let mut into = story;
        for &(other, score) in scored.iter().skip(1) {
            if score < self.config.join_threshold {
                break;
            }
            let other = self.live(other);
            if other == into {
                continue;
            }
            let (a, b) = (&self.stories[into], &self.stories[other]);
            let share = self.config.term_share;
            let similarity = share
                * dot(&normalized(a.terms.clone()), &normalized(b.terms.clone()))
                + (1.0 - share)
                    * dot(
                        &normalized(a.entities.clone()),
                        &normalized(b.entities.clone()),
                    );
            if similarity < self.config.merge_threshold {
                continue;
            }
            let (older, younger) = (into.min(other), into.max(other));
            let taken = std::mem::take(&mut self.stories[younger].members);
            let (terms, entities) = (
                std::mem::take(&mut self.stories[younger].terms),
                std::mem::take(&mut self.stories[younger].entities),
            );
            let last = self.stories[younger].last_time;
            let recent = std::mem::take(&mut self.stories[younger].recent);
            let keep = &mut self.stories[older];
            keep.members.extend(taken);
            keep.recent.extend(recent);
            let excess = keep.recent.len().saturating_sub(RECENT);
            keep.recent.drain(..excess);
            keep.terms = top(add(&keep.terms, &terms), self.config.max_terms * 2);
            keep.entities = top(add(&keep.entities, &entities), self.config.max_entities * 2);
            keep.last_time = keep.last_time.max(last);
            self.merged_into.insert(younger, older);
            merged.push(self.stories[younger].id.clone());
            into = older;
        }
        merged
    }

    /// Drops postings of stories out of the window or merged away.
    fn compact(&mut self) {
        let horizon = self.horizon();
        let stories = &self.stories;
        let merged = &self.merged_into;
        self.postings.retain(|_, list| {
            list.retain(|s| !merged.contains_key(s) && stories[*s].last_time >= horizon);
            !list.is_empty()
        });
        for s in self.stories.iter_mut().filter(|s| s.last_time < horizon) {
            s.terms = Vec::new();
            s.entities = Vec::new();
            s.members = Vec::new();
            s.recent = Vec::new();
        }
    }
}
