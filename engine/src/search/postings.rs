//! Which articles match: document-at-a-time over sorted postings. The rarest clause gives
//! the candidates, every other clause narrows them (galloping through long lists); then
//! exclusions, phrases, and the bonus for query words found next to each other.

use super::highlight::{light, Light};
use super::parse::{Clause, ExpansionKind, Phrase, Query, Word};
use super::scoring::PAIR_WEIGHT;
use super::shard_terms::{looking_up, LookupReason};
use crate::index::{field_texts, pair_key, Index, Posting};
use crate::text::synonyms;

/// A postings list with what one matching posting is worth.
pub(super) struct Source<'a> {
    pub(super) postings: &'a [Posting],
    /// Key weight times idf.
    pub(super) weight: f32,
}

/// What a match through `term`, a key of `w`, is worth relative to the word as typed.
fn key_weight(w: &Word, term: &str) -> f32 {
    w.keys
        .iter()
        .find(|k| k.term == term)
        .map_or(1.0, |k| k.weight.min(1.0))
}

/// For each candidate (sorted by doc) found in `postings`, calls `f(index, posting)`.
/// Walks both lists, galloping through `postings` when it is much longer.
pub(super) fn for_each_in(
    cands: &[(u32, f32)],
    postings: &[Posting],
    mut f: impl FnMut(usize, &Posting),
) {
    if postings.len() * 8 < cands.len() {
        // Few postings, many candidates: gallop through the candidates instead.
        let mut from = 0;
        for p in postings {
            from += cands[from..].partition_point(|c| c.0 < p.doc);
            match cands.get(from) {
                Some(c) if c.0 == p.doc => f(from, p),
                Some(_) => {}
                None => break,
            }
        }
    } else if postings.len() > cands.len() * 8 {
        let mut rest = postings;
        for (j, &(doc, _)) in cands.iter().enumerate() {
            let k = rest.partition_point(|p| p.doc < doc);
            rest = &rest[k..];
            match rest.first() {
                Some(p) if p.doc == doc => f(j, p),
                Some(_) => {}
                None => break,
            }
        }
    } else {
        let (mut j, mut k) = (0, 0);
        while j < cands.len() && k < postings.len() {
            let (doc, p) = (cands[j].0, &postings[k]);
            match doc.cmp(&p.doc) {
                std::cmp::Ordering::Less => j += 1,
                std::cmp::Ordering::Greater => k += 1,
                std::cmp::Ordering::Equal => {
                    f(j, p);
                    j += 1;
                    k += 1;
                }
            }
        }
    }
}

/// The candidates of a score per article (0: none), sorted by doc, leaving every score 0
/// (so the array goes back to [`ScoreArrays`] as it came). Every article is written and
/// the next slot taken only for a candidate: no branch on the score, which a filter
/// mispredicted on about every other article of a common word's (15% of a warm
/// keystroke's CPU on vietnews-train).
fn sparse(scores: &mut [f32]) -> Vec<(u32, f32)> {
    let count = scores.iter().filter(|&&s| s > 0.0).count();
    sparse_of(scores, count)
}

/// [`sparse`] where the candidates are known to be `count` (a pass over every article
/// saved).
fn sparse_of(scores: &mut [f32], count: usize) -> Vec<(u32, f32)> {
    debug_assert_eq!(count, scores.iter().filter(|&&s| s > 0.0).count());
    // One slot more than the candidates: the articles after the last one are written there.
    let mut out = vec![(0u32, 0f32); count + 1];
    let mut n = 0;
    for (d, s) in scores.iter_mut().enumerate() {
        out[n] = (d as u32, *s);
        n += usize::from(*s > 0.0);
        *s = 0.0;
    }
    out.truncate(n);
    out
}

/// Arrays of a score per article, all 0, kept from one search to the next: a query of
/// common words narrows its candidates in two of them, and allocating and zeroing them
/// for every keystroke (400 kB each on vietnews-train) was ~7% of its engine time in
/// wasm. Each is given back all 0 ([`sparse`] clears what it reads, `narrow_dense` its
/// working array), so none is zeroed again.
#[derive(Default)]
pub(crate) struct ScoreArrays(std::sync::Mutex<Vec<Vec<f32>>>);

impl ScoreArrays {
    /// Arrays kept at most: a search holds two at a time.
    const KEPT: usize = 2;

