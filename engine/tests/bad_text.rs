//! Hostile text at ingest: bytes that are not what they claim, invisible characters, ids
//! the reader cannot open. Every fixture is generated here; none is committed.
//! Each input ends rejected with a reason, or accepted with what was lost or guessed as a
//! warning (which `DOCBAO_STRICT=1` and `docbao check` fail on), or a note for a repair
//! that lost nothing.

use docbao_engine::ingest::{ingest, is_usable_id, IngestReport, Reason, SourceFile};
use docbao_engine::Article;

fn file(path: &str, bytes: impl Into<Vec<u8>>) -> SourceFile {
    SourceFile {
        path: path.into(),
        bytes: bytes.into(),
    }
}

fn one(path: &str, bytes: impl Into<Vec<u8>>) -> (Vec<Article>, IngestReport) {
    ingest(&[file(path, bytes)])
}

/// A fixed-seed generator (SplitMix64): the same bytes on every run and machine.
fn random_bytes(seed: u64, len: usize, keep: impl Fn(u8) -> bool) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend(
            (z ^ (z >> 31))
                .to_le_bytes()
                .into_iter()
                .filter(|&b| keep(b)),
        );
    }
    out.truncate(len);
    out
}

const PAGE: &str = "Hà Nội khai mạc lễ hội mùa thu\n\n\
    Lễ hội diễn ra tại phố cổ trong ba ngày cuối tuần.\n\n\
    Hàng nghìn người dân đã đến xem múa lân và thả đèn trên hồ.\n";

#[test]
fn random_bytes_are_rejected_not_converted_from_tcvn3() {
    for seed in 0..4 {
        // Any byte but NUL: one in ten is a control, so this is binary data.
        let (articles, report) = one("x/nhieu.txt", random_bytes(seed, 100_000, |b| b != 0));
        assert_eq!(articles.len(), 0, "seed {seed}: {:?}", report.accepted);
        assert_eq!(report.rejected[0].reason, Reason::Binary, "seed {seed}");
        // No controls at all: letters and signs of Latin-1, which TCVN3 maps onto marked
        // letters, but whose conversion gives no Vietnamese words.
        let bytes = random_bytes(seed, 100_000, |b| b >= 0x20 && b != 0x7f);
        let (articles, report) = one("x/latin1.txt", bytes);
        assert_eq!(articles.len(), 0, "seed {seed}: {:?}", report.accepted);
        assert!(
            matches!(report.rejected[0].reason, Reason::NotUtf8 { .. }),
            "seed {seed}: {}",
            report.rejected[0]
        );
        assert!(report.has_problems());
    }
}

#[cfg(feature = "jsonl")]
#[test]
fn random_bytes_in_a_json_line_are_rejected_not_converted() {
    // Printable high bytes inside JSON strings: the line is JSON, but its text is not.
    let noise = |seed| random_bytes(seed, 400, |b| b >= 0xa0);
    let mut line = b"{\"title\": \"".to_vec();
    line.extend(noise(7));
    line.extend(b"\", \"body\": \"");
    line.extend(noise(8));
    line.extend(b"\"}\n{\"title\": \"Tin \xc4\x91\xc3\xbang\", \"body\": \"T\xe1\xbb\x91t.\"}\n");
    let (articles, report) = one("k/nhieu.jsonl", line);
    assert_eq!(
        articles.len(),
        1,
        "only the good line: {:?}",
        report.accepted
    );
    assert_eq!(articles[0].title, "Tin đúng");
    assert_eq!(report.rejected[0].line, Some(1));
    assert!(matches!(report.rejected[0].reason, Reason::NotUtf8 { .. }));
}

#[test]
fn one_stray_byte_in_a_utf8_page_is_replaced_with_a_warning() {
    let at = PAGE.find("ba ngày").unwrap();
    let mut bytes = PAGE.as_bytes().to_vec();
    bytes.insert(at, 0xff);
    let (articles, report) = one("x/mot_byte.txt", bytes);
    assert_eq!(report.rejected, []);
    let a = &articles[0];
    assert_eq!(a.title, "Hà Nội khai mạc lễ hội mùa thu", "no mojibake");
    assert!(a.lead.as_deref().unwrap().contains("trong \u{fffd}ba ngày"));
    let accepted = &report.accepted[0];
    assert_eq!(
        accepted.notes,
        Vec::<String>::new(),
        "not converted from TCVN3"
    );
    assert_eq!(
        accepted.warnings,
        [format!(
            "not valid UTF-8: 1 invalid byte sequence replaced with U+FFFD, at byte offset {at}"
        )]
    );
    assert!(report.has_problems());
    assert!(report
        .describe()
        .contains("warning x/mot_byte.txt (mot_byte): not valid UTF-8"));
}

