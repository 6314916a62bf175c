//! The sharded layout: a reader given the root and the files it asks for answers exactly
//! as the whole index does; files are deterministic, named by content, and damage is an
//! error, never a panic.

mod common;

use common::search::seed_index;
use docbao_engine::facets::{Filters, Sort};
use docbao_engine::shard::{write_bundle_with_ranges_of, ShardedBundle, ShardedIndex};
use docbao_engine::{Article, Index};

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

/// Feeds the reader what it asks for until it asks for nothing; returns the rounds.
fn fetch_all_needed(
    sharded: &mut ShardedIndex,
    bundle: &ShardedBundle,
    (text, filters, sort): &Request,
) -> usize {
    for round in 0..16 {
        let needs = sharded.needs(text, filters, *sort, 0, 10);
        if needs.is_empty() {
            return round;
        }
        for name in needs {
            let bytes = bundle.file(&name).expect("needs names files of the bundle");
            sharded.add_shard(&name, bytes).unwrap();
        }
    }
    panic!("{text:?}: still needs files after 16 rounds");
}

/// Every request, from a fresh reader each time, answered as the whole index answers it.
fn assert_sharded_answers_equal(name: &str, index: &Index, bundle: &ShardedBundle) {
    let outlet = index.articles().first().and_then(|a| a.source.clone());
    for request in requests(outlet.as_deref().unwrap_or("")) {
        let (text, filters, sort) = &request;
        let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
        let rounds = fetch_all_needed(&mut sharded, bundle, &request);
        let partial = sharded.index();
        let got = partial.find(&partial.query(text), &page_of(filters, *sort));
        let want = index.find(&index.query(text), &page_of(filters, *sort));
        assert_eq!(got, want, "{name}: {text:?} {filters:?} {sort:?}");
        let loaded = bundle.files.iter().filter(|(n, _)| sharded.has(n)).count();
        eprintln!(
            "{name}: {text:?}: {} hits of {}, {rounds} round(s), {loaded} of {} files",
            got.hits.len(),
            got.total,
            bundle.files.len()
        );
    }
    // One reader across every request, as a reader's tab keeps it: files added for one
    // query are patched into the index the next one searches.
    let mut kept = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
    for request in requests(outlet.as_deref().unwrap_or("")) {
        let (text, filters, sort) = &request;
        fetch_all_needed(&mut kept, bundle, &request);
        let partial = kept.index();
        let got = partial.find(&partial.query(text), &page_of(filters, *sort));
        let want = index.find(&index.query(text), &page_of(filters, *sort));
        assert_eq!(
            got, want,
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
fn sharded_answers_equal_the_embedded_index_on_a_unc_sample() {
    let Some(mut unc) = common::unc() else { return };
    unc.truncate(600);
    let index = Index::build(unc);
    let bundle = write_bundle_with_ranges_of(&index, 8 << 10);
    assert_sharded_answers_equal("unc-600", &index, &bundle);
}

#[test]
fn an_article_opens_from_its_id_range_and_chunk() {
    let index = Index::build(invented(100));
    let bundle = write_bundle_with_ranges_of(&index, 128);
    let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
    for round in 0.. {
        let needs = sharded.needs_article("inv-00042");
        if needs.is_empty() {
            assert_eq!(round, 2, "the id range, then the chunk");
            break;
        }
        for name in needs {
            sharded
                .add_shard(&name, bundle.file(&name).unwrap())
                .unwrap();
        }
    }
    assert_eq!(
        sharded.index().article("inv-00042"),
        index.article("inv-00042")
    );
    assert!(sharded.needs_article("no-such-id").len() <= 1);
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
}

#[test]
fn adding_one_percent_more_articles_keeps_most_file_names() {
    let before = write_bundle_with_ranges_of(&Index::build(invented(1000)), 1024);
    let after = write_bundle_with_ranges_of(&Index::build(invented(1010)), 1024);
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
    // Every chunk of the first 1000 articles is unchanged, and they are most files.
    let old_chunks = before
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".docs"))
        .count();
    assert!(kept_files >= old_chunks, "{kept_files} < {old_chunks}");
    assert!(kept_files * 2 > after.files.len());
}

#[test]
fn the_root_says_what_downloading_the_whole_archive_costs() {
    let bundle = write_bundle_with_ranges_of(&Index::build(invented(120)), 512);
    let sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
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
    let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
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
        let is_root = name.ends_with(".root");
        let mut body = if is_root {
            payload.clone()
        } else {
            original.clone()
        };
        let start = if is_root { 0 } else { HEADER };
        for _ in 0..1 + rng.below(4) {
            let at = start + rng.below(body.len() - start);
            match rng.below(3) {
                0 => body[at] ^= 1 << rng.below(8),
                1 => body[at] = rng.next() as u8,
                _ => body.truncate(at.max(start + 1)),
            }
        }
        let (root_bytes, file) = if is_root {
            let mut r = root_with(&root, &body);
            if !crafted {
                r[HEADER] ^= 0xff;
            }
            (r, None)
        } else if crafted {
            reseal(&mut body);
            let kind = docbao_engine::shard::FileKind::ALL_STORED
                .into_iter()
                .find(|k| name.ends_with(k.extension()))
                .unwrap();
            let new_name = docbao_engine::shard::name_of(kind, &body);
            // Names have one length: the root names the crafted file in its place.
            let renamed = String::from_utf8_lossy(&payload)
                .contains(name.as_str())
                .then(|| {
                    let mut p = payload.clone();
                    let at = p
                        .windows(name.len())
                        .position(|w| w == name.as_bytes())
                        .unwrap();
                    p[at..at + name.len()].copy_from_slice(new_name.as_bytes());
                    p
                })
                .unwrap();
            (root_with(&root, &renamed), Some((new_name, body)))
        } else {
            (root.clone(), Some((name.clone(), body)))
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut sharded = match ShardedIndex::from_root(&root_bytes) {
                Ok(s) => s,
                Err(e) => return Err(e),
            };
            if let Some((n, b)) = &file {
                sharded.add_shard(n, b)?;
            }
            for text in ["thành phố ", "tanh pho ", "\"hà nội\" ", "t"] {
                for _ in 0..4 {
                    let needs = sharded.needs(text, &Filters::default(), Sort::Newest, 0, 10);
                    for n in needs {
                        if let Some(b) = bundle.file(&n) {
                            let _ = sharded.add_shard(&n, b);
                        }
                    }
                }
                let partial = sharded.index();
                partial.find(
                    &partial.query(text),
                    &page_of(&Filters::default(), Sort::Newest),
                );
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
        let mut sharded = ShardedIndex::from_root(bundle.root_bytes()).unwrap();
        fetch_all_needed(&mut sharded, &bundle, &request);
        let partial = sharded.index();
        let got = partial.find(
            &partial.query(text),
            &page_of(&Filters::default(), Sort::Relevance),
        );
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
