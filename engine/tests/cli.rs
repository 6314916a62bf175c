//! The `docbao` command line, run as a process: exit codes, the export format, search.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn docbao(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docbao"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the docbao binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
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
fn check_fails_on_a_warning_and_says_so_in_its_usage() {
    let dir = scratch("warning");
    let mut page = "Tiêu đề\n\nLời dẫn có một byte hỏng: ".as_bytes().to_vec();
    page.extend_from_slice(b"\xff.\n");
    std::fs::write(dir.join("a.txt"), page).unwrap();
    let out = docbao(&["check", dir.to_str().unwrap()], "");
    assert_eq!(
        out.status.code(),
        Some(1),
        "accepted with a warning fails check"
    );
    let text = stdout(&out);
    assert!(
        text.contains("a.txt (a): not valid UTF-8: 1 invalid byte"),
        "{text}"
    );
    assert!(
        text.ends_with("1 accepted, 0 rejected, 1 warning\n"),
        "{text}"
    );
    let usage = stdout(&docbao(&["help"], ""));
    assert!(
        usage.contains("rejected or accepted with a warning"),
        "{usage}"
    );
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
