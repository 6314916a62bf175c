//! Invented scraped pages in the seeds' two templates (Phụ nữ Thủ đô, Lao động Thủ đô), with
//! what each page truly holds, to measure the page parser on pages it was not written from.
//!
//! The text is invented from a list of syllables (no corpus text), or taken at run time
//! from a corpus article's fields. Every page varies what the issue names: teaser blocks at
//! the end or in the middle, with or without a heading (with or without a blank line after
//! it), summaries glued to the next teaser's title; dates in the lead with day and month
//! only, historical dates in the body, days months before the news, neighbouring years,
//! datelines, URLs, dated bylines, `năm nay`.

/// A small deterministic generator (SplitMix64): the same seed, the same pages.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

/// Syllables for invented text. No time words (`ngày`, `năm`, `tháng`, `sáng`…) and no
/// digits: the dates a page holds are the ones put there on purpose.
const SYLLABLES: &[&str] = &[
    "người",
    "dân",
    "thành",
    "phố",
    "công",
    "trình",
    "xây",
    "dựng",
    "kế",
    "hoạch",
    "phát",
    "triển",
    "kinh",
    "tế",
    "văn",
    "hóa",
    "giáo",
    "dục",
    "học",
    "sinh",
    "trường",
    "lớp",
    "bệnh",
    "viện",
    "y",
    "tế",
    "chính",
    "quyền",
    "địa",
    "phương",
    "huyện",
    "xã",
    "phường",
    "quận",
    "nhân",
    "viên",
    "doanh",
    "nghiệp",
    "sản",
    "xuất",
    "hàng",
    "hóa",
    "thị",
    "trường",
    "giá",
    "cả",
    "đầu",
    "tư",
    "vốn",
    "dự",
    "án",
    "đường",
    "giao",
    "thông",
    "cầu",
    "sông",
    "nước",
    "mưa",
    "lũ",
    "bão",
    "gió",
    "rừng",
    "núi",
    "biển",
    "đảo",
    "lúa",
    "gạo",
    "rau",
    "quả",
    "chợ",
    "phiên",
    "hội",
    "nghị",
    "đại",
    "biểu",
    "quốc",
    "gia",
    "tỉnh",
    "vùng",
    "miền",
    "bắc",
    "trung",
    "nam",
    "tây",
    "đông",
    "mới",
    "cũ",
    "lớn",
    "nhỏ",
    "nhiều",
    "ít",
    "tốt",
    "đẹp",
    "mạnh",
    "nhanh",
    "chậm",
    "cao",
    "thấp",
    "xanh",
    "sạch",
    "an",
    "toàn",
    "bền",
    "vững",
    "hiệu",
    "quả",
    "chất",
    "lượng",
    "dịch",
    "vụ",
    "tiện",
    "ích",
    "hỗ",
    "trợ",
    "chăm",
    "sóc",
    "bảo",
    "vệ",
    "môi",
    "sức",
    "khỏe",
    "lao",
    "động",
    "việc",
    "làm",
    "thu",
    "nhập",
    "đời",
    "sống",
    "gia",
    "đình",
    "trẻ",
    "em",
    "phụ",
    "nữ",
    "thanh",
    "niên",
    "cán",
    "bộ",
    "đảng",
    "viên",
    "chi",
    "ủy",
    "ban",
    "mặt",
    "trận",
    "đoàn",
    "thể",
    "tổ",
    "chức",
    "cuộc",
    "thi",
    "giải",
    "thưởng",
    "nghệ",
    "thuật",
    "thể",
    "thao",
    "bóng",
    "đá",
    "du",
    "lịch",
    "di",
    "tích",
    "lịch",
    "sử",
    "truyền",
    "thống",
    "ký",
    "kết",
    "hợp",
    "tác",
    "triển",
    "khai",
    "thực",
    "hiện",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "xử",
    "lý",
    "vi",
    "phạm",
    "quy",
    "định",
    "chính",
    "sách",
    "điều",
    "chỉnh",
    "nâng",
    "cấp",
    "mở",
    "rộng",
    "hoàn",
    "thiện",
    "đổi",
    "khởi",
    "nghiệp",
    "sáng",
    "tạo",
];

