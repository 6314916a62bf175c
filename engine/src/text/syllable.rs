//! Vietnamese syllable structure: the canonical tone placement and a rule-based syllable
//! validator (onset + rhyme + tone constraints), with no word list.
//!
//! A syllable is read as `onset · vowel cluster · final`, where `qu` and `gi` (before
//! another vowel) are onsets, so `quý` has the cluster `y` and `giữ` the cluster `ư`.
//!
//! **Canonical tone placement** is the open-syllable ("old style", dấu cũ) rule, which
//! about 98% of the corpus text already follows: the tone goes on the vowel that carries a
//! vowel mark (the last one: `ươ` → `ơ`); else, in a closed syllable, on the last vowel of
//! the cluster (`hoàng`, `huỳnh`); else on the only vowel, on the first of two
//! (`hòa`, `thủy`, `khỏe`, `mùa`), or on the middle of three (`ngoài`, `khuỷu`, `khuya`).
//! So `hoà` and `hòa` share one exact key, and so do `baỏ` and `bảo`.

use super::is_mark;
use super::normalize::{nfc, nfd};
use unicode_normalization::char::compose;

/// The five tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters.
pub const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

/// Vowel clusters (tone removed) with the finals each allows; `""` means the cluster can
/// end the syllable.
const RHYMES: &[(&str, &[&str])] = &[
    ("a", &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]),
    ("ă", &["c", "m", "n", "ng", "p", "t"]),
    ("â", &["c", "m", "n", "ng", "p", "t"]),
    ("e", &["", "c", "m", "n", "ng", "p", "t"]),
    ("ê", &["", "ch", "m", "n", "nh", "p", "t"]),
    ("i", &["", "ch", "m", "n", "nh", "p", "t"]),
    ("o", &["", "c", "m", "n", "ng", "p", "t"]),
    ("ô", &["", "c", "m", "n", "ng", "p", "t"]),
    ("ơ", &["", "m", "n", "p", "t"]),
    ("u", &["", "c", "m", "n", "ng", "p", "t"]),
    ("ư", &["", "c", "m", "n", "ng", "t"]),
    ("y", &[""]),
    ("ai", &[""]),
    ("ao", &[""]),
    ("au", &[""]),
    ("ay", &[""]),
    ("âu", &[""]),
    ("ây", &[""]),
    ("eo", &[""]),
    ("êu", &[""]),
    ("ia", &[""]),
    ("iu", &[""]),
    ("oi", &[""]),
    ("ôi", &[""]),
    ("ơi", &[""]),
    ("ua", &[""]),
    ("ui", &[""]),
    ("ưa", &[""]),
    ("ưi", &[""]),
    ("ưu", &[""]),
    ("iê", &["c", "m", "n", "ng", "p", "t"]),
    ("iêu", &[""]),
    ("yê", &["c", "m", "n", "ng", "p", "t"]),
    ("yêu", &[""]),
    ("uô", &["c", "m", "n", "ng", "t"]),
    ("uôi", &[""]),
    ("ươ", &["c", "m", "n", "ng", "p", "t"]),
    ("ươi", &[""]),
    ("ươu", &[""]),
    ("oa", &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]),
    ("oai", &[""]),
    ("oay", &[""]),
    ("oao", &[""]),
    ("oă", &["c", "m", "n", "ng", "t"]),
    ("oe", &["", "n", "t"]),
    ("oeo", &[""]),
    ("oo", &["c", "ng"]),
    ("uâ", &["n", "ng", "t"]),
    ("uây", &[""]),
    ("uê", &["", "ch", "n", "nh"]),
    ("uơ", &[""]),
    ("uy", &["", "ch", "n", "nh", "p", "t"]),
    ("uya", &[""]),
    ("uyê", &["n", "t"]),
    ("uyu", &[""]),
];

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

fn has_vowel_mark(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

/// A word split into letters (vowel marks kept, tone removed, case kept) and its tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub letters: Vec<char>,
    pub tone: Option<char>,
}

/// Splits a word into its letters and its single tone mark. `None` when the word carries
/// two different tones or a mark that is neither a tone nor a Vietnamese vowel mark.
pub fn split(word: &str) -> Option<Split> {
    let mut letters: Vec<char> = Vec::with_capacity(word.len());
    let mut tone = None;
    for c in nfd(word).chars() {
        if TONE_MARKS.contains(&c) {
            if tone.is_some_and(|t| t != c) {
                return None;
            }
            tone = Some(c);
        } else if is_mark(c) {
            let prev = letters.pop()?;
            letters.push(compose(prev, c)?);
        } else {
            letters.push(c);
        }
    }
    Some(Split { letters, tone })
}

/// The parts of a lowercase syllable: onset end and cluster end, as letter indices.
fn parse(lower: &[char]) -> Option<(usize, usize)> {
    let mut v0 = lower.iter().position(|&c| is_vowel(c))?;
    let onset_is = |s: &str| lower[..v0].iter().copied().eq(s.chars());
    // `qu` and `gi` before another vowel are onsets: `quý` is `qu·y`, `giữ` is `gi·ư`.
    let glide = (onset_is("q") && lower[v0] == 'u') || (onset_is("g") && lower[v0] == 'i');
    if glide && lower.len() > v0 + 1 && is_vowel(lower[v0 + 1]) {
        v0 += 1;
    }
    let v1 = v0 + lower[v0..].iter().take_while(|&&c| is_vowel(c)).count();
    if lower[v1..].iter().any(|&c| is_vowel(c)) {
        return None;
    }
    Some((v0, v1))
}

