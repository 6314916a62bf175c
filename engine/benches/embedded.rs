//! The embedded bundle's parts: each section of `corpus.bin` raw and brotli-compressed
//! alone (quality 11, as `scripts/bench-browser` counts what a CDN sends), against brotli
//! of the articles' text alone (issue 11's bar: everything sent ≤ 1.5× that), and how
//! long decoding it takes natively, whole and as the app's deferred loader splits it.
//! Figures are printed, not asserted.
//!
//! `cargo bench -p docbao-engine --features jsonl,gz --bench embedded [-- CORPUS]`,
//! CORPUS a `.jsonl(.gz)` file (default `../shared/corpora/unc-dantri.jsonl.gz`);
//! `-- --derive` prints only how long deriving the dictionaries takes (`Index::build`);
//! `-- --start` then only what the app does before its first page (load, first `find`).

mod common;

use std::sync::Arc;
use std::time::Instant;

use docbao_engine::codec::section_sizes;
use docbao_engine::ingest::Ingester;
use docbao_engine::{from_bytes, from_shared_bytes, to_bytes, Index};

/// CPU time this thread has run, in ms (Linux: `/proc/thread-self/schedstat`), so a
/// figure taken on a loaded machine is not the wall clock's; `None` elsewhere.
fn thread_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

fn mb(bytes: usize) -> String {
    format!("{:.3}", bytes as f64 / 1e6)
}

fn main() {
    let Some((path, file)) = common::corpus("unc-dantri.jsonl.gz") else {
        return;
    };
    let mut ingester = Ingester::new();
    ingester.add_reader(&path.display().to_string(), file);
    let (articles, report) = ingester.finish();
    println!("corpus: {} ({})", path.display(), report.summary());

    let mut text = String::new();
    for a in &articles {
        text.push_str(&a.title);
        text.push('\n');
        for passage in a.lead.iter().chain(&a.body) {
            text.push_str(passage);
            text.push('\n');
        }
        for c in &a.captions {
            text.push_str(&c.text);
            text.push('\n');
        }
    }
    // The embedded reader derives the dictionaries from the stored articles with the
    // build's own code (codec format 10): building them is what a page load pays.
    let mut build_ms: Vec<(f64, f64)> = (0..5)
        .map(|_| {
            let copy = articles.clone();
            let (started, cpu) = (Instant::now(), thread_cpu_ms());
            let built = Index::build(copy);
            let ms = started.elapsed().as_secs_f64() * 1e3;
            let cpu = thread_cpu_ms().zip(cpu).map_or(f64::NAN, |(b, a)| b - a);
            assert_eq!(built.len(), articles.len());
            (ms, cpu)
        })
        .collect();
    build_ms.sort_by(|a, b| a.1.total_cmp(&b.1));
    println!(
        "Index::build (what deriving the dictionaries costs): CPU median {:.1} ms, min {:.1} ms of 5 (wall {:.1} ms, {:.1} ms)",
        build_ms[2].1, build_ms[0].1, build_ms[2].0, build_ms[0].0
    );
    if std::env::args().any(|a| a == "--derive") {
        return;
    }
    let index = Index::build(articles);
    let bytes = to_bytes(&index);
    if std::env::args().any(|a| a == "--start") {
        // What the app does before its first page: load (the dictionaries left for
        // later), then the newest 20 with every facet. Wall clock (the thread's CPU clock
        // ticks too coarsely for a few ms), medians of `DOCBAO_START_RUNS` (default 21).
        let shared: Arc<[u8]> = Arc::from(bytes.clone());
        let runs: usize = std::env::var("DOCBAO_START_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(21);
        let request = docbao_engine::search::Request {
            sort: docbao_engine::facets::Sort::Newest,
            ..Default::default()
        };
        let (mut loads, mut pages): (Vec<f64>, Vec<f64>) = (0..runs)
            .map(|_| {
                let started = Instant::now();
                let loaded = from_shared_bytes(shared.clone()).expect("loads");
                let load = started.elapsed().as_secs_f64() * 1e3;
                let started = Instant::now();
                let page = loaded.find(&loaded.query(""), &request);
                assert_eq!(page.hits.len(), 20);
                (load, started.elapsed().as_secs_f64() * 1e3)
            })
            .unzip();
        loads.sort_by(f64::total_cmp);
        pages.sort_by(f64::total_cmp);
        println!(
            "before the first page (from_shared_bytes, as the app; wall, median of {runs}): load {:.2} ms, the first page's find {:.2} ms",
            loads[runs / 2],
            pages[runs / 2]
        );
        return;
    }

    println!("| part | raw MB | brotli MB |");
    println!("|---|---|---|");
    let text_br = common::brotli_len(text.as_bytes(), 11);
    println!(
        "| articles' text alone | {} | {} |",
        mb(text.len()),
        mb(text_br)
    );
    let sizes = section_sizes(&bytes).expect("a fresh index decodes");
    // Sections follow the header and table back to back, to the end.
    let mut at = bytes.len() - sizes.iter().map(|(_, n)| n).sum::<usize>();
    let mut parts = 0;
    for (tag, len) in &sizes {
        let br = common::brotli_len(&bytes[at..at + len], 11);
        parts += br;
        println!("| {tag} | {} | {} |", mb(*len), mb(br));
        at += len;
    }
    println!("| sections, each alone | | {} |", mb(parts));
    let whole = common::brotli_len(&bytes, 11);
    println!("| corpus.bin whole | {} | {} |", mb(bytes.len()), mb(whole));
    println!(
        "corpus.bin sent / text alone: {:.2} (the bar, app included: 1.5)",
        whole as f64 / text_br as f64
    );

    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let loaded = from_bytes(&bytes).expect("decodes");
            let ms = started.elapsed().as_secs_f64() * 1e3;
            assert_eq!(loaded.len(), index.len());
            ms
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "decode (from_bytes): median {:.1} ms, min {:.1} ms of 5",
        times[2], times[0]
    );

    // What the app pays before its first page (the dictionaries left for first touch),
    // and then for the dictionaries.
    let shared: Arc<[u8]> = Arc::from(bytes);
    let mut split: Vec<(f64, f64)> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let loaded = from_shared_bytes(shared.clone()).expect("loads");
            let load = started.elapsed().as_secs_f64() * 1e3;
            let started = Instant::now();
            loaded.finish_loading().expect("decodes");
            (load, started.elapsed().as_secs_f64() * 1e3)
        })
        .collect();
    split.sort_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)));
    println!(
        "deferred (from_shared_bytes, as the app): before the first page {:.1} ms, then the dictionaries {:.1} ms (the median run of 5)",
        split[2].0, split[2].1
    );
}
