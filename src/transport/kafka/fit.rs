//! The size policy: every record fits its topic, or the input becomes a dead letter.
//!
//! A record over the producer's `message.max.bytes` or the topic's `max.message.bytes` is
//! refused by librdkafka or the broker, for good: retried, it would stall its partition
//! forever (an article of 211 KB makes an enriched record of about 1.6 MB). So before
//! anything is produced, each output is checked against its topic's limit:
//! - an enriched record over it is shrunk, in steps, keeping every offset: first the text
//!   copies of paragraph and sentence spans are left out, then those of every span (the
//!   offsets still point into `body`); the record says so in a warning `output_shrunk`;
//! - if it still does not fit (or a claim record does not), nothing of the article is
//!   published: the input goes to the dead-letter topic with reason `output_too_large`
//!   and the sizes in its headers, so its claims never appear without their article;
//! - a dead letter whose payload is over the dead-letter topic's limit goes without it,
//!   with header `newsflow.payload_omitted` and the source coordinates to read it from.
//!
//! Pure: no I/O, tested below.

use serde_json::Value;

use super::config::Topics;
use super::records::{InputMessage, OutputRecord, Processed, dead_letter, sink_reject, trace_of};
use crate::record::RejectReason;

/// librdkafka's default `message.max.bytes`.
pub const DEFAULT_PRODUCER_MAX_BYTES: usize = 1_000_000;

/// Room kept under a limit for what the size check does not see exactly: the record
/// batch's and each record's framing on the wire.
const FRAMING_BYTES: usize = 512;

/// The largest record each output topic takes, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimits {
    /// `articles.enriched`.
    pub enriched: usize,
    /// `claims`.
    pub claims: usize,
    /// The dead-letter topic.
    pub dlq: usize,
}

impl Default for SizeLimits {
    fn default() -> Self {
        SizeLimits {
            enriched: DEFAULT_PRODUCER_MAX_BYTES,
            claims: DEFAULT_PRODUCER_MAX_BYTES,
            dlq: DEFAULT_PRODUCER_MAX_BYTES,
        }
    }
}

impl SizeLimits {
    fn of(&self, topic: &str, topics: &Topics) -> usize {
        if topic == topics.enriched {
            self.enriched
        } else if topic == topics.claims {
            self.claims
        } else {
            self.dlq
        }
    }
}

/// The bytes a record takes against a limit: key, value, headers and framing.
pub fn record_bytes(record: &OutputRecord) -> usize {
    let headers: usize = record
        .headers
        .iter()
        .map(|(k, v)| k.len() + v.len() + 8)
        .sum();
    record.key.len() + record.payload.len() + headers + FRAMING_BYTES
}

/// Makes every output of one input fit its topic (see the module's doc).
pub fn fit(
    mut processed: Processed,
    msg: &InputMessage,
    topics: &Topics,
    limits: &SizeLimits,
    worker_id: &str,
) -> Processed {
    let mut too_large: Option<(String, usize)> = None;
    for record in processed.outputs.iter_mut() {
        let limit = limits.of(&record.topic, topics);
        let size = record_bytes(record);
        if size <= limit || record.topic == topics.dlq {
            continue;
        }
        if record.topic == topics.enriched
            && let Some(shrunk) = shrink(
                &record.payload,
                limit.saturating_sub(size - record.payload.len()),
            )
        {
            record.payload = shrunk;
            continue;
        }
        too_large = Some((
            format!(
                "the {} record made from this article is {size} bytes, over the limit of {limit} bytes of topic {}{}; \
             raise the producer's message.max.bytes (-X message.max.bytes=...) and the topic's max.message.bytes to publish such articles",
                if record.topic == topics.enriched {
                    "enriched"
                } else {
                    "claim"
                },
                record.topic,
                if record.topic == topics.enriched {
                    " even with every span's text left out"
                } else {
                    ""
                },
            ),
            limit,
        ));
        break;
    }
    if let Some((message, limit)) = too_large {
        let output_bytes: usize = processed.outputs.iter().map(record_bytes).sum();
        let reject = sink_reject(msg, RejectReason::OutputTooLarge, message);
        let mut letter = dead_letter(msg, &reject, topics, worker_id, trace_of(msg));
        letter.headers.push((
            "newsflow.output.bytes".into(),
            output_bytes.to_string().into_bytes(),
        ));
        letter.headers.push((
            "newsflow.output.limit".into(),
            limit.to_string().into_bytes(),
        ));
        processed.outputs = vec![letter];
        processed.rejected = Some(RejectReason::OutputTooLarge.as_str());
    }
    for record in processed.outputs.iter_mut() {
        if record.topic == topics.dlq {
            fit_dead_letter(record, limits.dlq);
        }
    }
    processed
}

