//! Requests as the reader makes them: query + filters + order + page, facets, neighbours.

mod common;

use common::search::marked_words;
use docbao_engine::facets::{Filters, Sort};
use docbao_engine::{Article, Index, Request};

/// Every result of the query in `sort` order, `limit` of them from `offset`.
fn request(sort: Sort, offset: usize, limit: usize) -> Request {
    common::search::request(&Filters::default(), sort, offset, limit)
}

fn article(id: &str, title: &str, source: &str, date: Option<&str>) -> Article {
    Article {
        id: id.into(),
        title: title.into(),
        source: Some(source.into()),
        date: date.map(str::to_string),
        body: vec![format!("{title} — nội dung bài viết về chuyện {id}.")],
        ..Article::default()
    }
}

fn corpus() -> Index {
    Index::build(vec![
        article("a", "Covid-19 ở Hà Nội", "Dân trí", Some("2021-08-24")),
        article("b", "Covid-19 ở Đà Nẵng", "Đời sống", Some("2022-02-24")),
        article("c", "Giá vàng hôm nay", "Dân trí", Some("2020-10-01")),
        article("d", "Covid-19 và trường học", "Dân trí", None),
    ])
}

fn ids(page: &docbao_engine::Page) -> Vec<&str> {
    page.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn browsing_with_no_query_lists_everything_newest_first_undated_last() {
    let index = corpus();
    let page = index.find(&index.query(""), &request(Sort::Newest, 0, 10));
    assert_eq!(page.total, 4);
    assert_eq!(ids(&page), ["b", "a", "c", "d"]);
    let oldest = index.find(&index.query(""), &request(Sort::Oldest, 0, 10));
    assert_eq!(ids(&oldest), ["c", "a", "b", "d"]);
}

/// Within a day, newest first lists the article added last first (docs are numbered in
/// date order, ties as given), so the newest page is one run of adjacent articles, and
/// oldest first is its reverse; undated last in both.
#[test]
fn articles_of_one_day_list_last_added_first_when_newest_first() {
    let index = Index::build(vec![
        article("day-1", "Tin một", "Dân trí", Some("2021-05-01")),
        article("day-2-first", "Tin hai", "Dân trí", Some("2021-05-02")),
        article("undated", "Tin ba", "Dân trí", None),
        article("day-2-second", "Tin bốn", "Dân trí", Some("2021-05-02")),
        article("day-2-third", "Tin năm", "Dân trí", Some("2021-05-02")),
    ]);
    for limit in [2, 10] {
        let newest = index.find(&index.query(""), &request(Sort::Newest, 0, limit));
        let want = [
            "day-2-third",
            "day-2-second",
            "day-2-first",
            "day-1",
            "undated",
        ];
        assert_eq!(ids(&newest), want[..limit.min(5)], "{limit}");
    }
    let oldest = index.find(&index.query(""), &request(Sort::Oldest, 0, 10));
    assert_eq!(
        ids(&oldest),
        [
            "day-1",
            "day-2-first",
            "day-2-second",
            "day-2-third",
            "undated"
        ]
    );
}

#[test]
fn pages_are_windows_of_the_same_order() {
    let index = corpus();
    let all = index.find(&index.query(""), &request(Sort::Newest, 0, 10));
    let second = index.find(&index.query(""), &request(Sort::Newest, 2, 2));
    assert_eq!(second.total, 4);
    assert_eq!(ids(&second), ids(&all)[2..4]);
    assert!(index
        .find(&index.query(""), &request(Sort::Newest, 99, 2))
        .hits
        .is_empty());
}

#[test]
fn filters_narrow_results_and_facets_count_the_query() {
    let index = corpus();
    let request = Request {
        filters: Filters {
            sources: vec!["Dân trí".into()],
            ..Filters::default()
        },
        ..Request::default()
    };
    let page = index.find(&index.query("covid"), &request);
    let mut found = ids(&page);
    found.sort();
    assert_eq!(found, ["a", "d"]);
    // Sources are counted over the query without the source filter.
    let sources: Vec<(&str, usize)> = page
        .facets
        .sources
        .iter()
        .map(|v| (v.value.as_str(), v.count))
        .collect();
    assert_eq!(sources, [("Dân trí", 2), ("Đời sống", 1)]);
    assert_eq!(page.facets.undated, 1);
}

#[test]
fn neighbours_follow_the_result_order() {
    let index = corpus();
    // The window of a page does not bound where the neighbours are looked for.
    let newest = request(Sort::Newest, 3, 1);
    let (prev, next) = index.neighbours(&index.query(""), &newest, "a");
    assert_eq!(prev.map(|a| a.id.as_str()), Some("b"));
    assert_eq!(next.map(|a| a.id.as_str()), Some("c"));
    let (prev, _) = index.neighbours(&index.query(""), &newest, "b");
    assert!(prev.is_none());
    assert_eq!(
        index.neighbours(&index.query(""), &newest, "zzz"),
        (None, None)
    );
}

#[test]
fn teaser_titles_find_their_article_marks_and_case_aside() {
    let index = corpus();
    assert_eq!(
        index
            .article_titled("covid-19 o ha noi")
            .map(|a| a.id.as_str()),
        Some("a")
    );
    assert_eq!(
        index
            .article_titled("Covid-19 ở Hà Nội mới")
            .map(|a| a.id.as_str()),
        None
    );
}

#[test]
fn more_like_this_prefers_articles_sharing_distinctive_words() {
    let mut articles: Vec<Article> = (0..10)
        .map(|i| {
            article(
                &format!("x{i}"),
                &format!("Tin số {i} về thời tiết"),
                "A",
                None,
            )
        })
        .collect();
    articles.push(article("vang1", "Giá vàng SJC tăng mạnh", "A", None));
    articles.push(article("vang2", "Giá vàng SJC giảm nhẹ", "A", None));
    let index = Index::build(articles);
    let similar = index.more_like_this("vang1", 3);
    assert_eq!(similar.first().map(|h| h.id.as_str()), Some("vang2"));
    assert!(similar.iter().all(|h| h.id != "vang1"));
}

#[test]
fn highlight_marks_query_words_in_any_text() {
    let index = corpus();
    let marked = index.highlight("Dịch Covid-19 tại Hà Nội", &index.query("ha noi"));
    assert_eq!(marked_words(&marked), ["Hà", "Nội"]);
    let whole = index.highlight("Hà Nội nói", &index.query("ha no"));
    assert!(
        whole.marks.len() == 1,
        "the last word is whole in an article: {whole:?}"
    );
}

#[test]
fn i_and_y_spellings_find_each_other_and_are_highlighted() {
    let index = Index::build(vec![
        article("ky", "Kỷ niệm ngày thành lập", "A", None),
        article("qui", "Qui định mới về thuế", "A", None),
    ]);
    let first = |q: &str| {
        index
            .search(&index.query(q), 1)
            .hits
            .first()
            .map(|h| h.id.clone())
    };
    assert_eq!(first("kỉ niệm ").as_deref(), Some("ky"));
    assert_eq!(first("ki niem ").as_deref(), Some("ky"));
    assert_eq!(first("quy định ").as_deref(), Some("qui"));
    let hit = &index.search(&index.query("ki niem "), 1).hits[0];
    assert_eq!(marked_words(&hit.title), ["Kỷ", "niệm"]);
}

#[test]
fn a_default_request_is_every_match_best_first_one_page() {
    let index = corpus();
    let page = index.find(&index.query("covid"), &Request::default());
    assert_eq!(page.total, 3);
    assert_eq!(page.hits.len(), 3);
    assert!(page.hits.windows(2).all(|h| h[0].score >= h[1].score));
    assert_eq!(
        Request::default().limit,
        docbao_engine::search::DEFAULT_LIMIT
    );
    let many = Index::build(
        (0..30)
            .map(|i| article(&format!("x{i}"), "Tin", "Dân trí", None))
            .collect(),
    );
    let page = many.find(&many.query(""), &Request::default());
    assert_eq!(
        (page.total, page.hits.len()),
        (30, Request::default().limit)
    );
}
