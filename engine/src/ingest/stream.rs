//! JSON inputs read as a stream, one record at a time: JSON Lines line by line, a JSON array
//! element by element, never the whole file as one value. A gzipped file is inflated as it
//! is read, member after member, and held to the per-file limit while it streams. Memory is
//! bounded by one record ([`MAX_ARTICLE_BYTES`]), not by the file.
//!
//! What a `.json` holds is decided from its first bytes: `[` opens an array; otherwise it is
//! JSON Lines when one of its first non-blank lines is on its own a complete JSON object (or
//! its first line is longer than the window looked at), and else one (pretty-printed) value.
//!
//! A plain file is read from any `Read` (an open file) through this module's own buffer, so
//! it is never held whole; a gzipped file's compressed bytes are in memory, inflated as read.
//!
//! A fault that leaves the rest of a file unreadable (a broken array, gzip that goes bad, a
//! read that fails, the size limit) is one rejection naming where it happened; every record
//! before it is kept.
//! Array elements are delimited here by a small scanner (brackets, strings, escapes) so that
//! an oversized element is skipped without being held, then each element is parsed by
//! serde_json on its own.

use std::io::{self, BufRead, Read};

use serde_json::{Map, Value};

use super::records::{located, record_from_bytes, type_name, Origin, Outcome};
use super::{Reason, Spot, MAX_ARTICLE_BYTES};

/// How many non-blank lines of a `.json` are looked at to tell JSON Lines from one value.
const LINES_TO_SNIFF: usize = 4;

/// How much of a `.json` is looked at for those lines.
const SNIFF_WINDOW: usize = 1024 * 1024;

/// Bytes read from the input at a time; a NUL among the first of them means binary data.
const CHUNK: usize = 64 * 1024;

/// Where a JSON input's bytes come from.
pub(crate) enum Data<'a> {
    /// Read as they come: an open file, or bytes already in memory.
    Plain(&'a mut dyn Read),
    /// A gzipped file's compressed bytes, inflated as they are read (refused without `gz`).
    Gzipped(#[cfg_attr(not(feature = "gz"), allow(dead_code))] &'a [u8]),
}

/// One JSON input file.
pub(crate) struct Input<'a> {
    pub data: Data<'a>,
    /// Named as JSON Lines (`.jsonl`, `.ndjson`) rather than `.json`.
    pub json_lines: bool,
    /// The most bytes read from it, after decompression.
    pub limit: usize,
}

/// Reads one JSON input, calling `each` with every record's outcome and every fault, in file
/// order. Returns how many bytes were read, after decompression.
pub(crate) fn read(input: Input, stem: &str, each: &mut dyn FnMut(Spot, Outcome)) -> u64 {
    let source = match Source::open(input.data) {
        Ok(source) => source,
        Err(reason) => {
            each(Spot::FILE, Err(reason));
            return 0;
        }
    };
    let decoded = Decoded {
        source,
        limit: input.limit,
        delivered: 0,
        stop: None,
    };
    let mut file = FileReader {
        reader: Tracked::new(decoded),
        stem,
        each,
        emitted: false,
    };
    let ended = match file.run(input.json_lines) {
        Ok(ended) => ended,
        // Decoded keeps its errors as a stop rather than returning them; this is for form.
        Err(e) => {
            file.emit(
                Spot::FILE,
                Err(Reason::Unreadable {
                    message: e.to_string(),
                }),
            );
            None
        }
    };
    file.finish(ended)
}

