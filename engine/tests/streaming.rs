//! Streaming ingest: records handed on as they are read, duplicates found without keeping
//! articles, a report that stays small for runs of identical rejections, and files that are
//! partly bad keeping their good part. Every hostile input is generated here.
//!
//! Every case is read twice, as bytes (`add_file`) and from a reader that hands them over in
//! small uneven pieces (`add_reader`, as from an open file), and must come out the same.
#![cfg(feature = "jsonl")]

use std::io::{self, Read};

use docbao_engine::ingest::{
    ingest, ArticleSink, Discard, IngestReport, Ingester, Reason, Sameness, SourceFile,
    MAX_ARTICLE_BYTES,
};
use docbao_engine::Article;

fn file(path: &str, bytes: impl Into<Vec<u8>>) -> SourceFile {
    SourceFile {
        path: path.into(),
        bytes: bytes.into(),
    }
}

/// Bytes handed over a few at a time, in uneven pieces, now and then interrupted (which a
/// reader must retry), as a pipe or a slow disk may; then, optionally, an error.
struct Trickle<'a> {
    bytes: &'a [u8],
    /// Bytes handed over so far.
    at: usize,
    /// Where reading fails, if it does.
    fails_at: Option<usize>,
    calls: usize,
}

impl<'a> Trickle<'a> {
    fn new(bytes: &'a [u8]) -> Trickle<'a> {
        Trickle {
            bytes,
            at: 0,
            fails_at: None,
            calls: 0,
        }
    }

    fn failing_at(bytes: &'a [u8], at: usize) -> Trickle<'a> {
        Trickle {
            fails_at: Some(at),
            ..Trickle::new(bytes)
        }
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Small pieces first, so even a short file is split where a look-ahead needs more.
        const PIECES: [usize; 7] = [1, 7, 2, 300, 13, 4093, 65_539];
        self.calls += 1;
        if self.calls.is_multiple_of(11) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let end = self
            .fails_at
            .unwrap_or(self.bytes.len())
            .min(self.bytes.len());
        if self.at == end && self.fails_at.is_some() {
            return Err(io::Error::other("the disk gave up"));
        }
        let n = PIECES[(self.calls - 1) % PIECES.len()]
            .min(buf.len())
            .min(end - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// What [`ingest`] makes of `files`, after checking that [`Ingester::add_reader`] makes
/// exactly the same of them (articles, report, bytes read) from a [`Trickle`].
fn ingest_both_ways(files: &[SourceFile]) -> (Vec<Article>, IngestReport) {
    let mut from_bytes = Ingester::new();
    let mut from_reader = Ingester::new();
    for file in files {
        from_bytes.add_file(&file.path, &file.bytes);
        from_reader.add_reader(&file.path, Trickle::new(&file.bytes));
    }
    assert_eq!(from_reader.bytes_read(), from_bytes.bytes_read());
    let (from_reader, from_bytes) = (from_reader.finish(), from_bytes.finish());
    assert_eq!(from_reader, from_bytes, "add_reader and add_file differ");
    assert_eq!(from_bytes, ingest(files));
    from_bytes
}

fn record(id: &str, title: &str) -> String {
    format!(r#"{{"id": "{id}", "title": "{title}", "body": "Thân bài của {title}."}}"#)
}

fn ids(articles: &[Article]) -> Vec<&str> {
    articles.iter().map(|a| a.id.as_str()).collect()
}

/// `n` distinct records, and the byte offset where each starts when they are joined by
/// `separator` after `opening`.
fn records_joined(n: usize, opening: &str, separator: &str) -> (String, Vec<usize>) {
    let mut text = opening.to_string();
    let mut starts = Vec::new();
    for i in 1..=n {
        if i > 1 {
            text.push_str(separator);
        }
        starts.push(text.len());
        text.push_str(&record(&i.to_string(), &format!("Bài số {i}")));
    }
    (text, starts)
}

fn read_failing_at(path: &str, bytes: &[u8], at: usize) -> (Vec<Article>, IngestReport) {
    let mut ingester = Ingester::new();
    ingester.add_reader(path, Trickle::failing_at(bytes, at));
    ingester.finish()
}

fn read_failed(byte_offset: usize) -> Reason {
    Reason::ReadFailed {
        byte_offset,
        message: "the disk gave up".into(),
    }
}

#[test]
fn a_read_that_fails_part_way_keeps_the_records_before_and_names_the_offset() {
    // Long enough that the failure comes after several fills of the reader's buffer.
    let (text, starts) = records_joined(3000, "", "\n");
    let fails_at = starts[2000] + 10; // inside line 2001
    assert!(fails_at > 2 * 64 * 1024);
    let (articles, report) = read_failing_at("kho/hong.jsonl", text.as_bytes(), fails_at);
    assert_eq!(articles.len(), 2000);
    assert_eq!(articles.last().unwrap().id, "2000");
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    let fault = &report.rejected[0];
    assert_eq!((fault.line, fault.index), (Some(2001), None));
    assert_eq!(fault.reason, read_failed(fails_at));
    assert_eq!(
        fault.to_string(),
        format!(
            "kho/hong.jsonl:2001: reading failed at byte offset {fails_at}: the disk gave up; \
             the rest of the file was not read"
        )
    );

    // In an array: the elements before the cut one are kept, the fault is at its index.
    let (text, starts) = records_joined(3000, "[\n", ",\n");
    let fails_at = starts[1500] + 3; // inside element 1500, on line 1502
    let (articles, report) = read_failing_at("kho/hong.json", text.as_bytes(), fails_at);
    assert_eq!(articles.len(), 1500);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    let fault = &report.rejected[0];
    assert_eq!((fault.line, fault.index), (Some(1502), Some(1500)));
    assert_eq!(fault.reason, read_failed(fails_at));
}

#[test]
fn a_read_that_fails_before_any_record_rejects_the_file_alone() {
    let (text, _) = records_joined(3, "", "\n");
    // Failing at once (a `.json` is looked at before it is read), or in a page or a gzipped
    // file, which are read whole before they are parsed: the file is rejected, naming where.
    for (path, at) in [
        ("kho/som.json", 0),
        ("kho/som.jsonl", 5),
        ("kho/trang.txt", 5),
        ("kho/nen.jsonl.gz", 7),
    ] {
        let (articles, report) = read_failing_at(path, text.as_bytes(), at);
        assert_eq!(articles, [], "{path}");
        assert_eq!(report.accepted, [], "{path}");
        assert_eq!(report.rejected.len(), 1, "{path}: {:?}", report.rejected);
        let fault = &report.rejected[0];
        assert_eq!((fault.line, fault.index), (None, None), "{path}");
        assert_eq!(fault.reason, read_failed(at), "{path}");
    }
}

#[test]
fn pages_and_other_files_read_from_a_reader_are_as_read_from_bytes() {
    let page = "Tiêu đề\n\nLời dẫn.\n\nThân bài.\n";
    let huge = format!("Tiêu đề\n\n{}", "Một câu. ".repeat(MAX_ARTICLE_BYTES / 8));
    let (articles, report) = ingest_both_ways(&[
        file("kho/trang.txt", page),
        file("kho/lon.txt", huge.clone()),
        file("kho/rong.txt", ""),
        file("kho/anh.png", "not read"),
    ]);
    assert_eq!(ids(&articles), ["trang"]);
    let reasons: Vec<&Reason> = report.rejected.iter().map(|r| &r.reason).collect();
    assert_eq!(
        reasons,
        [
            &Reason::TooLarge {
                bytes: huge.len(),
                limit: MAX_ARTICLE_BYTES
            },
            &Reason::Empty,
            &Reason::UnsupportedType
        ]
    );
}

#[test]
fn json_lines_named_json_whose_first_line_is_bad_keep_their_good_lines() {
    let text = [
        r#"{"id": "1", "title": "Một", "body": "Thân"#, // cut short
        &record("2", "Hai"),
        &record("3", "Ba"),
    ]
    .join("\n");
    let (articles, report) = ingest_both_ways(&[file("kho/dong.json", text)]);
    assert_eq!(ids(&articles), ["2", "3"]);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    let bad = &report.rejected[0];
    assert_eq!(bad.line, Some(1));
    assert!(
        bad.reason
            .to_string()
            .starts_with("unreadable JSON: EOF while parsing a string"),
        "{bad}"
    );
}

#[test]
fn a_pretty_printed_object_is_one_record_and_junk_after_it_is_rejected_alone() {
    let text = "{\n  \"id\": \"p\",\n  \"title\": \"Một\",\n  \"body\": [\"Thân.\"]\n}\n}junk\n";
    let (articles, report) = ingest_both_ways(&[file("kho/mot.json", text)]);
    assert_eq!(ids(&articles), ["p"]);
    assert_eq!(report.accepted[0].line, Some(1));
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        report.rejected[0].to_string(),
        "kho/mot.json:6: unreadable JSON: trailing characters at line 6 column 1; ignored"
    );
}

#[test]
fn an_array_with_a_trailing_comma_keeps_its_elements() {
    let text = format!("[\n{},\n{},\n]\n", record("a", "Một"), record("b", "Hai"));
    let (articles, report) = ingest_both_ways(&[file("kho/mang.json", text)]);
    assert_eq!(ids(&articles), ["a", "b"]);
    assert_eq!(report.rejected.len(), 1);
    let fault = &report.rejected[0];
    assert_eq!((fault.line, fault.index), (Some(4), Some(2)));
    assert_eq!(
        fault.reason.to_string(),
        "unreadable JSON: trailing comma at line 4 column 1"
    );
}

#[test]
fn an_array_cut_short_keeps_the_elements_before_the_cut() {
    let text = format!(
        "[{},\n  {},\n  {{\"title\": \"Ba\", \"bo",
        record("a", "Một"),
        record("b", "Hai")
    );
    let (articles, report) = ingest_both_ways(&[file("kho/cut.json", text)]);
    assert_eq!(ids(&articles), ["a", "b"]);
    assert_eq!(report.rejected.len(), 1);
    let fault = &report.rejected[0];
    assert_eq!((fault.line, fault.index), (Some(3), Some(2)));
    assert_eq!(
        fault.reason.to_string(),
        "unreadable JSON: EOF while parsing a string at line 3 column 21"
    );

    // A missing comma between elements ends the array there, named by line and column.
    let text = format!("[{}\n {}]", record("c", "Ba"), record("d", "Bốn"));
    let (articles, report) = ingest_both_ways(&[file("kho/thieu.json", text)]);
    assert_eq!(ids(&articles), ["c"]);
    assert_eq!(report.rejected[0].index, Some(1));
    assert!(report.rejected[0]
        .reason
        .to_string()
        .starts_with("unreadable JSON: expected `,` or `]` at line 2 column 2"));
}

#[test]
fn a_bad_element_is_located_in_the_file_and_its_neighbours_kept() {
    let text = format!(
        "[\n{},\n  {{\"title\": \"Hai\", \"body\": tru}},\n{}\n]",
        record("a", "Một"),
        record("c", "Ba")
    );
    let (articles, report) = ingest_both_ways(&[file("kho/giua.json", text)]);
    assert_eq!(ids(&articles), ["a", "c"]);
    let bad = &report.rejected[0];
    assert_eq!((bad.line, bad.index), (Some(3), Some(1)));
    assert_eq!(
        bad.reason.to_string(),
        "unreadable JSON: expected ident at line 3 column 31"
    );
}

#[test]
fn an_oversized_array_element_is_refused_alone() {
    let big = format!(
        r#"{{"title": "Lớn", "body": "{}"}}"#,
        "chữ ".repeat(MAX_ARTICLE_BYTES / 4)
    );
    let text = format!("[{big}, {}]", record("nho", "Nhỏ"));
    let (articles, report) = ingest_both_ways(&[file("kho/lon.json", text)]);
    assert_eq!(ids(&articles), ["nho"]);
    assert_eq!(report.rejected[0].index, Some(0));
    assert_eq!(
        report.rejected[0].reason,
        Reason::TooLarge {
            bytes: big.len(),
            limit: MAX_ARTICLE_BYTES
        }
    );
}

#[test]
fn an_empty_array_is_an_empty_file() {
    let (_, report) = ingest_both_ways(&[file("kho/rong.json", " [ ] ")]);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].reason, Reason::Empty);
}

#[test]
fn consecutive_identical_rejections_are_one_entry_with_a_range() {
    let copy = record("a", "Một");
    let mut lines = vec![copy.clone()];
    lines.extend(std::iter::repeat_n(copy.clone(), 999));
    lines.push(String::new()); // a blank line is no record, and does not end the run
    lines.extend(std::iter::repeat_n(copy.replace("\"a\"", "\"b\""), 1000));
    lines.push(record("c", "Ba"));
    lines.push(copy.clone()); // after an accepted record: a new entry
    let (articles, report) = ingest_both_ways(&[file("kho/lap.jsonl", lines.join("\n"))]);
    assert_eq!(ids(&articles), ["a", "c"]);
    let got: Vec<(Option<usize>, Option<usize>, usize, String)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.last_line, r.records, r.reason.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some(2),
                Some(1000),
                999,
                "duplicate of article a (same id)".to_string()
            ),
            (
                Some(1002),
                Some(2001),
                1000,
                "duplicate of article a (same text)".to_string()
            ),
            (
                Some(2003),
                None,
                1,
                "duplicate of article a (same id)".to_string()
            ),
        ]
    );
    assert_eq!(report.rejected_count(), 2000);
    assert_eq!(report.summary(), "2 accepted, 2000 rejected");
    let described = report.describe();
    assert!(
        described.contains(
            "rejected kho/lap.jsonl:2–1000 (999 records, each): duplicate of article a (same id)\n"
        ),
        "{described}"
    );
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["rejected_count"], 2000);
    assert_eq!(json["rejected"][0]["line"], 2);
    assert_eq!(json["rejected"][0]["last_line"], 1000);
    assert_eq!(json["rejected"][0]["records"], 999);
    assert_eq!(
        json["rejected"][2].get("records"),
        None,
        "one record: no count"
    );
}

