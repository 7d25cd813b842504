//! Attributions in English: "X said (that) C", "C, X said", "C," said X, "X told Reuters C",
//! "according to X, C" and "C, according to X".

use crate::record::CueClass;
use crate::stages::normalize::Agencies;

use super::cues::{CueEntry, CueKind, CueLexicon};
use super::found::{
    CLOSING_QUOTES, Channel, EDGE_PUNCT, FoundClaim, OPENING_QUOTES, SentenceTokens,
};

/// Words that end a speaker phrase when reading leftwards from the cue.
const CLAUSE_WORDS: &[&str] = &[
    "that", "which", "who", "and", "but", "because", "as", "if", "when", "while", "what", "so",
    "or", "than", "where", "though", "although",
];
/// Words that may stand between a speaker and its verb ("has said", "also told").
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "previously",
    "again",
    "repeatedly",
    "once",
    "then",
    "publicly",
    "would",
    "will",
    "did",
    "does",
    "do",
    "reportedly",
    "earlier",
    "just",
    "recently",
];
/// Words before a noun, never before a verb: "the show", "two states", "their claims".
const NOUN_MARKERS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "some",
    "many",
    "several",
    "few",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozen",
    "dozens",
    "other",
    "member",
    "swing",
    "battleground",
    "whose",
    "every",
    "each",
    "no",
];
/// Forms of "be" before a progressive participle ("is warning", "isn't saying").
const BE_FORMS: &[&str] = &[
    "is", "are", "was", "were", "been", "isn't", "isn’t", "aren't", "aren’t", "wasn't", "wasn’t",
    "'s", "’s",
];
/// Words the trained detector may mark inside a cue phrase that are never its verb.
const FUNCTION_WORDS: &[&str] = &[
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "not",
    "never",
    "the",
    "for",
    "could",
    "would",
    "should",
    "can",
    "may",
    "might",
    "must",
    "will",
    "long",
    "get",
    "got",
    "only",
    "even",
    "still",
    "that",
    "this",
    "with",
    "from",
    "about",
    "and",
    "but",
    "into",
    "than",
    "there",
    "here",
    "very",
    "more",
    "most",
    "much",
    "many",
    "yesterday",
    "today",
    "critic",
    // Pronouns and determiners are never the verb of a cue.
    "their",
    "his",
    "her",
    "its",
    "our",
    "your",
    "they",
    "them",
    "him",
    "she",
    "you",
    "who",
    "what",
    "which",
    "whose",
    "some",
    "any",
    "all",
    "other",
    "such",
    "these",
    "those",
];
/// Irregular past forms of reporting verbs: never nouns.
const PAST_FORMS: &[&str] = &[
    "said", "told", "wrote", "spoke", "thought", "knew", "saw", "took", "gave", "made", "put",
    "felt", "found", "held", "meant",
];
/// Prepositions: a subject neither starts nor ends with one, so a cue read after a phrase
/// that does is a noun in it.
const NOT_SUBJECT_STARTS: &[&str] = &[
    "in",
    "of",
    "at",
    "on",
    "for",
    "from",
    "with",
    "by",
    "into",
    "about",
    "over",
    "under",
    "between",
    "among",
    "during",
    "across",
    "according",
];
/// Words that follow a noun but never a reporting verb: "states could", "shows of".
const AFTER_NOUNS: &[&str] = &[
    "could", "would", "should", "can", "may", "might", "must", "are", "were", "is", "was", "have",
    "had", "of", "in", "and", "or",
];
/// Words that open a phrase of time, place or occasion before a clause ("In an interview,
/// ...", "On Sunday, ...", "Through a spokesman, ...").
const CIRCUMSTANCE_STARTS: &[&str] = &[
    "in",
    "on",
    "at",
    "through",
    "during",
    "after",
    "before",
    "with",
    "despite",
    "since",
    "until",
    "when",
    "while",
    "speaking",
    "campaigning",
    "asked",
    "earlier",
    "later",
    "last",
    "this",
    "yesterday",
    "today",
    "following",
    "if",
    "although",
    "though",
    "because",
    "amid",
    "without",
];
/// Object pronouns a participle may take before what it reports ("telling them that").
const OBJECT_PRONOUNS: &[&str] = &["him", "her", "them", "us", "me", "reporters"];
/// Longest speaker, in tokens.
const MAX_SPEAKER: usize = 7;

