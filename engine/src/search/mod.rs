//! Queries against an [`Index`]: parsing, BM25F scoring, tolerance, and highlighted
//! snippets.
//!
//! A query is analyzed by the same analyzer as the articles ([`text::analyze`]). Each
//! word becomes a *clause* that every result must match (`a OR b` makes one clause of
//! two words or phrases); `-word` and `-"phrase"` exclude (alone, from the whole archive);
//! `"quoted words"` must appear next to each other. A word
//! matches through several keys: its folded form, its Telex reading when typed with the
//! input method off (`dduwowngf` → `đường`), the canonical key of a press abbreviation
//! (`TP HCM` → `#tphcm`), words one edit away in the dictionary (typos, scored lower), and
//! while typing, the words it begins. Marks the user typed (or Telex implies) rank the
//! exactly marked forms first.
//!
//! Scoring is BM25F over title, lead and body, plus a bonus for query words found next to
//! each other. Matching is document-at-a-time over sorted postings: the rarest clause
//! gives the candidates, every other clause is looked up for those candidates only
//! (galloping when its postings are long), so common words cost little; while the
//! candidates are many, they are narrowed as a score per article instead.

mod expand;
pub(crate) mod expansion_cache;
mod highlight;
mod parse;
pub(crate) mod postings;
pub(crate) mod scoring;
pub(crate) mod shard_terms;

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

pub(crate) use highlight::unmarked_snippet_source;
pub use highlight::Marked;
pub use parse::{Expansion, ExpansionKind, Query, MAX_QUERY_CHARS, MAX_QUERY_WORDS};
pub use shard_terms::LookupReason;

use crate::article::Article;
use crate::facets::{Facets, Filters, Sort};
use crate::index::Index;
use crate::order::first_in_order;
use crate::text;
use highlight::{mark, KeyPostings, Matcher};
use parse::{parse, Word};

/// Distinctive words of an article used to find others like it.
const MORE_LIKE_THIS_TERMS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub id: String,
    pub score: f32,
    pub title: Marked,
    pub snippet: Marked,
}

/// What a reader asks for beside the query, which [`Index::query`] prepares apart: which
/// articles (filters), in which order, and which window of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub filters: Filters,
    pub sort: Sort,
    /// Results skipped before the page.
    pub offset: usize,
    /// Results on the page, at most.
    pub limit: usize,
    /// Whether the page's facets are counted; without, [`Page::facets`] is empty and the
    /// hits, their order and the total are the same (a page typed over, whose counts
    /// nobody sees until typing pauses, skips them).
    pub count_facets: bool,
    /// The query is still being typed (the page answers a keystroke, and asks again with
    /// `false` once typing pauses): its words are prepared by [`Index::query_as`]'s typing
    /// rules, which leave out the lookups a sharded reader would fetch for a keystroke's
    /// answer that the next keystroke replaces anyway.
    pub typing: bool,
}

/// Results on a page when a [`Request`] does not say: the reader's page of results too.
pub const DEFAULT_LIMIT: usize = 20;

impl Default for Request {
    /// Every article the query matches, best first, the first [`DEFAULT_LIMIT`] of them.
    fn default() -> Request {
        Request {
            filters: Filters::default(),
            sort: Sort::default(),
            offset: 0,
            limit: DEFAULT_LIMIT,
            count_facets: true,
            typing: false,
        }
    }
}

impl Request {
    /// The reader's first page without a query: the newest articles, a page of
    /// [`DEFAULT_LIMIT`], facets counted. The build reads ahead what it shows (the sharded
    /// layout's first-page preloads), so the app asks for exactly this.
    pub fn newest_first_page() -> Request {
        Request {
            sort: Sort::Newest,
            ..Request::default()
        }
    }
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

impl Index {
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
        crate::order::by_score_then_doc(&mut cands);
        cands.truncate(limit);

        let words: Vec<&Word> = query.words().collect();
        let matcher = Matcher::new(&words, true);
        let postings = KeyPostings::new(&matcher);
        let hits = cands
            .into_iter()
            .map(|(doc, score)| self.hit(doc, score, &matcher, &postings))
            .collect();
        SearchResults { total, hits }
    }

