//! `newsflow enrich`: JSONL articles in, enriched JSONL out, in input order, on all cores.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::error::{CliError, Context};
use crate::pipeline::times::DateOrder;
use crate::pipeline::{Limits, Outcome, Pipeline, StageTimes};
use crate::record::InputCoordinates;
use crate::transport::jsonl::LineReader;

/// Arguments of `newsflow enrich`.
#[derive(Debug, Args)]
pub struct EnrichArgs {
    /// JSONL files of RawArticle objects; "-" (the default) reads standard input.
    #[arg(default_value = "-")]
    pub inputs: Vec<String>,
    /// Write enriched JSONL here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write rejects as JSONL here (line number, reason, message); without it, each reject
    /// is reported on standard error.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Inputs larger than this many bytes are rejected as too_large.
    #[arg(long, default_value_t = Limits::default().max_input_bytes)]
    pub max_input_bytes: usize,
    /// Bodies longer than this many code points are analysed up to it, with a warning.
    #[arg(long, default_value_t = Limits::default().max_body_chars)]
    pub max_body_chars: usize,
    /// How the input writes numeric dates (03/04/2015): dmy, mdy, or unknown (such a date
    /// is then passed through with an ambiguous_timestamp warning).
    #[arg(long, value_enum, default_value_t = DateOrder::Unknown)]
    pub date_order: DateOrder,
    /// Write the text of paragraph and sentence spans too, not only their offsets (their
    /// text is in `body`; records are about twice as large with it).
    #[arg(long)]
    pub full_texts: bool,
    /// Print no summary.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Running totals for the summary.
#[derive(Default)]
struct Totals {
    read: u64,
    enriched: u64,
    rejected: BTreeMap<&'static str, u64>,
    bytes: u64,
    stages: StageTimes,
}

/// Runs `newsflow enrich`.
pub fn run(args: EnrichArgs) -> Result<ExitCode, CliError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context(|| "cannot start worker threads".into())?;
    let pipeline = Pipeline::new(Limits {
        max_input_bytes: args.max_input_bytes,
        max_body_chars: args.max_body_chars,
        date_order: args.date_order,
    })?
    .with_full_texts(args.full_texts);
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).context(|| {
                format!("cannot create output {}", path.display())
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut rejects: Option<Box<dyn Write>> = match &args.rejects {
        Some(path) => Some(Box::new(BufWriter::new(
            File::create(path)
                .context(|| format!("cannot create rejects file {}", path.display()))?,
        ))),
        None => None,
    };
    let progress = if io::stderr().is_terminal() && !args.quiet {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} articles  {per_sec}  {elapsed}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let mut totals = Totals::default();
    let write_err = || "cannot write output".to_string();
    for input in &args.inputs {
        let mut reader = LineReader::open(input)?;
        loop {
            let batch = reader
                .next_batch(1024, 16 << 20)
                .context(|| format!("cannot read {}", reader.name))?;
            if batch.is_empty() {
                break;
            }
            let results: Vec<(Outcome, StageTimes)> = pool.install(|| {
                batch
                    .par_iter()
                    .map(|line| {
                        let coords = InputCoordinates {
                            file: Some(reader.name.clone()),
                            line: Some(line.number),
                            ..Default::default()
                        };
                        pipeline.process_bytes(&line.bytes, coords)
                    })
                    .collect()
            });
            for (line, (outcome, times)) in batch.iter().zip(results) {
                totals.read += 1;
                totals.bytes += line.bytes.len() as u64;
                totals.stages.normalize += times.normalize;
                totals.stages.entities += times.entities;
                totals.stages.claims += times.claims;
                match outcome {
                    Outcome::Enriched(record) => {
                        totals.enriched += 1;
                        serde_json::to_writer(&mut out, &record).context(write_err)?;
                        out.write_all(b"\n").context(write_err)?;
                    }
                    Outcome::Rejected(reject) => {
                        *totals.rejected.entry(reject.reason.as_str()).or_default() += 1;
                        match rejects.as_mut() {
                            Some(w) => {
                                serde_json::to_writer(&mut *w, &reject)
                                    .context(|| "cannot write rejects".into())?;
                                w.write_all(b"\n").context(write_err)?;
                            }
                            None => progress.suspend(|| {
                                eprintln!(
                                    "newsflow: rejected {} line {}: {}: {}",
                                    reader.name,
                                    line.number,
                                    reject.reason.as_str(),
                                    reject.message
                                )
                            }),
                        }
                    }
                }
                progress.inc(1);
            }
        }
    }
    out.flush().context(write_err)?;
    if let Some(w) = rejects.as_mut() {
        w.flush().context(write_err)?;
    }
    progress.finish_and_clear();
    if !args.quiet {
        eprintln!("{}", summary(&totals, started.elapsed()));
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(t: &Totals, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let rejected: u64 = t.rejected.values().sum();
    let reasons: Vec<String> = t
        .rejected
        .iter()
        .map(|(r, n)| format!("{r}: {n}"))
        .collect();
    let per_article = |d: Duration| {
        if t.enriched == 0 {
            0.0
        } else {
            d.as_secs_f64() * 1e3 / t.enriched as f64
        }
    };
    format!(
        "newsflow enrich: read {} enriched {} rejected {}{} in {:.2}s: {:.0} articles/s, {:.2} MB/s\n\
         time per article: normalize {:.3} ms, entities {:.3} ms, claims {:.3} ms",
        t.read,
        t.enriched,
        rejected,
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        },
        secs,
        t.read as f64 / secs,
        t.bytes as f64 / 1e6 / secs,
        per_article(t.stages.normalize),
        per_article(t.stages.entities),
        per_article(t.stages.claims),
    )
}
