//! The engine alone in wasm, as the app's wasm runs it, for V8 (node) without a browser:
//! `tests/bench/wasm-harness.mjs` loads two builds of this (main's and a branch's),
//! types the browser bench's keystrokes into both, alternately, and compares their answers
//! on every keystroke. No wasm-bindgen: a handful of C-ABI exports over the linear memory.
//!
//! Built by `scripts/wasm-harness`: `cargo build --release --target wasm32-unknown-unknown
//! -p docbao-wasm-harness` (the workspace's release profile, the engine at opt-level 3, as
//! in the app), then `wasm-opt -Oz` as trunk runs it.
//! `--cfg docbao_harness_old` builds it against an engine without `Request::count_facets`
//! (before session 13): facets are then always counted.

use std::cell::RefCell;

use docbao_engine::facets::Sort;
use docbao_engine::ingest::Ingester;
use docbao_engine::shard::ShardedIndex;
use docbao_engine::{from_static_bytes, to_bytes, Index, Page, Request};

enum Reader {
    None,
    Embedded(Box<Index>),
    Sharded(Box<ShardedIndex>),
}

struct State {
    reader: Reader,
    /// The last answer, for `harness_digest`.
    page: Option<Page>,
    /// What the last call hands back: a digest, or the files a search needs (one a line).
    out: Vec<u8>,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State {
            reader: Reader::None,
            page: None,
            out: Vec::new(),
        })
    };
}

/// Memory for the host to write `len` bytes into; the call given it takes it back.
#[no_mangle]
pub extern "C" fn harness_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// # Safety
/// `p` and `len` are those of one `harness_alloc`, filled by the host.
unsafe fn take(p: *mut u8, len: usize) -> Vec<u8> {
    Vec::from_raw_parts(p, len, len.max(1))
}

fn set_out(out: Vec<u8>) -> u32 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.out = out;
        s.out.len() as u32
    })
}

#[no_mangle]
pub extern "C" fn harness_out_ptr() -> *const u8 {
    STATE.with(|s| s.borrow().out.as_ptr())
}

/// The embedded layout: the corpus (JSON Lines) indexed and serialized here, then
/// loaded from those bytes as the app loads its embedded index, every part decoded (as
/// the bench's typed-again pass finds it). Returns the number of articles.
///
/// # Safety
/// `p`, `len`: one `harness_alloc`, filled.
#[no_mangle]
pub unsafe extern "C" fn harness_embedded(p: *mut u8, len: usize) -> u32 {
    let bytes = take(p, len);
    let mut ingester = Ingester::new();
    ingester.add_file("corpus.jsonl", &bytes);
    drop(bytes);
    let (articles, _) = ingester.finish();
    let serialized: &'static [u8] = Box::leak(to_bytes(&Index::build(articles)).into_boxed_slice());
    let index = from_static_bytes(serialized).expect("the index just serialized loads");
    index.finish_loading().expect("it decodes");
    let n = index.articles().len() as u32;
    STATE.with(|s| s.borrow_mut().reader = Reader::Embedded(Box::new(index)));
    n
}

/// The sharded layout: a reader from its root. Returns 1, or 0 if the root is refused.
///
/// # Safety
/// `p`, `len`: one `harness_alloc`, filled.
#[no_mangle]
pub unsafe extern "C" fn harness_sharded(p: *mut u8, len: usize) -> u32 {
    let bytes = take(p, len);
    match ShardedIndex::from_root(&bytes) {
        Ok(reader) => {
            STATE.with(|s| s.borrow_mut().reader = Reader::Sharded(Box::new(reader)));
            1
        }
        Err(_) => 0,
    }
}

