//! An [`Index`] as a sharded bundle of files named by their content.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{
    dictionary, name_of, seal, FileKind, ShardError, ShardedIndex, DOCS_PER_CHUNK, DOCS_PER_HEAD,
    DOCS_PER_URLS_FILE, DOCS_PER_WORDS_FILE, FIRST_LETTER_ROWS,
};
use crate::article::Article;
use crate::codec::{put_dict, put_front_coded, put_varint};
use crate::index::norms::frequency_class;
use crate::index::{field_texts, Index, Posting, TermDict, TermRun, BODY, FIELD_COUNT, LEAD};
use crate::search::shard_terms::prefix_terms;
use crate::search::unmarked_snippet_source;
use crate::Request;

/// A term range is cut once it holds about its target's bytes of terms and postings
/// ([`RangeTargets::of`]: at most this many), at a term whose hash is a multiple of
/// [`CUT_ONE_IN`] (so boundaries depend on the terms, not on what came before), and at
/// twice the target at the latest; a term this big alone has a range of its own. Most
/// lookups (a rare word, a pair, a typo candidate) want one term of a range: 24 kB rather
/// than 48 sends about half as much for them, for ~2,400 more names in the directory of a
/// 10⁵-article archive.
pub(super) const RANGE_TARGET_BYTES: usize = 24 << 10;
/// The smallest target [`RangeTargets::of`] gives: below it, bytes barely fall (UNC's
/// exact and pair ranges near 3 kB, 1.5 or 0.75 kB: 4.20, 4.17, 4.16 MB sent over the
/// bench's plan) while the directory grows (42, 62, 95 kB) and more keystrokes take a
/// second round.
const MIN_RANGE_TARGET_BYTES: usize = 3 << 10;
/// What a range costs the directory: its first term front-coded and 8 bytes of name,
/// deflated (UNC: exact and pair ranges cut near 3 kB instead of 24 are 1,513 more ranges
/// and 19.8 kB more directory).
const DIRECTORY_BYTES_PER_RANGE: usize = 13;
/// Bytes sent per byte of target over a reader's session: the ranges fetched times
/// brotli's ratio (~0.55). The bench's plan (32 queries typed, UNC) sent 16 kB less of
/// pair ranges per kB less of target (24 → 12 kB), exact 7, folded 5 (more below 6 kB:
/// a prefix's words spread over more ranges).
const SENT_PER_TARGET_BYTE: usize = 16;
const CUT_ONE_IN: u32 = 8;
/// A range of reverse pair counts is cut near this many bytes of keys and counts (~2 kB
/// brotli). The keys before one neighbour are in a range or two, so a check costs one
/// small file; on the plan's queries 4 kB sent fewer bytes than 8 or 24 kB (UNC: 70 kB
/// of counts and 4 kB more directory, against 244 and 0.8), and 2 kB little less for
/// more rounds and 3.8 kB more directory.
pub(super) const REVERSE_RANGE_TARGET_BYTES: usize = 4 << 10;
/// The files of a sharded index: the root's name, and every file with its name.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardedBundle {
    pub root: String,
    pub files: Vec<(String, Vec<u8>)>,
}

impl ShardedBundle {
    /// The root's bytes.
    pub fn root_bytes(&self) -> &[u8] {
        self.file(&self.root).expect("the root is among the files")
    }

    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    /// A reader of this bundle with its root and directory in: what the app holds once
    /// its first page is shown (it fetches the directory then).
    pub fn reader(&self) -> Result<ShardedIndex, ShardError> {
        let mut reader = ShardedIndex::from_root(self.root_bytes())?;
        if let Some(name) = reader.directory_wanted().map(str::to_string) {
            let bytes = self
                .file(&name)
                .ok_or_else(|| ShardError::new(&name, "not in the bundle"))?;
            reader.add_shard(&name, bytes)?;
        }
        Ok(reader)
    }

    /// The files a fresh reader fetches after the root to show the first `shown` rows of
    /// the query `text` under `request`, round by round ([`ShardedIndex::find_first`] until
    /// nothing is missing): what a page can ask for while the app is still loading (the
    /// bundle's first page, preloaded: `scripts/post-build.mjs`).
    pub fn files_to_show(
        &self,
        text: &str,
        request: &Request,
        shown: usize,
    ) -> Result<Vec<String>, ShardError> {
        let mut reader = ShardedIndex::from_root(self.root_bytes())?;
        let mut files: Vec<String> = Vec::new();
        loop {
            let needs = reader.find_first(text, request, shown).needs;
            if needs.is_empty() {
                return Ok(files);
            }
            for name in needs {
                if files.contains(&name) {
                    // Added once already: asking again would never end.
                    return Err(ShardError::new(&name, "still needed once added"));
                }
                let bytes = self
                    .file(&name)
                    .ok_or_else(|| ShardError::new(&name, "not in the bundle"))?;
                reader.add_shard(&name, bytes)?;
                files.push(name);
            }
        }
    }
}