/// The file's bytes, inflated if gzipped.
enum Source<'a> {
    Plain(&'a mut dyn Read),
    #[cfg(feature = "gz")]
    Gz(GzMembers<'a>),
}

impl<'a> Source<'a> {
    fn open(data: Data<'a>) -> Result<Source<'a>, Reason> {
        match data {
            Data::Plain(reader) => Ok(Source::Plain(reader)),
            #[cfg(feature = "gz")]
            Data::Gzipped([]) => Err(Reason::Empty),
            #[cfg(feature = "gz")]
            Data::Gzipped(bytes) => Ok(Source::Gz(GzMembers::new(bytes))),
            #[cfg(not(feature = "gz"))]
            Data::Gzipped(_) => Err(Reason::UnsupportedType),
        }
    }

    fn is_gzip(&self) -> bool {
        !matches!(self, Source::Plain(_))
    }

    /// Where bytes that are not gzip follow the last gzip member, if they do.
    fn trailing_data_at(&self) -> Option<usize> {
        match self {
            Source::Plain(_) => None,
            #[cfg(feature = "gz")]
            Source::Gz(members) => members.trailing_at,
        }
    }
}

impl Read for Source<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Plain(reader) => reader.read(buf),
            #[cfg(feature = "gz")]
            Source::Gz(members) => members.read(buf),
        }
    }
}

/// Gzip members one after the other (as `MultiGzDecoder`), except that bytes after the last
/// member which do not open another one end the stream, their offset noted, instead of
/// failing it: what precedes them is good data.
#[cfg(feature = "gz")]
struct GzMembers<'a> {
    total: usize,
    member: Option<flate2::bufread::GzDecoder<&'a [u8]>>,
    trailing_at: Option<usize>,
}

#[cfg(feature = "gz")]
impl<'a> GzMembers<'a> {
    fn new(bytes: &'a [u8]) -> GzMembers<'a> {
        GzMembers {
            total: bytes.len(),
            member: Some(flate2::bufread::GzDecoder::new(bytes)),
            trailing_at: None,
        }
    }
}

#[cfg(feature = "gz")]
impl Read for GzMembers<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
        while let Some(member) = &mut self.member {
            let n = member.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member ended with a good trailer; the slice now starts right after it.
            let rest = self
                .member
                .take()
                .map_or(&[][..], flate2::bufread::GzDecoder::into_inner);
            if rest.starts_with(&GZIP_MAGIC) {
                self.member = Some(flate2::bufread::GzDecoder::new(rest));
            } else if !rest.is_empty() {
                self.trailing_at = Some(self.total - rest.len());
            }
        }
        Ok(0)
    }
}

/// Why a stream ended before its input did.
enum Stop {
    /// More than the limit of bytes.
    Limit,
    /// The input failed (gzip that goes bad, a read error); what came before is good.
    Failed(io::Error),
}

/// The source held to the size limit. It never returns an error (but `Interrupted`, which
/// is retried): a failure or the limit ends the stream and is kept in `stop`, so the readers
/// above see a plain end of input and the records before it are all handed on.
struct Decoded<'a> {
    source: Source<'a>,
    limit: usize,
    delivered: usize,
    stop: Option<Stop>,
}

impl Read for Decoded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() || buf.is_empty() {
            return Ok(0);
        }
        let room = self.limit - self.delivered;
        let result = if room == 0 {
            // One byte past the limit is enough to know the file is too large.
            let mut probe = [0u8; 1];
            match self.source.read(&mut probe) {
                Ok(0) => Ok(0),
                Ok(_) => {
                    self.stop = Some(Stop::Limit);
                    Ok(0)
                }
                Err(e) => Err(e),
            }
        } else {
            let n = buf.len().min(room);
            self.source.read(&mut buf[..n])
        };
        match result {
            Ok(n) => {
                self.delivered += n;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                self.stop = Some(Stop::Failed(e));
                Ok(0)
            }
        }
    }
}

/// A buffered reader that knows the line and column of the next byte, and can look ahead
/// more than one buffer's worth without consuming (to tell JSON Lines from one value).
struct Tracked<R> {
    inner: R,
    buf: Vec<u8>,
    /// Bytes of `buf` before this are consumed.
    start: usize,
    eof: bool,
    /// 1-based line of the next byte.
    line: usize,
    /// Bytes consumed on the current line (so the next byte is in column `column + 1`).
    column: usize,
}

impl<R: Read> Tracked<R> {
    fn new(inner: R) -> Tracked<R> {
        Tracked {
            inner,
            buf: Vec::new(),
            start: 0,
            eof: false,
            line: 1,
            column: 0,
        }
    }

