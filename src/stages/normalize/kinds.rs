//! Paragraph kinds: the story, or what a scraped page holds beside it (related headlines,
//! captions, bylines, disclaimers, site furniture), by the rules of
//! `data/normalize/paragraph-kinds.tsv`, some for every outlet and some for one.
//!
//! A page's furniture is not the story: its names would become the article's entities, its
//! verbs claims, and a related headline would pull an unrelated story in. Nothing is
//! dropped: the kind is marked, and entities and claims outside the body are flagged.

use aho_corasick::AhoCorasick;

use crate::record::ParagraphKind;
use crate::stages::LoadError;
use crate::table::Table;
use crate::text::TextLayers;
use crate::text::chars::is_word_char;

use super::Context;
use super::document::Document;

const FILE: &str = "paragraph-kinds.tsv";
/// Longest line read as a headline, in words.
const HEADLINE_MAX_WORDS: usize = 16;
/// Words counted in a paragraph: more than any rule's bound.
const COUNT_MAX_WORDS: usize = 64;
/// Characters of a paragraph the text rules read.
const READ_MAX_CHARS: usize = 320;
/// Longest line of agency names read as a byline, in words.
const CREDIT_LINE_MAX_WORDS: usize = 6;
/// Shortest paragraph read as another story's lead, in words.
const LEAD_MIN_WORDS: usize = 12;
/// Words that open a paragraph continuing the story, not another story's lead (match
/// keys): «يذكر أن ...», «بدوره ...».
const CONTINUATIONS: &[&str] = &[
    "يذكر",
    "يشار",
    "تجدر",
    "بدوره",
    "بدورها",
    "بدورهم",
    "بالمقابل",
    "المقابل",
    "جهته",
    "جهتها",
    "كما",
    "لكن",
    "لكنه",
    "الا",
    "اما",
    "غير",
    "اذ",
    "حيث",
    "ثم",
    "هذا",
    "هذه",
    "وهذا",
];

/// How a rule reads a paragraph; a text is its pattern's index in [`KindRules::texts`].
#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// The paragraph's key starts with the text.
    Prefix(usize),
    /// The paragraph's key holds the text.
    Contains(usize),
    /// The paragraph's key is the text.
    Whole(usize),
    /// A line of at least this many words without final punctuation.
    Headline(usize),
    /// The last this-many-or-more paragraphs are each another story's lead.
    TrailingLeads(usize),
}

/// One row of the table.
#[derive(Debug, Clone)]
struct Rule {
    /// Lowercase fragment of the outlet's name or host; `None` for every outlet.
    outlet: Option<String>,
    kind: ParagraphKind,
    test: Test,
    /// Longest paragraph the rule applies to, in words; 0 for any.
    max_words: usize,
}

/// The paragraph-kind rules, loaded.
#[derive(Debug, Clone)]
pub struct KindRules {
    rules: Vec<Rule>,
    /// Every rule's text as a match key, found in one pass over a paragraph: ninety rules
    /// tried one by one would read each paragraph ninety times.
    texts: AhoCorasick,
}

/// One paragraph as the rules read it.
struct Read {
    /// Its match key from the first word character (or bracket).
    key: String,
    /// Its words.
    words: usize,
    /// `key`'s length without trailing marks and spaces, in bytes.
    trimmed: usize,
    /// Each text found: (pattern, start byte, end byte).
    found: Vec<(usize, usize, usize)>,
}

impl KindRules {
    /// Reads the table.
    pub fn load(table: &str) -> Result<Self, LoadError> {
        let mut rules = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for row in Table::new(FILE, table).rows() {
            let fields = row.fields();
            if fields.len() < 4 {
                return Err(row
                    .invalid(format!(
                        "expected outlet, kind, rule, words and text, found {} fields",
                        fields.len()
                    ))
                    .into());
            }
            let kind = ParagraphKind::parse(fields[1].trim())
                .ok_or_else(|| row.invalid(format!("unknown kind {:?}", fields[1])))?;
            let words: usize = fields[3]
                .trim()
                .parse()
                .map_err(|_| row.invalid(format!("words {:?} is not a number", fields[3])))?;
            let text = fields.get(4).copied().unwrap_or_default();
            let mut key = || {
                texts.push(TextLayers::build(text.trim()).key.into_iter().collect());
                texts.len() - 1
            };
            let test = match fields[2].trim() {
                "prefix" => Test::Prefix(key()),
                "contains" => Test::Contains(key()),
                "whole" => Test::Whole(key()),
                "headline" => Test::Headline(words),
                "trailing-leads" => Test::TrailingLeads(words),
                other => return Err(row.invalid(format!("unknown rule {other:?}")).into()),
            };
            let outlet = match fields[0].trim() {
                "*" => None,
                o => Some(o.to_lowercase()),
            };
            let max_words = match test {
                Test::Headline(_) | Test::TrailingLeads(_) => 0,
                _ => words,
            };
            rules.push(Rule {
                outlet,
                kind,
                test,
                max_words,
            });
        }
        let texts = AhoCorasick::new(&texts)
            .map_err(|source| LoadError::Automaton { file: FILE, source })?;
        Ok(KindRules { rules, texts })
    }

