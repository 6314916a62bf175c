//! The sharded layout at scale: build time, the root's size, how many files of what size,
//! and what a search fetches, first from a fresh reader and then warm.
//!
//! `cargo bench -p docbao-engine --features jsonl,gz --bench shards [-- CORPUS]`, CORPUS
//! a `.jsonl(.gz)` file (default `../shared/corpora/vietnews-train.jsonl.gz`). Sizes are
//! brotli (quality 9) of each file, as a CDN would send it; stored-article chunks are
//! DEFLATE already and counted as they are. Figures are printed, not asserted.
//! `-- --one-reader` prints only the build and one reader's memory and time across the
//! whole query mix. `DOCBAO_PLAN=target/bench/<name>-sharded/plan.json` makes that one
//! reader type the browser bench's queries instead, with the app's page of 20 results, so
//! the engine's native time compares with the wasm's `docbao:find` (without facet counts,
//! as the app types; `DOCBAO_COUNT_FACETS=1` counts them on every keystroke), asking
//! with `Request::typing` for the first `DOCBAO_ROWS` (8) hits only and their chunks, as
//! the app does while typing (`SearchState::request_shown`), then at each query's end for
//! its whole page as the pause does; it prints files and rounds while typing and at the pauses, by kind and reason
//! (`DOCBAO_TYPING=0` asks without the typing rules; `DOCBAO_EACH_KEYSTROKE=1` prints each
//! keystroke's rounds, files and bytes by reason).
//! `DOCBAO_DOCS_PER_CHUNK=N` writes chunks of N articles, `DOCBAO_LOOKUP_RANGE_BYTES=N` cuts
//! exact and pair ranges near N bytes, `DOCBAO_PAGE=N` shows pages of N
//! hits, `DOCBAO_HEAD_PASSAGES=N` estimates chunks of heads (the first N paragraphs) with
//! the whole article fetched only for snippets further down.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use docbao_engine::facets::{Filters, Sort};
use docbao_engine::ingest::Ingester;
use docbao_engine::search::LookupReason;
use docbao_engine::shard::{write_bundle_with_targets, RangeTargets, ShardedIndex, DOCS_PER_CHUNK};
use docbao_engine::{Index, Request};

/// Queries as readers type them, letter by letter.
const QUERIES: &[&str] = &[
    "giá vàng",
    "bão số 3",
    "Hà Nội",
    "tai nạn giao thông",
    "gia xang",
    "thur tuongs",
    "hocj sinh",
    "thanh pho ho chi minh",
    "\"đội tuyển Việt Nam\"",
    "covid -vaccine",
];

/// The app's page of results (`src/route.rs`, `PAGE_SIZE`), used with `DOCBAO_PLAN`.
const APP_PAGE: usize = 20;
/// The rows the browser bench's viewport (1280×900) shows while a query is typed: the
/// only hits the app then asks for, and whose chunks it fetches (`rows_to_fill` in
/// `src/pages/search.rs`: 8 rows below a list top of ~230 px at 16 px text).
const APP_ROWS_SHOWN: usize = 8;

/// The queries one reader types: the browser bench's plan (`DOCBAO_PLAN`), else [`QUERIES`].
fn one_reader_queries() -> Vec<String> {
    let Some(plan) = std::env::var_os("DOCBAO_PLAN") else {
        return QUERIES.iter().map(|q| q.to_string()).collect();
    };
    let text = std::fs::read_to_string(&plan).expect("DOCBAO_PLAN reads");
    let plan: serde_json::Value = serde_json::from_str(&text).expect("DOCBAO_PLAN is JSON");
    plan["queries"]
        .as_array()
        .expect("the plan has queries")
        .iter()
        .map(|q| q["q"].as_str().expect("a query's text").to_string())
        .collect()
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1e3)
}

