//! librdkafka's log lines and global errors, with the broker address, and repeats folded.
//!
//! While a broker is unreachable librdkafka reports the same failure many times a second
//! (each reconnect, "1/1 brokers are down", every consumer poll). Here the first occurrence
//! of a message is logged at once, the same message again within [`REPEAT_WINDOW`] is only
//! counted, and when the window closes one line says how often it came back. Every line
//! carries the client (consumer, producer, admin) and its bootstrap address.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use rdkafka::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::KafkaError;
use rdkafka::producer::FutureProducer;

/// How long a repeated message stays folded before its count is logged.
pub const REPEAT_WINDOW: Duration = Duration::from_secs(60);

/// Distinct messages tracked at once; beyond it new messages are logged unfolded.
const MAX_TRACKED: usize = 512;

/// How often the folded counts are checked for a closed window.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// A message that came back while folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeated {
    /// The level it was logged at.
    pub level: Level,
    /// The message as first logged.
    pub text: String,
    /// How many more times it came.
    pub count: u64,
    /// Since its first occurrence.
    pub over: Duration,
}

/// The levels librdkafka's lines are logged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// `error`.
    Error,
    /// `warn`.
    Warn,
    /// `info`.
    Info,
    /// `debug`.
    Debug,
}

impl From<RDKafkaLogLevel> for Level {
    fn from(level: RDKafkaLogLevel) -> Self {
        match level {
            RDKafkaLogLevel::Emerg
            | RDKafkaLogLevel::Alert
            | RDKafkaLogLevel::Critical
            | RDKafkaLogLevel::Error => Level::Error,
            RDKafkaLogLevel::Warning => Level::Warn,
            RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => Level::Info,
            RDKafkaLogLevel::Debug => Level::Debug,
        }
    }
}

struct Entry {
    level: Level,
    text: String,
    since: Instant,
    suppressed: u64,
}

/// Folds repeats of a message within a window: pure, the time is passed in.
pub struct RepeatFilter {
    window: Duration,
    entries: HashMap<String, Entry>,
}

impl RepeatFilter {
    /// A filter folding repeats within `window`.
    pub fn new(window: Duration) -> Self {
        RepeatFilter {
            window,
            entries: HashMap::new(),
        }
    }

    /// Whether `text` is to be logged now; `false` means it was counted instead. Messages
    /// that differ only in their numbers ("after 0ms", "1/1 brokers") count as the same.
    pub fn admit(&mut self, level: Level, text: &str, now: Instant) -> bool {
        let key = fold_key(level, text);
        if let Some(entry) = self.entries.get_mut(&key) {
            if now.saturating_duration_since(entry.since) < self.window {
                entry.suppressed += 1;
                return false;
            }
            // A closed window not yet flushed: start a new one (its count is flushed by
            // `expire`, which runs before `admit` in `ClientLog`).
            *entry = Entry {
                level,
                text: text.to_string(),
                since: now,
                suppressed: 0,
            };
            return true;
        }
        if self.entries.len() < MAX_TRACKED {
            self.entries.insert(
                key,
                Entry {
                    level,
                    text: text.to_string(),
                    since: now,
                    suppressed: 0,
                },
            );
        }
        true
    }

    /// Ends the windows that are over at `now` (every window with `all`), returning the
    /// messages that came back while folded.
    pub fn expire(&mut self, now: Instant, all: bool) -> Vec<Repeated> {
        let mut repeated = Vec::new();
        let window = self.window;
        self.entries.retain(|_, e| {
            let over = now.saturating_duration_since(e.since);
            if !all && over < window {
                return true;
            }
            if e.suppressed > 0 {
                repeated.push(Repeated {
                    level: e.level,
                    text: std::mem::take(&mut e.text),
                    count: e.suppressed,
                    over,
                });
            }
            false
        });
        repeated.sort_by(|a, b| a.text.cmp(&b.text));
        repeated
    }
}

