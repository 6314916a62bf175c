//! One folding for the whole engine: for any word (Vietnamese syllables in any case, NFC or
//! NFD, the tone on any vowel, `đ`/`Đ`/`ð`/`Ð`, `y`/`i`, digits, letters of other scripts),
//! the folded key the indexer stores, the key the query looks up and the highlighter's
//! character-by-character folding of the original text are one and the same.

use docbao_engine::{text, Article, ExpansionKind, Index};
use proptest::prelude::*;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

/// Vowel clusters with their vowel marks, tone apart.
const CLUSTERS: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa", "ưi", "ưu", "iê", "iêu", "yê",
    "yêu", "uô", "uôi", "ươ", "ươi", "ươu", "oa", "oai", "oay", "oe", "oo", "uâ", "uây", "uê",
    "uy", "uya", "uyê",
];

const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// No tone, then huyền, sắc, ngã, hỏi, nặng as combining marks.
const TONES: &[&str] = &["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"];

/// Ways to write the `đ` of an onset: both cases, and the Icelandic eth pages use by mistake.
const D_BARS: &[char] = &['đ', 'Đ', 'ð', 'Ð'];

/// Letters of other scripts and odd cases: special lowercasing (`İ`, `ẞ`), singletons
/// that normalize to another letter (Kelvin, Ångström, Ohm signs), a titlecase digraph, a
/// ligature, Greek with tonos, Cyrillic, letters with no decomposition.
const ODD_LETTERS: &[&str] = &[
    "ß", "ẞ", "İ", "ı", "\u{212a}", "\u{212b}", "\u{2126}", "ǅ", "ﬁ", "Ά", "ΐ", "ς", "Ж", "ё", "Ѐ",
    "æ", "ø", "ł", "ŋ", "þ", "ħ", "ĳ", "ℌ", "ǰ", "ᾼ", "ñ", "Ç", "ŉ",
];

/// The folding a key is defined by, written out the slow way: lowercase, `ð` read as `đ`,
/// canonical decomposition, every combining mark (a non-zero combining class) dropped, `đ`
/// read as `d`, then a lone final `y` after an onset read as `i`.
fn reference_fold(word: &str) -> String {
    let lower: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ð' { 'đ' } else { c })
        .collect();
    let mut folded: String = lower
        .nfd()
        .filter(|c| canonical_combining_class(*c) == 0)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect();
    text::unify_i_y(&mut folded);
    folded
}

#[derive(Debug, Clone)]
struct Spelling {
    onset: usize,
    cluster: usize,
    end: usize,
    tone: usize,
    /// Which vowel of the cluster carries the tone (modulo its length): the old and new
    /// placements, and wrong ones too.
    tone_on: usize,
    d_bar: usize,
    /// Bit `k` set: character `k` upper case.
    upper: u32,
    nfd: bool,
    digits: Option<u16>,
    /// An odd letter before (`false`) or after (`true`) the syllable.
    odd: Option<(usize, bool)>,
}

fn spelling() -> impl Strategy<Value = Spelling> {
    (
        (
            0..ONSETS.len(),
            0..CLUSTERS.len(),
            0..FINALS.len(),
            0..TONES.len(),
            0..3usize,
        ),
        (
            0..D_BARS.len(),
            any::<u32>(),
            any::<bool>(),
            proptest::option::weighted(0.2, any::<u16>()),
            proptest::option::weighted(0.2, (0..ODD_LETTERS.len(), any::<bool>())),
        ),
    )
        .prop_map(
            |((onset, cluster, end, tone, tone_on), (d_bar, upper, nfd, digits, odd))| Spelling {
                onset,
                cluster,
                end,
                tone,
                tone_on,
                d_bar,
                upper,
                nfd,
                digits,
                odd,
            },
        )
}

impl Spelling {
    fn word(&self) -> String {
        let onset = ONSETS[self.onset].replace('đ', &D_BARS[self.d_bar].to_string());
        let cluster: Vec<char> = CLUSTERS[self.cluster].chars().collect();
        let mut syllable = onset;
        for (i, &c) in cluster.iter().enumerate() {
            syllable.push(c);
            if i == self.tone_on % cluster.len() {
                syllable.push_str(TONES[self.tone]);
            }
        }
        syllable.push_str(FINALS[self.end]);
        let syllable: String = syllable.nfc().collect();
        let mut word: String = syllable
            .chars()
            .enumerate()
            .flat_map(|(k, c)| {
                let up = self.upper & (1 << (k % 32)) != 0;
                let cased: Vec<char> = if up {
                    c.to_uppercase().collect()
                } else {
                    vec![c]
                };
                cased
            })
            .collect();
        if let Some(n) = self.digits {
            word.push_str(&n.to_string());
        }
        match self.odd {
            Some((i, false)) => word.insert_str(0, ODD_LETTERS[i]),
            Some((i, true)) => word.push_str(ODD_LETTERS[i]),
            None => {}
        }
        if self.nfd {
            word.nfd().collect()
        } else {
            word
        }
    }
}

#[test]
fn odd_letters_are_word_characters() {
    for odd in ODD_LETTERS {
        assert!(odd.chars().all(text::is_word_char), "{odd:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn indexing_querying_and_highlighting_fold_every_word_alike(s in spelling()) {
        let word = s.word();
        prop_assume!(text::analyze(&word).spans.is_empty());
        let title = format!("Tin {word} mới");
        let at = (4, 4 + word.len());

        // The indexer: the word is one token, stored under its folded key.
        let analyzed = text::analyze(&title);
        let token = analyzed
            .tokens
            .iter()
            .find(|t| (t.start, t.end) == at)
            .expect("the word is one token");
        let stored = token.folded.clone();
        prop_assert_eq!(&stored, &reference_fold(&word), "{:?}", word);
        prop_assert_eq!(&stored, &text::fold(&word));
        let index = Index::build(vec![Article {
            id: "a".into(),
            title: title.clone(),
            body: vec!["x".into()],
            ..Article::default()
        }]);
        prop_assert_eq!(index.document_frequency(&stored), 1, "{:?} stored as {:?}", word, stored);

        // The query: the word as typed looks up the same key, and finds the article.
        let query = index.query(&format!("{word} "));
        let typed: Vec<&str> = query
            .expansions()
            .filter(|e| e.kind == ExpansionKind::Typed)
            .map(|e| e.term.as_str())
            .collect();
        prop_assert_eq!(typed, [stored.as_str()], "{:?}", word);
        prop_assert_eq!(index.search(&query, 10).total, 1);

        // The highlighter, folding the original text character by character, marks it:
        // in an opened article, and in a result's title.
        let mut chars = String::new();
        word.chars().for_each(|c| text::push_folded(c, &mut chars));
        text::unify_i_y(&mut chars);
        prop_assert_eq!(&chars, &stored);
        prop_assert!(index.highlight(&title, &query).marks.contains(&at), "{:?}", word);
        let hit = &index.search(&query, 1).hits[0];
        prop_assert!(hit.title.marks.contains(&at), "{:?}", word);
        // With a press abbreviation beside it the highlighter runs the analyzer's spans.
        let with_span = index.query(&format!("{word} TP.HCM "));
        prop_assert!(index.highlight(&title, &with_span).marks.contains(&at), "{:?}", word);
    }
}
