//! BM25F: what one posting of a query key is worth (saturation worked out at build or
//! load time, idf here), with the bonus for exact marks.

use super::parse::Word;
use super::postings::{ClauseSources, Source};
use crate::index::{Index, Posting};

/// Share of a term's score added again when the exact marked form the user typed matches.
pub(super) const EXACT_BONUS: f32 = 0.5;

impl Index {
    pub(super) fn idf(&self, df: usize) -> f32 {
        let n = self.articles.len() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
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
        ClauseSources {
            alts,
            bonus,
            phrase_hits: Vec::new(),
        }
    }
}
