//! `newsflow produce` and `newsflow run` against a real Apache Kafka broker (started by
//! scripts/test through scripts/kafka; its address comes in NEWSFLOW_TEST_BROKERS): what
//! they publish and what they say. The tests fail, never skip, without a broker.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};

fn brokers() -> String {
    std::env::var("NEWSFLOW_TEST_BROKERS").unwrap_or_else(|_| {
        panic!("NEWSFLOW_TEST_BROKERS is not set: run the tests with scripts/test, which starts a Kafka broker")
    })
}

fn newsflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsflow"))
}

/// A name no other test run uses, and a folder for its files.
fn unique(name: &str) -> (String, PathBuf) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let prefix = format!(
        "cli-{name}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000
    );
    let dir = std::env::temp_dir().join(format!("newsflow-{prefix}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    (prefix, dir)
}

fn write_lines(path: &Path, lines: &[String]) {
    let mut f = std::fs::File::create(path).expect("create input");
    for line in lines {
        writeln!(f, "{line}").expect("write input");
    }
}

fn article(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "body": "Officials said on Monday that the road to the city was closed."}}"#
    )
}

fn produce(topic: &str, extra: &[&str], input: &Path) -> Output {
    newsflow()
        .args(["produce", "--brokers", &brokers(), "--topic", topic])
        .args(["--partitions", "2", "--startup-timeout", "30"])
        .args(extra)
        .arg(input)
        .output()
        .expect("newsflow produce starts")
}

/// Messages in a topic: the sum of its partitions' high watermarks (the topics are new).
fn messages_in(topic: &str) -> i64 {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("group.id", format!("{topic}-count"))
        .create()
        .expect("consumer");
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .expect("metadata");
    metadata
        .topics()
        .iter()
        .flat_map(|t| t.partitions())
        .map(|p| {
            consumer
                .fetch_watermarks(topic, p.id(), Duration::from_secs(10))
                .expect("watermarks")
                .1
        })
        .sum()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn produce_publishes_checked_articles_and_says_how_many() {
    let (topic, dir) = unique("produce-ok");
    let input = dir.join("ok.jsonl");
    write_lines(
        &input,
        &[article("a1"), String::new(), article("a2"), article("a3")],
    );
    let output = produce(&topic, &[], &input);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "newsflow produce: published 3 articles to {topic}"
        )),
        "{err}"
    );
    assert_eq!(messages_in(&topic), 3);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn produce_raw_publishes_every_line_and_counts_those_that_are_not_articles() {
    let (topic, dir) = unique("produce-raw");
    let input = dir.join("mixed.jsonl");
    write_lines(
        &input,
        &[
            article("r1"),
            "not json".into(),
            r#"{"id": "r3", "title": "no text"}"#.into(),
            article("r4"),
        ],
    );
    let refused = produce(&topic, &[], &input);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("nothing was published"));
    let output = produce(&topic, &["--raw"], &input);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains(&format!("published 4 lines to {topic} in")),
        "{err}"
    );
    assert!(
        err.contains("2 of them not valid articles (missing_text 1, not_json 1)"),
        "{err}"
    );
    assert_eq!(messages_in(&topic), 4);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn produce_checks_the_topic_limit_before_publishing_anything() {
    let (topic, dir) = unique("produce-topic-limit");
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .create()
        .expect("admin client");
    let new = NewTopic::new(&topic, 1, TopicReplication::Fixed(1)).set("max.message.bytes", "2000");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let created = runtime
        .block_on(admin.create_topics([&new], &AdminOptions::new()))
        .expect("create topic");
    assert!(created.iter().all(Result::is_ok), "{created:?}");
    let input = dir.join("big.jsonl");
    let big = format!(r#"{{"id": "big", "body": "{}"}}"#, "x".repeat(3000));
    write_lines(&input, &[article("s1"), big, article("s2")]);
    // The producer would take it; the topic would not.
    let output = produce(&topic, &["-X", "message.max.bytes=100000"], &input);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "1 line(s) too large to publish to {topic}, so nothing was published"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} line 2: a record of", input.display())),
        "{err}"
    );
    assert!(
        err.contains("over the topic's max.message.bytes (uncompressed) of 2,000"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "--entity-name {topic} --add-config max.message.bytes="
        )),
        "{err}"
    );
    assert_eq!(messages_in(&topic), 0, "line 1 fits but was not published");
    let _ = std::fs::remove_dir_all(dir);
}

