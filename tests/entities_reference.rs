//! The entity stage on the reference article, scored against its gold entities the way a
//! reader would check them: the right referent, type and canonical name, at the gold
//! offsets in the text as received, and places linked to GeoNames with coordinates.

mod common;

use common::reference;
use serde_json::Value;

/// The entity with a mention at one of the gold entity's gold spans.
fn found<'a>(record: &'a Value, gold: &Value) -> Option<&'a Value> {
    let spans = mention_spans(gold);
    record["entities"]
        .as_array()?
        .iter()
        .find(|e| mention_spans(e).iter().any(|s| spans.contains(s)))
}

#[test]
fn the_reference_article_s_entities_are_found_typed_named_and_linked() {
    let (record, gold) = reference();
    let entities = gold["entities"].as_array().expect("gold entities");
    let mut right = Vec::new();
    for g in entities {
        if let Some(e) = found(&record, g)
            && e["type"] == g["type"]
            && e["name"] == g["canonical_en"]
        {
            right.push(g["key"].as_str().unwrap_or_default());
        }
    }
    // Today (2026-12-01) 17 of 23 right; the 6 others are found at their spans with the
    // right type but named otherwise (Mare' as «Mari'», and the five Idlib villages GeoNames
    // lacks in Arabic). The floor is today's count; the goal is 20 of 23 (see the README).
    assert!(
        right.len() >= 17,
        "{} of {} gold entities right: {right:?}",
        right.len(),
        entities.len()
    );
    for key in ["khmeimim", "aleppo_citadel", "aleppo_airport"] {
        assert!(
            right.contains(&key),
            "{key} is not found as a FAC: {right:?}"
        );
    }
    // Mare' is in GeoNames: it is linked there, with its coordinates and country.
    let marea = entities
        .iter()
        .find(|g| g["key"] == "marea")
        .expect("gold Mare'");
    let e = found(&record, marea).expect("Mare' found");
    assert_eq!(e["type"], "GPE", "{e}");
    assert_eq!(e["kb"]["source"], "geonames", "{e}");
    assert_eq!(e["geo"]["country_code"], "SY", "{e}");
    assert!(
        e["geo"]["latitude"]
            .as_f64()
            .is_some_and(|l| (l - 36.48).abs() < 0.05),
        "{e}"
    );
}

#[test]
fn every_gold_mention_of_aleppo_and_russia_is_found_nested_ones_included() {
    let (record, gold) = reference();
    for key in ["aleppo", "russia", "idlib"] {
        let g = gold["entities"]
            .as_array()
            .and_then(|es| es.iter().find(|g| g["key"] == key))
            .expect("gold entity");
        let e = found(&record, g).expect("found");
        // «حلب» in «قلعة حلب» and «مطار حلب» is a mention of Aleppo too.
        assert_eq!(mention_spans(e), mention_spans(g), "{key}: {e}");
    }
}

#[test]
fn the_idlib_villages_geonames_lacks_are_found_as_places_with_latin_names() {
    let (record, gold) = reference();
    for key in ["al_bara", "binnin", "ruwayhah", "khan_subul", "maardabsa"] {
        let g = gold["entities"]
            .as_array()
            .and_then(|es| es.iter().find(|g| g["key"] == key))
            .expect("gold entity");
        let e = found(&record, g).unwrap_or_else(|| panic!("{key} not found at its gold span"));
        // Not linked (GeoNames extracts reachable here lack them): named in Latin script by
        // dictionary or transliteration, the Arabic kept beside.
        assert_eq!(e["type"], "GPE", "{key}: {e}");
        assert_eq!(e["name_ar"], g["surface"], "{key}: {e}");
        let name = e["name"].as_str().unwrap_or_default();
        assert!(
            name.len() >= 4
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || " -'".contains(c)),
            "{key}: {e}"
        );
        assert!(
            ["dictionary", "transliterated"].contains(&e["name_source"].as_str().unwrap_or("")),
            "{key}: {e}"
        );
    }
}

#[test]
fn every_gold_entity_found_has_a_latin_script_name_and_its_source() {
    let (record, gold) = reference();
    for g in gold["entities"].as_array().expect("gold entities") {
        let Some(e) = found(&record, g) else { continue };
        let name = e["name"].as_str().unwrap_or_default();
        assert!(
            !name.is_empty() && !name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{}: {e}",
            g["key"]
        );
        assert!(e["name_source"].is_string(), "{}: {e}", g["key"]);
    }
}

/// The `(start, end)` of every mention of an entity (predicted or gold).
fn mention_spans(entity: &Value) -> Vec<(u64, u64)> {
    entity["mentions"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    (
                        m["start"].as_u64().unwrap_or(0),
                        m["end"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_reference_article_has_few_spurious_entities_or_mentions() {
    let (record, gold) = reference();
    let gold_spans: Vec<(u64, u64)> = gold["entities"]
        .as_array()
        .expect("gold entities")
        .iter()
        .flat_map(mention_spans)
        .collect();
    let predicted = record["entities"].as_array().expect("entities");
    let describe = |e: &Value| format!("{} {}", e["type"], e["name"]);
    let spurious_entities: Vec<String> = predicted
        .iter()
        .filter(|e| !mention_spans(e).iter().any(|s| gold_spans.contains(s)))
        .map(describe)
        .collect();
    let spurious_mentions: Vec<String> = predicted
        .iter()
        .flat_map(|e| {
            mention_spans(e)
                .into_iter()
                .filter(|s| !gold_spans.contains(s))
                .map(move |(start, end)| format!("{} at {start}..{end}", describe(e)))
        })
        .collect();
    // Today (2026-12-01), 26 entities predicted for the gold's 23, 3 of them at no gold
    // span: LOC «سورية» (the adjective "Syrian" of «مصادر عسكرية سورية», twice), PER
    // «دعما جويا» ("air support") and ORG «سلاح الجو الروسي» (the Russian air force, which
    // the gold leaves out). 6 predicted mentions lie at no gold span: those 4, the
    // adjective «سورية» of «وسائل إعلام سورية» as a mention of Syria, and «المرصد» as a
    // mention of the Observatory. A new spurious entity or mention fails here.
    assert!(
        spurious_entities.len() <= 3,
        "{} entities at no gold span (3 today): {spurious_entities:#?}",
        spurious_entities.len()
    );
    assert!(
        spurious_mentions.len() <= 6,
        "{} mentions at no gold span (6 today): {spurious_mentions:#?}",
        spurious_mentions.len()
    );
}
