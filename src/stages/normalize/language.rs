//! Language identification per paragraph and per article.

use std::collections::HashMap;

use crate::record::Language;
use crate::table::{Table, TableError};
use crate::text::chars::is_arabic_letter;

/// Characters of a paragraph that identification looks at: enough to be sure, and a bound
/// on the cost for very long paragraphs.
const SAMPLE_CHARS: usize = 600;
/// Characters of the article sampled for its language.
const ARTICLE_SAMPLE_CHARS: usize = 700;
/// Characters of a paragraph sampled for its script.
const SCRIPT_SAMPLE_CHARS: usize = 80;

/// Identifies languages with whatlang's trigram models and reports ISO 639-1 codes.
#[derive(Debug, Clone)]
pub struct LanguageIdentifier {
    /// whatlang ISO 639-3 code → ISO 639-1 code.
    short_codes: HashMap<String, String>,
}

impl LanguageIdentifier {
    /// Loads the code table (`data/normalize/language-codes.tsv`): a whatlang code, a tab,
    /// its ISO 639-1 code.
    pub fn load(table: &str) -> Result<Self, TableError> {
        let short_codes = Table::new("language-codes.tsv", table)
            .rows()
            .map(|row| {
                let (long, short) = row.pair()?;
                Ok((long.trim().to_string(), short.trim().to_string()))
            })
            .collect::<Result<_, TableError>>()?;
        Ok(LanguageIdentifier { short_codes })
    }

    /// The language of a stretch of model text.
    pub fn identify(&self, text: &[char]) -> Language {
        let sample: String = text.iter().take(SAMPLE_CHARS).collect();
        if whatlang::detect_script(&sample) == Some(whatlang::Script::Arabic) {
            return arabic_script_language(&text[..text.len().min(SAMPLE_CHARS)]);
        }
        match whatlang::detect(&sample) {
            Some(info) => Language {
                code: self.short_code(info.lang().code()),
                script: info.script().name().to_string(),
                confidence: round2(info.confidence() as f32),
                hint_agrees: None,
            },
            None => Language {
                code: "und".into(),
                script: whatlang::detect_script(&sample)
                    .map_or_else(|| "unknown".to_string(), |s| s.name().to_string()),
                confidence: 0.0,
                hint_agrees: None,
            },
        }
    }

    /// The language of each paragraph (model-text ranges).
    ///
    /// Trigram identification is the costliest step of normalization, so it runs once on a
    /// sample of the whole article; a paragraph in the article's script inherits that
    /// result, and only a paragraph in another script (an English quote in Arabic copy) is
    /// identified on its own. Two languages of one script in one article are rare in news
    /// and then share the article's language.
    pub fn paragraphs(&self, model: &[char], paragraphs: &[(usize, usize)]) -> Vec<Language> {
        let mut sample: Vec<char> = Vec::with_capacity(ARTICLE_SAMPLE_CHARS);
        for &(start, end) in paragraphs {
            let take = (end - start)
                .min(ARTICLE_SAMPLE_CHARS - sample.len())
                .min(400);
            sample.extend_from_slice(&model[start..start + take]);
            sample.push('\n');
            if sample.len() >= ARTICLE_SAMPLE_CHARS {
                break;
            }
        }
        let article = self.identify(&sample);
        paragraphs
            .iter()
            .map(|&(start, end)| {
                let head: String = model[start..end].iter().take(SCRIPT_SAMPLE_CHARS).collect();
                let script = whatlang::detect_script(&head);
                if script.is_none_or(|s| s.name() == article.script) {
                    article.clone()
                } else {
                    self.identify(&model[start..end])
                }
            })
            .collect()
    }