/// Adds a file of the sharded archive. Returns 1, or 0 if it is refused.
///
/// # Safety
/// Both pairs: one `harness_alloc` each, filled.
#[no_mangle]
pub unsafe extern "C" fn harness_add(
    name: *mut u8,
    name_len: usize,
    p: *mut u8,
    len: usize,
) -> u32 {
    let name = String::from_utf8(take(name, name_len)).expect("a file name is UTF-8");
    let bytes = take(p, len);
    STATE.with(|s| match &mut s.borrow_mut().reader {
        Reader::Sharded(reader) => u32::from(reader.add_shard(&name, &bytes).is_ok()),
        _ => 0,
    })
}

#[allow(unexpected_cfgs)]
fn request(q: &str, limit: usize, count_facets: bool) -> Request {
    let sort = if q.trim().is_empty() {
        Sort::Newest
    } else {
        Sort::Relevance
    };
    #[cfg(not(docbao_harness_old))]
    let request = Request {
        sort,
        limit,
        count_facets,
        ..Request::default()
    };
    #[cfg(docbao_harness_old)]
    let request = {
        let _ = count_facets;
        Request {
            sort,
            limit,
            ..Request::default()
        }
    };
    request
}

/// One keystroke's search, as the search page asks it: the query prepared and a page of
/// `limit` results in the app's order, with facet counts if `count_facets`; a sharded
/// reader needs the chunks of the first `shown` hits only (`find_first`, the rows a
/// viewport shows while a query is typed). Hands back (`harness_out_ptr`, the length
/// returned) the files a sharded search still needs, one a line; none once its answer
/// is whole.
///
/// # Safety
/// `p`, `len`: one `harness_alloc`, filled with the query's UTF-8.
#[no_mangle]
pub unsafe extern "C" fn harness_find(
    p: *mut u8,
    len: usize,
    limit: u32,
    count_facets: u32,
    shown: u32,
) -> u32 {
    let q = String::from_utf8(take(p, len)).expect("a query is UTF-8");
    let request = request(&q, limit as usize, count_facets != 0);
    let (page, needs) = STATE.with(|s| match &mut s.borrow_mut().reader {
        Reader::Embedded(index) => {
            let query = index.query(&q);
            (index.find(&query, &request), Vec::new())
        }
        Reader::Sharded(reader) => {
            let fetched = reader.find_first(&q, &request, shown as usize);
            (fetched.answer.page, fetched.needs)
        }
        Reader::None => panic!("no archive loaded"),
    });
    STATE.with(|s| s.borrow_mut().page = Some(page));
    set_out(needs.join("\n").into_bytes())
}

/// 64-bit FNV-1a.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The last answer's digests, as `hits facets` in hex: the total with every hit (doc, id,
/// score, marked title and snippet), and the facet counts.
#[no_mangle]
pub extern "C" fn harness_digest() -> u32 {
    let text = STATE.with(|s| {
        let s = s.borrow();
        let page = s.page.as_ref().expect("a search first");
        format!(
            "{:016x} {:016x}",
            fnv(format!("{} {:?}", page.total, page.hits).as_bytes()),
            fnv(format!("{:?}", page.facets).as_bytes())
        )
    });
    set_out(text.into_bytes())
}

/// The name `bytes` would get as a chunk (SHA-256, hex): the hash alone, timed by
/// `tests/bench/add-costs.mjs` beside the whole `harness_add`.
///
/// # Safety
/// `p`, `len`: one `harness_alloc`, filled.
#[no_mangle]
pub unsafe extern "C" fn harness_sha(p: *mut u8, len: usize) -> u32 {
    let bytes = take(p, len);
    let name = docbao_engine::shard::name_of(docbao_engine::shard::FileKind::Docs, &bytes);
    u32::from(name.as_bytes()[0])
}

/// The CRC-32 of `bytes` (each file's header check), timed beside `harness_add`.
///
/// # Safety
/// `p`, `len`: one `harness_alloc`, filled.
#[no_mangle]
pub unsafe extern "C" fn harness_crc(p: *mut u8, len: usize) -> u32 {
    docbao_engine::crc::crc32(&take(p, len))
}
