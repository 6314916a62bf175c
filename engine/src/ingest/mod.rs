//! Input files into articles, with a report that accounts for every file and every record.
//!
//! The caller (build.rs, the command line) opens the files; this module only sees a reader
//! (or bytes) and the path they came from. What it accepts:
//! - `.txt`: one scraped page (the seeds' format), parsed by [`raw`];
//! - `.jsonl` / `.ndjson`: one article per line, fields mapped by `records` (feature `jsonl`);
//! - `.json`: an array of such objects, or a single object, or JSON Lines under that name
//!   (feature `jsonl`);
//! - any of those JSON forms gzipped, `.jsonl.gz` (feature `gz`).
//!
//! Memory stays bounded by one record, not one file: JSON is read as a stream (`stream`),
//! from the open file itself unless gzipped ([`Ingester::add_reader`]), each record is handed
//! to the [`ArticleSink`] as soon as it is accepted, and duplicates are found from ids and a
//! 128-bit hash of the text, so a caller that drops the articles (`docbao check`) keeps only
//! the report.
//!
//! Invariant: every input is accounted for. Each file, and each JSON record inside a file,
//! ends up either in `accepted` or in `rejected` with its path, line (JSON Lines) or array
//! index (JSON) and the reason; a bad record never takes the records around it down, and a
//! fault that stops a file keeps the records before it.

pub mod date;
pub mod raw;
#[cfg(feature = "jsonl")]
pub mod records;
#[cfg(feature = "jsonl")]
mod stream;

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::Hasher;
use std::io::Read;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::article::Article;
use crate::text;

/// Largest input file accepted, in bytes; a gzipped file is held to it once decompressed.
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// Largest single article accepted (one page, one JSON Lines record), in bytes. Real news
/// articles are tens of kilobytes; anything this large is a scrape gone wrong.
pub const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;

/// Record rejections listed one by one, by default, before the rest of each file's are
/// counted in one [`Reason::NotListed`] entry, so the report stays bounded (about 140 bytes
/// an entry) even for a file of millions of differing rejections.
pub const MAX_LISTED_REJECTIONS: usize = 200_000;

/// Outcome of one input (a page, a record): the article and what was done to it, or why
/// it was rejected.
pub type Outcome = Result<(Article, Remarks), Reason>;

/// One input file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (used in the report, and its stem as the id).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A string many report entries share (a file's path, an article id): a clone is a
/// reference count, so a million rejections of one file hold its path once. Reads, compares
/// and serializes as a plain string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr(s.into())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr(s.into())
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedStr, D::Error> {
        String::deserialize(deserializer).map(SharedStr::from)
    }
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
        of: SharedStr,
        same: Sameness,
    },
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// A gzipped file inflated past [`MAX_FILE_BYTES`]: the records before were read, the
    /// rest of the file was not.
    InflatesTooLarge {
        limit: usize,
    },
    /// serde_json's message, which names the line and column.
    UnreadableJson {
        message: String,
    },
    UnreadableGzip {
        message: String,
    },
    /// Bytes after the last complete gzip member, from this offset of the compressed file;
    /// the members before them were read.
    GzipTrailingData {
        byte_offset: usize,
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
    /// Reading the file failed at this byte offset (a disk error, a file cut short under
    /// the reader): the records before it were read, the rest of the file was not.
    ReadFailed {
        byte_offset: usize,
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
    /// Records rejected after the report had listed `listed` rejections one by one: counted
    /// (with the range of lines or indexes they fall in), their reasons not kept.
    NotListed {
        listed: usize,
    },
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
            Reason::InflatesTooLarge { limit } => write!(
                f,
                "inflates past the limit of {limit} bytes: reading stopped here, the rest \
                 of the file was not read"
            ),
            Reason::UnreadableJson { message } => write!(f, "unreadable JSON: {message}"),
            Reason::UnreadableGzip { message } => write!(f, "unreadable gzip: {message}"),
            Reason::GzipTrailingData { byte_offset } => write!(
                f,
                "data that is not gzip after the last gzip member, from byte offset \
                 {byte_offset}: ignored (the records before it were read)"
            ),
            Reason::BadField { field, message } => write!(f, "field `{field}`: {message}"),
            Reason::Unreadable { message } => write!(f, "cannot be read: {message}"),
            Reason::ReadFailed {
                byte_offset,
                message,
            } => write!(
                f,
                "reading failed at byte offset {byte_offset}: {message}; the rest of the \
                 file was not read"
            ),
            Reason::SymlinkLoop => write!(f, "symlink loop"),
            Reason::DanglingSymlink => write!(f, "dangling symlink: its target does not exist"),
            Reason::UnreadableFolder { message } => write!(f, "cannot read folder: {message}"),
            Reason::NotRegularFile { kind } => write!(f, "not a regular file ({kind})"),
            Reason::UnsupportedType => write!(
                f,
                "not a supported file type (supported: {})",
                supported_types()
            ),
            Reason::NotListed { listed } => write!(
                f,
                "rejected too, reasons not listed: the report lists {listed} rejections one \
                 by one, then counts the rest"
            ),
        }
    }
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

