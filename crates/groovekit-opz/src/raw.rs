//! The `raw` layer: the byte map of an OP-Z project (`.opz`) and the whole file image.
//!
//! An `.opz` file is a little-endian memory image (reference notes §3): a 572-byte header, 16
//! patterns of 21 392 bytes and, in files from 2021 on, a u32 trailer. [`ProjectImage`] keeps
//! every byte of the file; the typed views in [`crate::model`] read and write fields in place,
//! so bytes nobody understands yet are never touched.

use crate::OpzError;

/// Size of the header that precedes the patterns.
pub const HEADER_LEN: usize = 572;
/// Size of one pattern chunk.
pub const PATTERN_LEN: usize = 21_392;
/// Number of patterns in a project.
pub const PATTERNS: usize = 16;
/// Number of tracks in a pattern.
pub const TRACKS: usize = 16;
/// Number of steps in a pattern.
pub const STEPS: usize = 16;
/// Size of a project without the trailer (files written before about 2021).
pub const LEN_WITHOUT_TRAILER: usize = HEADER_LEN + PATTERNS * PATTERN_LEN;
/// Size of a project with the u32 trailer.
pub const LEN_WITH_TRAILER: usize = LEN_WITHOUT_TRAILER + 4;
/// The trailer value new files get (the value of every firmware 1.2.x file in the corpus).
pub const NEW_TRAILER: u32 = 7;
/// The file ID (bytes 0..4) of every known project.
pub const FILE_ID: u32 = 0x49;

/// Whether `bytes` are a project by content: one of the two project sizes and the file ID.
pub fn looks_like_project(bytes: &[u8]) -> bool {
    matches!(bytes.len(), LEN_WITH_TRAILER | LEN_WITHOUT_TRAILER) && bytes.get(0..4) == Some(&FILE_ID.to_le_bytes()[..])
}

/// Header offsets (reference §3.1).
pub mod header {
    /// u32 file ID.
    pub const FILE_ID: usize = 0;
    /// 16 pattern chains of 32 bytes.
    pub const CHAINS: usize = 4;
    /// Bytes per chain.
    pub const CHAIN_LEN: usize = 32;
    /// Number of chains.
    pub const CHAIN_COUNT: usize = 16;
    /// Mixer levels: drum, synth, punch, master.
    pub const MIXER: usize = 516;
    /// Tempo in whole BPM (u16, the high byte always 0 so far).
    pub const TEMPO: usize = 520;
    /// Not understood (usually 0; byte 529 is 0xA0 or 0x28 in some files).
    pub const UNKNOWN_522: usize = 522;
    /// Length of the unknown block after the tempo.
    pub const UNKNOWN_522_LEN: usize = 43;
    /// Swing 0..=255 (127 = straight).
    pub const SWING: usize = 565;
    /// Metronome level.
    pub const METRONOME_LEVEL: usize = 566;
    /// Metronome sound.
    pub const METRONOME_SOUND: usize = 567;
    /// The selected saved chain, 0-based (0..=14), 0xFF = none (opz-studio `src/project/layout.ts`
    /// `GLOBAL.SELECTED_CHAIN`, "signed, FF = none"; in every corpus file where it is 00, chain 16
    /// equals chain 1).
    pub const SELECTED_CHAIN: usize = 568;
    /// The value of [`SELECTED_CHAIN`] when no saved chain is selected.
    pub const NO_SELECTED_CHAIN: u8 = 0xFF;
    /// Three bytes after the selected chain, `00 00 00` in every known file (not understood).
    pub const UNKNOWN_569: usize = 569;
}

/// Offsets inside a pattern chunk (reference §3.2).
pub mod pattern {
    /// 16 track chunks of 12 bytes.
    pub const TRACKS: usize = 0;
    /// Size of a track chunk.
    pub const TRACK_LEN: usize = 12;
    /// 880 note slots of 8 bytes (16 steps x 55).
    pub const NOTES: usize = 192;
    /// Size of a note slot.
    pub const NOTE_LEN: usize = 8;
    /// Note slots per step (the sum of the per-track polyphony).
    pub const SLOTS_PER_STEP: usize = 55;
    /// 256 step chunks of 54 bytes, track-major.
    pub const STEPS: usize = 7_232;
    /// Size of a step chunk.
    pub const STEP_LEN: usize = 54;
    /// 16 tracks x 18 sound-parameter bytes.
    pub const SOUND: usize = 21_056;
    /// Sound parameters per track.
    pub const SOUND_LEN: usize = 18;
    /// 40 bytes of mute configurations.
    pub const MUTES: usize = 21_344;
    /// Length of the mute block.
    pub const MUTES_LEN: usize = 40;
    /// u16 send-to-tape bitmask.
    pub const SEND_TAPE: usize = 21_384;
    /// u16 send-to-master bitmask.
    pub const SEND_MASTER: usize = 21_386;
    /// Active mute group.
    pub const ACTIVE_MUTE_GROUP: usize = 21_388;
    /// Three unused bytes at the end of the pattern.
    pub const UNUSED: usize = 21_389;
}

/// Note slots per step of each track (its polyphony), in track order.
pub const POLYPHONY: [u8; TRACKS] = [2, 2, 2, 2, 4, 4, 8, 4, 1, 1, 1, 4, 6, 6, 4, 4];

