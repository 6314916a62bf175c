//! Known-item retrieval on the UNC corpus (../shared): for every 8th article a query made
//! from a distinctive window of its text, typed exact, folded, NFD, with the other tone
//! placement, as Telex keys, and with one typo. Prints MRR@10 per form and fails below
//! the bar. Skips (with a message) when ../shared is absent.

mod common;

use std::time::Instant;

use common::queries::{known_items, reciprocal_rank, FORMS};
use docbao_engine::Index;

const BAR: [f64; 6] = [0.95, 0.95, 0.95, 0.95, 0.85, 0.85];

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
        let mut sum = 0.0;
        let mut misses = Vec::new();
        for item in &items {
            let rr = reciprocal_rank(&index, &item.queries[f], &item.id);
            sum += rr;
            if rr < 0.5 && misses.len() < 5 {
                misses.push(format!("{:?} (rr {rr:.2})", item.queries[f]));
            }
        }
        let mrr = sum / items.len() as f64;
        println!("MRR@10 {form:>6}: {mrr:.3} (bar {:.2})", BAR[f]);
        if !misses.is_empty() {
            println!("    e.g. missed: {}", misses.join(", "));
        }
        if mrr < BAR[f] {
            failed.push(format!("{form} {mrr:.3} < {:.2}", BAR[f]));
        }
    }
    assert!(failed.is_empty(), "below the bar: {failed:?}");
}
