//! The serialized index.
//!
//! Layout (version 10; 4 changed the folded keys, 5 added the checksums, 6 laid postings
//! out by kind and stopped compressing the articles, 10 dropped the dictionaries): `MAGIC`, a
//! little-endian `u32` format version, a section count (`u32`), then a table of sections,
//! each a 4-byte tag, a `u64` offset (from the start of the bytes), a `u64` length and the
//! CRC-32 of the section's bytes, then the CRC-32 of everything before it (header and
//! table), then the sections, back to back to the end of the bytes:
//!
//! - `META`: doc count, per-doc field lengths (a byte each, `index::norms`), exact average field lengths.
//! - No dictionaries (format 10): the reader derives the folded, exact and pair
//!   dictionaries from the stored articles with `Index::build`'s own code
//!   (`index::DictionaryBuilder`) and checks the field lengths it finds against `META`'s.
//!   They were 2.6 of UNC's 5.4 MB brotli. The sharded layout still ships dictionaries,
//!   in [`put_dict`]'s layout: the term count, the terms front-coded (shared-prefix
//!   length, suffix length, suffix bytes), then the byte lengths of the first two
//!   posting streams and three streams, each term's in term order: document
//!   frequencies; doc numbers delta-coded as varints; per-field term frequencies packed
//!   into one byte when small (title ≤ 3, lead ≤ 3, body ≤ 7) or escaped to three
//!   varints. Alike bytes together, so the host's brotli finds runs. [`put_dict_within`]
//!   can code a dictionary's doc numbers as places in another term's postings, as
//!   format 8's `EXCT` and `PAIR` were.
//! - `BYID`: doc numbers in article-id order (varints).
//! - `ARTS`: the stored articles, apart from everything search needs (format 9): a head
//!   (its length, then postcard: every article's id and its source, category, author
//!   and date as facet columns; then its CRC-32), so the first page and the facets need
//!   no article decoded; then the chunk count and chunks of [`ARTICLES_PER_CHUNK`]
//!   articles (the last one the rest), each its article count, length, CRC-32 and the
//!   articles' other fields in postcard, not compressed: the host's brotli compresses
//!   text far better than it recompresses DEFLATE. `from_static_bytes` decodes a chunk
//!   when one of its articles is first read.
//!
//! **Hostile bytes.** Decoding never panics and never trusts a number: random damage is
//! caught by the checksums (a [`CodecError::ChecksumMismatch`] naming the section), and a
//! crafted file whose checksums hold is still checked for everything search relies on
//! (terms in strictly increasing order and valid UTF-8, postings in increasing doc order
//! and naming existing docs, the id table a permutation in id order, counts that add up,
//! every section read to its end), with allocations bounded by the bytes that justify
//! them. `tests/codec_fuzz.rs` holds it to
//! that over 100,000 mutated indexes per `cargo test`.
//!
//! **Sharding later.** Search touches only META and the dictionaries; the stored text is
//! read only for the ten hits on screen. So the bundle can later be split: META plus a
//! small top-level term index (first term of each shard) fetched at start-up, each
//! dictionary cut into term-range shards fetched when a query needs a term in them
//! (postings stay with their terms), and ARTS cut into doc-range chunks fetched for the
//! hits shown. The section table already lets a reader find and skip sections by
//! offset, and check each one's checksum on its own, without decoding what it does not
//! need.

use std::fmt;

use crate::article::{Article, Caption, Teaser};
use crate::index::{
    Articles, BuiltDictionaries, DeferredArticles, DeferredDicts, DictionaryBuilder, Finishing,
    Index, LazyDict, Posting, TermDict, TermRun, FIELD_COUNT,
};
use crate::search::scoring::Bm25F;

/// Every docbao index starts with these bytes.
pub const MAGIC: [u8; 8] = *b"DOCBAOIX";
/// Bumped whenever the layout of the serialized index changes (7: one-byte norms, and
/// postings written as three streams by kind; 8: `EXCT` and `PAIR` doc numbers as places
/// in a folded word's postings; 9: `ARTS` with a head of ids and facet columns, and a
/// checksum per chunk; 10: no dictionaries, derived from the stored articles; 11: the
/// same layout, but words folded with only marks of non-zero combining class dropped, so
/// an index of an older engine would hold other keys).
pub const FORMAT_VERSION: u32 = 11;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// Fewer bytes than the header and section table need.
    Truncated { len: usize },
    /// The bytes are not a docbao index at all.
    BadMagic,
    /// A docbao index written by another version of docbao.
    UnsupportedVersion { found: u32, expected: u32 },
    /// A section (or the section table) differs from the checksum written with it: the
    /// bytes were damaged after they were built.
    ChecksumMismatch {
        section: &'static str,
        stored: u32,
        computed: u32,
    },
    /// The checksums hold but a section breaks the format's rules (a crafted file, or a
    /// writer bug): what is wrong, and where. Also a chunk of `ARTS` that fails its own
    /// checksum, found when it is first read (named by its number).
    Corrupt { section: &'static str, why: String },
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Truncated { len } => write!(
                f,
                "index is truncated: {len} bytes, shorter than its header and section table"
            ),
            CodecError::BadMagic => write!(f, "not a docbao index (wrong magic bytes)"),
            CodecError::UnsupportedVersion { found, expected } => write!(
                f,
                "index format version {found} is not supported (this build reads version {expected}); rebuild the bundle"
            ),
            CodecError::ChecksumMismatch {
                section,
                stored,
                computed,
            } => write!(
                f,
                "index is damaged: {section} fails its checksum (stored {stored:08x}, computed {computed:08x}); rebuild or download the bundle again"
            ),
            CodecError::Corrupt { section, why } => write!(f, "index is corrupt: {section}: {why}"),
        }
    }
}

impl std::error::Error for CodecError {}

const HEADER_LEN: usize = MAGIC.len() + 4 + 4;
/// Tag, offset, length, checksum.
const ENTRY_LEN: usize = 4 + 8 + 8 + 4;
/// What errors about the header and section table name.
const TABLE: &str = "section table";
const SECTIONS: [&str; 3] = ["META", "BYID", "ARTS"];
/// Stored articles are written in chunks of this many, in doc order: the unit decoded on
/// first touch. UNC's 20 newest lie in 15 of 42 chunks of 64; in chunks of 8, at most 20
/// chunks of 332 (each chunk costs 6–8 bytes of framing and checksum).
pub const ARTICLES_PER_CHUNK: usize = 8;

/// A dictionary's terms may take at most this many bytes per byte of its section. Front
/// coding lets a few bytes repeat a long prefix, so a crafted section could otherwise
/// grow quadratically; real dictionaries stay far below 1 (every term also carries its
/// postings).
const TERM_BYTES_PER_SECTION_BYTE: usize = 64;

/// A term after the one before it: the length of their common prefix, then the rest's
/// length and bytes. Cut only on a character boundary, so every rest is UTF-8 on its own.
pub(crate) fn put_front_coded(out: &mut Vec<u8>, last: &str, term: &str) {
    let shared = last
        .bytes()
        .zip(term.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let shared = (0..=shared)
        .rev()
        .find(|&at| term.is_char_boundary(at))
        .unwrap_or(0);
    put_varint(out, shared as u64);
    put_varint(out, (term.len() - shared) as u64);
    out.extend_from_slice(&term.as_bytes()[shared..]);
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads one section, every error naming it and the byte where it went wrong.
pub(crate) struct Reader<'a> {
    section: &'static str,
    /// The part of the section these bytes are, when they are not all of it.
    part: Option<&'static str>,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(section: &'static str, bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            section,
            part: None,
            bytes,
            at: 0,
        }
    }

    /// The next `len` bytes as a reader of their own, named `part` in errors.
    pub(crate) fn part(
        &mut self,
        part: &'static str,
        len: usize,
    ) -> Result<Reader<'a>, CodecError> {
        Ok(Reader {
            section: self.section,
            part: Some(part),
            bytes: self.take(len)?,
            at: 0,
        })
    }

    pub(crate) fn corrupt(&self, why: impl fmt::Display) -> CodecError {
        let of = match self.part {
            Some(part) => format!("of the {part}, {} bytes", self.bytes.len()),
            None => format!("of {}", self.bytes.len()),
        };
        CodecError::Corrupt {
            section: self.section,
            why: format!("{why} (at byte {} {of})", self.at),
        }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub(crate) fn byte(&mut self) -> Result<u8, CodecError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.corrupt("unexpected end of data"))?;
        self.at += 1;
        Ok(b)
    }

    pub(crate) fn varint(&mut self) -> Result<u64, CodecError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return Err(self.corrupt("varint overflows 64 bits"));
            }
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.corrupt("varint too long"))
    }

    /// A varint that must fit a `u32`; `what` names it in the error.
    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, CodecError> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| self.corrupt(format!("{what} {v} is out of range")))
    }

    /// A count or length: a `u32` varint, as `usize`.
    pub(crate) fn count(&mut self, what: &str) -> Result<usize, CodecError> {
        self.u32(what).map(|v| v as usize)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if n > self.remaining() {
            return Err(self.corrupt(format!(
                "{n} bytes needed, {} left in the section",
                self.remaining()
            )));
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    pub(crate) fn f32(&mut self) -> Result<f32, CodecError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(f32::from_le_bytes(b))
    }

    /// An average field length: a finite `f32`, not negative. The error names its bits:
    /// printing the float would link core's float formatting, ~9 kB of the app's wasm
    /// for an error no archive the build writes can give.
    pub(crate) fn average_length(&mut self) -> Result<f32, CodecError> {
        let a = self.f32()?;
        if !(a.is_finite() && a >= 0.0) {
            let bits = a.to_bits();
            return Err(self.corrupt(format!("average field length {bits:#010x} is not a length")));
        }
        Ok(a)
    }

    /// A section must be read to its last byte: anything left over is corruption.
    pub(crate) fn finish(&self) -> Result<(), CodecError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(self.corrupt(format!("{n} bytes left over after the section's content"))),
        }
    }
}

