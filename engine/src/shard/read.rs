//! A sharded index read piece by piece: the root first, then the files a search needs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::dictionary::Coding;
use super::write::code_width;
use super::{
    name_from_digest, open, open_named, FileKind, Lexicon, ShardError, DIGEST_LEN,
    FIRST_LETTER_ROWS,
};
use crate::article::Article;
use crate::codec::{get_dict, Reader};
use crate::facets::Sort;
use crate::index::{CountDict, CountRun, Coverage, Index, TermDict, TermRun, FIELD_COUNT};
use crate::search::scoring::Bm25F;
use crate::search::shard_terms::{looking_up, LookupReason, PhraseWord};
use crate::search::{ArticlePage, Page, Query, Request};

/// How far a root may inflate: field lengths and facet columns of 10⁶ articles take
/// tens of megabytes, a crafted root could claim gigabytes.
const ROOT_INFLATE_LIMIT: usize = 256 << 20;
/// How far one chunk of stored articles may inflate.
const CHUNK_INFLATE_LIMIT: usize = 64 << 20;
/// More articles per chunk (or per words file) than a reader accepts.
const MAX_DOCS_PER_CHUNK: usize = 1 << 16;
/// The directories the directory file lists, in its order; the first four are the
/// reader's term dictionaries (`loaded`, `cover`) by this number.
const DICTS: [FileKind; 5] = [
    FileKind::Folded,
    FileKind::Exact,
    FileKind::Pairs,
    FileKind::ReversePairs,
    FileKind::Ids,
];
/// The reverse pair counts' place in [`DICTS`].
const REVERSE: usize = 3;

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
    /// Each doc's field lengths, a byte each (`index::norms`).
    field_norms: Vec<[u8; FIELD_COUNT]>,
    /// Source, category, author, date of every doc, as stubs until its chunk is in
    /// (moved into the index by `from_root`, as are `field_norms`).
    stubs: Vec<Article>,
    /// Folded, exact, pairs, reverse pair counts, ids.
    directories: [Directory; 5],
    /// Prefixes spanning many folded ranges, with the ranges their expansion needs.
    prefix_ranges: Arc<BTreeMap<String, Vec<u32>>>,
    docs_per_chunk: usize,
    chunks: Vec<String>,
    docs_per_words_file: usize,
    words_files: Vec<String>,
    docs_per_head: usize,
    heads: Vec<String>,
    lexicon: String,
    /// Queries of one or two letters or digits (sorted; a one-letter query's second byte
    /// 0) with the chunk of each of their first rows while typed (`write::short_query_rows`).
    short_query_rows: Vec<([u8; 2], Vec<u32>)>,
    /// The directory file's name: the rest of this struct is read from it
    /// ([`read_directory`]), and empty until it is in.
    directory: String,
    /// The preset dictionary every chunk is compressed after, if the archive has one
    /// (named by the directory).
    dictionary: Option<String>,
    /// Articles per `.urls` file, and their names (from the directory).
    docs_per_urls_file: usize,
    urls_files: Vec<String>,
    /// Number of files but the root, and their bytes: the whole archive's download.
    file_count: usize,
    files_bytes: u64,
}

impl Root {
    /// How many articles the `group`th file of `per` articles holds (chunks, heads,
    /// words and URLs files: the last may hold fewer).
    fn docs_in(&self, per: usize, group: usize) -> usize {
        per.min(self.docs - group * per)
    }
}

/// An answer from the files added so far, and the files still needed to make it exact.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    /// What the files in answer. With `needs` empty it is exactly what the whole
    /// [`Index`] answers; before, a partial answer a reader may show meanwhile.
    pub answer: T,
    /// Files to fetch and [`ShardedIndex::add_shard`] before asking again.
    pub needs: Vec<String>,
}

/// A search's page, with the query prepared for it (whether it was trimmed, its words
/// for highlighting).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Searched {
    pub query: Query,
    pub page: Page,
}

/// A sharded index: the root, and whatever files have been added. [`ShardedIndex::find`]
/// and [`ShardedIndex::article_page`] answer from the files in and say which they still
/// need; once those are in, they answer exactly as the whole [`Index`] would.
#[derive(Debug)]
pub struct ShardedIndex {
    root: Root,
    /// What each file name of the bundle is: its kind and its range or chunk number.
    files: FxHashMap<String, (FileKind, u32)>,
    /// The first term of each range of the folded, exact and pairs dictionaries and of
    /// the reverse pair counts, shared with their `Coverage`.
    firsts: [Arc<Vec<String>>; 4],
    /// Which ranges of those are in the index, by range number.
    loaded: [Vec<bool>; 4],
    /// Loaded id ranges, by range number.
    ids: BTreeMap<u32, TermRun>,
    /// The chunks loaded, by number; their articles are in the index.
    chunks: BTreeSet<u32>,
    /// The head files loaded, by number: their articles' ids, titles and first passages
    /// are in the index where their chunks are not (a list without a query shows them).
    heads: BTreeSet<u32>,
    /// Each loaded words file: its articles' distinctive words, by file number.
    words: BTreeMap<u32, Vec<Vec<String>>>,
    /// The URLs files loaded, by number: their URLs are in the index's articles (in the
    /// stubs until their chunks are in, which take them).
    urls: BTreeSet<u32>,
    /// Sorted hashes of the folded terms of letters a–z, once the lexicon is in.
    lexicon: Option<Arc<Lexicon>>,
    /// Whether the directory file is in (`root` holds what it says).
    directory_in: bool,
    /// How the chunks are coded (letters, preset dictionary), once the `.dict` file is
    /// in (empty if the archive has none).
    dictionary: Option<Coding>,
    /// Chunks that came in before the dictionary (fetched in the same round, in any
    /// order), checked against their names, with their numbers: decoded once it is in.
    waiting: Vec<(u32, Vec<u8>)>,
    /// The index over what is loaded: every decoded range and article is held here
    /// once, put in place as its file is added (a dictionary holds its ranges as runs,
    /// so adding one costs that range, not a copy of the others).
    index: Index,
    /// Files of ids or articles came in since the id order was last worked out: it is
    /// worked out again once before the next call, not once per file.
    by_id_stale: bool,
}

impl ShardedIndex {
    /// Reads a bundle's root.
    pub fn from_root(bytes: &[u8]) -> Result<ShardedIndex, ShardError> {
        let mut root = read_root(bytes)?;
        let mut files = FxHashMap::default();
        for (i, name) in root.heads.iter().enumerate() {
            files.insert(name.clone(), (FileKind::Heads, i as u32));
        }
        files.insert(root.directory.clone(), (FileKind::Directory, 0));
        // Every doc's facets from the root (moved, not copied), no term yet.
        let index = Index::assemble(
            std::mem::take(&mut root.stubs).into(),
            Vec::new(),
            std::mem::take(&mut root.field_norms),
            root.avg_field_len,
            Default::default(),
        );
        let mut sharded = ShardedIndex {
            firsts: [0, 1, 2, 3].map(|slot| Arc::new(root.directories[slot].firsts.clone())),
            loaded: [0, 1, 2, 3].map(|slot| vec![false; root.directories[slot].names.len()]),
            root,
            files,
            ids: BTreeMap::new(),
            chunks: BTreeSet::new(),
            heads: BTreeSet::new(),
            words: BTreeMap::new(),
            urls: BTreeSet::new(),
            lexicon: None,
            directory_in: false,
            dictionary: None,
            waiting: Vec::new(),
            index,
            by_id_stale: false,
        };
        for slot in 0..3 {
            sharded.cover(slot);
        }
        Ok(sharded)
    }

