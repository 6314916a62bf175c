//! Expansions that depend on the dictionary: typo corrections (one edit away) and the
//! words the word being typed begins.

use rustc_hash::FxHashSet;

use super::parse::{Expansion, ExpansionKind, Query, Word, TYPO_MIN_LEN};
use super::scoring::{PAIRED_TYPO_WEIGHT, PREFIX_DISCOUNT, TYPO_WEIGHT};
use super::shard_terms::{looking_up, LookupReason};
use crate::index::{norms, pair_key, Index};
use crate::order::first_in_order;

/// Expansions of the word being typed that are scored, the most frequent first.
pub(super) const MAX_PREFIX_TERMS: usize = 32;
/// Expansions of a one-letter word being typed.
pub(super) const ONE_LETTER_PREFIX_TERMS: usize = 8;

/// How many words the word being typed, `prefix`, may expand to.
pub(crate) fn prefix_terms(prefix: &str) -> usize {
    if prefix.chars().count() < 2 {
        ONE_LETTER_PREFIX_TERMS
    } else {
        MAX_PREFIX_TERMS
    }
}
/// A correction is vouched for when its pairs with the neighbours are in this many times
/// more articles than the typed word's.
pub(super) const PAIR_EVIDENCE_RATIO: usize = 4;
/// A vouched correction of an unknown word is beside the neighbours no less than
/// 1/`BEST_PAIR_RATIO` as often as the best one: `truong`, not `truot`, beside `dai hoc`.
pub(super) const BEST_PAIR_RATIO: usize = 16;
/// A word in at least this many articles is a known word: corrected only when its
/// neighbours vouch for the correction (`truong` typed `trong`, `thanh` typed `tanh`).
/// Rarer words are often corpus typos themselves, and are corrected as unknown words are.
pub(super) const KNOWN_WORD_DF: usize = 2;
/// Dictionary words one edit away that are weighed as corrections: the most frequent
/// (by `norms::frequency_class`), whatever their number; a sharded reader fetches the
/// term ranges and pairs of these only.
pub(super) const MAX_TYPO_CANDIDATES: usize = 16;
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

/// Articles on each side of a word: how many a pair with a neighbour may be in.
#[derive(Clone, Copy, Default)]
struct Sides {
    left: usize,
    right: usize,
}

impl Sides {
    const ANY: Sides = Sides {
        left: usize::MAX,
        right: usize::MAX,
    };
}

/// The most articles a word of frequency class `class` (`norms::frequency_class`, or the
/// lexicon's class, no lower than the word's own) is in.
fn class_bound(class: u8) -> usize {
    match class.checked_add(1) {
        Some(next) => norms::decode_length(next) as usize - 1,
        None => usize::MAX,
    }
}

/// The keys (as typed, or read as Telex) of the query words before and after a word.
#[derive(Default)]
pub(super) struct Neighbours<'a> {
    pub(super) left: &'a [String],
    pub(super) right: &'a [String],
}

impl Index {
    /// Postings a prefix expansion may add up to, past its first word.
    pub(crate) fn prefix_budget(&self) -> usize {
        (self.len() as f32 * PREFIX_POSTINGS_SHARE) as usize
    }

    /// Adds typo corrections and prefix expansions, which depend on the dictionary; if
    /// `typing`, by the typing rules ([`Index::query_as`]).
    pub(super) fn resolve(&self, query: &mut Query, typing: bool) {
        // The keys of each clause that is one word, as typed (or read as Telex): a word's
        // neighbours in the query, which say whether a correction makes sense there.
        let lone: Vec<Vec<String>> = query
            .clauses
            .iter()
            .map(|c| match c.words.as_slice() {
                [w] => w.pair_keys.iter().map(|(k, _)| k.clone()).collect(),
                _ => Vec::new(),
            })
            .collect();
        let none = Vec::new();
        for (i, clause) in query.clauses.iter_mut().enumerate() {
            // While typing, no neighbour vouches for a correction: each letter of a new
            // word made every neighbour's candidates look up their pairs with it again.
            let single = clause.words.len() == 1 && !typing;
            for w in &mut clause.words {
                w.typing = typing && w.prefix.is_some();
                let neighbours = Neighbours {
                    left: if single && i > 0 { &lone[i - 1] } else { &none },
                    right: lone.get(i + 1).filter(|_| single).unwrap_or(&none),
                };
                self.expand_kept(w, &neighbours);
            }
            for w in clause.phrases.iter_mut().flatten().flatten() {
                self.expand_kept(w, &Neighbours::default());
            }
        }
        for w in &mut query.excluded {
            w.typo_base = None;
            self.expand_kept(w, &Neighbours::default());
        }
        for w in query.excluded_phrases.iter_mut().flatten().flatten() {
            self.expand_kept(w, &Neighbours::default());
        }
    }

