//! Text typed in the pre-Unicode Vietnamese encodings TCVN3 (ABC) and VNI-Windows, as it
//! reaches us: bytes read as Latin-1, so `Céng hoµ` stands for `Cộng hoà` (TCVN3) and
//! `Coäng hoøa` for the same words in VNI.
//!
//! No maintained crate converts these on the character level we need (the ones found work on
//! raw bytes inside input-method engines), so the tables are written here. They are data: one
//! row per legacy character, checked by the vectors in `shared/vectors/legacy-encodings`.

/// A legacy encoding this module can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Legacy {
    Tcvn3,
    Vni,
}

impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3",
            Legacy::Vni => "VNI",
        }
    }
}

/// TCVN3 (TCVN 5712:1993, the `.Vn` fonts): one Latin-1 character per Vietnamese letter.
/// Uppercase letters with tones have no code of their own in TCVN3 (those fonts draw the
/// lowercase codes as capitals), so only the seven bare capitals appear.
#[rustfmt::skip]
const TCVN3: &[(char, char)] = &[
    ('µ', 'à'), ('¸', 'á'), ('¶', 'ả'), ('·', 'ã'), ('¹', 'ạ'),
    ('¨', 'ă'), ('»', 'ằ'), ('¾', 'ắ'), ('¼', 'ẳ'), ('½', 'ẵ'), ('Æ', 'ặ'),
    ('©', 'â'), ('Ç', 'ầ'), ('Ê', 'ấ'), ('È', 'ẩ'), ('É', 'ẫ'), ('Ë', 'ậ'),
    ('®', 'đ'),
    ('Ì', 'è'), ('Ð', 'é'), ('Î', 'ẻ'), ('Ï', 'ẽ'), ('Ñ', 'ẹ'),
    ('ª', 'ê'), ('Ò', 'ề'), ('Õ', 'ế'), ('Ó', 'ể'), ('Ô', 'ễ'), ('Ö', 'ệ'),
    ('×', 'ì'), ('Ý', 'í'), ('Ø', 'ỉ'), ('Ü', 'ĩ'), ('Þ', 'ị'),
    ('ß', 'ò'), ('ã', 'ó'), ('á', 'ỏ'), ('â', 'õ'), ('ä', 'ọ'),
    ('«', 'ô'), ('å', 'ồ'), ('è', 'ố'), ('æ', 'ổ'), ('ç', 'ỗ'), ('é', 'ộ'),
    ('¬', 'ơ'), ('ê', 'ờ'), ('í', 'ớ'), ('ë', 'ở'), ('ì', 'ỡ'), ('î', 'ợ'),
    ('ï', 'ù'), ('ó', 'ú'), ('ñ', 'ủ'), ('ò', 'ũ'), ('ô', 'ụ'),
    ('\u{ad}', 'ư'), ('õ', 'ừ'), ('ø', 'ứ'), ('ö', 'ử'), ('÷', 'ữ'), ('ù', 'ự'),
    ('ú', 'ỳ'), ('ý', 'ý'), ('û', 'ỷ'), ('ü', 'ỹ'), ('þ', 'ỵ'),
    ('¡', 'Ă'), ('¢', 'Â'), ('§', 'Đ'), ('£', 'Ê'), ('¤', 'Ô'), ('¥', 'Ơ'), ('¦', 'Ư'),
    // PDF extractors substitute look-alike glyphs for two TCVN3 codes.
    ('\u{2212}', 'ư'), ('\u{2219}', 'ã'),
];

/// TCVN3 codes that are punctuation or symbols in Latin-1, never letters of Unicode
/// Vietnamese (nor of VNI): seeing them between letters is strong evidence of TCVN3.
const TCVN3_SIGNS: &str = "µ¸¶·¹¨»¾¼½©®ª«¬¡¢§£¤¥¦\u{ad}\u{2212}\u{2219}×÷Þþß";

/// VNI letters that stand alone: a Latin-1 character for a whole Vietnamese letter.
#[rustfmt::skip]
const VNI_LETTERS: &[(char, char)] = &[
    ('ñ', 'đ'), ('Ñ', 'Đ'),
    ('ô', 'ơ'), ('Ô', 'Ơ'), ('ö', 'ư'), ('Ö', 'Ư'),
    ('æ', 'ỉ'), ('Æ', 'Ỉ'), ('ó', 'ĩ'), ('Ó', 'Ĩ'), ('ò', 'ị'), ('Ò', 'Ị'),
    ('î', 'ỵ'), ('Î', 'Ỵ'),
];