/// A worker whose log goes to a file.
struct Worker {
    child: Child,
    log: PathBuf,
}

impl Worker {
    fn start(prefix: &str, dir: &Path, brokers: &str, extra: &[&str]) -> Worker {
        let log = dir.join("worker.log");
        let topic = |kind: &str| format!("{prefix}.{kind}");
        let child = newsflow()
            .args(["run", "--brokers", brokers, "--group-id", prefix])
            .args([
                "--input-topic",
                &topic("raw"),
                "--enriched-topic",
                &topic("enriched"),
            ])
            .args([
                "--claims-topic",
                &topic("claims"),
                "--dlq-topic",
                &topic("dlq"),
            ])
            .args(["--http-listen", "off", "--worker-id", prefix])
            .args(extra)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("newsflow run starts");
        Worker { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log has `text`; panics with the log after `limit`.
    fn wait_for(&mut self, text: &str, limit: Duration) {
        let started = Instant::now();
        while !self.log().contains(text) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the worker exited ({status}) before logging {text:?}:\n{}",
                    self.log()
                );
            }
            assert!(
                started.elapsed() < limit,
                "no {text:?} within {limit:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn sigterm(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("wait for the worker")
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Forwards every connection to `listener` to `upstream`, in background threads.
fn forward(listener: TcpListener, upstream: String) {
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let upstream = upstream.clone();
            std::thread::spawn(move || {
                let Ok(server) = TcpStream::connect(&upstream) else {
                    return;
                };
                let (Ok(mut from_client), Ok(mut to_server)) =
                    (client.try_clone(), server.try_clone())
                else {
                    return;
                };
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from_client, &mut to_server);
                    let _ = to_server.shutdown(std::net::Shutdown::Write);
                });
                let (mut to_client, mut from_server) = (client, server);
                let _ = std::io::copy(&mut from_server, &mut to_client);
                let _ = to_client.shutdown(std::net::Shutdown::Write);
            });
        }
    });
}

#[test]
fn a_worker_started_before_its_broker_is_reachable_waits_for_it_and_joins() {
    let (prefix, dir) = unique("run-late-broker");
    // An address that refuses connections until the test opens it, forwarding to the broker
    // (which then advertises its own address: only the bootstrap goes through here).
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut worker = Worker::start(&prefix, &dir, &address, &["--startup-timeout", "90"]);
    worker.wait_for(
        &format!("cannot reach the Kafka brokers at {address} (attempt 1); next attempt in"),
        Duration::from_secs(30),
    );
    let listener = TcpListener::bind(&address).expect("the port is still free");
    forward(listener, brokers());
    worker.wait_for(
        &format!("Kafka brokers reached at {address}"),
        Duration::from_secs(30),
    );
    worker.wait_for("partitions assigned", Duration::from_secs(60));
    let status = worker.sigterm();
    assert!(status.success(), "{status}:\n{}", worker.log());
    let log = worker.log();
    let librdkafka: Vec<&str> = log.lines().filter(|l| l.contains(" librdkafka:")).collect();
    assert!(
        librdkafka
            .iter()
            .all(|l| l.contains(&format!("brokers=\"{address}\""))),
        "{log}"
    );
    assert!(
        librdkafka.len() <= 20,
        "{} librdkafka lines:\n{log}",
        librdkafka.len()
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_worker_not_allowed_to_create_topics_names_the_missing_ones() {
    let (prefix, dir) = unique("run-missing-topics");
    let mut worker = Worker::start(&prefix, &dir, &brokers(), &["--create-topics", "false"]);
    worker.wait_for(
        &format!("topics missing on the brokers at {}", brokers()),
        Duration::from_secs(30),
    );
    let log = worker.log();
    assert!(log.contains(&format!("\"{prefix}.raw\"")), "{log}");
    assert!(log.contains("--create-topics true"), "{log}");
    let status = worker.sigterm();
    assert!(status.success(), "{status}:\n{}", worker.log());
    let _ = std::fs::remove_dir_all(dir);
}
