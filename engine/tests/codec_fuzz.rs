//! The index decoder against damaged and crafted bytes: truncations, bit flips and byte
//! overwrites of real encoded indexes (the two seeds, and the first 50 UNC articles from
//! `../shared`, skipped with a message when absent).
//!
//! Two kinds of variants, from a fixed-seed generator so every run tries the same ones:
//! - **damaged**: the bytes are mutated as they are. Every byte of an index is covered by
//!   the magic, the version or a checksum, so each must decode to `Err`; one that decodes
//!   `Ok` with other content than the original is counted, and the count must be 0.
//! - **crafted**: one section is mutated (or cut short) and the checksums are written
//!   again, as someone crafting a file would. These reach the decoder's structural checks:
//!   each must be `Ok` or `Err`, never a panic, and an index that loads is searched,
//!   filtered and browsed, which must not panic either.
//!
//! `cargo test` tries 100,000 variants (137 s at the test profile under load 12, format 10). For
//! a longer run: `DOCBAO_FUZZ_VARIANTS=2000000 cargo test -p docbao-engine --test
//! codec_fuzz -- --nocapture` (and `DOCBAO_FUZZ_SEED=<n>` for another sequence; the
//! figures are printed with `--nocapture`). A failure prints the seed, the variant number
//! and the mutation; the same seed and count replay it.

mod common;

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Once};
use std::time::Instant;

use docbao_engine::facets::{Filters, Sort};
use docbao_engine::{
    from_bytes, from_shared_bytes, to_bytes, Article, CodecError, Index, Request, MAGIC,
};

/// Variants tried by a normal `cargo test`, over both indexes and both kinds: most on the
/// small seed index, most of them damaged. A crafted variant that loads derives its
/// dictionaries from its articles (codec format 10), both ways, so crafted variants get
/// 5% (seeds) and 0.2% (UNC): at 35% and 2% they took minutes on 2 busy cores.
const DEFAULT_VARIANTS: u64 = 100_000;
const DEFAULT_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
/// Articles of the UNC sample: every crafted variant that loads derives its dictionaries
/// (codec format 10), twice, so a larger sample costs minutes per `cargo test`.
const UNC_SAMPLE: usize = 50;

/// xorshift64*: small, fixed, good enough to spread mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

// ---- The layout, as written by `codec::to_bytes` (version 9), to re-seal crafted bytes.

const HEADER_LEN: usize = MAGIC.len() + 4 + 4;
const ENTRY_LEN: usize = 4 + 8 + 8 + 4;

/// `(tag, start, end)` of every section, read from a well-formed index.
fn section_spans(bytes: &[u8]) -> Vec<([u8; 4], usize, usize)> {
    let count = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    (0..count)
        .map(|i| {
            let e = &bytes[HEADER_LEN + i * ENTRY_LEN..][..ENTRY_LEN];
            let offset = u64::from_le_bytes(e[4..12].try_into().unwrap()) as usize;
            let len = u64::from_le_bytes(e[12..20].try_into().unwrap()) as usize;
            (e[..4].try_into().unwrap(), offset, offset + len)
        })
        .collect()
}

/// The index with new section bodies, every offset, length and checksum written again.
fn seal(original: &[u8], bodies: &[&[u8]]) -> Vec<u8> {
    let spans = section_spans(original);
    let table_end = HEADER_LEN + spans.len() * ENTRY_LEN + 4;
    let mut out = original[..table_end].to_vec();
    let mut offset = table_end;
    for (i, body) in bodies.iter().enumerate() {
        let e = HEADER_LEN + i * ENTRY_LEN;
        out[e + 4..e + 12].copy_from_slice(&(offset as u64).to_le_bytes());
        out[e + 12..e + 20].copy_from_slice(&(body.len() as u64).to_le_bytes());
        out[e + 20..e + 24].copy_from_slice(&crc32fast::hash(body).to_le_bytes());
        offset += body.len();
    }
    let crc = crc32fast::hash(&out[..table_end - 4]);
    out[table_end - 4..table_end].copy_from_slice(&crc.to_le_bytes());
    for body in bodies {
        out.extend_from_slice(body);
    }
    out
}

