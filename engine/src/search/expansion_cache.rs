//! Query words' expansions kept from one keystroke to the next: a typed query differs
//! from the previous one by a letter of its last word, and the typo probes, pair
//! vouching and prefix scans of the words before it need not run again.

use std::sync::Mutex;

use super::expand::Neighbours;
use super::parse::Word;

/// Words whose expansions are kept, the least recently used dropped first: the words of
/// the last few queries typed, a few kB each at most (bounded memory).
pub(crate) const EXPANSIONS_KEPT: usize = 128;

/// A word as parsed, the keys of its neighbours (what its corrections depend on), and
/// the word expanded against the index.
struct Kept {
    word: Word,
    left: Vec<String>,
    right: Vec<String>,
    expanded: Word,
}

/// The expansions an [`Index`](crate::Index) worked out lately. Only expansions whose
/// every lookup found its term range in are kept (a sharded reader missing a range asks
/// again once it is in), and a sharded reader empties it whenever a dictionary file
/// arrives, so an answer is the same with it as without.
#[derive(Default)]
pub(crate) struct ExpansionCache {
    kept: Mutex<Vec<Kept>>,
    /// A word's typo candidates (folded word, its own keys sorted; each candidate with
    /// its frequency class), as many words as expansions.
    typo_candidates: Mutex<Vec<TypoCandidates>>,
}

type TypoCandidates = (String, Vec<String>, Vec<(u8, String)>);

impl ExpansionCache {
    fn kept(&self) -> std::sync::MutexGuard<'_, Vec<Kept>> {
        // A poisoned lock only means a search panicked elsewhere; what is kept is whole.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The expansion of `word` beside these neighbours, if kept.
    pub(super) fn get(&self, word: &Word, n: &Neighbours) -> Option<Word> {
        let mut kept = self.kept();
        let at = kept
            .iter()
            .rposition(|k| k.word == *word && k.left == n.left && k.right == n.right)?;
        let hit = kept.remove(at);
        let expanded = hit.expanded.clone();
        kept.push(hit);
        Some(expanded)
    }

    pub(super) fn put(&self, word: Word, n: &Neighbours, expanded: Word) {
        let mut kept = self.kept();
        if kept.len() >= EXPANSIONS_KEPT {
            kept.remove(0);
        }
        kept.push(Kept {
            word,
            left: n.left.to_vec(),
            right: n.right.to_vec(),
            expanded,
        });
    }

    fn candidates(&self) -> std::sync::MutexGuard<'_, Vec<TypoCandidates>> {
        self.typo_candidates
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The typo candidates of the folded word `base` whose own keys are `own`, if kept.
    pub(super) fn typo_candidates(&self, base: &str, own: &[String]) -> Option<Vec<(u8, String)>> {
        let mut kept = self.candidates();
        let at = kept.iter().rposition(|(b, o, _)| b == base && o == own)?;
        let hit = kept.remove(at);
        let found = hit.2.clone();
        kept.push(hit);
        Some(found)
    }

    pub(super) fn put_typo_candidates(
        &self,
        base: &str,
        own: Vec<String>,
        found: Vec<(u8, String)>,
    ) {
        let mut kept = self.candidates();
        if kept.len() >= EXPANSIONS_KEPT {
            kept.remove(0);
        }
        kept.push((base.to_string(), own, found));
    }

    /// Forgets every expansion: the dictionaries changed.
    pub(crate) fn clear(&self) {
        self.kept().clear();
        self.candidates().clear();
    }

    pub(crate) fn len(&self) -> usize {
        self.kept().len()
    }
}

/// A copy of an index starts with nothing kept.
impl Clone for ExpansionCache {
    fn clone(&self) -> ExpansionCache {
        ExpansionCache::default()
    }
}

/// What is kept never changes an answer: indexes are equal whatever they keep.
impl PartialEq for ExpansionCache {
    fn eq(&self, _: &ExpansionCache) -> bool {
        true
    }
}

