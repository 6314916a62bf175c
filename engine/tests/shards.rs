//! The sharded layout: a reader given the root and the files it asks for answers exactly
//! as the whole index does; files are deterministic, named by content, and damage is an
//! error, never a panic.

mod common;

use common::search::seed_index;
use docbao_engine::facets::{Facets, Filters, Sort};
use docbao_engine::search::LookupReason;
use docbao_engine::shard::{
    write_bundle, write_bundle_with_ranges_of, Fetched, RangeTargets, Searched, ShardedBundle,
    ShardedIndex, DOCS_PER_CHUNK, DOCS_PER_HEAD, DOCS_PER_URLS_FILE, DOCS_PER_WORDS_FILE,
    FIRST_LETTER_ROWS,
};
use docbao_engine::{Article, ArticlePage, Index, Page, Teaser};

/// A query and a request: text, filters, sort.
type Request = (&'static str, Filters, Sort);

/// Invented articles over a small vocabulary, with outlets, categories and dates, so
/// that small term ranges give many files without ../shared.
fn invented(n: usize) -> Vec<Article> {
    let words = [
        "thành",
        "phố",
        "Hà",
        "Nội",
        "huyện",
        "Thanh",
        "Trì",
        "đường",
        "mới",
        "tin",
        "kinh",
        "tế",
        "tăng",
        "trưởng",
        "giáo",
        "dục",
        "học",
        "sinh",
        "bóng",
        "đá",
        "Covid-19",
        "vắc",
        "xin",
        "bệnh",
        "viện",
        "TP.HCM",
        "nông",
        "dân",
        "lúa",
        "gạo",
    ];
    let outlets = ["Dân trí", "Tuổi Trẻ", "Thanh Niên"];
    (0..n)
        .map(|i| {
            let pick = |k: usize, len: usize| -> String {
                (0..len)
                    .map(|j| words[(i * 7 + k * 13 + j * j * 3 + j) % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            Article {
                id: format!("inv-{i:05}"),
                title: pick(1, 5),
                source: Some(outlets[i % 3].to_string()),
                category: (i % 4 != 0).then(|| ["Xã hội", "Thể thao"][i % 2].to_string()),
                date: (i % 5 != 0).then(|| format!("202{}-0{}-1{}", i % 4, 1 + i % 9, i % 10)),
                lead: Some(pick(2, 12)),
                body: vec![pick(3, 40), pick(4, 25)],
                ..Article::default()
            }
        })
        .collect()
}

fn requests(outlet: &str) -> Vec<Request> {
    let by = |source: &str| Filters {
        sources: vec![source.to_string()],
        ..Filters::default()
    };
    let none = Filters::default;
    vec![
        ("Hà Nội ", none(), Sort::Relevance),
        ("ha noi ", none(), Sort::Relevance),
        ("haf nooij ", none(), Sort::Relevance),
        ("tanh pho ", none(), Sort::Relevance),
        ("thanh ph", none(), Sort::Relevance),
        ("t", none(), Sort::Relevance),
        ("\"thành phố\" ", none(), Sort::Relevance),
        ("\"huyện thanh trì\" ", none(), Sort::Relevance),
        ("\"UBND thành phố Hà Nội\" ", none(), Sort::Relevance),
        ("\"đội tuyển Việt", none(), Sort::Relevance),
        ("covid -vaccine ", none(), Sort::Relevance),
        ("-\"kinh tế\" ", none(), Sort::Relevance),
        ("giáo dục OR bóng đá ", none(), Sort::Newest),
        ("TP HCM ", by(outlet), Sort::Oldest),
        ("", by(outlet), Sort::Newest),
        ("", none(), Sort::Relevance),
        ("zzzzqqq ", none(), Sort::Relevance),
    ]
}

/// The names of `bundle`'s files that end with `extension` (a kind's, e.g. `".urls"`).
fn names_ending<'a>(bundle: &'a ShardedBundle, extension: &str) -> Vec<&'a String> {
    let names = bundle.files.iter().map(|(n, _)| n);
    names.filter(|n| n.ends_with(extension)).collect()
}

/// Adds the files a call asked for, as the app does when they arrive.
fn add_needed(sharded: &mut ShardedIndex, bundle: &ShardedBundle, needs: &[String]) {
    for name in needs {
        let bytes = bundle.file(name).expect("needs names files of the bundle");
        sharded.add_shard(name, bytes).unwrap();
    }
}

/// Asks `ask` and feeds the reader what it needs until it needs nothing; returns the
/// last (exact) answer and the rounds of fetching it took.
fn until_complete<T>(
    sharded: &mut ShardedIndex,
    bundle: &ShardedBundle,
    what: &str,
    mut ask: impl FnMut(&mut ShardedIndex) -> Fetched<T>,
) -> (T, usize) {
    for round in 0..16 {
        let Fetched { answer, needs } = ask(sharded);
        if needs.is_empty() {
            return (answer, round);
        }
        add_needed(sharded, bundle, &needs);
    }
    panic!("{what}: still needs files after 16 rounds");
}

/// A search, asked until it needs nothing; returns its answer and the rounds.
fn fetch_all_needed(
    sharded: &mut ShardedIndex,
    bundle: &ShardedBundle,
    (text, filters, sort): &Request,
) -> (Searched, usize) {
    let request = page_of(filters, *sort);
    until_complete(sharded, bundle, text, |s| s.find(text, &request))
}

/// Every request, from a fresh reader each time, answered as the whole index answers it
/// by the very call that says it needs nothing more.
fn assert_sharded_answers_equal(name: &str, index: &Index, bundle: &ShardedBundle) {
    let outlet = index.articles().first().and_then(|a| a.source.clone());
    for request in requests(outlet.as_deref().unwrap_or("")) {
        let (text, filters, sort) = &request;
        let mut sharded = bundle.reader().unwrap();
        let (got, rounds) = fetch_all_needed(&mut sharded, bundle, &request);
        let want = index.find(&index.query(text), &page_of(filters, *sort));
        assert_eq!(got.page, want, "{name}: {text:?} {filters:?} {sort:?}");
        assert_eq!(got.query, index.query(text), "{name}: {text:?}");
        let loaded = bundle.files.iter().filter(|(n, _)| sharded.has(n)).count();
        eprintln!(
            "{name}: {text:?}: {} hits of {}, {rounds} round(s), {loaded} of {} files",
            got.page.hits.len(),
            got.page.total,
            bundle.files.len()
        );
    }
    // One reader across every request, as a reader's tab keeps it: files added for one
    // query are patched into the index the next one searches.
    let mut kept = bundle.reader().unwrap();
    for request in requests(outlet.as_deref().unwrap_or("")) {
        let (text, filters, sort) = &request;
        let (got, _) = fetch_all_needed(&mut kept, bundle, &request);
        let want = index.find(&index.query(text), &page_of(filters, *sort));
        assert_eq!(
            got.page, want,
            "{name}, one reader: {text:?} {filters:?} {sort:?}"
        );
    }
}

#[test]
fn sharded_answers_equal_the_embedded_index_on_the_seeds() {
    let index = seed_index();
    assert_eq!(index.len(), 2);
    let bundle = write_bundle_with_ranges_of(&index, 256);
    assert_sharded_answers_equal("seeds", &index, &bundle);
}

#[test]
fn sharded_answers_equal_the_embedded_index_across_many_small_ranges() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let ranges = bundle
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".fold"))
        .count();
    assert!(
        ranges > 10,
        "{ranges} folded ranges: the test must cross ranges"
    );
    assert_sharded_answers_equal("invented", &index, &bundle);
}

#[test]
fn one_reader_typed_to_letter_by_letter_answers_as_the_whole_index_at_every_keystroke() {
    // Expansions kept from one keystroke to the next (typo corrections, prefixes) must
    // not outlive the files they were worked out from: each keystroke here brings in
    // ranges the previous ones did not have.
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let mut sharded = bundle.reader().unwrap();
    let request = page_of(&Filters::default(), Sort::Relevance);
    let mut rounds_after_the_first = 0;
    for query in [
        "thanh pho ha noi",
        "tanh pho ha noi",
        "hocj sinh giaos duc",
        "\"bệnh viện\" vắc xin",
        "kinh te tang truong -covid",
    ] {
        for n in 1..=query.chars().count() {
            let text: String = query.chars().take(n).collect();
            let (got, rounds) =
                until_complete(&mut sharded, &bundle, &text, |s| s.find(&text, &request));
            rounds_after_the_first += usize::from(n > 1 && rounds > 0);
            // A copy of the index keeps no expansion: the query prepared from scratch.
            let fresh = index.clone();
            let want = fresh.query(&text);
            assert_eq!(got.query, want, "{text:?}");
            assert_eq!(got.page, fresh.find(&want, &request), "{text:?}");
        }
    }
    assert!(
        rounds_after_the_first > 5,
        "files must arrive between keystrokes ({rounds_after_the_first})"
    );
}

/// Asks `text` with `request` until nothing is missing, adding what each round needs;
/// the answer and every reason a file was needed for.
fn explained_until_complete(
    sharded: &mut ShardedIndex,
    bundle: &ShardedBundle,
    text: &str,
    request: &docbao_engine::Request,
) -> (Searched, Vec<LookupReason>) {
    let mut reasons = Vec::new();
    for _ in 0..16 {
        let (fetched, why) = sharded.find_explained(text, request);
        if fetched.needs.is_empty() {
            return (fetched.answer, reasons);
        }
        reasons.extend(why);
        add_needed(sharded, bundle, &fetched.needs);
    }
    panic!("{text:?}: still needs files after 16 rounds");
}

