//! The entity stage: named entities in the original Arabic and English text, linked to the
//! knowledge base where possible, clustered per referent.
//!
//! Knowledge-base lookup with Arabic proclitics handled links the actors and places it
//! knows; a trained sequence tagger (one model for Arabic, one for English) finds the names
//! it lacks, reading the knowledge-base hits as features; short forms are resolved to the
//! full names they continue, and the publisher comes from the credits.

mod kb;
mod places;
pub mod tagger;

pub use kb::{KbEntry, KnowledgeBase, parse_type};
pub use places::{Place, Places};
pub use tagger::SequenceTagger;

use std::collections::HashMap;

use crate::record::{CreditKind, Entity, EntityType, KbRef};
use crate::stages::gazetteer::GazetteerMatch;
use crate::stages::normalize::{Document, Normalizer, has_article};

/// Version of this stage's output.
pub const VERSION: &str = "0.1.0";

const ACTORS: &str = include_str!("../../../data/kb/actors.tsv");
const PLACES: &str = include_str!("../../../data/kb/places.tsv");
const NOT_NAMES_AR: &str = include_str!("../../../data/entities/not-names-ar.txt");
const PLACE_DESCRIPTORS: &str = include_str!("../../../data/entities/place-descriptors.txt");
const TOPONYM_HEADS_AR: &str = include_str!("../../../data/entities/toponym-heads-ar.txt");

/// Where an entity was mentioned, in model-text offsets, for the claim stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionRef {
    /// First model character.
    pub start: usize,
    /// One past the last model character.
    pub end: usize,
    /// Index into [`EntityLayer::entities`].
    pub entity: usize,
}

/// What the entity stage found: the output entities and their mentions by position.
#[derive(Debug, Clone, Default)]
pub struct EntityLayer {
    /// Entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// Every mention, in text order.
    pub mentions: Vec<MentionRef>,
}

impl EntityLayer {
    /// The entity whose mention covers model range `start..end`. Mentions are sorted and do
    /// not overlap, so this is a binary search.
    pub fn entity_covering(&self, start: usize, end: usize) -> Option<usize> {
        let i = self.mentions.partition_point(|m| m.start <= start);
        i.checked_sub(1)
            .map(|i| &self.mentions[i])
            .filter(|m| m.start <= start && end <= m.end)
            .map(|m| m.entity)
    }

    /// The mentions starting inside model range `start..end`, in text order.
    pub fn mentions_starting_in(&self, start: usize, end: usize) -> &[MentionRef] {
        let from = self.mentions.partition_point(|m| m.start < start);
        let to = self.mentions.partition_point(|m| m.start < end).max(from);
        &self.mentions[from..to]
    }

    /// Entities with a mention inside model range `start..end`.
    pub fn entities_within(&self, start: usize, end: usize) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .mentions_starting_in(start, end)
            .iter()
            .filter(|m| m.end <= end)
            .map(|m| m.entity)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The entity stage, with its knowledge base loaded.
#[derive(Debug, Clone)]
pub struct EntityTagger {
    kb: KnowledgeBase,
    places: Places,
    tagger: SequenceTagger,
    proclitics: Vec<Vec<char>>,
    /// Arabic words that are never a name alone (match keys), trimmed from tagged chunks.
    not_names_ar: std::collections::HashSet<Vec<char>>,
    /// Words that introduce a place name («مدينة», "town of"), as match-key words.
    place_descriptors: Vec<Vec<Vec<char>>>,
    /// The Arabic descriptors of masculine gender («مخيم», «حي»): an adjective after them
    /// does not end in «ة».
    masculine_descriptors: std::collections::HashSet<Vec<Vec<char>>>,
    /// The first word of every place descriptor, alone and after every proclitic
    /// («مدينة», «بمدينة», «وبمدينة»): one lookup per token finds the candidates.
    descriptor_heads: std::collections::HashSet<Vec<char>, foldhash::fast::FixedState>,
    /// Arabic nouns that begin compound place names («كفر», «عين», «جسر»), as match keys.
    toponym_heads: std::collections::HashSet<Vec<char>>,
}

/// What a mention is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// An entry of the curated knowledge base.
    Actor(usize),
    /// A GeoNames place.
    Place(usize),
    /// Nothing: a name the tagger found.
    Unlinked,
}

/// True for a one-word Arabic match without the article, in the shape of a feminine
/// adjective of origin («سورية»), right after another such adjective: «مصادر عسكرية سورية»
/// are Syrian military sources, not a mention of Syria (the country in the same spelling,
/// «في سورية», still matches).
fn nisba_adjective(doc: &Document, m: &GazetteerMatch) -> bool {
    let nisba = |t: &crate::stages::normalize::Token| {
        let key = doc.token_key(t);
        t.arabic && key.len() > 4 && key.ends_with(&['ي', 'ه']) && !has_article(key)
    };
    let i = doc.tokens.partition_point(|t| t.end <= m.start);
    let Some(token) = doc.tokens.get(i) else {
        return false;
    };
    token.start == m.start
        && token.end == m.end
        && nisba(token)
        && i > 0
        && nisba(&doc.tokens[i - 1])
}

