//! Queries against an [`Index`]: parsing, BM25F scoring, tolerance, and highlighted
//! snippets.
//!
//! A query is analyzed by the same analyzer as the articles ([`text::analyze`]). Each
//! word becomes a *clause* that every result must match (`a OR b` makes one clause of
//! two words); `-word` excludes; `"quoted words"` must appear next to each other. A word
//! matches through several keys: its folded form, its Telex reading when typed with the
//! input method off (`dduwowngf` → `đường`), the canonical key of a press abbreviation
//! (`TP HCM` → `#tphcm`), words one edit away in the dictionary (typos, scored lower), and
//! while typing, the words it begins. Marks the user typed (or Telex implies) rank the
//! exactly marked forms first.
//!
//! Scoring is BM25F over title, lead and body, plus a bonus for query words found next to
//! each other. Matching is document-at-a-time over sorted postings: the rarest clause
//! gives the candidates, every other clause is looked up for those candidates only
//! (galloping when its postings are long), so common words cost little.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::article::Article;
use crate::facets::{Facets, Filters, Sort};
use crate::index::{field_texts, pair_key, Index, Posting, BODY, LEAD, TITLE};
use crate::text::{self, telex, Analyzed};

/// Share of a term's score added again when the exact marked form the user typed matches.
const EXACT_BONUS: f32 = 0.5;
/// Weight of an adjacent pair of query words found next to each other in the text.
const PAIR_WEIGHT: f32 = 1.0;
/// A prefix expansion of the word being typed counts a little less than a whole word.
const PREFIX_DISCOUNT: f32 = 0.8;
/// Expansions of the word being typed that are scored, the most frequent first.
const MAX_PREFIX_TERMS: usize = 32;
/// Distinctive words of an article used to find others like it.
const MORE_LIKE_THIS_TERMS: usize = 12;
/// A word one edit away from the one typed counts much less than the word itself.
const TYPO_WEIGHT: f32 = 0.4;
/// Dictionary words one edit away that are tried, the most frequent first.
const MAX_TYPO_TERMS: usize = 8;
/// Corrections tried for a word that is common as typed.
const MAX_TYPO_TERMS_COMMON: usize = 3;
/// Only folded words this long or longer are corrected.
const TYPO_MIN_LEN: usize = 4;
/// Only folded words this long or shorter are corrected: no Vietnamese syllable comes
/// close, and the edits of a word grow with its length.
const TYPO_MAX_LEN: usize = 20;
/// Only words this long or shorter are expanded as prefixes while typing.
const PREFIX_MAX_LEN: usize = 32;
/// A query is cut to this many characters: what a box, a link or the command line
/// hands in costs the same bounded work ([`Query::trimmed`] says when it was cut).
pub const MAX_QUERY_CHARS: usize = 256;
/// Words of a query kept (after [`MAX_QUERY_CHARS`]); the rest are dropped.
pub const MAX_QUERY_WORDS: usize = 32;
/// A word found in more than this share of the articles is likely meant as typed: it is
/// still corrected (typos often spell another real word), but with fewer candidates.
const TYPO_MAX_DF_SHARE: f32 = 0.002;
/// Prefix expansions stop once their postings add up to this share of the articles (at
/// least one expansion is always tried): a short prefix of a big corpus must stay cheap.
const PREFIX_POSTINGS_SHARE: f32 = 0.5;
/// Characters a snippet aims for.
const SNIPPET_CHARS: usize = 220;

/// Text with byte ranges to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marked {
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text`.
    pub marks: Vec<(usize, usize)>,
}

impl Marked {
    /// The text cut into runs, each flagged as highlighted or not: what a UI renders.
    /// Marks that are out of order, out of range or inside a character are skipped, so a
    /// bad range can never take the UI down.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(s, e) in &self.marks {
            let (Some(before), Some(marked)) = (self.text.get(at..s), self.text.get(s..e)) else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((marked, true));
            at = e;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out
    }

    /// The marks as ranges of characters (Unicode scalar values) rather than bytes, for
    /// consumers that index text by character. Bad byte ranges are skipped.
    pub fn char_marks(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(self.marks.len());
        let (mut byte, mut chars) = (0usize, 0usize);
        for &(s, e) in &self.marks {
            if s < byte || e < s || self.text.get(s..e).is_none() {
                continue;
            }
            let start = chars + self.text[byte..s].chars().count();
            let end = start + self.text[s..e].chars().count();
            out.push((start, end));
            byte = e;
            chars = end;
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub id: String,
    pub score: f32,
    pub title: Marked,
    pub snippet: Marked,
}

/// One page of results, with the facet counts of the whole query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Articles that match the query and the filters.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Every article that matched, of which `hits` are the best.
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// Where a key of a query word comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpansionKind {
    /// The word as typed, folded (or a compound the analyzer read from it).
    Typed,
    /// The word read as Telex typed with the input method off.
    Telex,
    /// A dictionary word one edit away.
    Typo,
    /// A dictionary word the word being typed begins.
    Prefix,
    /// The canonical key of a press abbreviation or its phrase (`TP.HCM` → `#tphcm`).
    Synonym,
}

impl ExpansionKind {
    /// Another word than the one typed: it never outweighs the word itself.
    fn is_other_word(self) -> bool {
        matches!(self, ExpansionKind::Typo | ExpansionKind::Prefix)
    }
}

/// One key a query word matches in the folded dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub term: String,
    /// What a match through this key is worth, relative to the word as typed.
    pub weight: f32,
    pub kind: ExpansionKind,
}

impl Expansion {
    fn new(term: impl Into<String>, weight: f32, kind: ExpansionKind) -> Expansion {
        Expansion {
            term: term.into(),
            weight,
            kind,
        }
    }
}