/// Which marks a VNI modifier adds to the vowel before it: (modifier, vowel mark, tone).
/// Vowel marks: `^` circumflex, `(` breve. Tones as combining characters.
const VNI_MODIFIERS: &[(char, Option<char>, Option<char>)] = &[
    ('ù', None, Some('\u{301}')),
    ('ø', None, Some('\u{300}')),
    ('û', None, Some('\u{309}')),
    ('õ', None, Some('\u{303}')),
    ('ï', None, Some('\u{323}')),
    ('â', Some('^'), None),
    ('á', Some('^'), Some('\u{301}')),
    ('à', Some('^'), Some('\u{300}')),
    ('å', Some('^'), Some('\u{309}')),
    ('ã', Some('^'), Some('\u{303}')),
    ('ä', Some('^'), Some('\u{323}')),
    ('ê', Some('('), None),
    ('é', Some('('), Some('\u{301}')),
    ('è', Some('('), Some('\u{300}')),
    ('ú', Some('('), Some('\u{309}')),
    ('ü', Some('('), Some('\u{303}')),
    ('ë', Some('('), Some('\u{323}')),
];

fn tcvn3_char(c: char) -> Option<char> {
    TCVN3.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

fn vni_letter(c: char) -> Option<char> {
    VNI_LETTERS
        .iter()
        .find(|(from, _)| *from == c)
        .map(|(_, to)| *to)
}

fn vni_modifier(c: char) -> Option<(Option<char>, Option<char>)> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    VNI_MODIFIERS
        .iter()
        .find(|(m, _, _)| *m == lower)
        .map(|(_, mark, tone)| (*mark, *tone))
}

/// The vowel a VNI modifier may follow, and the letter it becomes with the vowel mark.
fn vni_apply(base: char, mark: Option<char>, tone: Option<char>) -> Option<String> {
    let upper = base.is_uppercase();
    let lower = base.to_lowercase().next()?;
    let with_mark = match (lower, mark) {
        ('a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ơ' | 'ư', None) => lower,
        ('a', Some('^')) => 'â',
        ('e', Some('^')) => 'ê',
        ('o', Some('^')) => 'ô',
        ('a', Some('(')) => 'ă',
        _ => return None,
    };
    let mut letter = String::new();
    letter.push(with_mark);
    if let Some(tone) = tone {
        letter.push(tone);
    }
    let composed = super::normalize::nfc(&letter);
    Some(if upper {
        composed.to_uppercase()
    } else {
        composed
    })
}

/// Letters only Unicode Vietnamese has (not in Latin-1): their presence means the text
/// is already Unicode.
fn is_unicode_vietnamese(c: char) -> bool {
    matches!(
        c,
        'ă' | 'Ă' | 'đ' | 'Đ' | 'ĩ' | 'Ĩ' | 'ũ' | 'Ũ' | 'ơ' | 'Ơ' | 'ư' | 'Ư'
    ) || ('\u{1ea0}'..='\u{1ef9}').contains(&c)
}

/// True for the characters legacy text is recognised by: Latin-1 letters and signs, and the
/// two look-alikes PDF extractors substitute. Everything else is skipped cheaply.
fn may_be_legacy(c: char) -> bool {
    ('\u{a0}'..='\u{ff}').contains(&c) || c == '\u{2212}' || c == '\u{2219}'
}

fn ascii_lower(c: char) -> char {
    if ('\u{c0}'..='\u{de}').contains(&c) && c != '×' {
        // Latin-1 capitals sit 0x20 below their small letters.
        char::from_u32(c as u32 + 0x20).unwrap_or(c)
    } else {
        c.to_ascii_lowercase()
    }
}

/// Whether the VNI character `c`, between `prev` and `next`, is a sequence Unicode
/// Vietnamese cannot contain: a vowel followed by a modifier that is not a Vietnamese
/// letter (`aø`, `oä`); `ö` (ư) before a tone or `ô` (`öï`, `öôø`); `ñ` (đ) opening a word
/// before a vowel (`ñoäc`), unlike Spanish `España`.
fn is_vni_evidence(prev: char, c: char, next: char) -> bool {
    match ascii_lower(c) {
        'ø' | 'û' | 'ï' | 'ä' | 'å' | 'ë' | 'ü' => {
            vni_modifier(c).is_some_and(|(m, t)| vni_apply(prev, m, t).is_some())
        }
        'ö' => matches!(ascii_lower(next), 'ï' | 'ù' | 'ø' | 'û' | 'õ' | 'ô'),
        'ñ' => !prev.is_alphabetic() && "aeiouyâô".contains(ascii_lower(next)),
        _ => false,
    }
}

/// Guesses whether `text` is TCVN3 or VNI read as Latin-1. Unicode Vietnamese letters in
/// the text outvote legacy evidence ten to one, so a Unicode article that quotes a foreign
/// name (`Müller`) is left alone. One pass, no allocation: it runs on every field ingested.
pub fn detect(text: &str) -> Option<Legacy> {
    if text.is_ascii() {
        return None;
    }
    let (mut unicode, mut tcvn3, mut vni) = (0usize, 0usize, 0usize);
    let mut chars = text.chars();
    let (mut prev, mut current) = (' ', chars.next());
    while let Some(c) = current {
        let next = chars.next();
        if may_be_legacy(c) {
            tcvn3 += usize::from(TCVN3_SIGNS.contains(c));
            vni += usize::from(is_vni_evidence(prev, c, next.unwrap_or(' ')));
        } else if is_unicode_vietnamese(c) {
            unicode += 1;
        }
        prev = c;
        current = next;
    }
    let (encoding, evidence) = if tcvn3 >= vni {
        (Legacy::Tcvn3, tcvn3)
    } else {
        (Legacy::Vni, vni)
    };
    (evidence > 0 && evidence > unicode * 10).then_some(encoding)
}

