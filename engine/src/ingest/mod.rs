//! Input files into articles, with a report that accounts for every file and every record.
//!
//! The caller (build.rs, the command line) reads the files; this module only sees bytes and
//! the path they came from. What it accepts:
//! - `.txt`: one scraped page (the seeds' format), parsed by [`raw`];
//! - `.jsonl` / `.ndjson`: one article per line, fields mapped by `records` (feature `jsonl`);
//! - `.json`: an array of such objects, or a single object, or JSON Lines under that name
//!   (feature `jsonl`);
//! - any of those JSON forms gzipped, `.jsonl.gz` (feature `gz`).
//!
//! Invariant: every input is accounted for. Each file, and each JSON record inside a file,
//! ends up either in `accepted` or in `rejected` with its path, line (JSON Lines) or array
//! index (JSON) and the reason; a bad record never takes the records around it down.

pub mod date;
pub mod raw;
#[cfg(feature = "jsonl")]
pub mod records;

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::text;

/// Largest input file accepted, in bytes; a gzipped file is held to it once decompressed.
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// Largest single article accepted (one page, one JSON Lines record), in bytes. Real news
/// articles are tens of kilobytes; anything this large is a scrape gone wrong.
pub const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;

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
    NotUtf8 {
        byte_offset: usize,
    },
    Binary,
    NoTitle,
    /// Neither a lead nor a body paragraph.
    NoBody,
    /// Another article came first with the same id, or with the same text (title, lead
    /// and body, spacing aside).
    Duplicate {
        of: String,
        same: Sameness,
    },
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// serde_json's message, which names the line and column.
    UnreadableJson {
        message: String,
    },
    UnreadableGzip {
        message: String,
    },
    /// A JSON field of the wrong type (`title` given as a number, `body` as an object).
    BadField {
        field: String,
        message: String,
    },
    /// The caller could not read the file at all (permissions, a vanished file).
    Unreadable {
        message: String,
    },
    // What a walk of the corpus folders could not use (the caller's `corpus_files`):
    /// A symlink that leads back to itself, or to a folder it is inside.
    SymlinkLoop,
    /// A symlink whose target does not exist.
    DanglingSymlink,
    /// A folder whose entries cannot be listed (permissions, a vanished folder).
    UnreadableFolder {
        message: String,
    },
    /// A device, FIFO or socket: never opened, as reading one may never end.
    NotRegularFile {
        kind: String,
    },
    UnsupportedType,
}

/// What a duplicate shares with the article it repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sameness {
    Id,
    Text,
}

