//! The words of the interface, in Vietnamese (the default) and English.

use docbao_engine::display::Lang;

/// Every fixed string the UI shows, for one language.
#[derive(Debug, PartialEq)]
pub struct Texts {
    pub tagline: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub results_heading: &'static str,
    pub no_results: &'static str,
    /// Said when a query was cut to the engine's limits.
    pub query_trimmed: &'static str,
    pub sort_label: &'static str,
    pub sort_relevance: &'static str,
    pub sort_newest: &'static str,
    pub sort_oldest: &'static str,
    pub filters_heading: &'static str,
    pub facet_source: &'static str,
    pub facet_category: &'static str,
    pub facet_author: &'static str,
    pub facet_date: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub all_years: &'static str,
    pub clear_filters: &'static str,
    pub show_more: &'static str,
    pub show_less: &'static str,
    pub undated: &'static str,
    pub pagination: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub back_to_results: &'static str,
    pub back_to_search: &'static str,
    pub previous_article: &'static str,
    pub next_article: &'static str,
    pub copy_link: &'static str,
    /// Before the article's URL, its original on the outlet's site.
    pub original_article: &'static str,
    pub link_copied: &'static str,
    pub link_not_copied: &'static str,
    pub photo: &'static str,
    pub related_on_page: &'static str,
    pub more_like_this: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub article_not_found: &'static str,
    pub broken_corpus: &'static str,
    pub settings: &'static str,
    pub theme_label: &'static str,
    pub theme_system: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub font_label: &'static str,
    pub font_smaller: &'static str,
    pub font_larger: &'static str,
    pub switch_language: &'static str,
    pub colophon: &'static str,
    pub article_navigation: &'static str,
    /// A sharded archive: its root on its way at start-up.
    pub opening_archive: &'static str,
    /// Files a search or an article needs, on their way.
    pub archive_fetching: &'static str,
    /// Files a search needs that could not be fetched (offline): what shows is partial.
    pub archive_missing: &'static str,
    /// In place of a result whose article is on its way.
    pub result_fetching: &'static str,
    /// In place of a result whose article could not be downloaded.
    pub result_missing: &'static str,
    /// The same for an article.
    pub article_missing: &'static str,
    /// A sharded archive's button that downloads all of it for offline reading.
    pub download_all: &'static str,
}

pub const VI: Texts = Texts {
    tagline: "đọc báo, không cần mạng",
    search_label: "Tìm kiếm bài báo",
    search_placeholder: "Gõ có dấu hay không dấu: thanh tri, Đinh Tiến Dũng…",
    results_heading: "Kết quả",
    no_results: "Không có bài nào khớp. Hãy bớt từ hoặc bỏ bớt bộ lọc.",
    query_trimmed: "Truy vấn dài quá 256 ký tự hoặc 32 từ đã được rút gọn.",
    sort_label: "Sắp xếp",
    sort_relevance: "Liên quan nhất",
    sort_newest: "Mới nhất",
    sort_oldest: "Cũ nhất",
    filters_heading: "Lọc kết quả",
    facet_source: "Nguồn",
    facet_category: "Chuyên mục",
    facet_author: "Tác giả",
    facet_date: "Thời gian",
    date_from: "Từ ngày",
    date_to: "Đến ngày",
    all_years: "Mọi năm",
    clear_filters: "Bỏ mọi bộ lọc",
    show_more: "Xem thêm",
    show_less: "Thu gọn",
    undated: "không rõ ngày",
    pagination: "Phân trang",
    previous_page: "← Trang trước",
    next_page: "Trang sau →",
    back_to_results: "← Về kết quả",
    back_to_search: "← Tìm kiếm",
    previous_article: "← Bài trước",
    next_article: "Bài sau →",
    copy_link: "Chép liên kết",
    original_article: "Bài gốc",
    link_copied: "Đã chép liên kết vào bộ nhớ tạm.",
    link_not_copied: "Không chép được; hãy chép địa chỉ trên thanh địa chỉ.",
    photo: "Ảnh",
    related_on_page: "Tin khác trên trang gốc",
    more_like_this: "Bài tương tự trong kho",
    not_found_title: "Không tìm thấy trang này",
    not_found_text: "Đường dẫn có thể đã cũ hoặc gõ nhầm.",
    article_not_found: "Không tìm thấy bài viết này trong kho.",
    broken_corpus: "Không mở được kho báo",
    settings: "Tùy chọn hiển thị",
    theme_label: "Giao diện",
    theme_system: "Theo hệ thống",
    theme_light: "Sáng",
    theme_dark: "Tối",
    font_label: "Cỡ chữ",
    font_smaller: "Chữ nhỏ hơn",
    font_larger: "Chữ lớn hơn",
    switch_language: "English",
    colophon: "chạy hoàn toàn trong trình duyệt",
    article_navigation: "Điều hướng bài viết",
    opening_archive: "Đang mở kho báo…",
    archive_fetching: "Đang tải các phần của kho báo mà tìm kiếm này cần…",
    archive_missing: "Tìm kiếm này cần những phần của kho báo chưa được tải về (có thể bạn đang ngoại tuyến). Kết quả dưới đây chỉ từ những phần đã có.",
    result_fetching: "Đang tải bài báo…",
    result_missing: "Bài báo này chưa được tải về.",
    article_missing: "Bài này nằm trong phần kho báo chưa được tải về (có thể bạn đang ngoại tuyến).",
    download_all: "Tải toàn bộ để đọc offline",
};

