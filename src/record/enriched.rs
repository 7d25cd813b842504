//! The output record: one enriched article, with every stage's section.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::raw::Source;
use super::span::Span;

/// Version of the record contract. Bumped on any change a consumer could notice:
/// minor for additions, major for renames and removals.
pub const SCHEMA_VERSION: &str = "1.4";

/// An enriched article: the input's metadata, the text structures and what each stage found.
///
/// The input's metadata fields (`url` to `feed`) repeat [`RawArticle`](super::raw::RawArticle)'s
/// rather than sharing one flattened struct: `#[serde(flatten)]` buffers the fields it
/// takes, and serde_path_to_error then loses the path (`source.name`) that an
/// `invalid_field` reject names (dtolnay/path-to-error#9).
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct EnrichedArticle {
    /// Version of this record contract (see [`SCHEMA_VERSION`]).
    pub schema_version: String,
    /// The article id: the input's, or derived from the content (same input, same id).
    pub id: String,
    /// Whether `id` came with the input or was derived.
    pub id_origin: IdOrigin,
    /// The input's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The input's title; spans with `"field": "title"` point into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The text every body span points into: the input's `body` as received, or the text
    /// extracted from `html` when no body was given.
    pub body: String,
    /// The input's byline (or `author`); spans with `"field": "byline"` point into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The input's dateline field; spans with `"field": "dateline"` point into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// The input's section or category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The input's publication time: RFC 3339, rewritten from the form it came in (RFC
    /// 2822, a date, a numeric or named-month date) when newsflow could read it, else as
    /// received with a warning (`invalid_timestamp`, `ambiguous_timestamp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// How much of `published_at` the input gave; absent when it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at_precision: Option<TimePrecision>,
    /// The input's scrape time, read as `published_at` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scraped_at: Option<String>,
    /// How much of `scraped_at` the input gave; absent when it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scraped_at_precision: Option<TimePrecision>,
    /// The input's publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The input's feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// Input fields newsflow does not know, passed through untouched.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
    /// Language of the article as a whole.
    pub language: Language,
    /// Paragraphs and sentences (normalization stage).
    pub text: TextStructure,
    /// Named entities, clustered per referent (entity stage).
    pub entities: Vec<Entity>,
    /// Attributed statements: who said what (claim stage).
    pub claims: Vec<Claim>,
    /// Present when the article reads as opinion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<Opinion>,
    /// Contradictions and corroborations between claims (claim stage).
    pub relations: Vec<Relation>,
    /// Publisher, credited wire agencies and agencies cited as channels (normalization stage).
    pub credits: Credits,
    /// Hashes for exact and near-duplicate detection (normalization stage).
    pub fingerprint: Fingerprint,
    /// How and when this record was made.
    pub provenance: Provenance,
    /// Things a user should know about this record (truncation, suspicious input, ...).
    pub warnings: Vec<Warning>,
}

/// Where the article id came from.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IdOrigin {
    /// The input carried an `id`.
    Input,
    /// Derived from a hash of url, title, body and html.
    Derived,
}

/// A detected language.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Language {
    /// ISO 639-1 code where one exists ("ar", "en"), else ISO 639-3; "und" when unknown.
    pub code: String,
    /// Dominant script ("Arabic", "Latin", ...).
    pub script: String,
    /// Confidence in 0..=1.
    pub confidence: f32,
    /// Whether the input's language hint agreed with detection (absent without a hint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_agrees: Option<bool>,
}

/// The normalized text structures, as spans of the original body.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq, Default)]
pub struct TextStructure {
    /// Paragraphs, in order, with their language.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
}

/// One paragraph.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// Where the paragraph lies in `body`; its `text` only with `--full-texts`.
    pub span: Span,
    /// Its language.
    pub language: Language,
    /// What the paragraph is: the story, or what a page holds beside it; absent means
    /// `body`. Entities and claims found outside the body are kept but flagged, and count
    /// toward neither salience nor relations.
    #[serde(default, skip_serializing_if = "ParagraphKind::is_body")]
    pub kind: ParagraphKind,
    /// Why it is excluded from entity and claim extraction (credit line, byline, dateline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

/// What a paragraph does for a reader of the article.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    /// The story: report, quotations, background, its own subheadings.
    #[default]
    Body,
    /// Only a place, a date or an outlet credit.
    Dateline,
    /// Only who wrote or supplied the story: author, agency credit, source line.
    Byline,
    /// A picture's or video's caption or credit.
    Caption,
    /// Site furniture: follow, share, subscribe, copyright, separators.
    Boilerplate,
    /// A note that the piece is opinion and not the outlet's.
    OpinionDisclaimer,
    /// A pointer to another story: its headline or teaser.
    Related,
}

impl ParagraphKind {
    /// True for the story itself.
    pub fn is_body(&self) -> bool {
        *self == ParagraphKind::Body
    }

