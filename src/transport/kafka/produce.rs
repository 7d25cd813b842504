//! Publishing JSONL articles to the raw topic: replay, backfill, tests.
//!
//! Every input is read twice: first to check each line (an article the workers accept,
//! unless `raw`) and each record's size against the producer's and the topic's limits,
//! then to publish. When any line fails a check nothing is published, so a run is never
//! left half done by a bad line.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use rdkafka::ClientConfig;
use rdkafka::client::ClientContext;
use rdkafka::producer::{FutureProducer, FutureRecord};

use super::admin;
use super::client_log::LogContext;
use super::connect::{self, ConnectError};
use super::produce_check::{self, Checked, InvalidLines, Place, TooLarge};
use crate::transport::jsonl::{Line, LineReader};

/// Lines and bytes read at once.
const BATCH_LINES: usize = 1000;
const BATCH_BYTES: usize = 8 << 20;

/// What to publish where, and how.
#[derive(Debug, Clone)]
pub struct ProduceOptions {
    /// The topic.
    pub topic: String,
    /// Its partitions, if it has to be created.
    pub partitions: i32,
    /// Publish every line untouched, articles or not.
    pub raw: bool,
    /// How long to wait for the brokers.
    pub startup_timeout: Duration,
}

/// What a produce run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProduceSummary {
    /// Lines published.
    pub published: u64,
    /// Of them, lines that are not articles (only with `raw`), by reason.
    pub invalid_by_reason: BTreeMap<&'static str, u64>,
}

/// Why a produce run stopped.
#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    /// An input could not be read.
    #[error("cannot read {file}: {message}")]
    Read {
        /// The file.
        file: String,
        /// What happened.
        message: String,
    },
    /// Lines that are not articles (without `raw`).
    #[error(transparent)]
    Invalid(#[from] InvalidLines),
    /// Records over a size limit.
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
    /// The brokers could not be reached.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The producer's `message.max.bytes` is not a number.
    #[error(transparent)]
    ProducerLimit(#[from] produce_check::LimitError),
    /// librdkafka refused to create the producer.
    #[error("cannot create the Kafka producer for {brokers}: {source}; check the -X properties")]
    Client {
        /// The bootstrap address.
        brokers: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<rdkafka::error::KafkaError>,
    },
    /// The topic could not be created or described.
    #[error(transparent)]
    Admin(#[from] admin::AdminError),
    /// A file changed between the check and the publishing.
    #[error(
        "{place} is not an article any more ({reason}): the input changed after it was checked; {published} lines were published before it"
    )]
    Changed {
        /// The line.
        place: Place,
        /// Why it is not an article now.
        reason: &'static str,
        /// Lines published before it.
        published: u64,
    },
    /// The broker refused a record.
    #[error(
        "{place}: not published to {topic}: {message}; {published} lines were published before the failure"
    )]
    Publish {
        /// The line.
        place: Place,
        /// The topic.
        topic: String,
        /// What the producer said.
        message: String,
        /// Lines acknowledged before it.
        published: u64,
    },
}

/// An input: a file, read again for publishing, or standard input, kept in memory.
enum Input {
    File(String),
    Stdin(Vec<Line>),
}

impl Input {
    fn open(name: &str) -> Result<Self, ProduceError> {
        if name != "-" {
            return Ok(Input::File(name.to_string()));
        }
        let mut reader = reader(name)?;
        let mut lines = Vec::new();
        while let Some(batch) = next_batch(&mut reader)? {
            lines.extend(batch);
        }
        Ok(Input::Stdin(lines))
    }

    fn name(&self) -> &str {
        match self {
            Input::File(name) => name,
            Input::Stdin(_) => "standard input",
        }
    }