impl std::fmt::Debug for ExpansionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExpansionCache({} kept)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::{Index, Request};

    const WORDS: &[&str] = &[
        "thành",
        "phố",
        "Hồ",
        "Chí",
        "Minh",
        "trường",
        "đại",
        "học",
        "thủ",
        "tướng",
        "giá",
        "vàng",
        "xăng",
        "tăng",
        "đội",
        "tuyển",
        "Việt",
        "Nam",
        "học",
        "sinh",
        "trong",
        "tranh",
        "thanh",
        "niên",
        "bão",
        "số",
        "covid-19",
        "TP.HCM",
    ];

    /// Articles over a small vocabulary, so typos have corrections and neighbours vouch
    /// for some of them.
    fn archive() -> Index {
        Index::build(
            (0..240)
                .map(|i| {
                    let pick = |k: usize, len: usize| -> String {
                        (0..len)
                            .map(|j| WORDS[(i * 7 + k * 13 + j * j * 3 + j) % WORDS.len()])
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    Article {
                        id: format!("a{i}"),
                        title: pick(1, 6),
                        lead: Some(pick(2, 10)),
                        body: vec![pick(3, 30), "thành phố Hồ Chí Minh".to_string()],
                        ..Article::default()
                    }
                })
                .collect(),
        )
    }

    /// Queries as typed: typos, Telex, marks, phrases, exclusions, `OR`, a correction
    /// vouched for by its neighbour, a word typed, deleted and typed again.
    const TYPED: &[&str] = &[
        "thanh pho ho chi minh",
        "tanh pho ho chi minh",
        "truong dai hoc",
        "trong dai hoc",
        "thur tuongs",
        "giá vàng tăng",
        "\"đội tuyển Việt Nam\" -bão",
        "hocj sinh OR thanh nien",
        "covid -vaccine TP.HCM",
    ];

    /// Every prefix of `query`, letter by letter, then backspaced to its first word.
    fn keystrokes(query: &str) -> Vec<String> {
        let chars: Vec<char> = query.chars().collect();
        let typed = (1..=chars.len()).map(|n| chars[..n].iter().collect::<String>());
        let first = chars.iter().position(|&c| c == ' ').unwrap_or(chars.len());
        let deleted = (first..chars.len())
            .rev()
            .map(|n| chars[..n].iter().collect());
        typed.chain(deleted).collect()
    }

    #[test]
    fn queries_typed_letter_by_letter_are_prepared_as_from_scratch() {
        let index = archive();
        let request = Request::default();
        let mut hits = 0;
        for query in TYPED {
            for text in keystrokes(query) {
                let before = index.expansions.len();
                let kept = index.query(&text);
                // A copy keeps nothing: the query prepared from scratch.
                let fresh = index.clone();
                assert_eq!(fresh.expansions.len(), 0);
                let want = fresh.query(&text);
                assert_eq!(kept, want, "{text:?}");
                assert_eq!(
                    index.find(&kept, &request),
                    fresh.find(&want, &request),
                    "{text:?}"
                );
                hits += usize::from(index.expansions.len() == before);
            }
        }
        // Most keystrokes change one word: the others' expansions were reused.
        assert!(hits > 20, "only {hits} keystrokes reused every expansion");
        assert!(index.expansions.len() <= EXPANSIONS_KEPT);
    }

    #[test]
    fn what_is_kept_is_bounded_and_the_least_recently_used_goes_first() {
        let index = archive();
        index.query("thanh pho");
        for i in 0..EXPANSIONS_KEPT {
            index.query(&format!("w{i} "));
            // Used again and again: never the least recently used.
            index.query("thanh pho");
        }
        assert_eq!(index.expansions.len(), EXPANSIONS_KEPT);
        let (w, n) = {
            let q = super::super::parse::parse("thanh pho");
            (
                q.clauses[0].words[0].clone(),
                q.clauses[1].words[0].pair_keys.clone(),
            )
        };
        let right: Vec<String> = n.into_iter().map(|(k, _)| k).collect();
        let neighbours = Neighbours {
            left: &[],
            right: &right,
        };
        assert!(index.expansions.get(&w, &neighbours).is_some());
        let first = super::super::parse::parse("w0 ").clauses[0].words[0].clone();
        assert!(index
            .expansions
            .get(&first, &Neighbours::default())
            .is_none());
    }
}
