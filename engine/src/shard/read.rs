//! A sharded index read piece by piece: the root first, then the files a search needs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{open, FileKind, ShardError};
use crate::article::Article;
use crate::codec::{get_dict, Reader};
use crate::facets::{Filters, Sort};
use crate::index::{Coverage, Index, TermDict, FIELD_COUNT};
use crate::search::shard_terms::PhraseWord;

/// How far a root may inflate: field lengths and facet columns of 10⁶ articles take
/// tens of megabytes, a crafted root could claim gigabytes.
const ROOT_INFLATE_LIMIT: usize = 256 << 20;
/// How far one chunk of stored articles may inflate.
const CHUNK_INFLATE_LIMIT: usize = 64 << 20;
/// More articles per chunk than a reader accepts.
const MAX_DOCS_PER_CHUNK: usize = 1 << 16;
const DICTS: [FileKind; 4] = [
    FileKind::Folded,
    FileKind::Exact,
    FileKind::Pairs,
    FileKind::Ids,
];

/// One dictionary's directory: the first term and file of each range.
#[derive(Debug, Clone, Default)]
struct Directory {
    firsts: Vec<String>,
    names: Vec<String>,
}

/// What the root says.
#[derive(Debug, Clone)]
struct Root {
    docs: usize,
    avg_field_len: [f32; FIELD_COUNT],
    field_lens: Vec<[u32; FIELD_COUNT]>,
    /// Source, category, author, date of every doc, as stubs until its chunk is in.
    stubs: Vec<Article>,
    /// Folded, exact, pairs, ids.
    directories: [Directory; 4],
    /// Prefixes spanning many folded ranges, with the ranges their expansion needs.
    prefix_ranges: Arc<BTreeMap<String, Vec<u32>>>,
    docs_per_chunk: usize,
    chunks: Vec<String>,
    lexicon: String,
    /// Bytes of every file but the root: the whole archive's download.
    files_bytes: u64,
}

/// A sharded index: the root, and whatever files have been added. [`ShardedIndex::needs`]
/// says what a search still needs; once those are in, [`ShardedIndex::index`] answers it
/// exactly as the whole [`Index`] would.
#[derive(Debug)]
pub struct ShardedIndex {
    root: Root,
    /// What each file name of the bundle is: its kind and its range or chunk number.
    files: FxHashMap<String, (FileKind, u32)>,
    /// Loaded ranges of each dictionary (folded, exact, pairs, ids), by range number.
    ranges: [BTreeMap<u32, TermDict>; 4],
    chunks: BTreeMap<u32, Vec<Article>>,
    /// Sorted hashes of the folded terms of letters a–z, once the lexicon is in.
    lexicon: Option<Arc<Vec<u32>>>,
    /// The index over what is loaded, brought up to date after files are added.
    index: Option<Index>,
    stale: Option<Stale>,
}

impl ShardedIndex {
    /// Reads a bundle's root.
    pub fn from_root(bytes: &[u8]) -> Result<ShardedIndex, ShardError> {
        let root = read_root(bytes)?;
        let mut files = FxHashMap::default();
        for (d, kind) in DICTS.iter().enumerate() {
            for (i, name) in root.directories[d].names.iter().enumerate() {
                files.insert(name.clone(), (*kind, i as u32));
            }
        }
        for (i, name) in root.chunks.iter().enumerate() {
            files.insert(name.clone(), (FileKind::Docs, i as u32));
        }
        files.insert(root.lexicon.clone(), (FileKind::Lexicon, 0));
        Ok(ShardedIndex {
            root,
            files,
            ranges: Default::default(),
            chunks: BTreeMap::new(),
            lexicon: None,
            index: None,
            stale: None,
        })
    }

    /// Number of articles in the archive.
    pub fn len(&self) -> usize {
        self.root.docs
    }

    pub fn is_empty(&self) -> bool {
        self.root.docs == 0
    }

    /// Every file the root names (all but the root): what reading offline needs.
    pub fn all_files(&self) -> Vec<String> {
        let mut names: Vec<String> = self.files.keys().cloned().collect();
        names.sort();
        names
    }

    /// Bytes of every file the root names, as the root says: what downloading the whole
    /// archive ([`ShardedIndex::all_files`]) costs.
    pub fn all_files_bytes(&self) -> u64 {
        self.root.files_bytes
    }

    /// Whether this file is already in.
    pub fn has(&self, name: &str) -> bool {
        match self.files.get(name) {
            Some(&(FileKind::Docs, i)) => self.chunks.contains_key(&i),
            Some(&(FileKind::Lexicon, _)) => self.lexicon.is_some(),
            Some(&(kind, i)) => self.ranges[dict_slot(kind)].contains_key(&i),
            None => false,
        }
    }

