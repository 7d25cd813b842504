//! Creating missing topics.

use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::types::RDKafkaErrorCode;

/// Creates the topics that do not exist yet. Existing topics are left as they are.
pub async fn ensure_topics(
    config: &ClientConfig,
    topics: &[&str],
    partitions: i32,
    replication: i32,
) -> Result<(), String> {
    let admin: AdminClient<DefaultClientContext> = config
        .create()
        .map_err(|e| format!("cannot create the Kafka admin client: {e}"))?;
    let new: Vec<NewTopic> = topics
        .iter()
        .map(|t| NewTopic::new(t, partitions, TopicReplication::Fixed(replication)))
        .collect();
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let results = admin.create_topics(&new, &options).await.map_err(|e| {
        format!(
            "cannot create topics {topics:?}: {e}; is the broker at bootstrap.servers reachable?"
        )
    })?;
    for result in results {
        match result {
            Ok(topic) => tracing::info!(topic, partitions, "created topic"),
            Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => return Err(format!("cannot create topic {topic}: {code}")),
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
) -> Result<std::collections::HashMap<String, usize>, String> {
    use rdkafka::admin::ResourceSpecifier;
    let admin: AdminClient<DefaultClientContext> = config
        .create()
        .map_err(|e| format!("cannot create the Kafka admin client: {e}"))?;
    let specifiers: Vec<ResourceSpecifier> =
        topics.iter().map(|t| ResourceSpecifier::Topic(t)).collect();
    let options = AdminOptions::new().request_timeout(Some(Duration::from_secs(30)));
    let results = admin
        .describe_configs(&specifiers, &options)
        .await
        .map_err(|e| format!("cannot read the configuration of topics {topics:?}: {e}"))?;
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