/// The dead letter for an input whose outputs the broker refused for good.
pub fn rejected_output(
    msg: &InputMessage,
    topics: &Topics,
    limits: &SizeLimits,
    worker_id: &str,
    error: &str,
) -> OutputRecord {
    let reject = sink_reject(
        msg,
        RejectReason::OutputRejected,
        format!(
            "the broker refused a record made from this article for good: {error}; \
             the article is not published (some of its claim records may be); fix the cause and replay it from the dead-letter topic"
        ),
    );
    let mut letter = dead_letter(msg, &reject, topics, worker_id, trace_of(msg));
    fit_dead_letter(&mut letter, limits.dlq);
    letter
}

/// Leaves the payload out of a dead letter that is over the dead-letter topic's limit.
fn fit_dead_letter(record: &mut OutputRecord, limit: usize) {
    let size = record_bytes(record);
    if size <= limit {
        return;
    }
    let payload_bytes = record.payload.len();
    record.payload = Vec::new();
    record.headers.push((
        "newsflow.payload_omitted".into(),
        format!(
            "the input of {payload_bytes} bytes is over the dead-letter topic's limit of {limit} bytes; \
             read it from the source topic, partition and offset in these headers"
        )
        .into_bytes(),
    ));
}

/// Shrinks an enriched record's JSON in steps until it is at most `limit` bytes; `None`
/// when even the last step does not fit.
fn shrink(payload: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut record: Value = serde_json::from_slice(payload).ok()?;
    // Paragraph and sentence spans carry their text only with --full-texts: without it
    // this first step has nothing to take out.
    let structure_texts = record.get_mut("text").map_or(0, strip_span_texts);
    if structure_texts > 0 {
        add_shrunk_warning(
            &mut record,
            "paragraph and sentence spans carry offsets only",
        );
        let first = serde_json::to_vec(&record).ok()?;
        if first.len() <= limit {
            return Some(first);
        }
    }
    for (key, value) in record.as_object_mut()?.iter_mut() {
        if !matches!(key.as_str(), "body" | "title" | "warnings") {
            strip_span_texts(value);
        }
    }
    let every = shrunk_message("every span carries offsets only");
    match record
        .get_mut("warnings")
        .and_then(Value::as_array_mut)
        .and_then(|w| w.last_mut())
        .filter(|_| structure_texts > 0)
    {
        Some(w) => w["message"] = Value::String(every),
        None => add_shrunk_warning(&mut record, "every span carries offsets only"),
    }
    let second = serde_json::to_vec(&record).ok()?;
    (second.len() <= limit).then_some(second)
}

fn shrunk_message(what: &str) -> String {
    format!(
        "the record was over its topic's size limit, so {what}: read each span's text from `body` (or `title`) at its start and end"
    )
}

fn add_shrunk_warning(record: &mut Value, what: &str) {
    let warning = serde_json::json!({"code": "output_shrunk", "message": shrunk_message(what)});
    match record.get_mut("warnings").and_then(Value::as_array_mut) {
        Some(warnings) => warnings.push(warning),
        None => record["warnings"] = Value::Array(vec![warning]),
    }
}

