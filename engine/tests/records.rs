//! JSON Lines, JSON arrays and gzipped JSON Lines: field mapping, and bad records
//! reported by line without taking their neighbours down.
#![cfg(feature = "jsonl")]

use docbao_engine::ingest::{ingest, Reason, SourceFile, MAX_ARTICLE_BYTES};

fn file(path: &str, bytes: impl Into<Vec<u8>>) -> SourceFile {
    SourceFile {
        path: path.into(),
        bytes: bytes.into(),
    }
}

#[test]
fn field_names_map_onto_the_article() {
    let lines = [
        // The UNC corpus's names: body paragraphs separated by newlines.
        r#"{"id": "news_1", "source": "Dân trí", "url": "https://x/1", "date": "2020-10-01", "category": "business", "title": "Tiêu đề một", "body": "Đoạn một.\nĐoạn hai."}"#,
        // The RSS corpus's: a summary and no body is an article with a lead.
        r#"{"id": "d03a", "source": "VnExpress", "category": "Công nghệ", "published": "2025-08-07T22:00:00+07:00", "url": "https://x/2", "title": "Tiêu đề hai", "summary": "Tóm tắt."}"#,
        // Other names, a body as an array, a dd/mm/yyyy date, no id.
        r#"{"title": "Tiêu đề ba", "content": ["Một.", "  ", "Hai."], "sapo": "Sa pô.", "time": "24/08/2021", "outlet": "PNTĐ", "section": "Xã hội", "link": "https://x/3", "author": "HÀ LINH"}"#,
        // A body with blank lines between paragraphs, CRLF, NFD text, a byline field.
        "{\"title\": \"Tie\u{302}u \u{111}e\u{302}\u{300}\", \"text\": \"Câu một\\r\\ntiếp.\\r\\n\\r\\nCâu hai.\", \"lead\": \"L\", \"byline\": \"An\", \"site\": \"S\"}",
    ];
    let (articles, report) = ingest(&[file("kho/tin.jsonl", lines.join("\n"))]);
    assert_eq!(report.rejected, []);
    assert_eq!(articles.len(), 4);

    let a = &articles[0];
    assert_eq!(
        (a.id.as_str(), a.title.as_str(), a.date.as_deref()),
        ("news_1", "Tiêu đề một", Some("2020-10-01"))
    );
    assert_eq!(a.body, ["Đoạn một.", "Đoạn hai."]);
    assert_eq!(a.source.as_deref(), Some("Dân trí"));
    assert_eq!(a.category.as_deref(), Some("business"));
    assert_eq!(a.url.as_deref(), Some("https://x/1"));
    assert_eq!(a.lead, None);

    let b = &articles[1];
    assert_eq!(
        b.date.as_deref(),
        Some("2025-08-07"),
        "date part of RFC 3339"
    );
    assert_eq!(b.lead.as_deref(), Some("Tóm tắt."));
    assert!(b.body.is_empty());

    let c = &articles[2];
    assert_eq!(c.id, "tin-3", "no id: file stem and line");
    assert_eq!(c.body, ["Một.", "Hai."]);
    assert_eq!(c.lead.as_deref(), Some("Sa pô."));
    assert_eq!(c.date.as_deref(), Some("2021-08-24"));
    assert_eq!(c.source.as_deref(), Some("PNTĐ"));
    assert_eq!(c.category.as_deref(), Some("Xã hội"));
    assert_eq!(c.url.as_deref(), Some("https://x/3"));
    assert_eq!(c.author.as_deref(), Some("HÀ LINH"));

    let d = &articles[3];
    assert_eq!(d.title, "Tiêu đề", "composed to NFC");
    assert_eq!(d.body, ["Câu một tiếp.", "Câu hai."]);
    assert_eq!(d.author.as_deref(), Some("An"));
    assert_eq!(d.source.as_deref(), Some("S"));

    let lines: Vec<Option<usize>> = report.accepted.iter().map(|a| a.line).collect();
    assert_eq!(lines, [Some(1), Some(2), Some(3), Some(4)]);
}

