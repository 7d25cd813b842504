//! Helpers for the tests against a real Apache Kafka broker (tests/kafka.rs, tests/chaos.rs):
//! its address, topics and a group per test, `newsflow run` workers, producing, reading
//! topics back, committed offsets, and stopping or starting the broker.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Headers};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};
use serde_json::Value;

/// The broker's address, from NEWSFLOW_TEST_BROKERS (set by scripts/test and scripts/chaos).
pub fn brokers() -> String {
    std::env::var("NEWSFLOW_TEST_BROKERS").unwrap_or_else(|_| {
        panic!("NEWSFLOW_TEST_BROKERS is not set: run the tests with scripts/test, which starts a Kafka broker")
    })
}

/// Topic names, a group and a log folder for one test.
pub struct Setup {
    pub prefix: String,
    pub dir: PathBuf,
    /// Partitions of the input topic and of the topics the workers create.
    pub partitions: i32,
}

impl Setup {
    /// Four partitions; see [`Setup::with_partitions`].
    pub fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let prefix = format!("{name}-{}-{}", std::process::id(), nanos % 1_000_000_000);
        let dir = std::env::temp_dir().join(format!("newsflow-kafka-test-{prefix}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Setup {
            prefix,
            dir,
            partitions: 4,
        }
    }

    pub fn with_partitions(mut self, partitions: i32) -> Self {
        self.partitions = partitions;
        self
    }

    pub fn topic(&self, kind: &str) -> String {
        format!("{}.{kind}", self.prefix)
    }

    /// A worker logging to `{id}.log`.
    pub fn worker(&self, id: &str, extra: &[&str]) -> Worker {
        self.worker_logging_to(id, id, extra)
    }

    /// A worker with `--worker-id id` logging to `{log}.log` (a restarted worker keeps its
    /// id but gets a log of its own).
    pub fn worker_logging_to(&self, id: &str, log: &str, extra: &[&str]) -> Worker {
        let file = std::fs::File::create(self.dir.join(format!("{log}.log"))).expect("log file");
        self.worker_with_env(id, extra, &[], file)
    }