fn one() -> usize {
    1
}

/// A rejected file or record, or a run of consecutive records of one file rejected for the
/// same reason (`records` > 1: from `line` to `last_line`, or `index` to `last_index`), so a
/// file of a million copies of one record is one entry, not a million.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub path: SharedStr,
    /// 1-based line of a JSON Lines record, or where a JSON array element starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 0-based position of a record in a JSON array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The last line of a run of records rejected alike (absent for one record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_line: Option<usize>,
    /// The last array index of a run of records rejected alike (absent for one record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_index: Option<usize>,
    /// How many records this entry stands for: 1, or the length of a run.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub records: usize,
    #[serde(flatten)]
    pub reason: Reason,
}

impl Rejection {
    /// Makes this entry a run that ends at `spot`, one record longer.
    fn extend_to(&mut self, spot: Spot) {
        self.last_line = spot.line;
        self.last_index = spot.index;
        self.records += 1;
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(last) = self.last_line.filter(|&last| last != line) {
                write!(f, "–{last}")?;
            }
        }
        if let Some(index) = self.index {
            write!(f, " [index {index}")?;
            if let Some(last) = self.last_index.filter(|&last| last != index) {
                write!(f, "–{last}")?;
            }
            write!(f, "]")?;
        }
        match self.reason {
            // Accepted records may lie between these: the range only bounds them.
            Reason::NotListed { .. } => write!(f, " ({} records in this range)", self.records)?,
            _ if self.records > 1 => write!(f, " ({} records, each)", self.records)?,
            _ => {}
        }
        write!(f, ": {}", self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub path: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    pub id: SharedStr,
    /// Repairs made on the way in that lost nothing (`converted from TCVN3`), a date that
    /// was not understood, and a page's date left empty because its evidence disagrees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where data was lost or guessed: bytes that were not UTF-8 replaced, control
    /// characters removed, an id replaced. `DOCBAO_STRICT=1` and `docbao check` fail on these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What was done to one input on its way in: notes on repairs that lost nothing, warnings
/// where data was lost or guessed (see [`Accepted`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remarks {
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    /// Characters removed from any of the input's texts, one warning for them all.
    removed: text::Removed,
}

impl Remarks {
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.warnings.is_empty() && self.removed.is_empty()
    }

    pub(crate) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(crate) fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Notes a legacy conversion and counts removed characters, as [`text::repair_and_count`]
    /// reports them; `field` names the JSON field the text came from.
    pub(crate) fn repaired(&mut self, repaired: &text::Repaired, field: Option<&str>) {
        if let Some(encoding) = repaired.converted_from {
            let note = converted_note(encoding);
            self.note(match field {
                Some(name) => format!("field `{name}` {note}"),
                None => note,
            });
        }
        self.removed.add(&repaired.removed);
    }