    /// Marks each paragraph of `doc` with its kind, and the article as opinion when a
    /// disclaimer or the input's section says so.
    pub fn mark(&self, doc: &mut Document, context: &Context) {
        let rules: Vec<&Rule> = self
            .rules
            .iter()
            .filter(|r| match (&r.outlet, context.outlet) {
                (None, _) => true,
                (Some(fragment), Some(outlet)) => outlet.contains(fragment.as_str()),
                (Some(_), None) => false,
            })
            .collect();
        for p in 0..doc.paragraphs.len() {
            let kind = credit_kind(doc, p).or_else(|| {
                let read = self.read(doc, p);
                rules.iter().find(|r| holds(&read, p, r)).map(|r| r.kind)
            });
            if let Some(kind) = kind {
                doc.paragraphs[p].kind = kind;
            }
        }
        for rule in &rules {
            if let Test::TrailingLeads(min) = rule.test {
                trailing_leads(doc, min, rule.kind);
            }
        }
        let disclaimer = doc
            .paragraphs
            .iter()
            .any(|p| p.kind == ParagraphKind::OpinionDisclaimer);
        doc.opinion = if disclaimer {
            Some("disclaimer")
        } else if context.section.is_some_and(opinion_section) {
            Some("section")
        } else {
            None
        };
    }
}

impl KindRules {
    fn read(&self, doc: &Document, p: usize) -> Read {
        let (key, words) = key_of(doc, p);
        // Markers open a paragraph or sit in a short one: a long paragraph's head is enough.
        let key: String = key.iter().take(READ_MAX_CHARS).collect();
        let trimmed = key.trim_end_matches(|c: char| !is_word_char(c)).len();
        let found = self
            .texts
            .find_overlapping_iter(&key)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        Read {
            key,
            words,
            trimmed,
            found,
        }
    }
}

/// The kind the credits already settle: a byline or source line found by
/// [`super::credits`], a paragraph that is only its dateline, one with no letters at all.
fn credit_kind(doc: &Document, p: usize) -> Option<ParagraphKind> {
    let para = &doc.paragraphs[p];
    if para.excluded.is_some() {
        return Some(ParagraphKind::Byline);
    }
    let model = &doc.layers.model[para.start..para.end];
    if !model.iter().any(|&c| is_word_char(c)) {
        return Some(ParagraphKind::Boilerplate);
    }
    // The whole paragraph lies in credits: «دبي - سكاي نيوز عربية» alone, or a short line
    // of agency and outlet names: «فرانس 24/ أ ف ب».
    let short = key_of(doc, p).1 <= CREDIT_LINE_MAX_WORDS;
    let named = |i: usize| {
        short
            && doc
                .agencies
                .iter()
                .any(|m| (m.at.start..m.at.end).contains(&i))
    };
    let uncredited = (para.start..para.end)
        .filter(|&i| is_word_char(doc.layers.model[i]))
        .any(|i| !doc.is_excluded(i, i + 1) && !in_dateline_place(doc, i) && !named(i));
    if !uncredited {
        let dateline = doc.credits.dateline.is_some()
            && doc
                .dateline_place
                .is_some_and(|(s, _)| s >= para.start && s < para.end);
        return Some(if dateline {
            ParagraphKind::Dateline
        } else {
            ParagraphKind::Byline
        });
    }
    None
}

fn in_dateline_place(doc: &Document, i: usize) -> bool {
    doc.dateline_place.is_some_and(|(s, e)| (s..e).contains(&i))
}

/// The paragraph's key from its first word character, and its word count.
fn key_of(doc: &Document, p: usize) -> (&[char], usize) {
    let para = &doc.paragraphs[p];
    let key = &doc.layers.key[para.start..para.end];
    let skip = key
        .iter()
        .take_while(|&&c| !is_word_char(c) && c != '(')
        .count();
    // No rule asks about more words than this: counting stops there.
    let words = key
        .split(|c| c.is_whitespace())
        .filter(|w| w.iter().any(|&c| is_word_char(c)))
        .take(COUNT_MAX_WORDS)
        .count();
    (&key[skip..], words)
}

fn holds(read: &Read, p: usize, rule: &Rule) -> bool {
    if rule.max_words > 0 && read.words > rule.max_words {
        return false;
    }
    let found = |text: usize| read.found.iter().filter(move |f| f.0 == text);
    match rule.test {
        Test::Prefix(text) => found(text).any(|&(_, s, e)| s == 0 && ends_a_word(&read.key, e)),
        Test::Contains(text) => found(text).next().is_some(),
        Test::Whole(text) => found(text).any(|&(_, s, e)| s == 0 && e == read.trimmed),
        Test::Headline(min) => p > 0 && headline(&read.key, read.words, min),
        Test::TrailingLeads(_) => false,
    }
}

