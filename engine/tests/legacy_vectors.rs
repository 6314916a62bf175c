//! TCVN3 and VNI text from real documents (shared/vectors/legacy-encodings, MIT, from
//! TrizenX/viparse): each must be detected as its encoding and convert to the expected
//! Unicode. This test reads `../shared` next to the workspace and skips, saying so, when
//! it is absent.

mod common;

use docbao_engine::text::legacy::{convert, detect, Legacy};
use docbao_engine::text::repair;

#[test]
fn real_document_vectors_detect_and_convert() {
    let Some(path) = common::shared("vectors/legacy-encodings/viparse_real_documents.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let mut checked = 0;
    for (n, line) in text.lines().enumerate() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let field = |name: &str| case[name].as_str().unwrap().to_string();
        let (encoding, legacy, expected) = (
            field("encoding"),
            field("legacy"),
            field("expected_unicode_nfc"),
        );
        let want = if encoding == "VNI" {
            Legacy::Vni
        } else {
            Legacy::Tcvn3
        };
        assert_eq!(detect(&legacy), Some(want), "line {}: {legacy}", n + 1);
        let got = convert(&legacy, want);
        // Upstream compares TCVN3 case-insensitively: TCVN3 has no codes for capitals with
        // tones (`Ký` is how `KÝ` is typed in an uppercase .VnTimeH font).
        if want == Legacy::Tcvn3 {
            assert_eq!(
                got.to_lowercase(),
                expected.to_lowercase(),
                "line {}",
                n + 1
            );
        } else {
            assert_eq!(got, expected, "line {}", n + 1);
        }
        let (repaired, found) = repair(&legacy);
        assert_eq!(found, Some(want));
        assert_eq!(
            repaired,
            got,
            "repair() agrees with convert(), line {}",
            n + 1
        );
        checked += 1;
    }
    assert_eq!(checked, 29, "every vector of the file was checked");
}

/// Real RSS titles and summaries published not in NFC (shared/vectors/nfc-real-world):
/// ingest repair composes each to the expected NFC, and sees no legacy encoding in them.
/// Reads `../shared`; skips, saying so, when it is absent.
#[test]
fn published_non_nfc_text_is_composed() {
    let Some(path) = common::shared("vectors/nfc-real-world/rss_non_nfc_samples.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let mut checked = 0;
    for (n, line) in text.lines().enumerate() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = case["input"].as_str().unwrap();
        let expected = case["expected_nfc"].as_str().unwrap();
        assert_ne!(input, expected, "line {}: the input is not NFC", n + 1);
        assert_eq!(
            repair(input),
            (expected.to_string(), None),
            "line {}",
            n + 1
        );
        checked += 1;
    }
    assert_eq!(checked, 100);
}

/// The `repairMojibake` cases of shared/vectors/vn-text-1.0.0.json (MIT, vn-toolkit): the
/// Icelandic eth read as `Đ`, everything else left as it is. [`text::clean`] is the repair
/// that runs on all ingested text. Reads `../shared`; skips, saying so, when it is absent.
#[test]
fn eth_is_read_as_d_bar_and_nothing_else_changes() {
    let Some(path) = common::shared("vectors/vn-text-1.0.0.json") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let suite: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    for case in suite["cases"].as_array().unwrap() {
        if case["fn"] != "repairMojibake" {
            continue;
        }
        let (input, expected) = (
            case["input"].as_str().unwrap(),
            case["expected"].as_str().unwrap(),
        );
        assert_eq!(
            docbao_engine::text::clean(input),
            expected,
            "case {}",
            case["id"]
        );
        checked += 1;
    }
    assert_eq!(checked, 17);
}
