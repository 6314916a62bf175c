//! Raw scraped page text (the seeds' format) into an [`Article`].
//!
//! A page is read as lines. The first is the title; then come the lead (sapo), body
//! paragraphs, captions and a byline, mixed with page chrome; then blocks of teasers for
//! other articles under headings such as `Tin cùng chuyên mục`.

use crate::article::{Article, Caption, Teaser};

use super::{date, Reason};

/// Outlet tags as they open a lead or a teaser, and the outlet's name. Add rows freely.
pub const OUTLETS: &[(&str, &str)] = &[
    ("PNTĐ", "Phụ nữ Thủ đô"),
    ("LĐTĐ", "Lao động Thủ đô"),
    ("HNM", "Hànộimới"),
    ("KTĐT", "Kinh tế & Đô thị"),
    ("NDO", "Nhân Dân"),
    ("TTXVN", "Thông tấn xã Việt Nam"),
    ("VOV", "VOV"),
    ("Dân trí", "Dân trí"),
    ("Dân Việt", "Dân Việt"),
];

/// Lines that are page furniture, never article text (compared ignoring case).
const CHROME: &[&str] = &[
    "Chia sẻ",
    "Chia sẻ bài viết",
    "undefined",
    "Xem thêm",
    "Phiên bản di động",
    "Bình luận",
    "Gửi bình luận",
    "In bài viết",
    "In bài",
    "Lưu",
    "Theo dõi",
    "Quay lại",
    "Trở lại",
    "Về đầu trang",
    "Trang chủ",
    "Facebook",
    "Zalo",
    "Copy link",
];

/// Headings that open a block of teasers for other articles (compared ignoring case and a
/// trailing colon).
const TEASER_HEADINGS: &[&str] = &[
    "Tin cùng chuyên mục",
    "Cùng chuyên mục",
    "Có thể bạn quan tâm",
    "Nên xem",
    "Tin khác",
    "Các tin khác",
    "Tin liên quan",
    "Bài liên quan",
    "Bài viết liên quan",
    "Tin bài liên quan",
    "Đọc thêm",
    "Tin mới",
    "Tin mới nhất",
    "Mới nhất",
    "Đọc nhiều",
    "Tin đọc nhiều",
    "Xem nhiều",
    "Tin nổi bật",
];

fn is_one_of(text: &str, list: &[&str]) -> bool {
    let text = text.trim_end_matches(':').trim_end();
    // Chrome lines are short: skip the lowercasing for paragraphs.
    if text.len() > 40 {
        return false;
    }
    let text = text.to_lowercase();
    list.iter().any(|item| item.to_lowercase() == text)
}

fn is_chrome(text: &str) -> bool {
    is_one_of(text, CHROME)
}

fn is_teaser_heading(text: &str) -> bool {
    is_one_of(text, TEASER_HEADINGS)
}

#[derive(Debug, Clone)]
struct Line {
    /// The line, whitespace runs collapsed to one space.
    text: String,
    /// A blank line stands between this line and the one before: a paragraph break.
    after_blank: bool,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut after_blank = false;
    for raw in text.split('\n') {
        let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            after_blank = true;
        } else {
            out.push(Line {
                text: t,
                after_blank,
            });
            after_blank = false;
        }
    }
    out
}

/// Splits `(LĐTĐ) Trước những…` or `(PNTĐ) - Bà…` into the tag and the rest.
pub fn split_outlet_tag(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('(')?;
    let close = inner.find(')')?;
    let tag = &inner[..close];
    let len = tag.chars().count();
    if len == 0 || len > 12 || !tag.chars().next()?.is_uppercase() {
        return None;
    }
    let rest = inner[close + 1..]
        .trim_start_matches(|c: char| c.is_whitespace() || c == '-' || c == '–' || c == '—');
    Some((tag, rest))
}

pub fn outlet_name(tag: &str) -> Option<&'static str> {
    OUTLETS
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, name)| *name)
}

