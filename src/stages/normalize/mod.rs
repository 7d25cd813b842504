//! The normalization stage: from the text as received to the [`Document`] the later stages
//! read, with language, paragraphs, sentences, tokens, credits and fingerprints.
//!
//! Each step is one small module with one job; [`Normalizer::run`] composes them in order.

mod agencies;
mod credits;
mod document;
mod fields;
mod fingerprint;
pub mod html;
mod kinds;
mod language;
mod numbers;
mod segment;

use std::collections::HashSet;

pub use agencies::{Agencies, Agency, AgencyKind};
pub use document::{
    AgencyMatch, Document, NumberMention, ParagraphInfo, SentenceInfo, Token, TokenKind,
};
pub use fingerprint::{hamming, simhash};
pub use language::LanguageIdentifier;
pub use numbers::NumberReader;

use crate::record::{Field, ParagraphKind};
use crate::stages::{LoadError, StageError};
use crate::table::Table;
use crate::text::chars::is_word_char;

/// Version of this stage's output; bumped when the same input would give different output.
pub const VERSION: &str = "0.1.0";

/// The stage's data tables, bundled into the binary.
mod tables {
    pub const AGENCIES: &str = include_str!("../../../data/normalize/agencies.tsv");
    pub const ABBREVIATIONS_EN: &str = include_str!("../../../data/normalize/abbreviations-en.txt");
    pub const LANGUAGE_CODES: &str = include_str!("../../../data/normalize/language-codes.tsv");
    pub const NUMBER_WORDS: &str = include_str!("../../../data/normalize/number-words.tsv");
    pub const PARAGRAPH_KINDS: &str = include_str!("../../../data/normalize/paragraph-kinds.tsv");
    pub const NUMBER_QUALIFIERS: &str =
        include_str!("../../../data/normalize/number-qualifiers.tsv");
}

/// What the input says about a body besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The input's language hint.
    pub hint: Option<&'a str>,
    /// The input's byline field.
    pub byline: Option<&'a str>,
    /// The input's dateline field.
    pub dateline: Option<&'a str>,
    /// The input's section.
    pub section: Option<&'a str>,
    /// The publisher: the source's name or the URL's host, lowercase.
    pub outlet: Option<&'a str>,
}

/// The normalization stage, with its tables loaded.
#[derive(Debug, Clone)]
pub struct Normalizer {
    agencies: Agencies,
    abbreviations: HashSet<String>,
    languages: LanguageIdentifier,
    numbers: NumberReader,
    kinds: kinds::KindRules,
}

impl Normalizer {
    /// Loads the bundled tables.
    pub fn new() -> Result<Self, LoadError> {
        Ok(Normalizer {
            agencies: Agencies::load(tables::AGENCIES)?,
            abbreviations: Table::new("abbreviations-en.txt", tables::ABBREVIATIONS_EN)
                .words()
                .map(str::to_string)
                .collect(),
            languages: LanguageIdentifier::load(tables::LANGUAGE_CODES)?,
            numbers: NumberReader::load(tables::NUMBER_WORDS, tables::NUMBER_QUALIFIERS)?,
            kinds: kinds::KindRules::load(tables::PARAGRAPH_KINDS)?,
        })
    }

    /// The agency table.
    pub fn agencies(&self) -> &Agencies {
        &self.agencies
    }

    /// Normalizes one text. `hint` is the input's language hint.
    pub fn run(&self, original: String, hint: Option<&str>) -> Result<Document, StageError> {
        self.run_with(
            original,
            &Context {
                hint,
                ..Context::default()
            },
        )
    }

    /// Normalizes one article's body with what else the input says about it.
    pub fn run_with(&self, original: String, context: &Context) -> Result<Document, StageError> {
        let hint = context.hint;
        let mut doc = Document::new(original);
        doc.tokens.reserve(doc.layers.len() / 5);
        if !doc.layers.model.iter().any(|&c| is_word_char(c)) {
            return Err(StageError::EmptyText(
                "the text has no letters or digits once whitespace, controls and marks are removed"
                    .into(),
            ));
        }
        let mut paragraphs = Vec::new();
        let spans = segment::paragraphs(&doc.layers.model);
        let languages = self.languages.paragraphs(&doc.layers.model, &spans);
        for ((p, &(start, end)), language) in spans.iter().enumerate().zip(languages) {
            let first = doc.tokens.len();
            segment::tokens(&doc.layers.model, start, end, &mut doc.tokens);
            let end_token = doc.tokens.len();
            segment::sentences(
                &doc.layers.model,
                &doc.tokens,
                first,
                end_token,
                p,
                &self.abbreviations,
                &mut doc.sentences,
            );
            paragraphs.push(ParagraphInfo {
                start,
                end,
                language,
                excluded: None,
                kind: ParagraphKind::Body,
            });
        }
        doc.paragraphs = paragraphs;
        let weighted: Vec<(usize, &crate::record::Language)> = doc
            .paragraphs
            .iter()
            .map(|p| (p.end - p.start, &p.language))
            .collect();
        doc.language = self.languages.article(&weighted, hint);
        credits::find_credits(&mut doc, &self.agencies);
        if let Some(byline) = context.byline {
            fields::field_credits(&mut doc.credits, &self.agencies, Field::Byline, byline);
        }
        if let Some(dateline) = context.dateline {
            fields::field_credits(&mut doc.credits, &self.agencies, Field::Dateline, dateline);
        }
        self.kinds.mark(&mut doc, context);
        doc.fingerprint = fingerprint::fingerprint(&doc);
        doc.numbers = self.numbers.read(&doc);
        Ok(doc)
    }
}
