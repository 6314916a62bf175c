//! The `docbao` command line, run as a process: exit codes, the export format, search.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

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

/// A page whose own dates disagree is accepted without a date; the note says why and the
/// summary counts it. Notes are not problems: `check` still passes.
#[test]
fn check_counts_a_date_left_empty_in_its_summary() {
    let dir = scratch("date-conflict");
    std::fs::write(
        dir.join("p.txt"),
        "Tiêu đề\n\n(LĐTĐ) Sáng 8/1, phường mở phiên chợ.\n\nĐoạn một.\n\n\
         08/01/2020 14:30\n\nhttps://laodongthudo.vn/2016/01/08/phien-cho.html\n",
    )
    .unwrap();
    let out = docbao(&["check", &dir.display().to_string()], "");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("(p): date left empty: the page's dates disagree"),
        "{text}"
    );
    assert!(text.ends_with("1 accepted, 0 rejected, 1 note\n"), "{text}");
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
fn a_query_over_the_cap_is_answered_and_said_to_be_cut() {
    let long = format!("thanh tri {}", "a".repeat(3_000));
    let out = docbao(&["search", "--corpus", &seeds(), &long], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("000_2bd3c5a4fc348b9d\t"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("query cut to its first 256"));

    let batch = format!(
        "{}\n{}\n",
        serde_json::json!({ "qid": 1, "query": long }),
        serde_json::json!({ "qid": 2, "query": "thanh tri" })
    );
    let out = docbao(&["search", "--corpus", &seeds(), "--batch"], &batch);
    let answers: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers[0]["ids"][0], "000_2bd3c5a4fc348b9d");
    assert!(answers[0]["trimmed"].is_string());
    assert!(answers[1].get("trimmed").is_none());
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

/// Runs `command` to its end, or fails the test if it has not ended after a minute: a walk
/// that opens a FIFO would block for ever, and one that reads /dev/zero would never stop.
fn finishes(mut command: Command) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    let pid = child.id();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{command:?} had not finished after a minute (killed)");
        }
    }
}

fn check_command(path: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_docbao"));
    command.arg("check").arg(path);
    command
}

/// A page whose title and lead carry `word`, so each such page is a distinct article.
fn page(word: &str) -> String {
    format!("Tiêu đề {word}\n\nLời dẫn {word}.\n")
}

