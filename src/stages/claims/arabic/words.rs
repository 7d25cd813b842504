//! The Arabic grammar words the attribution patterns read (match keys), and the longest
//! speaker.

/// Words that open reported content (match keys).
pub(super) const COMPLEMENTIZERS: &[&str] = &[
    "ان",
    "بان",
    "انه",
    "انها",
    "انهم",
    "بانه",
    "بانها",
    "بانهم",
    "الي",
    "عن",
    "فان",
];
/// Complementizers that only open content when no proper one («أن», «إن», ...) follows:
/// «عن» in «أعلن عن» but not in «، طلب عدم الكشف عن اسمه، إن».
pub(super) const WEAK_COMPLEMENTIZERS: &[&str] = &["الي", "عن"];
/// Nouns of the circumstance «في بيان», «في تصريح»: they end a speaker's words.
pub(super) const STATEMENT_NOUNS: &[&str] =
    &["بيان", "تصريح", "تصريحات", "حديث", "مقابله", "موتمر"];
/// Connectors that end a content before the next clause («..., فيما نفت ...»).
pub(super) const CONNECTORS: &[&str] =
    &["فيما", "بينما", "حين", "و", "لكن", "لكنه", "لكنها", "ولكن"];
/// Demonstratives: standing alone after the speaker they are the object («نفت الإدارة
/// ذلك»), the content by reference to what was said before.
pub(super) const DEMONSTRATIVES: &[&str] = &["ذلك", "هذا"];
/// Longest speaker, in tokens.
pub(super) const MAX_SPEAKER: usize = 8;

/// Words that end a relayed source («عن مصدر عسكري قوله إن»).
pub(super) const RELAY_SAYING: &[&str] = &["قوله", "قولها", "قولهم"];

/// Adverbs of time and manner that may stand between a verb and its subject («قال أيضا
/// المتحدث»), besides the [`TIME_WORDS`] («قال أمس الوزير»): never the speaker's words
/// (match keys).
pub(super) const ADVERBS: &[&str] = &[
    "الان",
    "ايضا",
    "كذلك",
    "مجددا",
    "لاحقا",
    "سابقا",
    "مساء",
    "صباح",
    "حينها",
    "وقتها",
    "بدوره",
    "بدورها",
    "مرارا",
    "مره",
    "ذات",
    "يومها",
    // «قال فيها», «تتهم فيه»: "in it", the statement or the suit.
    "فيه",
    "فيها",
    "فيهم",
];
/// Particles that negate the verb after them: «لم يذكر البيان», «لن يعلن» make no
/// statement, hence no claim (match keys).
pub(super) const NEGATIONS: &[&str] = &["لم", "ولم", "فلم", "لن", "ولن", "فلن"];
/// Words of time: they may stand between a verb and its subject, like the [`ADVERBS`], and
/// they end a subject after the verb («أعلنت السلطات الكوبية السبت الحداد»; match keys).
pub(super) const TIME_WORDS: &[&str] = &[
    "امس",
    "اليوم",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "الاحد",
];
/// Relative pronouns: a clause about the speaker («الرئيس ... الذي تولى السلطة قبل شهر»)
/// ends the speaker's words and stands before the content (match keys).
pub(super) const RELATIVES: &[&str] = &["الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"];
/// Prepositions of time that open a phrase closed by a comma before the subject («قال،
/// بعد إعلان النتيجة، جاويد إن»; match keys).
pub(super) const TIME_PREPOSITIONS: &[&str] = &["قبل", "بعد", "خلال", "عقب", "اثناء", "منذ"];
/// Prepositions of a relay that may stand between a verb and its subject, closed by a
/// comma, a colon or the quotation («قال وفقا لما نقلته وكالة الأنباء ...: "..."»; match
/// keys).
pub(super) const RELAY_PREPOSITIONS: &[&str] = &["وفقا", "وفق", "بحسب", "حسب"];
/// Pronouns with «ل» after a verb: who was told, never who told (match keys).
pub(super) const TOLD_PRONOUNS: &[&str] = &["له", "لها", "لهم", "لهما", "لنا", "لي", "لكم"];
/// Verbs that, with no subject, are impersonal («يُذكر أن»: it is mentioned): no claim
/// (match keys, without «و» or «ف»).
pub(super) const IMPERSONAL: &[&str] = &["يذكر", "تذكر"];
/// Verbs that report only a relay («نقلت الوكالة عن مسؤول») or with «أن»: «نقل» also means
/// "transferred" (match keys, without «و» or «ف»).
pub(super) const RELAY_ONLY: &[&str] = &["نقل", "نقلت"];
