//! The chaos run (issue 12): a fleet of three `newsflow run` workers against a real Apache
//! Kafka broker while a steady stream of articles arrives over 6 partitions, a random
//! worker is SIGKILLed every 10–15 s (and replaced), and the broker is stopped once for
//! 20 s. Among the articles are malformed inputs and one oversized article. At the end
//! every input must be in the enriched topic or in the dead-letter topic with a reason, and
//! every input partition committed to its end. The last line printed is
//!
//! `chaos: articles=N enriched=N dlq=N lost=0 duplicates_enriched=D duplicates_claims=C stalled_partitions=0 max_rss_mb=M`
//!
//! The broker comes from scripts/test or scripts/chaos (NEWSFLOW_TEST_BROKERS, and
//! NEWSFLOW_KAFKA_PORT and NEWSFLOW_KAFKA_DIR for scripts/kafka stop and start). Settings:
//! NEWSFLOW_CHAOS_DURATION (seconds of chaos, 90), NEWSFLOW_CHAOS_ARTICLES (inputs, 6000),
//! NEWSFLOW_CHAOS_GUARANTEE (at-least-once or exactly-once), NEWSFLOW_CHAOS_SEED (kills),
//! NEWSFLOW_CHAOS_DRAIN (seconds the fleet may take to catch up at the end, 60).
//! NEWSFLOW_TEST_KEEP_LOGS keeps the worker logs of a passing run.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/chaos.rs"]
mod chaos_inputs;

use chaos_inputs::{Input, Kind, MALFORMED_EVERY, Rng, build_inputs, outage, produce_steadily};
use common::kafka::{Setup, Worker, brokers, headers, read_to_end};
use rdkafka::producer::{BaseProducer, Producer};
use rdkafka::{ClientConfig, Message};

/// Enriched records beyond one per article that at-least-once may publish, as a share of
/// the articles enriched: a crash redoes what was acknowledged since the last commit, and
/// a short run with few articles per kill redoes a larger share. The ceiling leaves room
/// for short runs.
const MAX_DUPLICATE_SHARE_AT_LEAST_ONCE: f64 = 0.05;
/// Partitions of every topic.
const PARTITIONS: i32 = 6;
/// Workers in the fleet.
const WORKERS: usize = 3;
/// The share of the chaos phase over which the inputs are produced; the rest lets the fleet
/// catch up while kills go on.
const PRODUCE_SHARE: f64 = 0.75;

struct Settings {
    duration: Duration,
    articles: usize,
    exactly_once: bool,
    seed: u64,
    drain: Duration,
}

impl Settings {
    fn from_env() -> Self {
        fn number(name: &str, default: u64) -> u64 {
            match std::env::var(name) {
                Ok(v) => v
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}={v:?} is not a whole number")),
                Err(_) => default,
            }
        }
        let exactly_once = match std::env::var("NEWSFLOW_CHAOS_GUARANTEE").as_deref() {
            Ok("exactly-once") => true,
            Ok("at-least-once") | Err(_) => false,
            Ok(other) => {
                panic!("NEWSFLOW_CHAOS_GUARANTEE={other:?}: use at-least-once or exactly-once")
            }
        };
        let articles = number("NEWSFLOW_CHAOS_ARTICLES", 6000) as usize;
        assert!(
            articles >= 2 * MALFORMED_EVERY,
            "NEWSFLOW_CHAOS_ARTICLES must be at least {}",
            2 * MALFORMED_EVERY
        );
        Settings {
            duration: Duration::from_secs(number("NEWSFLOW_CHAOS_DURATION", 90)),
            articles,
            exactly_once,
            seed: number("NEWSFLOW_CHAOS_SEED", 12),
            drain: Duration::from_secs(number("NEWSFLOW_CHAOS_DRAIN", 60)),
        }
    }

    fn guarantee(&self) -> &'static str {
        if self.exactly_once {
            "exactly-once"
        } else {
            "at-least-once"
        }
    }
}