    /// In how many articles `term` stands next to a neighbour of the query (the most for
    /// one key of each side, both sides added up). A side whose `most` is 0 is not looked
    /// up: no pair of it can be in an article. The left side is read in the pairs by the
    /// neighbour; for a `candidate`, the right side in the counts by the neighbour
    /// ([`Index::pair_count_before`]): a sharded reader checks every candidate beside one
    /// neighbour in the same one or two files. The word as typed reads its own pairs,
    /// which its bonus looks up anyway (the same counts).
    fn pair_evidence(&self, term: &str, n: &Neighbours, most: Sides, candidate: bool) -> usize {
        let df = |k: String| self.pairs.get(&k).map_or(0, <[_]>::len);
        let before = |r: &String| {
            if candidate {
                self.pair_count_before(term, r).unwrap_or(0)
            } else {
                df(pair_key(term, r))
            }
        };
        let left = (most.left > 0).then(|| n.left.iter().map(|l| df(pair_key(l, term))).max());
        let right = (most.right > 0).then(|| n.right.iter().map(before).max());
        left.flatten().unwrap_or(0) + right.flatten().unwrap_or(0)
    }

    /// The most articles a word stands in beside each side's neighbours: a pair is in no
    /// more articles than its neighbour word (any of its keys). A side whose words' ranges
    /// are not in yet is unbounded.
    fn neighbour_bounds(&self, n: &Neighbours) -> Sides {
        let most = |keys: &[String]| {
            let missed = self.lookups_missed();
            let df = keys.iter().map(|k| self.document_frequency(k)).max();
            if self.lookups_missed() == missed {
                df.unwrap_or(0)
            } else {
                usize::MAX
            }
        };
        Sides {
            left: most(n.left),
            right: most(n.right),
        }
    }

    /// [`Index::typo_candidates`], or those kept from an earlier keystroke: a word's
    /// candidates do not depend on its neighbours, which change as the next word is typed.
    fn typo_candidates_kept(&self, base: &str, own: &FxHashSet<&str>) -> Vec<(u8, String)> {
        let mut own: Vec<String> = own.iter().map(|k| k.to_string()).collect();
        // `sort`: one sort of strings in the wasm (see `facets::ValueTable::new`).
        own.sort();
        if let Some(found) = self.expansions.typo_candidates(base, &own) {
            return found;
        }
        let missed = self.lookups_missed();
        let found = self.typo_candidates(base, &own);
        if self.lookups_missed() == missed {
            self.expansions
                .put_typo_candidates(base, own, found.clone());
        }
        found
    }

    /// Words one edit away from `base` (not one of its `own` keys) that the dictionary's
    /// probe says it holds, each with its frequency class: only the most frequent are
    /// weighed (their pairs looked up), which bounds what a sharded reader fetches for
    /// them. Their postings are not looked up here (see `corrections`).
    fn typo_candidates(&self, base: &str, own: &[String]) -> Vec<(u8, String)> {
        let _why = looking_up(LookupReason::Typo);
        let mut probed: Vec<(u8, String)> = Vec::new();
        for_each_edit(base, |v| {
            if v.len().max(base.len()) >= TYPO_MIN_LEN
                && !own.iter().any(|k| k == v)
                && !probed.iter().any(|(_, f)| f == v)
            {
                if let Some(class) = self.folded.probe_class(v) {
                    probed.push((class, v.to_string()));
                }
            }
        });
        let by_class = |a: &(u8, String), b: &(u8, String)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        first_in_order(probed, MAX_TYPO_CANDIDATES, by_class, |_, _| false)
    }

