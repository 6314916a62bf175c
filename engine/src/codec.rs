//! The serialized index: `MAGIC`, a little-endian `u32` format version, then the
//! postcard-encoded [`Index`]. The app embeds these bytes and reads them once at start-up.

use std::fmt;

use crate::index::Index;

/// Every docbao index starts with these bytes.
pub const MAGIC: [u8; 8] = *b"DOCBAOIX";
/// Bumped whenever the layout of [`Index`] changes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// Fewer bytes than the header needs.
    Truncated { len: usize },
    /// The bytes are not a docbao index at all.
    BadMagic,
    /// A docbao index written by another version of docbao.
    UnsupportedVersion { found: u32, expected: u32 },
    /// The header is right but the payload does not decode.
    Corrupt(String),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Truncated { len } => {
                write!(f, "index is truncated: {len} bytes, shorter than its header")
            }
            CodecError::BadMagic => write!(f, "not a docbao index (wrong magic bytes)"),
            CodecError::UnsupportedVersion { found, expected } => write!(
                f,
                "index format version {found} is not supported (this build reads version {expected}); rebuild the bundle"
            ),
            CodecError::Corrupt(why) => write!(f, "index is corrupt: {why}"),
        }
    }
}

impl std::error::Error for CodecError {}

const HEADER_LEN: usize = MAGIC.len() + 4;

pub fn to_bytes(index: &Index) -> Vec<u8> {
    let mut out = Vec::from(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // Serializing plain vectors, strings and numbers into a Vec cannot fail.
    let payload = postcard::to_allocvec(index).expect("index serializes");
    out.extend_from_slice(&payload);
    out
}

pub fn from_bytes(bytes: &[u8]) -> Result<Index, CodecError> {
    if bytes.len() < HEADER_LEN {
        return Err(CodecError::Truncated { len: bytes.len() });
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(CodecError::BadMagic);
    }
    let mut version = [0u8; 4];
    version.copy_from_slice(&bytes[MAGIC.len()..HEADER_LEN]);
    let found = u32::from_le_bytes(version);
    if found != FORMAT_VERSION {
        return Err(CodecError::UnsupportedVersion {
            found,
            expected: FORMAT_VERSION,
        });
    }
    postcard::from_bytes(&bytes[HEADER_LEN..]).map_err(|e| CodecError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn sample() -> Index {
        Index::build(vec![Article {
            id: "a".into(),
            title: "Huyện Thanh Trì".into(),
            body: vec!["Phát động phong trào".into()],
            ..Article::default()
        }])
    }

    #[test]
    fn round_trip_keeps_the_index() {
        let index = sample();
        assert_eq!(from_bytes(&to_bytes(&index)).unwrap(), index);
    }

    #[test]
    fn same_input_gives_the_same_bytes() {
        assert_eq!(to_bytes(&sample()), to_bytes(&sample()));
    }

    #[test]
    fn wrong_headers_are_clear_errors() {
        let bytes = to_bytes(&sample());
        assert_eq!(
            from_bytes(&bytes[..5]),
            Err(CodecError::Truncated { len: 5 })
        );
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert_eq!(from_bytes(&bad), Err(CodecError::BadMagic));
        let mut newer = bytes.clone();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert_eq!(
            from_bytes(&newer),
            Err(CodecError::UnsupportedVersion {
                found: FORMAT_VERSION + 1,
                expected: FORMAT_VERSION
            })
        );
        let cut = &bytes[..bytes.len() - 3];
        assert!(matches!(from_bytes(cut), Err(CodecError::Corrupt(_))));
    }
}
