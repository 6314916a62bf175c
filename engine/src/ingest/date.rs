//! Article dates: read from a record's date field, or inferred from a page's text.
//!
//! Scraped pages give the day and month of the news (`Sáng 24/8`, `chiều 24/2`) but rarely
//! the year. The rule:
//! 1. the day/month of the first time-of-day phrase (`Sáng`, `Trưa`, `Chiều`, `Tối`, `Đêm`,
//!    `Ngày`, `Hôm nay` … `dd/mm`) in the lead or the first two paragraphs;
//! 2. the year from what the page says about its publication, when it says anything: a
//!    date line near the title or byline, the URL, a dateline with its year, `năm nay
//!    (2020)` in the lead ([`Published`]). These must agree (with each other, and a full date
//!    with the lead's day within a week before it); when they do not, no date, and
//!    [`Inferred::Conflict`] says why. A page with a date line and no day in its lead gets
//!    that date;
//! 3. failing that, the year Y for which dd/mm/Y is vouched for by the most full dates
//!    (`d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy`, 3 each) and months (`tháng m/yyyy`, 2) near it —
//!    up to half a year ahead when said to be ahead (`đến ngày`, `trước ngày`: a deadline,
//!    a plan), up to a month behind (any older day may be from any year) — and years
//!    (`năm yyyy`, 1) that contain it. Dates clearly about another time never vote: one in
//!    a range of days (`23 đến 26/2/1966`), one more than a year older than the newest on
//!    the page, one before [`MIN_TEXT_YEAR`]; a year alone (`năm 2019`, often the year
//!    before, reviewed in January) never decides. Y needs a full date or a month and at
//!    least 3, and must win alone; a tie is a conflict.
//!
//! Otherwise no date: a wrong date is worse than none.

/// The oldest year a date in an article's own text may date it by: scraped news pages are
/// from the web's time, so an earlier full date in the text is history (`ngày 2/9/1945`).
/// Dates the page gives about itself (date lines, URLs) are not held to it.
pub const MIN_TEXT_YEAR: i64 = 1990;

/// Where a page says when it was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A line holding only a date (and a weekday or time), near the title or byline.
    DateLine,
    /// The page's address (`…/2020/01/08/…`, `…-20200108123045.htm`).
    Url,
    /// The lead's time phrase with its year (`Hà Nội, ngày 8/1/2020 - …`).
    Dateline,
    /// `năm nay (2020)` in the lead.
    ThisYear,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::DateLine => "a date line",
            Source::Url => "the URL",
            Source::Dateline => "the dateline",
            Source::ThisYear => "the lead's `năm nay`",
        }
    }
}

/// What a page says about its publication: a day, or only a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub year: i64,
    /// Month and day, when the evidence gives a full date.
    pub day: Option<(u32, u32)>,
    pub from: Source,
}

/// The outcome of dating a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inferred {
    Date(String),
    /// Nothing in the page supports a date.
    Unknown,
    /// The page's evidence disagrees: no date, and why.
    Conflict(String),
}

