//! Compiles the corpus into the app: reads the files named by `DOCBAO_CORPUS` (default:
//! `seeds/`), runs them through the engine, and writes the serialized index to
//! `$OUT_DIR/corpus.bin` for `include_bytes!`, or, in the sharded layout, the files of
//! `docbao_engine::shard` for `dist/archive/` and only the root's name for the wasm
//! (see [`ARCHIVE_DIR`]). All I/O of the pipeline lives here.
//!
//! Nothing is lost silently: every file and every JSON record is accepted or rejected with
//! its reason in the ingest report, which is written as JSON next to the index and shipped
//! in `dist/` (see [`REPORT_DIR`]). `DOCBAO_STRICT=1` makes any rejection or warning fail the build.

use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::{Duration, SystemTime};

use docbao_engine::ingest::{IngestReport, Ingester};
use docbao_engine::{to_bytes, Index, Request};

/// Where the report is also written, under the project: `<REPORT_DIR>/<target>/<profile>/`.
///
/// Why a fixed path outside OUT_DIR: trunk must copy the report into `dist/`, and OUT_DIR's
/// name carries a hash no config can know. Trunk's `copy-file` asset is no use either: it
/// runs alongside the cargo build (and checks the file exists before it), so it would ship
/// the previous build's report, or fail on a clean checkout. Instead, a `post_build` hook in
/// Trunk.toml copies `target/docbao-report/wasm32-unknown-unknown/$TRUNK_PROFILE/…` into
/// the staging dist once cargo is done. The target and profile in the path keep a native
/// `cargo build` with another DOCBAO_CORPUS from overwriting the report of the wasm build.
/// It stays under `target/`, which git ignores, whatever CARGO_TARGET_DIR says; if it goes
/// missing, cargo runs this script again (see [`write_shipped`]).
const REPORT_DIR: &str = "target/docbao-report";
const REPORT_FILE: &str = "ingest-report.json";

/// Rejections listed one per line in the build output; the rest are in the report file.
const LISTED_REJECTIONS: usize = 20;

#[path = "engine/src/bin/docbao/corpus_files.rs"]
mod corpus_files;

use corpus_files::{open_bounded, Walker};