#[test]
fn runs_of_array_elements_are_ranges_of_indexes() {
    let text = format!("[{}]", [r#"{"title": "T"}"#; 5].join(",\n"));
    let (_, report) = ingest_both_ways(&[file("kho/nam.json", text)]);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        report.rejected[0].to_string(),
        "kho/nam.json:1–5 [index 0–4] (5 records, each): no body: neither a lead nor a paragraph"
    );
}

#[test]
fn past_the_listing_limit_rejections_are_counted_per_file() {
    // Duplicates of two records in turn: no two neighbours alike, so no runs.
    let mut lines = vec![record("a", "Một"), record("b", "Hai")];
    for i in 0..20 {
        lines.push(record(if i % 2 == 0 { "a" } else { "b" }, "Khác"));
        if i == 10 {
            lines.push(record("c", "Ba")); // line 14, accepted in the middle
        }
    }
    let mut ingester = Ingester::new().list_at_most(3);
    ingester.add_file("kho/xen.jsonl", lines.join("\n").as_bytes());
    ingester.add_file("kho/rong.jsonl", b"\n");
    let (articles, report) = ingester.finish();
    assert_eq!(ids(&articles), ["a", "b", "c"]);
    assert_eq!(
        report.rejected_count(),
        21,
        "20 duplicates and one empty file"
    );
    let listed: Vec<String> = report.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        listed,
        [
            "kho/xen.jsonl:3: duplicate of article a (same id)",
            "kho/xen.jsonl:4: duplicate of article b (same id)",
            "kho/xen.jsonl:5: duplicate of article a (same id)",
            "kho/xen.jsonl:6–23 (17 records in this range): rejected too, reasons not \
             listed: the report lists 3 rejections one by one, then counts the rest",
            "kho/rong.jsonl: empty",
        ]
    );
    assert_eq!(report.rejected[3].reason, Reason::NotListed { listed: 3 });
}