/// Finds the attributions of one English sentence.
///
/// `learned` holds the cue chunks the trained detector found (none without a model). The
/// table's words are cues wherever they stand; a chunk without one adds its first word
/// that is not an auxiliary ("has also endorsed" → "endorsed"), read as a reporting verb.
/// (Letting the detector veto table words scored 0.477 on PolNeAR dev against 0.468, but
/// it dropped plain "quoted" and "confirmed" in our own samples: too brittle off PolNeAR.)
pub fn extract(
    s: &SentenceTokens,
    lexicon: &CueLexicon,
    learned: Option<&[(usize, usize)]>,
    agencies: &Agencies,
) -> Vec<FoundClaim> {
    let chosen: Option<Vec<bool>> = learned.map(|chunks| {
        let mut chosen = vec![false; s.len()];
        for &(a, b) in chunks {
            let b = b.min(s.len());
            let plain_word = |k: usize| {
                !s.is_punct(k)
                    && !AUXILIARIES.contains(&s.keys[k].as_str())
                    && !FUNCTION_WORDS.contains(&s.keys[k].as_str())
                    && s.doc
                        .token_model(&s.tokens[k])
                        .first()
                        .is_some_and(|c| c.is_lowercase())
                    && s.keys[k].chars().count() >= 3
                    // Letters, a hyphen inside allowed: "pooh-poohed".
                    && s.keys[k].chars().all(|c| c.is_alphabetic() || c == '-')
                    && !s.keys[k].starts_with('-')
                    && !s.keys[k].ends_with('-')
                    // "really", "directly": adverbs are never the verb.
                    && !s.keys[k].ends_with("ly")
                    // "the continued questions", "his early tweets": a word after a
                    // determiner is a noun or an adjective.
                    && !(k > 0 && NOUN_MARKERS.contains(&s.keys[k - 1].as_str()))
                    // After a comma, a form in -ing opens a modifier, not a report
                    // ("..., allowing its case to be heard there"); the table's
                    // participles ("saying") are the ones that report.
                    && !(k > 0 && s.is(k - 1, ',') && s.keys[k].ends_with("ing"))
            };
            if (a..b).all(|k| lexicon.get(&s.keys[k]).is_none())
                && let Some(k) = (a..b).find(|&k| plain_word(k))
            {
                chosen[k] = true;
            }
        }
        chosen
    });
    let mut found = Vec::new();
    let agency_in = |a: usize, b: usize| {
        (a < b)
            .then(|| {
                s.doc
                    .agencies_within(s.tokens[a].start, s.tokens[b - 1].end)
                    .next()
            })
            .flatten()
            .map(|m| {
                (
                    (m.at.start, m.at.end),
                    Some(agencies.id(m.agency).to_string()),
                )
            })
    };
    let mut i = 0;
    while i < s.len() {
        if s.is_punct(i) {
            i += 1;
            continue;
        }
        if s.keys[i] == "according" && s.keys.get(i + 1).is_some_and(|k| k == "to") {
            if let Some(claim) = according_to(s, i, lexicon) {
                found.push(claim);
            }
            i += 2;
            continue;
        }
        // "Asked about the bomb, Clinton said ...": the clause's subject was asked.
        if s.keys[i] == "asked"
            && s.words(0, i) == 0
            && let Some(entry) = lexicon.get("asked")
        {
            if let Some(claim) = asked_first(s, i, entry) {
                found.push(claim);
            }
            i += 1;
            continue;
        }
        // The table's words are cues; the trained detector adds those it lacks.
        let table = lexicon.get_between(
            i.checked_sub(1).map(|k| s.keys[k].as_str()),
            &s.keys[i],
            s.keys.get(i + 1).map(String::as_str),
        );
        let entry = table.or_else(|| {
            chosen
                .as_ref()
                .is_some_and(|chosen| chosen[i])
                .then_some(CueEntry {
                    class: CueClass::Report,
                    kind: CueKind::Verb,
                })
        });
        let Some(entry) = entry else {
            i += 1;
            continue;
        };
        if inside_name(s, i) {
            // "the United States", "Fox News Reports": a word of a name, not a verb.
            i += 1;
            continue;
        }
        let cue = (s.tokens[i].start, s.tokens[i].end);
        // "Trump is warning voters that C": a participle after a form of "be" is the verb.
        let progressive = entry.kind == CueKind::Participle
            && i > 0
            && BE_FORMS.contains(&s.keys[i - 1].as_str());
        let entry = if progressive {
            CueEntry {
                class: entry.class,
                kind: CueKind::Verb,
            }
        } else {
            entry
        };
        // "Claiming the criticism is unfair, Trump ...": a participle opening the sentence
        // reports for the subject after its clause.
        if entry.kind == CueKind::Participle
            && s.words(0, i) == 0
            && let Some(claim) = asked_first(s, i, entry)
        {
            found.push(claim);
            i += 1;
            continue;
        }
        if entry.kind == CueKind::Participle {
            // "..., saying (that) C": the speaker of the clause before continues; so it does
            // in "by saying that C" and "footage of Trump saying “C”", where what follows
            // the participle says it reports.
            // "telling them that C", "asking her, “C”": an object pronoun may come first.
            let object = usize::from(
                s.keys
                    .get(i + 1)
                    .is_some_and(|w| OBJECT_PRONOUNS.contains(&w.as_str())),
            );
            let after = i + 1 + object;
            let reports_after = s.keys.get(after).is_some_and(|w| w == "that")
                || after < s.len() && is_quote_mark(s, after)
                || after + 1 < s.len() && s.is(after, ',') && is_quote_mark(s, after + 1);
            // "by saying he would ...", "after saying her foot was swollen": a preposition
            // before the participle makes it the verb of its clause.
            let governed = i > 0
                && matches!(
                    s.keys[i - 1].as_str(),
                    "by" | "after" | "before" | "while" | "from" | "when" | "without"
                );
            // "quoted a military source as saying C": the relay already claimed C.
            let relayed = i > 0
                && s.keys[i - 1] == "as"
                && found
                    .last()
                    .is_some_and(|f: &FoundClaim| f.content.0 >= cue.1);
            if i > 0 && !relayed && (s.is(i - 1, ',') || reports_after || governed) {
                let mut c = after;
                while c < s.len() && (s.keys[c] == "that" || s.is(c, ':') || s.is(c, ',')) {
                    c += 1;
                }
                if let Some(content) = trimmed(s, c, clause_end(s, lexicon, c)) {
                    found.push(FoundClaim {
                        cue,
                        class: entry.class,
                        kind: entry.kind,
                        // The clause's subject, unless a claim before in the sentence
                        // already carries it.
                        speaker: if found.is_empty() {
                            leading_subject(s, i)
                        } else {
                            None
                        },
                        content,
                        via: None,
                        in_statement: false,
                    });
                }
            }
            i += 1;
            continue;
        }
        if entry.kind == CueKind::Noun {
            if let Some(claim) = owned_noun(s, i, entry, lexicon) {
                found.push(claim);
            }
            i += 1;
            continue;
        }
        if entry.kind != CueKind::Verb {
            i += 1;
            continue;
        }
        // "His views were echoed by tax experts": the agent speaks, the subject was said.
        if let Some(be) = passive_be(s, i) {
            if let Some(claim) = passive(s, i, be, entry, lexicon) {
                found.push(claim);
            }
            i += 1;
            continue;
        }
        // Speaker before the verb, skipping auxiliaries.
        let mut v = i;
        // "Caddell went on to discuss ...", "Pence plans to release ...": the detector's
        // infinitive is the end of a verb group; its subject stands before the group.
        if table.is_none() && i > 1 && s.keys[i - 1] == "to" {
            let mut g = i - 1;
            while g > 0
                && i - 1 - g < 2
                && !s.is_punct(g - 1)
                && s.doc
                    .token_model(&s.tokens[g - 1])
                    .first()
                    .is_some_and(|c| c.is_lowercase())
                && !NOUN_MARKERS.contains(&s.keys[g - 1].as_str())
                && !CLAUSE_WORDS.contains(&s.keys[g - 1].as_str())
                && !matches!(
                    s.keys[g - 1].as_str(),
                    "he" | "she" | "they" | "we" | "i" | "it"
                )
            {
                g -= 1;
            }
            if g < i - 1 {
                v = g;
            }
        }
        while v > 0
            && (AUXILIARIES.contains(&s.keys[v - 1].as_str())
                || progressive && BE_FORMS.contains(&s.keys[v - 1].as_str()))
        {
            v -= 1;
        }
        // "Rep. Gwen Moore (D-Wis.) said": a parenthesis right before the verb is skipped.
        if v > 2 && s.is(v - 1, ')') {
            let open = (v.saturating_sub(8)..v - 1).rev().find(|&k| s.is(k, '('));
            if let Some(open) = open {
                v = open;
            }
        }
        let mut a = v;
        while a > 0
            && v - a < MAX_SPEAKER
            && (!s.is_punct(a - 1) || abbreviation_dot(s, a - 1))
            && !CLAUSE_WORDS.contains(&s.keys[a - 1].as_str())
        {
            a -= 1;
        }
        // "Police officials said a device was found": the subject of another cue's clause
        // is not a speaker.
        let nested = (a..v).any(|k| {
            lexicon
                .get(&s.keys[k])
                .is_some_and(|e| e.kind == CueKind::Verb)
                && !inside_name(s, k)
        });
        if nested || used_as_noun(s, i, a, v) {
            // "their claims that C", "Trump's promises about C": a verb form used as a
            // noun of saying is still its owner's claim.
            if !nested && let Some(claim) = owned_noun(s, i, entry, lexicon) {
                found.push(claim);
            }
            i += 1;
            continue;
        }
        // "X quoted Y as saying C": Y speaks, X relays.
        if (s.keys[i] == "quoted" || s.keys[i] == "quotes")
            && let Some(claim) = quoted_as_saying(s, i, a, v, entry, &agency_in)
        {
            found.push(claim);
            i += 1;
            continue;
        }
        let coordinated = a == v && v > 0 && matches!(s.keys[v - 1].as_str(), "and" | "but");
        let appositive = if a == v {
            appositive_subject(s, v)
        } else {
            None
        };
        let relative = if a == v && appositive.is_none() {
            relative_subject(s, v)
        } else {
            None
        };
        let inverted = a == v && !coordinated && appositive.is_none() && relative.is_none();
        let (speaker, after_speaker, content_before) = if let Some(start) = appositive {
            // "The state's campaign chairman, Phil Lovas, said C": the whole subject speaks.
            (s.range(start, v - 1, &[]), i + 1, start)
        } else if let Some((start, end)) = relative {
            // "Jane Doe, who said C, ...": the noun the relative pronoun stands for speaks.
            (s.range(start, end, &[]), i + 1, i)
        } else if a < v {
            (s.range(a, v, &[]), i + 1, a)
        } else if coordinated {
            // "X said C, and promised D": the subject of the first verb continues.
            let speaker = if found.is_empty() {
                leading_subject(s, i)
            } else {
                None
            };
            (speaker, i + 1, i)
        } else {
            // "..., said Mr. Smith." / "“...,” said the official."
            let mut b = i + 1;
            while b < s.len() && b - i <= MAX_SPEAKER && (!s.is_punct(b) || abbreviation_dot(s, b))
            {
                b += 1;
            }
            (s.range(i + 1, b, &[]), b, i)
        };
        if speaker.is_none() && !coordinated {
            i += 1;
            continue;
        }
        let mut via = None;
        let mut in_statement = false;
        // Content before: "C, X said." when the sentence goes on for little after the cue.
        let before_ends_with_comma = content_before > 0
            && (s.is(content_before - 1, ',') || is_quote_mark(s, content_before - 1));
        // "“C,” X said ...": a quotation just before the speaker is what was said.
        let before_is_quote = content_before > 0 && is_quote_mark(s, content_before - 1)
            || content_before > 1
                && s.is(content_before - 1, ',')
                && is_quote_mark(s, content_before - 2);
        // The clause of the cue ends at ", and ..." or ", but ..." before another clause.
        let rest_end = (after_speaker..s.len())
            .find(|&k| {
                s.is(k, ',')
                    && s.keys
                        .get(k + 1)
                        .is_some_and(|w| w == "and" || w == "but" || w == "while")
            })
            .unwrap_or(s.len());
        let rest_words = s.words(after_speaker, rest_end);
        // "In a statement, it accused ...": a circumstance before the speaker, not content.
        let statement = content_before >= 3
            && s.keys[..3] == ["in", "a", "statement"]
            && s.words(0, content_before) <= 4;
        if statement {
            in_statement = true;
        }
        // "On Fox News Sunday, X said C", "In her 2003 book, X noted C": a phrase of time,
        // place or occasion before the speaker, when what follows the cue reads as content.
        let circumstance = statement
            || opens_circumstance(s)
                && s.words(0, content_before) <= 12
                && content_after(s, after_speaker, rest_end);
        // "C1, he said, C2" and "“C1,” Mr. Obama said, “C2”": one statement around the cue.
        let resumes = after_speaker + 1 < s.len()
            && s.is(after_speaker, ',')
            && (is_quote_mark(s, after_speaker + 1)
                || !inverted && s.words(after_speaker + 1, s.len()) >= 3);
        let content = if !circumstance
            && before_ends_with_comma
            && s.words(0, content_before) >= 1
            && resumes
        {
            via = agency_in(after_speaker, rest_end);
            trimmed(s, 0, clause_end(s, lexicon, after_speaker + 1))
        } else if !circumstance
            && before_ends_with_comma
            && s.words(0, content_before) >= if before_is_quote { 2 } else { 3 }
            && (rest_words <= 6 || inverted || before_is_quote)
        {
            in_statement = (after_speaker..rest_end).any(|k| s.keys[k] == "statement");
            via = agency_in(after_speaker, rest_end);
            // "C1, the agency said in a June report, and C2": the report goes on after the
            // cue's clause.
            let goes_on = !before_is_quote
                && rest_end + 1 < s.len()
                && s.keys[rest_end + 1] == "and"
                && s.words(rest_end + 2, s.len()) >= 4;
            if goes_on {
                trimmed(s, 0, clause_end(s, lexicon, rest_end + 2))
            } else {
                trimmed(s, 0, content_before)
            }
        } else {
            let mut c = after_speaker;
            if s.keys[i] == "told" || s.keys[i] == "tells" {
                // "told Reuters (on Tuesday) that ..."
                let object_end = (c..s.len().min(c + 6))
                    .find(|&k| s.keys[k] == "that" || s.is_punct(k))
                    .unwrap_or(c + 1)
                    .min(s.len());
                via = agency_in(c, object_end);
                c = object_end;
            }
            if c + 3 < s.len()
                && s.keys[c] == "in"
                && s.keys[c + 1] == "a"
                && s.keys[c + 2] == "statement"
            {
                in_statement = true;
                c += 3;
            }
            // "said on Monday that C": a short adverbial before "that" is not content.
            if let Some(that) = (c..s.len().min(c + 5))
                .take_while(|&k| !s.is_punct(k))
                .find(|&k| s.keys[k] == "that")
            {
                c = that;
            }
            while c < s.len() && (s.keys[c] == "that" || s.is(c, ',') || s.is(c, ':')) {
                c += 1;
            }
            let end = clause_end(s, lexicon, c);
            // "Cruz has endorsed Trump": a name alone may be what the cue bears on.
            trimmed(s, c, end).or_else(|| {
                (s.words(c, end) == 1
                    && !s.is_punct(c)
                    && s.doc
                        .token_model(&s.tokens[c])
                        .first()
                        .is_some_and(|ch| ch.is_uppercase()))
                .then(|| s.range(c, c + 1, &[]))
                .flatten()
            })
        };
        // "“Who do you trust?” said David Plouffe, the architect of the campaign.": a
        // sentence opening with its cue and speaker reports the quotation closing right
        // before it, not the apposition after the speaker.
        let content = if inverted && s.words(0, i) == 0 {
            quotation_before(s).or(content)
        } else {
            content
        };
        // "“Why didn't he pay?” he asks.": a sentence that is only its speaker and cue
        // reports the quotation that ends right before it.
        let content = content.or_else(|| {
            (s.words(0, content_before.min(a)) == 0 && s.words(after_speaker, s.len()) == 0)
                .then(|| quotation_before(s))
                .flatten()
        });
        // "Limbaugh added:" closing its paragraph: the next paragraph is what was said.
        let content = content.or_else(|| {
            let colon_ends = (i + 1..s.len()).any(|k| s.is(k, ':'))
                && s.words(after_speaker.max(i + 1), s.len()) == 0;
            colon_ends.then(|| paragraph_after(s)).flatten()
        });
        if let Some(content) = content {
            found.push(FoundClaim {
                cue,
                class: entry.class,
                kind: entry.kind,
                speaker,
                content,
                via,
                in_statement,
            });
        }
        i += 1;
    }
    found
}

