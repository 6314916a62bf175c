//! How many result rows fill the screen, from their text: while a query is typed the
//! search page renders only the rows a reader can see (see `pages::search`), and a row's
//! height follows from how many characters its title and snippet hold, at the width and in
//! the fonts of the last layout. Pure arithmetic, tested natively; the page reads the
//! geometry after the layout each search forces anyway, so none of it costs a layout.

/// A line of ordinary Vietnamese news text, laid out unwrapped and hidden on the search page
/// in the rows' own fonts (`.row-probe`): its width says how wide the reader's fonts set a
/// character, whatever fonts the reader's system has.
pub const PROBE_TEXT: &str = "Theo báo cáo của Bộ Giáo dục và Đào tạo, năm nay cả nước có hơn \
                              một triệu thí sinh đăng ký dự thi tốt nghiệp trung học phổ thông.";

/// How narrow, against the probe, a title or snippet's characters can be on average.
/// Measured in Chromium (canvas `measureText`) over 5,622 titles and 27,072 snippet-long
/// passages of UNC and vietnews-train, in 12 faces (DejaVu Serif, Sans Condensed and Serif
/// Condensed, Liberation Serif, Sans and Sans Narrow, regular and bold): the narrowest text
/// was 0.773 of the probe (a title), snippets 0.812. A row is never estimated taller than
/// it is, so the rows estimated to fill the screen do fill it. (A face narrower still
/// would leave the bottom of the screen empty while typing, until the pause renders every
/// row, or a scroll does.)
pub const NARROWEST_TEXT_OF_PROBE: f64 = 0.75;

/// From `styles/app.css`, in rem: `.result`'s padding (2 × 0.9) and the title's margin
/// below it (0.3); the title's size and line height (1.2 × 1.35, bold as an `h3`); the
/// snippet's line height (the body's 1.6 at 1rem); a pending row's note (`.pending-note`,
/// 6.4, in the same padding). Each row adds its 1 px rule.
const ROW_FRAME_REM: f64 = 1.8 + 0.3;
const TITLE_LINE_REM: f64 = 1.2 * 1.35;
const SNIPPET_LINE_REM: f64 = 1.6;
const PENDING_ROW_REM: f64 = 1.8 + 6.4;
const ROW_RULE_PX: f64 = 1.0;
/// `.result`'s padding left and right (2 × 0.25rem), inside the list's width.
const ROW_SIDE_PADDING_REM: f64 = 0.5;

/// What the last layout says of the rows' text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowGeometry {
    /// The root font size (CSS px): the reader's text size.
    pub rem: f64,
    /// The list's width (CSS px).
    pub list_width: f64,
    /// The probe's width set as a title (bold, 1.2rem) and as a snippet (1rem), CSS px.
    pub probe_title_px: f64,
    pub probe_snippet_px: f64,
}

/// A row as far as its height goes: its title's and snippet's characters, or none for a
/// row whose article is not in yet (a sharded archive), which shows a note instead.
pub type RowText = Option<(usize, usize)>;

impl RowGeometry {
    /// Whether every measure is a usable size (a page not laid out reads 0).
    fn usable(&self) -> bool {
        [
            self.rem,
            self.list_width,
            self.probe_title_px,
            self.probe_snippet_px,
        ]
        .iter()
        .all(|v| v.is_finite() && *v > 0.0)
    }

    /// The least number of lines `chars` characters take, each at least `probe_px /
    /// probe_chars × NARROWEST_TEXT_OF_PROBE` wide, in lines of the row's text width.
    fn lines_at_least(&self, chars: usize, probe_px: f64) -> f64 {
        if chars == 0 {
            return 0.0;
        }
        let probe_chars = PROBE_TEXT.chars().count() as f64;
        let width = probe_px / probe_chars * NARROWEST_TEXT_OF_PROBE * chars as f64;
        let line = self.list_width - ROW_SIDE_PADDING_REM * self.rem;
        // A line's last space hangs past its end: a line holds a little more than its width.
        let line = line + 0.3 * self.rem;
        (width / line).ceil().max(1.0)
    }

    /// The least height (CSS px) of a row holding `text`.
    pub fn row_least_px(&self, text: RowText) -> f64 {
        let Some((title, snippet)) = text else {
            return PENDING_ROW_REM * self.rem + ROW_RULE_PX;
        };
        let title_lines = self.lines_at_least(title, self.probe_title_px);
        let snippet_lines = self.lines_at_least(snippet, self.probe_snippet_px);
        ROW_RULE_PX
            + self.rem
                * (ROW_FRAME_REM + title_lines * TITLE_LINE_REM + snippet_lines * SNIPPET_LINE_REM)
    }
}