/// Counts what it is handed, keeping nothing.
#[derive(Default)]
struct Counter {
    articles: usize,
    titles: Vec<String>,
}

impl ArticleSink for Counter {
    fn take(&mut self, article: Article) {
        self.articles += 1;
        self.titles.push(article.title);
    }
}

#[test]
fn articles_go_to_the_sink_and_duplicates_are_found_without_them() {
    let page = "Tiêu đề một bài báo\n\nLời dẫn của bài báo.\n\nĐoạn thân bài.\n";
    // The same text under another name, spacing changed: found from the hash alone.
    let copy = page.replace(' ', "  ");
    let mut ingester = Ingester::with_sink(Discard);
    ingester.add_file("a/goc.txt", page.as_bytes());
    ingester.add_file("b/ban_sao.txt", copy.as_bytes());
    ingester.add_file("c/goc.txt", "Khác\n\nHẳn.\n".as_bytes());
    let (Discard, report) = ingester.finish();
    let reasons: Vec<&Reason> = report.rejected.iter().map(|r| &r.reason).collect();
    assert_eq!(
        reasons,
        [
            &Reason::Duplicate {
                of: "goc".into(),
                same: Sameness::Text
            },
            &Reason::Duplicate {
                of: "goc".into(),
                same: Sameness::Id
            }
        ]
    );

    let mut ingester = Ingester::with_sink(Counter::default());
    let lines = [record("1", "Một"), record("2", "Hai"), record("1", "Ba")].join("\n");
    ingester.add_file("kho/x.jsonl", lines.as_bytes());
    assert_eq!(ingester.sink().articles, 2);
    let (counter, report) = ingester.finish();
    assert_eq!(counter.titles, ["Một", "Hai"]);
    assert_eq!(report.accepted.len(), 2);
}

