//! The chaos run's inputs and faults: the articles and malformed inputs it produces, the
//! steady producer, the broker outage, and the generator of the kill schedule. Included
//! by tests/chaos.rs only.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use serde_json::Value;

use crate::common::kafka::{brokers, corpus_articles, kafka_script, long_article};

/// How long the broker stays down.
pub const OUTAGE: Duration = Duration::from_secs(20);
/// One malformed input every so many inputs.
pub const MALFORMED_EVERY: usize = 97;
/// Body size of the oversized article: its enriched record is over the producer's 1 MB.
pub const OVERSIZED_BYTES: usize = 220_000;

/// SplitMix64: a small deterministic generator for the kill schedule.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A pause of 10 to 15 s, in milliseconds.
    pub fn kill_interval(&mut self) -> Duration {
        Duration::from_millis(10_000 + self.below(5_001))
    }
}

/// What an input is, and so where it must end up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A valid article: enriched (or dead-lettered with a reason).
    Article,
    /// The oversized article: enriched or dead-lettered with any reason.
    Oversized,
    /// Malformed: dead-lettered. The name says how.
    Malformed(&'static str),
}

/// One input of the run.
pub struct Input {
    /// Its id, the record key.
    pub id: String,
    /// What it is.
    pub kind: Kind,
    /// Its payload; `None` for a message without one.
    pub payload: Option<Vec<u8>>,
}

/// The malformed inputs, by name: not JSON, invalid UTF-8, a JSON array, a wrongly typed
/// field, an empty payload, no payload at all, a body of white space.
fn malformed(n: usize, id: &str) -> (&'static str, Option<Vec<u8>>) {
    let json = |v: Value| Some(serde_json::to_vec(&v).expect("json"));
    match n % 7 {
        0 => ("not_json", Some(b"not json at all".to_vec())),
        1 => {
            let mut bytes = format!("{{\"id\": \"{id}\", \"body\": \"caf").into_bytes();
            bytes.extend_from_slice(b"\xe9\"}");
            ("invalid_utf8", Some(bytes))
        }
        2 => ("json_array", Some(b"[1, 2, 3]".to_vec())),
        3 => (
            "wrong_type",
            json(serde_json::json!({"id": id, "body": 42})),
        ),
        4 => ("empty_payload", Some(Vec::new())),
        5 => ("null_payload", None),
        _ => (
            "whitespace_body",
            json(serde_json::json!({"id": id, "title": "t", "body": " \n\t "})),
        ),
    }
}

/// `n` inputs with ids `{prefix}-{i}`: corpus articles, a malformed input every
/// [`MALFORMED_EVERY`], and the oversized article at two fifths.
pub fn build_inputs(prefix: &str, n: usize) -> Vec<Input> {
    let corpus = corpus_articles();
    let oversized_at = n * 2 / 5;
    (0..n)
        .map(|i| {
            let id = format!("{prefix}-{i}");
            if i == oversized_at {
                return Input {
                    payload: Some(long_article(&id, OVERSIZED_BYTES)),
                    id,
                    kind: Kind::Oversized,
                };
            }
            if i % MALFORMED_EVERY == MALFORMED_EVERY / 2 {
                let (name, payload) = malformed(i / MALFORMED_EVERY, &id);
                return Input {
                    id,
                    kind: Kind::Malformed(name),
                    payload,
                };
            }
            let mut article = corpus[i % corpus.len()].clone();
            article["id"] = Value::String(id.clone());
            Input {
                id,
                kind: Kind::Article,
                payload: Some(serde_json::to_vec(&article).expect("json")),
            }
        })
        .collect()
}

/// Produces the inputs evenly over `over`, keyed by id, with an idempotent producer (the
/// broker outage must not duplicate inputs); returns where each landed.
pub fn produce_steadily(
    topic: String,
    inputs: Arc<Vec<Input>>,
    over: Duration,
) -> JoinHandle<Vec<(i32, i64)>> {
    std::thread::spawn(move || {
        let producer: FutureProducer = ClientConfig::new()
            .set("bootstrap.servers", brokers())
            .set("enable.idempotence", "true")
            .set("linger.ms", "5")
            .set("message.timeout.ms", "180000")
            .create()
            .expect("producer");
        let started = Instant::now();
        let mut pending = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let due = over.mul_f64(i as f64 / inputs.len() as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
            let mut record = FutureRecord::to(&topic).key(input.id.as_str());
            if let Some(payload) = &input.payload {
                record = record.payload(payload.as_slice());
            }
            loop {
                match producer.send_result(record) {
                    Ok(delivery) => break pending.push(delivery),
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                        record = r;
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Err((e, _)) => panic!("input {} could not be queued: {e}", input.id),
                }
            }
        }
        futures::executor::block_on(futures::future::join_all(pending))
            .into_iter()
            .zip(inputs.iter())
            .map(|(delivery, input)| match delivery {
                Ok(Ok(d)) => (d.partition, d.offset),
                Ok(Err((e, _))) => panic!("input {} was not produced: {e}", input.id),
                Err(_) => panic!("input {}: its delivery report was dropped", input.id),
            })
            .collect()
    })
}

/// Stops the broker after `after`, for [`OUTAGE`], and starts it again.
pub fn outage(after: Duration, started: Instant) -> JoinHandle<(Duration, Duration)> {
    std::thread::spawn(move || {
        std::thread::sleep(after);
        kafka_script("stop");
        let down = started.elapsed();
        eprintln!("chaos: broker stopped at {} s", down.as_secs());
        std::thread::sleep(OUTAGE);
        kafka_script("start");
        let up = started.elapsed();
        eprintln!("chaos: broker started again at {} s", up.as_secs());
        (down, up)
    })
}