    /// `text` parsed and analyzed, cut to [`MAX_QUERY_CHARS`] and [`MAX_QUERY_WORDS`], with
    /// its Telex readings, synonyms, typo corrections and prefix expansions looked up in
    /// this index: prepare it once per query string and reuse it.
    pub fn query(&self, text: &str) -> Query {
        self.query_as(text, false)
    }

    /// [`Index::query`], or if `typing` ([`Request::typing`]) the query as a keystroke
    /// answers it while the next may follow at once: the word being typed gets no typo
    /// corrections unless the dictionary holds nothing it begins (its prefix expansion
    /// covers the letters not typed yet), and no word's corrections are vouched for by its
    /// neighbours (a known word is not corrected, an unknown one by frequency alone): the
    /// candidates' pairs with each new neighbour were most of what a new word fetched.
    /// The pause prepares it again without these rules.
    pub fn query_as(&self, text: &str, typing: bool) -> Query {
        let mut query = parse(text);
        self.resolve(&mut query, typing);
        query
    }

    /// Forgets the query words' expansions kept from earlier queries (answers never
    /// depend on them): a bench calls it to time queries as typed for the first time.
    pub fn forget_kept_expansions(&self) {
        self.expansions.clear();
    }

    fn hit<'i>(
        &'i self,
        doc: u32,
        score: f32,
        matcher: &Matcher,
        postings: &KeyPostings<'i>,
    ) -> Hit {
        let article = &self.articles[doc as usize];
        let matcher = self.matcher_for(matcher, doc, postings);
        Hit {
            doc,
            id: article.id.clone(),
            score,
            title: mark(&article.title, &matcher),
            snippet: self.snippet(doc, &matcher),
        }
    }

    /// Matching articles (all of them for an empty query) narrowed by `filters`, in no
    /// particular order, with the facet counts of the query if `count` (else none).
    fn narrowed(&self, query: &Query, filters: &Filters, count: bool) -> (Vec<(u32, f32)>, Facets) {
        let matched: Vec<(u32, f32)> = if query.clauses.is_empty() {
            self.without_excluded(self.every_article(), query)
        } else {
            self.matches(query)
        };
        self.catalog.narrow(matched, filters, count)
    }

    /// The order of results under `sort`, a total order: by date first if asked (undated
    /// last), then best score first, then by doc (newest first: the last first, since docs
    /// are numbered in date order, so that the newest page is one run of adjacent docs).
    fn result_order(&self, sort: Sort) -> impl Fn(&(u32, f32), &(u32, f32)) -> Ordering + '_ {
        move |a, b| {
            let by_doc = if sort == Sort::Newest {
                b.0.cmp(&a.0)
            } else {
                a.0.cmp(&b.0)
            };
            let by_date = match sort {
                Sort::Relevance => Ordering::Equal,
                Sort::Newest | Sort::Oldest => {
                    let newest = sort == Sort::Newest;
                    let rank = |doc| self.catalog.date_rank(doc, newest);
                    rank(a.0).cmp(&rank(b.0))
                }
            };
            by_date.then(b.1.total_cmp(&a.1)).then(by_doc)
        }
    }

    /// One page of results: the articles of `query` narrowed by the request's filters, in
    /// its order, from `offset`, at most `limit` of them, with the facet counts.
    pub fn find(&self, query: &Query, request: &Request) -> Page {
        let (mut kept, facets) = self.narrowed(query, &request.filters, request.count_facets);
        let total = kept.len();
        // Only the results up to the page's end are put in order: a common word matches
        // most of the archive, and sorting all of it would be most of a keystroke.
        let order = self.result_order(request.sort);
        let end = request.offset.saturating_add(request.limit).min(total);
        if request.sort == Sort::Newest && end < total {
            // Matches come in doc order and newest first takes the last docs first:
            // offered last first, most are passed over with one comparison.
            kept.reverse();
        }
        // By relevance, a lower score comes after whatever the doc (`partial_cmp`'s `<`
        // never holds where `total_cmp` says otherwise).
        let relevance = request.sort == Sort::Relevance;
        let kept = first_in_order(kept, end, &order, |x, last| relevance && x.1 < last.1);
        let words: Vec<&Word> = query.words().collect();
        let matcher = Matcher::new(&words, true);
        let postings = KeyPostings::new(&matcher);
        Page {
            total,
            hits: kept
                .iter()
                .skip(request.offset)
                .map(|&(doc, score)| self.hit(doc, score, &matcher, &postings))
                .collect(),
            facets,
        }
    }

    /// The articles before and after `id` in the results of `query` with the request's
    /// filters and order (its window aside), if any.
    pub fn neighbours(
        &self,
        query: &Query,
        request: &Request,
        id: &str,
    ) -> (Option<&Article>, Option<&Article>) {
        let Some(doc) = self.by_id_doc(id) else {
            return (None, None);
        };
        let (p, n) = self.neighbour_docs(query, request, doc);
        let article = |d: Option<u32>| d.map(|d| &self.articles[d as usize]);
        (article(p), article(n))
    }

    /// [`Index::neighbours`] by doc: a sharded reader knows a doc from its id range
    /// before every result's article (and so its id) is in.
    pub(crate) fn neighbour_docs(
        &self,
        query: &Query,
        request: &Request,
        doc: u32,
    ) -> (Option<u32>, Option<u32>) {
        let (kept, _) = self.narrowed(query, &request.filters, false);
        let Some(&at) = kept.iter().find(|&&(d, _)| d == doc) else {
            return (None, None);
        };
        // The nearest result on either side, without sorting them all.
        let order = self.result_order(request.sort);
        let mut previous: Option<(u32, f32)> = None;
        let mut next: Option<(u32, f32)> = None;
        for &r in &kept {
            match order(&r, &at) {
                Ordering::Less if previous.is_none_or(|p| order(&r, &p).is_gt()) => {
                    previous = Some(r)
                }
                Ordering::Greater if next.is_none_or(|n| order(&r, &n).is_lt()) => next = Some(r),
                _ => {}
            }
        }
        (previous.map(|r| r.0), next.map(|r| r.0))
    }

    /// `text` with the words of `query` marked, for highlighting an opened article. The
    /// query is finished here: its last word is whole, not a prefix.
    /// Typo corrections are not marked: which ones matched depends on the article
    /// ([`Index::highlight_article`] marks them).
    pub fn highlight(&self, text: &str, query: &Query) -> Marked {
        let words: Vec<&Word> = query.words().collect();
        mark(text, &Matcher::new(&words, false))
    }

    /// [`Index::highlight`] for a passage of the article `id`, with the typo corrections
    /// that matched that article, as its search result marks them.
    pub fn highlight_article(&self, id: &str, text: &str, query: &Query) -> Marked {
        let words: Vec<&Word> = query.words().collect();
        let matcher = Matcher::new(&words, false);
        match self.by_id_doc(id) {
            Some(doc) => {
                let postings = KeyPostings::new(&matcher);
                mark(text, &self.matcher_for(&matcher, doc, &postings))
            }
            None => mark(text, &matcher),
        }
    }

    /// The corpus article whose title is the same as `title` (marks and case aside): a
    /// teaser on a page that points into the corpus.
    pub fn article_titled(&self, title: &str) -> Option<&Article> {
        let wanted = text::fold(title.trim());
        self.title_candidates(&self.title_query(title))
            .into_iter()
            .map(|d| &self.articles[d as usize])
            .find(|a| text::fold(a.title.trim()) == wanted)
    }

    /// The search [`Index::article_titled`] makes for `title`: its words, all whole.
    pub(crate) fn title_query(&self, title: &str) -> Query {
        self.query(&format!("{} ", title.trim()))
    }

    /// The articles [`Index::article_titled`] compares with a title: the best three of
    /// its [`Index::title_query`].
    pub(crate) fn title_candidates(&self, query: &Query) -> Vec<u32> {
        let mut cands = self.matches(query);
        crate::order::by_score_then_doc(&mut cands);
        cands.into_iter().take(3).map(|(d, _)| d).collect()
    }

    /// Articles that share the most distinctive words of `id`'s article.
    pub fn more_like_this(&self, id: &str, limit: usize) -> Vec<Hit> {
        let Some(doc) = self.by_id_doc(id) else {
            return Vec::new();
        };
        self.more_like(doc, &self.distinctive_terms(doc), limit)
    }

    /// The folded words [`Index::more_like_this`] looks for, most distinctive first: the
    /// sharded layout stores them with each article, so a reader looks up these few
    /// words rather than every word of the article.
    pub fn distinctive_terms(&self, doc: u32) -> Vec<String> {
        let Some(article) = self.articles.get(doc as usize) else {
            return Vec::new();
        };
        let mut tf: FxHashMap<String, usize> = FxHashMap::default();
        for passage in std::iter::once(&article.title)
            .chain(article.lead.iter())
            .chain(&article.body)
        {
            for tok in text::tokens(passage) {
                *tf.entry(tok.folded).or_default() += 1;
            }
        }
        let weighted: Vec<(f32, String)> = tf
            .into_iter()
            .filter_map(|(term, n)| {
                let df = self.folded.get(&term)?.len();
                // A word in nearly every article says nothing about this one.
                (df > 1 && df * 4 < self.articles.len().max(8))
                    .then(|| (n as f32 * self.idf(df), term))
            })
            .collect();
        let heaviest =
            |a: &(f32, String), b: &(f32, String)| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1));
        first_in_order(weighted, MORE_LIKE_THIS_TERMS, heaviest, |_, _| false)
            .into_iter()
            .map(|(_, term)| term)
            .collect()
    }

    /// Articles other than `doc` holding `terms`, best first.
    pub(crate) fn more_like(&self, doc: u32, terms: &[String], limit: usize) -> Vec<Hit> {
        let mut scores: FxHashMap<u32, f32> = FxHashMap::default();
        for term in terms.iter().take(MORE_LIKE_THIS_TERMS) {
            if let Some(postings) = self.folded.get(term) {
                let idf = self.idf(postings.len());
                for p in postings.iter().filter(|p| p.doc != doc) {
                    *scores.entry(p.doc).or_default() += idf * self.sat(p);
                }
            }
        }
        let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
        crate::order::by_score_then_doc(&mut ranked);
        let matcher = Matcher::default();
        let postings = KeyPostings::new(&matcher);
        ranked
            .into_iter()
            .take(limit)
            .map(|(d, score)| self.hit(d, score, &matcher, &postings))
            .collect()
    }

    /// Everything the article page of `id` shows beside the text: previous/next within
    /// `search` (the query and request it was opened from, if any), the articles most like
    /// it, and where each of its related teasers points in the archive.
    pub fn article_page(
        &self,
        id: &str,
        search: Option<(&Query, &Request)>,
        similar: usize,
    ) -> Option<ArticlePage> {
        let doc = self.by_id_doc(id)?;
        let (previous, next) = search.map_or((None, None), |(query, request)| {
            self.neighbour_docs(query, request, doc)
        });
        let article = &self.articles[doc as usize];
        Some(ArticlePage {
            article: article.clone(),
            previous: previous.map(|d| self.articles[d as usize].id.clone()),
            next: next.map(|d| self.articles[d as usize].id.clone()),
            similar: self.more_like_this(id, similar),
            related: article
                .related
                .iter()
                .map(|t| self.article_titled(&t.title).map(|a| a.id.clone()))
                .collect(),
        })
    }
}

