//! The worker's rarer paths against a real Apache Kafka broker (see tests/kafka.rs): the
//! exactly-once abort after a kill inside an open transaction, backpressure pausing and
//! resuming fetches, the shutdown hand-back after `--shutdown-timeout`, the dead-letter
//! rate turning readiness off, and every output record checked against its schema. They
//! run one at a time. NEWSFLOW_TEST_KEEP_LOGS keeps the worker logs of passing tests.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::kafka::{
    Setup, articles, assert_complete, brokers, headers, http_addr, http_get, produce,
    produce_keyed, read_to_end, wait_ready,
};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{ClientConfig, Message};
use serde_json::Value;

static SERIAL: Mutex<()> = Mutex::new(());

/// Counts of each key of a topic, read to its end (the last stable offset under
/// read_committed).
fn key_counts(topic: &str, partitions: i32, read_committed: bool) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    read_to_end(
        topic,
        partitions,
        read_committed,
        Duration::from_secs(120),
        |m| {
            let key = m.key().map(|k| String::from_utf8_lossy(k).to_string());
            *counts.entry(key.unwrap_or_default()).or_default() += 1;
        },
    );
    counts
}

/// Polls the enriched topic (read to its end each time) until every expected id is there.
fn wait_enriched(setup: &Setup, expected: &HashSet<String>, within: Duration) {
    let started = Instant::now();
    loop {
        let counts = key_counts(&setup.topic("enriched"), setup.partitions, false);
        let missing = expected
            .iter()
            .filter(|id| !counts.contains_key(*id))
            .count();
        if missing == 0 {
            return;
        }
        assert!(
            started.elapsed() < within,
            "{missing} of {} articles still not enriched after {within:?}",
            expected.len()
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Asserts each expected id is in `counts` exactly once, and nothing else is.
fn assert_exactly_once(counts: &HashMap<String, usize>, expected: &HashSet<String>, what: &str) {
    assert_complete(counts, expected, what);
    let twice: Vec<(&String, &usize)> = counts.iter().filter(|(_, c)| **c > 1).collect();
    assert!(
        twice.is_empty(),
        "{what}: {} articles published more than once, e.g. {:?}",
        twice.len(),
        twice.iter().take(5).collect::<Vec<_>>()
    );
    let unexpected: Vec<&String> = counts.keys().filter(|k| !expected.contains(*k)).collect();
    assert!(
        unexpected.is_empty(),
        "{what}: records of articles never sent: {unexpected:?}"
    );
}

/// The value of an unlabelled metric in a /metrics response.
fn metric(response: &str, name: &str) -> Option<f64> {
    response
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

/// A worker hooked to hold every message of partition 1 for its first `seconds` seconds.
fn stalled_worker(setup: &Setup, id: &str, seconds: &str, extra: &[&str]) -> common::kafka::Worker {
    let log = std::fs::File::create(setup.dir.join(format!("{id}.log"))).expect("log file");
    setup.worker_with_env(
        id,
        extra,
        &[
            ("NEWSFLOW_TEST_STALL_PARTITION", "1"),
            ("NEWSFLOW_TEST_STALL_SECONDS", seconds),
        ],
        log,
    )
}

/// Whether some partition of `topic` has records a read_committed reader cannot see yet
/// (its last stable offset is below its high watermark): a transaction is open.
fn open_transaction(
    uncommitted: &BaseConsumer,
    committed: &BaseConsumer,
    topic: &str,
    partitions: i32,
) -> bool {
    (0..partitions).any(|p| {
        let t = Duration::from_secs(5);
        match (
            uncommitted.fetch_watermarks(topic, p, t),
            committed.fetch_watermarks(topic, p, t),
        ) {
            (Ok((_, high)), Ok((_, stable))) => stable < high,
            _ => false,
        }
    })
}

fn watermark_reader(isolation: &str) -> BaseConsumer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("group.id", format!("watermarks-{}", std::process::id()))
        .set("isolation.level", isolation)
        .create()
        .expect("consumer")
}

#[test]
fn exactly_once_aborts_the_transaction_a_sigkill_leaves_open() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("eos-abort");
    setup.create_input();
    // One large batch: the worker gathers for up to 5 s, enriches the batch, then produces
    // all its records (tens of MB) in one transaction, which stays open until the last is
    // acknowledged. The batches that fill up (1 MB) are written at once; with linger.ms at
    // 2 s the rest wait that long, so the transaction is open for 2 s at least (without
    // it, for a fraction of a second, and a run in two missed it).
    let eos = [
        "--guarantee",
        "exactly-once",
        "--transaction-max-messages",
        "100000",
        "--transaction-max-ms",
        "5000",
        "--producer-property",
        "linger.ms=2000",
    ];
    let enriched = setup.topic("enriched");
    let uncommitted = watermark_reader("read_uncommitted");
    let committed = watermark_reader("read_committed");
    let is_open = || open_transaction(&uncommitted, &committed, &enriched, setup.partitions);
    let mut expected: HashSet<String> = HashSet::new();
    let mut worker: Option<common::kafka::Worker> = None;
    let mut proven = false;
    // Up to three rounds of 1,200 articles, should a round's transaction go unseen or its
    // commit reach the broker just before the SIGKILL (the first round was enough in
    // every run so far).
    for round in 0..3 {
        let input = articles(&format!("{}-r{round}", setup.prefix), 1200);
        expected.extend(input.iter().map(|(id, _)| id.clone()));
        produce_keyed(&setup.topic("raw"), &input);
        let log = format!("eos-worker-{round}");
        let w = worker.get_or_insert_with(|| setup.worker_logging_to("eos-worker", &log, &eos));
        let started = Instant::now();
        let mut checked = Instant::now();
        let seen_open = loop {
            if is_open() {
                break true;
            }
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "round {round}: the worker neither opened a transaction nor committed every article within 180 s"
            );
            assert!(
                w.child.try_wait().expect("wait").is_none(),
                "the worker exited; log:\n{}",
                setup.log(&log)
            );
            if checked.elapsed() > Duration::from_secs(2) {
                checked = Instant::now();
                let counts = key_counts(&enriched, setup.partitions, true);
                if expected.iter().all(|id| counts.contains_key(id)) {
                    break false;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if !seen_open {
            eprintln!("eos abort: round {round}: every transaction committed unseen");
            continue;
        }
        w.sigkill();
        worker = None;
        // Killed, an open transaction stays open until the restart below aborts it.
        std::thread::sleep(Duration::from_millis(500));
        if is_open() {
            proven = true;
            break;
        }
        eprintln!("eos abort: round {round}: the kill came after the transaction's commit");
    }
    drop(worker);
    assert!(
        proven,
        "no SIGKILL landed inside an open transaction in three rounds"
    );
    let seen_uncommitted: usize = key_counts(&enriched, setup.partitions, false)
        .values()
        .sum();
    let seen_committed: usize = key_counts(&enriched, setup.partitions, true).values().sum();
    eprintln!(
        "eos abort: at the kill, {seen_uncommitted} records uncommitted-visible, {seen_committed} committed"
    );
    assert!(
        seen_uncommitted > seen_committed,
        "read_uncommitted ({seen_uncommitted}) saw no record read_committed ({seen_committed}) did not"
    );
    // The same worker id means the same transactional id: the restart fences the killed
    // producer and aborts its open transaction.
    let mut second = setup.worker_logging_to("eos-worker", "eos-worker-restarted", &eos);
    let started = Instant::now();
    loop {
        let counts = key_counts(&enriched, setup.partitions, true);
        if expected.iter().all(|id| counts.contains_key(id)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "exactly-once restart: {} of {} articles committed after 240 s; log:\n{}",
            counts.len(),
            expected.len(),
            setup.log("eos-worker-restarted")
        );
        std::thread::sleep(Duration::from_secs(1));
    }
    let (status, _) = second.sigterm();
    assert!(status.success(), "restarted worker exit {status}");
    let counts = key_counts(&enriched, setup.partitions, true);
    assert_exactly_once(&counts, &expected, "read_committed after the abort");
    let all = key_counts(&enriched, setup.partitions, false);
    let redone: usize = all.values().map(|c| c - 1).sum();
    eprintln!("eos abort: read_uncommitted holds {redone} records of the aborted transaction");
    assert!(
        redone > 0,
        "read_uncommitted shows no record twice: the aborted transaction's records never reached the log"
    );
}

#[test]
fn backpressure_pauses_fetching_and_resumes_and_every_output_matches_its_schema() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("backpressure");
    setup.create_input();
    let input = articles(&setup.prefix, 300);
    let poison: Vec<Vec<u8>> = vec![
        b"not json".to_vec(),
        br#"{"id": "typed", "body": 42}"#.to_vec(),
        Vec::new(),
    ];
    let mut messages: Vec<(Option<String>, Vec<u8>)> = input
        .iter()
        .map(|(id, p)| (Some(id.clone()), p.clone()))
        .collect();
    for (i, p) in poison.iter().enumerate() {
        messages.push((Some(format!("poison-{i}")), p.clone()));
    }
    produce(&setup.topic("raw"), &messages);
    // Two slots; partition 1's messages are held for the worker's first 15 s, so both
    // slots fill with them and stay busy for more than the 1 s that pauses fetching.
    let mut worker = stalled_worker(&setup, "w1", "15", &["--max-in-flight", "2"]);
    let addr = http_addr(&setup, "w1");
    let started = Instant::now();
    let mut paused_seen = false;
    while started.elapsed() < Duration::from_secs(60) {
        let metrics = http_get(&addr, "/metrics");
        if metric(&metrics, "newsflow_fetch_paused") == Some(1.0) {
            paused_seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        paused_seen,
        "newsflow_fetch_paused never 1 within 60 s; log:\n{}",
        setup.log("w1")
    );
    let expected: HashSet<String> = input.iter().map(|(id, _)| id.clone()).collect();
    wait_enriched(&setup, &expected, Duration::from_secs(180));
    let metrics = http_get(&addr, "/metrics");
    assert_eq!(
        metric(&metrics, "newsflow_fetch_paused"),
        Some(0.0),
        "fetching still paused once everything was enriched:\n{metrics}"
    );
    let (status, _) = worker.sigterm();
    assert!(status.success(), "worker exit {status}");
    let counts = key_counts(&setup.topic("enriched"), setup.partitions, false);
    assert_exactly_once(&counts, &expected, "backpressure");
    check_outputs(&setup, poison.len());
}

/// Reads the enriched, claims and dead-letter topics completely: every enriched and claim
/// record valid against its schema, every claim keyed `{article id}/{claim id}` after a
/// claim of its published article and every such claim published once, and `poison`
/// dead letters with their source offsets.
fn check_outputs(setup: &Setup, poison: usize) {
    let enriched_schema = common::validator("enriched-article.schema.json");
    let claim_schema = common::validator("claim-record.schema.json");
    let errors = |v: &jsonschema::Validator, value: &Value| -> Vec<String> {
        v.iter_errors(value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect()
    };
    // Article id -> its claim ids.
    let mut claims_of: HashMap<String, HashSet<String>> = HashMap::new();
    read_to_end(
        &setup.topic("enriched"),
        setup.partitions,
        false,
        Duration::from_secs(120),
        |m| {
            let value: Value = serde_json::from_slice(m.payload().unwrap_or_default())
                .unwrap_or_else(|e| panic!("enriched record at {} is not JSON: {e}", m.offset()));
            let bad = errors(&enriched_schema, &value);
            assert!(bad.is_empty(), "enriched record not schema-valid: {bad:?}");
            let id = value["id"]
                .as_str()
                .expect("enriched record id")
                .to_string();
            let claims = value["claims"].as_array().expect("enriched claims array");
            let ids = claims
                .iter()
                .map(|c| c["id"].as_str().expect("claim id").to_string());
            claims_of.entry(id).or_default().extend(ids);
        },
    );
    let mut claim_keys: HashMap<String, usize> = HashMap::new();
    read_to_end(
        &setup.topic("claims"),
        setup.partitions,
        false,
        Duration::from_secs(120),
        |m| {
            let value: Value = serde_json::from_slice(m.payload().unwrap_or_default())
                .unwrap_or_else(|e| panic!("claim record at {} is not JSON: {e}", m.offset()));
            let bad = errors(&claim_schema, &value);
            assert!(bad.is_empty(), "claim record not schema-valid: {bad:?}");
            let key = String::from_utf8_lossy(m.key().expect("claim record key")).to_string();
            let article = value["article"]["id"].as_str().expect("claim's article id");
            let claim = value["claim"]["id"].as_str().expect("claim id");
            assert_eq!(key, format!("{article}/{claim}"), "claim record key");
            assert!(
                claims_of.get(article).is_some_and(|c| c.contains(claim)),
                "claim {key} is not a claim of a published article"
            );
            *claim_keys.entry(key).or_default() += 1;
        },
    );
    let published: usize = claims_of.values().map(HashSet::len).sum();
    assert!(published > 0, "no article has a claim: nothing was checked");
    for (article, claims) in &claims_of {
        for claim in claims {
            let key = format!("{article}/{claim}");
            assert_eq!(
                claim_keys.get(&key).copied().unwrap_or(0),
                1,
                "claim record {key} published once"
            );
        }
    }
    let mut offsets: HashSet<(String, String)> = HashSet::new();
    read_to_end(
        &setup.topic("dlq"),
        setup.partitions,
        false,
        Duration::from_secs(60),
        |m| {
            let h = headers(m);
            assert!(
                h.get("newsflow.reason").is_some_and(|r| !r.is_empty()),
                "dead letter without a reason: {h:?}"
            );
            let at = (
                h.get("newsflow.source.partition")
                    .cloned()
                    .unwrap_or_default(),
                h.get("newsflow.source.offset").cloned().unwrap_or_default(),
            );
            assert!(
                offsets.insert(at.clone()),
                "input {at:?} dead-lettered twice"
            );
        },
    );
    assert_eq!(offsets.len(), poison, "dead letters, by source offset");
    eprintln!(
        "outputs: {} enriched records and {published} claim records schema-valid, {poison} dead letters",
        claims_of.len()
    );
}

#[test]
fn sigterm_hands_back_in_flight_work_after_the_shutdown_timeout() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("handback");
    setup.create_input();
    let input = articles(&setup.prefix, 200);
    produce_keyed(&setup.topic("raw"), &input);
    // Partition 1 is held for far longer than the test runs. After --shutdown-timeout the
    // worker leaves the group without waiting --revoke-timeout (10 s by default) for the
    // same held work again: it exited 12.2 s after SIGTERM when it did.
    let mut first = stalled_worker(&setup, "w1", "600", &["--shutdown-timeout", "2"]);
    let addr = http_addr(&setup, "w1");
    let started = Instant::now();
    loop {
        let metrics = http_get(&addr, "/metrics");
        // Every input received (--max-in-flight is 1,024): partition 1's are held in flight.
        if metric(&metrics, "newsflow_consumed_total") == Some(input.len() as f64)
            && metric(&metrics, "newsflow_in_flight").is_some_and(|n| n >= 1.0)
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the worker has not received every input, or holds none in flight, after 90 s:\n{metrics}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, took) = first.sigterm();
    eprintln!("hand-back: exit {status} {took:?} after SIGTERM");
    let log = setup.log("w1");
    assert!(
        status.success(),
        "worker exit {status} after SIGTERM; log:\n{log}"
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "SIGTERM with --shutdown-timeout 2 took {took:?}; log:\n{log}"
    );
    assert!(
        log.contains("in-flight work not finished within the shutdown timeout"),
        "no hand-back logged:\n{log}"
    );
    let _second = setup.worker("w2", &[]);
    let expected: HashSet<String> = input.iter().map(|(id, _)| id.clone()).collect();
    wait_enriched(&setup, &expected, Duration::from_secs(120));
}

#[test]
fn a_flood_of_dead_letters_turns_readiness_off_and_good_articles_turn_it_on() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let setup = Setup::new("dlq-rate");
    setup.create_input();
    let worker = setup.worker("w1", &["--dlq-max-rate", "0.5", "--dlq-window", "20"]);
    let addr = http_addr(&setup, "w1");
    wait_ready(&addr, true, Duration::from_secs(90));
    let flood: Vec<(Option<String>, Vec<u8>)> = (0..60)
        .map(|i| {
            (
                Some(format!("bad-{i}")),
                format!("not json {i}").into_bytes(),
            )
        })
        .collect();
    produce(&setup.topic("raw"), &flood);
    let body = wait_ready(&addr, false, Duration::from_secs(60));
    assert!(
        body.starts_with("HTTP/1.1 503") && body.contains("dead-letter rate above threshold"),
        "{body}"
    );
    let good = articles(&setup.prefix, 60);
    produce_keyed(&setup.topic("raw"), &good);
    wait_ready(&addr, true, Duration::from_secs(90));
    let started = Instant::now();
    loop {
        let dead: usize = key_counts(&setup.topic("dlq"), setup.partitions, false)
            .values()
            .sum();
        assert!(
            dead <= flood.len(),
            "{dead} dead letters for {} malformed messages",
            flood.len()
        );
        if dead == flood.len() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{dead} of {} malformed messages dead-lettered after 60 s",
            flood.len()
        );
        std::thread::sleep(Duration::from_secs(1));
    }
    drop(worker);
}
