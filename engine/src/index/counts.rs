//! A sharded reader's reverse pair counts: for each adjacent pair `a b` of the archive,
//! keyed `b a`, the number of articles it is in, and nothing else. Checking typo
//! candidates `c` before a neighbour `b` looks up `c b`, spread over the pair ranges by
//! the candidates' first letters (up to 16 files); keyed by `b`, they are in one or two
//! files, and the vouching rule (`search::expand`) reads counts, not postings.

use std::sync::Arc;

use super::Coverage;

/// Sorted keys with their counts, in flat buffers: one range of the reverse pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CountRun {
    /// Every key, concatenated in sorted order; `ends[i]`: end of key `i`.
    bytes: String,
    ends: Vec<u32>,
    counts: Vec<u32>,
}

impl CountRun {
    /// Appends a key sorting after the last one.
    pub(crate) fn push(&mut self, key: &str, count: u32) {
        self.bytes.push_str(key);
        self.ends.push(self.bytes.len() as u32);
        self.counts.push(count);
    }

    /// Sets every key's count (read after the keys), one per key.
    pub(crate) fn set_counts(&mut self, counts: Vec<u32>) {
        debug_assert_eq!(counts.len(), self.ends.len());
        self.counts = counts;
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn key(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    fn get(&self, key: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.key(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo < self.len() && self.key(lo) == key).then(|| self.counts[lo])
    }

    fn memory_bytes(&self) -> usize {
        self.bytes.capacity() + (self.ends.capacity() + self.counts.capacity()) * 4
    }
}

/// The reverse pair ranges a sharded reader holds, by range number, and which it lacks.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CountDict {
    /// By range number (a vector, not a map: a map's code was ~3 kB of the wasm brotli).
    pub(crate) parts: Vec<Option<CountRun>>,
    pub(crate) coverage: Option<Arc<Coverage>>,
}

impl CountDict {
    /// The count of `key` (`b a` for the pair `a b`): 0 if the archive lacks it, `None`
    /// (and the range noted as wanted) while its range is not in.
    pub(crate) fn count(&self, key: &str) -> Option<usize> {
        let Some(c) = &self.coverage else {
            return Some(0);
        };
        let range = c.range_of(key);
        if !c.is_loaded(range) {
            c.note(range);
            return None;
        }
        let found = self.parts.get(range).and_then(|r| r.as_ref()?.get(key));
        Some(found.map_or(0, |n| n as usize))
    }

    /// Puts in the range `i`'s counts.
    pub(crate) fn insert(&mut self, i: usize, run: CountRun) {
        if self.parts.len() <= i {
            self.parts.resize_with(i + 1, || None);
        }
        self.parts[i] = Some(run);
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        let runs = self.parts.iter().flatten().map(CountRun::memory_bytes);
        self.parts.capacity() * std::mem::size_of::<Option<CountRun>>() + runs.sum::<usize>()
    }
}
