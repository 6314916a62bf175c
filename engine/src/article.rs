//! The article model shared by ingest, index and the app.

use serde::{Deserialize, Serialize};

/// One news article, as clean text (NFC, chrome removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Article {
    /// Stable, unique id: the record's own id, else the file stem.
    pub id: String,
    pub title: String,
    /// The outlet's full name (`Phụ nữ Thủ đô`), when known.
    pub source: Option<String>,
    /// `YYYY-MM-DD` when the text supports it; never invented.
    pub date: Option<String>,
    pub author: Option<String>,
    pub category: Option<String>,
    pub url: Option<String>,
    /// The sapo, without the outlet tag.
    pub lead: Option<String>,
    pub body: Vec<String>,
    pub captions: Vec<Caption>,
    /// Teasers of other articles found on the page: never part of the body.
    pub related: Vec<Teaser>,
}

impl Article {
    /// Bytes this article holds on the heap (string and vector capacities), an estimate of
    /// its memory beside `size_of::<Article>()`, for `docbao check --stats`.
    pub fn heap_bytes(&self) -> usize {
        fn owned(s: &String) -> usize {
            s.capacity()
        }
        fn optional(s: &Option<String>) -> usize {
            s.as_ref().map_or(0, owned)
        }
        fn list<T>(items: &Vec<T>, each: impl Fn(&T) -> usize) -> usize {
            items.capacity() * std::mem::size_of::<T>() + items.iter().map(each).sum::<usize>()
        }
        owned(&self.id)
            + owned(&self.title)
            + [
                &self.source,
                &self.date,
                &self.author,
                &self.category,
                &self.url,
                &self.lead,
            ]
            .into_iter()
            .map(optional)
            .sum::<usize>()
            + list(&self.body, owned)
            + list(&self.captions, |c| owned(&c.text) + optional(&c.credit))
            + list(&self.related, |t| owned(&t.title) + optional(&t.summary))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Caption {
    pub text: String,
    /// `Lương Toàn` from `(Ảnh: Lương Toàn)`.
    pub credit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Teaser {
    pub title: String,
    pub summary: Option<String>,
}
