//! The subject of a participle cue with no claim before it in its sentence: «وأشاد البابا
//! فرنسيس بموقف المنظمة، مؤكدا أنه ...» is the Pope's, not the last speaker's.

use crate::record::EntityType;

use super::super::found::{CLOSING_QUOTES, OPENING_QUOTES};
use super::site::Site;

/// «وأشاد البابا فرنسيس بموقف المنظمة، مؤكدا أنه ...», «كما شكر البابا فرنسيس ...، مؤكدا»: a
/// participle with no cue before it in its sentence goes with the sentence's main verb,
/// whose subject is the first person or organisation named in the sentence's first words,
/// before any punctuation or preposition (a country only straight after a verb with «و» or
/// «ف» fused to it: «ورحبت روسيا بالقرار، مشيرة»). None when a cue comes first: the
/// participle then continues that claim's speaker.
pub(super) fn main_subject(site: &Site, i: usize) -> Option<(usize, usize)> {
    let s = site.s;
    // After a quotation («..."، مشيرا إلى»), the participle goes on with its speaker.
    let quote = |k: usize| s.keys[k].contains(OPENING_QUOTES) || s.keys[k].contains(CLOSING_QUOTES);
    if (0..i).any(|k| site.cues[k].is_some() || quote(k)) {
        return None;
    }
    let fused_verb = s
        .keys
        .first()
        .is_some_and(|k| (k.starts_with('و') || k.starts_with('ف')) && k.chars().count() >= 4);
    for t in 0..OPENING_WORDS.min(i) {
        let key = s.keys[t].as_str();
        if s.is_punct(t) || PREPOSITIONS.contains(&key) {
            return None;
        }
        let token = s.tokens[t];
        let Some(m) = site
            .entities
            .mentions_starting_in(token.start, token.end)
            .first()
        else {
            continue;
        };
        // «لبانيتا», «بالوزير»: a name with a preposition fused to it is no subject.
        if m.start > token.start {
            return None;
        }
        let kind = site.entities.entities[m.entity].kind;
        // «عبر قائد القيادة المركزية الأميركية، جوزيف فوتيل، عن ...»: a person named within
        // a title's words is the subject, not the body the title names.
        if kind != EntityType::PER
            && t > 0
            && TITLES.contains(&s.keys[t - 1].as_str())
            && let Some(person) = person_within(site, t + 1, (t + TITLED_NAME).min(i))
        {
            return Some(person);
        }
        let speaks = match kind {
            EntityType::PER | EntityType::ORG => true,
            EntityType::GPE => t == 1 && fused_verb,
            _ => false,
        };
        return speaks.then_some((m.start, m.end));
    }
    None
}

/// The first person named from token `a` to before `b`: its model range.
fn person_within(site: &Site, a: usize, b: usize) -> Option<(usize, usize)> {
    let s = site.s;
    (a..b).find_map(|t| {
        let token = s.tokens.get(t)?;
        site.entities
            .mentions_starting_in(token.start, token.end)
            .iter()
            .find(|m| site.entities.entities[m.entity].kind == EntityType::PER)
            .map(|m| (m.start, m.end))
    })
}

/// Titles a body's name follows («قائد القيادة», «زعيم الحزب», «لاعب يوفنتوس»; match keys).
const TITLES: &[&str] = &[
    "قايد",
    "زعيم",
    "رييس",
    "رييسه",
    "وزير",
    "لاعب",
    "مدرب",
    "مدير",
    "امين",
    "نايب",
    "سفير",
    "متحدث",
    "المتحدث",
    "مسوول",
    "عضو",
    "موسس",
];

/// How far after an organisation in a title a person's name may stand («قائد القيادة
/// المركزية الأميركية، جوزيف فوتيل»), in tokens.
const TITLED_NAME: usize = 7;

/// How many words at a sentence's start may stand before its subject («كما شكر البابا
/// فرنسيس»).
const OPENING_WORDS: usize = 4;

/// Prepositions that open a phrase, not a subject, at a sentence's start (match keys).
const PREPOSITIONS: &[&str] = &[
    "في", "من", "علي", "الي", "عن", "مع", "بعد", "قبل", "خلال", "منذ", "لدي", "حول", "وفي", "ومن",
];
