//! The sharded layout (issue 11): an index split into immutable files, each named by a
//! hash of its content, so a reader fetches only what a search needs and a CDN or service
//! worker may cache every file forever.
//!
//! - the **root**: what the first page (the newest articles, no query) reads: counts,
//!   facet columns and dates, the heads' names, and the directory file's name;
//! - the **directory**: what a search reads beyond it, fetched once the first page is
//!   shown: field lengths, and a directory of the other files: for each dictionary
//!   (folded, exact, pairs) and for article ids, the first term of each term range with
//!   its file's name; the stored-article chunks by doc range;
//! - **range files**: a dictionary's terms in one range, postings kept with their terms
//!   (the codec's encoding); ranges are cut where a term's hash says so once a range is
//!   big enough, so a rebuild with a few more articles keeps most boundaries;
//! - **reverse pair counts**: each pair's article count, keyed by its second word, in
//!   ranges like the dictionaries': what vouching for typo candidates before a neighbour
//!   reads (one or two files, where the pairs by first word were a range per candidate);
//! - **chunks**: [`DOCS_PER_CHUNK`] stored articles, letters coded and DEFLATE-compressed
//!   (`dictionary.rs`): an article's own content only (not its facets, which the root
//!   holds, nor its URL), so a rebuild with more articles keeps their names;
//! - **heads**: [`DOCS_PER_HEAD`] articles' ids, titles and first passages' starts, DEFLATE-compressed:
//!   what a list without a query shows of each (its row's title and snippet), a fraction
//!   of the whole articles, so the first page and browsing read these, not the chunks;
//! - **words**: each article's distinctive words (what "more like this" looks up),
//!   [`DOCS_PER_WORDS_FILE`] articles a file, apart from the chunks because they are
//!   weighed by idf over the whole archive, which any new article shifts;
//! - the **lexicon**: a 32-bit hash of every folded term of letters a–z, read before the
//!   first search, so typo corrections (hundreds of probes, in every range) fetch only
//!   the ranges of those that exist;
//! - the **dictionary**: the one-byte codes of the archive's most frequent letters and a
//!   preset DEFLATE dictionary of the word pairs chunks repeat most, derived from the
//!   archive's first chunks (`dictionary.rs`); every chunk is coded with them, so a reader
//!   fetches it with its first chunk;
//! - **URLs**: [`DOCS_PER_URLS_FILE`] articles' URLs, DEFLATE-compressed, apart from the
//!   chunks because no row shows them: only an opened article's page.
//!
//! [`write_bundle`] writes them; [`ShardedIndex`] reads the root and whatever files it is
//! given, answers a search or an article page from them with the files it still needs,
//! and once those are in answers as the embedded
//! [`Index`](crate::Index) does.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::codec::CodecError;

mod dictionary;
mod read;
mod write;

pub use read::{Fetched, Searched, ShardedIndex};
pub use write::{
    write_bundle, write_bundle_with_chunks_of, write_bundle_with_heads_of,
    write_bundle_with_ranges_of, write_bundle_with_targets, RangeTargets, ShardedBundle,
};