    /// The unconsumed bytes, at least `n` of them unless the input ends first.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.buf.len() - self.start < n && !self.eof {
            if self.start > 0 {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            let old = self.buf.len();
            self.buf.resize(old + (n - old).max(CHUNK), 0);
            let got = loop {
                match self.inner.read(&mut self.buf[old..]) {
                    Ok(got) => break got,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.buf.truncate(old);
                        return Err(e);
                    }
                }
            };
            self.buf.truncate(old + got);
            self.eof = got == 0;
        }
        Ok(&self.buf[self.start..])
    }

    /// Where the next byte is: 1-based line and column.
    fn position(&self) -> Origin {
        (self.line, self.column + 1)
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.peek(1)
    }

    fn consume(&mut self, amount: usize) {
        let consumed = &self.buf[self.start..self.start + amount];
        match consumed.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += consumed.iter().filter(|&&b| b == b'\n').count();
                self.column = amount - last - 1;
            }
            None => self.column += amount,
        }
        self.start += amount;
    }
}

/// How scanning one JSON value ended.
struct Scanned {
    /// The value's length in bytes (only the first `cap + 1` of them are kept).
    length: usize,
    /// Whether the value closed; if not, it was cut by the end of input or a wrong bracket.
    complete: bool,
}

/// One file's records handed to `each`.
struct FileReader<'a, 'f> {
    reader: Tracked<Decoded<'a>>,
    stem: &'f str,
    each: &'f mut dyn FnMut(Spot, Outcome),
    /// Whether anything of this file has been reported yet.
    emitted: bool,
}