/// Writes `ARTS`' inner checksums (its head's, each chunk's) again where its framing
/// still reads, as someone crafting a file would: the mutation then reaches the head's
/// and the chunks' decoding, not only their checksums.
fn reseal_articles(arts: &mut [u8]) {
    fn varint(b: &[u8], at: &mut usize) -> Option<usize> {
        let mut v = 0usize;
        for shift in (0..35).step_by(7) {
            let byte = *b.get(*at)?;
            *at += 1;
            v |= ((byte & 0x7f) as usize) << shift;
            if byte < 0x80 {
                return Some(v);
            }
        }
        None
    }
    let mut at = 0;
    let mut crcs = Vec::new();
    let Some(len) = varint(arts, &mut at) else {
        return;
    };
    crcs.push((at + len, at..at + len));
    at += len + 4;
    let Some(chunks) = varint(arts, &mut at) else {
        return;
    };
    for _ in 0..chunks {
        let (Some(_), Some(len)) = (varint(arts, &mut at), varint(arts, &mut at)) else {
            break;
        };
        crcs.push((at, at + 4..at + 4 + len));
        at += 4 + len;
    }
    for (at, span) in crcs {
        if span.end.max(at + 4) <= arts.len() {
            let crc = crc32fast::hash(&arts[span]);
            arts[at..at + 4].copy_from_slice(&crc.to_le_bytes());
        }
    }
}

// ---- Mutations.

#[derive(Debug, Clone)]
enum Mutation {
    /// Keep the first `len` bytes.
    Truncate { len: usize },
    /// Flip these bits (byte position, bit).
    Flip(Vec<(usize, u8)>),
    /// Write these bytes from `at` on.
    Overwrite { at: usize, bytes: Vec<u8> },
}

impl Mutation {
    /// A random mutation of `len` bytes, aimed at `start..end` (a section, or the header).
    fn random(rng: &mut Rng, start: usize, end: usize, len: usize) -> Mutation {
        let span = end - start;
        let at = start + rng.below(span);
        match rng.below(8) {
            0 => Mutation::Truncate {
                len: start + rng.below(span),
            },
            1..=3 => Mutation::Flip(
                (0..1 + rng.below(3))
                    .map(|k| {
                        let pos = if k == 0 { at } else { start + rng.below(span) };
                        (pos, rng.below(8) as u8)
                    })
                    .collect(),
            ),
            _ => {
                let n = (1 + rng.below(8)).min(len - at);
                let fill = rng.below(4);
                let bytes = (0..n)
                    .map(|_| match fill {
                        0 => 0x00,
                        1 => 0xff,
                        2 => 0x80 | rng.below(128) as u8,
                        _ => rng.next() as u8,
                    })
                    .collect();
                Mutation::Overwrite { at, bytes }
            }
        }
    }

    fn apply(&self, bytes: &[u8]) -> Vec<u8> {
        let mut work = bytes.to_vec();
        self.with_applied(bytes, &mut work, <[u8]>::to_vec)
    }

    /// Runs `f` on `original` mutated, mutating `work` (a copy of `original`) in place and
    /// restoring it afterwards: no copy of a whole index per variant.
    fn with_applied<R>(&self, original: &[u8], work: &mut [u8], f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Mutation::Truncate { len } => f(&original[..*len]),
            Mutation::Flip(bits) => {
                for &(pos, bit) in bits {
                    work[pos] ^= 1 << bit;
                }
                let out = f(work);
                for &(pos, _) in bits {
                    work[pos] = original[pos];
                }
                out
            }
            Mutation::Overwrite { at, bytes } => {
                let range = *at..*at + bytes.len();
                work[range.clone()].copy_from_slice(bytes);
                let out = f(work);
                work[range.clone()].copy_from_slice(&original[range]);
                out
            }
        }
    }

    /// Whether the mutated bytes differ from the original (an overwrite may write what
    /// was there, a double flip may undo itself).
    fn changes(&self, original: &[u8]) -> bool {
        match self {
            Mutation::Truncate { len } => *len < original.len(),
            Mutation::Flip(bits) => bits.iter().any(|&(pos, _)| {
                let mask = bits
                    .iter()
                    .filter(|&&(p, _)| p == pos)
                    .fold(0u8, |m, &(_, bit)| m ^ (1 << bit));
                mask != 0
            }),
            Mutation::Overwrite { at, bytes } => original[*at..*at + bytes.len()] != bytes[..],
        }
    }
}

// ---- Running variants.

thread_local! {
    /// Set while a variant runs: its panics are caught and counted, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    QUIET.with(|q| q.set(true));
    let out = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    out.map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "non-string panic".into())
    })
}