    /// These remarks, then `later`'s.
    #[cfg(feature = "jsonl")]
    pub(crate) fn followed_by(mut self, later: Remarks) -> Remarks {
        self.notes.extend(later.notes);
        self.warnings.extend(later.warnings);
        self.removed.add(&later.removed);
        self
    }

    /// The notes and warnings, removed characters as one warning at the end.
    pub fn into_lists(mut self) -> (Vec<String>, Vec<String>) {
        if !self.removed.is_empty() {
            self.warnings.push(self.removed.to_string());
        }
        (self.notes, self.warnings)
    }
}

/// Every input, accepted or rejected with its reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    pub accepted: Vec<Accepted>,
    /// One entry per rejected file or record, or per run of records rejected alike.
    pub rejected: Vec<Rejection>,
}

impl IngestReport {
    /// How many files and records were rejected (a run counts each of its records).
    pub fn rejected_count(&self) -> usize {
        self.rejected.iter().map(|r| r.records).sum()
    }

    /// `2 accepted, 0 rejected`, then `, 1 warning` and `, 2 notes` when there are any.
    pub fn summary(&self) -> String {
        let count = |n: usize, what: &str| match n {
            0 => String::new(),
            1 => format!(", 1 {what}"),
            n => format!(", {n} {what}s"),
        };
        format!(
            "{} accepted, {} rejected{}{}",
            self.accepted.len(),
            self.rejected_count(),
            count(self.warnings(), "warning"),
            count(self.notes(), "note"),
        )
    }

    /// How many warnings the accepted inputs carry.
    pub fn warnings(&self) -> usize {
        self.accepted.iter().map(|a| a.warnings.len()).sum()
    }

    /// How many notes the accepted inputs carry (a legacy encoding converted, a date left
    /// empty and why).
    pub fn notes(&self) -> usize {
        self.accepted.iter().map(|a| a.notes.len()).sum()
    }

    /// True when anything was rejected or accepted with a warning: what `DOCBAO_STRICT=1`
    /// and `docbao check` fail on.
    pub fn has_problems(&self) -> bool {
        !self.rejected.is_empty() || self.warnings() > 0
    }

    /// The report as JSON, counts first: what build.rs ships as `ingest-report.json`.
    /// `rejected_count` counts records; an entry of `rejected` with `records` > 1 stands for
    /// that many consecutive records, `line`–`last_line` (or `index`–`last_index`).
    #[cfg(feature = "jsonl")]
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct ReportFile<'a> {
            accepted_count: usize,
            rejected_count: usize,
            warning_count: usize,
            rejected: &'a [Rejection],
            accepted: &'a [Accepted],
        }
        serde_json::to_string(&ReportFile {
            accepted_count: self.accepted.len(),
            rejected_count: self.rejected_count(),
            warning_count: self.warnings(),
            rejected: &self.rejected,
            accepted: &self.accepted,
        })
        .expect("the report holds only strings and numbers")
    }

    /// The report for people: one line per rejection (or run of records rejected alike, its
    /// lines as a range with the number of records), per warning and per note, then the
    /// summary.
    pub fn describe(&self) -> String {
        self.description().map(|line| line + "\n").collect()
    }

    /// [`IngestReport::describe`] line by line (without newlines), for a caller that writes
    /// a large report out without building it whole.
    pub fn description(&self) -> impl Iterator<Item = String> + '_ {
        let rejections = self.rejected.iter().map(|r| format!("rejected {r}"));
        let remarks = |kind: &'static str, of: fn(&Accepted) -> &Vec<String>| {
            self.accepted.iter().flat_map(move |a| {
                let line = a.line.map(|l| format!(":{l}")).unwrap_or_default();
                let index = a.index.map(|i| format!(" [index {i}]")).unwrap_or_default();
                of(a)
                    .iter()
                    .map(move |text| format!("{kind} {}{line}{index} ({}): {text}", a.path, a.id))
            })
        };
        rejections
            .chain(remarks("warning", |a| &a.warnings))
            .chain(remarks("note", |a| &a.notes))
            .chain(std::iter::once(self.summary()))
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
/// them as Latin-1 and ask the legacy detector, which keeps a conversion only when it reads
/// as Vietnamese. The converted text and its encoding.
pub(crate) fn decode_legacy_bytes(bytes: &[u8]) -> Option<(String, text::legacy::Legacy)> {
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    text::legacy::repair(&latin1)
}

