//! The corpus compiled into this build by `build.rs`: the whole index (the embedded
//! layout), or only the name of a sharded archive's root, fetched at start-up.

use docbao_engine::shard::{name_of, FileKind, ShardedIndex};
use docbao_engine::{from_static_bytes, CodecError, Index};

static CORPUS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.bin"));
static ROOT_NAME: &str = include_str!(concat!(env!("OUT_DIR"), "/archive-root.txt"));

/// Held by the app's corpus of each layout (`app::Corpus`): `()` in a build of that
/// layout, an uninhabited type in a build of the other, so the compiler drops the other
/// layout's code (a sharded build carries no deriving of the embedded index's
/// dictionaries, an embedded one no fetching of archive files: UNC's wasm 10 kB raw,
/// 3.2 kB brotli smaller sharded, ~11 kB brotli embedded). `build.rs` sets
/// `docbao_sharded` when it writes the sharded layout.
#[cfg(not(docbao_sharded))]
pub type EmbeddedLayout = ();
#[cfg(docbao_sharded)]
pub type EmbeddedLayout = std::convert::Infallible;
#[cfg(docbao_sharded)]
pub type ShardedLayout = ();
#[cfg(not(docbao_sharded))]
pub type ShardedLayout = std::convert::Infallible;

/// This build's layout, if embedded.
#[cfg(not(docbao_sharded))]
pub const EMBEDDED: Option<EmbeddedLayout> = Some(());
#[cfg(docbao_sharded)]
pub const EMBEDDED: Option<EmbeddedLayout> = None;
/// This build's layout, if sharded.
#[cfg(docbao_sharded)]
pub const SHARDED: Option<ShardedLayout> = Some(());
#[cfg(not(docbao_sharded))]
pub const SHARDED: Option<ShardedLayout> = None;

/// The sharded archive's root file name with this build's layout, or `None` when the
/// index is embedded.
pub fn sharded_root() -> Option<(&'static str, ShardedLayout)> {
    SHARDED
        .filter(|_| !ROOT_NAME.is_empty())
        .map(|layout| (ROOT_NAME, layout))
}

/// Decodes the embedded index (done once, at start-up), but for its term dictionaries,
/// decoded on first touch or by `Index::finish_loading`.
pub fn load() -> Result<Index, CodecError> {
    from_static_bytes(CORPUS)
}

/// Fetches and reads the sharded archive's root; its name is the hash of its content,
/// so a root of another build (a stale cache, a half-finished upload) is refused.
pub async fn load_root(root: &str) -> Result<ShardedIndex, String> {
    let bytes = crate::archive::fetch_file(root).await?;
    if name_of(FileKind::Root, &bytes) != root {
        return Err(format!(
            "archive file {root}: its content does not match its name (another build's?)"
        ));
    }
    ShardedIndex::from_root(&bytes).map_err(|e| e.to_string())
}
