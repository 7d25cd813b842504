//! Places named after a place descriptor: «مدينة مارع», «بلدات البارة وبينين والرويحة»,
//! "the town of Marea". A name right after a descriptor is a place whatever the tagger
//! said: a GeoNames place where it has one, else an Arabic word the treebank lexicon does
//! not know as a common word, unless it agrees with the descriptor as its adjective would.

use crate::stages::normalize::Document;
use crate::text::GazetteerMatch;
use crate::text::arabic::{ENCLITICS, conjunction_lengths, has_article, proclitic_candidates};
use crate::text::char_hash::fnv_chars;
use crate::text::chars::arabic_letters_only;

use super::stage::EntityTagger;

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
pub(super) enum DescribedPlace {
    /// A GeoNames place.
    Linked(GazetteerMatch),
    /// A name the knowledge base lacks, in model offsets.
    Unlinked(usize, usize),
}

impl EntityTagger {
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
            proclitic_candidates(first)
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
    pub(super) fn described_places(&self, doc: &Document) -> Vec<DescribedPlace> {
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
                    .find_within(&doc.layers, &doc.key_index, token.start, window_end)
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
        let stems: Vec<&[char]> = conjunction_lengths(word)
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
}
