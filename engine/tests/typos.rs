//! The typos readers make (a letter dropped, two swapped), often giving another real word:
//! corrections the query's neighbouring words vouch for through the index's adjacent
//! pairs, and marks only for the words that brought an article in. Invented corpora.

mod common;

use common::search::{hit_ids, index_of, marked_words};
use docbao_engine::{ExpansionKind, Index, Query};

fn corrections(query: &Query) -> Vec<(&str, bool)> {
    query
        .expansions()
        .filter(|e| e.kind == ExpansionKind::Typo)
        .map(|e| (e.term.as_str(), e.vouched))
        .collect()
}

/// `trong` is common and `truong` rare; `trường đại học` is a pair, `trong đại` is not.
fn schools() -> Index {
    index_of(&[
        ("school", "Tuyển sinh", "trường đại học mở cửa"),
        (
            "scattered",
            "Tin trong ngày",
            "trong ngày hôm qua, đại học và cao đẳng họp",
        ),
        ("n1", "Hàng trong nước", "trong tuần"),
        ("n2", "Giá trong nước", "trong tháng"),
        ("n3", "Tin trong nước", "trong năm"),
    ])
}

#[test]
fn a_valid_word_is_corrected_where_its_neighbours_vouch_for_the_correction() {
    let idx = schools();
    // `truong` with its `u` dropped is `trong`, a real and frequent word: only the
    // neighbours tell. `truong dai` is in the index, `trong dai` is not.
    let q = idx.query("trong dai hoc ");
    assert_eq!(corrections(&q), [("truong", true)]);
    assert_eq!(hit_ids(&idx, "trong dai hoc "), ["school", "scattered"]);
    // `trong nuoc` is in the index: the word is meant as typed, nothing is added.
    assert_eq!(corrections(&idx.query("trong nuoc ")), []);
    // Alone, a known word has no neighbour to vouch for a correction.
    assert_eq!(corrections(&idx.query("trong ")), []);
}

#[test]
fn an_unknown_word_is_still_corrected_and_the_vouched_correction_weighs_more() {
    let idx = schools();
    // `truog` is in no article: corrected as before, and its pair with `dai` vouches.
    let q = idx.query("truog dai hoc ");
    let e = q.expansions().find(|e| e.term == "truong").expect("truong");
    assert!(e.vouched && e.weight < 1.0, "{e:?}");
    assert_eq!(hit_ids(&idx, "truog dai hoc ")[0], "school");
    // Without a neighbour nothing vouches, but the unknown word is still corrected.
    let alone = idx.query("truog ");
    assert_eq!(corrections(&alone), [("truong", false)]);
    let unvouched = alone.expansions().find(|e| e.term == "truong").unwrap();
    assert!(unvouched.weight < e.weight);
}

#[test]
fn only_the_likeliest_corrections_of_an_unknown_word_are_vouched_for() {
    // `trường đại học` in 20 articles, `trượt đại học` (fails the exam) in one.
    let mut docs: Vec<(String, String)> = (0..20)
        .map(|i| (format!("s{i}"), format!("trường đại học số {i}")))
        .collect();
    docs.push(("fail".into(), "trượt đại học".into()));
    let idx = index_of(
        &docs
            .iter()
            .map(|(id, body)| (id.as_str(), "Tin", body.as_str()))
            .collect::<Vec<_>>(),
    );
    let q = idx.query("truog dai hoc ");
    let vouched = |term: &str| corrections(&q).contains(&(term, true));
    assert!(vouched("truong"));
    assert!(!vouched("truot"), "{:?}", corrections(&q));
}

#[test]
fn queries_without_typos_rank_the_typed_words_first() {
    let idx = schools();
    // `trong ngay` is typed right: the article with it ranks first, no correction added.
    assert_eq!(corrections(&idx.query("trong ngay ")), []);
    assert_eq!(hit_ids(&idx, "trong ngay ")[0], "scattered");
}