/// A caption glued to itself by the page (`X.X` or `X X`): returns `X`.
fn undouble(text: &str) -> Option<&str> {
    let n = text.len();
    for mid in [n / 2, n.saturating_sub(1) / 2, n.div_ceil(2)] {
        if !text.is_char_boundary(mid) {
            continue;
        }
        let (a, b) = text.split_at(mid);
        let (a, b) = (a.trim_end(), b.trim_start());
        if a.chars().count() >= 8 && a == b {
            return Some(a);
        }
    }
    None
}

/// The credit at the end of a caption: `… hội nghị. (Ảnh: Lương Toàn)` or
/// `… hội nghị. Ảnh: Lương Toàn`. Returns the text before it and the name.
fn split_credit(text: &str) -> Option<(&str, Option<&str>)> {
    if let Some(open) = text.rfind("(Ảnh") {
        if text.ends_with(')') {
            let inner = &text[open + 1..text.len() - 1];
            let credit = inner
                .split_once(':')
                .map(|(_, who)| who.trim())
                .filter(|who| !who.is_empty());
            return Some((text[..open].trim(), credit));
        }
    }
    // `Ảnh: NAME` after the end of a sentence, NAME a few words with no sentence in it.
    let at = text.rfind("Ảnh:")?;
    let before = text[..at].trim_end();
    let who = text[at + "Ảnh:".len()..].trim();
    let short_name =
        !who.is_empty() && who.split_whitespace().count() <= 6 && !who.ends_with(['.', '!', '?']);
    let after_sentence = before.is_empty() || before.ends_with(['.', '!', '?', '-', '–', ')']);
    (short_name && after_sentence).then(|| {
        let before = before.trim_end_matches(['-', '–']).trim_end();
        (before, Some(who))
    })
}

/// A caption line into its text and credit, undoubled.
fn caption(text: &str) -> Caption {
    let text = undouble(text).unwrap_or(text);
    match split_credit(text) {
        Some((before, credit)) => Caption {
            text: before.to_string(),
            credit: credit.map(str::to_string),
        },
        None => Caption {
            text: text.to_string(),
            credit: None,
        },
    }
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', '…', ':', ';', '"', '”', ')'])
}

fn looks_like_caption(text: &str) -> bool {
    undouble(text).is_some() || split_credit(text).is_some_and(|(_, credit)| credit.is_some())
}

/// A name as bylines write it: capitalised words (`HÀ LINH`, `Hoàng Phúc`, `Nhóm PV`).
fn looks_like_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '.')
        })
}

/// `HÀ LINH`, `Hoàng Phúc`, `Minh Anh - Quốc Huy`: short names on their own line.
fn looks_like_byline(text: &str) -> bool {
    text.chars().count() <= 60
        && !ends_sentence(text)
        && text
            .split([',', '-', '–'])
            .flat_map(|p| p.split(" và "))
            .all(|p| looks_like_name(p.trim()))
}

/// An outlet tag as it opens a teaser's summary: a known outlet's, or capitals
/// (`(TTXVN)`), never a parenthesis of the text (`(Ảnh minh họa)`).
fn outlet_tag(text: &str) -> Option<(&str, &str)> {
    split_outlet_tag(text).filter(|(tag, _)| {
        outlet_name(tag).is_some()
            || tag
                .chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == ' ')
    })
}

/// A line a title can be: a headline does not end with a full stop.
fn headline_like(text: &str) -> bool {
    !text.ends_with(['.', ':', ';']) && text.chars().count() <= 250
}

