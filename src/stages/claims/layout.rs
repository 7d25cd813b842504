//! Attributions set by layout rather than by a verb: transcript and headline lines
//! ("PENCE: Well, look, ...", "Poll: Wealthy Voters Abandon ...") and signed quotations
//! ("“...” ― Sonya Herridge"). Latin script only: Arabic news marks these with verbs.

use std::sync::LazyLock;

use crate::record::CueClass;
use crate::stages::normalize::{Document, Token, TokenKind};
use crate::table;

use super::cues::CueKind;
use super::found::FoundClaim;
use super::quotations::{mark, opening_before};

/// Most words in a speaker label or signature.
const MAX_LABEL_WORDS: usize = 4;

/// Labels before a colon that name no speaker.
static NOT_SPEAKERS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    table::word_list(
        "not-speakers.txt",
        include_str!("../../../data/claims/not-speakers.txt"),
    )
});

/// True when a token is a capitalised Latin word.
fn capitalised(doc: &Document, t: &Token) -> bool {
    t.kind == TokenKind::Word
        && !t.arabic
        && doc
            .token_model(t)
            .first()
            .is_some_and(|c| c.is_uppercase() && c.is_ascii_alphabetic())
}

/// The layout attributions of a document.
pub fn extract(doc: &Document) -> Vec<FoundClaim> {
    let mut found = Vec::new();
    labelled_lines(doc, &mut found);
    signed_quotations(doc, &mut found);
    found
}

/// "NAME: text" opening a paragraph: the label speaks the rest of the paragraph.
fn labelled_lines(doc: &Document, found: &mut Vec<FoundClaim>) {
    let text = &doc.layers.model;
    for sentence in doc.extractable_sentences() {
        let Some(paragraph) = doc.paragraphs.get(sentence.paragraph) else {
            continue;
        };
        let tokens = &doc.tokens[sentence.first_token..sentence.end_token];
        // Only a paragraph's first words, after an opening quotation mark at most.
        let mut k = 0;
        while k < tokens.len()
            && tokens[k].kind == TokenKind::Punct
            && mark(text, tokens[k].start).is_some_and(|(opening, _)| opening)
        {
            k += 1;
        }
        let Some(first) = tokens.get(k) else { continue };
        if text[paragraph.start..first.start]
            .iter()
            .any(|c| !c.is_whitespace() && mark(text, 0).is_none() && !matches!(c, '"' | '“'))
        {
            continue;
        }
        let Some(colon) = (k..tokens.len().min(k + MAX_LABEL_WORDS + 1))
            .find(|&j| tokens[j].kind == TokenKind::Punct)
        else {
            continue;
        };
        let label = &tokens[k..colon];
        if label.is_empty()
            || doc.token_key(&tokens[colon]) != [':']
            || !label.iter().all(|t| capitalised(doc, t))
            || label.iter().any(|t| {
                let key: String = doc.token_key(t).iter().collect();
                NOT_SPEAKERS.contains(&key.as_str())
            })
        {
            continue;
        }
        let words_after = doc.tokens[sentence.first_token + colon + 1..]
            .iter()
            .take_while(|t| t.start < paragraph.end)
            .filter(|t| t.kind != TokenKind::Punct)
            .count();
        let Some(next) = tokens.get(colon + 1) else {
            continue;
        };
        let mut end = paragraph.end;
        while end > next.start && text[end - 1].is_whitespace() {
            end -= 1;
        }
        if words_after < 3 {
            continue;
        }
        found.push(FoundClaim {
            cue: (tokens[colon].start, tokens[colon].end),
            class: CueClass::Report,
            kind: CueKind::Prep,
            speaker: Some((label[0].start, label[label.len() - 1].end)),
            content: (next.start, end),
            via: None,
            in_statement: false,
        });
    }
}

/// "“text” ― Name": a quotation signed with a dash.
fn signed_quotations(doc: &Document, found: &mut Vec<FoundClaim>) {
    let text = &doc.layers.model;
    for (j, dash) in doc.tokens.iter().enumerate() {
        if dash.kind != TokenKind::Punct || !matches!(doc.token_key(dash), ['―'] | ['—']) || j == 0
        {
            continue;
        }
        let close = &doc.tokens[j - 1];
        let Some((false, kind)) = mark(text, close.start) else {
            continue;
        };
        let name: Vec<&Token> = doc.tokens[j + 1..]
            .iter()
            .take(MAX_LABEL_WORDS + 1)
            .take_while(|t| capitalised(doc, t))
            .collect();
        let after = doc.tokens.get(j + 1 + name.len());
        let name_ends = after.is_none_or(|t| {
            t.kind == TokenKind::Punct
                || text[name.last().map_or(dash.end, |n| n.end)..t.start].contains(&'\n')
        });
        if name.is_empty() || name.len() > MAX_LABEL_WORDS || !name_ends {
            continue;
        }
        let Some(open) = opening_before(text, close.start, kind) else {
            continue;
        };
        found.push(FoundClaim {
            cue: (dash.start, dash.end),
            class: CueClass::Report,
            kind: CueKind::Prep,
            speaker: Some((name[0].start, name[name.len() - 1].end)),
            content: (open, close.end),
            via: None,
            in_statement: false,
        });
    }
}
