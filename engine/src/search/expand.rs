//! Expansions that depend on the dictionary: typo corrections (one edit away) and the
//! words the word being typed begins.

use rustc_hash::FxHashSet;

use super::parse::{Expansion, ExpansionKind, Query, Word, TYPO_MIN_LEN};
use crate::index::Index;

/// A prefix expansion of the word being typed counts a little less than a whole word.
pub(super) const PREFIX_DISCOUNT: f32 = 0.8;
/// Expansions of the word being typed that are scored, the most frequent first.
pub(super) const MAX_PREFIX_TERMS: usize = 32;
/// A word one edit away from the one typed counts much less than the word itself.
pub(super) const TYPO_WEIGHT: f32 = 0.4;
/// Dictionary words one edit away that are tried, the most frequent first.
pub(super) const MAX_TYPO_TERMS: usize = 8;
/// Corrections tried for a word that is common as typed.
pub(super) const MAX_TYPO_TERMS_COMMON: usize = 3;
/// A word found in more than this share of the articles is likely meant as typed: it is
/// still corrected (typos often spell another real word), but with fewer candidates.
pub(super) const TYPO_MAX_DF_SHARE: f32 = 0.002;
/// Prefix expansions stop once their postings add up to this share of the articles (at
/// least one expansion is always tried): a short prefix of a big corpus must stay cheap.
pub(super) const PREFIX_POSTINGS_SHARE: f32 = 0.5;

/// Calls `f` with every lowercase ASCII string one edit (deletion, insertion,
/// substitution, transposition) away from `word`, some more than once, building each in
/// one reused buffer.
pub(super) fn for_each_edit(word: &str, mut f: impl FnMut(&str)) {
    let b = word.as_bytes();
    let mut v: Vec<u8> = Vec::with_capacity(b.len() + 1);
    let mut emit = |v: &[u8]| f(std::str::from_utf8(v).expect("ASCII"));
    for i in 0..b.len() {
        v.clear();
        v.extend_from_slice(&b[..i]);
        v.extend_from_slice(&b[i + 1..]);
        emit(&v);
        if i + 1 < b.len() && b[i] != b[i + 1] {
            v.clear();
            v.extend_from_slice(b);
            v.swap(i, i + 1);
            emit(&v);
        }
    }
    for i in 0..=b.len() {
        for c in b'a'..=b'z' {
            if i < b.len() && b[i] != c {
                v.clear();
                v.extend_from_slice(b);
                v[i] = c;
                emit(&v);
            }
            v.clear();
            v.extend_from_slice(&b[..i]);
            v.push(c);
            v.extend_from_slice(&b[i..]);
            emit(&v);
        }
    }
}

impl Index {
    /// Adds typo corrections and prefix expansions, which depend on the dictionary.
    pub(super) fn resolve(&self, query: &mut Query) {
        for clause in &mut query.clauses {
            for w in &mut clause.words {
                self.expand(w);
            }
            for w in clause.phrases.iter_mut().flatten().flatten() {
                self.expand(w);
            }
        }
        for w in &mut query.excluded {
            w.typo_base = None;
            self.expand(w);
        }
        for w in query.excluded_phrases.iter_mut().flatten().flatten() {
            self.expand(w);
        }
    }

    pub(super) fn expand(&self, w: &mut Word) {
        let known: FxHashSet<String> = w.keys.iter().map(|k| k.term.clone()).collect();
        let common = (self.len() as f32 * TYPO_MAX_DF_SHARE).max(3.0) as usize;
        let df = w
            .keys
            .first()
            .map_or(0, |k| self.document_frequency(&k.term));
        let max_typos = if df <= common {
            MAX_TYPO_TERMS
        } else {
            MAX_TYPO_TERMS_COMMON
        };
        if let Some(base) = w.typo_base.take() {
            let mut found: Vec<(usize, String)> = Vec::new();
            for_each_edit(&base, |v| {
                if v.len().max(base.len()) >= TYPO_MIN_LEN && !known.contains(v) {
                    if let Some(i) = self.folded.find(v) {
                        if !found.iter().any(|(_, f)| f == v) {
                            found.push((self.folded.postings_of(i).len(), v.to_string()));
                        }
                    }
                }
            });
            found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for (_, v) in found.into_iter().take(max_typos) {
                w.pair_keys.push((v.clone(), ExpansionKind::Typo));
                w.keys
                    .push(Expansion::new(v, TYPO_WEIGHT, ExpansionKind::Typo));
            }
        }
        if let Some(prefix) = &w.prefix {
            let limit = if prefix.chars().count() < 2 {
                8
            } else {
                MAX_PREFIX_TERMS
            };
            let mut found: Vec<(usize, &str)> = self
                .folded
                .with_prefix(prefix)
                // Syllables only: compounds and synonym keys are not words being typed.
                .filter(|(t, _)| !known.contains(*t) && t.chars().all(char::is_alphanumeric))
                .map(|(t, p)| (p.len(), t))
                .collect();
            if found.len() > limit {
                found.select_nth_unstable_by(limit, |a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
                found.truncate(limit);
            }
            found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let budget = (self.len() as f32 * PREFIX_POSTINGS_SHARE) as usize;
            let mut spent = 0;
            for (df, t) in found {
                if spent > 0 && spent + df > budget {
                    break;
                }
                spent += df;
                w.keys
                    .push(Expansion::new(t, PREFIX_DISCOUNT, ExpansionKind::Prefix));
            }
        }
    }
}
