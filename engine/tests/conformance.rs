//! Conformance of the analyzer with published test vectors in ../shared/vectors.
//!
//! Mapping of the vn-text functions to docbao's: `normalize` → [`text::clean`] (NFC and
//! repairs), `deaccent` → [`text::deaccent`], `fold` → [`text::fold_text`] (words folded,
//! one space apart). Known deviations are listed with their reason and printed.

mod common;

use docbao_engine::text::{self, telex};

/// vn-text cases docbao answers differently on purpose.
const DEVIATIONS: &[(&str, &str)] = &[(
    "fold-026",
    "docbao reads the eth `Ð` as `Đ` (Vietnamese pages use it by mistake), so `Ðông` folds to `dong`",
)];

fn tsv(rel: &str) -> Option<Vec<Vec<String>>> {
    let path = common::shared(rel)?;
    let body = std::fs::read_to_string(path).unwrap();
    Some(
        body.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect(),
    )
}

#[test]
fn vn_text_fold_deaccent_normalize() {
    let Some(path) = common::shared("vectors/vn-text-1.0.0.json") else {
        return;
    };
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let Some(expected) = case["expected"].as_str() else {
            continue;
        };
        let got = match case["fn"].as_str().unwrap() {
            "fold" => text::fold_text(input),
            "deaccent" => text::deaccent(input),
            "normalize" => text::clean(input),
            _ => continue,
        };
        if let Some((_, why)) = DEVIATIONS.iter().find(|(d, _)| *d == id) {
            println!("known deviation {id}: {input:?} → {got:?}, vn-text says {expected:?}: {why}");
            assert_ne!(
                got, expected,
                "{id} is listed as a deviation but now agrees"
            );
            continue;
        }
        checked += 1;
        if got != expected {
            failures.push(format!("{id}: {input:?} → {got:?}, expected {expected:?}"));
        }
    }
    println!(
        "vn-text: {checked} cases checked, {} deviations",
        DEVIATIONS.len()
    );
    assert!(checked >= 110, "only {checked} cases");
    assert!(failures.is_empty(), "{failures:#?}");
}

fn json_str(s: &str) -> String {
    serde_json::from_str(s).unwrap()
}

#[test]
fn vi_textmatch_tone_placement() {
    let Some(rows) = tsv("vectors/tone-placement/vi_textmatch_0.2.0_cases.tsv") else {
        return;
    };
    assert!(rows.len() >= 40);
    for row in rows {
        let (f, input, expected) = (&row[0], json_str(&row[1]), json_str(&row[2]));
        let got = match f.as_str() {
            "normalize_tone" => text::canonical_tone(&input),
            "normalize" => text::normalize_text(&input),
            other => panic!("unknown function {other}"),
        };
        assert_eq!(got, expected, "{f}({input:?})");
    }
}

#[test]
fn hunspell_tone_pairs_share_the_old_style_form() {
    let Some(rows) = tsv("vectors/tone-placement/tone_placement_pairs_hunspell-vi.tsv") else {
        return;
    };
    assert_eq!(rows.len(), 69);
    for row in rows {
        let (old, new) = (&row[0], &row[1]);
        assert_eq!(&text::canonical_tone(new), old, "{new}");
        assert_eq!(&text::canonical_tone(old), old, "{old}");
        assert_eq!(text::exact_key(new), text::exact_key(old));
    }
}

#[test]
fn underthesea_normalize_cases() {
    let Some(rows) = tsv("vectors/tone-placement/underthesea_text_normalize_cases.tsv") else {
        return;
    };
    for row in rows {
        let input = row[1].replace("\\t", "\t");
        assert_eq!(text::canonical_text(&input), row[2], "{input:?}");
    }
}

/// Entries of the lists that the validator rejects on purpose: a stop final (`c ch p t`)
/// takes the sắc or nặng tone in Vietnamese, so a toneless `têt` is no syllable; the
/// newer list also carries loanwords and a letter name that break the spelling rules
/// (`ka` not `ca`, `gen` not `ghen`, `ping`, toneless `gip`/`xit`, `v`).
const NOT_SYLLABLES: &[&str] = &["têt", "gen", "gip", "ka", "ping", "v", "xit"];

