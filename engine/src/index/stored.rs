//! The stored articles, at hand or decoded per chunk on first touch. The app's first page
//! shows 20 articles and counts facets over all of them: an embedded index loaded with
//! `codec::from_static_bytes` decodes at load only each article's id and facet fields
//! (`ARTS`' head), and a chunk of full articles when one of them is first read, or all
//! that are left in `Index::finish_loading`, once the page is shown.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::article::Article;
use crate::codec::CodecError;

/// Decodes chunk `c` of the stored articles, given the stubs (id and facet fields) of
/// the articles it holds.
pub(crate) type DecodeChunk =
    dyn Fn(usize, &[Article]) -> Result<Vec<Article>, CodecError> + Send + Sync;

/// A chunk once decoded: its articles, or on damage their stubs and the error.
type DecodedChunk = OnceLock<(Vec<Article>, Option<CodecError>)>;

/// Articles still to be decoded, chunk by chunk.
pub(crate) struct DeferredArticles {
    /// Every article's id, source, category, author and date, its text left empty: what
    /// lookups by id and the facet catalog read, and what a damaged chunk shows.
    stubs: Vec<Article>,
    /// Each chunk's docs, and the chunk once decoded: damage leaves the chunk's stubs in
    /// place of its articles, and the error beside them for `finish` to report.
    chunks: Vec<(Range<usize>, DecodedChunk)>,
    decode: Box<DecodeChunk>,
    /// Checks what no chunk's decoding covers (the section's own checksum), once.
    check_whole: Box<dyn Fn() -> Result<(), CodecError> + Send + Sync>,
    whole_checked: OnceLock<Result<(), CodecError>>,
}

impl DeferredArticles {
    /// `chunk_len` articles a chunk, the last one the rest; `stubs` every article's.
    pub(crate) fn new(
        stubs: Vec<Article>,
        chunk_len: usize,
        decode: Box<DecodeChunk>,
        check_whole: Box<dyn Fn() -> Result<(), CodecError> + Send + Sync>,
    ) -> DeferredArticles {
        let chunk_len = chunk_len.max(1);
        let chunks = (0..stubs.len())
            .step_by(chunk_len)
            .map(|first| (first..(first + chunk_len).min(stubs.len()), OnceLock::new()))
            .collect();
        DeferredArticles {
            stubs,
            chunks,
            decode,
            check_whole,
            whole_checked: OnceLock::new(),
        }
    }

    fn chunk(&self, c: usize) -> &(Vec<Article>, Option<CodecError>) {
        let (docs, decoded) = &self.chunks[c];
        decoded.get_or_init(|| {
            let stubs = &self.stubs[docs.clone()];
            match (self.decode)(c, stubs) {
                Ok(articles) if articles.len() == stubs.len() => (articles, None),
                Ok(articles) => (
                    stubs.to_vec(),
                    Some(CodecError::Corrupt {
                        section: "ARTS",
                        why: format!(
                            "chunk {c} holds {} articles, not {}",
                            articles.len(),
                            stubs.len()
                        ),
                    }),
                ),
                Err(e) => (stubs.to_vec(), Some(e)),
            }
        })
    }

    fn get(&self, doc: usize) -> Option<&Article> {
        let c = self.chunks.partition_point(|(docs, _)| docs.end <= doc);
        let (docs, _) = self.chunks.get(c)?;
        self.chunk(c).0.get(doc - docs.start)
    }
}

/// The stored articles of an index, in doc order.
#[derive(Clone)]
pub struct Articles {
    decoded: Vec<Article>,
    deferred: Option<Arc<DeferredArticles>>,
}

impl Articles {
    pub(crate) fn deferred(deferred: DeferredArticles) -> Articles {
        Articles {
            decoded: Vec::new(),
            deferred: Some(Arc::new(deferred)),
        }
    }