/// True when a text ending at byte `end` of `key` ends a word (or ends with a mark:
/// «للمزيد:»).
fn ends_a_word(key: &str, end: usize) -> bool {
    let before = key[..end].chars().next_back();
    let after = key[end..].chars().next();
    before.is_none_or(|c| !is_word_char(c)) || after.is_none_or(|c| !is_word_char(c))
}

/// A line of `min..=16` words that does not end as a sentence does.
fn headline(key: &str, words: usize, min: usize) -> bool {
    if words < min || words > HEADLINE_MAX_WORDS {
        return false;
    }
    let last = key
        .chars()
        .rev()
        .find(|c| !c.is_whitespace() && !matches!(c, '"' | '»' | '”' | '\'' | ')'));
    !matches!(last, Some('.' | '!' | '…' | ':' | '،' | ',' | ';' | '؛'))
}

/// Marks the longest run of at least `min` paragraphs ending the article that each read
/// as another story's lead: long, opening with a word that neither carries a conjunction
/// («و», «ف») nor continues the story («يذكر», «بدوره»).
fn trailing_leads(doc: &mut Document, min: usize, kind: ParagraphKind) {
    let n = doc.paragraphs.len();
    let mut first = n;
    while first > 2 {
        let p = first - 1;
        if !doc.paragraphs[p].kind.is_body() || !lead(doc, p) {
            break;
        }
        first = p;
    }
    if n - first >= min {
        for p in first..n {
            doc.paragraphs[p].kind = kind;
        }
    }
}

fn lead(doc: &Document, p: usize) -> bool {
    let (key, words) = key_of(doc, p);
    if words < LEAD_MIN_WORDS {
        return false;
    }
    let first: Vec<char> = key
        .iter()
        .take_while(|c| is_word_char(**c))
        .copied()
        .collect();
    let conjunction = matches!(first.first(), Some('و' | 'ف')) && first.len() > 3;
    let word: String = first.iter().collect();
    !conjunction && !CONTINUATIONS.contains(&word.as_str())
}

/// A section that holds opinion pieces.
fn opinion_section(section: &str) -> bool {
    let s = section.trim().to_lowercase();
    [
        "رأي",
        "راي",
        "آراء",
        "اراء",
        "مقالات",
        "أقلام",
        "opinion",
        "op-ed",
        "comment",
        "columns",
    ]
    .iter()
    .any(|w| s.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::normalize::Normalizer;

    fn kinds(body: &str, outlet: Option<&str>) -> Vec<&'static str> {
        let normalizer = Normalizer::new().expect("tables load");
        let doc = normalizer
            .run_with(
                body.to_string(),
                &Context {
                    outlet,
                    ..Context::default()
                },
            )
            .expect("normalizes");
        doc.paragraphs.iter().map(|p| p.kind.as_str()).collect()
    }

    #[test]
    fn markers_for_every_outlet() {
        let body = "قالت الوزارة إن الطريق أغلق.\nاقرأ أيضا: الحكومة تعلن خطة جديدة\n\
                    -------------\nيمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل التطبيق.\n\
                    هذا المقال بقلم فلان، والآراء الواردة أدناه تعبر عن رأي الكاتب.";
        assert_eq!(
            kinds(body, None),
            vec![
                "body",
                "related",
                "boilerplate",
                "boilerplate",
                "opinion_disclaimer"
            ]
        );
    }

    #[test]
    fn a_headline_between_paragraphs_is_related_only_where_the_outlet_does_that() {
        let body = "شنت القوات الجوية ضربات على مواقع التنظيم.\n\
                    كيف تأثرت حياة العراقيين بوجود التنظيم؟\nعقوبات قاسية\n\
                    وأضاف البيان أن الضربات ستستمر.";
        assert_eq!(
            kinds(body, Some("bbc")),
            vec!["body", "related", "body", "body"]
        );
        assert_eq!(kinds(body, Some("france24")), vec!["body"; 4]);
    }

    #[test]
    fn leads_of_other_stories_appended_to_a_page() {
        let lead = |verb: &str| {
            format!(
                "{verb} مسؤول كبير في الحكومة اليوم الأحد أن الاجتماع المقبل سيعقد في العاصمة بعد أسبوعين من الآن."
            )
        };
        let body = [
            lead("أعلن"),
            lead("وقال"),
            lead("وأضاف"),
            lead("كشف"),
            lead("دعا"),
            lead("نشر"),
        ]
        .join("\n");
        assert_eq!(
            kinds(&body, Some("cnn")),
            vec!["body", "body", "body", "related", "related", "related"]
        );
        let mut short = body.split('\n').collect::<Vec<_>>();
        short.truncate(5);
        assert_eq!(kinds(&short.join("\n"), Some("cnn")), vec!["body"; 5]);
    }
}