#[test]
fn a_query_being_typed_fetches_no_typo_pairs_and_pauses_to_the_same_answer() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let paused = page_of(&Filters::default(), Sort::Relevance);
    let typing = docbao_engine::Request {
        typing: true,
        count_facets: false,
        ..paused.clone()
    };
    let queries = [
        "tanh pho ha noi",
        "hocj sinh giaos duc",
        "kinh te tang truong",
    ];
    // Without the typing rules, these keystrokes do fetch typo candidates' pairs.
    let mut untyped = bundle.reader().unwrap();
    let mut pairs_untyped = 0;
    for query in queries {
        for n in 1..=query.chars().count() {
            let text: String = query.chars().take(n).collect();
            let (_, why) = explained_until_complete(&mut untyped, &bundle, &text, &paused);
            pairs_untyped += why
                .iter()
                .filter(|w| **w == LookupReason::TypoPairs)
                .count();
        }
    }
    assert!(pairs_untyped > 0, "the queries must probe typo pairs");
    let mut sharded = bundle.reader().unwrap();
    for query in queries {
        for n in 1..=query.chars().count() {
            let text: String = query.chars().take(n).collect();
            let (got, why) = explained_until_complete(&mut sharded, &bundle, &text, &typing);
            assert!(!why.contains(&LookupReason::TypoPairs), "{text:?}: {why:?}");
            // As typed, the whole index answers alike given the same request.
            let fresh = index.clone();
            let want = fresh.query_as(&text, true);
            assert_eq!(got.query, want, "{text:?}");
            assert_eq!(got.page, fresh.find(&want, &typing), "{text:?}");
        }
        // The pause asks again, untyped: the answer it always was.
        let (got, _) = explained_until_complete(&mut sharded, &bundle, query, &paused);
        let fresh = index.clone();
        assert_eq!(got.query, fresh.query(query), "{query:?}");
        assert_eq!(
            got.page,
            fresh.find(&fresh.query(query), &paused),
            "{query:?}"
        );
    }
}

/// "kinh tế" in 60 articles; beside them, filler syllables in few articles each, many of
/// them one edit from `kinh` or `te`, their pairs spread over many small ranges.
fn economy_and_filler() -> Vec<Article> {
    let onsets = [
        "b", "c", "d", "h", "k", "l", "m", "n", "s", "t", "th", "tr", "v",
    ];
    let rhymes = [
        "a", "e", "i", "inh", "in", "it", "em", "en", "et", "ang", "ao",
    ];
    let syllables: Vec<String> = onsets
        .iter()
        .flat_map(|o| rhymes.iter().map(move |r| format!("{o}{r}")))
        .collect();
    (0..120)
        .map(|i| {
            let filler: Vec<&str> = (0..30)
                .map(|j| syllables[(i * 31 + j * j * 7 + j * 3) % syllables.len()].as_str())
                .collect();
            let mut body = vec![filler.join(" ")];
            if i % 2 == 0 {
                body.push("kinh tế tăng trưởng".to_string());
            }
            Article {
                id: format!("eco-{i:03}"),
                title: format!("tin số {i}"),
                body,
                ..Article::default()
            }
        })
        .collect()
}

/// The pause of a query typed letter by letter: the reasons of the files it fetched.
fn typed_then_paused(
    sharded: &mut ShardedIndex,
    bundle: &ShardedBundle,
    query: &str,
) -> (Searched, Vec<LookupReason>) {
    let paused = page_of(&Filters::default(), Sort::Relevance);
    let typing = docbao_engine::Request {
        typing: true,
        count_facets: false,
        ..paused.clone()
    };
    for n in 1..=query.chars().count() {
        let text: String = query.chars().take(n).collect();
        explained_until_complete(sharded, bundle, &text, &typing);
    }
    explained_until_complete(sharded, bundle, query, &paused)
}

/// A known word's typo candidates are vouched for by their pairs with the neighbours,
/// but a pair is in no more articles than either of its words: a candidate whose
/// frequency class, or whose neighbour's articles, keep it at or below 4× the typed
/// word's own pairs, a neighbour in no article, or a word typed with its marks fetch no
/// candidate's pair range. A known word its neighbours do vouch a correction for still
/// fetches them and is corrected, and every answer is the whole index's.
#[test]
fn a_known_words_candidates_that_could_not_be_vouched_for_fetch_no_pairs() {
    let index = Index::build(economy_and_filler());
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let paused = page_of(&Filters::default(), Sort::Relevance);
    // Words one edit from "kinh" and "te", each in a few articles.
    let known = |words: &[&str]| {
        words
            .iter()
            .filter(|w| index.document_frequency(w) >= 2)
            .count()
    };
    assert!(known(&["sinh", "tinh", "minh", "linh", "binh", "kin", "kit"]) >= 4);
    assert!(known(&["the", "tet", "ten", "tem", "ta", "ti", "be", "de", "le"]) >= 4);
    // "kinh te" in 60 articles; "kinh zzqx": beside a word in no article; "kính tế": marks.
    for query in ["kinh te", "kinh zzqx", "kính tế"] {
        let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
        let (got, why) = typed_then_paused(&mut sharded, &bundle, query);
        assert!(
            !why.contains(&LookupReason::TypoPairs),
            "{query:?}: {why:?}"
        );
        assert_eq!(
            got.page,
            index.find(&index.query(query), &paused),
            "{query:?}"
        );
    }
    // "sinh te": a known word never beside "te", whose correction "kinh" is, 60 times.
    let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
    let (got, why) = typed_then_paused(&mut sharded, &bundle, "sinh te");
    assert!(why.contains(&LookupReason::TypoPairs), "{why:?}");
    let want = index.find(&index.query("sinh te"), &paused);
    assert_eq!(got.page, want);
    // Corrected: the first hits are the articles with "kinh tế" (even numbers).
    let even = |id: &str| id[4..].parse::<usize>().is_ok_and(|n| n % 2 == 0);
    assert!(
        want.hits[..5].iter().all(|h| even(&h.id)),
        "{:?}",
        want.hits
    );
}

/// A typo candidate's pair with the word after it is read in the reverse counts, keyed by
/// that word: the checks of every candidate before one neighbour fetch one or two
/// `.rpair` files, where the pairs by first word were a range per candidate's first
/// letters; the pairs after the left neighbour are one block of the pairs already. The
/// answers are the whole index's.
#[test]
fn a_candidates_right_hand_check_reads_only_the_reverse_counts() {
    let index = Index::build(economy_and_filler());
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let paused = page_of(&Filters::default(), Sort::Relevance);
    let pair_ranges = bundle.files.iter().filter(|(n, _)| n.ends_with(".pair"));
    assert!(pair_ranges.count() > 16, "pairs over many ranges");
    // "sinh" and "dinh" beside "te": known words one edit from "kinh", which "te"
    // follows 60 times; "tinh te" the same, with a left neighbour for "te" too.
    for query in ["sinh te", "binh te", "hoc tinh te"] {
        let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
        let mut typo_pairs: Vec<String> = Vec::new();
        for round in 0..16 {
            let (fetched, why) = sharded.find_explained(query, &paused);
            if fetched.needs.is_empty() {
                assert_eq!(
                    fetched.answer.page,
                    index.find(&index.query(query), &paused),
                    "{query:?}"
                );
                break;
            }
            assert!(round < 15, "{query:?}: still needs files");
            for (name, why) in fetched.needs.iter().zip(why) {
                if why == LookupReason::TypoPairs {
                    typo_pairs.push(name.clone());
                }
            }
            add_needed(&mut sharded, &bundle, &fetched.needs);
        }
        let of = |ext: &str| typo_pairs.iter().filter(|n| n.ends_with(ext)).count();
        assert!(
            (1..=2).contains(&of(".rpair")),
            "{query:?}: the counts before \"te\": {typo_pairs:?}"
        );
        let left = usize::from(query.starts_with("hoc"));
        assert!(
            of(".pair") <= 2 * left,
            "{query:?}: pair ranges only after the left neighbour: {typo_pairs:?}"
        );
    }
}

#[test]
fn a_one_or_two_letter_query_typed_asks_for_its_rows_chunks_with_its_ranges() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    // As the search page asks while a query is typed, its rows on screen only.
    let rows = FIRST_LETTER_ROWS;
    let typing = docbao_engine::Request {
        typing: true,
        count_facets: false,
        limit: rows,
        ..page_of(&Filters::default(), Sort::Relevance)
    };
    for letter in ["t", "h", "K", "1", "th", "ki", "vi", "co"] {
        let mut sharded = bundle.reader().unwrap();
        let first = sharded.find_first(letter, &typing, rows).needs;
        assert!(
            first.iter().any(|n| n.ends_with(".fold"))
                && first.iter().any(|n| n.ends_with(".docs")),
            "{letter:?}: its ranges and its rows' chunks at once: {first:?}"
        );
        let (got, rounds) = until_complete(&mut sharded, &bundle, letter, |s| {
            s.find_first(letter, &typing, rows)
        });
        assert_eq!(rounds, 1, "{letter:?}: one round");
        let want = index.query_as(letter, true);
        assert_eq!(got.page, index.find(&want, &typing), "{letter:?}");
        assert!(got.page.hits.iter().all(|h| !h.id.is_empty()), "{letter:?}");
    }
    // After its first letter, as typed: the second letter's rows come with its ranges too.
    let mut sharded = bundle.reader().unwrap();
    until_complete(&mut sharded, &bundle, "t", |s| {
        s.find_first("t", &typing, rows)
    });
    let (got, rounds) = until_complete(&mut sharded, &bundle, "th", |s| {
        s.find_first("th", &typing, rows)
    });
    assert_eq!(rounds, 1, "\"th\" after \"t\": one round");
    assert_eq!(got.page, index.find(&index.query_as("th", true), &typing));
    // Not listed: a filtered search, a second word, the pause, three letters, two in
    // capitals: ranges first, then chunks.
    let mut filtered = typing.clone();
    filtered.filters.sources = vec!["Dân trí".to_string()];
    for (text, request) in [
        ("t", &filtered),
        ("th", &filtered),
        ("tin t", &typing),
        ("t", &page_of(&Filters::default(), Sort::Relevance)),
        ("thà", &typing),
        ("thu", &typing),
        ("TH", &typing),
    ] {
        let mut sharded = bundle.reader().unwrap();
        let first = sharded.find_first(text, request, rows).needs;
        assert!(
            !first.iter().any(|n| n.ends_with(".docs")),
            "{text:?}: {first:?}"
        );
    }
}

#[test]
fn a_sharded_page_without_facet_counts_is_the_same_page_from_the_same_files() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let outlet = index.articles().first().and_then(|a| a.source.clone());
    let mut counted = 0;
    for (text, filters, sort) in requests(outlet.as_deref().unwrap_or("")) {
        let with = page_of(&filters, sort);
        let without = docbao_engine::Request {
            count_facets: false,
            ..with.clone()
        };
        // Two fresh readers, asked alike but for the counts, round by round.
        let mut a = bundle.reader().unwrap();
        let mut b = bundle.reader().unwrap();
        for round in 0.. {
            assert!(round < 16, "{text:?}: still needs files after 16 rounds");
            let (got, want) = (b.find(text, &without), a.find(text, &with));
            assert_eq!(got.needs, want.needs, "{text:?} round {round}");
            assert_eq!(got.answer.page.total, want.answer.page.total, "{text:?}");
            assert_eq!(got.answer.page.hits, want.answer.page.hits, "{text:?}");
            assert_eq!(got.answer.page.facets, Facets::default(), "{text:?}");
            if want.needs.is_empty() {
                counted += usize::from(want.answer.page.facets != Facets::default());
                break;
            }
            add_needed(&mut a, &bundle, &want.needs);
            add_needed(&mut b, &bundle, &got.needs);
        }
    }
    assert!(counted > 5, "the pages with counts counted some: {counted}");
}

