//! Whatever the text, the pipeline gives a valid record or a reject with a reason that
//! names what is wrong with the input, never a panic (a caught panic is a `stage_failed`
//! reject, which these tests do not accept), and every span it emits points into the text
//! as received.

mod common;

use newsflow::pipeline::{Limits, Outcome, Pipeline};
use newsflow::record::{InputCoordinates, RawArticle, RejectReason};
use proptest::prelude::*;

fn pipeline() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        Pipeline::new(Limits::default())
            .expect("loads")
            .with_full_texts(true)
    })
}

fn run(body: &str) -> Outcome {
    let article = RawArticle {
        body: Some(body.to_string()),
        ..Default::default()
    };
    pipeline().process(article, InputCoordinates::default()).0
}

/// True for the reasons that say what is wrong with an input; false for a stage's failure
/// (a bug) and for the worker's output reasons, which the pipeline never gives.
fn input_reason(reason: RejectReason) -> bool {
    match reason {
        RejectReason::EmptyMessage
        | RejectReason::InvalidUtf8
        | RejectReason::NotJson
        | RejectReason::NotObject
        | RejectReason::InvalidField
        | RejectReason::MissingText
        | RejectReason::EmptyText
        | RejectReason::TooLarge => true,
        RejectReason::StageFailed | RejectReason::OutputTooLarge | RejectReason::OutputRejected => {
            false
        }
    }
}

/// An enriched record has exact spans; a reject has a reason `allowed` accepts (never
/// `stage_failed`) and a message.
fn check_outcome(
    outcome: Outcome,
    allowed: &dyn Fn(RejectReason) -> bool,
    what: &dyn std::fmt::Debug,
) -> Result<(), TestCaseError> {
    match outcome {
        Outcome::Enriched(record) => {
            let value = serde_json::to_value(&record).expect("serialises");
            let bad = common::offset_violations(&value);
            prop_assert!(bad.is_empty(), "spans off for {what:?}: {bad:?}");
        }
        Outcome::Rejected(reject) => {
            prop_assert!(
                allowed(reject.reason),
                "unexpected reject {:?} ({}) for {what:?}",
                reject.reason,
                reject.message
            );
            prop_assert!(!reject.message.is_empty(), "a reject says why: {what:?}");
        }
    }
    Ok(())
}

/// A body is enriched or, when it has no text, rejected as `empty_text`.
fn check(body: &str) -> Result<(), TestCaseError> {
    check_outcome(run(body), &|r| r == RejectReason::EmptyText, &body)
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
        "واتهمت",
        "تتهم",
        "باختلاق",
        "بـ",
        "وجاء في",
        "على لسان",
        "البيان",
        "ما وصفه",
        "تعهد",
        "الذي",
        "التي",
        "فيها",
        "أيضا",
        "ذلك",
        "لكنه",
        "الا ان",
        "الحكومة",
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

    /// Any bytes as an input line: a record, or a reject saying what is wrong with them.
    #[test]
    fn arbitrary_input_bytes_give_records_or_input_rejects(
        bytes in prop_oneof![
            any::<Vec<u8>>(),
            news_like().prop_map(|body| serde_json::json!({ "body": body }).to_string().into_bytes()),
        ]
    ) {
        let outcome = pipeline().process_bytes(&bytes, InputCoordinates::default()).0;
        check_outcome(outcome, &input_reason, &String::from_utf8_lossy(&bytes))?;
    }

    /// An HTML-only article of news-like text in markup, with any metadata: a record whose
    /// spans point into the extracted text, or `empty_text`.
    #[test]
    fn html_only_articles_and_any_metadata_give_records_or_empty_text(
        pieces in prop::collection::vec(
            prop_oneof![news_like(), prop::sample::select(vec![
                "<p>", "</p>", "<br>", "<b>", "</b>", "<script>var a = '<p>';</script>",
                "<style>p { x: 1 }</style>", "&amp;", "&laquo;", "&#1575;", "&#x627;", "&bogus;",
                "<!-- c -->", "<a href=\"x\">", "</a>", "<", ">", "&",
            ]).prop_map(str::to_string)],
            1..20,
        ),
        language in prop::option::of(any::<String>()),
        published_at in prop::option::of(any::<String>()),
    ) {
        let html = pieces.concat();
        let article = RawArticle {
            html: Some(html.clone()),
            language,
            published_at,
            ..Default::default()
        };
        let outcome = pipeline().process(article, InputCoordinates::default()).0;
        check_outcome(outcome, &|r| r == RejectReason::EmptyText, &html)?;
    }
}

#[test]
fn hostile_bodies_give_records_or_empty_text_never_stage_failed() {
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
        if let Err(e) = check(&body) {
            panic!("{what}: {e}");
        }
    }
}