/// An article and what its page shows beside it ([`Index::article_page`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticlePage {
    pub article: Article,
    /// Ids of the results before and after it in the search it was opened from.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// "More like this".
    pub similar: Vec<Hit>,
    /// For each of `article.related`, the id of the archive's article it names, if any.
    pub related: Vec<Option<String>>,
}

#[cfg(test)]
mod tests {
    use super::highlight::SNIPPET_CHARS;
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
        // A finished word is whole (`tr ` is no prefix; it reads as `trì` with a letter
        // dropped)...
        let finished = idx.query("thanh tr ");
        assert!(finished
            .expansions()
            .all(|e| e.kind != ExpansionKind::Prefix));
        // ...so a finished `th` begins nothing: no article has it, both fall back to "thanh".
        assert_eq!(idx.search(&idx.query("thanh th "), 10).total, 2);
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
    fn the_snippet_is_the_first_passage_that_shows_the_query_best() {
        let body = [
            "mở đầu không liên quan",
            "thanh niên đến muộn",
            "huyện thanh trì, thanh trì và thanh trì hôm nay",
            "lại huyện thanh trì, thanh trì và thanh trì",
            "thanh trì",
        ];
        let idx = Index::build(vec![Article {
            id: "a".into(),
            title: "Tin".into(),
            body: body.iter().map(|p| p.to_string()).collect(),
            ..Article::default()
        }]);
        let snippet = |q: &str| idx.search(&idx.query(q), 1).hits[0].snippet.text.clone();
        // Both words, together three times: none can show more, the first such is kept.
        assert_eq!(snippet("thanh tri "), body[2]);
        // One word: the first passage that has it.
        assert_eq!(snippet("thanh "), body[1]);
        // A later passage that shows more of the query wins over an earlier one.
        assert_eq!(snippet("tri "), body[2]);
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

/// A page, its facets and an article's neighbours are worked out without sorting or
/// counting the long way; these tests do it the long way and compare, on an archive where
/// common words match most articles (the case the short ways are for).
#[cfg(test)]
mod order_tests {
    use super::postings::Narrowing;
    use super::*;
    use crate::article::Article;
    use crate::facets::FacetValue;

    const WORDS: &[&str] = &[
        "giá",
        "vàng",
        "tăng",
        "giảm",
        "thị",
        "trường",
        "hà",
        "nội",
        "bão",
        "số",
        "tai",
        "nạn",
        "giao",
        "thông",
        "thành",
        "phố",
        "đội",
        "tuyển",
        "việt",
        "nam",
    ];

    /// 600 articles of common words (some in most articles), with outlets, categories,
    /// authors and dates (some undated), from a fixed seed.
    fn archive() -> Index {
        let mut seed = 0x2545_f491_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let articles = (0..600)
            .map(|i| {
                let mut words = |k: usize| -> String {
                    (0..k)
                        .map(|_| WORDS[next(WORDS.len()).min(next(WORDS.len()))])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let (title, body) = (words(4), words(30));
                let pick = |n: usize, of: &[&str]| of[n % of.len()].to_string();
                Article {
                    id: format!("a{i}"),
                    title,
                    body: vec![body],
                    source: Some(pick(next(7), &["Dân trí", "VnExpress", "Tuổi trẻ"])),
                    category: (next(5) > 0).then(|| pick(next(9), &["Thể thao", "Kinh tế"])),
                    author: Some(pick(next(11), &["An", "Bình", "Chi", "Dũng"])),
                    date: (next(6) > 0).then(|| {
                        format!(
                            "20{:02}-{:02}-{:02}",
                            18 + next(4),
                            1 + next(12),
                            1 + next(28)
                        )
                    }),
                    ..Article::default()
                }
            })
            .collect();
        Index::build(articles)
    }

    const QUERIES: &[&str] = &[
        "g",
        "giá",
        "giá v",
        "giá vàng tăng",
        "thanh pho",
        "tai nạn giao th",
        "ha noi -bão",
        "\"đội tuyển\" việt",
        "vang OR bao ",
        "xyz giá",
    ];

    fn requests() -> Vec<Request> {
        let filters = [
            Filters::default(),
            Filters {
                sources: vec!["Dân trí".into(), "Tuổi trẻ".into()],
                ..Filters::default()
            },
            Filters {
                categories: vec!["Thể thao".into()],
                year: Some(2019),
                ..Filters::default()
            },
            Filters {
                authors: vec!["Chi".into()],
                from: Some("2019-03-01".into()),
                to: Some("2020-10-31".into()),
                ..Filters::default()
            },
        ];
        let mut out = Vec::new();
        for f in &filters {
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                for (offset, limit) in [(0, 10), (7, 5), (0, 0), (590, 20), (0, 100_000)] {
                    out.push(Request {
                        filters: f.clone(),
                        sort,
                        offset,
                        limit,
                        count_facets: true,
                        typing: false,
                    });
                }
            }
        }
        out
    }

    /// Every match that passes the filters, in the request's order, the long way: all
    /// sorted by score, then (stably) by date.
    /// The requests for a first page of ten, of every filter set and sort.
    fn first_pages() -> impl Iterator<Item = Request> {
        requests()
            .into_iter()
            .filter(|r| r.offset == 0 && r.limit == 10)
    }

    fn in_order(index: &Index, query: &Query, request: &Request) -> Vec<(u32, f32)> {
        let mut all = if query.clauses.is_empty() {
            index.without_excluded(index.every_article(), query)
        } else {
            index.matches(query)
        };
        all.retain(|&(d, _)| request.filters.accepts(&index.articles[d as usize]));
        // Ties by doc: the last first when newest first.
        let newest = request.sort == Sort::Newest;
        all.sort_by(|a, b| {
            let by_doc = if newest { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) };
            b.1.total_cmp(&a.1).then(by_doc)
        });
        let date = |d: u32| index.articles[d as usize].date.clone();
        match request.sort {
            Sort::Relevance => {}
            Sort::Newest => all.sort_by_key(|&(d, _)| std::cmp::Reverse(date(d))),
            Sort::Oldest => all.sort_by_key(|&(d, _)| (date(d).is_none(), date(d))),
        }
        all
    }

    #[test]
    fn a_page_is_the_window_of_every_result_in_order() {
        let index = archive();
        let mut most = 0;
        for q in QUERIES {
            let query = index.query(q);
            for request in requests() {
                let all = in_order(&index, &query, &request);
                most = most.max(all.len());
                let page = index.find(&query, &request);
                assert_eq!(page.total, all.len(), "{q:?} {request:?}");
                let expected: Vec<(u32, f32)> = all
                    .iter()
                    .skip(request.offset)
                    .take(request.limit)
                    .copied()
                    .collect();
                let got: Vec<(u32, f32)> = page.hits.iter().map(|h| (h.doc, h.score)).collect();
                assert_eq!(got, expected, "{q:?} {request:?}");
            }
        }
        assert!(most > 300, "common words match most articles: {most}");
    }

    #[test]
    fn a_page_without_facet_counts_is_the_same_page_without_facets() {
        let index = archive();
        let mut counted = 0;
        for q in QUERIES {
            let query = index.query(q);
            for request in requests() {
                let with = index.find(&query, &request);
                let without = index.find(
                    &query,
                    &Request {
                        count_facets: false,
                        ..request.clone()
                    },
                );
                assert_eq!(without.total, with.total, "{q:?} {request:?}");
                assert_eq!(without.hits, with.hits, "{q:?} {request:?}");
                assert_eq!(without.facets, Facets::default(), "{q:?} {request:?}");
                counted += usize::from(with.facets != Facets::default());
            }
        }
        assert!(
            counted > 100,
            "the requests with counts counted some: {counted}"
        );
    }

    #[test]
    fn neighbours_are_those_of_every_result_in_order() {
        let index = archive();
        for q in QUERIES {
            let query = index.query(q);
            for request in first_pages() {
                let all = in_order(&index, &query, &request);
                for doc in [0, 1, 17, 123, 599] {
                    let at = all.iter().position(|&(d, _)| d == doc);
                    let expected = at.map_or((None, None), |at| {
                        let doc_at = |i: usize| all.get(i).map(|&(d, _)| d);
                        (at.checked_sub(1).and_then(doc_at), doc_at(at + 1))
                    });
                    assert_eq!(
                        index.neighbour_docs(&query, &request, doc),
                        expected,
                        "{q:?} {doc} {request:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn facets_count_every_match_without_their_own_filter() {
        let index = archive();
        for q in QUERIES {
            let query = index.query(q);
            for request in first_pages() {
                let f = &request.filters;
                let matched = in_order(
                    &index,
                    &query,
                    &Request {
                        filters: Filters::default(),
                        ..request.clone()
                    },
                );
                let facets = index.find(&query, &request).facets;
                // Each field counted with every filter but its own, the long way.
                let count = |without: Filters, value: fn(&Article) -> &Option<String>| {
                    let mut counts: Vec<FacetValue> = Vec::new();
                    for &(d, _) in &matched {
                        let a = &index.articles[d as usize];
                        if let (true, Some(v)) = (without.accepts(a), value(a)) {
                            match counts.iter_mut().find(|c| &c.value == v) {
                                Some(c) => c.count += 1,
                                None => counts.push(FacetValue {
                                    value: v.clone(),
                                    count: 1,
                                }),
                            }
                        }
                    }
                    counts.sort_by(|a, b| {
                        b.count
                            .cmp(&a.count)
                            .then_with(|| crate::facets::compare_vi(&a.value, &b.value))
                    });
                    counts
                };
                let sources = count(
                    Filters {
                        sources: vec![],
                        ..f.clone()
                    },
                    |a| &a.source,
                );
                let categories = count(
                    Filters {
                        categories: vec![],
                        ..f.clone()
                    },
                    |a| &a.category,
                );
                let authors = count(
                    Filters {
                        authors: vec![],
                        ..f.clone()
                    },
                    |a| &a.author,
                );
                assert_eq!(facets.sources, sources, "{q:?} {f:?}");
                assert_eq!(facets.categories, categories, "{q:?} {f:?}");
                assert_eq!(facets.authors, authors, "{q:?} {f:?}");
                // Dates: counted with the field filters, not the date ones.
                let fields_only = Filters {
                    year: None,
                    month: None,
                    from: None,
                    to: None,
                    ..f.clone()
                };
                let dated: Vec<String> = matched
                    .iter()
                    .map(|&(d, _)| &index.articles[d as usize])
                    .filter(|a| fields_only.accepts(a))
                    .filter_map(|a| a.date.clone())
                    .collect();
                let undated = matched
                    .iter()
                    .filter(|&&(d, _)| {
                        let a = &index.articles[d as usize];
                        fields_only.accepts(a) && a.date.is_none()
                    })
                    .count();
                assert_eq!(facets.undated, undated, "{q:?} {f:?}");
                let year_total: usize = facets.years.iter().map(|y| y.count).sum();
                assert_eq!(year_total, dated.len(), "{q:?} {f:?}");
                for y in &facets.years {
                    for &(m, n) in &y.months {
                        let prefix = format!("{}-{m:02}", y.year);
                        let expected = dated.iter().filter(|d| d.starts_with(&prefix)).count();
                        assert_eq!(n, expected, "{q:?} {f:?} {prefix}");
                    }
                }
            }
        }
    }

    #[test]
    fn narrowing_as_a_score_per_article_scores_alike_to_the_bit() {
        let index = archive();
        for q in QUERIES {
            let query = index.query(q);
            let bits = |m: Vec<(u32, f32)>| -> Vec<(u32, u32)> {
                let mut m: Vec<(u32, u32)> = m.into_iter().map(|(d, s)| (d, s.to_bits())).collect();
                m.sort_unstable();
                m
            };
            let merged = bits(index.matches_narrowing(&query, Narrowing::MERGED));
            for scatter in [false, true] {
                let dense_above = 0;
                let narrowing = Narrowing {
                    dense_above,
                    scatter,
                };
                let dense = bits(index.matches_narrowing(&query, narrowing));
                assert_eq!(dense, merged, "{q:?} {narrowing:?}");
            }
            assert_eq!(bits(index.matches(&query)), merged, "{q:?}");
        }
    }

    #[test]
    fn narrowing_through_scattered_postings_scores_alike_to_the_bit() {
        let index = archive();
        let bits = |m: Vec<(u32, f32)>| -> Vec<(u32, u32)> {
            m.into_iter().map(|(d, s)| (d, s.to_bits())).collect()
        };
        let mut scattered = 0;
        for q in QUERIES {
            let query = index.query(q);
            let sources: Vec<_> = query
                .clauses
                .iter()
                .map(|c| index.clause_sources(c))
                .collect();
            for (i, a) in sources.iter().enumerate() {
                for (j, b) in sources.iter().enumerate() {
                    if i == j {
                        continue;
                    }
                    let cands = index.materialize(a);
                    scattered +=
                        usize::from(b.alts.iter().any(|s| s.postings.len() < cands.len() * 16));
                    let merged = bits(index.narrow_scattering(cands.clone(), b, false));
                    let dense = bits(index.narrow_scattering(cands, b, true));
                    assert_eq!(dense, merged, "{q:?} clause {i} narrowed by {j}");
                }
            }
        }
        assert!(scattered > 0, "no query scattered a clause's postings");
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
        // Typos and prefixes are other words (their kind says so, not their weight): they
        // weigh less than the word typed; the word's other readings weigh as much.
        let typed = q.expansions().find(|e| e.term == "phogn").unwrap().weight;
        for e in q.expansions() {
            if e.kind.is_other_word() {
                assert!(e.weight < typed, "{e:?}");
            } else {
                assert_eq!(e.weight, typed, "{e:?}");
            }
        }
    }

    #[test]
    fn one_prepared_query_serves_results_and_an_opened_article() {
        let idx = index(&["Hà Nội nói", "Thanh Trì"]);
        let q = idx.query("ha n");
        // While typing, `n` begins `noi`, so the article with both words is found...
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
