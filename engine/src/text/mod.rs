//! Vietnamese text: repair, normalization and the one analyzer that serves both indexing
//! and querying, so the two can never drift apart.
//!
//! Every word gets two keys: the *exact* key (lowercase NFC, marks kept, `Ð` read as `đ`,
//! the tone on its canonical vowel, see [`syllable`]) and the *folded* key (every mark
//! removed, `đ` read as `d`), folded character by character by [`push_folded`] alone, so
//! the highlighter folding the original text meets the indexed keys (`tests/folding.rs`
//! checks every kind of spelling). [`analyze`] adds, over the words of a text, the compounds
//! that punctuation joins (`covid-19`, `tp.hcm`, `24/8`, `1.416`) and the canonical keys
//! of press abbreviations (see [`synonyms`]).

pub mod legacy;

pub mod normalize;
pub mod syllable;
pub mod synonyms;
pub mod telex;

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized};

pub use syllable::{canonical_tone, is_syllable};

/// Repairs text as it enters the engine: drops a BOM and zero-width characters, turns
/// CRLF/CR into LF and non-breaking spaces into spaces, composes to NFC, and reads the
/// Icelandic eth (`Ð`, U+00D0), which Vietnamese pages often use by mistake, as `Đ`. Control
/// and bidirectional formatting characters are removed (see [`clean_and_count`]).
pub fn clean(text: &str) -> String {
    clean_and_count(text).0
}

/// What kind of character [`clean`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unwanted {
    /// C0 and C1 controls, and DEL: never text, and invisible or garbling when shown.
    Control,
    /// Bidirectional formatting (U+202E and kin): they reorder what a reader sees, so a
    /// title can display other than it reads.
    Bidi,
}

fn unwanted(c: char) -> Option<Unwanted> {
    match c {
        '\u{0}'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' => {
            Some(Unwanted::Control)
        }
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' => {
            Some(Unwanted::Bidi)
        }
        _ => None,
    }
}

/// Whether [`clean`] removes `c` as a control or bidirectional formatting character.
pub fn is_control_or_bidi(c: char) -> bool {
    unwanted(c).is_some()
}

/// The characters [`clean_and_count`] removed, each with how often it occurred.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    counts: std::collections::BTreeMap<char, usize>,
}

impl Removed {
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// How many characters were removed in all.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// Adds the removals of another text (another field of the same article).
    pub fn add(&mut self, other: &Removed) {
        for (&c, &n) in &other.counts {
            *self.counts.entry(c).or_default() += n;
        }
    }

    fn describe(&self, kind: Unwanted, one: &str, many: &str) -> Option<String> {
        let of_kind: Vec<(char, usize)> = self
            .counts
            .iter()
            .filter(|(c, _)| unwanted(**c) == Some(kind))
            .map(|(c, n)| (*c, *n))
            .collect();
        let total: usize = of_kind.iter().map(|(_, n)| n).sum();
        if total == 0 {
            return None;
        }
        let which: Vec<String> = of_kind
            .iter()
            .map(|(c, n)| match n {
                1 => format!("U+{:04X}", *c as u32),
                n => format!("U+{:04X} ×{n}", *c as u32),
            })
            .collect();
        let noun = if total == 1 { one } else { many };
        Some(format!("{total} {noun} ({})", which.join(", ")))
    }
}

/// `removed 3 control characters (U+0000 ×2, U+0007) and 1 bidirectional formatting
/// character (U+202E)`
impl std::fmt::Display for Removed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = [
            self.describe(Unwanted::Control, "control character", "control characters"),
            self.describe(
                Unwanted::Bidi,
                "bidirectional formatting character",
                "bidirectional formatting characters",
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        write!(f, "removed {}", parts.join(" and "))
    }
}

