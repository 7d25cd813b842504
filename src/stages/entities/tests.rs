//! The entity stage on short texts, with the bundled tables and models.

use super::*;
use crate::record::{Entity, EntityType};
use crate::stages::normalize::Normalizer;

/// The entities the stage finds in `text`, with the bundled tables and models.
fn entities_of(text: &str) -> Vec<Entity> {
    let normalizer = Normalizer::new().expect("tables load");
    let tagger = EntityTagger::new().expect("models load");
    let doc = normalizer.run(text.into(), None).expect("normalizes");
    tagger.run(&doc).entities
}

#[test]
fn particles_and_generic_nouns_are_never_names_alone() {
    let entities = entities_of(
        "أفاد المرصد السوري لحقوق الإنسان بأن القصف مستمر في ريف إدلب، ونفى المحافظ وقوع أي وفيات.",
    );
    let names: Vec<&str> = entities
        .iter()
        .flat_map(|e| e.mentions.iter().map(|m| m.text.as_str()))
        .collect();
    for word in ["بأن", "ريف", "أي", "وقوع أي", "ريف إدلب"] {
        assert!(!names.contains(&word), "{word} tagged as a name: {names:?}");
    }
    assert!(names.contains(&"إدلب"), "{names:?}");
}

#[test]
fn places_after_a_place_descriptor_are_linked_list_and_all() {
    let entities = entities_of("وقصفت الطائرات بلدات تفتناز وتل تمر وصوران، وقرية زاكية.");
    let linked: Vec<(&str, &str)> = entities
        .iter()
        .filter(|e| e.kb.as_ref().is_some_and(|kb| kb.source == "geonames"))
        .filter_map(|e| {
            Some((
                e.mentions[0].text.as_str(),
                e.geo.as_ref()?.country_code.as_str(),
            ))
        })
        .collect();
    for place in ["تفتناز", "تل تمر", "صوران", "زاكية"] {
        assert!(linked.contains(&(place, "SY")), "{place} not in {linked:?}");
    }
}

#[test]
fn villages_geonames_lacks_are_places_after_a_descriptor_and_common_words_are_not() {
    let entities = entities_of(
        "قصفت المدفعية بلدات المزيرعة والشويحة وخان الجوز وكفر سجنة، ووصلت إلى مناطق انتشارها.",
    );
    let places: Vec<(&str, bool)> = entities
        .iter()
        .filter(|e| e.kind == EntityType::GPE)
        .map(|e| (e.mentions[0].text.as_str(), e.kb.is_none()))
        .collect();
    assert!(places.contains(&("الشويحة", true)), "{places:?}");
    assert!(places.contains(&("خان الجوز", true)), "{places:?}");
    assert!(places.contains(&("كفر سجنة", true)), "{places:?}");
    assert!(
        !places.iter().any(|(name, _)| name.contains("انتشار")),
        "{places:?}"
    );
}

#[test]
fn a_syrian_source_is_no_mention_of_syria() {
    let entities = entities_of("قالت مصادر عسكرية سورية إن القوات انتشرت في سورية.");
    let syria = entities.iter().find(|e| e.name == "Syria").expect("Syria");
    let spans: Vec<&str> = syria.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(spans, ["سورية"]);
    assert!(syria.mentions[0].start > 20, "{spans:?}");
    // Nor does the tagger make the adjective a place of its own.
    let others: Vec<&str> = entities
        .iter()
        .filter(|e| e.name != "Syria")
        .flat_map(|e| e.mentions.iter().map(|m| m.text.as_str()))
        .collect();
    assert!(!others.contains(&"سورية"), "{others:?}");
}

#[test]
fn an_adjective_agreeing_with_the_descriptor_is_no_place() {
    let entities =
        entities_of("انسحبت القوات إلى منطقة صحراوية ثم إلى مناطق شاسعة قرب قرية الشويحة.");
    let places: Vec<&str> = entities
        .iter()
        .filter(|e| e.kind == EntityType::GPE)
        .map(|e| e.mentions[0].text.as_str())
        .collect();
    assert_eq!(places, ["الشويحة"]);
}

#[test]
fn a_place_inside_a_facility_s_name_is_a_mention_of_it_too() {
    let entities = entities_of("أغلقت السلطات مطار حلب الدولي أمس.");
    let named = |name: &str| {
        entities.iter().find(|e| e.name == name).map(|e| {
            e.mentions
                .iter()
                .map(|m| m.text.clone())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        named("Aleppo International Airport"),
        Some(vec!["مطار حلب الدولي".into()])
    );
    assert_eq!(named("Aleppo"), Some(vec!["حلب".into()]));
}

#[test]
fn a_conjunction_fused_to_a_tagged_name_is_left_out_of_its_mention() {
    let normalizer = Normalizer::new().expect("tables load");
    let tagger = EntityTagger::new().expect("models load");
    let doc = normalizer
        .run("وخان وليد والجيش".into(), None)
        .expect("normalizes");
    let fused: Vec<usize> = doc
        .tokens
        .iter()
        .map(|t| tagger.tagger.fused_proclitic(&doc, t))
        .collect();
    // «خان» is a treebank word and «وخان» is not; «وليد» is one word; the article of
    // «الجيش» stays with the word.
    assert_eq!(fused, [1, 0, 1]);
}

#[test]
fn locations_the_tagger_finds_are_linked_to_geonames() {
    let entities =
        entities_of("Officials in Khartoum said the delegation would fly to Nairobi next week.");
    let khartoum = entities
        .iter()
        .find(|e| e.name == "Khartoum")
        .expect("Khartoum found");
    assert_eq!(khartoum.kind, EntityType::GPE);
    let kb = khartoum.kb.as_ref().expect("linked");
    assert_eq!((kb.source.as_str(), kb.id.as_str()), ("geonames", "379252"));
    let geo = khartoum.geo.as_ref().expect("coordinates");
    assert_eq!(geo.country_code, "SD");
    assert!(geo.latitude.is_some_and(|l| (l - 15.55).abs() < 0.1));
}

#[test]
fn the_tagger_overrules_a_knowledge_base_match_it_reads_as_something_else() {
    // «Moscow» is a knowledge-base city; inside a club's name in a list of results it is
    // part of a team.
    let scores =
        entities_of("SOCCER - RUSSIAN PREMIER LEAGUE RESULTS. Spartak Moscow 2 Rotor Volgograd 1.");
    let club = scores
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.text.contains("Moscow")))
        .expect("the club found");
    assert_eq!(club.kind, EntityType::ORG, "{club:?}");
    assert_eq!(club.name, "Spartak Moscow", "{club:?}");
    assert!(club.kb.is_none(), "{club:?}");
    // In running text the city stands, linked.
    let city = entities_of("The talks in Moscow ended without an agreement, officials said.");
    let moscow = city
        .iter()
        .find(|e| e.name == "Moscow")
        .expect("Moscow found");
    assert_eq!(moscow.kind, EntityType::GPE, "{moscow:?}");
    assert!(
        moscow.kb.as_ref().is_some_and(|kb| kb.id == "moscow"),
        "{moscow:?}"
    );
}
