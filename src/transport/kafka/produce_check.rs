//! What `newsflow produce` checks before it publishes anything: each line is an article the
//! pipeline accepts (the same intake as the workers), and each record fits the producer's
//! `message.max.bytes` and the topic's `max.message.bytes`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::pipeline::intake;
use crate::record::RejectReason;

/// librdkafka's default `message.max.bytes`.
pub const DEFAULT_MESSAGE_MAX_BYTES: u64 = 1_000_000;
/// librdkafka's worst-case framing of one record (length, attributes, timestamp and offset
/// deltas, key and value lengths, header count: `RD_KAFKAP_MESSAGE_V2_MAX_OVERHEAD`),
/// counted against `message.max.bytes` with the key and value.
pub const RECORD_FRAMING: u64 = 36;
/// The header of a record batch (`RD_KAFKAP_MSGSET_V2_SIZE`), counted by the broker against
/// the topic's `max.message.bytes` with the batch's records.
pub const BATCH_FRAMING: u64 = 61;
/// Bad or oversized lines named in an error; the rest are counted.
pub const MAX_LISTED: usize = 20;
/// The largest lines remembered for the topic's limit, known only once the broker is reached.
const LARGEST_KEPT: usize = 10;

/// One line's verdict: its key, and why the pipeline would reject it, if it would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// The article's `id`, trimmed, when it has a non-empty one: the record's key.
    pub key: Option<String>,
    /// Why the workers would dead-letter it.
    pub invalid: Option<(RejectReason, String)>,
}

/// Reads a line as the workers' intake does (its JSON shape; sizes are checked apart).
pub fn inspect(bytes: &[u8]) -> Inspected {
    match intake::decode(bytes, usize::MAX) {
        Ok(article) => Inspected {
            key: non_empty(article.id),
            invalid: None,
        },
        Err(e) => Inspected {
            key: serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|v| v.get("id")?.as_str().map(str::to_string))
                .and_then(|id| non_empty(Some(id))),
            invalid: Some((e.reason, e.message)),
        },
    }
}

fn non_empty(id: Option<String>) -> Option<String> {
    id.map(|i| i.trim().to_string()).filter(|i| !i.is_empty())
}

/// A line, by file and number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file ("-" for standard input).
    pub file: String,
    /// 1-based line number.
    pub line: u64,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} line {}", self.file, self.line)
    }
}

/// What the first pass found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Lines read.
    pub lines: u64,
    /// Lines that are not articles, by reason.
    pub invalid_by_reason: BTreeMap<&'static str, u64>,
    /// The first bad lines, with reason and message.
    pub invalid: Vec<(Place, RejectReason, String)>,
    /// The largest records (key and value bytes), smallest first on top.
    largest: BinaryHeap<Reverse<(u64, Place)>>,
    /// Records over the producer's limit, counted exactly (the limit is known from the
    /// start), and the first of them.
    over_producer: u64,
    over_producer_first: Vec<(Place, u64)>,
    producer_limit: u64,
}

impl Checked {
    /// An empty tally against the producer's `message.max.bytes`.
    pub fn new(producer_limit: u64) -> Self {
        Checked {
            producer_limit,
            ..Checked::default()
        }
    }

    /// Counts one line.
    pub fn add(&mut self, place: Place, bytes: &[u8]) {
        self.lines += 1;
        let inspected = inspect(bytes);
        let size = bytes.len() as u64 + inspected.key.as_ref().map_or(0, |k| k.len() as u64);
        if let Some((reason, message)) = inspected.invalid {
            *self.invalid_by_reason.entry(reason.as_str()).or_default() += 1;
            if self.invalid.len() < MAX_LISTED {
                self.invalid.push((place.clone(), reason, message));
            }
        }
        if size + RECORD_FRAMING > self.producer_limit {
            self.over_producer += 1;
            if self.over_producer_first.len() < MAX_LISTED {
                self.over_producer_first.push((place.clone(), size));
            }
        }
        self.largest.push(Reverse((size, place)));
        if self.largest.len() > LARGEST_KEPT {
            self.largest.pop();
        }
    }

    /// Lines that are not articles.
    pub fn invalid_count(&self) -> u64 {
        self.invalid_by_reason.values().sum()
    }

    /// The bad lines, as an error; `None` when every line is an article.
    pub fn invalid_error(&self) -> Option<InvalidLines> {
        (self.invalid_count() > 0).then(|| InvalidLines {
            lines: self.lines,
            invalid: self.invalid_count(),
            listed: self.invalid.clone(),
        })
    }

    /// The records over the producer's limit, as an error.
    pub fn over_producer_limit(&self, topic: &str, brokers: &str) -> Option<TooLarge> {
        (self.over_producer > 0).then(|| TooLarge {
            topic: topic.to_string(),
            brokers: brokers.to_string(),
            limit: Limit::Producer(self.producer_limit),
            count: self.over_producer,
            at_least: false,
            listed: self.over_producer_first.clone(),
            largest: self.largest_size(),
        })
    }

