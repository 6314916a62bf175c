//! Finding and reading corpus files: shared by the `docbao` command line and the app's
//! `build.rs` (which includes this file by path), so both see a corpus the same way.
//! This is I/O, so it lives beside the binary, never in the engine's library.

use std::path::{Path, PathBuf};

use docbao_engine::ingest::{Reason, MAX_FILE_BYTES};

/// Reads a file, refusing (without reading it) one larger than the engine accepts.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, Reason> {
    let unreadable = |e: std::io::Error| Reason::Unreadable {
        message: e.to_string(),
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > MAX_FILE_BYTES as u64 {
        return Err(Reason::TooLarge {
            bytes: usize::try_from(len).unwrap_or(usize::MAX),
            limit: MAX_FILE_BYTES,
        });
    }
    std::fs::read(path).map_err(unreadable)
}

/// Every file under `path`, folders walked recursively in sorted order.
pub fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        std::fs::metadata(path)?;
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        collect(&entry, out)?;
    }
    Ok(())
}