/// True for a word of Arabic letters only (no digits, Latin or marks).
fn arabic_letters_only(word: &[char]) -> bool {
    word.iter()
        .all(|&c| crate::stages::gazetteer::is_arabic_letter(c))
}

/// Pronouns attached to the end of an Arabic word: «ها», «هم», «هما», «هن», «كم», «كما».
const ENCLITICS: [&[char]; 6] = [
    &['ه', 'ا'],
    &['ه', 'م'],
    &['ه', 'م', 'ا'],
    &['ه', 'ن'],
    &['ك', 'م'],
    &['ك', 'م', 'ا'],
];

/// What an adjective right after a place descriptor agrees with.
#[derive(Debug, Clone, Copy)]
struct Agreement {
    /// The descriptor is feminine or a plural of things: adjectives end in «ة».
    feminine: bool,
    /// The descriptor carries the article: adjectives do too.
    definite: bool,
}

/// A place named after a place descriptor.
#[derive(Debug, Clone, Copy)]
enum DescribedPlace {
    /// A GeoNames place.
    Linked(GazetteerMatch),
    /// A name the knowledge base lacks, in model offsets.
    Unlinked(usize, usize),
}

/// A mention before clustering.
struct Candidate {
    start: usize,
    end: usize,
    kind: EntityType,
    link: Link,
    confidence: f32,
}

impl EntityTagger {
    /// Loads the bundled knowledge base and models.
    pub fn new(normalizer: &Normalizer) -> Result<Self, String> {
        Self::with_tagger(normalizer, SequenceTagger::bundled()?)
    }

    /// Loads the bundled knowledge base with the given sequence tagger (an untrained one
    /// when training: the knowledge-base features do not depend on the models).
    pub fn with_tagger(normalizer: &Normalizer, tagger: SequenceTagger) -> Result<Self, String> {
        let mut masculine_descriptors = std::collections::HashSet::new();
        let place_descriptors: Vec<Vec<Vec<char>>> =
            crate::stages::normalize::data_lines(PLACE_DESCRIPTORS)
                .map(|line| {
                    let (d, gender) = line.split_once('\t').unwrap_or((line, ""));
                    let words: Vec<Vec<char>> = crate::stages::normalize::match_key(d)
                        .split_whitespace()
                        .map(|w| w.chars().collect())
                        .collect();
                    if gender.trim() == "masculine" {
                        masculine_descriptors.insert(words.clone());
                    }
                    words
                })
                .filter(|d: &Vec<Vec<char>>| !d.is_empty())
                .collect();
        Ok(EntityTagger {
            toponym_heads: crate::stages::normalize::data_lines(TOPONYM_HEADS_AR)
                .map(|w| crate::stages::normalize::match_key(w).chars().collect())
                .collect(),
            descriptor_heads: place_descriptors
                .iter()
                .flat_map(|d| {
                    let head = &d[0];
                    std::iter::once(head.clone()).chain(
                        // Not after the article: «المنطقة» + verb introduces no name.
                        normalizer
                            .proclitics()
                            .iter()
                            .filter(|p| !crate::stages::normalize::carries_article(p))
                            .map(move |p| p.iter().chain(head).copied().collect()),
                    )
                })
                .collect(),
            place_descriptors,
            masculine_descriptors,
            kb: KnowledgeBase::load(ACTORS, normalizer.proclitics())?,
            places: Places::load(PLACES, normalizer.proclitics())?,
            tagger,
            proclitics: normalizer.proclitics().to_vec(),
            not_names_ar: crate::stages::normalize::data_lines(NOT_NAMES_AR)
                .map(|w| crate::stages::normalize::match_key(w).chars().collect())
                .collect(),
        })
    }

    /// The sequence tagger's models.
    pub fn sequence_tagger(&self) -> &SequenceTagger {
        &self.tagger
    }

    /// The Arabic proclitic sequences the tagger's features analyse.
    pub fn proclitics(&self) -> &[Vec<char>] {
        &self.proclitics
    }

    /// A tagged Arabic chunk without the words at its edges that are never names alone
    /// («بأن», «ريف»), or none when nothing is left.
    fn trim_not_names(
        &self,
        doc: &Document,
        mut chunk: tagger::TaggedChunk,
    ) -> Option<tagger::TaggedChunk> {
        let not_name = |i: usize| {
            let token = &doc.tokens[i];
            let key = doc.token_key(token);
            token.arabic
                && crate::stages::normalize::proclitic_candidates(key, &self.proclitics)
                    .into_iter()
                    .any(|n| self.not_names_ar.contains(&key[n..]))
                || token.kind == crate::stages::normalize::TokenKind::Punct
        };
        while chunk.first < chunk.end && not_name(chunk.first) {
            chunk.first += 1;
        }
        while chunk.end > chunk.first && not_name(chunk.end - 1) {
            chunk.end -= 1;
        }
        (chunk.first < chunk.end).then_some(chunk)
    }