    /// The records over the topic's `max.message.bytes` (uncompressed, in a batch of their
    /// own), as an error.
    pub fn over_topic_limit(&self, topic: &str, brokers: &str, limit: u64) -> Option<TooLarge> {
        let mut over: Vec<(Place, u64)> = self
            .largest
            .iter()
            .filter(|Reverse((size, _))| size + RECORD_FRAMING + BATCH_FRAMING > limit)
            .map(|Reverse((size, place))| (place.clone(), *size))
            .collect();
        over.sort();
        (!over.is_empty()).then(|| TooLarge {
            topic: topic.to_string(),
            brokers: brokers.to_string(),
            limit: Limit::Topic(limit),
            count: over.len() as u64,
            at_least: over.len() == LARGEST_KEPT && self.lines > LARGEST_KEPT as u64,
            listed: over,
            largest: self.largest_size(),
        })
    }

    fn largest_size(&self) -> u64 {
        self.largest
            .iter()
            .map(|Reverse((size, _))| *size)
            .max()
            .unwrap_or(0)
    }
}

/// Lines that are not articles: nothing was published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidLines {
    /// Lines read.
    pub lines: u64,
    /// Lines that are not articles.
    pub invalid: u64,
    /// The first of them.
    pub listed: Vec<(Place, RejectReason, String)>,
}

impl std::fmt::Display for InvalidLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} of {} lines are not articles the workers accept, so nothing was published:",
            self.invalid, self.lines
        )?;
        for (place, reason, message) in &self.listed {
            writeln!(f, "  {place}: {}: {message}", reason.as_str())?;
        }
        let more = self.invalid - self.listed.len() as u64;
        if more > 0 {
            writeln!(f, "  ... and {more} more")?;
        }
        write!(
            f,
            "Fix or remove them, or pass --raw to publish every line untouched (the workers send the bad ones to the dead-letter topic)."
        )
    }
}

/// The limit a record is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The producer's `message.max.bytes` (librdkafka's default, or `-X`).
    Producer(u64),
    /// The topic's `max.message.bytes`, from the broker.
    Topic(u64),
}

/// Records too large to publish: nothing was published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TooLarge {
    /// The topic.
    pub topic: String,
    /// The bootstrap address, for the hint.
    pub brokers: String,
    /// The limit they are over.
    pub limit: Limit,
    /// How many.
    pub count: u64,
    /// Whether there may be more than `count` (the topic's limit is checked against the
    /// largest lines only).
    pub at_least: bool,
    /// The first of them: place and size (key and value bytes).
    pub listed: Vec<(Place, u64)>,
    /// The largest record of the input.
    pub largest: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, limit, framing) = match self.limit {
            Limit::Producer(l) => ("the producer's message.max.bytes", l, RECORD_FRAMING),
            Limit::Topic(l) => (
                "the topic's max.message.bytes (uncompressed)",
                l,
                RECORD_FRAMING + BATCH_FRAMING,
            ),
        };
        let count = if self.at_least {
            format!("at least {}", self.count)
        } else {
            self.count.to_string()
        };
        writeln!(
            f,
            "{count} line(s) too large to publish to {}, so nothing was published:",
            self.topic
        )?;
        for (place, size) in &self.listed {
            writeln!(
                f,
                "  {place}: a record of {} bytes ({} of line and key, {framing} of framing), over {what} of {}",
                thousands(size + framing),
                thousands(*size),
                thousands(limit)
            )?;
        }
        let more = self.count.saturating_sub(self.listed.len() as u64);
        if more > 0 {
            writeln!(f, "  ... and {more} more")?;
        }
        let need = self.largest + RECORD_FRAMING + BATCH_FRAMING;
        let producer = format!("-X message.max.bytes={need}");
        let topic = format!(
            "kafka-configs.sh --bootstrap-server {} --alter --entity-type topics --entity-name {} --add-config max.message.bytes={need}",
            self.brokers, self.topic
        );
        let (first, then) = match self.limit {
            Limit::Producer(_) => (
                format!("raise the producer's limit with {producer}"),
                format!("the topic's max.message.bytes, if it is lower, with {topic}"),
            ),
            Limit::Topic(_) => (
                format!("raise the topic's limit with {topic}"),
                format!("the producer's, if it is lower, with {producer}"),
            ),
        };
        write!(
            f,
            "To publish them, {first}, and {then}. The workers' enriched records run 5 to 9 times their input, so their output topics and producer need room too."
        )
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A `message.max.bytes` that is not a number of bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("message.max.bytes must be a number of bytes, got {0:?} (-X message.max.bytes=N)")]
pub struct LimitError(pub String);