pub(crate) fn converted_note(encoding: text::legacy::Legacy) -> String {
    format!("converted from {}", encoding.name())
}

/// Offsets of invalid UTF-8 named in a warning; the rest are counted.
const LISTED_BAD_BYTES: usize = 5;

/// Byte offsets of the invalid sequences in `bytes`, when they are few next to the valid
/// non-ASCII characters around them: UTF-8 with a few damaged bytes, not some other
/// encoding. At most one in four non-ASCII sequences may be bad (random bytes have about
/// ten bad for one valid); text with no valid non-ASCII character at all (Latin-1 `café`,
/// ASCII with one stray byte) gives no such evidence.
fn damaged_utf8(bytes: &[u8]) -> Option<Vec<usize>> {
    let (mut valid_non_ascii, mut bad) = (0usize, Vec::new());
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            let offset = chunk.invalid().as_ptr() as usize - bytes.as_ptr() as usize;
            bad.push(offset);
        }
    }
    (valid_non_ascii > 0 && bad.len() * 3 <= valid_non_ascii).then_some(bad)
}

fn replaced_bytes_warning(offsets: &[usize]) -> String {
    let listed: Vec<String> = offsets
        .iter()
        .take(LISTED_BAD_BYTES)
        .map(ToString::to_string)
        .collect();
    let more = if offsets.len() > LISTED_BAD_BYTES {
        ", …"
    } else {
        ""
    };
    let (n, s) = match offsets.len() {
        1 => (1, ""),
        n => (n, "s"),
    };
    format!(
        "not valid UTF-8: {n} invalid byte sequence{s} replaced with U+FFFD, at byte offset{s} {}{more}",
        listed.join(", ")
    )
}

/// Bytes into text, for a page or one JSON line: UTF-8; else UTF-8 with a few damaged bytes,
/// replaced by U+FFFD with a warning; else TCVN3/VNI bytes that convert into Vietnamese,
/// noted; else not text at all. Not yet cleaned. Valid UTF-8 (nearly every input) is
/// borrowed, not copied.
pub(crate) fn decode_bytes<'a>(
    bytes: &'a [u8],
    remarks: &mut Remarks,
) -> Result<std::borrow::Cow<'a, str>, Reason> {
    let error = match std::str::from_utf8(bytes) {
        Ok(utf8) => return Ok(utf8.into()),
        Err(e) => e,
    };
    if let Some(offsets) = damaged_utf8(bytes) {
        remarks.warn(replaced_bytes_warning(&offsets));
        return Ok(String::from_utf8_lossy(bytes).into_owned().into());
    }
    match decode_legacy_bytes(bytes) {
        Some((converted, encoding)) => {
            remarks.note(converted_note(encoding));
            Ok(converted.into())
        }
        None => Err(Reason::NotUtf8 {
            byte_offset: error.valid_up_to(),
        }),
    }
}

/// Controls that text files never hold (NUL, escape, the rest of C0 but tab, line breaks and
/// form feeds, and DEL): more than one byte in fifty of them is binary data. A few stray
/// ones in text are removed by [`text::clean`], with a warning.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let controls = bytes
        .iter()
        .filter(|&&b| matches!(b, 0x00..=0x08 | 0x0e..=0x1f | 0x7f))
        .count();
    controls * 50 > bytes.len()
}

/// Text of a page: decoded (see [`decode_bytes`]), legacy text converted and cleaned.
fn decode_text(bytes: &[u8], remarks: &mut Remarks) -> Result<String, Reason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Reason::Empty);
    }
    if looks_binary(bytes) {
        return Err(Reason::Binary);
    }
    let decoded = decode_bytes(bytes, remarks)?;
    let repaired = text::repair_and_count(&decoded);
    remarks.repaired(&repaired, None);
    Ok(repaired.text)
}

