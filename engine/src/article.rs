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