    /// True for an Arabic chunk made only of words the treebank lexicon knows as common
    /// words («دعما جويا», «أغلقت»): the tagger read a name's context, not a name. MISC
    /// chunks are left alone: events and terms are common words («كأس العالم»). Measured on
    /// the development sets: precision 0.713 → 0.725 on ANERcorp held-out at the same F1
    /// (0.650 → 0.653), AQMAR dev 0.569 → 0.566.
    fn common_words_only(&self, doc: &Document, chunk: &tagger::TaggedChunk) -> bool {
        tagger::entity_type(chunk.kind) != EntityType::MISC
            && (chunk.first..chunk.end).all(|i| {
                self.tagger
                    .is_common_word(doc, &doc.tokens[i], &self.proclitics)
            })
    }

    /// The knowledge-base label of every token of `doc` ("B-GPE", "I-ORG", or "" when no
    /// alias covers it): what the tagger reads as gazetteer features.
    ///
    /// GeoNames places are left out on purpose: as features they lowered F1 on every
    /// development set (ANERcorp held-out 0.617 → 0.604, AQMAR dev 0.551 → 0.520, CoNLL-2003
    /// dev 0.865 → 0.861), their Arabic names being often person names or common words too.
    /// They link the locations the tagger finds instead.
    pub fn gazetteer_labels(&self, doc: &Document) -> Vec<&'static str> {
        self.token_labels(doc, &self.kb.gazetteer.find(doc))
    }

    fn token_labels(&self, doc: &Document, matches: &[GazetteerMatch]) -> Vec<&'static str> {
        let mut labels = vec![""; doc.tokens.len()];
        for m in matches {
            let kind = format!("{:?}", self.kb.entries[m.entry].kind);
            let first = doc.tokens.partition_point(|t| t.end <= m.start);
            for (i, t) in doc.tokens.iter().enumerate().skip(first) {
                if t.start >= m.end {
                    break;
                }
                labels[i] = tagger::gazetteer_label(&kind, i == first);
            }
        }
        labels
    }

    /// The place a chunk tagged as a location names: a place name ending where the chunk
    /// ends and starting in its first word (after a fused proclitic, «بحمص»). Only the
    /// chunk's own text is searched.
    fn place_of(&self, doc: &Document, chunk: &tagger::TaggedChunk) -> Option<GazetteerMatch> {
        let first = &doc.tokens[chunk.first];
        let end = doc.tokens[chunk.end - 1].end;
        self.places
            .gazetteer
            .find_within(doc, first.start, end)
            .into_iter()
            .find(|m| m.start < first.end && m.end == end)
    }

    /// The place descriptor starting at token `i`, if one does («مدينة», «بمدينة», "town
    /// of"), as its match-key words.
    fn descriptor_at(&self, doc: &Document, i: usize) -> Option<&Vec<Vec<char>>> {
        let word = |i: usize| doc.tokens.get(i).map(|t| doc.token_key(t));
        let first = word(i)?;
        let token = &doc.tokens[i];
        // Most words start no descriptor: one set lookup says so.
        if !self.descriptor_heads.contains(first) {
            return None;
        }
        let heads: Vec<&[char]> = if token.arabic {
            crate::stages::normalize::proclitic_candidates(first, &self.proclitics)
                .into_iter()
                .map(|n| &first[n..])
                .collect()
        } else {
            vec![first]
        };
        self.place_descriptors.iter().find(|d| {
            heads.contains(&&d[0][..])
                && d[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, w)| word(i + 1 + k) == Some(&w[..]))
        })
    }

    /// The places named right after a place descriptor, and after it the places of a list
    /// joined by «و» or commas («بلدات البارة وبينين والرويحة»): GeoNames places where it
    /// has them, else Arabic names the treebank lexicon does not know as common words. A
    /// descriptor after a descriptor («محيط مدينة مارع») starts over from there.
    fn described_places(&self, doc: &Document) -> Vec<DescribedPlace> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < doc.tokens.len() {
            let Some(descriptor) = self.descriptor_at(doc, i) else {
                i += 1;
                continue;
            };
            let mut next = i + descriptor.len();
            let (mut listed, mut after_comma) = (false, false);
            // «منطقة», «مدينة» and plurals of things («مناطق», «بلدات») take adjectives
            // ending in «ة»; «مخيم» and «حي» do not.
            let feminine = !self.masculine_descriptors.contains(descriptor);
            // After «العاصمة» an adjective carries the article too («العاصمة النيبالية»).
            let definite = has_article(&descriptor[0]);
            while let Some(token) = doc.tokens.get(next) {
                if self.descriptor_at(doc, next).is_some() {
                    break;
                }
                let window_end = doc.tokens[(next + 4).min(doc.tokens.len()) - 1].end;
                let place = self
                    .places
                    .gazetteer
                    .find_within(doc, token.start, window_end)
                    .into_iter()
                    .find(|m| m.start.saturating_sub(m.proclitic) == token.start);
                // «منطقة كان» is "the area was", not Cannes: a place name that is a word
                // never a name alone is not taken.
                let place =
                    place.filter(|m| !self.not_names_ar.contains(&doc.layers.key[m.start..m.end]));
                let end = if let Some(place) = place {
                    found.push(DescribedPlace::Linked(place));
                    place.end
                } else if let Some((start, end)) = (!after_comma)
                    .then(|| {
                        let agreement = Agreement { feminine, definite };
                        self.unknown_place_name(doc, next, listed, agreement)
                    })
                    .flatten()
                {
                    found.push(DescribedPlace::Unlinked(start, end));
                    end
                } else {
                    break;
                };
                next = doc.tokens.partition_point(|t| t.start < end);
                listed = true;
                // A list goes on with «و» fused to the next name, or after a comma with a
                // GeoNames place (a comma ends too many clauses to take an unknown word).
                match doc.tokens.get(next) {
                    Some(t) if doc.token_key(t) == [','] || doc.token_key(t) == ['،'] => {
                        next += 1;
                        after_comma = true;
                    }
                    Some(t) if t.arabic && doc.token_key(t).first() == Some(&'و') => {
                        after_comma = false;
                    }
                    _ => break,
                }
            }
            i = next.max(i + 1);
        }
        found
    }

    /// The model range of an Arabic place name the knowledge base lacks, at token `i` after
    /// a place descriptor: a word of three letters or more that the treebank lexicon does
    /// not know as a common word (nor as a particle or descriptor), with a second word
    /// carrying the article when the treebank calls it a noun («خان السبل»). In a list
    /// (`listed`) the «و» fused to the name is left out; a word that agrees with the
    /// descriptor as its adjective would is no name.
    fn unknown_place_name(
        &self,
        doc: &Document,
        i: usize,
        listed: bool,
        agreement: Agreement,
    ) -> Option<(usize, usize)> {
        use crate::stages::char_hash::fnv_chars;
        let lexicon = self.tagger.lexicon();
        let token = doc.tokens.get(i)?;
        let key = doc.token_key(token);
        let fused = usize::from(listed && key.first() == Some(&'و'));
        let word = &key[fused.min(key.len())..];
        if token.arabic && self.toponym_heads.contains(word) {
            return self
                .compound_place_name(doc, i)
                .map(|end| (token.start + fused, end));
        }
        // Stems after a conjunction or preposition («بما» is «ب» + «ما»); the article stays.
        let stems: Vec<&[char]> =
            crate::stages::normalize::conjunction_lengths(word, &self.proclitics)
                .into_iter()
                .map(|n| &word[n..])
                .collect();
        // A known word with a pronoun attached («انتشارها», «كلها») is no name.
        let pronoun_attached = ENCLITICS.iter().any(|e| {
            word.len() > e.len() + 1
                && word.ends_with(e)
                && lexicon.knows(fnv_chars(&word[..word.len() - e.len()]))
        });
        // A feminine or plural form of a common word that the treebank saw only in another
        // form: «محظورة», «صحراوية» ("forbidden", "desert" after «منطقة»), «الشلالات».
        let inflected = [&['ه'][..], &['ا', 'ت'][..]].iter().any(|suffix| {
            word.len() > suffix.len() + 2
                && word.ends_with(suffix)
                && lexicon
                    .usual_tag(fnv_chars(&word[..word.len() - suffix.len()]))
                    .is_some_and(|t| t != "NNP")
        });
        // Right after a feminine descriptor, an indefinite word ending in «ة» agrees with
        // it: an adjective («منطقة صحراوية», «مناطق شاسعة»), not a name.
        let article = has_article(word);
        let agreeing = !listed
            && (agreement.feminine && !article && word.last() == Some(&'ه')
                || agreement.definite && article);
        if !token.arabic
            || pronoun_attached
            || inflected
            || agreeing
            || word.len() < 3
            || !arabic_letters_only(word)
            || lexicon.is_common(fnv_chars(word), stems.iter().map(|s| fnv_chars(s)))
            || std::iter::once(word)
                .chain(stems.iter().copied())
                .any(|w| self.not_names_ar.contains(w) || self.descriptor_heads.contains(w))
        {
            return None;
        }
        let mut end = token.end;
        if let Some(second) = doc.tokens.get(i + 1) {
            let key = doc.token_key(second);
            if second.arabic
                && has_article(key)
                && key.len() > 4
                && arabic_letters_only(key)
                && lexicon
                    .usual_tag(fnv_chars(key))
                    .is_none_or(|t| t == "NN" || t == "NNP")
                && !self.not_names_ar.contains(key)
            {
                end = second.end;
            }
        }
        Some((token.start + fused, end))
    }

    /// The end of a compound place name whose first word, at token `i`, is a toponym head
    /// («كفر سجنة», «جسر الشغور»): the next word, when it is an Arabic word the treebank
    /// lexicon does not know as a verb, number or particle.
    fn compound_place_name(&self, doc: &Document, i: usize) -> Option<usize> {
        use crate::stages::char_hash::fnv_chars;
        let second = doc.tokens.get(i + 1)?;
        let key = doc.token_key(second);
        let tag = self.tagger.lexicon().usual_tag(fnv_chars(key));
        (second.arabic
            && key.len() >= 3
            && arabic_letters_only(key)
            && tag.is_none_or(|t| matches!(t, "NN" | "NNP" | "JJ"))
            && !self.not_names_ar.contains(key)
            && !self.descriptor_heads.contains(key))
        .then_some(second.end)
    }

    /// Finds, links and clusters the entities of a normalized document.
    pub fn run(&self, doc: &Document) -> EntityLayer {
        let matches = self.kb.gazetteer.find(doc);
        let labels = self.token_labels(doc, &matches);
        let mut chunks: Vec<(usize, usize, tagger::TaggedChunk)> = Vec::new();
        for sentence in doc.extractable_sentences() {
            for chunk in self.tagger.tag(doc, sentence, &self.proclitics, &labels) {
                if let Some(chunk) = self.trim_not_names(doc, chunk)
                    && !self.common_words_only(doc, &chunk)
                {
                    let (start, end) = tagged_range(doc, &chunk);
                    let fused = self.tagger.fused_proclitic(
                        doc,
                        &doc.tokens[chunk.first],
                        &self.proclitics,
                    );
                    let start = start.max(doc.tokens[chunk.first].start + fused);
                    chunks.push((start, end, chunk));
                }
            }
        }
        // A knowledge-base match stands unless the tagger, reading its context, calls a
        // stretch that covers it something else: "NEW YORK" in a list of baseball scores is
        // a team. The tagger then has the last word. Partial overlaps do not count: there
        // the tagger has mostly cut a long name short (CoNLL-2003 dev F1 0.859 → 0.869 with
        // this rule; the Arabic sets move by under 0.005 either way).
        // Chunks are in text order and do not overlap: only the last one starting at or
        // before a match can cover it.
        let contradicted = |m: &GazetteerMatch| {
            let i = chunks.partition_point(|&(start, _, _)| start <= m.start);
            i.checked_sub(1).is_some_and(|i| {
                let (_, end, ref c) = chunks[i];
                m.end <= end
                    && !same_kind(tagger::entity_type(c.kind), self.kb.entries[m.entry].kind)
            })
        };
        let mut candidates: Vec<Candidate> = matches
            .iter()
            .filter(|m| {
                !doc.is_excluded(m.start, m.end) && !contradicted(m) && !nisba_adjective(doc, m)
            })
            .map(|m| Candidate {
                start: m.start,
                end: m.end,
                kind: self.kb.entries[m.entry].kind,
                link: Link::Actor(m.entry),
                confidence: 0.9,
            })
            .collect();
        // A place right after a place descriptor is a place, whatever the tagger said
        // («مدينة مارع»): linked like a knowledge-base match, where none covers it.
        for place in self.described_places(doc) {
            let (start, end, link, confidence) = match place {
                DescribedPlace::Linked(m) => (m.start, m.end, Link::Place(m.entry), 0.8),
                DescribedPlace::Unlinked(start, end) => (start, end, Link::Unlinked, 0.6),
            };
            let free = candidates.iter().all(|c| end <= c.start || c.end <= start);
            if free && !doc.is_excluded(start, end) {
                candidates.push(Candidate {
                    start,
                    end,
                    kind: EntityType::GPE,
                    link,
                    confidence,
                });
            }
        }
        let linked = candidates.len();
        for (start, end, chunk) in chunks {
            let free = candidates[..linked]
                .iter()
                .all(|c| end <= c.start || c.end <= start);
            if !free || doc.is_excluded(start, end) {
                continue;
            }
            let place = (tagger::entity_type(chunk.kind) == EntityType::LOC)
                .then(|| self.place_of(doc, &chunk))
                .flatten();
            candidates.push(match place {
                Some(m) => Candidate {
                    start: m.start,
                    end: m.end,
                    kind: EntityType::GPE,
                    link: Link::Place(m.entry),
                    confidence: 0.8,
                },
                None => Candidate {
                    start,
                    end,
                    kind: tagger::entity_type(chunk.kind),
                    link: Link::Unlinked,
                    confidence: 0.7,
                },
            });
        }
        candidates.sort_by_key(|c| c.start);
        let mut layer = self.cluster(doc, candidates);
        self.add_nested_places(doc, &mut layer);
        add_short_forms(doc, &mut layer);
        add_publisher(doc, &mut layer);
        finish(doc, &mut layer);
        layer
    }

    /// Places named inside a curated facility's or organisation's name («حلب» in «مطار
    /// حلب», «سوريا» in «مركز التنسيق الروسي في سوريا») are mentions of those places too:
    /// an article about Aleppo airport names Aleppo. They join the entities' mentions in the
    /// record only; the claim stage reads the outer names.
    fn add_nested_places(&self, doc: &Document, layer: &mut EntityLayer) {
        fn curated(e: &Entity) -> Option<&str> {
            e.kb.as_ref()
                .filter(|k| k.source == "newsflow")
                .map(|k| k.id.as_str())
        }
        let outer: Vec<(usize, usize)> = layer
            .mentions
            .iter()
            .filter(|m| {
                let e = &layer.entities[m.entity];
                matches!(e.kind, EntityType::FAC | EntityType::ORG) && curated(e).is_some()
            })
            .map(|m| (m.start, m.end))
            .collect();
        for (start, end) in outer {
            // From the name's second word: the first is the facility or body itself.
            let second = doc.tokens.partition_point(|t| t.start <= start);
            let Some(from) = doc.tokens.get(second).map(|t| t.start).filter(|&s| s < end) else {
                continue;
            };
            for m in self.kb.gazetteer.find_within(doc, from, end) {
                let entry = &self.kb.entries[m.entry];
                if !matches!(entry.kind, EntityType::GPE | EntityType::LOC) {
                    continue;
                }
                let known = layer
                    .entities
                    .iter()
                    .position(|e| curated(e) == Some(entry.id.as_str()));
                let index = known.unwrap_or_else(|| {
                    let candidate = Candidate {
                        start: m.start,
                        end: m.end,
                        kind: entry.kind,
                        link: Link::Actor(m.entry),
                        confidence: 0.9,
                    };
                    layer.entities.push(self.new_entity(doc, &candidate));
                    layer.entities.len() - 1
                });
                layer.entities[index]
                    .mentions
                    .push(doc.span(m.start, m.end));
            }
        }
    }

    /// One entity per knowledge-base entry, or per normalized name for unlinked mentions.
    fn cluster(&self, doc: &Document, candidates: Vec<Candidate>) -> EntityLayer {
        let mut layer = EntityLayer::default();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for c in candidates {
            let key = match c.link {
                Link::Actor(entry) => format!("kb:{}", self.kb.entries[entry].id),
                Link::Place(entry) => format!("geonames:{}", self.places.entries[entry].geonameid),
                Link::Unlinked => format!("name:{}", doc.layers.key_str(c.start, c.end)),
            };
            let index = *by_key.entry(key).or_insert_with(|| {
                layer.entities.push(self.new_entity(doc, &c));
                layer.entities.len() - 1
            });
            layer.entities[index]
                .mentions
                .push(doc.span(c.start, c.end));
            layer.mentions.push(MentionRef {
                start: c.start,
                end: c.end,
                entity: index,
            });
        }
        layer
    }

    fn new_entity(&self, doc: &Document, c: &Candidate) -> Entity {
        let mut geo = None;
        let (name, name_ar, kb, role) = match c.link {
            Link::Actor(entry) => {
                let e = &self.kb.entries[entry];
                let role =
                    matches!(e.kind, EntityType::ORG | EntityType::PER).then(|| e.role.clone());
                (
                    e.name.clone(),
                    (!e.name_ar.is_empty()).then(|| e.name_ar.clone()),
                    Some(KbRef {
                        source: "newsflow".into(),
                        id: e.id.clone(),
                    }),
                    role,
                )
            }
            Link::Place(entry) => {
                let p = &self.places.entries[entry];
                geo = Some(p.geo.clone());
                (
                    p.name.clone(),
                    p.name_ar.clone(),
                    Some(KbRef {
                        source: "geonames".into(),
                        id: p.geonameid.to_string(),
                    }),
                    None,
                )
            }
            Link::Unlinked => (doc.layers.model_str(c.start, c.end), None, None, None),
        };
        Entity {
            id: String::new(),
            kind: c.kind,
            name,
            name_ar,
            kb,
            geo,
            role,
            mentions: Vec::new(),
            salience: 0.0,
            confidence: c.confidence,
        }
    }
}

