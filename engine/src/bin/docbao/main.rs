//! `docbao`: the engine on the command line. Files are found and opened here; the library
//! only ever sees an open reader and the path it came from.
//!
//! ```text
//! docbao check PATH...                      the ingest report; exit 1 on any rejection or warning
//! docbao export PATH...                     accepted articles as JSON Lines on stdout
//! docbao build --out DIR PATH...            the index as DIR/corpus.bin, with progress
//!   --layout sharded                        or as files named by content (see `shard`)
//! docbao search --corpus PATH "QUERY"       top 10: id, score, title
//! docbao search --corpus PATH --batch       {"qid", "query"} lines in, {"qid", "ids"} lines out
//! ```
//! A PATH is a file or a folder (walked recursively, in sorted order); give several freely.
//! `--stats` (any command) prints counts, timing, the accepted articles' memory and the
//! peak RSS on stderr. In `--batch`, a bad request line gets `{"qid", "line", "error"}`.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use docbao_engine::ingest::{ArticleSink, Discard, IngestReport, Ingester};
use docbao_engine::search::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use docbao_engine::{Article, Index};

mod corpus_files;

use corpus_files::{open_bounded, Walker};

const USAGE: &str = "usage:
  docbao check [--stats] PATH...
  docbao export [--stats] PATH...
  docbao build [--stats] [--layout embedded|sharded] --out DIR PATH...
  docbao search [--stats] --corpus PATH [--corpus PATH...] \"QUERY\"
  docbao search [--stats] --corpus PATH [--corpus PATH...] --batch   < queries.jsonl

PATH: a file (.txt page, .jsonl, .jsonl.gz, .json) or a folder, walked recursively.
check exits 1 if any input was rejected or accepted with a warning (data lost or guessed).";

/// How many hits `search` prints or returns per query.
const TOP: usize = 10;