/// [`clean`], also returning the control and bidirectional formatting characters it
/// removed, for the ingest report. Tabs stay (they are whitespace); vertical tab, form feed
/// and NEL become line breaks.
pub fn clean_and_count(text: &str) -> (String, Removed) {
    let mut removed = Removed::default();
    if !needs_repair(text.as_bytes()) {
        let text = match is_nfc_quick(text.chars()) {
            IsNormalized::Yes => text.to_string(),
            _ => normalize::nfc(text),
        };
        return (text, removed);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{b}' | '\u{c}' | '\u{85}' => out.push('\n'),
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{2002}'..='\u{200a}' => out.push(' '),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            // Neither eth has a decomposition, so replacing them before NFC is safe.
            'Ð' => out.push('Đ'),
            'ð' => out.push('đ'),
            _ if unwanted(c).is_some() => *removed.counts.entry(c).or_default() += 1,
            _ => out.push(c),
        }
    }
    // Most text arrives composed: the quick check spares it a full NFC pass.
    let out = match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => normalize::nfc(&out),
    };
    (out, removed)
}

/// Everything ingest does to incoming text: converts TCVN3/VNI text to Unicode when
/// [`legacy::repair`] finds it (before [`clean`], which would read TCVN3's `Ð` as `Đ`), then
/// cleans. Returns the legacy encoding the text was converted from, if any.
pub fn repair(text: &str) -> (String, Option<legacy::Legacy>) {
    let repaired = repair_and_count(text);
    (repaired.text, repaired.converted_from)
}

/// Text as [`repair`] leaves it, with what was done to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub text: String,
    pub converted_from: Option<legacy::Legacy>,
    pub removed: Removed,
}

/// [`repair`], also returning the characters [`clean_and_count`] removed.
pub fn repair_and_count(text: &str) -> Repaired {
    let (text, converted_from) = match legacy::repair(text) {
        Some((converted, encoding)) => (clean_and_count(&converted), Some(encoding)),
        None => (clean_and_count(text), None),
    };
    Repaired {
        text: text.0,
        converted_from,
        removed: text.1,
    }
}

/// Whether `bytes` hold anything [`clean`] replaces or drops, by their UTF-8 encodings: byte
/// scans that spare most text the character-by-character rewrite. (Three simple passes
/// run about twice as fast as one pass that matches every byte.)
fn needs_repair(bytes: &[u8]) -> bool {
    // C0 controls (CR among them) but newline and tab, and DEL; no early exit, so it
    // vectorizes.
    let has_control = bytes.iter().fold(false, |found, &b| {
        found | (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7f)
    });
    has_control
        // C1 controls and NBSP (U+0080–U+00A0), `Ð`, `ð`, the Arabic letter mark U+061C.
        || bytes
            .windows(2)
            .any(|w| matches!(w, [0xC2, 0x80..=0xA0] | [0xC3, 0x90 | 0xB0] | [0xD8, 0x9C]))
        // Spaces, zero-width characters, LRM/RLM (U+2002–U+200F), bidi embeddings and
        // overrides, narrow NBSP (U+202A–U+202F), word joiner, bidi isolates (U+2060,
        // U+2066–U+2069), BOM.
        || bytes.windows(3).any(|w| {
            matches!(
                w,
                [0xE2, 0x80, 0x82..=0x8F | 0xAA..=0xAF]
                    | [0xE2, 0x81, 0xA0 | 0xA6..=0xA9]
                    | [0xEF, 0xBB, 0xBF]
            )
        })
}

/// A combining mark as canonical equivalence knows it: a character of non-zero combining
/// class. These are the accents folding drops (every Vietnamese tone and vowel mark, and
/// the diacritics of other scripts); the spacing vowel signs of Indic and Thai scripts
/// (class 0) are letters of their words, kept by folding, and word characters by being
/// alphabetic. Not `unicode_normalization::char::is_combining_mark` (General Category M):
/// its table is ~15 kB of hashed data in the reader's wasm, for no Vietnamese difference.
#[inline]
pub(crate) fn is_mark(c: char) -> bool {
    canonical_combining_class(c) != 0
}

