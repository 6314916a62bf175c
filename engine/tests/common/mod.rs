//! Test-only helpers: where ../shared lives, and a small reader for its corpora.
//! (The ingest module will later offer a library reader; this one stays local to tests.)
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use docbao_engine::Article;

pub mod pages;
pub mod queries;
pub mod search;

/// `shared/` beside the workspace, or `None` (with a message) when it is absent.
///
/// A user's fresh clone has no `../shared`, so its tests skip there. CI always has it: under
/// `CI=true` an absent `../shared` fails the test instead, so a skip never passes for a result.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared"));
    shared_at(&root, rel, under_ci())
}

/// Whether the tests run under CI (`CI=true`, as CI services set it).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// [`shared`] with its root and CI flag given, so the rule itself can be tested.
pub fn shared_at(root: &std::path::Path, rel: &str, ci: bool) -> Option<PathBuf> {
    let p = root.join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(
        !ci,
        "{} is absent, and CI=true: CI must run the tests that read ../shared, not skip them",
        p.display()
    );
    eprintln!(
        "SKIPPED: {} is absent (the shared test material lives beside the workspace)",
        p.display()
    );
    None
}

/// The bytes of a file of `shared/corpora`, with its path, or `None` (with a message).
pub fn corpus_bytes(name: &str) -> Option<(PathBuf, Vec<u8>)> {
    let path = shared(&format!("corpora/{name}"))?;
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some((path, bytes))
}

fn records(path: &PathBuf) -> impl Iterator<Item = serde_json::Value> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    BufReader::new(flate2::read::GzDecoder::new(file))
        .lines()
        .map(|l| l.expect("corpus line"))
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&l).expect("corpus JSON"))
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(|x| x.as_str())
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// The UNC corpus (Dân trí full articles): body paragraphs split on `\n`.
pub fn unc() -> Option<Vec<Article>> {
    let path = shared("corpora/unc-dantri.jsonl.gz")?;
    Some(
        records(&path)
            .map(|v| Article {
                id: text(&v, "id").expect("id"),
                title: text(&v, "title").unwrap_or_default(),
                source: text(&v, "source"),
                date: text(&v, "date"),
                category: text(&v, "category"),
                url: text(&v, "url"),
                body: text(&v, "body")
                    .unwrap_or_default()
                    .split('\n')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect(),
                ..Article::default()
            })
            .collect(),
    )
}

/// The RSS corpus: title plus summary (read as the lead).
pub fn rss() -> Option<Vec<Article>> {
    let path = shared("corpora/rss-vn-news.jsonl.gz")?;
    Some(
        records(&path)
            .map(|v| Article {
                id: text(&v, "id").expect("id"),
                title: text(&v, "title").unwrap_or_default(),
                source: text(&v, "source"),
                date: text(&v, "published").map(|d| d.chars().take(10).collect()),
                category: text(&v, "category"),
                url: text(&v, "url"),
                lead: text(&v, "summary"),
                ..Article::default()
            })
            .collect(),
    )
}
