//! «وجاء في البيان أن C», «جاء في بيان للوزارة: "C"», «وجاء في الرسالة على لسان يوليا أن
//! C»: what a statement, report or letter says. The document is the speaker, or whoever it
//! quotes («على لسان X»).
//!
//! «جاء» is also "came" («وجاء في المركز الرابع», «جاء ذلك في كلمة»): it reports only with
//! «في» straight after it and a complementizer or a quotation a few words on.

use super::super::found::{CLOSING_QUOTES, FoundClaim, OPENING_QUOTES};
use super::clause::{content_end, content_range, entity_end_at, is_stop, is_strong_complementizer};
use super::site::Site;
use super::words::CONNECTORS;

/// The verb, as its match key without «و» or «ف».
const CAME: &str = "جاء";

/// Longest document phrase after «في», in tokens («بيان صادر عن وزارة الخارجية»).
const MAX_DOCUMENT: usize = 6;

/// Punctuation trimmed from the speaker's words («البيان،»).
const EDGE: &[char] = &['،', ',', ':'];

/// Longest name after «على لسان», in tokens, when no entity spans it.
const MAX_VOICE: usize = 3;

/// «جاء في D أن C»: D's claim C (or the claim of X in «على لسان X»). Any other «جاء» is
/// read as no cue.
pub(super) fn came_in(site: &Site, i: usize, found: &mut Vec<FoundClaim>) -> Option<usize> {
    let (entry, clitic) = site.cues[i]?;
    let s = site.s;
    let verb: String = s.keys[i].chars().skip(clitic).collect();
    if verb != CAME {
        return None;
    }
    if s.keys.get(i + 1).is_none_or(|k| k != "في") {
        return Some(i + 1);
    }
    let first = i + 2;
    // «جاء في "تاج العروس" أن», «جاء في «الاقتصادية»، إنه»: a title in quotation marks
    // is the document; what it says comes after the closing mark.
    let title_end = s
        .keys
        .get(first)
        .filter(|k| k.starts_with(OPENING_QUOTES))
        .and_then(|_| {
            (first..(first + MAX_DOCUMENT).min(s.len())).find(|&k| {
                k > first && s.keys[k].ends_with(CLOSING_QUOTES)
                    || k == first && closes_itself(&s.keys[k])
            })
        })
        .map(|k| k + 1);
    let search_from = title_end.unwrap_or(first);
    let opens =
        |k: usize| s.keys[k].starts_with(OPENING_QUOTES) || is_strong_complementizer(&s.keys[k]);
    let limit = (first + MAX_DOCUMENT + MAX_VOICE + 2).min(s.len());
    // The content opens at a complementizer or a quotation, after a colon or comma too.
    let Some(content_start) = (search_from..limit)
        .take_while(|&k| !s.is(k, '.'))
        .find(|&k| opens(k))
    else {
        return Some(i + 1);
    };
    let document_end = (search_from..content_start)
        .find(|&k| {
            is_stop(s, k)
                || CONNECTORS.contains(&s.keys[k].as_str())
                || s.keys[k] == "عن"
                || s.keys[k] == "علي" && s.keys.get(k + 1).is_some_and(|n| n == "لسان")
        })
        .unwrap_or(content_start)
        .min(search_from.max(first + MAX_DOCUMENT));
    // «على لسان يوليا»: whom the document quotes; «بيان صادر عن الوزارة»: who issued it.
    let key_at = |k: usize| s.keys.get(k).map_or("", String::as_str);
    let skip = match key_at(document_end) {
        "علي" if key_at(document_end + 1) == "لسان" => 2,
        "عن" => 1,
        _ => 0,
    };
    let voice = (skip > 0 && document_end + skip < content_start)
        .then(|| {
            let from = document_end + skip;
            let to = entity_end_at(s, site.entities, from)
                .unwrap_or(from + MAX_VOICE)
                .min(content_start);
            s.range(from, to, EDGE)
        })
        .flatten();
    let Some(speaker) = voice.or_else(|| s.range(first, document_end, EDGE)) else {
        return Some(i + 1);
    };
    let end = content_end(s, site.next_clause_cue(content_start + 1));
    let Some(content) = content_range(s, content_start, end) else {
        return Some(i + 1);
    };
    found.push(FoundClaim {
        in_statement: true,
        ..FoundClaim::new(site.cue(i), entry, Some(speaker), content)
    });
    Some(end.max(i + 1))
}

/// A token that opens and closes a quotation by itself («"الاقتصادية"» as one token).
fn closes_itself(key: &str) -> bool {
    key.chars().count() > 2 && key.ends_with(CLOSING_QUOTES)
}