/// Text with every combining mark removed (tones, vowel marks, and any other accent),
/// case kept. Letters that are not a base plus marks stay: `đ`, `Ð`, `ﬁ`.
pub fn deaccent(text: &str) -> String {
    let unmarked: String = normalize::nfd(text)
        .chars()
        .filter(|c| !is_mark(*c))
        .collect();
    normalize::nfc(&unmarked)
}

/// Canonical display form of a text: [`clean`], tabs read as spaces, and the tone of
/// every word on its canonical vowel (case kept): `Ðảm baỏ` → `Đảm bảo`.
pub fn canonical_text(text: &str) -> String {
    let text = clean(text).replace('\t', " ");
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for t in tokens(&text) {
        out.push_str(&text[at..t.start]);
        out.push_str(&canonical_tone(&text[t.start..t.end]));
        at = t.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Surface word → `(exact, folded)`.
type KeyCache = FxHashMap<Box<str>, (Box<str>, Box<str>)>;

thread_local! {
    /// Keys of the non-ASCII words seen lately: a corpus has a few tens of thousands of
    /// distinct surface forms, and working out canonical tone and folding is the costly
    /// part of analysis. Cleared when it grows past [`KEY_CACHE_LIMIT`].
    static KEY_CACHE: RefCell<KeyCache> = RefCell::new(FxHashMap::default());
}

const KEY_CACHE_LIMIT: usize = 1 << 18;

/// Onsets before which a lone final `y` and `i` spell the same syllable.
const I_Y_ONSETS: [&str; 25] = [
    "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
    "ph", "qu", "r", "s", "t", "th", "tr", "v",
];

/// `kỳ`/`kì`, `lý`/`lí`, `mỹ`/`mĩ`, `quy`/`qui`: where a lone `y` after an onset spells
/// the same syllable as `i`, the folded key takes the `i`, so both spellings find each
/// other (the exact key keeps the spelling, for normalizing text). Works on a lowercase
/// key; `y` alone (`y tế`) and `uy`, `ay`… are untouched.
pub fn unify_i_y(key: &mut String) {
    let Some(last) = key.chars().last() else {
        return;
    };
    let i_form = match last {
        'y' => 'i',
        'ý' => 'í',
        'ỳ' => 'ì',
        'ỷ' => 'ỉ',
        'ỹ' => 'ĩ',
        'ỵ' => 'ị',
        _ => return,
    };
    let onset = &key[..key.len() - last.len_utf8()];
    if I_Y_ONSETS.contains(&onset) || onset == "x" {
        key.truncate(onset.len());
        key.push(i_form);
    }
}

/// Both keys of one word: `(exact, folded)`.
pub fn keys(word: &str) -> (String, String) {
    if word.is_ascii() {
        let exact = word.to_ascii_lowercase();
        // What [`fold`] gives: `push_folded` of an ASCII character is its lowercase.
        let mut folded = exact.clone();
        unify_i_y(&mut folded);
        return (exact, folded);
    }
    KEY_CACHE.with(|cache| {
        if let Some((e, f)) = cache.borrow().get(word) {
            return (e.to_string(), f.to_string());
        }
        let (e, f) = compute_keys(word);
        let mut cache = cache.borrow_mut();
        if cache.len() >= KEY_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.into(), (e.as_str().into(), f.as_str().into()));
        (e, f)
    })
}

fn compute_keys(word: &str) -> (String, String) {
    let lower: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ð' { 'đ' } else { c })
        .collect();
    (canonical_tone(&lower), fold(word))
}

/// The exact key of a word: lowercase NFC, marks kept, tone on its canonical vowel.
pub fn exact_key(word: &str) -> String {
    keys(word).0
}

/// The folded key of a word: lowercase, every mark removed, `đ` (and `Ð`) read as `d`, a
/// lone final `y` after an onset read as `i`. The one folding: each character through
/// [`push_folded`], then [`unify_i_y`], as the highlighter folds the original text.
pub fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars() {
        push_folded(c, &mut folded);
    }
    unify_i_y(&mut folded);
    folded
}