/// True when the sentence opens with a phrase of time, place, occasion or condition:
/// "In an interview, ...", "And until Thursday, ...", "Bemoaning the system, ...".
fn opens_circumstance(s: &SentenceTokens) -> bool {
    let first = if matches!(s.keys.first().map(String::as_str), Some("and" | "but")) {
        1
    } else {
        0
    };
    s.keys.get(first).is_some_and(|w| {
        CIRCUMSTANCE_STARTS.contains(&w.as_str())
            // A participle opening the sentence: "Bemoaning the “phony system,” ...".
            || w.ends_with("ing") && !s.is_punct(first) && w.chars().count() > 5
    })
}

/// True when tokens `a..b` after a cue read as what was said: "that ...", a quotation, a
/// colon, or three words or more not opening with a preposition ("said in a June report"
/// is a circumstance, not content).
fn content_after(s: &SentenceTokens, a: usize, b: usize) -> bool {
    if a >= b {
        return false;
    }
    s.keys[a] == "that"
        || is_quote_mark(s, a)
        || s.is(a, ':')
        || !NOT_SUBJECT_STARTS.contains(&s.keys[a].as_str()) && s.words(a, b) >= 3
}

/// True when verb cue `i`, with its subject at `a..v`, reads as a noun: after a determiner
/// or number ("the hit show", "20 states"), in a phrase that starts with a preposition ("in
/// the swing states"), or before a word no reporting verb takes ("states could decide").
fn used_as_noun(s: &SentenceTokens, i: usize, a: usize, v: usize) -> bool {
    // A subject never ends with a preposition: "20 states in recent months".
    if a < v && NOT_SUBJECT_STARTS.contains(&s.keys[v - 1].as_str()) {
        return true;
    }
    // Only present forms double as nouns ("states", "show", "claims"); "said" does not.
    let word = s.keys[i].as_str();
    if word == "says" {
        // Never a noun: "The businessman says of Clinton, ...".
        return false;
    }
    if word.ends_with("ed") || PAST_FORMS.contains(&word) {
        // ... but a participle right after an article is an adjective: "an estimated 200",
        // "the alleged plot".
        return i > 0 && matches!(s.keys[i - 1].as_str(), "the" | "a" | "an" | "such");
    }
    let before = v.checked_sub(1).map(|k| s.keys[k].as_str());
    let after = s.keys.get(i + 1).map(String::as_str);
    before.is_some_and(|w| {
        NOUN_MARKERS.contains(&w)
            || w.starts_with(|c: char| c.is_ascii_digit())
                && w.chars().all(|c| c.is_ascii_digit() || c == ',')
            || w.ends_with("'s")
            || w.ends_with("’s")
            || w == "to"
    }) || a < v && NOT_SUBJECT_STARTS.contains(&s.keys[a].as_str())
        || after.is_some_and(|w| AFTER_NOUNS.contains(&w))
}