    /// Dictionary words one edit away from `base`, the most likely meant first, each with
    /// whether the neighbours vouch for it. A known word keeps only those vouched for.
    fn corrections(&self, base: &str, w: &Word, n: &Neighbours) -> Vec<(String, bool)> {
        let own: FxHashSet<&str> = w.keys.iter().map(|k| k.term.as_str()).collect();
        let missed = self.lookups_missed();
        let df = self.document_frequency(base);
        // A sharded reader without the word's own range yet cannot tell whether it is
        // known, nor so which candidates' pairs it needs: it asks for them, and for their
        // postings, once it can tell (a known word's unvouched candidates need none: on
        // vietnews-train, 13-14 ranges, up to 1.3 MB, for a keystroke like "ca").
        if self.lookups_missed() != missed {
            // The candidates themselves (the lexicon, for a fresh reader) come meanwhile.
            self.typo_candidates_kept(base, &own);
            return Vec::new();
        }
        let known = df >= KNOWN_WORD_DF;
        if known && w.marked {
            // A known word typed with its marks is meant as typed: the typos this looks
            // for are made without marks.
            return Vec::new();
        }
        let common = (self.len() as f32 * TYPO_MAX_DF_SHARE).max(3.0) as usize;
        let max_typos = if df <= common {
            MAX_TYPO_TERMS
        } else {
            MAX_TYPO_TERMS_COMMON
        };
        let neighbours = !n.left.is_empty() || !n.right.is_empty();
        let why = looking_up(LookupReason::TypoPairs);
        let missed = self.lookups_missed();
        let typed_evidence = if neighbours {
            own.iter()
                .map(|k| self.pair_evidence(k, n, Sides::ANY, false))
                .max()
                .unwrap_or(0)
        } else {
            0
        };
        let typed_missing = self.lookups_missed() != missed;
        drop(why);
        let most = if neighbours {
            self.neighbour_bounds(n)
        } else {
            Sides::default()
        };
        // A known word's candidate is kept only if vouched for: more often beside the
        // neighbours than this. Until the typed pairs are in, that is not known, and a
        // sharded reader asks for them before any candidate's pairs.
        let needed = typed_evidence * PAIR_EVIDENCE_RATIO;
        if known && typed_missing {
            return Vec::new();
        }
        // (pairs with the neighbours, articles, word)
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        let why = looking_up(LookupReason::TypoPairs);
        for (class, v) in self.typo_candidates_kept(base, &own) {
            // No more articles than the candidate's class allows, on either side: a known
            // word's candidate that could not be vouched for is dropped unlooked-up.
            let df = class_bound(class);
            let can = Sides {
                left: df.min(most.left),
                right: df.min(most.right),
            };
            if known && can.left.saturating_add(can.right) <= needed {
                continue;
            }
            found.push((self.pair_evidence(&v, n, can, true), 0, v));
        }
        drop(why);
        // Vouched: far more often beside the neighbours than the word as typed, and for an
        // unknown word, not far less than the best correction. (A word the probe only
        // seemed to hold stands beside nothing: its pairs, 0, change neither.)
        let best = found.iter().map(|f| f.0).max().unwrap_or(0);
        let vouched = |pairs: usize| {
            pairs > 0 && pairs > needed && (known || pairs * BEST_PAIR_RATIO >= best)
        };
        if known {
            found.retain(|f| vouched(f.0));
        }
        // The articles each is in, looked up only now: a known word keeps only the
        // corrections its neighbours vouch for (none without neighbours), so a sharded
        // reader fetches no range for the others (most keystrokes' typo ranges, measured).
        let why = looking_up(LookupReason::Typo);
        found = found
            .into_iter()
            .filter_map(|(pairs, _, v)| {
                let i = self.folded.find(&v)?;
                Some((pairs, self.folded.postings_of(i).len(), v))
            })
            .collect();
        drop(why);
        let likeliest = |a: &(usize, usize, String), b: &(usize, usize, String)| {
            vouched(b.0)
                .cmp(&vouched(a.0))
                .then(b.0.cmp(&a.0))
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
        };
        first_in_order(found, max_typos, likeliest, |_, _| false)
            .into_iter()
            .map(|(p, _, v)| (v, vouched(p)))
            .collect()
    }

