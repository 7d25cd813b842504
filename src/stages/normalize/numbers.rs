//! Numbers, ready for the claim stage: digits in any script, «الـ72», Arabic and English
//! number words («مئتي», «ثلاثة آلاف», "two hundred"), shares («نصف»), vague amounts
//! («عشرات», "dozens"), with the qualifier before them («أكثر من», "at least").

use std::collections::HashMap;

use super::data_lines;
use super::document::{Document, TokenKind};
use super::text_layers::match_key;

/// One number in the text, in model-text offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// First model character (the qualifier's, when there is one).
    pub start: usize,
    /// One past the last model character of the number.
    pub end: usize,
    /// First token of the number itself.
    pub first_token: usize,
    /// One past the last token of the number.
    pub end_token: usize,
    /// The value; a lower bound for vague amounts.
    pub value: f64,
    /// "more_than", "about", "at_least", "fewer_than", "up_to", or "several" for vague
    /// amounts.
    pub qualifier: Option<String>,
    /// True for shares («نصف», "half").
    pub fraction: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum WordKind {
    Unit,
    Hundred,
    Scale,
    Fraction,
    Vague,
}

/// The number-word and qualifier tables.
#[derive(Debug, Clone, Default)]
pub struct NumberReader {
    words: HashMap<String, (f64, WordKind)>,
    /// Qualifier phrases as match-key words, longest first.
    qualifiers: Vec<(Vec<String>, String)>,
    /// Longest number word in characters (with a proclitic): longer words are not
    /// looked up.
    longest_chars: usize,
    /// Longest number word in bytes.
    longest: usize,
    /// Characters number words start with (proclitic «و» included).
    initials: std::collections::HashSet<char>,
}

