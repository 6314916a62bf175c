//! The query language as documented (`"exact phrase"`, `-exclude`, `a OR b`) holds in every
//! combination, for `search` (the command line) and `find` (the reader) alike.

mod common;

use common::search::marked_words;
use docbao_engine::facets::{Filters, Sort};
use docbao_engine::{Article, Index};

fn index(docs: &[(&str, &str)]) -> Index {
    Index::build(
        docs.iter()
            .enumerate()
            .map(|(i, (id, body))| Article {
                id: id.to_string(),
                title: "Tin".to_string(),
                date: Some(format!("2021-08-{:02}", (i * 3) % 5 + 1)),
                body: vec![body.to_string()],
                ..Article::default()
            })
            .collect(),
    )
}

/// What the command line lists: `search`, best first.
fn searched(idx: &Index, q: &str) -> Vec<String> {
    let r = idx.search(&idx.query(q), usize::MAX);
    assert_eq!(r.total, r.hits.len(), "{q}");
    r.hits.into_iter().map(|h| h.id).collect()
}

/// What the reader lists: `find`, in `sort` order.
fn found(idx: &Index, q: &str, sort: Sort) -> Vec<String> {
    let page = idx.find(
        &idx.query(q),
        &common::search::request(&Filters::default(), sort, 0, usize::MAX),
    );
    assert_eq!(page.total, page.hits.len(), "{q}");
    page.hits.into_iter().map(|h| h.id).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_negated_phrase_excludes_exactly_the_articles_with_the_phrase() {
    let idx = index(&[
        ("phrase", "mưa lớn ở Hà Nội hôm nay"),
        ("scattered", "Hà Giang nắng, Nội Bài mưa lớn"),
        ("reversed", "Nội Hà mưa lớn"),
        ("neither", "mưa lớn ở Huế"),
    ]);
    assert_eq!(
        sorted(searched(&idx, "mua lon -\"ha noi\"")),
        ["neither", "reversed", "scattered"]
    );
    assert_eq!(
        sorted(found(&idx, "mua lon -\"hà nội\"", Sort::Relevance)),
        ["neither", "reversed", "scattered"]
    );
    // Three words: the analyzer confirms the phrase, not just its pairs.
    assert_eq!(
        sorted(searched(&idx, "mua -\"o ha noi\"")),
        ["neither", "reversed", "scattered"]
    );
    // A quoted phrase without the minus still requires it.
    assert_eq!(searched(&idx, "mua \"ha noi\""), ["phrase"]);
}

#[test]
fn only_exclusions_list_the_archive_minus_them_in_browse_order_everywhere() {
    let idx = index(&[
        ("a", "tin Hà Nội"),
        ("b", "tin Huế"),
        ("c", "tin Nội Bài"),
        ("d", "tin Đà Nẵng"),
        ("e", "tin Hà Giang"),
    ]);
    for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
        let browse = found(&idx, "", sort);
        assert_eq!(browse.len(), 5);
        let expected: Vec<String> = browse
            .iter()
            .filter(|id| ["b", "d"].contains(&id.as_str()))
            .cloned()
            .collect();
        assert_eq!(found(&idx, "-hà -nội", sort), expected, "{sort:?}");
    }
    // The command line lists the same articles in the same (archive) order.
    assert_eq!(
        searched(&idx, "-hà -nội"),
        found(&idx, "-hà -nội", Sort::Relevance)
    );
    // The archive's order is its date order: a 1st, c 2nd, e 3rd, b 4th, d 5th.
    assert_eq!(searched(&idx, "-hà -nội"), ["b", "d"]);
    assert_eq!(searched(&idx, "-\"ha noi\""), ["c", "e", "b", "d"]);
    assert!(!idx.query("-hà").is_empty());
    // Nothing to search for and nothing to exclude: the reader browses, the CLI lists none.
    assert!(idx.query("").is_empty());
    assert!(searched(&idx, "").is_empty());
}

#[test]
fn or_between_phrases_matches_either_phrase() {
    let idx = index(&[
        ("first", "mưa lớn ở Hà Nội"),
        ("second", "nắng nóng ở Đà Nẵng"),
        ("scattered", "Hà Giang mưa, Nội Bài nắng; Đà Lạt mát, Nẵng"),
        ("neither", "tin Huế"),
    ]);
    let either = "\"ha noi\" OR \"da nang\"";
    assert_eq!(sorted(searched(&idx, either)), ["first", "second"]);
    assert_eq!(
        sorted(found(&idx, either, Sort::Relevance)),
        ["first", "second"]
    );
    // A phrase OR a word, and a word OR a phrase.
    assert_eq!(
        sorted(searched(&idx, "\"ha noi\" OR hue ")),
        ["first", "neither"]
    );
    assert_eq!(
        sorted(searched(&idx, "hue OR \"da nang\"")),
        ["neither", "second"]
    );
    // Other clauses still must match beside the alternatives.
    assert_eq!(searched(&idx, "mua \"ha noi\" OR \"da nang\""), ["first"]);
}