/// The first slot of each track within a step's 55 slots (the running sum of [`POLYPHONY`]).
pub const SLOT_OFFSET: [u8; TRACKS] = {
    let mut out = [0u8; TRACKS];
    let mut i = 1;
    while i < TRACKS {
        out[i] = out[i - 1] + POLYPHONY[i - 1];
        i += 1;
    }
    out
};

/// Byte offset of pattern `p` (callers pass `p < 16`).
pub const fn pattern_offset(p: usize) -> usize {
    HEADER_LEN + p * PATTERN_LEN
}

/// Byte offset of the track chunk of `track` in pattern `p`.
pub const fn track_offset(p: usize, track: usize) -> usize {
    pattern_offset(p) + pattern::TRACKS + track * pattern::TRACK_LEN
}

/// Byte offset of note slot `k` of `track` on `step` in pattern `p`.
pub const fn note_offset(p: usize, track: usize, step: usize, k: usize) -> usize {
    let index = step * pattern::SLOTS_PER_STEP + SLOT_OFFSET[track] as usize + k;
    pattern_offset(p) + pattern::NOTES + index * pattern::NOTE_LEN
}

/// Byte offset of the step chunk of (`track`, `step`) in pattern `p` (track-major, §3.5).
pub const fn step_offset(p: usize, track: usize, step: usize) -> usize {
    pattern_offset(p) + pattern::STEPS + (track * STEPS + step) * pattern::STEP_LEN
}

/// Byte offset of the sound parameters of `track` in pattern `p`.
pub const fn sound_offset(p: usize, track: usize) -> usize {
    pattern_offset(p) + pattern::SOUND + track * pattern::SOUND_LEN
}

/// The whole byte image of a project file, with its size checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectImage {
    bytes: Vec<u8>,
}

impl ProjectImage {
    /// Accepts the bytes of an `.opz` file: 342 848 bytes (with trailer) or 342 844 (without).
    ///
    /// # Errors
    /// [`OpzError::Empty`] for a 0-byte file and [`OpzError::Size`] for any other size.
    pub fn parse(bytes: &[u8]) -> Result<Self, OpzError> {
        match bytes.len() {
            0 => Err(OpzError::Empty),
            LEN_WITH_TRAILER | LEN_WITHOUT_TRAILER => Ok(Self { bytes: bytes.to_vec() }),
            n => Err(OpzError::Size { len: n }),
        }
    }

    /// Takes ownership of file bytes (no copy), with the same size check as [`Self::parse`].
    pub fn from_vec(bytes: Vec<u8>) -> Result<Self, OpzError> {
        match bytes.len() {
            0 => Err(OpzError::Empty),
            LEN_WITH_TRAILER | LEN_WITHOUT_TRAILER => Ok(Self { bytes }),
            n => Err(OpzError::Size { len: n }),
        }
    }

    /// An image with every byte zero and a trailer (the starting point of [`crate::model::default_project`]).
    pub fn zeroed() -> Self {
        Self { bytes: vec![0; LEN_WITH_TRAILER] }
    }

    /// The file bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The u32 trailer, absent in files written before the trailer existed.
    pub fn trailer(&self) -> Option<u32> {
        (self.bytes.len() == LEN_WITH_TRAILER).then(|| self.u32_at(LEN_WITHOUT_TRAILER))
    }

    /// Sets or removes the trailer (changing the file size between the two accepted sizes).
    pub fn set_trailer(&mut self, trailer: Option<u32>) {
        self.bytes.resize(LEN_WITHOUT_TRAILER, 0);
        if let Some(t) = trailer {
            self.bytes.extend_from_slice(&t.to_le_bytes());
        }
    }

    /// `len` bytes at `offset`; offsets come from this module's constants, which lie inside every
    /// accepted file, so the empty fallback is never taken for a parsed image.
    pub fn slice(&self, offset: usize, len: usize) -> &[u8] {
        offset.checked_add(len).and_then(|end| self.bytes.get(offset..end)).unwrap_or(&[])
    }

    /// Copies `N` bytes at `offset` (zeros outside the image, which accepted sizes rule out).
    pub fn array<const N: usize>(&self, offset: usize) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(src) = self.bytes.get(offset..offset.saturating_add(N)) {
            out.copy_from_slice(src);
        }
        out
    }

    /// Writes `src` at `offset`; a write that would leave the image is ignored (see [`Self::slice`]).
    pub fn put(&mut self, offset: usize, src: &[u8]) {
        if let Some(dst) = self.bytes.get_mut(offset..offset.saturating_add(src.len())) {
            dst.copy_from_slice(src);
        }
    }

    /// The byte at `offset`.
    pub fn u8_at(&self, offset: usize) -> u8 {
        self.bytes.get(offset).copied().unwrap_or(0)
    }

    /// The little-endian u16 at `offset`.
    pub fn u16_at(&self, offset: usize) -> u16 {
        u16::from_le_bytes(self.array(offset))
    }

    /// The little-endian u32 at `offset`.
    pub fn u32_at(&self, offset: usize) -> u32 {
        u32::from_le_bytes(self.array(offset))
    }
}

#[cfg(test)]
#[path = "raw_tests.rs"]
mod tests;
