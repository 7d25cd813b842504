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
pub(super) const CONNECTORS: &[&str] = &["فيما", "بينما", "حين", "و"];
/// Demonstratives: standing alone after the speaker they are the object («نفت الإدارة
/// ذلك»), the content by reference to what was said before.
pub(super) const DEMONSTRATIVES: &[&str] = &["ذلك", "هذا"];
/// Longest speaker, in tokens.
pub(super) const MAX_SPEAKER: usize = 8;

/// Words that end a relayed source («عن مصدر عسكري قوله إن»).
pub(super) const RELAY_SAYING: &[&str] = &["قوله", "قولها", "قولهم"];
