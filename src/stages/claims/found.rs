//! A claim as the extractors find it, before speakers are resolved.

use crate::record::CueClass;
use crate::stages::normalize::{Agencies, AgencyMatch, Document, Token, TokenKind};

use super::cues::{CueEntry, CueKind};

/// A channel: the model range naming it, and its agency id when it is a known agency.
pub type Channel = ((usize, usize), Option<String>);

/// A claim in model-text offsets, as found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundClaim {
    /// The cue words.
    pub cue: (usize, usize),
    /// What the cue does.
    pub class: CueClass,
    /// How the cue attaches.
    pub kind: CueKind,
    /// The speaker's words; `None` when the verb or context carries the speaker.
    pub speaker: Option<(usize, usize)>,
    /// What was said.
    pub content: (usize, usize),
    /// The channel's words and its agency id.
    pub via: Option<Channel>,
    /// Said in a statement.
    pub in_statement: bool,
}

impl FoundClaim {
    /// A claim of cue words `cue` as `entry` reads them, with no channel and not said in a
    /// statement: the extractors set those where they find them.
    pub fn new(
        cue: (usize, usize),
        entry: CueEntry,
        speaker: Option<(usize, usize)>,
        content: (usize, usize),
    ) -> Self {
        FoundClaim {
            cue,
            class: entry.class,
            kind: entry.kind,
            speaker,
            content,
            via: None,
            in_statement: false,
        }
    }
}

/// The channel an agency alias names: its words and the agency's id.
pub fn agency_channel(agencies: &Agencies, m: &AgencyMatch) -> Channel {
    (
        (m.at.start, m.at.end),
        Some(agencies.id(m.agency).to_string()),
    )
}

/// The tokens of one sentence with their match keys, for the extractors.
pub struct SentenceTokens<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The sentence's tokens.
    pub tokens: &'a [Token],
    /// Each token's match key.
    pub keys: Vec<String>,
}

impl<'a> SentenceTokens<'a> {
    /// The tokens of sentence range `first..end`.
    pub fn new(doc: &'a Document, first: usize, end: usize) -> Self {
        let tokens = &doc.tokens[first..end];
        let keys = tokens
            .iter()
            .map(|t| doc.token_key(t).iter().collect())
            .collect();
        SentenceTokens { doc, tokens, keys }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when token `i` is punctuation.
    pub fn is_punct(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Punct
    }

    /// True when token `i` is the punctuation character `c`.
    pub fn is(&self, i: usize, c: char) -> bool {
        self.is_punct(i) && self.keys[i].starts_with(c)
    }

    /// Model range of tokens `a..b` (b exclusive), trimmed of edge punctuation in `trim`.
    pub fn range(&self, mut a: usize, mut b: usize, trim: &[char]) -> Option<(usize, usize)> {
        while a < b && self.is_punct(a) && trim.iter().any(|&c| self.is(a, c)) {
            a += 1;
        }
        while b > a && self.is_punct(b - 1) && trim.iter().any(|&c| self.is(b - 1, c)) {
            b -= 1;
        }
        (a < b).then(|| (self.tokens[a].start, self.tokens[b - 1].end))
    }

    /// True when token `i` begins with an upper-case letter, as written.
    pub fn starts_upper(&self, i: usize) -> bool {
        self.doc
            .token_model(&self.tokens[i])
            .first()
            .is_some_and(|c| c.is_uppercase())
    }

    /// True when token `i` begins with a lower-case letter, as written.
    pub fn starts_lower(&self, i: usize) -> bool {
        self.doc
            .token_model(&self.tokens[i])
            .first()
            .is_some_and(|c| c.is_lowercase())
    }

    /// Number of word or number tokens in `a..b`.
    pub fn words(&self, a: usize, b: usize) -> usize {
        (a..b).filter(|&i| !self.is_punct(i)).count()
    }
}

/// Quote marks that open a quotation.
pub const OPENING_QUOTES: &[char] = &['«', '“', '"', '„', '‹'];
/// Quote marks that close a quotation.
pub const CLOSING_QUOTES: &[char] = &['»', '”', '"', '›'];
/// Punctuation trimmed off the edges of content.
pub const EDGE_PUNCT: &[char] = &['،', ',', '.', '؛', ';', ':', '-', '—', '؟', '?', '!'];