    /// Takes in the directory: the names of every other file, and the field lengths a
    /// search weighs.
    fn add_directory(&mut self, name: &str, body: &[u8]) -> Result<(), ShardError> {
        let root = &mut self.root;
        read_directory(name, body, root)?;
        for (d, kind) in DICTS.iter().enumerate() {
            for (i, name) in root.directories[d].names.iter().enumerate() {
                self.files.insert(name.clone(), (*kind, i as u32));
            }
        }
        for (i, name) in root.chunks.iter().enumerate() {
            self.files.insert(name.clone(), (FileKind::Docs, i as u32));
        }
        for (i, name) in root.words_files.iter().enumerate() {
            self.files.insert(name.clone(), (FileKind::Words, i as u32));
        }
        for (i, name) in root.urls_files.iter().enumerate() {
            self.files.insert(name.clone(), (FileKind::Urls, i as u32));
        }
        self.files
            .insert(root.lexicon.clone(), (FileKind::Lexicon, 0));
        match &root.dictionary {
            Some(name) => {
                self.files.insert(name.clone(), (FileKind::Dictionary, 0));
            }
            // No dictionary: chunks are plain DEFLATE.
            None => self.dictionary = Some(Coding::default()),
        }
        self.index
            .set_field_lengths(std::mem::take(&mut root.field_norms), root.avg_field_len);
        self.firsts = [0, 1, 2, 3].map(|slot| Arc::new(self.root.directories[slot].firsts.clone()));
        self.loaded = [0, 1, 2, 3].map(|slot| vec![false; self.root.directories[slot].names.len()]);
        self.directory_in = true;
        let ranges = self.root.directories[REVERSE].names.len();
        self.index.reverse_pairs = Some(CountDict {
            parts: (0..ranges).map(|_| CountRun::default()).collect(),
            coverage: None,
        });
        for slot in 0..4 {
            self.cover(slot);
        }
        Ok(())
    }

    /// The directory file's name while it is not in: a search with words, an article
    /// page and the whole archive's list need it; the first page (no query) does not.
    pub fn directory_wanted(&self) -> Option<&str> {
        (!self.directory_in).then_some(self.root.directory.as_str())
    }

    /// Number of articles in the archive.
    pub fn len(&self) -> usize {
        self.root.docs
    }

    pub fn is_empty(&self) -> bool {
        self.root.docs == 0
    }

    /// Every file the root and directory name (all but the root): what reading offline
    /// needs. Until the directory is in ([`ShardedIndex::directory_wanted`]), only the
    /// directory and the heads.
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

    /// Number of files [`ShardedIndex::all_files`] lists once the directory is in, as
    /// the root says.
    pub fn all_files_count(&self) -> usize {
        self.root.file_count
    }

    /// Bytes this reader holds on the heap: the files added (decoded), the index over
    /// them and the root's per-doc columns. A figure for benches and logs: a sharded
    /// reader's memory grows with what it has fetched.
    pub fn memory_bytes(&self) -> usize {
        let words = |lists: &Vec<Vec<String>>| {
            lists.capacity() * std::mem::size_of::<Vec<String>>()
                + lists
                    .iter()
                    .map(|l| {
                        l.capacity() * std::mem::size_of::<String>()
                            + l.iter().map(String::capacity).sum::<usize>()
                    })
                    .sum::<usize>()
        };
        let ids: usize = self.ids.values().map(TermRun::memory_bytes).sum();
        let chunks: usize = self.words.values().map(words).sum();
        let lexicon = self
            .lexicon
            .as_ref()
            .map_or(0, |l| l.hashes.capacity() * 4 + l.classes.capacity());
        let dictionary = self.dictionary.as_ref().map_or(0, Coding::memory_bytes)
            + self.waiting.iter().map(|w| w.1.capacity()).sum::<usize>();
        ids + chunks + lexicon + dictionary + self.index.memory_bytes()
    }

    /// Whether this file is already in.
    pub fn has(&self, name: &str) -> bool {
        match self.files.get(name) {
            Some(&(FileKind::Docs, i)) => self.chunks.contains(&i) || self.is_waiting(i),
            Some(&(FileKind::Dictionary, _)) => self.dictionary.is_some(),
            Some(&(FileKind::Heads, i)) => self.heads.contains(&i),
            Some(&(FileKind::Words, i)) => self.words.contains_key(&i),
            Some(&(FileKind::Urls, i)) => self.urls.contains(&i),
            Some(&(FileKind::Lexicon, _)) => self.lexicon.is_some(),
            Some(&(FileKind::Ids, i)) => self.ids.contains_key(&i),
            Some(&(FileKind::Directory, _)) => self.directory_in,
            Some(&(kind, i)) => self.loaded[dict_slot(kind)][i as usize],
            None => false,
        }
    }

    /// Adds a file of the bundle. Its bytes must hash to its name (so a damaged or
    /// mixed-up download is refused, never half used), and decode as what the root says.
    pub fn add_shard(&mut self, name: &str, bytes: &[u8]) -> Result<(), ShardError> {
        self.add_shard_digested(name, &Sha256::digest(bytes), bytes)
    }

    /// [`ShardedIndex::add_shard`] for bytes whose SHA-256 the caller has worked out
    /// (the app asks the browser's `crypto.subtle`, which hashes off the page's thread:
    /// in wasm the hash was a quarter of adding a file): refused, as there, unless the
    /// digest begins with the bytes its name spells. `sha256` must be the digest of
    /// exactly `bytes`.
    pub fn add_shard_digested(
        &mut self,
        name: &str,
        sha256: &[u8],
        bytes: &[u8],
    ) -> Result<(), ShardError> {
        let &(kind, i) = self.file(name)?;
        let digest = sha256.get(..DIGEST_LEN).unwrap_or_default();
        if digest.len() < DIGEST_LEN || name_from_digest(kind, digest) != name {
            return Err(ShardError::new(
                name,
                "damaged: its content does not match its name; download it again",
            ));
        }
        self.add_checked(name, kind, i, bytes)
    }

    /// What file `name` is, if the root (or the directory) names it.
    fn file(&self, name: &str) -> Result<&(FileKind, u32), ShardError> {
        self.files
            .get(name)
            .ok_or_else(|| ShardError::new(name, "not a file of this archive's root"))
    }