/// Pages glue a teaser's summary to the next teaser's title (`(LĐTĐ) Tóm tắt.Tin sau`),
/// whose repeat follows: split such a line in two, so each teaser reads as its own lines.
fn unglue_teasers(lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for (k, line) in lines.iter().enumerate() {
        let split = lines.get(k + 1).and_then(|next| {
            let summary = line.text.strip_suffix(next.text.as_str())?.trim_end();
            // A tagged summary with text of its own before the title.
            outlet_tag(summary)
                .is_some_and(|(_, text)| !text.is_empty())
                .then_some(summary)
        });
        match split {
            Some(summary) => {
                let title = line.text[summary.len()..].trim_start().to_string();
                out.push(Line {
                    text: summary.to_string(),
                    after_blank: line.after_blank,
                });
                out.push(Line {
                    text: title,
                    after_blank: false,
                });
            }
            None => out.push(line.clone()),
        }
    }
    out
}

/// One teaser read at a line: how many lines it takes, the teaser and its summary's tag.
struct TeaserAt<'a> {
    lines: usize,
    teaser: Teaser,
    tag: Option<&'a str>,
}

/// How a block of teasers may be read beyond their structure.
#[derive(Clone, Copy)]
struct Block {
    /// Under a teaser heading.
    open: bool,
    /// The page's teaser summaries carry the outlet tag, so an untagged sentence after a
    /// title is the article's text again, not a summary.
    tagged_summaries: bool,
}

/// The teaser that starts at `lines[i]`, if one does. Anywhere, a teaser shows its
/// structure: a title then the same title again, or a title then a summary opening with an
/// outlet tag. In a block under a teaser heading, a title and an untagged summary (on pages
/// whose summaries have no tag), or a title alone before another title or the end, is a
/// teaser too.
fn teaser_at<'a>(lines: &'a [Line], i: usize, block: Block) -> Option<TeaserAt<'a>> {
    let title = lines[i].text.as_str();
    // A title reads as a headline; a paragraph a scrape repeats is still the article's.
    if !headline_like(title)
        || outlet_tag(title).is_some()
        || is_chrome(title)
        || is_teaser_heading(title)
    {
        return None;
    }
    let mut j = i + 1;
    let repeated = lines.get(j).is_some_and(|n| n.text == title);
    if repeated {
        j += 1;
    }
    let mut summary = None;
    let mut tag = None;
    if let Some(next) = lines.get(j).map(|n| n.text.as_str()) {
        if let Some((t, rest)) = outlet_tag(next) {
            tag = Some(t);
            summary = Some(rest.to_string()).filter(|s| !s.is_empty());
            j += 1;
        } else if block.open
            && !block.tagged_summaries
            && ends_sentence(next)
            && !is_chrome(next)
            && !is_teaser_heading(next)
            // A title is repeated after itself; a summary is not.
            && lines.get(j + 1).is_none_or(|after| after.text != next)
        {
            summary = Some(next.to_string());
            j += 1;
        }
    }
    let structured = repeated || tag.is_some();
    // A lone title stands before another title, a heading, chrome or the end, never
    // before a paragraph (then it is a subheading of the article).
    let alone = block.open
        && lines.get(j).is_none_or(|n| {
            !ends_sentence(&n.text) || is_chrome(&n.text) || is_teaser_heading(&n.text)
        });
    (structured || summary.is_some() || alone).then(|| TeaserAt {
        lines: j - i,
        teaser: Teaser {
            title: title.to_string(),
            summary,
        },
        tag,
    })
}