/// True when cue word `i` is capitalised inside a capitalised name ("United States",
/// "Fox News Reports") in a sentence that is not written in title case.
fn inside_name(s: &SentenceTokens, i: usize) -> bool {
    let capitalised = |k: usize| {
        s.doc
            .token_model(&s.tokens[k])
            .first()
            .is_some_and(|c| c.is_uppercase())
    };
    let lower_words = (0..s.len())
        .filter(|&k| !s.is_punct(k) && !capitalised(k))
        .count();
    i > 0
        && capitalised(i)
        && capitalised(i - 1)
        && !s.is_punct(i - 1)
        && lower_words * 2 > s.words(0, s.len())
}

/// The first token of a sentence-initial subject with an appositive, "The chairman,
/// Phil Lovas, said ...", when the verb at `v` follows its second comma: both parts short,
/// no quotation or clause word in them.
fn appositive_subject(s: &SentenceTokens, v: usize) -> Option<usize> {
    // Something must follow the verb: words, or a quotation after a comma or colon
    // ("Hillary Clinton, at a later press gaggle, said, “...”").
    let quotation_after =
        v + 2 < s.len() && (s.is(v + 1, ',') || s.is(v + 1, ':')) && is_quote_mark(s, v + 2);
    if v < 4
        || !s.is(v - 1, ',')
        || s.keys.get(v + 1).is_none_or(|_| s.is_punct(v + 1)) && !quotation_after
    {
        return None;
    }
    // The subject starts the sentence (after "But" or "And"), or follows a dateline's dash
    // or a colon.
    // Or it follows a quotation and its comma: "“C,” Rep. Jim Jordan (R-Ohio), a member of
    // the panel, said ...".
    let mut start = (0..v - 1)
        .rev()
        .find(|&k| {
            s.is(k, '—')
                || s.is(k, '-')
                || s.is(k, ':')
                || s.is(k, ',') && k > 0 && is_quote_mark(s, k - 1)
                || is_quote_mark(s, k) && k > 0 && s.is(k - 1, ',')
        })
        .map_or(0, |k| k + 1);
    if matches!(s.keys[start].as_str(), "but" | "and" | "yet") {
        start += 1;
    }
    let first_comma = (start..v - 1).find(|&k| s.is(k, ','))?;
    // "and" may join the words of a name ("Citizenship and Immigration Services"); titles'
    // dots and a bracketed party label may stand in it.
    let head_plain = (start..first_comma).all(|k| {
        if s.is_punct(k) {
            abbreviation_dot(s, k) || s.is(k, '(') || s.is(k, ')') || possessive(s, k)
        } else {
            s.keys[k] == "and" || !CLAUSE_WORDS.contains(&s.keys[k].as_str())
        }
    });
    let no_quotes = (start..v).all(|k| !is_quote_mark(s, k));
    (head_plain
        && no_quotes
        && (1..=8).contains(&s.words(start, first_comma))
        && (1..=30).contains(&s.words(first_comma + 1, v - 1)))
    .then_some(start)
}

