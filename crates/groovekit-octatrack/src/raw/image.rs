//! Pieces shared by the whole-image file kinds (bank, arrangement, markers): section-header
//! checks, fixed-length NUL-terminated names with stale tails, and the checksum policy.

use crate::OtError;
use crate::raw::header::{self, BinaryKind, ChecksumState};

/// What to do with a checksum that does not match the sum rule when reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumPolicy {
    /// Refuse the file ([`OtError::Checksum`]).
    Strict,
    /// Accept it; the caller reports the [`ChecksumState`] (used by `verify --fix`, `dump`,
    /// and always for arrangements, whose checksum the device is not known to check).
    Lenient,
}

/// The sum of all bytes, vectorised: 64 u16 lanes, flushed every 256 rows (256 x 255 < 65 536,
/// so no lane overflows). About 30x faster than the 8-byte SWAR sum in
/// [`header::compute_checksum`] on a 636 KB bank (measured ~50 GB/s vs 1.6 GB/s in cache), which
/// is what makes bank read + write fast.
pub fn byte_sum(bytes: &[u8]) -> u64 {
    const LANES: usize = 64;
    let mut total = 0u64;
    for block in bytes.chunks(LANES * 256) {
        let mut acc = [0u16; LANES];
        let mut rows = block.chunks_exact(LANES);
        for row in &mut rows {
            for (a, &b) in acc.iter_mut().zip(row) {
                *a = a.wrapping_add(u16::from(b));
            }
        }
        total += acc.iter().map(|&x| u64::from(x)).sum::<u64>();
        total += rows.remainder().iter().map(|&b| u64::from(b)).sum::<u64>();
    }
    total
}

/// The checksum rule of every binary file (same result as [`header::compute_checksum`]):
/// `Σ bytes[16..len-2] mod 65536`, 0 for files too short to have one.
pub fn checksum(bytes: &[u8]) -> u16 {
    let end = bytes.len().saturating_sub(2);
    let body = bytes.get(header::CHECKSUM_START..end).unwrap_or(&[]);
    (byte_sum(body) & 0xFFFF) as u16
}

/// Validates size, magic and version, then the checksum under `policy`. The same checks, order
/// and errors as [`header::validate_container`], with the faster [`checksum`].
pub fn validate(bytes: &[u8], kind: BinaryKind, policy: ChecksumPolicy) -> Result<ChecksumState, OtError> {
    if bytes.len() < header::MAGIC_LEN + 1 {
        return Err(OtError::Truncated { kind: kind.describe(), expected: kind.size(), actual: bytes.len() });
    }
    let magic = kind.magic();
    if let Some(pos) = bytes.iter().zip(magic.iter()).position(|(a, b)| a != b) {
        let found = bytes.get(..header::MAGIC_LEN).unwrap_or(bytes).to_vec();
        return Err(OtError::BadMagic { kind: kind.describe(), offset: pos, found });
    }
    let version = bytes.get(header::VERSION_OFFSET).copied().unwrap_or(0);
    if version != kind.version() {
        return Err(OtError::UnsupportedVersion { kind: kind.describe(), found: version, expected: kind.version() });
    }
    if bytes.len() < kind.size() {
        return Err(OtError::Truncated { kind: kind.describe(), expected: kind.size(), actual: bytes.len() });
    }
    if bytes.len() > kind.size() {
        return Err(OtError::Oversized { kind: kind.describe(), expected: kind.size(), actual: bytes.len() });
    }
    let state = ChecksumState { stored: header::stored_checksum(bytes).unwrap_or(0), computed: checksum(bytes) };
    enforce(state, kind, policy)?;
    Ok(state)
}

/// Writes the correct checksum into the last two bytes (as [`header::update_checksum`]).
pub fn update_checksum(bytes: &mut [u8]) {
    let sum = checksum(bytes);
    let n = bytes.len();
    if n >= header::CHECKSUM_START + 2
        && let Some(tail) = bytes.get_mut(n - 2..)
    {
        tail.copy_from_slice(&sum.to_be_bytes());
    }
}

