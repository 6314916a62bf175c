//! Field lengths as one byte each, as Lucene's `SmallFloat.intToByte4` stores its norms:
//! lengths below [`EXACT_BELOW`] exactly (a title, most leads), longer ones with their
//! four most significant bits (within 12.5%, rounded down). BM25 only needs a length
//! relative to the average, so the byte is enough, and a sharded root carries three
//! bytes per article instead of three varints. The embedded and sharded layouts both
//! store these bytes, so they score identically.

/// Lengths stored exactly: the 24 codes a 4-bit-mantissa float of a `u32` leaves free.
pub(crate) const EXACT_BELOW: u32 = 24;

/// Lengths above this take the largest code.
const LONGEST: u32 = i32::MAX as u32;

/// The byte a field of `len` words is stored as.
pub(crate) fn encode_length(len: u32) -> u8 {
    let len = len.min(LONGEST);
    if len < EXACT_BELOW {
        return len as u8;
    }
    let rest = len - EXACT_BELOW;
    let bits = u32::BITS - rest.leading_zeros();
    let small = if bits < 4 {
        rest
    } else {
        let shift = bits - 4;
        // The leading bit is implicit; the exponent goes above the three kept bits.
        ((rest >> shift) & 0x07) | ((shift + 1) << 3)
    };
    (EXACT_BELOW + small) as u8
}

/// A document frequency in one byte, coded as lengths are: typo candidates are picked by
/// it, and a sharded lexicon carries it for words whose range is not fetched.
pub(crate) fn frequency_class(df: usize) -> u8 {
    encode_length(u32::try_from(df).unwrap_or(u32::MAX))
}

/// The length a stored byte stands for: the smallest length encoded as it.
pub(crate) fn decode_length(code: u8) -> u32 {
    let code = code as u32;
    if code < EXACT_BELOW {
        return code;
    }
    let small = code - EXACT_BELOW;
    let bits = small & 0x07;
    let shift = (small >> 3) as i32 - 1;
    let rest = if shift < 0 {
        bits
    } else {
        (bits | 0x08) << shift
    };
    EXACT_BELOW + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_fields_are_exact_and_long_ones_within_an_eighth_rounded_down() {
        for len in 0..EXACT_BELOW {
            assert_eq!(decode_length(encode_length(len)), len);
        }
        let mut last_code = 0;
        for len in (0..200_000u32).chain([1 << 20, LONGEST - 1, LONGEST]) {
            let code = encode_length(len);
            let back = decode_length(code);
            assert!(back <= len, "{len} decodes to {back}, above it");
            assert!(
                (len - back) as f64 <= len as f64 / 8.0,
                "{len} decodes to {back}, more than an eighth below"
            );
            assert!(code >= last_code, "codes follow lengths in order");
            assert_eq!(encode_length(back), code, "{back} is its code's own length");
            last_code = code;
        }
        assert_eq!(
            encode_length(LONGEST),
            255,
            "the largest length fits a byte"
        );
        assert_eq!(
            encode_length(u32::MAX),
            255,
            "and longer ones take its code"
        );
    }
}
