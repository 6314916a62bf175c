//! Small builders and readers the search tests share: the seed files, an index of
//! invented articles, a request, the ids of a search's hits, the marked words of a text.

use std::path::Path;

use docbao_engine::facets::{Filters, Sort};
use docbao_engine::ingest::{ingest, SourceFile};
use docbao_engine::{Article, Index, Marked, Request};

/// The seed pages of `seeds/`, in sorted order, as the build reads them.
pub fn seed_files() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| SourceFile {
            path: p.display().to_string(),
            bytes: std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display())),
        })
        .collect()
}

/// The index of the seeds, every page accepted.
pub fn seed_index() -> Index {
    let (articles, report) = ingest(&seed_files());
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    Index::build(articles)
}

/// An index of invented articles: (id, title, body).
pub fn index_of(docs: &[(&str, &str, &str)]) -> Index {
    Index::build(
        docs.iter()
            .map(|(id, title, body)| Article {
                id: id.to_string(),
                title: title.to_string(),
                body: vec![body.to_string()],
                ..Article::default()
            })
            .collect(),
    )
}

/// The ids of the first ten hits of `query`, best first.
pub fn hit_ids(index: &Index, query: &str) -> Vec<String> {
    index
        .search(&index.query(query), 10)
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// Every result, or a page of them: `limit` results from `offset`, in `sort` order.
pub fn request(filters: &Filters, sort: Sort, offset: usize, limit: usize) -> Request {
    Request {
        filters: filters.clone(),
        sort,
        offset,
        limit,
        count_facets: true,
        typing: false,
    }
}

/// The words a highlight marks, in order.
pub fn marked_words(marked: &Marked) -> Vec<&str> {
    marked
        .segments()
        .into_iter()
        .filter(|s| s.1)
        .map(|s| s.0)
        .collect()
}
