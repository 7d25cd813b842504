//! Quotations in content: balancing their marks, narrowing to them, and the mode they give.
//!
//! Sentences are split inside quotations ("“It is late. We are tired,” she said."), so a
//! content found in one sentence may hold only half of a quotation; the reader expects
//! the whole of it, and the quotation the speaker goes on with after the cue ("“C1,” she
//! said. “C2.”"), which news writing attributes to the same cue.

use crate::record::Mode;
use crate::stages::normalize::Document;

use super::found::{CLOSING_QUOTES, OPENING_QUOTES};

/// Longest stretch, in characters, searched for a quotation's other mark.
const MAX_QUOTATION: usize = 2000;

/// Which way a quotation mark at `i` of `text` faces: opening, closing, or not a quotation
/// mark. Straight marks (`"`, and `''` as two apostrophes) open after a space or line start
/// and close otherwise; typographic marks say which they are.
pub fn mark(text: &[char], i: usize) -> Option<(bool, char)> {
    let c = text[i];
    let kind = match c {
        '“' | '”' => '“',
        '«' | '»' => '«',
        '"' => '"',
        '\'' if text.get(i + 1) == Some(&'\'') || i > 0 && text[i - 1] == '\'' => '\'',
        _ => return None,
    };
    // The second apostrophe of a pair is not a mark of its own.
    if c == '\'' && i > 0 && text[i - 1] == '\'' {
        return None;
    }
    let width = if c == '\'' { 2 } else { 1 };
    let space_before =
        i == 0 || text[i - 1].is_whitespace() || matches!(text[i - 1], '(' | '[' | '—' | '-');
    let space_after = text.get(i + width).is_none_or(|c| c.is_whitespace());
    let opening = match c {
        '“' | '«' => true,
        '”' | '»' => false,
        // A straight mark with space on both sides says nothing: not read as a mark.
        _ if space_before && space_after => return None,
        _ => space_before,
    };
    Some((opening, kind))
}

/// The kind of quotation mark a character can be, if any (which way it faces aside).
fn mark_char(c: char) -> Option<char> {
    matches!(c, '“' | '”' | '«' | '»' | '"' | '\'').then_some(c)
}

/// The first mark in `start..end` left without its partner inside the range: `(position,
/// opening, kind)`.
fn unbalanced(text: &[char], start: usize, end: usize) -> Option<(usize, bool, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for i in start..end {
        match mark(text, i) {
            Some((true, kind)) => open.push((i, kind)),
            Some((false, kind)) => match open.last() {
                Some(&(_, k)) if k == kind => {
                    open.pop();
                }
                _ => return Some((i, false, kind)),
            },
            None => {}
        }
    }
    open.first().map(|&(i, kind)| (i, true, kind))
}

