//! The serialized index.
//!
//! Layout (version 4; 4 changed the folded keys, not the layout): `MAGIC`, a little-endian `u32` format version, a section count
//! (`u32`), then a table of sections, each a 4-byte tag and a `u64` offset and length
//! (from the start of the bytes), then the sections:
//!
//! - `META`: doc count, per-doc field lengths (varints), average field lengths.
//! - `FOLD`, `EXCT`, `PAIR`: one term dictionary each: the term count, the terms
//!   front-coded (shared-prefix length, suffix length, suffix bytes), then per term its
//!   document frequency and postings: doc numbers delta-coded as varints, each followed by
//!   its per-field term frequencies packed into one byte when small (title ≤ 3, lead ≤ 3,
//!   body ≤ 7) or escaped to three varints.
//! - `BYID`: doc numbers in article-id order (varints).
//! - `ARTS`: the stored articles, apart from everything search needs, in chunks of
//!   [`ARTICLES_PER_CHUNK`] articles: the chunk count, then per chunk its article count,
//!   its compressed length and the postcard-encoded articles compressed with DEFLATE.
//!
//! **Sharding later.** Search touches only META and the dictionaries; the stored text is
//! read only for the ten hits on screen. So the bundle can later be split: META plus a
//! small top-level term index (first term of each shard) fetched at start-up, each
//! dictionary cut into term-range shards fetched when a query needs a term in them
//! (postings stay with their terms), and ARTS cut into doc-range chunks fetched for the
//! hits shown. The section table already lets a reader find and skip sections by
//! offset, without decoding what it does not need.

use std::fmt;

use crate::article::Article;
use crate::index::{Index, Posting, TermDict, FIELD_COUNT};