fn read_page(path: &str, bytes: &[u8]) -> Result<(Article, Remarks), Reason> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(Reason::TooLarge {
            bytes: bytes.len(),
            limit: MAX_ARTICLE_BYTES,
        });
    }
    let mut remarks = Remarks::default();
    let text = decode_text(bytes, &mut remarks)?;
    let (article, notes) = raw::parse_page(file_stem(path), &text)?;
    notes.into_iter().for_each(|note| remarks.note(note));
    Ok((article, remarks))
}

/// Whether `id` can name an article's page in the reader (`#/a/<id>`): not empty or blank,
/// not `.` or `..` (which URL parsing resolves away as path segments), no control or
/// bidirectional formatting characters.
pub fn is_usable_id(id: &str) -> bool {
    !id.trim().is_empty()
        && id != "."
        && id != ".."
        && !id
            .chars()
            .any(|c| c.is_control() || text::is_control_or_bidi(c))
}

/// The id an input gets when its own cannot be used: `stem-line` for a JSON Lines record,
/// `stem-N` for the Nth record of an array (as when a record has no id), the file name for
/// a page (its stem was the id).
fn fallback_id(path: &str, line: Option<usize>, index: Option<usize>) -> String {
    let stem = Some(file_stem(path))
        .filter(|s| is_usable_id(s))
        .unwrap_or("article");
    match (line, index) {
        (Some(line), _) => format!("{stem}-{line}"),
        (None, Some(index)) => format!("{stem}-{}", index + 1),
        (None, None) => {
            let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            if is_usable_id(name) { name } else { stem }.to_string()
        }
    }
}

/// A strong hash of the text that makes two articles the same: title, lead and body, words
/// only (spacing aside). 128 bits from two fixed-key SipHash runs with different prefixes,
/// so two different texts meet by chance with odds of about 2^-128, and no article text
/// needs to be kept to find a duplicate.
fn text_hash(a: &Article) -> u128 {
    // DefaultHasher::new() uses fixed keys: the same text hashes alike in every run.
    let mut low = std::collections::hash_map::DefaultHasher::new();
    let mut high = std::collections::hash_map::DefaultHasher::new();
    high.write_u8(0x5a);
    let lead = a.lead.as_deref().unwrap_or("");
    for part in [a.title.as_str(), "\u{1}", lead, "\u{1}"]
        .into_iter()
        .chain(a.body.iter().map(String::as_str))
    {
        for word in part.split_whitespace() {
            for h in [&mut low, &mut high] {
                h.write(word.as_bytes());
                h.write_u8(0xff);
            }
        }
    }
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}

/// Where accepted articles go as they are read: the ingester keeps none of them itself.
pub trait ArticleSink {
    fn take(&mut self, article: Article);
}

/// Collects the articles, in order (what build.rs and `docbao search` index).
impl ArticleSink for Vec<Article> {
    fn take(&mut self, article: Article) {
        self.push(article);
    }
}

/// Drops the articles: for a caller that only wants the report (`docbao check`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Discard;

impl ArticleSink for Discard {
    fn take(&mut self, _article: Article) {}
}

/// Where a record sits in its file: a JSON Lines line, an array element's index and the
/// line it starts on, or neither for the file as a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Spot {
    pub line: Option<usize>,
    pub index: Option<usize>,
}

impl Spot {
    pub const FILE: Spot = Spot {
        line: None,
        index: None,
    };
}

/// Turns files into articles one at a time, handing each accepted article to its sink as
/// soon as it is read, so a caller can stream a large corpus and report files it could not
/// even read. Files should be given in a stable (sorted) order: of two duplicates, the later
/// one is rejected.
#[derive(Debug)]
pub struct Ingester<S = Vec<Article>> {
    sink: S,
    report: IngestReport,
    /// Ids of the accepted articles.
    ids: HashSet<SharedStr>,
    /// [`text_hash`] of each accepted article → its id.
    texts: HashMap<u128, SharedStr>,
    /// The path of the file being read, shared by its report entries.
    path: SharedStr,
    /// Whether the last report entry is a record rejection that the next record of the same
    /// file may extend (no record was accepted since).
    run_open: bool,
    /// Record rejections listed one by one before the rest are only counted.
    max_listed: usize,
    /// Record rejections listed so far.
    listed: usize,
    /// This file's [`Reason::NotListed`] entry, by position in `report.rejected`.
    not_listed: Option<usize>,
    /// Bytes of input read, after decompression.
    bytes_read: u64,
}

