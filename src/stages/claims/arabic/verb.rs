//! Reporting verbs and participles: «وذكرت مصادر عسكرية لوكالة رويترز أن C», «مصادر محلية
//! نفت C», «نقلت وكالة سانا عن مصدر عسكري قوله إن C», «مشيرا إلى C».

use crate::record::CueClass;

use super::super::cues::{CueEntry, CueKind};
use super::super::found::{Channel, FoundClaim, OPENING_QUOTES, SentenceTokens};
use super::clause::{
    content_end, content_range, entity_end_at, is_addressee, is_circumstance, is_complementizer,
    is_definite_noun, is_pronoun_object, is_stop, is_strong_complementizer, media_mention_at,
    media_within, skip_adverbials, skip_channel,
};
use super::participle;
use super::site::Site;
use super::words::{
    IMPERSONAL, MAX_SPEAKER, NEGATIONS, RELATIVES, RELAY_ONLY, RELAY_SAYING, STATEMENT_NOUNS,
    TIME_WORDS, WEAK_COMPLEMENTIZERS,
};

/// A verb or participle cue at `i`: its claim, if any; the next token is the first nested
/// cue inside its content (read as a claim of its own), or the content's end.
pub(super) fn reporting_verb(site: &Site, i: usize, found: &mut Vec<FoundClaim>) -> Option<usize> {
    let (entry, clitic) = site.cues[i]?;
    if !matches!(entry.kind, CueKind::Verb | CueKind::Participle) {
        return None;
    }
    let s = site.s;
    // «وتابع قائلا»: the participle is the verb's, which makes the claim.
    if entry.kind == CueKind::Participle && i > 0 && is_verb(site, i - 1) {
        return None;
    }
    // «ولم تكشف السلطات ما إذا ...»: a negated verb states nothing.
    if i > 0 && NEGATIONS.contains(&s.keys[i - 1].as_str()) {
        return None;
    }
    let (speaker, j) = speaker_of(site, i, entry, clitic);
    let between = Between::read(site, j, entry);
    // «واتهمت البريطانيين باختلاق ...»: who is accused and of what is the content.
    let accused = speaker.is_none() && entry.class == CueClass::Accuse && accusation_after(s, j);
    if entry.needs_complement && !between.introduced && !accused {
        return None;
    }
    let verb: String = s.keys[i].chars().skip(clitic).collect();
    let verb = verb.as_str();
    // «يُذكر أن ...», «يشار إلى أن»: said by no one.
    if speaker.is_none() && IMPERSONAL.contains(&verb) {
        return None;
    }
    // «نقلت وكالة سانا عن مصدر عسكري قوله إن ...»: the source after «عن» speaks,
    // and the agency or outlet that relays it is the channel.
    let relay = relayed(site, speaker, between.content_start);
    // «نُقل الجرحى إلى المستشفى»: «نقل» reports only a relay or with «أن».
    if RELAY_ONLY.contains(&verb)
        && relay.is_none()
        && !s
            .keys
            .get(between.content_start)
            .is_some_and(|k| is_strong_complementizer(k))
    {
        return None;
    }
    let (speaker, via, content_start) = match relay {
        Some((source, relay, after)) => (Some(source), Some(relay), after),
        None => (speaker, between.via, between.content_start),
    };
    let content_end = content_end(s, site.next_clause_cue(content_start + 1));
    let mut in_statement = between.in_statement;
    let content = if between.anaphoric {
        // «نفت إدارة الميناء ذلك»: the content is «ذلك», what was said before.
        in_statement |= (j..content_end).any(|t| s.keys[t] == "بيان");
        Some((s.tokens[j].start, s.tokens[j].end))
    } else {
        content_range(s, content_start, content_end)
    };
    if let Some(content) = content {
        found.push(FoundClaim {
            via,
            in_statement,
            ..FoundClaim::new(site.cue(i), entry, speaker, content)
        });
    }
    // Nested cues inside the content are read as claims of their own.
    let nested = site.next_cue(i + 1);
    Some(if nested < content_end {
        nested
    } else {
        content_end.max(i + 1)
    })
}