pub(crate) fn put_dict(out: &mut Vec<u8>, d: &TermDict) {
    put_dict_within(out, d, None);
}

/// Where a term's documents are all found: the postings of the folded word it is read
/// with, so its doc numbers can be written as places in that list.
pub(crate) type BaseOf<'a> = &'a dyn Fn(&str) -> Option<&'a [Posting]>;

/// The place of each of `postings`' docs in `base`, if every one is there.
fn places_in(base: &[Posting], postings: &[Posting]) -> Option<Vec<u32>> {
    let mut from = 0;
    postings
        .iter()
        .map(|p| {
            let at = from + base[from..].partition_point(|b| b.doc < p.doc);
            (base.get(at)?.doc == p.doc).then(|| {
                from = at + 1;
                at as u32
            })
        })
        .collect()
}

/// A dictionary, its doc numbers written as places in `base_of(term)`'s postings where
/// given. Terms whose documents are not all there (none in a dictionary built by
/// [`Index::build`]) are listed first, as exceptions, and keep plain doc numbers.
pub(crate) fn put_dict_within(out: &mut Vec<u8>, d: &TermDict, base_of: Option<BaseOf>) {
    // Each term's numbers as written: places in its base, or doc numbers.
    let mut exceptions = Vec::new();
    let numbers: Vec<Vec<u32>> = (0..d.len())
        .map(|i| {
            let postings = d.postings_of(i);
            let places = base_of
                .map(|base_of| base_of(d.term(i)).and_then(|base| places_in(base, postings)));
            match places {
                Some(Some(places)) => places,
                Some(None) => {
                    exceptions.push(i);
                    postings.iter().map(|p| p.doc).collect()
                }
                None => postings.iter().map(|p| p.doc).collect(),
            }
        })
        .collect();
    put_varint(out, d.len() as u64);
    let mut prev = "";
    for i in 0..d.len() {
        let t = d.term(i);
        put_front_coded(out, prev, t);
        prev = t;
    }
    // Postings by kind, not term by term: every document frequency, then every doc
    // delta, then every frequency byte. A host's brotli finds far longer runs of alike
    // bytes in three streams than in one interleaved one (UNC: 14% smaller on the wire).
    let (mut dfs, mut docs, mut tfs) = (Vec::new(), Vec::new(), Vec::new());
    for (i, p) in numbers.iter().enumerate() {
        let frequencies = d.tfs_of(i);
        assert_eq!(
            p.len(),
            frequencies.len(),
            "only an index built to be written (Index::build) keeps the frequencies it stores"
        );
        put_varint(&mut dfs, p.len() as u64);
        let mut last = 0u32;
        for (j, &number) in p.iter().enumerate() {
            let delta = if j == 0 { number } else { number - last - 1 };
            put_varint(&mut docs, delta as u64);
            last = number;
            let [t, l, b] = frequencies[j];
            if t <= 3 && l <= 3 && b <= 7 {
                tfs.push((t | l << 2 | b << 4) as u8);
            } else {
                tfs.push(TF_ESCAPE);
                for tf in frequencies[j] {
                    put_varint(&mut tfs, tf as u64);
                }
            }
        }
    }
    if base_of.is_some() {
        put_varint(out, exceptions.len() as u64);
        let mut last = 0;
        for (k, &i) in exceptions.iter().enumerate() {
            put_varint(out, (if k == 0 { i } else { i - last - 1 }) as u64);
            last = i;
        }
    }
    put_varint(out, dfs.len() as u64);
    put_varint(out, docs.len() as u64);
    out.extend_from_slice(&dfs);
    out.extend_from_slice(&docs);
    out.extend_from_slice(&tfs);
}

/// A posting's packed-frequency byte that says three varints follow instead.
const TF_ESCAPE: u8 = 0x80;

/// One term dictionary, checked for what lookups rely on: terms valid UTF-8 in strictly
/// increasing order, postings in strictly increasing doc order and below `docs`. With
/// `weigh`, each posting's impact is worked out as it is read and its frequencies are
/// not kept (a reader's postings are 8 bytes); without, they are kept (impacts 0).
pub(crate) fn get_dict(
    r: &mut Reader,
    docs: usize,
    weigh: Option<&Bm25F>,
) -> Result<TermRun, CodecError> {
    get_dict_within(r, docs, weigh, None)
}