    fn add_checked(
        &mut self,
        name: &str,
        kind: FileKind,
        i: u32,
        bytes: &[u8],
    ) -> Result<(), ShardError> {
        if self.has(name) {
            return Ok(());
        }
        let body = open_named(name, kind, bytes)?;
        if kind == FileKind::Directory {
            self.add_directory(name, body)?;
        } else if kind == FileKind::Lexicon {
            self.lexicon = Some(Arc::new(read_lexicon(name, body)?));
            self.cover(0);
        } else if kind == FileKind::Docs || kind == FileKind::Dictionary {
            // One place decodes chunks (each a copy of the article decoder in the wasm):
            // a chunk waits here until the dictionary is in, if it is not yet.
            if kind == FileKind::Docs {
                self.waiting.push((i, body.to_vec()));
            } else {
                self.dictionary = Some(read_dictionary(name, body)?);
            }
            let Some(dictionary) = &self.dictionary else {
                return Ok(());
            };
            // A chunk that does not decode is the error (naming it), whichever file came
            // last; it and those after it are fetched again when needed.
            for (chunk, body) in std::mem::take(&mut self.waiting) {
                let name = &self.root.chunks[chunk as usize];
                let articles = read_chunk(name, dictionary, &body, self.chunk_len(chunk as usize))?;
                let first = chunk as usize * self.root.docs_per_chunk;
                for (slot, mut article) in self.index.articles.as_mut_slice()[first..]
                    .iter_mut()
                    .zip(articles)
                {
                    // A chunk leaves out the facets: the root's, in the stub.
                    article.source = slot.source.take();
                    article.category = slot.category.take();
                    article.author = slot.author.take();
                    article.date = slot.date.take();
                    // Its URL too, if its `.urls` file came first.
                    article.url = slot.url.take();
                    *slot = article;
                }
                self.chunks.insert(chunk);
                self.by_id_stale = true;
            }
        } else if kind == FileKind::Heads {
            let per = self.root.docs_per_head;
            let first = i as usize * per;
            let heads = read_heads(name, body, self.root.docs_in(per, i as usize))?;
            let per_chunk = self.root.docs_per_chunk;
            for (doc, (id, title, first_passage)) in (first..).zip(heads) {
                // A whole article already in says more than its head.
                if self.chunks.contains(&((doc / per_chunk) as u32)) {
                    continue;
                }
                let article = &mut self.index.articles.as_mut_slice()[doc];
                article.id = id;
                article.title = title;
                article.lead = first_passage;
            }
            self.heads.insert(i);
        } else if kind == FileKind::ReversePairs {
            let dir = &self.root.directories[REVERSE];
            let run = read_counts(name, body, self.root.docs, dir, i)?;
            self.loaded[REVERSE][i as usize] = true;
            // The directory sized the parts, one per range.
            if let Some(counts) = &mut self.index.reverse_pairs {
                counts.parts[i as usize] = run;
            }
            self.cover(REVERSE);
        } else if kind == FileKind::Words {
            let expected = self.root.docs_in(self.root.docs_per_words_file, i as usize);
            let lists = read_lists(name, body, expected)?;
            for at in places_of(&self.root.words_files, name) {
                self.words.insert(at, lists.clone());
            }
        } else if kind == FileKind::Urls {
            // A URL as a list of one: read as a words file is.
            let root = &self.root;
            let per = root.docs_per_urls_file;
            let lists = read_lists(name, body, root.docs_in(per, i as usize))?;
            for at in places_of(&root.urls_files, name) {
                let first = at as usize * per;
                let articles = &mut self.index.articles.as_mut_slice()[first..];
                for (article, url) in articles.iter_mut().zip(&lists) {
                    article.url = url.first().cloned();
                }
                self.urls.insert(at);
            }
        } else {
            let slot = dict_slot(kind);
            let dir = &self.root.directories[slot];
            let run = read_range(name, body, self.root.docs, dir, i, &self.index.bm25)?;
            if kind == FileKind::Ids {
                self.ids.insert(i, run);
                self.by_id_stale = true;
            } else {
                let loaded = &mut self.loaded[slot];
                let at = loaded[..i as usize].iter().filter(|&&l| l).count();
                loaded[i as usize] = true;
                self.dict_mut(slot).insert_part(at, run);
                self.cover(slot);
            }
        }
        Ok(())
    }

    fn is_waiting(&self, chunk: u32) -> bool {
        self.waiting.iter().any(|w| w.0 == chunk)
    }

    fn dict_mut(&mut self, slot: usize) -> &mut TermDict {
        match slot {
            0 => &mut self.index.folded,
            1 => &mut self.index.exact,
            _ => &mut self.index.pairs,
        }
    }

    /// Tells a dictionary (folded, exact, pairs, reverse pair counts) which of its ranges
    /// are in, so lookups outside them are noted.
    fn cover(&mut self, slot: usize) {
        let coverage = Coverage {
            firsts: self.firsts[slot].clone(),
            loaded: self.loaded[slot].clone(),
            missed: Mutex::new(BTreeMap::new()),
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
            lexicon_wanted: Default::default(),
            misses: Default::default(),
        };
        let coverage = Some(Arc::new(coverage));
        if slot == REVERSE {
            // Made by the directory, which names the ranges.
            if let Some(counts) = &mut self.index.reverse_pairs {
                counts.coverage = coverage;
            }
        } else {
            self.dict_mut(slot).coverage = coverage;
        }
        // What an expansion finds depends on the ranges in.
        self.index.expansions.clear();
    }

    fn chunk_len(&self, chunk: usize) -> usize {
        self.root.docs_in(self.root.docs_per_chunk, chunk)
    }

    /// The index over the files added so far. Lookups outside them are noted, for
    /// [`ShardedIndex::find`] and [`ShardedIndex::article_page`]; its answers are the whole
    /// index's once they say nothing is missing.
    pub fn index(&mut self) -> &Index {
        self.catch_up();
        &self.index
    }

    /// Works out the id order again if files of ids or articles came in.
    fn catch_up(&mut self) {
        if std::mem::take(&mut self.by_id_stale) {
            self.index.by_id = self.by_id();
        }
    }

    /// One page of a search for the query `text`, run once over the files in, and the
    /// files that would change it: first the dictionary ranges its words, expansions and
    /// pairs look up (a query expanded through ranges not yet in may ask again once they
    /// are), then the chunks of the articles it shows (their hits are already in place,
    /// with an empty id until their chunk is in) and of those whose text confirms a
    /// phrase. Ask again as files arrive: 2–4 rounds.
    pub fn find(&mut self, text: &str, request: &Request) -> Fetched<Searched> {
        self.find_explained(text, request).0
    }

    /// [`ShardedIndex::find`] for a page that shows only its first `shown` hits (a list
    /// rendering the rows a viewport holds while a query is typed): the same page, but of
    /// the hits' chunks it needs only those of the first `shown`, so their text is not
    /// held back behind the chunks of rows nobody sees yet. Asked again with more rows,
    /// it needs the rest.
    pub fn find_first(&mut self, text: &str, request: &Request, shown: usize) -> Fetched<Searched> {
        self.find_first_explained(text, request, shown).0
    }

