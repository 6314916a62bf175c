//! The browser bench's work, replayed natively: `scripts/bench-browser` types queries into
//! the app letter by letter and opens the longest article with a query, then runs this on
//! the same corpus and the same keystrokes, so the wasm's overhead shows beside the
//! engine's own cost. Not run on its own; the script sets:
//!   DOCBAO_REPLAY_CORPUS  a JSON Lines file of the corpus (what `docbao export` writes)
//!   DOCBAO_REPLAY_PLAN    {"keystrokes": [the search box's value after each key, …],
//!                          "article": {"id": …, "queries": [q, …]}}
//! Keystrokes are asked without facet counts, as the app types (its panel's counts come at
//! the pause); `DOCBAO_COUNT_FACETS=1` counts them on every keystroke (as before session 13).
//! It prints one line, `replay: {…}`, of figures in ms (as the app calls the engine:
//! `find` for the first page of results; the article page's `more_like_this`,
//! `article_titled` for each related teaser and, with a query, `neighbours` and
//! `highlight` for every passage).

use std::time::{Duration, Instant};

use docbao_engine::facets::Sort;
use docbao_engine::ingest::Ingester;
use docbao_engine::{from_bytes, to_bytes, Index, Request};

/// Results per page, as the app's search page shows them.
const PAGE_SIZE: usize = 20;
/// Times the article page is opened; the median is reported.
const ARTICLE_RUNS: usize = 9;
/// Articles the article page suggests under "more like this" (the app's `SIMILAR`).
const SIMILAR: usize = 5;
/// Times each keystroke is searched; its median is its figure (the machine is shared, and
/// one run is noisy).
const KEYSTROKE_RUNS: usize = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The order the app shows results in (its `SearchState::effective_sort`).
fn sort_for(q: &str) -> Sort {
    if q.trim().is_empty() {
        Sort::Newest
    } else {
        Sort::Relevance
    }
}

fn env_path(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("replay: {name} is not set; run scripts/bench-browser, which sets it");
        std::process::exit(2)
    })
}

fn main() {
    let corpus = env_path("DOCBAO_REPLAY_CORPUS");
    let plan_path = env_path("DOCBAO_REPLAY_PLAN");
    let read = |p: &str| std::fs::read(p).unwrap_or_else(|e| panic!("replay: {p}: {e}"));
    let plan: serde_json::Value = serde_json::from_slice(&read(&plan_path))
        .unwrap_or_else(|e| panic!("replay: {plan_path}: {e}"));
    let keystrokes: Vec<&str> = plan["keystrokes"]
        .as_array()
        .expect("plan.keystrokes")
        .iter()
        .map(|k| k.as_str().expect("a keystroke is a string"))
        .collect();
    let article_id = plan["article"]["id"].as_str().expect("plan.article.id");
    let article_queries: Vec<&str> = plan["article"]["queries"]
        .as_array()
        .expect("plan.article.queries")
        .iter()
        .map(|q| q.as_str().expect("an article query is a string"))
        .collect();

    let mut ingester = Ingester::new();
    ingester.add_file(&corpus, &read(&corpus));
    let (articles, report) = ingester.finish();
    eprintln!("replay: corpus {}", report.summary());
    // The app loads the serialized index; so does this, to time the same step.
    let bytes = to_bytes(&Index::build(articles));
    let started = Instant::now();
    let index = from_bytes(&bytes).expect("the index just serialized loads");
    let load_ms = ms(started.elapsed());

    // A keystroke prepares its query and finds, as the search page does.
    let count_facets = std::env::var("DOCBAO_COUNT_FACETS").is_ok_and(|v| v == "1");
    let find = |q: &str| {
        let query = index.query(q);
        index.find(
            &query,
            &Request {
                sort: sort_for(q),
                limit: PAGE_SIZE,
                count_facets,
                ..Request::default()
            },
        )
    };
    let mut times: Vec<f64> = keystrokes
        .iter()
        .map(|q| {
            let mut runs: Vec<f64> = (0..KEYSTROKE_RUNS)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(find(q));
                    ms(t.elapsed())
                })
                .collect();
            runs.sort_by(f64::total_cmp);
            percentile(&runs, 0.5)
        })
        .collect();
    times.sort_by(f64::total_cmp);

    let article = index
        .article(article_id)
        .unwrap_or_else(|| panic!("replay: no article {article_id} in {corpus}"));
    let passages: Vec<&str> = std::iter::once(article.title.as_str())
        .chain(article.lead.as_deref())
        .chain(article.body.iter().map(String::as_str))
        .chain(article.captions.iter().map(|c| c.text.as_str()))
        .collect();
    let article_page = |q: &str| {
        let mut times: Vec<f64> = (0..ARTICLE_RUNS)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(index.more_like_this(article_id, SIMILAR));
                for teaser in &article.related {
                    std::hint::black_box(index.article_titled(&teaser.title));
                }
                // Without a query the app neither steps through results nor highlights.
                if q.trim().is_empty() {
                    return ms(t.elapsed());
                }
                // The page prepares the query once for neighbours and every passage.
                let query = index.query(q);
                let request = Request {
                    sort: sort_for(q),
                    ..Request::default()
                };
                std::hint::black_box(index.neighbours(&query, &request, article_id));
                for p in &passages {
                    std::hint::black_box(index.highlight(p, &query));
                }
                ms(t.elapsed())
            })
            .collect();
        times.sort_by(f64::total_cmp);
        serde_json::json!({
            "q": q,
            "ms": percentile(&times, 0.5),
            "max_ms": times.last().copied().unwrap_or_default(),
        })
    };
    let article_pages: Vec<serde_json::Value> =
        article_queries.iter().map(|q| article_page(q)).collect();

    let figures = serde_json::json!({
        "articles": index.articles().len(),
        "load_ms": load_ms,
        "keystrokes": times.len(),
        "p50_ms": percentile(&times, 0.5),
        "p95_ms": percentile(&times, 0.95),
        "max_ms": times.last().copied().unwrap_or_default(),
        "article_passages": passages.len(),
        "article_pages": article_pages,
    });
    println!("replay: {figures}");
}