pub const SHARD_MAGIC: [u8; 8] = *b"DOCBAOSH";
/// 2: chunks hold each article's distinctive words after the articles.
/// 3: the root keeps one-byte norms, byte-plane facet codes, front-coded terms and digest
/// names; the lexicon carries a frequency class per hash.
/// 4: dictionary files take the index's format-7 posting layout (`codec::put_dict`).
/// 5: distinctive words in `.words` files of their own, not in the chunks.
/// 6: `.head` files (ids, titles, first passages), named by the root after the words files.
/// 7: the root lists the chunks of one-letter queries' first rows, after the lexicon.
/// 8: the root holds what the first page reads (facets, dates, heads); a `.dir` file
/// holds the rest (field lengths, the directories, chunks, words files, lexicon).
/// 9: chunks are compressed after a preset dictionary (a `.dict` file the directory
/// names after the one-letter rows).
/// 10: chunks code the archive's most frequent letters as one byte each (the `.dict`
/// file holds them before the dictionary), and leave out the facets the root holds.
/// 11: `.rpair` files (each pair's article count, keyed by its second word), listed by
/// the directory after the pair ranges.
/// 12: the directory lists the rows' chunks of two-letter queries too.
/// 13: chunks leave out the articles' URLs, which `.urls` files hold (named by the
/// directory after the chunks' dictionary).
pub const SHARD_FORMAT_VERSION: u32 = 13;
/// Stored articles per chunk: ten results fetch a few small files, not ten large ones.
pub const DOCS_PER_CHUNK: usize = 8;
/// Articles whose distinctive words share a `.words` file: a few kB, fetched with an
/// opened article's chunk; all of them change with each rebuild, so fewer files, fewer
/// requests for a returning reader.
pub const DOCS_PER_WORDS_FILE: usize = 64;
/// Articles whose URLs share a `.urls` file: URLs of one outlet repeat their host and
/// sections, so together they compress far better than spread over chunks; an opened
/// article fetches its own file beside its chunk. On UNC, 64 a file: 42 files, ~2.6 kB
/// each (an article opened), 110 kB in all; 128: 5.0 kB each, 105 kB; 32: 1.4 kB, 118 kB
/// (front-coded they were 4% smaller, for a decoder of their own in the wasm).
pub const DOCS_PER_URLS_FILE: usize = 64;
/// Articles whose heads share a `.head` file. A head is a tenth of an article or less, so
/// the newest 20 fit in one or two files; each file costs its 8 digest bytes in the root.
pub const DOCS_PER_HEAD: usize = 32;
/// Rows of a query of one or two letters whose chunks the directory lists (what a
/// viewport of ~900 px shows while typing): a query's first keystrokes ask for them beside
/// their ranges.
pub const FIRST_LETTER_ROWS: usize = 8;
/// Bytes of a file's digest in its name (16 hex digits).
const DIGEST_LEN: usize = 8;
/// Magic, version, kind, checksum of the body.
const HEADER_LEN: usize = 8 + 4 + 4 + 4;

/// What a file of the bundle holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Root,
    Folded,
    Exact,
    Pairs,
    /// Each pair's article count, keyed by its second word first (`b a`): the checks of
    /// typo candidates before one neighbour read one or two of these files.
    ReversePairs,
    Ids,
    Docs,
    /// Articles' ids, titles and first passages: a row of a list without a query.
    Heads,
    /// Each article's distinctive words, for "more like this".
    Words,
    /// Hashes of every folded term made of the letters a–z: the words typo corrections
    /// probe, so a reader fetches only the ranges of corrections that exist.
    Lexicon,
    /// What a search needs of the archive beyond the root: field lengths, the
    /// dictionaries' directories, the names of the chunks, words files and lexicon.
    Directory,
    /// How every chunk is coded: letters' one-byte codes, the preset DEFLATE dictionary.
    Dictionary,
    /// Articles' URLs (the original's link): only an opened article shows one.
    Urls,
}

impl FileKind {
    /// Every kind of file a bundle holds.
    pub const ALL_STORED: [FileKind; 13] = [
        FileKind::Root,
        FileKind::Folded,
        FileKind::Exact,
        FileKind::Pairs,
        FileKind::ReversePairs,
        FileKind::Ids,
        FileKind::Docs,
        FileKind::Heads,
        FileKind::Words,
        FileKind::Lexicon,
        FileKind::Directory,
        FileKind::Dictionary,
        FileKind::Urls,
    ];

    fn tag(self) -> [u8; 4] {
        *match self {
            FileKind::Root => b"ROOT",
            FileKind::Folded => b"FOLD",
            FileKind::Exact => b"EXCT",
            FileKind::Pairs => b"PAIR",
            FileKind::ReversePairs => b"RPAR",
            FileKind::Ids => b"IDS_",
            FileKind::Docs => b"DOCS",
            FileKind::Heads => b"HEAD",
            FileKind::Words => b"WRDS",
            FileKind::Lexicon => b"LEXI",
            FileKind::Directory => b"DIRS",
            FileKind::Dictionary => b"DICT",
            FileKind::Urls => b"URLS",
        }
    }

    /// The file name's extension, and the section an error names.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Root => "root",
            FileKind::Folded => "fold",
            FileKind::Exact => "exct",
            FileKind::Pairs => "pair",
            FileKind::ReversePairs => "rpair",
            FileKind::Ids => "ids",
            FileKind::Docs => "docs",
            FileKind::Heads => "head",
            FileKind::Words => "words",
            FileKind::Lexicon => "lex",
            FileKind::Directory => "dir",
            FileKind::Dictionary => "dict",
            FileKind::Urls => "urls",
        }
    }
}

/// A file of the bundle that cannot be used, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardError {
    /// The file's name (`3fa9….fold`), or `root`.
    pub file: String,
    pub why: String,
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "archive file {}: {}", self.file, self.why)
    }
}

