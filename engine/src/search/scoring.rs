//! BM25F, all of it: idf, the field weights, length norms and saturation, each posting's
//! contribution worked out once after build or load (the index only stores frequencies and
//! lengths), and what a key's postings are worth in a query (with the weights of adjacent
//! pairs, prefix expansions and typo corrections). Shaped like tantivy's
//! `Bm25Weight`: a small struct with the corpus statistics and a cache of norms.

use super::parse::{ExpansionKind, Word};
use super::postings::{ClauseSources, Source};
use super::shard_terms::{looking_up, LookupReason};
use crate::index::{norms, Frequencies, Index, Posting, FIELD_COUNT};

/// Field weights: a word in the title counts more than one in the lead, which counts more
/// than one in the body.
pub(crate) const FIELD_WEIGHT: [f32; FIELD_COUNT] = [4.0, 2.0, 1.0];
/// Length normalization: how much a long field dilutes a match.
pub(crate) const B: f32 = 0.75;
/// Term-frequency saturation: a tenth occurrence adds little.
pub(crate) const K1: f32 = 1.2;
/// Share of a term's score added again when the exact marked form the user typed matches.
pub(super) const EXACT_BONUS: f32 = 0.5;
/// Weight of an adjacent pair of query words found next to each other in the text.
pub(super) const PAIR_WEIGHT: f32 = 1.0;
/// A prefix expansion of the word being typed counts a little less than a whole word.
pub(super) const PREFIX_DISCOUNT: f32 = 0.8;
/// A word one edit away from the one typed counts much less than the word itself.
pub(super) const TYPO_WEIGHT: f32 = 0.4;
/// A correction the query's neighbouring words vouch for (the index has it next to one of
/// them, and not the word as typed) is most likely what was meant: it counts nearly as
/// much as a word typed (its idf still capped by the typed word's, when the index has it).
pub(super) const PAIRED_TYPO_WEIGHT: f32 = 0.8;

/// BM25F over one index's articles: their number (for idf) and, per article and field,
/// the field weight over its length norm, `FIELD_WEIGHT[f] / (1 - B + B * len / avg)`,
/// looked up by the length's byte (`index::norms`): 256 values per field.
/// Derived from the stored field lengths, never stored itself.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bm25F {
    docs: f32,
    field_norms: Vec<[u8; FIELD_COUNT]>,
    weight_of: [[f32; 256]; FIELD_COUNT],
}

impl Default for Bm25F {
    fn default() -> Bm25F {
        Bm25F::new(&[], &[0.0; FIELD_COUNT])
    }
}

impl Bm25F {
    /// The statistics of articles with these field lengths (bytes of `index::norms`),
    /// whose exact averages are `avg_field_len`.
    pub(crate) fn new(
        field_norms: &[[u8; FIELD_COUNT]],
        avg_field_len: &[f32; FIELD_COUNT],
    ) -> Bm25F {
        let weight_of = std::array::from_fn(|f| {
            std::array::from_fn(|code| {
                let len = norms::decode_length(code as u8) as f32;
                FIELD_WEIGHT[f] / (1.0 - B + B * len / avg_field_len[f].max(1.0))
            })
        });
        Bm25F {
            docs: field_norms.len() as f32,
            field_norms: field_norms.to_vec(),
            weight_of,
        }
    }

    /// Inverse document frequency of a term found in `df` articles (never negative).
    pub(crate) fn idf(&self, df: usize) -> f32 {
        let df = df as f32;
        (1.0 + (self.docs - df + 0.5) / (df + 0.5)).ln()
    }

    /// What a term with these per-field frequencies in `doc` is worth before idf: the
    /// weighted, length-normalized frequency `t`, saturated as `t / (K1 + t)`.
    #[inline(always)]
    pub(crate) fn saturation(&self, doc: u32, tf: Frequencies) -> f32 {
        let Some(codes) = self.field_norms.get(doc as usize) else {
            return 0.0;
        };
        let t: f32 = (0..FIELD_COUNT)
            .map(|f| tf[f] as f32 * self.weight_of[f][codes[f] as usize])
            .sum();
        t / (K1 + t)
    }

    /// Works out every posting's impact from its frequencies (`tfs[k]` for
    /// `postings[k]`), so a query only multiplies and adds.
    pub(crate) fn weigh(&self, postings: &mut [Posting], tfs: &[Frequencies]) {
        for (p, &tf) in postings.iter_mut().zip(tfs) {
            p.impact = self.saturation(p.doc, tf);
        }
    }
}

impl Index {
    pub(super) fn idf(&self, df: usize) -> f32 {
        self.bm25.idf(df)
    }