#[test]
fn sharded_answers_equal_the_embedded_index_on_a_unc_sample() {
    let Some(mut unc) = common::unc() else { return };
    unc.truncate(600);
    let index = Index::build(unc);
    let bundle = write_bundle_with_ranges_of(&index, 8 << 10);
    assert_sharded_answers_equal("unc-600", &index, &bundle);
}

#[test]
fn a_reader_holding_every_file_holds_the_index_about_once() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let embedded = docbao_engine::from_bytes(&docbao_engine::to_bytes(&index)).unwrap();
    let mut sharded = bundle.reader().unwrap();
    let empty = sharded.memory_bytes();
    let mut names = sharded.all_files();
    // Ranges and chunks arrive in any order.
    names.reverse();
    add_needed(&mut sharded, &bundle, &names);
    let full = sharded.memory_bytes();
    // A file added again (a retried fetch) changes nothing.
    add_needed(&mut sharded, &bundle, &names[..names.len() / 2]);
    assert_eq!(sharded.memory_bytes(), full);
    // Every range and article once, beside what only a sharded reader keeps (each
    // article's distinctive words, the ids, the lexicon): not the ranges again joined
    // into one dictionary, nor the articles again in their chunks.
    let ratio = full as f64 / embedded.memory_bytes() as f64;
    eprintln!(
        "sharded reader: {empty} bytes from the root, {full} with every file; \
         the embedded index loaded: {}; ratio {ratio:.2}",
        embedded.memory_bytes()
    );
    assert!(
        ratio < 1.3,
        "the sharded reader holds {ratio:.2}× the index"
    );
    for request in requests("Dân trí") {
        let (text, filters, sort) = &request;
        let request = page_of(filters, *sort);
        let fetched = sharded.find(text, &request);
        assert!(fetched.needs.is_empty(), "{text:?}: every file is in");
        let want = index.find(&index.query(text), &request);
        assert_eq!(fetched.answer.page, want, "{text:?}");
    }
}

#[test]
fn an_article_opens_from_its_id_range_and_chunk() {
    let index = Index::build(invented(100));
    let bundle = write_bundle_with_ranges_of(&index, 128);
    let mut sharded = bundle.reader().unwrap();
    for round in 0.. {
        let Fetched { answer, needs } = sharded.article_page("inv-00042", None, 5);
        if let Some(page) = answer {
            assert_eq!(round, 2, "the id range, then the chunk");
            assert_eq!(Some(&page.article), index.article("inv-00042"));
            break;
        }
        assert!(!needs.is_empty() && round < 2, "round {round}: {needs:?}");
        add_needed(&mut sharded, &bundle, &needs);
    }
    assert_eq!(
        sharded.index().article("inv-00042"),
        index.article("inv-00042")
    );
    let absent = sharded.article_page("no-such-id", None, 5);
    assert_eq!(absent.answer, None);
    assert!(absent.needs.len() <= 1, "its id range at most");
}

/// An article's URL lives in a `.urls` file, not its chunk (no row shows it): an opened
/// article asks for that file in the round of its chunk, no round more, and its page
/// holds the URL whichever came first; a search's chunks bring no URL.
#[test]
fn an_opened_articles_url_comes_in_its_chunks_round_and_no_chunk_holds_it() {
    let mut articles = invented_with_teasers(300);
    for (i, a) in articles.iter_mut().enumerate() {
        a.url = (i % 4 != 0).then(|| format!("https://bao.example/muc-{}/tin-so-{i}.htm", i % 3));
    }
    let index = Index::build(articles);
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let urls_files = names_ending(&bundle, ".urls");
    assert_eq!(urls_files.len(), 300usize.div_ceil(DOCS_PER_URLS_FILE));
    for id in ["inv-00001", "inv-00042", "inv-00299", "inv-00129"] {
        let want = index.article(id).unwrap();
        let mut sharded = bundle.reader().unwrap();
        let mut rounds = Vec::new();
        let (page, _) = until_complete(&mut sharded, &bundle, id, |s| {
            let fetched = s.article_page(id, None, 5);
            rounds.push(fetched.needs.clone());
            fetched
        });
        let page = page.unwrap();
        assert_eq!(page.article, *want, "{id}");
        assert!(page.article.url.is_some(), "{id}");
        // The id range, then the chunk, its words and URLs (and the dictionary) in one.
        let chunk_round = rounds
            .iter()
            .position(|r| r.iter().any(|n| n.ends_with(".docs")))
            .unwrap();
        assert_eq!(chunk_round, 1, "{id}: {rounds:?}");
        assert!(
            rounds[1].iter().any(|n| n.ends_with(".urls")),
            "{id}: {rounds:?}"
        );
        let urls_rounds = rounds.iter().flatten().filter(|n| n.ends_with(".urls"));
        assert_eq!(urls_rounds.count(), 1, "{id}: {rounds:?}");
    }
    // A search's rows read chunks: their articles come without URLs until asked.
    let mut sharded = bundle.reader().unwrap();
    let request = page_of(&Filters::default(), Sort::Relevance);
    let (found, _) = until_complete(&mut sharded, &bundle, "tin", |s| {
        s.find("thành phố", &request)
    });
    let hit = found
        .page
        .hits
        .iter()
        .find(|h| index.article(&h.id).unwrap().url.is_some())
        .unwrap();
    assert_eq!(sharded.index().articles()[hit.doc as usize].url, None);
    // Its article opened then: its id range, then (its chunk in) its URLs with its words.
    let first = sharded.article_page(&hit.id, None, 5);
    assert!(first.needs.iter().all(|n| n.ends_with(".ids")));
    add_needed(&mut sharded, &bundle, &first.needs);
    let fetched = sharded.article_page(&hit.id, None, 5);
    assert!(fetched.answer.is_some());
    let urls: Vec<&String> = fetched
        .needs
        .iter()
        .filter(|n| n.ends_with(".urls"))
        .collect();
    assert_eq!(urls.len(), 1, "{:?}", fetched.needs);
    assert!(fetched.needs.iter().any(|n| n.ends_with(".words")));
    let (page, _) = until_complete(&mut sharded, &bundle, &hit.id, |s| {
        s.article_page(&hit.id, None, 5)
    });
    assert_eq!(page.unwrap().article, *index.article(&hit.id).unwrap());
    // The URLs file before the chunk: the chunk keeps the URL it finds in place.
    let id = "inv-00077";
    let mut sharded = bundle.reader().unwrap();
    let Fetched { needs, .. } = sharded.article_page(id, None, 5);
    add_needed(&mut sharded, &bundle, &needs);
    let Fetched { mut needs, .. } = sharded.article_page(id, None, 5);
    needs.sort_by_key(|n| !n.ends_with(".urls"));
    add_needed(&mut sharded, &bundle, &needs);
    assert_eq!(sharded.index().article(id), index.article(id));
    // The offline download lists them.
    let all = sharded.all_files();
    assert!(urls_files.iter().all(|n| all.contains(n)));
    // Without URLs, files of 64 articles are alike, one name listed in several places:
    // one file, which completes every article of those places.
    let mut articles = invented_with_teasers(300);
    for a in &mut articles {
        a.url = None;
    }
    let index = Index::build(articles);
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let names: std::collections::BTreeSet<&String> =
        names_ending(&bundle, ".urls").into_iter().collect();
    assert_eq!(names.len(), 2, "four files of 64 alike, and the last");
    let mut sharded = bundle.reader().unwrap();
    for id in ["inv-00001", "inv-00150", "inv-00299"] {
        let (page, _) = until_complete(&mut sharded, &bundle, id, |s| s.article_page(id, None, 5));
        assert_eq!(page.unwrap().article, *index.article(id).unwrap());
    }
}

#[test]
fn the_same_index_gives_byte_identical_files_named_by_content() {
    let a = write_bundle_with_ranges_of(&Index::build(invented(120)), 512);
    let b = write_bundle_with_ranges_of(&Index::build(invented(120)), 512);
    assert_eq!(a, b);
    for (name, bytes) in &a.files {
        let kind_ext = name.rsplit('.').next().unwrap();
        assert_eq!(name.len(), 16 + 1 + kind_ext.len(), "{name}");
        assert!(name.starts_with(|c: char| c.is_ascii_hexdigit()));
        assert!(!bytes.is_empty());
    }
    let mut names: Vec<&String> = a.files.iter().map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), a.files.len(), "every file has its own name");
    let reverse = a.files.iter().filter(|(n, _)| n.ends_with(".rpair"));
    assert!(reverse.count() > 1, "reverse pair counts, in ranges");
    let dictionaries = a.files.iter().filter(|(n, _)| n.ends_with(".dict"));
    assert_eq!(
        dictionaries.count(),
        1,
        "one chunk dictionary, derived alike"
    );
}