/// The file types this build of the engine reads, for messages.
pub fn supported_types() -> &'static str {
    if cfg!(all(feature = "jsonl", feature = "gz")) {
        ".txt, .jsonl, .ndjson, .json, and those JSON forms gzipped (.jsonl.gz)"
    } else if cfg!(feature = "jsonl") {
        ".txt, .jsonl, .ndjson, .json (gzip needs the engine's `gz` feature)"
    } else {
        ".txt (JSON needs the engine's `jsonl` feature)"
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Empty => write!(f, "empty"),
            Reason::NotUtf8 { byte_offset } => write!(
                f,
                "not UTF-8 (invalid byte at offset {byte_offset}), nor TCVN3/VNI text"
            ),
            Reason::Binary => write!(f, "binary data, not text"),
            Reason::NoTitle => write!(f, "no title"),
            Reason::NoBody => write!(f, "no body: neither a lead nor a paragraph"),
            Reason::Duplicate { of, same } => {
                let what = match same {
                    Sameness::Id => "id",
                    Sameness::Text => "text",
                };
                write!(f, "duplicate of article {of} (same {what})")
            }
            Reason::TooLarge { bytes, limit } => {
                write!(f, "too large: {bytes} bytes, the limit is {limit}")
            }
            Reason::UnreadableJson { message } => write!(f, "unreadable JSON: {message}"),
            Reason::UnreadableGzip { message } => write!(f, "unreadable gzip: {message}"),
            Reason::BadField { field, message } => write!(f, "field `{field}`: {message}"),
            Reason::Unreadable { message } => write!(f, "cannot be read: {message}"),
            Reason::SymlinkLoop => write!(f, "symlink loop"),
            Reason::DanglingSymlink => write!(f, "dangling symlink: its target does not exist"),
            Reason::UnreadableFolder { message } => write!(f, "cannot read folder: {message}"),
            Reason::NotRegularFile { kind } => write!(f, "not a regular file ({kind})"),
            Reason::UnsupportedType => write!(
                f,
                "not a supported file type (supported: {})",
                supported_types()
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub path: String,
    /// 1-based line of a JSON Lines record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 0-based position of a record in a JSON array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(flatten)]
    pub reason: Reason,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(index) = self.index {
            write!(f, " [index {index}]")?;
        }
        write!(f, ": {}", self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    pub id: String,
    /// Repairs made on the way in (`converted from TCVN3`, a date that was not understood).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
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

    /// The report as JSON, counts first: what build.rs ships as `ingest-report.json`.
    #[cfg(feature = "jsonl")]
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct ReportFile<'a> {
            accepted_count: usize,
            rejected_count: usize,
            rejected: &'a [Rejection],
            accepted: &'a [Accepted],
        }
        serde_json::to_string(&ReportFile {
            accepted_count: self.accepted.len(),
            rejected_count: self.rejected.len(),
            rejected: &self.rejected,
            accepted: &self.accepted,
        })
        .expect("the report holds only strings and numbers")
    }

    /// The report for people: one line per rejection and per repair, then the summary.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for r in &self.rejected {
            out.push_str(&format!("rejected {r}\n"));
        }
        for a in &self.accepted {
            for note in &a.notes {
                let line = a.line.map(|l| format!(":{l}")).unwrap_or_default();
                out.push_str(&format!("note {}{line} ({}): {note}\n", a.path, a.id));
            }
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

/// The file name without folders and extension: the id of a page read from it.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split_once('.').map_or(name, |(stem, _)| stem)
}

/// What a file holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Page,
    JsonLines,
    JsonArray,
}

fn kind_of(name: &str) -> Option<(Kind, bool)> {
    let name = name.to_lowercase();
    let (name, gzipped) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let kind = if name.ends_with(".txt") && !gzipped {
        Kind::Page
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Kind::JsonLines
    } else if name.ends_with(".json") {
        Kind::JsonArray
    } else {
        return None;
    };
    Some((kind, gzipped))
}

/// Bytes that are not UTF-8 may be TCVN3/VNI text saved in its own 8-bit encoding: read
/// them as Latin-1 and ask the legacy detector. The converted text and its encoding.
pub(crate) fn decode_legacy_bytes(bytes: &[u8]) -> Option<(String, text::legacy::Legacy)> {
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    text::legacy::repair(&latin1)
}

pub(crate) fn converted_note(encoding: text::legacy::Legacy) -> String {
    format!("converted from {}", encoding.name())
}

/// Text of a page: UTF-8, or failing that TCVN3/VNI bytes the legacy detector recognises.
/// Returns the text and a note about any conversion.
fn decode_text(bytes: &[u8]) -> Result<(String, Option<String>), Reason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Reason::Empty);
    }
    if bytes.contains(&0) {
        return Err(Reason::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(utf8) => {
            let (text, legacy) = text::repair(utf8);
            Ok((text, legacy.map(converted_note)))
        }
        Err(e) => match decode_legacy_bytes(bytes) {
            Some((converted, encoding)) => {
                Ok((text::clean(&converted), Some(converted_note(encoding))))
            }
            None => Err(Reason::NotUtf8 {
                byte_offset: e.valid_up_to(),
            }),
        },
    }
}

