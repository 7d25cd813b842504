//! The one worker loop: consume, process, deliver, commit, whatever the guarantee.
//!
//! As in Arroyo's stream processor, the loop owns the consumer and hands each message to a
//! [`CommitPolicy`], which processes, delivers and commits in its own way: the offset
//! tracker of [`super::at_least_once`], the transactions of [`super::exactly_once`]. A
//! policy with no room says so with a value, [`MessageRejected`], handing the message
//! back: the loop keeps it and waits for room. When that wait lasts (the broker is down,
//! say) the loop pauses fetching but goes on polling: rebalances are served only while the
//! consumer is polled, and a worker that stops polling during an outage is never given its
//! partitions back. Pausing at once on every short wait would throw the prefetched
//! messages away and refetch them each time (librdkafka's prefetch queue is bounded by
//! queued.max.messages.kbytes).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use rdkafka::Message;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::Headers;

use super::context::WorkerContext;
use super::error::WorkerError;
use super::records::InputMessage;
use crate::ops::metric;

/// How long the worker waits for room before it pauses fetching.
const PAUSE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// A consumed message, copied out of the consumer's buffer, with what its policy tracks
/// of it.
pub(super) struct Received<T> {
    /// The message.
    pub input: InputMessage,
    /// Milliseconds since the epoch of its timestamp, if it has one.
    pub created_ms: Option<i64>,
    /// The policy's note of it (the offset tracker's ticket).
    pub ticket: T,
}

/// Backpressure as a value: a policy with no room hands the message back (boxed: it is
/// large, and rare).
pub(super) struct MessageRejected<T>(pub Box<Received<T>>);

/// Why a policy woke the loop up without a message.
pub(super) enum Wake {
    /// Work is due: the loop lets the policy [`CommitPolicy::poll`].
    Due,
    /// A processing task failed for good.
    Failed(WorkerError),
}

/// Whether the loop goes on after a policy's poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    /// Go on consuming.
    Go,
    /// The shutdown came while the policy worked: stop.
    Stop,
}

/// How the messages the loop hands over are processed, delivered and committed.
pub(super) trait CommitPolicy {
    /// What the policy notes of a message as it arrives.
    type Ticket;
    /// Notes a message as it arrives, before it waits for room: a revoke that comes later
    /// then knows of it.
    fn track(&mut self, input: &InputMessage) -> Self::Ticket;
    /// Takes a message to process, or hands it back while there is no room.
    fn submit(
        &mut self,
        received: Received<Self::Ticket>,
    ) -> Result<(), MessageRejected<Self::Ticket>>;
    /// Resolves once there is room for a message again.
    async fn room(&mut self) -> Result<(), WorkerError>;
    /// Resolves when the policy needs the loop without a new message.
    async fn wake(&mut self) -> Wake;
    /// Does the work that is due (commits a batch that is full or whose time is up).
    async fn poll<S: Future<Output = ()>>(
        &mut self,
        shutdown: &mut Shutdown<'_, S>,
    ) -> Result<Flow, WorkerError>;
    /// After the loop: finishes what is in flight, commits, and lets the group go.
    async fn join<S: Future<Output = ()>>(
        self,
        shutdown: &mut Shutdown<'_, S>,
    ) -> Result<(), WorkerError>;
}

/// The shutdown signal, which may be awaited again once it has come.
pub(super) struct Shutdown<'a, S> {
    signal: Pin<&'a mut S>,
    fired: bool,
}

impl<S: Future<Output = ()>> Shutdown<'_, S> {
    /// Resolves when the signal has come (at once if it came before).
    pub async fn wait(&mut self) {
        if !self.fired {
            self.signal.as_mut().await;
            self.fired = true;
        }
    }

    /// Whether the signal has come.
    pub fn fired(&self) -> bool {
        self.fired
    }
}

/// An owned copy of a consumed message with what the pipeline needs.
pub fn input_of<M: Message>(m: &M) -> InputMessage {
    let traceparent = m.headers().and_then(|h| {
        h.iter()
            .find(|h| h.key.eq_ignore_ascii_case("traceparent"))
            .and_then(|h| h.value.map(<[u8]>::to_vec))
    });
    InputMessage {
        topic: m.topic().to_string(),
        partition: m.partition(),
        offset: m.offset(),
        key: m.key().map(<[u8]>::to_vec),
        payload: m.payload().map(<[u8]>::to_vec).unwrap_or_default(),
        traceparent,
    }
}

