//! The corpus compiled into this build by `build.rs`.

use docbao_engine::{from_bytes, CodecError, Index};

static CORPUS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.bin"));

/// Decodes the embedded index (done once, at start-up).
pub fn load() -> Result<Index, CodecError> {
    from_bytes(CORPUS)
}