impl Ingester {
    /// An ingester that collects the accepted articles: [`Ingester::finish`] returns them.
    pub fn new() -> Ingester {
        Ingester::with_sink(Vec::new())
    }
}

impl Default for Ingester {
    fn default() -> Ingester {
        Ingester::new()
    }
}

impl<S: ArticleSink> Ingester<S> {
    /// An ingester that hands every accepted article to `sink` as it is read.
    pub fn with_sink(sink: S) -> Ingester<S> {
        Ingester {
            sink,
            report: IngestReport::default(),
            ids: HashSet::new(),
            texts: HashMap::new(),
            path: SharedStr::from(""),
            run_open: false,
            max_listed: MAX_LISTED_REJECTIONS,
            listed: 0,
            not_listed: None,
            bytes_read: 0,
        }
    }

    /// Lists at most `entries` record rejections one by one (default
    /// [`MAX_LISTED_REJECTIONS`]); later ones are counted per file in one entry.
    pub fn list_at_most(mut self, entries: usize) -> Ingester<S> {
        self.max_listed = entries;
        self
    }

    /// Reads one file's bytes; the path decides the format and names the report entries.
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) {
        self.start_file(path);
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
                self.bytes_read += bytes.len() as u64;
                let outcome = read_page(path, bytes);
                self.offer(Spot::FILE, outcome);
            }
            Some((kind, gzipped)) => self.add_json_bytes(bytes, kind, gzipped),
        }
    }

    /// Reads one file from `reader` (an open file); the path decides the format and names
    /// the report entries. Plain JSON (`.jsonl`, `.ndjson`, `.json`) is streamed, never held
    /// whole; a page (up to [`MAX_ARTICLE_BYTES`]) and a gzipped file's compressed bytes are
    /// read into memory first. Reading stops past [`MAX_FILE_BYTES`]. A read that fails is a
    /// [`Reason::ReadFailed`] naming the byte offset, after the records read before it.
    pub fn add_reader(&mut self, path: &str, mut reader: impl Read) {
        let keep = match kind_of(path) {
            None => return self.reject_file(path, Reason::UnsupportedType),
            Some((Kind::Page, _)) => MAX_ARTICLE_BYTES,
            Some((_, true)) => MAX_FILE_BYTES,
            Some((kind, false)) => {
                self.start_file(path);
                return self.add_json_stream(&mut reader, kind);
            }
        };
        match read_at_most(&mut reader, keep, MAX_FILE_BYTES) {
            Ok(bytes) => self.add_file(path, &bytes),
            Err(reason) => {
                // Bytes read but not kept still count as read, as `add_file` counts a page.
                if let Reason::TooLarge { bytes: read, .. }
                | Reason::ReadFailed {
                    byte_offset: read, ..
                } = reason
                {
                    self.bytes_read += read as u64;
                }
                self.reject_file(path, reason);
            }
        }
    }

    /// Forgets the previous file's place in the report: the next entries are `path`'s.
    fn start_file(&mut self, path: &str) {
        self.path = SharedStr::from(path);
        self.run_open = false;
        self.not_listed = None;
    }

    #[cfg(feature = "jsonl")]
    fn add_json_bytes(&mut self, bytes: &[u8], kind: Kind, gzipped: bool) {
        let mut plain = bytes;
        let data = if gzipped {
            stream::Data::Gzipped(bytes)
        } else {
            stream::Data::Plain(&mut plain)
        };
        self.add_json(data, kind);
    }

    #[cfg(feature = "jsonl")]
    fn add_json_stream(&mut self, reader: &mut dyn Read, kind: Kind) {
        self.add_json(stream::Data::Plain(reader), kind);
    }

    #[cfg(feature = "jsonl")]
    fn add_json(&mut self, data: stream::Data, kind: Kind) {
        let stem = file_stem(&self.path).to_string();
        let input = stream::Input {
            data,
            json_lines: kind == Kind::JsonLines,
            limit: MAX_FILE_BYTES,
        };
        let read = stream::read(input, &stem, &mut |spot, outcome| self.offer(spot, outcome));
        self.bytes_read += read;
    }

    #[cfg(not(feature = "jsonl"))]
    fn add_json_bytes(&mut self, _bytes: &[u8], _kind: Kind, _gzipped: bool) {
        self.offer(Spot::FILE, Err(Reason::UnsupportedType));
    }

    #[cfg(not(feature = "jsonl"))]
    fn add_json_stream(&mut self, _reader: &mut dyn Read, _kind: Kind) {
        self.offer(Spot::FILE, Err(Reason::UnsupportedType));
    }

    /// Records a file the caller could not hand over (unreadable, or too large to read).
    pub fn reject_file(&mut self, path: &str, reason: Reason) {
        self.run_open = false;
        self.report.rejected.push(Rejection {
            path: SharedStr::from(path),
            line: None,
            index: None,
            last_line: None,
            last_index: None,
            records: 1,
            reason,
        });
    }

    /// Checks a record read from the current file against the articles accepted so far,
    /// and records it as accepted (handing the article to the sink) or rejected. An id the
    /// reader could not open (`.`, `..`, blank) is replaced first, with a warning.
    fn offer(&mut self, spot: Spot, outcome: Outcome) {
        let outcome = outcome.and_then(|(mut article, mut remarks)| {
            if !is_usable_id(&article.id) {
                let replacement = self.unused_id(fallback_id(&self.path, spot.line, spot.index));
                remarks.warn(format!(
                    "id {:?} cannot name a page in the reader: replaced by {replacement:?}",
                    article.id
                ));
                article.id = replacement;
            }
            if let Some(earlier) = self.ids.get(article.id.as_str()) {
                return Err(Reason::Duplicate {
                    of: earlier.clone(),
                    same: Sameness::Id,
                });
            }
            let hash = text_hash(&article);
            if let Some(earlier) = self.texts.get(&hash) {
                return Err(Reason::Duplicate {
                    of: earlier.clone(),
                    same: Sameness::Text,
                });
            }
            Ok((article, remarks, hash))
        });
        match outcome {
            Ok((article, remarks, hash)) => {
                let (notes, warnings) = remarks.into_lists();
                let id = SharedStr::from(article.id.as_str());
                self.ids.insert(id.clone());
                self.texts.insert(hash, id.clone());
                self.report.accepted.push(Accepted {
                    path: self.path.clone(),
                    line: spot.line,
                    index: spot.index,
                    id,
                    notes,
                    warnings,
                });
                self.run_open = false;
                self.sink.take(article);
            }
            Err(reason) => self.reject(spot, reason),
        }
    }

    /// Records a rejection, extending the last entry instead when it is the same reason for
    /// the record just before this one in the same file; past the listing limit, extends
    /// the file's [`Reason::NotListed`] entry.
    fn reject(&mut self, spot: Spot, reason: Reason) {
        let is_record = spot != Spot::FILE;
        if let Some(last) = self.report.rejected.last_mut().filter(|_| self.run_open) {
            let same_kind_of_spot = last.line.is_some() == spot.line.is_some()
                && last.index.is_some() == spot.index.is_some();
            if is_record && same_kind_of_spot && last.reason == reason {
                last.extend_to(spot);
                return;
            }
        }
        if is_record && self.listed >= self.max_listed {
            match self.not_listed {
                Some(at) => self.report.rejected[at].extend_to(spot),
                None => {
                    self.not_listed = Some(self.report.rejected.len());
                    self.run_open = false;
                    let listed = self.max_listed;
                    let entry = self.rejection(spot, Reason::NotListed { listed });
                    self.report.rejected.push(entry);
                }
            }
            return;
        }
        self.listed += usize::from(is_record);
        let entry = self.rejection(spot, reason);
        self.report.rejected.push(entry);
        self.run_open = is_record;
    }

    /// A report entry for one record (or the file) of the current file.
    fn rejection(&self, spot: Spot, reason: Reason) -> Rejection {
        Rejection {
            path: self.path.clone(),
            line: spot.line,
            index: spot.index,
            last_line: None,
            last_index: None,
            records: 1,
            reason,
        }
    }

    /// `base`, or `base-2`, `base-3`… if an earlier article has it.
    fn unused_id(&self, base: String) -> String {
        if !self.ids.contains(base.as_str()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !self.ids.contains(id.as_str()))
            .expect("some suffix is free")
    }

    /// How many articles have been accepted so far.
    pub fn accepted(&self) -> usize {
        self.report.accepted.len()
    }

    /// Bytes of input read so far, counting gzipped files as decompressed.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    pub fn sink(&self) -> &S {
        &self.sink
    }

    /// The sink and the report.
    pub fn finish(self) -> (S, IngestReport) {
        (self.sink, self.report)
    }
}