/// Every docbao index starts with these bytes.
pub const MAGIC: [u8; 8] = *b"DOCBAOIX";
/// Bumped whenever the layout of the serialized index changes.
pub const FORMAT_VERSION: u32 = 4;

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
/// Stored articles are compressed in chunks of this many, in doc order.
pub const ARTICLES_PER_CHUNK: usize = 64;
/// No chunk of stored articles inflates beyond this (a guard against corrupt bytes).
const MAX_CHUNK_BYTES: usize = 256 * 1024 * 1024;
const SECTIONS: [&[u8; 4]; 6] = [b"META", b"FOLD", b"EXCT", b"PAIR", b"BYID", b"ARTS"];

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn corrupt(why: &str) -> CodecError {
    CodecError::Corrupt(why.to_string())
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, CodecError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| corrupt("unexpected end of section"))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, CodecError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(corrupt("varint too long"))
    }

    fn u32(&mut self) -> Result<u32, CodecError> {
        u32::try_from(self.varint()?).map_err(|_| corrupt("number out of range"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| corrupt("unexpected end of section"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn f32(&mut self) -> Result<f32, CodecError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(f32::from_le_bytes(b))
    }
}

fn put_dict(out: &mut Vec<u8>, d: &TermDict) {
    put_varint(out, d.len() as u64);
    let mut prev = "";
    for i in 0..d.len() {
        let t = d.term(i);
        let shared = prev
            .bytes()
            .zip(t.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // Cut only on a character boundary so every suffix is valid UTF-8 on its own.
        let shared = (0..=shared)
            .rev()
            .find(|&s| t.is_char_boundary(s))
            .unwrap_or(0);
        put_varint(out, shared as u64);
        put_varint(out, (t.len() - shared) as u64);
        out.extend_from_slice(&t.as_bytes()[shared..]);
        prev = t;
    }
    for i in 0..d.len() {
        let p = d.postings_of(i);
        put_varint(out, p.len() as u64);
        let mut last = 0u32;
        for (j, posting) in p.iter().enumerate() {
            let delta = if j == 0 {
                posting.doc
            } else {
                posting.doc - last - 1
            };
            put_varint(out, delta as u64);
            last = posting.doc;
            let [t, l, b] = posting.tf;
            if t <= 3 && l <= 3 && b <= 7 {
                out.push((t | l << 2 | b << 4) as u8);
            } else {
                out.push(0x80);
                for tf in posting.tf {
                    put_varint(out, tf as u64);
                }
            }
        }
    }
}

fn get_dict(r: &mut Reader, docs: u32) -> Result<TermDict, CodecError> {
    let n = r.u32()? as usize;
    let mut d = TermDict::default();
    d.ends.reserve(n.min(r.bytes.len()));
    let mut prev_start = 0usize;
    for _ in 0..n {
        let shared = r.varint()? as usize;
        let len = r.varint()? as usize;
        let prev_len = d.bytes.len() - prev_start;
        if shared > prev_len {
            return Err(corrupt("bad term prefix"));
        }
        let suffix = std::str::from_utf8(r.take(len)?).map_err(|_| corrupt("term is not UTF-8"))?;
        let start = d.bytes.len();
        d.bytes.extend_from_within(prev_start..prev_start + shared);
        d.bytes.push_str(suffix);
        prev_start = start;
        d.ends.push(d.bytes.len() as u32);
    }
    d.starts.reserve(n + 1);
    d.starts.push(0);
    for _ in 0..n {
        let df = r.u32()?;
        let mut last: Option<u32> = None;
        for _ in 0..df {
            let delta = r.u32()?;
            let doc = match last {
                None => delta,
                Some(l) => l
                    .checked_add(delta)
                    .and_then(|x| x.checked_add(1))
                    .ok_or_else(|| corrupt("doc number overflows"))?,
            };
            if doc >= docs {
                return Err(corrupt("posting names a document that does not exist"));
            }
            last = Some(doc);
            let packed = r.byte()?;
            let tf = if packed == 0x80 {
                let mut tf = [0u16; FIELD_COUNT];
                for x in &mut tf {
                    *x = u16::try_from(r.varint()?).map_err(|_| corrupt("tf out of range"))?;
                }
                tf
            } else {
                let p = packed as u16;
                [p & 3, (p >> 2) & 3, (p >> 4) & 7]
            };
            d.postings.push(Posting::new(doc, tf));
        }
        d.starts.push(d.postings.len() as u32);
    }
    Ok(d)
}

pub fn to_bytes(index: &Index) -> Vec<u8> {
    let mut sections: Vec<Vec<u8>> = Vec::new();

    let mut meta = Vec::new();
    put_varint(&mut meta, index.articles.len() as u64);
    for lens in &index.field_lens {
        for &l in lens {
            put_varint(&mut meta, l as u64);
        }
    }
    for avg in index.avg_field_len {
        meta.extend_from_slice(&avg.to_le_bytes());
    }
    sections.push(meta);
    for d in [&index.folded, &index.exact, &index.pairs] {
        let mut s = Vec::new();
        put_dict(&mut s, d);
        sections.push(s);
    }
    let mut by_id = Vec::new();
    for &doc in &index.by_id {
        put_varint(&mut by_id, doc as u64);
    }
    sections.push(by_id);
    let mut arts = Vec::new();
    let chunks: Vec<&[Article]> = index.articles.chunks(ARTICLES_PER_CHUNK).collect();
    put_varint(&mut arts, chunks.len() as u64);
    for chunk in chunks {
        // Serializing plain vectors, strings and options into a Vec cannot fail.
        let raw = postcard::to_allocvec(chunk).expect("articles serialize");
        let packed = miniz_oxide::deflate::compress_to_vec(&raw, 6);
        put_varint(&mut arts, chunk.len() as u64);
        put_varint(&mut arts, packed.len() as u64);
        arts.extend_from_slice(&packed);
    }
    sections.push(arts);

    let table_len = 4 + SECTIONS.len() * 20;
    let mut out =
        Vec::with_capacity(HEADER_LEN + table_len + sections.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(SECTIONS.len() as u32).to_le_bytes());
    let mut offset = (HEADER_LEN + table_len) as u64;
    for (tag, s) in SECTIONS.iter().zip(&sections) {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        offset += s.len() as u64;
    }
    for s in sections {
        out.extend_from_slice(&s);
    }
    out
}

/// Sizes in bytes of each section of a serialized index, by tag, for figures.
pub fn section_sizes(bytes: &[u8]) -> Result<Vec<(String, usize)>, CodecError> {
    Ok(sections(bytes)?
        .into_iter()
        .map(|(tag, s)| (String::from_utf8_lossy(&tag).into_owned(), s.len()))
        .collect())
}

/// A section of the serialized index: its tag and its bytes.
type Section<'a> = ([u8; 4], &'a [u8]);

fn sections(bytes: &[u8]) -> Result<Vec<Section<'_>>, CodecError> {
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
    let mut r = Reader {
        bytes,
        at: HEADER_LEN,
    };
    let mut count = [0u8; 4];
    count.copy_from_slice(r.take(4)?);
    let count = u32::from_le_bytes(count) as usize;
    if count > 64 {
        return Err(corrupt("too many sections"));
    }
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut tag = [0u8; 4];
        tag.copy_from_slice(r.take(4)?);
        let mut n = [0u8; 8];
        n.copy_from_slice(r.take(8)?);
        let offset = u64::from_le_bytes(n) as usize;
        n.copy_from_slice(r.take(8)?);
        let len = u64::from_le_bytes(n) as usize;
        let s = offset
            .checked_add(len)
            .and_then(|end| bytes.get(offset..end))
            .ok_or_else(|| corrupt("section out of bounds"))?;
        out.push((tag, s));
    }
    Ok(out)
}