    /// A worker with extra environment variables (test hooks), logging to `log`.
    pub fn worker_with_env(
        &self,
        id: &str,
        extra: &[&str],
        env: &[(&str, &str)],
        log: std::fs::File,
    ) -> Worker {
        let child = Command::new(env!("CARGO_BIN_EXE_newsflow"))
            .envs(env.iter().copied())
            .args(["run", "--brokers", &brokers(), "--group-id", &self.prefix])
            .args([
                "--input-topic",
                &self.topic("raw"),
                "--enriched-topic",
                &self.topic("enriched"),
            ])
            .args([
                "--claims-topic",
                &self.topic("claims"),
                "--dlq-topic",
                &self.topic("dlq"),
            ])
            .args([
                "--topic-partitions",
                &self.partitions.to_string(),
                "--http-listen",
                "127.0.0.1:0",
                "--worker-id",
                id,
            ])
            // 20 s unless the test sets its own.
            .args(if extra.contains(&"--shutdown-timeout") {
                &[][..]
            } else {
                &["--shutdown-timeout", "20"][..]
            })
            .args(extra)
            .env(
                "RUST_LOG",
                std::env::var("NEWSFLOW_TEST_WORKER_LOG")
                    .unwrap_or_else(|_| "info,librdkafka=warn".into()),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("newsflow run starts");
        Worker {
            child,
            id: id.to_string(),
        }
    }

    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(format!("{name}.log"))).unwrap_or_default()
    }

    /// The WARN and ERROR lines of every worker log, grouped by message (digits masked),
    /// most frequent first.
    pub fn log_summary(&self) -> Vec<(usize, String)> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let logs = std::fs::read_dir(&self.dir).expect("the worker log folder");
        for entry in logs.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for line in text.lines() {
                let Some(at) = line.find(" WARN ").or_else(|| line.find(" ERROR ")) else {
                    continue;
                };
                let rest = line[at..].trim_start();
                let (level, rest) = rest.split_once(' ').unwrap_or((rest, ""));
                let message = rest.split_once(": ").map_or(rest, |(_, m)| m);
                let masked: String = message
                    .chars()
                    .take(140)
                    .map(|c| if c.is_ascii_digit() { '#' } else { c })
                    .collect();
                *counts.entry(format!("{level} {masked}")).or_default() += 1;
            }
        }
        let mut sorted: Vec<(usize, String)> = counts.into_iter().map(|(m, c)| (c, m)).collect();
        sorted.sort_by(|a, b| b.cmp(a));
        sorted
    }

    /// Creates the input topic with [`Setup::partitions`] partitions.
    pub fn create_input(&self) {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", brokers());
        let raw = self.topic("raw");
        runtime()
            .block_on(newsflow::transport::kafka::admin::ensure_topics(
                &config,
                &[&raw],
                self.partitions,
                1,
            ))
            .expect("input topic created");
    }

    /// `(partition, committed offset of the test's group, log end)` for every partition of
    /// the input topic; a partition without a committed offset counts as committed at 0.
    pub fn committed_and_end(&self) -> Vec<(i32, i64, i64)> {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", brokers())
            .set("group.id", &self.prefix)
            .create()
            .expect("consumer");
        let raw = self.topic("raw");
        let mut tpl = TopicPartitionList::new();
        for p in 0..self.partitions {
            tpl.add_partition(&raw, p);
        }
        let committed = consumer
            .committed_offsets(tpl, Duration::from_secs(10))
            .expect("committed offsets of the workers' group");
        committed
            .elements()
            .iter()
            .map(|e| {
                let (_, high) = consumer
                    .fetch_watermarks(e.topic(), e.partition(), Duration::from_secs(10))
                    .expect("watermarks of the input topic");
                let at = match e.offset() {
                    Offset::Offset(o) => o,
                    _ => 0,
                };
                (e.partition(), at, high)
            })
            .collect()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        if !std::thread::panicking() && std::env::var_os("NEWSFLOW_TEST_KEEP_LOGS").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A `newsflow run` process, killed when dropped.
pub struct Worker {
    pub child: Child,
    pub id: String,
}

impl Worker {
    /// Sends SIGTERM and waits (60 s at most) for the exit.
    pub fn sigterm(&mut self) -> (ExitStatus, Duration) {
        let started = Instant::now();
        self.signal_term();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (status, started.elapsed());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "worker {} did not exit within 60 s of SIGTERM",
                self.id
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGTERM without waiting.
    pub fn signal_term(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// Resident memory, from /proc, in kB.
    pub fn rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn sigkill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `scripts/kafka stop` or `scripts/kafka start` (the broker of NEWSFLOW_KAFKA_PORT
/// and NEWSFLOW_KAFKA_DIR, which the test inherits from scripts/test or scripts/chaos).
pub fn kafka_script(command: &str) {
    let kafka = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka");
    let status = Command::new(&kafka)
        .arg(command)
        .status()
        .unwrap_or_else(|e| panic!("{} {command}: {e}", kafka.display()));
    assert!(status.success(), "scripts/kafka {command} failed: {status}");
}

/// The articles of the shared corpora (English, then Arabic), as JSON objects.
pub fn corpus_articles() -> Vec<Value> {
    let shared = super::shared().join("corpus");
    let mut all = Vec::new();
    for name in ["articles-en.jsonl", "articles-ar.jsonl"] {
        let text = std::fs::read_to_string(shared.join(name)).expect("corpus");
        for line in text.lines() {
            all.push(serde_json::from_str(line).expect("json"));
        }
    }
    all
}

/// An English article of about `bytes` bytes of real corpus text, with id `id`.
pub fn long_article(id: &str, bytes: usize) -> Vec<u8> {
    let text =
        std::fs::read_to_string(super::shared().join("corpus/articles-en.jsonl")).expect("corpus");
    let bodies: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["body"].as_str().map(str::to_string))
        .collect();
    let mut body = String::with_capacity(bytes + 10_000);
    for b in bodies.iter().cycle() {
        if body.len() >= bytes {
            break;
        }
        body.push_str(b);
        body.push_str("\n\n");
    }
    serde_json::to_vec(&serde_json::json!({"id": id, "title": "A long article", "body": body}))
        .expect("json")
}

/// `n` distinct articles built from the shared corpora, ids `{prefix}-{i}`.
pub fn articles(prefix: &str, n: usize) -> Vec<(String, Vec<u8>)> {
    let bodies = corpus_articles();
    (0..n)
        .map(|i| {
            let mut v = bodies[i % bodies.len()].clone();
            let id = format!("{prefix}-{i}");
            v["id"] = Value::String(id.clone());
            (id, serde_json::to_vec(&v).expect("json"))
        })
        .collect()
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn produce(topic: &str, messages: &[(Option<String>, Vec<u8>)]) {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("linger.ms", "5")
        .create()
        .expect("producer");
    runtime().block_on(async {
        let sends = messages.iter().map(|(key, payload)| {
            let mut record = FutureRecord::to(topic).payload(payload);
            if let Some(k) = key {
                record = record.key(k.as_str());
            }
            producer.send(record, Duration::from_secs(60))
        });
        for result in futures::future::join_all(sends).await {
            result.expect("produced");
        }
    });
}

/// Publishes articles keyed by their ids.
pub fn produce_keyed(topic: &str, articles: &[(String, Vec<u8>)]) {
    let keyed: Vec<(Option<String>, Vec<u8>)> = articles
        .iter()
        .map(|(id, p)| (Some(id.clone()), p.clone()))
        .collect();
    produce(topic, &keyed);
}

/// A plain HTTP/1.1 GET, for the worker's operations endpoints.
pub fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect to the worker's HTTP port");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    response
}

fn reader(group: &str, read_committed: bool) -> BaseConsumer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("group.id", group)
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set(
            "isolation.level",
            if read_committed {
                "read_committed"
            } else {
                "read_uncommitted"
            },
        )
        .create()
        .expect("consumer")
}

/// Reads a topic from the beginning until `done` says so or the timeout passes. `done` is
/// also asked (with `None`) whenever a poll brings nothing.
pub fn consume(
    topic: &str,
    read_committed: bool,
    timeout: Duration,
    mut done: impl FnMut(Option<&BorrowedMessage>) -> bool,
) {
    let consumer = reader(
        &format!("reader-{topic}-{}", std::process::id()),
        read_committed,
    );
    consumer.subscribe(&[topic]).expect("subscribe");
    let started = Instant::now();
    while started.elapsed() < timeout {
        let finished = match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => done(Some(&m)),
            _ => done(None),
        };
        if finished {
            return;
        }
    }
}

/// Reads every partition of a topic from its beginning to its end (the last stable offset
/// under read_committed), handing each message to `each`; panics if the end is not reached
/// within the timeout.
pub fn read_to_end(
    topic: &str,
    partitions: i32,
    read_committed: bool,
    timeout: Duration,
    mut each: impl FnMut(&BorrowedMessage),
) {
    let consumer = reader(
        &format!("reader-to-end-{topic}-{}", std::process::id()),
        read_committed,
    );
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(topic, p, Offset::Beginning)
            .expect("partition offset");
    }
    consumer.assign(&tpl).expect("assign");
    let mut at_end: HashSet<i32> = HashSet::new();
    let started = Instant::now();
    while at_end.len() < partitions as usize {
        assert!(
            started.elapsed() < timeout,
            "{topic}: the end of only {} of {partitions} partitions was reached within {timeout:?}",
            at_end.len()
        );
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => {
                at_end.remove(&m.partition());
                each(&m);
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                at_end.insert(p);
            }
            Some(Err(e)) => eprintln!("{topic}: consume error while reading back: {e}"),
            None => {}
        }
    }
}

/// The headers of a message as text.
pub fn headers(m: &BorrowedMessage) -> HashMap<String, String> {
    m.headers()
        .map(|h| {
            h.iter()
                .map(|h| {
                    (
                        h.key.to_string(),
                        String::from_utf8_lossy(h.value.unwrap_or_default()).to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The worker's HTTP address, from its log (it binds an ephemeral port).
pub fn http_addr(setup: &Setup, id: &str) -> String {
    let started = Instant::now();
    loop {
        let log = setup.log(id);
        if let Some(addr) = log
            .split("bound=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
        {
            return addr.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "worker {id} did not log its HTTP address within 30 s:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Polls /health/ready until `want` (ready or not) holds; returns the body seen then.
pub fn wait_ready(addr: &str, want: bool, within: Duration) -> String {
    let started = Instant::now();
    loop {
        let response = http_get(addr, "/health/ready");
        if response.starts_with("HTTP/1.1 200") == want {
            return response;
        }
        assert!(
            started.elapsed() < within,
            "readiness did not turn {} within {within:?}; last response:\n{response}",
            if want { "on" } else { "off" }
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Asserts every expected id is in `counts`; returns the duplicate records beyond one per
/// article, after printing them.
pub fn assert_complete(
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
