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

/// The checksum rule of every binary file: `Σ bytes[16..len-2] mod 65536` (one implementation,
/// in [`header::compute_checksum`]).
pub fn checksum(bytes: &[u8]) -> u16 {
    header::compute_checksum(bytes)
}

/// Validates size, magic and version ([`header::validate_container`]), then the checksum under
/// `policy`.
pub fn validate(bytes: &[u8], kind: BinaryKind, policy: ChecksumPolicy) -> Result<ChecksumState, OtError> {
    let state = header::validate_container(bytes, kind)?;
    enforce(state, kind, policy)?;
    Ok(state)
}

/// Writes the correct checksum into the last two bytes.
pub fn update_checksum(bytes: &mut [u8]) {
    header::update_checksum(bytes)
}

/// A whole file image that knows whether its checksum can be trusted: the bytes of a bank or
/// markers file as read (or built), with the checksum recomputed on write only when the image may
/// have changed since a read that verified it. Equality compares the bytes only.
#[derive(Debug, Clone)]
pub struct Image {
    bytes: Vec<u8>,
    /// True while the image is unchanged since a read (or build) that found its checksum right.
    checksum_known_good: bool,
}

impl PartialEq for Image {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for Image {}

impl Image {
    /// Wraps already-validated bytes; `checksum_known_good` says whether their checksum was right.
    pub fn new(bytes: Vec<u8>, checksum_known_good: bool) -> Self {
        Self { bytes, checksum_known_good }
    }

    /// Reads a file that `validate` accepts with a correct checksum ([`ChecksumPolicy::Strict`]).
    pub fn read(
        bytes: &[u8],
        validate: impl Fn(&[u8], ChecksumPolicy) -> Result<ChecksumState, OtError>,
    ) -> Result<Self, OtError> {
        validate(bytes, ChecksumPolicy::Strict)?;
        Ok(Self::new(bytes.to_vec(), true))
    }

    /// Reads a file that `validate` accepts whatever its checksum; returns the checksum state
    /// for the caller to report.
    pub fn read_lenient(
        bytes: &[u8],
        validate: impl Fn(&[u8], ChecksumPolicy) -> Result<ChecksumState, OtError>,
    ) -> Result<(Self, ChecksumState), OtError> {
        let state = validate(bytes, ChecksumPolicy::Lenient)?;
        Ok((Self::new(bytes.to_vec(), state.is_valid()), state))
    }

    /// The bytes as they are now (the checksum is whatever was last read or written).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file bytes with a correct checksum (recomputed unless the image is unchanged since a
    /// read that verified it).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.bytes.clone();
        if !self.checksum_known_good {
            update_checksum(&mut out);
        }
        out
    }

    /// The raw image, writable; the checksum is recomputed on the next [`Image::to_bytes`].
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.checksum_known_good = false;
        &mut self.bytes
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
#[path = "image_tests.rs"]
mod tests;
