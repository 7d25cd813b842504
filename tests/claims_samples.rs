//! The claim stage on the bundled sample articles, Arabic and English: who said what,
//! through whom, asserted or denied, as a reader of each sample would put it.

use newsflow::pipeline::{Limits, Outcome, Pipeline};
use newsflow::record::InputCoordinates;
use serde_json::Value;

/// The enriched records of `samples/articles.jsonl`, by id.
fn samples() -> Vec<Value> {
    let pipeline = Pipeline::new(Limits::default()).expect("bundled data loads");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/articles.jsonl"
    ))
    .expect("samples");
    text.lines()
        .map(|line| {
            match pipeline
                .process_bytes(line.as_bytes(), InputCoordinates::default())
                .0
            {
                Outcome::Enriched(record) => serde_json::to_value(&record).expect("serialises"),
                Outcome::Rejected(r) => panic!("sample rejected: {}", r.message),
            }
        })
        .collect()
}

fn sample<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no sample {id}"))
}

/// The claim whose cue is `cue` (the first one, or the `nth` with that cue).
fn claim<'a>(record: &'a Value, cue: &str, nth: usize) -> &'a Value {
    record["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["cue"]["span"]["text"] == cue)
        .nth(nth)
        .unwrap_or_else(|| panic!("no claim with cue {cue:?} in {}", record["claims"]))
}

/// True when the record relates the two claims (either order) with `kind`.
fn related(record: &Value, kind: &str, a: &Value, b: &Value) -> bool {
    record["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .any(|r| {
            let pair = [&r["claims"][0], &r["claims"][1]];
            r["kind"] == kind && (pair == [&a["id"], &b["id"]] || pair == [&b["id"], &a["id"]])
        })
}

fn text(v: &Value) -> &str {
    v["text"].as_str().unwrap_or_default()
}

