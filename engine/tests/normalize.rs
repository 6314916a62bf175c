//! `text::normalize` (NFC and NFD on the crate's canonical tables alone, so the app's wasm
//! does not carry the compatibility tables) gives exactly what `unicode-normalization`'s
//! iterators give, on any text.

use docbao_engine::text::normalize::{nfc, nfd};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Characters that exercise normalization: Vietnamese letters precomposed and not, every
/// combining mark of U+0300–U+036F and others of other classes (so runs need reordering and
/// marks block each other), Hangul syllables and jamo (composed by rule, not by table),
/// singletons and composition exclusions, and starters that compose with a following
/// starter.
fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐdDnNgG ạảãàáệểễềếỵỷỹỳýƯỚỢ".chars().collect::<Vec<_>>()),
        4 => (0x300u32..=0x36f).prop_map(|c| char::from_u32(c).unwrap()),
        2 => prop::sample::select(vec![
            '\u{5b0}', '\u{591}', '\u{5c1}', '\u{5c2}', '\u{93c}', '\u{94d}', '\u{e38}', '\u{e48}',
            '\u{1dc0}', '\u{20d0}', '\u{302a}', '\u{302e}', '\u{fb1e}', '\u{1d165}', '\u{1d16d}',
            '\u{0b47}', '\u{0b3e}', '\u{0b56}', '\u{0b57}', '\u{09c7}', '\u{09be}', '\u{0dd9}',
            '\u{0dcf}', '\u{0ddf}', '\u{1b05}', '\u{1b35}', '\u{0f73}', '\u{0f75}', '\u{0f81}',
        ]),
        2 => prop::sample::select(vec![
            '\u{ac00}', '\u{ac01}', '\u{d7a3}', '\u{1100}', '\u{1161}', '\u{11a8}', '\u{1112}',
            '\u{1175}', '\u{11c2}', '\u{11a7}', '\u{3131}',
        ]),
        2 => prop::sample::select(vec![
            '\u{212b}', '\u{2126}', '\u{212a}', '\u{0958}', '\u{2adc}', '\u{0344}', '\u{0f43}',
            '\u{1e9b}', '\u{1fee}', '\u{0340}', '\u{0343}', '\u{0374}', '\u{f900}', '\u{2f800}',
            'ﬁ', '①', 'Ⅳ', '\u{fdfa}', 'ǅ',
        ]),
        1 => any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn nfc_and_nfd_match_the_crates_iterators(chars in prop::collection::vec(interesting_char(), 0..24)) {
        let text: String = chars.into_iter().collect();
        prop_assert_eq!(nfd(&text), text.nfd().collect::<String>(), "NFD of {:?}", text);
        prop_assert_eq!(nfc(&text), text.nfc().collect::<String>(), "NFC of {:?}", text);
    }
}

#[test]
fn vietnamese_in_both_forms() {
    let composed = "Hà Nội, Đà Nẵng, người ưu tú, Thừa Thiên Huế";
    let decomposed: String = composed.nfd().collect();
    assert_ne!(composed, decomposed);
    assert_eq!(nfd(composed), decomposed);
    assert_eq!(nfc(&decomposed), composed);
    // A tone typed before the vowel mark (out of canonical order) still composes.
    assert_eq!(nfc("o\u{301}\u{31b}"), "ớ");
    assert_eq!(nfc("o\u{31b}\u{301}"), "ớ");
    // A compatibility character is left alone (NFC is canonical).
    assert_eq!(nfc("ﬁ①"), "ﬁ①");
    assert_eq!(nfd("Å"), "A\u{30a}");
}
