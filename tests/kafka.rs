//! The worker fleet against a real Apache Kafka broker (started by scripts/test through
//! scripts/kafka; its address comes in NEWSFLOW_TEST_BROKERS). Each test asserts on what
//! arrives in the output topics. They run one at a time: one of them stops the broker.
//!
//! To look into a failure: NEWSFLOW_TEST_WORKER_LOG sets the workers' RUST_LOG,
//! NEWSFLOW_TEST_RDKAFKA_DEBUG the outage worker's librdkafka `debug` contexts (e.g. "cgrp"),
//! and NEWSFLOW_TEST_KEEP_LOGS keeps the worker logs of passing tests too.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::kafka::{
    Setup, articles, consume, headers, http_get, kafka_script, produce, produce_keyed,
};
use rdkafka::Message;

static SERIAL: Mutex<()> = Mutex::new(());

/// Counts of each article id in the enriched topic, read until every expected id is seen
/// (then a grace period for late duplicates) or the timeout passes.
fn enriched_ids(
    setup: &Setup,
    expected: &HashSet<String>,
    read_committed: bool,
    timeout: Duration,
) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut complete_at: Option<Instant> = None;
    consume(&setup.topic("enriched"), read_committed, timeout, |m| {
        if let Some(key) = m.and_then(|m| m.key()) {
            *counts
                .entry(String::from_utf8_lossy(key).to_string())
                .or_default() += 1;
        }
        if complete_at.is_none() && expected.iter().all(|id| counts.contains_key(id)) {
            complete_at = Some(Instant::now());
        }
        complete_at.is_some_and(|t| t.elapsed() > Duration::from_secs(2))
    });
    counts
}

/// Blocks until at least `n` enriched records exist.
fn wait_for_progress(setup: &Setup, n: usize) {
    let mut seen = 0;
    consume(
        &setup.topic("enriched"),
        false,
        Duration::from_secs(90),
        |m| {
            seen += usize::from(m.is_some());
            seen >= n
        },
    );
    assert!(seen >= n, "only {seen} enriched records within 90 s");
}

fn assert_complete(
    counts: &HashMap<String, usize>,
    expected: &HashSet<String>,
    what: &str,
) -> usize {
    let missing: Vec<&String> = expected
        .iter()
        .filter(|id| !counts.contains_key(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{what}: {} of {} articles missing, e.g. {:?}",
        missing.len(),
        expected.len(),
        missing.iter().take(5).collect::<Vec<_>>()
    );
    let duplicates: usize = counts.values().map(|c| c - 1).sum();
    eprintln!(
        "{what}: all {} articles enriched; {duplicates} duplicate records",
        expected.len()
    );
    duplicates
}

#[test]
fn poison_messages_go_to_the_dead_letter_topic_and_sigterm_commits_and_exits_zero() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("poison");
    setup.create_input();
    let good = articles(&setup.prefix, 300);
    let poison: Vec<Vec<u8>> = vec![
        b"not json at all".to_vec(),
        b"[1, 2, 3]".to_vec(),
        b"{\"body\": \"caf\xe9\"}".to_vec(),
        br#"{"id": "typed", "body": 42}"#.to_vec(),
        br#"{"id": "empty", "body": "   "}"#.to_vec(),
        br#"{"id": "no-text", "title": "t"}"#.to_vec(),
    ];
    let mut messages: Vec<(Option<String>, Vec<u8>)> = Vec::new();
    for (i, (id, payload)) in good.iter().enumerate() {
        messages.push((Some(id.clone()), payload.clone()));
        if i % 10 == 0 {
            messages.push((None, poison[(i / 10) % poison.len()].clone()));
        }
    }
    let poison_count = messages.len() - good.len();
    produce(&setup.topic("raw"), &messages);
    let mut worker = setup.worker("w1", &[]);

    let expected: HashSet<String> = good.iter().map(|(id, _)| id.clone()).collect();
    let counts = enriched_ids(&setup, &expected, false, Duration::from_secs(120));
    assert_complete(&counts, &expected, "poison");

    let mut dead: Vec<(Vec<u8>, HashMap<String, String>)> = Vec::new();
    consume(&setup.topic("dlq"), false, Duration::from_secs(60), |m| {
        let Some(m) = m else { return false };
        dead.push((m.payload().unwrap_or_default().to_vec(), headers(m)));
        dead.len() >= poison_count
    });
    assert_eq!(
        dead.len(),
        poison_count,
        "every poison message is dead-lettered"
    );
    for (payload, headers) in &dead {
        assert!(
            poison.contains(payload),
            "dead letter payload is the original, untouched"
        );
        assert!(!headers["newsflow.reason"].is_empty());
        assert_eq!(headers["newsflow.source.topic"], setup.topic("raw"));
        assert!(headers["newsflow.source.offset"].parse::<i64>().is_ok());
        assert_eq!(headers["newsflow.worker"], "w1");
    }
    let reasons: HashSet<&str> = dead
        .iter()
        .map(|(_, h)| h["newsflow.reason"].as_str())
        .collect();
    assert!(
        reasons.contains("not_json")
            && reasons.contains("invalid_utf8")
            && reasons.contains("invalid_field"),
        "{reasons:?}"
    );

    // Operations: metrics and readiness over HTTP.
    let log = setup.log("w1");
    let addr = log
        .split("bound=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the worker logs its HTTP address")
        .to_string();
    let metrics = http_get(&addr, "/metrics");
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    assert!(
        metrics.contains(&format!("newsflow_consumed_total {}", messages.len())),
        "{metrics}"
    );
    assert!(
        metrics.contains("newsflow_rejected_total{reason=\"not_json\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("newsflow_stage_seconds_bucket{stage=\"normalize\""),
        "{metrics}"
    );
    assert!(http_get(&addr, "/health/live").starts_with("HTTP/1.1 200"));
    assert!(http_get(&addr, "/health/ready").starts_with("HTTP/1.1 200"));

    let (status, took) = worker.sigterm();
    assert!(
        status.success(),
        "worker exited with {status} after SIGTERM; log:\n{}",
        setup.log("w1")
    );
    assert!(took < Duration::from_secs(25), "shutdown took {took:?}");
    // Offsets committed up to the end of every partition.
    for (partition, at, high) in setup.committed_and_end() {
        assert_eq!(
            at, high,
            "partition {partition} committed at {at}, end is {high}"
        );
    }
}

#[test]
fn a_worker_killed_mid_stream_and_restarted_loses_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("sigkill");
    setup.create_input();
    let input = articles(&setup.prefix, 2000);
    produce_keyed(&setup.topic("raw"), &input);
    let mut first = setup.worker("w1", &[]);
    wait_for_progress(&setup, 200);
    first.sigkill();
    let _second = setup.worker("w2", &[]);
    let expected: HashSet<String> = input.iter().map(|(id, _)| id.clone()).collect();
    let counts = enriched_ids(&setup, &expected, false, Duration::from_secs(180));
    assert_complete(&counts, &expected, "SIGKILL and restart");
}