/// Finds the teasers among `lines` (those after the lead): blocks of them wherever they
/// are, a teaser heading opening one when a teaser follows it. Returns which lines are
/// teasers or headings (never body) and the teasers, each title once.
fn take_teasers<'a>(lines: &'a [Line], tags: &mut Vec<&'a str>) -> (Vec<bool>, Vec<Teaser>) {
    let mut taken = vec![false; lines.len()];
    let mut related: Vec<Teaser> = Vec::new();
    let tagged_summaries = lines.iter().any(|l| outlet_tag(&l.text).is_some());
    let mut block = Block {
        open: false,
        tagged_summaries,
    };
    let mut i = 0;
    while i < lines.len() {
        let text = lines[i].text.as_str();
        if is_teaser_heading(text) {
            // A heading is never article text; it opens a block only over teasers.
            taken[i] = true;
            let next = (i + 1..lines.len())
                .find(|&k| !is_chrome(&lines[k].text) && !is_teaser_heading(&lines[k].text));
            let under_heading = Block {
                open: true,
                ..block
            };
            block.open = next.is_some_and(|k| teaser_at(lines, k, under_heading).is_some());
            i += 1;
            continue;
        }
        if is_chrome(text) {
            i += 1;
            continue;
        }
        if let Some(found) = teaser_at(lines, i, block) {
            taken[i..i + found.lines].iter_mut().for_each(|t| *t = true);
            tags.extend(found.tag);
            if !related.iter().any(|t| t.title == found.teaser.title) {
                related.push(found.teaser);
            }
            i += found.lines;
            continue;
        }
        if let Some((tag, _)) = outlet_tag(text) {
            // A summary with no title before it: only its tag is of use.
            taken[i] = true;
            tags.push(tag);
            i += 1;
            continue;
        }
        block.open = false;
        i += 1;
    }
    (taken, related)
}

/// Where the lead is among `lines` (the page after its title): the first line that is not
/// chrome, a caption or a lone outlet tag; `None` when a teaser heading comes first.
fn lead_index(lines: &[Line]) -> Option<usize> {
    let mut next_is_caption = false;
    for (k, line) in lines.iter().enumerate() {
        let text = line.text.as_str();
        if is_chrome(text) {
            next_is_caption = text == "undefined";
            continue;
        }
        let follows_image = next_is_caption && !line.after_blank;
        next_is_caption = false;
        if follows_image || looks_like_caption(text) {
            continue;
        }
        if is_teaser_heading(text) {
            return None;
        }
        if split_outlet_tag(text).is_some_and(|(_, rest)| rest.is_empty()) {
            continue;
        }
        return Some(k);
    }
    None
}

/// Parses one scraped page. `id` becomes the article id.
pub fn parse(id: &str, text: &str) -> Result<Article, Reason> {
    parse_page(id, text).map(|(article, _)| article)
}