    fn kept(&self) -> std::sync::MutexGuard<'_, Vec<Vec<f32>>> {
        // A poisoned lock only means a search panicked elsewhere; what is kept is all 0.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `n` scores of 0.
    fn take(&self, n: usize) -> Vec<f32> {
        let mut scores = self.kept().pop().unwrap_or_default();
        scores.resize(n, 0.0);
        scores
    }

    /// Keeps `scores`, which must be all 0 again, for the next search.
    fn give(&self, scores: Vec<f32>) {
        debug_assert!(scores.iter().all(|&s| s == 0.0));
        let mut kept = self.kept();
        if kept.len() < Self::KEPT {
            kept.push(scores);
        }
    }
}

/// A copy of an index starts with no arrays kept.
impl Clone for ScoreArrays {
    fn clone(&self) -> ScoreArrays {
        ScoreArrays::default()
    }
}

/// What is kept never changes an answer: indexes are equal whatever they keep.
impl PartialEq for ScoreArrays {
    fn eq(&self, _: &ScoreArrays) -> bool {
        true
    }
}

impl std::fmt::Debug for ScoreArrays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ScoreArrays({} kept)", self.kept().len())
    }
}

/// For each candidate (sorted by doc) found in `hits` (sorted by doc), calls `f(index, score)`.
fn for_each_hit(cands: &[(u32, f32)], hits: &[(u32, f32)], mut f: impl FnMut(usize, f32)) {
    let mut from = 0;
    for &(doc, score) in hits {
        from += cands[from..].partition_point(|c| c.0 < doc);
        match cands.get(from) {
            Some(c) if c.0 == doc => f(from, score),
            Some(_) => {}
            None => break,
        }
    }
}

/// The folded words a run may end with (`last`) or begin with in the text: for an
/// abbreviation, those of every spelling of its family.
fn edge_words(run: &[Word], last: bool) -> Vec<String> {
    match run {
        [w] if w.pair_keys.is_empty() => synonyms::FAMILIES
            .iter()
            .filter(|(key, _)| w.keys.iter().any(|k| k.term == *key))
            .flat_map(|(_, variants)| variants.iter())
            .filter_map(|v| if last { v.last() } else { v.first() })
            .map(|s| s.to_string())
            .collect(),
        _ => {
            let edge = if last { run.last() } else { run.first() };
            edge.into_iter()
                .flat_map(|w| w.pair_keys.iter().map(|(k, _)| k.clone()))
                .collect()
        }
    }
}

/// Whether `text` has `words` one after another, each word of the text one of the
/// word's folded keys, nothing but spaces between them: what [`light`]'s words and pairs
/// say, worked out in one pass with one reused buffer (`folded`), without its spans. A
/// phrase's candidates are confirmed so, thousands of paragraphs per keystroke.
pub(super) fn has_words_in_a_row(text: &str, words: &[&Word], folded: &mut String) -> bool {
    let n = words.len();
    if n == 0 || n > 64 {
        // Never from a query (at most `MAX_QUERY_WORDS` words); kept exact all the same.
        let a = light(text);
        return (0..a.folded.len().saturating_sub(n.saturating_sub(1))).any(|i| {
            words.iter().enumerate().all(|(k, w)| {
                a.folded
                    .get(i + k)
                    .is_some_and(|f| w.pair_keys.iter().any(|(key, _)| key == f))
                    && (k == 0 || a.pair[i + k - 1])
            })
        });
    }
    // Bit k: the words so far end with `words[..=k]` in a row.
    let mut in_a_row: u64 = 0;
    let mut previous_end: Option<usize> = None;
    let mut start: Option<usize> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, crate::text::is_word_char(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                start = None;
                folded.clear();
                for c in text[s..i].chars() {
                    crate::text::push_folded(c, folded);
                }
                crate::text::unify_i_y(folded);
                let joined = previous_end.is_some_and(|e| text[e..s].trim().is_empty());
                previous_end = Some(i);
                let mut next = 0u64;
                for (k, w) in words.iter().enumerate() {
                    let follows = k == 0 || (joined && in_a_row & (1 << (k - 1)) != 0);
                    if follows && w.pair_keys.iter().any(|(key, _)| key == folded.as_str()) {
                        next |= 1 << k;
                    }
                }
                if next & (1 << (n - 1)) != 0 {
                    return true;
                }
                in_a_row = next;
            }
            _ => {}
        }
    }
    false
}

