//! An [`Index`] as a sharded bundle of files named by their content.

use std::ops::Range;

use super::{name_of, seal, FileKind, DOCS_PER_CHUNK};
use crate::codec::{pack_articles, put_dict, put_varint};
use crate::index::{Index, Posting, TermDict};

/// A term range is cut once it holds this many bytes of terms and postings, at a term
/// whose hash is a multiple of [`CUT_ONE_IN`] (so boundaries depend on the terms, not
/// on what came before), and at twice this size at the latest. About 30–60 kB once a
/// server compresses it.
pub(super) const RANGE_TARGET_BYTES: usize = 48 << 10;
const CUT_ONE_IN: u32 = 8;

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
}

/// The index as sharded files; the same index always gives the same files.
pub fn write_bundle(index: &Index) -> ShardedBundle {
    write_bundle_with_ranges_of(index, RANGE_TARGET_BYTES)
}

/// [`write_bundle`] with term ranges cut near `range_bytes` (before compression): small
/// ranges let tests cross many of them on a small corpus.
pub fn write_bundle_with_ranges_of(index: &Index, range_bytes: usize) -> ShardedBundle {
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
    let folded_ranges = ranges(&index.folded, range_bytes);
    let prefixes = prefix_ranges(&index.folded, &folded_ranges);
    let ids = id_dict(index);
    for (kind, dict) in [
        (FileKind::Folded, &index.folded),
        (FileKind::Exact, &index.exact),
        (FileKind::Pairs, &index.pairs),
        (FileKind::Ids, &ids),
    ] {
        let mut directory = Vec::new();
        let cuts = if kind == FileKind::Folded {
            folded_ranges.clone()
        } else {
            ranges(dict, range_bytes)
        };
        for range in cuts {
            let first = dict.term(range.start).to_string();
            let mut body = Vec::new();
            put_dict(&mut body, &sub_dict(dict, range));
            directory.push((first, add(kind, &body)));
        }
        directories.push(directory);
    }
    let mut hashes: Vec<u32> = (0..index.folded.len())
        .map(|i| index.folded.term(i))
        .filter(|t| super::in_lexicon_alphabet(t))
        .map(super::lexicon_hash)
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    let mut lexicon = Vec::new();
    put_varint(&mut lexicon, hashes.len() as u64);
    let mut last = 0;
    for h in hashes {
        put_varint(&mut lexicon, (h - last) as u64);
        last = h;
    }
    let lexicon = add(FileKind::Lexicon, &lexicon);
    let chunks: Vec<String> = index
        .articles
        .chunks(DOCS_PER_CHUNK)
        .map(|chunk| add(FileKind::Docs, &pack_articles(chunk)))
        .collect();

    let mut root = Vec::new();
    put_varint(&mut root, docs as u64);
    for avg in index.avg_field_len {
        root.extend_from_slice(&avg.to_le_bytes());
    }
    for lens in &index.field_lens {
        for &l in lens {
            put_varint(&mut root, l as u64);
        }
    }
    for get in [
        (|a: &crate::Article| a.source.as_deref()) as fn(&crate::Article) -> Option<&str>,
        |a| a.category.as_deref(),
        |a| a.author.as_deref(),
        |a| a.date.as_deref(),
    ] {
        put_column(&mut root, index.articles.iter().map(get));
    }
    for directory in &directories {
        put_varint(&mut root, directory.len() as u64);
        for (first, name) in directory {
            put_str(&mut root, first);
            put_str(&mut root, name);
        }
    }
    put_varint(&mut root, prefixes.len() as u64);
    for (prefix, ranges) in &prefixes {
        put_str(&mut root, prefix);
        put_varint(&mut root, ranges.len() as u64);
        for &r in ranges {
            put_varint(&mut root, r as u64);
        }
    }
    put_varint(&mut root, DOCS_PER_CHUNK as u64);
    put_varint(&mut root, chunks.len() as u64);
    for name in &chunks {
        put_str(&mut root, name);
    }
    put_str(&mut root, &lexicon);
    // Last: what downloading the whole archive costs, shown before a reader starts it.
    let other_files_bytes: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
    put_varint(&mut root, other_files_bytes as u64);
    let packed = miniz_oxide::deflate::compress_to_vec(&root, 9);
    let root_bytes = seal(FileKind::Root, &packed);
    let root = name_of(FileKind::Root, &root_bytes);
    files.push((root.clone(), root_bytes));
    ShardedBundle { root, files }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A facet column: its distinct values in first-seen order, then each doc's value as
/// 0 (none) or 1 + its place.
fn put_column<'a>(out: &mut Vec<u8>, values: impl Iterator<Item = Option<&'a str>> + Clone) {
    let mut distinct: Vec<&str> = Vec::new();
    let mut place: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut codes = Vec::new();
    for v in values {
        codes.push(v.map_or(0, |v| {
            1 + *place.entry(v).or_insert_with(|| {
                distinct.push(v);
                distinct.len() - 1
            })
        }));
    }
    put_varint(out, distinct.len() as u64);
    for v in &distinct {
        put_str(out, v);
    }
    for c in codes {
        put_varint(out, c as u64);
    }
}

