//! `newsflow enrich` as a user runs it: bad lines become rejects with reasons and line
//! numbers, the run goes on, output keeps input order.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn newsflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsflow"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("newsflow-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn read_jsonl(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("output lines are JSON"))
        .collect()
}

#[test]
fn bad_inputs_are_rejected_with_reasons_and_the_run_goes_on() {
    let dir = temp_dir("bad");
    let input = dir.join("in.jsonl");
    let huge_body = "كلمة ".repeat(4 << 20); // 20 MiB of Arabic text
    let mut f = std::fs::File::create(&input).expect("create input");
    let good = |id: &str| {
        format!(
            r#"{{"id": "{id}", "body": "Officials said the road to the city was closed on Monday."}}"#
        )
    };
    let lines: Vec<Vec<u8>> = vec![
        good("good-1").into_bytes(),
        b"this is not json".to_vec(),
        b"[1, 2, 3]".to_vec(),
        br#"{"id": "typed", "body": 42}"#.to_vec(),
        br#"{"id": "no-text", "title": "Headline only"}"#.to_vec(),
        br#"{"id": "blank", "body": "   \n\t  "}"#.to_vec(),
        b"{\"id\": \"bad-utf8\", \"body\": \"caf\xe9\"}".to_vec(),
        format!(r#"{{"id": "huge", "body": "{huge_body}"}}"#).into_bytes(),
        br#"{"id": "controls", "body": "\u200f\u200e\u00ad\u0651"}"#.to_vec(),
        good("good-2").into_bytes(),
    ];
    for line in &lines {
        f.write_all(line).expect("write");
        f.write_all(b"\n").expect("write");
    }
    drop(f);
    let out = dir.join("out.jsonl");
    let rejects = dir.join("rejects.jsonl");
    let status = newsflow()
        .args(["enrich", "--quiet", "-o"])
        .arg(&out)
        .arg("--rejects")
        .arg(&rejects)
        .arg(&input)
        .status()
        .expect("newsflow runs");
    assert!(status.success(), "enrich failed: {status}");
    let enriched = read_jsonl(&out);
    let ids: Vec<&str> = enriched
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, vec!["good-1", "huge", "good-2"]);
    let huge = &enriched[1];
    assert!(
        huge["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w["code"] == "body_truncated"),
        "a truncated body says so"
    );
    assert_eq!(
        huge["body"].as_str().map(str::len),
        Some(huge_body.len()),
        "the body is passed through whole"
    );
    let rejected: Vec<(u64, String)> = read_jsonl(&rejects)
        .iter()
        .map(|r| {
            (
                r["input"]["line"].as_u64().unwrap_or(0),
                r["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (2, "not_json".into()),
            (3, "not_object".into()),
            (4, "invalid_field".into()),
            (5, "missing_text".into()),
            (6, "empty_text".into()),
            (7, "invalid_utf8".into()),
            (9, "empty_text".into()),
        ]
    );
    let typed = read_jsonl(&rejects)
        .into_iter()
        .find(|r| r["reason"] == "invalid_field")
        .expect("typed reject");
    assert_eq!(typed["field"], "body");
    assert!(
        typed["message"]
            .as_str()
            .unwrap_or_default()
            .contains("body")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_follows_input_order_on_many_threads_and_stdin_works() {
    let corpus = common::shared().join("corpus/articles-en.jsonl");
    let text = std::fs::read_to_string(&corpus).expect("corpus");
    let expected: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let mut child = newsflow()
        .args(["enrich", "--quiet", "--threads", "4", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("newsflow runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().expect("output");
    writer
        .join()
        .expect("writer thread")
        .expect("stdin written");
    assert!(output.status.success());
    let ids: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn missing_input_file_is_a_clear_error() {
    let output = newsflow()
        .args(["enrich", "/nonexistent/articles.jsonl"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot open input /nonexistent/articles.jsonl"),
        "{stderr}"
    );
}

#[test]
fn summary_reports_counts_and_rates() {
    let corpus = common::shared().join("corpus/aleppo-2024-11-ar.txt");
    let body = std::fs::read_to_string(corpus).expect("reference article");
    let line = serde_json::json!({ "body": body, "language": "ar" }).to_string();
    let mut child = newsflow()
        .args(["enrich"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{line}\n{line}\nnot json\n").as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("read 3 enriched 2 rejected 1 (not_json: 1)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("articles/s") && stderr.contains("MB/s") && stderr.contains("normalize"),
        "{stderr}"
    );
    assert!(stderr.contains("rejected - line 3: not_json"), "{stderr}");
    // Same input, same derived id.
    let ids: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1]);
}

#[test]
fn eval_ner_scores_a_user_file() {
    let dir = temp_dir("eval");
    let file = dir.join("gold.tsv");
    std::fs::write(
        &file,
        "Officials\tO\nin\tO\nAleppo\tB-LOC\nsaid\tO\nthe\tO\nSyrian\tB-ORG\nObservatory\tI-ORG\n\nقال\tO\nالجيش\tB-ORG\nالسوري\tI-ORG\nفي\tO\nحلب\tB-LOC\n",
    )
    .expect("write");
    let output = newsflow()
        .args(["eval", "ner"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("2 sentences"), "{stdout}");
    let overall = stdout
        .lines()
        .find(|l| l.starts_with("overall"))
        .expect("overall row");
    let gold: usize = overall
        .split_whitespace()
        .nth(4)
        .and_then(|g| g.parse().ok())
        .expect("gold count");
    assert_eq!(gold, 4);
    // Aleppo and حلب are in the knowledge base and must be found with the right span.
    let loc = stdout
        .lines()
        .find(|l| l.starts_with("LOC"))
        .expect("LOC row");
    assert!(loc.contains("1.000"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