/// Milliseconds since the epoch of a message's timestamp, if it has one.
pub fn timestamp_ms<M: Message>(m: &M) -> Option<i64> {
    m.timestamp().to_millis().filter(|t| *t > 0)
}

/// Copies a message and has the policy note it, at once.
fn receive<P: CommitPolicy, M: Message>(policy: &mut P, m: &M) -> Received<P::Ticket> {
    metrics::counter!(metric::CONSUMED).increment(1);
    let input = input_of(m);
    Received {
        created_ms: timestamp_ms(m),
        ticket: policy.track(&input),
        input,
    }
}

/// Runs the loop until `shutdown` resolves, then lets the policy finish and commit.
pub(super) async fn run<P: CommitPolicy>(
    mut policy: P,
    consumer: &StreamConsumer<WorkerContext>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), WorkerError> {
    tokio::pin!(shutdown);
    let mut shutdown = Shutdown {
        signal: shutdown,
        fired: false,
    };
    // Messages received while there was no room (from partitions assigned during the
    // wait), already noted by the policy, in arrival order.
    let mut waiting: VecDeque<Received<P::Ticket>> = VecDeque::new();
    'consume: loop {
        if policy.poll(&mut shutdown).await? == Flow::Stop {
            break;
        }
        let mut received = match waiting.pop_front() {
            Some(received) => received,
            None => {
                let message = tokio::select! {
                    _ = shutdown.wait() => break,
                    wake = policy.wake() => match wake {
                        Wake::Due => continue,
                        Wake::Failed(e) => return Err(e),
                    },
                    m = consumer.recv() => m,
                };
                match message {
                    Ok(m) => receive(&mut policy, &m),
                    Err(e) => {
                        wait_after_consume_error(consumer, &e).await;
                        continue;
                    }
                }
            }
        };
        while let Err(MessageRejected(back)) = policy.submit(received) {
            received = *back;
            if !wait_for_room(&mut policy, consumer, &mut shutdown, &mut waiting).await? {
                break 'consume;
            }
        }
    }
    policy.join(&mut shutdown).await
}

/// Waits for the policy to have room; after [`PAUSE_AFTER`], pauses fetching and goes on
/// polling, keeping what arrives. False when the shutdown came first.
async fn wait_for_room<P: CommitPolicy, S: Future<Output = ()>>(
    policy: &mut P,
    consumer: &StreamConsumer<WorkerContext>,
    shutdown: &mut Shutdown<'_, S>,
    waiting: &mut VecDeque<Received<P::Ticket>>,
) -> Result<bool, WorkerError> {
    if let Ok(room) = tokio::time::timeout(PAUSE_AFTER, policy.room()).await {
        room?;
        return Ok(true);
    }
    tracing::debug!("every in-flight slot busy for 1 s: fetching paused");
    metrics::gauge!(metric::FETCH_PAUSED).set(1.0);
    pause_assignment(consumer);
    loop {
        tokio::select! {
            room = policy.room() => {
                room?;
                break;
            }
            _ = shutdown.wait() => return Ok(false),
            m = consumer.recv() => match m {
                // From a partition assigned during the wait: keep it, pause it.
                Ok(m) => {
                    waiting.push_back(receive(policy, &m));
                    pause_assignment(consumer);
                }
                Err(e) => wait_after_consume_error(consumer, &e).await,
            },
        }
    }
    resume_assignment(consumer);
    metrics::gauge!(metric::FETCH_PAUSED).set(0.0);
    tracing::debug!("an in-flight slot freed: fetching resumed");
    Ok(true)
}

/// Pauses fetching from every partition now assigned.
fn pause_assignment(consumer: &StreamConsumer<WorkerContext>) {
    if let Ok(assignment) = consumer.assignment()
        && let Err(e) = consumer.pause(&assignment)
    {
        tracing::debug!(error = %e, "could not pause the assignment");
    }
}

/// Resumes fetching from every partition now assigned.
fn resume_assignment(consumer: &StreamConsumer<WorkerContext>) {
    if let Ok(assignment) = consumer.assignment()
        && let Err(e) = consumer.resume(&assignment)
    {
        tracing::debug!(error = %e, "could not resume the assignment");
    }
}

/// Logs a consume error (the broker is down, say), folded with its repeats, and waits a
/// little before the next poll.
async fn wait_after_consume_error(
    consumer: &StreamConsumer<WorkerContext>,
    e: &rdkafka::error::KafkaError,
) {
    consumer
        .context()
        .log
        .warn(&format!("consume error; retrying: {e}"));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
}
