//! How article facts read to people: dates and reading time, in Vietnamese or English.

use crate::article::Article;
use crate::text;

/// The language of the interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// Syllables a reader gets through in a minute of news prose.
const SYLLABLES_PER_MINUTE: usize = 220;

const WEEKDAYS_VI: [&str; 7] = [
    "Chủ nhật",
    "thứ Hai",
    "thứ Ba",
    "thứ Tư",
    "thứ Năm",
    "thứ Sáu",
    "thứ Bảy",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// 0 = Sunday. Sakamoto's method, valid for Gregorian dates.
fn weekday(year: i32, month: u32, day: u32) -> usize {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    ((y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + day as i32).rem_euclid(7)) as usize
}

fn parse_date(date: &str) -> Option<(i32, u32, u32)> {
    let mut parts = date.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// `2021-08-24` → `thứ Ba, 24/8/2021` (or `Tuesday, 24 August 2021`). `None` when the
/// text is not an ISO date.
pub fn format_date(date: &str, lang: Lang) -> Option<String> {
    let (y, m, d) = parse_date(date)?;
    let wd = weekday(y, m, d);
    Some(match lang {
        Lang::Vi => format!("{}, {d}/{m}/{y}", WEEKDAYS_VI[wd]),
        Lang::En => format!("{}, {d} {} {y}", WEEKDAYS_EN[wd], MONTHS_EN[m as usize - 1]),
    })
}

/// `tháng 8/2021` or `August 2021`, for the date facet.
pub fn format_month(year: u16, month: u8, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("tháng {month}/{year}"),
        Lang::En => format!(
            "{} {year}",
            MONTHS_EN.get(month as usize - 1).unwrap_or(&"?")
        ),
    }
}

/// Whole minutes to read the lead and body, at least one.
pub fn reading_minutes(article: &Article) -> usize {
    let syllables: usize = article
        .lead
        .iter()
        .chain(&article.body)
        .map(|p| text::tokens(p).len())
        .sum();
    syllables.div_ceil(SYLLABLES_PER_MINUTE).max(1)
}

/// An article's URL as its page shows it ("Bài gốc: …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink<'a> {
    /// What the link's target is, for `http:` and `https:` URLs only: article data is
    /// untrusted, and any other scheme (`javascript:`, `data:`) is shown, never linked.
    pub href: Option<&'a str>,
    /// The URL as text: without the scheme (and a last `/`) when it is a link, whole
    /// when it is not, so a reader sees what it is.
    pub text: &'a str,
}

/// The link to the original of an article whose URL is `url`; `None` for a blank one.
pub fn source_link(url: &str) -> Option<SourceLink<'_>> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let after = |scheme: &str| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    };
    // A host is needed: `https:///x` or `https://` alone is no link.
    let rest = after("https://")
        .or_else(|| after("http://"))
        .filter(|rest| !rest.is_empty() && !rest.starts_with('/'));
    Some(match rest {
        Some(rest) => SourceLink {
            href: Some(url),
            text: rest
                .strip_suffix('/')
                .filter(|r| !r.is_empty())
                .unwrap_or(rest),
        },
        None => SourceLink {
            href: None,
            text: url,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_are_links() {
        let link = |url| source_link(url).map(|l| (l.href, l.text));
        assert_eq!(
            link("https://dantri.com.vn/xa-hoi/tin-1.htm"),
            Some((
                Some("https://dantri.com.vn/xa-hoi/tin-1.htm"),
                "dantri.com.vn/xa-hoi/tin-1.htm"
            ))
        );
        assert_eq!(
            link(" HTTP://vnexpress.net/ "),
            Some((Some("HTTP://vnexpress.net/"), "vnexpress.net"))
        );
        for untrusted in [
            "javascript:alert(1)",
            "JavaScript://dantri.com.vn/%0aalert(1)",
            "data:text/html,<b>x</b>",
            "//dantri.com.vn/x",
            "dantri.com.vn/x",
            "https:///x",
            "https://",
            "ftp://dantri.com.vn/x",
        ] {
            let got = source_link(untrusted).unwrap();
            assert_eq!(got.href, None, "{untrusted:?}");
            assert_eq!(got.text, untrusted.trim(), "shown whole: {untrusted:?}");
        }
        assert_eq!(link(""), None);
        assert_eq!(link("  "), None);
    }

    #[test]
    fn dates_read_with_their_weekday() {
        assert_eq!(
            format_date("2021-08-24", Lang::Vi).as_deref(),
            Some("thứ Ba, 24/8/2021")
        );
        assert_eq!(
            format_date("2022-02-24", Lang::Vi).as_deref(),
            Some("thứ Năm, 24/2/2022")
        );
        assert_eq!(
            format_date("2024-09-22", Lang::Vi).as_deref(),
            Some("Chủ nhật, 22/9/2024")
        );
        assert_eq!(
            format_date("2000-02-29", Lang::En).as_deref(),
            Some("Tuesday, 29 February 2000")
        );
        assert_eq!(format_date("24/8/2021", Lang::Vi), None);
        assert_eq!(format_date("2021-13-01", Lang::Vi), None);
    }

    #[test]
    fn reading_time_counts_lead_and_body() {
        let mut a = Article {
            lead: Some("một hai ba".into()),
            ..Article::default()
        };
        assert_eq!(reading_minutes(&a), 1);
        a.body = vec!["chữ ".repeat(450)];
        assert_eq!(reading_minutes(&a), 3);
    }

    #[test]
    fn months_name_the_facet() {
        assert_eq!(format_month(2021, 8, Lang::Vi), "tháng 8/2021");
        assert_eq!(format_month(2021, 8, Lang::En), "August 2021");
    }
}