fn is_json_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A scanned JSON value (an array element, a file's one object) as a record.
fn element_outcome(bytes: &[u8], length: usize, fallback_id: &str, origin: Origin) -> Outcome {
    if length > MAX_ARTICLE_BYTES {
        return Err(Reason::TooLarge {
            bytes: length,
            limit: MAX_ARTICLE_BYTES,
        });
    }
    record_from_bytes(bytes, fallback_id, Some(origin))
}

fn unreadable(message: String) -> Outcome {
    Err(Reason::UnreadableJson { message })
}

impl FileReader<'_, '_> {
    fn emit(&mut self, spot: Spot, outcome: Outcome) {
        self.emitted = true;
        (self.each)(spot, outcome);
    }

    fn stopped(&self) -> bool {
        self.reader.inner.stop.is_some()
    }

    fn line_spot(&self) -> Spot {
        Spot {
            line: Some(self.reader.line),
            index: None,
        }
    }

    /// Reads the file in the form it holds. Returns where reading ended early, if it did and
    /// the end of input may be due to a stop (the limit, failing gzip).
    fn run(&mut self, json_lines: bool) -> io::Result<Option<Spot>> {
        if self.reader.peek(3)?.starts_with("\u{feff}".as_bytes()) {
            self.reader.consume(3);
            self.reader.column = 0;
        }
        if self.reader.peek(CHUNK)?.contains(&0) {
            self.emit(Spot::FILE, Err(Reason::Binary));
            return Ok(None);
        }
        if json_lines {
            return self.read_lines();
        }
        match self.skip_whitespace()? {
            None if self.stopped() => Ok(Some(Spot::FILE)),
            None => {
                self.emit(Spot::FILE, Err(Reason::Empty));
                Ok(None)
            }
            Some(b'[') => self.read_array(),
            Some(_) if self.holds_json_lines()? => self.read_lines(),
            Some(_) => self.read_one_value(),
        }
    }

    /// Reports why the stream stopped early, if it did, at `ended`; then bytes after the
    /// gzip data. Returns the bytes read.
    fn finish(mut self, ended: Option<Spot>) -> u64 {
        let limit = self.reader.inner.limit;
        let spot = ended.filter(|_| self.emitted).unwrap_or(Spot::FILE);
        let gzip = self.reader.inner.source.is_gzip();
        let byte_offset = self.reader.inner.delivered;
        match self.reader.inner.stop.take() {
            Some(Stop::Limit) if gzip => self.emit(spot, Err(Reason::InflatesTooLarge { limit })),
            // A plain file that grew past the limit while read: `limit + 1` is a lower bound.
            Some(Stop::Limit) => self.emit(
                spot,
                Err(Reason::TooLarge {
                    bytes: limit + 1,
                    limit,
                }),
            ),
            Some(Stop::Failed(e)) if gzip => self.emit(
                spot,
                Err(Reason::UnreadableGzip {
                    message: e.to_string(),
                }),
            ),
            Some(Stop::Failed(e)) => self.emit(
                spot,
                Err(Reason::ReadFailed {
                    byte_offset,
                    message: e.to_string(),
                }),
            ),
            None => {}
        }
        if let Some(byte_offset) = self.reader.inner.source.trailing_data_at() {
            self.emit(Spot::FILE, Err(Reason::GzipTrailingData { byte_offset }));
        }
        self.reader.inner.delivered as u64
    }

    /// Consumes whitespace; the next byte, not consumed, or `None` at the end.
    fn skip_whitespace(&mut self) -> io::Result<Option<u8>> {
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            match chunk.iter().position(|&b| !is_json_whitespace(b)) {
                Some(at) => {
                    let next = chunk[at];
                    self.reader.consume(at);
                    return Ok(Some(next));
                }
                None => {
                    let all = chunk.len();
                    self.reader.consume(all);
                }
            }
        }
    }

    /// Whether a `.json` that does not open an array is JSON Lines: one of its first
    /// non-blank lines is a whole JSON object, or the first line runs past the window.
    fn holds_json_lines(&mut self) -> io::Result<bool> {
        let window = self.reader.peek(SNIFF_WINDOW)?;
        let whole = window.len() < SNIFF_WINDOW;
        let mut lines = window.split(|&b| b == b'\n').peekable();
        let mut looked_at = 0;
        while let Some(line) = lines.next() {
            let last = lines.peek().is_none();
            if last && !whole {
                // Cut by the window: a line this long is a record, not pretty-printing.
                return Ok(looked_at == 0);
            }
            if line.iter().all(|&b| is_json_whitespace(b)) {
                continue;
            }
            let text = String::from_utf8_lossy(line);
            if serde_json::from_str::<Map<String, Value>>(&text).is_ok() {
                return Ok(true);
            }
            looked_at += 1;
            if looked_at == LINES_TO_SNIFF {
                break;
            }
        }
        Ok(false)
    }

    /// JSON Lines: every non-blank line a record, reported by its 1-based line.
    fn read_lines(&mut self) -> io::Result<Option<Spot>> {
        let mut line = Vec::new();
        let mut records = 0usize;
        loop {
            line.clear();
            let line_no = self.reader.line;
            let cap = MAX_ARTICLE_BYTES as u64 + 1;
            if (&mut self.reader).take(cap).read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let mut ended = line.last() == Some(&b'\n');
            let mut length = line.len() - usize::from(ended);
            if !ended && length > MAX_ARTICLE_BYTES {
                let (more, found_end) = self.skip_line()?;
                length += more;
                ended = found_end;
            }
            if !ended && self.stopped() {
                // The line was cut where the stream stopped: it is not a record.
                return Ok(Some(self.line_spot()));
            }
            if line.iter().all(|&b| is_json_whitespace(b)) {
                continue;
            }
            records += 1;
            let outcome = if length > MAX_ARTICLE_BYTES {
                Err(Reason::TooLarge {
                    bytes: length,
                    limit: MAX_ARTICLE_BYTES,
                })
            } else {
                let fallback_id = format!("{}-{line_no}", self.stem);
                record_from_bytes(&line[..length], &fallback_id, Some((line_no, 1)))
            };
            self.emit(
                Spot {
                    line: Some(line_no),
                    index: None,
                },
                outcome,
            );
        }
        if records == 0 && !self.stopped() {
            self.emit(Spot::FILE, Err(Reason::Empty));
        }
        Ok(Some(self.line_spot()))
    }

    /// Consumes the rest of an overlong line; how many bytes it had before its newline and
    /// whether the newline was found.
    fn skip_line(&mut self) -> io::Result<(usize, bool)> {
        let mut skipped = 0;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok((skipped, false));
            }
            match chunk.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok((skipped + at, true));
                }
                None => {
                    let all = chunk.len();
                    skipped += all;
                    self.reader.consume(all);
                }
            }
        }
    }

    /// A JSON array, element by element, each reported by its 0-based index and the line it
    /// starts on. The first fault in the array's own syntax (a missing comma, a trailing
    /// comma, the end of the file) ends the file, after every element before it.
    fn read_array(&mut self) -> io::Result<Option<Spot>> {
        self.reader.consume(1); // the `[`
        let mut element = Vec::new();
        let mut index = 0;
        let at = |reader: &Tracked<Decoded>, index| Spot {
            line: Some(reader.line),
            index: Some(index),
        };
        loop {
            let spot = at(&self.reader, index);
            match self.skip_whitespace()? {
                None => return self.end_of_input(spot, "EOF while parsing a list"),
                Some(b']') if index == 0 => {
                    self.reader.consume(1);
                    self.emit(Spot::FILE, Err(Reason::Empty));
                    break;
                }
                Some(b',' | b']') => {
                    let (line, column) = self.reader.position();
                    self.emit(
                        spot,
                        unreadable(format!("expected value at line {line} column {column}")),
                    );
                    return Ok(None);
                }
                Some(_) => {}
            }
            let origin = self.reader.position();
            let spot = Spot {
                line: Some(origin.0),
                index: Some(index),
            };
            let scanned = self.scan_value(&mut element)?;
            if !scanned.complete {
                return self.broken_value(spot, &element, origin, scanned.length);
            }
            let fallback_id = format!("{}-{}", self.stem, index + 1);
            let outcome = element_outcome(&element, scanned.length, &fallback_id, origin);
            self.emit(spot, outcome);
            index += 1;
            let after = at(&self.reader, index);
            match self.skip_whitespace()? {
                Some(b',') => {
                    self.reader.consume(1);
                    if self.skip_whitespace()? == Some(b']') {
                        let (line, column) = self.reader.position();
                        let spot = at(&self.reader, index);
                        self.emit(
                            spot,
                            unreadable(format!("trailing comma at line {line} column {column}")),
                        );
                        self.reader.consume(1);
                        break;
                    }
                }
                Some(b']') => {
                    self.reader.consume(1);
                    break;
                }
                None => return self.end_of_input(after, "EOF while parsing a list"),
                Some(_) => {
                    let (line, column) = self.reader.position();
                    self.emit(
                        after,
                        unreadable(format!(
                            "expected `,` or `]` at line {line} column {column}; the rest \
                             of the file was not read"
                        )),
                    );
                    return Ok(None);
                }
            }
        }
        self.trailing_characters()?;
        Ok(None)
    }

    /// A `.json` holding one value (a pretty-printed object), and nothing after it.
    fn read_one_value(&mut self) -> io::Result<Option<Spot>> {
        let mut value = Vec::new();
        let origin = self.reader.position();
        let spot = Spot {
            line: Some(origin.0),
            index: None,
        };
        let scanned = self.scan_value(&mut value)?;
        if !scanned.complete {
            return self.broken_value(spot, &value, origin, scanned.length);
        }
        let fallback_id = format!("{}-1", self.stem);
        let outcome = if value.first() == Some(&b'{') {
            element_outcome(&value, scanned.length, &fallback_id, origin)
        } else {
            match serde_json::from_slice::<Value>(&value) {
                Ok(other) => unreadable(format!(
                    "expected an array of objects or one object, found {}",
                    type_name(&other)
                )),
                Err(e) => unreadable(located(&e, Some(origin))),
            }
        };
        self.emit(spot, outcome);
        self.trailing_characters()?;
        Ok(None)
    }

    /// Anything but whitespace after the file's value is one rejection.
    fn trailing_characters(&mut self) -> io::Result<()> {
        if self.skip_whitespace()?.is_some() {
            let (line, column) = self.reader.position();
            let spot = self.line_spot();
            self.emit(
                spot,
                unreadable(format!(
                    "trailing characters at line {line} column {column}; ignored"
                )),
            );
        }
        Ok(())
    }

    /// The input ended where the JSON needs more. If the stream stopped there, that is the
    /// fault, reported by [`FileReader::finish`]; otherwise the JSON is truncated.
    fn end_of_input(&mut self, spot: Spot, what: &str) -> io::Result<Option<Spot>> {
        if !self.stopped() {
            let (line, column) = self.reader.position();
            self.emit(
                spot,
                unreadable(format!("{what} at line {line} column {column}")),
            );
        }
        Ok(Some(spot))
    }

    /// A value cut by the end of input or a wrong bracket: serde_json says what is wrong with
    /// what was read of it. Nothing after it can be trusted, so reading ends here.
    fn broken_value(
        &mut self,
        spot: Spot,
        bytes: &[u8],
        origin: Origin,
        length: usize,
    ) -> io::Result<Option<Spot>> {
        if self.stopped() {
            return Ok(Some(spot));
        }
        let message = if length > MAX_ARTICLE_BYTES {
            format!(
                "a value of more than {MAX_ARTICLE_BYTES} bytes that does not close before \
                 line {} column {}",
                self.reader.line,
                self.reader.column + 1
            )
        } else {
            match serde_json::from_slice::<Value>(bytes) {
                Err(e) => located(&e, Some(origin)),
                Ok(_) => {
                    let (line, column) = self.reader.position();
                    format!("unexpected end of input at line {line} column {column}")
                }
            }
        };
        self.emit(spot, unreadable(message));
        Ok(None)
    }

    /// Consumes one JSON value, from its first byte (not whitespace, `,` or `]`) to its
    /// last, keeping at most `MAX_ARTICLE_BYTES + 1` of its bytes in `out`. Only the
    /// nesting of brackets, strings and escapes is followed: serde_json checks the rest.
    fn scan_value(&mut self, out: &mut Vec<u8>) -> io::Result<Scanned> {
        out.clear();
        let keep = MAX_ARTICLE_BYTES + 1;
        let mut closers: Vec<u8> = Vec::new();
        let mut started = false;
        let mut scalar = false;
        let mut in_string = false;
        let mut escaped = false;
        let mut length = 0;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                // A number or literal may end the input; anything else is cut short.
                return Ok(Scanned {
                    length,
                    complete: scalar,
                });
            }
            let mut used = 0;
            let mut done = None;
            for &b in chunk {
                if !started {
                    started = true;
                    match b {
                        b'{' => closers.push(b'}'),
                        b'[' => closers.push(b']'),
                        b'"' => in_string = true,
                        _ => scalar = true,
                    }
                    used += 1;
                    continue;
                }
                if scalar {
                    if is_json_whitespace(b) || matches!(b, b',' | b']' | b'}') {
                        done = Some(true);
                        break;
                    }
                    used += 1;
                    continue;
                }
                used += 1;
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if closers.is_empty() {
                            done = Some(true);
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' => closers.push(b'}'),
                    b'[' => closers.push(b']'),
                    b'}' | b']' => {
                        if closers.pop() != Some(b) {
                            done = Some(false);
                            break;
                        }
                        if closers.is_empty() {
                            done = Some(true);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let room = keep.saturating_sub(out.len());
            out.extend_from_slice(&chunk[..used.min(room)]);
            length += used;
            self.reader.consume(used);
            if let Some(complete) = done {
                return Ok(Scanned { length, complete });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read` reports, as (line, index, id or reason).
    fn events(bytes: &[u8], gzipped: bool, json_lines: bool, limit: usize) -> Vec<String> {
        let mut plain = bytes;
        let data = if gzipped {
            Data::Gzipped(bytes)
        } else {
            Data::Plain(&mut plain)
        };
        let input = Input {
            data,
            json_lines,
            limit,
        };
        let mut seen = Vec::new();
        read(input, "f", &mut |spot, outcome| {
            let what = match outcome {
                Ok((article, _)) => article.id,
                Err(reason) => reason.to_string(),
            };
            seen.push(format!("{:?} {:?} {what}", spot.line, spot.index));
        });
        seen
    }

    fn lines(n: usize) -> String {
        (1..=n)
            .map(|i| format!("{{\"id\": \"r{i}\", \"title\": \"T{i}\", \"body\": \"B{i}\"}}\n"))
            .collect()
    }

    /// A plain file past the limit (one that grew while read) is too large from where
    /// reading stopped; its size is known only to be more than the limit.
    fn past_the_limit(limit: usize) -> Reason {
        Reason::TooLarge {
            bytes: limit + 1,
            limit,
        }
    }

    #[test]
    fn the_size_limit_stops_reading_and_keeps_the_records_before() {
        let text = lines(10);
        let three = text
            .split_inclusive('\n')
            .take(3)
            .map(str::len)
            .sum::<usize>();
        let seen = events(text.as_bytes(), false, true, three + 5);
        let stop = format!("Some(4) None {}", past_the_limit(three + 5));
        assert_eq!(
            seen,
            [
                "Some(1) None r1",
                "Some(2) None r2",
                "Some(3) None r3",
                stop.as_str()
            ]
        );
        // Exactly at the limit is within it.
        assert_eq!(events(text.as_bytes(), false, true, text.len()).len(), 10);
    }

    #[test]
    fn the_size_limit_stops_an_array_between_or_inside_elements() {
        let text = format!("[{}]", lines(4).trim_end().replace('\n', ",\n"));
        let two = text.find("{\"id\": \"r3\"").unwrap();
        let seen = events(text.as_bytes(), false, false, two + 3);
        let stop = format!("Some(3) Some(2) {}", past_the_limit(two + 3));
        assert_eq!(
            seen,
            ["Some(1) Some(0) r1", "Some(2) Some(1) r2", stop.as_str()]
        );
    }

    #[cfg(feature = "gz")]
    #[test]
    fn the_size_limit_holds_for_inflated_bytes() {
        use std::io::Write;
        let text = lines(1000);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(text.as_bytes()).unwrap();
        let gz = encoder.finish().unwrap();
        let limit = text.len() / 2;
        let seen = events(&gz, true, true, limit);
        let last = seen.last().unwrap();
        assert!(
            last.ends_with(&Reason::InflatesTooLarge { limit }.to_string()),
            "{last}"
        );
        let whole_lines_within_limit = text
            .split_inclusive('\n')
            .scan(0, |end, line| {
                *end += line.len();
                Some(*end)
            })
            .take_while(|&end| end <= limit)
            .count();
        assert_eq!(seen.len() - 1, whole_lines_within_limit);
        let stopped_at = format!("Some({}) None", whole_lines_within_limit + 1);
        assert!(last.starts_with(&stopped_at), "{last}");
    }

    #[test]
    fn json_lines_are_told_from_one_pretty_printed_value() {
        let pretty = "{\n \"id\": \"p\",\n \"title\": \"T\",\n \"body\": \"B\"\n}\n";
        assert_eq!(
            events(pretty.as_bytes(), false, false, 1 << 20),
            ["Some(1) None p"]
        );
        // The first line is bad, the second a whole object: JSON Lines.
        let text = format!("{{\"id\": \n{}", lines(2));
        let seen = events(text.as_bytes(), false, false, 1 << 20);
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(
            seen[0].starts_with("Some(1) None unreadable JSON"),
            "{seen:?}"
        );
        assert_eq!(seen[1..], ["Some(2) None r1", "Some(3) None r2"]);
        // A first line longer than the window looked at is a record, not pretty-printing.
        let long = format!(
            "{{\"id\": \"l\", \"title\": \"T\", \"body\": \"{}\"}}\n{{oops\n",
            "x".repeat(SNIFF_WINDOW)
        );
        let seen = events(long.as_bytes(), false, false, 1 << 22);
        assert_eq!(seen[0], "Some(1) None l");
        assert!(
            seen[1].starts_with("Some(2) None unreadable JSON"),
            "{seen:?}"
        );
    }

    #[test]
    fn binary_data_at_the_start_is_one_rejection() {
        let seen = events(b"{\"a\": \0\n{\"b\"}\n", false, true, 1 << 20);
        assert_eq!(seen, ["None None binary data, not text"]);
    }
}