/// Whether the analyzed text has the phrase's runs one after another, from some word on.
fn runs_in_a_row(text: &Light, phrase: &Phrase) -> bool {
    let run_at = |run: &[Word], at: usize| -> Option<usize> {
        match run {
            // A synonym key: the text has that abbreviation or phrase starting here.
            [w] if w.pair_keys.is_empty() => text
                .spans
                .iter()
                .find(|s| s.first == at && w.keys.iter().any(|k| k.term == s.key))
                .map(|s| s.last),
            _ => run
                .iter()
                .enumerate()
                .all(|(k, w)| {
                    text.folded
                        .get(at + k)
                        .is_some_and(|f| w.pair_keys.iter().any(|(key, _)| key == f))
                        && (k == 0 || text.pair[at + k - 1])
                })
                .then_some(at + run.len()),
        }
    };
    (0..text.folded.len()).any(|start| {
        let mut at = start;
        phrase.iter().enumerate().all(|(r, run)| {
            if r > 0 && !text.pair.get(at.wrapping_sub(1)).copied().unwrap_or(false) {
                return false;
            }
            match run_at(run, at) {
                Some(next) => {
                    at = next;
                    true
                }
                None => false,
            }
        })
    })
}

/// The sources of one clause: alternatives (the best counts) and bonuses (added when an
/// alternative matched).
#[derive(Default)]
pub(super) struct ClauseSources<'a> {
    pub(super) alts: Vec<Source<'a>>,
    pub(super) bonus: Vec<Source<'a>>,
    /// The articles each quoted phrase of the clause matches, sorted by doc, with scores:
    /// alternatives too.
    pub(super) phrase_hits: Vec<Vec<(u32, f32)>>,
}

/// How [`Index::matches_narrowing`] narrows the candidates: all ways score alike to the
/// bit, and differ only in speed.
#[derive(Clone, Copy, Debug)]
pub(super) struct Narrowing {
    /// Narrowed as a score per article while more candidates than this are left.
    pub(super) dense_above: usize,
    /// A clause's alternatives with few postings a candidate are scattered into a score
    /// per article rather than merged ([`Index::narrow_scattering`]).
    pub(super) scatter: bool,
}

impl Narrowing {
    /// Merged all the way: the reference the faster ways are tested against.
    #[cfg(test)]
    pub(super) const MERGED: Narrowing = Narrowing {
        dense_above: usize::MAX,
        scatter: false,
    };
}

impl ClauseSources<'_> {
    pub(super) fn size(&self) -> usize {
        self.alts.iter().map(|s| s.postings.len()).sum::<usize>()
            + self.phrase_hits.iter().map(Vec::len).sum::<usize>()
    }
}

impl Index {
    /// Every document a clause matches, sorted, with the clause's score.
    pub(super) fn materialize(&self, c: &ClauseSources) -> Vec<(u32, f32)> {
        let n = self.articles.len();
        let total = c.size();
        if total > n / 16 {
            let mut scores = self.materialize_dense(c);
            let out = sparse(&mut scores);
            self.score_arrays.give(scores);
            return out;
        }
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(total);
        for s in &c.alts {
            out.extend(s.postings.iter().map(|p| (p.doc, s.weight * self.sat(p))));
        }
        out.extend(c.phrase_hits.iter().flatten());
        crate::order::by_doc_then_score(&mut out);
        out.dedup_by_key(|x| x.0);
        self.add_bonus(&mut out, &c.bonus);
        out
    }

    /// [`Index::materialize`] as a score per article (0 where the clause does not match),
    /// in an array of [`ScoreArrays`].
    fn materialize_dense(&self, c: &ClauseSources) -> Vec<f32> {
        let mut best = self.score_arrays.take(self.articles.len());
        // `f32::max` is a call in wasm (its NaN rule is not the instruction's); impacts
        // are never NaN, so a select is the same.
        for s in &c.alts {
            for p in s.postings {
                let v = s.weight * self.sat(p);
                let b = &mut best[p.doc as usize];
                *b = if v > *b { v } else { *b };
            }
        }
        for &(d, v) in c.phrase_hits.iter().flatten() {
            let b = &mut best[d as usize];
            *b = if v > *b { v } else { *b };
        }
        self.add_bonus_dense(&mut best, &c.bonus);
        best
    }

    /// [`Index::add_bonus`] over a score per article (0: not a candidate), adding in the
    /// same order, so the scores are the same to the bit.
    fn add_bonus_dense(&self, scores: &mut [f32], bonus: &[Source]) {
        for s in bonus {
            for p in s.postings {
                let score = &mut scores[p.doc as usize];
                // A select, not a branch: adding 0 leaves a score as it was, to the bit.
                *score += if *score > 0.0 {
                    s.weight * self.sat(p)
                } else {
                    0.0
                };
            }
        }
    }

