//! The inverted index: what is stored, and how it is built.
//!
//! Three term dictionaries share one posting shape: folded syllables (`tri`), exact
//! syllables that carry marks (`trì`), and folded adjacent-syllable pairs (`thanh tri`).
//! Everything is kept in sorted vectors so the serialized bytes are a pure function of
//! the articles given (no hash-map order leaks into the output).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::text::{self, Token};

/// Indexed fields, in posting order.
pub const FIELD_COUNT: usize = 3;
pub const TITLE: usize = 0;
pub const LEAD: usize = 1;
pub const BODY: usize = 2;

/// How often a term occurs in one document, per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub doc: u32,
    pub tf: [u16; FIELD_COUNT],
}

/// Sorted terms with their postings (postings sorted by doc).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermDict {
    terms: Vec<String>,
    postings: Vec<Vec<Posting>>,
}

impl TermDict {
    fn from_map(map: BTreeMap<String, Vec<Posting>>) -> Self {
        let (terms, postings) = map.into_iter().unzip();
        TermDict { terms, postings }
    }

    pub fn get(&self, term: &str) -> Option<&[Posting]> {
        self.terms
            .binary_search_by(|t| t.as_str().cmp(term))
            .ok()
            .map(|i| self.postings[i].as_slice())
    }

    /// Terms starting with `prefix`, in sorted order, with their postings.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a [Posting])> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        self.terms[start..]
            .iter()
            .zip(&self.postings[start..])
            .take_while(move |(t, _)| t.starts_with(prefix))
            .map(|(t, p)| (t.as_str(), p.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The searchable corpus: stored articles plus their inverted index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub(crate) articles: Vec<Article>,
    /// Doc numbers ordered by article id, for lookups by id.
    by_id: Vec<u32>,
    pub(crate) field_lens: Vec<[u32; FIELD_COUNT]>,
    pub(crate) avg_field_len: [f32; FIELD_COUNT],
    pub(crate) folded: TermDict,
    pub(crate) exact: TermDict,
    pub(crate) pairs: TermDict,
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

/// Adjacent tokens form a pair only when nothing but spaces separates them: a comma or a
/// full stop ends a phrase.
pub(crate) fn adjacent_pairs<'t>(
    text: &'t str,
    tokens: &'t [Token],
) -> impl Iterator<Item = (&'t Token, &'t Token)> + 't {
    tokens
        .windows(2)
        .filter(move |w| text[w[0].end..w[1].start].trim().is_empty())
        .map(|w| (&w[0], &w[1]))
}

pub(crate) fn pair_key(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

type Counts = HashMap<String, [u16; FIELD_COUNT]>;

fn bump(counts: &mut Counts, key: String, field: usize) {
    let tf = counts.entry(key).or_insert([0; FIELD_COUNT]);
    tf[field] = tf[field].saturating_add(1);
}

fn flush(counts: Counts, doc: u32, into: &mut BTreeMap<String, Vec<Posting>>) {
    for (term, tf) in counts {
        into.entry(term).or_default().push(Posting { doc, tf });
    }
}

impl Index {
    /// Indexes the articles in the order given; that order is the doc numbering.
    pub fn build(articles: Vec<Article>) -> Index {
        let mut folded = BTreeMap::new();
        let mut exact = BTreeMap::new();
        let mut pairs = BTreeMap::new();
        let mut field_lens = Vec::with_capacity(articles.len());

        for (doc, article) in articles.iter().enumerate() {
            let doc = doc as u32;
            let (mut f, mut e, mut p) = (Counts::new(), Counts::new(), Counts::new());
            let mut lens = [0u32; FIELD_COUNT];
            for (field, texts) in field_texts(article).iter().enumerate() {
                for text in texts {
                    let toks = text::tokens(text);
                    lens[field] += toks.len() as u32;
                    for (a, b) in adjacent_pairs(text, &toks) {
                        bump(&mut p, pair_key(&a.folded, &b.folded), field);
                    }
                    for tok in toks {
                        if tok.exact != tok.folded {
                            bump(&mut e, tok.exact, field);
                        }
                        bump(&mut f, tok.folded, field);
                    }
                }
            }
            flush(f, doc, &mut folded);
            flush(e, doc, &mut exact);
            flush(p, doc, &mut pairs);
            field_lens.push(lens);
        }

        let mut avg_field_len = [0f32; FIELD_COUNT];
        if !field_lens.is_empty() {
            for (field, avg) in avg_field_len.iter_mut().enumerate() {
                let total: u64 = field_lens.iter().map(|l| l[field] as u64).sum();
                *avg = total as f32 / field_lens.len() as f32;
            }
        }

        let mut by_id: Vec<u32> = (0..articles.len() as u32).collect();
        by_id.sort_by(|&a, &b| articles[a as usize].id.cmp(&articles[b as usize].id));

        Index {
            articles,
            by_id,
            field_lens,
            avg_field_len,
            folded: TermDict::from_map(folded),
            exact: TermDict::from_map(exact),
            pairs: TermDict::from_map(pairs),
        }
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article with this id, if the corpus has it.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.by_id_doc(id).map(|doc| &self.articles[doc as usize])
    }

    pub(crate) fn by_id_doc(&self, id: &str) -> Option<u32> {
        self.by_id
            .binary_search_by(|&doc| self.articles[doc as usize].id.as_str().cmp(id))
            .ok()
            .map(|i| self.by_id[i])
    }

    /// Number of distinct folded syllables, for figures and tests.
    pub fn vocabulary_len(&self) -> usize {
        self.folded.len()
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
    fn postings_count_terms_per_field() {
        let index = Index::build(vec![article("a", "Thanh Trì", &["Thanh Trì, Thanh Oai"])]);
        let p = index.folded.get("thanh").unwrap();
        assert_eq!(
            p,
            &[Posting {
                doc: 0,
                tf: [1, 0, 2]
            }]
        );
        assert_eq!(index.exact.get("trì").unwrap()[0].tf, [1, 0, 1]);
        assert!(
            index.exact.get("thanh").is_none(),
            "unmarked words live in the folded dict"
        );
        // "Trì, Thanh" is split by a comma: no pair.
        assert!(index.pairs.get("tri thanh").is_none());
        assert_eq!(index.pairs.get("thanh tri").unwrap()[0].tf, [1, 0, 1]);
    }

    #[test]
    fn articles_are_found_by_id() {
        let index = Index::build(vec![article("b", "B", &[]), article("a", "A", &[])]);
        assert_eq!(index.article("a").unwrap().title, "A");
        assert_eq!(index.article("b").unwrap().title, "B");
        assert!(index.article("c").is_none());
    }

    #[test]
    fn prefix_lookup_walks_sorted_terms() {
        let index = Index::build(vec![article("a", "cách ly cải cách", &[])]);
        let terms: Vec<&str> = index.folded.with_prefix("ca").map(|(t, _)| t).collect();
        assert_eq!(terms, ["cach", "cai"]);
    }
}