/// Syllables for people's names.
const NAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Minh", "Anh", "Hà",
    "Linh", "Phúc", "Thu", "Hương", "Quốc", "Huy", "Thanh", "Xuân", "Bảo", "Ngọc", "Lan", "Hải",
    "Tùng", "Mai", "Hồng", "Nhung", "Khải",
];

/// Time words that open a lead (`Trưa 8/1, …`).
const TIME_WORDS: &[&str] = &[
    "Sáng",
    "Trưa",
    "Chiều",
    "Tối",
    "Ngày",
    "Sáng nay",
    "Chiều nay",
];

const WEEKDAYS: &[&str] = &[
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
];

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn words(rng: &mut Rng, lo: u64, hi: u64) -> String {
    let n = rng.range(lo, hi);
    (0..n)
        .map(|_| *rng.pick(SYLLABLES))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A sentence: capitalised, a comma or two, a full stop.
pub fn sentence(rng: &mut Rng) -> String {
    let mut parts = vec![words(rng, 5, 12)];
    for _ in 0..rng.range(0, 2) {
        parts.push(words(rng, 4, 10));
    }
    capitalize(&parts.join(", ")) + "."
}

fn paragraph(rng: &mut Rng) -> String {
    let n = rng.range(1, 4);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

/// A headline: capitalised, no full stop.
pub fn headline(rng: &mut Rng) -> String {
    let mut t = capitalize(&words(rng, 7, 16));
    if rng.chance(0.15) {
        t = format!("{}: {}", capitalize(&words(rng, 2, 2)), t);
    }
    t
}

fn person(rng: &mut Rng) -> String {
    let n = rng.range(2, 3);
    (0..n)
        .map(|_| *rng.pick(NAMES))
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Phụ nữ Thủ đô (seed 000): `Chia sẻ`, an untagged lead, captions glued twice,
    /// `Tin cùng chuyên mục`, summaries tagged `(PNTĐ) - `.
    Pntd,
    /// Lao động Thủ đô (seed 003): a tagged lead, glued linked titles under it, `undefined`
    /// before captions with credits, `Có thể bạn quan tâm` / `Nên xem` / `Tin khác`.
    Ldtd,
}

impl Template {
    fn tag(self) -> &'static str {
        match self {
            Template::Pntd => "(PNTĐ) - ",
            Template::Ldtd => "(LĐTĐ) ",
        }
    }

    fn headings(self) -> &'static [&'static str] {
        match self {
            Template::Pntd => &["Tin cùng chuyên mục", "Tin liên quan", "Đọc thêm"],
            Template::Ldtd => &[
                "Có thể bạn quan tâm",
                "Nên xem",
                "Tin khác",
                "Tin liên quan",
            ],
        }
    }

    fn site(self) -> &'static str {
        match self {
            Template::Pntd => "phunuthudo.vn",
            Template::Ldtd => "laodongthudo.vn",
        }
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub y: i64,
    pub m: u32,
    pub d: u32,
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil_from_days(z: i64) -> Day {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Day {
        y: yoe + era * 400 + i64::from(m <= 2),
        m,
        d,
    }
}

impl Day {
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    fn plus(self, days: i64) -> Day {
        civil_from_days(days_from_civil(self.y, self.m, self.d) + days)
    }

    fn weekday(self) -> &'static str {
        WEEKDAYS[days_from_civil(self.y, self.m, self.d).rem_euclid(7) as usize]
    }

    fn short(self) -> String {
        format!("{}/{}", self.d, self.m)
    }

    fn full(self, rng: &mut Rng) -> String {
        if rng.chance(0.3) {
            format!("{}-{}-{}", self.d, self.m, self.y)
        } else {
            format!("{}/{}/{}", self.d, self.m, self.y)
        }
    }

    fn padded(self) -> String {
        format!("{:02}/{:02}/{}", self.d, self.m, self.y)
    }

    pub fn parse_iso(iso: &str) -> Option<Day> {
        let y = iso.get(0..4)?.parse().ok()?;
        let m = iso.get(5..7)?.parse().ok()?;
        let d = iso.get(8..10)?.parse().ok()?;
        Some(Day { y, m, d })
    }
}