/// Parses one scraped page, with notes for the report (a date left empty, and why).
pub fn parse_page(id: &str, text: &str) -> Result<(Article, Vec<String>), Reason> {
    let lines: Vec<Line> = lines(text)
        .into_iter()
        .skip_while(|l| is_chrome(&l.text))
        .collect();
    let Some((title, rest)) = lines.split_first() else {
        return Err(Reason::Empty);
    };
    // A page that opens with a tagged lead or a teaser heading has lost its title.
    if split_outlet_tag(&title.text).is_some() || is_teaser_heading(&title.text) {
        return Err(Reason::NoTitle);
    }
    let mut article = Article {
        id: id.to_string(),
        title: title.text.clone(),
        ..Article::default()
    };
    // Some scrapes repeat the title on the next line.
    let rest = match rest.split_first() {
        Some((again, tail)) if again.text == title.text => tail,
        _ => rest,
    };
    // Lines that only date the page, and its address: furniture, and evidence of when the
    // page was published.
    let mut published = Vec::new();
    let mut main: Vec<Line> = Vec::with_capacity(rest.len());
    for line in rest {
        if let Some((year, month, day)) = date::date_line(&line.text) {
            published.push(date::Published {
                year,
                day: Some((month, day)),
                from: date::Source::DateLine,
            });
        } else if line.text.starts_with("http://") || line.text.starts_with("https://") {
            if let Some((year, month, day)) = date::from_url(&line.text) {
                published.push(date::Published {
                    year,
                    day: Some((month, day)),
                    from: date::Source::Url,
                });
            }
            article.url.get_or_insert_with(|| line.text.clone());
        } else {
            main.push(line.clone());
        }
    }
    let main = unglue_teasers(main);

    // Teasers are looked for after the lead (and the titles glued under it).
    let scan_from = match lead_index(&main) {
        Some(k) => {
            let glued = main
                .get(k + 1)
                .is_some_and(|n| !n.after_blank && !ends_sentence(&n.text));
            k + 1 + usize::from(glued)
        }
        None => 0,
    };
    let mut tags: Vec<&str> = Vec::new();
    let mut teaser_tags: Vec<&str> = Vec::new();
    let (taken, related) = take_teasers(&main[scan_from.min(main.len())..], &mut teaser_tags);
    let is_teaser = |k: usize| k >= scan_from && taken[k - scan_from];

    let mut next_is_caption = false;
    let mut i = 0;
    while i < main.len() {
        let line = &main[i].text;
        i += 1;
        if is_teaser(i - 1) {
            continue;
        }
        if is_chrome(line) {
            // `undefined` is where a broken image was: its caption follows on the next
            // line (a paragraph after a blank line is text, not a caption).
            next_is_caption = line == "undefined";
            continue;
        }
        let follows_image = next_is_caption && !main[i - 1].after_blank;
        next_is_caption = false;
        if follows_image || looks_like_caption(line) {
            article.captions.push(caption(line));
            continue;
        }
        if article.lead.is_none() {
            let lead = match split_outlet_tag(line) {
                Some((tag, rest)) => {
                    tags.push(tag);
                    rest
                }
                None => line,
            };
            if lead.is_empty() {
                // The tag on a line of its own: the lead is the next line.
                continue;
            }
            article.lead = Some(lead.to_string());
            // Titles of linked articles glued into one line right under the lead.
            if let Some(next) = main.get(i) {
                if !next.after_blank && !ends_sentence(&next.text) {
                    i += 1;
                }
            }
            continue;
        }
        article.body.push(line.clone());
    }
    if article.body.last().is_some_and(|l| looks_like_byline(l)) {
        article.author = article.body.pop();
    }
    dedupe_captions(&mut article.captions);
    article.related = related;
    tags.extend(teaser_tags);

    // The lead's tag names the outlet; failing that, the teasers' (same site).
    article.source = tags.iter().find_map(|t| outlet_name(t)).map(str::to_string);

    if article.body.is_empty() && article.lead.is_none() {
        return Err(Reason::NoBody);
    }
    let opening = article
        .lead
        .iter()
        .chain(article.body.iter().take(2))
        .map(String::as_str);
    let everything = std::iter::once(article.title.as_str())
        .chain(article.lead.iter().map(String::as_str))
        .chain(article.body.iter().map(String::as_str))
        .chain(article.captions.iter().map(|c| c.text.as_str()));
    let mut notes = Vec::new();
    match date::infer_page(opening, everything, &published) {
        date::Inferred::Date(d) => article.date = Some(d),
        date::Inferred::Unknown => {}
        date::Inferred::Conflict(why) => notes.push(format!("date left empty: {why}")),
    }
    Ok((article, notes))
}