impl Inferred {
    pub fn date(self) -> Option<String> {
        match self {
            Inferred::Date(d) => Some(d),
            _ => None,
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// True for a real calendar date.
pub fn is_valid(y: i64, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn format(y: i64, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date field as records give it: ISO 8601 / RFC 3339 (`2025-08-07`,
/// `2025-08-07T22:00:00+07:00`: the date part, the publisher's local date) or `dd/mm/yyyy`
/// (optionally followed by a time). `None` when it is neither, or not a real date.
pub fn parse_given(given: &str) -> Option<String> {
    let s = given.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        (!part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b.get(10), None | Some(b'T' | b't' | b' '))
    {
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return is_valid(i64::from(y), m, d).then(|| format(i64::from(y), m, d));
    }
    let date_part = s.split([' ', 'T']).next()?;
    let mut parts = date_part.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.len() > 2 || m.len() > 2 {
        return None;
    }
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    if !(all_digits(d) && all_digits(m) && all_digits(y)) {
        return None;
    }
    let (d, m, y): (u32, u32, i64) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    is_valid(y, m, d).then(|| format(y, m, d))
}

/// What a text says about dates: a day and month, with the year when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DayMonth {
    day: u32,
    month: u32,
    year: Option<i64>,
    /// Byte range in the text.
    start: usize,
    end: usize,
}

/// Every `d/m`, `d-m`, `d.m` (optionally `/yyyy`) standing alone in `text`: not inside a
/// longer number (`14/16/2`, `1.416`).
fn day_months(text: &str) -> Vec<DayMonth> {
    let b = text.as_bytes();
    let run = |mut i: usize| {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (start, i)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'/')) {
            i += 1;
            continue;
        }
        let (ds, de) = run(i);
        i = de;
        let sep = match b.get(de) {
            Some(&c @ (b'/' | b'-' | b'.')) => c,
            _ => continue,
        };
        let (ms, me) = run(de + 1);
        if de - ds > 2 || me == ms || me - ms > 2 {
            continue;
        }
        let mut end = me;
        let mut year = None;
        if b.get(me) == Some(&sep) {
            let (ys, ye) = run(me + 1);
            if ye - ys == 4 && !b.get(ye).is_some_and(u8::is_ascii_digit) {
                year = text[ys..ye].parse().ok();
                end = ye;
            } else {
                // `14.16.2` or `1.416.000`: a number, not a date.
                i = ye.max(me);
                continue;
            }
        } else if b.get(me).is_some_and(|c| c.is_ascii_digit())
            || (sep == b'.' && b.get(me) == Some(&b'.'))
        {
            continue;
        }
        // A dot-separated pair without a year is a decimal (`1.5`), not a date.
        if sep == b'.' && year.is_none() {
            continue;
        }
        let (day, month) = (
            text[ds..de].parse().unwrap_or(0),
            text[ms..me].parse().unwrap_or(0),
        );
        let valid = match year {
            Some(y) => is_valid(y, month, day),
            None => is_valid(2000, month, day),
        };
        if valid {
            out.push(DayMonth {
                day,
                month,
                year,
                start: ds,
                end,
            });
        }
        i = end;
    }
    out
}

/// True when the date at `start` closes a range that opens with a bare day: `23 đến
/// 26/2/1966`, `23-26/2/1966`, `từ 23 tới 26/2/1966`: days of some past or planned event.
fn closes_day_range(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    ["đến", "tới", "-", "–"].iter().any(|joint| {
        before
            .strip_suffix(joint)
            .is_some_and(|rest| rest.trim_end().ends_with(|c: char| c.is_ascii_digit()))
    })
}

/// A line that only dates the page: a full date with, at most, a weekday, a time and
/// separators (`Thứ Tư, 08/01/2020 11:45`, `08/01/2020 | 11:45 GMT+7`). Its year, month and day.
pub fn date_line(text: &str) -> Option<(i64, u32, u32)> {
    if text.chars().count() > 60 {
        return None;
    }
    let dates = day_months(text);
    let [only] = dates.as_slice() else {
        return None;
    };
    let year = only.year?;
    let rest = format!("{} {}", &text[..only.start], &text[only.end..]).to_lowercase();
    let leftover_is_furniture = rest
        .split(|c: char| c.is_whitespace() || ",|()-–—:+".contains(c))
        .filter(|w| !w.is_empty())
        .all(|w| {
            w.bytes().all(|b| b.is_ascii_digit())
                || [
                    "thứ", "hai", "ba", "tư", "năm", "sáu", "bảy", "chủ", "nhật", "cn", "ngày",
                    "gmt", "cập", "nhật", "đăng", "lúc", "h",
                ]
                .contains(&w)
                || (w.ends_with('h') && w[..w.len() - 1].bytes().all(|b| b.is_ascii_digit()))
        });
    leftover_is_furniture.then_some((year, only.month, only.day))
}

/// The publication date in a page's address: `/2020/01/08/`, `-20200108…` (a timestamp of
/// 8 to 17 digits), `2020-01-08`.
pub fn from_url(url: &str) -> Option<(i64, u32, u32)> {
    let b = url.as_bytes();
    let number = |s: &str| s.parse::<u32>().ok();
    let plausible =
        |y: u32, m: u32, d: u32| (1990..=2100).contains(&y) && is_valid(i64::from(y), m, d);
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = &url[start..i];
        if (8..=17).contains(&run.len()) {
            let (y, m, d) = (
                number(&run[0..4])?,
                number(&run[4..6])?,
                number(&run[6..8])?,
            );
            if plausible(y, m, d) {
                return Some((i64::from(y), m, d));
            }
        }
        if run.len() == 4 {
            // `2020/01/08` or `2020-01-08`.
            let tail = &url[i..];
            let sep = tail.chars().next().filter(|c| *c == '/' || *c == '-');
            if let Some(sep) = sep {
                let mut parts = tail[1..].splitn(3, sep);
                let m = parts.next().filter(|p| p.len() == 2).and_then(number);
                let d = parts
                    .next()
                    .map(|p| &p[..p.bytes().take_while(u8::is_ascii_digit).count()])
                    .filter(|p| p.len() == 2)
                    .and_then(number);
                let y = number(run)?;
                if let (Some(m), Some(d)) = (m, d) {
                    if plausible(y, m, d) {
                        return Some((i64::from(y), m, d));
                    }
                }
            }
        }
    }
    None
}

/// `năm nay (2020)`, `năm nay, 2020`: the lead naming the year of the news.
pub fn this_year(lead: &str) -> Option<i64> {
    let lower = lead.to_lowercase();
    lower.match_indices("năm nay").find_map(|(at, w)| {
        let rest = lower[at + w.len()..].trim_start_matches([' ', '(', ',']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let y: i64 = digits.parse().ok()?;
        (digits.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
    })
}

/// Words that say "on this day" right before a day/month.
const TIME_WORDS: &[&str] = &[
    "sáng",
    "trưa",
    "chiều",
    "tối",
    "đêm",
    "ngày",
    "hôm nay",
    "sáng nay",
    "trưa nay",
    "chiều nay",
    "tối nay",
    "đêm nay",
    "rạng sáng",
];

/// Clauses that say the next date is not the day of the news.
const ANOTHER_DAY: &[&str] = &[
    "trước đó",
    "cũng trước đó",
    "sau đó",
    "trước đây",
    "khi đó",
    "lúc đó",
    "hồi đó",
];

/// Words that may stand between a clause's start and its time word (`Vào sáng 24/8`).
const LEAD_INS: &[&str] = &["vào", "trong", "cũng trong", "cũng vào"];

/// True when `before` (the text right before a day/month) ends with a time word that opens
/// a sentence or clause: `Sáng 24/8`, `…, chiều 24/2`, `Vào tối 3/11`, `Hôm nay (19/9)`.
/// Not `từ ngày 27/4` or `đến ngày 6-9`: a date inside a clause is some other day.
fn after_time_word(before: &str) -> bool {
    let before = before
        .trim_end()
        .trim_end_matches('(')
        .trim_end()
        .to_lowercase();
    let opens_clause = |rest: &str| {
        let rest = rest.trim_end();
        let rest = LEAD_INS
            .iter()
            .find_map(|w| {
                rest.strip_suffix(w)
                    .filter(|r| r.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
            })
            .unwrap_or(rest)
            .trim_end();
        let Some(mark) = rest.chars().next_back() else {
            return true;
        };
        // `(ngày 7/12/2020)` is an aside about another day; so is the clause after
        // `Trước đó,` (before that) and its kin.
        let previous_clause = rest[..rest.len() - mark.len_utf8()]
            .rsplit(|c: char| ",.;:()–-\"“”".contains(c))
            .next()
            .unwrap_or("")
            .trim();
        ",.;:–-\"“”".contains(mark) && !ANOTHER_DAY.contains(&previous_clause)
    };
    TIME_WORDS.iter().any(|w| {
        before.strip_suffix(w).is_some_and(|rest| {
            rest.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                && opens_clause(rest)
        })
    })
}

/// The day/month of the first time-of-day phrase in `texts`, in order.
fn first_time_phrase<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<DayMonth> {
    texts.into_iter().find_map(|text| {
        day_months(text)
            .into_iter()
            .find(|dm| after_time_word(&text[..dm.start]))
    })
}

/// How precisely a mention pins a time down; a more precise mention counts for more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    Day,
    Month,
    Year,
}

/// A time the text gives with its year: a day (`6-9-2021`), a month (`tháng 3/2022`) or a
/// year (`năm 2022`), as a range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mention {
    first_day: i64,
    last_day: i64,
    precision: Precision,
    /// Introduced as something ahead (`đến ngày`, `trước ngày`, `từ tháng`): a deadline or
    /// a plan, which stands near the news.
    ahead: bool,
}

impl Mention {
    fn weight(&self) -> usize {
        match self.precision {
            Precision::Day => 3,
            Precision::Month => 2,
            Precision::Year => 1,
        }
    }

    /// Whether the news day `day` is close enough to this mention for it to vouch for the
    /// year: within half a year of a day or month, inside a year.
    fn supports(&self, day: i64) -> bool {
        const HALF_A_YEAR: i64 = 183;
        const A_MONTH: i64 = 31;
        match self.precision {
            // A deadline or a plan (said to be ahead) is near the news; a day behind it may
            // be any time in the past, so only the recent past vouches.
            Precision::Day | Precision::Month if self.first_day > day => {
                self.ahead && distance(day, self) <= HALF_A_YEAR
            }
            Precision::Day | Precision::Month => distance(day, self) <= A_MONTH,
            Precision::Year => distance(day, self) == 0,
        }
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    (28..=31).rev().find(|&d| is_valid(y, m, d)).unwrap_or(28)
}

/// Words before `năm yyyy` that make it a year of some other thing than the news: a birth
/// year (`sinh năm 1997`), a founding (`thành lập năm 1976`), a start (`từ năm 2016`).
/// A target (`đến năm 2030`) neither.
const NOT_NEWS_YEARS: &[&str] = &["sinh", "lập", "từ", "đến", "tới"];

/// `cùng kỳ năm 2019` (the same period of 2019) compares with the year before the news.
const SAME_PERIOD_OF: &str = "cùng kỳ";

/// Words before a date (and its `ngày` / `tháng`) that put it ahead of the news: a
/// deadline, a start, a plan.
const AHEAD: &[&str] = &[
    "đến",
    "đến hết",
    "tới",
    "trước",
    "từ",
    "hạn",
    "dự kiến",
    "sẽ",
    "bắt đầu",
    "chậm nhất",
];

fn said_ahead(before: &str) -> bool {
    let before = before.trim_end().to_lowercase();
    let before = before
        .strip_suffix("ngày")
        .or_else(|| before.strip_suffix("tháng"))
        .unwrap_or(&before)
        .trim_end();
    AHEAD.iter().any(|w| {
        before.strip_suffix(w).is_some_and(|rest| {
            rest.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

fn mentions(text: &str) -> Vec<Mention> {
    let mut out: Vec<Mention> = day_months(text)
        .into_iter()
        .filter(|dm| !closes_day_range(text, dm.start))
        .filter_map(|dm| {
            let y = dm.year?;
            let day = days_from_civil(y, dm.month, dm.day);
            Some(Mention {
                first_day: day,
                last_day: day,
                precision: Precision::Day,
                ahead: said_ahead(&text[..dm.start]),
            })
        })
        .collect();
    let lower = text.to_lowercase();
    let four_digits = |rest: &str| -> Option<i64> {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let y: i64 = digits.parse().ok()?;
        (digits.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
    };
    for (at, _) in lower.match_indices("năm ") {
        let before = lower[..at].trim_end();
        if lower[..at].ends_with(|c: char| c.is_alphanumeric())
            || NOT_NEWS_YEARS.iter().any(|w| before.ends_with(w))
        {
            continue;
        }
        if let Some(y) = four_digits(&lower[at + "năm ".len()..]) {
            let y = if before.ends_with(SAME_PERIOD_OF) {
                y + 1
            } else {
                y
            };
            out.push(Mention {
                first_day: days_from_civil(y, 1, 1),
                last_day: days_from_civil(y, 12, 31),
                precision: Precision::Year,
                ahead: false,
            });
        }
    }
    // `tháng 3/2022`, `tháng 03-2022`.
    for (at, _) in lower.match_indices("tháng ") {
        let rest = &lower[at + "tháng ".len()..];
        let month_digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(m) = month_digits.parse::<u32>() else {
            continue;
        };
        let after = &rest[month_digits.len()..];
        let Some(year_part) = after.strip_prefix(['/', '-']) else {
            continue;
        };
        if let Some(y) = four_digits(year_part).filter(|_| (1..=12).contains(&m)) {
            out.push(Mention {
                first_day: days_from_civil(y, m, 1),
                last_day: days_from_civil(y, m, days_in_month(y, m)),
                precision: Precision::Month,
                ahead: said_ahead(&lower[..at]),
            });
        }
    }
    out
}

fn distance(day: i64, m: &Mention) -> i64 {
    if day < m.first_day {
        m.first_day - day
    } else if day > m.last_day {
        day - m.last_day
    } else {
        0
    }
}

/// Infers an article's date from its text alone (no date lines or URL): see
/// [`infer_page`].
pub fn infer<'a>(
    opening: impl IntoIterator<Item = &'a str>,
    all_text: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    infer_page(opening, all_text, &[]).date()
}

/// Infers a page's date. `opening` is the lead then the first paragraphs (where the
/// time-of-day phrase is looked for); `all_text` everything the article says (where dates
/// with years are looked for when the page says nothing of its publication);
/// `published` what the page's furniture says (date lines, URL). See the module's rule.
pub fn infer_page<'a>(
    opening: impl IntoIterator<Item = &'a str>,
    all_text: impl IntoIterator<Item = &'a str>,
    published: &[Published],
) -> Inferred {
    let opening: Vec<&str> = opening.into_iter().collect();
    let phrase = first_time_phrase(opening.iter().copied());
    let mut evidence = published.to_vec();
    if let Some(p) = phrase {
        if let Some(year) = p.year {
            evidence.push(Published {
                year,
                day: Some((p.month, p.day)),
                from: Source::Dateline,
            });
        }
    }
    if let Some(year) = opening.first().and_then(|lead| this_year(lead)) {
        evidence.push(Published {
            year,
            day: None,
            from: Source::ThisYear,
        });
    }
    if !evidence.is_empty() {
        return from_publication(phrase, &evidence);
    }
    match phrase {
        Some(phrase) => from_text(phrase, all_text),
        None => Inferred::Unknown,
    }
}

fn format_days(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format(y, m, d)
}

/// The date the page's own evidence gives, all of it agreeing; the lead's day and month
/// when it has them, placed in the year that puts it within a week before a publication
/// date (or two days after: a page dated on the evening before).
fn from_publication(phrase: Option<DayMonth>, evidence: &[Published]) -> Inferred {
    const BEFORE: i64 = 7;
    const AFTER: i64 = 2;
    let mut dates: Vec<(i64, Source)> = Vec::new();
    for e in evidence {
        match (e.day, phrase) {
            (Some((m, d)), Some(p)) if e.from != Source::Dateline => {
                let published = days_from_civil(e.year, m, d);
                let news_day = [e.year - 1, e.year, e.year + 1]
                    .into_iter()
                    .filter(|&y| is_valid(y, p.month, p.day))
                    .map(|y| days_from_civil(y, p.month, p.day))
                    .find(|day| (-AFTER..=BEFORE).contains(&(published - day)));
                let Some(day) = news_day else {
                    return Inferred::Conflict(format!(
                        "the lead's {}/{} is not within a week before {} ({})",
                        p.day,
                        p.month,
                        format(e.year, m, d),
                        e.from.name()
                    ));
                };
                dates.push((day, e.from));
            }
            (Some((m, d)), _) => dates.push((days_from_civil(e.year, m, d), e.from)),
            (None, Some(p)) if is_valid(e.year, p.month, p.day) => {
                dates.push((days_from_civil(e.year, p.month, p.day), e.from));
            }
            (None, Some(p)) => {
                return Inferred::Conflict(format!(
                    "the lead's {}/{} is not a day of {} ({})",
                    p.day,
                    p.month,
                    e.year,
                    e.from.name()
                ))
            }
            (None, None) => {}
        }
    }
    let Some(&(first, _)) = dates.first() else {
        return Inferred::Unknown;
    };
    if dates.iter().all(|&(day, _)| day == first) {
        return Inferred::Date(format_days(first));
    }
    let mut said: Vec<String> = dates
        .iter()
        .map(|&(day, from)| format!("{} from {}", format_days(day), from.name()))
        .collect();
    said.dedup();
    Inferred::Conflict(format!("the page's dates disagree: {}", said.join(", ")))
}

/// The year the article's own text vouches for (step 3 of the module's rule).
fn from_text<'a>(phrase: DayMonth, all_text: impl IntoIterator<Item = &'a str>) -> Inferred {
    let mentions: Vec<Mention> = all_text.into_iter().flat_map(mentions).collect();
    let year_of = |m: &Mention| civil_from_days(m.first_day).0;
    let newest = mentions.iter().map(|m| civil_from_days(m.last_day).0).max();
    // Dates clearly about another time: before the web, or well before the page's newest.
    let voting: Vec<Mention> = mentions
        .iter()
        .filter(|m| {
            let y = year_of(m);
            y >= MIN_TEXT_YEAR && newest.is_none_or(|n| y + 1 >= n)
        })
        .copied()
        .collect();
    let mut years: Vec<i64> = voting
        .iter()
        .filter(|m| m.precision != Precision::Year)
        .flat_map(|m| {
            let y = year_of(m);
            [y - 1, y, y + 1]
        })
        .filter(|&y| is_valid(y, phrase.month, phrase.day))
        .collect();
    years.sort_unstable();
    years.dedup();
    let scored: Vec<(i64, usize)> = years
        .into_iter()
        .filter_map(|y| {
            let day = days_from_civil(y, phrase.month, phrase.day);
            let supporting = voting.iter().filter(|m| m.supports(day));
            // A year alone never decides: a full date or a month must vouch too.
            let dated = supporting.clone().any(|m| m.precision != Precision::Year);
            dated.then(|| (y, supporting.map(Mention::weight).sum()))
        })
        .collect();
    let Some(best) = scored.iter().map(|&(_, score)| score).max() else {
        return Inferred::Unknown;
    };
    // A full date, or a month and the year.
    const ENOUGH: usize = 3;
    if best < ENOUGH {
        return Inferred::Unknown;
    }
    let winners: Vec<i64> = scored
        .iter()
        .filter(|&&(_, score)| score == best)
        .map(|&(y, _)| y)
        .collect();
    match winners.as_slice() {
        [year] => Inferred::Date(format(*year, phrase.month, phrase.day)),
        _ => Inferred::Conflict(format!(
            "the text's dates vouch equally for {}/{} in {}",
            phrase.day,
            phrase.month,
            winners
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_arithmetic_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2021, 9, 6) - days_from_civil(2021, 8, 24),
            13
        );
        for day in [-1000, 0, 18_000, 19_047, 20_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert!(is_valid(2024, 2, 29) && !is_valid(2023, 2, 29) && !is_valid(2021, 13, 1));
    }

    #[test]
    fn given_dates_parse() {
        assert_eq!(parse_given("2020-10-01").as_deref(), Some("2020-10-01"));
        assert_eq!(
            parse_given("2025-08-07T22:00:00+07:00").as_deref(),
            Some("2025-08-07")
        );
        assert_eq!(parse_given("07/08/2025").as_deref(), Some("2025-08-07"));
        assert_eq!(parse_given("7/8/2025 10:30").as_deref(), Some("2025-08-07"));
        assert_eq!(parse_given("2025-02-30"), None);
        assert_eq!(parse_given("hôm qua"), None);
        assert_eq!(parse_given("2025-08"), None);
    }

    #[test]
    fn day_months_skip_numbers_that_are_not_dates() {
        let found = |t: &str| {
            day_months(t)
                .iter()
                .map(|d| (d.day, d.month, d.year))
                .collect::<Vec<_>>()
        };
        assert_eq!(found("tại 14/16 xã"), []);
        assert_eq!(found("quy mô 1.416 chỗ, 1.5 lần"), []);
        assert_eq!(
            found("Sáng 24/8, ngày 6-9-2021"),
            [(24, 8, None), (6, 9, Some(2021))]
        );
        assert_eq!(found("ngày 2.9.1945"), [(2, 9, Some(1945))]);
    }

    fn infer1(opening: &str, rest: &str) -> Option<String> {
        infer([opening], [opening, rest])
    }

    #[test]
    fn the_year_comes_from_the_nearest_full_date() {
        assert_eq!(
            infer1(
                "Sáng 24/8, tại buổi kiểm tra",
                "đến ngày 6-9-2021 sẽ quyết định"
            )
            .as_deref(),
            Some("2021-08-24")
        );
        assert_eq!(
            infer1(
                "Chiều 24/2, Hội nghị",
                "Nghị quyết ngày 11/10/2021; chiến dịch năm 2022; trình trước ngày 5/3/2022"
            )
            .as_deref(),
            Some("2022-02-24")
        );
        // A date months before the news may be any time past (a decree, a battle): only
        // the recent past, or what lies ahead, vouches.
        assert_eq!(
            infer1(
                "Chiều 24/2, Hội nghị",
                "Nghị quyết ngày 11/10/2021; chiến dịch năm 2022; đến năm 2030"
            ),
            None
        );
        // Late December news about January: the nearest year wins, across the boundary.
        assert_eq!(
            infer1("Tối 30/12, thành phố", "áp dụng từ ngày 1/1/2024").as_deref(),
            Some("2023-12-30")
        );
        assert_eq!(
            infer1("Hôm nay (19/9), toàn thành phố", "từ ngày 5/9/2024").as_deref(),
            Some("2024-09-19")
        );
        assert_eq!(
            infer1("Ngày 5/3/2019, Bộ", "").as_deref(),
            Some("2019-03-05")
        );
        // `cùng kỳ năm 2019` (the same period last year) speaks for 2020, beside a month.
        assert_eq!(
            infer1(
                "Sáng 1/10, Tổng cục",
                "tăng 5% so với cùng kỳ năm 2019 trong tháng 9/2020"
            )
            .as_deref(),
            Some("2020-10-01")
        );
        // A month and its year together are enough.
        assert_eq!(
            infer1("Chiều 24/4, công ty", "kế hoạch năm 2021 từ tháng 3/2021").as_deref(),
            Some("2021-04-24")
        );
    }

    #[test]
    fn no_date_when_the_text_does_not_support_one() {
        // No time-of-day phrase.
        assert_eq!(infer1("Theo báo cáo, 24/8 là hạn chót", "năm 2021"), None);
        // A day/month but no year anywhere.
        assert_eq!(infer1("Sáng 24/8, tại hội nghị", "không có năm"), None);
        // The day/month falls on two mentioned dates equally: no way to tell.
        assert_eq!(
            infer1("Sáng 2/9, lễ kỷ niệm", "ngày 2/9/2024 và ngày 2/9/2025"),
            None
        );
        // Years alone never decide, however often named: a January report on last year
        // names last year throughout.
        assert_eq!(
            infer1(
                "Trưa 8/1, Tổng cục",
                "so với cùng kỳ năm 2019; năm 2020; dự toán năm 2020; năm 2020"
            ),
            None
        );
        // A year named once or twice is too little to go on…
        assert_eq!(infer1("Chiều 1/7, tổng kết", "năm 2020 và năm 2022"), None);
        assert_eq!(infer1("Sáng 8/4, bị bắt", "vào tháng 5/2020"), None);
        // …and birth years say nothing of the news.
        assert_eq!(
            infer1(
                "Sáng 3/5, ông A",
                "sinh năm 1980; sinh năm 1980; bà B sinh năm 1980"
            ),
            None
        );
        // 29/2 only exists in leap years, and none is within a year of 2022.
        assert_eq!(infer1("Sáng 29/2, hội nghị", "năm 2022"), None);
        // A time word must stand right before the day/month.
        assert_eq!(infer1("Cách đây 3 ngày, 24/8 là hạn", "năm 2021"), None);
        // …and open a clause: these are other days than the day of the news.
        assert_eq!(infer1("Tính từ ngày 27/4 đến nay", "năm 2021"), None);
        assert_eq!(infer1("Cuộc thi (ngày 7/12/2020) đã kết thúc", ""), None);
        assert_eq!(
            infer1("Trước đó, ngày 17/3/2021, Cục đã kiểm tra", ""),
            None
        );
    }

    #[test]
    fn history_in_the_text_never_dates_the_news() {
        // The only full date is long past: history, not the news.
        assert_eq!(infer1("Trưa 8/1, đoàn", "trận đánh ngày 26/2/1966"), None);
        assert_eq!(infer1("Sáng 5/9, lễ", "Bản Tuyên ngôn ngày 2/9/1945"), None);
        // A range of days is some event's, here a past one.
        assert_eq!(
            infer1("Trưa 8/1, đoàn", "diễn ra từ 23 đến 26/2/1996"),
            None
        );
        assert_eq!(infer1("Trưa 8/1, đoàn", "diễn ra 23-26/2/1996"), None);
        // Beside the page's newer dates, an old one does not vote; the recent one decides.
        assert_eq!(
            infer1(
                "Trưa 8/1, đoàn",
                "chiến dịch ngày 26/2/1996; kế hoạch đến ngày 20/2/2020"
            )
            .as_deref(),
            Some("2020-01-08")
        );
        assert_eq!(
            infer_page(["Trưa 8/1, đoàn"], ["trận đánh ngày 26/2/1966"], &[]),
            Inferred::Unknown
        );
        // A day some months after the news's day/month is a deadline only when said so;
        // otherwise it may be a day months before the news, a year later.
        assert_eq!(
            infer1("Sáng 23/6, đoàn", "theo văn bản ngày 5/10/2019"),
            None
        );
        assert_eq!(
            infer1("Sáng 23/6, đoàn", "hoàn thành trước ngày 5/10/2019").as_deref(),
            Some("2019-06-23")
        );
    }

    fn published(year: i64, day: Option<(u32, u32)>, from: Source) -> Published {
        Published { year, day, from }
    }

    #[test]
    fn the_page_s_own_dates_give_the_year_and_must_agree() {
        let line = published(2020, Some((1, 8)), Source::DateLine);
        let body = ["ngày 26/2/1966; năm 1966"];
        assert_eq!(
            infer_page(["Trưa 8/1, đoàn"], body, &[line]),
            Inferred::Date("2020-01-08".into())
        );
        // Late in the evening, published the next day in the new year.
        let next_day = published(2020, Some((1, 1)), Source::Url);
        assert_eq!(
            infer_page(["Tối 31/12, thành phố"], [], &[next_day]),
            Inferred::Date("2019-12-31".into())
        );
        // No day in the lead: the date line's own date.
        assert_eq!(
            infer_page(["Theo báo cáo, đoàn"], [], &[line]),
            Inferred::Date("2020-01-08".into())
        );
        // `năm nay (2020)` in the lead names the year.
        assert_eq!(
            infer_page(["Trưa 8/1, trong năm nay (2020), đoàn"], [], &[]),
            Inferred::Date("2020-01-08".into())
        );
        // Disagreeing evidence: no date, and why.
        let old_url = published(2016, Some((1, 8)), Source::Url);
        let Inferred::Conflict(why) = infer_page(["Trưa 8/1, đoàn"], [], &[line, old_url])
        else {
            panic!("a conflict expected");
        };
        assert!(
            why.contains("2020-01-08 from a date line") && why.contains("2016-01-08 from the URL"),
            "{why}"
        );
        let far = published(2020, Some((6, 15)), Source::DateLine);
        assert!(matches!(
            infer_page(["Trưa 8/1, đoàn"], [], &[far]),
            Inferred::Conflict(_)
        ));
    }

    #[test]
    fn date_lines_urls_and_this_year_are_read() {
        assert_eq!(date_line("Thứ Tư, 08/01/2020 11:45"), Some((2020, 1, 8)));
        assert_eq!(date_line("08/01/2020 | 11:45 GMT+7"), Some((2020, 1, 8)));
        assert_eq!(date_line("Cập nhật: 8-1-2020 lúc 11h"), Some((2020, 1, 8)));
        assert_eq!(date_line("Ngày 8/1/2020 đoàn khởi hành"), None);
        assert_eq!(date_line("08/01 11:45"), None);
        assert_eq!(
            from_url("https://dantri.com.vn/xa-hoi/ten-bai-20200108123045678.htm"),
            Some((2020, 1, 8))
        );
        assert_eq!(
            from_url("https://laodongthudo.vn/2020/01/08/ten-bai.html"),
            Some((2020, 1, 8))
        );
        assert_eq!(
            from_url("https://x.vn/a-2020-01-08.html"),
            Some((2020, 1, 8))
        );
        assert_eq!(from_url("https://laodongthudo.vn/ten-bai-98765.html"), None);
        assert_eq!(this_year("Trong năm nay (2020), thành phố"), Some(2020));
        assert_eq!(this_year("năm nay, 2021, thành phố"), Some(2021));
        assert_eq!(this_year("năm nay thành phố"), None);
    }
}
