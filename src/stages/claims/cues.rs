//! The reporting-cue lexicons (`data/claims/cues-*.tsv`) and speaker descriptors.

use std::collections::HashMap as StdHashMap;

/// The lexicons' maps: looked up for every word of every sentence, so with a fast hasher
/// (foldhash) rather than the default SipHash; their keys are our own tables' words.
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::FixedState>;

use crate::record::{CueClass, SpeakerKind};
use crate::table::{Table, TableError};
use crate::text::match_key;

/// How a cue relates to its speaker and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A reporting verb: «قال», "said".
    Verb,
    /// A participle continuing the last speaker: «مشيرا».
    Participle,
    /// A preposition: «بحسب», "according to".
    Prep,
    /// A noun of saying after its owner and before "that": "Trump's claim that C".
    Noun,
}

/// A cue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueEntry {
    /// What the cue does.
    pub class: CueClass,
    /// How it attaches.
    pub kind: CueKind,
    /// A verb that reports only with a complementizer or a quotation after it («تابع أن»,
    /// «رأى أن»; but «تابع المباراة», «رأى الصورة»): kind `verb_that` in the tables.
    pub needs_complement: bool,
}

/// Cues by match key; multi-word cues by their words.
#[derive(Debug, Clone, Default)]
pub struct CueLexicon {
    single: HashMap<String, CueEntry>,
    /// Words that make a single-word cue no cue when they follow it ("show up", "found
    /// himself", "pledged delegates").
    not_before: HashMap<String, Vec<String>>,
    /// Words that make a single-word cue no cue when they precede it ("talk show",
    /// "helped found").
    not_after: HashMap<String, Vec<String>>,
    /// Multi-word cues as word keys.
    pub phrases: Vec<(Vec<String>, CueEntry)>,
}

impl CueLexicon {
    /// Loads a `form, class, kind[, not before[, not after]]` table; the optional fourth
    /// and fifth columns list, comma-separated, the words that make the form no cue when
    /// they follow it and when they precede it.
    pub fn load(table: &str, name: &str) -> Result<Self, TableError> {
        let mut lexicon = CueLexicon::default();
        for row in Table::new(name, table).rows() {
            let fields = row.at_least(3)?;
            if fields.len() > 5 {
                return Err(row.invalid(format!(
                    "expected 3 to 5 tab-separated columns, found {}",
                    fields.len()
                )));
            }
            let optional = |k: usize| fields.get(k).copied().unwrap_or("");
            let (form, class, kind) = (fields[0], fields[1], fields[2]);
            let (not_before, not_after) = (optional(3), optional(4));
            let entry = CueEntry {
                class: parse_class(class)
                    .ok_or_else(|| row.invalid(format!("unknown class {class:?}")))?,
                kind: match kind {
                    "verb" | "verb_that" => CueKind::Verb,
                    "participle" => CueKind::Participle,
                    "prep" => CueKind::Prep,
                    "noun" => CueKind::Noun,
                    _ => return Err(row.invalid(format!("unknown kind {kind:?}"))),
                },
                needs_complement: kind == "verb_that",
            };
            let words: Vec<String> = match_key(form).split(' ').map(str::to_string).collect();
            if words.len() == 1 {
                for (column, map) in [
                    (not_before, &mut lexicon.not_before),
                    (not_after, &mut lexicon.not_after),
                ] {
                    let blocked: Vec<String> = column
                        .split(',')
                        .map(str::trim)
                        .filter(|w| !w.is_empty())
                        .map(match_key)
                        .collect();
                    if !blocked.is_empty() {
                        map.insert(words[0].clone(), blocked);
                    }
                }
                lexicon.single.insert(words[0].clone(), entry);
            } else {
                lexicon.phrases.push((words, entry));
            }
        }
        Ok(lexicon)
    }

    /// The cue a word's match key is, if any.
    pub fn get(&self, key: &str) -> Option<CueEntry> {
        self.single.get(key).copied()
    }

    /// The cue a word is between `previous` and `next` (its neighbours' keys): none where
    /// the table says a neighbour makes it no cue.
    pub fn get_between(
        &self,
        previous: Option<&str>,
        key: &str,
        next: Option<&str>,
    ) -> Option<CueEntry> {
        let listed = |map: &HashMap<String, Vec<String>>, word: Option<&str>| {
            word.is_some_and(|word| {
                map.get(key)
                    .is_some_and(|words| words.iter().any(|w| w == word))
            })
        };
        let entry = self.get(key)?;
        (!listed(&self.not_before, next) && !listed(&self.not_after, previous)).then_some(entry)
    }
}