#[test]
fn abbreviations_inside_quotes_match_as_unquoted() {
    let idx = index(&[
        ("dotted", "mưa ở TP.HCM"),
        ("spelled", "mưa ở Thành phố Hồ Chí Minh"),
        ("joined", "TPHCM mưa"),
        ("other", "mưa ở Hà Nội"),
        ("council", "Ủy ban nhân dân thành phố họp"),
        ("short", "UBND thành phố họp"),
        ("district", "UBND huyện họp, thành phố"),
    ]);
    for q in ["\"TP.HCM\"", "\"thành phố Hồ Chí Minh\"", "\"TP HCM\""] {
        assert_eq!(
            sorted(searched(&idx, q)),
            sorted(searched(&idx, &format!("{} ", q.trim_matches('"')))),
            "{q}"
        );
        assert_eq!(
            sorted(searched(&idx, q)),
            ["dotted", "joined", "spelled"],
            "{q}"
        );
    }
    assert_eq!(
        sorted(searched(&idx, "\"UBND thành phố\"")),
        ["council", "short"]
    );
    // Excluded as a phrase too.
    assert_eq!(sorted(searched(&idx, "mua -\"TP.HCM\"")), ["other"]);
}

#[test]
fn counts_hold_past_65536_words_in_one_article() {
    const WORDS: usize = 70_000;
    // Same length; one says `mưa` 70,000 times, the other 66,000: a count kept in 16 bits
    // that wrapped would read 70,000 as 4,464 and rank the first below the second.
    let all_rain = "mưa ".repeat(WORDS);
    let mostly_rain = format!("{}{}", "mưa ".repeat(66_000), "nắng ".repeat(4_000));
    // A phrase past word 65,536, at the very end of a long body.
    let late_phrase = format!("{}Thanh Trì Hà Nội", "tin ".repeat(WORDS));
    let idx = index(&[
        ("all", &all_rain),
        ("mostly", &mostly_rain),
        ("late", &late_phrase),
    ]);
    let bytes = docbao_engine::to_bytes(&idx);
    let loaded = docbao_engine::from_bytes(&bytes).expect("the index reads back");
    for idx in [&idx, &loaded] {
        let r = idx.search(&idx.query("mưa "), 10);
        let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["all", "mostly"]);
        assert!(r.hits[0].score >= r.hits[1].score && r.hits[1].score > 0.0);
        assert_eq!(searched(idx, "\"thanh tri ha noi\""), ["late"]);
        assert_eq!(searched(idx, "thanh -\"tri ha noi\""), Vec::<String>::new());
        assert_eq!(searched(idx, "-\"tri ha noi\""), ["all", "mostly"]);
        // The mark lands on the words themselves, 280,000 bytes in.
        let marked = idx.highlight(&late_phrase, &idx.query("\"ha noi\""));
        assert_eq!(marked_words(&marked), ["Hà", "Nội"]);
    }
}

#[test]
fn every_mix_of_quotes_minus_and_or_is_answered_within_the_archive() {
    let idx = index(&[
        ("a", "mưa ở TP.HCM"),
        ("b", "UBND thành phố họp"),
        ("c", "tin Hà Nội"),
    ]);
    let pieces = [
        "\"",
        "-",
        "OR",
        "-\"",
        "\"\"",
        "-\"\"",
        "TP.HCM",
        "\"ha noi\"",
        "-ha",
        "mua",
        "\"UBND",
        "thành\"",
        " ",
    ];
    // Every pair and triple of pieces, glued and spaced: each answers without panicking,
    // `search` and `find` agree on the articles, and each id is listed once.
    for a in pieces {
        for b in pieces {
            for c in pieces {
                for q in [format!("{a}{b}{c}"), format!("{a} {b} {c}")] {
                    let mut by_search = searched(&idx, &q);
                    by_search.sort();
                    let mut deduped = by_search.clone();
                    deduped.dedup();
                    assert_eq!(by_search, deduped, "{q:?}");
                    let query = idx.query(&q);
                    if !query.is_empty() {
                        assert_eq!(by_search, sorted(found(&idx, &q, Sort::Relevance)), "{q:?}");
                    }
                    let _ = idx.highlight("mưa ở TP.HCM, UBND thành phố Hà Nội", &query);
                }
            }
        }
    }
}