#[test]
fn arabic_samples_read_as_a_reader_would() {
    let all = samples();
    let talks = sample(&all, "sample-ar-idlib-talks");
    // A ministry announces; an official who asked not to be named speaks, and the Russian
    // delegation's promise is nested inside what he said.
    let ministry = claim(talks, "أعلنت", 0);
    assert_eq!(text(&ministry["speaker"]["span"]), "وزارة الخارجية التركية");
    assert_eq!(ministry["speaker"]["kind"], "named_org");
    let official = claim(talks, "قال", 0);
    assert_eq!(official["speaker"]["kind"], "anonymous_official");
    assert!(text(&official["content"]).starts_with("إن الوفد الروسي وعد"));
    let promise = claim(talks, "وعد", 0);
    assert_eq!(promise["cue"]["class"], "promise");
    assert_eq!(text(&promise["speaker"]["span"]), "الوفد الروسي");
    let (outer, inner) = (&official["content"], &promise["content"]);
    assert!(
        outer["start"].as_u64() <= inner["start"].as_u64()
            && inner["end"].as_u64() <= outer["end"].as_u64()
    );
    // An agency as source and channel; local sources, subject before the verb, deny and
    // then confirm.
    let anadolu = claim(talks, "بحسب", 0);
    assert_eq!(anadolu["speaker"]["kind"], "media");
    assert_eq!(anadolu["via"]["agency"], "anadolu");
    let denial = claim(talks, "نفت", 0);
    assert_eq!(text(&denial["speaker"]["span"]), "مصادر محلية في إدلب");
    assert_eq!(denial["stance"], "deny");
    assert!(text(&denial["content"]).starts_with("عودة النازحين"));
    let confirm = claim(talks, "أكدت", 0);
    assert_eq!(confirm["cue"]["class"], "confirm");
    assert_eq!(confirm["speaker"]["implicit"], true);
    assert_eq!(
        confirm["speaker"]["description"],
        denial["speaker"]["description"]
    );
    // The Turkish president, named; a UN report's estimate.
    let president = claim(talks, "قال", 1);
    assert_eq!(president["speaker"]["kind"], "named_person");
    assert_eq!(
        text(&president["speaker"]["span"]),
        "الرئيس التركي رجب طيب أردوغان"
    );
    let report = claim(talks, "قدّر", 0);
    assert_eq!(
        (
            report["cue"]["class"].as_str(),
            report["speaker"]["kind"].as_str()
        ),
        (Some("estimate"), Some("document"))
    );
    // SANA relays a military source: the source speaks, SANA is the channel.
    let relayed = claim(talks, "نقلت", 0);
    assert_eq!(text(&relayed["speaker"]["span"]), "مصدر عسكري");
    assert_eq!(relayed["speaker"]["kind"], "anonymous_official");
    assert_eq!(relayed["via"]["agency"], "sana");
    assert_eq!(relayed["mode"], "mixed");

    let flood = sample(&all, "sample-ar-hama-flood");
    let medical = claim(flood, "قالت", 0);
    assert_eq!(medical["via"]["agency"], "reuters");
    let killed = &medical["quantities"][0];
    assert_eq!(
        (killed["value"].as_f64(), killed["qualifier"].as_str()),
        (Some(12.0), Some("at_least"))
    );
    // The governor's denial, said to state TV, with no complementizer.
    let governor = claim(flood, "نفى", 0);
    assert_eq!(text(&governor["speaker"]["span"]), "محافظ حماة");
    assert_eq!(text(&governor["via"]["span"]), "للتلفزيون الرسمي السوري");
    assert_eq!(text(&governor["content"]), "وقوع أي وفيات");
    assert_eq!(claim(flood, "قال", 0)["speaker"]["implicit"], true);
    // The civil defence source corroborates the medical sources' toll; the governor's
    // denial of any deaths contradicts both.
    let civil_defence = claim(flood, "أكد", 0);
    assert!(
        related(flood, "corroborates", medical, civil_defence),
        "{}",
        flood["relations"]
    );
    assert!(
        related(flood, "contradicts", governor, medical),
        "{}",
        flood["relations"]
    );
    assert!(related(flood, "contradicts", governor, civil_defence));
    assert_eq!(claim(flood, "مشيراً", 0)["mode"], "direct");
    let who = claim(flood, "حذرت", 0);
    assert_eq!(who["cue"]["class"], "warn");
    assert_eq!(text(&who["speaker"]["span"]), "منظمة الصحة العالمية");

    let strike = sample(&all, "sample-ar-port-strike");
    assert_eq!(claim(strike, "ذكرت", 0)["speaker"]["kind"], "state_media");
    let union = claim(strike, "زعم", 0);
    assert_eq!(union["cue"]["class"], "claim");
    assert!(!text(&union["content"]).contains("فيما"));
    let management = claim(strike, "نفت", 0);
    assert_eq!(text(&management["speaker"]["span"]), "إدارة الميناء");
    assert_eq!(text(&management["content"]), "ذلك");
    assert_eq!(management["in_statement"], true);
    assert_eq!(claim(strike, "بحسب", 0)["modality"], "expected");
    assert_eq!(claim(strike, "قال", 0)["speaker"]["kind"], "witness");
}

