//! Nothing lost: every way an input can be turned away shows up in the report with its
//! path, line and reason, and the inputs around it still get through.

use docbao_engine::ingest::{
    ingest, Ingester, Reason, Rejection, Sameness, SourceFile, MAX_ARTICLE_BYTES, MAX_FILE_BYTES,
};

const GOOD_PAGE: &str = "Tiêu đề một bài báo\n\nLời dẫn của bài báo.\n\nĐoạn thân bài thứ nhất.\n";

fn file(path: &str, bytes: impl Into<Vec<u8>>) -> SourceFile {
    SourceFile {
        path: path.into(),
        bytes: bytes.into(),
    }
}

/// Ingests `bad` between two good pages and returns its rejection.
fn rejection_of(bad: SourceFile) -> Rejection {
    let files = [
        file("a/truoc.txt", GOOD_PAGE),
        bad,
        file("a/sau.txt", GOOD_PAGE.replace("thứ nhất", "thứ hai")),
    ];
    let (articles, report) = ingest(&files);
    assert_eq!(articles.len(), 2, "the good pages around it are kept");
    assert_eq!(report.accepted.len(), 2);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    report.rejected.into_iter().next().unwrap()
}

#[test]
fn empty_files() {
    let r = rejection_of(file("x/trong.txt", "  \n\n\t "));
    assert_eq!((r.path.as_str(), r.reason), ("x/trong.txt", Reason::Empty));
}

#[test]
fn text_that_is_neither_utf8_nor_legacy_vietnamese() {
    let r = rejection_of(file(
        "x/latin1.txt",
        b"Caf\xe9 au lait\n\nUne phrase.".to_vec(),
    ));
    assert_eq!(r.reason, Reason::NotUtf8 { byte_offset: 3 });
    assert_eq!(
        r.reason.to_string(),
        "not UTF-8 (invalid byte at offset 3), nor TCVN3/VNI text"
    );
}

#[test]
fn binary_files() {
    let r = rejection_of(file("x/anh.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()));
    assert_eq!(r.reason, Reason::Binary);
}

#[test]
fn pages_without_a_title() {
    // The page opens with the tagged lead: its title was lost in scraping.
    let r = rejection_of(file("x/mat_tieu_de.txt", "(LĐTĐ) Lời dẫn.\n\nĐoạn một."));
    assert_eq!(r.reason, Reason::NoTitle);
    let r = rejection_of(file("x/chi_chrome.txt", "Tin liên quan\n\nBài khác"));
    assert_eq!(r.reason, Reason::NoTitle);
}

#[test]
fn pages_without_a_body() {
    let r = rejection_of(file("x/chi_tieu_de.txt", "Chỉ có tiêu đề\n\nChia sẻ\n"));
    assert_eq!(r.reason, Reason::NoBody);
}

#[test]
fn duplicate_text_under_another_name() {
    // Same title, lead and body; only chrome and spacing differ.
    let copy = format!("Chia sẻ\n{}\nXem thêm\n", GOOD_PAGE.replace(' ', "  "));
    let r = rejection_of(file("b/ban_sao.txt", copy));
    assert_eq!(r.path, "b/ban_sao.txt");
    assert_eq!(
        r.reason,
        Reason::Duplicate {
            of: "truoc".into(),
            same: Sameness::Text
        }
    );
}

#[test]
fn duplicate_ids() {
    // Another folder, same file stem: the id repeats.
    let other_text = GOOD_PAGE.replace("thứ nhất", "khác hẳn");
    let r = rejection_of(file("b/truoc.txt", other_text));
    assert_eq!(
        r.reason,
        Reason::Duplicate {
            of: "truoc".into(),
            same: Sameness::Id
        }
    );
}

#[test]
fn pages_too_large() {
    let huge = format!(
        "Tiêu đề\n\n{}",
        "Một câu rất dài. ".repeat(MAX_ARTICLE_BYTES / 10)
    );
    let r = rejection_of(file("x/lon.txt", huge.clone()));
    assert_eq!(
        r.reason,
        Reason::TooLarge {
            bytes: huge.len(),
            limit: MAX_ARTICLE_BYTES
        }
    );
    assert!(r
        .reason
        .to_string()
        .contains(&format!("the limit is {MAX_ARTICLE_BYTES}")));
}

#[test]
fn files_the_caller_could_not_read_or_refused_by_size() {
    let mut ingester = Ingester::new();
    ingester.add_file("a/mot.txt", GOOD_PAGE.as_bytes());
    ingester.reject_file(
        "a/khoa.txt",
        Reason::Unreadable {
            message: "Permission denied (os error 13)".into(),
        },
    );
    ingester.reject_file(
        "a/khong_lo.jsonl",
        Reason::TooLarge {
            bytes: MAX_FILE_BYTES + 1,
            limit: MAX_FILE_BYTES,
        },
    );
    let (articles, report) = ingester.finish();
    assert_eq!(articles.len(), 1);
    let paths: Vec<&str> = report.rejected.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["a/khoa.txt", "a/khong_lo.jsonl"]);
    assert_eq!(
        report.rejected[0].to_string(),
        "a/khoa.txt: cannot be read: Permission denied (os error 13)"
    );
}

#[test]
fn unsupported_file_types() {
    for name in ["x/README.md", "x/anh.png", "x/bai.txt.gz", "x/khong_duoi"] {
        let r = rejection_of(file(name, "nội dung"));
        assert_eq!(
            (r.path.as_str(), r.reason.clone()),
            (name, Reason::UnsupportedType)
        );
        assert!(r.reason.to_string().contains(".txt"));
    }
}

/// Without the `jsonl` feature (the wasm app's build), JSON is an unsupported type, said so.
#[cfg(not(feature = "jsonl"))]
#[test]
fn json_needs_the_jsonl_feature() {
    let r = rejection_of(file("x/bai.jsonl", "{\"title\": \"T\", \"body\": \"B\"}\n"));
    assert_eq!(r.reason, Reason::UnsupportedType);
    assert!(r.reason.to_string().contains("`jsonl` feature"));
}

#[test]
fn the_report_for_people_names_file_and_reason() {
    let (_, report) = ingest(&[file("a/mot.txt", GOOD_PAGE), file("a/rong.txt", "")]);
    let text = report.describe();
    assert!(text.contains("rejected a/rong.txt: empty\n"), "{text}");
    assert!(text.ends_with("1 accepted, 1 rejected\n"), "{text}");
}