#[cfg(unix)]
#[test]
fn bad_folder_entries_are_one_line_each_of_the_report_and_the_walk_goes_on() {
    use std::os::unix::fs::symlink;
    let dir = scratch("bad-entries");
    std::fs::write(dir.join("a.txt"), page("một")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/b.txt"), page("hai")).unwrap();
    symlink(dir.join("nowhere.txt"), dir.join("dangling.txt")).unwrap();
    symlink("loop_b", dir.join("loop_a")).unwrap();
    symlink("loop_a", dir.join("loop_b")).unwrap();
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("/dev/zero", dir.join("zero.txt")).unwrap();
    let fifo = dir.join("fifo.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", fifo.display());

    let out = finishes(check_command(&dir));
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let shown = |name: &str| dir.join(name).display().to_string();
    let mut expected = vec![
        format!(
            "rejected {}: dangling symlink: its target does not exist",
            shown("dangling.txt")
        ),
        format!(
            "rejected {}: not a regular file (FIFO)",
            shown("fifo.jsonl")
        ),
        format!("rejected {}: symlink loop", shown("loop_a")),
        format!("rejected {}: symlink loop", shown("loop_b")),
        format!("rejected {}: symlink loop", shown("sub/up")),
        format!(
            "rejected {}: not a regular file (character device)",
            shown("zero.txt")
        ),
        "2 accepted, 6 rejected".to_string(),
    ];
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    expected.sort();
    assert_eq!(lines, expected);
    // `export` walks the same way: the good articles out, the report on stderr, exit 0.
    let mut export = Command::new(env!("CARGO_BIN_EXE_docbao"));
    export.arg("export").arg(&dir);
    let out = finishes(export);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).lines().count(), 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_reported_without_being_opened() {
    let dir = scratch("special");
    // Opening the FIFO would block for ever (no writer); reading /dev/zero would never end.
    let made = Command::new("mkfifo").arg(dir.join("a.jsonl")).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", dir.join("b.txt")).unwrap();
    std::fs::write(dir.join("c.txt"), page("một")).unwrap();
    let out = finishes(check_command(&dir));
    assert_eq!(
        stdout(&out),
        format!(
            "rejected {0}/a.jsonl: not a regular file (FIFO)\n\
             rejected {0}/b.txt: not a regular file (character device)\n\
             1 accepted, 2 rejected\n",
            dir.display()
        )
    );
    assert_eq!(out.status.code(), Some(1));
    // `search` walks the same way: it answers from the good file.
    let mut search = Command::new(env!("CARGO_BIN_EXE_docbao"));
    search
        .arg("search")
        .arg("--corpus")
        .arg(&dir)
        .arg("tieu de");
    let out = finishes(search);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("c\t"), "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_sibling_folder_does_not_read_its_files_twice() {
    let dir = scratch("sibling");
    std::fs::create_dir(dir.join("z_real")).unwrap();
    std::fs::write(dir.join("z_real/a.txt"), page("một")).unwrap();
    std::fs::write(dir.join("z_real/b.txt"), page("hai")).unwrap();
    // Sorted before its target, so the walk meets the link first.
    std::os::unix::fs::symlink("z_real", dir.join("a_link")).unwrap();
    // A second name for a file already read through the link.
    std::os::unix::fs::symlink("z_real/a.txt", dir.join("m.txt")).unwrap();
    let out = finishes(check_command(&dir));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "2 accepted, 0 rejected\n");
    let export = docbao(&["export", dir.to_str().unwrap()], "");
    let ids: Vec<String> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"a\"", "\"b\""]);
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    std::fs::write(dir.join("a.txt"), page("một")).unwrap();
    std::fs::create_dir(dir.join("locked")).unwrap();
    std::fs::write(dir.join("locked/b.txt"), page("hai")).unwrap();
    std::fs::write(dir.join("z.txt"), page("ba")).unwrap();
    let locked = dir.join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = check_command(&dir);
    if std::fs::read_dir(&locked).is_ok() {
        // Root reads any folder whatever its mode: run docbao without that capability.
        let dropped = Command::new("setpriv")
            .args(["--bounding-set", "-dac_override,-dac_read_search", "true"])
            .status();
        if !dropped.is_ok_and(|s| s.success()) {
            eprintln!("SKIPPED: this user reads a folder of mode 000 and cannot drop the right");
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        command = Command::new("setpriv");
        command
            .args(["--bounding-set", "-dac_override,-dac_read_search"])
            .arg(env!("CARGO_BIN_EXE_docbao"))
            .arg("check")
            .arg(&dir);
    }
    let out = finishes(command);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text,
        format!(
            "rejected {}: cannot read folder: Permission denied (os error 13)\n\
             2 accepted, 1 rejected\n",
            locked.display()
        )
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_read_and_shown_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("not-utf8-path");
    let name = std::ffi::OsStr::from_bytes(b"a\xff.txt");
    let file = dir.join(name);
    std::fs::write(&file, page("một")).unwrap();
    let out = finishes(check_command(&file));
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
    assert_eq!(stdout(&out), "1 accepted, 0 rejected\n");
    // In a folder, and rejected: the report names it, with U+FFFD for the bad byte.
    std::fs::write(&file, "").unwrap();
    let out = finishes(check_command(&dir));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!(
            "rejected {}/a\u{FFFD}.txt: empty\n0 accepted, 1 rejected\n",
            dir.display()
        )
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn a_query_that_is_not_utf8_is_refused_with_a_clear_message() {
    use std::os::unix::ffi::OsStrExt;
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9");
    let mut command = Command::new(env!("CARGO_BIN_EXE_docbao"));
    command
        .arg("search")
        .arg("--corpus")
        .arg(seeds())
        .arg(latin1);
    let out = finishes(command);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("query \"caf\\xE9\" is not UTF-8 (byte 0xE9 at offset 3)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
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

#[test]
fn a_query_of_only_exclusions_lists_the_archive_minus_them() {
    let dir = scratch("only-exclusions");
    let records = [
        ("a", "Mưa ở Hà Nội"),
        ("b", "Nắng ở Huế"),
        ("c", "Sân bay Nội Bài"),
        ("d", "Biển Đà Nẵng"),
    ]
    .map(|(id, title)| {
        format!("{{\"id\": \"{id}\", \"title\": \"{title}\", \"body\": \"tin\"}}\n")
    });
    std::fs::write(dir.join("tin.jsonl"), records.concat()).unwrap();
    let corpus = dir.display().to_string();
    let ids = |query: &str| {
        let out = docbao(&["search", "--corpus", &corpus, query], "");
        assert_eq!(out.status.code(), Some(0), "{query}");
        stdout(&out)
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("-hà -nội"), ["b", "d"]);
    assert_eq!(ids("-\"hà nội\""), ["b", "c", "d"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn build_writes_the_index_and_tells_its_progress_in_plain_lines() {
    let dir = scratch("build");
    // 10,001 small records: one plain progress line at 10,000 and one for the last count.
    let mut jsonl = String::new();
    for i in 0..10_001 {
        jsonl.push_str(&format!(
            "{{\"id\": \"r{i}\", \"title\": \"Tin số {i}\", \"body\": \"Hà Nội hôm nay {i}.\"}}\n"
        ));
    }
    std::fs::write(dir.join("a.jsonl"), jsonl).unwrap();
    let out_dir = dir.join("out");
    let out = docbao(
        &[
            "build",
            "--out",
            out_dir.to_str().unwrap(),
            dir.join("a.jsonl").to_str().unwrap(),
        ],
        "",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("docbao: 10000 articles read in"), "{err}");
    assert!(err.contains("docbao: 10001 articles read in"), "{err}");
    assert!(
        !err.contains('\r'),
        "no redrawn line outside a terminal: {err}"
    );
    let index = docbao_engine::from_bytes(&std::fs::read(out_dir.join("corpus.bin")).unwrap())
        .expect("the written index loads");
    assert_eq!(index.len(), 10_001);
    assert_eq!(index.article("r9999").unwrap().title, "Tin số 9999");
}

#[test]
fn build_refuses_an_unknown_layout_and_a_missing_out() {
    let out = docbao(&["build", "--layout", "zip", "--out", "x", &seeds()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--layout \"zip\""));
    let out = docbao(&["build", &seeds()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("build needs --out DIR"));
}