/// Where the quotation opened at `open` closes (one past its mark), on the same line.
///
/// A quotation its line does not close runs to the end of the line: news writing leaves the
/// closing mark out when a quotation goes on into the next paragraph.
fn closing_after(text: &[char], open: usize, kind: char) -> Option<usize> {
    let mut depth = 0usize;
    // Guillemets are left out: corpora reverse them («...« and »...«), and a run to the
    // line's end would swallow whole articles written on one line.
    let line_end = |mut i: usize| {
        while i > open + 1 && text[i - 1].is_whitespace() {
            i -= 1;
        }
        (kind != '«').then_some(i)
    };
    for i in open + 1..text.len().min(open + MAX_QUOTATION) {
        if text[i] == '\n' {
            return line_end(i);
        }
        match mark(text, i) {
            Some((true, k)) if k == kind => depth += 1,
            Some((false, k)) if k == kind => {
                if depth == 0 {
                    return Some(i + if kind == '\'' { 2 } else { 1 });
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    if text.len() <= open + MAX_QUOTATION {
        return line_end(text.len());
    }
    None
}

/// Where the quotation closed at `close` opens, on the same line.
pub fn opening_before(text: &[char], close: usize, kind: char) -> Option<usize> {
    let mut depth = 0usize;
    for i in (close.saturating_sub(MAX_QUOTATION)..close).rev() {
        if text[i] == '\n' {
            return None;
        }
        match mark(text, i) {
            Some((false, k)) if k == kind => depth += 1,
            Some((true, k)) if k == kind => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// The content with its quotations whole: a mark without its partner inside the content is
/// joined to its partner on the same line, and a content quoted before its cue takes in the
/// quotation that follows the cue's sentence when that quotation ends the paragraph. The
/// content never grows backwards over its cue.
pub fn whole_quotations(
    doc: &Document,
    cue: (usize, usize),
    content: (usize, usize),
) -> (usize, usize) {
    let text = &doc.layers.model;
    let (mut start, mut end) = content;
    // Marks trimmed off a half quotation come back first: «We are tired,” she said».
    let mut after = end;
    while after < text.len() && matches!(text[after], ',' | '.' | '?' | '!' | '،') {
        after += 1;
    }
    if after < text.len()
        && (end > cue.0 || after < cue.0)
        && mark(text, after).is_some_and(|(opening, _)| !opening)
    {
        end = after + if text[after] == '\'' { 2 } else { 1 };
    }
    if start > 0
        && (start <= cue.0 || start > cue.1)
        && mark(text, start - 1).is_some_and(|(opening, _)| opening)
    {
        start -= 1;
    }
    for _ in 0..4 {
        match unbalanced(text, start, end) {
            Some((i, false, kind)) => match opening_before(text, i, kind) {
                Some(open) if open < start && (end <= cue.0 || open >= cue.1 || start <= cue.0) => {
                    start = open;
                }
                _ => break,
            },
            Some((i, true, kind)) => match closing_after(text, i, kind) {
                Some(close) if close > end => end = close,
                _ => break,
            },
            None => break,
        }
    }
    let ends_quoted = end > start && mark(text, end - 1).is_some_and(|(o, _)| !o)
        || end > start + 1 && text[end - 1] == '\'' && text[end - 2] == '\'';
    if end <= cue.0 && ends_quoted {
        end = continued_quotation(doc, cue)
            .or_else(|| following_quotation(doc, cue))
            .unwrap_or(end);
    } else if end <= cue.0 && mark(text, start).is_some_and(|(o, _)| o) {
        // "“C1” of the proposals, Mr. Holtz-Eakin said. “C2.”": a content that opens with a
        // quotation goes on with the speaker's next one too.
        end = continued_quotation(doc, cue).unwrap_or(end);
    }
    (start, end)
}

/// Most words between a cue and the quotation its speaker goes on with.
const MAX_WORDS_TO_CONTINUATION: usize = 25;

/// The end of the quotation a speaker goes on with after the cue, on the same line: "“C1,”
/// Schiff told Capital Download on Wednesday, “C2.”" and "“C1,” said Rep. Butterfield,
/// head of the caucus. “C2.”". Only when nothing but the speaker's words stands between the
/// cue and the quotation (no other mark, a comma or a full stop before it), and the
/// quotation has no cue of its own after it ("“C2,” he added." belongs to "added").
fn continued_quotation(doc: &Document, cue: (usize, usize)) -> Option<usize> {
    let text = &doc.layers.model;
    let mut words = 0;
    let mut open = None;
    let mut previous_space = true;
    for i in cue.1..text.len() {
        if text[i] == '\n' {
            return None;
        }
        if let Some((opening, kind)) = mark(text, i) {
            if !opening {
                return None;
            }
            open = Some((i, kind));
            break;
        }
        if text[i].is_alphanumeric() && previous_space {
            words += 1;
            if words > MAX_WORDS_TO_CONTINUATION {
                return None;
            }
        }
        previous_space = !text[i].is_alphanumeric();
    }
    let (open, kind) = open?;
    let lead = text[cue.1..open].iter().rev().find(|c| !c.is_whitespace());
    if !matches!(lead, Some(',' | '.')) {
        return None;
    }
    let close = closing_after(text, open, kind)?;
    // A quotation ending in a comma leads into its own cue: "“C2,” Jones added."
    let last = text[open + 1..close]
        .iter()
        .rev()
        .find(|c| !c.is_whitespace() && mark_char(**c).is_none());
    if last == Some(&',') {
        return None;
    }
    // What follows the quotation on its line: nothing, or a new sentence.
    let after = text[close..]
        .iter()
        .take_while(|&&c| c != '\n')
        .find(|c| !c.is_whitespace());
    after
        .is_none_or(|c| c.is_uppercase() || matches!(c, '“' | '"' | '(' | '—'))
        .then_some(close)
}

/// The end of a quotation that opens right after the sentence of `cue` and closes its
/// paragraph: "“C1,” she said. “C2.”".
fn following_quotation(doc: &Document, cue: (usize, usize)) -> Option<usize> {
    let text = &doc.layers.model;
    let sentence = doc
        .sentences
        .iter()
        .find(|s| s.start <= cue.0 && cue.0 < s.end)?;
    let mut q = sentence.end;
    while q < text.len() && text[q].is_whitespace() && text[q] != '\n' {
        q += 1;
    }
    let (opening, kind) = mark(text, q.min(text.len().checked_sub(1)?))?;
    if !opening || q >= text.len() {
        return None;
    }
    let close = closing_after(text, q, kind)?;
    let rest_blank = text[close..]
        .iter()
        .take_while(|&&c| c != '\n')
        .all(|c| c.is_whitespace());
    rest_blank.then_some(close)
}

/// The quotations of a document in English marks (“ ”, straight and doubled apostrophes),
/// closed on the line they open: (opening mark, one past the closing mark), in text order.
/// Guillemets are left out: corpora with reversed «» (ANERcorp has them) would pair the
/// wrong marks.
pub fn quotations(doc: &Document) -> Vec<(usize, usize)> {
    let text = &doc.layers.model;
    let mut out = Vec::new();
    let mut open: Vec<(usize, char)> = Vec::new();
    for i in 0..text.len() {
        if text[i] == '\n' {
            open.clear();
            continue;
        }
        match mark(text, i) {
            Some((_, '«')) => {}
            Some((true, kind)) => open.push((i, kind)),
            Some((false, kind)) => {
                if let Some(k) = open.iter().rposition(|&(_, k)| k == kind) {
                    out.push((open[k].0, i + 1));
                    open.truncate(k);
                }
            }
            None => {}
        }
    }
    out.sort_unstable();
    out
}

/// True when model position `at` lies inside one of `quotations`.
pub fn quoted(quotations: &[(usize, usize)], at: usize) -> bool {
    let i = quotations.partition_point(|&(s, _)| s < at);
    quotations[..i].iter().rev().take(8).any(|&(_, e)| at < e)
}

/// «إلى «...»»: content that is one quotation after its complementizer is the quotation.
pub fn narrow_to_quotation(doc: &Document, (start, end): (usize, usize)) -> (usize, usize) {
    let model = &doc.layers.model;
    let Some(open) = (start..end).find(|&i| OPENING_QUOTES.contains(&model[i])) else {
        return (start, end);
    };
    let before: String = model[start..open].iter().collect();
    let lead_in = before.trim();
    if end > open + 1
        && CLOSING_QUOTES.contains(&model[end - 1])
        && matches!(lead_in, "إلى" | "الى" | "")
        && !model[open + 1..end - 1]
            .iter()
            .any(|c| OPENING_QUOTES.contains(c) && *c != '"')
    {
        (open, end)
    } else {
        (start, end)
    }
}

/// Direct when the content is one quotation, mixed when it quotes three words or more.
pub fn mode_of(doc: &Document, (start, end): (usize, usize)) -> Mode {
    let model = &doc.layers.model[start..end];
    if model.first().is_some_and(|c| OPENING_QUOTES.contains(c))
        && model.last().is_some_and(|c| CLOSING_QUOTES.contains(c))
    {
        return Mode::Direct;
    }
    let mut quoted_words = 0;
    let mut inside = false;
    let mut longest = 0;
    let mut previous_space = true;
    for &c in model {
        if OPENING_QUOTES.contains(&c) && !inside {
            inside = true;
            quoted_words = 0;
            previous_space = true;
        } else if CLOSING_QUOTES.contains(&c) && inside {
            inside = false;
            longest = longest.max(quoted_words);
        } else if inside {
            if c.is_alphanumeric() && previous_space {
                quoted_words += 1;
            }
            previous_space = !c.is_alphanumeric();
        }
    }
    if longest >= 3 {
        Mode::Mixed
    } else {
        Mode::Indirect
    }
}