fn dedupe_captions(captions: &mut Vec<Caption>) {
    let mut seen = std::collections::HashSet::new();
    captions.retain(|c| seen.insert(c.text.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_tags_split_from_the_lead() {
        assert_eq!(
            split_outlet_tag("(LĐTĐ) Trước những"),
            Some(("LĐTĐ", "Trước những"))
        );
        assert_eq!(
            split_outlet_tag("(PNTĐ) - Bà Diane"),
            Some(("PNTĐ", "Bà Diane"))
        );
        assert_eq!(split_outlet_tag("(huyện Thanh Trì)."), None);
        assert_eq!(outlet_name("PNTĐ"), Some("Phụ nữ Thủ đô"));
    }

    #[test]
    fn glued_captions_are_undoubled_and_credits_kept() {
        assert_eq!(undouble("Ảnh một.Ảnh một."), Some("Ảnh một."));
        assert_eq!(undouble("Ảnh một. Ảnh một."), Some("Ảnh một."));
        assert_eq!(undouble("Không lặp lại"), None);
        let c = caption("Quang cảnh hội nghị. (Ảnh: Lương Toàn)");
        assert_eq!(c.text, "Quang cảnh hội nghị.");
        assert_eq!(c.credit.as_deref(), Some("Lương Toàn"));
    }

    #[test]
    fn only_the_line_right_under_a_broken_image_is_its_caption() {
        let page = "Tiêu đề\n\nLời dẫn.\n\nundefined\n\nĐoạn sau ảnh, không phải chú thích.\n\nundefined\nChú thích ảnh\n\nĐoạn cuối.";
        let a = parse("x", page).unwrap();
        assert_eq!(
            a.body,
            ["Đoạn sau ảnh, không phải chú thích.", "Đoạn cuối."]
        );
        assert_eq!(
            a.captions,
            [Caption {
                text: "Chú thích ảnh".into(),
                credit: None
            }]
        );
    }

    #[test]
    fn a_tag_on_its_own_line_opens_the_lead_below_it() {
        let a = parse("x", "Tiêu đề\n\n(PNTĐ)\nLời dẫn.\n\nĐoạn một.").unwrap();
        assert_eq!(a.lead.as_deref(), Some("Lời dẫn."));
        assert_eq!(a.source.as_deref(), Some("Phụ nữ Thủ đô"));
        assert_eq!(a.body, ["Đoạn một."]);
    }

    #[test]
    fn bylines_are_short_capitalised_names() {
        assert!(looks_like_byline("HÀ LINH"));
        assert!(looks_like_byline("Hoàng Phúc"));
        assert!(!looks_like_byline("Hà Nội đang diễn biến phức tạp."));
        assert!(!looks_like_byline("Tin cùng chuyên mục"));
    }

    #[test]
    fn a_small_page_parses_into_fields() {
        let page = "Tiêu đề bài\n\nChia sẻ\n\n(LĐTĐ) Lời dẫn bài.\nTin A Tin B\n\nĐoạn một.\n\nundefined\nẢnh hội nghị. (Ảnh: Minh)\n\nĐoạn hai.\n\nNguyễn An\n\nTin khác\n\nBài khác\n\nBài khác\n\n(LĐTĐ) Tóm tắt.\nXem thêm\n";
        let a = parse("x", page).unwrap();
        assert_eq!(a.title, "Tiêu đề bài");
        assert_eq!(a.lead.as_deref(), Some("Lời dẫn bài."));
        assert_eq!(a.body, ["Đoạn một.", "Đoạn hai."]);
        assert_eq!(a.author.as_deref(), Some("Nguyễn An"));
        assert_eq!(a.source.as_deref(), Some("Lao động Thủ đô"));
        assert_eq!(
            a.captions,
            [Caption {
                text: "Ảnh hội nghị.".into(),
                credit: Some("Minh".into())
            }]
        );
        assert_eq!(
            a.related,
            [Teaser {
                title: "Bài khác".into(),
                summary: Some("Tóm tắt.".into())
            }]
        );
    }

    #[test]
    fn a_paragraph_repeated_by_the_scrape_stays_in_the_body() {
        let page = "Tiêu đề\n\nLời dẫn.\n\nĐoạn lặp lại.\n\nĐoạn lặp lại.\n\nĐoạn cuối.";
        let a = parse("x", page).unwrap();
        assert_eq!(a.body, ["Đoạn lặp lại.", "Đoạn lặp lại.", "Đoạn cuối."]);
        assert_eq!(a.related, []);
    }

    #[test]
    fn a_title_with_its_repeat_is_a_teaser_wherever_it_stands() {
        let page = "Tiêu đề\n\nLời dẫn.\n\nĐoạn một.\n\nTin khác hay\n\nTin khác hay\n\nĐoạn hai.";
        let a = parse("x", page).unwrap();
        assert_eq!(a.body, ["Đoạn một.", "Đoạn hai."]);
        assert_eq!(a.related.len(), 1);
        assert_eq!(a.related[0].title, "Tin khác hay");
        assert_eq!(a.related[0].summary, None);
    }
}