    /// [`Index::narrow`] over a score per article (0: not a candidate), in place, with
    /// `best` (as long, all 0) to work in; returns the candidates left. It costs the
    /// clause's postings, one array access each, where a merge of two long lists
    /// branches unpredictably at every step: what a keystroke of common words costs.
    fn narrow_dense(&self, scores: &mut [f32], c: &ClauseSources, best: &mut [f32]) -> usize {
        // Every posting weighed, candidate or not (only candidates' are read below): no
        // branch in the loop. Impacts are never NaN, so the select is the merge's
        // `v > best` (and `f32::max`, a call in wasm).
        for s in &c.alts {
            for p in s.postings {
                let b = &mut best[p.doc as usize];
                let v = s.weight * self.sat(p);
                *b = if v > *b { v } else { *b };
            }
        }
        for &(d, v) in c.phrase_hits.iter().flatten() {
            let b = &mut best[d as usize];
            *b = if v > *b { v } else { *b };
        }
        // Selects, not branches (a candidate's fate is a coin toss for common words): a
        // score that was not positive stays out (0, never read as a candidate again).
        let mut left = 0;
        for (score, b) in scores.iter_mut().zip(best.iter_mut()) {
            let kept = (*score > 0.0) & (*b > 0.0);
            *score = if kept { *score + *b } else { 0.0 };
            left += usize::from(kept);
            *b = 0.0;
        }
        self.add_bonus_dense(scores, &c.bonus);
        left
    }

    pub(super) fn add_bonus(&self, cands: &mut [(u32, f32)], bonus: &[Source]) {
        for s in bonus {
            let mut add = Vec::new();
            for_each_in(cands, s.postings, |j, p| {
                add.push((j, s.weight * self.sat(p)))
            });
            for (j, v) in add {
                cands[j].1 += v;
            }
        }
    }

    /// Keeps the candidates the clause matches, adding its score.
    pub(super) fn narrow(&self, cands: Vec<(u32, f32)>, c: &ClauseSources) -> Vec<(u32, f32)> {
        self.narrow_scattering(cands, c, true)
    }

    /// [`Index::narrow`]; with `scatter`, an alternative whose postings are not many
    /// more than the candidates is weighed through a score per article (its postings
    /// written, then each candidate's slot read) instead of merged: a prefix's dozens of
    /// words each galloped through the candidates, a mispredicted branch a step (a tenth
    /// of a warm keystroke's CPU on vietnews-train). The best of the alternatives is the
    /// same whichever way each is read, so the scores are the same to the bit.
    pub(super) fn narrow_scattering(
        &self,
        cands: Vec<(u32, f32)>,
        c: &ClauseSources,
        scatter: bool,
    ) -> Vec<(u32, f32)> {
        // Past this many postings a candidate, galloping through them costs less than
        // writing them all.
        const SCATTER_BELOW: usize = 16;
        let scattered = |s: &&Source| scatter && s.postings.len() < cands.len() * SCATTER_BELOW;
        let mut best = vec![0f32; cands.len()];
        if c.alts.iter().any(|s| scattered(&s)) {
            let mut dense = self.score_arrays.take(self.articles.len());
            for s in c.alts.iter().filter(scattered) {
                for p in s.postings {
                    let v = s.weight * self.sat(p);
                    let b = &mut dense[p.doc as usize];
                    *b = if v > *b { v } else { *b };
                }
            }
            for (b, &(d, _)) in best.iter_mut().zip(&cands) {
                *b = dense[d as usize];
            }
            // Given back all 0: only the postings' slots were written.
            for s in c.alts.iter().filter(scattered) {
                for p in s.postings {
                    dense[p.doc as usize] = 0.0;
                }
            }
            self.score_arrays.give(dense);
        }
        for s in c.alts.iter().filter(|s| !scattered(s)) {
            for_each_in(&cands, s.postings, |j, p| {
                let v = s.weight * self.sat(p);
                if v > best[j] {
                    best[j] = v;
                }
            });
        }
        for hits in &c.phrase_hits {
            for_each_hit(&cands, hits, |j, v| {
                if v > best[j] {
                    best[j] = v;
                }
            });
        }
        let mut out: Vec<(u32, f32)> = cands
            .into_iter()
            .zip(&best)
            .filter(|(_, &b)| b > 0.0)
            .map(|((d, s), &b)| (d, s + b))
            .collect();
        self.add_bonus(&mut out, &c.bonus);
        out
    }