/// [`get_dict`] of a dictionary written by [`put_dict_within`] with the same `base_of`.
pub(crate) fn get_dict_within(
    r: &mut Reader,
    docs: usize,
    weigh: Option<&Bm25F>,
    base_of: Option<BaseOf>,
) -> Result<TermRun, CodecError> {
    let n = r.count("term count")?;
    // Every term takes at least three bytes (prefix, length, document frequency).
    if n > r.remaining() / 3 {
        return Err(r.corrupt(format!("{n} terms cannot fit in the section")));
    }
    let term_budget = r
        .bytes
        .len()
        .saturating_mul(TERM_BYTES_PER_SECTION_BYTE)
        .min(u32::MAX as usize);
    // Built as bytes and checked for UTF-8 once at the end: one pass, not one per term.
    let mut bytes: Vec<u8> = Vec::new();
    let mut d = TermRun::default();
    d.ends.reserve(n);
    let mut prev_start = 0usize;
    for i in 0..n {
        let shared = r.count("shared prefix length")?;
        let len = r.count("suffix length")?;
        let prev_len = bytes.len() - prev_start;
        if shared > prev_len {
            return Err(r.corrupt(format!(
                "term {i} shares {shared} bytes with a previous term of {prev_len} bytes"
            )));
        }
        let suffix = r.take(len)?;
        if bytes.len().saturating_add(shared).saturating_add(len) > term_budget {
            return Err(r.corrupt(format!("terms add up to more than {term_budget} bytes")));
        }
        // Both terms begin with the shared bytes, so the new one sorts after the previous
        // one exactly when its suffix sorts after the rest of the previous one.
        if i > 0 && suffix <= &bytes[prev_start + shared..] {
            return Err(r.corrupt(format!("term {i} does not sort after term {}", i - 1)));
        }
        let start = bytes.len();
        bytes.extend_from_within(prev_start..prev_start + shared);
        bytes.extend_from_slice(suffix);
        prev_start = start;
        // Within `term_budget`, so within u32.
        d.ends.push(bytes.len() as u32);
    }
    d.bytes = String::from_utf8(bytes).map_err(|e| {
        r.corrupt(format!(
            "terms are not UTF-8 (from byte {} of the terms on)",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // Every term must be a string of its own: no character split across two terms.
    if let Some(i) = d
        .ends
        .iter()
        .position(|&e| !d.bytes.is_char_boundary(e as usize))
    {
        return Err(r.corrupt(format!("term {i} ends inside a character")));
    }
    // Terms coded with plain doc numbers (see `put_dict_within`), in increasing order.
    let mut exceptions = Vec::new();
    if base_of.is_some() {
        let count = r.count("exception count")?;
        if count > n.min(r.remaining()) {
            return Err(r.corrupt(format!("{count} exceptions among {n} terms")));
        }
        let mut next = 0usize;
        for _ in 0..count {
            let i = next.saturating_add(r.count("exception")?);
            if i >= n {
                return Err(r.corrupt(format!("exception names term {i} of {n}")));
            }
            exceptions.push(i);
            next = i + 1;
        }
    }
    let mut exceptions = exceptions.into_iter().peekable();
    // The three posting streams (see `put_dict`), each read to its end.
    let dfs_len = r.count("length of the document frequencies")?;
    let docs_len = r.count("length of the doc numbers")?;
    let mut dfs = r.part("document frequencies", dfs_len)?;
    let mut doc_numbers = r.part("doc numbers", docs_len)?;
    let mut tfs = r.part("term frequencies", r.remaining())?;
    d.starts.reserve(n + 1);
    d.starts.push(0);
    for i in 0..n {
        let df = dfs.u32("document frequency")?;
        // Every posting takes a byte in each of the other two streams.
        if df as usize > doc_numbers.remaining() {
            return Err(dfs.corrupt(format!("term {i}: {df} postings cannot fit in the section")));
        }
        d.postings.reserve(df as usize);
        if weigh.is_none() {
            d.tfs.reserve(df as usize);
        }
        let plain = exceptions.next_if_eq(&i).is_some();
        let base = match base_of {
            Some(base_of) if !plain => {
                let term =
                    &d.bytes[if i == 0 { 0 } else { d.ends[i - 1] as usize }..d.ends[i] as usize];
                Some(base_of(term).ok_or_else(|| {
                    dfs.corrupt(format!(
                        "term {i} ({term:?}): the folded word it is coded within is not in FOLD"
                    ))
                })?)
            }
            _ => None,
        };
        let mut next = 0usize;
        for _ in 0..df {
            // Most deltas take one byte: read in place, the reader's own varint only for
            // the rest (adding a file is mostly this loop, on the page's thread).
            let delta = match doc_numbers.bytes.get(doc_numbers.at) {
                Some(&b) if b < 0x80 => {
                    doc_numbers.at += 1;
                    b as usize
                }
                _ => doc_numbers.count("doc number")?,
            };
            // Numbers strictly increase: each delta counts from one past the last.
            let number = next.saturating_add(delta);
            next = number.saturating_add(1);
            let doc = match base {
                Some(base) => match base.get(number) {
                    Some(p) => p.doc as usize,
                    None => {
                        return Err(doc_numbers.corrupt(format!(
                            "term {i} names place {number} in a list of {}",
                            base.len()
                        )))
                    }
                },
                None => number,
            };
            if doc >= docs {
                return Err(doc_numbers.corrupt(format!("term {i} names document {doc} of {docs}")));
            }
            let tf = match tfs.byte()? {
                packed if packed & 0x80 == 0 => {
                    let p = packed as u16;
                    [p & 3, (p >> 2) & 3, (p >> 4) & 7]
                }
                // A common word's body frequency often passes 7: three varints follow,
                // mostly of a byte each, read in place.
                TF_ESCAPE
                    if tfs.bytes.len() - tfs.at >= FIELD_COUNT
                        && tfs.bytes[tfs.at..tfs.at + FIELD_COUNT]
                            .iter()
                            .all(|&b| b < 0x80) =>
                {
                    let b = &tfs.bytes[tfs.at..tfs.at + FIELD_COUNT];
                    tfs.at += FIELD_COUNT;
                    [b[0] as u16, b[1] as u16, b[2] as u16]
                }
                TF_ESCAPE => {
                    let mut tf = [0u16; FIELD_COUNT];
                    for x in &mut tf {
                        let v = tfs.varint()?;
                        *x = u16::try_from(v).map_err(|_| {
                            tfs.corrupt(format!("term {i}: frequency {v} is out of range"))
                        })?;
                    }
                    tf
                }
                packed => {
                    return Err(
                        tfs.corrupt(format!("term {i}: {packed:#04x} is not a frequency byte"))
                    )
                }
            };
            let doc = doc as u32;
            match weigh {
                Some(bm25) => d.postings.push(Posting {
                    doc,
                    impact: bm25.saturation(doc, tf),
                }),
                None => {
                    d.postings.push(Posting { doc, impact: 0.0 });
                    d.tfs.push(tf);
                }
            }
        }
        let end = u32::try_from(d.postings.len())
            .map_err(|_| dfs.corrupt("more postings than a dictionary can hold"))?;
        d.starts.push(end);
    }
    dfs.finish()?;
    doc_numbers.finish()?;
    tfs.finish()?;
    Ok(d)
}

/// The index as bytes: the same index always gives the same bytes. Sections are written
/// in place after room for the header and table, never copied: at 10⁵ articles the
/// file is hundreds of megabytes. The dictionaries are not written: a reader derives
/// them from the stored articles ([`from_bytes`]).
///
/// # Panics
/// Given an index loaded ([`from_bytes`], a sharded reader's) rather than built
/// ([`Index::build`]): a loaded index keeps no term frequencies to write.
pub fn to_bytes(index: &Index) -> Vec<u8> {
    let table_end = HEADER_LEN + SECTIONS.len() * ENTRY_LEN + 4;
    let mut out = vec![0u8; table_end];
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(SECTIONS.len());
    let mut section = |out: &mut Vec<u8>, write: &mut dyn FnMut(&mut Vec<u8>)| {
        let start = out.len();
        write(out);
        spans.push((start, out.len()));
    };

    section(&mut out, &mut |meta| {
        put_varint(meta, index.articles.len() as u64);
        for norms in &index.field_norms {
            meta.extend_from_slice(norms);
        }
        for avg in index.avg_field_len {
            meta.extend_from_slice(&avg.to_le_bytes());
        }
    });
    section(&mut out, &mut |by_id| {
        for &doc in &index.by_id {
            put_varint(by_id, doc as u64);
        }
    });
    section(&mut out, &mut |arts| put_articles(arts, index));
    seal(&mut out, &spans);
    out
}

/// Fills in the header and the section table, with every checksum, before the sections
/// at `spans` of `out`.
fn seal(out: &mut [u8], spans: &[(usize, usize)]) {
    let mut head = Vec::with_capacity(HEADER_LEN + spans.len() * ENTRY_LEN + 4);
    head.extend_from_slice(&MAGIC);
    head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    head.extend_from_slice(&(spans.len() as u32).to_le_bytes());
    for (tag, &(start, end)) in SECTIONS.iter().zip(spans) {
        head.extend_from_slice(tag.as_bytes());
        head.extend_from_slice(&(start as u64).to_le_bytes());
        head.extend_from_slice(&((end - start) as u64).to_le_bytes());
        head.extend_from_slice(&crate::crc::crc32(&out[start..end]).to_le_bytes());
    }
    let table_crc = crate::crc::crc32(&head);
    head.extend_from_slice(&table_crc.to_le_bytes());
    out[..head.len()].copy_from_slice(&head);
}

/// Sizes in bytes of each section of a serialized index, by tag, for figures.
pub fn section_sizes(bytes: &[u8]) -> Result<Vec<(String, usize)>, CodecError> {
    Ok(SECTIONS
        .iter()
        .zip(sections(bytes)?)
        .map(|(tag, s)| (tag.to_string(), s.len()))
        .collect())
}

fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().expect("4 bytes"))
}

fn le_u64(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("8 bytes"))
}

/// The sections' bytes in [`SECTIONS`] order, once the header, the table and every
/// checksum are verified.
fn sections(bytes: &[u8]) -> Result<[&[u8]; SECTIONS.len()], CodecError> {
    let listed = listed_sections(bytes)?;
    for (tag, &(section, stored)) in SECTIONS.iter().zip(&listed) {
        checksum(tag, section, stored)?;
    }
    Ok(listed.map(|(section, _)| section))
}

/// A section's bytes against the checksum the table stores for it.
fn checksum(section: &'static str, bytes: &[u8], stored: u32) -> Result<(), CodecError> {
    let computed = crate::crc::crc32(bytes);
    if stored != computed {
        return Err(CodecError::ChecksumMismatch {
            section,
            stored,
            computed,
        });
    }
    Ok(())
}

/// The sections' bytes in [`SECTIONS`] order, each with its stored checksum (not yet
/// verified), once the header and the table are.
#[allow(clippy::type_complexity)]
fn listed_sections(bytes: &[u8]) -> Result<[(&[u8], u32); SECTIONS.len()], CodecError> {
    if bytes.len() < HEADER_LEN {
        return Err(CodecError::Truncated { len: bytes.len() });
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(CodecError::BadMagic);
    }
    let found = le_u32(&bytes[MAGIC.len()..MAGIC.len() + 4]);
    if found != FORMAT_VERSION {
        return Err(CodecError::UnsupportedVersion {
            found,
            expected: FORMAT_VERSION,
        });
    }
    let table_error = |why: String| CodecError::Corrupt {
        section: TABLE,
        why,
    };
    let count = le_u32(&bytes[MAGIC.len() + 4..HEADER_LEN]);
    if count as usize != SECTIONS.len() {
        return Err(table_error(format!(
            "{count} sections listed, this version writes {}",
            SECTIONS.len()
        )));
    }
    let table_end = HEADER_LEN + SECTIONS.len() * ENTRY_LEN;
    let Some(stored) = bytes.get(table_end..table_end + 4).map(le_u32) else {
        return Err(CodecError::Truncated { len: bytes.len() });
    };
    let computed = crate::crc::crc32(&bytes[..table_end]);
    if stored != computed {
        return Err(CodecError::ChecksumMismatch {
            section: TABLE,
            stored,
            computed,
        });
    }
    let mut out = [(&bytes[..0], 0); SECTIONS.len()];
    // Sections follow the table back to back, in order, up to the last byte.
    let mut expected_offset = (table_end + 4) as u64;
    for (i, tag) in SECTIONS.iter().enumerate() {
        let entry = &bytes[HEADER_LEN + i * ENTRY_LEN..][..ENTRY_LEN];
        if &entry[..4] != tag.as_bytes() {
            return Err(table_error(format!(
                "entry {i} is \"{}\", expected {tag}",
                String::from_utf8_lossy(&entry[..4]).escape_default()
            )));
        }
        let (offset, len) = (le_u64(&entry[4..12]), le_u64(&entry[12..20]));
        if offset != expected_offset {
            return Err(table_error(format!(
                "{tag} starts at byte {offset}, expected {expected_offset}"
            )));
        }
        let end = offset.saturating_add(len);
        let section = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(end).ok())
            .and_then(|(start, end)| bytes.get(start..end))
            .ok_or_else(|| CodecError::Corrupt {
                section: tag,
                why: format!(
                    "ends at byte {end}, past the end of the index ({} bytes): truncated?",
                    bytes.len()
                ),
            })?;
        out[i] = (section, le_u32(&entry[20..24]));
        expected_offset = end;
    }
    if expected_offset != bytes.len() as u64 {
        return Err(table_error(format!(
            "{} bytes follow the last section",
            bytes.len() as u64 - expected_offset
        )));
    }
    Ok(out)
}