    /// Adds a file of the bundle. Its bytes must hash to its name (so a damaged or
    /// mixed-up download is refused, never half used), and decode as what the root says.
    pub fn add_shard(&mut self, name: &str, bytes: &[u8]) -> Result<(), ShardError> {
        let &(kind, i) = self
            .files
            .get(name)
            .ok_or_else(|| ShardError::new(name, "not a file of this archive's root"))?;
        if super::name_of(kind, bytes) != name {
            return Err(ShardError::new(
                name,
                "damaged: its content does not match its name; download it again",
            ));
        }
        self.add_checked(name, kind, i, bytes)
    }

    fn add_checked(
        &mut self,
        name: &str,
        kind: FileKind,
        i: u32,
        bytes: &[u8],
    ) -> Result<(), ShardError> {
        let body = open(name, kind, bytes)?;
        if kind == FileKind::Lexicon {
            self.lexicon = Some(Arc::new(read_lexicon(name, body)?));
            self.stale().dicts[0] = true;
        } else if kind == FileKind::Docs {
            let articles = read_chunk(name, body, self.chunk_len(i as usize))?;
            self.chunks.insert(i, articles);
            self.stale().chunks.push(i);
        } else {
            let slot = dict_slot(kind);
            let dict = read_range(name, body, self.root.docs, &self.root.directories[slot], i)?;
            self.ranges[slot].insert(i, dict);
            match kind {
                FileKind::Ids => self.stale().ids = true,
                _ => self.stale().dicts[slot] = true,
            }
        }
        Ok(())
    }

    fn stale(&mut self) -> &mut Stale {
        self.stale.get_or_insert_with(Stale::default)
    }

    fn chunk_len(&self, chunk: usize) -> usize {
        let per = self.root.docs_per_chunk;
        per.min(self.root.docs - chunk * per)
    }

    /// The index over the files added so far. Lookups outside them are noted, for
    /// [`ShardedIndex::needs`]; searches answer as the whole index would once it says
    /// nothing is missing.
    pub fn index(&mut self) -> &Index {
        if self.index.is_none() {
            self.index = Some(self.assemble());
            self.stale = None;
        }
        self.refresh();
        self.index.as_ref().expect("just assembled")
    }