/// The index as sharded files; the same index always gives the same files. Like
/// [`crate::to_bytes`], it needs an index built ([`Index::build`]), not loaded.
pub fn write_bundle(index: &Index) -> ShardedBundle {
    write_bundle_with_chunks_of(index, DOCS_PER_CHUNK)
}

/// [`write_bundle`] with term ranges (and reverse pair counts) cut near `range_bytes`
/// (before compression): small ranges let tests cross many of them on a small corpus.
pub fn write_bundle_with_ranges_of(index: &Index, range_bytes: usize) -> ShardedBundle {
    write_bundle_shaped(
        index,
        RangeTargets::uniform(range_bytes),
        DOCS_PER_CHUNK,
        DOCS_PER_HEAD,
    )
}

/// [`write_bundle`] with each kind of range cut near the given targets and
/// `docs_per_chunk` stored articles per chunk (the root says how many): to measure what
/// other sizes cost.
pub fn write_bundle_with_targets(
    index: &Index,
    targets: RangeTargets,
    docs_per_chunk: usize,
) -> ShardedBundle {
    write_bundle_shaped(index, targets, docs_per_chunk, DOCS_PER_HEAD)
}

/// [`write_bundle`] with `docs_per_chunk` stored articles per chunk (the root says how
/// many): to measure what other chunk sizes cost.
pub fn write_bundle_with_chunks_of(index: &Index, docs_per_chunk: usize) -> ShardedBundle {
    write_bundle_shaped(
        index,
        RangeTargets::of(index),
        docs_per_chunk,
        DOCS_PER_HEAD,
    )
}

/// [`write_bundle`] with `docs_per_head` articles per head file (the root says how many):
/// to measure what other sizes cost.
pub fn write_bundle_with_heads_of(index: &Index, docs_per_head: usize) -> ShardedBundle {
    write_bundle_shaped(
        index,
        RangeTargets::of(index),
        DOCS_PER_CHUNK,
        docs_per_head,
    )
}

/// The bytes (before compression) each kind of range is cut near.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeTargets {
    pub folded: usize,
    pub exact: usize,
    pub pairs: usize,
    pub reverse: usize,
    pub ids: usize,
}

impl RangeTargets {
    /// Every kind cut near `bytes`.
    pub fn uniform(bytes: usize) -> RangeTargets {
        RangeTargets {
            folded: bytes,
            exact: bytes,
            pairs: bytes,
            reverse: bytes,
            ids: bytes,
        }
    }

    /// Each kind's bytes in `index` as the cutting counts them (reverse pair counts: not
    /// counted, 0): what [`RangeTargets::of`] derives the targets from.
    pub fn totals(index: &Index) -> RangeTargets {
        let ids = id_dict(index);
        RangeTargets {
            folded: dict_bytes(&index.folded),
            exact: dict_bytes(&index.exact),
            pairs: dict_bytes(&index.pairs),
            reverse: 0,
            ids: dict_bytes(&ids),
        }
    }

    /// The targets `write_bundle` cuts `index` with: for the folded, exact and pair
    /// ranges, sized to their dictionary. A reader fetches about as many ranges whatever
    /// their size, so it is sent bytes in proportion to the target `r`, and the directory
    /// (fetched before any search) holds a name per range, `T / r` of them for a
    /// dictionary of `T` bytes: `SENT_PER_TARGET_BYTE · r + DIRECTORY_BYTES_PER_RANGE ·
    /// T / r` is least at `r = sqrt(DIRECTORY_BYTES_PER_RANGE · T / SENT_PER_TARGET_BYTE)`.
    /// The target is the smallest of 24, 12, 6 and 3 kB at or above that (a larger range
    /// costs less than a smaller one, in rounds and files, at the same bytes), so it
    /// changes only where a dictionary's bytes cross one of thresholds four times apart:
    /// a rebuild with 1% more articles cuts with the same targets but near one. UNC (2,653
    /// articles): exact and pairs 3 kB; vietnews-train (10⁵): exact 6 kB, pairs 12 kB.
    /// Folded ranges stay at 24 kB: a word typed letter by letter finds its next prefix in
    /// the range that served the last one, where 3 kB ranges made a third letter fetch a
    /// range, then its rows' chunks, in a second round (UNC: keystrokes that fetch 133 →
    /// 173, of them in two rounds 21 → 47, for 232 kB less sent over the bench's plan).
    pub fn of(index: &Index) -> RangeTargets {
        RangeTargets {
            folded: RANGE_TARGET_BYTES,
            exact: target_for(dict_bytes(&index.exact)),
            pairs: target_for(dict_bytes(&index.pairs)),
            // Already small (~2 kB brotli; session 22 measured 2, 4, 8 and 24 kB), and
            // the ids: an opened article reads one range, 2 kB brotli at 24 kB.
            reverse: REVERSE_RANGE_TARGET_BYTES,
            ids: RANGE_TARGET_BYTES,
        }
    }
}

