//! Finding and opening corpus files: shared by the `docbao` command line and the app's
//! `build.rs` (which includes this file by path), so both see a corpus the same way.
//! This is I/O, so it lives beside the binary, never in the engine's library.
//!
//! The walk never aborts on a bad entry: a symlink loop, a dangling symlink, a folder that
//! cannot be listed or a device, FIFO or socket becomes one [`Unusable`] entry (a rejection
//! in the report) and the walk goes on. Symlinks are followed, but each real file and
//! folder is visited once, so a link to a sibling folder does not read its files twice.

use std::collections::HashSet;
use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use docbao_engine::ingest::{Reason, MAX_FILE_BYTES};

/// Opens a regular file for the engine to read (`Ingester::add_reader`, which streams plain
/// JSON and holds the file to `MAX_FILE_BYTES` should it grow), refusing without opening it
/// a device, FIFO or socket, and one larger than the engine accepts. The file and its size.
pub fn open_bounded(path: &Path) -> Result<(File, u64), Reason> {
    let unreadable = |e: io::Error| Reason::Unreadable {
        message: e.to_string(),
    };
    let meta = fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(Reason::TooLarge {
            bytes: usize::try_from(meta.len()).unwrap_or(usize::MAX),
            limit: MAX_FILE_BYTES,
        });
    }
    let file = File::open(path).map_err(unreadable)?;
    Ok((file, meta.len()))
}

/// An entry the walk could not use, with the reason the report gives.
#[derive(Debug)]
pub struct Unusable {
    pub path: PathBuf,
    pub reason: Reason,
}

/// What walking one corpus path found.
#[derive(Debug, Default)]
pub struct Found {
    /// Regular files to read, in sorted order (folders walked depth-first, entries sorted).
    pub files: Vec<PathBuf>,
    pub unusable: Vec<Unusable>,
}

impl Found {
    fn skip(&mut self, path: &Path, reason: Reason) {
        self.unusable.push(Unusable {
            path: path.to_path_buf(),
            reason,
        });
    }
}

/// Walks corpus paths, remembering what it has seen across calls, so a file named twice
/// (two overlapping paths, or a symlink to another part of the corpus) is read once.
#[derive(Debug, Default)]
pub struct Walker {
    /// Canonical paths of the files and folders already visited.
    seen: HashSet<PathBuf>,
    /// Canonical paths of the folders being walked: a link to one of them is a loop.
    ancestors: Vec<PathBuf>,
}

impl Walker {
    pub fn new() -> Walker {
        Walker::default()
    }

    /// Every file under `path` (a file, or a folder walked recursively in sorted order),
    /// plus the entries that could not be used. Fails only when `path` does not exist at
    /// all (not even as a dangling symlink): a mistake on the command line, not in the
    /// corpus. The error names the path.
    pub fn collect(&mut self, path: &Path) -> io::Result<Found> {
        if let Err(e) = fs::symlink_metadata(path) {
            return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display())));
        }
        let mut found = Found::default();
        self.visit(path, &mut found);
        Ok(found)
    }

    fn visit(&mut self, path: &Path, found: &mut Found) {
        // Follows symlinks: the kind that matters is that of what the link points to.
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => return found.skip(path, unfollowable(path, &e)),
        };
        if !meta.is_dir() && !meta.is_file() {
            return found.skip(path, not_regular(&meta));
        }
        let real = match fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) => return found.skip(path, unfollowable(path, &e)),
        };
        if meta.is_file() {
            if self.seen.insert(real) {
                found.files.push(path.to_path_buf());
            }
            return;
        }
        if self.ancestors.contains(&real) {
            return found.skip(path, Reason::SymlinkLoop);
        }
        if !self.seen.insert(real.clone()) {
            return; // a folder already walked, reached again through a symlink
        }
        let mut entries = Vec::new();
        let listing = fs::read_dir(path).and_then(|dir| {
            for entry in dir {
                entries.push(entry?.path());
            }
            Ok(())
        });
        if let Err(e) = listing {
            // What was listed before the error is still walked below.
            found.skip(
                path,
                Reason::UnreadableFolder {
                    message: e.to_string(),
                },
            );
        }
        entries.sort();
        self.ancestors.push(real);
        for entry in entries {
            self.visit(&entry, found);
        }
        self.ancestors.pop();
    }
}

/// Why `path`, which exists as a directory entry, cannot be followed to a file or folder.
fn unfollowable(path: &Path, error: &io::Error) -> Reason {
    let is_symlink = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_symlink && error.kind() == io::ErrorKind::NotFound {
        return Reason::DanglingSymlink;
    }
    // ELOOP ("too many levels of symbolic links"). `io::ErrorKind::FilesystemLoop` is not
    // stable yet, but std already sorts ELOOP (and Windows' equivalent) into that kind.
    if format!("{:?}", error.kind()) == "FilesystemLoop" {
        return Reason::SymlinkLoop;
    }
    Reason::Unreadable {
        message: error.to_string(),
    }
}

/// The rejection of something that is neither a file nor a folder.
fn not_regular(meta: &Metadata) -> Reason {
    let kind = special_kind(meta).unwrap_or("special file");
    Reason::NotRegularFile { kind: kind.into() }
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    [
        (t.is_char_device(), "character device"),
        (t.is_block_device(), "block device"),
        (t.is_fifo(), "FIFO"),
        (t.is_socket(), "socket"),
    ]
    .into_iter()
    .find_map(|(is, kind)| is.then_some(kind))
}

#[cfg(not(unix))]
fn special_kind(_meta: &Metadata) -> Option<&'static str> {
    None
}