/// What an article holds before it is rendered into a page.
#[derive(Debug, Clone)]
pub struct Story {
    pub title: String,
    pub body: Vec<String>,
    pub date: Day,
}

/// An invented article published on a day between 2005 and 2024.
pub fn invented_story(rng: &mut Rng) -> Story {
    let y = rng.range(2005, 2024) as i64;
    let m = rng.range(1, 12) as u32;
    let d = rng.range(1, 28) as u32;
    let body = (0..rng.range(3, 10)).map(|_| paragraph(rng)).collect();
    Story {
        title: headline(rng),
        body,
        date: Day { y, m, d },
    }
}

/// A rendered page and what it truly holds.
#[derive(Debug, Clone)]
pub struct Page {
    pub template: Template,
    pub text: String,
    pub title: String,
    pub lead: String,
    pub body: Vec<String>,
    pub author: String,
    /// The teasers' titles and summaries (without tags): none of them is article text.
    pub teaser_texts: Vec<String>,
    /// The day the article was published: the date the page should get.
    pub date: Day,
    /// The page's own evidence about its publication disagrees (a URL of another year
    /// than its dated byline): no date should be given, and a note should say why.
    pub conflicting: bool,
    /// The page shows its year: a date line, a URL, a dateline, `năm nay (2020)` beside
    /// the lead's day, or a full date near the news in the body beside the lead's day.
    /// (Years alone, `năm 2020`, and a month alone are not enough to go on.)
    pub dated: bool,
    /// What the page holds about dates, for reading a failure.
    pub date_story: Vec<&'static str>,
}

/// One teaser: its title and untagged summary.
struct Teaser {
    title: String,
    summary: String,
}

/// Renders a teaser block into `out` (lines; "" is a blank line). `heading` opens it, with a
/// blank line after it or not.
fn teaser_block(
    rng: &mut Rng,
    t: Template,
    heading: bool,
    mid_body: bool,
) -> (Vec<String>, Vec<Teaser>) {
    let mut out: Vec<String> = Vec::new();
    if heading {
        out.push(rng.pick(t.headings()).to_string());
        if rng.chance(0.6) {
            out.push(String::new());
        }
    }
    let n = rng.range(if mid_body { 1 } else { 2 }, 6);
    let teasers: Vec<Teaser> = (0..n)
        .map(|_| Teaser {
            title: headline(rng),
            summary: sentence(rng)
                + &if rng.chance(0.5) {
                    " ".to_string() + &sentence(rng)
                } else {
                    String::new()
                },
        })
        .collect();
    // Without a heading, each teaser must show its structure: a repeat or a tagged summary.
    let mut glue_next = false;
    for (k, teaser) in teasers.iter().enumerate() {
        if glue_next {
            // The previous summary's line already ends with this title.
            let last = out.last_mut().expect("a summary line");
            *last = format!("{last}{}", teaser.title);
        } else {
            out.push(teaser.title.clone());
        }
        let repeat = glue_next || rng.chance(0.85);
        let has_summary = rng.chance(0.9) || (!heading && !repeat);
        glue_next = false;
        if repeat {
            out.push(String::new());
            out.push(teaser.title.clone());
        }
        if has_summary {
            out.push(String::new());
            out.push(format!("{}{}", t.tag(), teaser.summary));
            let last = k + 1 == teasers.len();
            if !last && rng.chance(0.25) {
                glue_next = true;
            } else if !last && rng.chance(0.3) {
                out.push(String::new());
            }
        } else {
            out.push(String::new());
        }
    }
    (out, teasers)
}