/// Every syllable of both hunspell-vi lists passes the rule-based validator.
#[test]
fn hunspell_syllables_are_valid() {
    for list in ["hunspell-vi_DauCu.dic", "hunspell-vi_new.dic"] {
        let Some(path) = common::shared(&format!("vectors/tone-placement/{list}")) else {
            return;
        };
        let body = std::fs::read_to_string(path).unwrap();
        let words: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
            .collect();
        let rejected: Vec<&&str> = words
            .iter()
            .filter(|w| !text::is_syllable(w) && !NOT_SYLLABLES.contains(w))
            .collect();
        println!(
            "{list}: {} syllables, {} rejected",
            words.len(),
            rejected.len()
        );
        assert!(words.len() > 5000);
        assert!(rejected.is_empty(), "{rejected:?}");
    }
}

#[test]
fn published_text_folds_like_its_nfc_form() {
    let Some(path) = common::shared("vectors/nfc-real-world/rss_non_nfc_samples.jsonl") else {
        return;
    };
    let body = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = v["input"].as_str().unwrap();
        let nfc = v["expected_nfc"].as_str().unwrap();
        assert_ne!(input, nfc);
        assert_eq!(text::fold_text(input), text::fold_text(nfc), "{}", v["id"]);
        assert_eq!(text::normalize_text(input), text::normalize_text(nfc));
        assert_eq!(text::clean(input), text::clean(nfc));
        n += 1;
    }
    assert_eq!(n, 100);
}

#[test]
fn bogo_sequences_decode() {
    let Some(path) = common::shared("vectors/telex/bogo_DauCu.sequences") else {
        return;
    };
    let body = std::fs::read_to_string(path).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in body.lines().filter(|l| l.contains(':')) {
        let (keys, word) = line.split_once(':').unwrap();
        n += 1;
        if NOT_SYLLABLES.contains(&word) {
            println!("known deviation: {keys} is left alone, {word} is no syllable");
            assert_eq!(telex::decode(keys), None);
            continue;
        }
        let want = text::canonical_tone(word);
        let got = telex::decode(keys);
        // A word typed without any mark key is its own decoding.
        let got = got.unwrap_or_else(|| keys.to_string());
        if got != want {
            failures.push(format!("{keys} → {got}, expected {want}"));
        }
    }
    println!("bogo DauCu: {n} sequences, {} failures", failures.len());
    assert!(n > 2800);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// bogo's engine cases: every case whose expected output is a Vietnamese syllable (or a
/// run of them) decodes to it; every other case is left alone (no decoding).
#[test]
fn bogo_engine_cases() {
    let Some(rows) = tsv("vectors/telex/bogo_test_engine_cases.tsv") else {
        return;
    };
    let mut decoded = 0;
    let mut left = 0;
    for row in rows {
        let (keys, expected) = (&row[0], &row[1]);
        if !keys.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
            continue; // punctuation and bracket keys are the IME's business, not a word's
        }
        for (k, e) in keys.split(' ').zip(expected.split(' ')) {
            let got = telex::decode(k);
            if text::is_syllable(e) && e.to_lowercase() != k.to_lowercase() {
                assert_eq!(got.as_deref(), Some(e.to_lowercase().as_str()), "{k}");
                decoded += 1;
            } else {
                assert!(
                    got.is_none() || got.as_deref() == Some(&e.to_lowercase()),
                    "{k} → {got:?}, expected to be left alone ({e})"
                );
                left += 1;
            }
        }
    }
    println!("bogo engine cases: {decoded} decoded, {left} left alone");
    assert!(decoded >= 40);
}

/// coccoc's i/y spelling pairs (`kì`/`kỳ`, `quí`/`quý`): one folded key, so either spelling
/// finds the other. Pairs coccoc marks as not always interchangeable (`ti`/`ty`) are
/// unified too: for search, recall wins.
#[test]
fn i_and_y_spellings_fold_alike() {
    let Some(path) = common::shared("vectors/spelling-variants/coccoc_i_and_y.tsv") else {
        return;
    };
    let body = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let (i_form, y_form) = line.split_once('\t').expect("two columns");
        let y_form = y_form.trim_end_matches(" *");
        assert_eq!(
            text::fold(i_form),
            text::fold(y_form),
            "{i_form} / {y_form}"
        );
        n += 1;
    }
    println!("i/y: {n} pairs fold alike");
    assert!(n >= 35);
}
