//! A preset DEFLATE dictionary for the stored-article chunks: the word pairs most chunks
//! repeat, so a chunk's first use of `cho biết`, `của các` or `theo đó` is a match into
//! the dictionary rather than literals (UNC: −9% of every chunk's bytes).
//!
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
pub(crate) const MAX_DICTIONARY_BYTES: usize = 32 << 10;
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

/// The dictionary of these chunks (postcard, as stored before compression): the word
/// pairs (each word with its following space) that the most chunks hold, weighed by
/// chunks × bytes, up to [`MAX_DICTIONARY_BYTES`], the most useful last (DEFLATE codes
/// near matches in fewer bits). Empty if no pair is in two chunks. Deterministic: the
/// same chunks give the same bytes.
pub(super) fn derive(sample: &[Vec<u8>]) -> Vec<u8> {
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
