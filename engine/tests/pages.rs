//! Scraped pages, field by field: the two seeds (golden) and synthetic pages written for
//! these tests in `tests/fixtures/` (invented text in the same two templates, with other
//! lengths, captions, bylines, teasers and encodings), so the parser is held to the format
//! and not to two files.

use std::path::Path;

use docbao_engine::ingest::{ingest, IngestReport, SourceFile};
use docbao_engine::{Article, Caption, Teaser};

fn read(relative: &str) -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    SourceFile {
        path: relative.to_string(),
        bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

fn page(relative: &str) -> (Article, IngestReport) {
    let (mut articles, report) = ingest(&[read(relative)]);
    assert_eq!(report.rejected, [], "{relative} was rejected");
    assert_eq!(articles.len(), 1);
    (articles.remove(0), report)
}

fn caption(text: &str, credit: Option<&str>) -> Caption {
    Caption {
        text: text.into(),
        credit: credit.map(Into::into),
    }
}

const CHROME: &[&str] = &[
    "Chia sẻ",
    "undefined",
    "Xem thêm",
    "Phiên bản di động",
    "Tin cùng chuyên mục",
    "Có thể bạn quan tâm",
    "Nên xem",
    "Tin khác",
    "Tin liên quan",
];

/// What every parsed page must satisfy, whatever its content.
fn assert_clean(a: &Article) {
    let lead = a.lead.as_deref().unwrap_or("");
    let mut texts: Vec<&str> = vec![a.title.as_str(), lead];
    texts.extend(a.body.iter().map(String::as_str));
    texts.extend(a.captions.iter().map(|c| c.text.as_str()));
    texts.extend(a.related.iter().map(|t| t.title.as_str()));
    for t in &texts {
        assert!(!CHROME.contains(t), "{}: chrome kept: {t:?}", a.id);
        assert!(!t.contains('\u{a0}') && !t.contains('\u{200b}') && !t.contains('\r'));
        assert!(!t.contains('Ð'), "{}: eth not repaired in {t:?}", a.id);
        assert_eq!(t.trim(), *t);
    }
    assert!(
        !lead.starts_with('('),
        "{}: outlet tag left in the lead",
        a.id
    );
    for teaser in &a.related {
        assert!(!a.body.contains(&teaser.title), "{}: teaser in body", a.id);
        if let Some(summary) = &teaser.summary {
            assert!(!summary.starts_with('('), "{}: tag left in a teaser", a.id);
        }
    }
    for c in &a.captions {
        assert!(!a.body.contains(&c.text), "{}: caption also in body", a.id);
        assert!(!c.text.contains("(Ảnh"), "{}: credit left in caption", a.id);
    }
    if let Some(author) = &a.author {
        assert!(!a.body.contains(author));
    }
}

#[test]
fn seed_thanh_tri_field_by_field() {
    let (a, _) = page("../seeds/000_2bd3c5a4fc348b9d.txt");
    assert_clean(&a);
    assert_eq!(a.id, "000_2bd3c5a4fc348b9d");
    assert_eq!(
        a.title,
        "Huyện Thanh Trì phát động phong trào toàn dân thi đua quyết tâm đẩy lùi và chiến thắng Covid-19"
    );
    // No tag on this lead: the outlet comes from the teasers' tags (same site).
    assert_eq!(a.source.as_deref(), Some("Phụ nữ Thủ đô"));
    assert_eq!(a.date.as_deref(), Some("2021-08-24"));
    let lead = a.lead.as_deref().unwrap();
    assert!(
        lead.starts_with("Sáng 24/8, tại buổi kiểm tra tình hình"),
        "{lead}"
    );
    assert!(
        lead.ends_with("tinh thần đoàn kết và sức mạnh quân - dân..."),
        "{lead}"
    );
    assert_eq!(a.body.len(), 12);
    assert!(a.body[0].starts_with("Báo cáo tại cuộc làm việc, Chủ tịch UBND huyện Thanh Trì"));
    assert!(a.body[0].ends_with("khả năng cách ly cho 3.800 người."));
    assert!(a.body[11].starts_with("Bí thư Thành ủy tin tưởng, với sự đồng sức"));
    assert!(a.body[11].ends_with("Đại hội đại biểu toàn quốc lần thứ XIII của Đảng."));
    // The page glues this caption to itself without a space; it has no credit.
    assert_eq!(
        a.captions,
        [caption(
            "Bí thư Thành ủy Hà Nội Đinh Tiến Dũng, Phó Bí thư Thường trực Thành ủy Nguyễn Thị Tuyến kiểm tra công tác phòng, chống dịch Covid-19 tại Sở Chỉ huy tiền phương vùng cách ly thôn Thọ Am, xã Liên Ninh (huyện Thanh Trì).",
            None
        )]
    );
    assert_eq!(a.author.as_deref(), Some("HÀ LINH"));
    assert_eq!(a.related.len(), 4);
    assert_eq!(
        a.related[0].title,
        "Kiều bào Pháp kỳ vọng Đại hội XIV của Đảng tạo đột phá để văn hóa trở thành động lực phát triển"
    );
    let summary = a.related[0].summary.as_deref().unwrap();
    assert!(summary.starts_with("Bà Diane Nguyễn Đức, Chủ tịch Hội Tôn vinh Văn hóa Việt"));
    assert_eq!(
        a.related[3].title,
        "Các nữ đại biểu chia sẻ bên hành lang niềm tin kỳ vọng vào Đại hội Đảng XIV"
    );
}

#[test]
fn seed_dinh_tien_dung_field_by_field() {
    let (a, _) = page("../seeds/003_ee4229f4c9863cbc.txt");
    assert_clean(&a);
    assert_eq!(a.id, "003_ee4229f4c9863cbc");
    assert_eq!(
        a.title,
        "Bí thư Thành ủy Hà Nội Đinh Tiến Dũng chỉ đạo 6 nhóm giải pháp phòng, chống Covid-19"
    );
    assert_eq!(a.source.as_deref(), Some("Lao động Thủ đô"));
    assert_eq!(a.date.as_deref(), Some("2022-02-24"));
    let lead = a.lead.as_deref().unwrap();
    assert!(
        lead.starts_with("Trước những diễn biến mới của dịch bệnh Covid-19"),
        "{lead}"
    );
    assert!(
        lead.ends_with("kiểm soát sự lây lan của dịch bệnh."),
        "{lead}"
    );
    // The line of glued linked titles under the lead is chrome, not body.
    assert!(!a
        .body
        .iter()
        .any(|p| p.starts_with("Hội nghị lần thứ 7 BCH")));
    assert_eq!(a.body.len(), 13);
    assert!(a.body[0].starts_with("Theo Bí thư Thành ủy Đinh Tiến Dũng, hiện nay"));
    assert!(a.body[12].starts_with("Trên cơ sở Nghị quyết và Kết luận của hội nghị"));
    assert!(a.body[12].ends_with("trở lại trạng thái bình thường mới."));
    assert_eq!(
        a.captions,
        [
            caption(
                "Bí thư Thành ủy Hà Nội Đinh Tiến Dũng phát biểu kết luận hội nghị.",
                Some("Lương Toàn")
            ),
            caption("Quang cảnh hội nghị.", Some("Lương Toàn")),
        ]
    );
    assert_eq!(a.author.as_deref(), Some("Hoàng Phúc"));
    // 17 teasers on the page, one repeated in two blocks: kept once.
    assert_eq!(a.related.len(), 16);
    assert_eq!(
        a.related[0].title,
        "Gần 1.000 người hưởng ứng hiến máu Ngày Chủ nhật đỏ cùng Amway Việt Nam"
    );
    assert!(a.related[0]
        .summary
        .as_deref()
        .unwrap()
        .starts_with("Amway Việt Nam tiếp tục phối hợp với báo Tiền Phong"));
    // The page writes this title once with two spaces, once with one.
    assert!(a
        .related
        .iter()
        .any(|t| t.title == "Thanh Oai: Khởi công dự án chào mừng 70 năm Ngày Giải phóng Thủ đô"));
}

#[test]
fn fixture_pntd_glued_caption_and_nbsp_tag() {
    let (a, _) = page("tests/fixtures/pntd_cho_phien.txt");
    assert_clean(&a);
    assert_eq!(a.source.as_deref(), Some("Phụ nữ Thủ đô"));
    assert_eq!(a.date.as_deref(), Some("2023-11-03"));
    assert_eq!(
        a.lead.as_deref(),
        Some("Chiều 3/11, Hội Liên hiệp Phụ nữ phường Gia Thụy tổ chức phiên chợ nông sản sạch với hơn 30 gian hàng của các hợp tác xã ngoại thành.")
    );
    assert_eq!(a.body.len(), 3);
    assert!(
        a.body[0].contains("Các gian hàng bày bán"),
        "zero-width space removed"
    );
    assert_eq!(
        a.captions,
        [caption(
            "Chị em hội viên giới thiệu sản phẩm rau hữu cơ tới người dân.",
            None
        )]
    );
    assert_eq!(a.author.as_deref(), Some("MINH ANH"));
    assert_eq!(
        a.related,
        [
            Teaser {
                title: "Nữ doanh nhân trẻ khởi nghiệp từ vườn dâu tây".into(),
                summary: Some("Từ mảnh vườn nhỏ của gia đình, chị Hạnh đã xây dựng thương hiệu dâu tây sạch được nhiều cửa hàng đặt mua.".into()),
            },
            Teaser {
                title: "Lớp học nấu ăn miễn phí cho phụ nữ khó khăn".into(),
                summary: Some("Lớp học kéo dài ba tháng, giúp học viên có nghề để tự tìm việc làm.".into()),
            },
        ]
    );
}

#[test]
fn fixture_ldtd_crlf_bom_credits_two_authors_and_repeated_teasers() {
    let (a, _) = page("tests/fixtures/ldtd_cau_moi.txt");
    assert_clean(&a);
    assert_eq!(
        a.title,
        "Khởi công cầu vượt sông Nhuệ nối hai quận phía Tây Thủ đô"
    );
    assert_eq!(a.source.as_deref(), Some("Lao động Thủ đô"));
    // `Tối 28/12` and `từ ngày 2/1/2024`: the year is across the boundary.
    assert_eq!(a.date.as_deref(), Some("2023-12-28"));
    assert_eq!(a.body.len(), 4);
    assert!(a.body[0].starts_with("Theo Ban Quản lý dự án"));
    assert!(a.body[2].starts_with("Ông Đỗ Văn Khải"), "Ð read as Đ");
    assert_eq!(
        a.body[3],
        "Dự án nằm trong kế hoạch đầu tư công trung hạn của thành phố."
    );
    assert_eq!(
        a.captions,
        [
            caption(
                "Lãnh đạo thành phố thực hiện nghi thức khởi công.",
                Some("Thu Hà")
            ),
            caption(
                "Phối cảnh cây cầu sau khi hoàn thành.",
                Some("Ban Quản lý dự án")
            ),
        ]
    );
    assert_eq!(a.author.as_deref(), Some("Thanh Xuân - Quốc Bảo"));
    let titles: Vec<&str> = a.related.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Mở rộng tuyến xe buýt điện đến các khu công nghiệp",
            "Công nhân được hỗ trợ tiền thuê nhà",
            "Đèn chiếu sáng mới trên phố cổ",
        ]
    );
    assert_eq!(a.related[2].summary, None, "a teaser with no summary");
}