/// The noun phrase a relative pronoun right before the verb at `v` stands for: "David
/// Kamin, who emphasized ...", "officials who said ...". Its tokens `start..end`.
fn relative_subject(s: &SentenceTokens, v: usize) -> Option<(usize, usize)> {
    if v < 2 || !matches!(s.keys[v - 1].as_str(), "who" | "which") {
        return None;
    }
    let mut end = v - 1;
    if end > 0 && s.is(end - 1, ',') {
        end -= 1;
    }
    let mut start = end;
    while start > 0
        && end - start < MAX_SPEAKER
        && (!s.is_punct(start - 1) || abbreviation_dot(s, start - 1))
        && !CLAUSE_WORDS.contains(&s.keys[start - 1].as_str())
        && !NOT_SUBJECT_STARTS.contains(&s.keys[start - 1].as_str())
    {
        start -= 1;
    }
    (start < end).then_some((start, end))
}

/// The name that opens the sentence and is the subject of its first verb, when the cue at
/// `before` continues that verb's clause ("Dr. Mehmet Oz appeared on the network and began
/// by saying that C"): capitalised words (titles' dots among them) right up to a lower-case
/// word.
fn leading_subject(s: &SentenceTokens, before: usize) -> Option<(usize, usize)> {
    leading_subject_from(s, 0, before)
}