/// The workers, their replacements, and what was seen of them.
struct Fleet<'a> {
    setup: &'a Setup,
    extra: Vec<String>,
    exactly_once: bool,
    workers: Vec<Worker>,
    /// Workers started so far (log names and fresh ids).
    started: usize,
    kills: usize,
    /// Workers that exited without being told to, with their log and status.
    exits: Vec<String>,
    max_rss_kb: u64,
}

impl<'a> Fleet<'a> {
    fn new(setup: &'a Setup, settings: &Settings) -> Self {
        let mut fleet = Fleet {
            setup,
            extra: vec!["--guarantee".into(), settings.guarantee().into()],
            exactly_once: settings.exactly_once,
            workers: Vec::new(),
            started: 0,
            kills: 0,
            exits: Vec::new(),
            max_rss_kb: 0,
        };
        for k in 1..=WORKERS {
            let worker = fleet.spawn(format!("w{k}"));
            fleet.workers.push(worker);
        }
        fleet
    }

    fn log_name(n: usize, id: &str) -> String {
        format!("{n:02}-{id}")
    }

    fn spawn(&mut self, id: String) -> Worker {
        self.started += 1;
        let extra: Vec<&str> = self.extra.iter().map(String::as_str).collect();
        self.setup
            .worker_logging_to(&id, &Self::log_name(self.started, &id), &extra)
    }

    /// Starts a worker in the place of a dead one: with its id under exactly-once (its
    /// transactional id fences the dead producer), with a new one otherwise.
    fn replace(&mut self, slot: usize) {
        let id = if self.exactly_once {
            self.workers[slot].id.clone()
        } else {
            format!("w{}", self.started + 1)
        };
        self.workers[slot] = self.spawn(id);
    }

    fn kill_random(&mut self, rng: &mut Rng, at: Duration) {
        let slot = rng.below(self.workers.len() as u64) as usize;
        let worker = &mut self.workers[slot];
        eprintln!(
            "chaos: SIGKILL worker {} (pid {}) at {} s",
            worker.id,
            worker.child.id(),
            at.as_secs()
        );
        worker.sigkill();
        self.kills += 1;
        self.replace(slot);
    }

    /// Samples memory, and replaces workers that exited by themselves.
    fn watch(&mut self) {
        for slot in 0..self.workers.len() {
            let worker = &mut self.workers[slot];
            let pid = worker.child.id();
            if let Some(kb) = worker.rss_kb() {
                self.max_rss_kb = self.max_rss_kb.max(kb);
            }
            if let Ok(Some(status)) = worker.child.try_wait() {
                let exit = format!("worker {} (pid {pid}) exited with {status}", worker.id);
                eprintln!("chaos: {exit}; starting another");
                self.exits.push(exit);
                self.replace(slot);
            }
        }
    }