pub const EN: Texts = Texts {
    tagline: "news reading, no network needed",
    search_label: "Search articles",
    search_placeholder: "With or without marks: thanh tri, Đinh Tiến Dũng…",
    results_heading: "Results",
    no_results: "No article matches. Try fewer words or fewer filters.",
    query_trimmed: "Queries are cut to 256 characters and 32 words.",
    sort_label: "Sort",
    sort_relevance: "Most relevant",
    sort_newest: "Newest",
    sort_oldest: "Oldest",
    filters_heading: "Filter results",
    facet_source: "Outlet",
    facet_category: "Category",
    facet_author: "Author",
    facet_date: "Date",
    date_from: "From",
    date_to: "To",
    all_years: "All years",
    clear_filters: "Clear all filters",
    show_more: "Show more",
    show_less: "Show less",
    undated: "undated",
    pagination: "Pagination",
    previous_page: "← Previous page",
    next_page: "Next page →",
    back_to_results: "← Back to results",
    back_to_search: "← Search",
    previous_article: "← Previous",
    next_article: "Next →",
    copy_link: "Copy link",
    original_article: "Original",
    link_copied: "Link copied to the clipboard.",
    link_not_copied: "Could not copy; copy the address from the address bar.",
    photo: "Photo",
    related_on_page: "Other stories on the original page",
    more_like_this: "More like this in the archive",
    not_found_title: "Page not found",
    not_found_text: "The link may be old or mistyped.",
    article_not_found: "This article is not in the archive.",
    broken_corpus: "The archive could not be opened",
    settings: "Display settings",
    theme_label: "Theme",
    theme_system: "System",
    theme_light: "Light",
    theme_dark: "Dark",
    font_label: "Text size",
    font_smaller: "Smaller text",
    font_larger: "Larger text",
    switch_language: "Tiếng Việt",
    colophon: "runs entirely in your browser",
    article_navigation: "Article navigation",
    opening_archive: "Opening the archive…",
    archive_fetching: "Downloading the parts of the archive this search needs…",
    archive_missing: "This search needs parts of the archive not downloaded yet (you may be offline). The results below come only from the parts already here.",
    result_fetching: "Loading the article…",
    result_missing: "This article is not downloaded yet.",
    article_missing: "This article is in a part of the archive not downloaded yet (you may be offline).",
    download_all: "Download everything to read offline",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// `12 kết quả` / `12 results`.
pub fn result_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Vi => format!("{n} kết quả"),
        Lang::En if n == 1 => "1 result".to_string(),
        Lang::En => format!("{n} results"),
    }
}