#[cfg(feature = "gz")]
mod gzip {
    use super::*;
    use std::io::Write;

    fn gzip(text: &str) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn a_gzip_member_followed_by_garbage_keeps_its_records() {
        let first = gzip(&format!("{}\n{}\n", record("1", "Một"), record("2", "Hai")));
        // A second member, as `cat a.gz b.gz` makes, and then bytes that are not gzip.
        let second = gzip(&record("3", "Ba"));
        let mut bytes = [first.clone(), second.clone()].concat();
        bytes.extend_from_slice(b"\0\0 not gzip at all");
        let (articles, report) = ingest_both_ways(&[file("kho/duoi.jsonl.gz", bytes)]);
        assert_eq!(ids(&articles), ["1", "2", "3"]);
        assert_eq!(report.rejected.len(), 1);
        let garbage = &report.rejected[0];
        assert_eq!(garbage.line, None);
        assert_eq!(
            garbage.reason,
            Reason::GzipTrailingData {
                byte_offset: first.len() + second.len()
            }
        );
        assert!(garbage
            .reason
            .to_string()
            .contains(&format!("byte offset {}", first.len() + second.len())));
    }

    #[test]
    fn a_truncated_gzip_keeps_the_records_before_the_cut() {
        let text: String = (0..2000)
            .map(|i| {
                record(
                    &i.to_string(),
                    &format!("Bài số {i} về {}", i * 7919 % 1013),
                ) + "\n"
            })
            .collect();
        let gz = gzip(&text);
        let cut = &gz[..gz.len() * 3 / 5];
        let (articles, report) = ingest_both_ways(&[file("kho/cut.jsonl.gz", cut.to_vec())]);
        assert!(articles.len() > 100, "{} kept", articles.len());
        assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
        let fault = &report.rejected[0];
        assert!(matches!(fault.reason, Reason::UnreadableGzip { .. }));
        // Named at the line where reading stopped; that cut line is not taken as a record.
        assert_eq!(fault.line, Some(articles.len() + 1));
    }

