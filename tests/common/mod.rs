//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod kafka;

use std::path::PathBuf;

use serde_json::Value;

/// The shared data folder beside the checkout (`../shared`), or `NEWSFLOW_SHARED`.
///
/// Tests that read it fail loudly when it is missing: a skipped corpus test proves nothing.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("NEWSFLOW_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("corpus").is_dir(),
        "the shared data folder {} is missing: clone newsflow beside shared/ or set NEWSFLOW_SHARED",
        dir.display()
    );
    dir
}

/// The reference article (`corpus/aleppo-2024-11-ar.txt`) as the pipeline enriches it, and
/// its gold file (`data/seed/aleppo-2024-11-ar.gold.json`).
pub fn reference() -> (Value, Value) {
    use newsflow::pipeline::{Limits, Outcome, Pipeline};
    let shared = shared();
    let body = std::fs::read_to_string(shared.join("corpus/aleppo-2024-11-ar.txt"))
        .expect("reference article");
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("data/seed/aleppo-2024-11-ar.gold.json"))
            .expect("gold file"),
    )
    .expect("gold JSON");
    let line = serde_json::json!({ "body": body, "language": "ar" }).to_string();
    let pipeline = Pipeline::new(Limits::default()).expect("bundled data loads");
    match pipeline
        .process_bytes(line.as_bytes(), Default::default())
        .0
    {
        Outcome::Enriched(record) => (serde_json::to_value(&record).expect("serialises"), gold),
        Outcome::Rejected(r) => panic!("reference article rejected: {}", r.message),
    }
}

/// Every `{start, end, text}` object in a record, with its JSON path.
pub fn spans(value: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("start") && map.contains_key("end") && map.contains_key("text") {
                out.push((path.clone(), value.clone()));
            }
            for (k, v) in map {
                spans(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                spans(v, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Checks the offset rule on every span of a record: `field[start:end] == text` in code
/// points. Returns the violations.
pub fn offset_violations(record: &Value) -> Vec<String> {
    let mut found = Vec::new();
    spans(record, String::new(), &mut found);
    let mut bad = Vec::new();
    let body: Vec<char> = record["body"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .collect();
    let field =
        |name: &str| -> Vec<char> { record[name].as_str().unwrap_or_default().chars().collect() };
    let (title, byline, dateline) = (field("title"), field("byline"), field("dateline"));
    for (path, span) in found {
        let text = match span.get("field").and_then(Value::as_str) {
            Some("title") => &title,
            Some("byline") => &byline,
            Some("dateline") => &dateline,
            _ => &body,
        };
        let start = span["start"].as_u64().unwrap_or(u64::MAX) as usize;
        let end = span["end"].as_u64().unwrap_or(u64::MAX) as usize;
        if start > end || end > text.len() {
            bad.push(format!(
                "{path}: {start}..{end} outside a text of {}",
                text.len()
            ));
            continue;
        }
        // A span without its text (paragraphs and sentences by default) has only its
        // bounds to check.
        let Some(expected) = span.get("text").and_then(Value::as_str) else {
            continue;
        };
        let actual: String = text[start..end].iter().collect();
        if actual != expected {
            bad.push(format!(
                "{path}: {start}..{end} is {actual:?}, span says {expected:?}"
            ));
        }
    }
    bad
}

/// The committed JSON Schema of a record, compiled.
pub fn validator(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("committed schema is JSON");
    jsonschema::validator_for(&schema).expect("committed schema compiles")
}