/// Chunks are compressed after the archive's preset dictionary: a reader fetches it in
/// the round of the first chunk it needs (not a round before, not again), never for the
/// root or the head files, and decodes the chunks whichever of them arrives first.
#[test]
fn the_chunks_dictionary_comes_with_the_first_chunk_in_either_order() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let dictionary = names_ending(&bundle, ".dict");
    assert_eq!(dictionary.len(), 1, "{:?}", bundle.files.len());
    let dictionary = dictionary[0].clone();
    // A chunk does not inflate as plain DEFLATE to its articles: it needs the dictionary.
    let (_, chunk) = bundle
        .files
        .iter()
        .find(|(n, _)| n.ends_with(".docs"))
        .unwrap();
    let plain = miniz_oxide::inflate::decompress_to_vec_with_limit(&chunk[20..], 1 << 24);
    assert!(
        plain.map_or(true, |raw| postcard::from_bytes::<Vec<Article>>(&raw)
            .is_err()),
        "a chunk decoded without its dictionary"
    );
    // The first page (heads) needs no dictionary.
    let newest = common::search::request(&Filters::default(), Sort::Newest, 0, 20);
    let first_page = bundle.files_to_show("", &newest, 20).unwrap();
    assert!(!first_page.contains(&dictionary), "{first_page:?}");

    let request = page_of(&Filters::default(), Sort::Relevance);
    for text in ["Hà Nội", "t", "giáo dục OR bóng đá"] {
        for dictionary_first in [false, true] {
            let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
            let mut rounds: Vec<Vec<String>> = Vec::new();
            let answer = until_complete(&mut sharded, &bundle, text, |s| {
                let mut fetched = s.find(text, &request);
                rounds.push(fetched.needs.clone());
                // Files arrive in any order: the app adds each as it comes.
                if dictionary_first {
                    fetched.needs.sort_by_key(|n| !n.ends_with(".dict"));
                }
                fetched
            })
            .0;
            assert_eq!(
                answer.page,
                index.find(&index.query(text), &request),
                "{text:?}"
            );
            let first_chunk = rounds
                .iter()
                .position(|r| r.iter().any(|n| n.ends_with(".docs")));
            let with_dictionary: Vec<usize> = (0..rounds.len())
                .filter(|&r| rounds[r].contains(&dictionary))
                .collect();
            assert_eq!(
                with_dictionary,
                first_chunk.into_iter().collect::<Vec<_>>(),
                "{text:?}: {rounds:?}"
            );
        }
    }
}

/// An archive whose chunks share no word pair and no letter has no dictionary: its
/// chunks are plain DEFLATE and its reader asks for none.
#[test]
fn an_archive_without_a_dictionary_reads_plain_chunks() {
    let articles = vec![Article {
        id: "only".to_string(),
        title: "Một bài duy nhất".to_string(),
        body: vec!["Không có gì lặp lại.".to_string()],
        ..Article::default()
    }];
    let index = Index::build(articles);
    let bundle = write_bundle(&index);
    assert!(bundle.files.iter().all(|(n, _)| !n.ends_with(".dict")));
    let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
    let request = page_of(&Filters::default(), Sort::Relevance);
    let (answer, _) = until_complete(&mut sharded, &bundle, "bài", |s| s.find("bài", &request));
    assert_eq!(answer.page, index.find(&index.query("bài"), &request));
    assert_eq!(answer.page.hits.len(), 1);
}

/// `n` invented articles, and ten more dated after all of them: an archive's next day.
fn invented_and_ten_newer(n: usize) -> (Vec<Article>, Vec<Article>) {
    let before = invented(n);
    let mut after = invented(n + 10);
    for (k, article) in after[n..].iter_mut().enumerate() {
        article.date = Some(format!("2030-01-{:02}", 1 + k));
    }
    (before, after)
}

#[test]
fn adding_one_percent_more_articles_keeps_most_file_names() {
    let (before, after) = invented_and_ten_newer(1000);
    let before = write_bundle_with_ranges_of(&Index::build(before), 1024);
    let after = write_bundle_with_ranges_of(&Index::build(after), 1024);
    let old: std::collections::HashSet<&str> =
        before.files.iter().map(|(n, _)| n.as_str()).collect();
    let kept = after.files.iter().filter(|(n, _)| old.contains(n.as_str()));
    let (kept_files, kept_bytes) = kept.fold((0, 0), |(f, b), (_, bytes)| (f + 1, b + bytes.len()));
    let total_bytes: usize = after.files.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "1% more articles: {kept_files} of {} files kept, {} of {total_bytes} bytes to download again",
        after.files.len(),
        total_bytes - kept_bytes
    );
    // Newer articles are numbered last: every chunk of the first 1000 articles (a
    // multiple of 8) is unchanged, and they are most files.
    let old_chunks = before
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".docs"))
        .count();
    assert!(kept_files >= old_chunks, "{kept_files} < {old_chunks}");
    assert!(kept_files * 2 > after.files.len());
}

/// Files of `after` whose names `before` had: (files, bytes) kept, and the `.docs`
/// chunks of `before` that `after` no longer has.
fn kept_between(before: &ShardedBundle, after: &ShardedBundle) -> (usize, usize, Vec<String>) {
    let old: std::collections::HashSet<&str> =
        before.files.iter().map(|(n, _)| n.as_str()).collect();
    let new: std::collections::HashSet<&str> =
        after.files.iter().map(|(n, _)| n.as_str()).collect();
    let kept = after.files.iter().filter(|(n, _)| old.contains(n.as_str()));
    let (files, bytes) = kept.fold((0, 0), |(f, b), (_, bytes)| (f + 1, b + bytes.len()));
    let lost_chunks = old
        .iter()
        .filter(|n| n.ends_with(".docs") && !new.contains(*n))
        .map(|n| n.to_string())
        .collect();
    (files, bytes, lost_chunks)
}

/// A word that one old article and one new article share: the new one makes it a
/// distinctive word of the old one (a word in one article alone is not), as any idf
/// shift may. The old article's chunk keeps its name all the same: what is weighed over
/// the archive lives in the `.words` files.
#[test]
fn new_articles_change_no_text_chunk_before_them() {
    let (mut before, mut after) = invented_and_ten_newer(1000);
    for articles in [&mut before, &mut after] {
        articles[500].body.push("một chữ hiếmthấy".to_string());
    }
    after[1005].body.push("lại hiếmthấy".to_string());
    let (before, after) = (Index::build(before), Index::build(after));
    let old_doc = |index: &Index| {
        let page = index.find(
            &index.query("hiếmthấy"),
            &page_of(&Filters::default(), Sort::Oldest),
        );
        page.hits[0].doc
    };
    let words_before = before.distinctive_terms(old_doc(&before));
    let words_after = after.distinctive_terms(old_doc(&after));
    assert!(
        !words_before.contains(&"hiemthay".to_string())
            && words_after.contains(&"hiemthay".to_string()),
        "the new article makes the shared word distinctive: {words_before:?} → {words_after:?}"
    );
    let before = write_bundle_with_ranges_of(&before, 1024);
    let after = write_bundle_with_ranges_of(&after, 1024);
    let (_, _, lost_chunks) = kept_between(&before, &after);
    // 1000 is a multiple of 8: every chunk of the old articles is whole, so kept.
    assert_eq!(lost_chunks, Vec::<String>::new());
}

/// UNC in date order, its newest 1% added to the rest: every chunk but the last (which
/// the new articles fill up) keeps its name. Prints what a returning reader fetches again.
#[test]
fn one_percent_more_unc_articles_keep_every_text_chunk_but_the_last() {
    let Some(unc) = common::unc() else { return };
    let after = Index::build(unc);
    let added = after.articles().len() / 100;
    let older: Vec<Article> = after
        .articles()
        .iter()
        .take(after.articles().len() - added)
        .cloned()
        .collect();
    let older = Index::build(older);
    // The ranges are cut with the same targets: exact and pairs 3 kB, UNC's dictionaries
    // being small; folded 24 kB, as every archive's.
    let targets = RangeTargets::of(&after);
    assert_eq!(RangeTargets::of(&older), targets);
    assert_eq!(
        (targets.folded, targets.exact, targets.pairs),
        (24 << 10, 3 << 10, 3 << 10)
    );
    let before = write_bundle(&older);
    let after = write_bundle(&after);
    let (kept_files, kept_bytes, lost_chunks) = kept_between(&before, &after);
    let total: usize = after.files.iter().map(|(_, b)| b.len()).sum();
    let of_kind = |b: &ShardedBundle, ext: &str| {
        let files = b.files.iter().filter(|(n, _)| n.ends_with(ext));
        files.fold((0, 0), |(f, s), (_, bytes)| (f + 1, s + bytes.len()))
    };
    let (chunks, chunk_bytes) = of_kind(&after, ".docs");
    let (words, words_bytes) = of_kind(&after, ".words");
    eprintln!(
        "UNC + {added} newest articles (1%): {kept_files} of {} files kept, {:.2} of {:.2} MB \
         to download again; {} of {} old chunks changed; now {chunks} chunks ({:.2} MB) and \
         {words} words files ({:.1} kB)",
        after.files.len(),
        (total - kept_bytes) as f64 / 1e6,
        total as f64 / 1e6,
        lost_chunks.len(),
        of_kind(&before, ".docs").0,
        chunk_bytes as f64 / 1e6,
        words_bytes as f64 / 1e3,
    );
    assert!(lost_chunks.len() <= 1, "{lost_chunks:?}");
    // Likewise the URLs files: all but the last keep their names.
    let (urls_before, urls_after) = (
        names_ending(&before, ".urls"),
        names_ending(&after, ".urls"),
    );
    let lost_urls = urls_before.iter().filter(|n| !urls_after.contains(n));
    assert!(lost_urls.count() <= 1, "{urls_before:?} → {urls_after:?}");
    let (urls, urls_bytes) = of_kind(&after, ".urls");
    eprintln!(
        "URLs: {urls} files ({:.1} kB), {} of {} old ones kept",
        urls_bytes as f64 / 1e3,
        urls_before
            .iter()
            .filter(|n| urls_after.contains(n))
            .count(),
        urls_before.len()
    );
    let (reverse, reverse_bytes) = of_kind(&after, ".rpair");
    let (reverse_kept, _, _) = kept_between(
        &ShardedBundle {
            root: before.root.clone(),
            files: before
                .files
                .iter()
                .filter(|(n, _)| n.ends_with(".rpair"))
                .cloned()
                .collect(),
        },
        &after,
    );
    eprintln!(
        "reverse pair counts: {reverse_kept} of {reverse} files ({:.1} kB) kept",
        reverse_bytes as f64 / 1e3
    );
    for ext in [".fold", ".exct", ".pair"] {
        let (ranges, bytes) = of_kind(&after, ext);
        let only = |b: &ShardedBundle| ShardedBundle {
            root: b.root.clone(),
            files: b
                .files
                .iter()
                .filter(|(n, _)| n.ends_with(ext))
                .cloned()
                .collect(),
        };
        let (kept, _, _) = kept_between(&only(&before), &after);
        eprintln!(
            "{ext} ranges: {kept} of {ranges} files ({:.1} kB, median {} B) kept",
            bytes as f64 / 1e3,
            {
                let mut sizes: Vec<usize> =
                    only(&after).files.iter().map(|(_, b)| b.len()).collect();
                sizes.sort_unstable();
                sizes[sizes.len() / 2]
            }
        );
    }
    // The dictionary the chunks are compressed after is derived from the oldest chunks:
    // the same, or every chunk would have changed.
    let dictionary = names_ending(&after, ".dict");
    assert_eq!(names_ending(&before, ".dict"), dictionary);
    assert_eq!(dictionary.len(), 1);
}