fn main() {
    let started = SystemTime::now();
    println!("cargo:rerun-if-env-changed=DOCBAO_CORPUS");
    println!("cargo:rerun-if-env-changed=DOCBAO_STRICT");
    println!("cargo:rerun-if-env-changed=DOCBAO_LAYOUT");
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let roots: Vec<PathBuf> = match std::env::var_os("DOCBAO_CORPUS") {
        Some(list) if !list.is_empty() => std::env::split_paths(&list).collect(),
        _ => vec![manifest_dir.join("seeds")],
    };
    let strict = std::env::var("DOCBAO_STRICT").is_ok_and(|v| v == "1");

    let mut walker = Walker::new();
    let mut files = Vec::new();
    // Entries the walk could not use (symlink loops, FIFOs…): rejections, not failures.
    let mut unusable = Vec::new();
    for root in &roots {
        println!("cargo:rerun-if-changed={}", root.display());
        let found = walker
            .collect(root)
            .unwrap_or_else(|e| fail(&format!("cannot read corpus: {e}")));
        files.extend(found.files.into_iter().map(|path| (root.clone(), path)));
        unusable.extend(found.unusable.into_iter().map(|u| (root.clone(), u)));
    }
    // Files are read one at a time, plain JSON streamed from the open file, and each record
    // is handed on as it is read, so neither a file's bytes nor its records are held whole.
    let mut ingester = Ingester::new();
    for (root, entry) in unusable {
        ingester.reject_file(&display(&entry.path, &root, &manifest_dir), entry.reason);
    }
    for (root, path) in &files {
        let shown = display(path, root, &manifest_dir);
        match open_bounded(path) {
            Ok((file, _)) => ingester.add_reader(&shown, file),
            Err(reason) => ingester.reject_file(&shown, reason),
        }
    }
    let (articles, report) = ingester.finish();

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let report_json = report.to_json();
    write(&out_dir.join(REPORT_FILE), report_json.as_bytes());
    let shipped = shipped_report_path(&manifest_dir);
    // Only trunk's hook needs this copy: a read-only checkout still builds with cargo.
    if let Err(e) = write_shipped(&shipped, report_json.as_bytes(), &out_dir, started) {
        println!(
            "cargo:warning=docbao corpus: cannot write {}: {e}",
            shipped.display()
        );
    }

    println!("cargo:warning=docbao corpus: {}", report.summary());
    if strict && report.has_problems() {
        eprint!("{}", report.describe());
        fail(&format!(
            "DOCBAO_STRICT=1 and {} input(s) were rejected, {} warning(s) (report: {})",
            report.rejected_count(),
            report.warnings(),
            shipped.display()
        ));
    }
    list_rejections(&report, &shipped);

    let sharded = match std::env::var("DOCBAO_LAYOUT").as_deref() {
        Ok("sharded") => true,
        Ok("embedded") => false,
        Ok(other) if !other.is_empty() => fail(&format!(
            "DOCBAO_LAYOUT={other:?}: expected embedded or sharded"
        )),
        _ => articles.len() > SHARDED_ABOVE_ARTICLES,
    };
    // The app links only this layout's code (src/corpus.rs, `EmbeddedLayout`).
    println!("cargo::rustc-check-cfg=cfg(docbao_sharded)");
    if sharded {
        println!("cargo::rustc-cfg=docbao_sharded");
    }
    let index = Index::build(articles);
    // The sharded files go to a fixed path trunk's hook copies into `dist/archive/` (see
    // [`ARCHIVE_DIR`]); a previous build's files must not linger there.
    let archive = shipped_path(&manifest_dir, ARCHIVE_DIR);
    let _ = std::fs::remove_dir_all(&archive);
    if sharded {
        let bundle = docbao_engine::shard::write_bundle(&index);
        // The wasm holds no corpus, only the root's name: the app fetches the rest.
        write(&out_dir.join("corpus.bin"), &[]);
        write(&out_dir.join(ROOT_NAME_FILE), bundle.root.as_bytes());
        for (name, bytes) in bundle.files.iter().filter(|(n, _)| *n != bundle.root) {
            write(&archive.join(name), bytes);
        }
        // The files the first page (`#/search`: the app asks for
        // `Request::newest_first_page()`) reads after the root, which the page asks for
        // while the app still loads (scripts/post-build.mjs turns this list into preloads
        // and removes it from what ships).
        let first_page = Request::newest_first_page();
        match bundle.files_to_show("", &first_page, first_page.limit) {
            Ok(files) => write(&archive.join(FIRST_PAGE_FILE), files.join("\n").as_bytes()),
            Err(e) => fail(&format!(
                "the first page cannot be read from the archive: {e}"
            )),
        }
        // The root last, dated like the report: cargo reruns this script if it goes.
        let root = archive.join(&bundle.root);
        if let Err(e) = write_shipped(&root, bundle.root_bytes(), &out_dir, started) {
            fail(&format!("cannot write {}: {e}", root.display()));
        }
        println!(
            "cargo:warning=docbao corpus: sharded layout, {} files in {}",
            bundle.files.len(),
            archive.display()
        );
    } else {
        write(&out_dir.join("corpus.bin"), &to_bytes(&index));
        write(&out_dir.join(ROOT_NAME_FILE), b"");
    }
}

/// Where the sharded layout's files are written, under the project, like the report
/// (`<ARCHIVE_DIR>/<target>/<profile>/`, for the same reasons: see [`REPORT_DIR`]); the
/// post_build hook in Trunk.toml copies them into `dist/archive/`.
const ARCHIVE_DIR: &str = "target/docbao-archive";
/// In the archive folder, the names of the files the first page reads after the root, a
/// line each; the post_build hook reads it and does not ship it.
const FIRST_PAGE_FILE: &str = "first-page.txt";
/// `$OUT_DIR/<this>`: the sharded root's file name, empty for the embedded layout.
const ROOT_NAME_FILE: &str = "archive-root.txt";