/// The speaker of the cue at `i`, before it or after it, and the token after the
/// speaker's words.
fn speaker_of(
    site: &Site,
    i: usize,
    entry: CueEntry,
    clitic: usize,
) -> (Option<(usize, usize)>, usize) {
    let s = site.s;
    // A verb with «و» or «ف» fused to it opens a clause: nothing before it is its
    // subject.
    let subject = (entry.kind == CueKind::Verb && clitic == 0)
        .then(|| subject_before(site, i))
        .flatten();
    if let Some(range) = subject {
        // «مصادر محلية في إدلب نفت عودة النازحين»: the subject stands before the
        // verb, and what follows it is the content, after a phrase of time («وكان الجيش قد
        // أعلم مساء الجمعة الماضية أنه ...») when a complementizer comes soon.
        let after = skip_adverbials(s, i + 1);
        let complementizer = (after..(after + 3).min(s.len()))
            .filter(|_| after > i + 1)
            .take_while(|&k| !s.is_punct(k))
            .find(|&k| is_strong_complementizer(&s.keys[k]));
        return (Some(range), complementizer.unwrap_or(i + 1));
    }
    if entry.kind == CueKind::Participle {
        return (participle::main_subject(site, i), i + 1);
    }
    if entry.kind != CueKind::Verb {
        return (None, i + 1);
    }
    let mut start = skip_adverbials(s, i + 1);
    // «وتابع قائلا: "..."»: the participle of saying goes with the verb; it is no subject.
    if is_participle(site, start) {
        start += 1;
    }
    // «لكنه ينكر ذلك»: a demonstrative straight after the verb is what was said, not who
    // said it; «ما وصفه بعملية ...», «تعهد بإنهاء ...»: so is «بـ» after a verb of opinion,
    // promise or accusation. The verb carries its speaker.
    if start < s.len()
        && (is_pronoun_object(s, start) || takes_bi(entry.class) && accusation_at(s, start))
    {
        return (antecedent(site, i, clitic), start);
    }
    let mut j = start;
    while j < s.len()
        && j - start < MAX_SPEAKER
        && !is_stop(s, j)
        && !is_circumstance(s, j)
        && !(j > start && (is_pronoun_object(s, j) || is_addressee(s, j)))
        && !(j > start && TIME_WORDS.contains(&s.keys[j].as_str()))
        && !(j > start && RELATIVES.contains(&s.keys[j].as_str()))
        // «وتابع قائلا: "..."»: a participle of saying is no subject; the verb carries it.
        && !(s.keys[j] == "من" && s.keys.get(j + 1).is_some_and(|k| is_complementizer(k)))
    {
        j += 1;
    }
    // Without a complementizer (نفى X وصول ...) the speaker is the entity named first.
    if j < s.len() && !is_complementizer(&s.keys[j]) {
        match entity_end_at(s, site.entities, start) {
            Some(entity_end) => j = entity_end.min(j),
            // «أعلنت الحكومة التركية إنهاء حالة الطوارئ»: a described subject that runs
            // straight into what was announced ends with its definite words; the first
            // indefinite one opens the content. (Before a comma, the words are the subject's.)
            None if !is_stop(s, j) => j = definite_end(site, start, j),
            // «تعهد مرشحو المعارضة بإنهاء حالة الطوارئ.»: what was promised opens with
            // «بـ»; who is accused («اتهمت الحكومة المعارضة بـ») is the first word and its
            // definite adjectives.
            None => {
                if let Some(b) =
                    (start + 1..j).find(|&k| takes_bi(entry.class) && accusation_at(s, k))
                {
                    // Definite words up to «بـ» («اتهمت الحكومة السورية المعارضة بـ»):
                    // the last is who is accused.
                    j = if entry.class == CueClass::Accuse {
                        (start + 1..b)
                            .find(|&k| !s.keys[k].starts_with("ال"))
                            .unwrap_or(if b > start + 1 { b - 1 } else { b })
                    } else {
                        b
                    };
                }
            }
        }
    }
    // «واتهمت البريطانيين باختلاق ...», «وتتهم فيها الإمارات بارتكاب ...»: one word or one
    // name followed by «بـ» is who is accused; the verb carries the accuser.
    let object_end = || entity_end_at(s, site.entities, start).unwrap_or(start + 1);
    if entry.class == CueClass::Accuse && j > start && accusation_at(s, object_end()) {
        return (antecedent(site, i, clitic), start);
    }
    let speaker = if j > start {
        s.range(start, j, &[])
    } else {
        None
    };
    if speaker.is_none() && s.keys.get(j).is_some_and(|k| is_complementizer(k)) {
        return (antecedent(site, i, clitic), j);
    }
    (speaker, j)
}