#[test]
fn a_bad_line_between_good_ones_is_reported_by_line() {
    let text = [
        r#"{"id": "1", "title": "Một", "body": "Thân một."}"#,
        r#"{"id": "2", "title": "Hai", "body": "Thân hai."#, // cut short
        "",
        r#"{"id": "3", "title": "Ba", "body": "Thân ba."}"#,
        r#"[1, 2, 3]"#,
        r#"{"id": "5", "body": "Không có tiêu đề."}"#,
        r#"{"id": "6", "title": "Sáu", "summary": ""}"#,
        r#"{"id": "3", "title": "Bảy", "body": "Trùng id."}"#,
        r#"{"id": "8", "title": "Ba", "body": "Thân ba."}"#,
        r#"{"id": "9", "title": {"vi": "Chín"}, "body": "Sai kiểu."}"#,
        r#"{"id": "10", "title": "Mười", "body": "Thân mười."}"#,
    ]
    .join("\n");
    let mut bytes = text.into_bytes();
    // Line 12: not UTF-8.
    bytes.extend_from_slice(b"\n{\"title\": \"M\xe9\", \"body\": \"x\"}\n");
    let (articles, report) = ingest(&[file("kho/hon_hop.jsonl", bytes)]);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["1", "3", "10"]);

    let got: Vec<(Option<usize>, String)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.to_string()))
        .collect();
    let reason = |line: usize| {
        got.iter()
            .find(|(l, _)| *l == Some(line))
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("line {line} not in the report: {got:?}"))
    };
    assert!(reason(2).starts_with("unreadable JSON: EOF while parsing a string at line 2 column"));
    assert_eq!(
        reason(5),
        "unreadable JSON: expected a JSON object, found an array"
    );
    assert_eq!(reason(6), "no title");
    assert_eq!(reason(7), "no body: neither a lead nor a paragraph");
    assert_eq!(reason(8), "duplicate of article 3 (same id)");
    assert_eq!(reason(9), "duplicate of article 3 (same text)");
    assert_eq!(
        reason(10),
        "field `title`: expected a string, found an object"
    );
    assert_eq!(
        reason(12),
        "not UTF-8 (invalid byte at offset 12), nor TCVN3/VNI text"
    );
    // Blank line 3 is not a record; every other line is accounted for exactly once.
    assert_eq!(report.accepted.len() + report.rejected.len(), 11);
    assert!(report
        .rejected
        .iter()
        .all(|r| r.path == "kho/hon_hop.jsonl"));
}

#[test]
fn records_too_large_are_refused_alone() {
    let big = format!(
        r#"{{"title": "Lớn", "body": "{}"}}"#,
        "chữ ".repeat(MAX_ARTICLE_BYTES / 4)
    );
    let text = format!("{big}\n{}\n", r#"{"title": "Nhỏ", "body": "Vừa."}"#);
    let (articles, report) = ingest(&[file("kho/lon.jsonl", text)]);
    assert_eq!(articles.len(), 1);
    assert_eq!(report.rejected[0].line, Some(1));
    assert_eq!(
        report.rejected[0].reason,
        Reason::TooLarge {
            bytes: big.len(),
            limit: MAX_ARTICLE_BYTES
        }
    );
}

#[test]
fn json_arrays_report_records_by_index() {
    let text = r#"[
        {"id": "a", "title": "Một", "body": ["Thân một."]},
        {"id": "b", "title": "Hai"},
        {"title": "Ba", "description": "Mô tả ba."}
    ]"#;
    let (articles, report) = ingest(&[file("kho/mang.json", text)]);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "mang-3"]);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].index, Some(1));
    assert_eq!(
        report.rejected[0].line,
        Some(3),
        "the line the element starts on"
    );
    assert_eq!(report.rejected[0].reason, Reason::NoBody);
    assert_eq!(
        report.rejected[0].to_string(),
        "kho/mang.json:3 [index 1]: no body: neither a lead nor a paragraph"
    );
}

#[test]
fn json_lines_named_json_are_read_line_by_line() {
    let text = "{\"id\": \"a\", \"title\": \"Một\", \"body\": \"B.\"}\n{\"id\": \"b\"}\n";
    let (articles, report) = ingest(&[file("kho/dong.json", text)]);
    assert_eq!(articles.len(), 1);
    assert_eq!(report.rejected[0].line, Some(2));
    assert_eq!(report.rejected[0].reason, Reason::NoTitle);
    // An array followed by junk is read as an array, not as a stream of lines: its element,
    // then the junk, each rejected where it is.
    let (_, report) = ingest(&[file("kho/mang_hong.json", "[{\"title\": \"x\"}] [")]);
    let got: Vec<(Option<usize>, String)> = report
        .rejected
        .iter()
        .map(|r| (r.index, r.reason.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some(0),
                "no body: neither a lead nor a paragraph".to_string()
            ),
            (
                None,
                "unreadable JSON: trailing characters at line 1 column 18; ignored".to_string()
            )
        ]
    );
}

