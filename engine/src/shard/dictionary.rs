//! How the stored-article chunks are coded: the archive's most frequent letters as one
//! byte each, then DEFLATE after a preset dictionary of the word pairs most chunks repeat.
//!
//! *Letters.* Vietnamese in UTF-8 takes 2–3 bytes for each marked letter (`ệ` is
//! `E1 BB 87`), a third of the letters: each costs DEFLATE 2–3 literals, and a match
//! over them as many bytes of the 32 kB window. Bytes `0x80..=0xFE` stand for the 127
//! most frequent non-ASCII characters of the archive's first chunks, `0xFF` escapes any
//! other byte of 0x80 and above (with the rest of its UTF-8 sequence): a byte-level
//! code, so it applies to a chunk's postcard bytes whole, lengths and all, and restores
//! them exactly (UNC: chunks −7%).
//!
//! *Dictionary.* The word pairs most chunks hold, so a chunk's first use of `cho biết`,
//! `của các` or `theo đó` is a match into the dictionary rather than literals (UNC: −9%).
//! DEFLATE's window is 32 kB, so a dictionary is at most that and works as text that
//! came before the chunk: the compressor is primed by compressing the dictionary and
//! flushing (`Sync`: the stream is then byte-aligned and the chunk's blocks stand on
//! their own), and the inflater starts with the dictionary already in its output.
//! miniz_oxide has no `set_dictionary`; this needs no other crate, so the wasm carries
//! nothing new.

use std::collections::HashMap;

use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// DEFLATE's window: a dictionary longer than this could not be reached.
const MAX_DICTIONARY_BYTES: usize = 32 << 10;
/// The first byte that stands for a letter; `ESCAPE` and the bytes below this are not
/// codes.
const FIRST_CODE: u8 = 0x80;
/// Followed by a byte of 0x80 or above that is no letter's code, and the rest of the
/// UTF-8 sequence that byte begins.
const ESCAPE: u8 = 0xFF;
/// Letters with a code of one byte.
const MAX_LETTERS: usize = (ESCAPE - FIRST_CODE) as usize;
/// A `.dict` file inflated: its letters' length, the letters, the dictionary.
pub(crate) const MAX_CODING_BYTES: usize = MAX_DICTIONARY_BYTES + MAX_LETTERS * 4 + 8;
/// The dictionary is derived from at most this many chunks, the archive's first (oldest)
/// ones: a new article goes last, so the dictionary, and with it every chunk's name,
/// stays as it was (`sample_chunks`).
const MAX_SAMPLE_CHUNKS: usize = 64;
/// Word pairs shorter than this save little over the literals; longer ones are runs
/// without spaces (URLs, binary), which rarely repeat whole.
const MIN_PAIR_BYTES: usize = 6;
const MAX_PAIR_BYTES: usize = 96;

/// How many of an archive's first chunks its dictionary is derived from: the largest
/// power of two not above half of them, at most [`MAX_SAMPLE_CHUNKS`]. Adding articles
/// (which go last, or to the end of a date-ordered archive) changes the sample only when
/// the archive doubles, so a rebuild keeps the dictionary and every old chunk's name.
pub(super) fn sample_chunks(chunks: usize) -> usize {
    let half = (chunks / 2).max(1).min(chunks);
    if half == 0 {
        return 0;
    }
    (1 << half.ilog2()).min(MAX_SAMPLE_CHUNKS)
}

/// How an archive's chunks are coded: the letters with a one-byte code (the byte
/// `0x80 + position`) and the preset dictionary (letter-coded). Both empty: plain
/// DEFLATE, as an archive without a `.dict` file is read.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Coding {
    /// Each letter's UTF-8 bytes, and how many.
    letters: Vec<([u8; 4], u8)>,
    pub(crate) preset: Vec<u8>,
}

