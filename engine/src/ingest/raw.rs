//! Raw scraped page text (the seeds' format) into an [`Article`].
//!
//! A page is read as lines. The first is the title; then come the lead (sapo), body
//! paragraphs, captions and a byline, mixed with page chrome; then blocks of teasers for
//! other articles under headings such as `Tin cùng chuyên mục`.

use crate::article::{Article, Caption, Teaser};

use super::Reason;

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

/// Lines that are page furniture, never article text.
const CHROME: &[&str] = &[
    "Chia sẻ",
    "undefined",
    "Xem thêm",
    "Phiên bản di động",
    "Bình luận",
    "In bài viết",
    "Theo dõi",
    "Quay lại",
];

/// Headings that open a block of teasers for other articles.
const TEASER_HEADINGS: &[&str] = &[
    "Tin cùng chuyên mục",
    "Có thể bạn quan tâm",
    "Nên xem",
    "Tin khác",
    "Tin liên quan",
    "Đọc thêm",
    "Tin mới",
    "Tin mới nhất",
    "Cùng chuyên mục",
    "Bài viết liên quan",
];

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    /// A blank line stands between this line and the one before: a paragraph break.
    after_blank: bool,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut after_blank = false;
    for raw in text.split('\n') {
        let t = raw.trim();
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
    for mid in [n / 2, n.saturating_sub(1) / 2] {
        if !text.is_char_boundary(mid) {
            continue;
        }
        let (a, b) = text.split_at(mid);
        let b = b.trim_start();
        if !a.is_empty() && a == b {
            return Some(a);
        }
    }
    None
}

/// `… hội nghị. (Ảnh: Lương Toàn)` → caption text and credit.
fn caption(text: &str) -> Caption {
    let text = undouble(text).unwrap_or(text);
    if let Some(open) = text.rfind("(Ảnh") {
        if text.ends_with(')') {
            let inner = &text[open + 1..text.len() - 1];
            let credit = inner
                .split_once(':')
                .map(|(_, who)| who.trim())
                .filter(|who| !who.is_empty());
            return Caption {
                text: text[..open].trim().to_string(),
                credit: credit.map(str::to_string),
            };
        }
    }
    Caption {
        text: text.to_string(),
        credit: None,
    }
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', '…', ':', ';', '"', '”', ')'])
}

fn looks_like_caption(text: &str) -> bool {
    undouble(text).is_some() || (text.ends_with(')') && text.contains("(Ảnh"))
}

/// `HÀ LINH`, `Hoàng Phúc`: a short name on its own line, every word capitalised.
fn looks_like_byline(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && text.chars().count() <= 40
        && !ends_sentence(text)
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        })
}

/// Parses one scraped page. `id` becomes the article id.
pub fn parse(id: &str, text: &str) -> Result<Article, Reason> {
    let lines = lines(text);
    let Some((title, rest)) = lines.split_first() else {
        return Err(Reason::Empty);
    };
    let mut article = Article {
        id: id.to_string(),
        title: title.text.to_string(),
        ..Article::default()
    };

    let teaser_start = rest
        .iter()
        .position(|l| TEASER_HEADINGS.contains(&l.text))
        .unwrap_or(rest.len());
    let (main, teasers) = rest.split_at(teaser_start);

    let mut tags: Vec<&str> = Vec::new();
    let mut next_is_caption = false;
    let mut i = 0;
    while i < main.len() {
        let line = main[i];
        i += 1;
        if CHROME.contains(&line.text) {
            next_is_caption |= line.text == "undefined";
            continue;
        }
        if next_is_caption || looks_like_caption(line.text) {
            next_is_caption = false;
            article.captions.push(caption(line.text));
            continue;
        }
        if article.lead.is_none() {
            let lead = match split_outlet_tag(line.text) {
                Some((tag, rest)) => {
                    tags.push(tag);
                    rest
                }
                None => line.text,
            };
            article.lead = Some(lead.to_string());
            // Titles of linked articles glued into one line right under the lead.
            if let Some(next) = main.get(i) {
                if !next.after_blank && !ends_sentence(next.text) {
                    i += 1;
                }
            }
            continue;
        }
        article.body.push(line.text.to_string());
    }
    if article.body.last().is_some_and(|l| looks_like_byline(l)) {
        article.author = article.body.pop();
    }
    dedupe_captions(&mut article.captions);

    let mut j = 0;
    while j < teasers.len() {
        let line = teasers[j].text;
        j += 1;
        if TEASER_HEADINGS.contains(&line) || CHROME.contains(&line) {
            continue;
        }
        if let Some((tag, _)) = split_outlet_tag(line) {
            // A summary with no title before it: keep it with the last teaser.
            tags.push(tag);
            continue;
        }
        if teasers.get(j).is_some_and(|n| n.text == line) {
            j += 1;
        }
        let summary = teasers
            .get(j)
            .and_then(|n| split_outlet_tag(n.text))
            .map(|(tag, rest)| {
                tags.push(tag);
                j += 1;
                rest.to_string()
            });
        article.related.push(Teaser {
            title: line.to_string(),
            summary,
        });
    }

    // The lead's tag names the outlet; failing that, the first teaser's tag.
    article.source = tags
        .iter()
        .filter_map(|t| outlet_name(t))
        .next()
        .map(str::to_string);

    if article.body.is_empty() && article.lead.is_none() {
        return Err(Reason::NoBody);
    }
    Ok(article)
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
}