fn read_page(path: &str, bytes: &[u8]) -> Result<(Article, Vec<String>), Reason> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(Reason::TooLarge {
            bytes: bytes.len(),
            limit: MAX_ARTICLE_BYTES,
        });
    }
    let (text, note) = decode_text(bytes)?;
    let article = raw::parse(file_stem(path), &text)?;
    Ok((article, note.into_iter().collect()))
}

/// The text that makes two articles the same: title, lead and body, whitespace collapsed.
fn same_text(a: &Article, b: &Article) -> bool {
    fn words(a: &Article) -> impl Iterator<Item = &str> {
        let lead = a.lead.as_deref().unwrap_or("");
        std::iter::once(a.title.as_str())
            .chain(std::iter::once("\u{1}"))
            .chain(std::iter::once(lead))
            .chain(std::iter::once("\u{1}"))
            .chain(a.body.iter().map(String::as_str))
            .flat_map(str::split_whitespace)
    }
    words(a).eq(words(b))
}

fn text_hash(a: &Article) -> u64 {
    // DefaultHasher::new() uses fixed keys: the same text hashes alike in every build.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let lead = a.lead.as_deref().unwrap_or("");
    for part in [a.title.as_str(), "\u{1}", lead, "\u{1}"]
        .into_iter()
        .chain(a.body.iter().map(String::as_str))
    {
        for word in part.split_whitespace() {
            word.hash(&mut h);
        }
    }
    h.finish()
}

/// Turns files into articles one at a time, so a caller can stream a large corpus and
/// report files it could not even read. Files should be given in a stable (sorted) order:
/// of two duplicates, the later one is rejected.
#[derive(Debug, Default)]
pub struct Ingester {
    articles: Vec<Article>,
    report: IngestReport,
    /// Article id → position in `articles`.
    ids: HashMap<String, usize>,
    /// Hash of the text → positions in `articles`, confirmed with [`same_text`].
    texts: HashMap<u64, Vec<usize>>,
}

impl Ingester {
    pub fn new() -> Ingester {
        Ingester::default()
    }

