//! `newsflow eval attribution` as a user runs it, on the reference article's gold and on
//! PolNeAR dev.

mod common;

use std::process::Command;

fn eval(path: &std::path::Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["eval", "attribution"])
        .arg(path)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn number_after(report: &str, label: &str) -> f64 {
    report
        .split(label)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {label:?} in {report}"))
}

#[test]
fn the_reference_article_claims_match_their_gold() {
    let report = eval(&common::shared().join("data/seed/aleppo-2024-11-ar.gold.json"));
    assert!(number_after(&report, "matched ") >= 16.0, "{report}");
    assert!(
        number_after(&report, "cue class accuracy ") >= 0.85,
        "{report}"
    );
    assert!(
        number_after(&report, "stance accuracy ") >= 0.95,
        "{report}"
    );
    assert!(
        number_after(&report, "speaker accuracy ") >= 0.85,
        "{report}"
    );
}

#[test]
fn polnear_dev_is_read_and_scored() {
    let report = eval(&common::shared().join("data/attribution/polnear/dev"));
    assert!(number_after(&report, "documents ") >= 80.0, "{report}");
    assert!(number_after(&report, "gold ") >= 2000.0, "{report}");
    // A floor against regressions a little under today's 0.700 (the goal is 0.70), and
    // the speaker goal of 0.80.
    assert!(number_after(&report, "F1 ") >= 0.69, "{report}");
    assert!(
        number_after(&report, "speaker accuracy ") >= 0.80,
        "{report}"
    );
}
