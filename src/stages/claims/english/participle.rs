//! "..., saying (that) C": a participle cue continuing the speaker of the clause before.

use super::super::cues::{CueEntry, CueKind};
use super::super::found::FoundClaim;
use super::content::{clause_end, trimmed};
use super::marks::is_quote_mark;
use super::site::{Read, Site};
use super::subject::leading_subject;
use super::words::{GOVERNING_PREPOSITIONS, OBJECT_PRONOUNS};

/// A participle cue: read whole, whether or not it reports here.
pub(super) fn continuing(site: &Site) -> Option<Read> {
    let entry = site.entry.filter(|e| e.kind == CueKind::Participle)?;
    Some(Read::token(claim(site, entry)))
}

/// The claim of a participle that reports: after a comma, before what it reports, or
/// after a preposition; not one relayed by the claim before ("as saying").
fn claim(site: &Site, entry: CueEntry) -> Option<FoundClaim> {
    let (s, i) = (site.s, site.i);
    // "..., saying (that) C": the speaker of the clause before continues; so it does
    // in "by saying that C" and "footage of Trump saying “C”", where what follows
    // the participle says it reports.
    // "telling them that C", "asking her, “C”": an object pronoun may come first.
    let object = usize::from(
        s.keys
            .get(i + 1)
            .is_some_and(|w| OBJECT_PRONOUNS.contains(w)),
    );
    let after = i + 1 + object;
    let reports_after = s.keys.get(after).is_some_and(|w| w == "that")
        || after < s.len() && is_quote_mark(s, after)
        || after + 1 < s.len() && s.is(after, ',') && is_quote_mark(s, after + 1);
    // "by saying he would ...", "after saying her foot was swollen": a preposition
    // before the participle makes it the verb of its clause.
    let governed = i > 0 && GOVERNING_PREPOSITIONS.contains(&s.keys[i - 1]);
    // "quoted a military source as saying C": the relay already claimed C.
    let cue = site.cue();
    let relayed =
        i > 0 && s.keys[i - 1] == "as" && site.found.last().is_some_and(|f| f.content.0 >= cue.1);
    if i == 0 || relayed || !(s.is(i - 1, ',') || reports_after || governed) {
        return None;
    }
    let mut c = after;
    while c < s.len() && (s.keys[c] == "that" || s.is(c, ':') || s.is(c, ',')) {
        c += 1;
    }
    let content = trimmed(s, c, clause_end(s, site.lexicon, c))?;
    // The clause's subject, unless a claim before in the sentence already carries it.
    let speaker = if site.found.is_empty() {
        leading_subject(s, i)
    } else {
        None
    };
    Some(FoundClaim::new(cue, entry, speaker, content))
}