    /// Reads one file's bytes; the path decides the format and names the report entries.
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) {
        if bytes.len() > MAX_FILE_BYTES {
            return self.reject_file(
                path,
                Reason::TooLarge {
                    bytes: bytes.len(),
                    limit: MAX_FILE_BYTES,
                },
            );
        }
        match kind_of(path) {
            None => self.reject_file(path, Reason::UnsupportedType),
            Some((Kind::Page, _)) => {
                let outcome = read_page(path, bytes);
                self.offer(path, None, None, outcome);
            }
            Some((kind, gzipped)) => self.add_json(path, bytes, kind, gzipped),
        }
    }

    #[cfg(feature = "jsonl")]
    fn add_json(&mut self, path: &str, bytes: &[u8], kind: Kind, gzipped: bool) {
        #[cfg(feature = "gz")]
        let inflated;
        let bytes = if gzipped {
            #[cfg(feature = "gz")]
            match records::gunzip(bytes) {
                Ok(b) => {
                    inflated = b;
                    &inflated[..]
                }
                Err(reason) => return self.reject_file(path, reason),
            }
            #[cfg(not(feature = "gz"))]
            return self.reject_file(path, Reason::UnsupportedType);
        } else {
            bytes
        };
        let stem = file_stem(path).to_string();
        let kind = if kind == Kind::JsonArray && records::holds_json_lines(bytes) {
            Kind::JsonLines
        } else {
            kind
        };
        let mut outcomes = Vec::new();
        let whole = match kind {
            Kind::JsonArray => records::read_array(&stem, bytes, &mut |index, outcome| {
                outcomes.push((None, Some(index), outcome))
            }),
            _ => records::read_lines(&stem, bytes, &mut |line, outcome| {
                outcomes.push((Some(line), None, outcome))
            }),
        };
        if let Err(reason) = whole {
            return self.reject_file(path, reason);
        }
        for (line, index, outcome) in outcomes {
            self.offer(path, line, index, outcome);
        }
    }

    #[cfg(not(feature = "jsonl"))]
    fn add_json(&mut self, path: &str, _bytes: &[u8], _kind: Kind, _gzipped: bool) {
        self.reject_file(path, Reason::UnsupportedType);
    }

    /// Records a file the caller could not hand over (unreadable, or too large to read).
    pub fn reject_file(&mut self, path: &str, reason: Reason) {
        self.report.rejected.push(Rejection {
            path: path.to_string(),
            line: None,
            index: None,
            reason,
        });
    }

    fn offer(
        &mut self,
        path: &str,
        line: Option<usize>,
        index: Option<usize>,
        outcome: Result<(Article, Vec<String>), Reason>,
    ) {
        let outcome = outcome.and_then(|(article, notes)| {
            if let Some(&earlier) = self.ids.get(&article.id) {
                return Err(Reason::Duplicate {
                    of: self.articles[earlier].id.clone(),
                    same: Sameness::Id,
                });
            }
            let hash = text_hash(&article);
            let twins = self.texts.get(&hash).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&earlier) = twins
                .iter()
                .find(|&&i| same_text(&self.articles[i], &article))
            {
                return Err(Reason::Duplicate {
                    of: self.articles[earlier].id.clone(),
                    same: Sameness::Text,
                });
            }
            Ok((article, notes, hash))
        });
        match outcome {
            Ok((article, notes, hash)) => {
                let position = self.articles.len();
                self.ids.insert(article.id.clone(), position);
                self.texts.entry(hash).or_default().push(position);
                self.report.accepted.push(Accepted {
                    path: path.to_string(),
                    line,
                    index,
                    id: article.id.clone(),
                    notes,
                });
                self.articles.push(article);
            }
            Err(reason) => self.report.rejected.push(Rejection {
                path: path.to_string(),
                line,
                index,
                reason,
            }),
        }
    }

    /// How many articles have been accepted so far.
    pub fn accepted(&self) -> usize {
        self.articles.len()
    }

    pub fn finish(self) -> (Vec<Article>, IngestReport) {
        (self.articles, self.report)
    }
}

/// Turns input files into articles. Files are taken in the order given (callers sort
/// them); an article whose id or text repeats an earlier one is rejected as a duplicate.
pub fn ingest(files: &[SourceFile]) -> (Vec<Article>, IngestReport) {
    let mut ingester = Ingester::new();
    for file in files {
        ingester.add_file(&file.path, &file.bytes);
    }
    ingester.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_come_from_the_name() {
        assert_eq!(kind_of("a/b/000_x.txt"), Some((Kind::Page, false)));
        assert_eq!(kind_of("x.JSONL"), Some((Kind::JsonLines, false)));
        assert_eq!(kind_of("x.jsonl.gz"), Some((Kind::JsonLines, true)));
        assert_eq!(kind_of("x.json"), Some((Kind::JsonArray, false)));
        assert_eq!(kind_of("x.txt.gz"), None);
        assert_eq!(kind_of("README.md"), None);
        assert_eq!(file_stem("corpora/unc-dantri.jsonl.gz"), "unc-dantri");
    }

    #[test]
    fn tcvn3_bytes_that_are_not_utf8_are_converted() {
        // "Hµ Néi" in TCVN3 bytes: µ is 0xB5 and é 0xE9, invalid as UTF-8.
        let bytes = b"H\xb5 N\xe9i\n\nB\xb5i vi\xd5t.\n";
        let (text, note) = decode_text(bytes).unwrap();
        assert_eq!(text, "Hà Nội\n\nBài viết.\n");
        assert_eq!(note.as_deref(), Some("converted from TCVN3"));
        assert!(matches!(
            decode_text(b"caf\xe9 au lait"),
            Err(Reason::NotUtf8 { byte_offset: 3 })
        ));
    }
}