#[test]
fn many_bad_bytes_are_counted_and_the_first_few_named() {
    let text = PAGE.repeat(4);
    let mut bytes = Vec::new();
    let mut offsets = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        bytes.extend_from_slice(line.as_bytes());
        if i % 2 == 1 {
            offsets.push(bytes.len());
            bytes.push(0xc0);
        }
    }
    let (_, report) = one("x/nhieu_byte.txt", bytes);
    assert_eq!(report.rejected, []);
    let listed: Vec<String> = offsets[..5].iter().map(|o| o.to_string()).collect();
    assert_eq!(
        report.accepted[0].warnings,
        [format!(
            "not valid UTF-8: {} invalid byte sequences replaced with U+FFFD, at byte offsets {}, …",
            offsets.len(),
            listed.join(", ")
        )]
    );
}

#[test]
fn text_mostly_not_utf8_and_not_vietnamese_is_rejected() {
    // Windows-1252 French: every non-ASCII byte is invalid UTF-8, and TCVN3 reads nonsense.
    let (articles, report) = one(
        "x/phap.txt",
        b"Le ch\xe2teau \xe9t\xe9 r\xe9nov\xe9\n\nUne ann\xe9e apr\xe8s, la f\xeate.\n".to_vec(),
    );
    assert_eq!(articles.len(), 0);
    assert_eq!(
        report.rejected[0].reason,
        Reason::NotUtf8 { byte_offset: 5 }
    );
}

#[cfg(feature = "jsonl")]
#[test]
fn one_stray_byte_in_a_json_line_is_replaced_with_a_warning() {
    let mut line = r#"{"id": "a", "title": "Tin mới", "body": "Một câu."}"#
        .as_bytes()
        .to_vec();
    let at = line.len() - 3;
    line.insert(at, 0xfe);
    let (articles, report) = one("k/hong.jsonl", line);
    assert_eq!(report.rejected, []);
    assert_eq!(articles[0].body, ["Một câu\u{fffd}."]);
    assert_eq!(
        report.accepted[0].warnings,
        [format!(
            "not valid UTF-8: 1 invalid byte sequence replaced with U+FFFD, at byte offset {at}"
        )]
    );
}

#[cfg(feature = "jsonl")]
#[test]
fn latin1_signs_in_utf8_records_are_not_read_as_tcvn3() {
    // `ß` and `×` are TCVN3 codes; a German byline and a multiplication are not TCVN3.
    let line = r#"{"id": "d", "title": "Kích thước 3 × 4 m", "body": "Nội dung.", "author": "Jürgen Weiß"}"#;
    let (articles, report) = one("k/duc.jsonl", line);
    assert_eq!(articles[0].author.as_deref(), Some("Jürgen Weiß"));
    assert_eq!(articles[0].title, "Kích thước 3 × 4 m");
    assert!(
        report.accepted[0].notes.is_empty(),
        "{:?}",
        report.accepted[0]
    );
    assert!(!report.has_problems());
}

#[test]
fn controls_and_bidi_overrides_are_removed_with_a_warning() {
    // U+202E would show `gnol` reversed; BEL, ESC and C1 CSI are invisible or garbling.
    let page = "Tiêu \u{202e}đề\u{7} có ký tự lạ\u{1b}[31m\n\n\
        Lời\u{9b} dẫn của bài.\n\n\
        Đoạn\tthân bài\u{200f} với tab.\n\n\
        Đoạn thứ hai của bài, dài hơn một chút để trang giống một bài báo.\n";
    let (articles, report) = one("x/an.txt", page);
    let a = &articles[0];
    assert_eq!(a.title, "Tiêu đề có ký tự lạ[31m");
    assert_eq!(a.lead.as_deref(), Some("Lời dẫn của bài."));
    assert_eq!(a.body[0], "Đoạn thân bài với tab.", "a tab is a space");
    assert_eq!(
        report.accepted[0].warnings,
        [
            "removed 3 control characters (U+0007, U+001B, U+009B) and 2 bidirectional \
          formatting characters (U+200F, U+202E)"
        ]
    );
    assert!(report.has_problems());
}

