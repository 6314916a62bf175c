//! Canonical normalization (NFD, NFC) on `unicode-normalization`'s per-character tables.
//!
//! Why not its `nfc()` / `nfd()` iterators: they choose canonical or compatibility
//! decomposition at run time, so every binary that uses them carries the compatibility
//! tables too (~60 kB of the app's wasm) though the engine never asks for them. The
//! algorithm over the crate's canonical lookups is short; `tests/normalize.rs` checks it
//! against the crate's iterators on arbitrary text.

use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical};

/// The canonical decomposition (NFD) of `text`.
pub fn nfd(text: &str) -> String {
    decomposed(text).into_iter().collect()
}

/// The canonical composition (NFC) of `text`.
pub fn nfc(text: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    // Where the last starter stands in `out`, and the combining class of the last
    // character after it (`None`: nothing after it yet).
    let mut starter: Option<usize> = None;
    let mut last_class: Option<u8> = None;
    for c in decomposed(text) {
        let class = canonical_combining_class(c);
        if let Some(at) = starter {
            // A character between the starter and `c` blocks them when it is a starter
            // itself or has a class as high as `c`'s.
            let blocked = last_class.is_some_and(|last| last == 0 || last >= class);
            if !blocked {
                if let Some(composed) = compose(out[at], c) {
                    out[at] = composed;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(out.len());
            last_class = None;
        } else {
            last_class = Some(class);
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// Every character fully decomposed, each run of combining marks in canonical order
/// (stable by combining class).
fn decomposed(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        decompose_canonical(c, |d| out.push(d));
    }
    // Insertion sort: runs are a few marks long, and a slice sort would add its own
    // instance of the standard library's sort to the wasm.
    for i in 1..out.len() {
        let class = canonical_combining_class(out[i]);
        if class == 0 {
            continue;
        }
        let mut j = i;
        while j > 0 && canonical_combining_class(out[j - 1]) > class {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    out
}
