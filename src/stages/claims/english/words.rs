//! The English word lists the attribution patterns read, bundled from
//! `data/claims/english/*.txt` and read once, on first use.

use std::sync::LazyLock;

use crate::table::Table;

/// A bundled list of words, compared with the words' match keys.
pub struct WordList(Vec<&'static str>);

impl WordList {
    fn bundled(file: &'static str, text: &'static str) -> Self {
        WordList(Table::new(file, text).words().collect())
    }

    /// True when `word` is on the list.
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(&word)
    }
}

/// A list named after its file under `data/claims/english/`.
macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident = $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<WordList> = LazyLock::new(|| {
            WordList::bundled(
                $file,
                include_str!(concat!("../../../../data/claims/english/", $file)),
            )
        });
    };
}

word_list!(
    /// Words that end a speaker phrase when reading leftwards from the cue.
    CLAUSE_WORDS = "clause-words.txt"
);
word_list!(
    /// Words that may stand between a speaker and its verb ("has said", "also told").
    AUXILIARIES = "auxiliaries.txt"
);
word_list!(
    /// Words before a noun, never before a verb: "the show", "two states", "their claims".
    NOUN_MARKERS = "noun-markers.txt"
);
word_list!(
    /// Forms of "be" before a progressive participle ("is warning", "isn't saying").
    BE_FORMS = "be-forms.txt"
);
word_list!(
    /// Words the trained detector may mark inside a cue phrase that are never its verb.
    FUNCTION_WORDS = "function-words.txt"
);
word_list!(
    /// Irregular past forms of reporting verbs: never nouns.
    PAST_FORMS = "past-forms.txt"
);
word_list!(
    /// Prepositions: a subject neither starts nor ends with one, so a cue read after a
    /// phrase that does is a noun in it.
    PREPOSITIONS = "prepositions.txt"
);
word_list!(
    /// Words that follow a noun but never a reporting verb: "states could", "shows of".
    AFTER_NOUNS = "after-nouns.txt"
);
word_list!(
    /// Words that open a phrase of time, place or occasion before a clause ("In an
    /// interview, ...", "On Sunday, ...", "Through a spokesman, ...").
    CIRCUMSTANCE_STARTS = "circumstance-starts.txt"
);
word_list!(
    /// Object pronouns a participle may take before what it reports ("telling them that").
    OBJECT_PRONOUNS = "object-pronouns.txt"
);
word_list!(
    /// Possessive determiners that own a noun of saying: "his claim that C".
    POSSESSIVES = "possessives.txt"
);
word_list!(
    /// Forms of "be" that make a passive with a past participle.
    PASSIVE_BE = "passive-be.txt"
);
word_list!(
    /// Words before a participle that make it the verb of its clause ("by saying he would").
    GOVERNING_PREPOSITIONS = "governing-prepositions.txt"
);
word_list!(
    /// Modals and "have" before the "be" of a passive: they belong to the verb.
    VERB_AUXILIARIES = "verb-auxiliaries.txt"
);
word_list!(
    /// Subject pronouns: a verb group read leftwards from an infinitive stops before one.
    SUBJECT_PRONOUNS = "subject-pronouns.txt"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_loads_words_without_blanks() {
        let lists = [
            &CLAUSE_WORDS,
            &AUXILIARIES,
            &NOUN_MARKERS,
            &BE_FORMS,
            &FUNCTION_WORDS,
            &PAST_FORMS,
            &PREPOSITIONS,
            &AFTER_NOUNS,
            &CIRCUMSTANCE_STARTS,
            &OBJECT_PRONOUNS,
            &POSSESSIVES,
            &PASSIVE_BE,
            &GOVERNING_PREPOSITIONS,
            &VERB_AUXILIARIES,
            &SUBJECT_PRONOUNS,
        ];
        for list in lists {
            assert!(!list.0.is_empty());
            assert!(
                list.0
                    .iter()
                    .all(|w| !w.is_empty() && !w.contains(char::is_whitespace))
            );
        }
        assert!(FUNCTION_WORDS.contains("whose") && !FUNCTION_WORDS.contains("said"));
        assert!(BE_FORMS.contains("isn’t"));
    }
}