fn main() {
    if let Some(dir) = std::env::var_os("DOCBAO_SHARDS_DIR") {
        return one_reader_from(std::path::Path::new(&dir));
    }
    let Some((path, file)) = common::corpus("vietnews-train.jsonl.gz") else {
        return;
    };
    let started = Instant::now();
    // DOCBAO_SHARDS_CACHE=DIR keeps the articles read and every file's brotli size there
    // (files are named by content, so a size never goes stale): a re-run after a change
    // to the reader or the file layout skips reading the corpus. The index is built again
    // each time: writing the files needs an index built, not one loaded.
    let cache = std::env::var_os("DOCBAO_SHARDS_CACHE").map(std::path::PathBuf::from);
    let cached: Option<Vec<docbao_engine::Article>> = cache.as_ref().and_then(|dir| {
        let bytes = std::fs::read(dir.join("articles.postcard")).ok()?;
        Some(postcard::from_bytes(&bytes).expect("the cached articles decode"))
    });
    let (articles, summary) = match cached {
        Some(articles) => (articles, "articles from the cache".to_string()),
        None => {
            let mut ingester = Ingester::new();
            ingester.add_reader(&path.display().to_string(), file);
            let (articles, report) = ingester.finish();
            if let Some(dir) = &cache {
                std::fs::create_dir_all(dir).expect("cache folder");
                let bytes = postcard::to_allocvec(&articles).expect("articles serialize");
                std::fs::write(dir.join("articles.postcard"), bytes).expect("cache written");
            }
            (articles, report.summary())
        }
    };
    let index = Index::build(articles);
    let built = started.elapsed().as_secs_f64();
    // DOCBAO_DOCS_PER_CHUNK=N: chunks of N articles rather than DOCS_PER_CHUNK, to
    // measure what a chunk size costs.
    let docs_per_chunk = std::env::var("DOCBAO_DOCS_PER_CHUNK")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DOCS_PER_CHUNK);
    // DOCBAO_LOOKUP_RANGE_BYTES=N: exact and pair ranges cut near N bytes instead;
    // DOCBAO_{FOLD,EXACT,PAIR,REVERSE}_RANGE_BYTES=N: that kind's alone.
    let mut targets = RangeTargets::of(&index);
    let knob = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
    };
    if let Some(bytes) = knob("DOCBAO_LOOKUP_RANGE_BYTES") {
        (targets.exact, targets.pairs) = (bytes, bytes);
    }
    for (name, target) in [
        ("DOCBAO_FOLD_RANGE_BYTES", &mut targets.folded),
        ("DOCBAO_EXACT_RANGE_BYTES", &mut targets.exact),
        ("DOCBAO_PAIR_RANGE_BYTES", &mut targets.pairs),
        ("DOCBAO_REVERSE_RANGE_BYTES", &mut targets.reverse),
    ] {
        if let Some(bytes) = knob(name) {
            *target = bytes;
        }
    }
    let bundle = write_bundle_with_targets(&index, targets, docs_per_chunk);
    let totals = RangeTargets::totals(&index);
    let written = started.elapsed().as_secs_f64();
    println!(
        "corpus: {} ({summary}); {docs_per_chunk} articles per chunk",
        path.display()
    );
    println!(
        "build: corpus read (or the articles decoded) and indexed {built:.1} s, sharded files {:.1} s",
        written - built
    );
    println!(
        "ranges cut near (kind: target of its total bytes): folded {} of {}, exact {} of {}, \
         pairs {} of {}, reverse pair counts {}, ids {} of {}",
        kb(targets.folded),
        kb(totals.folded),
        kb(targets.exact),
        kb(totals.exact),
        kb(targets.pairs),
        kb(totals.pairs),
        kb(targets.reverse),
        kb(targets.ids),
        kb(totals.ids)
    );

    // Sizes as sent: brotli of everything but the already deflated chunks and root.
    let sizes_file = cache.as_ref().map(|dir| dir.join("brotli-sizes.txt"));
    let mut known: HashMap<String, usize> = sizes_file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (name, size) = l.split_once(' ')?;
            Some((name.to_string(), size.parse().ok()?))
        })
        .collect();
    let mut sent: HashMap<&str, usize> = HashMap::new();
    let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
    for (name, bytes) in &bundle.files {
        let kind = name.rsplit('.').next().unwrap_or("");
        let size = match kind {
            "docs" | "head" | "root" => bytes.len(),
            _ => *known
                .entry(name.clone())
                .or_insert_with(|| common::brotli_len(bytes, 9)),
        };
        sent.insert(name, size);
        by_kind.entry(kind).or_default().push(size);
    }
    SENT.with(|s| {
        let mut s = s.borrow_mut();
        s.extend(sent.iter().map(|(n, size)| (n.to_string(), *size)));
    });
    if let Some(f) = &sizes_file {
        let lines: String = known.iter().map(|(n, s)| format!("{n} {s}\n")).collect();
        std::fs::write(f, lines).expect("cache written");
    }
    let root_raw =
        miniz_oxide::inflate::decompress_to_vec(&bundle.root_bytes()[20..]).expect("root inflates");
    println!(
        "root: {} as stored (DEFLATE), {} brotli of its {} payload",
        kb(bundle.root_bytes().len()),
        kb(common::brotli_len(&root_raw, 9)),
        kb(root_raw.len())
    );
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (kind, mut sizes) in kinds {
        sizes.sort_unstable();
        println!(
            "{kind:>5}: {:>6} files, median {}, max {}, total {}",
            sizes.len(),
            kb(sizes[sizes.len() / 2]),
            kb(*sizes.last().unwrap()),
            kb(sizes.iter().sum())
        );
    }

    let root = bundle.root_bytes();
    let files: HashMap<&str, &[u8]> = bundle
        .files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let request = Request {
        filters: Filters::default(),
        sort: Sort::Relevance,
        offset: 0,
        limit: 10,
        count_facets: true,
        typing: false,
    };
    one_reader(root, &files, &request);
    if std::env::args().any(|a| a == "--one-reader") {
        return;
    }
    println!("\nper query, a fresh reader (the root in memory; the lexicon fetched when a typo probe first needs it), typed letter by letter:");
    println!("query | keystrokes | files | sent (fold/exct/pair/docs) | most in one keystroke | rounds max | ms per keystroke (max) | warm ms (max)");
    let (mut every_keystroke, mut first_keystrokes) = (Vec::new(), Vec::new());
    let mut mix = Mix::default();
    let mut warm_keystrokes = Vec::new();
    let mut opened = Vec::new();
    for q in QUERIES {
        let mut sharded = reader_of(root, &files);
        let (mut total_files, mut total_bytes, mut max_bytes, mut max_rounds) = (0, 0, 0, 0);
        let mut kind_bytes: HashMap<String, usize> = HashMap::new();
        let mut slowest = 0f64;
        let typed: Vec<String> = (1..=q.chars().count())
            .map(|n| q.chars().take(n).collect())
            .collect();
        for text in &typed {
            let t = Instant::now();
            let mut keystroke_bytes = 0;
            let mut keystroke_files = 0;
            for round in 1.. {
                let (fetched, why) = sharded.find_explained(text, &request);
                if fetched.needs.is_empty() {
                    max_rounds = max_rounds.max(round - 1);
                    mix.rounds.push(round - 1);
                    break;
                }
                for (name, why) in fetched.needs.into_iter().zip(why) {
                    sharded
                        .add_shard(&name, files[name.as_str()])
                        .expect("file adds");
                    total_files += 1;
                    keystroke_files += 1;
                    let size = sent[name.as_str()];
                    keystroke_bytes += size;
                    let kind = name.rsplit('.').next().unwrap_or("").to_string();
                    *kind_bytes.entry(kind.clone()).or_default() += size;
                    let r = mix.by_reason.entry((why, kind.clone())).or_default();
                    r.0 += 1;
                    r.1 += size;
                    mix.largest.push((size, kind, why, text.clone()));
                }
            }
            mix.files.push(keystroke_files);
            slowest = slowest.max(t.elapsed().as_secs_f64() * 1e3);
            if text == &typed[0] {
                first_keystrokes.push(keystroke_bytes);
            }
            every_keystroke.push((keystroke_bytes, text.clone()));
            total_bytes += keystroke_bytes;
            max_bytes = max_bytes.max(keystroke_bytes);
        }
        // Every keystroke again, its files in memory: one call each, as the app makes it.
        let mut warm = 0f64;
        for text in &typed {
            let t = Instant::now();
            let fetched = sharded.find(text, &request);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            assert!(fetched.needs.is_empty(), "{text:?}: its files are in");
            warm_keystrokes.push(ms);
            warm = warm.max(ms);
        }
        let page = sharded.find(q, &request).answer.page;
        let want = index.find(&index.query(q), &request);
        assert_eq!(page, want, "{q:?}: the sharded answer differs");
        // Its first results opened, as a reader clicks them: previous/next within the
        // search, more like this, related.
        for hit in want.hits.iter().take(3) {
            opened.push(open_article(
                &mut sharded,
                &files,
                &sent,
                &hit.id,
                q,
                &request,
            ));
            let want_page = index.article_page(&hit.id, Some((&index.query(q), &request)), SIMILAR);
            let got = sharded.article_page(&hit.id, Some((q, &request)), SIMILAR);
            assert_eq!(
                got.answer, want_page,
                "{}: the sharded article page differs",
                hit.id
            );
        }
        let part = |k: &str| kind_bytes.get(k).copied().unwrap_or(0) / 1000;
        println!(
            "{q} | {} | {total_files} | {} ({}/{}/{}/{}) | {} | {max_rounds} | {slowest:.0} | {warm:.1}",
            typed.len(),
            kb(total_bytes),
            part("fold"),
            part("exct"),
            part("pair"),
            part("docs"),
            kb(max_bytes)
        );
    }
    every_keystroke.sort();
    let p95 = every_keystroke[every_keystroke.len() * 95 / 100].0;
    let (max, at) = every_keystroke.last().expect("queries were typed");
    println!(
        "\nbytes sent per keystroke over these {} keystrokes: p95 {}, max {} (at {at:?}); \
         a fresh reader's first keystroke: up to {}; before it, the root: {}",
        every_keystroke.len(),
        kb(p95),
        kb(*max),
        kb(first_keystrokes.iter().copied().max().unwrap_or(0)),
        kb(bundle.root_bytes().len())
    );
    mix.print(&every_keystroke);
    warm_keystrokes.sort_by(f64::total_cmp);
    println!(
        "\nwarm keystrokes (one find per keystroke, its files in memory): {} calls, p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        warm_keystrokes.len(),
        percentile(&warm_keystrokes, 0.5),
        percentile(&warm_keystrokes, 0.95),
        warm_keystrokes.last().copied().unwrap_or(0.0)
    );
    println!(
        "\nan article opened from the results (the search's files in memory), rounds of fetching:"
    );
    println!("article | rounds to the text | sent to the text | ms of calls to the text | rounds to complete | files | sent | ms of calls in all | warm ms");
    for o in &opened {
        println!(
            "{} | {} | {} | {:.1} | {} | {} | {} | {:.1} | {:.2}",
            o.id,
            o.rounds_to_text,
            kb(o.bytes_to_text),
            o.ms_to_text,
            o.rounds,
            o.files,
            kb(o.bytes),
            o.ms,
            o.warm_ms
        );
    }
    let mut warm: Vec<f64> = opened.iter().map(|o| o.warm_ms).collect();
    warm.sort_by(f64::total_cmp);
    let mut to_text: Vec<f64> = opened.iter().map(|o| o.ms_to_text).collect();
    to_text.sort_by(f64::total_cmp);
    println!(
        "{} articles: calls until the text shows p95 {:.1} ms; a complete page, warm, p50 {:.2} ms, p95 {:.2} ms",
        opened.len(),
        percentile(&to_text, 0.95),
        percentile(&warm, 0.5),
        percentile(&warm, 0.95)
    );
}