    /// The kind's name in records and tables.
    pub fn as_str(&self) -> &'static str {
        match self {
            ParagraphKind::Body => "body",
            ParagraphKind::Dateline => "dateline",
            ParagraphKind::Byline => "byline",
            ParagraphKind::Caption => "caption",
            ParagraphKind::Boilerplate => "boilerplate",
            ParagraphKind::OpinionDisclaimer => "opinion_disclaimer",
            ParagraphKind::Related => "related",
        }
    }

    /// The kind named `name`, as [`ParagraphKind::as_str`] writes it.
    pub fn parse(name: &str) -> Option<Self> {
        [
            ParagraphKind::Body,
            ParagraphKind::Dateline,
            ParagraphKind::Byline,
            ParagraphKind::Caption,
            ParagraphKind::Boilerplate,
            ParagraphKind::OpinionDisclaimer,
            ParagraphKind::Related,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// Why an article reads as opinion: its unattributed statements are then its authors'
/// (`credits.authors`), not the outlet's.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Opinion {
    /// "disclaimer" (an opinion disclaimer paragraph) or "section" (the input's section).
    pub by: String,
}

/// One sentence.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Sentence {
    /// Where the sentence lies in `body`; its `text` only with `--full-texts`.
    pub span: Span,
    /// Index of its paragraph in `text.paragraphs`.
    pub paragraph: usize,
}

/// Entity types.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityType {
    /// Person.
    PER,
    /// Organisation.
    ORG,
    /// Geo-political entity: country, city, region with a government.
    GPE,
    /// Other location: mountains, rivers, regions.
    LOC,
    /// Facility: airports, bases, buildings.
    FAC,
    /// Nationality, religious or political group.
    NORP,
    /// Other names (events, works, products).
    MISC,
}

/// A knowledge-base reference.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct KbRef {
    /// The knowledge base: "newsflow" (curated actors), "geonames".
    pub source: String,
    /// The id within it.
    pub id: String,
}

/// Coordinates and country of a place, from GeoNames.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Geo {
    /// Latitude in degrees (absent for countries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in degrees (absent for countries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: String,
}

/// One named entity: all mentions of one referent in the article.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Entity {
    /// Id within the article ("e1", "e2", ...).
    pub id: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Canonical name, in English where known.
    pub name: String,
    /// Canonical Arabic name where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_ar: Option<String>,
    /// Where `name` comes from: the knowledge base, GeoNames, a name dictionary, a
    /// letter-by-letter transliteration of the Arabic, or the text as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_source: Option<NameSource>,
    /// Knowledge-base link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kb: Option<KbRef>,
    /// Where a place linked to GeoNames lies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
    /// Role for news actors: government, military, armed_group, state_media, media,
    /// news_agency, ngo, international_body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Every mention, in text order.
    pub mentions: Vec<Span>,
    /// How central the entity is to the article, 0..=1, from its mentions in the body
    /// only (0 when it has none).
    pub salience: f32,
    /// True when every mention lies outside the story: in a dateline, a byline, a caption,
    /// boilerplate or a related headline (see `text.paragraphs[].kind`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outside_body: bool,
    /// Confidence that the entity is right, 0..=1.
    pub confidence: f32,
}

/// Where an entity's `name` comes from.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    /// The newsflow knowledge base.
    Kb,
    /// GeoNames.
    Geonames,
    /// A name dictionary's usual spelling of the Arabic (arabic-name-romanizer, NERAr,
    /// google/transliteration).
    Dictionary,
    /// The Arabic spelled in Latin letter by letter, at least in part.
    Transliterated,
    /// The text as written (a Latin-script name, or Arabic no table could spell).
    Text,
}

/// Who made a claim.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Speaker {
    /// The words naming the speaker (for implicit subjects, the cue they are carried by).
    pub span: Span,
    /// The entity the speaker resolves to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Normalised description for speakers that are not named entities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What kind of speaker this is.
    pub kind: SpeakerKind,
    /// True when the speaker is carried by the verb or continues an earlier speaker.
    pub implicit: bool,
}

/// Kinds of speaker.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerKind {
    /// A named person.
    NamedPerson,
    /// A named organisation.
    NamedOrg,
    /// State-run media.
    StateMedia,
    /// Other media.
    Media,
    /// Anonymous officials ("Syrian military sources").
    AnonymousOfficial,
    /// Unnamed sources of no stated affiliation.
    Anonymous,
    /// Witnesses, residents.
    Witness,
    /// A document, report or statement.
    Document,
}

/// The reporting expression.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Cue {
    /// The cue words.
    pub span: Span,
    /// What the cue does.
    pub class: CueClass,
}

/// Classes of reporting cue.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CueClass {
    /// Neutral report: said, reported, according to.
    Report,
    /// Confirmation: confirmed, stressed.
    Confirm,
    /// Claim: claimed, alleged.
    Claim,
    /// Denial: denied, rejected.
    Deny,
    /// Warning.
    Warn,
    /// Promise.
    Promise,
    /// Estimate.
    Estimate,
    /// Opinion: considered, described as.
    Opinion,
    /// Accusation: accused, blamed.
    Accuse,
}

/// Whether the speaker asserts or denies the content.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// The speaker says the content is so.
    Assert,
    /// The speaker says the content is not so.
    Deny,
}

