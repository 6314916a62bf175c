//! What the printing benches share: the corpus they read and the bytes a CDN would send.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

/// Bytes of `bytes` once brotli-compressed at `quality`, as a host would send them.
pub fn brotli_len(bytes: &[u8], quality: u32) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, quality, 22);
        w.write_all(bytes).expect("in memory");
    }
    out.len()
}

/// The corpus named by the first argument that is not a flag, or `../shared/corpora/<default>`;
/// `None` (with a line saying so) when it is absent, so the bench skips.
pub fn corpus(default: &str) -> Option<(PathBuf, File)> {
    let path = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/corpora")
                .join(default)
        });
    match File::open(&path) {
        Ok(file) => Some((path, file)),
        Err(_) => {
            println!("SKIPPED: {} is absent", path.display());
            None
        }
    }
}