/// The producer's `message.max.bytes`, as set (`-X`) or librdkafka's default.
pub fn producer_limit(value: Option<&str>) -> Result<u64, LimitError> {
    match value {
        None => Ok(DEFAULT_MESSAGE_MAX_BYTES),
        Some(v) => v.trim().parse().map_err(|_| LimitError(v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(line: u64) -> Place {
        Place {
            file: "in.jsonl".into(),
            line,
        }
    }

    #[test]
    fn a_line_is_read_as_the_workers_read_it() {
        let ok = inspect(br#"{"id": " a1 ", "body": "text"}"#);
        assert_eq!(ok.key.as_deref(), Some("a1"));
        assert!(ok.invalid.is_none());
        let missing = inspect(br#"{"id": "a2", "title": "no text"}"#);
        assert_eq!(missing.key.as_deref(), Some("a2"));
        assert_eq!(
            missing.invalid.map(|(r, _)| r),
            Some(RejectReason::MissingText)
        );
        assert_eq!(
            inspect(b"not json").invalid.map(|(r, _)| r),
            Some(RejectReason::NotJson)
        );
        assert_eq!(inspect(br#"{"id": "", "body": "x"}"#).key, None);
    }

    #[test]
    fn bad_lines_are_named_with_file_line_and_reason() {
        let mut checked = Checked::new(DEFAULT_MESSAGE_MAX_BYTES);
        checked.add(place(1), br#"{"body": "fine"}"#);
        checked.add(place(2), b"not json");
        checked.add(place(3), br#"{"body": 7}"#);
        let error = checked.invalid_error().expect("two bad lines");
        assert_eq!((error.lines, error.invalid), (3, 2));
        let text = error.to_string();
        assert!(text.contains("2 of 3 lines"), "{text}");
        assert!(
            text.contains("in.jsonl line 2: not_json: not valid JSON"),
            "{text}"
        );
        assert!(
            text.contains("in.jsonl line 3: invalid_field: field `body`"),
            "{text}"
        );
        assert!(text.contains("--raw"), "{text}");
        assert!(!text.contains("line 1:"), "{text}");
    }

    #[test]
    fn records_over_the_producer_limit_are_all_counted() {
        let mut checked = Checked::new(1000);
        let big = format!(r#"{{"id": "big", "body": "{}"}}"#, "x".repeat(1000));
        let fits = format!(r#"{{"body": "{}"}}"#, "x".repeat(1000 - 36 - 12));
        assert_eq!(fits.len() as u64 + RECORD_FRAMING, 1000);
        checked.add(place(1), fits.as_bytes());
        for line in 2..40 {
            checked.add(place(line), big.as_bytes());
        }
        let error = checked
            .over_producer_limit("raw", "b:9092")
            .expect("too large");
        assert_eq!(error.count, 38);
        assert_eq!(error.listed.len(), MAX_LISTED);
        assert_eq!(error.listed[0], (place(2), big.len() as u64 + 3));
        let text = error.to_string();
        assert!(
            text.contains("38 line(s) too large to publish to raw"),
            "{text}"
        );
        let line2 = format!(
            "in.jsonl line 2: a record of {} bytes ({} of line and key, 36 of framing)",
            thousands(big.len() as u64 + 3 + 36),
            thousands(big.len() as u64 + 3)
        );
        assert!(text.contains(&line2), "{text}");
        assert!(text.contains("message.max.bytes of 1,000"), "{text}");
        let need = big.len() as u64 + 3 + 36 + 61;
        assert!(
            text.contains(&format!(
                "raise the producer's limit with -X message.max.bytes={need}"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("kafka-configs.sh --bootstrap-server b:9092 --alter --entity-type topics --entity-name raw --add-config max.message.bytes={need}")),
            "{text}"
        );
        assert!(text.contains("... and 18 more"), "{text}");
    }

    #[test]
    fn the_topic_limit_counts_the_batch_header_too() {
        let mut checked = Checked::new(DEFAULT_MESSAGE_MAX_BYTES);
        checked.add(place(1), &[b'x'; 900]);
        checked.add(place(2), &[b'x'; 903]);
        assert!(checked.over_producer_limit("raw", "b:9092").is_none());
        assert!(checked.over_topic_limit("raw", "b:9092", 1000).is_none());
        let error = checked
            .over_topic_limit("raw", "b:9092", 999)
            .expect("line 2 is over");
        assert_eq!(error.listed, vec![(place(2), 903)]);
        assert!(!error.at_least);
        assert!(
            error
                .to_string()
                .contains("max.message.bytes (uncompressed) of 999")
        );
    }

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_048_588), "1,048,588");
        assert_eq!(producer_limit(None), Ok(1_000_000));
        assert_eq!(producer_limit(Some("2000000")), Ok(2_000_000));
        assert!(producer_limit(Some("2MB")).is_err());
    }
}