/// One word of a query with every form it may match.
#[derive(Debug, Clone, PartialEq, Default)]
struct Word {
    /// Keys in the folded dictionary.
    keys: Vec<Expansion>,
    /// Exact marked forms (typed, or read from Telex): they rank first.
    exact: Vec<String>,
    /// Folded forms used to look up pairs with the neighbouring word.
    pair_keys: Vec<(String, ExpansionKind)>,
    /// Correct typos of this folded word against the dictionary.
    typo_base: Option<String>,
    /// The word still being typed: also matched as a prefix.
    prefix: Option<String>,
}

impl Word {
    fn from_token(raw: &str, exact: &str, folded: &str) -> Word {
        let mut w = Word {
            keys: vec![Expansion::new(folded, 1.0, ExpansionKind::Typed)],
            pair_keys: vec![(folded.to_string(), ExpansionKind::Typed)],
            ..Word::default()
        };
        if exact != folded {
            w.exact.push(exact.to_string());
        }
        if let Some(decoded) = telex::decode(raw) {
            let (de, df) = text::keys(&decoded);
            if df != folded {
                w.keys
                    .push(Expansion::new(df.clone(), 1.0, ExpansionKind::Telex));
                w.pair_keys.push((df, ExpansionKind::Telex));
            }
            w.exact.push(de);
        }
        // A word of 4+ letters with one letter dropped has 3: it is corrected too.
        if folded.len() + 1 >= TYPO_MIN_LEN
            && folded.len() <= TYPO_MAX_LEN
            && folded.bytes().all(|b| b.is_ascii_lowercase())
        {
            w.typo_base = Some(folded.to_string());
        }
        w
    }
}

/// Words any one of which satisfies the clause (`a OR b`).
#[derive(Debug, Clone, PartialEq, Default)]
struct Clause {
    words: Vec<Word>,
}

/// A query parsed, analyzed and resolved against one index ([`Index::query`]): built once
/// per query string, then handed to [`Index::find`], [`Index::neighbours`],
/// [`Index::highlight`] and [`Index::search`] as often as needed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Every clause must match, in query order.
    clauses: Vec<Clause>,
    excluded: Vec<Word>,
    /// Quoted phrases: per phrase, the clause numbers of its words, in order.
    phrases: Vec<Vec<usize>>,
    /// The text was longer than [`MAX_QUERY_CHARS`] or had more than [`MAX_QUERY_WORDS`].
    trimmed: bool,
}

impl Query {
    fn words(&self) -> impl Iterator<Item = &Word> {
        self.clauses.iter().flat_map(|c| c.words.iter())
    }

    /// Whether part of the text was dropped to keep the query within
    /// [`MAX_QUERY_CHARS`] and [`MAX_QUERY_WORDS`]: a UI says so.
    pub fn trimmed(&self) -> bool {
        self.trimmed
    }

    /// No word to search for: every article matches (before filters).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Every key the query's wanted words match, with its kind (excluded words aside).
    pub fn expansions(&self) -> impl Iterator<Item = &Expansion> {
        self.words().flat_map(|w| w.keys.iter())
    }
}

/// Tells which query word, if any, a word or span of text matches: every key of every
/// word in one hash map, prefixes apart.
#[derive(Default)]
struct Matcher<'a> {
    keys: FxHashMap<&'a str, usize>,
    prefixes: Vec<(&'a str, usize)>,
    words: usize,
    /// Some key is a compound or synonym key, which only the full analyzer sees.
    spans: bool,
}

impl<'a> Matcher<'a> {
    /// `typing`: the last word also matches as a prefix (in results), or is whole (in an
    /// opened article).
    fn new(words: &[&'a Word], typing: bool) -> Matcher<'a> {
        let mut m = Matcher {
            words: words.len(),
            ..Matcher::default()
        };
        for (i, w) in words.iter().enumerate() {
            for k in &w.keys {
                if !typing && k.kind == ExpansionKind::Prefix {
                    continue;
                }
                m.keys.entry(k.term.as_str()).or_insert(i);
                m.spans |= !k.term.chars().all(char::is_alphanumeric);
            }
            if let Some(p) = w.prefix.as_ref().filter(|_| typing) {
                m.prefixes.push((p.as_str(), i));
            }
        }
        m
    }

    fn token(&self, folded: &str) -> Option<usize> {
        self.keys.get(folded).copied().or_else(|| {
            self.prefixes
                .iter()
                .find(|(p, _)| folded.starts_with(p))
                .map(|&(_, i)| i)
        })
    }

    fn span(&self, key: &str) -> Option<usize> {
        self.keys.get(key).copied()
    }
}

fn parse(query: &str) -> Query {
    let mut q = text::clean(query);
    let mut trimmed = false;
    if let Some((cut, _)) = q.char_indices().nth(MAX_QUERY_CHARS) {
        q.truncate(cut);
        trimmed = true;
    }
    let Analyzed {
        mut tokens, spans, ..
    } = text::analyze(&q);
    if let Some((cut, _)) = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.folded.is_empty())
        .nth(MAX_QUERY_WORDS)
    {
        tokens.truncate(cut);
        trimmed = true;
    }
    let bytes = q.as_bytes();
    // Which quoted phrase each token is in, if any.
    let phrase_of = |start: usize| {
        let quotes = bytes[..start].iter().filter(|&&b| b == b'"').count();
        (quotes % 2 == 1).then_some(quotes / 2)
    };
    let negated = |start: usize| {
        start > 0
            && bytes[start - 1] == b'-'
            && (start == 1 || bytes[start - 2].is_ascii_whitespace() || bytes[start - 2] == b'"')
    };
    let is_or = |i: usize| &q[tokens[i].start..tokens[i].end] == "OR";
    // A cut query is not being typed: its last word is whole.
    let still_typing = !trimmed && tokens.last().is_some_and(|t| t.end == q.len());

    let mut out = Query {
        trimmed,
        ..Query::default()
    };
    let mut pending_or = false;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.folded.is_empty() {
            i += 1;
            continue;
        }
        if let Some(p) = phrase_of(t.start) {
            let mut members = Vec::new();
            while i < tokens.len() && phrase_of(tokens[i].start) == Some(p) {
                let t = &tokens[i];
                let mut w = Word::from_token(&q[t.start..t.end], &t.exact, &t.folded);
                w.typo_base = None;
                members.push(out.clauses.len());
                out.clauses.push(Clause { words: vec![w] });
                i += 1;
            }
            out.phrases.push(members);
            pending_or = false;
            continue;
        }
        if is_or(i) && i > 0 && i + 1 < tokens.len() && !out.clauses.is_empty() {
            pending_or = true;
            i += 1;
            continue;
        }
        let neg = negated(t.start);
        // The longest compound or synonym phrase starting here (synonyms win ties).
        let span = spans
            .iter()
            .filter(|s| s.first == i && s.last <= tokens.len())
            .filter(|s| {
                (s.first + 1..s.last).all(|j| {
                    phrase_of(tokens[j].start).is_none() && !negated(tokens[j].start) && !is_or(j)
                })
            })
            .max_by_key(|s| (s.last, s.key.starts_with('#')));
        let (word, next) = match span {
            Some(s) => {
                let kind = if s.key.starts_with('#') {
                    ExpansionKind::Synonym
                } else {
                    ExpansionKind::Typed
                };
                (
                    Word {
                        keys: vec![Expansion::new(s.key.clone(), 1.0, kind)],
                        ..Word::default()
                    },
                    s.last,
                )
            }
            None => {
                let mut w = Word::from_token(&q[t.start..t.end], &t.exact, &t.folded);
                if still_typing
                    && i + 1 == tokens.len()
                    && t.folded.chars().count() <= PREFIX_MAX_LEN
                {
                    w.prefix = Some(t.folded.clone());
                }
                (w, i + 1)
            }
        };
        if neg {
            out.excluded.push(word);
        } else if pending_or {
            out.clauses
                .last_mut()
                .expect("a clause before OR")
                .words
                .push(word);
        } else {
            out.clauses.push(Clause { words: vec![word] });
        }
        pending_or = false;
        i = next;
    }
    out
}