/// The target of a dictionary of `total` bytes ([`RangeTargets::of`]): halved while half
/// is still at or above the best size, compared squared (integers: the same on every
/// machine).
fn target_for(total: usize) -> usize {
    let best_squared = DIRECTORY_BYTES_PER_RANGE as u128 * total as u128;
    let mut target = RANGE_TARGET_BYTES;
    while target / 2 >= MIN_RANGE_TARGET_BYTES
        && SENT_PER_TARGET_BYTE as u128 * ((target / 2) as u128).pow(2) >= best_squared
    {
        target /= 2;
    }
    target
}

/// A dictionary's bytes as [`ranges`] counts them (what its ranges hold, before
/// compression).
fn dict_bytes(d: &TermDict) -> usize {
    (0..d.len()).map(|i| term_bytes(d, i)).sum()
}

/// A term's bytes in a range, as [`ranges`] counts them: postings take about two bytes
/// each once encoded.
fn term_bytes(d: &TermDict, i: usize) -> usize {
    d.term(i).len() + 2 + 2 * d.postings_of(i).len()
}

fn write_bundle_shaped(
    index: &Index,
    targets: RangeTargets,
    docs_per_chunk: usize,
    docs_per_head: usize,
) -> ShardedBundle {
    let docs_per_chunk = docs_per_chunk.max(1);
    let docs_per_head = docs_per_head.max(1);
    let docs = index.articles.len();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |kind: FileKind, body: &[u8]| -> String {
        let bytes = seal(kind, body);
        let name = name_of(kind, &bytes);
        files.push((name.clone(), bytes));
        name
    };

    // Dictionaries and ids: (first term, file name) per range.
    let mut directories: Vec<Vec<(String, String)>> = Vec::new();
    let folded_ranges = ranges(&index.folded, targets.folded.max(1));
    let prefixes = prefix_ranges(&index.folded, &folded_ranges, index.prefix_budget());
    let ids = id_dict(index);
    for (kind, dict) in [
        (FileKind::Folded, &*index.folded),
        (FileKind::Exact, &index.exact),
        (FileKind::Pairs, &index.pairs),
        (FileKind::Ids, &ids),
    ] {
        let mut directory = Vec::new();
        let cuts = match kind {
            FileKind::Folded => folded_ranges.clone(),
            FileKind::Exact => ranges(dict, targets.exact.max(1)),
            FileKind::Pairs => ranges(dict, targets.pairs.max(1)),
            _ => ranges(dict, targets.ids.max(1)),
        };
        for range in cuts {
            let first = dict.term(range.start).to_string();
            let mut body = Vec::new();
            put_dict(&mut body, &sub_dict(dict, range));
            directory.push((first, add(kind, &body)));
        }
        directories.push(directory);
    }
    // After the pairs, as the reader's directories are: [folded, exact, pairs, reverse
    // pair counts, ids].
    let reverse = reverse_pair_ranges(&index.pairs, &index.folded, targets.reverse.max(1))
        .into_iter()
        .map(|(first, body)| (first, add(FileKind::ReversePairs, &body)))
        .collect();
    directories.insert(3, reverse);
    // (hash, frequency class) of every folded word of letters a–z; where hashes collide,
    // the highest class, so the lexicon never ranks a word below its own class.
    let mut hashes: Vec<(u32, u8)> = (0..index.folded.len())
        .filter(|&i| super::in_lexicon_alphabet(index.folded.term(i)))
        .map(|i| {
            let df = index.folded.postings_of(i).len();
            (
                super::lexicon_hash(index.folded.term(i)),
                frequency_class(df),
            )
        })
        .collect();
    hashes.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    hashes.dedup_by_key(|h| h.0);
    let mut lexicon = Vec::new();
    put_varint(&mut lexicon, hashes.len() as u64);
    let mut last = 0;
    for &(h, _) in &hashes {
        put_varint(&mut lexicon, (h - last) as u64);
        last = h;
    }
    lexicon.extend(hashes.iter().map(|&(_, class)| class));
    let lexicon = add(FileKind::Lexicon, &lexicon);
    // The letters' codes and the dictionary from the first chunks, then every chunk
    // coded with them.
    let articles = index.articles.to_slice();
    let sample: Vec<Vec<u8>> = articles
        .chunks(docs_per_chunk)
        .take(dictionary::sample_chunks(docs.div_ceil(docs_per_chunk)))
        .map(serialize_chunk)
        .collect();
    let coding = dictionary::Coding::derive(&sample);
    drop(sample);
    let deflater = dictionary::Deflater::new(&coding.preset, CHUNK_LEVEL);
    let chunks: Vec<String> = articles
        .chunks(docs_per_chunk)
        .map(|chunk| {
            let coded = coding.encode(&serialize_chunk(chunk));
            add(FileKind::Docs, &deflater.compress(&coded))
        })
        .collect();
    let preset = (!coding.is_empty()).then(|| {
        let packed = miniz_oxide::deflate::compress_to_vec(&coding.to_bytes(), 9);
        add(FileKind::Dictionary, &packed)
    });
    let heads: Vec<String> = index
        .articles
        .to_slice()
        .chunks(docs_per_head)
        .map(|articles| add(FileKind::Heads, &pack_heads(articles)))
        .collect();
    let words_files: Vec<String> = (0..docs)
        .step_by(DOCS_PER_WORDS_FILE)
        .map(|first| {
            let range = first..(first + DOCS_PER_WORDS_FILE).min(docs);
            add(FileKind::Words, &pack_words(index, range))
        })
        .collect();
    let urls_files: Vec<String> = articles
        .chunks(DOCS_PER_URLS_FILE)
        .map(|articles| add(FileKind::Urls, &pack_urls(articles)))
        .collect();

    // The directory: all a search needs beyond the root.
    let mut root = Vec::new();
    for avg in index.avg_field_len {
        root.extend_from_slice(&avg.to_le_bytes());
    }
    // One field's bytes after another: lengths of one field look alike, so they compress.
    for field in 0..FIELD_COUNT {
        root.extend(index.field_norms.iter().map(|n| n[field]));
    }
    for directory in &directories {
        put_varint(&mut root, directory.len() as u64);
        let mut last = "";
        for (first, name) in directory {
            put_front_coded(&mut root, last, first);
            root.extend_from_slice(&name_digest(name));
            last = first;
        }
    }
    put_varint(&mut root, prefixes.len() as u64);
    let mut last = "";
    for (prefix, ranges) in &prefixes {
        put_front_coded(&mut root, last, prefix);
        last = prefix;
        put_varint(&mut root, ranges.len() as u64);
        let mut previous = 0;
        for &r in ranges {
            put_varint(&mut root, (r - previous) as u64);
            previous = r;
        }
    }
    put_varint(&mut root, docs_per_chunk as u64);
    put_varint(&mut root, chunks.len() as u64);
    for name in &chunks {
        root.extend_from_slice(&name_digest(name));
    }
    put_varint(&mut root, DOCS_PER_WORDS_FILE as u64);
    for name in &words_files {
        root.extend_from_slice(&name_digest(name));
    }
    root.extend_from_slice(&name_digest(&lexicon));
    let short_queries = short_query_rows(index, docs_per_chunk);
    put_varint(&mut root, short_queries.len() as u64);
    for (text, rows) in &short_queries {
        root.extend_from_slice(text);
        put_varint(&mut root, rows.len() as u64);
        for &chunk in rows {
            put_varint(&mut root, chunk as u64);
        }
    }
    put_varint(&mut root, u64::from(preset.is_some()));
    if let Some(name) = &preset {
        root.extend_from_slice(&name_digest(name));
    }
    put_varint(&mut root, DOCS_PER_URLS_FILE as u64);
    for name in &urls_files {
        root.extend_from_slice(&name_digest(name));
    }
    let directory = add(
        FileKind::Directory,
        &miniz_oxide::deflate::compress_to_vec(&root, 9),
    );

    // The root: what the first page reads (the newest articles' heads, the facets with
    // their counts), so it shows before the directory is fetched.
    let mut root = Vec::new();
    put_varint(&mut root, docs as u64);
    for get in [
        (|a: &crate::Article| a.source.as_deref()) as fn(&crate::Article) -> Option<&str>,
        |a| a.category.as_deref(),
        |a| a.author.as_deref(),
        |a| a.date.as_deref(),
    ] {
        put_column(&mut root, index.articles.iter().map(get));
    }
    put_varint(&mut root, docs_per_head as u64);
    for name in &heads {
        root.extend_from_slice(&name_digest(name));
    }
    root.extend_from_slice(&name_digest(&directory));
    // Last: what downloading the whole archive costs, shown before a reader starts it.
    // (Files of the same content share a name: one file to download.)
    let distinct: std::collections::BTreeMap<&str, usize> = files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.len()))
        .collect();
    put_varint(&mut root, distinct.len() as u64);
    put_varint(&mut root, distinct.values().sum::<usize>() as u64);
    let packed = miniz_oxide::deflate::compress_to_vec(&root, 9);
    let root_bytes = seal(FileKind::Root, &packed);
    let root = name_of(FileKind::Root, &root_bytes);
    files.push((root.clone(), root_bytes));
    ShardedBundle { root, files }
}