    /// [`ShardedIndex::find`], with why each file needed is (what first looked it up, in
    /// the order of `needs`): a bench's breakdown of what a keystroke fetches.
    pub fn find_explained(
        &mut self,
        text: &str,
        request: &Request,
    ) -> (Fetched<Searched>, Vec<LookupReason>) {
        self.find_first_explained(text, request, usize::MAX)
    }

    /// [`ShardedIndex::find_first`], with why each file is needed.
    pub fn find_first_explained(
        &mut self,
        text: &str,
        request: &Request,
        shown: usize,
    ) -> (Fetched<Searched>, Vec<LookupReason>) {
        self.catch_up();
        let directory_in = self.directory_in;
        let index = self.index();
        let query = index.query_as(text, request.typing);
        if !directory_in && query.looks_up_terms() {
            // Its words' ranges are named by the directory: nothing to search before it.
            let needs = vec![self.root.directory.clone()];
            let answer = Searched {
                query,
                page: Page::default(),
            };
            return (Fetched { answer, needs }, vec![LookupReason::Word]);
        }
        let page = index.find(&query, request);
        let mut needs = self.take_missed_why();
        if !needs.is_empty() {
            let rows = self.short_query_chunks(text, request, shown);
            needs.extend(rows.into_iter().map(|n| (n, LookupReason::Hits)));
        } else {
            let shown_docs = || page.hits.iter().take(shown).map(|h| h.doc);
            if query.marks_words() {
                // A hit's marks and snippet come from its whole text.
                let hits = self.missing_chunks(shown_docs());
                needs = self.missing_docs(&query, shown_docs());
                for (name, why) in &mut needs {
                    if hits.contains(name) {
                        *why = LookupReason::Hits;
                    }
                }
            } else {
                // Nothing to mark: a row is its title and the start of its first passage,
                // which the heads hold. Excluded phrases may still read text first.
                needs = self.missing_docs(&query, []);
                let ranges_first = needs
                    .iter()
                    .any(|(name, _)| self.files.get(name).is_some_and(|f| f.0 != FileKind::Docs));
                if !ranges_first {
                    let heads = self.missing_heads(shown_docs());
                    needs.extend(heads.into_iter().map(|n| (n, LookupReason::Hits)));
                }
            }
        }
        let (needs, why) = needs.into_iter().unzip();
        (
            Fetched {
                answer: Searched { query, page },
                needs,
            },
            why,
        )
    }

    /// The article `id` and what its page shows beside it ([`Index::article_page`]):
    /// previous/next within `search` (query text and request), "more like this" and
    /// the related teasers' targets. The article comes first (its id range, then its
    /// chunk with its `.words` and `.urls` files, and the answer holds it as soon as the
    /// chunk is in, its URL once its `.urls` file is), then the dictionary ranges of the search, of its distinctive words and of
    /// its teasers' titles, then
    /// the chunks of the articles they name. `None` once the archive has no such id.
    pub fn article_page(
        &mut self,
        id: &str,
        search: Option<(&str, &Request)>,
        similar: usize,
    ) -> Fetched<Option<ArticlePage>> {
        self.catch_up();
        if !self.directory_in {
            // The id ranges are named by the directory.
            return Fetched {
                answer: None,
                needs: vec![self.root.directory.clone()],
            };
        }
        let doc = match self.doc_of(id) {
            Ok(Some(doc)) => doc,
            Ok(None) => {
                return Fetched {
                    answer: None,
                    needs: Vec::new(),
                }
            }
            Err(range) => {
                return Fetched {
                    answer: None,
                    needs: vec![range],
                }
            }
        };
        let per = self.root.docs_per_chunk as u32;
        let per_words = self.root.docs_per_words_file as u32;
        let words_file = self.root.words_files[(doc / per_words) as usize].clone();
        let words = self.words.get(&(doc / per_words));
        // Its URL (the original's link) is asked for in every round until it is in: in
        // the chunk's round, so it costs no round of its own.
        let per_urls = self.root.docs_per_urls_file as u32;
        let urls_file = (!self.urls.contains(&(doc / per_urls)))
            .then(|| self.root.urls_files[(doc / per_urls) as usize].clone());
        if !self.chunks.contains(&(doc / per)) {
            // Its words come in the same round: "more like this" needs them next.
            let mut needs = self.missing_chunks([doc]);
            needs.extend(words.is_none().then_some(words_file));
            needs.extend(urls_file);
            return Fetched {
                answer: None,
                needs,
            };
        }
        let distinctive = words.map(|w| w[(doc % per_words) as usize].clone());
        let article = self.index.articles[doc as usize].clone();
        let mut page = ArticlePage {
            related: vec![None; article.related.len()],
            article,
            previous: None,
            next: None,
            similar: Vec::new(),
        };
        let Some(distinctive) = distinctive else {
            let mut needs = vec![words_file];
            needs.extend(urls_file);
            return Fetched {
                answer: Some(page),
                needs,
            };
        };
        let index = self.index();
        let query = search.map(|(text, _)| index.query(text));
        let neighbours = match (&query, search) {
            (Some(query), Some((_, request))) => index.neighbour_docs(query, request, doc),
            _ => (None, None),
        };
        let similar = index.more_like(doc, &distinctive, similar);
        let titles: Vec<(Query, Vec<u32>)> = page
            .article
            .related
            .iter()
            .map(|t| {
                let query = index.title_query(&t.title);
                let docs = index.title_candidates(&query);
                (query, docs)
            })
            .collect();
        let mut needs = self.take_missed();
        if !needs.is_empty() {
            needs.extend(urls_file);
            return Fetched {
                answer: Some(page),
                needs,
            };
        }
        let mut needs: Vec<String> = urls_file.into_iter().collect();
        let (previous, next) = neighbours;
        let named = previous.iter().chain(&next).copied();
        let named = named.chain(similar.iter().map(|h| h.doc));
        let named = named.chain(titles.iter().flat_map(|(_, docs)| docs.iter().copied()));
        if let Some(query) = &query {
            needs.extend(
                self.missing_docs(query, named.clone())
                    .into_iter()
                    .map(|n| n.0),
            );
        } else {
            needs.extend(self.missing_chunks(named.clone()));
        }
        for (query, _) in &titles {
            needs.extend(self.missing_docs(query, []).into_iter().map(|n| n.0));
        }
        needs.sort();
        needs.dedup();

        let index = &self.index;
        let id_of = |d: Option<u32>| {
            d.map(|d| index.articles()[d as usize].id.clone())
                .filter(|id| !id.is_empty())
        };
        page.previous = id_of(previous);
        page.next = id_of(next);
        // A hit whose chunk is not in has no id yet, nor a title to show: the list shows
        // once they are all in, rather than growing as they arrive.
        if similar.iter().all(|h| !h.id.is_empty()) {
            page.similar = similar;
        }
        let per = self.root.docs_per_chunk as u32;
        for ((target, teaser), (_, candidates)) in page
            .related
            .iter_mut()
            .zip(&page.article.related)
            .zip(&titles)
        {
            // Which candidate is the one titled so is known once all of them are in.
            if candidates.iter().all(|d| self.chunks.contains(&(d / per))) {
                *target = index.article_titled(&teaser.title).map(|a| a.id.clone());
            }
        }
        Fetched {
            answer: Some(page),
            needs,
        }
    }