/// Calls `f` with every lowercase ASCII string one edit (deletion, insertion,
/// substitution, transposition) away from `word`, some more than once, building each in
/// one reused buffer.
fn for_each_edit(word: &str, mut f: impl FnMut(&str)) {
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

/// A postings list with what one matching posting is worth.
struct Source<'a> {
    postings: &'a [Posting],
    /// Key weight times idf.
    weight: f32,
}

/// For each candidate (sorted by doc) found in `postings`, calls `f(index, posting)`.
/// Walks both lists, galloping through `postings` when it is much longer.
fn for_each_in(cands: &[(u32, f32)], postings: &[Posting], mut f: impl FnMut(usize, &Posting)) {
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

/// The sources of one clause: alternatives (the best counts) and bonuses (added when an
/// alternative matched).
struct ClauseSources<'a> {
    alts: Vec<Source<'a>>,
    bonus: Vec<Source<'a>>,
}

impl ClauseSources<'_> {
    fn size(&self) -> usize {
        self.alts.iter().map(|s| s.postings.len()).sum()
    }
}

impl Index {
    fn idf(&self, df: usize) -> f32 {
        let n = self.articles.len() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// BM25F saturation of one posting, before idf (worked out when the index was built
    /// or loaded).
    #[inline]
    fn sat(&self, p: &Posting) -> f32 {
        p.impact
    }

    /// Adds typo corrections and prefix expansions, which depend on the dictionary.
    fn resolve(&self, query: &mut Query) {
        for clause in &mut query.clauses {
            for w in &mut clause.words {
                self.expand(w);
            }
        }
        for w in &mut query.excluded {
            w.typo_base = None;
            self.expand(w);
        }
    }

    fn expand(&self, w: &mut Word) {
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

    fn sources<'a>(&'a self, words: &[Word]) -> ClauseSources<'a> {
        let mut alts = Vec::new();
        let mut bonus = Vec::new();
        for w in words {
            // A correction or an expansion never outweighs the word as typed, when the
            // dictionary has it: its idf is capped by the word's own.
            let own = w.keys.first().and_then(|k| self.folded.get(&k.term));
            let cap = own.map_or(f32::INFINITY, |p| self.idf(p.len()));
            for k in &w.keys {
                if let Some(p) = self.folded.get(&k.term) {
                    let idf = self.idf(p.len());
                    let idf = if k.kind.is_other_word() {
                        idf.min(cap)
                    } else {
                        idf
                    };
                    alts.push(Source {
                        postings: p,
                        weight: k.weight * idf,
                    });
                }
            }
            for e in &w.exact {
                if let Some(p) = self.exact.get(e) {
                    bonus.push(Source {
                        postings: p,
                        weight: EXACT_BONUS * self.idf(p.len()),
                    });
                }
            }
        }
        ClauseSources { alts, bonus }
    }

    /// Every document a clause matches, sorted, with the clause's score.
    fn materialize(&self, c: &ClauseSources) -> Vec<(u32, f32)> {
        let n = self.articles.len();
        let total = c.size();
        let mut out: Vec<(u32, f32)>;
        if total > n / 16 {
            let mut best = vec![0f32; n];
            for s in &c.alts {
                for p in s.postings {
                    let v = s.weight * self.sat(p);
                    let b = &mut best[p.doc as usize];
                    if v > *b {
                        *b = v;
                    }
                }
            }
            out = best
                .iter()
                .enumerate()
                .filter(|(_, &s)| s > 0.0)
                .map(|(d, &s)| (d as u32, s))
                .collect();
        } else {
            out = Vec::with_capacity(total);
            for s in &c.alts {
                out.extend(s.postings.iter().map(|p| (p.doc, s.weight * self.sat(p))));
            }
            out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            out.dedup_by_key(|x| x.0);
        }
        self.add_bonus(&mut out, &c.bonus);
        out
    }

