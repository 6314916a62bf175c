//! A sharded reader's reverse pair counts: for each adjacent pair `a b` of the archive,
//! keyed `b a`, the number of articles it is in, and nothing else. Checking typo
//! candidates `c` before a neighbour `b` looks up `c b`, spread over the pair ranges by
//! the candidates' first letters (up to 16 files); keyed by `b`, they are in one or two
//! files, and the vouching rule (`search::expand`) reads counts, not postings.

use std::sync::Arc;

use super::{Coverage, TermRun};

/// Sorted keys (a run without postings: its lookups are the dictionaries' code) with
/// their counts: one range of the reverse pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CountRun {
    pub(crate) keys: TermRun,
    pub(crate) counts: Vec<u32>,
}

impl CountRun {
    fn get(&self, key: &str) -> Option<u32> {
        let i = self.keys.lower_bound(key);
        (i < self.keys.len() && self.keys.term(i) == key).then(|| self.counts[i])
    }
}

/// The reverse pair ranges a sharded reader holds, by range number (empty until in), and
/// which it lacks.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CountDict {
    /// A vector, not a map by number: a map's code was ~1 kB of the wasm brotli.
    pub(crate) parts: Vec<CountRun>,
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
        let found = self.parts.get(range).and_then(|r| r.get(key));
        Some(found.map_or(0, |n| n as usize))
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        let runs = self.parts.iter();
        let runs = runs.map(|r| r.keys.memory_bytes() + r.counts.capacity() * 4);
        self.parts.capacity() * std::mem::size_of::<CountRun>() + runs.sum::<usize>()
    }
}