/// What a loaded index is asked by the app: searches (typing, phrases, typos, filters,
/// sorts, pages), an article and its neighbours, related articles.
fn use_index(index: &Index) {
    for q in [
        "thanh tri",
        "covid",
        "\"ha noi\" -tphcm",
        "dduwowngf",
        "ngu",
        "a OR b",
    ] {
        index.search(&index.query(q), 10);
    }
    let first = index.articles().first().cloned().unwrap_or_default();
    let filters = Filters {
        sources: first.source.iter().cloned().collect(),
        categories: first.category.iter().cloned().collect(),
        year: first.date.as_deref().and_then(|d| d.get(..4)?.parse().ok()),
        ..Filters::default()
    };
    for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
        let request = common::search::request(&filters, sort, 0, 10);
        index.find(&index.query("tin"), &request);
        index.find(
            &index.query(""),
            &common::search::request(&Filters::default(), sort, 10, 10),
        );
    }
    let newest = Request {
        sort: Sort::Newest,
        ..Request::default()
    };
    index.neighbours(&index.query("tin"), &newest, &first.id);
    index.more_like_this(&first.id, 5);
    index.article_titled(&first.title);
    for a in index.articles().iter().take(20) {
        index.article(&a.id);
        index.highlight(&a.title, &index.query("ha noi"));
    }
}

#[derive(Default, Debug)]
struct Tally {
    variants: u64,
    /// Decoded `Ok` from bytes equal to the original (an overwrite with the same bytes).
    unchanged: u64,
    errors: u64,
    /// Errors by kind and section, for the figures.
    kinds: std::collections::BTreeMap<String, u64>,
    ok_same: u64,
    ok_different: u64,
    panics: Vec<String>,
}

/// Tries `variants` mutations of `original` of one kind, from `seed`.
fn fuzz(name: &str, original: &[u8], crafted: bool, variants: u64, seed: u64) -> Tally {
    quiet_panics();
    let expected = from_bytes(original).expect("the original decodes");
    let spans = section_spans(original);
    let table_end = HEADER_LEN + spans.len() * ENTRY_LEN + 4;
    let mut rng = Rng(seed);
    let mut t = Tally::default();
    let clock = Instant::now();
    // Damaged variants are mutated in place in this copy.
    let mut work = original.to_vec();
    // Decodes, and uses what loads: `Ok(true)` when it is the original index. The
    // deferred loader (`from_shared_bytes`, the app's) must agree: an error at load or on
    // finishing where `from_bytes` has one, else the same index. It runs on every crafted
    // variant and one damaged variant in 8: on damage it decodes the articles before it
    // reaches a dictionary's checksum, which would double the test's time.
    let check = |bytes: &[u8], both: bool| {
        guarded(|| {
            let eager = from_bytes(bytes);
            if !both {
                return eager.map(|index| index == expected);
            }
            let deferred = from_shared_bytes(Arc::from(bytes));
            if let Ok(index) = &deferred {
                if crafted {
                    // Searched before it is finished: a damaged dictionary is empty.
                    use_index(index);
                }
            }
            let deferred = deferred.and_then(|index| index.finish_loading().map(|()| index));
            match (&eager, &deferred) {
                (Ok(a), Ok(b)) => assert!(a == b, "the deferred loader decoded another index"),
                (Err(_), Err(_)) => {}
                (a, b) => panic!(
                    "the loaders disagree: from_bytes {:?}, deferred {:?}",
                    a.as_ref().map(|_| ()),
                    b.as_ref().map(|_| ())
                ),
            }
            eager.map(|index| {
                if crafted {
                    use_index(&index);
                }
                index == expected
            })
        })
    };
    for variant in 0..variants {
        let (mutation, section, outcome, changed) = if crafted {
            // One section's body mutated (chosen evenly, so the small ones get their share).
            let s = rng.below(spans.len());
            let (tag, start, end) = spans[s];
            let body = &original[start..end];
            let m = Mutation::random(&mut rng, 0, body.len(), body.len());
            let mut mutated = m.apply(body);
            if &tag == b"ARTS" {
                reseal_articles(&mut mutated);
            }
            let mut bodies: Vec<&[u8]> = spans.iter().map(|&(_, a, b)| &original[a..b]).collect();
            bodies[s] = &mutated;
            let changed = mutated != body;
            let tag = String::from_utf8_lossy(&tag).into_owned();
            (m, tag, check(&seal(original, &bodies), true), changed)
        } else {
            // The header and table a quarter of the time, else a section chosen evenly.
            let s = rng.below(spans.len() * 4 / 3 + 1);
            let (tag, start, end) = match spans.get(s) {
                Some(&(tag, a, b)) => (String::from_utf8_lossy(&tag).into_owned(), a, b),
                None => ("header".to_string(), 0, table_end),
            };
            let m = Mutation::random(&mut rng, start, end, original.len());
            let outcome = m.with_applied(original, &mut work, |b| check(b, variant % 8 == 0));
            let changed = m.changes(original);
            (m, tag, outcome, changed)
        };
        t.variants += 1;
        match outcome {
            Err(why) => t.panics.push(format!(
                "{name} seed {seed:#x} variant {variant} ({}, section {section}): {mutation:?}: panicked: {why}",
                if crafted { "crafted" } else { "damaged" },
            )),
            Ok(Err(e)) => {
                t.errors += 1;
                *t.kinds.entry(error_kind(&e)).or_default() += 1;
            }
            Ok(Ok(_)) if !changed => t.unchanged += 1,
            Ok(Ok(true)) => t.ok_same += 1,
            Ok(Ok(false)) => {
                t.ok_different += 1;
                if !crafted && t.ok_different <= 5 {
                    eprintln!(
                        "{name} seed {seed:#x} variant {variant} (damaged, section {section}): {mutation:?}: decoded Ok with other content"
                    );
                }
            }
        }
    }
    println!(
        "{name} {}: {} variants: {} Err, {} Ok same content, {} Ok other content, {} unchanged bytes, {} panics, in {:.1} s",
        if crafted { "crafted" } else { "damaged" },
        t.variants,
        t.errors,
        t.ok_same,
        t.ok_different,
        t.unchanged,
        t.panics.len(),
        clock.elapsed().as_secs_f64()
    );
    println!("  errors: {:?}", t.kinds);
    t
}