/// Loads an index written by [`to_bytes`], deriving its dictionaries from the stored
/// articles with [`Index::build`]'s own code. Any bytes at all give `Ok` or a
/// [`CodecError`] naming what is wrong and where, never a panic.
pub fn from_bytes(bytes: &[u8]) -> Result<Index, CodecError> {
    let [meta, byid, arts] = sections(bytes)?;
    let (field_norms, avg_field_len) = get_meta(meta)?;
    let docs = field_norms.len();
    let (by_id, stored) = get_stored(byid, arts, docs)?;
    let mut articles = Vec::with_capacity(docs);
    for (c, (bytes, crc)) in stored.chunks.iter().enumerate() {
        let stubs = &stored.stubs[c * ARTICLES_PER_CHUNK..][..stored.chunk_len(c)];
        articles.extend(get_chunk(c, bytes, *crc, stubs)?);
    }
    let mut builder = DictionaryBuilder::default();
    articles.iter().for_each(|a| builder.add(a));
    let dicts = derived_dicts(builder, &field_norms, &avg_field_len)?;
    Ok(Index::assemble(
        articles.into(),
        by_id,
        field_norms,
        avg_field_len,
        dicts.map(LazyDict::from),
    ))
}

/// [`from_bytes`] for an index built into the program (the app's embedded bundle): the
/// term dictionaries (most of the work) are derived when a search first touches one,
/// or a slice at a time by [`Index::load_some`], or at once by
/// [`Index::finish_loading`], and each chunk of stored articles is decoded when one of
/// its articles is first read (deriving reads them all), so the first page (no query:
/// 20 articles and the facets, read from `ARTS`' head) shows sooner. Damage found then
/// (a chunk failing its checksum, articles whose field lengths are not `META`'s) leaves
/// the dictionaries empty, or the chunk's articles without their text, and
/// `finish_loading` returns it. Everything else (`META`, `BYID`, `ARTS`' head) is
/// checked here.
pub fn from_static_bytes(bytes: &'static [u8]) -> Result<Index, CodecError> {
    from_held_bytes(bytes)
}

/// [`from_static_bytes`] for bytes the index keeps shared (tests, and any host that
/// reads the bundle at run time).
pub fn from_shared_bytes(bytes: std::sync::Arc<[u8]>) -> Result<Index, CodecError> {
    from_held_bytes(bytes)
}

fn from_held_bytes(held: impl AsRef<[u8]> + Send + Sync + 'static) -> Result<Index, CodecError> {
    let held = std::sync::Arc::new(held);
    let bytes = (*held).as_ref();
    let [meta, byid, arts] = listed_sections(bytes)?;
    // `ARTS`' own checksum waits with its chunks: its head and each chunk have theirs.
    for (tag, (section, stored)) in [("META", meta), ("BYID", byid)] {
        checksum(tag, section, stored)?;
    }
    let (field_norms, avg_field_len) = get_meta(meta.0)?;
    let docs = field_norms.len();
    let (by_id, stored) = get_stored(byid.0, arts.0, docs)?;
    // Where each part lies in the held bytes, for the decoders to find it again.
    let start = bytes.as_ptr() as usize;
    let span_of = |part: &[u8]| {
        let at = part.as_ptr() as usize - start;
        at..at + part.len()
    };
    let chunk_spans: Vec<_> = stored
        .chunks
        .iter()
        .map(|(bytes, crc)| (span_of(bytes), *crc))
        .collect();
    let chunk_bytes = held.clone();
    let decode = move |c: usize, stubs: &[Article]| {
        let (span, crc) = &chunk_spans[c];
        get_chunk(c, &(*chunk_bytes).as_ref()[span.clone()], *crc, stubs)
    };
    let (arts_span, arts_crc) = (span_of(arts.0), arts.1);
    let whole = held.clone();
    let check_whole = move || checksum("ARTS", &(*whole).as_ref()[arts_span.clone()], arts_crc);
    let articles = Articles::deferred(DeferredArticles::new(
        stored.stubs,
        ARTICLES_PER_CHUNK,
        Box::new(decode),
        Box::new(check_whole),
    ));
    // The dictionaries, derived article by article from the same (shared) articles, so
    // each chunk is decoded once, whether deriving or the reader reads it first.
    let (source, norms) = (articles.clone(), field_norms.clone());
    let mut deriving = Deriving::Adding(DictionaryBuilder::default());
    // One step a call: a slice of articles, then each dictionary laid out, then each
    // weighed, so a reader deriving in slices yields between steps.
    let deferred = DeferredDicts::new(move |budget| match &mut deriving {
        Deriving::Adding(b) => {
            let mut text = 0usize;
            while b.len() < docs && text < budget {
                let doc = b.len();
                match source.get_whole(doc) {
                    Some(Ok(article)) => {
                        text += article_text_len(article);
                        b.add(article);
                    }
                    found => {
                        let error = found.and_then(Result::err).unwrap_or(CodecError::Corrupt {
                            section: "ARTS",
                            why: format!("no article {doc} of {docs}"),
                        });
                        deriving = Deriving::Done;
                        return Some(Err(error));
                    }
                }
            }
            if b.len() == docs {
                if let Deriving::Adding(b) = std::mem::replace(&mut deriving, Deriving::Done) {
                    deriving = Deriving::Finishing(b.finishing());
                }
            }
            None
        }
        Deriving::Finishing(finishing) => {
            let built = finishing.step()?;
            if let Err(e) = check_derived(&built, &norms, &avg_field_len) {
                deriving = Deriving::Done;
                return Some(Err(e));
            }
            deriving = Deriving::Weighing {
                dicts: built.dicts,
                bm25: Bm25F::new(&norms, &avg_field_len),
                weighed: 0,
            };
            None
        }
        Deriving::Weighing {
            dicts,
            bm25,
            weighed,
        } => {
            dicts[*weighed].weigh_for_reading(bm25);
            *weighed += 1;
            if *weighed < dicts.len() {
                return None;
            }
            let dicts = std::mem::take(dicts);
            deriving = Deriving::Done;
            Some(Ok(dicts))
        }
        // Not called once a result was given; an answer rather than a loop if it were.
        Deriving::Done => Some(Err(CodecError::Corrupt {
            section: "ARTS",
            why: "the dictionaries were already derived".into(),
        })),
    });
    Ok(Index::assemble(
        articles,
        by_id,
        field_norms,
        avg_field_len,
        LazyDict::deferred(deferred),
    ))
}

/// Bytes of an article's indexed text: how deriving measures its slices.
fn article_text_len(a: &Article) -> usize {
    a.title.len()
        + a.lead.as_ref().map_or(0, String::len)
        + a.body.iter().map(String::len).sum::<usize>()
        + a.captions.iter().map(|c| c.text.len()).sum::<usize>()
}

/// Where deriving the dictionaries from the stored articles stands.
// One per index, only while deriving: its variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Deriving {
    Adding(DictionaryBuilder),
    Finishing(Finishing),
    Weighing {
        dicts: [TermDict; 3],
        bm25: Bm25F,
        weighed: usize,
    },
    Done,
}

/// The dictionaries `builder` derived from the stored articles, weighed, once its field
/// lengths are found to be `META`'s (which the first page's BM25F statistics came from).
fn derived_dicts(
    builder: DictionaryBuilder,
    field_norms: &[[u8; FIELD_COUNT]],
    avg_field_len: &[f32; FIELD_COUNT],
) -> Result<[TermDict; 3], CodecError> {
    let built = builder.finish();
    check_derived(&built, field_norms, avg_field_len)?;
    Ok(built.weighed(&Bm25F::new(field_norms, avg_field_len)))
}

/// Whether the field lengths found deriving are `META`'s.
fn check_derived(
    built: &BuiltDictionaries,
    field_norms: &[[u8; FIELD_COUNT]],
    avg_field_len: &[f32; FIELD_COUNT],
) -> Result<(), CodecError> {
    let mismatch = |why: String| CodecError::Corrupt {
        section: "META",
        why,
    };
    if let Some(doc) =
        (0..field_norms.len()).find(|&d| built.field_norms.get(d) != Some(&field_norms[d]))
    {
        return Err(mismatch(format!(
            "document {doc}'s field lengths are not those of its stored article"
        )));
    }
    if built.field_norms.len() != field_norms.len()
        || built.avg_field_len.map(f32::to_bits) != avg_field_len.map(f32::to_bits)
    {
        return Err(mismatch(
            "the average field lengths are not those of the stored articles".into(),
        ));
    }
    Ok(())
}

/// `META`: each document's field lengths, and the average length of each field.
#[allow(clippy::type_complexity)]
fn get_meta(meta: &[u8]) -> Result<(Vec<[u8; FIELD_COUNT]>, [f32; FIELD_COUNT]), CodecError> {
    let mut meta = Reader::new("META", meta);
    let docs = meta.count("document count")?;
    // Every document has its field lengths here, a byte each.
    if docs > meta.remaining() / FIELD_COUNT {
        return Err(meta.corrupt(format!("{docs} documents cannot fit in the section")));
    }
    let mut field_norms = Vec::with_capacity(docs);
    for _ in 0..docs {
        let bytes = meta.take(FIELD_COUNT)?;
        field_norms.push(std::array::from_fn(|f| bytes[f]));
    }
    let mut avg_field_len = [0f32; FIELD_COUNT];
    for a in &mut avg_field_len {
        *a = meta.average_length()?;
    }
    meta.finish()?;
    Ok((field_norms, avg_field_len))
}

