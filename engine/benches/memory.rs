//! Peak memory of ingest on hostile and large inputs, as `docbao check --stats`,
//! `export --stats` and `search --stats` (which keeps the articles) print it. The inputs are generated into a temporary folder (never
//! committed) and deleted afterwards:
//! - a gzip that inflates to 500 MB of one repeated valid record;
//! - 600,000 distinct records as JSON Lines (also searched: the articles all kept);
//! - a 62 MB JSON array.
//!
//! `cargo bench -p docbao-engine --features cli --bench memory`. Figures are printed, not
//! asserted: memory depends on the allocator and the machine.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use flate2::write::GzEncoder;
use flate2::Compression;

const WORDS: &[&str] = &[
    "Hà",
    "Nội",
    "thành",
    "phố",
    "người",
    "dân",
    "chính",
    "quyền",
    "kinh",
    "tế",
    "giáo",
    "dục",
    "bệnh",
    "viện",
    "tỉnh",
    "huyện",
    "xã",
    "năm",
    "tháng",
    "ngày",
    "công",
    "trình",
    "dự",
    "án",
    "đường",
    "sông",
    "mưa",
    "bão",
    "giá",
    "xăng",
    "học",
    "sinh",
    "thi",
    "cử",
    "bóng",
    "đá",
];

/// A small deterministic generator (xorshift), so runs are comparable.
struct Words(u64);

impl Words {
    fn next(&mut self) -> &'static str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        WORDS[(self.0 % WORDS.len() as u64) as usize]
    }

    fn sentence(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.next())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One record of about 600 bytes: an id, a title, a lead and a body of three paragraphs.
fn record(i: usize, words: &mut Words) -> String {
    let body: Vec<String> = (0..3).map(|_| words.sentence(25) + ".").collect();
    serde_json::json!({
        "id": format!("tin-{i}"),
        "title": format!("{} số {i}", words.sentence(8)),
        "sapo": words.sentence(15),
        "source": "Báo Thử",
        "date": "2024-05-01",
        "body": body,
    })
    .to_string()
}

fn repeated_gzip(path: &Path, inflated: usize) {
    let line = record(0, &mut Words(7)) + "\n";
    let mut gz = GzEncoder::new(
        BufWriter::new(File::create(path).unwrap()),
        Compression::best(),
    );
    let mut written = 0;
    while written + line.len() <= inflated {
        gz.write_all(line.as_bytes()).unwrap();
        written += line.len();
    }
    gz.finish().unwrap().flush().unwrap();
}

fn json_lines(path: &Path, records: usize) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let mut words = Words(11);
    for i in 0..records {
        writeln!(out, "{}", record(i, &mut words)).unwrap();
    }
    out.flush().unwrap();
}

fn json_array(path: &Path, bytes: usize) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let mut words = Words(13);
    let mut written = 0;
    let mut i = 0;
    out.write_all(b"[\n").unwrap();
    while written < bytes {
        let element = record(i, &mut words);
        let separator = if i == 0 { "  " } else { ",\n  " };
        write!(out, "{separator}{element}").unwrap();
        written += separator.len() + element.len();
        i += 1;
    }
    out.write_all(b"\n]\n").unwrap();
    out.flush().unwrap();
}

/// Runs `docbao COMMAND --stats PATH` and prints its stats lines. `search` collects the
/// articles for an index (as build.rs does); its stats are printed before the index is built.
fn run(command: &str, path: &Path) {
    let size = std::fs::metadata(path).unwrap().len();
    println!(
        "docbao {command} --stats {} ({:.2} MB on disk)",
        path.file_name().unwrap().to_string_lossy(),
        size as f64 / 1e6
    );
    let path = path.to_str().unwrap();
    let args = match command {
        "search" => vec![command, "--stats", "--batch", "--corpus", path],
        _ => vec![command, "--stats", path],
    };
    let out = Command::new(env!("CARGO_BIN_EXE_docbao"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("the docbao binary runs");
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        if line.starts_with("docbao: stats") {
            println!("  {line}");
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` lists benchmarks; there is nothing to list.
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("docbao-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let started = Instant::now();
    let repeated = dir.join("repeated-500mb.jsonl.gz");
    repeated_gzip(&repeated, 500_000_000);
    let lines = dir.join("distinct-600k.jsonl");
    json_lines(&lines, 600_000);
    let array = dir.join("array-62mb.json");
    json_array(&array, 62_000_000);
    println!(
        "inputs generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    run("check", &repeated);
    run("check", &lines);
    run("export", &lines);
    run("search", &lines);
    run("check", &array);
    run("export", &array);
    run("search", &array);
    let _ = std::fs::remove_dir_all(&dir);
}
