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

#[cfg(test)]
mod tests {
    use super::*;

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