/// The capitalised name opening tokens `from..before` right up to a lower-case word (its
/// verb), as [`leading_subject`] reads it from the sentence's start.
fn leading_subject_from(s: &SentenceTokens, from: usize, before: usize) -> Option<(usize, usize)> {
    let capitalised = |k: usize| {
        !s.is_punct(k)
            && s.doc
                .token_model(&s.tokens[k])
                .first()
                .is_some_and(|c| c.is_uppercase())
    };
    let mut end = from;
    while end < before.min(from + MAX_SPEAKER) && (capitalised(end) || abbreviation_dot(s, end)) {
        end += 1;
    }
    let verb_follows = end < before
        && !s.is_punct(end)
        && !capitalised(end)
        && !CLAUSE_WORDS.contains(&s.keys[end].as_str());
    (end > from && verb_follows && !NOT_SUBJECT_STARTS.contains(&s.keys[from].as_str()))
        .then(|| s.range(from, end, &[]))
        .flatten()
}

/// Forms of "be" that make a passive with a past participle.
const PASSIVE_BE: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];

/// The token of the form of "be" that makes cue `i` a passive participle ("was first
/// reported", "have barely been mentioned", "could be expected"): adverbs, "not" and
/// auxiliaries may stand between.
fn passive_be(s: &SentenceTokens, i: usize) -> Option<usize> {
    let word = s.keys[i].as_str();
    if !(word.ends_with("ed") || PAST_FORMS.contains(&word)) {
        return None;
    }
    let mut k = i;
    while k > 0 && i - k <= 3 {
        k -= 1;
        let w = s.keys[k].as_str();
        if PASSIVE_BE.contains(&w) {
            return Some(k);
        }
        let between = !s.is_punct(k)
            && (w.ends_with("ly")
                || AUXILIARIES.contains(&w)
                || matches!(w, "not" | "never" | "first" | "widely" | "being"));
        if !between {
            return None;
        }
    }
    None
}

/// A passive cue `i` with its form of "be" at `be`: the agent after "by" speaks and the
/// subject is what was said ("The registration issue was first reported by The Washington
/// Post"); without an agent the whole clause is the content and the speaker is the one
/// before ("A curfew was announced from midnight to 6 a.m.").
fn passive(
    s: &SentenceTokens,
    i: usize,
    be: usize,
    entry: CueEntry,
    lexicon: &CueLexicon,
) -> Option<FoundClaim> {
    // The subject runs back to the clause's start: punctuation other than a title's dot,
    // or a clause word (kept: "which was nominated for an award"); a one-word aside is
    // stepped over ("Donald Trump, meanwhile, is supported by ...").
    let aside = be > 3 && s.is(be - 1, ',') && s.is(be - 3, ',') && !s.is_punct(be - 2);
    let subject_last = if aside { be - 3 } else { be };
    let mut start = subject_last;
    while start > 0
        && (!s.is_punct(start - 1) || abbreviation_dot(s, start - 1))
        && !CLAUSE_WORDS.contains(&s.keys[start - 1].as_str())
    {
        start -= 1;
    }
    // Modals and "have" before "be" belong to the verb: "could be expected".
    let mut subject_end = subject_last;
    while subject_end > start
        && matches!(
            s.keys[subject_end - 1].as_str(),
            "could"
                | "would"
                | "will"
                | "may"
                | "might"
                | "can"
                | "should"
                | "must"
                | "has"
                | "have"
                | "had"
                | "not"
        )
    {
        subject_end -= 1;
    }
    if start > 0 && matches!(s.keys[start - 1].as_str(), "which" | "that") {
        start -= 1;
    }
    if s.words(start, subject_end) == 0 {
        return None;
    }
    let by = (i + 1..s.len().min(i + 4))
        .take_while(|&k| !s.is_punct(k))
        .find(|&k| s.keys[k] == "by");
    let (speaker, content) = match by {
        Some(by) => {
            let mut end = by + 1;
            while end < s.len()
                && end - by <= MAX_SPEAKER
                && (!s.is_punct(end) || abbreviation_dot(s, end) || possessive(s, end))
                && !CLAUSE_WORDS.contains(&s.keys[end].as_str())
            {
                end += 1;
            }
            (
                Some(s.range(by + 1, end, &[])?),
                s.range(start, subject_end, EDGE_PUNCT)?,
            )
        }
        None => (None, trimmed(s, start, clause_end(s, lexicon, i + 1))?),
    };
    Some(plain_claim(s, i, entry, speaker, content))
}