impl NumberReader {
    /// Loads `number-words.tsv` and `number-qualifiers.tsv`.
    pub fn load(words: &str, qualifiers: &str) -> Result<Self, String> {
        let mut reader = NumberReader::default();
        for line in data_lines(words) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [word, value, kind] = cols[..] else {
                return Err(format!("number-words.tsv: bad line {line:?}"));
            };
            let value: f64 = value
                .parse()
                .map_err(|_| format!("number-words.tsv: bad value in {line:?}"))?;
            let kind = match kind {
                "unit" => WordKind::Unit,
                "hundred" => WordKind::Hundred,
                "scale" => WordKind::Scale,
                "fraction" => WordKind::Fraction,
                "vague" => WordKind::Vague,
                _ => return Err(format!("number-words.tsv: bad kind in {line:?}")),
            };
            let key = match_key(word);
            reader.longest = reader.longest.max(key.len() + 'و'.len_utf8());
            reader.longest_chars = reader.longest_chars.max(key.chars().count() + 1);
            reader.initials.extend(key.chars().next());
            reader.words.insert(key, (value, kind));
        }
        for line in data_lines(qualifiers) {
            let Some((words, qualifier)) = line.split_once('\t') else {
                return Err(format!("number-qualifiers.tsv: bad line {line:?}"));
            };
            let words: Vec<String> = match_key(words).split(' ').map(str::to_string).collect();
            reader
                .qualifiers
                .push((words, qualifier.trim().to_string()));
        }
        reader
            .qualifiers
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        reader.initials.insert('و');
        Ok(reader)
    }

    /// Every number of the document, in text order.
    pub fn read(&self, doc: &Document) -> Vec<NumberMention> {
        let tokens = &doc.tokens;
        let key = |i: usize| -> String { doc.token_key(&tokens[i]).iter().collect() };
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some((mut value, kind, mut end_token)) = self.number_at(doc, i) else {
                i += 1;
                continue;
            };
            let mut first_token = i;
            let mut qualifier = (kind == WordKind::Vague).then(|| "several".to_string());
            // «الـ72»: the article glued to digits belongs to the number's words.
            if tokens[i].kind == TokenKind::Number
                && i > 0
                && key(i - 1) == "ال"
                && tokens[i - 1].end == tokens[i].start
            {
                first_token = i - 1;
            }
            // A scale word after digits: "3 million", «5 آلاف».
            if tokens[i].kind == TokenKind::Number
                && let Some(next) = tokens.get(end_token)
                && let Some((scale, WordKind::Scale)) =
                    self.word(&doc.token_key(next).iter().collect::<String>())
            {
                value *= scale;
                end_token += 1;
            }
            let mut start = tokens[first_token].start;
            if let Some((q, len)) = self.qualifier_before(doc, first_token) {
                qualifier = Some(q);
                start = tokens[first_token - len].start;
            }
            out.push(NumberMention {
                start,
                end: tokens[end_token - 1].end,
                first_token,
                end_token,
                value,
                qualifier,
                fraction: kind == WordKind::Fraction,
            });
            i = end_token;
        }
        out
    }

    /// A word's value and kind, with a proclitic «و» tolerated.
    fn word(&self, key: &str) -> Option<(f64, WordKind)> {
        if key.len() > self.longest {
            return None;
        }
        self.words.get(key).copied().or_else(|| {
            let rest = key.strip_prefix('و')?;
            self.words.get(rest).copied()
        })
    }

    /// The number starting at token `i`: value, kind of its first word, end token.
    fn number_at(&self, doc: &Document, i: usize) -> Option<(f64, WordKind, usize)> {
        let tokens = &doc.tokens;
        if tokens[i].kind == TokenKind::Number {
            let digits: String = doc
                .token_key(&tokens[i])
                .iter()
                .filter_map(|&c| match c {
                    '0'..='9' | '.' => Some(c),
                    '٫' => Some('.'),
                    _ => None,
                })
                .collect();
            // "10:30" is a time, not a count; "1,200" loses its separator above.
            if doc.token_model(&tokens[i]).contains(&':') {
                return None;
            }
            return digits
                .parse::<f64>()
                .ok()
                .map(|v| (v, WordKind::Unit, i + 1));
        }
        if tokens[i].kind != TokenKind::Word {
            return None;
        }
        // Most words are not numbers: rule them out before building a key string.
        let chars = doc.token_key(&tokens[i]);
        if chars.len() > self.longest_chars
            || !chars.first().is_some_and(|c| self.initials.contains(c))
        {
            return None;
        }
        let first = self.word(&chars.iter().collect::<String>())?;
        if matches!(first.1, WordKind::Fraction | WordKind::Vague) {
            return Some((first.0, first.1, i + 1));
        }
        // Combine words: units add, «مئة» multiplies, a scale closes a group.
        let (mut total, mut group) = (0.0, 0.0);
        let mut j = i;
        while j < tokens.len() && tokens[j].kind == TokenKind::Word {
            let key: String = doc.token_key(&tokens[j]).iter().collect();
            if key == "and" && j > i {
                j += 1;
                continue;
            }
            let Some((value, kind)) = self.word(&key) else {
                break;
            };
            match kind {
                WordKind::Unit => group += value,
                WordKind::Hundred => group = if group == 0.0 { value } else { group * value },
                WordKind::Scale => {
                    total += if group == 0.0 { 1.0 } else { group } * value;
                    group = 0.0;
                }
                WordKind::Fraction | WordKind::Vague => break,
            }
            j += 1;
        }
        if j == i {
            return None;
        }
        // A trailing "and" is not part of the number.
        let mut end = j;
        while end > i + 1 && doc.token_key(&tokens[end - 1]).iter().collect::<String>() == "and" {
            end -= 1;
        }
        Some((total + group, first.1, end))
    }

    /// A qualifier phrase ending right before token `first`: (qualifier, its token count).
    fn qualifier_before(&self, doc: &Document, first: usize) -> Option<(String, usize)> {
        self.qualifiers.iter().find_map(|(words, q)| {
            let n = words.len();
            if first < n {
                return None;
            }
            let matches = (0..n).all(|k| {
                let t = &doc.tokens[first - n + k];
                t.kind == TokenKind::Word && doc.token_key(t).iter().collect::<String>() == words[k]
            });
            matches.then(|| (q.clone(), n))
        })
    }
}
