//! Patterns that open with their cue: "According to X, C" (and "C, according to X"),
//! "Asked about X, Clinton said ..." and "Citing a theory, Trump ...".

use super::super::cues::{CueEntry, CueKind, CueLexicon};
use super::super::found::{FoundClaim, SentenceTokens};
use super::content::trimmed;
use super::site::{Read, Site};
use super::subject::MAX_SPEAKER;
use super::subject::leading_subject_from;

/// "according to": the phrase is read whole, whether or not it makes a claim.
pub(super) fn according_to(site: &Site) -> Option<Read> {
    let (s, i) = (site.s, site.i);
    (s.keys[i] == "according" && s.keys.get(i + 1).is_some_and(|k| k == "to")).then(|| Read {
        claim: according_to_claim(s, i, site.lexicon),
        width: 2,
    })
}

/// "Asked about the bomb, Clinton said ...": the clause's subject was asked.
pub(super) fn asked(site: &Site) -> Option<Read> {
    let (s, i) = (site.s, site.i);
    if s.keys[i] != "asked" || s.words(0, i) != 0 {
        return None;
    }
    let entry = site.lexicon.get("asked")?;
    Some(Read::token(asked_first(s, i, entry)))
}

/// "Claiming the criticism is unfair, Trump ...": a participle opening the sentence reports
/// for the subject after its clause.
pub(super) fn opening_participle(site: &Site) -> Option<Read> {
    let entry = site.entry.filter(|e| e.kind == CueKind::Participle)?;
    if site.s.words(0, site.i) != 0 {
        return None;
    }
    let claim = asked_first(site.s, site.i, entry)?;
    Some(Read::token(Some(claim)))
}

/// "According to X, C." and "C, according to X."
fn according_to_claim(s: &SentenceTokens, i: usize, lexicon: &CueLexicon) -> Option<FoundClaim> {
    let entry = lexicon
        .phrases
        .iter()
        .find(|(words, _)| words.len() == 2 && words[0] == "according")
        .map(|(_, e)| *e)?;
    let start = i + 2;
    let mut end = start;
    while end < s.len() && end - start < MAX_SPEAKER && !s.is_punct(end) {
        end += 1;
    }
    let speaker = s.range(start, end, &[])?;
    // "C1, according to the agency, and C2": the report goes on past the attribution.
    let goes_on = i > 0
        && end + 1 < s.len()
        && s.is(end, ',')
        && s.keys[end + 1] == "and"
        && s.words(end + 2, s.len()) >= 4;
    let content = if i == 0 {
        trimmed(s, end, s.len())
    } else if goes_on {
        trimmed(s, 0, s.len())
    } else {
        trimmed(s, 0, i)
    }?;
    let cue = (s.tokens[i].start, s.tokens[i + 1].end);
    Some(FoundClaim {
        kind: CueKind::Prep,
        ..FoundClaim::new(cue, entry, Some(speaker), content)
    })
}

/// "Asked about X, Clinton said ...", "Asked to describe the device, O'Neill said ...": a
/// sentence opening with "asked" or a participle (at `i`: "Citing a theory, Trump ...")
/// asks or reports for the subject after the comma about what stands before it.
fn asked_first(s: &SentenceTokens, i: usize, entry: CueEntry) -> Option<FoundClaim> {
    let comma = (i + 1..s.len()).find(|&k| s.is(k, ','))?;
    let mut c = i + 1;
    if matches!(s.keys.get(c).map(String::as_str), Some("about" | "by")) {
        c += 1;
    }
    let content = trimmed(s, c, comma)?;
    let speaker = leading_subject_from(s, comma + 1, s.len())?;
    let cue = (s.tokens[i].start, s.tokens[i].end);
    Some(FoundClaim::new(cue, entry, Some(speaker), content))
}
