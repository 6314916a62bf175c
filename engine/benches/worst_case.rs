//! Worst cases of a query on UNC, natively (skipped with a message when ../shared is
//! absent): what any query of at most `MAX_QUERY_CHARS` characters costs, wherever it
//! comes from (the box, a link, the command line).
//!
//! Run with `cargo bench -p docbao-engine --bench worst_case`. Targets (issue 10): `find`
//! (query prepared + a page of 20 with facets) ≤ 20 ms for any query; a whole article
//! page (query prepared, previous/next, every passage highlighted) ≤ 30 ms. Figures are
//! printed, never asserted: each is the slowest of several runs.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use criterion::black_box;
use docbao_engine::index::Articles;
use docbao_engine::search::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use docbao_engine::{Index, Request};

const RUNS: usize = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The slowest and the fastest of `RUNS` runs of `work`.
fn time(mut work: impl FnMut()) -> (Duration, Duration) {
    let runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            work();
            t.elapsed()
        })
        .collect();
    (*runs.iter().max().unwrap(), *runs.iter().min().unwrap())
}

fn verdict(d: Duration, target_ms: f64) -> &'static str {
    if ms(d) <= target_ms {
        "within target"
    } else {
        "OVER TARGET"
    }
}

/// `words` joined by spaces until the query is about `MAX_QUERY_CHARS` characters long.
fn fill(words: &[&str], end: &str) -> String {
    let mut q = String::new();
    for w in words.iter().cycle() {
        if q.chars().count() + w.chars().count() + 1 > MAX_QUERY_CHARS {
            break;
        }
        if !q.is_empty() {
            q.push(' ');
        }
        q.push_str(w);
    }
    q + end
}

fn long_queries(articles: &Articles) -> Vec<(&'static str, String)> {
    let title_words: Vec<&str> = articles
        .iter()
        .step_by(97)
        .flat_map(|a| a.title.split_whitespace())
        .take(200)
        .collect();
    let common = [
        "việt", "nam", "người", "của", "và", "các", "có", "được", "trong",
    ];
    let typos = [
        "nguoif", "tphcmm", "giaos", "duc", "hoocj", "sinhh", "thanhf", "phoos",
    ];
    let long_typos = ["abcdefghijklmnopqrst", "nghieeengxxxxxxxxxxx"];
    vec![
        ("10,000-letter word", "a".repeat(10_000)),
        ("3,000-letter word", "a".repeat(3_000)),
        ("256 letters, still typing", "a".repeat(MAX_QUERY_CHARS)),
        ("title words, still typing", fill(&title_words, "")),
        ("title words, finished", fill(&title_words, " ")),
        ("common words", fill(&common, " ")),
        ("Telex and typos", fill(&typos, "")),
        ("20-letter words (typo edits)", fill(&long_typos, " ")),
        (
            "quoted phrase of common words",
            format!("\"{}\"", fill(&common, "")),
        ),
        (
            "OR chain",
            fill(&["việt", "OR", "nam", "OR", "hà", "OR", "nội"], " "),
        ),
        ("exclusions", fill(&["-việt", "-nam", "người", "-của"], " ")),
        ("only exclusions", fill(&["-việt", "-nam", "-người"], " ")),
        (
            "excluded phrase of common words",
            format!("-\"{}\"", fill(&common, "")),
        ),
        (
            "OR between phrases and abbreviations",
            fill(
                &[
                    "\"việt nam\"",
                    "OR",
                    "\"UBND thành phố\"",
                    "OR",
                    "\"TP.HCM\"",
                ],
                " ",
            ),
        ),
        (
            "one-letter words",
            fill(&["a", "b", "c", "d", "e", "g", "h"], ""),
        ),
        (
            "more words than the cap",
            "tin ".repeat(MAX_QUERY_WORDS * 4),
        ),
        (
            "compounds and numbers",
            fill(&["covid-19", "tp.hcm", "24/8", "1.416", "UBND"], ""),
        ),
    ]
}

fn main() {
    let Some(articles) = common::unc() else {
        println!("UNC corpus absent: skipped");
        return;
    };
    let index = Index::build(articles);
    let request = Request::default();
    println!(
        "[unc] {} articles; caps: {MAX_QUERY_CHARS} characters, {MAX_QUERY_WORDS} words",
        index.len()
    );

    let mut worst_find = Duration::ZERO;
    for (what, text) in long_queries(index.articles()) {
        let query = index.query(&text);
        let (prepare, _) = time(|| {
            black_box(index.query(black_box(&text)));
        });
        let (find, _) = time(|| {
            let query = index.query(black_box(&text));
            black_box(index.find(&query, &request));
        });
        worst_find = worst_find.max(find);
        println!(
            "[unc] find, {what} ({} chars{}): {} matches; prepare {:.3} ms, prepare + find {:.3} ms",
            text.chars().count(),
            if query.trimmed() { ", trimmed" } else { "" },
            index.find(&query, &request).total,
            ms(prepare),
            ms(find),
        );
    }
    println!(
        "[unc] WORST find (slowest of {RUNS} runs, query prepared each time): {:.3} ms ({} 20 ms)",
        ms(worst_find),
        verdict(worst_find, 20.0)
    );

    // The article page: the longest article, opened from a search.
    let longest = index
        .articles()
        .iter()
        .max_by_key(|a| a.body.len() + a.captions.len())
        .unwrap()
        .clone();
    let passages: Vec<&str> = std::iter::once(longest.title.as_str())
        .chain(longest.lead.as_deref())
        .chain(longest.body.iter().map(String::as_str))
        .chain(longest.captions.iter().map(|c| c.text.as_str()))
        .collect();
    for text in [
        "hoc sinh gioi quoc gia".to_string(),
        "a".repeat(3_000),
        fill(&["học", "sinh", "giỏi", "quốc", "gia", "việt", "nam"], ""),
    ] {
        let page = || {
            let query = index.query(black_box(&text));
            black_box(index.neighbours(&query, &request, &longest.id));
            for p in &passages {
                black_box(index.highlight_article(&longest.id, p, &query));
            }
        };
        let (worst, best) = time(page);
        // Before the prepared query, each passage prepared it again: for comparison.
        let (per_passage, _) = time(|| {
            for p in &passages {
                black_box(index.highlight(p, &index.query(&text)));
            }
        });
        let shown: String = text.chars().take(40).collect();
        println!(
            "[unc] article page, longest article ({} passages), q = {shown:?}{}: {:.3} ms (best {:.3} ms; {} 30 ms); highlights alone with the query prepared per passage: {:.3} ms",
            passages.len(),
            if text.chars().count() > 40 { "…" } else { "" },
            ms(worst),
            ms(best),
            verdict(worst, 30.0),
            ms(per_passage),
        );
    }
}
