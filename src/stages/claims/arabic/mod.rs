//! Attributions in Arabic: «وذكرت مصادر عسكرية لوكالة رويترز أن ...», «نفى التلفزيون ...»,
//! «مشيرا إلى ...», «وبحسب وسائل إعلام ... فإن ...», «...، وفق رويترز».
//!
//! Every cue of a sentence is offered to the patterns of [`PATTERNS`] in turn; the first
//! that reads it adds its claim (or completes the one before) and says where reading
//! goes on.

mod came_in;
mod clause;
mod participle;
mod site;
mod source;
mod verb;
mod words;

use crate::stages::entities::EntityLayer;
use crate::stages::normalize::Agencies;

use super::cues::{CueLexicon, Descriptors};
use super::found::{FoundClaim, SentenceTokens};
use site::Site;

/// A pattern: the token after what it reads at cue `i` (pushing its claims on `found`),
/// or `None` to leave the cue to the next one.
type Pattern = fn(&Site, usize, &mut Vec<FoundClaim>) -> Option<usize>;

/// The patterns, in the order they are tried. A cue none reads (a noun: the Arabic table
/// has none yet) is passed over.
const PATTERNS: &[Pattern] = &[
    not_a_cue,
    came_in::came_in,
    verb::reporting_verb,
    source::channel_after,
    source::according_to,
];

/// Finds the attributions of one Arabic sentence.
pub fn extract(
    s: &SentenceTokens,
    lexicon: &CueLexicon,
    agencies: &Agencies,
    entities: &EntityLayer,
    descriptors: &Descriptors,
) -> Vec<FoundClaim> {
    let site = Site::new(s, lexicon, agencies, entities, descriptors);
    let mut found: Vec<FoundClaim> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        i = PATTERNS
            .iter()
            .find_map(|pattern| pattern(&site, i, &mut found))
            .unwrap_or(i + 1);
    }
    found
}

/// A token that is no cue.
fn not_a_cue(site: &Site, i: usize, _: &mut Vec<FoundClaim>) -> Option<usize> {
    site.cues[i].is_none().then_some(i + 1)
}