fn main() -> ExitCode {
    // Paths need not be UTF-8 (`args()` would panic on one that is not): they stay
    // OsStrings, shown lossily in messages and the report.
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let command = args.first().map(|a| a.to_string_lossy());
    let result = match command.as_deref() {
        Some("check") => check(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("build") => build(&args[1..]),
        Some("search") => search(&args[1..]),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    result.unwrap_or_else(|message| {
        eprintln!("docbao: {message}");
        ExitCode::from(2)
    })
}

fn check(args: &[OsString]) -> Result<ExitCode, String> {
    let (paths, stats) = split_stats_flag(args);
    // The report is all `check` needs: the articles are dropped as they are read.
    let loaded = load(&paths, Discard)?;
    write_description(&loaded.report, std::io::stdout().lock())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    if stats {
        loaded.print_stats();
    }
    Ok(if loaded.report.has_problems() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn export(args: &[OsString]) -> Result<ExitCode, String> {
    let (paths, stats) = split_stats_flag(args);
    // Articles are written out as they are read, never all held.
    let out = JsonLinesOut {
        out: BufWriter::new(std::io::stdout().lock()),
        failed: None,
    };
    let mut loaded = load(&paths, out)?;
    let out = &mut loaded.sink.inner;
    if let Some(e) = out.failed.take().or_else(|| out.out.flush().err()) {
        return Err(format!("cannot write to stdout: {e}"));
    }
    write_description(&loaded.report, std::io::stderr().lock())
        .map_err(|e| format!("cannot write to stderr: {e}"))?;
    if stats {
        loaded.print_stats();
    }
    Ok(ExitCode::SUCCESS)
}

/// `docbao build`: ingests PATHs (streamed, with progress on stderr), builds the index and
/// writes it into `--out DIR`.
fn build(args: &[OsString]) -> Result<ExitCode, String> {
    let mut out_dir = None;
    let mut layout = Layout::Embedded;
    let mut stats = false;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--out" {
            out_dir = Some(PathBuf::from(args.next().ok_or("--out needs a DIR")?));
        } else if arg == "--layout" {
            let value = args.next().ok_or("--layout needs embedded or sharded")?;
            layout = Layout::parse(&value.to_string_lossy())?;
        } else if arg == "--stats" {
            stats = true;
        } else if arg.as_encoded_bytes().starts_with(b"--") {
            return Err(format!("unexpected argument {arg:?}\n{USAGE}"));
        } else {
            paths.push(arg.clone());
        }
    }
    let out_dir = out_dir.ok_or_else(|| format!("build needs --out DIR\n{USAGE}"))?;
    let started = Instant::now();
    let loaded = load(&paths, Progress::new(Vec::new()))?;
    if stats {
        loaded.print_stats();
    }
    let articles = loaded.sink.inner.finish();
    eprintln!(
        "docbao: corpus {}; peak RSS so far {}",
        loaded.report.summary(),
        peak_rss_text()
    );
    let phase = Instant::now();
    let index = Index::build(articles);
    eprintln!(
        "docbao: indexed {} articles ({} folded terms) in {:.1} s; peak RSS so far {}",
        index.len(),
        index.vocabulary_len(),
        phase.elapsed().as_secs_f64(),
        peak_rss_text()
    );
    let phase = Instant::now();
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let written = layout.write(&index, &out_dir)?;
    eprintln!(
        "docbao: wrote {} file(s), {:.2} MB, into {} in {:.1} s; {:.1} s in all",
        written.files,
        written.bytes as f64 / 1e6,
        out_dir.display(),
        phase.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    eprintln!("docbao: peak RSS {}", peak_rss_text());
    Ok(ExitCode::SUCCESS)
}

/// How `build` lays the index out on disk.
enum Layout {
    /// One file, `corpus.bin`, as the app embeds it.
    Embedded,
    /// Files named by their content, and `ROOT_ENTRY` naming the root.
    Sharded,
}

/// The one file of a sharded folder whose name is fixed: it holds the root's name.
const ROOT_ENTRY: &str = "docbao-root.txt";

/// What a layout wrote.
struct Written {
    files: usize,
    bytes: usize,
}

impl Layout {
    fn parse(value: &str) -> Result<Layout, String> {
        match value {
            "embedded" => Ok(Layout::Embedded),
            "sharded" => Ok(Layout::Sharded),
            other => Err(format!("--layout {other:?}: expected embedded or sharded")),
        }
    }

    fn write(&self, index: &Index, dir: &Path) -> Result<Written, String> {
        match self {
            Layout::Embedded => {
                let bytes = docbao_engine::to_bytes(index);
                write_file(&dir.join("corpus.bin"), &bytes)?;
                Ok(Written {
                    files: 1,
                    bytes: bytes.len(),
                })
            }
            Layout::Sharded => {
                let bundle = docbao_engine::shard::write_bundle(index);
                for (name, bytes) in &bundle.files {
                    write_file(&dir.join(name), bytes)?;
                }
                write_file(
                    &dir.join(ROOT_ENTRY),
                    format!("{}\n", bundle.root).as_bytes(),
                )?;
                Ok(Written {
                    files: bundle.files.len() + 1,
                    bytes: bundle.files.iter().map(|(_, b)| b.len()).sum(),
                })
            }
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Passes articles on and tells how far ingest has got, on stderr: on a terminal one line
/// redrawn a few times a second; elsewhere (CI, a log) a plain line every
/// [`Progress::EVERY`] articles.
struct Progress<S> {
    inner: S,
    count: usize,
    started: Instant,
    last_drawn: Instant,
    terminal: bool,
}

impl<S> Progress<S> {
    const EVERY: usize = 10_000;
    const REDRAW: std::time::Duration = std::time::Duration::from_millis(200);

    fn new(inner: S) -> Progress<S> {
        let now = Instant::now();
        Progress {
            inner,
            count: 0,
            started: now,
            last_drawn: now,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn line(&self) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        format!(
            "docbao: {} articles read in {seconds:.1} s ({:.0}/s)",
            self.count,
            self.count as f64 / seconds.max(1e-9)
        )
    }

    /// The sink, once the last count is shown.
    fn finish(self) -> S {
        if self.terminal {
            eprintln!("\r{}\x1b[K", self.line());
        } else if !self.count.is_multiple_of(Self::EVERY) {
            eprintln!("{}", self.line());
        }
        self.inner
    }
}

impl<S: ArticleSink> ArticleSink for Progress<S> {
    fn take(&mut self, article: Article) {
        self.inner.take(article);
        self.count += 1;
        if self.terminal {
            if self.last_drawn.elapsed() >= Self::REDRAW {
                self.last_drawn = Instant::now();
                eprint!("\r{}\x1b[K", self.line());
            }
        } else if self.count.is_multiple_of(Self::EVERY) {
            eprintln!("{}", self.line());
        }
    }
}

/// Writes the report for people line by line: a report of millions of rejections is never
/// one string.
fn write_description(report: &IngestReport, out: impl Write) -> std::io::Result<()> {
    let mut out = BufWriter::new(out);
    for line in report.description() {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// Writes each article it is handed as one JSON line; keeps the first write error.
struct JsonLinesOut {
    out: BufWriter<std::io::StdoutLock<'static>>,
    failed: Option<std::io::Error>,
}

impl ArticleSink for JsonLinesOut {
    fn take(&mut self, article: Article) {
        if self.failed.is_some() {
            return;
        }
        // Article serializes as the export format: id, title, source, date, author,
        // category, url, lead, body[], captions[{text, credit}], related[{title, summary}].
        let written = serde_json::to_writer(&mut self.out, &article)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(self.out));
        self.failed = written.err();
    }
}

fn search(args: &[OsString]) -> Result<ExitCode, String> {
    let mut corpus = Vec::new();
    let mut batch = false;
    let mut stats = false;
    let mut query = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--corpus" {
            corpus.push(args.next().ok_or("--corpus needs a PATH")?.clone());
        } else if arg == "--batch" {
            batch = true;
        } else if arg == "--stats" {
            stats = true;
        } else if query.is_none() && !arg.as_encoded_bytes().starts_with(b"--") {
            query = Some(utf8_query(arg)?);
        } else {
            return Err(format!("unexpected argument {arg:?}\n{USAGE}"));
        }
    }
    if corpus.is_empty() {
        return Err(format!("search needs --corpus PATH\n{USAGE}"));
    }
    if batch == query.is_some() {
        return Err(format!("search takes either \"QUERY\" or --batch\n{USAGE}"));
    }
    let loaded = load(&corpus, Vec::new())?;
    eprintln!("docbao: corpus {}", loaded.report.summary());
    if stats {
        loaded.print_stats();
    }
    let index = Index::build(loaded.sink.inner);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| e.to_string();
    if let Some(query) = query {
        let query = index.query(&query);
        if query.trimmed() {
            eprintln!("docbao: {}", trimmed_note());
        }
        for hit in index.search(&query, TOP).hits {
            writeln!(out, "{}\t{:.4}\t{}", hit.id, hit.score, hit.title.text).map_err(io)?;
        }
    } else {
        let mut stdin = std::io::stdin().lock();
        let mut line = Vec::new();
        let mut line_no = 0;
        loop {
            line.clear();
            if stdin.read_until(b'\n', &mut line).map_err(io)? == 0 {
                break;
            }
            line_no += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let answer = match batch_request(&line) {
                Ok((qid, text)) => {
                    let query = index.query(&text);
                    let ids: Vec<String> = index
                        .search(&query, TOP)
                        .hits
                        .into_iter()
                        .map(|h| h.id)
                        .collect();
                    if query.trimmed() {
                        serde_json::json!({ "qid": qid, "ids": ids, "trimmed": trimmed_note() })
                    } else {
                        serde_json::json!({ "qid": qid, "ids": ids })
                    }
                }
                Err((qid, error)) => {
                    serde_json::json!({ "qid": qid, "line": line_no, "error": error })
                }
            };
            writeln!(out, "{answer}").map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(ExitCode::SUCCESS)
}

/// Said when a query was longer than the engine searches.
fn trimmed_note() -> String {
    format!("query cut to its first {MAX_QUERY_CHARS} characters and {MAX_QUERY_WORDS} words")
}

/// The query as text. A query that is not UTF-8 (typed in a Latin-1 or TCVN3 terminal) is
/// refused with a clear message rather than searched as replacement characters.
fn utf8_query(arg: &OsStr) -> Result<String, String> {
    arg.to_str().map(str::to_string).ok_or_else(|| {
        let bytes = arg.as_encoded_bytes();
        let offset = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        format!(
            "the query {arg:?} is not UTF-8 (byte 0x{:02X} at offset {offset}): \
             type it in a UTF-8 terminal",
            bytes.get(offset).copied().unwrap_or_default()
        )
    })
}

/// One `--batch` request line: its `qid` (any JSON, null when absent) and `query`, or the
/// qid as far as it could be read and what is wrong with the line.
fn batch_request(line: &[u8]) -> Result<(serde_json::Value, String), (serde_json::Value, String)> {
    use serde_json::Value;
    let text = std::str::from_utf8(line).map_err(|e| {
        (
            Value::Null,
            format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to()),
        )
    })?;
    let request: Value =
        serde_json::from_str(text).map_err(|e| (Value::Null, format!("not JSON: {e}")))?;
    let Value::Object(mut fields) = request else {
        return Err((Value::Null, "expected a JSON object".to_string()));
    };
    let qid = fields.remove("qid").unwrap_or(Value::Null);
    match fields.remove("query") {
        Some(Value::String(query)) => Ok((qid, query)),
        Some(_) => Err((qid, "field `query` must be a string".to_string())),
        None => Err((qid, "field `query` is missing".to_string())),
    }
}

/// The paths of `check` or `export`, and whether `--stats` was among them.
fn split_stats_flag(args: &[OsString]) -> (Vec<OsString>, bool) {
    let stats = args.iter().any(|a| a == "--stats");
    let paths = args.iter().filter(|a| *a != "--stats").cloned().collect();
    (paths, stats)
}

/// A sink that also adds up the memory of the articles it passes on, for `--stats`.
struct Measured<S> {
    inner: S,
    articles: usize,
    heap_bytes: usize,
}

impl<S: ArticleSink> ArticleSink for Measured<S> {
    fn take(&mut self, article: Article) {
        self.articles += 1;
        self.heap_bytes += std::mem::size_of::<Article>() + article.heap_bytes();
        self.inner.take(article);
    }
}

/// What [`load`] read: the sink the articles went to, the report, and figures for `--stats`.
struct Loaded<S> {
    sink: Measured<S>,
    report: IngestReport,
    files: usize,
    bytes_on_disk: u64,
    bytes_read: u64,
    seconds: f64,
}

impl<S> Loaded<S> {
    /// Counts, timing and memory, on stderr.
    fn print_stats(&self) {
        const MB: f64 = 1e6;
        let entries = self.report.rejected.len();
        eprintln!(
            "docbao: stats: {} file(s), {:.2} MB on disk, {:.2} MB read after decompression, \
             {} accepted, {} rejected ({entries} report entries), in {:.2} s ({:.1} MB/s)",
            self.files,
            self.bytes_on_disk as f64 / MB,
            self.bytes_read as f64 / MB,
            self.report.accepted.len(),
            self.report.rejected_count(),
            self.seconds,
            self.bytes_read as f64 / MB / self.seconds.max(1e-9),
        );
        let peak = match peak_rss_bytes() {
            Some(bytes) => format!("{:.1} MB", bytes as f64 / MB),
            None => "unknown (no VmHWM in /proc/self/status)".to_string(),
        };
        eprintln!(
            "docbao: stats: accepted articles ≈ {:.2} MB in memory ({} bytes of structs and \
             heap, {} articles); peak RSS {peak}",
            self.sink.heap_bytes as f64 / MB,
            self.sink.heap_bytes,
            self.sink.articles,
        );
    }
}

fn peak_rss_text() -> String {
    peak_rss_bytes().map_or("unknown".into(), |b| format!("{:.0} MB", b as f64 / 1e6))
}

/// The process's peak resident set size (`VmHWM`), where `/proc` tells it.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kilobytes * 1024)
}

/// Ingests every file under `paths`, handing accepted articles to `sink` as they are read.
/// A file that cannot be read is reported, not fatal; a path that does not exist at all is
/// an error of the command line.
fn load<S: ArticleSink>(paths: &[OsString], sink: S) -> Result<Loaded<S>, String> {
    if paths.is_empty() {
        return Err(format!("no PATH given\n{USAGE}"));
    }
    let started = Instant::now();
    let mut ingester = Ingester::with_sink(Measured {
        inner: sink,
        articles: 0,
        heap_bytes: 0,
    });
    let mut walker = Walker::new();
    let mut files = Vec::new();
    for path in paths {
        let found = walker.collect(Path::new(path)).map_err(|e| e.to_string())?;
        files.extend(found.files);
        for entry in found.unusable {
            ingester.reject_file(&entry.path.display().to_string(), entry.reason);
        }
    }
    let mut bytes_on_disk = 0;
    for file in &files {
        let shown = file.display().to_string();
        match open_bounded(file) {
            Ok((opened, size)) => {
                bytes_on_disk += size;
                ingester.add_reader(&shown, opened);
            }
            Err(reason) => ingester.reject_file(&shown, reason),
        }
    }
    let bytes_read = ingester.bytes_read();
    let (sink, report) = ingester.finish();
    Ok(Loaded {
        sink,
        report,
        files: files.len(),
        bytes_on_disk,
        bytes_read,
        seconds: started.elapsed().as_secs_f64(),
    })
}