/// `2 bài báo trong kho` / `2 articles in the archive`.
pub fn archive_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Vi => format!("{n} bài báo trong kho"),
        Lang::En if n == 1 => "1 article in the archive".to_string(),
        Lang::En => format!("{n} articles in the archive"),
    }
}

/// A search that would fetch more of a sharded archive than one search may.
pub fn archive_too_many(lang: Lang, needed: usize, allowed: usize) -> String {
    match lang {
        Lang::Vi => format!(
            "Tìm kiếm này cần tải {needed} tệp của kho báo, quá giới hạn {allowed} tệp mỗi lần tìm. Hãy thêm từ để thu hẹp; kết quả dưới đây chỉ từ những phần đã có."
        ),
        Lang::En => format!(
            "This search needs {needed} files of the archive, more than the {allowed} one search may download. Add words to narrow it; the results below come only from the parts already here."
        ),
    }
}

/// What downloading a whole sharded archive costs, said before it starts.
pub fn offline_size(lang: Lang, files: usize, bytes: u64) -> String {
    let mb = megabytes(bytes);
    match lang {
        Lang::Vi => format!("Toàn bộ kho báo: {files} tệp, {mb} MB."),
        Lang::En => format!("The whole archive: {files} files, {mb} MB."),
    }
}

/// The download of a whole sharded archive: files and megabytes so far.
pub fn offline_progress(lang: Lang, done: usize, total: usize, bytes: u64) -> String {
    let mb = megabytes(bytes);
    match lang {
        Lang::Vi => format!("Đã tải {done}/{total} tệp ({mb} MB)."),
        Lang::En => format!("Downloaded {done} of {total} files ({mb} MB)."),
    }
}

/// Files of that download that failed (offline, or the host).
pub fn offline_failed(lang: Lang, failed: usize) -> String {
    match lang {
        Lang::Vi => format!(" {failed} tệp không tải được; bấm lại khi có mạng."),
        Lang::En => format!(" {failed} files could not be downloaded; try again when online."),
    }
}

/// The origin's storage once the download is done.
pub fn offline_storage(lang: Lang, usage_mb: u64, quota_mb: u64) -> String {
    match lang {
        Lang::Vi => format!(" Bộ nhớ đang dùng: {usage_mb} MB / {quota_mb} MB."),
        Lang::En => format!(" Storage used: {usage_mb} MB of {quota_mb} MB."),
    }
}

/// `bytes` in MB with one decimal (`12.3`), in integers: formatting an `f64` links
/// the standard library's float printing (~10 kB of the wasm) for these lines alone.
pub fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `Trang 2/7` / `Page 2 of 7`.
pub fn page_of(lang: Lang, page: usize, pages: usize) -> String {
    match lang {
        Lang::Vi => format!("Trang {page}/{pages}"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

/// `4 phút đọc` / `4 min read`.
pub fn reading_time(lang: Lang, minutes: usize) -> String {
    match lang {
        Lang::Vi => format!("{minutes} phút đọc"),
        Lang::En => format!("{minutes} min read"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use docbao_engine::search::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};

    #[test]
    fn megabytes_read_as_one_decimal_like_float_formatting() {
        assert_eq!(megabytes(0), "0.0");
        assert_eq!(megabytes(49_999), "0.0");
        assert_eq!(megabytes(50_000), "0.1");
        assert_eq!(megabytes(6_750_000), "6.8");
        assert_eq!(megabytes(u64::MAX), "18446744073709.5");
        // Away from exact ties (where float rounding goes to even), as `{:.1}` of the MB.
        for bytes in (0..200_000_000u64).step_by(1_234_567) {
            assert_eq!(
                megabytes(bytes),
                format!("{:.1}", bytes as f64 / 1e6),
                "{bytes}"
            );
        }
    }

    #[test]
    fn the_trimmed_query_note_states_the_engines_limits() {
        for t in [&VI, &EN] {
            assert!(t.query_trimmed.contains(&MAX_QUERY_CHARS.to_string()));
            assert!(t.query_trimmed.contains(&MAX_QUERY_WORDS.to_string()));
        }
    }
}