    /// The doc of article `id`, `None` if the archive has no such id, or the name of the
    /// id range to fetch to know.
    fn doc_of(&self, id: &str) -> Result<Option<u32>, String> {
        let slot = dict_slot(FileKind::Ids);
        let dir = &self.root.directories[slot];
        if dir.firsts.is_empty() {
            return Ok(None);
        }
        let range = dir
            .firsts
            .partition_point(|f| f.as_str() <= id)
            .saturating_sub(1);
        match self.ids.get(&(range as u32)) {
            Some(ids) => Ok(ids.get(id).and_then(|p| p.first()).map(|p| p.doc)),
            None => Err(dir.names[range].clone()),
        }
    }

    /// The chunks `docs` are in and, for a query with phrases read in the text, those of
    /// the articles that may confirm them (bounded by their words' keys and pairs; a
    /// pair range this looks up first comes before any chunk).
    fn missing_docs(
        &self,
        query: &Query,
        docs: impl IntoIterator<Item = u32>,
    ) -> Vec<(String, LookupReason)> {
        let index = &self.index;
        let mut docs: Vec<u32> = docs.into_iter().collect();
        let why = looking_up(LookupReason::Phrase);
        for phrase in query.phrases_read_in_text() {
            docs.extend(docs_a_phrase_reads(index, &phrase));
        }
        drop(why);
        let names = self.take_missed_why();
        if !names.is_empty() {
            return names;
        }
        let chunks = self.missing_chunks(docs);
        chunks
            .into_iter()
            .map(|n| (n, LookupReason::Phrase))
            .collect()
    }

    /// The head files of those of `docs` whose chunks and heads are not in.
    fn missing_heads(&self, docs: impl IntoIterator<Item = u32>) -> Vec<String> {
        let per_chunk = self.root.docs_per_chunk as u32;
        let per = self.root.docs_per_head as u32;
        let heads = crate::order::distinct(
            docs.into_iter()
                .filter(|d| !self.chunks.contains(&(d / per_chunk)))
                .map(|d| d / per),
        );
        heads
            .into_iter()
            .filter(|h| !self.heads.contains(h))
            .map(|h| self.root.heads[h as usize].clone())
            .collect()
    }

    /// The chunks of the first rows of a query of one or two letters or digits being typed,
    /// as the directory lists them, not in yet: asked for beside the query's ranges, they
    /// spare its first keystrokes the round of their rows' chunks that would follow them.
    /// (One letter typed in capitals is listed as in small letters; two are not: `TP` may
    /// read other exact forms than `tp`.)
    fn short_query_chunks(&self, text: &str, request: &Request, shown: usize) -> Vec<String> {
        let key = match *text.trim().as_bytes() {
            [a] => [a.to_ascii_lowercase(), 0],
            [a, b] => [a, b],
            _ => return Vec::new(),
        };
        let listed = request.typing
            && request.offset == 0
            && request.sort == Sort::Relevance
            && request.filters.is_empty();
        let rows = match self
            .root
            .short_query_rows
            .binary_search_by_key(&key, |r| r.0)
        {
            Ok(i) if listed => &self.root.short_query_rows[i].1,
            _ => return Vec::new(),
        };
        let n = shown.min(request.limit).min(rows.len());
        self.missing_chunks(
            rows[..n]
                .iter()
                .map(|&c| c * self.root.docs_per_chunk as u32),
        )
    }

    /// The chunks of `docs` not in nor waiting for the dictionary, and the dictionary
    /// (last) if a chunk needs it: in the same round as the chunks, not one before.
    fn missing_chunks(&self, docs: impl IntoIterator<Item = u32>) -> Vec<String> {
        let per = self.root.docs_per_chunk as u32;
        self.missing_of(crate::order::distinct(docs.into_iter().map(|d| d / per)))
    }

    /// [`ShardedIndex::missing_chunks`] of these chunks (distinct): not generic, so the
    /// wasm holds it once, not once per caller's iterator.
    fn missing_of(&self, chunks: Vec<u32>) -> Vec<String> {
        let mut names: Vec<String> = chunks
            .into_iter()
            .filter(|&c| !self.chunks.contains(&c) && !self.is_waiting(c))
            .map(|c| self.root.chunks[c as usize].clone())
            .collect();
        if self.dictionary.is_none() && (!names.is_empty() || !self.waiting.is_empty()) {
            names.extend(self.root.dictionary.clone());
        }
        names
    }

    /// The ranges lookups wanted and did not find loaded, as file names.
    fn take_missed(&self) -> Vec<String> {
        self.take_missed_why().into_iter().map(|n| n.0).collect()
    }

    /// [`ShardedIndex::take_missed`], with what first looked each range up.
    fn take_missed_why(&self) -> Vec<(String, LookupReason)> {
        let index = &self.index;
        let mut names = Vec::new();
        let reverse = index.reverse_pairs.as_ref();
        for (slot, coverage) in [&index.folded, &index.exact, &index.pairs]
            .iter()
            .map(|d| d.coverage.as_ref())
            .chain([reverse.and_then(|r| r.coverage.as_ref())])
            .enumerate()
        {
            if let Some(c) = coverage {
                for (r, why) in c.take_missed() {
                    names.push((self.root.directories[slot].names[r as usize].clone(), why));
                }
                // Fetched beside the ranges the words themselves need, so in the same round.
                if c.lexicon_wanted.swap(false, Ordering::Relaxed) && self.lexicon.is_none() {
                    names.push((self.root.lexicon.clone(), LookupReason::Typo));
                }
            }
        }
        names
    }

    /// Docs of the loaded id ranges whose articles are in, in id order (ids were checked
    /// in order within each range, and ranges are in order).
    fn by_id(&self) -> Vec<u32> {
        let per = self.root.docs_per_chunk as u32;
        self.ids
            .values()
            .flat_map(|ids| ids.postings.iter().map(|p| p.doc))
            .filter(|&d| self.chunks.contains(&(d / per)))
            .collect()
    }
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
    use crate::index::Posting;
    // Each word's lists and each neighbours' pairs: an article is read if it is in one
    // list of every group. The smallest group (a pair, usually) gives sorted candidates,
    // the others are searched for them: the words of a phrase are often in tens of
    // thousands of articles, and this runs on every keystroke of a phrase.
    let mut groups: Vec<Vec<&[Posting]>> = Vec::new();
    for run in runs {
        for w in run {
            groups.push(w.keys.iter().filter_map(|k| index.folded.get(k)).collect());
        }
        for pair in run.windows(2) {
            let mut lists = Vec::new();
            for a in &pair[0].pair_keys {
                for b in &pair[1].pair_keys {
                    lists.extend(index.pairs.get(&crate::index::pair_key(a, b)));
                }
            }
            groups.push(lists);
        }
    }
    let size = |g: &Vec<&[Posting]>| g.iter().map(|l| l.len()).sum::<usize>();
    let groups = crate::order::sorted_by(groups, size);
    let Some((smallest, others)) = groups.split_first() else {
        return Vec::new();
    };
    let mut docs = crate::order::distinct(smallest.iter().flat_map(|l| l.iter().map(|p| p.doc)));
    for group in others {
        docs.retain(|&d| {
            group
                .iter()
                .any(|l| l.binary_search_by_key(&d, |p| p.doc).is_ok())
        });
    }
    docs
}