    fn add_bonus(&self, cands: &mut [(u32, f32)], bonus: &[Source]) {
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
    fn narrow(&self, cands: Vec<(u32, f32)>, c: &ClauseSources) -> Vec<(u32, f32)> {
        let mut best = vec![0f32; cands.len()];
        for s in &c.alts {
            for_each_in(&cands, s.postings, |j, p| {
                let v = s.weight * self.sat(p);
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
    fn most_clauses(&self, clauses: &[ClauseSources]) -> Vec<(u32, f32)> {
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

    /// Candidates whose text has the phrase: pairs narrow, the analyzer confirms.
    fn has_phrase(&self, cands: Vec<(u32, f32)>, words: &[&Word]) -> Vec<(u32, f32)> {
        let mut cands = cands;
        for w in words.windows(2) {
            let mut keep = vec![false; cands.len()];
            for (a, _) in &w[0].pair_keys {
                for (b, _) in &w[1].pair_keys {
                    if let Some(p) = self.pairs.get(&pair_key(a, b)) {
                        for_each_in(&cands, p, |j, _| keep[j] = true);
                    }
                }
            }
            cands = cands
                .into_iter()
                .zip(keep)
                .filter(|(_, k)| *k)
                .map(|(c, _)| c)
                .collect();
        }
        if words.len() < 3 {
            return cands;
        }
        cands
            .into_iter()
            .filter(|&(doc, _)| {
                field_texts(&self.articles[doc as usize])
                    .iter()
                    .flatten()
                    .any(|t| {
                        let a = light(t);
                        (0..a.folded.len().saturating_sub(words.len() - 1)).any(|i| {
                            words.iter().enumerate().all(|(k, w)| {
                                w.pair_keys.iter().any(|(key, _)| *key == a.folded[i + k])
                                    && (k == 0 || a.pair[i + k - 1])
                            })
                        })
                    })
            })
            .collect()
    }

    /// Ranked articles for a query, best first, at most `limit` of them.
    ///
    /// Every clause must match; when no article has them all, articles with the most of
    /// them come first. Words next to each other in the query score again when they are
    /// next to each other in the text. The last word, when the query does not end in a
    /// space, also matches as a prefix.
    pub fn search(&self, query: &Query, limit: usize) -> SearchResults {
        let mut cands = self.matches(query);
        let total = cands.len();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if cands.len() > limit && limit > 0 {
            cands.select_nth_unstable_by(limit - 1, by_score);
            cands.truncate(limit);
        }
        cands.sort_unstable_by(by_score);
        cands.truncate(limit);

        let words: Vec<&Word> = query.words().collect();
        let matcher = Matcher::new(&words, true);
        let hits = cands
            .into_iter()
            .map(|(doc, score)| self.hit(doc, score, &matcher))
            .collect();
        SearchResults { total, hits }
    }

    /// `text` parsed and analyzed, cut to [`MAX_QUERY_CHARS`] and [`MAX_QUERY_WORDS`], with
    /// its Telex readings, synonyms, typo corrections and prefix expansions looked up in
    /// this index: prepare it once per query string and reuse it.
    pub fn query(&self, text: &str) -> Query {
        let mut query = parse(text);
        self.resolve(&mut query);
        query
    }

    /// Every article the query matches, with its score, in no particular order.
    fn matches(&self, query: &Query) -> Vec<(u32, f32)> {
        if query.clauses.is_empty() || self.is_empty() {
            return Vec::new();
        }
        let sources: Vec<ClauseSources> = query
            .clauses
            .iter()
            .map(|c| self.sources(&c.words))
            .collect();

        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&i| sources[i].size());
        let mut cands = if sources[order[0]].alts.is_empty() {
            Vec::new()
        } else {
            self.materialize(&sources[order[0]])
        };
        for &i in &order[1..] {
            if cands.is_empty() {
                break;
            }
            cands = self.narrow(cands, &sources[i]);
        }
        if cands.is_empty() {
            cands = self.most_clauses(&sources);
        }
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
        for phrase in &query.phrases {
            let words: Vec<&Word> = phrase.iter().map(|&i| &query.clauses[i].words[0]).collect();
            cands = self.has_phrase(cands, &words);
        }
        // Query words next to each other score again where the text has them together.
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
                    let weight = if typo_a || typo_b { TYPO_WEIGHT } else { 1.0 };
                    keys.push((pair_key(ka, kb), weight));
                }
            }
            let mut add = vec![0f32; cands.len()];
            for (k, weight) in keys {
                if let Some(p) = self.pairs.get(&k) {
                    let w = weight * PAIR_WEIGHT * self.idf(p.len());
                    for_each_in(&cands, p, |j, p| {
                        let v = w * self.sat(p);
                        if v > add[j] {
                            add[j] = v;
                        }
                    });
                }
            }
            for (c, a) in cands.iter_mut().zip(add) {
                c.1 += a;
            }
        }
        cands
    }

    fn hit(&self, doc: u32, score: f32, matcher: &Matcher) -> Hit {
        let article = &self.articles[doc as usize];
        Hit {
            doc,
            id: article.id.clone(),
            score,
            title: mark(&article.title, matcher),
            snippet: self.snippet(doc, matcher),
        }
    }

    /// Matching articles (all of them for an empty query), narrowed by `filters`, in
    /// `sort` order, with the facet counts of the query.
    fn ordered(&self, query: &Query, filters: &Filters, sort: Sort) -> (Vec<(u32, f32)>, Facets) {
        let matched: Vec<(u32, f32)> = if query.clauses.is_empty() {
            (0..self.articles.len() as u32).map(|d| (d, 0.0)).collect()
        } else {
            let mut m = self.matches(query);
            m.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            m
        };
        let (mut kept, facets) = self.catalog.narrow(&matched, filters);
        match sort {
            Sort::Relevance => {}
            Sort::Newest => self.catalog.sort_by_date(&mut kept, true),
            Sort::Oldest => self.catalog.sort_by_date(&mut kept, false),
        }
        (kept, facets)
    }

    /// One page of results for a reader's request: query, filters, order, window.
    pub fn find(
        &self,
        query: &Query,
        filters: &Filters,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Page {
        let (kept, facets) = self.ordered(query, filters, sort);
        let words: Vec<&Word> = query.words().collect();
        let matcher = Matcher::new(&words, true);
        Page {
            total: kept.len(),
            hits: kept
                .iter()
                .skip(offset)
                .take(limit)
                .map(|&(doc, score)| self.hit(doc, score, &matcher))
                .collect(),
            facets,
        }
    }

    /// The articles before and after `id` in the results of a request, if any.
    pub fn neighbours(
        &self,
        query: &Query,
        filters: &Filters,
        sort: Sort,
        id: &str,
    ) -> (Option<&Article>, Option<&Article>) {
        let (kept, _) = self.ordered(query, filters, sort);
        let Some(at) = kept
            .iter()
            .position(|&(d, _)| self.articles[d as usize].id == id)
        else {
            return (None, None);
        };
        let article = |i: usize| kept.get(i).map(|&(d, _)| &self.articles[d as usize]);
        (at.checked_sub(1).and_then(article), article(at + 1))
    }

    /// `text` with the words of `query` marked, for highlighting an opened article. The
    /// query is finished here: its last word is whole, not a prefix.
    pub fn highlight(&self, text: &str, query: &Query) -> Marked {
        let words: Vec<&Word> = query.words().collect();
        mark(text, &Matcher::new(&words, false))
    }

    /// The corpus article whose title is the same as `title` (marks and case aside): a
    /// teaser on a page that points into the corpus.
    pub fn article_titled(&self, title: &str) -> Option<&Article> {
        let wanted = text::fold(title.trim());
        let query = self.query(&format!("{} ", title.trim()));
        let mut cands = self.matches(&query);
        cands.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        cands
            .into_iter()
            .take(3)
            .map(|(d, _)| &self.articles[d as usize])
            .find(|a| text::fold(a.title.trim()) == wanted)
    }

    /// Articles that share the most distinctive words of `id`'s article.
    pub fn more_like_this(&self, id: &str, limit: usize) -> Vec<Hit> {
        let Some(doc) = self.by_id_doc(id) else {
            return Vec::new();
        };
        let article = &self.articles[doc as usize];
        let mut tf: FxHashMap<String, usize> = FxHashMap::default();
        for passage in std::iter::once(&article.title)
            .chain(article.lead.iter())
            .chain(&article.body)
        {
            for tok in text::tokens(passage) {
                *tf.entry(tok.folded).or_default() += 1;
            }
        }
        let mut weighted: Vec<(f32, String)> = tf
            .into_iter()
            .filter_map(|(term, n)| {
                let df = self.folded.get(&term)?.len();
                // A word in nearly every article says nothing about this one.
                (df > 1 && df * 4 < self.articles.len().max(8))
                    .then(|| (n as f32 * self.idf(df), term))
            })
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut scores: FxHashMap<u32, f32> = FxHashMap::default();
        for (_, term) in weighted.iter().take(MORE_LIKE_THIS_TERMS) {
            if let Some(postings) = self.folded.get(term) {
                let idf = self.idf(postings.len());
                for p in postings.iter().filter(|p| p.doc != doc) {
                    *scores.entry(p.doc).or_default() += idf * self.sat(p);
                }
            }
        }
        let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let matcher = Matcher::default();
        ranked
            .into_iter()
            .take(limit)
            .map(|(d, score)| self.hit(d, score, &matcher))
            .collect()
    }

    /// The passage of the article that best shows why it matched.
    fn snippet(&self, doc: u32, m: &Matcher) -> Marked {
        let fields = field_texts(&self.articles[doc as usize]);
        let mut best: Option<(usize, &str)> = None;
        let mut buf = String::new();
        let mut seen = vec![false; m.words];
        for text in fields[LEAD].iter().chain(&fields[BODY]) {
            // Compounds and synonyms need the whole analyzer; plain words a quick fold.
            let hits = if m.spans {
                word_hits(&light(text), m)
            } else {
                quick_hits(text, m, &mut buf)
            };
            seen.iter_mut().for_each(|s| *s = false);
            for h in &hits {
                seen[h.2] = true;
            }
            let distinct = seen.iter().filter(|s| **s).count();
            let together = hits
                .windows(2)
                .filter(|h| h[1].2 == h[0].2 + 1 && h[1].0 == h[0].1)
                .count();
            let score = distinct * 4 + together.min(3);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, text));
            }
        }
        let passage = best.map(|(_, t)| t).or(fields[TITLE].first().copied());
        passage.map(|p| window(p, m)).unwrap_or_default()
    }
}

