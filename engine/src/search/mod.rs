//! Queries against an [`Index`]: parsing, BM25F scoring, and highlighted snippets.

use std::collections::HashMap;

use crate::article::Article;
use crate::facets::{self, Facets, Filters, Sort};
use crate::index::{adjacent_pairs, pair_key, Index, Posting, BODY, FIELD_COUNT, LEAD, TITLE};
use crate::text::{self, Token};

/// Field weights for BM25F: a word in the title counts more than one in the lead, which
/// counts more than one in the body.
const FIELD_WEIGHT: [f32; FIELD_COUNT] = [4.0, 2.0, 1.0];
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Share of a term's score added again when the exact marked form the user typed matches.
const EXACT_BONUS: f32 = 0.5;
/// Weight of an adjacent pair of query words found next to each other in the text.
const PAIR_WEIGHT: f32 = 1.0;
/// A prefix expansion of the word being typed counts a little less than a whole word.
const PREFIX_DISCOUNT: f32 = 0.8;
/// Expansions of the word being typed that are scored, the most frequent first.
const MAX_PREFIX_TERMS: usize = 64;
/// Distinctive words of an article used to find others like it.
const MORE_LIKE_THIS_TERMS: usize = 12;
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

/// One word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QueryTerm {
    folded: String,
    /// The marked form, when the user typed marks: it then ranks exact matches first.
    exact: Option<String>,
    /// The word still being typed: matched as a prefix.
    prefix: bool,
}

impl QueryTerm {
    fn matches(&self, tok: &Token) -> bool {
        if self.prefix {
            tok.folded.starts_with(&self.folded)
        } else {
            tok.folded == self.folded
        }
    }
}

fn parse(query: &str) -> Vec<QueryTerm> {
    let query = text::clean(query);
    // A lone combining mark folds to nothing: it is no word.
    let toks: Vec<Token> = text::tokens(&query)
        .into_iter()
        .filter(|t| !t.folded.is_empty())
        .collect();
    let still_typing = toks.last().is_some_and(|t| t.end == query.len());
    let n = toks.len();
    toks.into_iter()
        .enumerate()
        .map(|(i, t)| QueryTerm {
            exact: (t.exact != t.folded).then_some(t.exact),
            folded: t.folded,
            prefix: still_typing && i + 1 == n,
        })
        .collect()
}

impl Index {
    fn idf(&self, df: usize) -> f32 {
        let n = self.articles.len() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// BM25F saturation of one posting, before idf.
    fn tf_score(&self, p: &Posting) -> f32 {
        let lens = &self.field_lens[p.doc as usize];
        let mut tf = 0.0;
        for f in 0..FIELD_COUNT {
            if p.tf[f] > 0 {
                let norm = 1.0 - B + B * lens[f] as f32 / self.avg_field_len[f].max(1.0);
                tf += FIELD_WEIGHT[f] * p.tf[f] as f32 / norm;
            }
        }
        tf / (K1 + tf)
    }

    fn score_postings(&self, postings: &[Posting], weight: f32, into: &mut HashMap<u32, f32>) {
        let idf = self.idf(postings.len()) * weight;
        for p in postings {
            let s = idf * self.tf_score(p);
            let best = into.entry(p.doc).or_insert(0.0);
            *best = best.max(s);
        }
    }

    /// Per-doc score of one query word (the best of its expansions when still typed).
    fn term_scores(&self, term: &QueryTerm) -> HashMap<u32, f32> {
        let mut scores = HashMap::new();
        if let Some(p) = self.folded.get(&term.folded) {
            self.score_postings(p, 1.0, &mut scores);
        }
        if term.prefix {
            let mut expansions: Vec<&[Posting]> = self
                .folded
                .with_prefix(&term.folded)
                .filter(|(t, _)| *t != term.folded)
                .map(|(_, p)| p)
                .collect();
            // The most frequent expansions are the likeliest words being typed.
            expansions.sort_by_key(|p| std::cmp::Reverse(p.len()));
            for p in expansions.into_iter().take(MAX_PREFIX_TERMS) {
                self.score_postings(p, PREFIX_DISCOUNT, &mut scores);
            }
        }
        if let Some(p) = term.exact.as_deref().and_then(|e| self.exact.get(e)) {
            let idf = self.idf(p.len()) * EXACT_BONUS;
            for p in p {
                if let Some(s) = scores.get_mut(&p.doc) {
                    *s += idf * self.tf_score(p);
                }
            }
        }
        scores
    }

    /// Every article matching the query, best first, with its score.
    ///
    /// Every word must match; when no article has them all, articles with the most of
    /// them come first. Words next to each other in the query score again when they are
    /// next to each other in the text. The last word, when the query does not end in a
    /// space, also matches as a prefix.
    fn rank(&self, terms: &[QueryTerm]) -> Vec<(u32, f32)> {
        let per_term: Vec<HashMap<u32, f32>> = terms.iter().map(|t| self.term_scores(t)).collect();

        let mut scores: HashMap<u32, (f32, usize)> = HashMap::new();
        for term_scores in &per_term {
            for (&doc, &s) in term_scores {
                let e = scores.entry(doc).or_insert((0.0, 0));
                e.0 += s;
                e.1 += 1;
            }
        }
        for pair in terms.windows(2).filter(|w| !w[1].prefix) {
            if let Some(p) = self.pairs.get(&pair_key(&pair[0].folded, &pair[1].folded)) {
                let idf = self.idf(p.len()) * PAIR_WEIGHT;
                for p in p {
                    if let Some(e) = scores.get_mut(&p.doc) {
                        e.0 += idf * self.tf_score(p);
                    }
                }
            }
        }

        let most = scores.values().map(|&(_, n)| n).max().unwrap_or(0);
        let mut ranked: Vec<(u32, f32)> = scores
            .into_iter()
            .filter(|&(_, (_, n))| n == most)
            .map(|(doc, (s, _))| (doc, s))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }

    fn hit(&self, doc: u32, score: f32, terms: &[QueryTerm]) -> Hit {
        let article = &self.articles[doc as usize];
        Hit {
            doc,
            id: article.id.clone(),
            score,
            title: mark(&article.title, terms),
            snippet: self.snippet(doc, terms),
        }
    }

    /// Ranked articles for a query, best first, at most `limit` of them.
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let terms = parse(query);
        if terms.is_empty() {
            return SearchResults::default();
        }
        let ranked = self.rank(&terms);
        SearchResults {
            total: ranked.len(),
            hits: ranked
                .into_iter()
                .take(limit)
                .map(|(doc, score)| self.hit(doc, score, &terms))
                .collect(),
        }
    }

