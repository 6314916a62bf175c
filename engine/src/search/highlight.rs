//! Highlights and snippets: which words of a text match the query, as byte ranges on the
//! original accented text, and the passage that best shows why an article matched.

use std::borrow::Cow;
use std::cell::OnceCell;

use rustc_hash::FxHashMap;

use super::parse::{ExpansionKind, Word};
use crate::index::{field_texts, Index, Posting, BODY, LEAD, TITLE};
use crate::text;

/// Characters a snippet aims for.
pub(super) const SNIPPET_CHARS: usize = 220;

/// The start of `passage` that a snippet without marks reads ([`window_of`] with none):
/// a row with no query shows only that much of its first passage, so a sharded archive's
/// head files store no more (`shard::write`).
pub(crate) fn unmarked_snippet_source(passage: &str) -> &str {
    // One character past the window, so the cut and its `…` come out the same.
    passage
        .char_indices()
        .nth(SNIPPET_CHARS + 1)
        .map_or(passage, |(end, _)| &passage[..end])
}

/// Text with byte ranges to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marked {
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text`.
    pub marks: Vec<(usize, usize)>,
}

impl Marked {
    /// The text cut into runs, each flagged as highlighted or not: what a UI renders.
    /// Marks that are out of order, out of range or inside a character are skipped, so a
    /// bad range can never take the UI down.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(s, e) in &self.marks {
            let (Some(before), Some(marked)) = (self.text.get(at..s), self.text.get(s..e)) else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((marked, true));
            at = e;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out
    }

    /// The marks as ranges of characters (Unicode scalar values) rather than bytes, for
    /// consumers that index text by character. Bad byte ranges are skipped.
    pub fn char_marks(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(self.marks.len());
        let (mut byte, mut chars) = (0usize, 0usize);
        for &(s, e) in &self.marks {
            if s < byte || e < s || self.text.get(s..e).is_none() {
                continue;
            }
            let start = chars + self.text[byte..s].chars().count();
            let end = start + self.text[s..e].chars().count();
            out.push((start, end));
            byte = e;
            chars = end;
        }
        out
    }
}

/// The postings of each query word's keys (`[word][key]`, as in [`Matcher::words`]),
/// each looked up when first needed: once for a page of hits, not once per hit.
pub(super) struct KeyPostings<'i> {
    looked_up: Vec<Vec<OnceCell<Option<&'i [Posting]>>>>,
}

impl<'i> KeyPostings<'i> {
    pub(super) fn new(m: &Matcher) -> KeyPostings<'i> {
        KeyPostings {
            looked_up: m
                .words
                .iter()
                .map(|w| w.keys.iter().map(|_| OnceCell::new()).collect())
                .collect(),
        }
    }

    /// The postings of `term`, key `key` of word `word`.
    fn get(&self, index: &'i Index, word: usize, key: usize, term: &str) -> Option<&'i [Posting]> {
        *self.looked_up[word][key].get_or_init(|| index.folded.get(term))
    }
}

/// Tells which query word, if any, a word or span of text matches: every key of every
/// word in one hash map, prefixes apart. Corrections are left out: [`Index::matcher_for`]
/// adds those that matched one article.
#[derive(Default, Clone)]
pub(super) struct Matcher<'a> {
    pub(super) keys: FxHashMap<&'a str, usize>,
    pub(super) prefixes: Vec<(&'a str, usize)>,
    /// The query words, in the order the matches number them.
    pub(super) words: Vec<&'a Word>,
    /// Some key is a compound or synonym key, which only the full analyzer sees.
    pub(super) spans: bool,
    /// Which words of a text may be a key or begin with a prefix, answered before the
    /// hash map: a snippet looks up every word of the passages it reads, and nearly all
    /// are no key (hashing them was a fifth of a keystroke's engine time in wasm).
    sieve: Sieve,
}

/// The first bytes and lengths of a [`Matcher`]'s keys, and the first bytes of its
/// prefixes: a word neither could match is no key and begins no prefix.
#[derive(Default, Clone)]
struct Sieve {
    key_first: [u64; 4],
    /// Bit `min(len, 63)` for each key's length in bytes.
    key_len: u64,
    prefix_first: [u64; 4],
}

fn has_byte(set: &[u64; 4], b: u8) -> bool {
    set[usize::from(b >> 6)] >> (b & 63) & 1 == 1
}

fn put_byte(set: &mut [u64; 4], b: u8) {
    set[usize::from(b >> 6)] |= 1 << (b & 63);
}

impl Sieve {
    fn add_key(&mut self, key: &str) {
        if let Some(&b) = key.as_bytes().first() {
            put_byte(&mut self.key_first, b);
            self.key_len |= 1 << key.len().min(63);
        }
    }

    fn add_prefix(&mut self, prefix: &str) {
        match prefix.as_bytes().first() {
            Some(&b) => put_byte(&mut self.prefix_first, b),
            // An empty prefix begins every word.
            None => self.prefix_first = [u64::MAX; 4],
        }
    }

    /// False only where a word whose folded form begins with `b` is surely no key and
    /// begins no prefix, whatever follows. (`y` may become `i` once the word is whole,
    /// and a letter not folded to ASCII is left to the whole word.)
    #[inline]
    fn may_begin(&self, b: u8) -> bool {
        !b.is_ascii()
            || has_byte(&self.key_first, b)
            || has_byte(&self.prefix_first, b)
            || b == b'y'
    }

    /// False only where `folded` is surely no key and begins no prefix (the empty word,
    /// which only an empty key matches, is left to the map).
    #[inline]
    fn may_match(&self, folded: &str) -> bool {
        let Some(&b) = folded.as_bytes().first() else {
            return true;
        };
        (has_byte(&self.key_first, b) && self.key_len >> folded.len().min(63) & 1 == 1)
            || has_byte(&self.prefix_first, b)
    }
}

impl<'a> Matcher<'a> {
    /// `typing`: the last word also matches as a prefix (in results), or is whole (in an
    /// opened article).
    pub(super) fn new(words: &[&'a Word], typing: bool) -> Matcher<'a> {
        let mut m = Matcher {
            words: words.to_vec(),
            ..Matcher::default()
        };
        for (i, w) in words.iter().enumerate() {
            for k in &w.keys {
                if (!typing && k.kind == ExpansionKind::Prefix) || k.kind == ExpansionKind::Typo {
                    continue;
                }
                m.add_key(k.term.as_str(), i);
                m.spans |= !k.term.chars().all(char::is_alphanumeric);
            }
            // A prefix marks every word it begins, but one letter begins a good part of
            // any text: it marks only the words its expansion weighed (its keys, above),
            // those that brought the hit in. (Every word begun by a letter made a row hold
            // 7–15 marks that the next letter took away: the dirtiest keystrokes' layout.)
            let begun_by = w
                .prefix
                .as_ref()
                .filter(|p| typing && p.chars().nth(1).is_some());
            if let Some(p) = begun_by {
                m.prefixes.push((p.as_str(), i));
                m.sieve.add_prefix(p);
            }
        }
        m
    }

    /// `key` matches word `i`, unless an earlier word has it.
    fn add_key(&mut self, key: &'a str, i: usize) {
        self.keys.entry(key).or_insert(i);
        self.sieve.add_key(key);
    }

    #[inline]
    pub(super) fn token(&self, folded: &str) -> Option<usize> {
        if !self.sieve.may_match(folded) {
            return None;
        }
        self.keys.get(folded).copied().or_else(|| {
            self.prefixes
                .iter()
                .find(|(p, _)| folded.starts_with(p))
                .map(|&(_, i)| i)
        })
    }

    pub(super) fn span(&self, key: &str) -> Option<usize> {
        self.keys.get(key).copied()
    }
}

impl<'i> Index {
    /// `m` with the corrections that matched article `doc`: for each query word the
    /// article does not have as typed (nor as read from Telex or as an abbreviation),
    /// the correction worth the most there. A correction that did not bring the article
    /// in is not marked, nor are the frequent words one edit from a word it has. `m`
    /// itself (no copy) when no correction matched, as for most hits.
    pub(super) fn matcher_for<'m, 'a>(
        &'i self,
        m: &'m Matcher<'a>,
        doc: u32,
        postings: &KeyPostings<'i>,
    ) -> Cow<'m, Matcher<'a>> {
        let has = |p: &[Posting]| p.binary_search_by_key(&doc, |p| p.doc).is_ok();
        let mut corrections: Vec<(&'a str, usize)> = Vec::new();
        for (i, w) in m.words.iter().enumerate() {
            let typed_here = w.keys.iter().enumerate().any(|(j, k)| {
                !k.kind.is_other_word() && postings.get(self, i, j, &k.term).is_some_and(has)
            });
            if typed_here {
                continue;
            }
            let best = w
                .keys
                .iter()
                .enumerate()
                .filter(|(_, k)| k.kind == ExpansionKind::Typo)
                .filter_map(|(j, k)| {
                    let p = postings.get(self, i, j, &k.term)?;
                    has(p).then(|| (k.weight * self.idf(p.len()), k.term.as_str()))
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)));
            if let Some((_, term)) = best {
                corrections.push((term, i));
            }
        }
        if corrections.is_empty() {
            return Cow::Borrowed(m);
        }
        let mut out = m.clone();
        for (term, i) in corrections {
            out.add_key(term, i);
        }
        Cow::Owned(out)
    }

    /// The passage of the article that best shows why it matched.
    pub(super) fn snippet(&self, doc: u32, m: &Matcher) -> Marked {
        let fields = field_texts(&self.articles[doc as usize]);
        let mut best: Option<(usize, &str)> = None;
        let mut buf = String::new();
        let mut seen = vec![false; m.words.len()];
        // The plain words' hits of a passage, and of the best so far: its marks, so the
        // passage chosen is not read again to mark it.
        let (mut at, mut best_at) = (Vec::new(), Vec::new());
        // No passage can score more than this: the first to reach it is the snippet, so
        // the rest of a long article need not be read (the costly part of a keystroke).
        let best_possible = m.words.len() * 4 + if m.words.len() > 1 { 3 } else { 0 };
        for text in fields[LEAD].iter().chain(&fields[BODY]) {
            // Compounds and synonyms need the whole analyzer; plain words a quick fold.
            let score = if m.spans {
                passage_score(word_hits(&light(text), m).into_iter(), &mut seen)
            } else {
                quick_hits_into(text, m, &mut buf, &mut at);
                passage_score(at.iter().map(|&(h, _)| h), &mut seen)
            };
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, text));
                std::mem::swap(&mut at, &mut best_at);
                if score >= best_possible {
                    break;
                }
            }
        }
        match best {
            // The same marks as `mark` finds, kept from choosing the passage.
            Some((_, passage)) if !m.spans => {
                window_of(passage, best_at.into_iter().map(|(_, r)| r).collect())
            }
            Some((_, passage)) => window(passage, m),
            None => fields[TITLE]
                .first()
                .map(|t| window(t, m))
                .unwrap_or_default(),
        }
    }
}

/// How well a passage with these hits (in text order) shows the query: 4 for each query
/// word it has, and 1 for each of up to 3 query words right after the one before.
/// `seen` (one per query word) is worked in.
fn passage_score(hits: impl Iterator<Item = Hit3>, seen: &mut [bool]) -> usize {
    seen.iter_mut().for_each(|s| *s = false);
    let mut together = 0;
    let mut previous: Option<Hit3> = None;
    for h in hits {
        seen[h.2] = true;
        if previous.is_some_and(|p| h.2 == p.2 + 1 && h.0 == p.1) {
            together += 1;
        }
        previous = Some(h);
    }
    seen.iter().filter(|s| **s).count() * 4 + together.min(3)
}

/// A match of a query word in a text: `(first word, end word, query word number)`.
pub(super) type Hit3 = (usize, usize, usize);

/// [`word_hits`] for plain words without running the analyzer: each word of the text is
/// folded on the fly into `buf` and looked up. Also gives each hit's byte range.
pub(super) fn quick_hits_at(
    text: &str,
    m: &Matcher,
    buf: &mut String,
) -> Vec<(Hit3, (usize, usize))> {
    let mut out = Vec::new();
    quick_hits_into(text, m, buf, &mut out);
    out
}

/// [`quick_hits_at`] into `out` (cleared first), so a caller reuses one buffer.
fn quick_hits_into(
    text: &str,
    m: &Matcher,
    buf: &mut String,
    out: &mut Vec<(Hit3, (usize, usize))>,
) {
    out.clear();
    let mut n = 0;
    buf.clear();
    let mut start = None;
    // `text::push_folded` and `text::is_word_char` byte by byte, inlined: ASCII without
    // decoding, Latin letters from the folding table, anything else the full way. The
    // end of the text ends a word as a space does. (The loop this replaces, a call per
    // character, was a third of a keystroke's engine time in wasm.)
    //
    // A word whose first folded byte begins no key and no prefix is not folded further
    // (`skip`): most words of a passage are passed over after their first letter.
    let bytes = text.as_bytes();
    let latin = text::latin_fold_table();
    let mut skip = false;
    let mut i = 0;
    while i <= bytes.len() {
        let (word_char, len) = match bytes.get(i) {
            None => (false, 1),
            Some(&b) if b.is_ascii() => {
                let word_char = b.is_ascii_alphanumeric();
                if word_char && !skip {
                    buf.push(char::from(b.to_ascii_lowercase()));
                }
                (word_char, 1)
            }
            Some(_) => {
                let c = text[i..].chars().next().unwrap_or(' ');
                let word_char = text::is_word_char(c);
                if word_char && !skip {
                    match latin.get(c as usize) {
                        Some(&f) if f != 0 => buf.push(char::from(f)),
                        _ => text::push_folded(c, buf),
                    }
                }
                (word_char, c.len_utf8())
            }
        };
        if word_char {
            if start.is_none() {
                start = Some(i);
                // Nothing folded (a mark alone) or not ASCII: folded the whole way.
                skip = buf
                    .as_bytes()
                    .first()
                    .is_some_and(|&b| !m.sieve.may_begin(b));
            }
        } else if let Some(s) = start.take() {
            if !skip {
                // Only a final `y` (or a non-ASCII letter) may change.
                if buf
                    .as_bytes()
                    .last()
                    .is_some_and(|&b| b == b'y' || !b.is_ascii())
                {
                    text::unify_i_y(buf);
                }
                if let Some(w) = m.token(buf) {
                    out.push(((n, n + 1, w), (s, i)));
                }
            }
            skip = false;
            n += 1;
            buf.clear();
        }
        i += len;
    }
}

/// Matches of query words in analyzed text: `(first token, end token, word number)`,
/// sorted by position.
pub(super) fn word_hits(a: &Light, m: &Matcher) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (i, f) in a.folded.iter().enumerate() {
        if let Some(w) = m.token(f) {
            out.push((i, i + 1, w));
        }
    }
    for s in &a.spans {
        if let Some(w) = m.span(&s.key) {
            out.push((s.first, s.last, w));
        }
    }
    crate::order::all_in_order(out, Ord::cmp)
}

/// The analyzer's words and spans without the exact keys, which highlighting never needs:
/// each word is folded character by character.
pub(super) struct Light {
    pub(super) ranges: Vec<(usize, usize)>,
    pub(super) folded: Vec<String>,
    pub(super) spans: Vec<text::Span>,
    /// `pair[i]`: words `i` and `i + 1` have only spaces between them.
    pub(super) pair: Vec<bool>,
}

pub(super) fn light(t: &str) -> Light {
    let ranges = text::word_ranges(t);
    let folded: Vec<String> = ranges.iter().map(|&(s, e)| text::fold(&t[s..e])).collect();
    let names: Vec<&str> = folded.iter().map(String::as_str).collect();
    let (spans, pair) = text::spans(t, &ranges, &names);
    Light {
        ranges,
        folded,
        spans,
        pair,
    }
}

/// Marks the words of `text` that match the query.
pub(super) fn mark(text: &str, m: &Matcher) -> Marked {
    if !m.spans {
        let mut buf = String::new();
        return Marked {
            text: text.to_string(),
            marks: quick_hits_at(text, m, &mut buf)
                .into_iter()
                .map(|(_, r)| r)
                .collect(),
        };
    }
    let a = light(text);
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for (first, last, _) in word_hits(&a, m) {
        let (s, e) = (a.ranges[first].0, a.ranges[last - 1].1);
        match marks.last_mut() {
            Some(m) if s <= m.1 => m.1 = m.1.max(e),
            _ => marks.push((s, e)),
        }
    }
    Marked {
        text: text.to_string(),
        marks,
    }
}

/// A window of about [`SNIPPET_CHARS`] around the first match, cut at spaces, with `…`
/// where text was left out.
pub(super) fn window(text: &str, m: &Matcher) -> Marked {
    window_of(text, mark(text, m).marks)
}

/// [`window`] of `text` whose marks (sorted byte ranges) are `marks`.
fn window_of(text: &str, marks: Vec<(usize, usize)>) -> Marked {
    if text.chars().count() <= SNIPPET_CHARS {
        return Marked {
            text: text.to_string(),
            marks,
        };
    }
    let first = marks.first().map_or(0, |m| m.0);
    // Start a little before the first match, on a word boundary.
    let lead_in = text[..first]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    let start = if lead_in == 0 {
        0
    } else {
        text[lead_in..first]
            .find(' ')
            .map_or(lead_in, |i| lead_in + i + 1)
    };
    let rest = &text[start..];
    let mut end = rest
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(' ') {
            end = start + space;
        }
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let shift = prefix.len() as isize - start as isize;
    Marked {
        text: format!("{prefix}{}{suffix}", &text[start..end]),
        marks: marks
            .into_iter()
            .filter(|&(s, e)| s >= start && e <= end)
            .map(|(s, e)| ((s as isize + shift) as usize, (e as isize + shift) as usize))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::Expansion;
    use super::*;
    use crate::article::Article;

    #[test]
    fn an_unmarked_snippet_reads_no_further_than_its_source() {
        let words = ["Hà", "Nội", "đường", "xa", "nghìn", "dặm", "Thành", "phố"];
        let spaced = |n: usize| {
            (0..n)
                .map(|i| words[i * 7 % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let cases = [
            String::new(),
            "ngắn".to_string(),
            spaced(40),
            spaced(80),
            "x".repeat(SNIPPET_CHARS),
            "x".repeat(SNIPPET_CHARS + 1),
            "ư".repeat(SNIPPET_CHARS + 2),
            format!("{} {}", "a".repeat(SNIPPET_CHARS), "b"),
            format!("{} {}", "a".repeat(SNIPPET_CHARS - 1), "bc"),
        ];
        for text in &cases {
            let source = unmarked_snippet_source(text);
            assert!(text.starts_with(source));
            assert!(source.chars().count() <= SNIPPET_CHARS + 1, "{text}");
            assert_eq!(
                window_of(source, Vec::new()),
                window_of(text, Vec::new()),
                "{text}"
            );
        }
        // It does cut: a long passage's source is shorter than the passage.
        assert!(unmarked_snippet_source(&spaced(80)).len() < spaced(80).len());
    }

    /// Articles with a lead and several paragraphs, some longer than a snippet, so that
    /// the snippet is chosen among passages and windowed.
    fn index() -> Index {
        let long = "Người dân Hà Nội đi làm sớm vì tắc đường. ".repeat(8);
        let docs = [
            (
                "a",
                "Giá vàng hôm nay",
                "Giá vàng tăng mạnh.",
                vec![
                    "Thị trường sôi động.",
                    long.as_str(),
                    "Giá vàng SJC lên đỉnh.",
                ],
            ),
            (
                "b",
                "Thời tiết",
                "Bão số 3 đổ bộ.",
                vec![long.as_str(), "Hà Nội mưa to, giá rau tăng."],
            ),
            (
                "c",
                "TP.HCM",
                "Tin TP.HCM hôm nay.",
                vec!["Covid-19 ở TP.HCM giảm.", long.as_str()],
            ),
            (
                "d",
                "Học sinh giỏi",
                "Học sinh giỏi quốc gia.",
                vec!["Trường đại học mở cửa.", "Học sinh đi học."],
            ),
            ("e", "Không có gì", "", vec![]),
        ];
        Index::build(
            docs.iter()
                .map(|(id, title, lead, body)| Article {
                    id: id.to_string(),
                    title: title.to_string(),
                    lead: (!lead.is_empty()).then(|| lead.to_string()),
                    body: body.iter().map(|p| p.to_string()).collect(),
                    ..Article::default()
                })
                .collect(),
        )
    }

    const QUERIES: &[&str] = &[
        "gia vang",
        "giá v",
        "ha noi tac duong",
        "hà nội mưa",
        "tp.hcm covid-19",
        "hocj sinh gioi",
        "truong dai hoc",
        "bao so 3",
        "nguoi dan di lam",
        "khong",
    ];

    /// The snippet as chosen before its marks were kept: the passages scored, then the
    /// chosen one marked again by [`window`].
    fn snippet_marked_again(index: &Index, doc: u32, m: &Matcher) -> Marked {
        let fields = field_texts(&index.articles[doc as usize]);
        let mut best: Option<(usize, &str)> = None;
        let mut buf = String::new();
        let mut seen = vec![false; m.words.len()];
        for text in fields[LEAD].iter().chain(&fields[BODY]) {
            let hits: Vec<Hit3> = if m.spans {
                word_hits(&light(text), m)
            } else {
                quick_hits_at(text, m, &mut buf)
                    .into_iter()
                    .map(|(h, _)| h)
                    .collect()
            };
            let score = passage_score(hits.into_iter(), &mut seen);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, text));
            }
        }
        let passage = best.map(|(_, t)| t).or(fields[TITLE].first().copied());
        passage.map(|p| window(p, m)).unwrap_or_default()
    }

    /// What [`quick_hits_into`] answers, a character at a time through
    /// [`text::push_folded`] and [`text::is_word_char`], every word looked up.
    fn quick_hits_one_char_at_a_time(text: &str, m: &Matcher) -> Vec<(Hit3, (usize, usize))> {
        let mut out = Vec::new();
        let (mut n, mut buf, mut start) = (0, String::new(), None);
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if text::is_word_char(c) {
                text::push_folded(c, &mut buf);
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                text::unify_i_y(&mut buf);
                let w = m.keys.get(buf.as_str()).copied().or_else(|| {
                    m.prefixes
                        .iter()
                        .find(|(p, _)| buf.starts_with(p))
                        .map(|&(_, i)| i)
                });
                if let Some(w) = w {
                    out.push(((n, n + 1, w), (s, i)));
                }
                n += 1;
                buf.clear();
            }
        }
        out
    }

    /// Words and gaps: ASCII, marked letters (composed and not), a final `y`, letters
    /// beyond the folding table, marks alone, digits, punctuation.
    const PIECES: &[&str] = &[
        "Học",
        "sinh",
        "giỏi",
        "quốc",
        "gia",
        "HỌC",
        "hoc",
        "Mỹ",
        "kỳ",
        "quy",
        "thủy",
        "Đà",
        "đường",
        "duong",
        "Thành",
        "pho\u{302}",
        "Hoa\u{300}",
        "\u{301}",
        "ß",
        "Ǆ",
        "ﬁ",
        "Ωμέγα",
        "ἀρχή",
        "中国",
        "٣",
        "x",
        "y",
        "24/8",
        "covid-19",
        "1.416",
        " ",
        "  ",
        ", ",
        ".",
        "-",
        "\n",
        "\u{a0}",
        "😀",
        "(",
        "\"",
    ];
    /// Folded keys and prefixes a query may hold.
    const KEYS: &[&str] = &[
        "hoc", "sinh", "gioi", "quoc", "gia", "mi", "ki", "qui", "thui", "da", "duong", "thanh",
        "pho", "hoa", "x", "i", "ss", "omega", "covid", "24", "", "thuy", "中国",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn quick_hits_fold_and_look_up_as_one_character_at_a_time(
            pieces in proptest::collection::vec(0..PIECES.len(), 0..30),
            keys in proptest::collection::vec(
                proptest::collection::vec(0..KEYS.len(), 1..3), 0..4),
            prefix in proptest::option::of(0..KEYS.len()),
        ) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let mut words: Vec<Word> = keys
                .iter()
                .map(|ks| Word {
                    keys: ks
                        .iter()
                        .map(|&k| Expansion::new(KEYS[k], 1.0, ExpansionKind::Typed))
                        .collect(),
                    ..Word::default()
                })
                .collect();
            if let Some(p) = prefix {
                words.push(Word {
                    prefix: Some(KEYS[p].to_string()),
                    ..Word::default()
                });
            }
            let words: Vec<&Word> = words.iter().collect();
            let m = Matcher::new(&words, true);
            let mut buf = String::new();
            proptest::prop_assert_eq!(
                quick_hits_at(&text, &m, &mut buf),
                quick_hits_one_char_at_a_time(&text, &m),
                "{:?}", text
            );
        }
    }

    #[test]
    fn a_snippet_keeps_the_marks_its_passage_was_chosen_by() {
        let index = index();
        let mut windowed = 0;
        for q in QUERIES {
            let query = index.query(q);
            let words: Vec<&Word> = query.words().collect();
            let m = Matcher::new(&words, true);
            let postings = KeyPostings::new(&m);
            for doc in 0..index.len() as u32 {
                let m = index.matcher_for(&m, doc, &postings);
                let snippet = index.snippet(doc, &m);
                windowed += usize::from(snippet.text.contains('…'));
                assert_eq!(
                    snippet,
                    snippet_marked_again(&index, doc, &m),
                    "{q:?} in {doc}"
                );
            }
        }
        assert!(windowed > 0, "some snippets are windows of long passages");
    }

    #[test]
    fn key_postings_looked_up_once_serve_every_hit_alike() {
        let index = index();
        let mut corrected = 0;
        for q in QUERIES {
            let query = index.query(q);
            let words: Vec<&Word> = query.words().collect();
            let m = Matcher::new(&words, true);
            let shared = KeyPostings::new(&m);
            for doc in 0..index.len() as u32 {
                let once = index.matcher_for(&m, doc, &shared);
                let fresh = index.matcher_for(&m, doc, &KeyPostings::new(&m));
                assert_eq!(once.keys, fresh.keys, "{q:?} in {doc}");
                corrected += usize::from(once.keys.len() > m.keys.len());
            }
        }
        assert!(corrected > 0, "some hit is marked through a correction");
    }
}
