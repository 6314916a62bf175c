//! Compiles the corpus into the app: reads the files named by `DOCBAO_CORPUS` (default:
//! `seeds/`), runs them through the engine, and writes the serialized index to
//! `$OUT_DIR/corpus.bin` for `include_bytes!`. All I/O of the pipeline lives here.

use std::path::{Path, PathBuf};
use std::process::exit;

use docbao_engine::ingest::{ingest, SourceFile};
use docbao_engine::{to_bytes, Index};

fn main() {
    println!("cargo:rerun-if-env-changed=DOCBAO_CORPUS");
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let roots: Vec<PathBuf> = match std::env::var_os("DOCBAO_CORPUS") {
        Some(list) if !list.is_empty() => std::env::split_paths(&list).collect(),
        _ => vec![manifest_dir.join("seeds")],
    };

    let mut files = Vec::new();
    for root in &roots {
        println!("cargo:rerun-if-changed={}", root.display());
        if let Err(e) = collect(root, &mut files) {
            fail(&format!("cannot read corpus {}: {e}", root.display()));
        }
    }
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|path| match std::fs::read(path) {
            Ok(bytes) => SourceFile {
                path: display(path, &manifest_dir),
                bytes,
            },
            Err(e) => fail(&format!("cannot read {}: {e}", path.display())),
        })
        .collect();

    let (articles, report) = ingest(&sources);
    println!("cargo:warning=docbao corpus: {}", report.summary());
    for r in &report.rejected {
        println!("cargo:warning=  rejected {}: {}", r.path, r.reason);
    }

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let bytes = to_bytes(&Index::build(articles));
    if let Err(e) = std::fs::write(out_dir.join("corpus.bin"), bytes) {
        fail(&format!(
            "cannot write the index to {}: {e}",
            out_dir.display()
        ));
    }
}

/// Every file under `path`, folders walked recursively in sorted order.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
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

/// Paths inside the project are shown relative to it, so the bundle does not depend on
/// where the checkout lives.
fn display(path: &Path, manifest_dir: &Path) -> String {
    path.strip_prefix(manifest_dir)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn fail(message: &str) -> ! {
    eprintln!("error: docbao corpus: {message}");
    exit(1)
}