    /// Matching articles (all of them for an empty query), narrowed by `filters`, in
    /// `sort` order, with the facet counts of the query.
    fn ordered(
        &self,
        terms: &[QueryTerm],
        filters: &Filters,
        sort: Sort,
    ) -> (Vec<(u32, f32)>, Facets) {
        let matched: Vec<(u32, f32)> = if terms.is_empty() {
            (0..self.articles.len() as u32).map(|d| (d, 0.0)).collect()
        } else {
            self.rank(terms)
        };
        let docs: Vec<u32> = matched.iter().map(|&(d, _)| d).collect();
        let facets = facets::facets(&self.articles, &docs, filters);
        let mut kept: Vec<(u32, f32)> = matched
            .into_iter()
            .filter(|&(d, _)| filters.accepts(&self.articles[d as usize]))
            .collect();
        let date = |d: u32| self.articles[d as usize].date.as_deref();
        match sort {
            Sort::Relevance => {}
            // Undated articles go last either way; ties keep their relevance order.
            Sort::Newest => kept.sort_by(|a, b| match (date(a.0), date(b.0)) {
                (Some(x), Some(y)) => y.cmp(x),
                (x, y) => y.is_some().cmp(&x.is_some()),
            }),
            Sort::Oldest => kept.sort_by(|a, b| match (date(a.0), date(b.0)) {
                (Some(x), Some(y)) => x.cmp(y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            }),
        }
        (kept, facets)
    }

    /// One page of results for a reader's request: query, filters, order, window.
    pub fn find(
        &self,
        query: &str,
        filters: &Filters,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Page {
        let terms = parse(query);
        let (kept, facets) = self.ordered(&terms, filters, sort);
        Page {
            total: kept.len(),
            hits: kept
                .iter()
                .skip(offset)
                .take(limit)
                .map(|&(doc, score)| self.hit(doc, score, &terms))
                .collect(),
            facets,
        }
    }

    /// The articles before and after `id` in the results of a request, if any.
    pub fn neighbours(
        &self,
        query: &str,
        filters: &Filters,
        sort: Sort,
        id: &str,
    ) -> (Option<&Article>, Option<&Article>) {
        let (kept, _) = self.ordered(&parse(query), filters, sort);
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
    pub fn highlight(&self, text: &str, query: &str) -> Marked {
        let mut terms = parse(query);
        terms.iter_mut().for_each(|t| t.prefix = false);
        mark(text, &terms)
    }

    /// The corpus article whose title is the same as `title` (marks and case aside): a
    /// teaser on a page that points into the corpus.
    pub fn article_titled(&self, title: &str) -> Option<&Article> {
        let wanted = text::fold(title.trim());
        let exact_title = title.trim().to_string() + " ";
        self.search(&exact_title, 3)
            .hits
            .into_iter()
            .map(|h| &self.articles[h.doc as usize])
            .find(|a| text::fold(a.title.trim()) == wanted)
    }

    /// Articles that share the most distinctive words of `id`'s article.
    pub fn more_like_this(&self, id: &str, limit: usize) -> Vec<Hit> {
        let Some(doc) = self.by_id_doc(id) else {
            return Vec::new();
        };
        let article = &self.articles[doc as usize];
        let mut tf: HashMap<String, usize> = HashMap::new();
        for text in std::iter::once(&article.title)
            .chain(article.lead.iter())
            .chain(&article.body)
        {
            for tok in text::tokens(text) {
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
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for (_, term) in weighted.iter().take(MORE_LIKE_THIS_TERMS) {
            if let Some(postings) = self.folded.get(term) {
                let idf = self.idf(postings.len());
                for p in postings.iter().filter(|p| p.doc != doc) {
                    *scores.entry(p.doc).or_default() += idf * self.tf_score(p);
                }
            }
        }
        let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(limit)
            .map(|(d, score)| self.hit(d, score, &[]))
            .collect()
    }

    /// Articles with no query, in corpus order: what a reader sees before typing.
    pub fn browse(&self, limit: usize) -> Vec<Hit> {
        self.articles
            .iter()
            .enumerate()
            .take(limit)
            .map(|(doc, article)| Hit {
                doc: doc as u32,
                id: article.id.clone(),
                score: 0.0,
                title: mark(&article.title, &[]),
                snippet: self.snippet(doc as u32, &[]),
            })
            .collect()
    }

    /// The passage of the article that best shows why it matched.
    fn snippet(&self, doc: u32, terms: &[QueryTerm]) -> Marked {
        let fields = crate::index::field_texts(&self.articles[doc as usize]);
        let mut best: Option<(usize, &str)> = None;
        for text in fields[LEAD].iter().chain(&fields[BODY]) {
            let toks = text::tokens(text);
            let distinct = terms
                .iter()
                .filter(|t| toks.iter().any(|tok| t.matches(tok)))
                .count();
            let together = adjacent_pairs(text, &toks)
                .filter(|(a, b)| terms.windows(2).any(|w| w[0].matches(a) && w[1].matches(b)))
                .count();
            let score = distinct * 4 + together.min(3);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, text));
            }
        }
        let passage = best.map(|(_, t)| t).or(fields[TITLE].first().copied());
        passage.map(|p| window(p, terms)).unwrap_or_default()
    }
}

/// Marks the words of `text` that match the query.
fn mark(text: &str, terms: &[QueryTerm]) -> Marked {
    let marks = text::tokens(text)
        .iter()
        .filter(|tok| terms.iter().any(|t| t.matches(tok)))
        .map(|tok| (tok.start, tok.end))
        .collect();
    Marked {
        text: text.to_string(),
        marks,
    }
}

/// A window of about [`SNIPPET_CHARS`] around the first match, cut at spaces, with `…`
/// where text was left out.
fn window(text: &str, terms: &[QueryTerm]) -> Marked {
    let full = mark(text, terms);
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
            .search(query, 10)
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
        let r = idx.search("cach ly ", 10);
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
        assert_eq!(idx.search("thanh tr ", 10).total, 2);
    }

    #[test]
    fn snippets_mark_matches_on_the_accented_text() {
        let idx = index(&[("a", "Tin", "Huyện Thanh Trì phát động phong trào")]);
        let hit = &idx.search("thanh tri ", 1).hits[0];
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
        let snip = &idx.search("thanh tri ", 1).hits[0].snippet;
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
    fn browsing_lists_articles_with_their_opening_passage() {
        let idx = index(&[("a", "Một", "đoạn đầu"), ("b", "Hai", "đoạn hai")]);
        let hits = idx.browse(1);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "a");
        assert_eq!(hits[0].snippet.text, "đoạn đầu");
        assert!(hits[0].snippet.marks.is_empty());
    }

    #[test]
    fn empty_and_symbol_queries_find_nothing_without_panicking() {
        let idx = index(&[("a", "Tin", "x")]);
        for q in ["", "   ", "!!!", "\u{301}", "\"", "-"] {
            assert_eq!(idx.search(q, 10).total, 0, "{q:?}");
        }
    }
}