impl std::error::Error for ShardError {}

impl ShardError {
    fn new(file: &str, why: impl fmt::Display) -> ShardError {
        ShardError {
            file: file.to_string(),
            why: why.to_string(),
        }
    }

    fn codec(file: &str, e: CodecError) -> ShardError {
        ShardError::new(file, e)
    }
}

/// The name a file's bytes get: the first 16 hex digits of their SHA-256, and its kind.
pub fn name_of(kind: FileKind, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    name_from_digest(kind, &digest[..DIGEST_LEN])
}

/// The name of a file of this kind whose digest begins with these bytes.
fn name_from_digest(kind: FileKind, digest: &[u8]) -> String {
    // By hand, not `format!` per byte: a root names every file (23k at vietnews-train
    // scale), and formatting them was a tenth of reading it.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let extension = kind.extension();
    let mut name = String::with_capacity(digest.len() * 2 + 1 + extension.len());
    for &b in digest {
        name.push(HEX[usize::from(b >> 4)] as char);
        name.push(HEX[usize::from(b & 15)] as char);
    }
    name.push('.');
    name.push_str(extension);
    name
}

/// Whether a lookup of `term` can be answered by the lexicon: a term of letters a–z.
pub(crate) fn in_lexicon_alphabet(term: &str) -> bool {
    !term.is_empty() && term.bytes().all(|b| b.is_ascii_lowercase())
}

pub(crate) fn lexicon_hash(term: &str) -> u32 {
    crate::crc::crc32(term.as_bytes())
}

/// The lexicon as read: sorted hashes of the folded terms of letters a–z, and for each
/// the frequency class (`index::norms::frequency_class`) of its most frequent term.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Lexicon {
    pub(crate) hashes: Vec<u32>,
    pub(crate) classes: Vec<u8>,
}

impl Lexicon {
    /// Whether the dictionary may hold `term`, and then a frequency class no lower than
    /// its own (hashes may collide): `None` means no such word anywhere.
    pub(crate) fn class_of(&self, term: &str) -> Option<u8> {
        if !in_lexicon_alphabet(term) {
            return Some(u8::MAX);
        }
        let at = self.hashes.binary_search(&lexicon_hash(term)).ok()?;
        self.classes.get(at).copied()
    }
}

/// A file: header with the body's checksum, then the body.
fn seal(kind: FileKind, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&SHARD_MAGIC);
    out.extend_from_slice(&SHARD_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&kind.tag());
    out.extend_from_slice(&crate::crc::crc32(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The body of a file of this kind, once its header and checksum are verified.
fn open<'a>(file: &str, kind: FileKind, bytes: &'a [u8]) -> Result<&'a [u8], ShardError> {
    let body = open_named(file, kind, bytes)?;
    let stored = u32::from_le_bytes(bytes[16..20].try_into().expect("4 bytes"));
    let computed = crate::crc::crc32(body);
    if stored != computed {
        return Err(ShardError::new(
            file,
            format!(
                "damaged: checksum {stored:08x} stored, {computed:08x} computed; download it again"
            ),
        ));
    }
    Ok(body)
}

/// The body of a file of this kind whose bytes hash to its name, once its header is
/// verified: its checksum is not, since the name already says these are the bytes the
/// build wrote (a tenth of adding a file in wasm, measured on vietnews-train).
fn open_named<'a>(file: &str, kind: FileKind, bytes: &'a [u8]) -> Result<&'a [u8], ShardError> {
    if bytes.len() < HEADER_LEN {
        return Err(ShardError::new(
            file,
            format!("{} bytes, shorter than a header", bytes.len()),
        ));
    }
    if bytes[..8] != SHARD_MAGIC {
        return Err(ShardError::new(file, "not a docbao archive file"));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != SHARD_FORMAT_VERSION {
        return Err(ShardError::new(
            file,
            format!("format version {version}, this reader reads {SHARD_FORMAT_VERSION}"),
        ));
    }
    let tag = &bytes[12..16];
    if tag != kind.tag() {
        let found = FileKind::ALL_STORED
            .iter()
            .find(|k| k.tag() == tag)
            .map_or("unknown".to_string(), |k| k.extension().to_string());
        return Err(ShardError::new(
            file,
            format!(
                "holds a {found} file, a {} file was expected",
                kind.extension()
            ),
        ));
    }
    Ok(&bytes[HEADER_LEN..])
}
