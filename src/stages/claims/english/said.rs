//! The active reporting verb: "X said (that) C", "C, X said", "“C,” said X", "X told
//! Reuters C", "C1, he said, C2", and "X quoted Y as saying C".

use super::super::cues::CueEntry;
use super::super::found::{Channel, FoundClaim};
use super::content::{
    clause_end, content_after, opens_circumstance, paragraph_after, quotation_before, trimmed,
};
use super::marks::{abbreviation_dot, is_quote_mark};
use super::site::{Read, Site};
use super::subject::MAX_SPEAKER;
use super::subject::{appositive_subject, leading_subject, relative_subject};

/// "X quoted Y as saying C": Y speaks, X relays.
pub(super) fn quoted_as_saying(site: &Site) -> Option<Read> {
    let entry = site.entry?;
    let (a, v) = site.subject?;
    if !matches!(site.s.keys[site.i].as_str(), "quoted" | "quotes") {
        return None;
    }
    let claim = quoted_claim(site, entry, a, v)?;
    Some(Read::token(Some(claim)))
}

/// A verb cue read actively, its speaker before or after it: the last pattern, it reads
/// every verb the others leave.
pub(super) fn said(site: &Site) -> Option<Read> {
    let entry = site.entry?;
    let (a, v) = site.subject?;
    let speaker = Speaker::around(site, a, v);
    if speaker.range.is_none() && !speaker.coordinated {
        return Some(Read::token(None));
    }
    let said = Said::of(site, &speaker);
    let content = standing_for(site, &speaker, a, said.content);
    Some(Read::token(content.map(|content| FoundClaim {
        via: said.via,
        in_statement: said.in_statement,
        ..FoundClaim::new(site.cue(), entry, speaker.range, content)
    })))
}

/// The speaker of an active verb and where the words around it stand.
struct Speaker {
    /// The speaker's words; none when the subject of an earlier verb continues.
    range: Option<(usize, usize)>,
    /// The first token after the cue and the speaker.
    after: usize,
    /// The token before which content preceding the cue ends.
    content_before: usize,
    /// "X said C, and promised D": the verb shares the subject of the one before.
    coordinated: bool,
    /// "..., said Mr. Smith.": the speaker follows the verb.
    inverted: bool,
}

impl Speaker {
    /// The speaker of verb cue `site.i` whose subject tokens are `a..v`.
    fn around(site: &Site, a: usize, v: usize) -> Self {
        let (s, i) = (site.s, site.i);
        let coordinated = a == v && v > 0 && matches!(s.keys[v - 1].as_str(), "and" | "but");
        let appositive = if a == v {
            appositive_subject(s, v)
        } else {
            None
        };
        let relative = if a == v && appositive.is_none() {
            relative_subject(s, v)
        } else {
            None
        };
        let inverted = a == v && !coordinated && appositive.is_none() && relative.is_none();
        let (range, after, content_before) = if let Some(start) = appositive {
            // "The state's campaign chairman, Phil Lovas, said C": the whole subject speaks.
            (s.range(start, v - 1, &[]), i + 1, start)
        } else if let Some((start, end)) = relative {
            // "Jane Doe, who said C, ...": the noun the relative pronoun stands for speaks.
            (s.range(start, end, &[]), i + 1, i)
        } else if a < v {
            (s.range(a, v, &[]), i + 1, a)
        } else if coordinated {
            // "X said C, and promised D": the subject of the first verb continues.
            let speaker = if site.found.is_empty() {
                leading_subject(s, i)
            } else {
                None
            };
            (speaker, i + 1, i)
        } else {
            // "..., said Mr. Smith." / "“...,” said the official."
            let mut b = i + 1;
            while b < s.len() && b - i <= MAX_SPEAKER && (!s.is_punct(b) || abbreviation_dot(s, b))
            {
                b += 1;
            }
            (s.range(i + 1, b, &[]), b, i)
        };
        Speaker {
            range,
            after,
            content_before,
            coordinated,
            inverted,
        }
    }
}

