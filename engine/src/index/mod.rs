//! The inverted index: what is stored, and how it is built. What a posting is worth
//! (BM25F) is `search::scoring`'s business; the index only keeps frequencies and lengths.
//!
//! Three term dictionaries share one posting shape: folded terms (syllables `tri`,
//! compounds `covid-19`, synonym keys `#tphcm`), exact syllables that carry marks (`trì`,
//! tone on its canonical vowel), and folded adjacent-syllable pairs (`thanh tri`).
//! Everything is kept in sorted, flat vectors so the serialized bytes are a pure function
//! of the articles given (no hash-map order leaks into the output) and loading allocates
//! a handful of buffers, not one per term.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::article::Article;
use crate::facets::{day_number, Catalog};
use crate::search::expansion_cache::ExpansionCache;
use crate::search::postings::ScoreArrays;
use crate::search::scoring::Bm25F;
use crate::search::shard_terms::{current_reason, LookupReason};
use crate::text;

mod counts;
mod lazy;
pub(crate) mod norms;
mod stored;

pub(crate) use counts::{CountDict, CountRun};
pub(crate) use lazy::{DeferredDicts, LazyDict};
pub use stored::Articles;
pub(crate) use stored::DeferredArticles;

/// Indexed fields, in posting order.
pub const FIELD_COUNT: usize = 3;
pub const TITLE: usize = 0;
pub const LEAD: usize = 1;
pub const BODY: usize = 2;

/// A term's per-field frequencies in one document (title, lead, body).
pub type Frequencies = [u16; FIELD_COUNT];

/// One document holding a term, and what that is worth. 8 bytes: a 10⁵-article archive
/// holds tens of millions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    pub doc: u32,
    /// What this posting is worth before idf (BM25F saturation, `search::scoring`),
    /// worked out once from its [`Frequencies`] when the index is built or loaded, so
    /// queries only multiply and add.
    pub impact: f32,
}

/// Sorted terms with their postings (postings sorted by doc), in flat buffers: a whole
/// dictionary as built or loaded, or one term range of a sharded bundle.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermRun {
    /// Every term, concatenated in sorted order.
    pub(crate) bytes: String,
    /// `ends[i]`: end of term `i` in `bytes`.
    pub(crate) ends: Vec<u32>,
    /// `starts[i]..starts[i + 1]`: postings of term `i`.
    pub(crate) starts: Vec<u32>,
    pub(crate) postings: Vec<Posting>,
    /// The build side only: `tfs[k]` are `postings[k]`'s frequencies, what the writers
    /// (`codec`, `shard::write`) store. Empty once loaded: searching needs the impacts.
    pub(crate) tfs: Vec<Frequencies>,
}

/// Equal terms and postings: frequencies kept for writing (built, not loaded) aside; the
/// impacts worked out from them are compared.
impl PartialEq for TermRun {
    fn eq(&self, other: &TermRun) -> bool {
        self.bytes == other.bytes
            && self.ends == other.ends
            && self.starts == other.starts
            && self.postings == other.postings
    }
}