/// A match of a query word in a text: `(first word, end word, query word number)`.
type Hit3 = (usize, usize, usize);

/// [`word_hits`] for plain words without running the analyzer: each word of the text is
/// folded on the fly into `buf` and looked up. Also gives each hit's byte range.
fn quick_hits_at(text: &str, m: &Matcher, buf: &mut String) -> Vec<(Hit3, (usize, usize))> {
    let mut out = Vec::new();
    let mut n = 0;
    buf.clear();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if text::is_word_char(c) {
            text::push_folded(c, buf);
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            text::unify_i_y(buf);
            if let Some(w) = m.token(buf) {
                out.push(((n, n + 1, w), (s, i)));
            }
            n += 1;
            buf.clear();
        }
    }
    out
}

fn quick_hits(text: &str, m: &Matcher, buf: &mut String) -> Vec<(usize, usize, usize)> {
    quick_hits_at(text, m, buf)
        .into_iter()
        .map(|(h, _)| h)
        .collect()
}

/// Matches of query words in analyzed text: `(first token, end token, word number)`,
/// sorted by position.
fn word_hits(a: &Light, m: &Matcher) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (i, f) in a.folded.iter().enumerate() {
        if let Some(w) = m.token(f) {
            out.push((i, i + 1, w));
        }
    }
    for s in &a.spans {
        if let Some(w) = m.span(&s.key) {
            out.push((s.first, s.last, w));
        }
    }
    out.sort_unstable();
    out
}