/// Whether a tagged type and a knowledge-base type name the same kind of thing: the tagger
/// knows places only as LOC, and nationalities and other names as MISC.
fn same_kind(tagged: EntityType, kb: EntityType) -> bool {
    use EntityType::*;
    match tagged {
        LOC | GPE | FAC => matches!(kb, LOC | GPE | FAC),
        MISC | NORP => matches!(kb, MISC | NORP),
        other => other == kb,
    }
}

/// The model range of a tagged chunk; a leading conjunction or preposition fused to an
/// Arabic article («والعراق», «بالقاهرة») is left out, so the mention covers the name alone.
fn tagged_range(doc: &Document, chunk: &tagger::TaggedChunk) -> (usize, usize) {
    let first = &doc.tokens[chunk.first];
    let end = doc.tokens[chunk.end - 1].end;
    let key = doc.token_key(first);
    let fused = first.arabic
        && key.len() > 4
        && matches!(key[0], 'و' | 'ف' | 'ب' | 'ك')
        && key[1] == 'ا'
        && key[2] == 'ل';
    (first.start + usize::from(fused), end)
}

/// Later short references to an entity named in full earlier: «المرصد» after «المرصد السوري
/// لحقوق الإنسان», "Assad" after "Bashar al-Assad", "the Observatory".
fn add_short_forms(doc: &Document, layer: &mut EntityLayer) {
    use crate::stages::normalize::TokenKind;
    let mut first_mention: Vec<Option<MentionRef>> = vec![None; layer.entities.len()];
    for m in &layer.mentions {
        first_mention[m.entity].get_or_insert(*m);
    }
    let mut short: Vec<(Vec<char>, usize, usize)> = Vec::new(); // (key, entity, after)
    for (index, entity) in layer.entities.iter().enumerate() {
        let Some(first) = first_mention[index] else {
            continue;
        };
        let from = doc.tokens.partition_point(|t| t.start < first.start);
        let words: Vec<&crate::stages::normalize::Token> = doc.tokens[from..]
            .iter()
            .take_while(|t| t.end <= first.end)
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        if words.len() < 2 {
            continue;
        }
        let head = match entity.kind {
            EntityType::PER => words.last(),
            EntityType::ORG if words[0].arabic => words.first(),
            EntityType::ORG => words
                .iter()
                .find(|t| {
                    doc.token_model(t).len() > 4
                        && doc.token_model(t)[0].is_uppercase()
                        && t.start > words[0].start
                })
                .or(words.get(1)),
            _ => None,
        };
        if let Some(head) = head
            && head.end - head.start >= 4
        {
            short.push((doc.token_key(head).to_vec(), index, first.end));
        }
    }
    if short.is_empty() {
        return;
    }
    let named = layer.clone();
    for token in &doc.tokens {
        if doc.is_excluded(token.start, token.end)
            || named.entity_covering(token.start, token.end).is_some()
        {
            continue;
        }
        let key = doc.token_key(token);
        for (short_key, entity, after) in &short {
            if token.start >= *after && key == &short_key[..] {
                layer.entities[*entity]
                    .mentions
                    .push(doc.span(token.start, token.end));
                layer.mentions.push(MentionRef {
                    start: token.start,
                    end: token.end,
                    entity: *entity,
                });
                break;
            }
        }
    }
}