/// A text reduced to its folded words, one space apart: `TP. Hồ Chí Minh` → `tp ho chi minh`.
pub fn fold_text(text: &str) -> String {
    let words: Vec<String> = tokens(text).into_iter().map(|t| t.folded).collect();
    words.join(" ")
}

/// A text reduced to its exact keys, one space apart: `NGUYỄN THỊ HOÀ` → `nguyễn thị hòa`.
pub fn normalize_text(text: &str) -> String {
    let words: Vec<String> = tokens(&clean(text)).into_iter().map(|t| t.exact).collect();
    words.join(" ")
}

/// True when the word carries any Vietnamese mark (tone, vowel mark or `đ`).
pub fn has_marks(word: &str) -> bool {
    let (exact, folded) = keys(word);
    exact != folded
}

/// One word of analyzed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the word in the analyzed text.
    pub start: usize,
    pub end: usize,
    /// Lowercase NFC, marks kept, canonical tone placement.
    pub exact: String,
    /// Lowercase, marks removed.
    pub folded: String,
}

/// True for the characters words are made of: letters, digits and combining marks.
/// Latin letters (all Vietnamese ones included) are answered without a table lookup.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        0xC0..=0x24F => c != '×' && c != '÷',
        0x300..=0x36F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric() || is_mark(c),
    }
}

/// The folded form of one character, pushed onto `out`: lowercase, marks dropped, `đ`
/// and `ð` read as `d` (a combining mark pushes nothing). The one definition of folding:
/// [`fold`] is this over a word's characters, then [`unify_i_y`]. ASCII and the Latin
/// letters that fold to one ASCII letter are answered without decomposing.
#[inline]
pub fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if (c as u32) < 0x1F00 {
        let b = latin_fold_table()[c as usize];
        if b != 0 {
            out.push(b as char);
            return;
        }
    }
    fold_char(c, out);
}

/// [`push_folded`] worked out: canonical decomposition, combining marks dropped, the rest
/// lowercase; `đ`, `Đ` and either eth are `d`.
fn fold_char(c: char, out: &mut String) {
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        _ => unicode_normalization::char::decompose_canonical(c, |d| {
            if !is_mark(d) {
                out.extend(d.to_lowercase());
            }
        }),
    }
}

/// For every character below U+1F00 that [`fold_char`] folds to one ASCII letter or digit,
/// that byte (else 0).
pub(crate) fn latin_fold_table() -> &'static [u8; 0x1F00] {
    static TABLE: std::sync::OnceLock<Box<[u8; 0x1F00]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u8; 0x1F00]);
        let mut s = String::new();
        for (i, slot) in t.iter_mut().enumerate() {
            let Some(c) = char::from_u32(i as u32) else {
                continue;
            };
            s.clear();
            fold_char(c, &mut s);
            if s.len() == 1 && s.as_bytes()[0].is_ascii_alphanumeric() {
                *slot = s.as_bytes()[0];
            }
        }
        t
    })
}

/// Splits text into words (maximal runs of letters, digits and marks) and gives each its
/// exact and folded keys. Byte ranges point into `text` as given.
pub fn tokens(text: &str) -> Vec<Token> {
    word_ranges(text)
        .into_iter()
        .map(|(start, end)| {
            let (exact, folded) = keys(&text[start..end]);
            Token {
                start,
                end,
                exact,
                folded,
            }
        })
        .collect()
}

/// A term that spans words `first..last` (exclusive) of an analyzed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub first: usize,
    pub last: usize,
    /// A compound (`covid-19`, `24/8`) or a synonym key (`#tphcm`).
    pub key: String,
}

