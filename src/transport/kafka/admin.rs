//! Creating missing topics, reading a topic's configuration.

use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::ClientContext;
use rdkafka::types::RDKafkaErrorCode;

use super::client_log::LogContext;

/// Bound on one admin request.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Creates the topics that do not exist yet. Existing topics are left as they are.
pub async fn ensure_topics(
    config: &ClientConfig,
    topics: &[&str],
    partitions: i32,
    replication: i32,
) -> Result<(), String> {
    let brokers = config
        .get("bootstrap.servers")
        .unwrap_or("(no bootstrap.servers)");
    let admin: AdminClient<LogContext> = config
        .create_with_context(LogContext::new("admin", brokers))
        .map_err(|e| format!("cannot create the Kafka admin client for {brokers}: {e}"))?;
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
) -> Result<(), String> {
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
    let results = admin.create_topics(&new, &options).await.map_err(|e| {
        format!(
            "cannot create topics {topics:?} on the brokers at {brokers}: {e}; is the broker reachable, and may this client create topics? (or create them yourself and pass --create-topics false)"
        )
    })?;
    for result in results {
        match result {
            Ok(topic) => tracing::info!(topic, partitions, "created topic"),
            Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => {
                return Err(format!(
                    "cannot create topic {topic} on the brokers at {brokers}: {code}"
                ));
            }
        }
    }
    Ok(())
}

/// The topic's `max.message.bytes` as the broker reports it (`None` when the broker does
/// not say).
pub async fn topic_max_message_bytes<C: ClientContext + 'static>(
    admin: &AdminClient<C>,
    brokers: &str,
    topic: &str,
) -> Result<Option<u64>, String> {
    let options = AdminOptions::new().request_timeout(Some(ADMIN_TIMEOUT));
    let results = admin
        .describe_configs(&[ResourceSpecifier::Topic(topic)], &options)
        .await
        .map_err(|e| {
            format!(
                "cannot read the configuration of topic {topic} from the brokers at {brokers}: {e}"
            )
        })?;
    let resource = results
        .into_iter()
        .next()
        .ok_or_else(|| format!("the brokers at {brokers} sent no configuration for topic {topic}"))?
        .map_err(|code| {
            format!("cannot read the configuration of topic {topic} from the brokers at {brokers}: {code}")
        })?;
    Ok(resource
        .get("max.message.bytes")
        .and_then(|e| e.value.as_deref())
        .and_then(|v| v.trim().parse().ok()))
}
