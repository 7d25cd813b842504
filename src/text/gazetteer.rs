//! Longest-match lookup of known names in a text's match key.
//!
//! Patterns and text meet in the match key (see [`super::layers::match_key`]), so
//! «إدلب» finds «ادلب» and «Reuters» finds «reuters». Arabic names may carry proclitics fused
//! to their first word («بحلب», «وروسيا», «للجيش»): a match is accepted when what precedes it
//! in its word is a known proclitic sequence, and the mention then covers the name alone,
//! except where the article's alef was absorbed («للجيش السوري» is «ل» + «الجيش السوري»), in
//! which case the mention includes the fused «ل». Short all-capital Latin aliases ("AP",
//! "SANA") only match in the same case.

use aho_corasick::{AhoCorasick, MatchKind};

use super::arabic::{carries_article, is_proclitic};
use super::chars::{is_arabic_letter, is_word_char};
use super::key_index::KeyIndex;
use super::layers::{TextLayers, match_key};

/// One accepted match, in model-text character offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazetteerMatch {
    /// First model character of the mention.
    pub start: usize,
    /// One past the last model character of the mention.
    pub end: usize,
    /// Index of the entry (as returned by [`GazetteerBuilder::add`]).
    pub entry: usize,
    /// Length of the proclitic before the mention, in characters (0 when none).
    pub proclitic: usize,
}

#[derive(Debug, Clone)]
struct Pattern {
    entry: usize,
    /// The alias exactly as written, for case-sensitive aliases.
    exact: Option<Vec<char>>,
    /// The pattern is the alias without the alef of its article: it must follow «ل».
    after_lam: bool,
    /// First character is Arabic: proclitics may precede it.
    arabic: bool,
}

/// Collects aliases, then builds a [`Gazetteer`].
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    keys: Vec<String>,
    patterns: Vec<Pattern>,
    entries: usize,
}

impl GazetteerBuilder {
    /// A new, empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a new entry and returns its index; add its aliases with [`Self::alias`].
    pub fn add(&mut self) -> usize {
        self.entries += 1;
        self.entries - 1
    }

    /// Adds one alias of `entry`.
    pub fn alias(&mut self, entry: usize, alias: &str) {
        let key = match_key(alias.trim());
        if key.chars().count() < 2 {
            return;
        }
        let arabic = key.chars().next().is_some_and(is_arabic_letter);
        let case_sensitive = alias.len() <= 6
            && alias.chars().all(|c| c.is_ascii_uppercase() || c == '.')
            && alias.chars().any(|c| c.is_ascii_uppercase());
        let exact = case_sensitive.then(|| alias.trim().chars().collect());
        if arabic && key.starts_with("ال") && key.chars().count() > 3 {
            // «للجيش»: the article's alef disappears after the preposition «ل».
            self.keys.push(key["ا".len()..].to_string());
            self.patterns.push(Pattern {
                entry,
                exact: None,
                after_lam: true,
                arabic,
            });
        }
        self.keys.push(key);
        self.patterns.push(Pattern {
            entry,
            exact,
            after_lam: false,
            arabic,
        });
    }

    /// Number of entries added.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// True when no entry was added.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Builds the automaton as a DFA: fastest to search, for small sets of aliases.
    pub fn build(self) -> Result<Gazetteer, aho_corasick::BuildError> {
        self.build_as(aho_corasick::AhoCorasickKind::DFA)
    }

    /// Builds the automaton as a contiguous NFA: for tens of thousands of aliases, where a
    /// DFA would take seconds to build and hundreds of megabytes to hold.
    pub fn build_large(self) -> Result<Gazetteer, aho_corasick::BuildError> {
        self.build_as(aho_corasick::AhoCorasickKind::ContiguousNFA)
    }

    fn build_as(
        self,
        kind: aho_corasick::AhoCorasickKind,
    ) -> Result<Gazetteer, aho_corasick::BuildError> {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&self.keys)?;
        Ok(Gazetteer {
            automaton,
            patterns: self.patterns,
        })
    }
}

