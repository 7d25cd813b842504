//! `newsflow eval attribution` and `newsflow eval ner` as a user runs them, on the
//! reference article's gold, PolNeAR dev and the entity dev sets, with floors a little
//! under today's figures so that a regression fails here.

mod common;

use std::process::Command;

fn eval(what: &str, paths: &[std::path::PathBuf]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["eval", what])
        .args(paths)
        .env("NEWSFLOW_SHARED", common::shared())
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
    let report = eval(
        "attribution",
        &[common::shared().join("data/seed/aleppo-2024-11-ar.gold.json")],
    );
    // Today (2026-12-01, `newsflow eval attribution
    // ../shared/data/seed/aleppo-2024-11-ar.gold.json`): 18 gold, 18 predicted, 18 matched,
    // speaker, cue class and stance 1.000 each. One claim fewer or one more fails.
    assert_eq!(number_after(&report, "gold "), 18.0, "{report}");
    assert!(number_after(&report, "matched ") >= 18.0, "{report}");
    assert!(number_after(&report, "predicted ") <= 18.0, "{report}");
    for label in [
        "speaker accuracy ",
        "cue class accuracy ",
        "stance accuracy ",
    ] {
        assert!(number_after(&report, label) >= 0.98, "{label}: {report}");
    }
}

#[test]
fn polnear_dev_is_read_and_scored() {
    let report = eval(
        "attribution",
        &[common::shared().join("data/attribution/polnear/dev")],
    );
    assert_eq!(number_after(&report, "documents "), 84.0, "{report}");
    assert_eq!(number_after(&report, "gold "), 2192.0, "{report}");
    // Today (2026-12-01, `newsflow eval attribution ../shared/data/attribution/polnear/dev`):
    // F1 0.700 (precision 0.771, recall 0.641), speaker accuracy 0.946.
    assert!(number_after(&report, "F1 ") >= 0.69, "{report}");
    assert!(
        number_after(&report, "speaker accuracy ") >= 0.93,
        "{report}"
    );
}

#[test]
fn the_arabic_attribution_set_is_read_from_the_shared_corpora_and_scored() {
    let gold = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/gold/ar-attribution/dev.jsonl");
    let report = eval("attribution", &[gold]);
    assert_eq!(number_after(&report, "documents "), 48.0, "{report}");
    assert_eq!(number_after(&report, "gold "), 269.0, "{report}");
    // Today (2026-12-04, `newsflow eval attribution data/gold/ar-attribution/dev.jsonl`):
    // F1 0.851 (precision 0.854, recall 0.848), speaker accuracy 0.904, cue class 0.995.
    assert!(number_after(&report, "F1 ") >= 0.84, "{report}");
    assert!(
        number_after(&report, "speaker accuracy ") >= 0.89,
        "{report}"
    );
}

