//! Stored articles decoded per chunk on first touch (`from_shared_bytes`, the app's
//! loader) against the eager decoder (`from_bytes`), on all of UNC from `../shared`
//! (skipped with a message when absent). The fixtures' cases, and damage, are in
//! `codec`'s unit tests; `codec_fuzz.rs` compares both loaders on mutated bytes.

mod common;

use std::sync::Arc;

use docbao_engine::codec::ARTICLES_PER_CHUNK;
use docbao_engine::facets::{Filters, Sort};
use docbao_engine::{from_bytes, from_shared_bytes, to_bytes, Index, Request};

#[test]
fn unc_articles_decoded_on_first_touch_equal_the_eager_ones() {
    let Some(articles) = common::unc() else {
        return;
    };
    let index = Index::build(articles);
    let bytes = to_bytes(&index);
    let eager = from_bytes(&bytes).unwrap();
    let lazy = from_shared_bytes(Arc::from(bytes)).unwrap();
    let chunks = index.len().div_ceil(ARTICLES_PER_CHUNK);
    assert_eq!(lazy.articles().chunks_not_decoded(), chunks);

    // The app's first page: the 20 newest and every facet.
    let newest = Request {
        sort: Sort::Newest,
        limit: 20,
        ..Request::default()
    };
    let (first, expected) = (
        lazy.find(&lazy.query(""), &newest),
        eager.find(&eager.query(""), &newest),
    );
    assert_eq!(first.total, expected.total);
    assert_eq!(first.hits, expected.hits);
    assert_eq!(first.facets, expected.facets);
    let touched = chunks - lazy.articles().chunks_not_decoded();
    println!("the first page decoded {touched} of {chunks} chunks");
    assert!(
        (1..=20).contains(&touched) && touched < chunks,
        "{touched} of {chunks} chunks decoded for the first page"
    );

    // Filtered by the first article's outlet, oldest first, second page; then a search.
    let outlet = eager.articles().first().and_then(|a| a.source.clone());
    let filtered = Request {
        filters: Filters {
            sources: outlet.into_iter().collect(),
            ..Filters::default()
        },
        sort: Sort::Oldest,
        offset: 20,
        limit: 20,
        count_facets: true,
        typing: false,
    };
    for (q, request) in [
        ("", &filtered),
        ("học sinh", &newest),
        ("hoc sinh", &filtered),
    ] {
        let (a, b) = (
            lazy.find(&lazy.query(q), request),
            eager.find(&eager.query(q), request),
        );
        assert_eq!(
            (a.total, &a.hits, &a.facets),
            (b.total, &b.hits, &b.facets),
            "{q:?}"
        );
    }

    // Every article, looked up by id.
    for article in eager.articles().iter() {
        assert_eq!(lazy.article(&article.id), Some(article));
    }
    assert_eq!(lazy.articles().chunks_not_decoded(), 0);
    assert_eq!(lazy.finish_loading(), Ok(()));
    assert!(lazy == eager && eager == index);
}