/// A compiled set of aliases.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl Gazetteer {
    /// All accepted matches in a text (its layers and the index of its match key), longest
    /// first where they overlap, in text order.
    pub fn find(&self, layers: &TextLayers, key: &KeyIndex) -> Vec<GazetteerMatch> {
        self.find_in(layers, key, aho_corasick::Input::new(key.text.as_str()))
    }

    /// The accepted matches lying within model range `start..end` (what [`Gazetteer::find`]
    /// would give there, for the cost of searching that range alone).
    pub fn find_within(
        &self,
        layers: &TextLayers,
        key: &KeyIndex,
        start: usize,
        end: usize,
    ) -> Vec<GazetteerMatch> {
        let input =
            aho_corasick::Input::new(key.text.as_str()).span(key.byte_at(start)..key.byte_at(end));
        self.find_in(layers, key, input)
    }

    fn find_in(
        &self,
        layers: &TextLayers,
        key: &KeyIndex,
        input: aho_corasick::Input<'_>,
    ) -> Vec<GazetteerMatch> {
        let mut candidates = Vec::new();
        for m in self.automaton.find_overlapping_iter(input) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let start = key.char_at(m.start());
            let end = key.char_at(m.end());
            if let Some(found) = accept(&layers.model, pattern, start, end) {
                candidates.push(found);
            }
        }
        select_longest(candidates, layers.len())
    }
}

/// The match of `pattern` at model range `start..end`, if it ends a word and what precedes
/// it in its word is a proclitic the pattern may take.
fn accept(model: &[char], pattern: &Pattern, start: usize, end: usize) -> Option<GazetteerMatch> {
    if end < model.len() && is_word_char(model[end]) {
        return None;
    }
    if let Some(exact) = &pattern.exact
        && model[start..end] != exact[..]
    {
        return None;
    }
    let word_start = (0..start)
        .rev()
        .find(|&i| !is_word_char(model[i]))
        .map_or(0, |i| i + 1);
    let prefix = &model[word_start..start];
    if pattern.after_lam {
        let (&last, rest) = prefix.split_last()?;
        if last != 'ل' || !(rest.is_empty() || is_proclitic(rest)) {
            return None;
        }
        return Some(GazetteerMatch {
            start: start - 1,
            end,
            entry: pattern.entry,
            proclitic: rest.len(),
        });
    }
    if !(prefix.is_empty() || pattern.arabic && is_proclitic(prefix)) {
        return None;
    }
    // A name written without the article never takes it: «السورية» is the adjective
    // "Syrian", not «سورية» (Syria), and «الحلبي» is no «حلب». Names that carry the
    // article have it in their alias («العراق», «الجيش السوري»).
    if carries_article(prefix) {
        return None;
    }
    Some(GazetteerMatch {
        start,
        end,
        entry: pattern.entry,
        proclitic: prefix.len(),
    })
}

/// Keeps the longest of overlapping matches (earliest first on ties), in text order. An
/// occupancy map of the text keeps this linear in the matches' total length.
fn select_longest(mut candidates: Vec<GazetteerMatch>, text_len: usize) -> Vec<GazetteerMatch> {
    if candidates.len() < 2 {
        return candidates;
    }
    candidates.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
    let mut taken = vec![false; text_len];
    let mut chosen: Vec<GazetteerMatch> = Vec::new();
    for m in candidates {
        let range = m.start.min(text_len)..m.end.min(text_len);
        if !taken[range.clone()].iter().any(|t| *t) {
            taken[range].iter_mut().for_each(|t| *t = true);
            chosen.push(m);
        }
    }
    chosen.sort_by_key(|m| m.start);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of the matches of `aliases` (one entry each) in `text`.
    fn matches(aliases: &[&str], text: &str) -> Vec<String> {
        let mut builder = GazetteerBuilder::new();
        for alias in aliases {
            let entry = builder.add();
            builder.alias(entry, alias);
        }
        let gazetteer = builder.build().expect("builds");
        let layers = TextLayers::build(text);
        let key = KeyIndex::new(&layers.key);
        gazetteer
            .find(&layers, &key)
            .iter()
            .map(|m| layers.model[m.start..m.end].iter().collect())
            .collect()
    }

    #[test]
    fn fused_proclitics_are_left_out_of_the_mention() {
        assert_eq!(matches(&["حلب"], "وصل بحلب وحلب"), ["حلب", "حلب"]);
        // The article's alef is absorbed by «ل»: the mention keeps the fused «ل».
        assert_eq!(
            matches(&["الجيش السوري"], "قال للجيش السوري"),
            ["للجيش السوري"]
        );
    }

    #[test]
    fn the_article_does_not_make_a_name_of_an_adjective() {
        assert!(matches(&["سورية"], "الحكومة السورية وللسورية").is_empty());
        assert_eq!(matches(&["سورية"], "في سورية وبسورية"), ["سورية", "سورية"]);
    }

    #[test]
    fn a_match_must_end_a_word() {
        assert!(matches(&["حلب"], "حلبي").is_empty());
    }
}