/// The overall row of each file's section of a `newsflow eval ner` report: (sentences, gold,
/// F1), by the path the section names.
fn ner_overall(report: &str) -> Vec<(String, usize, usize, f64)> {
    report
        .split("== ")
        .skip(1)
        .map(|section| {
            let name = section.lines().next().unwrap_or_default().to_string();
            let overall: Vec<&str> = section
                .lines()
                .find(|l| l.starts_with("overall"))
                .unwrap_or_else(|| panic!("no overall row for {name}: {report}"))
                .split_whitespace()
                .collect();
            let sentences = section
                .lines()
                .find_map(|l| l.strip_suffix(" sentences"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no sentence count for {name}: {report}"));
            let gold = overall[4].parse().expect("gold count");
            let f1 = overall[3].parse().expect("F1");
            (name, sentences, gold, f1)
        })
        .collect()
}

#[test]
fn entity_f1_on_the_dev_sets_stays_near_today_s() {
    let ner = common::shared().join("data/ner");
    let files = [
        ner.join("conll2003_en_dev.tsv"),
        // ANERcorp's held-out slice: the bundled Arabic model trains on sentences before 3400.
        std::path::PathBuf::from(format!(
            "{}:3400..",
            ner.join("anercorp_train.tsv").display()
        )),
        ner.join("aqmar_dev.tsv"),
    ];
    let report = eval("ner", &files);
    let scores = ner_overall(&report);
    // Today (2026-12-03, `newsflow eval ner` on the three files): overall F1 0.906 on
    // CoNLL 2003 English dev (with NLP4J's clusters and gazetteer), 0.726 on the ANERcorp
    // slice, 0.584 on AQMAR dev (with clusters learned from the ANT corpus and the Arabic
    // name gazetteer); the floors sit 0.015 under. The sentence and gold counts pin what is scored.
    let expected = [
        ("conll2003_en_dev.tsv", 3250, 5942, 0.891),
        ("anercorp_train.tsv:3400..", 382, 1003, 0.711),
        ("aqmar_dev.tsv", 710, 1212, 0.569),
    ];
    assert_eq!(scores.len(), expected.len(), "{report}");
    for ((name, sentences, gold, f1), (file, want_sentences, want_gold, floor)) in
        scores.iter().zip(expected)
    {
        assert!(name.ends_with(file), "{name} is not {file}: {report}");
        assert_eq!(
            (*sentences, *gold),
            (want_sentences, want_gold),
            "{file}: sentences and gold entities"
        );
        assert!(
            *f1 >= floor,
            "{file}: overall entity F1 {f1:.3} under the floor {floor:.3}:\n{report}"
        );
    }
}

#[test]
fn stories_beat_the_word_overlap_baseline_on_the_development_week() {
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gold/stories/dev.jsonl");
    let report = eval("stories", &[gold]);
    // Today (2026-12-02, `newsflow eval stories data/gold/stories/dev.jsonl`): newsflow
    // B-cubed F1 0.846, the baseline 0.636 (713 articles). The first report is newsflow's.
    let (ours, baseline) = report
        .split_once("baseline")
        .unwrap_or_else(|| panic!("no baseline report in {report}"));
    assert_eq!(number_after(ours, "articles "), 713.0, "{report}");
    let f1 = |r: &str| number_after(r.split("B-cubed").nth(1).unwrap_or(""), "F1 ");
    assert!(f1(ours) >= 0.83, "{report}");
    assert!(f1(ours) > f1(baseline) + 0.15, "{report}");
}

#[test]
fn the_ledger_groups_propositions_and_counts_origins_better_than_naive_counts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = eval(
        "propositions",
        &[
            root.join("data/gold/stories/propositions/dev.reports.jsonl"),
            "--stories".into(),
            root.join("data/gold/stories/dev.jsonl"),
        ],
    );
    // Today (2026-12-03, `newsflow eval propositions
    // data/gold/stories/propositions/dev.reports.jsonl`): 980 gold reports, 547 matched;
    // propositions B-cubed F1 0.476 (one per story 0.332); origins count error 1.25 per
    // proposition (one per report 3.83, one per speaker 1.66).
    assert_eq!(number_after(&report, "gold reports "), 980.0, "{report}");
    let matched = number_after(&report, "matched to a claim ");
    assert!(matched >= 500.0, "{report}");
    let section = |name: &str| report.split(name).nth(1).unwrap_or("").to_string();
    let groups = section("propositions (");
    let f1 = |r: &str, row: &str| number_after(r.split(row).nth(1).unwrap_or(""), "F1 ");
    assert!(
        f1(&groups, "newsflow") > f1(&groups, "one per story") + 0.1,
        "{report}"
    );
    let origins = section("origins within");
    let error = |row: &str| number_after(origins.split(row).nth(1).unwrap_or(""), "count error ");
    assert!(
        error("newsflow") < error("one per report") / 2.0,
        "{report}"
    );
    assert!(error("newsflow") < error("one per speaker"), "{report}");
}
