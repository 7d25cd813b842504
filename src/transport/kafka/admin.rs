//! Creating missing topics, reading a topic's configuration.

use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::ClientContext;
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;

use super::client_log::LogContext;

/// Bound on one admin request.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Bound on reading topic configurations: a broker that cannot say (librdkafka's mock
/// cluster of `newsflow demo` never answers) leaves the caller with its safe default, the
/// producer's own limit, after a short wait rather than a long one.
const DESCRIBE_TIMEOUT: Duration = Duration::from_secs(3);

/// What went wrong talking to the brokers' admin API.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// librdkafka refused to create the client.
    #[error("cannot create the Kafka admin client for {brokers}: {source}")]
    Client {
        /// The bootstrap address.
        brokers: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<KafkaError>,
    },
    /// The request to create topics failed as a whole.
    #[error(
        "cannot create topics {topics:?} on the brokers at {brokers}: {source}; is the broker reachable, and may this client create topics? (or create them yourself and pass --create-topics false)"
    )]
    CreateTopics {
        /// The topics asked for.
        topics: Vec<String>,
        /// The bootstrap address.
        brokers: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<KafkaError>,
    },
    /// The broker refused to create one topic.
    #[error("cannot create topic {topic} on the brokers at {brokers}: {code}")]
    CreateTopic {
        /// The topic.
        topic: String,
        /// The bootstrap address.
        brokers: String,
        /// The broker's answer.
        code: RDKafkaErrorCode,
    },
    /// Topic configurations could not be read.
    #[error(
        "cannot read the configuration of topics {topics:?} from the brokers at {brokers}: {source}"
    )]
    Describe {
        /// The topics asked about.
        topics: Vec<String>,
        /// The bootstrap address.
        brokers: String,
        /// Why (boxed: librdkafka's errors are large).
        source: Box<KafkaError>,
    },
}

fn owned(topics: &[&str]) -> Vec<String> {
    topics.iter().map(|t| t.to_string()).collect()
}

/// An admin client of the brokers `config` names, and their address. (librdkafka's lines
/// of an admin client are not delivered: rdkafka polls only its result queue.)
pub fn client(config: &ClientConfig) -> Result<(AdminClient<LogContext>, &str), AdminError> {
    let brokers = config
        .get("bootstrap.servers")
        .unwrap_or("(no bootstrap.servers)");
    let admin = config
        .create_with_context(LogContext::new("admin", brokers))
        .map_err(|source| AdminError::Client {
            brokers: brokers.to_string(),
            source: Box::new(source),
        })?;
    Ok((admin, brokers))
}

/// Creates the topics that do not exist yet. Existing topics are left as they are.
pub async fn ensure_topics(
    config: &ClientConfig,
    topics: &[&str],
    partitions: i32,
    replication: i32,
) -> Result<(), AdminError> {
    let (admin, brokers) = client(config)?;
    create_topics(&admin, brokers, topics, partitions, replication).await
}

/// Creates `topics` with an existing admin client of the brokers at `brokers`; topics that
/// exist already are left as they are.
pub async fn create_topics<C: ClientContext + 'static>(
    admin: &AdminClient<C>,
    brokers: &str,
    topics: &[&str],
    partitions: i32,
    replication: i32,
) -> Result<(), AdminError> {
    if topics.is_empty() {
        return Ok(());
    }
    let new: Vec<NewTopic> = topics
        .iter()
        .map(|t| NewTopic::new(t, partitions, TopicReplication::Fixed(replication)))
        .collect();
    let options = AdminOptions::new()
        .operation_timeout(Some(ADMIN_TIMEOUT))
        .request_timeout(Some(ADMIN_TIMEOUT));
    let results = admin
        .create_topics(&new, &options)
        .await
        .map_err(|source| AdminError::CreateTopics {
            topics: owned(topics),
            brokers: brokers.to_string(),
            source: Box::new(source),
        })?;
    for result in results {
        match result {
            Ok(topic) => tracing::info!(topic, partitions, "created topic"),
            Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => {
                return Err(AdminError::CreateTopic {
                    topic,
                    brokers: brokers.to_string(),
                    code,
                });
            }
        }
    }
    Ok(())
}

/// The `max.message.bytes` of each topic that exists, read from the broker. Topics the
/// broker does not describe (missing, or not allowed) are left out: the caller keeps its
/// default for them.
pub async fn max_message_bytes(
    config: &ClientConfig,
    topics: &[&str],
) -> Result<std::collections::HashMap<String, usize>, AdminError> {
    let (admin, brokers) = client(config)?;
    let specifiers: Vec<ResourceSpecifier> =
        topics.iter().map(|t| ResourceSpecifier::Topic(t)).collect();
    let options = AdminOptions::new().request_timeout(Some(DESCRIBE_TIMEOUT));
    let results = admin
        .describe_configs(&specifiers, &options)
        .await
        .map_err(|source| AdminError::Describe {
            topics: owned(topics),
            brokers: brokers.to_string(),
            source: Box::new(source),
        })?;
    let mut limits = std::collections::HashMap::new();
    for (topic, result) in topics.iter().zip(results) {
        let value = result.ok().and_then(|r| {
            r.get("max.message.bytes")
                .and_then(|e| e.value.as_deref())
                .and_then(|v| v.parse::<usize>().ok())
        });
        if let Some(bytes) = value {
            limits.insert(topic.to_string(), bytes);
        }
    }
    Ok(limits)
}
