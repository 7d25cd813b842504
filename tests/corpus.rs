//! The shared corpora end to end: one schema-valid record per article, every span exact.

mod common;

use newsflow::pipeline::{Limits, Outcome, Pipeline};
use newsflow::record::InputCoordinates;
use serde_json::Value;

fn enrich_corpus(name: &str) -> Vec<Value> {
    let path = common::shared().join("corpus").join(name);
    let text = std::fs::read_to_string(&path).expect("corpus is readable");
    let pipeline = Pipeline::new(Limits::default()).expect("bundled data loads");
    let validator = common::validator("enriched-article.schema.json");
    let mut records = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let coords = InputCoordinates {
            file: Some(name.into()),
            line: Some(n as u64 + 1),
            ..Default::default()
        };
        match pipeline.process_bytes(line.as_bytes(), coords).0 {
            Outcome::Enriched(record) => {
                let value = serde_json::to_value(&record).expect("record serialises");
                let errors: Vec<String> = validator
                    .iter_errors(&value)
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{name} line {}: not schema-valid: {errors:?}",
                    n + 1
                );
                let bad = common::offset_violations(&value);
                assert!(bad.is_empty(), "{name} line {}: spans off: {bad:#?}", n + 1);
                records.push(value);
            }
            Outcome::Rejected(reject) => panic!("{name} line {}: rejected: {reject:?}", n + 1),
        }
    }
    records
}

/// What is counted over a corpus's records, by name: articles read as `language`, with
/// entities, with claims; entities, claims, corroborations, contradictions and AFP credits.
fn figures(records: &[Value], language: &str) -> Vec<(&'static str, usize)> {
    let with = |field: &str| {
        records
            .iter()
            .filter(|r| r[field].as_array().is_some_and(|a| !a.is_empty()))
            .count()
    };
    let items = |pick: &dyn Fn(&Value) -> &Value, keep: &dyn Fn(&Value) -> bool| {
        records
            .iter()
            .flat_map(|r| pick(r).as_array().cloned().unwrap_or_default())
            .filter(|item| keep(item))
            .count()
    };
    vec![
        (
            "articles read as the corpus's language",
            records
                .iter()
                .filter(|r| r["language"]["code"] == language)
                .count(),
        ),
        ("articles with entities", with("entities")),
        ("entities", items(&|r| &r["entities"], &|_| true)),
        ("articles with claims", with("claims")),
        ("claims", items(&|r| &r["claims"], &|_| true)),
        (
            "corroborations",
            items(&|r| &r["relations"], &|rel| rel["kind"] == "corroborates"),
        ),
        (
            "contradictions",
            items(&|r| &r["relations"], &|rel| rel["kind"] == "contradicts"),
        ),
        // The AFP credit «(الفرنسية)» of the Arabic wire copy is a credited agency.
        (
            "AFP credits",
            items(&|r| &r["credits"]["credited"], &|c| c["agency"] == "afp"),
        ),
    ]
}

/// Asserts each figure is at least its floor: `(name, floor, today's figure)`.
fn at_least(figures: &[(&str, usize)], floors: &[(&str, usize, usize)]) {
    assert_eq!(figures.len(), floors.len(), "a floor for every figure");
    for ((name, value), (floor_name, floor, today)) in figures.iter().zip(floors) {
        assert_eq!(name, floor_name, "floors in the order of the figures");
        assert!(
            value >= floor,
            "{name}: {value}, under the floor {floor} (2026-12-01: {today})"
        );
    }
}

#[test]
fn arabic_corpus_enriches_with_exact_spans() {
    let records = enrich_corpus("articles-ar.jsonl");
    assert_eq!(records.len(), 254);
    // The floors sit about 5% under the figures of 2026-12-01 (`newsflow enrich
    // ../shared/corpus/articles-ar.jsonl`), all-or-nothing and small ones closer.
    at_least(
        &figures(&records, "ar"),
        &[
            ("articles read as the corpus's language", 252, 254),
            ("articles with entities", 250, 254),
            ("entities", 5_020, 5_288),
            ("articles with claims", 195, 206),
            ("claims", 1_275, 1_343),
            ("corroborations", 72, 76),
            ("contradictions", 5, 5),
            ("AFP credits", 29, 31),
        ],
    );
}

#[test]
fn english_corpus_enriches_with_exact_spans() {
    let records = enrich_corpus("articles-en.jsonl");
    assert_eq!(records.len(), 840);
    // The floors sit about 5% under the figures of 2026-12-01 (`newsflow enrich
    // ../shared/corpus/articles-en.jsonl`), all-or-nothing ones closer.
    at_least(
        &figures(&records, "en"),
        &[
            ("articles read as the corpus's language", 835, 840),
            ("articles with entities", 835, 840),
            ("entities", 26_300, 27_712),
            ("articles with claims", 830, 836),
            ("claims", 14_780, 15_561),
            ("corroborations", 740, 779),
            ("contradictions", 29, 31),
            ("AFP credits", 8, 9),
        ],
    );
}