/// Removes `text` from every `{start, end, text}` object below `value`; how many it removed.
fn strip_span_texts(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let here = (map.contains_key("start") && map.contains_key("end"))
                .then(|| map.remove("text"))
                .flatten()
                .map_or(0, |_| 1);
            here + map.values_mut().map(strip_span_texts).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(strip_span_texts).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Limits, Pipeline};
    use crate::transport::kafka::records::process;

    fn topics() -> Topics {
        Topics::default()
    }

    fn message(body: &str) -> InputMessage {
        InputMessage {
            topic: "articles.raw".into(),
            partition: 1,
            offset: 9,
            payload: serde_json::to_vec(&serde_json::json!({"id": "big", "body": body}))
                .expect("json"),
            ..Default::default()
        }
    }

    fn header<'a>(record: &'a OutputRecord, key: &str) -> Option<&'a [u8]> {
        record
            .headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    fn body(paragraphs: usize) -> String {
        (0..paragraphs)
            .map(|i| format!("The ministry said on Monday that {i} people were killed in the city. Witnesses said the road was closed.\n\n"))
            .collect()
    }

    #[test]
    fn records_under_their_limits_are_left_alone() {
        let pipeline = Pipeline::new(Limits::default()).expect("loads");
        let msg = message(&body(3));
        let processed = process(&pipeline, &msg, &topics(), "w1");
        let before = processed.outputs.clone();
        let fitted = fit(processed, &msg, &topics(), &SizeLimits::default(), "w1");
        assert_eq!(fitted.outputs, before);
    }

    #[test]
    fn an_enriched_record_over_its_limit_is_shrunk_keeping_its_offsets() {
        let pipeline = Pipeline::new(Limits::default())
            .expect("loads")
            .with_full_texts(true);
        let msg = message(&body(200));
        let processed = process(&pipeline, &msg, &topics(), "w1");
        let enriched = processed
            .outputs
            .iter()
            .find(|o| o.topic == "articles.enriched")
            .expect("enriched")
            .clone();
        let limit = enriched.payload.len() * 3 / 4;
        let limits = SizeLimits {
            enriched: limit,
            ..SizeLimits::default()
        };
        let fitted = fit(processed, &msg, &topics(), &limits, "w1");
        assert_eq!(fitted.rejected, None);
        let shrunk = fitted
            .outputs
            .iter()
            .find(|o| o.topic == "articles.enriched")
            .expect("still published");
        assert!(record_bytes(shrunk) <= limit);
        let value: Value = serde_json::from_slice(&shrunk.payload).expect("json");
        assert!(value["text"]["sentences"][0]["span"].get("text").is_none());
        assert!(value["text"]["sentences"][0]["span"]["end"].as_u64() > Some(0));
        let codes: Vec<&str> = value["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter_map(|w| w["code"].as_str())
            .collect();
        assert!(codes.contains(&"output_shrunk"), "{codes:?}");
        // The shrunk record is still an EnrichedArticle.
        let _: crate::record::EnrichedArticle =
            serde_json::from_slice(&shrunk.payload).expect("reads back");
    }

    #[test]
    fn without_full_texts_shrinking_goes_straight_to_every_span() {
        let pipeline = Pipeline::new(Limits::default()).expect("loads");
        let msg = message(&body(200));
        let processed = process(&pipeline, &msg, &topics(), "w1");
        let size = |p: &Processed| {
            p.outputs
                .iter()
                .find(|o| o.topic == "articles.enriched")
                .map_or(0, |o| o.payload.len())
        };
        let limits = SizeLimits {
            enriched: size(&processed) - 50,
            ..SizeLimits::default()
        };
        let fitted = fit(processed, &msg, &topics(), &limits, "w1");
        assert_eq!(fitted.rejected, None);
        let shrunk: Value = fitted
            .outputs
            .iter()
            .find(|o| o.topic == "articles.enriched")
            .and_then(|o| serde_json::from_slice(&o.payload).ok())
            .expect("still published");
        let shrunk_warnings: Vec<&str> = shrunk["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter(|w| w["code"] == "output_shrunk")
            .filter_map(|w| w["message"].as_str())
            .collect();
        assert_eq!(shrunk_warnings.len(), 1, "{shrunk_warnings:?}");
        assert!(
            shrunk_warnings[0].contains("every span"),
            "{shrunk_warnings:?}"
        );
        assert!(shrunk["entities"][0]["mentions"][0].get("text").is_none());
    }

    #[test]
    fn an_article_that_cannot_fit_goes_to_the_dead_letter_topic_without_its_claims() {
        let pipeline = Pipeline::new(Limits::default()).expect("loads");
        let msg = message(&body(50));
        let processed = process(&pipeline, &msg, &topics(), "w1");
        assert!(processed.outputs.len() > 2, "claims were found");
        let limits = SizeLimits {
            enriched: 2_000,
            ..SizeLimits::default()
        };
        let fitted = fit(processed, &msg, &topics(), &limits, "w1");
        assert_eq!(fitted.rejected, Some("output_too_large"));
        assert_eq!(fitted.outputs.len(), 1);
        let letter = &fitted.outputs[0];
        assert_eq!(letter.topic, "articles.dlq");
        assert_eq!(letter.payload, msg.payload);
        assert_eq!(
            header(letter, "newsflow.reason"),
            Some(&b"output_too_large"[..])
        );
        assert!(header(letter, "newsflow.output.bytes").is_some());
        assert_eq!(header(letter, "newsflow.output.limit"), Some(&b"2000"[..]));
    }

    #[test]
    fn a_dead_letter_over_its_limit_goes_without_its_payload() {
        let pipeline = Pipeline::new(Limits {
            max_input_bytes: 1_000,
            ..Limits::default()
        })
        .expect("loads");
        let msg = message(&body(40));
        let processed = process(&pipeline, &msg, &topics(), "w1");
        assert_eq!(processed.rejected, Some("too_large"));
        let limits = SizeLimits {
            dlq: 2_000,
            ..SizeLimits::default()
        };
        let fitted = fit(processed, &msg, &topics(), &limits, "w1");
        let letter = &fitted.outputs[0];
        assert!(letter.payload.is_empty());
        assert!(header(letter, "newsflow.payload_omitted").is_some());
        assert_eq!(header(letter, "newsflow.source.offset"), Some(&b"9"[..]));
    }
}