/// For each query of one or two letters or digits (a–z, 0–9; the second byte 0 for one),
/// the chunk of each of its first [`FIRST_LETTER_ROWS`] rows while typed (no filter, best
/// first). A query's first keystrokes need their ranges (a fresh word: usually the slowest
/// of a query), then their rows' chunks in a second round; with these they ask for both
/// in one. Two characters are listed only where a word of at least 1% of the articles
/// begins with them (the prefixes readers type; a few hundred of the 1,296).
fn short_query_rows(index: &Index, docs_per_chunk: usize) -> Vec<([u8; 2], Vec<u32>)> {
    let request = Request {
        limit: FIRST_LETTER_ROWS,
        count_facets: false,
        typing: true,
        ..Request::default()
    };
    let alphabet = || (b'0'..=b'9').chain(b'a'..=b'z');
    let common = (index.len() / 100).max(2);
    let firsts = alphabet().map(|a| [a, 0]);
    let seconds = alphabet()
        .flat_map(|a| alphabet().map(move |b| [a, b]))
        .filter(|&[a, b]| {
            let prefix = String::from_utf8(vec![a, b]).expect("ASCII");
            let dict = &index.folded;
            (dict.lower_bound(&prefix)..dict.len())
                .take_while(|&i| dict.term(i).starts_with(&prefix))
                .any(|i| dict.postings_of(i).len() >= common)
        });
    let mut texts: Vec<[u8; 2]> = firsts.chain(seconds).collect();
    texts.sort_unstable();
    texts
        .into_iter()
        .filter_map(|key| {
            let text: String = key
                .iter()
                .filter(|&&b| b != 0)
                .map(|&b| char::from(b))
                .collect();
            let page = index.find(&index.query_as(&text, true), &request);
            let rows: Vec<u32> = page
                .hits
                .iter()
                .map(|hit| hit.doc / docs_per_chunk as u32)
                .collect();
            (!rows.is_empty()).then_some((key, rows))
        })
        .collect()
}