    /// The files a search still needs, for the query `text` and one page of a request:
    /// first the dictionary ranges its words, expansions and pairs look up (a query
    /// expanded through ranges not yet in may ask again once they are), then the chunks
    /// of the articles it shows and of those whose text confirms a phrase. Empty once
    /// [`ShardedIndex::index`] answers this request exactly.
    pub fn needs(
        &mut self,
        text: &str,
        filters: &Filters,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Vec<String> {
        // Read before any search: without it, typo corrections would fetch every range.
        if self.lexicon.is_none() {
            return vec![self.root.lexicon.clone()];
        }
        let index = self.index();
        let query = index.query(text);
        let request = crate::Request {
            filters: filters.clone(),
            sort,
            offset,
            limit,
        };
        let page = index.find(&query, &request);
        let names = self.take_missed();
        if !names.is_empty() {
            return names;
        }
        let index = self.index.as_ref().expect("assembled above");
        let mut docs: BTreeSet<u32> = page.hits.iter().map(|h| h.doc).collect();
        for phrase in query.phrases_read_in_text() {
            docs.extend(docs_a_phrase_reads(index, &phrase));
        }
        // Bounding a phrase may look up pairs the search itself did not get to.
        let names = self.take_missed();
        if !names.is_empty() {
            return names;
        }
        self.missing_chunks(docs)
    }

    /// The files opening the article `id` needs: its id range, then its chunk.
    pub fn needs_article(&mut self, id: &str) -> Vec<String> {
        let slot = dict_slot(FileKind::Ids);
        let dir = &self.root.directories[slot];
        if dir.firsts.is_empty() {
            return Vec::new();
        }
        let range = dir
            .firsts
            .partition_point(|f| f.as_str() <= id)
            .saturating_sub(1);
        let Some(ids) = self.ranges[slot].get(&(range as u32)) else {
            return vec![dir.names[range].clone()];
        };
        match ids.get(id) {
            Some(p) => self.missing_chunks([p[0].doc]),
            None => Vec::new(),
        }
    }

    fn missing_chunks(&self, docs: impl IntoIterator<Item = u32>) -> Vec<String> {
        let per = self.root.docs_per_chunk as u32;
        let chunks: BTreeSet<u32> = docs.into_iter().map(|d| d / per).collect();
        chunks
            .into_iter()
            .filter(|c| !self.chunks.contains_key(c))
            .map(|c| self.root.chunks[c as usize].clone())
            .collect()
    }

    /// The ranges lookups wanted and did not find loaded, as file names.
    fn take_missed(&self) -> Vec<String> {
        let Some(index) = &self.index else {
            return Vec::new();
        };
        let mut names = Vec::new();
        for (slot, dict) in [&index.folded, &index.exact, &index.pairs]
            .iter()
            .enumerate()
        {
            if let Some(c) = &dict.coverage {
                for r in c.take_missed() {
                    names.push(self.root.directories[slot].names[r as usize].clone());
                }
            }
        }
        names
    }

    /// An [`Index`] of the loaded parts: every doc's lengths and facets from the root,
    /// the loaded term ranges in order, and stored articles where their chunk is in.
    fn assemble(&self) -> Index {
        let per = self.root.docs_per_chunk;
        let mut articles = self.root.stubs.clone();
        for (&c, chunk) in &self.chunks {
            for (k, a) in chunk.iter().enumerate() {
                articles[c as usize * per + k] = a.clone();
            }
        }
        Index::assemble(
            articles,
            self.by_id(),
            self.root.field_lens.clone(),
            self.root.avg_field_len,
            [0, 1, 2].map(|slot| self.dict(slot)),
        )
    }

    /// Brings the assembled index up to date with the files added since: only what they
    /// change (a dictionary, some articles, the id order), not the whole of it, which at
    /// 10⁵ articles takes a few hundred milliseconds.
    fn refresh(&mut self) {
        let Some(stale) = self.stale.take() else {
            return;
        };
        let dicts: Vec<(usize, TermDict)> = (0..3)
            .filter(|&slot| stale.dicts[slot])
            .map(|slot| (slot, self.dict(slot)))
            .collect();
        let by_id = (stale.ids || !stale.chunks.is_empty()).then(|| self.by_id());
        let per = self.root.docs_per_chunk;
        let Some(index) = self.index.as_mut() else {
            return;
        };
        for (slot, mut d) in dicts {
            index.bm25.weigh(&mut d.postings);
            *match slot {
                0 => &mut index.folded,
                1 => &mut index.exact,
                _ => &mut index.pairs,
            } = d;
        }
        for c in stale.chunks {
            if let Some(chunk) = self.chunks.get(&c) {
                for (k, a) in chunk.iter().enumerate() {
                    index.articles[c as usize * per + k] = a.clone();
                }
            }
        }
        if let Some(by_id) = by_id {
            index.by_id = by_id;
        }
    }

    /// Docs of the loaded id ranges whose articles are in, in id order (ids were checked
    /// in order within each range, and ranges are in order).
    fn by_id(&self) -> Vec<u32> {
        let per = self.root.docs_per_chunk as u32;
        self.ranges[dict_slot(FileKind::Ids)]
            .values()
            .flat_map(|ids| ids.postings.iter().map(|p| p.doc))
            .filter(|&d| self.chunks.contains_key(&(d / per)))
            .collect()
    }

    /// One dictionary (folded, exact, pairs) of the loaded ranges, noting lookups outside.
    fn dict(&self, slot: usize) -> TermDict {
        let mut d = concat(self.ranges[slot].values());
        d.coverage = Some(Arc::new(Coverage {
            firsts: self.root.directories[slot].firsts.clone(),
            loaded: (0..self.root.directories[slot].names.len())
                .map(|i| self.ranges[slot].contains_key(&(i as u32)))
                .collect(),
            missed: Mutex::new(BTreeSet::new()),
            prefix_ranges: if slot == 0 {
                self.root.prefix_ranges.clone()
            } else {
                Arc::default()
            },
            lexicon: if slot == 0 {
                self.lexicon.clone()
            } else {
                None
            },
        }));
        d
    }
}

/// What changed since the index was assembled.
#[derive(Debug, Default)]
struct Stale {
    dicts: [bool; 3],
    chunks: Vec<u32>,
    ids: bool,
}

fn dict_slot(kind: FileKind) -> usize {
    DICTS
        .iter()
        .position(|&k| k == kind)
        .expect("a dictionary kind")
}

/// The articles whose text a search may read to confirm a phrase: those holding one key
/// of each of its words and, for each two neighbours in a run, one of their pairs.
fn docs_a_phrase_reads(index: &Index, runs: &[Vec<PhraseWord>]) -> Vec<u32> {
    let mut docs: Option<FxHashSet<u32>> = None;
    let mut narrow = |found: FxHashSet<u32>| {
        docs = Some(match docs.take() {
            None => found,
            Some(d) => d.intersection(&found).copied().collect(),
        });
    };
    for run in runs {
        for w in run {
            let mut found = FxHashSet::default();
            for k in &w.keys {
                if let Some(p) = index.folded.get(k) {
                    found.extend(p.iter().map(|p| p.doc));
                }
            }
            narrow(found);
        }
        for pair in run.windows(2) {
            let mut found = FxHashSet::default();
            for a in &pair[0].pair_keys {
                for b in &pair[1].pair_keys {
                    if let Some(p) = index.pairs.get(&crate::index::pair_key(a, b)) {
                        found.extend(p.iter().map(|p| p.doc));
                    }
                }
            }
            narrow(found);
        }
    }
    let mut out: Vec<u32> = docs.unwrap_or_default().into_iter().collect();
    out.sort_unstable();
    out
}

/// Loaded ranges, in order, as one dictionary.
fn concat<'a>(parts: impl Iterator<Item = &'a TermDict>) -> TermDict {
    let mut d = TermDict::default();
    d.starts.push(0);
    for p in parts {
        let (bytes_at, postings_at) = (d.bytes.len() as u32, d.postings.len() as u32);
        d.bytes.push_str(&p.bytes);
        d.ends.extend(p.ends.iter().map(|e| e + bytes_at));
        d.starts
            .extend(p.starts[1..].iter().map(|s| s + postings_at));
        d.postings.extend_from_slice(&p.postings);
    }
    d
}