impl TermRun {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub(crate) fn term(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    pub(crate) fn postings_of(&self, i: usize) -> &[Posting] {
        &self.postings[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The frequencies of term `i`'s postings: empty unless the run was built.
    fn tfs_of(&self, i: usize) -> &[Frequencies] {
        self.tfs
            .get(self.starts[i] as usize..self.starts[i + 1] as usize)
            .unwrap_or(&[])
    }

    /// The place of the first term not before `key`.
    pub(crate) fn lower_bound(&self, key: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.term(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Appends a term (sorting after the last one) with its postings and, on the build
    /// side, their frequencies.
    pub(crate) fn push(&mut self, term: &str, postings: &[Posting], tfs: &[Frequencies]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.bytes.push_str(term);
        self.ends.push(self.bytes.len() as u32);
        self.postings.extend_from_slice(postings);
        self.tfs.extend_from_slice(tfs);
        self.starts.push(self.postings.len() as u32);
    }

    /// The postings of `term`, if the run has it.
    pub(crate) fn get(&self, term: &str) -> Option<&[Posting]> {
        let i = self.lower_bound(term);
        (i < self.len() && self.term(i) == term).then(|| self.postings_of(i))
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.bytes.capacity()
            + (self.ends.capacity() + self.starts.capacity()) * 4
            + self.postings.capacity() * std::mem::size_of::<Posting>()
            + self.tfs.capacity() * std::mem::size_of::<Frequencies>()
    }
}

/// A dictionary: sorted terms with their postings, held as runs of terms in order. An
/// index built or loaded whole has one run; a sharded reader one per term range it has
/// loaded, so adding a range costs that range, not a copy of all the others. Terms are
/// numbered across runs (`term(i)`, `postings_of(i)`), as if in one buffer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermDict {
    /// Disjoint runs in term order, none empty.
    pub(crate) parts: Vec<TermRun>,
    /// `part_starts[p]`: the number of run `p`'s first term; then the number of terms.
    part_starts: Vec<u32>,
    /// Set only on a dictionary assembled from some of a sharded bundle's term ranges:
    /// which ranges it holds, and which missing ones a lookup wanted.
    pub(crate) coverage: Option<Arc<Coverage>>,
}

/// Which term ranges (shards) of a dictionary are present. Lookups outside them are
/// noted, so a sharded reader learns exactly which shards a query needs by running it.
#[derive(Debug, Default)]
pub(crate) struct Coverage {
    /// First term of each range, sorted: range `i` holds terms from `firsts[i]` up to
    /// (not including) `firsts[i + 1]`.
    pub(crate) firsts: Arc<Vec<String>>,
    pub(crate) loaded: Vec<bool>,
    /// Ranges looked up and not loaded, each with why it was first looked up.
    pub(crate) missed: Mutex<BTreeMap<u32, LookupReason>>,
    /// For prefixes whose terms span many ranges: the ranges holding the terms a prefix
    /// expansion can pick (the most frequent words), so only those need to be in.
    pub(crate) prefix_ranges: Arc<BTreeMap<String, Vec<u32>>>,
    /// Sorted hashes of every term of letters a–z in the whole dictionary: a lookup of
    /// such a term whose hash is absent finds nothing anywhere, so needs no range.
    pub(crate) lexicon: Option<Arc<crate::shard::Lexicon>>,
    /// A typo probe ran while the lexicon was not in: the reader needs it (probes note no
    /// range without it, or hundreds of one-edit strings would fetch every range).
    pub(crate) lexicon_wanted: AtomicBool,
    /// Lookups so far that wanted a range not in (or the lexicon): an expansion worked
    /// out while this grew is not kept for the next keystroke.
    pub(crate) misses: AtomicUsize,
}

impl PartialEq for Coverage {
    fn eq(&self, other: &Coverage) -> bool {
        self.firsts == other.firsts && self.loaded == other.loaded
    }
}

impl Coverage {
    /// The range that holds `term` (range 0 for terms before the first).
    pub(crate) fn range_of(&self, term: &str) -> usize {
        self.firsts
            .partition_point(|f| f.as_str() <= term)
            .saturating_sub(1)
    }

    fn note(&self, range: usize) {
        if !self.loaded.get(range).copied().unwrap_or(true) {
            self.misses.fetch_add(1, Ordering::Relaxed);
            // A poisoned lock only means another lookup panicked; the set is still usable.
            let mut missed = self.missed.lock().unwrap_or_else(|e| e.into_inner());
            missed.entry(range as u32).or_insert_with(current_reason);
        }
    }

    fn note_term(&self, term: &str) {
        if let Some(lexicon) = &self.lexicon {
            if lexicon.class_of(term).is_none() {
                return;
            }
        }
        self.note(self.range_of(term));
    }

    fn is_loaded(&self, range: usize) -> bool {
        self.loaded.get(range).copied().unwrap_or(true)
    }

    /// Every range that may hold a term beginning with `prefix`.
    fn note_prefix(&self, prefix: &str) {
        if let Some(ranges) = self.prefix_ranges.get(prefix) {
            for &r in ranges {
                self.note(r as usize);
            }
            return;
        }
        let mut i = self.range_of(prefix);
        self.note(i);
        while i + 1 < self.firsts.len() && self.firsts[i + 1].starts_with(prefix) {
            i += 1;
            self.note(i);
        }
    }

    pub(crate) fn take_missed(&self) -> BTreeMap<u32, LookupReason> {
        std::mem::take(&mut *self.missed.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl TermDict {
    /// A dictionary of one run.
    pub(crate) fn whole(run: TermRun) -> TermDict {
        let mut d = TermDict::default();
        d.insert_part(0, run);
        d
    }

    /// Puts `run` as the `at`-th run; it must sort between its neighbours. Costs the
    /// number of runs, whatever their size.
    pub(crate) fn insert_part(&mut self, at: usize, run: TermRun) {
        if !run.is_empty() {
            self.parts.insert(at, run);
        }
        self.part_starts.clear();
        let mut n = 0u32;
        for p in &self.parts {
            self.part_starts.push(n);
            n += p.len() as u32;
        }
        self.part_starts.push(n);
    }

    pub fn len(&self) -> usize {
        self.part_starts.last().map_or(0, |&n| n as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The run holding term `i`, and its place there.
    #[inline]
    fn locate(&self, i: usize) -> (&TermRun, usize) {
        if self.parts.len() == 1 {
            return (&self.parts[0], i);
        }
        let p = self.part_starts.partition_point(|&s| s as usize <= i) - 1;
        (&self.parts[p], i - self.part_starts[p] as usize)
    }

    pub fn term(&self, i: usize) -> &str {
        let (run, i) = self.locate(i);
        run.term(i)
    }

    pub fn postings_of(&self, i: usize) -> &[Posting] {
        let (run, i) = self.locate(i);
        run.postings_of(i)
    }

    /// The frequencies of term `i`'s postings, kept only where the index was built to be
    /// written: empty in an index loaded.
    pub(crate) fn tfs_of(&self, i: usize) -> &[Frequencies] {
        let (run, i) = self.locate(i);
        run.tfs_of(i)
    }

    /// The place of the first term not before `key`.
    pub(crate) fn lower_bound(&self, key: &str) -> usize {
        // The last run whose first term is not after `key`: past its end, the next run.
        let p = self
            .parts
            .partition_point(|run| run.term(0) <= key)
            .saturating_sub(1);
        match self.parts.get(p) {
            Some(run) => self.part_starts[p] as usize + run.lower_bound(key),
            None => 0,
        }
    }

    pub fn find(&self, term: &str) -> Option<usize> {
        if let Some(c) = &self.coverage {
            c.note_term(term);
        }
        let i = self.lower_bound(term);
        (i < self.len() && self.term(i) == term).then_some(i)
    }

    /// The frequency class (`norms::frequency_class`) of a string tried as a typo
    /// correction, if it is a word. A sharded dictionary answers from its lexicon where
    /// the word's range is not in (a class no lower than the word's), noting no range, so
    /// hundreds of one-edit strings fetch nothing; without the lexicon it asks for it.
    pub(crate) fn probe_class(&self, term: &str) -> Option<u8> {
        if let Some(c) = &self.coverage {
            // Most probes are no word: the lexicon says so from a hash, before any range
            // is searched (its `None` is exact: no such term anywhere).
            if c.lexicon
                .as_ref()
                .is_some_and(|l| l.class_of(term).is_none())
            {
                return None;
            }
            if !c.is_loaded(c.range_of(term)) {
                let Some(lexicon) = &c.lexicon else {
                    c.lexicon_wanted.store(true, Ordering::Relaxed);
                    c.misses.fetch_add(1, Ordering::Relaxed);
                    return None;
                };
                return lexicon.class_of(term);
            }
        }
        let i = self.lower_bound(term);
        (i < self.len() && self.term(i) == term)
            .then(|| norms::frequency_class(self.postings_of(i).len()))
    }

    /// Bytes its buffers hold (their capacities): what a memory figure counts.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.parts.capacity() * std::mem::size_of::<TermRun>()
            + self.part_starts.capacity() * 4
            + self.parts.iter().map(TermRun::memory_bytes).sum::<usize>()
    }

    /// Works out the impact of every posting whose frequencies it keeps.
    fn weigh(&mut self, bm25: &Bm25F) {
        for run in &mut self.parts {
            bm25.weigh(&mut run.postings, &run.tfs);
        }
    }

    pub fn get(&self, term: &str) -> Option<&[Posting]> {
        self.find(term).map(|i| self.postings_of(i))
    }

    /// Terms starting with `prefix`, in sorted order, with their postings.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a [Posting])> + 'a {
        if let Some(c) = &self.coverage {
            c.note_prefix(prefix);
        }
        (self.lower_bound(prefix)..self.len())
            .map(move |i| (self.term(i), self.postings_of(i)))
            .take_while(move |(t, _)| t.starts_with(prefix))
    }

    /// A built dictionary of these terms, with their postings' frequencies (impacts not
    /// worked out).
    #[cfg(test)]
    pub(crate) fn from_parts(terms: Vec<(String, Vec<(u32, Frequencies)>)>) -> TermDict {
        let mut run = TermRun::default();
        for (term, postings) in terms {
            let (docs, tfs): (Vec<Posting>, Vec<Frequencies>) = postings
                .into_iter()
                .map(|(doc, tf)| (Posting { doc, impact: 0.0 }, tf))
                .unzip();
            run.push(&term, &docs, &tfs);
        }
        TermDict::whole(run)
    }
}

/// Every posting of one dictionary while the index is built, in doc order: for each
/// document, how many terms it holds, then their ids (ascending, delta-coded varints),
/// each followed by its frequencies packed in a byte (title ≤ 3, lead ≤ 3, body ≤ 7; else
/// an escape and three varints). One buffer written in sequence, about 3 bytes a posting
/// (a 10⁵-article build holds tens of millions), and no allocation per term: UNC has a
/// million pairs, and growing a list for each took most of the build. [`Self::lay_out`]
/// puts them in term order in two passes.
#[derive(Default)]
struct PostingStream {
    bytes: Vec<u8>,
    /// Each term's document frequency so far, by term id.
    df: Vec<u32>,
    /// Documents ended so far: the next one's number.
    docs: u32,
    /// The current document's frequencies, dense by term id, and the ids it touched.
    tf: Vec<Frequencies>,
    touched: Vec<u32>,
}

/// A packed-frequencies byte that says three varints follow instead.
const BUILD_TF_ESCAPE: u8 = 0x80;

fn put_build_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads back what [`put_build_varint`] wrote (the builder's own bytes, never input).
fn build_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

impl PostingStream {
    /// A new term id (ids are given in sequence).
    fn add_term(&mut self) {
        self.df.push(0);
        self.tf.push([0; FIELD_COUNT]);
    }

    #[inline]
    fn bump(&mut self, id: u32, field: usize) {
        let tf = &mut self.tf[id as usize];
        if *tf == [0; FIELD_COUNT] {
            self.touched.push(id);
        }
        tf[field] = tf[field].saturating_add(1);
    }

    /// Ends the current document: its postings go to the stream.
    fn end_doc(&mut self) {
        self.touched.sort_unstable();
        put_build_varint(&mut self.bytes, self.touched.len() as u32);
        let mut last = 0;
        for &id in &self.touched {
            let tf = std::mem::take(&mut self.tf[id as usize]);
            Self::put(&mut self.bytes, &mut self.df, &mut last, id, tf);
        }
        self.touched.clear();
        self.docs += 1;
    }

    /// Ends the current document with these postings (term id and frequencies, counted
    /// by the caller), sorting them.
    fn end_doc_with(&mut self, postings: &mut [(u32, Frequencies)]) {
        postings.sort_unstable_by_key(|&(id, _)| id);
        put_build_varint(&mut self.bytes, postings.len() as u32);
        let mut last = 0;
        for &(id, tf) in postings.iter() {
            Self::put(&mut self.bytes, &mut self.df, &mut last, id, tf);
        }
        self.docs += 1;
    }

    #[inline]
    fn put(bytes: &mut Vec<u8>, df: &mut [u32], last: &mut u32, id: u32, tf: Frequencies) {
        put_build_varint(bytes, id - *last);
        *last = id;
        df[id as usize] += 1;
        let [t, l, b] = tf;
        if t <= 3 && l <= 3 && b <= 7 {
            bytes.push((t | l << 2 | b << 4) as u8);
        } else {
            bytes.push(BUILD_TF_ESCAPE);
            for f in tf {
                put_build_varint(bytes, f as u32);
            }
        }
    }

    /// The postings laid out by term: `order` lists the term ids in term order,
    /// `write_term` appends one's text to the terms' buffer (which `term_bytes` bytes
    /// will hold). Every buffer is allocated once at its final size.
    fn lay_out(
        self,
        order: &[u32],
        term_bytes: usize,
        mut write_term: impl FnMut(u32, &mut String),
    ) -> TermRun {
        let mut run = TermRun::default();
        let total: usize = self.df.iter().map(|&n| n as usize).sum();
        run.bytes.reserve(term_bytes);
        run.ends.reserve(order.len());
        run.starts.reserve(order.len() + 1);
        run.starts.push(0);
        // Where each term's next posting goes.
        let mut cursor = vec![0u32; self.df.len()];
        let mut at = 0u32;
        for &id in order {
            write_term(id, &mut run.bytes);
            run.ends.push(run.bytes.len() as u32);
            cursor[id as usize] = at;
            at += self.df[id as usize];
            run.starts.push(at);
        }
        run.postings = vec![
            Posting {
                doc: 0,
                impact: 0.0
            };
            total
        ];
        run.tfs = vec![[0; FIELD_COUNT]; total];
        let (bytes, mut at) = (&self.bytes[..], 0);
        for doc in 0..self.docs {
            let mut id = 0;
            for _ in 0..build_varint(bytes, &mut at) {
                id += build_varint(bytes, &mut at);
                let packed = bytes[at];
                at += 1;
                let tf = if packed == BUILD_TF_ESCAPE {
                    std::array::from_fn(|_| build_varint(bytes, &mut at) as u16)
                } else {
                    let p = packed as u16;
                    [p & 3, (p >> 2) & 3, (p >> 4) & 7]
                };
                let slot = &mut cursor[id as usize];
                run.postings[*slot as usize].doc = doc;
                run.tfs[*slot as usize] = tf;
                *slot += 1;
            }
        }
        debug_assert!(
            (1..run.len()).all(|i| run.term(i - 1) < run.term(i)),
            "terms laid out in strictly increasing order"
        );
        run
    }
}

/// Collects one dictionary of string terms while documents are read in order.
#[derive(Default)]
struct DictBuilder {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    postings: PostingStream,
}

impl DictBuilder {
    fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(key.into(), id);
        self.names.push(key.into());
        self.postings.add_term();
        id
    }

    fn add(&mut self, key: &str, field: usize) {
        let id = self.id(key);
        self.postings.bump(id, field);
    }

    /// The dictionary, each term id's place in it, and the terms by id.
    fn finish(self) -> (TermDict, Vec<u32>, Vec<Box<str>>) {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut place = vec![0u32; order.len()];
        for (i, &id) in order.iter().enumerate() {
            place[id as usize] = i as u32;
        }
        let names = self.names;
        let term_bytes = names.iter().map(|n| n.len()).sum();
        let run = self.postings.lay_out(&order, term_bytes, |id, out| {
            out.push_str(&names[id as usize])
        });
        (TermDict::whole(run), place, names)
    }
}

/// Collects the pairs dictionary, keyed by the two words' folded ids.
#[derive(Default)]
struct PairBuilder {
    ids: FxHashMap<u64, u32>,
    keys: Vec<u64>,
    postings: PostingStream,
    /// The current document's pairs, counted in a table small enough to stay in cache
    /// and given their ids once per document: the table of every pair (UNC: 217,819) is
    /// a cache miss a lookup, and most lookups were of it.
    doc: FxHashMap<u64, Frequencies>,
    doc_postings: Vec<(u32, Frequencies)>,
}

impl PairBuilder {
    #[inline]
    fn add(&mut self, a: u32, b: u32, field: usize) {
        let key = (a as u64) << 32 | b as u64;
        let tf = self.doc.entry(key).or_default();
        tf[field] = tf[field].saturating_add(1);
    }

    fn end_doc(&mut self) {
        for (key, tf) in self.doc.drain() {
            let next = self.keys.len() as u32;
            let id = *self.ids.entry(key).or_insert(next);
            if id == next {
                self.keys.push(key);
                self.postings.add_term();
            }
            self.doc_postings.push((id, tf));
        }
        self.postings.end_doc_with(&mut self.doc_postings);
        self.doc_postings.clear();
    }

    /// `names` and `place`: the folded words' texts and places in their dictionary.
    fn finish(self, names: &[Box<str>], place: &[u32]) -> TermDict {
        // A pair's term is `a b`, and a space sorts before any character of a folded
        // word, so pairs sort as their words' places do: integers, not strings, compared.
        let mut by_place: Vec<(u64, u32)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(id, &k)| {
                let (a, b) = ((k >> 32) as usize, (k & 0xffff_ffff) as usize);
                ((place[a] as u64) << 32 | place[b] as u64, id as u32)
            })
            .collect();
        by_place.sort_unstable();
        let order: Vec<u32> = by_place.iter().map(|&(_, id)| id).collect();
        let words = |id: u32| {
            let k = self.keys[id as usize];
            (
                &*names[(k >> 32) as usize],
                &*names[(k & 0xffff_ffff) as usize],
            )
        };
        let term_bytes = order
            .iter()
            .map(|&id| words(id).0.len() + 1 + words(id).1.len())
            .sum();
        // The same text as `pair_key`, written in place.
        let write_term = |id: u32, out: &mut String| {
            let (a, b) = words(id);
            out.push_str(a);
            out.push(' ');
            out.push_str(b);
        };
        TermDict::whole(self.postings.lay_out(&order, term_bytes, write_term))
    }
}

/// What the builder knows of a surface word: its folded id, and its exact id when the
/// word carries marks.
#[derive(Clone, Copy)]
struct WordIds {
    folded: u32,
    exact: Option<u32>,
}

/// Builds the three dictionaries and the field lengths from articles given one at a
/// time, in doc order: [`Index::build`]'s one implementation, which the embedded reader
/// also runs to derive the dictionaries from the stored articles (`codec`, format 10),
/// so what it derives is what the build would have made. It can stop after any article
/// and go on later: the reader derives in slices between frames.
#[derive(Default)]
pub(crate) struct DictionaryBuilder {
    folded: DictBuilder,
    exact: DictBuilder,
    pairs: PairBuilder,
    field_norms: Vec<[u8; FIELD_COUNT]>,
    total_len: [u64; FIELD_COUNT],
    /// Surface word → ids: each distinct spelling is analyzed (folded) once.
    words: FxHashMap<Box<str>, WordIds>,
    /// Reused for every passage: its word ranges and their ids.
    ranges: Vec<(usize, usize)>,
    ids: Vec<WordIds>,
    /// Reused for every passage: its compounds, synonym phrases and adjacency, and (its
    /// allocation only, empty between passages) its words' folded keys.
    spans: text::SpanBuffers,
    names: Vec<&'static str>,
}

/// `v`'s allocation, emptied, for references of another lifetime (the collect reuses it
/// in place: the element types have one size and alignment).
fn reuse<'b>(mut v: Vec<&'_ str>) -> Vec<&'b str> {
    v.clear();
    v.into_iter()
        .map(|_| -> &'b str { unreachable!() })
        .collect()
}

/// What [`DictionaryBuilder`] found: the dictionaries (their postings' frequencies kept,
/// impacts not worked out) and each article's field lengths.
pub(crate) struct BuiltDictionaries {
    pub(crate) dicts: [TermDict; 3],
    pub(crate) field_norms: Vec<[u8; FIELD_COUNT]>,
    pub(crate) avg_field_len: [f32; FIELD_COUNT],
}

impl BuiltDictionaries {
    /// The dictionaries as a loaded index keeps them: impacts worked out, frequencies
    /// dropped (a reader's posting is 8 bytes).
    pub(crate) fn weighed(self, bm25: &Bm25F) -> [TermDict; 3] {
        self.dicts.map(|mut d| {
            d.weigh_for_reading(bm25);
            d
        })
    }
}

impl TermDict {
    /// Impacts worked out and frequencies dropped, as a loaded index keeps postings.
    pub(crate) fn weigh_for_reading(&mut self, bm25: &Bm25F) {
        self.weigh(bm25);
        for run in &mut self.parts {
            run.tfs = Vec::new();
        }
    }
}

/// [`DictionaryBuilder::finish`] in steps, one dictionary sorted and laid out a step, so
/// a reader deriving in slices yields between them (each is ~1/3 of finishing).
pub(crate) struct Finishing {
    folded: Option<DictBuilder>,
    exact: Option<DictBuilder>,
    pairs: Option<PairBuilder>,
    /// The folded words' places in sorted order and their names, once folded is laid out.
    place: Vec<u32>,
    names: Vec<Box<str>>,
    dicts: [TermDict; 3],
    field_norms: Vec<[u8; FIELD_COUNT]>,
    total_len: [u64; FIELD_COUNT],
}

impl Finishing {
    /// Does the next step; the dictionaries once the last one is done.
    pub(crate) fn step(&mut self) -> Option<BuiltDictionaries> {
        if let Some(folded) = self.folded.take() {
            let (dict, place, names) = folded.finish();
            (self.dicts[0], self.place, self.names) = (dict, place, names);
            return None;
        }
        if let Some(pairs) = self.pairs.take() {
            self.dicts[2] = pairs.finish(&self.names, &self.place);
            return None;
        }
        if let Some(exact) = self.exact.take() {
            self.dicts[1] = exact.finish().0;
        }
        let docs = self.field_norms.len();
        let mut avg_field_len = [0f32; FIELD_COUNT];
        if docs > 0 {
            for (avg, total) in avg_field_len.iter_mut().zip(self.total_len) {
                *avg = total as f32 / docs as f32;
            }
        }
        Some(BuiltDictionaries {
            dicts: std::mem::take(&mut self.dicts),
            field_norms: std::mem::take(&mut self.field_norms),
            avg_field_len,
        })
    }
}

impl DictionaryBuilder {
    /// Articles indexed so far.
    pub(crate) fn len(&self) -> usize {
        self.field_norms.len()
    }

    /// Indexes the next article (the next doc number).
    pub(crate) fn add(&mut self, article: &Article) {
        let DictionaryBuilder {
            folded,
            exact,
            pairs,
            words,
            ranges,
            ids,
            spans,
            names: names_buffer,
            ..
        } = self;
        let mut lens = [0u32; FIELD_COUNT];
        for (field, texts) in field_texts(article).iter().enumerate() {
            for t in texts {
                text::word_ranges_into(t, ranges);
                lens[field] += ranges.len() as u32;
                ids.clear();
                for &(s, e) in ranges.iter() {
                    let w = &t[s..e];
                    let wi = match words.get(w) {
                        Some(&wi) => wi,
                        None => {
                            let (ex, fo) = text::keys(w);
                            let wi = WordIds {
                                folded: folded.id(&fo),
                                exact: (ex != fo).then(|| exact.id(&ex)),
                            };
                            words.insert(w.into(), wi);
                            wi
                        }
                    };
                    folded.postings.bump(wi.folded, field);
                    if let Some(e) = wi.exact {
                        exact.postings.bump(e, field);
                    }
                    ids.push(wi);
                }
                let mut names = reuse(std::mem::take(names_buffer));
                names.extend(ids.iter().map(|w| &*folded.names[w.folded as usize]));
                text::spans_into(t, ranges, &names, spans);
                *names_buffer = reuse(names);
                for (k, joined) in spans.pair.iter().enumerate() {
                    if *joined {
                        pairs.add(ids[k].folded, ids[k + 1].folded, field);
                    }
                }
                for span in &spans.spans {
                    folded.add(&span.key, field);
                }
            }
        }
        folded.postings.end_doc();
        exact.postings.end_doc();
        pairs.end_doc();
        for (total, &len) in self.total_len.iter_mut().zip(&lens) {
            *total += len as u64;
        }
        self.field_norms.push(lens.map(norms::encode_length));
    }

    pub(crate) fn finish(self) -> BuiltDictionaries {
        let mut finishing = self.finishing();
        loop {
            if let Some(built) = finishing.step() {
                return built;
            }
        }
    }

    /// Finishing, to be done a step at a time ([`Finishing::step`]).
    pub(crate) fn finishing(self) -> Finishing {
        Finishing {
            folded: Some(self.folded),
            exact: Some(self.exact),
            pairs: Some(self.pairs),
            place: Vec::new(),
            names: Vec::new(),
            dicts: Default::default(),
            field_norms: self.field_norms,
            total_len: self.total_len,
        }
    }
}

/// The searchable corpus: stored articles plus their inverted index.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Decoded per chunk on first touch when loaded with `codec::from_static_bytes`.
    pub(crate) articles: Articles,
    /// Doc numbers ordered by article id, for lookups by id.
    pub(crate) by_id: Vec<u32>,
    /// Each article's field lengths in words, a byte each ([`norms`]).
    pub(crate) field_norms: Vec<[u8; FIELD_COUNT]>,
    /// The exact average length of each field, from the lengths before they were coded.
    pub(crate) avg_field_len: [f32; FIELD_COUNT],
    /// Decoded on first touch when loaded with `codec::from_static_bytes` ([`lazy`]).
    pub(crate) folded: LazyDict,
    pub(crate) exact: LazyDict,
    pub(crate) pairs: LazyDict,
    /// A sharded reader's reverse pair counts ([`CountDict`]), which answer its pair
    /// counts by the second word; `None` in an index built or loaded whole, whose pairs
    /// answer them.
    pub(crate) reverse_pairs: Option<CountDict>,
    /// Derived, never stored: the BM25F statistics and norms of these articles.
    pub(crate) bm25: Bm25F,
    /// Derived, never stored: facet values and dates as integers.
    pub(crate) catalog: Catalog,
    /// Query words' expansions kept between keystrokes (`search::expansion_cache`).
    pub(crate) expansions: ExpansionCache,
    /// Score arrays kept between searches (`search::postings`).
    pub(crate) score_arrays: ScoreArrays,
}

/// The texts of an article, by field. Captions are read as body text.
pub(crate) fn field_texts(article: &Article) -> [Vec<&str>; FIELD_COUNT] {
    let mut body: Vec<&str> = article.body.iter().map(String::as_str).collect();
    body.extend(article.captions.iter().map(|c| c.text.as_str()));
    [
        vec![article.title.as_str()],
        article.lead.iter().map(String::as_str).collect(),
        body,
    ]
}

pub(crate) fn pair_key(a: &str, b: &str) -> String {
    let mut k = String::with_capacity(a.len() + b.len() + 1);
    k.push_str(a);
    k.push(' ');
    k.push_str(b);
    k
}

impl Index {
    /// Works out what is derived, never stored, after build or load: the BM25F norms and
    /// every posting's impact from the field lengths (`search::scoring`), and the facet
    /// catalog.
    fn derive(&mut self) {
        self.bm25 = Bm25F::new(&self.field_norms, &self.avg_field_len);
        // A deferred dictionary is weighed as it is decoded.
        for d in [&mut self.folded, &mut self.exact, &mut self.pairs] {
            if let Some(d) = d.if_ready_mut() {
                d.weigh(&self.bm25);
            }
        }
        self.catalog = Catalog::new(self.articles.facet_fields());
    }

    /// Indexes the articles in date order, oldest first, undated before dated, ties in
    /// the order given; that order is the doc numbering. A sharded archive stores
    /// articles in chunks by doc number, so the newest page and a month's browsing read a
    /// few adjacent chunks, and newer articles added later go last, leaving the names of
    /// earlier chunks unchanged (undated first, so that a dated article added moves none).
    pub fn build(mut articles: Vec<Article>) -> Index {
        articles.sort_by_key(|a| day_number(a.date.as_deref()));
        let mut builder = DictionaryBuilder::default();
        for article in &articles {
            builder.add(article);
        }
        let built = builder.finish();
        let mut by_id: Vec<u32> = (0..articles.len() as u32).collect();
        by_id.sort_by(|&a, &b| articles[a as usize].id.cmp(&articles[b as usize].id));
        Index::assemble(
            articles.into(),
            by_id,
            built.field_norms,
            built.avg_field_len,
            built.dicts.map(LazyDict::from),
        )
    }

    /// An index from its stored parts (after build or load), with everything derived from
    /// them worked out: BM25F norms, posting impacts, the facet catalog.
    pub(crate) fn assemble(
        articles: Articles,
        by_id: Vec<u32>,
        field_norms: Vec<[u8; FIELD_COUNT]>,
        avg_field_len: [f32; FIELD_COUNT],
        [folded, exact, pairs]: [LazyDict; 3],
    ) -> Index {
        let mut index = Index {
            bm25: Bm25F::default(),
            articles,
            by_id,
            field_norms,
            avg_field_len,
            folded,
            exact,
            pairs,
            reverse_pairs: None,
            catalog: Catalog::default(),
            expansions: ExpansionCache::default(),
            score_arrays: ScoreArrays::default(),
        };
        index.derive();
        index
    }

    /// Sets each article's field lengths and their averages (a sharded reader's, read
    /// after its root) and the weights made of them; before any dictionary is in, as
    /// dictionaries are weighed when added.
    pub(crate) fn set_field_lengths(
        &mut self,
        field_norms: Vec<[u8; FIELD_COUNT]>,
        avg_field_len: [f32; FIELD_COUNT],
    ) {
        self.field_norms = field_norms;
        self.avg_field_len = avg_field_len;
        self.bm25 = Bm25F::new(&self.field_norms, &self.avg_field_len);
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// How many lookups so far wanted a term range (or lexicon) not in: never changes
    /// for an index built or loaded whole.
    pub(crate) fn lookups_missed(&self) -> usize {
        [&self.folded, &self.exact, &self.pairs]
            .iter()
            .filter_map(|d| d.coverage.as_ref())
            .chain(
                self.reverse_pairs
                    .iter()
                    .filter_map(|r| r.coverage.as_ref()),
            )
            .map(|c| c.misses.load(Ordering::Relaxed))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn articles(&self) -> &Articles {
        &self.articles
    }

    /// The article with this id, if the corpus has it.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.by_id_doc(id).map(|doc| &self.articles[doc as usize])
    }

    pub(crate) fn by_id_doc(&self, id: &str) -> Option<u32> {
        self.by_id
            .binary_search_by(|&doc| self.articles.id(doc as usize).cmp(id))
            .ok()
            .map(|i| self.by_id[i])
    }

    /// Bytes held on the heap by its dictionaries, stored articles and per-doc columns
    /// (the facet catalog, a few bytes per doc, aside): a figure to print or log.
    pub fn memory_bytes(&self) -> usize {
        let articles = self.articles.heap_bytes();
        let columns = self.by_id.capacity() * 4 + 2 * self.field_norms.capacity() * FIELD_COUNT;
        articles
            + columns
            + [&self.folded, &self.exact, &self.pairs]
                .iter()
                .map(|d| d.memory_bytes())
                .sum::<usize>()
            + self
                .reverse_pairs
                .as_ref()
                .map_or(0, CountDict::memory_bytes)
    }

    /// Decodes what loading left for first touch (`codec::from_static_bytes`), if it is
    /// not done yet: the dictionaries, then every chunk of stored articles not read yet.
    /// The damage found there, if any: it leaves the dictionaries empty, or a chunk's
    /// articles as their ids and facet fields without text.
    pub fn finish_loading(&self) -> Result<(), crate::codec::CodecError> {
        // The three are decoded together: one answers for all.
        self.folded.finish()?;
        self.articles.finish()
    }

    /// Goes on with what loading left (an embedded index's dictionaries, derived from
    /// its stored articles) for about `text_bytes` bytes of article text, so a host can
    /// do it in slices between frames; true once nothing is left, and then
    /// [`Self::finish_loading`] only reports. A search meanwhile finishes it at once.
    pub fn load_some(&self, text_bytes: usize) -> bool {
        self.folded.make_some(text_bytes)
    }

    /// False while loading has left the dictionaries for first touch.
    pub fn dictionaries_decoded(&self) -> bool {
        self.folded.is_decoded()
    }

    /// Number of distinct folded terms, for figures and tests.
    pub fn vocabulary_len(&self) -> usize {
        self.folded.len()
    }

    /// Number of articles that contain this folded term (`thanh`, `covid-19`, `#tphcm`).
    pub fn document_frequency(&self, folded: &str) -> usize {
        self.folded.get(folded).map_or(0, <[Posting]>::len)
    }

    /// In how many articles `a` stands right before `b`. A sharded reader answers from
    /// its reverse pair counts, where every word before `b` is in one or two files (the
    /// pairs by `a` spread one neighbour's typo candidates over a range each): `None`,
    /// the range noted as wanted, until it is in.
    pub(crate) fn pair_count_before(&self, a: &str, b: &str) -> Option<usize> {
        match &self.reverse_pairs {
            Some(reverse) => reverse.count(&pair_key(b, a)),
            None => Some(self.pairs.get(&pair_key(a, b)).map_or(0, <[Posting]>::len)),
        }
    }

    /// Sizes of the three dictionaries: `(folded, exact, pairs)` terms.
    pub fn dictionary_sizes(&self) -> (usize, usize, usize) {
        (self.folded.len(), self.exact.len(), self.pairs.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str, body: &[&str]) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            body: body.iter().map(|s| s.to_string()).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn the_posting_stream_gives_back_every_posting_in_term_order() {
        let mut stream = PostingStream::default();
        for _ in 0..3 {
            stream.add_term();
        }
        // Doc 0: term 2 (large counts: escaped), term 0; doc 1: nothing; doc 2: term 0.
        let bumps: [&[(u32, usize, u16)]; 3] =
            [&[(2, BODY, 300), (0, TITLE, 1)], &[], &[(0, LEAD, 4)]];
        for doc in bumps {
            for &(id, field, times) in doc {
                for _ in 0..times {
                    stream.bump(id, field);
                }
            }
            stream.end_doc();
        }
        let names = ["b", "c", "a"];
        let run = stream.lay_out(&[2, 0, 1], 3, |id, out| out.push_str(names[id as usize]));
        let terms: Vec<&str> = (0..run.len()).map(|i| run.term(i)).collect();
        assert_eq!(terms, ["a", "b", "c"]);
        let postings = |i: usize| -> Vec<(u32, Frequencies)> {
            run.postings_of(i)
                .iter()
                .map(|p| p.doc)
                .zip(run.tfs_of(i).iter().copied())
                .collect()
        };
        assert_eq!(postings(0), [(0, [0, 0, 300])]);
        assert_eq!(postings(1), [(0, [1, 0, 0]), (2, [0, 4, 0])]);
        assert_eq!(postings(2), []);
    }

    #[test]
    fn postings_count_terms_per_field() {
        let index = Index::build(vec![article("a", "Thanh Trì", &["Thanh Trì, Thanh Oai"])]);
        let tfs = |d: &TermDict, term: &str| d.tfs_of(d.find(term).unwrap()).to_vec();
        let p = index.folded.get("thanh").unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].doc, tfs(&index.folded, "thanh")),
            (0, vec![[1, 0, 2]])
        );
        assert!(p[0].impact > 0.0 && p[0].impact < 1.0);
        assert_eq!(tfs(&index.exact, "trì"), [[1, 0, 1]]);
        assert!(
            index.exact.get("thanh").is_none(),
            "unmarked words live in the folded dict"
        );
        // "Trì, Thanh" is split by a comma: no pair.
        assert!(index.pairs.get("tri thanh").is_none());
        assert_eq!(tfs(&index.pairs, "thanh tri"), [[1, 0, 1]]);
    }

    #[test]
    fn both_tone_placements_share_one_exact_term() {
        let index = Index::build(vec![
            article("a", "hoà bình", &[]),
            article("b", "hòa bình", &[]),
        ]);
        assert_eq!(index.exact.get("hòa").unwrap().len(), 2);
        assert!(index.exact.get("hoà").is_none());
    }

    #[test]
    fn compounds_and_synonyms_are_indexed_beside_words() {
        let index = Index::build(vec![
            article("a", "Covid-19 tại TP.HCM", &[]),
            article("b", "Thành phố Hồ Chí Minh", &[]),
        ]);
        assert_eq!(index.folded.get("covid-19").unwrap().len(), 1);
        assert_eq!(index.folded.get("covid").unwrap().len(), 1);
        assert_eq!(index.folded.get("#tphcm").unwrap().len(), 2);
    }

    #[test]
    fn articles_are_found_by_id() {
        let index = Index::build(vec![article("b", "B", &[]), article("a", "A", &[])]);
        assert_eq!(index.article("a").unwrap().title, "A");
        assert_eq!(index.article("b").unwrap().title, "B");
        assert!(index.article("c").is_none());
    }

    #[test]
    fn docs_are_numbered_in_date_order_undated_first_ties_as_given() {
        let dated = |id: &str, date: Option<&str>| Article {
            date: date.map(str::to_string),
            ..article(id, id, &[])
        };
        let articles = vec![
            dated("may-2", Some("2021-05-02")),
            dated("undated-1", None),
            dated("apr-30", Some("2021-04-30")),
            dated("may-2-later", Some("2021-05-02")),
            dated("not-a-date", Some("hôm qua")),
            dated("may-1", Some("2021-05-01")),
        ];
        let index = Index::build(articles.clone());
        let ids: Vec<&str> = index.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "undated-1",
                "not-a-date",
                "apr-30",
                "may-1",
                "may-2",
                "may-2-later"
            ]
        );
        assert_eq!(index.article("may-1").unwrap().id, "may-1");
        // The same articles give the same numbering, and so the same bytes.
        assert_eq!(Index::build(articles), index);
    }

    #[test]
    fn a_posting_in_memory_is_eight_bytes() {
        assert_eq!(std::mem::size_of::<Posting>(), 8);
    }

    #[test]
    fn a_loaded_index_keeps_impacts_and_no_frequencies() {
        let built = Index::build(vec![
            article("a", "Thanh Trì", &["Thanh Trì, Thanh Oai"]),
            article("b", "Hà Nội", &["thanh niên Hà Nội"]),
        ]);
        let loaded = crate::codec::from_bytes(&crate::codec::to_bytes(&built)).unwrap();
        for d in [&built.folded, &built.exact, &built.pairs] {
            assert!((0..d.len()).all(|i| d.tfs_of(i).len() == d.postings_of(i).len()));
        }
        for d in [&loaded.folded, &loaded.exact, &loaded.pairs] {
            assert!(!d.is_empty() && (0..d.len()).all(|i| d.tfs_of(i).is_empty()));
        }
        assert_eq!(loaded, built, "same terms, postings and impacts");
        let dicts = |i: &Index| -> usize {
            [&i.folded, &i.exact, &i.pairs]
                .iter()
                .map(|d| d.memory_bytes())
                .sum()
        };
        assert!(dicts(&loaded) < dicts(&built));
    }

    /// The dictionary `whole`'s terms cut into runs at `cuts`.
    fn in_runs(whole: &TermDict, cuts: &[usize]) -> TermDict {
        let mut d = TermDict::default();
        let bounds: Vec<usize> = [0]
            .iter()
            .chain(cuts)
            .chain([&whole.len()])
            .copied()
            .collect();
        // Inserted last run first, each before the others, as ranges arrive in any order.
        for w in bounds.windows(2).rev() {
            let mut run = TermRun::default();
            for i in w[0]..w[1] {
                run.push(whole.term(i), whole.postings_of(i), whole.tfs_of(i));
            }
            d.insert_part(0, run);
        }
        d
    }

    #[test]
    fn lookups_across_runs_equal_lookups_in_one() {
        let index = Index::build(vec![
            article("a", "cách ly cải cách", &["an toàn anh em bóng đá"]),
            article("b", "cà phê cả nhà", &["bình an ca sĩ cao"]),
            article("c", "đá bóng", &["ăn cơm ca dao cam"]),
        ]);
        let whole = &index.folded;
        let n = whole.len();
        assert!(n > 12);
        let mut keys: Vec<String> = (0..n).map(|i| whole.term(i).to_string()).collect();
        keys.extend(["", "a", "ca", "cb", "c", "zzz", "b", "caa"].map(String::from));
        for cuts in [
            vec![],
            vec![1],
            vec![3, 4, 9],
            vec![n - 1],
            (1..n).collect(),
        ] {
            let runs = in_runs(whole, &cuts);
            assert_eq!(runs.len(), n);
            for i in 0..n {
                assert_eq!(runs.term(i), whole.term(i), "{cuts:?}");
                assert_eq!(runs.postings_of(i), whole.postings_of(i), "{cuts:?}");
            }
            for k in &keys {
                assert_eq!(runs.lower_bound(k), whole.lower_bound(k), "{k:?} {cuts:?}");
                assert_eq!(runs.find(k), whole.find(k), "{k:?} {cuts:?}");
                let prefixed = |d: &TermDict| -> Vec<String> {
                    d.with_prefix(k).map(|(t, _)| t.to_string()).collect()
                };
                assert_eq!(prefixed(&runs), prefixed(whole), "{k:?} {cuts:?}");
            }
        }
    }

    #[test]
    fn prefix_lookup_walks_sorted_terms() {
        let index = Index::build(vec![article("a", "cách ly cải cách", &[])]);
        let terms: Vec<&str> = index.folded.with_prefix("ca").map(|(t, _)| t).collect();
        assert_eq!(terms, ["cach", "cai"]);
    }
}