#[test]
fn unreadable_json_files_carry_serde_json_message() {
    let (articles, report) = ingest(&[file("kho/hong.json", "[{\"title\": \"x\",\n oops]")]);
    assert!(articles.is_empty());
    let message = report.rejected[0].reason.to_string();
    assert!(
        message.starts_with("unreadable JSON: key must be a string at line 2 column 2"),
        "{message}"
    );
    let (_, report) = ingest(&[file("kho/so.json", "42")]);
    assert_eq!(
        report.rejected[0].reason.to_string(),
        "unreadable JSON: expected an array of objects or one object, found a number"
    );
}

#[test]
fn empty_and_binary_json_files() {
    let (_, report) = ingest(&[
        file("kho/rong.jsonl", "\n\n"),
        file("kho/nhi_phan.jsonl", b"{\"a\":\0}".to_vec()),
    ]);
    let reasons: Vec<&Reason> = report.rejected.iter().map(|r| &r.reason).collect();
    assert_eq!(reasons, [&Reason::Empty, &Reason::Binary]);
}

#[test]
fn legacy_encoded_fields_are_converted_and_noted() {
    let line = r#"{"id": "x", "title": "Céng hoµ x· héi", "body": "§éc lËp - Tù do - H¹nh phóc"}"#;
    let (articles, report) = ingest(&[file("kho/cu.jsonl", line)]);
    assert_eq!(articles[0].title, "Cộng hoà xã hội");
    assert_eq!(articles[0].body, ["Độc lập - Tự do - Hạnh phúc"]);
    assert_eq!(
        report.accepted[0].notes,
        [
            "field `title` converted from TCVN3",
            "field `body` converted from TCVN3"
        ]
    );
}

#[test]
fn lines_in_tcvn3_bytes_are_converted_and_noted() {
    // `{"title": "Hµ Néi", "body": "B¸o."}` saved in TCVN3's own bytes.
    let line = b"{\"title\": \"H\xb5 N\xe9i\", \"body\": \"B\xb8o.\"}".to_vec();
    let (articles, report) = ingest(&[file("kho/tcvn3.jsonl", line)]);
    assert_eq!(report.rejected, []);
    assert_eq!(articles[0].title, "Hà Nội");
    assert_eq!(articles[0].body, ["Báo."]);
    assert_eq!(report.accepted[0].notes, ["converted from TCVN3"]);
}

#[test]
fn dates_that_are_not_understood_are_left_empty_and_noted() {
    let line = r#"{"id": "x", "title": "T", "body": "B", "date": "hôm qua"}"#;
    let (articles, report) = ingest(&[file("kho/ngay.jsonl", line)]);
    assert_eq!(articles[0].date, None);
    assert_eq!(
        report.accepted[0].notes,
        [r#"date "hôm qua" not understood, left empty"#]
    );
}

#[cfg(feature = "gz")]
#[test]
fn gzipped_json_lines() {
    use std::io::Write;
    let text = "{\"id\": \"g1\", \"title\": \"Nén\", \"body\": \"Một.\"}\n{bad\n";
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    let gz = encoder.finish().unwrap();
    let (articles, report) = ingest(&[
        file("kho/nen.jsonl.gz", gz.clone()),
        file("kho/hong.jsonl.gz", gz[..gz.len() / 2].to_vec()),
        file("kho/khong_phai.jsonl.gz", "không phải gzip"),
    ]);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].id, "g1");
    let got: Vec<(&str, Option<usize>)> = report
        .rejected
        .iter()
        .map(|r| (r.path.as_str(), r.line))
        .collect();
    assert_eq!(
        got,
        [
            ("kho/nen.jsonl.gz", Some(2)),
            ("kho/hong.jsonl.gz", None),
            ("kho/khong_phai.jsonl.gz", None)
        ]
    );
    assert!(matches!(
        report.rejected[1].reason,
        Reason::UnreadableGzip { .. }
    ));
    assert!(matches!(
        report.rejected[2].reason,
        Reason::UnreadableGzip { .. }
    ));
}

#[test]
fn the_report_serializes_with_counts_first() {
    let (_, report) = ingest(&[file(
        "kho/a.jsonl",
        "{\"id\": \"1\", \"title\": \"T\", \"body\": \"B\"}\n{\"id\": \"2\"}\n",
    )]);
    let json = report.to_json();
    assert!(
        json.starts_with(r#"{"accepted_count":1,"rejected_count":1,"#),
        "{json}"
    );
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back["rejected"][0]["reason"], "no_title");
    assert_eq!(back["rejected"][0]["line"], 2);
    assert_eq!(back["accepted"][0]["id"], "1");
}