/// What a chunk of `ARTS` stores of each article: all but its id and facet fields, which
/// the section's head holds for every article.
#[derive(serde::Serialize)]
struct ArticleTextRef<'a> {
    title: &'a str,
    url: &'a Option<String>,
    lead: &'a Option<String>,
    body: &'a [String],
    captions: &'a [Caption],
    related: &'a [Teaser],
}

/// [`ArticleTextRef`] as read back.
#[derive(serde::Deserialize)]
struct ArticleText {
    title: String,
    url: Option<String>,
    lead: Option<String>,
    body: Vec<String>,
    captions: Vec<Caption>,
    related: Vec<Teaser>,
}

/// One facet field of every article: its distinct values, sorted, and each article's
/// as 0 (none) or 1 + the value's place.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct FacetColumn {
    values: Vec<String>,
    codes: Vec<u32>,
}

/// `ARTS`' head: every article's id, and its source, category, author and date columns.
#[derive(serde::Serialize, serde::Deserialize)]
struct ArticlesHead {
    ids: Vec<String>,
    columns: [FacetColumn; 4],
}

/// The facet fields of an article, in [`ArticlesHead::columns`]' order.
fn facet_fields(a: &Article) -> [&Option<String>; 4] {
    [&a.source, &a.category, &a.author, &a.date]
}

fn facet_fields_mut(a: &mut Article) -> [&mut Option<String>; 4] {
    [&mut a.source, &mut a.category, &mut a.author, &mut a.date]
}

/// `ARTS`: the head (its length, postcard, CRC-32), then the chunk count and each chunk:
/// its article count, length, CRC-32 and the articles' text.
fn put_articles(arts: &mut Vec<u8>, index: &Index) {
    let all: Vec<&Article> = index.articles.iter().collect();
    let columns = std::array::from_fn(|f| {
        let mut values: Vec<&str> = all
            .iter()
            .filter_map(|a| facet_fields(a)[f].as_deref())
            .collect();
        values.sort_unstable();
        values.dedup();
        let codes = all
            .iter()
            .map(|a| {
                facet_fields(a)[f]
                    .as_deref()
                    .map_or(0, |v| 1 + values.binary_search(&v).expect("listed") as u32)
            })
            .collect();
        FacetColumn {
            values: values.into_iter().map(str::to_string).collect(),
            codes,
        }
    });
    let head = ArticlesHead {
        ids: all.iter().map(|a| a.id.clone()).collect(),
        columns,
    };
    let head = postcard::to_allocvec(&head).expect("the head serializes");
    put_varint(arts, head.len() as u64);
    arts.extend_from_slice(&head);
    arts.extend_from_slice(&crate::crc::crc32(&head).to_le_bytes());
    let chunks: Vec<&[&Article]> = all.chunks(ARTICLES_PER_CHUNK).collect();
    put_varint(arts, chunks.len() as u64);
    for chunk in chunks {
        let texts: Vec<ArticleTextRef> = chunk
            .iter()
            .map(|a| ArticleTextRef {
                title: &a.title,
                url: &a.url,
                lead: &a.lead,
                body: &a.body,
                captions: &a.captions,
                related: &a.related,
            })
            .collect();
        // Plain postcard, not compressed: the host compresses the bundle (brotli on
        // text alone beats brotli over DEFLATE by a third, UNC: 2.39 MB against
        // 3.51), and start-up has nothing to inflate.
        let plain = postcard::to_allocvec(&texts).expect("articles serialize");
        put_varint(arts, chunk.len() as u64);
        put_varint(arts, plain.len() as u64);
        arts.extend_from_slice(&crate::crc::crc32(&plain).to_le_bytes());
        arts.extend_from_slice(&plain);
    }
}

/// `BYID` and `ARTS`, read but for the chunks' contents: the id order, every article's
/// stub (id and facet fields) and each chunk's bytes and checksum.
struct Stored<'a> {
    stubs: Vec<Article>,
    chunks: Vec<(&'a [u8], u32)>,
}

impl Stored<'_> {
    /// Articles in chunk `c`: [`ARTICLES_PER_CHUNK`], the last chunk the rest.
    fn chunk_len(&self, c: usize) -> usize {
        (self.stubs.len() - c * ARTICLES_PER_CHUNK).min(ARTICLES_PER_CHUNK)
    }
}

fn get_stored<'a>(
    byid: &[u8],
    arts: &'a [u8],
    docs: usize,
) -> Result<(Vec<u32>, Stored<'a>), CodecError> {
    let mut r = Reader::new("BYID", byid);
    let mut listed = vec![false; docs];
    let mut by_id = Vec::with_capacity(docs);
    for _ in 0..docs {
        let doc = r.count("doc number")?;
        match listed.get_mut(doc) {
            None => return Err(r.corrupt(format!("document {doc} of {docs} does not exist"))),
            Some(true) => return Err(r.corrupt(format!("document {doc} is listed twice"))),
            Some(seen) => *seen = true,
        }
        by_id.push(doc as u32);
    }
    r.finish()?;

    let mut r = Reader::new("ARTS", arts);
    let stubs = get_stubs(&mut r, docs)?;
    if let Some(i) = by_id
        .windows(2)
        .position(|w| stubs[w[0] as usize].id > stubs[w[1] as usize].id)
    {
        return Err(CodecError::Corrupt {
            section: "BYID",
            why: format!("entry {} is out of article-id order", i + 1),
        });
    }
    let chunk_count = r.count("chunk count")?;
    let expected = docs.div_ceil(ARTICLES_PER_CHUNK);
    if chunk_count != expected {
        return Err(r.corrupt(format!(
            "{chunk_count} chunks for {docs} articles, expected {expected}"
        )));
    }
    let mut stored = Stored {
        stubs,
        chunks: Vec::with_capacity(chunk_count),
    };
    for c in 0..chunk_count {
        let count = r.count("article count")?;
        if count != stored.chunk_len(c) {
            return Err(r.corrupt(format!(
                "chunk {c} holds {count} articles, expected {}",
                stored.chunk_len(c)
            )));
        }
        let len = r.count("chunk length")?;
        let crc = le_u32(r.take(4)?);
        stored.chunks.push((r.take(len)?, crc));
    }
    r.finish()?;
    Ok((by_id, stored))
}

/// `ARTS`' head, checked against its checksum: every article's id and facet fields, as
/// articles without text.
fn get_stubs(r: &mut Reader, docs: usize) -> Result<Vec<Article>, CodecError> {
    let len = r.count("head length")?;
    let head = r.take(len)?;
    let stored = le_u32(r.take(4)?);
    let computed = crate::crc::crc32(head);
    if stored != computed {
        return Err(r.corrupt(format!(
            "the head's checksum is {computed:08x}, {stored:08x} stored: damaged"
        )));
    }
    // Postcard allocates no more than the bytes read justify (serde's cautious size hints).
    let head: ArticlesHead = match postcard::take_from_bytes(head) {
        Ok((head, [])) => head,
        Ok((_, rest)) => return Err(r.corrupt(format!("{} bytes after the head", rest.len()))),
        Err(e) => return Err(r.corrupt(format!("the head does not decode: {e}"))),
    };
    if head.ids.len() != docs {
        return Err(r.corrupt(format!("{} ids for {docs} documents", head.ids.len())));
    }
    let mut stubs: Vec<Article> = head
        .ids
        .into_iter()
        .map(|id| Article {
            id,
            ..Article::default()
        })
        .collect();
    for (f, column) in head.columns.into_iter().enumerate() {
        if column.codes.len() != docs {
            return Err(r.corrupt(format!(
                "facet column {f} has {} values for {docs} documents",
                column.codes.len()
            )));
        }
        for (stub, &code) in stubs.iter_mut().zip(&column.codes) {
            *facet_fields_mut(stub)[f] = match code {
                0 => None,
                c => Some(column.values.get(c as usize - 1).cloned().ok_or_else(|| {
                    r.corrupt(format!(
                        "facet column {f}: value {c} of {}",
                        column.values.len()
                    ))
                })?),
            };
        }
    }
    Ok(stubs)
}