/// "Asked about X, Clinton said ...", "Asked to describe the device, O'Neill said ...": a
/// sentence opening with "asked" or a participle (at `i`: "Citing a theory, Trump ...")
/// asks or reports for the subject after the comma about what stands before it.
fn asked_first(s: &SentenceTokens, i: usize, entry: CueEntry) -> Option<FoundClaim> {
    let comma = (i + 1..s.len()).find(|&k| s.is(k, ','))?;
    let mut c = i + 1;
    if matches!(s.keys.get(c).map(String::as_str), Some("about" | "by")) {
        c += 1;
    }
    let content = trimmed(s, c, comma)?;
    let speaker = leading_subject_from(s, comma + 1, s.len())?;
    Some(plain_claim(s, i, entry, Some(speaker), content))
}

/// A claim of cue token `i` with no channel, not said in a statement.
fn plain_claim(
    s: &SentenceTokens,
    i: usize,
    entry: CueEntry,
    speaker: Option<(usize, usize)>,
    content: (usize, usize),
) -> FoundClaim {
    FoundClaim {
        cue: (s.tokens[i].start, s.tokens[i].end),
        class: entry.class,
        kind: entry.kind,
        speaker,
        content,
        via: None,
        in_statement: false,
    }
}

/// Possessive determiners that own a noun of saying: "his claim that C".
const POSSESSIVES: &[&str] = &["his", "her", "their", "its"];

/// "Donald Trump's claim that C", "his warning that C": a noun cue `i` owned by a name or
/// a possessive and followed by "that" (or "about"): the owner speaks.
fn owned_noun(
    s: &SentenceTokens,
    i: usize,
    entry: CueEntry,
    lexicon: &CueLexicon,
) -> Option<FoundClaim> {
    // "that" opens what was said; "about" what it was said of ("North Korea's claims
    // about its test").
    if s.keys
        .get(i + 1)
        .is_none_or(|w| w != "that" && w != "about")
        || i == 0
    {
        return None;
    }
    let speaker = if POSSESSIVES.contains(&s.keys[i - 1].as_str()) {
        s.range(i - 1, i, &[])?
    } else if possessive(s, i - 1) || s.keys[i - 1].ends_with("'s") || s.keys[i - 1].ends_with("’s")
    {
        // The owner: capitalised words before the possessive ("Donald Trump's").
        let end = if possessive(s, i - 1) { i - 1 } else { i };
        let mut start = end;
        while start > 0
            && end - start < MAX_SPEAKER
            && !s.is_punct(start - 1)
            && s.doc
                .token_model(&s.tokens[start - 1])
                .first()
                .is_some_and(|c| c.is_uppercase())
        {
            start -= 1;
        }
        if start == end {
            return None;
        }
        // The speaker is the owner without the possessive ending.
        let (from, to) = s.range(start, end, &[])?;
        let to = if end == i { to.saturating_sub(2) } else { to };
        (from < to).then_some((from, to))?
    } else {
        return None;
    };
    let c = i + 2;
    let content = trimmed(s, c, clause_end(s, lexicon, c))?;
    Some(plain_claim(s, i, entry, Some(speaker), content))
}

/// The next paragraph's model range, when the sentence ends its own paragraph.
fn paragraph_after(s: &SentenceTokens) -> Option<(usize, usize)> {
    let doc = s.doc;
    let end = s.tokens.last()?.end;
    let p = doc.paragraphs.partition_point(|p| p.end < end);
    let here = doc.paragraphs.get(p)?;
    let rest_blank = doc.layers.model[end..here.end.max(end)]
        .iter()
        .all(|c| c.is_whitespace() || matches!(c, ':' | '.'));
    let next = doc.paragraphs.get(p + 1)?;
    (rest_blank && next.excluded.is_none() && next.start < next.end)
        .then_some((next.start, next.end))
}

/// The quotation that closes right before the sentence, on the same line: its marks'
/// model range.
fn quotation_before(s: &SentenceTokens) -> Option<(usize, usize)> {
    let text = &s.doc.layers.model;
    let mut close = s.tokens.first()?.start;
    while close > 0 && text[close - 1].is_whitespace() && text[close - 1] != '\n' {
        close -= 1;
    }
    let close = close.checked_sub(1)?;
    let (opening, kind) = super::quotations::mark(text, close)?;
    if opening {
        return None;
    }
    let open = super::quotations::opening_before(text, close, kind)?;
    (close > open + 1).then_some((open, close + 1))
}

/// True when token `k` is the dot of a title or initial: "Mr.", "Sen.", "R.".
fn abbreviation_dot(s: &SentenceTokens, k: usize) -> bool {
    k > 0
        && s.is(k, '.')
        && !s.is_punct(k - 1)
        && s.tokens[k - 1].end == s.tokens[k].start
        && s.keys[k - 1].chars().count() <= 4
        && s.doc
            .token_model(&s.tokens[k - 1])
            .first()
            .is_some_and(|c| c.is_uppercase())
}