impl Coding {
    /// The coding of an archive whose first chunks (postcard, as stored before
    /// compression) are `sample`: its most frequent non-ASCII characters, then the
    /// dictionary of the sample once letter-coded. Deterministic.
    pub(super) fn derive(sample: &[Vec<u8>]) -> Coding {
        // Per letter: its count, the chunks holding it, the last chunk counted.
        let mut counts: HashMap<char, (u64, u32, usize)> = HashMap::new();
        for (chunk, raw) in sample.iter().enumerate() {
            let mut at = 0;
            while at < raw.len() {
                let n = sequence_len(raw[at]).min(raw.len() - at);
                if let Some(c) = char_at(raw, at).filter(|_| n > 1) {
                    let entry = counts.entry(c).or_insert((0, 0, usize::MAX));
                    entry.0 += 1;
                    if entry.2 != chunk {
                        *entry = (entry.0, entry.1 + 1, chunk);
                    }
                }
                at += n;
            }
        }
        // As for pairs, a letter in one chunk only is no reason for a `.dict` file (an
        // archive of one chunk has none).
        let mut ranked: Vec<(u64, char)> = counts
            .into_iter()
            .filter(|&(_, (_, chunks, _))| chunks >= 2)
            .map(|(c, (n, _, _))| (n, c))
            .collect();
        // Most frequent first, ties by the character: no hash map order reaches the file.
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut coding = Coding {
            letters: ranked
                .iter()
                .take(MAX_LETTERS)
                .map(|&(_, c)| {
                    let mut bytes = [0; 4];
                    let n = c.encode_utf8(&mut bytes).len() as u8;
                    (bytes, n)
                })
                .collect(),
            preset: Vec::new(),
        };
        let coded: Vec<Vec<u8>> = sample.iter().map(|raw| coding.encode(raw)).collect();
        coding.preset = derive(&coded);
        coding
    }

    /// Bytes held, for `ShardedIndex::memory_bytes`.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.letters.capacity() * 5 + self.preset.capacity()
    }

    /// Whether chunks are plain DEFLATE (no `.dict` file).
    pub(super) fn is_empty(&self) -> bool {
        self.letters.is_empty() && self.preset.is_empty()
    }

    /// `raw` with each letter as its code, any other byte of 0x80 and above escaped with
    /// the rest of its sequence: [`Coding::decode`] gives `raw` back, whatever its bytes.
    pub(super) fn encode(&self, raw: &[u8]) -> Vec<u8> {
        if self.letters.is_empty() {
            return raw.to_vec();
        }
        let codes: HashMap<&[u8], u8> = self
            .letters
            .iter()
            .enumerate()
            .map(|(i, (bytes, n))| (&bytes[..usize::from(*n)], FIRST_CODE + i as u8))
            .collect();
        let mut out = Vec::with_capacity(raw.len());
        let mut at = 0;
        while at < raw.len() {
            let b = raw[at];
            if b < FIRST_CODE {
                out.push(b);
                at += 1;
                continue;
            }
            let n = sequence_len(b).min(raw.len() - at);
            match codes.get(&raw[at..at + n]) {
                Some(&code) => out.push(code),
                None => {
                    out.push(ESCAPE);
                    out.extend_from_slice(&raw[at..at + n]);
                }
            }
            at += n;
        }
        out
    }

    /// The bytes [`Coding::encode`] was given; `None` if `coded` could not be its output
    /// (a code no letter has, an escape at the end).
    pub(crate) fn decode(&self, coded: Vec<u8>) -> Option<Vec<u8>> {
        if self.letters.is_empty() {
            return Some(coded);
        }
        // Every byte but the escape through one table (a letter, itself, or nothing for
        // a code no letter has), written as a store of 4 bytes into a buffer long enough
        // for the longest at every byte, then cut: no branch on what a byte is, which
        // mispredicted every few bytes of Vietnamese.
        let mut table = [([0u8; 4], 0u8); 256];
        for (b, entry) in table.iter_mut().enumerate().take(usize::from(FIRST_CODE)) {
            *entry = ([b as u8, 0, 0, 0], 1);
        }
        table[usize::from(FIRST_CODE)..][..self.letters.len()].copy_from_slice(&self.letters);
        let longest = self
            .letters
            .iter()
            .map(|l| usize::from(l.1))
            .max()
            .unwrap_or(1);
        let mut out = vec![0; coded.len() * longest + 4];
        let mut w = 0;
        let mut at = 0;
        while let Some(&b) = coded.get(at) {
            at += 1;
            if b == ESCAPE {
                let n = sequence_len(*coded.get(at)?).min(coded.len() - at);
                out[w..w + n].copy_from_slice(&coded[at..at + n]);
                w += n;
                at += n;
                continue;
            }
            let (bytes, n) = table[usize::from(b)];
            if n == 0 {
                return None;
            }
            out[w..w + 4].copy_from_slice(&bytes);
            w += usize::from(n);
        }
        out.truncate(w);
        Some(out)
    }

    /// The `.dict` file's content before DEFLATE: the letters' UTF-8 length as a varint,
    /// the letters, the dictionary.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let letters: Vec<u8> = self
            .letters
            .iter()
            .flat_map(|(bytes, n)| bytes[..usize::from(*n)].iter().copied())
            .collect();
        let mut out = Vec::new();
        crate::codec::put_varint(&mut out, letters.len() as u64);
        out.extend_from_slice(&letters);
        out.extend_from_slice(&self.preset);
        out
    }

    /// [`Coding::to_bytes`] read back; `None` if it is not one (bad UTF-8, too many
    /// letters, a dictionary past DEFLATE's window).
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Coding> {
        let mut r = crate::codec::Reader::new("dict", bytes);
        let n = r.count("letter bytes").ok()?;
        let letters = std::str::from_utf8(r.take(n).ok()?).ok()?;
        let rest = r.remaining();
        let preset = r.take(rest).ok()?.to_vec();
        let letters: Vec<([u8; 4], u8)> = letters
            .chars()
            .map(|c| {
                let mut bytes = [0; 4];
                let n = c.encode_utf8(&mut bytes).len() as u8;
                (bytes, n)
            })
            .collect();
        (letters.len() <= MAX_LETTERS && preset.len() <= MAX_DICTIONARY_BYTES)
            .then_some(Coding { letters, preset })
    }
}