    fn short_code(&self, code: &str) -> String {
        self.short_codes
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The article's language from its paragraphs' (weighted by length) and the input's hint.
    ///
    /// The hint decides only when identification is unsure (confidence under 0.5) and the
    /// hint's script matches the text; otherwise identification wins and `hint_agrees` says
    /// whether the hint was right.
    pub fn article(&self, paragraphs: &[(usize, &Language)], hint: Option<&str>) -> Language {
        let mut weights: HashMap<&str, (usize, f32, &str)> = HashMap::new();
        let mut total = 0;
        for &(len, lang) in paragraphs {
            let w = weights.entry(&lang.code).or_insert((0, 0.0, &lang.script));
            w.0 += len;
            w.1 += len as f32 * lang.confidence;
            total += len;
        }
        let best = weights
            .iter()
            .filter(|(code, _)| **code != "und")
            .max_by_key(|(_, w)| w.0)
            .map(|(code, w)| Language {
                code: code.to_string(),
                script: w.2.to_string(),
                confidence: round2(w.1 / total.max(1) as f32),
                hint_agrees: None,
            });
        let hint = hint
            .map(|h| h.trim().to_ascii_lowercase())
            .map(|h| h.split(['-', '_']).next().unwrap_or_default().to_string())
            .filter(|h| !h.is_empty());
        match (best, hint) {
            (Some(mut lang), Some(hint)) => {
                let agrees = hint == lang.code;
                if !agrees
                    && lang.confidence < 0.5
                    && script_of(&hint) == Some(lang.script.as_str())
                {
                    lang.code = hint;
                }
                lang.hint_agrees = Some(agrees);
                lang
            }
            (Some(lang), None) => lang,
            (None, Some(hint)) => Language {
                script: script_of(&hint).unwrap_or("unknown").to_string(),
                code: hint,
                confidence: 0.25,
                hint_agrees: Some(true),
            },
            (None, None) => Language {
                code: "und".into(),
                script: "unknown".into(),
                confidence: 0.0,
                hint_agrees: None,
            },
        }
    }
}

/// Arabic, Persian or Urdu, from their commonest function words, then from letters.
///
/// Written by hand because vocabulary settles it far more cheaply than whatlang's trigram
/// pass on every Arabic article. Letters alone mislead: an Arabic article quoting one
/// Persian name («کاملیا انتخابی فرد») or typed on a Persian keyboard (ی, ک and ھ for ي, ك
/// and ه) is still Arabic, while Persian and Urdu prose is full of their own function
/// words (که، از، است؛ کے، ہے، نے). Only when a text has none of those words do the letters
/// Arabic never uses (پ چ ژ گ; ٹ ڈ ڑ ں ے) decide, and then only in quantity.
fn arabic_script_language(text: &[char]) -> Language {
    let mut counts = [0usize; 3];
    let (mut letters, mut persian, mut urdu) = (0usize, 0usize, 0usize);
    for word in text.split(|c| !is_arabic_letter(*c) && !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        if let Some(language) = function_word_language(word) {
            counts[language] += 1;
        }
        for &c in word {
            letters += 1;
            match c {
                'پ' | 'چ' | 'ژ' | 'گ' => persian += 1,
                'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' => urdu += 1,
                _ => {}
            }
        }
    }
    let [arabic, farsi, urdu_words] = counts;
    let share = |n: usize| n as f32 / letters.max(1) as f32;
    let (code, confidence) = if arabic + farsi + urdu_words > 0 {
        let total = (arabic + farsi + urdu_words) as f32;
        if urdu_words > arabic && urdu_words >= farsi {
            ("ur", urdu_words as f32 / total)
        } else if farsi > arabic {
            ("fa", farsi as f32 / total)
        } else {
            ("ar", arabic as f32 / total)
        }
    } else if share(urdu) > 0.02 {
        ("ur", 0.5 + share(urdu) * 5.0)
    } else if share(persian) > 0.02 {
        ("fa", 0.5 + share(persian) * 5.0)
    } else {
        ("ar", 1.0 - share(persian + urdu) * 10.0)
    };
    Language {
        code: code.into(),
        script: "Arabic".into(),
        confidence: round2(confidence.clamp(0.5, 1.0)),
        hint_agrees: None,
    }
}

/// 0 for an Arabic function word, 1 for a Persian one, 2 for an Urdu one.
fn function_word_language(word: &[char]) -> Option<usize> {
    const ARABIC: &[&str] = &[
        "في", "من", "على", "إلى", "الى", "أن", "إن", "عن", "مع", "التي", "الذي", "هذا", "هذه",
        "كان", "قد", "بين", "بعد", "ذلك", "وفي", "أو", "ما", "لم", "كما", "حيث",
    ];
    const PERSIAN: &[&str] = &[
        "که", "از", "است", "این", "را", "می", "برای", "های", "شد", "شده", "کرد", "یک", "آن", "بود",
        "نیز", "اند",
    ];
    const URDU: &[&str] = &[
        "کے", "کی", "ہے", "ہیں", "نے", "سے", "کو", "میں", "اور", "تھا", "کہ", "پر", "بھی",
    ];
    // Every function word above has at most four letters: longer words are no lookup.
    if word.len() > 4 {
        return None;
    }
    let is = |w: &&str| w.chars().eq(word.iter().copied());
    if ARABIC.iter().any(is) {
        Some(0)
    } else if URDU.iter().any(is) {
        Some(2)
    } else if PERSIAN.iter().any(is) {
        Some(1)
    } else {
        None
    }
}

/// The script a language hint implies, for the languages whose hint can settle a close call.
fn script_of(code: &str) -> Option<&'static str> {
    match code {
        "ar" | "fa" | "ur" => Some("Arabic"),
        "en" | "fr" | "de" | "es" | "it" | "pt" | "nl" | "tr" | "id" | "sv" | "pl" => Some("Latin"),
        "ru" | "uk" => Some("Cyrillic"),
        _ => None,
    }
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> String {
        LanguageIdentifier::load("")
            .expect("an empty table loads")
            .identify(&text.chars().collect::<Vec<_>>())
            .code
    }

    #[test]
    fn a_code_row_without_a_tab_is_named() {
        let err = LanguageIdentifier::load("eng\ten\nara\n").expect_err("no tab");
        assert_eq!(err.line, 2);
        assert_eq!(err.file, "language-codes.tsv");
    }

    #[test]
    fn arabic_persian_and_urdu_are_told_apart_by_their_letters() {
        assert_eq!(
            code("قالت مصادر عسكرية سورية إن الفصائل سيطرت على نصف المدينة"),
            "ar"
        );
        assert_eq!(
            code("گزارش‌ها حاکی از آن است که چند نفر در این حمله کشته شدند"),
            "fa"
        );
        assert_eq!(
            code("پاکستان کے وزیر اعظم نے کہا کہ حکومت اس معاملے پر غور کر رہی ہے"),
            "ur"
        );
        assert_eq!(code("The ministry said the road was closed"), "eng");
    }

    #[test]
    fn arabic_with_persian_letters_stays_arabic() {
        // A Persian name in Arabic copy.
        assert_eq!(
            code("أفرجت السلطات الإيرانية عن الناشطة کاملیا انتخابی فرد بعد أن احتجزتها في طهران"),
            "ar"
        );
        // Arabic typed with Persian letter forms (ی for ي, ھ for ه).
        assert_eq!(
            code("ھناك أمسیات في التاریخ یدونھا الجمھور على أنھا من أجمل اللیالي"),
            "ar"
        );
    }
}