/// Which kinds of date evidence a page gets; drawn per page.
struct DatePlan {
    lead_phrase: bool,
    header_date: bool,
    byline_date: bool,
    url: bool,
    dateline: bool,
    this_year: bool,
    body_deadline: bool,
    body_recent: bool,
    body_older: bool,
    body_month: bool,
    body_years: u64,
    previous_year: u64,
    same_period: bool,
    historical: u64,
    conflicting: bool,
}

impl DatePlan {
    fn draw(rng: &mut Rng) -> DatePlan {
        DatePlan {
            lead_phrase: rng.chance(0.9),
            header_date: rng.chance(0.3),
            byline_date: rng.chance(0.2),
            url: rng.chance(0.25),
            dateline: rng.chance(0.08),
            this_year: rng.chance(0.1),
            body_deadline: rng.chance(0.35),
            body_recent: rng.chance(0.2),
            body_older: rng.chance(0.2),
            body_month: rng.chance(0.15),
            body_years: if rng.chance(0.3) { rng.range(1, 3) } else { 0 },
            previous_year: if rng.chance(0.25) { rng.range(1, 3) } else { 0 },
            same_period: rng.chance(0.1),
            historical: if rng.chance(0.4) { rng.range(1, 2) } else { 0 },
            conflicting: rng.chance(0.01),
        }
    }
}

/// A sentence that mentions a historical time: a year after `năm`, a range of days, or a
/// full date, all well before the story.
fn historical_sentence(rng: &mut Rng, date: Day) -> String {
    let y = rng.range(1930, (date.y - 10).min(1995) as u64) as i64;
    let m = rng.range(1, 12) as u32;
    let d = rng.range(5, 28) as u32;
    let s = sentence(rng);
    let s = s.trim_end_matches('.');
    match rng.range(0, 3) {
        0 => format!("{s}, từ năm {y} đến nay."),
        1 => format!("{s} vào năm {y}."),
        2 => format!(
            "{s}, diễn ra từ {} đến {d}/{m}/{y}.",
            d - rng.range(1, 4) as u32
        ),
        _ => format!("{s} ngày {d}/{m}/{y}."),
    }
}

fn slug(rng: &mut Rng) -> String {
    words(rng, 4, 8)
        .replace(' ', "-")
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ'
            | 'ẩ' | 'ẫ' | 'ậ' => 'a',
            'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => {
                'e'
            }
            'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
            'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ'
            | 'ở' | 'ỡ' | 'ợ' => 'o',
            'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => {
                'u'
            }
            'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
            'đ' => 'd',
            c => c,
        })
        .collect()
}

fn url(rng: &mut Rng, t: Template, date: Day) -> String {
    let s = slug(rng);
    if rng.chance(0.5) {
        format!(
            "https://{}/{s}-{:04}{:02}{:02}{:02}{:02}{:02}.htm",
            t.site(),
            date.y,
            date.m,
            date.d,
            rng.range(0, 23),
            rng.range(0, 59),
            rng.range(0, 59)
        )
    } else {
        format!(
            "https://{}/{:04}/{:02}/{:02}/{s}.html",
            t.site(),
            date.y,
            date.m,
            date.d
        )
    }
}