    #[test]
    fn a_gzipped_json_array() {
        let gz = gzip(&format!("[{},{}]", record("a", "Một"), record("b", "Hai")));
        let (articles, report) = ingest_both_ways(&[file("kho/mang.json.gz", gz)]);
        assert_eq!(ids(&articles), ["a", "b"]);
        assert_eq!(report.rejected, []);
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Text made of JSON's own pieces, so the scanner meets every kind of nesting fault.
    fn json_pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            "\"",
            "\\",
            "\n",
            " ",
            "\"title\"",
            "\"body\"",
            "\"x\"",
            "1",
            "null",
            "ư",
            "\u{feff}",
        ]);
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_json_shaped_text_is_read_without_panic_and_accounted(
            text in json_pieces(),
            bytes in prop::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gzipped, text.as_bytes()).unwrap();
            let gzipped = gzipped.finish().unwrap();
            for name in ["k/x.json", "k/x.jsonl", "k/x.json.gz", "k/x.jsonl.gz"] {
                for input in [text.as_bytes(), &bytes[..], &gzipped[..]] {
                    let (articles, report) = ingest_both_ways(&[file(name, input.to_vec())]);
                    prop_assert_eq!(articles.len(), report.accepted.len());
                    prop_assert!(
                        !report.accepted.is_empty() || !report.rejected.is_empty(),
                        "{} left no trace", name
                    );
                    prop_assert!(report.rejected.iter().all(|r| r.path == name));
                }
            }
        }
    }
}

/// A bad JSON Lines record's message names the file's own line, as its report entry does,
/// not the line inside the record (always 1).
#[test]
fn a_bad_json_lines_record_names_the_line_of_the_file() {
    let text = "{\"title\": \"Một\", \"body\": \"Bài một.\"}\n\n{\"title\": \"Hai\", body}\n";
    let mut ingester = docbao_engine::ingest::Ingester::new();
    ingester.add_file("x.jsonl", text.as_bytes());
    let (_, report) = ingester.finish();
    assert_eq!(report.rejected.len(), 1, "{report:?}");
    assert_eq!(report.rejected[0].line, Some(3));
    let text = report.rejected[0].to_string();
    assert!(text.contains("at line 3 column 18"), "{text}");
}