/// Converts text in `encoding` to Unicode (NFC).
pub fn convert(text: &str, encoding: Legacy) -> String {
    match encoding {
        Legacy::Tcvn3 => text.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect(),
        Legacy::Vni => {
            let mut out = String::with_capacity(text.len());
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                let base = vni_letter(c).unwrap_or(c);
                let combined = chars
                    .peek()
                    .and_then(|next| vni_modifier(*next))
                    .and_then(|(mark, tone)| vni_apply(base, mark, tone));
                match combined {
                    Some(letter) => {
                        chars.next();
                        out.push_str(&letter);
                    }
                    None => out.push(base),
                }
            }
            out
        }
    }
}

/// Detects and converts in one step: the repaired text and the encoding it was in. The
/// conversion is kept only when its result [`reads_as_vietnamese`]: stray Latin-1 signs
/// (`3 × 4`, `Straße`, random bytes) look like legacy text to [`detect`], but converting them
/// gives no Vietnamese words.
pub fn repair(text: &str) -> Option<(String, Legacy)> {
    let encoding = detect(text)?;
    let converted = convert(text, encoding);
    reads_as_vietnamese(&converted).then_some((converted, encoding))
}

/// Positive evidence that `text` (a legacy conversion's output) is Vietnamese: it has a
/// marked word of two or more letters that is a valid syllable, at least four in five of
/// its marked words are syllables, and so are at least three in five of all its words.
/// Words without a vowel (`UBND`, `HĐND`) and words with digits are abbreviations and
/// codes, not judged.
pub fn reads_as_vietnamese(text: &str) -> bool {
    let (mut judged, mut syllables, mut marked, mut marked_syllables) = (0usize, 0, 0, 0);
    let mut long_marked_syllable = false;
    for (start, end) in super::word_ranges(text) {
        let word = &text[start..end];
        let (exact, folded) = super::keys(word);
        let has_vowel = folded.contains(['a', 'e', 'i', 'o', 'u', 'y']);
        if !has_vowel || !folded.chars().all(|c| c.is_alphabetic()) {
            continue;
        }
        let is_marked = exact != folded;
        let valid = super::is_syllable(word);
        judged += 1;
        syllables += usize::from(valid);
        marked += usize::from(is_marked);
        marked_syllables += usize::from(is_marked && valid);
        long_marked_syllable |= is_marked && valid && folded.len() >= 2;
    }
    long_marked_syllable && marked_syllables * 5 >= marked * 4 && syllables * 5 >= judged * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_tcvn3_vector_converts() {
        let legacy = "Xin chµo, ®©y lµ mét dßng ch÷ bÞ lçi font";
        assert_eq!(detect(legacy), Some(Legacy::Tcvn3));
        assert_eq!(
            convert(legacy, Legacy::Tcvn3),
            "Xin chào, đây là một dòng chữ bị lỗi font"
        );
    }

    #[test]
    fn vni_words_convert() {
        assert_eq!(detect("ñöôïc thaønh laäp"), Some(Legacy::Vni));
        assert_eq!(convert("ñöôïc thaønh laäp", Legacy::Vni), "được thành lập");
        assert_eq!(convert("Caên cöù", Legacy::Vni), "Căn cứ");
    }

    #[test]
    fn conversions_that_give_no_vietnamese_are_not_kept() {
        // `ß` and `×` are TCVN3 codes, and look like legacy text to `detect`.
        for text in ["Grüße aus Straßburg", "3 × 4 = 12", "Maße: 2 × 3 m"] {
            assert!(detect(text).is_some(), "{text}");
            assert_eq!(repair(text), None, "{text}");
        }
        assert!(reads_as_vietnamese("Căn cứ Luật Tổ chức HĐND và UBND"));
        assert!(reads_as_vietnamese("bàn"));
        assert!(
            !reads_as_vietnamese("ì"),
            "one letter is too little to judge"
        );
        assert!(
            !reads_as_vietnamese("thanh tri"),
            "no marks: nothing was converted"
        );
    }

    #[test]
    fn unicode_vietnamese_is_left_alone() {
        assert_eq!(detect("Cộng hòa xã hội chủ nghĩa Việt Nam"), None);
        assert_eq!(detect("Thomas Müller ghi bàn cho Bayern ở phút 90"), None);
        assert_eq!(detect("Hôm nay trời đẹp, à không, hôm qua."), None);
        assert_eq!(detect("plain ASCII text"), None);
    }
}
