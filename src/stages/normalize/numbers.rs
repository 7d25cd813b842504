//! Numbers, ready for the claim stage: digits in any script, «الـ72», Arabic and English
//! number words («مئتي», «ثلاثة آلاف», "two hundred"), shares («نصف»), vague amounts
//! («عشرات», "dozens"), with the qualifier before them («أكثر من», "at least").

use crate::table::{Table, TableError};
use crate::text::char_hash::{HashKeyed, fnv_chars};
use crate::text::match_key;

use super::document::{Document, NumberMention, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq)]
enum WordKind {
    Unit,
    Hundred,
    Scale,
    Fraction,
    Vague,
}

/// "and" inside English number words ("two hundred and five").
const AND: &[char] = &['a', 'n', 'd'];

/// The number-word and qualifier tables.
#[derive(Debug, Clone, Default)]
pub struct NumberReader {
    /// Number words as match-key characters, by the FNV hash of those characters: looked
    /// up on the token's key slice, with no string built per word.
    words: HashKeyed<(Vec<char>, (f64, WordKind))>,
    /// Qualifier phrases as match-key words, longest first.
    qualifiers: Vec<(Vec<String>, String)>,
    /// Longest number word in characters (with a proclitic): longer words are not
    /// looked up.
    longest_chars: usize,
    /// A 4096-bit filter of the first two characters of number words (and of «و» + their
    /// first): most words of a text are ruled out by one bit test.
    openings: Vec<u64>,
}

impl NumberReader {
    /// Loads `number-words.tsv` and `number-qualifiers.tsv`.
    pub fn load(words: &str, qualifiers: &str) -> Result<Self, TableError> {
        let mut reader = NumberReader::default();
        for row in Table::new("number-words.tsv", words).rows() {
            // Blanks around the row are not part of its first or last field.
            let [word, value, kind] = row.columns()?;
            let (word, kind) = (word.trim_start(), kind.trim_end());
            let value: f64 = row.parse(value, "value")?;
            let kind = match kind {
                "unit" => WordKind::Unit,
                "hundred" => WordKind::Hundred,
                "scale" => WordKind::Scale,
                "fraction" => WordKind::Fraction,
                "vague" => WordKind::Vague,
                _ => return Err(row.invalid(format!("bad kind {kind:?}"))),
            };
            let key = match_key(word);
            reader.longest_chars = reader.longest_chars.max(key.chars().count() + 1);
            let mut chars = key.chars();
            if let (Some(a), Some(b)) = (chars.next(), chars.next()) {
                reader.set_opening(a, b);
                reader.set_opening('و', a);
            }
            let chars: Vec<char> = key.chars().collect();
            reader
                .words
                .insert(fnv_chars(&chars), (chars, (value, kind)));
        }
        for row in Table::new("number-qualifiers.tsv", qualifiers).rows() {
            let (words, qualifier) = row.pair()?;
            let words: Vec<String> = match_key(words.trim_start())
                .split(' ')
                .map(str::to_string)
                .collect();
            reader
                .qualifiers
                .push((words, qualifier.trim().to_string()));
        }
        reader
            .qualifiers
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
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
                && let Some((scale, WordKind::Scale)) = self.word(doc.token_key(next))
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

    fn opening_bit(a: char, b: char) -> (usize, u64) {
        let h = (u32::from(a).wrapping_mul(31) ^ u32::from(b).wrapping_mul(0x9E37)) as usize % 4096;
        (h / 64, 1 << (h % 64))
    }

    fn set_opening(&mut self, a: char, b: char) {
        self.openings.resize(64, 0);
        let (word, bit) = Self::opening_bit(a, b);
        self.openings[word] |= bit;
    }

    /// False when no number word starts like `key` (true may be a false positive).
    fn may_be_number(&self, key: &[char]) -> bool {
        let [a, b, ..] = key else { return false };
        let (word, bit) = Self::opening_bit(*a, *b);
        self.openings.get(word).is_some_and(|w| w & bit != 0)
    }

    /// A word's value and kind, with a proclitic «و» tolerated.
    fn word(&self, key: &[char]) -> Option<(f64, WordKind)> {
        if key.len() > self.longest_chars {
            return None;
        }
        let find = |k: &[char]| {
            self.words
                .get(&fnv_chars(k))
                .filter(|(w, _)| w == k)
                .map(|(_, v)| *v)
        };
        find(key).or_else(|| find(key.strip_prefix(&['و'])?))
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
        if chars.len() > self.longest_chars || !self.may_be_number(chars) {
            return None;
        }
        let first = self.word(chars)?;
        if matches!(first.1, WordKind::Fraction | WordKind::Vague) {
            return Some((first.0, first.1, i + 1));
        }
        // Combine words: units add, «مئة» multiplies, a scale closes a group.
        let (mut total, mut group) = (0.0, 0.0);
        let mut j = i;
        while j < tokens.len() && tokens[j].kind == TokenKind::Word {
            let key = doc.token_key(&tokens[j]);
            if key == AND && j > i {
                j += 1;
                continue;
            }
            let Some((value, kind)) = self.word(key) else {
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
        while end > i + 1 && doc.token_key(&tokens[end - 1]) == AND {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_rows_name_their_file_and_line() {
        let err = NumberReader::load("# words\nثلاثة\t3\tbogus\n", "").expect_err("bad kind");
        assert_eq!(
            err.to_string(),
            "number-words.tsv line 2: bad kind \"bogus\""
        );
        let err = NumberReader::load("ثلاثة\tthree\tunit\n", "").expect_err("bad value");
        assert_eq!(
            err.to_string(),
            "number-words.tsv line 1: bad value \"three\""
        );
        let err = NumberReader::load("", "\nأكثر من\n").expect_err("no qualifier");
        assert_eq!(err.line, 2);
        assert_eq!(err.file, "number-qualifiers.tsv");
    }
}