fn parse_class(class: &str) -> Option<CueClass> {
    Some(match class {
        "report" => CueClass::Report,
        "confirm" => CueClass::Confirm,
        "claim" => CueClass::Claim,
        "deny" => CueClass::Deny,
        "warn" => CueClass::Warn,
        "promise" => CueClass::Promise,
        "estimate" => CueClass::Estimate,
        "opinion" => CueClass::Opinion,
        "accuse" => CueClass::Accuse,
        _ => return None,
    })
}

/// Speaker descriptions that are not named entities, longest first.
#[derive(Debug, Clone, Default)]
pub struct Descriptors {
    entries: Vec<(String, SpeakerKind)>,
}

impl Descriptors {
    /// Loads a `description, kind` table.
    pub fn load(table: &str) -> Result<Self, TableError> {
        let mut entries = Vec::new();
        for row in Table::new("speaker-descriptors.tsv", table).rows() {
            let (description, kind) = row.pair()?;
            let kind = match kind.trim() {
                "anonymous_official" => SpeakerKind::AnonymousOfficial,
                "anonymous" => SpeakerKind::Anonymous,
                "state_media" => SpeakerKind::StateMedia,
                "media" => SpeakerKind::Media,
                "witness" => SpeakerKind::Witness,
                "document" => SpeakerKind::Document,
                "named_org" => SpeakerKind::NamedOrg,
                other => return Err(row.invalid(format!("unknown kind {other:?}"))),
            };
            entries.push((match_key(description), kind));
        }
        entries.sort_by_key(|(d, _)| std::cmp::Reverse(d.chars().count()));
        Ok(Descriptors { entries })
    }

    /// The kind of a speaker whose words (match key) start with a known description.
    pub fn kind_of(&self, speaker_key: &str) -> Option<SpeakerKind> {
        let speaker_key = speaker_key.trim_start_matches("the ");
        self.entries
            .iter()
            .find(|(d, _)| {
                speaker_key.starts_with(d.as_str())
                    && speaker_key[d.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
            .map(|(_, k)| *k)
    }
}

#[cfg(test)]
mod neighbour_tests {
    use super::*;

    #[test]
    fn a_listed_neighbour_makes_a_form_no_cue() {
        let table = "show\treport\tverb\tup\ttalk\nsaid\treport\tverb\n";
        let lexicon = CueLexicon::load(table, "test.tsv").expect("loads");
        assert!(
            lexicon
                .get_between(Some("polls"), "show", Some("that"))
                .is_some()
        );
        assert!(
            lexicon
                .get_between(Some("polls"), "show", Some("up"))
                .is_none()
        );
        assert!(
            lexicon
                .get_between(Some("talk"), "show", Some("host"))
                .is_none()
        );
        assert!(lexicon.get_between(None, "said", None).is_some());
        assert!(CueLexicon::load("a\treport\tverb\tx\ty\tz\n", "bad.tsv").is_err());
    }

    #[test]
    fn a_malformed_row_is_named_by_file_and_line() {
        let err = CueLexicon::load(
            "# header\nsaid\treport\tverb\nsays\tgossip\tverb\n",
            "c.tsv",
        )
        .expect_err("unknown class");
        assert_eq!(err.to_string(), "c.tsv line 3: unknown class \"gossip\"");
        let err = CueLexicon::load("a\treport\tverb\tx\ty\tz\n", "c.tsv").expect_err("six");
        assert_eq!(
            err.to_string(),
            "c.tsv line 1: expected 3 to 5 tab-separated columns, found 6"
        );
        let err = Descriptors::load("\nwitnesses\n").expect_err("one column");
        assert_eq!(
            err.to_string(),
            "speaker-descriptors.tsv line 2: expected at least 2 tab-separated columns, found 1"
        );
        let err = super::super::quantities::QuantityWords::load("people\tunit\n")
            .expect_err("two columns");
        assert_eq!(
            err.to_string(),
            "quantity-words.tsv line 1: expected 3 tab-separated columns, found 2"
        );
    }
}