    /// Calls `f` on each batch of lines.
    async fn each_batch<F>(&self, mut f: F) -> Result<(), ProduceError>
    where
        F: AsyncFnMut(Cow<'_, [Line]>) -> Result<(), ProduceError>,
    {
        match self {
            Input::Stdin(lines) => f(Cow::Borrowed(lines)).await,
            Input::File(name) => {
                let mut reader = reader(name)?;
                while let Some(batch) = next_batch(&mut reader)? {
                    f(Cow::Owned(batch)).await?;
                }
                Ok(())
            }
        }
    }
}

fn reader(name: &str) -> Result<LineReader, ProduceError> {
    LineReader::open(name).map_err(|e| ProduceError::Read {
        file: name.to_string(),
        message: e.to_string(),
    })
}

fn next_batch(reader: &mut LineReader) -> Result<Option<Vec<Line>>, ProduceError> {
    let batch = reader
        .next_batch(BATCH_LINES, BATCH_BYTES)
        .map_err(|e| ProduceError::Read {
            file: reader.name.clone(),
            message: e.to_string(),
        })?;
    Ok((!batch.is_empty()).then_some(batch))
}

/// Checks every line of the files, then reaches the brokers, creates the topic if it is
/// missing, checks the records against its `max.message.bytes`, and publishes each line
/// untouched, keyed by its `id` (an article's versions stay in one partition), waiting for
/// every acknowledgement. Nothing is published when a check fails.
pub async fn produce_files(
    config: &ClientConfig,
    options: &ProduceOptions,
    files: &[String],
) -> Result<ProduceSummary, ProduceError> {
    let brokers = config
        .get("bootstrap.servers")
        .unwrap_or_default()
        .to_string();
    let limit = produce_check::producer_limit(config.get("message.max.bytes"))?;
    let inputs = files
        .iter()
        .map(|f| Input::open(f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut checked = Checked::new(limit);
    for input in &inputs {
        input
            .each_batch(async |batch| {
                for line in batch.iter() {
                    checked.add(place(input.name(), line), &line.bytes);
                }
                Ok(())
            })
            .await?;
    }
    if !options.raw
        && let Some(e) = checked.invalid_error()
    {
        return Err(e.into());
    }
    if let Some(e) = checked.over_producer_limit(&options.topic, &brokers) {
        return Err(e.into());
    }
    let producer: FutureProducer<LogContext> = config
        .create_with_context(LogContext::new("producer", &brokers))
        .map_err(|source| ProduceError::Client {
            brokers: brokers.clone(),
            source: Box::new(source),
        })?;
    prepare_topic(config, &producer, &brokers, options, &checked).await?;
    let mut published = 0;
    for input in &inputs {
        input
            .each_batch(async |batch| {
                published += publish(&producer, options, input.name(), &batch, published).await?;
                Ok(())
            })
            .await?;
    }
    Ok(ProduceSummary {
        published,
        invalid_by_reason: checked.invalid_by_reason,
    })
}

/// Reaches the brokers, creates the topic if missing, and checks the largest records
/// against its `max.message.bytes`.
async fn prepare_topic(
    config: &ClientConfig,
    producer: &FutureProducer<LogContext>,
    brokers: &str,
    options: &ProduceOptions,
    checked: &Checked,
) -> Result<(), ProduceError> {
    let topic = options.topic.as_str();
    let cluster = connect::wait_for_brokers(producer, brokers, options.startup_timeout).await?;
    let (admin, _) = admin::client(config)?;
    if !cluster.topics.contains(topic) {
        admin::create_topics(&admin, brokers, &[topic], options.partitions, 1).await?;
    }
    match admin::max_message_bytes(config, &[topic]).await {
        Ok(limits) => match limits
            .get(topic)
            .and_then(|l| checked.over_topic_limit(topic, brokers, *l as u64))
        {
            Some(e) => Err(e.into()),
            None => Ok(()),
        },
        Err(e) => {
            tracing::warn!(
                topic,
                "{e}; records are checked against the producer's message.max.bytes only"
            );
            Ok(())
        }
    }
}

fn place(file: &str, line: &Line) -> Place {
    Place {
        file: file.to_string(),
        line: line.number,
    }
}

/// Publishes checked lines (checked again, in case the file changed); returns how many.
async fn publish<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    options: &ProduceOptions,
    source: &str,
    lines: &[Line],
    published_before: u64,
) -> Result<u64, ProduceError> {
    let mut keyed = Vec::with_capacity(lines.len());
    for line in lines {
        let inspected = produce_check::inspect(&line.bytes);
        if let (false, Some((reason, _))) = (options.raw, &inspected.invalid) {
            return Err(ProduceError::Changed {
                place: place(source, line),
                reason: reason.as_str(),
                published: published_before,
            });
        }
        keyed.push((line, inspected.key));
    }
    send_all(producer, &options.topic, source, &keyed)
        .await
        .map_err(|(place, message, published)| ProduceError::Publish {
            place,
            topic: options.topic.clone(),
            message,
            published: published_before + published,
        })
}

/// Publishes lines, each keyed by its article's `id` when it has one, and waits for every
/// acknowledgement; returns how many were published.
pub async fn produce_lines<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    topic: &str,
    source: &str,
    lines: &[Line],
) -> Result<u64, ProduceError> {
    let keyed: Vec<(&Line, Option<String>)> = lines
        .iter()
        .map(|l| (l, produce_check::inspect(&l.bytes).key))
        .collect();
    send_all(producer, topic, source, &keyed)
        .await
        .map_err(|(place, message, published)| ProduceError::Publish {
            place,
            topic: topic.to_string(),
            message,
            published,
        })
}

/// Sends every line and waits for the acknowledgements; on a failure, says which line,
/// why, and how many were acknowledged.
async fn send_all<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    topic: &str,
    source: &str,
    lines: &[(&Line, Option<String>)],
) -> Result<u64, (Place, String, u64)> {
    let mut pending = FuturesUnordered::new();
    for (line, key) in lines {
        pending.push(async move {
            let mut record = FutureRecord::to(topic).payload(&line.bytes);
            if let Some(k) = key {
                record = record.key(k.as_str());
            }
            producer
                .send(record, Duration::from_secs(60))
                .await
                .map_err(|(e, _)| (place(source, line), e.to_string()))
        });
    }
    let mut published = 0;
    while let Some(result) = pending.next().await {
        result.map_err(|(place, message)| (place, message, published))?;
        published += 1;
    }
    Ok(published)
}
