//! What one input message becomes on the output topics. Pure: no I/O, easy to test.

use serde::Serialize;

use crate::pipeline::{Outcome, Pipeline, StageTimes};
use crate::record::{
    ClaimRecord, EnrichedArticle, InputCoordinates, Reject, RejectReason, SCHEMA_VERSION,
};

use super::config::Topics;

/// One record to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRecord {
    /// Topic.
    pub topic: String,
    /// Key.
    pub key: Vec<u8>,
    /// Value.
    pub payload: Vec<u8>,
    /// Headers.
    pub headers: Vec<(String, Vec<u8>)>,
}

/// An input message, as the worker received it.
#[derive(Debug, Clone, Default)]
pub struct InputMessage {
    /// Topic.
    pub topic: String,
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
    /// Key, if any.
    pub key: Option<Vec<u8>>,
    /// Payload (a missing payload is an empty one).
    pub payload: Vec<u8>,
    /// W3C trace context, carried to every output.
    pub traceparent: Option<Vec<u8>>,
}

/// The outputs of one input, and what happened.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Records to produce; the input's offset may be committed once all are acknowledged.
    pub outputs: Vec<OutputRecord>,
    /// Per-stage time.
    pub times: StageTimes,
    /// The reject reason, when the input went to the dead-letter topic.
    pub rejected: Option<&'static str>,
}

/// Runs the pipeline over one message and builds its outputs: the enriched article and
/// one record per claim, or the untouched input on the dead-letter topic. An article whose
/// records cannot be serialised goes to the dead-letter topic too: publishing an empty
/// record and committing its offset would lose it without a trace.
pub fn process(
    pipeline: &Pipeline,
    msg: &InputMessage,
    topics: &Topics,
    worker_id: &str,
) -> Processed {
    let coords = InputCoordinates {
        topic: Some(msg.topic.clone()),
        partition: Some(msg.partition),
        offset: Some(msg.offset),
        ..Default::default()
    };
    let (outcome, times) = pipeline.process_bytes(&msg.payload, coords);
    let trace = trace_of(msg);
    let reject = match outcome {
        Outcome::Enriched(article) => match enriched_records(&article, topics, &trace) {
            Ok(outputs) => {
                return Processed {
                    outputs,
                    times,
                    rejected: None,
                };
            }
            Err(e) => Box::new(unserialisable(msg, &e)),
        },
        Outcome::Rejected(reject) => reject,
    };
    Processed {
        outputs: vec![dead_letter(msg, &reject, topics, worker_id, trace)],
        times,
        rejected: Some(reject.reason.as_str()),
    }
}

/// The records of an enriched article: one per claim, then the article.
fn enriched_records(
    article: &EnrichedArticle,
    topics: &Topics,
    trace: &[(String, Vec<u8>)],
) -> Result<Vec<OutputRecord>, serde_json::Error> {
    let mut outputs = Vec::with_capacity(1 + article.claims.len());
    for claim in ClaimRecord::all_of(article) {
        outputs.push(record(&topics.claims, &claim.id, &claim, trace)?);
    }
    outputs.push(record(&topics.enriched, &article.id, article, trace)?);
    Ok(outputs)
}

/// One record: its key, its value as JSON, the trace headers.
fn record(
    topic: &str,
    key: &str,
    value: &impl Serialize,
    trace: &[(String, Vec<u8>)],
) -> Result<OutputRecord, serde_json::Error> {
    Ok(OutputRecord {
        topic: topic.to_string(),
        key: key.as_bytes().to_vec(),
        payload: serde_json::to_vec(value)?,
        headers: trace.to_vec(),
    })
}

/// The reject of an article whose records could not be serialised.
fn unserialisable(msg: &InputMessage, error: &serde_json::Error) -> Reject {
    sink_reject(
        msg,
        RejectReason::StageFailed,
        format!(
            "the records made from this article could not be serialised: {error}; the article is not published"
        ),
    )
}

/// A reject made after the stages, when the records are built or delivered.
pub(super) fn sink_reject(msg: &InputMessage, reason: RejectReason, message: String) -> Reject {
    Reject {
        schema_version: SCHEMA_VERSION.into(),
        reason,
        stage: crate::record::Step::Sink.as_str().into(),
        message,
        field: None,
        id: None,
        input: InputCoordinates {
            topic: Some(msg.topic.clone()),
            partition: Some(msg.partition),
            offset: Some(msg.offset),
            ..Default::default()
        },
    }
}

/// The input's trace context, as headers for each of its outputs.
pub(super) fn trace_of(msg: &InputMessage) -> Vec<(String, Vec<u8>)> {
    msg.traceparent
        .iter()
        .map(|tp| ("traceparent".to_string(), tp.clone()))
        .collect()
}

