//! Telex typed with the input method off (`thanh tris`, `haf nooij`, `dduwowngf`), read
//! back into Vietnamese syllables.
//!
//! Keys follow Telex: `aa aw ee oo ow uw w dd` for the vowel marks and `đ`, `s f r x j`
//! for the tones, `z` to drop a tone; as in common input methods a mark key may come
//! later in the word (`bocos` = `bốc`, `Doongd` = `Đông`). A mark key can also be a plain
//! letter (`khoefo` = `khoèo`), so every reading is tried, mark first, and the first that
//! spells a valid syllable (see [`super::syllable::is_syllable`]) wins. Words that decode
//! to no valid syllable are left alone.

use super::syllable::{is_syllable, with_tone};

const HUYEN: char = '\u{300}';
const SAC: char = '\u{301}';
const NGA: char = '\u{303}';
const HOI: char = '\u{309}';
const NANG: char = '\u{323}';

#[derive(Clone)]
struct State {
    letters: Vec<char>,
    tone: Option<char>,
    tone_key: Option<char>,
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

fn base(c: char) -> char {
    match c {
        'ă' | 'â' => 'a',
        'ê' => 'e',
        'ô' | 'ơ' => 'o',
        'ư' => 'u',
        other => other,
    }
}

/// The states a mark key can lead to, likeliest first (empty when it marks nothing).
fn apply_mark(s: &State, key: char) -> Vec<State> {
    let l = &s.letters;
    let with = |f: &dyn Fn(&mut Vec<char>)| {
        let mut m = s.clone();
        f(&mut m.letters);
        m
    };
    let mut out = Vec::new();
    match key {
        'a' | 'e' | 'o' => {
            let hat = match key {
                'a' => 'â',
                'e' => 'ê',
                _ => 'ô',
            };
            if let Some(i) = l.iter().rposition(|&c| is_vowel(c) && base(c) == key) {
                if l[i] == hat {
                    // A third key takes the mark back off: `aaa` = `aa`.
                    out.push(with(&|l| {
                        l[i] = key;
                        l.push(key);
                    }));
                } else {
                    out.push(with(&|l| l[i] = hat));
                }
            }
        }
        'w' => {
            // Every vowel that can take the horn or breve is a reading, the `uo` pair
            // first, then from the last vowel back: `buaw` is `bưa`, `hoacw` `hoăc`.
            let pair = l
                .windows(2)
                .rposition(|w| matches!(w[0], 'u' | 'ư') && matches!(w[1], 'o' | 'ô' | 'ơ'));
            if let Some(i) = pair.filter(|&i| !(l[i] == 'ư' && l[i + 1] == 'ơ')) {
                out.push(with(&|l| {
                    l[i] = 'ư';
                    l[i + 1] = 'ơ';
                }));
            }
            for (i, &c) in l.iter().enumerate().rev() {
                let to = match c {
                    'a' | 'â' => 'ă',
                    'o' | 'ô' => 'ơ',
                    'u' => 'ư',
                    _ => continue,
                };
                out.push(with(&|l| l[i] = to));
            }
            if out.is_empty() {
                if let Some(i) = l.iter().rposition(|&c| matches!(c, 'ă' | 'ơ' | 'ư')) {
                    // Typed again, the key takes its mark back: `uww` = `uw`.
                    out.push(with(&|l| {
                        if i > 0 && l[i] == 'ơ' && l[i - 1] == 'ư' {
                            l[i - 1] = 'u';
                        }
                        l[i] = base(l[i]);
                        l.push('w');
                    }));
                } else if !l.iter().any(|&c| is_vowel(c)) {
                    out.push(with(&|l| l.push('ư')));
                }
            }
        }
        'd' => match l.first() {
            Some('d') => out.push(with(&|l| l[0] = 'đ')),
            Some('đ') if l.len() == 1 => out.push(with(&|l| {
                l[0] = 'd';
                l.push('d');
            })),
            _ => {}
        },
        _ => {}
    }
    out
}

fn tone_of(key: char) -> Option<char> {
    Some(match key {
        'f' => HUYEN,
        's' => SAC,
        'x' => NGA,
        'r' => HOI,
        'j' => NANG,
        _ => return None,
    })
}

fn finish(s: &State) -> Option<String> {
    let mut letters = s.letters.clone();
    // `ươ` never ends a syllable: `huow` is `huơ`, `thuowr` is `thuở`.
    if letters.ends_with(&['ư', 'ơ']) {
        let n = letters.len();
        letters[n - 2] = 'u';
    }
    let word = with_tone(&letters, s.tone)?;
    is_syllable(&word).then_some(word)
}

fn search(keys: &[char], s: State) -> Option<String> {
    let Some((&k, rest)) = keys.split_first() else {
        return finish(&s);
    };
    if let Some(t) = tone_of(k) {
        if s.letters.iter().any(|&c| is_vowel(c)) {
            let mut n = s;
            if n.tone_key == Some(k) {
                // The same tone key twice types the letter: `ass` = `as`.
                n.tone = None;
                n.tone_key = None;
                n.letters.push(k);
            } else {
                n.tone = Some(t);
                n.tone_key = Some(k);
            }
            return search(rest, n);
        }
    }
    if k == 'z' && s.tone.is_some() {
        let mut n = s;
        n.tone = None;
        n.tone_key = None;
        return search(rest, n);
    }
    for marked in apply_mark(&s, k) {
        if let Some(word) = search(rest, marked) {
            return Some(word);
        }
    }
    let mut n = s;
    n.letters.push(k);
    search(rest, n)
}

/// Reads one word typed as Telex keys (ASCII letters, any case) as a Vietnamese syllable
/// in lowercase with canonical tone placement. `None` when the keys spell no valid
/// syllable, or carry no Telex key at all (the word is then already what was meant).
pub fn decode(keys: &str) -> Option<String> {
    if keys.is_empty() || keys.len() > 16 || !keys.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower: Vec<char> = keys.chars().map(|c| c.to_ascii_lowercase()).collect();
    let word = search(
        &lower,
        State {
            letters: Vec::with_capacity(lower.len()),
            tone: None,
            tone_key: None,
        },
    )?;
    let plain: String = lower.iter().collect();
    (word != plain).then_some(word)
}

/// A syllable typed as Telex keys, the inverse of [`decode`]: `đường` → `dduwowngf`.
/// Marks follow their vowel, the tone key ends the word.
pub fn encode(word: &str) -> String {
    let Some(sp) = super::syllable::split(word) else {
        return word.to_lowercase();
    };
    let mut out = String::new();
    for c in sp.letters.iter().flat_map(|c| c.to_lowercase()) {
        out.push_str(match c {
            'đ' => "dd",
            'â' => "aa",
            'ă' => "aw",
            'ê' => "ee",
            'ô' => "oo",
            'ơ' => "ow",
            'ư' => "uw",
            _ => {
                out.push(c);
                continue;
            }
        });
    }
    if let Some(t) = sp.tone {
        out.push(match t {
            HUYEN => 'f',
            SAC => 's',
            NGA => 'x',
            HOI => 'r',
            _ => 'j',
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telex_words_decode_to_syllables() {
        for (keys, word) in [
            ("tris", "trí"),
            ("haf", "hà"),
            ("nooij", "nội"),
            ("dduwowngf", "đường"),
            ("hoaf", "hòa"),
            ("bocos", "bốc"),
            ("Doongd", "đông"),
            ("khoefo", "khoèo"),
            ("toios", "tối"),
            ("thuowr", "thuở"),
            ("nguowif", "người"),
            ("chuyeenr", "chuyển"),
        ] {
            assert_eq!(decode(keys).as_deref(), Some(word), "{keys}");
        }
        for keys in ["thanh", "covid", "ass", "hoacw", "taojc", "trump", "x"] {
            assert_eq!(decode(keys), None, "{keys}");
        }
    }

    #[test]
    fn encoding_round_trips() {
        for w in ["đường", "hòa", "nghiêng", "thuở", "khuỷu", "quốc", "ăn"] {
            assert_eq!(decode(&encode(w)).as_deref(), Some(w), "{w}");
        }
    }
}
