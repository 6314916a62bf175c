//! CRC-32 (IEEE, as zlib and PNG), the checksum of every section, chunk and archive file.
//!
//! In wasm, on a table of 256 entries (1 KiB) rather than crc32fast's sixteen (16 KiB of
//! nearly random bytes: ~15 kB of the app's brotli'd wasm). The reader checksums what it
//! loads: a sharded archive's files as they arrive (kB each), but an embedded archive's
//! whole text too (UNC: ~11 MB, read by the derivation after `docbao:ready`, in slices),
//! where the byte-at-a-time loop costs tens of milliseconds; native builds (the writer, the
//! tests) keep crc32fast's faster one.

#[cfg(target_arch = "wasm32")]
pub fn crc32(bytes: &[u8]) -> u32 {
    small_table_crc32(bytes)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The same checksum on a 256-entry table.
pub fn small_table_crc32(bytes: &[u8]) -> u32 {
    const CRC: crc::Crc<u32, crc::Table<1>> =
        crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);
    CRC.checksum(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_table_checksum_equals_crc32fast() {
        assert_eq!(small_table_crc32(b""), 0);
        assert_eq!(small_table_crc32(b"123456789"), 0xCBF4_3926);
        let mut seed = 0x9E37_79B9u32;
        let bytes: Vec<u8> = (0..70_000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        for len in [1, 7, 16, 63, 64, 65, 1000, 70_000] {
            for start in [0, 1, 3] {
                let part = &bytes[start..len.max(start)];
                assert_eq!(
                    small_table_crc32(part),
                    crc32fast::hash(part),
                    "{start}..{len}"
                );
            }
        }
    }
}