/// Above this many articles the build writes the sharded layout (to [`ARCHIVE_DIR`]);
/// `DOCBAO_LAYOUT=embedded|sharded` forces either. UNC (2,653 articles, an 11 MB wasm)
/// is near the top of what one embedded bundle should carry.
const SHARDED_ABOVE_ARTICLES: usize = 10_000;

fn shipped_report_path(manifest_dir: &Path) -> PathBuf {
    shipped_path(manifest_dir, REPORT_DIR).join(REPORT_FILE)
}

/// `<dir>/<target>/<profile>` under the project: where trunk's hook finds what it ships.
fn shipped_path(manifest_dir: &Path, dir: &str) -> PathBuf {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown-target".into());
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown-profile".into());
    manifest_dir.join(dir).join(target).join(profile)
}

fn list_rejections(report: &IngestReport, shipped: &Path) {
    for r in report.rejected.iter().take(LISTED_REJECTIONS) {
        println!("cargo:warning=  rejected {r}");
    }
    if report.rejected.len() > LISTED_REJECTIONS {
        println!(
            "cargo:warning=  … and {} more: see {}",
            report.rejected.len() - LISTED_REJECTIONS,
            shipped.display()
        );
    }
}

/// Writes a whole file through a temporary name, so a reader never sees half of it.
fn try_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// Writes the report trunk's hook ships, then asks cargo to run this script again if that
/// file goes missing or another build replaces it. A fresh checkout that reuses a target
/// directory (a shared CARGO_TARGET_DIR, a target cached by CI) has no report, yet cargo
/// finds the script's output fresh: without this, the hook fails. And two builds of one
/// target and profile with their own script outputs (another corpus, another opt-level)
/// share this one file, so the hook could ship the other build's report.
///
/// Cargo reruns the script when a `rerun-if-changed` path is missing or newer than the
/// moment it invoked this run (the `invoked.timestamp` file it makes beside `OUT_DIR`). The
/// file was just written, so it is dated back to exactly that moment: fresh for this build,
/// while a report another build writes later carries that build's later moment, and makes
/// this build's script run again. (Without the timestamp file, one second before this run
/// `started`.) Not done when the file cannot be written, or a read-only checkout would
/// always rerun.
fn write_shipped(
    path: &Path,
    bytes: &[u8],
    out_dir: &Path,
    started: SystemTime,
) -> std::io::Result<()> {
    try_write(path, bytes)?;
    let invoked = out_dir
        .parent()
        .map(|run_dir| run_dir.join("invoked.timestamp"))
        .and_then(|stamp| std::fs::metadata(stamp).ok()?.modified().ok());
    let before_this_run = invoked.unwrap_or_else(|| {
        started
            .checked_sub(Duration::from_secs(1))
            .unwrap_or(started)
    });
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(before_this_run)?;
    println!("cargo:rerun-if-changed={}", path.display());
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(e) = try_write(path, bytes) {
        fail(&format!("cannot write {}: {e}", path.display()));
    }
}

/// How a file is named in the report, which ships with the app: relative to the project
/// when inside it (`seeds/000_….txt`), else from the corpus folder's own name
/// (`corpora/unc-dantri.jsonl.gz`), so no absolute path of the build machine leaks out.
fn display(path: &Path, root: &Path, manifest_dir: &Path) -> String {
    if let Ok(inside) = path.strip_prefix(manifest_dir) {
        return inside.display().to_string();
    }
    let base = root.parent().unwrap_or(root);
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn fail(message: &str) -> ! {
    eprintln!("error: docbao corpus: {message}");
    exit(1)
}