/// True when token `k` is the apostrophe of a possessive or elision ("Trump's").
fn possessive(s: &SentenceTokens, k: usize) -> bool {
    (s.is(k, '\'') || s.is(k, '’')) && !is_quote_mark(s, k)
}

/// True when token `k` is a quotation mark, the ASCII apostrophe of '' ... '' included.
fn is_quote_mark(s: &SentenceTokens, k: usize) -> bool {
    // A lone apostrophe is a possessive or an elision ("Trump's", "rock 'n' roll"), not a
    // quotation mark: only one of a pair is.
    let doubled_apostrophe = || {
        let model = &s.doc.layers.model;
        let at = s.tokens[k].start;
        model.get(at + 1) == Some(&'\'') || at > 0 && model[at - 1] == '\''
    };
    s.is_punct(k)
        && (s.keys[k].starts_with(OPENING_QUOTES)
            || s.keys[k].starts_with(CLOSING_QUOTES)
            || s.keys[k].starts_with('\'') && doubled_apostrophe())
}

/// "State TV quoted a military source as saying (that) C": the source (tokens after the
/// cue, up to "as saying") speaks; the subject `a..v`, an outlet or agency, is the channel.
fn quoted_as_saying(
    s: &SentenceTokens,
    i: usize,
    a: usize,
    v: usize,
    entry: super::cues::CueEntry,
    agency_in: &dyn Fn(usize, usize) -> Option<Channel>,
) -> Option<FoundClaim> {
    let end = (i + 1 + MAX_SPEAKER).min(s.len());
    let as_at = (i + 1..end)
        .find(|&k| s.keys[k] == "as" && s.keys.get(k + 1).is_some_and(|w| w == "saying"))?;
    let source = s.range(i + 1, as_at, &[])?;
    let relay = if a < v {
        agency_in(a, v).or_else(|| s.range(a, v, &[]).map(|r| (r, None)))
    } else {
        None
    };
    let mut c = as_at + 2;
    while c < s.len() && (s.keys[c] == "that" || s.is(c, ',') || s.is(c, ':')) {
        c += 1;
    }
    let content = trimmed(s, c, s.len())?;
    Some(FoundClaim {
        cue: (s.tokens[i].start, s.tokens[i].end),
        class: entry.class,
        kind: entry.kind,
        speaker: Some(source),
        content,
        via: relay,
        in_statement: false,
    })
}

/// Where a content starting at token `from` ends: before ", saying ..." (a participle cue
/// opens a claim of its own), before "and promised ..." (a cue verb sharing the subject),
/// or at the end of the sentence.
fn clause_end(s: &SentenceTokens, lexicon: &CueLexicon, from: usize) -> usize {
    let cue_after = |k: usize, kind: CueKind| {
        s.keys
            .get(k + 1)
            .and_then(|w| lexicon.get(w))
            .is_some_and(|e| e.kind == kind)
    };
    let end = (from..s.len())
        .find(|&k| {
            s.is(k, ',') && cue_after(k, CueKind::Participle)
                || s.keys[k] == "and" && cue_after(k, CueKind::Verb)
        })
        .unwrap_or(s.len());
    if end > from && end < s.len() && s.is(end - 1, ',') {
        end - 1
    } else {
        end
    }
}

/// "According to X, C." and "C, according to X."
fn according_to(s: &SentenceTokens, i: usize, lexicon: &CueLexicon) -> Option<FoundClaim> {
    let entry = lexicon
        .phrases
        .iter()
        .find(|(words, _)| words.len() == 2 && words[0] == "according")
        .map(|(_, e)| *e)?;
    let start = i + 2;
    let mut end = start;
    while end < s.len() && end - start < MAX_SPEAKER && !s.is_punct(end) {
        end += 1;
    }
    let speaker = s.range(start, end, &[])?;
    // "C1, according to the agency, and C2": the report goes on past the attribution.
    let goes_on = i > 0
        && end + 1 < s.len()
        && s.is(end, ',')
        && s.keys[end + 1] == "and"
        && s.words(end + 2, s.len()) >= 4;
    let content = if i == 0 {
        trimmed(s, end, s.len())
    } else if goes_on {
        trimmed(s, 0, s.len())
    } else {
        trimmed(s, 0, i)
    }?;
    Some(FoundClaim {
        cue: (s.tokens[i].start, s.tokens[i + 1].end),
        class: entry.class,
        kind: CueKind::Prep,
        speaker: Some(speaker),
        content,
        via: None,
        in_statement: false,
    })
}

/// Content range with edge punctuation trimmed, quotes kept when balanced.
fn trimmed(s: &SentenceTokens, a: usize, b: usize) -> Option<(usize, usize)> {
    if s.words(a, b) < 2 {
        return None;
    }
    let mut trim: Vec<char> = EDGE_PUNCT.to_vec();
    // A quotation closed inside the range keeps its marks; stray ones go.
    let opens = (a..b)
        .filter(|&k| s.keys[k].starts_with(OPENING_QUOTES) && !s.keys[k].starts_with('"'))
        .count();
    let closes = (a..b)
        .filter(|&k| s.keys[k].starts_with(CLOSING_QUOTES) && !s.keys[k].starts_with('"'))
        .count();
    let straight = (a..b).filter(|&k| s.keys[k].starts_with('"')).count();
    if opens != closes || straight % 2 == 1 {
        trim.extend_from_slice(OPENING_QUOTES);
        trim.extend_from_slice(CLOSING_QUOTES);
    }
    s.range(a, b, &trim)
}
