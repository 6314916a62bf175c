//! Highlights and snippets: which words of a text match the query, as byte ranges on the
//! original accented text, and the passage that best shows why an article matched.

use rustc_hash::FxHashMap;

use super::parse::{ExpansionKind, Word};
use crate::index::{field_texts, Index, BODY, LEAD, TITLE};
use crate::text;

/// Characters a snippet aims for.
pub(super) const SNIPPET_CHARS: usize = 220;

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

/// Tells which query word, if any, a word or span of text matches: every key of every
/// word in one hash map, prefixes apart.
#[derive(Default)]
pub(super) struct Matcher<'a> {
    pub(super) keys: FxHashMap<&'a str, usize>,
    pub(super) prefixes: Vec<(&'a str, usize)>,
    pub(super) words: usize,
    /// Some key is a compound or synonym key, which only the full analyzer sees.
    pub(super) spans: bool,
}

impl<'a> Matcher<'a> {
    /// `typing`: the last word also matches as a prefix (in results), or is whole (in an
    /// opened article).
    pub(super) fn new(words: &[&'a Word], typing: bool) -> Matcher<'a> {
        let mut m = Matcher {
            words: words.len(),
            ..Matcher::default()
        };
        for (i, w) in words.iter().enumerate() {
            for k in &w.keys {
                if !typing && k.kind == ExpansionKind::Prefix {
                    continue;
                }
                m.keys.entry(k.term.as_str()).or_insert(i);
                m.spans |= !k.term.chars().all(char::is_alphanumeric);
            }
            if let Some(p) = w.prefix.as_ref().filter(|_| typing) {
                m.prefixes.push((p.as_str(), i));
            }
        }
        m
    }

    pub(super) fn token(&self, folded: &str) -> Option<usize> {
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

impl Index {
    /// The passage of the article that best shows why it matched.
    pub(super) fn snippet(&self, doc: u32, m: &Matcher) -> Marked {
        let fields = field_texts(&self.articles[doc as usize]);
        let mut best: Option<(usize, &str)> = None;
        let mut buf = String::new();
        let mut seen = vec![false; m.words];
        for text in fields[LEAD].iter().chain(&fields[BODY]) {
            // Compounds and synonyms need the whole analyzer; plain words a quick fold.
            let hits = if m.spans {
                word_hits(&light(text), m)
            } else {
                quick_hits(text, m, &mut buf)
            };
            seen.iter_mut().for_each(|s| *s = false);
            for h in &hits {
                seen[h.2] = true;
            }
            let distinct = seen.iter().filter(|s| **s).count();
            let together = hits
                .windows(2)
                .filter(|h| h[1].2 == h[0].2 + 1 && h[1].0 == h[0].1)
                .count();
            let score = distinct * 4 + together.min(3);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, text));
            }
        }
        let passage = best.map(|(_, t)| t).or(fields[TITLE].first().copied());
        passage.map(|p| window(p, m)).unwrap_or_default()
    }
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
    let mut n = 0;
    buf.clear();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if text::is_word_char(c) {
            text::push_folded(c, buf);
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            text::unify_i_y(buf);
            if let Some(w) = m.token(buf) {
                out.push(((n, n + 1, w), (s, i)));
            }
            n += 1;
            buf.clear();
        }
    }
    out
}

pub(super) fn quick_hits(text: &str, m: &Matcher, buf: &mut String) -> Vec<(usize, usize, usize)> {
    quick_hits_at(text, m, buf)
        .into_iter()
        .map(|(h, _)| h)
        .collect()
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
    out.sort_unstable();
    out
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
    let full = mark(text, m);
    if text.chars().count() <= SNIPPET_CHARS {
        return full;
    }
    let first = full.marks.first().map_or(0, |m| m.0);
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
        marks: full
            .marks
            .into_iter()
            .filter(|&(s, e)| s >= start && e <= end)
            .map(|(s, e)| ((s as isize + shift) as usize, (e as isize + shift) as usize))
            .collect(),
    }
}