/// The analyzer's words and spans without the exact keys, which highlighting never needs:
/// each word is folded character by character.
struct Light {
    ranges: Vec<(usize, usize)>,
    folded: Vec<String>,
    spans: Vec<text::Span>,
    /// `pair[i]`: words `i` and `i + 1` have only spaces between them.
    pair: Vec<bool>,
}

fn light(t: &str) -> Light {
    let ranges = text::word_ranges(t);
    let folded: Vec<String> = ranges
        .iter()
        .map(|&(s, e)| {
            let mut f = String::with_capacity(e - s);
            for c in t[s..e].chars() {
                text::push_folded(c, &mut f);
            }
            text::unify_i_y(&mut f);
            f
        })
        .collect();
    let names: Vec<&str> = folded.iter().map(String::as_str).collect();
    let (spans, pair) = text::spans(t, &ranges, &names);
    Light {
        ranges,
        folded,
        spans,
        pair,
    }
}

/// Marks the words of `text` that match the query.
fn mark(text: &str, m: &Matcher) -> Marked {
    if !m.spans {
        let mut buf = String::new();
        return Marked {
            text: text.to_string(),
            marks: quick_hits_at(text, m, &mut buf)
                .into_iter()
                .map(|(_, r)| r)
                .collect(),
        };
    }
    let a = light(text);
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for (first, last, _) in word_hits(&a, m) {
        let (s, e) = (a.ranges[first].0, a.ranges[last - 1].1);
        match marks.last_mut() {
            Some(m) if s <= m.1 => m.1 = m.1.max(e),
            _ => marks.push((s, e)),
        }
    }
    Marked {
        text: text.to_string(),
        marks,
    }
}

