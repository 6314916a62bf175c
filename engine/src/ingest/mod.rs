//! Input files into articles, with a report that accounts for every file.
//!
//! The caller (build.rs, the command line) reads the files; this module only sees bytes.

pub mod raw;

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::text;

/// Largest input file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// One input file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (used in the report, and its stem as the id).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why an input was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    Empty,
    NotUtf8 { byte_offset: usize },
    Binary,
    NoTitle,
    NoBody,
    Duplicate { of: String },
    TooLarge { bytes: usize, limit: usize },
    UnsupportedType,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Empty => write!(f, "empty"),
            Reason::NotUtf8 { byte_offset } => {
                write!(f, "not UTF-8 (invalid byte at offset {byte_offset})")
            }
            Reason::Binary => write!(f, "binary data, not text"),
            Reason::NoTitle => write!(f, "no title"),
            Reason::NoBody => write!(f, "no body"),
            Reason::Duplicate { of } => write!(f, "duplicate of article {of}"),
            Reason::TooLarge { bytes, limit } => {
                write!(f, "too large: {bytes} bytes, the limit is {limit}")
            }
            Reason::UnsupportedType => write!(f, "not a supported file type (.txt)"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub path: String,
    /// 1-based line, where the reason applies to one line of the file.
    pub line: Option<usize>,
    #[serde(flatten)]
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub path: String,
    pub id: String,
}

/// Every input, accepted or rejected with its reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    pub accepted: Vec<Accepted>,
    pub rejected: Vec<Rejection>,
}

impl IngestReport {
    /// `2 accepted, 0 rejected`
    pub fn summary(&self) -> String {
        format!(
            "{} accepted, {} rejected",
            self.accepted.len(),
            self.rejected.len()
        )
    }
}

/// The file name without folders and extension: the id of a page read from it.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split_once('.').map_or(name, |(stem, _)| stem)
}

fn decode(bytes: &[u8]) -> Result<String, Reason> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Reason::TooLarge {
            bytes: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Reason::Empty);
    }
    if bytes.contains(&0) {
        return Err(Reason::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Reason::NotUtf8 {
        byte_offset: e.valid_up_to(),
    })?;
    Ok(text::clean(text))
}

fn read_page(file: &SourceFile) -> Result<Article, Reason> {
    if !file.path.ends_with(".txt") {
        return Err(Reason::UnsupportedType);
    }
    let text = decode(&file.bytes)?;
    raw::parse(file_stem(&file.path), &text)
}

/// Turns input files into articles. Files are taken in the order given (callers sort
/// them); an article whose id or text repeats an earlier one is rejected as a duplicate.
pub fn ingest(files: &[SourceFile]) -> (Vec<Article>, IngestReport) {
    let mut articles: Vec<Article> = Vec::new();
    let mut report = IngestReport::default();
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut texts: HashMap<(String, Vec<String>), String> = HashMap::new();
    for file in files {
        let outcome = read_page(file).and_then(|article| {
            if let Some(of) = ids.get(&article.id) {
                return Err(Reason::Duplicate { of: of.clone() });
            }
            let key = (article.title.clone(), article.body.clone());
            if let Some(of) = texts.get(&key) {
                return Err(Reason::Duplicate { of: of.clone() });
            }
            ids.insert(article.id.clone(), article.id.clone());
            texts.insert(key, article.id.clone());
            Ok(article)
        });
        match outcome {
            Ok(article) => {
                report.accepted.push(Accepted {
                    path: file.path.clone(),
                    id: article.id.clone(),
                });
                articles.push(article);
            }
            Err(reason) => report.rejected.push(Rejection {
                path: file.path.clone(),
                line: None,
                reason,
            }),
        }
    }
    (articles, report)
}
