//! Vietnamese text: repair, normalization and the one analyzer that serves both indexing
//! and querying, so the two can never drift apart.

pub mod legacy;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Repairs text as it enters the engine: drops a BOM and zero-width characters, turns
/// CRLF/CR into LF and non-breaking spaces into spaces, composes to NFC, and reads the
/// Icelandic eth (`Ð`, U+00D0), which Vietnamese pages often use by mistake, as `Đ`.
pub fn clean(text: &str) -> String {
    if !needs_repair(text.as_bytes()) {
        return match is_nfc_quick(text.chars()) {
            IsNormalized::Yes => text.to_string(),
            _ => text.nfc().collect(),
        };
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
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{2002}'..='\u{200a}' => out.push(' '),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            // Neither eth has a decomposition, so replacing them before NFC is safe.
            'Ð' => out.push('Đ'),
            'ð' => out.push('đ'),
            _ => out.push(c),
        }
    }
    // Most text arrives composed: the quick check spares it a full NFC pass.
    match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => out.nfc().collect(),
    }
}

/// Everything ingest does to incoming text: converts TCVN3/VNI text to Unicode when
/// [`legacy::detect`] finds it (before [`clean`], which would read TCVN3's `Ð` as `Đ`), then
/// cleans. Returns the legacy encoding the text was converted from, if any.
pub fn repair(text: &str) -> (String, Option<legacy::Legacy>) {
    match legacy::repair(text) {
        Some((converted, encoding)) => (clean(&converted), Some(encoding)),
        None => (clean(text), None),
    }
}

/// Whether `bytes` hold anything [`clean`] replaces or drops, by their UTF-8 encodings: a
/// byte scan that spares most text the character-by-character rewrite.
fn needs_repair(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r')
        || bytes
            .windows(2)
            .any(|w| matches!(w, [0xC2, 0xA0] | [0xC3, 0x90 | 0xB0]))
        || bytes.windows(3).any(|w| {
            matches!(
                w,
                [0xE2, 0x80, 0x82..=0x8D | 0xAF] | [0xE2, 0x81, 0xA0] | [0xEF, 0xBB, 0xBF]
            )
        })
}

/// The exact key of a word: lowercase NFC, marks kept.
pub fn exact_key(word: &str) -> String {
    word.nfc().flat_map(char::to_lowercase).collect()
}

/// The folded key of a word: lowercase, every mark removed, `đ` read as `d`.
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'đ' | 'ð' => 'd',
            other => other,
        })
        .collect()
}

/// True when the word carries any Vietnamese mark (tone, vowel mark or `đ`).
pub fn has_marks(word: &str) -> bool {
    fold(word) != exact_key(word)
}

/// One word of analyzed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the word in the analyzed text.
    pub start: usize,
    pub end: usize,
    /// Lowercase NFC, marks kept.
    pub exact: String,
    /// Lowercase, marks removed.
    pub folded: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Splits text into words (maximal runs of letters, digits and marks) and gives each its
/// exact and folded keys. Byte ranges point into `text` as given.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word_char(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = &text[s..i];
                out.push(Token {
                    start: s,
                    end: i,
                    exact: exact_key(word),
                    folded: fold(word),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_fold(input: &str, expected: &str) {
        assert_eq!(fold(input), expected, "fold({input:?})");
    }

    #[test]
    fn fold_removes_every_mark_and_reads_d_bar_as_d() {
        check_fold("Thanh Trì", "thanh tri");
        check_fold("đường", "duong");
        check_fold("ĐINH TIẾN DŨNG", "dinh tien dung");
        check_fold("hoà", "hoa");
        check_fold("hòa", "hoa");
        check_fold("Covid-19", "covid-19");
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let nfc = "Thanh Trì phát động";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold(nfc), fold(&nfd));
        assert_eq!(exact_key(nfc), exact_key(&nfd));
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
        assert!(!needs_repair("Hà Nội – “Đà Nẵng”…".as_bytes()));
        assert_eq!(clean("\u{feff}ÐINH\r\nx\u{a0}y\u{200b}z"), "ĐINH\nx yz");
        let nfd: String = "Hà Nội".nfd().collect();
        assert_eq!(clean(&nfd), "Hà Nội");
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
    fn has_marks_tells_typed_marks() {
        assert!(has_marks("đường"));
        assert!(has_marks("Trì"));
        assert!(!has_marks("thanh"));
    }
}
