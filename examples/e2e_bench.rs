//! End-to-end benchmark against a running Kafka broker: throughput (articles/s) of N
//! workers on a backlog, and latency (p50, p99) from produce to enriched at a steady rate.
//!
//! Usage (scripts/bench-e2e starts a broker and runs the usual configurations):
//!   cargo run --release --example e2e_bench -- BROKERS WORKERS GUARANTEE [ARTICLES] [RATE]
//! GUARANTEE is at-least-once or exactly-once. Workers run in this process, each with its
//! own consumer and producer, exactly as `newsflow run` runs them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsflow::ops::health::Health;
use newsflow::pipeline::{Limits, Pipeline};
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

fn article(corpus: &[Value], prefix: &str, i: usize) -> (String, Vec<u8>) {
    let mut v = corpus[i % corpus.len()].clone();
    let id = format!("{prefix}-{i}");
    v["id"] = Value::String(id.clone());
    (id, serde_json::to_vec(&v).unwrap_or_default())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let brokers = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:39092".into());
    let workers: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let guarantee = match args.get(3).map(String::as_str) {
        Some("exactly-once") => Guarantee::ExactlyOnce,
        _ => Guarantee::AtLeastOnce,
    };
    let n: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let rate: f64 = args.get(5).and_then(|a| a.parse().ok()).unwrap_or(200.0);
    let corpus = corpus();
    let prefix = format!(
        "bench-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    );
    let topic = |k: &str| format!("{prefix}.{k}");
    let raw = topic("raw");
    let mut client = ClientConfig::new();
    client.set("bootstrap.servers", &brokers);
    admin::ensure_topics(
        &client,
        &[
            &topic("raw"),
            &topic("enriched"),
            &topic("claims"),
            &topic("dlq"),
        ],
        6,
        1,
    )
    .await?;
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("linger.ms", "5")
        .create()
        .map_err(|e| e.to_string())?;

    // Backlog for the throughput phase.
    let backlog: Vec<(String, Vec<u8>)> = (0..n).map(|i| article(&corpus, &prefix, i)).collect();
    let sends = backlog.iter().map(|(id, p)| {
        producer.send(
            FutureRecord::to(&raw).key(id).payload(p),
            Duration::from_secs(60),
        )
    });
    for r in futures::future::join_all(sends).await {
        r.map_err(|(e, _)| e.to_string())?;
    }

    let reader: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", format!("{prefix}-reader"))
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_committed")
        .create()
        .map_err(|e| e.to_string())?;
    reader
        .subscribe(&[&topic("enriched")])
        .map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut stops = Vec::new();
    let mut handles = Vec::new();
    for w in 0..workers {
        let config = RunConfig::resolve(RunArgs {
            brokers: Some(brokers.clone()),
            group_id: Some(prefix.clone()),
            input_topic: Some(topic("raw")),
            enriched_topic: Some(topic("enriched")),
            claims_topic: Some(topic("claims")),
            dlq_topic: Some(topic("dlq")),
            create_topics: Some(false),
            http_listen: Some("off".into()),
            guarantee: Some(guarantee),
            worker_id: Some(format!("{prefix}-w{w}")),
            // The worker's flags that shape throughput, from the environment as
            // `newsflow run` reads them.
            max_in_flight: std::env::var("NEWSFLOW_MAX_IN_FLIGHT")
                .ok()
                .and_then(|v| v.parse().ok()),
            threads: std::env::var("NEWSFLOW_THREADS")
                .ok()
                .and_then(|v| v.parse().ok()),
            ..Default::default()
        })?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        stops.push(tx);
        let pipeline = Pipeline::new(Limits::default())?;
        let health = Arc::new(Health::new(1.0, 100));
        handles.push(tokio::spawn(kafka::run_worker(
            config,
            pipeline,
            health,
            async {
                let _ = rx.await;
            },
        )));
    }
    let mut seen: HashMap<String, Instant> = HashMap::new();
    while seen.len() < n {
        let m = tokio::time::timeout(Duration::from_secs(120), reader.recv())
            .await
            .map_err(|_| format!("only {} of {n} articles enriched within 120 s", seen.len()))?
            .map_err(|e| e.to_string())?;
        if let Some(k) = m.key() {
            seen.entry(String::from_utf8_lossy(k).to_string())
                .or_insert_with(Instant::now);
        }
    }
    // On a backlog: from the first enriched article to the last, so the group join (a few
    // seconds, the same for any backlog) does not dilute the rate; the join is printed too.
    let first = seen.values().min().copied().unwrap_or(started);
    let last = seen.values().max().copied().unwrap_or(started);
    let join_s = first.duration_since(started).as_secs_f64();
    let throughput =
        (n.saturating_sub(1)) as f64 / last.duration_since(first).as_secs_f64().max(1e-3);

    // Latency at a steady rate: a producer task sends on schedule and notes the time of
    // each send; this task reads the enriched topic and matches ids.
    let m = (rate * 10.0) as usize;
    let sent: Arc<std::sync::Mutex<HashMap<String, Instant>>> = Arc::default();
    let sender = {
        let (sent, producer, raw, corpus, prefix) = (
            sent.clone(),
            producer.clone(),
            raw.clone(),
            corpus.clone(),
            prefix.clone(),
        );
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            let mut pending = Vec::new();
            for i in n..n + m {
                ticker.tick().await;
                let (id, payload) = article(&corpus, &prefix, i);
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
        })
    };
    let mut latencies = Vec::with_capacity(m);
    while latencies.len() < m {
        let msg = tokio::time::timeout(Duration::from_secs(60), reader.recv())
            .await
            .map_err(|_| format!("only {} of {m} timed articles arrived", latencies.len()))?
            .map_err(|e| e.to_string())?;
        if let Some(k) = msg.key() {
            let id = String::from_utf8_lossy(k).to_string();
            if let Some(t) = sent.lock().unwrap_or_else(|p| p.into_inner()).remove(&id) {
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let _ = sender.await;
    latencies.sort_by(f64::total_cmp);
    for s in stops {
        let _ = s.send(());
    }
    for h in handles {
        let _ = h.await;
    }
    println!(
        "workers={workers} guarantee={guarantee:?} articles={n} join={join_s:.1} s throughput={throughput:.0} articles/s latency_at_{rate:.0}/s p50={:.1} ms p99={:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    Ok(())
}