/// A window of about [`SNIPPET_CHARS`] around the first match, cut at spaces, with `…`
/// where text was left out.
fn window(text: &str, m: &Matcher) -> Marked {
    let full = mark(text, m);
    if text.chars().count() <= SNIPPET_CHARS {
        return full;
    }
    let first = full.marks.first().map_or(0, |m| m.0);
    // Start a little before the first match, on a word boundary.
    let lead_in = text[..first]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    let start = if lead_in == 0 {
        0
    } else {
        text[lead_in..first]
            .find(' ')
            .map_or(lead_in, |i| lead_in + i + 1)
    };
    let rest = &text[start..];
    let mut end = rest
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(' ') {
            end = start + space;
        }
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let shift = prefix.len() as isize - start as isize;
    Marked {
        text: format!("{prefix}{}{suffix}", &text[start..end]),
        marks: full
            .marks
            .into_iter()
            .filter(|&(s, e)| s >= start && e <= end)
            .map(|(s, e)| ((s as isize + shift) as usize, (e as isize + shift) as usize))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn index(docs: &[(&str, &str, &str)]) -> Index {
        Index::build(
            docs.iter()
                .map(|(id, title, body)| Article {
                    id: id.to_string(),
                    title: title.to_string(),
                    body: vec![body.to_string()],
                    ..Article::default()
                })
                .collect(),
        )
    }

    fn ids(index: &Index, query: &str) -> Vec<String> {
        index
            .search(&index.query(query), 10)
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn unmarked_query_finds_marked_text() {
        let idx = index(&[
            ("a", "Đường phố", "con đường"),
            ("b", "Khác", "không liên quan"),
        ]);
        assert_eq!(ids(&idx, "duong "), ["a"]);
    }

    #[test]
    fn typed_marks_rank_exact_forms_first() {
        let idx = index(&[
            ("dương", "Dương", "họ Dương"),
            ("đường", "Đường", "con đường"),
        ]);
        assert_eq!(ids(&idx, "đường ")[0], "đường");
        assert_eq!(ids(&idx, "dương ")[0], "dương");
        assert_eq!(ids(&idx, "duong ").len(), 2);
    }

    #[test]
    fn every_word_must_match_when_some_article_has_them_all() {
        let idx = index(&[("a", "cách ly", "tập trung"), ("b", "cách", "khác")]);
        let r = idx.search(&idx.query("cach ly "), 10);
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].id, "a");
        // No article has "ly" and "zzz": the best partial matches are shown.
        assert_eq!(ids(&idx, "ly zzz "), ["a"]);
    }

    #[test]
    fn adjacent_words_outrank_scattered_ones() {
        let idx = index(&[
            ("scattered", "tin", "thanh niên đến trì hoãn"),
            ("adjacent", "tin", "huyện thanh trì hôm nay"),
        ]);
        assert_eq!(ids(&idx, "thanh tri ")[0], "adjacent");
    }

    #[test]
    fn the_word_being_typed_matches_as_a_prefix() {
        let idx = index(&[("a", "Thanh Trì", "x"), ("b", "Thanh Oai", "y")]);
        assert_eq!(ids(&idx, "thanh tr"), ["a"]);
        // A finished word is whole: no article has "tr", so both fall back to "thanh".
        assert_eq!(idx.search(&idx.query("thanh tr "), 10).total, 2);
    }

    #[test]
    fn snippets_mark_matches_on_the_accented_text() {
        let idx = index(&[("a", "Tin", "Huyện Thanh Trì phát động phong trào")]);
        let hit = &idx.search(&idx.query("thanh tri "), 1).hits[0];
        let marked: Vec<&str> = hit
            .snippet
            .segments()
            .into_iter()
            .filter(|s| s.1)
            .map(|s| s.0)
            .collect();
        assert_eq!(marked, ["Thanh", "Trì"]);
    }

    #[test]
    fn long_passages_are_windowed_around_the_match() {
        let filler = "lời mở đầu ".repeat(40);
        let body = format!("{filler}huyện Thanh Trì {filler}");
        let idx = index(&[("a", "Tin", &body)]);
        let snip = &idx.search(&idx.query("thanh tri "), 1).hits[0].snippet;
        assert!(snip.text.starts_with('…') && snip.text.ends_with('…'));
        assert!(snip.text.chars().count() <= SNIPPET_CHARS + 2);
        let marked: Vec<&str> = snip
            .segments()
            .into_iter()
            .filter(|s| s.1)
            .map(|s| s.0)
            .collect();
        assert_eq!(marked, ["Thanh", "Trì"]);
    }

    #[test]
    fn bad_mark_ranges_are_skipped_not_fatal() {
        let m = Marked {
            text: "Trì ơi".into(),
            marks: vec![(3, 4), (0, 4), (2, 1), (5, 99)],
        };
        assert_eq!(m.segments(), [("Trì", true), (" ơi", false)]);
    }

    #[test]
    fn empty_and_symbol_queries_find_nothing_without_panicking() {
        let idx = index(&[("a", "Tin", "x")]);
        for q in ["", "   ", "!!!", "\u{301}", "\"", "-"] {
            assert_eq!(idx.search(&idx.query(q), 10).total, 0, "{q:?}");
        }
    }

    fn marked(m: &Marked) -> Vec<&str> {
        m.segments()
            .into_iter()
            .filter(|s| s.1)
            .map(|s| s.0)
            .collect()
    }

    #[test]
    fn either_tone_placement_finds_both_and_ranks_typed_marks() {
        let idx = index(&[
            ("old", "Khánh Hòa", "tin"),
            ("new", "Khánh Hoà", "tin"),
            ("other", "Khánh Hóa", "tin"),
        ]);
        let r = ids(&idx, "hoà ");
        assert_eq!(r.len(), 3, "every form of hoa matches");
        let mut top: Vec<String> = r[..2].to_vec();
        top.sort();
        assert_eq!(top, ["new", "old"]);
    }

    #[test]
    fn telex_typed_with_the_ime_off_is_read() {
        let idx = index(&[
            ("a", "Huyện Thanh Trì", "con đường mới"),
            ("b", "Hà Nội", "tin khác"),
        ]);
        assert_eq!(ids(&idx, "thanh tris ")[0], "a");
        assert_eq!(ids(&idx, "haf nooij ")[0], "b");
        let hit = &idx.search(&idx.query("dduwowngf "), 1).hits[0];
        assert_eq!(hit.id, "a");
        assert_eq!(marked(&hit.snippet), ["đường"]);
    }

    #[test]
    fn one_letter_typos_are_forgiven_but_rank_below_exact() {
        let idx = index(&[
            ("a", "Phong trào thi đua", "nội dung"),
            ("b", "Phong trào", "thi đau"),
        ]);
        // `truong` is not in the corpus; `trao` is two edits away, so no match...
        assert!(ids(&idx, "phong truong ").len() <= 2);
        // ...but a dropped, swapped or wrong letter is one edit.
        for q in ["phong tao ", "phong traoo ", "phong taro ", "phogn trao "] {
            let r = ids(&idx, q);
            assert!(!r.is_empty(), "{q}");
        }
        let hit = &idx.search(&idx.query("phogn trao"), 1).hits[0];
        assert_eq!(marked(&hit.title), ["Phong", "trào"]);
        // The exact word outranks the corrected one.
        assert_eq!(ids(&idx, "thi dau ")[0], "b");
    }

    #[test]
    fn press_abbreviations_match_their_phrases() {
        let idx = index(&[
            ("a", "Tin TP.HCM", "x"),
            ("b", "Thành phố Hồ Chí Minh mưa", "x"),
            ("c", "TPHCM nắng", "x"),
            ("d", "Chủ tịch Hồ Chí Minh", "x"),
            ("e", "UBND huyện", "Ủy ban nhân dân"),
        ]);
        for q in [
            "tphcm ",
            "TP HCM ",
            "thanh pho ho chi minh ",
            "HCMC ",
            "TP. Hồ Chí Minh ",
        ] {
            let mut r = ids(&idx, q);
            r.sort();
            assert_eq!(r, ["a", "b", "c"], "{q}");
        }
        let hit = &idx.search(&idx.query("tphcm "), 10).hits;
        let b = hit.iter().find(|h| h.id == "b").unwrap();
        assert_eq!(marked(&b.title), ["Thành phố Hồ Chí Minh"]);
        assert_eq!(ids(&idx, "uy ban nhan dan "), ["e"]);
    }

    #[test]
    fn compounds_survive_and_their_parts_still_match() {
        let idx = index(&[
            ("a", "Covid-19 ngày 24/8", "giá 1.416 đồng"),
            ("b", "ngày 24 tháng 8", "x"),
        ]);
        assert_eq!(ids(&idx, "24/8 "), ["a"]);
        assert_eq!(ids(&idx, "1.416 "), ["a"]);
        assert_eq!(ids(&idx, "covid "), ["a"]);
        assert_eq!(ids(&idx, "Covid-19 "), ["a"]);
    }

    #[test]
    fn quoted_phrases_exclusions_and_or() {
        let idx = index(&[
            ("a", "Tin", "phát động phong trào thi đua"),
            ("b", "Tin", "phong trào phát động thi đua"),
            ("c", "Tin", "phong trào bóng đá"),
        ]);
        assert_eq!(ids(&idx, "\"phat dong phong trao\""), ["a"]);
        // Every pair of the phrase, but never all in a row: not the phrase.
        let scattered = index(&[("s", "Tin", "phát động xong thì động phong rồi phong trào")]);
        assert!(ids(&scattered, "\"phat dong phong trao\"").is_empty());
        assert_eq!(ids(&scattered, "\"dong phong\""), ["s"]);
        let mut r = ids(&idx, "phong trao -bong ");
        r.sort();
        assert_eq!(r, ["a", "b"]);
        let mut r = ids(&idx, "bong OR dua ");
        r.sort();
        assert_eq!(r, ["a", "b", "c"]);
        // `bong` is one edit from `dong`: a and b match too, but below the exact word.
        assert_eq!(ids(&idx, "phong trao bong ")[0], "c");
    }

    #[test]
    fn char_marks_count_characters_not_bytes() {
        let m = Marked {
            text: "Huyện Thanh Trì".into(),
            marks: vec![(0, 7), (14, 18)],
        };
        assert_eq!(m.char_marks(), [(0, 5), (12, 15)]);
        let idx = index(&[("a", "Đường Trì", "x")]);
        let hit = &idx.search(&idx.query("tri "), 1).hits[0];
        assert_eq!(hit.title.char_marks(), [(6, 9)]);
    }
}