fn read_root(bytes: &[u8]) -> Result<Root, ShardError> {
    const FILE: &str = "root";
    let body = open(FILE, FileKind::Root, bytes)?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(body, ROOT_INFLATE_LIMIT)
        .map_err(|e| {
            ShardError::new(
                FILE,
                format!(
                    "does not inflate within {ROOT_INFLATE_LIMIT} bytes: {:?}",
                    e.status
                ),
            )
        })?;
    let err = |e| ShardError::codec(FILE, e);
    let mut r = Reader::new("root", &raw);
    let docs = r.count("article count").map_err(err)?;
    // Every doc takes at least 3 bytes of lengths and 4 of facet codes.
    if docs > r.remaining() / 7 {
        return Err(ShardError::new(
            FILE,
            format!("{docs} articles cannot fit in the root"),
        ));
    }
    let mut avg_field_len = [0f32; FIELD_COUNT];
    for a in &mut avg_field_len {
        *a = r.f32().map_err(err)?;
    }
    let mut field_lens = Vec::with_capacity(docs);
    for _ in 0..docs {
        let mut lens = [0u32; FIELD_COUNT];
        for l in &mut lens {
            *l = r.u32("field length").map_err(err)?;
        }
        field_lens.push(lens);
    }
    let mut stubs = vec![Article::default(); docs];
    for field in 0..4 {
        let values = read_column_values(&mut r).map_err(err)?;
        for stub in &mut stubs {
            let code = r.count("facet value").map_err(err)?;
            let value = match code {
                0 => None,
                c => Some(
                    values
                        .get(c - 1)
                        .ok_or_else(|| {
                            err(r.corrupt(format!("facet value {c} of {}", values.len())))
                        })?
                        .clone(),
                ),
            };
            match field {
                0 => stub.source = value,
                1 => stub.category = value,
                2 => stub.author = value,
                _ => stub.date = value,
            }
        }
    }
    let mut directories: [Directory; 4] = Default::default();
    for dir in &mut directories {
        let n = r.count("range count").map_err(err)?;
        if n > r.remaining() / 2 {
            return Err(ShardError::new(
                FILE,
                format!("{n} ranges cannot fit in the root"),
            ));
        }
        for i in 0..n {
            let first = read_str(&mut r, "first term").map_err(err)?;
            if i > 0 && first <= dir.firsts[i - 1] {
                return Err(err(
                    r.corrupt(format!("range {i} does not sort after range {}", i - 1))
                ));
            }
            dir.firsts.push(first);
            dir.names.push(read_str(&mut r, "file name").map_err(err)?);
        }
    }
    let mut prefix_ranges = BTreeMap::new();
    let n = r.count("prefix count").map_err(err)?;
    let folded_ranges = directories[0].names.len();
    for _ in 0..n.min(r.remaining()) {
        let prefix = read_str(&mut r, "prefix").map_err(err)?;
        let k = r.count("range count").map_err(err)?;
        let mut ranges = Vec::with_capacity(k.min(r.remaining()));
        for _ in 0..k {
            let range = r.u32("range").map_err(err)?;
            if range as usize >= folded_ranges {
                return Err(err(r.corrupt(format!(
                    "prefix {prefix:?} names range {range} of {folded_ranges}"
                ))));
            }
            ranges.push(range);
        }
        prefix_ranges.insert(prefix, ranges);
    }
    let docs_per_chunk = r.count("articles per chunk").map_err(err)?;
    let chunk_count = r.count("chunk count").map_err(err)?;
    if docs_per_chunk == 0
        || docs_per_chunk > MAX_DOCS_PER_CHUNK
        || chunk_count != docs.div_ceil(docs_per_chunk)
    {
        return Err(err(r.corrupt(format!(
            "{chunk_count} chunks of {docs_per_chunk} cannot hold {docs} articles"
        ))));
    }
    let mut chunks = Vec::with_capacity(chunk_count.min(r.remaining()));
    for _ in 0..chunk_count {
        chunks.push(read_str(&mut r, "file name").map_err(err)?);
    }
    let lexicon = read_str(&mut r, "file name").map_err(err)?;
    let files_bytes = r.varint().map_err(err)?;
    r.finish().map_err(err)?;
    Ok(Root {
        docs,
        avg_field_len,
        field_lens,
        stubs,
        directories,
        prefix_ranges: Arc::new(prefix_ranges),
        docs_per_chunk,
        chunks,
        lexicon,
        files_bytes,
    })
}