/// Index (into the letters) of the vowel that carries the tone, by the canonical rule.
/// `None` when the word does not have the shape of a Vietnamese syllable.
fn tone_position(lower: &[char]) -> Option<usize> {
    let (v0, v1) = parse(lower)?;
    let onset: String = lower[..v0].iter().collect();
    let fin: String = lower[v1..].iter().collect();
    if !ONSETS.contains(&onset.as_str())
        || !["", "c", "ch", "m", "n", "ng", "nh", "p", "t"].contains(&fin.as_str())
        || v1 - v0 > 3
    {
        return None;
    }
    let cluster = &lower[v0..v1];
    if let Some(i) = cluster.iter().rposition(|&c| has_vowel_mark(c)) {
        return Some(v0 + i);
    }
    Some(
        v0 + match (cluster.len(), fin.is_empty()) {
            (n, false) => n - 1,
            (3, true) => 1,
            _ => 0,
        },
    )
}

fn assemble(letters: &[char], tone: Option<char>, at: Option<usize>) -> String {
    let mut s = String::with_capacity(letters.len() * 3);
    for (i, &c) in letters.iter().enumerate() {
        s.push(c);
        if Some(i) == at {
            if let Some(t) = tone {
                s.push(t);
            }
        }
    }
    nfc(&s)
}

/// The word with its tone on the canonical vowel (case kept, NFC). Words that are not
/// Vietnamese syllables, or carry no tone, come back as they were (in NFC).
pub fn canonical_tone(word: &str) -> String {
    let Some(sp) = split(word) else {
        return nfc(word);
    };
    let Some(tone) = sp.tone else {
        return nfc(word);
    };
    let lower: Vec<char> = sp
        .letters
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    match tone_position(&lower) {
        Some(at) => assemble(&sp.letters, Some(tone), Some(at)),
        None => nfc(word),
    }
}

/// Places `tone` on lowercase toneless `letters` by the canonical rule.
pub(crate) fn with_tone(letters: &[char], tone: Option<char>) -> Option<String> {
    let at = tone_position(letters)?;
    Some(assemble(letters, tone, Some(at)))
}

/// True when `word` (any case, NFC or NFD, any tone placement) spells a Vietnamese
/// syllable: a known onset, a known vowel cluster with a final it allows, the spelling
/// rules of `k`/`gh`/`ngh` versus `c`/`g`/`ng`, and only the sắc or nặng tone before the
/// stop finals `c`, `ch`, `p`, `t`.
pub fn is_syllable(word: &str) -> bool {
    let Some(sp) = split(word) else {
        return false;
    };
    let lower: Vec<char> = sp.letters.iter().flat_map(|c| c.to_lowercase()).collect();
    let Some((v0, v1)) = parse(&lower) else {
        return false;
    };
    if v0 == v1 {
        return false;
    }
    let onset: String = lower[..v0].iter().collect();
    let cluster: String = lower[v0..v1].iter().collect();
    let fin: String = lower[v1..].iter().collect();
    if !ONSETS.contains(&onset.as_str()) {
        return false;
    }
    let rhyme_ok = |cluster: &str| {
        RHYMES
            .iter()
            .any(|(c, finals)| *c == cluster && finals.contains(&fin.as_str()))
    };
    // `qu` and `gi` lend their vowel to the rhyme: `quýnh` is `qu·uynh`, `giếng` `gi·iêng`.
    let ok = rhyme_ok(&cluster)
        || (onset == "qu" && rhyme_ok(&format!("u{cluster}")))
        || (onset == "gi" && rhyme_ok(&format!("i{cluster}")));
    if !ok {
        return false;
    }
    let first = lower[v0];
    let front = matches!(first, 'i' | 'e' | 'ê' | 'y');
    match onset.as_str() {
        "k" | "gh" | "ngh" if !front => return false,
        "c" | "ng" if front => return false,
        "g" if matches!(first, 'e' | 'ê') => return false,
        "qu" if first == 'u' => return false,
        _ => {}
    }
    if matches!(fin.as_str(), "c" | "ch" | "p" | "t")
        && !matches!(sp.tone, Some('\u{301}') | Some('\u{323}'))
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_moves_to_the_canonical_vowel() {
        for (input, expected) in [
            ("hoà", "hòa"),
            ("hòa", "hòa"),
            ("thuỷ", "thủy"),
            ("khoẻ", "khỏe"),
            ("HoÀ", "HòA"),
            ("hoàng", "hoàng"),
            ("quý", "quý"),
            ("khuya", "khuya"),
            ("khuỷu", "khuỷu"),
            ("baỏ", "bảo"),
            ("lựơng", "lượng"),
            ("nghịêm", "nghiệm"),
            ("đaị", "đại"),
            ("ngoaì", "ngoài"),
            ("già", "già"),
            ("gì", "gì"),
            ("Covid", "Covid"),
        ] {
            assert_eq!(canonical_tone(input), expected, "{input}");
        }
    }

    #[test]
    fn syllables_are_validated_by_rules() {
        for ok in [
            "đường",
            "nghiêng",
            "khuya",
            "quốc",
            "giữ",
            "gì",
            "hoà",
            "kỳ",
            "xoong",
        ] {
            assert!(is_syllable(ok), "{ok}");
        }
        for bad in [
            "covid", "hoăc", "ass", "kan", "cen", "tòt", "ngi", "trumpf", "abc",
        ] {
            assert!(!is_syllable(bad), "{bad}");
        }
    }
}