/// What an active verb's speaker said, through which channel, whether in a statement.
struct Said {
    content: Option<(usize, usize)>,
    via: Option<Channel>,
    in_statement: bool,
}

impl Said {
    /// Content before the cue ("C, X said."), around it ("C1, he said, C2") or after it.
    fn of(site: &Site, speaker: &Speaker) -> Self {
        let s = site.s;
        let before = speaker.content_before;
        // The clause of the cue ends at ", and ..." or ", but ..." before another clause.
        let rest_end = (speaker.after..s.len())
            .find(|&k| {
                s.is(k, ',')
                    && s.keys
                        .get(k + 1)
                        .is_some_and(|w| w == "and" || w == "but" || w == "while")
            })
            .unwrap_or(s.len());
        // "In a statement, it accused ...": a circumstance before the speaker, not content.
        let statement =
            before >= 3 && s.keys[..3] == ["in", "a", "statement"] && s.words(0, before) <= 4;
        // "On Fox News Sunday, X said C", "In her 2003 book, X noted C": a phrase of time,
        // place or occasion before the speaker, when what follows the cue reads as content.
        let circumstance = statement
            || opens_circumstance(s)
                && s.words(0, before) <= 12
                && content_after(s, speaker.after, rest_end);
        if !circumstance && let Some(said) = Said::before(site, speaker, rest_end) {
            return said;
        }
        Said::after(site, speaker, statement)
    }

    /// Content before the cue, when the sentence goes on for little after it, or one
    /// statement around the cue: none when neither reads there.
    fn before(site: &Site, speaker: &Speaker, rest_end: usize) -> Option<Self> {
        let (s, lexicon) = (site.s, site.lexicon);
        let (before, after) = (speaker.content_before, speaker.after);
        // Content before: "C, X said." when the sentence goes on for little after the cue.
        let ends_with_comma = before > 0 && (s.is(before - 1, ',') || is_quote_mark(s, before - 1));
        if !ends_with_comma {
            return None;
        }
        // "“C,” X said ...": a quotation just before the speaker is what was said.
        let is_quote = before > 0 && is_quote_mark(s, before - 1)
            || before > 1 && s.is(before - 1, ',') && is_quote_mark(s, before - 2);
        // "C1, he said, C2" and "“C1,” Mr. Obama said, “C2”": one statement around the cue.
        let resumes = after + 1 < s.len()
            && s.is(after, ',')
            && (is_quote_mark(s, after + 1)
                || !speaker.inverted && s.words(after + 1, s.len()) >= 3);
        let via = site.agency_in(after, rest_end);
        if s.words(0, before) >= 1 && resumes {
            return Some(Said {
                content: trimmed(s, 0, clause_end(s, lexicon, after + 1)),
                via,
                in_statement: false,
            });
        }
        let enough_before = s.words(0, before) >= if is_quote { 2 } else { 3 };
        let little_after = s.words(after, rest_end) <= 6 || speaker.inverted || is_quote;
        if !(enough_before && little_after) {
            return None;
        }
        // "C1, the agency said in a June report, and C2": the report goes on after the
        // cue's clause.
        let goes_on = !is_quote
            && rest_end + 1 < s.len()
            && s.keys[rest_end + 1] == "and"
            && s.words(rest_end + 2, s.len()) >= 4;
        let end = if goes_on {
            clause_end(s, lexicon, rest_end + 2)
        } else {
            before
        };
        Some(Said {
            content: trimmed(s, 0, end),
            via,
            in_statement: (after..rest_end).any(|k| s.keys[k] == "statement"),
        })
    }