/// Chunk `c` of `ARTS`: its text, checked against its checksum, with each article's id
/// and facet fields from `stubs` (the chunk's, from the head).
fn get_chunk(
    c: usize,
    bytes: &[u8],
    crc: u32,
    stubs: &[Article],
) -> Result<Vec<Article>, CodecError> {
    let corrupt = |why: String| CodecError::Corrupt {
        section: "ARTS",
        why: format!("chunk {c} ({} bytes): {why}", bytes.len()),
    };
    let computed = crate::crc::crc32(bytes);
    if crc != computed {
        return Err(corrupt(format!(
            "its checksum is {computed:08x}, {crc:08x} stored: damaged"
        )));
    }
    let texts: Vec<ArticleText> = match postcard::take_from_bytes(bytes) {
        Ok((texts, [])) => texts,
        Ok((_, rest)) => return Err(corrupt(format!("{} bytes after its articles", rest.len()))),
        Err(e) => return Err(corrupt(format!("does not decode: {e}"))),
    };
    if texts.len() != stubs.len() {
        return Err(corrupt(format!(
            "holds {} articles, its header says {}",
            texts.len(),
            stubs.len()
        )));
    }
    Ok(stubs
        .iter()
        .zip(texts)
        .map(|(stub, t)| Article {
            title: t.title,
            url: t.url,
            lead: t.lead,
            body: t.body,
            captions: t.captions,
            related: t.related,
            ..stub.clone()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn sample() -> Index {
        Index::build(vec![
            Article {
                id: "a".into(),
                title: "Huyện Thanh Trì".into(),
                body: vec!["Phát động phong trào ở TP.HCM, Covid-19".into()],
                ..Article::default()
            },
            Article {
                id: "b".into(),
                title: "trì trì trì trì trì".into(),
                lead: Some("Thành phố Hồ Chí Minh".into()),
                ..Article::default()
            },
        ])
    }

    fn deferred(bytes: Vec<u8>) -> Result<Index, CodecError> {
        from_shared_bytes(std::sync::Arc::from(bytes))
    }

    /// The ids of a first page of 20, as the app asks for it.
    fn page_ids(index: &Index, q: &str, sort: crate::facets::Sort) -> Vec<String> {
        let request = crate::search::Request {
            filters: Default::default(),
            sort,
            offset: 0,
            limit: 20,
            count_facets: true,
            typing: false,
        };
        let page = index.find(&index.query(q), &request);
        page.hits.iter().map(|h| h.id.clone()).collect()
    }

    /// The app's first page, no query: the newest articles and the facets.
    fn first_page(index: &Index) -> Vec<String> {
        page_ids(index, "", crate::facets::Sort::Newest)
    }

    fn search_ids(index: &Index, q: &str) -> Vec<String> {
        page_ids(index, q, crate::facets::Sort::Relevance)
    }

    #[test]
    fn deferred_dictionaries_wait_for_the_first_search() {
        let index = sample();
        let loaded = deferred(to_bytes(&index)).unwrap();
        assert!(!loaded.dictionaries_decoded());
        assert_eq!(first_page(&loaded).len(), 2);
        assert!(
            !loaded.dictionaries_decoded(),
            "the first page looked up a term"
        );
        assert_eq!(search_ids(&loaded, "covid"), ["a"]);
        assert!(loaded.dictionaries_decoded());
        assert_eq!(loaded.finish_loading(), Ok(()));
        assert_eq!(loaded, from_bytes(&to_bytes(&index)).unwrap());
    }

    #[test]
    fn articles_that_disagree_with_meta_are_reported_on_first_touch() {
        let index = sample();
        let bytes = to_bytes(&index);
        // A crafted META (checksums sealed again) whose first document's title is longer
        // than its stored article's: the first page loads, the derived dictionaries are
        // refused, the same way by both loaders.
        let mut meta = bodies(&bytes)[0].clone();
        meta[1] ^= 0x01;
        let crafted = with_section(&index, "META", meta);
        let loaded = deferred(crafted.clone()).unwrap();
        assert_eq!(first_page(&loaded).len(), 2);
        assert!(search_ids(&loaded, "covid").is_empty(), "nothing matches");
        let (section, why) = corrupt_in(loaded.finish_loading());
        assert_eq!(section, "META");
        assert!(why.contains("document 0's field lengths"), "{why}");
        assert_eq!(loaded.finish_loading(), from_bytes(&crafted).map(|_| ()));
        // Damage to the articles' head is found at load, as before.
        let arts = with_section(&index, "ARTS", vec![0xff; 4]);
        assert_eq!(corrupt_in(deferred(arts)).0, "ARTS");
    }

    #[test]
    fn dictionaries_are_derived_in_slices_and_a_search_finishes_them() {
        let index = dated_articles();
        let bytes = to_bytes(&index);
        // A budget of one byte of text: one article a slice, then a slice for each
        // dictionary laid out (three) and each weighed (three), the last one finishing.
        let sliced = deferred(bytes.clone()).unwrap();
        let mut slices = 1;
        while !sliced.load_some(1) {
            assert!(!sliced.dictionaries_decoded());
            slices += 1;
        }
        assert_eq!(slices, index.len() + 6);
        assert!(sliced.dictionaries_decoded());
        assert_eq!(sliced.finish_loading(), Ok(()));
        assert_eq!(sliced, index);
        // Halfway, a search finishes the rest at once and finds what the built index does.
        let halfway = deferred(bytes).unwrap();
        for _ in 0..60 {
            assert!(!halfway.load_some(1));
        }
        assert_eq!(search_ids(&halfway, "tin 70"), search_ids(&index, "tin 70"));
        assert!(halfway.dictionaries_decoded() && halfway.load_some(1));
        assert_eq!(halfway, index);
    }

    /// 133 articles dated by doc: the newest are the last ones.
    fn dated_articles() -> Index {
        Index::build(
            (0..133)
                .map(|i| Article {
                    id: format!("{i:04}"),
                    title: format!("Tin số {i} về Hà Nội"),
                    source: Some(["Dân trí", "Tuổi trẻ"][i % 2].into()),
                    author: (i % 3 == 0).then(|| format!("Tác giả {}", i % 7)),
                    date: Some(format!("2021-{:02}-{:02}", 1 + i / 28, 1 + i % 28)),
                    body: vec!["Đoạn một.".into(), format!("Đoạn {i}.")],
                    ..Article::default()
                })
                .collect(),
        )
    }

    #[test]
    fn stored_articles_are_decoded_per_chunk_on_first_touch() {
        let index = dated_articles();
        let bytes = to_bytes(&index);
        let eager = from_bytes(&bytes).unwrap();
        let lazy = deferred(bytes).unwrap();
        let chunks = 133usize.div_ceil(ARTICLES_PER_CHUNK);
        assert_eq!(lazy.articles().chunks_not_decoded(), chunks);
        // The first page: the 20 newest (docs 132..=113) and every facet, from the head.
        let request = crate::search::Request {
            sort: crate::facets::Sort::Newest,
            limit: 20,
            ..Default::default()
        };
        let (lazy_page, eager_page) = (
            lazy.find(&lazy.query(""), &request),
            eager.find(&eager.query(""), &request),
        );
        assert_eq!(lazy_page.facets, eager_page.facets);
        assert_eq!(lazy_page.hits, eager_page.hits);
        assert_eq!(lazy_page.hits[0].id, "0132");
        let first_page_chunks = 132 / ARTICLES_PER_CHUNK - 113 / ARTICLES_PER_CHUNK + 1;
        assert_eq!(
            lazy.articles().chunks_not_decoded(),
            chunks - first_page_chunks,
            "only the first page's chunks are decoded"
        );
        // A lookup by id reads the head; the article itself its chunk.
        assert_eq!(lazy.article("0003").unwrap().title, "Tin số 3 về Hà Nội");
        assert_eq!(
            lazy.articles().chunks_not_decoded(),
            chunks - first_page_chunks - 1
        );
        assert_eq!(lazy.finish_loading(), Ok(()));
        assert_eq!(lazy.articles().chunks_not_decoded(), 0);
        assert_eq!(lazy, eager);
        assert_eq!(eager, index);
    }

    #[test]
    fn a_damaged_chunk_is_reported_on_first_touch() {
        let index = dated_articles();
        let bytes = to_bytes(&index);
        // A byte of article 70's text: only its chunk's checksum (and the section's)
        // covers it.
        let chunk = format!("chunk {} ", 70 / ARTICLES_PER_CHUNK);
        let at = bytes
            .windows("Tin số 70 ".len())
            .position(|w| w == "Tin số 70 ".as_bytes())
            .unwrap();
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x20;
        assert!(matches!(
            from_bytes(&damaged),
            Err(CodecError::ChecksumMismatch {
                section: "ARTS",
                ..
            })
        ));
        let loaded = deferred(damaged).unwrap();
        assert_eq!(loaded.article("0005").unwrap().title, "Tin số 5 về Hà Nội");
        // Read, the damaged chunk's articles keep their id and facets, without text.
        let hit = loaded.article("0070").unwrap();
        assert_eq!((hit.id.as_str(), hit.title.as_str()), ("0070", ""));
        assert_eq!(hit.source.as_deref(), Some("Dân trí"));
        match loaded.finish_loading() {
            Err(CodecError::Corrupt { section, why }) => {
                assert_eq!(section, "ARTS");
                assert!(why.starts_with(&chunk), "{why}");
                assert!(why.contains("checksum"), "{why}");
            }
            other => panic!("expected {chunk}'s error, got {other:?}"),
        }
        // The same bytes crafted, the checksums sealed again: found by structure, the
        // same way by both loaders.
        let mut arts = bodies(&bytes)[2].clone();
        let at = arts
            .windows("Tin số 70 ".len())
            .position(|w| w == "Tin số 70 ".as_bytes())
            .unwrap();
        arts[at - 1] = 0xff; // the title's length, a varint, now unfinished
        reseal_articles(&mut arts);
        let crafted = with_section(&index, "ARTS", arts);
        let (section, why) = corrupt_in(from_bytes(&crafted));
        assert_eq!(section, "ARTS");
        assert!(
            why.starts_with(&chunk) && why.contains("does not decode"),
            "{why}"
        );
        let loaded = deferred(crafted.clone()).unwrap();
        assert_eq!(loaded.article("0070").unwrap().title, "");
        assert_eq!(
            loaded.finish_loading(),
            Err(from_bytes(&crafted).unwrap_err())
        );
    }

    /// Writes `ARTS`' inner checksums (the head's, each chunk's) again, as a crafted file
    /// would.
    fn reseal_articles(arts: &mut [u8]) {
        let mut r = Reader::new("ARTS", arts);
        let len = r.count("").unwrap();
        let head = r.at..r.at + len;
        let mut crcs = vec![(head.end, head)];
        r.take(len + 4).unwrap();
        for _ in 0..r.count("").unwrap() {
            r.count("").unwrap();
            let len = r.count("").unwrap();
            let at = r.at;
            crcs.push((at, at + 4..at + 4 + len));
            r.take(4 + len).unwrap();
        }
        for (at, span) in crcs {
            let crc = crate::crc::crc32(&arts[span]);
            arts[at..at + 4].copy_from_slice(&crc.to_le_bytes());
        }
    }

    #[test]
    fn round_trip_keeps_the_index() {
        let index = sample();
        assert_eq!(from_bytes(&to_bytes(&index)).unwrap(), index);
    }

    #[test]
    fn a_loaded_index_writes_the_same_bytes() {
        // No dictionary is written (format 10), so a loaded index lacks nothing to write.
        let bytes = to_bytes(&sample());
        assert_eq!(to_bytes(&from_bytes(&bytes).unwrap()), bytes);
    }

    #[test]
    fn same_input_gives_the_same_bytes() {
        assert_eq!(to_bytes(&sample()), to_bytes(&sample()));
    }

    #[test]
    fn many_articles_round_trip_through_chunks() {
        let articles: Vec<Article> = (0..ARTICLES_PER_CHUNK * 16 + 5)
            .map(|i| Article {
                id: format!("{i:04}"),
                title: format!("Tin số {i} về Hà Nội"),
                body: vec!["Đoạn một.".into(), format!("Đoạn {i}.")],
                ..Article::default()
            })
            .collect();
        let index = Index::build(articles);
        let back = from_bytes(&to_bytes(&index)).unwrap();
        assert_eq!(back, index);
        assert_eq!(back.article("0130").unwrap().title, "Tin số 130 về Hà Nội");
    }

    #[test]
    fn stored_articles_are_a_section_apart() {
        let sizes = section_sizes(&to_bytes(&sample())).unwrap();
        let tags: Vec<&str> = sizes.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tags, ["META", "BYID", "ARTS"], "no dictionary is shipped");
        assert!(sizes.iter().all(|(_, n)| *n > 0));
    }

    #[test]
    fn wrong_headers_are_clear_errors() {
        let bytes = to_bytes(&sample());
        assert_eq!(
            from_bytes(&bytes[..5]),
            Err(CodecError::Truncated { len: 5 })
        );
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert_eq!(from_bytes(&bad), Err(CodecError::BadMagic));
        let mut newer = bytes.clone();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert_eq!(
            from_bytes(&newer),
            Err(CodecError::UnsupportedVersion {
                found: FORMAT_VERSION + 1,
                expected: FORMAT_VERSION
            })
        );
        let cut = &bytes[..bytes.len() - 3];
        assert!(matches!(
            from_bytes(cut),
            Err(CodecError::Corrupt {
                section: "ARTS",
                ..
            })
        ));
    }

    /// The section bodies of an encoded index, to craft files from.
    fn bodies(bytes: &[u8]) -> Vec<Vec<u8>> {
        sections(bytes)
            .unwrap()
            .iter()
            .map(|s| s.to_vec())
            .collect()
    }

    fn with_section(index: &Index, tag: &str, body: Vec<u8>) -> Vec<u8> {
        let mut b = bodies(&to_bytes(index));
        b[SECTIONS.iter().position(|t| *t == tag).unwrap()] = body;
        let mut out = vec![0u8; HEADER_LEN + SECTIONS.len() * ENTRY_LEN + 4];
        let mut spans = Vec::new();
        for s in &b {
            spans.push((out.len(), out.len() + s.len()));
            out.extend_from_slice(s);
        }
        seal(&mut out, &spans);
        out
    }

    fn dict_section(terms: &[&str], docs: u32) -> Vec<u8> {
        let d = TermDict::from_parts(
            terms
                .iter()
                .map(|t| (t.to_string(), vec![(docs - 1, [1, 0, 0])]))
                .collect(),
        );
        let mut out = Vec::new();
        put_dict(&mut out, &d);
        out
    }

    fn corrupt_in<T: fmt::Debug>(result: Result<T, CodecError>) -> (&'static str, String) {
        match result {
            Err(CodecError::Corrupt { section, why }) => (section, why),
            other => panic!("expected a Corrupt error, got {other:?}"),
        }
    }

    #[test]
    fn an_average_length_that_is_no_length_is_named_by_its_bits() {
        let read = |v: f32| Reader::new("META", &v.to_le_bytes()[..]).average_length();
        assert_eq!(read(0.0).unwrap(), 0.0);
        assert_eq!(read(412.5).unwrap(), 412.5);
        for (v, bits) in [
            (f32::NAN, "0x7fc00000"),
            (f32::INFINITY, "0x7f800000"),
            (-1.0, "0xbf800000"),
        ] {
            let (section, why) = corrupt_in(read(v));
            assert_eq!(section, "META");
            assert!(
                why.contains(&format!("average field length {bits} ")),
                "{why}"
            );
        }
    }

    #[test]
    fn damage_anywhere_is_a_checksum_error_naming_the_section() {
        let bytes = to_bytes(&sample());
        let table_end = HEADER_LEN + SECTIONS.len() * ENTRY_LEN + 4;
        // A byte of the table (an offset) and of the table's own checksum.
        for at in [HEADER_LEN + 5, table_end - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            assert!(matches!(
                from_bytes(&bad),
                Err(CodecError::ChecksumMismatch { section: TABLE, .. })
            ));
        }
        let mut start = table_end;
        for (tag, body) in SECTIONS.iter().zip(bodies(&bytes)) {
            let mut bad = bytes.clone();
            bad[start + body.len() / 2] ^= 0x01;
            let err = from_bytes(&bad).unwrap_err();
            assert!(
                matches!(err, CodecError::ChecksumMismatch { section, .. } if section == *tag),
                "{tag}: {err:?}"
            );
            assert!(err.to_string().contains(tag), "{err}");
            start += body.len();
        }
    }

    #[test]
    fn checksums_add_four_bytes_per_section_and_four_for_the_table() {
        let bytes = to_bytes(&sample());
        let payload: usize = bodies(&bytes).iter().map(Vec::len).sum();
        assert_eq!(bytes.len(), HEADER_LEN + 3 * (4 + 8 + 8 + 4) + 4 + payload);
    }

    #[test]
    fn a_shared_prefix_cut_inside_a_character_is_an_error_not_a_panic() {
        // "hà" then "hàng": the writer shares "hà" (3 bytes). Sharing 2 cuts the `à` and
        // used to panic in `extend_from_within`; whatever the suffix, it is an error now.
        let honest = dict_section(&["hà", "hàng"], 2);
        assert_eq!(honest[..10], [2, 0, 3, b'h', 0xc3, 0xa0, 3, 2, b'n', b'g']);
        for (suffix, says) in [("ng", "does not sort after"), ("ñg", "not UTF-8")] {
            let mut body = honest[..6].to_vec();
            body.extend_from_slice(&[2, suffix.len() as u8]);
            body.extend_from_slice(suffix.as_bytes());
            body.extend_from_slice(&honest[10..]);
            let (section, why) = corrupt_in(get_dict(&mut Reader::new("EXCT", &body), 2, None));
            assert_eq!(section, "EXCT");
            assert!(why.contains(says), "{why}");
        }
    }

    /// The reader's in-place fast paths (one-byte doc deltas, escaped frequencies of a
    /// byte each) and its general varints read the same postings, weighed or not.
    #[test]
    fn postings_read_back_whatever_their_numbers_take() {
        use crate::index::Frequencies;
        let frequencies = [
            [1, 0, 0],
            [3, 3, 7],
            [0, 0, 8],
            [4, 1, 9],
            [0, 0, 127],
            [1, 2, 128],
            [200, 0, 7_000],
        ];
        let docs = 40_000u32;
        let postings: Vec<(u32, Frequencies)> = (0..70)
            .map(|k: u32| (k * k * 8, frequencies[k as usize % frequencies.len()]))
            .collect();
        let d = TermDict::from_parts(vec![
            ("an".to_string(), postings.clone()),
            ("bo".to_string(), postings[3..5].to_vec()),
        ]);
        let mut out = Vec::new();
        put_dict(&mut out, &d);
        let read = get_dict(&mut Reader::new("FOLD", &out), docs as usize, None).unwrap();
        let want: Vec<(u32, Frequencies)> =
            postings.iter().chain(&postings[3..5]).copied().collect();
        let got: Vec<(u32, Frequencies)> = read
            .postings
            .iter()
            .map(|p| p.doc)
            .zip(read.tfs.iter().copied())
            .collect();
        assert_eq!(got, want);
        let norms: Vec<[u8; FIELD_COUNT]> = (0..docs)
            .map(|d| [d as u8, (d >> 3) as u8, (d >> 5) as u8])
            .collect();
        let bm25 = Bm25F::new(&norms, &[9.0, 31.0, 420.0]);
        let weighed = get_dict(&mut Reader::new("FOLD", &out), docs as usize, Some(&bm25)).unwrap();
        let impacts: Vec<f32> = weighed.postings.iter().map(|p| p.impact).collect();
        let want: Vec<f32> = want
            .iter()
            .map(|&(doc, tf)| bm25.saturation(doc, tf))
            .collect();
        assert_eq!(impacts, want);
        // An escape cut short, in the fast path's reach or not, is an error.
        for cut in 1..4 {
            let short = &out[..out.len() - cut];
            assert!(get_dict(&mut Reader::new("FOLD", short), docs as usize, Some(&bm25)).is_err());
        }
    }

    #[test]
    fn terms_out_of_order_are_an_error() {
        let mut body = dict_section(&["an", "bo"], 2);
        body[3..5].copy_from_slice(b"co"); // "co" then "bo"
        let (section, why) = corrupt_in(get_dict(&mut Reader::new("FOLD", &body), 2, None));
        assert_eq!(section, "FOLD");
        assert!(why.contains("does not sort after"), "{why}");
    }

    #[test]
    fn front_coding_cannot_blow_up_quadratically() {
        // A 1,000-byte term, then 5,000 terms each repeating all of the one before plus a
        // byte: 4 bytes each in a 36 KB section, yet 17 MB of terms (a 1 MB section would
        // make 30 GB).
        let n = 5_001u64;
        let mut body = Vec::new();
        put_varint(&mut body, n);
        put_varint(&mut body, 0);
        put_varint(&mut body, 1000);
        body.extend(std::iter::repeat_n(b'a', 1000));
        for len in 1000..1000 + n - 1 {
            put_varint(&mut body, len);
            put_varint(&mut body, 1);
            body.push(b'a');
        }
        for _ in 0..n {
            body.extend_from_slice(&[1, 1, 0x01]); // df 1, doc 1, tf title 1
        }
        let (section, why) = corrupt_in(get_dict(&mut Reader::new("PAIR", &body), 2, None));
        assert_eq!(section, "PAIR");
        assert!(why.contains("terms add up to more than"), "{why}");
    }

    #[test]
    fn the_id_table_must_list_every_document_once_in_id_order() {
        let index = sample();
        let (_, why) = corrupt_in(from_bytes(&with_section(&index, "BYID", vec![0, 0])));
        assert!(why.contains("listed twice"), "{why}");
        let (_, why) = corrupt_in(from_bytes(&with_section(&index, "BYID", vec![1, 0])));
        assert!(why.contains("article-id order"), "{why}");
        let (_, why) = corrupt_in(from_bytes(&with_section(&index, "BYID", vec![0, 2])));
        assert!(why.contains("does not exist"), "{why}");
        let (_, why) = corrupt_in(from_bytes(&with_section(&index, "BYID", vec![0, 1, 0])));
        assert!(why.contains("left over"), "{why}");
    }

    #[test]
    fn numbers_that_overflow_are_errors() {
        let mut r = Reader::new(
            "META",
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],
        );
        assert!(
            r.varint().is_err(),
            "a tenth byte above 1 overflows 64 bits"
        );
        let mut r = Reader::new(
            "META",
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        );
        assert_eq!(r.varint(), Ok(u64::MAX));
        // A document count the section cannot hold is refused before anything is reserved.
        let mut meta = Vec::new();
        put_varint(&mut meta, u32::MAX as u64);
        let (section, why) = corrupt_in(from_bytes(&with_section(&sample(), "META", meta)));
        assert_eq!(section, "META");
        assert!(why.contains("cannot fit"), "{why}");
    }

    #[test]
    fn stored_text_is_plain_for_the_hosts_compression() {
        // DEFLATE inside the bundle hid the text from the host's brotli, which then sent
        // a third more bytes: the words must be there as they are.
        let index = sample();
        let bytes = to_bytes(&index);
        let arts = bodies(&bytes)[SECTIONS.iter().position(|t| *t == "ARTS").unwrap()].clone();
        for needle in ["Huyện Thanh Trì", "Phát động phong trào ở TP.HCM, Covid-19"] {
            assert!(
                arts.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle:?} is not in ARTS as plain bytes"
            );
        }
    }

    #[test]
    fn postings_are_laid_out_by_kind() {
        // Three terms, two postings each: every document frequency, then every doc
        // delta, then every frequency byte, so alike bytes stand together.
        let d = TermDict::from_parts(
            ["a", "b", "c"]
                .iter()
                .map(|t| {
                    let postings = vec![(1, [1, 0, 0]), (3, [0, 0, 2])];
                    (t.to_string(), postings)
                })
                .collect(),
        );
        let mut out = Vec::new();
        put_dict(&mut out, &d);
        let terms = [3, 0, 1, b'a', 0, 1, b'b', 0, 1, b'c'];
        assert_eq!(out[..terms.len()], terms);
        let streams = [3, 6, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0x20, 1, 0x20, 1, 0x20];
        assert_eq!(out[terms.len()..], streams);
        let back = get_dict(&mut Reader::new("FOLD", &out), 4, None).unwrap();
        assert_eq!(TermDict::whole(back), d);
    }

    /// `trà` (in 7, whose folded `tra` is not in the base) and `trì` (in 95 and 99, within
    /// `tri`'s 90, 95, 99), coded as `EXCT` is.
    fn exact_within_tri() -> (TermDict, TermDict, Vec<u8>) {
        let tf = [1, 0, 0];
        let base = TermDict::from_parts(vec![("tri".into(), vec![(90, tf), (95, tf), (99, tf)])]);
        let exact = TermDict::from_parts(vec![
            ("trà".into(), vec![(7, tf)]),
            ("trì".into(), vec![(95, tf), (99, tf)]),
        ]);
        let mut out = Vec::new();
        // Within its folded word's postings, as format 9's `EXCT` was (only `tri` here).
        let base_of = |t: &str| (crate::text::fold(t) == "tri").then(|| base.postings_of(0));
        put_dict_within(&mut out, &exact, Some(&base_of));
        (base, exact, out)
    }

    #[test]
    fn marked_syllables_are_coded_as_places_in_their_folded_words_list() {
        let (base, exact, out) = exact_within_tri();
        let terms = [2, 0, 4, b't', b'r', 0xc3, 0xa0, 2, 2, 0xc3, 0xac];
        // One exception, term 0 (`trà`: no `tra` to code it within); then `trì`'s docs as
        // places 1 and 2 in `tri`'s list (deltas 1, 0), not as docs 95 and 99.
        let rest = [1, 0, 2, 3, 1, 2, 7, 1, 0, 1, 1, 1];
        assert_eq!(out, [&terms[..], &rest[..]].concat());
        let base_of = |t: &str| (crate::text::fold(t) == "tri").then(|| base.postings_of(0));
        let back = get_dict_within(&mut Reader::new("EXCT", &out), 100, None, Some(&base_of));
        assert_eq!(TermDict::whole(back.unwrap()), exact);
    }

    #[test]
    fn a_place_outside_its_folded_words_list_is_an_error() {
        let (base, _, out) = exact_within_tri();
        let base_of = |t: &str| (crate::text::fold(t) == "tri").then(|| base.postings_of(0));
        let decode = |bytes: &[u8]| {
            let err = get_dict_within(&mut Reader::new("EXCT", bytes), 100, None, Some(&base_of))
                .unwrap_err();
            let CodecError::Corrupt { section, why } = err else {
                panic!("expected Corrupt, got {err:?}")
            };
            assert_eq!(section, "EXCT");
            why
        };
        // `trì`'s first place 1 → 3: past the end of `tri`'s three postings.
        let mut beyond = out.clone();
        beyond[18] = 3;
        let why = decode(&beyond);
        assert!(why.contains("names place 3 in a list of 3"), "{why}");
        // No exceptions: `trà` must then be coded within `tra`, which is not there.
        let mut unlisted = out[..11].to_vec();
        unlisted.push(0);
        unlisted.extend_from_slice(&out[13..]);
        let why = decode(&unlisted);
        assert!(why.contains("not in FOLD"), "{why}");
    }

    #[test]
    fn pairs_are_coded_within_their_rarer_word() {
        let tf = [1, 0, 0];
        let base = TermDict::from_parts(vec![
            ("thanh".into(), (0..50).map(|d| (d, tf)).collect()),
            ("tri".into(), vec![(10, tf), (40, tf)]),
        ]);
        let pairs = TermDict::from_parts(vec![("thanh tri".into(), vec![(40, tf)])]);
        // A pair within its rarer word's postings, as format 9's `PAIR` was coded.
        let base_of = |t: &str| t.split_once(' ').map(|_| base.postings_of(1));
        let mut out = Vec::new();
        put_dict_within(&mut out, &pairs, Some(&base_of));
        // No exceptions, one posting: place 1 in `tri`'s list (in `thanh`'s it is 40).
        assert_eq!(out[12..], [0, 1, 1, 1, 1, 1]);
        let back = get_dict_within(&mut Reader::new("PAIR", &out), 50, None, Some(&base_of));
        assert_eq!(TermDict::whole(back.unwrap()), pairs);
    }

    #[test]
    fn a_posting_stream_cut_short_is_an_error_naming_it() {
        let d = TermDict::from_parts(vec![(
            "a".to_string(),
            vec![(1, [1, 0, 0]), (2, [1, 0, 0])],
        )]);
        let mut out = Vec::new();
        put_dict(&mut out, &d);
        // Drop the last frequency byte.
        out.pop();
        let err = get_dict(&mut Reader::new("PAIR", &out), 3, None).unwrap_err();
        let CodecError::Corrupt { section, why } = err else {
            panic!("expected Corrupt, got {err:?}")
        };
        assert_eq!(section, "PAIR");
        assert!(why.contains("term frequencies"), "{why}");
    }
}
