//! `newsflow demo`: the whole job on one machine with nothing installed but cargo.
//!
//! Starts librdkafka's in-process mock cluster (a Kafka-protocol broker), publishes the
//! bundled sample articles to `articles.raw`, runs a worker against it exactly as `newsflow
//! run` would, reads `articles.enriched` back and prints each article in a readable form.

use std::io::Write;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use rdkafka::ClientConfig;
use rdkafka::Message;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::FutureProducer;

use super::error::{CliError, Context};
use crate::ops::health::Health;
use crate::pipeline::Pipeline;
use crate::record::{EnrichedArticle, RelationKind};
use crate::transport::jsonl::Line;
use crate::transport::kafka::produce::produce_lines;
use crate::transport::kafka::{self, LogFormat, RunArgs, RunConfig};

/// The sample articles bundled with newsflow.
const SAMPLES: &str = include_str!("../../samples/articles.jsonl");

/// Arguments of `newsflow demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the enriched records as JSON lines instead of the readable view.
    #[arg(long)]
    pub json: bool,
    /// Show the worker's logs.
    #[arg(long)]
    pub verbose: bool,
}

/// Runs `newsflow demo`.
pub fn run(args: DemoArgs) -> Result<ExitCode, CliError> {
    if args.verbose {
        super::run::init_logging(LogFormat::Text);
    }
    super::run::runtime()?.block_on(demo(args))
}

async fn demo(args: DemoArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let cluster =
        MockCluster::new(1).context(|| "cannot start the embedded Kafka broker".into())?;
    let brokers = cluster.bootstrap_servers();
    let config = RunConfig::resolve(RunArgs {
        brokers: Some(brokers.clone()),
        group_id: Some("newsflow-demo".into()),
        create_topics: Some(false),
        http_listen: Some("off".into()),
        worker_id: Some("demo-worker".into()),
        shutdown_timeout: Some(10),
        ..Default::default()
    })?;
    let t = &config.topics;
    for topic in [&t.input, &t.enriched, &t.claims, &t.dlq] {
        cluster
            .create_topic(topic, 3, 1)
            .context(|| format!("cannot create topic {topic} on the embedded broker"))?;
    }
    let lines: Vec<Line> = SAMPLES
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| Line {
            number: n as u64 + 1,
            bytes: l.as_bytes().to_vec(),
        })
        .collect();
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .create()
        .context(|| "cannot create a producer".into())?;
    let published = produce_lines(&producer, &t.input, "samples/articles.jsonl", &lines).await?;
    eprintln!(
        "newsflow demo: embedded broker at {brokers}; published {published} sample articles to {}",
        t.input
    );

    let reader: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", "newsflow-demo-reader")
        .set("auto.offset.reset", "earliest")
        .create()
        .context(|| "cannot create a consumer".into())?;
    reader
        .subscribe(&[&t.enriched])
        .context(|| format!("cannot subscribe to {}", t.enriched))?;

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let pipeline = Pipeline::new(config.limits)?.with_full_texts(config.full_texts);
    let health = Arc::new(Health::new(config.dlq_max_rate, config.dlq_window));
    let worker = tokio::spawn(kafka::run_worker(config, pipeline, health, async {
        let _ = stop_rx.await;
    }));

    let mut articles: Vec<EnrichedArticle> = Vec::new();

    let mut printing = true;
    let deadline = Instant::now() + Duration::from_secs(60);
    while (articles.len() as u64) < published {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let message = tokio::time::timeout(remaining, reader.recv())
            .await
            .map_err(|_| {
                format!(
                    "only {} of {published} enriched articles arrived within 60 s",
                    articles.len()
                )
            })?
            .context(|| "cannot read articles.enriched".into())?;
        let Some(payload) = message.payload() else {
            continue;
        };
        let article: EnrichedArticle = serde_json::from_slice(payload)
            .context(|| "an enriched record does not parse".into())?;
        if articles.iter().any(|a| a.id == article.id) {
            continue;
        }
        if printing {
            let mut out = std::io::stdout();
            let written = if args.json {
                writeln!(out, "{}", String::from_utf8_lossy(payload))
            } else {
                write!(out, "{}", readable(&article))
            };
            match written {
                Ok(()) => {}
                // The reader has gone (`newsflow demo | head`): stop printing, finish
                // cleanly.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => printing = false,
                Err(e) => {
                    return Err(e).context(|| "cannot write to standard output".into());
                }
            }
        }
        articles.push(article);
    }
    let _ = stop_tx.send(());
    worker.await.context(|| "the worker task failed".into())??;

    let claims: usize = articles.iter().map(|a| a.claims.len()).sum();
    let contradictions: usize = articles
        .iter()
        .flat_map(|a| &a.relations)
        .filter(|r| r.kind == RelationKind::Contradicts)
        .count();
    let entities: usize = articles.iter().map(|a| a.entities.len()).sum();
    eprintln!(
        "newsflow demo: {} articles enriched through Kafka: {entities} entities, {claims} claims, {contradictions} contradictions, in {:.1}s",
        articles.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// A readable view of one enriched article.
pub fn readable(a: &EnrichedArticle) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n━━ {}  [{}]  {}",
        a.id,
        a.language.code,
        a.title.as_deref().unwrap_or("")
    );
    let credited: Vec<String> = a
        .credits
        .credited
        .iter()
        .map(|c| c.agency.clone().unwrap_or_else(|| c.span.text.clone()))
        .collect();
    let cited: Vec<String> = a
        .credits
        .cited
        .iter()
        .filter_map(|c| c.agency.clone())
        .collect();
    let _ = writeln!(
        out,
        "   credits: publisher {}; credited {}; cited as channels {}",
        a.credits
            .publisher
            .as_ref()
            .map_or("-".to_string(), |p| p.span.text.clone()),
        if credited.is_empty() {
            "-".into()
        } else {
            credited.join(", ")
        },
        if cited.is_empty() {
            "-".into()
        } else {
            cited.join(", ")
        }
    );
    let entities: Vec<String> = a
        .entities
        .iter()
        .map(|e| {
            format!(
                "{} ({:?}{})",
                e.name,
                e.kind,
                e.role.as_ref().map_or(String::new(), |r| format!(", {r}"))
            )
        })
        .collect();
    let _ = writeln!(out, "   entities: {}", entities.join("; "));
    for c in &a.claims {
        let via = c.via.as_ref().map_or(String::new(), |v| {
            format!(
                " via {}",
                v.agency.clone().unwrap_or_else(|| v.span.text.clone())
            )
        });
        let _ = writeln!(
            out,
            "   {:<4} {} [{:?}{}] {} ({:?}, {:?}, {:?}){via}: {}",
            c.id,
            c.speaker.span.text,
            c.speaker.kind,
            if c.speaker.implicit { ", implicit" } else { "" },
            c.cue.span.text,
            c.cue.class,
            c.stance,
            c.mode,
            c.content.text
        );
    }
    for r in &a.relations {
        let _ = writeln!(
            out,
            "   {} {:?} {}: {}",
            r.claims[0], r.kind, r.claims[1], r.basis
        );
    }
    out
}
