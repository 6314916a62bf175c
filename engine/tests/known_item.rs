//! Known-item retrieval on the UNC corpus (../shared): for every 8th article a query made
//! from a distinctive window of its text, typed exact, folded, NFD, with the other tone
//! placement, as Telex keys, with the reader's typo (a letter dropped or two swapped) and
//! with any one edit; and 3–4 words of every 4th title with the reader's typo. Prints
//! MRR@10 per form (typos also split by whether the typo is itself a word) and fails below
//! the bar. Skips (with a message) when ../shared is absent.

mod common;

use std::time::Instant;

use common::queries::{known_items, reciprocal_rank, title_typos, FORMS};
use docbao_engine::Index;

const BAR: [f64; 7] = [0.95, 0.95, 0.95, 0.95, 0.85, 0.94, 0.95];
/// Title words with the reader's typo.
const TITLE_TYPO_BAR: f64 = 0.80;

/// MRR of `(reciprocal rank, typo is a word)` results: all, typo a word, typo a non-word.
fn split_mrr(results: &[(f64, bool)]) -> String {
    let mean = |f: &dyn Fn(bool) -> bool| {
        let rr: Vec<f64> = results.iter().filter(|r| f(r.1)).map(|r| r.0).collect();
        (rr.iter().sum::<f64>() / rr.len().max(1) as f64, rr.len())
    };
    let (word, nw) = mean(&|w| w);
    let (non, nn) = mean(&|w| !w);
    format!("typo is a word {word:.3} ({nw} queries), a non-word {non:.3} ({nn})")
}

#[test]
fn known_item_mrr_per_form() {
    let Some(articles) = common::unc() else {
        return;
    };
    let t = Instant::now();
    let index = Index::build(articles.clone());
    println!("UNC: {} articles indexed in {:?}", index.len(), t.elapsed());
    let items = known_items(&index, &articles, 8, 0x00d0_cba0);
    assert!(items.len() >= 300, "{} known items", items.len());
    println!(
        "{} known items, {} with a tone-placement change",
        items.len(),
        items.iter().filter(|k| k.tone_changed).count()
    );
    let mut failed = Vec::new();
    for (f, form) in FORMS.iter().enumerate() {
        let mut results = Vec::new();
        let mut misses = Vec::new();
        for item in &items {
            let rr = reciprocal_rank(&index, &item.queries[f], &item.id);
            results.push((rr, item.typo_is_word));
            if rr < 0.5 && misses.len() < 5 {
                misses.push(format!("{:?} (rr {rr:.2})", item.queries[f]));
            }
        }
        let mrr = results.iter().map(|r| r.0).sum::<f64>() / items.len() as f64;
        println!("MRR@10 {form:>6}: {mrr:.3} (bar {:.2})", BAR[f]);
        if *form == "typo" {
            println!("    {}", split_mrr(&results));
        }
        if !misses.is_empty() {
            println!("    e.g. missed: {}", misses.join(", "));
        }
        if mrr < BAR[f] {
            failed.push(format!("{form} {mrr:.3} < {:.2}", BAR[f]));
        }
    }

    let titles = title_typos(&index, &articles, 4, 0x7e7e_0010);
    assert!(titles.len() >= 300, "{} title queries", titles.len());
    let mut results = Vec::new();
    let mut misses = Vec::new();
    for q in &titles {
        let rr = reciprocal_rank(&index, &q.query, &q.id);
        results.push((rr, q.is_word));
        if rr < 0.5 && misses.len() < 8 {
            misses.push(format!("{:?} (rr {rr:.2})", q.query));
        }
    }
    let mrr = results.iter().map(|r| r.0).sum::<f64>() / results.len() as f64;
    let clean: f64 = titles
        .iter()
        .map(|q| reciprocal_rank(&index, &q.clean, &q.id))
        .sum::<f64>()
        / titles.len() as f64;
    println!("MRR@10 title words without the typo: {clean:.3}");
    println!(
        "MRR@10 title typo: {mrr:.3} (bar {TITLE_TYPO_BAR:.2}), {} queries",
        titles.len()
    );
    println!("    {}", split_mrr(&results));
    println!("    e.g. missed: {}", misses.join(", "));
    if mrr < TITLE_TYPO_BAR {
        failed.push(format!("title typo {mrr:.3} < {TITLE_TYPO_BAR:.2}"));
    }
    assert!(failed.is_empty(), "below the bar: {failed:?}");
}