fn read_str(r: &mut Reader, what: &str) -> Result<String, crate::codec::CodecError> {
    let len = r.count(what)?;
    let bytes = r.take(len)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| r.corrupt(format!("{what} is not UTF-8")))
}

fn read_column_values(r: &mut Reader) -> Result<Vec<String>, crate::codec::CodecError> {
    let n = r.count("facet value count")?;
    if n > r.remaining() {
        return Err(r.corrupt(format!("{n} facet values cannot fit in the root")));
    }
    (0..n).map(|_| read_str(r, "facet value")).collect()
}

/// One term range: the codec's dictionary checks, and every term inside the range the
/// root gives it, so ranges join into one sorted dictionary.
fn read_range(
    name: &str,
    body: &[u8],
    docs: usize,
    dir: &Directory,
    i: u32,
) -> Result<TermDict, ShardError> {
    let mut r = Reader::new("term range", body);
    let d = get_dict(&mut r, docs).map_err(|e| ShardError::codec(name, e))?;
    let i = i as usize;
    if d.is_empty() || d.term(0) != dir.firsts[i] {
        return Err(ShardError::new(
            name,
            format!("does not begin with {:?}, as the root says", dir.firsts[i]),
        ));
    }
    if let Some(next) = dir.firsts.get(i + 1) {
        if d.term(d.len() - 1) >= next.as_str() {
            return Err(ShardError::new(
                name,
                format!("holds terms from the next range, which begins at {next:?}"),
            ));
        }
    }
    Ok(d)
}

fn read_lexicon(name: &str, body: &[u8]) -> Result<Vec<u32>, ShardError> {
    let err = |e| ShardError::codec(name, e);
    let mut r = Reader::new("lexicon", body);
    let n = r.count("hash count").map_err(err)?;
    if n > r.remaining() {
        return Err(ShardError::new(
            name,
            format!("{n} hashes cannot fit in the file"),
        ));
    }
    let mut hashes = Vec::with_capacity(n);
    let mut last = 0u32;
    for i in 0..n {
        let delta = r.u32("hash").map_err(err)?;
        last = last
            .checked_add(delta)
            .filter(|_| i == 0 || delta > 0)
            .ok_or_else(|| err(r.corrupt(format!("hash {i} is not above the one before"))))?;
        hashes.push(last);
    }
    r.finish().map_err(err)?;
    Ok(hashes)
}

fn read_chunk(name: &str, body: &[u8], expected: usize) -> Result<Vec<Article>, ShardError> {
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(body, CHUNK_INFLATE_LIMIT)
        .map_err(|e| {
            ShardError::new(
                name,
                format!(
                    "does not inflate within {CHUNK_INFLATE_LIMIT} bytes: {:?}",
                    e.status
                ),
            )
        })?;
    let (articles, rest): (Vec<Article>, &[u8]) = postcard::take_from_bytes(&raw)
        .map_err(|e| ShardError::new(name, format!("articles do not decode: {e}")))?;
    if !rest.is_empty() || articles.len() != expected {
        return Err(ShardError::new(
            name,
            format!(
                "holds {} articles and {} bytes more, {expected} articles expected",
                articles.len(),
                rest.len()
            ),
        ));
    }
    Ok(articles)
}