#[test]
fn english_samples_read_as_a_reader_would() {
    let all = samples();
    let clash = sample(&all, "sample-en-border-clash");
    let observatory = claim(clash, "said", 0);
    assert_eq!(observatory["speaker"]["kind"], "named_org");
    assert!(text(&observatory["content"]).starts_with("At least 14 fighters"));
    assert_eq!(claim(clash, "told", 0)["via"]["agency"], "reuters");
    assert_eq!(claim(clash, "said", 1)["mode"], "direct");
    let tv = claim(clash, "denied", 0);
    assert_eq!(
        (tv["speaker"]["kind"].as_str(), tv["stance"].as_str()),
        (Some("state_media"), Some("deny"))
    );
    assert_eq!(text(&tv["content"]), "any clashes had taken place");
    let saying = claim(clash, "saying", 0);
    assert_eq!(saying["speaker"]["implicit"], true);
    assert_eq!(
        text(&saying["content"]),
        "the army had carried out a routine patrol"
    );
    assert_eq!(claim(clash, "warned", 0)["cue"]["class"], "warn");
    // Nested: state TV quoted a military source as saying ...: the source speaks, state TV
    // is the channel.
    let quoted = claim(clash, "quoted", 0);
    assert_eq!(text(&quoted["speaker"]["span"]), "a military source");
    assert_eq!(quoted["speaker"]["kind"], "anonymous_official");
    assert_eq!(text(&quoted["via"]["span"]), "Syrian state television");
    assert_eq!(
        text(&quoted["content"]),
        "troops had repelled an infiltration attempt"
    );
    // A doctor's count corroborates the Observatory's.
    let doctor = claim(clash, "said", 2);
    assert!(text(&doctor["speaker"]["span"]).contains("doctor"));
    assert!(
        related(clash, "corroborates", observatory, doctor),
        "{}",
        clash["relations"]
    );

    let hospital = sample(&all, "sample-en-hospital");
    let residents = claim(hospital, "told", 0);
    assert_eq!(residents["speaker"]["kind"], "witness");
    assert_eq!(residents["via"]["agency"], "afp");
    assert!(text(&residents["content"]).starts_with("A hospital in the town of Sarmada"));
    assert_eq!(claim(hospital, "estimated", 0)["cue"]["class"], "estimate");
    let promised = claim(hospital, "promised", 0);
    assert_eq!(promised["cue"]["class"], "promise");
    assert_eq!(promised["speaker"]["implicit"], true);
    assert!(!text(&claim(hospital, "said", 3)["content"]).contains("promised"));

    let grain = sample(&all, "sample-en-grain-deal");
    assert!(!text(&claim(grain, "said", 0)["content"]).starts_with("on Monday"));
    assert_eq!(claim(grain, "accused", 0)["mode"], "mixed");
    let erdogan = claim(grain, "told", 0);
    assert_eq!(erdogan["speaker"]["kind"], "named_person");
    assert_eq!(erdogan["mode"], "direct");
    assert_eq!(claim(grain, "showed", 0)["speaker"]["kind"], "document");
    // Turkish officials' 12 ships against the Russian ministry's five.
    let turkish = claim(grain, "said", 0);
    let russian = claim(grain, "claiming", 0);
    assert!(
        related(grain, "contradicts", turkish, russian),
        "{}",
        grain["relations"]
    );
}

#[test]
fn samples_cover_every_cue_class_mode_and_speaker_kind_in_both_languages() {
    use std::collections::BTreeSet;
    let all = samples();
    for lang in ["ar", "en"] {
        let claims: Vec<&Value> = all
            .iter()
            .filter(|r| r["language"]["code"] == lang)
            .flat_map(|r| r["claims"].as_array().expect("claims"))
            .collect();
        let set = |f: &dyn Fn(&Value) -> &Value| -> BTreeSet<String> {
            claims
                .iter()
                .filter_map(|c| f(c).as_str().map(str::to_string))
                .collect()
        };
        let expect = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(
            set(&|c| &c["cue"]["class"]),
            expect(&[
                "claim", "confirm", "deny", "estimate", "promise", "report", "warn"
            ]),
            "{lang} cue classes"
        );
        assert_eq!(
            set(&|c| &c["mode"]),
            expect(&["direct", "indirect", "mixed"]),
            "{lang} modes"
        );
        assert_eq!(
            set(&|c| &c["speaker"]["kind"]),
            expect(&[
                "anonymous",
                "anonymous_official",
                "document",
                "media",
                "named_org",
                "named_person",
                "state_media",
                "witness",
            ]),
            "{lang} speaker kinds"
        );
        assert!(
            claims.iter().any(|c| c["via"]["span"].is_object()),
            "{lang} via"
        );
    }
}
