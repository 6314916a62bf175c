//! The `docbao` command line, run as a process: exit codes, the export format, search.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn docbao(args: &[&str], stdin: &str) -> Output {
    docbao_bytes(args, stdin.as_bytes())
}

fn docbao_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docbao"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the docbao binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn seeds() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../seeds")
        .display()
        .to_string()
}

/// A fresh folder of this test's own under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("docbao-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn check_passes_on_the_seeds() {
    let out = docbao(&["check", &seeds()], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "2 accepted, 0 rejected\n");
}

#[test]
fn check_fails_and_names_what_it_rejected() {
    let dir = scratch("check");
    std::fs::write(dir.join("a.txt"), "Tiêu đề\n\nLời dẫn.\n").unwrap();
    std::fs::write(dir.join("b.txt"), "").unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("sub/c.jsonl"),
        "{\"title\": \"T\", \"body\": \"B\"}\n{oops\n",
    )
    .unwrap();
    let out = docbao(&["check", dir.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("b.txt: empty\n"), "{text}");
    assert!(
        text.contains("c.jsonl:2: unreadable JSON: key must be a string"),
        "{text}"
    );
    assert!(text.ends_with("2 accepted, 2 rejected\n"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let out = docbao(&["check", "/no/such/docbao/path"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/docbao/path"));
    assert_eq!(docbao(&["frobnicate"], "").status.code(), Some(2));
}

#[test]
fn export_writes_one_json_article_per_line_in_the_documented_shape() {
    let out = docbao(&["export", &seeds()], "");
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let first = lines[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    let mut expected = [
        "id", "title", "source", "date", "author", "category", "url", "lead", "body", "captions",
        "related",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(first["id"], "000_2bd3c5a4fc348b9d");
    assert_eq!(first["date"], "2021-08-24");
    assert_eq!(first["category"], serde_json::Value::Null);
    assert!(first["body"].as_array().unwrap().len() > 10);
    let second = &lines[1];
    assert_eq!(second["captions"][0]["credit"], "Lương Toàn");
    assert!(second["related"][0]["summary"].is_string());
}

#[test]
fn search_prints_id_score_title() {
    let out = docbao(&["search", "--corpus", &seeds(), "thanh tri"], "");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let first: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    assert_eq!(first.len(), 3, "{text}");
    assert_eq!(first[0], "000_2bd3c5a4fc348b9d");
    assert!(first[1].parse::<f32>().unwrap() > 0.0);
    assert!(first[2].starts_with("Huyện Thanh Trì"));
}

#[test]
fn batch_search_answers_each_query_in_order_echoing_qid() {
    let queries = concat!(
        "{\"qid\": 7, \"query\": \"dinh tien dung\"}\n",
        "\n",
        "{\"qid\": \"b\", \"query\": \"thanh tri\"}\n",
        "{\"qid\": [1], \"query\": \"zzzzqqq\"}\n",
    );
    let out = docbao(&["search", "--corpus", &seeds(), "--batch"], queries);
    assert_eq!(out.status.code(), Some(0));
    let answers: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["qid"], 7);
    assert_eq!(answers[0]["ids"][0], "003_ee4229f4c9863cbc");
    assert_eq!(answers[1]["qid"], "b");
    assert_eq!(answers[1]["ids"][0], "000_2bd3c5a4fc348b9d");
    assert_eq!(answers[2]["qid"], serde_json::json!([1]));
    assert_eq!(answers[2]["ids"], serde_json::json!([]));
}

#[test]
fn search_needs_a_corpus_and_one_query_form() {
    assert_eq!(docbao(&["search", "x"], "").status.code(), Some(2));
    let both = docbao(&["search", "--corpus", &seeds(), "--batch", "x"], "");
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn batch_search_answers_every_line_with_an_error_for_bad_ones() {
    let mut queries = Vec::new();
    queries.extend_from_slice(b"{\"qid\": 1, \"query\": \"thanh tri\"}\n");
    queries.extend_from_slice(b"{\"qid\": 2, \"query\": \"H\xe0 N\xf4i\"}\n"); // Latin-1, not UTF-8
    queries.extend_from_slice(b"{\"qid\": 3, \"query\": \n"); // not JSON
    queries.extend_from_slice(b"{\"qid\": 4, \"q\": \"thanh tri\"}\n");
    queries.extend_from_slice(b"{\"qid\": 5, \"query\": 42}\n");
    queries.extend_from_slice(b"[\"thanh tri\"]\n");
    queries.extend_from_slice(b"{\"qid\": 7, \"query\": \"dinh tien dung\"}");
    let out = docbao_bytes(&["search", "--corpus", &seeds(), "--batch"], &queries);
    assert_eq!(out.status.code(), Some(0));
    let answers: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 7, "{answers:?}");
    assert_eq!(answers[0]["ids"][0], "000_2bd3c5a4fc348b9d");
    let errors: Vec<(serde_json::Value, serde_json::Value, &str)> = answers[1..6]
        .iter()
        .map(|a| {
            (
                a["qid"].clone(),
                a["line"].clone(),
                a["error"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors[0],
        (
            serde_json::Value::Null,
            2.into(),
            "not UTF-8 (invalid byte at offset 22)"
        )
    );
    assert_eq!(
        (errors[1].0.clone(), errors[1].1.clone()),
        (serde_json::Value::Null, 3.into())
    );
    assert!(
        errors[1].2.starts_with("not JSON: EOF while parsing"),
        "{}",
        errors[1].2
    );
    assert_eq!(errors[2], (4.into(), 4.into(), "field `query` is missing"));
    assert_eq!(
        errors[3],
        (5.into(), 5.into(), "field `query` must be a string")
    );
    assert_eq!(
        errors[4],
        (serde_json::Value::Null, 6.into(), "expected a JSON object")
    );
    assert_eq!(answers[6]["qid"], 7);
    assert_eq!(answers[6]["ids"][0], "003_ee4229f4c9863cbc");
}

#[test]
fn check_stats_prints_counts_memory_and_peak_rss() {
    let out = docbao(&["check", "--stats", &seeds()], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "2 accepted, 0 rejected\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 file(s)") && err.contains("2 accepted, 0 rejected (0 report entries)"),
        "{err}"
    );
    let memory = err
        .lines()
        .find(|l| l.contains("accepted articles ≈"))
        .unwrap_or_else(|| panic!("{err}"));
    let bytes: u64 = memory
        .split(" bytes of structs")
        .next()
        .and_then(|before| before.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{memory}"));
    assert!(bytes > 10_000, "two articles of the seeds: {memory}");
    assert!(memory.contains(", 2 articles)"), "{memory}");
    let peak = memory
        .split("peak RSS ")
        .nth(1)
        .unwrap_or_else(|| panic!("{memory}"));
    assert!(
        peak.ends_with(" MB") || peak.starts_with("unknown"),
        "{memory}"
    );
}

#[test]
fn check_keeps_the_records_of_a_gzip_with_trailing_garbage() {
    use flate2::{write::GzEncoder, Compression};
    let dir = scratch("trailing");
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(b"{\"id\": \"g\", \"title\": \"T\", \"body\": \"B\"}\n")
        .unwrap();
    let mut bytes = gz.finish().unwrap();
    let offset = bytes.len();
    bytes.extend_from_slice(b"garbage");
    std::fs::write(dir.join("a.jsonl.gz"), &bytes).unwrap();
    let out = docbao(&["check", dir.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("from byte offset {offset}")),
        "{text}"
    );
    assert!(text.ends_with("1 accepted, 1 rejected\n"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}