/// A file's name as stored in the root: the 8 bytes its 16 hex digits spell (its kind is
/// known from where the root lists it).
fn name_digest(name: &str) -> [u8; super::DIGEST_LEN] {
    std::array::from_fn(|i| {
        u8::from_str_radix(&name[2 * i..2 * i + 2], 16).expect("names are written as hex")
    })
}

/// A facet column: its distinct values sorted (front-coded), then each doc's value as 0
/// (none) or 1 + its place, in as few bytes as the largest needs, one byte plane after
/// another (high bytes first): codes of similar docs look alike, so brotli and DEFLATE
/// find the runs.
fn put_column<'a>(out: &mut Vec<u8>, values: impl Iterator<Item = Option<&'a str>> + Clone) {
    let mut distinct: Vec<&str> = values.clone().flatten().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let codes: Vec<u32> = values
        .map(|v| {
            v.map_or(0, |v| {
                1 + distinct.binary_search(&v).expect("listed") as u32
            })
        })
        .collect();
    put_varint(out, distinct.len() as u64);
    let mut last = "";
    for v in &distinct {
        put_front_coded(out, last, v);
        last = v;
    }
    let width = code_width(distinct.len());
    for plane in (0..width).rev() {
        out.extend(codes.iter().map(|c| (c >> (8 * plane)) as u8));
    }
}

/// Bytes a facet code takes when a column has `distinct` values (code 0 is none).
pub(super) fn code_width(distinct: usize) -> usize {
    let largest = distinct as u64;
    (1..=4).find(|&w| largest < 1 << (8 * w)).unwrap_or(4)
}

/// Article ids in sorted order, each with its doc as a one-posting entry, so id ranges
/// share the dictionaries' encoding and checks.
fn id_dict(index: &Index) -> TermDict {
    let mut d = TermRun::default();
    for &doc in &index.by_id {
        let posting = Posting { doc, impact: 0.0 };
        d.push(&index.articles[doc as usize].id, &[posting], &[[0; 3]]);
    }
    TermDict::whole(d)
}