/// The chunks (`.docs`) a request reads, from a fresh reader, until its answer is whole.
fn chunks_read(bundle: &ShardedBundle, request: &Request) -> Vec<String> {
    files_read(bundle, request, ".docs")
}

/// The files of a kind (`.docs`, `.head`) a request reads, from a fresh reader, until its
/// answer is whole.
fn files_read(bundle: &ShardedBundle, request: &Request, extension: &str) -> Vec<String> {
    let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
    let (text, filters, sort) = request;
    let request = common::search::request(filters, *sort, 0, 20);
    let mut chunks = Vec::new();
    until_complete(&mut sharded, bundle, text, |s| {
        let fetched = s.find(text, &request);
        chunks.extend(
            fetched
                .needs
                .iter()
                .filter(|n| n.ends_with(extension))
                .cloned(),
        );
        fetched
    });
    chunks
}

/// Articles are numbered in date order, so the first page (the newest 20) and a month's
/// browsing read a few adjacent head files of 32, not one file per article, and no chunk:
/// 20 adjacent articles span at most 2 head files.
#[test]
fn the_newest_page_and_a_month_read_few_heads_and_no_chunk() {
    let index = Index::build(invented(1000));
    let bundle = write_bundle_with_ranges_of(&index, 1024);
    for sort in [Sort::Newest, Sort::Oldest] {
        let request = ("", Filters::default(), sort);
        assert_eq!(chunks_read(&bundle, &request), Vec::<String>::new());
        let heads = files_read(&bundle, &request, ".head");
        assert!((1..=2).contains(&heads.len()), "{heads:?}");
    }
    // 1000 = 31 × 32 + 8: the newest 20 are the last 8 and 12 of the file before.
    let newest = files_read(&bundle, &("", Filters::default(), Sort::Newest), ".head");
    assert_eq!(newest.len(), 2, "{newest:?}");
    let month = Filters {
        year: Some(2021),
        month: Some(2),
        ..Filters::default()
    };
    let page = index.find(
        &index.query(""),
        &common::search::request(&month, Sort::Newest, 0, 20),
    );
    assert!(
        page.hits.len() >= 10,
        "the month holds a page: {}",
        page.hits.len()
    );
    let in_month = files_read(&bundle, &("", month.clone(), Sort::Newest), ".head");
    assert!(
        in_month.len() <= page.hits.len().div_ceil(DOCS_PER_HEAD) + 1,
        "{in_month:?}"
    );
    assert_eq!(
        chunks_read(&bundle, &("", month, Sort::Newest)),
        Vec::<String>::new()
    );
}

/// The files a bundle says its first page reads (what the app preloads while it loads)
/// are all a fresh reader needs for it: given them, it answers the whole index's page
/// without asking for more, and each was needed (the newest page: a head file or two).
#[test]
fn the_files_a_bundle_lists_for_a_page_are_those_a_fresh_reader_reads() {
    let index = Index::build(invented(1000));
    let bundle = write_bundle_with_ranges_of(&index, 1024);
    for (text, sort) in [("", Sort::Newest), ("thành phố", Sort::Relevance)] {
        let request = common::search::request(&Filters::default(), sort, 0, 20);
        let files = bundle.files_to_show(text, &request, 20).unwrap();
        let mut sharded = bundle.reader().unwrap();
        add_needed(&mut sharded, &bundle, &files);
        let Fetched { answer, needs } = sharded.find(text, &request);
        assert_eq!(
            needs,
            Vec::<String>::new(),
            "{text:?}: nothing more is needed"
        );
        assert_eq!(
            answer.page,
            index.find(&index.query(text), &request),
            "{text:?}"
        );
        let read = files_read(&bundle, &(text, Filters::default(), sort), "");
        assert_eq!(files, read, "{text:?}: the files a reader reads, in order");
    }
    let newest = common::search::request(&Filters::default(), Sort::Newest, 0, 20);
    let files = bundle.files_to_show("", &newest, 20).unwrap();
    assert!(
        (1..=2).contains(&files.len()) && files.iter().all(|f| f.ends_with(".head")),
        "{files:?}"
    );
    // A query's words are looked up through the directory: it comes first, alone.
    let relevance = common::search::request(&Filters::default(), Sort::Relevance, 0, 20);
    let files = bundle.files_to_show("thành phố", &relevance, 20).unwrap();
    assert!(files[0].ends_with(".dir"), "{files:?}");
    assert_eq!(files.iter().filter(|f| f.ends_with(".dir")).count(), 1);
}

/// The root holds what the first page shows (the newest articles' heads, the facets and
/// their counts); the directory, which names every other file, comes after: a search
/// with words, an excluded word, an opened article and the whole archive's list wait
/// for it, and once it is in they answer as the whole index does.
#[test]
fn the_first_page_reads_the_root_alone_and_a_search_the_directory_first() {
    let index = Index::build(invented(500));
    let bundle = write_bundle_with_ranges_of(&index, 1024);
    let mut fresh = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
    let directory = fresh.directory_wanted().unwrap().to_string();
    assert!(directory.ends_with(".dir"), "{directory}");
    let newest = common::search::request(&Filters::default(), Sort::Newest, 0, 20);
    let first = fresh.find("", &newest);
    assert!(!first.needs.is_empty() && first.needs.iter().all(|n| n.ends_with(".head")));
    assert_eq!(
        first.answer.page.total,
        index.find(&index.query(""), &newest).total
    );
    assert_eq!(
        first.answer.page.facets,
        index.find(&index.query(""), &newest).facets,
        "the facets' counts from the root alone"
    );
    let relevance = common::search::request(&Filters::default(), Sort::Relevance, 0, 20);
    for text in ["thành phố", "-hà", "\"hà nội\""] {
        assert_eq!(
            fresh.find(text, &relevance).needs,
            vec![directory.clone()],
            "{text:?}"
        );
    }
    let opened = fresh.article_page("inv-00003", None, 5);
    assert_eq!(
        (opened.answer, opened.needs),
        (None, vec![directory.clone()])
    );
    assert_eq!(fresh.all_files(), {
        let mut named: Vec<String> = fresh.all_files();
        named.retain(|n| n.ends_with(".head") || n.ends_with(".dir"));
        named
    });
    let mut expected: Vec<String> = bundle
        .files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| *n != bundle.root)
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(fresh.all_files_count(), expected.len());
    fresh
        .add_shard(&directory, bundle.file(&directory).unwrap())
        .unwrap();
    assert_eq!(fresh.directory_wanted(), None);
    assert_eq!(
        fresh.all_files(),
        expected,
        "the directory names every file but the root"
    );
    for text in ["thành phố", "-hà", "\"hà nội\""] {
        until_complete(&mut fresh, &bundle, text, |s| s.find(text, &relevance));
        assert_eq!(
            fresh.find(text, &relevance).answer.page,
            index.find(&index.query(text), &relevance),
            "{text:?}"
        );
    }
}

/// A list without a query (browsing, filters, exclusions alone) shows each row's title
/// and the start of its first passage: the heads answer it exactly as the whole index
/// does, without a chunk. Words to mark, an opened article or a text read for a phrase
/// still read the chunks, which then take the heads' place.
#[test]
fn a_list_without_a_query_reads_heads_and_answers_exactly() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let month = Filters {
        year: Some(2021),
        month: Some(2),
        ..Filters::default()
    };
    let mut sharded = bundle.reader().unwrap();
    for (text, filters, sort, offset) in [
        ("", Filters::default(), Sort::Newest, 0),
        ("", Filters::default(), Sort::Newest, 20),
        ("", Filters::default(), Sort::Oldest, 0),
        ("", month, Sort::Newest, 0),
        ("-bóng ", Filters::default(), Sort::Relevance, 0),
        ("-\"giáo dục\" ", Filters::default(), Sort::Newest, 0),
    ] {
        let request = common::search::request(&filters, sort, offset, 20);
        let want = index.find(&index.query(text), &request);
        assert!(!want.hits.is_empty(), "{text:?}");
        let mut fresh = bundle.reader().unwrap();
        for reader in [&mut fresh, &mut sharded] {
            let mut read = Vec::new();
            let (got, _) = until_complete(reader, &bundle, text, |s| {
                let fetched = s.find_first(text, &request, 8);
                read.extend(fetched.needs.clone());
                fetched
            });
            let (whole, _) = until_complete(reader, &bundle, text, |s| {
                let fetched = s.find(text, &request);
                read.extend(fetched.needs.clone());
                fetched
            });
            let shown = want.hits.len().min(8);
            assert_eq!(got.page.hits[..shown], want.hits[..shown], "{text:?}");
            assert_eq!(whole.page, want, "{text:?}");
            let phrase = text.contains('"');
            assert!(
                phrase || read.iter().all(|n| !n.ends_with(".docs")),
                "{text:?}: {read:?}"
            );
        }
    }
    // Heads in, a query with words reads its hits' chunks and answers exactly.
    for text in ["Hà Nội ", "t", "\"giáo dục\" "] {
        let request = page_of(&Filters::default(), Sort::Newest);
        let want = index.find(&index.query(text), &request);
        let (got, _) = fetch_all_needed(
            &mut sharded,
            &bundle,
            &(text, Filters::default(), Sort::Newest),
        );
        assert_eq!(got.page, want, "{text:?}");
    }
    // An article whose head is in is read whole.
    let newest = index.find(
        &index.query(""),
        &common::search::request(&Filters::default(), Sort::Newest, 0, 1),
    );
    let mut reader = bundle.reader().unwrap();
    until_complete(&mut reader, &bundle, "", |s| {
        s.find(
            "",
            &common::search::request(&Filters::default(), Sort::Newest, 0, 1),
        )
    });
    let id = &newest.hits[0].id;
    let (page, _) = until_complete(&mut reader, &bundle, id, |s| s.article_page(id, None, 5));
    let whole = index.article_page(id, None, 5).unwrap();
    assert_eq!(page.unwrap().article, whole.article);
}

#[test]
fn the_root_says_what_downloading_the_whole_archive_costs() {
    let bundle = write_bundle_with_ranges_of(&Index::build(invented(120)), 512);
    let sharded = bundle.reader().unwrap();
    let others: Vec<&(String, Vec<u8>)> = bundle
        .files
        .iter()
        .filter(|(n, _)| *n != bundle.root)
        .collect();
    let mut names: Vec<String> = others.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(sharded.all_files(), names);
    let bytes: usize = others.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(sharded.all_files_bytes(), bytes as u64);
}