/// The whole query mix typed, letter by letter, into one reader that keeps its files (as
/// the app's does across queries): the bytes it then holds and, per keystroke, the time
/// spent adding files (decoding them and bringing the index up to date) and searching.
/// A reader with the root and the directory in: what the app holds once its first page is
/// shown (it fetches the directory then, before any search).
fn reader_of(root: &[u8], files: &HashMap<&str, &[u8]>) -> ShardedIndex {
    let mut sharded = ShardedIndex::from_root(root).expect("root reads");
    if let Some(name) = sharded.directory_wanted().map(str::to_string) {
        sharded
            .add_shard(&name, files[name.as_str()])
            .expect("directory reads");
    }
    sharded
}

fn one_reader(root: &[u8], files: &HashMap<&str, &[u8]>, request: &Request) {
    let queries = one_reader_queries();
    let plan = std::env::var_os("DOCBAO_PLAN").is_some();
    let request = &Request {
        // DOCBAO_PAGE=N: pages of N hits instead (what fetching fewer rows would save).
        limit: if let Some(n) = std::env::var("DOCBAO_PAGE")
            .ok()
            .and_then(|n| n.parse().ok())
        {
            n
        } else if plan {
            APP_PAGE
        } else {
            request.limit
        },
        count_facets: !plan || std::env::var("DOCBAO_COUNT_FACETS").is_ok_and(|v| v == "1"),
        // As the app types (`src/pages/search.rs`): DOCBAO_TYPING=0 asks as a paused
        // search does (the engine before typing rules, for a pair in one binary).
        typing: plan && !std::env::var("DOCBAO_TYPING").is_ok_and(|v| v == "0"),
        ..request.clone()
    };
    // While typing, the app asks for the chunks of the rows a viewport shows only
    // (`find_first`); DOCBAO_ROWS=N says how many (the bench's 1280×900 page shows 8).
    let rows: usize = if plan {
        std::env::var("DOCBAO_ROWS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(APP_ROWS_SHOWN)
    } else {
        usize::MAX
    };
    // The pause (the URL write) asks again for the whole page, with facets, untyped.
    let paused = Request {
        count_facets: true,
        typing: false,
        ..request.clone()
    };
    // While typing, the app asks for the rows shown only (`SearchState::request_shown`):
    // the other hits' snippets are not worked out.
    let request = &Request {
        limit: request.limit.min(rows),
        ..request.clone()
    };
    let each = std::env::var_os("DOCBAO_EACH_KEYSTROKE").is_some();
    if each {
        println!("\nper keystroke (as typed; then the pause): text | rounds | files | bytes as stored, by reason");
    }
    let rss_before = proc_status("VmRSS:");
    let mut sharded = reader_of(root, files);
    let (mut adding, mut searching) = (Vec::new(), Vec::new());
    let mut typed = Fetching::default();
    let mut at_pause = Fetching::default();
    // Each hit shown, once its page is whole: (doc, which passage its snippet is from).
    let mut shown: Vec<(u32, Option<usize>)> = Vec::new();
    for q in &queries {
        for n in 1..=q.chars().count() {
            let text: String = q.chars().take(n).collect();
            let (page, add_ms, search_ms) =
                typed.until_complete(&mut sharded, files, &text, request, rows, each);
            let index = sharded.index();
            for hit in &page.hits {
                let article = index.articles().get(hit.doc as usize).expect("a hit");
                shown.push((hit.doc, snippet_passage(article, &hit.snippet.text)));
            }
            adding.push(add_ms);
            searching.push(search_ms);
        }
        if plan {
            at_pause.until_complete(&mut sharded, files, q, &paused, usize::MAX, each);
        }
    }
    let (added, added_bytes) = (typed.files + at_pause.files, typed.bytes + at_pause.bytes);
    let fresh = ShardedIndex::from_root(root).expect("root reads");
    let dir_name = fresh.directory_wanted().expect("a directory").to_string();
    let root_and_dir = root.len() + sent_len(&dir_name, files[dir_name.as_str()]);
    let added_sent = typed.sent + at_pause.sent;
    typed.print("while typing");
    if plan {
        at_pause.print("at each query's pause (its whole page, facets, untyped)");
    }
    let summary = |ms: &mut Vec<f64>| {
        let total: f64 = ms.iter().sum();
        ms.sort_by(f64::total_cmp);
        format!(
            "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, total {:.0} ms",
            percentile(ms, 0.5),
            percentile(ms, 0.95),
            ms.last().copied().unwrap_or(0.0),
            total
        )
    };
    println!(
        "\none reader, the {} queries typed letter by letter ({} keystrokes), its files kept:",
        queries.len(),
        adding.len()
    );
    println!(
        "  files added: {added}, {:.1} MB as stored; the reader holds {:.1} MB \
         (ShardedIndex::memory_bytes)",
        added_bytes as f64 / 1e6,
        sharded.memory_bytes() as f64 / 1e6
    );
    println!(
        "  as sent: files added {}, root and directory {}, in all {} (the app's files aside)",
        kb(added_sent),
        kb(root_and_dir),
        kb(added_sent + root_and_dir)
    );
    if std::env::var_os("DOCBAO_HEAD_PASSAGES").is_some() {
        head_and_body_estimate(&mut sharded, &shown);
    }
    println!("  per keystroke, adding files: {}", summary(&mut adding));
    println!("  per keystroke, searching:    {}", summary(&mut searching));
    // Typed again, every file in: what a keystroke costs once the shards are in memory.
    // DOCBAO_WARM_ROUNDS=N types it N times (for a profiler), timing every keystroke.
    let rounds: usize = std::env::var("DOCBAO_WARM_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let (mut warm, mut warm_cpu, mut slowest) = (Vec::new(), Vec::new(), Vec::new());
    // DOCBAO_WARM_ONLY=TEXT types again only the queries holding TEXT (for a profiler).
    let only = std::env::var("DOCBAO_WARM_ONLY").unwrap_or_default();
    for _ in 0..rounds {
        for q in queries.iter().filter(|q| q.contains(only.as_str())) {
            // Each query as if typed for the first time: only its own earlier keystrokes'
            // expansions are kept.
            sharded.index().forget_kept_expansions();
            for n in 1..=q.chars().count() {
                let text: String = q.chars().take(n).collect();
                let (t, cpu) = (Instant::now(), thread_cpu_ms());
                let needs = sharded.find_first(&text, request, rows).needs;
                warm_cpu.push(thread_cpu_ms() - cpu);
                slowest.push((warm_cpu[warm_cpu.len() - 1], text.clone()));
                warm.push(t.elapsed().as_secs_f64() * 1e3);
                assert!(needs.is_empty(), "{text:?} needs files typed again");
            }
        }
    }
    println!("  typed again, its files in:   {}", summary(&mut warm));
    // CPU time is less skewed than wall time when other processes share the cores.
    println!(
        "    the same, this thread's CPU: {}",
        summary(&mut warm_cpu)
    );
    // DOCBAO_WARM_SPLIT=1: where a warm keystroke's CPU time goes, summed over the mix
    // typed once more: preparing the query (parse, Telex, typos, prefixes), matching with
    // facet counts (a page of no hits), and the page of hits with its snippets.
    if std::env::var_os("DOCBAO_WARM_SPLIT").is_some() {
        let (mut prepare, mut matching, mut page) = (0f64, 0f64, 0f64);
        let none = Request {
            limit: 0,
            ..request.clone()
        };
        let index = sharded.index();
        for _ in 0..rounds {
            for q in queries.iter().filter(|q| q.contains(only.as_str())) {
                index.forget_kept_expansions();
                for n in 1..=q.chars().count() {
                    let text: String = q.chars().take(n).collect();
                    let t = thread_cpu_ms();
                    let query = index.query_as(&text, request.typing);
                    let t1 = thread_cpu_ms();
                    std::hint::black_box(index.find(&query, &none));
                    let t2 = thread_cpu_ms();
                    std::hint::black_box(index.find(&query, request));
                    let t3 = thread_cpu_ms();
                    prepare += t1 - t;
                    matching += t2 - t1;
                    page += (t3 - t2) - (t2 - t1);
                }
            }
        }
        println!(
            "    split, CPU ms over the mix: preparing {prepare:.0}, matching and facets \
             {matching:.0}, the page's hits and snippets {page:.0}"
        );
    }
    if std::env::var_os("DOCBAO_WARM_EACH").is_some() {
        for (ms, text) in &slowest {
            println!("    {ms:.2} {text:?}");
        }
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    slowest.dedup_by(|a, b| a.1 == b.1);
    let slowest: Vec<String> = slowest
        .iter()
        .take(8)
        .map(|(ms, text)| format!("{text:?} {ms:.1}"))
        .collect();
    println!("    the slowest (CPU ms): {}", slowest.join(", "));
    println!(
        "  process RSS: {} before the reader, {} after; peak {} (the build's)",
        rss_before,
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );
    let uptime = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("  load average: {}", uptime.trim());
}

/// Which passage of `article` a snippet is cut from: 0 the lead (or the title, when
/// the snippet is there), 1 + i body paragraph i; `None` if none holds it.
fn snippet_passage(article: &docbao_engine::Article, snippet: &str) -> Option<usize> {
    let cut = snippet.trim_start_matches('…').trim_end_matches('…');
    if article.lead.as_deref().is_some_and(|l| l.contains(cut)) || article.title.contains(cut) {
        return Some(0);
    }
    article
        .body
        .iter()
        .position(|p| p.contains(cut))
        .map(|i| 1 + i)
}

/// A design measured, not built (with `DOCBAO_HEAD_PASSAGES=N`): chunks of "heads" (an
/// article without the body's paragraphs past the first N) for the results list,
/// the whole article only where a hit's snippet is further down. Prints the chunks of
/// heads the hits shown read and the whole chunks their snippets would still need,
/// against the whole chunks read today (each DEFLATE as today's chunks, 8 articles).
fn head_and_body_estimate(sharded: &mut ShardedIndex, shown: &[(u32, Option<usize>)]) {
    let keep: usize = std::env::var("DOCBAO_HEAD_PASSAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2);
    // Also what storing chunks raw would send, the host's brotli compressing them.
    let per = DOCS_PER_CHUNK as u32;
    let articles = sharded.index().articles();
    let packed = |docs: std::ops::Range<usize>, head_only: bool| {
        let list: Vec<docbao_engine::Article> = docs
            .filter_map(|d| articles.get(d).cloned())
            .map(|mut a| {
                if head_only {
                    a.body.truncate(keep);
                }
                a
            })
            .collect();
        let raw = postcard::to_allocvec(&list).expect("articles serialize");
        miniz_oxide::deflate::compress_to_vec(&raw, 6).len()
    };
    let chunks: std::collections::BTreeSet<u32> = shown.iter().map(|(d, _)| d / per).collect();
    let deep: std::collections::BTreeSet<u32> = shown
        .iter()
        .filter(|(_, at)| at.is_none_or(|at| at > keep))
        .map(|(d, _)| d / per)
        .collect();
    let range = |c: u32| (c * per) as usize..((c + 1) * per) as usize;
    let brotli_raw: usize = chunks
        .iter()
        .map(|&c| {
            let list: Vec<docbao_engine::Article> =
                range(c).filter_map(|d| articles.get(d).cloned()).collect();
            common::brotli_len(&postcard::to_allocvec(&list).expect("serializes"), 11)
        })
        .sum();
    println!(
        "  the chunks read, stored raw and sent brotli (11): {}",
        kb(brotli_raw)
    );
    let whole: usize = chunks.iter().map(|&c| packed(range(c), false)).sum();
    let heads: usize = chunks.iter().map(|&c| packed(range(c), true)).sum();
    let bodies: usize = deep.iter().map(|&c| packed(range(c), false)).sum();
    let deep_docs: std::collections::BTreeSet<u32> = shown
        .iter()
        .filter(|(_, at)| at.is_none_or(|at| at > keep))
        .map(|(d, _)| *d)
        .collect();
    let alone: usize = deep_docs
        .iter()
        .map(|&d| packed(d as usize..d as usize + 1, false))
        .sum();
    let deep_hits = shown
        .iter()
        .filter(|(_, at)| at.is_none_or(|at| at > keep))
        .count();
    println!(
        "  heads of {keep} passages (estimate): {} hits shown, {deep_hits} with their snippet \
         further down; chunks read {} ({}), as heads {} + the whole chunks of those \
         snippets {} ({}) = {}; or those {} articles alone ({}): {}",
        shown.len(),
        chunks.len(),
        kb(whole),
        kb(heads),
        deep.len(),
        kb(bodies),
        kb(heads + bodies),
        deep_docs.len(),
        kb(alone),
        kb(heads + alone)
    );
}

/// `DOCBAO_SHARDS_DIR=DIR`: [`one_reader`] over the files `docbao build --layout sharded
/// --out DIR` wrote, with no index built (seconds, not minutes, per run of a change to
/// the reader or the search).
fn one_reader_from(dir: &std::path::Path) {
    // `docbao build` names the root in docbao-root.txt; an app's `dist/archive` (whose
    // wasm names it) holds the one `.root` file.
    let root_name = std::fs::read_to_string(dir.join("docbao-root.txt")).unwrap_or_else(|_| {
        std::fs::read_dir(dir)
            .expect("the folder lists")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|n| n.ends_with(".root"))
            .expect("docbao-root.txt, or a .root file")
    });
    let root = std::fs::read(dir.join(root_name.trim())).expect("the root reads");
    let mut contents = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the folder lists") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name != "docbao-root.txt" {
            contents.push((name, std::fs::read(&path).expect("a file reads")));
        }
    }
    let files: HashMap<&str, &[u8]> = contents
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    println!("files of {}: {}", dir.display(), files.len());
    let request = Request {
        filters: Filters::default(),
        sort: Sort::Relevance,
        offset: 0,
        limit: 10,
        count_facets: true,
        typing: false,
    };
    one_reader(&root, &files, &request);
}

/// This thread's CPU time so far, in ms: `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, which
/// libc (linked by std on Linux) has; 0 where it fails.
#[cfg(target_os = "linux")]
fn thread_cpu_ms() -> f64 {
    #[repr(C)]
    struct Timespec {
        secs: i64,
        nanos: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, now: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut now = Timespec { secs: 0, nanos: 0 };
    // SAFETY: `now` is a valid, writable timespec for the call's duration.
    match unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut now) } {
        0 => now.secs as f64 * 1e3 + now.nanos as f64 / 1e6,
        _ => 0.0,
    }
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ms() -> f64 {
    0.0
}

/// A line of `/proc/self/status` (Linux), e.g. `VmHWM:` the peak RSS, or `?`.
fn proc_status(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .map(|l| l[key.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// What the keystrokes of the whole mix fetched: per keystroke, and by what first asked.
#[derive(Default)]
struct Mix {
    files: Vec<usize>,
    rounds: Vec<usize>,
    /// (reason, kind of file) → (files, bytes sent).
    by_reason: BTreeMap<(LookupReason, String), (usize, usize)>,
    /// Every file fetched: (bytes sent, kind, reason, keystroke).
    largest: Vec<(usize, String, LookupReason, String)>,
}

impl Mix {
    fn print(&mut self, every_keystroke: &[(usize, String)]) {
        let n = self.files.len().max(1);
        let mut bytes: Vec<usize> = every_keystroke.iter().map(|k| k.0).collect();
        bytes.sort_unstable();
        self.files.sort_unstable();
        self.rounds.sort_unstable();
        let at = |v: &[usize], p: f64| {
            v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
                .copied()
                .unwrap_or(0)
        };
        let total_files: usize = self.files.iter().sum();
        let total_bytes: usize = bytes.iter().sum();
        println!(
            "\nthe mix, {n} keystrokes: {total_files} files, {} sent; per keystroke files p50 {} p95 {} max {}, \
             sent p50 {} p95 {} max {}, rounds p50 {} p95 {} max {}",
            kb(total_bytes),
            at(&self.files, 0.5),
            at(&self.files, 0.95),
            at(&self.files, 1.0),
            kb(at(&bytes, 0.5)),
            kb(at(&bytes, 0.95)),
            kb(at(&bytes, 1.0)),
            at(&self.rounds, 0.5),
            at(&self.rounds, 0.95),
            at(&self.rounds, 1.0),
        );
        println!("what first asked for each file (a range several lookups need counts once, for the first):");
        println!("reason | kind | files | sent | share of bytes | median file");
        for reason in LookupReason::ALL {
            for ((r, kind), (count, sent)) in &self.by_reason {
                if *r != reason {
                    continue;
                }
                let mut sizes: Vec<usize> = self
                    .largest
                    .iter()
                    .filter(|f| f.2 == reason && &f.1 == kind)
                    .map(|f| f.0)
                    .collect();
                sizes.sort_unstable();
                println!(
                    "{} | {kind} | {count} | {} | {:.0}% | {}",
                    reason.name(),
                    kb(*sent),
                    100.0 * *sent as f64 / total_bytes.max(1) as f64,
                    kb(sizes[sizes.len() / 2])
                );
            }
        }
        self.largest.sort_by_key(|f| std::cmp::Reverse(f.0));
        let over = self.largest.iter().filter(|f| f.0 > 100_000).count();
        println!(
            "files over 100 kB sent: {over} of {}, {} of the bytes; the largest:",
            self.largest.len(),
            kb(self
                .largest
                .iter()
                .filter(|f| f.0 > 100_000)
                .map(|f| f.0)
                .sum())
        );
        for (size, kind, why, text) in self.largest.iter().take(8) {
            println!("  {} .{kind} for {} at {text:?}", kb(*size), why.name());
        }
    }
}

/// "More like this" on the article page.
const SIMILAR: usize = 5;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// What opening one article took.
struct Opened {
    id: String,
    rounds_to_text: usize,
    bytes_to_text: usize,
    ms_to_text: f64,
    rounds: usize,
    files: usize,
    bytes: usize,
    ms: f64,
    warm_ms: f64,
}

/// Opens article `id` from the search `q`: asks for its page, adds what it needs, until
/// it needs nothing (fetching is not timed: only the calls and the adding of files).
fn open_article(
    sharded: &mut ShardedIndex,
    files: &HashMap<&str, &[u8]>,
    sent: &HashMap<&str, usize>,
    id: &str,
    q: &str,
    request: &Request,
) -> Opened {
    let mut o = Opened {
        id: id.to_string(),
        rounds_to_text: 0,
        bytes_to_text: 0,
        ms_to_text: 0.0,
        rounds: 0,
        files: 0,
        bytes: 0,
        ms: 0.0,
        warm_ms: 0.0,
    };
    let mut shown = false;
    for round in 0..32 {
        let t = Instant::now();
        let fetched = sharded.article_page(id, Some((q, request)), SIMILAR);
        o.ms += t.elapsed().as_secs_f64() * 1e3;
        if fetched.answer.is_some() && !shown {
            shown = true;
            (o.rounds_to_text, o.bytes_to_text, o.ms_to_text) = (round, o.bytes, o.ms);
        }
        if fetched.needs.is_empty() {
            o.rounds = round;
            break;
        }
        let t = Instant::now();
        for name in &fetched.needs {
            sharded
                .add_shard(name, files[name.as_str()])
                .expect("file adds");
            o.files += 1;
            o.bytes += sent[name.as_str()];
        }
        o.ms += t.elapsed().as_secs_f64() * 1e3;
    }
    let t = Instant::now();
    sharded.article_page(id, Some((q, request)), SIMILAR);
    o.warm_ms = t.elapsed().as_secs_f64() * 1e3;
    o
}

/// What one reader fetched over many keystrokes, each asked again until it needs nothing.
#[derive(Default)]
struct Fetching {
    keystrokes: usize,
    /// Keystrokes that needed any file, and how many rounds each (a round: the files one
    /// search names, fetched together).
    rounds: Vec<usize>,
    files: usize,
    bytes: usize,
    /// Bytes as sent: brotli of each file but chunks, heads and the root (DEFLATE).
    sent: usize,
    /// "kind (reason)" → (files, bytes as stored, as sent).
    by_kind: BTreeMap<String, (usize, usize, usize)>,
}

thread_local! {
    /// Each file's bytes as sent, by name (seeded by `main` with the sizes it printed).
    static SENT: std::cell::RefCell<HashMap<String, usize>> = Default::default();
}

/// A file's bytes as sent: brotli (quality 9), but for the chunks, heads and root,
/// DEFLATE already.
fn sent_len(name: &str, bytes: &[u8]) -> usize {
    match name.rsplit('.').next().unwrap_or("") {
        "docs" | "head" | "root" => bytes.len(),
        _ => SENT.with(|sent| {
            *sent
                .borrow_mut()
                .entry(name.to_string())
                .or_insert_with(|| common::brotli_len(bytes, 9))
        }),
    }
}

impl Fetching {
    /// Asks for `text` until nothing is missing, adding the files it names: the complete
    /// page, and the ms spent adding files and searching.
    fn until_complete(
        &mut self,
        sharded: &mut ShardedIndex,
        files: &HashMap<&str, &[u8]>,
        text: &str,
        request: &Request,
        rows: usize,
        each: bool,
    ) -> (docbao_engine::Page, f64, f64) {
        let (mut add_ms, mut search_ms) = (0f64, 0f64);
        let (mut rounds, mut n, mut bytes, mut sent) = (0, 0, 0, 0);
        let mut why_bytes: BTreeMap<String, usize> = BTreeMap::new();
        let page = loop {
            let t = Instant::now();
            let (fetched, why) = sharded.find_first_explained(text, request, rows);
            search_ms += t.elapsed().as_secs_f64() * 1e3;
            if fetched.needs.is_empty() {
                break fetched.answer.page;
            }
            rounds += 1;
            let t = Instant::now();
            for (name, why) in fetched.needs.iter().zip(why) {
                let file = files[name.as_str()];
                sharded.add_shard(name, file).expect("file adds");
                n += 1;
                bytes += file.len();
                let as_sent = sent_len(name, file);
                sent += as_sent;
                let kind = format!("{} ({why:?})", name.rsplit('.').next().unwrap_or(""));
                *why_bytes.entry(kind.clone()).or_default() += file.len();
                let of_kind = self.by_kind.entry(kind).or_default();
                *of_kind = (of_kind.0 + 1, of_kind.1 + file.len(), of_kind.2 + as_sent);
            }
            // The index catches up with the files here, not in the next search.
            sharded.index();
            add_ms += t.elapsed().as_secs_f64() * 1e3;
        };
        self.keystrokes += 1;
        self.files += n;
        self.bytes += bytes;
        self.sent += sent;
        if rounds > 0 {
            self.rounds.push(rounds);
        }
        if each {
            let why: Vec<String> = why_bytes
                .iter()
                .map(|(k, b)| format!("{k} {}", kb(*b)))
                .collect();
            println!(
                "  {text:?} | {rounds} | {n} | {} | {}",
                kb(bytes),
                why.join(", ")
            );
        }
        (page, add_ms, search_ms)
    }

    fn print(&self, when: &str) {
        let count = |r: usize| self.rounds.iter().filter(|&&x| x == r).count();
        println!(
            "  {when}: {} of {} asks needed files (1 round {}, 2 rounds {}, 3+ rounds {}); \
             {} files, {:.1} MB as stored, {:.1} kB as sent",
            self.rounds.len(),
            self.keystrokes,
            count(1),
            count(2),
            self.rounds.iter().filter(|&&x| x >= 3).count(),
            self.files,
            self.bytes as f64 / 1e6,
            self.sent as f64 / 1e3
        );
        let by_kind: Vec<String> = self
            .by_kind
            .iter()
            .map(|(kind, (n, bytes, sent))| format!("{kind} {n} ({} / {})", kb(*bytes), kb(*sent)))
            .collect();
        println!(
            "    by kind and reason (as stored / as sent): {}",
            by_kind.join(", ")
        );
    }
}
