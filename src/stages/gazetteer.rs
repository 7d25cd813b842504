//! Longest-match lookup of known names in a document's match key.
//!
//! Patterns and text meet in the match key (see [`crate::stages::normalize::match_key`]), so
//! «إدلب» finds «ادلب» and «Reuters» finds «reuters». Arabic names may carry proclitics fused
//! to their first word («بحلب», «وروسيا», «للجيش»): a match is accepted when what precedes it
//! in its word is a known proclitic sequence, and the mention then covers the name alone,
//! except where the article's alef was absorbed («للجيش السوري» is «ل» + «الجيش السوري»), in
//! which case the mention includes the fused «ل». Short all-capital Latin aliases ("AP",
//! "SANA") only match in the same case.

use aho_corasick::{AhoCorasick, MatchKind};

use super::normalize::{Document, match_key};

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
    pub fn build(self, proclitics: &[Vec<char>]) -> Result<Gazetteer, aho_corasick::BuildError> {
        self.build_as(proclitics, aho_corasick::AhoCorasickKind::DFA)
    }

    /// Builds the automaton as a contiguous NFA: for tens of thousands of aliases, where a
    /// DFA would take seconds to build and hundreds of megabytes to hold.
    pub fn build_large(
        self,
        proclitics: &[Vec<char>],
    ) -> Result<Gazetteer, aho_corasick::BuildError> {
        self.build_as(proclitics, aho_corasick::AhoCorasickKind::ContiguousNFA)
    }

    fn build_as(
        self,
        proclitics: &[Vec<char>],
        kind: aho_corasick::AhoCorasickKind,
    ) -> Result<Gazetteer, aho_corasick::BuildError> {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&self.keys)?;
        Ok(Gazetteer {
            automaton,
            patterns: self.patterns,
            proclitics: proclitics.to_vec(),
        })
    }
}

/// A compiled set of aliases.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    proclitics: Vec<Vec<char>>,
}

impl Gazetteer {
    /// All accepted matches in the document, longest first where they overlap, in text order.
    pub fn find(&self, doc: &Document) -> Vec<GazetteerMatch> {
        self.find_in(doc, aho_corasick::Input::new(doc.key_index.text.as_str()))
    }

    /// The accepted matches lying within model range `start..end` (what [`Gazetteer::find`]
    /// would give there, for the cost of searching that range alone).
    pub fn find_within(&self, doc: &Document, start: usize, end: usize) -> Vec<GazetteerMatch> {
        let key = &doc.key_index;
        let input =
            aho_corasick::Input::new(key.text.as_str()).span(key.byte_at(start)..key.byte_at(end));
        self.find_in(doc, input)
    }

    fn find_in(&self, doc: &Document, input: aho_corasick::Input<'_>) -> Vec<GazetteerMatch> {
        let key = &doc.key_index;
        let mut candidates = Vec::new();
        for m in self.automaton.find_overlapping_iter(input) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let start = key.char_at(m.start());
            let end = key.char_at(m.end());
            if let Some(found) = self.accept(doc, pattern, start, end) {
                candidates.push(found);
            }
        }
        select_longest(candidates, doc.layers.len())
    }

    fn accept(
        &self,
        doc: &Document,
        pattern: &Pattern,
        start: usize,
        end: usize,
    ) -> Option<GazetteerMatch> {
        let model = &doc.layers.model;
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
            if last != 'ل' || !(rest.is_empty() || self.is_proclitic(rest)) {
                return None;
            }
            return Some(GazetteerMatch {
                start: start - 1,
                end,
                entry: pattern.entry,
                proclitic: rest.len(),
            });
        }
        if !(prefix.is_empty() || pattern.arabic && self.is_proclitic(prefix)) {
            return None;
        }
        // A name written without the article never takes it: «السورية» is the adjective
        // "Syrian", not «سورية» (Syria), and «الحلبي» is no «حلب». Names that carry the
        // article have it in their alias («العراق», «الجيش السوري»).
        if super::normalize::carries_article(prefix) {
            return None;
        }
        Some(GazetteerMatch {
            start,
            end,
            entry: pattern.entry,
            proclitic: prefix.len(),
        })
    }

    fn is_proclitic(&self, prefix: &[char]) -> bool {
        self.proclitics.iter().any(|p| p[..] == *prefix)
    }
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

/// Letters, marks and digits make words; everything else separates them.
///
/// ASCII and the Arabic block answer from their ranges: the general Unicode tables are the
/// slow path, and this runs on every character of every article.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        return is_arabic_letter(c) || is_digit(c) || is_mark(c);
    }
    c.is_alphanumeric() || is_mark(c)
}

/// Digits of any script, with ASCII and Arabic-Indic answered from their ranges.
#[inline]
pub fn is_digit(c: char) -> bool {
    match c {
        '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => true,
        c if c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) => false,
        c => c.is_numeric(),
    }
}

/// Combining marks, roughly: the general categories Mn/Mc/Me for the scripts newsflow reads.
#[inline]
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Arabic-script letters (the base block and its supplements).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::normalize::Normalizer;

    /// The texts of the matches of `aliases` (one entry each) in `text`.
    fn matches(aliases: &[&str], text: &str) -> Vec<String> {
        let normalizer = Normalizer::new().expect("bundled tables load");
        let mut builder = GazetteerBuilder::new();
        for alias in aliases {
            let entry = builder.add();
            builder.alias(entry, alias);
        }
        let gazetteer = builder.build(normalizer.proclitics()).expect("builds");
        let doc = normalizer.run(text.to_string(), None).expect("normalizes");
        gazetteer
            .find(&doc)
            .iter()
            .map(|m| doc.layers.model[m.start..m.end].iter().collect())
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