#[test]
fn damaged_or_foreign_files_are_refused_with_their_name() {
    let index = Index::build(invented(60));
    let bundle = write_bundle_with_ranges_of(&index, 256);
    let mut sharded = bundle.reader().unwrap();
    let (name, bytes) = bundle
        .files
        .iter()
        .find(|(n, _)| n.ends_with(".fold"))
        .unwrap();
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let e = sharded.add_shard(name, &damaged).unwrap_err();
    assert_eq!(&e.file, name);
    assert!(e.to_string().contains("damaged"), "{e}");
    let e = sharded
        .add_shard("0000000000000000.fold", bytes)
        .unwrap_err();
    assert!(e.to_string().contains("not a file of this archive"), "{e}");
    let mut root = bundle.root_bytes().to_vec();
    root[30] ^= 0x40;
    let e = ShardedIndex::from_root(&root).unwrap_err();
    assert!(e.to_string().contains("root"), "{e}");
    assert!(!sharded.has(name));
    sharded.add_shard(name, bytes).unwrap();
    assert!(sharded.has(name));
}

/// A file whose SHA-256 the caller worked out (the app asks the browser's
/// `crypto.subtle`) is added only if that digest spells its name, as `add_shard` would
/// hash it; files added so answer as the whole index does.
#[test]
fn files_hashed_by_the_caller_are_refused_unless_the_digest_spells_their_name() {
    use sha2::{Digest, Sha256};
    let index = Index::build(invented(60));
    let bundle = write_bundle_with_ranges_of(&index, 256);
    let mut sharded = bundle.reader().unwrap();
    let mut folded = bundle.files.iter().filter(|(n, _)| n.ends_with(".fold"));
    let (name, bytes) = folded.next().unwrap();
    let (_, other) = folded.next().unwrap();
    let digest = Sha256::digest(bytes);
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let damaged_digest = Sha256::digest(&damaged);
    let other_digest = Sha256::digest(other);
    for (wrong, bytes) in [
        (&other_digest[..], bytes),
        (&digest[..7], bytes),
        (&[][..], bytes),
        (&damaged_digest[..], &damaged),
    ] {
        let e = sharded.add_shard_digested(name, wrong, bytes).unwrap_err();
        assert_eq!(&e.file, name);
        assert!(e.to_string().contains("damaged"), "{e}");
        assert!(!sharded.has(name));
    }
    let e = sharded
        .add_shard_digested("0000000000000000.fold", &digest, bytes)
        .unwrap_err();
    assert!(e.to_string().contains("not a file of this archive"), "{e}");
    sharded.add_shard_digested(name, &digest, bytes).unwrap();
    assert!(sharded.has(name));

    let outlet = index.articles()[0].source.clone().unwrap_or_default();
    for (text, filters, sort) in requests(&outlet) {
        let mut sharded = bundle.reader().unwrap();
        let request = page_of(&filters, sort);
        let (got, _) = until_complete(&mut sharded, &bundle, text, |s| {
            let fetched = s.find(text, &request);
            for name in &fetched.needs {
                let bytes = bundle.file(name).unwrap();
                s.add_shard_digested(name, &Sha256::digest(bytes), bytes)
                    .unwrap();
            }
            fetched
        });
        let want = index.find(&index.query(text), &request);
        assert_eq!(got.page, want, "{text:?} {filters:?} {sort:?}");
    }
}

/// The first ten results of a request, as the tests compare them.
fn page_of(filters: &Filters, sort: Sort) -> docbao_engine::Request {
    common::search::request(filters, sort, 0, 10)
}

/// A small deterministic generator (xorshift), so a failing variant can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const HEADER: usize = 20;

fn reseal(file: &mut [u8]) {
    let crc = crc32fast::hash(&file[HEADER..]);
    file[16..20].copy_from_slice(&crc.to_le_bytes());
}

fn inflate(body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(body)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn deflate(raw: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(raw).unwrap();
    e.finish().unwrap()
}

/// The root with `payload` as its content, checksummed.
fn root_with(root: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = root[..HEADER].to_vec();
    out.extend_from_slice(&deflate(payload));
    reseal(&mut out);
    out
}

/// Damaged files (checksums left wrong) and crafted ones (checksums and names made to
/// match, so the decoders see the bad content) are refused or read, never a panic; a
/// reader that took a crafted file still searches without panicking.
#[test]
fn decoding_damaged_or_crafted_files_never_panics() {
    let index = Index::build(invented(80));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let root = bundle.root_bytes().to_vec();
    let payload = inflate(&root[HEADER..]);
    let (dir_name, dir_bytes) = bundle
        .files
        .iter()
        .find(|(n, _)| n.ends_with(".dir"))
        .cloned()
        .unwrap();
    let dir_payload = inflate(&dir_bytes[HEADER..]);
    // The root and the directory list a file by its name's 8 digest bytes.
    let digest = |n: &str| -> Vec<u8> {
        (0..8)
            .map(|i| u8::from_str_radix(&n[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    };
    let renamed_in = |payload: &[u8], old: &str, new: &str| -> Option<Vec<u8>> {
        let (old, new) = (digest(old), digest(new));
        let at = payload
            .windows(old.len())
            .position(|w| w == old.as_slice())?;
        let mut renamed = payload.to_vec();
        renamed[at..at + old.len()].copy_from_slice(&new);
        Some(renamed)
    };
    // The root naming `new` in `old`'s place, and the directory made for it if it is the
    // directory that names `old`.
    let renamed = |old: &str, new: &str| -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
        if let Some(p) = renamed_in(&payload, old, new) {
            return (root_with(&root, &p), Vec::new());
        }
        let p = renamed_in(&dir_payload, old, new).expect("the directory names it");
        let dir = root_with(&dir_bytes, &p);
        let dir_new =
            docbao_engine::shard::name_of(docbao_engine::shard::FileKind::Directory, &dir);
        let p = renamed_in(&payload, &dir_name, &dir_new).unwrap();
        (root_with(&root, &p), vec![(dir_new, dir)])
    };
    let variants: usize = std::env::var("DOCBAO_FUZZ_VARIANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut rng = Rng(0x5eed_0011);
    let (mut refused, mut accepted) = (0, 0);
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut panics = Vec::new();
    for variant in 0..variants {
        let crafted = variant % 2 == 0;
        let pick = rng.below(bundle.files.len());
        let (name, original) = &bundle.files[pick];
        // The root and the directory are mutated inflated: their decoders see the damage.
        let inflated = name.ends_with(".root") || name.ends_with(".dir");
        let mut body = if name.ends_with(".root") {
            payload.clone()
        } else if name.ends_with(".dir") {
            dir_payload.clone()
        } else {
            original.clone()
        };
        let start = if inflated { 0 } else { HEADER };
        for _ in 0..1 + rng.below(4) {
            let at = start + rng.below(body.len() - start);
            match rng.below(3) {
                0 => body[at] ^= 1 << rng.below(8),
                1 => body[at] = rng.next() as u8,
                _ => body.truncate(at.max(start + 1)),
            }
        }
        if inflated && name.ends_with(".dir") {
            body = root_with(original, &body);
            if !crafted {
                body[HEADER] ^= 0xff;
            }
        }
        let (root_bytes, files): (Vec<u8>, Vec<(String, Vec<u8>)>) = if name.ends_with(".root") {
            let mut r = root_with(&root, &body);
            if !crafted {
                r[HEADER] ^= 0xff;
            }
            (r, Vec::new())
        } else if crafted {
            if !inflated {
                reseal(&mut body);
            }
            let kind = docbao_engine::shard::FileKind::ALL_STORED
                .into_iter()
                .find(|k| name.ends_with(k.extension()))
                .unwrap();
            let new_name = docbao_engine::shard::name_of(kind, &body);
            let (r, mut files) = renamed(name, &new_name);
            files.push((new_name, body));
            (r, files)
        } else {
            (root.clone(), vec![(name.clone(), body)])
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut sharded = match ShardedIndex::from_root(&root_bytes) {
                Ok(s) => s,
                Err(e) => return Err(e),
            };
            for (n, b) in &files {
                sharded.add_shard(n, b)?;
            }
            let request = page_of(&Filters::default(), Sort::Newest);
            for text in ["thành phố ", "tanh pho ", "\"hà nội\" ", "t"] {
                for _ in 0..4 {
                    for n in sharded.find(text, &request).needs {
                        if let Some(b) = bundle.file(&n) {
                            let _ = sharded.add_shard(&n, b);
                        }
                    }
                }
            }
            for id in ["inv-00003", "inv-00077"] {
                for _ in 0..6 {
                    for n in sharded.article_page(id, Some(("thành", &request)), 5).needs {
                        if let Some(b) = bundle.file(&n) {
                            let _ = sharded.add_shard(&n, b);
                        }
                    }
                }
            }
            Ok(())
        }));
        match outcome {
            Ok(Ok(())) => accepted += 1,
            Ok(Err(e)) => {
                assert!(!e.file.is_empty() && !e.why.is_empty());
                refused += 1;
            }
            Err(_) => panics.push(format!("variant {variant} ({name}, crafted {crafted})")),
        }
    }
    std::panic::set_hook(previous_hook);
    eprintln!("{variants} variants: {refused} refused with an error, {accepted} read");
    assert!(panics.is_empty(), "panics: {panics:?}");
    assert!(refused > variants / 3, "most damage must be refused");
}

/// Articles with many words sharing a prefix (`tx…`), word `k` in one article of `k + 50`:
/// the prefix's words span many ranges, and its expansion picks the most frequent.
fn many_words_of_one_prefix(n: usize) -> Vec<Article> {
    let word = |k: usize| {
        let letters: String = [k / 26 % 26, k % 26]
            .iter()
            .map(|&c| (b'a' + c as u8) as char)
            .collect();
        format!("tx{letters}")
    };
    (0..n)
        .map(|i| Article {
            id: format!("rare-{i:04}"),
            title: format!("tin {}", word(i % 300)),
            body: vec![(0..300)
                .filter(|k| i % (k + 50) == 0)
                .map(word)
                .collect::<Vec<_>>()
                .join(" ")],
            ..Article::default()
        })
        .collect()
}

#[test]
fn a_prefix_over_many_ranges_fetches_only_where_its_most_frequent_words_are() {
    let index = Index::build(many_words_of_one_prefix(900));
    let bundle = write_bundle_with_ranges_of(&index, 96);
    let folded = bundle
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".fold"))
        .count();
    // Two letters: the word is too short for typo corrections, which would look everywhere.
    for text in ["tx", "tin tx"] {
        let request = (text, Filters::default(), Sort::Relevance);
        let mut sharded = bundle.reader().unwrap();
        let (got, _) = fetch_all_needed(&mut sharded, &bundle, &request);
        let got = got.page;
        let want = index.find(
            &index.query(text),
            &page_of(&Filters::default(), Sort::Relevance),
        );
        assert_eq!(got, want, "{text:?}");
        let fetched = bundle
            .files
            .iter()
            .filter(|(n, _)| n.ends_with(".fold") && sharded.has(n))
            .count();
        eprintln!("{text:?}: {fetched} of {folded} folded ranges");
        assert!(
            fetched * 2 < folded,
            "{text:?}: {fetched} of {folded} folded ranges"
        );
    }
}

