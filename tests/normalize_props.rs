//! Whatever the text, the pipeline gives a valid record or a reject with a reason, never a
//! panic, and every span it emits points into the text as received.

mod common;

use newsflow::pipeline::{Limits, Outcome, Pipeline};
use newsflow::record::{InputCoordinates, RawArticle, RejectReason};
use proptest::prelude::*;

fn pipeline() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| Pipeline::new(Limits::default()).expect("loads"))
}

fn run(body: &str) -> Outcome {
    let article = RawArticle {
        body: Some(body.to_string()),
        ..Default::default()
    };
    pipeline().process(article, InputCoordinates::default()).0
}

fn check(body: &str) -> Result<(), TestCaseError> {
    match run(body) {
        Outcome::Enriched(record) => {
            let value = serde_json::to_value(&record).expect("serialises");
            let bad = common::offset_violations(&value);
            prop_assert!(bad.is_empty(), "spans off for {body:?}: {bad:?}");
        }
        Outcome::Rejected(reject) => {
            prop_assert!(
                matches!(reject.reason, RejectReason::EmptyText),
                "unexpected reject {:?} for {body:?}",
                reject.reason
            );
        }
    }
    Ok(())
}

fn news_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "قال",
        "وقالت",
        "مصادر",
        "عسكرية",
        "لوكالة",
        "\"رويترز\"",
        "أن",
        "إن",
        "نفى",
        "مشيرا",
        "إلى",
        "«",
        "»",
        "الـ72",
        "ساعة",
        "أكثر من",
        "مئتي",
        "نصف",
        "بحلب",
        "للجيش السوري",
        "وفق رويترز",
        "(الفرنسية)",
        "المصدر :",
        "+",
        "وكالات",
        "Reuters",
        "said",
        "told",
        "that",
        "according to",
        "denied",
        "\"",
        "“",
        "”",
        ",",
        "،",
        ".",
        "؟",
        "\n",
        "\n\n",
        " ",
        "  ",
        "ً",
        "ـ",
        "\u{0654}",
        "\u{200F}",
        "\u{00A0}",
        "ﻻ",
        "𝒜",
        "😀",
        "\u{E000}",
        "\u{0378}",
        "\u{0301}",
        "٧٢",
        "U.S.",
        "Mr.",
        "3.5",
        "10:30",
        "-",
        "—",
        "DAMASCUS (Reuters) -",
        "By Jane Doe",
        "Source: AP",
    ]);
    prop::collection::vec(pieces, 1..60).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(400), ..ProptestConfig::default() })]

    #[test]
    fn news_like_text_never_panics_and_spans_stay_exact(body in news_like()) {
        check(&body)?;
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_stay_exact(body in any::<String>()) {
        check(&body)?;
    }
}

#[test]
fn hostile_bodies_give_records_or_reasons() {
    let big = "الجيش السوري قال إن القصف مستمر. ".repeat(10 << 20 >> 6); // about 10 MB
    let one_word = "ب".repeat(1 << 20);
    let cases: Vec<(&str, String)> = vec![
        ("markup only", "<p></p><div><br/></div>".into()),
        ("lone combining marks", "\u{0301}\u{0651}\u{064B}".into()),
        ("private use", "\u{E000}\u{E001} \u{F8FF}".into()),
        ("unassigned", "\u{0378}\u{0379} \u{FFFF}".into()),
        (
            "mixed scripts in one word",
            "Reutersرويترز؟Agenceفرانس".into(),
        ),
        ("one 1 MB word", one_word),
        ("a 10 MB body", big),
    ];
    for (what, body) in cases {
        match run(&body) {
            Outcome::Enriched(record) => {
                let value = serde_json::to_value(&record).expect("serialises");
                assert!(
                    common::offset_violations(&value).is_empty(),
                    "{what}: spans off"
                );
            }
            Outcome::Rejected(reject) => {
                assert!(!reject.message.is_empty(), "{what}: a reject says why");
            }
        }
    }
}
