//! What `newsflow run` and `newsflow produce` say when no broker answers, or when the input
//! would fail, before any broker is needed: each message names the address or the file and
//! line, and says what to do. No broker is used; every test ends in seconds.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use newsflow::transport::kafka::produce_check::thousands;

/// An address nothing listens on: connections are refused at once.
const NOWHERE: &str = "127.0.0.1:1";

fn newsflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsflow"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("newsflow-conn-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `newsflow run` against NOWHERE with a short startup timeout, and how long it took.
fn run_unreachable(extra: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = newsflow()
        .args(["run", "--brokers", NOWHERE, "--startup-timeout", "3"])
        .args(["--http-listen", "off", "--worker-id", "conn-test"])
        .args(extra)
        .env("RUST_LOG", "info")
        .output()
        .expect("newsflow run starts");
    (output, started.elapsed())
}

fn assert_gives_up_naming_the_address(output: &Output, took: Duration) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}:\n{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("newsflow: error: cannot reach the Kafka brokers at 127.0.0.1:1"),
        "{err}"
    );
    assert!(last.contains("--brokers"), "{last}");
    assert!(last.contains("--startup-timeout"), "{last}");
    // Each failed attempt is logged with the address and the next wait.
    let attempts: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("cannot reach the Kafka brokers at 127.0.0.1:1 (attempt"))
        .collect();
    assert!(!attempts.is_empty(), "{err}");
    assert!(attempts[0].contains("next attempt in"), "{}", attempts[0]);
    // librdkafka's own lines carry the address and are folded: a handful, not hundreds.
    let librdkafka: Vec<&str> = err.lines().filter(|l| l.contains(" librdkafka:")).collect();
    assert!(
        librdkafka
            .iter()
            .all(|l| l.contains("brokers=\"127.0.0.1:1\"")),
        "{err}"
    );
    assert!(
        librdkafka.len() <= 12,
        "{} librdkafka lines:\n{err}",
        librdkafka.len()
    );
    assert!(
        librdkafka.iter().any(|l| l.contains("Connection refused")),
        "the cause is shown:\n{err}"
    );
    assert!(
        librdkafka.iter().any(|l| l.contains("repeated")),
        "the repeats are counted:\n{err}"
    );
}

#[test]
fn run_against_an_unreachable_broker_gives_up_naming_the_address() {
    let (output, took) = run_unreachable(&[]);
    assert_gives_up_naming_the_address(&output, took);
}

#[test]
fn run_without_topic_creation_gives_up_too() {
    // It used to wait forever, logging about 880 librdkafka errors a minute.
    let (output, took) = run_unreachable(&["--create-topics", "false"]);
    assert_gives_up_naming_the_address(&output, took);
}

#[test]
fn produce_against_an_unreachable_broker_names_the_address() {
    let dir = temp_dir("produce-unreachable");
    let input = dir.join("ok.jsonl");
    std::fs::write(&input, "{\"id\": \"a\", \"body\": \"Text.\"}\n").expect("write");
    let output = newsflow()
        .args(["produce", "--brokers", NOWHERE, "--startup-timeout", "1"])
        .arg(&input)
        .output()
        .expect("newsflow produce starts");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("newsflow: error: cannot reach the Kafka brokers at 127.0.0.1:1"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn produce_refuses_lines_that_are_not_articles_and_publishes_nothing() {
    let dir = temp_dir("produce-bad");
    let input = dir.join("mixed.jsonl");
    std::fs::write(
        &input,
        [
            r#"{"id": "a1", "body": "Officials said the road was closed."}"#,
            "not json",
            "",
            r#"{"id": "a3", "title": "a title and no text"}"#,
            r#"["an", "array"]"#,
            r#"{"id": "a5", "body": 5}"#,
            r#"{"id": "a6", "body": "Fine too."}"#,
        ]
        .join("\n"),
    )
    .expect("write");
    let started = Instant::now();
    // No broker is reached: the check comes first, so this ends at once.
    let output = newsflow()
        .args(["produce", "--brokers", NOWHERE, "--startup-timeout", "30"])
        .arg(&input)
        .output()
        .expect("newsflow produce starts");
    let err = stderr(&output);
    assert!(started.elapsed() < Duration::from_secs(10), "{err}");
    assert_eq!(output.status.code(), Some(2), "{err}");
    let file = input.display().to_string();
    assert!(
        err.contains("4 of 6 lines are not articles the workers accept, so nothing was published"),
        "{err}"
    );
    for (line, reason) in [
        (2, "not_json"),
        (4, "missing_text"),
        (5, "not_object"),
        (6, "invalid_field: field `body`"),
    ] {
        assert!(
            err.contains(&format!("{file} line {line}: {reason}")),
            "{err}"
        );
    }
    assert!(
        !err.contains("line 1:") && !err.contains("line 7:"),
        "{err}"
    );
    assert!(err.contains("--raw"), "{err}");
    assert!(!err.contains("cannot reach"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn produce_refuses_a_line_over_the_producer_limit_before_publishing() {
    let dir = temp_dir("produce-big");
    let input = dir.join("big.jsonl");
    let big = format!(r#"{{"id": "big", "body": "{}"}}"#, "x".repeat(5000));
    let small = r#"{"id": "small", "body": "Small."}"#;
    std::fs::write(&input, format!("{small}\n{big}\n{small}\n")).expect("write");
    let output = newsflow()
        .args(["produce", "--brokers", NOWHERE, "--startup-timeout", "30"])
        .args(["-X", "message.max.bytes=4000"])
        .arg(&input)
        .output()
        .expect("newsflow produce starts");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    let size = (big.len() + "big".len()) as u64;
    let expected = format!(
        "{} line 2: a record of {} bytes ({} of line and key, 36 of framing), over the producer's message.max.bytes of 4,000",
        input.display(),
        thousands(size + 36),
        thousands(size)
    );
    assert!(err.contains(&expected), "{err}");
    assert!(err.contains("nothing was published"), "{err}");
    assert!(err.contains("-X message.max.bytes="), "{err}");
    assert!(err.contains("max.message.bytes="), "{err}");
    assert!(!err.contains("cannot reach"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn produce_refuses_a_limit_that_is_not_a_number() {
    let output = newsflow()
        .args([
            "produce",
            "--brokers",
            NOWHERE,
            "-X",
            "message.max.bytes=2MB",
            "-",
        ])
        .output()
        .expect("newsflow produce starts");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("message.max.bytes must be a number"), "{err}");
}
