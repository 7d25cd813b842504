//! End-to-end benchmark against a running Kafka broker: throughput (articles/s) of N
//! workers on a backlog, and latency (p50, p99) from produce to enriched at a steady rate.
//!
//! Usage (scripts/bench-e2e starts a broker and runs the usual configurations):
//!   cargo run --release --example e2e_bench -- BROKERS WORKERS GUARANTEE [ARTICLES] [RATE]
//! GUARANTEE is at-least-once or exactly-once. Workers run in this process, each with its
//! own consumer and producer, exactly as `newsflow run` runs them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newsflow::cli::error::CliError;
use newsflow::ops::health::Health;
use newsflow::pipeline::Pipeline;
use newsflow::transport::kafka::{self, Guarantee, RunArgs, RunConfig, admin};
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Message};
use serde_json::Value;

fn corpus() -> Vec<Value> {
    let shared = std::env::var("NEWSFLOW_SHARED").unwrap_or_else(|_| "../shared".into());
    let mut out = Vec::new();
    for name in ["articles-en.jsonl", "articles-ar.jsonl"] {
        let path = format!("{shared}/corpus/{name}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.extend(
            text.lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok()),
        );
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// A setting of the worker's that shapes throughput, from the environment as `newsflow
/// run` reads it.
fn from_env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// What the command line asks for, and the topics of this run.
struct Bench {
    brokers: String,
    workers: usize,
    guarantee: Guarantee,
    articles: usize,
    rate: f64,
    prefix: String,
    corpus: Vec<Value>,
}

impl Bench {
    fn from_args() -> Self {
        let args: Vec<String> = std::env::args().collect();
        Bench {
            brokers: args
                .get(1)
                .cloned()
                .unwrap_or_else(|| "127.0.0.1:39092".into()),
            workers: args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1),
            guarantee: match args.get(3).map(String::as_str) {
                Some("exactly-once") => Guarantee::ExactlyOnce,
                _ => Guarantee::AtLeastOnce,
            },
            articles: args.get(4).and_then(|a| a.parse().ok()).unwrap_or(5000),
            rate: args.get(5).and_then(|a| a.parse().ok()).unwrap_or(200.0),
            prefix: format!(
                "bench-{}-{}",
                std::process::id(),
                Instant::now().elapsed().as_nanos()
            ),
            corpus: corpus(),
        }
    }

    fn topic(&self, kind: &str) -> String {
        format!("{}.{kind}", self.prefix)
    }

    /// Article `i`: a corpus article under an id of this run.
    fn article(&self, i: usize) -> (String, Vec<u8>) {
        let mut v = self.corpus[i % self.corpus.len()].clone();
        let id = format!("{}-{i}", self.prefix);
        v["id"] = Value::String(id.clone());
        (id, serde_json::to_vec(&v).unwrap_or_default())
    }

    /// Creates the topics; returns a producer to the raw one.
    async fn prepare(&self) -> Result<FutureProducer, CliError> {
        let mut client = ClientConfig::new();
        client.set("bootstrap.servers", &self.brokers);
        let topics = ["raw", "enriched", "claims", "dlq"].map(|k| self.topic(k));
        let topics: Vec<&str> = topics.iter().map(String::as_str).collect();
        admin::ensure_topics(&client, &topics, 6, 1).await?;
        Ok(ClientConfig::new()
            .set("bootstrap.servers", &self.brokers)
            .set("linger.ms", "5")
            .create()?)
    }

    /// Publishes the backlog of the throughput phase.
    async fn produce_backlog(&self, producer: &FutureProducer) -> Result<(), CliError> {
        let raw = self.topic("raw");
        let backlog: Vec<(String, Vec<u8>)> = (0..self.articles).map(|i| self.article(i)).collect();
        let sends = backlog.iter().map(|(id, p)| {
            producer.send(
                FutureRecord::to(&raw).key(id).payload(p),
                Duration::from_secs(60),
            )
        });
        for r in futures::future::join_all(sends).await {
            r.map_err(|(e, _)| e)?;
        }
        Ok(())
    }

    /// A read_committed reader of the enriched topic.
    fn reader(&self) -> Result<StreamConsumer, CliError> {
        let reader: StreamConsumer = ClientConfig::new()
            .set("bootstrap.servers", &self.brokers)
            .set("group.id", format!("{}-reader", self.prefix))
            .set("auto.offset.reset", "earliest")
            .set("isolation.level", "read_committed")
            .create()?;
        reader.subscribe(&[&self.topic("enriched")])?;
        Ok(reader)
    }

    /// Starts the workers; each stops when its sender is dropped or sent to.
    fn start_workers(&self) -> Result<Workers, CliError> {
        let mut workers = Workers::default();
        for w in 0..self.workers {
            let config = RunConfig::resolve(RunArgs {
                brokers: Some(self.brokers.clone()),
                group_id: Some(self.prefix.clone()),
                input_topic: Some(self.topic("raw")),
                enriched_topic: Some(self.topic("enriched")),
                claims_topic: Some(self.topic("claims")),
                dlq_topic: Some(self.topic("dlq")),
                create_topics: Some(false),
                http_listen: Some("off".into()),
                guarantee: Some(self.guarantee),
                worker_id: Some(format!("{}-w{w}", self.prefix)),
                max_in_flight: from_env("NEWSFLOW_MAX_IN_FLIGHT"),
                threads: from_env("NEWSFLOW_THREADS"),
                ..Default::default()
            })?;
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            workers.stops.push(tx);
            let pipeline = Pipeline::new(config.limits)?.with_full_texts(config.full_texts);
            let health = Arc::new(Health::new(1.0, 100));
            workers.handles.push(tokio::spawn(kafka::run_worker(
                config,
                pipeline,
                health,
                async {
                    let _ = rx.await;
                },
            )));
        }
        Ok(workers)
    }

    /// Reads the backlog's enriched articles; returns the group join's seconds and the
    /// rate, from the first enriched article to the last, so the join (a few seconds, the
    /// same for any backlog) does not dilute it.
    async fn throughput(
        &self,
        reader: &StreamConsumer,
        started: Instant,
    ) -> Result<(f64, f64), CliError> {
        let n = self.articles;
        let mut seen: HashMap<String, Instant> = HashMap::new();
        while seen.len() < n {
            let m = tokio::time::timeout(Duration::from_secs(120), reader.recv())
                .await
                .map_err(|_| {
                    format!("only {} of {n} articles enriched within 120 s", seen.len())
                })??;
            if let Some(k) = m.key() {
                seen.entry(String::from_utf8_lossy(k).to_string())
                    .or_insert_with(Instant::now);
            }
        }
        let first = seen.values().min().copied().unwrap_or(started);
        let last = seen.values().max().copied().unwrap_or(started);
        let join_s = first.duration_since(started).as_secs_f64();
        let rate =
            (n.saturating_sub(1)) as f64 / last.duration_since(first).as_secs_f64().max(1e-3);
        Ok((join_s, rate))
    }

    /// Latency at a steady rate: a producer task sends on schedule and notes the time of
    /// each send; this task reads the enriched topic and matches ids. Sorted, in ms.
    async fn latencies(
        self: &Arc<Self>,
        producer: &FutureProducer,
        reader: &StreamConsumer,
    ) -> Result<Vec<f64>, CliError> {
        let m = (self.rate * 10.0) as usize;
        let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
        let sender = tokio::spawn(
            self.clone()
                .send_steadily(producer.clone(), sent.clone(), m),
        );
        let mut latencies = Vec::with_capacity(m);
        while latencies.len() < m {
            let msg = tokio::time::timeout(Duration::from_secs(60), reader.recv())
                .await
                .map_err(|_| format!("only {} of {m} timed articles arrived", latencies.len()))??;
            if let Some(k) = msg.key() {
                let id = String::from_utf8_lossy(k).to_string();
                if let Some(t) = sent.lock().unwrap_or_else(|p| p.into_inner()).remove(&id) {
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
        let _ = sender.await;
        latencies.sort_by(f64::total_cmp);
        Ok(latencies)
    }

    /// Sends `m` articles after the backlog, at the rate, noting when each was sent.
    async fn send_steadily(
        self: Arc<Self>,
        producer: FutureProducer,
        sent: Arc<Mutex<HashMap<String, Instant>>>,
        m: usize,
    ) {
        let raw = self.topic("raw");
        let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / self.rate));
        let mut pending = Vec::new();
        for i in self.articles..self.articles + m {
            ticker.tick().await;
            let (id, payload) = self.article(i);
            sent.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id.clone(), Instant::now());
            let producer = producer.clone();
            let raw = raw.clone();
            pending.push(tokio::spawn(async move {
                let _ = producer
                    .send(
                        FutureRecord::to(&raw).key(&id).payload(&payload),
                        Duration::from_secs(60),
                    )
                    .await;
            }));
        }
        futures::future::join_all(pending).await;
    }
}

/// The running workers.
#[derive(Default)]
struct Workers {
    stops: Vec<tokio::sync::oneshot::Sender<()>>,
    handles: Vec<tokio::task::JoinHandle<Result<(), kafka::WorkerError>>>,
}

impl Workers {
    async fn stop(self) {
        for s in self.stops {
            let _ = s.send(());
        }
        for h in self.handles {
            let _ = h.await;
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), CliError> {
    let bench = Arc::new(Bench::from_args());
    let producer = bench.prepare().await?;
    bench.produce_backlog(&producer).await?;
    let reader = bench.reader()?;
    let started = Instant::now();
    let workers = bench.start_workers()?;
    let (join_s, throughput) = bench.throughput(&reader, started).await?;
    let latencies = bench.latencies(&producer, &reader).await?;
    workers.stop().await;
    println!(
        "workers={} guarantee={:?} articles={} join={join_s:.1} s throughput={throughput:.0} articles/s latency_at_{:.0}/s p50={:.1} ms p99={:.1} ms",
        bench.workers,
        bench.guarantee,
        bench.articles,
        bench.rate,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    Ok(())
}