/// Renders `story` into a page of template `t`, with random variation.
pub fn render(rng: &mut Rng, t: Template, story: &Story) -> Page {
    let date = story.date;
    let plan = DatePlan::draw(rng);
    let mut date_story = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let blank = |lines: &mut Vec<String>| lines.push(String::new());
    let mut teaser_texts: Vec<String> = Vec::new();
    let mut push_teasers = |teasers: Vec<Teaser>| {
        for teaser in teasers {
            teaser_texts.push(teaser.title);
            teaser_texts.push(teaser.summary);
        }
    };

    lines.push(story.title.clone());
    blank(&mut lines);
    if plan.header_date {
        date_story.push("header date");
        let time = format!("{:02}:{:02}", rng.range(6, 22), rng.range(0, 59));
        lines.push(match t {
            Template::Pntd => format!("{}, {} {time}", date.weekday(), date.padded()),
            Template::Ldtd => format!("{} {time}", date.padded()),
        });
        blank(&mut lines);
    }
    if plan.url && rng.chance(0.3) {
        date_story.push("url at top");
        lines.push(url(rng, t, date));
        blank(&mut lines);
    }
    if t == Template::Pntd {
        lines.push("Chia sẻ".into());
        blank(&mut lines);
    }

    // The lead.
    let mut lead = sentence(rng);
    if plan.this_year {
        date_story.push("năm nay in the lead");
        lead = format!(
            "{} trong năm nay ({}), {}",
            lead.trim_end_matches('.'),
            date.y,
            words(rng, 6, 6)
        ) + ".";
    }
    if plan.dateline {
        date_story.push("dateline");
        lead = format!("Hà Nội, ngày {}/{}/{} - {lead}", date.d, date.m, date.y);
    } else if plan.lead_phrase {
        date_story.push("day/month in the lead");
        let word = rng.pick(TIME_WORDS);
        let mut chars = lead.chars();
        let first: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_lowercase)
            .collect();
        lead = format!("{word} {}, {first}{}", date.short(), chars.as_str());
    }
    let tag = t == Template::Ldtd || rng.chance(0.2);
    lines.push(if tag {
        format!("{}{lead}", t.tag())
    } else {
        lead.clone()
    });
    if t == Template::Ldtd && rng.chance(0.5) {
        // Titles of linked articles glued into one line under the lead.
        lines.push(format!("{} {}", headline(rng), headline(rng)));
    }
    blank(&mut lines);

    // The body, with the date mentions of the plan spread over it.
    let mut body = story.body.clone();
    let mut mentions: Vec<String> = Vec::new();
    if plan.body_deadline {
        date_story.push("a deadline after the news");
        let later = date.plus(rng.range(1, 150) as i64);
        mentions.push(format!(
            "{} đến ngày {}.",
            sentence(rng).trim_end_matches('.'),
            later.full(rng)
        ));
    }
    if plan.body_recent {
        date_story.push("a recent day before the news");
        let before = date.plus(-(rng.range(1, 25) as i64));
        mentions.push(format!(
            "Trước đó, ngày {}, {}",
            before.full(rng),
            sentence(rng).to_lowercase()
        ));
    }
    if plan.body_older {
        // A decree or an event months before: it says nothing of the news's year.
        date_story.push("an older day");
        let before = date.plus(-(rng.range(40, 400) as i64));
        mentions.push(format!(
            "Theo văn bản ngày {}, {}",
            before.full(rng),
            sentence(rng).to_lowercase()
        ));
    }
    if plan.body_month {
        date_story.push("a month of this year");
        mentions.push(format!(
            "{} trong tháng {}/{}.",
            sentence(rng).trim_end_matches('.'),
            date.m,
            date.y
        ));
    }
    for _ in 0..plan.body_years {
        date_story.push("năm this year");
        mentions.push(format!(
            "{} trong năm {}.",
            sentence(rng).trim_end_matches('.'),
            date.y
        ));
    }
    for _ in 0..plan.previous_year {
        date_story.push("năm last year");
        mentions.push(format!(
            "{} của năm {}.",
            sentence(rng).trim_end_matches('.'),
            date.y - 1
        ));
    }
    if plan.same_period {
        date_story.push("cùng kỳ năm last year");
        mentions.push(format!(
            "{}, tăng so với cùng kỳ năm {}.",
            sentence(rng).trim_end_matches('.'),
            date.y - 1
        ));
    }
    for _ in 0..plan.historical {
        date_story.push("historical");
        mentions.push(historical_sentence(rng, date));
    }
    for m in mentions {
        let at = rng.range(0, body.len() as u64) as usize;
        body.insert(at, m);
    }
    // Subheadings inside the body: short lines, no full stop, not repeated.
    if body.len() > 3 && rng.chance(0.2) {
        let at = rng.range(1, body.len() as u64 - 1) as usize;
        body.insert(at, capitalize(&words(rng, 3, 7)));
    }

    let mid_teasers = body.len() > 2 && rng.chance(0.25);
    let mid_lonely_heading = !mid_teasers && body.len() > 2 && rng.chance(0.1);
    let mid_at = if body.len() > 2 {
        rng.range(1, body.len() as u64 - 1) as usize
    } else {
        0
    };
    for (k, p) in body.iter().enumerate() {
        if k == mid_at && mid_teasers {
            let heading = rng.chance(0.5);
            let (block, teasers) = teaser_block(rng, t, heading, true);
            lines.extend(block);
            blank(&mut lines);
            push_teasers(teasers);
        }
        if k == mid_at && mid_lonely_heading {
            // A teaser heading with no teasers under it: what follows is still the body.
            lines.push(rng.pick(t.headings()).to_string());
            if rng.chance(0.5) {
                blank(&mut lines);
            }
        }
        lines.push(p.clone());
        blank(&mut lines);
        if k == 1 && rng.chance(0.3) {
            match t {
                Template::Pntd => {
                    let c = sentence(rng);
                    lines.push(format!("{c}{c}"));
                }
                Template::Ldtd => {
                    lines.push("undefined".into());
                    lines.push(format!("{} (Ảnh: {})", sentence(rng), person(rng)));
                }
            }
            blank(&mut lines);
        }
    }
    let mut author = person(rng);
    if rng.chance(0.5) {
        author = author.to_uppercase();
    }
    lines.push(author.clone());
    blank(&mut lines);
    if plan.byline_date {
        date_story.push("dated byline");
        lines.push(format!(
            "{} {:02}:{:02}",
            date.padded(),
            rng.range(6, 22),
            rng.range(0, 59)
        ));
        blank(&mut lines);
    }
    let mut conflicting = false;
    if plan.url && !date_story.contains(&"url at top") {
        date_story.push("url");
        lines.push(url(rng, t, date));
        blank(&mut lines);
    }
    if plan.conflicting {
        // A link to this article under an address of another year, beside a dated byline.
        date_story.push("conflict");
        conflicting = true;
        let other = Day {
            y: date.y - rng.range(2, 6) as i64,
            ..date
        };
        lines.push(format!(
            "{} {:02}:{:02}",
            date.padded(),
            rng.range(6, 22),
            rng.range(0, 59)
        ));
        blank(&mut lines);
        lines.push(url(rng, t, other));
        blank(&mut lines);
    }
    if rng.chance(0.9) {
        let blocks = rng.range(1, 2);
        for _ in 0..blocks {
            let heading = rng.chance(0.85);
            let (block, teasers) = teaser_block(rng, t, heading, false);
            lines.extend(block);
            push_teasers(teasers);
            blank(&mut lines);
        }
    }
    if t == Template::Ldtd {
        lines.push("Xem thêm".into());
        lines.push("Phiên bản di động".into());
    }
    Page {
        template: t,
        text: lines.join("\n"),
        title: story.title.clone(),
        lead: lead.clone(),
        body,
        author,
        teaser_texts,
        date,
        conflicting,
        dated: !conflicting
            && (plan.header_date
                || plan.byline_date
                || plan.url
                || plan.dateline
                || (plan.lead_phrase
                    && (plan.this_year || plan.body_deadline || plan.body_recent))),
        date_story,
    }
}