#[cfg(feature = "jsonl")]
#[test]
fn controls_in_json_fields_are_removed_with_one_warning_per_article() {
    let line = r#"{"id": "c", "title": "Tin\u0000 \u202enóng", "body": ["Một\u0007.", "Hai\u0085ba."], "author": "An\u202c"}"#;
    let (articles, report) = one("k/an.jsonl", line);
    let a = &articles[0];
    assert_eq!(a.title, "Tin nóng");
    assert_eq!(a.body, ["Một.", "Hai\nba."], "NEL is a line break");
    assert_eq!(a.author.as_deref(), Some("An"));
    assert_eq!(
        report.accepted[0].warnings,
        [
            "removed 2 control characters (U+0000, U+0007) and 2 bidirectional formatting \
          characters (U+202C, U+202E)"
        ]
    );
}

#[test]
fn a_few_nuls_are_removed_but_mostly_nuls_is_binary() {
    let at = PAGE.find("xem").unwrap();
    let page = format!("{}\0\0{}", &PAGE[..at], &PAGE[at..]);
    let (articles, report) = one("x/nul.txt", page);
    assert_eq!(report.rejected, []);
    assert!(articles[0].body[0].contains("đến xem"));
    assert_eq!(
        report.accepted[0].warnings,
        ["removed 2 control characters (U+0000 ×2)"]
    );
    // The same page saved as UTF-16: every other byte is NUL.
    let utf16: Vec<u8> = PAGE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (articles, report) = one("x/utf16.txt", utf16);
    assert_eq!(articles.len(), 0);
    assert_eq!(report.rejected[0].reason, Reason::Binary);
}

#[cfg(feature = "jsonl")]
#[test]
fn ids_the_reader_cannot_open_are_replaced_by_unique_fallbacks() {
    let text = [
        r#"{"id": "kho-2", "title": "Một", "body": "Thân một."}"#,
        r#"{"id": "..", "title": "Hai", "body": "Thân hai."}"#,
        r#"{"id": ".", "title": "Ba", "body": "Thân ba."}"#,
        r#"{"id": " . ", "title": "Bốn", "body": "Thân bốn."}"#,
        r#"{"id": "tin/5?a#b%c d", "title": "Năm", "body": "Thân năm."}"#,
    ]
    .join("\n");
    let (articles, report) = one("k/kho.jsonl", text);
    assert_eq!(report.rejected, []);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["kho-2", "kho-2-2", "kho-3", "kho-4", "tin/5?a#b%c d"]);
    let warnings: Vec<&[String]> = report
        .accepted
        .iter()
        .map(|a| a.warnings.as_slice())
        .collect();
    assert_eq!(
        warnings[1],
        [r#"id ".." cannot name a page in the reader: replaced by "kho-2-2""#]
    );
    assert_eq!(
        warnings[2],
        [r#"id "." cannot name a page in the reader: replaced by "kho-3""#]
    );
    assert!(warnings[0].is_empty() && warnings[4].is_empty());
}

#[test]
fn a_page_whose_stem_is_no_id_is_named_after_its_file() {
    let (articles, report) = one("x/..txt", PAGE);
    assert_eq!(articles[0].id, "..txt");
    assert_eq!(
        report.accepted[0].warnings,
        [r#"id "" cannot name a page in the reader: replaced by "..txt""#]
    );
}

#[test]
fn usable_ids() {
    for id in ["a", "tin/5", "..a", "%2e", "Tin tức", "?"] {
        assert!(is_usable_id(id), "{id:?}");
    }
    for id in ["", " ", ".", "..", "a\u{7}", "a\u{202e}b", "\u{85}"] {
        assert!(!is_usable_id(id), "{id:?}");
    }
}

#[cfg(feature = "jsonl")]
#[test]
fn the_json_report_tells_warnings_from_notes() {
    let mut bytes = PAGE.as_bytes().to_vec();
    bytes.insert(3, 0xff);
    let (_, report) = ingest(&[
        file("x/a.txt", bytes),
        file("x/b.txt", PAGE.replace("ba ngày", "hai ngày")),
    ]);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["warning_count"], 1);
    assert_eq!(json["accepted"][0]["warnings"].as_array().unwrap().len(), 1);
    assert!(json["accepted"][0].get("notes").is_none());
    assert!(json["accepted"][1].get("warnings").is_none());
    assert_eq!(report.summary(), "2 accepted, 0 rejected, 1 warning");
}
