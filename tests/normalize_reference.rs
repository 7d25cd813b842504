//! The normalization stage on the reference article and the shared corpora: what a reader
//! of the Aleppo story would check.

mod common;

use newsflow::stages::normalize::{Document, Normalizer, TokenKind, hamming, simhash};

fn reference() -> (String, Document) {
    let text = std::fs::read_to_string(common::shared().join("corpus/aleppo-2024-11-ar.txt"))
        .expect("reference article");
    let doc = Normalizer::new()
        .expect("tables load")
        .run(text.clone(), Some("ar"))
        .expect("normalizes");
    (text, doc)
}

#[test]
fn the_reference_article_reads_as_arabic_with_its_credits() {
    let (_, doc) = reference();
    assert_eq!(doc.language.code, "ar");
    assert_eq!(doc.language.script, "Arabic");
    let credits = &doc.credits;
    assert_eq!(
        credits.source_line.as_ref().map(|s| s.text.as_str()),
        Some("المصدر : Transparency News + وكالات")
    );
    assert_eq!(
        credits.publisher.as_ref().map(|p| p.span.text.as_str()),
        Some("Transparency News")
    );
    let unnamed: Vec<&str> = credits
        .credited
        .iter()
        .filter(|c| c.kind == newsflow::record::CreditKind::AgenciesUnnamed)
        .map(|c| c.span.text.as_str())
        .collect();
    assert_eq!(unnamed, vec!["وكالات"]);
    let reuters: Vec<usize> = credits
        .cited
        .iter()
        .filter(|c| c.agency.as_deref() == Some("reuters"))
        .map(|c| c.span.start)
        .collect();
    assert_eq!(
        reuters,
        vec![284, 1295, 1913],
        "Reuters is cited three times as a channel"
    );
    // The source line is excluded from extraction.
    let last = doc.paragraphs.last().expect("paragraphs");
    assert_eq!(last.excluded, Some("source_line"));
}

#[test]
fn model_text_drops_tanween_and_numbers_read_the_glued_article() {
    let (text, doc) = reference();
    let model: String = doc.layers.model.iter().collect();
    assert!(text.contains("وعداً") && !model.contains("وعداً") && model.contains("وعدا "));
    let n72 = doc
        .numbers
        .iter()
        .find(|n| n.value == 72.0)
        .expect("الـ72 is read as 72");
    assert_eq!(doc.span(n72.start, n72.end).text, "الـ72");
    let n200 = doc
        .numbers
        .iter()
        .find(|n| n.value == 200.0)
        .expect("مئتي is read as 200");
    assert_eq!(n200.qualifier.as_deref(), Some("more_than"));
    assert_eq!(doc.span(n200.start, n200.end).text, "أكثر من مئتي");
    let half = doc
        .numbers
        .iter()
        .filter(|n| n.fraction && n.value == 0.5)
        .count();
    assert_eq!(half, 2, "«نصف» twice");
}

#[test]
fn sentences_and_quotes_are_as_a_reader_puts_them() {
    let (_, doc) = reference();
    let sentences: Vec<String> = doc
        .sentences
        .iter()
        .map(|s| doc.span(s.start, s.end).text)
        .collect();
    assert_eq!(sentences.len(), 16, "{sentences:#?}");
    assert!(
        sentences[2].starts_with("وذكرت مصادر عسكرية سورية")
            && sentences[2].ends_with("الفصائل المسلحة.")
    );
    assert!(
        sentences[3].starts_with("وأضافت المصادر") && sentences[3].ends_with("بالقرب من اللاذقية.")
    );
    assert!(
        sentences[13].starts_with("وقال مركز التنسيق الروسي")
            && sentences[13].ends_with("بريفي حلب وإدلب».")
    );
    assert_eq!(sentences[15], "المصدر : Transparency News + وكالات");
    // « and » are quote tokens of their own, and the quotation stays in one sentence.
    let quotes: Vec<char> = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Punct && matches!(doc.layers.model[t.start], '«' | '»'))
        .map(|t| doc.layers.model[t.start])
        .collect();
    assert_eq!(quotes, vec!['«', '»', '«', '»']);
}

#[test]
fn simhash_keeps_edited_copies_close_and_unrelated_articles_apart() {
    let normalizer = Normalizer::new().expect("tables load");
    let mut close = Vec::new();
    let mut apart = Vec::new();
    for name in ["articles-ar.jsonl", "articles-en.jsonl"] {
        let text =
            std::fs::read_to_string(common::shared().join("corpus").join(name)).expect("corpus");
        let bodies: Vec<String> = text
            .lines()
            .take(60)
            .filter_map(|l| {
                serde_json::from_str::<serde_json::Value>(l).ok()?["body"]
                    .as_str()
                    .map(str::to_string)
            })
            .collect();
        let hashes: Vec<u64> = bodies
            .iter()
            .map(|b| simhash(&normalizer.run(b.clone(), None).expect("normalizes")))
            .collect();
        for (i, body) in bodies.iter().enumerate() {
            // A re-scrape with light edits: one word changed, a tracking line appended,
            // doubled spaces and a different line ending.
            let mut words: Vec<&str> = body.split(' ').collect();
            let middle = words.len() / 2;
            words[middle] = "EDITED";
            let edited = format!("{}\r\n\r\nRead more at example.org", words.join("  "));
            let h = simhash(&normalizer.run(edited, None).expect("normalizes"));
            close.push((h ^ hashes[i]).count_ones());
            apart.push((hashes[(i + 1) % hashes.len()] ^ hashes[i]).count_ones());
        }
    }
    close.sort_unstable();
    apart.sort_unstable();
    let p90_close = close[close.len() * 9 / 10];
    let p10_apart = apart[apart.len() / 10];
    eprintln!("simhash: edited copies p90 {p90_close} bits, unrelated p10 {p10_apart} bits");
    // Today (2026-12-01): edited copies p90 7 bits, unrelated articles p10 27 bits.
    assert!(
        p90_close <= 8,
        "edited copies differ by {p90_close} bits (90th percentile)"
    );
    assert!(
        p10_apart >= 25,
        "unrelated articles differ by only {p10_apart} bits (10th percentile)"
    );
    assert_eq!(hamming("00000000000000ff", "000000000000000f"), Some(4));
}