    /// No document matches every clause: the documents that match the most of them.
    pub(super) fn most_clauses(&self, clauses: &[ClauseSources]) -> Vec<(u32, f32)> {
        let n = self.articles.len();
        let mut sum = vec![0f32; n];
        let mut count = vec![0u16; n];
        let mut best = vec![0f32; n];
        let mut touched = Vec::new();
        for c in clauses {
            for s in &c.alts {
                for p in s.postings {
                    let d = p.doc as usize;
                    if best[d] == 0.0 {
                        touched.push(p.doc);
                    }
                    let v = s.weight * self.sat(p);
                    if v > best[d] {
                        best[d] = v;
                    }
                }
            }
            for &(doc, v) in c.phrase_hits.iter().flatten() {
                let d = doc as usize;
                if best[d] == 0.0 {
                    touched.push(doc);
                }
                best[d] = best[d].max(v);
            }
            for s in &c.bonus {
                for p in s.postings {
                    if best[p.doc as usize] > 0.0 {
                        best[p.doc as usize] += s.weight * self.sat(p);
                    }
                }
            }
            for d in touched.drain(..) {
                let d = d as usize;
                sum[d] += best[d];
                count[d] += 1;
                best[d] = 0.0;
            }
        }
        let most = count.iter().copied().max().unwrap_or(0);
        if most == 0 {
            return Vec::new();
        }
        (0..n)
            .filter(|&d| count[d] == most)
            .map(|d| (d as u32, sum[d]))
            .collect()
    }

