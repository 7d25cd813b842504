//! Names the knowledge base lacks, in English: runs of capitalised words, typed by the
//! words around and inside them. A first cut, to be replaced by the trained tagger.

use crate::record::EntityType;
use crate::stages::normalize::{Document, TokenKind};

/// Titles that make the following name a person, as written.
const PERSON_TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Sen",
    "Senator",
    "Rep",
    "Gov",
    "Governor",
    "Gen",
    "General",
    "Minister",
    "Secretary",
    "Prime",
    "King",
    "Queen",
    "Prince",
    "Judge",
    "Justice",
    "Mayor",
    "Chairman",
    "Speaker",
    "Leader",
    "Col",
    "Lt",
    "Sgt",
    "Prof",
    "Rev",
    "Ambassador",
    "Director",
    "Commissioner",
    "Chancellor",
    "Pope",
];
/// Words that make a name containing them an organisation.
const ORG_WORDS: &[&str] = &[
    "Party",
    "Ministry",
    "Department",
    "Council",
    "Committee",
    "Union",
    "Army",
    "Agency",
    "Court",
    "University",
    "Corp",
    "Inc",
    "Commission",
    "Association",
    "Institute",
    "Bank",
    "Group",
    "Company",
    "Foundation",
    "Office",
    "Bureau",
    "Administration",
    "Campaign",
    "Times",
    "Post",
    "News",
    "Journal",
    "Network",
    "Senate",
    "House",
    "Congress",
    "Force",
    "Forces",
    "Service",
    "Organization",
    "Organisation",
    "Front",
    "Movement",
    "Brigade",
];
/// Capitalised words that are not names at the start of a sentence or alone.
const STOP_CAPITALS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "If",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Then",
    "When",
    "While",
    "As",
    "For",
    "After",
    "Before",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "What",
    "Who",
    "Why",
    "How",
    "So",
    "Yet",
    "Still",
    "Some",
    "Many",
    "Most",
    "One",
    "Two",
    "No",
    "Not",
    "All",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "By",
    "From",
    "With",
    "Of",
    "To",
    "You",
    "Do",
];
/// Lower-case words allowed inside a name ("Bank of England", "al-Assad").
const NAME_JOINERS: &[&str] = &["of", "for", "de", "al", "bin", "van", "von", "the", "and"];

/// A name found by the heuristic, in model-text offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundName {
    /// First model character.
    pub start: usize,
    /// One past the last model character.
    pub end: usize,
    /// Type.
    pub kind: EntityType,
}

/// Capitalised runs of Latin words in the document's extractable sentences.
pub fn find(doc: &Document) -> Vec<FoundName> {
    let mut out = Vec::new();
    let text = |t: &crate::stages::normalize::Token| -> String {
        doc.layers.model[t.start..t.end].iter().collect()
    };
    for sentence in doc.extractable_sentences() {
        let tokens = &doc.tokens[sentence.first_token..sentence.end_token];
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            let word = text(t);
            if !is_capitalised(t.kind, &word) || STOP_CAPITALS.contains(&word.trim_end_matches('.'))
            {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            let mut last = i;
            while j < tokens.len() {
                let w = text(&tokens[j]);
                if is_capitalised(tokens[j].kind, &w) && !STOP_CAPITALS.contains(&w.as_str()) {
                    last = j;
                } else if !(NAME_JOINERS.contains(&w.as_str()) && j + 1 < tokens.len()) {
                    break;
                }
                j += 1;
            }
            let words: Vec<String> = tokens[i..=last].iter().map(text).collect();
            let prev = (i > 0).then(|| text(&tokens[i - 1]));
            let prev2 = (i > 1).then(|| text(&tokens[i - 2]));
            let titled = [prev.as_deref(), prev2.as_deref()]
                .into_iter()
                .flatten()
                .any(|p| PERSON_TITLES.contains(&p.trim_end_matches('.')));
            let kind = if words.iter().any(|w| ORG_WORDS.contains(&w.as_str())) {
                Some(EntityType::ORG)
            } else if titled {
                Some(EntityType::PER)
            } else if (2..=3).contains(&words.len()) && i > 0 {
                // Two or three capitalised words inside a sentence: most often a person.
                Some(EntityType::PER)
            } else {
                None
            };
            if let Some(kind) = kind {
                out.push(FoundName {
                    start: tokens[i].start,
                    end: tokens[last].end,
                    kind,
                });
            }
            i = last + 1;
        }
    }
    out
}

fn is_capitalised(kind: TokenKind, word: &str) -> bool {
    kind == TokenKind::Word
        && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .any(|c| c.is_ascii_lowercase() || word.len() <= 5)
}