/// `checksum FOLD`, `corrupt ARTS`, …: what kind of error, about what.
fn error_kind(e: &CodecError) -> String {
    match e {
        CodecError::Truncated { .. } => "truncated".into(),
        CodecError::BadMagic => "magic".into(),
        CodecError::UnsupportedVersion { .. } => "version".into(),
        CodecError::ChecksumMismatch { section, .. } => format!("checksum {section}"),
        CodecError::Corrupt { section, .. } => format!("corrupt {section}"),
    }
}

/// Runs both kinds over one index, each its share of the total variants, and checks the
/// results.
fn fuzz_index(name: &str, original: &[u8], damaged_share: f64, crafted_share: f64, seed: u64) {
    let total = env_number("DOCBAO_FUZZ_VARIANTS", DEFAULT_VARIANTS) as f64;
    let seed = env_number("DOCBAO_FUZZ_SEED", DEFAULT_SEED) ^ seed;
    println!(
        "{name}: {} bytes, sections {:?}",
        original.len(),
        section_spans(original)
            .iter()
            .map(|(t, a, b)| format!("{} {}", String::from_utf8_lossy(t), b - a))
            .collect::<Vec<_>>()
    );
    let damaged = fuzz(
        name,
        original,
        false,
        (total * damaged_share).ceil() as u64,
        seed,
    );
    let crafted = fuzz(
        name,
        original,
        true,
        (total * crafted_share).ceil() as u64,
        seed ^ 1,
    );
    let panics: Vec<&String> = damaged.panics.iter().chain(&crafted.panics).collect();
    assert!(
        panics.is_empty(),
        "{} variants panicked; the first:\n{}",
        panics.len(),
        panics
            .iter()
            .take(10)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        damaged.ok_different, 0,
        "damaged bytes decoded Ok with other content (checksums should catch every change)"
    );
    assert_eq!(damaged.ok_same, 0, "damaged bytes decoded Ok");
}

fn seed_index_bytes() -> Vec<u8> {
    to_bytes(&common::search::seed_index())
}

#[test]
fn damaged_or_crafted_seed_indexes_never_panic_and_never_load_wrong() {
    fuzz_index("seeds", &seed_index_bytes(), 0.65, 0.05, 0);
}

#[test]
fn damaged_or_crafted_unc_indexes_never_panic_and_never_load_wrong() {
    let Some(articles) = common::unc() else {
        return;
    };
    let sample: Vec<Article> = articles.into_iter().take(UNC_SAMPLE).collect();
    fuzz_index(
        "unc",
        &to_bytes(&Index::build(sample)),
        0.298,
        0.002,
        0x5eed,
    );
}
