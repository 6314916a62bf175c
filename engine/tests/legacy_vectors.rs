//! TCVN3 and VNI text from real documents (shared/vectors/legacy-encodings, MIT, from
//! TrizenX/viparse): each must be detected as its encoding and convert to the expected
//! Unicode. This test reads `../shared` next to the workspace and skips, saying so, when
//! it is absent.

use std::path::Path;

use docbao_engine::text::legacy::{convert, detect, Legacy};
use docbao_engine::text::repair;

#[test]
fn real_document_vectors_detect_and_convert() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors/legacy-encodings/viparse_real_documents.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: {} is absent", path.display());
        return;
    };
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