    /// SIGTERM to every worker at once, then waits for them, 60 s in all; returns the
    /// unclean exits. A worker still running then is SIGKILLed and, under exactly-once, its
    /// transactional id fenced so that its open transaction is aborted rather than hiding
    /// later records from read_committed readers until the broker times it out.
    fn stop(&mut self) -> Vec<String> {
        for worker in &self.workers {
            worker.signal_term();
        }
        let started = Instant::now();
        let mut unclean = Vec::new();
        for worker in &mut self.workers {
            let status = loop {
                if let Some(status) = worker.child.try_wait().expect("wait for a worker") {
                    break Some(status);
                }
                if started.elapsed() > Duration::from_secs(60) {
                    break None;
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            let took = started.elapsed().as_secs();
            match status {
                Some(status) if status.success() => {}
                Some(status) => unclean.push(format!(
                    "worker {} exited with {status} {took} s after SIGTERM",
                    worker.id
                )),
                None => {
                    let stacks = stack_dump(self.setup, worker);
                    unclean.push(format!(
                        "worker {} still running {took} s after SIGTERM: SIGKILLed{stacks}",
                        worker.id
                    ));
                    worker.sigkill();
                    if self.exactly_once {
                        fence(&self.setup.prefix, &worker.id);
                    }
                }
            }
        }
        unclean
    }
}

/// The threads' stacks of a stuck worker, written with gdb (when there is one, within
/// 60 s) beside the logs; returns where, in words.
fn stack_dump(setup: &Setup, worker: &Worker) -> String {
    let pid = worker.child.id();
    let path = setup.dir.join(format!("stuck-{}-{pid}.txt", worker.id));
    let dump = std::process::Command::new("gdb")
        .args([
            "-batch",
            "-p",
            &pid.to_string(),
            "-ex",
            "thread apply all bt",
        ])
        .output();
    match dump {
        Ok(out) if std::fs::write(&path, &out.stdout).is_ok() => {
            format!(" (its stacks in {})", path.display())
        }
        _ => String::new(),
    }
}

/// Aborts the open transaction of a dead exactly-once worker: a producer with its
/// transactional id (`newsflow-{group}-{worker id}`, as `RunConfig::producer_config` makes
/// it) initialises transactions, which fences the old one, as a restarted worker would.
fn fence(group: &str, worker_id: &str) {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("transactional.id", format!("newsflow-{group}-{worker_id}"))
        .create()
        .expect("producer");
    producer
        .init_transactions(Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("fencing the transactional id of worker {worker_id}: {e}"));
}

/// The chaos phase: kills every 10–15 s and memory samples every second, for `duration`.
fn run_chaos(fleet: &mut Fleet, settings: &Settings, started: Instant) {
    let mut rng = Rng(settings.seed);
    let mut next_kill = rng.kill_interval();
    while started.elapsed() < settings.duration {
        fleet.watch();
        let now = started.elapsed();
        if now >= next_kill {
            fleet.kill_random(&mut rng, now);
            next_kill = now + rng.kill_interval();
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Waits, `limit` at most, until the group has committed every input partition to its
/// end; returns the input messages still behind.
fn drain(fleet: &mut Fleet, setup: &Setup, limit: Duration) -> i64 {
    let started = Instant::now();
    loop {
        fleet.watch();
        let behind: i64 = setup
            .committed_and_end()
            .iter()
            .map(|(_, at, end)| end - at)
            .sum();
        if behind == 0 {
            eprintln!(
                "chaos: the fleet caught up {} s after the chaos phase",
                started.elapsed().as_secs()
            );
            return 0;
        }
        if started.elapsed() > limit {
            eprintln!(
                "chaos: the fleet is still {behind} inputs behind {} s after the chaos phase",
                limit.as_secs()
            );
            return behind;
        }
        std::thread::sleep(Duration::from_secs(2));
    }
}

/// What the output topics hold.
struct Outputs {
    /// Enriched records per article id.
    enriched: HashMap<String, usize>,
    /// Claim records per claim key.
    claims: HashMap<String, usize>,
    /// Dead letters per source (partition, offset): their reasons.
    dead: HashMap<(i32, i64), Vec<String>>,
    /// Dead letters without source headers.
    unattributed: usize,
}

fn read_outputs(setup: &Setup, read_committed: bool) -> Outputs {
    let timeout = Duration::from_secs(180);
    let count_keys = |kind: &str| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        read_to_end(
            &setup.topic(kind),
            PARTITIONS,
            read_committed,
            timeout,
            |m| {
                let key = String::from_utf8_lossy(m.key().unwrap_or_default()).to_string();
                *counts.entry(key).or_default() += 1;
            },
        );
        counts
    };
    let enriched = count_keys("enriched");
    let claims = count_keys("claims");
    let mut dead: HashMap<(i32, i64), Vec<String>> = HashMap::new();
    let mut unattributed = 0;
    read_to_end(
        &setup.topic("dlq"),
        PARTITIONS,
        read_committed,
        timeout,
        |m| {
            let h = headers(m);
            let number = |k: &str| h.get(k).and_then(|v| v.parse::<i64>().ok());
            match (
                number("newsflow.source.partition"),
                number("newsflow.source.offset"),
            ) {
                (Some(p), Some(o)) => dead
                    .entry((p as i32, o))
                    .or_default()
                    .push(h.get("newsflow.reason").cloned().unwrap_or_default()),
                _ => unattributed += 1,
            }
        },
    );
    Outputs {
        enriched,
        claims,
        dead,
        unattributed,
    }
}

/// Every input against the outputs.
#[derive(Default)]
struct Tally {
    enriched: usize,
    dlq: usize,
    lost: Vec<String>,
    duplicates_enriched: usize,
    duplicates_claims: usize,
    /// Enriched duplicates by the input partition of their article.
    duplicates_by_partition: BTreeMap<i32, usize>,
    /// Reasons of the dead letters, with how many inputs got each.
    reasons: BTreeMap<String, usize>,
    /// Malformed input name → the reasons it was dead-lettered with.
    malformed: BTreeMap<&'static str, BTreeSet<String>>,
    oversized: String,
}

fn account(inputs: &[Input], positions: &[(i32, i64)], outputs: &Outputs) -> Tally {
    let mut tally = Tally::default();
    for (input, position) in inputs.iter().zip(positions) {
        let reason = outputs
            .dead
            .get(position)
            .and_then(|reasons| reasons.iter().find(|r| !r.is_empty()));
        let enriched =
            !matches!(input.kind, Kind::Malformed(_)) && outputs.enriched.contains_key(&input.id);
        let fate = if enriched {
            tally.enriched += 1;
            "enriched".to_string()
        } else if let Some(reason) = reason {
            tally.dlq += 1;
            *tally.reasons.entry(reason.clone()).or_default() += 1;
            format!("dead-lettered ({reason})")
        } else {
            tally.lost.push(format!(
                "{} ({:?}, partition {} offset {})",
                input.id, input.kind, position.0, position.1
            ));
            "lost".to_string()
        };
        if let Some(extra) = outputs.enriched.get(&input.id).map(|c| c - 1) {
            *tally.duplicates_by_partition.entry(position.0).or_default() += extra;
        }
        match input.kind {
            Kind::Oversized => {
                tally.oversized = format!(
                    "{} (partition {} offset {}) {fate}",
                    input.id, position.0, position.1
                )
            }
            Kind::Malformed(name) => {
                let got = reason.cloned().unwrap_or_else(|| "-".into());
                tally.malformed.entry(name).or_default().insert(got);
            }
            Kind::Article => {}
        }
    }
    let beyond_one = |counts: &HashMap<String, usize>| counts.values().map(|c| c - 1).sum();
    tally.duplicates_enriched = beyond_one(&outputs.enriched);
    tally.duplicates_claims = beyond_one(&outputs.claims);
    tally
}

#[test]
fn chaos() {
    let settings = Settings::from_env();
    let setup = Setup::new("chaos").with_partitions(PARTITIONS);
    setup.create_input();
    let inputs = Arc::new(build_inputs(&setup.prefix, settings.articles));
    let malformed = inputs
        .iter()
        .filter(|i| matches!(i.kind, Kind::Malformed(_)))
        .count();
    eprintln!(
        "chaos: {} inputs ({malformed} malformed, one oversized) over {} partitions, {WORKERS} workers, {}, {} s of chaos, seed {}; worker logs in {}",
        inputs.len(),
        PARTITIONS,
        settings.guarantee(),
        settings.duration.as_secs(),
        settings.seed,
        setup.dir.display()
    );
    let started = Instant::now();
    let mut fleet = Fleet::new(&setup, &settings);
    let producer = produce_steadily(
        setup.topic("raw"),
        inputs.clone(),
        settings.duration.mul_f64(PRODUCE_SHARE),
    );
    let broker = outage(settings.duration / 3, started);
    run_chaos(&mut fleet, &settings, started);
    let (down, up) = broker.join().expect("the broker outage failed");
    let positions = producer.join().expect("producing the inputs failed");
    let behind = drain(&mut fleet, &setup, settings.drain);
    let unclean = fleet.stop();
    let offsets = setup.committed_and_end();
    let outputs = read_outputs(&setup, settings.exactly_once);
    let tally = account(&inputs, &positions, &outputs);
    let stalled: Vec<String> = offsets
        .iter()
        .filter(|(_, at, end)| at < end)
        .map(|(p, at, end)| format!("partition {p} committed at {at} of {end}"))
        .collect();
    let ending = Ending {
        stalled,
        unclean,
        behind,
        down,
        up,
    };
    report(&setup, &fleet, &tally, &outputs, &ending);
    let stalled = ending.stalled;
    println!(
        "chaos: articles={} enriched={} dlq={} lost={} duplicates_enriched={} duplicates_claims={} stalled_partitions={} max_rss_mb={}",
        inputs.len(),
        tally.enriched,
        tally.dlq,
        tally.lost.len(),
        tally.duplicates_enriched,
        tally.duplicates_claims,
        stalled.len(),
        fleet.max_rss_kb / 1024
    );
    assert!(
        tally.lost.is_empty(),
        "{} inputs neither enriched nor dead-lettered with a reason, e.g. {:?}",
        tally.lost.len(),
        &tally.lost[..tally.lost.len().min(5)]
    );
    assert!(
        stalled.is_empty(),
        "input partitions not committed to their end: {stalled:?}"
    );
    if settings.exactly_once {
        assert_eq!(
            (tally.duplicates_enriched, tally.duplicates_claims),
            (0, 0),
            "read_committed saw duplicates (enriched, claims) under exactly-once"
        );
    } else {
        let ceiling = (tally.enriched as f64 * MAX_DUPLICATE_SHARE_AT_LEAST_ONCE) as usize;
        assert!(
            tally.duplicates_enriched <= ceiling,
            "{} enriched duplicates, over the ceiling of {ceiling}",
            tally.duplicates_enriched
        );
    }
}

/// How the run ended.
struct Ending {
    /// Input partitions committed below their end, in words.
    stalled: Vec<String>,
    /// Workers that did not exit 0 on SIGTERM.
    unclean: Vec<String>,
    /// Inputs not committed when the drain gave up.
    behind: i64,
    /// When the broker was stopped and started again.
    down: Duration,
    up: Duration,
}

/// The details, before the last line.
fn report(setup: &Setup, fleet: &Fleet, tally: &Tally, outputs: &Outputs, ending: &Ending) {
    let Ending {
        stalled,
        unclean,
        behind,
        down,
        up,
    } = ending;
    eprintln!(
        "chaos: {} SIGKILLs, {} workers started, broker down from {} s to {} s, {} unexpected exits {:?}, unclean shutdowns {:?}",
        fleet.kills,
        fleet.started,
        down.as_secs(),
        up.as_secs(),
        fleet.exits.len(),
        fleet.exits,
        unclean
    );
    eprintln!(
        "chaos: oversized article: {}; still behind after the drain: {behind}",
        tally.oversized
    );
    eprintln!(
        "chaos: malformed inputs and their reasons: {:?}",
        tally.malformed
    );
    eprintln!(
        "chaos: dead-letter reasons {:?}; {} dead letters without source headers; {} claim records",
        tally.reasons,
        outputs.unattributed,
        outputs.claims.values().sum::<usize>()
    );
    eprintln!(
        "chaos: enriched duplicates by input partition: {:?}",
        tally.duplicates_by_partition
    );
    for s in stalled {
        eprintln!("chaos: stalled: {s}");
    }
    for lost in tally.lost.iter().take(10) {
        eprintln!("chaos: lost: {lost}");
    }
    for (count, message) in setup.log_summary().iter().take(12) {
        eprintln!("chaos: log x{count}: {message}");
    }
}