/// How the content is reported.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A verbatim quote.
    Direct,
    /// Reported speech.
    Indirect,
    /// Reported speech with quoted fragments.
    Mixed,
}

/// The channel a claim was made through.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Via {
    /// The words naming the channel.
    pub span: Span,
    /// Canonical agency id (see `credits`), when the channel is a known agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// A number found in a claim's content.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The words of the number, with its qualifier and unit.
    pub span: Span,
    /// The value (0.5 for "half").
    pub value: f64,
    /// "more_than", "about", "at_least", "up_to", "fewer_than".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// Unit: "hour", "person", "fraction_of_city", ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What was counted: "killed", "wounded", "displaced", "arrested".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// One attributed statement.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Claim {
    /// Id within the article ("c1", ...); `{article id}/{claim id}` is unique everywhere.
    pub id: String,
    /// Who said it.
    pub speaker: Speaker,
    /// The reporting expression.
    pub cue: Cue,
    /// What was said.
    pub content: Span,
    /// Asserted or denied.
    pub stance: Stance,
    /// Direct, indirect or mixed.
    pub mode: Mode,
    /// The agency or outlet it was said to or through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
    /// True when said in a statement.
    #[serde(default)]
    pub in_statement: bool,
    /// The kind of paragraph the claim stands in when it is not the story's body (a
    /// related headline, a caption): such claims count toward no relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph_kind: Option<ParagraphKind>,
    /// "expected", "promised", "possible", "planned".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
    /// Numbers in the content.
    pub quantities: Vec<Quantity>,
    /// Ids of the entities mentioned in the content.
    pub entities: Vec<String>,
    /// Confidence, 0..=1.
    pub confidence: f32,
}

/// Kinds of relation between claims.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// The claims cannot both be true.
    Contradicts,
    /// Different speakers say the same thing.
    Corroborates,
}

/// A relation between two claims of one article.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Relation {
    /// Contradicts or corroborates.
    pub kind: RelationKind,
    /// The two claim ids.
    pub claims: [String; 2],
    /// Why, in words.
    pub basis: String,
}

/// A publisher or agency named in the credits.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct CreditRef {
    /// The name as written.
    pub span: Span,
    /// Canonical agency id from newsflow's agency table, when it is a known agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// How it is credited.
    pub kind: CreditKind,
}

/// How an outlet is credited.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CreditKind {
    /// The publisher of this copy.
    Publisher,
    /// A wire agency credited for the copy (source line, byline, dateline, parenthesised
    /// credit).
    Agency,
    /// A news outlet credited for the copy: the publisher's own credit («(CNN)—»,
    /// «أبوظبي - سكاي نيوز عربية») or another outlet's.
    Outlet,
    /// Unnamed agencies ("وكالات", "agencies").
    AgenciesUnnamed,
    /// An agency cited in the text as the channel of a statement.
    Channel,
}

/// Publisher, credited agencies and agencies cited as channels.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq, Default)]
pub struct Credits {
    /// The source line ("المصدر : ...", "Source: ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<Span>,
    /// The dateline ("DAMASCUS (Reuters) -", "دمشق - سانا").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<Span>,
    /// The byline ("By Jane Doe"), in the body or the input's `byline` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<Span>,
    /// Authors named in the byline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Span>,
    /// Ids of the entities named in the dateline: its place, linked to GeoNames where
    /// known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dateline_entities: Vec<String>,
    /// Publisher named in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<CreditRef>,
    /// Agencies credited for the copy.
    pub credited: Vec<CreditRef>,
    /// Agencies cited in the text as channels.
    pub cited: Vec<CreditRef>,
}

/// How much of a time the input gave: a date only is `day` (written as midnight UTC).
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    /// Seconds (or finer).
    Second,
    /// Minutes.
    Minute,
    /// The day only.
    Day,
}

/// Hashes for duplicate detection.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq, Default)]
pub struct Fingerprint {
    /// xxh3-64 of the normalized text (the match key), hex: equal for exact copies.
    pub exact: String,
    /// 64-bit SimHash over match-key word shingles, hex: near copies differ in few bits.
    pub simhash: String,
}

/// How and when the record was made.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Provenance {
    /// newsflow's version.
    pub newsflow_version: String,
    /// Each stage that ran, in order.
    pub stages: Vec<StageRun>,
    /// Where the input came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<InputCoordinates>,
}

/// One stage's run over the article.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct StageRun {
    /// Stage name: "normalize", "entities", "claims".
    pub stage: String,
    /// Stage version; bumped when its output changes for the same input.
    pub version: String,
    /// Time the stage took, microseconds.
    pub micros: u64,
}

/// Where an input came from: a file line or a Kafka message.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq, Default)]
pub struct InputCoordinates {
    /// Input file ("-" for stdin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line number in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Kafka topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Kafka partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<i32>,
    /// Kafka offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
}

/// Something a user should know about a record.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Warning {
    /// Machine-readable code, e.g. "body_truncated", "invalid_timestamp".
    pub code: String,
    /// What happened and what it means, in words.
    pub message: String,
}

impl Warning {
    /// A warning with a code and a message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Warning {
            code: code.to_string(),
            message: message.into(),
        }
    }
}