/// For every prefix whose terms span more than two ranges: the ranges that hold the words
/// its expansion weighs (`search::expand`): the most frequent words of letters and digits
/// beginning with it, itself aside, at most `prefix_terms` of them, up to the first whose
/// postings take the expansion past `budget`. That word is listed too: a reader must
/// see it to stop there. Which words these are depends on the prefix alone, so a reader
/// holding those ranges answers the expansion exactly and needs no other range of the
/// span.
fn prefix_ranges(d: &TermDict, cuts: &[Range<usize>], budget: usize) -> Vec<(String, Vec<u32>)> {
    let firsts: Vec<&str> = cuts.iter().map(|r| d.term(r.start)).collect();
    let range_of = |i: usize| cuts.partition_point(|r| r.end <= i) as u32;
    let mut prefixes: Vec<&str> = firsts
        .iter()
        .flat_map(|f| f.char_indices().skip(1).map(|(at, _)| &f[..at]).chain([*f]))
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    let mut out = Vec::new();
    for p in prefixes {
        let spans_many = firsts.iter().filter(|f| f.starts_with(p)).count() >= 2;
        if !spans_many {
            continue;
        }
        let start = d.lower_bound(p);
        let mut found: Vec<(usize, usize)> = (start..d.len())
            .take_while(|&i| d.term(i).starts_with(p))
            .filter(|&i| d.term(i) != p && d.term(i).chars().all(char::is_alphanumeric))
            .map(|i| (d.postings_of(i).len(), i))
            .collect();
        found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(prefix_terms(p));
        let mut spent = 0;
        let mut reach = found.len();
        for (j, &(df, _)) in found.iter().enumerate() {
            if spent > 0 && spent + df > budget {
                reach = j + 1;
                break;
            }
            spent += df;
        }
        let mut ranges: Vec<u32> = found[..reach].iter().map(|&(_, i)| range_of(i)).collect();
        ranges.sort_unstable();
        ranges.dedup();
        out.push((p.to_string(), ranges));
    }
    out
}

/// Where a dictionary is cut into ranges of terms.
pub(super) fn ranges(d: &TermDict, target: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    let mut after_big = false;
    for i in 0..d.len() {
        let term = d.term(i);
        let own = term_bytes(d, i);
        // A frequent word's postings alone fill a range: it gets one of its own, so it
        // drags no neighbour along, nor a neighbour's lookup it (the cut still depends
        // on the term alone).
        let big = own >= target;
        let due = size >= 2 * target
            || (size >= target && crate::crc::crc32(term.as_bytes()).is_multiple_of(CUT_ONE_IN))
            || big
            || after_big;
        if i > start && due {
            out.push(start..i);
            (start, size) = (i, 0);
        }
        size += own;
        after_big = big;
    }
    if start < d.len() {
        out.push(start..d.len());
    }
    out
}

/// The article count of every pair `a b` of `pairs`, keyed `b a`, in sorted ranges cut
/// as [`ranges`] cuts (near `target` bytes, where a key's hash says), each with its first
/// key and its body: the number of keys, the keys front-coded, then their counts.
fn reverse_pair_ranges(
    pairs: &TermDict,
    folded: &TermDict,
    target: usize,
) -> Vec<(String, Vec<u8>)> {
    let words = |i: u32| {
        let (a, b) = pairs.term(i as usize).split_once(' ').unwrap_or(("", ""));
        (b, a)
    };
    // A space sorts before any character of a folded word, so `b a` keys sort as the
    // (b, a) tuples do: by `b`'s place among the folded words (every pair's words are
    // folded terms), then by the pair's own place, which `a` orders. Sorted as numbers,
    // not as strings (vietnews: millions of pairs).
    let place: FxHashMap<&str, u64> = (0..folded.len())
        .map(|i| (folded.term(i), i as u64))
        .collect();
    let mut order: Vec<u64> = (0..pairs.len() as u32)
        .map(|i| {
            let p = place.get(words(i).0).copied();
            debug_assert!(p.is_some(), "a pair's word is a folded term");
            p.map_or(u64::MAX, |p| p << 32 | u64::from(i))
        })
        .collect();
    drop(place);
    order.sort_unstable();
    let order = order.into_iter().map(|k| k as u32);
    let mut out = Vec::new();
    let (mut keys, mut counts) = (Vec::new(), Vec::new());
    let (mut first, mut last, mut key) = (String::new(), String::new(), String::new());
    let (mut n, mut size) = (0u64, 0usize);
    let finish = |first: &str, n: u64, keys: &mut Vec<u8>, counts: &mut Vec<u8>| {
        let mut body = Vec::with_capacity(keys.len() + counts.len() + 5);
        put_varint(&mut body, n);
        body.append(keys);
        body.append(counts);
        (first.to_string(), body)
    };
    for i in order {
        let (b, a) = words(i);
        key.clear();
        key.push_str(b);
        key.push(' ');
        key.push_str(a);
        let due = size >= 2 * target
            || (size >= target && crate::crc::crc32(key.as_bytes()).is_multiple_of(CUT_ONE_IN));
        if n > 0 && due {
            out.push(finish(&first, n, &mut keys, &mut counts));
            (n, size) = (0, 0);
        }
        if n == 0 {
            first.clone_from(&key);
            last.clear();
        }
        let before = keys.len() + counts.len();
        put_front_coded(&mut keys, &last, &key);
        put_varint(&mut counts, pairs.postings_of(i as usize).len() as u64);
        size += keys.len() + counts.len() - before;
        n += 1;
        std::mem::swap(&mut last, &mut key);
    }
    if n > 0 {
        out.push(finish(&first, n, &mut keys, &mut counts));
    }
    out
}