/// Bytes in the UTF-8 sequence that `lead` begins (1 for a byte that begins none).
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

/// The character whose UTF-8 sequence starts at `at`, if one does.
fn char_at(bytes: &[u8], at: usize) -> Option<char> {
    let n = sequence_len(bytes[at]);
    let s = std::str::from_utf8(bytes.get(at..at + n)?).ok()?;
    s.chars().next()
}

/// The dictionary of these chunks (postcard, as stored before compression): the word
/// pairs (each word with its following space) that the most chunks hold, weighed by
/// chunks × bytes, up to [`MAX_DICTIONARY_BYTES`], the most useful last (DEFLATE codes
/// near matches in fewer bits). Empty if no pair is in two chunks. Deterministic: the
/// same chunks give the same bytes.
fn derive(sample: &[Vec<u8>]) -> Vec<u8> {
    // Per pair: chunks holding it, and the last chunk counted (once per chunk: a repeat
    // inside a chunk is matched within the chunk anyway).
    let mut counts: HashMap<&[u8], (u32, usize)> = HashMap::new();
    for (c, raw) in sample.iter().enumerate() {
        let mut starts: Vec<usize> = vec![0];
        starts.extend(
            raw.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b' ')
                .map(|(at, _)| at + 1),
        );
        starts.push(raw.len());
        for w in starts.windows(3) {
            let pair = &raw[w[0]..w[2]];
            if !(MIN_PAIR_BYTES..=MAX_PAIR_BYTES).contains(&pair.len()) {
                continue;
            }
            let entry = counts.entry(pair).or_insert((0, usize::MAX));
            if entry.1 != c {
                *entry = (entry.0 + 1, c);
            }
        }
    }
    let mut ranked: Vec<(u64, &[u8])> = counts
        .into_iter()
        .filter(|&(_, (chunks, _))| chunks >= 2)
        .map(|(pair, (chunks, _))| (u64::from(chunks) * pair.len() as u64, pair))
        .collect();
    // Best first, ties by the bytes: no hash map order reaches the output.
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut picked: Vec<&[u8]> = Vec::new();
    let mut total = 0;
    for (_, pair) in ranked {
        if total + pair.len() <= MAX_DICTIONARY_BYTES {
            total += pair.len();
            picked.push(pair);
        }
    }
    picked
        .iter()
        .rev()
        .flat_map(|p| p.iter().copied())
        .collect()
}

/// A compressor that has seen the dictionary: each chunk is compressed by a copy of it.
pub(super) struct Deflater {
    primed: CompressorOxide,
}