    /// The candidates whose text holds at least one of the adjacent-word `pairs`.
    fn with_any_pair(
        &self,
        cands: Vec<(u32, f32)>,
        pairs: impl Iterator<Item = String>,
    ) -> Vec<(u32, f32)> {
        let mut keep = vec![false; cands.len()];
        for key in pairs {
            if let Some(p) = self.pairs.get(&key) {
                for_each_in(&cands, p, |j, _| keep[j] = true);
            }
        }
        cands
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(c, _)| c)
            .collect()
    }

    /// Candidates whose text has the phrase: pairs narrow, the analyzer confirms.
    pub(super) fn has_phrase(&self, cands: Vec<(u32, f32)>, words: &[&Word]) -> Vec<(u32, f32)> {
        let mut cands = cands;
        for w in words.windows(2) {
            let pairs = w[0]
                .pair_keys
                .iter()
                .flat_map(|(a, _)| w[1].pair_keys.iter().map(move |(b, _)| pair_key(a, b)));
            cands = self.with_any_pair(cands, pairs);
        }
        if words.len() < 3 {
            return cands;
        }
        let mut folded = String::new();
        cands
            .into_iter()
            .filter(|&(doc, _)| {
                field_texts(&self.articles[doc as usize])
                    .iter()
                    .flatten()
                    .any(|t| has_words_in_a_row(t, words, &mut folded))
            })
            .collect()
    }

    /// The articles of `within` (sorted by doc) that have the phrase, with the sum of its
    /// words' scores.
    fn phrase_matches(&self, phrase: &Phrase, within: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let _why = looking_up(LookupReason::Phrase);
        let cands = within.iter().map(|&(d, _)| (d, 0.0)).collect();
        let mut cands = self.with_runs_pairs(cands, phrase);
        for w in phrase.iter().flatten() {
            cands = self.narrow(cands, &self.sources(std::slice::from_ref(w)));
        }
        self.has_runs(cands, phrase)
    }

    /// The articles a quoted phrase matches, sorted by doc, with the sum of its words' scores.
    fn phrase_hits(&self, phrase: &Phrase) -> Vec<(u32, f32)> {
        let _why = looking_up(LookupReason::Phrase);
        let sources: Vec<ClauseSources> = phrase
            .iter()
            .flatten()
            .map(|w| self.sources(std::slice::from_ref(w)))
            .collect();
        let sources = crate::order::sorted_by(sources, ClauseSources::size);
        let Some((rarest, rest)) = sources.split_first() else {
            return Vec::new();
        };
        let cands = self.materialize(rarest);
        let mut cands = self.with_runs_pairs(cands, phrase);
        for s in rest {
            if cands.is_empty() {
                break;
            }
            cands = self.narrow(cands, s);
        }
        self.has_runs(cands, phrase)
    }

    /// The candidates with, for each two neighbours in a run of the phrase, one of their
    /// pairs: what [`Index::has_phrase`] narrows by first, done before the phrase's words
    /// narrow (a pair is far rarer than either word, and a merge costs the shorter list).
    /// Scores are untouched, so the answer is the same to the bit.
    fn with_runs_pairs(&self, cands: Vec<(u32, f32)>, phrase: &Phrase) -> Vec<(u32, f32)> {
        let mut cands = cands;
        for w in phrase.iter().flat_map(|run| run.windows(2)) {
            let pairs = w[0]
                .pair_keys
                .iter()
                .flat_map(|(a, _)| w[1].pair_keys.iter().map(move |(b, _)| pair_key(a, b)));
            cands = self.with_any_pair(cands, pairs);
        }
        cands
    }

    /// Candidates with each run of the phrase in a row and the runs one after another.
    fn has_runs(&self, cands: Vec<(u32, f32)>, phrase: &Phrase) -> Vec<(u32, f32)> {
        let mut cands = cands;
        for run in phrase {
            let words: Vec<&Word> = run.iter().collect();
            cands = self.has_phrase(cands, &words);
        }
        if phrase.len() < 2 {
            return cands;
        }
        // Where two runs meet, the text has a pair of their edge words: pairs narrow first.
        for meet in phrase.windows(2) {
            let lefts = edge_words(&meet[0], true);
            let rights = edge_words(&meet[1], false);
            let pairs = lefts
                .iter()
                .flat_map(|a| rights.iter().map(move |b| pair_key(a, b)));
            cands = self.with_any_pair(cands, pairs);
        }
        // An abbreviation between words: only the analyzer sees where its runs meet.
        cands.retain(|&(doc, _)| {
            field_texts(&self.articles[doc as usize])
                .iter()
                .flatten()
                .any(|t| runs_in_a_row(&light(t), phrase))
        });
        cands
    }

    /// The sources of a clause: its words' postings and its phrases' articles.
    pub(super) fn clause_sources(&self, clause: &Clause) -> ClauseSources<'_> {
        let mut sources = self.sources(&clause.words);
        sources.phrase_hits = clause.phrases.iter().map(|p| self.phrase_hits(p)).collect();
        sources
    }

    /// Every article, in doc order, scoring nothing.
    pub(super) fn every_article(&self) -> Vec<(u32, f32)> {
        (0..self.articles.len() as u32).map(|d| (d, 0.0)).collect()
    }

    /// The candidates (sorted by doc) without those an excluded word or phrase matches.
    pub(super) fn without_excluded(
        &self,
        cands: Vec<(u32, f32)>,
        query: &Query,
    ) -> Vec<(u32, f32)> {
        let mut cands = cands;
        for w in &query.excluded {
            let ex = self.sources(std::slice::from_ref(w));
            let mut drop = vec![false; cands.len()];
            for s in &ex.alts {
                for_each_in(&cands, s.postings, |j, _| drop[j] = true);
            }
            cands = cands
                .into_iter()
                .zip(drop)
                .filter(|(_, d)| !*d)
                .map(|(c, _)| c)
                .collect();
        }
        for phrase in &query.excluded_phrases {
            let with_phrase = self.phrase_matches(phrase, &cands);
            let mut drop = with_phrase.iter().map(|c| c.0).peekable();
            cands.retain(|c| {
                while drop.next_if(|&d| d < c.0).is_some() {}
                drop.peek() != Some(&c.0)
            });
        }
        cands
    }

    /// Every article the query matches, with its score, in no particular order.
    pub(super) fn matches(&self, query: &Query) -> Vec<(u32, f32)> {
        let narrowing = Narrowing {
            dense_above: self.articles.len() / 16,
            scatter: true,
        };
        self.matches_narrowing(query, narrowing)
    }

    /// [`Index::matches`], narrowing the candidates as `narrowing` says (tests compare
    /// every way with the plain merge, [`Narrowing::MERGED`]).
    pub(super) fn matches_narrowing(&self, query: &Query, narrowing: Narrowing) -> Vec<(u32, f32)> {
        let Narrowing {
            dense_above,
            scatter,
        } = narrowing;
        if self.is_empty() || (query.clauses.is_empty() && !query.excludes()) {
            return Vec::new();
        }
        if query.clauses.is_empty() {
            // Only exclusions: the whole archive minus them.
            return self.without_excluded(self.every_article(), query);
        }
        let sources: Vec<ClauseSources> = query
            .clauses
            .iter()
            .map(|c| self.clause_sources(c))
            .collect();

        let order = crate::order::positions_by(sources.len(), |i| sources[i].size());
        let mut rest = order[1..].iter().map(|&i| &sources[i]);
        let rarest = &sources[order[0]];
        let mut cands = if rarest.size() > dense_above {
            // Many candidates: narrowed as a score per article while they stay many.
            let mut scores = self.materialize_dense(rarest);
            // The candidates left, counted by narrowing: the rarest clause's are not
            // counted apart when another clause narrows them next (a pass over the
            // archive saved; narrowing as a score per article scores alike to the bit).
            let mut left = None;
            let mut best = self.score_arrays.take(scores.len());
            while left.is_none_or(|left| left > dense_above) {
                let Some(c) = rest.next() else { break };
                left = Some(self.narrow_dense(&mut scores, c, &mut best));
            }
            self.score_arrays.give(best);
            let left = left.unwrap_or_else(|| scores.iter().filter(|&&s| s > 0.0).count());
            let cands = sparse_of(&mut scores, left);
            self.score_arrays.give(scores);
            cands
        } else {
            self.materialize(rarest)
        };
        for c in rest {
            if cands.is_empty() {
                break;
            }
            cands = self.narrow_scattering(cands, c, scatter);
        }
        if cands.is_empty() {
            cands = self.most_clauses(&sources);
        }
        cands = self.without_excluded(cands, query);
        // Query words next to each other score again where the text has them together.
        let _why = looking_up(LookupReason::Pairs);
        for pair in query.clauses.windows(2) {
            let ([a], [b]) = (pair[0].words.as_slice(), pair[1].words.as_slice()) else {
                continue;
            };
            let mut keys = Vec::new();
            for (ka, kind_a) in &a.pair_keys {
                for (kb, kind_b) in &b.pair_keys {
                    // Corrections pair with the other word as typed, not with its own.
                    let typo_a = *kind_a == ExpansionKind::Typo;
                    let typo_b = *kind_b == ExpansionKind::Typo;
                    if typo_a && typo_b {
                        continue;
                    }
                    // A correction before the word as typed: a sharded reader's reverse
                    // counts, read to vouch for it, say whether the pair is in any article,
                    // so a correction beside it nowhere (most of an unknown word's) costs
                    // no range of its own. (Until they are in, the search is asked again.)
                    if typo_a
                        && self.reverse_pairs.is_some()
                        && self.pair_count_before(ka, kb).unwrap_or(0) == 0
                    {
                        continue;
                    }
                    // A pair counts as much as its correction does.
                    let weight = key_weight(a, ka) * key_weight(b, kb);
                    keys.push((pair_key(ka, kb), weight));
                }
            }
            let lists: Vec<(&[Posting], f32)> = keys
                .into_iter()
                .filter_map(|(k, weight)| {
                    let p = self.pairs.get(&k)?;
                    Some((p, weight * PAIR_WEIGHT * self.idf(p.len())))
                })
                .collect();
            let postings: usize = lists.iter().map(|(p, _)| p.len()).sum();
            if cands.len() > dense_above && postings * 16 > cands.len() {
                self.add_pairs_dense(&mut cands, &lists);
                continue;
            }
            let mut add = vec![0f32; cands.len()];
            for (p, w) in lists {
                for_each_in(&cands, p, |j, p| {
                    let v = w * self.sat(p);
                    if v > add[j] {
                        add[j] = v;
                    }
                });
            }
            for (c, a) in cands.iter_mut().zip(add) {
                c.1 += a;
            }
        }
        cands
    }

    /// The pairs' bonus (for each candidate, the best of `lists`, postings with what one
    /// is worth) added as the merge adds it, to the bit, through a score per article:
    /// with many candidates, a prefix's pairs (dozens of lists, some long) cost their
    /// postings and one pass over the candidates, where the merge galloped through the
    /// candidates for every posting (a tenth of a common-word keystroke's engine time).
    fn add_pairs_dense(&self, cands: &mut [(u32, f32)], lists: &[(&[Posting], f32)]) {
        let mut best = self.score_arrays.take(self.articles.len());
        for &(p, w) in lists {
            for p in p {
                let v = w * self.sat(p);
                let b = &mut best[p.doc as usize];
                *b = if v > *b { v } else { *b };
            }
        }
        for c in cands.iter_mut() {
            c.1 += best[c.0 as usize];
        }
        // Given back all 0: only the postings' slots were written.
        for &(p, _) in lists {
            for p in p {
                best[p.doc as usize] = 0.0;
            }
        }
        self.score_arrays.give(best);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The analyzer's reading (`light`: every word folded, every gap looked at): what
    /// `has_words_in_a_row` must answer.
    fn analyzed_has_words_in_a_row(text: &str, words: &[&Word]) -> bool {
        let a = light(text);
        (0..a.folded.len().saturating_sub(words.len() - 1)).any(|i| {
            words.iter().enumerate().all(|(k, w)| {
                w.pair_keys.iter().any(|(key, _)| *key == a.folded[i + k])
                    && (k == 0 || a.pair[i + k - 1])
            })
        })
    }

    fn word(keys: &[&str]) -> Word {
        Word {
            pair_keys: keys
                .iter()
                .map(|k| (k.to_string(), ExpansionKind::Typed))
                .collect(),
            ..Word::default()
        }
    }

    /// Words with marks, `đ`, final `y`, compounds and abbreviations, and the gaps
    /// between them: spaces, punctuation, a newline, a no-break space.
    const PIECES: &[&str] = &[
        "Đội", "đội", "tuyển", "TUYỂN", "Việt", "viet", "Nam", "nam", "kỳ", "ki", "quy", "qui",
        "Mỹ", "covid-19", "TP.HCM", "24/8", "x", " ", " ", " ", ", ", ". ", "-", "\n", "\u{a0}",
        "  ", "(", ")", "\"",
    ];
    const KEYS: &[&str] = &[
        "doi", "tuyen", "viet", "nam", "ki", "qui", "mi", "x", "covid",
    ];

    proptest! {
        /// The branch-free compaction keeps exactly the positive scores, in doc order.
        #[test]
        fn sparse_keeps_the_positive_scores_in_doc_order(
            scores in prop::collection::vec(
                prop_oneof![Just(0.0f32), Just(-0.0f32), -3.0f32..3.0, 0.001f32..100.0],
                0..300,
            ),
        ) {
            let expected: Vec<(u32, f32)> = scores
                .iter()
                .enumerate()
                .filter(|(_, &s)| s > 0.0)
                .map(|(d, &s)| (d as u32, s))
                .collect();
            let mut scores = scores;
            prop_assert_eq!(sparse(&mut scores), expected);
            prop_assert!(scores.iter().all(|&s| s == 0.0), "every score read is cleared");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn phrase_words_in_a_row_read_as_the_analyzer_reads_them(
            pieces in prop::collection::vec(0..PIECES.len(), 0..40),
            phrase in prop::collection::vec(
                prop::collection::vec(0..KEYS.len(), 1..3), 3..6),
        ) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let words: Vec<Word> = phrase
                .iter()
                .map(|keys| word(&keys.iter().map(|&k| KEYS[k]).collect::<Vec<_>>()))
                .collect();
            let words: Vec<&Word> = words.iter().collect();
            let mut folded = String::new();
            prop_assert_eq!(
                has_words_in_a_row(&text, &words, &mut folded),
                analyzed_has_words_in_a_row(&text, &words),
                "{:?}", text
            );
        }
    }

    #[test]
    fn phrase_words_in_a_row_need_only_spaces_between_them() {
        let words = [word(&["doi"]), word(&["tuyen"]), word(&["viet"])];
        let words: Vec<&Word> = words.iter().collect();
        let mut folded = String::new();
        for (text, expected) in [
            ("Đội tuyển Việt Nam thắng", true),
            ("đội  tuyển\u{a0}VIỆT", true),
            ("đội tuyển, Việt Nam", false),
            ("đội tuyển đội tuyển việt", true),
            ("tuyển việt", false),
            ("đội tuyển", false),
        ] {
            assert_eq!(
                has_words_in_a_row(text, &words, &mut folded),
                expected,
                "{text:?}"
            );
        }
        // A lone final `y` is read as `i`, as the index reads it.
        let words = [word(&["mi"]), word(&["ki"]), word(&["qui"])];
        let words: Vec<&Word> = words.iter().collect();
        assert!(has_words_in_a_row("Mỹ kỳ quy", &words, &mut folded));
        assert!(has_words_in_a_row("mĩ KÌ qui", &words, &mut folded));
    }
}