fn sub_dict(d: &TermDict, range: Range<usize>) -> TermDict {
    let mut s = TermRun::default();
    for i in range {
        s.push(d.term(i), d.postings_of(i), d.tfs_of(i));
    }
    TermDict::whole(s)
}

/// DEFLATE level of the chunks: 9 saves 0.3% over 6 on UNC once letters are coded (0.14%
/// without the dictionary), and coded chunks at 9 still compress faster than plain ones
/// did at 6.
const CHUNK_LEVEL: u8 = 9;

/// A chunk before compression: its articles as they were ingested and nothing weighed
/// over the archive, so its name survives a rebuild that adds articles after it (the
/// dictionary it is compressed after stays too: `dictionary::sample_chunks`), but for
/// their source, category, author and date, which the root holds (UNC: 10 kB of the
/// chunks), and their URL, which the `.urls` files hold (no row shows it, and URLs
/// compress far better together: UNC's chunks, 250 kB of them). Postcard.
fn serialize_chunk(articles: &[Article]) -> Vec<u8> {
    let stored: Vec<Article> = articles
        .iter()
        .map(|a| Article {
            source: None,
            category: None,
            author: None,
            date: None,
            url: None,
            ..a.clone()
        })
        .collect();
    // Serializing plain vectors, strings and options into a Vec cannot fail.
    postcard::to_allocvec(&stored).expect("articles serialize")
}

/// A head file: each article's id, title and the start of its first passage (of its lead,
/// else its body), what a row of a list without a query shows (a snippet of no query is
/// the start of the first passage, `unmarked_snippet_source`). Its articles' own content only, like a chunk, so a rebuild keeps its
/// name. One DEFLATE block of postcard.
fn pack_heads(articles: &[Article]) -> Vec<u8> {
    let heads: Vec<(&str, &str, Option<&str>)> = articles
        .iter()
        .map(|a| {
            let fields = field_texts(a);
            let first = fields[LEAD].iter().chain(&fields[BODY]).next().copied();
            (
                a.id.as_str(),
                a.title.as_str(),
                first.map(unmarked_snippet_source),
            )
        })
        .collect();
    let raw = postcard::to_allocvec(&heads).expect("heads serialize");
    miniz_oxide::deflate::compress_to_vec(&raw, 9)
}

/// A URLs file: each article's URL as a list of one (none without a URL), so a reader
/// decodes it as it decodes a words file. One DEFLATE block of postcard. Its articles' own
/// content only, so a rebuild keeps its name.
fn pack_urls(articles: &[Article]) -> Vec<u8> {
    let urls: Vec<Vec<&str>> = articles
        .iter()
        .map(|a| a.url.iter().map(String::as_str).collect())
        .collect();
    let raw = postcard::to_allocvec(&urls).expect("URLs serialize");
    miniz_oxide::deflate::compress_to_vec(&raw, 9)
}