/// How many of `rows`, from the first, reach from `list_top` to `height` (CSS px from the
/// page's top) at their least heights: at least one, and all of them if they fall short,
/// or if the geometry is not a usable one (`None`).
pub fn rows_filling(
    height: f64,
    list_top: f64,
    geometry: &RowGeometry,
    rows: impl ExactSizeIterator<Item = RowText>,
) -> Option<usize> {
    if !geometry.usable() || !height.is_finite() || !list_top.is_finite() {
        return None;
    }
    let all = rows.len();
    let mut bottom = list_top;
    let mut count = 0;
    for row in rows {
        if bottom >= height && count > 0 {
            break;
        }
        bottom += geometry.row_least_px(row);
        count += 1;
    }
    Some(count.min(all))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bench's page: 16 px text, a 672 px list, DejaVu Serif (the probe's 129
    /// characters 1,075 px wide at 16 px, 1,429 px bold at 19.2 px).
    fn bench() -> RowGeometry {
        RowGeometry {
            rem: 16.0,
            list_width: 672.0,
            probe_title_px: 1429.0,
            probe_snippet_px: 1075.0,
        }
    }

    #[test]
    fn a_row_is_at_least_its_frame_and_one_line_of_each() {
        let g = bench();
        // The least row of `pages::search` (5.3rem and the rule, rounded down there).
        let least = g.row_least_px(Some((1, 1)));
        assert!(
            (least - (1.0 + 16.0 * (2.1 + 1.62 + 1.6))).abs() < 1e-9,
            "{least}"
        );
        // No snippet: no snippet line.
        assert!(g.row_least_px(Some((10, 0))) < least);
        // A pending row: its note's least height.
        assert!((g.row_least_px(None) - (1.0 + 16.0 * 8.2)).abs() < 1e-9);
    }

    #[test]
    fn longer_text_takes_more_lines_and_never_more_than_measured() {
        let g = bench();
        // Measured on the bench's page: a 218-character snippet under a one-line title is
        // 137 px tall (3 snippet lines); the estimate may be less, never more.
        let row = g.row_least_px(Some((42, 218)));
        assert!(row <= 137.5, "{row}");
        assert!(row > g.row_least_px(Some((42, 100))), "{row}");
        // A title of 229 characters and a snippet of 218: 241 px on the page.
        assert!(g.row_least_px(Some((229, 218))) <= 241.5);
        assert!(g.row_least_px(Some((229, 218))) > row);
        // Text set in a wider face (a wider probe) takes more lines.
        let wide = RowGeometry {
            probe_snippet_px: 2.0 * g.probe_snippet_px,
            ..g
        };
        assert!(wide.row_least_px(Some((42, 218))) > row);
    }

    #[test]
    fn rows_fill_from_the_list_top_to_the_bottom_of_the_screen() {
        let g = bench();
        // The rows `thanh` showed on the bench's page (title, snippet characters), 241, 189,
        // 137, 241… px tall: 4 reach 900 px from 230 px down. The estimate, never taller,
        // may ask for one or two more; the least height of a row asked for 8.
        let rows = [
            (229, 218),
            (194, 109),
            (42, 182),
            (285, 218),
            (71, 219),
            (60, 142),
            (109, 217),
            (313, 216),
        ];
        let n = rows_filling(900.0, 230.0, &g, rows.iter().map(|r| Some(*r))).unwrap();
        assert!((4..=6).contains(&n), "{n}");
        let reached: f64 = rows[..n].iter().map(|r| g.row_least_px(Some(*r))).sum();
        assert!(230.0 + reached >= 900.0, "{reached}");
        let short_of: f64 = rows[..n - 1].iter().map(|r| g.row_least_px(Some(*r))).sum();
        assert!(
            230.0 + short_of < 900.0,
            "one row fewer would not reach the bottom"
        );
        // Too few rows to reach it: all of them.
        let two = rows_filling(900.0, 230.0, &g, rows[..2].iter().map(|r| Some(*r)));
        assert_eq!(two, Some(2));
        // A list below the fold: one row.
        let below = rows_filling(900.0, 1200.0, &g, rows.iter().map(|r| Some(*r)));
        assert_eq!(below, Some(1));
        // Pending rows count at their note's height.
        let pending = rows_filling(900.0, 230.0, &g, std::iter::repeat_n(None, 8)).unwrap();
        assert_eq!(pending, 6);
        // No empty list, no layout: nothing to go by.
        assert_eq!(rows_filling(900.0, 230.0, &g, std::iter::empty()), Some(0));
        let unlaid = RowGeometry {
            list_width: 0.0,
            ..g
        };
        assert_eq!(
            rows_filling(900.0, 230.0, &unlaid, rows.iter().map(|r| Some(*r))),
            None
        );
        assert_eq!(
            rows_filling(f64::NAN, 230.0, &g, rows.iter().map(|r| Some(*r))),
            None
        );
    }

    #[test]
    fn larger_text_fills_the_screen_with_fewer_rows() {
        let g = bench();
        let big = RowGeometry {
            rem: 22.4,
            probe_title_px: g.probe_title_px * 1.4,
            probe_snippet_px: g.probe_snippet_px * 1.4,
            ..g
        };
        let rows = || std::iter::repeat_n(Some((80, 220)), 20);
        let at = |g: &RowGeometry| rows_filling(900.0, 230.0, g, rows()).unwrap();
        assert!(at(&big) < at(&g), "{} {}", at(&big), at(&g));
    }
}
