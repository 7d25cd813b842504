//! Preposition cues: «بحسب وسائل إعلام ... فإن C» and «C، وفق رويترز».

use std::sync::LazyLock;

use crate::table;
use crate::text::match_key;

use super::super::cues::CueKind;
use super::super::found::{FoundClaim, OPENING_QUOTES, SentenceTokens};
use super::clause::{content_end, content_range, is_stop};
use super::site::Site;
use super::words::MAX_SPEAKER;

/// Heads of a described source (`data/claims/source-words-ar.txt`), as match keys.
static SOURCE_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    table::word_list(
        "source-words-ar.txt",
        include_str!("../../../../data/claims/source-words-ar.txt"),
    )
    .into_iter()
    .map(match_key)
    .collect()
});

/// «...، وفق رويترز»: an agency named by a preposition after a claim is that claim's
/// channel, and the claim's content ends before it.
#[expect(clippy::ptr_arg, reason = "a Pattern, whose others push on the claims")]
pub(super) fn channel_after(site: &Site, i: usize, found: &mut Vec<FoundClaim>) -> Option<usize> {
    let s = site.s;
    let (entry, _) = site.cues[i]?;
    if entry.kind != CueKind::Prep || opening(s, i) {
        return None;
    }
    let j = source_end(s, i);
    let m = (i + 1..j).find_map(|t| site.agency_at(t))?;
    let last = found.last_mut()?;
    if last.via.is_none() {
        last.via = Some(site.channel(m));
    }
    if let Some(end) = content_range(s, 0, content_end(s, i)).map(|r| r.1)
        && end > last.content.0
    {
        last.content.1 = last.content.1.min(end);
    }
    Some(j)
}

/// «بحسب X، C» opening the sentence, or «C، بحسب X»: X speaks, through the agency it
/// names, if any.
pub(super) fn according_to(site: &Site, i: usize, found: &mut Vec<FoundClaim>) -> Option<usize> {
    let s = site.s;
    let (entry, _) = site.cues[i]?;
    if entry.kind != CueKind::Prep {
        return None;
    }
    let start = i + 1;
    let j = source_end(s, i);
    let after_verb = if s.keys[i].ends_with("حسبما") {
        start + 1
    } else {
        start
    };
    if !looks_like_a_source(site, after_verb, j) {
        return None;
    }
    // «حسب ما أوردت وسائل إعلام محلية», «حسبما ذكرت وكالة ...»: after «ما» and its verb
    // stands who reported.
    let named = if s.keys[start] == "ما" && start + 2 < j {
        start + 2
    } else if s.keys[i].ends_with("حسبما") && start + 1 < j {
        start + 1
    } else {
        start
    };
    let speaker = s.range(named, j, &[]);
    let agency = (start..j).find_map(|t| site.agency_at(t));
    let opening = opening(s, i);
    let (content_start, content_stop) = if opening {
        let mut c = j;
        while c < s.len() && s.is_punct(c) && !s.keys[c].starts_with(OPENING_QUOTES) {
            c += 1;
        }
        (c, content_end(s, site.next_cue(c + 1)))
    } else {
        (0, content_end(s, i))
    };
    if let (Some(speaker), Some(content)) = (speaker, content_range(s, content_start, content_stop))
    {
        found.push(FoundClaim {
            via: agency.map(|m| site.channel(m)),
            ..FoundClaim::new(site.cue(i), entry, Some(speaker), content)
        });
    }
    Some(if opening { content_stop.max(j) } else { j })
}

/// True when tokens `start..end` after «بحسب» or «وفق» name a source: an agency, an
/// entity, or a source's head word («مصادر», «البيان», «ما ذكرت»).
fn looks_like_a_source(site: &Site, start: usize, end: usize) -> bool {
    let s = site.s;
    if start >= end.min(s.len()) {
        return false;
    }
    if (start..end).any(|t| site.agency_at(t).is_some()) {
        return true;
    }
    let first = s.tokens[start];
    if !site
        .entities
        .mentions_starting_in(first.start, first.end)
        .is_empty()
    {
        return true;
    }
    let key = s.keys[start].as_str();
    let bare = key
        .strip_prefix("لل")
        .or_else(|| key.strip_prefix("ال"))
        .or_else(|| key.strip_prefix('ل'))
        .unwrap_or(key);
    let bare = bare.strip_prefix("ال").unwrap_or(bare);
    SOURCE_WORDS.iter().any(|w| w == bare || w == key)
}

/// True when the preposition at `i` opens the sentence (after punctuation, perhaps).
fn opening(s: &SentenceTokens, i: usize) -> bool {
    i == 0 || (i == 1 && s.is_punct(0))
}

/// The end of the source's words after the preposition at `i`: a stop, or the longest
/// speaker.
fn source_end(s: &SentenceTokens, i: usize) -> usize {
    let start = i + 1;
    let mut j = start;
    while j < s.len() && j - start < MAX_SPEAKER && !is_stop(s, j) {
        j += 1;
    }
    j
}