    /// [`Index::expand`], or its result kept from an earlier query: the same word beside
    /// the same neighbours, every lookup of it answered by what was in.
    fn expand_kept(&self, w: &mut Word, neighbours: &Neighbours) {
        if let Some(expanded) = self.expansions.get(w, neighbours) {
            *w = expanded;
            return;
        }
        let word = w.clone();
        let missed = self.lookups_missed();
        self.expand(w, neighbours);
        if self.lookups_missed() == missed {
            self.expansions.put(word, neighbours, w.clone());
        }
    }

    /// Whether the dictionary holds no word that the word being typed begins (itself
    /// included), every range looked up being in: then it is likely mistyped already.
    fn begins_nothing(&self, w: &Word) -> bool {
        let Some(prefix) = &w.prefix else {
            return false;
        };
        let _why = looking_up(LookupReason::Prefix);
        let missed = self.lookups_missed();
        self.folded.with_prefix(prefix).next().is_none() && self.lookups_missed() == missed
    }

    pub(super) fn expand(&self, w: &mut Word, neighbours: &Neighbours) {
        if let Some(base) = w.typo_base.take() {
            // The word being typed: its prefix expansion covers the letters not typed yet,
            // and the pause corrects it; corrected now only if it begins no word at all.
            let corrections = if w.typing && !self.begins_nothing(w) {
                Vec::new()
            } else {
                self.corrections(&base, w, neighbours)
            };
            for (v, vouched) in corrections {
                let weight = if vouched {
                    PAIRED_TYPO_WEIGHT
                } else {
                    TYPO_WEIGHT
                };
                w.pair_keys.push((v.clone(), ExpansionKind::Typo));
                let mut e = Expansion::new(v, weight, ExpansionKind::Typo);
                e.vouched = vouched;
                w.keys.push(e);
            }
        }
        let known: FxHashSet<&str> = w.keys.iter().map(|k| k.term.as_str()).collect();
        if let Some(prefix) = &w.prefix {
            let _why = looking_up(LookupReason::Prefix);
            let limit = prefix_terms(prefix);
            // Which words are weighed depends on the prefix alone (a word already a key,
            // a typo correction say, keeps its place and is not added twice), so the
            // root of a sharded archive lists exactly the ranges they are in.
            let found = self
                .folded
                .with_prefix(prefix)
                // Syllables only: compounds and synonym keys are not words being typed.
                .filter(|(t, _)| t != prefix && t.chars().all(char::is_alphanumeric))
                .map(|(t, p)| (p.len(), t));
            let most_frequent =
                |a: &(usize, &str), b: &(usize, &str)| b.0.cmp(&a.0).then(a.1.cmp(b.1));
            let found = first_in_order(found, limit, most_frequent, |_, _| false);
            let budget = self.prefix_budget();
            let mut spent = 0;
            let mut weighed = Vec::new();
            for (df, t) in found {
                if spent > 0 && spent + df > budget {
                    break;
                }
                spent += df;
                if !known.contains(t) {
                    weighed.push(Expansion::new(t, PREFIX_DISCOUNT, ExpansionKind::Prefix));
                }
            }
            w.keys.extend(weighed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frequency_class_bounds_the_articles_of_every_word_in_it() {
        for df in (0..300_000).chain([1 << 24, u32::MAX as usize]) {
            let class = norms::frequency_class(df);
            assert!(class_bound(class) >= df, "{df} in class {class}");
            if class > 0 {
                assert!(
                    class_bound(class - 1) < df,
                    "class {class} too wide at {df}"
                );
            }
        }
        assert_eq!(class_bound(u8::MAX), usize::MAX);
    }
}
