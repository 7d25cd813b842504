//! The commands besides `enrich` and `eval` as a user runs them: `newsflow demo` end to end
//! through its embedded broker, and `newsflow train ner` and `train cues` on tiny files
//! written here, whose models then tag.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use newsflow::pipeline::{Limits, Outcome, Pipeline};
use newsflow::record::InputCoordinates;
use newsflow::stages::claims::cue_model::{CUE_LABELS, CueModel};
use newsflow::stages::entities::tagger::{Label, Model};
use newsflow::stages::normalize::Normalizer;
use serde_json::Value;

fn newsflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsflow"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("newsflow-cmd-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs a command to its end, killing it after `limit`; fails with its output if it fails.
fn run(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("newsflow runs");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!(
                "still running after {limit:?}, killed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().expect("output");
    assert!(
        output.status.success(),
        "{}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The number before `label` in `line`, as in "39 entities".
fn count_before(line: &str, label: &str) -> usize {
    let before = line
        .split(label)
        .next()
        .filter(|_| line.contains(label))
        .unwrap_or_else(|| panic!("no {label:?} in {line:?}"));
    before
        .split_whitespace()
        .last()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {label:?} in {line:?}"))
}

#[test]
fn demo_enriches_the_samples_through_its_broker_as_enrich_does() {
    let output = run(
        {
            let mut c = newsflow();
            c.arg("demo");
            c
        },
        Duration::from_secs(180),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stderr
        .lines()
        .find(|l| l.contains("articles enriched through Kafka:"))
        .unwrap_or_else(|| panic!("no summary line: {stderr}"));
    let shown = (
        count_before(summary, " articles enriched"),
        count_before(summary, " entities"),
        count_before(summary, " claims"),
        count_before(summary, " contradictions"),
    );

    // What the same pipeline finds in the same samples, without Kafka.
    let samples = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/articles.jsonl"
    ))
    .expect("samples");
    let pipeline = Pipeline::new(Limits::default()).expect("bundled data loads");
    let records: Vec<Value> = samples
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            match pipeline
                .process_bytes(l.as_bytes(), InputCoordinates::default())
                .0
            {
                Outcome::Enriched(r) => serde_json::to_value(&r).expect("serialises"),
                Outcome::Rejected(r) => panic!("sample rejected: {}", r.message),
            }
        })
        .collect();
    let sum = |f: &dyn Fn(&Value) -> usize| records.iter().map(f).sum::<usize>();
    let len = |v: &Value| v.as_array().map_or(0, Vec::len);
    let direct = (
        records.len(),
        sum(&|r| len(&r["entities"])),
        sum(&|r| len(&r["claims"])),
        sum(&|r| {
            r["relations"].as_array().map_or(0, |rs| {
                rs.iter().filter(|x| x["kind"] == "contradicts").count()
            })
        }),
    );
    assert_eq!(
        shown, direct,
        "the demo's (articles, entities, claims, contradictions) through Kafka against the pipeline's: {summary}"
    );
    // Today (2026-12-01, `newsflow demo`): 6 articles, 39 entities, 50 claims, 3
    // contradictions (the README's figures); floors about 5% under.
    let (articles, entities, claims, contradictions) = shown;
    assert_eq!(articles, 6, "{summary}");
    assert!(entities >= 37, "{summary}");
    assert!(claims >= 47, "{summary}");
    assert!(contradictions >= 3, "{summary}");
    // Each article is shown, once.
    for record in &records {
        let id = record["id"].as_str().expect("id");
        let header = format!("━━ {id} ");
        assert_eq!(
            stdout.matches(&header).count(),
            1,
            "{id} shown once: {stdout}"
        );
    }
}

/// Writes token-per-line BIO: every token O except `name`, which is B-ORG.
fn write_bio(path: &Path, sentences: &[&str], name: &str) {
    let mut text = String::new();
    for sentence in sentences {
        for token in sentence.split_whitespace() {
            let label = if token == name { "B-ORG" } else { "O" };
            text.push_str(&format!("{token}\t{label}\n"));
        }
        text.push('\n');
    }
    std::fs::write(path, text).expect("write BIO");
}