fn read_root(bytes: &[u8]) -> Result<Root, ShardError> {
    const FILE: &str = "root";
    let body = open(FILE, FileKind::Root, bytes)?;
    let raw = inflate(FILE, &[], body, ROOT_INFLATE_LIMIT)?;
    let err = |e| ShardError::codec(FILE, e);
    let mut r = Reader::new("root", &raw);
    let docs = r.count("article count").map_err(err)?;
    // Every doc takes at least 4 bytes of facet codes.
    if docs > r.remaining() / 4 {
        return Err(ShardError::new(
            FILE,
            format!("{docs} articles cannot fit in the root"),
        ));
    }
    let mut stubs = vec![Article::default(); docs];
    for field in 0..4 {
        let values = read_column_values(&mut r).map_err(err)?;
        let width = code_width(values.len());
        let mut codes = vec![0usize; docs];
        for _ in 0..width {
            let plane = r.take(docs).map_err(err)?;
            for (code, &b) in codes.iter_mut().zip(plane) {
                *code = *code << 8 | b as usize;
            }
        }
        for (stub, code) in stubs.iter_mut().zip(codes) {
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
    let (docs_per_head, heads) =
        read_files_of(&mut r, docs, FileKind::Heads, "articles per head file").map_err(err)?;
    let directory = read_name(&mut r, FileKind::Directory).map_err(err)?;
    let file_count = r.count("file count").map_err(err)?;
    let files_bytes = r.varint().map_err(err)?;
    r.finish().map_err(err)?;
    Ok(Root {
        docs,
        avg_field_len: [0.0; FIELD_COUNT],
        // Unweighed until the directory is in: no term is looked up before.
        field_norms: vec![[0; FIELD_COUNT]; docs],
        stubs,
        directories: Default::default(),
        prefix_ranges: Arc::default(),
        // One article per chunk until the directory says (no chunk is named before).
        docs_per_chunk: 1,
        chunks: Vec::new(),
        docs_per_words_file: 1,
        words_files: Vec::new(),
        docs_per_head,
        heads,
        lexicon: String::new(),
        short_query_rows: Vec::new(),
        dictionary: None,
        docs_per_urls_file: 1,
        urls_files: Vec::new(),
        directory,
        file_count,
        files_bytes,
    })
}

/// Reads the directory file `file` (its body) into `root`, which names it.
fn read_directory(file: &str, body: &[u8], root: &mut Root) -> Result<(), ShardError> {
    let raw = inflate(file, &[], body, ROOT_INFLATE_LIMIT)?;
    let err = |e| ShardError::codec(file, e);
    let mut r = Reader::new("directory", &raw);
    let docs = root.docs;
    // Every doc takes at least 3 bytes of lengths.
    if docs > r.remaining() / 3 {
        return Err(ShardError::new(
            file,
            format!("cannot hold the field lengths of {docs} articles"),
        ));
    }
    let mut avg_field_len = [0f32; FIELD_COUNT];
    for a in &mut avg_field_len {
        *a = r.average_length().map_err(err)?;
    }
    let mut field_norms = vec![[0u8; FIELD_COUNT]; docs];
    for field in 0..FIELD_COUNT {
        let bytes = r.take(docs).map_err(err)?;
        for (norms, &b) in field_norms.iter_mut().zip(bytes) {
            norms[field] = b;
        }
    }
    let mut directories: [Directory; 5] = Default::default();
    for (dir, kind) in directories.iter_mut().zip(DICTS) {
        let n = r.count("range count").map_err(err)?;
        if n > r.remaining() / (1 + DIGEST_LEN) {
            return Err(ShardError::new(
                file,
                format!("{n} ranges cannot fit in the directory"),
            ));
        }
        for i in 0..n {
            let last = dir.firsts.last().map_or("", String::as_str);
            let first = read_front_coded(&mut r, last, "first term").map_err(err)?;
            if i > 0 && first <= dir.firsts[i - 1] {
                return Err(err(
                    r.corrupt(format!("range {i} does not sort after range {}", i - 1))
                ));
            }
            dir.firsts.push(first);
            dir.names.push(read_name(&mut r, kind).map_err(err)?);
        }
    }
    let mut prefix_ranges = BTreeMap::new();
    let n = r.count("prefix count").map_err(err)?;
    let folded_ranges = directories[0].names.len();
    let mut last = String::new();
    for _ in 0..n.min(r.remaining()) {
        let prefix = read_front_coded(&mut r, &last, "prefix").map_err(err)?;
        let k = r.count("range count").map_err(err)?;
        let mut ranges = Vec::with_capacity(k.min(r.remaining()));
        let mut range = 0u32;
        for i in 0..k {
            let delta = r.u32("range").map_err(err)?;
            range = range
                .checked_add(delta)
                .filter(|&r| (r as usize) < folded_ranges && (i == 0 || delta > 0))
                .ok_or_else(|| {
                    err(r.corrupt(format!(
                        "prefix \"{prefix}\" names a range past {range} of {folded_ranges}, or twice"
                    )))
                })?;
            ranges.push(range);
        }
        last.clone_from(&prefix);
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
        chunks.push(read_name(&mut r, FileKind::Docs).map_err(err)?);
    }
    let (docs_per_words_file, words_files) =
        read_files_of(&mut r, docs, FileKind::Words, "articles per words file").map_err(err)?;
    let lexicon = read_name(&mut r, FileKind::Lexicon).map_err(err)?;
    let n = r.count("short query count").map_err(err)?;
    let mut short_query_rows: Vec<([u8; 2], Vec<u32>)> = Vec::new();
    for _ in 0..n.min(r.remaining()) {
        let text = [r.byte().map_err(err)?, r.byte().map_err(err)?];
        let k = r.count("row count").map_err(err)?;
        let sorted = short_query_rows.last().is_none_or(|&(t, _)| t < text);
        let valid = text[0].is_ascii_digit() || text[0].is_ascii_lowercase();
        let valid =
            valid && (text[1] == 0 || text[1].is_ascii_digit() || text[1].is_ascii_lowercase());
        if !valid || !sorted || k > FIRST_LETTER_ROWS {
            return Err(err(r.corrupt(format!(
                "short query {text:?} of {k} rows, or out of order"
            ))));
        }
        let mut rows = Vec::with_capacity(k);
        for _ in 0..k {
            let chunk = r.u32("chunk").map_err(err)?;
            if chunk as usize >= chunks.len() {
                return Err(err(r.corrupt(format!(
                    "chunk {chunk} of {} in a short query's rows",
                    chunks.len()
                ))));
            }
            rows.push(chunk);
        }
        short_query_rows.push((text, rows));
    }
    let dictionary = match r.count("dictionary count").map_err(err)? {
        0 => None,
        1 => Some(read_name(&mut r, FileKind::Dictionary).map_err(err)?),
        _ => return Err(err(r.corrupt("more than one chunk dictionary"))),
    };
    let (docs_per_urls_file, urls_files) =
        read_files_of(&mut r, docs, FileKind::Urls, "articles per URLs file").map_err(err)?;
    r.finish().map_err(err)?;
    root.avg_field_len = avg_field_len;
    root.field_norms = field_norms;
    root.directories = directories;
    root.prefix_ranges = Arc::new(prefix_ranges);
    root.docs_per_chunk = docs_per_chunk;
    root.chunks = chunks;
    root.docs_per_words_file = docs_per_words_file;
    root.words_files = words_files;
    root.lexicon = lexicon;
    root.docs_per_urls_file = docs_per_urls_file;
    root.urls_files = urls_files;
    root.short_query_rows = short_query_rows;
    root.dictionary = dictionary;
    Ok(())
}

/// A count of articles per file (`what`), then the name of each file that many articles
/// a file take for `docs` articles.
fn read_files_of(
    r: &mut Reader,
    docs: usize,
    kind: FileKind,
    what: &str,
) -> Result<(usize, Vec<String>), crate::codec::CodecError> {
    let per = r.count(what)?;
    if per == 0 || per > MAX_DOCS_PER_CHUNK {
        return Err(r.corrupt(format!("{per} {what}")));
    }
    let count = docs.div_ceil(per);
    let mut names = Vec::with_capacity(count.min(r.remaining()));
    for _ in 0..count {
        names.push(read_name(r, kind)?);
    }
    Ok((per, names))
}

/// A term written after `last` as the length they share, then the rest.
fn read_front_coded(
    r: &mut Reader,
    last: &str,
    what: &str,
) -> Result<String, crate::codec::CodecError> {
    let shared = r.count(what)?;
    if !last.is_char_boundary(shared) || shared > last.len() {
        return Err(r.corrupt(format!(
            "{what} shares {shared} bytes with one of {}",
            last.len()
        )));
    }
    let rest = read_str(r, what)?;
    Ok(format!("{}{rest}", &last[..shared]))
}

/// A file name stored as its digest's bytes.
fn read_name(r: &mut Reader, kind: FileKind) -> Result<String, crate::codec::CodecError> {
    Ok(name_from_digest(kind, r.take(DIGEST_LEN)?))
}

fn read_str(r: &mut Reader, what: &str) -> Result<String, crate::codec::CodecError> {
    let len = r.count(what)?;
    let bytes = r.take(len)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| r.corrupt(format!("{what} is not UTF-8")))
}

/// A facet column's distinct values, sorted and front-coded.
fn read_column_values(r: &mut Reader) -> Result<Vec<String>, crate::codec::CodecError> {
    let n = r.count("facet value count")?;
    if n > r.remaining() {
        return Err(r.corrupt(format!("{n} facet values cannot fit in the root")));
    }
    let mut values: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let last = values.last().map_or("", String::as_str);
        let value = read_front_coded(r, last, "facet value")?;
        values.push(value);
    }
    Ok(values)
}