/// The key two messages share when they differ only in counts and durations: librdkafka's
/// own "N identical error(s) suppressed" is dropped, words made of digits (with `/`, or a
/// unit after them, as in "0ms" and "1/1") become `#`; words with other characters
/// (addresses such as `127.0.0.1:9092/1`) are kept, without the punctuation around them.
fn fold_key(level: Level, text: &str) -> String {
    let mut key = format!("{level:?}|");
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while let Some(i) = words
        .windows(3)
        .position(|w| w[1] == "identical" && w[2].starts_with("error(s)"))
    {
        words.drain(i..(i + 4).min(words.len()));
    }
    for word in words {
        let core = word.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | ':'));
        let digits = core.chars().take_while(char::is_ascii_digit).count();
        let rest = &core[digits..];
        let numeric = digits > 0
            && (rest.chars().all(|c| c.is_ascii_digit() || c == '/')
                || rest.chars().all(|c| c.is_ascii_alphabetic()));
        key.push_str(if numeric { "#" } else { core });
        key.push(' ');
    }
    key
}

/// The log of one librdkafka client: what it is, where it connects, and its repeats.
#[derive(Clone)]
pub struct ClientLog {
    inner: Arc<Inner>,
}

struct Inner {
    client: &'static str,
    brokers: String,
    filter: Mutex<RepeatFilter>,
}

impl ClientLog {
    /// The log of a `client` ("consumer", "producer", "admin") of the `brokers`. A
    /// background thread logs the counts of folded messages as their windows close; it
    /// ends within a second of the last clone being dropped.
    pub fn new(client: &'static str, brokers: &str) -> Self {
        let inner = Arc::new(Inner {
            client,
            brokers: brokers.to_string(),
            filter: Mutex::new(RepeatFilter::new(REPEAT_WINDOW)),
        });
        let weak = Arc::downgrade(&inner);
        let spawned = std::thread::Builder::new()
            .name(format!("newsflow-{client}-log"))
            .spawn(move || flush_until_dropped(weak));
        if let Err(e) = spawned {
            tracing::debug!(error = %e, "no thread for folded librdkafka counts; they are logged with the next line");
        }
        ClientLog { inner }
    }

    /// A librdkafka log line.
    pub fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        self.emit(Level::from(level), &format!("{fac} {message}"));
    }

    /// A warning of newsflow's own about this client (a consume error, say), folded with
    /// its repeats like librdkafka's lines.
    pub fn warn(&self, text: &str) {
        self.emit(Level::Warn, text);
    }

    /// A librdkafka global error (all brokers down, a transport failure, ...).
    pub fn error(&self, error: &KafkaError, reason: &str) {
        self.emit(Level::Error, &format!("{error}: {reason}"));
    }

    fn emit(&self, level: Level, text: &str) {
        let now = Instant::now();
        let (repeated, admitted) = {
            let mut filter = self.inner.filter.lock().unwrap_or_else(|p| p.into_inner());
            let repeated = filter.expire(now, false);
            (repeated, filter.admit(level, text, now))
        };
        self.inner.report(&repeated);
        if admitted {
            self.inner.line(level, text);
        }
    }
}

impl Inner {
    fn line(&self, level: Level, text: &str) {
        let (client, brokers) = (self.client, self.brokers.as_str());
        match level {
            Level::Error => tracing::error!(target: "librdkafka", client, brokers, "{text}"),
            Level::Warn => tracing::warn!(target: "librdkafka", client, brokers, "{text}"),
            Level::Info => tracing::info!(target: "librdkafka", client, brokers, "{text}"),
            Level::Debug => tracing::debug!(target: "librdkafka", client, brokers, "{text}"),
        }
    }

    fn report(&self, repeated: &[Repeated]) {
        for r in repeated {
            let text = format!(
                "{} (repeated {} time(s) in the last {} s)",
                r.text,
                r.count,
                r.over.as_secs_f64().ceil() as u64
            );
            self.line(r.level, &text);
        }
    }

    fn flush(&self, all: bool) {
        let repeated = self
            .filter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .expire(Instant::now(), all);
        self.report(&repeated);
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.flush(true);
    }
}

fn flush_until_dropped(inner: Weak<Inner>) {
    loop {
        std::thread::sleep(FLUSH_EVERY);
        match inner.upgrade() {
            Some(inner) => inner.flush(false),
            None => return,
        }
    }
}

/// The context of a producer or admin client: librdkafka's lines through [`ClientLog`].
#[derive(Clone)]
pub struct LogContext(pub ClientLog);