/// The overall F1 of a `newsflow eval ner` report.
fn overall_f1(report: &str) -> f64 {
    report
        .lines()
        .find(|l| l.starts_with("overall"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|f| f.parse().ok())
        .unwrap_or_else(|| panic!("no overall F1: {report}"))
}

#[test]
fn train_ner_makes_a_model_that_tags_what_it_was_taught() {
    let dir = temp_dir("train-ner");
    // «zorblat», lower case and in no knowledge base, is an organisation here: only a model
    // trained on these sentences can know it.
    let (train, test, model) = (
        dir.join("train.tsv"),
        dir.join("test.tsv"),
        dir.join("tiny.model"),
    );
    write_bio(
        &train,
        &[
            "the zorblat said on monday that prices rose .",
            "officials at zorblat denied the report .",
            "a spokesman for zorblat declined to comment .",
            "zorblat announced new rules for farmers .",
            "the head of zorblat met the minister .",
            "critics accused zorblat of hiding losses .",
            "shares in zorblat fell sharply .",
            "the minister praised zorblat for its work .",
        ],
        "zorblat",
    );
    write_bio(
        &test,
        &[
            "zorblat said the talks would resume .",
            "the report by zorblat was published .",
            "farmers protested outside zorblat on friday .",
        ],
        "zorblat",
    );
    let mut command = newsflow();
    command
        .args(["train", "ner", "--script", "en", "--epochs", "5", "--out"])
        .arg(&model)
        .arg(&train);
    let trained = run(command, Duration::from_secs(60));
    let log = String::from_utf8_lossy(&trained.stderr);
    assert!(
        log.contains("8 sentences, 60 tokens") && log.contains("wrote"),
        "{log}"
    );
    let eval = |model_arg: Option<&Path>| {
        let mut command = newsflow();
        command.args(["eval", "ner"]);
        if let Some(m) = model_arg {
            command.arg("--model-en").arg(m);
        }
        command.arg(&test);
        String::from_utf8_lossy(&run(command, Duration::from_secs(60)).stdout).to_string()
    };
    // Today (2026-12-01): the tiny model finds all 3 (F1 1.000), the bundled one none.
    let tiny = eval(Some(&model));
    assert!(overall_f1(&tiny) >= 0.99, "the tiny model: {tiny}");
    let bundled = eval(None);
    assert!(
        overall_f1(&bundled) < 0.5,
        "the bundled model should not know «zorblat»: {bundled}"
    );
    // Sentences in the other script only: a clear error.
    let output = newsflow()
        .args(["train", "ner", "--script", "ar", "--out"])
        .arg(dir.join("none.model"))
        .arg(&train)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no Arabic sentences"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn train_cues_makes_a_detector_that_finds_what_it_was_taught() {
    let dir = temp_dir("train-cues");
    std::fs::create_dir_all(dir.join("text")).expect("text dir");
    std::fs::create_dir_all(dir.join("attributions")).expect("attributions dir");
    // «blorfed», a verb in no cue table, is a cue of attribution here.
    let sentences = [
        ("The minister", "blorfed", "that taxes would rise next year"),
        ("A spokesman", "blorfed", "that the talks had failed"),
        ("Officials", "blorfed", "that the road was closed"),
        ("The mayor", "blorfed", "that the bridge would reopen soon"),
        ("Two witnesses", "blorfed", "that they had seen the fire"),
        ("The company", "blorfed", "that profits fell sharply"),
    ];
    let mut text = String::new();
    let mut ann = String::new();
    for (n, (source, cue, content)) in sentences.iter().enumerate() {
        // Appends `span` (annotated as `kind`, id T`id`) and then `after`.
        let mut t = |span: &str, kind: &str, id: usize, after: &str| {
            let start = text.chars().count();
            text.push_str(span);
            let end = text.chars().count();
            text.push_str(after);
            ann.push_str(&format!("T{id}\t{kind} {start} {end}\t{span}\n"));
        };
        let id = 3 * n + 1;
        t(source, "Source", id, " ");
        t(cue, "Cue", id + 1, " ");
        t(content, "Content", id + 2, ". The weather was mild.\n\n");
        ann.push_str(&format!(
            "E{}\tAttribution:T{} Content:T{} Cue:T{} Source:T{}\n",
            n + 1,
            id + 1,
            id + 2,
            id + 1,
            id
        ));
    }
    std::fs::write(dir.join("text/tiny.txt"), &text).expect("text");
    std::fs::write(dir.join("attributions/tiny_a1.ann"), &ann).expect("ann");
    let model = dir.join("cues.model");
    let mut command = newsflow();
    command
        .args([
            "train",
            "cues",
            "--epochs",
            "5",
            "--min-weight",
            "0",
            "--out",
        ])
        .arg(&model)
        .arg(&dir);
    let trained = run(command, Duration::from_secs(60));
    let log = String::from_utf8_lossy(&trained.stderr);
    assert!(
        log.contains("12 sentences") && log.contains("wrote"),
        "{log}"
    );

    // The model reads back as a cue detector and tags «blorfed» in a sentence it never saw.
    let model = Model::from_bytes(&std::fs::read(&model).expect("model written")).expect("reads");
    assert_eq!(model.labels(), CUE_LABELS);
    let doc = Normalizer::new()
        .expect("tables load")
        .run(
            "The governor blorfed that schools would close.".into(),
            None,
        )
        .expect("normalizes");
    let lexicon = newsflow::stages::claims::english_cue_table().expect("cue table");
    let sentence = &doc.sentences[0];
    let (first, end) = (sentence.first_token, sentence.end_token);
    let keys = CueModel::keys(&doc, first, end);
    let labels = model.tag(&CueModel::features(&doc, first, end, &keys, &lexicon));
    let tagged: Vec<(&str, Label)> = keys.iter().map(String::as_str).zip(labels).collect();
    let cues: Vec<&str> = tagged
        .iter()
        .filter(|(_, l)| *l != Label::O)
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(cues, ["blorfed"], "{tagged:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