/// `dưới đáy biển` and, around it, words one edit from its words: `được` (duoc),
/// `đuối` (duoi), `biết` and `biệt` (biet), `hiện` (hien).
fn sea() -> Index {
    index_of(&[
        (
            "sea",
            "Cá mập dưới đáy biển",
            "Được biết, hiện tượng đặc biệt này chỉ có dưới đáy biển sâu.",
        ),
        (
            "coast",
            "Biển xanh",
            "Sóng biển dưới chân đồi, được biết là đẹp.",
        ),
        ("pool", "Bơi lội", "Đuối sức dưới đáy hồ, được cứu kịp."),
        ("news", "Tin nóng", "Được biết hiện nay đặc biệt đông."),
    ])
}

#[test]
fn only_the_words_that_brought_an_article_in_are_marked() {
    let idx = sea();
    let q = idx.query("m duoi day bien");
    let hits = idx.search(&q, 10).hits;
    let sea = hits
        .iter()
        .find(|h| h.id == "sea")
        .expect("the article is found");
    assert_eq!(hits[0].id, "sea");
    assert_eq!(marked_words(&sea.title), ["dưới", "đáy", "biển"]);
    assert_eq!(marked_words(&sea.snippet), ["dưới", "đáy", "biển"]);
    let body = "Được biết, hiện tượng đặc biệt này chỉ có dưới đáy biển sâu.";
    assert_eq!(
        marked_words(&idx.highlight_article("sea", body, &q)),
        ["dưới", "đáy", "biển"]
    );
    for h in &hits {
        for m in marked_words(&h.title)
            .into_iter()
            .chain(marked_words(&h.snippet))
        {
            let folded = docbao_engine::text::fold(m);
            assert!(
                ["duoi", "day", "bien"].contains(&folded.as_str()),
                "{} marks {m:?}",
                h.id
            );
        }
    }
}

#[test]
fn a_correction_is_marked_where_it_brought_the_article_in() {
    let idx = index_of(&[
        ("a", "Phong trào thi đua", "nội dung"),
        ("b", "Phong trào", "thi đau"),
    ]);
    let q = idx.query("phogn trao ");
    let hit = &idx.search(&q, 1).hits[0];
    assert_eq!(marked_words(&hit.title), ["Phong", "trào"]);
    assert_eq!(
        marked_words(&idx.highlight_article(&hit.id, "Phong trào thi đua", &q)),
        ["Phong", "trào"]
    );
    // Without an article, no one knows which correction matched: none is marked.
    assert_eq!(
        marked_words(&idx.highlight("Phong trào thi đua", &q)),
        ["trào"]
    );
}

#[test]
fn while_typing_no_neighbour_vouches_and_the_word_being_typed_is_corrected_only_if_it_begins_nothing(
) {
    let idx = schools();
    // Paused, the neighbours vouch for `truong`; typed, nothing vouches, and a known word
    // is meant as typed until the pause.
    assert_eq!(
        corrections(&idx.query("trong dai hoc ")),
        [("truong", true)]
    );
    assert_eq!(corrections(&idx.query_as("trong dai hoc ", true)), []);
    assert_eq!(corrections(&idx.query_as("trong dai ho", true)), []);
    // An unknown word is still corrected while typing, by frequency alone.
    let typed = idx.query_as("truog dai ho", true);
    assert_eq!(corrections(&typed), [("truong", false)]);
    assert_eq!(hit_ids(&idx, "truog dai ho")[0], "school");
    // The word being typed: `tron` begins `trong`, so its prefix expansion stands for the
    // letters not typed yet and it is not corrected until the pause; `truog` begins no
    // word and is.
    assert!(!corrections(&idx.query("tron")).is_empty());
    assert_eq!(corrections(&idx.query_as("tron", true)), []);
    assert!(idx
        .query_as("tron", true)
        .expansions()
        .any(|e| e.kind == ExpansionKind::Prefix && e.term == "trong"));
    assert_eq!(
        corrections(&idx.query_as("truog", true)),
        [("truong", false)]
    );
    // Not typing, the rules are off: the same query as `query`.
    assert_eq!(
        idx.query_as("trong dai hoc", false),
        idx.query("trong dai hoc")
    );
}