/// 1,000 articles, 34 words beginning with `tx` (two edits from it, so none is a typo
/// correction): `txbb` in 400, `txcc` in 300, then 32 in 120 each. The expansion of `tx`
/// stops at `txcc` (the postings budget is half the articles), so it weighs `txbb` alone.
fn words_past_the_prefix_budget() -> Vec<Article> {
    let mut words: Vec<(String, usize)> = vec![("txbb".into(), 400), ("txcc".into(), 300)];
    for k in 0..32u8 {
        words.push((
            format!("txd{}{}", (b'a' + k / 8) as char, (b'a' + k % 8) as char),
            120,
        ));
    }
    (0..1000)
        .map(|i| Article {
            id: format!("p-{i:04}"),
            title: "tin".into(),
            body: vec![words
                .iter()
                .filter(|(_, df)| (i * 7 + df) % 1000 < *df)
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ")],
            ..Article::default()
        })
        .collect()
}

/// The word being typed fetches the ranges of the words its expansion weighs, and of the
/// word that stops it there, not the dozens of frequent words a typo correction might
/// have pushed into its place.
#[test]
fn a_prefix_fetches_the_ranges_of_the_words_it_weighs_and_of_the_one_that_stops_it() {
    let index = Index::build(words_past_the_prefix_budget());
    let bundle = write_bundle_with_ranges_of(&index, 64);
    let folded = |n: &String| n.ends_with(".fold");
    assert!(
        bundle.files.iter().filter(|(n, _)| folded(n)).count() > 30,
        "each word has a range of its own"
    );
    for text in ["tx", "tin tx"] {
        let request = (text, Filters::default(), Sort::Relevance);
        let mut sharded = bundle.reader().unwrap();
        let (got, _) = fetch_all_needed(&mut sharded, &bundle, &request);
        let want = index.find(
            &index.query(text),
            &page_of(&Filters::default(), Sort::Relevance),
        );
        assert_eq!(got.page, want, "{text:?}");
        assert_eq!(got.page.total, 400, "{text:?}: `txbb` is weighed, no more");
        let fetched = bundle
            .files
            .iter()
            .filter(|(n, _)| folded(n) && sharded.has(n))
            .count();
        // `tin`, the range `tx` would be in, `txbb` and `txcc`.
        assert!(fetched <= 4, "{text:?}: {fetched} folded ranges fetched");
    }
}

/// [`invented`] articles with rarer words (each in one article of 20 or of 60, so "more
/// like this" finds distinctive ones), some with related teasers: the title of another
/// article (in capitals, marks dropped, as pages print them), or a title found nowhere.
fn invented_with_teasers(n: usize) -> Vec<Article> {
    let rare = [
        "sông",
        "núi",
        "biển",
        "rừng",
        "cầu",
        "chợ",
        "trường",
        "nhà",
        "xe",
        "tàu",
        "máy",
        "bay",
        "điện",
        "nước",
        "lửa",
        "gió",
        "mây",
        "trăng",
        "sao",
        "hoa",
    ];
    let mut articles = invented(n);
    let titles: Vec<String> = articles.iter().map(|a| a.title.clone()).collect();
    for (i, a) in articles.iter_mut().enumerate() {
        // URLs, some absent and one not a link's: each page must show its own.
        a.url = match i % 11 {
            0 => None,
            5 => Some("javascript:alert(1)".to_string()),
            _ => Some(format!("https://bao.example/tin/{i}-{}.htm", i * 7 % 13)),
        };
        a.body.push(format!(
            "{} {} {}",
            rare[i % 20],
            rare[i / 3 % 20],
            rare[i % 20]
        ));
        if i % 3 == 0 {
            let other = &titles[(i * 17 + 5) % n];
            a.related = vec![
                Teaser {
                    title: docbao_engine::text::fold(other).to_uppercase(),
                    summary: None,
                },
                Teaser {
                    title: "Một tin không có trong kho".to_string(),
                    summary: Some("tóm tắt".to_string()),
                },
            ];
        }
    }
    articles
}

/// The article page of `id`, opened from `search` (or not), asked until complete.
fn article_page_until_complete(
    sharded: &mut ShardedIndex,
    bundle: &ShardedBundle,
    id: &str,
    search: Option<&Request>,
) -> (Option<ArticlePage>, usize) {
    let request = search.map(|(_, filters, sort)| page_of(filters, *sort));
    until_complete(sharded, bundle, id, |s| {
        let search = search.map(|(text, ..)| *text).zip(request.as_ref());
        s.article_page(id, search, 5)
    })
}

fn assert_article_pages_equal(name: &str, index: &Index, bundle: &ShardedBundle, every: usize) {
    let outlet = index.articles().first().and_then(|a| a.source.clone());
    let searches = requests(outlet.as_deref().unwrap_or(""));
    let ids: Vec<String> = index
        .articles()
        .iter()
        .step_by(every)
        .map(|a| a.id.clone())
        .collect();
    let mut kept = bundle.reader().unwrap();
    let (mut with_similar, mut with_neighbours, mut with_related) = (0, 0, 0);
    for (k, id) in ids.iter().enumerate() {
        let search = (k % 3 != 0).then(|| &searches[k % searches.len()]);
        let prepared =
            search.map(|(text, filters, sort)| (index.query(text), page_of(filters, *sort)));
        let want = index.article_page(id, prepared.as_ref().map(|(q, r)| (q, r)), 5);
        let mut fresh = bundle.reader().unwrap();
        for (reader, sharded) in [("fresh", &mut fresh), ("one reader", &mut kept)] {
            let (got, rounds) = article_page_until_complete(sharded, bundle, id, search);
            assert_eq!(got, want, "{name}, {reader}: {id} from {search:?}");
            assert!(rounds <= 8, "{name}: {id}: {rounds} rounds");
        }
        let page = want.expect("every id opens");
        with_similar += usize::from(!page.similar.is_empty());
        with_neighbours += usize::from(page.previous.is_some() || page.next.is_some());
        with_related += page.related.iter().filter(|r| r.is_some()).count();
    }
    eprintln!(
        "{name}: {} article pages: {with_similar} with more like this, {with_neighbours} with previous/next, {with_related} related links",
        ids.len()
    );
    assert!(
        with_similar * 2 > ids.len(),
        "{name}: the test must show more like this"
    );
    assert!(
        with_neighbours > 0,
        "{name}: the test must step within a search"
    );
    let mut sharded = bundle.reader().unwrap();
    assert_eq!(
        article_page_until_complete(&mut sharded, bundle, "no-such-id", None).0,
        None
    );
}

#[test]
fn article_pages_equal_the_embedded_index_across_rounds_of_fetching() {
    let index = Index::build(invented_with_teasers(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    assert_article_pages_equal("invented", &index, &bundle, 7);
    let related = index
        .articles()
        .iter()
        .filter_map(|a| index.article_page(&a.id, None, 5))
        .filter(|p| p.related.iter().any(Option::is_some))
        .count();
    assert!(
        related > 50,
        "{related} pages link a teaser into the archive"
    );
}

#[test]
fn article_pages_equal_the_embedded_index_on_a_unc_sample() {
    let Some(mut unc) = common::unc() else { return };
    unc.truncate(400);
    let index = Index::build(unc);
    let bundle = write_bundle_with_ranges_of(&index, 8 << 10);
    assert_article_pages_equal("unc-400", &index, &bundle, 23);
}

#[test]
fn an_article_shows_as_soon_as_its_chunk_is_in_and_its_lists_fill_in_after() {
    let index = Index::build(invented_with_teasers(200));
    let bundle = write_bundle_with_ranges_of(&index, 256);
    let mut sharded = bundle.reader().unwrap();
    let request = page_of(&Filters::default(), Sort::Newest);
    let id = "inv-00099";
    let first = sharded.article_page(id, Some(("", &request)), 5);
    assert_eq!(first.answer, None);
    assert_eq!(first.needs.len(), 1, "the id range: {:?}", first.needs);
    add_needed(&mut sharded, &bundle, &first.needs);
    let second = sharded.article_page(id, Some(("", &request)), 5);
    assert_eq!(second.answer, None);
    // Its chunk with the dictionary it is compressed after, and in the same round its
    // distinctive words (kept apart from the text) and its URL.
    let kinds: Vec<&str> = second
        .needs
        .iter()
        .map(|n| n.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["docs", "dict", "words", "urls"],
        "{:?}",
        second.needs
    );
    add_needed(&mut sharded, &bundle, &second.needs);
    let third = sharded.article_page(id, Some(("", &request)), 5);
    let shown = third.answer.expect("the article, once its chunk is in");
    assert_eq!(&shown.article, index.article(id).unwrap());
    assert!(!third.needs.is_empty(), "its lists need more files");
    let (done, _) = article_page_until_complete(
        &mut sharded,
        &bundle,
        id,
        Some(&("", Filters::default(), Sort::Newest)),
    );
    let done = done.unwrap();
    assert!(!done.similar.is_empty() && done.previous.is_some() && done.next.is_some());
}

/// Once a search's postings are in, its page lists the final hits in their final places
/// (ids, titles and snippets empty until their chunks arrive): the list does not jump.
#[test]
fn a_search_lists_its_hits_in_place_before_their_articles_arrive() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    for text in ["Hà Nội ", "tanh pho ", "giáo dục OR bóng đá ", "t"] {
        let request = page_of(&Filters::default(), Sort::Relevance);
        let mut sharded = bundle.reader().unwrap();
        let mut early = None;
        for _ in 0..16 {
            let Fetched { answer, needs } = sharded.find(text, &request);
            if needs.is_empty() {
                let early: Page = early.expect("the chunks came last, in a round of their own");
                let places = |p: &Page| p.hits.iter().map(|h| (h.doc, h.score)).collect::<Vec<_>>();
                assert_eq!(places(&early), places(&answer.page), "{text:?}");
                assert_eq!(early.total, answer.page.total);
                assert!(
                    early.hits.iter().all(|h| h.id.is_empty()),
                    "{text:?}: fresh chunks"
                );
                break;
            }
            if needs
                .iter()
                .all(|n| n.ends_with(".docs") || n.ends_with(".dict"))
            {
                early = Some(answer.page);
            }
            add_needed(&mut sharded, &bundle, &needs);
        }
    }
}

/// A page showing only its first rows (a list while a query is typed) needs the chunks of
/// those rows' articles only, and shows them whole once those are in, the other hits in
/// their places; asked again for every row, it needs the rest of the chunks, and then
/// answers exactly as the whole index does.
#[test]
fn a_search_showing_its_first_rows_needs_only_their_chunks_until_asked_for_all() {
    let index = Index::build(invented(300));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    for (text, shown) in [("Hà Nội ", 4), ("t", 6), ("giáo dục OR bóng đá ", 1)] {
        let request = page_of(&Filters::default(), Sort::Relevance);
        let want = index.find(&index.query(text), &request);
        assert!(
            want.hits.len() > shown,
            "{text:?}: a page longer than its rows"
        );
        let chunk_of = |doc: u32| doc as usize / DOCS_PER_CHUNK;
        let shown_chunks: std::collections::BTreeSet<usize> =
            want.hits[..shown].iter().map(|h| chunk_of(h.doc)).collect();
        let all_chunks: std::collections::BTreeSet<usize> =
            want.hits.iter().map(|h| chunk_of(h.doc)).collect();
        assert!(
            all_chunks.len() > shown_chunks.len(),
            "{text:?}: more chunks below"
        );

        let mut sharded = bundle.reader().unwrap();
        let mut chunks_read = 0;
        let (first, _) = until_complete(&mut sharded, &bundle, text, |s| {
            let fetched = s.find_first(text, &request, shown);
            chunks_read += fetched
                .needs
                .iter()
                .filter(|n| n.ends_with(".docs"))
                .count();
            fetched
        });
        assert_eq!(
            chunks_read,
            shown_chunks.len(),
            "{text:?}: the shown rows' chunks only"
        );
        let places = |p: &Page| p.hits.iter().map(|h| (h.doc, h.score)).collect::<Vec<_>>();
        assert_eq!(
            places(&first.page),
            places(&want),
            "{text:?}: every hit in its place"
        );
        assert_eq!(
            first.page.hits[..shown],
            want.hits[..shown],
            "{text:?}: the rows shown whole"
        );
        let loaded_below = want.hits[shown..]
            .iter()
            .filter(|h| !shown_chunks.contains(&chunk_of(h.doc)))
            .count();
        let empty_below = first.page.hits[shown..]
            .iter()
            .filter(|h| h.id.is_empty())
            .count();
        assert_eq!(
            empty_below, loaded_below,
            "{text:?}: rows below wait for their chunks"
        );

        let Fetched { needs, .. } = sharded.find(text, &request);
        assert_eq!(
            needs.len(),
            all_chunks.len() - shown_chunks.len(),
            "{text:?}: every row asks for the rest: {needs:?}"
        );
        assert!(needs.iter().all(|n| n.ends_with(".docs")), "{needs:?}");
        let (whole, rounds) =
            until_complete(&mut sharded, &bundle, text, |s| s.find(text, &request));
        assert_eq!(rounds, 1, "{text:?}");
        assert_eq!(whole.page, want, "{text:?}");
    }
}

/// The lexicon (hashes of every folded word, for typo probes) is not read at start-up: a
/// query that probes no typo never fetches it, and the first that does fetches it in the
/// same round as the ranges of its own words, then answers as the whole index does.
#[test]
fn the_lexicon_is_fetched_only_when_a_typo_probe_first_needs_it() {
    let index = Index::build(invented(200));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let is_lexicon = |n: &String| n.ends_with(".lex");
    let none = Filters::default();
    let mut sharded = bundle.reader().unwrap();
    // A phrase's words and a one-letter word are never corrected: nothing to probe.
    for text in ["\"thành phố\"", "t"] {
        let mut rounds = 0;
        loop {
            let needs = sharded.find(text, &page_of(&none, Sort::Relevance)).needs;
            assert!(
                !needs.iter().any(is_lexicon),
                "{text:?} fetched the lexicon: {needs:?}"
            );
            if needs.is_empty() {
                break;
            }
            rounds += 1;
            for n in needs {
                sharded.add_shard(&n, bundle.file(&n).unwrap()).unwrap();
            }
        }
        assert!(rounds > 0, "{text:?} fetched nothing");
    }

    let mut fresh = bundle.reader().unwrap();
    let first = fresh
        .find("tanh pho", &page_of(&none, Sort::Relevance))
        .needs;
    assert!(
        first.iter().any(is_lexicon) && first.iter().any(|n| n.ends_with(".fold")),
        "the lexicon comes beside the words' own ranges: {first:?}"
    );
    let request = ("tanh pho", none.clone(), Sort::Relevance);
    fetch_all_needed(&mut fresh, &bundle, &request);
    let partial = fresh.index();
    let page = page_of(&none, Sort::Relevance);
    assert_eq!(
        partial.find(&partial.query("tanh pho"), &page),
        index.find(&index.query("tanh pho"), &page)
    );
}

/// A word typed with a typo, where 42 words one edit away (`xyzqa`…`xyzqz`,
/// `xyza`…`xyzp`) each fill a range of their own: only the ranges of the 16 most frequent
/// (`MAX_TYPO_CANDIDATES`, by the lexicon's frequency classes) are fetched, not all 42,
/// and the answer is still the whole index's.
#[test]
fn a_typo_fetches_the_ranges_of_its_most_frequent_corrections_only() {
    let corrections: Vec<String> = (b'a'..=b'z')
        .map(|c| format!("xyzq{}", c as char))
        .chain((b'a'..=b'p').map(|c| format!("xyz{}", c as char)))
        .collect();
    // Correction `k` is in 64 + k articles: enough postings to fill a range alone.
    let mut articles = Vec::new();
    for (k, word) in corrections.iter().enumerate() {
        for i in 0..64 + k {
            articles.push(Article {
                id: format!("{word}-{i}"),
                title: format!("tin {word}"),
                ..Article::default()
            });
        }
    }
    let index = Index::build(articles);
    let bundle = write_bundle_with_ranges_of(&index, 64);
    let text = "xyzq ";
    let request = (text, Filters::default(), Sort::Relevance);
    let mut sharded = bundle.reader().unwrap();
    fetch_all_needed(&mut sharded, &bundle, &request);
    let partial = sharded.index();
    let page = page_of(&Filters::default(), Sort::Relevance);
    let got = partial.find(&partial.query(text), &page);
    assert_eq!(got, index.find(&index.query(text), &page));
    assert!(got.total > 0, "the typo is corrected");
    let fetched = bundle
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".fold") && sharded.has(n))
        .count();
    eprintln!("{text:?}: {fetched} folded ranges fetched");
    // The 16 candidates' ranges, and the range where the word as typed would be.
    assert!(
        (8..=16 + 1).contains(&fetched),
        "{fetched} folded ranges fetched for 42 corrections"
    );
}

