//! Paragraphs, tokens and sentences over the model text.
//!
//! Written by hand rather than with a segmentation crate: Unicode's default sentence rules
//! (UAX #29) know neither English abbreviations nor Arabic punctuation conventions, and we
//! need the tokens and sentences in model-text offsets anyway.

use std::collections::HashSet;

use crate::text::chars::{is_arabic_letter, is_digit, is_word_char};

use super::document::{SentenceInfo, Token, TokenKind};

/// Paragraph ranges, trimmed of spaces, never empty.
///
/// A text that separates paragraphs with blank lines (wire copy, hand-written files) keeps
/// its single line breaks inside paragraphs, where they are hard wraps; a text with no blank
/// line at all (what most scrapers hand over: one paragraph a line) breaks at every line.
pub fn paragraphs(model: &[char]) -> Vec<(usize, usize)> {
    let breaks_needed = if has_blank_line(model) { 2 } else { 1 };
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < model.len() {
        if model[i] == '\n' {
            // A run of whitespace holding enough line breaks ends a paragraph.
            let mut j = i;
            let mut breaks = 0;
            while j < model.len() && model[j].is_whitespace() {
                breaks += usize::from(model[j] == '\n');
                j += 1;
            }
            if breaks >= breaks_needed {
                push_trimmed(model, start, i, &mut out);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(model, start, model.len(), &mut out);
    out
}

/// True when two line breaks meet with only spaces between them, between words (blank
/// lines before the first word or after the last separate nothing).
fn has_blank_line(model: &[char]) -> bool {
    // Only the stretches between consecutive line breaks need a closer look.
    let breaks: Vec<usize> = model
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| (c == '\n').then_some(i))
        .collect();
    let (Some(first), Some(last)) = (
        model.iter().position(|c| !c.is_whitespace()),
        model.iter().rposition(|c| !c.is_whitespace()),
    ) else {
        return false;
    };
    breaks.windows(2).any(|w| {
        first < w[0] && w[1] < last && model[w[0] + 1..w[1]].iter().all(|c| c.is_whitespace())
    })
}

fn push_trimmed(model: &[char], mut start: usize, mut end: usize, out: &mut Vec<(usize, usize)>) {
    while start < end && model[start].is_whitespace() {
        start += 1;
    }
    while end > start && model[end - 1].is_whitespace() {
        end -= 1;
    }
    if start < end {
        out.push((start, end));
    }
}

/// Tokens of model range `start..end`.
pub fn tokens(model: &[char], start: usize, end: usize, out: &mut Vec<Token>) {
    let mut i = start;
    while i < end {
        let c = model[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if is_digit(c) {
            let j = scan_number(model, i, end);
            out.push(Token {
                start: i,
                end: j,
                kind: TokenKind::Number,
                arabic: false,
            });
            i = j;
        } else if is_word_char(c) {
            let j = scan_word(model, i, end);
            out.push(Token {
                start: i,
                end: j,
                kind: TokenKind::Word,
                arabic: is_arabic_letter(c),
            });
            i = j;
        } else {
            out.push(Token {
                start: i,
                end: i + 1,
                kind: TokenKind::Punct,
                arabic: false,
            });
            i += 1;
        }
    }
}

/// Digits with inner separators: "3.5", "1,200", "10:30", "٣٫٥".
fn scan_number(model: &[char], start: usize, end: usize) -> usize {
    let mut j = start;
    while j < end {
        let c = model[j];
        if is_digit(c) {
            j += 1;
        } else if matches!(c, '.' | ',' | ':' | '٫' | '٬') && j + 1 < end && is_digit(model[j + 1])
        {
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// Letters with inner apostrophes or hyphens ("al-Assad", "don't") and abbreviation dots
/// ("U.S.", "U.N."). Letters and digits split ("الـ72" → "ال" "72").
fn scan_word(model: &[char], start: usize, end: usize) -> usize {
    let letter = |c: char| is_word_char(c) && !is_digit(c);
    let mut j = start;
    while j < end {
        let c = model[j];
        if letter(c) {
            j += 1;
        } else if matches!(c, '\'' | '’' | '-' | '‐') && j + 1 < end && letter(model[j + 1]) {
            j += 2;
        } else if c == '.'
            && j + 2 <= end
            && j - start == 1
            && model[start].is_uppercase()
            && j + 1 < end
            && model[j + 1].is_uppercase()
        {
            // U.S., U.N., D.C.: single capitals joined by dots, trailing dot included.
            let mut k = j;
            while k + 1 < end && model[k] == '.' && model[k + 1].is_uppercase() {
                k += 2;
            }
            if k < end && model[k] == '.' {
                k += 1;
            }
            return k;
        } else {
            break;
        }
    }
    j
}

/// Characters that end a sentence.
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔')
}

/// Characters that close a quote or bracket and belong to the sentence before them.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '›')
}

/// Sentences of one paragraph, from its tokens `first..end_token`.
pub fn sentences(
    model: &[char],
    tokens: &[Token],
    first: usize,
    end_token: usize,
    paragraph: usize,
    abbreviations: &HashSet<String>,
    out: &mut Vec<SentenceInfo>,
) {
    let mut start_token = first;
    let mut t = first;
    while t < end_token {
        let tok = tokens[t];
        let mut boundary_after = None;
        if tok.kind == TokenKind::Punct && is_terminator(model[tok.start]) {
            if !is_abbreviation_stop(model, tokens, first, t, abbreviations)
                && !continues_lowercase(model, tokens, t, end_token)
            {
                // Swallow further terminators and closing quotes.
                let mut k = t + 1;
                while k < end_token
                    && tokens[k].kind == TokenKind::Punct
                    && (is_terminator(model[tokens[k].start]) || is_closer(model[tokens[k].start]))
                    && tokens[k].start == tokens[k - 1].end
                {
                    k += 1;
                }
                boundary_after = Some(k);
            }
        } else if t + 1 < end_token && model[tok.end..tokens[t + 1].start].contains(&'\n') {
            // A single line break inside a paragraph also ends a sentence.
            boundary_after = Some(t + 1);
        }
        if let Some(k) = boundary_after {
            push_sentence(tokens, start_token, k, paragraph, out);
            start_token = k;
            t = k;
        } else {
            t += 1;
        }
    }
    push_sentence(tokens, start_token, end_token, paragraph, out);
}

fn push_sentence(
    tokens: &[Token],
    first: usize,
    end: usize,
    paragraph: usize,
    out: &mut Vec<SentenceInfo>,
) {
    if first < end {
        out.push(SentenceInfo {
            start: tokens[first].start,
            end: tokens[end - 1].end,
            paragraph,
            first_token: first,
            end_token: end,
        });
    }
}

/// "Mr." "Jan." and single initials ("John F. Kennedy") do not end sentences.
fn is_abbreviation_stop(
    model: &[char],
    tokens: &[Token],
    first: usize,
    t: usize,
    abbreviations: &HashSet<String>,
) -> bool {
    if model[tokens[t].start] != '.' || t == first {
        return false;
    }
    let prev = tokens[t - 1];
    if prev.kind != TokenKind::Word || prev.end != tokens[t].start {
        return false;
    }
    let word: String = model[prev.start..prev.end].iter().collect();
    let initial = prev.end - prev.start == 1 && model[prev.start].is_uppercase();
    initial || abbreviations.contains(&word)
}

/// A stop followed by a lower-case Latin word, after closing brackets or quotes at most,
/// continues the sentence ("p.m. on", "(D-Wis.) said").
fn continues_lowercase(model: &[char], tokens: &[Token], t: usize, end_token: usize) -> bool {
    if model[tokens[t].start] != '.' {
        return false;
    }
    let mut n = t + 1;
    while n < end_token
        && tokens[n].kind == TokenKind::Punct
        && matches!(model[tokens[n].start], ')' | ']')
    {
        n += 1;
    }
    match tokens.get(n) {
        Some(next) if n < end_token => {
            let c = model[next.start];
            c.is_lowercase() && c.is_ascii()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abbreviations() -> HashSet<String> {
        ["Mr", "Jan"].iter().map(|s| s.to_string()).collect()
    }

    fn split(text: &str) -> Vec<String> {
        let model: Vec<char> = text.chars().collect();
        let mut toks = Vec::new();
        tokens(&model, 0, model.len(), &mut toks);
        let mut out = Vec::new();
        sentences(&model, &toks, 0, toks.len(), 0, &abbreviations(), &mut out);
        out.iter()
            .map(|s| model[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn english_abbreviations_decimals_and_times_do_not_split() {
        assert_eq!(
            split(
                "Mr. Smith met U.S. officials on Jan. 5 at 10:30. Growth was 3.5 percent. \"Fine,\" he said."
            ),
            vec![
                "Mr. Smith met U.S. officials on Jan. 5 at 10:30.",
                "Growth was 3.5 percent.",
                "\"Fine,\" he said."
            ]
        );
    }

    #[test]
    fn arabic_punctuation_and_quotes() {
        assert_eq!(
            split("هل وصلت القوات؟ قال المصدر «لا». وأضاف أن الوضع هادئ، والطرق مغلقة."),
            vec![
                "هل وصلت القوات؟",
                "قال المصدر «لا».",
                "وأضاف أن الوضع هادئ، والطرق مغلقة."
            ]
        );
    }

    #[test]
    fn letters_and_digits_split() {
        let model: Vec<char> = "خلال ال72 ساعة".chars().collect();
        let mut toks = Vec::new();
        tokens(&model, 0, model.len(), &mut toks);
        let words: Vec<String> = toks
            .iter()
            .map(|t| model[t.start..t.end].iter().collect())
            .collect();
        assert_eq!(words, vec!["خلال", "ال", "72", "ساعة"]);
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let model: Vec<char> = "one\n\n\ntwo\nstill two\n \n three ".chars().collect();
        let ps: Vec<String> = paragraphs(&model)
            .iter()
            .map(|&(s, e)| model[s..e].iter().collect())
            .collect();
        assert_eq!(ps, vec!["one", "two\nstill two", "three"]);
    }

    #[test]
    fn paragraphs_split_on_every_line_without_blank_lines() {
        let model: Vec<char> = " الأول\nالثاني \r\n\n".chars().collect();
        let ps: Vec<String> = paragraphs(&model)
            .iter()
            .map(|&(s, e)| model[s..e].iter().collect())
            .collect();
        // The trailing "\r\n\n" is a blank line, but only at the end: still one a line.
        assert_eq!(ps, vec!["الأول", "الثاني"]);
    }
}
