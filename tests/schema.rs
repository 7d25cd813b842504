//! The committed JSON Schemas under schema/ are the ones the Rust types generate.

use std::process::Command;

#[test]
fn committed_schemas_match_the_types() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let tmp = std::env::temp_dir().join(format!("newsflow-schema-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["schema", "--write"])
        .arg(&tmp)
        .status()
        .expect("newsflow runs");
    assert!(status.success());
    for name in [
        "raw-article.schema.json",
        "enriched-article.schema.json",
        "reject.schema.json",
        "claim-record.schema.json",
    ] {
        let generated = std::fs::read_to_string(tmp.join(name)).expect("generated");
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            generated == committed,
            "schema/{name} drifted from the Rust types: run `cargo run -- schema --write schema` and commit"
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn schema_command_prints_the_enriched_schema() {
    let output = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .arg("schema")
        .output()
        .expect("runs");
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(schema["title"], "EnrichedArticle");
    assert!(schema["properties"]["claims"].is_object());
}