    /// BM25F saturation of one posting, before idf (worked out when the index was built
    /// or loaded).
    #[inline]
    pub(super) fn sat(&self, p: &Posting) -> f32 {
        p.impact
    }

    pub(super) fn sources<'a>(&'a self, words: &[Word]) -> ClauseSources<'a> {
        let mut alts = Vec::new();
        let mut bonus = Vec::new();
        for w in words {
            // A correction or an expansion never outweighs the word as typed, when the
            // dictionary has it: its idf is capped by the word's own.
            let own = w.keys.first().and_then(|k| self.folded.get(&k.term));
            let cap = own.map_or(f32::INFINITY, |p| self.idf(p.len()));
            for k in &w.keys {
                let _why = looking_up(match k.kind {
                    ExpansionKind::Typo => LookupReason::Typo,
                    ExpansionKind::Prefix => LookupReason::Prefix,
                    _ => LookupReason::Word,
                });
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
            let _why = looking_up(LookupReason::Exact);
            for e in &w.exact {
                if let Some(p) = self.exact.get(e) {
                    bonus.push(Source {
                        postings: p,
                        weight: EXACT_BONUS * self.idf(p.len()),
                    });
                }
            }
        }
        ClauseSources {
            alts,
            bonus,
            phrase_hits: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn article(id: &str, title: &str, lead: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            lead: (!lead.is_empty()).then(|| lead.to_string()),
            body: vec![body.to_string()],
            ..Article::default()
        }
    }

    #[test]
    fn impacts_are_the_bm25f_formula_after_build_and_after_load() {
        let index = Index::build(vec![
            article(
                "a",
                "Thanh Trì",
                "tin Thanh Trì",
                "Thanh Trì hôm nay, Thanh Oai",
            ),
            article("b", "Tin khác", "", "một hai ba bốn năm sáu bảy tám thanh"),
        ]);
        // Words per field: a = [2, 3, 6], b = [2, 0, 9]; averages [2, 1.5, 7.5].
        let avg = [2.0f32, 1.5, 7.5];
        let lens = [[2f32, 3.0, 6.0], [2.0, 0.0, 9.0]];
        let expected = |doc: usize, tf: [f32; 3]| {
            let t: f32 = (0..3)
                .map(|f| tf[f] * FIELD_WEIGHT[f] / (1.0 - B + B * lens[doc][f] / avg[f].max(1.0)))
                .sum();
            t / (K1 + t)
        };
        let loaded = crate::codec::from_bytes(&crate::codec::to_bytes(&index)).unwrap();
        for index in [&index, &loaded] {
            let p = index.folded.get("thanh").unwrap();
            assert!((p[0].impact - expected(0, [1.0, 1.0, 2.0])).abs() < 1e-6);
            assert!((p[1].impact - expected(1, [0.0, 0.0, 1.0])).abs() < 1e-6);
            let pair = index.pairs.get("thanh tri").unwrap();
            assert!((pair[0].impact - expected(0, [1.0, 1.0, 1.0])).abs() < 1e-6);
        }
    }

    #[test]
    fn title_outweighs_lead_outweighs_body_and_long_fields_dilute() {
        let lens = [[10, 10, 10], [10, 10, 40]].map(|l| l.map(norms::encode_length));
        let bm25 = Bm25F::new(&lens, &[10.0, 10.0, 25.0]);
        let (title, lead, body) = (
            bm25.saturation(0, [1, 0, 0]),
            bm25.saturation(0, [0, 1, 0]),
            bm25.saturation(0, [0, 0, 1]),
        );
        assert!(title > lead && lead > body && body > 0.0);
        assert!(
            bm25.saturation(1, [0, 0, 1]) < body,
            "a longer body dilutes"
        );
        // Saturation: more occurrences add less and less, never past 1.
        let (one, two, many) = (
            bm25.saturation(0, [0, 0, 1]),
            bm25.saturation(0, [0, 0, 2]),
            bm25.saturation(0, [0, 0, 1000]),
        );
        assert!(two - one < one && many < 1.0);
        assert_eq!(bm25.saturation(7, [1, 1, 1]), 0.0, "no such article");
    }

    #[test]
    fn idf_falls_as_a_term_grows_common_and_stays_positive() {
        let bm25 = Bm25F::new(&[[1, 0, 1]; 100], &[1.0, 0.0, 1.0]);
        assert!(bm25.idf(1) > bm25.idf(10) && bm25.idf(10) > bm25.idf(100));
        assert!(bm25.idf(100) > 0.0);
    }
}
