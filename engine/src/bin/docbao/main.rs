//! `docbao`: the engine on the command line. All file reading happens here; the library
//! only ever sees bytes and the path they came from.
//!
//! ```text
//! docbao check PATH...                      the ingest report; exit 1 on any rejection or warning
//! docbao export PATH...                     accepted articles as JSON Lines on stdout
//! docbao search --corpus PATH "QUERY"       top 10: id, score, title
//! docbao search --corpus PATH --batch       {"qid", "query"} lines in, {"qid", "ids"} lines out
//! ```
//! A PATH is a file or a folder (walked recursively, in sorted order); give several freely.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use docbao_engine::ingest::{IngestReport, Ingester};
use docbao_engine::{Article, Index};

mod corpus_files;

use corpus_files::{collect, read_bounded};

const USAGE: &str = "usage:
  docbao check PATH...
  docbao export PATH...
  docbao search --corpus PATH [--corpus PATH...] \"QUERY\"
  docbao search --corpus PATH [--corpus PATH...] --batch   < queries.jsonl

PATH: a file (.txt page, .jsonl, .jsonl.gz, .json) or a folder, walked recursively.
check exits 1 if any input was rejected or accepted with a warning (data lost or guessed).";

/// How many hits `search` prints or returns per query.
const TOP: usize = 10;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("export") => export(&args[1..]),
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

fn check(paths: &[String]) -> Result<ExitCode, String> {
    let (_, report) = load(paths)?;
    print!("{}", report.describe());
    Ok(if report.has_problems() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn export(paths: &[String]) -> Result<ExitCode, String> {
    let (articles, report) = load(paths)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for article in &articles {
        // Article serializes as the export format: id, title, source, date, author,
        // category, url, lead, body[], captions[{text, credit}], related[{title, summary}].
        serde_json::to_writer(&mut out, article).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    eprint!("{}", report.describe());
    Ok(ExitCode::SUCCESS)
}

fn search(args: &[String]) -> Result<ExitCode, String> {
    let mut corpus = Vec::new();
    let mut batch = false;
    let mut query = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus.push(args.next().ok_or("--corpus needs a PATH")?.clone()),
            "--batch" => batch = true,
            _ if query.is_none() && !arg.starts_with("--") => query = Some(arg.clone()),
            _ => return Err(format!("unexpected argument {arg:?}\n{USAGE}")),
        }
    }
    if corpus.is_empty() {
        return Err(format!("search needs --corpus PATH\n{USAGE}"));
    }
    if batch == query.is_some() {
        return Err(format!("search takes either \"QUERY\" or --batch\n{USAGE}"));
    }
    let (articles, report) = load(&corpus)?;
    eprintln!("docbao: corpus {}", report.summary());
    let index = Index::build(articles);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| e.to_string();
    if let Some(query) = query {
        for hit in index.search(&query, TOP).hits {
            writeln!(out, "{}\t{:.4}\t{}", hit.id, hit.score, hit.title.text).map_err(io)?;
        }
    } else {
        for (n, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            let request: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| format!("stdin line {}: {e}", n + 1))?;
            let qid = request
                .get("qid")
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            let text = request
                .get("query")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| format!("stdin line {}: field `query` must be a string", n + 1))?;
            let ids: Vec<String> = index
                .search(text, TOP)
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect();
            let answer = serde_json::json!({ "qid": qid, "ids": ids });
            writeln!(out, "{answer}").map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(ExitCode::SUCCESS)
}

/// Ingests every file under `paths`. A file that cannot be read is reported, not fatal; a
/// path that does not exist at all is an error of the command line.
fn load(paths: &[String]) -> Result<(Vec<Article>, IngestReport), String> {
    if paths.is_empty() {
        return Err(format!("no PATH given\n{USAGE}"));
    }
    let mut files = Vec::new();
    for path in paths {
        collect(Path::new(path), &mut files).map_err(|e| format!("{path}: {e}"))?;
    }
    let mut ingester = Ingester::new();
    for file in &files {
        let shown = file.display().to_string();
        match read_bounded(file) {
            Ok(bytes) => ingester.add_file(&shown, &bytes),
            Err(reason) => ingester.reject_file(&shown, reason),
        }
    }
    Ok(ingester.finish())
}