/// A text's words plus the compounds and synonym phrases over them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Analyzed {
    pub tokens: Vec<Token>,
    pub spans: Vec<Span>,
    /// `pair[i]`: words `i` and `i + 1` are next to each other (only spaces between).
    pub pair: Vec<bool>,
}

/// The separator between two words, when it joins them into a compound.
fn joiner(gap: &str, a: &str, b: &str) -> Option<char> {
    let mut chars = gap.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let digits = |w: &str| w.bytes().all(|x| x.is_ascii_digit());
    match c {
        '-' | '.' | '/' => Some(c),
        ',' if digits(a) && digits(b) => Some(c),
        _ => None,
    }
}

/// Byte ranges of the words of a text (maximal runs of letters, digits and marks).
pub fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    word_ranges_into(text, &mut out);
    out
}

/// [`word_ranges`] into `out` (cleared first), so the indexer reuses one buffer. ASCII
/// bytes, most of Vietnamese text's, are classified without decoding a character.
pub fn word_ranges_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (is_word, len) = if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            // `i` is on a character boundary: every step moves by a whole character.
            let c = text[i..].chars().next().unwrap_or(' ');
            (is_word_char(c), c.len_utf8())
        };
        match (start, is_word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        out.push((s, bytes.len()));
    }
}

/// Compounds, synonym phrases and adjacency over words already found: `ranges` are the
/// words' byte ranges in `text`, `folded` their folded keys. Returns `(spans, pair)` as
/// in [`Analyzed`].
pub fn spans(text: &str, ranges: &[(usize, usize)], folded: &[&str]) -> (Vec<Span>, Vec<bool>) {
    let mut buffers = SpanBuffers::default();
    spans_into(text, ranges, folded, &mut buffers);
    (buffers.spans, buffers.pair)
}

/// What [`spans_into`] writes, kept between passages so the indexer allocates none a
/// passage: `spans` and `pair` as [`spans`] returns them.
#[derive(Default)]
pub struct SpanBuffers {
    pub spans: Vec<Span>,
    pub pair: Vec<bool>,
    syn_joined: Vec<bool>,
    joins: Vec<Option<char>>,
}

/// [`spans`] into `out` (cleared first).
pub fn spans_into(text: &str, ranges: &[(usize, usize)], folded: &[&str], out: &mut SpanBuffers) {
    let SpanBuffers {
        spans,
        pair,
        syn_joined,
        joins,
    } = out;
    spans.clear();
    pair.clear();
    syn_joined.clear();
    joins.clear();
    let n = ranges.len();
    for k in 1..n {
        let raw = &text[ranges[k - 1].1..ranges[k].0];
        let gap = raw.trim();
        pair.push(gap.is_empty());
        syn_joined.push(matches!(gap, "" | "." | "-"));
        joins.push(joiner(raw, folded[k - 1], folded[k]));
    }
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && joins[j].is_some() {
            j += 1;
        }
        if j > i {
            let mut key = folded[i].to_string();
            for k in i..j {
                key.push(joins[k].unwrap_or('-'));
                key.push_str(folded[k + 1]);
            }
            spans.push(Span {
                first: i,
                last: j + 1,
                key,
            });
        }
        i = j + 1;
    }
    for m in synonyms::find(folded, syn_joined) {
        spans.push(Span {
            first: m.start,
            last: m.end,
            key: m.key.to_string(),
        });
    }
}

