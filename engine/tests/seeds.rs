//! The two seed articles, end to end through the engine: ingest, index, codec, search.

use std::path::Path;

mod common;

use common::search::seed_index;
use docbao_engine::{from_bytes, to_bytes, Index};

const THANH_TRI: &str = "000_2bd3c5a4fc348b9d";
const DINH_TIEN_DUNG: &str = "003_ee4229f4c9863cbc";

fn first(index: &Index, query: &str) -> String {
    let results = index.search(&index.query(query), 10);
    results
        .hits
        .first()
        .map(|h| h.id.clone())
        .unwrap_or_default()
}

#[test]
fn both_seeds_are_accepted_with_title_and_body() {
    let index = seed_index();
    assert_eq!(index.len(), 2);
    let a = index.article(THANH_TRI).unwrap();
    assert!(a.title.starts_with("Huyện Thanh Trì phát động phong trào"));
    assert!(a.body.len() >= 10, "{} body paragraphs", a.body.len());
    let b = index.article(DINH_TIEN_DUNG).unwrap();
    assert!(b
        .title
        .starts_with("Bí thư Thành ủy Hà Nội Đinh Tiến Dũng chỉ đạo 6 nhóm"));
    assert!(b.body.len() >= 10);
}

#[test]
fn each_query_puts_the_right_seed_first() {
    let index = seed_index();
    for (query, expected) in [
        ("thanh tri", THANH_TRI),
        ("Thanh Trì", THANH_TRI),
        ("dinh tien dung", DINH_TIEN_DUNG),
        ("cach ly", THANH_TRI),
        ("6 nhóm giải pháp", DINH_TIEN_DUNG),
    ] {
        assert_eq!(first(&index, query), expected, "query {query:?}");
    }
}

/// Both seeds are about Covid-19 in their titles and leads: both must be found.
#[test]
fn covid_matches_both_seeds() {
    assert_eq!(
        {
            let i = seed_index();
            i.search(&i.query("covid"), 10)
        }
        .total,
        2
    );
}

#[test]
fn the_index_survives_the_codec_byte_for_byte() {
    let bytes = to_bytes(&seed_index());
    assert_eq!(bytes, to_bytes(&seed_index()), "same input, same bytes");
    let back = from_bytes(&bytes).unwrap();
    assert_eq!(first(&back, "thanh tri"), THANH_TRI);
}

/// `seeds/` must hold the shared seed files byte for byte (skipped where ../shared is absent).
#[test]
fn seeds_are_the_shared_seed_files_byte_for_byte() {
    let Some(shared) = common::shared("seeds") else {
        return;
    };
    for name in [THANH_TRI, DINH_TIEN_DUNG] {
        let file = format!("{name}.txt");
        let ours = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../seeds")
                .join(&file),
        )
        .unwrap();
        let theirs = std::fs::read(shared.join(&file)).unwrap();
        assert!(
            ours == theirs,
            "seeds/{file} differs from ../shared/seeds/{file}"
        );
    }
}