#[test]
fn a_group_of_workers_with_one_joining_and_one_leaving_enriches_every_article() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("group");
    setup.create_input();
    let input = articles(&setup.prefix, 2000);
    let raw = setup.topic("raw");
    let trickle = {
        let input = input.clone();
        std::thread::spawn(move || {
            for chunk in input.chunks(100) {
                produce_keyed(&raw, chunk);
                std::thread::sleep(Duration::from_millis(400));
            }
        })
    };
    let mut w1 = setup.worker("w1", &[]);
    let _w2 = setup.worker("w2", &[]);
    wait_for_progress(&setup, 500);
    let _w3 = setup.worker("w3", &[]);
    wait_for_progress(&setup, 1100);
    let (status, _) = w1.sigterm();
    assert!(status.success(), "w1 exit {status}");
    trickle.join().expect("producer thread");
    let expected: HashSet<String> = input.iter().map(|(id, _)| id.clone()).collect();
    let counts = enriched_ids(&setup, &expected, false, Duration::from_secs(180));
    assert_complete(
        &counts,
        &expected,
        "two workers, a third joining, one leaving",
    );
}

#[test]
fn a_broker_outage_of_twenty_seconds_loses_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("outage");
    setup.create_input();
    let input = articles(&setup.prefix, 3000);
    produce_keyed(&setup.topic("raw"), &input);
    let debug: Vec<String> = std::env::var("NEWSFLOW_TEST_RDKAFKA_DEBUG")
        .map(|d| vec!["--consumer-property".to_string(), format!("debug={d}")])
        .unwrap_or_default();
    let debug: Vec<&str> = debug.iter().map(String::as_str).collect();
    let mut worker = setup.worker("w1", &debug);
    wait_for_progress(&setup, 100);
    kafka_script("stop");
    std::thread::sleep(Duration::from_secs(20));
    assert!(
        worker.child.try_wait().expect("wait").is_none(),
        "the worker died during the outage:\n{}",
        setup.log("w1")
    );
    kafka_script("start");
    let expected: HashSet<String> = input.iter().map(|(id, _)| id.clone()).collect();
    let counts = enriched_ids(&setup, &expected, false, Duration::from_secs(240));
    assert_complete(&counts, &expected, "broker down 20 s");
    let (status, _) = worker.sigterm();
    assert!(status.success());
}

#[test]
fn exactly_once_survives_a_sigkill_mid_transaction() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("eos");
    setup.create_input();
    let input = articles(&setup.prefix, 2000);
    produce_keyed(&setup.topic("raw"), &input);
    let eos = [
        "--guarantee",
        "exactly-once",
        "--transaction-max-messages",
        "50",
    ];
    let mut first = setup.worker("eos-worker", &eos);
    wait_for_progress(&setup, 300);
    first.sigkill();
    // The same worker id means the same transactional id: the restart fences the killed
    // producer and aborts its open transaction.
    let _second = setup.worker("eos-worker", &eos);
    let expected: HashSet<String> = input.iter().map(|(id, _)| id.clone()).collect();
    let counts = enriched_ids(&setup, &expected, true, Duration::from_secs(180));
    let duplicates = assert_complete(&counts, &expected, "exactly-once with SIGKILL");
    assert_eq!(duplicates, 0, "a read_committed consumer saw duplicates");
}