impl LogContext {
    /// The context of a `client` of the `brokers`.
    pub fn new(client: &'static str, brokers: &str) -> Self {
        LogContext(ClientLog::new(client, brokers))
    }
}

impl ClientContext for LogContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        self.0.log(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.0.error(&error, reason);
    }
}

/// The worker's producer.
pub type WorkerProducer = FutureProducer<LogContext>;

#[cfg(test)]
mod tests {
    use super::*;

    const DOWN: &str = "Global error: AllBrokersDown (Local: All broker connections are down): 1/1 brokers are down";

    #[test]
    fn a_repeat_within_the_window_is_counted_not_logged() {
        let mut f = RepeatFilter::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(f.admit(Level::Error, DOWN, t0));
        for i in 1..=5 {
            assert!(!f.admit(Level::Error, DOWN, t0 + Duration::from_secs(i)));
        }
        assert!(f.expire(t0 + Duration::from_secs(59), false).is_empty());
        let repeated = f.expire(t0 + Duration::from_secs(60), false);
        assert_eq!(repeated.len(), 1);
        assert_eq!(repeated[0].count, 5);
        assert_eq!(repeated[0].text, DOWN);
        assert_eq!(repeated[0].over, Duration::from_secs(60));
        // The window is over: the next one is logged again.
        assert!(f.admit(Level::Error, DOWN, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn messages_differing_only_in_numbers_are_the_same() {
        let mut f = RepeatFilter::new(Duration::from_secs(60));
        let t0 = Instant::now();
        let refused = |ms: u32, n: u32| {
            format!(
                "FAIL [thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after {ms}ms in state CONNECT, {n} identical error(s) suppressed)"
            )
        };
        let plain = "FAIL [thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)";
        assert!(f.admit(Level::Error, plain, t0));
        assert!(!f.admit(Level::Error, &refused(0, 1), t0));
        assert!(!f.admit(Level::Error, &refused(3, 17), t0));
        assert!(f.admit(
            Level::Error,
            &plain.replace("CONNECT", "APIVERSION_QUERY"),
            t0
        ));
        assert!(f.admit(Level::Error, DOWN, t0));
        assert!(!f.admit(Level::Error, &DOWN.replace("1/1", "0/1"), t0));
        // Another broker's address is another message; so is another level.
        assert!(f.admit(
            Level::Error,
            &plain.replace("127.0.0.1:1", "10.0.0.2:9092"),
            t0
        ));
        assert!(f.admit(Level::Warn, plain, t0));
    }

    #[test]
    fn expiring_everything_reports_only_what_came_back() {
        let mut f = RepeatFilter::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(f.admit(Level::Warn, "once", t0));
        assert!(f.admit(Level::Error, "twice", t0));
        assert!(!f.admit(Level::Error, "twice", t0));
        let repeated = f.expire(t0, true);
        assert_eq!(
            repeated,
            vec![Repeated {
                level: Level::Error,
                text: "twice".into(),
                count: 1,
                over: Duration::ZERO,
            }]
        );
        assert!(f.expire(t0, true).is_empty());
        assert!(f.admit(Level::Error, "twice", t0));
    }

    #[test]
    fn fold_keys_keep_addresses_and_words() {
        assert_eq!(
            fold_key(
                Level::Error,
                "127.0.0.1:9092/1: Disconnected (after 600000ms in state UP)"
            ),
            "Error|127.0.0.1:9092/1 Disconnected after # in state UP "
        );
        assert_eq!(
            fold_key(Level::Info, "0/1 brokers are down"),
            fold_key(Level::Info, "1/1 brokers are down")
        );
        assert_ne!(
            fold_key(Level::Info, "broker a"),
            fold_key(Level::Info, "broker b")
        );
    }

    #[test]
    fn the_tracked_set_is_bounded() {
        let mut f = RepeatFilter::new(Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..MAX_TRACKED + 10 {
            assert!(f.admit(Level::Info, &format!("message {}", "x".repeat(i)), t0));
        }
        assert_eq!(f.entries.len(), MAX_TRACKED);
        // Untracked messages are logged every time, never lost.
        let last = format!("message {}", "x".repeat(MAX_TRACKED + 9));
        assert!(f.admit(Level::Info, &last, t0));
    }
}
