//! Throughput of each stage and of the whole pipeline over the shared corpora, Arabic and
//! English separately, on one thread (so the figures are per core).
//!
//! Run with `cargo bench`; divan prints time per corpus pass and throughput as MB/s
//! (body bytes for the stages, input line bytes for the pipeline) and articles/s (items).

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use newsflow::pipeline::{Limits, Pipeline};
use newsflow::record::{InputCoordinates, RawArticle};
use newsflow::stages::entities::EntityLayer;
use newsflow::stages::normalize::Document;

fn main() {
    divan::main();
}

struct Corpus {
    lines: Vec<String>,
    bodies: Vec<String>,
    docs: Vec<Document>,
    layers: Vec<EntityLayer>,
}

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(Limits::default()).expect("bundled data loads"))
}

fn load(name: &str) -> Corpus {
    let shared = std::env::var_os("NEWSFLOW_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = shared.join("corpus").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let bodies: Vec<String> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<RawArticle>(l).ok()?.body)
        .collect();
    let p = pipeline();
    let docs: Vec<Document> = bodies
        .iter()
        .filter_map(|b| p.normalizer().run(b.clone(), None).ok())
        .collect();
    let layers = docs.iter().map(|d| p.entity_tagger().run(d)).collect();
    Corpus {
        lines,
        bodies,
        docs,
        layers,
    }
}

fn corpus(lang: &str) -> &'static Corpus {
    static AR: OnceLock<Corpus> = OnceLock::new();
    static EN: OnceLock<Corpus> = OnceLock::new();
    match lang {
        "ar" => AR.get_or_init(|| load("articles-ar.jsonl")),
        _ => EN.get_or_init(|| load("articles-en.jsonl")),
    }
}

fn body_bytes(c: &Corpus) -> usize {
    c.bodies.iter().map(String::len).sum()
}

const LANGS: &[&str] = &["ar", "en"];

#[divan::bench(args = LANGS, sample_count = 10, sample_size = 1)]
fn normalize(bencher: Bencher, lang: &str) {
    let c = corpus(lang);
    bencher
        .counter(BytesCount::new(body_bytes(c)))
        .counter(ItemsCount::new(c.bodies.len()))
        .bench(|| {
            for body in &c.bodies {
                divan::black_box(pipeline().normalizer().run(body.clone(), None).ok());
            }
        });
}

#[divan::bench(args = LANGS, sample_count = 10, sample_size = 1)]
fn entities(bencher: Bencher, lang: &str) {
    let c = corpus(lang);
    bencher
        .counter(BytesCount::new(body_bytes(c)))
        .counter(ItemsCount::new(c.docs.len()))
        .bench(|| {
            for doc in &c.docs {
                divan::black_box(pipeline().entity_tagger().run(doc));
            }
        });
}

#[divan::bench(args = LANGS, sample_count = 10, sample_size = 1)]
fn claims(bencher: Bencher, lang: &str) {
    let c = corpus(lang);
    bencher
        .counter(BytesCount::new(body_bytes(c)))
        .counter(ItemsCount::new(c.docs.len()))
        .bench(|| {
            for (doc, layer) in c.docs.iter().zip(&c.layers) {
                divan::black_box(pipeline().claim_extractor().run(doc, layer));
            }
        });
}

#[divan::bench(args = LANGS, sample_count = 10, sample_size = 1)]
fn whole_pipeline(bencher: Bencher, lang: &str) {
    let c = corpus(lang);
    bencher
        .counter(BytesCount::new(
            c.lines.iter().map(String::len).sum::<usize>(),
        ))
        .counter(ItemsCount::new(c.lines.len()))
        .bench(|| {
            for line in &c.lines {
                divan::black_box(
                    pipeline().process_bytes(line.as_bytes(), InputCoordinates::default()),
                );
            }
        });
}