/// `find_explained` says why each file is needed, as the bench's breakdown counts them:
/// the lexicon and the candidates' ranges for a typo, the word's own range for the word,
/// the chunks of the hits last; and its files are `find`'s.
#[test]
fn each_file_a_search_needs_comes_with_what_asked_for_it() {
    use docbao_engine::search::LookupReason;
    let index = Index::build(invented(200));
    let bundle = write_bundle_with_ranges_of(&index, 512);
    let request = page_of(&Filters::default(), Sort::Relevance);
    let mut sharded = bundle.reader().unwrap();
    let mut seen = Vec::new();
    for _ in 0..16 {
        let plain = sharded.find("tanh pho", &request).needs;
        let (fetched, why) = sharded.find_explained("tanh pho", &request);
        assert_eq!(fetched.needs, plain);
        assert_eq!(fetched.needs.len(), why.len());
        if fetched.needs.is_empty() {
            break;
        }
        for (name, why) in fetched.needs.iter().zip(why) {
            seen.push((name.rsplit('.').next().unwrap().to_string(), why));
        }
        add_needed(&mut sharded, &bundle, &fetched.needs);
    }
    let has = |kind: &str, why: LookupReason| seen.iter().any(|s| s.0 == kind && s.1 == why);
    assert!(has("lex", LookupReason::Typo), "{seen:?}");
    assert!(has("fold", LookupReason::Word), "{seen:?}");
    assert!(has("docs", LookupReason::Hits), "{seen:?}");
    assert!(has("dict", LookupReason::Hits), "{seen:?}");
    assert!(
        seen.iter()
            .all(|s| (s.0 == "docs" || s.0 == "dict") == (s.1 == LookupReason::Hits)),
        "only the hits' chunks (and their dictionary) are fetched for the hits: {seen:?}"
    );
}

/// Two words files of the same content share one name (content-addressed): the reader
/// must put that one file in every place the directory lists it, or an article of the
/// earlier place asks for it forever.
#[test]
fn words_files_of_the_same_content_open_every_article_they_serve() {
    let first = invented(DOCS_PER_WORDS_FILE);
    let copy = first.iter().map(|a| Article {
        id: format!("copy-{}", a.id),
        ..a.clone()
    });
    let index = Index::build(first.iter().cloned().chain(copy).collect());
    let bundle = write_bundle(&index);
    let words: std::collections::BTreeSet<&String> = bundle
        .files
        .iter()
        .map(|(name, _)| name)
        .filter(|n| n.ends_with(".words"))
        .collect();
    assert_eq!(
        words.len(),
        1,
        "the two places hold the same words: {words:?}"
    );
    for id in ["inv-00000", "copy-inv-00000", "inv-00063", "copy-inv-00063"] {
        let mut sharded = bundle.reader().unwrap();
        let want = index.article_page(id, None, 5);
        let (got, rounds) = article_page_until_complete(&mut sharded, &bundle, id, None);
        assert_eq!(got, want, "{id}");
        assert!(got.is_some() && rounds <= 4, "{id}: {rounds} rounds");
    }
}
