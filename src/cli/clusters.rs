//! `newsflow train clusters`: word clusters from unlabelled articles, the table the
//! entity tagger reads as features (see [`crate::stages::entities::tagger::Clusters`]).
//!
//! The articles go through the same normalization as at run time; each sentence's match
//! keys (digit runs folded to `0`) are the sequences the exchange algorithm counts.
//! `scripts/build-clusters` runs it over the ANT corpus for the Arabic table.

use std::collections::HashMap;
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Instant;

use super::error::{CliError, Context};
use crate::record::RawArticle;
use crate::stages::entities::tagger::exchange::{Bigrams, cluster};
use crate::stages::normalize::Normalizer;

/// The options of one clustering.
pub(super) struct ClusterOptions<'a> {
    /// Where to write the table.
    pub out: &'a str,
    /// Classes per granularity, coarse to fine.
    pub classes: &'a [usize],
    /// Words seen fewer times are not clustered.
    pub min_count: u64,
    /// Passes of the exchange algorithm.
    pub passes: usize,
    /// The language hint given to the normalizer.
    pub language: &'a str,
}

/// Reads, counts, clusters at each granularity and writes the table.
pub(super) fn train_clusters(
    opts: &ClusterOptions,
    files: &[String],
) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let (words, sequences) = read_corpus(files, opts.language)?;
    let mut frequency = vec![0u64; words.len()];
    for &w in sequences.iter().flatten() {
        frequency[w as usize] += 1;
    }
    // Rare words share one id: they are context, never clustered.
    let rare = words.len() as u32;
    let sequences: Vec<Vec<u32>> = sequences
        .into_iter()
        .map(|s| {
            s.into_iter()
                .map(|w| {
                    if frequency[w as usize] >= opts.min_count {
                        w
                    } else {
                        rare
                    }
                })
                .collect()
        })
        .collect();
    let bigrams = Bigrams::count(words.len() + 1, sequences.iter().map(Vec::as_slice));
    let kept = frequency.iter().filter(|&&n| n >= opts.min_count).count();
    eprintln!(
        "train clusters: {} sentences, {} tokens, {kept} of {} words seen {} times or more ({:.0} s)",
        sequences.len(),
        frequency.iter().sum::<u64>(),
        words.len(),
        opts.min_count,
        started.elapsed().as_secs_f64()
    );
    let mut columns = Vec::new();
    for &classes in opts.classes {
        let class = cluster(&bigrams, classes, opts.passes, |pass, moved| {
            eprintln!(
                "  {classes} classes, pass {pass:>2}: {moved} words moved ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        });
        columns.push(class);
    }
    let mut rows: Vec<(&str, usize)> = words
        .iter()
        .enumerate()
        .filter(|&(w, _)| frequency[w] >= opts.min_count)
        .map(|(w, word)| (word.as_str(), w))
        .collect();
    rows.sort_unstable();
    let mut table = format!(
        "# Word clusters: match key (digit runs as 0)<TAB>class at {} classes, coarse to fine.\n\
         # Learned by `newsflow train clusters` (bidirectional exchange, {} passes) from {} \n\
         # sentences of unlabelled news, words seen {} times or more; see scripts/build-clusters.\n",
        opts.classes
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        opts.passes,
        sequences.len(),
        opts.min_count
    );
    for (word, w) in rows {
        table.push_str(word);
        for column in &columns {
            table.push('\t');
            table.push_str(&column[w].to_string());
        }
        table.push('\n');
    }
    std::fs::write(opts.out, table).context(|| format!("cannot write {}", opts.out))?;
    eprintln!(
        "train clusters: wrote {} ({kept} words) in {:.0} s",
        opts.out,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The words (match keys, digit runs folded) of every sentence of every article, as ids.
fn read_corpus(files: &[String], language: &str) -> Result<(Vec<String>, Vec<Vec<u32>>), CliError> {
    let normalizer = Normalizer::new().map_err(|e| e.to_string())?;
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut sequences = Vec::new();
    for file in files {
        let reader = std::io::BufReader::new(
            std::fs::File::open(file).context(|| format!("cannot open {file}"))?,
        );
        for (n, line) in reader.lines().enumerate() {
            let line = line.context(|| format!("cannot read {file} line {}", n + 1))?;
            let Ok(article) = serde_json::from_str::<RawArticle>(&line) else {
                eprintln!(
                    "train clusters: {file} line {}: not an article, skipped",
                    n + 1
                );
                continue;
            };
            let text = [article.title.as_deref(), article.body.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n");
            let Ok(doc) = normalizer.run(text, Some(language)) else {
                continue;
            };
            for sentence in &doc.sentences {
                let seq = doc.tokens[sentence.first_token..sentence.end_token]
                    .iter()
                    .map(|t| {
                        let word = fold_digits(doc.token_key(t));
                        let next = words.len() as u32;
                        *ids.entry(word).or_insert_with_key(|w| {
                            words.push(w.clone());
                            next
                        })
                    })
                    .collect();
                sequences.push(seq);
            }
        }
    }
    Ok((words, sequences))
}

/// A match key with every run of digits as one `0`, as the cluster tables write words.
fn fold_digits(key: &[char]) -> String {
    let mut out = String::with_capacity(key.len() * 2);
    let mut in_digits = false;
    for &c in key {
        let digit = c.is_ascii_digit();
        if !(digit && in_digits) {
            out.push(if digit { '0' } else { c });
        }
        in_digits = digit;
    }
    out
}
