//! The byte layout: the `OKTASONG` magic followed by a flat list of `id[4] size:u32be data`
//! chunks (reference §1.1). This layer only splits a file into chunks; [`crate::model`] gives
//! them meaning.
//!
//! Chunk sizes are taken as unsigned 32-bit values and clamped to the end of the file, so a
//! junk chunk whose declared size runs past the end (as in `the abyss.okta`) is read as far as
//! the data goes and never causes a read past it.

/// The magic of modules written by Oktalyzer.
pub const MAGIC: &[u8; 8] = b"OKTASONG";
/// The magic written only by hitchhikr's modified Oktalyzer (same layout; reference §1.1).
pub const MAGIC2: &[u8; 8] = b"OKTASNG2";

/// One chunk as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChunk {
    /// Byte offset of the chunk header in the file.
    pub offset: usize,
    /// The four id bytes (not necessarily ASCII: junk chunks have ids such as `00 00 00 00`).
    pub id: [u8; 4],
    /// The size field as stored. It can exceed `data.len()` when the chunk runs past the end.
    pub declared_size: u32,
    /// The chunk data that is present in the file (at most `declared_size` bytes).
    pub data: Vec<u8>,
}

impl RawChunk {
    /// Whether the declared size runs past the end of the file.
    pub fn is_truncated(&self) -> bool {
        (self.data.len() as u64) < u64::from(self.declared_size)
    }

    /// The id as text, with non-printable bytes escaped (`\x00`), for messages.
    pub fn id_text(&self) -> String {
        id_text(&self.id)
    }
}

/// An id as text, with non-printable bytes escaped.
pub fn id_text(id: &[u8; 4]) -> String {
    id.iter()
        .map(|&b| if (0x20..0x7f).contains(&b) { (b as char).to_string() } else { format!("\\x{b:02x}") })
        .collect()
}

/// A file split into chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFile {
    /// The 8-byte magic (`OKTASONG` or `OKTASNG2`).
    pub magic: [u8; 8],
    /// Every chunk, in file order.
    pub chunks: Vec<RawChunk>,
    /// Bytes after the last chunk that are too few for a chunk header (fewer than 8).
    pub trailing: Vec<u8>,
}

/// Why a file could not be split into chunks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RawError {
    /// The file does not start with `OKTASONG` or `OKTASNG2`.
    #[error("not an Oktalyzer module: the file does not start with OKTASONG (first bytes: {found})")]
    BadMagic {
        /// The first bytes, escaped.
        found: String,
    },
}

/// Whether `bytes` starts with an Oktalyzer magic.
pub fn has_magic(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC) || bytes.starts_with(MAGIC2)
}

/// Splits a file into chunks. Fails only when the magic is missing; every chunk size is clamped
/// to the end of the data.
pub fn split(bytes: &[u8]) -> Result<RawFile, RawError> {
    let magic: [u8; 8] = match bytes.get(..8).and_then(|m| <[u8; 8]>::try_from(m).ok()) {
        Some(m) if &m == MAGIC || &m == MAGIC2 => m,
        _ => {
            let head = bytes.get(..8.min(bytes.len())).unwrap_or_default();
            let found = head
                .iter()
                .map(|&b| if (0x20..0x7f).contains(&b) { (b as char).to_string() } else { format!("\\x{b:02x}") })
                .collect();
            return Err(RawError::BadMagic { found });
        }
    };
    let mut chunks = Vec::new();
    let mut pos = 8usize;
    while let Some(header) = bytes.get(pos..pos.saturating_add(8)) {
        let id = [header[0], header[1], header[2], header[3]]; // ok: header has 8 bytes
        let declared_size = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        let start = pos + 8;
        let end = start.saturating_add(declared_size as usize).min(bytes.len());
        let data = bytes.get(start..end).unwrap_or_default().to_vec();
        chunks.push(RawChunk { offset: pos, id, declared_size, data });
        pos = end;
    }
    let trailing = bytes.get(pos..).unwrap_or_default().to_vec();
    Ok(RawFile { magic, chunks, trailing })
}

/// Appends one chunk: id, `size` (normally `data.len()`), data.
pub fn push_chunk(out: &mut Vec<u8>, id: &[u8; 4], declared_size: u32, data: &[u8]) {
    out.extend_from_slice(id);
    out.extend_from_slice(&declared_size.to_be_bytes());
    out.extend_from_slice(data);
}

/// Reads a big-endian u16 at `off`, if present.
pub fn be16(data: &[u8], off: usize) -> Option<u16> {
    let b = data.get(off..off.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// Reads a big-endian u32 at `off`, if present.
pub fn be32(data: &[u8], off: usize) -> Option<u32> {
    let b = data.get(off..off.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
#[path = "raw_tests.rs"]
mod tests;
