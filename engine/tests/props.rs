//! Fuzz-style properties, run by `cargo test` on a bounded number of cases: the ingest
//! never panics on any input, and accounts for every input exactly once.

use docbao_engine::ingest::{date, ingest, raw, SourceFile};
use docbao_engine::text;
use proptest::prelude::*;

/// Lines a scraped page is made of, plus noise: random mixes of them reach the parser's
/// corners (chrome, headings, tags, captions, credits, dates) far more often than random
/// strings would.
fn page_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Chia sẻ".to_string()),
        Just("undefined".to_string()),
        Just("Xem thêm".to_string()),
        Just("Tin cùng chuyên mục".to_string()),
        Just("Nên xem:".to_string()),
        Just("(PNTĐ) - Tóm tắt bài khác.".to_string()),
        Just("(LĐTĐ)".to_string()),
        Just("(".to_string()),
        Just("Quang cảnh. (Ảnh: Minh)".to_string()),
        Just("Ảnh: ".to_string()),
        Just("(Ảnh)".to_string()),
        Just("Ảnh một.Ảnh một.".to_string()),
        Just("HÀ LINH".to_string()),
        Just("Sáng 24/8, ngày 6-9-2021, năm 2022, 29/2, 31/4/2021, 1.416.000".to_string()),
        Just("Hôm nay (".to_string()),
        "[a-zA-Z0-9 .,:;()/\\-ạảãàáâậầấẩẫăắằặẳẵđĐêềếểễệ]{0,60}",
        any::<String>(),
    ]
}

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(page_line(), 0..40).prop_map(|lines| lines.join("\n"))
}

/// JSON Lines lines: good records, records with wrong types or missing fields, garbage.
#[cfg(feature = "jsonl")]
fn json_line() -> impl Strategy<Value = String> {
    let text = "[a-zA-Zàáạđ .\\n]{0,20}";
    prop_oneof![
        (text, text, text).prop_map(|(t, b, s)| {
            serde_json::json!({"title": t, "body": b, "summary": s}).to_string()
        }),
        (text, any::<i64>()).prop_map(|(t, id)| {
            serde_json::json!({"id": id, "title": t, "content": [t, t]}).to_string()
        }),
        (text, text)
            .prop_map(|(t, d)| serde_json::json!({"title": t, "lead": t, "date": d}).to_string()),
        text.prop_map(|t| serde_json::json!({"title": {"x": t}, "body": 5}).to_string()),
        Just("{".to_string()),
        Just("[]".to_string()),
        Just("null".to_string()),
        Just("   ".to_string()),
        Just("\u{a0}".to_string()),
        any::<String>().prop_map(|s| s.replace('\n', " ")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_page_parser_never_panics(text in page()) {
        if let Ok(article) = raw::parse("id", &text) {
            prop_assert!(!article.title.is_empty());
            prop_assert!(article.lead.is_some() || !article.body.is_empty());
            if let Some(d) = &article.date {
                prop_assert!(date::parse_given(d).as_ref() == Some(d), "{d} is a real date");
            }
        }
    }

    #[test]
    fn every_file_is_accounted_for_once(
        pages in prop::collection::vec(page(), 0..6),
        junk in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..4),
    ) {
        let mut files: Vec<SourceFile> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| SourceFile { path: format!("p/{i}.txt"), bytes: p.clone().into_bytes() })
            .collect();
        files.extend(junk.into_iter().enumerate().map(|(i, bytes)| SourceFile {
            path: format!("j/{i}.txt"),
            bytes,
        }));
        let (articles, report) = ingest(&files);
        prop_assert_eq!(report.accepted.len() + report.rejected.len(), files.len());
        prop_assert_eq!(articles.len(), report.accepted.len());
    }

    #[test]
    fn text_repair_and_dates_never_panic(s in any::<String>(), latin1 in prop::collection::vec(any::<u8>(), 0..100)) {
        let latin1: String = latin1.into_iter().map(char::from).collect();
        for input in [&s, &latin1] {
            let (repaired, _) = text::repair(input);
            prop_assert!(!repaired.contains('\r'));
            let _ = date::parse_given(input);
            let _ = date::infer([input.as_str()], [input.as_str()]);
        }
    }
}

#[cfg(feature = "jsonl")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_json_line_is_accounted_for_once(lines in prop::collection::vec(json_line(), 0..30)) {
        // Blank is JSON's whitespace only: a line of other spaces (NBSP) is a record that
        // fails, reported by its line, not skipped.
        let json_blank = |l: &str| l.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        let records = lines.iter().filter(|l| !json_blank(l)).count();
        let text = lines.join("\n");
        let (articles, report) = ingest(&[SourceFile { path: "k/x.jsonl".into(), bytes: text.into_bytes() }]);
        if records == 0 {
            // A file of blank lines is one empty file.
            prop_assert_eq!(report.rejected.len(), 1);
        } else {
            prop_assert_eq!(report.accepted.len() + report.rejected_count(), records);
        }
        prop_assert_eq!(articles.len(), report.accepted.len());
        for r in &report.rejected {
            prop_assert!(records == 0 || r.line.is_some(), "{}", r);
        }
    }
}