/// One term range: the codec's dictionary checks, and every term inside the range the
/// root gives it, so ranges join into one sorted dictionary.
fn read_range(
    name: &str,
    body: &[u8],
    docs: usize,
    dir: &Directory,
    i: u32,
    bm25: &Bm25F,
) -> Result<TermRun, ShardError> {
    let mut r = Reader::new("term range", body);
    let d = get_dict(&mut r, docs, Some(bm25)).map_err(|e| ShardError::codec(name, e))?;
    let i = i as usize;
    if d.is_empty() || d.term(0) != dir.firsts[i] {
        return Err(ShardError::new(
            name,
            format!(
                "does not begin with \"{}\", as the root says",
                dir.firsts[i]
            ),
        ));
    }
    if let Some(next) = dir.firsts.get(i + 1) {
        if d.term(d.len() - 1) >= next.as_str() {
            return Err(ShardError::new(
                name,
                format!("holds terms from the next range, which begins at \"{next}\""),
            ));
        }
    }
    Ok(d)
}

/// One range of reverse pair counts: its keys front-coded, in order, inside the range the
/// directory gives it, then a count of at most `docs` articles for each.
fn read_counts(
    name: &str,
    body: &[u8],
    docs: usize,
    dir: &Directory,
    i: u32,
) -> Result<CountRun, ShardError> {
    let err = |e| ShardError::codec(name, e);
    let mut r = Reader::new("reverse pair counts", body);
    let n = r.count("key count").map_err(err)?;
    // Two varints of a key and one of its count at least.
    if n == 0 || n > r.remaining() / 3 {
        return Err(err(r.corrupt("more keys than the file holds")));
    }
    // Plain messages, no formatting: each `format!` is code in the wasm.
    let misplaced = "keys out of order, or not in the range the directory gives";
    let i = i as usize;
    let mut run = CountRun::default();
    let mut last = String::new();
    for k in 0..n {
        let key = read_front_coded(&mut r, &last, "key").map_err(err)?;
        let in_place = if k == 0 {
            key == dir.firsts[i]
        } else {
            key > last
        };
        if !in_place {
            return Err(err(r.corrupt(misplaced)));
        }
        // Only the keys: a run of no postings (`CountRun::get` reads terms alone).
        run.keys.bytes.push_str(&key);
        run.keys.ends.push(run.keys.bytes.len() as u32);
        last = key;
    }
    if dir.firsts.get(i + 1).is_some_and(|next| last >= *next) {
        return Err(err(r.corrupt(misplaced)));
    }
    let mut counts = Vec::with_capacity(n);
    for _ in 0..n {
        let count = r.u32("count").map_err(err)?;
        if count == 0 || count as usize > docs {
            return Err(err(
                r.corrupt("a count of no article, or of more than the archive's")
            ));
        }
        counts.push(count);
    }
    r.finish().map_err(err)?;
    run.counts = counts;
    Ok(run)
}