/// The distinctive words of `docs`, so "more like this" looks up a dozen words, not
/// every word of the article in ranges all over the dictionary. One DEFLATE block of
/// postcard.
fn pack_words(index: &Index, docs: Range<usize>) -> Vec<u8> {
    let distinctive: Vec<Vec<String>> = docs
        .map(|doc| index.distinctive_terms(doc as u32))
        .collect();
    let raw = postcard::to_allocvec(&distinctive).expect("words serialize");
    miniz_oxide::deflate::compress_to_vec(&raw, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk leaves out what the root holds (source, category, author, date) and the
    /// URL, which its `.urls` file holds: its articles come back whole all the same.
    #[test]
    fn a_chunk_leaves_the_facets_to_the_root() {
        let articles: Vec<Article> = (0..20)
            .map(|i| Article {
                id: format!("a{i}"),
                title: format!("Tiêu đề số {i}"),
                source: Some("Báo Xưởng Một".to_string()),
                category: Some(format!("Mục {}", i % 3)),
                author: (i % 2 == 0).then(|| "Tác Giả Hiếm".to_string()),
                date: Some(format!("2021-03-{:02}", 1 + i)),
                body: vec![format!("Nội dung bài {i} về thành phố.")],
                url: Some(format!("https://bao.example/tin-{i}.htm")),
                ..Article::default()
            })
            .collect();
        let index = Index::build(articles);
        let raw = serialize_chunk(&index.articles.to_slice()[..DOCS_PER_CHUNK]);
        for facet in [
            "Báo Xưởng Một",
            "Mục 1",
            "Tác Giả Hiếm",
            "2021-03-0",
            "bao.example",
        ] {
            let found = raw.windows(facet.len()).any(|w| w == facet.as_bytes());
            assert!(!found, "{facet} stored in the chunk");
        }
        let bundle = write_bundle(&index);
        let mut sharded = bundle.reader().unwrap();
        for i in 0..20 {
            let id = format!("a{i}");
            let needs = loop {
                let fetched = sharded.article_page(&id, None, 5);
                if fetched.answer.is_some() {
                    break Vec::new();
                }
                for name in &fetched.needs {
                    sharded.add_shard(name, bundle.file(name).unwrap()).unwrap();
                }
                if fetched.needs.is_empty() {
                    break fetched.needs;
                }
            };
            assert!(needs.is_empty());
            assert_eq!(sharded.index().article(&id), index.article(&id), "{id}");
        }
    }

    /// A small dictionary is cut near 3 kB, a large one near 24 kB, and between, the
    /// target grows with the square root of the dictionary's bytes, on the grid 3, 6, 12,
    /// 24 kB: 4× the bytes, twice the target.
    #[test]
    fn range_targets_grow_with_the_dictionary() {
        assert_eq!(target_for(0), MIN_RANGE_TARGET_BYTES);
        // UNC's dictionaries (1.2–4.7 MB as cut) and vietnews-train's (39–85 MB).
        assert_eq!(target_for(1_242_000), 3 << 10);
        assert_eq!(target_for(4_709_000), 3 << 10);
        assert_eq!(target_for(38_511_000), 6 << 10);
        assert_eq!(target_for(85_096_000), 12 << 10);
        assert_eq!(target_for(1 << 40), RANGE_TARGET_BYTES);
        let mut last = 0;
        for total in (0..40).map(|e| 1usize << e) {
            let target = target_for(total);
            assert!(target >= last, "{total}: {target} < {last}");
            assert!(
                [3, 6, 12, 24].contains(&(target >> 10)),
                "{total}: {target}"
            );
            // The least of the grid at or above the best size.
            let best = (DIRECTORY_BYTES_PER_RANGE * total / SENT_PER_TARGET_BYTE) as f64;
            assert!(target == RANGE_TARGET_BYTES || (target as f64) >= best.sqrt() - 1.0);
            assert!(target == MIN_RANGE_TARGET_BYTES || ((target / 2) as f64) < best.sqrt() + 1.0);
            last = target;
        }
    }

    /// Words `ta`…`tz` in 20 articles each, but `tm` in 3,000: the frequent word's range
    /// holds it alone, so looking up a neighbour never fetches its postings, nor looking
    /// it up theirs.
    #[test]
    fn a_frequent_word_has_a_range_of_its_own() {
        let terms = (b'a'..=b'z')
            .map(|c| {
                let df = if c == b'm' { 3000 } else { 20 };
                let postings = (0..df).map(|doc| (doc, [0, 0, 1])).collect();
                (format!("t{}", c as char), postings)
            })
            .collect();
        let dict = TermDict::from_parts(terms);
        let target = 1 << 10;
        let cuts = ranges(&dict, target);
        let frequent = dict.lower_bound("tm");
        let holding = cuts.iter().find(|r| r.contains(&frequent)).unwrap();
        assert_eq!(*holding, frequent..frequent + 1, "{cuts:?}");
        // The others still share ranges of about the target's size.
        assert!(cuts.len() < 10, "{cuts:?}");
    }
}