/// «للندن التي تتهم موسكو بـ...», «الوزير الذي قال إن»: a verb with no subject of its own
/// after a relative pronoun speaks for the name the pronoun stands for, just before it;
/// after «ما» («وأدان القاضي ما وصفه بـ»), for the subject of the verb before, a name or
/// a definite noun.
fn antecedent(site: &Site, i: usize, clitic: usize) -> Option<(usize, usize)> {
    let s = site.s;
    if clitic != 0 || i < 2 {
        return None;
    }
    let before = s.keys[i - 1].as_str();
    if RELATIVES.contains(&before) {
        return name_ending_at(site, i - 2);
    }
    (before == "ما" && !s.is_punct(i - 2))
        .then(|| {
            name_ending_at(site, i - 2)
                .or_else(|| is_definite_noun(&s.keys[i - 2]).then(|| s.range(i - 2, i - 1, &[]))?)
        })
        .flatten()
}

/// Cue classes whose content may open with «بـ»: opinion («وصفه بأنه»), promise («تعهد
/// بإنهاء»), accusation («اتهمه بالتقصير»).
fn takes_bi(class: CueClass) -> bool {
    matches!(
        class,
        CueClass::Opinion | CueClass::Promise | CueClass::Accuse
    )
}

/// True when «بـ» follows the words from `j` within a name's length (five tokens, no
/// punctuation between): what someone is accused of.
fn accusation_after(s: &SentenceTokens, j: usize) -> bool {
    (j + 1..(j + 6).min(s.len()))
        .take_while(|&k| !s.is_punct(k))
        .any(|k| accusation_at(s, k))
}

/// «بـ» opening what someone is accused of («باختلاق», «بالوقوف»), at token `j`.
fn accusation_at(s: &SentenceTokens, j: usize) -> bool {
    // «بـ"مرتزقة"»: the preposition may stand apart, before a quotation.
    s.keys.get(j).is_some_and(|k| {
        k == "ب" || k.starts_with('ب') && k.chars().count() > 3 && !is_complementizer(k)
    })
}

/// The model range of the name (an entity mention) that ends in token `k`, from the token
/// where it starts.
fn name_ending_at(site: &Site, k: usize) -> Option<(usize, usize)> {
    let s = site.s;
    let t = s.tokens.get(k)?;
    let m = site
        .entities
        .mentions_starting_in(0, t.end)
        .iter()
        .rev()
        .take(8)
        .find(|m| m.end > t.start && m.end <= t.end)?;
    Some((m.start, m.end))
}

/// The end of a described subject from token `start` (before `limit`): its first word and
/// the definite words after it («وزارة الخارجية التركية»), up to the first word without the
/// article that does not begin a name.
fn definite_end(site: &Site, start: usize, limit: usize) -> usize {
    let s = site.s;
    if start + 1 >= limit {
        return limit;
    }
    let mut k = start + 1;
    while k < limit {
        if let Some(end) = entity_end_at(s, site.entities, k) {
            // A name is read whole («الشيخ محمد بن عبد الرحمن آل ثاني»), even past the
            // speaker's word limit.
            k = end.max(k + 1);
        } else if s.keys[k].starts_with("ال") {
            k += 1;
        } else {
            return k;
        }
    }
    k
}

/// Definite nouns of time that may open a clause before its verb («الأسبوع الماضي أعلنت»):
/// never its subject (match keys).
const TIME_NOUNS: &[&str] = &["الاسبوع", "الشهر", "الليله", "الصباح", "المساء"];

/// «كان» before a subject and its verb («وكانت واشنطن أعلنت»; match keys, with «و» and «ف»).
const PAST_AUXILIARIES: &[&str] = &["كان", "كانت", "وكان", "وكانت", "فكان", "فكانت"];