fn read_lexicon(name: &str, body: &[u8]) -> Result<Lexicon, ShardError> {
    let err = |e| ShardError::codec(name, e);
    let mut r = Reader::new("lexicon", body);
    let n = r.count("hash count").map_err(err)?;
    // A byte of hash and one of class at least.
    if n > r.remaining() / 2 {
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
    let classes = r.take(n).map_err(err)?.to_vec();
    r.finish().map_err(err)?;
    Ok(Lexicon { hashes, classes })
}

/// A DEFLATE body written after `dictionary` (empty: none), inflated within `limit`.
/// Every file goes through this one inflater (miniz_oxide's own `decompress_to_vec`
/// beside it was 9 kB more of the wasm).
fn inflate(
    name: &str,
    dictionary: &[u8],
    body: &[u8],
    limit: usize,
) -> Result<Vec<u8>, ShardError> {
    super::dictionary::inflate_with(dictionary, body, limit).map_err(|e| {
        ShardError::new(
            name,
            format!("does not inflate within {limit} bytes: {e:?}"),
        )
    })
}

/// How the chunks are coded: DEFLATE of the letters and the preset dictionary.
fn read_dictionary(name: &str, body: &[u8]) -> Result<Coding, ShardError> {
    let raw = inflate(name, &[], body, super::dictionary::MAX_CODING_BYTES)?;
    Coding::from_bytes(&raw)
        .ok_or_else(|| ShardError::new(name, "not a chunk coding (letters, dictionary)"))
}

/// A chunk's articles, compressed after the dictionary, letters coded.
fn read_chunk(
    name: &str,
    coding: &Coding,
    body: &[u8],
    expected: usize,
) -> Result<Vec<Article>, ShardError> {
    let coded = inflate(name, &coding.preset, body, CHUNK_INFLATE_LIMIT)?;
    let raw = coding
        .decode(coded)
        .ok_or_else(|| ShardError::new(name, "holds a letter code the archive has not"))?;
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

/// A head file: each of its articles' id, title and the start of its first passage.
type Head = (String, String, Option<String>);

fn read_heads(name: &str, body: &[u8], expected: usize) -> Result<Vec<Head>, ShardError> {
    let raw = inflate(name, &[], body, CHUNK_INFLATE_LIMIT)?;
    let (heads, rest): (Vec<Head>, &[u8]) = postcard::take_from_bytes(&raw)
        .map_err(|e| ShardError::new(name, format!("heads do not decode: {e}")))?;
    if !rest.is_empty() || heads.len() != expected {
        return Err(ShardError::new(
            name,
            format!(
                "holds {} heads and {} bytes more, {expected} expected",
                heads.len(),
                rest.len()
            ),
        ));
    }
    Ok(heads)
}

/// Every place of `names` that names `name`. Words and URLs files carry no ids, so two of
/// the same content (an archive without URLs; 64 articles without distinctive words)
/// share one name: the one file goes in each place, or the articles of the others would
/// ask for it forever.
fn places_of<'a>(names: &'a [String], name: &'a str) -> impl Iterator<Item = u32> + 'a {
    (0..names.len() as u32).filter(move |&at| names[at as usize] == name)
}

/// A words or URLs file: a list of strings for each of its articles (its distinctive
/// words; its URL, if it has one).
fn read_lists(name: &str, body: &[u8], expected: usize) -> Result<Vec<Vec<String>>, ShardError> {
    let raw = inflate(name, &[], body, CHUNK_INFLATE_LIMIT)?;
    let (lists, rest): (Vec<Vec<String>>, &[u8]) = postcard::take_from_bytes(&raw)
        .map_err(|e| ShardError::new(name, format!("lists do not decode: {e}")))?;
    if !rest.is_empty() || lists.len() != expected {
        return Err(ShardError::new(
            name,
            format!(
                "holds {} lists and {} bytes more, {expected} expected",
                lists.len(),
                rest.len()
            ),
        ));
    }
    Ok(lists)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Posting;
    use crate::shard::write_bundle_with_ranges_of;

    /// `n` articles of a few words each, some shared: dictionaries of many small ranges.
    fn invented(n: usize) -> Vec<Article> {
        (0..n)
            .map(|i| Article {
                id: format!("{i:03}"),
                title: format!("tin {i} thành phố số {}", i * 7919 % 1000),
                body: vec![format!("bài {i} về giá vàng {} và {}", i % 13, i * 31 % 97)],
                ..Article::default()
            })
            .collect()
    }

    /// Every pair's count, as the reverse files say it (keyed by the pair's second word),
    /// is its number of articles in the pairs dictionary (what the embedded index reads),
    /// and a pair the archive lacks counts 0; a range not in answers nothing and is noted.
    #[test]
    fn the_reverse_counts_answer_as_the_pairs_do() {
        let articles = invented(80);
        let index = Index::build(articles);
        let bundle = write_bundle_with_ranges_of(&index, 128);
        let mut sharded = bundle.reader().unwrap();
        let reverse = sharded.root.directories[REVERSE].names.clone();
        assert!(reverse.len() > 4, "{} reverse ranges", reverse.len());
        // Before its range is in, a count is not known, and the range is wanted.
        assert_eq!(sharded.index.pair_count_before("gia", "vang"), None);
        let wanted = sharded.take_missed();
        assert_eq!(wanted.len(), 1, "{wanted:?}");
        assert!(wanted[0].ends_with(".rpair"), "{wanted:?}");
        for name in &reverse {
            sharded.add_shard(name, bundle.file(name).unwrap()).unwrap();
        }
        let pairs = &index.pairs;
        assert!(pairs.len() > 500, "{} pairs", pairs.len());
        for i in 0..pairs.len() {
            let (a, b) = pairs.term(i).split_once(' ').unwrap();
            let want = pairs.postings_of(i).len();
            assert_eq!(index.pair_count_before(a, b), Some(want), "{a} {b}");
            assert_eq!(sharded.index.pair_count_before(a, b), Some(want), "{a} {b}");
        }
        for (a, b) in [("vang", "gia"), ("zz", "gia"), ("gia", "zz"), ("", "")] {
            assert_eq!(index.pair_count_before(a, b), Some(0), "{a} {b}");
            assert_eq!(sharded.index.pair_count_before(a, b), Some(0), "{a} {b}");
        }
        assert!(sharded.take_missed().is_empty());
    }

    #[test]
    fn adding_a_range_leaves_the_loaded_ones_where_they_are() {
        let articles = invented(60);
        let index = Index::build(articles);
        let bundle = write_bundle_with_ranges_of(&index, 128);
        let mut sharded = bundle.reader().unwrap();
        let mut folded = sharded.root.directories[0].names.clone();
        assert!(folded.len() > 4, "{} folded ranges", folded.len());
        // Last range first, so each new one goes before those in.
        folded.reverse();
        let mut seen: Vec<*const Posting> = Vec::new();
        for name in &folded {
            sharded.add_shard(name, bundle.file(name).unwrap()).unwrap();
            let runs: Vec<*const Posting> = sharded
                .index
                .folded
                .parts
                .iter()
                .map(|r| r.postings.as_ptr())
                .collect();
            // The new run is the first; the others are the very buffers decoded before.
            assert_eq!(
                runs[1..],
                seen[..],
                "loaded ranges were not copied or moved"
            );
            seen = runs;
        }
        let (got, want) = (&sharded.index.folded, &index.folded);
        assert_eq!(got.len(), want.len(), "all ranges: the whole dictionary");
        for i in 0..want.len() {
            assert_eq!(
                (got.term(i), got.postings_of(i)),
                (want.term(i), want.postings_of(i))
            );
        }
    }
}