    /// Content after the cue: "said (on Monday) that C", "told Reuters C", "said in a
    /// statement C", or a name alone ("Cruz has endorsed Trump").
    fn after(site: &Site, speaker: &Speaker, statement: bool) -> Self {
        let (s, i) = (site.s, site.i);
        let mut via = None;
        let mut in_statement = statement;
        let mut c = speaker.after;
        if s.keys[i] == "told" || s.keys[i] == "tells" {
            // "told Reuters (on Tuesday) that ..."
            let object_end = (c..s.len().min(c + 6))
                .find(|&k| s.keys[k] == "that" || s.is_punct(k))
                .unwrap_or(c + 1)
                .min(s.len());
            via = site.agency_in(c, object_end);
            c = object_end;
        }
        if c + 3 < s.len()
            && s.keys[c] == "in"
            && s.keys[c + 1] == "a"
            && s.keys[c + 2] == "statement"
        {
            in_statement = true;
            c += 3;
        }
        // "said on Monday that C": a short adverbial before "that" is not content.
        if let Some(that) = (c..s.len().min(c + 5))
            .take_while(|&k| !s.is_punct(k))
            .find(|&k| s.keys[k] == "that")
        {
            c = that;
        }
        while c < s.len() && (s.keys[c] == "that" || s.is(c, ',') || s.is(c, ':')) {
            c += 1;
        }
        let end = clause_end(s, site.lexicon, c);
        // "Cruz has endorsed Trump": a name alone may be what the cue bears on.
        let content = trimmed(s, c, end).or_else(|| {
            (s.words(c, end) == 1 && !s.is_punct(c) && s.starts_upper(c))
                .then(|| s.range(c, c + 1, &[]))
                .flatten()
        });
        Said {
            content,
            via,
            in_statement,
        }
    }
}

/// The content of verb cue `site.i`, `content` as found in the sentence, or a quotation
/// or paragraph standing for it.
fn standing_for(
    site: &Site,
    speaker: &Speaker,
    a: usize,
    content: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let (s, i) = (site.s, site.i);
    // "“Who do you trust?” said David Plouffe, the architect of the campaign.": a
    // sentence opening with its cue and speaker reports the quotation closing right
    // before it, not the apposition after the speaker.
    let content = if speaker.inverted && s.words(0, i) == 0 {
        quotation_before(s).or(content)
    } else {
        content
    };
    // "“Why didn't he pay?” he asks.": a sentence that is only its speaker and cue
    // reports the quotation that ends right before it.
    let content = content.or_else(|| {
        (s.words(0, speaker.content_before.min(a)) == 0 && s.words(speaker.after, s.len()) == 0)
            .then(|| quotation_before(s))
            .flatten()
    });
    // "Limbaugh added:" closing its paragraph: the next paragraph is what was said.
    content.or_else(|| {
        let colon_ends = (i + 1..s.len()).any(|k| s.is(k, ':'))
            && s.words(speaker.after.max(i + 1), s.len()) == 0;
        colon_ends.then(|| paragraph_after(s)).flatten()
    })
}

/// "State TV quoted a military source as saying (that) C": the source (tokens after the
/// cue, up to "as saying") speaks; the subject `a..v`, an outlet or agency, is the channel.
fn quoted_claim(site: &Site, entry: CueEntry, a: usize, v: usize) -> Option<FoundClaim> {
    let (s, i) = (site.s, site.i);
    let end = (i + 1 + MAX_SPEAKER).min(s.len());
    let as_at = (i + 1..end)
        .find(|&k| s.keys[k] == "as" && s.keys.get(k + 1).is_some_and(|w| w == "saying"))?;
    let source = s.range(i + 1, as_at, &[])?;
    let relay = if a < v {
        site.agency_in(a, v)
            .or_else(|| s.range(a, v, &[]).map(|r| (r, None)))
    } else {
        None
    };
    let mut c = as_at + 2;
    while c < s.len() && (s.keys[c] == "that" || s.is(c, ',') || s.is(c, ':')) {
        c += 1;
    }
    let content = trimmed(s, c, s.len())?;
    Some(FoundClaim {
        via: relay,
        ..FoundClaim::new(site.cue(), entry, Some(source), content)
    })
}
