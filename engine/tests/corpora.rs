//! The real corpora in `../shared/corpora` (next to the workspace; never copied into the
//! repository): every UNC article must load. These tests read `../shared` and skip, saying
//! so, when it is absent. The 153,825-item RSS corpus takes over 30 s unoptimised, so it is
//! checked by the release-mode benchmark instead (`cargo bench -p docbao-engine
//! --features cli --bench ingest`).
#![cfg(all(feature = "jsonl", feature = "gz"))]

mod common;

use docbao_engine::ingest::Ingester;

#[test]
fn every_unc_article_is_accepted() {
    let Some((path, bytes)) = common::corpus_bytes("unc-dantri.jsonl.gz") else {
        return;
    };
    let mut ingester = Ingester::new();
    ingester.add_file(&path.display().to_string(), &bytes);
    let (articles, report) = ingester.finish();
    assert_eq!(report.rejected, [], "UNC records rejected");
    assert_eq!(articles.len(), 2653);
    assert!(
        report.accepted.iter().all(|a| a.notes.is_empty()),
        "no repair needed"
    );
    for a in &articles {
        assert!(!a.title.is_empty() && !a.body.is_empty(), "{}", a.id);
        let date = a
            .date
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no date", a.id));
        assert_eq!(date.len(), 10, "{}: {date}", a.id);
        assert_eq!(a.source.as_deref(), Some("Dân trí"));
        assert!(a.category.is_some() && a.url.is_some(), "{}", a.id);
    }
    let first = &articles[0];
    assert_eq!(first.id, "news_business_001");
    assert_eq!(first.date.as_deref(), Some("2020-10-01"));
    assert!(first.body.len() > 1, "the body is split into paragraphs");
}

/// The skip rule of `common::shared`: an absent `../shared` skips on a user's clone and
/// fails under CI, so CI can never pass on skipped corpus tests.
#[test]
fn an_absent_shared_folder_skips_locally_and_fails_under_ci() {
    let nowhere = std::env::temp_dir().join("docbao-no-such-shared-folder");
    assert_eq!(
        common::shared_at(&nowhere, "corpora/x.jsonl.gz", false),
        None
    );
    let under_ci = std::panic::catch_unwind(|| common::shared_at(&nowhere, "corpora", true));
    assert!(under_ci.is_err(), "an absent ../shared must fail under CI");
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        common::shared_at(here, "Cargo.toml", true),
        Some(here.join("Cargo.toml"))
    );
}

/// The embedded bundle ships no dictionaries (codec format 10): the reader derives them
/// from the stored articles. On UNC, what it derives, at once or in slices as the app
/// does, must be exactly what the build made: terms, postings and impacts.
#[test]
fn unc_dictionaries_derived_from_the_stored_articles_equal_the_built_ones() {
    let Some((path, bytes)) = common::corpus_bytes("unc-dantri.jsonl.gz") else {
        return;
    };
    let mut ingester = Ingester::new();
    ingester.add_file(&path.display().to_string(), &bytes);
    let (articles, _) = ingester.finish();
    let built = docbao_engine::Index::build(articles);
    let (folded, exact, pairs) = built.dictionary_sizes();
    assert!(
        folded > 1_000 && exact > 1_000 && pairs > 100_000,
        "{folded} {exact} {pairs}"
    );
    let encoded = docbao_engine::to_bytes(&built);
    let derived = docbao_engine::from_bytes(&encoded).expect("loads");
    assert!(derived == built, "derived at once: not the built index");
    let sliced = docbao_engine::from_shared_bytes(encoded.into()).expect("loads");
    let mut slices = 1;
    while !sliced.load_some(64 * 1024) {
        slices += 1;
    }
    assert!(slices > 100, "{slices} slices of 64 kB for 10.9 MB of text");
    assert_eq!(sliced.finish_loading(), Ok(()));
    assert!(sliced == built, "derived in slices: not the built index");
}