pub fn from_bytes(bytes: &[u8]) -> Result<Index, CodecError> {
    let sections = sections(bytes)?;
    let find = |tag: &[u8; 4]| {
        sections
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, s)| Reader { bytes: s, at: 0 })
            .ok_or_else(|| corrupt(&format!("missing section {}", String::from_utf8_lossy(tag))))
    };

    let mut meta = find(b"META")?;
    let docs = meta.u32()?;
    let mut field_lens = Vec::with_capacity((docs as usize).min(meta.bytes.len()));
    for _ in 0..docs {
        let mut lens = [0u32; FIELD_COUNT];
        for l in &mut lens {
            *l = meta.u32()?;
        }
        field_lens.push(lens);
    }
    let mut avg_field_len = [0f32; FIELD_COUNT];
    for a in &mut avg_field_len {
        *a = meta.f32()?;
    }
    let folded = get_dict(&mut find(b"FOLD")?, docs)?;
    let exact = get_dict(&mut find(b"EXCT")?, docs)?;
    let pairs = get_dict(&mut find(b"PAIR")?, docs)?;
    let mut r = find(b"BYID")?;
    let mut by_id = Vec::with_capacity(docs as usize);
    for _ in 0..docs {
        let doc = r.u32()?;
        if doc >= docs {
            return Err(corrupt("id table names a document that does not exist"));
        }
        by_id.push(doc);
    }
    let mut arts = find(b"ARTS")?;
    let chunks = arts.u32()?;
    let mut articles: Vec<Article> = Vec::with_capacity(docs as usize);
    for _ in 0..chunks {
        let count = arts.u32()? as usize;
        let len = arts.varint()? as usize;
        let packed = arts.take(len)?;
        let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, MAX_CHUNK_BYTES)
            .map_err(|e| corrupt(&format!("stored articles do not inflate: {e:?}")))?;
        let chunk: Vec<Article> =
            postcard::from_bytes(&raw).map_err(|e| CodecError::Corrupt(e.to_string()))?;
        if chunk.len() != count {
            return Err(corrupt("article chunk holds another count than it says"));
        }
        articles.extend(chunk);
    }
    if articles.len() != docs as usize {
        return Err(corrupt("article count differs from the index"));
    }
    Ok(Index::assemble(
        articles,
        by_id,
        field_lens,
        avg_field_len,
        [folded, exact, pairs],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn sample() -> Index {
        Index::build(vec![
            Article {
                id: "a".into(),
                title: "Huyện Thanh Trì".into(),
                body: vec!["Phát động phong trào ở TP.HCM, Covid-19".into()],
                ..Article::default()
            },
            Article {
                id: "b".into(),
                title: "trì trì trì trì trì".into(),
                lead: Some("Thành phố Hồ Chí Minh".into()),
                ..Article::default()
            },
        ])
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
    fn many_articles_round_trip_through_chunks() {
        let articles: Vec<Article> = (0..ARTICLES_PER_CHUNK * 2 + 5)
            .map(|i| Article {
                id: format!("{i:04}"),
                title: format!("Tin số {i} về Hà Nội"),
                body: vec!["Đoạn một.".into(), format!("Đoạn {i}.")],
                ..Article::default()
            })
            .collect();
        let index = Index::build(articles);
        let back = from_bytes(&to_bytes(&index)).unwrap();
        assert_eq!(back, index);
        assert_eq!(back.article("0130").unwrap().title, "Tin số 130 về Hà Nội");
    }

    #[test]
    fn stored_articles_are_a_section_apart() {
        let sizes = section_sizes(&to_bytes(&sample())).unwrap();
        let tags: Vec<&str> = sizes.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tags, ["META", "FOLD", "EXCT", "PAIR", "BYID", "ARTS"]);
        assert!(sizes.iter().all(|(_, n)| *n > 0));
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