impl Deflater {
    /// Raw DEFLATE at `level`, primed with `dictionary` (none if empty).
    pub(super) fn new(dictionary: &[u8], level: u8) -> Deflater {
        let flags = create_comp_flags_from_zip_params(level.into(), 0, 0);
        let mut primed = CompressorOxide::new(flags);
        if !dictionary.is_empty() {
            // What it writes for the dictionary is thrown away: a reader has it already.
            run(&mut primed, dictionary, TDEFLFlush::Sync);
        }
        Deflater { primed }
    }

    /// `raw` as DEFLATE blocks that inflate ([`inflate_with`]) after the dictionary.
    pub(super) fn compress(&self, raw: &[u8]) -> Vec<u8> {
        let mut compressor = self.primed.clone();
        run(&mut compressor, raw, TDEFLFlush::Finish)
    }
}

/// Compresses all of `input` with `flush` at its end, returning what was written.
fn run(compressor: &mut CompressorOxide, mut input: &[u8], flush: TDEFLFlush) -> Vec<u8> {
    let mut out = vec![0; input.len() / 2 + 64];
    let mut at = 0;
    loop {
        let (status, read, written) = compress(compressor, input, &mut out[at..], flush);
        at += written;
        input = &input[read..];
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay
                if input.is_empty() && flush == TDEFLFlush::Sync && at < out.len() =>
            {
                break
            }
            TDEFLStatus::Okay => {
                if out.len() - at < 64 {
                    out.resize(out.len() * 2, 0);
                }
            }
            // In-memory compression of a whole buffer does not fail.
            other => unreachable!("deflate failed: {other:?}"),
        }
    }
    out.truncate(at);
    out
}

