//! The analysed document that the normalization stage hands to the later stages.

use crate::record::{Credits, Fingerprint, Language, ParagraphKind, Span};
use crate::text::{GazetteerMatch, KeyIndex, TextLayers};

/// One article's text as the stages see it: the original, its layers, its structure.
///
/// All ranges here are model-text character offsets; [`Document::span`] turns any of them
/// into a [`Span`] of the original.
#[derive(Debug, Clone)]
pub struct Document {
    /// The original text the spans point into (possibly truncated, see warnings).
    pub original: String,
    /// Byte offset of each original code point, plus one entry for the end.
    original_bytes: Vec<u32>,
    /// Model text and match key.
    pub layers: TextLayers,
    /// The match key as a string, for automata.
    pub key_index: KeyIndex,
    /// Words, numbers and punctuation.
    pub tokens: Vec<Token>,
    /// Paragraphs.
    pub paragraphs: Vec<ParagraphInfo>,
    /// Sentences.
    pub sentences: Vec<SentenceInfo>,
    /// Ranges excluded from entity and claim extraction (credit lines, datelines, bylines).
    pub excluded: Vec<(usize, usize)>,
    /// The place words of the body's dateline («دبي، الإمارات العربية المتحدة» before
    /// «(CNN)--»): names for the entity stage, but outside the story, and no claim's.
    pub dateline_place: Option<(usize, usize)>,
    /// The article reads as opinion (a disclaimer paragraph or the input's section).
    pub opinion: Option<&'static str>,
    /// Language of the whole article.
    pub language: Language,
    /// Publisher and agency credits.
    pub credits: Credits,
    /// Every number in the text, in text order.
    pub numbers: Vec<NumberMention>,
    /// Every agency alias in the text, in text order (found once, used by later stages).
    pub agencies: Vec<AgencyMatch>,
    /// Duplicate-detection hashes.
    pub fingerprint: Fingerprint,
}

/// An agency found in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgencyMatch {
    /// Where, in model-text offsets.
    pub at: GazetteerMatch,
    /// Index into the agency table (`Agencies::list`).
    pub agency: usize,
    /// True when the alias names the agency only in a credit («الفرنسية» is also "French").
    pub credit_only: bool,
}

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

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and marks), possibly with inner apostrophes, hyphens or abbreviation dots.
    Word,
    /// Digits, possibly with inner separators ("3.5", "1,200", "10:30").
    Number,
    /// Anything else, one character.
    Punct,
}

/// One token, in model-text offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First model character.
    pub start: usize,
    /// One past the last model character.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// True for Arabic-script words.
    pub arabic: bool,
}

/// One paragraph, in model-text offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphInfo {
    /// First model character.
    pub start: usize,
    /// One past the last model character.
    pub end: usize,
    /// Detected language.
    pub language: Language,
    /// Why the paragraph is excluded from extraction, if it is.
    pub excluded: Option<&'static str>,
    /// What the paragraph is: the story or something beside it.
    pub kind: ParagraphKind,
}

/// One sentence, in model-text offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceInfo {
    /// First model character.
    pub start: usize,
    /// One past the last model character.
    pub end: usize,
    /// Index of the paragraph.
    pub paragraph: usize,
    /// First token of the sentence.
    pub first_token: usize,
    /// One past the last token of the sentence.
    pub end_token: usize,
}

impl Document {
    /// A document over `original`, with layers built and nothing else yet.
    pub fn new(original: String) -> Self {
        let (layers, original_bytes) = TextLayers::build_with_offsets(&original);
        let key_index = KeyIndex::new(&layers.key);
        Document {
            original,
            original_bytes,
            layers,
            key_index,
            tokens: Vec::new(),
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            excluded: Vec::new(),
            dateline_place: None,
            opinion: None,
            language: Language {
                code: "und".into(),
                script: "unknown".into(),
                confidence: 0.0,
                hint_agrees: None,
            },
            credits: Credits::default(),
            agencies: Vec::new(),
            numbers: Vec::new(),
            fingerprint: Fingerprint::default(),
        }
    }

    /// The original span of model-text range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (s, e) = self.layers.to_original(start, end);
        Span::new(s, e, self.original_text(s, e))
    }

    /// The original text of code points `start..end`.
    pub fn original_text(&self, start: usize, end: usize) -> &str {
        let b = |i: usize| self.original_bytes[i.min(self.original_bytes.len() - 1)] as usize;
        &self.original[b(start)..b(end)]
    }

    /// The model text of a token.
    pub fn token_model(&self, token: &Token) -> &[char] {
        &self.layers.model[token.start..token.end]
    }

    /// The match key of a token.
    pub fn token_key(&self, token: &Token) -> &[char] {
        &self.layers.key[token.start..token.end]
    }

    /// The kind of text at model offset `at` when it is not the story's body: a non-body
    /// paragraph's kind, or `Dateline` inside the dateline's place words.
    pub fn outside_body(&self, at: usize) -> Option<ParagraphKind> {
        if self
            .dateline_place
            .is_some_and(|(s, e)| (s..e).contains(&at))
        {
            return Some(ParagraphKind::Dateline);
        }
        let i = self.paragraphs.partition_point(|p| p.end <= at);
        self.paragraphs
            .get(i)
            .filter(|p| p.start <= at && !p.kind.is_body())
            .map(|p| p.kind)
    }

    /// True when model range `start..end` overlaps a range excluded from extraction.
    ///
    /// `excluded` is sorted and merged once credits are found, so this is a binary search:
    /// hostile inputs with thousands of credits stay linear overall.
    pub fn is_excluded(&self, start: usize, end: usize) -> bool {
        let i = self.excluded.partition_point(|&(_, e)| e <= start);
        self.excluded.get(i).is_some_and(|&(s, _)| s < end)
    }

    /// The excluded range containing `start..end` wholly, if any.
    fn excluding(&self, start: usize, end: usize) -> bool {
        let i = self.excluded.partition_point(|&(_, e)| e < end);
        self.excluded
            .get(i)
            .is_some_and(|&(s, e)| s <= start && end <= e)
    }

    /// The agency alias starting inside model range `start..end`, if any.
    pub fn agency_starting_in(&self, start: usize, end: usize) -> Option<&AgencyMatch> {
        let i = self.agencies.partition_point(|m| m.at.start < start);
        self.agencies.get(i).filter(|m| m.at.start < end)
    }

    /// The agency aliases lying wholly inside model range `start..end`.
    pub fn agencies_within(&self, start: usize, end: usize) -> impl Iterator<Item = &AgencyMatch> {
        let i = self.agencies.partition_point(|m| m.at.start < start);
        self.agencies[i..]
            .iter()
            .take_while(move |m| m.at.start < end)
            .filter(move |m| m.at.end <= end)
    }

    /// The sentences open to entity and claim extraction: all but those lying wholly in
    /// an excluded range (a dateline excludes only itself, not its sentence).
    pub fn extractable_sentences(&self) -> impl Iterator<Item = &SentenceInfo> {
        self.sentences
            .iter()
            .filter(|sent| !self.excluding(sent.start, sent.end))
    }
}
