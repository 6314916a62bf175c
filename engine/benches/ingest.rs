//! Ingest throughput on the UNC corpus (MB/s of JSON Lines text), and the full RSS corpus
//! checked once (153,825 items: accepted + rejected must add up, duplicates reported),
//! which is too slow for an unoptimised `cargo test`.
//!
//! `cargo bench -p docbao-engine --features cli --bench ingest`. Reads `../shared/corpora`
//! next to the workspace and skips, saying so, when it is absent.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::Read;
use std::time::Instant;

use criterion::{criterion_group, Criterion, Throughput};
use docbao_engine::ingest::{Ingester, Reason};

const RSS_ITEMS: usize = 153_825;

/// Loads the whole RSS corpus once and checks that nothing was lost.
fn check_rss() {
    let Some((path, gz)) = common::corpus_bytes("rss-vn-news.jsonl.gz") else {
        return;
    };
    let started = Instant::now();
    let mut ingester = Ingester::new();
    ingester.add_file(&path.display().to_string(), &gz);
    let (articles, report) = ingester.finish();
    let seconds = started.elapsed().as_secs_f64();
    let duplicates: usize = report
        .rejected
        .iter()
        .filter(|r| matches!(r.reason, Reason::Duplicate { .. }))
        .map(|r| r.records)
        .sum();
    println!(
        "rss-vn-news: {} in {seconds:.1} s ({duplicates} duplicates reported)",
        report.summary()
    );
    assert_eq!(
        report.accepted.len() + report.rejected_count(),
        RSS_ITEMS,
        "every RSS item accounted for"
    );
    assert_eq!(articles.len(), report.accepted.len());
    assert!(
        duplicates > 0,
        "the RSS corpus repeats items under other ids"
    );
    assert!(report.rejected.iter().all(|r| r.line.is_some()));
    // Only duplicates and items with an empty summary may be turned away.
    assert!(report
        .rejected
        .iter()
        .all(|r| matches!(r.reason, Reason::Duplicate { .. } | Reason::NoBody)));
}

fn unc_throughput(c: &mut Criterion) {
    let Some((_, gz)) = common::corpus_bytes("unc-dantri.jsonl.gz") else {
        return;
    };
    // Measured on the decompressed text, so MB/s is of JSON Lines read, not of gzip.
    let mut jsonl = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_end(&mut jsonl)
        .expect("the UNC corpus is valid gzip");
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(jsonl.len() as u64));
    group.sample_size(10);
    group.bench_function("unc-dantri.jsonl", |b| {
        b.iter(|| {
            let mut ingester = Ingester::new();
            ingester.add_file("unc-dantri.jsonl", &jsonl);
            assert_eq!(ingester.accepted(), 2653);
            ingester.finish()
        })
    });
    group.finish();

    let started = Instant::now();
    let mut ingester = Ingester::new();
    ingester.add_file("unc-dantri.jsonl", &jsonl);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "unc-dantri: {:.1} MB/s ({} bytes of JSON Lines in {seconds:.3} s)",
        jsonl.len() as f64 / 1e6 / seconds,
        jsonl.len()
    );
}

criterion_group!(benches, unc_throughput);

fn main() {
    check_rss();
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