/// The publisher named in the credits is an entity of the article too.
fn add_publisher(doc: &Document, layer: &mut EntityLayer) {
    if let Some(publisher) = doc
        .credits
        .publisher
        .as_ref()
        .filter(|p| p.kind == CreditKind::Publisher)
    {
        layer.entities.push(Entity {
            id: String::new(),
            kind: EntityType::ORG,
            name: publisher.span.text.clone(),
            name_ar: None,
            kb: None,
            geo: None,
            role: Some("media".into()),
            mentions: vec![publisher.span.clone()],
            salience: 0.0,
            confidence: 0.8,
        });
    }
}

/// Sorts mentions, orders entities by first mention, numbers them and scores salience.
fn finish(doc: &Document, layer: &mut EntityLayer) {
    for e in &mut layer.entities {
        e.mentions.sort_by_key(|m| m.start);
        e.mentions.dedup();
    }
    let mut order: Vec<usize> = (0..layer.entities.len()).collect();
    order.sort_by_key(|&i| {
        layer.entities[i]
            .mentions
            .first()
            .map_or(usize::MAX, |m| m.start)
    });
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut entities: Vec<Option<Entity>> = std::mem::take(&mut layer.entities)
        .into_iter()
        .map(Some)
        .collect();
    layer.entities = order
        .iter()
        .filter_map(|&old| entities[old].take())
        .collect();
    for m in &mut layer.mentions {
        m.entity = new_index[m.entity];
    }
    layer.mentions.sort_by_key(|m| m.start);
    let length = doc.layers.original_len().max(1) as f32;
    for (i, e) in layer.entities.iter_mut().enumerate() {
        e.id = format!("e{}", i + 1);
        let first = e.mentions.first().map_or(0, |m| m.start) as f32 / length;
        let frequency = (e.mentions.len() as f32 / 5.0).min(1.0);
        e.salience = ((0.6 * frequency + 0.4 * (1.0 - first)) * 100.0).round() / 100.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entities the stage finds in `text`, with the bundled tables and models.
    fn entities_of(text: &str) -> Vec<Entity> {
        let normalizer = Normalizer::new().expect("tables load");
        let tagger = EntityTagger::new(&normalizer).expect("models load");
        let doc = normalizer.run(text.into(), None).expect("normalizes");
        tagger.run(&doc).entities
    }

    #[test]
    fn particles_and_generic_nouns_are_never_names_alone() {
        let entities = entities_of(
            "أفاد المرصد السوري لحقوق الإنسان بأن القصف مستمر في ريف إدلب، ونفى المحافظ وقوع أي وفيات.",
        );
        let names: Vec<&str> = entities
            .iter()
            .flat_map(|e| e.mentions.iter().map(|m| m.text.as_str()))
            .collect();
        for word in ["بأن", "ريف", "أي", "وقوع أي", "ريف إدلب"] {
            assert!(!names.contains(&word), "{word} tagged as a name: {names:?}");
        }
        assert!(names.contains(&"إدلب"), "{names:?}");
    }

    #[test]
    fn places_after_a_place_descriptor_are_linked_list_and_all() {
        let entities = entities_of("وقصفت الطائرات بلدات تفتناز وتل تمر وصوران، وقرية زاكية.");
        let linked: Vec<(&str, &str)> = entities
            .iter()
            .filter(|e| e.kb.as_ref().is_some_and(|kb| kb.source == "geonames"))
            .filter_map(|e| {
                Some((
                    e.mentions[0].text.as_str(),
                    e.geo.as_ref()?.country_code.as_str(),
                ))
            })
            .collect();
        for place in ["تفتناز", "تل تمر", "صوران", "زاكية"] {
            assert!(linked.contains(&(place, "SY")), "{place} not in {linked:?}");
        }
    }

    #[test]
    fn villages_geonames_lacks_are_places_after_a_descriptor_and_common_words_are_not() {
        let entities = entities_of(
            "قصفت المدفعية بلدات المزيرعة والشويحة وخان الجوز وكفر سجنة، ووصلت إلى مناطق انتشارها.",
        );
        let places: Vec<(&str, bool)> = entities
            .iter()
            .filter(|e| e.kind == EntityType::GPE)
            .map(|e| (e.mentions[0].text.as_str(), e.kb.is_none()))
            .collect();
        assert!(places.contains(&("الشويحة", true)), "{places:?}");
        assert!(places.contains(&("خان الجوز", true)), "{places:?}");
        assert!(places.contains(&("كفر سجنة", true)), "{places:?}");
        assert!(
            !places.iter().any(|(name, _)| name.contains("انتشار")),
            "{places:?}"
        );
    }

    #[test]
    fn a_syrian_source_is_no_mention_of_syria() {
        let entities = entities_of("قالت مصادر عسكرية سورية إن القوات انتشرت في سورية.");
        let syria = entities.iter().find(|e| e.name == "Syria").expect("Syria");
        let spans: Vec<&str> = syria.mentions.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(spans, ["سورية"]);
        assert!(syria.mentions[0].start > 20, "{spans:?}");
    }

    #[test]
    fn an_adjective_agreeing_with_the_descriptor_is_no_place() {
        let entities =
            entities_of("انسحبت القوات إلى منطقة صحراوية ثم إلى مناطق شاسعة قرب قرية الشويحة.");
        let places: Vec<&str> = entities
            .iter()
            .filter(|e| e.kind == EntityType::GPE)
            .map(|e| e.mentions[0].text.as_str())
            .collect();
        assert_eq!(places, ["الشويحة"]);
    }

    #[test]
    fn a_place_inside_a_facility_s_name_is_a_mention_of_it_too() {
        let entities = entities_of("أغلقت السلطات مطار حلب الدولي أمس.");
        let named = |name: &str| {
            entities.iter().find(|e| e.name == name).map(|e| {
                e.mentions
                    .iter()
                    .map(|m| m.text.clone())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            named("Aleppo International Airport"),
            Some(vec!["مطار حلب الدولي".into()])
        );
        assert_eq!(named("Aleppo"), Some(vec!["حلب".into()]));
    }

    #[test]
    fn a_conjunction_fused_to_a_tagged_name_is_left_out_of_its_mention() {
        let normalizer = Normalizer::new().expect("tables load");
        let tagger = EntityTagger::new(&normalizer).expect("models load");
        let doc = normalizer
            .run("وخان وليد والجيش".into(), None)
            .expect("normalizes");
        let fused: Vec<usize> = doc
            .tokens
            .iter()
            .map(|t| tagger.tagger.fused_proclitic(&doc, t, &tagger.proclitics))
            .collect();
        // «خان» is a treebank word and «وخان» is not; «وليد» is one word; the article of
        // «الجيش» stays with the word.
        assert_eq!(fused, [1, 0, 1]);
    }

    #[test]
    fn locations_the_tagger_finds_are_linked_to_geonames() {
        let entities = entities_of(
            "Officials in Khartoum said the delegation would fly to Nairobi next week.",
        );
        let khartoum = entities
            .iter()
            .find(|e| e.name == "Khartoum")
            .expect("Khartoum found");
        assert_eq!(khartoum.kind, EntityType::GPE);
        let kb = khartoum.kb.as_ref().expect("linked");
        assert_eq!((kb.source.as_str(), kb.id.as_str()), ("geonames", "379252"));
        let geo = khartoum.geo.as_ref().expect("coordinates");
        assert_eq!(geo.country_code, "SD");
        assert!(geo.latitude.is_some_and(|l| (l - 15.55).abs() < 0.1));
    }

    #[test]
    fn the_tagger_overrules_a_knowledge_base_match_it_reads_as_something_else() {
        // «Moscow» is a knowledge-base city; inside a club's name in a list of results it is
        // part of a team.
        let scores = entities_of(
            "SOCCER - RUSSIAN PREMIER LEAGUE RESULTS. Spartak Moscow 2 Rotor Volgograd 1.",
        );
        let club = scores
            .iter()
            .find(|e| e.mentions.iter().any(|m| m.text.contains("Moscow")))
            .expect("the club found");
        assert_eq!(club.kind, EntityType::ORG, "{club:?}");
        assert_eq!(club.name, "Spartak Moscow", "{club:?}");
        assert!(club.kb.is_none(), "{club:?}");
        // In running text the city stands, linked.
        let city = entities_of("The talks in Moscow ended without an agreement, officials said.");
        let moscow = city
            .iter()
            .find(|e| e.name == "Moscow")
            .expect("Moscow found");
        assert_eq!(moscow.kind, EntityType::GPE, "{moscow:?}");
        assert!(
            moscow.kb.as_ref().is_some_and(|kb| kb.id == "moscow"),
            "{moscow:?}"
        );
    }
}
