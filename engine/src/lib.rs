//! docbao-engine: everything docbao knows about articles and Vietnamese text.
//!
//! Pure Rust with no I/O and no web crates: `build.rs` and the command line feed it bytes,
//! the wasm app feeds it queries. See ARCHITECTURE.md for the map.

pub mod article;
pub mod codec;
pub mod crc;
pub mod display;
pub mod facets;
pub mod index;
pub mod ingest;
mod order;
pub mod search;
pub mod shard;
pub mod text;

pub use article::{Article, Caption, Teaser};
pub use codec::{
    from_bytes, from_shared_bytes, from_static_bytes, to_bytes, CodecError, FORMAT_VERSION, MAGIC,
};
pub use index::Index;
pub use search::{
    ArticlePage, Expansion, ExpansionKind, Hit, Marked, Page, Query, Request, SearchResults,
};