/// The analyzer: words, compounds, synonym phrases and adjacency, for indexing and
/// querying alike.
pub fn analyze(text: &str) -> Analyzed {
    let tokens = tokens(text);
    let ranges: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
    let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
    let (spans, pair) = spans(text, &ranges, &folded);
    Analyzed {
        tokens,
        spans,
        pair,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn check_fold(input: &str, expected: &str) {
        assert_eq!(fold(input), expected, "fold({input:?})");
    }

    #[test]
    fn fold_removes_every_mark_and_reads_d_bar_as_d() {
        check_fold("Thanh Trì", "thanh trì".replace('ì', "i").as_str());
        check_fold("đường", "duong");
        check_fold("ĐINH", "dinh");
        check_fold("hoà", "hoa");
        check_fold("hòa", "hoa");
        check_fold("Ðông", "dong");
        assert_eq!(fold_text("Covid-19"), "covid 19");
    }

    #[test]
    fn marks_are_the_characters_of_nonzero_combining_class() {
        // Every Vietnamese tone and vowel mark is one, so folding drops it.
        for mark in [
            '\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{302}', '\u{306}', '\u{31B}',
        ] {
            assert!(is_mark(mark) && is_word_char(mark), "U+{:04X}", mark as u32);
        }
        check_fold("Tr\u{1B0}\u{323}\u{300}ng", "trung");
        // A spacing vowel sign (class 0) is a letter of its word, kept by folding: the
        // Hindi `कि` keeps its `ि`, while its nukta (class 7) is dropped as an accent.
        assert!(!is_mark('\u{93F}') && is_word_char('\u{93F}'));
        check_fold("कि", "कि");
        check_fold("\u{929}", "\u{928}");
        assert_eq!(word_ranges("कि ख").len(), 2);
        // Neither a letter nor an accent: a variation selector ends a word.
        assert!(!is_word_char('\u{FE0F}'));
    }

    #[test]
    fn spans_into_one_buffer_finds_what_spans_finds_for_each_passage() {
        let mut buffers = SpanBuffers::default();
        for text in [
            "UBND TP.HCM họp về Covid-19 ngày 24/8",
            "Thanh Trì",
            "",
            "a-b-c 1,5 tỷ, Hội đồng nhân dân TP. Hồ Chí Minh",
            "một",
        ] {
            let ranges = word_ranges(text);
            let keys: Vec<String> = ranges.iter().map(|&(s, e)| keys(&text[s..e]).1).collect();
            let folded: Vec<&str> = keys.iter().map(String::as_str).collect();
            spans_into(text, &ranges, &folded, &mut buffers);
            let (spans, pair) = spans(text, &ranges, &folded);
            assert_eq!(buffers.spans, spans, "{text:?}");
            assert_eq!(buffers.pair, pair, "{text:?}");
        }
    }

    #[test]
    fn tone_placement_is_one_exact_key() {
        assert_eq!(exact_key("hoà"), exact_key("hòa"));
        assert_eq!(exact_key("Thuỷ"), "thủy");
        assert_eq!(exact_key("KHOẺ"), "khỏe");
        assert_ne!(exact_key("hòa"), exact_key("hóa"));
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let nfc = "Thanh Trì phát động";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold_text(nfc), fold_text(&nfd));
        assert_eq!(normalize_text(nfc), normalize_text(&nfd));
    }

    #[test]
    fn clean_repairs_eth_bom_crlf_and_spaces() {
        for special in [
            "\r", "\u{a0}", "Ð", "ð", "\u{2002}", "\u{200d}", "\u{202f}", "\u{2060}", "\u{feff}",
        ] {
            assert!(
                needs_repair(format!("a{special}b").as_bytes()),
                "{special:?}"
            );
        }
        assert!(!needs_repair("Hà Nội – “Đà Nẵng”…\tà\n".as_bytes()));
        assert_eq!(clean("\u{feff}ÐINH\r\nx\u{a0}y\u{200b}z"), "ĐINH\nx yz");
        let nfd: String = "Hà Nội".nfd().collect();
        assert_eq!(clean(&nfd), "Hà Nội");
    }

    #[test]
    fn clean_removes_controls_and_bidi_formatting_and_counts_them() {
        let removed = [
            "\u{0}", "\u{7}", "\u{1b}", "\u{7f}", "\u{80}", "\u{9b}", "\u{9f}", "\u{61c}",
            "\u{200e}", "\u{200f}", "\u{202a}", "\u{202e}", "\u{2066}", "\u{2069}",
        ];
        for c in removed {
            let text = format!("a{c}b");
            assert!(needs_repair(text.as_bytes()), "{c:?}");
            let (cleaned, counted) = clean_and_count(&text);
            assert_eq!((cleaned.as_str(), counted.total()), ("ab", 1), "{c:?}");
        }
        // Line breaks of old text become newlines; a tab is whitespace and stays.
        assert_eq!(clean("a\u{b}b\u{c}c\u{85}d\te"), "a\nb\nc\nd\te");
        let (_, removed) = clean_and_count("\u{0}x\u{0}\u{202e}y\u{9b}");
        assert_eq!(
            removed.to_string(),
            "removed 3 control characters (U+0000 ×2, U+009B) and 1 bidirectional \
             formatting character (U+202E)"
        );
        // Marks and letters near the scanned ranges are text.
        for kept in [
            "Ă", "Ġ", "ؠ", "\u{2010}", "\u{2029}", "\u{2070}", "\u{fffd}",
        ] {
            assert_eq!(
                clean_and_count(kept),
                (kept.to_string(), Removed::default())
            );
        }
    }

    #[test]
    fn tokens_carry_byte_ranges_into_the_original() {
        let text = "Huyện Thanh Trì, ngày 24/8";
        let toks = tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Huyện", "Thanh", "Trì", "ngày", "24", "8"]);
        assert_eq!(toks[2].exact, "trì");
        assert_eq!(toks[2].folded, "tri");
    }

    #[test]
    fn compounds_and_synonyms_are_spans_over_words() {
        let a = analyze("Covid-19 ở TP.HCM ngày 24/8, giá 1.416 đồng; UBND TP. Hồ Chí Minh");
        let keys: Vec<&str> = a.spans.iter().map(|s| s.key.as_str()).collect();
        for k in [
            "covid-19", "tp.hcm", "24/8", "1.416", "#covid", "#tphcm", "#ubnd",
        ] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        assert_eq!(keys.iter().filter(|k| **k == "#tphcm").count(), 2);
        let b = analyze("Thành phố Hồ Chí Minh và Ủy ban nhân dân");
        let keys: Vec<&str> = b.spans.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["#tphcm", "#ubnd"]);
        // A comma breaks a phrase.
        assert!(analyze("Ủy ban, nhân dân").spans.is_empty());
    }

    #[test]
    fn lone_final_y_and_i_after_an_onset_are_one_key() {
        for (a, b) in [
            ("kỳ", "kì"),
            ("Lý", "lí"),
            ("mỹ", "mĩ"),
            ("tỷ", "tỉ"),
            ("sỹ", "sĩ"),
            ("quy", "qui"),
            ("hy", "hi"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
            assert_eq!(
                exact_key(a),
                a.to_lowercase(),
                "the exact key keeps the spelling"
            );
        }
        for (word, folded) in [
            ("y", "y"),
            ("thủy", "thuy"),
            ("hay", "hay"),
            ("yêu", "yeu"),
            ("khuya", "khuya"),
        ] {
            assert_eq!(fold(word), folded, "{word} keeps its y");
        }
        // Folding by character, then unifying, agrees with the key.
        let mut s = String::new();
        "Kỳ".chars().for_each(|c| push_folded(c, &mut s));
        unify_i_y(&mut s);
        assert_eq!(s, fold("Kỳ"));
    }

    #[test]
    fn has_marks_tells_typed_marks() {
        assert!(has_marks("đường"));
        assert!(has_marks("Trì"));
        assert!(!has_marks("thanh"));
    }

    #[test]
    fn canonical_text_repairs_tone_placement_and_eth() {
        assert_eq!(
            canonical_text("Ðảm baỏ chất lựơng phòng thí nghịêm hoá học"),
            "Đảm bảo chất lượng phòng thí nghiệm hóa học"
        );
    }
}