/// True when token `i` is a participle cue («قائلا»).
fn is_participle(site: &Site, i: usize) -> bool {
    cue_kind(site, i) == Some(CueKind::Participle)
}

/// True when token `i` is a verb cue.
fn is_verb(site: &Site, i: usize) -> bool {
    cue_kind(site, i) == Some(CueKind::Verb)
}

/// The kind of the cue at token `i`, if it is one.
fn cue_kind(site: &Site, i: usize) -> Option<CueKind> {
    site.cues.get(i).copied().flatten().map(|(e, _)| e.kind)
}

/// What stands between a verb's speaker (ending at token `j`) and its content.
struct Between {
    /// The content's first token.
    content_start: usize,
    /// The channel named there.
    via: Option<Channel>,
    /// «في بيان», «في تصريح»: said in a statement.
    in_statement: bool,
    /// «نفت الإدارة ذلك»: a demonstrative stands for the content.
    anaphoric: bool,
    /// A complementizer or a quotation opens the content.
    introduced: bool,
}

impl Between {
    /// Channel and circumstance between speaker and content («لوكالة "رويترز"», «، في بيان
    /// صادر عنه،», «في تصريح للتلفزيون الرسمي»), when the speaker's words stopped at one,
    /// up to a complementizer or a quotation.
    fn read(site: &Site, j: usize, entry: CueEntry) -> Self {
        let s = site.s;
        let channel_follows = j < s.len()
            && !is_complementizer(&s.keys[j])
            && (is_stop(s, j)
                || s.keys[j] == "في"
                || s.keys[j] == "من"
                || RELATIVES.contains(&s.keys[j].as_str()));
        let limit = if channel_follows {
            (j + 12).min(site.next_cue(j))
        } else {
            j
        };
        let opens_quote = |k: usize| {
            s.keys[k].starts_with(OPENING_QUOTES)
                && (k + 1 >= s.len() || site.agency_at(k + 1).is_none())
                && (k == 0 || site.agency_at(k - 1).is_none())
        };
        let complementizer = |weak: bool| {
            (j..limit).take_while(|&k| !opens_quote(k)).find(|&k| {
                is_complementizer(&s.keys[k])
                    && (weak || !WEAK_COMPLEMENTIZERS.contains(&s.keys[k].as_str()))
            })
        };
        let found_at = complementizer(false).or_else(|| complementizer(true));
        let k = found_at.unwrap_or_else(|| (j..limit).find(|&k| opens_quote(k)).unwrap_or(limit));
        let (via, in_statement) = channel_in(site, j, k);
        let anaphoric = found_at.is_none()
            && j < s.len()
            && matches!(entry.class, CueClass::Deny | CueClass::Confirm)
            && is_pronoun_object(s, j);
        let content_start = if k < limit {
            k
        } else if channel_follows {
            // No complementizer («نفى ... وقوع أي وفيات»): the content follows the
            // circumstance and the channel.
            skip_channel(s, site.entities, j)
        } else {
            j
        };
        Between {
            content_start,
            via,
            in_statement,
            anaphoric,
            introduced: content_start < s.len()
                && (is_complementizer(&s.keys[content_start]) || opens_quote(content_start)),
        }
    }
}

/// The first channel named in tokens `j..k` (an agency, or a media entity with «ل»), and
/// whether they say «بيان» or «تصريح».
fn channel_in(site: &Site, j: usize, k: usize) -> (Option<Channel>, bool) {
    let s = site.s;
    let mut via = None;
    let mut in_statement = false;
    for t in j..k {
        if STATEMENT_NOUNS.contains(&s.keys[t].as_str()) {
            in_statement |= s.keys[t] == "بيان" || s.keys[t] == "تصريح";
        }
        if via.is_none() {
            if let Some(m) = site
                .agency_at(t)
                .filter(|_| s.keys[t].starts_with('ل') || t > j)
            {
                via = Some(site.channel(m));
            } else if let Some(m) = media_mention_at(s, site.entities, t) {
                via = Some((m, None));
            }
        }
    }
    (via, in_statement)
}