/// All of `reader` when it holds at most `keep` bytes. Otherwise the rest is counted, not
/// kept, up to `count_to` + 1 bytes (a file that keeps growing is not read for ever), and
/// the file is too large: for `keep`, or for `count_to` when it passes that too.
fn read_at_most(reader: &mut dyn Read, keep: usize, count_to: usize) -> Result<Vec<u8>, Reason> {
    let failed = |byte_offset: usize, e: std::io::Error| Reason::ReadFailed {
        byte_offset,
        message: e.to_string(),
    };
    let mut bytes = Vec::new();
    // read_to_end keeps what it read before an error, so its length is where reading failed.
    if let Err(e) = (&mut *reader).take(keep as u64 + 1).read_to_end(&mut bytes) {
        return Err(failed(bytes.len(), e));
    }
    if bytes.len() <= keep {
        return Ok(bytes);
    }
    let mut total = bytes.len();
    drop(bytes);
    let mut chunk = [0u8; 64 * 1024];
    while total <= count_to {
        let room = chunk.len().min(count_to + 1 - total);
        match reader.read(&mut chunk[..room]) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(failed(total, e)),
        }
    }
    let limit = if total > count_to { count_to } else { keep };
    Err(Reason::TooLarge {
        bytes: total,
        limit,
    })
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
    fn a_source_longer_than_allowed_is_counted_only_one_byte_past_the_limit() {
        // io::repeat never ends, like a file that keeps growing after its size was taken.
        assert_eq!(
            read_at_most(&mut std::io::repeat(b'a'), 10, 1000),
            Err(Reason::TooLarge {
                bytes: 1001,
                limit: 1000
            })
        );
        // More than is kept, but within what is counted: too large, by its exact size.
        assert_eq!(
            read_at_most(&mut &[b'a'; 300][..], 10, 1000),
            Err(Reason::TooLarge {
                bytes: 300,
                limit: 10
            })
        );
        assert_eq!(read_at_most(&mut &b"abc"[..], 3, 1000), Ok(b"abc".to_vec()));
    }

    #[test]
    fn tcvn3_bytes_that_are_not_utf8_are_converted() {
        // "Hµ Néi" in TCVN3 bytes: µ is 0xB5 and é 0xE9, invalid as UTF-8.
        let bytes = b"H\xb5 N\xe9i\n\nB\xb5i vi\xd5t.\n";
        let mut remarks = Remarks::default();
        let text = decode_text(bytes, &mut remarks).unwrap();
        assert_eq!(text, "Hà Nội\n\nBài viết.\n");
        assert_eq!(
            remarks.into_lists(),
            (vec!["converted from TCVN3".into()], vec![])
        );
        assert!(matches!(
            decode_text(b"caf\xe9 au lait", &mut Remarks::default()),
            Err(Reason::NotUtf8 { byte_offset: 3 })
        ));
    }
}