/// Article ids in sorted order, each with its doc as a one-posting entry, so id ranges
/// share the dictionaries' encoding and checks.
fn id_dict(index: &Index) -> TermDict {
    let mut d = TermDict::default();
    d.starts.push(0);
    for &doc in &index.by_id {
        d.bytes.push_str(&index.articles[doc as usize].id);
        d.ends.push(d.bytes.len() as u32);
        d.postings.push(Posting::new(doc, [0; 3]));
        d.starts.push(d.postings.len() as u32);
    }
    d
}

/// Terms a prefix expansion may pick, the most frequent first: at least the search's
/// `MAX_PREFIX_TERMS` (32; 8 for a one-letter prefix), plus room for the keys of the word
/// itself, which it skips.
pub(super) const PREFIX_CANDIDATES: usize = 48;
const ONE_LETTER_PREFIX_CANDIDATES: usize = 16;

/// For every prefix whose terms span more than two ranges: the ranges that hold its
/// [`PREFIX_CANDIDATES`] most frequent words (letters and digits only, as expansion
/// takes them). A reader holding those answers the expansion exactly, since it picks the
/// most frequent words; the other ranges of the span need not be fetched.
fn prefix_ranges(d: &TermDict, cuts: &[Range<usize>]) -> Vec<(String, Vec<u32>)> {
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
            .filter(|&i| d.term(i).chars().all(char::is_alphanumeric))
            .map(|i| (d.postings_of(i).len(), i))
            .collect();
        found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut ranges: Vec<u32> = found
            .iter()
            .take(if p.chars().count() < 2 {
                ONE_LETTER_PREFIX_CANDIDATES
            } else {
                PREFIX_CANDIDATES
            })
            .map(|&(_, i)| range_of(i))
            .collect();
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
    for i in 0..d.len() {
        let term = d.term(i);
        let due = size >= 2 * target
            || (size >= target && crc32fast::hash(term.as_bytes()).is_multiple_of(CUT_ONE_IN));
        if i > start && due {
            out.push(start..i);
            (start, size) = (i, 0);
        }
        // Postings take about two bytes each once encoded.
        size += term.len() + 2 + 2 * d.postings_of(i).len();
    }
    if start < d.len() {
        out.push(start..d.len());
    }
    out
}

fn sub_dict(d: &TermDict, range: Range<usize>) -> TermDict {
    let mut s = TermDict::default();
    s.starts.push(0);
    for i in range {
        s.bytes.push_str(d.term(i));
        s.ends.push(s.bytes.len() as u32);
        s.postings.extend_from_slice(d.postings_of(i));
        s.starts.push(s.postings.len() as u32);
    }
    s
}