#[cfg(test)]
mod query_tests {
    use super::*;
    use crate::article::Article;

    fn index(titles: &[&str]) -> Index {
        Index::build(
            titles
                .iter()
                .enumerate()
                .map(|(i, title)| Article {
                    id: format!("a{i}"),
                    title: title.to_string(),
                    body: vec!["tin".to_string()],
                    ..Article::default()
                })
                .collect(),
        )
    }

    fn kinds_of(query: &Query, term: &str) -> Vec<ExpansionKind> {
        query
            .expansions()
            .filter(|e| e.term == term)
            .map(|e| e.kind)
            .collect()
    }

    #[test]
    fn every_expansion_names_its_kind() {
        let idx = index(&["Phong trào thi đua", "Thanh Trì", "TP.HCM mưa", "Đường mới"]);
        let q = idx.query("phogn tris dduwowngf TP HCM tha");
        assert_eq!(kinds_of(&q, "phogn"), [ExpansionKind::Typed]);
        assert_eq!(kinds_of(&q, "phong"), [ExpansionKind::Typo]);
        assert_eq!(kinds_of(&q, "tri"), [ExpansionKind::Telex]);
        assert_eq!(kinds_of(&q, "duong"), [ExpansionKind::Telex]);
        assert_eq!(kinds_of(&q, "#tphcm"), [ExpansionKind::Synonym]);
        assert_eq!(kinds_of(&q, "thanh"), [ExpansionKind::Prefix]);
        // Typos and prefixes are other words: they weigh less than the word typed.
        for e in q.expansions() {
            assert_eq!(e.weight < 1.0, e.kind.is_other_word(), "{e:?}");
        }
    }

    #[test]
    fn one_prepared_query_serves_results_and_an_opened_article() {
        let idx = index(&["Hà Nội nói", "Thanh Trì"]);
        let q = idx.query("ha no");
        // While typing, `no` begins `noi`, so the article with both words is found...
        assert_eq!(idx.search(&q, 10).hits[0].id, "a0");
        let marked = idx.highlight("Hà Nội nói", &q);
        // ...but in the opened article the last word is whole.
        assert_eq!(marked.marks, [(0, 3)]);
    }

    #[test]
    fn long_queries_are_trimmed_and_answered() {
        let idx = index(&["Thanh Trì", "Hà Nội"]);
        assert!(!idx.query("thanh tri").trimmed());

        let word = "a".repeat(10_000);
        let q = idx.query(&word);
        assert!(q.trimmed());
        assert!(q
            .expansions()
            .all(|e| e.term.chars().count() <= MAX_QUERY_CHARS));
        assert_eq!(idx.search(&q, 10).total, 0);

        // A link `#/a/<id>?q=aaaa…`: still answered, the words before it still count.
        let q = idx.query(&format!("thanh {}", "a".repeat(3_000)));
        assert!(q.trimmed());
        assert_eq!(idx.search(&q, 10).hits[0].id, "a0");
        assert_eq!(idx.highlight("Thanh Trì", &q).marks, [(0, 5)]);
    }

    #[test]
    fn words_past_the_cap_are_dropped() {
        let idx = index(&["Thanh Trì", "Hà Nội"]);
        let filler = "tin ".repeat(MAX_QUERY_WORDS);
        let q = idx.query(&format!("{filler}thanh"));
        assert!(q.trimmed());
        assert!(q.expansions().all(|e| e.term != "thanh"));
        let exactly = idx.query(filler.trim_end());
        assert!(!exactly.trimmed());
    }

    #[test]
    fn typos_are_corrected_only_in_words_of_sane_length() {
        let twenty = "abcdefghijklmnopqrst";
        let twenty_one = "abcdefghijklmnopqrstu";
        let idx = index(&[twenty, twenty_one]);
        let typos = |q: &str| {
            idx.query(q)
                .expansions()
                .filter(|e| e.kind == ExpansionKind::Typo)
                .count()
        };
        assert!(typos("abcdefghijklmnopqrsx ") > 0);
        assert_eq!(typos("abcdefghijklmnopqrstx "), 0);
    }
}
