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

#[test]
fn arabic_corpus_enriches_with_exact_spans() {
    let records = enrich_corpus("articles-ar.jsonl");
    assert_eq!(records.len(), 254);
    let arabic = records
        .iter()
        .filter(|r| r["language"]["code"] == "ar")
        .count();
    assert!(arabic >= 250, "only {arabic} of 254 read as Arabic");
    // The AFP credit «(الفرنسية)» of the wire copy is a credited agency.
    let afp_credits = records
        .iter()
        .flat_map(|r| {
            r["credits"]["credited"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|c| c["agency"] == "afp")
        .count();
    assert!(afp_credits > 0, "no AFP credit found in the Arabic corpus");
    let with_entities = records
        .iter()
        .filter(|r| !r["entities"].as_array().is_none_or(Vec::is_empty))
        .count();
    assert!(
        with_entities > 200,
        "only {with_entities} Arabic articles have entities"
    );
}

#[test]
fn english_corpus_enriches_with_exact_spans() {
    let records = enrich_corpus("articles-en.jsonl");
    assert_eq!(records.len(), 840);
    let english = records
        .iter()
        .filter(|r| r["language"]["code"] == "en")
        .count();
    assert!(english >= 835, "only {english} of 840 read as English");
    let claims: usize = records
        .iter()
        .map(|r| r["claims"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(
        claims > 2000,
        "only {claims} claims in 840 English political articles"
    );
}