#[test]
fn fixture_without_year_tag_byline_or_teasers() {
    let (a, _) = page("tests/fixtures/khong_nam.txt");
    assert_clean(&a);
    assert_eq!(a.date, None, "`Sáng 5/6` and no year anywhere: no date");
    assert_eq!(a.source, None, "no tag anywhere: outlet unknown");
    assert_eq!(
        a.author, None,
        "the last paragraph is a sentence, not a byline"
    );
    assert_eq!(a.related, []);
    assert_eq!(a.captions, []);
    assert_eq!(a.body.len(), 2);
    assert!(a
        .lead
        .as_deref()
        .unwrap()
        .starts_with("Sáng 5/6, thư viện quận"));
}

#[test]
fn fixture_chrome_before_title_caption_before_lead_untagged_teaser() {
    let (a, _) = page("tests/fixtures/tin_ngan.txt");
    assert_clean(&a);
    assert_eq!(
        a.title,
        "Hội thi nấu ăn ngon của công nhân khu công nghiệp Thăng Long"
    );
    assert_eq!(a.date.as_deref(), Some("2019-05-12"), "`Hôm nay (12/5)`");
    assert!(a
        .lead
        .as_deref()
        .unwrap()
        .starts_with("Hôm nay (12/5), Công đoàn"));
    assert_eq!(
        a.captions,
        [caption(
            "Các đội thi trình bày món ăn trước ban giám khảo.",
            Some("Hồng Nhung")
        )]
    );
    assert_eq!(a.body.len(), 1);
    assert_eq!(a.author.as_deref(), Some("Nhóm PV"));
    assert_eq!(
        a.related,
        [
            Teaser {
                title: "Sửa chữa miễn phí xe máy cho công nhân".into(),
                summary: Some(
                    "Nhiều doanh nghiệp đã đăng ký tham gia chương trình sửa xe miễn phí cuối tuần."
                        .into()
                ),
            },
            Teaser {
                title: "Khám sức khỏe định kỳ cho lao động nữ".into(),
                summary: None,
            },
        ]
    );
}

#[test]
fn fixture_in_tcvn3_bytes_is_converted_and_noted() {
    let (a, report) = page("tests/fixtures/tcvn3_trung_thu.txt");
    assert_clean(&a);
    assert_eq!(
        a.title,
        "Thanh niên tình nguyện tổ chức đêm hội trăng rằm cho trẻ em"
    );
    assert_eq!(a.date.as_deref(), Some("2023-09-15"));
    assert_eq!(a.author.as_deref(), Some("Lê Hưng"));
    assert_eq!(a.body.len(), 2);
    assert_eq!(report.accepted[0].notes, ["converted from TCVN3"]);
}

#[test]
fn every_fixture_and_seed_is_accepted_together_with_unique_ids() {
    let mut files = vec![
        read("../seeds/000_2bd3c5a4fc348b9d.txt"),
        read("../seeds/003_ee4229f4c9863cbc.txt"),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        files.push(read(&format!("tests/fixtures/{name}")));
    }
    let (articles, report) = ingest(&files);
    assert_eq!(report.rejected, []);
    assert_eq!(articles.len(), files.len());
    for a in &articles {
        assert_clean(a);
    }
}