/// Inflates raw DEFLATE `input` written after `dictionary` (empty: none), to at most
/// `limit` bytes.
pub(crate) fn inflate_with(
    dictionary: &[u8],
    mut input: &[u8],
    limit: usize,
) -> Result<Vec<u8>, TINFLStatus> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let start = dictionary.len();
    // Matches reach back into the dictionary as into output already written.
    let mut out = dictionary.to_vec();
    out.resize(start + input.len().saturating_mul(4).min(limit), 0);
    let mut inflater = Box::<DecompressorOxide>::default();
    let mut at = start;
    loop {
        let (status, read, written) = decompress(&mut inflater, input, &mut out, at, flags);
        at += written;
        match status {
            TINFLStatus::Done => {
                out.copy_within(start..at, 0);
                out.truncate(at - start);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                input = input.get(read..).ok_or(TINFLStatus::HasMoreOutput)?;
                let inflated = out.len() - start;
                if inflated >= limit {
                    return Err(TINFLStatus::HasMoreOutput);
                }
                out.resize(start + inflated.saturating_mul(2).max(64).min(limit), 0);
            }
            other => return Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(i: usize) -> Vec<u8> {
        format!(
            "tin số {i}: theo đó, ông Nguyễn Văn {i} cho biết của các bên tham gia \
             thành phố Hồ Chí Minh ngày {} tháng {} năm 2021. ",
            i % 28 + 1,
            i % 12 + 1
        )
        .repeat(1 + i % 3)
        .into_bytes()
    }

    #[test]
    fn a_chunk_inflates_after_its_dictionary_and_is_smaller_for_it() {
        let sample: Vec<Vec<u8>> = (0..16).map(chunk).collect();
        let dictionary = derive(&sample);
        assert!(!dictionary.is_empty() && dictionary.len() <= MAX_DICTIONARY_BYTES);
        assert_eq!(derive(&sample), dictionary, "deterministic");
        let with = Deflater::new(&dictionary, 6);
        let without = Deflater::new(&[], 6);
        let raw = chunk(99);
        let packed = with.compress(&raw);
        assert_eq!(inflate_with(&dictionary, &packed, 1 << 20).unwrap(), raw);
        assert!(packed.len() < without.compress(&raw).len());
        // Without the dictionary (or with another) it does not come out.
        assert_ne!(inflate_with(&[], &packed, 1 << 20).ok(), Some(raw.clone()));
        // No dictionary: plain DEFLATE, as miniz_oxide writes it.
        let plain = without.compress(&raw);
        assert_eq!(plain, miniz_oxide::deflate::compress_to_vec(&raw, 6));
        assert_eq!(inflate_with(&[], &plain, 1 << 20).unwrap(), raw);
        // Within the limit, or an error.
        assert!(inflate_with(&dictionary, &packed, raw.len() - 1).is_err());
        assert_eq!(inflate_with(&dictionary, &packed, raw.len()).unwrap(), raw);
    }

    #[test]
    fn letters_take_a_byte_each_and_any_bytes_come_back() {
        let sample: Vec<Vec<u8>> = (0..16).map(chunk).collect();
        let coding = Coding::derive(&sample);
        assert_eq!(Coding::derive(&sample), coding, "deterministic");
        let raw = chunk(99);
        let coded = coding.encode(&raw);
        // `ễ ố ế ị ồ ớ …`: every marked letter of the sample is now one byte.
        let letters = std::str::from_utf8(&raw).unwrap().chars().count();
        assert_eq!(coded.len(), letters, "one byte a character");
        assert_eq!(coding.decode(coded.clone()), Some(raw.clone()));
        // Not in the sample (`ẵ`, an emoji), a postcard length (0x80 and above, alone or
        // before a letter's bytes), bytes that are no UTF-8 at all, a sequence cut at the
        // end: escaped, and back as they were.
        let odd: Vec<u8> = [
            "ẵ 🙂 ".as_bytes(),
            &[0x85, 0x01, 0xE1, 0xBB, 0x87, 0xFF, 0xFE, 0x80, 0xBF, 0xC3],
            "ồ".as_bytes(),
            &[0xE1, 0xBB],
        ]
        .concat();
        let coded = coding.encode(&odd);
        assert_eq!(coding.decode(coded), Some(odd.clone()));
        // The file's bytes read back; what no coding writes is refused, not a panic.
        assert_eq!(Coding::from_bytes(&coding.to_bytes()), Some(coding.clone()));
        assert_eq!(coding.decode(vec![b'a', ESCAPE]), None);
        assert_eq!(coding.decode(vec![FIRST_CODE + 126]), None);
        assert_eq!(Coding::from_bytes(&[200]), None);
        // No coding (no `.dict` file): bytes as they are.
        assert_eq!(Coding::default().encode(&odd), odd);
        assert_eq!(Coding::default().decode(odd.clone()), Some(odd));
    }

    #[test]
    fn letters_and_dictionary_make_a_chunk_smaller_than_the_dictionary_alone() {
        let sample: Vec<Vec<u8>> = (0..16).map(chunk).collect();
        let coding = Coding::derive(&sample);
        let dictionary_alone = derive(&sample);
        let raw: Vec<u8> = (100..108).flat_map(chunk).collect();
        let coded = Deflater::new(&coding.preset, 9).compress(&coding.encode(&raw));
        let plain = Deflater::new(&dictionary_alone, 9).compress(&raw);
        assert!(
            coded.len() < plain.len(),
            "{} < {}",
            coded.len(),
            plain.len()
        );
        let inflated = inflate_with(&coding.preset, &coded, 1 << 20).unwrap();
        assert_eq!(coding.decode(inflated), Some(raw));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_come_back(raw in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
                               text in "[a-zà-ỹ ]{0,40}") {
            let sample: Vec<Vec<u8>> = (0..4).map(chunk).collect();
            let coding = Coding::derive(&sample);
            let raw = [&raw[..], text.as_bytes(), &raw[..]].concat();
            proptest::prop_assert_eq!(coding.decode(coding.encode(&raw)), Some(raw));
        }
    }

    #[test]
    fn the_sample_stays_as_the_archive_grows_until_it_doubles() {
        assert_eq!(sample_chunks(0), 0);
        assert_eq!(sample_chunks(1), 1);
        assert_eq!(sample_chunks(6), 2);
        assert_eq!(sample_chunks(7), 2);
        assert_eq!(sample_chunks(329), 64);
        assert_eq!(sample_chunks(332), 64);
        assert_eq!(sample_chunks(100), 32);
        assert_eq!(sample_chunks(127), 32);
        assert_eq!(sample_chunks(128), 64);
    }
}