/// The dead letter: the original payload and key untouched, the reason in headers.
pub(super) fn dead_letter(
    msg: &InputMessage,
    reject: &Reject,
    topics: &Topics,
    worker_id: &str,
    mut headers: Vec<(String, Vec<u8>)>,
) -> OutputRecord {
    let h = |k: &str, v: String| (k.to_string(), v.into_bytes());
    headers.extend([
        h("newsflow.reason", reject.reason.as_str().to_string()),
        h("newsflow.stage", reject.stage.clone()),
        h("newsflow.message", reject.message.clone()),
        h("newsflow.source.topic", msg.topic.clone()),
        h("newsflow.source.partition", msg.partition.to_string()),
        h("newsflow.source.offset", msg.offset.to_string()),
        h("newsflow.worker", worker_id.to_string()),
        h("newsflow.time", chrono::Utc::now().to_rfc3339()),
    ]);
    if let Some(field) = &reject.field {
        headers.push(h("newsflow.field", field.clone()));
    }
    OutputRecord {
        topic: topics.dlq.clone(),
        key: msg.key.clone().unwrap_or_else(|| {
            format!("{}/{}/{}", msg.topic, msg.partition, msg.offset).into_bytes()
        }),
        payload: msg.payload.clone(),
        headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Limits;

    fn topics() -> Topics {
        Topics::default()
    }

    #[test]
    fn an_article_becomes_one_enriched_record_and_one_record_per_claim() {
        let pipeline = Pipeline::new(Limits::default()).expect("loads");
        let msg = InputMessage {
            topic: "articles.raw".into(),
            partition: 2,
            offset: 41,
            payload: br#"{"id": "a1", "body": "The ministry said that 12 people were killed. Witnesses said the road was closed."}"#.to_vec(),
            traceparent: Some(b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".to_vec()),
            ..Default::default()
        };
        let p = process(&pipeline, &msg, &topics(), "w1");
        assert_eq!(p.rejected, None);
        let enriched: Vec<&OutputRecord> = p
            .outputs
            .iter()
            .filter(|o| o.topic == "articles.enriched")
            .collect();
        assert_eq!(enriched.len(), 1);
        assert_eq!(enriched[0].key, b"a1");
        let claims: Vec<&OutputRecord> = p.outputs.iter().filter(|o| o.topic == "claims").collect();
        assert_eq!(claims.len(), 2);
        assert_eq!(claims[0].key, b"a1/c1");
        let claim: serde_json::Value = serde_json::from_slice(&claims[0].payload).expect("json");
        assert_eq!(claim["article"]["id"], "a1");
        assert!(
            p.outputs
                .iter()
                .all(|o| o.headers.iter().any(|(k, _)| k == "traceparent"))
        );
        let article: serde_json::Value =
            serde_json::from_slice(&enriched[0].payload).expect("json");
        assert_eq!(article["provenance"]["input"]["offset"], 41);
    }

    #[test]
    fn a_poison_message_goes_to_the_dead_letter_topic_untouched() {
        let pipeline = Pipeline::new(Limits::default()).expect("loads");
        let msg = InputMessage {
            topic: "articles.raw".into(),
            partition: 0,
            offset: 7,
            payload: b"\xff not json".to_vec(),
            ..Default::default()
        };
        let p = process(&pipeline, &msg, &topics(), "w1");
        assert_eq!(p.rejected, Some("invalid_utf8"));
        assert_eq!(p.outputs.len(), 1);
        let dlq = &p.outputs[0];
        assert_eq!(dlq.topic, "articles.dlq");
        assert_eq!(dlq.payload, msg.payload);
        let header = |k: &str| {
            dlq.headers
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| String::from_utf8_lossy(v).to_string())
        };
        assert_eq!(header("newsflow.reason").as_deref(), Some("invalid_utf8"));
        assert_eq!(header("newsflow.source.offset").as_deref(), Some("7"));
        assert_eq!(header("newsflow.worker").as_deref(), Some("w1"));
    }

    /// A value serde_json cannot write: a map whose keys are not strings.
    fn unwritable() -> std::collections::BTreeMap<(i32, i32), i32> {
        [((1, 2), 3)].into_iter().collect()
    }

    #[test]
    fn a_value_that_cannot_be_serialised_is_an_error_not_an_empty_record() {
        assert!(record("claims", "a1/c1", &unwritable(), &[]).is_err());
    }

    #[test]
    fn an_article_whose_records_cannot_be_serialised_goes_to_the_dead_letter_topic() {
        let msg = InputMessage {
            topic: "articles.raw".into(),
            partition: 1,
            offset: 12,
            payload: br#"{"id": "a1", "body": "text"}"#.to_vec(),
            ..Default::default()
        };
        let Err(error) = serde_json::to_vec(&unwritable()) else {
            panic!("a map with tuple keys serialises");
        };
        let reject = unserialisable(&msg, &error);
        assert_eq!(reject.reason, RejectReason::StageFailed);
        assert!(
            reject.message.contains("could not be serialised"),
            "{}",
            reject.message
        );
        let letter = dead_letter(&msg, &reject, &topics(), "w1", trace_of(&msg));
        assert_eq!(letter.topic, "articles.dlq");
        assert_eq!(letter.payload, msg.payload);
        assert!(
            letter
                .headers
                .iter()
                .any(|(k, v)| k == "newsflow.reason" && v == b"stage_failed")
        );
    }
}
