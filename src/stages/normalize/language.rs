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

/// Arabic, Persian or Urdu, from the letters only Persian and Urdu use.
///
/// Written by hand because letters settle it, far more cheaply than whatlang's trigram
/// pass (which decides among these three too) on every Arabic article: Arabic news
/// text has none of پ چ ژ گ (Persian and Urdu) or ٹ ڈ ڑ ں ے (Urdu), while a paragraph of
/// Persian or Urdu has many.
fn arabic_script_language(text: &[char]) -> Language {
    let mut letters = 0usize;
    let mut persian = 0usize;
    let mut urdu = 0usize;
    for &c in text {
        if is_arabic_letter(c) || (!c.is_ascii() && c.is_alphabetic()) {
            letters += 1;
        }
        match c {
            'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' => persian += 1,
            'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' | 'ھ' => urdu += 1,
            _ => {}
        }
    }
    let share = |n: usize| n as f32 / letters.max(1) as f32;
    let (code, foreign) = if share(urdu) > 0.005 {
        ("ur", share(urdu))
    } else if share(persian) > 0.005 {
        ("fa", share(persian))
    } else {
        ("ar", share(persian + urdu))
    };
    let confidence = if code == "ar" {
        (1.0 - foreign * 100.0).clamp(0.5, 1.0)
    } else {
        (0.5 + foreign * 10.0).clamp(0.5, 1.0)
    };
    Language {
        code: code.into(),
        script: "Arabic".into(),
        confidence: round2(confidence),
        hint_agrees: None,
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
}