/// Turns a checksum mismatch into [`OtError::Checksum`] under [`ChecksumPolicy::Strict`].
pub fn enforce(state: ChecksumState, kind: BinaryKind, policy: ChecksumPolicy) -> Result<(), OtError> {
    if policy == ChecksumPolicy::Strict && !state.is_valid() {
        return Err(OtError::Checksum {
            kind: kind.describe(),
            offset: kind.size() - 2,
            stored: state.stored,
            computed: state.computed,
        });
    }
    Ok(())
}

/// Checks that the 4-byte section header `tag` is at `offset`.
pub fn check_section(bytes: &[u8], kind: BinaryKind, offset: usize, tag: &'static str) -> Result<(), OtError> {
    let found = bytes.get(offset..offset + tag.len()).unwrap_or(&[]);
    if found != tag.as_bytes() {
        return Err(OtError::BadSection { kind: kind.describe(), header: tag, offset, found: found.to_vec() });
    }
    Ok(())
}

/// The text of a fixed-length name: bytes up to the first NUL, each byte one char (Latin-1), so
/// that any byte value round-trips through [`write_name`].
pub fn read_name(field: &[u8]) -> String {
    field.iter().take_while(|&&b| b != 0).map(|&b| char::from(b)).collect()
}

/// Writes `text` into a fixed-length name field: its bytes, then a NUL if there is room. Bytes
/// after the NUL (stale tails the device leaves) are kept. Fails for text longer than the field,
/// chars above U+00FF or a NUL inside the text.
pub fn write_name(field: &mut [u8], text: &str, what: &str) -> Result<(), OtError> {
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok().filter(|&b| b != 0))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| OtError::Invalid {
            field: what.to_string(),
            message: format!("{text:?}: only characters U+0001..U+00FF (in practice ASCII) can be stored"),
        })?;
    if bytes.len() > field.len() {
        return Err(OtError::Invalid {
            field: what.to_string(),
            message: format!("{text:?} is {} characters long; at most {} fit", bytes.len(), field.len()),
        });
    }
    field[..bytes.len()].copy_from_slice(&bytes); // ok: length checked above
    if let Some(nul) = field.get_mut(bytes.len()) {
        *nul = 0;
    }
    Ok(())
}

/// Writes the magic and version of `kind` into the start of a new image of `kind.size()` zeros.
pub fn new_image(kind: BinaryKind) -> Vec<u8> {
    let mut v = vec![0u8; kind.size()];
    v[..header::MAGIC_LEN].copy_from_slice(&kind.magic()); // ok: every kind is > 22 bytes
    v[header::VERSION_OFFSET] = kind.version();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_checksum_and_validation_agree_with_the_shared_header_code() {
        let mut x: u32 = 7;
        for len in [0usize, 1, 17, 18, 22, 63, 64, 65, 16_383, 16_384, 16_385, 11_336, 207_000, 636_113] {
            let v: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 16) as u8
                })
                .collect();
            assert_eq!(checksum(&v), header::compute_checksum(&v), "len {len}");
            let ff = vec![0xFF; len];
            assert_eq!(checksum(&ff), header::compute_checksum(&ff), "0xFF len {len}");
        }
        for kind in [BinaryKind::Bank, BinaryKind::Arrangement, BinaryKind::Markers] {
            let mut img = new_image(kind);
            update_checksum(&mut img);
            let variants: Vec<Vec<u8>> = vec![
                img.clone(),
                img[..10].to_vec(),
                img[..1000].to_vec(),
                [img.clone(), vec![0]].concat(),
                {
                    let mut v = img.clone();
                    v[3] = 0;
                    v
                },
                {
                    let mut v = img.clone();
                    v[21] = 99;
                    v
                },
                {
                    let mut v = img.clone();
                    v[40] = 1;
                    v
                },
            ];
            for v in variants {
                let ours = validate(&v, kind, ChecksumPolicy::Lenient).map_err(|e| e.to_string());
                let shared = header::validate_container(&v, kind).map_err(|e| e.to_string());
                assert_eq!(ours, shared);
            }
        }
    }
}