    pub fn len(&self) -> usize {
        match &self.deferred {
            None => self.decoded.len(),
            Some(d) => d.stubs.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The article at `doc` with its text, decoding its chunk if it is the first read
    /// there; the chunk's damage if it is damaged (where [`Self::get`] gives the stub).
    pub(crate) fn get_whole(&self, doc: usize) -> Option<Result<&Article, CodecError>> {
        let Some(d) = &self.deferred else {
            return self.decoded.get(doc).map(Ok);
        };
        let c = d.chunks.partition_point(|(docs, _)| docs.end <= doc);
        let (docs, _) = d.chunks.get(c)?;
        let (articles, damage) = d.chunk(c);
        match damage {
            Some(e) => Some(Err(e.clone())),
            None => articles.get(doc - docs.start).map(Ok),
        }
    }

    /// The article at `doc`, decoding its chunk if it is the first read there.
    pub fn get(&self, doc: usize) -> Option<&Article> {
        match &self.deferred {
            None => self.decoded.get(doc),
            Some(d) => d.get(doc),
        }
    }

    pub fn first(&self) -> Option<&Article> {
        self.get(0)
    }

    /// Every article in doc order (decoding each chunk as it is reached).
    pub fn iter(&self) -> impl Iterator<Item = &Article> + Clone {
        (0..self.len()).filter_map(|doc| self.get(doc))
    }

    /// The article's id, without decoding its chunk.
    pub(crate) fn id(&self, doc: usize) -> &str {
        match &self.deferred {
            None => &self.decoded[doc].id,
            Some(d) => &d.stubs[doc].id,
        }
    }

    /// Every article with at least its id and facet fields (source, category, author,
    /// date), without decoding any chunk: what the facet catalog is made of.
    pub(crate) fn facet_fields(&self) -> &[Article] {
        match &self.deferred {
            None => &self.decoded,
            Some(d) => &d.stubs,
        }
    }

    /// Every article, borrowed when decoded already (an index built, not loaded).
    pub(crate) fn to_slice(&self) -> std::borrow::Cow<'_, [Article]> {
        match &self.deferred {
            None => std::borrow::Cow::Borrowed(&self.decoded),
            Some(_) => std::borrow::Cow::Owned(self.iter().cloned().collect()),
        }
    }

    /// The articles to change in place; deferred ones are decoded first.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [Article] {
        if self.deferred.is_some() {
            self.decoded = self.iter().cloned().collect();
            self.deferred = None;
        }
        &mut self.decoded
    }

    /// Decodes every chunk not decoded yet: the first damage found, if any (a damaged
    /// chunk reads as its articles' stubs: ids and facet fields, no text).
    pub(crate) fn finish(&self) -> Result<(), CodecError> {
        let Some(d) = &self.deferred else {
            return Ok(());
        };
        // A chunk's own error names it: those first.
        for c in 0..d.chunks.len() {
            if let Some(e) = &d.chunk(c).1 {
                return Err(e.clone());
            }
        }
        d.whole_checked.get_or_init(|| (d.check_whole)()).clone()
    }

    /// How many chunks are still to be decoded (0 when nothing was deferred).
    pub fn chunks_not_decoded(&self) -> usize {
        self.deferred.as_ref().map_or(0, |d| {
            d.chunks.iter().filter(|(_, c)| c.get().is_none()).count()
        })
    }

    /// Bytes held on the heap by what is decoded (stubs included).
    pub(crate) fn heap_bytes(&self) -> usize {
        let held = |articles: &[Article], capacity: usize| {
            capacity * std::mem::size_of::<Article>()
                + articles.iter().map(Article::heap_bytes).sum::<usize>()
        };
        match &self.deferred {
            None => held(&self.decoded, self.decoded.capacity()),
            Some(d) => {
                held(&d.stubs, d.stubs.capacity())
                    + d.chunks
                        .iter()
                        .filter_map(|(_, c)| c.get())
                        .map(|(a, _)| held(a, a.capacity()))
                        .sum::<usize>()
            }
        }
    }
}

impl From<Vec<Article>> for Articles {
    fn from(decoded: Vec<Article>) -> Articles {
        Articles {
            decoded,
            deferred: None,
        }
    }
}

impl std::ops::Index<usize> for Articles {
    type Output = Article;

    fn index(&self, doc: usize) -> &Article {
        self.get(doc).unwrap_or_else(|| {
            panic!("article {doc} of {}: out of range", self.len());
        })
    }
}

impl PartialEq for Articles {
    fn eq(&self, other: &Articles) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Articles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.deferred {
            None => f.debug_list().entries(&self.decoded).finish(),
            Some(_) => write!(
                f,
                "({} articles, {} chunks not decoded yet)",
                self.len(),
                self.chunks_not_decoded()
            ),
        }
    }
}