/// A source relayed by «عن» at token `at` when the speaker is an agency or outlet: the
/// source's range, the relay as the channel, and the token where the content starts.
fn relayed(
    site: &Site,
    speaker: Option<(usize, usize)>,
    at: usize,
) -> Option<((usize, usize), Channel, usize)> {
    let (source, after) = relayed_source(site, at)?;
    let (a, b) = speaker?;
    let relay = site
        .s
        .doc
        .agencies_within(a, b)
        .next()
        .map(|m| site.channel(m))
        .or_else(|| media_within(site.entities, a, b).map(|r| (r, None)))?;
    Some((source, relay, after))
}

/// A source relayed by «عن» at token `at` («عن مصدر عسكري قوله إن ...»): its model range and
/// the token where its content starts.
fn relayed_source(site: &Site, at: usize) -> Option<((usize, usize), usize)> {
    let s = site.s;
    if s.keys.get(at).is_none_or(|k| k != "عن") {
        return None;
    }
    let end = (at + 8).min(s.len());
    let stop = (at + 1..end).find(|&t| {
        RELAY_SAYING.contains(&s.keys[t].as_str()) || is_strong_complementizer(&s.keys[t])
    })?;
    let source = s.range(at + 1, stop, &[])?;
    let content = if RELAY_SAYING.contains(&s.keys[stop].as_str()) {
        stop + 1
    } else {
        stop
    };
    (content < s.len()).then_some((source, content))
}

/// The speaker named before a verb cue at token `i` (subject-verb order), from the start
/// of its clause (the sentence, a comma, or «أن», «إن», «لكن»): an entity or a described
/// source («مصادر محلية في إدلب»), when no speaker follows the verb.
fn subject_before(site: &Site, i: usize) -> Option<(usize, usize)> {
    let s = site.s;
    let mut b = i;
    while b > 0 && !s.is_punct(b - 1) && !is_complementizer(&s.keys[b - 1]) && i - b < MAX_SPEAKER {
        b -= 1;
    }
    if b == i || b > 0 && !s.is_punct(b - 1) && !is_complementizer(&s.keys[b - 1]) {
        return None;
    }
    let named_at = |t: usize| {
        let token = s.tokens[t];
        !site
            .entities
            .mentions_starting_in(token.start, token.end)
            .is_empty()
    };
    let described_at = |t: usize| site.descriptors.kind_of(&s.keys[t]).is_some();
    let speaker_follows = i + 1 < s.len() && (named_at(i + 1) || described_at(i + 1));
    // «وكانت روسيا [قد] شددت»: the auxiliary opens the clause, «قد» stands before the verb.
    let clause_opener = |t: usize| {
        ["الا", "لكن", "ولكن", "و", "ف"].contains(&s.keys[t].as_str())
            || PAST_AUXILIARIES.contains(&s.keys[t].as_str())
    };
    let first = if clause_opener(b) { b + 1 } else { b };
    let end = if i > first + 1 && s.keys[i - 1] == "قد" {
        i - 1
    } else {
        i
    };
    // «الا ان المضيفة قالت انها ...», «ولكن الادعاء قال إن»: when «أن» follows the verb
    // straight away, or «في بيان» («وكانت الخطوط الجوية السعودية أعلنت في بيان أن»), no
    // subject comes after it, and one to three definite nouns opening the clause (none of
    // time) are the subject.

    let in_statement = s.keys.get(i + 1).is_some_and(|k| k == "في")
        && s.keys
            .get(i + 2)
            .is_some_and(|k| STATEMENT_NOUNS.contains(&k.as_str()));
    let complement_follows = s
        .keys
        .get(i + 1)
        .is_some_and(|k| is_strong_complementizer(k))
        || in_statement;
    let definite_subject = complement_follows
        && end - first <= 3
        && (first..end).all(|t| {
            let k = s.keys[t].as_str();
            is_definite_noun(k) && !TIME_WORDS.contains(&k) && !TIME_NOUNS.contains(&k)
        });
    (first < end
        && end - first <= 4
        && !speaker_follows
        && (named_at(first) || described_at(first) || definite_subject))
        .then(|| s.range(first, end, &[]))
        .flatten()
}
